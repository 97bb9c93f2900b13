"""The cart's totals equal the placed order's totals to the cent: lines at two VAT rates (a
leaflet at 19 %, a product at 7 %), at the customer group's discount (ACME: trade, 5 %), with
the chosen shipping method's line."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal

from domain.pricing.demo_products import DEMO_PRODUCTS
from tests.api.test_shipping import METHOD_CREATE
from tests.factories import gql, login
from tests.payments_support import ADD, CONFIG, add_leaflets

TOTALS = """query($m: ID, $country: String) { cartTotals(shippingMethodId: $m, country: $country) {
  net { amount currency } vat { amount } gross { amount } shipping { amount } shippingProblem
  vatBreakdown { ratePercent net { amount } vat { amount } } lines unavailableLines } }"""
COURIER = {
    "code": "courier",
    "name": "Courier",
    "kind": "CARRIER",
    "transitDays": 1,
    "rates": [{"zone": "Germany", "countries": ["DE"], "net": 1490}],
}
CREATE = """mutation($i: ProductCreateInput!) { productCreate(input: $i) {
  product { id } errors { code field message } } }"""
PLACED = """mutation($i: OrderPlaceInput!) { orderPlace(input: $i) {
  order { net { amount } vat { amount } gross { amount }
    lines { kind net { amount } vatRatePercent } }
  errors { code field message } } }"""


async def _reduced_rate_product(client, admin: str) -> str:  # type: ignore[no-untyped-def]
    channels = (await gql(client, "{ channels { id code } }", token=admin))["data"]["channels"]
    main = next(c["id"] for c in channels if c["code"] == "main")
    rules = copy.deepcopy(DEMO_PRODUCTS["leaflet"]["rules"])
    rules["vat_rate_percent"] = "7"
    body = await gql(
        client,
        CREATE,
        {
            "i": {
                "code": "reduced-rate-booklet",
                "kind": "PRINT",
                "name": "Booklet (7 % VAT)",
                "spec": DEMO_PRODUCTS["leaflet"]["spec"],
                "rules": rules,
                "channelIds": [main],
            }
        },
        token=admin,
    )
    assert body["data"]["productCreate"]["errors"] == [], body
    return str(body["data"]["productCreate"]["product"]["id"])


async def test_cart_totals_equal_the_order_totals(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("boss.acme")
    admin = await login(client, "admin@shop.example")
    product = await _reduced_rate_product(client, admin)
    created = await gql(client, METHOD_CREATE, {"c": "main", "i": COURIER}, token=admin)
    courier = created["data"]["shippingMethodCreate"]["shippingMethod"]["id"]
    empty = (await gql(client, TOTALS, token=token))["data"]["cartTotals"]
    assert empty["net"] is None and empty["lines"] == 0
    await add_leaflets(client, token, 500)
    await add_leaflets(client, token, 1250)
    cfg = await gql(
        client,
        CONFIG,
        {"i": {"productId": product, "values": {"size": "a5", "paper": "135"}, "quantity": 333}},
        token=token,
    )
    config_id = cfg["data"]["configurationCreate"]["configuration"]["id"]
    added = await gql(
        client, ADD, {"i": {"configurationId": config_id, "quantity": 333}}, token=token
    )
    assert added["data"]["cartLineAdd"]["errors"] == []

    goods = (await gql(client, TOTALS, token=token))["data"]["cartTotals"]
    assert goods["shipping"] is None and goods["shippingProblem"] is None
    totals = (await gql(client, TOTALS, {"m": courier}, token=token))["data"]["cartTotals"]
    assert totals["lines"] == 3 and totals["unavailableLines"] == 0
    assert totals["shipping"] == {"amount": 1490} and totals["shippingProblem"] is None
    assert totals["net"]["amount"] == goods["net"]["amount"] + 1490
    assert [Decimal(s["ratePercent"]) for s in totals["vatBreakdown"]] == [7, 19]
    assert sum(s["vat"]["amount"] for s in totals["vatBreakdown"]) == totals["vat"]["amount"]
    assert totals["gross"]["amount"] == totals["net"]["amount"] + totals["vat"]["amount"]
    # A method that does not ship there is named, and left out of the sums.
    abroad = await gql(client, TOTALS, {"m": courier, "country": "US"}, token=token)
    assert abroad["data"]["cartTotals"]["shippingProblem"]
    assert abroad["data"]["cartTotals"]["net"] == goods["net"]

    placed = await gql(
        client,
        PLACED,
        {"i": {"idempotencyKey": uuid.uuid4().hex, "shippingMethodId": courier}},
        token=token,
    )
    order = placed["data"]["orderPlace"]
    assert order["errors"] == []
    assert [line["kind"] for line in order["order"]["lines"]].count("shipping") == 1
    assert order["order"]["net"] == {"amount": totals["net"]["amount"]}
    assert order["order"]["vat"] == {"amount": totals["vat"]["amount"]}
    assert order["order"]["gross"] == {"amount": totals["gross"]["amount"]}
    for share in totals["vatBreakdown"]:
        rate_net = sum(
            line["net"]["amount"]
            for line in order["order"]["lines"]
            if Decimal(line["vatRatePercent"]) == Decimal(share["ratePercent"])
        )
        assert rate_net == share["net"]["amount"]


async def test_a_discounted_customer_sees_the_discount_in_the_totals(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("boss.acme")  # trade customers: 5 % off
    private = await as_user("jdoe")  # retail: list prices
    for token in (acme, private):
        await add_leaflets(client, token, 500)
    nets = [
        (await gql(client, TOTALS, token=t))["data"]["cartTotals"]["net"]["amount"]
        for t in (acme, private)
    ]
    assert nets[0] < nets[1]
