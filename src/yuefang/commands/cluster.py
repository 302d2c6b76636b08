"""`yuefang cluster ...` commands: a thin caller of yuefang.cluster."""

from __future__ import annotations

import typer

app = typer.Typer(help="Cluster office: enterprises, indicators, progress against targets.", no_args_is_help=True)
