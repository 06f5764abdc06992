//! `ecoduty log` and `ecoduty ledger …`: the change ledger — a record's history, browsing, and
//! verification of the hash chain.

use clap::{Args, Subcommand};
use ecoduty_store::ledger::{LedgerEntry, LedgerFilter};

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
    /// Recompute the hash chain and check every stored record against it.
    Verify {
        #[arg(long)]
        json: bool,
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

pub async fn run(ctx: &Context, cmd: LedgerCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        LedgerCommand::Verify { json } => {
            let report = store.verify_ledger().await.or_user("verify the ledger")?;
            if json {
                print_json(&report)?;
            } else {
                println!(
                    "{} entries, {} stored record versions checked, hash {}",
                    report.entries, report.records_checked, report.algorithm
                );
            }
            match &report.first_mismatch {
                None => {
                    if !json {
                        println!("台账完整 the ledger is intact");
                    }
                    Ok(())
                }
                Some(m) => Err(user_error(format!(
                    "ledger entry {} does not match: {}",
                    m.seq, m.problem
                ))),
            }
        }
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
