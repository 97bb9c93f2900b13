"""The read caches through the real app (ASGI, real PostgreSQL, the app's own listener): a
cached viewer never outlives a revoked session, a deactivated user or a removed right; the
catalog response cache answers repeated catalog reads without SQL, per price context, never for
staff or mixed queries or errors, and is dropped when products or terms change; price quotes
follow changed rules at once; and a change committed through one server process reaches another
within a short bounded wait."""

from __future__ import annotations

import asyncio
import copy
import time
import types
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.pricing.demo_products import DEMO_PRODUCTS
from domain.shared.read_cache import CACHES
from tests.api.test_statement_counts import counting
from tests.factories import LOGIN, gql, seed
from tests.live_server import live_server

ME = "{ me { __typename ... on PortalUser { login rights } ... on StaffUser { email } } }"
MY_COMPANY = """{ me { ... on PortalUser { company { id
  users { id login } permissionGroups { id name rights } } } } }"""
REVOKE = "mutation($t: String!) { tokenRevoke(refreshToken: $t) { revoked errors { code } } }"
USER_UPDATE = """mutation($i: PortalUserUpdateInput!) {
  portalUserUpdate(input: $i) { user { login } errors { code field } } }"""
GROUP_UPDATE = """mutation($i: PermissionGroupUpdateInput!) {
  permissionGroupUpdate(input: $i) { permissionGroup { rights } errors { code field } } }"""
COMPANY_UPDATE = """mutation($i: CompanyUpdateInput!) {
  companyUpdate(input: $i) { company { contactName markupPercent } errors { code field } } }"""
PRODUCT_UPDATE = """mutation($i: ProductUpdateInput!) {
  productUpdate(input: $i) { product { name } errors { code field message } } }"""
CHANNEL_CREATE = """mutation($i: ChannelCreateInput!) {
  channelCreate(input: $i) { channel { code } errors { code field } } }"""
COMPANY_IDS = "{ companies(first: 10) { edges { node { id code } } } }"

CATALOG = """query Catalog($search: String) {
  products(search: $search, first: 10) { totalCount edges { node { id code name
    currentVersion { version }
    fromPrice(quantity: 500) { net { amount } } } } } }"""
STAFF_VIEW = """{ products(search: "leaflet") { edges { node { code
  currentVersion { priceRules } } } } }"""
CHANNELS = "{ channels { code name } }"
QUOTE = """query($i: PriceQuoteInput!) { priceQuote(input: $i) {
  productVersion { version } price { net { amount } } } }"""

ALL_RIGHTS = [
    "APPROVE_ORDERS",
    "MANAGE_COMPANY",
    "MANAGE_GROUPS",
    "MANAGE_USERS",
    "PLACE_ORDERS",
    "REQUEST_ORDERS",
    "VIEW_COMPANY_ORDERS",
    "VIEW_FINANCES",
]


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    h = {"content-type": "application/json", **(headers or {})}
    if token:
        h["authorization"] = f"Bearer {token}"
    return await client.post("/graphql", json={"query": query, "variables": variables}, headers=h)


async def session_of(client: httpx.AsyncClient, who: str) -> dict[str, str]:
    body = await gql(client, LOGIN, {"login": who, "password": "demo-pass-123"})
    payload = body["data"]["tokenCreate"]
    assert payload["errors"] == []
    return {"access": payload["accessToken"], "refresh": payload["refreshToken"]}


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await post(client, ME, token=token)


# Depends on a table these tests never write: emptied only by the sentinel below.
_SETTLE = CACHES.cache("tests:settle", ["laser_machine"], maxsize=1)


async def settled(app: Any) -> None:
    """Wait until the app's listener has heard every notification committed so far (the
    demo seed's, earlier commands'), so none arrives late and drops what a test caches next.
    Notifications arrive in commit order: once the sentinel is in, all earlier ones are."""
    _SETTLE.put("sentinel", True, _SETTLE.generation)
    assert _SETTLE.get("sentinel"), "the app's listener is not connected"
    async with app.state.engine.begin() as conn:
        await conn.execute(text("SELECT pg_notify('pressroom_cache', 'laser_machine')"))
    deadline = asyncio.get_running_loop().time() + 2
    while len(_SETTLE):
        assert asyncio.get_running_loop().time() < deadline, "the sentinel never arrived"
        await asyncio.sleep(0.005)


