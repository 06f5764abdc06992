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

/// The password of the users the tests create.
export const PASSWORD = "Browser-test-2026!";

/// username → [role, region]; created by `ensureUsers` through /users.
export const USERS = {
  "jz.admin": ["region_admin", "410800"],
  "xz.leader": ["leader", "451322"],
  "jz.org": ["organisation_department", "410800"],
};

export function password(username) {
  return username === "admin" ? ADMIN_PASSWORD : PASSWORD;
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

/// Signs in through the form, as a person would.
export async function signIn(page, username) {
  await page.goto("/signin");
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password(username));
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/signin")), page.locator("form[action='/signin'] button[type=submit]").click()]);
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
