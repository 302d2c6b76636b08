"""The measurement API (``/api/measure``): values from ``yuefang.measure``, 422 naming field/value/allowed."""

from __future__ import annotations

import io

import pytest

from yuefang.measure import complete_body, complete_designation, measurement_names

BODY = {"sex": "male", "stature": 1750, "weight_kg": 72, "age_years": 35, "chest_girth": 960}


@pytest.fixture()
def h(world):
    return world.a.h("shop_floor")  # any logged-in user


def test_complete_gives_the_domain_body(client, h):
    r = client.post("/api/measure/complete", json=BODY, headers=h)
    assert r.status_code == 200, r.text
    got = r.json()
    want = complete_body(sex="male", stature=1750, weight_kg=72, age_years=35, known={"chest_girth": 960}).to_dict()
    assert got == want
    assert set(got["values"]) == set(measurement_names("male"))
    assert got["values"]["chest_girth"] == 960.0 and "chest_girth" in got["given"]
    w = got["values"]["waist_girth"]
    assert got["low"]["waist_girth"] < w < got["high"]["waist_girth"]
    assert got["designation"]["top"].startswith("175/")


def test_complete_needs_a_login(client):
    r = client.post("/api/measure/complete", json=BODY)
    assert r.status_code == 401
    assert client.get("/api/measure/vocabulary").status_code == 401


def test_stature_in_centimetres_names_field_value_allowed_and_unit(client, h):
    r = client.post("/api/measure/complete", json={**BODY, "stature": 175}, headers=h)
    assert r.status_code == 422
    (err,) = [e for e in r.json()["detail"] if e["field"] == "stature"]
    assert err["value"] == 175 and err["allowed"] == "1200–2250 mm"
    assert "centimetres" in err["message"]


def test_unknown_measurement_and_weight_in_pounds(client, h):
    r = client.post("/api/measure/complete", json={**BODY, "weight_kg": 600, "chest_size": 3}, headers=h)
    assert r.status_code == 422
    errs = {e["field"]: e for e in r.json()["detail"]}
    assert errs["weight_kg"]["allowed"] == "25–300 kg" and "pounds" in errs["weight_kg"]["message"]
    assert "measurement name" in errs["chest_size"]["allowed"]


def test_batch_json_keeps_good_rows(client, h):
    rows = [{**BODY, "id": "P1"}, {"sex": "female", "stature": 1600, "weight_kg": 55, "bust_girth": 9000},
            {"sex": "female", "stature": 1620, "weight_kg": 58}]
    r = client.post("/api/measure/complete-batch", json=rows, headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    assert (j["count"], j["completed"], j["failed"]) == (3, 2, 1)
    assert j["rows"][0]["id"] == "P1" and j["rows"][0]["body"]["values"]["chest_girth"] == 960.0
    bad = j["rows"][1]
    assert bad["body"] is None and bad["errors"][0]["field"] == "bust_girth" and bad["errors"][0]["value"] == 9000
    assert j["rows"][2]["body"]["sex"] == "female"


def test_batch_csv_reports_the_bad_line(client, h):
    csv_text = ("id,sex,stature,weight_kg,age_years,chest_girth,shoe_size\n"
                "E1,male,1750,72,35,960,42\n"
                "E2,male,17.5,72,,,41\n"
                "E3,F,1600,55,,,37\n")
    files = {"file": ("people.csv", io.BytesIO(csv_text.encode()), "text/csv")}
    r = client.post("/api/measure/complete-batch/csv", files=files, headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    assert (j["count"], j["completed"], j["failed"]) == (3, 2, 1)
    assert j["ignored_columns"] == ["shoe_size"]
    bad = j["rows"][1]
    assert (bad["line"], bad["id"], bad["body"]) == (3, "E2", None)
    assert bad["reason"].startswith("line 3: stature") and bad["errors"][0]["allowed"] == "1200–2250 mm"
    assert j["rows"][2]["body"]["sex"] == "female"
    assert j["rows"][0]["body"]["values"]["chest_girth"] == 960.0


def test_batch_csv_without_stature_column(client, h):
    files = {"file": ("p.csv", io.BytesIO(b"id,sex,weight_kg\n1,male,70\n"), "text/csv")}
    r = client.post("/api/measure/complete-batch/csv", files=files, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "stature"


def test_designation_body(client, h):
    r = client.get("/api/measure/designations/170/88A", params={"sex": "male"}, headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    want = complete_designation("170/88A", "male", "top").to_dict()
    assert j["values"] == want["values"]
    assert (j["values"]["stature"], j["values"]["chest_girth"], j["values"]["waist_girth"]) == (1700.0, 880.0, 740.0)
    bottom = client.get("/api/measure/designations/165/68A", params={"sex": "female", "part": "bottom"}, headers=h)
    assert bottom.status_code == 200 and bottom.json()["values"]["waist_girth"] == 680.0


@pytest.mark.parametrize("label,params,field", [
    ("XL", {"sex": "male"}, "label"),
    ("170/88A", {"sex": "robot"}, "sex"),
    ("999/300A", {"sex": "male"}, "label"),
])  # fmt: skip
def test_bad_designation_is_422(client, h, label, params, field):
    r = client.get(f"/api/measure/designations/{label}", params=params, headers=h)
    assert r.status_code == 422, r.text
    e = r.json()["detail"][0]
    assert e["field"] == field and e["allowed"]


CHART = {"name": "shirts", "sizes": {"M": {"chest_girth": 960, "waist_girth": 820},
                                     "L": {"chest_girth": 1000, "waist_girth": {"value": 880, "tolerance": 30}}}}


def test_size_chart_fit(client, h):
    r = client.post("/api/measure/size-chart-fit", json={"chart": CHART, "body": BODY}, headers=h)
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["recommended"] == "M"
    assert j["body"]["values"]["chest_girth"] == 960.0
    assert set(j["by_size"]) == {"M", "L"}
    chest_m = [m for m in j["by_size"]["M"] if m["name"] == "chest_girth"][0]
    assert chest_m["fit"] == "good" and chest_m["difference_mm"] == 0.0


def test_size_chart_with_unknown_measurement(client, h):
    chart = {"sizes": {"M": {"chest_size": 96}}}
    r = client.post("/api/measure/size-chart-fit", json={"chart": chart, "body": BODY}, headers=h)
    assert r.status_code == 422
    e = r.json()["detail"][0]
    assert e["field"] == "chart" and "chest_size" in e["message"] and "MEASUREMENTS" in e["allowed"]


def test_vocabulary(client, h):
    r = client.get("/api/measure/vocabulary", headers=h)
    assert r.status_code == 200
    by_name = {m["name"]: m for m in r.json()}
    assert by_name["stature"]["name_zh"] == "身高" and by_name["stature"]["iso_clause"] == "5.1.1"
    assert set(measurement_names("female")) <= set(by_name)
    assert all(m["ansur"] for m in by_name.values())
