"""Depth, alias and validation-work limits measured in one pass over a document, linear in its
size: each named fragment is summarised once and its summary reused at every spread.

A document of 40 fragments that each spread the next one twice stands for 2^40 fields; walking
spreads again at each use (as strawberry's depth and alias limiters do) never finishes. Here
the fragment summaries hold counts, so such a document costs 40 summaries and is refused for
the work its expansion would need before graphql-core's own rules (whose field-overlap check is
quadratic in the fields sharing a response name) see it.

The work estimate is what validating and executing the expanded document costs: every field
counts one, and fields that share a response name in one selection set count the square of
their number (the overlap rule compares them pairwise).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


@dataclass(frozen=True)
class DocumentLimits:
    """The limits a document must keep (``SchemaOptions``/``Settings``)."""

    max_depth: int = 12
    max_aliases: int = 30
    max_work: int = 50_000

    def check(self, document: DocumentNode) -> list[GraphQLError]:
        """The errors of a document over a limit; an empty list when it is within all."""
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        walker = _Walker(fragments)
        errors: list[GraphQLError] = []
        aliases = 0
        work = 0
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            try:
                summary = walker.level(definition.selection_set)
            except RecursionError:
                return [
                    GraphQLError(
                        "The document nests selections too deeply.",
                        [definition],
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                ]
            name = definition.name.value if definition.name else "anonymous"
            if summary.depth > self.max_depth:
                errors.append(
                    GraphQLError(
                        f"'{name}' exceeds maximum operation depth of {self.max_depth}",
                        [definition],
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                )
            aliases += summary.aliases
            work += summary.level_work() + summary.nested_work
        if aliases > self.max_aliases:
            errors.append(
                GraphQLError(
                    f"{aliases} aliases found. Allowed: {self.max_aliases}",
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
            )
        if work > self.max_work:
            shown = f"{work}" if work < 10**12 else "more than 10^12"
            errors.append(
                GraphQLError(
                    f"The document expands to {shown} units of validation work; at most "
                    f"{self.max_work} are allowed. Spread fragments fewer times and do not repeat "
                    "a field under one name.",
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
            )
        return errors


@dataclass
class _Level:
    """One selection set with its fragments merged in: the fields at its own level by response
    name, and what lies below them."""

    names: Counter[str] = field(default_factory=Counter)
    depth: int = 0
    aliases: int = 0
    nested_work: int = 0

    def level_work(self) -> int:
        return sum(k + k * k if k > 1 else 1 for k in self.names.values())

    def add(self, other: _Level, times: int = 1) -> None:
        for name, k in other.names.items():
            self.names[name] += k * times
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases * times
        self.nested_work += other.nested_work * times


class _Walker:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.summaries: dict[str, _Level] = {}
        self.visiting: set[str] = set()

    def level(self, selection_set: SelectionSetNode) -> _Level:
        out = _Level()
        spreads: Counter[str] = Counter()
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                out.names[node.alias.value if node.alias else node.name.value] += 1
                if node.alias:
                    out.aliases += 1
                if node.selection_set is not None:
                    child = self.level(node.selection_set)
                    out.aliases += child.aliases
                    out.nested_work += child.level_work() + child.nested_work
                    # Introspection fields do not count towards the depth (as strawberry's).
                    if not node.name.value.startswith("__"):
                        out.depth = max(out.depth, 1 + child.depth)
            elif isinstance(node, InlineFragmentNode):
                out.add(self.level(node.selection_set))
            elif isinstance(node, FragmentSpreadNode):
                spreads[node.name.value] += 1
        for name, times in spreads.items():
            summary = self.fragment(name)
            if summary is not None:
                out.add(summary, times)
        return out

    def fragment(self, name: str) -> _Level | None:
        known = self.summaries.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return None  # unknown or cyclic: graphql-core's own rules report those
        self.visiting.add(name)
        try:
            summary = self.level(definition.selection_set)
        finally:
            self.visiting.discard(name)
        self.summaries[name] = summary
        return summary
