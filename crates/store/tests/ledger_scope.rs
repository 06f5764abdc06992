//! Ledger entries carry the region of their record, so that users see their own subtree.

mod common;

use common::{change, TestDb};
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::{OrganisationKind, OrganisationSpec, RegionCode, Role};
use ecoduty_store::ledger::LedgerFilter;
use ecoduty_store::tenures::NewTenure;

fn org(code: &str, name: &str, kind: OrganisationKind) -> OrganisationSpec {
    OrganisationSpec {
        region_code: RegionCode::parse(code).unwrap(),
        name: name.into(),
        kind,
        eco_department: false,
        eco_duties: false,
    }
}

async fn entries_belong_to_the_region_of_their_record(db: TestDb) {
    let s = &db.store;
    s.add_organisation(
        &change("焦作"),
        org("410800", "焦作市水利局", OrganisationKind::Department),
    )
    .await
    .unwrap();
    let gov = s
        .add_organisation(
            &change("孟州"),
            org("410883", "孟州市人民政府", OrganisationKind::Government),
        )
        .await
        .unwrap();
    let post = s
        .add_post(
            &change("孟州"),
            PostSpec {
                organisation_id: gov.id,
                title: "市长".into(),
                role: Role::GovernmentHead,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let person = s.add_person(&change("人员"), "王晨远", None).await.unwrap();
    let t = s
        .add_tenure(
            &change("任命"),
            NewTenure {
                post_id: post.id,
                person_id: person.id,
                start_date: "2024-01-01".parse().unwrap(),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
    s.end_tenure(&change("离任"), t.id, "2025-01-01".parse().unwrap())
        .await
        .unwrap();
    let within = |code: &str| LedgerFilter {
        within: Some(RegionCode::parse(code).unwrap()),
        ..Default::default()
    };
    let mengzhou = s.ledger_page(&within("410883"), None, 100).await.unwrap();
    let kinds: Vec<&str> = mengzhou.iter().map(|e| e.entity.as_str()).collect();
    assert_eq!(
        kinds,
        vec!["tenure", "tenure", "post", "organisation"],
        "newest first; the person is nationwide"
    );
    assert!(mengzhou
        .iter()
        .all(|e| e.region_code.as_deref() == Some("410883")));
    assert_eq!(
        s.ledger_page(&within("410800"), None, 100)
            .await
            .unwrap()
            .len(),
        5,
        "the city's subtree"
    );
    assert!(s
        .ledger_page(&within("451322"), None, 100)
        .await
        .unwrap()
        .is_empty());
    let all = s
        .ledger_page(&LedgerFilter::default(), None, 100)
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        8,
        "regions, regulation, two organisations, post, person, two tenure versions"
    );
    let page = s
        .ledger_page(&LedgerFilter::default(), Some(all[2].seq), 2)
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![all[3].seq, all[4].seq]
    );
    let by_actor = LedgerFilter {
        actor: Some("nobody".into()),
        ..Default::default()
    };
    assert!(s.ledger_page(&by_actor, None, 10).await.unwrap().is_empty());
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

on_both_backends!(entries_belong_to_the_region_of_their_record);
