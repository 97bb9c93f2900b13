"""Self-registration and password reset, end to end: GraphQL over HTTP, the mail outbox, the
mail.send background job, and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.demo import DEMO_PASSWORD
from server.settings import Settings
from tests.factories import gql, login
from tests.integration.test_mail import SmtpServer

REGISTER = """
mutation($input: RegistrationRequestCreateInput!) {
  registrationRequestCreate(input: $input) { accepted errors { code field } }
}"""
REQUESTS = """
query($status: RegistrationStatus) {
  registrationRequests(status: $status) {
    totalCount
    nodes { id companyName legalForm contactName email phone vatId message status
            rejectionReason decidedAt company { code } }
  }
}"""
APPROVE = """
mutation($input: RegistrationRequestApproveInput!) {
  registrationRequestApprove(input: $input) {
    registrationRequest { id status decidedAt company { code name legalForm users { login } } }
    errors { code field message }
  }
}"""
REJECT = """
mutation($input: RegistrationRequestRejectInput!) {
  registrationRequestReject(input: $input) {
    registrationRequest { id status rejectionReason decidedAt company { code } }
    errors { code field message }
  }
}"""
RESET_REQUEST = """
mutation($login: String!) {
  passwordResetRequest(input: {login: $login}) { accepted errors { code field } }
}"""
RESET_CONFIRM = """
mutation($token: String!, $password: String!) {
  passwordResetConfirm(input: {token: $token, newPassword: $password}) {
    success errors { code field message }
  }
}"""
TOKEN_CREATE = """
mutation($login: String!, $password: String!) {
  tokenCreate(input: {login: $login, password: $password}) {
    accessToken refreshToken errors { code }
  }
}"""
ME = "{ me { ... on PortalUser { login rights company { code name legalForm } } } }"

APPLICANT = {
    "companyName": "Papier & Co. KG",
    "legalForm": "COMPANY",
    "contactName": "Petra Papier",
    "email": "petra@papier.example",
    "password": "petras-chosen-pass",
    "phone": "+49 40 555",
    "vatId": "DE999999999",
    "message": "We print menus.",
}


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer, request: pytest.FixtureRequest) -> Settings:
    """Mail goes to the test SMTP server; tests send it with ``deliver`` unless they ask for
    the embedded job worker (``embedded_worker`` through indirect parametrization)."""
    settings.smtp_host = smtp.host
    settings.smtp_port = smtp.port
    settings.mail_from = "Print Shop <shop@print.example>"
    settings.embedded_worker = getattr(request, "param", {}).get("embedded_worker", False)
    settings.job_poll_interval_s = 0.2
    return settings


async def deliver(app: Any, smtp: SmtpServer) -> list[EmailMessage]:
    """Run the due jobs (the outbox's mail.send jobs), as the worker would, and return what
    arrived."""
    await app.state.jobs.run_until_idle()
    return smtp.inbox.messages


def body_of(msg: EmailMessage) -> str:
    return msg.get_content().replace("\r\n", "\n")  # type: ignore[no-any-return]


async def outbox_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM mail_outbox")) or 0)


async def register(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    body = await gql(client, REGISTER, {"input": {**APPLICANT, **changes}})
    return body["data"]["registrationRequestCreate"]  # type: ignore[no-any-return]


async def pending(client: httpx.AsyncClient, staff: str) -> list[dict[str, Any]]:
    body = await gql(client, REQUESTS, {"status": "PENDING"}, token=staff)
    return body["data"]["registrationRequests"]["nodes"]  # type: ignore[no-any-return]


async def approve(client: httpx.AsyncClient, staff: str, rid: str, code: str) -> dict[str, Any]:
    variables = {"input": {"id": rid, "customerCode": code}}
    body = await gql(client, APPROVE, variables, token=staff)
    return body["data"]["registrationRequestApprove"]  # type: ignore[no-any-return]


def error_codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


# --- registration ----------------------------------------------------------------------------


async def test_approved_applicant_is_mailed_and_logs_in(client, as_user, app, smtp, engine) -> None:  # type: ignore[no-untyped-def]
    assert await register(client) == {"accepted": True, "errors": []}
    assert await outbox_count(engine) == 0  # nothing is mailed for the request itself
    admin = await as_user("admin@shop.example")
    [request] = await pending(client, admin)
    assert {k: request[k] for k in ("companyName", "contactName", "email", "phone", "status")} == {
        "companyName": "Papier & Co. KG",
        "contactName": "Petra Papier",
        "email": "petra@papier.example",
        "phone": "+49 40 555",
        "status": "PENDING",
    }
    assert request["company"] is None and request["decidedAt"] is None

    payload = await approve(client, admin, request["id"], " papier ")
    assert payload["errors"] == []
    decided = payload["registrationRequest"]
    assert decided["status"] == "APPROVED" and decided["decidedAt"]
    assert decided["company"] == {
        "code": "papier",
        "name": "Papier & Co. KG",
        "legalForm": "COMPANY",
        "users": [{"login": "papier"}],
    }
    assert await pending(client, admin) == []

    [mail] = await deliver(app, smtp)
    assert mail["To"] == "petra@papier.example"
    assert mail["From"] == "Print Shop <shop@print.example>"
    assert mail["Subject"] == "Your customer account is ready"
    text_body = body_of(mail)
    assert "Hello Petra Papier," in text_body
    assert "Your customer code and login: papier\n" in text_body
    assert "http://127.0.0.1:8000" in text_body
    assert DEMO_PASSWORD not in text_body and APPLICANT["password"] not in text_body

    token = await login(client, "papier", APPLICANT["password"])
    me = (await gql(client, ME, token=token))["data"]["me"]
    assert me["login"] == "papier"
    assert me["company"] == {"code": "papier", "name": "Papier & Co. KG", "legalForm": "COMPANY"}
    assert len(me["rights"]) == 8


async def test_rejected_applicant_is_mailed_the_reason(client, as_user, app, smtp) -> None:  # type: ignore[no-untyped-def]
    await register(client)
    admin = await as_user("admin@shop.example")
    [request] = await pending(client, admin)
    variables = {"input": {"id": request["id"], "reason": "  We only serve the trade.  "}}
    payload = (await gql(client, REJECT, variables, token=admin))["data"][
        "registrationRequestReject"
    ]
    assert payload["errors"] == []
    assert payload["registrationRequest"]["status"] == "REJECTED"
    assert payload["registrationRequest"]["rejectionReason"] == "We only serve the trade."
    assert payload["registrationRequest"]["company"] is None

    [mail] = await deliver(app, smtp)
    assert (mail["To"], mail["Subject"]) == ("petra@papier.example", "Your registration request")
    assert "Reason: We only serve the trade.\n" in body_of(mail)
    body = await gql(client, TOKEN_CREATE, {"login": "papier", "password": APPLICANT["password"]})
    assert body["data"]["tokenCreate"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]

    empty = await gql(client, REJECT, {"input": {"id": request["id"], "reason": " "}}, token=admin)
    assert error_codes(empty["data"]["registrationRequestReject"]) == [("REQUIRED", ["reason"])]


async def test_a_request_is_decided_once(client, as_user, app, smtp, engine) -> None:  # type: ignore[no-untyped-def]
    await register(client)
    admin = await as_user("admin@shop.example")
    [request] = await pending(client, admin)
    assert (await approve(client, admin, request["id"], "papier"))["errors"] == []
    assert await outbox_count(engine) == 1

    again = await approve(client, admin, request["id"], "papier2")
    assert again["registrationRequest"] is None
    assert error_codes(again) == [("ALREADY_DECIDED", ["id"])]
    rejected = await gql(
        client, REJECT, {"input": {"id": request["id"], "reason": "late"}}, token=admin
    )
    assert error_codes(rejected["data"]["registrationRequestReject"]) == [
        ("ALREADY_DECIDED", ["id"])
    ]
    assert await outbox_count(engine) == 1
    assert len(await deliver(app, smtp)) == 1
    codes = (await gql(client, "{ companies { nodes { code } } }", token=admin))["data"]
    assert [c["code"] for c in codes["companies"]["nodes"]] == ["acme", "globex", "jdoe", "papier"]


async def test_approve_with_a_taken_or_invalid_code(client, as_user, engine) -> None:  # type: ignore[no-untyped-def]
    await register(client)
    admin = await as_user("admin@shop.example")
    [request] = await pending(client, admin)
    assert error_codes(await approve(client, admin, request["id"], "acme")) == [
        ("DUPLICATE_CUSTOMER_CODE", ["customerCode"])
    ]
    assert error_codes(await approve(client, admin, request["id"], "Papier KG")) == [
        ("INVALID_CUSTOMER_CODE", ["customerCode"])
    ]
    # Still pending, nothing created, nothing mailed.
    assert [r["id"] for r in await pending(client, admin)] == [request["id"]]
    assert await outbox_count(engine) == 0
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM company")) == 3
    assert (await approve(client, admin, request["id"], "papier"))["errors"] == []


async def test_only_customer_admin_staff_decide(client, as_user) -> None:  # type: ignore[no-untyped-def]
    await register(client)
    admin = await as_user("admin@shop.example")
    [request] = await pending(client, admin)
    acme = await as_user("acme")
    for token, code in ((acme, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        listed = await gql(client, REQUESTS, token=token, expect_errors=True)
        assert [e["extensions"]["code"] for e in listed["errors"]] == [code]
        assert listed["data"] is None
        variables = {"input": {"id": request["id"], "customerCode": "papier"}}
        approved = await gql(client, APPROVE, variables, token=token, expect_errors=True)
        assert [e["extensions"]["code"] for e in approved["errors"]] == [code]
    maker = await as_user("maker@shop.example")
    assert error_codes(await approve(client, maker, request["id"], "papier")) == [
        ("PERMISSION_DENIED", None)
    ]
    assert [r["status"] for r in await pending(client, admin)] == ["PENDING"]


async def test_registration_input_is_validated(client, demo, engine) -> None:  # type: ignore[no-untyped-def]
    payload = await register(client, email="not-an-email", password="short", contactName=" ")
    assert payload["accepted"] is False
    assert sorted(error_codes(payload)) == [
        ("INVALID_EMAIL", ["email"]),
        ("PASSWORD_TOO_SHORT", ["password"]),
        ("REQUIRED", ["contactName"]),
    ]
    payload = await register(client, companyName="C" * 201)
    assert error_codes(payload) == [("INVALID", ["companyName"])]
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM registration_request")) == 0


@pytest.mark.parametrize("settings", [{"embedded_worker": True}], indirect=True)
async def test_background_loop_mails_without_help(client, as_user, smtp) -> None:  # type: ignore[no-untyped-def]
    await register(client)
    admin = await as_user("admin@shop.example")
    [request] = await pending(client, admin)
    assert (await approve(client, admin, request["id"], "papier"))["errors"] == []
    assert await smtp.inbox.wait_for(1, timeout_s=3) < 3
    assert "Your customer code and login: papier" in body_of(smtp.inbox.messages[0])


# --- password reset --------------------------------------------------------------------------


async def request_reset(client: httpx.AsyncClient, who: str) -> dict[str, Any]:
    body = await gql(client, RESET_REQUEST, {"login": who})
    return body["data"]["passwordResetRequest"]  # type: ignore[no-any-return]


async def confirm(client: httpx.AsyncClient, token: str, password: str) -> dict[str, Any]:
    body = await gql(client, RESET_CONFIRM, {"token": token, "password": password})
    return body["data"]["passwordResetConfirm"]  # type: ignore[no-any-return]


async def reset_token(app: Any, smtp: SmtpServer, to: str) -> str:
    messages = await deliver(app, smtp)
    mail = messages[-1]
    assert (mail["To"], mail["Subject"]) == (to, "Reset your password")
    match = re.search(r"^Reset token: (\S+)$", body_of(mail), re.MULTILINE)
    assert match, body_of(mail)
    assert f"/reset-password?token={match.group(1)}" in body_of(mail)
    return match.group(1)


async def try_login(client: httpx.AsyncClient, who: str, password: str) -> list[dict[str, str]]:
    body = await gql(client, TOKEN_CREATE, {"login": who, "password": password})
    return body["data"]["tokenCreate"]["errors"]  # type: ignore[no-any-return]


async def test_unknown_login_is_accepted_and_mails_nothing(client, demo, app, smtp, engine) -> None:  # type: ignore[no-untyped-def]
    for who in ("nobody.acme", "nobody@shop.example"):
        assert await request_reset(client, who) == {"accepted": True, "errors": []}
    assert await outbox_count(engine) == 0
    assert await deliver(app, smtp) == []


async def test_password_reset_end_to_end(client, as_user, app, smtp) -> None:  # type: ignore[no-untyped-def]
    old_session = (
        await gql(client, TOKEN_CREATE, {"login": "boss.acme", "password": DEMO_PASSWORD})
    )["data"]["tokenCreate"]
    assert await request_reset(client, " Boss.Acme ") == {"accepted": True, "errors": []}
    token = await reset_token(app, smtp, "bob@acme.example")

    assert await confirm(client, token, "bobs-new-password") == {"success": True, "errors": []}
    assert await try_login(client, "boss.acme", DEMO_PASSWORD) == [{"code": "INVALID_CREDENTIALS"}]
    await login(client, "boss.acme", "bobs-new-password")
    # Every earlier session ended.
    resp = await client.post(
        "/graphql",
        json={"query": ME},
        headers={"authorization": f"Bearer {old_session['accessToken']}"},
    )
    assert resp.status_code == 401
    assert resp.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    refreshed = await gql(
        client,
        "mutation($t: String!) { tokenRefresh(refreshToken: $t) { errors { code } } }",
        {"t": old_session["refreshToken"]},
    )
    assert refreshed["data"]["tokenRefresh"]["errors"] == [{"code": "INVALID_TOKEN"}]
    # Single use.
    again = await confirm(client, token, "another-new-password")
    assert (again["success"], error_codes(again)) == (False, [("INVALID_TOKEN", ["token"])])
    await login(client, "boss.acme", "bobs-new-password")
    # Colleagues are untouched.
    await login(client, "acme")


async def test_staff_reset_by_email(client, demo, app, smtp) -> None:  # type: ignore[no-untyped-def]
    await request_reset(client, "MAKER@shop.example")
    token = await reset_token(app, smtp, "maker@shop.example")
    assert (await confirm(client, token, "makers-new-password"))["success"] is True
    await login(client, "maker@shop.example", "makers-new-password")


async def test_expired_short_and_garbage_tokens(client, demo, app, smtp, engine) -> None:  # type: ignore[no-untyped-def]
    await request_reset(client, "boss.acme")
    token = await reset_token(app, smtp, "bob@acme.example")

    short = await confirm(client, token, "short")
    assert error_codes(short) == [("PASSWORD_TOO_SHORT", ["newPassword"])]
    assert (await confirm(client, "made-up-token", "long-enough-pass"))["errors"][0]["code"] == (
        "INVALID_TOKEN"
    )
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE password_reset_token SET expires_at = now() - interval '1 minute'")
        )
    expired = await confirm(client, token, "long-enough-pass")
    assert error_codes(expired) == [("INVALID_TOKEN", ["token"])]
    assert await try_login(client, "boss.acme", "long-enough-pass") == [
        {"code": "INVALID_CREDENTIALS"}
    ]
    await login(client, "boss.acme", DEMO_PASSWORD)


async def test_a_too_short_password_does_not_spend_the_token(client, demo, app, smtp) -> None:  # type: ignore[no-untyped-def]
    await request_reset(client, "boss.acme")
    token = await reset_token(app, smtp, "bob@acme.example")
    assert (await confirm(client, token, "short"))["success"] is False
    assert (await confirm(client, token, "long-enough-pass"))["success"] is True


async def test_inactive_user_gets_no_reset_mail(client, demo, app, smtp, engine) -> None:  # type: ignore[no-untyped-def]
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE portal_user SET is_active = false WHERE login = 'boss.acme'")
        )
    assert (await request_reset(client, "boss.acme"))["accepted"] is True
    assert await outbox_count(engine) == 0


async def test_reset_lifts_the_login_throttle(client, demo, app, smtp) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        await try_login(client, "boss.acme", "wrong-password")
    assert await try_login(client, "boss.acme", DEMO_PASSWORD) == [{"code": "TOO_MANY_ATTEMPTS"}]
    # The throttle message says "wait a few minutes or reset your password": resetting works.
    await request_reset(client, "boss.acme")
    token = await reset_token(app, smtp, "bob@acme.example")
    assert (await confirm(client, token, "bobs-new-password"))["success"] is True
    await login(client, "boss.acme", "bobs-new-password")


async def test_a_successful_reset_ends_every_other_reset_link(client, demo, app, smtp) -> None:  # type: ignore[no-untyped-def]
    await request_reset(client, "boss.acme")
    first = await reset_token(app, smtp, "bob@acme.example")
    await request_reset(client, "boss.acme")
    second = await reset_token(app, smtp, "bob@acme.example")
    assert (await confirm(client, second, "bobs-new-password"))["success"] is True
    # The older link, never used, must not set the password again.
    stale = await confirm(client, first, "someone-elses-pass")
    assert (stale["success"], error_codes(stale)) == (False, [("INVALID_TOKEN", ["token"])])
    await login(client, "boss.acme", "bobs-new-password")


async def test_a_password_change_ends_outstanding_reset_links(client, as_user, app, smtp) -> None:  # type: ignore[no-untyped-def]
    await request_reset(client, "boss.acme")
    token = await reset_token(app, smtp, "bob@acme.example")
    acme = await as_user("acme")
    users = (
        await gql(
            client, "{ me { ... on PortalUser { company { users { id login } } } } }", token=acme
        )
    )["data"]["me"]["company"]["users"]
    boss = next(u["id"] for u in users if u["login"] == "boss.acme")
    changed = await gql(
        client,
        "mutation ($i: PortalUserUpdateInput!) { portalUserUpdate(input: $i) { errors { code } } }",
        {"i": {"id": boss, "password": "set-by-the-manager"}},
        token=acme,
    )
    assert changed["data"]["portalUserUpdate"]["errors"] == []
    stale = await confirm(client, token, "someone-elses-pass")
    assert (stale["success"], error_codes(stale)) == (False, [("INVALID_TOKEN", ["token"])])
    await login(client, "boss.acme", "set-by-the-manager")
