//! What holds for the whole API: every route that needs a permission refuses an in-region
//! caller without it (403, before the body is read); every error is problem details — unknown
//! paths, wrong methods, malformed bodies and queries; cookie sessions need the CSRF header on
//! writes; and /me tells the caller who they are.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use ecoduty_domain::RegionCode;
use ecoduty_web::routes::{self, Access, Names};
use reqwest::Method;
use serde_json::json;

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

/// A path with its parameters pointing at records of 孟州市 (410883).
async fn in_region_path(
    app: &TestApp,
    path: &str,
    names: Names,
    sup: &common::SupervisionRecords,
) -> String {
    let s = &app.store;
    let code = RegionCode::parse("410883").unwrap();
    let holding = s
        .who(&code, chrono::Local::now().date_naive(), None)
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.holder.is_some())
        .unwrap();
    let holder = holding.holder.unwrap();
    let value = match names {
        Names::Region => "410883".to_string(),
        Names::Organisation => holding.organisation.id.to_string(),
        Names::Post => holding.post.id.to_string(),
        Names::Person => holder.person.id.to_string(),
        Names::Tenure => holder.tenure.id.to_string(),
        Names::Plan => sup.plan.to_string(),
        Names::Task => sup.task.to_string(),
        Names::DispatchRound => sup.round.to_string(),
        Names::Inspection => sup.inspection.to_string(),
        Names::Finding => sup.finding.to_string(),
        Names::Evidence => sup.evidence.clone(),
        Names::Check => sup.check.to_string(),
        Names::Complaint => sup.complaint.to_string(),
        Names::Emergency => sup.emergency.to_string(),
        Names::Case => sup.case.to_string(),
        Names::ZoningUnit => sup.zoning_unit.clone(),
        Names::ZoningCheck => sup.zoning_check.to_string(),
        Names::Audit => sup.audit.to_string(),
        Names::Water => sup.water.clone(),
        Names::Chief => sup.chief.to_string(),
        Names::Patrol => sup.patrol.to_string(),
        _ => "1".to_string(),
    };
    let mut out = path.to_string();
    while let Some(start) = out.find('{') {
        let end = out[start..].find('}').unwrap() + start;
        out.replace_range(start..=end, &value);
    }
    out
}

