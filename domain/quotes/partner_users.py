"""Partner users: people of a partner supplier who log in (e-mail and password, like staff)
and act as that partner only: they see the RFQs addressed to their supplier and answer them,
besides the supplier's API key and the mailed links. The account is a staff_user row with
role PARTNER and the supplier (domain/accounts/auth.py builds a SUPPLIER viewer from it)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import StaffUser
from domain.accounts.registration import StaffUserData, add_staff_user, check_staff_user
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import Viewer
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork
from domain.stock.models import Supplier


@dataclass(frozen=True, slots=True)
class PartnerUserCreate:
    supplier_id: int
    email: str
    full_name: str
    password: str


async def partner_user_create(uow: UnitOfWork, viewer: Viewer, cmd: PartnerUserCreate) -> StaffUser:
    """Requires staff role ADMIN. A login for a person of an active supplier; it sees and
    answers only the RFQs addressed to that supplier. Errors are the accounts area's (the
    same payload as staffUserCreate)."""
    if not (viewer.is_staff and viewer.role is StaffRole.ADMIN):
        raise DomainError.single(
            AccountErrorCode.PERMISSION_DENIED, "Partner users are made by staff with role ADMIN."
        )
    data = StaffUserData(
        email=cmd.email,
        full_name=cmd.full_name,
        role=StaffRole.PARTNER,
        password=cmd.password,
        supplier_id=cmd.supplier_id,
    )
    check_staff_user(viewer, data)
    async with uow:
        supplier = await uow.session.get(Supplier, cmd.supplier_id)
        if supplier is None or not supplier.is_active:
            raise DomainError.single(
                AccountErrorCode.NOT_FOUND, "Supplier not found.", "supplierId"
            )
        user = await add_staff_user(uow, data)
        await uow.commit()
        return user
