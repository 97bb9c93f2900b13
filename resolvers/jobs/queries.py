"""Query fields of background jobs."""

from __future__ import annotations

import strawberry

from domain.jobs.services import jobs_list
from resolvers.context import Info
from resolvers.pagination import page_window
from resolvers.permissions import IsAuthenticated, IsStaff
from schema.core import Connection, build_connection
from schema.jobs.types import BackgroundJob, BackgroundJobState


@strawberry.type
class JobsQuery:
    @strawberry.field(
        description="Background jobs (mail, deliveries, scheduled work), newest first, with "
        "their state, attempts and last error. Staff only.",
        permission_classes=[IsAuthenticated, IsStaff],
    )
    async def background_jobs(
        self,
        info: Info,
        state: BackgroundJobState | None = None,
        task: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[BackgroundJob]:
        offset, limit = page_window(info, first, after)
        ctx = info.context
        items, total = await jobs_list(ctx.uow, ctx.viewer, state, task, offset, limit)
        return build_connection(items, offset, total, BackgroundJob.from_info)
