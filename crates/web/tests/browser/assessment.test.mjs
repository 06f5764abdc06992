// The yearly assessment in the browser, on the demo's published scheme of 焦作市 (last year's): the
// ranking with grade colours and the one vetoed unit last, a chart whose bars match the rows,
// drill-down from a total to the unit's explained lines and the records they came from, the
// page in English, phone width without sideways scrolling, and the eco record page for the
// organisation department, which prints without the navigation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot, horizontalOverflow } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

// The year the demo assesses: last year once its results are out (published on 20 January),
// else the year before (as crates/fixtures/src/assessment_demo.rs decides).
const now = new Date();
const YEAR = now >= new Date(now.getFullYear(), 0, 20) ? now.getFullYear() - 1 : now.getFullYear() - 2;
const PAGE = `/regions/410800/assessment/${YEAR}`;

test("the ranking shows grades, the veto and a chart, and every total explains itself", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto("/assessment");
  await Promise.all([page.waitForURL(`**${PAGE}`), page.locator(`#schemes a[href="${PAGE}"]`).click()]);
  assert.equal(await page.locator("#run-status").getAttribute("class"), "status published");
  const rows = page.locator("#results tbody tr");
  const n = await rows.count();
  assert.ok(n >= 10, `every county-level unit is ranked (${n})`);
  // Grades from at least three bands, coloured by class.
  const grades = new Set(await page.locator("#results .grade").evaluateAll((els) => els.map((e) => e.dataset.grade)));
  assert.ok(grades.size >= 3, `a spread of grades: ${[...grades]}`);
  // Exactly one veto, ranked last with the lowest grade.
  const vetoed = page.locator("#results tbody tr:has(.badge.warn:text-is('一票否决'))");
  assert.equal(await vetoed.count(), 1);
  assert.equal(await vetoed.getAttribute("data-unit"), await rows.last().getAttribute("data-unit"));
  assert.equal(await vetoed.locator(".grade").getAttribute("class"), "grade grade-low");
  // One bar per row, with its numbers as a tooltip.
  assert.equal(await page.locator("svg.scores rect.bar").count(), n);
  assert.match(await page.locator("svg.scores rect.bar title").first().textContent(), /\d/);
  await screenshot(page, "assessment-1280");

  // From the first unit's total to its lines.
  const first = rows.first();
  const unit = await first.getAttribute("data-unit");
  const total = await first.locator("td.num a").first().innerText();
  await Promise.all([page.waitForURL(`**${PAGE}/units/${unit}`), first.locator("td.num a").first().click()]);
  assert.match(await page.locator("#unit-summary").innerText(), new RegExp(total.replace(".", "\\.")));
  const lines = page.locator("#lines tbody tr");
  assert.ok((await lines.count()) >= 5);
  // Each line explains itself; some link to the records they were computed from.
  for (const text of await lines.locator("td:nth-child(4)").allInnerTexts()) assert.ok(text.trim().length > 0);
  assert.ok((await page.locator('#lines a[href^="/findings/"], #lines a[href^="/complaints/"], #lines a[href^="/tasks/"]').count()) > 0);
  assert.ok((await page.locator("#answerers tbody tr").count()) >= 1, "who answered for it");

  // English.
  await page.goto(`/lang/en?next=${encodeURIComponent(PAGE)}`);
  assert.equal(await page.locator("#results-h").innerText(), "Ranking and grades");
  await page.context().close();
});

test("the ranking fits a phone", async () => {
  const page = await newPage(browser, 375);
  await signIn(page, "jz.admin");
  await page.goto(PAGE);
  const chart = await page.locator("svg.scores").boundingBox();
  assert.ok(chart.width <= 375, `the chart (${chart.width} px) fits`);
  assert.ok((await horizontalOverflow(page)) <= 0, "no sideways scrolling");
  await screenshot(page, "assessment-375");
  await page.context().close();
});

test("the organisation department reads and prints a cadre's eco record", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.org");
  await page.goto(PAGE);
  const unit = await page.locator("#results tbody tr").first().getAttribute("data-unit");
  await page.goto(`${PAGE}/units/${unit}`);
  const record = page.locator('#answerers a[href$="/eco-record"]').first();
  await Promise.all([page.waitForURL(/\/people\/\d+\/eco-record$/), record.click()]);
  assert.ok((await page.locator("section.tenure-record").count()) >= 1);
  assert.ok((await page.locator(`table.years td:text-is('${YEAR}')`).count()) >= 1, `the ${YEAR} result in the record`);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("header.top").isVisible(), false, "no navigation on paper");
  await page.context().close();
});
