//! `ecoduty ledger keygen | checkpoint | verify --checkpoints`: a key pair made, the tip
//! signed into an append-only file (key from a file and from the environment), the tip printed
//! by verify, and a truncated ledger — which the chain alone passes — refused against the
//! checkpoints, naming the checkpoint broken.

mod support;

use std::process::{Command, Output};

use support::Cli;

fn fresh() -> Cli {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db", dir.path().display());
    Cli { dir, db }
}

fn run_env(cli: &Cli, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ecoduty"));
    c.args(["--db", &cli.db, "--actor", "审计员"]).args(args);
    for var in [
        "ECODUTY_LEDGER_KEY",
        "ECODUTY_LEDGER_KEY_FILE",
        "ECODUTY_CHECKPOINTS",
        "ECODUTY_LOG",
    ] {
        c.env_remove(var);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Deletes the last ledger entry and the person version it wrote, as someone holding the
/// database file could (triggers dropped first).
async fn truncate(db: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(db).await.unwrap();
    for t in ["ledger", "person_versions", "people"] {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1",
        )
        .bind(t)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for n in names {
            sqlx::query(&format!("DROP TRIGGER {n}"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
    let seq: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM ledger")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let person: i64 =
        sqlx::query_scalar("SELECT person_id FROM person_versions WHERE ledger_seq = $1")
            .bind(seq)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    for sql in [
        "DELETE FROM person_versions WHERE ledger_seq = $1",
        "DELETE FROM ledger WHERE seq = $1",
    ] {
        sqlx::query(sql).bind(seq).execute(&mut conn).await.unwrap();
    }
    sqlx::query("DELETE FROM people WHERE id = $1")
        .bind(person)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[test]
fn checkpoints_sign_the_tip_and_find_a_truncation() {
    let cli = fresh();
    cli.ok("办事员", &["person", "add", "--name", "王晨远"]);
    let key = cli.path("keys/ledger.key");
    std::fs::create_dir_all(cli.path("keys")).unwrap();
    let key_s = key.to_str().unwrap();
    let out = cli.ok("管理员", &["ledger", "keygen", "--out", key_s]);
    assert!(out.contains("ed25519 key"), "{out}");
    let public = cli.path("keys/ledger.key.pub");
    let public_s = public.to_str().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the secret key is its owner's only: {mode:o}"
        );
    }
    assert!(!std::fs::read_to_string(&public).unwrap().contains("secret"));
    // A key file is never overwritten.
    cli.refused("管理员", &["ledger", "keygen", "--out", key_s]);

    let anchor = cli.path("anchor/checkpoints.jsonl");
    let anchor_s = anchor.to_str().unwrap();
    let out = cli.ok(
        "管理员",
        &[
            "ledger",
            "checkpoint",
            "--checkpoints",
            anchor_s,
            "--key",
            key_s,
        ],
    );
    assert!(out.contains("checkpoint: entry 3 hash "), "{out}");
    cli.ok("办事员", &["person", "add", "--name", "李澜舟"]);
    // The key from the environment, the file from the environment.
    let secret = std::fs::read_to_string(&key).unwrap();
    let out = run_env(
        &cli,
        &[
            ("ECODUTY_LEDGER_KEY", &secret),
            ("ECODUTY_CHECKPOINTS", anchor_s),
        ],
        &["ledger", "checkpoint"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("checkpoint: entry 4 "));
    assert_eq!(std::fs::read_to_string(&anchor).unwrap().lines().count(), 2);

    let verify = [
        "ledger",
        "verify",
        "--checkpoints",
        anchor_s,
        "--public-key",
        public_s,
    ];
    let out = run_env(&cli, &[], &verify);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("tip: entry 4 hash "), "{stdout}");
    assert!(stdout.contains("2 checkpoints compared"), "{stdout}");
    assert!(stdout.contains("台账完整"), "{stdout}");
    assert_eq!(text(&out.stderr), "", "a user sees messages, not log lines");

    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(truncate(&cli.db));
    // The chain alone: intact, one entry shorter.
    let out = run_env(&cli, &[], &["ledger", "verify"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("tip: entry 3 hash "));
    // Against the checkpoints: the second is broken.
    let out = run_env(&cli, &[], &verify);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(
        err.contains("checkpoint on line 2 (entry 4") && err.contains("truncated"),
        "{err}"
    );
    // JSON answers name it too.
    let out = run_env(&cli, &[], &[&verify[..], &["--json"]].concat());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["checkpoints"]["first_broken"]["line"], 2);
    assert_eq!(report["checkpoints"]["latest_held"]["seq"], 3);
    // No new checkpoint over the truncated chain.
    let out = run_env(
        &cli,
        &[("ECODUTY_LEDGER_KEY", &secret)],
        &["ledger", "checkpoint", "--checkpoints", anchor_s],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("beyond the ledger's end"),
        "{}",
        text(&out.stderr)
    );
    // Verifying checkpoints needs the keys that signed them.
    let out = run_env(&cli, &[], &["ledger", "verify", "--checkpoints", anchor_s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--public-key"));
}
