"""The `pressroom` command line."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from server.database import resolve_database_url
from server.settings import Settings

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


async def _with_uow(url: str, fn):  # type: ignore[no-untyped-def]
    from adapters.db import SqlUnitOfWork, create_engine, session_factory

    engine = create_engine(url, pool_size=2)
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        return await fn(uow)
    finally:
        await uow.close()
        await engine.dispose()


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Apply the database migrations (Alembic upgrade head)."""
    from adapters.migrations import upgrade

    settings = _settings(data_dir)
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
    from schema.build import build_schema

    output.write_text(str(build_schema()).rstrip() + "\n")
    typer.echo(f"wrote {output}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    data_dir: DataDir = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
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

    settings = _settings(data_dir)
    resolve_database_url(settings)  # sets DATABASE_URL for the workers
    logging.basicConfig(level=log_level.upper())
    typer.echo(f"Pressroom on http://{host}:{port}/graphql ({settings.environment})")
    if settings.debug and STOREFRONT_DIST.is_dir():
        typer.echo(
            f"Storefront on http://{host}:{port}/storefront/ "
            "(the second brand: /storefront/?brand=trade)"
        )
    uvicorn.run(
        "server.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        ws="websockets-sansio" if _has_sansio() else "auto",
        ws_per_message_deflate=ws_compression,
    )


def _has_sansio() -> bool:
    try:
        import websockets.sansio  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    app()
