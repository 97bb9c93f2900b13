"""Invoices for machine clients: a shop key reads them with READ_INVOICES and issues with
WRITE_INVOICES only; a company's key sees its own company's invoices when it holds
VIEW_FINANCES, and none without."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.test_api_keys import create_key
from tests.api.test_invoices import completed_order, gid
from tests.factories import gql

INVOICES = "{ invoices { totalCount nodes { number customer { code } } } }"
ISSUE = """mutation($id: ID!) { invoiceIssueForOrder(orderId: $id) {
  invoice { number } errors { code } } }"""


async def test_invoices_are_read_and_issued_by_keys_with_their_scope(
    client: httpx.AsyncClient, as_user: Any, engine: AsyncEngine
) -> None:
    admin, acme = await as_user("admin@shop.example"), await as_user("acme")
    orders = [await completed_order(engine, code) for code in ("acme", "globex")]
    reader = (await create_key(client, admin, "DATEV", scopes=["READ_INVOICES"]))["secret"]
    issuer = (await create_key(client, admin, "ERP", scopes=["WRITE_INVOICES"]))["secret"]

    # Issuing needs WRITE_INVOICES; reading needs READ_INVOICES.
    refused = await gql(client, ISSUE, {"id": gid("Order", orders[0])}, reader, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN" and not refused.get("data")
    for order in orders:
        issued = await gql(client, ISSUE, {"id": gid("Order", order)}, issuer)
        assert issued["data"]["invoiceIssueForOrder"]["errors"] == [], issued
    refused = await gql(client, INVOICES, token=issuer, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql(client, INVOICES, token=reader)
    assert body["data"]["invoices"]["totalCount"] == 2
    assert {n["customer"]["code"] for n in body["data"]["invoices"]["nodes"]} == {"acme", "globex"}

    # A company's key: its own invoices with VIEW_FINANCES, none without.
    finance = await create_key(client, acme, "Books", rights=["VIEW_FINANCES"])
    own = await gql(client, INVOICES, token=finance["secret"])
    assert [n["customer"]["code"] for n in own["data"]["invoices"]["nodes"]] == ["acme"]
    orders_only = await create_key(client, acme, "Shop", rights=["VIEW_COMPANY_ORDERS"])
    hidden = await gql(client, INVOICES, token=orders_only["secret"])
    assert hidden["data"]["invoices"] == {"totalCount": 0, "nodes": []}
