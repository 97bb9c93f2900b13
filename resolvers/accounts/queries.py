"""Query fields of the accounts area."""

from __future__ import annotations

import strawberry

from domain.accounts import queries
from domain.shared.pagination import fetch_page
from resolvers.pagination import page_window
from schema.accounts.payloads import RegistrationRequest, RegistrationStatus
from schema.accounts.types import Company, CustomerGroup, Me, StaffUser, resolve_me
from schema.context import Info
from schema.core import Connection, build_connection
from schema.permissions import IsAuthenticated, IsStaff

# Anonymous callers are told to log in (UNAUTHENTICATED), portal users FORBIDDEN.
STAFF_ONLY = [IsAuthenticated, IsStaff]


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="Who is logged in: a PortalUser, a StaffUser, or null.")
    async def me(self, info: Info) -> Me | None:
        return await resolve_me(info)

    @strawberry.field(
        description="Customers, by code. Staff see all; a portal user sees their own company.",
    )
    async def companies(
        self,
        info: Info,
        search: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Company]:
        offset, limit = page_window(info, first, after)
        stmt = queries.companies_query(info.context.viewer, search)
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, Company.from_model)

    @strawberry.field(
        description="Registration requests, newest first. Staff only.",
        permission_classes=STAFF_ONLY,
    )
    async def registration_requests(
        self,
        info: Info,
        status: RegistrationStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[RegistrationRequest]:
        offset, limit = page_window(info, first, after)
        stmt = queries.registration_requests_query(
            info.context.viewer, status.value if status else None
        )
        page = await fetch_page(info.context.uow, stmt, offset, limit)
        return build_connection(page.items, page.offset, page.total, RegistrationRequest.from_model)

    @strawberry.field(description="The shop's staff. Staff only.", permission_classes=STAFF_ONLY)
    async def staff_users(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[StaffUser]:
        offset, limit = page_window(info, first, after)
        page = await fetch_page(
            info.context.uow, queries.staff_users_query(info.context.viewer), offset, limit
        )
        return build_connection(page.items, page.offset, page.total, StaffUser.from_model)

    @strawberry.field(
        description="Customer groups and their terms. Staff only.", permission_classes=STAFF_ONLY
    )
    async def customer_groups(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CustomerGroup]:
        offset, limit = page_window(info, first, after)
        page = await fetch_page(
            info.context.uow, queries.customer_groups_query(info.context.viewer), offset, limit
        )
        return build_connection(page.items, page.offset, page.total, CustomerGroup.from_model)
