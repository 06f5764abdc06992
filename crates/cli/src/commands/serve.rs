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
}

pub async fn run(ctx: &Context, args: ServeArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        user_error(format!(
            "--addr {:?}: expected HOST:PORT, e.g. 127.0.0.1:8080",
            args.addr
        ))
    })?;
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
    ecoduty_web::serve(state, addr, move |bound| {
        println!("ecoduty serving http://{bound}/  (database {db})");
        match &password {
            Some(p) => println!("demo administrator: username admin, one-time password {p}"),
            None if users == 0 => println!(
                "no users yet: run `ecoduty serve --demo`, or create one with `ecoduty user add`"
            ),
            None => {}
        }
    })
    .await
}
