"""Read caches against the real database (domain/shared/read_cache.py): the migrated triggers
notify exactly the watched tables, a listener drops caches on commit (never on rollback, never
for other tables), a registry serves nothing while nobody listens, a value built before an
invalidation is not stored, and the unit of work drops its own process's caches at commit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from sqlalchemy import delete, event, false, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import selectinload

import adapters.db
from adapters.cache_listener import CacheInvalidationListener
from adapters.db import SqlUnitOfWork
from adapters.events import asyncpg_dsn
from domain.accounts import auth
from domain.accounts.models import (
    AuthSession,
    Company,
    CustomerGroup,
    PermissionGroup,
    PortalUser,
)
from domain.accounts.rights import LegalForm
from domain.catalog import prices as pricing
from domain.catalog.models import channel_product
from domain.shared.read_cache import CACHE_CHANNEL, CACHES, WATCHED_TABLES, ReadCache, ReadCaches

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
ROW, BEFORE, INSERT, DELETE, UPDATE, TRUNCATE, INSTEAD = 1, 2, 4, 8, 16, 32, 64
EVENT_BITS = {"INSERT": INSERT, "UPDATE": UPDATE, "DELETE": DELETE, "TRUNCATE": TRUNCATE}
UNWATCHED = ("login_throttle", "cart_line", "event", "address", "refresh_token")


async def eventually(predicate: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "not within the bounded wait"
        await asyncio.sleep(0.01)


async def commit_sql(engine: AsyncEngine, *statements: str) -> None:
    async with engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))


def filled(caches: ReadCaches, *tables: str) -> dict[str, ReadCache]:
    """One cache per table, each holding one entry."""
    out = {}
    for table in tables:
        cache = caches.cache(f"probe:{table}", [table])
        cache.put("key", table, cache.generation)
        assert cache.get("key") == table
        out[table] = cache
    return out


def emptied(probes: dict[str, ReadCache]) -> set[str]:
    return {table for table, cache in probes.items() if len(cache) == 0}


@pytest.fixture
async def listening(
    database_url: str,
) -> AsyncIterator[tuple[ReadCaches, CacheInvalidationListener]]:
    caches = ReadCaches()
    listener = CacheInvalidationListener(database_url, caches, ping_interval_s=60)
    await listener.start(timeout_s=10)
    try:
        yield caches, listener
    finally:
        await listener.stop()


# --- the migration's triggers ---------------------------------------------------------------


async def test_triggers_in_the_migrated_database_are_exactly_the_watched_tables(engine) -> None:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT c.relname, t.tgname, t.tgtype, t.tgenabled::text FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_proc p ON p.oid = t.tgfoid "
                    "WHERE p.proname = 'pressroom_cache_notify' AND NOT t.tgisinternal"
                )
            )
        ).all()
    found: dict[str, tuple[str, ...]] = {}
    for table, name, tgtype, enabled in rows:
        assert table not in found, f"two cache triggers on {table}"
        assert name == f"{table}_cache_notify"
        assert enabled == "O", f"{name} is not enabled"
        # AFTER ... FOR EACH STATEMENT: one notification per statement, after the change.
        assert not tgtype & (ROW | BEFORE | INSTEAD), f"{name} is not AFTER ... FOR EACH STATEMENT"
        found[table] = tuple(e for e, bit in EVENT_BITS.items() if tgtype & bit)
    expected = {t: tuple(e for e in EVENT_BITS if e in ev) for t, ev in WATCHED_TABLES.items()}
    assert found == expected


async def test_each_watched_event_notifies_its_table_name_and_nothing_else_does(
    database_url: str, engine: AsyncEngine, clean_db: None
) -> None:
    """Statement triggers fire for statements touching no row: every (table, event) pair is
    exercised on empty tables, and only the watched pairs notify, with the table's name."""
    listener = await asyncpg.connect(asyncpg_dsn(database_url))
    worker = await asyncpg.connect(asyncpg_dsn(database_url))
    got: list[str] = []
    await listener.add_listener(CACHE_CHANNEL, lambda _c, _p, _ch, payload: got.append(payload))
    try:
        tables = [*WATCHED_TABLES, *UNWATCHED]
        columns = {
            r["table_name"]: r["column_name"]
            for r in await worker.fetch(
                "SELECT DISTINCT ON (table_name) table_name, column_name "
                "FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = ANY($1::text[]) AND is_generated = 'NEVER' "
                "AND identity_generation IS NULL ORDER BY table_name, ordinal_position",
                tables,
            )
        }
        statements = {
            "INSERT": "INSERT INTO {t} ({c}) SELECT {c} FROM {t} WHERE false",
            "UPDATE": "UPDATE {t} SET {c} = {c} WHERE false",
            "DELETE": "DELETE FROM {t} WHERE false",
        }
        for event, sql in statements.items():
            got.clear()
            for table in tables:  # each its own transaction (autocommit)
                await worker.execute(sql.format(t=table, c=columns[table]))
            await worker.execute(f"NOTIFY {CACHE_CHANNEL}, 'end'")
            await eventually(lambda: "end" in got)
            expected = sorted(t for t, ev in WATCHED_TABLES.items() if event in ev)
            assert sorted(got[:-1]) == expected, event
        got.clear()
        await worker.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        await worker.execute(f"NOTIFY {CACHE_CHANNEL}, 'end'")
        await eventually(lambda: "end" in got)
        assert sorted(got[:-1]) == sorted(WATCHED_TABLES)
    finally:
        await listener.close()
        await worker.close()


