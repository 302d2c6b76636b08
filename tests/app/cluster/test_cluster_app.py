"""The cluster office in the app: imports with revisions, tenancy, progress, flags, exports, pages.

Runs on the session database of tests/app/conftest.py (SQLite, or PostgreSQL in CI).
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from yuefang.app.auth import issue_token
from yuefang.app.main import create_app
from yuefang.app.migrations import upgrade
from yuefang.app.models import Enterprise, Role, User
from yuefang.app.services import cluster as svc
from yuefang.app.settings import Settings
from yuefang.cluster import analytics as A
from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.generator import generate_cluster
from yuefang.cluster.progress import compute_progress
from yuefang.cluster.scope import get_plan

TAG = f"{uuid.uuid4().int % 10**6:06d}"


def _u(n: int, div: str = "440106") -> str:
    return complete_uscc(f"91{div}MB{TAG}{n}")


@pytest.fixture(scope="module")
def codes(app, world):
    """Give the world's two enterprises codes (Guangzhou and Foshan) and an in-scope industry class."""
    with app.state.sessionmaker() as s:
        a, b = s.get(Enterprise, world.a.enterprise_id), s.get(Enterprise, world.b.enterprise_id)
        a.uscc, a.industry_code, a.above_designated_size = _u(1), "1811", True
        b.uscc, b.industry_code, b.above_designated_size = _u(2, "440604"), "1771", True
        s.commit()
    return {"a": _u(1), "b": _u(2, "440604")}


def _csv(text: str, name: str = "f.csv"):
    return {"file": (name, text.encode("utf-8"), "text/csv")}


def test_register_import_reports_bad_rows_and_keeps_good(client, world):
    text = ("uscc,name,city_code,county,industry_code,above_designated_size\n"
            f"{_u(3)},新企业 A,4401,海珠区,1819,是\n"
            f"{_u(4)},坏行业,4401,,18,1\n"
            f"{_u(5, '440300')},登记在深圳,440100,,1830,1\n")
    r = client.post("/api/cluster/enterprises/import", files=_csv(text), headers=world.admin_headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["created"], body["rows_rejected"]) == (2, 1)
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["field"] == "industry_code"
    assert any(w["field"] == "uscc" for w in body["warnings"])  # division of Shenzhen: a warning only
    again = client.post("/api/cluster/enterprises/import", files=_csv(text), headers=world.admin_headers).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    denied = client.post("/api/cluster/enterprises/import", files=_csv(text), headers=world.a.h())
    assert denied.status_code == 403


def test_indicator_import_is_idempotent_and_keeps_revisions(client, world, codes):
    a = codes["a"]
    ytd = ("uscc,period,main_business_income,industrial_added_value,employees\n"
           f"{a},2024-02,2000,500,100\n{a},2024-03,3200,800,101\n")
    h = world.admin_headers
    first = client.post("/api/cluster/indicators/import?unit=万元&ytd=true", files=_csv(ytd), headers=h)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["periods"] == ["2024-01..02", "2024-03"] and body["figures_new"] == 6
    same = client.post("/api/cluster/indicators/import?unit=万元&ytd=true", files=_csv(ytd), headers=h).json()
    assert (same["figures_new"], same["figures_revised"], same["figures_unchanged"]) == (0, 0, 6)
    corrected = ytd.replace("2024-03,3200", "2024-03,3300")
    fixed = client.post("/api/cluster/indicators/import?unit=万元&ytd=true", files=_csv(corrected), headers=h).json()
    assert (fixed["figures_revised"], fixed["figures_unchanged"]) == (1, 5)
    hist = client.get(f"/api/cluster/enterprises/{world.a.enterprise_id}/figures?year=2024", headers=h).json()
    march = [r for r in hist if r["period"] == "2024-03" and r["indicator"] == "main_business_income_yuan"]
    assert [(r["revision"], r["value"], r["current"], r["source"]) for r in march] == [
        (1, 12_000_000.0, False, "derived"), (2, 13_000_000.0, True, "derived")]
    va = [r for r in hist if r["indicator"] == "industrial_added_value_yuan" and r["period"] == "2024-01..02"]
    assert va[0]["source"] == "estimated"
    # a later file with only April continues from the stored year-to-date
    april = client.post("/api/cluster/indicators/import?unit=万元&ytd=true",
                        files=_csv(f"uscc,period,main_business_income\n{a},2024-04,4000\n"), headers=h).json()
    assert april["periods"] == ["2024-04"]
    hist = client.get(f"/api/cluster/enterprises/{world.a.enterprise_id}/figures?year=2024", headers=h).json()
    assert [r["value"] for r in hist if r["period"] == "2024-04"] == [7_000_000.0]


