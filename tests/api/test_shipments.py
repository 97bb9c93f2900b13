"""Shipments (#14 item 7): staff ship an order in parts, in two parcels with PDF labels (parsed
back) and a delivery note; the order follows (partially shipped, shipped, delivered), the
customer is mailed the tracking, and the shipments keep to the tenant rules."""

from __future__ import annotations

import io
import uuid
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from adapters.db import SqlUnitOfWork, session_factory
from domain.events.models import Event
from domain.mail.models import OutgoingMail
from tests.api.test_shipping import DHL, PLACE, add_methods, cart_with_leaflets
from tests.factories import gql

SHIP = """mutation($i: ShipmentCreateInput!) { shipmentCreate(input: $i) {
  shipment { id number status carrier trackingNumber labelsUrl deliveryNoteUrl
    parcels { position weightG trackingNumber } lines { position title quantity } }
  errors { code field message } } }"""
STATUS = """mutation($id: ID!, $s: ShipmentStatus!) { shipmentStatusUpdate(id: $id, status: $s) {
  shipment { status } errors { code message } } }"""
ORDER = """query($id: ID!) { node(id: $id) { ... on Order { status
  shipments { number status trackingNumber parcels { position } lines { quantity } }
  history { toStatus actor } } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Shipment { number } } }"""


async def placed_order(client: Any, admin: str, boss: str) -> dict[str, Any]:
    ids = await add_methods(client, admin)
    assert DHL["code"] in ids
    await cart_with_leaflets(client, boss)
    placed = (
        await gql(
            client,
            PLACE,
            {"i": {"idempotencyKey": str(uuid.uuid4()), "shippingMethodId": ids["dhl"]}},
            token=boss,
        )
    )["data"]["orderPlace"]
    assert placed["errors"] == []
    return placed["order"]  # type: ignore[no-any-return]


async def download(client: Any, path: str, token: str) -> Any:
    return await client.get(path, headers={"authorization": f"Bearer {token}"})


