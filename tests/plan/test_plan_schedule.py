"""Scheduling orders on the cluster's lines: eligibility, subcontracts, frozen work, stops, EDD."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from yuefang.plan import (
    Line,
    Order,
    PlannedOrder,
    Subcontract,
    check_schedule,
    edd_schedule,
    order_duration_min,
    planned_step,
    schedule_orders,
    synthetic_cluster,
)


def test_duration_follows_capacity_learning_and_changeover() -> None:
    ln = Line(line_id="L", factory_id="F", enterprise_id="E", operators=10, minutes_per_day=480, efficiency=0.5,
              current_product="shirt", changeover_min=120, learning_days=2, learning_start_fraction=0.5)
    o = Order(order_id="o", enterprise_id="E", product_id="shirt", quantity=240, due_date=date(2026, 1, 9), smv_min=10)
    # 2400 SMV-min at 2400 per day: one day on the known style
    assert order_duration_min(o, ln) == 1440
    new = order_duration_min(o.model_copy(update={"product_id": "trousers"}), ln)
    # a new style: slower start (ramp) plus a changeover of 120 work minutes = 360 calendar minutes
    assert new > 1440 + 360
    big = o.model_copy(update={"quantity": 2400, "product_id": "trousers"})
    # long order: the ramp costs (1 - 0.5) / 2 * 2 days = half a day
    assert order_duration_min(big, ln) == pytest.approx(10 * 1440 + 720 + 360, abs=1)


def test_small_plan_is_valid_and_no_worse_than_edd(small_orders, small_lines, plan_start) -> None:
    edd = edd_schedule(small_orders, small_lines, start=plan_start)
    s = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=5)
    assert check_schedule(s, small_orders, small_lines) == []
    assert check_schedule(edd, small_orders, small_lines) == []
    assert s.total_tardiness_days <= edd.total_tardiness_days + 1e-6
    assert {p.order_id for p in s.planned} == {o.order_id for o in small_orders}
    # enterprise A has no subcontract: B's line is never used
    assert all(p.line_id in {"A1", "A2"} for p in s.planned)


def test_accepted_subcontract_opens_the_partner_line(small_orders, small_lines, plan_start) -> None:
    subs = [Subcontract(order_id=o.order_id, enterprise_id="B", accepted=True) for o in small_orders[:4]]
    subs += [Subcontract(order_id=o.order_id, enterprise_id="B", accepted=False) for o in small_orders[4:]]
    s = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=5, subcontracts=subs)
    assert check_schedule(s, small_orders, small_lines, subcontracts=subs) == []
    on_b = {p.order_id for p in s.planned if p.line_id == "B1"}
    assert on_b <= {o.order_id for o in small_orders[:4]}
    assert all(p.subcontracted == (p.line_id == "B1") for p in s.planned)
    without = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=5)
    assert s.total_tardiness_days <= without.total_tardiness_days + 1e-6
    # the checker rejects the B line for an order whose offer was not accepted
    bad = s.model_copy(update={"planned": tuple(
        p.model_copy(update={"line_id": "B1", "factory_id": "FB"}) if p.order_id == small_orders[5].order_id else p
        for p in s.planned)})
    assert any("not eligible" in e for e in check_schedule(bad, small_orders, small_lines, subcontracts=subs))


def test_replan_keeps_started_orders_and_avoids_a_stopped_line(small_orders, small_lines, plan_start) -> None:
    first = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=3)
    now = plan_start + timedelta(days=1)
    started = [p for p in first.planned if p.start < now]
    assert started
    # line A2 stops until day 4; a new order arrives
    stopped_until = plan_start + timedelta(days=4)
    lines = [ln.model_copy(update={"available_from": stopped_until}) if ln.line_id == "A2" else ln
             for ln in small_lines]
    new = Order(order_id="new", enterprise_id="A", product_id="shirt", quantity=100, due_date=date(2026, 3, 6))
    orders = small_orders + [new]
    s = schedule_orders(orders, lines, start=now, time_limit_s=3, frozen=started)
    assert check_schedule(s, orders, lines, frozen=started) == []
    for f in started:
        p = s.for_order(f.order_id)
        assert p is not None and (p.line_id, p.start, p.end) == (f.line_id, f.start, f.end) and p.frozen
    for p in s.planned:
        if not p.frozen:
            assert p.start >= now
            if p.line_id == "A2":
                assert p.start >= stopped_until
    moved = s.model_copy(update={"planned": tuple(
        p.model_copy(update={"start": p.start + timedelta(hours=1), "end": p.end + timedelta(hours=1)})
        if p.order_id == started[0].order_id else p for p in s.planned)})
    assert any("frozen" in e for e in check_schedule(moved, orders, lines, frozen=started))


def test_checker_finds_overlap_and_short_duration(small_orders, small_lines, plan_start) -> None:
    s = edd_schedule(small_orders, small_lines, start=plan_start)
    a, b = [p for p in s.planned if p.line_id == "A1"][:2]
    overlap = s.model_copy(update={"planned": tuple(
        p.model_copy(update={"start": a.start, "end": a.start + (b.end - b.start)}) if p.order_id == b.order_id else p
        for p in s.planned)})
    errors = check_schedule(overlap, small_orders, small_lines)
    assert any("overlaps" in e for e in errors)
    short = s.model_copy(update={"planned": tuple(
        p.model_copy(update={"end": p.start + timedelta(minutes=5)}) if p.order_id == a.order_id else p
        for p in s.planned)})
    assert any("capacity needs" in e for e in check_schedule(short, small_orders, small_lines))


def test_order_without_a_line_is_reported(small_lines, plan_start) -> None:
    o = Order(order_id="c1", enterprise_id="A", product_id="curtain", quantity=10, due_date=date(2026, 3, 9))
    s = schedule_orders([o], small_lines, start=plan_start, time_limit_s=1)
    assert "c1" in s.unscheduled and "curtain" in s.unscheduled["c1"]
    assert check_schedule(s, [o], small_lines) == []
    with pytest.raises(KeyError, match="'c1' is not planned"):
        planned_step(s, "c1")


def test_bad_input_names_the_field(small_orders, small_lines, plan_start) -> None:
    with pytest.raises(ValueError, match="orders.order_id: 'o1' appears twice"):
        schedule_orders(small_orders + small_orders[1:2], small_lines, start=plan_start, time_limit_s=1)
    with pytest.raises(ValueError, match="time_limit_s"):
        schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=0)
    with pytest.raises(ValueError, match="product_id 'hat' has no default bulletin"):
        order_duration_min(Order(order_id="h", enterprise_id="A", product_id="hat", quantity=1,
                                 due_date=date(2026, 1, 1)), small_lines[2])


def test_planned_step_is_json_ready(small_orders, small_lines, plan_start) -> None:
    s = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=2)
    step = planned_step(s, "o3")
    assert step["step"] == "planned" and step["order_id"] == "o3"
    assert datetime.fromisoformat(str(step["end"])) > datetime.fromisoformat(str(step["start"]))


def test_large_instance_uses_neighbourhood_search() -> None:
    start = datetime(2026, 1, 5)
    _, lines, orders, subs = synthetic_cluster(400, 12, 60, start_day=start.date(), seed=3)
    s = schedule_orders(orders, lines, start=start, time_limit_s=6, subcontracts=subs, max_lines_per_order=12)
    edd = edd_schedule(orders, lines, start=start, subcontracts=subs)
    assert check_schedule(s, orders, lines, subcontracts=subs) == []
    assert s.total_tardiness_days <= edd.total_tardiness_days + 1e-6
    assert len(s.planned) + len(s.unscheduled) == 400
    frozen = [PlannedOrder.model_validate(p.model_dump()) for p in s.planned[:3]]
    assert frozen[0].order_id == s.planned[0].order_id
