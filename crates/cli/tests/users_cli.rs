//! Accounts from the command line: the first administrator of a deployment, and API tokens.

use std::process::Command;

use ecoduty_store::users::PasswordState;

fn ecoduty(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ecoduty"))
        .args(["--db", db, "--actor", "测试员"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn an_account_gets_a_one_time_password_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/users.db", dir.path().display());
    let out = ecoduty(
        &db,
        &[
            "user",
            "add",
            "--username",
            "jz.admin",
            "--role",
            "region_admin",
            "--region",
            "4108",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("region_admin, 410800") && text.contains("one-time password: Init-"),
        "{text}"
    );
    // The password works: it verifies against the stored hash.
    let password = text.trim().rsplit(' ').next().unwrap().to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hash = rt.block_on(async {
        let store = ecoduty_store::Store::open(&db).await.unwrap();
        store.user_for_sign_in("jz.admin").await.unwrap().unwrap().1
    });
    assert!(rt.block_on(ecoduty_web::auth::password::verify(hash, password.clone())));
    // It is one-time: the first sign-in spends it (the web sign-in asks the store this way).
    let state = |db: &str| {
        rt.block_on(async {
            let store = ecoduty_store::Store::open(db).await.unwrap();
            let (user, hash) = store.user_for_sign_in("jz.admin").await.unwrap().unwrap();
            (store.password_state(user.id).await.unwrap(), hash)
        })
    };
    assert_eq!(state(&db).0, PasswordState::OneTimeUnused);

    // `user reset` gives a new one-time password; the old one no longer works.
    let reset = ecoduty(&db, &["user", "reset", "--username", "jz.admin"]);
    assert!(reset.status.success());
    let text = String::from_utf8(reset.stdout).unwrap();
    assert!(text.contains("one-time password: Init-"), "{text}");
    let renewed = text.trim().rsplit(' ').next().unwrap().to_string();
    assert_ne!(renewed, password);
    let (now, hash) = state(&db);
    assert_eq!(now, PasswordState::OneTimeUnused);
    assert!(!rt.block_on(ecoduty_web::auth::password::verify(hash.clone(), password)));
    assert!(rt.block_on(ecoduty_web::auth::password::verify(hash, renewed)));
    let unknown = ecoduty(&db, &["user", "reset", "--username", "nobody"]);
    assert_eq!(unknown.status.code(), Some(2));

    let refused = ecoduty(
        &db,
        &["user", "add", "--username", "nobody", "--role", "leader"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("region"));
    let taken = ecoduty(
        &db,
        &[
            "user",
            "add",
            "--username",
            "jz.admin",
            "--role",
            "leader",
            "--region",
            "410800",
        ],
    );
    assert_eq!(taken.status.code(), Some(2));
    let bad_role = ecoduty(
        &db,
        &[
            "user",
            "add",
            "--username",
            "x.y",
            "--role",
            "mayor",
            "--region",
            "410800",
        ],
    );
    assert_eq!(bad_role.status.code(), Some(2));

    let token = ecoduty(
        &db,
        &["user", "token", "--username", "jz.admin", "--name", "脚本"],
    );
    assert!(token.status.success());
    assert!(String::from_utf8(token.stdout)
        .unwrap()
        .trim()
        .starts_with("edt_"));
    let log = ecoduty(&db, &["ledger", "list", "--entity", "user", "--json"]);
    let entries: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    assert_eq!(entries[0]["actor"], "测试员");
}
