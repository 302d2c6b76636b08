"""Demo data: a small cluster whose orders went through the steps that exist, really run.

``load_demo(factory, settings, scale="small")`` registers enterprises in several Guangdong cities,
users of every role (password ``DEMO_PASSWORD``), two factories with sewing lines per enterprise
(so that ``planned`` schedules the orders on them), one order subcontracted to (and accepted by) an
enterprise in another city, planned on the partner's line by its steps, and orders with due dates whose steps are
queued and run by the job worker like any other order (a step whose package is not installed
stays ``pending``).
``scale="province"`` adds many enterprises and orders (steps not run) for load tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from yuefang.app.auth import hash_password
from yuefang.app.jobs import drain
from yuefang.app.models import ENTERPRISE_ROLES, Enterprise, OrderStatus, Role, User
from yuefang.app.schemas.lines import FactoryCreate, SewingLineCreate
from yuefang.app.schemas.orders import LineCreate, OrderCreate
from yuefang.app.schemas.subcontracts import SubcontractCreate
from yuefang.app.schemas.tenancy import GUANGDONG_CITIES
from yuefang.app.services import lines as line_svc
from yuefang.app.services import orders as order_svc
from yuefang.app.services import production
from yuefang.app.services import subcontracts as sub_svc
from yuefang.app.settings import Settings
from yuefang.cluster.codes import complete_uscc

__all__ = ["DEMO_PASSWORD", "DemoLogin", "load_demo", "is_empty", "demo_logins"]

DEMO_PASSWORD = "yuefang-demo"
DEMO_DOMAIN = "demo.yuefang.cn"
ROLE_MAILBOX = {
    Role.enterprise_admin: "admin",
    Role.order_desk: "desk",
    Role.planner: "planner",
    Role.cutting_room: "cutting",
    Role.shop_floor: "floor",
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    enterprise: str | None


# (slug, name, city, county, industry GB/T 4754, above designated size, key tier, kind)
SMALL = [
    ("yuexiu", "广州粤秀制衣有限公司 Yuexiu Garments", "440100", "越秀区", "1819", True, "key", "garment"),
    ("nanhai", "佛山南海家纺有限公司 Nanhai Home Textiles", "440600", "南海区", "1771", True, None, "home"),
    ("chaonan", "汕头潮南服饰有限公司 Chaonan Apparel", "440500", "潮南区", "1811", False, None, "garment"),
    ("humen", "东莞虎门时装有限公司 Humen Fashion", "441900", None, "1819", True, "chain_leader", "garment"),
]

# Each demo enterprise's factories and sewing lines: (factory, city suffix, [(line, operators,
# efficiency, products, current product)]). Capacities are typical of Pearl River Delta plants.
PLANTS: dict[str, list[tuple[str, list[tuple[str, int, float, list[str], str | None]]]]] = {
    "garment": [
        ("一厂 Plant 1", [("衬衫一线 Shirt line 1", 28, 0.65, ["shirt"], "shirt"),
                         ("衬衫二线 Shirt line 2", 22, 0.6, ["shirt", "bodice"], None)]),
        ("二厂 Plant 2", [("裤装线 Trousers line", 24, 0.62, ["trousers", "skirt"], "trousers")]),
    ],
    "home": [
        ("一厂 Plant 1", [("窗帘线 Curtain line", 14, 0.7, ["curtain"], "curtain"),
                         ("床品线 Bedding line", 16, 0.68, ["duvet_cover", "fitted_sheet"], "duvet_cover")]),
        ("二厂 Plant 2", [("综合线 Mixed line", 10, 0.55, [], None)]),
    ],
}  # fmt: skip

# The shirt block is drafted on the men's chest girth, so the demo's shirt wearers are men.
WEARERS = [
    ("male", 1750, 72, 35), ("female", 1620, 55, 29), ("male", 1690, 80, 48), ("female", 1580, 62, 41),
    ("male", 1820, 86, 26), ("female", 1700, 58, 33),
]  # fmt: skip

MEN = [w for w in WEARERS if w[0] == "male"]


def is_empty(factory: sessionmaker[Session]) -> bool:
    """True when no enterprise is registered yet."""
    with factory() as s:
        return not s.scalar(select(func.count()).select_from(Enterprise))


def demo_logins(factory: sessionmaker[Session]) -> list[DemoLogin]:
    """The demo users (e-mail, role, enterprise name)."""
    with factory() as s:
        rows = s.execute(
            select(User.email, User.role, Enterprise.name)
            .join(Enterprise, User.enterprise_id == Enterprise.id, isouter=True)
            .where(User.email.like(f"%{DEMO_DOMAIN}"))
            .order_by(User.id)
        ).all()
    return [DemoLogin(e, r, n) for e, r, n in rows]


def _enterprise(s: Session, i: int, slug: str, name: str, city: str, county: str | None, industry: str,
                above: bool, tier: str | None) -> tuple[Enterprise, dict[str, User]]:  # fmt: skip
    uscc = complete_uscc(f"91{city}MA{i:07d}"[:17].ljust(17, "0"))
    ent = Enterprise(name=name, uscc=uscc, city_code=city, county=county, industry_code=industry,
                     above_designated_size=above, key_tier=tier)  # fmt: skip
    s.add(ent)
    s.flush()
    pw = hash_password(DEMO_PASSWORD)
    users = {}
    for role in sorted(ENTERPRISE_ROLES):
        u = User(email=f"{ROLE_MAILBOX[role]}@{slug}.{DEMO_DOMAIN}", display_name=f"{ROLE_MAILBOX[role]} {slug}",
                 password_hash=pw, role=str(role), enterprise_id=ent.id)  # fmt: skip
        s.add(u)
        users[str(role)] = u
    s.flush()
    return ent, users


def _plants(s: Session, ent: Enterprise, admin: User, kind: str) -> None:
    """Register the enterprise's factories and sewing lines as its admin would (audited)."""
    for factory_name, lines in PLANTS[kind]:
        factory = line_svc.register_factory(session=s, actor=admin,
                                            data=FactoryCreate(name=factory_name, city_code=ent.city_code))  # fmt: skip
        for name, operators, efficiency, products, current in lines:
            line_svc.register_line(session=s, actor=admin, data=SewingLineCreate(
                factory_id=factory.id, name=name, operators=operators, efficiency=efficiency, products=products,
                current_product=current))  # fmt: skip


