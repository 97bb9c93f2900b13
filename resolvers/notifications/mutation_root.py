"""Mutation fields of notifications; each description says what it requires."""

from __future__ import annotations

import strawberry

from domain.notifications import templates
from domain.notifications.defaults import TemplateText
from domain.notifications.preferences import (
    Choice,
    company_defaults_update,
    my_preferences_update,
)
from resolvers.mutation import run
from resolvers.notifications.queries import channel_pk
from schema.accounts.types import Company
from schema.context import Info
from schema.core import decode_gid
from schema.notifications.types import (
    CompanyNotificationDefaultsUpdateInput,
    NotificationError,
    NotificationPreference,
    NotificationPreferenceInput,
    NotificationPreferencesPayload,
    NotificationPreferencesUpdateInput,
    NotificationTemplate,
    NotificationTemplateInput,
    NotificationTemplatePayload,
    NotificationTemplateResetInput,
)
from schema.permissions import IsAuthenticated, IsPortalUser, IsStaff


def _choices(events: list[NotificationPreferenceInput]) -> list[Choice]:
    return [Choice(e.event, e.email, e.sms) for e in events]


def _preferences(choices: list[Choice]) -> dict[str, object]:
    return {"preferences": [NotificationPreference.from_domain(c) for c in choices]}


async def notification_template_update(
    info: Info, input: NotificationTemplateInput
) -> NotificationTemplatePayload:
    ctx = info.context
    text = TemplateText(input.subject, input.body_text, input.body_html, input.sms_text)
    return await run(
        NotificationTemplatePayload,
        NotificationError,
        lambda: templates.notification_template_update(
            ctx.uow, ctx.viewer, input.event, input.language, channel_pk(input.channel_id), text
        ),
        lambda t: {"notification_template": NotificationTemplate.from_domain(t)},
    )


async def notification_template_reset(
    info: Info, input: NotificationTemplateResetInput
) -> NotificationTemplatePayload:
    ctx = info.context
    return await run(
        NotificationTemplatePayload,
        NotificationError,
        lambda: templates.notification_template_reset(
            ctx.uow, ctx.viewer, input.event, input.language, channel_pk(input.channel_id)
        ),
        lambda t: {"notification_template": NotificationTemplate.from_domain(t)},
    )


async def notification_preferences_update(
    info: Info, input: NotificationPreferencesUpdateInput
) -> NotificationPreferencesPayload:
    ctx = info.context
    return await run(
        NotificationPreferencesPayload,
        NotificationError,
        lambda: my_preferences_update(
            ctx.uow,
            ctx.viewer,
            _choices(input.events),
            phone=input.phone,
            clear_phone=input.clear_phone,
            language=input.language,
        ),
        _preferences,
    )


async def company_notification_defaults_update(
    info: Info, input: CompanyNotificationDefaultsUpdateInput
) -> NotificationPreferencesPayload:
    ctx = info.context
    company = (decode_gid(input.company_id, Company) or 0) if input.company_id else None
    return await run(
        NotificationPreferencesPayload,
        NotificationError,
        lambda: company_defaults_update(
            ctx.uow, ctx.viewer, company, _choices(input.events), language=input.language
        ),
        _preferences,
    )


@strawberry.type
class NotificationsMutation:
    notification_template_update = strawberry.mutation(
        resolver=notification_template_update,
        description="Set the template of a kind of notification for a language, for one "
        "channel or all. It is rendered with the kind's sample event first and refused with "
        "typed errors (TEMPLATE_SYNTAX, TEMPLATE_UNDEFINED, TEMPLATE_UNSAFE, TEMPLATE_ERROR) "
        "if it fails. Requires the ADMIN or SALES staff role.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    notification_template_reset = strawberry.mutation(
        resolver=notification_template_reset,
        description="Drop an edited template: the next in line (all channels, then the "
        "built-in text) applies again. Requires the ADMIN or SALES staff role.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    notification_preferences_update = strawberry.mutation(
        resolver=notification_preferences_update,
        description="Set your own notification preferences (per kind: e-mail, SMS), and "
        "optionally your SMS number and language. Requires a portal user login (for "
        "oneself). Errors: "
        "INVALID_PHONE, UNSUPPORTED_LANGUAGE, PERMISSION_DENIED (a staff alert).",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    company_notification_defaults_update = strawberry.mutation(
        resolver=company_notification_defaults_update,
        description="Set a company's default notification preferences (for users without "
        "their own choice) and optionally its language. Requires MANAGE_USERS in the company "
        "(or the ADMIN or SALES staff role).",
        permission_classes=[IsAuthenticated],
    )
