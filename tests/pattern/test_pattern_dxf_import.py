"""Reading DXF-AAMA back: yuefang's own files round-trip; another CAD's file is understood."""

from __future__ import annotations

import io
import math

import ezdxf
import pytest
from shapely.geometry import Point, Polygon

from yuefang.measure import body_for_designation
from yuefang.pattern.dxf_import import read_dxf_aama
from yuefang.pattern.errors import InputError
from yuefang.pattern.export.dxf_aama import to_dxf_aama
from yuefang.pattern.home.curtain import PRODUCT as CURTAIN
from yuefang.pattern.products import get_product


def _close(a, b, tol=1e-5):
    return all(math.dist(p, q) <= tol for p, q in zip(a, b, strict=True)) and len(a) == len(b)


@pytest.fixture(scope="module")
def shirt():
    return get_product("shirt").draft(body_for_designation("170/88A", "male"), size="170/88A")


def test_shirt_round_trips(shirt) -> None:
    back = read_dxf_aama(to_dxf_aama(shirt))
    assert back.product == "shirt" and back.size == "170/88A"
    assert back.report["ok"] and back.report["warnings"] == []
    assert [p.name for p in back.pieces] == [p.name for p in shirt.pieces]
    for a, b in zip(shirt.pieces, back.pieces, strict=True):
        assert _close(a.cut, b.cut) and (a.sew is None or _close(a.sew, b.sew))
        assert (a.quantity, a.mirrored_pair, a.cut_on_fold, a.label) == (b.quantity, b.mirrored_pair, b.cut_on_fold, b.label)
        assert _close(a.grain, b.grain)
        assert (a.fold_line is None) == (b.fold_line is None)
        assert _close([(n.x, n.y) for n in a.notches], [(n.x, n.y) for n in b.notches])
        assert all(abs((n.angle_deg - m.angle_deg + 180) % 360 - 180) < 1e-3 for n, m in zip(a.notches, b.notches, strict=True))
        assert [(ln.kind, ln.name) for ln in a.lines] == [(ln.kind, ln.name) for ln in b.lines]
        assert _close([(d.x, d.y) for d in a.drill_holes], [(d.x, d.y) for d in b.drill_holes])
        assert a.allowed_rotations_deg == b.allowed_rotations_deg


def test_home_textile_round_trips() -> None:
    pat = CURTAIN.draft({"window_width_mm": 1800, "drop_mm": 2200}, {"fabric": "fixed_width", "pattern_repeat_mm": 500})
    back = read_dxf_aama(to_dxf_aama(pat))
    assert back.product == "curtain" and back.size is None
    assert [(p.name, p.quantity) for p in back.pieces] == [(p.name, p.quantity) for p in pat.pieces]
    assert back.pieces[0].label == "Drop 整幅"


def _foreign_dxf() -> bytes:
    """A piece as another CAD might write it: inches, LINE boundary clockwise, POINT notches, no grain."""
    doc = ezdxf.new("R2000")
    blk = doc.blocks.new("BACK")
    sq = [(0, 0), (0, 10), (8, 10), (8, 0)]  # clockwise, inches
    for a, b in zip(sq, sq[1:] + sq[:1], strict=True):
        blk.add_line(a, b, dxfattribs={"layer": "1"})
    blk.add_point((8, 5), dxfattribs={"layer": "4"})
    blk.add_point((4, 5), dxfattribs={"layer": "13"})
    blk.add_line((2, 2), (2, 8), dxfattribs={"layer": "8"})
    blk.add_text("Piece Name: BACK", dxfattribs={"layer": "15"})
    blk.add_text("Quantity: 2", dxfattribs={"layer": "15"})
    blk.add_text("Size: M", dxfattribs={"layer": "15"})
    msp = doc.modelspace()
    msp.add_text("Style Name: JACKET-01", dxfattribs={"layer": "1"})
    msp.add_text("Units: ENGLISH", dxfattribs={"layer": "1"})
    msp.add_blockref("BACK", (0, 0))
    out = io.StringIO()
    doc.write(out)
    return out.getvalue().encode("cp1252")


def test_another_cads_file_is_understood() -> None:
    pat = read_dxf_aama(_foreign_dxf())
    assert pat.product == "JACKET-01" and pat.size == "M"
    (p,) = pat.pieces
    assert p.name == "BACK" and p.quantity == 2
    poly = Polygon(p.cut)
    assert poly.exterior.is_ccw and poly.area == pytest.approx(8 * 10 * 25.4**2)
    (n,) = p.notches
    assert (n.x, n.y) == pytest.approx((8 * 25.4, 5 * 25.4))
    inward = Point(n.x + 5 * math.cos(math.radians(n.angle_deg)), n.y + 5 * math.sin(math.radians(n.angle_deg)))
    assert poly.contains(inward)
    assert [(d.x, d.y) for d in p.drill_holes] == [pytest.approx((4 * 25.4, 5 * 25.4))]
    assert [ln.kind for ln in p.lines] == ["internal"]
    assert any("grain" in w for w in pat.report["warnings"])
    assert pat.report["units_in_file"] == "inch"


def test_not_a_dxf_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        read_dxf_aama(b"\x89PNG\r\n\x1a\n not a dxf at all")
    assert exc.value.field == "dxf"


def test_dxf_without_pieces_is_refused() -> None:
    doc = ezdxf.new("R12")
    doc.modelspace().add_line((0, 0), (1, 1))
    out = io.StringIO()
    doc.write(out)
    with pytest.raises(InputError, match="layer 1"):
        read_dxf_aama(out.getvalue().encode())


def test_arcs_in_lwpolylines_are_flattened() -> None:
    doc = ezdxf.new("R2000")
    blk = doc.blocks.new("CUFF")
    # a 100 x 40 mm rectangle whose right end is a half circle (bulge 1)
    blk.add_lwpolyline([(0, 0, 0), (100, 0, 1), (100, 40, 0), (0, 40, 0)], format="xyb", close=True,
                       dxfattribs={"layer": "1"})
    blk.add_line((20, 20), (80, 20), dxfattribs={"layer": "7"})
    doc.modelspace().add_blockref("CUFF", (0, 0))
    out = io.StringIO()
    doc.write(out)
    (p,) = read_dxf_aama(out.getvalue().encode()).pieces
    area = 100 * 40 + math.pi * 20**2 / 2
    assert Polygon(p.cut).area == pytest.approx(area, rel=2e-3)
    assert max(x for x, _ in p.cut) == pytest.approx(120, abs=0.1)
