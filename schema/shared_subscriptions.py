"""One execution per subscription that many subscribers would see identically.

Thousands of websockets (browser tabs, devices, staff dashboards) often hold the same
subscription document with the same variables for the same viewer. Executed per subscriber,
every event costs a database load and a GraphQL execution per socket (bench/RESULTS.md). Here
subscribers with equal (document, operation name, variables, viewer scope) share one upstream
execution: the first one of a key starts the real `Schema.stream`, later ones join its group,
and a pump task hands every result to each member's bounded queue.

A resolver opts in with `share_stream()` once its source stream is registered (e.g. on the
event hub), before it first waits for anything. A subscription that does not (livePrice, which
sends an initial value), or fails before or while starting, keeps its stream to its own
subscriber, exactly as without this module: pre-execution errors (parse, validation, permission
classes) stay per subscriber, as such a group is never published, and whoever was waiting to
join it starts their own.

The group's upstream runs on a context of its own (same viewer and services, its own unit of
work), so it does not depend on the websocket that started it. A member that falls too far
behind is ended with a SUBSCRIBER_TOO_SLOW error (it reconnects with its last event id, as with
the hub's own overflow); when the last member leaves, the upstream is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

import orjson
import strawberry
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from strawberry.types.execution import ExecutionResult, PreExecutionError

from schema.context import Context
from schema.error_frames import ReleasedErrorFrames
from schema.input_errors import QuietInputErrors
from schema.key_scopes import streamed_refusals

logger = logging.getLogger("pressroom.subscriptions")

T = TypeVar("T")

# Documents longer than this are not considered for sharing (they go the usual way, through
# the token limiter), so the look-up parse below is never the expensive part of a request.
_MAX_SHARED_QUERY_CHARS = 20_000
_MAX_SHARED_QUERY_TOKENS = 5_000


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_END = _Sentinel("END")
_TOO_SLOW = _Sentinel("TOO_SLOW")

TOO_SLOW_MESSAGE = (
    "This subscriber fell too far behind and was ended; subscribe again with `after` set to "
    "the last eventId received."
)


def too_slow_result() -> ExecutionResult:
    return ExecutionResult(
        data=None,
        errors=[GraphQLError(TOO_SLOW_MESSAGE, extensions={"code": "SUBSCRIBER_TOO_SLOW"})],
    )


# The group whose upstream is being driven: set in the pump task, so the subscription resolver
# running inside that upstream (and only it) can publish the group with `share_stream()`.
_RUNNING_GROUP: ContextVar[_Group | None] = ContextVar("shared_subscription_group", default=None)


def share_stream(*, replays: bool = False) -> None:
    """Called by a subscription resolver once its source stream is registered, before it first
    waits for anything (later calls are ignored): from here on, every subscriber of the same
    document, variables and viewer scope gets exactly the results this stream produces, so
    later subscribers may join it instead of starting their own.

    `replays`: the stream starts by replaying from a fixed point (`after`), so a joiner must
    first receive everything the group produced (kept up to `history_size` results; beyond
    that, later subscribers start their own); without it, a joiner receives what is produced
    after it joined, which is what a live-only subscriber started at that moment would have
    received. A no-op outside a shared execution."""
    group = _RUNNING_GROUP.get()
    if group is not None:
        group.publish(replays=replays)


@functools.lru_cache(maxsize=256)
def _is_subscription(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query, no_location=True, max_tokens=_MAX_SHARED_QUERY_TOKENS)
    except GraphQLError:
        return False  # the real execution reports it
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return len(operations) == 1 and operations[0].operation is OperationType.SUBSCRIPTION


def share_key(
    context_type: type[Context],
    query: str | None,
    variable_values: dict[str, Any] | None,
    context: object,
    root_value: object,
    operation_name: str | None,
    operation_extensions: dict[str, Any] | None,
) -> Hashable | None:
    """The key of subscribers whose results are identical, or None when this operation is
    not a candidate (not a subscription, not a `context_type`, anything we cannot compare)."""
    if not isinstance(context, context_type) or root_value is not None or operation_extensions:
        return None
    if context.request.scope.get("type") != "websocket":
        # Only the websocket transports always aclose() what they iterate, which is how a
        # member leaves its group; HTTP streaming just stops iterating.
        return None
    if not query or len(query) > _MAX_SHARED_QUERY_CHARS:
        return None
    if not _is_subscription(query, operation_name):
        return None
    try:
        variables = orjson.dumps(variable_values or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return (query, operation_name, variables, context.viewer.scope_key())


class MemberStream:
    """One subscriber of a group, as the async iterator `Schema.stream` returns to it: a bounded
    queue of the group's results. `__anext__` hands out a bare future, not a coroutine: each of
    thousands of subscribers waits on one between events, and whatever waits that long ends up
    in the oldest GC generation, whose full collections are the slowest thing at that scale.
    `aclose()` leaves the group, whether or not iteration ever started."""

    __slots__ = ("_done", "_items", "_limit", "_loop", "_waiter", "ended", "group")

    def __init__(self, group: _Group, limit: int) -> None:
        self.group: _Group | None = group
        self._items: deque[Any] = deque()
        self._limit = limit
        self._loop = asyncio.get_running_loop()
        self._waiter: asyncio.Future[ExecutionResult] | None = None
        self._done = False
        self.ended = False  # nothing more will be queued

    def put(self, item: Any) -> bool:
        """Queues a result; False when this member overflowed (it has been ended)."""
        if self.ended:
            return True
        if len(self._items) >= self._limit:
            self._finish(_TOO_SLOW)
            return False
        self._hand(item)
        return True

    def end(self) -> None:
        if not self.ended:
            self._finish(_END)

    def _finish(self, last: _Sentinel) -> None:
        self.ended = True
        self._hand(last)

    def _hand(self, item: Any) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():  # else its reader was cancelled
            self._resolve(waiter, item)
        else:
            self._items.append(item)

    def _resolve(self, future: asyncio.Future[ExecutionResult], item: Any) -> None:
        if item is _END:
            self._done = True
            future.set_exception(StopAsyncIteration())
        elif item is _TOO_SLOW:
            self._done = True
            future.set_result(too_slow_result())
        else:
            future.set_result(item)

    def __len__(self) -> int:
        return len(self._items)

    def __aiter__(self) -> MemberStream:
        return self

    def __anext__(self) -> asyncio.Future[ExecutionResult]:
        future: asyncio.Future[ExecutionResult] = self._loop.create_future()
        if self._done:
            future.set_exception(StopAsyncIteration())
        elif self._items:
            self._resolve(future, self._items.popleft())
        else:
            self._waiter = future
        return future

    async def aclose(self) -> None:
        self._done = True
        group, self.group = self.group, None
        if group is not None:
            group.leave(self)

    async def asend(self, value: None) -> ExecutionResult:
        return await self.__anext__()

    async def athrow(self, *args: Any) -> ExecutionResult:
        await self.aclose()
        raise StopAsyncIteration


class _Group:
    """The subscribers of one key and the task that feeds them from one upstream."""

    def __init__(self, registry: SubscriptionGroups, key: Hashable, context: Context) -> None:
        self.registry = registry
        self.key = key
        self.context = context
        self.members: set[MemberStream] = set()
        # Resolved once it is known whether others may join: True when the resolver called
        # share_stream(), False when the upstream produced or ended without doing so.
        self.settled: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.history: list[ExecutionResult] | None = None
        self.pump: asyncio.Task[None] | None = None

    def add_member(self) -> MemberStream:
        member = MemberStream(self, self.registry.member_queue_size)
        for result in self.history or ():
            member.put(result)
        self.members.add(member)
        return member

    def publish(self, *, replays: bool) -> None:
        if self.settled.done():
            if not self.settled.result():
                logger.debug("share_stream() after the stream's first wait: not shared")
            return
        self.history = [] if replays else None
        self.settled.set_result(True)

    def _unpublish(self) -> None:
        if self.registry.groups.get(self.key) is self:
            del self.registry.groups[self.key]
        if not self.settled.done():
            self.settled.set_result(False)

    def leave(self, member: MemberStream) -> None:
        if member not in self.members:
            return
        self.members.discard(member)
        if not self.members:
            # Nobody left to serve: closing the upstream removes its hub subscription.
            self._unpublish()
            if self.pump is not None and not self.pump.done():
                self.pump.cancel()

    def start(self, upstream: Any) -> None:
        self.pump = asyncio.create_task(self._run(upstream), name="shared-subscription")
        self.registry.pumps.add(self.pump)
        self.pump.add_done_callback(self.registry.pumps.discard)

    async def _run(self, upstream: Any) -> None:
        _RUNNING_GROUP.set(self)  # this task's own context: seen by the resolver it drives
        # Runs once this task first waits: a resolver that has not called share_stream() by
        # then (before waiting for anything) keeps the stream to its founder, and whoever
        # waits to join starts their own.
        asyncio.get_running_loop().call_soon(self._first_wait)
        try:
            async with contextlib.aclosing(upstream):
                async for result in upstream:
                    self._deliver(result)
                    if not self.members:
                        return  # the last ones overflowed
        except asyncio.CancelledError:
            raise
        except Exception:
            # strawberry turns resolver failures into error results; this is a bug around it.
            logger.exception("shared subscription failed")
            self._deliver(ExecutionResult(data=None, errors=[GraphQLError("Internal error.")]))
        finally:
            self._unpublish()
            for member in tuple(self.members):
                member.end()
            self.members.clear()
            with contextlib.suppress(Exception):
                await self.context.uow.close()

    def _first_wait(self) -> None:
        if not self.settled.done():
            self._unpublish()

    def _deliver(self, result: ExecutionResult) -> None:
        if not self.settled.done() or isinstance(result, PreExecutionError):
            # Produced before the resolver published the group (an initial value, or an error
            # before the stream started): this stream is its founder's alone.
            self._unpublish()
        if self.history is not None:
            if len(self.history) < self.registry.history_size:
                self.history.append(result)
            else:  # too long to hand to latecomers: they start a group of their own
                self.history = None
                self._unpublish()
        for member in tuple(self.members):
            if not member.put(result):
                # Ended: it reads what it has, then SUBSCRIBER_TOO_SLOW; the others go on.
                self.members.discard(member)
                logger.warning("a subscriber fell %d results behind; ended", len(member))


class SubscriptionGroups:
    """The shared executions of one schema, by key."""

    def __init__(self, *, member_queue_size: int, history_size: int, join_wait_s: float) -> None:
        self.member_queue_size = member_queue_size
        self.history_size = history_size
        self.join_wait_s = join_wait_s
        self.groups: dict[Hashable, _Group] = {}
        self.pumps: set[asyncio.Task[None]] = set()

    @property
    def subscriber_count(self) -> int:
        """Members of the groups others may still join."""
        return sum(len(g.members) for g in self.groups.values())


class SharedSubscriptionSchema(ReleasedErrorFrames, QuietInputErrors, strawberry.Schema):
    """A strawberry Schema whose subscriptions are executed once per group of subscribers that
    would receive identical results (see the module docstring). Only operations whose context
    is a `context_type` (the server's request context) are shared."""

    def __init__(
        self,
        *args: Any,
        context_type: type[Context],
        member_queue_size: int = 1_000,
        history_size: int = 100,
        join_wait_s: float = 5.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.context_type = context_type
        self.shared = SubscriptionGroups(
            member_queue_size=member_queue_size,
            history_size=history_size,
            join_wait_s=join_wait_s,
        )

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Any = None,
    ) -> Any:
        refused = streamed_refusals(query, operation_name, context_value)
        if refused:
            # An API key's operation outside its scopes: refused before anything runs.
            return _refusal(PreExecutionError(data=None, errors=refused))

        def upstream(context: Any) -> Awaitable[Any]:
            return super(SharedSubscriptionSchema, self).stream(
                query,
                variable_values=variable_values,
                context_value=context,
                root_value=root_value,
                operation_name=operation_name,
                operation_extensions=operation_extensions,
                allowed_operation_types=allowed_operation_types,
            )

        key = share_key(
            self.context_type,
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
        )
        if key is None:
            return await upstream(context_value)
        context = cast(Context, context_value)  # share_key checked it
        # The connection's session served the viewer look-up; a subscription holds none.
        await context.uow.close()
        groups = self.shared.groups
        group = groups.get(key)
        if group is not None and not group.settled.done():
            # Just started: wait until it is known whether it may be shared.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.shared.join_wait_s):
                    await asyncio.shield(group.settled)
        group = groups.get(key)
        if group is not None:
            if group.settled.done() and group.settled.result():
                return group.add_member()
            return await upstream(context)  # still undecided after waiting: on its own
        group = _Group(self.shared, key, context.fork())
        groups[key] = group
        try:
            source = await upstream(group.context)
        except BaseException:
            group._unpublish()
            raise
        member = group.add_member()
        group.start(source)
        return member


async def _refusal(result: PreExecutionError) -> AsyncIterator[PreExecutionError]:
    yield result


_FAILED = _Sentinel("FAILED")


class EventMemo:
    """Per-event loads shared by every group that handles the same event: the first caller
    loads, concurrent ones await its result, and entries are dropped after `ttl_s` (or when
    more than `size` are kept). For data the event's tenant filter already let each caller
    see; what is shared must not depend on who asks (nested fields resolve per viewer)."""

    def __init__(self, *, ttl_s: float = 10.0, size: int = 1_024) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self.loads = 0
        self._entries: OrderedDict[Hashable, asyncio.Future[Any]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        future = self._entries.get(key)
        if future is not None:
            value = await asyncio.shield(future)
            return await load() if value is _FAILED else value
        loop = asyncio.get_running_loop()
        future = self._entries[key] = loop.create_future()
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        self.loads += 1
        try:
            value = await load()
        except BaseException:
            # Whoever waits for it loads on its own; the next event starts afresh.
            self._drop(key, future)
            future.set_result(_FAILED)
            raise
        future.set_result(value)
        loop.call_later(self.ttl_s, self._drop, key, future)
        return value

    def _drop(self, key: Hashable, future: asyncio.Future[Any]) -> None:
        if self._entries.get(key) is future:
            del self._entries[key]


__all__ = [
    "EventMemo",
    "MemberStream",
    "SharedSubscriptionSchema",
    "share_key",
    "share_stream",
]
