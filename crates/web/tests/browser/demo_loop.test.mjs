// The demo's supervision loop (issue 14 §5): a newcomer opening 督察整改, 督察, 工作计划,
// 监督检查 and 信访举报 on `serve --demo` finds this year's records, in 焦作市 and in 象州县.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, screenshot } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// [name, path, navigation entry, what a row is on the page]
const PAGES = [
  ["findings", "/findings", "督察整改", "main table tbody tr"],
  ["inspections", "/inspections", "督察", "main table tbody tr"],
  ["plans", "/plans", "工作计划", "#plans li"],
  ["checks", "/checks", "监督检查", "main table tbody tr"],
  ["complaints", "/complaints", "信访举报", "main table tbody tr"],
];

test("the supervision pages of the demo have rows", async () => {
  const page = await newPage(browser);
  await signIn(page, "admin");
  for (const [name, path, heading, row] of PAGES) {
    await page.goto("/");
    // Reached from the navigation, as a newcomer would.
    await Promise.all([page.waitForURL(`**${path}`), page.locator("#main-nav a", { hasText: new RegExp(`^${heading}$`) }).click()]);
    const rows = await page.locator(row).count();
    assert.ok(rows > 0, `${path} shows no rows`);
    await screenshot(page, `demo-${name}`);
  }
  // Findings in 象州县 too, and the states of the loop in 焦作市.
  await page.goto("/findings?region=451322");
  assert.ok((await page.locator("main table tbody tr").count()) > 0, "象州县 has findings");
  await page.goto("/findings?region=410800");
  const text = await page.locator("main table tbody").innerText();
  for (const state of ["已交办", "整改中", "申请销号", "已销号", "长期坚持"]) {
    assert.ok(text.includes(state), `no finding ${state} in 焦作市`);
  }
  await page.context().close();
});
