// Emergencies in the browser, on the demo: from 武陟县's vetoed line of last year's assessment to
// the recorded 较大 event it came from; the event's chain (both regions told, each notice
// acknowledged) and its timeline in order to closure; the list filtered by grade; the page in
// English; phone width without sideways scrolling.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot, horizontalOverflow } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

// The year the demo assesses (as crates/fixtures/src/assessment_demo.rs decides).
const now = new Date();
const YEAR = now >= new Date(now.getFullYear(), 0, 20) ? now.getFullYear() - 1 : now.getFullYear() - 2;
const UNIT = `/regions/410800/assessment/${YEAR}/units/410823`;

test("the veto leads to the event, whose chain and timeline tell what happened", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto(UNIT);
  const link = page.locator('#lines a[href^="/emergencies/"]');
  assert.equal(await link.count(), 1, "the veto line names its event");
  await Promise.all([page.waitForURL(/\/emergencies\/\d+$/), link.click()]);
  assert.match(await page.locator("h1").innerText(), /武陟县/);

  // Both regions were told; every held post acknowledged.
  const chain = page.locator("#chain tbody tr");
  assert.ok((await chain.count()) >= 6, "three posts in 武陟县 and three in 焦作市");
  const regions = new Set((await chain.locator("td:nth-child(2)").allInnerTexts()).map((t) => t.trim()));
  assert.ok(regions.has("武陟县") && regions.has("焦作市"), `told: ${[...regions]}`);
  assert.ok((await page.locator("#chain .badge.ok").count()) >= 1);
  assert.equal(await page.locator("#chain form").count(), 0, "a closed event takes no acknowledgement");

  // The timeline from the first report to the closure, in order, the closure with its report.
  const kinds = await page.locator("#timeline li").evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.equal(kinds[0], "initial");
  assert.equal(kinds.at(-1), "closure");
  assert.ok(kinds.includes("response_end"));
  assert.ok((await page.locator('#timeline li[data-kind="closure"] a[href^="/evidence/"]').count()) >= 1);
  assert.equal(await page.locator("#update-form").count(), 0, "nothing follows a closure");
  await screenshot(page, "emergency-1280");

  // The list, filtered to 较大.
  await page.goto("/emergencies");
  await page.locator("#f-level").selectOption("III");
  await Promise.all([page.waitForURL(/level=III/), page.locator("form.filters button").click()]);
  assert.ok((await page.locator('a[href^="/emergencies/"]').filter({ hasText: "武陟县" }).count()) >= 1);

  // English.
  await page.goto(`/lang/en?next=${encodeURIComponent("/emergencies")}`);
  assert.equal(await page.locator("h1").innerText(), "Environmental emergencies");
  await page.context().close();
});

test("an event's page fits a phone", async () => {
  const page = await newPage(browser, 375);
  await signIn(page, "jz.admin");
  await page.goto(UNIT);
  const href = await page.locator('#lines a[href^="/emergencies/"]').getAttribute("href");
  await page.goto(href);
  assert.ok((await horizontalOverflow(page)) <= 0, "no sideways scrolling");
  await screenshot(page, "emergency-375");
  await page.context().close();
});
