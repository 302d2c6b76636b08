"""Nesting end to end (short engine runs): every marker passes the independent checker."""

from __future__ import annotations

from collections import Counter

import pytest

from yuefang.marker import Fabric, MarkerInputError, check_marker, nest, nest_instance
from yuefang.pattern.model import Pattern, Piece


def test_one_garment_is_nested_and_valid(small_marker, pattern):
    m = small_marker
    assert check_marker(m) == []
    # back (unfolded) 1, front 1 + 1 mirrored, sleeve 1 + 1 mirrored, pocket 1
    assert Counter(pl.piece for pl in m.placements) == {
        "0:back": 1, "0:front": 1, "0:front:m": 1, "0:sleeve": 1, "0:sleeve:m": 1, "0:pocket": 1,
    }
    assert m.width_mm == 680.0
    assert 0.3 < m.utilisation <= 1.0
    assert m.utilisation == pytest.approx(m.piece_area_mm2 / (m.length_mm * m.width_mm))
    # the pocket keeps its orientation (0 only)
    assert all(pl.rotation_deg == 0.0 for pl in m.placements if pl.piece == "0:pocket")
    assert min(x for pl in m.placements for x, _ in pl.outline) == pytest.approx(0.0, abs=1e-9)


def test_marker_json_round_trip(small_marker):
    from yuefang.marker import Marker

    again = Marker.from_json(small_marker.to_json())
    assert again == small_marker
    summary = small_marker.summary()
    assert summary["pieces"] == len(small_marker.placements)
    assert {"piece", "copy", "x_mm", "y_mm", "rotation_deg", "mirrored"} <= set(summary["placements"][0])


def test_gap_nap_and_mixed_sizes(make_pattern):
    fabric = Fabric(width_mm=900, selvedge_mm=5, nap="one_way")
    m = nest([(make_pattern(0.9, "S"), 1), (make_pattern(1.1, "L"), 1)], fabric, time_limit_s=1, gap_mm=5, seed=1)
    assert check_marker(m) == []
    assert m.gap_mm == 5.0
    assert {pl.rotation_deg for pl in m.placements} == {0.0}
    assert {pl.piece.split(":")[0] for pl in m.placements} == {"0", "1"}
    # the checker would catch a marker that claims a wider gap than it keeps
    assert any("apart" in p for p in check_marker(m.model_copy(update={"gap_mm": 50.0})))


def test_face_to_face_marker_has_no_mirrored_pieces(pattern, fabric):
    m = nest([(pattern, 1)], fabric, time_limit_s=1, spreading="face_to_face")
    assert check_marker(m) == []
    assert not any(pl.mirrored for pl in m.placements)
    assert Counter(pl.piece for pl in m.placements)["0:front"] == 2


def test_piece_exactly_as_wide_as_the_fabric_fits(rect):
    # the engine rules out exact fits; the package gives it a hair of slack (0.001 mm)
    pat = Pattern(
        product="t",
        pieces=(
            Piece(name="panel", label="Panel", cut=rect(300, 480), grain=((0, 0), (1, 0)), quantity=2),
            Piece(name="strip", label="Strip", cut=rect(200, 100), grain=((0, 0), (1, 0)), quantity=3),
        ),
    )
    m = nest([(pat, 1)], Fabric(width_mm=500, selvedge_mm=10), time_limit_s=1)
    assert check_marker(m) == []
    panel_ys = [y for pl in m.placements if pl.piece == "0:panel" for _, y in pl.outline]
    assert max(panel_ys) - min(panel_ys) == pytest.approx(480.0)


def test_bad_arguments_are_clear_errors(pattern, fabric):
    with pytest.raises(MarkerInputError, match="time_limit_s"):
        nest([(pattern, 1)], fabric, time_limit_s=0)
    with pytest.raises(MarkerInputError, match="gap_mm"):
        nest([(pattern, 1)], fabric, time_limit_s=1, gap_mm=-1)
    with pytest.raises(MarkerInputError, match="seed"):
        nest([(pattern, 1)], fabric, time_limit_s=1, seed=-2)
    with pytest.raises(MarkerInputError, match="fabric"):
        nest([(pattern, 1)], {"width_mm": 1500}, time_limit_s=1)  # type: ignore[arg-type]


def test_progress_is_reported(pattern, fabric):
    seen: list[float] = []
    nest([(pattern, 1)], fabric, time_limit_s=1, progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in seen)


def test_benchmark_instance_is_nested_and_valid(shirts_instance):
    m = nest_instance(shirts_instance, time_limit_s=2, seed=0)
    assert check_marker(m) == []
    assert len(m.placements) == sum(it["demand"] for it in shirts_instance["items"])
    assert m.width_mm == 40.0
    # sparrow's record is 90.92 %; even 2 s gives a sensible layout
    assert 0.70 < m.utilisation < 0.9092
    assert {pl.rotation_deg for pl in m.placements} <= {0.0, 180.0}


def test_instance_exact_fit_original_height(nesting_dir):
    import json

    fu = json.loads((nesting_dir / "fu.json").read_text())
    m = nest_instance(fu, time_limit_s=1, strip_height=38.0)
    assert m.width_mm == 38.0
    assert check_marker(m) == []


def test_instance_errors_name_the_item():
    inst = {
        "name": "bad",
        "strip_height": 10,
        "items": [
            {"id": 0, "demand": 1, "allowed_orientations": [0], "shape": {"type": "simple_polygon", "data": [[0, 0], [5, 0], [5, 5], [0, 5]]}},
            {"id": 1, "demand": 1, "allowed_orientations": [0], "shape": {"type": "simple_polygon", "data": [[0, 0], [5, 0], [5, 12], [0, 12]]}},
        ],
    }
    with pytest.raises(MarkerInputError) as info:
        nest_instance(inst, time_limit_s=1)
    assert info.value.field == "instance.items[1].shape"
    inst["items"][1]["shape"]["data"] = [[0, 0], [5, 5], [5, 0], [0, 5]]
    with pytest.raises(MarkerInputError, match=r"instance.items\[1\].shape.data"):
        nest_instance(inst, time_limit_s=1)
    with pytest.raises(MarkerInputError, match="strip_height"):
        nest_instance({"items": []}, time_limit_s=1, strip_height=-1)
