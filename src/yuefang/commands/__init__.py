"""Thin CLI modules, one per domain; each defines `app`, a Typer app."""
