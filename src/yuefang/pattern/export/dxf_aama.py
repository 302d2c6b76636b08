"""``pattern.dxf``: DXF-AAMA (ASTM D6673) for apparel CAD systems and cutters.

The file is written at DXF R12 level (``$ACADVER`` AC1009) with POLYLINE entities, which every
apparel importer reads. Each piece is one BLOCK, named by the piece, inserted once into the
ENTITIES section; inside the block the AAMA layers are:

====  ==============================================================
 1    boundary: the cut line, a closed POLYLINE
 2    turn points: a POINT at every corner of the cut line
 3    curve points: a POINT at every other vertex of the cut line
 4    notches: a LINE from the cut line into the piece (6 mm)
 6    mirror line: the fold line of a piece cut on the fold
 7    grain line: a LINE in the warp direction
 8    internal lines: darts, folds, buttonholes, placement lines (POLYLINE)
13    drill holes: a POINT each
14    sew line: a closed POLYLINE
15    annotation: TEXT ``Piece Name:``, ``Size:``, ``Quantity:``, ``Units:``, ``Annotation:``
====  ==============================================================

The style's own text (``Style Name:``, ``Sample Size:``, ``Units: METRIC``, ``Author:``) is in
the ENTITIES section on layer 1. Units are millimetres.

Text encoding: the header says ``$DWGCODEPAGE = ANSI_936`` and the file's bytes are GBK, the
code page of Chinese Windows and of Chinese apparel CAD; a character outside GBK is written as
the DXF escape ``\\U+XXXX``. yuefang's own extras (line kinds, mirrored pairs, allowed
rotations) ride along as XDATA under the application name ``YUEFANG``, which other readers
ignore and :func:`yuefang.pattern.dxf_import.read_dxf_aama` reads back.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re

import ezdxf
from ezdxf.document import Drawing

from yuefang.pattern.export._sheet import layout
from yuefang.pattern.model import Pattern, Piece, Pt

__all__ = ["to_dxf_aama", "AAMA_LAYERS", "APPID", "block_name"]

APPID = "YUEFANG"
CODEPAGE = "ANSI_936"
TEXT_HEIGHT_MM = 5.0
NOTCH_MM = 6.0

#: AAMA layer number -> what it holds
AAMA_LAYERS: dict[str, str] = {
    "1": "boundary",
    "2": "turn points",
    "3": "curve points",
    "4": "notches",
    "6": "mirror line",
    "7": "grain line",
    "8": "internal lines",
    "13": "drill holes",
    "14": "sew line",
    "15": "annotation",
}


def block_name(piece: Piece, taken: set[str]) -> str:
    """A block name for the piece: ASCII letters, digits, ``_`` and ``-``, unique in the file.

    >>> from yuefang.pattern.model import Piece
    >>> p = Piece(name="front panel", label="", cut=((0, 0), (1, 0), (0, 1)), grain=((0, 0), (0, 1)))
    >>> block_name(p, {"front_panel"})
    'front_panel_2'
    """
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", piece.name).strip("_") or "piece"
    name, i = base, 1
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    taken.add(name)
    return name


def _turns(piece: Piece) -> set[int]:
    """Corner vertices: the piece's own ``turn_points``, else every vertex turning > 20 degrees."""
    if piece.turn_points:
        return set(piece.turn_points)
    pts = piece.cut
    n = len(pts)
    out = set()
    for i in range(n):
        (ax, ay), (bx, by), (cx, cy) = pts[i - 1], pts[i], pts[(i + 1) % n]
        a1 = math.atan2(by - ay, bx - ax)
        a2 = math.atan2(cy - by, cx - bx)
        d = abs((a2 - a1 + math.pi) % (2 * math.pi) - math.pi)
        if d > math.radians(20):
            out.add(i)
    return out


def _xdata(entity: object, payload: dict[str, object]) -> None:
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    chunks = [text[i : i + 250] for i in range(0, len(text), 250)] or [""]
    entity.set_xdata(APPID, [(1000, c) for c in chunks])  # type: ignore[attr-defined]


def _poly(block: object, pts: tuple[Pt, ...], layer: str, *, closed: bool) -> object:
    return block.add_polyline2d(list(pts), close=closed, dxfattribs={"layer": layer})  # type: ignore[attr-defined]


