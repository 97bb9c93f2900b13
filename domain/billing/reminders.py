"""Reminders for overdue invoices, mailed by the daily `billing.reminders` job."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from domain.billing.models import Invoice
from domain.billing.profile import seller_profile
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork


def format_amount(minor: int, currency: str) -> str:
    return f"{minor // 100}.{minor % 100:02d} {currency}"


async def send_overdue_reminders(uow: UnitOfWork, today: dt.date) -> list[Invoice]:
    """Mail a reminder for each invoice past its due date with something open, at most one per
    `reminder_interval_days` and `max_reminders` in all. The caller commits."""
    profile = seller_profile()
    now = utcnow()
    quiet_since = now - dt.timedelta(days=profile.reminder_interval_days)
    overdue = await uow.scalars(
        select(Invoice)
        .where(
            Invoice.due_date < today,
            Invoice.gross_amount > Invoice.paid_amount + Invoice.credited_amount,
            Invoice.reminders_sent < profile.max_reminders,
            or_(Invoice.last_reminder_at.is_(None), Invoice.last_reminder_at <= quiet_since),
        )
        .order_by(Invoice.id)
        .with_for_update(skip_locked=True)
    )
    for invoice in overdue:
        to = invoice.buyer.get("email")
        invoice.reminders_sent += 1
        invoice.last_reminder_at = now
        if not to:
            continue
        uow.send_mail(
            to,
            f"Reminder {invoice.reminders_sent}: invoice {invoice.number} is overdue",
            f"Dear customer,\n\nour invoice {invoice.number} of {invoice.issue_date.isoformat()} "
            f"was due on {invoice.due_date.isoformat()}. "
            f"{format_amount(invoice.open_amount, invoice.currency)} is still open.\n"
            f"Please transfer it to IBAN {profile.iban} (BIC {profile.bic}) with the reference "
            f"{invoice.number}. If you have paid in the meantime, please ignore this reminder."
            f"\n\n{profile.name}",
        )
    return list(overdue)
