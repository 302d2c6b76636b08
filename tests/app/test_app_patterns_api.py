"""The pattern API (``/api/patterns``): drafts and exports equal to ``yuefang.pattern``'s, 422 naming
field/value/allowed, 401 without login."""

from __future__ import annotations

import json

import pytest

from yuefang.pattern.export import to_svg
from yuefang.pattern.products import PRODUCT_MODULES, get_product

CURTAIN = {"inputs": {"window_width_mm": 1800, "drop_mm": 2400}, "options": {"heading": "pencil_pleat", "panels": 2},
           "size": "W1800", "order_line": "7"}


@pytest.fixture()
def h(world):
    return world.b.h("cutting_room")  # any logged-in user


def test_draft_curtain_equals_the_domain_draft(client, h):
    r = client.post("/api/patterns/curtain/draft", json=CURTAIN, headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    pattern = get_product("curtain").draft(CURTAIN["inputs"], CURTAIN["options"], size="W1800", order_line="7")
    assert j["pieces"] == json.loads(pattern.to_json())
    assert j["svg"] == to_svg(pattern)
    assert j["product"] == "curtain" and j["size"] == "W1800" and j["ok"] is True
    assert j["report"]["ok"] is True
    assert len(j["pieces"]["pieces"]) == len(pattern.pieces) > 0


def test_draft_shirt_completes_the_body_first(client, h):
    body = {"sex": "male", "stature": 1750, "weight_kg": 72, "chest_girth": 1000}
    r = client.post("/api/patterns/shirt/draft", json={"inputs": body, "size": "175/100A"}, headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    names = {p["name"] for p in j["pieces"]["pieces"]}
    assert {"back", "sleeve", "collar"} <= names
    assert j["size"] == "175/100A" and j["svg"].lstrip().startswith("<")
    # the given chest is kept: a bigger chest gives a wider back piece than a smaller one
    small = client.post("/api/patterns/shirt/draft", json={"inputs": {**body, "chest_girth": 880}}, headers=h).json()
    width = lambda pj: max(x for x, _ in next(p for p in pj["pieces"]["pieces"] if p["name"] == "back")["cut"])  # noqa: E731
    assert width(j) > width(small)


def test_unknown_product_names_the_allowed_ones(client, h):
    r = client.post("/api/patterns/kimono/draft", json={"inputs": {}}, headers=h)
    assert r.status_code == 422
    e = r.json()["detail"][0]
    assert e["field"] == "product" and e["value"] == "kimono"
    assert e["allowed"] == ", ".join(sorted(PRODUCT_MODULES))


def test_bad_option_and_input_are_422(client, h):
    r = client.post("/api/patterns/shirt/draft", json={"inputs": {"sex": "male", "stature": 1750},
                                                       "options": {"fit": "baggy"}}, headers=h)  # fmt: skip
    assert r.status_code == 422
    e = r.json()["detail"][0]
    assert (e["field"], e["value"]) == ("options.fit", "baggy") and "slim" in e["allowed"]
    r = client.post("/api/patterns/shirt/draft", json={"inputs": {"sex": "male", "stature": 175}}, headers=h)
    assert r.status_code == 422
    e = r.json()["detail"][0]
    assert (e["field"], e["value"], e["allowed"]) == ("inputs.stature", 175, "1200–2250 mm")
    r = client.post("/api/patterns/curtain/draft", json={"inputs": {"window_width_mm": 1800}}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "inputs.drop_mm"


def test_input_error_from_the_draft_names_field_value_allowed(client, h):
    body = {"inputs": {"window_width_mm": 1800, "drop_mm": 3100}, "options": {"lining": True}}
    r = client.post("/api/patterns/curtain/draft", json=body, headers=h)
    assert r.status_code == 422, r.text
    e = r.json()["detail"][0]
    assert (e["field"], e["value"]) == ("inputs.drop_mm", 3100)
    assert e["allowed"].startswith("at most 2600 mm")


def test_option_error_from_the_draft_names_field_value_allowed(client, h):
    body = {"inputs": {"sex": "male", "stature": 1750, "weight_kg": 72}, "options": {"length_mm": 2000}}
    r = client.post("/api/patterns/shirt/draft", json=body, headers=h)
    assert r.status_code == 422, r.text
    e = r.json()["detail"][0]
    assert (e["field"], e["value"]) == ("options.length_mm", 2000)
    assert e["allowed"].startswith("between ") and e["allowed"].endswith("mm for this body")


@pytest.mark.parametrize("fmt,media,magic", [
    ("svg", "image/svg+xml", b"<"),
    ("pdf-a4", "application/pdf", b"%PDF"),
    ("pdf-plot", "application/pdf", b"%PDF"),
    ("dxf", "image/vnd.dxf", b"0"),
    ("hpgl", "application/vnd.hp-hpgl", b"IN"),
    ("pieces", "application/json", b"{"),
    ("report", "application/json", b"{"),
])  # fmt: skip
def test_export_formats(client, h, fmt, media, magic):
    r = client.post(f"/api/patterns/curtain/export?format={fmt}", json=CURTAIN, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert r.content.lstrip().startswith(magic)
    assert "attachment" in r.headers["content-disposition"]
    if fmt == "pieces":
        assert r.json()["product"] == "curtain"


def test_export_bad_format_is_422(client, h):
    r = client.post("/api/patterns/curtain/export?format=png", json=CURTAIN, headers=h)
    assert r.status_code == 422
    e = r.json()["detail"][0]
    assert e["field"].endswith("format") and e["value"] == "png"


def test_patterns_need_a_login(client):
    assert client.post("/api/patterns/curtain/draft", json=CURTAIN).status_code == 401
    assert client.post("/api/patterns/curtain/export?format=svg", json=CURTAIN).status_code == 401
