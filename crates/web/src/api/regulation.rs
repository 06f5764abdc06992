//! The regulation and the other frameworks: the frameworks stored, their versions, one
//! version's structure, duties, situations (情形) and forms of accountability, what differs
//! between two versions (article by article), and importing a new version — of the regulation
//! or of another framework named by its key — from its published text (system administrators
//! only).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_regulation::{Regulation, RegulationDiff};
use ecoduty_store::regulation::{
    FrameworkSummary, NewVersion, RegulationVersion, StoredDuty, StoredForm, StoredSituation,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{reason_or, Allowed, ImportRegulation};
use crate::api::extract::{Json, Path, Query};
use crate::auth::ApiViewer;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Which versions to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionsQuery {
    /// Only this framework's versions (`regulation-2025`, `accountability-measures` …).
    pub framework: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/regulation/versions", operation_id = "regulation_versions", tag = "regulation",
    params(VersionsQuery),
    responses(
        (status = 200, description = "Every stored version (of every framework, or of the one asked for), oldest first", body = Vec<RegulationVersion>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    ApiViewer(_): ApiViewer,
    Query(q): Query<VersionsQuery>,
) -> ApiResult<Json<Vec<RegulationVersion>>> {
    match q
        .framework
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        Some(key) => {
            let versions = state.store.framework_versions(key).await?;
            if versions.is_empty() {
                return Err(AppError::invalid(
                    "framework",
                    format!("no framework {key} is stored"),
                )
                .into());
            }
            Ok(Json(versions))
        }
        None => Ok(Json(state.store.regulation_versions().await?)),
    }
}

#[utoipa::path(
    get, path = "/api/v1/frameworks", operation_id = "frameworks_list", tag = "regulation",
    responses(
        (status = 200, description = "The frameworks stored (the built-in regulation first), each with its number of versions and the one in force today", body = Vec<FrameworkSummary>),
        (status = 401, response = crate::api::common::Unauthorized)
    )
)]
pub async fn frameworks(
    State(state): State<AppState>,
    ApiViewer(_): ApiViewer,
) -> ApiResult<Json<Vec<FrameworkSummary>>> {
    Ok(Json(
        state.store.frameworks(crate::api::common::today()).await?,
    ))
}

/// A version with its structure, its duties and the text it was read from.
#[derive(Serialize, ToSchema)]
pub struct VersionDetail {
    pub version: RegulationVersion,
    /// Chapters, articles, paragraphs and items, and the warnings raised reading the text.
    pub structure: Regulation,
    /// The duties it assigns, each with the post types it binds (the regulation's versions
    /// only).
    pub duties: Vec<StoredDuty>,
    /// The situations (情形) its text lists, per kind of leader.
    pub situations: Vec<StoredSituation>,
    /// The forms of accountability its text lists.
    pub forms: Vec<StoredForm>,
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
    let situations = state.store.framework_situations(id).await?;
    let forms = state.store.framework_forms(id).await?;
    Ok(Json(VersionDetail {
        version,
        structure,
        duties,
        situations,
        forms,
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
    /// The framework the version belongs to (`accountability-measures`); the built-in
    /// regulation (`regulation-2025`) when absent.
    pub framework: Option<String>,
    /// How citations name the framework (办法); read from the title when absent.
    pub short_name: Option<String>,
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
                framework: body.framework.as_deref(),
                short_name: body.short_name.clone(),
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
