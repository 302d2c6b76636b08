"""cluster: indicator figures with revisions, current figures, import batches, review flags, register view

Revision ID: 0002_cluster
Revises: 0001_platform
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_cluster"
down_revision: str | None = "0001_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEW = (
    "CREATE VIEW cluster_enterprise_v AS SELECT e.id AS enterprise_id, e.uscc AS uscc, e.name AS name, "
    "SUBSTR(e.city_code, 1, 4) AS city_code, e.county AS county, e.industry_code AS industry_code, "
    "e.above_designated_size AS above_designated_size, e.key_tier AS key_tier, "
    "COALESCE(m.synthetic, FALSE) AS synthetic "
    "FROM enterprise e LEFT JOIN cluster_enterprise_meta m ON m.enterprise_id = e.id"
)


def upgrade() -> None:
    op.create_table(
        "cluster_import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("ytd", sa.Boolean(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("figures_new", sa.Integer(), nullable=False),
        sa.Column("figures_revised", sa.Integer(), nullable=False),
        sa.Column("figures_unchanged", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_cluster_import_batch_actor_id_app_user")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"],
                                name=op.f("fk_cluster_import_batch_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_import_batch")),
    )
    op.create_index(op.f("ix_cluster_import_batch_enterprise_id"), "cluster_import_batch", ["enterprise_id"])
    op.create_table(
        "cluster_enterprise_meta",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_cluster_enterprise_meta_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_cluster_enterprise_meta")),
    )
    op.create_table(
        "cluster_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("first_month", sa.SmallInteger(), nullable=False),
        sa.Column("last_month", sa.SmallInteger(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["cluster_import_batch.id"],
                                name=op.f("fk_cluster_figure_batch_id_cluster_import_batch")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_cluster_figure_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_figure")),
        sa.UniqueConstraint("enterprise_id", "year", "first_month", "last_month", "indicator", "revision",
                            name="uq_cluster_figure_key_revision"),
    )
    op.create_index("ix_cluster_figure_key", "cluster_figure", ["enterprise_id", "year", "last_month", "indicator"])
    op.create_index(op.f("ix_cluster_figure_batch_id"), "cluster_figure", ["batch_id"])
    op.create_table(
        "cluster_monthly",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("first_month", sa.SmallInteger(), nullable=False),
        sa.Column("last_month", sa.SmallInteger(), nullable=False),
        sa.Column("main_business_income_yuan", sa.Float(), nullable=True),
        sa.Column("industrial_added_value_yuan", sa.Float(), nullable=True),
        sa.Column("gross_output_yuan", sa.Float(), nullable=True),
        sa.Column("total_profit_yuan", sa.Float(), nullable=True),
        sa.Column("employees", sa.Float(), nullable=True),
        sa.Column("rd_expenditure_yuan", sa.Float(), nullable=True),
        sa.Column("export_delivery_value_yuan", sa.Float(), nullable=True),
        sa.Column("digital_maturity_level", sa.Float(), nullable=True),
        sa.Column("sources", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_cluster_monthly_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("enterprise_id", "year", "first_month", "last_month", name=op.f("pk_cluster_monthly")),
    )
    op.create_index("ix_cluster_monthly_year_enterprise", "cluster_monthly", ["year", "enterprise_id"])
    op.create_table(
        "cluster_review_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("first_month", sa.SmallInteger(), nullable=False),
        sa.Column("last_month", sa.SmallInteger(), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["cluster_import_batch.id"],
                                name=op.f("fk_cluster_review_flag_batch_id_cluster_import_batch")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_cluster_review_flag_enterprise_id_enterprise")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster_review_flag")),
    )
    op.create_index("ix_cluster_review_flag_enterprise", "cluster_review_flag", ["enterprise_id", "year"])
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS cluster_enterprise_v")
    op.drop_index("ix_cluster_review_flag_enterprise", table_name="cluster_review_flag")
    op.drop_table("cluster_review_flag")
    op.drop_index("ix_cluster_monthly_year_enterprise", table_name="cluster_monthly")
    op.drop_table("cluster_monthly")
    op.drop_index(op.f("ix_cluster_figure_batch_id"), table_name="cluster_figure")
    op.drop_index("ix_cluster_figure_key", table_name="cluster_figure")
    op.drop_table("cluster_figure")
    op.drop_table("cluster_enterprise_meta")
    op.drop_index(op.f("ix_cluster_import_batch_enterprise_id"), table_name="cluster_import_batch")
    op.drop_table("cluster_import_batch")
