"""Field rules declared with `hidden_unless` (schema/permissions.py): a viewer the rule refuses
gets null, with no error, exactly as before the rules were declared; a viewer it admits gets
the value. Every declared field rule must have a case here (found from the schema), so a new
one cannot go untested."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from strawberry.permission import PermissionExtension

from server.schema import build_schema
from tests.factories import gql


@dataclass(frozen=True)
class Case:
    query: str
    path: tuple[str | int, ...]  # to the field, from `data`
    refused: tuple[str | None, ...]  # logins (None: anonymous) that must get null
    admitted: str


COMPANY = '{ companies(search: "acme") { edges { node { code %s } } } }'
CASES: dict[str, Case] = {
    "ProductVersion.priceRules": Case(
        '{ products(search: "leaflet") { edges { node { currentVersion { priceRules } } } } }',
        ("products", "edges", 0, "node", "currentVersion", "priceRules"),
        refused=(None, "boss.acme"),
        admitted="admin@shop.example",
    ),
    "LaserMaterial.pricePerKg": Case(
        "{ laserMaterials { pricePerKg } }",
        ("laserMaterials", 0, "pricePerKg"),
        refused=(None, "acme"),
        admitted="admin@shop.example",
    ),
    "Company.bankDetails": Case(
        COMPANY % "bankDetails { iban }",
        ("companies", "edges", 0, "node", "bankDetails"),
        refused=("buyer.acme",),
        admitted="boss.acme",
    ),
    "Company.customerGroup": Case(
        COMPANY % "customerGroup { name }",
        ("companies", "edges", 0, "node", "customerGroup"),
        refused=("acme", "boss.acme"),
        admitted="admin@shop.example",
    ),
}


def declared_field_rules() -> set[str]:
    found = set()
    for type_name, gql_type in build_schema()._schema.type_map.items():
        for field_name, field in (getattr(gql_type, "fields", None) or {}).items():
            definition = (field.extensions or {}).get("strawberry-definition")
            extensions = getattr(definition, "extensions", ())
            if any(isinstance(e, PermissionExtension) and e.fail_silently for e in extensions):
                found.add(f"{type_name}.{field_name}")
    return found


def test_every_declared_field_rule_has_a_case() -> None:
    assert declared_field_rules() == set(CASES)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


async def test_refused_viewers_get_null_and_no_error(client: httpx.AsyncClient, as_user) -> None:  # type: ignore[no-untyped-def]
    for name, case in CASES.items():
        admitted = await gql(client, case.query, token=await as_user(case.admitted))
        assert "errors" not in admitted, (name, admitted)
        assert _at(admitted["data"], case.path) is not None, name
        for who in case.refused:
            token = await as_user(who) if who else None
            body = await gql(client, case.query, token=token)
            assert "errors" not in body, (name, who, body)
            assert _at(body["data"], case.path) is None, (name, who)


async def test_customer_groups_are_nodes_for_staff_only(client: httpx.AsyncClient, as_user) -> None:  # type: ignore[no-untyped-def]
    staff = await as_user("admin@shop.example")
    groups = await gql(client, "{ customerGroups { edges { node { id name } } } }", token=staff)
    group_id = groups["data"]["customerGroups"]["edges"][0]["node"]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on CustomerGroup { name } } }"
    seen = (await gql(client, query, {"id": group_id}, token=staff))["data"]["node"]
    assert seen is not None
    for who in ("acme", "buyer.acme"):
        body = await gql(client, query, {"id": group_id}, token=await as_user(who))
        assert body["data"] == {"node": None} and "errors" not in body, (who, body)
