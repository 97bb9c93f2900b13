"""priceQuote's delivery options: per turnaround option its price (an express surcharge is a
price rule) and the promised dispatch and delivery dates across a weekend and holidays."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork, session_factory
from domain.catalog.models import Channel, Product, ProductKind, ProductVersion, channel_product
from domain.catalog.services import validate_definition
from domain.pricing.demo_products import LEAFLET_RULES, LEAFLET_SPEC
from server.settings import Settings
from tests.factories import gql

QUOTE = """
query($id: ID!, $at: DateTime, $transit: Int!) {
  priceQuote(input: {productId: $id, channel: "main", quantity: 500,
                     configuration: {size: "a5", paper: "135"}}) {
    price { net { amount } }
    deliveryOptions(orderedAt: $at, transitDays: $transit) {
      turnaround label productionDays price { valid net { amount } } dispatchDate deliveryDate
    }
  }
}"""
PRODUCT_ID = 'query { products(channel: "main", search: "%s") { nodes { id code } } }'


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.holidays = ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]
    settings.turnarounds = {"standard": 5, "express": 2, "overnight": 1}
    return settings


async def add_rush_leaflet(engine: AsyncEngine) -> None:
    """The demo leaflet with a turnaround choice; express costs 15.00 more."""
    spec = copy.deepcopy(LEAFLET_SPEC)
    spec["parameters"].append(
        {
            "key": "turnaround",
            "label": "Turnaround",
            "kind": "enum",
            "options": [
                {"key": "standard", "label": "Standard"},
                {"key": "express", "label": "Express"},
                {"key": "same-day", "label": "Not a turnaround the shop knows"},
            ],
            "default": "standard",
            "required": True,
        }
    )
    rules = copy.deepcopy(LEAFLET_RULES)
    rules["components"].append(
        {
            "type": "option_surcharge",
            "code": "express",
            "param": "turnaround",
            "options": {"express": {"setup": "15.00"}},
        }
    )
    validate_definition(ProductKind.PRINT, spec, rules)
    uow = SqlUnitOfWork(session_factory(engine))
    async with uow:
        product = Product(
            code="rush-leaflet",
            kind=ProductKind.PRINT,
            name="Rush leaflet",
            search_text="rush-leaflet",
        )
        uow.session.add(product)
        await uow.session.flush()
        version = ProductVersion(product_id=product.id, version=1, spec=spec, rules=rules)
        uow.session.add(version)
        await uow.session.flush()
        product.current_version_id = version.id
        main = await uow.scalar(select(Channel.id).where(Channel.code == "main"))
        await uow.session.execute(
            insert(channel_product),
            [{"channel_id": main, "product_id": product.id, "position": 99}],
        )
        await uow.commit()
    await uow.close()


async def quote(client: Any, code: str, at: str | None, transit: int) -> dict[str, Any]:
    found = await gql(client, PRODUCT_ID % code)
    [pid] = [n["id"] for n in found["data"]["products"]["nodes"] if n["code"] == code]
    body = await gql(client, QUOTE, {"id": pid, "at": at, "transit": transit})
    return body["data"]["priceQuote"]  # type: ignore[no-any-return]


async def test_each_turnaround_option_has_its_price_and_dates(client, demo, engine) -> None:  # type: ignore[no-untyped-def]
    await add_rush_leaflet(engine)
    # Tuesday 22 December 2026, 10:00 in Berlin: before the 14:00 cut-off.
    q = await quote(client, "rush-leaflet", "2026-12-22T09:00:00Z", 2)

    express, standard = q["deliveryOptions"]
    assert (express["turnaround"], express["label"], express["productionDays"]) == (
        "express",
        "Express",
        2,
    )
    # Wed 23, then (24 and 25 are holidays, then the weekend) Mon 28; two transit days.
    assert (express["dispatchDate"], express["deliveryDate"]) == ("2026-12-28", "2026-12-30")
    # Wed 23, Mon 28, Tue 29, Wed 30, (31 Dec and 1 Jan are holidays) Mon 4 January.
    assert (standard["dispatchDate"], standard["deliveryDate"]) == ("2027-01-04", "2027-01-06")
    # The quote itself is standard (the parameter's default); express adds its surcharge.
    assert standard["price"]["net"]["amount"] == q["price"]["net"]["amount"]
    assert express["price"]["valid"] is True
    assert express["price"]["net"]["amount"] > standard["price"]["net"]["amount"]
    # An option the shop has no days for ("same-day") is not offered.
    assert [o["turnaround"] for o in q["deliveryOptions"]] == ["express", "standard"]


async def test_after_the_cut_off_and_for_pickup(client, demo, engine) -> None:  # type: ignore[no-untyped-def]
    await add_rush_leaflet(engine)
    # Friday 4 December 2026, 15:00 in Berlin: counts from Monday 7.
    q = await quote(client, "rush-leaflet", "2026-12-04T14:00:00Z", 0)
    dates = {o["turnaround"]: (o["dispatchDate"], o["deliveryDate"]) for o in q["deliveryOptions"]}
    assert dates == {
        "express": ("2026-12-09", "2026-12-09"),
        "standard": ("2026-12-14", "2026-12-14"),
    }


async def test_a_product_without_turnaround_choice_has_the_standard_one(client, demo) -> None:  # type: ignore[no-untyped-def]
    q = await quote(client, "leaflet", "2026-12-07T09:00:00Z", 1)
    [only] = q["deliveryOptions"]
    assert (only["turnaround"], only["productionDays"]) == ("standard", 5)
    assert (only["dispatchDate"], only["deliveryDate"]) == ("2026-12-14", "2026-12-15")
    assert only["price"]["net"]["amount"] == q["price"]["net"]["amount"]


async def test_transit_days_are_bounded(client, demo) -> None:  # type: ignore[no-untyped-def]
    found = await gql(client, PRODUCT_ID % "leaflet")
    pid = found["data"]["products"]["nodes"][0]["id"]
    body = await gql(client, QUOTE, {"id": pid, "at": None, "transit": -1}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
