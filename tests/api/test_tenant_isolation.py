"""Tenant isolation, walked from the schema (DESIGN: "Global IDs of another company's objects
answer exactly like IDs that do not exist").

Every Query and Mutation field that takes a global ID anywhere in its arguments (directly, in a
list, or inside input objects) is called by a user of company A with each object of company B
(and each shop-internal object) and with a forged ID of the same type that does not exist; the
two answers must be identical once the ID strings are swapped, and B's rows must not change.
A positive control proves each call reaches the lookup: A's own ID must answer differently from
a missing one. Fields are found by introspection, so fields added later are covered without
editing this file; root fields without IDs must be explained in NO_ID_FIELDS (Query fields
without IDs are swept instead: nothing of B may show in anything they reach).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from adapters.db import SqlUnitOfWork, session_factory
from domain.billing.credit_notes import CreditLine, issue_credit_note
from domain.billing.models import InvoiceLine
from server.schema import build_schema
from server.settings import Settings
from tests.billing_support import deliver, make_order
from tests.factories import gql, login

A, B = "acme", "globex"

# Mutation fields with no global ID anywhere in their arguments, and why that is fine. The test
# fails when one of them grows an ID argument (then it is tested), when a new mutation without
# IDs is not listed here, or when an entry is stale.
NO_ID_FIELDS: dict[str, str] = {
    "Mutation.tokenCreate": "logs in by login and password, names no object",
    "Mutation.bankStatementImport": "staff only; matches statement lines by order number "
    "(tests/api/test_payments_account.py)",
    "Mutation.tokenRefresh": "takes an opaque refresh token, names no object",
    "Mutation.tokenRevoke": "takes an opaque refresh token, names no object",
    "Mutation.customerGroupCreate": "creates a shop-wide object, names no other; staff only",
    "Mutation.registrationRequestCreate": "open to anyone, names no object",
    "Mutation.passwordResetRequest": "by login; answers the same whether or not it exists",
    "Mutation.passwordResetConfirm": "takes an opaque reset token, names no object",
    "Mutation.staffUserCreate": "creates a staff account, names no object; staff only",
    "Mutation.channelCreate": "creates a shop-wide channel, names no object; staff only",
    "Mutation.supplierCreate": "creates a shop-wide supplier, names no object; staff only",
    "Mutation.supplierStockUpdate": "supplier API key only; names its own supplier's SKUs "
    "(tests/api/test_stock_supplier_feed.py: another supplier's SKU is unknown)",
    "Mutation.supplierJobReport": "supplier API key only; names a job by the number it "
    "received, looked up among its own supplier's jobs (tests/api/test_supplier_routing.py: "
    "another supplier's job is NOT_FOUND)",
    "Mutation.laserMachineUpdate": "changes the shop-wide machine rates, names no object; "
    "staff only",
    "Mutation.apiKeyCreate": "makes a key of the viewer's own company (staff: of the shop), "
    "names no object",
    "Mutation.quoteSettingsUpdate": "changes the shop-wide quote rules, names no object; "
    "staff only",
    "Mutation.shippingMethodCreate": "creates a channel's shipping method by channel code, "
    "names no object; staff only",
    "Mutation.partImportConfirm": "takes an opaque import key (a random UUID), looked up in the "
    "viewer's company only (tests/api/test_laser_import.py: another company's key is NOT_FOUND)",
    "Mutation.notificationPreferencesUpdate": "the viewer's own preferences, phone and language; "
    "names no object",
}

# Subscriptions run over websockets, which this HTTP test cannot drive: listed so that a new
# one with an ID argument is noticed (and tested elsewhere) rather than silently missed.
SUBSCRIPTIONS_NOT_COVERED: dict[str, str] = {
    "Subscription.livePrice": "websocket only: tests/api/test_live_price.py::"
    "test_live_price_of_another_company_is_not_found",
    "Subscription.stockLevelChanged": "websocket only: tests/api/test_stock_live.py and the "
    "filter in tests/unit/test_stock_rules.py (other companies' items push nothing)",
}

# Types everyone may read by ID: nothing of them is hidden from another company.
PUBLIC_TYPES: dict[str, str] = {
    "Product": "the catalog is public; inactive products stay readable by ID for old orders",
    "ProductVersion": "immutable versions of public products, referred to by prices and quotes",
    "ShippingMethod": "a channel's shipping methods with their rates, offered to every "
    "customer of the channel (managed by staff only)",
    "LaserMaterial": "the shop's sheet materials, the same for everyone (the price per kg is a "
    "staff-only field)",
}

# Objects hidden from a user of company :viewer: those of company :victim and shop-internal
# ones. A Node type neither here nor in PUBLIC_TYPES fails the test: say how to find its objects.
HIDDEN_SQL: dict[str, str] = {
    "Company": "SELECT id FROM company WHERE id = :victim",
    "PortalUser": "SELECT id FROM portal_user WHERE company_id = :victim ORDER BY id",
    "PermissionGroup": "SELECT id FROM permission_group WHERE company_id = :victim ORDER BY id",
    "Configuration": "SELECT id FROM configuration WHERE company_id = :victim ORDER BY id",
    "CartLine": "SELECT id FROM cart_line WHERE company_id = :victim ORDER BY id",
    "Order": "SELECT id FROM customer_order WHERE company_id = :victim ORDER BY id",
    "OrderFile": "SELECT id FROM order_file WHERE company_id = :victim ORDER BY id",
    "Job": "SELECT id FROM job WHERE company_id = :victim ORDER BY id",
    "Task": "SELECT t.id FROM task t JOIN job j ON j.id = t.job_id "
    "WHERE j.company_id = :victim ORDER BY t.id",
    "Channel": "SELECT id FROM channel WHERE :victim = ANY(company_ids) "
    "AND NOT :viewer = ANY(company_ids) ORDER BY id",
    # Customer groups, staff and registrations are the shop's: hidden from every portal user.
    "CustomerGroup": "SELECT customer_group_id FROM company WHERE id = :victim",
    "StaffUser": "SELECT id FROM staff_user ORDER BY id",
    "RegistrationRequest": "SELECT id FROM registration_request ORDER BY id",
    "StockItem": "SELECT id FROM stock_item WHERE company_id = :victim ORDER BY id",
    "Part": "SELECT id FROM part WHERE company_id = :victim ORDER BY id",
    # Suppliers and purchase orders are the shop's: hidden from every portal user.
    "Supplier": "SELECT id FROM supplier ORDER BY id",
    "PurchaseOrder": "SELECT id FROM purchase_order ORDER BY id",
    # API keys and webhooks of the company, and the shop's own.
    "ApiKey": "SELECT id FROM api_key WHERE company_id = :victim OR company_id IS NULL ORDER BY id",
    "Webhook": "SELECT id FROM webhook WHERE company_id = :victim OR company_id IS NULL "
    "ORDER BY id",
    "WebhookDelivery": "SELECT id FROM webhook_delivery WHERE company_id = :victim "
    "OR company_id IS NULL ORDER BY id",
    # Background jobs are the shop's: hidden from every portal user.
    "BackgroundJob": "SELECT id FROM procrastinate_jobs ORDER BY id",
    "Quote": "SELECT id FROM quote WHERE company_id = :victim ORDER BY id",
    "QuoteLine": "SELECT id FROM quote_line WHERE company_id = :victim ORDER BY id",
    # RFQs and partners' answers are the shop's: hidden from every portal user.
    "Rfq": "SELECT id FROM rfq ORDER BY id",
    "RfqInvitation": "SELECT id FROM rfq_invitation ORDER BY id",
    "Shipment": "SELECT id FROM shipment WHERE company_id = :victim ORDER BY id",
    # Supplier jobs are the shop's (and each supplier's own): hidden from every portal user.
    "SupplierJob": "SELECT id FROM supplier_job ORDER BY id",
    "RoutingRule": "SELECT id FROM routing_rule ORDER BY id",
    # Not Node types (no `node` lookup; IDs only for staff mutations and a customer's decision):
    # named for the ID hints below; their isolation is tested in tests/api/test_payments_*.py
    # and tests/api/test_final_price.py.
    "Payment": "SELECT id FROM payment WHERE company_id = :victim ORDER BY id",
    "OrderAdjustment": "SELECT id FROM order_adjustment WHERE company_id = :victim ORDER BY id",
    "Invoice": "SELECT id FROM invoice WHERE company_id = :victim ORDER BY id",
    "CreditNote": "SELECT id FROM credit_note WHERE company_id = :victim ORDER BY id",
}

# The viewer's own object of a type (company :own), to fill ID arguments not under test and
# for the positive control. Newest first, and never the acting primary user.
OWN_SQL: dict[str, str] = {
    "Company": "SELECT id FROM company WHERE id = :own",
    "PortalUser": "SELECT id FROM portal_user WHERE company_id = :own ORDER BY is_primary, id DESC",
    "PermissionGroup": "SELECT id FROM permission_group WHERE company_id = :own "
    "ORDER BY name = 'Administrators', id DESC",
    "Configuration": "SELECT id FROM configuration WHERE company_id = :own ORDER BY id",
    "CartLine": "SELECT id FROM cart_line WHERE company_id = :own ORDER BY id DESC",
    "Order": "SELECT id FROM customer_order WHERE company_id = :own ORDER BY id DESC",
    "OrderFile": "SELECT id FROM order_file WHERE company_id = :own ORDER BY id DESC",
    "Job": "SELECT id FROM job WHERE company_id = :own ORDER BY id DESC",
    "Task": "SELECT t.id FROM task t JOIN job j ON j.id = t.job_id "
    "WHERE j.company_id = :own ORDER BY t.id DESC",
    "Channel": "SELECT id FROM channel WHERE cardinality(company_ids) = 0 AND is_active "
    "ORDER BY id",
    "Product": "SELECT p.id FROM product p JOIN channel_product cp ON cp.product_id = p.id "
    "WHERE p.is_active AND p.kind = 'PRINT' ORDER BY cp.channel_id, p.id",
    "ProductVersion": "SELECT v.id FROM product_version v JOIN product p "
    "ON p.current_version_id = v.id WHERE p.is_active AND p.kind = 'PRINT' ORDER BY v.id",
    "StockItem": "SELECT id FROM stock_item WHERE company_id = :own ORDER BY id DESC",
    "Part": "SELECT id FROM part WHERE company_id = :own ORDER BY id DESC",
    # Never the key a walk runs as (the first one made), nor a revoked one.
    "ApiKey": "SELECT id FROM api_key WHERE company_id = :own AND revoked_at IS NULL "
    "ORDER BY id DESC",
    "Webhook": "SELECT id FROM webhook WHERE company_id = :own ORDER BY id DESC",
    "WebhookDelivery": "SELECT id FROM webhook_delivery WHERE company_id = :own ORDER BY id DESC",
    "Quote": "SELECT id FROM quote WHERE company_id = :own ORDER BY id DESC",
    "QuoteLine": "SELECT id FROM quote_line WHERE company_id = :own ORDER BY id DESC",
    "Shipment": "SELECT id FROM shipment WHERE company_id = :own ORDER BY id DESC",
    "ShippingMethod": "SELECT id FROM shipping_method ORDER BY id",
    "Invoice": "SELECT id FROM invoice WHERE company_id = :own ORDER BY id DESC",
    "CreditNote": "SELECT id FROM credit_note WHERE company_id = :own ORDER BY id DESC",
}

# Where an ID argument's name does not say which type it takes ("groupIds": CustomerGroup or
# PermissionGroup?), say it here: "Root.field:path.to.id" -> type name.
ID_TYPE_HINTS: dict[str, str] = {
    "Mutation.portalUserCreate:input.groupIds": "PermissionGroup",
    "Mutation.portalUserUpdate:input.groupIds": "PermissionGroup",
    "Mutation.quoteLineOverride:input.lineId": "QuoteLine",
    "Mutation.quoteLineUpdate:input.lineId": "QuoteLine",
    "Mutation.quoteLineRemove:input.lineId": "QuoteLine",
    "Mutation.rfqChoose:input.invitationId": "RfqInvitation",
    "Mutation.routingRuleDelete:id": "RoutingRule",
    "Mutation.supplierJobRelease:id": "SupplierJob",
    "Mutation.supplierJobCancel:id": "SupplierJob",
    "Mutation.supplierJobReroute:id": "SupplierJob",
    "Mutation.paymentRefund:id": "Payment",
    "Mutation.orderAdjustmentDecide:id": "OrderAdjustment",
}

# ID arguments where the positive control cannot tell (they are still compared above).
UNPROVEN_OK: dict[str, str] = {
    "Query.priceQuote:input.companyId": "staff only; a portal user's value is ignored",
    "Mutation.partCreateFromDxf:input.companyId": "staff only; a portal user's value is ignored",
    "Mutation.partCreateFromTemplate:input.companyId": "staff only; a portal user's value is "
    "ignored",
    "Mutation.partImportPreview:input.companyId": "staff only; a portal user's value is ignored",
    "Mutation.orderPlace:input.shippingMethodId": "checkout prices shipping after the cart "
    "lines, which the walk's earlier orderPlace calls have ordered by then; shipping methods are "
    "public per channel, and one of another channel or none answers SHIPPING_UNAVAILABLE "
    "(tests/api/test_shipping.py)",
    "Query.cartTotals:shippingMethodId": "shipping methods are public per channel and only "
    "priced when the viewer's cart has lines; one of another channel or none answers a "
    "shippingProblem (tests/api/test_cart_totals.py)",
    "Mutation.orderPlace:input.priceTokens.cartLineId": "tokens are only looked up for the "
    "viewer's own lines being ordered; any other ID is ignored",
    "Mutation.webhookCreate:input.apiKeyId": "an API key calling this makes the webhook for "
    "itself and ignores the ID (a user's walk proves it)",
    "Query.supplierJobs:orderId": "a portal user sees no supplier job at all, whatever the "
    "order (tests/api/test_supplier_routing.py: the customer's list is empty)",
    "Query.stockItems:filter.supplierId": "staff only; a portal user's supplier filter "
    "matches nothing whatever the ID",
    "Query.rfqs:quoteId": "RFQs are the shop's and its partners': a portal user's list is "
    "empty whatever the ID",
    "Query.quotes:filter.companyId": "a portal user's list is their company's whatever the "
    "filter; another company's ID filters to nothing like a missing one",
    "Mutation.orderAdjustmentDecide:id": "an OrderAdjustment is no Node (reached through its "
    "order); another company's adjustment answers NOT_FOUND in tests/api/test_final_price.py",
}

# Hidden objects tried per type, and how deep the answers are selected (a leak at the root
# already differs from "not found"; deeper only costs time).
PER_TYPE = 1
DEPTH = 1

# Shop-wide tables a portal user must never change, snapshotted next to company B's rows.
SHOP_TABLES = (
    "customer_group",
    "staff_user",
    "registration_request",
    "channel",
    "product",
    "supplier",
    "purchase_order",
    "quote_settings",
    "quote_template",
)


# --- reading the schema ------------------------------------------------------------------------


def gql_schema() -> GraphQLSchema:
    return build_schema()._schema


def node_types(schema: GraphQLSchema) -> list[str]:
    node = schema.get_type("Node")
    assert isinstance(node, GraphQLInterfaceType)
    return sorted(t.name for t in schema.get_possible_types(node))


def is_id(t: Any) -> bool:
    return get_named_type(t).name == "ID"


def id_paths(args: dict[str, GraphQLArgument]) -> list[tuple[str, ...]]:
    """Paths to every ID-typed argument or input field (through lists and input objects)."""

    def walk(t: Any, path: tuple[str, ...], seen: frozenset[str]) -> Iterator[tuple[str, ...]]:
        named = get_named_type(t)
        if is_id(named):
            yield path
        elif isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            for name, f in named.fields.items():
                yield from walk(f.type, (*path, name), seen | {named.name})

    return [p for name, arg in args.items() for p in walk(arg.type, (name,), frozenset())]


def root_fields(schema: GraphQLSchema) -> dict[str, GraphQLField]:
    out: dict[str, GraphQLField] = {}
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is not None:
            out.update({f"{root.name}.{name}": f for name, f in root.fields.items()})
    return out


def cases(schema: GraphQLSchema, root: str) -> Iterator[tuple[str, GraphQLField, tuple[str, ...]]]:
    for key, field in root_fields(schema).items():
        if key.startswith(f"{root}."):
            for path in id_paths(field.args):
                yield key, field, path


def lower_camel(name: str) -> str:
    return name[0].lower() + name[1:]


def id_type_candidates(schema: GraphQLSchema, key: str, path: tuple[str, ...]) -> list[str]:
    """The Node types an ID argument takes, from ID_TYPE_HINTS or its name: `companyId` ->
    Company; `id` of `portalUserUpdate` -> PortalUser; `id` of `node` -> any Node type."""
    hint = ID_TYPE_HINTS.get(f"{key}:{'.'.join(path)}")
    if hint:
        return [hint]
    types = node_types(schema)
    leaf = path[-1]
    stem = "" if leaf in ("id", "ids") else re.sub(r"Ids?$", "", leaf)
    if not stem:
        field = key.split(".", 1)[1]
        prefixed = [t for t in types if field.startswith(lower_camel(t))]
        return [max(prefixed, key=len)] if prefixed else types
    exact = [t for t in types if lower_camel(t) == stem]
    return exact or [t for t in types if t.endswith(stem[0].upper() + stem[1:])] or types


def required(arg: GraphQLArgument | GraphQLInputField) -> bool:
    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined


def steps_to(
    field: GraphQLField, path: tuple[str, ...]
) -> list[GraphQLArgument | GraphQLInputField]:
    """The argument and the input fields along ``path``."""
    steps: list[GraphQLArgument | GraphQLInputField] = [field.args[path[0]]]
    for name in path[1:]:
        parent = get_named_type(steps[-1].type)
        assert isinstance(parent, GraphQLInputObjectType)
        steps.append(parent.fields[name])
    return steps


def is_list_path(field: GraphQLField, path: tuple[str, ...]) -> bool:
    t = steps_to(field, path)[-1].type
    return isinstance(t.of_type if isinstance(t, GraphQLNonNull) else t, GraphQLList)


def selection(
    schema: GraphQLSchema,
    t: Any,
    depth: int,
    path: frozenset[str] = frozenset(),
    aliased: tuple[str, frozenset[str]] = ("", frozenset()),
) -> str:
    """Every field reachable within ``depth`` object levels, each type at most once per path;
    fields with required arguments are left out. Under an abstract type, fields whose types
    differ between the possible types (`company: Company!` here, `Company` there) get an alias
    per type, or the selection would not validate."""
    named = get_named_type(t)
    if is_leaf_type(named):
        return ""
    parts = ["__typename"]
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        members = schema.get_possible_types(named)
        types_by_name: dict[str, set[str]] = {}
        for member in members:
            for name, f in member.fields.items():
                types_by_name.setdefault(name, set()).add(str(f.type))
        clash = frozenset(n for n, ts in types_by_name.items() if len(ts) > 1)
        for member in members:
            inner = selection(schema, member, depth, path, (f"{member.name}_", clash))
            parts.append(f"... on {member.name} {{ {inner} }}")
        return " ".join(parts)
    assert isinstance(named, GraphQLObjectType)
    prefix, clash = aliased
    for name, f in named.fields.items():
        if any(required(a) for a in f.args.values()):
            continue
        inner = get_named_type(f.type)
        label = f"{prefix}{name}: {name}" if name in clash else name
        if is_leaf_type(inner):
            parts.append(label)
        elif depth > 0 and inner.name not in path:
            sub = selection(schema, inner, depth - 1, path | {named.name})
            parts.append(f"{label} {{ {sub} }}")
    return " ".join(parts)


# --- building arguments ------------------------------------------------------------------------


def plausible_string(name: str, tag: str) -> str:
    n = name.lower()
    if "email" in n:
        return f"{tag}@example.com"
    if "password" in n:
        return f"Isolation-{tag}-Passphrase"
    if "country" in n:
        return "DE"
    if "currency" in n:
        return "EUR"
    if "iban" in n:
        return "DE89370400440532013000"
    if "bic" in n:
        return "COBADEFFXXX"
    if n in ("name", "code", "login") or n.endswith("code"):
        return tag  # lowercase letters and digits: a valid customer code and login name
    return f"Isolation {tag}"


SCALARS: dict[str, Any] = {
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Decimal": "0",
    "DateTime": "2030-01-01T00:00:00+00:00",
    "Date": "2030-01-01",
    "JSON": {},
}


@dataclass
class ArgBuilder:
    """A minimal, valid-looking argument set built from the schema: required values only, plus
    the path to the ID under test, which gets ``value``."""

    key: str
    tag: str
    fill_ids: dict[str, str]  # type name -> the viewer's own global ID (or a forged one)
    schema: GraphQLSchema
    companion: str | None = None  # put in front of the ID under test in a list of IDs
    uploads: list[str] = dataclasses.field(default_factory=list)  # multipart map paths

    def args(self, field: GraphQLField, path: tuple[str, ...], value: str | None) -> dict[str, Any]:
        self.uploads = []
        out: dict[str, Any] = {}
        for name, arg in field.args.items():
            if value is not None and path[0] == name:
                out[name] = self.build(arg.type, path[1:], value, (name,))
            elif required(arg):
                out[name] = self.build(arg.type, (), None, (name,))
        return out

    def build(self, t: Any, rest: tuple[str, ...], value: str | None, at: tuple[str, ...]) -> Any:
        inner = t.of_type if isinstance(t, GraphQLNonNull) else t
        on_path = value is not None
        if isinstance(inner, GraphQLList):
            if not on_path:
                return []
            item = self.build(inner.of_type, rest, value, at)
            return [self.companion, item] if self.companion and not rest else [item]
        if isinstance(inner, GraphQLInputObjectType):
            obj = {}
            for name, f in inner.fields.items():
                if on_path and rest and rest[0] == name:
                    obj[name] = self.build(f.type, rest[1:], value, (*at, name))
                elif required(f):
                    obj[name] = self.build(f.type, (), None, (*at, name))
            return obj
        if on_path:
            return value
        if is_id(inner):
            [type_name, *_] = id_type_candidates(self.schema, self.key, at)
            return self.fill_ids[type_name]
        if isinstance(inner, GraphQLEnumType):
            return next(iter(inner.values))
        if inner.name == "String":
            return plausible_string(at[-1], self.tag)
        if inner.name == "Upload":  # sent as a file part (GraphQL multipart request)
            self.uploads.append(".".join(("variables", *at)))
            return None
        assert inner.name in SCALARS, f"{self.key}: add a plausible {inner.name} to SCALARS"
        return SCALARS[inner.name]


def operation(key: str, field: GraphQLField, args: dict[str, Any], sel: str) -> str:
    root, name = key.split(".", 1)
    defs = ", ".join(f"${a}: {field.args[a].type}" for a in args)
    call = f"({', '.join(f'{a}: ${a}' for a in args)})" if args else ""
    head = "mutation" if root == "Mutation" else "query"
    return (
        f"{head}{f' ({defs})' if defs else ''} {{ {name}{call} {f'{{ {sel} }}' if sel else ''} }}"
    )


# --- the database side -------------------------------------------------------------------------


def gid(type_name: str, pk: object) -> str:
    return str(relay.GlobalID(type_name, str(pk)))


def forge(type_name: str, like: str | None = None) -> str:
    """An ID of ``type_name`` that exists nowhere, shaped like ``like`` (integer or UUID)."""
    node_id = relay.GlobalID.from_id(like).node_id if like else "1"
    try:
        uuid.UUID(node_id)
    except ValueError:
        return gid(type_name, 999999)
    return gid(type_name, uuid.UUID(int=0xDEADBEEF, version=4))


async def company_id(engine: AsyncEngine, code: str) -> int:
    async with engine.connect() as conn:
        sql = text("SELECT id FROM company WHERE code = :c")
        return int((await conn.execute(sql, {"c": code})).scalar_one())


async def hidden_objects(
    engine: AsyncEngine, types: list[str], viewer: int, victim: int
) -> dict[str, list[str]]:
    """Global IDs (PER_TYPE per Node type) that a user of company ``viewer`` may not see."""
    unknown = sorted(set(types) - set(HIDDEN_SQL) - set(PUBLIC_TYPES))
    assert not unknown, f"Node types missing from HIDDEN_SQL (or PUBLIC_TYPES): {unknown}"
    out: dict[str, list[str]] = {}
    async with engine.connect() as conn:
        for t in types:
            if t in PUBLIC_TYPES:
                continue
            params = {"victim": victim, "viewer": viewer}
            pks = [r[0] for r in await conn.execute(text(HIDDEN_SQL[t]), params)]
            pks = [pk for pk in pks if pk is not None][:PER_TYPE]
            assert pks, f"no hidden {t} to test with: extend the `world` fixture"
            out[t] = [gid(t, pk) for pk in pks]
    return out


async def own_ids(engine: AsyncEngine, own: int) -> dict[str, str]:
    out = {}
    async with engine.connect() as conn:
        for t, sql in OWN_SQL.items():
            pk = (await conn.execute(text(sql), {"own": own})).scalars().first()
            if pk is not None:
                out[t] = gid(t, pk)
    return out


async def tenant_snapshot(engine: AsyncEngine, company: int) -> dict[str, list[str]]:
    """Every row of the company, found generically: tables with a company_id, and rows that
    reference those rows by foreign key (group members, sessions...), plus the shop's tables."""
    async with engine.connect() as conn:
        columns: dict[str, set[str]] = {}
        for t, c in await conn.execute(
            text(
                "SELECT c.table_name, c.column_name FROM information_schema.columns c "
                "JOIN pg_tables t ON t.tablename = c.table_name AND t.schemaname = 'public' "
                "WHERE c.table_schema = 'public' AND c.table_name <> 'alembic_version'"
            )
        ):
            columns.setdefault(t, set()).add(c)
        fks = list(
            await conn.execute(
                text(
                    "SELECT cl.relname, a.attname, pcl.relname, pa.attname FROM pg_constraint c "
                    "JOIN pg_class cl ON cl.oid = c.conrelid "
                    "JOIN pg_class pcl ON pcl.oid = c.confrelid "
                    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                    "JOIN pg_attribute pa ON pa.attrelid = c.confrelid "
                    "AND pa.attnum = c.confkey[1] "
                    "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1"
                )
            )
        )
        owned: dict[str, list[Any]] = {"company": [company]}
        snapshot: dict[str, list[str]] = {}
        for _ in range(4):  # follow references a few levels deep
            for t in sorted(columns):
                conds, params = [], {"company": company}
                if t == "company":
                    conds.append("id = :company")
                if "company_id" in columns[t]:
                    conds.append("company_id = :company")
                for i, (child, col, parent, parent_col) in enumerate(fks):
                    if child == t and parent_col == "id" and owned.get(parent):
                        conds.append(f"{col} = ANY(:p{i})")
                        params[f"p{i}"] = owned[parent]
                if t in SHOP_TABLES:
                    conds = ["true"]
                if not conds:
                    continue
                has_id = "id" in columns[t]
                rows = list(
                    await conn.execute(
                        text(
                            f"SELECT {'x.id' if has_id else 'null'}, row_to_json(x)::text "
                            f"FROM {t} x WHERE {' OR '.join(conds)} ORDER BY 2"
                        ),
                        params,
                    )
                )
                snapshot[t] = [r[1] for r in rows]
                if has_id and t not in SHOP_TABLES:
                    owned[t] = [r[0] for r in rows]
        return snapshot


