"""Who a notification goes to: the rules named by `kinds.Recipients`, resolved per event."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from domain.accounts.models import Company, PermissionGroup, PortalUser, portal_user_group
from domain.accounts.rights import Right
from domain.billing.models import Invoice
from domain.notifications.defaults import FALLBACK_LANGUAGE
from domain.notifications.kinds import NotificationKind, Recipients
from domain.shared.uow import UnitOfWork

STAFF_KEY = "staff"


@dataclass(frozen=True, slots=True)
class Recipient:
    key: str  # unique per event and channel: "user:<id>", "company:<id>", "staff"
    name: str
    email: str | None
    phone: str | None
    language: str
    user_id: int | None = None  # preferences apply to users only


def _user(user: PortalUser, company: Company | None) -> Recipient:
    language = user.language or (company.language if company else None) or FALLBACK_LANGUAGE
    return Recipient(
        f"user:{user.id}", user.full_name, user.email, user.phone, language, user_id=user.id
    )


async def _users(uow: UnitOfWork, company_id: int | None, ids: list[int]) -> list[Recipient]:
    if not ids:
        return []
    rows = await uow.rows(
        select(PortalUser, Company)
        .join(Company, Company.id == PortalUser.company_id)
        .where(PortalUser.id.in_(ids), PortalUser.is_active.is_(True))
        .order_by(PortalUser.id)
    )
    # An event names users of its own company only; anything else is ignored, never mailed.
    return [_user(u, c) for u, c in rows if company_id is None or u.company_id == company_id]


async def _holders(uow: UnitOfWork, company_id: int, right: Right) -> list[Recipient]:
    """The company's active users holding ``right`` through one of their groups."""
    rows = await uow.rows(
        select(PortalUser, Company)
        .join(Company, Company.id == PortalUser.company_id)
        .join(portal_user_group, portal_user_group.c.user_id == PortalUser.id)
        .join(PermissionGroup, PermissionGroup.id == portal_user_group.c.group_id)
        .where(
            PortalUser.company_id == company_id,
            PortalUser.is_active.is_(True),
            PermissionGroup.rights.contains([right.value]),
        )
        .distinct()
        .order_by(PortalUser.id)
    )
    return [_user(u, c) for u, c in rows]


async def _approvers(uow: UnitOfWork, company_id: int, orderer_id: Any) -> list[Recipient]:
    # The proposer cannot approve their own proposal: nobody asks them to.
    return [
        r for r in await _holders(uow, company_id, Right.APPROVE_ORDERS) if r.user_id != orderer_id
    ]


async def _finance(uow: UnitOfWork, company_id: int, payload: dict[str, Any]) -> list[Recipient]:
    """The users who see the company's finances. One whose e-mail is the address the invoice
    itself was mailed to (domain/billing/mailing.py) gets no second e-mail about it (an SMS
    they chose still goes)."""
    people = await _holders(uow, company_id, Right.VIEW_FINANCES)
    invoice_id = payload.get("invoiceId")
    if not isinstance(invoice_id, int):
        return people
    buyer = await uow.scalar(select(Invoice.buyer).where(Invoice.id == invoice_id))
    mailed = str((buyer or {}).get("email") or "").strip().lower()
    return [
        replace(r, email=None) if mailed and (r.email or "").strip().lower() == mailed else r
        for r in people
    ]


async def _company_contact(uow: UnitOfWork, company_id: int) -> list[Recipient]:
    company = await uow.session.get(Company, company_id)
    if company is None or not company.contact_email:
        return []
    return [
        Recipient(
            f"company:{company.id}",
            company.contact_name or company.name,
            company.contact_email,
            company.contact_phone,
            company.language or FALLBACK_LANGUAGE,
        )
    ]


async def recipients_of(
    uow: UnitOfWork,
    kind: NotificationKind,
    company_id: int | None,
    payload: dict[str, Any],
    staff_address: str | None,
) -> list[Recipient]:
    """The people ``kind`` goes to for one event (before their preferences)."""
    rule = kind.recipients
    if rule is Recipients.STAFF:
        if not staff_address:
            return []
        return [Recipient(STAFF_KEY, "Team", staff_address, None, FALLBACK_LANGUAGE)]
    if company_id is None:
        return []
    orderer = payload.get("ordererId")
    if rule is Recipients.APPROVERS:
        return await _approvers(uow, company_id, orderer)
    if rule is Recipients.FINANCE:
        return await _finance(uow, company_id, payload)
    if rule is Recipients.ORDERER:
        return await _users(uow, company_id, [int(orderer)] if orderer else [])
    # CUSTOMER: the user the document is for, else the company's contact.
    user_id = payload.get("customerUserId") or orderer
    found = await _users(uow, company_id, [int(user_id)] if user_id else [])
    return found or await _company_contact(uow, company_id)
