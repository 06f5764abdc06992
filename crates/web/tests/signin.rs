//! Signing in and out: sessions, CSRF, throttling, the language switch, security headers.

mod common;

use common::{TestApp, PASSWORD};
use ecoduty_web::Config;

async fn sign_in_and_out(app: TestApp) {
    let c = app.client();
    let res = c.get(app.at("/regions/410800")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/signin?next=%2Fregions%2F410800"
    );
    let form = c
        .get(app.at("/signin?next=%2Fregions%2F410800"))
        .send()
        .await
        .unwrap();
    let cookie = form.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let csrf = TestApp::csrf_of(&form.text().await.unwrap());
    let res = c
        .post(app.at("/signin"))
        .form(&[
            ("username", "jz.admin"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "/regions/410800"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/regions/410800");
    let session_cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("ecoduty_session="))
        .unwrap();
    assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"));
    let page = c
        .get(app.at("/regions/410800"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("焦作市") && page.contains("中共焦作市委员会"));
    assert_eq!(
        app.store.entity_log("session", "2").await.unwrap()[0].action,
        "sign_in"
    );

    // Sign-out needs the session's CSRF token.
    let csrf = TestApp::csrf_of(&page);
    let forged = c
        .post(app.at("/signout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let out = c
        .post(app.at("/signout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(
        c.get(app.at("/")).send().await.unwrap().status(),
        303,
        "signed out"
    );
    app.finish().await;
}

async fn wrong_passwords_are_throttled_then_locked(app: TestApp) {
    let c = app.client();
    let attempt = |password: &'static str| {
        let c = c.clone();
        let app = &app;
        async move {
            let form = c
                .get(app.at("/signin"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            c.post(app.at("/signin"))
                .form(&[
                    ("username", "jz.leader"),
                    ("password", password),
                    ("csrf", &TestApp::csrf_of(&form)),
                    ("next", "/"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..5 {
        let res = attempt("wrong password").await;
        assert_eq!(res.status(), 401);
        assert!(res.text().await.unwrap().contains("用户名或密码错误"));
    }
    let locked = attempt(PASSWORD).await;
    assert_eq!(
        locked.status(),
        429,
        "even the right password is refused while locked"
    );
    // An unknown user and a sign-in form without its token are refused too.
    let res = c
        .post(app.at("/signin"))
        .form(&[
            ("username", "jz.admin"),
            ("password", PASSWORD),
            ("csrf", "not-the-token"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let form = c
        .get(app.at("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.at("/signin"))
        .form(&[
            ("username", "nobody"),
            ("password", PASSWORD),
            ("csrf", &TestApp::csrf_of(&form)),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    app.finish().await;
}

async fn pages_switch_language_and_carry_security_headers(app: TestApp) {
    let (c, _) = app.sign_in("jz.leader").await;
    let zh = c.get(app.at("/")).send().await.unwrap();
    let h = zh.headers().clone();
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    let zh = zh.text().await.unwrap();
    assert!(zh.contains("lang=\"zh-CN\"") && zh.contains("工作台"));
    let res = c.get(app.at("/lang/en?next=%2F")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let en = c
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("lang=\"en\"") && en.contains("Dashboard") && !en.contains("工作台"));
    // Open redirects are not followed.
    let res = c
        .get(app.at("/lang/zh?next=https%3A%2F%2Fevil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
    app.finish().await;
}

on_both_backends!(
    sign_in_and_out,
    wrong_passwords_are_throttled_then_locked,
    pages_switch_language_and_carry_security_headers
);

#[tokio::test]
async fn sessions_expire_when_idle() {
    let config = Config {
        session_idle: std::time::Duration::from_secs(0),
        ..Config::default()
    };
    let app = TestApp::start(false, config).await;
    let c = app.client();
    let form = c
        .get(app.at("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(app.at("/signin"))
        .form(&[
            ("username", "jz.admin"),
            ("password", PASSWORD),
            ("csrf", &TestApp::csrf_of(&form)),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        c.get(app.at("/")).send().await.unwrap().status(),
        303,
        "an idle session has expired"
    );
    app.finish().await;
}
