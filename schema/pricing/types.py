"""Money and price results as the API shows them."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.pricing.result import PriceLine as DomainPriceLine
from domain.pricing.result import PriceResult
from domain.shared.errors import ErrorDetail
from domain.shared.money import Money as DomainMoney


@strawberry.type(description="An amount in integer minor units (cents) and its ISO 4217 currency.")
class Money:
    amount: int = strawberry.field(description="Minor units, e.g. 1999 for EUR 19.99.")
    currency: str

    @strawberry.field(description="For display, e.g. `EUR 19.99`; localise from amount+currency.")
    def formatted(self) -> str:
        return DomainMoney(self.amount, self.currency).formatted()

    @classmethod
    def of(cls, m: DomainMoney | None) -> Money | None:
        return None if m is None else cls(amount=m.amount, currency=m.currency)


@strawberry.type(description="One reason for a price: what it costs and why.")
class PriceLine:
    code: str
    label: str
    amount: Money
    detail: str | None

    @classmethod
    def of(cls, line: DomainPriceLine) -> PriceLine:
        return cls(
            code=line.code,
            label=line.label,
            amount=Money(amount=line.amount.amount, currency=line.amount.currency),
            detail=line.detail,
        )


@strawberry.type(description="Why a configuration cannot be priced as it stands.")
class PriceMessage:
    code: str
    field: list[str] | None
    message: str

    @classmethod
    def of(cls, d: ErrorDetail) -> PriceMessage:
        return cls(code=d.code.name, field=list(d.field) if d.field else None, message=d.message)


@strawberry.type(
    description="A price for one quantity: lines and totals, or messages when invalid."
)
class Price:
    quantity: int
    currency: str
    valid: bool
    lines: list[PriceLine]
    net: Money | None
    vat: Money | None
    gross: Money | None
    unit_net: Money | None = strawberry.field(description="Net per piece, rounded.")
    vat_rate_percent: Decimal
    messages: list[PriceMessage]

    @classmethod
    def of(cls, r: PriceResult) -> Price:
        return cls(
            quantity=r.quantity,
            currency=r.currency,
            valid=r.valid,
            lines=[PriceLine.of(x) for x in r.lines],
            net=Money.of(r.net),
            vat=Money.of(r.vat),
            gross=Money.of(r.gross),
            unit_net=Money.of(r.unit_net),
            vat_rate_percent=r.vat_rate_percent,
            messages=[PriceMessage.of(m) for m in r.messages],
        )
