//! `ecoduty init`: create (or check) a database and say what it holds.

use clap::Args;
use ecoduty_store::{HashAlgorithm, OpenOptions, Store};
use serde::Serialize;

use super::{print_json, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Args)]
pub struct InitArgs {
    /// The change ledger's hash for a new database: sha256 (default) or sm3 (GB/T 32905).
    /// An existing database keeps the hash it was created with.
    #[arg(long, default_value = "sha256")]
    hash: String,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Status {
    database: String,
    backend: &'static str,
    ledger_hash: String,
    created_at: Option<String>,
    regions: i64,
    regulation_versions: usize,
}

pub async fn run(ctx: &Context, args: InitArgs) -> anyhow::Result<()> {
    let hash: HashAlgorithm = args.hash.parse().map_err(user_error)?;
    let store = Store::open_with(
        ctx.db_url(),
        OpenOptions {
            hash,
            ..Default::default()
        },
    )
    .await
    .or_user("open the database")?;
    let status = Status {
        database: ctx.db_url().to_string(),
        backend: store.backend().name(),
        ledger_hash: store.hash_algorithm().to_string(),
        created_at: store.meta("created_at").await.or_user("read")?,
        regions: store
            .region_counts()
            .await
            .or_user("read")?
            .iter()
            .map(|(_, n)| n)
            .sum(),
        regulation_versions: store.regulation_versions().await.or_user("read")?.len(),
    };
    if store.hash_algorithm() != hash {
        eprintln!(
            "note: this database was created with ledger hash {}; it cannot change",
            store.hash_algorithm()
        );
    }
    if args.json {
        return print_json(&status);
    }
    println!(
        "数据库 database      {} ({})",
        status.database, status.backend
    );
    println!(
        "创建于 created       {}",
        status.created_at.as_deref().unwrap_or("-")
    );
    println!("台账哈希 ledger hash  {}", status.ledger_hash);
    println!("行政区划 regions      {}", status.regions);
    println!("规定版本 regulation   {}", status.regulation_versions);
    Ok(())
}
