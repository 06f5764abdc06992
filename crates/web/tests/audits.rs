//! Departure audits through the JSON API and the pages: 焦作市's auditor imports asset
//! accounts (a bad sheet refused naming its line and column, nothing written), opens the audit
//! of an ended tenure from the due list, reads its dossier (the cases left out for him, shown to
//! the discipline body), records a finding that enters the rectification loop, and issues the
//! report; the discipline body opens a case from the finding, proposing the audited leader; the
//! region's administrator may not read audits, another region's discipline body does not find
//! them. On the pages: the list with the due tenures, the audit's page with its dossier and
//! forms, the workbook export, the accounts' import form.

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

/// The first ended tenure due for an audit in 焦作市 (within the last two years, as the list
/// page shows them), as the auditor sees it.
async fn first_due(auditor: &Api) -> Value {
    let (status, due) = auditor.get("/api/v1/audits-due?region=410800").await;
    assert_eq!(status, 200, "{due}");
    due.as_array()
        .and_then(|d| d.first())
        .cloned()
        .expect("the demo roster has ended tenures of audited posts")
}

fn sheet(region: &str) -> String {
    format!(
        "行政区划代码,年度,资源类别,指标,单位,数值,数据来源\n\
         {region},2019,土地资源,耕地面积,公顷,20000,国土调查\n\
         {region},2024,土地资源,耕地面积,公顷,19500,国土调查\n"
    )
}

