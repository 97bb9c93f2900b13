// Money in Debian's Chromium (playwright-core) against a real Pressroom server with the demo
// data and localstripe, a Stripe emulator, in place of Stripe:
//   checkout shows the server's cart totals and the payment methods offered; boss.acme pays
//   by card on the payment page (Stripe.js confirms the PaymentIntent); localstripe's signed
//   webhook releases the order live; staff produce, ship and deliver it, which issues its
//   invoice; the invoices page lists it with the account figures, and its PDF downloads.
//   The trade brand shows the same page in German.
//
//   BASE_URL=… LOCALSTRIPE_URL=… SCREENSHOT_DIR=/tmp/shots node --test e2e/money.e2e.mjs
//
// tests/e2e/test_storefront_money.py starts localstripe and a server of its own for it.
//
// Stripe.js here: the storefront loads https://js.stripe.com/v3/ as a real shop must. This
// test answers that address with localstripe's stand-in for Stripe.js (served by localstripe
// itself at /js.stripe.com/v3/) and forwards the stand-in's calls to localstripe. The
// stand-in's card field is not connected to its `confirmCardPayment`, which only performs the
// 3-D Secure step of an intent that already has a card; so the test, in Stripe's place, puts
// the 3-D Secure test card 4000 0027 6000 3184 on the intent with the secret key before the
// buyer presses "Pay", and the buyer then completes the authentication in the stand-in's
// dialog. Everything after that (charge, signed webhook, release) is localstripe and the API.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { BASE, PASSWORD, SHOTS, STOREFRONT, api, launchChromium, tokenFor, waitForText as waitForTextWithin } from "./support.mjs";

const STRIPE = (process.env.LOCALSTRIPE_URL ?? "http://127.0.0.1:8420").replace(/\/$/, "");
const STRIPE_SECRET_KEY = process.env.STRIPE_SECRET_KEY ?? "sk_test_pressroom";
const TIMEOUT = 20_000;
const THREE_D_SECURE_CARD = "4000002760003184";
const waitForText = (locator, predicate, what) => waitForTextWithin(locator, predicate, what, TIMEOUT);

