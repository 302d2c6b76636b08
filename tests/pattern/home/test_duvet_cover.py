"""Duvet covers: the usual sizes and any other, closures, ties, refusals."""

from __future__ import annotations

import pytest

from yuefang.pattern.errors import InputError, OptionError
from yuefang.pattern.home.duvet_cover import DUVET_SIZES_CM, PRODUCT


def _wh(piece):
    xs = [p[0] for p in piece.cut]
    ys = [p[1] for p in piece.cut]
    return max(xs) - min(xs), max(ys) - min(ys)


@pytest.mark.parametrize(("w_cm", "l_cm"), [*DUVET_SIZES_CM, (165, 210)])
def test_cover_is_the_duvet_plus_ease_plus_allowances(w_cm: int, l_cm: int) -> None:
    pat = PRODUCT.draft({"duvet_size": f"{w_cm}x{l_cm}"}, {"ease_mm": 30, "seam_allowance_mm": 15})
    front = next(p for p in pat.pieces if p.name == "front")
    w, length = _wh(front)
    assert w == pytest.approx(w_cm * 10 + 30 + 30)
    assert length == pytest.approx(l_cm * 10 + 30 + 15 + 15)  # zip: allowance at both ends
    sx = [p[0] for p in front.sew]
    assert max(sx) - min(sx) == pytest.approx(w_cm * 10 + 30)
    assert pat.report["ok"]


def test_dimensions_in_mm_equal_the_size_label() -> None:
    a = PRODUCT.draft({"duvet_size": "200x230"})
    b = PRODUCT.draft({"duvet_width_mm": 2000, "duvet_length_mm": 2300})
    assert a.pieces == b.pieces


def test_envelope_front_runs_on_by_the_flap() -> None:
    pat = PRODUCT.draft({"duvet_size": "150x200"}, {"closure": "envelope", "envelope_flap_mm": 400})
    front, back = pat.pieces[0], pat.pieces[1]
    assert _wh(front)[1] - _wh(back)[1] == pytest.approx(400)
    assert any(ln.name == "flap_fold" for ln in front.lines)


def test_buttons_put_buttonholes_on_the_back_and_buttons_on_the_front() -> None:
    pat = PRODUCT.draft({"duvet_size": "200x230"}, {"closure": "buttons"})
    front, back = pat.pieces[0], pat.pieces[1]
    holes = [ln for ln in back.lines if ln.kind == "buttonhole"]
    buttons = [ln for ln in front.lines if ln.kind == "button"]
    assert len(holes) == len(buttons) == pat.report["fasteners"] >= 2


def test_ties_and_corner_ties_are_pieces() -> None:
    pat = PRODUCT.draft({"duvet_size": "200x230"}, {"closure": "ties", "corner_ties": True})
    names = {p.name: p.quantity for p in pat.pieces}
    assert names["corner_tie"] == 8
    assert names["closure_tie"] == 2 * pat.report["fasteners"]
    assert "corner_tie" not in {p.name for p in PRODUCT.draft({"duvet_size": "200x230"}, {"corner_ties": False}).pieces}


def test_zip_notches_mark_the_opening() -> None:
    pat = PRODUCT.draft({"duvet_size": "200x230"}, {"zip_inset_mm": 200, "ease_mm": 30})
    zips = [n for n in pat.pieces[0].notches if n.name == "zip_end"]
    assert len(zips) == 2
    assert abs(zips[1].x - zips[0].x) == pytest.approx(pat.report["zip_length_mm"]) == pytest.approx(2030 - 400)


def test_too_wide_for_the_fabric_fails_the_self_check() -> None:
    pat = PRODUCT.draft({"duvet_size": "220x240"}, {"fabric_width_mm": 1500})
    checks = {c["name"]: c for c in pat.report["checks"]}
    assert not pat.report["ok"] and not checks["fits_fabric_width"]["ok"] and checks["valid_polygons"]["ok"]


def test_bad_inputs_and_options_are_refused() -> None:
    with pytest.raises(InputError) as exc:
        PRODUCT.draft({"duvet_size": "queen"})
    assert exc.value.field == "duvet_size" and "150x200" in exc.value.allowed
    with pytest.raises(InputError) as exc:
        PRODUCT.draft({"duvet_width_mm": 100, "duvet_length_mm": 2000})
    assert exc.value.field == "duvet_width_mm"
    with pytest.raises(OptionError) as exc2:
        PRODUCT.draft({"duvet_size": "150x200"}, {"closure": "velcro"})
    assert exc2.value.field == "closure" and "zip" in exc2.value.allowed
