"""Marker pictures and cutter files: SVG, PDF, DXF (R12 polylines) and HPGL.

All writers are pure: they return text or bytes, the caller writes the file. Coordinates are
the marker's (mm, x along the length, y across the width, y up); the SVG and PDF flip y so
that the picture reads like the marker seen from above with y = 0 at the bottom.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
from xml.sax.saxutils import escape

import ezdxf
from fpdf import FPDF
from shapely.geometry import Polygon

from yuefang.marker.model import Marker, Placement
from yuefang.pattern.export.hpgl import UNITS_PER_MM as HPGL_UNITS_PER_MM
from yuefang.pattern.export.hpgl import hpgl_path

__all__ = ["marker_to_svg", "marker_to_pdf", "marker_to_dxf", "marker_to_hpgl", "piece_colour"]


def piece_colour(key: str) -> str:
    """A stable pastel colour for a piece kind (mirrored copies share their piece's colour).

    Examples
    --------
    >>> piece_colour("0:front") == piece_colour("0:front:m")
    True
    """
    base = key.removesuffix(":m")
    h = int(hashlib.sha1(base.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    r, g, b = colorsys.hls_to_rgb(h, 0.78, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _label(pl: Placement, marker: Marker | None = None) -> str:
    """``name (M) #copy``; with several order lines, the line's size (or number) too."""
    text = f"{pl.name}{' (M)' if pl.mirrored else ''} #{pl.copy_index + 1}"
    if marker is not None and len({p.order_line for p in marker.pieces}) > 1:
        piece = next((p for p in marker.pieces if p.key == pl.piece), None)
        if piece is not None:
            text += f" [{piece.size or piece.order_line + 1}]"
    return text


def _label_point(pl: Placement) -> tuple[float, float]:
    """Where a placed piece's label goes: a point inside its outline (mm)."""
    pt = Polygon(pl.outline).representative_point()
    return pt.x, pt.y


def _title(marker: Marker) -> str:
    return (
        f"marker {marker.length_mm:.1f} x {marker.width_mm:.1f} {marker.units} | "
        f"utilisation {100 * marker.utilisation:.2f}% | {len(marker.placements)} pieces"
    )


def marker_to_svg(
    marker: Marker, *, width_px: int | None = 1600, margin_mm: float | None = None, labels: bool = True
) -> str:
    """The marker as an SVG picture (user unit = mm).

    The strip is drawn as a rectangle (usable width by marker length); each piece is filled
    with its kind's colour and labelled with its name and copy number.

    Parameters
    ----------
    width_px : int or None
        Display width in pixels (height in proportion); ``None`` sizes the picture in mm at 1:1,
        for a plotter.
    """
    w, length = marker.width_mm, max(marker.length_mm, 1e-9)
    m = margin_mm if margin_mm is not None else 0.02 * max(w, length) + 0.0
    head = 0.06 * w
    vw, vh = length + 2 * m, w + 2 * m + head
    stroke = max(w, length) / 1500.0
    font = max(min(w / 40.0, 40.0), 0.2)
    title_font = min(head * 0.55, (length + m) / 38.0)
    if width_px is None:
        size = f'width="{vw:.3f}mm" height="{vh:.3f}mm"'
    else:
        size = f'width="{int(width_px)}" height="{int(round(width_px * vh / vw))}"'
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} '
        f'viewBox="{-m:.3f} {-m - head:.3f} {vw:.3f} {vh:.3f}">',
        f"<title>{escape(_title(marker))}</title>",
        f'<text x="0" y="{-m * 0.3 - head * 0.3:.3f}" font-family="sans-serif" font-size="{title_font:.3f}">'
        f"{escape(_title(marker))}</text>",
        f'<rect x="0" y="0" width="{length:.3f}" height="{w:.3f}" fill="#fafafa" stroke="#333" '
        f'stroke-width="{stroke * 2:.4f}"/>',
        f'<g id="pieces" transform="translate(0 {w:.6f}) scale(1 -1)" stroke="#222" '
        f'stroke-width="{stroke:.4f}" stroke-linejoin="round">',
    ]
    for pl in marker.placements:
        pts = " ".join(f"{x:.3f},{y:.3f}" for x, y in pl.outline)
        out.append(
            f'<polygon id="{escape(pl.piece)}#{pl.copy_index}" points="{pts}" fill="{piece_colour(pl.piece)}">'
            f"<title>{escape(_label(pl, marker))} rot {pl.rotation_deg:g}</title></polygon>"
        )
    out.append("</g>")
    if labels:
        out.append(f'<g font-family="sans-serif" font-size="{font:.3f}" text-anchor="middle" fill="#111">')
        for pl in marker.placements:
            poly = Polygon(pl.outline)
            pt = poly.representative_point()
            minx, miny, maxx, maxy = poly.bounds
            label = _label(pl, marker)
            size = min(font, (maxx - minx) / max(len(label), 1) * 1.6, (maxy - miny) / 2)
            out.append(f'<text x="{pt.x:.3f}" y="{w - pt.y:.3f}" font-size="{size:.3f}">{escape(label)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def marker_to_pdf(marker: Marker) -> bytes:
    """The marker as a one-page PDF picture (A3 landscape, scaled to fit, scale printed)."""
    pdf = FPDF(orientation="L", unit="mm", format="A3")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    page_w, page_h = 420.0, 297.0
    margin = 12.0
    scale = min((page_w - 2 * margin) / max(marker.length_mm, 1e-9), (page_h - 2 * margin - 14) / marker.width_mm)
    ox, oy = margin, margin + 14 + marker.width_mm * scale  # bottom-left of the strip on the page

    def to_page(x: float, y: float) -> tuple[float, float]:
        return ox + x * scale, oy - y * scale

    pdf.set_font("helvetica", size=11)
    pdf.text(margin, margin + 4, _title(marker))
    pdf.set_font("helvetica", size=8)
    pdf.text(margin, margin + 9, f"scale 1:{1 / scale:.1f}   engine: {marker.engine}   seed {marker.seed}")
    pdf.set_draw_color(50, 50, 50)
    pdf.set_line_width(0.3)
    pdf.rect(ox, oy - marker.width_mm * scale, marker.length_mm * scale, marker.width_mm * scale)
    pdf.set_line_width(0.1)
    for pl in marker.placements:
        colour = piece_colour(pl.piece)
        pdf.set_fill_color(int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))
        pdf.polygon([to_page(x, y) for x, y in pl.outline], style="DF")
    pdf.set_font("helvetica", size=5)
    for pl in marker.placements:
        px, py = to_page(*_label_point(pl))
        text = _label(pl, marker).encode("latin-1", "replace").decode("latin-1")
        pdf.text(px - pdf.get_string_width(text) / 2, py, text)
    return bytes(pdf.output())


