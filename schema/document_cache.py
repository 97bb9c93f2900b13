"""Parsed and validated documents kept per schema: clients send the same few documents, and
parsing plus validation cost several times what a small query's execution does.

One extension does what strawberry's `ParserCache`, `ValidationCache`, `AddValidationRules` and
`MaxTokensLimiter` do together, for less work per request: one extension instance instead of
four, and the caches are keyed by the query text (a string hashes once) where strawberry's
validation cache hashes the whole parsed document on every request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse, validate
from strawberry.extensions import SchemaExtension

from schema.document_limits import DocumentLimits


class DocumentCache:
    """The per-schema store behind `DocumentCacheExtension` (LRU by query text)."""

    def __init__(
        self,
        rules: Sequence[type[ASTValidationRule]],
        *,
        max_tokens: int,
        maxsize: int,
        limits: DocumentLimits | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.limits = limits or DocumentLimits()
        self.max_tokens = max_tokens
        self.maxsize = maxsize
        self._parsed: OrderedDict[str, DocumentNode] = OrderedDict()
        self._validated: OrderedDict[str, list[GraphQLError]] = OrderedDict()

    def extension(self) -> Callable[[], SchemaExtension]:
        """A factory for the schema's `extensions` (strawberry makes one per operation)."""
        return lambda: DocumentCacheExtension(self)

    def parse(self, query: str) -> DocumentNode | None:
        """The parsed document; None when it does not parse (strawberry parses it again then
        and reports the syntax error as usual)."""
        document = self._parsed.get(query)
        if document is not None:
            self._parsed.move_to_end(query)
            return document
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if self.maxsize > 0:
            self._parsed[query] = document
            if len(self._parsed) > self.maxsize:
                self._parsed.popitem(last=False)
        return document

    def validate(
        self, schema: Any, query: str, document: DocumentNode, rules: tuple[Any, ...]
    ) -> list[GraphQLError]:
        if self._parsed.get(query) is not document:
            return self._validate(schema, document, rules)  # not the cached parse
        errors = self._validated.get(query)
        if errors is None:
            errors = self._validate(schema, document, rules)
            self._validated[query] = errors
            if len(self._validated) > self.maxsize:
                self._validated.popitem(last=False)
        else:
            self._validated.move_to_end(query)
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
