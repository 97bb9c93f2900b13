"""`invoiceIssued` over a real websocket: staff and the company's VIEW_FINANCES user hear of
an invoice issued on delivery; a colleague without VIEW_FINANCES and another company do not."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import gql
from strawberry import relay

from adapters.db import SqlUnitOfWork, session_factory
from tests.api.test_live_price import SECRET, login, post
from tests.api.test_order_events import collect, wait_for, ws
from tests.billing_support import company_id, make_order
from tests.live_server import live_server

ISSUED = gql(
    """subscription($after: Int) { invoiceIssued(after: $after) {
         eventId invoice { number grossTotal { amount } } } }"""
)
DELIVER = "mutation($id: ID!) { orderDeliver(id: $id) { errors { code } } }"


@pytest.fixture
async def orders(engine, clean_db) -> list[str]:  # type: ignore[no-untyped-def]
    from server.demo import seed_demo

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed_demo(uow)
        async with uow:
            made = [
                await make_order(uow, await company_id(uow, code)) for code in ("acme", "globex")
            ]
            await uow.commit()
        return [str(relay.GlobalID("Order", str(o.id))) for o in made]
    finally:
        await uow.close()


async def test_invoice_issued_reaches_who_may_see_it(database_url, orders, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        tokens = {
            who: await asyncio.to_thread(login, base, who)
            for who in ("admin@shop.example", "boss.acme", "buyer.acme", "globex")
        }
        seen: dict[str, list[dict[str, Any]]] = {who: [] for who in tokens}
        tasks = [
            asyncio.create_task(collect(ws(base, token), ISSUED, seen[who], "invoiceIssued"))
            for who, token in tokens.items()
        ]
        await asyncio.sleep(1.0)
        acme_order, globex_order = orders
        for order in (acme_order, globex_order):
            done = await asyncio.to_thread(
                post, base, DELIVER, {"id": order}, tokens["admin@shop.example"]
            )
            assert done["orderDeliver"]["errors"] == []
        await wait_for(lambda: len(seen["admin@shop.example"]) >= 2 and len(seen["globex"]) >= 1)
        await wait_for(lambda: len(seen["boss.acme"]) >= 1)
        await asyncio.sleep(0.5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    numbers = [e["invoice"]["number"] for e in seen["admin@shop.example"]]
    assert len(numbers) == 2 and numbers[0] != numbers[1]
    assert [e["invoice"]["number"] for e in seen["boss.acme"]] == numbers[:1]
    assert [e["invoice"]["number"] for e in seen["globex"]] == numbers[1:]
    assert seen["buyer.acme"] == []
    assert seen["boss.acme"][0]["invoice"]["grossTotal"]["amount"] == 17250
