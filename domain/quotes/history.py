"""History entries with the actor, and the `quote.*` events, for every change of a quote."""

from __future__ import annotations

from domain.accounts.viewer import Viewer
from domain.quotes.models import Quote, QuoteHistoryEntry
from domain.quotes.state import QuoteActor, QuoteStatus
from domain.shared.uow import UnitOfWork

STATUS_TOPIC = "quote.status"
CHANGED_TOPIC = "quote.changed"


def actor_of(viewer: Viewer | None) -> QuoteActor:
    if viewer is None:
        return QuoteActor.SYSTEM
    if viewer.is_staff:
        return QuoteActor.STAFF
    if viewer.is_supplier:
        return QuoteActor.SUPPLIER
    return QuoteActor.CUSTOMER


def record(
    uow: UnitOfWork,
    viewer: Viewer | None,
    quote: Quote,
    action: str,
    detail: str = "",
    *,
    from_status: QuoteStatus | None = None,
    new: bool = False,
    extra: dict[str, object] | None = None,
) -> None:
    """One history entry and one event. A status change (``from_status`` given, or the same
    status re-entered by a new sending) is published on ``quote.status``; other edits on
    ``quote.changed``. ``new``: the quote's first status (a request or a draft). ``extra``:
    more payload fields for the event's followers (notifications read ``customerUserId``)."""
    actor = actor_of(viewer)
    status_change = from_status is not None or new
    uow.session.add(
        QuoteHistoryEntry(
            quote_id=quote.id,
            company_id=quote.company_id,
            revision=quote.revision,
            action=action,
            from_status=from_status.value if from_status else None,
            to_status=quote.status.value if status_change else None,
            actor_kind=actor.value,
            portal_user_id=viewer.user_id if viewer is not None and viewer.is_portal else None,
            staff_user_id=viewer.user_id if viewer is not None and viewer.is_staff else None,
            supplier_id=viewer.supplier_id if viewer is not None and viewer.is_supplier else None,
            detail=detail,
        )
    )
    uow.record_event(
        STATUS_TOPIC if status_change else CHANGED_TOPIC,
        quote.company_id,
        {
            "quoteId": quote.id,
            "number": quote.number,
            "status": quote.status.value,
            "previousStatus": from_status.value if from_status else None,
            "revision": quote.revision,
            "sentRevision": quote.sent_revision,
            "requested": quote.requested_by_id is not None,
            "action": action,
            "actor": actor.value,
            "channelId": quote.channel_id,
            **(extra or {}),
        },
    )
