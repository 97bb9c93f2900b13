"""The save-time check of a webhook's subscription document (a DocumentCheck of
domain/integrations/webhooks.py): one subscription operation of this schema, without
variables, selecting one event-driven field the key may call."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse, validate

from domain.accounts.viewer import Viewer
from domain.integrations.webhooks import DocumentCheck
from domain.stock.ledger import TOPIC as STOCK_TOPIC
from resolvers.orders.subscriptions import ORDER_TOPICS
from schema.key_scopes import refused_fields, root_field_names

# Subscription fields a webhook may run, with the event topics that can produce something.
WEBHOOK_FIELDS: dict[str, frozenset[str]] = {
    "orderStatusChanged": ORDER_TOPICS,
    "incomingOrders": ORDER_TOPICS,
    "jobStatusChanged": frozenset({"job.status_changed"}),
    "stockLevelChanged": frozenset({STOCK_TOPIC}),
}
MAX_DOCUMENT_TOKENS = 2_000


def document_checker(schema: strawberry.Schema) -> DocumentCheck:
    def check(document: str, owner: Viewer) -> tuple[str | None, list[str]]:
        try:
            parsed = parse(document, no_location=True, max_tokens=MAX_DOCUMENT_TOKENS)
        except GraphQLError as exc:
            return None, [exc.message]
        operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
            return None, ["The document must hold exactly one subscription operation."]
        if operations[0].variable_definitions:
            return None, ["Webhook documents take no variables."]
        problems = [e.message for e in validate(schema._schema, parsed)]
        if problems:
            return None, problems
        fields = list(root_field_names(parsed, None))
        if len(fields) != 1 or fields[0] not in WEBHOOK_FIELDS:
            names = ", ".join(sorted(WEBHOOK_FIELDS))
            return None, [f"Select exactly one of these subscription fields: {names}."]
        if owner.key_scopes is not None and refused_fields(fields, owner.key_scopes):
            return None, [f"This API key may not subscribe to {fields[0]}."]
        return fields[0], []

    return check
