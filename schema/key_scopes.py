"""Which root fields an API key may call: each root field belongs to one scope, or to people
only (None). A key's request naming any other root field is refused before anything runs.

Below the root, a key sees what its owner would (rights, roles and tenant scoping apply as
for any viewer); the scopes decide which doors it may open at all. tests/unit/
test_key_scopes.py fails when a root field is added without being placed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from domain.integrations.scopes import ApiKeyScope as S

CATALOG, ORDERS, STOCK = S.READ_CATALOG, S.READ_ORDERS, S.READ_STOCK
PAYMENTS = S.READ_PAYMENTS
INVOICES = S.READ_INVOICES

ROOT_SCOPES: dict[str, S | None] = {
    # Query
    "node": S.READ_NODES,  # every type at once: a shop key needs a scope of its own for it
    "nodes": S.READ_NODES,
    "me": None,
    "staffUsers": None,
    "registrationRequests": None,
    "apiKeys": None,
    "backgroundJobs": None,  # the shop's operations, for its staff
    "companies": S.READ_CUSTOMERS,
    "customerGroups": S.READ_CUSTOMERS,
    "channels": CATALOG,
    "product": CATALOG,
    "products": CATALOG,
    "priceQuote": CATALOG,
    "partQuote": CATALOG,
    "partTemplates": CATALOG,
    "laserMachine": CATALOG,
    "laserMaterials": CATALOG,
    "parts": ORDERS,
    "cart": ORDERS,
    "orders": ORDERS,
    "jobs": ORDERS,
    "orderStatusCounts": ORDERS,
    "stockItems": STOCK,
    "stockMovements": STOCK,
    "stockCallOffs": STOCK,
    "purchaseOrders": STOCK,
    "purchaseSuggestions": STOCK,
    "suppliers": STOCK,
    "changes": S.READ_CHANGES,
    "webhooks": S.MANAGE_WEBHOOKS,
    "webhookDeliveries": S.MANAGE_WEBHOOKS,
    # Notification templates and preferences are people's settings, edited by people.
    "notificationTemplate": None,
    "notificationTemplatePreview": None,
    "myNotificationPreferences": None,
    "companyNotificationDefaults": None,
    "notificationTemplateUpdate": None,
    "notificationTemplateReset": None,
    "notificationPreferencesUpdate": None,
    "companyNotificationDefaultsUpdate": None,
    # Shipping methods are catalog data; shipments belong to orders.
    "shippingMethods": CATALOG,
    "shippingOptions": CATALOG,
    "shippingMethodCreate": S.WRITE_CATALOG,
    "shippingMethodUpdate": S.WRITE_CATALOG,
    "shipmentCreate": S.WRITE_ORDERS,
    "shipmentStatusUpdate": S.WRITE_ORDERS,
    # Routing and supplier jobs are the order desk's too.
    "supplierJobs": ORDERS,
    "routingRules": ORDERS,
    "supplierChannel": ORDERS,
    "routingRuleSet": S.WRITE_ORDERS,
    "routingRuleDelete": S.WRITE_ORDERS,
    "supplierChannelSet": S.WRITE_ORDERS,
    "orderLineRouteSet": S.WRITE_ORDERS,
    "supplierJobRelease": S.WRITE_ORDERS,
    "supplierJobReroute": S.WRITE_ORDERS,
    "supplierJobCancel": S.WRITE_ORDERS,
    "supplierJobReport": S.WRITE_ORDERS,
    # Quotes are the order desk's: reading them is reading orders, changing them writing.
    "quotes": ORDERS,
    "rfqs": ORDERS,
    "rfqByToken": ORDERS,
    "quoteSettings": ORDERS,
    "quoteTemplates": ORDERS,
    # The cart's totals and the methods checkout offers are the order desk's; a company's
    # account and statement are finances (a company's key sees its own with VIEW_FINANCES).
    "cartTotals": ORDERS,
    "paymentMethods": ORDERS,
    "companyAccount": PAYMENTS,
    "accountStatement": PAYMENTS,
    "orderAdjust": S.WRITE_ORDERS,
    "orderAdjustmentDecide": S.WRITE_ORDERS,
    "orderStaffDecide": S.WRITE_ORDERS,
    # Recording money is the shop's accounting (an accounting system's key may do it); which
    # methods a customer gets and how much credit are people's decisions.
    "paymentRecord": S.WRITE_PAYMENTS,
    "bankStatementImport": S.WRITE_PAYMENTS,
    "paymentRefund": S.WRITE_PAYMENTS,
    "companyCreditLimitSet": None,
    "paymentMethodOfferSet": None,
    # Billing: an accounting system reads invoices and credit notes (a company's key sees its
    # own with VIEW_FINANCES); issuing them is the shop's, how a customer is billed people's.
    "invoices": INVOICES,
    "creditNotes": INVOICES,
    "invoiceIssueForOrder": S.WRITE_INVOICES,
    "invoiceRunCollective": S.WRITE_INVOICES,
    "creditNoteIssue": S.WRITE_INVOICES,
    "orderInvoicedExternallySet": S.WRITE_INVOICES,
    "companyInvoicingSet": None,
    "customerGroupInvoicingSet": None,
    # Mutation: logging in, passwords, people, groups and keys are for people only
    "tokenCreate": None,
    "tokenRefresh": None,
    "tokenRevoke": None,
    "passwordResetRequest": None,
    "passwordResetConfirm": None,
    "registrationRequestCreate": None,
    "registrationRequestApprove": None,
    "registrationRequestReject": None,
    "staffUserCreate": None,
    "partnerUserCreate": None,
    "portalUserCreate": None,
    "portalUserUpdate": None,
    "permissionGroupCreate": None,
    "permissionGroupUpdate": None,
    "permissionGroupDelete": None,
    "companyCreate": None,
    "companyUpdate": None,
    "customerGroupCreate": None,
    "supplierApiKeyCreate": None,
    "supplierStockUpdate": None,  # supplier systems have keys of their own
    "apiKeyCreate": None,
    "apiKeyRotate": None,
    "apiKeyRevoke": None,
    "backgroundJobRetry": None,
    "channelCreate": S.WRITE_CATALOG,
    "productCreate": S.WRITE_CATALOG,
    "productUpdate": S.WRITE_CATALOG,
    "laserMachineUpdate": S.WRITE_CATALOG,
    "laserMaterialUpdate": S.WRITE_CATALOG,
    "configurationCreate": S.WRITE_ORDERS,
    "configurationUpdate": S.WRITE_ORDERS,
    "cartLineAdd": S.WRITE_ORDERS,
    "cartLineRemove": S.WRITE_ORDERS,
    "cartLineUpdate": S.WRITE_ORDERS,
    "orderPlace": S.WRITE_ORDERS,
    "orderApprove": S.WRITE_ORDERS,
    "orderReject": S.WRITE_ORDERS,
    "orderCancel": S.WRITE_ORDERS,
    "orderDeliver": S.WRITE_ORDERS,
    "orderReorder": S.WRITE_ORDERS,
    "orderEnterForCustomer": S.WRITE_ORDERS,
    "orderFileAttach": S.WRITE_ORDERS,
    "orderFileFlagProblem": S.WRITE_ORDERS,
    "taskStart": S.WRITE_ORDERS,
    "taskComplete": S.WRITE_ORDERS,
    "partCopy": S.WRITE_ORDERS,
    "partCreateFromDxf": S.WRITE_ORDERS,
    "partCreateFromTemplate": S.WRITE_ORDERS,
    "partDelete": S.WRITE_ORDERS,
    "partImportConfirm": S.WRITE_ORDERS,
    "partImportPreview": S.WRITE_ORDERS,
    "partUpdate": S.WRITE_ORDERS,
    "stockItemCreate": S.WRITE_STOCK,
    "stockItemUpdate": S.WRITE_STOCK,
    "stockReceive": S.WRITE_STOCK,
    "stockAdjust": S.WRITE_STOCK,
    "stockCallOffCreate": S.WRITE_STOCK,
    "supplierCreate": S.WRITE_STOCK,
    "supplierUpdate": S.WRITE_STOCK,
    "purchaseOrderCreate": S.WRITE_STOCK,
    "purchaseOrderCancel": S.WRITE_STOCK,
    "purchaseOrderReceive": S.WRITE_STOCK,
    "webhookCreate": S.MANAGE_WEBHOOKS,
    "webhookUpdate": S.MANAGE_WEBHOOKS,
    "webhookDelete": S.MANAGE_WEBHOOKS,
    "webhookSecretRotate": S.MANAGE_WEBHOOKS,
    "webhookPing": S.MANAGE_WEBHOOKS,
    "webhookDeliveryReplay": S.MANAGE_WEBHOOKS,
    "webhookDeliveriesReplay": S.MANAGE_WEBHOOKS,
    "quoteCreate": S.WRITE_ORDERS,
    "quoteRequestFromCart": S.WRITE_ORDERS,
    "quoteUpdate": S.WRITE_ORDERS,
    "quoteLineAdd": S.WRITE_ORDERS,
    "quoteLineUpdate": S.WRITE_ORDERS,
    "quoteLineOverride": S.WRITE_ORDERS,
    "quoteLineRemove": S.WRITE_ORDERS,
    "quoteSend": S.WRITE_ORDERS,
    "quoteWithdraw": S.WRITE_ORDERS,
    "quoteAccept": S.WRITE_ORDERS,
    "quoteDecline": S.WRITE_ORDERS,
    "rfqCreate": S.WRITE_ORDERS,
    "rfqAnswer": S.WRITE_ORDERS,
    "rfqDecline": S.WRITE_ORDERS,
    "rfqChoose": S.WRITE_ORDERS,
    "quoteSettingsUpdate": S.WRITE_ORDERS,
    "quoteTemplateUpdate": S.WRITE_ORDERS,
    # Subscription (what webhooks run)
    "quoteStatusChanged": ORDERS,
    "supplierJobStatusChanged": ORDERS,
    "shipmentStatusChanged": ORDERS,
    "orderStatusChanged": ORDERS,
    "jobStatusChanged": ORDERS,
    "incomingOrders": ORDERS,
    "stockLevelChanged": STOCK,
    "accountChanged": PAYMENTS,
    "cartChanged": ORDERS,
    "invoiceIssued": INVOICES,
    "livePrice": CATALOG,
}


def root_field_names(document: DocumentNode, operation_name: str | None) -> Iterator[str]:
    """The root fields an operation selects (through fragments), without `__typename`."""
    for _, name in root_fields(document, operation_name):
        yield name


def root_fields(document: DocumentNode, operation_name: str | None) -> Iterator[tuple[str, str]]:
    """(response key, field name) of each root field an operation selects."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        ops = [o for o in ops if o.name and o.name.value == operation_name]

    def walk(selection_set: SelectionSetNode, seen: frozenset[str]) -> Iterator[tuple[str, str]]:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                if not sel.name.value.startswith("__"):
                    yield (sel.alias or sel.name).value, sel.name.value
            elif isinstance(sel, InlineFragmentNode):
                yield from walk(sel.selection_set, seen)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                fragment = fragments.get(sel.name.value)
                if fragment is not None:
                    yield from walk(fragment.selection_set, seen | {sel.name.value})

    for op in ops[:1]:
        yield from walk(op.selection_set, frozenset())


