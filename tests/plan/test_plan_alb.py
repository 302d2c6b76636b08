"""The .alb format of Otto et al. (2013): same instance as Scholl's .IN2, cycle time from the file."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from yuefang.cli import app
from yuefang.plan.alb import looks_like_alb, read_alb
from yuefang.plan.salbp import read_in2


def to_alb(times, prec, cycle: int | None, shuffle: bool = False) -> str:
    rows = [f"{i} {t}" for i, t in enumerate(times, start=1)]
    if shuffle:
        random.Random(7).shuffle(rows)
    parts = ["<number of tasks>", str(len(times))]
    if cycle is not None:
        parts += ["", "<cycle time>", str(cycle)]
    parts += ["", "<order strength>", "0,268", "", "<task times>", *rows, "", "<precedence relations>",
              *[f"{a},{b}" for a, b in prec], "", "<end>", ""]
    return "\n".join(parts)


def test_same_instance_as_in2(salbp_dir) -> None:
    in2 = read_in2((salbp_dir / "scholl1993" / "JACKSON.IN2").read_text(encoding="latin-1"), "JACKSON")
    alb, cycle = read_alb(to_alb(in2.task_times, in2.precedences, 10, shuffle=True), "JACKSON")
    assert alb.task_times == in2.task_times and alb.precedences == in2.precedences and cycle == 10
    assert looks_like_alb(to_alb(in2.task_times, in2.precedences, 10))
    assert not looks_like_alb((salbp_dir / "scholl1993" / "JACKSON.IN2").read_text(encoding="latin-1"))


def test_cli_takes_the_cycle_time_from_the_file(salbp_dir, tmp_path) -> None:
    in2 = read_in2((salbp_dir / "scholl1993" / "JACKSON.IN2").read_text(encoding="latin-1"), "JACKSON")
    path = tmp_path / "jackson.alb"
    path.write_text(to_alb(in2.task_times, in2.precedences, 10), encoding="utf-8")
    runner = CliRunner()
    from_file = runner.invoke(app, ["plan", "balance", str(path), "--time-limit", "5", "--json"])
    assert from_file.exit_code == 0, from_file.output
    data = json.loads(from_file.stdout)
    assert data["cycle_time"] <= 10 and data["stations"] == 5 and data["optimal"]  # Jackson c=10: m* = 5
    # an explicit --cycle-time wins over the file's
    other = runner.invoke(app, ["plan", "balance", str(path), "--cycle-time", "7", "--time-limit", "5", "--json"])
    assert json.loads(other.stdout)["stations"] == 8  # Jackson c=7: m* = 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<number of tasks>\n2\n<task times>\n1 3\n<end>\n", "no task time for tasks [2]"),
        ("<number of tasks>\n2\n<task times>\n1 3\n3 4\n<end>\n", "task 3; allowed: 1..2"),
        ("<number of tasks>\nfive\n<task times>\n<end>\n", "allowed: an integer for <number of tasks>"),
        ("<cycle time>\n10\n<end>\n", "no <number of tasks> section"),
        ("<number of tasks>\n1\n<task times>\n1 3\n<precedence relations>\n1;x\n<end>\n", "allowed: 'i,j'"),
    ],
)
def test_bad_files_name_the_line_and_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="alb") as err:
        read_alb(text)
    assert message in str(err.value)


def test_cli_without_any_cycle_time_says_what_to_give(tmp_path) -> None:
    path = tmp_path / "x.alb"
    path.write_text("<number of tasks>\n2\n<task times>\n1 3\n2 4\n<precedence relations>\n1,2\n<end>\n")
    result = CliRunner().invoke(app, ["plan", "balance", str(path), "--time-limit", "1"])
    assert result.exit_code != 0 and "--cycle-time/--stations" in result.output
