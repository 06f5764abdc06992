//! Inspections (督察, Art. 13): central, provincial or municipal; routine, special or
//! follow-up (回头看); the regions covered, the dates and the team. A caller sees the
//! inspections of regions within their own and of the regions above it.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_domain::supervision::{InspectionKind, InspectionLevel};
use ecoduty_store::supervision::findings::{Finding, FindingFilter};
use ecoduty_store::supervision::inspections::{Inspection, InspectionFilter, NewInspection};
use ecoduty_store::supervision::PageRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{list_scope, reason_or, required_text, Allowed, Inspect};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::auth::{ApiScoped, ApiViewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InspectionQuery {
    /// Inspections concerning this region; the caller's region when absent.
    pub region: Option<String>,
    #[param(inline)]
    pub level: Option<InspectionLevel>,
    #[param(inline)]
    pub kind: Option<InspectionKind>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/inspections", operation_id = "inspections_list", tag = "inspections",
    params(InspectionQuery),
    responses(
        (status = 200, description = "Inspections of regions within the region or above it, newest first", body = Page<Inspection>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<InspectionQuery>,
) -> ApiResult<Json<Page<Inspection>>> {
    let filter = InspectionFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        level: q.level,
        kind: q.kind,
    };
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    Ok(Json(pagination::from_store(
        state.store.inspections_page(&filter, page).await?,
    )))
}

/// A new inspection.
#[derive(Deserialize, ToSchema)]
pub struct NewInspectionBody {
    pub level: InspectionLevel,
    pub kind: InspectionKind,
    pub title: String,
    /// The regions inspected (codes), each within the caller's region; at least one.
    pub regions: Vec<String>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The team (督察组).
    #[serde(default)]
    pub team: String,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/inspections", operation_id = "inspections_create", tag = "inspections",
    request_body = NewInspectionBody,
    responses(
        (status = 201, description = "The inspection recorded", body = Inspection),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<Inspect>,
    Json(body): Json<NewInspectionBody>,
) -> ApiResult<(StatusCode, Json<Inspection>)> {
    let title = required_text("title", &body.title, 200)?;
    let team = crate::api::common::optional_text("team", &body.team, 500)?;
    if body.regions.is_empty() {
        return Err(AppError::invalid("regions", "name at least one region inspected").into());
    }
    let mut regions = Vec::with_capacity(body.regions.len());
    for code in &body.regions {
        let r = v.region(&state.store, code).await.map_err(|_| {
            AppError::invalid("regions", format!("no region {code} in your region"))
        })?;
        regions.push(r.code);
    }
    if body.end_date < body.start_date {
        return Err(AppError::invalid("end_date", "the end date is before the start date").into());
    }
    let reason = reason_or(body.reason, || format!("record inspection {title}"))?;
    let inspection = state
        .store
        .create_inspection(
            &v.change(reason),
            NewInspection {
                level: body.level,
                kind: body.kind,
                title,
                regions,
                start_date: body.start_date,
                end_date: body.end_date,
                team,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(inspection)))
}

/// An inspection with the first findings it gave within the caller's region.
#[derive(Serialize, ToSchema)]
pub struct InspectionDetail {
    pub inspection: Inspection,
    /// Its findings within the caller's region, newest first (the first 500; the findings
    /// list filtered by `inspection_id` pages through all).
    pub findings: Vec<Finding>,
}

#[utoipa::path(
    get, path = "/api/v1/inspections/{id}", operation_id = "inspections_get", tag = "inspections",
    params(("id" = i64, Path, description = "Inspection id", example = 1)),
    responses(
        (status = 200, description = "The inspection and its findings", body = InspectionDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(inspection, v): ApiScoped<Inspection>,
) -> ApiResult<Json<InspectionDetail>> {
    let filter = FindingFilter {
        within: v.root().cloned(),
        inspection_id: Some(inspection.id),
        ..FindingFilter::default()
    };
    let findings = state
        .store
        .findings_page(&filter, PageRequest::first(PageRequest::MAX_LIMIT))
        .await?
        .items;
    Ok(Json(InspectionDetail {
        inspection,
        findings,
    }))
}
