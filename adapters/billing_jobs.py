"""The billing area's background jobs: mailing an issued invoice, the daily collective run
and the daily reminders for overdue invoices (domain/billing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db import SqlUnitOfWork
from domain.billing.collective import COLLECTIVE, issue_collective_invoices
from domain.billing.issuing import INVOICE_MAIL_TASK
from domain.billing.mailing import mail_invoice
from domain.billing.reminders import send_overdue_reminders
from domain.shared.jobs import JobRun, JobTask

COLLECTIVE_TASK = "billing.collective_run"
REMINDERS_TASK = "billing.reminders"


def _today(payload: dict[str, Any]) -> dt.date:
    """The day a scheduled run is for (its due time), else today (UTC)."""
    at = payload.get("scheduled_for")
    when = dt.datetime.fromtimestamp(float(at), dt.UTC) if at else dt.datetime.now(dt.UTC)
    return when.date()


def billing_tasks(sessions: async_sessionmaker[AsyncSession]) -> list[JobTask]:
    async def invoice_mail(run: JobRun, payload: dict[str, Any]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            async with uow:
                if await mail_invoice(uow, int(payload["invoice_id"])):
                    await uow.commit()
        finally:
            await uow.close()

    async def collective_run(run: JobRun, payload: dict[str, Any]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            for schedule in COLLECTIVE:
                async with uow:
                    await issue_collective_invoices(uow, schedule, _today(payload))
                    await uow.commit()
        finally:
            await uow.close()

    async def reminders(run: JobRun, payload: dict[str, Any]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            async with uow:
                await send_overdue_reminders(uow, _today(payload))
                await uow.commit()
        finally:
            await uow.close()

    return [
        JobTask(INVOICE_MAIL_TASK, invoice_mail, max_attempts=5, backoff_s=30.0),
        # Daily, early: the last complete week and month are invoiced (a repeat issues nothing).
        JobTask(COLLECTIVE_TASK, collective_run, max_attempts=3, cron="0 2 * * *"),
        JobTask(REMINDERS_TASK, reminders, max_attempts=3, cron="0 7 * * *"),
    ]
