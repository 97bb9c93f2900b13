"""Parsed and validated documents kept per schema: clients send the same few documents, and
parsing plus validation cost several times what a small query's execution does.

One extension does what strawberry's `ParserCache`, `ValidationCache`, `AddValidationRules` and
`MaxTokensLimiter` do together, for less work per request: one extension instance instead of
four, and the caches are keyed by the query text (a string hashes once) where strawberry's
validation cache hashes the whole parsed document on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse, validate
from strawberry.extensions import SchemaExtension

from domain.shared.sized_cache import SizedLRU
from schema.document_limits import DocumentLimits

# A parsed document takes about 95 bytes per character of its text (measured with
# domain.shared.sized_cache.approx_size, locations included): estimated from the text, so a
# miss costs no walk over the tree.
DOCUMENT_BYTES_PER_CHAR = 100
ERROR_BYTES = 512


def _document_bytes(query: str, document: DocumentNode) -> int:
    return 2 * len(query) + DOCUMENT_BYTES_PER_CHAR * len(query)


def _errors_bytes(query: str, errors: list[GraphQLError]) -> int:
    return 2 * len(query) + 64 + sum(ERROR_BYTES + 2 * len(e.message) for e in errors)


class DocumentCache:
    """The per-schema store behind `DocumentCacheExtension` (LRU by query text, bounded by
    entries and by estimated bytes)."""

    def __init__(
        self,
        rules: Sequence[type[ASTValidationRule]],
        *,
        max_tokens: int,
        maxsize: int,
        max_bytes: int = 32 * 1024 * 1024,
        limits: DocumentLimits | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.limits = limits or DocumentLimits()
        self.max_tokens = max_tokens
        self.maxsize = maxsize
        entries = max(maxsize, 1)
        self._parsed: SizedLRU[str, DocumentNode] = SizedLRU(
            max_bytes, max_entries=entries, sizer=_document_bytes
        )
        self._validated: SizedLRU[str, list[GraphQLError]] = SizedLRU(
            max_bytes // 4, max_entries=entries, sizer=_errors_bytes
        )

    def extension(self) -> Callable[[], SchemaExtension]:
        """A factory for the schema's `extensions` (strawberry makes one per operation)."""
        return lambda: DocumentCacheExtension(self)

    def parse(self, query: str) -> DocumentNode | None:
        """The parsed document; None when it does not parse (strawberry parses it again then
        and reports the syntax error as usual)."""
        document: DocumentNode | None = self._parsed.get(query)
        if document is not None:
            return document
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if self.maxsize > 0:
            self._parsed.put(query, document)
        return document

    def validate(
        self, schema: Any, query: str, document: DocumentNode, rules: tuple[Any, ...]
    ) -> list[GraphQLError]:
        if self._parsed.get(query) is not document:
            return self._validate(schema, document, rules)  # not the cached parse
        errors: list[GraphQLError] | None = self._validated.get(query)
        if errors is None:
            errors = self._validate(schema, document, rules)
            self._validated.put(query, errors)
        return errors

    def _validate(
        self, schema: Any, document: DocumentNode, rules: tuple[Any, ...]
    ) -> list[GraphQLError]:
        # The limits first, in one linear pass: a document over them never reaches the
        # specified rules, some of which are quadratic in what a fragment expands to.
        return self.limits.check(document) or validate(schema, document, rules)


class DocumentCacheExtension(SchemaExtension):
    def __init__(self, store: DocumentCache) -> None:
        self.store = store

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        ctx.validation_rules = ctx.validation_rules + self.store.rules
        ctx.parse_options["max_tokens"] = self.store.max_tokens
        yield

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is None and ctx.query:
            ctx.graphql_document = self.store.parse(ctx.query)
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if ctx.query and document is not None and ctx.pre_execution_errors is None:
            ctx.pre_execution_errors = self.store.validate(
                ctx.schema._schema, ctx.query, document, ctx.validation_rules
            )
        yield
