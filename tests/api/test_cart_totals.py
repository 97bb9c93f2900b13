"""The cart's totals equal the placed order's totals to the cent (two lines, the customer's
prices)."""

from __future__ import annotations

import uuid

from tests.factories import gql
from tests.payments_support import PLACE, add_leaflets

TOTALS = """{ cartTotals { net { amount currency } vat { amount } gross { amount }
  vatBreakdown { ratePercent net { amount } vat { amount } } lines unavailableLines } }"""


async def test_cart_totals_equal_the_order_totals(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("boss.acme")
    empty = (await gql(client, TOTALS, token=token))["data"]["cartTotals"]
    assert empty["net"] is None and empty["lines"] == 0
    await add_leaflets(client, token, 500)
    await add_leaflets(client, token, 1250)
    totals = (await gql(client, TOTALS, token=token))["data"]["cartTotals"]
    assert totals["lines"] == 2 and totals["unavailableLines"] == 0
    assert totals["gross"]["amount"] == totals["net"]["amount"] + totals["vat"]["amount"]
    assert sum(s["vat"]["amount"] for s in totals["vatBreakdown"]) == totals["vat"]["amount"]
    placed = await gql(client, PLACE, {"i": {"idempotencyKey": uuid.uuid4().hex}}, token=token)
    order = placed["data"]["orderPlace"]["order"]
    assert order["gross"] == {"amount": totals["gross"]["amount"], "currency": "EUR"}
