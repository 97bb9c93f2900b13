"""Who is asking. Built once per request from the bearer token and the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from domain.accounts.rights import Right, StaffRole


class ViewerKind(StrEnum):
    ANONYMOUS = "ANONYMOUS"
    PORTAL = "PORTAL"
    STAFF = "STAFF"
    SUPPLIER = "SUPPLIER"  # a supplier system with its API key (stock messages only)


@dataclass(frozen=True, slots=True)
class Viewer:
    kind: ViewerKind
    user_id: int | None = None
    company_id: int | None = None
    rights: frozenset[Right] = field(default_factory=frozenset)
    role: StaffRole | None = None
    session_id: uuid.UUID | None = None
    supplier_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.kind is ViewerKind.ANONYMOUS

    @property
    def is_portal(self) -> bool:
        return self.kind is ViewerKind.PORTAL

    @property
    def is_staff(self) -> bool:
        return self.kind is ViewerKind.STAFF

    @property
    def is_supplier(self) -> bool:
        return self.kind is ViewerKind.SUPPLIER

    def has(self, right: Right) -> bool:
        return self.kind is ViewerKind.PORTAL and right in self.rights


ANONYMOUS = Viewer(ViewerKind.ANONYMOUS)
