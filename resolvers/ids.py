"""Decoding global IDs from inputs: a wrong type or a malformed ID is simply "not found"."""

from __future__ import annotations

from enum import Enum

from strawberry import relay
from strawberry.types.base import get_object_definition

from domain.shared.errors import DomainError
from schema.core import decode_gid


def require_pk(gid: relay.GlobalID, node_type: type, field: str, code: Enum) -> int:
    pk = decode_gid(gid, node_type)
    if pk is None:
        name = get_object_definition(node_type, strict=True).name
        raise DomainError.single(code, f"{name} not found.", field)
    return pk


def optional_pk(gid: relay.GlobalID | None, node_type: type, field: str, code: Enum) -> int | None:
    return None if gid is None else require_pk(gid, node_type, field, code)
