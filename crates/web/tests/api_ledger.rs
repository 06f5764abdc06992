//! The ledger through the API: a write's entries are visible to an auditor of its region and
//! not to one of another region; filters; keyset pagination by sequence number; one entry;
//! verification of the chain.

#[path = "api_support.rs"]
mod api_support;
mod common;

use std::collections::HashSet;

use api_support::Api;
use common::TestApp;
use ecoduty_domain::access::UserRole;
use ecoduty_domain::RegionCode;
use ecoduty_store::users::NewUser;
use ecoduty_store::Change;
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

fn seqs(items: &[Value]) -> Vec<i64> {
    items.iter().map(|e| e["seq"].as_i64().unwrap()).collect()
}

async fn ledger_entries_follow_the_region_of_their_record(app: TestApp) {
    // An auditor of 象州县, to compare with 焦作市's.
    app.store
        .create_user(
            &Change::new("test", "test users"),
            NewUser {
                username: "xz.auditor".into(),
                display_name: "测试 xz.auditor".into(),
                role: UserRole::Auditor,
                region_code: Some(RegionCode::parse("451322").unwrap()),
                password_hash: "unused".into(),
                one_time: false,
            },
        )
        .await
        .unwrap();
    let jz = api(&app, "jz.admin").await;
    let auditor = api(&app, "jz.auditor").await;
    let outsider = api(&app, "xz.auditor").await;
    let leader = api(&app, "jz.leader").await;
    let admin = api(&app, "admin").await;

    let (status, org) = jz
        .post(
            "/api/v1/regions/410883/organisations",
            json!({"name": "孟州市台账测试局", "kind": "department", "reason": "台账可见性测试"}),
        )
        .await;
    assert_eq!(status, 201);
    let page = auditor
        .ok("/api/v1/ledger?entity=organisation&limit=1")
        .await;
    let entry = &page["items"][0];
    assert_eq!(entry["entity_id"], org["id"].to_string());
    assert_eq!(entry["reason"], "台账可见性测试");
    assert_eq!(entry["actor"], "user:jz.admin");
    assert_eq!(entry["region_code"], "410883");
    assert_eq!(entry["after"]["name"], "孟州市台账测试局");
    let seq = entry["seq"].as_i64().unwrap();
    assert_eq!(auditor.ok(&format!("/api/v1/ledger/{seq}")).await, *entry);

    // Not for an auditor of another region, by list or by number.
    let theirs = outsider.ok("/api/v1/ledger?limit=500").await;
    assert!(!seqs(theirs["items"].as_array().unwrap()).contains(&seq));
    assert!(theirs["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["region_code"].as_str().unwrap().starts_with("451322")));
    let (status, _) = outsider.get(&format!("/api/v1/ledger/{seq}")).await;
    assert_eq!(status, 404);
    // Nationwide records (the regulation) are not any region's.
    let (status, _) = auditor.get("/api/v1/ledger/1").await;
    assert_eq!(status, 404);
    assert_eq!(admin.ok("/api/v1/ledger/1").await["entity"], "regions");
    // Leaders do not read the ledger.
    let (status, _) = leader.get("/api/v1/ledger").await;
    assert_eq!(status, 403);
    let (status, _) = leader.get(&format!("/api/v1/ledger/{seq}")).await;
    assert_eq!(status, 403);

    // Pages of 4 and one page agree; newest first; `before` starts lower.
    let (paged, pages) = auditor.all_pages("/api/v1/ledger?actor=test", 4).await;
    let (whole, _) = auditor.all_pages("/api/v1/ledger?actor=test", 500).await;
    assert!(pages > 2, "{pages}");
    assert_eq!(seqs(&paged), seqs(&whole));
    let mut sorted = seqs(&whole);
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seqs(&whole), sorted);
    assert_eq!(
        seqs(&whole).iter().collect::<HashSet<_>>().len(),
        whole.len()
    );
    assert!(whole.iter().all(|e| e["actor"] == "test"));
    let cut = seqs(&whole)[2];
    let (lower, _) = auditor
        .all_pages(&format!("/api/v1/ledger?actor=test&before={cut}"), 100)
        .await;
    assert_eq!(seqs(&lower), seqs(&whole)[3..]);

    // Time filters: today's entries, none tomorrow; a malformed bound is refused.
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let todays = auditor.ok(&format!("/api/v1/ledger?from={today}")).await;
    assert!(!todays["items"].as_array().unwrap().is_empty());
    let none = auditor.ok(&format!("/api/v1/ledger?from={tomorrow}")).await;
    assert_eq!(none["items"], json!([]));
    let until = auditor
        .ok(&format!(
            "/api/v1/ledger?to={today}T00:00:00Z&entity=organisation"
        ))
        .await;
    assert_eq!(until["items"], json!([]));
    let (status, bad) = auditor.get("/api/v1/ledger?from=yesterday").await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("from")));

    // Verification.
    let (status, checked) = auditor.post("/api/v1/ledger/verify", json!(null)).await;
    assert_eq!(status, 200);
    assert_eq!(checked["ok"], true);
    assert!(checked["report"]["entries"].as_i64().unwrap() > seq - 1);
    let (status, _) = leader.post("/api/v1/ledger/verify", json!(null)).await;
    assert_eq!(status, 403);
    app.finish().await;
}

on_both_backends!(ledger_entries_follow_the_region_of_their_record);
