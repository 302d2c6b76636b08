"""`yuefang marker nest|plan`: files written, --json on stdout, clear errors with exit codes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from yuefang.cli import app
from yuefang.marker import Marker, check_marker

runner = CliRunner()


def test_nest_pieces_json_writes_every_file(tmp_path, pattern):
    src = tmp_path / "pieces.json"
    src.write_text(pattern.to_json())
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["marker", "nest", f"{src}@2", "--width-mm", "700", "--selvedge-mm", "10", "--time-limit", "1",
         "--gap-mm", "2", "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["width_mm"] == 680.0 and data["pieces"] == 12
    assert 0 < data["utilisation"] <= 1
    assert {"piece", "copy", "x_mm", "y_mm", "rotation_deg", "mirrored"} <= set(data["placements"][0])
    assert sorted(p.name for p in out.iterdir()) == [
        "marker.dxf", "marker.json", "marker.pdf", "marker.plt", "marker.svg",
    ]
    marker = Marker.from_json((out / "marker.json").read_text())
    assert check_marker(marker) == []
    assert marker.length_mm == data["length_mm"] or abs(marker.length_mm - data["length_mm"]) < 1e-3


def test_nest_instance_defaults_to_its_strip_height(nesting_dir):
    result = runner.invoke(app, ["marker", "nest", str(nesting_dir / "dagli.json"), "--time-limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["width_mm"] == 60.0 and data["pieces"] == 30


def test_nest_errors_name_the_field(tmp_path, pattern):
    src = tmp_path / "pieces.json"
    src.write_text(pattern.to_json())
    result = runner.invoke(app, ["marker", "nest", str(src), "--time-limit", "1"])
    assert result.exit_code == 2
    assert "--width-mm" in result.output
    result = runner.invoke(app, ["marker", "nest", str(src), "--width-mm", "200", "--time-limit", "1"])
    assert result.exit_code == 2
    assert "usable width 200.0" in result.output
    result = runner.invoke(app, ["marker", "nest", str(tmp_path / "nope.json"), "--time-limit", "1"])
    assert result.exit_code == 2 and "INPUT" in result.output


def test_plan_from_batch_csv(tmp_path, make_pattern):
    for size, scale in (("S", 0.9), ("M", 1.0)):
        (tmp_path / f"{size}.json").write_text(make_pattern(scale, size).to_json())
    batch = tmp_path / "batch.csv"
    batch.write_text("colour,size,quantity,pattern\nnavy,S,10,S.json\nnavy,M,14,M.json\nred,M,6,M.json\n")
    out = tmp_path / "plan"
    result = runner.invoke(
        app,
        ["marker", "plan", str(batch), "--width-mm", "700", "--max-plies", "10", "--cost-per-lay", "3",
         "--time-limit", "1", "--nest-time-limit", "1", "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["produced"]["navy"]["S"] >= 10 and data["produced"]["red"]["M"] >= 6
    assert (out / "plan.json").is_file()
    assert {f"{m['marker_id']}.svg" for m in data["markers"]} <= {p.name for p in out.iterdir()}


def test_plan_missing_pattern_is_an_error(tmp_path):
    batch = tmp_path / "batch.csv"
    batch.write_text("colour,size,quantity\nnavy,S,10\n")
    result = runner.invoke(app, ["marker", "plan", str(batch), "--width-mm", "700"])
    assert result.exit_code == 2 and "--pattern" in result.output


def test_nest_dxf_aama_pattern(tmp_path, pattern):
    from yuefang.pattern.export.dxf_aama import to_dxf_aama

    src = tmp_path / "pattern.dxf"
    src.write_bytes(to_dxf_aama(pattern))
    result = runner.invoke(app, ["marker", "nest", str(src), "--width-mm", "700", "--time-limit", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # back (unfolded), front pair, sleeve pair, pocket
    assert data["pieces"] == 6
