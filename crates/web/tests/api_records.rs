//! The record families of the API end to end: regions, organisations, posts, people and
//! tenures — read and written by a region administrator, refused with 403 to a read-only role
//! and with 404 to another region's users — and keyset pagination across pages.

#[path = "api_support.rs"]
mod api_support;
mod common;

use std::collections::HashSet;

use api_support::Api;
use common::TestApp;
use ecoduty_store::Change;
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

fn codes(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

async fn regions_are_searched_paged_and_added(app: TestApp) {
    let leader = api(&app, "jz.leader").await;
    let xz = api(&app, "xz.admin").await;
    let jz = api(&app, "jz.admin").await;

    let found = leader.ok("/api/v1/regions?q=孟州").await;
    assert_eq!(codes(found["items"].as_array().unwrap()), vec!["410883"]);
    let by_code = leader.ok("/api/v1/regions?q=4108").await;
    assert_eq!(
        by_code["items"][0]["code"], "410800",
        "the prefecture first"
    );
    // Outside the caller's region, a search finds nothing.
    let none = xz.ok("/api/v1/regions?q=焦作").await;
    assert_eq!(none["items"], json!([]));
    assert_eq!(none["next"], Value::Null);

    // Every region of 焦作市, in pages of 7 and in one page: the same rows, in the same order.
    let (paged, pages) = leader.all_pages("/api/v1/regions", 7).await;
    let (whole, one) = leader.all_pages("/api/v1/regions", 500).await;
    assert_eq!(one, 1);
    assert!(pages > 3, "{pages} pages");
    assert_eq!(codes(&paged), codes(&whole));
    assert!(codes(&whole).iter().all(|c| c.starts_with("4108")));
    assert_eq!(
        codes(&whole).iter().collect::<HashSet<_>>().len(),
        whole.len()
    );
    assert_eq!(whole[0]["level"], "prefecture");
    let (status, bad) = leader.get("/api/v1/regions?limit=0").await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("limit")));
    let (status, bad) = leader.get("/api/v1/regions?cursor=garbage").await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("cursor")));

    // A development zone added under 焦作市.
    let zone = json!({"code": "410872", "name": "焦作测试开发区", "development_zone": true, "reason": "测试:设立开发区"});
    let (status, _) = leader
        .post("/api/v1/regions/410800/children", zone.clone())
        .await;
    assert_eq!(status, 403);
    let (status, _) = xz
        .post("/api/v1/regions/410800/children", zone.clone())
        .await;
    assert_eq!(status, 404);
    let (status, added) = jz
        .post("/api/v1/regions/410800/children", zone.clone())
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["development_zone"], true);
    assert_eq!(added["parent"], "410800");
    let (status, _) = jz.post("/api/v1/regions/410800/children", zone).await;
    assert_eq!(status, 409);
    let detail = leader.ok("/api/v1/regions/410872").await;
    assert_eq!(detail["region"]["name"], "焦作测试开发区");
    assert_eq!(
        detail["ancestors"][0]["code"], "410800",
        "the province is out of reach"
    );
    let (status, bad) = jz
        .post(
            "/api/v1/regions/410800/children",
            json!({"code": "451399", "name": "错位"}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("code")));
    app.finish().await;
}