def _garment_lines(rng: random.Random, n: int, product: str = "shirt") -> list[LineCreate]:
    out = []
    for k in range(n):
        sex, stature, weight, age = rng.choice(MEN)
        out.append(LineCreate(wearer_ref=f"EMP-{k + 1:04d}", product_id=product,
                              inputs={"sex": sex, "stature": stature + rng.randint(-30, 30),
                                      "weight_kg": weight + rng.randint(-4, 4), "age_years": age},
                              quantity=rng.choice([1, 1, 2])))  # fmt: skip
    return out


def _home_lines() -> list[LineCreate]:
    return [
        LineCreate(product_id="curtain", inputs={"window_width_mm": 1800, "drop_mm": 2400},
                   options={"heading": "pencil_pleat", "panels": 2}),
        LineCreate(product_id="duvet_cover", inputs={"duvet_size": "200x230"}, options={"closure": "zip"}),
    ]  # fmt: skip


def _uniform_csv(rng: random.Random, n: int) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["wearer_ref", "product_id", "quantity", "sex", "stature", "weight_kg", "age_years"])
    for k in range(n):
        sex, stature, weight, age = rng.choice(MEN)
        w.writerow([f"STAFF-{k + 1:04d}", "shirt", 2, sex, stature + rng.randint(-40, 40),
                    weight + rng.randint(-6, 6), age])  # fmt: skip
    return buf.getvalue().encode("utf-8")


def _run_steps(factory: sessionmaker[Session], settings: Settings, actor: User, order_id: int) -> None:
    with factory() as s:
        user = s.get(User, actor.id)
        assert user is not None
        try:
            order_svc.run_step(session=s, actor=user, order_id=order_id, step="measured", chain=True)
        except Exception:  # an order the steps cannot take stays received
            return
    drain(factory, settings)


