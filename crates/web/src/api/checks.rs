//! Art. 15's register of checks (监督检查): what is planned or done, by which body, on which
//! unit. Planning a check that breaks a limit (too many checks of one unit in a year, or too
//! close to the last) is refused with 422 and the reason (`field: limits`); a user whose role
//! carries the override permission may plan it anyway with a written justification, and the
//! override, who made it and the limits broken stay in the check's record. Merge suggestions
//! name checks of one unit close enough to make one visit; the burden report counts each
//! unit's checks in a year.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use ecoduty_domain::access::Permission;
use ecoduty_domain::supervision::checks::{CheckKind, CheckStatus};
use ecoduty_store::supervision::checks::{
    BurdenRow, Check, CheckAssessment, CheckFilter, CheckOverride, MergeRow, NewCheck, PlannedCheck,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{list_scope, reason_or, year_param, Allowed, PlanChecks};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::auth::{ApiScoped, ApiViewer, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// Checks of units within this region; the caller's region when absent.
    pub region: Option<String>,
    pub year: Option<i32>,
    pub by_organisation_id: Option<i64>,
    pub on_organisation_id: Option<i64>,
    #[param(inline)]
    pub status: Option<CheckStatus>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/checks", operation_id = "checks_list", tag = "checks",
    params(CheckQuery),
    responses(
        (status = 200, description = "Registered checks, newest first", body = Page<Check>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<CheckQuery>,
) -> ApiResult<Json<Page<Check>>> {
    let filter = CheckFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        year: year_param("year", q.year)?,
        by_organisation_id: q.by_organisation_id,
        on_organisation_id: q.on_organisation_id,
        status: q.status,
    };
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    Ok(Json(pagination::from_store(
        state.store.checks_page(&filter, page).await?,
    )))
}

/// A check to plan.
#[derive(Deserialize, ToSchema)]
pub struct NewCheckBody {
    /// The checking body (an organisation).
    pub by_organisation_id: i64,
    /// The unit checked, within the caller's region.
    pub on_organisation_id: i64,
    pub kind: CheckKind,
    /// What the check is about.
    pub subject: String,
    pub date: NaiveDate,
    /// To plan it beyond Art. 15's limits: why it cannot wait or merge (recorded with the
    /// check; needs the override permission).
    pub override_justification: Option<String>,
}

/// Checks a plan's parties: the unit checked within the caller's region, the checking body an
/// organisation that exists.
async fn parties(state: &AppState, v: &Viewer, body: &NewCheckBody) -> Result<NewCheck, AppError> {
    v.organisation(&state.store, body.on_organisation_id)
        .await
        .map_err(|_| {
            AppError::invalid(
                "on_organisation_id",
                format!("no organisation {} in your region", body.on_organisation_id),
            )
        })?;
    if state
        .store
        .organisation(body.by_organisation_id)
        .await?
        .is_none()
    {
        return Err(AppError::invalid(
            "by_organisation_id",
            format!("no organisation {}", body.by_organisation_id),
        ));
    }
    let subject = crate::api::common::required_text("subject", &body.subject, 500)?;
    Ok(NewCheck {
        by_organisation_id: body.by_organisation_id,
        on_organisation_id: body.on_organisation_id,
        kind: body.kind,
        subject,
        date: body.date,
    })
}

#[utoipa::path(
    post, path = "/api/v1/checks", operation_id = "checks_plan", tag = "checks",
    request_body = NewCheckBody,
    responses(
        (status = 201, description = "The check registered, with the checks of the same unit close enough to merge with", body = PlannedCheck),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<PlanChecks>,
    Json(body): Json<NewCheckBody>,
) -> ApiResult<(StatusCode, Json<PlannedCheck>)> {
    let new = parties(&state, &v, &body).await?;
    let overridden = match body
        .override_justification
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty())
    {
        Some(justification) => {
            if !v.can(Permission::OverrideCheckLimits) {
                return Err(AppError::Forbidden.into());
            }
            if justification.chars().count() > 2000 {
                return Err(
                    AppError::invalid("override_justification", "at most 2000 characters").into(),
                );
            }
            Some(CheckOverride {
                username: v.user.username.clone(),
                justification: justification.to_string(),
            })
        }
        None => None,
    };
    let reason = if overridden.is_some() {
        format!("plan check beyond Art. 15 limits: {}", new.subject)
    } else {
        format!("plan check: {}", new.subject)
    };
    let planned = state
        .store
        .plan_check(&v.change(reason), new, overridden)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Invalid { field, message } if field == "justification" => {
                AppError::invalid("override_justification", message)
            }
            other => other,
        })?;
    Ok((StatusCode::CREATED, Json(planned)))
}

#[utoipa::path(
    post, path = "/api/v1/checks/assess", operation_id = "checks_assess", tag = "checks",
    request_body = NewCheckBody,
    responses(
        (status = 200, description = "What planning the check would meet (the limits it breaks, the checks to merge with), without planning it", body = CheckAssessment),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn assess(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<PlanChecks>,
    Json(body): Json<NewCheckBody>,
) -> ApiResult<Json<CheckAssessment>> {
    let new = parties(&state, &v, &body).await?;
    Ok(Json(state.store.assess_check(&new).await?))
}

#[utoipa::path(
    get, path = "/api/v1/checks/{id}", operation_id = "checks_get", tag = "checks",
    params(("id" = i64, Path, description = "Check id", example = 1)),
    responses(
        (status = 200, description = "The check, with any override and the limits it broke", body = Check),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(ApiScoped(check, _): ApiScoped<Check>) -> ApiResult<Json<Check>> {
    Ok(Json(check))
}

/// A planned check done or cancelled.
#[derive(Deserialize, ToSchema)]
pub struct CheckStatusBody {
    /// `done` or `cancelled`.
    pub status: CheckStatus,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/checks/{id}/status", operation_id = "checks_set_status", tag = "checks",
    params(("id" = i64, Path, description = "Check id", example = 1)),
    request_body = CheckStatusBody,
    responses(
        (status = 200, description = "The check's new version", body = Check),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    ApiScoped(check, _): ApiScoped<Check>,
    Allowed(v, _): Allowed<PlanChecks>,
    Json(body): Json<CheckStatusBody>,
) -> ApiResult<Json<Check>> {
    let reason = reason_or(body.reason, || {
        format!("check {} {}", check.id, body.status.key())
    })?;
    Ok(Json(
        state
            .store
            .set_check_status(&v.change(reason), check.id, body.status)
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Units within this region; the caller's region when absent.
    pub region: Option<String>,
    /// The calendar year; this year when absent.
    pub year: Option<i32>,
}

#[utoipa::path(
    get, path = "/api/v1/checks/merge-suggestions", operation_id = "checks_merge_suggestions", tag = "checks",
    params(YearQuery),
    responses(
        (status = 200, description = "Pairs of registered checks of one unit close enough to make one visit", body = Vec<MergeRow>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn merge_suggestions(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<Vec<MergeRow>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    let year = year_param("year", q.year)?.unwrap_or_else(|| crate::api::common::today().year());
    Ok(Json(
        state
            .store
            .check_merge_suggestions(within.as_ref(), year)
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/checks/burden", operation_id = "checks_burden", tag = "checks",
    params(YearQuery),
    responses(
        (status = 200, description = "Each unit's checks in the year, in total and by checking body, most first", body = Vec<BurdenRow>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn burden(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<Vec<BurdenRow>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    let year = year_param("year", q.year)?.unwrap_or_else(|| crate::api::common::today().year());
    Ok(Json(state.store.check_burden(within.as_ref(), year).await?))
}
