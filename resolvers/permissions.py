"""Coarse gates as permission classes; company rules live in domain/accounts/policies.py."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from schema.context import Info


class IsAuthenticated(BasePermission):
    message = "Authentication required: send `Authorization: Bearer <accessToken>`."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return not info.context.viewer.is_anonymous


class IsStaff(BasePermission):
    message = "Only the shop's staff may do this."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer.is_staff


class IsPortalUser(BasePermission):
    message = "Only portal users of a customer may do this."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer.is_portal
