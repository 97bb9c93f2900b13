"""The change feed: scoped like its objects, and complete and gap-free when read from two
server processes while orders are placed through both."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.test_api_keys import create_key, place_order
from tests.factories import gql, login, seed
from tests.live_server import live_server

CHANGES = """
query ($after: String, $kinds: [ChangeKind!]) {
  changes(after: $after, first: 100, kinds: $kinds) {
    nodes { cursor kind operation entityId nodeId }
    endCursor hasNextPage
  }
}"""


async def read_all(
    client: httpx.AsyncClient, token: str, after: str | None = None, kinds: Any = None
) -> tuple[list[dict[str, Any]], str | None]:
    seen: list[dict[str, Any]] = []
    while True:
        body = await gql(client, CHANGES, {"after": after, "kinds": kinds}, token)
        page = body["data"]["changes"]
        seen += page["nodes"]
        after = page["endCursor"]
        if not page["hasNextPage"]:
            return seen, after


async def test_the_feed_is_scoped_like_its_objects(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine
) -> None:
    admin, acme, globex = [await as_user(w) for w in ("admin@shop.example", "acme", "globex")]
    await place_order(client, acme)
    await place_order(client, globex)
    everything, end = await read_all(client, admin)
    kinds = {c["kind"] for c in everything}
    assert {"PRODUCT", "STOCK_ITEM", "ORDER", "ORDER_LINE"} <= kinds
    async with engine.connect() as conn:
        total = (await conn.execute(text("SELECT count(*) FROM change_log"))).scalar_one()
        acme_id = (
            await conn.execute(text("SELECT id FROM company WHERE code = 'acme'"))
        ).scalar_one()
        theirs = {
            r.entity_id
            for r in await conn.execute(
                text(
                    "SELECT entity_id FROM change_log WHERE kind = 'customer_order' "
                    "AND company_id <> :a"
                ),
                {"a": acme_id},
            )
        }
    assert len(everything) == total and len({c["cursor"] for c in everything}) == total
    # Nothing new: the end cursor answers an empty page.
    assert (await read_all(client, admin, end))[0] == []

    seen_by_acme, _ = await read_all(client, acme)
    orders = {c["entityId"] for c in seen_by_acme if c["kind"] == "ORDER"}
    assert orders and not orders & theirs
    assert "PURCHASE_ORDER" not in {c["kind"] for c in seen_by_acme}
    only_orders, _ = await read_all(client, acme, kinds=["ORDER"])
    assert {c["kind"] for c in only_orders} == {"ORDER"}
    assert only_orders[0]["nodeId"]
    # Without VIEW_COMPANY_ORDERS no order shows; a key sees what its scopes reach.
    buyer = await as_user("buyer.acme")
    assert not {"ORDER", "ORDER_LINE"} & {c["kind"] for c in (await read_all(client, buyer))[0]}
    key = (await create_key(client, admin, "MIS", scopes=["READ_CHANGES", "READ_ORDERS"]))["secret"]
    assert {c["kind"] for c in (await read_all(client, key))[0]} == {"ORDER", "ORDER_LINE"}


SECRET = "change-feed-test-secret-" + "c" * 40


@pytest.fixture
async def seeded(engine: AsyncEngine, clean_db: None) -> AsyncIterator[None]:
    from adapters.db import SqlUnitOfWork, session_factory

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed(uow)
    finally:
        await uow.close()
    yield


async def test_two_processes_read_the_feed_while_orders_are_placed_and_lose_nothing(
    database_url: str, seeded: None, tmp_path: Path, engine: AsyncEngine
) -> None:
    with (
        live_server(database_url, tmp_path, secret=SECRET) as base_a,
        live_server(database_url, tmp_path, secret=SECRET) as base_b,
    ):
        async with (
            httpx.AsyncClient(base_url=base_a, timeout=30) as a,
            httpx.AsyncClient(base_url=base_b, timeout=30) as b,
        ):
            admin = await login(a, "admin@shop.example")
            buyers = [(a, await login(a, "acme")), (b, await login(b, "globex"))]
            seen: list[str] = []
            placing = True

            async def writer(client: httpx.AsyncClient, token: str) -> None:
                for _ in range(6):
                    await place_order(client, token)

            async def reader() -> None:
                after, servers, turn = None, (a, b), 0
                while True:
                    done = not placing  # read once more after the writers finished
                    page = (await gql(servers[turn % 2], CHANGES, {"after": after}, admin))["data"][
                        "changes"
                    ]
                    turn += 1
                    seen.extend(c["cursor"] for c in page["nodes"])
                    after = page["endCursor"]
                    if done and not page["hasNextPage"]:
                        return
                    if not page["nodes"]:
                        await asyncio.sleep(0.02)

            read = asyncio.create_task(reader())
            await asyncio.gather(*(writer(c, t) for c, t in buyers for _ in range(2)))
            placing = False
            await read
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT xid, id, kind, operation FROM change_log ORDER BY xid, id")
            )
        ).all()
    expected = [f"{r.xid}.{r.id}" for r in rows]
    assert len(seen) == len(set(seen)), "a change was read twice"
    # Reading "after the last id" instead loses rows here (committed late under smaller ids).
    assert set(seen) == set(expected), f"missing: {sorted(set(expected) - set(seen))[:10]}"
    assert seen == expected  # and in the feed's order
    placed = [r for r in rows if r.kind == "customer_order" and r.operation == "INSERT"]
    assert len(placed) == 24  # 2 writers x 2 companies x 6 orders, all seen above


async def test_order_lines_name_what_they_sold_and_match_the_feed(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    acme = await as_user("acme")
    await place_order(client, acme)
    lines = await gql(
        client, "{ orders { nodes { lines { lineId productId stockItemId partId } } } }", token=acme
    )
    [line] = lines["data"]["orders"]["nodes"][0]["lines"]
    products = await gql(client, "{ products(first: 1) { nodes { id } } }", token=acme)
    assert line["productId"] == products["data"]["products"]["nodes"][0]["id"]
    assert line["stockItemId"] is None and line["partId"] is None
    changes, _ = await read_all(client, acme, kinds=["ORDER_LINE"])
    assert [c["entityId"] for c in changes] == [line["lineId"]]
