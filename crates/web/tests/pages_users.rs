//! Users, roles and API tokens on the pages: the list within the administrator's region,
//! creating accounts (what may be granted, the password rules), changing, deactivating and
//! resetting accounts, one's own password, and personal API tokens shown once and revocable.

mod common;
mod pages_support;

use common::{TestApp, PASSWORD};
use ecoduty_domain::access::UserRole;
use pages_support::{get, language, post};

const NEW_PASSWORD: &str = "Another-password-77";

async fn user_id(app: &TestApp, username: &str) -> i64 {
    app.store
        .user_for_sign_in(username)
        .await
        .unwrap()
        .unwrap()
        .0
        .id
}

/// Signs in through the form with a password; the status of the answer.
async fn sign_in_status(app: &TestApp, username: &str, password: &str) -> u16 {
    sign_in_with(app, username, password).await.1.status
}

async fn the_list_is_the_administrators_region(app: TestApp) {
    let (jz, _) = app.sign_in("jz.admin").await;
    let page = get(&app, &jz, "/users").await;
    assert_eq!(page.status, 200);
    for name in ["jz.admin", "jz.auditor", "jz.leader", "mz.officer"] {
        assert!(page.body.contains(&format!(">{name}</a>")), "{name}");
    }
    for name in ["xz.admin", "xz.inspector", ">admin</a>"] {
        assert!(!page.body.contains(name), "{name} is outside 焦作市");
    }
    // The roles a region administrator may grant: not system administrator.
    assert!(!page.body.contains("value=\"system_admin\""));
    assert!(page.body.contains("value=\"auditor\""));
    let found = get(&app, &jz, "/users?q=mz").await;
    assert!(found.body.contains(">mz.officer</a>") && !found.body.contains(">jz.leader</a>"));
    let (admin, _) = app.sign_in("admin").await;
    let page = get(&app, &admin, "/users").await;
    assert!(page.body.contains(">xz.admin</a>") && page.body.contains(">jz.admin</a>"));
    assert!(page.body.contains("value=\"system_admin\""));
    language(&app, &admin, "en").await;
    let page = get(&app, &admin, "/users").await;
    assert!(page.body.contains("Users and roles") && page.body.contains("New user"));
    // Users without the right get no page.
    let (auditor, _) = app.sign_in("jz.auditor").await;
    assert_eq!(get(&app, &auditor, "/users").await.status, 403);
    let mz = user_id(&app, "mz.officer").await;
    assert_eq!(
        get(&app, &auditor, &format!("/users/{mz}")).await.status,
        403
    );
    let (xz, _) = app.sign_in("xz.admin").await;
    assert_eq!(get(&app, &xz, &format!("/users/{mz}")).await.status, 404);
    app.finish().await;
}

