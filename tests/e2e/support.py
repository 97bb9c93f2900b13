"""What the storefront's browser tests share: the prerequisites (Node, the build, Chromium),
the demo data, and running one of storefront-example/e2e/*.e2e.mjs against a live server.

Without Node, the built storefront or Chromium a test skips and says what is missing; with
PRESSROOM_E2E_REQUIRED=1 (CI) it fails instead. Screenshots land in tests/e2e/screenshots/."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live_server import ROOT

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


def require_browser() -> None:
    """Skip (or, with PRESSROOM_E2E_REQUIRED=1, fail) when the browser test cannot run."""
    missing = missing_prerequisite()
    if missing:
        if os.environ.get("PRESSROOM_E2E_REQUIRED") == "1":
            pytest.fail(f"storefront e2e cannot run: {missing}")
        pytest.skip(f"storefront e2e skipped: {missing}")
    SCREENSHOTS.mkdir(exist_ok=True)


async def run_script(
    script: str, base: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs e2e/<script> (node:test + playwright-core) against the server at `base`."""
    return await asyncio.to_thread(
        subprocess.run,
        ["node", "--test", "--test-reporter=spec", f"e2e/{script}"],
        cwd=STOREFRONT,
        env={
            **os.environ,
            "BASE_URL": base,
            "SCREENSHOT_DIR": str(SCREENSHOTS),
            "CHROMIUM_PATH": CHROMIUM,
            **(extra_env or {}),
        },
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )


def assert_passed(result: subprocess.CompletedProcess[str], more: str = "") -> None:
    report = f"{result.stdout}\n{result.stderr}\nscreenshots: {SCREENSHOTS}{more}"
    assert result.returncode == 0, report
