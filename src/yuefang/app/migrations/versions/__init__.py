"""Alembic revision scripts (a package so that they ship in a wheel)."""
