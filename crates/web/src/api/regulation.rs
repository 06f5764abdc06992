//! The regulation: its stored versions, one version's structure and duties, what differs
//! between two versions (article by article), and importing a new version from its published
//! text (system administrators only).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_regulation::{Regulation, RegulationDiff};
use ecoduty_store::regulation::{NewVersion, RegulationVersion, StoredDuty};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{reason_or, Allowed, ImportRegulation};
use crate::api::extract::{Json, Path, Query};
use crate::auth::ApiViewer;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[utoipa::path(
    get, path = "/api/v1/regulation/versions", operation_id = "regulation_versions", tag = "regulation",
    responses(
        (status = 200, description = "Every stored version, oldest first", body = Vec<RegulationVersion>),
        (status = 401, response = crate::api::common::Unauthorized)
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    ApiViewer(_): ApiViewer,
) -> ApiResult<Json<Vec<RegulationVersion>>> {
    Ok(Json(state.store.regulation_versions().await?))
}

/// A version with its structure, its duties and the text it was read from.
#[derive(Serialize, ToSchema)]
pub struct VersionDetail {
    pub version: RegulationVersion,
    /// Chapters, articles, paragraphs and items, and the warnings raised reading the text.
    pub structure: Regulation,
    /// The duties it assigns, each with the post types it binds.
    pub duties: Vec<StoredDuty>,
    pub text: String,
}

#[utoipa::path(
    get, path = "/api/v1/regulation/versions/{id}", operation_id = "regulation_version", tag = "regulation",
    params(("id" = i64, Path, description = "Version id", example = 1)),
    responses(
        (status = 200, description = "The version", body = VersionDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn version(
    State(state): State<AppState>,
    ApiViewer(_): ApiViewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<VersionDetail>> {
    let (version, structure, text) = state.store.regulation_version(id).await?;
    let duties = state.store.regulation_duties(id, None).await?;
    Ok(Json(VersionDetail {
        version,
        structure,
        duties,
        text,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The version compared from.
    #[param(example = 1)]
    pub a: i64,
    /// The version compared to.
    #[param(example = 1)]
    pub b: i64,
}

/// What differs between two versions.
#[derive(Serialize, ToSchema)]
pub struct DiffAnswer {
    pub a: RegulationVersion,
    pub b: RegulationVersion,
    pub diff: RegulationDiff,
}

#[utoipa::path(
    get, path = "/api/v1/regulation/diff", operation_id = "regulation_diff", tag = "regulation",
    params(DiffQuery),
    responses(
        (status = 200, description = "Articles only in one version, and the wording changes within articles in both", body = DiffAnswer),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn diff(
    State(state): State<AppState>,
    ApiViewer(_): ApiViewer,
    Query(q): Query<DiffQuery>,
) -> ApiResult<Json<DiffAnswer>> {
    let (a, reg_a, _) = state.store.regulation_version(q.a).await?;
    let (b, reg_b, _) = state.store.regulation_version(q.b).await?;
    let diff = ecoduty_regulation::diff(&reg_a, &reg_b);
    Ok(Json(DiffAnswer { a, b, diff }))
}

/// A new version of the regulation, from its published text.
#[derive(Deserialize, ToSchema)]
pub struct NewRegulationVersion {
    /// The text as published (a newspaper page is fine: the regulation is found in it).
    #[schema(min_length = 1)]
    pub text: String,
    /// Where the text comes from (recorded with the version).
    pub source_name: Option<String>,
    /// A label for the version; its effective date when absent.
    pub label: Option<String>,
    /// When it takes effect; the date of issue in the text when absent.
    pub effective_from: Option<NaiveDate>,
    /// Store it even though reading the text raised warnings (they are kept with it).
    #[serde(default)]
    pub accept_warnings: bool,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/regulation/versions", operation_id = "regulation_import", tag = "regulation",
    request_body = NewRegulationVersion,
    responses(
        (status = 201, description = "The version stored", body = RegulationVersion),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 409, response = crate::api::common::Conflict),
        (status = 413, response = crate::api::common::TooLarge),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ImportRegulation>,
    Json(body): Json<NewRegulationVersion>,
) -> ApiResult<(StatusCode, Json<RegulationVersion>)> {
    let regulation = ecoduty_regulation::parse(&body.text)
        .map_err(|e| AppError::invalid("text", e.to_string()))?;
    let source_name = body
        .source_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("API upload")
        .to_string();
    let reason = reason_or(body.reason, || {
        format!("import the regulation from {source_name}")
    })?;
    let version = state
        .store
        .import_regulation(
            &v.change(reason),
            NewVersion {
                framework: None,
                short_name: None,
                regulation: &regulation,
                text: &body.text,
                source_name: &source_name,
                label: body
                    .label
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty()),
                effective_from: body.effective_from,
                builtin: false,
            },
            body.accept_warnings,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(version)))
}