def markers_of(snapshot: dict[str, list[str]], other: dict[str, list[str]]) -> set[str]:
    """Text only the snapshotted company has (names, e-mails, streets...): what must not leak."""

    def strings(snap: dict[str, list[str]]) -> set[str]:
        out = set()
        for t, rows in snap.items():
            if t in SHOP_TABLES:
                continue
            for row in rows:
                for v in json.loads(row).values():
                    if isinstance(v, str) and len(v) >= 5 and re.search("[a-zA-Z]", v):
                        out.add(v)
        return out

    timestamp = re.compile(r"^\d{4}-\d\d-\d\dT")
    return {s for s in strings(snapshot) - strings(other) if not timestamp.match(s)}


# --- the HTTP side -----------------------------------------------------------------------------


PDF = b"%PDF-1.4 tenant isolation test"

# Values that change between two identical calls a moment apart: times and signed tokens.
VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<TIME>"),
    (re.compile(r"[\w-]{2,}\.[\w-]{16,}\.[\w-]{16,}"), "<TOKEN>"),
    # Signed links (a quote's pdfUrl) expire a fixed time after they are made.
    (re.compile(r"expires=\d+&signature=[0-9a-f]+"), "<SIGNED>"),
]


async def call(
    client: httpx.AsyncClient,
    token: str,
    query: str,
    variables: dict[str, Any],
    uploads: list[str] | tuple[str, ...] = (),
) -> tuple[int, str]:
    headers = {"authorization": f"Bearer {token}"}
    if uploads:
        # The multipart request spec, with the header that forces a CORS preflight.
        resp = await client.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps({str(i): [path] for i, path in enumerate(uploads)}),
            },
            files={str(i): ("isolation.pdf", PDF, "application/pdf") for i in range(len(uploads))},
            headers={**headers, "apollo-require-preflight": "true"},
        )
    else:
        resp = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body = resp.text
    # A request error (syntax, validation) answers every ID alike and would prove nothing.
    request_errors = [e for e in resp.json().get("errors") or [] if "path" not in e]
    assert not request_errors, (query, request_errors)
    for pattern, placeholder in VOLATILE:
        body = pattern.sub(placeholder, body)
    return resp.status_code, body


