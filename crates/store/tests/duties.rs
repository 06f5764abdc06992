//! Responsibility lists: the regulation's duties for a role from the version in force, plus
//! local duties as they stood on the date asked about.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::responsibility::{DutySource, LocalDutySpec};
use ecoduty_domain::Role;
use ecoduty_regulation::parse::parse;
use ecoduty_store::duties::ListFor;
use ecoduty_store::regulation::NewVersion;
use ecoduty_store::StoreError;

async fn lists_cite_the_regulation_and_add_local_duties(db: TestDb) {
    let s = &db.store;
    let today = chrono::Local::now().date_naive();
    let list = s
        .responsibility_list(&code("410800"), ListFor::Role(Role::GovernmentHead), today)
        .await
        .unwrap();
    let citations: Vec<&str> = list.duties.iter().map(|d| d.citation.as_str()).collect();
    assert_eq!(citations.first(), Some(&"第五条第二款"));
    assert!(citations.contains(&"第七条第四项"));
    assert!(citations.contains(&"第十条"));
    assert_eq!(list.duties.len(), 8);
    // Before the regulation took effect there was no list.
    let before = s
        .responsibility_list(
            &code("410800"),
            ListFor::Role(Role::GovernmentHead),
            date("2025-07-17"),
        )
        .await
        .unwrap();
    assert!(before.regulation.is_none() && before.duties.is_empty());

    let duty = s
        .add_local_duty(
            &change("市级清单"),
            LocalDutySpec {
                region_code: code("410800"),
                role: Role::GovernmentHead,
                text: "每季度听取一次生态环境保护工作汇报".into(),
                basis: "焦作市责任清单".into(),
            },
        )
        .await
        .unwrap();
    // It applies in the city and in the counties under it, from the day it was added.
    for region in ["410800", "410883"] {
        let list = s
            .responsibility_list(&code(region), ListFor::Role(Role::GovernmentHead), today)
            .await
            .unwrap();
        let local = list.duties.last().unwrap();
        assert!(matches!(local.source, DutySource::Local { duty_id, .. } if duty_id == duty.id));
        assert_eq!(local.citation, "焦作市责任清单");
    }
    let yesterday = today.pred_opt().unwrap();
    let list = s
        .responsibility_list(
            &code("410800"),
            ListFor::Role(Role::GovernmentHead),
            yesterday,
        )
        .await
        .unwrap();
    assert_eq!(list.duties.len(), 8, "not yet added yesterday");
    // Not in another province, nor for another role.
    let other = s
        .responsibility_list(&code("451322"), ListFor::Role(Role::GovernmentHead), today)
        .await
        .unwrap();
    assert_eq!(other.duties.len(), 8);
    // Revised and retired by appending versions.
    s.revise_local_duty(
        &change("改写"),
        duty.id,
        Some("每月听取一次汇报".into()),
        None,
        None,
    )
    .await
    .unwrap();
    let list = s
        .responsibility_list(&code("410800"), ListFor::Role(Role::GovernmentHead), today)
        .await
        .unwrap();
    assert_eq!(list.duties.last().unwrap().text, "每月听取一次汇报");
    s.revise_local_duty(&change("废止"), duty.id, None, None, Some(true))
        .await
        .unwrap();
    let list = s
        .responsibility_list(&code("410800"), ListFor::Role(Role::GovernmentHead), today)
        .await
        .unwrap();
    assert_eq!(list.duties.len(), 8);
    assert_eq!(s.local_duty_versions(duty.id).await.unwrap().len(), 3);
    let missing_basis = s
        .add_local_duty(
            &change("x"),
            LocalDutySpec {
                region_code: code("410800"),
                role: Role::DeputyEco,
                text: "x".into(),
                basis: " ".into(),
            },
        )
        .await;
    assert!(matches!(missing_basis, Err(StoreError::Invalid { .. })));
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

async fn a_new_version_takes_effect_on_its_date(db: TestDb) {
    let s = &db.store;
    let versions = s.regulation_versions().await.unwrap();
    assert_eq!(versions.len(), 1);
    assert!(versions[0].builtin);
    assert_eq!(versions[0].effective_from, date("2025-07-18"));
    // A revised text: Art. 10 reworded.
    let text = ecoduty_regulation::BUILTIN_TEXT
        .replace("动员社会力量积极参与", "广泛动员社会力量积极参与");
    let reg = parse(&text).unwrap();
    let v = s
        .import_regulation(
            &change("修订版"),
            NewVersion {
                framework: None,
                short_name: None,
                regulation: &reg,
                text: &text,
                source_name: "revised.txt",
                label: Some("修订".into()),
                effective_from: Some(date("2030-01-01")),
                builtin: false,
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(v.id, 2);
    let in_force = |d| async move { s.regulation_in_force(date(d)).await.unwrap().unwrap().id };
    assert_eq!(in_force("2029-12-31").await, 1);
    assert_eq!(in_force("2030-01-01").await, 2);
    let list = s
        .responsibility_list(
            &code("410800"),
            ListFor::Role(Role::LeadershipMember),
            date("2030-06-01"),
        )
        .await
        .unwrap();
    assert!(list.duties.iter().any(|d| d.text.contains("广泛动员")));
    // The same text twice, a truncated text, or one with warnings is refused.
    let again = s
        .import_regulation(
            &change("x"),
            NewVersion {
                framework: None,
                short_name: None,
                regulation: &reg,
                text: &text,
                source_name: "again",
                label: None,
                effective_from: None,
                builtin: false,
            },
            false,
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let cut = ecoduty_regulation::BUILTIN_TEXT
        .split("第六条")
        .next()
        .unwrap()
        .to_string()
        + "(下转A02版)";
    let cut_reg = parse(&cut).unwrap();
    let truncated = s
        .import_regulation(
            &change("x"),
            NewVersion {
                framework: None,
                short_name: None,
                regulation: &cut_reg,
                text: &cut,
                source_name: "cut",
                label: None,
                effective_from: None,
                builtin: false,
            },
            false,
        )
        .await;
    assert!(
        matches!(truncated, Err(StoreError::Invalid { .. })),
        "{truncated:?}"
    );
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

on_both_backends!(
    lists_cite_the_regulation_and_add_local_duties,
    a_new_version_takes_effect_on_its_date
);
