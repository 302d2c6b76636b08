"""A pattern laid out on one sheet as drawing primitives, shared by the SVG, PDF and HPGL writers.

The sheet's frame is the pieces' frame: millimetres, x to the right, y up, origin at the lower
left corner of the sheet. Pieces are placed in rows (shelf packing, tallest first) with a gap
between them; every primitive carries a style name that each writer maps to its own pens.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.ops import polylabel, unary_union

from yuefang.pattern.model import Pattern, Piece, Pt

__all__ = ["Item", "Placed", "Sheet", "build_sheet", "layout", "piece_items", "piece_text", "STYLES"]

#: style -> (stroke width mm, dash pattern mm or None, colour)
STYLES: dict[str, tuple[float, tuple[float, ...] | None, str]] = {
    "cut": (0.5, None, "#000000"),
    "sew": (0.25, (4.0, 2.0), "#1f5fbf"),
    "fold": (0.3, (8.0, 2.0, 1.0, 2.0), "#7a3db8"),
    "mirror": (0.4, (8.0, 2.0, 1.0, 2.0), "#7a3db8"),
    "internal": (0.3, (2.0, 2.0), "#555555"),
    "placement": (0.3, None, "#b85c00"),
    "dart": (0.3, None, "#000000"),
    "buttonhole": (0.4, None, "#c0392b"),
    "button": (0.4, None, "#c0392b"),
    "grain": (0.35, None, "#1b7f3b"),
    "notch": (0.5, None, "#000000"),
    "drill": (0.3, None, "#000000"),
    "frame": (0.3, None, "#000000"),
    "text": (0.0, None, "#000000"),
}

NOTCH_MM = 6.0
DRILL_RADIUS_MM = 2.0
ARROW_MM = 8.0


@dataclass(frozen=True)
class Item:
    """One primitive: ``kind`` is "path", "circle" or "text"."""

    kind: str
    style: str
    points: tuple[Pt, ...] = ()
    closed: bool = False
    radius: float = 0.0
    text: str = ""
    size_mm: float = 0.0  # text height
    anchor: str = "middle"  # text: "start" | "middle"

    @functools.cached_property
    def bbox(self) -> tuple[float, float, float, float]:
        if self.kind == "circle":
            (x, y) = self.points[0]
            return (x - self.radius, y - self.radius, x + self.radius, y + self.radius)
        if self.kind == "text":
            (x, y) = self.points[0]
            w = len(self.text) * self.size_mm
            x0 = x - w / 2 if self.anchor == "middle" else x
            return (x0, y - self.size_mm, x0 + w, y + self.size_mm)
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Placed:
    """A piece and where it goes on the sheet: sheet point = piece point + (dx, dy)."""

    piece: Piece
    dx: float
    dy: float
    width: float
    height: float


@dataclass
class Sheet:
    width_mm: float
    height_mm: float
    placed: list[Placed]
    items: list[Item] = field(default_factory=list)
    title: str = ""


def _bounds(piece: Piece) -> tuple[float, float, float, float]:
    xs = [p[0] for p in piece.cut]
    ys = [p[1] for p in piece.cut]
    return min(xs), min(ys), max(xs), max(ys)


def layout(
    pieces: Sequence[Piece],
    *,
    gap_mm: float = 30.0,
    max_width_mm: float | None = None,
    origin: Pt = (0.0, 0.0),
) -> tuple[list[Placed], float, float]:
    """Shelf packing: tallest first, rows no wider than ``max_width_mm``.

    Returns the placements and the width and height they take (mm), the first row at the top.
    """
    bounds = [_bounds(p) for p in pieces]
    sizes = [(b[2] - b[0], b[3] - b[1]) for b in bounds]
    total = sum(w * h for w, h in sizes)
    if max_width_mm is None:
        max_width_mm = max(max(w for w, _ in sizes), math.sqrt(total) * 1.5) if sizes else 0.0
    order = sorted(range(len(pieces)), key=lambda i: -sizes[i][1])
    rows: list[list[int]] = []
    row_w = 0.0
    for i in order:
        w = sizes[i][0]
        if rows and row_w + gap_mm + w <= max_width_mm:
            rows[-1].append(i)
            row_w += gap_mm + w
        else:
            rows.append([i])
            row_w = w
    row_heights = [max(sizes[i][1] for i in r) for r in rows]
    height = sum(row_heights) + gap_mm * max(0, len(rows) - 1)
    width = 0.0
    placed: dict[int, Placed] = {}
    top = origin[1] + height
    for r, rh in zip(rows, row_heights, strict=True):
        x = origin[0]
        for i in r:
            b = bounds[i]
            w, h = sizes[i]
            placed[i] = Placed(pieces[i], x - b[0], top - h - b[1], w, h)
            x += w + gap_mm
        width = max(width, x - gap_mm - origin[0])
        top -= rh + gap_mm
    return [placed[i] for i in range(len(pieces))], width, height


def piece_text(piece: Piece, pattern: Pattern) -> list[str]:
    """The piece label: piece, product, size or order line, cut quantity, mirrored or on fold."""
    who = pattern.size or (f"order {pattern.order_line}" if pattern.order_line else "made to measure")
    cut = f"Cut {piece.quantity} 裁{piece.quantity}片"
    if piece.mirrored_pair:
        cut += " · mirrored pair 左右对称"
    if piece.cut_on_fold:
        cut += " · on fold 连折"
    return [piece.label, f"{pattern.product} · {who}", cut]


def _tr(pts: Iterable[Pt], dx: float, dy: float) -> tuple[Pt, ...]:
    return tuple((x + dx, y + dy) for x, y in pts)


def piece_items(
    piece: Piece,
    pattern: Pattern | None,
    dx: float = 0.0,
    dy: float = 0.0,
    *,
    text: bool = True,
    style_override: str | None = None,
) -> list[Item]:
    """Every primitive of one piece, moved by (dx, dy)."""
    items: list[Item] = []
    cut_style = style_override or "cut"
    items.append(Item("path", cut_style, _tr(piece.cut, dx, dy), closed=True))
    if piece.sew is not None:
        items.append(Item("path", style_override or "sew", _tr(piece.sew, dx, dy), closed=True))
    if style_override:
        return items
    if piece.fold_line is not None:
        items.append(Item("path", "mirror", _tr(piece.fold_line, dx, dy)))
    for ln in piece.lines:
        items.append(Item("path", ln.kind, _tr(ln.points, dx, dy)))
    # grain line with arrowheads at both ends
    (ax, ay), (bx, by) = piece.grain
    length = math.hypot(bx - ax, by - ay) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    items.append(Item("path", "grain", _tr(piece.grain, dx, dy)))
    for (px, py), s in (((bx, by), -1.0), ((ax, ay), 1.0)):
        head = (
            (px + s * ARROW_MM * ux - ARROW_MM * 0.4 * uy, py + s * ARROW_MM * uy + ARROW_MM * 0.4 * ux),
            (px, py),
            (px + s * ARROW_MM * ux + ARROW_MM * 0.4 * uy, py + s * ARROW_MM * uy - ARROW_MM * 0.4 * ux),
        )
        items.append(Item("path", "grain", _tr(head, dx, dy)))
    for n in piece.notches:
        a = math.radians(n.angle_deg)
        items.append(
            Item(
                "path",
                "notch",
                _tr(((n.x, n.y), (n.x + NOTCH_MM * math.cos(a), n.y + NOTCH_MM * math.sin(a))), dx, dy),
            )
        )
    for d in piece.drill_holes:
        r = DRILL_RADIUS_MM
        items.append(Item("circle", "drill", ((d.x + dx, d.y + dy),), radius=r))
        items.append(Item("path", "drill", _tr(((d.x - 2 * r, d.y), (d.x + 2 * r, d.y)), dx, dy)))
        items.append(Item("path", "drill", _tr(((d.x, d.y - 2 * r), (d.x, d.y + 2 * r)), dx, dy)))
    if text and pattern is not None:
        items.extend(_label_items(piece, pattern, dx, dy))
    return items


def _label_items(piece: Piece, pattern: Pattern, dx: float, dy: float) -> list[Item]:
    poly = Polygon(piece.sew or piece.cut)
    if not poly.is_valid:
        poly = Polygon(piece.cut).buffer(0)
    shapely.prepare(poly)
    x0, y0, x1, y1 = poly.bounds
    lines = piece_text(piece, pattern)
    longest = max(len(s) for s in lines)
    size = max(2.5, min(30.0, (x1 - x0) * 0.8 / max(longest, 1) * 1.6, (y1 - y0) / 8))
    p = polylabel(poly, tolerance=max(1.0, (x1 - x0) / 100)) if not poly.is_empty else poly.centroid
    (ga, gb) = piece.grain
    obstacles = unary_union(
        [LineString(piece.grain)]
        + [LineString(ln.points) for ln in piece.lines]
        + ([LineString(piece.fold_line)] if piece.fold_line else [])
    )
    vertical = abs(gb[0] - ga[0]) < abs(gb[1] - ga[1])
    gx, gy = (ga[0] + gb[0]) / 2, (ga[1] + gb[1]) / 2
    cx, cy = p.x, p.y
    grid = [(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * j / 8) for i in range(1, 8) for j in range(1, 8)]
    grid.sort(key=lambda q: (q[0] - p.x) ** 2 + (q[1] - p.y) ** 2)
    for _ in range(5):
        half_w = max(len(s) for s in lines) * size * 0.32
        half_h = size * 1.6
        candidates = [(cx, cy)]
        if vertical:
            candidates += [(gx + half_w + size, gy), (gx - half_w - size, gy)]
        else:
            candidates += [(gx, gy - half_h - size), (gx, gy + half_h + size)]
        q = np.asarray(candidates + grid)
        boxes = shapely.box(q[:, 0] - half_w, q[:, 1] - half_h * 1.4, q[:, 0] + half_w, q[:, 1] + half_h)
        fits = shapely.contains(poly, boxes) & ~shapely.intersects(boxes, obstacles)
        if fits.any():
            cx, cy = (float(v) for v in q[int(np.argmax(fits))])
            break
        size *= 0.8
    items = []
    for i, s in enumerate(lines):
        items.append(
            Item(
                "text",
                "text",
                ((cx + dx, cy + dy + size * 1.4 * (1 - i)),),
                text=s,
                size_mm=size * (1.0 if i == 0 else 0.7),
            )
        )
    return items


def test_square_items(x: float, y: float) -> list[Item]:
    """A 100 mm test square with its caption, lower left corner at (x, y)."""
    sq = ((x, y), (x + 100, y), (x + 100, y + 100), (x, y + 100))
    return [
        Item("path", "frame", sq, closed=True),
        Item("text", "text", ((x + 50, y + 55),), text="10 cm", size_mm=8.0),
        Item("text", "text", ((x + 50, y + 40),), text="test square 校验方块", size_mm=5.0),
    ]


def build_sheet(
    pattern: Pattern,
    *,
    gap_mm: float = 30.0,
    margin_mm: float = 20.0,
    max_width_mm: float | None = None,
    test_square: bool = True,
) -> Sheet:
    """Lay the pattern's pieces out and turn them into primitives, with a title and a test square."""
    head = 40.0  # title block above the pieces
    sq = 130.0 if test_square else 0.0  # room for the test square on the left
    placed, w, h = layout(
        pattern.pieces, gap_mm=gap_mm, max_width_mm=max_width_mm, origin=(margin_mm + sq, margin_mm)
    )
    width = w + 2 * margin_mm + sq
    height = max(h, 140.0 if test_square else 0.0) + 2 * margin_mm + head
    items: list[Item] = []
    for pl in placed:
        items.extend(piece_items(pl.piece, pattern, pl.dx, pl.dy))
    if test_square:
        items.extend(test_square_items(margin_mm, margin_mm))
    who = pattern.size or (f"order {pattern.order_line}" if pattern.order_line else "made to measure")
    title = f"yuefang 粤纺 · {pattern.product} · {who} · 1:1 mm"
    items.append(
        Item("text", "text", ((margin_mm, height - margin_mm - 8),), text=title, size_mm=10.0, anchor="start")
    )
    return Sheet(width, height, placed, items, title)
