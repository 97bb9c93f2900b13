"""Subscriptions resolve nested fields on a session of their own per event and close it once
the event is sent: many subscribers selecting nested data hold no connections while waiting."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import gql
from sqlalchemy import text

from tests.api.test_live_price import SECRET, login, post
from tests.api.test_order_events import collect, place_leaflet_order, wait_for, ws
from tests.api.test_order_events import seeded as seeded
from tests.live_server import live_server

NESTED = gql(
    """subscription { jobStatusChanged { eventId status task { name }
         job { number order { number status } tasks { name status } } } }"""
)


@pytest.mark.usefixtures("seeded")
async def test_nested_subscription_fields_hold_no_connection(
    database_url, tmp_path, engine
) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as a:
        boss = await asyncio.to_thread(login, a, "boss.acme")
        maker = await asyncio.to_thread(login, a, "maker@shop.example")
        inboxes: list[list[dict[str, Any]]] = [
            [] for _ in range(25)
        ]  # more than the pool (10 + 10)
        tasks = [
            asyncio.create_task(collect(ws(a, boss), NESTED, box, "jobStatusChanged"))
            for box in inboxes
        ]
        await asyncio.sleep(2)
        order = await asyncio.to_thread(place_leaflet_order, a, boss, "nested-1")
        detail = await asyncio.to_thread(
            post,
            a,
            "query($id: ID!) { node(id: $id) { ... on Order { jobs { tasks { id } } } } }",
            {"id": order["id"]},
            boss,
        )
        first_task = detail["node"]["jobs"][0]["tasks"][0]["id"]
        await asyncio.to_thread(
            post,
            a,
            "mutation($id: ID!) { taskComplete(id: $id) { errors { code } } }",
            {"id": first_task},
            maker,
        )
        await wait_for(lambda: all(len(box) >= 2 for box in inboxes), timeout=60)
        for box in inboxes:
            created, started = box[0], box[1]
            assert created["job"]["order"]["number"] == order["number"]
            # The second event sees the order as it is now, not a cached first read.
            assert started["job"]["order"]["status"] == "IN_PRODUCTION"
            assert started["task"]["name"] == "Prepress"
        async with engine.connect() as conn:
            open_tx = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pressroom' "
                        "AND state LIKE 'idle in transaction%'"
                    )
                )
            ).scalar()
        assert open_tx == 0
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
