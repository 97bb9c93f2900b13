"""`shipmentStatusChanged` over a real graphql-transport-ws connection to a live server: the
orderer sees their shipment created, in transit and delivered with its tracking, and
`orderStatusChanged` carries the new order statuses; another company sees nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from gql import gql

from tests.api.test_live_price import SECRET, login, post
from tests.api.test_order_events import collect, place_leaflet_order, seeded, wait_for, ws
from tests.live_server import live_server

SHIPMENTS = gql(
    """subscription($after: Int) { shipmentStatusChanged(after: $after) {
         eventId status previousStatus trackingNumber shipment { number parcels { position } } } }"""
)
ORDERS = gql(
    """subscription($after: Int) { orderStatusChanged(after: $after) { status order { number } } }"""
)

__all__ = ["seeded"]


async def test_the_orderer_watches_the_shipment_and_the_order(
    database_url, seeded, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        boss, globex, admin = [
            await asyncio.to_thread(login, base, who)
            for who in ("boss.acme", "globex", "admin@shop.example")
        ]
        shipments: list[dict[str, Any]] = []
        orders: list[dict[str, Any]] = []
        strangers: list[dict[str, Any]] = []
        tasks = [
            asyncio.create_task(
                collect(ws(base, boss), SHIPMENTS, shipments, "shipmentStatusChanged")
            ),
            asyncio.create_task(collect(ws(base, boss), ORDERS, orders, "orderStatusChanged")),
            asyncio.create_task(
                collect(ws(base, globex), SHIPMENTS, strangers, "shipmentStatusChanged")
            ),
        ]
        await asyncio.sleep(1.0)
        order = await asyncio.to_thread(place_leaflet_order, base, boss, "ship-1")
        created = await asyncio.to_thread(
            post,
            base,
            "mutation($o: ID!) { shipmentCreate(input: {orderId: $o, parcelWeightsG: [null, null]}) "
            "{ shipment { id number } errors { code message } } }",
            {"o": order["id"]},
            admin,
        )
        shipment = created["shipmentCreate"]["shipment"]
        for status in ("IN_TRANSIT", "DELIVERED"):
            await asyncio.to_thread(
                post,
                base,
                "mutation($id: ID!, $s: ShipmentStatus!) { shipmentStatusUpdate(id: $id, status: $s) "
                "{ errors { code } } }",
                {"id": shipment["id"], "s": status},
                admin,
            )
        await wait_for(lambda: len(shipments) >= 3)
        await wait_for(lambda: any(e["status"] == "DELIVERED" for e in orders))
        assert [(e["previousStatus"], e["status"]) for e in shipments] == [
            (None, "CREATED"),
            ("CREATED", "IN_TRANSIT"),
            ("IN_TRANSIT", "DELIVERED"),
        ]
        assert shipments[0]["trackingNumber"] == f"{shipment['number']}-1"
        assert shipments[0]["shipment"]["parcels"] == [{"position": 1}, {"position": 2}]
        mine = [e["status"] for e in orders if e["order"]["number"] == order["number"]]
        assert mine[-2:] == ["SHIPPED", "DELIVERED"]
        # The last event replayed on reconnect (`after`), nothing for another company.
        replay: list[dict[str, Any]] = []
        after = shipments[1]["eventId"]
        task = asyncio.create_task(
            collect(ws(base, boss), SHIPMENTS, replay, "shipmentStatusChanged", after=after)
        )
        await wait_for(lambda: len(replay) >= 1)
        assert replay[0]["status"] == "DELIVERED"
        assert strangers == []
        for t in (*tasks, task):
            t.cancel()
        await asyncio.gather(*tasks, task, return_exceptions=True)
