"""The coarse gate for supplier systems (their API key as the bearer token)."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from schema.context import Info


class IsSupplier(BasePermission):
    message = "Only a supplier system with its API key may do this."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer.is_supplier
