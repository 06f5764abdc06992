//! Departure audits of natural-resource assets (自然资源资产离任审计, Art. 13): the asset
//! accounts per region and year (imported all or nothing, versioned), the tenures due for an
//! audit, the audit of a tenure with its dossier, its findings (each a finding in the
//! rectification loop, which may open an accountability case) and its report.
//!
//! Asset accounts are read by anyone signed in within their region; audits and dossiers by
//! [`Permission::ReadAudits`]; importing, opening, recording and reporting need
//! [`Permission::ManageAudits`]; opening a case from an audit finding needs
//! [`Permission::InvestigateCases`]. A dossier lists the person's cases only for a reader who
//! may read cases, and says when it leaves them out.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use ecoduty_domain::access::Permission;
use ecoduty_domain::audit::assets;
use ecoduty_domain::audit::AuditStatus;
use ecoduty_domain::supervision::{Category, Severity};
use ecoduty_domain::Region;
use ecoduty_store::accountability::Case;
use ecoduty_store::audit::{
    AssetAccount, AssetImport, Audit, AuditFilter, AuditFindingSpec, Dossier, DueAudit, NewAudit,
    ReportSpec,
};
use ecoduty_store::organisations::Organisation;
use ecoduty_store::posts::Post;
use ecoduty_store::tenures::Tenure;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::accountability::InvestigateCases;
use crate::api::common::{list_scope, today, Allowed, Needs};
use crate::api::extract::{Json, Query};
use crate::auth::{ApiScoped, ApiViewer, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Read audits and dossiers.
pub struct ReadAudits;
impl Needs for ReadAudits {
    const PERMISSION: Permission = Permission::ReadAudits;
}

/// Import accounts, open audits, record findings, issue reports.
pub struct ManageAudits;
impl Needs for ManageAudits {
    const PERMISSION: Permission = Permission::ManageAudits;
}

/// Reads an accounts sheet, every problem named with its file, line and column.
pub fn read_sheet(
    file: &str,
    table: &ecoduty_tabular::Table,
) -> Result<Vec<assets::AccountSpec>, AppError> {
    assets::parse(file, &table.header, &table.rows)
        .map_err(|errors| AppError::Rows(errors.into_iter().map(|e| e.into_row()).collect()))
}

/// A dossier as the viewer may read it: the cases left out unless they may read cases.
pub fn for_viewer(mut d: Dossier, v: &Viewer) -> Dossier {
    if !v.can(Permission::ReadCases) {
        d.withhold_cases();
    }
    d
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Accounts within this region (the caller's own by default).
    pub region: Option<String>,
    pub year: Option<i32>,
}

#[utoipa::path(
    get, path = "/api/v1/asset-accounts", operation_id = "asset_accounts_list", tag = "audits",
    params(AccountQuery),
    responses(
        (status = 200, description = "Natural-resource asset accounts within the region, by region and year", body = Vec<AssetAccount>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn accounts(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<AccountQuery>,
) -> ApiResult<Json<Vec<AssetAccount>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(
        state
            .store
            .asset_accounts_within(within.as_ref(), q.year)
            .await?,
    ))
}

/// An accounts sheet to import, as CSV text.
#[derive(Deserialize, ToSchema)]
pub struct ImportBody {
    /// 行政区划代码, 年度, 资源类别, 指标, 单位, 数值, 数据来源.
    #[schema(
        example = "行政区划代码,年度,资源类别,指标,单位,数值,数据来源\n410883,2025,土地资源,耕地面积,公顷,29400,国土变更调查"
    )]
    pub sheet: String,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/asset-accounts", operation_id = "asset_accounts_import", tag = "audits",
    params(("code" = String, Path, description = "The region importing (every account within it)", example = "410883")),
    request_body = ImportBody,
    responses(
        (status = 200, description = "What the import did: accounts created, updated (a new version) and unchanged", body = AssetImport),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<ManageAudits>,
    Json(body): Json<ImportBody>,
) -> ApiResult<Json<AssetImport>> {
    let table = ecoduty_tabular::read(body.sheet.as_bytes(), ecoduty_tabular::Format::Csv, "sheet")
        .map_err(|e| AppError::invalid("sheet", e.to_string()))?;
    let specs = read_sheet("sheet", &table)?;
    let reason = format!(
        "导入 {} 自然资源资产账户({} 个账户)",
        region.name,
        specs.len()
    );
    Ok(Json(
        state
            .store
            .import_asset_accounts(&v.change(reason), Some(&region.code), specs)
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Audits within this region (the caller's own by default).
    pub region: Option<String>,
    pub status: Option<AuditStatus>,
    /// Audits of this person.
    pub person: Option<i64>,
}

#[utoipa::path(
    get, path = "/api/v1/audits", operation_id = "audits_list", tag = "audits",
    params(AuditQuery),
    responses(
        (status = 200, description = "Audits within the region, newest first", body = Vec<Audit>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReadAudits>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<Audit>>> {
    let filter = AuditFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        status: q.status,
        person_id: q.person,
    };
    Ok(Json(state.store.audits(&filter).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    pub region: Option<String>,
    /// Tenures that ended on or after this day (two years ago by default).
    pub from: Option<NaiveDate>,
    /// … and before this day (tomorrow by default).
    pub to: Option<NaiveDate>,
}

/// The window of the due list: two years back to today, unless given.
pub fn due_window(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    let to = to.unwrap_or_else(|| today() + Duration::days(1));
    (from.unwrap_or(to - Duration::days(731)), to)
}

#[utoipa::path(
    get, path = "/api/v1/audits-due", operation_id = "audits_due", tag = "audits",
    params(DueQuery),
    responses(
        (status = 200, description = "Ended tenures of audited posts (Party secretaries, government heads, department heads) with no audit, earliest end first", body = Vec<DueAudit>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn due(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReadAudits>,
    Query(q): Query<DueQuery>,
) -> ApiResult<Json<Vec<DueAudit>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    let (from, to) = due_window(q.from, q.to);
    Ok(Json(
        state.store.audits_due(within.as_ref(), from, to).await?,
    ))
}

/// An audit to open.
#[derive(Deserialize, ToSchema)]
pub struct OpenBody {
    #[schema(example = "中共焦作市委组织部")]
    pub commissioned_by: String,
    #[serde(default)]
    pub team: String,
    /// The day it is opened (today by default).
    pub opened_on: Option<NaiveDate>,
}

#[utoipa::path(
    post, path = "/api/v1/tenures/{id}/audit", operation_id = "audits_open", tag = "audits",
    params(("id" = i64, Path, description = "The tenure audited", example = 1)),
    request_body = OpenBody,
    responses(
        (status = 201, description = "The audit opened: a departure audit if the tenure has ended, an audit in office otherwise", body = Audit),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn open(
    State(state): State<AppState>,
    ApiScoped((t, _, _), _): ApiScoped<(Tenure, Post, Organisation)>,
    Allowed(v, _): Allowed<ManageAudits>,
    Json(body): Json<OpenBody>,
) -> ApiResult<(StatusCode, Json<Audit>)> {
    let opened_on = body.opened_on.unwrap_or_else(today);
    if opened_on > today() {
        return Err(AppError::invalid("opened_on", format!("{opened_on} is in the future")).into());
    }
    let audit = state
        .store
        .open_audit(
            &v.change("开展自然资源资产离任审计"),
            NewAudit {
                tenure_id: t.id,
                commissioned_by: body.commissioned_by,
                team: body.team,
                opened_on,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(audit)))
}

#[utoipa::path(
    get, path = "/api/v1/tenures/{id}/dossier", operation_id = "tenure_dossier", tag = "audits",
    params(("id" = i64, Path, description = "Tenure id", example = 1)),
    responses(
        (status = 200, description = "The audit dossier of a tenure on request, up to its end (or today)", body = Dossier),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn tenure_dossier(
    State(state): State<AppState>,
    ApiScoped((t, _, _), _): ApiScoped<(Tenure, Post, Organisation)>,
    Allowed(v, _): Allowed<ReadAudits>,
) -> ApiResult<Json<Dossier>> {
    let d = state.store.tenure_dossier_of(t.id, today()).await?;
    Ok(Json(for_viewer(d, &v)))
}

#[utoipa::path(
    get, path = "/api/v1/audits/{id}", operation_id = "audits_get", tag = "audits",
    params(("id" = i64, Path, description = "Audit id", example = 1)),
    responses(
        (status = 200, description = "The audit as it stands", body = Audit),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(ApiScoped(a, _): ApiScoped<Audit>) -> ApiResult<Json<Audit>> {
    Ok(Json(a))
}

#[utoipa::path(
    get, path = "/api/v1/audits/{id}/history", operation_id = "audits_history", tag = "audits",
    params(("id" = i64, Path, description = "Audit id", example = 1)),
    responses(
        (status = 200, description = "Every version of the audit, oldest first", body = Vec<Audit>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn history(
    State(state): State<AppState>,
    ApiScoped(a, _): ApiScoped<Audit>,
) -> ApiResult<Json<Vec<Audit>>> {
    Ok(Json(state.store.audit_versions(a.id).await?))
}

#[utoipa::path(
    get, path = "/api/v1/audits/{id}/dossier", operation_id = "audits_dossier", tag = "audits",
    params(("id" = i64, Path, description = "Audit id", example = 1)),
    responses(
        (status = 200, description = "The dossier of the audited tenure: asset accounts at start and end compared, binding indicators and targets by year, grades, findings (those open at departure listed), inspections, complaints, emergencies, cases (for readers of cases), the audit's findings", body = Dossier),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn dossier(
    State(state): State<AppState>,
    ApiScoped(a, v): ApiScoped<Audit>,
) -> ApiResult<Json<Dossier>> {
    let d = state.store.audit_dossier(&a, today()).await?;
    Ok(Json(for_viewer(d, &v)))
}

/// An audit finding to record.
#[derive(Deserialize, ToSchema)]
pub struct FindingBody {
    #[schema(example = "任期内耕地面积减少 600 公顷,占补平衡未落实")]
    pub text: String,
    /// Guessed from the text when absent.
    pub category: Option<Category>,
    pub severity: Severity,
    #[serde(default)]
    pub measures: String,
    /// Responsible units (organisation ids); the audited post's organisation by default.
    #[serde(default)]
    pub units: Vec<i64>,
    pub deadline: NaiveDate,
    /// The day of the act or omission within the tenure (its last day by default).
    pub act_date: Option<NaiveDate>,
}

/// An audit with the finding just created.
#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub audit: Audit,
    pub finding_id: i64,
}

#[utoipa::path(
    post, path = "/api/v1/audits/{id}/findings", operation_id = "audits_record_finding", tag = "audits",
    params(("id" = i64, Path, description = "Audit id", example = 1)),
    request_body = FindingBody,
    responses(
        (status = 201, description = "The finding recorded: a finding (source: audit) in the rectification loop, named in a new version of the audit", body = Recorded),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn record_finding(
    State(state): State<AppState>,
    ApiScoped(a, _): ApiScoped<Audit>,
    Allowed(v, _): Allowed<ManageAudits>,
    Json(body): Json<FindingBody>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let (audit, finding_id) = state
        .store
        .record_audit_finding(
            &v.change("记录审计发现的问题"),
            a.id,
            AuditFindingSpec {
                text: body.text,
                category: body.category,
                severity: body.severity,
                measures: body.measures,
                units: body.units,
                deadline: body.deadline,
                act_date: body.act_date,
                recorded_on: today(),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Recorded { audit, finding_id })))
}

/// The report to record.
#[derive(Deserialize, ToSchema)]
pub struct ReportBody {
    #[schema(example = "焦审经责报〔2026〕8号")]
    pub document_no: String,
    /// Today by default.
    pub issued_on: Option<NaiveDate>,
    pub summary: String,
    /// The bodies the results are sent to.
    #[serde(default)]
    pub sent_to: Vec<String>,
}

#[utoipa::path(
    post, path = "/api/v1/audits/{id}/report", operation_id = "audits_report", tag = "audits",
    params(("id" = i64, Path, description = "Audit id", example = 1)),
    request_body = ReportBody,
    responses(
        (status = 200, description = "The audit with its report issued", body = Audit),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn report(
    State(state): State<AppState>,
    ApiScoped(a, _): ApiScoped<Audit>,
    Allowed(v, _): Allowed<ManageAudits>,
    Json(body): Json<ReportBody>,
) -> ApiResult<Json<Audit>> {
    let issued_on = body.issued_on.unwrap_or_else(today);
    if issued_on > today() {
        return Err(AppError::invalid("issued_on", format!("{issued_on} is in the future")).into());
    }
    Ok(Json(
        state
            .store
            .report_audit(
                &v.change("出具审计报告"),
                a.id,
                ReportSpec {
                    document_no: body.document_no,
                    issued_on,
                    summary: body.summary,
                    sent_to: body.sent_to,
                },
            )
            .await?,
    ))
}

/// A case to open from an audit finding.
#[derive(Deserialize, ToSchema)]
pub struct CaseBody {
    /// The finding's number within the audit (1, 2, …).
    pub number: u32,
    /// The clue (the finding's text by default).
    #[serde(default)]
    pub summary: String,
}

#[utoipa::path(
    post, path = "/api/v1/audits/{id}/cases", operation_id = "audits_open_case", tag = "audits",
    params(("id" = i64, Path, description = "Audit id", example = 1)),
    request_body = CaseBody,
    responses(
        (status = 201, description = "The accountability case opened from the audit finding, with the persons proposed from who held the answering posts on its act date", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn open_case(
    State(state): State<AppState>,
    ApiScoped(a, _): ApiScoped<Audit>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(body): Json<CaseBody>,
) -> ApiResult<(StatusCode, Json<Case>)> {
    let case = state
        .store
        .open_case_from_audit(
            &v.change("审计发现问题移送,登记问题线索"),
            a.id,
            body.number,
            &body.summary,
            today(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(case)))
}
