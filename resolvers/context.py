"""The concrete request context: unit of work, viewer, loaders and app services.

It fills schema/context.py's ``Context`` Protocol (what fields may reach); the server builds
one per request and injects how to open another unit of work, so nothing here knows the
database adapter."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.accounts.auth import ThrottleConfig
from domain.accounts.tokens import TokenConfig
from domain.accounts.viewer import ANONYMOUS, Viewer
from domain.events.ports import EventStream
from domain.fulfilment.delivery_dates import ShopCalendar
from domain.fulfilment.turnaround import TurnaroundCatalogue
from domain.pricing.tokens import PriceTokenConfig
from domain.quotes.links import LinkSigner
from domain.quotes.sending import SendingTools
from domain.shared.ports import FileStorage
from resolvers.loaders import Loaders
from schema.context import RequestUnitOfWork


@dataclass
class AppServices:
    """Process-wide, stateless collaborators the resolvers pass to domain services."""

    tokens: TokenConfig
    throttle: ThrottleConfig
    password_reset_ttl_s: int
    public_base_url: str
    max_page_size: int
    default_page_size: int
    debug: bool
    price_tokens: PriceTokenConfig = field(
        default_factory=lambda: PriceTokenConfig(secret=b"unset", ttl_s=3600)
    )
    events: EventStream | None = None
    files: FileStorage | None = None
    calendar: ShopCalendar = field(default_factory=ShopCalendar)
    turnarounds: TurnaroundCatalogue = field(
        default_factory=lambda: TurnaroundCatalogue({"standard": 5, "express": 2})
    )
    # The SSRF check of webhook targets (adapters/webhook_http.py TargetGuard): None until the
    # server sets it; resolvers then check the URL's shape only.
    webhook_targets: Callable[[str], Awaitable[str | None]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # Quotes: signed PDF links and what sending needs (set by server/app.py).
    quote_links: LinkSigner | None = None
    quote_sending: SendingTools | None = None


# Loaders of the subscription event being sent. Strawberry keeps one context per websocket
# connection, but runs each operation in its own task: a context variable set by the
# subscription's generator is seen by that operation's nested field resolvers only.
EVENT_LOADERS: ContextVar[Loaders | None] = ContextVar("event_loaders", default=None)


@dataclass
class RequestContext:
    request: Request | WebSocket
    response: Response | WebSocket | None
    uow: RequestUnitOfWork
    services: AppServices
    # Opens another unit of work on the same database (an event's own session, a fork).
    new_uow: Callable[[], RequestUnitOfWork]
    viewer: Viewer = ANONYMOUS
    connection_params: dict[str, Any] | None = None
    _loaders: Loaders | None = None

    @property
    def loaders(self) -> Loaders:
        event_loaders = EVENT_LOADERS.get()
        if event_loaders is not None:
            return event_loaders
        if self._loaders is None or self._loaders.viewer is not self.viewer:
            if self._loaders is not None:
                self._loaders.release()  # another viewer's (a login within the request)
            self._loaders = Loaders(self.uow, self.viewer)
        return self._loaders

    @contextlib.asynccontextmanager
    async def event_scope(self) -> AsyncIterator[Loaders]:
        """A fresh session and loaders for one subscription event. Wrap the `yield` of the
        event in it: the session closes when the generator resumes, i.e. once the event's
        fields are resolved and sent, so no connection is held while waiting."""
        uow = self.new_uow()
        loaders = Loaders(uow, self.viewer)
        token = EVENT_LOADERS.set(loaders)
        try:
            yield loaders
        finally:
            EVENT_LOADERS.reset(token)
            loaders.release()
            await uow.close()

    def release(self) -> None:
        """At the end of the request: drop its loaders (`Loaders.release`)."""
        if self._loaders is not None:
            self._loaders.release()
            self._loaders = None

    def fork(self) -> RequestContext:
        """The same viewer, services and session factory; a unit of work and loaders of its
        own and nothing tied to the websocket's lifetime but the (read-only) request."""
        return dataclasses.replace(self, uow=self.new_uow(), _loaders=None)

    @property
    def client_address(self) -> str | None:
        client = self.request.client
        return client.host if client else None
