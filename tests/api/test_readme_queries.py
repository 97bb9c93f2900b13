"""The README's example queries work as written."""

from __future__ import annotations

import re
from pathlib import Path

from tests.factories import gql

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.S)


async def test_readme_examples_run(client, demo, as_user) -> None:  # type: ignore[no-untyped-def]
    login, me, companies = _blocks()[:3]
    body = await gql(client, login)
    payload = body["data"]["tokenCreate"]
    assert payload["errors"] == []
    assert payload["me"]["login"] == "boss.acme"
    token = payload["accessToken"]

    me_data = (await gql(client, me, token=token))["data"]["me"]
    assert me_data["company"]["code"] == "acme"
    assert {u["login"] for u in me_data["company"]["users"]} == {"acme", "boss.acme", "buyer.acme"}

    staff = await as_user("admin@shop.example")
    page = (await gql(client, companies, token=staff))["data"]["companies"]
    assert page["totalCount"] == 3
    assert [e["node"]["code"] for e in page["edges"]] == ["acme", "globex", "jdoe"]
    portal = (await gql(client, companies, token=token))["data"]["companies"]
    assert [e["node"]["code"] for e in portal["edges"]] == ["acme"]