async fn an_audit_through_the_api(app: TestApp) {
    let auditor = api(&app, "jz.auditor").await;
    let jw = api(&app, "jz.discipline").await;
    let jz = api(&app, "jz.admin").await;
    let xz = api(&app, "xz.discipline").await;

    let due = first_due(&auditor).await;
    let tenure = due["tenure_id"].as_i64().unwrap();
    let person = due["person_id"].as_i64().unwrap();
    let region = due["region_code"].as_str().unwrap().to_string();

    // Accounts: a bad line refuses the whole sheet.
    let bad = format!(
        "{}{region},二〇二五,土地资源,林地面积,公顷,-3,x\n",
        sheet(&region)
    );
    let (status, problem) = auditor
        .post(
            "/api/v1/regions/410800/asset-accounts",
            json!({ "sheet": bad }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let rows = problem["errors"].as_array().expect("rows named");
    assert!(
        rows.iter()
            .any(|r| r["line"] == 4 && r["field"].as_str().unwrap().contains("年度")),
        "{problem}"
    );
    assert!(
        rows.iter()
            .any(|r| r["field"].as_str().unwrap().contains("数值")),
        "{problem}"
    );
    let (_, none) = auditor
        .get(&format!("/api/v1/asset-accounts?region={region}"))
        .await;
    assert_eq!(none, json!([]));
    let (status, done) = auditor
        .post(
            "/api/v1/regions/410800/asset-accounts",
            json!({ "sheet": sheet(&region) }),
        )
        .await;
    assert_eq!((status, done["created"].as_i64()), (200, Some(2)), "{done}");
    let (status, _) = jz
        .post(
            "/api/v1/regions/410800/asset-accounts",
            json!({ "sheet": sheet(&region) }),
        )
        .await;
    assert_eq!(
        status, 403,
        "the region's administrator does not import accounts"
    );

    // The audit.
    assert_eq!(jz.get("/api/v1/audits").await.0, 403);
    let (status, audit) = auditor
        .post(
            &format!("/api/v1/tenures/{tenure}/audit"),
            json!({ "commissioned_by": "中共焦作市委组织部", "team": "审计组" }),
        )
        .await;
    assert_eq!(status, 201, "{audit}");
    assert_eq!(
        (audit["kind"].as_str(), audit["status"].as_str()),
        (Some("departure"), Some("open"))
    );
    let id = audit["id"].as_i64().unwrap();
    let (status, again) = auditor
        .post(
            &format!("/api/v1/tenures/{tenure}/audit"),
            json!({ "commissioned_by": "组织部" }),
        )
        .await;
    assert_eq!(status, 422, "one audit per tenure: {again}");
    assert_eq!(jz.get(&format!("/api/v1/audits/{id}")).await.0, 403);
    assert_eq!(xz.get(&format!("/api/v1/audits/{id}")).await.0, 404);
    let (_, xz_list) = xz.get("/api/v1/audits").await;
    assert_eq!(xz_list, json!([]));

    let (status, d) = auditor.get(&format!("/api/v1/audits/{id}/dossier")).await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["person"]["id"].as_i64(), Some(person));
    assert_eq!(d["cases_withheld"], true, "an auditor does not read cases");

    // A finding: into the rectification loop.
    let (status, problem) = auditor
        .post(
            &format!("/api/v1/audits/{id}/findings"),
            json!({ "text": "耕地减少", "severity": "serious", "deadline": "2000-01-01" }),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("deadline")),
        "{problem}"
    );
    let (status, recorded) = auditor
        .post(
            &format!("/api/v1/audits/{id}/findings"),
            json!({ "text": "任期内耕地面积减少 500 公顷,占补平衡未落实", "severity": "serious", "deadline": "2099-12-31" }),
        )
        .await;
    assert_eq!(status, 201, "{recorded}");
    let finding = recorded["finding_id"].as_i64().unwrap();
    let (_, f) = auditor.get(&format!("/api/v1/findings/{finding}")).await;
    let f = &f["finding"];
    assert_eq!(
        (f["source"].as_str(), f["status"].as_str()),
        (Some("audit"), Some("assigned")),
        "{f}"
    );

    // A case from it, by the discipline body only: the audited leader is proposed.
    let (status, _) = auditor
        .post(
            &format!("/api/v1/audits/{id}/cases"),
            json!({ "number": 1 }),
        )
        .await;
    assert_eq!(status, 403);
    let (status, case) = jw
        .post(
            &format!("/api/v1/audits/{id}/cases"),
            json!({ "number": 1 }),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let proposed = case["persons"].as_array().unwrap();
    let p = proposed
        .iter()
        .find(|p| p["person_id"].as_i64() == Some(person))
        .expect("the audited leader is proposed");
    assert_eq!(p["tenure_id"].as_i64(), Some(tenure));
    let (_, d) = jw.get(&format!("/api/v1/audits/{id}/dossier")).await;
    assert_eq!(d["cases_withheld"], false);
    assert_eq!(d["cases"].as_array().unwrap().len(), 1, "{d}");

    // The report ends it.
    let (status, reported) = auditor
        .post(
            &format!("/api/v1/audits/{id}/report"),
            json!({ "document_no": "焦审报〔2026〕1号", "summary": "耕地保护责任落实不到位", "sent_to": ["组织部", "纪委监委"] }),
        )
        .await;
    assert_eq!(
        (status, reported["status"].as_str()),
        (200, Some("reported")),
        "{reported}"
    );
    let (status, _) = auditor
        .post(
            &format!("/api/v1/audits/{id}/findings"),
            json!({ "text": "再记一条", "severity": "general", "deadline": "2099-12-31" }),
        )
        .await;
    assert_eq!(status, 422);
    let (_, history) = auditor.get(&format!("/api/v1/audits/{id}/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 3);
    let (_, listed) = jw.get("/api/v1/audits?status=reported").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, due) = auditor
        .get("/api/v1/audits-due?region=410800&from=2000-01-01")
        .await;
    assert!(due
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["tenure_id"].as_i64() != Some(tenure)));
    app.finish().await;
}

async fn text(res: reqwest::Response) -> String {
    res.text().await.unwrap()
}

async fn an_audit_on_the_pages(app: TestApp) {
    let auditor = api(&app, "jz.auditor").await;
    let due = first_due(&auditor).await;
    let tenure = due["tenure_id"].as_i64().unwrap();
    let region = due["region_code"].as_str().unwrap().to_string();
    let (c, csrf) = app.sign_in("jz.auditor").await;

    let home = text(c.get(app.at("/")).send().await.unwrap()).await;
    assert!(
        home.contains("href=\"/audits\""),
        "the navigation offers audits"
    );
    let html = text(c.get(app.at("/audits")).send().await.unwrap()).await;
    assert!(
        html.contains(&format!("data-tenure=\"{tenure}\"")),
        "{html}"
    );

    // The accounts' import form: a bad sheet answers 422 naming the file, line and column.
    let html = text(c.get(app.at("/asset-accounts")).send().await.unwrap()).await;
    assert!(html.contains("id=\"assets-import-form\""));
    let upload = |body: String| {
        Form::new().text("csrf", csrf.clone()).part(
            "sheet",
            Part::bytes(body.into_bytes()).file_name("资产账户.csv"),
        )
    };
    let res = c
        .post(app.at("/asset-accounts/import"))
        .multipart(upload(format!(
            "{}{region},2024,土地,耕地面积,,1,x\n",
            sheet(&region)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = text(res).await;
    assert!(html.contains("资产账户.csv · 单位"), "{html}");
    let res = c
        .post(app.at("/asset-accounts/import"))
        .multipart(upload(sheet(&region)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = text(
        c.get(app.at(&format!("/asset-accounts?region={region}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        html.contains(&format!("data-region=\"{region}\" data-year=\"2024\"")),
        "{html}"
    );
    let csv = text(
        c.get(app.at(&format!("/asset-accounts/export.csv?region={region}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        csv.contains("行政区划代码,年度,资源类别") && csv.contains("19500"),
        "{csv}"
    );

    // Open the audit from the due list.
    let res = c
        .post(app.at("/audits"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("tenure_id", &tenure.to_string()),
            ("commissioned_by", "中共焦作市委组织部"),
            ("team", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = res.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let html = text(c.get(app.at(&page)).send().await.unwrap()).await;
    assert!(
        html.contains("id=\"dossier\"") && html.contains("id=\"dossier-assets\""),
        "{html}"
    );
    assert!(html.contains("id=\"dossier-cases-withheld\""));
    assert!(html.contains("19500"), "the account at the end: {html}");

    // A finding through the form, then the report.
    let res = c
        .post(app.at(&format!("{page}/act")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "finding"),
            ("text", "任期内耕地面积减少 500 公顷"),
            ("category", ""),
            ("severity", "serious"),
            ("measures", ""),
            ("deadline", "2099-12-31"),
            ("act_date", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = text(c.get(app.at(&page)).send().await.unwrap()).await;
    assert!(html.contains("任期内耕地面积减少 500 公顷"), "{html}");
    assert!(!html.contains("移送追责"), "an auditor does not open cases");
    let res = c
        .get(app.at(&format!("{page}/dossier.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let bytes = res.bytes().await.unwrap();
    let table =
        ecoduty_tabular::read(&bytes, ecoduty_tabular::Format::Xlsx, "dossier.xlsx").unwrap();
    assert!(
        table.rows.iter().any(|(_, r)| r[0] == "审计发现"),
        "{table:?}"
    );
    let res = c
        .post(app.at(&format!("{page}/act")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "report"),
            ("document_no", "焦审报〔2026〕2号"),
            ("summary", "耕地保护不到位"),
            ("sent_to", "组织部、纪委监委"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = text(c.get(app.at(&page)).send().await.unwrap()).await;
    assert!(
        html.contains("data-status=\"reported\"") && !html.contains("id=\"audit-finding-form\"")
    );

    // The discipline body sees the case button and the dossier's cases; the region's
    // administrator is refused.
    let (jw, jw_csrf) = app.sign_in("jz.discipline").await;
    let html = text(jw.get(app.at(&page)).send().await.unwrap()).await;
    assert!(html.contains("移送追责") && !html.contains("dossier-cases-withheld"));
    let res = jw
        .post(app.at(&format!("{page}/act")))
        .form(&[
            ("csrf", jw_csrf.as_str()),
            ("action", "case"),
            ("number", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/cases/"));
    let (admin, _) = app.sign_in("jz.admin").await;
    assert_eq!(
        admin.get(app.at("/audits")).send().await.unwrap().status(),
        403
    );
    assert_eq!(admin.get(app.at(&page)).send().await.unwrap().status(), 403);
    assert_eq!(
        admin
            .get(app.at(&format!("/tenures/{tenure}/dossier")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    app.finish().await;
}

on_both_backends!(an_audit_through_the_api, an_audit_on_the_pages);
