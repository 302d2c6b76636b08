"""Promise dates and quotes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yuefang.plan import Order, check_schedule, promise_date, quote, schedule_orders


def test_promise_fits_into_the_schedule_without_moving_it(small_orders, small_lines, plan_start) -> None:
    s = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=3)
    new = Order(order_id="n", enterprise_id="A", product_id="shirt", quantity=200, due_date=date(2026, 3, 20))
    p = promise_date(new, s, small_lines, buffer_days=1)
    assert p.feasible and p.line_id in {"A1", "A2"}
    assert p.promised_date == (p.end + timedelta(days=1)).date()
    # inserting it at the promised slot keeps the plan valid
    from yuefang.plan import PlannedOrder

    ln = next(x for x in small_lines if x.line_id == p.line_id)
    planned = PlannedOrder(order_id="n", line_id=p.line_id, factory_id=ln.factory_id, enterprise_id="A",
                           start=p.start, end=p.end, due_date=new.due_date,
                           tardiness_days=0.0)
    with_new = s.model_copy(update={"planned": s.planned + (planned,)})
    assert check_schedule(with_new, small_orders + [new], small_lines) == []
    assert p.meets_due_date == (p.promised_date <= new.due_date)


def test_promise_for_a_product_nobody_makes(small_orders, small_lines, plan_start) -> None:
    s = schedule_orders(small_orders, small_lines, start=plan_start, time_limit_s=1)
    o = Order(order_id="c", enterprise_id="A", product_id="curtain", quantity=5, due_date=date(2026, 3, 20))
    p = promise_date(o, s, small_lines)
    assert not p.feasible and "curtain" in p.reason


def test_quote_from_estimate_and_marker() -> None:
    o = Order(order_id="q", enterprise_id="A", product_id="trousers", quantity=100, due_date=date(2026, 3, 20))
    est = quote(o, fabric_price_cny_per_m=25)
    assert est.fabric_source == "estimate" and est.fabric_length_m == pytest.approx(130.0)
    mk = quote(o, fabric_price_cny_per_m=25, marker_length_mm=5200, pieces_per_marker=4)
    assert mk.fabric_source == "marker" and mk.fabric_length_m == pytest.approx(130.0)
    assert est.price_cny == pytest.approx(
        est.fabric_cost_cny + est.labour_cost_cny + est.overhead_cost_cny + est.margin_cny)
    assert est.labour_min == pytest.approx(100 * 21.25 / 0.65, rel=1e-3)
    with pytest.raises(ValueError, match="marker_length_mm: -1"):
        quote(o, fabric_price_cny_per_m=25, marker_length_mm=-1)
