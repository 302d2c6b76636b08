import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from yuefang.cli import app

runner = CliRunner()

PEOPLE = """id,sex,stature,weight_kg,age_years,waist_girth
a1,male,1750,75,30,
a2,female,1620,55,,700
bad,male,70,75,,
b3,F,1600,52,40,
"""


def test_complete_writes_every_row_and_reports_bad_ones(tmp_path: Path) -> None:
    src = tmp_path / "people.csv"
    src.write_text(PEOPLE, encoding="utf-8")
    out = tmp_path / "bodies.csv"
    result = runner.invoke(app, ["measure", "complete", str(src), "--out", str(out)])
    assert result.exit_code == 1
    assert "line 4" in result.output and "inches" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["a1", "a2", "b3"]
    assert rows[1]["waist_girth"] == "700" and rows[1]["bust_girth"] and not rows[1]["chest_girth"]
    assert float(rows[0]["hip_girth_low"]) < float(rows[0]["hip_girth"]) < float(rows[0]["hip_girth_high"])
    assert rows[0]["designation_top"].startswith("175/") and rows[0]["body_type"] in "YABC"


def test_complete_ignores_unknown_columns_and_creates_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "people.csv"
    src.write_text("id,name_of_customer,sex,stature,weight_kg\n7,Li,Male,1700,65\n", encoding="utf-8")
    out = tmp_path / "new" / "bodies.csv"
    result = runner.invoke(app, ["measure", "complete", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ignored columns" in result.output and "name_of_customer" in result.output
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert row["id"] == "7" and row["sex"] == "male" and row["chest_girth"]


def test_complete_json_summary(tmp_path: Path) -> None:
    src = tmp_path / "people.csv"
    src.write_text(PEOPLE.replace("bad,male,70,75,,\n", ""), encoding="utf-8")
    result = runner.invoke(app, ["measure", "complete", str(src), "--out", str(tmp_path / "o.csv"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"rows": 3, "completed": 3, "errors": [], "out": str(tmp_path / "o.csv")}


def test_fit_then_complete_with_the_enterprise_model(tmp_path: Path, make_people) -> None:
    people = make_people(200, "female", seed=7, drop=("head_girth",))
    cols = list(people[0])
    sink = io.StringIO()
    w = csv.DictWriter(sink, fieldnames=cols)
    w.writeheader()
    w.writerows(people)
    data = tmp_path / "customers.csv"
    data.write_text(sink.getvalue(), encoding="utf-8")
    model = tmp_path / "model.json"
    result = runner.invoke(app, ["measure", "fit", str(data), "--out", str(model), "--folds", "0", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["n_samples"] == {"female": 200, "male": 0} and summary["from_base"]["female"] == ["head_girth"]
    src = tmp_path / "people.csv"
    src.write_text("id,sex,stature,weight_kg\nx,female,1600,55\n", encoding="utf-8")
    result = runner.invoke(app, ["measure", "complete", str(src), "--model", str(model)])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["id"] == "x" and "base model" in row["notes"]
    bad = runner.invoke(app, ["measure", "complete", str(src), "--model", str(src)])
    assert bad.exit_code == 1 and "--model" in bad.output


def test_body_and_designate(tmp_path: Path) -> None:
    result = runner.invoke(app, ["measure", "body", "170/88A", "--sex", "male", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["values"]["chest_girth"] == 880 and body["designation"]["top"] == "170/88A"
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    result = runner.invoke(app, ["measure", "designate", str(path), "--series", "5.2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bottom"] == "170/74A"
    bad = runner.invoke(app, ["measure", "body", "M", "--sex", "male"])
    assert bad.exit_code != 0 and "label" in bad.output


def test_chart_fit_and_garment(tmp_path: Path) -> None:
    chart = tmp_path / "chart.csv"
    chart.write_text("size,chest_girth,waist_girth\nS,880,740\nM,920,780\n", encoding="utf-8")
    body = tmp_path / "b.json"
    body.write_text(json.dumps({"chest_girth": 915, "waist_girth": 785}), encoding="utf-8")
    result = runner.invoke(app, ["measure", "chart-fit", str(chart), str(body), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["recommended"] == "M"
    table = runner.invoke(app, ["measure", "chart-fit", str(chart), str(body)])
    assert "recommended size: M" in table.output
    finished = tmp_path / "shirt.json"
    finished.write_text(json.dumps({"chest_girth": 1100}), encoding="utf-8")
    result = runner.invoke(app, ["measure", "garment", "shirt", str(finished), "--sex", "male", "--stature", "1750",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["values"]["chest_girth"] == 900


def test_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["measure", "complete", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1 and "does not exist" in result.output
