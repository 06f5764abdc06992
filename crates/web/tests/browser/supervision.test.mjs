// The supervision screens: a finding (made through the JSON API with the session's CSRF
// token, as the pages' own scripts would) found in the findings list, opened, and started
// through its step form; the public complaint form filed without signing in, giving a
// tracking code that leads to the complaint's progress.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

test("findings list → a finding's page → a step", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  await page.goto("/findings");
  const csrf = await page.locator("input[name=csrf]").first().getAttribute("value");
  const orgs = await (await page.request.get("/api/v1/regions/410883/organisations")).json();
  // A run-unique text, so that the test can run again on the same database.
  const text = `浏览器测试:城区施工工地扬尘管控不到位 ${Date.now() % 100000}`;
  const created = await page.request.post("/api/v1/findings", {
    headers: { "x-csrf-token": csrf },
    data: {
      region_code: "410883",
      source: "audit",
      source_ref: "审计报告〔2026〕9号",
      category: "air",
      severity: "general",
      text,
      units: [orgs[0].id],
      deadline: "2099-12-31",
    },
  });
  assert.equal(created.status(), 201, await created.text());

  // The list, filtered to what is assigned in 孟州市.
  await page.goto("/findings");
  // The region is picked from the regions of the user's scope, not typed.
  assert.equal(await page.locator("#f-region").evaluate((el) => el.tagName), "SELECT");
  await page.selectOption("#f-region", { label: "— 孟州市 410883" });
  await page.selectOption("#f-status", "assigned");
  await Promise.all([page.waitForURL(/\/findings\?region=410883&status=assigned/), page.locator("#findings-filter button[type=submit]").click()]);
  await screenshot(page, "findings-1280");
  const link = page.locator("#findings-table a", { hasText: text.slice(0, 20) }).first();
  await Promise.all([page.waitForURL(/\/findings\/\d+$/), link.click()]);
  assert.equal(await page.locator("#finding-status").innerText(), "已交办");
  assert.equal(await page.locator("#finding-deadline").innerText(), "2099-12-31");
  assert.equal(await page.locator("#finding-history li").count(), 1);

  // Start rectifying through the step's form.
  await page.fill("#step-start-comment", "已制定整改方案");
  await Promise.all([page.waitForURL(/\?ok=start$/), page.locator("#step-start button[type=submit]").click()]);
  assert.equal(await page.locator("#finding-status").innerText(), "整改中");
  assert.equal(await page.locator("#finding-history li").count(), 2);
  assert.match(await page.locator("#finding-history li").nth(1).innerText(), /开始整改.*user:jz\.admin.*已制定整改方案/s);
  assert.ok(await page.locator("#step-request_closure").isVisible(), "the closure request comes next");
  await screenshot(page, "finding-1280");

  // Its deadline extended from the list, ticked with the keyboard: first refused (not later
  // than the current one, nothing changed), then granted.
  const id = (await created.json()).id;
  await page.goto("/findings?region=410883&status=assigned,in_progress");
  await page.locator(`#pick-${id}`).focus();
  await page.keyboard.press("Space");
  assert.ok(await page.locator(`#pick-${id}`).isChecked());
  await page.fill("#bulk-deadline", "2099-06-30");
  await page.fill("#bulk-comment", "汛期施工受限,申请延期");
  await Promise.all([page.waitForLoadState("load"), page.locator("#bulk-extend-submit").click()]);
  assert.match(await page.locator(`#bulk-refusals li[data-finding="${id}"]`).innerText(), /须晚于原时限/);
  assert.ok(await page.locator(`#pick-${id}`).isChecked(), "the choice is kept");
  await page.fill("#bulk-deadline", "2100-06-30");
  await Promise.all([page.waitForURL(/ok=deadlines_extended/), page.locator("#bulk-extend-submit").click()]);
  await page.goto(`/findings/${id}`);
  assert.equal(await page.locator("#finding-deadline").innerText(), "2100-06-30");
  assert.match(await page.locator("#finding-history li").last().innerText(), /延期.*汛期施工受限/s);
  await page.context().close();
});

test("the public complaint form gives a tracking code that follows the complaint", async () => {
  const page = await newPage(browser, 390, 844);
  await page.goto("/public/complaint");
  assert.equal(await page.locator("h1").innerText(), "信访举报");
  await page.fill("#c-region", "孟州市");
  await page.fill("#c-address", "河阳街道解放路");
  await page.selectOption("#c-category", "noise");
  await page.fill("#c-text", "夜间施工噪声扰民,已持续两周,影响休息。");
  await page.fill("#c-contact", "13800000000");
  await Promise.all([page.waitForLoadState("load"), page.locator("#complaint-form button[type=submit]").click()]);
  const code = await page.locator("#tracking-code").innerText();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  await screenshot(page, "complaint-filed-390");
  await Promise.all([page.waitForURL(`**/public/complaint/${code}`), page.locator("#track-link").click()]);
  assert.equal(await page.locator("#complaint-status").innerText(), "已受理");
  assert.ok(!(await page.content()).includes("13800000000"), "the contact is never shown publicly");
  // The lookup form finds it again, typed in lower case without dashes.
  await page.fill("#track-code", code.replaceAll("-", "").toLowerCase());
  await Promise.all([page.waitForURL(`**/public/complaint/${code.replaceAll("-", "")}`), page.locator("form[action='/public/complaint/track'] button").click()]);
  assert.equal(await page.locator("#complaint-status").innerText(), "已受理");
  await page.context().close();
});
