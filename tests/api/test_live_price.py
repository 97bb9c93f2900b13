"""livePrice over graphql-transport-ws with a real client (gql), on real server processes:
a configuration update, and staff changes made through *another* process, reach the subscriber."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.websockets import WebsocketsTransport

from domain.pricing.demo_products import DEMO_PRODUCTS
from tests.live_server import live_server

SECRET = "live-test-secret-" + "y" * 40

LIVE = gql(
    """subscription($id: ID!) { livePrice(configurationId: $id) {
         reason eventId configuration { revision values quantity }
         price { valid net { amount } lines { code amount { amount } } } priceToken } }"""
)


def post(
    base: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    r = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=10,
    )
    body = r.json()
    assert "errors" not in body, body
    return body["data"]


def login(base: str, who: str) -> str:
    data = post(
        base,
        'mutation($l: String!) { tokenCreate(input: {login: $l, password: "demo-pass-123"}) { accessToken errors { code } } }',
        {"l": who},
    )
    return str(data["tokenCreate"]["accessToken"])


def ws_client(base: str, token: str | None) -> Client:
    transport = WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"authorization": f"Bearer {token}"} if token else {},
    )
    return Client(transport=transport, fetch_schema_from_transport=False)


async def _collect(client: Client, config_id: str, out: list[dict[str, Any]], n: int) -> None:
    async with client as session:
        request = GraphQLRequest(LIVE, variable_values={"id": config_id})
        async for result in session.subscribe(request):
            out.append(result["livePrice"])
            if len(out) == n:
                return


async def _wait_for(out: list[Any], n: int, timeout: float = 40) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while len(out) < n:
        assert asyncio.get_running_loop().time() < deadline, f"got {len(out)} of {n}: {out}"
        await asyncio.sleep(0.05)


@pytest.fixture
async def seeded(engine, clean_db) -> None:  # type: ignore[no-untyped-def]
    from adapters.db import SqlUnitOfWork, session_factory
    from server.demo import seed_demo

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed_demo(uow)
    finally:
        await uow.close()


async def test_live_price_follows_updates_across_processes(database_url, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with (
        live_server(database_url, tmp_path, secret=SECRET) as a,
        live_server(database_url, tmp_path, secret=SECRET) as b,
    ):
        buyer = await asyncio.to_thread(login, a, "boss.acme")
        admin = await asyncio.to_thread(login, a, "admin@shop.example")
        products = await asyncio.to_thread(
            post, a, '{ products(search: "leaflet") { edges { node { id code } } } }'
        )
        pid = products["products"]["edges"][0]["node"]["id"]
        created = await asyncio.to_thread(
            post,
            a,
            "mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) { configuration { id } errors { code } } }",
            {"i": {"productId": pid, "values": {"size": "a5", "paper": "135"}, "quantity": 500}},
            buyer,
        )
        config_id = created["configurationCreate"]["configuration"]["id"]

        received: list[dict[str, Any]] = []
        # The subscriber sits on process B; every change goes through process A.
        task = asyncio.create_task(_collect(ws_client(b, buyer), config_id, received, 4))
        await _wait_for(received, 1)
        assert received[0]["reason"] == "INITIAL"
        first = received[0]["price"]["net"]["amount"]

        await asyncio.to_thread(
            post,
            a,
            "mutation($i: ConfigurationUpdateInput!) { configurationUpdate(input: $i) { errors { code } } }",
            {"i": {"id": config_id, "quantity": 1000}},
            buyer,
        )
        await _wait_for(received, 2)
        assert received[1]["reason"] == "CONFIGURATION_UPDATED"
        assert received[1]["configuration"]["quantity"] == 1000
        assert received[1]["price"]["net"]["amount"] > first

        # Staff raise the setup cost of the leaflet: a new product version, re-priced live.
        rules = copy.deepcopy(DEMO_PRODUCTS["leaflet"]["rules"])
        setup = next(c for c in rules["components"] if c.get("code") == "setup")
        setup["amount"] = "112.00"
        before = received[1]["price"]["net"]["amount"]
        await asyncio.to_thread(
            post,
            a,
            "mutation($i: ProductUpdateInput!) { productUpdate(input: $i) { errors { code field message } } }",
            {"i": {"id": pid, "rules": rules}},
            admin,
        )
        await _wait_for(received, 3)
        assert received[2]["reason"] == "RULES_CHANGED"
        assert received[2]["price"]["net"]["amount"] > before

        # Staff give ACME a markup: the company's terms change, its live prices follow.
        acme = await asyncio.to_thread(
            post, a, '{ companies(search: "acme") { edges { node { id } } } }', None, admin
        )
        acme_id = acme["companies"]["edges"][0]["node"]["id"]
        before = received[2]["price"]["net"]["amount"]
        await asyncio.to_thread(
            post,
            a,
            "mutation($i: CompanyUpdateInput!) { companyUpdate(input: $i) { errors { code } } }",
            {"i": {"id": acme_id, "markupPercent": "20"}},
            admin,
        )
        await _wait_for(received, 4)
        assert received[3]["reason"] == "TERMS_CHANGED"
        assert received[3]["price"]["net"]["amount"] > before
        await asyncio.wait_for(task, 5)


async def test_live_price_of_another_company_is_not_found(database_url, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as a:
        acme = await asyncio.to_thread(login, a, "acme")
        globex = await asyncio.to_thread(login, a, "globex")
        products = await asyncio.to_thread(
            post, a, '{ products(search: "leaflet") { edges { node { id } } } }'
        )
        pid = products["products"]["edges"][0]["node"]["id"]
        created = await asyncio.to_thread(
            post,
            a,
            "mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) { configuration { id } } }",
            {"i": {"productId": pid}},
            acme,
        )
        config_id = created["configurationCreate"]["configuration"]["id"]
        received: list[dict[str, Any]] = []
        with pytest.raises(Exception, match="not found"):
            await asyncio.wait_for(_collect(ws_client(a, globex), config_id, received, 1), 10)
        assert received == []
