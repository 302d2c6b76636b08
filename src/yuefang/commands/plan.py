"""`yuefang plan ...` commands: a thin caller of yuefang.plan."""

from __future__ import annotations

import typer

app = typer.Typer(help="Planning: line balancing, scheduling, promise dates.", no_args_is_help=True)
