"""Assembles the Schema from schema/'s types and the areas' query, mutation and subscription
roots in resolvers/: the one module that names them all, so it sits above both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.schema.config import StrawberryConfig

from resolvers.accounts.mutation_root import AccountsMutation
from resolvers.accounts.queries import AccountsQuery
from resolvers.billing.mutation_root import BillingMutation
from resolvers.billing.queries import BillingQuery
from resolvers.billing.subscriptions import BillingSubscription
from resolvers.catalog.mutation_root import CatalogMutation
from resolvers.catalog.queries import CatalogQuery
from resolvers.catalog.subscriptions import CatalogSubscription
from resolvers.changes.queries import ChangesQuery
from resolvers.context import RequestContext
from resolvers.fulfilment.mutation_root import FulfilmentMutation
from resolvers.fulfilment.queries import FulfilmentQuery
from resolvers.fulfilment.subscriptions import FulfilmentSubscription
from resolvers.integrations.mutation_root import IntegrationsMutation
from resolvers.integrations.queries import IntegrationsQuery
from resolvers.jobs.mutation_root import JobsMutation
from resolvers.jobs.queries import JobsQuery
from resolvers.laser.mutation_root import LaserMutation
from resolvers.laser.queries import LaserQuery
from resolvers.node import NodeQuery
from resolvers.notifications.mutation_root import NotificationsMutation
from resolvers.notifications.queries import NotificationsQuery
from resolvers.orders.mutation_root import OrdersMutation
from resolvers.orders.queries import OrdersQuery
from resolvers.orders.subscriptions import OrdersSubscription
from resolvers.payments.mutation_root import PaymentsMutation
from resolvers.payments.queries import PaymentsQuery
from resolvers.payments.subscriptions import PaymentsSubscription
from resolvers.quotes.mutation_root import QuotesMutation
from resolvers.quotes.queries import QuotesQuery
from resolvers.quotes.subscriptions import QuotesSubscription
from resolvers.routing.mutation_root import RoutingMutation
from resolvers.routing.queries import RoutingQuery
from resolvers.routing.subscriptions import RoutingSubscription
from resolvers.stock.mutation_root import StockMutation
from resolvers.stock.queries import StockQuery
from resolvers.stock.subscriptions import StockSubscription
from schema.document_cache import DocumentCache
from schema.document_limits import DocumentLimits
from schema.fast_fields import FastLeafExecutor
from schema.hardening import ProductionErrors, QueryCost
from schema.input_errors import InputErrorCodes
from schema.key_scopes import ApiKeyScopes
from schema.scalars import SCALAR_OVERRIDES
from schema.shared_subscriptions import SharedSubscriptionSchema
from schema.text_guard import StorableTextRule, StorableVariables


@dataclass(frozen=True)
class SchemaOptions:
    production: bool = False
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 5000
    # Units of validation work a document may expand to (schema/document_limits.py).
    max_validation_work: int = 50_000
    default_page_size: int = 20
    # Parsed and validated documents kept per process (LRU, by query text): clients send the
    # same few documents, and validation is the largest cost of a small query. 0 turns it off.
    document_cache_size: int = 256
    # Extension factories added last (server/: request log, rate limits, tracing); the last
    # one sees errors before ProductionErrors masks them.
    extra_extensions: tuple[object, ...] = ()


@strawberry.type(description="Read the shop's data; everything is scoped to who asks.")
class Query(
    NodeQuery,
    AccountsQuery,
    CatalogQuery,
    OrdersQuery,
    LaserQuery,
    StockQuery,
    JobsQuery,
    IntegrationsQuery,
    ChangesQuery,
    QuotesQuery,
    NotificationsQuery,
    FulfilmentQuery,
    RoutingQuery,
    PaymentsQuery,
    BillingQuery,
):
    pass


@strawberry.type(description="Change data; each mutation says which right or role it needs.")
class Mutation(
    AccountsMutation,
    CatalogMutation,
    OrdersMutation,
    LaserMutation,
    StockMutation,
    JobsMutation,
    IntegrationsMutation,
    QuotesMutation,
    NotificationsMutation,
    FulfilmentMutation,
    RoutingMutation,
    PaymentsMutation,
    BillingMutation,
):
    pass


@strawberry.type(description="Live updates over websockets (graphql-transport-ws).")
class Subscription(
    CatalogSubscription,
    OrdersSubscription,
    StockSubscription,
    QuotesSubscription,
    FulfilmentSubscription,
    RoutingSubscription,
    PaymentsSubscription,
    BillingSubscription,
):
    pass


def build_schema(options: SchemaOptions | None = None) -> strawberry.Schema:
    options = options or SchemaOptions()
    # Depth, aliases and validation work are checked in one linear pass before the rules run.
    limits = DocumentLimits(
        max_depth=options.max_depth,
        max_aliases=options.max_aliases,
        max_work=options.max_validation_work,
    )
    rules: list[Any] = [StorableTextRule]
    if options.production:
        rules.append(NoSchemaIntrospectionCustomRule)
    # Factories, not instances: a fresh extension per operation (they hold per-request state).
    # Parsed and validated documents are kept per schema (LRU by query text); with
    # `document_cache_size=0` every request parses and validates again.
    documents = DocumentCache(
        rules, max_tokens=options.max_tokens, maxsize=options.document_cache_size, limits=limits
    )
    extensions: list[object] = [
        documents.extension(),
        ApiKeyScopes,
        StorableVariables,
        InputErrorCodes,
        lambda: QueryCost(max_cost=options.max_cost, default_page_size=options.default_page_size),
    ]
    if options.production:
        extensions.append(ProductionErrors)
    extensions.extend(options.extra_extensions)
    return SharedSubscriptionSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides=SCALAR_OVERRIDES,
        execution_context_class=FastLeafExecutor,
        context_type=RequestContext,
    )
