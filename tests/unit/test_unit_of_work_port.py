"""The unit-of-work port and what implements it agree: the SQL adapter (adapters/db.py) and
the in-memory fake of the unit tests. The typed assignments are checked by mypy; the test
checks the same at run time, member by member."""

from __future__ import annotations

import inspect

import pytest

from adapters.db import SqlUnitOfWork
from domain.shared.uow import UnitOfWork
from tests.unit.orders.fake_uow import FakeUnitOfWork


def sql_as_port(uow: SqlUnitOfWork) -> UnitOfWork:
    return uow


def fake_as_port(uow: FakeUnitOfWork) -> UnitOfWork:
    return uow


def _members(cls: type) -> set[str]:
    return {n for n in vars(cls) if not n.startswith("_") or n in ("__aenter__", "__aexit__")}


@pytest.mark.parametrize("impl", [SqlUnitOfWork, FakeUnitOfWork])
def test_implements_every_member_of_the_port(impl: type) -> None:
    port = _members(UnitOfWork) - {"__annotations__"}
    assert port <= set(dir(impl)), port - set(dir(impl))
    # The session and the job queue are read-only on both sides: a unit of work keeps the ones
    # it opened.
    for name in ("session", "jobs"):
        assert isinstance(inspect.getattr_static(UnitOfWork, name), property), name
        assert isinstance(inspect.getattr_static(impl, name), property), name
    for name in port - {"session", "jobs"}:
        port_params = len(inspect.signature(getattr(UnitOfWork, name)).parameters)
        params = inspect.signature(getattr(impl, name)).parameters.values()
        takes_any = any(p.kind is p.VAR_POSITIONAL for p in params)
        assert takes_any or len(params) == port_params, name
