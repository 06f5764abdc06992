// A roster upload: a file with a bad row is refused whole (every bad row listed, nothing
// changed — checked on the region's page), then a good one is imported.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, newPage, signIn, ensureUsers, screenshot } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launch();
  await ensureUsers(browser);
});
after(() => browser?.close());

const HEADER = "区划代码,机构,机构类型,职务,角色,姓名,任职开始,任职结束,代理";
// A run-unique organisation, so that the test can run again on the same database.
const ORG = `孟州市浏览器测试中心${Date.now() % 100000}`;

function csv(rows) {
  return Buffer.from([HEADER, ...rows].join("\n") + "\n", "utf8");
}

async function upload(page, name, buffer) {
  await page.goto("/roster");
  await page.getByLabel("名册文件(CSV 或 XLSX)").setInputFiles({ name, mimeType: "text/csv", buffer });
  await page.getByLabel("事由").fill("浏览器测试导入");
  await Promise.all([page.waitForURL("**/roster"), page.getByRole("button", { name: "导入" }).click()]);
}

test("a bad row refuses the whole file, then a good file is imported", async () => {
  const page = await newPage(browser);
  await signIn(page, "jz.admin");
  const good = `410883,${ORG},部门,主任,sector_department_head,浏览器测试人,2024-03-01,,否`;
  await upload(page, "bad.csv", csv([good, `410883,${ORG},部门,副主任,sector_department_head,浏览器测试人二,2024-02-30,,否`, `451322,象州县某局,部门,局长,sector_department_head,某人,2024-03-01,,否`]));
  assert.match(await page.locator(".notice.error").innerText(), /导入失败,未做任何更改/);
  const rows = await page.locator("table.row-errors tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())),
  );
  assert.deepEqual(
    rows.map((r) => [r[0], r[1]]),
    [
      ["3", "start_date"],
      ["4", "region_code"],
    ],
  );
  assert.match(rows[1][2], /outside your region/);
  await screenshot(page, "roster-refused-1280");
  // Nothing changed: the region's page does not know the organisation.
  await page.goto("/regions/410883");
  assert.equal(await page.getByText(ORG).count(), 0);

  await upload(page, "good.csv", csv([good]));
  assert.match(await page.locator(".notice.ok").innerText(), /导入完成/);
  const summary = await page.locator("table.summary").innerText();
  assert.match(summary, /新增任职\s+1/);
  assert.match(summary, /新增机构\s+1/);
  await page.goto("/regions/410883");
  assert.ok((await page.getByText(ORG).count()) > 0, "the organisation is on the region's page");
  assert.ok((await page.getByRole("link", { name: "浏览器测试人" }).count()) > 0);
  await page.context().close();
});
