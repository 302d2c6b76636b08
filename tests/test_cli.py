from typer.testing import CliRunner

from yuefang.cli import app


def test_root_help_lists_every_domain() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for domain in ("measure", "pattern", "marker", "plan", "cluster"):
        assert domain in result.output