async def test_two_parcels_with_labels_partial_then_full_then_delivered(  # type: ignore[no-untyped-def]
    client, as_user, engine, app
) -> None:
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    order = await placed_order(client, admin, boss)

    first = (
        await gql(
            client,
            SHIP,
            {
                "i": {
                    "orderId": order["id"],
                    "lines": [{"position": 1, "quantity": 200}],
                    "parcelWeightsG": [None, 400],
                }
            },
            token=admin,
        )
    )["data"]["shipmentCreate"]
    assert first["errors"] == [], first
    shipment = first["shipment"]
    assert shipment["number"] == f"{order['number']}-S1"
    assert (shipment["status"], shipment["carrier"]) == ("CREATED", "builtin")
    # 200 of the 500 leaflets weigh 839 g; the second parcel's 400 g leaves 439 g to the first.
    assert [(p["position"], p["weightG"]) for p in shipment["parcels"]] == [(1, 439), (2, 400)]
    assert [p["trackingNumber"] for p in shipment["parcels"]] == [
        f"{shipment['number']}-1",
        f"{shipment['number']}-2",
    ]
    assert shipment["lines"] == [
        {"position": 1, "title": shipment["lines"][0]["title"], "quantity": 200}
    ]

    # The labels: one page per parcel, with the recipient, the sender and "parcel n of m".
    labels = await download(client, shipment["labelsUrl"], admin)
    assert labels.status_code == 200 and labels.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(labels.content)).pages
    assert len(pages) == 2
    texts = [page.extract_text() for page in pages]
    assert "Parcel 1 of 2" in texts[0] and "Parcel 2 of 2" in texts[1]
    for text in texts:
        assert shipment["number"] in text and order["number"] in text
        assert "ACME" in text and "Pressroom Print Shop" in text
    # The delivery note lists what is in this shipment and what was ordered.
    note = await download(client, shipment["deliveryNoteUrl"], boss)
    note_text = PdfReader(io.BytesIO(note.content)).pages[0].extract_text()
    assert "Delivery note" in note_text and "200" in note_text and "500" in note_text
    # Labels are for the shop only.
    assert (await download(client, shipment["labelsUrl"], boss)).status_code == 404

    state = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert state["status"] == "PARTIALLY_SHIPPED"
    assert state["history"][-1] == {"toStatus": "PARTIALLY_SHIPPED", "actor": "SYSTEM"}

    # More than is left is refused; the rest ships and the order is shipped.
    too_many = (
        await gql(
            client,
            SHIP,
            {"i": {"orderId": order["id"], "lines": [{"position": 1, "quantity": 301}]}},
            token=admin,
        )
    )["data"]["shipmentCreate"]
    assert [(e["code"], e["field"]) for e in too_many["errors"]] == [
        ("INVALID_QUANTITY", ["lines", "0", "quantity"])
    ]
    rest = (await gql(client, SHIP, {"i": {"orderId": order["id"]}}, token=admin))["data"][
        "shipmentCreate"
    ]
    assert rest["errors"] == [] and rest["shipment"]["lines"][0]["quantity"] == 300
    state = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert state["status"] == "SHIPPED"
    nothing = (await gql(client, SHIP, {"i": {"orderId": order["id"]}}, token=admin))["data"][
        "shipmentCreate"
    ]
    assert nothing["errors"][0]["code"] == "INVALID_TRANSITION"  # a shipped order

    # The customer was mailed each time, with the tracking numbers: the "shipped"
    # notification (its template, the orderer's language and preferences), set off by the
    # shipment.shipped event.
    await app.state.jobs.run_until_idle()
    uow = SqlUnitOfWork(session_factory(engine))
    async with uow:
        mails = list(
            await uow.scalars(
                select(OutgoingMail)
                .where(OutgoingMail.subject.like("%shipped"))
                .order_by(OutgoingMail.id)
            )
        )
        topics = list(
            await uow.scalars(
                select(Event.payload)
                .where(Event.topic == "shipment.status_changed")
                .order_by(Event.id)
            )
        )
    await uow.close()
    assert [m.to_address for m in mails] == [mails[0].to_address] * 2
    # One mail per shipment; notification jobs may run side by side, so not by insertion order.
    partial, full = sorted(mails, key=lambda m: "shipped in part" not in m.body_text)
    assert "shipped in part" in partial.body_text
    assert f"{shipment['number']}-2" in partial.body_text
    assert "shipped in part" not in full.body_text
    assert rest["shipment"]["number"] in full.body_text
    assert [t["status"] for t in topics] == ["CREATED", "CREATED"]

    # Both shipments arrive: the order is delivered.
    await gql(client, STATUS, {"id": shipment["id"], "s": "IN_TRANSIT"}, token=admin)
    back = (await gql(client, STATUS, {"id": shipment["id"], "s": "CREATED"}, token=admin))["data"][
        "shipmentStatusUpdate"
    ]
    assert back["errors"][0]["code"] == "INVALID_TRANSITION"
    await gql(client, STATUS, {"id": shipment["id"], "s": "DELIVERED"}, token=admin)
    assert (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"][
        "status"
    ] == "SHIPPED"
    await gql(client, STATUS, {"id": rest["shipment"]["id"], "s": "DELIVERED"}, token=admin)
    state = (await gql(client, ORDER, {"id": order["id"]}, token=boss))["data"]["node"]
    assert state["status"] == "DELIVERED"
    assert [s["status"] for s in state["shipments"]] == ["DELIVERED", "DELIVERED"]
    # Each shipment that arrived is told once ("delivered", from shipment.delivered); the
    # order's own move to DELIVERED, made by the system, adds no third mail.
    await app.state.jobs.run_until_idle()
    uow = SqlUnitOfWork(session_factory(engine))
    async with uow:
        delivered = list(
            await uow.scalars(
                select(OutgoingMail)
                .where(OutgoingMail.subject.like("%delivered"))
                .order_by(OutgoingMail.id)
            )
        )
    await uow.close()
    assert [m.to_address for m in delivered] == [mails[0].to_address] * 2
    assert all(m.subject == f"Order {order['number']} delivered" for m in delivered)


async def test_shipments_keep_to_the_tenant_rules(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    boss = await as_user("boss.acme")
    buyer = await as_user("buyer.acme")  # a colleague without VIEW_COMPANY_ORDERS
    globex = await as_user("globex")
    order = await placed_order(client, admin, boss)
    shipment = (await gql(client, SHIP, {"i": {"orderId": order["id"]}}, token=admin))["data"][
        "shipmentCreate"
    ]["shipment"]

    # The orderer sees it; another company and a colleague who may not see the order do not.
    assert (await gql(client, NODE, {"id": shipment["id"]}, token=boss))["data"]["node"]
    for token in (globex, buyer):
        assert (await gql(client, NODE, {"id": shipment["id"]}, token=token))["data"][
            "node"
        ] is None
        assert (await download(client, shipment["deliveryNoteUrl"], token)).status_code == 404
    # Customers cannot create or move shipments, even of their own orders.
    for doc, variables in (
        (SHIP, {"i": {"orderId": order["id"]}}),
        (STATUS, {"id": shipment["id"], "s": "DELIVERED"}),
    ):
        denied = await gql(client, doc, variables, token=boss, expect_errors=True)
        assert denied["data"] is None and denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await client.get(shipment["deliveryNoteUrl"])
    assert anonymous.status_code == 401
