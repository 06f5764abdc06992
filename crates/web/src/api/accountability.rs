//! Accountability cases (追责, Arts. 17–18): opening a case from its source, the persons the
//! system proposes, the investigation (persons confirmed or removed, grounds, circumstances),
//! the decision, appeals, execution, archive and dismissal; a person's cases; the read log.
//!
//! Cases are confidential: only the roles that may read them ([`Permission::ReadCases`]: the
//! discipline body, the organisation department, system administrators), within their region,
//! see them; every read is logged, and the log is reviewed by auditors
//! ([`Permission::ReviewCaseReads`]), who do not see the cases themselves.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_domain::access::Permission;
use ecoduty_domain::accountability::{
    CaseSource, CaseStatus, Circumstance, DecidedForm, Degree, PersonState,
};
use ecoduty_domain::{Region, RegionCode};
use ecoduty_store::accountability::{
    AddedPerson, AppealAnswerSpec, Case, CaseFilter, CaseRead, DecisionSpec, GroundRef, NewCase,
    PersonCase, ReadVia,
};
use ecoduty_store::people::Person;
use ecoduty_store::supervision::EvidenceRef;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{list_scope, today, Allowed, Needs};
use crate::api::evidence::require_citable;
use crate::api::extract::{Json, Query};
use crate::auth::{ApiScoped, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Read cases.
pub struct ReadCases;
impl Needs for ReadCases {
    const PERMISSION: Permission = Permission::ReadCases;
}

/// Open and investigate cases.
pub struct InvestigateCases;
impl Needs for InvestigateCases {
    const PERMISSION: Permission = Permission::InvestigateCases;
}

/// Decide cases, record execution, appeals and archiving.
pub struct DecideCases;
impl Needs for DecideCases {
    const PERMISSION: Permission = Permission::DecideCases;
}

/// Review the read log.
pub struct ReviewCaseReads;
impl Needs for ReviewCaseReads {
    const PERMISSION: Permission = Permission::ReviewCaseReads;
}

/// Logs a read of a case by the viewer.
pub async fn log_read(
    state: &AppState,
    v: &Viewer,
    case_id: i64,
    via: ReadVia,
) -> Result<(), AppError> {
    state
        .store
        .log_case_read(case_id, &v.user.username, v.user.role.key(), via)
        .await?;
    Ok(())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Cases within this region (the caller's own by default).
    pub region: Option<String>,
    pub status: Option<CaseStatus>,
    pub source: Option<CaseSource>,
    /// Cases naming this person.
    pub person: Option<i64>,
}

#[utoipa::path(
    get, path = "/api/v1/cases", operation_id = "cases_list", tag = "cases",
    params(CaseQuery),
    responses(
        (status = 200, description = "Cases within the region, newest first (each listed case's read is logged)", body = Vec<Case>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReadCases>,
    Query(q): Query<CaseQuery>,
) -> ApiResult<Json<Vec<Case>>> {
    let filter = CaseFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        status: q.status,
        source: q.source,
        person_id: q.person,
    };
    let cases = state.store.cases(&filter).await?;
    for c in &cases {
        log_read(&state, &v, c.id, ReadVia::Api).await?;
    }
    Ok(Json(cases))
}

/// A case to open.
#[derive(Deserialize, ToSchema)]
pub struct OpenBody {
    pub source: CaseSource,
    /// The source record's id (none for `manual`; for `assessment`, the run's id).
    pub source_id: Option<i64>,
    #[schema(example = "孟州市雨污分流改造逾期问题")]
    pub title: String,
    /// The clue: what is alleged.
    pub summary: String,
    /// The dates of the act or omission (`YYYY-MM-DD`): required for `manual`; the source's
    /// by default otherwise.
    #[serde(default)]
    pub act_dates: Vec<NaiveDate>,
    /// The day the case is opened (today by default).
    pub opened_on: Option<NaiveDate>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/cases", operation_id = "cases_open", tag = "cases",
    params(("code" = String, Path, description = "The region of the matter (the source's; for an assessment result, the assessed region)", example = "410883")),
    request_body = OpenBody,
    responses(
        (status = 201, description = "The case opened as a clue, with the persons proposed: the holders, on the matter's dates, of the posts that answer for it, with their degree, their responsibility list then, and where they are now", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn open(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(body): Json<OpenBody>,
) -> ApiResult<(StatusCode, Json<Case>)> {
    let opened_on = body.opened_on.unwrap_or_else(today);
    if opened_on > today() {
        return Err(AppError::invalid("opened_on", format!("{opened_on} is in the future")).into());
    }
    let new = NewCase {
        source: body.source,
        source_id: body.source_id,
        region_code: Some(region.code.clone()),
        title: body.title,
        summary: body.summary,
        act_dates: body.act_dates,
        opened_on,
    };
    let case = state
        .store
        .open_case(&v.change("登记问题线索"), new)
        .await?;
    Ok((StatusCode::CREATED, Json(case)))
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}", operation_id = "cases_get", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    responses(
        (status = 200, description = "The case as it stands (the read is logged)", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(c, v): ApiScoped<Case>,
) -> ApiResult<Json<Case>> {
    log_read(&state, &v, c.id, ReadVia::Api).await?;
    Ok(Json(c))
}

#[utoipa::path(
    get, path = "/api/v1/cases/{id}/history", operation_id = "cases_history", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    responses(
        (status = 200, description = "Every version of the case, oldest first (the read is logged)", body = Vec<Case>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn history(
    State(state): State<AppState>,
    ApiScoped(c, v): ApiScoped<Case>,
) -> ApiResult<Json<Vec<Case>>> {
    log_read(&state, &v, c.id, ReadVia::Api).await?;
    Ok(Json(state.store.case_versions(c.id).await?))
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/take-up", operation_id = "cases_take_up", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    responses(
        (status = 200, description = "The clue taken up for investigation (立案调查); the caller is its investigator", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn take_up(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<InvestigateCases>,
) -> ApiResult<Json<Case>> {
    Ok(Json(
        state
            .store
            .take_up_case(&v.change("立案调查"), c.id)
            .await?,
    ))
}

/// A person confirmed or removed.
#[derive(Deserialize, ToSchema)]
pub struct PersonBody {
    pub person_id: i64,
    /// `confirmed` or `removed`.
    pub state: PersonState,
    pub reason: String,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/persons", operation_id = "cases_person", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = PersonBody,
    responses(
        (status = 200, description = "The person confirmed or removed, with the reason", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn person(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(body): Json<PersonBody>,
) -> ApiResult<Json<Case>> {
    let reason = format!("{}人员 #{}", body.state.name_zh(), body.person_id);
    Ok(Json(
        state
            .store
            .set_case_person(
                &v.change(reason),
                c.id,
                body.person_id,
                body.state,
                &body.reason,
            )
            .await?,
    ))
}

/// A person added by hand, not proposed by the system.
#[derive(Deserialize, ToSchema)]
pub struct AddPersonBody {
    pub person_id: i64,
    /// The post they held on a date of the matter.
    pub post_id: i64,
    /// `first_responsible`, `leadership` or `direct`.
    pub degree: Degree,
    pub reason: String,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/persons/add", operation_id = "cases_add_person", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = AddPersonBody,
    responses(
        (status = 200, description = "The person added to the case, confirmed with the reason, with their tenure on the matter's dates and their responsibility list", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn add_person(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(body): Json<AddPersonBody>,
) -> ApiResult<Json<Case>> {
    post_in_scope(&state, &v, body.post_id).await?;
    Ok(Json(
        state
            .store
            .add_case_person(
                &v.change(format!("增加责任人员 #{}", body.person_id)),
                c.id,
                &AddedPerson {
                    person_id: body.person_id,
                    post_id: body.post_id,
                    degree: body.degree,
                    reason: body.reason,
                },
            )
            .await?,
    ))
}

/// A post outside the caller's region is answered as if it did not exist.
pub async fn post_in_scope(state: &AppState, v: &Viewer, post_id: i64) -> ApiResult<()> {
    match v.post(&state.store, post_id).await {
        Err(AppError::NotFound) => {
            Err(AppError::invalid("post_id", format!("no post #{post_id}")).into())
        }
        other => other.map(|_| ()).map_err(Into::into),
    }
}

/// A ground against a confirmed person: an item of Art. 17, or a situation (情形) of a loaded
/// framework.
#[derive(Deserialize, ToSchema)]
pub struct GroundBody {
    pub person_id: i64,
    /// The framework whose situation it is (`accountability-measures`); 第十七条 of the
    /// regulation when absent.
    pub framework: Option<String>,
    /// The framework's article (required with `framework`: 5–8 for the 办法's situations).
    pub article: Option<u32>,
    /// The item of 第十七条 (1–5), or of the framework's article.
    pub item: u32,
    pub facts: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/grounds", operation_id = "cases_ground", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = GroundBody,
    responses(
        (status = 200, description = "The ground recorded, quoting the item from the regulation (or the framework) in force on the matter's date, cited as 第十七条第二项 or 《办法》第五条第(七)项", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn ground(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(body): Json<GroundBody>,
) -> ApiResult<Json<Case>> {
    require_citable(&state, &v, &body.evidence).await?;
    Ok(Json(
        state
            .store
            .add_case_ground_from(
                &v.change("认定追责情形"),
                c.id,
                body.person_id,
                &GroundRef {
                    framework: body.framework,
                    article: body.article,
                    item: body.item,
                },
                &body.facts,
                body.evidence,
            )
            .await?,
    ))
}

/// A circumstance of Art. 18 for a confirmed person.
#[derive(Deserialize, ToSchema)]
pub struct CircumstanceBody {
    pub person_id: i64,
    pub circumstance: Circumstance,
    pub facts: String,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/circumstances", operation_id = "cases_circumstance", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = CircumstanceBody,
    responses(
        (status = 200, description = "The circumstance recorded with its basis (第十八条第一款 or 第二款) and effect", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn circumstance(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(body): Json<CircumstanceBody>,
) -> ApiResult<Json<Case>> {
    require_citable(&state, &v, &body.evidence).await?;
    Ok(Json(
        state
            .store
            .add_case_circumstance(
                &v.change("记录从轻从重情节"),
                c.id,
                body.person_id,
                body.circumstance,
                &body.facts,
                body.evidence,
            )
            .await?,
    ))
}

/// The decision (决定书).
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    pub document_no: String,
    pub body: String,
    pub decided_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub appeal_days: u32,
    pub appeal_body: String,
    #[serde(default)]
    pub public: bool,
    pub text: String,
    /// One per confirmed person: `{person_id, forms, exempt_reason, no_promotion_until}`.
    pub outcomes: Vec<ecoduty_store::accountability::OutcomeSpec>,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/decision", operation_id = "cases_decide", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The decision recorded (never by the case's investigator)", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<DecideCases>,
    Json(b): Json<DecisionBody>,
) -> ApiResult<Json<Case>> {
    let spec = DecisionSpec {
        document_no: b.document_no,
        body: b.body,
        decided_on: b.decided_on,
        effective_on: b.effective_on,
        appeal_days: b.appeal_days,
        appeal_body: b.appeal_body,
        public: b.public,
        text: b.text,
        outcomes: b.outcomes,
    };
    Ok(Json(
        state
            .store
            .decide_case(&v.change("作出追责决定"), c.id, spec)
            .await?,
    ))
}

/// An appeal, or a step with a date and a text (execution, archive, dismissal).
#[derive(Deserialize, ToSchema)]
pub struct AppealBody {
    pub person_id: i64,
    pub lodged_on: NaiveDate,
    pub text: String,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/appeals", operation_id = "cases_appeal", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = AppealBody,
    responses(
        (status = 200, description = "The appeal (申诉) recorded, within the decision's period", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn appeal(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<DecideCases>,
    Json(b): Json<AppealBody>,
) -> ApiResult<Json<Case>> {
    Ok(Json(
        state
            .store
            .lodge_case_appeal(
                &v.change("受理申诉"),
                c.id,
                b.person_id,
                b.lodged_on,
                &b.text,
            )
            .await?,
    ))
}

/// The answer to an appeal.
#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The appeal's number within the case.
    pub number: u32,
    pub answered_on: NaiveDate,
    /// `upheld`, `changed` or `revoked`.
    pub result: ecoduty_store::accountability::AppealResult,
    pub text: String,
    /// For `changed`: the new outcome.
    pub outcome: Option<ecoduty_store::accountability::OutcomeSpec>,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/appeals/answer", operation_id = "cases_answer_appeal", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = AnswerBody,
    responses(
        (status = 200, description = "The appeal answered; a changed or revoked decision keeps the outcome it replaced", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn answer_appeal(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<DecideCases>,
    Json(b): Json<AnswerBody>,
) -> ApiResult<Json<Case>> {
    let spec = AppealAnswerSpec {
        answered_on: b.answered_on,
        result: b.result,
        text: b.text,
        outcome: b.outcome,
    };
    Ok(Json(
        state
            .store
            .answer_case_appeal(&v.change("答复申诉"), c.id, b.number, spec)
            .await?,
    ))
}

/// A step with its day and text.
#[derive(Deserialize, ToSchema)]
pub struct StepBody {
    /// The day (today by default).
    pub on: Option<NaiveDate>,
    /// How the decision was carried out (execution) or why the case is dismissed.
    #[serde(default)]
    pub text: String,
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/execute", operation_id = "cases_execute", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = StepBody,
    responses(
        (status = 200, description = "The decision recorded as carried out", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn execute(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<DecideCases>,
    Json(b): Json<StepBody>,
) -> ApiResult<Json<Case>> {
    let on = b.on.unwrap_or_else(today);
    Ok(Json(
        state
            .store
            .execute_case(&v.change("决定执行完毕"), c.id, on, &b.text)
            .await?,
    ))
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/archive", operation_id = "cases_archive", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = StepBody,
    responses(
        (status = 200, description = "The file closed (归档)", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn archive(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<DecideCases>,
    Json(b): Json<StepBody>,
) -> ApiResult<Json<Case>> {
    let on = b.on.unwrap_or_else(today);
    Ok(Json(
        state
            .store
            .archive_case(&v.change("归档"), c.id, on)
            .await?,
    ))
}

#[utoipa::path(
    post, path = "/api/v1/cases/{id}/dismiss", operation_id = "cases_dismiss", tag = "cases",
    params(("id" = i64, Path, description = "Case id", example = 1)),
    request_body = StepBody,
    responses(
        (status = 200, description = "The case dismissed with its reason (`text`)", body = Case),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn dismiss(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Case>,
    Allowed(v, _): Allowed<InvestigateCases>,
    Json(b): Json<StepBody>,
) -> ApiResult<Json<Case>> {
    Ok(Json(
        state
            .store
            .dismiss_case(&v.change("撤销案件"), c.id, &b.text)
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormsQuery {
    /// The day of the decision (today by default).
    pub on: Option<NaiveDate>,
}

#[utoipa::path(
    get, path = "/api/v1/case-forms", operation_id = "cases_forms", tag = "cases",
    params(FormsQuery),
    responses(
        (status = 200, description = "The forms of accountability a decision on the day chooses from: those the frameworks in force list (with the provision that lists them), or the built-in list while none lists any", body = Vec<DecidedForm>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn forms(
    State(state): State<AppState>,
    Allowed(_, _): Allowed<ReadCases>,
    Query(q): Query<FormsQuery>,
) -> ApiResult<Json<Vec<DecidedForm>>> {
    Ok(Json(
        state
            .store
            .decision_forms(q.on.unwrap_or_else(today))
            .await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadsQuery {
    /// Reads of cases within this region (the caller's own by default).
    pub region: Option<String>,
    /// Reads of one case.
    pub case: Option<i64>,
}

#[utoipa::path(
    get, path = "/api/v1/case-reads", operation_id = "cases_reads", tag = "cases",
    params(ReadsQuery),
    responses(
        (status = 200, description = "Who read which case, when and how, newest first (at most 1000)", body = Vec<CaseRead>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn reads(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReviewCaseReads>,
    Query(q): Query<ReadsQuery>,
) -> ApiResult<Json<Vec<CaseRead>>> {
    let within: Option<RegionCode> = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(
        state
            .store
            .case_reads(within.as_ref(), q.case, 1000)
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/cases", operation_id = "cases_of_person", tag = "cases",
    params(("id" = i64, Path, description = "Person id", example = 1)),
    responses(
        (status = 200, description = "The person's cases within the caller's region, with the outcome and whether its influence period (影响期) is in force today", body = Vec<PersonCase>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn of_person(
    State(state): State<AppState>,
    ApiScoped(p, _): ApiScoped<Person>,
    Allowed(v, _): Allowed<ReadCases>,
) -> ApiResult<Json<Vec<PersonCase>>> {
    let mut out = state.store.person_cases(p.id, today()).await?;
    out.retain(|c| v.reaches(&c.region_code));
    Ok(Json(out))
}
