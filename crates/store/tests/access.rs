//! Users, sessions, sign-in attempts and API tokens.

mod common;

use common::{change, code, TestDb};
use ecoduty_domain::access::{Scope, UserRole};
use ecoduty_store::sessions::Session;
use ecoduty_store::users::{NewUser, UserPatch};
use ecoduty_store::StoreError;

fn new_user(name: &str, role: UserRole, region: Option<&str>) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: format!("{name} 显示名"),
        role,
        region_code: region.map(code),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        one_time: false,
    }
}

async fn accounts_are_records_and_hashes_stay_out_of_the_ledger(db: TestDb) {
    let s = &db.store;
    let admin = s
        .create_user(
            &change("建立"),
            new_user("admin", UserRole::SystemAdmin, None),
        )
        .await
        .unwrap();
    let city = s
        .create_user(
            &change("建立"),
            new_user("jz.admin", UserRole::RegionAdmin, Some("410800")),
        )
        .await
        .unwrap();
    s.create_user(
        &change("建立"),
        new_user("mz.auditor", UserRole::Auditor, Some("410883")),
    )
    .await
    .unwrap();
    s.create_user(
        &change("建立"),
        new_user("xz.leader", UserRole::Leader, Some("451322")),
    )
    .await
    .unwrap();
    assert!(matches!(
        s.create_user(
            &change("x"),
            new_user("admin", UserRole::Leader, Some("410800"))
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.create_user(&change("x"), new_user("nobody", UserRole::Leader, None))
            .await,
        Err(StoreError::Invalid { .. })
    ));
    let within = s
        .users_within(&Scope::Within(code("410800")), "")
        .await
        .unwrap();
    let names: Vec<&str> = within.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, vec!["jz.admin", "mz.auditor"]);
    assert_eq!(
        s.users_within(&Scope::Nationwide, "leader")
            .await
            .unwrap()
            .len(),
        1
    );
    let (found, hash) = s.user_for_sign_in("jz.admin").await.unwrap().unwrap();
    assert_eq!(found, city);
    assert!(hash.starts_with("$argon2id$"));
    s.set_password(&change("改密"), city.id, "$argon2id$new", false)
        .await
        .unwrap();
    assert_eq!(
        s.user_for_sign_in("jz.admin").await.unwrap().unwrap().1,
        "$argon2id$new"
    );
    let changed = s
        .update_user(
            &change("调整"),
            city.id,
            UserPatch {
                role: Some(UserRole::Auditor),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.rev, 2);
    for entry in s.entity_log("user", &city.id.to_string()).await.unwrap() {
        assert!(!entry.after.unwrap().to_string().contains("argon2"));
    }
    let pw = s
        .entity_log("user_password", &city.id.to_string())
        .await
        .unwrap();
    assert_eq!(pw.len(), 1);
    assert!(!pw[0].after.as_ref().unwrap().to_string().contains("argon2"));
    assert_eq!(admin.scope(), Scope::Nationwide);
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

async fn sessions_expire_and_end_with_deactivation(db: TestDb) {
    let s = &db.store;
    let u = s
        .create_user(
            &change("建立"),
            new_user("jz.admin", UserRole::RegionAdmin, Some("410800")),
        )
        .await
        .unwrap();
    let session = Session {
        token_hash: "h1".into(),
        user_id: u.id,
        csrf_token: "c".into(),
        created_at: "2026-01-01T00:00:00Z".into(),
        expires_at: "2026-01-01T08:00:00Z".into(),
        last_seen_at: "2026-01-01T00:00:00Z".into(),
        must_change_password: false,
    };
    s.create_session(&change("登录"), &session, &u)
        .await
        .unwrap();
    let (_, _, tip) = s
        .session("h1", "2026-01-01T07:59:59Z")
        .await
        .unwrap()
        .expect("a live session");
    assert_eq!(tip, s.ledger_tip().await.unwrap());
    assert!(s
        .session("h1", "2026-01-01T08:00:00Z")
        .await
        .unwrap()
        .is_none());
    s.touch_session("h1", "2026-01-01T07:00:00Z", "2026-01-01T09:00:00Z")
        .await
        .unwrap();
    assert!(s
        .session("h1", "2026-01-01T08:30:00Z")
        .await
        .unwrap()
        .is_some());
    assert!(s
        .session("other", "2026-01-01T01:00:00Z")
        .await
        .unwrap()
        .is_none());
    s.update_user(
        &change("停用"),
        u.id,
        UserPatch {
            active: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        s.session_count(u.id).await.unwrap(),
        0,
        "deactivation ends sessions"
    );
    assert_eq!(
        s.entity_log("session", &u.id.to_string()).await.unwrap()[0].action,
        "sign_in"
    );
    db.finish().await;
}

async fn failed_sign_ins_are_counted_since_the_last_success(db: TestDb) {
    let s = &db.store;
    for _ in 0..3 {
        s.record_sign_in_attempt("jz.admin", "10.0.0.1", false)
            .await
            .unwrap();
    }
    let (by_user, by_ip, last) = s
        .failed_sign_ins_since("jz.admin", "10.0.0.1", "2000-01-01")
        .await
        .unwrap();
    assert_eq!((by_user, by_ip), (3, 3));
    assert!(last.is_some());
    s.record_sign_in_attempt("jz.admin", "10.0.0.1", true)
        .await
        .unwrap();
    let (by_user, _, _) = s
        .failed_sign_ins_since("jz.admin", "10.0.0.1", "2000-01-01")
        .await
        .unwrap();
    assert_eq!(by_user, 0, "a success resets the count");
    db.finish().await;
}

async fn tokens_are_found_by_hash_until_revoked(db: TestDb) {
    let s = &db.store;
    let u = s
        .create_user(
            &change("建立"),
            new_user("jz.auditor", UserRole::Auditor, Some("410800")),
        )
        .await
        .unwrap();
    let other = s
        .create_user(
            &change("建立"),
            new_user("xz.auditor", UserRole::Auditor, Some("451322")),
        )
        .await
        .unwrap();
    let t = s
        .create_api_token(&change("令牌"), &u, "报表脚本", "edt_abcd", "hash-1")
        .await
        .unwrap();
    let (found, owner, tip) = s.user_by_api_token("hash-1").await.unwrap().unwrap();
    assert_eq!((found, owner.id), (t.clone(), u.id));
    // The lookup reports the ledger's tip, which every write moves.
    assert_eq!(tip, s.ledger_tip().await.unwrap());
    // A deactivated account's token opens nothing; reactivated, it works again.
    for active in [false, true] {
        s.update_user(
            &change("停用或启用"),
            u.id,
            UserPatch {
                active: Some(active),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let found = s.user_by_api_token("hash-1").await.unwrap();
        assert_eq!(found.is_some(), active);
        if let Some((_, _, seen)) = found {
            assert!(seen > tip, "the tip moved with the writes in between");
            assert_eq!(seen, s.ledger_tip().await.unwrap());
        }
    }
    assert!(
        matches!(
            s.revoke_api_token(&change("x"), &other, t.id).await,
            Err(StoreError::NotFound { .. })
        ),
        "only the owner revokes"
    );
    s.revoke_api_token(&change("撤销"), &u, t.id).await.unwrap();
    assert!(s.user_by_api_token("hash-1").await.unwrap().is_none());
    assert!(s.api_tokens_of(u.id).await.unwrap()[0].revoked);
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

on_both_backends!(
    accounts_are_records_and_hashes_stay_out_of_the_ledger,
    sessions_expire_and_end_with_deactivation,
    failed_sign_ins_are_counted_since_the_last_success,
    tokens_are_found_by_hash_until_revoked,
);
