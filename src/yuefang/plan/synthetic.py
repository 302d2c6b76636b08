"""A synthetic cluster (factories, lines, orders) for benchmarks, tests and demos; seeded, pure."""

from __future__ import annotations

import random
from datetime import date, timedelta

from yuefang.plan.bulletins import DEFAULT_PRODUCTS
from yuefang.plan.schedule import Factory, Line, Order, Subcontract

__all__ = ["synthetic_cluster"]


def synthetic_cluster(n_orders: int, n_factories: int, n_lines: int, *, start_day: date,
                      n_enterprises: int | None = None, seed: int = 0,
                      subcontract_fraction: float = 0.05
                      ) -> tuple[list[Factory], list[Line], list[Order], list[Subcontract]]:
    """Factories spread over enterprises, lines spread over factories, orders due in 5-40 days.

    Loads are set so that the cluster is busy (about 85 % of its capacity over 30 days).

    Examples
    --------
    >>> f, ln, o, s = synthetic_cluster(20, 3, 6, start_day=date(2026, 1, 5))
    >>> len(f), len(ln), len(o)
    (3, 6, 20)
    """
    if n_factories < 1 or n_lines < n_factories or n_orders < 0:
        raise ValueError("synthetic_cluster: need n_factories >= 1, n_lines >= n_factories, n_orders >= 0")
    rng = random.Random(seed)
    n_ent = n_enterprises or max(1, n_factories * 2 // 3)
    factories = [Factory(factory_id=f"F{k:03d}", enterprise_id=f"E{k % n_ent:03d}", name=f"Factory {k}")
                 for k in range(n_factories)]
    lines = []
    for k in range(n_lines):
        f = factories[k % n_factories]
        garments = rng.random() < 0.7
        products = ("shirt", "trousers", "bodice", "skirt") if garments else ("curtain", "duvet_cover", "fitted_sheet")
        lines.append(Line(line_id=f"{f.factory_id}-L{k // n_factories + 1:02d}", factory_id=f.factory_id,
                          enterprise_id=f.enterprise_id, operators=rng.randint(12, 40),
                          efficiency=round(rng.uniform(0.5, 0.75), 2), products=products,
                          current_product=rng.choice(products), changeover_min=rng.choice([30, 60, 90])))
    capacity_30d = sum(ln.capacity_smv_min_per_day for ln in lines) * 30
    smv = {"shirt": 19.35, "trousers": 21.25, "bodice": 10.15, "skirt": 9.6, "curtain": 15.2,
           "duvet_cover": 9.4, "fitted_sheet": 6.0}
    mean_work = capacity_30d * 0.85 / max(1, n_orders)
    orders = []
    ent_products: dict[str, set[str]] = {}
    for ln in lines:
        ent_products.setdefault(ln.enterprise_id, set()).update(ln.products)
    ents = sorted(ent_products)
    weights = [ln.capacity_smv_min_per_day for ln in lines]
    for k in range(n_orders):
        # demand follows capacity: a line drawn by capacity gives the enterprise and product
        ln = rng.choices(lines, weights)[0]
        ent = ln.enterprise_id
        product = rng.choice(ln.products)
        qty = max(1, round(rng.lognormvariate(0, 0.6) * mean_work / smv[product]))
        release = start_day + timedelta(days=rng.randint(0, 10))
        due = release + timedelta(days=rng.randint(5, 30))
        orders.append(Order(order_id=f"O{k:05d}", enterprise_id=ent, product_id=product, quantity=qty,
                            due_date=due, fabric_ready_date=release))
    subs = []
    for o in orders:
        if rng.random() < subcontract_fraction:
            partner = rng.choice(ents)
            if partner != o.enterprise_id and o.product_id in ent_products[partner]:
                subs.append(Subcontract(order_id=o.order_id, enterprise_id=partner, accepted=rng.random() < 0.7))
    assert set(DEFAULT_PRODUCTS) >= set(smv)
    return factories, lines, orders, subs
