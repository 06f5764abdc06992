//! `ecoduty log` and `ecoduty ledger …`: the change ledger — a record's history, browsing,
//! verification of the hash chain, and signed checkpoints (key generation, signing, checking).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ecoduty_store::checkpoints::{
    CheckpointFile, CheckpointReport, PublicKey, SignatureAlgorithm, SigningKey,
};
use ecoduty_store::ledger::{LedgerEntry, LedgerFilter};
use ecoduty_store::verify::VerifyOptions;

use super::{print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Args)]
pub struct LogArgs {
    /// The record: KIND:ID, e.g. tenure:12, post:3, person:7, organisation:2, local_duty:1,
    /// region:410872, regulation:1, roster_import:1.
    #[arg(long)]
    entity: String,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Recompute the hash chain, check every stored record and derived table against it, and
    /// (with --checkpoints) every signed checkpoint against the chain.
    Verify {
        /// Signed checkpoints (JSON lines, as `ledger checkpoint` appends them) to compare with
        /// the chain: finds a rewritten or truncated ledger.
        #[arg(long, env = "ECODUTY_CHECKPOINTS")]
        checkpoints: Option<PathBuf>,
        /// A public key (or a file of several, one per line) that may have signed the
        /// checkpoints; repeat for keys rotated out. Default: the signing key's own.
        #[arg(long = "public-key")]
        public_keys: Vec<PathBuf>,
        #[command(flatten)]
        key: KeyArgs,
        #[arg(long)]
        json: bool,
    },
    /// Sign the ledger's tip (sequence, hash, time) and append it to the checkpoint file.
    Checkpoint {
        /// The append-only file of checkpoints.
        #[arg(long, env = "ECODUTY_CHECKPOINTS")]
        checkpoints: PathBuf,
        #[command(flatten)]
        key: KeyArgs,
        #[arg(long)]
        json: bool,
    },
    /// Make a key pair for signing checkpoints: FILE (secret) and FILE.pub (public).
    Keygen {
        /// Where to write the secret key (created readable by its owner only).
        #[arg(long)]
        out: PathBuf,
        /// ed25519 or sm2. Default: sm2 if the database hashes with SM3, else ed25519.
        #[arg(long)]
        algorithm: Option<SignatureAlgorithm>,
    },
    /// List entries, newest first.
    List {
        #[arg(long)]
        entity: Option<String>,
        #[arg(long)]
        actor: Option<String>,
        /// Only entries before this sequence number (for paging).
        #[arg(long)]
        before: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

/// Where the checkpoint signing key comes from: a file, or the key itself in the environment.
#[derive(Args)]
pub struct KeyArgs {
    /// The secret key file (`ledger keygen`). Default: the key in ECODUTY_LEDGER_KEY.
    #[arg(long = "key", env = "ECODUTY_LEDGER_KEY_FILE")]
    key_file: Option<PathBuf>,
}

impl KeyArgs {
    /// The signing key, if one is configured.
    pub fn load(&self) -> anyhow::Result<Option<SigningKey>> {
        if let Some(path) = &self.key_file {
            return SigningKey::from_file(path)
                .map(Some)
                .map_err(|e| user_error(format!("--key: {e}")));
        }
        match std::env::var("ECODUTY_LEDGER_KEY") {
            Ok(text) if !text.trim().is_empty() => SigningKey::from_text(&text)
                .map(Some)
                .map_err(|e| user_error(format!("ECODUTY_LEDGER_KEY: {e}"))),
            _ => Ok(None),
        }
    }
}

fn write_new(path: &Path, text: &str, secret: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(|e| {
        user_error(format!(
            "{}: {e} (a key file is never overwritten)",
            path.display()
        ))
    })?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    Ok(())
}

fn print_checkpoints(c: &CheckpointReport) {
    println!("{} checkpoints compared", c.checked);
    if let Some(l) = &c.latest_held {
        println!(
            "latest checkpoint that holds: entry {} signed {} by key {}",
            l.seq, l.signed_at, l.key_id
        );
    }
}

/// The fields that differ between two JSON objects, as "field: before → after".
fn changes(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> Vec<String> {
    let empty = serde_json::Map::new();
    let b = before.and_then(|v| v.as_object()).unwrap_or(&empty);
    let a = after.and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut out = Vec::new();
    for (k, av) in a {
        if k == "rev" {
            continue;
        }
        match b.get(k) {
            Some(bv) if bv == av => {}
            Some(bv) => out.push(format!("{k}: {bv} → {av}")),
            None if before.is_none() => out.push(format!("{k}: {av}")),
            None => out.push(format!("{k}: (none) → {av}")),
        }
    }
    out
}

fn print_entry(e: &LedgerEntry) {
    println!(
        "#{} {} {} {} {}:{} rev {} — {}",
        e.seq, e.recorded_at, e.actor, e.action, e.entity, e.entity_id, e.rev, e.reason
    );
    for line in changes(e.before.as_ref(), e.after.as_ref()) {
        println!("      {line}");
    }
}

pub async fn log(ctx: &Context, args: LogArgs) -> anyhow::Result<()> {
    let (kind, id) = args.entity.split_once(':').ok_or_else(|| {
        user_error(format!(
            "--entity {:?}: write KIND:ID, e.g. tenure:12",
            args.entity
        ))
    })?;
    let store = ctx.store().await?;
    let entries = store
        .entity_log(kind.trim(), id.trim())
        .await
        .or_user("read the ledger")?;
    if entries.is_empty() {
        return Err(user_error(format!("no ledger entries for {}", args.entity)));
    }
    if args.json {
        return print_json(&entries);
    }
    for e in &entries {
        print_entry(e);
    }
    Ok(())
}

/// `ledger keygen`: writes the secret key to `out` and the public key to `out`.pub.
async fn keygen(
    ctx: &Context,
    out: &Path,
    algorithm: Option<SignatureAlgorithm>,
) -> anyhow::Result<()> {
    let algorithm = match algorithm {
        Some(a) => a,
        None => SignatureAlgorithm::for_hash(ctx.store().await?.hash_algorithm()),
    };
    let key = SigningKey::generate(algorithm).or_user("make a key")?;
    let mut public_path = out.as_os_str().to_owned();
    public_path.push(".pub");
    let public_path = PathBuf::from(public_path);
    write_new(out, &key.to_text(), true)?;
    write_new(&public_path, &key.public_key().to_text(), false)?;
    println!(
        "{} key {}: secret {} (keep it off the database's machine or readable by the server only), public {}",
        key.algorithm(),
        key.key_id(),
        out.display(),
        public_path.display()
    );
    Ok(())
}

pub async fn run(ctx: &Context, cmd: LedgerCommand) -> anyhow::Result<()> {
    if let LedgerCommand::Keygen { out, algorithm } = &cmd {
        return keygen(ctx, out, *algorithm).await;
    }
    let store = ctx.store().await?;
    match cmd {
        LedgerCommand::Verify {
            checkpoints,
            public_keys,
            key,
            json,
        } => {
            let mut options = VerifyOptions::default();
            if let Some(path) = &checkpoints {
                let filed = CheckpointFile::new(path)
                    .read()
                    .or_user("read the checkpoints")?;
                let mut keys: Vec<PublicKey> = Vec::new();
                for p in &public_keys {
                    keys.extend(
                        PublicKey::keyring_from_file(p)
                            .map_err(|e| user_error(format!("--public-key: {e}")))?,
                    );
                }
                if keys.is_empty() {
                    match key.load()? {
                        Some(k) => keys.push(k.public_key().clone()),
                        None => {
                            return Err(user_error(
                                "--checkpoints needs the public keys that signed them: --public-key FILE",
                            ))
                        }
                    }
                }
                options.checkpoints = Some((filed, keys));
            }
            let head = store.ledger_head().await.or_user("read the ledger")?;
            if !json && head.seq >= 100_000 {
                eprintln!(
                    "verifying {} ledger entries and every stored record; on a large ledger this takes minutes …",
                    head.seq
                );
            }
            let report = store
                .verify_ledger_with(&options)
                .await
                .or_user("verify the ledger")?;
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "{} entries, {} stored record versions and {} derived rows checked, hash {}",
                    report.entries,
                    report.records_checked,
                    report.derived_checked,
                    report.algorithm
                );
                println!("tip: entry {} hash {}", report.tip.seq, report.tip.hash);
                if let Some(c) = &report.checkpoints {
                    print_checkpoints(c);
                }
            }
            if let Some(m) = &report.first_mismatch {
                return Err(user_error(format!(
                    "ledger entry {} does not match: {}",
                    m.seq, m.problem
                )));
            }
            if let Some(d) = &report.derived_mismatch {
                return Err(user_error(format!(
                    "{} disagrees with the versions ({}): {}",
                    d.table, d.record, d.problem
                )));
            }
            if let Some(b) = report
                .checkpoints
                .as_ref()
                .and_then(|c| c.first_broken.as_ref())
            {
                return Err(user_error(format!(
                    "checkpoint on line {} (entry {}, signed {} by key {}) does not hold: {}",
                    b.line,
                    b.checkpoint.seq,
                    b.checkpoint.signed_at,
                    b.checkpoint.key_id,
                    b.problem
                )));
            }
            if !json {
                println!("台账完整 the ledger is intact");
            }
            Ok(())
        }
        LedgerCommand::Checkpoint {
            checkpoints,
            key,
            json,
        } => {
            let key = key.load()?.ok_or_else(|| {
                user_error("no signing key: --key FILE, ECODUTY_LEDGER_KEY_FILE or ECODUTY_LEDGER_KEY (make one with `ecoduty ledger keygen`)")
            })?;
            let file = CheckpointFile::new(&checkpoints);
            let c = store
                .write_checkpoint(&key, &file)
                .await
                .or_user("sign a checkpoint")?;
            if json {
                return print_json(&c);
            }
            println!(
                "checkpoint: entry {} hash {} signed {} by key {} ({}), appended to {}",
                c.seq,
                c.hash,
                c.signed_at,
                c.key_id,
                c.algorithm,
                checkpoints.display()
            );
            Ok(())
        }
        LedgerCommand::Keygen { .. } => unreachable!("keygen runs before the store is opened"),
        LedgerCommand::List {
            entity,
            actor,
            before,
            limit,
            json,
        } => {
            let filter = LedgerFilter {
                entity,
                actor,
                // The command line is the operator's: it lists every entry.
                confidential: true,
                ..Default::default()
            };
            let entries = store
                .ledger_page(&filter, before, limit.clamp(1, 1000))
                .await
                .or_user("read the ledger")?;
            if json {
                return print_json(&entries);
            }
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.seq.to_string(),
                        e.recorded_at.clone(),
                        e.actor.clone(),
                        e.action.clone(),
                        format!("{}:{}", e.entity, e.entity_id),
                        e.reason.clone(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "#",
                    "时间 time",
                    "操作人 actor",
                    "动作 action",
                    "记录 record",
                    "事由 reason",
                ],
                &rows,
            );
            Ok(())
        }
    }
}
