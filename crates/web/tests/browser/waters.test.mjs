// The chief's page in the browser, on the demo: from the rivers list to 沁河's city-level river
// chief; his month (the patrol table period by period, the sections by month against the target
// class, the open problems, the patrols); a patrol recorded through the form with a photo,
// whose problem becomes a finding; the public 河长公示牌 without signing in, with the complaint
// form filled in with the segment; phone width without sideways scrolling.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot, horizontalOverflow } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

// A tiny valid PNG (1×1), as a phone would send a photo.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

async function cityRiverChief(page) {
  await page.goto("/waters/QINHE");
  const link = page.locator("#segments a[href^='/chiefs/']").filter({ hasText: "市级河长" }).first();
  assert.equal(await link.count(), 1, "沁河 has a city-level river chief");
  await Promise.all([page.waitForURL(/\/chiefs\/\d+$/), link.click()]);
}

test("the chief's month: patrols against the frequency, sections against the target, problems", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto("/waters");
  for (const name of ["沁河", "丹河", "大沙河", "蟒河", "新蟒河"]) {
    assert.ok((await page.locator("#waters td").filter({ hasText: new RegExp(`^${name}$`) }).count()) === 1, `${name} listed`);
  }
  await cityRiverChief(page);
  assert.match(await page.locator("h1").innerText(), /市级河长/);
  assert.ok((await page.locator("#patrol-table tbody tr").count()) >= 1, "the month's periods");
  assert.ok((await page.locator("#frequency").innerText()).length > 0);
  // 沁河武陟段 is monitored at 石门（示例）: its months carry classes against Ⅲ类.
  const row = page.locator('#section-months tr[data-section="石门（示例）"]');
  assert.equal(await row.count(), 1, "the monitored section is listed");
  assert.ok((await row.locator("td[data-class]").count()) >= 1, "months with a class");
  assert.ok((await page.locator("#chief-duties li").count()) >= 6, "the six tasks among the duties");
  await screenshot(page, "chief-1280");

  // A patrol with a problem and a photo: the problem becomes a finding.
  const chiefUrl = page.url();
  const before = await page.locator("#open-problems li").count();
  await Promise.all([page.waitForURL(/\/patrols\/new$/), page.locator("#new-patrol").click()]);
  await page.locator("#p-target").selectOption({ index: 0 });
  await page.fill("#p-minutes", "75");
  await page.fill("#p-metres", "4200");
  await page.locator("#p-kind").selectOption("outfall");
  await page.fill("#p-text", "左岸新发现一处排口,水体浑浊(浏览器测试)");
  await page.locator("#p-units").selectOption({ index: 0 });
  await page.locator("#p-photos").setInputFiles({ name: "排口.png", mimeType: "image/png", buffer: PNG });
  await Promise.all([page.waitForURL(/\/patrols\/\d+\?ok=patrol_recorded$/), page.locator("#patrol-form button[type=submit]").click()]);
  assert.match(await page.locator("#patrol-problems").innerText(), /排口/);
  assert.equal(await page.locator('#patrol-problems a[href^="/evidence/"]').count(), 1, "the photo is cited");
  assert.equal(await page.locator('#patrol-problems a[href^="/findings/"]').count(), 1, "the problem became a finding");
  await page.goto(chiefUrl);
  assert.equal(await page.locator("#open-problems li").count(), before + 1, "one more open problem");
  await page.context().close();
});

test("the public 河长公示牌 names the chiefs today and takes a complaint about the segment", async () => {
  const page = await newPage(browser);
  await page.goto("/public/waters/QINHE");
  assert.match(await page.locator("h1").innerText(), /沁河.*河长公示牌/);
  assert.ok((await page.locator("section.board").count()) === 4, "four segments, source to mouth");
  assert.ok((await page.locator("section.board li[data-chief]").count()) >= 4);
  const address = await page.locator("#c-address").inputValue();
  assert.match(address, /沁河 沁河沁阳段/);
  assert.equal(await page.locator("#c-region").inputValue(), "410882");
  await page.goto("/public/waters/QINHE?segment=QINHE-410823");
  assert.match(await page.locator("#c-address").inputValue(), /沁河武陟段/);
  await page.context().close();
});

test("the chief's page fits a phone", async () => {
  const page = await newPage(browser, 375);
  await signIn(page, "jz.admin");
  await cityRiverChief(page);
  assert.ok((await horizontalOverflow(page)) <= 0, "no sideways scrolling");
  await screenshot(page, "chief-375");
  await page.context().close();
});
