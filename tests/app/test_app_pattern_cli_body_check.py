"""`yuefang pattern draft` refuses an implausible body, as the web form and the API do (QA finding).

Lives in tests/app because the QA pass may only add tests there; it tests src/yuefang/commands/pattern.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from yuefang.cli import app

runner = CliRunner()


def _body(tmp_path: Path, **changes: float) -> Path:
    result = runner.invoke(app, ["measure", "body", "170/88A", "--sex", "male", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)["values"] | {"sex": "male"} | changes
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_draft_refuses_a_70_cm_stature_naming_field_value_and_range(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["pattern", "draft", "shirt", "-i", str(_body(tmp_path, stature=700.0)), "-o", str(out)])
    assert result.exit_code == 2
    assert "stature: 700.0; allowed: 1200–2250 mm" in " ".join(result.output.split())
    assert not out.exists()


def test_draft_refuses_a_2000_mm_waist_and_still_drafts_a_real_body(tmp_path: Path) -> None:
    bad = runner.invoke(
        app, ["pattern", "draft", "shirt", "-i", str(_body(tmp_path, waist_girth=2000.0)), "-o", str(tmp_path / "b")]
    )
    assert bad.exit_code == 2
    assert "waist_girth: 2000.0; allowed: 500–1800 mm" in " ".join(bad.output.split())
    good = runner.invoke(app, ["pattern", "draft", "shirt", "-i", str(_body(tmp_path)), "-o", str(tmp_path / "g")])
    assert good.exit_code == 0, good.output
    assert (tmp_path / "g" / "pieces.json").exists()
