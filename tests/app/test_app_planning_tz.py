"""The ``planned`` step plans in the enterprise's time zone: a plan made at 23:30 in Guangdong starts at
23:00 +08:00, and its promised and due dates are Guangdong calendar days (not UTC ones)."""

from __future__ import annotations

import datetime as dt

import pytest

from yuefang.app import steps
from yuefang.app.models import Enterprise, Order

pytest.importorskip("yuefang.plan")

# 23:30 on 26 November in Guangdong is 15:30 UTC the same day
EVENING = dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)


def _line(operators: int = 10):
    from yuefang.plan import Line

    return Line(line_id="L1 Curtain line", factory_id="F1 Shunde", enterprise_id="1", operators=operators,
                minutes_per_day=480, efficiency=1.0, products=("curtain",), current_product="curtain",
                changeover_min=0, learning_days=0)  # fmt: skip


def _data(quantity: int, due: dt.date, time_zone: str) -> steps.OrderData:
    line = steps.LineData(id=1, line_no=1, product_id="curtain", inputs={}, options={}, size=None, quantity=quantity)
    data = steps.OrderData(id=7, enterprise_id=1, fabric={}, due_date=due, lines=[line], previous={})
    data.sewing_lines = [_line()]
    data.time_zone = time_zone
    data.now = EVENING
    return data


def _minutes(quantity: int) -> int:
    from yuefang.plan import Order as PlanOrder
    from yuefang.plan import order_duration_min

    return order_duration_min(PlanOrder(order_id="x", enterprise_id="1", product_id="curtain", quantity=quantity,
                                        due_date=dt.date(2030, 1, 1)), _line())  # fmt: skip


def test_plan_start_is_the_local_hour():
    assert steps.plan_start("Asia/Shanghai", EVENING).isoformat() == "2026-11-26T23:00:00+08:00"
    assert steps.plan_start("UTC", EVENING).isoformat() == "2026-11-26T15:00:00+00:00"
    assert steps.plan_start(None, EVENING).isoformat() == "2026-11-26T23:00:00+08:00"  # the default
    assert steps.plan_start("Not/AZone", EVENING).utcoffset() == dt.timedelta(hours=8)  # never fails a plan


def test_promise_at_2330_shanghai_is_a_shanghai_day():
    # a job of 1 to 20 hours started at 23:00 ends on the 27th in Guangdong, still on the 26th in UTC
    quantity = next(q for q in range(1, 2000) if 60 < _minutes(q) < 20 * 60)
    took = dt.timedelta(minutes=_minutes(quantity))
    out = steps.run_planned(_data(quantity, dt.date(2026, 11, 26), "Asia/Shanghai"), lambda f, m: None)
    s = out.summary
    assert s["start"] == "2026-11-26T23:00:00+08:00" and s["time_zone"] == "Asia/Shanghai"
    assert dt.datetime.fromisoformat(s["end"]) == dt.datetime(2026, 11, 26, 23, tzinfo=dt.timezone(dt.timedelta(hours=8))) + took
    assert out.promised_date == dt.date(2026, 11, 27) and s["promised_date"] == "2026-11-27"
    # due on the 26th (Guangdong): the order is late, and the plan says so
    assert s["meets_due_date"] is False and s["tardiness_days"] > 0
    # the same plan on the UTC clock would have promised the 26th: the day-early promise of old
    utc = steps.run_planned(_data(quantity, dt.date(2026, 11, 26), "UTC"), lambda f, m: None)
    assert utc.promised_date == dt.date(2026, 11, 26)


def test_work_planned_before_stays_in_its_place_across_zones():
    # an older plan (naive UTC) and one in +08:00 both block the line as the instants they are
    data = _data(1, dt.date(2026, 12, 31), "Asia/Shanghai")
    data.busy = [
        {"step": "planned", "order_id": "5:curtain", "line_id": "L1 Curtain line", "factory_id": "F1 Shunde",
         "enterprise_id": "1", "start": "2026-11-26T15:00:00", "end": "2026-11-26T18:00:00",
         "due_date": "2026-12-01", "tardiness_days": 0, "subcontracted": False},
    ]  # fmt: skip
    out = steps.run_planned(data, lambda f, m: None)
    start = dt.datetime.fromisoformat(out.summary["start"])
    assert start == dt.datetime(2026, 11, 27, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # 18:00 UTC


def test_enterprise_time_zone_defaults_to_shanghai_and_reaches_the_step(app, client, world, order_body):
    h = world.a.h("enterprise_admin")
    oid = client.post("/api/orders", json=order_body(due_date="2031-01-31"), headers=h).json()["id"]
    with app.state.sessionmaker() as s:
        ent = s.get(Enterprise, world.a.enterprise_id)
        assert ent.time_zone == "Asia/Shanghai"
        order = s.get(Order, oid)
        assert steps._load(s, order, "planned").time_zone == "Asia/Shanghai"
        ent.time_zone = "Asia/Urumqi"
        s.commit()
        try:
            assert steps._load(s, s.get(Order, oid), "planned").time_zone == "Asia/Urumqi"
        finally:
            ent.time_zone = "Asia/Shanghai"
            s.commit()


def test_an_enterprise_names_its_time_zone(client, world):
    h = world.b.h("enterprise_admin")
    url = f"/api/enterprises/{world.b.enterprise_id}"
    assert client.get(url, headers=h).json()["time_zone"] == "Asia/Shanghai"
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", None, ""):
        r = client.patch(url, json={"time_zone": bad}, headers=h)
        assert r.status_code == 422, (bad, r.text)
        assert any("time_zone" in str(d.get("field")) or "time_zone" in d.get("message", "") for d in r.json()["detail"])
    r = client.patch(url, json={"time_zone": "Asia/Hong_Kong"}, headers=h)
    assert r.status_code == 200 and r.json()["time_zone"] == "Asia/Hong_Kong"
    assert client.patch(url, json={"time_zone": "Asia/Shanghai"}, headers=h).json()["time_zone"] == "Asia/Shanghai"
    made = client.post("/api/enterprises", json={"name": "TZ Default Textiles", "city_code": "440300"},
                       headers=world.admin_headers)  # fmt: skip
    assert made.status_code == 201 and made.json()["time_zone"] == "Asia/Shanghai"


def test_step_errors_carry_catalogue_messages():
    err = steps.StepUnavailable("package_missing", package="yuefang.plan", detail="No module named 'ortools'")
    assert str(err) == "package yuefang.plan is not installed or incomplete (No module named 'ortools')"
    assert err.message is not None and err.message.key == "package_missing"
    plain = steps.StepFailed("a piece is wider than the fabric")  # a domain package's own words
    assert str(plain) == "a piece is wider than the fabric" and plain.message is None
    # every catalogue message formats with the values its key is given
    assert steps.message_text("no_due_date").startswith("due_date:")
    assert steps.message_text("needs_previous", {"step": "planned", "before": "nested", "status": "failed"}) == (
        "step planned needs step nested done first (it is failed)")