async def cached_me(client: httpx.AsyncClient, app: Any, token: str) -> dict[str, Any]:
    """`me` twice; the second must not have read the session (the viewer came from the cache)."""
    await settled(app)
    assert (await me(client, token)).status_code == 200
    with counting(app) as statements:
        resp = await me(client, token)
    assert resp.status_code == 200, resp.text
    assert not [s for s in statements if "auth_session" in s], statements
    return dict(resp.json()["data"]["me"])


def catalog_stats() -> dict[str, int]:
    return CACHES.stats()["catalog_response"]


def product_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM product" in s]


async def catalog(
    client: httpx.AsyncClient, token: str | None = None, search: str = "leaflet"
) -> dict[str, Any]:
    return (await gql(client, CATALOG, {"search": search}, token=token))["data"]["products"]


def leaflet_price(page: dict[str, Any]) -> int:
    node = next(e["node"] for e in page["edges"] if e["node"]["code"] == "leaflet")
    return int(node["fromPrice"]["net"]["amount"])


async def company_ids(client: httpx.AsyncClient, staff: str) -> dict[str, str]:
    edges = (await gql(client, COMPANY_IDS, token=staff))["data"]["companies"]["edges"]
    return {e["node"]["code"]: e["node"]["id"] for e in edges}


def dearer_rules() -> dict[str, Any]:
    rules = copy.deepcopy(DEMO_PRODUCTS["leaflet"]["rules"])
    setup = next(c for c in rules["components"] if c.get("code") == "setup")
    setup["amount"] = "112.00"
    return rules


async def update_product(client: httpx.AsyncClient, staff: str, pid: str, **fields: Any) -> None:
    body = await gql(client, PRODUCT_UPDATE, {"i": {"id": pid, **fields}}, token=staff)
    assert body["data"]["productUpdate"]["errors"] == []


async def update_company(client: httpx.AsyncClient, token: str, cid: str, **fields: Any) -> None:
    body = await gql(client, COMPANY_UPDATE, {"i": {"id": cid, **fields}}, token=token)
    assert body["data"]["companyUpdate"]["errors"] == []


# --- the viewer cache ------------------------------------------------------------------------


async def test_a_revoked_session_fails_at_once_though_its_token_was_cached(
    client, app, demo
) -> None:  # type: ignore[no-untyped-def]
    boss = await session_of(client, "boss.acme")
    other = await session_of(client, "boss.acme")
    assert (await cached_me(client, app, boss["access"]))["login"] == "boss.acme"
    await cached_me(client, app, other["access"])
    revoked = await gql(client, REVOKE, {"t": boss["refresh"]})
    assert revoked["data"]["tokenRevoke"] == {"revoked": True, "errors": []}
    resp = await me(client, boss["access"])
    assert resp.status_code == 401, resp.text
    # Another session of the same user stays valid.
    assert (await me(client, other["access"])).json()["data"]["me"]["login"] == "boss.acme"


