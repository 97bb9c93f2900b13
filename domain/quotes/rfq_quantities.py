"""Quantities in an RFQ: each line asks one or more quantities (say 500, 1,000 and 2,500);
a partner answers a net per quantity; staff compare the answers per line and quantity and
choose one. Pure functions over the RFQ's stored lines and the answers' prices, unit-tested."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.quotes.errors import QuoteErrorCode
from domain.shared.errors import DomainError, ErrorCollector

MAX_QUANTITY = 10_000_000
MAX_QUANTITIES = 10  # per line
MAX_NET = 10**12


def asked_quantities(
    line_quantity: int, given: Sequence[int] | None, at: tuple[str, ...]
) -> list[int]:
    """The quantities an RFQ line asks for, ascending: those given, else the line's own."""
    if not given:
        return [line_quantity]
    if len(set(given)) > MAX_QUANTITIES:
        raise DomainError.single(
            QuoteErrorCode.INVALID_QUANTITY, f"At most {MAX_QUANTITIES} quantities a line.", at
        )
    for quantity in given:
        if not 1 <= quantity <= MAX_QUANTITY:
            raise DomainError.single(
                QuoteErrorCode.INVALID_QUANTITY, f"From 1 to {MAX_QUANTITY:,}.", at
            )
    return sorted(set(given))


def quantities_of(rfq_line: Mapping[str, Any]) -> list[int]:
    """The quantities a stored RFQ line asks (older RFQs: the line's quantity only)."""
    return [int(q) for q in rfq_line.get("quantities") or [rfq_line["quantity"]]]


@dataclass(frozen=True, slots=True)
class PriceGiven:
    """A partner's net for one line at one quantity (None: the line's own quantity)."""

    quote_line_id: int
    net: int
    quantity: int | None = None


def checked_prices(
    rfq_lines: Sequence[Mapping[str, Any]], prices: Sequence[PriceGiven]
) -> list[dict[str, int]]:
    """The answer's prices as stored ([{quoteLineId, quantity, net}]): each for a line and a
    quantity asked, once; every line asked priced for at least one of its quantities."""
    asked = {int(x["quoteLineId"]): (int(x["quantity"]), quantities_of(x)) for x in rfq_lines}
    errors = ErrorCollector()
    out: dict[tuple[int, int], int] = {}
    for index, price in enumerate(prices):
        at = ("prices", str(index))
        if price.quote_line_id not in asked:
            errors.add(QuoteErrorCode.NOT_FOUND, "Not a line of this RFQ.", (*at, "quoteLineId"))
            continue
        own, quantities = asked[price.quote_line_id]
        quantity = own if price.quantity is None else price.quantity
        if quantity not in quantities:
            errors.add(
                QuoteErrorCode.INVALID_QUANTITY,
                f"Asked for: {', '.join(str(q) for q in quantities)}.",
                (*at, "quantity"),
            )
        elif (price.quote_line_id, quantity) in out:
            errors.add(QuoteErrorCode.INVALID, "One price a quantity.", (*at, "quantity"))
        if not 0 <= price.net <= MAX_NET:
            errors.add(QuoteErrorCode.INVALID_PRICE, "Not a price.", (*at, "net"))
        out[(price.quote_line_id, quantity)] = price.net
    if any(line_id not in {k[0] for k in out} for line_id in asked):
        errors.add(QuoteErrorCode.REQUIRED, "Give a price for every line asked for.", "prices")
    errors.raise_if_any()
    return [
        {"quoteLineId": line_id, "quantity": quantity, "net": out[(line_id, quantity)]}
        for line_id, (_, quantities) in asked.items()
        for quantity in quantities
        if (line_id, quantity) in out
    ]


def chosen_prices(
    answer: Sequence[Mapping[str, Any]],
    line_quantities: Mapping[int, int],
    picked: Mapping[int, int],
) -> dict[int, tuple[int, int]]:
    """For each line the answer prices: (quantity, net) chosen. The quantity picked for the
    line, else the line's own quantity, else the answer's only quantity; anything else must
    be picked (REQUIRED), and a quantity the answer has no price for is refused."""
    by_line: dict[int, dict[int, int]] = {}
    for p in answer:
        by_line.setdefault(int(p["quoteLineId"]), {})[int(p["quantity"])] = int(p["net"])
    errors = ErrorCollector()
    out: dict[int, tuple[int, int]] = {}
    for line_id, offered in by_line.items():
        quantity = picked.get(line_id)
        if quantity is None:
            own = line_quantities.get(line_id)
            quantity = (
                own if own in offered else (next(iter(offered)) if len(offered) == 1 else None)
            )
        if quantity is None:
            errors.add(
                QuoteErrorCode.REQUIRED, "Pick the quantity to take for each line.", "quantities"
            )
        elif quantity not in offered:
            errors.add(
                QuoteErrorCode.NOT_ANSWERED,
                f"This answer has no price for {quantity} pieces.",
                "quantities",
            )
        else:
            out[line_id] = (quantity, offered[quantity])
    if any(line_id not in by_line for line_id in picked):
        errors.add(QuoteErrorCode.NOT_FOUND, "Not a line this answer prices.", "quantities")
    errors.raise_if_any()
    return out


@dataclass(frozen=True, slots=True)
class Offer:
    """One partner's price for one line at one quantity, for the side-by-side comparison."""

    invitation_id: int
    supplier_id: int
    net: int
    delivery_date: dt.date | None


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    quote_line_id: int
    title: str
    quantity: int
    offers: tuple[Offer, ...]  # cheapest first, then the earliest date


def compare(
    rfq_lines: Sequence[Mapping[str, Any]],
    answers: Sequence[tuple[int, int, Sequence[Mapping[str, Any]], dt.date | None]],
) -> list[ComparisonRow]:
    """A row per line and quantity asked, with every answer's price for it side by side.
    ``answers``: (invitation id, supplier id, prices, delivery date) of answers given."""
    rows = []
    for line in rfq_lines:
        line_id = int(line["quoteLineId"])
        for quantity in quantities_of(line):
            offers = [
                Offer(invitation_id, supplier_id, int(p["net"]), date)
                for invitation_id, supplier_id, prices, date in answers
                for p in prices
                if int(p["quoteLineId"]) == line_id and int(p["quantity"]) == quantity
            ]
            offers.sort(key=lambda o: (o.net, o.delivery_date or dt.date.max, o.invitation_id))
            rows.append(ComparisonRow(line_id, str(line.get("title", "")), quantity, tuple(offers)))
    return rows
