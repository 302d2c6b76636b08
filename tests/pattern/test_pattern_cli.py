"""`yuefang pattern ...`: list, draft, grade, import, export, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from yuefang.cli import app
from yuefang.measure import body_for_designation
from yuefang.pattern.export import EXPORT_FILES

runner = CliRunner()


def _write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_list_shows_products_inputs_options() -> None:
    res = runner.invoke(app, ["pattern", "list", "--json"])
    assert res.exit_code == 0, res.output
    products = {p["id"]: p for p in json.loads(res.stdout)}
    assert {"curtain", "duvet_cover", "fitted_sheet", "shirt"} <= set(products)
    curtain = products["curtain"]
    assert curtain["kind"] == "home_textile"
    assert {f["name"] for f in curtain["inputs"]} == {"window_width_mm", "drop_mm"}
    fullness = next(f for f in curtain["options"] if f["name"] == "fullness")
    assert fullness["ge"] == 1.2 and fullness["le"] == 3.0
    heading = next(f for f in curtain["options"] if f["name"] == "heading")
    assert "eyelet" in heading["allowed"]
    table = runner.invoke(app, ["pattern", "list"])
    assert table.exit_code == 0 and "窗帘" in table.output


def test_draft_home_textile_writes_every_file(tmp_path: Path) -> None:
    inp = _write(tmp_path / "bed.json", {"mattress_width_mm": 1500, "mattress_length_mm": 2000, "mattress_depth_mm": 250})
    opts = _write(tmp_path / "opts.json", {"elastic": "corners"})
    out = tmp_path / "out"
    res = runner.invoke(app, ["pattern", "draft", "fitted_sheet", "--input", str(inp), "--options", str(opts),
                              "--out", str(out), "--order-line", "SO-1", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["ok"] and summary["pieces"][0]["name"] == "sheet"
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORT_FILES)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["elastic"] == "corners"
    assert json.loads((out / "pieces.json").read_text(encoding="utf-8"))["order_line"] == "SO-1"


def test_draft_garment_from_a_body(tmp_path: Path) -> None:
    body = _write(tmp_path / "body.json", body_for_designation("170/88A", "male"))
    res = runner.invoke(app, ["pattern", "draft", "shirt", "--input", str(body), "--out", str(tmp_path / "o"),
                              "--size", "170/88A"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "pattern.dxf").stat().st_size > 1000


def test_bad_option_exits_non_zero_naming_field_value_allowed(tmp_path: Path) -> None:
    inp = _write(tmp_path / "w.json", {"window_width_mm": 2000, "drop_mm": 2400})
    opts = _write(tmp_path / "o.json", {"fullness": 9})
    res = runner.invoke(app, ["pattern", "draft", "curtain", "--input", str(inp), "--options", str(opts), "--out", str(tmp_path)])
    assert res.exit_code == 2
    assert "fullness" in res.output and "9" in res.output and "allowed" in res.output


def test_unknown_product_and_missing_file(tmp_path: Path) -> None:
    inp = _write(tmp_path / "w.json", {"window_width_mm": 2000, "drop_mm": 2400})
    res = runner.invoke(app, ["pattern", "draft", "sofa", "--input", str(inp), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "sofa" in res.output and "curtain" in res.output
    res = runner.invoke(app, ["pattern", "draft", "curtain", "--input", str(tmp_path / "nope.json"), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "not found" in res.output


def test_grade_writes_a_stack(tmp_path: Path) -> None:
    out = tmp_path / "stack.svg"
    res = runner.invoke(app, ["pattern", "grade", "shirt", "--sex", "male", "--sizes", "165/84A,175/92A", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sizes"] == ["165/84A", "175/92A"]
    assert out.read_text(encoding="utf-8").count("<polygon") >= 4


def test_import_then_export_round_trip(tmp_path: Path) -> None:
    inp = _write(tmp_path / "d.json", {"duvet_size": "200x230"})
    runner.invoke(app, ["pattern", "draft", "duvet_cover", "--input", str(inp), "--out", str(tmp_path / "a")])
    res = runner.invoke(app, ["pattern", "import", str(tmp_path / "a" / "pattern.dxf"), "--out", str(tmp_path / "b"), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["pieces"] == ["front", "back", "corner_tie"]
    res = runner.invoke(app, ["pattern", "export", str(tmp_path / "b" / "pieces.json"), "--out", str(tmp_path / "c")])
    assert res.exit_code == 0 and (tmp_path / "c" / "pattern-a4.pdf").read_bytes().startswith(b"%PDF")
    bad = tmp_path / "bad.dxf"
    bad.write_bytes(b"hello")
    res = runner.invoke(app, ["pattern", "import", str(bad), "--out", str(tmp_path / "d")])
    assert res.exit_code == 2 and "dxf" in res.output