async def test_a_cached_token_still_expires(client, app, demo, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from domain.accounts import auth

    boss = (await session_of(client, "boss.acme"))["access"]
    await cached_me(client, app, boss)
    later = time.time() + settings.access_token_ttl_s + 60
    monkeypatch.setattr(auth, "time", types.SimpleNamespace(time=lambda: later))
    assert (await me(client, boss)).status_code == 401


async def test_a_deactivated_user_is_refused_on_the_very_next_request(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    acme = (await session_of(client, "acme"))["access"]
    buyer = (await session_of(client, "buyer.acme"))["access"]
    await cached_me(client, app, buyer)
    users = (await gql(client, MY_COMPANY, token=acme))["data"]["me"]["company"]["users"]
    buyer_id = next(u["id"] for u in users if u["login"] == "buyer.acme")
    body = await gql(client, USER_UPDATE, {"i": {"id": buyer_id, "isActive": False}}, token=acme)
    assert body["data"]["portalUserUpdate"]["errors"] == []
    assert (await me(client, buyer)).status_code == 401


async def test_a_company_closed_to_the_portal_locks_its_users_out_at_once(
    client, app, demo
) -> None:  # type: ignore[no-untyped-def]
    admin = (await session_of(client, "admin@shop.example"))["access"]
    globex = (await session_of(client, "globex"))["access"]
    await cached_me(client, app, globex)
    await update_company(
        client, admin, (await company_ids(client, admin))["globex"], portalEnabled=False
    )
    assert (await me(client, globex)).status_code == 401


async def test_a_removed_right_is_gone_on_the_very_next_request(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    acme = (await session_of(client, "acme"))["access"]
    company = (await gql(client, MY_COMPANY, token=acme))["data"]["me"]["company"]
    await update_company(client, acme, company["id"], contactName="Alice A.")
    assert (await cached_me(client, app, acme))["rights"] == ALL_RIGHTS

    admins = next(g for g in company["permissionGroups"] if "MANAGE_COMPANY" in g["rights"])
    fewer = [r for r in ALL_RIGHTS if r != "MANAGE_COMPANY"]
    body = await gql(client, GROUP_UPDATE, {"i": {"id": admins["id"], "rights": fewer}}, token=acme)
    assert body["data"]["permissionGroupUpdate"]["errors"] == []

    assert (await me(client, acme)).json()["data"]["me"]["rights"] == fewer
    refused = await gql(
        client, COMPANY_UPDATE, {"i": {"id": company["id"], "contactName": "X"}}, token=acme
    )
    assert refused["data"]["companyUpdate"]["errors"] == [
        {"code": "PERMISSION_DENIED", "field": None}
    ]


async def test_a_changed_group_membership_is_seen_on_the_very_next_request(
    client, app, demo
) -> None:  # type: ignore[no-untyped-def]
    acme = (await session_of(client, "acme"))["access"]
    buyer = (await session_of(client, "buyer.acme"))["access"]
    assert (await cached_me(client, app, buyer))["rights"] == ["REQUEST_ORDERS"]
    company = (await gql(client, MY_COMPANY, token=acme))["data"]["me"]["company"]
    buyer_id = next(u["id"] for u in company["users"] if u["login"] == "buyer.acme")
    managers = next(g for g in company["permissionGroups"] if g["name"] == "Managers")
    body = await gql(
        client, USER_UPDATE, {"i": {"id": buyer_id, "groupIds": [managers["id"]]}}, token=acme
    )
    assert body["data"]["portalUserUpdate"]["errors"] == []
    assert (await me(client, buyer)).json()["data"]["me"]["rights"] == managers["rights"]


# --- the catalog response cache --------------------------------------------------------------


async def test_a_repeated_catalog_query_is_answered_without_sql(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    globex = (await session_of(client, "globex"))["access"]
    await settled(app)
    for token in (None, globex):
        first = await post(client, CATALOG, {"search": "leaflet"}, token)
        with counting(app) as statements:
            second = await post(client, CATALOG, {"search": "leaflet"}, token)
        assert second.status_code == 200
        assert second.content == first.content
        assert statements == []
        # Other variables are another answer.
        other = await post(client, CATALOG, {"search": "business"}, token)
        assert other.content != first.content


async def test_the_same_cold_page_asked_at_once_renders_once(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    globex = (await session_of(client, "globex"))["access"]
    await settled(app)
    await post(client, CHANNELS, token=globex)  # the viewer is cached: only the page is cold
    with counting(app) as alone:
        first = await post(client, CATALOG, {"search": "business"}, globex)
    CACHES.cache("catalog_response", ()).clear()
    with counting(app) as together:
        answers = await asyncio.gather(
            *(post(client, CATALOG, {"search": "business"}, globex) for _ in range(8))
        )
    assert all(a.status_code == 200 and a.content == first.content for a in answers)
    # One rendering for all eight (the statements of one cold page), not eight.
    assert len(product_reads(together)) == len(product_reads(alone)) > 0
    assert len(together) <= len(alone)  # (channel and price terms are cached by now)
    ids = {a.headers["x-request-id"] for a in answers}
    assert len(ids) == 8  # each answer still carries its own request id


async def test_companies_never_get_each_others_prices(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    acme = (await session_of(client, "acme"))["access"]
    boss = (await session_of(client, "boss.acme"))["access"]
    globex = (await session_of(client, "globex"))["access"]
    jdoe = (await session_of(client, "jdoe"))["access"]
    await cached_me(client, app, boss)

    anonymous_price = leaflet_price(await catalog(client))
    acme_price = leaflet_price(await catalog(client, acme))
    globex_price = leaflet_price(await catalog(client, globex))
    # ACME's trade discount and Globex's markup: three different prices for one document.
    assert acme_price < anonymous_price < globex_price
    assert leaflet_price(await catalog(client, jdoe)) == anonymous_price
    for _ in range(2):
        assert leaflet_price(await catalog(client)) == anonymous_price
        assert leaflet_price(await catalog(client, globex)) == globex_price
        assert leaflet_price(await catalog(client, acme)) == acme_price
    # A colleague at ACME is served ACME's cached page.
    with counting(app) as statements:
        assert leaflet_price(await catalog(client, boss)) == acme_price
    assert statements == []


async def test_staff_are_never_served_from_the_cache(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    admin = (await session_of(client, "admin@shop.example"))["access"]

    async def rules(token: str | None) -> Any:
        body = await gql(client, STAFF_VIEW, token=token)
        return body["data"]["products"]["edges"][0]["node"]["currentVersion"]["priceRules"]

    assert await rules(admin) is not None
    assert await rules(None) is None
    assert await rules(None) is None  # now cached for anonymous visitors
    before = catalog_stats()
    with counting(app) as statements:
        assert await rules(admin) is not None
    assert product_reads(statements)
    assert catalog_stats()["hits"] == before["hits"]


async def test_a_product_change_shows_on_the_next_catalog_query(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    admin = (await session_of(client, "admin@shop.example"))["access"]
    acme = (await session_of(client, "acme"))["access"]
    before = {token: await catalog(client, token) for token in (None, acme)}
    for token, page in before.items():
        assert await catalog(client, token) == page  # cached
    pid = next(e["node"]["id"] for e in before[None]["edges"] if e["node"]["code"] == "leaflet")

    await update_product(client, admin, pid, name="Leaflet Deluxe", rules=dearer_rules())

    for token, page in before.items():
        after = await catalog(client, token)
        node = next(e["node"] for e in after["edges"] if e["node"]["code"] == "leaflet")
        assert node["name"] == "Leaflet Deluxe"
        assert node["currentVersion"]["version"] == 2
        assert leaflet_price(after) > leaflet_price(page)

    await update_product(client, admin, pid, isActive=False)
    assert await catalog(client) == {"totalCount": 0, "edges": []}


async def test_a_company_markup_change_shows_on_the_next_catalog_query(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    admin = (await session_of(client, "admin@shop.example"))["access"]
    acme = (await session_of(client, "acme"))["access"]
    globex = (await session_of(client, "globex"))["access"]
    acme_price = leaflet_price(await catalog(client, acme))
    globex_price = leaflet_price(await catalog(client, globex))
    assert leaflet_price(await catalog(client, globex)) == globex_price  # cached

    await update_company(
        client, admin, (await company_ids(client, admin))["globex"], markupPercent="30"
    )

    assert leaflet_price(await catalog(client, globex)) > globex_price
    assert leaflet_price(await catalog(client, acme)) == acme_price


async def test_a_new_channel_shows_in_the_next_channels_query(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    admin = (await session_of(client, "admin@shop.example"))["access"]
    before = (await gql(client, CHANNELS))["data"]["channels"]
    assert (await gql(client, CHANNELS))["data"]["channels"] == before
    body = await gql(client, CHANNEL_CREATE, {"i": {"code": "zz", "name": "Z"}}, token=admin)
    assert body["data"]["channelCreate"]["errors"] == []
    after = (await gql(client, CHANNELS))["data"]["channels"]
    assert after == [*before, {"code": "zz", "name": "Z"}]


async def test_a_change_made_outside_the_app_arrives_by_notification(
    client, app, demo, engine
) -> None:  # type: ignore[no-untyped-def]
    globex = (await session_of(client, "globex"))["access"]
    acme = (await session_of(client, "acme"))["access"]
    everyone = [
        {"code": "main", "name": "Pressroom Print Shop"},
        {"code": "trade", "name": "Trade Portal"},
    ]
    for token in (None, globex, acme):
        assert (await gql(client, CHANNELS, token=token))["data"]["channels"] == everyone

    # The trade portal becomes Globex's own (no unit of work in this process knows).
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE channel SET company_ids = ARRAY[company.id] FROM company "
                "WHERE channel.code = 'trade' AND company.code = 'globex'"
            )
        )

    async def channels(token: str | None) -> list[str]:
        return [c["code"] for c in (await gql(client, CHANNELS, token=token))["data"]["channels"]]

    deadline = asyncio.get_running_loop().time() + 2
    while await channels(None) != ["main"]:
        assert asyncio.get_running_loop().time() < deadline, "the notification never came"
        await asyncio.sleep(0.02)
    assert await channels(globex) == ["main", "trade"]
    assert await channels(acme) == ["main"]


async def test_a_query_mixing_catalog_and_other_root_fields_is_not_cached(
    client, app, demo
) -> None:  # type: ignore[no-untyped-def]
    acme = (await session_of(client, "acme"))["access"]
    await settled(app)
    mixed = '{ me { __typename } products(search: "leaflet") { totalCount } }'
    for token in (None, acme):
        await gql(client, mixed, token=token)
        before = catalog_stats()
        with counting(app) as statements:
            await gql(client, mixed, token=token)
        assert product_reads(statements)
        assert catalog_stats()["hits"] == before["hits"]
    # Each half alone is cacheable; only the mix is not.
    fragment = 'query { ...Q } fragment Q on Query { products(search: "leaflet") { totalCount } }'
    await gql(client, fragment)
    with counting(app) as statements:
        await gql(client, fragment)
    assert statements == []


async def test_a_response_with_errors_is_not_cached(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    failing = """{ ok: products(search: "leaflet") { totalCount }
      bad: products(first: -1) { totalCount } }"""
    for _ in range(2):
        before = catalog_stats()
        resp = await post(client, failing)
        # Executed (status 200, so only its errors keep it out of the cache), not refused.
        assert resp.status_code == 200 and resp.json()["errors"], resp.text
        assert catalog_stats()["hits"] == before["hits"]
        assert catalog_stats()["size"] == before["size"]


async def test_a_cached_answer_carries_the_requests_own_id_and_format(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    await settled(app)
    variables = {"search": "leaflet"}
    first = await post(client, CATALOG, variables, headers={"x-request-id": "first-request"})
    assert first.headers.get_list("x-request-id") == ["first-request"]
    before = catalog_stats()
    second = await post(client, CATALOG, variables, headers={"x-request-id": "second-request"})
    assert catalog_stats()["hits"] == before["hits"] + 1
    assert second.content == first.content
    assert second.headers.get_list("x-request-id") == ["second-request"]
    third = await post(client, CATALOG, variables)
    generated = third.headers.get_list("x-request-id")
    assert len(generated) == 1 and generated[0] not in ("first-request", "second-request")

    # The GraphQL-over-HTTP media type is asked for separately and answered in it.
    accept = {"accept": "application/graphql-response+json"}
    for _ in range(2):
        resp = await post(client, CATALOG, variables, headers=accept)
        assert resp.headers["content-type"].startswith("application/graphql-response+json")
    plain = await post(client, CATALOG, variables)
    assert plain.headers["content-type"].startswith("application/json")


# --- price quotes ----------------------------------------------------------------------------


async def test_a_price_quote_follows_changed_rules_and_terms_at_once(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    admin = (await session_of(client, "admin@shop.example"))["access"]
    globex = (await session_of(client, "globex"))["access"]
    page = await catalog(client)
    pid = next(e["node"]["id"] for e in page["edges"] if e["node"]["code"] == "leaflet")
    quote_input = {"i": {"productId": pid, "configuration": {"size": "a5"}, "quantity": 500}}

    async def quote(token: str | None) -> dict[str, Any]:
        return (await gql(client, QUOTE, quote_input, token=token))["data"]["priceQuote"]

    first = {token: await quote(token) for token in (None, globex)}
    for token, q in first.items():
        assert await quote(token) == q and q["productVersion"]["version"] == 1

    await update_product(client, admin, pid, rules=dearer_rules())
    second = {}
    for token, q in first.items():
        second[token] = await quote(token)
        assert second[token]["productVersion"]["version"] == 2
        assert second[token]["price"]["net"]["amount"] > q["price"]["net"]["amount"]

    await update_company(
        client, admin, (await company_ids(client, admin))["globex"], markupPercent="30"
    )
    assert (await quote(globex))["price"]["net"]["amount"] > second[globex]["price"]["net"][
        "amount"
    ]
    assert await quote(None) == second[None]

    await update_product(client, admin, pid, isActive=False)
    assert await quote(None) is None


# --- cached rows must not share the fate of the request that read them ----------------------

PRODUCT_IDS = '{ products(search: "leaflet") { edges { node { id code } } } }'


async def test_a_failed_mutation_after_a_login_leaves_me_working(client, app, demo) -> None:  # type: ignore[no-untyped-def]
    """`me` in tokenCreate's payload caches the user's row while it still belongs to the
    request's session; a later mutation of the same request fails and rolls back."""
    admin = (await session_of(client, "admin@shop.example"))["access"]
    acme_id = (await company_ids(client, admin))["acme"]
    await settled(app)
    body = await gql(
        client,
        """mutation($cid: ID!) {
          tokenCreate(input: {login: "acme", password: "demo-pass-123"}) {
            accessToken me { ... on PortalUser { login } } }
          companyUpdate(input: {id: $cid, contactEmail: "no address"}) { errors { code } } }""",
        {"cid": acme_id},
    )
    assert body["data"]["companyUpdate"]["errors"] == [{"code": "INVALID_EMAIL"}]
    resp = await me(client, body["data"]["tokenCreate"]["accessToken"])
    assert resp.status_code == 200 and "errors" not in resp.json(), resp.text
    assert resp.json()["data"]["me"]["login"] == "acme"


async def test_a_failed_mutation_after_a_price_read_leaves_prices_working(
    client, app, demo
) -> None:  # type: ignore[no-untyped-def]
    """An anonymous request: a price in the first mutation's payload caches the channel's row
    while it still belongs to the request's session; the second mutation fails and rolls back.
    Every later price read in the process must still work."""
    edges = (await gql(client, PRODUCT_IDS))["data"]["products"]["edges"]
    pid = next(e["node"]["id"] for e in edges if e["node"]["code"] == "leaflet")
    await settled(app)
    body = await gql(
        client,
        """mutation($pid: ID!) {
          a: configurationCreate(input: {productId: $pid}) { configuration { product {
               fromPrice(channel: "main") { valid } } } errors { code } }
          b: configurationCreate(input: {productId: $pid, channel: "nope"}) { errors { code } } }""",
        {"pid": pid},
    )
    assert body["data"]["b"]["errors"] == [{"code": "NOT_FOUND"}]
    quote = await post(client, QUOTE, {"i": {"productId": pid, "channel": "main"}})
    assert "errors" not in quote.json(), quote.text
    assert quote.json()["data"]["priceQuote"]["price"]["net"]["amount"] > 0
    await catalog(client)  # fails the test on errors


# --- across processes ------------------------------------------------------------------------

SECRET = "read-cache-test-secret-" + "z" * 40
FRESH_WITHIN_S = 2.0


@pytest.fixture
async def seeded(engine: AsyncEngine, clean_db: None) -> AsyncIterator[None]:
    from adapters.db import SqlUnitOfWork, session_factory

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed(uow)
    finally:
        await uow.close()
    yield


class Server:
    def __init__(self, http: httpx.AsyncClient, base: str) -> None:
        self.http, self.base = http, base

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return await self.http.post(
            f"{self.base}/graphql", json={"query": query, "variables": variables}, headers=headers
        )

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        resp = await self.post(query, variables, token)
        body = resp.json()
        assert resp.status_code == 200 and "errors" not in body, body
        return dict(body["data"])

    async def session(self, who: str) -> dict[str, str]:
        payload = (await self.data(LOGIN, {"login": who, "password": "demo-pass-123"}))[
            "tokenCreate"
        ]
        assert payload["errors"] == []
        return {"access": payload["accessToken"], "refresh": payload["refreshToken"]}

    async def leaflet(self, token: str | None = None) -> dict[str, Any]:
        page = (await self.data(CATALOG, {"search": "leaflet"}, token))["products"]
        return dict(next(e["node"] for e in page["edges"] if e["node"]["code"] == "leaflet"))


async def commit_without_notifying(
    engine: AsyncEngine, table: str, statement: str, params: dict[str, Any] | None = None
) -> None:
    """A change no cache hears of (its table's trigger off for this one transaction): what a
    process then still answers comes from its cache."""
    async with engine.begin() as conn:
        await conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_cache_notify"))
        await conn.execute(text(statement), params or {})
        await conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_cache_notify"))


async def within_bound(check: Any) -> float:
    """Seconds until `await check()` is true; fails after FRESH_WITHIN_S."""
    start = time.monotonic()
    while not await check():
        assert time.monotonic() - start < FRESH_WITHIN_S, "the other process never caught up"
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def test_changes_through_one_process_reach_the_others_caches(
    database_url: str, seeded: None, engine: AsyncEngine, tmp_path: Path
) -> None:
    with (
        live_server(database_url, tmp_path, secret=SECRET) as base_a,
        live_server(database_url, tmp_path, secret=SECRET) as base_b,
    ):
        async with httpx.AsyncClient(timeout=10) as http:
            a, b = Server(http, base_a), Server(http, base_b)
            admin = (await a.session("admin@shop.example"))["access"]
            globex = (await a.session("globex"))["access"]

            # The catalog page: cached in B (a change B cannot hear of is not seen there)...
            leaflet = await b.leaflet()
            assert await b.leaflet() == leaflet
            await commit_without_notifying(
                engine, "product", "UPDATE product SET name = 'Unheard' WHERE code = 'leaflet'"
            )
            assert await b.leaflet() == leaflet
            # ...and a product update through A reaches it.
            body = await a.data(
                PRODUCT_UPDATE, {"i": {"id": leaflet["id"], "name": "Leaflet from A"}}, admin
            )
            assert body["productUpdate"]["errors"] == []

            async def renamed() -> bool:
                return (await b.leaflet())["name"] == "Leaflet from A"

            await within_bound(renamed)

            # A company's terms changed through A: B's cached page for that company follows.
            price = (await b.leaflet(globex))["fromPrice"]["net"]["amount"]
            assert (await b.leaflet(globex))["fromPrice"]["net"]["amount"] == price
            edges = (await a.data(COMPANY_IDS, token=admin))["companies"]["edges"]
            globex_id = next(e["node"]["id"] for e in edges if e["node"]["code"] == "globex")
            body = await a.data(
                COMPANY_UPDATE, {"i": {"id": globex_id, "markupPercent": "40"}}, admin
            )
            assert body["companyUpdate"]["errors"] == []

            async def repriced() -> bool:
                return bool((await b.leaflet(globex))["fromPrice"]["net"]["amount"] > price)

            await within_bound(repriced)

            # The viewer: B caches a verified token (a revocation B cannot hear of is not seen)...
            unheard = await a.session("boss.acme")
            revoked = await a.session("boss.acme")
            for session in (unheard, revoked, unheard, revoked):
                assert (await b.post(ME, token=session["access"])).status_code == 200
            await commit_without_notifying(
                engine,
                "auth_session",
                "UPDATE auth_session SET revoked_at = now() WHERE id = :sid",
                {"sid": jwt.decode(unheard["access"], options={"verify_signature": False})["sid"]},
            )
            assert (await b.post(ME, token=unheard["access"])).status_code == 200
            # ...and a logout through A ends the session in B too.
            body = await a.data(REVOKE, {"t": revoked["refresh"]})
            assert body["tokenRevoke"]["revoked"] is True

            async def refused() -> bool:
                return (await b.post(ME, token=revoked["access"])).status_code == 401

            await within_bound(refused)
            assert (await b.post(ME, token=unheard["access"])).status_code == 401
