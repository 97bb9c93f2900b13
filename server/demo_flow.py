"""Watch an order go through the shop, live, with a real graphql-ws client (gql).

Against a running demo server (`make run`), in another terminal:

    .venv/bin/python -m server.demo_flow --url http://127.0.0.1:8000

buyer.acme (REQUEST_ORDERS only) proposes a leaflet order, boss.acme approves it, the shop's
maker completes every task, and boss.acme's subscriptions print each step as it happens.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid
from typing import Any

import httpx
from gql import Client, GraphQLRequest, gql
from gql.transport.websockets import WebsocketsTransport

PASSWORD = "demo-pass-123"


class Api:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.http = httpx.AsyncClient(base_url=self.base, timeout=30)

    async def call(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = (
            await self.http.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
        ).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return dict(body["data"])

    async def login(self, who: str) -> str:
        data = await self.call(
            "mutation($l: String!, $p: String!) { tokenCreate(input: {login: $l, password: $p}) { accessToken errors { message } } }",
            {"l": who, "p": PASSWORD},
        )
        return str(data["tokenCreate"]["accessToken"])


def _ws(base: str, token: str) -> Client:
    transport = WebsocketsTransport(
        url=base.replace("http", "ws", 1).rstrip("/") + "/graphql",
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"authorization": f"Bearer {token}"},
    )
    return Client(transport=transport, fetch_schema_from_transport=False)


async def _watch(base: str, token: str, query: str, key: str, done: asyncio.Event) -> None:
    async with _ws(base, token) as session:
        async for result in session.subscribe(GraphQLRequest(gql(query))):
            event = result[key]
            subject = event.get("order") or event.get("job") or {}
            print(
                f"  [{key} #{event['eventId']}] {subject.get('number')}: {event['status']}",
                flush=True,
            )
            if key == "orderStatusChanged" and event["status"] == "COMPLETED":
                done.set()


async def run(base: str) -> None:
    api = Api(base)
    buyer, boss, maker = [
        await api.login(w) for w in ("buyer.acme", "boss.acme", "maker@shop.example")
    ]
    done = asyncio.Event()
    watchers = [
        asyncio.create_task(
            _watch(
                base,
                boss,
                "subscription { orderStatusChanged { eventId status order { number } } }",
                "orderStatusChanged",
                done,
            )
        ),
        asyncio.create_task(
            _watch(
                base,
                boss,
                "subscription { jobStatusChanged { eventId status job { number } } }",
                "jobStatusChanged",
                done,
            )
        ),
    ]
    await asyncio.sleep(0.5)
    pid = (await api.call('{ products(search: "leaflet") { edges { node { id } } } }'))["products"][
        "edges"
    ][0]["node"]["id"]
    cfg = await api.call(
        "mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) { configuration { id } price { gross { formatted } } } }",
        {"i": {"productId": pid, "values": {"size": "a5"}, "quantity": 500}},
        buyer,
    )
    print(
        "buyer.acme configures 500 A5 leaflets:",
        cfg["configurationCreate"]["price"]["gross"]["formatted"],
    )
    await api.call(
        "mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) { errors { message } } }",
        {
            "i": {
                "configurationId": cfg["configurationCreate"]["configuration"]["id"],
                "quantity": 500,
            }
        },
        buyer,
    )
    placed = await api.call(
        "mutation($i: OrderPlaceInput!) { orderPlace(input: $i) { order { id number status } errors { message } } }",
        {"i": {"idempotencyKey": str(uuid.uuid4()), "customerReference": "demo"}},
        buyer,
    )
    order = placed["orderPlace"]["order"]
    print(f"buyer.acme proposes {order['number']} ({order['status']})")
    await asyncio.sleep(0.5)
    approved = await api.call(
        "mutation($id: ID!) { orderApprove(id: $id) { order { status jobs { tasks { id name } } } errors { message } } }",
        {"id": order["id"]},
        boss,
    )
    print("boss.acme approves:", approved["orderApprove"]["order"]["status"])
    for task in approved["orderApprove"]["order"]["jobs"][0]["tasks"]:
        await asyncio.sleep(0.5)
        await api.call(
            "mutation($id: ID!) { taskComplete(id: $id) { errors { message } } }",
            {"id": task["id"]},
            maker,
        )
        print(f"maker@shop.example completes {task['name']}")
    await asyncio.wait_for(done.wait(), 30)
    await asyncio.sleep(0.5)  # let the job stream print its last step too
    for w in watchers:
        w.cancel()
    await asyncio.gather(*watchers, return_exceptions=True)
    await api.http.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    url = parser.parse_args().url
    try:
        asyncio.run(run(url))
    except (httpx.ConnectError, OSError) as exc:
        # The usual first mistake: the demo talks to a running server, it starts none.
        raise SystemExit(
            f"No Pressroom server answers at {url} ({exc.__class__.__name__}). Start one with "
            "`make run` in another terminal, or pass --url."
        ) from None


if __name__ == "__main__":
    main()
