//! Editing records on the region and post pages (organisations, posts, holders, ending,
//! correcting and retracting tenures), and the people pages: both languages, refusals without
//! CSRF, for read-only roles and for other regions, and overlapping tenures refused with both
//! named and nothing changed.

mod common;
mod pages_support;

use common::TestApp;
use ecoduty_domain::Role;
use pages_support::{code, get, language, ledger_len, post, post_of, today};

async fn editors_see_the_forms_in_both_languages(app: TestApp) {
    let (admin, _) = app.sign_in("jz.admin").await;
    let page = get(&app, &admin, "/regions/410883").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("添加机构") && page.body.contains("添加职务"));
    assert!(page
        .body
        .contains("action=\"/regions/410883/organisations\""));
    let (post_id, tenure_id, _) = post_of(&app, "410883", Role::GovernmentHead).await;
    let page = get(&app, &admin, &format!("/posts/{post_id}")).await;
    assert!(page.body.contains("记录任职"), "the holder form");
    assert!(page
        .body
        .contains(&format!("action=\"/tenures/{tenure_id}/end\"")));
    language(&app, &admin, "en").await;
    let page = get(&app, &admin, "/regions/410883").await;
    assert!(page.body.contains("Add an organisation") && page.body.contains("Add a post"));
    assert!(page.body.contains("<html lang=\"en\">"));
    let page = get(&app, &admin, &format!("/posts/{post_id}")).await;
    assert!(page.body.contains("Record a holder") && page.body.contains("Retract the tenure"));

    // Read-only roles get the pages without the forms.
    let (auditor, _) = app.sign_in("jz.auditor").await;
    let page = get(&app, &auditor, "/regions/410883").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("添加机构"));
    let page = get(&app, &auditor, &format!("/posts/{post_id}")).await;
    assert!(!page.body.contains("记录任职") && !page.body.contains("/tenures/"));
    app.finish().await;
}

