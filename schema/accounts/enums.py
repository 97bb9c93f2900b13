"""GraphQL enums of the accounts area, taken from the domain enums."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from domain.accounts import rights as r
from domain.accounts.errors import AccountErrorCode as _AccountErrorCode

# GraphQL enums are the domain enums themselves: strawberry.enum registers a class in place,
# and the alias lets mypy read the name as a type.
Right: TypeAlias = r.Right
strawberry.enum(
    Right,
    description="A right in a customer's portal; a user holds the union of their groups' rights.",
)
StaffRole: TypeAlias = r.StaffRole
strawberry.enum(StaffRole, description="Role of a member of the shop's staff.")
LegalForm: TypeAlias = r.LegalForm
strawberry.enum(LegalForm, description="Whether a customer is a company or a person.")
AddressKind: TypeAlias = r.AddressKind
strawberry.enum(AddressKind, description="What an address is used for.")
AccountErrorCode: TypeAlias = _AccountErrorCode
strawberry.enum(AccountErrorCode, description="Why an accounts mutation failed.")
InvoiceSchedule: TypeAlias = r.InvoiceSchedule
strawberry.enum(
    InvoiceSchedule,
    name="InvoiceSchedule",
    description="When a customer is invoiced: PER_ORDER, WEEKLY or MONTHLY (collective), "
    "or EXTERNAL (billed from the shop's own accounting system).",
)
