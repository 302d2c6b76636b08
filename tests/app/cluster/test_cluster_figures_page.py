"""The figures page of an enterprise whose figures were loaded in bulk (the SYNTHETIC cluster): they
live in the monthly register only, without revisions, and the page shows them instead of "no figures"."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from yuefang.app.auth import issue_token
from yuefang.app.main import create_app
from yuefang.app.migrations import upgrade
from yuefang.app.models import Role, User
from yuefang.app.models.cluster import ClusterEnterpriseMeta, ClusterFigure, ClusterMonthly
from yuefang.app.services import cluster as svc
from yuefang.app.settings import Settings


def test_synthetic_enterprise_figures_are_shown(fresh_db_url, tmp_path):
    upgrade(fresh_db_url)
    app = create_app(Settings(environment="test", database_url=fresh_db_url, inline_worker=False, var_dir=tmp_path))
    with app.state.sessionmaker() as s:
        svc.load_synthetic_cluster(session=s, scale="small", enterprises=12, years=1, seed=3)
        admin = User(email="office-figures@x.test", password_hash="x", role=Role.cluster_admin.value)
        s.add(admin)
        s.commit()
        headers = {"Authorization": f"Bearer {issue_token(s, user=admin)}"}
        eid = s.scalar(select(ClusterEnterpriseMeta.enterprise_id).where(ClusterEnterpriseMeta.synthetic.is_(True))
                       .order_by(ClusterEnterpriseMeta.enterprise_id).limit(1))  # fmt: skip
        assert not s.scalar(select(func.count()).select_from(ClusterFigure).where(ClusterFigure.enterprise_id == eid))
        monthly = s.scalars(select(ClusterMonthly).where(ClusterMonthly.enterprise_id == eid)
                            .order_by(ClusterMonthly.year, ClusterMonthly.last_month)).all()  # fmt: skip
        assert monthly
        first = monthly[0]
        income = first.main_business_income_yuan
        year = first.year
    with TestClient(app) as client:
        en = client.get(f"/cluster/figures?enterprise_id={eid}", headers={**headers, "Accept-Language": "en"}).text
        assert "No figures yet." not in en
        assert 'id="register-only"' in en and 'data-synthetic="true"' in en
        assert f"{income:,.2f}" in en  # the register's value, as stored
        shown = len(re.findall(r"<tr[^>]*><td>\d{4}-\d{2}", en))
        assert shown == sum(1 for m in monthly for c in m.sources if c != "-"), shown
        zh = client.get(f"/cluster/figures?enterprise_id={eid}&year={year}", headers={**headers, "Accept-Language": "zh-CN"})
        assert zh.status_code == 200 and "还没有数据" not in zh.text and f"{income:,.2f}" in zh.text
        none = client.get(f"/cluster/figures?enterprise_id={eid}&year=1999", headers={**headers, "Accept-Language": "en"})
        assert "No figures yet." in none.text
