"""Mutation payloads of the accounts area: the changed object plus typed errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from strawberry import relay

from domain.accounts import models as m
from schema.accounts.enums import LegalForm
from schema.accounts.types import (
    AccountError,
    Company,
    CustomerGroup,
    Me,
    PermissionGroup,
    PortalUser,
    StaffUser,
    _resolve_by_loader,
    resolve_me,
)
from schema.context import Info


@strawberry.type
class TokenCreatePayload:
    access_token: str | None = None
    access_token_expires_at: dt.datetime | None = None
    refresh_token: str | None = strawberry.field(
        default=None, description="Opaque, single use: `tokenRefresh` returns the next one."
    )
    refresh_token_expires_at: dt.datetime | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)

    @strawberry.field(description="The user the tokens belong to.")
    async def me(self, info: Info) -> Me | None:
        return await resolve_me(info) if self.access_token else None


@strawberry.type
class TokenRefreshPayload(TokenCreatePayload):
    pass


@strawberry.type
class TokenRevokePayload:
    revoked: bool = False
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class CompanyCreatePayload:
    company: Company | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class CompanyUpdatePayload(CompanyCreatePayload):
    pass


@strawberry.type
class CustomerGroupCreatePayload:
    customer_group: CustomerGroup | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class PortalUserCreatePayload:
    user: PortalUser | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class PortalUserUpdatePayload(PortalUserCreatePayload):
    pass


@strawberry.type
class PermissionGroupCreatePayload:
    permission_group: PermissionGroup | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class PermissionGroupUpdatePayload(PermissionGroupCreatePayload):
    pass


@strawberry.type
class PermissionGroupDeletePayload:
    deleted_id: relay.GlobalID | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.enum(description="Where a registration request stands.")
class RegistrationStatus(Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


@strawberry.type(description="A prospective customer's request for portal access (staff only).")
class RegistrationRequest(relay.Node):
    id: relay.NodeID[int]
    company_name: str
    legal_form: LegalForm
    contact_name: str
    email: str
    phone: str | None
    vat_id: str | None
    message: str | None
    status: RegistrationStatus
    rejection_reason: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    company_id: strawberry.Private[int | None] = None

    @strawberry.field(description="The customer created on approval.")
    async def company(self, info: Info) -> Company | None:
        if self.company_id is None:
            return None
        c = await info.context.loaders.company.load(self.company_id)
        return Company.from_model(c) if c else None

    @classmethod
    def from_model(cls, r: m.RegistrationRequest) -> RegistrationRequest:
        return cls(
            id=r.id,
            company_name=r.company_name,
            legal_form=r.legal_form,
            contact_name=r.contact_name,
            email=r.email,
            phone=r.phone,
            vat_id=r.vat_id,
            message=r.message,
            status=RegistrationStatus(r.status),
            rejection_reason=r.rejection_reason,
            created_at=r.created_at,
            decided_at=r.decided_at,
            company_id=r.company_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[RegistrationRequest | None]:
        return await _resolve_by_loader(cls, info, node_ids, "registration_request", required)


@strawberry.type
class RegistrationRequestCreatePayload:
    accepted: bool = strawberry.field(
        default=False, description="True when the request was received; the shop replies by e-mail."
    )
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class RegistrationRequestDecidePayload:
    registration_request: RegistrationRequest | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class PasswordResetRequestPayload:
    accepted: bool = strawberry.field(
        default=False,
        description="Always true for a well-formed request, whether or not the login exists.",
    )
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class PasswordResetConfirmPayload:
    success: bool = False
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type
class StaffUserCreatePayload:
    staff_user: StaffUser | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)