async fn every_permission_is_checked_before_the_body(app: TestApp) {
    // jz.leader reaches 孟州市 but may only read.
    let leader = api(&app, "jz.leader").await;
    let sup = common::supervision_records(&app, "410883").await;
    let mut checked = 0;
    for r in routes::all().into_iter().filter(|r| r.api) {
        let Access::Needs(p) = r.access else { continue };
        assert!(!ecoduty_domain::access::allows(
            ecoduty_domain::access::UserRole::Leader,
            p
        ));
        let path = in_region_path(&app, r.path, r.names, &sup).await;
        let method = Method::from_bytes(r.method.as_bytes()).unwrap();
        // A malformed body would be 422 if it were read before the permission was checked.
        let (status, problem) = leader
            .call(
                leader
                    .request(method, &path)
                    .header("content-type", "application/json")
                    .body("{not json"),
            )
            .await;
        assert_eq!(status, 403, "{} {}: {problem}", r.method, r.path);
        assert_eq!(problem["type"], "/problems/forbidden");
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
    app.finish().await;
}

async fn errors_are_problem_details(app: TestApp) {
    let jz = api(&app, "jz.admin").await;
    let (status, problem) = jz.get("/api/v1/no-such-thing").await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (404, Some("/problems/not-found"))
    );
    let (status, _) = jz.get("/api/v1/regions/410800/nothing-here").await;
    assert_eq!(status, 404);
    let (status, _) = jz.get("/api/v1/posts/not-a-number").await;
    assert_eq!(status, 404);
    let (status, _) = jz.get("/api/v1/regions/99").await;
    assert_eq!(status, 404);

    let res = jz
        .request(Method::DELETE, "/api/v1/regions/410800/organisations")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "GET, POST");
    let (status, problem) = jz.call(jz.request(Method::PUT, "/api/v1/people")).await;
    assert_eq!(status, 405);
    assert_eq!(problem["detail"], "this path answers GET, POST");

    let (status, problem) = jz
        .call(
            jz.request(Method::POST, "/api/v1/people")
                .header("content-type", "application/json")
                .body("{\"name\": "),
        )
        .await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("body")));
    let (status, problem) = jz.post("/api/v1/people", json!({"name": 7})).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("body")));
    let (status, _) = jz
        .call(jz.request(Method::POST, "/api/v1/people").body("name=x"))
        .await;
    assert_eq!(status, 422, "a body that is not JSON");
    // NUL characters (which PostgreSQL cannot store) are refused, in bodies and queries.
    let (status, problem) = jz.post("/api/v1/people", json!({"name": "a\u{0}b"})).await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("body")));
    let (status, problem) = jz.get("/api/v1/people?q=a%00b").await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("query")));
    let (status, problem) = jz.get("/api/v1/people?limit=many").await;
    assert_eq!((status, problem["field"].as_str()), (422, Some("query")));
    for at in ["2025-02-30", ""] {
        let (status, problem) = jz.get(&format!("/api/v1/regions/410800/who?at={at}")).await;
        assert_eq!(
            (status, problem["field"].as_str()),
            (422, Some("at")),
            "at={at}"
        );
    }

    // Anonymous, and a browser session without its CSRF header.
    let anonymous = reqwest::Client::new();
    let res = anonymous.get(app.at("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let (browser, csrf) = app.sign_in("jz.admin").await;
    let body = json!({"name": "会话测试"});
    let res = browser
        .post(app.at("/api/v1/people"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/csrf");
    let res = browser
        .post(app.at("/api/v1/people"))
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let me: serde_json::Value = browser
        .get(app.at("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["token"], false);
    app.finish().await;
}

async fn me_tells_the_caller_who_they_are(app: TestApp) {
    let me = api(&app, "jz.auditor").await.ok("/api/v1/me").await;
    assert_eq!(me["user"]["username"], "jz.auditor");
    assert_eq!(me["role"], "auditor");
    assert_eq!(me["role_name_zh"], "审计人员");
    assert_eq!(me["permissions"], json!(["read_records", "read_ledger"]));
    assert_eq!(me["nationwide"], false);
    assert_eq!(me["region"]["name"], "焦作市");
    assert_eq!(me["token"], true);
    let admin = api(&app, "admin").await.ok("/api/v1/me").await;
    assert_eq!(admin["nationwide"], true);
    assert_eq!(admin["region"], serde_json::Value::Null);
    assert_eq!(admin["permissions"].as_array().unwrap().len(), 5);
    app.finish().await;
}

on_both_backends!(
    every_permission_is_checked_before_the_body,
    errors_are_problem_details,
    me_tells_the_caller_who_they_are,
);

/// A request stopped by the server's timeout is answered like every other error: problem
/// details from the API, the error page elsewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_is_answered_as_problem_details() {
    let config = ecoduty_web::Config {
        request_timeout: std::time::Duration::from_nanos(1),
        ..ecoduty_web::Config::default()
    };
    let app = TestApp::start(false, config).await;
    let token = app.token("jz.admin").await;
    // A handler whose every step is ready at its first poll can finish before the timer is
    // looked at (tokio's timeout polls the work first), which happens on a loaded machine; so
    // the request is one that works long (verifying the whole ledger: many reads, each a
    // chance for the timer), and it is repeated until the timeout answers — it must, within
    // 100.
    let mut res = None;
    for _ in 0..100 {
        let r = reqwest::Client::new()
            .post(app.at("/api/v1/ledger/verify"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if r.status() == 408 {
            res = Some(r);
            break;
        }
        assert_eq!(r.status(), 200, "either answered in time or timed out");
    }
    let res = res.expect("a 1 ns timeout answers 408 at least once in 100 requests");
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/timeout");
    assert_eq!(problem["status"], 408);
    let mut page = None;
    for _ in 0..100 {
        let r = reqwest::Client::new()
            .get(app.at("/regulation"))
            .send()
            .await
            .unwrap();
        if r.status() == 408 {
            page = Some(r);
            break;
        }
    }
    let page = page.expect("the page times out at least once in 100 requests");
    assert!(page.text().await.unwrap().contains("请求处理时间过长"));
    app.finish().await;
}
