//! The yearly assessment (考核评价, Arts. 14–16): schemes (考核细则) by assessing region and
//! year, scoring runs with every unit's explained lines, review, publication, entries for
//! manual and veto items, objections (申诉), and a person's eco record (Art. 16).
//!
//! A scheme is named by its assessing region and year (`/regions/{code}/assessments/{year}`);
//! there is one run per scheme, whose corrections are versions. Who sees what is decided in
//! [`crate::auth::assessment`]: the assessing region's users see drafts and act on them; the
//! assessed units' users see the published run and may object for their own unit.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_domain::access::Permission;
use ecoduty_domain::assessment::scheme::{Grading, Item};
use ecoduty_domain::assessment::scoring::UnitScore;
use ecoduty_domain::assessment::sheet::parse_items;
use ecoduty_domain::assessment::UnitRef;
use ecoduty_store::assessment::cadre::{Answerer, CadreRecord};
use ecoduty_store::assessment::runs::{NewEntry, NewObjection, ObjectionAnswer};
use ecoduty_store::assessment::schemes::SchemeImport;
use ecoduty_store::assessment::{Adjustment, Entry, Objection, Run, StoredScheme};
use ecoduty_store::people::Person;
use ecoduty_store::supervision::EvidenceRef;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{optional_text, required_text, today, year_param, Needs};
use crate::api::extract::{Json, Path, Query};
use crate::auth::assessment::{path_year, visible_schemes, AssessingRegion, Assessment};
use crate::auth::{ApiScoped, ApiViewer, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Import schemes, run, review and publish, answer objections.
pub struct ManageAssessment;
impl Needs for ManageAssessment {
    const PERMISSION: Permission = Permission::ManageAssessment;
}

/// Enter results of manual and veto items, as a scoring organisation.
pub struct ScoreAssessment;
impl Needs for ScoreAssessment {
    const PERMISSION: Permission = Permission::ScoreAssessment;
}

/// Lodge an objection for one's unit.
pub struct ObjectToAssessment;
impl Needs for ObjectToAssessment {
    const PERMISSION: Permission = Permission::ObjectToAssessment;
}

/// A scheme with the state of its run, for lists.
#[derive(Serialize, ToSchema)]
pub struct SchemeSummary {
    pub scheme_id: i64,
    pub region_code: String,
    pub year: i32,
    pub title: String,
    /// The scheme's current version.
    pub version: i64,
    pub items: usize,
    pub units: usize,
    /// `draft`, `reviewed`, `published`; absent before the first run.
    pub run_status: Option<String>,
    pub run_id: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemeQuery {
    pub year: Option<i32>,
}

#[utoipa::path(
    get, path = "/api/v1/assessments", operation_id = "assessments_list", tag = "assessment",
    params(SchemeQuery),
    responses(
        (status = 200, description = "Schemes of the caller's region and below, and the published ones of the regions above that assess it; newest year first", body = Vec<SchemeSummary>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<SchemeQuery>,
) -> ApiResult<Json<Vec<SchemeSummary>>> {
    let year = year_param("year", q.year)?;
    let out = visible_schemes(&state.store, &v)
        .await?
        .into_iter()
        .filter(|(s, _)| year.is_none_or(|y| s.scheme.year == y))
        .map(|(s, run)| SchemeSummary {
            scheme_id: s.id,
            region_code: s.scheme.region_code.to_string(),
            year: s.scheme.year,
            title: s.scheme.title.clone(),
            version: s.rev,
            items: s.scheme.items.len(),
            units: s.scheme.units.len(),
            run_status: run.as_ref().map(|r| r.status.key().to_string()),
            run_id: run.map(|r| r.id),
        })
        .collect();
    Ok(Json(out))
}

/// A scheme to import (or a new version of one).
#[derive(Deserialize, ToSchema)]
pub struct SchemeBody {
    pub year: i32,
    pub title: Option<String>,
    /// Assessed units: region codes or `org:ID`; every region directly under the assessing
    /// region when absent or empty.
    #[serde(default)]
    pub units: Vec<String>,
    /// Grades best first, e.g. `优秀:90,良好:80,一般:60,较差` (the default).
    pub grades: Option<String>,
    /// At most this percent of units in the best grade (default 30); `null` for no quota.
    #[serde(default = "default_quota")]
    pub top_quota_percent: Option<f64>,
    /// Days after publication to lodge an objection (default 10).
    pub objection_days: Option<u32>,
    /// The items, as `GET …/assessments/{year}` gives them. Give these or `sheet`.
    pub items: Option<Vec<Item>>,
    /// The 考核细则 sheet as CSV text (headers 序号, 项目, 项目类型, 考核内容, 分值, 评分标准,
    /// 负责考核部门, 规则类型, 参数, 条款). Give this or `items`.
    pub sheet: Option<String>,
    /// Why the scheme changes after scoring started (required then).
    pub revision_reason: Option<String>,
}

fn default_quota() -> Option<f64> {
    Some(30.0)
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct SchemeImported {
    pub scheme: StoredScheme,
    /// The sheet was the same as the current version: nothing was stored.
    pub unchanged: bool,
}

/// Reads a scheme body into an import, every problem named.
pub fn scheme_import(
    region: &ecoduty_domain::RegionCode,
    body: SchemeBody,
) -> Result<SchemeImport, AppError> {
    let year = year_param("year", Some(body.year))?.unwrap_or(body.year);
    let items = match (body.items, body.sheet) {
        (Some(items), None) => items,
        (None, Some(sheet)) => {
            let table =
                ecoduty_tabular::read(sheet.as_bytes(), ecoduty_tabular::Format::Csv, "sheet")
                    .map_err(|e| AppError::invalid("sheet", e.to_string()))?;
            parse_items(&table.header, &table.rows).map_err(AppError::Rows)?
        }
        _ => {
            return Err(AppError::invalid(
                "items",
                "give the items or the sheet, one of the two",
            ))
        }
    };
    let grading = Grading::parse(
        body.grades
            .as_deref()
            .unwrap_or("优秀:90,良好:80,一般:60,较差"),
        body.top_quota_percent,
    )
    .map_err(|m| AppError::invalid("grades", m))?;
    let units = body
        .units
        .iter()
        .map(|u| UnitRef::parse(u).map_err(|m| AppError::invalid("units", m)))
        .collect::<Result<Vec<_>, _>>()?;
    let revision_reason = body
        .revision_reason
        .map(|r| optional_text("revision_reason", &r, 1000))
        .transpose()?
        .filter(|r| !r.is_empty());
    Ok(SchemeImport {
        region_code: region.clone(),
        year,
        title: optional_text("title", body.title.as_deref().unwrap_or(""), 200)?,
        units,
        items,
        grading,
        objection_days: body.objection_days.unwrap_or(10),
        revision_reason,
    })
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments", operation_id = "assessments_import", tag = "assessment",
    params(("code" = String, Path, description = "The assessing region", example = "410800")),
    request_body = SchemeBody,
    responses(
        (status = 201, description = "The scheme stored as a new version (200 with `unchanged` when it is the same as the current one)", body = SchemeImported),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ManageAssessment>,
    Json(body): Json<SchemeBody>,
) -> ApiResult<(StatusCode, Json<SchemeImported>)> {
    if !at.own {
        return Err(AppError::NotFound.into());
    }
    let import = scheme_import(&at.region.code, body)?;
    let reason = format!("导入 {} 年度考核细则", import.year);
    let done = state.store.import_scheme(&v.change(reason), import).await?;
    let status = if done.unchanged {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(SchemeImported {
            scheme: done.scheme,
            unchanged: done.unchanged,
        }),
    ))
}

/// A scheme with its run and the run's objections.
#[derive(Serialize, ToSchema)]
pub struct AssessmentView {
    pub scheme: StoredScheme,
    /// Absent before the first run. Every unit's lines, by rank.
    pub run: Option<Run>,
    pub objections: Vec<Objection>,
    /// Whether the caller belongs to the assessing region (else: an assessed unit's user).
    pub assessing: bool,
}

async fn assessment(
    state: &AppState,
    v: &Viewer,
    at: AssessingRegion,
    year: &str,
) -> Result<Assessment, AppError> {
    Assessment::load(&state.store, v, at, path_year(year)?).await
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/assessments/{year}", operation_id = "assessments_get", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    responses(
        (status = 200, description = "The scheme, its run and objections", body = AssessmentView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(at, v): ApiScoped<AssessingRegion>,
    Path((_, year)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentView>> {
    let a = assessment(&state, &v, at, &year).await?;
    let mut objections = match &a.run {
        Some(r) => state.store.assessment_objections(r.id).await?,
        None => Vec::new(),
    };
    objections.retain(|o| a.reaches(&o.unit));
    Ok(Json(AssessmentView {
        assessing: a.own,
        scheme: a.scheme,
        run: a.run,
        objections,
    }))
}

/// Every version of the scheme and of its run.
#[derive(Serialize, ToSchema)]
pub struct AssessmentHistory {
    pub scheme_versions: Vec<StoredScheme>,
    pub run_versions: Vec<Run>,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/assessments/{year}/history", operation_id = "assessments_history", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    responses(
        (status = 200, description = "Every version of the scheme and of its run, oldest first, each with who changed it and why in the ledger", body = AssessmentHistory),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn history(
    State(state): State<AppState>,
    ApiScoped(at, v): ApiScoped<AssessingRegion>,
    Path((_, year)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentHistory>> {
    let a = assessment(&state, &v, at, &year).await?;
    a.require_own()?;
    let run_versions = match &a.run {
        Some(r) => state.store.assessment_run_versions(r.id).await?,
        None => Vec::new(),
    };
    Ok(Json(AssessmentHistory {
        scheme_versions: state.store.scheme_versions(a.scheme.id).await?,
        run_versions,
    }))
}

/// One unit's result, explained, with who answered for it.
#[derive(Serialize, ToSchema)]
pub struct UnitResult {
    pub run_id: i64,
    pub run_rev: i64,
    pub scheme_version: i64,
    pub result: UnitScore,
    /// The unit's result in the previous year's published run, if any.
    pub previous: Option<UnitScore>,
    /// The posts that answer for the result and who held them in the year, by days.
    pub answerers: Vec<Answerer>,
}

/// The unit's result in a run, with the previous year's and who answered for it.
pub async fn unit_result(
    state: &AppState,
    a: &Assessment,
    unit: &str,
) -> Result<UnitResult, AppError> {
    let unit = UnitRef::parse(unit).map_err(|_| AppError::NotFound)?;
    if !a.reaches(&unit) {
        return Err(AppError::NotFound);
    }
    let run = a.run()?;
    let result = run
        .results
        .iter()
        .find(|r| r.unit == unit)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let previous = a
        .previous(&state.store)
        .await?
        .and_then(|r| r.results.into_iter().find(|u| u.unit == unit));
    Ok(UnitResult {
        run_id: run.id,
        run_rev: run.rev,
        scheme_version: run.scheme_rev,
        answerers: state.store.answerers(&unit, run.year).await?,
        result,
        previous,
    })
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/assessments/{year}/units/{unit}", operation_id = "assessments_unit", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025),
        ("unit" = String, Path, description = "The unit: a region code or `org:ID`", example = "410823")
    ),
    responses(
        (status = 200, description = "The unit's lines, each with its rule, inputs, source records and explanation; last year's result; who answered for it", body = UnitResult),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn unit(
    State(state): State<AppState>,
    ApiScoped(at, v): ApiScoped<AssessingRegion>,
    Path((_, year, unit)): Path<(String, String, String)>,
) -> ApiResult<Json<UnitResult>> {
    let a = assessment(&state, &v, at, &year).await?;
    Ok(Json(unit_result(&state, &a, &unit).await?))
}

/// Scoring (again).
#[derive(Deserialize, ToSchema, Default)]
pub struct RunBody {
    /// The day the facts are read as of (default today).
    pub as_of: Option<NaiveDate>,
    /// After publication: why the results are corrected (required then).
    pub correction: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments/{year}/run", operation_id = "assessments_run", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    request_body = RunBody,
    responses(
        (status = 200, description = "The run: a new draft (review cleared), or after publication a published correction naming its reason", body = Run),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn run(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ManageAssessment>,
    Path((_, year)): Path<(String, String)>,
    Json(body): Json<RunBody>,
) -> ApiResult<Json<Run>> {
    let a = assessment(&state, &v, at, &year).await?;
    a.require_own()?;
    let correction = body
        .correction
        .map(|c| optional_text("correction", &c, 1000))
        .transpose()?
        .filter(|c| !c.is_empty());
    let year = a.scheme.scheme.year;
    let run = state
        .store
        .run_assessment(
            &v.change(format!("{year} 年度考核计分")),
            &a.region.code,
            year,
            body.as_of.unwrap_or_else(today),
            correction.as_deref(),
        )
        .await?;
    Ok(Json(run))
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments/{year}/review", operation_id = "assessments_review", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    responses(
        (status = 200, description = "The run, reviewed (by someone other than who computed it)", body = Run),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn review(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ManageAssessment>,
    Path((_, year)): Path<(String, String)>,
) -> ApiResult<Json<Run>> {
    let a = assessment(&state, &v, at, &year).await?;
    a.require_own()?;
    let id = a.run()?.id;
    Ok(Json(
        state
            .store
            .review_run(&v.change("复核考核结果"), id)
            .await?,
    ))
}

/// Publication.
#[derive(Deserialize, ToSchema, Default)]
pub struct PublishBody {
    /// The day of publication (default today); the objection window counts from it.
    pub on: Option<NaiveDate>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments/{year}/publish", operation_id = "assessments_publish", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    request_body = PublishBody,
    responses(
        (status = 200, description = "The run, published", body = Run),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ManageAssessment>,
    Path((_, year)): Path<(String, String)>,
    Json(body): Json<PublishBody>,
) -> ApiResult<Json<Run>> {
    let a = assessment(&state, &v, at, &year).await?;
    a.require_own()?;
    let id = a.run()?.id;
    Ok(Json(
        state
            .store
            .publish_run(&v.change("公布考核结果"), id, body.on.unwrap_or_else(today))
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/assessments/{year}/entries", operation_id = "assessments_entries", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    responses(
        (status = 200, description = "The scoring organisations' entries for manual and veto items (current versions)", body = Vec<Entry>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn entries(
    State(state): State<AppState>,
    ApiScoped(at, v): ApiScoped<AssessingRegion>,
    Path((_, year)): Path<(String, String)>,
) -> ApiResult<Json<Vec<Entry>>> {
    let a = assessment(&state, &v, at, &year).await?;
    let mut out = state.store.assessment_entries(a.scheme.id).await?;
    out.retain(|e| a.reaches(&e.unit));
    Ok(Json(out))
}

/// A scoring organisation's result for a manual or veto item of one unit.
#[derive(Deserialize, ToSchema)]
pub struct EntryBody {
    /// The unit: a region code or `org:ID`.
    pub unit: String,
    /// The item's number (序号).
    pub item: String,
    /// The points earned (a deduction's points taken off); 0 for a veto item.
    #[serde(default)]
    pub points: f64,
    /// For a veto item: whether it applies.
    #[serde(default)]
    pub veto: bool,
    /// Why (recorded with the entry and shown in the line's explanation).
    pub reason: String,
    /// Stored evidence files (POST /api/v1/evidence first); at least one.
    pub evidence: Vec<EvidenceRef>,
    /// The day of the entry (default today).
    pub on: Option<NaiveDate>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments/{year}/entries", operation_id = "assessments_enter", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    request_body = EntryBody,
    responses(
        (status = 201, description = "The entry, as a new version (a changed entry keeps its history); the next run reads it", body = Entry),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn enter(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ScoreAssessment>,
    Path((_, year)): Path<(String, String)>,
    Json(body): Json<EntryBody>,
) -> ApiResult<(StatusCode, Json<Entry>)> {
    let a = assessment(&state, &v, at, &year).await?;
    a.require_own()?;
    let unit = UnitRef::parse(&body.unit).map_err(|m| AppError::invalid("unit", m))?;
    let reason = required_text("reason", &body.reason, 1000)?;
    crate::api::evidence::require_citable(&state, &v, &body.evidence).await?;
    let entry = state
        .store
        .enter_assessment(
            &v.change(format!("考核评分:{reason}")),
            NewEntry {
                region_code: a.region.code.clone(),
                year: a.scheme.scheme.year,
                unit,
                item: body.item,
                earned: body.points,
                triggered: body.veto,
                reason,
                evidence: body.evidence,
                on: body.on.unwrap_or_else(today),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// An objection (申诉) to a published result.
#[derive(Deserialize, ToSchema)]
pub struct ObjectionBody {
    /// The unit objecting (one the caller reaches).
    pub unit: String,
    /// The item objected to, if one.
    pub item: Option<String>,
    pub text: String,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments/{year}/objections", operation_id = "assessments_object", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025)
    ),
    request_body = ObjectionBody,
    responses(
        (status = 201, description = "The objection, lodged within the scheme's window", body = Objection),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn object(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ObjectToAssessment>,
    Path((_, year)): Path<(String, String)>,
    Json(body): Json<ObjectionBody>,
) -> ApiResult<(StatusCode, Json<Objection>)> {
    let a = assessment(&state, &v, at, &year).await?;
    let unit = UnitRef::parse(&body.unit).map_err(|m| AppError::invalid("unit", m))?;
    if !a.reaches(&unit) {
        return Err(AppError::invalid(
            "unit",
            format!("{unit} is not a unit of yours in this scheme"),
        )
        .into());
    }
    let text = required_text("text", &body.text, 4000)?;
    let item = body
        .item
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty());
    let o = state
        .store
        .lodge_objection(
            &v.change("提出申诉"),
            NewObjection {
                run_id: a.run()?.id,
                unit,
                item,
                text,
                on: today(),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// The answer to an objection.
#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    pub upheld: bool,
    pub answer: String,
    /// For an upheld objection that changes a score: the item and its new points.
    pub item: Option<String>,
    pub points: Option<f64>,
}

/// The answered objection and the run as it now stands.
#[derive(Serialize, ToSchema)]
pub struct Answered {
    pub objection: Objection,
    pub run: Run,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/assessments/{year}/objections/{id}/answer", operation_id = "assessments_answer", tag = "assessment",
    params(
        ("code" = String, Path, description = "The assessing region", example = "410800"),
        ("year" = i32, Path, description = "The year assessed", example = 2025),
        ("id" = i64, Path, description = "Objection id", example = 1)
    ),
    request_body = AnswerBody,
    responses(
        (status = 200, description = "The objection answered (by someone other than who lodged it); an upheld one with new points appends a version of the run, regraded and reranked", body = Answered),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    ApiScoped(at, _): ApiScoped<AssessingRegion>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ManageAssessment>,
    Path((_, year, id)): Path<(String, String, String)>,
    Json(body): Json<AnswerBody>,
) -> ApiResult<Json<Answered>> {
    let a = assessment(&state, &v, at, &year).await?;
    a.require_own()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let run_id = a.run()?.id;
    let objection = state
        .store
        .assessment_objection(id)
        .await?
        .filter(|o| o.run_id == run_id)
        .ok_or(AppError::NotFound)?;
    let adjust = match (body.item, body.points) {
        (Some(item), Some(earned)) => Some(Adjustment { item, earned }),
        (None, None) => None,
        _ => {
            return Err(AppError::invalid("points", "give both the item and its new points").into())
        }
    };
    let (objection, run) = state
        .store
        .answer_objection(
            &v.change("答复申诉"),
            objection.id,
            ObjectionAnswer {
                upheld: body.upheld,
                answer: required_text("answer", &body.answer, 4000)?,
                adjust,
                on: today(),
            },
        )
        .await?;
    Ok(Json(Answered { objection, run }))
}

/// A person's eco record as the caller may read it: within a region, only the tenures in it.
pub async fn scoped_record(
    state: &AppState,
    v: &Viewer,
    person: &Person,
) -> Result<CadreRecord, AppError> {
    let mut record = state.store.cadre_record(person.id, today()).await?;
    record
        .tenures
        .retain(|t| v.reaches(&t.tenure.organisation.region_code));
    Ok(record)
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/eco-record", operation_id = "people_eco_record", tag = "assessment",
    params(("id" = i64, Path, description = "Person id", example = 1)),
    responses(
        (status = 200, description = "The person's eco record (Art. 16) across their tenures within the caller's region: each year's grade with its share of the year, binding indicators at start and end, findings raised, closed, overdue and open at the end, and the warnings that named the post. Organisation department and system administrators only", body = CadreRecord),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn eco_record(
    State(state): State<AppState>,
    ApiScoped(person, _): ApiScoped<Person>,
    crate::api::common::Allowed(v, _): crate::api::common::Allowed<ReadCadreRecords>,
) -> ApiResult<Json<CadreRecord>> {
    Ok(Json(scoped_record(&state, &v, &person).await?))
}

/// Read cadres' eco records.
pub struct ReadCadreRecords;
impl Needs for ReadCadreRecords {
    const PERMISSION: Permission = Permission::ReadCadreRecords;
}
