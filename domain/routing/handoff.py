"""The ``supplier.handoff`` job: hand one supplier job to its channel.

Idempotent and sent at most once when all goes well: the supplier job is locked while it is
sent, and only a SCHEDULED job of the generation the hand-off was queued for is sent (a job
changed, cancelled or already sent leaves the hand-off doing nothing). Each try is a
`HandoffAttempt`; a failed try is retried with the queue's backoff, and after the last one the
supplier job goes ON_HOLD with the reason and staff are alerted by mail."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from domain.accounts.tokens import new_opaque_token, token_digest
from domain.routing.events import record_status
from domain.routing.models import HandoffAttempt, SupplierChannel, SupplierJob
from domain.routing.state import ChannelKind, SupplierJobStatus
from domain.routing.supplier_mail import alert_staff, order_mail
from domain.routing.tickets import Ticket, TicketConfig, build_ticket
from domain.shared.jobs import JobRun
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

logger = logging.getLogger("pressroom.routing")


class ChannelPort(Protocol):
    """Delivers a ticket over HTTP, FTP or SFTP (adapters/supplier_channels.py)."""

    async def deliver(
        self,
        kind: ChannelKind,
        settings: Mapping[str, Any],
        secret: str | None,
        ticket: Ticket,
    ) -> str | None:
        """Send the ticket; answer the supplier's reference if it gives one. Raises on
        failure (the message must not contain ``secret``)."""
        ...


@dataclass(frozen=True, slots=True)
class HandoffConfig:
    tickets: TicketConfig
    staff_alert_email: str | None


def _scrub(text: str, secret: str | None) -> str:
    """An error text as stored and shown: never the channel's secret."""
    if secret:
        text = text.replace(secret, "***")
    return text[:2000]


class SupplierHandoff:
    """The job handler (registered in server/jobs.py)."""

    def __init__(
        self,
        unit_of_work: Callable[[], AbstractAsyncContextManager[UnitOfWork]],
        port: ChannelPort,
        config: HandoffConfig,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._port = port
        self._config = config

    async def __call__(self, run: JobRun, payload: dict[str, Any]) -> None:
        async with self._unit_of_work() as uow, uow:
            job: SupplierJob | None = await uow.session.get(
                SupplierJob, int(payload["supplierJobId"]), with_for_update=True
            )
            if (
                job is None
                or job.status is not SupplierJobStatus.SCHEDULED
                or job.generation != int(payload["generation"])
            ):
                return
            channel: SupplierChannel | None = await uow.scalar(
                select(SupplierChannel).where(SupplierChannel.supplier_id == job.supplier_id)
            )
            try:
                if channel is None:
                    raise LookupError("The supplier has no channel.")
                reference = await self._send(uow, job, channel)
            except Exception as exc:
                error = _scrub(f"{type(exc).__name__}: {exc}", channel.secret if channel else None)
                uow.session.add(
                    HandoffAttempt(
                        supplier_job_id=job.id,
                        attempt=run.attempt,
                        channel=channel.kind.value if channel else "-",
                        ok=False,
                        error=error,
                    )
                )
                if run.final:
                    self._hold(uow, job, error)
                logger.warning(
                    "supplier job %s hand-off failed (attempt %s of %s): %s",
                    job.number,
                    run.attempt,
                    run.max_attempts,
                    error,
                )
                await uow.commit()
                raise RuntimeError(error) from None
            uow.session.add(
                HandoffAttempt(
                    supplier_job_id=job.id, attempt=run.attempt, channel=channel.kind.value, ok=True
                )
            )
            job.status = SupplierJobStatus.SENT
            job.sent_at = utcnow()
            job.supplier_reference = reference
            record_status(uow, job, SupplierJobStatus.SCHEDULED.value)
            await uow.commit()

    async def _send(
        self, uow: UnitOfWork, job: SupplierJob, channel: SupplierChannel
    ) -> str | None:
        ticket = await build_ticket(uow, job, self._config.tickets)
        if channel.kind is ChannelKind.EMAIL:
            token = new_opaque_token()
            job.confirm_token_digest = token_digest(token)
            address = str(channel.settings.get("email") or "")
            if not address:
                raise ValueError("The e-mail channel has no address.")
            subject, body = order_mail(ticket, self._config.tickets.public_base_url, token)
            uow.send_mail(address, subject, body)
            return None
        return await self._port.deliver(channel.kind, channel.settings, channel.secret, ticket)

    def _hold(self, uow: UnitOfWork, job: SupplierJob, error: str) -> None:
        job.status = SupplierJobStatus.ON_HOLD
        job.hold_reason = f"Hand-off failed after the last retry: {error}"
        record_status(uow, job, SupplierJobStatus.SCHEDULED.value)
        if self._config.staff_alert_email:
            alert_staff(uow, self._config.staff_alert_email, job, error)