def refused_fields(names: Iterable[str], scopes: frozenset[str]) -> list[str]:
    """The root fields a key holding `scopes` may not call."""
    refused = []
    for name in names:
        scope = ROOT_SCOPES.get(name)
        if scope is None or scope.value not in scopes:
            refused.append(name)
    return refused


def _refusals(
    document: DocumentNode, operation_name: str | None, scopes: frozenset[str]
) -> list[GraphQLError]:
    fields = list(root_fields(document, operation_name))
    refused = set(refused_fields((name for _, name in fields), scopes))
    return [
        GraphQLError(
            f"This API key may not call {name}.", path=[key], extensions={"code": "FORBIDDEN"}
        )
        for key, name in fields
        if name in refused
    ]


def streamed_refusals(
    query: str | None, operation_name: str | None, context: object
) -> list[GraphQLError]:
    """For operations that start over a websocket (subscriptions), where the extension below
    does not stop execution: the FORBIDDEN errors of root fields outside the key's scopes (none
    for a user's token, or for a document that does not parse: validation answers that)."""
    scopes = getattr(getattr(context, "viewer", None), "key_scopes", None)
    if scopes is None or not query:
        return []
    try:
        document = parse(query)
    except GraphQLError:
        return []
    return _refusals(document, operation_name, scopes)


class ApiKeyScopes(SchemaExtension):
    """Refuses an API key's operation that names a root field outside the key's scopes: nothing
    runs, and each such field gets a FORBIDDEN error at its path, as a permission class would
    answer."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        viewer = getattr(ctx.context, "viewer", None)
        scopes = getattr(viewer, "key_scopes", None)
        if scopes is not None and ctx.graphql_document is not None:
            errors = _refusals(ctx.graphql_document, ctx.operation_name, scopes)
            if errors:
                ctx.result = GraphQLExecutionResult(data=None, errors=errors)
        yield
