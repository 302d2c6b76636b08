"""SVG at 1:1 in mm, A4-tiled and plot PDFs, HP-GL, and export_all."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zlib

import pytest

from yuefang.pattern.export import EXPORT_FILES, export_all, to_hpgl, to_pdf_a4, to_pdf_plot, to_svg
from yuefang.pattern.export.hpgl import UNITS_PER_MM
from yuefang.pattern.export.pdf import A4_MM, PAGE_MARGIN_MM
from yuefang.pattern.model import Pattern

SVG = "{http://www.w3.org/2000/svg}"


def _pdf_streams(data: bytes) -> bytes:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            out.append(m.group(1))
    return b"\n".join(out)


def _pages(data: bytes) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)]


def test_svg_is_mm_at_one_to_one(curvy: Pattern) -> None:
    root = ET.fromstring(to_svg(curvy))
    w, h = root.get("width"), root.get("height")
    assert w.endswith("mm") and h.endswith("mm")
    vb = [float(v) for v in root.get("viewBox").split()]
    assert float(w[:-2]) == pytest.approx(vb[2]) and float(h[:-2]) == pytest.approx(vb[3])
    # the front's cut line is drawn with its true size
    polys = [e for e in root.iter(f"{SVG}polygon") if e.get("class") == "cut"]
    assert len(polys) == len(curvy.pieces)
    front = curvy.pieces[0]
    widths = []
    for e in polys:
        xs = [float(p.split(",")[0]) for p in e.get("points").split()]
        widths.append(max(xs) - min(xs))
    fx = [p[0] for p in front.cut]
    assert any(abs(wd - (max(fx) - min(fx))) < 0.01 for wd in widths)


def test_svg_carries_every_marking_and_the_label(curvy: Pattern) -> None:
    svg = to_svg(curvy)
    root = ET.fromstring(svg)
    classes = [e.get("class") for e in root.iter() if e.get("class")]
    for kind in ("cut", "sew", "grain", "notch", "drill", "dart", "buttonhole", "mirror"):
        assert kind in classes, kind
    texts = [e.text for e in root.iter(f"{SVG}text")]
    assert "Front 前片" in texts
    assert "test_shirt · 170/88A" in texts
    assert any("Cut 2" in t and "mirrored pair" in t for t in texts)
    assert any("Cut 1" in t and "on fold" in t for t in texts)
    assert "10 cm" in texts  # the test square


def test_svg_scale_changes_printed_size_only(curvy: Pattern) -> None:
    a = ET.fromstring(to_svg(curvy))
    b = ET.fromstring(to_svg(curvy, scale=0.5))
    assert float(b.get("width")[:-2]) == pytest.approx(float(a.get("width")[:-2]) * 0.5)
    assert a.get("viewBox") == b.get("viewBox")
    with pytest.raises(ValueError, match="scale"):
        to_svg(curvy, scale=0)


def test_a4_pdf_tiles_with_cover_and_page_marks(curvy: Pattern) -> None:
    data = to_pdf_a4(curvy)
    assert data.startswith(b"%PDF")
    pages = _pages(data)
    a4 = (A4_MM[0] * 72 / 25.4, A4_MM[1] * 72 / 25.4)
    assert pages and all(p == pytest.approx(a4, abs=0.1) for p in pages)
    n_pages = int(re.search(rb"/Count (\d+)", data).group(1))
    root = ET.fromstring(to_svg(curvy))
    vb = [float(v) for v in root.get("viewBox").split()]
    cols = -(-vb[2] // (A4_MM[0] - 2 * PAGE_MARGIN_MM))
    rows = -(-vb[3] // (A4_MM[1] - 2 * PAGE_MARGIN_MM))
    assert 2 <= n_pages <= rows * cols + 1
    streams = _pdf_streams(data)
    assert b"/FontFile2" in data  # the CJK font is embedded
    assert b"<524D>" in streams or b"524D" in streams  # 前 mapped in the ToUnicode CMap



def test_plot_pdf_is_one_full_size_page(curvy: Pattern) -> None:
    data = to_pdf_plot(curvy)
    (page,) = _pages(data)
    vb = [float(v) for v in ET.fromstring(to_svg(curvy)).get("viewBox").split()]
    assert page == pytest.approx((vb[2] * 72 / 25.4, vb[3] * 72 / 25.4), abs=0.1)


def test_pdf_with_characters_outside_the_bundled_font_still_renders(curvy: Pattern) -> None:
    piece = curvy.pieces[2].model_copy(update={"label": "Collar 龘"})
    pat = curvy.model_copy(update={"pieces": (*curvy.pieces[:2], piece)})
    assert to_pdf_plot(pat).startswith(b"%PDF")


def test_hpgl_units_pens_and_ascii(curvy: Pattern) -> None:
    plt = to_hpgl(curvy)
    assert plt.isascii()
    assert plt.startswith("IN;") and "SP1;" in plt and "SP2;" in plt
    cut_part = plt[plt.index("SP1;"):]
    first = re.search(r"PU(-?\d+),(-?\d+);PD([-\d,]+);", cut_part)
    coords = [int(v) for v in (first.group(1), first.group(2), *first.group(3).split(","))]
    xs = coords[0::2]
    widths = {round((max(p[0] for p in pc.cut) - min(p[0] for p in pc.cut)) * UNITS_PER_MM) for pc in curvy.pieces}
    assert any(abs((max(xs) - min(xs)) - w) <= 2 for w in widths)
    assert "LBFront" in plt.replace(" ", "")
    assert len(re.findall(r"CI\d+;", plt)) == sum(len(p.drill_holes) for p in curvy.pieces)


def test_export_all_writes_every_file(curvy: Pattern) -> None:
    files = export_all(curvy)
    assert tuple(files) == EXPORT_FILES
    assert all(isinstance(v, bytes) and v for v in files.values())
    assert Pattern.from_json(files["pieces.json"]) == curvy
    assert json.loads(files["report.json"]) == curvy.report


def test_pdf_without_any_system_cjk_font_leaves_out_only_unknown_characters(curvy: Pattern, monkeypatch) -> None:
    import yuefang.pattern.export.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "find_cjk_font", lambda *a, **k: None)
    piece = curvy.pieces[2].model_copy(update={"label": "Collar 龘"})
    pat = curvy.model_copy(update={"pieces": (*curvy.pieces[:2], piece)})
    data = to_pdf_a4(pat)
    streams = _pdf_streams(data)
    assert data.startswith(b"%PDF") and b"/FontFile2" in data
    assert b"524D" in streams  # 前, from the bundled font, still there
    assert b"9F98" not in streams  # 龘 left out


def test_plot_pdf_fits_the_roll_width(curvy: Pattern) -> None:
    (page,) = _pages(to_pdf_plot(curvy, paper_width_mm=914))
    assert page[0] <= 914 * 72 / 25.4 + 0.1
    with pytest.raises(ValueError, match="paper_width_mm"):
        to_pdf_plot(curvy, paper_width_mm=100)
