"""Query fields of notifications."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.notifications.defaults import TemplateText
from domain.notifications.preferences import company_defaults, my_preferences
from domain.notifications.templates import (
    notification_template,
    notification_template_preview,
)
from domain.shared.errors import DomainError
from schema.accounts.types import Company
from schema.catalog.types import Channel
from schema.context import Info
from schema.core import decode_gid, error_list
from schema.notifications.types import (
    NotificationError,
    NotificationEvent,
    NotificationPreference,
    NotificationPreview,
    NotificationTemplate,
    NotificationTemplatePreviewInput,
    NotificationTemplatePreviewPayload,
)
from schema.permissions import IsAuthenticated, IsPortalUser, IsStaff


def channel_pk(gid: relay.GlobalID | None) -> int | None:
    """A channel's key; an ID that names no channel becomes 0, which matches none."""
    return None if gid is None else (decode_gid(gid, Channel) or 0)


@strawberry.type
class NotificationsQuery:
    @strawberry.field(
        description="The template in use for a kind of notification in a language (en, nl, "
        "de), for a channel or (no channel) for all: the staff's edit or the built-in text. "
        "Staff (ADMIN, SALES).",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    async def notification_template(
        self,
        info: Info,
        event: NotificationEvent,
        language: str,
        channel_id: relay.GlobalID | None = None,
    ) -> NotificationTemplate | None:
        ctx = info.context
        found = await notification_template(
            ctx.uow, ctx.viewer, event, language, channel_pk(channel_id)
        )
        return NotificationTemplate.from_domain(found) if found else None

    @strawberry.field(
        description="Render a template (not saved) with the kind's sample event, to see it "
        "before saving. Template errors come back typed in `errors`: TEMPLATE_SYNTAX (with "
        "the line), TEMPLATE_UNDEFINED, TEMPLATE_UNSAFE, TEMPLATE_ERROR. Staff (ADMIN, SALES).",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    def notification_template_preview(
        self, info: Info, input: NotificationTemplatePreviewInput
    ) -> NotificationTemplatePreviewPayload:
        text = TemplateText(input.subject, input.body_text, input.body_html, input.sms_text)
        try:
            rendered = notification_template_preview(info.context.viewer, input.event, text)
        except DomainError as exc:
            return NotificationTemplatePreviewPayload(errors=error_list(NotificationError, exc))
        return NotificationTemplatePreviewPayload(
            preview=NotificationPreview.from_domain(rendered), errors=[]
        )

    @strawberry.field(
        description="Your notification preferences: for each kind, e-mail and/or SMS (your own "
        "choice, else your company's default, else e-mail only). Portal users.",
        permission_classes=[IsAuthenticated, IsPortalUser],
    )
    async def my_notification_preferences(self, info: Info) -> list[NotificationPreference]:
        ctx = info.context
        return [
            NotificationPreference.from_domain(c) for c in await my_preferences(ctx.uow, ctx.viewer)
        ]

    @strawberry.field(
        description="A company's default notification preferences for its users (a portal "
        "user: their own company; staff: any, by `companyId`).",
        permission_classes=[IsAuthenticated],
    )
    async def company_notification_defaults(
        self, info: Info, company_id: relay.GlobalID | None = None
    ) -> list[NotificationPreference]:
        ctx = info.context
        target = decode_gid(company_id, Company) if company_id else ctx.viewer.company_id
        if target is None:
            return []
        choices = await company_defaults(ctx.uow, ctx.viewer, target)
        return [NotificationPreference.from_domain(c) for c in choices]