async fn an_administrator_creates_an_account_within_the_rules(app: TestApp) {
    let s = &app.store;
    let (jz, csrf) = app.sign_in("jz.admin").await;
    let create =
        |username: &'static str, role: &'static str, region: &'static str, pw: &'static str| {
            vec![
                ("username", username),
                ("display_name", "新用户"),
                ("role", role),
                ("region_code", region),
                ("password", pw),
            ]
        };
    let send = |fields: Vec<(&'static str, &'static str)>, csrf: String| {
        let mut f: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        f.push(("csrf".into(), csrf));
        f
    };
    let refused = [
        (
            create("mz.aud", "auditor", "410883", "short"),
            "at least 12 characters",
        ),
        (
            create("mz.aud", "auditor", "410883", "mz.aud-password-1"),
            "must not contain the username",
        ),
        (
            create("mz.aud", "auditor", "451322", NEW_PASSWORD),
            "within your own",
        ),
        (
            create("mz.aud", "system_admin", "410800", NEW_PASSWORD),
            "only a system administrator",
        ),
        (
            create("mz.aud", "auditor", "", NEW_PASSWORD),
            "only system administrators are nationwide",
        ),
        (create("王", "auditor", "410883", NEW_PASSWORD), "username"),
        (
            create("jz.leader", "auditor", "410883", NEW_PASSWORD),
            "is taken",
        ),
        (
            create("mz.aud", "auditor", "12", NEW_PASSWORD),
            "region_code",
        ),
    ];
    for (fields, says) in refused {
        let username = fields[0].1;
        let res = jz
            .post(app.at("/users"))
            .form(&send(fields, csrf.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{says}");
        let body = res.text().await.unwrap();
        assert!(body.contains(says), "should say {says:?}: {body}");
        assert!(
            body.contains(&format!("value=\"{username}\"")),
            "the form keeps what was sent"
        );
        assert!(!body.contains(NEW_PASSWORD), "never the password");
    }
    assert!(s.user_for_sign_in("mz.aud").await.unwrap().is_none());
    // Without the token, or from a reader.
    let res = jz
        .post(app.at("/users"))
        .form(&send(
            create("mz.aud", "auditor", "410883", NEW_PASSWORD),
            "forged".into(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let (auditor, auditor_csrf) = app.sign_in("jz.auditor").await;
    let res = auditor
        .post(app.at("/users"))
        .form(&send(
            create("mz.aud", "auditor", "410883", NEW_PASSWORD),
            auditor_csrf,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(s.user_for_sign_in("mz.aud").await.unwrap().is_none());

    // Within the rules: created, ledgered, and the new account signs in.
    let res = jz
        .post(app.at("/users"))
        .form(&send(
            create("mz.aud", "auditor", "410883", NEW_PASSWORD),
            csrf.clone(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let id = user_id(&app, "mz.aud").await;
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("/users/{id}?ok=user_created")
    );
    let (user, hash) = s.user_for_sign_in("mz.aud").await.unwrap().unwrap();
    assert_eq!(user.role, UserRole::Auditor);
    assert_eq!(user.region_code.unwrap().as_str(), "410883");
    assert!(hash.starts_with("$argon2id$"));
    let log = s.entity_log("user", &id.to_string()).await.unwrap();
    assert_eq!(log[0].actor, "user:jz.admin");
    assert!(!log[0]
        .after
        .as_ref()
        .unwrap()
        .to_string()
        .contains("argon2"));
    assert_eq!(sign_in_status(&app, "mz.aud", NEW_PASSWORD).await, 303);
    app.finish().await;
}

async fn an_account_is_changed_deactivated_and_reset(app: TestApp) {
    let s = &app.store;
    let (jz, csrf) = app.sign_in("jz.admin").await;
    let mz = user_id(&app, "mz.officer").await;
    let page = get(&app, &jz, &format!("/users/{mz}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("停用") && page.body.contains("重设密码"));
    // Role and region: within the administrator's own.
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}"),
        &[
            ("csrf", &csrf),
            ("display_name", "孟州 专员"),
            ("role", "leader"),
            ("region_code", "451322"),
        ],
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("within your own"));
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}"),
        &[
            ("csrf", &csrf),
            ("display_name", "孟州 专员"),
            ("role", "leader"),
            ("region_code", "410883"),
        ],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let user = s.user(mz).await.unwrap().unwrap();
    assert_eq!(user.role, UserRole::Leader);
    assert_eq!(user.display_name, "孟州 专员");

    // Deactivated: the user's session ends and signing in fails; reactivated: it works again.
    let (officer, _) = app.sign_in("mz.officer").await;
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}/active"),
        &[("csrf", &csrf), ("active", "false")],
    )
    .await;
    assert_eq!(res.status, 303);
    assert_eq!(get(&app, &officer, "/").await.status, 303, "signed out");
    assert_eq!(sign_in_status(&app, "mz.officer", PASSWORD).await, 401);
    let page = get(&app, &jz, "/users").await;
    assert!(page.body.contains("<tr class=\"inactive\">"));
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}/active"),
        &[("csrf", &csrf), ("active", "true")],
    )
    .await;
    assert_eq!(res.status, 303);
    assert_eq!(sign_in_status(&app, "mz.officer", PASSWORD).await, 303);
    let actions: Vec<String> = s
        .entity_log("user", &mz.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["create", "update", "deactivate", "reactivate"]);
    // One's own account cannot be deactivated.
    let me = user_id(&app, "jz.admin").await;
    let res = post(
        &app,
        &jz,
        &format!("/users/{me}/active"),
        &[("csrf", &csrf), ("active", "false")],
    )
    .await;
    assert_eq!(res.status, 422);

    // A weak new password is refused; a good one replaces the old.
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}/password"),
        &[("csrf", &csrf), ("password", "aaaaaaaaaaaaaaaa")],
    )
    .await;
    assert_eq!(res.status, 422);
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}/password"),
        &[("csrf", &csrf), ("password", NEW_PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 303);
    assert_eq!(sign_in_status(&app, "mz.officer", PASSWORD).await, 401);
    assert_eq!(sign_in_status(&app, "mz.officer", NEW_PASSWORD).await, 303);
    // A region administrator cannot touch a system administrator's account.
    let admin = user_id(&app, "admin").await;
    assert_eq!(get(&app, &jz, &format!("/users/{admin}")).await.status, 404);
    // Without the token.
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}/active"),
        &[("csrf", "x"), ("active", "false")],
    )
    .await;
    assert_eq!(res.status, 403);
    assert!(s.user(mz).await.unwrap().unwrap().active);
    app.finish().await;
}

