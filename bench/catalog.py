"""A generated catalog for the load benchmarks: 1,000 print products on the demo's two channels,
and three customer companies with different terms.

    python bench/catalog.py DATABASE_URL [--products 1000]

Every product has three parameters (size, paper, colours: 24 variants) and price rules of the
demo leaflet's shape (sheets from a size lookup, per-sheet paper and printing, cutting, quantity
breaks), with amounts drawn from a seeded generator, so every product prices differently and
really runs the engine. Rules are validated with ``validate_definition`` like ``productCreate``
does; rows are inserted through the domain models in one transaction.

Run after ``seed_demo`` (it needs the demo's channels and customer groups). Idempotent.
"""

from __future__ import annotations

import asyncio
import random
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select

from adapters.db import SqlUnitOfWork
from domain.accounts.companies import ADMIN_GROUP_NAME, create_company_with_primary
from domain.accounts.models import Address, Company, CustomerGroup, PermissionGroup, PortalUser
from domain.accounts.passwords import hash_password
from domain.accounts.rights import AddressKind, LegalForm
from domain.catalog.models import Channel, Product, ProductKind, ProductVersion, channel_product
from domain.catalog.services import validate_definition
from server.demo import DEMO_PASSWORD

PRODUCT_PREFIX = "bench-"
SEED = 20_261_123


@dataclass(frozen=True)
class BenchCompany:
    code: str
    name: str
    markup_percent: Decimal
    group: str | None  # demo customer group name
    extra_users: int  # sub-accounts besides the primary, for concurrent checkouts


# Three customers on different terms: trade discount, a markup, a negotiated rebate.
COMPANIES = (
    BenchCompany("bench-trade", "Bench Trade Ltd.", Decimal(0), "Trade customers", 3),
    BenchCompany("bench-markup", "Bench Markup GmbH", Decimal("12.5"), "Retail", 3),
    BenchCompany("bench-rebate", "Bench Rebate SA", Decimal(-4), None, 3),
)


def bench_logins() -> dict[str, list[str]]:
    """Portal logins per company code (primary first); all use the demo password."""
    return {
        c.code: [c.code, *(f"u{i}.{c.code}" for i in range(1, c.extra_users + 1))]
        for c in COMPANIES
    }


def _enum(key: str, label: str, options: list[tuple[str, str]], default: str) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "kind": "enum",
        "options": [{"key": k, "label": v} for k, v in options],
        "default": default,
        "required": True,
    }


def product_spec() -> dict[str, Any]:
    return {
        "parameters": [
            _enum(
                "size",
                "Size",
                [("a6", "A6"), ("dl", "DL"), ("a5", "A5"), ("a4", "A4")],
                "a5",
            ),
            _enum(
                "paper",
                "Paper",
                [("90", "90 g/m²"), ("135", "135 g/m²"), ("170", "170 g/m²")],
                "135",
            ),
            _enum("colour", "Colours", [("cmyk", "Full colour"), ("black", "Black only")], "cmyk"),
        ],
        "rules": [],
    }


def _money(rng: random.Random, low: float, high: float, places: int = 3) -> str:
    return f"{rng.uniform(low, high):.{places}f}"


def product_rules(rng: random.Random) -> dict[str, Any]:
    """The leaflet's rule shape with this product's own rates."""
    paper = sorted(float(_money(rng, 0.02, 0.12)) for _ in range(3))
    return {
        "currency": "EUR",
        "vat_rate_percent": "19",
        "minimum_net": _money(rng, 15, 40, 2),
        "derived": {
            "ups": {"lookup": {"param": "size", "table": {"a6": 8, "dl": 6, "a5": 4, "a4": 2}}},
            "sheets": {"ceil": {"div": ["quantity", {"ref": "ups"}]}},
            "impressions": {"mul": [{"ref": "sheets"}, rng.choice([1, 2])]},
        },
        "components": [
            {
                "type": "setup",
                "code": "setup",
                "label": "Print setup",
                "amount": _money(rng, 5, 30, 2),
            },
            {
                "type": "per_sheet",
                "code": "paper",
                "label": "Paper {paper}: {count} sheets SRA3",
                "amount": {
                    "lookup": {
                        "param": "paper",
                        "table": {
                            "90": f"{paper[0]:.3f}",
                            "135": f"{paper[1]:.3f}",
                            "170": f"{paper[2]:.3f}",
                        },
                    }
                },
                "sheets": {"ref": "sheets"},
            },
            {
                "type": "per_sheet",
                "code": "printing",
                "label": "Printing: {count} impressions",
                "amount": {
                    "lookup": {
                        "param": "colour",
                        "table": {
                            "cmyk": _money(rng, 0.06, 0.12),
                            "black": _money(rng, 0.01, 0.03),
                        },
                    }
                },
                "sheets": {"ref": "impressions"},
            },
            {
                "type": "per_sheet",
                "code": "cutting",
                "label": "Cutting: {count} sheets",
                "amount": _money(rng, 0.01, 0.03),
                "sheets": {"ref": "sheets"},
            },
        ],
        "quantity_breaks": [
            {"min_quantity": 1, "factor": "1"},
            {"min_quantity": 250, "factor": "0.95"},
            {"min_quantity": 1000, "factor": _money(rng, 0.80, 0.90, 2)},
            {"min_quantity": 5000, "factor": _money(rng, 0.65, 0.78, 2)},
        ],
    }


