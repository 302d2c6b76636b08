"""Form reading, unit conversion and labels, without a server."""

from __future__ import annotations

import pytest

from yuefang.app.i18n import make_gettext
from yuefang.app.web.forms import field_messages, form_field_for, order_from_form
from yuefang.app.web.labels import STEP_LABELS, STEP_STATUS_LABELS, label, measurement_label
from yuefang.app.web.templating import PageContext
from yuefang.app.web.units import LengthInputError, format_length, parse_length
from yuefang.measure import MEASUREMENTS

KINDS = {"shirt": "garment", "curtain": "home_textile"}
HOME = {"curtain": ["window_width_mm", "drop_mm"]}


def _page(locale: str = "zh_CN", unit: str = "cm") -> PageContext:
    gettext, ngettext = make_gettext(locale)
    return PageContext(locale=locale, unit=unit, gettext=gettext, ngettext=ngettext)


@pytest.mark.parametrize("name", sorted(MEASUREMENTS))
def test_every_measurement_shows_its_chinese_name(name: str) -> None:
    chinese = MEASUREMENTS[name].name_zh
    assert measurement_label(name, "zh_CN") == chinese
    english = measurement_label(name, "en")
    assert english.endswith(chinese) and english != chinese


def test_every_step_and_status_is_translated() -> None:
    gettext, _ = make_gettext("zh_CN")
    for table in (STEP_LABELS, STEP_STATUS_LABELS):
        for code in table:
            text = label(table, code, gettext)
            assert text != table[code] and all("\u4e00" <= ch <= "\u9fff" for ch in text), (code, text)


@pytest.mark.parametrize(
    ("typed", "unit", "mm"), [("88", "cm", 880.0), ("88.5", "cm", 885.0), ("８８", "cm", 880.0), ("885", "mm", 885.0)]
)
def test_lengths_are_read_in_the_users_unit(typed: str, unit: str, mm: float) -> None:
    assert parse_length(typed, unit, field="chest_girth") == mm
    assert parse_length(format_length(mm, unit), unit, field="chest_girth") == mm


@pytest.mark.parametrize("typed", ["", "abc", "-5", "0", "nan", "inf"])
def test_bad_lengths_name_field_value_and_unit(typed: str) -> None:
    with pytest.raises(LengthInputError) as info:
        parse_length(typed, "mm", field="hip_girth")
    assert info.value.field == "hip_girth" and info.value.value == typed
    assert "hip_girth" in str(info.value) and "positive number of mm" in str(info.value)


def test_order_form_builds_the_service_input_in_mm() -> None:
    values = {
        "reference": "A-1", "fabric_width": "140", "nap": "one_way", "due_date": "2026-01-31", "product_id": "shirt",
        "sex": "female", "stature": "162", "weight_kg": "55", "chest": "86", "hip_girth": "94", "quantity": "3",
    }  # fmt: skip
    result = order_from_form(values, _page(), product_kinds=KINDS, home_fields=HOME)
    assert result.errors == {}
    data = result.data
    assert data.fabric_width_mm == 1400.0 and data.nap.value == "one_way" and str(data.due_date) == "2026-01-31"
    line = data.lines[0]
    assert line.quantity == 3
    assert line.inputs == {"sex": "female", "stature": 1620.0, "weight_kg": 55.0, "bust_girth": 860.0, "hip_girth": 940.0}


def test_order_form_reads_home_textile_sizes_in_the_users_unit() -> None:
    values = {"reference": "H-1", "fabric_width": "2800", "product_id": "curtain", "window_width_mm": "1800",
              "drop_mm": "2400", "stature": "999"}  # fmt: skip
    result = order_from_form(values, _page(unit="mm"), product_kinds=KINDS, home_fields=HOME)
    assert result.errors == {}
    assert result.data.lines[0].inputs == {"window_width_mm": 1800.0, "drop_mm": 2400.0}  # no body fields


def test_order_form_reads_style_options_as_typed_values() -> None:
    options = {"curtain": {"heading": ["pinch_pleat", "wave"], "panels": [1, 2]}}
    values = {"reference": "O-1", "fabric_width": "280", "product_id": "curtain", "window_width_mm": "180",
              "drop_mm": "250", "opt.curtain.heading": "wave", "opt.curtain.panels": "1"}  # fmt: skip
    result = order_from_form(values, _page(), product_kinds=KINDS, home_fields=HOME, product_options=options)
    assert result.errors == {}
    assert result.data.lines[0].options == {"heading": "wave", "panels": 1}
    bad = order_from_form({**values, "opt.curtain.panels": "3"}, _page("en"), product_kinds=KINDS, home_fields=HOME,
                          product_options=options)  # fmt: skip
    assert bad.errors == {"opt.curtain.panels": "panels: 3 is not allowed; allowed: 1, 2"}


