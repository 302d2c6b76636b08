"""``pattern.svg``: every piece at 1:1 in millimetres, with its markings and label.

The SVG's user unit is the millimetre (``viewBox`` in mm, ``width``/``height`` in mm), so a
browser or Inkscape prints it at full size. The pieces' frame has y up; the SVG's has y down, so
every y is written as ``sheet height - y``.

Examples
--------
>>> from yuefang.pattern.model import Pattern, Piece
>>> sq = Piece(name="p", label="P", cut=((0, 0), (100, 0), (100, 50), (0, 50)), grain=((50, 10), (50, 40)))
>>> svg = to_svg(Pattern(product="demo", pieces=(sq,)))
>>> svg.startswith("<svg") and 'viewBox="0 0 ' in svg and "mm" in svg
True
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from yuefang.pattern.export._sheet import STYLES, Item, Sheet, build_sheet
from yuefang.pattern.model import Pattern

__all__ = ["to_svg", "sheet_to_svg", "items_to_svg"]

FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"


def _f(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def items_to_svg(items: list[Item], height: float, *, colour: str | None = None) -> list[str]:
    """SVG elements of the primitives (y flipped against ``height``)."""
    out: list[str] = []
    for it in items:
        width, dash, stroke = STYLES.get(it.style, STYLES["internal"])
        stroke = colour or stroke
        if it.kind == "text":
            (x, y) = it.points[0]
            out.append(
                f'<text x="{_f(x)}" y="{_f(height - y)}" font-size="{_f(it.size_mm)}" '
                f'text-anchor="{it.anchor}" fill="{stroke}">{escape(it.text)}</text>'
            )
            continue
        attrs = f'stroke="{stroke}" stroke-width="{_f(width)}"'
        if dash:
            attrs += f' stroke-dasharray="{" ".join(_f(d) for d in dash)}"'
        if it.kind == "circle":
            (x, y) = it.points[0]
            out.append(
                f'<circle cx="{_f(x)}" cy="{_f(height - y)}" r="{_f(it.radius)}" fill="none" {attrs}/>'
            )
            continue
        pts = " ".join(f"{_f(x)},{_f(height - y)}" for x, y in it.points)
        tag = "polygon" if it.closed else "polyline"
        out.append(f'<{tag} points="{pts}" fill="none" {attrs} class="{it.style}"/>')
    return out


def sheet_to_svg(sheet: Sheet, *, scale: float = 1.0, preview_px: int | None = None) -> str:
    """The SVG document of a laid-out sheet.

    ``scale`` shrinks or enlarges its printed size; ``preview_px`` instead sizes it in screen
    pixels (that wide) with hairline strokes, for pictures in the docs.
    """
    w, h = sheet.width_mm, sheet.height_mm
    body = "\n".join(items_to_svg(sheet.items, h))
    if preview_px:
        size = f'width="{preview_px}" height="{round(preview_px * h / w)}"'
        style = "<style>polygon,polyline,circle{vector-effect:non-scaling-stroke;stroke-width:1px}</style>\n"
    else:
        size = f'width="{_f(w * scale)}mm" height="{_f(h * scale)}mm"'
        style = ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} '
        f'viewBox="0 0 {_f(w)} {_f(h)}" font-family="{FONT}">\n'
        f"<title>{escape(sheet.title)}</title>\n{style}"
        f'<rect x="0" y="0" width="{_f(w)}" height="{_f(h)}" fill="#ffffff"/>\n'
        f"{body}\n</svg>\n"
    )


def to_svg(pattern: Pattern, *, scale: float = 1.0, preview_px: int | None = None) -> str:
    """``pattern.svg``: the pattern at 1:1 in mm (``scale`` != 1 prints it smaller or larger).

    Parameters
    ----------
    pattern : Pattern
        The drafted pattern.
    scale : float
        Printed size factor: the SVG's width and height in mm are the sheet's times ``scale``;
        coordinates stay in mm.
    preview_px : int, optional
        Size the picture in screen pixels (this wide) with hairline strokes instead (docs).

    Returns
    -------
    str
        The SVG document (UTF-8 text).
    """
    if scale <= 0:
        raise ValueError(f"scale: {scale!r} is not allowed; allowed: a number > 0")
    return sheet_to_svg(build_sheet(pattern), scale=scale, preview_px=preview_px)
