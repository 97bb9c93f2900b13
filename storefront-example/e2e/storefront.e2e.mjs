// The whole storefront flow in Debian's Chromium (playwright-core, no downloaded browser),
// against a real Pressroom server with the demo data. Staff act through the GraphQL API while
// the browser watches: a price rule change must reach the configurator, and production tasks
// the order page, without a reload.
//
//   BASE_URL=http://127.0.0.1:8000 SCREENSHOT_DIR=/tmp/shots node --test e2e/
//
// tests/e2e/test_storefront.py runs it inside `make test` on a server of its own.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";

import { PASSWORD, SHOTS, STOREFRONT, api, launchChromium, tokenFor, waitForText as waitForTextWithin } from "./support.mjs";

const TIMEOUT = 15_000;
const waitForText = (locator, predicate, what) => waitForTextWithin(locator, predicate, what, TIMEOUT);
const DXF = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "mounting-plate.dxf");
const PHONE = { width: 390, height: 844 };

/** The sample drawing with its outline left open (the polyline's "closed" flag cleared). */
function openContourDxf() {
  const text = readFileSync(DXF, "utf8");
  const open = text.replace(/(LWPOLYLINE[\s\S]*? 70\r?\n)1(\r?\n)/, "$10$2");
  assert.notEqual(open, text, "the fixture's outline is a closed LWPOLYLINE");
  const path = join(tmpdir(), `open-contour-${process.pid}.dxf`);
  writeFileSync(path, open);
  return path;
}

// --- the API, as staff or to look things up -------------------------------------------

// --- the browser ------------------------------------------------------------------------

let browser;
const pages = new Map();

