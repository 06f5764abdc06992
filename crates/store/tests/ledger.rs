//! The change ledger: one hash chain that notices any edit behind the application's back and
//! stays unbroken when several processes write at once.

mod common;

use common::{change, TestDb};
use ecoduty_domain::{OrganisationKind, OrganisationSpec, RegionCode};
use ecoduty_store::{HashAlgorithm, OpenOptions, Store};

async fn add_orgs(s: &Store, prefix: &str, n: usize) {
    for i in 0..n {
        s.add_organisation(
            &change("并发写入"),
            OrganisationSpec {
                region_code: RegionCode::parse("410800").unwrap(),
                name: format!("{prefix}{i}"),
                kind: OrganisationKind::Department,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    }
}

async fn verify_names_the_first_tampered_entry(db: TestDb) {
    let s = &db.store;
    add_orgs(s, "部门", 3).await;
    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(
        report.entries, 5,
        "regions, regulation, three organisations"
    );
    let target: i64 =
        sqlx::query_scalar("SELECT ledger_seq FROM organisation_versions WHERE name = '部门1'")
            .fetch_one(s.pool())
            .await
            .unwrap();
    // Someone with database access edits a stored version, bypassing the append-only trigger.
    let (drop, restore) = if s.backend() == ecoduty_store::Backend::Postgres {
        (
            "ALTER TABLE organisation_versions DISABLE TRIGGER organisation_versions_append_only",
            "ALTER TABLE organisation_versions ENABLE TRIGGER organisation_versions_append_only",
        )
    } else {
        ("DROP TRIGGER organisation_versions_no_update", "SELECT 1")
    };
    sqlx::query(drop).execute(s.pool()).await.unwrap();
    sqlx::query("UPDATE organisation_versions SET name = '改过的名字' WHERE name = '部门1'")
        .execute(s.pool())
        .await
        .unwrap();
    sqlx::query(restore).execute(s.pool()).await.unwrap();
    let report = s.verify_ledger().await.unwrap();
    let m = report.first_mismatch.expect("the edit is found");
    assert_eq!(m.seq, target, "{m:?}");
    assert!(m.problem.contains("organisation"), "{}", m.problem);
    db.finish().await;
}

async fn an_edited_entry_breaks_the_chain(db: TestDb) {
    let s = &db.store;
    add_orgs(s, "部门", 2).await;
    let disable = if s.backend() == ecoduty_store::Backend::Postgres {
        "ALTER TABLE ledger DISABLE TRIGGER ledger_append_only"
    } else {
        "DROP TRIGGER ledger_no_update"
    };
    sqlx::query(disable).execute(s.pool()).await.unwrap();
    sqlx::query("UPDATE ledger SET actor = 'someone else' WHERE seq = 3")
        .execute(s.pool())
        .await
        .unwrap();
    let m = s.verify_ledger().await.unwrap().first_mismatch.unwrap();
    assert_eq!(m.seq, 3);
    assert!(m.problem.contains("hash"), "{}", m.problem);
    db.finish().await;
}

async fn two_writers_keep_one_unbroken_chain(db: TestDb) {
    // Two independent pools on one database stand in for two server processes.
    let other = Store::open(&db.url).await.unwrap();
    let a = add_orgs(&db.store, "甲", 25);
    let b = add_orgs(&other, "乙", 25);
    tokio::join!(a, b);
    let report = db.store.verify_ledger().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.entries, 52);
    other.close().await;
    db.finish().await;
}

on_both_backends!(
    verify_names_the_first_tampered_entry,
    an_edited_entry_breaks_the_chain,
    two_writers_keep_one_unbroken_chain
);

#[tokio::test]
async fn sm3_is_chosen_when_the_database_is_created() {
    let db = TestDb::sqlite_with(HashAlgorithm::Sm3).await;
    assert_eq!(db.store.hash_algorithm(), HashAlgorithm::Sm3);
    add_orgs(&db.store, "部门", 2).await;
    let report = db.store.verify_ledger().await.unwrap();
    assert!(report.ok());
    assert_eq!(report.algorithm, HashAlgorithm::Sm3);
    // Reopening with another choice keeps the database's own hash.
    let reopened = Store::open_with(
        &db.url,
        OpenOptions {
            hash: HashAlgorithm::Sha256,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(reopened.hash_algorithm(), HashAlgorithm::Sm3);
    let first: String = sqlx::query_scalar("SELECT hash FROM ledger WHERE seq = 1")
        .fetch_one(reopened.pool())
        .await
        .unwrap();
    assert_eq!(first.len(), 64);
    reopened.close().await;
    db.finish().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
async fn sm3_on_postgres() {
    let db = TestDb::postgres_with(HashAlgorithm::Sm3).await;
    add_orgs(&db.store, "部门", 2).await;
    let report = db.store.verify_ledger().await.unwrap();
    assert!(report.ok() && report.algorithm == HashAlgorithm::Sm3);
    db.finish().await;
}
