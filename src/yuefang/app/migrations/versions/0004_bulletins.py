"""bulletins: an enterprise's own operation bulletin per product (CSV text), replacing the default

Revision ID: 0004_bulletins
Revises: 0003_sewing_lines
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_bulletins"
down_revision: str | None = "0003_sewing_lines"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "enterprise_bulletin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=50), nullable=False),
        sa.Column("csv_text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], ondelete="CASCADE",
                                name=op.f("fk_enterprise_bulletin_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["app_user.id"], ondelete="SET NULL",
                                name=op.f("fk_enterprise_bulletin_updated_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_bulletin")),
        sa.UniqueConstraint("enterprise_id", "product_id", name=op.f("uq_enterprise_bulletin_enterprise_id")),
    )
    op.create_index(op.f("ix_enterprise_bulletin_enterprise_id"), "enterprise_bulletin", ["enterprise_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_enterprise_bulletin_enterprise_id"), table_name="enterprise_bulletin")
    op.drop_table("enterprise_bulletin")
