"""What change feed entries carry for a synchronising system (sync flags of products and
stock items, the references and SKU of sales lines), and retention: old entries are deleted
in batches, and a cursor older than them is told to resync."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.stock_helpers import ITEM_UPDATE, call_off, items_by_sku
from tests.api.test_api_keys import place_order
from tests.factories import gql

FEED = """
query ($after: String, $kinds: [ChangeKind!]) {
  changes(after: $after, first: 100, kinds: $kinds) {
    nodes { cursor kind operation entityId nodeId
            flags { purchasable ignoreForSync }
            sale { orderId orderNumber productId stockItemId partId sku quantity } }
    endCursor hasNextPage errors { code field message }
  }
}"""


async def feed(
    client: httpx.AsyncClient, token: str, after: str | None, kinds: Any = None
) -> dict[str, Any]:
    return dict(
        (await gql(client, FEED, {"after": after, "kinds": kinds}, token))["data"]["changes"]
    )


async def end_of_feed(client: httpx.AsyncClient, token: str) -> str:
    after = None
    while True:
        page = await feed(client, token, after)
        after = page["endCursor"]
        if not page["hasNextPage"]:
            return str(after)


async def test_products_and_stock_items_carry_sync_flags_and_sales_lines_what_they_sold(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    admin, boss = await as_user("admin@shop.example"), await as_user("boss.acme")
    start = await end_of_feed(client, admin)
    products = await gql(client, "{ products(first: 1) { nodes { id code } } }", token=admin)
    product = products["data"]["products"]["nodes"][0]
    pens = (await items_by_sku(client, admin))["PEN-BLUE"]["id"]

    # Staff set the flags; the next feed entries of both carry them.
    updated = await gql(
        client,
        "mutation($i: ProductUpdateInput!) { productUpdate(input: $i) { product { purchasable "
        "ignoreForSync } errors { code } } }",
        {"i": {"id": product["id"], "ignoreForSync": True}},
        admin,
    )
    assert updated["data"]["productUpdate"]["product"] == {
        "purchasable": True,
        "ignoreForSync": True,
    }
    item = await gql(
        client,
        ITEM_UPDATE.replace("unlimited available", "unlimited available purchasable ignoreForSync"),
        {"i": {"id": pens, "purchasable": False, "ignoreForSync": True}},
        admin,
    )
    assert item["data"]["stockItemUpdate"]["stockItem"]["purchasable"] is False
    page = await feed(client, admin, start, ["PRODUCT", "STOCK_ITEM"])
    flags = {(c["kind"], c["nodeId"]): c["flags"] for c in page["nodes"]}
    assert flags[("PRODUCT", product["id"])] == {"purchasable": True, "ignoreForSync": True}
    assert flags[("STOCK_ITEM", pens)] == {"purchasable": False, "ignoreForSync": True}

    # Sales lines: a product line names its product and the product's code as SKU, a call-off
    # line its stock item and the item's SKU.
    start = await end_of_feed(client, admin)
    await place_order(client, boss)
    called = await call_off(client, boss, [(pens, 3)])
    assert called["errors"] == []
    page = await feed(client, admin, start, ["ORDER_LINE"])
    sales = [c["sale"] for c in page["nodes"] if c["operation"] == "INSERT"]
    by_sku = {s["sku"]: s for s in sales}
    assert by_sku["PEN-BLUE"]["stockItemId"] == pens and by_sku["PEN-BLUE"]["quantity"] == 3
    assert by_sku["PEN-BLUE"]["orderNumber"] == called["order"]["number"]
    assert by_sku["PEN-BLUE"]["orderId"] == called["order"]["id"]
    product_lines = [s for s in sales if s["stockItemId"] is None]
    assert product_lines and all(s["productId"] and s["sku"] for s in product_lines)
    # Another company's reader sees neither its orders nor their lines.
    globex = await as_user("globex")
    assert (await feed(client, globex, start, ["ORDER_LINE"]))["nodes"] == []

    # purchasable = False: the product is still listed but cannot be priced or ordered; the
    # stock item is left out of purchase suggestions.
    await gql(
        client,
        "mutation($i: ProductUpdateInput!) { productUpdate(input: $i) { errors { code } } }",
        {"i": {"id": product["id"], "purchasable": False}},
        admin,
    )
    refused = await gql(
        client,
        "mutation ($p: ID!) { configurationCreate(input: {productId: $p, quantity: 100}) "
        "{ configuration { id } errors { code } } }",
        {"p": product["id"]},
        boss,
    )
    assert refused["data"]["configurationCreate"]["errors"] == [{"code": "NOT_PURCHASABLE"}]
    await call_off(client, boss, [(pens, 400)])  # far below the reorder point now
    suggested = await gql(
        client, "{ purchaseSuggestions { lines { stockItem { sku } } } }", token=admin
    )
    skus = {
        line["stockItem"]["sku"]
        for group in suggested["data"]["purchaseSuggestions"]
        for line in group["lines"]
    }
    assert "PEN-BLUE" not in skus


async def test_retention_deletes_old_entries_in_batches_and_an_older_cursor_must_resync(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine, app: Any
) -> None:
    from adapters.db import SqlUnitOfWork
    from domain.changes.retention import RETENTION_TASK, prune_change_log
    from domain.shared.models import utcnow

    admin, boss = await as_user("admin@shop.example"), await as_user("boss.acme")
    await place_order(client, boss)
    first = await feed(client, admin, None)
    early = first["nodes"][2]["cursor"]
    middle = await end_of_feed(client, admin)
    await place_order(client, boss)
    async with engine.begin() as conn:
        # Everything up to `middle` was written 100 days ago.
        xid, pk = (int(x) for x in middle.split("."))
        await conn.execute(
            text(
                "UPDATE change_log SET created_at = now() - interval '100 days' "
                "WHERE (xid, id) <= (:x, :i)"
            ),
            {"x": xid, "i": pk},
        )
        old = (
            await conn.execute(
                text("SELECT count(*) FROM change_log WHERE created_at < now() - interval '1 day'")
            )
        ).scalar_one()
        kept = (await conn.execute(text("SELECT count(*) FROM change_log"))).scalar_one() - old
    assert old > 7

    uow = SqlUnitOfWork(app.state.sessions)
    try:
        deleted = await prune_change_log(uow, utcnow(), dt.timedelta(days=90), batch=7)
        assert deleted == old
        assert await prune_change_log(uow, utcnow(), dt.timedelta(days=90), batch=7) == 0
    finally:
        await uow.close()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM change_log"))).scalar_one() == kept

    # A cursor from before the deleted entries: a typed error, nothing else.
    expired = await feed(client, admin, early)
    assert expired["nodes"] == [] and expired["hasNextPage"] is False
    assert [e["code"] for e in expired["errors"]] == ["CURSOR_EXPIRED"]
    assert expired["errors"][0]["field"] == ["after"]
    # The cursor at the last deleted entry, and a fresh start, read on.
    assert (await feed(client, admin, middle))["errors"] == []
    fresh = await feed(client, admin, None)
    assert fresh["errors"] == [] and fresh["nodes"]
    assert (await feed(client, admin, "not-a-cursor"))["errors"][0]["code"] == "INVALID_CURSOR"

    # The job runs on the queue every hour, with the retention setting.
    from server.jobs import job_tasks

    tasks = {t.name: t for t in job_tasks(app.state.settings, app.state.sessions)}
    assert tasks[RETENTION_TASK].cron == "17 * * * *"
    assert app.state.settings.change_log_retention_days == 90.0
