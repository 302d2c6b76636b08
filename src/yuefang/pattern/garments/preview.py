"""A quick preview sheet of a pattern's pieces as SVG text, for the docs' pictures.

Pieces are laid out in rows, each with its cut line (solid), sew line (dashed blue), grain arrow
(red), fold lines (green), darts (orange), buttons and buttonholes (purple), notches (red ticks) and
its label with the cut quantity. It is a drawing to look at; the production files (1:1 SVG, PDF,
DXF-AAMA, HPGL) are written by :mod:`yuefang.pattern.export`.

Examples
--------
>>> from yuefang.pattern.model import Pattern, Piece
>>> sq = Piece(name="p", label="P", cut=((0, 0), (100, 0), (100, 50), (0, 50)), grain=((50, 5), (50, 45)))
>>> svg = preview_svg(Pattern(product="demo", pieces=(sq,)))
>>> svg.startswith("<svg") and "P x1" in svg
True
"""

from __future__ import annotations

import html

import numpy as np

from yuefang.pattern.model import Pattern

__all__ = ["preview_svg"]

_COLOURS = {"fold": "#008000", "mirror": "#008000", "dart": "#c06000", "buttonhole": "#800080", "button": "#800080",
            "placement": "#808080", "internal": "#404040"}


def preview_svg(pattern: Pattern, *, row_width_mm: float = 2400.0, gap_mm: float = 40.0, title: str | None = None) -> str:
    """SVG text (1 unit = 1 mm) showing every piece of ``pattern``."""
    items: list[str] = []
    x0, y0, row_h = 0.0, 60.0, 0.0
    for pc in pattern.pieces:
        cut = np.array(pc.cut)
        mn, mx = cut.min(0), cut.max(0)
        w, h = mx - mn
        label = f"{pc.label} x{pc.quantity}" + (" mirrored" if pc.mirrored_pair else "") + (" on fold" if pc.cut_on_fold else "")
        if x0 + w > row_width_mm and x0 > 0:
            x0, y0, row_h = 0.0, y0 + row_h + gap_mm + 30, 0.0

        def tr(p: tuple[float, float], mn: np.ndarray = mn, mx: np.ndarray = mx, x0: float = x0, y0: float = y0) -> tuple[float, float]:
            return (p[0] - mn[0] + x0, mx[1] - p[1] + y0 + 30)

        def pts(ps, tr=tr) -> str:
            return " ".join(f"{tr(p)[0]:.1f},{tr(p)[1]:.1f}" for p in ps)

        items.append(f'<polygon points="{pts(pc.cut)}" fill="#f4f0e6" stroke="black" stroke-width="1.5"/>')
        if pc.sew:
            items.append(f'<polygon points="{pts(pc.sew)}" fill="none" stroke="#2060c0" stroke-width="1" stroke-dasharray="6,4"/>')
        items.append(f'<polyline points="{pts(pc.grain)}" stroke="#b02020" stroke-width="1.5" fill="none" marker-end="url(#arr)"/>')
        for ln in pc.lines:
            dash = "10,4" if ln.kind in ("fold", "mirror") else "none"
            items.append(f'<polyline points="{pts(ln.points)}" stroke="{_COLOURS.get(ln.kind, "black")}" stroke-width="1.5" fill="none" stroke-dasharray="{dash}"/>')
        if pc.fold_line:
            items.append(f'<polyline points="{pts(pc.fold_line)}" stroke="#008000" stroke-width="3" fill="none" stroke-dasharray="12,5"/>')
        for n in pc.notches:
            nx, ny = tr((n.x, n.y))
            a = np.radians(n.angle_deg)
            items.append(f'<line x1="{nx:.1f}" y1="{ny:.1f}" x2="{nx + 8 * np.cos(a):.1f}" y2="{ny - 8 * np.sin(a):.1f}" stroke="red" stroke-width="2"/>')
        for d in pc.drill_holes:
            dx, dy = tr((d.x, d.y))
            items.append(f'<circle cx="{dx:.1f}" cy="{dy:.1f}" r="3" fill="none" stroke="black"/>')
        items.append(f'<text x="{x0:.1f}" y="{y0 + 20:.1f}" font-size="18" font-family="WenQuanYi Micro Hei, sans-serif">{html.escape(label)}</text>')
        x0 += max(w, 9.5 * len(label)) + gap_mm  # room for the label of a small piece
        row_h = max(row_h, h)
    width, height = row_width_mm + 100, y0 + row_h + 80
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">'
        '<defs><marker id="arr" markerWidth="10" markerHeight="10" refX="8" refY="3" orient="auto">'
        '<path d="M0,0 L8,3 L0,6 z" fill="#b02020"/></marker></defs><rect width="100%" height="100%" fill="white"/>'
    )
    t = title if title is not None else f"{pattern.product} {pattern.size or pattern.order_line or ''}".strip()
    head += f'<text x="0" y="30" font-size="26" font-family="WenQuanYi Micro Hei, sans-serif">{html.escape(t)}</text>'
    return head + "".join(items) + "</svg>"