async fn an_editor_adds_an_organisation_a_post_and_holders(app: TestApp) {
    let s = &app.store;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let res = post(
        &app,
        &c,
        "/regions/410883/organisations",
        &[
            ("csrf", &csrf),
            ("name", "孟州市测试局"),
            ("kind", "department"),
            ("eco_duties", "on"),
            ("reason", "机构改革"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location, "/regions/410883?ok=organisation_added");
    let page = get(&app, &c, &res.location).await;
    assert!(page.body.contains("机构已添加"));
    let org = s
        .organisations_in(&code("410883"), false)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "孟州市测试局")
        .unwrap();
    assert!(org.eco_duties && !org.eco_department);
    let log = s
        .entity_log("organisation", &org.id.to_string())
        .await
        .unwrap();
    assert_eq!(log[0].actor, "user:jz.admin");
    assert_eq!(log[0].reason, "机构改革");

    // The same name again is refused on the page, with the form as it was sent.
    let res = post(
        &app,
        &c,
        "/regions/410883/organisations",
        &[
            ("csrf", &csrf),
            ("name", "孟州市测试局"),
            ("kind", "department"),
            ("reason", "重复"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res
        .body
        .contains("already has an organisation named 孟州市测试局"));
    assert!(res.body.contains("<details id=\"add-organisation\" open"));
    assert!(res.body.contains("value=\"重复\""));

    // A post in it; a role that does not fit the organisation is refused.
    let org_id = org.id.to_string();
    let res = post(
        &app,
        &c,
        "/regions/410883/posts",
        &[
            ("csrf", &csrf),
            ("organisation", &org_id),
            ("title", "局长"),
            ("role", "party_secretary"),
            ("reason", "设岗"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("cannot sit in a department"),
        "{}",
        res.body
    );
    let res = post(
        &app,
        &c,
        "/regions/410883/posts",
        &[
            ("csrf", &csrf),
            ("organisation", &org_id),
            ("title", "局长"),
            ("role", "sector_department_head"),
            ("reason", "设岗"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let post_path = res.location.split('?').next().unwrap().to_string();
    let post_id: i64 = post_path.trim_start_matches("/posts/").parse().unwrap();
    // An organisation of another region cannot be named in this region's form.
    let other_org = s.organisations_in(&code("410800"), false).await.unwrap()[0].id;
    let res = post(
        &app,
        &c,
        "/regions/410883/posts",
        &[
            ("csrf", &csrf),
            ("organisation", &other_org.to_string()),
            ("title", "某职务"),
            ("role", "leadership_member"),
            ("reason", "设岗"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);

    // A new person takes the post.
    let tenures = format!("{post_path}/tenures");
    let res = post(
        &app,
        &c,
        &tenures,
        &[
            ("csrf", &csrf),
            ("name", "测试人甲"),
            ("key", "TEST-JIA"),
            ("start_date", "2024-01-01"),
            ("reason", "任命"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location, format!("{post_path}?ok=tenure_added"));
    let page = get(&app, &c, &res.location).await;
    assert!(page.body.contains("测试人甲") && page.body.contains("任职已记录"));
    let jia = s.tenures_of_post(post_id).await.unwrap()[0].0.clone();

    // Another from a date the first still holds the post: refused, both named, nothing added.
    let before = ledger_len(&app).await;
    let res = post(
        &app,
        &c,
        &tenures,
        &[
            ("csrf", &csrf),
            ("name", "测试人乙"),
            ("start_date", "2025-01-01"),
            ("reason", "任命"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains(&format!("tenure {} (测试人甲)", jia.id)),
        "{}",
        res.body
    );
    assert!(res.body.contains("the new tenure (测试人乙)"));
    assert!(res.body.contains("a post has one holder at a time"));
    assert!(res.body.contains("<details id=\"add-holder\" open"));
    assert_eq!(ledger_len(&app).await, before, "nothing was written");
    assert!(s.find_people("测试人乙", 5).await.unwrap().is_empty());
    assert_eq!(s.tenures_of_post(post_id).await.unwrap().len(), 1);

    // End the first tenure, then the second person follows; by key, an existing person.
    let res = post(
        &app,
        &c,
        &format!("/tenures/{}/end", jia.id),
        &[
            ("csrf", &csrf),
            ("end_date", "2025-01-01"),
            ("reason", "调离"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location, format!("{post_path}?ok=tenure_ended"));
    let res = post(
        &app,
        &c,
        &tenures,
        &[
            ("csrf", &csrf),
            ("name", "测试人乙"),
            ("start_date", "2025-01-01"),
            ("acting", "on"),
            ("reason", "任命"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let yi = s
        .tenures_of_post(post_id)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, p)| p.name == "测试人乙")
        .unwrap()
        .0;
    assert!(yi.acting);
    // Both a person and a name: refused.
    let res = post(
        &app,
        &c,
        &tenures,
        &[
            ("csrf", &csrf),
            ("person", "TEST-JIA"),
            ("name", "someone"),
            ("start_date", "2030-01-01"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);

    // Correcting the second to start earlier would overlap the first: refused, both named.
    let correct = format!("/tenures/{}/correct", yi.id);
    let res = post(
        &app,
        &c,
        &correct,
        &[
            ("csrf", &csrf),
            ("start_date", "2024-06-01"),
            ("end_date", ""),
            ("acting", "on"),
            ("reason", "更正"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains(&format!("tenure {} (测试人甲)", jia.id)));
    assert!(res.body.contains(&format!("tenure {} as corrected", yi.id)));
    assert_eq!(s.tenure(yi.id).await.unwrap().unwrap().rev, 1);
    // A correction without a reason is refused too.
    let res = post(
        &app,
        &c,
        &correct,
        &[
            ("csrf", &csrf),
            ("start_date", "2025-02-01"),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("reason"));

    // Retract the first (entered in error); the correction then fits.
    let res = post(
        &app,
        &c,
        &format!("/tenures/{}/retract", jia.id),
        &[("csrf", &csrf), ("reason", "误录")],
    )
    .await;
    assert_eq!(res.status, 303);
    assert!(s.tenure(jia.id).await.unwrap().unwrap().retracted);
    let res = post(
        &app,
        &c,
        &correct,
        &[
            ("csrf", &csrf),
            ("start_date", "2024-06-01"),
            ("end_date", ""),
            ("reason", "更正"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let corrected = s.tenure(yi.id).await.unwrap().unwrap();
    assert_eq!(corrected.start_date.to_string(), "2024-06-01");
    assert!(!corrected.acting, "the box was not ticked");
    let log = s.entity_log("tenure", &yi.id.to_string()).await.unwrap();
    assert_eq!(log.last().unwrap().action, "correct");
    assert_eq!(log.last().unwrap().reason, "更正");
    // An existing person, by id, takes another post; the first person no longer counts as
    // having held a post here (their only tenure is retracted), so their key is not found.
    let (gov, _, _) = post_of(&app, "410883", Role::DeputyEco).await;
    let res = post(
        &app,
        &c,
        &format!("/posts/{gov}/tenures"),
        &[
            ("csrf", &csrf),
            ("person", "TEST-JIA"),
            ("start_date", "2000-01-01"),
            ("end_date", "2000-06-01"),
            ("reason", "补录"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("no person &quot;TEST-JIA&quot;"),
        "{}",
        res.body
    );
    let yi_id = yi.person_id.to_string();
    let res = post(
        &app,
        &c,
        &format!("/posts/{gov}/tenures"),
        &[
            ("csrf", &csrf),
            ("person", &yi_id),
            ("start_date", "2000-01-01"),
            ("end_date", "2000-06-01"),
            ("reason", "补录"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(s.verify_ledger().await.unwrap().ok());
    app.finish().await;
}

async fn edits_are_refused_without_csrf_for_readers_and_elsewhere(app: TestApp) {
    let s = &app.store;
    let (post_id, tenure_id, _) = post_of(&app, "410883", Role::GovernmentHead).await;
    let before = ledger_len(&app).await;
    let form = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("name".to_string(), "某局".to_string()),
            ("kind".to_string(), "department".to_string()),
            ("end_date".to_string(), "2030-01-01".to_string()),
            ("start_date".to_string(), "2030-01-01".to_string()),
            ("reason".to_string(), "测试".to_string()),
        ]
    };
    let paths = [
        "/regions/410883/organisations".to_string(),
        format!("/posts/{post_id}/tenures"),
        format!("/tenures/{tenure_id}/end"),
        format!("/tenures/{tenure_id}/correct"),
        format!("/tenures/{tenure_id}/retract"),
    ];
    // Without the session's token, or with another.
    let (admin, csrf) = app.sign_in("jz.admin").await;
    for path in &paths {
        for sent in ["", "forged-token"] {
            let res = admin
                .post(app.at(path))
                .form(&form(sent))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{path} without CSRF");
        }
    }
    // Roles that only read.
    for user in ["jz.auditor", "jz.leader", "mz.officer"] {
        let (c, csrf) = app.sign_in(user).await;
        for path in &paths {
            let res = c
                .post(app.at(path))
                .form(&form(&csrf))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{user} {path}");
        }
    }
    // Another region's administrator: as if the records did not exist.
    let (xz, xz_csrf) = app.sign_in("xz.admin").await;
    for path in &paths {
        let res = xz
            .post(app.at(path))
            .form(&form(&xz_csrf))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "xz.admin {path}");
    }
    assert_eq!(ledger_len(&app).await, before, "nothing was written");
    assert_eq!(s.tenure(tenure_id).await.unwrap().unwrap().rev, 1);
    // The same form with the token goes through (the refusals above are about who sent it).
    let res = admin
        .post(app.at(&format!("/tenures/{tenure_id}/end")))
        .form(&form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    app.finish().await;
}

async fn people_are_found_within_the_region(app: TestApp) {
    let s = &app.store;
    // Someone who held posts in both demo jurisdictions (the demo has transfers), if any; and
    // someone who held posts only in 焦作市: a holder of one of its posts today whose history
    // stays there (which holder that is depends on the demo's dates, so it is looked up).
    let mut jz_person = None;
    for held in s.who(&code("410800"), today(), None).await.unwrap() {
        let Some(h) = held.holder else { continue };
        let history = s.person_history(h.person.id).await.unwrap();
        if history
            .iter()
            .all(|d| d.region.code.as_str().starts_with("4108"))
        {
            jz_person = Some(h.person.id);
            break;
        }
    }
    let jz_person = jz_person.expect("a holder in 焦作市 who never served elsewhere");
    let jz_name = s.person(jz_person).await.unwrap().unwrap().name;
    let (jz, _) = app.sign_in("jz.admin").await;
    let page = get(&app, &jz, "/people").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("按姓名查找"));
    let q = format!("/people?q={}", pages_support::urlencode(&jz_name));
    let page = get(&app, &jz, &q).await;
    assert!(page.body.contains(&format!("href=\"/people/{jz_person}\"")));
    let page = get(&app, &jz, &format!("/people/{jz_person}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&jz_name) && page.body.contains("任职经历"));
    language(&app, &jz, "en").await;
    let page = get(&app, &jz, &format!("/people/{jz_person}")).await;
    assert!(page.body.contains("Tenures") && page.body.contains("Only tenures within your region"));

    // 象州县's administrator neither finds nor opens them.
    let (xz, _) = app.sign_in("xz.admin").await;
    let page = get(&app, &xz, &q).await;
    assert!(!page.body.contains(&format!("href=\"/people/{jz_person}\"")));
    assert_eq!(
        get(&app, &xz, &format!("/people/{jz_person}")).await.status,
        404
    );
    assert_eq!(get(&app, &xz, "/people/999999").await.status, 404);
    assert_eq!(get(&app, &xz, "/people/abc").await.status, 404);

    // A person with tenures in both jurisdictions: each side sees only its own.
    let everyone = s.find_people_within("", None, 10_000).await.unwrap();
    let mut both = None;
    for p in &everyone {
        let h = s.person_history(p.id).await.unwrap();
        let in_jz = h.iter().any(|d| d.region.code.as_str().starts_with("4108"));
        let in_xz = h.iter().any(|d| d.region.code.as_str().starts_with("4513"));
        if in_jz && in_xz {
            both = Some(p.clone());
            break;
        }
    }
    if let Some(p) = both {
        let page = get(&app, &xz, &format!("/people/{}", p.id)).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("/regions/4108"), "no 焦作 tenure shown");
        let (admin, _) = app.sign_in("admin").await;
        let page = get(&app, &admin, &format!("/people/{}", p.id)).await;
        assert!(page.body.contains("/regions/4108") && page.body.contains("/regions/4513"));
    }
    app.finish().await;
}

on_both_backends!(
    editors_see_the_forms_in_both_languages,
    an_editor_adds_an_organisation_a_post_and_holders,
    edits_are_refused_without_csrf_for_readers_and_elsewhere,
    people_are_found_within_the_region
);
