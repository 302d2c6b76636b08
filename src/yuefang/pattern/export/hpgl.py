"""``pattern.plt``: HP-GL for pen plotters and cutters.

Plotter units of 0.025 mm (40 per mm, the HP-GL default). Pen 1 draws the cut line (a cutter
maps it to the knife), pen 2 everything else: sew lines (dashed, ``LT2``), grain lines, notches,
internal lines, drill holes (``CI``) and labels (``LB``; HP-GL's character set is ASCII, so the
Chinese part of a label is left out). The pieces are laid out as in ``pattern.svg``.

Examples
--------
>>> from yuefang.pattern.model import Pattern, Piece
>>> sq = Piece(name="p", label="P", cut=((0, 0), (100, 0), (100, 50), (0, 50)), grain=((50, 10), (50, 40)))
>>> plt = to_hpgl(Pattern(product="demo", pieces=(sq,)))
>>> plt.startswith("IN;") and "SP1;" in plt and plt.rstrip().endswith("SP0;")
True
"""

from __future__ import annotations

from collections.abc import Sequence

from yuefang.pattern.export._sheet import Item, Sheet, build_sheet
from yuefang.pattern.model import Pattern, Pt

__all__ = ["to_hpgl", "hpgl_path", "UNITS_PER_MM"]

UNITS_PER_MM = 40


def _u(v: float) -> int:
    return round(v * UNITS_PER_MM)


def _ascii(text: str) -> str:
    out = "".join(c for c in text if 32 <= ord(c) < 127 and c != ";").replace("\x03", "")
    return " ".join(out.split())


def hpgl_path(points: Sequence[Pt], closed: bool = False) -> str:
    """A polyline (mm) as HP-GL: pen up to the first point, pen down through the others.

    Parameters
    ----------
    points : sequence of (x, y)
        Vertices in mm; plotter units are 0.025 mm (:data:`UNITS_PER_MM`).
    closed : bool
        Draw back to the first point at the end.

    Examples
    --------
    >>> hpgl_path(((0.0, 0.0), (10.0, 0.0), (10.0, 10.0)), closed=True)
    'PU0,0;PD400,0,400,400,0,0;'
    """
    pts = list(points) + ([points[0]] if closed else [])
    (x0, y0), rest = pts[0], pts[1:]
    coords = ",".join(f"{_u(x)},{_u(y)}" for x, y in rest)
    return f"PU{_u(x0)},{_u(y0)};PD{coords};"


def _path(it: Item) -> str:
    return hpgl_path(it.points, it.closed)


def to_hpgl(pattern: Pattern, *, sheet: Sheet | None = None) -> str:
    """``pattern.plt``: the pattern as HP-GL (plotter units 0.025 mm, ASCII labels).

    Parameters
    ----------
    pattern : Pattern
        The drafted pattern (mm).
    sheet : Sheet, optional
        The pattern already laid out by ``build_sheet`` (``export_all`` lays it out once).

    Returns
    -------
    str
        The HP-GL program (ASCII); the 10 cm test square is drawn too, to check the plotter's scale.
    """
    sheet = sheet or build_sheet(pattern)
    cut = [it for it in sheet.items if it.kind == "path" and it.style == "cut"]
    marks = [it for it in sheet.items if not (it.kind == "path" and it.style == "cut")]
    out = ["IN;", "DF;", "SP2;"]
    dashed = False
    for it in marks:
        if it.kind == "text":
            text = _ascii(it.text)
            if not text:
                continue
            h_cm = max(0.2, it.size_mm / 10.0)
            w = len(text) * h_cm * 10.0 * 0.75
            (x, y) = it.points[0]
            x0 = x - w / 2 if it.anchor == "middle" else x
            out.append(f"SI{h_cm * 0.6:.2f},{h_cm:.2f};PU{_u(x0)},{_u(y)};LB{text}\x03")
            continue
        want_dash = it.style in ("sew", "fold", "mirror", "internal")
        if want_dash != dashed:
            out.append("LT2,1;" if want_dash else "LT;")
            dashed = want_dash
        if it.kind == "circle":
            (x, y) = it.points[0]
            out.append(f"PU{_u(x)},{_u(y)};CI{_u(it.radius)};")
        else:
            out.append(_path(it))
    if dashed:
        out.append("LT;")
    out.append("SP1;")
    out.extend(_path(it) for it in cut)
    out.append("PU0,0;SP0;")
    return "\n".join(out) + "\n"
