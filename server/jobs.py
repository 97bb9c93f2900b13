"""The background jobs of this process: which tasks exist and how they reach the outside.

Every kind of job is a ``JobTask`` (domain/shared/jobs.py) listed in ``job_tasks``; add a new
kind there. Both ``pressroom serve`` (embedded worker) and ``pressroom worker`` build their
worker here, so they run the same tasks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.billing_jobs import billing_tasks
from adapters.db import SqlUnitOfWork
from adapters.files import LocalFileStorage
from adapters.jobs import JobWorker
from adapters.mail import MailSender, SmtpConfig, SmtpSender, mail_task
from adapters.mail_catcher import FileMailSender
from adapters.sms import CatcherSmsSender, HttpSmsSender
from adapters.supplier_channels import SupplierChannels
from adapters.webhook_http import TargetGuard, WebhookSender
from adapters.webhook_worker import webhook_task
from domain.changes.retention import RETENTION_TASK, prune_change_log
from domain.integrations.delivery import DeliveryPolicy
from domain.notifications.delivery import (
    DELIVER_TASK,
    DISPATCH_TASK,
    deliver_notification,
    dispatch_event,
)
from domain.notifications.sms import SmsMessage, SmsSender
from domain.routing.handoff import HandoffConfig, SupplierHandoff
from domain.routing.handoff_schedule import HANDOFF_TASK
from domain.routing.tickets import TicketConfig
from domain.shared.jobs import JobHandler, JobRun, JobTask
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork
from server.quote_routes import quote_expiry_task
from server.settings import Settings


def mail_folder(settings: Settings) -> Path:
    """Where the development mail catcher writes messages."""
    return Path(settings.data_dir).resolve() / "mail"


def uses_mail_catcher(settings: Settings) -> bool:
    return settings.debug and settings.smtp_host is None


def mail_sender(settings: Settings) -> MailSender:
    if uses_mail_catcher(settings):
        return FileMailSender(mail_folder(settings), settings.mail_from)
    return SmtpSender(SmtpConfig.from_settings(settings))


class NoSmsProvider:
    """Production without an SMS provider: an SMS notification fails visibly (job FAILED)."""

    async def send(self, message: SmsMessage) -> None:
        raise RuntimeError("No SMS provider is configured (SMS_API_URL).")


def sms_sender(settings: Settings) -> SmsSender:
    if settings.sms_api_url:
        return HttpSmsSender(
            settings.sms_api_url,
            settings.sms_account or "",
            settings.sms_token or "",
            settings.sms_from,
        )
    if settings.debug:
        return CatcherSmsSender(mail_folder(settings), settings.mail_from)
    return NoSmsProvider()


def notification_tasks(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> list[JobTask]:
    """The notification area's jobs (domain/notifications/delivery.py), each in its own unit
    of work."""
    sms = sms_sender(settings)

    async def dispatch(run: JobRun, payload: dict[str, object]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            await dispatch_event(uow, int(str(payload["event_id"])), settings.staff_alert_email)
        finally:
            await uow.close()

    async def deliver(run: JobRun, payload: dict[str, object]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            await deliver_notification(
                uow, int(str(payload["notification_id"])), sms, final=run.final
            )
        finally:
            await uow.close()

    handlers: list[tuple[str, JobHandler]] = [(DISPATCH_TASK, dispatch), (DELIVER_TASK, deliver)]
    return [
        JobTask(
            name,
            handler,
            max_attempts=settings.mail_max_attempts,
            backoff_s=settings.mail_backoff_s,
        )
        for name, handler in handlers
    ]


def handoff_config(settings: Settings) -> HandoffConfig:
    return HandoffConfig(
        tickets=TicketConfig(
            public_base_url=settings.public_base_url,
            link_secret=settings.link_secret,
            sender=settings.shop_sender,
            channel_senders=settings.channel_senders,
        ),
        staff_alert_email=settings.staff_alert_email,
    )


def supplier_handoff_task(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    channels: SupplierChannels | None = None,
) -> JobTask:
    """Hands supplier jobs to their channels (domain/routing/handoff.py)."""

    @contextlib.asynccontextmanager
    async def unit_of_work() -> AsyncIterator[UnitOfWork]:
        uow = SqlUnitOfWork(sessions)
        try:
            yield uow
        finally:
            await uow.close()

    port = channels or SupplierChannels(
        # Loopback and private networks only outside production (SSRF).
        allow_private=settings.debug,
        files=LocalFileStorage(Path(settings.data_dir).resolve() / "files"),
    )
    return JobTask(
        HANDOFF_TASK,
        SupplierHandoff(unit_of_work, port, handoff_config(settings)),
        max_attempts=settings.supplier_max_attempts,
        backoff_s=settings.supplier_backoff_s,
    )


def change_log_retention_task(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> JobTask:
    """Every hour, one worker deletes change feed entries older than the retention, in
    batches (domain/changes/retention.py)."""
    retention = dt.timedelta(days=settings.change_log_retention_days)

    async def run(job: JobRun, payload: dict[str, object]) -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            await prune_change_log(uow, utcnow(), retention)
        finally:
            await uow.close()

    return JobTask(RETENTION_TASK, run, max_attempts=1, cron="17 * * * *")


def job_tasks(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> list[JobTask]:
    return [
        quote_expiry_task(sessions),
        change_log_retention_task(settings, sessions),
        mail_task(
            sessions,
            mail_sender(settings),
            max_attempts=settings.mail_max_attempts,
            backoff_s=settings.mail_backoff_s,
        ),
        webhook_task(
            sessions,
            WebhookSender(
                TargetGuard(production=not settings.debug), timeout_s=settings.webhook_timeout_s
            ),
            DeliveryPolicy(
                max_attempts=settings.webhook_max_attempts,
                backoff_base_s=settings.webhook_backoff_base_s,
                disable_after=settings.webhook_disable_after,
            ),
            backoff_s=settings.webhook_backoff_base_s,
        ),
        *notification_tasks(settings, sessions),
        supplier_handoff_task(settings, sessions),
        *billing_tasks(sessions),
    ]


def job_worker(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    *,
    name: str = "pressroom",
) -> JobWorker:
    assert settings.database_url
    return JobWorker(
        settings.database_url,
        engine,
        job_tasks(settings, sessions),
        concurrency=settings.worker_concurrency,
        poll_interval_s=settings.job_poll_interval_s,
        name=name,
        retention_days=settings.job_retention_days,
    )
