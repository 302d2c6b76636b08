"""sewing lines: an enterprise's factories and their sewing lines (what the planned step schedules on)

Revision ID: 0003_sewing_lines
Revises: 0002_cluster
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_sewing_lines"
down_revision: str | None = "0002_cluster"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "factory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("city_code", sa.String(length=6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_factory_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factory")),
        sa.UniqueConstraint("enterprise_id", "name", name=op.f("uq_factory_enterprise_id")),
    )
    op.create_index(op.f("ix_factory_enterprise_id"), "factory", ["enterprise_id"])
    op.create_table(
        "sewing_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("factory_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("operators", sa.Integer(), nullable=False),
        sa.Column("minutes_per_day", sa.Float(), nullable=False),
        sa.Column("efficiency", sa.Float(), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("current_product", sa.String(length=50), nullable=True),
        sa.Column("changeover_min", sa.Float(), nullable=False),
        sa.Column("learning_days", sa.Float(), nullable=False),
        sa.Column("learning_start_fraction", sa.Float(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_sewing_line_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["factory_id"], ["factory.id"], ondelete="CASCADE",
                                name=op.f("fk_sewing_line_factory_id_factory")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sewing_line")),
        sa.UniqueConstraint("factory_id", "name", name=op.f("uq_sewing_line_factory_id")),
    )
    op.create_index(op.f("ix_sewing_line_enterprise_id"), "sewing_line", ["enterprise_id"])
    op.create_index(op.f("ix_sewing_line_factory_id"), "sewing_line", ["factory_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sewing_line_factory_id"), table_name="sewing_line")
    op.drop_index(op.f("ix_sewing_line_enterprise_id"), table_name="sewing_line")
    op.drop_table("sewing_line")
    op.drop_index(op.f("ix_factory_enterprise_id"), table_name="factory")
    op.drop_table("factory")
