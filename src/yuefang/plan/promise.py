"""A promise at order entry: a quote and a date the current schedule can hold.

The promise inserts the new order into the current schedule without moving anything:
on each eligible line it takes the earliest gap (after the fabric is ready and the line
is available) long enough for the order, and promises the earliest finish plus a safety
buffer. The quote prices fabric (from the marker's length, or a per-product estimate) and
labour (the bulletin's SMV at the line's efficiency).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from yuefang.plan.schedule import (
    Line,
    Order,
    Schedule,
    Subcontract,
    _minutes,
    eligible_lines,
    order_duration_min,
    order_smv_min,
)

__all__ = ["Promise", "Quote", "promise_date", "quote", "FABRIC_ESTIMATE_M"]

# Fabric per piece at 150 cm width, metres: typical consumption of the product (assumption,
# see docs/plan.md); a marker's length replaces it when known.
FABRIC_ESTIMATE_M: dict[str, float] = {
    "shirt": 1.6,
    "trousers": 1.3,
    "bodice": 1.0,
    "skirt": 0.9,
    "curtain": 3.2,
    "duvet_cover": 4.6,
    "fitted_sheet": 2.6,
}


class Promise(BaseModel):
    """A promised completion for a new order."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    feasible: bool
    line_id: str | None = None
    factory_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    promised_date: date | None = None
    meets_due_date: bool = False
    reason: str = ""


class Quote(BaseModel):
    """A price for an order (CNY)."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    fabric_length_m: float = Field(ge=0)
    fabric_source: str
    fabric_cost_cny: float
    labour_min: float
    labour_cost_cny: float
    overhead_cost_cny: float
    margin_cny: float
    price_cny: float
    unit_price_cny: float


def promise_date(order: Order, schedule: Schedule, lines: Sequence[Line], *,
                 subcontracts: Sequence[Subcontract] = (), buffer_days: int = 1,
                 now: datetime | None = None) -> Promise:
    """The earliest date the current schedule can hold for ``order`` (nothing else moves).

    Parameters
    ----------
    order : Order
        The new order.
    schedule : Schedule
        The current plan (its intervals stay where they are).
    lines : sequence of Line
        The cluster's lines.
    subcontracts : sequence of Subcontract
        Accepted ones open the partner's lines.
    buffer_days : int
        Safety days added to the finish (>= 0).
    now : datetime, optional
        Nothing starts before it (default: the schedule's start).
    """
    if buffer_days < 0:
        raise ValueError(f"buffer_days: {buffer_days!r}; allowed: >= 0")
    start = schedule.start
    earliest = _minutes(start, now) if now else 0
    release = max(earliest, _minutes(start, order.fabric_ready_date))
    best = None
    for ln in eligible_lines(order, lines, subcontracts):
        d = order_duration_min(order, ln)
        busy = sorted(((x.start - start).total_seconds() / 60, (x.end - start).total_seconds() / 60)
                      for x in schedule.planned if x.line_id == ln.line_id)
        t = max(release, _minutes(start, ln.available_from))
        for s0, e0 in busy:
            if t + d <= s0:
                break
            t = max(t, math.ceil(e0))
        if best is None or (t + d, d) < (best[0], best[2]):
            best = (t + d, ln, d, t)
    if best is None:
        return Promise(order_id=order.order_id, feasible=False,
                       reason=f"no active line of {order.enterprise_id} (or an accepted subcontractor) makes "
                              f"{order.product_id}")
    end_min, ln, _d, s = best
    end = start + timedelta(minutes=end_min)
    promised = (end + timedelta(days=buffer_days)).date()
    return Promise(order_id=order.order_id, feasible=True, line_id=ln.line_id, factory_id=ln.factory_id,
                   start=start + timedelta(minutes=s), end=end, promised_date=promised,
                   meets_due_date=promised <= order.due_date)


def quote(order: Order, *, fabric_price_cny_per_m: float, labour_cost_cny_per_min: float = 0.5,
          efficiency: float = 0.65, marker_length_mm: float | None = None, pieces_per_marker: int = 1,
          overhead_rate: float = 0.15, margin_rate: float = 0.10) -> Quote:
    """Price an order: fabric + labour + overhead + margin, in CNY.

    Fabric comes from the marker (``marker_length_mm`` for ``pieces_per_marker`` pieces) or
    from :data:`FABRIC_ESTIMATE_M`; labour is the SMV per piece / efficiency at
    ``labour_cost_cny_per_min``.

    Examples
    --------
    >>> o = Order(order_id="o", enterprise_id="E", product_id="shirt", quantity=10,
    ...           due_date=date(2026, 1, 9), smv_min=20)
    >>> q = quote(o, fabric_price_cny_per_m=20, labour_cost_cny_per_min=0.5, efficiency=0.5,
    ...           marker_length_mm=3000, pieces_per_marker=2, overhead_rate=0, margin_rate=0)
    >>> q.fabric_length_m, q.fabric_cost_cny, q.labour_cost_cny, q.price_cny
    (15.0, 300.0, 200.0, 500.0)
    """
    if fabric_price_cny_per_m < 0:
        raise ValueError(f"fabric_price_cny_per_m: {fabric_price_cny_per_m!r}; allowed: >= 0")
    if not 0 < efficiency <= 1.5:
        raise ValueError(f"efficiency: {efficiency!r}; allowed: 0 < efficiency <= 1.5")
    if pieces_per_marker < 1:
        raise ValueError(f"pieces_per_marker: {pieces_per_marker!r}; allowed: >= 1")
    if marker_length_mm is not None:
        if marker_length_mm <= 0:
            raise ValueError(f"marker_length_mm: {marker_length_mm!r}; allowed: > 0")
        per_piece = marker_length_mm / 1000 / pieces_per_marker
        source = "marker"
    else:
        if order.product_id not in FABRIC_ESTIMATE_M:
            raise ValueError(f"product_id: {order.product_id!r} has no fabric estimate; give marker_length_mm "
                             f"or use one of {', '.join(FABRIC_ESTIMATE_M)}")
        per_piece = FABRIC_ESTIMATE_M[order.product_id]
        source = "estimate"
    fabric_m = round(per_piece * order.quantity, 3)
    fabric_cost = round(fabric_m * fabric_price_cny_per_m, 2)
    labour_min = round(order_smv_min(order) * order.quantity / efficiency, 2)
    labour_cost = round(labour_min * labour_cost_cny_per_min, 2)
    overhead = round((fabric_cost + labour_cost) * overhead_rate, 2)
    margin = round((fabric_cost + labour_cost + overhead) * margin_rate, 2)
    price = round(fabric_cost + labour_cost + overhead + margin, 2)
    return Quote(order_id=order.order_id, fabric_length_m=fabric_m, fabric_source=source,
                 fabric_cost_cny=fabric_cost, labour_min=labour_min, labour_cost_cny=labour_cost,
                 overhead_cost_cny=overhead, margin_cny=margin, price_cny=price,
                 unit_price_cny=round(price / order.quantity, 2))
