//! Environmental emergencies and risk through the JSON API and the pages, on the demo
//! jurisdiction: 孟州市's officer reports a 较大 event; its chain tells 孟州市 and 焦作市 with
//! their deadlines; each region acknowledges its own notice and not the other's; the timeline
//! runs to closure (refused without the investigation report); a region outside sees nothing;
//! a leader reads but may not report. Risk sources are imported all or nothing, a risk report is
//! routed. Then the same on the pages.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

/// China time, `hours` ago.
fn hours_ago(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::hours(hours))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn notice_of<'a>(detail: &'a Value, region: &str) -> &'a Value {
    detail["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["notice"]["region_code"] == region)
        .unwrap_or_else(|| panic!("no notice for {region}: {detail}"))
}

const SHEET: &str = "名称,区划代码,行业代码,风险物质,风险等级,地址,统一社会信用代码
孟州市某化工有限公司,410883,C2614,液氯;硫酸,较大,孟州市产业集聚区,91410883MA00000001
孟州市某制革厂,410883,C1910,硫化钠,一般,孟州市西虢镇,
";

async fn an_emergency_lives_through_the_api(app: TestApp) {
    let mz = api(&app, "mz.officer").await;
    let jz = api(&app, "jz.admin").await;
    let leader = api(&app, "jz.leader").await;
    let xz = api(&app, "xz.admin").await;

    // The document names an event's status apart from a finding's.
    let doc: Value = reqwest::get(app.at("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    let values = |name: &str| schemas[name]["enum"].to_string();
    assert!(
        values("EmergencyStatus").contains("withdrawn"),
        "{}",
        values("EmergencyStatus")
    );
    assert!(
        values("Status").contains("in_progress"),
        "a finding's: {}",
        values("Status")
    );

    // Who a 较大 event in 孟州市 would tell: 孟州市's three posts, then 焦作市's.
    let (status, chain) = mz
        .get("/api/v1/regions/410883/emergency-chain?level=III")
        .await;
    assert_eq!(status, 200, "{chain}");
    let regions: Vec<&str> = chain
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["region_code"].as_str().unwrap())
        .collect();
    assert!(
        regions.contains(&"410883") && regions.contains(&"410800"),
        "{chain}"
    );
    assert_eq!(regions.first(), Some(&"410883"), "nearest first: {chain}");
    let (status, _) = mz
        .get("/api/v1/regions/410883/emergency-chain?level=V")
        .await;
    assert_eq!(status, 422, "an unknown grade is refused");

    // Bad input names the field.
    let body = json!({
        "title": "蟒河孟州段水污染事件", "place": "孟州市西虢镇蟒河桥", "kind": "water",
        "pollutants": ["氨氮", "COD"], "level": "较大", "occurred_at": "2099-01-01 08:00",
        "report": "蟒河水体发黑,下游断面氨氮超标。"
    });
    let (status, p) = mz
        .post("/api/v1/regions/410883/emergencies", body.clone())
        .await;
    assert_eq!(status, 422, "{p}");
    assert!(p.to_string().contains("occurred_at"), "{p}");
    // A leader may read but not report.
    let mut body = body;
    body["occurred_at"] = json!(hours_ago(3));
    body["reported_at"] = json!(hours_ago(2));
    let (status, _) = leader
        .post("/api/v1/regions/410883/emergencies", body.clone())
        .await;
    assert_eq!(status, 403);

    let (status, detail) = mz.post("/api/v1/regions/410883/emergencies", body).await;
    assert_eq!(status, 201, "{detail}");
    let id = detail["emergency"]["id"].as_i64().unwrap();
    assert_eq!(detail["emergency"]["level"], "III");
    assert_eq!(detail["emergency"]["status"], "reported");
    assert_eq!(
        detail["updates"].as_array().unwrap().len(),
        1,
        "the first report"
    );
    let local = notice_of(&detail, "410883");
    let upper = notice_of(&detail, "410800");
    assert_eq!(local["notice"]["tier"], "local");
    assert_eq!(upper["notice"]["tier"], "upper");
    // Reported two hours ago, the local notice (60 minutes) is already late.
    assert_eq!(local["state"], "overdue", "{local}");

    // 焦作市 sees it; 象州县 does not.
    assert_eq!(jz.get(&format!("/api/v1/emergencies/{id}")).await.0, 200);
    assert_eq!(
        leader.get(&format!("/api/v1/emergencies/{id}")).await.0,
        200
    );
    assert_eq!(xz.get(&format!("/api/v1/emergencies/{id}")).await.0, 404);
    let listed = xz.ok("/api/v1/emergencies").await;
    assert!(listed.as_array().unwrap().is_empty(), "{listed}");
    let listed = jz.ok("/api/v1/emergencies?level=III&status=reported").await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let listed = jz.ok("/api/v1/emergencies?level=I").await;
    assert!(listed.as_array().unwrap().is_empty());

    // Each region acknowledges its own notice.
    let upper_id = upper["notice"]["id"].as_i64().unwrap();
    let local_id = local["notice"]["id"].as_i64().unwrap();
    let ack = format!("/api/v1/emergencies/{id}/acknowledge");
    let (status, _) = mz
        .post(&ack, json!({"notice_id": upper_id, "note": "电话"}))
        .await;
    assert_eq!(status, 403, "孟州市 cannot acknowledge for 焦作市");
    let (status, seen) = mz
        .post(&ack, json!({"notice_id": local_id, "note": "电话确认"}))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["state"], "acknowledged_late");
    assert_eq!(seen["notice"]["acknowledged_by"], "user:mz.officer");
    let (status, seen) = jz
        .post(&ack, json!({"notice_id": upper_id, "note": "短信"}))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["state"], "acknowledged");
    let (status, p) = jz.post(&ack, json!({"notice_id": 999_999})).await;
    assert_eq!(status, 422, "{p}");

    // The timeline to closure.
    let updates = format!("/api/v1/emergencies/{id}/updates");
    let (status, d) = mz
        .post(
            &updates,
            json!({"kind": "measure", "at": hours_ago(1), "text": "关闭排污口,下游筑坝拦截"}),
        )
        .await;
    assert_eq!(status, 201, "{d}");
    assert_eq!(d["emergency"]["status"], "responding");
    let (status, p) = mz
        .post(&updates, json!({"kind": "closure", "text": "结案"}))
        .await;
    assert_eq!(status, 422, "closure before the response ended: {p}");
    let (status, d) = mz
        .post(
            &updates,
            json!({"kind": "response_end", "text": "下游断面连续达标,终止应急响应"}),
        )
        .await;
    assert_eq!(status, 201, "{d}");
    assert_eq!(d["emergency"]["status"], "response_ended");
    let (status, p) = mz
        .post(&updates, json!({"kind": "closure", "text": "结案"}))
        .await;
    assert_eq!(status, 422, "closure without the report: {p}");
    assert!(p.to_string().contains("evidence"), "{p}");
    let form = Form::new().part(
        "file",
        Part::bytes(b"%PDF-1.7\n% investigation\n".to_vec()).file_name("调查评估报告.pdf"),
    );
    let (status, stored) = mz
        .call(
            mz.request(reqwest::Method::POST, "/api/v1/evidence")
                .multipart(form),
        )
        .await;
    assert_eq!(status, 201, "{stored}");
    let (status, d) = mz
        .post(&updates, json!({"kind": "closure", "text": "调查评估完成,结案", "evidence": [stored["reference"]]}))
        .await;
    assert_eq!(status, 201, "{d}");
    assert_eq!(d["emergency"]["status"], "closed");
    let (status, _) = mz
        .post(&updates, json!({"kind": "follow_up", "text": "补充"}))
        .await;
    assert_eq!(status, 422, "nothing follows a closure");
    let history = mz.ok(&format!("/api/v1/emergencies/{id}/history")).await;
    assert!(history.as_array().unwrap().len() >= 4, "{history}");

    // Risk sources: a bad sheet changes nothing and names line and field.
    let bad = SHEET.replace("C2614", "2614X");
    let (status, p) = jz
        .post("/api/v1/regions/410800/risk-sources", json!({"sheet": bad}))
        .await;
    assert_eq!(status, 422, "{p}");
    assert!(p.to_string().contains("行业代码"), "{p}");
    assert!(jz
        .ok("/api/v1/risk-sources")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let (status, p) = mz
        .post(
            "/api/v1/regions/410883/risk-sources",
            json!({"sheet": SHEET}),
        )
        .await;
    assert_eq!(status, 403, "an officer may not edit the register: {p}");
    let (status, done) = jz
        .post(
            "/api/v1/regions/410800/risk-sources",
            json!({"sheet": SHEET}),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["created"], 2, "{done}");
    let (_, again) = jz
        .post(
            "/api/v1/regions/410800/risk-sources",
            json!({"sheet": SHEET}),
        )
        .await;
    assert_eq!(
        again["created"], 0,
        "the same sheet again creates nothing: {again}"
    );
    let sources = mz.ok("/api/v1/risk-sources").await;
    assert_eq!(sources.as_array().unwrap().len(), 2);
    assert!(xz
        .ok("/api/v1/risk-sources")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let chem = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["grade"] == "large")
        .unwrap_or_else(|| panic!("{sources}"));
    let (status, report) = mz
        .post(
            "/api/v1/regions/410883/risk-reports",
            json!({"risk_source_id": chem["id"], "text": "液氯储罐围堰破损"}),
        )
        .await;
    assert_eq!(status, 201, "{report}");
    let reports = jz.ok("/api/v1/risk-reports").await;
    assert_eq!(reports.as_array().unwrap().len(), 1);
    let (status, _) = mz
        .post("/api/v1/regions/410883/risk-reports", json!({"text": " "}))
        .await;
    assert_eq!(status, 422);
    // Every step, with times taken from the clock, verifies in the ledger.
    let verified = app.store.verify_ledger().await.unwrap();
    assert!(verified.ok(), "{:?}", verified.first_mismatch);
    app.finish().await;
}

