"""Whole-response cache for catalog reads: storefronts render the same catalog pages for every
visitor of a customer, and a page is ~1,000 resolved fields.

A request is served from the cache when its operation is a query whose root fields are all
catalog reads (`products`, `product`, `channels`), for an anonymous visitor or a portal user.
The key is the document, operation name, variables, the price context that the answer depends
on (anonymous, or the viewer's company: its markup, customer group and closed channels), the
day (rules may depend on the date) and the response format asked for. Entries are dropped when
a catalog or price table changes, in every process (domain/shared/read_cache.py); staff, who
see price rules, and everything else go through the normal path every time.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    DocumentNode,
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

CACHEABLE_ROOT_FIELDS = frozenset({"products", "product", "channels", "__typename"})
CATALOG_TABLES = (
    "channel",
    "channel_product",
    "product",
    "product_version",
    "company",
    "customer_group",
)
MAX_BODY_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class ResponseCache:
    def __init__(self, caches: ReadCaches, *, maxsize: int = 2048, documents: int = 512) -> None:
        self.entries: ReadCache = caches.cache("catalog_response", CATALOG_TABLES, maxsize)
        self._documents: OrderedDict[tuple[str, str | None], bool] = OrderedDict()
        self._documents_max = documents

    def key(self, request: dict[str, Any], viewer: Viewer, accept: bytes) -> Hashable | None:
        """The cache key of a parsed JSON request body, or None when it is not cacheable."""
        query = request.get("query")
        op = request.get("operationName")
        variables = request.get("variables")
        if not isinstance(query, str) or not (op is None or isinstance(op, str)):
            return None
        if not (variables is None or isinstance(variables, dict)):
            return None
        if viewer.is_anonymous:
            scope: tuple[object, ...] = ("anonymous",)
        elif viewer.is_portal:
            scope = ("company", viewer.company_id)
        else:
            return None
        if not self._cacheable(query, op):
            return None
        try:
            vars_key = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None
        day = dt.datetime.now(dt.UTC).date()
        return (query, op, vars_key, scope, day, b"graphql-response+json" in accept)

    def get(self, key: Hashable) -> CachedResponse | None:
        entry: CachedResponse | None = self.entries.get(key)
        return entry

    @property
    def generation(self) -> int:
        return self.entries.generation

    def put(self, key: Hashable, response: CachedResponse, generation: int) -> None:
        if response.status != 200 or len(response.body) > MAX_BODY_BYTES:
            return
        try:
            payload = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            return
        if not isinstance(payload, dict) or payload.get("errors"):
            return
        self.entries.put(key, response, generation)

    def _cacheable(self, query: str, op: str | None) -> bool:
        doc_key = (query, op)
        known = self._documents.get(doc_key)
        if known is None:
            known = _catalog_only(query, op)
            self._documents[doc_key] = known
            if len(self._documents) > self._documents_max:
                self._documents.popitem(last=False)
        return known


def _catalog_only(query: str, op: str | None) -> bool:
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if op is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == op]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return False
    return _root_fields_cacheable(operations[0].selection_set, document, set())


def _root_fields_cacheable(
    selections: SelectionSetNode, document: DocumentNode, seen: set[str]
) -> bool:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for sel in selections.selections:
        if isinstance(sel, FieldNode):
            if sel.name.value not in CACHEABLE_ROOT_FIELDS:
                return False
        elif isinstance(sel, InlineFragmentNode):
            if not _root_fields_cacheable(sel.selection_set, document, seen):
                return False
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                return False
            if not _root_fields_cacheable(fragment.selection_set, document, seen | {name}):
                return False
        else:
            return False
    return True
