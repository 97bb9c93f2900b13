"""Partner users: a person of a partner supplier logs in (e-mail and password) and acts as
that partner only: it sees and answers the RFQs addressed to its supplier, nothing of other
partners, quotes or customers; only ADMIN staff make such logins."""

from __future__ import annotations

import datetime as dt

from tests.api.test_quotes import ANSWER, RFQ, RFQS, codes, draft_quote, ok, partners
from tests.factories import company_id, gql, login

PARTNER_USER = """mutation($i: PartnerUserCreateInput!) { partnerUserCreate(input: $i) {
  staffUser { id email role } errors { code field message } } }"""
STAFF_USER = """mutation($i: StaffUserCreateInput!) { staffUserCreate(input: $i) {
  staffUser { id } errors { code field } } }"""
PASSWORD = "Partner-pass-2031!"


async def test_partner_users_see_and_answer_their_rfqs_only(client, as_user) -> None:  # type: ignore[no-untyped-def]
    admin, buyer = await as_user("admin@shop.example"), await as_user("buyer.acme")
    maker = await as_user("maker@shop.example")
    (p1, n1, _), (p2, _, _), _ = await partners(client, admin, "U ")
    person = {
        "supplierId": p1,
        "email": "anna@foil.example",
        "fullName": "Anna Foil",
        "password": PASSWORD,
    }

    # Only ADMIN staff make partner logins; portal users are refused outright.
    refused = await gql(client, PARTNER_USER, {"i": person}, buyer, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert codes(await gql(client, PARTNER_USER, {"i": person}, maker), "partnerUserCreate") == [
        "PERMISSION_DENIED"
    ]
    # The role PARTNER belongs to a supplier: staffUserCreate cannot make one without it.
    loose = await gql(
        client,
        STAFF_USER,
        {
            "i": {
                "email": "x@foil.example",
                "fullName": "X",
                "role": "PARTNER",
                "password": PASSWORD,
            }
        },
        admin,
    )
    assert codes(loose, "staffUserCreate") == ["INVALID"]
    made = ok(await gql(client, PARTNER_USER, {"i": person}, admin), "partnerUserCreate")
    assert made["staffUser"]["role"] == "PARTNER"
    other = {**person, "supplierId": p2, "email": "ben@shine.example", "fullName": "Ben Shine"}
    ok(await gql(client, PARTNER_USER, {"i": other}, admin), "partnerUserCreate")
    anna, ben = (
        await login(client, "anna@foil.example", PASSWORD),
        await login(client, "ben@shine.example", PASSWORD),
    )

    # Two RFQs, one to each partner.
    acme = await company_id(client, buyer)
    quote = await draft_quote(client, admin, acme, "Die cutting", 300)
    line = quote["lines"][0]["id"]
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    rfqs = {}
    for supplier in (p1, p2):
        asked = {"quoteId": quote["id"], "quoteLineIds": [line], "supplierIds": [supplier]}
        created = await gql(client, RFQ, {"i": {**asked, "deadline": deadline}}, admin)
        rfqs[supplier] = ok(created, "rfqCreate")["rfq"]

    # Anna sees her supplier's RFQ only, answers it, and cannot answer the other one.
    seen = (await gql(client, RFQS, token=anna))["data"]["rfqs"]["nodes"]
    assert [r["number"] for r in seen] == [rfqs[p1]["number"]]
    price = [{"quoteLineId": line, "net": 12000}]
    ok(
        await gql(client, ANSWER, {"i": {"rfqId": rfqs[p1]["id"], "prices": price}}, anna),
        "rfqAnswer",
    )
    foreign = await gql(client, ANSWER, {"i": {"rfqId": rfqs[p2]["id"], "prices": price}}, anna)
    assert codes(foreign, "rfqAnswer") == ["NOT_FOUND"]
    assert [r["number"] for r in (await gql(client, RFQS, token=ben))["data"]["rfqs"]["nodes"]] == [
        rfqs[p2]["number"]
    ]
    # She is no staff: no quotes, no customers, no staff lists; `me` is her own account.
    assert (await gql(client, "{ quotes { totalCount } }", token=anna))["data"]["quotes"][
        "totalCount"
    ] == 0
    staff_list = await gql(client, "{ staffUsers { totalCount } }", token=anna, expect_errors=True)
    assert staff_list["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    me = await gql(client, "{ me { ... on StaffUser { email role } } }", token=anna)
    assert me["data"]["me"] == {"email": "anna@foil.example", "role": "PARTNER"}
    # Staff see her answer under her supplier.
    [decided] = [
        r
        for r in (await gql(client, RFQS, token=admin))["data"]["rfqs"]["nodes"]
        if r["number"] == rfqs[p1]["number"]
    ]
    assert [
        (i["supplier"]["name"], i["status"], i["totalNet"]) for i in decided["invitations"]
    ] == [(n1, "ANSWERED", 12000)]
