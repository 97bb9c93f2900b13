"""What an API key may reach: staff keys hold scopes, portal keys hold company rights."""

from __future__ import annotations

from enum import StrEnum


class ApiKeyScope(StrEnum):
    """Areas of the API a key may call. A staff key holds the scopes it was given; a company's
    key may use every scope a company has (its rights then decide, as for its users)."""

    READ_CATALOG = "READ_CATALOG"
    WRITE_CATALOG = "WRITE_CATALOG"
    READ_ORDERS = "READ_ORDERS"
    WRITE_ORDERS = "WRITE_ORDERS"
    READ_STOCK = "READ_STOCK"
    WRITE_STOCK = "WRITE_STOCK"
    READ_CUSTOMERS = "READ_CUSTOMERS"
    READ_PAYMENTS = "READ_PAYMENTS"  # balances, statements, payments (a company's: VIEW_FINANCES)
    WRITE_PAYMENTS = "WRITE_PAYMENTS"  # recording, importing and refunding payments (staff)
    READ_INVOICES = "READ_INVOICES"  # invoices and credit notes (a company's: VIEW_FINANCES)
    WRITE_INVOICES = "WRITE_INVOICES"  # issuing invoices and credit notes (staff)
    MANAGE_WEBHOOKS = "MANAGE_WEBHOOKS"
    READ_CHANGES = "READ_CHANGES"  # the change feed, of the kinds the other scopes reach
    READ_NODES = "READ_NODES"  # node/nodes: any object by ID (for a shop key: anything staff see)


# Scopes that stand for nothing a company does not already have: a portal key holds them all.
PORTAL_KEY_SCOPES: frozenset[ApiKeyScope] = frozenset(
    {
        ApiKeyScope.READ_CATALOG,
        ApiKeyScope.READ_ORDERS,
        ApiKeyScope.WRITE_ORDERS,
        ApiKeyScope.READ_STOCK,
        ApiKeyScope.WRITE_STOCK,
        ApiKeyScope.READ_PAYMENTS,
        ApiKeyScope.READ_INVOICES,
        ApiKeyScope.MANAGE_WEBHOOKS,
        ApiKeyScope.READ_NODES,
        ApiKeyScope.READ_CHANGES,
    }
)
