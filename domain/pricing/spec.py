"""The configurable product specification: which parameters a product has and how they combine.

A ``ProductSpec`` belongs to one product version. ``ProductSpec.from_json`` is the validated entry
for shop data; building the dataclasses directly assumes the caller already validated them (tests,
demo data). ``check`` never raises for customer input: it returns the normalised values together
with every problem found, so a configurator can show all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.pricing.parameters import (
    ExcludesRule,
    OptionDef,
    ParameterDef,
    ParameterKind,
    ParameterRule,
    ParamValue,
    RangeWhenRule,
    coerce_value,
    fast_acceptor,
)
from domain.pricing.spec_errors import CatalogErrorCode as Code
from domain.pricing.spec_json import dump_spec, parse_spec
from domain.shared.errors import ErrorDetail

__all__ = [
    "ConfigurationCheck",
    "ExcludesRule",
    "OptionDef",
    "ParamValue",
    "ParameterDef",
    "ParameterKind",
    "ParameterRule",
    "ProductSpec",
    "RangeWhenRule",
]


@dataclass(frozen=True, slots=True)
class ConfigurationCheck:
    """Normalised values (defaults filled in) and every problem with the supplied configuration.

    ``values`` only holds values that could be read; a value with a problem is left out.
    """

    values: Mapping[str, ParamValue]
    errors: tuple[ErrorDetail, ...]

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class ProductSpec:
    parameters: tuple[ParameterDef, ...]
    rules: tuple[ParameterRule, ...] = ()
    _by_key: dict[str, ParameterDef] = field(init=False, repr=False, compare=False)
    _rules_by_param: dict[str, tuple[ParameterRule, ...]] = field(
        init=False, repr=False, compare=False
    )
    _plan: tuple[tuple[str, ParameterDef, Callable[[object], bool]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {p.key: p for p in self.parameters})
        touching = {
            p.key: tuple(r for r in self.rules if p.key in (r.param, r.when_param))
            for p in self.parameters
        }
        object.__setattr__(self, "_rules_by_param", touching)
        plan = tuple((p.key, p, fast_acceptor(p)) for p in self.parameters)
        object.__setattr__(self, "_plan", plan)

    @classmethod
    def from_json(cls, data: object) -> ProductSpec:
        """Build a specification from shop data; raises DomainError listing every problem."""
        parameters, rules = parse_spec(data)
        return cls(parameters, rules)

    def to_json(self) -> dict[str, Any]:
        """Canonical JSON; ``from_json(spec.to_json()) == spec``."""
        return dump_spec(self.parameters, self.rules)

    def parameter(self, key: str) -> ParameterDef | None:
        return self._by_key.get(key)

    def check(self, values: Mapping[str, object]) -> ConfigurationCheck:
        """Normalise a customer's configuration and collect every problem with it.

        Why not raise: the same check feeds a live price and a configurator, which show the
        messages next to the fields while the customer is still choosing.
        """
        errors: list[ErrorDetail] = []
        out: dict[str, ParamValue] = {}
        by_key = self._by_key
        for key in values:
            if key not in by_key:
                name = str(key)[:64]
                errors.append(
                    ErrorDetail(
                        Code.UNKNOWN_PARAMETER,
                        f"Unknown parameter '{name}'.",
                        ("configuration", name),
                    )
                )
        for key, param, accepts in self._plan:
            raw = values.get(key)
            if raw is None:
                if param.default is not None:
                    out[key] = param.default
                elif param.kind is ParameterKind.BOOLEAN:
                    out[key] = False
                elif param.required:
                    message = f"{param.label}: required."
                    errors.append(ErrorDetail(Code.REQUIRED, message, ("configuration", key)))
                continue
            if accepts(raw):  # the common case: valid and already normal
                out[key] = raw  # type: ignore[assignment]
                continue
            value, issue = coerce_value(param, raw)
            if issue is not None:
                errors.append(ErrorDetail(issue[0], issue[1], ("configuration", key)))
            elif value is not None:
                out[key] = value
        for rule in self.rules:
            if rule.violated_by(out):
                errors.append(self._rule_error(rule))
        return ConfigurationCheck(out, tuple(errors))

    def available_options(self, values: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
        """For each enum parameter, the options that keep the configuration within the rules.

        An option is available when choosing it, with every other readable value unchanged,
        breaks no rule. Rules work both ways: "90 g/m² excludes gloss" hides gloss while 90 g/m²
        is chosen, and hides 90 g/m² while gloss is chosen.
        """
        current = dict(self.check(values).values)
        result: dict[str, tuple[str, ...]] = {}
        for param in self.parameters:
            if param.kind is not ParameterKind.ENUM:
                continue
            rules = self._rules_by_param[param.key]
            allowed: list[str] = []
            for option in param.options:
                candidate = {**current, param.key: option.key}
                if not any(rule.violated_by(candidate) for rule in rules):
                    allowed.append(option.key)
            result[param.key] = tuple(allowed)
        return result

    def _rule_error(self, rule: ParameterRule) -> ErrorDetail:
        when = self._by_key[rule.when_param]
        target = self._by_key[rule.param]
        option = when.option(rule.when_option)
        condition = f"{when.label} '{option.label if option else rule.when_option}'"
        path = ("configuration", rule.param)
        if isinstance(rule, ExcludesRule):
            message = f"{target.label}: this option is not available with {condition}."
            return ErrorDetail(Code.OPTION_UNAVAILABLE, message, path)
        low = "" if rule.minimum is None else f" at least {target.describe(rule.minimum)}"
        high = "" if rule.maximum is None else f" at most {target.describe(rule.maximum)}"
        joined = " and".join(part for part in (low, high) if part)
        message = f"{target.label}: must be{joined} with {condition}."
        return ErrorDetail(Code.OUT_OF_RANGE, message, path)
