"""background jobs: procrastinate's schema, job records, mail outbox failed_at

Revision ID: c4d8e2f1a6b3
Revises: b7c1e5a2d9f0
Create Date: 2026-12-05 20:30:00

The job queue's tables, types and functions are procrastinate's own. They are created from the
migration files that procrastinate ships (procrastinate/sql/migrations, never changed once
released), applied in order, each in a transaction of its own (some add enum values that a
later file uses). The list is frozen here, so this revision means the same with any later
procrastinate: upgrading it is a new revision that applies the files it adds.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import sqlalchemy as sa
from alembic import op
from sqlalchemy.util import await_only

revision: str = "c4d8e2f1a6b3"
down_revision: str | None = "b7c1e5a2d9f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# procrastinate 3.10's schema.
PROCRASTINATE_MIGRATIONS = (
    "00.00.00_01_initial.sql",
    "00.05.00_01_drop_started_at_column.sql",
    "00.05.00_02_drop_started_at_column.sql",
    "00.05.00_03_drop_procrastinate_version_table.sql",
    "00.06.00_01_fix_procrastinate_fetch_job.sql",
    "00.07.01_01_fix_trigger_status_events_insert.sql",
    "00.08.01_01_add_queueing_lock_column.sql",
    "00.10.00_01_close_fetch_job_race_condition.sql",
    "00.10.00_02_add_defer_job_function.sql",
    "00.11.00_03_add_procrastinate_periodic_defers.sql",
    "00.12.00_01_add_foreign_key_index.sql",
    "00.14.00_01_add_locks_to_periodic_defer.sql",
    "00.15.02_01_fix_procrastinate_defer_periodic_job.sql",
    "00.16.00_01_add_finish_job_and_retry_job_functions.sql",
    "00.17.00_01_add_trigger_on_job_deletion.sql",
    "00.17.00_02_delete_finished_jobs.sql",
    "00.17.00_03_add_checks_to_finish_job.sql",
    "00.17.00_04_add_checks_to_retry_job.sql",
    "00.18.01_01_fix_finish_job_compat_issue.sql",
    "00.19.00_01_add_index_on_procrastinate_jobs.sql",
    "00.22.00_01_add_kwargs_to_defer_periodic_job.sql",
    "00.23.00_01_null_locks_excluded.sql",
    "01.00.00_01_remove_old_finish_job_function.sql",
    "01.01.01_01_job_id_bigint.sql",
    "02.00.03_01_add_job_priority.sql",
    "02.05.00_01_add_periodic_job_priority.sql",
    "02.06.00_01_add_cancel_states.sql",
    "02.08.00_01_add_additional_params_to_retry_job.sql",
    "02.14.01_01_add_indexes_for_fetch_job.sql",
    "03.00.00_01_pre_cancel_notification.sql",
    "03.00.00_50_post_cancel_notification.sql",
    "03.01.00_01_pre_add_heartbeat.sql",
    "03.01.00_50_post_add_heartbeat.sql",
    "03.02.00_01_pre_batch_defer_jobs.sql",
    "03.02.00_50_post_batch_defer_jobs.sql",
    "03.03.00_01_pre_priority_lock_fetch_job.sql",
    "03.04.00_01_pre_add_retry_failed_job_procedure.sql",
    "03.04.00_50_post_add_retry_failed_job_procedure.sql",
)

DROP_PROCRASTINATE = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || f || ' CASCADE';
    END LOOP;
END $$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_status,
    procrastinate_job_event_type CASCADE;
"""

PENDING_MAIL_JOBS = """
SELECT procrastinate_defer_jobs_v1(ARRAY(
    SELECT ROW('default', 'mail.send', 0, NULL, NULL,
               jsonb_build_object('payload', jsonb_build_object('mail_id', id)), NULL
           )::procrastinate_job_to_defer_v1
    FROM mail_outbox WHERE sent_at IS NULL AND attempts < 5 ORDER BY id
))
"""


def _run_script(sql: str) -> None:
    """Several statements at once: asyncpg runs a query without parameters as a script."""
    raw = op.get_bind().connection.driver_connection
    await_only(raw.execute(sql))  # type: ignore[union-attr]


def upgrade() -> None:
    folder = resources.files("procrastinate.sql.migrations")
    with op.get_context().autocommit_block():
        for name in PROCRASTINATE_MIGRATIONS:
            # One implicit transaction per script (PostgreSQL's simple query protocol).
            _run_script(folder.joinpath(name).read_text(encoding="utf-8"))
    op.create_table(
        "job_record",
        sa.Column("job_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_record")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_job_record_idempotency_key")),
    )
    op.add_column("mail_outbox", sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
    # Mail the outbox still holds from before (the old dispatcher's rows) gets its jobs.
    op.execute(PENDING_MAIL_JOBS)


def downgrade() -> None:
    op.drop_column("mail_outbox", "failed_at")
    op.drop_table("job_record")
    _run_script(DROP_PROCRASTINATE)
