"""The price engine: ``(product version, configuration, quantity, context) -> PriceResult``.

Pure: no I/O, no clock, no randomness. Rules are compiled once per product version into closures
(``compile_pricing``, cached by ``compiled_for``) and evaluated with a fixed decimal context, so
the same input gives the same price in every process.

Order of a calculation: cost lines -> quantity-break factor on variable lines -> each line
rounded once -> minimum net ("minimum price adjustment") -> customer-group discount -> company
markup or discount -> quantity cap (below) -> net = sum of lines -> VAT on the net, rounded once
-> gross. Adjustments are computed on the sum of the rounded lines above them (see ``result``).

Guarantees, for every valid rule set and a fixed configuration and price context:

1. Totals are never negative: the minimum net is >= 0 and applied as max(subtotal, minimum),
   discounts are capped at 100 %, markups at -100 %.
2. The net never decreases when the quantity increases. The compiler proves each component's
   cost non-decreasing in the quantity (else NOT_MONOTONE); quantity-break factors then make the
   net drop at a break (499 at full price may cost more than 500 with 10 % off). The engine
   therefore charges min(own net, net of every larger break quantity): order 480 and you pay
   no more than for 500, shown as a "Quantity price cap" line.
3. Across the break table the unit price never rises: for break quantities b1 < b2,
   net(b2) / b2 <= net(b1) / b1. Where sheet rounding would make a break dearer per piece than
   the previous one, its net is capped at the previous unit price times its quantity (rounded
   down to a minor unit), which then also caps smaller quantities via guarantee 2.
   Between breaks the unit price may rise slightly with ``ceil`` (the 9th leaflet may need a
   new sheet); that is a real cost and not hidden.
4. The same input gives the same result, and compiling the same rules twice changes nothing.

These guarantees are about rule-based prices (``evaluate``/``price_table``); ``evaluate_lines``
finishes cost lines of other calculators and guarantees 1 and 4 only.

Cost: a cap needs the net at every break quantity. Per configuration the pre-adjustment base at
each break is memoised, and per configuration and adjustment percentages the caps (bounded FIFO
memos per product version), so a repeated configuration costs one evaluation, not one per break.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

from domain.pricing.analysis import MAX_QUANTITY
from domain.pricing.compiled import DECIMAL_CONTEXT, CompiledPricing
from domain.pricing.context import CostLine, PriceContext
from domain.pricing.errors import PricingErrorCode as Code
from domain.pricing.labels import TIMES, line_detail, number_text
from domain.pricing.result import (
    PriceLine,
    PriceResult,
    adjustment_lines,
    clamp_percents,
    settle,
    totals_result,
)
from domain.pricing.rules import parse_rules
from domain.pricing.spec import ConfigurationCheck, ProductSpec
from domain.shared.errors import ErrorDetail
from domain.shared.money import Money
from domain.shared.sized_cache import SizedLRU

__all__ = [
    "CompiledPricing",
    "PriceLine",
    "PriceResult",
    "clear_compiled_cache",
    "compile_pricing",
    "compiled_for",
    "evaluate",
    "evaluate_lines",
    "price_table",
]

_CACHE_SIZE = 256
_CACHE_BYTES = 16 * 1024 * 1024


def compile_pricing(spec: ProductSpec, rules_json: Mapping[str, Any]) -> CompiledPricing:
    """Validate rules against the spec and compile them; raises DomainError listing every problem.

    Done once per product version (see ``compiled_for``), so evaluation never re-parses JSON.
    """
    return CompiledPricing(spec, parse_rules(spec, rules_json))


# Bounded by entries and estimated bytes (domain/shared/sized_cache.py); thread-safe.
_CACHE: SizedLRU[Hashable, CompiledPricing] = SizedLRU(_CACHE_BYTES, max_entries=_CACHE_SIZE)


def compiled_for(
    version_key: Hashable, spec_json: Mapping[str, Any], rules_json: Mapping[str, Any]
) -> CompiledPricing:
    """The compiled pricing of a product version, compiled on first use and kept in a small LRU.

    ``version_key`` must identify immutable content (a product version id, or a content hash):
    the JSON is only read on a cache miss. Bad data raises DomainError and is not cached.
    """
    hit: CompiledPricing | None = _CACHE.get(version_key)
    if hit is not None:
        return hit
    compiled = compile_pricing(ProductSpec.from_json(spec_json), rules_json)
    _CACHE.put(version_key, compiled)
    return compiled


def clear_compiled_cache() -> None:
    """Forget every compiled version (tests, or after a bulk rules migration)."""
    _CACHE.clear()


def evaluate(
    compiled: CompiledPricing, values: Mapping[str, object], quantity: int, ctx: PriceContext
) -> PriceResult:
    """Price one configuration. Never raises for customer input: an invalid configuration or
    quantity gives ``valid == False`` with messages (see ``PriceResult``)."""
    return _evaluate_checked(compiled, compiled.spec.check(values), quantity, ctx)


def price_table(
    compiled: CompiledPricing,
    values: Mapping[str, object],
    quantities: Sequence[int],
    ctx: PriceContext,
) -> list[PriceResult]:
    """Prices of one configuration at several quantities (the storefront's price table)."""
    check = compiled.spec.check(values)
    return [_evaluate_checked(compiled, check, quantity, ctx) for quantity in quantities]


def evaluate_lines(
    cost_lines: Sequence[CostLine],
    quantity: int,
    ctx: PriceContext,
    vat_rate_percent: Decimal,
    minimum_net: Decimal = Decimal(0),
    quantity_factor: Decimal = Decimal(1),
) -> PriceResult:
    """Finish cost lines computed elsewhere (laser parts) exactly as rule-based prices are:
    factor on variable lines, rounding once per line, minimum, discounts, VAT.

    Customer input problems (quantity) give an invalid result; nonsensical arguments from the
    calling calculator (factor <= 0, negative minimum or VAT) are bugs and raise ValueError.
    """
    if quantity_factor <= 0 or minimum_net < 0:
        raise ValueError("quantity_factor must be > 0 and minimum_net >= 0")
    currency = ctx.currency
    vat_rate = _vat_rate(ctx, vat_rate_percent)
    problems = _quantity_problems(quantity)
    if problems:
        return PriceResult(quantity, currency, vat_rate, messages=problems)
    discount, markup = clamp_percents(
        ctx.customer_group_discount_percent, ctx.company_markup_percent
    )
    with localcontext(DECIMAL_CONTEXT):
        minimum = Money.from_decimal(minimum_net, currency).amount
        pairs = [(line.amount, line.variable) for line in cost_lines]
        settlement = settle(pairs, quantity_factor, minimum, discount, markup, currency)
        scaled = quantity_factor != 1
        lines = [
            PriceLine(
                line.code,
                line.label,
                money,
                f"{TIMES} {number_text(quantity_factor, 6)} quantity break"
                if scaled and line.variable
                else None,
            )
            for line, money in zip(cost_lines, settlement.lines, strict=True)
        ]
        lines += adjustment_lines(settlement, currency, minimum_net, discount, markup)
        return totals_result(lines, settlement.net, quantity, currency, vat_rate)


def _vat_rate(ctx: PriceContext, default: Decimal) -> Decimal:
    rate = default if ctx.vat_rate_percent is None else ctx.vat_rate_percent
    if not 0 <= rate <= 100:
        raise ValueError(f"VAT rate out of range: {rate}")
    return rate


def _quantity_problems(quantity: int) -> tuple[ErrorDetail, ...]:
    if (
        isinstance(quantity, int)
        and not isinstance(quantity, bool)
        and 1 <= quantity <= MAX_QUANTITY
    ):
        return ()
    message = f"Quantity: a whole number from 1 to {MAX_QUANTITY:,}."
    return (ErrorDetail(Code.INVALID_QUANTITY, message, ("quantity",)),)


def _evaluate_checked(
    compiled: CompiledPricing, check: ConfigurationCheck, quantity: int, ctx: PriceContext
) -> PriceResult:
    currency = compiled.currency
    vat_rate = _vat_rate(ctx, compiled.rules.vat_rate_percent)
    messages = list(check.errors)
    messages += _quantity_problems(quantity)
    if ctx.currency != currency:
        message = f"This product is priced in {currency}, not {ctx.currency}."
        messages.append(ErrorDetail(Code.CURRENCY_MISMATCH, message, ("currency",)))
    if messages:
        return PriceResult(quantity, currency, vat_rate, messages=tuple(messages))
    discount, markup = clamp_percents(
        ctx.customer_group_discount_percent, ctx.company_markup_percent
    )
    try:
        with localcontext(DECIMAL_CONTEXT):
            return _price(compiled, check, quantity, discount, markup, vat_rate)
    except ArithmeticError:
        # Only reachable with extreme numbers the static checks could not rule out.
        message = "The price cannot be calculated for this configuration."
        problem = ErrorDetail(Code.EVALUATION_FAILED, message, None)
        return PriceResult(quantity, currency, vat_rate, messages=(problem,))


def _price(
    compiled: CompiledPricing,
    check: ConfigurationCheck,
    quantity: int,
    discount: Decimal,
    markup: Decimal,
    vat_rate: Decimal,
) -> PriceResult:
    currency = compiled.currency
    env, costs = compiled.costs(check.values, quantity)
    settlement = compiled.settle_costs(costs, quantity, discount, markup)
    factor = compiled.factor(quantity)
    scaled = factor != 1
    labels = compiled.labels
    values, refs, q = env.values, env.refs, env.q
    lines = [
        PriceLine(
            component.code,
            labels[component.code](values, refs, q, count),
            money,
            line_detail(scaled and component.variable, component.count_unit, count, rate, factor),
        )
        for (component, _, count, rate), money in zip(costs, settlement.lines, strict=True)
    ]
    lines += adjustment_lines(settlement, currency, compiled.rules.minimum_net, discount, markup)
    net = settlement.net
    breaks = compiled.break_quantities
    if len(breaks) > 1:
        index = bisect_right(breaks, quantity) - 1
        if breaks[index] != quantity:
            index += 1
        cap = compiled.break_caps(check.values, discount, markup)[index]
        if cap is not None and cap[0] < net:
            capped, source, unit_cap = cap
            if unit_cap:
                detail = f"unit price capped at the unit price for {source:,} pieces"
            else:
                detail = f"capped at the price for {source:,} pieces"
            lines.append(
                PriceLine(
                    "quantity_cap", "Quantity price cap", Money(capped - net, currency), detail
                )
            )
            net = capped
    return totals_result(lines, net, quantity, currency, vat_rate)
