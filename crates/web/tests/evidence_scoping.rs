//! A digest grants nothing (issue 14 §1): a user may cite, in a record of their own region, only
//! an evidence file they may already read — one they uploaded, or one a record of their region
//! cites. Another region's file, or a complaint's confidential attachment, is refused exactly
//! like an unknown digest (no existence oracle), and stays unreadable. Every API route that
//! takes a reference to a stored file is tried: closure requests, progress reports and
//! assessment entries. Uploading the same bytes oneself makes the file one's own to cite.

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

async fn upload(api: &Api, name: &str, bytes: Vec<u8>) -> Value {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    let (status, stored) = api
        .call(
            api.request(reqwest::Method::POST, "/api/v1/evidence")
                .multipart(form),
        )
        .await;
    assert_eq!(status, 201, "{stored}");
    stored["reference"].clone()
}

/// The refusal's detail without the file's name and digest, to compare refusals.
fn refusal(p: &Value) -> String {
    assert_eq!(p["field"], "evidence", "{p}");
    let d = p["detail"].as_str().unwrap();
    d[d.find(") ").expect("name (digest) …")..].to_string()
}

/// A request body around one evidence reference.
type Body = Box<dyn Fn(Value) -> Value>;

async fn a_digest_grants_nothing(app: TestApp) {
    let jz = api(&app, "jz.admin").await;
    let xz = api(&app, "xz.admin").await;
    let foreign = common::supervision_records(&app, "410800").await;
    let own = common::supervision_records(&app, "451322").await;

    // 焦作市's files: one uploaded by its administrator, a complaint's attachment.
    let pdf = "%PDF-1.7\n% 焦作市 整改验收报告\n".as_bytes().to_vec();
    let uploaded = upload(&jz, "验收报告.pdf", pdf.clone()).await;
    let complaint = jz
        .ok(&format!("/api/v1/complaints/{}", foreign.complaint))
        .await;
    let attachment = json!({
        "sha256": complaint["attachments"][0]["sha256"],
        "name": "夜间施工.png",
    });
    assert!(attachment["sha256"].is_string(), "{complaint}");
    let unknown = json!({"sha256": "ab".repeat(32), "name": "none.pdf"});

    // Every route that takes a reference, with each foreign file and an unknown digest.
    let routes: Vec<(String, Body)> = vec![
        (
            format!("/api/v1/findings/{}/request-closure", own.finding),
            Box::new(|e| json!({"evidence": [e], "comment": "已整改"})),
        ),
        (
            format!("/api/v1/tasks/{}/progress", own.task),
            Box::new(|e| json!({"text": "已完成", "percent": 100, "evidence": [e]})),
        ),
    ];
    for (path, body) in &routes {
        let (status, p) = xz.post(path, body(unknown.clone())).await;
        assert_eq!(status, 422, "{path}: {p}");
        let expected = refusal(&p);
        for file in [&uploaded, &attachment] {
            let (status, p) = xz.post(path, body(file.clone())).await;
            assert_eq!(status, 422, "{path} accepted a foreign file: {p}");
            assert_eq!(
                refusal(&p),
                expected,
                "{path}: the same answer as an unknown digest"
            );
        }
    }
    for file in [&uploaded, &attachment] {
        let sha = file["sha256"].as_str().unwrap();
        assert_eq!(xz.get(&format!("/api/v1/evidence/{sha}")).await.0, 404);
    }

    // An assessment entry of 象州县's own scheme, likewise.
    let sheet = "序号,项目,项目类型,考核内容,分值,评分标准,负责考核部门,规则类型,参数,条款\n\
                 1,满意度,基本项,群众满意度,100,按调查,县委督查室,manual,,\n";
    let township = app
        .store
        .region_children(&ecoduty_domain::RegionCode::parse("451322").unwrap())
        .await
        .unwrap()[0]
        .code
        .to_string();
    let (status, p) = xz
        .post(
            "/api/v1/regions/451322/assessments",
            json!({"year": 2025, "sheet": sheet}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    let entry = |e: Value| json!({"unit": township, "item": "1", "points": 90, "reason": "满意度调查", "evidence": [e]});
    let (status, p) = xz
        .post(
            "/api/v1/regions/451322/assessments/2025/entries",
            entry(uploaded.clone()),
        )
        .await;
    assert_eq!(status, 422, "an entry cited a foreign file: {p}");

    // The same bytes uploaded by 象州县's administrator are theirs to cite.
    let mine = upload(&xz, "验收报告.pdf", pdf).await;
    assert_eq!(mine["sha256"], uploaded["sha256"]);
    let (status, p) = xz.post(&routes[1].0, routes[1].1(mine.clone())).await;
    assert_eq!(status, 201, "{p}");
    let (status, p) = xz
        .post(
            "/api/v1/regions/451322/assessments/2025/entries",
            entry(mine.clone()),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    let sha = mine["sha256"].as_str().unwrap();
    let res = xz
        .request(reqwest::Method::GET, &format!("/api/v1/evidence/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The complaint's attachment stays out of reach.
    let sha = attachment["sha256"].as_str().unwrap();
    assert_eq!(xz.get(&format!("/api/v1/evidence/{sha}")).await.0, 404);
    app.finish().await;
}

on_both_backends!(a_digest_grants_nothing);
