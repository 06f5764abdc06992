//! The scheduler inside the server: `serve`'s background task runs the store's pass at start
//! and then every interval. Two servers on one database (two tasks over the same store here)
//! mark an overdue finding once and write each notification once: the pass takes a lease and
//! decides under the ledger's write lock.

mod common;

use std::time::Duration;

use common::TestApp;
use ecoduty_domain::supervision::{Category, ItemKind, Severity, Source};
use ecoduty_domain::RegionCode;
use ecoduty_store::supervision::findings::NewFinding;
use ecoduty_store::Change;
use ecoduty_web::{AppState, Config};

async fn two_servers_mark_an_overdue_finding_once(app: TestApp) {
    let code = RegionCode::parse("410883").unwrap();
    let unit = app.store.organisations_in(&code, false).await.unwrap()[0].id;
    let today = chrono::Utc::now().date_naive();
    let f = app
        .store
        .create_finding(
            &Change::new("test", "a finding past its deadline"),
            NewFinding {
                region_code: code,
                source: Source::Media,
                inspection_id: None,
                complaint_id: None,
                source_ref: "某报2026年3月报道".into(),
                serial: String::new(),
                category: Category::Water,
                severity: Severity::General,
                text: "河道黑臭水体反弹".into(),
                measures: String::new(),
                units: vec![unit],
                posts: vec![],
                deadline: Some(today - chrono::Duration::days(3)),
                review_every_days: None,
            },
            today - chrono::Duration::days(40),
        )
        .await
        .unwrap();
    let config = Config {
        scheduler_interval: Duration::from_millis(200),
        ..Config::default()
    };
    let a = ecoduty_web::server::spawn_scheduler(&AppState::new(app.store.clone(), config.clone()))
        .expect("a scheduler task");
    let b = ecoduty_web::server::spawn_scheduler(&AppState::new(app.store.clone(), config))
        .expect("a scheduler task");
    let mut marked = None;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = app.store.finding(f.id).await.unwrap().unwrap();
        if now.overdue_since.is_some() {
            marked = Some(now);
            break;
        }
    }
    let marked = marked.expect("the server's scheduler marked the finding overdue");
    assert_eq!(marked.step.event, "mark_overdue");
    // Several more rounds of both tasks change nothing.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    a.abort();
    b.abort();
    let history = app.store.finding_history(f.id).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|v| v.step.event.as_str())
            .collect::<Vec<_>>(),
        ["create", "mark_overdue"]
    );
    let notices = app
        .store
        .notifications_about(ItemKind::Finding, f.id)
        .await
        .unwrap();
    assert!(!notices.is_empty());
    let mut keys: Vec<_> = notices
        .iter()
        .map(|n| (n.recipient, n.notice, n.on_day))
        .collect();
    let all = keys.len();
    keys.sort_by_key(|k| format!("{k:?}"));
    keys.dedup();
    assert_eq!(keys.len(), all, "no notification written twice");
    assert!(app.store.verify_ledger().await.unwrap().ok());
    app.finish().await;
}

#[test]
fn an_interval_of_zero_turns_the_scheduler_off() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = TestApp::sqlite().await;
        let state = AppState::new(
            app.store.clone(),
            Config {
                scheduler_interval: Duration::ZERO,
                ..Config::default()
            },
        );
        assert!(ecoduty_web::server::spawn_scheduler(&state).is_none());
        assert!(
            ecoduty_web::server::spawn_outbox(&state).is_none(),
            "no webhook, no sender"
        );
        app.finish().await;
    });
}

on_both_backends!(two_servers_mark_an_overdue_finding_once);
