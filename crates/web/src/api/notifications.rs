//! The caller's notifications inbox: what the scheduler told them (deadlines near, items
//! overdue or escalated, reviews due, dispatch reports missing), newest first, and marking one
//! read. Another user's notification is "not found".

use axum::extract::State;
use axum::http::StatusCode;
use ecoduty_store::supervision::notifications::Notification;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{Json, Path, Query};
use crate::api::pagination;
use crate::auth::ApiViewer;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Only those not yet read.
    pub unread: Option<bool>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

/// A page of the inbox, and how many notifications are unread in all.
#[derive(Serialize, ToSchema)]
pub struct Inbox {
    pub items: Vec<Notification>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next: Option<String>,
    pub unread: i64,
}

#[utoipa::path(
    get, path = "/api/v1/me/notifications", operation_id = "notifications_list", tag = "me",
    params(InboxQuery),
    responses(
        (status = 200, description = "The caller's notifications, newest first", body = Inbox),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<InboxQuery>,
) -> ApiResult<Json<Inbox>> {
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    let found = pagination::from_store(
        state
            .store
            .notifications_for_user(v.user.id, q.unread.unwrap_or(false), page)
            .await?,
    );
    let unread = state.store.unread_notifications(v.user.id).await?;
    Ok(Json(Inbox {
        items: found.items,
        next: found.next,
        unread,
    }))
}

#[utoipa::path(
    post, path = "/api/v1/me/notifications/{id}/read", operation_id = "notifications_mark_read", tag = "me",
    params(("id" = i64, Path, description = "Notification id", example = 1)),
    responses(
        (status = 204, description = "Marked read (marking it again changes nothing)"),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let now = crate::auth::viewer::timestamp(chrono::Utc::now());
    state
        .store
        .mark_notification_read(v.user.id, id, &now)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
