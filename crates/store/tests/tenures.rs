//! Organisations, posts, people and tenures: one holder at a time, the point-in-time question,
//! careers, and a history of every change.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::tenures::{NewTenure, TenurePatch};
use ecoduty_store::{Store, StoreError};

struct Fixture {
    mayor_post: i64,
    deputy_post: i64,
    wang: i64,
    li: i64,
    zhang: i64,
}

async fn fixture(s: &Store) -> Fixture {
    let c = change("建立测试名册");
    let gov = s
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code("410800"),
                name: "焦作市人民政府".into(),
                kind: OrganisationKind::Government,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    let mayor = s
        .add_post(
            &c,
            PostSpec {
                organisation_id: gov.id,
                title: "市长".into(),
                role: Role::GovernmentHead,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let deputy = s
        .add_post(
            &c,
            PostSpec {
                organisation_id: gov.id,
                title: "副市长(分管生态环境)".into(),
                role: Role::DeputyEco,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let wang = s.add_person(&c, "王晨远", None).await.unwrap();
    let li = s.add_person(&c, "李澜舟", Some("JZ-0002")).await.unwrap();
    let zhang = s.add_person(&c, "张岚溪", None).await.unwrap();
    Fixture {
        mayor_post: mayor.id,
        deputy_post: deputy.id,
        wang: wang.id,
        li: li.id,
        zhang: zhang.id,
    }
}

async fn one_holder_at_a_time(db: TestDb) {
    let s = &db.store;
    let f = fixture(s).await;
    let c = change("任命");
    let first = s
        .add_tenure(
            &c,
            NewTenure {
                post_id: f.mayor_post,
                person_id: f.wang,
                start_date: date("2020-01-10"),
                end_date: Some(date("2023-03-15")),
                acting: false,
            },
        )
        .await
        .unwrap();
    // A successor may start the day the predecessor left.
    s.add_tenure(
        &c,
        NewTenure {
            post_id: f.mayor_post,
            person_id: f.li,
            start_date: date("2023-03-15"),
            end_date: None,
            acting: true,
        },
    )
    .await
    .unwrap();
    // An overlapping tenure is refused, naming both.
    let err = s
        .add_tenure(
            &c,
            NewTenure {
                post_id: f.mayor_post,
                person_id: f.zhang,
                start_date: date("2022-12-01"),
                end_date: Some(date("2023-01-01")),
                acting: false,
            },
        )
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Overlap(_)), "{msg}");
    assert!(
        msg.contains(&format!("tenure {}", first.id))
            && msg.contains("王晨远")
            && msg.contains("张岚溪"),
        "{msg}"
    );
    // Reversed dates are refused.
    let reversed = s
        .add_tenure(
            &c,
            NewTenure {
                post_id: f.deputy_post,
                person_id: f.zhang,
                start_date: date("2022-01-01"),
                end_date: Some(date("2021-01-01")),
                acting: false,
            },
        )
        .await;
    assert!(matches!(reversed, Err(StoreError::Invalid { .. })));
    // A correction that would overlap is refused too.
    let stretch = s
        .correct_tenure(
            &c,
            first.id,
            TenurePatch {
                end_date: Some(Some(date("2023-06-01"))),
                ..Default::default()
            },
            "correct",
        )
        .await;
    assert!(
        matches!(stretch, Err(StoreError::Overlap(_))),
        "{stretch:?}"
    );
    db.finish().await;
}

async fn who_held_each_post_on_a_date(db: TestDb) {
    let s = &db.store;
    let f = fixture(s).await;
    let c = change("任命");
    s.add_tenure(
        &c,
        NewTenure {
            post_id: f.mayor_post,
            person_id: f.wang,
            start_date: date("2020-01-10"),
            end_date: Some(date("2023-03-15")),
            acting: false,
        },
    )
    .await
    .unwrap();
    s.add_tenure(
        &c,
        NewTenure {
            post_id: f.mayor_post,
            person_id: f.li,
            start_date: date("2023-03-15"),
            end_date: None,
            acting: true,
        },
    )
    .await
    .unwrap();
    s.add_tenure(
        &c,
        NewTenure {
            post_id: f.deputy_post,
            person_id: f.zhang,
            start_date: date("2021-05-01"),
            end_date: None,
            acting: false,
        },
    )
    .await
    .unwrap();

    let at = |d: &str| {
        let d = date(d);
        async move { s.who(&code("410800"), d, None).await.unwrap() }
    };
    let before = at("2019-12-31").await;
    assert_eq!(before.len(), 2, "both posts listed, vacant");
    assert!(before.iter().all(|h| h.holder.is_none()));
    let mid = at("2023-03-14").await;
    let mayor = mid.iter().find(|h| h.post.id == f.mayor_post).unwrap();
    assert_eq!(mayor.holder.as_ref().unwrap().person.name, "王晨远");
    let handover = at("2023-03-15").await;
    let mayor = handover.iter().find(|h| h.post.id == f.mayor_post).unwrap();
    let holder = mayor.holder.as_ref().unwrap();
    assert_eq!(holder.person.name, "李澜舟");
    assert!(holder.tenure.acting);
    assert_eq!(
        handover[0].post.role,
        Role::GovernmentHead,
        "principal first"
    );
    let only_deputy = s
        .who(&code("410800"), date("2024-01-01"), Some(Role::DeputyEco))
        .await
        .unwrap();
    assert_eq!(only_deputy.len(), 1);
    assert_eq!(
        only_deputy[0].holder.as_ref().unwrap().person.name,
        "张岚溪"
    );
    // Another region's posts are not listed.
    assert!(s
        .who(&code("410883"), date("2024-01-01"), None)
        .await
        .unwrap()
        .is_empty());
    db.finish().await;
}

async fn careers_and_changes_are_kept(db: TestDb) {
    let s = &db.store;
    let f = fixture(s).await;
    let c = change("任命");
    let t1 = s
        .add_tenure(
            &c,
            NewTenure {
                post_id: f.deputy_post,
                person_id: f.li,
                start_date: date("2019-02-01"),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
    let ended = s
        .end_tenure(&change("调任市长"), t1.id, date("2022-06-30"))
        .await
        .unwrap();
    assert_eq!(ended.rev, 2);
    s.add_tenure(
        &c,
        NewTenure {
            post_id: f.mayor_post,
            person_id: f.li,
            start_date: date("2022-06-30"),
            end_date: None,
            acting: true,
        },
    )
    .await
    .unwrap();
    let career = s.person_history(f.li).await.unwrap();
    assert_eq!(career.len(), 2);
    assert_eq!(career[0].post.title, "副市长(分管生态环境)");
    assert_eq!(career[1].post.title, "市长");
    assert_eq!(career[1].region.name, "焦作市");

    // A tenure entered in error is retracted, not deleted: it stays in the record.
    let wrong = s
        .add_tenure(
            &c,
            NewTenure {
                post_id: f.deputy_post,
                person_id: f.wang,
                start_date: date("2023-01-01"),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
    s.retract_tenure(&change("录入错误"), wrong.id)
        .await
        .unwrap();
    assert!(s.person_history(f.wang).await.unwrap().is_empty());
    let versions = s.tenure_versions(wrong.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(!versions[0].retracted && versions[1].retracted);

    let log = s.entity_log("tenure", &t1.id.to_string()).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "create");
    assert_eq!(log[1].action, "end");
    assert_eq!(log[1].reason, "调任市长");
    assert_eq!(
        log[1].before.as_ref().unwrap()["end_date"],
        serde_json::Value::Null
    );
    assert_eq!(log[1].after.as_ref().unwrap()["end_date"], "2022-06-30");
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

async fn records_cannot_be_changed_in_place(db: TestDb) {
    let s = &db.store;
    let f = fixture(s).await;
    let t = s
        .add_tenure(
            &change("任命"),
            NewTenure {
                post_id: f.mayor_post,
                person_id: f.wang,
                start_date: date("2020-01-10"),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
    let update =
        sqlx::query("UPDATE tenure_versions SET start_date = '2019-01-01' WHERE tenure_id = $1")
            .bind(t.id)
            .execute(s.pool())
            .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM ledger").execute(s.pool()).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    db.finish().await;
}

async fn posts_fit_their_organisations(db: TestDb) {
    let s = &db.store;
    let c = change("建立");
    let party = s
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code("410800"),
                name: "中共焦作市委员会".into(),
                kind: OrganisationKind::PartyCommittee,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    let wrong = s
        .add_post(
            &c,
            PostSpec {
                organisation_id: party.id,
                title: "局长".into(),
                role: Role::EcoDepartmentHead,
                portfolio: vec![],
            },
        )
        .await;
    assert!(
        matches!(wrong, Err(StoreError::Invalid { .. })),
        "{wrong:?}"
    );
    let dup = s
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code("410800"),
                name: "中共焦作市委员会".into(),
                kind: OrganisationKind::PartyCommittee,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    let unknown = s
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code("999900"),
                name: "x".into(),
                kind: OrganisationKind::Government,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound { .. })));
    db.finish().await;
}

on_both_backends!(
    one_holder_at_a_time,
    who_held_each_post_on_a_date,
    careers_and_changes_are_kept,
    records_cannot_be_changed_in_place,
    posts_fit_their_organisations,
);
