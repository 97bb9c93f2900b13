"""Templates per kind, language and channel: what staff edit, and which one a message uses.

The text for a message is the first of: the staff's template for its channel and language, the
staff's template for all channels in that language, the built-in text in that language; then
the same three in English. Saving a template renders it with the kind's sample event first, so
a template that cannot render is refused with typed errors and never reaches a customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from domain.accounts.policies import CUSTOMER_ADMIN_ROLES, is_staff_with
from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.notifications.defaults import (
    DEFAULTS,
    FALLBACK_LANGUAGE,
    LANGUAGES,
    SAMPLES,
    TemplateText,
)
from domain.notifications.errors import NotificationErrorCode
from domain.notifications.kinds import NotificationEvent
from domain.notifications.models import NotificationTemplate
from domain.notifications.rendering import RenderedMessage, render, template_problems
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class EffectiveTemplate:
    event: NotificationEvent
    language: str
    channel_id: int | None
    text: TemplateText
    is_default: bool  # the built-in text: nobody edited it (for this language and channel)


def sample_context(event: NotificationEvent) -> dict[str, Any]:
    return {"recipient": {"name": "Bea Buyer"}, "event": dict(SAMPLES[event])}


def _text(row: NotificationTemplate) -> TemplateText:
    return TemplateText(row.subject, row.body_text, row.body_html, row.sms_text)


async def _stored(
    uow: UnitOfWork, event: NotificationEvent, languages: list[str], channel_id: int | None
) -> list[NotificationTemplate]:
    channel: ColumnElement[bool] = NotificationTemplate.channel_id.is_(None)
    if channel_id is not None:
        channel = or_(channel, NotificationTemplate.channel_id == channel_id)
    return list(
        await uow.scalars(
            select(NotificationTemplate).where(
                NotificationTemplate.event == event.value,
                NotificationTemplate.language.in_(languages),
                channel,
            )
        )
    )


async def effective_template(
    uow: UnitOfWork, event: NotificationEvent, language: str, channel_id: int | None
) -> EffectiveTemplate:
    """The template a message of ``event`` in ``language`` for ``channel_id`` is written with."""
    languages = [language] if language == FALLBACK_LANGUAGE else [language, FALLBACK_LANGUAGE]
    rows = await _stored(uow, event, languages, channel_id)
    for lang in languages:
        for wanted in (channel_id, None) if channel_id is not None else (None,):
            for row in rows:
                if row.language == lang and row.channel_id == wanted:
                    return EffectiveTemplate(event, lang, wanted, _text(row), False)
        if lang in DEFAULTS[event]:
            return EffectiveTemplate(event, lang, None, DEFAULTS[event][lang], True)
    return EffectiveTemplate(
        event, FALLBACK_LANGUAGE, None, DEFAULTS[event][FALLBACK_LANGUAGE], True
    )


def _require_staff(viewer: Viewer) -> None:
    if not is_staff_with(viewer, CUSTOMER_ADMIN_ROLES):
        raise DomainError.single(
            NotificationErrorCode.PERMISSION_DENIED,
            "Notification templates are edited by staff (ADMIN, SALES).",
        )


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise DomainError.single(
            NotificationErrorCode.UNSUPPORTED_LANGUAGE,
            f"Choose one of {', '.join(LANGUAGES)}.",
            "language",
        )


async def notification_template(
    uow: UnitOfWork, viewer: Viewer, event: NotificationEvent, language: str, channel_id: int | None
) -> EffectiveTemplate | None:
    """Staff (ADMIN, SALES): the template in use for a kind, language and channel."""
    if not is_staff_with(viewer, CUSTOMER_ADMIN_ROLES) or language not in LANGUAGES:
        return None
    return await effective_template(uow, event, language, channel_id)


def notification_template_preview(
    viewer: Viewer, event: NotificationEvent, text: TemplateText
) -> RenderedMessage:
    """Staff (ADMIN, SALES): ``text`` rendered with the kind's sample event; template errors
    (syntax, unknown variables, what the sandbox forbids) come back typed, per field."""
    _require_staff(viewer)
    return render(text, sample_context(event))


async def notification_template_update(
    uow: UnitOfWork,
    viewer: Viewer,
    event: NotificationEvent,
    language: str,
    channel_id: int | None,
    text: TemplateText,
) -> EffectiveTemplate:
    """Staff (ADMIN, SALES) set the template of a kind for a language, for one channel or (no
    channel) for all. Refused with typed errors when it does not render with the sample."""
    _require_staff(viewer)
    _check_language(language)
    problems = template_problems(text, sample_context(event))
    if problems:
        raise DomainError(problems)
    async with uow:
        if channel_id is not None and await uow.session.get(Channel, channel_id) is None:
            raise DomainError.single(
                NotificationErrorCode.NOT_FOUND, "Channel not found.", "channelId"
            )
        row = next(
            (
                r
                for r in await _stored(uow, event, [language], channel_id)
                if r.channel_id == channel_id
            ),
            None,
        )
        if row is None:
            row = NotificationTemplate(event=event.value, language=language, channel_id=channel_id)
            uow.session.add(row)
        row.subject, row.body_text = text.subject, text.body_text
        row.body_html, row.sms_text = text.body_html or None, text.sms_text or None
        await uow.commit()
    return EffectiveTemplate(event, language, channel_id, _text(row), False)


async def notification_template_reset(
    uow: UnitOfWork, viewer: Viewer, event: NotificationEvent, language: str, channel_id: int | None
) -> EffectiveTemplate:
    """Staff (ADMIN, SALES) drop their template: the next one in line applies again."""
    _require_staff(viewer)
    _check_language(language)
    async with uow:
        for row in await _stored(uow, event, [language], channel_id):
            if row.channel_id == channel_id:
                await uow.session.delete(row)
        await uow.commit()
    return await effective_template(uow, event, language, channel_id)
