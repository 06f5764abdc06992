//! Accountability cases through the JSON API: 焦作市's discipline body opens a case in 孟州市
//! and gets the persons the system proposes from who held the answering posts on the matter's
//! date; takes it up, confirms one and removes the rest, records a ground; the decision is
//! refused to the investigator (查处分离) and taken by another; the person's cases show the
//! influence period. Confidentiality: the region's administrator, leader and auditor cannot
//! read the case (nor find it in the ledger's listings), another region's discipline body
//! cannot see it, and every read is in the log the auditor reviews.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

async fn a_case_lives_through_the_api_and_stays_confidential(app: TestApp) {
    let jw = api(&app, "jz.discipline").await;
    let admin = api(&app, "admin").await;
    let jz = api(&app, "jz.admin").await;
    let auditor = api(&app, "jz.auditor").await;
    let leader = api(&app, "jz.leader").await;
    let xz = api(&app, "xz.discipline").await;

    let (status, problem) = jw
        .post(
            "/api/v1/regions/410883/cases",
            json!({"source": "manual", "title": "孟州市整改不力问题", "summary": "群众反映", "act_dates": []}),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("act_dates")),
        "{problem}"
    );
    let (status, case) = jw
        .post(
            "/api/v1/regions/410883/cases",
            json!({"source": "manual", "title": "孟州市整改不力问题", "summary": "群众反映整改不力",
                   "act_dates": ["2025-08-15"], "opened_on": "2025-09-01"}),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_i64().unwrap();
    assert_eq!(case["status"], "clue");
    let persons = case["persons"].as_array().unwrap();
    assert!(!persons.is_empty(), "{case}");
    assert!(persons.iter().all(|p| p["dates"] == json!(["2025-08-15"])));
    assert!(
        persons.iter().any(|p| p["degree"] == "first_responsible"),
        "{case}"
    );
    let first = persons[0]["person_id"].as_i64().unwrap();

    // Who may read it: the discipline body and system administrators; not the region's
    // administrator, leader or auditor (refused before the case is looked up), not another
    // region's discipline body.
    assert_eq!(jw.get(&format!("/api/v1/cases/{id}")).await.0, 200);
    assert_eq!(admin.get(&format!("/api/v1/cases/{id}")).await.0, 200);
    for (who, caller) in [
        ("region admin", &jz),
        ("leader", &leader),
        ("auditor", &auditor),
    ] {
        assert_eq!(
            caller.get(&format!("/api/v1/cases/{id}")).await.0,
            403,
            "{who}"
        );
        assert_eq!(
            caller.get("/api/v1/cases/999999").await.0,
            403,
            "{who}: no id is revealed"
        );
        assert_eq!(caller.get("/api/v1/cases").await.0, 403, "{who}");
    }
    assert_eq!(xz.get(&format!("/api/v1/cases/{id}")).await.0, 404);
    let (_, list) = xz.get("/api/v1/cases").await;
    assert_eq!(list, json!([]));
    let (status, listed) = jw.get("/api/v1/cases?region=410883&status=clue").await;
    assert_eq!((status, listed.as_array().unwrap().len()), (200, 1));

    // The investigation.
    let (status, taken) = jw
        .post(&format!("/api/v1/cases/{id}/take-up"), json!({}))
        .await;
    assert_eq!(
        (status, taken["investigator"].as_str()),
        (200, Some("user:jz.discipline"))
    );
    for p in persons {
        let pid = p["person_id"].as_i64().unwrap();
        let (state, reason) = if pid == first {
            ("confirmed", "时任主要负责人")
        } else {
            ("removed", "不负有责任")
        };
        let (status, body) = jw
            .post(
                &format!("/api/v1/cases/{id}/persons"),
                json!({"person_id": pid, "state": state, "reason": reason}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, problem) = jw
        .post(
            &format!("/api/v1/cases/{id}/grounds"),
            json!({"person_id": first, "item": 7, "facts": "x"}),
        )
        .await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("item")));
    let (status, body) = jw
        .post(
            &format!("/api/v1/cases/{id}/grounds"),
            json!({"person_id": first, "item": 2, "facts": "整改敷衍塞责"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = jw
        .post(
            &format!("/api/v1/cases/{id}/circumstances"),
            json!({"person_id": first, "circumstance": "cooperated", "facts": "主动说明情况"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let decision = json!({
        "document_no": "焦纪发〔2025〕8号", "body": "中共焦作市纪律检查委员会",
        "decided_on": "2025-10-01", "effective_on": "2025-10-01", "appeal_days": 30,
        "appeal_body": "中共河南省纪律检查委员会", "text": "经查……",
        "outcomes": [{"person_id": first, "forms": ["admonition"], "no_promotion_until": "2099-12-31"}]
    });
    let (status, problem) = jw
        .post(&format!("/api/v1/cases/{id}/decision"), decision.clone())
        .await;
    assert_eq!(status, 422);
    assert!(
        problem["detail"].as_str().unwrap().contains("查处分离"),
        "{problem}"
    );
    let (status, decided) = admin
        .post(&format!("/api/v1/cases/{id}/decision"), decision)
        .await;
    assert_eq!(
        (status, decided["status"].as_str()),
        (200, Some("decided")),
        "{decided}"
    );
    let (_, record) = jw.get(&format!("/api/v1/people/{first}/cases")).await;
    assert_eq!(record[0]["case_id"], id);
    assert_eq!(record[0]["influence_in_force"], true);
    assert_eq!(
        jz.get(&format!("/api/v1/people/{first}/cases")).await.0,
        403
    );
    let (_, history) = jw.get(&format!("/api/v1/cases/{id}/history")).await;
    assert_eq!(
        history.as_array().unwrap().len() as i64,
        decided["rev"].as_i64().unwrap()
    );

    // The ledger's listings: the administrator does not see the case's entries.
    let (_, seen) = jz.get("/api/v1/ledger?entity=accountability_case").await;
    assert_eq!(seen["items"], json!([]), "{seen}");
    let (_, seen) = admin.get("/api/v1/ledger?entity=accountability_case").await;
    assert!(!seen["items"].as_array().unwrap().is_empty());

    // The read log, for the auditor (who reads no case).
    let (status, reads) = auditor.get(&format!("/api/v1/case-reads?case={id}")).await;
    assert_eq!(status, 200, "{reads}");
    let readers: Vec<&str> = reads
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["username"].as_str().unwrap())
        .collect();
    assert!(
        readers.contains(&"jz.discipline") && readers.contains(&"admin"),
        "{readers:?}"
    );
    assert!(
        !readers.contains(&"jz.admin"),
        "a refused read reads nothing"
    );
    assert_eq!(jw.get("/api/v1/case-reads").await.0, 403);

    // The document describes the routes.
    let doc: Value = reqwest::get(app.at("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/cases/{id}/decision"]["post"].is_object());
    assert!(doc["components"]["schemas"]["CaseStatus"]["enum"]
        .to_string()
        .contains("archived"));

    let report = app.store.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    app.finish().await;
}

async fn a_case_works_on_the_pages(app: TestApp) {
    let (c, csrf) = app.sign_in("jz.discipline").await;
    let text = |r: reqwest::Response| async { r.text().await.unwrap() };
    let html = text(c.get(app.at("/cases")).send().await.unwrap()).await;
    assert!(html.contains("id=\"open-case\""), "{html}");
    assert!(
        html.contains("href=\"/cases\""),
        "the navigation offers cases"
    );
    // A case by hand needs its date: refused, naming the field, nothing written.
    let form = |date: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("region", "410883".to_string()),
            ("source", "manual".to_string()),
            ("source_id", String::new()),
            ("title", "孟州市整改不力问题".to_string()),
            ("summary", "群众反映".to_string()),
            ("act_date", date.to_string()),
        ]
    };
    let res = c
        .post(app.at("/cases"))
        .form(&form(""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("act_dates"));
    let res = c
        .post(app.at("/cases"))
        .form(&form("2025-08-15"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = location.split('?').next().unwrap().to_string();
    let id: i64 = page.trim_start_matches("/cases/").parse().unwrap();
    let html = text(c.get(app.at(&location)).send().await.unwrap()).await;
    assert!(
        html.contains("data-status=\"clue\"") && html.contains("id=\"take-up\""),
        "{html}"
    );
    let case = app.store.require_case(id).await.unwrap();
    let first = case.data.persons[0].person_id;
    let post = |fields: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = app.at(&format!("{page}/investigate"));
        async move { c.post(url).form(&fields).send().await.unwrap() }
    };
    let res = post(vec![("csrf", csrf.clone()), ("action", "take_up".into())]).await;
    assert_eq!(res.status(), 303);
    let res = post(vec![
        ("csrf", csrf.clone()),
        ("action", "ground".into()),
        ("person_id", first.to_string()),
        ("item", "2".into()),
        ("text", "整改敷衍".into()),
    ])
    .await;
    assert_eq!(
        res.status(),
        422,
        "a ground needs the person confirmed first"
    );
    assert!(text(res).await.contains("先确认"));
    for (action, value) in [("confirm", "时任主要负责人"), ("ground", "整改敷衍塞责")]
    {
        let res = post(vec![
            ("csrf", csrf.clone()),
            ("action", action.into()),
            ("person_id", first.to_string()),
            ("item", "2".into()),
            ("text", value.into()),
        ])
        .await;
        assert_eq!(res.status(), 303, "{action}");
    }
    let person_page = text(
        c.get(app.at(&format!("/people/{first}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        person_page.contains(&format!("data-case=\"{id}\"")),
        "the person's page lists the case"
    );
    let (officer, _) = app.sign_in("mz.officer").await;
    let other = text(
        officer
            .get(app.at(&format!("/people/{first}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        !other.contains("person-cases"),
        "not for roles that may not read cases"
    );
    let html = text(c.get(app.at(&page)).send().await.unwrap()).await;
    assert!(
        html.contains("第十七条第二项") && html.contains("整改敷衍塞责"),
        "{html}"
    );
    assert!(html.contains(&format!("data-person=\"{first}\" data-state=\"confirmed\"")));
    let res = c
        .get(app.at(&format!("{page}/export.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let rows = ecoduty_tabular::read(
        &res.bytes().await.unwrap(),
        ecoduty_tabular::Format::Xlsx,
        "case.xlsx",
    )
    .unwrap();
    assert_eq!(rows.rows.len(), case.data.persons.len());

    // Others: the region's administrator is refused and not offered the link; the auditor
    // sees who read it.
    let (admin, _) = app.sign_in("jz.admin").await;
    assert_eq!(admin.get(app.at(&page)).send().await.unwrap().status(), 403);
    assert_eq!(
        admin.get(app.at("/cases")).send().await.unwrap().status(),
        403
    );
    let home = text(admin.get(app.at("/")).send().await.unwrap()).await;
    assert!(!home.contains("href=\"/cases\""));
    let (auditor, _) = app.sign_in("jz.auditor").await;
    let html = text(auditor.get(app.at("/case-reads")).send().await.unwrap()).await;
    assert!(
        html.contains("jz.discipline") && html.contains(&format!("#{id}")),
        "{html}"
    );
    assert!(html.contains("export"), "the export was logged");
    assert_eq!(
        auditor.get(app.at(&page)).send().await.unwrap().status(),
        403
    );
    app.finish().await;
}

on_both_backends!(
    a_case_lives_through_the_api_and_stays_confidential,
    a_case_works_on_the_pages
);
