"""Grading: one garment drafted over a GB/T 1335 size range, shown as a graded stack (nest).

Each size is drafted from the body of its designation (``yuefang.measure.body_for_designation``),
so the grade comes from the drafting system and the body tables rather than from grade rules.
The stack puts every size's cut line of a piece on top of the others, one colour per size, as
pattern makers draw a nest, on one SVG sheet at 1:1 in mm.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from yuefang.pattern.export._sheet import Item, layout
from yuefang.pattern.export.svg import FONT, _f, items_to_svg
from yuefang.pattern.model import Pattern, Piece, Pt

__all__ = ["graded_patterns", "graded_stack_svg", "stack_svg", "BOTTOM_PRODUCTS"]

#: products whose size label carries the waist girth (下装: 170/74A) rather than the chest
BOTTOM_PRODUCTS = frozenset({"trousers", "skirt"})

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)


def graded_patterns(
    product_id: str,
    labels: Sequence[str],
    sex: str,
    options: Mapping[str, Any] | None = None,
) -> list[Pattern]:
    """Draft ``product_id`` for the body of every size label (GB/T 1335, e.g. ``"170/88A"``).

    Raises
    ------
    ValueError
        An unknown product, a product that is not a garment, or a label the measure package
        refuses (the error names the label).
    """
    from yuefang.measure import body_for_designation
    from yuefang.pattern.products import get_product

    product = get_product(product_id)
    if getattr(product, "kind", "garment") != "garment":
        raise ValueError(
            f"product: {product_id!r} is not allowed; allowed: a garment (home textiles are not graded)"
        )
    if not labels:
        raise ValueError("labels: [] is not allowed; allowed: one or more GB/T 1335 size labels")
    part = "bottom" if product_id in BOTTOM_PRODUCTS else "top"
    out = []
    for label in labels:
        body = body_for_designation(label, sex, part=part)
        out.append(product.draft(body, options, size=label))
    return out


def _anchor(piece: Piece, align: str) -> Pt:
    if align == "origin":
        return (0.0, 0.0)
    if align == "grain":
        (ax, ay), (bx, by) = piece.grain
        return ((ax + bx) / 2, (ay + by) / 2)
    xs = [p[0] for p in piece.cut]
    ys = [p[1] for p in piece.cut]
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


def stack_svg(
    patterns: Sequence[Pattern],
    *,
    align: Literal["origin", "grain", "centre"] = "origin",
    preview_px: int | None = None,
) -> str:
    """The graded stack of already drafted patterns (one per size) as an SVG at 1:1 in mm.

    Parameters
    ----------
    patterns : sequence of Pattern
        The same product drafted for several sizes, smallest first.
    align : {"origin", "grain", "centre"}
        How the sizes of a piece are put on top of each other: on the piece frame's origin (the
        drafting system's reference point, the default), on the grain line's midpoint, or on
        the bounding box's centre.
    preview_px : int, optional
        Size the picture in screen pixels with hairline strokes (for the docs).
    """
    if not patterns:
        raise ValueError("patterns: [] is not allowed; allowed: one or more patterns")
    names = list(dict.fromkeys(p.name for pat in patterns for p in pat.pieces))
    # per piece name: each size's piece moved so that its anchor is at the origin
    shifted: dict[str, list[tuple[int, Piece, Pt]]] = {n: [] for n in names}
    for i, pat in enumerate(patterns):
        for piece in pat.pieces:
            ax, ay = _anchor(piece, align)
            shifted[piece.name].append((i, piece, (-ax, -ay)))
    boxes = []
    for n in names:
        xs = [x + d[0] for _, pc, d in shifted[n] for x, _ in pc.cut]
        ys = [y + d[1] for _, pc, d in shifted[n] for _, y in pc.cut]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        boxes.append(
            Piece(name=n, label=n, cut=((x0, y0), (x1, y0), (x1, y1), (x0, y1)), grain=((x0, y0), (x0, y1)))
        )
    margin, head = 20.0, 50.0
    placed, w, h = layout(boxes, gap_mm=40.0, origin=(margin, margin))
    width, height = w + 2 * margin, h + 2 * margin + head
    items: list[tuple[str, Item]] = []
    middle = len(patterns) // 2
    for pl in placed:
        group = shifted[pl.piece.name]
        for i, pc, (sx, sy) in group:
            colour = PALETTE[i % len(PALETTE)]
            pts = tuple((x + sx + pl.dx, y + sy + pl.dy) for x, y in pc.cut)
            items.append((colour, Item("path", "cut", pts, closed=True)))
            for notch in pc.notches:
                items.append(
                    (colour, Item("circle", "drill", ((notch.x + sx + pl.dx, notch.y + sy + pl.dy),), radius=1.2))
                )
            if i == middle:
                g = tuple((x + sx + pl.dx, y + sy + pl.dy) for x, y in pc.grain)
                items.append(("#1b7f3b", Item("path", "grain", g)))
        label = (
            next(pc.label for i, pc, _ in group if i == middle)
            if any(i == middle for i, _, _ in group)
            else pl.piece.name
        )
        cx = pl.dx + (pl.piece.cut[0][0] + pl.piece.cut[1][0]) / 2
        cy = pl.dy + (pl.piece.cut[0][1] + pl.piece.cut[2][1]) / 2
        items.append(("#000000", Item("text", "text", ((cx, cy),), text=label, size_mm=8.0)))
    parts = []
    for colour, it in items:
        parts.extend(items_to_svg([it], height, colour=colour))
    product = patterns[0].product
    sizes = [p.size or f"#{i + 1}" for i, p in enumerate(patterns)]
    legend = [
        f'<text x="{_f(margin)}" y="{_f(margin + 12)}" font-size="12">yuefang 粤纺 · {product} · '
        f"graded stack 推档 · {len(sizes)} sizes · 1:1 mm</text>"
    ]
    x = margin
    for i, s in enumerate(sizes):
        colour = PALETTE[i % len(PALETTE)]
        legend.append(
            f'<rect x="{_f(x)}" y="{_f(margin + 22)}" width="12" height="6" fill="{colour}"/>'
            f'<text x="{_f(x + 15)}" y="{_f(margin + 28)}" font-size="8" fill="{colour}">{s}</text>'
        )
        x += 20 + 6 * len(s)
    if preview_px:
        size = f'width="{preview_px}" height="{round(preview_px * height / width)}"'
        style = "<style>polygon,polyline,circle{vector-effect:non-scaling-stroke;stroke-width:1px}</style>"
    else:
        size = f'width="{_f(width)}mm" height="{_f(height)}mm"'
        style = ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 {_f(width)} {_f(height)}" '
        f'font-family="{FONT}">\n<title>{product} graded stack</title>\n{style}\n'
        f'<rect x="0" y="0" width="{_f(width)}" height="{_f(height)}" fill="#ffffff"/>\n'
        + "\n".join(legend + parts)
        + "\n</svg>\n"
    )


def graded_stack_svg(
    product_id: str,
    labels: Sequence[str],
    sex: str,
    options: Mapping[str, Any] | None = None,
    *,
    align: Literal["origin", "grain", "centre"] = "origin",
    preview_px: int | None = None,
) -> str:
    """Draft ``product_id`` over the size labels and return the graded stack SVG (1:1, mm).

    Parameters
    ----------
    product_id : str
        A garment of the registry (``"shirt"``, ...).
    labels : sequence of str
        GB/T 1335 size labels, e.g. ``yuefang.measure.size_range("male")``.
    sex : str
        ``"male"`` or ``"female"``, as the measure package takes it.
    options : mapping, optional
        Style options, the same for every size.
    align, preview_px
        See :func:`stack_svg`.
    """
    return stack_svg(graded_patterns(product_id, labels, sex, options), align=align, preview_px=preview_px)
