// Signing in and out, a wrong password, and the keyboard: the skip link and a sign-in
// without the mouse.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, ensureUsers, ownPassword } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

test("an anonymous visitor is sent to sign in, signs in and out", async () => {
  const page = await newPage(browser);
  await page.goto("/regions/410800");
  assert.match(new URL(page.url()).pathname, /^\/signin$/);
  assert.equal(new URL(page.url()).searchParams.get("next"), "/regions/410800");
  await page.getByLabel("用户名").fill("jz.admin");
  await page.getByLabel("密码", { exact: true }).fill(ownPassword("jz.admin"));
  await Promise.all([page.waitForURL("**/regions/410800"), page.getByRole("button", { name: "登录" }).click()]);
  assert.match(await page.locator("h1").innerText(), /^焦作市 410800/);
  assert.match(await page.locator("header .who").innerText(), /地区管理员/);
  await Promise.all([page.waitForURL("**/signin"), page.getByRole("button", { name: "退出" }).click()]);
  await page.goto("/");
  assert.match(page.url(), /\/signin\?next=/, "signed out: the dashboard asks to sign in again");
  await page.context().close();
});

test("a wrong password is refused on the page", async () => {
  const page = await newPage(browser);
  await page.goto("/signin");
  await page.getByLabel("用户名").fill("jz.admin");
  await page.getByLabel("密码", { exact: true }).fill("not-the-password-1");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForSelector(".notice.error");
  assert.equal(await page.locator(".notice.error").innerText(), "用户名或密码错误。");
  assert.equal(await page.getByLabel("用户名").inputValue(), "jz.admin", "the username is kept");
  await page.context().close();
});

test("the keyboard reaches the skip link and signs in alone", async () => {
  const page = await newPage(browser);
  await page.goto("/signin");
  // The username field has the focus; type, Tab to the password, Enter to send.
  assert.equal(await page.evaluate(() => document.activeElement.id), "username");
  await page.keyboard.type("jz.admin");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "password");
  await page.keyboard.type(ownPassword("jz.admin"));
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.keyboard.press("Enter")]);
  // On a page: the first Tab lands on the skip link, which shows itself; Enter jumps to main.
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { cls: el.className, href: el.getAttribute("href"), left: box.left, width: box.width };
  });
  assert.equal(skip.cls, "skip");
  assert.equal(skip.href, "#main");
  assert.ok(skip.left >= 0 && skip.width > 0, "the focused skip link is on screen");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  // The next Tab goes into the content, past the navigation.
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.getElementById("main").contains(document.activeElement)));
  // Focus is visible: an outline on the focused link.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none");
  await page.context().close();
});
