"""Per-user notification preferences over company defaults.

For each kind a user may get, the user's own choice (e-mail and/or SMS) wins; without one the
company's default for its users applies; without that, e-mail on and SMS off. A user edits
their own preferences (and their phone number and language); a user with MANAGE_USERS edits
the company's defaults (staff who manage customers may too). Staff alerts have no preferences:
they go to the configured address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, select

from domain.accounts.models import Company, PortalUser
from domain.accounts.policies import may_act_in_company
from domain.accounts.rights import Right
from domain.accounts.viewer import Viewer
from domain.notifications.defaults import LANGUAGES
from domain.notifications.errors import NotificationErrorCode
from domain.notifications.kinds import NotificationEvent, all_kinds
from domain.notifications.models import NotificationPreference
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.uow import UnitOfWork

_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")  # E.164


@dataclass(frozen=True, slots=True)
class Choice:
    event: NotificationEvent
    email: bool
    sms: bool


BUILT_IN = (True, False)  # e-mail yes, SMS no


def customer_events() -> list[NotificationEvent]:
    """The kinds a customer's user may choose about (staff alerts are not theirs)."""
    return [k.event for k in all_kinds() if not k.to_staff]


async def _rows(
    uow: UnitOfWork, company_id: int, user_ids: Sequence[int]
) -> list[NotificationPreference]:
    return list(
        await uow.scalars(
            select(NotificationPreference).where(
                NotificationPreference.company_id == company_id,
                or_(
                    NotificationPreference.user_id.is_(None),
                    NotificationPreference.user_id.in_(list(user_ids)),
                ),
            )
        )
    )


async def choices_for(
    uow: UnitOfWork, company_id: int, event: NotificationEvent, user_ids: Sequence[int]
) -> dict[int, tuple[bool, bool]]:
    """(e-mail, SMS) for each user for one kind, in one query."""
    rows = [r for r in await _rows(uow, company_id, user_ids) if r.event == event.value]
    default = next(((r.email, r.sms) for r in rows if r.user_id is None), BUILT_IN)
    own = {r.user_id: (r.email, r.sms) for r in rows if r.user_id is not None}
    return {uid: own.get(uid, default) for uid in user_ids}


def _merge(rows: list[NotificationPreference], user_id: int | None) -> list[Choice]:
    company = {r.event: (r.email, r.sms) for r in rows if r.user_id is None}
    own = {r.event: (r.email, r.sms) for r in rows if r.user_id == user_id} if user_id else {}
    out = []
    for event in customer_events():
        email, sms = own.get(event.value) or company.get(event.value) or BUILT_IN
        out.append(Choice(event, email, sms))
    return out


async def my_preferences(uow: UnitOfWork, viewer: Viewer) -> list[Choice]:
    """The viewer's effective choice for every kind (own over company default)."""
    if not viewer.is_portal or viewer.company_id is None or viewer.user_id is None:
        return []
    return _merge(await _rows(uow, viewer.company_id, [viewer.user_id]), viewer.user_id)


async def company_defaults(uow: UnitOfWork, viewer: Viewer, company_id: int) -> list[Choice]:
    """A company's defaults for its users (its own users and staff may read them)."""
    if not (viewer.is_staff or (viewer.is_portal and viewer.company_id == company_id)):
        return []
    return _merge(await _rows(uow, company_id, []), None)


async def _store(
    uow: UnitOfWork, company_id: int, user_id: int | None, choices: Sequence[Choice]
) -> None:
    events = [c.event.value for c in choices]
    owner = (
        NotificationPreference.user_id.is_(None)
        if user_id is None
        else NotificationPreference.user_id == user_id
    )
    await uow.session.execute(
        delete(NotificationPreference).where(
            NotificationPreference.company_id == company_id,
            owner,
            NotificationPreference.event.in_(events),
        )
    )
    uow.session.add_all(
        NotificationPreference(
            company_id=company_id, user_id=user_id, event=c.event.value, email=c.email, sms=c.sms
        )
        for c in choices
    )


def _check(choices: Sequence[Choice], language: str | None, errors: ErrorCollector) -> None:
    allowed = set(customer_events())
    for i, c in enumerate(choices):
        if c.event not in allowed:
            errors.add(
                NotificationErrorCode.PERMISSION_DENIED,
                "Staff alerts are not a customer's choice.",
                ("events", str(i), "event"),
            )
    if language is not None and language not in LANGUAGES:
        errors.add(
            NotificationErrorCode.UNSUPPORTED_LANGUAGE,
            f"Choose one of {', '.join(LANGUAGES)}.",
            "language",
        )


async def my_preferences_update(
    uow: UnitOfWork,
    viewer: Viewer,
    choices: Sequence[Choice],
    *,
    phone: str | None = None,
    clear_phone: bool = False,
    language: str | None = None,
) -> list[Choice]:
    """A portal user sets their own choices, and optionally their phone number (E.164, for
    SMS) and language. Kinds not named keep their current setting."""
    if not viewer.is_portal or viewer.user_id is None or viewer.company_id is None:
        raise DomainError.single(NotificationErrorCode.PERMISSION_DENIED, "Portal users only.")
    errors = ErrorCollector()
    _check(choices, language, errors)
    if phone is not None and not _PHONE.match(phone.replace(" ", "")):
        errors.add(
            NotificationErrorCode.INVALID_PHONE,
            "Give the number in international form, e.g. +31612345678.",
            "phone",
        )
    errors.raise_if_any()
    async with uow:
        user = await uow.session.get(PortalUser, viewer.user_id, with_for_update=True)
        if user is None:
            raise DomainError.single(NotificationErrorCode.NOT_FOUND, "User not found.")
        if phone is not None:
            user.phone = phone.replace(" ", "")
        elif clear_phone:
            user.phone = None
        if language is not None:
            user.language = language
        await _store(uow, viewer.company_id, viewer.user_id, choices)
        await uow.commit()
    return await my_preferences(uow, viewer)


async def company_defaults_update(
    uow: UnitOfWork,
    viewer: Viewer,
    company_id: int | None,
    choices: Sequence[Choice],
    *,
    language: str | None = None,
) -> list[Choice]:
    """Requires MANAGE_USERS in the company (or a staff role that manages customers): sets the
    company's defaults for users without their own choice, and optionally its language."""
    target = company_id if company_id is not None else viewer.company_id
    if target is None or not may_act_in_company(viewer, target, Right.MANAGE_USERS):
        raise DomainError.single(
            NotificationErrorCode.PERMISSION_DENIED, "You need MANAGE_USERS for this."
        )
    errors = ErrorCollector()
    _check(choices, language, errors)
    errors.raise_if_any()
    async with uow:
        company = await uow.session.get(Company, target, with_for_update=True)
        if company is None:
            raise DomainError.single(NotificationErrorCode.NOT_FOUND, "Company not found.")
        if language is not None:
            company.language = language
        await _store(uow, target, None, choices)
        await uow.commit()
    return await company_defaults(uow, viewer, target)