def marker_to_dxf(marker: Marker) -> bytes:
    """The marker for a cutter or CAD: DXF R12, mm, one closed POLYLINE per piece.

    Layers follow the DXF-AAMA numbering where it applies: ``1`` cut lines (one per placed
    piece), ``15`` annotation text (piece name and copy); ``MARKER`` holds the strip outline.
    """
    doc = ezdxf.new("R12", units=0)
    doc.header["$MEASUREMENT"] = 1
    for name, colour in (("1", 7), ("15", 3), ("MARKER", 1)):
        doc.layers.add(name, color=colour)
    msp = doc.modelspace()
    w, length = marker.width_mm, marker.length_mm
    msp.add_polyline2d([(0, 0), (length, 0), (length, w), (0, w)], close=True, dxfattribs={"layer": "MARKER"})
    height = max(min(w / 60.0, 20.0), 0.5)
    for pl in marker.placements:
        msp.add_polyline2d(list(pl.outline), close=True, dxfattribs={"layer": "1"})
        msp.add_text(_label(pl, marker), dxfattribs={"layer": "15", "height": height, "insert": _label_point(pl)})
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("ascii", "replace")


def marker_to_hpgl(marker: Marker, *, labels: bool = True) -> str:
    """The marker as HPGL/2 for a plotter or cutter (1 unit = 0.025 mm, pen 1 cuts).

    Examples
    --------
    >>> from yuefang.marker.model import MarkerPiece
    >>> sq = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    >>> p = MarkerPiece(key="0:a", order_line=0, name="a", demand=1, allowed_rotations_deg=(0.0,),
    ...                 outline=sq, area_mm2=100.0)
    >>> pl = Placement(piece="0:a", name="a", copy=0, x_mm=0, y_mm=0, rotation_deg=0, mirrored=False,
    ...                outline=sq)
    >>> mk = Marker(width_mm=10, length_mm=10, utilisation=1.0, pieces=(p,), placements=(pl,))
    >>> marker_to_hpgl(mk, labels=False).splitlines()[2]
    'PU0,0;PD400,0,400,400,0,400,0,0;'
    """

    def u(v: float) -> int:
        return int(round(v * HPGL_UNITS_PER_MM))

    lines = ["IN;", "SP1;"]
    for pl in marker.placements:
        lines.append(hpgl_path(pl.outline, closed=True))
    if labels:
        lines.append("SP2;SI0.2,0.3;")
        for pl in marker.placements:
            x, y = _label_point(pl)
            text = _label(pl, marker).encode("ascii", "replace").decode("ascii").replace("\x03", "")
            lines.append(f"PU{u(x)},{u(y)};LB{text}\x03;")
    lines.append("PU;SP0;")
    return "\n".join(lines) + "\n"
