// "My quotes" in Debian's Chromium (playwright-core) against a real Pressroom server with the
// demo data: staff send two quotes to ACME through the API; boss.acme sees them, opens the
// PDF link, accepts one (an order appears) and declines the other with a reason.
//
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node --test e2e/quotes.e2e.mjs
//
// tests/e2e/test_storefront_quotes.py runs it inside `make test` on a server of its own.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { BASE, PASSWORD, SHOTS, api, launchChromium, tokenFor } from "./support.mjs";

const TIMEOUT = 15_000;

async function sendQuote(admin, company, title, net, channel = null) {
  const created = await api(
    `mutation($c: ID!, $t: String!, $n: Int!, $ch: String) { quoteCreate(input: {companyId: $c,
       title: $t, channel: $ch, lines: [{title: $t, quantity: 1, net: $n}]}) {
       quote { id number } errors { message } } }`,
    { c: company, t: title, n: net, ch: channel },
    admin,
  );
  assert.deepEqual(created.quoteCreate.errors, []);
  const sent = await api(
    `mutation($id: ID!) { quoteSend(input: {id: $id}) { quote { number gross { amount } } errors { message } } }`,
    { id: created.quoteCreate.quote.id },
    admin,
  );
  assert.deepEqual(sent.quoteSend.errors, []);
  return sent.quoteSend.quote;
}

let browser;

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test("my quotes: see, open the PDF, accept and decline", async () => {
  const admin = await tokenFor("admin@shop.example");
  const companies = await api(`{ companies(search: "acme") { nodes { id code } } }`, {}, admin);
  const acme = companies.companies.nodes.find((c) => c.code === "acme").id;
  const banner = await sendQuote(admin, acme, "Trade fair banner", 24900);
  const flyer = await sendQuote(admin, acme, "Flyer design", 9900);
  // boss.acme has a leaflet in the cart: asked for a quote instead of ordered.
  const boss = await tokenFor("boss.acme");
  const products = await api(`{ products(channel: "main", first: 1) { nodes { id } } }`, {}, boss);
  const config = await api(
    `mutation($p: ID!) { configurationCreate(input: {productId: $p, quantity: 750}) { configuration { id } } }`,
    { p: products.products.nodes[0].id },
    boss,
  );
  const added = await api(
    `mutation($c: ID!) { cartLineAdd(input: {configurationId: $c, quantity: 750}) { errors { message } } }`,
    { c: config.configurationCreate.configuration.id },
    boss,
  );
  assert.deepEqual(added.cartLineAdd.errors, []);

  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    await page.goto(`${BASE}/storefront/`);
    await page.locator("header").getByRole("link", { name: "Log in" }).click();
    await page.locator("input[name=login]").fill("boss.acme");
    await page.locator("input[name=password]").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByTestId("user-name").waitFor();
    await page.locator("header").getByRole("link", { name: /Cart/ }).click();
    await page.getByTestId("request-quote").click();
    await page.getByRole("heading", { name: "My quotes" }).waitFor();
    const requested = page.locator("[data-testid=quote]").filter({ hasText: "Requested" });
    await requested.getByText(/750 × /).waitFor();
    const cartAfter = await api(`{ cart { id } }`, {}, boss);
    assert.deepEqual(cartAfter.cart, []);
    await page.locator("header").getByRole("link", { name: "Quotes" }).click();

    const bannerCard = page.locator(`[data-testid=quote][data-number="${banner.number}"]`);
    await bannerCard.waitFor();
    assert.match(await bannerCard.getByTestId("quote-gross").innerText(), /296\.31/); // 249.00 + 19 % VAT
    assert.match(await bannerCard.getByTestId("quote-status").innerText(), /Open/);
    const href = await bannerCard.getByTestId("quote-pdf").getAttribute("href");
    // The link's origin is the server's configured public URL (PRESSROOM_PUBLIC_URL), which
    // this throwaway server on a random port does not know: fetch its path from BASE.
    const link = new URL(href);
    assert.match(link.pathname, /^\/files\/quotes\/\d+\/1\.pdf$/);
    const pdf = await fetch(`${BASE}${link.pathname}${link.search}`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get("content-type"), "application/pdf");
    await page.screenshot({ path: join(SHOTS, "my-quotes.png") });

    await bannerCard.getByRole("button", { name: "Accept quote" }).click();
    await bannerCard.getByText(/Order i-\d+/).waitFor();
    assert.match(await bannerCard.getByTestId("quote-status").innerText(), /Accepted/);

    const flyerCard = page.locator(`[data-testid=quote][data-number="${flyer.number}"]`);
    await flyerCard.getByRole("button", { name: "Decline…" }).click();
    await flyerCard.locator("input[name=declineReason]").fill("We design in house");
    await flyerCard.getByRole("button", { name: "Decline quote" }).click();
    await flyerCard.getByText("Declined: We design in house").waitFor();
    await page.screenshot({ path: join(SHOTS, "my-quotes-answered.png") });
  } catch (error) {
    await page.screenshot({ path: join(SHOTS, "failed-my-quotes.png") }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
});

test("my quotes in German on the trade brand: the same page, the brand's language", async () => {
  const admin = await tokenFor("admin@shop.example");
  const companies = await api(`{ companies(search: "globex") { nodes { id code } } }`, {}, admin);
  const globex = companies.companies.nodes.find((c) => c.code === "globex").id;
  const sign = await sendQuote(admin, globex, "Messeschild", 18000, "trade");

  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    await page.goto(`${BASE}/storefront/?brand=trade`);
    await page.locator("header").getByRole("link", { name: "Anmelden" }).click();
    await page.locator("input[name=login]").fill("globex");
    await page.locator("input[name=password]").fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    await page.getByTestId("user-name").waitFor();
    await page.locator("header").getByRole("link", { name: "Angebote" }).click();

    await page.getByRole("heading", { name: "Meine Angebote" }).waitFor();
    const card = page.locator(`[data-testid=quote][data-number="${sign.number}"]`);
    await card.waitFor();
    assert.match(await card.getByTestId("quote-status").innerText(), /Offen/);
    assert.match(await card.innerText(), /Version 1/);
    assert.match(await card.innerText(), /Gültig bis/);
    await card.getByRole("button", { name: "Ablehnen …" }).waitFor();
    await page.screenshot({ path: join(SHOTS, "my-quotes-de.png") });
    await card.getByRole("button", { name: "Angebot annehmen" }).click();
    await card.getByText(/Bestellung i-\d+/).waitFor();
    assert.match(await card.getByTestId("quote-status").innerText(), /Angenommen/);
  } catch (error) {
    await page.screenshot({ path: join(SHOTS, "failed-my-quotes-de.png") }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
});
