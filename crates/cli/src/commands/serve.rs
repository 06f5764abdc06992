//! `ecoduty serve`: the web application and the JSON API.

use std::net::SocketAddr;

use clap::Args;
use ecoduty_web::{AppState, Config};

use super::{today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "ECODUTY_ADDR")]
    addr: String,
    /// Load the demo jurisdiction and print a one-time password for the `admin` account.
    #[arg(long)]
    demo: bool,
    /// Sign ledger checkpoints into this append-only file (JSON lines), with the key of
    /// --key / ECODUTY_LEDGER_KEY_FILE / ECODUTY_LEDGER_KEY.
    #[arg(long, env = "ECODUTY_CHECKPOINTS")]
    checkpoints: Option<std::path::PathBuf>,
    #[command(flatten)]
    key: super::ledger::KeyArgs,
    /// Seconds between checkpoints (when the ledger has moved); a bulk write (an import, a
    /// sheet) is signed at once.
    #[arg(long, env = "ECODUTY_CHECKPOINT_INTERVAL", default_value_t = 3600)]
    checkpoint_interval: u64,
}

pub async fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        user_error(format!(
            "--addr {:?}: expected HOST:PORT, e.g. 127.0.0.1:8080",
            args.addr
        ))
    })?;
    let key = args.key.load()?;
    let anchor = match (key, &args.checkpoints) {
        (Some(key), Some(path)) => Some((key, ecoduty_store::checkpoints::CheckpointFile::new(path))),
        (None, None) => None,
        (Some(_), None) => {
            return Err(user_error(
                "a ledger signing key is set but no checkpoint file: --checkpoints FILE or ECODUTY_CHECKPOINTS",
            ))
        }
        (None, Some(_)) => {
            return Err(user_error(
                "--checkpoints needs a signing key: --key FILE, ECODUTY_LEDGER_KEY_FILE or ECODUTY_LEDGER_KEY",
            ))
        }
    };
    let store = ctx.store().await?;
    let password = if args.demo {
        Some(
            ecoduty_web::demo::prepare(&store, today())
                .await
                .map_err(|e| anyhow::anyhow!(e))?,
        )
    } else {
        None
    };
    let users = store.user_count().await.or_user("read")?;
    let state = AppState::new(store, Config::from_env());
    let db = ctx.db_url().to_string();
    let every = std::time::Duration::from_secs(args.checkpoint_interval.max(1));
    let signing = anchor.as_ref().map(|(key, file)| {
        format!(
            "signing ledger checkpoints into {} with {} key {}",
            file.path().display(),
            key.algorithm(),
            key.key_id()
        )
    });
    let checkpoints = anchor.map(|(key, file)| {
        let store = state.store.clone();
        tokio::spawn(async move { store.run_checkpoints(key, file, every).await })
    });
    let served = ecoduty_web::serve(state, addr, move |bound| {
        println!("ecoduty serving http://{bound}/  (database {db})");
        if let Some(s) = &signing {
            println!("{s}");
        }
        match &password {
            Some(p) => println!("demo administrator: username admin, one-time password {p}"),
            None if users == 0 => println!(
                "no users yet: run `ecoduty serve --demo`, or create one with `ecoduty user add`"
            ),
            None => {}
        }
    })
    .await;
    if let Some(task) = checkpoints {
        task.abort();
    }
    served
}
