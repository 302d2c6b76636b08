"""`yuefang measure ...` commands: a thin caller of yuefang.measure."""

from __future__ import annotations

import typer

app = typer.Typer(help="Bodies and sizes: complete bodies, GB/T 1335 designations, size charts.", no_args_is_help=True)
