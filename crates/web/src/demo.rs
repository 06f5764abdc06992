//! `serve --demo`: the demo jurisdiction (with its monitoring data, last year's published
//! assessment and this year's supervision loop) and an administrator with a one-time password.

use ecoduty_domain::access::UserRole;
use ecoduty_store::users::NewUser;
use ecoduty_store::{Change, Store};

use crate::auth::{password, secrets};

/// The demo administrator's username.
pub const ADMIN: &str = "admin";

/// Builds the demo (once) and gives the administrator a fresh one-time password, returned for
/// printing. The password is never stored in clear or logged.
pub async fn prepare(store: &Store, today: chrono::NaiveDate) -> anyhow::Result<String> {
    ecoduty_fixtures::demo::build(store, "system:demo", today).await?;
    ecoduty_fixtures::quality_demo::build_quality(store, "system:demo", today).await?;
    ecoduty_fixtures::assessment_demo::build_assessment(store, "system:demo", today).await?;
    ecoduty_fixtures::zoning_demo::build_zoning(store, "system:demo").await?;
    ecoduty_fixtures::supervision_demo::build_supervision(store, "system:demo", today).await?;
    ecoduty_fixtures::waters_demo::build_waters(store, "system:demo", today).await?;
    let one_time = format!("Demo-{}", secrets::token(12));
    let hash = password::hash(one_time.clone()).await?;
    let change = Change::new(
        "system:demo",
        "one-time password for the demo administrator",
    );
    match store.user_for_sign_in(ADMIN).await? {
        Some((user, _)) => store.set_password(&change, user.id, &hash, true).await?,
        None => {
            store
                .create_user(
                    &change,
                    NewUser {
                        username: ADMIN.into(),
                        display_name: "演示管理员".into(),
                        role: UserRole::SystemAdmin,
                        region_code: None,
                        password_hash: hash,
                        one_time: true,
                    },
                )
                .await?;
        }
    }
    Ok(one_time)
}
