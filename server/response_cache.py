"""Whole-response caches for the reads every page of a storefront or portal repeats: catalog
pages (~1,000 resolved fields each, the same for every visitor of a customer) and the viewer's
own account (`me`, asked on every page load).

A request is served from a cache when its operation is a query whose root fields all belong to
one of these families:
- catalog: `products`, `product`, `channels`, for an anonymous visitor or a portal user, keyed
  by the price context the answer depends on (anonymous, or the viewer's company: its markup,
  customer group and closed channels); dropped when a catalog or price table changes;
- account: `me` selecting only the user's own scalar fields and `rights`, keyed by the viewer
  (user, company, role and rights, which come fresh with the token); dropped when a user row
  changes.
Keys also hold the document, operation name, variables, the day (price rules may depend on the
date) and the response format asked for. Entries go in every process when their tables change
(domain/shared/read_cache.py). Staff catalog reads (they see price rules), anything mixed or
nested deeper, and every error answer go through the normal path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, cast

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
)

from domain.accounts.viewer import Viewer
from domain.shared.read_cache import ReadCache, ReadCaches
from domain.shared.sized_cache import SizedLRU

CATALOG_ROOT_FIELDS = frozenset({"products", "product", "channels"})
CATALOG_TABLES = (
    "channel",
    "channel_product",
    "product",
    "product_version",
    "company",
    "customer_group",
)
ACCOUNT_ROOT_FIELDS = frozenset({"me"})
# What `me` may select to be cached: the user's own columns, and rights (from the viewer).
ACCOUNT_FIELDS = frozenset(
    {"__typename", "id", "login", "fullName", "email", "isActive", "isPrimary", "role", "rights"}
)
ACCOUNT_TABLES = ("portal_user", "staff_user")
MAX_BODY_BYTES = 512 * 1024
# A longer document is refused by the schema's own token limit: not worth parsing here.
MAX_TOKENS = 5000


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class ResponseCache:
    def __init__(self, caches: ReadCaches, *, maxsize: int = 2048, documents: int = 512) -> None:
        self.families: dict[str, ReadCache] = {
            "catalog": caches.cache(
                "catalog_response", CATALOG_TABLES, maxsize, max_bytes=32 * 1024 * 1024
            ),
            "account": caches.cache(
                "account_response", ACCOUNT_TABLES, maxsize * 4, max_bytes=16 * 1024 * 1024
            ),
        }
        # Which family a document belongs to, by its text (bounded by entries and bytes).
        self._documents: SizedLRU[tuple[str, str | None], str | None] = SizedLRU(
            4 * 1024 * 1024, max_entries=documents, sizer=_family_entry_bytes
        )

    def key(self, request: dict[str, Any], viewer: Viewer, accept: bytes) -> CacheKey | None:
        """Where a parsed JSON request body would be cached, or None when it is not cacheable."""
        query = request.get("query")
        op = request.get("operationName")
        variables = request.get("variables")
        if not isinstance(query, str) or not (op is None or isinstance(op, str)):
            return None
        if not (variables is None or isinstance(variables, dict)):
            return None
        family = self._family(query, op)
        if family is None:
            return None
        scope = _scope(family, viewer)
        if scope is None:
            return None
        try:
            vars_key = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None
        day = dt.datetime.now(dt.UTC).date()
        return CacheKey(
            family, (query, op, vars_key, scope, day, b"graphql-response+json" in accept)
        )

    def get(self, key: CacheKey) -> CachedResponse | None:
        entry: CachedResponse | None = self.families[key.family].get(key.key)
        return entry

    def generation(self, key: CacheKey) -> int:
        return self.families[key.family].generation

    def put(self, key: CacheKey, response: CachedResponse, generation: int) -> bool:
        """Keeps a successful answer; True when it was kept (not an error, not too big, and
        no table it depends on changed since `generation` was read)."""
        if response.status != 200 or len(response.body) > MAX_BODY_BYTES:
            return False
        try:
            payload = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            return False
        if not isinstance(payload, dict) or payload.get("errors"):
            return False
        return self.families[key.family].put(key.key, response, generation)

    def _family(self, query: str, op: str | None) -> str | None:
        doc_key = (query, op)
        known = self._documents.get(doc_key, _UNKNOWN)
        if known is not _UNKNOWN:
            return cast(str | None, known)
        family = _family_of(query, op)
        self._documents.put(doc_key, family)
        return family


_UNKNOWN = object()


def _family_entry_bytes(key: tuple[str, str | None], family: str | None) -> int:
    return 200 + 2 * len(key[0]) + 2 * len(key[1] or "")


@dataclass(frozen=True, slots=True)
class CacheKey:
    family: str
    key: Hashable


def _scope(family: str, viewer: Viewer) -> tuple[object, ...] | None:
    if viewer.is_api_key:
        return None  # a key's root fields are checked on execution (schema/key_scopes.py)
    if family == "catalog":
        if viewer.is_anonymous:
            return ("anonymous",)
        if viewer.is_portal:
            return ("company", viewer.company_id)
        return None  # staff see price rules; systems do not browse
    if viewer.is_portal or viewer.is_staff:
        rights = tuple(sorted(viewer.rights))
        return (viewer.kind, viewer.user_id, viewer.company_id, viewer.role, rights)
    return None


def _family_of(query: str, op: str | None) -> str | None:
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if op is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == op]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    roots = _fields(operations[0].selection_set, fragments)
    if roots is None:
        return None
    names = {f.name.value for f in roots} - {"__typename"}
    if names and names <= CATALOG_ROOT_FIELDS:
        return "catalog"
    if names and names <= ACCOUNT_ROOT_FIELDS:
        for field in roots:
            if field.name.value == "__typename" or field.selection_set is None:
                continue
            own = _fields(field.selection_set, fragments)
            if own is None or any(
                f.name.value not in ACCOUNT_FIELDS or f.selection_set is not None for f in own
            ):
                return None
        return "account"
    return None


def _fields(
    selections: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
    done: set[str] | None = None,
) -> list[FieldNode] | None:
    """The fields of a selection set with its fragments inlined (None if a fragment is missing
    or spreads itself). A fragment spread again adds nothing new and is walked once: walking
    it at every spread made fragments that spread the next one twice cost 2^n."""
    done = set() if done is None else done
    out: list[FieldNode] = []
    for sel in selections.selections:
        if isinstance(sel, FieldNode):
            out.append(sel)
            continue
        if isinstance(sel, InlineFragmentNode):
            inner = _fields(sel.selection_set, fragments, seen, done)
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                return None
            if name in done:
                continue
            done.add(name)
            inner = _fields(fragment.selection_set, fragments, seen | {name}, done)
        else:
            return None
        if inner is None:
            return None
        out.extend(inner)
    return out
