"""The quote state machine: which transitions exist and who may make them."""

from __future__ import annotations

from enum import StrEnum


class QuoteStatus(StrEnum):
    REQUESTED = "REQUESTED"  # a portal user asked for an offer; staff price it (then DRAFT)
    DRAFT = "DRAFT"  # being priced by staff; the customer sees nothing of it yet
    SENT = "SENT"  # offered to the customer, open until its validity date
    ACCEPTED = "ACCEPTED"  # turned into an order
    DECLINED = "DECLINED"  # the customer said no (with a reason)
    EXPIRED = "EXPIRED"  # its validity date passed while it was open
    WITHDRAWN = "WITHDRAWN"  # the shop took it back


class QuoteActor(StrEnum):
    CUSTOMER = "CUSTOMER"
    STAFF = "STAFF"
    SUPPLIER = "SUPPLIER"
    SYSTEM = "SYSTEM"


class QuoteLineKind(StrEnum):
    CONFIGURATION = "CONFIGURATION"  # a catalog product configured, priced by the engine
    PART = "PART"  # a laser part of the company's library, priced by the engine
    STOCK_ITEM = "STOCK_ITEM"  # goods held for the company, priced by hand
    FREE = "FREE"  # custom work: a description, a quantity and a hand-set price


_S = QuoteStatus
_A = QuoteActor
TRANSITIONS: dict[tuple[QuoteStatus, QuoteStatus], frozenset[QuoteActor]] = {
    (_S.REQUESTED, _S.DRAFT): frozenset({_A.STAFF}),
    (_S.REQUESTED, _S.SENT): frozenset({_A.STAFF}),
    (_S.REQUESTED, _S.WITHDRAWN): frozenset({_A.STAFF, _A.CUSTOMER}),
    (_S.DRAFT, _S.SENT): frozenset({_A.STAFF}),
    (_S.DRAFT, _S.WITHDRAWN): frozenset({_A.STAFF}),
    # A sent quote changed by staff goes back to DRAFT as the next revision, then is sent again.
    (_S.SENT, _S.DRAFT): frozenset({_A.STAFF}),
    (_S.SENT, _S.SENT): frozenset({_A.STAFF}),
    (_S.SENT, _S.ACCEPTED): frozenset({_A.CUSTOMER}),
    (_S.SENT, _S.DECLINED): frozenset({_A.CUSTOMER}),
    (_S.SENT, _S.EXPIRED): frozenset({_A.SYSTEM}),
    (_S.SENT, _S.WITHDRAWN): frozenset({_A.STAFF}),
}

CLOSED = frozenset({_S.ACCEPTED, _S.DECLINED, _S.EXPIRED, _S.WITHDRAWN})
EDITABLE = frozenset({_S.REQUESTED, _S.DRAFT, _S.SENT})


def can_transition(current: QuoteStatus, target: QuoteStatus, actor: QuoteActor) -> bool:
    return actor in TRANSITIONS.get((current, target), frozenset())


class RfqStatus(StrEnum):
    OPEN = "OPEN"  # partners may answer until the deadline
    DECIDED = "DECIDED"  # staff picked an answer
    CANCELLED = "CANCELLED"


class RfqInvitationStatus(StrEnum):
    INVITED = "INVITED"
    ANSWERED = "ANSWERED"
    DECLINED = "DECLINED"  # the partner will not bid
    CHOSEN = "CHOSEN"
    NOT_CHOSEN = "NOT_CHOSEN"
