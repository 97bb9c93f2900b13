"""The storefront's "My quotes" page in Debian's Chromium: storefront-example/e2e/quotes.e2e.mjs
against a real API server with the demo data (staff send quotes over the API; the buyer sees
them, opens the PDF link, accepts one and declines the other). Skips like the storefront flow
when Node, the build or Chromium is missing; fails instead with PRESSROOM_E2E_REQUIRED=1."""

from __future__ import annotations

import asyncio
import os
import subprocess

import pytest

from tests.e2e.test_storefront import (
    CHROMIUM,
    SCREENSHOTS,
    SECRET,
    STOREFRONT,
    TIMEOUT_S,
    demo_data,
    missing_prerequisite,
)
from tests.live_server import live_server

pytestmark = pytest.mark.e2e
__all__ = ["demo_data"]


async def test_my_quotes_in_chromium(database_url, demo_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = missing_prerequisite()
    if missing:
        if os.environ.get("PRESSROOM_E2E_REQUIRED") == "1":
            pytest.fail(f"storefront e2e cannot run: {missing}")
        pytest.skip(f"storefront e2e skipped: {missing}")
    SCREENSHOTS.mkdir(exist_ok=True)
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        result = await asyncio.to_thread(
            subprocess.run,
            ["node", "--test", "--test-reporter=spec", "e2e/quotes.e2e.mjs"],
            cwd=STOREFRONT,
            env={
                **os.environ,
                "BASE_URL": base,
                "SCREENSHOT_DIR": str(SCREENSHOTS),
                "CHROMIUM_PATH": CHROMIUM,
            },
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    report = f"{result.stdout}\n{result.stderr}\nscreenshots: {SCREENSHOTS}"
    assert result.returncode == 0, report
