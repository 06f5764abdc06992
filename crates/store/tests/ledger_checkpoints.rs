//! Signed checkpoints anchor the ledger outside the database: a rewrite scripted by someone
//! holding the database (triggers dropped, a tenure's person changed, its entry and every later
//! hash recomputed) and a truncation (the last entry and its record deleted) both pass the
//! chain's own verification, and both are found against the checkpoints, naming the first
//! checkpoint broken. Keys rotate; derived tables are checked against their versions; the
//! chain is read in pages.

mod common;

use common::{change, code, date, hold, org, person, post, TestDb};
use ecoduty_domain::supervision::{Category, InspectionKind, InspectionLevel, Severity, Source};
use ecoduty_domain::{OrganisationKind, Role};
use ecoduty_store::checkpoints::{
    CheckpointFile, PublicKey, SignatureAlgorithm, SigningKey, CHECKPOINT_FORMAT,
};
use ecoduty_store::supervision::findings::NewFinding;
use ecoduty_store::supervision::inspections::NewInspection;
use ecoduty_store::verify::{VerifyOptions, VerifyReport};
use ecoduty_store::{Backend, HashAlgorithm, Store};
use sha2::Digest;
use sqlx::Row;

/// Lets raw SQL change `table` as someone with the database in hand would.
async fn drop_triggers(s: &Store, table: &str) {
    if s.backend() == Backend::Postgres {
        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
            .execute(s.pool())
            .await
            .unwrap();
        return;
    }
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1",
    )
    .bind(table)
    .fetch_all(s.pool())
    .await
    .unwrap();
    for n in names {
        sqlx::query(&format!("DROP TRIGGER {n}"))
            .execute(s.pool())
            .await
            .unwrap();
    }
}

fn digest(alg: HashAlgorithm, data: &[u8]) -> String {
    match alg {
        HashAlgorithm::Sha256 => hex::encode(sha2::Sha256::digest(data)),
        HashAlgorithm::Sm3 => hex::encode(sm3::Sm3::digest(data)),
    }
}

/// The adversary's script: recomputes every entry's hash from `from` on, as the chain does
/// (the JSON array of the fields, then the previous hash), and stores them.
async fn rechain_from(s: &Store, from: i64) {
    drop_triggers(s, "ledger").await;
    let rows = sqlx::query(
        "SELECT seq, recorded_at, actor, reason, entity, entity_id, rev, action, region_code, \
         before_json, after_json FROM ledger WHERE seq >= $1 ORDER BY seq",
    )
    .bind(from)
    .fetch_all(s.pool())
    .await
    .unwrap();
    let mut prev: String = sqlx::query_scalar("SELECT hash FROM ledger WHERE seq = $1")
        .bind(from - 1)
        .fetch_one(s.pool())
        .await
        .unwrap();
    for r in rows {
        let seq: i64 = r.get("seq");
        let input = serde_json::to_vec(&(
            seq,
            r.get::<String, _>("recorded_at"),
            r.get::<String, _>("actor"),
            r.get::<String, _>("reason"),
            r.get::<String, _>("entity"),
            r.get::<String, _>("entity_id"),
            r.get::<i64, _>("rev"),
            r.get::<String, _>("action"),
            r.get::<Option<String>, _>("region_code"),
            r.get::<Option<String>, _>("before_json"),
            r.get::<Option<String>, _>("after_json"),
            &prev,
        ))
        .unwrap();
        let hash = digest(s.hash_algorithm(), &input);
        sqlx::query("UPDATE ledger SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(s.pool())
            .await
            .unwrap();
        prev = hash;
    }
}

/// A small jurisdiction: a tenure of 张三 in a post of 孟州市's housing bureau, and the
/// tenure's id and the person who could replace 张三 in it.
async fn jurisdiction(s: &Store) -> (i64, i64, i64) {
    let bureau = org(
        s,
        "410883",
        "孟州市住房和城乡建设局",
        OrganisationKind::Department,
        false,
    )
    .await;
    let head = post(s, bureau, "局长", Role::SectorDepartmentHead).await;
    let zhang = person(s, "张三").await;
    let li = person(s, "李四").await;
    let tenure = hold(s, head, zhang, "2024-01-01", None).await;
    (tenure, zhang, li)
}

async fn more_writes(s: &Store, n: usize) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    for _ in 0..n {
        let i = NEXT.fetch_add(1, Ordering::Relaxed);
        org(
            s,
            "410883",
            &format!("孟州市部门{i}"),
            OrganisationKind::Department,
            false,
        )
        .await;
    }
}

