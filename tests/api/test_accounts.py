"""Customers, portal users, permission groups and customer groups, through GraphQL over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.demo import DEMO_PASSWORD
from server.settings import Settings
from tests.factories import company_id, gql, login

AsUser = Callable[[str], Awaitable[str]]

COMPANY_FIELDS = """
  id code name legalForm portalEnabled markupPercent contactName contactEmail contactPhone
  bankDetails { accountHolder iban bic }
  addresses { kind name street postalCode city country isDefault }
  users { login isPrimary isActive }
  permissionGroups { id name rights }
"""
COMPANY_CREATE = f"""
mutation($input: CompanyCreateInput!) {{
  companyCreate(input: $input) {{ company {{ {COMPANY_FIELDS} }} errors {{ code field message }} }}
}}"""
COMPANY_UPDATE = f"""
mutation($input: CompanyUpdateInput!) {{
  companyUpdate(input: $input) {{ company {{ {COMPANY_FIELDS} }} errors {{ code field message }} }}
}}"""
MY_COMPANY = f"{{ me {{ ... on PortalUser {{ login rights company {{ {COMPANY_FIELDS} }} }} }} }}"
PORTAL_USER_CREATE = """
mutation($input: PortalUserCreateInput!) {
  portalUserCreate(input: $input) {
    user { id login fullName email isActive isPrimary rights groups { name } company { code } }
    errors { code field message }
  }
}"""
PORTAL_USER_UPDATE = """
mutation($input: PortalUserUpdateInput!) {
  portalUserUpdate(input: $input) { user { login isActive rights } errors { code field } }
}"""
GROUP_CREATE = """
mutation($input: PermissionGroupCreateInput!) {
  permissionGroupCreate(input: $input) { permissionGroup { id name rights company { code } }
                                         errors { code field message } }
}"""
GROUP_UPDATE = """
mutation($input: PermissionGroupUpdateInput!) {
  permissionGroupUpdate(input: $input) { permissionGroup { id name rights }
                                         errors { code field message } }
}"""
GROUP_DELETE = """
mutation($id: ID!) { permissionGroupDelete(id: $id) { deletedId errors { code field message } } }"""
COMPANIES = """
query($search: String, $first: Int, $after: String) {
  companies(search: $search, first: $first, after: $after) {
    totalCount
    edges { cursor node { code name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
STAFF_USER_CREATE = """
mutation($input: StaffUserCreateInput!) {
  staffUserCreate(input: $input) { staffUser { email role } errors { code field } }
}"""
CUSTOMER_GROUP_CREATE = """
mutation($input: CustomerGroupCreateInput!) {
  customerGroupCreate(input: $input) {
    customerGroup { id name paymentTermsDays discountPercent } errors { code field }
  }
}"""

ALL_RIGHTS = [
    "APPROVE_ORDERS", "MANAGE_COMPANY", "MANAGE_GROUPS", "MANAGE_USERS", "PLACE_ORDERS",
    "REQUEST_ORDERS", "VIEW_COMPANY_ORDERS", "VIEW_FINANCES",
]  # fmt: skip


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.embedded_worker = False
    return settings


def new_company(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"{code.title()} Ltd.",
        "legalForm": "COMPANY",
        "primaryEmail": "office@newcustomer.example",
        "primaryFullName": "Olga Office",
        "primaryPassword": "initial-pass-42",
        **extra,
    }


async def count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    tables = ("company", "portal_user", "permission_group", "portal_user_group", "address")
    return {t: await count(engine, t) for t in tables}


def errors_of(body: dict[str, Any], field: str) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in body["data"][field]["errors"]]


async def my_company(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    return (await gql(client, MY_COMPANY, token=token))["data"]["me"]["company"]  # type: ignore[no-any-return]


async def sales_token(client: httpx.AsyncClient, as_user: AsUser) -> str:
    admin = await as_user("admin@shop.example")
    body = await gql(
        client,
        STAFF_USER_CREATE,
        {
            "input": {
                "email": "Sam.Sales@Shop.example",
                "fullName": "Sam Sales",
                "role": "SALES",
                "password": "sales-pass-123",
            }
        },
        token=admin,
    )
    assert body["data"]["staffUserCreate"] == {
        "staffUser": {"email": "sam.sales@shop.example", "role": "SALES"},
        "errors": [],
    }
    return await login(client, "sam.sales@shop.example", "sales-pass-123")


# --- companyCreate ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin@shop.example", "sales"])
async def test_staff_create_a_company_with_primary_account(client, as_user, who) -> None:  # type: ignore[no-untyped-def]
    token = await sales_token(client, as_user) if who == "sales" else await as_user(who)
    body = await gql(client, COMPANY_CREATE, {"input": new_company("initech")}, token=token)
    payload = body["data"]["companyCreate"]
    assert payload["errors"] == []
    company = payload["company"]
    assert (company["code"], company["name"], company["legalForm"]) == (
        "initech",
        "Initech Ltd.",
        "COMPANY",
    )
    assert company["portalEnabled"] is True
    assert company["users"] == [{"login": "initech", "isPrimary": True, "isActive": True}]
    assert [(g["name"], g["rights"]) for g in company["permissionGroups"]] == [
        ("Administrators", ALL_RIGHTS)
    ]
    primary = await login(client, "initech", "initial-pass-42")
    me = (await gql(client, MY_COMPANY, token=primary))["data"]["me"]
    assert me["login"] == "initech" and me["rights"] == ALL_RIGHTS


async def test_production_staff_may_not_create_companies(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    before = await row_counts(engine)
    token = await as_user("maker@shop.example")
    body = await gql(client, COMPANY_CREATE, {"input": new_company("initech")}, token=token)
    assert body["data"]["companyCreate"]["company"] is None
    assert errors_of(body, "companyCreate") == [("PERMISSION_DENIED", None)]
    assert await row_counts(engine) == before


async def test_portal_users_and_anonymous_are_refused_at_the_top(client, as_user) -> None:  # type: ignore[no-untyped-def]
    variables = {"input": new_company("initech")}
    for token, code in ((await as_user("acme"), "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        body = await gql(client, COMPANY_CREATE, variables, token=token, expect_errors=True)
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
        assert body["errors"][0]["path"] == ["companyCreate"]


async def test_invalid_customer_codes_are_refused(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    before = await row_counts(engine)
    for code in ("Initech", "1nitech", "ini tech", "müller", "", "a" * 41, "ini_tech", "-ini"):
        body = await gql(client, COMPANY_CREATE, {"input": new_company(code)}, token=token)
        assert body["data"]["companyCreate"]["company"] is None, code
        assert errors_of(body, "companyCreate") == [("INVALID_CUSTOMER_CODE", ["code"])], code
    assert await row_counts(engine) == before


async def test_longest_customer_code_is_accepted(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    code = "a" + "-1" * 19 + "z"
    assert len(code) == 40
    body = await gql(client, COMPANY_CREATE, {"input": new_company(code)}, token=token)
    assert body["data"]["companyCreate"]["company"]["code"] == code


async def test_every_validation_error_comes_at_once(client, as_user) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    bad = new_company(
        "Bad Code", name=" ", primaryEmail="nope", primaryPassword="short", markupPercent="600"
    )
    body = await gql(client, COMPANY_CREATE, {"input": bad}, token=token)
    assert sorted(errors_of(body, "companyCreate")) == [
        ("INVALID", ["markupPercent"]),
        ("INVALID_CUSTOMER_CODE", ["code"]),
        ("INVALID_EMAIL", ["primaryEmail"]),
        ("PASSWORD_TOO_SHORT", ["primaryPassword"]),
        ("REQUIRED", ["name"]),
    ]


async def test_duplicate_customer_code_saves_nothing(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    before = await row_counts(engine)
    body = await gql(client, COMPANY_CREATE, {"input": new_company("acme")}, token=token)
    assert errors_of(body, "companyCreate") == [("DUPLICATE_CUSTOMER_CODE", ["code"])]
    # Unknown customer group: refused after the checks, inside the transaction.
    missing_group = new_company("initech", customerGroupId="Q3VzdG9tZXJHcm91cDo5OTk5")
    body = await gql(client, COMPANY_CREATE, {"input": missing_group}, token=token)
    assert errors_of(body, "companyCreate") == [("NOT_FOUND", ["customerGroupId"])]
    assert await row_counts(engine) == before


async def test_too_long_name_is_a_typed_error_and_saves_nothing(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    token = await as_user("admin@shop.example")
    before = await row_counts(engine)
    body = await gql(
        client, COMPANY_CREATE, {"input": new_company("initech", name="N" * 201)}, token=token
    )
    assert errors_of(body, "companyCreate") == [("INVALID", ["name"])]
    assert await row_counts(engine) == before
    # The same for an update, down to an address line.
    acme = await as_user("acme")
    company = await my_company(client, acme)
    long_city = [{**ADDRESSES[0], "city": "C" * 121}]
    variables = {"input": {"id": company["id"], "contactPhone": "1" * 41, "addresses": long_city}}
    body = await gql(client, COMPANY_UPDATE, variables, token=acme)
    assert errors_of(body, "companyUpdate") == [
        ("INVALID", ["contactPhone"]),
        ("INVALID", ["addresses", "0", "city"]),
    ]
    assert await my_company(client, acme) == company


# --- portal users ----------------------------------------------------------------------------


async def group_ids(client: httpx.AsyncClient, token: str) -> dict[str, str]:
    return {g["name"]: g["id"] for g in (await my_company(client, token))["permissionGroups"]}


async def user_ids(client: httpx.AsyncClient, token: str) -> dict[str, str]:
    query = "{ me { ... on PortalUser { company { users { id login } } } } }"
    users = (await gql(client, query, token=token))["data"]["me"]["company"]["users"]
    return {u["login"]: u["id"] for u in users}


async def test_manager_creates_a_sub_account_that_can_log_in(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    groups = await group_ids(client, acme)
    body = await gql(
        client,
        PORTAL_USER_CREATE,
        {
            "input": {
                "companyId": await company_id(client, acme),
                "name": " Carol ",
                "fullName": "Carol Clerk",
                "email": "carol@acme.example",
                "password": "carol-secret-pass",
                "groupIds": [groups["Buyers"]],
            }
        },
        token=acme,
    )
    payload = body["data"]["portalUserCreate"]
    assert payload["errors"] == []
    user = payload["user"]
    assert user["login"] == "carol.acme"
    assert (user["fullName"], user["email"], user["isActive"], user["isPrimary"]) == (
        "Carol Clerk",
        "carol@acme.example",
        True,
        False,
    )
    assert user["rights"] == ["REQUEST_ORDERS"]
    assert user["groups"] == [{"name": "Buyers"}]
    assert user["company"] == {"code": "acme"}
    carol = await login(client, "carol.acme", "carol-secret-pass")
    me = (await gql(client, MY_COMPANY, token=carol))["data"]["me"]
    assert (me["login"], me["rights"]) == ("carol.acme", ["REQUEST_ORDERS"])


async def test_sub_account_errors(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    acme, boss, jdoe = await as_user("acme"), await as_user("boss.acme"), await as_user("jdoe")
    acme_id = await company_id(client, acme)

    async def create(token: str, company: str, name: str) -> list[tuple[str, list[str] | None]]:
        variables = {
            "input": {
                "companyId": company,
                "name": name,
                "fullName": "Some One",
                "email": "some.one@example.com",
                "password": "some-long-pass",
            }
        }
        return errors_of(
            await gql(client, PORTAL_USER_CREATE, variables, token=token), "portalUserCreate"
        )

    before = await row_counts(engine)
    assert await create(acme, acme_id, "boss") == [("DUPLICATE_LOGIN", ["name"])]
    for name in ("carol smith", "1carol", "carol.x", "carøl", ""):
        assert await create(acme, acme_id, name) == [("INVALID_LOGIN_NAME", ["name"])], name
    assert await create(boss, acme_id, "carol") == [("PERMISSION_DENIED", None)]
    jdoe_id = await company_id(client, jdoe)
    assert await create(jdoe, jdoe_id, "wife") == [
        ("SUB_ACCOUNT_FOR_PRIVATE_PERSON", ["companyId"])
    ]
    # Another company's ID answers exactly like a missing one.
    globex = await as_user("globex")
    assert await create(globex, acme_id, "spy") == [("NOT_FOUND", ["companyId"])]
    assert await row_counts(engine) == before


async def test_rights_are_the_union_of_the_groups(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    groups = await group_ids(client, acme)
    body = await gql(
        client,
        PORTAL_USER_CREATE,
        {
            "input": {
                "companyId": await company_id(client, acme),
                "name": "dora",
                "fullName": "Dora Double",
                "email": "dora@acme.example",
                "password": "dora-secret-pass",
                "groupIds": [groups["Buyers"], groups["Managers"]],
            }
        },
        token=acme,
    )
    union = [
        "APPROVE_ORDERS",
        "PLACE_ORDERS",
        "REQUEST_ORDERS",
        "VIEW_COMPANY_ORDERS",
        "VIEW_FINANCES",
    ]
    assert body["data"]["portalUserCreate"]["user"]["rights"] == union
    dora = await login(client, "dora.acme", "dora-secret-pass")
    me = (await gql(client, MY_COMPANY, token=dora))["data"]["me"]
    assert me["rights"] == union
    # VIEW_FINANCES from the Managers group shows the bank details.
    assert me["company"]["bankDetails"]["iban"] == "DE89370400440532013000"


# --- permission groups -----------------------------------------------------------------------


async def test_permission_group_create_update_delete(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    created = await gql(
        client,
        GROUP_CREATE,
        {
            "input": {
                "companyId": await company_id(client, acme),
                "name": "Designers",
                "rights": ["VIEW_FINANCES", "PLACE_ORDERS"],
            }
        },
        token=acme,
    )
    group = created["data"]["permissionGroupCreate"]["permissionGroup"]
    assert (group["name"], group["rights"], group["company"]) == (
        "Designers",
        ["PLACE_ORDERS", "VIEW_FINANCES"],
        {"code": "acme"},
    )
    updated = await gql(
        client,
        GROUP_UPDATE,
        {"input": {"id": group["id"], "name": "Artwork", "rights": ["REQUEST_ORDERS"]}},
        token=acme,
    )
    assert updated["data"]["permissionGroupUpdate"] == {
        "permissionGroup": {"id": group["id"], "name": "Artwork", "rights": ["REQUEST_ORDERS"]},
        "errors": [],
    }
    duplicate = await gql(
        client, GROUP_UPDATE, {"input": {"id": group["id"], "name": "Buyers"}}, token=acme
    )
    assert errors_of(duplicate, "permissionGroupUpdate") == [("DUPLICATE_NAME", ["name"])]
    deleted = await gql(client, GROUP_DELETE, {"id": group["id"]}, token=acme)
    assert deleted["data"]["permissionGroupDelete"] == {"deletedId": group["id"], "errors": []}
    assert "Artwork" not in await group_ids(client, acme)


async def test_permission_groups_need_manage_groups(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme, boss = await as_user("acme"), await as_user("boss.acme")
    groups = await group_ids(client, acme)
    created = await gql(
        client,
        GROUP_CREATE,
        {"input": {"companyId": await company_id(client, boss), "name": "X", "rights": []}},
        token=boss,
    )
    assert errors_of(created, "permissionGroupCreate") == [("PERMISSION_DENIED", None)]
    updated = await gql(
        client, GROUP_UPDATE, {"input": {"id": groups["Buyers"], "rights": ALL_RIGHTS}}, token=boss
    )
    assert errors_of(updated, "permissionGroupUpdate") == [("PERMISSION_DENIED", None)]
    deleted = await gql(client, GROUP_DELETE, {"id": groups["Buyers"]}, token=boss)
    assert errors_of(deleted, "permissionGroupDelete") == [("PERMISSION_DENIED", None)]
    assert await group_ids(client, acme) == groups
    buyer = await as_user("buyer.acme")
    assert (await gql(client, MY_COMPANY, token=buyer))["data"]["me"]["rights"] == [
        "REQUEST_ORDERS"
    ]
    # Another company's group answers like a missing one.
    globex = await as_user("globex")
    foreign = await gql(client, GROUP_DELETE, {"id": groups["Buyers"]}, token=globex)
    assert errors_of(foreign, "permissionGroupDelete") == [("NOT_FOUND", ["id"])]


async def test_the_last_user_manager_cannot_be_removed(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    groups = await group_ids(client, acme)
    users = await user_ids(client, acme)
    without_manage_users = [r for r in ALL_RIGHTS if r != "MANAGE_USERS"]

    body = await gql(
        client,
        GROUP_UPDATE,
        {"input": {"id": groups["Administrators"], "rights": without_manage_users}},
        token=acme,
    )
    assert errors_of(body, "permissionGroupUpdate") == [("LAST_USER_MANAGER", None)]
    body = await gql(
        client, PORTAL_USER_UPDATE, {"input": {"id": users["acme"], "isActive": False}}, token=acme
    )
    assert errors_of(body, "portalUserUpdate") == [("LAST_USER_MANAGER", None)]
    body = await gql(
        client, PORTAL_USER_UPDATE, {"input": {"id": users["acme"], "groupIds": []}}, token=acme
    )
    assert errors_of(body, "portalUserUpdate") == [("LAST_USER_MANAGER", None)]
    body = await gql(client, GROUP_DELETE, {"id": groups["Administrators"]}, token=acme)
    assert errors_of(body, "permissionGroupDelete") == [("LAST_USER_MANAGER", None)]

    # Nothing changed, and acme's own session still works with every right.
    company = await my_company(client, acme)
    admins = next(g for g in company["permissionGroups"] if g["name"] == "Administrators")
    assert admins["rights"] == ALL_RIGHTS
    assert {"login": "acme", "isPrimary": True, "isActive": True} in company["users"]
    me = (await gql(client, MY_COMPANY, token=acme))["data"]["me"]
    assert me["rights"] == ALL_RIGHTS

    # Once another user can manage users, the same change goes through.
    body = await gql(
        client,
        GROUP_UPDATE,
        {"input": {"id": groups["Managers"], "rights": ["MANAGE_USERS", "VIEW_FINANCES"]}},
        token=acme,
    )
    assert body["data"]["permissionGroupUpdate"]["errors"] == []
    body = await gql(
        client,
        GROUP_UPDATE,
        {"input": {"id": groups["Administrators"], "rights": without_manage_users}},
        token=acme,
    )
    assert body["data"]["permissionGroupUpdate"]["errors"] == []


# --- companyUpdate ---------------------------------------------------------------------------


ADDRESSES = [
    {
        "kind": "BILLING", "name": "ACME Corp.", "street": "Neue Strasse 5",
        "postalCode": "10117", "city": "Berlin", "country": "de", "isDefault": True,
    },
    {
        "kind": "SHIPPING", "name": "ACME Lager", "street": "Hafenweg 2",
        "postalCode": "20457", "city": "Hamburg", "country": "DE", "isDefault": True,
    },
]  # fmt: skip


async def test_company_admin_edits_contact_bank_and_addresses(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    cid = await company_id(client, acme)
    body = await gql(
        client,
        COMPANY_UPDATE,
        {
            "input": {
                "id": cid,
                "contactName": "Alice A.",
                "contactPhone": "+49 30 999",
                "bankAccountHolder": "ACME Corp. Berlin",
                "bankIban": "de89 3704 0044 0532 0130 00",
                "bankBic": "cobadeffxxx",
                "addresses": ADDRESSES,
            }
        },
        token=acme,
    )
    payload = body["data"]["companyUpdate"]
    assert payload["errors"] == []
    company = payload["company"]
    assert (company["contactName"], company["contactPhone"]) == ("Alice A.", "+49 30 999")
    assert company["bankDetails"] == {
        "accountHolder": "ACME Corp. Berlin",
        "iban": "DE89370400440532013000",
        "bic": "COBADEFFXXX",
    }
    assert [(a["kind"], a["city"], a["country"]) for a in company["addresses"]] == [
        ("BILLING", "Berlin", "DE"),
        ("SHIPPING", "Hamburg", "DE"),
    ]
    # Unchanged fields stay.
    assert (company["code"], company["markupPercent"], company["portalEnabled"]) == (
        "acme",
        "0.00",
        True,
    )


async def test_invalid_iban_changes_nothing(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    before = await my_company(client, acme)
    body = await gql(
        client,
        COMPANY_UPDATE,
        {
            "input": {
                "id": before["id"],
                "contactName": "Changed",
                "bankIban": "DE89370400440532013001",
            }
        },
        token=acme,
    )
    assert errors_of(body, "companyUpdate") == [("INVALID", ["bankIban"])]
    assert await my_company(client, acme) == before


async def test_company_admin_may_not_change_commercial_fields(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    before = await my_company(client, acme)
    forbidden = {
        "markupPercent": "-10",
        "code": "acme-new",
        "portalEnabled": False,
        "legalForm": "PRIVATE_PERSON",
        "customerGroupId": None,
    }
    for field, value in forbidden.items():
        body = await gql(
            client, COMPANY_UPDATE, {"input": {"id": before["id"], field: value}}, token=acme
        )
        assert errors_of(body, "companyUpdate") == [("PERMISSION_DENIED", [field])], field
    # Allowed and forbidden fields together: nothing is saved.
    body = await gql(
        client,
        COMPANY_UPDATE,
        {"input": {"id": before["id"], "contactName": "Mallory", "markupPercent": "-50"}},
        token=acme,
    )
    assert errors_of(body, "companyUpdate") == [("PERMISSION_DENIED", ["markupPercent"])]
    assert await my_company(client, acme) == before


async def test_users_without_manage_company_may_not_edit(client, as_user) -> None:  # type: ignore[no-untyped-def]
    boss = await as_user("boss.acme")
    cid = await company_id(client, boss)
    body = await gql(client, COMPANY_UPDATE, {"input": {"id": cid, "contactName": "X"}}, token=boss)
    assert errors_of(body, "companyUpdate") == [("PERMISSION_DENIED", None)]
    globex = await as_user("globex")
    body = await gql(
        client, COMPANY_UPDATE, {"input": {"id": cid, "contactName": "X"}}, token=globex
    )
    assert errors_of(body, "companyUpdate") == [("NOT_FOUND", ["id"])]


async def test_staff_rename_the_code_and_logins_follow(client, as_user) -> None:  # type: ignore[no-untyped-def]
    acme = await as_user("acme")
    cid = await company_id(client, acme)
    admin = await as_user("admin@shop.example")
    body = await gql(
        client,
        COMPANY_UPDATE,
        {"input": {"id": cid, "code": "acme2", "markupPercent": "-5"}},
        token=admin,
    )
    payload = body["data"]["companyUpdate"]
    assert payload["errors"] == []
    assert payload["company"]["code"] == "acme2"
    assert Decimal(payload["company"]["markupPercent"]) == Decimal(-5)
    assert sorted(u["login"] for u in payload["company"]["users"]) == [
        "acme2",
        "boss.acme2",
        "buyer.acme2",
    ]
    await login(client, "acme2")
    await login(client, "boss.acme2")
    for old in ("acme", "boss.acme"):
        body = await gql(
            client,
            "mutation($l: String!, $p: String!) { tokenCreate(input: "
            "{login: $l, password: $p}) { errors { code } } }",
            {"l": old, "p": DEMO_PASSWORD},
        )
        assert body["data"]["tokenCreate"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    # The code of another company is taken.
    body = await gql(client, COMPANY_UPDATE, {"input": {"id": cid, "code": "globex"}}, token=admin)
    assert errors_of(body, "companyUpdate") == [("DUPLICATE_CUSTOMER_CODE", ["code"])]
    body = await gql(client, COMPANY_UPDATE, {"input": {"id": cid, "code": "Acme 3"}}, token=admin)
    assert errors_of(body, "companyUpdate") == [("INVALID_CUSTOMER_CODE", ["code"])]


async def test_bank_details_need_view_finances(client, as_user) -> None:  # type: ignore[no-untyped-def]
    seen = {}
    for who in ("acme", "boss.acme", "buyer.acme"):
        company = await my_company(client, await as_user(who))
        seen[who] = company["bankDetails"]
    full = {"accountHolder": "ACME Corp.", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"}
    assert seen == {"acme": full, "boss.acme": full, "buyer.acme": None}


# --- customer groups and the companies list --------------------------------------------------


async def test_customer_group_create(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    variables = {"input": {"name": "Agencies", "paymentTermsDays": 14, "discountPercent": "7.5"}}
    body = await gql(client, CUSTOMER_GROUP_CREATE, variables, token=admin)
    group = body["data"]["customerGroupCreate"]["customerGroup"]
    assert (group["name"], group["paymentTermsDays"]) == ("Agencies", 14)
    assert Decimal(group["discountPercent"]) == Decimal("7.5")
    again = await gql(client, CUSTOMER_GROUP_CREATE, variables, token=admin)
    assert errors_of(again, "customerGroupCreate") == [("DUPLICATE_NAME", ["name"])]
    maker = await as_user("maker@shop.example")
    refused = await gql(client, CUSTOMER_GROUP_CREATE, {"input": {"name": "Makers"}}, token=maker)
    assert errors_of(refused, "customerGroupCreate") == [("PERMISSION_DENIED", None)]
    # A new company can be put into the new group.
    body = await gql(
        client,
        COMPANY_CREATE,
        {"input": new_company("initech", customerGroupId=group["id"])},
        token=admin,
    )
    assert body["data"]["companyCreate"]["errors"] == []


async def companies(
    client: httpx.AsyncClient, token: str | None, **variables: Any
) -> dict[str, Any]:
    return (await gql(client, COMPANIES, variables, token=token))["data"]["companies"]  # type: ignore[no-any-return]


async def test_companies_connection_for_staff(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    everything = await companies(client, admin)
    assert everything["totalCount"] == 3
    assert [e["node"]["code"] for e in everything["edges"]] == ["acme", "globex", "jdoe"]

    first = await companies(client, admin, first=2)
    assert [e["node"]["code"] for e in first["edges"]] == ["acme", "globex"]
    assert first["totalCount"] == 3
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    second = await companies(client, admin, first=2, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["code"] for e in second["edges"]] == ["jdoe"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True

    assert [
        e["node"]["code"] for e in (await companies(client, admin, search="GLOB"))["edges"]
    ] == ["globex"]
    by_name = await companies(client, admin, search="doe")
    assert (by_name["totalCount"], by_name["edges"][0]["node"]["name"]) == (1, "John Doe")
    # LIKE wildcards in the search are literal characters.
    assert (await companies(client, admin, search="%"))["totalCount"] == 0
    assert (await companies(client, admin, search="_"))["totalCount"] == 0
    assert (await companies(client, admin, search="a", first=0))["edges"] == []


async def test_companies_page_size_is_limited(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    assert (await companies(client, admin, first=100))["totalCount"] == 3
    for bad in (101, -1):
        body = await gql(client, COMPANIES, {"first": bad}, token=admin, expect_errors=True)
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    body = await gql(client, COMPANIES, {"after": "garbage"}, token=admin, expect_errors=True)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


async def test_portal_users_see_their_own_company_only(client, as_user) -> None:  # type: ignore[no-untyped-def]
    buyer = await as_user("buyer.acme")
    mine = await companies(client, buyer)
    assert (mine["totalCount"], [e["node"]["code"] for e in mine["edges"]]) == (1, ["acme"])
    assert (await companies(client, buyer, search="globex"))["totalCount"] == 0
    assert (await companies(client, None))["totalCount"] == 0


async def test_a_user_manager_cannot_escalate_to_rights_they_lack(client, as_user) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import gql

    acme = await as_user("acme")
    me = await gql(
        client,
        "{ me { ... on PortalUser { company { id permissionGroups { id name } } } } }",
        token=acme,
    )
    company = me["data"]["me"]["company"]
    groups = {g["name"]: g["id"] for g in company["permissionGroups"]}
    # acme makes a limited user manager: MANAGE_USERS and REQUEST_ORDERS only.
    body = await gql(
        client,
        "mutation($i: PermissionGroupCreateInput!) { permissionGroupCreate(input: $i) { permissionGroup { id } errors { code } } }",
        {
            "i": {
                "companyId": company["id"],
                "name": "HR",
                "rights": ["MANAGE_USERS", "REQUEST_ORDERS"],
            }
        },
        token=acme,
    )
    hr = body["data"]["permissionGroupCreate"]["permissionGroup"]["id"]
    body = await gql(
        client,
        "mutation($i: PortalUserCreateInput!) { portalUserCreate(input: $i) { user { id } errors { code } } }",
        {
            "i": {
                "companyId": company["id"],
                "name": "hr",
                "fullName": "Hanna HR",
                "email": "hr@acme.example",
                "password": "hr-password-123",
                "groupIds": [hr],
            }
        },
        token=acme,
    )
    assert body["data"]["portalUserCreate"]["errors"] == []

    from tests.factories import login

    hr_token = await login(client, "hr.acme", "hr-password-123")
    users = {
        u["login"]: u["id"]
        for u in (
            await gql(
                client,
                "{ me { ... on PortalUser { company { users { id login } } } } }",
                token=hr_token,
            )
        )["data"]["me"]["company"]["users"]
    }
    # Putting herself into Administrators would give her every right: refused.
    body = await gql(
        client,
        "mutation($i: PortalUserUpdateInput!) { portalUserUpdate(input: $i) { errors { code field } } }",
        {"i": {"id": users["hr.acme"], "groupIds": [hr, groups["Administrators"]]}},
        token=hr_token,
    )
    assert body["data"]["portalUserUpdate"]["errors"] == [
        {"code": "PERMISSION_DENIED", "field": ["groupIds"]}
    ]
    # Resetting the primary account's password would hand her the primary account: refused.
    body = await gql(
        client,
        "mutation($i: PortalUserUpdateInput!) { portalUserUpdate(input: $i) { errors { code field } } }",
        {"i": {"id": users["acme"], "password": "taken-over-123"}},
        token=hr_token,
    )
    assert body["data"]["portalUserUpdate"]["errors"] == [
        {"code": "PERMISSION_DENIED", "field": ["id"]}
    ]
    # She may still manage a user whose rights she holds herself.
    body = await gql(
        client,
        "mutation($i: PortalUserUpdateInput!) { portalUserUpdate(input: $i) { errors { code } } }",
        {"i": {"id": users["buyer.acme"], "fullName": "Betty B."}},
        token=hr_token,
    )
    assert body["data"]["portalUserUpdate"]["errors"] == []
