//! Responsibility lists (责任清单) — the duties of a post, or of a post type in a region, on a
//! date, each citing its article or local basis — and the local duties a region adds on top
//! of the regulation's: listed, created, revised and retired (each change a new version).

use axum::extract::State;
use axum::http::StatusCode;
use ecoduty_domain::responsibility::LocalDutySpec;
use ecoduty_domain::{Region, Role};
use ecoduty_store::duties::{ListFor, LocalDuty, ResponsibilityList};
use ecoduty_store::organisations::Organisation;
use ecoduty_store::posts::Post;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{reason_or, something_to_change, Allowed, EditRecords};
use crate::api::extract::{Json, Path, Query};
use crate::api::organisations::ListQuery;
use crate::api::regions::parse_date;
use crate::auth::ApiScoped;
use crate::error::{ApiError, ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionDutiesQuery {
    /// The post type whose list is asked for (give this or `post`).
    pub role: Option<Role>,
    /// A post of the region whose list is asked for (give this or `role`).
    pub post: Option<i64>,
    /// The date asked about (YYYY-MM-DD); today when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub at: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/duties", operation_id = "duties_of_region", tag = "duties",
    params(("code" = String, Path, description = "Region code", example = "410800"), RegionDutiesQuery),
    responses(
        (status = 200, description = "The responsibility list: the regulation's duties (version in force on the date) for the post type, then local duties of the region and the regions above it", body = ResponsibilityList),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn of_region(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Query(q): Query<RegionDutiesQuery>,
) -> ApiResult<Json<ResponsibilityList>> {
    let at = parse_date("at", q.at.as_deref())?;
    let what = match (q.role, q.post) {
        (Some(role), None) => ListFor::Role(role),
        (None, Some(post)) => ListFor::Post(post),
        _ => return Err(AppError::invalid("role", "give either role or post").into()),
    };
    let list = state
        .store
        .responsibility_list(&region.code, what, at)
        .await
        .map_err(|e| match e {
            ecoduty_store::StoreError::NotFound { .. } => {
                AppError::invalid("post", "no such post in this region")
            }
            other => other.into(),
        })?;
    Ok(Json(list))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtQuery {
    /// The date asked about (YYYY-MM-DD); today when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub at: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/posts/{id}/duties", operation_id = "duties_of_post", tag = "duties",
    params(("id" = i64, Path, description = "Post id", example = 1), AtQuery),
    responses(
        (status = 200, description = "The post's responsibility list on the date, with its holder that day", body = ResponsibilityList),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn of_post(
    State(state): State<AppState>,
    ApiScoped((post, org), _): ApiScoped<(Post, Organisation)>,
    Query(q): Query<AtQuery>,
) -> ApiResult<Json<ResponsibilityList>> {
    let at = parse_date("at", q.at.as_deref())?;
    Ok(Json(
        state
            .store
            .responsibility_list(&org.region_code, ListFor::Post(post.id), at)
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/local-duties", operation_id = "duties_local_list", tag = "duties",
    params(("code" = String, Path, description = "Region code", example = "410800"), ListQuery),
    responses(
        (status = 200, description = "The local duties the region itself added, as they stand, by id", body = Vec<LocalDuty>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn local_list(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<LocalDuty>>> {
    Ok(Json(
        state
            .store
            .local_duties_of(&region.code, q.include_retired)
            .await?,
    ))
}

/// A duty the region adds for a post type.
#[derive(Deserialize, ToSchema)]
pub struct NewLocalDuty {
    pub role: Role,
    #[schema(min_length = 1)]
    pub text: String,
    /// What it rests on (依据): a local document, an article, a plan.
    #[schema(min_length = 1)]
    pub basis: String,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/local-duties", operation_id = "duties_local_create", tag = "duties",
    params(("code" = String, Path, description = "Region code", example = "410800")),
    request_body = NewLocalDuty,
    responses(
        (status = 201, description = "The local duty added", body = LocalDuty),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn local_create(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<NewLocalDuty>,
) -> ApiResult<(StatusCode, Json<LocalDuty>)> {
    let reason = reason_or(body.reason, || {
        format!(
            "add a local duty of {} for {}",
            region.name,
            body.role.key()
        )
    })?;
    let duty = state
        .store
        .add_local_duty(
            &v.change(reason),
            LocalDutySpec {
                region_code: region.code,
                role: body.role,
                text: body.text,
                basis: body.basis,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(duty)))
}

/// A revision of a local duty; absent fields stay. `retired: true` retires it.
#[derive(Deserialize, ToSchema)]
pub struct LocalDutyChange {
    pub text: Option<String>,
    pub basis: Option<String>,
    pub retired: Option<bool>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    patch, path = "/api/v1/regions/{code}/local-duties/{id}", operation_id = "duties_local_revise", tag = "duties",
    params(
        ("code" = String, Path, description = "The code of the region that added the duty", example = "410800"),
        ("id" = i64, Path, description = "Local duty id", example = 1)
    ),
    request_body = LocalDutyChange,
    responses(
        (status = 200, description = "The duty's new version", body = LocalDuty),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn local_revise(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Path((_, id)): Path<(String, i64)>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<LocalDutyChange>,
) -> ApiResult<Json<LocalDuty>> {
    let duty = state
        .store
        .local_duty(id)
        .await?
        .filter(|d| d.region_code == region.code)
        .ok_or(ApiError(AppError::NotFound))?;
    something_to_change(
        body.text.as_deref().is_some_and(|t| t.trim() != duty.text)
            || body
                .basis
                .as_deref()
                .is_some_and(|b| b.trim() != duty.basis)
            || body.retired.is_some_and(|r| r != duty.retired),
    )?;
    let retiring = body.retired == Some(true) && !duty.retired;
    let reason = reason_or(body.reason, || {
        if retiring {
            format!("retire local duty {id} of {}", region.name)
        } else {
            format!("revise local duty {id} of {}", region.name)
        }
    })?;
    let after = state
        .store
        .revise_local_duty(&v.change(reason), id, body.text, body.basis, body.retired)
        .await?;
    Ok(Json(after))
}
