//! The API's keyset queries: pages in a stable order that join up without repeats or gaps,
//! limited to a region's subtree; and the per-region lists of posts and local duties.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::responsibility::LocalDutySpec;
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::api_queries::RegionKey;
use ecoduty_store::tenures::NewTenure;

async fn regions_page_through_a_subtree(db: TestDb) {
    let s = &db.store;
    let city = code("410800");
    let mut all = Vec::new();
    let mut after: Option<RegionKey> = None;
    let mut pages = 0;
    loop {
        let page = s
            .search_regions_page("", Some(&city), after.as_ref(), 10)
            .await
            .unwrap();
        pages += 1;
        let done = page.len() < 10;
        after = page.last().map(RegionKey::of);
        all.extend(page);
        if done {
            break;
        }
    }
    let whole = s
        .search_regions_page("", Some(&city), None, 10_000)
        .await
        .unwrap();
    assert!(pages > 3);
    assert_eq!(all, whole);
    assert_eq!(whole[0].code, city, "the prefecture before its counties");
    assert!(whole.iter().all(|r| r.code.is_within(&city)));
    assert!(whole
        .windows(2)
        .all(|w| RegionKey::of(&w[0]).rank <= RegionKey::of(&w[1]).rank));
    // A name, and a code prefix; nothing outside the subtree.
    let found = s
        .search_regions_page("孟州", Some(&city), None, 50)
        .await
        .unwrap();
    assert_eq!(found[0].code, code("410883"));
    assert!(s
        .search_regions_page("象州", Some(&city), None, 50)
        .await
        .unwrap()
        .is_empty());
    let everywhere = s.search_regions_page("象州", None, None, 50).await.unwrap();
    assert_eq!(everywhere[0].code, code("451322"));
    let by_code = s.search_regions_page("4108", None, None, 3).await.unwrap();
    assert_eq!(by_code[0].code, city);
    // A LIKE wildcard in the query is a character, not a pattern.
    assert!(s
        .search_regions_page("%", None, None, 5)
        .await
        .unwrap()
        .is_empty());
    db.finish().await;
}

