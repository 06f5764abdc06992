//! Environmental emergencies (突发生态环境事件) and risk (Arts. 7(6), 8(6)): events with their
//! timeline and notification chain, acknowledgements, the chain as a preview, risk sources
//! (imported from sheets) and risk reports.
//!
//! An event is seen by the users of its region and the regions above it (its chain's regions
//! are all above it); events are reported, updated and acknowledged by those who handle
//! emergencies there ([`Permission::HandleEmergencies`]).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use ecoduty_domain::access::Permission;
use ecoduty_domain::emergency::risk::{parse_sheet, RiskSourceSpec};
use ecoduty_domain::emergency::{EventKind, Level, Status, UpdateKind};
use ecoduty_domain::Region;
use ecoduty_store::emergency::chain::ChainEntry;
use ecoduty_store::emergency::risk::{NewRiskReport, RiskImport};
use ecoduty_store::emergency::{
    parse_china_time, Emergency, EmergencyDetail, EmergencyFilter, NewEmergency, NewUpdate,
    NoticeView, RiskReport, RiskSource,
};
use ecoduty_store::supervision::EvidenceRef;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{
    body_ref, list_scope, optional_text, required_text, today, year_param, Allowed, EditRecords,
    Needs,
};
use crate::api::evidence::require_citable;
use crate::api::extract::{Json, Query};
use crate::auth::{ApiScoped, ApiViewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Report events, add updates, acknowledge notices, report risks.
pub struct HandleEmergencies;
impl Needs for HandleEmergencies {
    const PERMISSION: Permission = Permission::HandleEmergencies;
}

/// A time as forms and files give it (China time, or RFC 3339); `now` when absent.
pub fn time_param(field: &str, text: Option<&str>) -> Result<DateTime<Utc>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Utc::now()),
        Some(t) => {
            let at = parse_china_time(t).map_err(|m| AppError::invalid(field, m))?;
            if at > Utc::now() + chrono::Duration::minutes(5) {
                return Err(AppError::invalid(field, format!("{t} is in the future")));
            }
            Ok(at)
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmergencyQuery {
    /// Events within this region (the caller's own by default).
    pub region: Option<String>,
    /// The year it happened (China time).
    pub year: Option<i32>,
    pub status: Option<Status>,
    /// `I` … `IV`.
    pub level: Option<Level>,
}

#[utoipa::path(
    get, path = "/api/v1/emergencies", operation_id = "emergencies_list", tag = "emergencies",
    params(EmergencyQuery),
    responses(
        (status = 200, description = "Events within the region, newest first", body = Vec<Emergency>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<EmergencyQuery>,
) -> ApiResult<Json<Vec<Emergency>>> {
    let filter = EmergencyFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        year: year_param("year", q.year)?,
        status: q.status,
        level: q.level,
    };
    Ok(Json(state.store.emergencies(&filter).await?))
}

/// An event to register, with its first report (初报).
#[derive(Deserialize, ToSchema)]
pub struct ReportBody {
    #[schema(example = "沁河武陟段水污染事件")]
    pub title: String,
    #[schema(example = "武陟县詹店镇沁河入黄口")]
    pub place: String,
    pub kind: EventKind,
    /// 特征污染物.
    #[serde(default)]
    pub pollutants: Vec<String>,
    /// `I` … `IV` (特别重大 … 一般; the Chinese grade is read too).
    pub level: Level,
    /// When it happened: `2026-07-09 14:30` (China time) or RFC 3339.
    #[schema(example = "2026-07-09 09:20")]
    pub occurred_at: String,
    /// When it was reported (now by default): the chain's deadlines run from here.
    pub reported_at: Option<String>,
    pub risk_source_id: Option<i64>,
    /// The first report: what happened, what is known.
    pub report: String,
    /// Evidence files, uploaded first (`POST /api/v1/evidence`).
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/emergencies", operation_id = "emergencies_report", tag = "emergencies",
    params(("code" = String, Path, description = "The region where it happened", example = "410823")),
    request_body = ReportBody,
    responses(
        (status = 201, description = "The event registered with its first report; its chain is told (notices with deadlines, notifications to the holders and the users concerned)", body = EmergencyDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn report(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<HandleEmergencies>,
    Json(body): Json<ReportBody>,
) -> ApiResult<(StatusCode, Json<EmergencyDetail>)> {
    let occurred_at = time_param("occurred_at", Some(&body.occurred_at))?;
    let reported_at = time_param("reported_at", body.reported_at.as_deref())?;
    let pollutants = body
        .pollutants
        .iter()
        .map(|p| optional_text("pollutants", p, 100))
        .collect::<Result<Vec<_>, _>>()?;
    if pollutants.len() > 50 {
        return Err(AppError::invalid("pollutants", "at most 50 pollutants").into());
    }
    require_citable(&state, &v, &body.evidence).await?;
    let new = NewEmergency {
        region_code: region.code.clone(),
        title: required_text("title", &body.title, 200)?,
        place: optional_text("place", &body.place, 500)?,
        kind: body.kind,
        pollutants,
        level: body.level,
        occurred_at,
        reported_at,
        risk_source_id: body.risk_source_id,
        report: required_text("report", &body.report, ecoduty_store::emergency::MAX_TEXT)?,
        evidence: body.evidence,
    };
    let reason = format!("接报突发环境事件:{}", new.title);
    let detail = state
        .store
        .report_emergency(&v.change(reason), new)
        .await
        .map_err(body_ref("risk_source_id"))?;
    Ok((StatusCode::CREATED, Json(detail)))
}

#[utoipa::path(
    get, path = "/api/v1/emergencies/{id}", operation_id = "emergencies_get", tag = "emergencies",
    params(("id" = i64, Path, description = "Event id", example = 1)),
    responses(
        (status = 200, description = "The event with its timeline, its notices (who was told, by when, acknowledged or not) and its risk source", body = EmergencyDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(e, _): ApiScoped<Emergency>,
) -> ApiResult<Json<EmergencyDetail>> {
    Ok(Json(state.store.require_emergency(e.id).await?))
}

#[utoipa::path(
    get, path = "/api/v1/emergencies/{id}/history", operation_id = "emergencies_history", tag = "emergencies",
    params(("id" = i64, Path, description = "Event id", example = 1)),
    responses(
        (status = 200, description = "Every version of the event (grade and state as they changed), oldest first", body = Vec<Emergency>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn history(
    State(state): State<AppState>,
    ApiScoped(e, _): ApiScoped<Emergency>,
) -> ApiResult<Json<Vec<Emergency>>> {
    Ok(Json(state.store.emergency_versions(e.id).await?))
}

/// An update of the timeline.
#[derive(Deserialize, ToSchema)]
pub struct UpdateBody {
    /// 续报, 处置措施, 监测结果, 级别调整, 应急终止, 结案 or 撤销 (the first report is written
    /// with the event).
    pub kind: UpdateKind,
    /// When (now by default): `2026-07-09 14:30` (China time) or RFC 3339.
    pub at: Option<String>,
    pub text: String,
    /// For a regrade: the new grade.
    pub new_level: Option<Level>,
    /// A closure needs the investigation and assessment report (调查评估报告) here.
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[utoipa::path(
    post, path = "/api/v1/emergencies/{id}/updates", operation_id = "emergencies_update", tag = "emergencies",
    params(("id" = i64, Path, description = "Event id", example = 1)),
    request_body = UpdateBody,
    responses(
        (status = 201, description = "The event with the update added (a regrade to a graver grade tells the regions it adds)", body = EmergencyDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiScoped(e, _): ApiScoped<Emergency>,
    Allowed(v, _): Allowed<HandleEmergencies>,
    Json(body): Json<UpdateBody>,
) -> ApiResult<(StatusCode, Json<EmergencyDetail>)> {
    let at = time_param("at", body.at.as_deref())?;
    require_citable(&state, &v, &body.evidence).await?;
    let new = NewUpdate {
        kind: body.kind,
        at,
        text: required_text("text", &body.text, ecoduty_store::emergency::MAX_TEXT)?,
        new_level: body.new_level,
        evidence: body.evidence,
    };
    let reason = format!("突发环境事件 #{} {}", e.id, body.kind.name_zh());
    let detail = state
        .store
        .add_emergency_update(&v.change(reason), e.id, new)
        .await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// An acknowledgement of a notice.
#[derive(Deserialize, ToSchema)]
pub struct AckBody {
    pub notice_id: i64,
    /// When it was acknowledged (now by default).
    pub at: Option<String>,
    /// How it was confirmed (电话, 短信 …).
    pub note: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/emergencies/{id}/acknowledge", operation_id = "emergencies_acknowledge", tag = "emergencies",
    params(("id" = i64, Path, description = "Event id", example = 1)),
    request_body = AckBody,
    responses(
        (status = 200, description = "The notice acknowledged (on time, or late)", body = NoticeView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn acknowledge(
    State(state): State<AppState>,
    ApiScoped(e, _): ApiScoped<Emergency>,
    Allowed(v, _): Allowed<HandleEmergencies>,
    Json(body): Json<AckBody>,
) -> ApiResult<Json<NoticeView>> {
    let notice = state
        .store
        .emergency_notice(body.notice_id)
        .await?
        .filter(|n| n.emergency_id == e.id)
        .ok_or_else(|| {
            AppError::invalid(
                "notice_id",
                format!("event #{} has no notice #{}", e.id, body.notice_id),
            )
        })?;
    // The notice's own region acknowledges it (or a level above, for it).
    if !v.reaches(&notice.region_code) {
        return Err(AppError::Forbidden.into());
    }
    let at = time_param("at", body.at.as_deref())?;
    let note = body
        .note
        .as_deref()
        .map(|n| optional_text("note", n, 500))
        .transpose()?;
    let reason = format!("确认收悉突发环境事件 #{} 通知 #{}", e.id, notice.id);
    Ok(Json(
        state
            .store
            .acknowledge_notice(&v.change(reason), notice.id, at, note)
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChainQuery {
    /// `I` … `IV`.
    pub level: Level,
    /// The moment (now by default): the holders then.
    pub at: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/emergency-chain", operation_id = "emergencies_chain", tag = "emergencies",
    params(("code" = String, Path, description = "The region of the event", example = "410823"), ChainQuery),
    responses(
        (status = 200, description = "Who an event of this grade here would tell, nearest first: the posts, their holders at the time (none: vacant), and minutes to acknowledge", body = Vec<ChainEntry>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn chain(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Query(q): Query<ChainQuery>,
) -> ApiResult<Json<Vec<ChainEntry>>> {
    let at = time_param("at", q.at.as_deref())?;
    Ok(Json(
        state
            .store
            .notification_chain(&region.code, q.level, at)
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// Within this region (the caller's own by default).
    pub region: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/risk-sources", operation_id = "risk_sources_list", tag = "emergencies",
    params(RegionQuery),
    responses(
        (status = 200, description = "Risk sources within the region, gravest first", body = Vec<RiskSource>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn risk_sources(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<RegionQuery>,
) -> ApiResult<Json<Vec<RiskSource>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(state.store.risk_sources(within.as_ref()).await?))
}

/// Risk sources to import: the sheet (CSV text, headers 名称, 区划代码, 行业代码, 风险物质,
/// 风险等级, 地址, 统一社会信用代码) or the sources as JSON.
#[derive(Deserialize, ToSchema)]
pub struct RiskImportBody {
    pub sheet: Option<String>,
    pub sources: Option<Vec<RiskSourceSpec>>,
}

/// Reads the sources a body gives, every problem named.
pub fn risk_specs(
    sheet: Option<String>,
    sources: Option<Vec<RiskSourceSpec>>,
) -> Result<Vec<RiskSourceSpec>, AppError> {
    let specs = match (sheet, sources) {
        (Some(sheet), None) => {
            let table =
                ecoduty_tabular::read(sheet.as_bytes(), ecoduty_tabular::Format::Csv, "sheet")
                    .map_err(|e| AppError::invalid("sheet", e.to_string()))?;
            parse_sheet(&table.header, &table.rows).map_err(AppError::Rows)?
        }
        (None, Some(sources)) => {
            // The same checks as a sheet's rows: written as one, read back.
            let header: Vec<String> = ecoduty_domain::emergency::risk::COLUMNS
                .iter()
                .map(|s| s.to_string())
                .collect();
            let rows: Vec<(usize, Vec<String>)> = sources
                .iter()
                .enumerate()
                .map(|(i, s)| (i + 1, ecoduty_domain::emergency::risk::sheet_row(s)))
                .collect();
            parse_sheet(&header, &rows).map_err(AppError::Rows)?
        }
        _ => {
            return Err(AppError::invalid(
                "sheet",
                "give the sheet or the sources, one of the two",
            ))
        }
    };
    if specs.is_empty() {
        return Err(AppError::invalid("sheet", "no risk source to import"));
    }
    Ok(specs)
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/risk-sources", operation_id = "risk_sources_import", tag = "emergencies",
    params(("code" = String, Path, description = "The region importing (every row within it)", example = "410800")),
    request_body = RiskImportBody,
    responses(
        (status = 200, description = "What the import did: sources created, updated (matched by 统一社会信用代码, or region and name) and unchanged", body = RiskImport),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import_risk_sources(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<RiskImportBody>,
) -> ApiResult<Json<RiskImport>> {
    let specs = risk_specs(body.sheet, body.sources)?;
    let reason = format!("导入 {} 环境风险源名录({} 家)", region.name, specs.len());
    Ok(Json(
        state
            .store
            .import_risk_sources(&v.change(reason), Some(&region.code), specs)
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/risk-reports", operation_id = "risk_reports_list", tag = "emergencies",
    params(RegionQuery),
    responses(
        (status = 200, description = "Risk reports within the region, newest first", body = Vec<RiskReport>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn risk_reports(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<RegionQuery>,
) -> ApiResult<Json<Vec<RiskReport>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(state.store.risk_reports(within.as_ref()).await?))
}

/// A risk report (a hazard found).
#[derive(Deserialize, ToSchema)]
pub struct RiskReportBody {
    pub risk_source_id: Option<i64>,
    pub text: String,
    /// The day (today by default).
    pub reported_on: Option<NaiveDate>,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/risk-reports", operation_id = "risk_reports_create", tag = "emergencies",
    params(("code" = String, Path, description = "The region of the risk", example = "410823")),
    request_body = RiskReportBody,
    responses(
        (status = 201, description = "The report registered and routed to the region's eco-environment posts and users", body = RiskReport),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn report_risk(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<HandleEmergencies>,
    Json(body): Json<RiskReportBody>,
) -> ApiResult<(StatusCode, Json<RiskReport>)> {
    let reported_on = body.reported_on.unwrap_or_else(today);
    if reported_on > today() {
        return Err(AppError::invalid("reported_on", "the day is in the future").into());
    }
    require_citable(&state, &v, &body.evidence).await?;
    let new = NewRiskReport {
        region_code: region.code.clone(),
        risk_source_id: body.risk_source_id,
        text: required_text("text", &body.text, ecoduty_store::emergency::MAX_TEXT)?,
        reported_on,
        evidence: body.evidence,
    };
    let report = state
        .store
        .report_risk(&v.change("环境风险报告"), new, Utc::now())
        .await
        .map_err(body_ref("risk_source_id"))?;
    Ok((StatusCode::CREATED, Json(report)))
}