def where_they_differ(a: tuple[int, str], b: tuple[int, str]) -> str:
    if a[0] != b[0]:
        return f"status {a[0]} vs {b[0]}"
    i = next((i for i, (x, y) in enumerate(zip(a[1], b[1], strict=False)) if x != y), None)
    i = min(len(a[1]), len(b[1])) if i is None else i
    return (
        f"...{a[1][max(0, i - 200) : i + 200]}...\n    vs ...{b[1][max(0, i - 200) : i + 200]}..."
    )


def is_refusal(body: str) -> bool:
    """Refused whatever the IDs: a FORBIDDEN/UNAUTHENTICATED gate or PERMISSION_DENIED."""
    parsed = json.loads(body)
    codes = {(e.get("extensions") or {}).get("code") for e in parsed.get("errors") or []}
    return bool(codes & {"FORBIDDEN", "UNAUTHENTICATED"}) or '"PERMISSION_DENIED"' in body


@dataclass
class Probe:
    """Calls the root fields of one kind as one viewer, with IDs of objects hidden from it."""

    client: httpx.AsyncClient
    engine: AsyncEngine
    token: str
    own_company: int
    hidden: dict[str, list[str]]
    schema: GraphQLSchema
    depth: int
    tags: Iterator[str]
    calls: int = 0

    async def ask(
        self, key: str, field: GraphQLField, path: tuple[str, ...], value: str, b: ArgBuilder
    ) -> tuple[int, str]:
        args = b.args(field, path, value)
        query = operation(key, field, args, selection(self.schema, field.type, self.depth))
        status, body = await call(self.client, self.token, query, args, b.uploads)
        self.calls += 1
        return status, body.replace(value, "<ID>")

    async def compare(self, root: str) -> tuple[list[str], list[str]]:
        """Every ID argument of ``root``'s fields x every hidden object: the hidden ID and a
        forged one of its type answer alike. Returns (differences, unproven arguments)."""
        differences, unproven = [], []
        types = node_types(self.schema)
        for key, field, path in cases(self.schema, root):
            where = f"{key}:{'.'.join(path)}"
            # Fresh: an earlier call may have deleted one of the viewer's objects.
            own = await own_ids(self.engine, self.own_company)
            fill = {t: own.get(t) or forge(t) for t in types}
            for type_name, hidden_ids in self.hidden.items():
                companion = own.get(type_name) if is_list_path(field, path) else None
                for hidden, after in itertools.product(hidden_ids, {None, companion}):
                    b = ArgBuilder(key, next(self.tags), fill, self.schema, after)
                    other = await self.ask(key, field, path, hidden, b)
                    missing = await self.ask(key, field, path, forge(type_name, hidden), b)
                    if other != missing:
                        differences.append(
                            f"{where} = {type_name} {hidden}{f' after {after}' if after else ''}"
                            f" (other tenant vs missing):\n    {where_they_differ(other, missing)}"
                        )
            # Positive control: the viewer's own ID must get further than a missing one, or
            # the comparison proved nothing (an unrelated error answered both alike).
            proven, refused = False, True
            for type_name in id_type_candidates(self.schema, key, path):
                b = ArgBuilder(key, next(self.tags), fill, self.schema)
                missing = await self.ask(key, field, path, forge(type_name, own.get(type_name)), b)
                refused = refused and is_refusal(missing[1])
                if type_name in own:
                    mine = await self.ask(key, field, path, own[type_name], b)
                    proven = proven or mine != missing
            if not (proven or refused) and where not in UNPROVEN_OK:
                unproven.append(f"{where}: the viewer's own ID answers like a missing one")
        return differences, unproven


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The walk selects every Node type under `node` at once, with an alias per type for each
    field whose type differs between them: their number grows with the node types (about 50
    with quotes), past the production limit meant for clients' documents."""
    return dataclasses.replace(settings, max_aliases=200)


