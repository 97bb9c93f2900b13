"""customer_order.idempotency_fingerprint: the request an idempotency key was first used with

Revision ID: c4d8e1f0a7b3
Revises: fc74c1fbb9ff
Create Date: 2026-12-05 20:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d8e1f0a7b3"
down_revision: str | None = "fc74c1fbb9ff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "customer_order", sa.Column("idempotency_fingerprint", sa.String(64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("customer_order", "idempotency_fingerprint")
