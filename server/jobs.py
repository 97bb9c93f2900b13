"""The background jobs of this process: which tasks exist and how they reach the outside.

Every kind of job is a ``JobTask`` (domain/shared/jobs.py) listed in ``job_tasks``; add a new
kind there. Both ``pressroom serve`` (embedded worker) and ``pressroom worker`` build their
worker here, so they run the same tasks.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.billing_jobs import billing_tasks
from adapters.jobs import JobWorker
from adapters.mail import MailSender, SmtpConfig, SmtpSender, mail_task
from adapters.mail_catcher import FileMailSender
from domain.shared.jobs import JobTask
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


def job_tasks(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> list[JobTask]:
    return [
        mail_task(
            sessions,
            mail_sender(settings),
            max_attempts=settings.mail_max_attempts,
            backoff_s=settings.mail_backoff_s,
        ),
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