# --- the registry on its own -----------------------------------------------------------------


def test_a_registry_without_a_listener_never_serves() -> None:
    caches = ReadCaches()
    cache = caches.cache("c", ["product"])
    assert not caches.live
    cache.put("k", 1, cache.generation)
    assert cache.get("k") is None and len(cache) == 0
    caches.listener_connected()
    cache.put("k", 1, cache.generation)
    assert cache.get("k") == 1
    caches.listener_lost()
    assert not caches.live and len(cache) == 0 and cache.get("k") is None


def test_a_value_built_before_an_invalidation_is_not_stored() -> None:
    caches = ReadCaches()
    caches.listener_connected()
    products = caches.cache("products", ["product"])
    channels = caches.cache("channels", ["channel"])
    generation = products.generation
    caches.invalidate(["product_version"])  # a watched table no cache here depends on
    products.put("k", "built from old rows", generation)
    channels.put("k", "built from old rows", generation)
    assert len(products) == 0 and len(channels) == 0
    products.put("k", "fresh", products.generation)
    assert products.get("k") == "fresh"


def test_invalidation_drops_only_the_caches_built_from_the_table() -> None:
    caches = ReadCaches()
    caches.listener_connected()
    probes = filled(caches, "product", "channel", "company")
    both = caches.cache("both", ["product", "company"])
    both.put("k", 1, both.generation)
    caches.invalidate(["product"])
    assert emptied(probes) == {"product"} and len(both) == 0
    # A name no trigger sends (or a typo) changes nothing, not even the generation.
    generation = caches.generation
    caches.invalidate(["cart_line"])
    assert caches.generation == generation and emptied(probes) == {"product"}


def test_caches_may_only_depend_on_watched_tables_and_are_bounded() -> None:
    caches = ReadCaches()
    with pytest.raises(ValueError, match="unwatched"):
        caches.cache("orders", ["customer_order"])
    caches.listener_connected()
    lru = caches.cache("lru", ["product"], maxsize=2)
    assert caches.cache("lru", ["channel"]) is lru  # same name, same cache
    for key in ("a", "b"):
        lru.put(key, key, lru.generation)
    assert lru.get("a") == "a"  # now "b" is the least recently used
    lru.put("c", "c", lru.generation)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == ("a", None, "c")


# --- the listener ------------------------------------------------------------------------------


async def test_a_committed_update_drops_the_caches_of_that_table(listening, engine) -> None:  # type: ignore[no-untyped-def]
    caches, _ = listening
    assert caches.live
    probes = filled(caches, "product", "channel", "auth_session")
    await commit_sql(engine, "UPDATE product SET name = name WHERE false")
    await eventually(lambda: len(probes["product"]) == 0)
    assert emptied(probes) == {"product"}
    await commit_sql(engine, "UPDATE auth_session SET revoked_reason = 'x' WHERE false")
    await eventually(lambda: len(probes["auth_session"]) == 0)
    assert emptied(probes) == {"product", "auth_session"}


