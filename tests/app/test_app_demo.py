"""Demo data: a small cluster whose orders went through the existing steps, really run."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from yuefang.app.db import make_engine, make_sessionmaker
from yuefang.app.demo import DEMO_PASSWORD, is_empty, load_demo
from yuefang.app.migrations import upgrade
from yuefang.app.models import (
    ENTERPRISE_ROLES,
    Artifact,
    Enterprise,
    Order,
    OrderStep,
    SewingLine,
    Subcontract,
    User,
)
from yuefang.app.models.cluster import ClusterEnterpriseMeta, ClusterMonthly
from yuefang.app.schemas.tenancy import uscc_is_valid


def test_demo_cluster(fresh_db_url, app_settings):
    upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url)
    factory = make_sessionmaker(engine)
    try:
        assert is_empty(factory)
        settings = app_settings.model_copy(update={"database_url": fresh_db_url, "nest_time_limit_s": 1.0})
        seen: list[tuple[str, float]] = []
        logins = load_demo(factory, settings, progress=lambda stage, fraction: seen.append((stage, fraction)))
        # progress is reported stage by stage, never backwards, and ends at 1.0
        fractions = [f for _, f in seen]
        assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(seen) > 5
        assert any(stage.startswith("order steps") for stage, _ in seen)
        assert not is_empty(factory)
        with factory() as s:
            # the demo's own enterprises have users; the SYNTHETIC cluster's register has none
            ents = s.scalars(select(Enterprise).where(Enterprise.id.in_(select(User.enterprise_id)))).all()
            synthetic = s.scalar(select(func.count()).select_from(ClusterEnterpriseMeta)
                                 .where(ClusterEnterpriseMeta.synthetic.is_(True)))  # fmt: skip
            assert synthetic >= 100 and s.scalar(select(func.count()).select_from(ClusterMonthly)) > synthetic
            assert len(ents) >= 3 and len({e.city_code for e in ents}) >= 3
            assert all(e.uscc and uscc_is_valid(e.uscc) for e in ents)
            for e in ents:
                roles = set(s.scalars(select(User.role).where(User.enterprise_id == e.id)))
                assert roles == {str(r) for r in ENTERPRISE_ROLES}
            assert s.scalar(select(func.count()).select_from(User).where(User.role == "cluster_admin")) == 1
            statuses = set(s.scalars(select(Order.status)))
            assert {"received", "cancelled"} <= statuses
            done = s.execute(select(OrderStep.step).where(OrderStep.status == "done")).scalars().all()
            # every step that exists really ran for some order (nested and planned included)
            assert {"measured", "drafted", "nested", "planned"} <= set(done)
            assert "in_production" in statuses
            assert s.scalar(select(func.count()).select_from(Artifact).where(Artifact.name == "pattern.json")) > 0
            # one accepted subcontract between demo enterprises in different cities; its order was
            # planned by the steps on the partner's sewing line (the offerer has no curtain line)
            sub = s.scalars(select(Subcontract).where(Subcontract.status == "accepted")).one()
            offerer, partner = s.get(Enterprise, sub.from_enterprise_id), s.get(Enterprise, sub.to_enterprise_id)
            assert offerer.city_code != partner.city_code and {offerer, partner} <= set(ents)
            planned = s.scalar(select(OrderStep).where(OrderStep.order_id == sub.order_id,
                                                       OrderStep.step == "planned"))  # fmt: skip
            assert planned is not None and planned.status == "done"
            plan = json.loads(s.scalar(select(Artifact.content).where(Artifact.order_id == sub.order_id,
                                                                      Artifact.name == "plan.json")))  # fmt: skip
            partner_lines = {f"L{r.id} {r.name}" for r in s.scalars(select(SewingLine)
                                                                    .where(SewingLine.enterprise_id == partner.id))}  # fmt: skip
            assert plan and all(e["line_id"] in partner_lines and str(e["enterprise_id"]) == str(partner.id)
                                for e in plan), plan  # fmt: skip
            assert planned.summary["subcontracted_to"] == [partner.id]
            assert s.get(Order, sub.order_id).status == "planned"
            uniform = s.scalar(select(Order).where(Order.reference.like("%UNIFORM%")))
            assert uniform is not None and len(uniform.lines) == 24
        assert any(lg.role == "cluster_admin" for lg in logins)
        from yuefang.app.auth import authenticate

        with factory() as s:
            assert authenticate(s, logins[1].email, DEMO_PASSWORD) is not None
    finally:
        engine.dispose()
