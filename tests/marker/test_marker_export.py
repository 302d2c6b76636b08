"""SVG, PDF, DXF and HPGL writers: every placed piece is in every file, in mm."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import ezdxf
import pytest

from yuefang.marker import marker_to_dxf, marker_to_hpgl, marker_to_pdf, marker_to_svg


def test_svg_has_one_polygon_per_placement(small_marker):
    svg = marker_to_svg(small_marker)
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    polys = root.findall(".//s:g[@id='pieces']/s:polygon", ns)
    assert len(polys) == len(small_marker.placements)
    first = [tuple(map(float, p.split(","))) for p in polys[0].get("points").split()]
    assert first[0] == pytest.approx(small_marker.placements[0].outline[0], abs=1e-3)
    assert "utilisation" in root.find("s:title", ns).text
    one_to_one = ET.fromstring(marker_to_svg(small_marker, width_px=None))
    assert one_to_one.get("width").endswith("mm")


def test_pdf_is_a_pdf(small_marker):
    data = marker_to_pdf(small_marker)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_dxf_has_one_closed_polyline_per_piece_on_layer_1(small_marker):
    doc = ezdxf.read(io.StringIO(marker_to_dxf(small_marker).decode("ascii")))
    cut = [e for e in doc.modelspace() if e.dxftype() == "POLYLINE" and e.dxf.layer == "1"]
    assert len(cut) == len(small_marker.placements)
    assert all(e.is_closed for e in cut)
    pts = [tuple(v.dxf.location)[:2] for v in cut[0].vertices]
    assert pts[0] == pytest.approx(small_marker.placements[0].outline[0], abs=1e-6)
    texts = [e for e in doc.modelspace() if e.dxftype() == "TEXT"]
    assert len(texts) == len(small_marker.placements)


def test_hpgl_draws_every_piece_in_plotter_units(small_marker):
    hpgl = marker_to_hpgl(small_marker)
    assert hpgl.startswith("IN;\nSP1;")
    strokes = re.findall(r"PU(-?\d+),(-?\d+);PD", hpgl)
    assert len(strokes) == len(small_marker.placements)
    x0, y0 = small_marker.placements[0].outline[0]
    assert (int(strokes[0][0]), int(strokes[0][1])) == (round(x0 * 40), round(y0 * 40))
