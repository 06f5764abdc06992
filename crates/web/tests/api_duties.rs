//! Responsibility lists and local duties through the API, and the regulation: its versions,
//! importing a new one, and the difference between two.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

fn sources(list: &Value) -> Vec<(String, String)> {
    list["duties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["source"].as_str().unwrap().to_string(),
                d["citation"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn responsibility_lists_and_local_duties(app: TestApp) {
    let leader = api(&app, "jz.leader").await;
    let jz = api(&app, "jz.admin").await;
    let xz = api(&app, "xz.admin").await;

    let list = leader
        .ok("/api/v1/regions/410800/duties?role=deputy_eco")
        .await;
    assert_eq!(list["role"], "deputy_eco");
    assert_eq!(list["regulation"]["builtin"], true);
    let src = sources(&list);
    assert!(
        src.iter()
            .any(|(s, c)| s == "regulation" && c.starts_with("第八条")),
        "{src:?}"
    );
    assert!(
        src.iter().any(|(s, _)| s == "local"),
        "the demo's local duty"
    );
    let (status, bad) = leader.get("/api/v1/regions/410800/duties").await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("role")));
    let (status, bad) = leader.get("/api/v1/regions/410800/duties?role=mayor").await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("query")));
    let (status, _) = xz
        .get("/api/v1/regions/410800/duties?role=deputy_eco")
        .await;
    assert_eq!(status, 404);

    // A post's list names its holder on the date; a county's deputy inherits the city's duty.
    let who = leader.ok("/api/v1/regions/410883/who").await;
    let held = who["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| {
            !h["holder"].is_null()
                && ["deputy_eco", "sector_department_head"]
                    .contains(&h["post"]["role"].as_str().unwrap())
        })
        .expect("孟州市 has a deputy or department head in post today");
    let post_id = held["post"]["id"].as_i64().unwrap();
    let role = held["post"]["role"].as_str().unwrap().to_string();
    let by_post = leader.ok(&format!("/api/v1/posts/{post_id}/duties")).await;
    assert_eq!(by_post["post"]["id"], post_id);
    assert_eq!(by_post["holder"]["person"], held["holder"]["person"]);
    assert!(sources(&by_post).iter().any(|(s, _)| s == "local"));
    let same = leader
        .ok(&format!("/api/v1/regions/410883/duties?post={post_id}"))
        .await;
    assert_eq!(same["duties"], by_post["duties"]);
    let (status, bad) = leader
        .get(&format!("/api/v1/regions/410800/duties?post={post_id}"))
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("post")));
    let before_2025 = leader
        .ok(&format!("/api/v1/posts/{post_id}/duties?at=2020-01-01"))
        .await;
    assert_eq!(before_2025["regulation"], Value::Null, "not yet in force");

    // Local duties of 孟州市: added, revised, retired.
    let duty = json!({"role": role, "text": "牵头黄河湿地保护", "basis": "孟州市责任清单(测试)"});
    let (status, _) = leader
        .post("/api/v1/regions/410883/local-duties", duty.clone())
        .await;
    assert_eq!(status, 403);
    let (status, _) = xz
        .post("/api/v1/regions/410883/local-duties", duty.clone())
        .await;
    assert_eq!(status, 404);
    let (status, bad) = jz
        .post(
            "/api/v1/regions/410883/local-duties",
            json!({"role": "deputy_eco", "text": "无依据", "basis": " "}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("duty")));
    let (status, added) = jz.post("/api/v1/regions/410883/local-duties", duty).await;
    assert_eq!(status, 201, "{added}");
    let id = added["id"].as_i64().unwrap();
    let listed = leader.ok("/api/v1/regions/410883/local-duties").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let now = leader.ok(&format!("/api/v1/posts/{post_id}/duties")).await;
    assert!(now["duties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["text"] == "牵头黄河湿地保护"));

    let path = format!("/api/v1/regions/410883/local-duties/{id}");
    let (status, _) = jz
        .patch(
            &format!("/api/v1/regions/410800/local-duties/{id}"),
            json!({"text": "别处"}),
        )
        .await;
    assert_eq!(status, 404, "a duty is revised under its own region");
    let (status, _) = leader.patch(&path, json!({"text": "改"})).await;
    assert_eq!(status, 403);
    let (status, _) = xz.patch(&path, json!({"text": "改"})).await;
    assert_eq!(status, 404);
    let (status, revised) = jz
        .patch(
            &path,
            json!({"text": "牵头黄河湿地保护和修复", "reason": "措辞"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(revised["rev"], 2);
    let (status, retired) = jz
        .patch(&path, json!({"retired": true, "reason": "职责调整"}))
        .await;
    assert_eq!((status, &retired["retired"]), (200, &json!(true)));
    assert_eq!(
        leader.ok("/api/v1/regions/410883/local-duties").await,
        json!([])
    );
    let all = leader
        .ok("/api/v1/regions/410883/local-duties?include_retired=true")
        .await;
    assert_eq!(all[0]["rev"], 3);
    let log = app
        .store
        .entity_log("local_duty", &id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["create", "update", "retire"]);
    app.finish().await;
}

async fn regulation_versions_imports_and_diffs(app: TestApp) {
    let leader = api(&app, "jz.leader").await;
    let jz = api(&app, "jz.admin").await;
    let admin = api(&app, "admin").await;

    let versions = leader.ok("/api/v1/regulation/versions").await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    let v1 = leader.ok("/api/v1/regulation/versions/1").await;
    assert_eq!(v1["structure"]["chapters"].as_array().unwrap().len(), 4);
    assert!(v1["duties"].as_array().unwrap().len() > 20);
    let (status, _) = leader.get("/api/v1/regulation/versions/99").await;
    assert_eq!(status, 404);

    let text = ecoduty_regulation::BUILTIN_TEXT.replace("制定本规定。", "特制定本规定。");
    assert_ne!(text, ecoduty_regulation::BUILTIN_TEXT);
    let new = json!({
        "text": text,
        "source_name": "测试修订稿",
        "label": "2030 修订(测试)",
        "effective_from": "2030-01-01",
        "reason": "测试导入"
    });
    let (status, _) = jz.post("/api/v1/regulation/versions", new.clone()).await;
    assert_eq!(status, 403, "only system administrators import");
    let (status, bad) = admin
        .post("/api/v1/regulation/versions", json!({"text": "这不是法规"}))
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("text")));
    let (status, v2) = admin.post("/api/v1/regulation/versions", new.clone()).await;
    assert_eq!(status, 201, "{v2}");
    assert_eq!(v2["id"], 2);
    assert_eq!(v2["recorded_by"], "user:admin");
    let (status, _) = admin.post("/api/v1/regulation/versions", new).await;
    assert_eq!(status, 409, "the same text twice");

    let diff = leader.ok("/api/v1/regulation/diff?a=1&b=2").await;
    assert_eq!(diff["a"]["id"], 1);
    assert_eq!(diff["b"]["label"], "2030 修订(测试)");
    let changed: Vec<i64> = diff["diff"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_i64().unwrap())
        .collect();
    assert_eq!(changed, vec![1]);
    let hunk = &diff["diff"]["articles"][0]["changes"][0]["hunks"][0];
    assert_eq!(hunk["inserted"], "特");
    assert_eq!(diff["diff"]["unchanged"].as_array().unwrap().len(), 19);
    let same = leader.ok("/api/v1/regulation/diff?a=2&b=2").await;
    assert_eq!(same["diff"]["articles"], json!([]));
    let (status, _) = leader.get("/api/v1/regulation/diff?a=1&b=7").await;
    assert_eq!(status, 404);
    let (status, bad) = leader.get("/api/v1/regulation/diff?a=1").await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("query")));
    // Lists of today still come from the version in force now.
    let list = leader
        .ok("/api/v1/regions/410800/duties?role=party_secretary")
        .await;
    assert_eq!(list["regulation"]["id"], 1);
    let later = leader
        .ok("/api/v1/regions/410800/duties?role=party_secretary&at=2030-06-01")
        .await;
    assert_eq!(later["regulation"]["id"], 2);
    app.finish().await;
}

on_both_backends!(
    responsibility_lists_and_local_duties,
    regulation_versions_imports_and_diffs,
);
