"""Money as integer minor units plus an ISO 4217 currency code. No floats anywhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Minor-unit exponents for the currencies the shops trade in; ISO 4217 default is 2.
_EXPONENTS: dict[str, int] = {"JPY": 0, "KRW": 0, "CHF": 2, "EUR": 2, "USD": 2, "GBP": 2}


_ONE = Decimal(1)


def minor_unit_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def is_currency_code(code: str) -> bool:
    """Whether ``code`` has the shape of an ISO 4217 code (three letters A-Z)."""
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


@dataclass(frozen=True, slots=True, order=True)
class Money:
    amount: int
    currency: str

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal, currency: str) -> Money:
        """Round a major-unit decimal half-up to minor units: the one rounding rule for money."""
        # scaleb shifts the exponent without a multiplication (hot path of every price).
        minor = value.scaleb(_EXPONENTS.get(currency, 2)).quantize(_ONE, rounding=ROUND_HALF_UP)
        return cls(int(minor), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_unit_exponent(self.currency))

    def formatted(self) -> str:
        """Display string such as ``EUR 1,234.50``; storefronts localise from amount+currency."""
        exp = minor_unit_exponent(self.currency)
        value = self.to_decimal()
        return f"{self.currency} {value:,.{exp}f}"
