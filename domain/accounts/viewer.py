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


ViewerScope = tuple[
    ViewerKind, int | None, int | None, StaffRole | None, frozenset[Right], int | None
]


@dataclass(frozen=True, slots=True)
class Viewer:
    kind: ViewerKind
    user_id: int | None = None
    company_id: int | None = None
    rights: frozenset[Right] = field(default_factory=frozenset)
    role: StaffRole | None = None
    session_id: uuid.UUID | None = None
    supplier_id: int | None = None
    # Set when a machine client's API key stands for the user: the key's id and the API scopes
    # (domain/integrations/scopes.py) it may call; None for a person's own login.
    api_key_id: int | None = None
    key_scopes: frozenset[str] | None = None

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

    @property
    def is_api_key(self) -> bool:
        return self.api_key_id is not None

    def has(self, right: Right) -> bool:
        return self.kind is ViewerKind.PORTAL and right in self.rights

    def scope_key(self) -> ViewerScope:
        """Everything about the viewer that what they may see can depend on (not the login
        session): viewers with equal keys get the same data, so a subscription's results may
        be shared between them (the tabs and devices of one user, a staff dashboard on several
        screens)."""
        return (self.kind, self.user_id, self.company_id, self.role, self.rights, self.supplier_id)


ANONYMOUS = Viewer(ViewerKind.ANONYMOUS)
