"""The mails of supplier routing: the order mail of the e-mail channel (a table of the lines
and file links, and the link the supplier confirms with), and the staff alert."""

from __future__ import annotations

from domain.routing.models import SupplierJob
from domain.routing.tickets import Ticket
from domain.shared.uow import UnitOfWork


def confirm_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/supplier-jobs/confirm/{token}"


def _address(a: dict[str, object]) -> str:
    keys = ("name", "street", "postalCode", "city", "country")
    return ", ".join(str(a[k]) for k in keys if a.get(k))


def order_mail(ticket: Ticket, base_url: str, token: str) -> tuple[str, str]:
    doc = ticket.document
    rows = [f"{'Pos':<4} {'Qty':>7}  Item", f"{'-' * 4} {'-' * 7}  {'-' * 40}"]
    for line in doc["lines"]:
        rows.append(f"{line['position']:<4} {line['quantity']:>7}  {line['title']}")
        for f in line["files"]:
            rows.append(f"{'':<13}file {f['name']}: {f['url']}")
    body = "\n".join(
        [
            f"New job {ticket.job_number}",
            "",
            *rows,
            "",
            f"Desired delivery: {doc['desiredDeliveryDate'] or 'as agreed'}",
            f"Ship to: {_address(doc['shipTo'] or {})}",
            "Blind shipping: use this sender, never your own: "
            + _address(dict(doc["shipFrom"] or {})),
            "",
            "Please confirm that you accept the job:",
            confirm_url(base_url, token),
        ]
    )
    return f"Job {ticket.job_number}", body


def alert_staff(uow: UnitOfWork, address: str, job: SupplierJob, error: str) -> None:
    uow.send_mail(
        address,
        f"Supplier job {job.number} on hold",
        f"The hand-off of supplier job {job.number} failed after its last retry and the job "
        f"is on hold.\n\nReason: {error}\n\nRelease it again once the cause is fixed.",
    )
