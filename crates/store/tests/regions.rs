//! A new database knows every region of China; users add development zones.

mod common;

use common::{change, code, TestDb};
use ecoduty_domain::RegionLevel;
use ecoduty_store::regions::NewRegion;
use ecoduty_store::StoreError;

async fn new_database_holds_every_region(db: TestDb) {
    let s = &db.store;
    let counts = s.region_counts().await.unwrap();
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 44_700);
    assert_eq!(counts[0], (RegionLevel::Province, 31));
    let zone = s.region(&code("410871")).await.unwrap().unwrap();
    assert_eq!(zone.name, "焦作城乡一体化示范区");
    assert!(zone.development_zone);
    let jiaozuo = s.region(&code("4108")).await.unwrap().unwrap();
    assert_eq!(jiaozuo.name, "焦作市");
    assert_eq!(jiaozuo.code.as_str(), "410800");
    let children = s.region_children(&code("410800")).await.unwrap();
    assert_eq!(children.len(), 11);
    assert!(children
        .iter()
        .any(|c| c.code.as_str() == "410883" && c.name == "孟州市"));
    let ancestors = s.region_ancestors(&code("451322100")).await.unwrap();
    let names: Vec<&str> = ancestors.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["广西壮族自治区", "来宾市", "象州县"]);
    db.finish().await;
}

async fn search_finds_names_and_codes(db: TestDb) {
    let s = &db.store;
    let found = s.search_regions("焦作", 10).await.unwrap();
    assert_eq!(found[0].code.as_str(), "410800");
    assert!(found.iter().any(|r| r.code.as_str() == "410871"));
    let by_code = s.search_regions("4108", 50).await.unwrap();
    assert!(by_code.iter().all(|r| r.code.as_str().starts_with("4108")));
    assert!(matches!(
        s.search_regions("  ", 5).await,
        Err(StoreError::Invalid { .. })
    ));
    // LIKE wildcards in the query are taken literally.
    assert!(s.search_regions("%", 5).await.unwrap().is_empty());
    db.finish().await;
}

async fn users_add_a_zone_under_a_parent(db: TestDb) {
    let s = &db.store;
    let zone = s
        .add_region(
            &change("焦作新设开发区"),
            NewRegion {
                code: code("410872"),
                name: "焦作高新技术产业开发区".into(),
                parent: code("410800"),
                development_zone: true,
            },
        )
        .await
        .unwrap();
    assert!(zone.development_zone && !zone.builtin);
    assert_eq!(
        s.region(&code("410872")).await.unwrap().unwrap().name,
        "焦作高新技术产业开发区"
    );
    let log = s.entity_log("region", "410872").await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].actor, "tester");
    assert_eq!(log[0].reason, "焦作新设开发区");
    // Collisions and codes that do not nest are refused.
    let again = s
        .add_region(
            &change("x"),
            NewRegion {
                code: code("410872"),
                name: "重复".into(),
                parent: code("410800"),
                development_zone: true,
            },
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let wrong = s
        .add_region(
            &change("x"),
            NewRegion {
                code: code("410773"),
                name: "错位".into(),
                parent: code("410800"),
                development_zone: true,
            },
        )
        .await;
    assert!(
        matches!(wrong, Err(StoreError::Invalid { .. })),
        "{wrong:?}"
    );
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

on_both_backends!(
    new_database_holds_every_region,
    search_finds_names_and_codes,
    users_add_a_zone_under_a_parent
);
