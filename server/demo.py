"""Demo data for `pressroom seed-demo`: the shop, two companies, a private customer, staff."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from adapters.db import SqlUnitOfWork
from domain.accounts.companies import create_company_with_primary
from domain.accounts.models import (
    Address,
    Company,
    CustomerGroup,
    PermissionGroup,
    PortalUser,
    StaffUser,
)
from domain.accounts.passwords import hash_password
from domain.accounts.rights import AddressKind, LegalForm, Right, StaffRole

DEMO_PASSWORD = "demo-pass-123"

DEMO_USERS = [
    ("acme", "portal", "every right (primary account of ACME Corp.)"),
    ("boss.acme", "portal", "PLACE_ORDERS, APPROVE_ORDERS, VIEW_COMPANY_ORDERS, VIEW_FINANCES"),
    ("buyer.acme", "portal", "REQUEST_ORDERS only"),
    ("globex", "portal", "every right (primary account of Globex GmbH)"),
    ("jdoe", "portal", "private customer, every right on own account"),
    ("admin@shop.example", "staff", "ADMIN"),
    ("maker@shop.example", "staff", "PRODUCTION"),
]


async def seed_demo(uow: SqlUnitOfWork) -> bool:
    """Idempotent: returns False when the demo data was already there."""
    from server.demo_catalog import seed_catalog
    from server.demo_stock import seed_stock

    accounts = await seed_accounts(uow)
    catalog = await seed_catalog(uow)
    stock = await seed_stock(uow)
    return accounts or catalog or stock


async def seed_accounts(uow: SqlUnitOfWork) -> bool:
    async with uow:
        if await uow.scalar(select(Company.id).where(Company.code == "acme")):
            return False
        pw = hash_password(DEMO_PASSWORD)
        trade = CustomerGroup(
            name="Trade customers", payment_terms_days=30, discount_percent=Decimal(5)
        )
        retail = CustomerGroup(name="Retail", payment_terms_days=0, discount_percent=Decimal(0))
        uow.session.add_all([trade, retail])
        await uow.session.flush()

        acme = await create_company_with_primary(
            uow,
            code="acme",
            name="ACME Corp.",
            legal_form=LegalForm.COMPANY,
            email="purchasing@acme.example",
            full_name="Alice Acme",
            password_hash=pw,
            portal_enabled=True,
            customer_group_id=trade.id,
            markup_percent=Decimal(0),
            vat_id="DE123456789",
        )
        acme.contact_phone = "+49 30 1234567"
        acme.bank_account_holder = "ACME Corp."
        acme.bank_iban = "DE89370400440532013000"
        acme.bank_bic = "COBADEFFXXX"
        uow.session.add_all(
            [
                Address(
                    company_id=acme.id,
                    kind=AddressKind.BILLING,
                    name="ACME Corp.",
                    street="Hauptstrasse 1",
                    postal_code="10115",
                    city="Berlin",
                    country="DE",
                    is_default=True,
                ),
                Address(
                    company_id=acme.id,
                    kind=AddressKind.SHIPPING,
                    name="ACME Warehouse",
                    street="Lagerweg 7",
                    postal_code="12435",
                    city="Berlin",
                    country="DE",
                    is_default=True,
                ),
            ]
        )
        managers = PermissionGroup(
            company_id=acme.id,
            name="Managers",
            rights=sorted(
                r.value
                for r in (
                    Right.PLACE_ORDERS,
                    Right.APPROVE_ORDERS,
                    Right.VIEW_COMPANY_ORDERS,
                    Right.VIEW_FINANCES,
                )
            ),
        )
        buyers = PermissionGroup(
            company_id=acme.id, name="Buyers", rights=[Right.REQUEST_ORDERS.value]
        )
        uow.session.add_all([managers, buyers])
        await uow.session.flush()
        uow.session.add_all(
            [
                PortalUser(
                    company_id=acme.id,
                    login="boss.acme",
                    full_name="Bob Boss",
                    email="bob@acme.example",
                    password_hash=pw,
                    groups=[managers],
                ),
                PortalUser(
                    company_id=acme.id,
                    login="buyer.acme",
                    full_name="Betty Buyer",
                    email="betty@acme.example",
                    password_hash=pw,
                    groups=[buyers],
                ),
            ]
        )
        globex = await create_company_with_primary(
            uow,
            code="globex",
            name="Globex GmbH",
            legal_form=LegalForm.COMPANY,
            email="einkauf@globex.example",
            full_name="Gustav Globex",
            password_hash=pw,
            portal_enabled=True,
            customer_group_id=retail.id,
            markup_percent=Decimal(10),
        )
        uow.session.add(
            Address(
                company_id=globex.id,
                kind=AddressKind.BILLING,
                name="Globex GmbH",
                street="Industriestrasse 42",
                postal_code="80331",
                city="Munich",
                country="DE",
                is_default=True,
            )
        )
        await create_company_with_primary(
            uow,
            code="jdoe",
            name="John Doe",
            legal_form=LegalForm.PRIVATE_PERSON,
            email="john.doe@mail.example",
            full_name="John Doe",
            password_hash=pw,
            portal_enabled=True,
        )
        uow.session.add_all(
            [
                StaffUser(
                    email="admin@shop.example",
                    full_name="Ada Admin",
                    role=StaffRole.ADMIN,
                    password_hash=pw,
                ),
                StaffUser(
                    email="maker@shop.example",
                    full_name="Max Maker",
                    role=StaffRole.PRODUCTION,
                    password_hash=pw,
                ),
            ]
        )
        await uow.commit()
        return True


def demo_summary() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for login, kind, what in DEMO_USERS:
        lines.append(f"  {login:<22} {kind:<7} {what}")
    return "\n".join(lines)