def tag_source() -> Iterator[str]:
    return (f"iso{n}" for n in itertools.count(1))


@pytest.fixture
async def world(client: httpx.AsyncClient, demo: None, engine: AsyncEngine) -> dict[str, str]:
    """The demo plus, for A and B each, a brand portal open to that company only and a draft
    configuration; for B also a second group with a sub-account in it; and a pending
    registration request. Returns access tokens by login."""
    tokens = {"admin": await login(client, "admin@shop.example")}
    for code in (A, B):
        tokens[code] = await login(client, code)
        channel = await gql(
            client,
            f'mutation {{ channelCreate(input: {{code: "{code}-portal", name: "{code} portal"}})'
            " { errors { code } } }",
            token=tokens["admin"],
        )
        assert channel["data"]["channelCreate"]["errors"] == []
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE channel SET company_ids = ARRAY[:c]::bigint[] WHERE code = :code"),
                {"c": await company_id(engine, code), "code": f"{code}-portal"},
            )
            # The portal sells what the main channel sells.
            await conn.execute(
                text(
                    "INSERT INTO channel_product (channel_id, product_id, position) "
                    "SELECT (SELECT id FROM channel WHERE code = :code), product_id, position "
                    "FROM channel_product WHERE channel_id = (SELECT min(id) FROM channel)"
                ),
                {"code": f"{code}-portal"},
            )
        product = (await own_ids(engine, 0))["Product"]
        draft = await gql(
            client,
            "mutation ($p: ID!) { configurationCreate(input: {productId: $p, quantity: 100}) "
            "{ configuration { id } errors { code message } } }",
            {"p": product},
            tokens[code],
        )
        assert draft["data"]["configurationCreate"]["errors"] == []
        config = draft["data"]["configurationCreate"]["configuration"]["id"]
        # Cart lines (several: positive controls remove and order some), then one binding
        # order of the first line, which goes to production (jobs, tasks).
        lines = []
        for _ in range(4):
            added = await gql(
                client,
                "mutation ($c: ID!) { cartLineAdd(input: {configurationId: $c, quantity: 100}) "
                "{ cartLine { id } errors { code message } } }",
                {"c": config},
                tokens[code],
            )
            assert added["data"]["cartLineAdd"]["errors"] == [], added
            lines.append(added["data"]["cartLineAdd"]["cartLine"]["id"])
        placed = await gql(
            client,
            'mutation ($l: [ID!]) { orderPlace(input: {idempotencyKey: "world", '
            "cartLineIds: $l, acceptPriceChanges: true}) { order { id } errors { code } } }",
            {"l": lines[:1]},
            tokens[code],
        )
        assert placed["data"]["orderPlace"]["errors"] == [], placed
        # Artwork on the order's line.
        attach = (
            "mutation ($i: OrderFileAttachInput!) { orderFileAttach(input: $i) "
            "{ errors { code message } } }"
        )
        order = placed["data"]["orderPlace"]["order"]["id"]
        variables = {"i": {"orderId": order, "linePosition": 1, "file": None}}
        status, body = await call(client, tokens[code], attach, variables, ["variables.i.file"])
        assert status == 200 and '"errors":[]' in body, body
        # Part of it shipped (a shipment in one parcel).
        shipped = await gql(
            client,
            "mutation ($o: ID!) { shipmentCreate(input: {orderId: $o, "
            "lines: [{position: 1, quantity: 10}]}) { errors { code message } } }",
            {"o": order},
            tokens["admin"],
        )
        assert shipped["data"]["shipmentCreate"]["errors"] == [], shipped
        # Laser parts in the library (from a template: no drawing to upload).
        for n in range(2):
            part = await gql(
                client,
                "mutation ($n: String!) { partCreateFromTemplate(input: {name: $n, "
                'template: "DISC", material: "S235", thicknessMm: 2}) { errors { code } } }',
                {"n": f"{code} washer {n}"},
                tokens[code],
            )
            assert part["data"]["partCreateFromTemplate"]["errors"] == [], part
    for code in (A, B):
        await machine_clients(client, tokens, code)
    method = await gql(
        client,
        'mutation { shippingMethodCreate(channel: "main", input: {code: "post", name: "Post", '
        'kind: CARRIER, rates: [{zone: "all", net: 500}]}) { errors { code } } }',
        token=tokens["admin"],
    )
    assert method["data"]["shippingMethodCreate"]["errors"] == [], method
    # A's brand portal ships too, so its own code answers unlike a missing channel.
    portal_method = await gql(
        client,
        'mutation ($c: String!) { shippingMethodCreate(channel: $c, input: {code: "post", '
        'name: "Post", kind: CARRIER, rates: [{zone: "all", net: 500}]}) { errors { code } } }',
        {"c": f"{A}-portal"},
        token=tokens["admin"],
    )
    assert portal_method["data"]["shippingMethodCreate"]["errors"] == [], portal_method
    b_company = gid("Company", await company_id(engine, B))
    created = await gql(
        client,
        """mutation ($c: ID!) {
          permissionGroupCreate(input: {companyId: $c, name: "Globex buyers",
            rights: [REQUEST_ORDERS]}) { permissionGroup { id } errors { code } }
        }""",
        {"c": b_company},
        tokens[B],
    )
    group = created["data"]["permissionGroupCreate"]["permissionGroup"]["id"]
    user = await gql(
        client,
        """mutation ($c: ID!, $g: ID!) {
          portalUserCreate(input: {companyId: $c, name: "clerk", fullName: "Carl Clerk",
            email: "carl@globex.example", groupIds: [$g]}) { user { id } errors { code } }
        }""",
        {"c": b_company, "g": group},
        tokens[B],
    )
    assert user["data"]["portalUserCreate"]["errors"] == []
    registered = await gql(
        client,
        """mutation { registrationRequestCreate(input: {companyName: "Globex Subsidiary",
          legalForm: COMPANY, contactName: "Gina Sub", email: "gina@globex-sub.example",
          password: "another-long-passphrase-7"}) { accepted } }""",
    )
    assert registered["data"]["registrationRequestCreate"]["accepted"]
    # Stock held for B, and a purchase order for it (suppliers come with the demo).
    supplier = (await gql(client, "{ suppliers { nodes { id } } }", token=tokens["admin"]))["data"][
        "suppliers"
    ]["nodes"][0]["id"]
    item = await gql(
        client,
        """mutation ($c: ID!, $s: ID!) { stockItemCreate(input: {companyId: $c, sku: "GX-MUG",
          name: "Globex mugs", supplierId: $s, supplierSku: "GX-MUG-1"})
          { stockItem { id } errors { code } } }""",
        {"c": b_company, "s": supplier},
        tokens["admin"],
    )
    item_id = item["data"]["stockItemCreate"]["stockItem"]["id"]
    await gql(
        client,
        "mutation ($i: ID!) { stockReceive(input: {stockItemId: $i, quantity: 5}) { errors { code } } }",
        {"i": item_id},
        tokens["admin"],
    )
    purchase = await gql(
        client,
        """mutation ($s: ID!, $i: ID!) { purchaseOrderCreate(input: {supplierId: $s,
          lines: [{stockItemId: $i, quantity: 10}]}) { errors { code } } }""",
        {"s": supplier, "i": item_id},
        tokens["admin"],
    )
    assert purchase["data"]["purchaseOrderCreate"]["errors"] == []
    # A supplier job of B's order (leaflets routed to a supplier, released by hand) and
    # the routing rule: the shop's business, hidden from every portal user.
    leaflet = (await gql(client, '{ products(search: "leaflet") { nodes { id } } }'))["data"][
        "products"
    ]["nodes"][0]["id"]
    routed = await gql(
        client,
        """mutation ($p: ID!, $s: ID!) { routingRuleSet(input: {productId: $p, supplierId: $s})
          { errors { code } } }""",
        {"p": leaflet, "s": supplier},
        tokens["admin"],
    )
    assert routed["data"]["routingRuleSet"]["errors"] == []
    entered = await gql(
        client,
        """mutation ($c: ID!, $p: ID!) { orderEnterForCustomer(input: {companyId: $c,
          lines: [{productId: $p, quantity: 100}]}) { errors { code } } }""",
        {"c": b_company, "p": leaflet},
        tokens["admin"],
    )
    assert entered["data"]["orderEnterForCustomer"]["errors"] == []
    # A background job (the shop's own: hidden from every portal user).
    uow = SqlUnitOfWork(session_factory(engine))
    async with uow:
        await uow.jobs.defer("tenant.walk", {"x": 1}, delay_s=3600)
        await uow.commit()
    # For A and B each a delivered order with its invoice, and a credit note against it.
    for code in (A, B):
        async with uow:
            order = await make_order(uow, await company_id(engine, code))
            await uow.commit()
        await deliver(uow, order)
        async with uow:
            invoice = await uow.scalar(
                select(InvoiceLine.invoice_id).where(InvoiceLine.order_id == order.id)
            )
            await issue_credit_note(uow, invoice, "Isolation walk", [CreditLine(position=1)])
            await uow.commit()
    await uow.close()
    # A sent quote for each company (two lines), and an RFQ with an answer for B's.
    quotes = {}
    for code in (A, B):
        company = gid("Company", await company_id(engine, code))
        created = await gql(
            client,
            """mutation ($c: ID!) { quoteCreate(input: {companyId: $c, title: "Isolation",
              contactEmail: "quotes@example.com", lines: [
                {title: "Custom work", quantity: 1, net: 10000},
                {title: "Sourced work", quantity: 2, net: 5000}]})
              { quote { id lines { id } } errors { code } } }""",
            {"c": company},
            tokens["admin"],
        )
        assert created["data"]["quoteCreate"]["errors"] == [], created
        quotes[code] = created["data"]["quoteCreate"]["quote"]
        sent = await gql(
            client,
            "mutation ($q: ID!) { quoteSend(input: {id: $q}) { errors { code } } }",
            {"q": quotes[code]["id"]},
            tokens["admin"],
        )
        assert sent["data"]["quoteSend"]["errors"] == [], sent
    rfq = await gql(
        client,
        """mutation ($q: ID!, $l: ID!, $s: ID!) { rfqCreate(input: {quoteId: $q,
          quoteLineIds: [$l], supplierIds: [$s], deadline: "2099-01-01T00:00:00+00:00"})
          { rfq { id } errors { code } } }""",
        {"q": quotes[B]["id"], "l": quotes[B]["lines"][1]["id"], "s": supplier},
        tokens["admin"],
    )
    assert rfq["data"]["rfqCreate"]["errors"] == [], rfq
    return tokens


