"""The storefront's "My quotes" page in Debian's Chromium: storefront-example/e2e/quotes.e2e.mjs
against a real API server with the demo data (staff send quotes over the API; the buyer sees
them, opens the PDF link, accepts one and declines the other). Skips like the storefront flow
when Node, the build or Chromium is missing; fails instead with PRESSROOM_E2E_REQUIRED=1."""

from __future__ import annotations

import pytest

from tests.e2e.support import SECRET, assert_passed, require_browser, run_script
from tests.live_server import live_server

pytestmark = pytest.mark.e2e


async def test_my_quotes_in_chromium(database_url, demo_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    require_browser()
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        result = await run_script("quotes.e2e.mjs", base)
    assert_passed(result)
