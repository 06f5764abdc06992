//! Rosters through the API: export in three formats within the caller's region, and an import
//! that is all or nothing — a bad row (or a row outside the caller's region) refuses the whole
//! file and changes nothing; the corrected file then goes in, and a second time changes nothing.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use ecoduty_store::ledger::LedgerFilter;
use reqwest::Method;
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

const HEADER: &str = "region_code,organisation,organisation_kind,post,role,person,start_date,end_date,acting,person_key\n";

async fn ledger_length(app: &TestApp) -> i64 {
    app.store
        .ledger_page(&LedgerFilter::default(), None, 1)
        .await
        .unwrap()[0]
        .seq
}

async fn import_csv(api: &Api, csv: &str) -> (u16, Value) {
    api.call(
        api.request(
            Method::POST,
            "/api/v1/roster?file_name=test.csv&reason=测试名册",
        )
        .header("content-type", "text/csv")
        .body(csv.to_string()),
    )
    .await
}

async fn rosters_import_all_or_nothing(app: TestApp) {
    let jz = api(&app, "jz.admin").await;
    let auditor = api(&app, "jz.auditor").await;
    let good = format!(
        "{HEADER}410883,孟州市名册测试局,department,局长,sector_department_head,名册测试甲,2024-03-01,,false,RT-1\n\
         410883,孟州市名册测试局,department,副局长,sector_department_head,名册测试乙,2024-03-01,,false,RT-2\n"
    );
    let bad = good.replace("2024-03-01,,false,RT-2", "2024-13-01,,false,RT-2");
    let before = ledger_length(&app).await;

    let (status, _) = import_csv(&auditor, &good).await;
    assert_eq!(status, 403);
    let (status, refused) = import_csv(&jz, &bad).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused["errors"],
        json!([{"line": 3, "field": "start_date", "message": "\"2024-13-01\" is not a date (write YYYY-MM-DD)"}])
    );
    // A row of another region is a bad row too, and so is the whole file.
    let foreign = format!("{good}451322,象州县名册测试局,department,局长,sector_department_head,名册测试丙,2024-03-01,,false,RT-3\n");
    let (status, refused) = import_csv(&jz, &foreign).await;
    assert_eq!(status, 422);
    assert_eq!(refused["errors"][0]["line"], 4);
    assert_eq!(refused["errors"][0]["field"], "region_code");
    assert_eq!(refused["errors"].as_array().unwrap().len(), 1);
    // Nothing changed.
    assert_eq!(ledger_length(&app).await, before);
    let orgs = auditor.ok("/api/v1/regions/410883/organisations").await;
    assert!(!orgs.to_string().contains("名册测试局"));

    let (status, done) = import_csv(&jz, &good).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["tenures_created"], 2);
    assert_eq!(done["people_created"], 2);
    assert_eq!(done["organisations_created"], 1);
    assert!(done["ledger_seq"].is_i64());
    let (status, again) = import_csv(&jz, &good).await;
    assert_eq!(status, 200);
    assert_eq!(again["tenures_unchanged"], 2);
    assert_eq!(again["ledger_seq"], Value::Null);

    // The same file as a multipart upload, one row changed: an end date.
    let ended = good.replace("2024-03-01,,false,RT-2", "2024-03-01,2025-03-01,false,RT-2");
    let form = reqwest::multipart::Form::new()
        .text("reason", "任免变动")
        .part(
            "file",
            reqwest::multipart::Part::bytes(ended.into_bytes())
                .file_name("变动.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    let (status, updated) = jz
        .call(jz.request(Method::POST, "/api/v1/roster").multipart(form))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["tenures_updated"], 1);
    let seq = updated["ledger_seq"].as_i64().unwrap();
    let admin = api(&app, "admin").await;
    let entry = admin.ok(&format!("/api/v1/ledger/{seq}")).await;
    assert_eq!(entry["reason"], "任免变动");
    assert_eq!(entry["actor"], "user:jz.admin");
    assert_eq!(entry["after"]["source"]["file_name"], "变动.csv");
    // The tenure it changed is in 孟州市's part of the ledger, with the same reason.
    let changed = auditor.ok("/api/v1/ledger?entity=tenure&limit=1").await;
    assert_eq!(changed["items"][0]["reason"], "任免变动");
    assert_eq!(changed["items"][0]["region_code"], "410883");
    assert_eq!(changed["items"][0]["after"]["end_date"], "2025-03-01");

    let (status, bad) = jz
        .call(
            jz.request(Method::POST, "/api/v1/roster")
                .header("content-type", "application/pdf")
                .body("%PDF"),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("content-type")));
    let (status, bad) = jz
        .call(
            jz.request(Method::POST, "/api/v1/roster")
                .header(
                    "content-type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                .body("not a workbook"),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("file")));
    app.finish().await;
}

async fn rosters_export_within_the_region(app: TestApp) {
    let officer = api(&app, "mz.officer").await;
    let leader = api(&app, "jz.leader").await;
    // JSON: every row within the caller's region (孟州市 for its officer).
    let rows = officer.ok("/api/v1/roster?format=json").await;
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["region_code"] == "410883"));
    let city = leader.ok("/api/v1/roster?format=json&region=410800").await;
    assert!(city.as_array().unwrap().len() > rows.len());
    let (status, _) = officer.get("/api/v1/roster?region=410800").await;
    assert_eq!(status, 404, "the city lies outside 孟州市");
    let (status, _) = officer.get("/api/v1/roster?format=pdf").await;
    assert_eq!(status, 422);

    // CSV (the default) and XLSX, with the columns an import reads.
    let res = officer
        .request(Method::GET, "/api/v1/roster")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("roster-410883.csv"));
    let csv = res.text().await.unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "region_code,organisation,organisation_kind,post,role,person,start_date,end_date,acting,person_key,portfolio"
    );
    assert_eq!(lines.count(), rows.len());
    let res = officer
        .request(Method::GET, "/api/v1/roster?format=xlsx")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let table =
        ecoduty_tabular::read(&bytes, ecoduty_tabular::Format::Xlsx, "export.xlsx").unwrap();
    assert_eq!(table.rows.len(), rows.len());

    // An export imported back changes nothing.
    let admin = api(&app, "jz.admin").await;
    let (status, again) = admin
        .call(
            admin
                .request(Method::POST, "/api/v1/roster")
                .header("content-type", "text/csv")
                .body(csv),
        )
        .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["tenures_unchanged"], json!(rows.len()));
    assert_eq!(again["ledger_seq"], Value::Null);
    app.finish().await;
}

on_both_backends!(
    rosters_import_all_or_nothing,
    rosters_export_within_the_region
);
