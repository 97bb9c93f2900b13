"""The example storefront end to end, in Debian's Chromium: a real API server on a free
loopback port with the demo data serves the built storefront (same origin, /storefront/), and
storefront-example/e2e/storefront.e2e.mjs (node:test + playwright-core) drives the browser
through the whole flow while it acts as staff over the API: a price rule change must reach the
open configurator, production tasks the open order page, without a reload. It also covers what
a buyer tripped over (issue 17): the cart badge after checkout and after changes elsewhere, a
freely editable quantity, a refused DXF after a good one, toasts, a percent-encoded order link,
the trade brand in German with German numbers, and a 390 x 844 phone (sticky price, full nav).

Screenshots land in tests/e2e/screenshots/. Without Node, the built storefront or Chromium the
test skips and says what is missing; with PRESSROOM_E2E_REQUIRED=1 (CI) it fails instead."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.live_server import ROOT, live_server

pytestmark = pytest.mark.e2e

STOREFRONT = ROOT / "storefront-example"
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SECRET = "e2e-test-secret-" + "z" * 40
TIMEOUT_S = 150


def missing_prerequisite() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (STOREFRONT / "node_modules" / "playwright-core").is_dir():
        return "storefront-example/node_modules is missing: run `make storefront`"
    if not (STOREFRONT / "dist" / "index.html").is_file():
        return "the storefront is not built: run `make storefront`"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"no Chromium at {CHROMIUM}: install Debian's package "
            "(`apt-get install chromium`) or set CHROMIUM_PATH"
        )
    return None


@pytest.fixture
async def demo_data(engine, clean_db) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    from adapters.db import SqlUnitOfWork, session_factory
    from server.demo import seed_demo

    uow = SqlUnitOfWork(session_factory(engine))
    try:
        await seed_demo(uow)
    finally:
        await uow.close()
    yield


async def test_storefront_flow_in_chromium(database_url, demo_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = missing_prerequisite()
    if missing:
        if os.environ.get("PRESSROOM_E2E_REQUIRED") == "1":
            pytest.fail(f"storefront e2e cannot run: {missing}")
        pytest.skip(f"storefront e2e skipped: {missing}")
    SCREENSHOTS.mkdir(exist_ok=True)
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        result = await asyncio.to_thread(
            subprocess.run,
            ["node", "--test", "--test-reporter=spec", "e2e/storefront.e2e.mjs"],
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
