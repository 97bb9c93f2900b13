"""Development mail: messages go to files in the data folder instead of an SMTP server.

``make run`` has no mail server. In development, when no ``SMTP_HOST`` is set, every message is
written as ``<data dir>/mail/outbox-<id>.eml`` (RFC 5322, readable by any mail program) and
listed at ``/dev/mail`` (server/dev_mail.py). Writing is idempotent: a message sent twice
overwrites its own file.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from adapters.mail import SmtpConfig, SmtpSender
from domain.mail.models import OutgoingMail

_NAME = re.compile(r"^outbox-\d+\.eml$")


class FileMailSender:
    """A MailSender that writes each message to ``folder``."""

    def __init__(self, folder: Path, mail_from: str) -> None:
        self.folder = folder
        # Only its message builder is used: the same headers as real mail.
        self._builder = SmtpSender(SmtpConfig(host="localhost", port=0, mail_from=mail_from))

    async def send(self, mail: OutgoingMail) -> None:
        data = bytes(self._builder.build_message(mail))
        await asyncio.to_thread(self._write, f"outbox-{mail.id}.eml", data)

    def _write(self, name: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.folder / name)


@dataclasses.dataclass(frozen=True, slots=True)
class CaughtMail:
    name: str
    to: str
    subject: str
    date: dt.datetime | None
    message: EmailMessage

    @property
    def body(self) -> str:
        # The plain-text part (a notification may carry an HTML alternative too).
        part = self.message.get_body(preferencelist=("plain",))
        return str((part or self.message).get_content())


def read_caught(folder: Path, name: str) -> CaughtMail | None:
    """One caught message by file name (names other than ``outbox-<n>.eml`` are refused)."""
    path = folder / name
    if not _NAME.match(name) or not path.is_file():
        return None
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    try:
        date = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    except (TypeError, ValueError):
        date = None
    return CaughtMail(name, str(msg["To"] or ""), str(msg["Subject"] or ""), date, msg)


def list_caught(folder: Path, limit: int = 200) -> list[CaughtMail]:
    """The newest caught messages first."""
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if _NAME.match(p.name)]
    names.sort(key=lambda n: int(n[len("outbox-") : -len(".eml")]), reverse=True)
    return [m for m in (read_caught(folder, n) for n in names[:limit]) if m is not None]
