//! The queries of the web pages: people within a region, regions with records, and a person
//! added together with their tenure (both or neither).

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::page_queries::NewHolder;
use ecoduty_store::posts::Post;
use ecoduty_store::tenures::NewTenure;
use ecoduty_store::{Store, StoreError};

/// A Party committee with a secretary's post in `region`.
async fn secretary_post(s: &Store, region: &str, name: &str) -> Post {
    let org = s
        .add_organisation(
            &change("建立机构"),
            OrganisationSpec {
                region_code: code(region),
                name: name.into(),
                kind: OrganisationKind::PartyCommittee,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    s.add_post(
        &change("建立职务"),
        ecoduty_domain::post::PostSpec {
            organisation_id: org.id,
            title: "书记".into(),
            role: Role::PartySecretary,
            portfolio: vec![],
        },
    )
    .await
    .unwrap()
}

async fn people_are_found_within_a_region(db: TestDb) {
    let s = &db.store;
    let jz = secretary_post(s, "410800", "中共焦作市委员会").await;
    let mz = secretary_post(s, "410883", "中共孟州市委员会").await;
    let xz = secretary_post(s, "451322", "中共象州县委员会").await;
    let c = change("任职");
    let wang = s.add_person(&c, "王建国", None).await.unwrap();
    let li = s.add_person(&c, "李建华", Some("K-LI")).await.unwrap();
    let zhao = s.add_person(&c, "赵建明", None).await.unwrap();
    let idle = s.add_person(&c, "钱建设", None).await.unwrap();
    for (post, person, start) in [
        (&jz, &wang, "2020-01-01"),
        (&mz, &li, "2021-01-01"),
        (&xz, &zhao, "2019-05-01"),
    ] {
        s.add_tenure(
            &c,
            NewTenure {
                post_id: post.id,
                person_id: person.id,
                start_date: date(start),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
    }
    let names =
        |v: Vec<ecoduty_store::people::Person>| v.into_iter().map(|p| p.name).collect::<Vec<_>>();
    // Nationwide: everyone whose name matches, with or without a tenure.
    assert_eq!(
        names(s.find_people_within("建", None, 50).await.unwrap()),
        ["李建华", "王建国", "赵建明", "钱建设"]
    );
    // 焦作市 reaches its own people and 孟州市's, not 象州县's nor someone without a post.
    let city = code("410800");
    assert_eq!(
        names(s.find_people_within("建", Some(&city), 50).await.unwrap()),
        ["李建华", "王建国"]
    );
    assert_eq!(
        names(
            s.find_people_within("", Some(&code("410883")), 50)
                .await
                .unwrap()
        ),
        ["李建华"]
    );
    // By key, and LIKE wildcards are taken literally.
    assert_eq!(
        names(s.find_people_within("K-LI", Some(&city), 50).await.unwrap()),
        ["李建华"]
    );
    assert!(s
        .find_people_within("%", Some(&city), 50)
        .await
        .unwrap()
        .is_empty());
    // A retracted tenure no longer places a person in a region.
    let t = s.tenures_of_post(xz.id).await.unwrap()[0].0.id;
    s.retract_tenure(&change("误录"), t).await.unwrap();
    assert!(names(
        s.find_people_within("赵", Some(&code("451322")), 50)
            .await
            .unwrap()
    )
    .is_empty());
    assert_eq!(idle.name, "钱建设");
    db.finish().await;
}

async fn regions_with_records_are_listed(db: TestDb) {
    let s = &db.store;
    assert!(s.regions_with_records(None, 10).await.unwrap().is_empty());
    secretary_post(s, "451322", "中共象州县委员会").await;
    secretary_post(s, "410883", "中共孟州市委员会").await;
    secretary_post(s, "410800", "中共焦作市委员会").await;
    let codes = |v: Vec<ecoduty_domain::Region>| {
        v.into_iter()
            .map(|r| r.code.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(s.regions_with_records(None, 10).await.unwrap()),
        ["410800", "410883", "451322"]
    );
    assert_eq!(
        codes(
            s.regions_with_records(Some(&code("410800")), 10)
                .await
                .unwrap()
        ),
        ["410800", "410883"]
    );
    assert_eq!(
        codes(s.regions_with_records(None, 1).await.unwrap()),
        ["410800"]
    );
    db.finish().await;
}

async fn a_new_holder_is_added_whole_or_not_at_all(db: TestDb) {
    let s = &db.store;
    let post = secretary_post(s, "410800", "中共焦作市委员会").await;
    let (person, tenure) = s
        .add_person_with_tenure(
            &change("任命"),
            NewHolder {
                name: "周一".into(),
                key: Some("ZHOU-1".into()),
                post_id: post.id,
                start_date: date("2021-03-01"),
                end_date: None,
                acting: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(person.key, "ZHOU-1");
    assert_eq!(tenure.person_id, person.id);
    assert!(tenure.acting);
    // Both are in the ledger, in the post's region.
    let log = s
        .entity_log("person", &person.id.to_string())
        .await
        .unwrap();
    assert_eq!(log[0].region_code.as_deref(), Some("410800"));
    let log = s
        .entity_log("tenure", &tenure.id.to_string())
        .await
        .unwrap();
    assert_eq!(log[0].region_code.as_deref(), Some("410800"));
    assert_eq!(log[0].reason, "任命");

    // An overlapping tenure is refused, naming both, and no person is left behind.
    let before = s.find_people_within("", None, 100).await.unwrap().len();
    let err = s
        .add_person_with_tenure(
            &change("任命"),
            NewHolder {
                name: "吴二".into(),
                key: None,
                post_id: post.id,
                start_date: date("2024-01-01"),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap_err();
    match &err {
        StoreError::Overlap(o) => {
            let text = o.to_string();
            assert!(
                text.contains(&format!("tenure {} (周一)", tenure.id)),
                "{text}"
            );
            assert!(text.contains("the new tenure (吴二)"), "{text}");
        }
        other => panic!("expected an overlap, got {other:?}"),
    }
    assert_eq!(
        s.find_people_within("", None, 100).await.unwrap().len(),
        before
    );
    assert!(s
        .find_people_within("吴二", None, 10)
        .await
        .unwrap()
        .is_empty());

    // A taken key and backwards dates are refused too.
    let err = s
        .add_person_with_tenure(
            &change("任命"),
            NewHolder {
                name: "郑三".into(),
                key: Some("ZHOU-1".into()),
                post_id: post.id,
                start_date: date("2019-01-01"),
                end_date: Some(date("2020-01-01")),
                acting: false,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let err = s
        .add_person_with_tenure(
            &change("任命"),
            NewHolder {
                name: "郑三".into(),
                key: None,
                post_id: post.id,
                start_date: date("2020-01-01"),
                end_date: Some(date("2019-01-01")),
                acting: false,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    // A tenure before the first one fits.
    s.add_person_with_tenure(
        &change("补录"),
        NewHolder {
            name: "郑三".into(),
            key: None,
            post_id: post.id,
            start_date: date("2019-01-01"),
            end_date: Some(date("2021-03-01")),
            acting: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(s.tenures_of_post(post.id).await.unwrap().len(), 2);
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

on_both_backends!(
    people_are_found_within_a_region,
    regions_with_records_are_listed,
    a_new_holder_is_added_whole_or_not_at_all
);
