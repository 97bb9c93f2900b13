"""Development mail: with no SMTP server configured, mail lands in the data folder as .eml files
and on the /dev/mail pages; neither exists in production or when SMTP is configured."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from server.settings import Settings
from tests.api.notification_support import propose
from tests.factories import gql

RESET = 'mutation { passwordResetRequest(input: {login: "boss.acme"}) { accepted } }'


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    for name, value in getattr(request, "param", {}).items():
        setattr(settings, name, value)
    return settings


async def test_mail_is_caught_in_files_and_shown_under_dev_mail(
    client: httpx.AsyncClient, app: Any, demo: None, settings: Settings, engine: AsyncEngine
) -> None:
    assert settings.smtp_host is None and settings.environment == "development"
    assert (await client.get("/dev/mail")).text.count("No mail yet") == 1
    await gql(client, RESET)
    await app.state.jobs.run_until_idle()

    [eml] = sorted((Path(settings.data_dir) / "mail").glob("*.eml"))
    assert eml.name == "outbox-1.eml"
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert (msg["To"], msg["Subject"]) == ("bob@acme.example", "Reset your password")
    token = re.search(r"^Reset token: (\S+)$", msg.get_content(), re.MULTILINE)
    assert token

    listing = await client.get("/dev/mail")
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("text/html")
    assert "bob@acme.example" in listing.text
    assert "<a href='/dev/mail/outbox-1.eml'>Reset your password</a>" in listing.text
    page = await client.get("/dev/mail/outbox-1.eml")
    assert page.status_code == 200
    assert f"Reset token: {token.group(1)}" in page.text
    for name in ("outbox-2.eml", "..%2Fsecrets.json", "secrets.json"):
        assert (await client.get(f"/dev/mail/{name}")).status_code == 404
    # The outbox row says it went out.
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT sent_at IS NOT NULL FROM mail_outbox")) is True


@pytest.mark.parametrize(
    "settings",
    [{"environment": "production"}, {"smtp_host": "127.0.0.1"}],
    indirect=True,
)
async def test_no_catcher_in_production_or_with_smtp(client: httpx.AsyncClient) -> None:
    assert (await client.get("/dev/mail")).status_code == 404
    assert (await client.get("/dev/mail/outbox-1.eml")).status_code == 404


async def test_sms_in_development_lands_in_the_mail_catcher(
    client: httpx.AsyncClient, app: Any, as_user: Any, settings: Settings
) -> None:
    """Without an SMS provider, development SMS are caught beside the mail (/dev/mail)."""
    assert settings.sms_api_url is None and settings.debug
    boss = await as_user("boss.acme")
    chosen = await gql(
        client,
        """mutation($i: NotificationPreferencesUpdateInput!) {
          notificationPreferencesUpdate(input: $i) { errors { code } } }""",
        {
            "i": {
                "events": [{"event": "ORDER_RECEIVED", "email": True, "sms": True}],
                "phone": "+49301234567",
            }
        },
        token=boss,
    )
    assert chosen["data"]["notificationPreferencesUpdate"]["errors"] == []
    order = await propose(client, boss)
    await app.state.jobs.run_until_idle()

    listing = (await client.get("/dev/mail")).text
    assert "SMS to +49301234567" in listing and "49301234567@sms.invalid" in listing
    assert f"Order {order['number']} received" in listing  # the mail, too
    caught = sorted((Path(settings.data_dir) / "mail").glob("*.eml"))
    sms = [
        m
        for m in (message_from_bytes(p.read_bytes(), policy=policy.default) for p in caught)
        if m["Subject"] == "SMS to +49301234567"
    ]
    assert [m.get_content().strip() for m in sms] == [f"Order {order['number']} received."]