fn with(file: &CheckpointFile, keys: &[&SigningKey]) -> VerifyOptions {
    VerifyOptions {
        checkpoints: Some((
            file.read().unwrap(),
            keys.iter().map(|k| k.public_key().clone()).collect(),
        )),
    }
}

async fn verify(s: &Store, options: &VerifyOptions) -> VerifyReport {
    s.verify_ledger_with(options).await.unwrap()
}

/// Changes the person of a tenure in its stored version and in the ledger entry that recorded
/// it, then recomputes every later hash: the chain verifies as intact.
async fn rewrite_tenure(s: &Store, tenure: i64, from: i64, to: i64) -> i64 {
    drop_triggers(s, "tenure_versions").await;
    sqlx::query("UPDATE tenure_versions SET person_id = $1 WHERE tenure_id = $2")
        .bind(to)
        .bind(tenure)
        .execute(s.pool())
        .await
        .unwrap();
    let (seq, after): (i64, String) = {
        let r = sqlx::query(
            "SELECT seq, after_json FROM ledger WHERE entity = 'tenure' AND entity_id = $1",
        )
        .bind(tenure.to_string())
        .fetch_one(s.pool())
        .await
        .unwrap();
        (r.get(0), r.get(1))
    };
    let old = format!("\"person_id\":{from},");
    assert!(after.contains(&old), "{after}");
    let forged = after.replace(&old, &format!("\"person_id\":{to},"));
    drop_triggers(s, "ledger").await;
    sqlx::query("UPDATE ledger SET after_json = $1 WHERE seq = $2")
        .bind(&forged)
        .bind(seq)
        .execute(s.pool())
        .await
        .unwrap();
    rechain_from(s, seq).await;
    seq
}

async fn a_rewrite_is_found_against_the_checkpoints(db: TestDb) {
    let s = &db.store;
    let dir = tempfile::tempdir().unwrap();
    let file = CheckpointFile::new(dir.path().join("anchor/checkpoints.jsonl"));
    let key = SigningKey::generate(SignatureAlgorithm::for_hash(s.hash_algorithm())).unwrap();
    more_writes(s, 2).await;
    let early = s.write_checkpoint(&key, &file).await.unwrap();
    let (tenure, zhang, li) = jurisdiction(s).await;
    let signed = s.write_checkpoint(&key, &file).await.unwrap();
    more_writes(s, 3).await;
    let report = verify(s, &with(&file, &[&key])).await;
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.checkpoints.as_ref().unwrap().checked, 2);
    assert_eq!(report.tip.seq, signed.seq + 3);

    let seq = rewrite_tenure(s, tenure, zhang, li).await;
    assert!(early.seq < seq && seq <= signed.seq);
    // The rewrite is invisible to the chain alone …
    let plain = s.verify_ledger().await.unwrap();
    assert!(
        plain.ok(),
        "the scripted rewrite must pass plain verification: {plain:?}"
    );
    let now: i64 = sqlx::query_scalar("SELECT person_id FROM tenure_current WHERE tenure_id = $1")
        .bind(tenure)
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(now, li);
    // … but not to the checkpoints: the first one broken is the second line.
    let report = verify(s, &with(&file, &[&key])).await;
    assert!(!report.ok());
    let c = report.checkpoints.unwrap();
    assert_eq!(c.latest_held.unwrap().seq, early.seq);
    let broken = c.first_broken.expect("the rewrite is found");
    assert_eq!(broken.line, 2);
    assert_eq!(broken.checkpoint, signed);
    assert!(broken.problem.contains("rewritten"), "{}", broken.problem);
    // And no checkpoint is signed over the rewritten chain.
    let refused = s.write_checkpoint(&key, &file).await.unwrap_err();
    assert!(refused.to_string().contains("not signed"), "{refused}");
    assert_eq!(file.read().unwrap().len(), 2);
    db.finish().await;
}

