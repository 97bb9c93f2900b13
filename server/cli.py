"""The `pressroom` command line."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from server.database import resolve_database_url
from server.observability.logs import configure_logging
from server.settings import Settings

if TYPE_CHECKING:
    from adapters.db import SqlUnitOfWork

T = TypeVar("T")

app = typer.Typer(
    help="Pressroom: a headless GraphQL commerce backend for print shops.", no_args_is_help=True
)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="PRESSROOM_DATA_DIR",
        help="Folder of the embedded database (ignored when DATABASE_URL is set).",
    ),
]


def _settings(data_dir: Path | None) -> Settings:
    if data_dir is not None:
        os.environ["PRESSROOM_DATA_DIR"] = str(data_dir)
    return Settings.from_env()


async def _with_uow(url: str, fn: Callable[[SqlUnitOfWork], Awaitable[T]]) -> T:
    from adapters.db import SqlUnitOfWork, create_engine, session_factory

    engine = create_engine(url, pool_size=2)
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        return await fn(uow)
    finally:
        await uow.close()
        await engine.dispose()


# `pressroom migrate --check` exits with this when migrations are missing (1 is a failure).
MIGRATIONS_PENDING = 3


@app.command()
def migrate(
    data_dir: DataDir = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=f"Apply nothing: list the migrations the database lacks and exit with "
            f"{MIGRATIONS_PENDING} if there are any (for deployment scripts)",
        ),
    ] = False,
) -> None:
    """Apply the database migrations (Alembic upgrade head)."""
    from adapters.migrations import unapplied, upgrade

    settings = _settings(data_dir)
    if check:
        missing = unapplied(resolve_database_url(settings))
        for line in missing:
            typer.echo(f"not applied {line}")
        if missing:
            typer.echo(f"{len(missing)} migration(s) not applied: run `pressroom migrate`")
            raise typer.Exit(MIGRATIONS_PENDING)
        typer.echo("the database is up to date")
        return
    applied = upgrade(resolve_database_url(settings))
    for line in applied:
        typer.echo(f"applied {line}")
    if applied:
        typer.echo(f"{len(applied)} migration(s) applied; the database is up to date")
    else:
        typer.echo("nothing to apply: the database was already up to date")


@app.command("seed-demo")
def seed_demo(data_dir: DataDir = None) -> None:
    """Load the demo shop (idempotent) and print the demo logins."""
    from server.demo import demo_summary
    from server.demo import seed_demo as seed

    settings = _settings(data_dir)
    created = asyncio.run(_with_uow(resolve_database_url(settings), seed))
    typer.echo("demo data created" if created else "demo data already present")
    typer.echo(demo_summary())


@app.command("create-staff")
def create_staff(
    email: Annotated[str, typer.Option(help="Login e-mail address")],
    full_name: Annotated[str, typer.Option("--name", help="Full name")],
    role: Annotated[str, typer.Option(help="ADMIN, SALES, PRODUCTION or ACCOUNTING")] = "ADMIN",
    password: Annotated[str | None, typer.Option(help="Prompted when omitted")] = None,
    data_dir: DataDir = None,
) -> None:
    """Create a staff account from the server's shell."""
    from domain.accounts.registration import StaffUserData, staff_user_create
    from domain.accounts.rights import StaffRole
    from domain.shared.errors import DomainError

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        staff_role = StaffRole(role.upper())
    except ValueError:
        raise typer.BadParameter(f"unknown role {role!r}") from None
    settings = _settings(data_dir)
    data = StaffUserData(email=email, full_name=full_name, role=staff_role, password=password)
    try:
        user = asyncio.run(
            _with_uow(
                resolve_database_url(settings), lambda uow: staff_user_create(uow, None, data)
            )
        )
    except DomainError as exc:
        for d in exc.details:
            typer.echo(f"error: {d.message} ({d.code.value})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created staff user {user.email} ({user.role.value})")


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL")] = Path(
        "schema/schema.graphql"
    ),
) -> None:
    """Write the GraphQL SDL (the committed schema/schema.graphql)."""
    from server.schema import build_schema

    output.write_text(str(build_schema()).rstrip() + "\n")
    typer.echo(f"wrote {output}")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    data_dir: DataDir = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
    worker: Annotated[
        bool,
        typer.Option(
            help="Run background jobs in each served process (--no-worker when separate "
            "`pressroom worker` processes run them)"
        ),
    ] = True,
    ws_compression: Annotated[
        bool,
        typer.Option(
            help="permessage-deflate on websockets: costs ~40 KiB per socket and a quarter of "
            "the CPU of a push to thousands of subscribers, for messages of a few hundred bytes"
        ),
    ] = False,
) -> None:
    """Serve the API (GraphiQL at /graphql in development)."""
    import uvicorn

    from server.app import STOREFRONT_DIST

    if not worker:
        os.environ["PRESSROOM_EMBEDDED_WORKER"] = "false"  # read by each served process
    settings = _settings(data_dir)
    resolve_database_url(settings)  # sets DATABASE_URL for the workers
    configure_logging(json=settings.log_format == "json", level=log_level.upper())
    _refuse_unmigrated_database()
    if workers > 1:
        _prepare_multiprocess_metrics(settings)
    typer.echo(f"Pressroom on http://{host}:{port}/graphql ({settings.environment})")
    if settings.debug and STOREFRONT_DIST.is_dir():
        typer.echo(
            f"Storefront on http://{host}:{port}/storefront/ "
            "(the second brand: /storefront/?brand=trade)"
        )
    from server.jobs import mail_folder, uses_mail_catcher

    if uses_mail_catcher(settings):
        typer.echo(
            f"Mail (no SMTP_HOST set): http://{host}:{port}/dev/mail, {mail_folder(settings)}"
        )
    # uvicorn shuts down gracefully on SIGTERM and then raises the signal again, which with
    # the default disposition kills the process before its exit handlers run: the embedded
    # PostgreSQL this process started would keep running. Exit normally instead.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    uvicorn.run(
        "server.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        ws="websockets-sansio" if _has_sansio() else "auto",
        ws_per_message_deflate=ws_compression,
        # Our request line (server/observability/requests.py) replaces uvicorn's access log,
        # and our handler renders uvicorn's own messages (JSON in production).
        access_log=False,
        log_config=None,
    )


