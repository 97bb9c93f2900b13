"""API keys on websockets (graphql-transport-ws against a live server): a key is accepted in
the connection_init payload, as user tokens are, or as the upgrade request's
`Authorization: Bearer` header; it subscribes with its owner's tenant and its own rights and
scopes, and an unknown or revoked key is refused."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from tests.api.test_api_keys import CREATE
from tests.api.test_live_price import SECRET, login, post
from tests.api.test_order_events import collect, place_leaflet_order, seeded, wait_for, ws
from tests.live_server import live_server

ORDERS = gql(
    """subscription($after: Int) { orderStatusChanged(after: $after) { status order { number } } }"""
)
CANCEL = """mutation($id: ID!) { orderCancel(id: $id, reason: "Changed plans") {
  order { status } errors { code message } } }"""
REVOKE = "mutation($id: ID!) { apiKeyRevoke(id: $id) { errors { code } } }"

__all__ = ["seeded"]


def make_key(base: str, token: str, name: str, **fields: Any) -> dict[str, Any]:
    made = post(base, CREATE, {"i": {"name": name, **fields}}, token)["apiKeyCreate"]
    assert made["errors"] == [], made
    return dict(made)


def ws_with_header(base: str, key: str) -> Client:
    """No connection_init payload: the key travels as the upgrade request's header."""
    transport = WebsocketsTransport(
        url=base.replace("http", "ws") + "/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        headers={"Authorization": f"Bearer {key}"},
    )
    return Client(transport=transport, fetch_schema_from_transport=False)


async def test_api_keys_subscribe_with_their_rights_and_tenant(
    database_url, seeded, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        acme, boss, globex, admin = [
            await asyncio.to_thread(login, base, who)
            for who in ("acme", "boss.acme", "globex", "admin@shop.example")
        ]
        acme_key = (
            await asyncio.to_thread(make_key, base, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"])
        )["secret"]
        globex_key = (
            await asyncio.to_thread(make_key, base, globex, "ERP", rights=["VIEW_COMPANY_ORDERS"])
        )["secret"]
        catalog_only = await asyncio.to_thread(
            make_key, base, admin, "PIM", scopes=["READ_CATALOG"]
        )
        by_payload: list[dict[str, Any]] = []
        by_header: list[dict[str, Any]] = []
        strangers: list[dict[str, Any]] = []
        tasks = [
            asyncio.create_task(
                collect(ws(base, acme_key), ORDERS, by_payload, "orderStatusChanged")
            ),
            asyncio.create_task(
                collect(ws_with_header(base, acme_key), ORDERS, by_header, "orderStatusChanged")
            ),
            asyncio.create_task(
                collect(ws(base, globex_key), ORDERS, strangers, "orderStatusChanged")
            ),
        ]
        try:
            await asyncio.sleep(1.0)
            order = await asyncio.to_thread(place_leaflet_order, base, boss, "ws-key-1")
            cancelled = await asyncio.to_thread(post, base, CANCEL, {"id": order["id"]}, boss)
            assert cancelled["orderCancel"]["errors"] == []
            for task in tasks:
                assert not task.done() or task.result() is None, task.exception()
            await wait_for(lambda: any(e["status"] == "CANCELLED" for e in by_payload), 20)
            await wait_for(lambda: any(e["status"] == "CANCELLED" for e in by_header), 20)
            await asyncio.sleep(0.5)
            assert {e["order"]["number"] for e in by_payload + by_header} == {order["number"]}
            assert strangers == []  # another company's key sees nothing of acme's
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        # A key's scopes hold on websockets too: a catalog key may not watch orders.
        with pytest.raises(TransportQueryError) as refused:
            async with asyncio.timeout(20):
                await collect(ws(base, catalog_only["secret"]), ORDERS, [], "orderStatusChanged")
        assert "may not call orderStatusChanged" in str(refused.value)

        # An unknown key, and a revoked one, are refused at connection_init.
        revoked = await asyncio.to_thread(
            post, base, REVOKE, {"id": catalog_only["apiKey"]["id"]}, admin
        )
        assert revoked["apiKeyRevoke"]["errors"] == []
        for key in (catalog_only["secret"], acme_key[:-4] + "xxxx"):
            for client in (ws(base, key), ws_with_header(base, key)):
                with pytest.raises(Exception) as rejected:
                    async with asyncio.timeout(20):
                        await collect(client, ORDERS, [], "orderStatusChanged")
                assert not isinstance(rejected.value, TransportQueryError)


async def test_revoking_a_key_closes_its_open_websocket(database_url, seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The socket outlived its key before: HTTP checks a key per request, a socket only once.
    env = {"PRESSROOM_WS_KEY_RECHECK_S": "0.5"}
    with live_server(database_url, tmp_path, secret=SECRET, extra_env=env) as base:
        acme = await asyncio.to_thread(login, base, "acme")
        made = await asyncio.to_thread(make_key, base, acme, "ERP", rights=["VIEW_COMPANY_ORDERS"])
        kept = await asyncio.to_thread(make_key, base, acme, "BI", rights=["VIEW_COMPANY_ORDERS"])
        watching = asyncio.create_task(
            collect(ws(base, made["secret"]), ORDERS, [], "orderStatusChanged")
        )
        staying = asyncio.create_task(
            collect(ws(base, kept["secret"]), ORDERS, [], "orderStatusChanged")
        )
        try:
            await asyncio.sleep(2.0)  # several re-checks of a valid key: the sockets stay
            assert not watching.done() and not staying.done()
            revoked = await asyncio.to_thread(
                post, base, REVOKE, {"id": made["apiKey"]["id"]}, acme
            )
            assert revoked["apiKeyRevoke"]["errors"] == []
            with pytest.raises(Exception) as closed:
                async with asyncio.timeout(15):
                    await watching
            assert _close_code(closed.value) == 4403
            assert not staying.done()  # the other key's socket is not touched
        finally:
            for task in (watching, staying):
                task.cancel()
            await asyncio.gather(watching, staying, return_exceptions=True)


def _close_code(exc: BaseException | None) -> int | None:
    """The close code the server sent, from websockets' ConnectionClosed under gql's error."""
    while exc is not None:
        received = getattr(exc, "rcvd", None)
        if received is not None:
            return int(received.code)
        exc = exc.__cause__ or exc.__context__
    return None
