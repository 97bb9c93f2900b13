"""The answer link of an RFQ invitation: each partner asked gets its own random token by
e-mail; holding it, the partner sees that one RFQ and answers or declines it without a login
(besides its API key or a partner login). The invitation keeps only the token's SHA-256, so
a token is checked without being stored with it (the mail itself passes through the mail
outbox); a lost link is replaced by asking the partner in a new RFQ."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from domain.accounts.viewer import Viewer, ViewerKind
from domain.quotes.models import Rfq, RfqInvitation
from domain.shared.uow import UnitOfWork

PREFIX = "rfq_"
MAX_LENGTH = 200


def new_token() -> tuple[str, str]:
    """(token to mail, hash to store)."""
    token = PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def partner_of(invitation: RfqInvitation) -> Viewer:
    """Who acts with the link: the partner invited (history records it as SUPPLIER)."""
    return Viewer(ViewerKind.SUPPLIER, supplier_id=invitation.supplier_id)


async def invitation_by_token(
    uow: UnitOfWork, token: str, *, for_update: bool = False
) -> tuple[Rfq, RfqInvitation] | None:
    """The RFQ and invitation a token opens, or None (unknown, malformed)."""
    if not token.startswith(PREFIX) or len(token) > MAX_LENGTH:
        return None
    stmt = (
        select(Rfq, RfqInvitation)
        .join(RfqInvitation, RfqInvitation.rfq_id == Rfq.id)
        .where(RfqInvitation.token_hash == hash_token(token))
    )
    if for_update:
        stmt = stmt.with_for_update(of=RfqInvitation)
    rows = await uow.rows(stmt)
    return (rows[0][0], rows[0][1]) if rows else None
