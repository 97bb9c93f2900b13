"""Notifications in the API: templates staff edit and preview, preferences people choose."""

from __future__ import annotations

from typing import TypeAlias

import strawberry
from strawberry import relay

from domain.notifications.errors import NotificationErrorCode as _NotificationErrorCode
from domain.notifications.kinds import NotificationEvent as _NotificationEvent
from domain.notifications.preferences import Choice
from domain.notifications.rendering import RenderedMessage
from domain.notifications.templates import EffectiveTemplate
from schema.core import UserError, to_gid

NotificationEvent: TypeAlias = _NotificationEvent
strawberry.enum(
    NotificationEvent,
    name="NotificationEvent",
    description="A kind of notification (the key its template is edited under). STAFF_* "
    "kinds are alerts to the shop's configured address; INVOICE_ISSUED goes to the company's "
    "users with VIEW_FINANCES; ORDER_SHIPPED, QUOTE_SENT, PAYMENT_RECEIVED, "
    "STAFF_SUPPLIER_FAILURE and STAFF_PAYMENT_FAILED are sent once the areas that record "
    "their events are enabled.",
)
NotificationErrorCode: TypeAlias = _NotificationErrorCode
strawberry.enum(NotificationErrorCode, name="NotificationErrorCode")


@strawberry.type(description="A failure of a notification mutation or preview.")
class NotificationError(UserError):
    code: NotificationErrorCode


@strawberry.type(
    description="The text of one kind of notification in one language, for one channel or "
    "all. Variables: `recipient.name` and `event` (the event's fields, e.g. `event.number`, "
    "`event.reason`, `event.problem`, `event.jobTitle`). Jinja2, sandboxed."
)
class NotificationTemplate:
    event: NotificationEvent
    language: str = strawberry.field(description="ISO 639-1: en, nl or de.")
    channel_id: relay.GlobalID | None = strawberry.field(
        description="The channel this template is for; null: every channel."
    )
    subject: str
    body_text: str = strawberry.field(description="The plain-text body (no escaping).")
    body_html: str | None = strawberry.field(
        description="An HTML alternative (autoescaped); null: text only."
    )
    sms_text: str | None = strawberry.field(description="The SMS; null: the subject is sent.")
    is_default: bool = strawberry.field(
        description="The built-in text: nobody edited it for this language and channel."
    )

    @classmethod
    def from_domain(cls, t: EffectiveTemplate) -> NotificationTemplate:
        return cls(
            event=t.event,
            language=t.language,
            channel_id=to_gid("Channel", t.channel_id) if t.channel_id is not None else None,
            subject=t.text.subject,
            body_text=t.text.body_text,
            body_html=t.text.body_html,
            sms_text=t.text.sms_text,
            is_default=t.is_default,
        )


@strawberry.type(description="A template rendered with its kind's sample event.")
class NotificationPreview:
    subject: str
    body_text: str
    body_html: str | None
    sms_text: str | None

    @classmethod
    def from_domain(cls, m: RenderedMessage) -> NotificationPreview:
        return cls(
            subject=m.subject, body_text=m.body_text, body_html=m.body_html, sms_text=m.sms_text
        )


@strawberry.type(description="Whether one kind of notification is sent by e-mail and/or SMS.")
class NotificationPreference:
    event: NotificationEvent
    email: bool
    sms: bool

    @classmethod
    def from_domain(cls, c: Choice) -> NotificationPreference:
        return cls(event=c.event, email=c.email, sms=c.sms)


@strawberry.input
class NotificationTemplateInput:
    event: NotificationEvent
    language: str = strawberry.field(description="en, nl or de.")
    channel_id: relay.GlobalID | None = strawberry.field(
        default=None, description="A channel (storefront or brand portal); null: every channel."
    )
    subject: str
    body_text: str
    body_html: str | None = None
    sms_text: str | None = None


@strawberry.input
class NotificationTemplatePreviewInput:
    event: NotificationEvent
    subject: str
    body_text: str
    body_html: str | None = None
    sms_text: str | None = None


@strawberry.input
class NotificationTemplateResetInput:
    event: NotificationEvent
    language: str
    channel_id: relay.GlobalID | None = None


@strawberry.input
class NotificationPreferenceInput:
    event: NotificationEvent
    email: bool
    sms: bool


@strawberry.input
class NotificationPreferencesUpdateInput:
    events: list[NotificationPreferenceInput] = strawberry.field(
        description="The kinds to set; kinds not named keep their setting."
    )
    phone: str | None = strawberry.field(
        default=None, description="Your mobile number for SMS, international form (+31...)."
    )
    clear_phone: bool = strawberry.field(default=False, description="Remove your number.")
    language: str | None = strawberry.field(
        default=None, description="The language of your mail: en, nl or de."
    )


@strawberry.input
class CompanyNotificationDefaultsUpdateInput:
    company_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Staff name the company; a portal user's is their own."
    )
    events: list[NotificationPreferenceInput]
    language: str | None = strawberry.field(
        default=None, description="The company's language: en, nl or de."
    )


@strawberry.type
class NotificationTemplatePayload:
    notification_template: NotificationTemplate | None = None
    errors: list[NotificationError]


@strawberry.type
class NotificationTemplatePreviewPayload:
    preview: NotificationPreview | None = None
    errors: list[NotificationError]


@strawberry.type
class NotificationPreferencesPayload:
    preferences: list[NotificationPreference] | None = None
    errors: list[NotificationError]
