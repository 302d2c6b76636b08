"""The ``yuefang`` command line: ``yuefang <domain> <verb> INPUT [--out PATH] [--json]``.

A thin caller of the same services the API uses.
"""

from __future__ import annotations

import typer

from yuefang.commands import cluster, marker, measure, pattern, plan, platform

app = typer.Typer(
    name="yuefang",
    help="粤纺 yuefang: made-to-measure production and cluster governance.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(measure.app, name="measure")
app.add_typer(pattern.app, name="pattern")
app.add_typer(marker.app, name="marker")
app.add_typer(plan.app, name="plan")
app.add_typer(cluster.app, name="cluster")
platform.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
