"""Where an order goes: a delivery address given with the order, or one of the company's
own (the named one, else its default shipping address). Shared by every way of placing an
order (checkout, call-offs)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import select

from domain.accounts.models import Address
from domain.orders.errors import OrderErrorCode
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.uow import UnitOfWork

_FIELDS = ("name", "street", "postal_code", "city", "country")


@dataclass(frozen=True, slots=True)
class DeliveryAddress:
    name: str
    street: str
    postal_code: str
    city: str
    country: str


def check_delivery_address(
    errors: ErrorCollector, address: DeliveryAddress | None, code: Enum
) -> None:
    """Every blank field of a given address, under ``deliveryAddress``."""
    if address is None:
        return
    for name in _FIELDS:
        if not getattr(address, name).strip():
            errors.add(code, "This address field is required.", ("deliveryAddress", name))


async def delivery_address(
    uow: UnitOfWork,
    company_id: int,
    given: DeliveryAddress | None,
    address_id: int | None = None,
    *,
    missing_code: Enum = OrderErrorCode.INVALID_ADDRESS,
) -> dict[str, Any]:
    """The address as stored on the order: ``given``, else the company's address
    ``address_id``, else its first shipping / default address."""
    if given is not None:
        return {
            "name": given.name,
            "street": given.street,
            "postalCode": given.postal_code,
            "city": given.city,
            "country": given.country.upper(),
        }
    stmt = select(Address).where(Address.company_id == company_id)
    if address_id is not None:
        stmt = stmt.where(Address.id == address_id)
    else:
        stmt = stmt.order_by(
            (Address.kind == "SHIPPING").desc(), Address.is_default.desc(), Address.id
        )
    address: Address | None = await uow.scalar(stmt.limit(1))
    if address is None:
        if address_id is not None:
            raise DomainError.single(
                OrderErrorCode.NOT_FOUND, "Address not found.", "deliveryAddressId"
            )
        raise DomainError.single(missing_code, "Give a delivery address.", "deliveryAddress")
    return {
        "name": address.name,
        "street": address.street,
        "postalCode": address.postal_code,
        "city": address.city,
        "country": address.country,
    }
