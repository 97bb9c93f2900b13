"""GraphQL documents and small helpers shared by the stock API tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.factories import gql

ITEMS = """query($f: StockItemFilter, $first: Int) { stockItems(filter: $f, first: $first) {
  totalCount edges { node { id sku name unit onHand reserved available unlimited reorderPoint
  orderMultiple belowReorderPoint supplierSku supplier { name } company { code } } } } }"""
ITEM = """query($id: ID!) { node(id: $id) { ... on StockItem { id sku onHand reserved available } } }"""
MOVEMENTS = """query($id: ID!) { stockMovements(stockItemId: $id, first: 50) { totalCount edges { node {
  kind onHandChange reservedChange onHandAfter reservedAfter reason actor at
  order { number } portalUser { login } staffUser { email } supplier { name } purchaseOrder { number } } } } }"""
CALL_OFF = """mutation($i: StockCallOffCreateInput!) { stockCallOffCreate(input: $i) {
  order { id number kind status customerReference lines { title quantity job { id } }
          jobs { id status tasks { id name status } requisitions { material quantity unit } } }
  errors { code field message } } }"""
CALL_OFFS = """query($mine: Boolean) { stockCallOffs(mineOnly: $mine) { totalCount edges { node { number kind status orderer { login } } } } }"""
APPROVE = """mutation($id: ID!) { orderApprove(id: $id) { order { status jobs { tasks { name } } } errors { code message } } }"""
REJECT = """mutation($id: ID!) { orderReject(id: $id, reason: "Not now") { order { status } errors { code message } } }"""
CANCEL = """mutation($id: ID!) { orderCancel(id: $id, reason: "Changed plans") { order { status } errors { code message } } }"""
DELIVER = (
    """mutation($id: ID!) { orderDeliver(id: $id) { order { status } errors { code message } } }"""
)
TASK = (
    """mutation($id: ID!) { taskComplete(id: $id) { task { status } errors { code message } } }"""
)
ITEM_CREATE = """mutation($i: StockItemCreateInput!) { stockItemCreate(input: $i) {
  stockItem { id sku onHand available unlimited supplierSku } errors { code field message } } }"""
ITEM_UPDATE = """mutation($i: StockItemUpdateInput!) { stockItemUpdate(input: $i) {
  stockItem { id reorderPoint orderMultiple unlimited available supplier { name } } errors { code field message } } }"""
RECEIVE = """mutation($i: StockReceiveInput!) { stockReceive(input: $i) {
  stockItem { onHand reserved available } errors { code field message } } }"""
ADJUST = """mutation($i: StockAdjustInput!) { stockAdjust(input: $i) {
  stockItem { onHand reserved available } errors { code field message } } }"""


async def items_by_sku(
    client: httpx.AsyncClient, token: str, **filter: Any
) -> dict[str, dict[str, Any]]:
    body = await gql(client, ITEMS, {"f": filter or None, "first": 100}, token=token)
    return {e["node"]["sku"]: e["node"] for e in body["data"]["stockItems"]["edges"]}


async def call_off(
    client: httpx.AsyncClient,
    token: str,
    lines: list[tuple[str, int]],
    key: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    i = {
        "lines": [{"stockItemId": sid, "quantity": q} for sid, q in lines],
        "idempotencyKey": str(uuid.uuid4()) if key is None else key,
        **extra,
    }
    return (await gql(client, CALL_OFF, {"i": i}, token=token))["data"]["stockCallOffCreate"]


async def item(client: httpx.AsyncClient, token: str, gid: str) -> dict[str, Any]:
    return (await gql(client, ITEM, {"id": gid}, token=token))["data"]["node"]


async def movements(client: httpx.AsyncClient, token: str, gid: str) -> list[dict[str, Any]]:
    body = await gql(client, MOVEMENTS, {"id": gid}, token=token)
    return [e["node"] for e in body["data"]["stockMovements"]["edges"]]


async def company_id(client: httpx.AsyncClient, admin: str, code: str) -> str:
    body = await gql(
        client,
        "query($s: String) { companies(search: $s) { edges { node { id code } } } }",
        {"s": code},
        token=admin,
    )
    return next(
        e["node"]["id"] for e in body["data"]["companies"]["edges"] if e["node"]["code"] == code
    )