fn report_form(csrf: &str, occurred: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_string())
        .text("region", "410883")
        .text("title", "化工园区储罐泄漏")
        .text("place", "孟州市产业集聚区")
        .text("kind", "air")
        .text("level", "IV")
        .text("occurred_at", occurred.to_string())
        .text("reported_at", "")
        .text("pollutants", "氯气、氯化氢")
        .text("risk_source_id", "")
        .text("report", "储罐阀门泄漏,周边 500 米群众已疏散。")
        .part("file", Part::bytes(Vec::new()).file_name(""))
}

async fn an_emergency_works_on_the_pages(app: TestApp) {
    let (c, csrf) = app.sign_in("mz.officer").await;
    let html = c
        .get(app.at("/emergencies"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"report-form\""),
        "the report form: {html}"
    );

    // A time in the future is refused, naming the field.
    let res = c
        .post(app.at("/emergencies"))
        .multipart(report_form(&csrf, "2099-01-01T08:00"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("occurred_at"));

    let occurred = hours_ago(1).replace(' ', "T");
    let res = c
        .post(app.at("/emergencies"))
        .multipart(report_form(&csrf, &occurred))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/emergencies/"), "{location}");
    let page = location.split('?').next().unwrap().to_string();
    let html = c
        .get(app.at(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("化工园区储罐泄漏"));
    assert!(html.contains("id=\"chain\""), "the chain");
    assert!(html.contains("id=\"timeline\""), "the timeline");
    assert!(html.contains("初报"));
    // 一般: 孟州市 only.
    let id: i64 = page.trim_start_matches("/emergencies/").parse().unwrap();
    let told = |views: Vec<ecoduty_store::emergency::chain::NoticeView>| {
        let mut regions: Vec<String> = views
            .iter()
            .map(|v| v.notice.region_code.to_string())
            .collect();
        regions.dedup();
        regions
    };
    assert_eq!(told(app.store.notice_views(id).await.unwrap()), ["410883"]);
    assert!(html.contains("通知链 (3)"), "three posts told: {html}");
    let notice_id = html
        .split("name=\"notice_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an acknowledgement form")
        .to_string();
    let res = c
        .post(app.at(&format!("{page}/acknowledge")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("notice_id", notice_id.as_str()),
            ("note", "电话"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);

    // A regrade to 较大 tells 焦作市.
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("kind", "regrade")
        .text("at", "")
        .text("new_level", "III")
        .text("text", "泄漏量超出初判,上调为较大")
        .part("file", Part::bytes(Vec::new()).file_name(""));
    let res = c
        .post(app.at(&format!("{page}/updates")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = c
        .get(app.at(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("上调为较大"));
    assert!(
        html.contains("焦作市"),
        "the city is told after the regrade"
    );

    // 焦作市 sees it in its list, in English too.
    let (jz, jz_csrf) = app.sign_in("jz.admin").await;
    let res = jz.get(app.at("/lang/en?next=/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let html = jz
        .get(app.at("/emergencies"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("化工园区储罐泄漏"), "{html}");
    assert!(
        html.contains("Environmental emergencies"),
        "English: {html}"
    );
    let (xz, _) = app.sign_in("xz.admin").await;
    assert_eq!(
        xz.get(app.at(&page)).send().await.unwrap().status(),
        404,
        "outside its region"
    );

    // Risk sources imported from the page; a bad file changes nothing.
    let import = |sheet: &str| {
        Form::new().text("csrf", jz_csrf.clone()).part(
            "file",
            Part::bytes(sheet.as_bytes().to_vec()).file_name("风险源名录.csv"),
        )
    };
    let res = jz
        .post(app.at("/risk-sources"))
        .multipart(import(&SHEET.replace("较大", "很大")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("风险等级") && html.contains("风险源名录.csv"),
        "{html}"
    );
    let res = jz
        .post(app.at("/risk-sources"))
        .multipart(import(SHEET))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = jz
        .get(app.at("/risk-sources"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("孟州市某化工有限公司"));
    let csv = jz
        .get(app.at("/risk-sources.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("统一社会信用代码") && csv.contains("孟州市某制革厂"),
        "{csv}"
    );
    app.finish().await;
}

on_both_backends!(
    an_emergency_lives_through_the_api,
    an_emergency_works_on_the_pages
);