def load_demo(
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    scale: str = "small",
    seed: int = 7,
    progress: Callable[[str, float], None] | None = None,
) -> list[DemoLogin]:
    """Load the demo cluster and run its orders' steps; returns the demo logins.

    ``progress(stage, fraction)`` is told what is being done (it takes about a minute: every
    order's steps really run, nesting and planning included).
    """
    report = progress or (lambda stage, fraction: None)
    report("enterprises and orders", 0.0)
    if scale not in ("small", "province"):
        raise ValueError(f"scale: {scale!r} is not allowed; allowed: small, province")
    rng = random.Random(seed)
    with factory() as s:
        office = User(email=f"office@{DEMO_DOMAIN}", display_name="Cluster office 集群办",
                      password_hash=hash_password(DEMO_PASSWORD), role=Role.cluster_admin.value)  # fmt: skip
        s.add(office)
        made: list[tuple[Enterprise, dict[str, User], str]] = []
        for i, (slug, name, city, county, industry, above, tier, kind) in enumerate(SMALL):
            ent, users = _enterprise(s, i + 1, slug, name, city, county, industry, above, tier)
            made.append((ent, users, kind))
        s.commit()
        for ent, users, kind in made:
            _plants(s, ent, users[Role.enterprise_admin.value], kind)
        today = dt.date.today()
        to_run: list[tuple[User, int]] = []
        for ent, users, kind in made:
            desk = users[Role.order_desk.value]
            if kind == "garment":
                for j in range(2):
                    data = OrderCreate(reference=f"{ent.id:02d}-MTM-{j + 1:03d}", customer_ref=f"客户 {j + 1}",
                                       fabric_name="府绸 Poplin", fabric_colour="white", fabric_width_mm=1500,
                                       due_date=today + dt.timedelta(days=14 + 7 * j),
                                       lines=_garment_lines(rng, 3))  # fmt: skip
                    order = order_svc.place_order(session=s, actor=desk, data=data)
                    to_run.append((desk, order.id))
            else:
                for j in range(2):
                    data = OrderCreate(reference=f"{ent.id:02d}-HT-{j + 1:03d}", customer_ref=f"酒店 Hotel {j + 1}",
                                       fabric_name="遮光布 Blackout", fabric_colour="sand", fabric_width_mm=2800,
                                       selvedge_mm=15, due_date=today + dt.timedelta(days=10 + 7 * j),
                                       lines=_home_lines())  # fmt: skip
                    order = order_svc.place_order(session=s, actor=desk, data=data)
                    to_run.append((desk, order.id))
        # one corporate-uniform order, imported from CSV like a customer's staff list
        ent, users, _ = made[0]
        desk = users[Role.order_desk.value]
        uniform = order_svc.place_order(session=s, actor=desk, data=OrderCreate(
            reference=f"{ent.id:02d}-UNIFORM-001", customer_ref="广州地铁 Metro", fabric_name="牛津纺 Oxford",
            fabric_colour="light blue", fabric_width_mm=1500, due_date=today + dt.timedelta(days=30)))  # fmt: skip
        order_svc.import_lines(session=s, actor=desk, order_id=uniform.id, filename="staff.csv",
                               content=_uniform_csv(rng, 24))  # fmt: skip
        to_run.append((desk, uniform.id))
        # one order left as received, one cancelled
        extra = order_svc.place_order(session=s, actor=desk, data=OrderCreate(
            reference=f"{ent.id:02d}-MTM-NEW", fabric_name="Poplin", due_date=today + dt.timedelta(days=28),
            lines=_garment_lines(rng, 1)))  # fmt: skip
        cancelled = order_svc.place_order(session=s, actor=desk, data=OrderCreate(
            reference=f"{ent.id:02d}-MTM-CXL", fabric_name="Poplin", lines=_garment_lines(rng, 1)))  # fmt: skip
        order_svc.cancel_order(session=s, actor=desk, order_id=cancelled.id)
        _ = extra
        to_run.append(_subcontracted_order(s, made, today))
        if scale == "province":
            _province(s, rng)
        # the cluster office's face: a SYNTHETIC cluster (labelled so on every page and export) with
        # monthly figures, so that the dashboard, ranking and flags have something to show
        from yuefang.app.services.cluster import load_synthetic_cluster

        report("SYNTHETIC cluster figures", 0.05)
        load_synthetic_cluster(session=s, scale=scale)
    for k, (actor, order_id) in enumerate(to_run):
        report(f"order steps {k + 1}/{len(to_run)}", 0.1 + 0.85 * k / len(to_run))
        _run_steps(factory, settings, actor, order_id)
    report("shop floor", 0.95)
    _start_production(factory, made)
    report("done", 1.0)
    return demo_logins(factory)


