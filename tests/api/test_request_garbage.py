"""A request's objects are freed by reference counting when it ends, not left to the garbage
collector (issue #11, the 30-minute soak).

A served worker always has requests in flight. Whatever of theirs sits in a reference cycle
when the collector runs survives into an older generation and, once the request is over, stays
in memory until the next full collection, minutes later; under steady load that was tens of
MiB of executors, request contexts, sessions and loaded rows (bench/RESULTS.md). So no object
of the server's own stack may be left in a cycle by a request: checked with the collector
switched off over a mix of reads, orders and errors, then one collection that keeps what it
finds (`gc.DEBUG_SAVEALL`). Objects of the test's own HTTP client are not the server's.
"""

from __future__ import annotations

import collections
import gc
import random
import uuid
from typing import Any

import httpx

from bench import documents as docs
from tests.factories import gql

# Modules whose objects a request creates on the server side.
SERVER_MODULES = (
    "adapters",
    "domain",
    "resolvers",
    "schema",
    "server",
    "graphql",
    "strawberry",
    "starlette",
    "asyncpg",
)


async def _post(client: httpx.AsyncClient, token: str | None, query: str, **variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json=docs.body(query, variables), headers=headers)
    return response.json()


async def _mixed_requests(
    client: httpx.AsyncClient, token: str, leaflet: str, rng: random.Random
) -> None:
    """What a storefront sends: catalog pages (anonymous and logged in), `me`, a price, the
    order list, a configuration, a cart line, an order and its detail, and some errors."""
    await _post(client, None, docs.CATALOG_PAGE, channel="main")
    await _post(client, token, docs.CATALOG_PAGE, channel="main")
    await _post(client, token, docs.ME)
    quote = docs.price_quote_bodies(leaflet, count=1, seed=rng.randint(0, 999))[0]
    await _post(client, token, quote["query"], **quote["variables"])
    await _post(client, token, "{ orders(first: 10) { nodes { id number } } }")
    values = docs.leaflet_configuration(rng)
    created = await _post(
        client,
        token,
        docs.CONFIGURATION_CREATE,
        i={"productId": leaflet, "values": values, "quantity": 250, "channel": "main"},
    )
    configuration = created["data"]["configurationCreate"]["configuration"]["id"]
    added = await _post(
        client, token, docs.CART_LINE_ADD, i={"configurationId": configuration, "quantity": 250}
    )
    line = added["data"]["cartLineAdd"]["cartLine"]["id"]
    placed = await _post(
        client,
        token,
        docs.ORDER_PLACE,
        input={"idempotencyKey": str(uuid.uuid4()), "cartLineIds": [line]},
    )
    order = placed["data"]["orderPlace"]["order"]["id"]
    detail = await _post(client, token, docs.ORDER_DETAIL, id=order)
    assert detail["data"]["node"]["id"] == order
    # Errors: a typed payload error, a refused read, a bad ID, a validation failure.
    failed = await _post(
        client,
        None,
        'mutation($l: String!) { tokenCreate(input: {login: $l, password: "wrong"}) '
        "{ errors { code } } }",
        l="boss.acme",
    )
    assert failed["data"]["tokenCreate"]["errors"]
    assert "errors" in await _post(client, None, "{ orders(first: 1) { nodes { id } } }")
    assert "errors" in await _post(client, token, '{ node(id: "xyz") { id } }')
    assert "errors" in await _post(client, token, "{ nosuchfield }")


async def test_requests_leave_nothing_of_the_server_in_reference_cycles(
    client: httpx.AsyncClient, as_user: Any
) -> None:
    token = await as_user("boss.acme")
    body = await gql(client, '{ products(channel: "main", first: 50) { nodes { id code } } }')
    leaflet = next(n["id"] for n in body["data"]["products"]["nodes"] if "leaflet" in n["code"])
    rng = random.Random(11)
    for _ in range(2):  # warm-up: caches and lazily built state are not garbage
        await _mixed_requests(client, token, leaflet, rng)
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            await _mixed_requests(client, token, leaflet, rng)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    server_side = collections.Counter(
        f"{type(o).__module__}.{type(o).__qualname__}"
        for o in garbage
        if type(o).__module__.split(".")[0] in SERVER_MODULES
    )
    del garbage
    assert not server_side, server_side.most_common(20)
