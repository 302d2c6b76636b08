"""Tests of `yuefang cluster ...` (commands/cluster.py) through Typer's runner."""

from __future__ import annotations

import json

import openpyxl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from yuefang.cli import app
from yuefang.cluster.codes import complete_uscc

runner = CliRunner()
GZ = complete_uscc("91440106MA0000001")
SZ = complete_uscc("91440305MA0000002")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    res = runner.invoke(app, ["cluster", "generate", "--scale", "small", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["enterprises"] == 400
    return out


def test_validate_uscc_exit_codes():
    ok = runner.invoke(app, ["cluster", "validate-uscc", GZ, "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)[0]["valid"]
    bad = runner.invoke(app, ["cluster", "validate-uscc", GZ[:-1] + "Z"])
    assert bad.exit_code == 1 and "INVALID" in bad.stdout
    warn = runner.invoke(app, ["cluster", "validate-uscc", SZ, "--city", "4401"])
    assert warn.exit_code == 0 and "Shenzhen" in warn.stdout


def test_import_enterprises_reports_rows_and_writes_good_ones(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text(
        "uscc,name,city_code,county,industry_code,above_designated_size\n"
        f"{GZ},甲,4401,海珠区,1811,1\n{SZ},乙,4403,南山区,18,1\n", encoding="utf-8"
    )
    out = tmp_path / "e.parquet"
    res = runner.invoke(app, ["cluster", "import-enterprises", str(f), "--out", str(out), "--json"])
    assert res.exit_code == 2
    payload = json.loads(res.stdout)
    assert payload["records"] == 1 and payload["errors"][0]["line"] == 3 and payload["errors"][0]["field"] == "industry_code"
    assert pq.read_table(out).column("uscc").to_pylist() == [GZ]
    missing = runner.invoke(app, ["cluster", "import-enterprises", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_import_indicators_ytd_unit_and_flags(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["uscc", "period", "main_business_income", "gross_output", "industrial_added_value"])
    ws.append([GZ, "2024-02", 200, 210, 50])
    ws.append([GZ, "2024-03", 300, 320, 400])  # March added value 350 > output 110: flagged
    f = tmp_path / "ytd.xlsx"
    wb.save(f)
    res = runner.invoke(app, ["cluster", "import-indicators", str(f), "--ytd", "--unit", "万元", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["periods"] == ["2024-01..02", "2024-03"]
    assert [fl["code"] for fl in payload["flags"]] == ["added_value_above_output"]
    bad_unit = runner.invoke(app, ["cluster", "import-indicators", str(f), "--unit", "USD"])
    assert bad_unit.exit_code == 1 and "allowed" in bad_unit.stderr


def test_progress_json_over_demo_data(demo_dir):
    res = runner.invoke(app, ["cluster", "progress", "--plan", "gd-light-textile-2023-2025", "--year", "2022",
                              "--data", str(demo_dir), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert rep["synthetic"] is True and rep["through_month"] == 12
    inc = next(i for i in rep["indicators"] if i["indicator"] == "main_business_income_yuan")
    assert inc["target"] == 3e12 and 0 < inc["progress"] < 2
    assert len(rep["by_city"]) > 5 and 0 < rep["core_share"]["main_business_income_yuan"] < 1
    text = runner.invoke(app, ["cluster", "progress", "--year", "2022", "--data", str(demo_dir)])
    assert "SYNTHETIC" in text.stdout
    nodata = runner.invoke(app, ["cluster", "progress", "--year", "2030", "--data", str(demo_dir)])
    assert nodata.exit_code == 1 and "year=2030" in nodata.stderr
    badplan = runner.invoke(app, ["cluster", "progress", "--plan", "x", "--data", str(demo_dir)])
    assert badplan.exit_code == 1 and "allowed" in badplan.stderr


def test_progress_straight_from_import_files(tmp_path):
    e = tmp_path / "e.csv"
    e.write_text("uscc,name,city_code,county,industry_code,above_designated_size\n"
                 f"{GZ},甲,4401,,1811,1\n{SZ},乙,4403,,1830,1\n", encoding="utf-8")
    i = tmp_path / "i.csv"
    i.write_text("uscc,period,main_business_income_yuan\n"
                 f"{GZ},2023-02,100\n{GZ},2024-02,120\n{SZ},2023-02,50\n{SZ},2024-02,40\n", encoding="utf-8")
    res = runner.invoke(app, ["cluster", "progress", "--year", "2024", "--enterprises", str(e), "--indicators", str(i),
                              "--ytd", "--json"])
    assert res.exit_code == 0, res.output
    inc = next(x for x in json.loads(res.stdout)["indicators"] if x["indicator"] == "main_business_income_yuan")
    assert inc["actual"] == 160 and inc["through_month"] == 2
    assert inc["like_for_like_growth"] == pytest.approx(160 / 150 - 1)


def test_rank_and_export(demo_dir, tmp_path):
    res = runner.invoke(app, ["cluster", "rank", "--year", "2022", "--data", str(demo_dir), "--top", "5", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert len(payload["top"]) == 5 and payload["top"][0]["rank"] == 1
    assert payload["top"][0]["score"] >= payload["top"][-1]["score"]
    w = tmp_path / "w.json"
    w.write_text(json.dumps({"weights": {"size": 1.0}}))
    only_size = json.loads(runner.invoke(app, ["cluster", "rank", "--year", "2022", "--data", str(demo_dir), "--weights", str(w), "--json"]).stdout)
    incomes = [t["income"] for t in only_size["top"]]
    assert incomes == sorted(incomes, reverse=True)
    xlsx = tmp_path / "d.xlsx"
    assert runner.invoke(app, ["cluster", "export", "--data", str(demo_dir), "--year", "2022", "--out", str(xlsx)]).exit_code == 0
    wb = openpyxl.load_workbook(xlsx)
    assert "SYNTHETIC" in wb.worksheets[0]["A2"].value
    assert {"progress", "by_city", "by_industry", "top_enterprises", "flags"} <= set(wb.sheetnames)
    pdir = tmp_path / "p"
    assert runner.invoke(app, ["cluster", "export", "--data", str(demo_dir), "--year", "2022", "--format", "parquet", "--out", str(pdir)]).exit_code == 0
    t = pq.read_table(pdir / "by_city.parquet")
    assert t.schema.metadata[b"yuefang.synthetic"] == b"true" and "data_label" in t.column_names
    bad = runner.invoke(app, ["cluster", "export", "--data", str(demo_dir), "--format", "pdf", "--out", str(pdir)])
    assert bad.exit_code == 1 and "allowed xlsx, csv, parquet" in bad.stderr


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """The application database of the command line: a fresh SQLite file (settings cache cleared around)."""
    from yuefang.app.settings import get_settings

    monkeypatch.setenv("YUEFANG_DATABASE_URL", f"sqlite:///{tmp_path / 'y.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_db_mode_stores_revisions(tmp_path, app_db):
    e = tmp_path / "e.csv"
    e.write_text("uscc,name,city_code,county,industry_code,above_designated_size\n"
                 f"{GZ},甲,4401,,1811,1\n{SZ},乙,4403,,1830,1\n", encoding="utf-8")
    r = runner.invoke(app, ["cluster", "import-enterprises", str(e), "--db", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["created"] == 2
    i = tmp_path / "i.csv"
    i.write_text("uscc,period,main_business_income_yuan\n"
                 f"{GZ},2023-02,100\n{GZ},2024-02,120\n{SZ},2023-02,50\n{SZ},2024-02,40\n", encoding="utf-8")
    first = json.loads(runner.invoke(app, ["cluster", "import-indicators", str(i), "--ytd", "--db", "--json"]).stdout)
    assert first["figures_new"] == 4
    i.write_text(i.read_text(encoding="utf-8").replace("2024-02,40", "2024-02,45"), encoding="utf-8")
    second = json.loads(runner.invoke(app, ["cluster", "import-indicators", str(i), "--ytd", "--db", "--json"]).stdout)
    assert (second["figures_revised"], second["figures_unchanged"]) == (1, 3)
    rep = json.loads(runner.invoke(app, ["cluster", "progress", "--year", "2024", "--db", "--json"]).stdout)
    inc = next(x for x in rep["indicators"] if x["indicator"] == "main_business_income_yuan")
    assert inc["actual"] == 165 and inc["like_for_like_growth"] == pytest.approx(165 / 150 - 1)
