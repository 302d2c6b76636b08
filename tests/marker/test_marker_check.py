"""The checker catches every kind of broken marker (it must, since tests rely on it)."""

from __future__ import annotations

from yuefang.marker import check_marker, transform_outline


def _move(marker, index, dx=0.0, dy=0.0, rotation=None):
    pl = marker.placements[index]
    piece = {p.key: p for p in marker.pieces}[pl.piece]
    rot = pl.rotation_deg if rotation is None else rotation
    new = pl.model_copy(
        update={
            "x_mm": pl.x_mm + dx,
            "y_mm": pl.y_mm + dy,
            "rotation_deg": rot,
            "outline": transform_outline(piece.outline, rot, pl.x_mm + dx, pl.y_mm + dy),
        }
    )
    placements = list(marker.placements)
    placements[index] = new
    return marker.model_copy(update={"placements": tuple(placements)})


def test_valid_marker_has_no_problem(small_marker):
    assert check_marker(small_marker) == []


def test_overlap_is_found(small_marker):
    a, b = small_marker.placements[0], small_marker.placements[1]
    broken = _move(small_marker, 1, dx=a.x_mm - b.x_mm, dy=a.y_mm - b.y_mm)
    assert any("overlap" in p for p in check_marker(broken))


def test_piece_outside_the_strip_is_found(small_marker):
    broken = _move(small_marker, 0, dy=small_marker.width_mm)
    assert any("outside the strip" in p for p in check_marker(broken))


def test_missing_copy_and_wrong_count_are_found(small_marker):
    broken = small_marker.model_copy(update={"placements": small_marker.placements[1:]})
    problems = check_marker(broken)
    assert any("copies placed" in p for p in problems)
    key = small_marker.placements[0].piece
    assert any("copies placed" in p for p in check_marker(small_marker, expected_copies={key: 2}))


def test_forbidden_rotation_is_found(small_marker):
    i = next(k for k, pl in enumerate(small_marker.placements) if pl.piece == "0:pocket")
    broken = _move(small_marker, i, rotation=180.0)
    assert any("rotation 180.0 not in" in p for p in check_marker(broken))


def test_stored_outline_must_match_the_placement(small_marker):
    pl = small_marker.placements[0]
    lied = pl.model_copy(update={"x_mm": pl.x_mm + 5})
    broken = small_marker.model_copy(update={"placements": (lied, *small_marker.placements[1:])})
    assert any("stored outline" in p for p in check_marker(broken))


def test_length_and_utilisation_must_be_those_of_the_pieces(small_marker):
    longer = small_marker.model_copy(update={"length_mm": small_marker.length_mm + 10})
    problems = check_marker(longer)
    assert any("length" in p for p in problems) and any("utilisation" in p for p in problems)
