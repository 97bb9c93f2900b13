"""Mutation fields of background jobs."""

from __future__ import annotations

import strawberry

from domain.jobs.services import job_retry
from resolvers.context import Info
from resolvers.mutation import run
from resolvers.permissions import IsAuthenticated, IsStaff
from schema.core import decode_gid
from schema.jobs.types import (
    BackgroundJob,
    BackgroundJobError,
    BackgroundJobRetryInput,
    BackgroundJobRetryPayload,
)


async def background_job_retry(
    info: Info, input: BackgroundJobRetryInput
) -> BackgroundJobRetryPayload:
    ctx = info.context
    return await run(
        BackgroundJobRetryPayload,
        BackgroundJobError,
        lambda: job_retry(ctx.uow, ctx.viewer, decode_gid(input.id, BackgroundJob)),
        lambda j: {"background_job": BackgroundJob.from_info(j)},
    )


@strawberry.type
class JobsMutation:
    background_job_retry = strawberry.mutation(
        resolver=background_job_retry,
        description="Run a FAILED background job again now, for one more attempt. Requires "
        "the ADMIN staff role. Errors: NOT_FOUND, NOT_FAILED, PERMISSION_DENIED.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