async def machine_clients(client: httpx.AsyncClient, tokens: dict[str, str], code: str) -> None:
    """For a company: an API key holding every right (the walks run as it: tokens["<code>-key"])
    with two webhooks and a ping queued for each (a delivery), and a second key."""
    make = (
        "mutation ($n: String!) { apiKeyCreate(input: {name: $n, rights: [PLACE_ORDERS, "
        "REQUEST_ORDERS, APPROVE_ORDERS, VIEW_FINANCES, VIEW_COMPANY_ORDERS, MANAGE_USERS, "
        "MANAGE_GROUPS, MANAGE_COMPANY]}) { secret errors { code } } }"
    )
    made = await gql(client, make, {"n": f"{code} ERP"}, tokens[code])
    assert made["data"]["apiKeyCreate"]["errors"] == [], made
    key = tokens[f"{code}-key"] = made["data"]["apiKeyCreate"]["secret"]
    for n in range(2):  # webhookDelete takes one; the other mutations need one left
        hook = await gql(
            client,
            "mutation ($u: String!) { webhookCreate(input: {targetUrl: $u, document: "
            '"subscription { orderStatusChanged { status order { number } } }"}) '
            "{ webhook { id } errors { code message } } }",
            {"u": f"http://127.0.0.1:9/{code}-hook-{n}"},
            key,
        )
        assert hook["data"]["webhookCreate"]["errors"] == [], hook
        ping = await gql(
            client,
            "mutation ($w: ID!) { webhookPing(id: $w) { errors { code } } }",
            {"w": hook["data"]["webhookCreate"]["webhook"]["id"]},
            key,
        )
        assert ping["data"]["webhookPing"]["errors"] == []
    spare = await gql(client, make, {"n": f"{code} spare"}, tokens[code])
    assert spare["data"]["apiKeyCreate"]["errors"] == []


