import pytest

from yuefang.measure import SizeChart, complete_body, fit_size_chart
from yuefang.measure.sizechart import SizeChartError

CSV = """size,chest_girth,chest_girth_tolerance,waist_girth,waist_girth_tolerance
S,880,20,740,20
M,920,20,780,20
L,960,20,820,20
"""


def test_csv_parse_and_round_trip_through_json() -> None:
    chart = SizeChart.from_csv_text(CSV, name="shirts")
    assert [s.label for s in chart.sizes] == ["S", "M", "L"]
    assert chart.sizes[1].measurements["waist_girth"] == (780.0, 20.0)
    again = SizeChart.from_dict(chart.to_dict())
    assert again == chart


def test_json_with_plain_numbers_uses_default_tolerance() -> None:
    chart = SizeChart.from_dict({"default_tolerance_mm": 15, "sizes": [
        {"label": "38", "measurements": {"neck_girth": 380}}, {"label": "40", "measurements": {"neck_girth": 400}}]})
    assert chart.sizes[0].measurements["neck_girth"] == (380.0, 15.0)


def test_fit_per_measurement_with_amounts() -> None:
    chart = SizeChart.from_csv_text(CSV)
    fit = fit_size_chart(chart, {"chest_girth": 925, "waist_girth": 770})
    assert fit.recommended == "M" and not fit.between_sizes and not fit.outside_chart and not fit.made_to_measure
    assert {f.name: f.fit for f in fit.fits} == {"chest_girth": "good", "waist_girth": "good"}
    s = {f.name: f for f in fit.by_size["S"]}
    assert s["chest_girth"].fit == "tight" and s["chest_girth"].by_mm == pytest.approx(25)
    big = {f.name: f for f in fit.by_size["L"]}
    assert big["waist_girth"].fit == "loose" and big["waist_girth"].by_mm == pytest.approx(30)


def test_between_sizes_and_outside_the_chart() -> None:
    chart = SizeChart.from_csv_text(CSV)
    between = fit_size_chart(chart, {"chest_girth": 880, "waist_girth": 820})  # S chest, L waist
    assert between.between_sizes and not between.outside_chart and between.made_to_measure
    assert len(between.alternatives) == 2
    outside = fit_size_chart(chart, {"chest_girth": 1100, "waist_girth": 820})
    assert outside.outside_chart and outside.made_to_measure and outside.recommended == "L"
    assert "above the largest size" in outside.notes[0]


def test_completed_womens_body_uses_bust_for_chest() -> None:
    chart = SizeChart.from_csv_text(CSV)
    body = complete_body(sex="female", stature=1650, weight_kg=60, known={"bust_girth": 920, "waist_girth": 780})
    assert fit_size_chart(chart, body).recommended == "M"


def test_garment_chart_takes_off_the_ease() -> None:
    chart = SizeChart.from_csv_text("size,chest_girth\nS,1080\nM,1120\n", basis="garment", garment_type="shirt")
    fit = fit_size_chart(chart, {"chest_girth": 920})
    assert fit.recommended == "M" and fit.fits[0].size_mm == 920


@pytest.mark.parametrize(
    ("text", "kw", "match"),
    [("label_x,chest_girth\nS,880\n", {}, "size"),
     ("size,chest_girth\nS,wide\n", {}, "line 2, chest_girth"),
     ("size,chest\nS,880\n", {}, "unknown measurement"),
     ("size,chest_girth\nS,880\nS,900\n", {}, "twice"),
     ("size,chest_girth\nS,880\n", {"basis": "garment", "garment_type": "kimono"}, "garment_type")],
)
def test_bad_charts_name_the_problem(text: str, kw: dict, match: str) -> None:
    with pytest.raises(SizeChartError, match=match):
        SizeChart.from_csv_text(text, **kw)
