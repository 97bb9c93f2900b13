"""The final price after execution: staff change a completed order's lines with reasons;
within the customer group's tolerance the change applies at once, above it the customer
approves it in the portal, and sees original and final price with the reasons."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import update

from adapters.db import SqlUnitOfWork, session_factory
from domain.accounts.models import CustomerGroup
from tests.factories import gql, login
from tests.payments_support import place

JOBS = """query($id: ID!) { node(id: $id) { ... on Order { status jobs { tasks { id } } } } }"""
TASK = """mutation($id: ID!) { taskComplete(id: $id) { task { status } errors { code } } }"""
ADJUST = """mutation($id: ID!, $c: [LineAdjustmentInput!]!) { orderAdjust(id: $id, changes: $c) {
  adjustment { id status originalGross { amount } finalGross { amount }
    changes { position quantityBefore quantityAfter netBefore { amount } netAfter { amount } repriced reason } }
  order { gross { amount } lines { position quantity net { amount } } }
  errors { code field message } } }"""
DECIDE = """mutation($id: ID!, $a: Boolean!) { orderAdjustmentDecide(id: $id, accept: $a) {
  adjustment { status } order { gross { amount } } errors { code message } } }"""
SEEN = """query($id: ID!) { node(id: $id) { ... on Order { gross { amount } adjustments {
  status originalGross { amount } finalGross { amount } changes { title reason } } } } }"""


async def _tolerance(engine: Any, percent: int) -> None:
    uow = SqlUnitOfWork(session_factory(engine))
    try:
        async with uow:
            await uow.session.execute(
                update(CustomerGroup).values(price_change_tolerance_percent=Decimal(percent))
            )
            await uow.commit()
    finally:
        await uow.close()


async def _completed_order(client: Any, token: str) -> dict[str, Any]:
    placed = await place(client, token, "ON_ACCOUNT", 500)
    assert placed["errors"] == []
    order = placed["order"]
    maker = await login(client, "maker@shop.example")
    jobs = (await gql(client, JOBS, {"id": order["id"]}, token=maker))["data"]["node"]["jobs"]
    for job in jobs:
        for task in job["tasks"]:
            done = await gql(client, TASK, {"id": task["id"]}, token=maker)
            assert done["data"]["taskComplete"]["errors"] == []
    status = (await gql(client, JOBS, {"id": order["id"]}, token=maker))["data"]["node"]["status"]
    assert status == "COMPLETED"
    return dict(order)


async def test_final_price_within_and_above_tolerance(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    await _tolerance(engine, 10)
    boss = await as_user("boss.acme")
    staff = await login(client, "admin@shop.example")
    order = await _completed_order(client, boss)
    gross = order["gross"]["amount"]

    # Overs: 510 delivered instead of 500, re-priced by the engine: within 10 %.
    overs = [{"position": 1, "quantity": 510, "reason": "10 overs delivered"}]
    applied = (await gql(client, ADJUST, {"id": order["id"], "c": overs}, token=staff))["data"][
        "orderAdjust"
    ]
    assert applied["errors"] == [], applied
    adjustment = applied["adjustment"]
    assert adjustment["status"] == "APPLIED"
    assert adjustment["originalGross"] == {"amount": gross}
    change = adjustment["changes"][0]
    assert (change["quantityBefore"], change["quantityAfter"], change["repriced"]) == (
        500,
        510,
        True,
    )
    assert change["netAfter"]["amount"] > change["netBefore"]["amount"]
    final = adjustment["finalGross"]["amount"]
    assert gross < final <= gross * 110 // 100
    assert applied["order"]["gross"] == {"amount": final}
    assert applied["order"]["lines"][0]["quantity"] == 510

    # An extra line far above the tolerance waits for the customer.
    extra = [
        {"title": "Extra proof round", "net": gross, "reason": "customer asked for a re-proof"}
    ]
    pending = (await gql(client, ADJUST, {"id": order["id"], "c": extra}, token=staff))["data"][
        "orderAdjust"
    ]
    assert pending["errors"] == [] and pending["adjustment"]["status"] == "PENDING_CUSTOMER"
    assert pending["order"]["gross"] == {"amount": final}
    again = (await gql(client, ADJUST, {"id": order["id"], "c": extra}, token=staff))["data"]
    assert [e["code"] for e in again["orderAdjust"]["errors"]] == ["ADJUSTMENT_PENDING"]
    no_reason = [{"position": 1, "quantity": 400, "reason": " "}]
    refused = (await gql(client, ADJUST, {"id": order["id"], "c": no_reason}, token=staff))["data"]
    assert [e["field"] for e in refused["orderAdjust"]["errors"]] == [["changes", "0", "reason"]]

    # The customer sees original and final price with the reasons, and approves.
    seen = (await gql(client, SEEN, {"id": order["id"]}, token=boss))["data"]["node"]
    assert [a["status"] for a in seen["adjustments"]] == ["APPLIED", "PENDING_CUSTOMER"]
    assert seen["adjustments"][1]["changes"] == [
        {"title": "Extra proof round", "reason": "customer asked for a re-proof"}
    ]
    other = await as_user("globex")
    hidden = (
        await gql(client, DECIDE, {"id": pending["adjustment"]["id"], "a": True}, token=other)
    )["data"]["orderAdjustmentDecide"]
    assert [e["code"] for e in hidden["errors"]] == ["NOT_FOUND"]
    decided = (
        await gql(client, DECIDE, {"id": pending["adjustment"]["id"], "a": True}, token=boss)
    )["data"]["orderAdjustmentDecide"]
    assert decided["errors"] == [] and decided["adjustment"]["status"] == "APPLIED"
    assert decided["order"]["gross"]["amount"] > final
    twice = (
        await gql(client, DECIDE, {"id": pending["adjustment"]["id"], "a": False}, token=boss)
    )["data"]["orderAdjustmentDecide"]
    assert [e["code"] for e in twice["errors"]] == ["ALREADY_DECIDED"]
