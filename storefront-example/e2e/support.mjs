// What the browser tests (e2e/*.e2e.mjs) share: where the server and Chromium are, the API as
// staff or a demo user calls it, Chromium's launch and a wait for a text.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

export const BASE = (process.env.BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
export const STOREFRONT = `${BASE}/storefront/`;
export const SHOTS = process.env.SCREENSHOT_DIR ?? "screenshots";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The demo users' password (server/demo.py). */
export const PASSWORD = "demo-pass-123";
mkdirSync(SHOTS, { recursive: true });

/** A GraphQL call that must not answer top-level errors; returns `data`. */
export async function api(query, variables = {}, token = null) {
  const response = await fetch(`${BASE}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** A demo user's access token. */
export async function tokenFor(login) {
  const data = await api(
    `mutation($i: TokenCreateInput!) { tokenCreate(input: $i) { accessToken errors { message } } }`,
    { i: { login, password: PASSWORD } },
  );
  assert.ok(data.tokenCreate.accessToken, JSON.stringify(data.tokenCreate.errors));
  return data.tokenCreate.accessToken;
}

/** Debian's Chromium, headless, without the background traffic of a desktop browser. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", ...extraArgs],
  });
}

/** The locator's text once `predicate` accepts it; fails with the last text seen after `timeout` ms. */
export async function waitForText(locator, predicate, what, timeout) {
  const deadline = Date.now() + timeout;
  let text;
  while (Date.now() < deadline) {
    text = await locator.innerText().catch(() => null);
    if (text !== null && predicate(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what}: last seen ${JSON.stringify(text)}`);
}