async def probe_for(
    client: httpx.AsyncClient, engine: AsyncEngine, token: str, viewer: str, victim: str
) -> Probe:
    schema = gql_schema()
    viewer_id, victim_id = await company_id(engine, viewer), await company_id(engine, victim)
    return Probe(
        client=client,
        engine=engine,
        token=token,
        own_company=viewer_id,
        hidden=await hidden_objects(engine, node_types(schema), viewer_id, victim_id),
        schema=schema,
        depth=DEPTH,
        tags=tag_source(),
    )


# --- the tests ---------------------------------------------------------------------------------


def test_every_root_field_with_an_id_is_tested_and_every_other_is_explained() -> None:
    schema = gql_schema()
    fields = root_fields(schema)
    with_ids = {k for k, f in fields.items() if id_paths(f.args)}
    mutations_without = {k for k in fields if k.startswith("Mutation.")} - with_ids
    assert not with_ids & set(NO_ID_FIELDS), (
        f"these take IDs now, so they are tested: remove them from NO_ID_FIELDS: "
        f"{sorted(with_ids & set(NO_ID_FIELDS))}"
    )
    assert mutations_without <= set(NO_ID_FIELDS), (
        f"mutations without an ID argument: check them and explain them in NO_ID_FIELDS: "
        f"{sorted(mutations_without - set(NO_ID_FIELDS))}"
    )
    subscriptions = {k for k in with_ids if k.startswith("Subscription.")}
    assert subscriptions <= set(SUBSCRIPTIONS_NOT_COVERED), (
        f"subscriptions with IDs this test cannot reach: {sorted(subscriptions)}"
    )
    stale = (set(NO_ID_FIELDS) | set(SUBSCRIPTIONS_NOT_COVERED)) - set(fields)
    slots = {f"{k}:{'.'.join(p)}" for k in with_ids for p in id_paths(fields[k].args)}
    stale |= (set(UNPROVEN_OK) | set(ID_TYPE_HINTS)) - slots
    assert not stale, f"stale entries: {sorted(stale)}"
    # The walk finds what we know is there, so an empty walk cannot pass.
    assert {
        "Query.node",
        "Query.nodes",
        "Mutation.companyUpdate",
        "Mutation.portalUserCreate",
        "Mutation.permissionGroupDelete",
        "Mutation.registrationRequestApprove",
    } <= with_ids
    assert ("input", "groupIds") in id_paths(fields["Mutation.portalUserCreate"].args)
    assert ("id",) in id_paths(fields["Mutation.permissionGroupDelete"].args)
    types = node_types(schema)
    assert {"Company", "PortalUser", "PermissionGroup"} <= set(types)
    assert set(types) <= set(HIDDEN_SQL) | set(PUBLIC_TYPES), "see HIDDEN_SQL"
    fill = {t: forge(t) for t in types}
    for key in sorted(with_ids - subscriptions):
        field = fields[key]
        for path in id_paths(field.args):
            candidates = id_type_candidates(schema, key, path)
            assert set(candidates) <= set(types) | set(HIDDEN_SQL), (key, path, candidates)
            # An ID argument that must be filled has to say which type it takes.
            must_fill = all(required(step) for step in steps_to(field, path))
            if key.startswith("Mutation.") and must_fill:
                assert len(candidates) == 1, f"add {key}:{'.'.join(path)} to ID_TYPE_HINTS"
            # And an input can be built for it.
            args = ArgBuilder(key, "iso0", fill, schema).args(field, path, "<id>")
            assert "<id>" in json.dumps(args), (key, path, args)


