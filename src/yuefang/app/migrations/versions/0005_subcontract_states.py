"""subcontract states (offered, accepted, declined, withdrawn) with who decided and when; the
enterprise's time zone for planning; a step reason kept as a catalogue message (key and values)

Revision ID: 0005_subcontract_states
Revises: 0004_bulletins
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_subcontract_states"
down_revision: str | None = "0004_bulletins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing subcontracts were never answered: they are offers
    with op.batch_alter_table("subcontract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="offered"))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_subcontract_decided_by_id_app_user"), "app_user",
                                    ["decided_by_id"], ["id"], ondelete="SET NULL")  # fmt: skip
        batch_op.create_index(batch_op.f("ix_subcontract_status"), ["status"], unique=False)
    # plain ALTER TABLE (no batch copy): the cluster's views read the enterprise table
    op.add_column("enterprise",
                  sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="Asia/Shanghai"))
    with op.batch_alter_table("order_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_key", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("reason_params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_step", schema=None) as batch_op:
        batch_op.drop_column("reason_params")
        batch_op.drop_column("reason_key")
    op.drop_column("enterprise", "time_zone")  # SQLite >= 3.35 drops a column in place
    with op.batch_alter_table("subcontract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subcontract_status"))
        batch_op.drop_constraint(batch_op.f("fk_subcontract_decided_by_id_app_user"), type_="foreignkey")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("status")
