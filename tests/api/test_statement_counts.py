"""Every list query costs a constant number of SQL statements whatever its page size."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import event

from adapters.db import SqlUnitOfWork, session_factory
from domain.shared.read_cache import CACHES
from tests.api.test_order_flow import PLACE, _cart_with_leaflet
from tests.billing_support import company_id, deliver, make_order
from tests.factories import gql


@contextlib.contextmanager
def counting(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def before(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


async def _count(client, app, query: str, variables: dict, token: str | None) -> int:  # type: ignore[no-untyped-def, type-arg]
    # Counted cold: the read caches (viewer, channel, price terms, catalog pages) would hide
    # statements from the second request on.
    CACHES.clear()
    with counting(app) as statements:
        await gql(client, query, variables, token=token)
    # Viewer loading (one statement per authenticated request) is the same for every page size.
    return len(statements)


PRODUCTS = """query($n: Int) { products(first: $n) { totalCount edges { node { code
  currentVersion { version parameters { key options { key } } }
  fromPrice(quantity: 500) { net { amount } } } } } }"""
COMPANIES = """query($n: Int) { companies(first: $n) { totalCount edges { node { code
  addresses { city } users { login groups { name } rights } permissionGroups { name } } } } }"""
ORDERS = """query($n: Int) { orders(first: $n) { totalCount edges { node { number
  orderer { login } company { code } history { toStatus }
  lines { title net { amount } files { fileName } job { status tasks { name } requisitions { unit } } }
  jobs { number tasks { status } } } } } }"""


async def test_products_page_is_constant(client, app, demo, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("globex")
    small = await _count(client, app, PRODUCTS, {"n": 1}, token)
    large = await _count(client, app, PRODUCTS, {"n": 20}, token)
    assert small == large, (small, large)


async def test_companies_page_is_constant(client, app, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    small = await _count(client, app, COMPANIES, {"n": 1}, token)
    large = await _count(client, app, COMPANIES, {"n": 3}, token)
    assert small == large, (small, large)


async def test_orders_page_is_constant(client, app, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    for i in range(3):
        await _cart_with_leaflet(client, boss)
        await gql(client, PLACE, {"i": {"idempotencyKey": f"n{i}"}}, token=boss)
    small = await _count(client, app, ORDERS, {"n": 1}, boss)
    large = await _count(client, app, ORDERS, {"n": 3}, boss)
    assert small == large, (small, large)


async def test_a_catalog_page_reads_each_product_version_once(client, app, demo, as_user) -> None:  # type: ignore[no-untyped-def]
    # currentVersion and fromPrice share the version loader: one query, each JSON decoded once.
    token = await as_user("globex")
    with counting(app) as statements:
        await gql(client, PRODUCTS, {"n": 20}, token=token)
    assert sum("FROM product_version" in s for s in statements) == 1, statements


INVOICES = """query($n: Int) { invoices(first: $n) { totalCount nodes { number paymentStatus
  grossTotal { amount } openAmount { amount } customer { code } orderNumbers
  documentLines { description net { amount } } vatBreakdown { vatRatePercent vat { amount } }
  creditNotes { number } } } }"""


async def test_invoices_page_is_constant(client, app, engine, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        for _ in range(3):
            async with uow:
                order = await make_order(uow, await company_id(uow, "acme"))
                await uow.commit()
            await deliver(uow, order)
    finally:
        await uow.close()
    small = await _count(client, app, INVOICES, {"n": 1}, boss)
    large = await _count(client, app, INVOICES, {"n": 3}, boss)
    assert small == large, (small, large)