def _subcontracted_order(
    s: Session, made: list[tuple[Enterprise, dict[str, User], str]], today: dt.date
) -> tuple[User, int]:
    """A garment maker (Guangzhou) takes a hotel's curtain order and subcontracts its sewing to the
    home-textile maker (Foshan), which accepts: the order's ``planned`` step, run like any other, can
    only put the curtains on the partner's lines (the garment maker has no curtain line)."""
    (ent, users, _), (partner, partner_users, _) = made[0], next(m for m in made if m[2] == "home")
    assert ent.city_code != partner.city_code
    order = order_svc.place_order(session=s, actor=users[Role.order_desk.value], data=OrderCreate(
        reference=f"{ent.id:02d}-SUB-001", customer_ref="白云酒店 Baiyun Hotel", fabric_name="遮光布 Blackout",
        fabric_colour="grey", fabric_width_mm=2800, selvedge_mm=15, due_date=today + dt.timedelta(days=21),
        lines=[LineCreate(product_id="curtain", inputs={"window_width_mm": 1600, "drop_mm": 2300},
                          options={"heading": "pencil_pleat", "panels": 2}, quantity=4)]))  # fmt: skip
    sub = sub_svc.subcontract_order(session=s, actor=users[Role.planner.value],
                                    data=SubcontractCreate(order_id=order.id, to_enterprise_id=partner.id,
                                                           scope="sewing"))  # fmt: skip
    sub_svc.accept_subcontract(session=s, actor=partner_users[Role.planner.value], subcontract_id=sub.id)
    return users[Role.order_desk.value], order.id


def _start_production(
    factory: sessionmaker[Session], made: list[tuple[Enterprise, dict[str, User], str]]
) -> None:
    """Issue tickets for one planned order per enterprise and scan one (it goes in production)."""
    from yuefang.app.models import Order

    with factory() as s:
        for ent, users, _ in made:
            order = s.scalar(select(Order).where(Order.enterprise_id == ent.id,
                                                 Order.status == OrderStatus.planned.value,
                                                 Order.reference.not_like("%-SUB-%"))
                             .order_by(Order.id).limit(1))  # fmt: skip
            if order is None:
                continue
            planner = s.get(User, users[Role.planner.value].id)
            floor = s.get(User, users[Role.shop_floor.value].id)
            assert planner is not None and floor is not None
            tickets = production.issue_tickets(session=s, actor=planner, order_id=order.id)
            production.scan_ticket(session=s, actor=floor, code=tickets[0].code)


def _province(s: Session, rng: random.Random, n_enterprises: int = 60, orders_each: int = 40) -> None:
    cities = list(GUANGDONG_CITIES)
    for i in range(n_enterprises):
        city = cities[i % len(cities)]
        ent, users = _enterprise(s, 100 + i, f"p{i:03d}", f"省级演示企业 Province demo {i:03d}", city, None,
                                 rng.choice(["1819", "1771", "1829", "1951"]), rng.random() < 0.4, None)  # fmt: skip
        s.commit()
        desk = users[Role.order_desk.value]
        for j in range(orders_each):
            lines: list[Any] = _garment_lines(rng, rng.randint(1, 4)) if j % 3 else _home_lines()
            order_svc.place_order(session=s, actor=desk, data=OrderCreate(
                reference=f"P{i:03d}-{j:04d}", fabric_name="Poplin", lines=lines))  # fmt: skip