async def test_snapshot_sees_every_write_to_the_company_and_only_those(engine, world) -> None:  # type: ignore[no-untyped-def]
    a_id, b_id = await company_id(engine, A), await company_id(engine, B)
    a_before, b_before = await tenant_snapshot(engine, a_id), await tenant_snapshot(engine, b_id)
    assert {
        "company",
        "portal_user",
        "permission_group",
        "portal_user_group",
        "address",
        "configuration",
        "auth_session",
    } <= {t for t, rows in b_before.items() if rows}
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE address SET city = 'Augsburg' WHERE company_id = :b"), {"b": b_id}
        )
        await conn.execute(
            text(
                "DELETE FROM portal_user_group WHERE user_id IN "
                "(SELECT id FROM portal_user WHERE company_id = :a AND NOT is_primary)"
            ),
            {"a": a_id},
        )
    a_after, b_after = await tenant_snapshot(engine, a_id), await tenant_snapshot(engine, b_id)
    assert {t for t in b_before if b_before[t] != b_after[t]} == {"address"}
    assert {t for t in a_before if a_before[t] != a_after[t]} == {"portal_user_group"}


@pytest.mark.parametrize(("who", "viewer", "victim"), [(A, A, B), (B, B, A), (f"{A}-key", A, B)])
async def test_query_ids_of_another_tenant_answer_like_missing_ones(  # type: ignore[no-untyped-def]
    client, engine, world, who, viewer, victim
) -> None:
    """As a user of each company, and as an API key of one (which sees what its maker sees)."""
    probe = await probe_for(client, engine, world[who], viewer, victim)
    differences, unproven = await probe.compare("Query")
    assert not differences, "\n".join(differences)
    assert not unproven, unproven
    assert probe.calls >= 2 * 2 * len(probe.hidden)  # node and nodes at least


