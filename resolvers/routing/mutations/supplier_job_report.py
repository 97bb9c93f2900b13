"""supplierJobReport: a supplier system reports a job's progress with its API key."""

from __future__ import annotations

from domain.routing import supplier_jobs
from domain.shared.errors import DomainError
from resolvers.routing.mutations.routing_mutations import job_fields
from schema.context import Info
from schema.core import error_list
from schema.routing.inputs import SupplierJobReportInput
from schema.routing.payloads import SupplierJobPayload
from schema.routing.types import RoutingError


async def supplier_job_report(info: Info, input: SupplierJobReportInput) -> SupplierJobPayload:
    ctx = info.context
    cmd = supplier_jobs.SupplierReport(
        number=input.number,
        status=input.status,
        carrier=input.carrier,
        tracking_number=input.tracking_number,
        tracking_url=input.tracking_url,
        message=input.message,
        reference=input.reference,
    )
    try:
        job = await supplier_jobs.supplier_job_report(ctx.uow, ctx.viewer, cmd)
    except DomainError as exc:
        return SupplierJobPayload(errors=error_list(RoutingError, exc))
    return SupplierJobPayload(**await job_fields(info, job), errors=[])  # type: ignore[arg-type]
