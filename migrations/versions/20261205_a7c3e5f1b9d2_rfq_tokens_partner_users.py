"""rfq invitation token (a partner answers through the link mailed to it, without a login);
rfq currency; partner users (staff_user.supplier_id, role PARTNER)

Revision ID: a7c3e5f1b9d2
Revises: 7bcf4e5a888e
Create Date: 2026-12-05 23:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e5f1b9d2"
down_revision: str | None = "7bcf4e5a888e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "rfq", sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False)
    )
    op.execute("UPDATE rfq SET currency = q.currency FROM quote q WHERE q.id = rfq.quote_id")
    op.add_column("rfq_invitation", sa.Column("token_hash", sa.String(length=64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_rfq_invitation_token_hash"), "rfq_invitation", ["token_hash"]
    )
    op.add_column("staff_user", sa.Column("supplier_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_staff_user_supplier_id"), "staff_user", ["supplier_id"])
    op.create_foreign_key(
        op.f("fk_staff_user_supplier_id_supplier"),
        "staff_user",
        "supplier",
        ["supplier_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_check_constraint(
        op.f("ck_staff_user_partner_has_supplier"),
        "staff_user",
        "(role = 'PARTNER') = (supplier_id IS NOT NULL)",
    )


def downgrade() -> None:
    op.execute("DELETE FROM staff_user WHERE supplier_id IS NOT NULL")
    op.drop_constraint(op.f("ck_staff_user_partner_has_supplier"), "staff_user", type_="check")
    op.drop_constraint(op.f("fk_staff_user_supplier_id_supplier"), "staff_user", type_="foreignkey")
    op.drop_index(op.f("ix_staff_user_supplier_id"), table_name="staff_user")
    op.drop_column("staff_user", "supplier_id")
    op.drop_column("rfq", "currency")
    op.drop_constraint(op.f("uq_rfq_invitation_token_hash"), "rfq_invitation", type_="unique")
    op.drop_column("rfq_invitation", "token_hash")
