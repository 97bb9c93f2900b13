"""The storefront's money pages in Debian's Chromium: storefront-example/e2e/money.e2e.mjs
against a real API server with the demo data and localstripe (the Stripe emulator the payment
API tests use) in place of Stripe. The server talks to localstripe with the Stripe SDK, and
localstripe delivers its signed webhooks to the server's /webhooks/stripe: the buyer pays by
card at checkout, the webhook releases the order, delivery issues the invoice, and the
invoices page lists it with its PDF and the account. Skips like the storefront flow when Node,
the build or Chromium is missing; fails instead with PRESSROOM_E2E_REQUIRED=1."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.support import SECRET, assert_passed, require_browser, run_script
from tests.live_server import live_server
from tests.payments_support import SECRET_KEY, WEBHOOK_SECRET, localstripe

pytestmark = pytest.mark.e2e


async def test_money_pages_in_chromium(database_url, demo_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    require_browser()
    with localstripe() as stripe_base:
        stripe_env = {
            "PRESSROOM_STRIPE_SECRET_KEY": SECRET_KEY,
            "PRESSROOM_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "PRESSROOM_STRIPE_API_BASE": stripe_base,
        }
        log = tmp_path / "server.log"
        with live_server(
            database_url, tmp_path, secret=SECRET, extra_env=stripe_env, log_path=log
        ) as base:
            # localstripe signs its events with this secret and posts them to the server.
            registered = httpx.post(
                f"{stripe_base}/_config/webhooks/pressroom",
                data={"url": f"{base}/webhooks/stripe", "secret": WEBHOOK_SECRET},
                timeout=10,
            )
            assert registered.status_code == 200, registered.text
            result = await run_script(
                "money.e2e.mjs",
                base,
                {"LOCALSTRIPE_URL": stripe_base, "STRIPE_SECRET_KEY": SECRET_KEY},
            )
    assert_passed(result, f"\nserver log:\n{log.read_text(errors='replace')[-4000:]}")
