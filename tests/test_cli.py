from typer.testing import CliRunner

from yuefang.cli import app


def test_root_help_lists_every_domain() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for domain in ("measure", "pattern", "marker", "plan", "cluster"):
        assert domain in result.output


def test_marker_nest_names_the_option_on_a_bad_width_or_time_limit(tmp_path) -> None:
    src = tmp_path / "pieces.json"
    src.write_text("{}", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["marker", "nest", str(src), "--width-mm", "-5", "--time-limit", "1"])
    assert result.exit_code == 2
    assert "--width-mm: got -5.0" in result.output and "> 0" in result.output
    result = runner.invoke(app, ["marker", "nest", str(src), "--width-mm", "1500", "--time-limit", "0"])
    assert result.exit_code == 2
    assert "--time-limit: got 0.0" in result.output
