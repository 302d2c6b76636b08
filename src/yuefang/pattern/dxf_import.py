"""Read a piece set back from DXF-AAMA (ASTM D6673), so enterprises can bring their own patterns.

What is read, per block (one block per piece, see :mod:`yuefang.pattern.export.dxf_aama`):
layer 1 the cut line (closed POLYLINE or LWPOLYLINE, arcs flattened, or LINEs chained into a ring; the largest
ring wins), 2 turn points, 4 notches (LINE or POINT), 6 mirror line (a fold line on the boundary
makes the piece cut on the fold), 7 grain line, 8 and 11 internal lines, 13 drill holes (POINT or
CIRCLE), 14 sew line, 15 (or 1) annotation text ``Piece Name:``, ``Size:``, ``Quantity:``,
``Annotation:``; the style's ``Style Name:``, ``Sample Size:`` and ``Units:`` (ENGLISH files are
converted from inches to mm). The text encoding comes from ``$DWGCODEPAGE``; ``\\U+XXXX``
escapes are decoded. yuefang's own XDATA (``YUEFANG``) restores line kinds and mirrored pairs.

The result is a :class:`~yuefang.pattern.model.Pattern` whose report lists what had to be
guessed (``warnings``) and the geometric self-checks.

Examples
--------
>>> from yuefang.pattern.model import Pattern, Piece
>>> from yuefang.pattern.export import to_dxf_aama
>>> sq = Piece(name="p", label="P 片", cut=((0, 0), (100, 0), (100, 50), (0, 50)), grain=((50, 10), (50, 40)))
>>> back = read_dxf_aama(to_dxf_aama(Pattern(product="demo", pieces=(sq,))))
>>> back.product, back.pieces[0].label, back.pieces[0].cut == sq.cut
('demo', 'P 片', True)
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable
from typing import Any, Literal, TypeGuard, get_args

from ezdxf import recover
from ezdxf.path import make_path
from shapely.geometry import Point, Polygon

from yuefang.pattern.errors import InputError
from yuefang.pattern.model import DrillHole, Line, Notch, Pattern, Piece, Pt

__all__ = ["read_dxf_aama"]

APPID = "YUEFANG"
INCH_MM = 25.4
_LineKind = Literal["fold", "mirror", "internal", "dart", "buttonhole", "button", "placement"]  # = Line.kind
_LINE_KINDS: frozenset[str] = frozenset(get_args(_LineKind))


def _is_line_kind(value: object) -> TypeGuard[_LineKind]:
    """Whether ``value`` is one of the kinds a :class:`Line` allows."""
    return value in _LINE_KINDS


def _xdata(entity: Any) -> dict[str, Any]:
    try:
        if not entity.has_xdata(APPID):
            return {}
        text = "".join(str(v) for code, v in entity.get_xdata(APPID) if code == 1000)
        out = json.loads(text)
        return out if isinstance(out, dict) else {}
    except (ValueError, AttributeError):
        return {}


def _vertices(entity: Any) -> list[Pt]:
    kind = entity.dxftype()
    if kind in ("POLYLINE", "LWPOLYLINE") and _has_bulge(entity):
        # arcs (bulges) flattened to within 0.05 drawing units
        pts = [(float(v.x), float(v.y)) for v in make_path(entity).flattening(0.05)]
        if len(pts) > 1 and math.dist(pts[0], pts[-1]) < 1e-9:
            pts.pop()
        return pts
    if kind == "POLYLINE":
        return [(float(v.dxf.location[0]), float(v.dxf.location[1])) for v in entity.vertices]
    if kind == "LWPOLYLINE":
        return [(float(x), float(y)) for x, y, *_ in entity.get_points()]
    if kind == "LINE":
        return [
            (float(entity.dxf.start[0]), float(entity.dxf.start[1])),
            (float(entity.dxf.end[0]), float(entity.dxf.end[1])),
        ]
    return []


def _has_bulge(entity: Any) -> bool:
    if entity.dxftype() == "LWPOLYLINE":
        return any(abs(b) > 1e-12 for *_, b in entity.get_points("xyb"))
    return any(abs(v.dxf.get("bulge", 0.0)) > 1e-12 for v in entity.vertices)


def _is_closed(entity: Any, pts: list[Pt]) -> bool:
    if entity.dxftype() == "POLYLINE":
        closed = bool(entity.is_closed)
    elif entity.dxftype() == "LWPOLYLINE":
        closed = bool(entity.closed)
    else:
        closed = False
    return closed or (len(pts) > 3 and math.dist(pts[0], pts[-1]) < 1e-6)


def _chain(segments: list[list[Pt]], tol: float = 0.01) -> list[list[Pt]]:
    """Join open polylines end to end into closed rings (for boundaries drawn as LINEs)."""
    rings: list[list[Pt]] = []
    todo = [list(s) for s in segments if len(s) >= 2]
    while todo:
        ring = todo.pop(0)
        grown = True
        while grown and math.dist(ring[0], ring[-1]) > tol:
            grown = False
            for i, s in enumerate(todo):
                if math.dist(ring[-1], s[0]) <= tol:
                    ring += s[1:]
                elif math.dist(ring[-1], s[-1]) <= tol:
                    ring += s[-2::-1]
                else:
                    continue
                todo.pop(i)
                grown = True
                break
        if len(ring) > 3 and math.dist(ring[0], ring[-1]) <= tol:
            rings.append(ring[:-1])
    return rings


def _clean(pts: Iterable[Pt], k: float) -> list[Pt]:
    out: list[Pt] = []
    for x, y in pts:
        p = (round(x * k, 6), round(y * k, 6))
        if not out or math.dist(out[-1], p) > 1e-6:
            out.append(p)
    if len(out) > 1 and math.dist(out[0], out[-1]) <= 1e-6:
        out.pop()
    return out


def _texts(entities: Iterable[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in entities:
        if e.dxftype() in ("TEXT", "MTEXT"):
            raw = e.dxf.text if e.dxftype() == "TEXT" else e.text
            key, sep, value = str(raw).partition(":")
            if sep:
                out.setdefault(key.strip().lower(), value.strip())
    return out


def _piece(block: Any, k: float, warnings: list[str], taken: set[str]) -> Piece | None:
    entities = list(block)
    by_layer: dict[str, list[Any]] = {}
    for e in entities:
        by_layer.setdefault(str(e.dxf.layer), []).append(e)
    # boundary: the largest closed ring on layer 1
    rings: list[tuple[list[Pt], dict[str, Any]]] = []
    open_parts: list[list[Pt]] = []
    for e in by_layer.get("1", []):
        pts = _vertices(e)
        if not pts:
            continue
        if _is_closed(e, pts):
            rings.append((_clean(pts, k), _xdata(e)))
        else:
            open_parts.append(_clean(pts, k))
    rings += [(r, {}) for r in _chain(open_parts)]
    rings = [(r, x) for r, x in rings if len(r) >= 3]
    if not rings:
        return None
    cut, meta = max(rings, key=lambda rx: Polygon(rx[0]).area)
    poly = Polygon(cut)
    if not poly.is_valid or poly.area <= 0:
        warnings.append(f"block {block.name}: boundary is not a valid simple polygon")
        return None
    if not poly.exterior.is_ccw:
        cut = cut[::-1]
        poly = Polygon(cut)
    ring = poly.exterior
    texts = _texts(entities)
    name = str(meta.get("name") or texts.get("piece name") or block.name)
    base, i = name, 1
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    taken.add(name)
    # turn points: layer-2 points matched to boundary vertices
    turn_pts = [
        _clean([(e.dxf.location[0], e.dxf.location[1])], k)[0]
        for e in by_layer.get("2", [])
        if e.dxftype() == "POINT"
    ]
    turn_points = tuple(sorted(i for i, p in enumerate(cut) if any(math.dist(p, q) < 0.01 for q in turn_pts)))
    sew = None
    sew_rings = [_clean(_vertices(e), k) for e in by_layer.get("14", []) if _vertices(e)]
    sew_rings = [r for r in sew_rings if len(r) >= 3]
    if sew_rings:
        s = max(sew_rings, key=lambda r: Polygon(r).area)
        sew = tuple(s if Polygon(s).exterior.is_ccw else s[::-1])
    grain: tuple[Pt, Pt] | None = None
    for e in by_layer.get("7", []):
        pts = _clean(_vertices(e), k)
        if len(pts) >= 2:
            grain = (pts[0], pts[-1])
            break
    if grain is None:
        x0, y0, x1, y1 = poly.bounds
        c = poly.representative_point()
        grain = ((c.x, c.y - (y1 - y0) / 4), (c.x, c.y + (y1 - y0) / 4))
        warnings.append(f"piece {name}: no grain line (layer 7); assumed vertical")
    notches: list[Notch] = []
    for e in by_layer.get("4", []):
        x = _xdata(e)
        if e.dxftype() == "POINT":
            p = _clean([(e.dxf.location[0], e.dxf.location[1])], k)[0]
            d = ring.project(Point(p))
            a, b = ring.interpolate(max(0.0, d - 1.0)), ring.interpolate(d + 1.0)
            angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x)) + 90.0  # left normal of a CCW ring: inward
            notches.append(Notch(x=p[0], y=p[1], angle_deg=round(angle, 3), name=str(x.get("name", ""))))
        else:
            pts = _clean(_vertices(e), k)
            if len(pts) < 2:
                continue
            p, q = pts[0], pts[-1]
            if ring.distance(Point(q)) < ring.distance(Point(p)):
                p, q = q, p
            angle = math.degrees(math.atan2(q[1] - p[1], q[0] - p[0]))
            notches.append(Notch(x=p[0], y=p[1], angle_deg=round(angle, 3), name=str(x.get("name", ""))))
    lines: list[Line] = []
    fold_line: tuple[Pt, Pt] | None = None
    for e in by_layer.get("6", []):
        pts = _clean(_vertices(e), k)
        if len(pts) < 2:
            continue
        x = _xdata(e)
        on_edge = all(ring.distance(Point(p)) < 0.5 for p in pts)
        if on_edge and fold_line is None and x.get("kind") in (None, "mirror") and not x.get("name"):
            fold_line = (pts[0], pts[-1])
        else:
            lines.append(Line(kind="mirror", points=tuple(pts), name=str(x.get("name", ""))))
    for layer in ("8", "11"):
        for e in by_layer.get(layer, []):
            pts = _clean(_vertices(e), k)
            if len(pts) < 2:
                continue
            x = _xdata(e)
            raw_kind = x.get("kind")
            kind: _LineKind = raw_kind if _is_line_kind(raw_kind) else "internal"
            lines.append(Line(kind=kind, points=tuple(pts), name=str(x.get("name", ""))))
    holes: list[DrillHole] = []
    for e in by_layer.get("13", []):
        if e.dxftype() in ("POINT", "CIRCLE"):
            loc = e.dxf.location if e.dxftype() == "POINT" else e.dxf.center
            p = _clean([(loc[0], loc[1])], k)[0]
            holes.append(DrillHole(x=p[0], y=p[1], name=str(_xdata(e).get("name", ""))))
    try:
        quantity = max(1, int(float(texts.get("quantity", "1"))))
    except ValueError:
        quantity = 1
        warnings.append(f"piece {name}: unreadable Quantity {texts.get('quantity')!r}; assumed 1")
    mirrored = bool(meta.get("mirrored_pair", False)) and quantity % 2 == 0
    cut_on_fold = (
        fold_line is not None
        if "cut_on_fold" not in meta
        else bool(meta["cut_on_fold"]) and fold_line is not None
    )
    rotations = tuple(float(r) for r in meta.get("allowed_rotations_deg", (0.0, 180.0)))
    sa = meta.get("seam_allowance_mm")
    return Piece(
        name=name,
        label=texts.get("annotation") or texts.get("category") or name,
        cut=tuple(cut),
        sew=sew,
        turn_points=turn_points,
        grain=grain,
        allowed_rotations_deg=rotations,
        quantity=quantity,
        mirrored_pair=mirrored,
        cut_on_fold=cut_on_fold,
        fold_line=fold_line,
        notches=tuple(notches),
        drill_holes=tuple(holes),
        lines=tuple(lines),
        seam_allowance_mm=float(sa) * k if isinstance(sa, (int, float)) else None,
    )


def read_dxf_aama(data: bytes) -> Pattern:
    """The piece set of a DXF-AAMA file, in mm.

    Parameters
    ----------
    data : bytes
        The file's bytes (any DXF version ezdxf reads; the encoding follows ``$DWGCODEPAGE``).

    Returns
    -------
    Pattern
        One piece per block that has a closed boundary on layer 1; ``product`` is the style
        name, ``size`` the sample size; ``report["warnings"]`` lists what was assumed.

    Raises
    ------
    InputError
        When the bytes are not DXF, or no block holds a piece boundary.
    """
    try:
        doc, _auditor = recover.read(io.BytesIO(data))
    except Exception as exc:  # ezdxf raises several kinds for broken files
        raise InputError(
            "dxf", f"{len(data)} bytes", f"a DXF-AAMA file ({exc.__class__.__name__}: {exc})"
        ) from None
    msp = doc.modelspace()
    style = _texts(msp)
    for blk in doc.blocks:
        for key, value in _texts(blk).items():
            if key in ("style name", "sample size", "units"):
                style.setdefault(key, value)
    k = INCH_MM if style.get("units", "").upper().startswith("ENGLISH") else 1.0
    inserted = [e.dxf.name for e in msp if e.dxftype() == "INSERT"]
    names = list(dict.fromkeys(inserted)) or [b.name for b in doc.blocks if not b.name.startswith("*")]
    warnings: list[str] = []
    taken: set[str] = set()
    pieces = []
    for name in names:
        if name not in doc.blocks:
            continue
        p = _piece(doc.blocks[name], k, warnings, taken)
        if p is not None:
            pieces.append(p)
    if not pieces:
        raise InputError("dxf", "no pieces", "blocks with a closed boundary on layer 1 (DXF-AAMA)")
    from yuefang.pattern.home._common import self_checks

    checks = self_checks(pieces)
    sizes = {t.get("size") for t in (_texts(doc.blocks[n]) for n in names if n in doc.blocks)} - {
        None,
        "",
        "MTM",
    }
    size = style.get("sample size") or (sizes.pop() if len(sizes) == 1 else None)
    if size == "MTM":
        size = None
    return Pattern(
        product=style.get("style name") or "imported",
        size=size,
        pieces=tuple(pieces),
        report={
            "ok": all(c["ok"] for c in checks),
            "source": "DXF-AAMA",
            "units_in_file": "inch" if k != 1.0 else "mm",
            "warnings": warnings,
            "checks": checks,
        },
    )