async fn organisations_and_posts_are_read_and_written(app: TestApp) {
    let jz = api(&app, "jz.admin").await;
    let auditor = api(&app, "jz.auditor").await;
    let xz = api(&app, "xz.admin").await;

    let body = json!({"name": "孟州市测试局", "kind": "department", "eco_duties": true});
    let (status, _) = auditor
        .post("/api/v1/regions/410883/organisations", body.clone())
        .await;
    assert_eq!(status, 403);
    let (status, org) = jz
        .post("/api/v1/regions/410883/organisations", body.clone())
        .await;
    assert_eq!(status, 201, "{org}");
    let id = org["id"].as_i64().unwrap();
    let (status, _) = jz.post("/api/v1/regions/410883/organisations", body).await;
    assert_eq!(status, 409, "one name per region");
    let (status, bad) = jz
        .post(
            "/api/v1/regions/410883/organisations",
            json!({"name": "x", "kind": "ministry"}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("body")));

    let list = auditor.ok("/api/v1/regions/410883/organisations").await;
    assert!(list.as_array().unwrap().iter().any(|o| o["id"] == id));
    assert_eq!(
        auditor.ok(&format!("/api/v1/organisations/{id}")).await["name"],
        "孟州市测试局"
    );
    let (status, _) = xz.get(&format!("/api/v1/organisations/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = xz
        .patch(
            &format!("/api/v1/organisations/{id}"),
            json!({"name": "改"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = auditor
        .patch(
            &format!("/api/v1/organisations/{id}"),
            json!({"name": "改"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, bad) = jz
        .patch(&format!("/api/v1/organisations/{id}"), json!({}))
        .await;
    assert_eq!(
        (status, bad["detail"].as_str()),
        (422, Some("body: nothing to change"))
    );
    let (status, renamed) = jz
        .patch(
            &format!("/api/v1/organisations/{id}"),
            json!({"name": "孟州市测试管理局", "reason": "更名"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(renamed["rev"], 2);

    // A post in it; a role that does not fit a department is refused.
    let (status, bad) = jz
        .post(
            &format!("/api/v1/organisations/{id}/posts"),
            json!({"title": "书记", "role": "party_secretary"}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("role")));
    let (status, bad) = jz
        .post(
            &format!("/api/v1/organisations/{id}/posts"),
            json!({"title": "局长", "role": "sector_department_head", "portfolio": [999999]}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("portfolio")));
    let (status, post) = jz
        .post(
            &format!("/api/v1/organisations/{id}/posts"),
            json!({"title": "局长", "role": "sector_department_head"}),
        )
        .await;
    assert_eq!(status, 201, "{post}");
    let post_id = post["id"].as_i64().unwrap();
    let detail = auditor.ok(&format!("/api/v1/posts/{post_id}")).await;
    assert_eq!(detail["organisation"]["id"], id);
    assert_eq!(detail["holder"], Value::Null);
    let posts = auditor
        .ok(&format!("/api/v1/organisations/{id}/posts"))
        .await;
    assert_eq!(posts.as_array().unwrap().len(), 1);
    let in_region = auditor.ok("/api/v1/regions/410883/posts").await;
    assert!(in_region
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == post_id));
    assert!(in_region.as_array().unwrap().len() > 3);
    let (status, _) = xz.get(&format!("/api/v1/posts/{post_id}")).await;
    assert_eq!(status, 404);
    let (status, _) = auditor
        .patch(
            &format!("/api/v1/posts/{post_id}"),
            json!({"retired": true}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, retired) = jz
        .patch(
            &format!("/api/v1/posts/{post_id}"),
            json!({"retired": true, "reason": "机构改革"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(retired["retired"], true);
    let current = auditor
        .ok(&format!("/api/v1/organisations/{id}/posts"))
        .await;
    assert_eq!(current, json!([]));
    let all = auditor
        .ok(&format!(
            "/api/v1/organisations/{id}/posts?include_retired=true"
        ))
        .await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let (status, retired) = jz
        .patch(
            &format!("/api/v1/organisations/{id}"),
            json!({"retired": true}),
        )
        .await;
    assert_eq!((status, &retired["retired"]), (200, &json!(true)));
    app.finish().await;
}

async fn people_and_tenures_are_recorded_with_reasons(app: TestApp) {
    let jz = api(&app, "jz.admin").await;
    let auditor = api(&app, "jz.auditor").await;
    let xz = api(&app, "xz.admin").await;
    let admin = api(&app, "admin").await;

    let (_, org) = jz
        .post(
            "/api/v1/regions/410883/organisations",
            json!({"name": "孟州市任职测试局", "kind": "department"}),
        )
        .await;
    let (_, post) = jz
        .post(
            &format!("/api/v1/organisations/{}/posts", org["id"]),
            json!({"title": "局长", "role": "sector_department_head"}),
        )
        .await;
    let post_id = post["id"].as_i64().unwrap();

    let (status, _) = auditor.post("/api/v1/people", json!({"name": "甲"})).await;
    assert_eq!(status, 403);
    let (status, first) = jz
        .post(
            "/api/v1/people",
            json!({"name": "任职测试甲", "key": "T-0001"}),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    let first_id = first["id"].as_i64().unwrap();
    // Nobody bound to a region sees a person before they hold a post in it.
    let (status, _) = jz.get(&format!("/api/v1/people/{first_id}")).await;
    assert_eq!(status, 404);

    let tenure = |person: i64, start: &str| json!({"post_id": post_id, "person_id": person, "start_date": start, "reason": "任命文件"});
    // The point-in-time answer for the post, asked the same way again and again: every write
    // in between must show (the server remembers answers only until the ledger moves).
    let holder_on = |date: &'static str| {
        let auditor = &auditor;
        async move {
            let who = auditor
                .ok(&format!("/api/v1/regions/410883/who?at={date}"))
                .await;
            let held = who["posts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["post"]["id"] == post_id)
                .expect("the new post is listed")
                .clone();
            held["holder"]["person"]["name"].as_str().map(String::from)
        }
    };
    assert_eq!(holder_on("2024-06-01").await, None);
    assert_eq!(holder_on("2024-06-01").await, None, "asked twice");
    let (status, _) = auditor
        .post("/api/v1/tenures", tenure(first_id, "2024-01-01"))
        .await;
    assert_eq!(status, 403);
    let (status, bad) = xz
        .post("/api/v1/tenures", tenure(first_id, "2024-01-01"))
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("post_id")));
    let (status, t1) = jz
        .post("/api/v1/tenures", tenure(first_id, "2024-01-01"))
        .await;
    assert_eq!(status, 201, "{t1}");
    let t1_id = t1["tenure"]["id"].as_i64().unwrap();
    assert_eq!(t1["person"]["key"], "T-0001");
    assert_eq!(holder_on("2024-06-01").await.as_deref(), Some("任职测试甲"));
    assert_eq!(
        auditor.ok(&format!("/api/v1/people/{first_id}")).await["name"],
        "任职测试甲"
    );

    // A second holder while the first is in post: refused, naming both tenures.
    let (_, second) = jz
        .post("/api/v1/people", json!({"name": "任职测试乙"}))
        .await;
    let second_id = second["id"].as_i64().unwrap();
    let (status, overlap) = jz
        .post("/api/v1/tenures", tenure(second_id, "2024-06-01"))
        .await;
    assert_eq!(status, 422, "{overlap}");
    let detail = overlap["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("tenure {t1_id}")), "{detail}");
    assert!(
        detail.contains("任职测试甲") && detail.contains("任职测试乙"),
        "{detail}"
    );
    assert!(detail.contains("overlaps"), "{detail}");

    // Ending needs a reason; then the successor may start on the day the first left.
    let end = format!("/api/v1/tenures/{t1_id}/end");
    let (status, bad) = jz.post(&end, json!({"end_date": "2025-01-01"})).await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("reason")));
    let (status, _) = auditor
        .post(&end, json!({"end_date": "2025-01-01", "reason": "调任"}))
        .await;
    assert_eq!(status, 403);
    let (status, _) = xz
        .post(&end, json!({"end_date": "2025-01-01", "reason": "调任"}))
        .await;
    assert_eq!(status, 404);
    let (status, ended) = jz
        .post(&end, json!({"end_date": "2025-01-01", "reason": "调任"}))
        .await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["tenure"]["end_date"], "2025-01-01");
    assert_eq!(ended["versions"].as_array().unwrap().len(), 2);
    let (status, t2) = jz
        .post("/api/v1/tenures", tenure(second_id, "2025-01-01"))
        .await;
    assert_eq!(status, 201, "{t2}");
    let t2_id = t2["tenure"]["id"].as_i64().unwrap();
    assert_eq!(holder_on("2024-06-01").await.as_deref(), Some("任职测试甲"));
    assert_eq!(holder_on("2025-06-01").await.as_deref(), Some("任职测试乙"));

    // Corrections: a reason is required, and an overlap is refused here too.
    let fix = format!("/api/v1/tenures/{t2_id}");
    let (status, bad) = jz.patch(&fix, json!({"acting": true})).await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("reason")));
    let (status, _) = jz
        .patch(&fix, json!({"start_date": "2024-12-01", "reason": "更正"}))
        .await;
    assert_eq!(status, 422);
    let (status, fixed) = jz
        .patch(&fix, json!({"acting": true, "reason": "更正:代理"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(fixed["tenure"]["acting"], true);
    assert_eq!(fixed["tenure"]["rev"], 2);
    let tenures = auditor
        .ok(&format!("/api/v1/posts/{post_id}/tenures"))
        .await;
    assert_eq!(tenures.as_array().unwrap().len(), 2);
    let today_holder = auditor.ok(&format!("/api/v1/posts/{post_id}")).await;
    assert_eq!(today_holder["holder"]["person"]["id"], second_id);

    // Retracting keeps the tenure in the record but it no longer counts.
    let retract = format!("/api/v1/tenures/{t2_id}/retract");
    let (status, _) = jz.post(&retract, json!({})).await;
    assert_eq!(status, 422);
    let (status, gone) = jz.post(&retract, json!({"reason": "录入错误"})).await;
    assert_eq!(status, 200);
    assert_eq!(gone["tenure"]["retracted"], true);
    let tenures = auditor
        .ok(&format!("/api/v1/posts/{post_id}/tenures"))
        .await;
    assert_eq!(tenures.as_array().unwrap().len(), 1);
    assert_eq!(holder_on("2025-06-01").await, None);
    // A change made elsewhere (another server process, the CLI) shows as well: the answer is
    // checked against the ledger's tip in the database, not against this process's writes.
    app.store
        .end_tenure(
            &Change::new("cli:test", "任期更正"),
            t1_id,
            chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(holder_on("2024-06-01").await, None);
    let entries = app
        .store
        .entity_log("tenure", &t2_id.to_string())
        .await
        .unwrap();
    let reasons: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.reason.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("create", "任命文件", "user:jz.admin"),
            ("correct", "更正:代理", "user:jz.admin"),
            ("retract", "录入错误", "user:jz.admin"),
        ]
    );

    // A career across two regions: each region sees only its own part of it.
    let (_, xz_org) = xz
        .post(
            "/api/v1/regions/451322/organisations",
            json!({"name": "象州县调动测试局", "kind": "department"}),
        )
        .await;
    let (_, xz_post) = xz
        .post(
            &format!("/api/v1/organisations/{}/posts", xz_org["id"]),
            json!({"title": "局长", "role": "sector_department_head"}),
        )
        .await;
    let xz_post_id = xz_post["id"].as_i64().unwrap();
    let (_, mover) = admin
        .post("/api/v1/people", json!({"name": "调动测试丙"}))
        .await;
    let mover_id = mover["id"].as_i64().unwrap();
    let (status, _) = jz
        .post(
            "/api/v1/tenures",
            json!({"post_id": post_id, "person_id": mover_id, "start_date": "2025-02-01", "end_date": "2025-03-01", "reason": "任命"}),
        )
        .await;
    assert_eq!(status, 201);
    // 象州县 appoints them by key: the id of someone else's cadre is not theirs to use.
    let (status, bad) = xz
        .post(
            "/api/v1/tenures",
            json!({"post_id": xz_post_id, "person_id": mover_id, "start_date": "2030-01-01", "reason": "调入"}),
        )
        .await;
    assert_eq!((status, bad["field"].as_str()), (422, Some("person_id")));
    let history = admin.ok(&format!("/api/v1/people/{mover_id}")).await;
    let key = history["key"].as_str().unwrap().to_string();
    let (status, moved) = xz
        .post(
            "/api/v1/tenures",
            json!({"post_id": xz_post_id, "person_key": key, "start_date": "2030-01-01", "reason": "调入"}),
        )
        .await;
    assert_eq!(status, 201, "{moved}");
    let whole = admin
        .ok(&format!("/api/v1/people/{mover_id}/tenures"))
        .await;
    assert_eq!(whole.as_array().unwrap().len(), 2);
    for (who, region) in [(&jz, "410883"), (&xz, "451322")] {
        let part = who.ok(&format!("/api/v1/people/{mover_id}/tenures")).await;
        let regions: Vec<&str> = part
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["region"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(regions, vec![region]);
    }
    let (status, _) = xz.get(&format!("/api/v1/tenures/{t1_id}")).await;
    assert_eq!(status, 404);
    app.finish().await;
}

async fn people_are_found_within_the_region_a_page_at_a_time(app: TestApp) {
    let leader = api(&app, "jz.leader").await;
    let xz = api(&app, "xz.inspector").await;
    let admin = api(&app, "admin").await;
    let (paged, pages) = leader.all_pages("/api/v1/people", 9).await;
    let (whole, _) = leader.all_pages("/api/v1/people", 500).await;
    assert!(pages > 3, "{pages} pages");
    let ids = |v: &[Value]| {
        v.iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&paged), ids(&whole));
    assert_eq!(
        ids(&whole).into_iter().collect::<HashSet<_>>().len(),
        whole.len()
    );
    let keys: Vec<(String, i64)> = whole
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "by name, then id");
    // Everyone listed held a post in 焦作市; 象州县's users see other people; the
    // nationwide administrator sees both.
    let (theirs, _) = xz.all_pages("/api/v1/people", 500).await;
    let (everyone, _) = admin.all_pages("/api/v1/people", 500).await;
    let mine: HashSet<i64> = ids(&whole).into_iter().collect();
    let theirs: HashSet<i64> = ids(&theirs).into_iter().collect();
    let everyone: HashSet<i64> = ids(&everyone).into_iter().collect();
    assert!(!theirs.is_empty());
    assert!(mine.is_subset(&everyone) && theirs.is_subset(&everyone));
    assert!(everyone.len() >= mine.union(&theirs).count());
    for id in mine.difference(&theirs).take(3) {
        let (status, _) = xz.get(&format!("/api/v1/people/{id}")).await;
        assert_eq!(status, 404);
    }
    // Searching by part of a name, and by the whole key.
    let someone = &whole[0];
    let name = someone["name"].as_str().unwrap();
    let found = leader
        .ok(&format!("/api/v1/people?q={}", urlencode(name)))
        .await;
    assert!(found["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == someone["id"]));
    let key = someone["key"].as_str().unwrap();
    let found = leader.ok(&format!("/api/v1/people?q={key}")).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    app.finish().await;
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap()[2..].to_string()
}

on_both_backends!(
    regions_are_searched_paged_and_added,
    organisations_and_posts_are_read_and_written,
    people_and_tenures_are_recorded_with_reasons,
    people_are_found_within_the_region_a_page_at_a_time,
);
