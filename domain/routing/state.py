"""Supplier jobs: their statuses, what a supplier may report, and how they count as production
progress of the order."""

from __future__ import annotations

from enum import StrEnum

from domain.production.state import JobStatus


class ChannelKind(StrEnum):
    HTTP = "HTTP"  # signed JSON POSTed to the supplier's endpoint
    FTP = "FTP"  # job ticket and files dropped into the supplier's folder
    SFTP = "SFTP"
    EMAIL = "EMAIL"  # an order mail; the supplier confirms through a tokenised link


class Automation(StrEnum):
    IMMEDIATE = "IMMEDIATE"  # sent as soon as the order is released
    DELAYED = "DELAYED"  # sent after the channel's delay; staff may change it meanwhile
    MANUAL = "MANUAL"  # sent when staff release it


class SupplierJobStatus(StrEnum):
    AWAITING_RELEASE = "AWAITING_RELEASE"  # manual automation: waits for staff
    SCHEDULED = "SCHEDULED"  # a hand-off is queued (now or after the delay)
    SENT = "SENT"  # handed to the supplier's channel
    ACCEPTED = "ACCEPTED"
    IN_PRODUCTION = "IN_PRODUCTION"
    SHIPPED = "SHIPPED"
    PROBLEM = "PROBLEM"  # the supplier reported a problem
    ON_HOLD = "ON_HOLD"  # the hand-off failed after its last retry
    CANCELLED = "CANCELLED"


# What a supplier may report, and from where.
SUPPLIER_REPORTS: dict[SupplierJobStatus, frozenset[SupplierJobStatus]] = {
    SupplierJobStatus.ACCEPTED: frozenset({SupplierJobStatus.SENT, SupplierJobStatus.PROBLEM}),
    SupplierJobStatus.IN_PRODUCTION: frozenset(
        {SupplierJobStatus.SENT, SupplierJobStatus.ACCEPTED, SupplierJobStatus.PROBLEM}
    ),
    SupplierJobStatus.SHIPPED: frozenset(
        {
            SupplierJobStatus.SENT,
            SupplierJobStatus.ACCEPTED,
            SupplierJobStatus.IN_PRODUCTION,
            SupplierJobStatus.PROBLEM,
        }
    ),
    SupplierJobStatus.PROBLEM: frozenset(
        {SupplierJobStatus.SENT, SupplierJobStatus.ACCEPTED, SupplierJobStatus.IN_PRODUCTION}
    ),
}

# Staff may still change or cancel these: nothing has reached the supplier.
NOT_SENT = frozenset(
    {SupplierJobStatus.AWAITING_RELEASE, SupplierJobStatus.SCHEDULED, SupplierJobStatus.ON_HOLD}
)


def may_report(current: SupplierJobStatus, reported: SupplierJobStatus) -> bool:
    """A supplier's report is accepted from these statuses; the same status again is a no-op."""
    return current is reported or current in SUPPLIER_REPORTS.get(reported, frozenset())


def as_production(status: SupplierJobStatus) -> JobStatus:
    """How a supplier job counts in the order's production progress (shipped is done)."""
    return {
        SupplierJobStatus.IN_PRODUCTION: JobStatus.IN_PROGRESS,
        SupplierJobStatus.SHIPPED: JobStatus.DONE,
        SupplierJobStatus.CANCELLED: JobStatus.CANCELLED,
        SupplierJobStatus.PROBLEM: JobStatus.ON_HOLD,
        SupplierJobStatus.ON_HOLD: JobStatus.ON_HOLD,
    }.get(status, JobStatus.WAITING)
