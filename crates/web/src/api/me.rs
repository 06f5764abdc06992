//! The caller: their account, role, what the role allows, and the region they reach.

use axum::extract::State;
use ecoduty_domain::access::{allows, Permission, UserRole};
use ecoduty_domain::Region;
use ecoduty_store::users::User;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::Json;
use crate::auth::ApiViewer;
use crate::error::ApiResult;
use crate::state::AppState;

/// The permissions and the key each is listed under.
const PERMISSIONS: [(Permission, &str); 5] = [
    (Permission::ReadRecords, "read_records"),
    (Permission::EditRecords, "edit_records"),
    (Permission::ImportRegulation, "import_regulation"),
    (Permission::ManageUsers, "manage_users"),
    (Permission::ReadLedger, "read_ledger"),
];

/// Who is calling.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub role: UserRole,
    pub role_name_zh: String,
    pub role_name_en: String,
    /// What the role allows: read_records, edit_records, import_regulation, manage_users,
    /// read_ledger.
    pub permissions: Vec<String>,
    /// The caller reaches the whole country.
    pub nationwide: bool,
    /// The region whose subtree the caller reaches (`null` when nationwide).
    pub region: Option<Region>,
    /// Signed in with an API token (rather than a browser session).
    pub token: bool,
}

#[utoipa::path(
    get, path = "/api/v1/me", operation_id = "me", tag = "me",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, response = crate::api::common::Unauthorized)
    )
)]
pub async fn me(State(state): State<AppState>, ApiViewer(v): ApiViewer) -> ApiResult<Json<Me>> {
    let region = match v.root() {
        Some(code) => state.store.region(code).await?,
        None => None,
    };
    let role = v.user.role;
    Ok(Json(Me {
        permissions: PERMISSIONS
            .iter()
            .filter(|(p, _)| allows(role, *p))
            .map(|(_, key)| key.to_string())
            .collect(),
        role,
        role_name_zh: role.name_zh().into(),
        role_name_en: role.name_en().into(),
        nationwide: v.root().is_none(),
        region,
        token: v.session.is_none(),
        user: v.user,
    }))
}
