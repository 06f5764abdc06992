//! `ecoduty user …`: accounts of the web application from the command line.
//!
//! - `user add`: the first administrator of a deployment (and any account, for scripts): a
//!   one-time password is generated and printed; the account changes it after signing in.
//! - `user reset`: a new one-time password for an account (a locked-out administrator); the
//!   account's sessions end.
//! - `user token`: a personal API token, for scripts and CI where nobody signs in to the web
//!   interface to create one. The token is printed once; the database keeps only its hash, and
//!   the ledger records that it was created and by whom.

use clap::Subcommand;

use super::{Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account with a generated one-time password (printed once).
    Add {
        #[arg(long)]
        username: String,
        /// The name shown in the interface (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// system_admin, region_admin, inspector, officer, leader or auditor.
        #[arg(long)]
        role: String,
        /// The region the account is bound to (all but system administrators need one).
        #[arg(long)]
        region: Option<String>,
    },
    /// Give an account a new generated one-time password (printed once); its sessions end.
    Reset {
        #[arg(long)]
        username: String,
    },
    /// Create a personal API token for a user and print it (shown this once only).
    Token {
        /// The account the token acts as.
        #[arg(long)]
        username: String,
        /// A name to tell the token apart (1–100 characters).
        #[arg(long)]
        name: String,
    },
}

pub async fn run(ctx: &Context, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            username,
            display_name,
            role,
            region,
        } => {
            use ecoduty_domain::access::{check_username, UserRole};
            check_username(&username).map_err(user_error)?;
            let role: UserRole = role.parse().map_err(user_error)?;
            let region = region.as_deref().map(super::parse_region).transpose()?;
            let (password, hash) = one_time_password().await?;
            let store = ctx.store().await?;
            let user = store
                .create_user(
                    &ctx.change(format!("account {username} created from the command line")),
                    ecoduty_store::users::NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        role,
                        region_code: region,
                        password_hash: hash,
                        one_time: true,
                    },
                )
                .await
                .or_user("create the account")?;
            println!(
                "created user {} ({}, {}); one-time password: {password}",
                user.username,
                user.role.key(),
                user.region_code
                    .as_ref()
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "nationwide".into())
            );
        }
        UserCommand::Reset { username } => {
            let store = ctx.store().await?;
            let user = account(&store, &username).await?;
            let (password, hash) = one_time_password().await?;
            store
                .set_password(
                    &ctx.change(format!(
                        "one-time password for {username}, from the command line"
                    )),
                    user.id,
                    &hash,
                    true,
                )
                .await
                .or_user("reset the password")?;
            println!("user {username}: one-time password: {password}");
        }
        UserCommand::Token { username, name } => {
            let store = ctx.store().await?;
            let user = account(&store, &username).await?;
            if !user.active {
                return Err(user_error(format!("user {username} is deactivated")));
            }
            let token = ecoduty_web::auth::secrets::api_token();
            store
                .create_api_token(
                    &ctx.change(format!(
                        "API token {name} for {username}, from the command line"
                    )),
                    &user,
                    &name,
                    &token[..8],
                    &ecoduty_web::auth::secrets::digest(&token),
                )
                .await
                .or_user("create the token")?;
            println!("{token}");
        }
    }
    Ok(())
}

/// An account by its username, or the user error naming it.
async fn account(
    store: &ecoduty_store::Store,
    username: &str,
) -> anyhow::Result<ecoduty_store::users::User> {
    Ok(store
        .user_for_sign_in(username)
        .await
        .or_user("read the users")?
        .ok_or_else(|| user_error(format!("no user named {username}")))?
        .0)
}

/// A generated one-time password and its hash.
async fn one_time_password() -> anyhow::Result<(String, String)> {
    let password = format!("Init-{}", ecoduty_web::auth::secrets::token(12));
    let hash = ecoduty_web::auth::password::hash(password.clone()).await?;
    Ok((password, hash))
}
