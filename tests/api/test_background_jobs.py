"""Background jobs over GraphQL: staff see a mail job fail with its last error and retry it once
the mail server is back; nobody else sees or retries anything."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from server.settings import Settings
from tests.factories import gql
from tests.integration.test_mail import SmtpServer, free_port

JOBS = """
query($state: BackgroundJobState, $task: String) {
  backgroundJobs(state: $state, task: $task, first: 10) {
    totalCount
    nodes { id task state attempts lastError scheduledAt createdAt }
  }
}"""
RETRY = """
mutation($id: ID!) {
  backgroundJobRetry(input: {id: $id}) {
    backgroundJob { id state attempts }
    errors { code field message }
  }
}"""
RESET = 'mutation { passwordResetRequest(input: {login: "boss.acme"}) { accepted } }'

SMTP_PORT = free_port()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Mail to a port where nothing listens yet; two attempts, no backoff."""
    settings.smtp_host = "127.0.0.1"
    settings.smtp_port = SMTP_PORT
    settings.mail_max_attempts = 2
    settings.mail_backoff_s = 0
    return settings


@pytest.fixture
def smtp_later() -> Iterator[SmtpServer]:
    server = SmtpServer(SMTP_PORT)
    yield server
    with contextlib.suppress(Exception):  # stopped, if the test started it
        server.__exit__()


async def jobs(client: Any, token: str | None, **variables: Any) -> dict[str, Any]:
    body = await gql(client, JOBS, variables, token=token)
    return body["data"]["backgroundJobs"]  # type: ignore[no-any-return]


async def retry(client: Any, token: str, job_id: str) -> dict[str, Any]:
    body = await gql(client, RETRY, {"id": job_id}, token=token)
    return body["data"]["backgroundJobRetry"]  # type: ignore[no-any-return]


async def test_staff_see_a_failed_mail_job_and_retry_it(client, as_user, app, smtp_later) -> None:  # type: ignore[no-untyped-def]
    admin = await as_user("admin@shop.example")
    await gql(client, RESET)
    [pending] = (await jobs(client, admin, task="mail.send"))["nodes"]
    assert (pending["task"], pending["state"], pending["attempts"]) == ("mail.send", "PENDING", 0)
    assert pending["lastError"] is None and pending["createdAt"]

    await app.state.jobs.run_until_idle()

    failed = await jobs(client, admin, state="FAILED", task="mail.send")
    assert failed["totalCount"] == 1
    [job] = failed["nodes"]
    assert (job["id"], job["state"], job["attempts"]) == (pending["id"], "FAILED", 2)
    assert "SMTPConnect" in job["lastError"]
    assert (await jobs(client, admin, state="PENDING"))["totalCount"] == 0
    node = await gql(
        client, "query($id: ID!) { node(id: $id) { id } }", {"id": job["id"]}, token=admin
    )
    assert node["data"]["node"] == {"id": job["id"]}

    smtp_later.__enter__()
    payload = await retry(client, admin, job["id"])
    assert payload["errors"] == []
    assert payload["backgroundJob"] == {"id": job["id"], "state": "PENDING", "attempts": 2}
    await app.state.jobs.run_until_idle()

    [mail] = smtp_later.inbox.messages
    assert mail["Subject"] == "Reset your password"
    [done] = (await jobs(client, admin, task="mail.send"))["nodes"]
    assert (done["state"], done["attempts"]) == ("SUCCEEDED", 3)
    # Only a failed job can be retried.
    again = await retry(client, admin, job["id"])
    assert again["backgroundJob"] is None
    assert [(e["code"], e["field"]) for e in again["errors"]] == [("NOT_FAILED", ["id"])]


async def test_only_staff_see_jobs_and_only_admins_retry(client, as_user) -> None:  # type: ignore[no-untyped-def]
    await gql(client, RESET)
    admin = await as_user("admin@shop.example")
    [job] = (await jobs(client, admin))["nodes"]

    for token, code in ((await as_user("acme"), "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        listed = await gql(client, JOBS, token=token, expect_errors=True)
        assert [e["extensions"]["code"] for e in listed["errors"]] == [code]
        retried = await gql(client, RETRY, {"id": job["id"]}, token=token, expect_errors=True)
        assert [e["extensions"]["code"] for e in retried["errors"]] == [code]
        node = await gql(
            client, "query($id: ID!) { node(id: $id) { id } }", {"id": job["id"]}, token=token
        )
        assert node["data"]["node"] is None

    maker = await as_user("maker@shop.example")
    assert (await jobs(client, maker))["totalCount"] == 1
    denied = await retry(client, maker, job["id"])
    assert [e["code"] for e in denied["errors"]] == ["PERMISSION_DENIED"]

    for missing in ("QmFja2dyb3VuZEpvYjo5OTk5OTk=", "T3JkZXI6MQ=="):  # job 999999, an Order
        payload = await retry(client, admin, missing)
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", ["id"])]
