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

import codecs
import json
import math
import re
from collections.abc import Sequence

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


def _esc(text: str) -> str:
    return "".join(c if ord(c) < 0x10000 else "?" for c in text.replace("\n", " ").replace("\r", " "))


def _dxf_backslash(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: characters outside the code page as DXF ``\\U+XXXX`` escapes."""
    assert isinstance(err, UnicodeEncodeError)
    return "".join(f"\\U+{ord(c):04X}" for c in err.object[err.start : err.end]), err.end


codecs.register_error("yuefang_dxf", _dxf_backslash)


class _R12:
    """A minimal DXF R12 (AC1009) group-code writer: POLYLINE, LINE, POINT, TEXT, BLOCK, INSERT.

    ezdxf writes the same file about twenty times slower (it builds a full document model);
    the tests read every file this writes back with ezdxf and with an independent parser.
    """

    def __init__(self) -> None:
        self.out: list[str] = []

    def tag(self, code: int, value: object) -> None:
        self.out.append(f"{code:>3}\n{value}\n")

    def _f(self, v: float) -> str:
        return f"{v:.6f}".rstrip("0").rstrip(".") or "0"

    def xy(self, x: float, y: float, base: int = 10) -> None:
        self.out.append(f"{base:>3}\n{self._f(x)}\n{base + 10:>3}\n{self._f(y)}\n{base + 20:>3}\n0.0\n")

    def xdata(self, payload: dict[str, object] | None) -> None:
        if not payload:
            return
        text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
        self.tag(1001, APPID)
        for i in range(0, len(text), 250):
            self.tag(1000, text[i : i + 250])

    def polyline(
        self, pts: Sequence[Pt], layer: str, *, closed: bool, xdata: dict[str, object] | None = None
    ) -> None:
        self.tag(0, "POLYLINE")
        self.tag(8, layer)
        self.tag(66, 1)
        self.xy(0.0, 0.0)
        self.tag(70, 1 if closed else 0)
        self.xdata(xdata)
        for x, y in pts:
            self.out.append(f"  0\nVERTEX\n  8\n{layer}\n")
            self.xy(x, y)
        self.tag(0, "SEQEND")
        self.tag(8, layer)

    def line(self, a: Pt, b: Pt, layer: str, xdata: dict[str, object] | None = None) -> None:
        self.tag(0, "LINE")
        self.tag(8, layer)
        self.xy(*a)
        self.xy(*b, base=11)
        self.xdata(xdata)

    def point(self, p: Pt, layer: str, xdata: dict[str, object] | None = None) -> None:
        self.out.append(f"  0\nPOINT\n  8\n{layer}\n")
        self.xy(*p)
        self.xdata(xdata)

    def text(self, p: Pt, height: float, text: str, layer: str) -> None:
        self.tag(0, "TEXT")
        self.tag(8, layer)
        self.xy(*p)
        self.tag(40, self._f(height))
        self.tag(1, _esc(text))

    def getvalue(self) -> str:
        return "".join(self.out)


def _piece_block(w: _R12, piece: Piece, name: str, pattern: Pattern) -> None:
    w.tag(0, "BLOCK")
    w.tag(8, "0")
    w.tag(2, name)
    w.tag(70, 0)
    w.xy(0.0, 0.0)
    w.tag(3, name)
    w.polyline(
        piece.cut,
        "1",
        closed=True,
        xdata={
            "name": piece.name,
            "mirrored_pair": piece.mirrored_pair,
            "cut_on_fold": piece.cut_on_fold,
            "allowed_rotations_deg": list(piece.allowed_rotations_deg),
            "seam_allowance_mm": piece.seam_allowance_mm,
        },
    )
    turns = _turns(piece)
    for i, p in enumerate(piece.cut):
        w.point(p, "2" if i in turns else "3")
    for n in piece.notches:
        a = math.radians(n.angle_deg)
        end = (n.x + NOTCH_MM * math.cos(a), n.y + NOTCH_MM * math.sin(a))
        w.line((n.x, n.y), end, "4", {"name": n.name} if n.name else None)
    if piece.fold_line is not None:
        w.line(*piece.fold_line, "6")
    w.line(*piece.grain, "7")
    for ln in piece.lines:
        w.polyline(
            ln.points,
            "6" if ln.kind == "mirror" else "8",
            closed=False,
            xdata={"kind": ln.kind, "name": ln.name},
        )
    for d in piece.drill_holes:
        w.point((d.x, d.y), "13", {"name": d.name} if d.name else None)
    if piece.sew is not None:
        w.polyline(piece.sew, "14", closed=True)
    xs = [p[0] for p in piece.cut]
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
    if max(xs) - min(xs) <= 60:
        gx = min(xs)
    for i, t in enumerate(texts):
        w.text((gx + 10.0, gy + 2.5 * TEXT_HEIGHT_MM - i * 1.6 * TEXT_HEIGHT_MM), TEXT_HEIGHT_MM, t, "15")
    w.tag(0, "ENDBLK")
    w.tag(8, "0")


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
    placed, width, height = layout(pattern.pieces, gap_mm=50.0)
    w = _R12()
    # header
    w.tag(0, "SECTION")
    w.tag(2, "HEADER")
    w.tag(9, "$ACADVER")
    w.tag(1, "AC1009")
    w.tag(9, "$DWGCODEPAGE")
    w.tag(3, CODEPAGE)
    w.tag(9, "$INSBASE")
    w.xy(0.0, 0.0)
    w.tag(9, "$EXTMIN")
    w.xy(0.0, 0.0)
    w.tag(9, "$EXTMAX")
    w.xy(width, height + 100.0)
    w.tag(0, "ENDSEC")
    # tables: line type, the AAMA layers, text style, the XDATA application
    w.tag(0, "SECTION")
    w.tag(2, "TABLES")
    w.tag(0, "TABLE")
    w.tag(2, "LTYPE")
    w.tag(70, 1)
    for code, value in (
        (0, "LTYPE"),
        (2, "CONTINUOUS"),
        (70, 0),
        (3, "Solid line"),
        (72, 65),
        (73, 0),
        (40, "0.0"),
    ):
        w.tag(code, value)
    w.tag(0, "ENDTAB")
    w.tag(0, "TABLE")
    w.tag(2, "LAYER")
    w.tag(70, len(AAMA_LAYERS) + 1)
    for layer in ("0", *AAMA_LAYERS):
        for code, value in ((0, "LAYER"), (2, layer), (70, 0), (62, 7), (6, "CONTINUOUS")):
            w.tag(code, value)
    w.tag(0, "ENDTAB")
    w.tag(0, "TABLE")
    w.tag(2, "STYLE")
    w.tag(70, 1)
    for code, value in (
        (0, "STYLE"),
        (2, "STANDARD"),
        (70, 0),
        (40, "0.0"),
        (41, "1.0"),
        (50, "0.0"),
        (71, 0),
        (42, "2.5"),
        (3, "txt"),
        (4, ""),
    ):
        w.tag(code, value)
    w.tag(0, "ENDTAB")
    w.tag(0, "TABLE")
    w.tag(2, "APPID")
    w.tag(70, 2)
    for app in ("ACAD", APPID):
        w.tag(0, "APPID")
        w.tag(2, app)
        w.tag(70, 0)
    w.tag(0, "ENDTAB")
    w.tag(0, "ENDSEC")
    # blocks: one per piece
    w.tag(0, "SECTION")
    w.tag(2, "BLOCKS")
    taken: set[str] = set()
    names = []
    for pl in placed:
        name = block_name(pl.piece, taken)
        names.append(name)
        _piece_block(w, pl.piece, name, pattern)
    w.tag(0, "ENDSEC")
    # entities: the style text and one INSERT per piece
    w.tag(0, "SECTION")
    w.tag(2, "ENTITIES")
    size = pattern.size or pattern.order_line or "MTM"
    style = [f"Style Name: {pattern.product}", f"Sample Size: {size}", "Units: METRIC", "Author: yuefang"]
    for i, text in enumerate(style):
        w.text((0.0, height + 80.0 - i * 16.0), TEXT_HEIGHT_MM * 2, text, "1")
    for pl, name in zip(placed, names, strict=True):
        w.tag(0, "INSERT")
        w.tag(8, "1")
        w.tag(2, name)
        w.xy(pl.dx, pl.dy)
    w.tag(0, "ENDSEC")
    w.tag(0, "EOF")
    return w.getvalue().encode("gbk", errors="yuefang_dxf")
