"""`yuefang marker ...` commands: a thin caller of yuefang.marker."""

from __future__ import annotations

import typer

app = typer.Typer(help="Markers: nest pieces on the fabric, cut order planning.", no_args_is_help=True)
