// Through the region tree to a county and a township; a post's responsibility list whose
// citation lands on the article; the language switch; another region's page refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

test("the region tree leads to a county and a township", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto("/");
  assert.equal(await page.locator("h1").innerText(), "工作台");
  await screenshot(page, "dashboard-1280");
  // 孟州市 in the tree (a county-level city of 焦作市).
  await Promise.all([page.waitForURL("**/regions/410883"), page.locator(".tree a", { hasText: "孟州市" }).click()]);
  assert.match(await page.locator("h1").innerText(), /^孟州市 410883/);
  assert.deepEqual(await page.locator(".crumbs li").allInnerTexts(), ["焦作市", "孟州市"]);
  // Its holders today, and the regions under it.
  assert.ok((await page.locator("#orgs-h + div table tbody tr").count()) > 5);
  const town = page.locator("section[aria-labelledby=children-h] a").first();
  const townName = await town.innerText();
  await Promise.all([page.waitForURL(/\/regions\/410883\d{3}$/), town.click()]);
  assert.match(await page.locator("h1").innerText(), new RegExp(`^${townName}`));
  assert.deepEqual(await page.locator(".crumbs li").allInnerTexts(), ["焦作市", "孟州市", townName]);
  await page.context().close();
});

test("象州县's townships have their own records", async () => {
  const page = await newPage(browser);
  await signIn(page, "xz.leader");
  await page.goto("/");
  await page.locator(".tree a", { hasText: "象州县" }).first().click();
  await page.waitForURL("**/regions/451322");
  const town = page.locator("section[aria-labelledby=children-h] a").first();
  await Promise.all([page.waitForURL(/\/regions\/451322\d{3}$/), town.click()]);
  assert.ok((await page.locator("#orgs-h + div table tbody tr").count()) > 0, "a township's posts");
  await page.context().close();
});

test("a duty's citation lands on its article", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto("/regions/410800");
  // The Party secretary's post: its list cites 第六条.
  await page.locator("table a", { hasText: "书记" }).first().click();
  await page.waitForURL(/\/posts\/\d+$/);
  await screenshot(page, "post-1280");
  const cite = page.locator("ol.duties a.cite").first();
  const href = await cite.getAttribute("href");
  assert.match(href, /^\/regulation\/\d+#art-\d+$/);
  const article = href.split("#")[1];
  await Promise.all([page.waitForURL(`**${href}`), cite.click()]);
  const target = page.locator(`#${article}`);
  assert.ok(await target.isVisible());
  assert.ok(await page.evaluate(() => document.querySelector(":target")?.id), "the article is the :target");
  assert.equal(await page.evaluate(() => document.querySelector(":target").id), article);
  const box = await target.boundingBox();
  assert.ok(box.y >= 0 && box.y < 800, `the article is scrolled into view (y=${box.y})`);
  assert.match(await target.locator("h3").innerText(), /^第.+条$/);
  await screenshot(page, "regulation-1280");
  await page.context().close();
});

test("the language switch changes the interface and comes back", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto("/regions/410883");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  await Promise.all([page.waitForURL("**/regions/410883"), page.getByRole("link", { name: "English" }).click()]);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).isVisible());
  assert.ok(await page.getByRole("heading", { name: "Organisations and posts" }).isVisible());
  // Remembered on the next page.
  await page.goto("/roster");
  assert.equal(await page.locator("h1").innerText(), "Roster import and export");
  await page.getByRole("link", { name: "中文" }).click();
  await page.waitForURL("**/roster");
  assert.equal(await page.locator("h1").innerText(), "名册导入导出");
  await page.context().close();
});

test("another region's page is refused as not found", async () => {
  const page = await newPage(browser);
  await signIn(page, "xz.leader");
  const res = await page.goto("/regions/410800");
  assert.equal(res.status(), 404);
  assert.match(await page.locator("main").innerText(), /不在您的管辖范围内/);
  // Its own region opens.
  assert.equal((await page.goto("/regions/451322")).status(), 200);
  await page.context().close();
});
