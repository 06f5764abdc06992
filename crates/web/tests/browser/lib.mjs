// Shared set-up of the browser tests: the server under test (started by scripts/ci-browser.sh),
// Debian's Chromium driven by playwright-core, signing in through the form, and the users the
// tests need, created once through the administrator's pages.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

export const BASE = process.env.ECODUTY_URL ?? assert.fail("ECODUTY_URL names the server under test");
const ADMIN_PASSWORD =
  process.env.ECODUTY_ADMIN_PASSWORD ?? assert.fail("ECODUTY_ADMIN_PASSWORD is the demo admin's one-time password");
const SCREENSHOTS = process.env.ECODUTY_SCREENSHOTS ?? "";

/// The password the tests give the users they create: a one-time password, which the first
/// sign-in replaces with `ownPassword` (issue 14 §4).
export const PASSWORD = "Browser-test-2026!";

/// username → [role, region]; created by `ensureUsers` through /users.
export const USERS = {
  "jz.admin": ["region_admin", "410800"],
  "xz.leader": ["leader", "451322"],
  "jz.org": ["organisation_department", "410800"],
};

/// The one-time password a user starts with (the demo administrator's is printed by the server).
export function password(username) {
  return username === "admin" ? ADMIN_PASSWORD : PASSWORD;
}

/// The password a user chooses at first sign-in, in place of the one-time one (the rules
/// refuse a password that contains the username, so it names nobody).
export function ownPassword(_username) {
  return "Chosen-Browser-2026!";
}

/// A headless Chromium from Debian; never a downloaded browser.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/// A fresh context (its own cookies) at a viewport width.
export async function newPage(browser, width = 1280, height = 800) {
  const context = await browser.newContext({ viewport: { width, height }, baseURL: BASE });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function submitSignIn(page, username, pw) {
  await page.goto("/signin");
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(pw);
  await Promise.all([page.waitForLoadState("load"), page.locator("form[action='/signin'] button[type=submit]").click()]);
  await page.waitForLoadState("load");
  return new URL(page.url()).pathname;
}

/// Signs in through the form, as a person would: with the user's own password, or — the first
/// time, when that is refused — with the one-time password, which the account page then makes
/// the user replace (every other page sends them there until they do).
export async function signIn(page, username) {
  if (!(await submitSignIn(page, username, ownPassword(username))).startsWith("/signin")) return;
  const landed = await submitSignIn(page, username, password(username));
  assert.equal(landed, "/account", `${username}: a one-time password lands on the account page`);
  await page.goto("/");
  assert.equal(new URL(page.url()).pathname, "/account", "no other page opens before the change");
  await page.fill("#current-password", password(username));
  await page.fill("#new-password", ownPassword(username));
  await page.fill("#confirm-password", ownPassword(username));
  await Promise.all([page.waitForURL(/\/signin\?ok=password_changed/), page.click("form[action='/account/password'] button[type=submit]")]);
  const after = await submitSignIn(page, username, ownPassword(username));
  assert.ok(!after.startsWith("/signin"), `${username} signs in with the new password`);
}

/// Creates the users of `USERS` that do not exist yet, through the administrator's pages.
export async function ensureUsers(browser) {
  const page = await newPage(browser);
  await signIn(page, "admin");
  for (const [username, [role, region]] of Object.entries(USERS)) {
    await page.goto(`/users?q=${encodeURIComponent(username)}`);
    if ((await page.locator(`table a:text-is("${username}")`).count()) > 0) continue;
    await page.fill("#new-username", username);
    await page.fill("#new-display", `浏览器测试 ${username}`);
    await page.selectOption("#new-role", role);
    await page.fill("#new-region", region);
    await page.fill("#new-password", PASSWORD);
    await Promise.all([page.waitForURL(/\/users\/\d+\?ok=user_created/), page.click("form[method=post][action='/users'] button[type=submit]")]);
  }
  await page.context().close();
  // Each user replaces the one-time password once, so tests may type their own one.
  for (const username of Object.keys(USERS)) {
    const own = await newPage(browser);
    await signIn(own, username);
    await own.context().close();
  }
}

/// Saves a screenshot when ECODUTY_SCREENSHOTS names a directory.
export async function screenshot(page, name) {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/// Whether the page scrolls sideways (wider than the viewport).
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