async fn people_page_by_name_within_a_region(db: TestDb) {
    let s = &db.store;
    let c = change("测试");
    let gov = s
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code("410883"),
                name: "孟州市人民政府".into(),
                kind: OrganisationKind::Government,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    let mut posts = Vec::new();
    for i in 0..5 {
        posts.push(
            s.add_post(
                &c,
                PostSpec {
                    organisation_id: gov.id,
                    title: format!("副市长{i}"),
                    role: Role::LeadershipMember,
                    portfolio: vec![],
                },
            )
            .await
            .unwrap(),
        );
    }
    // Two people of one name, and others; one never held a post in 孟州市.
    let names = ["王芳", "李强", "王芳", "张伟", "陈静"];
    let mut people = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let p = s.add_person(&c, name, None).await.unwrap();
        s.add_tenure(
            &c,
            NewTenure {
                post_id: posts[i].id,
                person_id: p.id,
                start_date: date("2023-01-01"),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
        people.push(p);
    }
    let elsewhere = s.add_person(&c, "王芳芳", None).await.unwrap();

    let within = code("410883");
    let mut all = Vec::new();
    let mut after: Option<(String, i64)> = None;
    loop {
        let page = s
            .people_page(
                "",
                Some(&within),
                after.as_ref().map(|(n, id)| (n.as_str(), *id)),
                2,
            )
            .await
            .unwrap();
        let done = page.len() < 2;
        after = page.last().map(|p| (p.name.clone(), p.id));
        all.extend(page);
        if done {
            break;
        }
    }
    let mut expected = people.clone();
    expected.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    assert_eq!(all, expected);
    // Nationwide, the person without a post is there too; a name and a key find people.
    let everyone = s.people_page("", None, None, 100).await.unwrap();
    assert!(everyone.contains(&elsewhere));
    let wang = s
        .people_page("王芳", Some(&within), None, 100)
        .await
        .unwrap();
    assert_eq!(wang.len(), 2);
    let wang_all = s.people_page("王芳", None, None, 100).await.unwrap();
    assert_eq!(wang_all.len(), 3);
    let by_key = s
        .people_page(&people[1].key, Some(&within), None, 100)
        .await
        .unwrap();
    assert_eq!(by_key, vec![people[1].clone()]);
    // A retracted tenure does not count.
    let t = s
        .add_tenure(
            &c,
            NewTenure {
                post_id: posts[0].id,
                person_id: elsewhere.id,
                start_date: date("2010-01-01"),
                end_date: Some(date("2011-01-01")),
                acting: false,
            },
        )
        .await
        .unwrap();
    assert!(s
        .people_page("王芳芳", Some(&within), None, 10)
        .await
        .unwrap()
        .contains(&elsewhere));
    s.retract_tenure(&c, t.id).await.unwrap();
    assert!(s
        .people_page("王芳芳", Some(&within), None, 10)
        .await
        .unwrap()
        .is_empty());
    db.finish().await;
}

async fn posts_and_local_duties_of_a_region(db: TestDb) {
    let s = &db.store;
    let c = change("测试");
    let org = |name: &str, kind| OrganisationSpec {
        region_code: code("410883"),
        name: name.into(),
        kind,
        eco_department: false,
        eco_duties: false,
    };
    let dept = s
        .add_organisation(&c, org("孟州市水利局", OrganisationKind::Department))
        .await
        .unwrap();
    let party = s
        .add_organisation(
            &c,
            org("中共孟州市委员会", OrganisationKind::PartyCommittee),
        )
        .await
        .unwrap();
    let head = s
        .add_post(
            &c,
            PostSpec {
                organisation_id: dept.id,
                title: "局长".into(),
                role: Role::SectorDepartmentHead,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let secretary = s
        .add_post(
            &c,
            PostSpec {
                organisation_id: party.id,
                title: "书记".into(),
                role: Role::PartySecretary,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let posts = s.posts_in_region(&code("410883"), false).await.unwrap();
    assert_eq!(
        posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![secretary.id, head.id],
        "the Party committee first"
    );
    assert!(s
        .posts_in_region(&code("410800"), true)
        .await
        .unwrap()
        .is_empty());
    s.update_organisation(
        &c,
        dept.id,
        ecoduty_store::organisations::OrganisationPatch {
            retired: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        s.posts_in_region(&code("410883"), false)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        s.posts_in_region(&code("410883"), true)
            .await
            .unwrap()
            .len(),
        2
    );

    let duty = s
        .add_local_duty(
            &c,
            LocalDutySpec {
                region_code: code("410883"),
                role: Role::DeputyEco,
                text: "牵头黄河湿地保护".into(),
                basis: "孟州市责任清单".into(),
            },
        )
        .await
        .unwrap();
    s.add_local_duty(
        &c,
        LocalDutySpec {
            region_code: code("410800"),
            role: Role::DeputyEco,
            text: "市级职责".into(),
            basis: "焦作市责任清单".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        s.local_duties_of(&code("410883"), false).await.unwrap(),
        vec![duty.clone()]
    );
    s.revise_local_duty(&c, duty.id, None, None, Some(true))
        .await
        .unwrap();
    assert!(s
        .local_duties_of(&code("410883"), false)
        .await
        .unwrap()
        .is_empty());
    let kept = s.local_duties_of(&code("410883"), true).await.unwrap();
    assert_eq!((kept[0].rev, kept[0].retired), (2, true));
    assert_eq!(s.local_duty(duty.id).await.unwrap().unwrap().rev, 2);
    assert_eq!(s.local_duty(9999).await.unwrap(), None);
    db.finish().await;
}

on_both_backends!(
    regions_page_through_a_subtree,
    people_page_by_name_within_a_region,
    posts_and_local_duties_of_a_region,
);
