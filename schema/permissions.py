"""Who may see or call what, declared on the field: permission classes over the viewer.

Coarse gates (authenticated, staff, portal user, supplier system) refuse a root field with a
top-level error. Field rules answer null instead (``hidden_unless``): a viewer the rule refuses
sees the field as empty, with no error, exactly as if there were nothing to show. Company rules
themselves (rights, own vs colleagues' orders) stay pure functions in
domain/accounts/policies.py and domain/orders/policies.py, called from here.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension

from domain.accounts.policies import can_see_finances
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


class IsSupplier(BasePermission):
    """The coarse gate for supplier systems (their API key as the bearer token)."""

    message = "Only a supplier system with its API key may do this."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.viewer.is_supplier


class SeesCompanyFinances(BasePermission):
    """On a field of a Company: staff, or its own users with VIEW_FINANCES or MANAGE_COMPANY."""

    message = "You need the right VIEW_FINANCES to see this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return can_see_finances(info.context.viewer, source.id)


def hidden_unless(permission: BasePermission) -> list[FieldExtension]:
    """A field rule: the field answers null (or an empty list) to a viewer ``permission``
    refuses, without an error and without running its resolver."""
    # No schema directive: the SDL (and every client generated from it) stays as it was.
    return [PermissionExtension([permission], use_directives=False, fail_silently=True)]