def test_order_form_without_a_product_places_no_line() -> None:
    result = order_from_form({"reference": "N-1", "fabric_width": "150"}, _page(), product_kinds=KINDS, home_fields=HOME)
    assert result.errors == {} and result.data.lines == []


def test_order_form_messages_are_per_field_and_translated() -> None:
    values = {"reference": " ", "fabric_width": "x", "due_date": "31/01/2026", "product_id": "sofa"}
    zh = order_from_form(values, _page("zh_CN"), product_kinds=KINDS, home_fields=HOME).errors
    assert set(zh) == {"reference", "fabric_width", "due_date", "product_id"}
    assert zh["reference"] == "请填写订单号"
    assert zh["due_date"].startswith("交货日期：31/01/2026 不允许")
    en = order_from_form(values, _page("en"), product_kinds=KINDS, home_fields=HOME).errors
    assert en["fabric_width"] == "Fabric width: x is not a length; allowed: a positive number of cm"
    assert en["product_id"] == "Product: sofa is not allowed; allowed: shirt, curtain"


def test_service_errors_map_to_form_fields_in_the_users_unit() -> None:
    errors = [
        {"field": "lines[0].inputs.stature", "value": 3000, "allowed": "1200–2250 mm", "message": "x"},
        {"field": "lines[0].inputs.chest_girth", "value": None, "allowed": "650–1700 mm", "message": "x"},
    ]
    messages = field_messages(errors, _page("zh_CN", "cm"))
    assert messages["stature"] == "身高：300.0 cm 不允许；允许：120.0–225.0 cm"
    assert messages["chest"] == "请填写胸围；允许：65.0–170.0 cm"
    assert form_field_for("rows[4].options.fullness") == "fullness"


def test_home_textile_bound_errors_name_the_bound_in_the_users_unit() -> None:
    """A curtain wider than the product allows: the message gives the bound in cm, not Pydantic's English."""
    from yuefang.app.errors import InvalidInput
    from yuefang.app.services.products import validate_line

    with pytest.raises(InvalidInput) as info:
        validate_line(product_id="curtain", inputs={"window_width_mm": 24000.0, "drop_mm": 2600.0}, options={})
    errors = info.value.errors
    assert [e["allowed"] for e in errors] == ["≤ 12000 mm"]
    en = field_messages(errors, _page("en", "cm"))
    assert en["window_width_mm"] == "Window width: 2400.0 cm is not allowed; allowed: ≤ 1200.0 cm"
    zh_mm = field_messages(errors, _page("zh_CN", "mm"))
    assert zh_mm["window_width_mm"].endswith("≤ 12000 mm")


def test_order_form_reports_every_problem_at_once() -> None:
    """A field the form cannot read, a schema bound and the product's own checks come back together,
    each naming its field (not one round of errors, then another after the first is fixed)."""
    values = {"reference": "R-1", "fabric_width": "x", "product_id": "shirt", "sex": "male", "stature": "17",
              "quantity": "0", "weight_kg": "heavy"}  # fmt: skip
    en = order_from_form(values, _page("en"), product_kinds=KINDS, home_fields=HOME).errors
    assert set(en) == {"fabric_width", "stature", "quantity", "weight_kg"}, en
    assert en["fabric_width"].startswith("Fabric width: x is not a length")
    assert en["weight_kg"].startswith("Weight (kg): heavy is not allowed")
    assert en["quantity"].startswith("Quantity: 0 is not allowed")
    assert en["stature"].startswith("Stature") and "17.0 cm is not allowed" in en["stature"], en["stature"]
    curtain = {"reference": "R-2", "fabric_width": "", "product_id": "curtain", "window_width_mm": "24000",
               "drop_mm": "abc"}  # fmt: skip
    zh = order_from_form(curtain, _page("zh_CN", "mm"), product_kinds=KINDS, home_fields=HOME).errors
    assert set(zh) == {"fabric_width", "window_width_mm", "drop_mm"}, zh
