"""Price rules of one product version compiled to closures, plus the memoised break caps.

Compilation turns the checked AST into nested closures once; evaluating a configuration then
costs a few dozen Python calls and Decimal operations, no parsing and no dictionary-driven
dispatch. ``CompiledPricing`` is safe to share between requests: its only mutable state is the
memo of break caps, guarded by a lock and bounded.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Any

from domain.pricing.expressions import (
    Apply,
    Const,
    Expr,
    IfOption,
    IfTrue,
    Lookup,
    Param,
    Quantity,
    Ref,
    Round,
)
from domain.pricing.labels import Renderer, compile_label
from domain.pricing.parameters import ParamValue
from domain.pricing.result import Settlement, adjust, round_lines, settle
from domain.pricing.rules import Component, RuleSet
from domain.pricing.spec import ProductSpec
from domain.shared.money import Money

# Fixed arithmetic for every evaluation, whatever the thread's current decimal context says.
DECIMAL_CONTEXT = Context(
    prec=34, Emax=999_999, Emin=-999_999, traps=[InvalidOperation, DivisionByZero, Overflow]
)
# Entries per memo and product version (a base entry is ~8 ints, a caps entry ~8 triples).
_MEMO_SIZE = 2048


class Env:
    __slots__ = ("q", "refs", "values")

    def __init__(self, values: Mapping[str, ParamValue], quantity: Decimal) -> None:
        self.values = values
        self.q = quantity
        self.refs: dict[str, Decimal] = {}


_Fn = Callable[[Env], Decimal]
Cost = tuple[Component, Decimal, Decimal | None, Decimal]  # line, amount, count, rate
_Cap = tuple[int, int, bool]  # net, break quantity it comes from, via the unit-price cap


def _quantity(env: Env) -> Decimal:
    return env.q


_BINARY: dict[str, Callable[[_Fn, _Fn], _Fn]] = {
    "add": lambda a, b: lambda env: a(env) + b(env),
    "sub": lambda a, b: lambda env: a(env) - b(env),
    "mul": lambda a, b: lambda env: a(env) * b(env),
    "div": lambda a, b: lambda env: a(env) / b(env),
    "min": lambda a, b: lambda env: min(a(env), b(env)),
    "max": lambda a, b: lambda env: max(a(env), b(env)),
}
_WITH_CONSTANT: dict[str, Callable[[_Fn, Decimal], _Fn]] = {
    "add": lambda a, c: lambda env: a(env) + c,
    "sub": lambda a, c: lambda env: a(env) - c,
    "mul": lambda a, c: lambda env: a(env) * c,
    "div": lambda a, c: lambda env: a(env) / c,
}


def _compile(expr: Expr) -> _Fn:
    """Turn a checked AST node into a closure; constants are folded already by the parser."""
    if isinstance(expr, Const):
        value = expr.value
        return lambda env: value
    if isinstance(expr, Quantity):
        return _quantity
    if isinstance(expr, Param):
        key = expr.key
        # Checked numeric values are int or Decimal; bool/str never reach a {"param"} node.
        return lambda env: Decimal(env.values[key])
    if isinstance(expr, Ref):
        name = expr.name
        return lambda env: env.refs[name]
    if isinstance(expr, Lookup):
        table, default, key = dict(expr.table), expr.default, expr.param
        if default is None:
            return lambda env: table[env.values[key]]  # type: ignore[index]
        return lambda env: table.get(env.values.get(key), default)  # type: ignore[arg-type]
    if isinstance(expr, Round):
        inner = _compile(expr.arg)
        rounding = ROUND_CEILING if expr.op == "ceil" else ROUND_FLOOR
        return lambda env: inner(env).to_integral_value(rounding)
    if isinstance(expr, IfOption | IfTrue):
        then, otherwise, key = _compile(expr.then), _compile(expr.otherwise), expr.param
        wanted: str | bool = expr.option if isinstance(expr, IfOption) else True
        return lambda env: then(env) if env.values.get(key) == wanted else otherwise(env)
    return _compile_apply(expr)


def _compile_apply(expr: Apply) -> _Fn:
    result = _compile(expr.args[0])
    for arg in expr.args[1:]:
        if isinstance(arg, Const) and expr.op in _WITH_CONSTANT:
            result = _WITH_CONSTANT[expr.op](result, arg.value)
        else:
            result = _BINARY[expr.op](result, _compile(arg))
    return result


def _parameters_used(exprs: Sequence[Expr | None]) -> set[str]:
    keys: set[str] = set()
    stack = [e for e in exprs if e is not None]
    while stack:
        expr = stack.pop()
        if isinstance(expr, Param | Lookup | IfOption | IfTrue):
            keys.add(expr.key if isinstance(expr, Param) else expr.param)
        if isinstance(expr, Apply):
            stack.extend(expr.args)
        elif isinstance(expr, Round):
            stack.append(expr.arg)
        elif isinstance(expr, IfOption | IfTrue):
            stack.extend((expr.then, expr.otherwise))
    return keys


class CompiledPricing:
    """Price rules of one product version, validated and turned into closures."""

    __slots__ = (
        "_bases",
        "_breaks",
        "_caps",
        "_derived",
        "_factors",
        "_lines",
        "_lock",
        "_memo_keys",
        "_minimum",
        "labels",
        "rules",
        "spec",
    )

    def __init__(self, spec: ProductSpec, rules: RuleSet) -> None:
        self.spec = spec
        self.rules = rules
        self._derived = tuple((name, _compile(expr)) for name, expr in rules.derived)
        self._lines = tuple(
            (
                c,
                _compile(c.rate),
                None if c.count is None else _compile(c.count),
                None if c.condition is None else c.condition[0],
                None if c.condition is None else c.condition[1],
            )
            for c in rules.components
        )
        self.labels: dict[str, Renderer] = {
            c.code: compile_label(spec, c.label) for c in rules.components
        }
        self._breaks = tuple(b.min_quantity for b in rules.quantity_breaks)
        self._factors = tuple(b.factor for b in rules.quantity_breaks)
        self._minimum = Money.from_decimal(rules.minimum_net, rules.currency).amount
        exprs: list[Expr | None] = [e for _, e in rules.derived]
        exprs += [e for c in rules.components for e in (c.rate, c.count)]
        used = _parameters_used(exprs) | {c.condition[0] for c in rules.components if c.condition}
        self._memo_keys = tuple(sorted(used))
        # Two bounded memos: per configuration the base (lines + minimum) at every break, the
        # expensive part; per configuration and adjustment percentages the caps, cheap to redo.
        self._bases: dict[Hashable, tuple[int, ...]] = {}
        self._caps: dict[Hashable, tuple[_Cap | None, ...]] = {}
        self._lock = threading.Lock()

    @property
    def currency(self) -> str:
        return self.rules.currency

    @property
    def minimum_minor(self) -> int:
        return self._minimum

    @property
    def break_quantities(self) -> tuple[int, ...]:
        return self._breaks

    def clear_memo(self) -> None:
        """Forget memoised break caps (benchmarks measure the cold path with it)."""
        with self._lock:
            self._bases.clear()
            self._caps.clear()

    def costs(self, values: Mapping[str, ParamValue], quantity: int) -> tuple[Env, list[Cost]]:
        """Cost lines (zero amounts left out) of a checked configuration at ``quantity``."""
        env = Env(values, Decimal(quantity))
        refs = env.refs
        for name, fn in self._derived:
            refs[name] = fn(env)
        costs: list[Cost] = []
        for component, rate_fn, count_fn, when_key, when_value in self._lines:
            if when_key is not None and values.get(when_key) != when_value:
                continue
            rate = rate_fn(env)
            count = None if count_fn is None else count_fn(env)
            amount = rate if count is None else rate * count
            if amount:
                costs.append((component, amount, count, rate))
        return env, costs

    def factor(self, quantity: int) -> Decimal:
        """The quantity-break factor of the largest break at or below ``quantity``."""
        return self._factors[bisect_right(self._breaks, quantity) - 1]

    def settle_costs(
        self, costs: list[Cost], quantity: int, discount: Decimal, markup: Decimal
    ) -> Settlement:
        """Money amounts of ``costs`` at ``quantity``."""
        pairs = [(amount, component.variable) for component, amount, _, _ in costs]
        return settle(pairs, self.factor(quantity), self._minimum, discount, markup, self.currency)

    def _base(self, values: Mapping[str, ParamValue], quantity: int) -> int:
        # The same functions as settle(): a cap compares like with like.
        pairs = [(amount, c.variable) for c, amount, _, _ in self.costs(values, quantity)[1]]
        return round_lines(pairs, self.factor(quantity), self._minimum, self.currency)[2]

    def break_caps(
        self, values: Mapping[str, ParamValue], discount: Decimal, markup: Decimal
    ) -> tuple[_Cap | None, ...]:
        """Per break index (plus a trailing None): the lowest capped net at that break or a larger
        one, with the break it comes from. Memoised; a miss costs one evaluation per break."""
        config = tuple([values.get(k) for k in self._memo_keys])
        key = (config, discount, markup)
        hit = self._caps.get(key)  # a plain dict read is atomic; only writers take the lock
        if hit is not None:
            return hit
        bases = self._bases.get(config)
        if bases is None:
            bases = tuple(self._base(values, quantity) for quantity in self._breaks)
            self._remember(self._bases, config, bases)
        currency = self.currency
        capped: list[_Cap] = []
        for index, quantity in enumerate(self._breaks):
            net = adjust(bases[index], discount, markup, currency)[2]
            entry: _Cap = (net, quantity, False)
            if index:
                previous, before = capped[-1][0], self._breaks[index - 1]
                limit = previous * quantity // before  # unit price not above the previous break's
                if limit < net:
                    entry = (limit, before, True)
            capped.append(entry)
        suffix: list[_Cap | None] = [None] * (len(capped) + 1)
        for index in range(len(capped) - 1, -1, -1):
            best = suffix[index + 1]
            suffix[index] = capped[index] if best is None or capped[index][0] <= best[0] else best
        result = tuple(suffix)
        self._remember(self._caps, key, result)
        return result

    def _remember(self, memo: dict[Hashable, Any], key: Hashable, value: object) -> None:
        with self._lock:
            memo[key] = value
            while len(memo) > _MEMO_SIZE:  # oldest first: a cheap, bounded FIFO
                del memo[next(iter(memo))]