def test_enterprise_submits_and_sees_only_its_own(client, world, codes):
    text = ("uscc,period,main_business_income_yuan,total_profit_yuan\n"
            f"{codes['a']},2023-05,1000,-50\n{codes['b']},2023-05,2000,10\n")
    r = client.post("/api/cluster/indicators/import", files=_csv(text), headers=world.a.h("enterprise_admin"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["figures_new"] == 2 and body["rows_rejected"] == 1
    assert body["errors"][0]["field"] == "uscc" and "not your enterprise" in body["errors"][0]["reason"]
    assert client.post("/api/cluster/indicators/import", files=_csv(text), headers=world.a.h("order_desk")).status_code == 403
    own = client.get(f"/api/cluster/enterprises/{world.a.enterprise_id}/figures", headers=world.a.h("planner"))
    assert own.status_code == 200 and own.json()
    other = client.get(f"/api/cluster/enterprises/{world.b.enterprise_id}/figures", headers=world.a.h())
    assert other.status_code == 404
    for path in ("/api/cluster/progress?year=2024", "/api/cluster/rank?year=2024", "/api/cluster/flags",
                 "/api/cluster/export?year=2024"):
        assert client.get(path, headers=world.a.h()).status_code == 403, path


def test_progress_flags_and_export_for_the_office(client, world, codes):
    h = world.admin_headers
    text = ("uscc,period,main_business_income_yuan,industrial_added_value_yuan\n"
            + "".join(f"{codes['b']},2023-{m:02d},{100 + m},{25}\n" for m in range(3, 9))
            + "".join(f"{codes['b']},2024-{m:02d},{110 + m},{27}\n" for m in range(3, 8))
            + f"{codes['b']},2024-08,-5,30\n")
    r = client.post("/api/cluster/indicators/import", files=_csv(text), headers=h)
    assert r.status_code == 201 and r.json()["flags"] >= 1
    flags = client.get("/api/cluster/flags", headers=h).json()
    assert any(f["code"] == "negative" and f["uscc"] == codes["b"] for f in flags)
    rep = client.get("/api/cluster/progress?year=2024", headers=h)
    assert rep.status_code == 200, rep.text
    body = rep.json()
    inc = next(i for i in body["indicators"] if i["indicator"] == "main_business_income_yuan")
    assert inc["target"] == 3e12 and inc["like_for_like_growth"] is not None
    assert {g["group"] for g in body["by_city"]} >= {"4406"}
    assert client.get("/api/cluster/progress?year=2024&plan=nope", headers=h).status_code == 422
    ranked = client.get("/api/cluster/rank?year=2024", headers=h).json()
    assert ranked["count"] >= 1 and ranked["data"][0]["components"]
    x = client.get("/api/cluster/export?year=2024&format=xlsx", headers=h)
    assert x.status_code == 200 and "spreadsheetml" in x.headers["content-type"]
    assert "progress" in openpyxl.load_workbook(io.BytesIO(x.content)).sheetnames
    z = client.get("/api/cluster/export?year=2024&format=csv", headers=h)
    assert "progress.csv" in zipfile.ZipFile(io.BytesIO(z.content)).namelist()


def test_pages(client, world, codes):
    page = client.get("/cluster", headers=world.admin_headers)
    assert page.status_code == 200
    html = page.text
    assert "<svg" in html and "id=\"targets\"" in html and "id=\"by-city\"" in html
    assert "<script src=\"http" not in html and "cdn" not in html.lower()
    r = client.get("/cluster", headers=world.a.h(), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/cluster/figures"
    mine = client.get("/cluster/figures", headers=world.a.h("planner"))
    assert mine.status_code == 200 and "2023-05" in mine.text
    assert "利润总额" in mine.text and "企业报送" in mine.text  # Chinese by default
    en = client.get("/cluster/figures", headers={**world.a.h("planner"), "Accept-Language": "en"}).text
    assert "Total profit" in en and "reported" in en and "利润总额" not in en and "企业数据" not in en
    assert client.get("/cluster/import", headers=world.a.h("planner")).status_code == 403
    assert client.get("/cluster/import", headers=world.a.h("enterprise_admin")).status_code == 200
    assert client.get("/cluster", follow_redirects=False).status_code == 303  # login first


def _synthetic_app(url: str, var_dir):
    """A fresh app on ``url`` holding a small synthetic cluster, and a cluster office user's headers."""
    upgrade(url)
    app = create_app(Settings(environment="test", database_url=url, inline_worker=False, var_dir=var_dir))
    with app.state.sessionmaker() as s:
        loaded = svc.load_synthetic_cluster(session=s, scale="small", enterprises=80, years=2, seed=5)
        assert loaded["enterprises"] == 80 and loaded["rows"] > 1000
        admin = User(email=f"o-{TAG}@x.test", password_hash="x", role=Role.cluster_admin.value)
        s.add(admin)
        s.commit()
        headers = {"Authorization": f"Bearer {issue_token(s, user=admin)}"}
    return app, admin, headers


def test_synthetic_cluster_in_the_database_matches_duckdb_and_is_labelled(fresh_db_url, tmp_path):
    app, admin, headers = _synthetic_app(fresh_db_url, tmp_path)
    with app.state.sessionmaker() as s:
        admin = s.get(User, admin.id)
        db_rep = svc.cluster_progress(session=s, actor=admin, plan_id="gd-light-textile-2023-2025", year=2021)
        assert s.scalar(select(Enterprise.city_code).limit(1)).endswith("00")
    c = generate_cluster("small", enterprises=80, years=2, seed=5)
    duck = compute_progress(A.duckdb_fetch(A.connect(c.enterprises, c.monthly)), get_plan("gd-light-textile-2023-2025"), 2021)
    for a, b in zip(db_rep.indicators, duck.indicators, strict=True):
        assert a.actual == pytest.approx(b.actual, rel=1e-9)
        assert a.like_for_like_growth == pytest.approx(b.like_for_like_growth, rel=1e-9)
    assert db_rep.synthetic and [g.group for g in db_rep.by_city] == [g.group for g in duck.by_city]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        html = client.get("/cluster", headers=headers).text
        assert "SYNTHETIC" in html and 'data-synthetic="true"' in html
        z = client.get("/api/cluster/export?year=2021&format=csv", headers=headers)
        with zipfile.ZipFile(io.BytesIO(z.content)) as zf:
            assert "SYNTHETIC" in zf.read("by_city.csv").decode("utf-8-sig")
        assert client.get("/api/cluster/progress?year=2021", headers=headers).json()["synthetic"] is True


_HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def test_dashboard_speaks_one_language_at_a_time(fresh_db_url, tmp_path):
    """In English no Chinese word is left outside the data; in Chinese the headings and charts are Chinese."""
    from fastapi.testclient import TestClient

    app, _, headers = _synthetic_app(fresh_db_url, tmp_path)
    plan = get_plan("gd-light-textile-2023-2025")
    with app.state.sessionmaker() as s:
        data = list(s.scalars(select(Enterprise.name))) + [c.name_zh for c in plan.classes] + [plan.name]
    corpus = "\n".join(data)
    with TestClient(app) as client:
        en = client.get("/cluster?year=2021", headers={**headers, "Accept-Language": "en-GB,en;q=0.9"})
        zh = client.get("/cluster?year=2021", headers={**headers, "Accept-Language": "zh-CN,zh;q=0.9"})
        en_import = client.get("/cluster/import", headers={**headers, "Accept-Language": "en"})
    assert en.status_code == zh.status_code == 200
    for page in (en, zh):  # the synthetic label is on the page whatever its language
        assert 'data-synthetic="true"' in page.text and "SYNTHETIC DATA" in page.text
    html = re.sub(r"<style>.*?</style>", " ", en.text, flags=re.S)
    stray = [w for w in _HAN.findall(html) if w not in corpus and w not in {"粤纺", "简体中文"}]
    assert stray == [], f"Chinese UI words on the English dashboard: {stray[:10]}"
    assert "not official statistics" in en.text and "Trend" in en.text and "Top enterprises" in en.text
    assert "target ¥" in en.text and "projection ¥" in en.text and "Monthly income and added value" in en.text
    assert plan.name_en in en.text and "Guangzhou" in en.text
    visible = re.sub(r"<[^>]*>", " ", re.sub(r"<style>.*?</style>", " ", en_import.text, flags=re.S))
    assert set(_HAN.findall(visible)) <= {"粤纺", "简体中文"}  # the import form's option values stay 千元, 万元
    for heading in ("集群办公室", "趋势", "按城市", "按行业小类", "重点企业排名", "数据质量", "导出"):
        assert f">{heading}</h" in zh.text, heading
    assert "目标 " in zh.text and "亿" in zh.text and "月度营业收入与增加值" in zh.text and "广州" in zh.text
    for english in ("Trend", "By city", "Top enterprises", "Data quality", "target ", "projection ", "income"):
        assert english not in zh.text, english


def test_every_code_shown_on_the_cluster_pages_has_a_name():
    from yuefang.app.i18n import make_gettext
    from yuefang.app.web import cluster as pages
    from yuefang.cluster.model import INDICATOR_LABELS_ZH, Indicator, KeyTier
    from yuefang.cluster.quality import FlagCode
    from yuefang.cluster.ranking import COMPONENTS

    assert set(pages.INDICATOR_NAMES) == {i.value for i in Indicator}
    assert set(pages.TIER_NAMES) == {t.value for t in KeyTier}
    assert set(pages.FLAG_NAMES) == {f.value for f in FlagCode}
    assert set(pages.COMPONENT_NAMES) == set(COMPONENTS)
    zh, _ = make_gettext("zh_CN")
    # the Chinese pages use the statistical names of the indicators
    assert {code: zh(name) for code, name in pages.INDICATOR_NAMES.items()} == {
        i.value: INDICATOR_LABELS_ZH[i] for i in Indicator}


def test_bulk_path_stores_what_the_row_path_stores(app, world, codes, monkeypatch):
    a, b = codes["a"], codes["b"]

    def file(year: int) -> str:
        rows = ["uscc,period,main_business_income,industrial_added_value,employees,digital_maturity_level,source"]
        for u in (a, b):
            for m in range(2, 13):
                rows.append(f"{u},{year}-{m:02d},{100 * m},{24 * m},{50 + m},3,")
        rows.append(f"{a},{year}-05,1,,,,")  # a repeated period: rejected in both paths
        rows.append(f"{_u(9)},{year}-05,1,,,,")  # not registered
        return "\n".join(rows) + "\n"

    with app.state.sessionmaker() as s:
        admin = s.get(User, world.admin.id)
        monkeypatch.setattr(svc, "BULK_MIN_ROWS", 1)
        fast = svc.import_indicators(session=s, actor=admin, filename="f.csv", content=file(2016).encode(), unit="万元", ytd=True)
        monkeypatch.setattr(svc, "BULK_MIN_ROWS", 10**9)
        slow = svc.import_indicators(session=s, actor=admin, filename="f.csv", content=file(2017).encode(), unit="万元", ytd=True)
        assert (fast.figures_new, fast.rows_rejected) == (slow.figures_new, slow.rows_rejected)
        assert [(e.line, e.field, e.reason.replace("2016", "Y")) for e in fast.errors] == [
            (e.line, e.field, e.reason.replace("2017", "Y")) for e in slow.errors]
        assert [p.replace("2016", "Y") for p in fast.periods] == [p.replace("2017", "Y") for p in slow.periods]

        def stored(year: int):
            hist = []
            for eid in (world.a.enterprise_id, world.b.enterprise_id):
                hist += [(r.enterprise_id, r.period[4:], r.indicator, r.revision, r.value, r.source, r.current)
                         for r in svc.figure_history(session=s, actor=admin, enterprise_id=eid, year=year)]
            return sorted(hist)

        assert stored(2016) == stored(2017)
        monkeypatch.setattr(svc, "BULK_MIN_ROWS", 1)  # years now hold figures: the row path takes over
        again = svc.import_indicators(session=s, actor=admin, filename="f.csv", content=file(2016).encode(), unit="万元", ytd=True)
        assert (again.figures_new, again.figures_revised, again.figures_unchanged) == (0, 0, fast.figures_new)


def test_web_import_form_with_csrf(app, world, codes):
    import re

    from fastapi.testclient import TestClient

    with app.state.sessionmaker() as s:
        user = s.get(User, world.a.users["enterprise_admin"].id)
        token = issue_token(s, user=user, kind="cookie")
    with TestClient(app) as c:
        c.cookies.set(app.state.settings.session_cookie_name, token)
        page = c.get("/cluster/import")
        csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)
        text = f"uscc,period,main_business_income_yuan\n{codes['a']},2022-07,10\n{codes['b']},2022-07,10\n"
        files = {"file": ("r.csv", text.encode(), "text/csv")}
        r = c.post("/cluster/import", data={"kind": "indicators", "unit": "yuan", "csrf_token": csrf}, files=files)
        assert r.status_code == 200 and 'id="row-errors"' in r.text and "not your enterprise" in r.text
        refused = c.post("/cluster/import", data={"kind": "indicators", "csrf_token": "x"}, files=files)
        assert refused.status_code == 403