async function openAs(name, { brand, phone = false } = {}) {
  const context = await browser.newContext(
    phone
      ? { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-GB" }
      : { viewport: { width: 1360, height: 900 }, locale: "en-GB" },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => console.log(`[${name}] page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && console.log(`[${name}] console: ${m.text()}`));
  pages.set(name, page);
  await page.goto(brand ? `${STOREFRONT}?brand=${brand}` : STOREFRONT);
  return page;
}

async function logIn(page, login, label = "Log in") {
  await page.locator("header").getByRole("link", { name: label }).click();
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill(PASSWORD);
  await page.getByRole("button", { name: label, exact: true }).click();
  await page.getByTestId("user-name").waitFor();
}

/** A screenshot without the toasts that happen to be up (they would cover the page). */
async function shot(page, name, fullPage = false, { scroll = true } = {}) {
  await page.evaluate((top) => {
    document.documentElement.classList.add("no-toasts");
    if (top) window.scrollTo(0, 0);
  }, scroll);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  await page.evaluate(() => document.documentElement.classList.remove("no-toasts"));
}

/** The configurator's live net amount in minor units, and why it was sent. */
async function livePrice(page) {
  // Both attributes in one read: between two reads the price may re-render.
  return page.getByTestId("live-net").evaluate((el) => ({ amount: Number(el.dataset.amount), reason: el.dataset.reason }));
}

async function waitForPrice(page, predicate, what) {
  const deadline = Date.now() + TIMEOUT;
  let last;
  while (Date.now() < deadline) {
    last = await livePrice(page).catch(() => null);
    if (last && predicate(last)) return last;
    await page.waitForTimeout(50);
  }
  assert.fail(`price never ${what}; last seen ${JSON.stringify(last)}`);
}

/** Marks the document: if the marker survives, the page was updated live, not reloaded. */
const mark = (page) => page.evaluate(() => (window.__notReloaded = true));
const stillMarked = async (page) => assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page reloaded");

/** The header's cart badge: the number it shows (0 when it shows none). */
async function cartBadge(page, count) {
  const link = page.locator(`header [data-testid=cart-link][data-count="${count}"]`);
  await link.waitFor();
  assert.equal(await page.locator("header [data-testid=cart-count]").count(), count === 0 ? 0 : 1);
  if (count) assert.equal((await page.locator("header [data-testid=cart-count]").innerText()).trim(), String(count));
}

/** As when the user comes back from another tab or window. */
const refocus = (page) => page.evaluate(() => window.dispatchEvent(new Event("focus")));

/** Whether the element is wholly inside the viewport. */
async function inViewport(locator) {
  const box = await locator.boundingBox();
  const { width, height } = locator.page().viewportSize();
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
}

// --- steps: each runs only if every earlier one passed ----------------------------------

let failed = false;
function step(t, name, options, fn) {
  if (typeof options === "function") [options, fn] = [{}, options];
  return t.test(name, { skip: (failed && "an earlier step failed") || options.skip }, async () => {
    try {
      await fn();
    } catch (error) {
      failed = true;
      for (const [who, page] of pages) await shot(page, `failed-${who}`).catch(() => undefined);
      throw error;
    }
  });
}

before(async () => {
  browser = await launchChromium(["--disable-quic", "--disable-component-update", "--disable-sync"]);
});

after(async () => {
  await browser?.close();
});

test("storefront: configure, propose, approve, produce, live", async (t) => {
  const admin = await tokenFor("admin@shop.example");
  const maker = await tokenFor("maker@shop.example");
  let buyer;
  let boss;
  let orderNumber;
  let orderId;
  // The main channel ships by parcel service (2 days) or is collected at the shop.
  for (const input of [
    { code: "parcel", name: "Parcel service", kind: "CARRIER", transitDays: 2, rates: [{ zone: "Germany", countries: ["DE"], net: 590 }] },
    { code: "pickup", name: "Pickup at the shop", kind: "PICKUP", position: 1, rates: [{ zone: "anywhere", net: 0 }] },
  ]) {
    const made = await api(
      `mutation($i: ShippingMethodInput!) { shippingMethodCreate(channel: "main", input: $i) { errors { message } } }`,
      { i: input },
      admin,
    );
    assert.deepEqual(made.shippingMethodCreate.errors, []);
  }

  await step(t, "a visitor browses and configures without logging in", async () => {
    buyer = await openAs("buyer");
    await buyer.getByTestId("product-leaflet").click();
    await waitForPrice(buyer, (p) => p.amount > 0, "arrived");
    await buyer.getByRole("link", { name: "Log in to order" }).waitFor();
    await buyer.locator("header").getByRole("link", { name: "Catalogue" }).click();
  });

  await step(t, "a buyer logs in and sees the brand's catalogue", async () => {
    await buyer.getByTestId("product-leaflet").waitFor();
    await buyer.locator("header").getByRole("link", { name: "Log in" }).click();
    // A demo chip fills in the login (and, in a development build, the password too; this
    // is a production build, which never puts the password into the form).
    await buyer.getByTestId("demo-login").filter({ hasText: "buyer.acme" }).click();
    assert.equal(await buyer.locator("input[name=login]").inputValue(), "buyer.acme");
    assert.equal(await buyer.locator("input[name=password]").inputValue(), "");
    await buyer.locator("input[name=password]").fill(PASSWORD);
    await shot(buyer, "01-login");
    await buyer.getByRole("button", { name: "Log in", exact: true }).click();
    await buyer.getByTestId("user-name").filter({ hasText: "Betty Buyer" }).waitFor();
    await buyer.getByTestId("product-business-cards").waitFor();
    assert.equal(await buyer.title(), "Pressroom Print");
    await shot(buyer, "02-catalog");
  });

  await step(t, "the price follows the configuration live", async () => {
    await buyer.getByTestId("product-leaflet").click();
    const first = await waitForPrice(buyer, (p) => p.amount > 0, "arrived");
    assert.equal(await buyer.getByTestId("cart-count").count(), 0, "an empty cart shows no number");

    // The quantity box may be emptied and typed over; only valid values are priced.
    const box = buyer.locator("input[name=quantity]");
    const problem = buyer.getByTestId("configurator").getByTestId("quantity-problem");
    await box.click();
    await box.press("End");
    for (let i = 0; i < 3; i++) await box.press("Backspace");
    assert.equal(await box.inputValue(), "");
    assert.match(await problem.innerText(), /how many/);
    await assertDisabled(buyer.getByTestId("add-to-cart"));
    await box.pressSequentially("800");
    // (A value passed on the way may be priced if the typing pauses past the debounce, as
    // "50" may here; what counts is that the box ends at 800 and 800 is priced, not 5800.)
    await waitForText(buyer.locator(".price-panel .price-sub"), (text) => text.startsWith("800 pieces"), "priced 800");
    assert.equal(await box.inputValue(), "800");
    const eight = await livePrice(buyer);
    assert.equal(await problem.count(), 0);
    await box.fill("0");
    assert.match(await problem.innerText(), /at least 1/i);
    await box.fill("12.5");
    assert.match(await problem.innerText(), /whole number/);
    await buyer.waitForTimeout(400); // past the debounce: nothing invalid was sent
    assert.equal((await livePrice(buyer)).amount, eight.amount);
    assert.match(await buyer.getByTestId("priced-for").innerText(), /800 pieces/);
    // The quantity-break factor is named, not a bare number.
    assert.match(await buyer.getByTestId("price-panel").innerText(), /× 0\.9 quantity-break factor/);

    await buyer.getByTestId("configurator").getByRole("button", { name: "1,000" }).click();
    await problem.waitFor({ state: "detached" });
    assert.equal(await box.inputValue(), "1000");
    const more = await waitForPrice(buyer, (p) => p.amount > first.amount, "rose with the quantity");
    await buyer.locator("[data-param=size] [data-option=a4]").click();
    await waitForPrice(buyer, (p) => p.amount > more.amount, "rose with the size");
    // An option the rules exclude is greyed out: no lamination on 90 g/m² paper.
    await buyer.locator("[data-param=paper] [data-option='90']").click();
    await assertDisabled(buyer.locator("[data-param=finish] [data-option=gloss]"));
    // The reason is on the page, not only in a hover title.
    assert.match(await buyer.locator("[data-param=finish] [data-testid=unavailable-note]").innerText(), /not with .*90/);
    await buyer.locator("[data-param=paper] [data-option='170']").click();
    await assertEnabled(buyer.locator("[data-param=finish] [data-option=gloss]"));
  });

  await step(t, "staff change a price rule and the open configurator re-prices itself", async () => {
    await mark(buyer);
    await waitForPrice(buyer, () => true, "settled");
    await buyer.waitForTimeout(400); // let the last edit's answer land
    const before = await livePrice(buyer);
    const { product } = await api(
      `{ product(code: "leaflet") { id currentVersion { priceRules } } }`,
      {},
      admin,
    );
    const rules = structuredClone(product.currentVersion.priceRules);
    const setup = rules.components.find((c) => c.code === "setup");
    setup.amount = (Number(setup.amount) + 100).toFixed(2);
    const updated = await api(
      `mutation($i: ProductUpdateInput!) { productUpdate(input: $i) { errors { field message } } }`,
      { i: { id: product.id, rules } },
      admin,
    );
    assert.deepEqual(updated.productUpdate.errors, []);
    const after = await waitForPrice(buyer, (p) => p.reason === "RULES_CHANGED", "changed by the rules");
    assert.ok(after.amount > before.amount, `${after.amount} > ${before.amount}`);
    await buyer.getByTestId("price-notice").waitFor();
    await stillMarked(buyer);
    await shot(buyer, "03-live-price");
  });

  await step(t, "the buyer may only propose: the cart sends the order for approval", async () => {
    await buyer.getByTestId("add-to-cart").click();
    await cartBadge(buyer, 1);
    // Said in the panel next to "Go to cart", no toast over it.
    await buyer.getByTestId("added").waitFor();
    assert.equal(await buyer.getByTestId("toast").count(), 0);
    await buyer.getByRole("link", { name: "Go to cart →" }).click({ timeout: 2000 });
    await buyer.getByTestId("cart-line").waitFor();
    await buyer.locator("header").getByRole("link", { name: "Catalogue" }).click();
    await buyer.locator("header").getByRole("link", { name: /Cart/ }).click();
    const line = buyer.getByTestId("cart-line");
    await line.waitFor();
    assert.match(await line.innerText(), /Leaflet/);
    const before = await buyer.getByTestId("cart-total").innerText();
    await buyer.getByTestId("line-quantity").fill("1500");
    await buyer.getByTestId("line-quantity").press("Enter");
    await waitForText(buyer.getByTestId("cart-total"), (text) => text !== before, "cart total changed");
    await buyer.locator("input[name=reference]").fill("PO-E2E-1");
    // Shipping: each method with its cost and promised day; the parcel service is chosen and
    // its cost is in the total.
    const parcel = buyer.locator("[data-testid=shipping-option][data-method=parcel]");
    await parcel.waitFor();
    assert.equal(await buyer.getByTestId("shipping-option").count(), 2);
    assert.match(await parcel.getByTestId("shipping-cost").innerText(), /7\.02/); // 5.90 + 19 % VAT
    assert.match(await parcel.getByTestId("shipping-date").innerText(), /^arrives \S/);
    assert.equal(await buyer.locator("[data-method=pickup] [data-testid=shipping-cost]").innerText(), "free");
    await parcel.locator("input").check();
    await waitForText(buyer.getByTestId("shipping-net"), (text) => /5\.90/.test(text), "shipping in the totals");
    const button = buyer.getByTestId("place-order");
    assert.equal(await button.innerText(), "Send for approval");
    await shot(buyer, "04-cart");
    await button.click();
    await buyer.getByTestId("order-detail").waitFor();
    assert.equal(await buyer.getByTestId("order-detail").getAttribute("data-status"), "PENDING_APPROVAL");
    await cartBadge(buyer, 0); // the proposal emptied the server's cart
    orderNumber = (await buyer.getByTestId("order-number").innerText()).trim();
    orderId = decodeURIComponent(new URL(buyer.url()).hash.split("/").pop());
    assert.match(orderNumber, /^i-/);
    await shot(buyer, "05-proposal");
  });

  await step(t, "a colleague with APPROVE_ORDERS approves the proposal", async () => {
    boss = await openAs("boss");
    await logIn(boss, "boss.acme");
    await boss.getByTestId("pending-count").filter({ hasText: "1" }).waitFor();
    await boss.locator("header").getByRole("link", { name: /Approvals/ }).click();
    const card = boss.locator(`[data-testid=approval][data-number="${orderNumber}"]`);
    await card.waitFor();
    await shot(boss, "06-approvals");
    await card.getByTestId("approve").click();
    await card.waitFor({ state: "detached" });
  });

  await step(t, "orders by status, with counts", async () => {
    await boss.locator("header").getByRole("link", { name: "Orders" }).click();
    await boss.locator("[data-testid=status-tabs] [data-status=RELEASED] .count").filter({ hasText: "1" }).waitFor();
    await boss.locator("[data-testid=status-tabs] [data-status=RELEASED]").click();
    const row = boss.locator(`[data-testid=order-row][data-number="${orderNumber}"]`);
    await row.waitFor();
    await shot(boss, "07-orders");
    await row.getByRole("link", { name: orderNumber }).click();
    await boss.locator("[data-testid=order-detail][data-status=RELEASED]").waitFor();
    await boss.locator("[data-testid=job][data-status=WAITING]").waitFor();
    // The history names the approver as the header does.
    assert.match(await boss.locator(".history").innerText(), /by Bob Boss/);
    assert.doesNotMatch(await boss.locator(".history").innerText(), /customer/);
  });

  await step(t, "an order link that a mail client percent-encoded still opens the order", async () => {
    assert.match(orderId, /=$/, "the ID ends in base64 padding");
    const encoded = encodeURIComponent(orderId);
    assert.match(encoded, /%3D$/);
    await boss.goto(`${STOREFRONT}#/orders/${encoded}`);
    await boss.locator(`[data-testid=order-detail] [data-testid=order-number]`).filter({ hasText: orderNumber }).waitFor();
    // A damaged link is said to be one, without asking the server.
    await boss.goto(`${STOREFRONT}#/orders/T3JkZXI6%E0%A4%A`);
    await boss.getByTestId("bad-order-link").waitFor();
    await boss.goto(`${STOREFRONT}#/orders/${encoded}`);
    await boss.locator("[data-testid=order-detail][data-status=RELEASED]").waitFor();
  });

  await step(t, "production works the job; both customers see it live", async () => {
    await mark(boss);
    // The buyer watches the order list, the boss the order itself.
    await buyer.locator("header").getByRole("link", { name: "Orders" }).click();
    const buyerRow = buyer.locator(`[data-testid=order-row][data-number="${orderNumber}"]`);
    await buyerRow.locator("[data-status=RELEASED]").waitFor();
    await mark(buyer);

    const { node } = await api(
      `query($id: ID!) { node(id: $id) { ... on Order { jobs { id tasks { id name } } } } }`,
      { id: orderId },
      maker,
    );
    const tasks = node.jobs[0].tasks;
    assert.ok(tasks.length >= 2, "a print job has several tasks");
    const start = await api(`mutation($id: ID!) { taskStart(id: $id) { errors { message } } }`, { id: tasks[0].id }, maker);
    assert.deepEqual(start.taskStart.errors, []);
    await boss.locator("[data-testid=job][data-status=IN_PROGRESS]").waitFor();
    await boss.locator("[data-testid=order-detail][data-status=IN_PRODUCTION]").waitFor();
    await buyerRow.locator("[data-status=IN_PRODUCTION]").waitFor();
    await shot(boss, "08-production-live", true);

    for (const task of tasks) {
      const done = await api(`mutation($id: ID!) { taskComplete(id: $id) { errors { message } } }`, { id: task.id }, maker);
      assert.deepEqual(done.taskComplete.errors, []);
    }
    await boss.locator("[data-testid=job][data-status=DONE]").waitFor();
    await boss.locator("[data-testid=order-detail][data-status=COMPLETED]").waitFor();
    await buyerRow.locator("[data-status=COMPLETED]").waitFor();
    await stillMarked(boss);
    await stillMarked(buyer);
    // The buyer, on the list, got one toast for the order, not one per task or job; it lets
    // clicks through, and is gone with the page.
    // The boss looks at the order itself: the page shows every change, no toast repeats it.
    assert.equal(await boss.getByTestId("toast").count(), 0);
    const toasts = buyer.getByTestId("toast");
    assert.ok((await toasts.count()) <= 1, `${await toasts.count()} toasts`);
    assert.equal(await buyer.locator(".toasts").evaluate((el) => getComputedStyle(el).pointerEvents), "none");
    await buyer.locator("header").getByRole("link", { name: "Catalogue" }).click();
    await buyer.waitForFunction(() => !document.querySelector("[data-testid=toast]"), null, { timeout: 1000 });
    await buyer.locator("header").getByRole("link", { name: "Orders" }).click();
    await shot(boss, "09-completed", true);
  });

  await step(t, "staff ship the order in two parcels; the customer sees the tracking live", async () => {
    const shipped = await api(
      `mutation($i: ShipmentCreateInput!) { shipmentCreate(input: $i) { shipment { number } errors { message } } }`,
      { i: { orderId, parcelWeightsG: [null, null] } },
      admin,
    );
    assert.deepEqual(shipped.shipmentCreate.errors, []);
    const number = shipped.shipmentCreate.shipment.number;
    await boss.locator("[data-testid=order-detail][data-status=SHIPPED]").waitFor();
    const shipment = boss.getByTestId("shipment");
    await shipment.waitFor();
    assert.deepEqual(await shipment.getByTestId("tracking-number").allInnerTexts(), [`${number}-1`, `${number}-2`]);
    assert.match(await boss.getByTestId("promised-delivery").innerText(), /\d/);
    assert.match(await boss.locator(".order-lines").innerText(), /Shipping: Parcel service/);
    await shot(boss, "09b-shipped", true);
  });

  await step(t, "a user with PLACE_ORDERS checks out a binding order", async () => {
    await boss.locator("header").getByRole("link", { name: "Catalogue" }).click();
    await boss.getByTestId("product-business-cards").click();
    await waitForPrice(boss, (p) => p.amount > 0, "arrived");
    await boss.getByTestId("add-to-cart").click();
    await boss.getByTestId("cart-count").filter({ hasText: "1" }).waitFor();
    await boss.locator("header").getByRole("link", { name: /Cart/ }).click();
    const button = boss.getByTestId("place-order");
    await button.waitFor();
    assert.equal(await button.innerText(), "Place binding order");
    await button.click();
    await boss.locator("[data-testid=order-detail][data-status=RELEASED]").waitFor();
    await cartBadge(boss, 0);
  });

  await step(t, "a proposal rejected with a reason; the proposer sees it live", async () => {
    // The buyer proposes through the API; the browser pages only watch and decide.
    const buyerToken = await tokenFor("buyer.acme");
    const { product } = await api(`{ product(code: "business-cards") { id } }`);
    const created = await api(
      `mutation($i: ConfigurationCreateInput!) { configurationCreate(input: $i) { configuration { id } } }`,
      { i: { productId: product.id, quantity: 250 } },
      buyerToken,
    );
    const configurationId = created.configurationCreate.configuration.id;
    await api(`mutation($i: CartLineAddInput!) { cartLineAdd(input: $i) { errors { message } } }`, { i: { configurationId, quantity: 250 } }, buyerToken);
    // Changed elsewhere (another tab): the badge follows when the window is back in focus.
    await refocus(buyer);
    await cartBadge(buyer, 1);
    const placed = await api(
      `mutation($i: OrderPlaceInput!) { orderPlace(input: $i) { order { number status } errors { message } } }`,
      { i: { idempotencyKey: `e2e-reject-${Date.now()}` } },
      buyerToken,
    );
    const { number, status } = placed.orderPlace.order;
    assert.equal(status, "PENDING_APPROVAL");
    await refocus(buyer);
    await cartBadge(buyer, 0);
    const buyerRow = buyer.locator(`[data-testid=order-row][data-number="${number}"]`);
    await buyerRow.locator("[data-status=PENDING_APPROVAL]").waitFor();

    await boss.locator("header").getByRole("link", { name: /Approvals/ }).click();
    const card = boss.locator(`[data-testid=approval][data-number="${number}"]`);
    await card.getByTestId("reject").click();
    await card.getByTestId("reject-reason").fill("Please use the new logo first.");
    await card.getByTestId("reject-confirm").click();
    await card.waitFor({ state: "detached" });
    await buyerRow.locator("[data-status=REJECTED]").waitFor();
    await stillMarked(buyer);
  });

  const { laser } = await api(`{ laser: __type(name: "PartTemplate") { name } }`);

  await step(t, "a laser part from a template: SVG preview and price follow the inputs", { skip: !laser && "no laser API on this server" }, async () => {
    await boss.locator("header").getByRole("link", { name: "Laser parts" }).click();
    await boss.locator("[data-template=FLANGE]").click();
    await boss.locator("[data-testid=part-preview] img").waitFor();
    const first = await waitForPrice(boss, (p) => p.amount > 0, "arrived");
    await boss.locator("[data-param=outer_diameter] input").fill("260");
    await boss.locator("[data-param=bolt_circle_diameter] input").fill("210");
    await waitForPrice(boss, (p) => p.amount > first.amount, "rose with the diameter");
    await boss.locator("input[name=partName]").fill("Flange DN100");
    await shot(boss, "11-laser-template");
    await boss.getByTestId("part-add-to-cart").click();
    await boss.getByTestId("cart-count").filter({ hasText: "1" }).waitFor();
  });

  await step(t, "a laser part from an uploaded DXF: checked, previewed, priced", { skip: !laser && "no laser API on this server" }, async () => {
    await boss.getByTestId("mode-dxf").click();
    await boss.locator("input[name=dxf]").setInputFiles(DXF);
    await boss.getByTestId("dxf-upload").click();
    await boss.locator("[data-testid=part-preview] img").waitFor();
    await waitForPrice(boss, (p) => p.amount > 0, "arrived");
    assert.match(await boss.getByTestId("drawing-facts").innerText(), /160 × 90 mm/);
    await shot(boss, "12-laser-dxf");
    await boss.getByTestId("dxf-add-to-cart").click();
    await cartBadge(boss, 2);
  });

  await step(t, "a refused DXF after a good one: the old part goes, the problem is marked where it is", { skip: !laser && "no laser API on this server" }, async () => {
    await boss.locator("input[name=dxf]").setInputFiles(openContourDxf());
    await boss.getByTestId("dxf-upload").click();
    const errors = boss.getByTestId("dxf-errors");
    await errors.waitFor();
    const text = await errors.innerText();
    assert.match(text, /Open contour/);
    // The location is said once (the API's message has it), not again by the storefront.
    assert.doesNotMatch(text, /\(at /);
    // Nothing of the previous drawing is left: no preview image, price or button.
    assert.equal(await boss.locator("[data-testid=part-preview] img").count(), 0);
    assert.equal(await boss.getByTestId("drawing-facts").count(), 0);
    assert.equal(await boss.getByTestId("live-net").count(), 0);
    assert.equal(await boss.getByTestId("dxf-add-to-cart").count(), 0);
    // The refused drawing is sketched with a mark where the API located the problem.
    const preview = boss.getByTestId("problem-preview");
    await preview.locator("polyline").waitFor();
    const mark = preview.getByTestId("problem-mark").first();
    const [x, y] = [Number(await mark.getAttribute("data-x")), Number(await mark.getAttribute("data-y"))];
    assert.ok([0, 90].includes(y) && x === 0, `a loose end of the outline, not (${x}, ${y})`);
    await shot(boss, "14-laser-dxf-refused");
  });

  await step(t, "the parts library, and laser parts through checkout", { skip: !laser && "no laser API on this server" }, async () => {
    await boss.locator("header").getByRole("link", { name: "Parts library" }).click();
    await boss.locator("[data-testid=part][data-name='Flange DN100']").waitFor();
    await boss.locator("[data-testid=part][data-name='mounting-plate']").waitFor();
    await shot(boss, "13-parts-library");
    await boss.locator("header").getByRole("link", { name: /Cart/ }).click();
    assert.equal(await boss.getByTestId("cart-line").count(), 2);
    await boss.getByTestId("place-order").click();
    await boss.locator("[data-testid=order-detail][data-status=RELEASED]").waitFor();
    assert.equal(await boss.getByTestId("job").count(), 2);
  });

  await step(t, "a second brand runs on the same backend", async () => {
    const trade = await openAs("trade", { brand: "trade" });
    await trade.getByTestId("product-leaflet").waitFor();
    assert.equal(await trade.title(), "Ironleaf Trade");
    const primary = await trade.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--primary").trim(),
    );
    assert.equal(primary, "#0f766e");
    assert.equal(await trade.evaluate(() => document.documentElement.lang), "de");
    for (const name of ["Katalog", "Anmelden"]) await trade.locator("header").getByRole("link", { name, exact: true }).waitFor();
    await logIn(trade, "globex", "Anmelden");
    for (const name of ["Katalog", "Laserteile", "Teilebibliothek", "Bestellungen"]) {
      await trade.locator("header").getByRole("link", { name, exact: true }).waitFor();
    }
    // An access token the server no longer takes (as after 15 minutes): the client refreshes
    // it with the refresh token and carries on, and the websocket reconnects with the new one.
    const key = "pressroom.trade.session";
    const before = JSON.parse(await trade.evaluate((k) => localStorage.getItem(k), key));
    await trade.evaluate(([k, s]) => localStorage.setItem(k, JSON.stringify({ ...s, accessToken: "expired" })), [key, before]);
    await trade.reload();
    await trade.getByTestId("user-name").filter({ hasText: "Gustav Globex" }).waitFor();
    const after = JSON.parse(await trade.evaluate((k) => localStorage.getItem(k), key));
    assert.notEqual(after.accessToken, "expired");
    assert.notEqual(after.refreshToken, before.refreshToken, "refresh tokens rotate");
    await trade.getByTestId("product-leaflet").click();
    await waitForPrice(trade, (p) => p.amount > 0, "arrived");
    await trade.getByTestId("configurator").getByRole("button", { name: "1.000", exact: true }).click();
    await trade.waitForTimeout(400);
    await waitForPrice(trade, () => true, "settled");
    // German texts, and every number in the brand's locale: no dot decimals left.
    const panel = await trade.getByTestId("price-panel").innerText();
    assert.match(panel, /Ihr Preis/i);
    assert.match(panel, /1\.000 Stück · .* je Stück · netto/);
    assert.match(panel, /\d,\d\d\s€/);
    assert.match(panel, /Staffelfaktor/);
    assert.match(panel, /MwSt\. \d+ %/);
    for (const detail of await trade.getByTestId("line-detail").allInnerTexts()) {
      // "0.85" would be an English decimal; "1.000" is a German thousand.
      assert.doesNotMatch(detail, /(^|[^\d.])0\.\d/, `an English decimal in "${detail}"`);
    }
    assert.match(await trade.getByTestId("add-to-cart").innerText(), /In den Warenkorb/);
    await trade.locator("input[name=quantity]").fill("0");
    assert.match(await trade.getByTestId("quantity-problem").innerText(), /Mindestens 1/);
    await trade.locator("input[name=quantity]").fill("1000");
    await shot(trade, "10-trade-brand");
  });
});