/** localstripe's API with the secret key, as Stripe's own servers would act. */
async function stripe(path, params = {}) {
  const response = await fetch(`${STRIPE}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${STRIPE_SECRET_KEY}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

/** Answers js.stripe.com with localstripe: its Stripe.js stand-in, and the calls it makes.
 *  The stand-in finds its server from its own address (`document.currentScript.src`); served
 *  as js.stripe.com it is told that address, so its calls come back here too, and the page
 *  never reaches for a loopback port of its own (Chromium's local network rules). */
async function serveStripeJsFromLocalstripe(context) {
  await context.route("https://js.stripe.com/**", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const cors = {
      "access-control-allow-origin": request.headers()["origin"] ?? BASE,
      "access-control-allow-headers": "content-type",
      "access-control-allow-methods": "GET, POST, OPTIONS",
    };
    if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    const script = url.pathname === "/v3/";
    const answer = await fetch(script ? `${STRIPE}/js.stripe.com/v3/` : `${STRIPE}${url.pathname}${url.search}`, {
      method: request.method(),
      headers: { "content-type": request.headers()["content-type"] ?? "text/plain" },
      body: request.method() === "GET" ? undefined : (request.postData() ?? undefined),
    });
    let body = await answer.text();
    if (script) {
      const pointed = body.replace("document.currentScript.src", JSON.stringify("https://js.stripe.com/js.stripe.com/v3/"));
      assert.notEqual(pointed, body, "localstripe's Stripe.js stand-in reads document.currentScript.src");
      body = pointed;
    }
    await route.fulfill({
      status: answer.status,
      headers: { ...cors, "content-type": answer.headers.get("content-type") ?? "application/json" },
      body,
    });
  });
}

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

const euros = (minor) => (minor / 100).toFixed(2);

test("money: card payment at checkout, invoices with PDF, the account", async () => {
  const admin = await tokenFor("admin@shop.example");
  const maker = await tokenFor("maker@shop.example");
  const offered = await api(
    `mutation { paymentMethodOfferSet(method: CARD, offered: true) { errors { code message } } }`,
    {},
    admin,
  );
  assert.deepEqual(offered.paymentMethodOfferSet.errors, []);

  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB", acceptDownloads: true });
  await serveStripeJsFromLocalstripe(context);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
  try {
    await page.goto(STOREFRONT);
    await page.locator("header").getByRole("link", { name: "Log in" }).click();
    await page.locator("input[name=login]").fill("boss.acme");
    await page.locator("input[name=password]").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByTestId("user-name").waitFor();
    const boss = await tokenFor("boss.acme");

    // --- checkout: the server's totals, the methods offered, card chosen -----------------
    await page.getByTestId("product-business-cards").click();
    await page.getByTestId("add-to-cart").click();
    await page.getByTestId("cart-count").filter({ hasText: "1" }).waitFor();
    await page.locator("header").getByRole("link", { name: /Cart/ }).click();
    const { cartTotals } = await api(
      `{ cartTotals { gross { amount } vatBreakdown { ratePercent vat { amount } } } }`,
      {},
      boss,
    );
    await waitForText(page.getByTestId("cart-total"), (t) => t.includes(euros(cartTotals.gross.amount)), "the server's gross");
    assert.equal(await page.getByTestId("cart-vat-share").count(), cartTotals.vatBreakdown.length);
    const methods = page.getByTestId("payment-method");
    await page.locator("[data-testid=payment-method][data-method=ON_ACCOUNT]").waitFor();
    assert.deepEqual(
      (await methods.evaluateAll((els) => els.map((e) => e.dataset.method))).sort(),
      ["CARD", "ON_ACCOUNT"],
    );
    await page.locator("[data-testid=payment-method][data-method=ON_ACCOUNT] input").check();
    assert.equal(await page.getByTestId("place-order").innerText(), "Place binding order");
    await page.locator("[data-testid=payment-method][data-method=CARD] input").check();
    assert.equal(await page.getByTestId("place-order").innerText(), "Place order and pay");
    await page.screenshot({ path: join(SHOTS, "money-01-checkout-card.png"), fullPage: true });
    await page.getByTestId("place-order").click();

    // --- the payment page: Stripe.js's card field, 3-D Secure, the webhook releases ------
    const pay = page.getByTestId("pay");
    await pay.waitFor();
    await page.getByTestId("pay-amount").filter({ hasText: euros(cartTotals.gross.amount) }).waitFor();
    const intent = await pay.getAttribute("data-payment-intent");
    assert.match(intent, /^pi_/);
    // The card field is localstripe's stand-in for Stripe's (see the note at the top).
    await page.locator("[data-testid=card-field] input[placeholder=number]").fill(THREE_D_SECURE_CARD);
    await page.locator("[data-testid=card-field] input[placeholder=exp_month]").fill("12");
    await page.locator("[data-testid=card-field] input[placeholder=exp_year]").fill("34");
    await page.locator("[data-testid=card-field] input[placeholder=cvc]").fill("123");
    const card = await stripe("/v1/payment_methods", {
      type: "card",
      "card[number]": THREE_D_SECURE_CARD,
      "card[exp_month]": "12",
      "card[exp_year]": "2034",
      "card[cvc]": "123",
    });
    await stripe(`/v1/payment_intents/${intent}`, { payment_method: card.id });
    const confirmed = await stripe(`/v1/payment_intents/${intent}/confirm`);
    assert.equal(confirmed.status, "requires_action");
    const status = () => page.getByTestId("order-detail").getAttribute("data-status");
    await page.screenshot({ path: join(SHOTS, "money-02-pay.png") });
    await page.getByTestId("pay-button").click();
    await page.getByRole("button", { name: "Complete authentication" }).click();
    // Confirmed: the order page, waiting for Stripe's word, then released by the webhook.
    await page.getByTestId("order-detail").waitFor();
    assert.ok(["AWAITING_PAYMENT", "RELEASED"].includes(await status()), await status());
    await page.locator("[data-testid=order-detail][data-status=RELEASED]").waitFor();
    assert.equal(await page.getByTestId("payment-method").innerText(), "Card");
    const orderNumber = (await page.getByTestId("order-number").innerText()).trim();
    const orderId = decodeURIComponent(new URL(page.url()).hash.split("/").pop());
    await page.screenshot({ path: join(SHOTS, "money-03-paid-released.png"), fullPage: true });

    // --- staff produce, ship and deliver: the invoice is issued on delivery --------------
    const { node } = await api(
      `query($id: ID!) { node(id: $id) { ... on Order { gross { amount } jobs { tasks { id } } } } }`,
      { id: orderId },
      maker,
    );
    for (const task of node.jobs.flatMap((j) => j.tasks)) {
      assert.deepEqual((await api(`mutation($id: ID!) { taskStart(id: $id) { errors { message } } }`, { id: task.id }, maker)).taskStart.errors, []);
      assert.deepEqual((await api(`mutation($id: ID!) { taskComplete(id: $id) { errors { message } } }`, { id: task.id }, maker)).taskComplete.errors, []);
    }
    const shipped = await api(
      `mutation($i: ShipmentCreateInput!) { shipmentCreate(input: $i) { shipment { id } errors { message } } }`,
      { i: { orderId } },
      admin,
    );
    assert.deepEqual(shipped.shipmentCreate.errors, []);
    const delivered = await api(
      `mutation($id: ID!) { shipmentStatusUpdate(id: $id, status: DELIVERED) { errors { message } } }`,
      { id: shipped.shipmentCreate.shipment.id },
      admin,
    );
    assert.deepEqual(delivered.shipmentStatusUpdate.errors, []);
    await page.locator("[data-testid=order-detail][data-status=DELIVERED]").waitFor();

    // --- the invoices page: the invoice, its PDF, the account ----------------------------
    await page.locator("header").getByRole("link", { name: "Invoices" }).click();
    const row = page.locator("[data-testid=invoice]").filter({ hasText: orderNumber });
    await row.waitFor();
    const invoiceNumber = await row.getAttribute("data-number");
    // Paid by card before it was issued: the invoice says so and nothing is open.
    await page.locator(`[data-testid=invoice][data-number="${invoiceNumber}"][data-status=PAID]`).waitFor();
    assert.match(await row.getByTestId("invoice-open").innerText(), /0\.00/);
    assert.match(await row.getByTestId("invoice-gross").innerText(), new RegExp(euros(node.gross.amount).replace(".", "\\.")));
    await page.getByTestId("account-paid").filter({ hasText: euros(node.gross.amount) }).waitFor();
    assert.match(await page.getByTestId("account-prepaid").innerText(), /Prepaid balance/);
    assert.match(await page.getByTestId("account-open-invoices").innerText(), /Open invoices\s+€0\.00/);
    assert.match(await page.getByTestId("account-overdue").innerText(), /Overdue \(0 invoices\)/);
    const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("document-pdf").click()]);
    assert.equal(download.suggestedFilename(), `${invoiceNumber}.pdf`);
    const pdf = readFileSync(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    assert.ok(pdf.length > 1000, `${pdf.length} bytes`);
    await page.screenshot({ path: join(SHOTS, "money-04-invoices.png"), fullPage: true });

    // A user without VIEW_FINANCES has no invoices page.
    const buyerContext = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB" });
    const buyer = await buyerContext.newPage();
    buyer.setDefaultTimeout(TIMEOUT);
    await buyer.goto(STOREFRONT);
    await buyer.locator("header").getByRole("link", { name: "Log in" }).click();
    await buyer.locator("input[name=login]").fill("buyer.acme");
    await buyer.locator("input[name=password]").fill(PASSWORD);
    await buyer.getByRole("button", { name: "Log in", exact: true }).click();
    await buyer.getByTestId("user-name").waitFor();
    await buyer.locator("header").getByRole("link", { name: "Orders" }).waitFor();
    assert.equal(await buyer.locator("header").getByRole("link", { name: "Invoices" }).count(), 0);
    await buyer.goto(`${STOREFRONT}#/invoices`);
    await buyer.getByText("Invoices and the account need the VIEW_FINANCES right.").waitFor();
    await buyerContext.close();
  } catch (error) {
    await page.screenshot({ path: join(SHOTS, "failed-money.png"), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
});

test("money: the trade brand's invoices page in German", async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "de-DE" });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    await page.goto(`${STOREFRONT}?brand=trade`);
    await page.locator("header").getByRole("link", { name: "Anmelden" }).click();
    await page.locator("input[name=login]").fill("globex");
    await page.locator("input[name=password]").fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    await page.getByTestId("user-name").waitFor();
    await page.locator("header").getByRole("link", { name: "Rechnungen" }).click();
    await page.getByTestId("account-prepaid").filter({ hasText: "Guthaben" }).waitFor();
    assert.match(await page.getByTestId("account-paid").innerText(), /Bezahlt\s+0,00\s€/);
    await page.getByText("Noch keine Rechnungen.").waitFor();
    await page.screenshot({ path: join(SHOTS, "money-05-trade-de.png") });
  } catch (error) {
    await page.screenshot({ path: join(SHOTS, "failed-money-trade.png") }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
});
