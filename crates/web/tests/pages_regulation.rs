//! The regulation reader (anchors, versions, warnings), the differences between versions,
//! importing a version (system administrators only, CSRF, warnings to accept, incomplete texts
//! refused), and the public responsibility lists readable without signing in.

mod common;
mod pages_support;

use common::TestApp;
use ecoduty_domain::Role;
use pages_support::{get, language, post, post_multipart, post_of};
use reqwest::multipart::{Form, Part};

/// The newspaper page carrying the whole regulation (with a stray "and" and doubled words).
const PAGE: &str = include_str!("../../regulation/tests/fixtures/001_32084bddd2f8421d.txt");
/// Another newspaper's page, cut off after 第五条.
const CUT: &str = include_str!("../../regulation/tests/fixtures/000_ed8164498710545f.txt");

async fn the_reader_needs_no_sign_in_and_has_anchors(app: TestApp) {
    let c = app.client();
    let page = get(&app, &c, "/regulation").await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("地方党政领导干部生态环境保护责任制规定(试行)"));
    for n in [1, 6, 7, 12, 17, 20] {
        assert!(
            page.body.contains(&format!("id=\"art-{n}\"")),
            "anchor art-{n}"
        );
    }
    assert!(page.body.contains("第十七条") && page.body.contains("第一章 总则"));
    assert!(page.body.contains("id=\"versions-h\"") && page.body.contains("现行"));
    // Anonymous readers get the sign-in link, not the import button or who recorded it.
    assert!(page.body.contains("/signin?next="));
    assert!(!page.body.contains("/regulation/import"));
    assert!(!page.body.contains("system:"));
    assert_eq!(get(&app, &c, "/regulation/1").await.status, 200);
    assert_eq!(get(&app, &c, "/regulation/999").await.status, 404);
    assert_eq!(get(&app, &c, "/regulation/x").await.status, 404);
    language(&app, &c, "en").await;
    let page = get(&app, &c, "/regulation").await;
    assert!(page.body.contains("Contents") && page.body.contains("in force"));
    assert!(page.body.contains("<html lang=\"en\">"));
    // The text itself stays Chinese, marked as such.
    assert!(page
        .body
        .contains("<article class=\"regulation\" lang=\"zh-CN\">"));
    app.finish().await;
}

async fn a_duty_links_to_its_article(app: TestApp) {
    let (c, _) = app.sign_in("jz.leader").await;
    let (post_id, _, _) = post_of(&app, "410800", Role::PartySecretary).await;
    let page = get(&app, &c, &format!("/posts/{post_id}")).await;
    let href = "href=\"/regulation/1#art-6\"";
    assert!(page.body.contains(href), "{}", page.body);
    let target = get(&app, &c, "/regulation/1").await;
    assert!(target.body.contains("id=\"art-6\""));
    assert!(target.body.contains("第六条"));
    app.finish().await;
}

fn import_form(csrf: &str, text: &str, accept: bool, reason: &str) -> Form {
    let mut f = Form::new()
        .text("csrf", csrf.to_string())
        .text("text", text.to_string())
        .text("effective_from", "2025-08-01")
        .text("label", "人民日报版")
        .text("reason", reason.to_string());
    if accept {
        f = f.text("accept_warnings", "on");
    }
    f
}

