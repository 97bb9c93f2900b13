"""A long-lived subscription does not gain memory with every event (issue #11).

graphql-core makes each event's executor as a shallow copy of the subscription's, sharing its
memo of collected subfields; the memo is keyed by the identity of field lists that each event
collects anew, so it grew by an entry per nested selection and event for as long as the
subscription lived: the steady growth of the 30-minute soak's worker, whose 50 websocket
subscribers received ~60 events a second. The server's executor (schema/fast_fields.py) gives
each event its own memo.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
from collections.abc import AsyncIterator
from typing import Any

from graphql import build_schema, parse, subscribe
from graphql.execution.collect_fields import CollectedFields

from schema.fast_fields import FastLeafExecutor

SDL = """
type Query { ping: String }
type Order { id: ID! status: String! lines: [Line!]! }
type Line { position: Int! title: String! }
type Event { eventId: Int! order: Order! }
type Subscription { orderStatusChanged: Event! }
"""
DOCUMENT = parse(
    "subscription { orderStatusChanged { eventId order { id status lines { position title } } } }"
)


def _collected_fields() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, CollectedFields))


async def _counts_while_subscribed(events: int, at: tuple[int, ...]) -> list[int]:
    """Run one subscription over `events` events; count the collected-field objects alive
    after each event number in `at`, while the subscription is still open."""

    async def source(_root: Any, _info: Any) -> AsyncIterator[dict[str, Any]]:
        for n in range(events):
            yield {
                "orderStatusChanged": {
                    "eventId": n,
                    "order": {
                        "id": str(n),
                        "status": "RELEASED",
                        "lines": [{"position": 1, "title": "Leaflet"}],
                    },
                }
            }

    schema = build_schema(SDL)
    schema.subscription_type.fields["orderStatusChanged"].subscribe = source  # type: ignore[union-attr]
    stream: Any = subscribe(schema, DOCUMENT, executor_class=FastLeafExecutor)  # type: ignore[arg-type]
    if inspect.isawaitable(stream):
        stream = await stream
    counts = []
    received = 0
    async for result in stream:
        assert result.errors is None, result.errors
        received += 1
        if received in at:
            counts.append(_collected_fields())
    assert received == events
    return counts


def test_a_subscription_keeps_no_state_per_event() -> None:
    after_10, after_300 = asyncio.run(_counts_while_subscribed(301, (10, 300)))
    assert after_300 <= after_10 + 2, (after_10, after_300)
