"""Base classes for expected business failures.

A service raises a ``DomainError`` (or a ``DomainErrors`` bundle) when a command breaks a rule.
Resolvers turn them into ``errors: [XError!]!`` in the mutation payload; the code is an enum owned
by the business area (``domain/<area>/errors.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum


def camel(name: str) -> str:
    """The API's name of a field (error paths use the GraphQL input names)."""
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One expected failure: a machine-readable code, where it happened, and a readable message."""

    code: Enum
    message: str
    field: tuple[str, ...] | None = None


class DomainError(Exception):
    """One or more expected failures of a command; nothing of the command is saved."""

    def __init__(self, details: Iterable[ErrorDetail]) -> None:
        self.details: tuple[ErrorDetail, ...] = tuple(details)
        super().__init__("; ".join(d.message for d in self.details))

    @classmethod
    def single(
        cls, code: Enum, message: str, field: Sequence[str] | str | None = None
    ) -> DomainError:
        if isinstance(field, str):
            field = (field,)
        return cls([ErrorDetail(code, message, tuple(field) if field is not None else None)])


@dataclass
class ErrorCollector:
    """Gathers every failure of a validation pass so the caller gets all of them at once."""

    details: list[ErrorDetail] = field(default_factory=list)

    def add(self, code: Enum, message: str, field: Sequence[str] | str | None = None) -> None:
        if isinstance(field, str):
            field = (field,)
        self.details.append(ErrorDetail(code, message, tuple(field) if field is not None else None))

    def raise_if_any(self) -> None:
        if self.details:
            raise DomainError(self.details)

    def __bool__(self) -> bool:
        return bool(self.details)


def excerpt(value: object, limit: int = 40) -> str:
    """A bad value as an error message may quote it: repr'd and cut to ``limit`` characters, so
    a message never echoes a megabyte-long cell or argument back."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"… ({len(text):,} characters)"
