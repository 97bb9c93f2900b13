"""GraphQL enums of the accounts area, taken from the domain enums."""

from __future__ import annotations

import strawberry

from domain.accounts import rights as r
from domain.accounts.errors import AccountErrorCode as _AccountErrorCode

Right = strawberry.enum(
    r.Right,
    description="A right in a customer's portal; a user holds the union of their groups' rights.",
)
StaffRole = strawberry.enum(r.StaffRole, description="Role of a member of the shop's staff.")
LegalForm = strawberry.enum(r.LegalForm, description="Whether a customer is a company or a person.")
AddressKind = strawberry.enum(r.AddressKind, description="What an address is used for.")
AccountErrorCode = strawberry.enum(
    _AccountErrorCode, description="Why an accounts mutation failed."
)
