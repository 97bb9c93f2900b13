"""SMS senders (the port: domain/notifications/sms.py).

- `HttpSmsSender`: a Twilio-compatible REST API (``POST <base>/2010-04-01/Accounts/<account>/
  Messages.json``, form fields ``To``, ``From``, ``Body``, HTTP basic auth with the account and
  token). Any answer but 2xx is a failure the job retries.
- `CatcherSmsSender`: development without a provider: each message is written to the mail
  catcher's folder as a mail to ``<number>@sms.invalid`` (listed at /dev/mail), so SMS are
  seen where mail is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import httpx

from adapters.mail_catcher import FileMailSender
from domain.mail.models import OutgoingMail
from domain.notifications.sms import SmsMessage


class SmsRefused(Exception):
    """The provider answered, but not with success."""


class HttpSmsSender:
    def __init__(
        self,
        base_url: str,
        account: str,
        token: str,
        sender: str,
        *,
        timeout_s: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
        self._auth = (account, token)
        self._sender = sender
        self._timeout_s = timeout_s
        self._transport = transport

    async def send(self, message: SmsMessage) -> None:
        async with httpx.AsyncClient(timeout=self._timeout_s, transport=self._transport) as http:
            response = await http.post(
                self._url,
                data={"To": message.to, "From": self._sender, "Body": message.text},
                auth=self._auth,
                # Providers that support it drop a repeated request with the same key.
                headers={"Idempotency-Key": message.reference},
            )
        if not response.is_success:
            raise SmsRefused(f"HTTP {response.status_code}: {response.text[:300]}")


class CatcherSmsSender:
    def __init__(self, folder: Path, mail_from: str) -> None:
        self._files = FileMailSender(folder, mail_from)

    async def send(self, message: SmsMessage) -> None:
        # A stable, distinct file per message: outbox ids of real mail are small integers.
        digest = hashlib.sha256(message.reference.encode()).hexdigest()[:12]
        pseudo_id = 10**15 + int(digest, 16) % 10**15
        mail = OutgoingMail(
            id=pseudo_id,
            to_address=f"{message.to.lstrip('+')}@sms.invalid",
            subject=f"SMS to {message.to}",
            body_text=message.text,
            body_html=None,
            created_at=dt.datetime.now(dt.UTC),
        )
        await self._files.send(mail)
