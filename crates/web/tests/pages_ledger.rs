//! The ledger browser: limited to the user's region, filtered, paged, showing what changed;
//! and verification, which names the first entry that does not match after tampering.

mod common;
mod pages_support;

use common::TestApp;
use ecoduty_domain::Role;
use pages_support::{get, language, post, post_of, today};

/// The sequence numbers of the entries on a ledger page, in order.
fn seqs(body: &str) -> Vec<i64> {
    body.match_indices("<tr id=\"seq-")
        .map(|(i, m)| {
            body[i + m.len()..]
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

async fn the_ledger_is_the_users_region(app: TestApp) {
    // A change in each jurisdiction, so that both have recent entries.
    let (jz_post, jz_tenure, _) = post_of(&app, "410883", Role::GovernmentHead).await;
    let (_, xz_tenure, _) = post_of(&app, "451322", Role::GovernmentHead).await;
    let (admin, csrf) = app.sign_in("admin").await;
    for t in [jz_tenure, xz_tenure] {
        let res = post(
            &app,
            &admin,
            &format!("/tenures/{t}/end"),
            &[
                ("csrf", &csrf),
                ("end_date", "2030-01-01"),
                ("reason", "任期届满"),
            ],
        )
        .await;
        assert_eq!(res.status, 303);
    }
    let (auditor, _) = app.sign_in("jz.auditor").await;
    let page = get(&app, &auditor, "/ledger").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("只显示该区划及其下级的记录"));
    // The current tip, for an auditor to note (the chain's, whatever the reader's region).
    let tip = app.store.ledger_head().await.unwrap();
    assert!(
        page.body
            .contains(&format!("当前链头 #{} <code>{}</code>", tip.seq, tip.hash)),
        "the tip is shown"
    );
    let shown = seqs(&page.body);
    assert_eq!(shown.len(), 50, "a full page");
    assert!(shown.windows(2).all(|w| w[0] > w[1]), "newest first");
    // Every entry shown is 焦作市's; the change in 象州县 is not there.
    for seq in &shown {
        let e = &app
            .store
            .ledger_page(&Default::default(), Some(seq + 1), 1)
            .await
            .unwrap()[0];
        assert!(
            e.region_code
                .as_deref()
                .is_some_and(|r| r.starts_with("4108")),
            "entry {seq} of {:?}",
            e.region_code
        );
    }
    // The tenure's change, before → after, linked to its post.
    assert!(page
        .body
        .contains(&format!("href=\"/posts/{jz_post}#tenure-{jz_tenure}\"")));
    assert!(page
        .body
        .contains("<code>end_date</code>: <del>∅</del> → <ins>2030-01-01</ins>"));
    assert!(page.body.contains("任期届满"));
    assert!(!page.body.contains(&format!("tenure {xz_tenure}<")));
    // 象州县's administrator sees that one and none of 焦作市's.
    let (xz, _) = app.sign_in("xz.admin").await;
    let page = get(&app, &xz, "/ledger?entity=tenure").await;
    assert!(page.body.contains(&format!("tenure {xz_tenure}")));
    assert!(!page.body.contains(&format!("tenure {jz_tenure}<")));
    assert!(!page.body.contains("· 4108"));

    // Older entries, page by page.
    let older = format!("/ledger?before={}", shown.last().unwrap());
    assert!(page.body.contains("rel=\"next\"") || seqs(&page.body).len() < 50);
    let next = get(&app, &auditor, &older).await;
    let second = seqs(&next.body);
    assert!(!second.is_empty() && second[0] < *shown.last().unwrap());
    // Filters: record type, actor, dates.
    let users = get(&app, &auditor, "/ledger?entity=user").await;
    assert!(!seqs(&users.body).is_empty());
    assert!(users.body.contains("<option value=\"user\" selected>"));
    assert!(!users.body.contains(">tenure "));
    let by_admin = get(&app, &auditor, "/ledger?actor=user%3Aadmin").await;
    assert_eq!(seqs(&by_admin.body).len(), 1, "admin's change in 焦作市");
    let yesterday = today() - chrono::Duration::days(1);
    let none = get(&app, &auditor, &format!("/ledger?to={yesterday}")).await;
    assert!(seqs(&none.body).is_empty());
    assert!(none.body.contains("没有符合条件的记录"));
    let todays = get(
        &app,
        &auditor,
        &format!("/ledger?from={}&to={}", today(), today()),
    )
    .await;
    assert_eq!(seqs(&todays.body).len(), 50);
    assert_eq!(
        get(&app, &auditor, "/ledger?from=someday").await.status,
        422
    );
    assert_eq!(get(&app, &auditor, "/ledger?before=x").await.status, 422);
    language(&app, &auditor, "en").await;
    let page = get(&app, &auditor, "/ledger").await;
    assert!(page.body.contains("Change ledger") && page.body.contains("Verify the hash chain"));
    // Roles without the ledger.
    let (leader, _) = app.sign_in("jz.leader").await;
    assert_eq!(get(&app, &leader, "/ledger").await.status, 403);
    app.finish().await;
}

async fn verification_names_the_first_bad_entry(app: TestApp) {
    let (auditor, csrf) = app.sign_in("jz.auditor").await;
    let res = post(&app, &auditor, "/ledger/verify", &[("csrf", "x")]).await;
    assert_eq!(res.status, 403);
    let (leader, leader_csrf) = app.sign_in("jz.leader").await;
    let res = post(&app, &leader, "/ledger/verify", &[("csrf", &leader_csrf)]).await;
    assert_eq!(res.status, 403);
    let res = post(&app, &auditor, "/ledger/verify", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("台账完整"), "{}", res.body);
    assert!(!res.body.contains("台账校验失败"));

    // Someone with database access edits a stored tenure behind the program's back.
    let s = &app.store;
    let (_, tenure, _) = post_of(&app, "410883", Role::GovernmentHead).await;
    let target: i64 = sqlx::query_scalar(
        "SELECT ledger_seq FROM tenure_versions WHERE tenure_id = $1 AND rev = 1",
    )
    .bind(tenure)
    .fetch_one(s.pool())
    .await
    .unwrap();
    let (drop, restore) = if s.backend() == ecoduty_store::Backend::Postgres {
        (
            "ALTER TABLE tenure_versions DISABLE TRIGGER tenure_versions_append_only",
            "ALTER TABLE tenure_versions ENABLE TRIGGER tenure_versions_append_only",
        )
    } else {
        ("DROP TRIGGER tenure_versions_no_update", "SELECT 1")
    };
    sqlx::query(drop).execute(s.pool()).await.unwrap();
    sqlx::query("UPDATE tenure_versions SET start_date = '1999-01-01' WHERE tenure_id = $1")
        .bind(tenure)
        .execute(s.pool())
        .await
        .unwrap();
    sqlx::query(restore).execute(s.pool()).await.unwrap();
    let res = post(&app, &auditor, "/ledger/verify", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("台账校验失败"), "{}", res.body);
    assert!(res
        .body
        .contains(&format!("#{target}: stored tenure {tenure}")));
    assert!(res
        .body
        .contains(&format!("href=\"/ledger?before={}\"", target + 1)));
    app.finish().await;
}

on_both_backends!(
    the_ledger_is_the_users_region,
    verification_names_the_first_bad_entry
);