def _piece_block(doc: Drawing, piece: Piece, name: str, pattern: Pattern) -> None:
    blk = doc.blocks.new(name=name)
    boundary = _poly(blk, piece.cut, "1", closed=True)
    _xdata(
        boundary,
        {
            "name": piece.name,
            "mirrored_pair": piece.mirrored_pair,
            "cut_on_fold": piece.cut_on_fold,
            "allowed_rotations_deg": list(piece.allowed_rotations_deg),
            "seam_allowance_mm": piece.seam_allowance_mm,
        },
    )
    turns = _turns(piece)
    for i, (x, y) in enumerate(piece.cut):
        blk.add_point((x, y), dxfattribs={"layer": "2" if i in turns else "3"})
    for n in piece.notches:
        a = math.radians(n.angle_deg)
        line = blk.add_line(
            (n.x, n.y),
            (n.x + NOTCH_MM * math.cos(a), n.y + NOTCH_MM * math.sin(a)),
            dxfattribs={"layer": "4"},
        )
        if n.name:
            _xdata(line, {"name": n.name})
    if piece.fold_line is not None:
        blk.add_line(*piece.fold_line, dxfattribs={"layer": "6"})
    blk.add_line(*piece.grain, dxfattribs={"layer": "7"})
    for ln in piece.lines:
        layer = "6" if ln.kind == "mirror" else "8"
        e = _poly(blk, ln.points, layer, closed=False)
        _xdata(e, {"kind": ln.kind, "name": ln.name})
    for d in piece.drill_holes:
        p = blk.add_point((d.x, d.y), dxfattribs={"layer": "13"})
        if d.name:
            _xdata(p, {"name": d.name})
    if piece.sew is not None:
        _poly(blk, piece.sew, "14", closed=True)
    xs = [p[0] for p in piece.cut]
    ys = [p[1] for p in piece.cut]
    x0, y1 = min(xs) + 10.0, max(ys) - 10.0
    size = pattern.size or pattern.order_line or "MTM"
    texts = [
        f"Piece Name: {piece.name}",
        f"Size: {size}",
        f"Quantity: {piece.quantity}",
        "Units: METRIC",
        f"Annotation: {piece.label}",
    ]
    gx = (piece.grain[0][0] + piece.grain[1][0]) / 2
    gy = (piece.grain[0][1] + piece.grain[1][1]) / 2
    x0, y1 = (gx + 10.0, gy + 2.5 * TEXT_HEIGHT_MM) if (max(xs) - min(xs)) > 60 else (x0, y1)
    for i, t in enumerate(texts):
        blk.add_text(
            t,
            dxfattribs={
                "layer": "15",
                "height": TEXT_HEIGHT_MM,
                "insert": (x0, y1 - i * 1.6 * TEXT_HEIGHT_MM),
            },
        )


def to_dxf_aama(pattern: Pattern) -> bytes:
    """``pattern.dxf``: the pattern as DXF-AAMA at R12 level, GBK-encoded (``ANSI_936``).

    Parameters
    ----------
    pattern : Pattern
        The drafted pattern (mm).

    Returns
    -------
    bytes
        The DXF file, text in the GBK code page with ``\\U+XXXX`` escapes for anything else.
    """
    log = logging.getLogger("ezdxf")
    level = log.level
    log.setLevel(logging.ERROR)  # ezdxf warns that R12 has no $INSUNITS; $MEASUREMENT says metric
    try:
        doc = ezdxf.new("R12", units=4)  # millimetres
    finally:
        log.setLevel(level)
    doc.header["$DWGCODEPAGE"] = CODEPAGE
    doc.encoding = "gbk"
    doc.appids.new(APPID)
    for layer in AAMA_LAYERS:
        if layer not in doc.layers:
            doc.layers.add(layer)
    msp = doc.modelspace()
    size = pattern.size or pattern.order_line or "MTM"
    style = [f"Style Name: {pattern.product}", f"Sample Size: {size}", "Units: METRIC", "Author: yuefang"]
    placed, width, height = layout(pattern.pieces, gap_mm=50.0)
    doc.header["$EXTMIN"] = (0.0, 0.0, 0.0)
    doc.header["$EXTMAX"] = (width, height + 100.0, 0.0)
    for i, s in enumerate(style):
        msp.add_text(
            s,
            dxfattribs={
                "layer": "1",
                "height": TEXT_HEIGHT_MM * 2,
                "insert": (0.0, height + 80.0 - i * 16.0),
            },
        )
    taken: set[str] = set()
    for pl in placed:
        name = block_name(pl.piece, taken)
        _piece_block(doc, pl.piece, name, pattern)
        msp.add_blockref(name, (pl.dx, pl.dy), dxfattribs={"layer": "1"})
    out = io.StringIO()
    doc.write(out)
    return doc.encode(out.getvalue())
