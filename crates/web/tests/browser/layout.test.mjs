// The main pages at phone width (390 px) and on a laptop (1280 px): nothing makes the page
// scroll sideways (wide tables scroll inside their own box). Screenshots for a person to
// look at go to $ECODUTY_SCREENSHOTS when it is set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot, horizontalOverflow } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

const SIGNED_IN = [
  ["dashboard", "/"],
  ["region", "/regions/410800"],
  ["township", "/regions/451322"],
  ["people", "/people?q=%E7%8E%8B"],
  ["regulation", "/regulation"],
  ["diff", "/regulation/diff"],
  ["roster", "/roster"],
  ["users", "/users"],
  ["ledger", "/ledger"],
  ["account", "/account"],
];

for (const width of [390, 1280]) {
  test(`no sideways scrolling at ${width} px`, async () => {
    const page = await newPage(browser, width, width === 390 ? 844 : 800);
    for (const [name, path] of [["signin", "/signin"], ["public", "/public"], ["public-region", "/public/410800"]]) {
      await page.goto(path);
      assert.ok((await horizontalOverflow(page)) <= 0, `${path} overflows at ${width} px by ${await horizontalOverflow(page)} px`);
      await screenshot(page, `${name}-${width}`);
    }
    await signIn(page, "admin");
    for (const [name, path] of SIGNED_IN) {
      const res = await page.goto(path);
      assert.equal(res.status(), 200, path);
      const over = await horizontalOverflow(page);
      assert.ok(over <= 0, `${path} overflows at ${width} px by ${over} px`);
      await screenshot(page, `${name}-${width}`);
    }
    // A post page (the longest forms).
    await page.goto("/regions/410800");
    await page.locator("table a", { hasText: "书记" }).first().click();
    await page.waitForURL(/\/posts\/\d+$/);
    assert.ok((await horizontalOverflow(page)) <= 0, `a post page overflows at ${width} px`);
    await screenshot(page, `post-${width}`);
    await page.context().close();
  });
}

test("at phone width the navigation folds into a menu", async () => {
  const page = await newPage(browser, 390, 844);
  await signIn(page, "admin");
  await page.goto("/findings");
  const toggle = page.locator("#menu-toggle");
  assert.ok(await toggle.isVisible(), "the menu button shows at 390 px");
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.ok(!(await page.locator("#main-nav").isVisible()), "the links are folded away");
  // The page itself starts on the first screen.
  const top = await page.locator("main h1").evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(top < 200, `the heading starts at ${top} px`);
  await screenshot(page, "menu-closed-390");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  const link = page.locator("#main-nav a", { hasText: "信访举报" });
  assert.ok(await link.isVisible(), "the menu opens");
  await screenshot(page, "menu-open-390");
  await Promise.all([page.waitForURL("**/complaints"), link.click()]);
  await page.context().close();

  // On a laptop: no menu button, the links in view.
  const wide = await newPage(browser, 1280, 800);
  await signIn(wide, "admin");
  await wide.goto("/findings");
  assert.ok(!(await wide.locator("#menu-toggle").isVisible()));
  assert.ok(await wide.locator("#main-nav a", { hasText: "信访举报" }).isVisible());
  await wide.context().close();
});