async fn one_changes_ones_own_password(app: TestApp) {
    let (c, csrf) = app.sign_in("jz.leader").await;
    let page = get(&app, &c, "/account").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<label for=\"current-password\">"));
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("current", current.to_string()),
            ("password", new.to_string()),
            ("confirm", confirm.to_string()),
        ]
    };
    for (fields, says) in [
        (
            change("wrong-password-1", NEW_PASSWORD, NEW_PASSWORD),
            "当前密码不正确",
        ),
        (change(PASSWORD, NEW_PASSWORD, "Something-else-1"), "不一致"),
        (change(PASSWORD, "short", "short"), "at least 12"),
    ] {
        let res = c
            .post(app.at("/account/password"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        assert!(body.contains(says), "{says}: {body}");
    }
    assert_eq!(sign_in_status(&app, "jz.leader", PASSWORD).await, 303);
    let res = c
        .post(app.at("/account/password"))
        .form(&change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/signin?ok=password_changed");
    let page = get(&app, &c, "/signin?ok=password_changed").await;
    assert!(page.body.contains("密码已修改"));
    assert_eq!(get(&app, &c, "/account").await.status, 303, "signed out");
    assert_eq!(sign_in_status(&app, "jz.leader", PASSWORD).await, 401);
    assert_eq!(sign_in_status(&app, "jz.leader", NEW_PASSWORD).await, 303);
    app.finish().await;
}

async fn tokens_are_shown_once_and_revoked(app: TestApp) {
    let (c, csrf) = app.sign_in("jz.auditor").await;
    let res = post(
        &app,
        &c,
        "/account/tokens",
        &[("csrf", &csrf), ("name", "")],
    )
    .await;
    assert_eq!(res.status, 422);
    let res = post(
        &app,
        &c,
        "/account/tokens",
        &[("csrf", "x"), ("name", "脚本")],
    )
    .await;
    assert_eq!(res.status, 403);
    let res = post(
        &app,
        &c,
        "/account/tokens",
        &[("csrf", &csrf), ("name", "统计脚本")],
    )
    .await;
    assert_eq!(res.status, 200);
    let marker = "<code id=\"new-token\" class=\"token\">";
    let start = res.body.find(marker).expect("the token") + marker.len();
    let token = res.body[start..].split('<').next().unwrap().to_string();
    assert!(token.starts_with("edt_"), "{token}");
    assert!(res.body.contains("data-copy=\"new-token\""));
    // The token works for the API, with the owner's region.
    let api = reqwest::Client::new();
    let ok = api
        .get(app.at("/api/v1/regions/410800"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let other = api
        .get(app.at("/api/v1/regions/451322"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    // Shown once: the account page lists it by name and prefix only.
    let page = get(&app, &c, "/account").await;
    assert!(page.body.contains("统计脚本") && page.body.contains(&token[..8]));
    assert!(!page.body.contains(&token));
    // Another user's token cannot be revoked (as if it did not exist); one's own can.
    let id = app
        .store
        .api_tokens_of(user_id(&app, "jz.auditor").await)
        .await
        .unwrap()[0]
        .id;
    let (other_user, other_csrf) = app.sign_in("jz.leader").await;
    let res = post(
        &app,
        &other_user,
        &format!("/account/tokens/{id}/revoke"),
        &[("csrf", &other_csrf)],
    )
    .await;
    assert_eq!(res.status, 404);
    let res = post(
        &app,
        &c,
        &format!("/account/tokens/{id}/revoke"),
        &[("csrf", "x")],
    )
    .await;
    assert_eq!(res.status, 403);
    let res = post(
        &app,
        &c,
        &format!("/account/tokens/{id}/revoke"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location, "/account?ok=token_revoked");
    let gone = api
        .get(app.at("/api/v1/regions/410800"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 401);
    let page = get(&app, &c, "/account?ok=token_revoked").await;
    assert!(page.body.contains("令牌已撤销") && page.body.contains("已撤销"));
    language(&app, &c, "en").await;
    let page = get(&app, &c, "/account").await;
    assert!(page.body.contains("API tokens") && page.body.contains("Change password"));
    app.finish().await;
}

/// Signs in through the form with a password, on a client of one's own: the client, and the
/// answer (its status, where it sends the browser, its body).
async fn sign_in_with(
    app: &TestApp,
    username: &str,
    password: &str,
) -> (reqwest::Client, pages_support::Answer) {
    let c = app.client();
    let form = get(app, &c, "/signin").await;
    let csrf = TestApp::csrf_of(&form.body);
    let res = post(
        app,
        &c,
        "/signin",
        &[
            ("username", username),
            ("password", password),
            ("csrf", &csrf),
        ],
    )
    .await;
    (c, res)
}

/// Issue 14 §4: a password an administrator set (or `user add` printed) signs in once, to a
/// session that can only change it; it cannot sign in again, and changing it ends that.
async fn a_one_time_password_signs_in_once_and_opens_only_the_account(app: TestApp) {
    let (jz, csrf) = app.sign_in("jz.admin").await;
    let mz = user_id(&app, "mz.officer").await;
    let res = post(
        &app,
        &jz,
        &format!("/users/{mz}/password"),
        &[("csrf", &csrf), ("password", NEW_PASSWORD)],
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);

    let (c, res) = sign_in_with(&app, "mz.officer", NEW_PASSWORD).await;
    assert_eq!((res.status, res.location.as_str()), (303, "/account"));
    // Every other page sends the user to the account page; the API refuses the session.
    for path in ["/", "/findings", "/users", "/ledger"] {
        let page = get(&app, &c, path).await;
        assert_eq!(
            (page.status, page.location.as_str()),
            (303, "/account"),
            "{path}"
        );
    }
    let account = get(&app, &c, "/account").await;
    assert_eq!(account.status, 200);
    assert!(account.body.contains("一次性密码"), "{}", account.body);
    let session_csrf = TestApp::csrf_of(&account.body);
    let api = c.get(app.at("/api/v1/me")).send().await.unwrap();
    assert_eq!(api.status(), 403);
    let problem: serde_json::Value = api.json().await.unwrap();
    assert_eq!(
        problem["type"], "/problems/password-change-required",
        "{problem}"
    );
    // Nor can the session make itself a token to go round the rule.
    let res = post(
        &app,
        &c,
        "/account/tokens",
        &[("csrf", &session_csrf), ("name", "绕过")],
    )
    .await;
    assert_eq!((res.status, res.location.as_str()), (303, "/account"));
    assert!(app.store.api_tokens_of(mz).await.unwrap().is_empty());

    // The password is spent: a second sign-in with it is refused, saying why.
    let (_, again) = sign_in_with(&app, "mz.officer", NEW_PASSWORD).await;
    assert_eq!(again.status, 401);
    assert!(again.body.contains("一次性密码已用过"), "{}", again.body);

    // The new password must differ from it; then the user signs in as often as needed.
    let change = |new: &str| {
        vec![
            ("csrf", session_csrf.clone()),
            ("current", NEW_PASSWORD.to_string()),
            ("password", new.to_string()),
            ("confirm", new.to_string()),
        ]
    };
    let res = c
        .post(app.at("/account/password"))
        .form(&change(NEW_PASSWORD))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("不能与当前密码相同"));
    let own = "Own-chosen-password-31";
    let res = c
        .post(app.at("/account/password"))
        .form(&change(own))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    for _ in 0..2 {
        let (c, res) = sign_in_with(&app, "mz.officer", own).await;
        assert_eq!((res.status, res.location.as_str()), (303, "/"));
        assert_eq!(get(&app, &c, "/").await.status, 200);
    }
    // The ledger says the administrator set a one-time password, never the hash.
    let log = app
        .store
        .entity_log("user_password", &mz.to_string())
        .await
        .unwrap();
    let first = log[0].after.as_ref().unwrap().to_string();
    assert!(
        first.contains("one_time") && !first.contains("argon2"),
        "{first}"
    );
    assert_eq!(log[0].actor, "user:jz.admin");
    app.finish().await;
}

on_both_backends!(
    the_list_is_the_administrators_region,
    an_administrator_creates_an_account_within_the_rules,
    an_account_is_changed_deactivated_and_reset,
    one_changes_ones_own_password,
    tokens_are_shown_once_and_revoked,
    a_one_time_password_signs_in_once_and_opens_only_the_account
);