async def test_a_rollback_or_an_unwatched_table_drops_nothing(listening, engine) -> None:  # type: ignore[no-untyped-def]
    caches, _ = listening
    probes = filled(caches, "product", "auth_session", "channel")
    async with engine.connect() as conn:
        await conn.execute(text("UPDATE product SET name = name WHERE false"))
        await conn.rollback()
    await commit_sql(
        engine,
        "UPDATE login_throttle SET failures = failures WHERE false",
        "UPDATE cart_line SET quantity = quantity WHERE false",
        # A new session changes no cached viewer: auth_session INSERT is not watched.
        "INSERT INTO auth_session SELECT * FROM auth_session WHERE false",
    )
    # Notifications arrive in commit order: once this later one is in, the ones above would be.
    await commit_sql(engine, "DELETE FROM channel WHERE false")
    await eventually(lambda: len(probes["channel"]) == 0)
    assert emptied(probes) == {"channel"}
    assert probes["product"].get("key") == "product"


async def test_a_value_built_while_another_process_commits_is_not_stored(listening, engine) -> None:  # type: ignore[no-untyped-def]
    caches, _ = listening
    cache = caches.cache("versions", ["product_version"])
    generation = cache.generation  # a reader starts building from the database...
    await commit_sql(engine, "UPDATE product_version SET version = version WHERE false")
    await eventually(lambda: caches.generation != generation)  # ...the change is heard...
    cache.put("k", "built from the old rows", generation)  # ...and the late put is refused
    assert len(cache) == 0 and cache.get("k") is None


async def test_stopping_the_listener_switches_caching_off_and_empties(database_url) -> None:  # type: ignore[no-untyped-def]
    caches = ReadCaches()
    listener = CacheInvalidationListener(database_url, caches)
    await listener.start(timeout_s=10)
    probes = filled(caches, "product")
    await listener.stop()
    assert not caches.live
    assert len(probes["product"]) == 0 and probes["product"].get("key") is None
    probes["product"].put("key", 1, probes["product"].generation)
    assert len(probes["product"]) == 0


async def test_a_lost_connection_empties_the_caches_and_listening_resumes(
    listening, engine
) -> None:  # type: ignore[no-untyped-def]
    caches, _ = listening
    probes = filled(caches, "product", "channel")
    async with engine.begin() as conn:
        pids = (
            (
                await conn.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE query = :q AND pid <> pg_backend_pid()"
                    ),
                    {"q": f'LISTEN "{CACHE_CHANNEL}"'},
                )
            )
            .scalars()
            .all()
        )
        assert len(pids) == 1, pids
        await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
    # Whatever changes while nobody listens is never served: everything is dropped.
    await eventually(lambda: emptied(probes) == {"product", "channel"})
    await eventually(lambda: caches.live)
    cache = probes["product"]
    cache.put("key", 1, cache.generation)
    assert cache.get("key") == 1
    await commit_sql(engine, "UPDATE product SET name = name WHERE false")
    await eventually(lambda: len(cache) == 0)


# --- the unit of work's own invalidation ----------------------------------------------------


@pytest.fixture
def probe_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[ReadCaches]:
    """A registry with no listener at all (marked live by hand) in place of the unit of work's
    CACHES: whatever it drops was dropped by the committing unit of work itself."""
    caches = ReadCaches()
    caches.listener_connected()
    monkeypatch.setattr(adapters.db, "CACHES", caches)
    yield caches


async def _company(uow: SqlUnitOfWork, code: str) -> Company:
    company = Company(code=code, name=code.title(), legal_form=LegalForm.COMPANY)
    uow.session.add(company)
    await uow.session.flush()
    return company


async def test_unit_of_work_drops_the_written_tables_right_at_commit(
    uow: SqlUnitOfWork, probe_registry: ReadCaches
) -> None:
    probes = filled(probe_registry, *WATCHED_TABLES)
    async with uow:
        group = CustomerGroup(name="Probe", payment_terms_days=0, discount_percent=Decimal(0))
        uow.session.add(group)
        await uow.session.flush()
        assert emptied(probes) == set(), "dropped before the commit made the change visible"
        generation = probe_registry.generation
        await uow.commit()
        # Synchronously after commit: no listener exists, so this is the local path.
        assert emptied(probes) == {"customer_group"}
    probes["customer_group"].put("key", "stale", generation)
    assert len(probes["customer_group"]) == 0

    probes = filled(probe_registry, *WATCHED_TABLES)
    async with uow:  # an ORM update of a loaded row
        group.discount_percent = Decimal(3)
        uow.session.add(group)
        await uow.commit()
        assert emptied(probes) == {"customer_group"}

    probes = filled(probe_registry, *WATCHED_TABLES)
    async with uow:  # Core DML statements, as token revocation and product channels use them
        await uow.session.execute(
            update(AuthSession).where(false()).values(revoked_reason="logout")
        )
        await uow.session.execute(delete(channel_product).where(false()))
        await uow.commit()
        assert emptied(probes) == {"auth_session", "channel_product"}