async fn a_truncation_is_found_against_the_checkpoints(db: TestDb) {
    let s = &db.store;
    let dir = tempfile::tempdir().unwrap();
    let file = CheckpointFile::new(dir.path().join("checkpoints.jsonl"));
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    more_writes(s, 1).await;
    let first = s.write_checkpoint(&key, &file).await.unwrap();
    more_writes(s, 1).await;
    let last = s.write_checkpoint(&key, &file).await.unwrap();
    // The last entry, and the organisation it wrote, deleted.
    let tip = s.ledger_head().await.unwrap();
    assert_eq!(tip.seq, last.seq);
    let org: i64 = sqlx::query_scalar(
        "SELECT organisation_id FROM organisation_versions WHERE ledger_seq = $1",
    )
    .bind(tip.seq)
    .fetch_one(s.pool())
    .await
    .unwrap();
    for t in ["ledger", "organisation_versions", "organisations"] {
        drop_triggers(s, t).await;
    }
    sqlx::query("DELETE FROM organisation_versions WHERE ledger_seq = $1")
        .bind(tip.seq)
        .execute(s.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM organisations WHERE id = $1")
        .bind(org)
        .execute(s.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM ledger WHERE seq = $1")
        .bind(tip.seq)
        .execute(s.pool())
        .await
        .unwrap();
    let plain = s.verify_ledger().await.unwrap();
    assert!(
        plain.ok(),
        "the truncation must pass plain verification: {plain:?}"
    );
    assert_eq!(plain.tip.seq, last.seq - 1);
    let c = verify(s, &with(&file, &[&key])).await.checkpoints.unwrap();
    assert_eq!(c.latest_held.unwrap(), first);
    let broken = c.first_broken.expect("the truncation is found");
    assert_eq!((broken.line, broken.checkpoint.seq), (2, last.seq));
    assert!(broken.problem.contains("truncated"), "{}", broken.problem);
    db.finish().await;
}

async fn keys_rotate(db: TestDb) {
    let s = &db.store;
    let dir = tempfile::tempdir().unwrap();
    let file = CheckpointFile::new(dir.path().join("checkpoints.jsonl"));
    let old = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let new = SigningKey::generate(SignatureAlgorithm::Sm2).unwrap();
    let (tenure, zhang, li) = jurisdiction(s).await;
    let by_old = s.write_checkpoint(&old, &file).await.unwrap();
    more_writes(s, 2).await;
    // The key is rotated: the new one extends the chain the old one signed.
    let by_new = s.write_checkpoint(&new, &file).await.unwrap();
    assert_ne!(by_old.key_id, by_new.key_id);
    let both = verify(s, &with(&file, &[&old, &new])).await;
    assert!(both.ok(), "{both:?}");
    assert_eq!(both.checkpoints.unwrap().latest_held.unwrap(), by_new);
    // Without the old public key, its checkpoint cannot be vouched for.
    let c = verify(s, &with(&file, &[&new])).await.checkpoints.unwrap();
    let broken = c.first_broken.unwrap();
    assert_eq!(broken.line, 1);
    assert!(
        broken.problem.contains(&by_old.key_id),
        "{}",
        broken.problem
    );
    // A keyring file of both public keys, as `--public-key` reads it.
    let ring = dir.path().join("keys.pub");
    std::fs::write(
        &ring,
        format!(
            "{}\n{}\n",
            old.public_key().to_text(),
            new.public_key().to_text()
        ),
    )
    .unwrap();
    let keys = PublicKey::keyring_from_file(&ring).unwrap();
    assert_eq!(keys.len(), 2);
    // A rewrite before both checkpoints breaks the first, signed with the old key.
    rewrite_tenure(s, tenure, zhang, li).await;
    let c = s
        .verify_ledger_with(&VerifyOptions {
            checkpoints: Some((file.read().unwrap(), keys)),
        })
        .await
        .unwrap()
        .checkpoints
        .unwrap();
    let broken = c.first_broken.unwrap();
    assert_eq!(
        (broken.line, broken.checkpoint.key_id.as_str()),
        (1, old.key_id())
    );
    db.finish().await;
}

async fn a_forged_checkpoint_does_not_vouch(db: TestDb) {
    let s = &db.store;
    let dir = tempfile::tempdir().unwrap();
    let file = CheckpointFile::new(dir.path().join("checkpoints.jsonl"));
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    more_writes(s, 1).await;
    let mut c = s.write_checkpoint(&key, &file).await.unwrap();
    assert_eq!(c.format, CHECKPOINT_FORMAT);
    // Someone appends a checkpoint of their own making, reusing the key id.
    c.seq -= 1;
    c.hash = s
        .ledger_page(&Default::default(), Some(c.seq + 1), 1)
        .await
        .unwrap()[0]
        .hash
        .clone();
    std::fs::write(
        file.path(),
        format!(
            "{}{}\n",
            std::fs::read_to_string(file.path()).unwrap(),
            c.to_line()
        ),
    )
    .unwrap();
    let r = verify(s, &with(&file, &[&key])).await.checkpoints.unwrap();
    let broken = r.first_broken.unwrap();
    assert_eq!(broken.line, 2);
    assert!(broken.problem.contains("signature"), "{}", broken.problem);
    db.finish().await;
}

async fn derived_tables_are_checked_against_their_versions(db: TestDb) {
    let s = &db.store;
    let bureau = org(
        s,
        "410883",
        "孟州市住房和城乡建设局",
        OrganisationKind::Department,
        false,
    )
    .await;
    let head = post(s, bureau, "局长", Role::SectorDepartmentHead).await;
    let inspection = s
        .create_inspection(
            &change("省级督察进驻"),
            NewInspection {
                level: InspectionLevel::Provincial,
                kind: InspectionKind::Routine,
                title: "第二轮省级生态环境保护督察".into(),
                regions: vec![code("410800"), code("410883")],
                start_date: date("2026-03-01"),
                end_date: date("2026-04-01"),
                team: "组长:李文海".into(),
            },
        )
        .await
        .unwrap();
    let finding = s
        .create_finding(
            &change("交办问题"),
            NewFinding {
                region_code: code("410883"),
                source: Source::Inspection,
                inspection_id: Some(inspection.id),
                complaint_id: None,
                source_ref: String::new(),
                serial: String::new(),
                category: Category::Air,
                severity: Severity::Serious,
                text: "建筑工地扬尘管控不到位".into(),
                measures: "落实六个百分之百".into(),
                units: vec![bureau],
                posts: vec![head],
                deadline: Some(date("2026-06-30")),
                review_every_days: None,
            },
            date("2026-04-02"),
        )
        .await
        .unwrap();
    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(
        report.derived_checked,
        1 + 2,
        "one finding head, two inspected regions"
    );

    // A finding shown as closed while its versions say it is assigned.
    drop_triggers(s, "finding_heads").await;
    sqlx::query("UPDATE finding_heads SET status = 'closed' WHERE finding_id = $1")
        .bind(finding.id)
        .execute(s.pool())
        .await
        .unwrap();
    let report = s.verify_ledger().await.unwrap();
    assert!(
        report.first_mismatch.is_none(),
        "the chain and the versions still agree"
    );
    assert!(!report.ok());
    let d = report.derived_mismatch.expect("the edited index is found");
    assert_eq!(d.table, "finding_heads");
    assert_eq!(d.record, format!("finding {}", finding.id));
    sqlx::query("UPDATE finding_heads SET status = 'assigned' WHERE finding_id = $1")
        .bind(finding.id)
        .execute(s.pool())
        .await
        .unwrap();
    assert!(s.verify_ledger().await.unwrap().ok());

    // An inspected region dropped from the per-region rows (hiding it from that region's lists).
    drop_triggers(s, "inspection_regions").await;
    sqlx::query(
        "DELETE FROM inspection_regions WHERE inspection_id = $1 AND region_code = '410883'",
    )
    .bind(inspection.id)
    .execute(s.pool())
    .await
    .unwrap();
    let d = s.verify_ledger().await.unwrap().derived_mismatch.unwrap();
    assert_eq!(d.table, "inspection_regions");
    assert!(d.problem.contains("410883"), "{}", d.problem);
    db.finish().await;
}

/// Reading in pages changes nothing: the same counts, the same tip, the same first mismatch
/// wherever the pages fall.
async fn pages_cross_boundaries(db: TestDb) {
    let s = &db.store;
    jurisdiction(s).await;
    more_writes(s, 7).await;
    let whole = s.verify_ledger().await.unwrap();
    for page in [1, 2, 3, 1000] {
        assert_eq!(
            s.verify_paged(&VerifyOptions::default(), page)
                .await
                .unwrap(),
            whole
        );
    }
    drop_triggers(s, "ledger").await;
    sqlx::query("UPDATE ledger SET reason = 'changed' WHERE seq = 6")
        .execute(s.pool())
        .await
        .unwrap();
    for page in [1, 2, 5] {
        let m = s
            .verify_paged(&VerifyOptions::default(), page)
            .await
            .unwrap()
            .first_mismatch
            .unwrap();
        assert_eq!(m.seq, 6, "page {page}");
    }
    db.finish().await;
}

on_both_backends!(
    a_rewrite_is_found_against_the_checkpoints,
    a_truncation_is_found_against_the_checkpoints,
    keys_rotate,
    a_forged_checkpoint_does_not_vouch,
    derived_tables_are_checked_against_their_versions,
    pages_cross_boundaries,
);

/// On an SM3 database the default key is SM2, and a rewrite is found the same way.
#[tokio::test]
async fn sm3_ledger_with_sm2_checkpoints() {
    let db = TestDb::sqlite_with(HashAlgorithm::Sm3).await;
    assert_eq!(
        SignatureAlgorithm::for_hash(db.store.hash_algorithm()),
        SignatureAlgorithm::Sm2
    );
    a_rewrite_is_found_against_the_checkpoints(db).await;
}

/// The server's loop: a checkpoint at start, then one as soon as a bulk write commits, long
/// before the schedule's next round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_write_is_signed_at_once() {
    let db = TestDb::sqlite().await;
    let s = db.store.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = CheckpointFile::new(dir.path().join("checkpoints.jsonl"));
    let key = SigningKey::generate(SignatureAlgorithm::Ed25519).unwrap();
    let bureau = org(
        &s,
        "410883",
        "孟州市住房和城乡建设局",
        OrganisationKind::Department,
        false,
    )
    .await;
    let head = post(&s, bureau, "局长", Role::SectorDepartmentHead).await;
    let task = {
        let (s, file) = (s.clone(), file.clone());
        tokio::spawn(async move {
            s.run_checkpoints(key, file, std::time::Duration::from_secs(3600))
                .await
        })
    };
    let lines = |n: usize| {
        let file = file.clone();
        async move {
            for _ in 0..400 {
                if file.read().unwrap().len() >= n {
                    return file.read().unwrap();
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("no checkpoint number {n} within 20 s");
        }
    };
    let first = lines(1).await;
    assert_eq!(first[0].checkpoint.seq, s.ledger_head().await.unwrap().seq);
    // A few ordinary writes wait for the schedule …
    more_writes(&s, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(file.read().unwrap().len(), 1);
    // … a bulk write does not.
    let sheet: Vec<NewFinding> = (0..1_000)
        .map(|i| NewFinding {
            region_code: code("410883"),
            source: Source::Media,
            inspection_id: None,
            complaint_id: None,
            source_ref: format!("某报报道第{i}篇"),
            serial: String::new(),
            category: Category::Water,
            severity: Severity::General,
            text: format!("问题{i}"),
            measures: "整改".into(),
            units: vec![bureau],
            posts: vec![head],
            deadline: Some(date("2026-12-31")),
            review_every_days: None,
        })
        .collect();
    s.create_findings(&change("导入整改台账"), sheet, date("2026-04-02"))
        .await
        .unwrap();
    let all = lines(2).await;
    assert_eq!(all[1].checkpoint.seq, s.ledger_head().await.unwrap().seq);
    task.abort();
    db.finish().await;
}