@app.command("worker")
def worker_command(
    concurrency: Annotated[
        int | None,
        typer.Option(help="Jobs run at once (default PRESSROOM_WORKER_CONCURRENCY, 4)"),
    ] = None,
    data_dir: DataDir = None,
    log_level: Annotated[str, typer.Option(help="log level")] = "info",
) -> None:
    """Run background jobs (mail, deliveries, scheduled work) until SIGINT/SIGTERM. Start as
    many as you like, on any machines sharing the database; running jobs finish on stop."""
    settings = _settings(data_dir)
    if concurrency is not None:
        settings.worker_concurrency = concurrency
    resolve_database_url(settings)
    configure_logging(json=settings.log_format == "json", level=log_level.upper())
    typer.echo(f"Pressroom worker ({settings.environment}, {settings.worker_concurrency} at once)")
    asyncio.run(_run_worker(settings))


async def _run_worker(settings: Settings) -> None:
    from adapters.db import create_engine, dispose_engine, session_factory
    from server.jobs import job_worker

    assert settings.database_url
    engine = create_engine(settings.database_url, pool_size=settings.worker_concurrency)
    worker = job_worker(settings, engine, session_factory(engine))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, worker.stop)
    try:
        await worker.run_forever()
    finally:
        await worker.close()
        await dispose_engine(engine)


def _prepare_multiprocess_metrics(settings: Settings) -> None:
    """Several workers share their Prometheus samples through files in one folder
    (server/observability/metrics.py); emptied at start, as prometheus-client requires."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    path = Path(folder) if folder else Path(settings.data_dir).resolve() / "prometheus"
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def _refuse_unmigrated_database() -> None:
    """Exit with a clear message when the database lacks migrations: a server started on it
    would fail every request that touches a missing table. Asked in a child process
    (`migrate --check` on the DATABASE_URL just resolved) so that Alembic, ~9 MiB, stays out
    of the serving process. A database that cannot be reached is not refused here: the
    server waits for it as it always does."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "server.cli", "migrate", "--check"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        typer.echo("Could not check the database's migrations in 120 s; starting anyway", err=True)
        return
    if done.returncode == MIGRATIONS_PENDING:
        typer.echo(done.stdout.rstrip(), err=True)
        typer.echo(
            "The database is not migrated: run `pressroom migrate` before `pressroom serve`.",
            err=True,
        )
        raise typer.Exit(1)
    if done.returncode != 0:
        typer.echo(
            "Could not check the database's migrations; starting anyway: "
            + (done.stderr.strip().splitlines() or ["(no output)"])[-1][:300],
            err=True,
        )


def _has_sansio() -> bool:
    try:
        import websockets.sansio  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    app()
