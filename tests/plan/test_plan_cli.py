"""The `yuefang plan` command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from yuefang.cli import app

runner = CliRunner()


def test_balance_in2_json(tmp_path: Path) -> None:
    f = tmp_path / "toy.IN2"
    f.write_text("4\n5\n5\n5\n5\n1,2\n3,4\n-1,-1\n")
    r = runner.invoke(app, ["plan", "balance", str(f), "--cycle-time", "10", "--time-limit", "2", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["stations"] == 2 and data["optimal"] is True
    assert sorted(t for s in data["station_tasks"] for t in s) == [1, 2, 3, 4]
    r2 = runner.invoke(app, ["plan", "balance", str(f), "--stations", "1", "--time-limit", "2", "--json"])
    assert json.loads(r2.stdout)["cycle_time"] == 20


def test_balance_needs_exactly_one_target(tmp_path: Path) -> None:
    f = tmp_path / "toy.IN2"
    f.write_text("1\n5\n")
    r = runner.invoke(app, ["plan", "balance", str(f), "--time-limit", "1"])
    assert r.exit_code != 0 and "exactly one" in r.output
    r = runner.invoke(app, ["plan", "balance", str(f), "--cycle-time", "3", "--time-limit", "1"])
    assert r.exit_code != 0 and "cycle_time: 3" in r.output


def test_bulletin_then_balance_with_chart(tmp_path: Path) -> None:
    r = runner.invoke(app, ["plan", "bulletin", "skirt"])
    assert r.exit_code == 0
    csv_path = tmp_path / "skirt.csv"
    csv_path.write_text(r.stdout)
    svg = tmp_path / "loads.svg"
    r = runner.invoke(app, ["plan", "balance", str(csv_path), "--cycle-time", "60", "--time-limit", "2",
                            "--out", str(svg), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["operators"] == len(data["workstations"]) and svg.read_text().startswith("<svg")


def test_schedule_fjs_text(tmp_path: Path) -> None:
    f = tmp_path / "toy.fjs"
    f.write_text("2 2 1\n2 1 1 3 2 1 2 2 4\n1 1 2 5\n")
    r = runner.invoke(app, ["plan", "schedule", str(f), "--time-limit", "3"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("makespan 5")
    assert "1 1 1 0 3" in lines  # job 1 op 1 on machine 1 from 0 to 3


def test_schedule_orders_json(tmp_path: Path, small_orders, small_lines, plan_start) -> None:
    f = tmp_path / "plan.json"
    f.write_text(json.dumps({"start": plan_start.isoformat(),
                             "orders": [o.model_dump(mode="json") for o in small_orders],
                             "lines": [ln.model_dump(mode="json") for ln in small_lines]}))
    gantt = tmp_path / "g.svg"
    r = runner.invoke(app, ["plan", "schedule", str(f), "--time-limit", "3", "--json", "--out", str(gantt)])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["planned"]) == len(small_orders)
    assert "<svg" in gantt.read_text()
    f.write_text(json.dumps({"start": plan_start.isoformat(), "orders": [{"order_id": "x"}], "lines": []}))
    r = runner.invoke(app, ["plan", "schedule", str(f), "--time-limit", "1"])
    assert r.exit_code != 0 and "orders.0" in r.output
