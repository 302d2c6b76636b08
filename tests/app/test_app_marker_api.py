"""``/api/marker``: a marker of the user's own patterns as a job (202, drained here, checked)."""

from __future__ import annotations

from typing import Any

import pytest

from yuefang.app.jobs import drain
from yuefang.marker import Marker, check_marker
from yuefang.pattern.model import Pattern, Piece


def _pattern(width_mm: float = 200.0) -> dict[str, Any]:
    square = ((0.0, 0.0), (width_mm, 0.0), (width_mm, 150.0), (0.0, 150.0))
    tri = ((0.0, 0.0), (180.0, 0.0), (90.0, 120.0))
    p = Pattern(product="api_test", size="M", pieces=(
        Piece(name="panel", label="Panel", cut=square, grain=((10, 0), (10, 100))),
        Piece(name="gusset", label="Gusset", cut=tri, grain=((90, 0), (90, 100)), quantity=2, mirrored_pair=True),
    ))  # fmt: skip
    return p.model_dump(mode="json")


def _body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "patterns": [{"pattern": _pattern(), "quantity": 2}],
        "fabric": {"name": "poplin", "width_mm": 600, "selvedge_mm": 10},
        "time_limit_s": 1,
        "seed": 0,
        "gap_mm": 2,
        "spreading": "face_up",
    }
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def done(app, world):
    """Enterprise A's cutting room nests a marker; the job is drained here."""
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        r = c.post("/api/marker/nest", json=_body(), headers=world.a.h("cutting_room"))
        assert r.status_code == 202, r.text
        job = r.json()
        assert job["state"] == "queued" and job["kind"] == "marker.nest"
        drain(app.state.sessionmaker, app.state.settings)
        got = c.get(f"/api/jobs/{job['id']}", headers=world.a.h("cutting_room")).json()
    return got


def test_nest_job_stores_a_valid_marker(done):
    assert done["state"] == "done", done["error"]
    result = done["result"]
    marker = Marker.model_validate(result["marker"])
    # checked independently of the job's own check: every copy placed, no overlap, inside the width
    expected = {"0:panel": 2, "0:gusset": 2, "0:gusset:m": 2}
    assert check_marker(marker, expected_copies=expected) == []
    assert result["problems"] == []
    assert marker.width_mm == pytest.approx(580.0)
    summary = result["summary"]
    assert summary["length_mm"] == pytest.approx(marker.length_mm, abs=1e-3)
    assert 0 < summary["utilisation"] <= 1
    assert len(summary["placements"]) == 6
    assert result["svg"].lstrip().startswith("<")
    assert done["progress"] == 1.0


def test_marker_svg_endpoint(client, world, done):
    r = client.get(f"/api/marker/jobs/{done['id']}/svg", headers=world.a.h("planner"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in r.text


def test_other_enterprise_gets_404(client, world, done):
    for path in (f"/api/jobs/{done['id']}", f"/api/marker/jobs/{done['id']}/svg"):
        other = client.get(path, headers=world.b.h("enterprise_admin"))
        missing = client.get(path.replace(str(done["id"]), "987654"), headers=world.b.h("enterprise_admin"))
        assert other.status_code == 404 and missing.status_code == 404
        assert other.json()["code"] == missing.json()["code"] == "not_found"


@pytest.mark.parametrize("role,status", [("enterprise_admin", 202), ("planner", 202), ("cutting_room", 202),
                                         ("order_desk", 403), ("shop_floor", 403)])  # fmt: skip
def test_roles(client, world, role, status):
    r = client.post("/api/marker/nest", json=_body(), headers=world.b.h(role))
    assert r.status_code == status, r.text
    if status == 403:
        assert r.json()["detail"][0]["field"] == "role"


def test_cluster_office_403_and_anonymous_401(client, world):
    assert client.post("/api/marker/nest", json=_body(), headers=world.admin_headers).status_code == 403
    assert client.post("/api/marker/nest", json=_body()).status_code == 401


def test_piece_wider_than_usable_width_is_422_at_submit(client, world):
    body = _body(patterns=[{"pattern": _pattern(width_mm=700), "quantity": 1}])
    body["fabric"]["width_mm"] = 300  # usable 280 mm; the panel is 700 x 150 and may turn 180 only
    r = client.post("/api/marker/nest", json=body, headers=world.a.h("cutting_room"))
    assert r.status_code == 422, r.text
    err = r.json()["detail"][0]
    assert err["field"] == "patterns[0].pieces[panel].cut"
    assert "usable width 280.0 mm" in err["allowed"]


def test_bad_fabric_is_422_naming_field(client, world):
    body = _body()
    body["fabric"]["selvedge_mm"] = 400  # half of the width or more
    r = client.post("/api/marker/nest", json=body, headers=world.a.h("cutting_room"))
    assert r.status_code == 422
    err = r.json()["detail"][0]
    assert err["field"] == "fabric.selvedge_mm" and err["value"] == 400
    assert "less than half of width_mm" in err["allowed"]
    body = _body(time_limit_s=601)
    r = client.post("/api/marker/nest", json=body, headers=world.a.h("cutting_room"))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "time_limit_s"


def test_bad_pattern_is_422_naming_field(client, world):
    pattern = _pattern()
    pattern["pieces"][0]["cut"] = [[0, 0], [1, 1]]
    r = client.post("/api/marker/nest", json=_body(patterns=[{"pattern": pattern, "quantity": 1}]),
                    headers=world.a.h("cutting_room"))  # fmt: skip
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"].startswith("patterns[0].pattern.pieces.0.cut")


def test_svg_of_unfinished_job_is_409(client, world):
    r = client.post("/api/marker/nest", json=_body(), headers=world.a.h("planner"))
    job_id = r.json()["id"]
    r = client.get(f"/api/marker/jobs/{job_id}/svg", headers=world.a.h("planner"))
    assert r.status_code == 409 and "queued" in r.json()["message"]