async def seed_bench_catalog(uow: SqlUnitOfWork, products: int = 1000) -> bool:
    """Adds the products and companies; False when they are already there."""
    async with uow:
        if await uow.scalar(select(Product.id).where(Product.code == f"{PRODUCT_PREFIX}0000")):
            return False
        channels = list(await uow.scalars(select(Channel).order_by(Channel.id)))
        if len(channels) < 2:
            raise RuntimeError("seed the demo first (it creates the two channels)")
        rng = random.Random(SEED)
        spec = product_spec()
        rows = []
        for i in range(products):
            rules = product_rules(rng)
            validate_definition(ProductKind.PRINT, spec, rules)
            code = f"{PRODUCT_PREFIX}{i:04d}"
            name = f"{rng.choice(['Flyer', 'Poster', 'Postcard', 'Leaflet', 'Notepad'])} {i:04d}"
            product = Product(
                code=code,
                kind=ProductKind.PRINT,
                name=name,
                description=f"Generated print product {i} for the load benchmark.",
                search_text=f"{code} {name}".lower(),
            )
            rows.append((product, rules))
        uow.session.add_all([p for p, _ in rows])
        await uow.session.flush()
        versions = [
            ProductVersion(product_id=p.id, version=1, spec=spec, rules=rules) for p, rules in rows
        ]
        uow.session.add_all(versions)
        await uow.session.flush()
        for (product, _), version in zip(rows, versions, strict=True):
            product.current_version_id = version.id
        # Positions interleave with the demo products, so a first page mixes both kinds
        # (including the laser part, which has no rule-based from-price).
        await uow.session.execute(
            insert(channel_product),
            [
                {"channel_id": ch.id, "product_id": p.id, "position": i}
                for ch in channels[:2]
                for i, (p, _) in enumerate(rows)
            ],
        )
        await _companies(uow)
        await uow.commit()
        return True


async def _companies(uow: SqlUnitOfWork) -> None:
    pw = hash_password(DEMO_PASSWORD)
    groups = {g.name: g.id for g in await uow.scalars(select(CustomerGroup))}
    for c in COMPANIES:
        company: Company = await create_company_with_primary(
            uow,
            code=c.code,
            name=c.name,
            legal_form=LegalForm.COMPANY,
            email=f"buying@{c.code}.example",
            full_name=f"{c.name} buyer",
            password_hash=pw,
            portal_enabled=True,
            customer_group_id=groups.get(c.group) if c.group else None,
            markup_percent=c.markup_percent,
        )
        uow.session.add(
            Address(
                company_id=company.id,
                kind=AddressKind.SHIPPING,
                name=c.name,
                street="Benchmarkweg 1",
                postal_code="10115",
                city="Berlin",
                country="DE",
                is_default=True,
            )
        )
        admins = await uow.scalar(
            select(PermissionGroup).where(
                PermissionGroup.company_id == company.id,
                PermissionGroup.name == ADMIN_GROUP_NAME,
            )
        )
        for login in bench_logins()[c.code][1:]:
            uow.session.add(
                PortalUser(
                    company_id=company.id,
                    login=login,
                    full_name=f"Bench user {login}",
                    email=f"{login}@bench.example",
                    password_hash=pw,
                    groups=[admins],
                )
            )
        await uow.session.flush()


async def seed(url: str, products: int = 1000) -> None:
    """The demo (users, channels, demo products), then the generated catalog."""
    from adapters.db import create_engine, session_factory
    from server.demo import seed_demo

    engine = create_engine(url, pool_size=2)
    try:
        uow = SqlUnitOfWork(session_factory(engine))
        try:
            await seed_demo(uow)
            await seed_bench_catalog(uow, products)
        finally:
            await uow.close()
    finally:
        await engine.dispose()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--products", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(seed(args.database_url, args.products))
    print(f"seeded {args.products} products and {len(COMPANIES)} companies")