async fn a_system_admin_imports_a_version_and_compares_it(app: TestApp) {
    let s = &app.store;
    // Only system administrators reach the form.
    let (jz, jz_csrf) = app.sign_in("jz.admin").await;
    assert_eq!(get(&app, &jz, "/regulation/import").await.status, 403);
    let res = post_multipart(
        &app,
        &jz,
        "/regulation/import",
        import_form(&jz_csrf, PAGE, true, "新版本"),
    )
    .await;
    assert_eq!(res.status, 403);

    let (admin, csrf) = app.sign_in("admin").await;
    let page = get(&app, &admin, "/regulation").await;
    assert!(page.body.contains("href=\"/regulation/import\""));
    let form = get(&app, &admin, "/regulation/import").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("<label for=\"reg-accept\">"));

    // Without the CSRF token: refused before anything is read into the store.
    let res = post_multipart(
        &app,
        &admin,
        "/regulation/import",
        import_form("forged", PAGE, true, "新版本"),
    )
    .await;
    assert_eq!(res.status, 403);
    // With warnings not accepted: refused, the warnings listed, the text kept in the form.
    let res = post_multipart(
        &app,
        &admin,
        "/regulation/import",
        import_form(&csrf, PAGE, false, "新版本"),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("未导入"));
    assert!(
        res.body.contains("夹杂外文"),
        "the stray English word is flagged"
    );
    assert!(res.body.contains("<textarea id=\"reg-text\" name=\"text\""));
    assert!(res.body.contains("第二十条"), "the text is kept");
    assert_eq!(s.regulation_versions().await.unwrap().len(), 1);
    // A truncated text, uploaded as a file: refused whatever is accepted.
    let cut = Form::new()
        .text("csrf", csrf.clone())
        .part(
            "file",
            Part::bytes(CUT.as_bytes().to_vec())
                .file_name("page-a01.txt")
                .mime_str("text/plain")
                .unwrap(),
        )
        .text("accept_warnings", "on")
        .text("reason", "另一版本");
    let res = post_multipart(&app, &admin, "/regulation/import", cut).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("incomplete"), "{}", res.body);
    // No regulation in the text at all.
    let res = post_multipart(
        &app,
        &admin,
        "/regulation/import",
        import_form(&csrf, "今天天气很好。", true, "x"),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("no regulation found"));
    // Accepted: stored, and the reader shows it.
    let res = post_multipart(
        &app,
        &admin,
        "/regulation/import",
        import_form(&csrf, PAGE, true, "人民日报转载"),
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location, "/regulation/2?ok=regulation_imported");
    let versions = s.regulation_versions().await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].label, "人民日报版");
    assert_eq!(versions[1].effective_from.to_string(), "2025-08-01");
    let log = s.entity_log("regulation", "2").await.unwrap();
    assert_eq!(log[0].actor, "user:admin");
    assert_eq!(log[0].reason, "人民日报转载");
    let page = get(&app, &admin, &res.location).await;
    assert!(page.body.contains("新版本已导入"));
    assert!(page.body.contains("文本提示"), "its warnings are listed");
    assert!(page.body.contains("id=\"art-20\""));
    // The same text again is refused as a duplicate.
    let res = post_multipart(
        &app,
        &admin,
        "/regulation/import",
        import_form(&csrf, PAGE, true, "再来一次"),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("already stored as version 2"));

    // The differences, readable by anyone.
    let c = app.client();
    let diff = get(&app, &c, "/regulation/diff?a=1&b=2").await;
    assert_eq!(diff.status, 200);
    assert!(diff.body.contains("<ins>") || diff.body.contains("<del>"));
    assert!(
        diff.body.contains("and"),
        "the stray word shows as inserted"
    );
    let same = get(&app, &c, "/regulation/diff?a=2&b=2").await;
    assert!(same.body.contains("两个版本相同"));
    assert_eq!(get(&app, &c, "/regulation/diff?a=1&b=9").await.status, 422);
    let form_only = get(&app, &c, "/regulation/diff").await;
    assert_eq!(form_only.status, 200);
    assert!(form_only.body.contains("<select id=\"diff-a\" name=\"a\">"));
    language(&app, &c, "en").await;
    let diff = get(&app, &c, "/regulation/diff?a=1&b=2").await;
    assert!(diff.body.contains("Compare versions") && diff.body.contains("inserted text"));
    app.finish().await;
}

async fn public_lists_need_no_sign_in(app: TestApp) {
    let c = app.client();
    let page = get(&app, &c, "/public").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/public/410800\""));
    assert!(page.body.contains("href=\"/public/451322\""));
    let found = get(&app, &c, "/public?q=%E8%B1%A1%E5%B7%9E").await; // 象州
    assert!(found.body.contains("象州县"));
    let city = get(&app, &c, "/public/410800").await;
    assert_eq!(city.status, 200);
    // Each post, its holder today and its duties with citations.
    let (_, _, secretary) = post_of(&app, "410800", Role::PartySecretary).await;
    let name = app.store.person(secretary).await.unwrap().unwrap().name;
    assert!(city.body.contains("中共焦作市委员会"));
    assert!(city.body.contains(&name));
    assert!(city.body.contains("href=\"/regulation/1#art-6\""));
    assert!(city.body.contains("第一责任人") || city.body.contains("第六条"));
    // No links into the signed-in pages, and the regions under it.
    assert!(!city.body.contains("href=\"/people/"));
    assert!(city.body.contains("href=\"/public/410883\""));
    assert_eq!(get(&app, &c, "/public/999999").await.status, 404);
    assert_eq!(get(&app, &c, "/public/abc").await.status, 404);
    language(&app, &c, "en").await;
    let city = get(&app, &c, "/public/410800").await;
    assert!(city.body.contains("Responsibility list") && city.body.contains("Holder"));
    // A township page.
    let town = get(&app, &c, "/public/451322101").await;
    assert_eq!(town.status, 200);
    app.finish().await;
}

async fn the_import_form_keeps_what_was_sent_when_the_reason_is_missing(app: TestApp) {
    let (admin, csrf) = app.sign_in("admin").await;
    let res = post_multipart(
        &app,
        &admin,
        "/regulation/import",
        import_form(&csrf, PAGE, true, ""),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("reason"));
    assert!(res.body.contains("value=\"人民日报版\""));
    assert!(res.body.contains("checked"), "the accept box stays ticked");
    assert_eq!(app.store.regulation_versions().await.unwrap().len(), 1);
    // A plain form post (not multipart) is refused as malformed, not half-read.
    let res = post(&app, &admin, "/regulation/import", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 422);
    app.finish().await;
}

on_both_backends!(
    the_reader_needs_no_sign_in_and_has_anchors,
    a_duty_links_to_its_article,
    a_system_admin_imports_a_version_and_compares_it,
    public_lists_need_no_sign_in,
    the_import_form_keeps_what_was_sent_when_the_reason_is_missing
);
