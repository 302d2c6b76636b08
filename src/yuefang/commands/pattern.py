"""`yuefang pattern ...` commands: a thin caller of yuefang.pattern."""

from __future__ import annotations

import typer

app = typer.Typer(help="Patterns: draft products for a body, export SVG/PDF/DXF-AAMA/HPGL.", no_args_is_help=True)
