"""The example storefront end to end, in Debian's Chromium: a real API server on a free
loopback port with the demo data serves the built storefront (same origin, /storefront/), and
storefront-example/e2e/storefront.e2e.mjs (node:test + playwright-core) drives the browser
through the whole flow while it acts as staff over the API: a price rule change must reach the
open configurator, production tasks the open order page, without a reload. It also covers what
a buyer tripped over (issue 17): the cart badge after checkout and after changes elsewhere, a
freely editable quantity, a refused DXF after a good one, toasts, a percent-encoded order link,
the trade brand in German with German numbers, and a 390 x 844 phone (sticky price, full nav).
Set-up and prerequisites: tests/e2e/support.py."""

from __future__ import annotations

import pytest

from tests.e2e.support import SECRET, assert_passed, require_browser, run_script
from tests.live_server import live_server

pytestmark = pytest.mark.e2e


async def test_storefront_flow_in_chromium(database_url, demo_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    require_browser()
    with live_server(database_url, tmp_path, secret=SECRET) as base:
        result = await run_script("storefront.e2e.mjs", base)
    assert_passed(result)
