"""Any dimensions and options inside the allowed ranges give valid pieces, or a clear refusal."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from yuefang.pattern.errors import InputError, OptionError
from yuefang.pattern.home.curtain import HEADINGS
from yuefang.pattern.home.curtain import PRODUCT as CURTAIN
from yuefang.pattern.home.duvet_cover import PRODUCT as DUVET
from yuefang.pattern.home.fitted_sheet import PRODUCT as SHEET

FAST = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _valid(pattern) -> None:
    geometry = [c for c in pattern.report["checks"] if c["kind"] == "geometry"]
    assert geometry and all(c["ok"] for c in geometry), geometry
    for p in pattern.pieces:
        poly = Polygon(p.cut)
        assert poly.is_valid and poly.exterior.is_simple and poly.exterior.is_ccw


@FAST
@given(
    width=st.floats(300, 12000), drop=st.floats(300, 6000), heading=st.sampled_from(sorted(HEADINGS)),
    fabric=st.sampled_from(["fixed_height", "fixed_width"]), fullness=st.none() | st.floats(1.2, 3.0),
    repeat=st.floats(0, 2000), panels=st.sampled_from([1, 2]), bottom=st.floats(0, 200), lining=st.booleans(),
)
def test_curtain(width, drop, heading, fabric, fullness, repeat, panels, bottom, lining) -> None:
    opts = {"heading": heading, "fabric": fabric, "fullness": fullness, "pattern_repeat_mm": repeat,
            "panels": panels, "bottom_hem_mm": bottom, "lining": lining}
    try:
        pat = CURTAIN.draft({"window_width_mm": width, "drop_mm": drop}, opts)
    except InputError as exc:  # a drop taller than fixed-height fabric
        assert exc.field == "drop_mm" and fabric == "fixed_height"
        return
    except OptionError as exc:  # a drop taller than the lining fabric
        assert exc.field == "lining" and lining and drop > 2700
        return
    _valid(pat)


@FAST
@given(w=st.floats(500, 3000), length=st.floats(500, 3200), ease=st.floats(0, 100),
       closure=st.sampled_from(["zip", "envelope", "buttons", "ties"]), ties=st.booleans())
def test_duvet_cover(w, length, ease, closure, ties) -> None:
    _valid(DUVET.draft({"duvet_width_mm": w, "duvet_length_mm": length},
                       {"ease_mm": ease, "closure": closure, "corner_ties": ties}))


@FAST
@given(w=st.floats(600, 2400), length=st.floats(1200, 2400), d=st.floats(50, 450), tuck=st.floats(30, 250),
       elastic=st.sampled_from(["all_round", "corners"]))
def test_fitted_sheet(w, length, d, tuck, elastic) -> None:
    _valid(SHEET.draft({"mattress_width_mm": w, "mattress_length_mm": length, "mattress_depth_mm": d},
                       {"tuck_under_mm": tuck, "elastic": elastic}))
