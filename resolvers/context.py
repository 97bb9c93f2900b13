"""The typed request context: session (unit of work), viewer, loaders and app services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from domain.accounts.auth import ThrottleConfig
from domain.accounts.tokens import TokenConfig
from domain.accounts.viewer import ANONYMOUS, Viewer
from domain.events.ports import EventStream
from domain.pricing.tokens import PriceTokenConfig
from domain.shared.ports import FileStorage
from resolvers.loaders import Loaders

if TYPE_CHECKING:
    from adapters.db import SqlUnitOfWork


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
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    uow: SqlUnitOfWork
    services: AppServices
    viewer: Viewer = ANONYMOUS
    connection_params: dict[str, Any] | None = None
    _loaders: Loaders | None = None

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None or self._loaders.viewer is not self.viewer:
            self._loaders = Loaders(self.uow, self.viewer)
        return self._loaders

    @property
    def client_address(self) -> str | None:
        client = self.request.client
        return client.host if client else None


Info = strawberry.Info[Context, None]
