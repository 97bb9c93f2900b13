"""What routing records for outside watchers (the event outbox): a supplier job's status.

Topic ``supplier_job.status_changed``, company_id None (the shop's business: customers never
see which supplier makes their work; the subscription shows staff every event and a supplier
its own jobs')."""

from __future__ import annotations

from domain.routing.models import SupplierJob
from domain.shared.uow import UnitOfWork

TOPIC = "supplier_job.status_changed"


def record_status(uow: UnitOfWork, job: SupplierJob, previous: str | None) -> None:
    uow.record_event(
        TOPIC,
        None,
        {
            "supplierJobId": job.id,
            "supplierId": job.supplier_id,
            "orderId": job.order_id,
            "number": job.number,
            "from": previous,
            "status": job.status.value,
            "trackingNumber": job.tracking_number,
        },
    )
