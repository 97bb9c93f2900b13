"""Background jobs as staff see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import strawberry
from strawberry import relay

from domain.jobs.errors import JobErrorCode as _JobErrorCode
from domain.shared.jobs import JobInfo
from domain.shared.jobs import JobState as _JobState
from resolvers.context import Info
from schema.core import UserError

BackgroundJobState = strawberry.enum(
    _JobState,
    name="BackgroundJobState",
    description="Where a background job is: PENDING (due now, later, or waiting for a retry), "
    "RUNNING, SUCCEEDED, FAILED (after its last attempt) or CANCELLED.",
)
BackgroundJobErrorCode = strawberry.enum(_JobErrorCode, name="BackgroundJobErrorCode")


@strawberry.type(
    description="A unit of background work (a mail, a delivery, a scheduled run). Staff only."
)
class BackgroundJob(relay.Node):
    id: relay.NodeID[int]
    task: str = strawberry.field(description="What the job does, e.g. `mail.send`.")
    state: BackgroundJobState
    attempts: int = strawberry.field(description="Runs started so far.")
    last_error: str | None = strawberry.field(
        description="The error of the last failed run (kept after a later success)."
    )
    scheduled_at: dt.datetime | None = strawberry.field(
        description="Not run before this time: a delay or a retry's backoff; null: at once."
    )
    created_at: dt.datetime = strawberry.field(description="When it was deferred.")

    @classmethod
    def from_info(cls, j: JobInfo) -> BackgroundJob:
        return cls(
            id=j.id,
            task=j.task,
            state=j.state,
            attempts=j.attempts,
            last_error=j.last_error,
            scheduled_at=j.scheduled_at,
            # Procrastinate's trigger records a 'deferred' event with every job.
            created_at=j.created_at or dt.datetime.fromtimestamp(0, dt.UTC),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[BackgroundJob | None]:
        ctx = info.context
        found: list[BackgroundJob | None] = []
        for node_id in node_ids:
            pk = int(node_id) if ctx.viewer.is_staff and node_id.isdigit() else None
            job = await ctx.uow.jobs.get(pk) if pk is not None else None
            found.append(cls.from_info(job) if job else None)
        return found


@strawberry.type(description="A failure of a background-job mutation.")
class BackgroundJobError(UserError):
    code: BackgroundJobErrorCode


@strawberry.input
class BackgroundJobRetryInput:
    id: relay.GlobalID = strawberry.field(description="A FAILED background job.")


@strawberry.type
class BackgroundJobRetryPayload:
    background_job: BackgroundJob | None = None
    errors: list[BackgroundJobError]
