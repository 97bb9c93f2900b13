"""argon2 runs off the event loop: while a login's hash is being computed, other requests are
answered (issue #11). Proved by ordering, not by timing: the hash is held until a cheap request
has been answered; were it on the event loop, that request could not be answered meanwhile."""

from __future__ import annotations

import asyncio
import threading

import httpx

from domain.accounts import passwords
from tests.factories import LOGIN


async def test_a_cheap_request_is_answered_while_a_login_hashes(
    client: httpx.AsyncClient, demo: None, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    cheap_answered = threading.Event()
    hashing = threading.Event()
    seen: dict[str, object] = {}
    real_verify = passwords.verify_password

    def held_verify(password_hash: str | None, password: str) -> bool:
        hashing.set()
        seen["thread"] = threading.current_thread().name
        # Held until the cheap request is answered (or 10 s, so a regression fails, not hangs).
        seen["overlapped"] = cheap_answered.wait(timeout=10)
        return real_verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", held_verify)
    login = asyncio.create_task(
        client.post(
            "/graphql",
            json={"query": LOGIN, "variables": {"login": "acme", "password": "demo-pass-123"}},
        )
    )
    while not hashing.is_set():
        assert not login.done(), "the login never reached the password hash"
        await asyncio.sleep(0.005)
    cheap = await client.post("/graphql", json={"query": "{ __typename }"})
    assert cheap.status_code == 200
    cheap_answered.set()
    resp = await login
    assert resp.json()["data"]["tokenCreate"]["accessToken"]
    assert seen["overlapped"] is True
    assert str(seen["thread"]).startswith("argon2")