test("storefront on a phone: the price stays in sight, the nav shows every entry", async (t) => {
  await step(t, "a buyer configures on a 390 × 844 screen", async () => {
    const phone = await openAs("phone", { phone: true });
    await logIn(phone, "buyer.acme");
    // Every entry of the nav is on the screen, "Orders" included.
    for (const name of ["Catalogue", "Laser parts", "Parts library", "Orders"]) {
      const link = phone.locator("header").getByRole("link", { name, exact: true });
      assert.ok(await inViewport(link), `${name} is cut off`);
    }
    await shot(phone, "15-phone-nav");
    await phone.getByTestId("product-leaflet").click();
    const first = await waitForPrice(phone, (p) => p.amount > 0, "arrived");
    const sticky = phone.getByTestId("price-sticky");
    // Far down the form: choosing a paper, the price is still on the screen and follows.
    await phone.locator("[data-param=paper] [data-option='170']").scrollIntoViewIfNeeded();
    await phone.locator("[data-param=paper] [data-option='170']").click();
    await waitForPrice(phone, (p) => p.amount !== first.amount, "followed the paper");
    const net = await phone.getByTestId("live-net").getAttribute("data-amount");
    await phone.locator(`[data-testid=sticky-net][data-amount="${net}"]`).waitFor();
    assert.ok(await inViewport(sticky), "the compact price is off the screen");
    assert.ok(!(await inViewport(phone.getByTestId("price-panel"))), "the full panel is further down");
    await phone.waitForTimeout(300); // the price's flash
    await shot(phone, "16-phone-configurator", false, { scroll: false });
  });
});

async function assertDisabled(locator) {
  await locator.waitFor();
  const deadline = Date.now() + TIMEOUT;
  while (!(await locator.isDisabled())) {
    assert.ok(Date.now() < deadline, "never disabled");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function assertEnabled(locator) {
  const deadline = Date.now() + TIMEOUT;
  while (await locator.isDisabled()) {
    assert.ok(Date.now() < deadline, "never enabled");
    await new Promise((r) => setTimeout(r, 50));
  }
}