@pytest.mark.parametrize("who", [A, f"{A}-key"])
async def test_mutation_ids_of_another_tenant_answer_like_missing_ones_and_change_nothing(  # type: ignore[no-untyped-def]
    client, engine, world, who
) -> None:
    """As a user of A, and as A's API key."""
    a_id, b_id = await company_id(engine, A), await company_id(engine, B)
    before = await tenant_snapshot(engine, b_id)
    assert before["company"] and before["portal_user"] and before["permission_group"]
    assert before["portal_user_group"] and before["address"]
    a_before = await tenant_snapshot(engine, a_id)
    probe = await probe_for(client, engine, world[who], A, B)
    differences, unproven = await probe.compare("Mutation")
    assert not differences, "\n".join(differences)
    assert not unproven, unproven
    after = await tenant_snapshot(engine, b_id)
    changed = {
        t: (before.get(t), after.get(t))
        for t in set(before) | set(after)
        if before.get(t) != after.get(t)
    }
    assert not changed, changed
    # A's own calls (the positive controls) went through and the snapshot saw them.
    assert await tenant_snapshot(engine, a_id) != a_before


async def test_lists_and_me_show_nothing_of_another_tenant(client, engine, world) -> None:  # type: ignore[no-untyped-def]
    schema = gql_schema()
    a_id, b_id = await company_id(engine, A), await company_id(engine, B)
    markers = markers_of(await tenant_snapshot(engine, b_id), await tenant_snapshot(engine, a_id))
    hidden = await hidden_objects(engine, node_types(schema), a_id, b_id)
    markers |= {g for ids in hidden.values() for g in ids}
    assert {"globex", "Globex GmbH", "carl@globex.example", gid("Company", b_id)} <= markers
    assert schema.query_type is not None

    async def sweep(token: str) -> str:
        """Every Query field without IDs, with everything it reaches four levels deep."""
        bodies = []
        for name, field in schema.query_type.fields.items():  # type: ignore[union-attr]
            if id_paths(field.args):
                continue  # compared ID by ID above
            key = f"Query.{name}"
            args = ArgBuilder(key, "sweep", {}, schema).args(field, (name,), None)
            query = operation(key, field, args, selection(schema, field.type, 4))
            status, body = await call(client, token, query, args)
            assert status == 200, body
            bodies.append(body)
        return "\n".join(bodies)

    seen_by_a = await sweep(world[A])
    leaked = sorted(m for m in markers if m in seen_by_a)
    assert not leaked, leaked
    assert gid("Company", a_id) in seen_by_a and "ACME Corp." in seen_by_a
    seen_by_key = await sweep(world[f"{A}-key"])
    leaked = sorted(m for m in markers if m in seen_by_key)
    assert not leaked, leaked
    assert gid("Company", a_id) in seen_by_key and f"{A}-hook" in seen_by_key  # its own webhook
    assert any(f"{B}-hook" in m for m in markers)
    # The same sweep as staff does reach B's data, so it would see a leak.
    seen_by_staff = await sweep(world["admin"])
    assert gid("Company", b_id) in seen_by_staff and "Globex GmbH" in seen_by_staff
    assert len([m for m in markers if m in seen_by_staff]) > 5


async def test_channel_codes_of_another_tenant_answer_like_missing_ones(  # type: ignore[no-untyped-def]
    client, engine, world
) -> None:
    """Channels are named by code, not ID: B's brand portal must look like no channel at all,
    wherever a Query takes a `channel` code."""
    schema = gql_schema()
    own = await own_ids(engine, await company_id(engine, A))
    fill = {t: own.get(t) or forge(t) for t in node_types(schema)}
    async with engine.connect() as conn:
        product_code = (
            await conn.execute(
                text("SELECT code FROM product WHERE id = :id"),
                {"id": int(relay.GlobalID.from_id(own["Product"]).node_id)},
            )
        ).scalar_one()
    checked = []
    for key, field in root_fields(schema).items():
        if not key.startswith("Query."):
            continue
        for path in string_paths(field, "channel"):
            answers = []
            for code in (f"{B}-portal", "no-such-channel", f"{A}-portal"):
                # The tag fills `code` arguments: a product sold in every channel.
                args = ArgBuilder(key, product_code, fill, schema).args(field, path, code)
                query = operation(key, field, args, selection(schema, field.type, 2))
                status, body = await call(client, world[A], query, args)
                answers.append((status, body.replace(code, "<CODE>")))
            assert answers[0] == answers[1], (key, path, answers[:2])
            assert answers[2] != answers[1], f"{key}: A's own portal answers like a missing one"
            checked.append(key)
    assert {"Query.products", "Query.product"} <= set(checked)


def string_paths(field: GraphQLField, name: str) -> list[tuple[str, ...]]:
    """Paths to String arguments or input fields called ``name``."""

    def walk(t: Any, path: tuple[str, ...], seen: frozenset[str]) -> Iterator[tuple[str, ...]]:
        named = get_named_type(t)
        if named.name == "String" and path[-1] == name:
            yield path
        elif isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            for n, f in named.fields.items():
                yield from walk(f.type, (*path, n), seen | {named.name})

    return [p for n, arg in field.args.items() for p in walk(arg.type, (n,), frozenset())]
