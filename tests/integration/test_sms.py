"""The SMS adapters against real receivers: the Twilio-compatible HTTP sender and a local
server, and the development sender writing into the mail catcher's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.mail_catcher import list_caught
from adapters.sms import CatcherSmsSender, HttpSmsSender, SmsRefused
from domain.notifications.sms import SmsMessage
from tests.api.notification_support import SmsProvider, basic_auth

MESSAGE = SmsMessage("+31612345678", "Order i-1001 is ready.", "notification:7:order_completed")


async def test_http_sender_posts_the_message_with_basic_auth() -> None:
    with SmsProvider() as provider:
        await HttpSmsSender(provider.url, "AC1", "tok", "Shop").send(MESSAGE)
    [request] = provider.requests
    assert request.path == "/2010-04-01/Accounts/AC1/Messages.json"
    assert request.authorization == basic_auth("AC1", "tok")
    assert request.form == {"To": "+31612345678", "From": "Shop", "Body": MESSAGE.text}
    assert request.idempotency_key == MESSAGE.reference


async def test_http_sender_raises_when_the_provider_refuses() -> None:
    with SmsProvider(status=400) as provider:
        with pytest.raises(SmsRefused, match="HTTP 400"):
            await HttpSmsSender(provider.url, "AC1", "tok", "Shop").send(MESSAGE)


async def test_development_sender_writes_to_the_mail_catcher(tmp_path: Path) -> None:
    sender = CatcherSmsSender(tmp_path, "Shop <shop@print.example>")
    await sender.send(MESSAGE)
    await sender.send(MESSAGE)  # the same message again overwrites its own file
    [caught] = list_caught(tmp_path)
    assert (caught.to, caught.subject) == ("31612345678@sms.invalid", "SMS to +31612345678")
    assert caught.body.strip() == MESSAGE.text
