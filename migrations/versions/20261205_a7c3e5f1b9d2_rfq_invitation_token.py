"""rfq invitation token: a partner answers through the link mailed to it, without a login

Revision ID: a7c3e5f1b9d2
Revises: 1ddb0679db16
Create Date: 2026-12-05 23:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e5f1b9d2"
down_revision: str | None = "1ddb0679db16"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("rfq_invitation", sa.Column("token_hash", sa.String(length=64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_rfq_invitation_token_hash"), "rfq_invitation", ["token_hash"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("uq_rfq_invitation_token_hash"), "rfq_invitation", type_="unique")
    op.drop_column("rfq_invitation", "token_hash")