async def test_unit_of_work_drops_after_the_database_commit_not_before(
    uow: SqlUnitOfWork, probe_registry: ReadCaches
) -> None:
    """A concurrent reader that fills a cache while the commit is on its way (it read the old
    rows) must not survive: the drop comes after PostgreSQL committed, not before."""
    cache = probe_registry.cache("groups", ["customer_group"])

    def concurrent_reader(_session: Any) -> None:
        cache.put("key", "read before the commit", cache.generation)

    async with uow:
        uow.session.add(CustomerGroup(name="Late", payment_terms_days=0))
        await uow.session.flush()
        event.listen(uow.session.sync_session, "before_commit", concurrent_reader)
        try:
            await uow.commit()
        finally:
            event.remove(uow.session.sync_session, "before_commit", concurrent_reader)
    assert cache.get("key") is None


async def test_unit_of_work_notes_association_tables(
    uow: SqlUnitOfWork, probe_registry: ReadCaches
) -> None:
    async with uow:
        company = await _company(uow, "probe")
        group = PermissionGroup(company_id=company.id, name="G", rights=["PLACE_ORDERS"])
        uow.session.add(group)
        user = PortalUser(
            company_id=company.id,
            login="probe",
            full_name="P",
            email="p@example.com",
            password_hash="!",
            groups=[group],
        )
        uow.session.add(user)
        await uow.commit()
    probes = filled(probe_registry, *WATCHED_TABLES)
    async with uow:
        loaded = await uow.scalar(
            select(PortalUser)
            .where(PortalUser.id == user.id)
            .options(selectinload(PortalUser.groups))
        )
        loaded.groups = []  # only the association rows change
        await uow.commit()
        assert "portal_user_group" in emptied(probes)


async def test_a_rolled_back_unit_of_work_drops_nothing_then_or_later(
    uow: SqlUnitOfWork, probe_registry: ReadCaches
) -> None:
    probes = filled(probe_registry, *WATCHED_TABLES)
    async with uow:
        await _company(uow, "gone")
        await uow.rollback()
    with pytest.raises(RuntimeError):
        async with uow:  # a command failing after its flush
            await _company(uow, "failed")
            raise RuntimeError
    assert emptied(probes) == set()
    async with uow:  # the next commit drops its own tables, not the rolled-back ones
        await uow.session.execute(update(AuthSession).where(false()).values(revoked_reason="x"))
        await uow.commit()
    assert emptied(probes) == {"auth_session"}


async def test_the_real_caches_are_dropped_by_a_commit_in_their_process(
    uow: SqlUnitOfWork,
) -> None:
    """Wiring: the unit of work and the read paths share the process's CACHES. No listener
    runs here; the registry is marked live by hand."""
    assert adapters.db.CACHES is CACHES
    CACHES.listener_connected()
    try:
        viewers, terms = auth._VIEWERS, pricing._TERMS
        viewers.put(("cfg", "token"), "viewer", viewers.generation)
        terms.put(1, (Decimal(0), None, Decimal(0)), terms.generation)
        async with uow:
            await uow.session.execute(
                update(AuthSession)
                .where(AuthSession.id == uuid.uuid4())
                .values(revoked_reason="logout")
            )
            await uow.commit()
            assert len(viewers) == 0, "the revoking process would still accept the token"
        assert terms.get(1) is not None  # price terms do not depend on sessions
    finally:
        CACHES.listener_lost()


async def test_cache_fills_never_wait_for_the_pool_their_request_holds(database_url) -> None:  # type: ignore[no-untyped-def]
    """Requests holding every connection of the main pool can still fill a read cache (its
    own pool): otherwise each would wait for a connection none of them gives back."""
    from adapters.db import create_engine, dispose_engine, session_factory

    engine = create_engine(database_url, pool_size=1)  # 1 + 1 overflow
    sessions = session_factory(engine)
    holders = [SqlUnitOfWork(sessions) for _ in range(2)]
    try:
        for uow in holders:
            assert await uow.scalar(select(1)) == 1  # each keeps its connection until closed
        async with holders[0].committed_reader() as reader:
            value = await asyncio.wait_for(reader.scalar(select(2)), timeout=5)
        assert value == 2
    finally:
        for uow in holders:
            await uow.close()
        await dispose_engine(engine)
