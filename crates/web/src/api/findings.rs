//! Findings (督察发现的问题) and their rectification: the filtered, paged list; one finding with
//! its whole life (every version is a step: who, when, what, why); creating a finding; and
//! each step of its life as its own route — start, progress, request closure (with evidence),
//! verify, return for rework, close, extend the deadline, make long-term, review.
//!
//! The state machine of `ecoduty_domain::supervision::finding` decides every step, and the
//! store records it as a new version with its ledger entry. A step out of order is answered
//! 409; a verification, return or closure by the one who asked for the closure is refused
//! with 403 (`/problems/separation-of-duties`); a closure request without evidence, or a
//! step without the comment it needs, is 422 naming the field.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_domain::supervision::finding::{
    apply, Act, Event, FindingState, Status, TransitionError,
};
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_domain::RegionCode;
use ecoduty_store::organisations::Organisation;
use ecoduty_store::supervision::evidence::EvidenceInfo;
use ecoduty_store::supervision::findings::{
    Finding, FindingAction, FindingFilter, NewFinding, Refusal,
};
use ecoduty_store::supervision::inspections::Inspection;
use ecoduty_store::supervision::EvidenceRef;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{
    body_ref, list_scope, optional_text, reason_or, required_text, today, Allowed, Inspect, Rectify,
};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::auth::{ApiScoped, ApiViewer, Viewer};
use crate::error::{ApiResult, AppError};
use crate::i18n::Wording;
use crate::state::AppState;

/// The longest comment recorded with a step.
pub const MAX_COMMENT: usize = 2000;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct FindingQuery {
    /// Findings of this region's subtree; the caller's region when absent.
    pub region: Option<String>,
    /// One status, or several separated by commas (assigned, in_progress, closure_requested,
    /// verified, closed, long_term).
    pub status: Option<String>,
    #[param(inline)]
    pub category: Option<Category>,
    #[param(inline)]
    pub severity: Option<Severity>,
    #[param(inline)]
    pub source: Option<Source>,
    pub inspection_id: Option<i64>,
    pub complaint_id: Option<i64>,
    /// Only findings past their deadline while still with their units.
    pub overdue: Option<bool>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

/// Reads the statuses of a filter (`assigned,in_progress`).
pub fn parse_statuses(text: Option<&str>) -> Result<Vec<Status>, AppError> {
    text.unwrap_or("")
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|e: String| AppError::invalid("status", e))
        })
        .collect()
}

/// The store's filter for a query, within the caller's scope.
pub async fn filter_of(
    state: &AppState,
    v: &Viewer,
    q: &FindingQuery,
) -> Result<FindingFilter, AppError> {
    Ok(FindingFilter {
        within: list_scope(state, v, q.region.as_deref()).await?,
        statuses: parse_statuses(q.status.as_deref())?,
        overdue: q.overdue.unwrap_or(false),
        category: q.category,
        severity: q.severity,
        source: q.source,
        inspection_id: q.inspection_id,
        complaint_id: q.complaint_id,
        organisation_id: None,
    })
}

#[utoipa::path(
    get, path = "/api/v1/findings", operation_id = "findings_list", tag = "findings",
    params(FindingQuery),
    responses(
        (status = 200, description = "Findings within the region, newest first (each as its latest version)", body = Page<Finding>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<FindingQuery>,
) -> ApiResult<Json<Page<Finding>>> {
    let filter = filter_of(&state, &v, &q).await?;
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    let found = state.store.findings_page(&filter, page).await?;
    Ok(Json(pagination::from_store(found)))
}

/// A new finding, assigned (交办) to its responsible units today.
#[derive(Deserialize, ToSchema)]
pub struct NewFindingBody {
    /// The region whose units must rectify it.
    #[schema(example = "410883")]
    pub region_code: String,
    pub source: Source,
    /// The inspection it came from (for source `inspection`).
    pub inspection_id: Option<i64>,
    /// A reference for other sources: an audit report's number, a news item.
    #[serde(default)]
    pub source_ref: String,
    /// Its number in the inspection's list (序号).
    #[serde(default)]
    pub serial: String,
    pub category: Category,
    pub severity: Severity,
    /// What was found.
    pub text: String,
    /// The rectification measures asked for (整改措施).
    #[serde(default)]
    pub measures: String,
    /// Responsible units (organisations of the region or above it), by id; at least one.
    pub units: Vec<i64>,
    /// Responsible posts, by id.
    #[serde(default)]
    pub posts: Vec<i64>,
    /// The rectification deadline (整改时限); leave out for a long-term item.
    pub deadline: Option<NaiveDate>,
    /// For a long-term item (长期坚持): days between reviews (1–366).
    pub review_every_days: Option<u32>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/findings", operation_id = "findings_create", tag = "findings",
    request_body = NewFindingBody,
    responses(
        (status = 201, description = "The finding, assigned to its units", body = Finding),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<Inspect>,
    Json(body): Json<NewFindingBody>,
) -> ApiResult<(StatusCode, Json<Finding>)> {
    let finding = create_finding(&state, &v, body, Wording::Api).await?;
    Ok((StatusCode::CREATED, Json(finding)))
}

/// Checks a new finding and records it (the API's and the new-finding page's way).
pub async fn create_finding(
    state: &AppState,
    v: &Viewer,
    body: NewFindingBody,
    wording: Wording,
) -> Result<Finding, AppError> {
    // A deadline, or a long-term item's review interval: the state machine's first rule.
    if let Err(e) = FindingState::new(body.deadline, body.review_every_days, today()) {
        let field = match e {
            TransitionError::BadInterval(_) => "review_every_days",
            _ => "deadline",
        };
        return Err(AppError::refused(field, &e.reason(), wording));
    }
    let region = v
        .region(&state.store, &body.region_code)
        .await
        .map_err(|_| {
            AppError::invalid(
                "region_code",
                format!("no region {} in your region", body.region_code),
            )
        })?;
    let text = required_text("text", &body.text, 5000)?;
    let measures = optional_text("measures", &body.measures, 5000)?;
    let source_ref = optional_text("source_ref", &body.source_ref, 200)?;
    let serial = optional_text("serial", &body.serial, 50)?;
    if body.units.is_empty() {
        return Err(AppError::invalid(
            "units",
            "name at least one responsible unit",
        ));
    }
    for id in &body.units {
        unit_in_reach(state, &region.code, *id).await?;
    }
    if let Some(id) = body.inspection_id {
        let i = state
            .store
            .inspection(id)
            .await?
            .filter(|i| crate::auth::scoped::inspection_concerns(v, i));
        if i.is_none() {
            return Err(AppError::invalid(
                "inspection_id",
                format!("no inspection {id}"),
            ));
        }
    }
    let reason = reason_or(body.reason, || format!("assign finding in {}", region.name))?;
    state
        .store
        .create_finding(
            &v.change(reason),
            NewFinding {
                region_code: region.code,
                source: body.source,
                inspection_id: body.inspection_id,
                complaint_id: None,
                source_ref,
                serial,
                category: body.category,
                severity: body.severity,
                text,
                measures,
                units: body.units,
                posts: body.posts,
                deadline: body.deadline,
                review_every_days: body.review_every_days,
            },
            today(),
        )
        .await
        .map_err(body_ref("units"))
}

/// A responsible unit must be an organisation of the finding's region, of a region within it,
/// or of a region above it (a city bureau answering for a county's finding).
async fn unit_in_reach(
    state: &AppState,
    region: &RegionCode,
    id: i64,
) -> Result<Organisation, AppError> {
    let org = state
        .store
        .organisation(id)
        .await?
        .filter(|o| region.is_within(&o.region_code) || o.region_code.is_within(region))
        .ok_or_else(|| {
            AppError::invalid(
                "units",
                format!("no organisation {id} in or above region {region}"),
            )
        })?;
    Ok(org)
}

/// A finding with its whole life and what it cites.
#[derive(Serialize, ToSchema)]
pub struct FindingDetail {
    pub finding: Finding,
    /// Every version, oldest first: the finding's life step by step.
    pub history: Vec<Finding>,
    pub units: Vec<Organisation>,
    pub inspection: Option<Inspection>,
    /// The files cited by the closure request now pending or granted.
    pub evidence: Vec<EvidenceInfo>,
    /// The steps the caller may take now (by role, state and separation of duties).
    pub allowed: Vec<String>,
}

/// The steps a viewer may take on a finding now.
pub fn allowed_steps(v: &Viewer, f: &Finding) -> Vec<&'static str> {
    use ecoduty_domain::access::Permission;
    let actor = v.actor();
    let act = Act {
        actor: &actor,
        on: today(),
        comment: "-",
    };
    let state = f.state();
    let mut out = Vec::new();
    let candidates: [(&str, Event, Permission); 9] = [
        ("start", Event::Start, Permission::Rectify),
        (
            "progress",
            Event::Progress { text: "-".into() },
            Permission::Rectify,
        ),
        (
            "request_closure",
            Event::RequestClosure {
                evidence: vec!["-".into()],
            },
            Permission::Rectify,
        ),
        ("verify", Event::Verify, Permission::Inspect),
        ("return", Event::Return, Permission::Inspect),
        ("close", Event::Close, Permission::Inspect),
        (
            "extend_deadline",
            Event::ExtendDeadline {
                deadline: f
                    .deadline
                    .map(|d| d + chrono::Duration::days(1))
                    .unwrap_or(today()),
            },
            Permission::Inspect,
        ),
        (
            "long_term",
            Event::DesignateLongTerm {
                review_every_days: 90,
            },
            Permission::Inspect,
        ),
        ("review", Event::Review, Permission::Inspect),
    ];
    for (key, event, permission) in candidates {
        if v.can(permission) && apply(&state, &event, &act).is_ok() {
            out.push(key);
        }
    }
    out
}

#[utoipa::path(
    get, path = "/api/v1/findings/{id}", operation_id = "findings_get", tag = "findings",
    params(("id" = i64, Path, description = "Finding id", example = 1)),
    responses(
        (status = 200, description = "The finding, its history, units, inspection and evidence", body = FindingDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(finding, v): ApiScoped<Finding>,
) -> ApiResult<Json<FindingDetail>> {
    Ok(Json(detail(&state, &v, finding).await?))
}

/// Everything a finding's page and its API answer show.
pub async fn detail(
    state: &AppState,
    v: &Viewer,
    finding: Finding,
) -> Result<FindingDetail, AppError> {
    let history = state.store.finding_history(finding.id).await?;
    let mut units = Vec::new();
    for id in &finding.units {
        if let Some(o) = state.store.organisation(*id).await? {
            units.push(o);
        }
    }
    let inspection = match finding.inspection_id {
        Some(id) => state.store.inspection(id).await?,
        None => None,
    };
    let mut evidence = Vec::new();
    for e in &finding.closure_evidence {
        if let Some(info) = state.store.evidence_info(&e.sha256).await? {
            evidence.push(info);
        }
    }
    let allowed = allowed_steps(v, &finding)
        .into_iter()
        .map(String::from)
        .collect();
    Ok(FindingDetail {
        finding,
        history,
        units,
        inspection,
        evidence,
        allowed,
    })
}

/// The event of an action.
fn event_of(action: &FindingAction) -> Event {
    match action {
        FindingAction::Start => Event::Start,
        FindingAction::Progress { text } => Event::Progress { text: text.clone() },
        FindingAction::RequestClosure { evidence } => Event::RequestClosure {
            evidence: evidence.iter().map(|e| e.sha256.clone()).collect(),
        },
        FindingAction::Verify => Event::Verify,
        FindingAction::Return => Event::Return,
        FindingAction::Close => Event::Close,
        FindingAction::ExtendDeadline { deadline } => Event::ExtendDeadline {
            deadline: *deadline,
        },
        FindingAction::LongTerm { review_every_days } => Event::DesignateLongTerm {
            review_every_days: *review_every_days,
        },
        FindingAction::Review => Event::Review,
    }
}

/// Checks a step against the state machine first, so that each refusal gets its own status:
/// out of order 409, separation of duties 403, a missing comment or evidence 422. The reason
/// is worded for a page in its language, or for the API in both.
fn precheck(
    f: &Finding,
    action: &FindingAction,
    actor: &str,
    comment: &str,
    wording: Wording,
) -> Result<(), AppError> {
    let act = Act {
        actor,
        on: today(),
        comment,
    };
    let Err(e) = apply(&f.state(), &event_of(action), &act) else {
        return Ok(());
    };
    let r = e.reason();
    let said = wording.say(&r.zh, &r.en);
    Err(match e {
        TransitionError::SeparationOfDuties { .. } => AppError::SeparationOfDuties(said),
        TransitionError::NotAllowed { .. } => AppError::Conflict(said),
        TransitionError::NoEvidence => AppError::invalid("evidence", said),
        TransitionError::NoComment(..) => AppError::invalid("comment", said),
        TransitionError::NoActor => AppError::invalid("actor", said),
        TransitionError::DeadlineAndInterval
        | TransitionError::NoDeadline
        | TransitionError::DeadlinePassed { .. }
        | TransitionError::DeadlineNotLater { .. } => AppError::invalid("deadline", said),
        TransitionError::BadInterval(_) => AppError::invalid("review_every_days", said),
    })
}

/// Takes a step: checked, then recorded by the store (which checks again under its lock).
pub async fn take_step(
    state: &AppState,
    v: &Viewer,
    finding: &Finding,
    action: FindingAction,
    comment: Option<String>,
    wording: Wording,
) -> Result<Finding, AppError> {
    let comment = optional_text("comment", comment.as_deref().unwrap_or(""), MAX_COMMENT)?;
    if let FindingAction::RequestClosure { evidence } = &action {
        crate::api::evidence::require_citable(state, v, evidence).await?;
    }
    let actor = v.actor();
    precheck(finding, &action, &actor, &comment, wording)?;
    let reason = format!("finding {}: {}", finding.id, step_key(&action));
    state
        .store
        .transition_finding(&v.change(reason), finding.id, action, &comment, today())
        .await
        .map_err(|e| match (e, wording) {
            (e, Wording::Page(lang)) => AppError::from_store_in(e, lang),
            (e, Wording::Api) => e.into(),
        })
}

/// Extends several findings' deadlines with one reason, all or none, within the caller's
/// region: the findings extended, or every refused finding with its reason (then nothing
/// changed). A request that cannot apply to any finding (no finding, no reason, a day already
/// past) is an error.
pub async fn extend_deadlines(
    state: &AppState,
    v: &Viewer,
    ids: &[i64],
    deadline: NaiveDate,
    comment: &str,
    wording: Wording,
) -> Result<Result<Vec<Finding>, Vec<Refusal>>, AppError> {
    let reason = format!(
        "批量延期 extend the deadline of {} finding(s) to {deadline}: {}",
        ids.len(),
        comment.trim()
    );
    state
        .store
        .extend_finding_deadlines(&v.change(reason), ids, deadline, comment, v.root(), today())
        .await
        .map_err(|e| match e {
            ecoduty_store::StoreError::Refused { field, reason } => {
                AppError::refused(field, &reason, wording)
            }
            other => other.into(),
        })
}

fn step_key(a: &FindingAction) -> &'static str {
    match a {
        FindingAction::Start => "start",
        FindingAction::Progress { .. } => "progress",
        FindingAction::RequestClosure { .. } => "request_closure",
        FindingAction::Verify => "verify",
        FindingAction::Return => "return",
        FindingAction::Close => "close",
        FindingAction::ExtendDeadline { .. } => "extend_deadline",
        FindingAction::LongTerm { .. } => "long_term",
        FindingAction::Review => "review",
    }
}

/// A step with an optional comment.
#[derive(Deserialize, ToSchema, Default)]
pub struct StepBody {
    pub comment: Option<String>,
}

/// A step whose comment is its substance (what is wanting, what a review found).
#[derive(Deserialize, ToSchema)]
pub struct CommentedStep {
    pub comment: String,
}

/// Progress made (进展情况).
#[derive(Deserialize, ToSchema)]
pub struct ProgressStep {
    /// The account of progress, which replaces the finding's latest.
    pub text: String,
    pub comment: Option<String>,
}

/// A closure request (申请销号): what was done, and the evidence.
#[derive(Deserialize, ToSchema)]
pub struct ClosureRequest {
    /// Stored evidence files (see POST /api/v1/evidence), at least one.
    pub evidence: Vec<EvidenceRef>,
    /// What was done (required).
    pub comment: String,
}

/// A later deadline, and why.
#[derive(Deserialize, ToSchema)]
pub struct DeadlineExtension {
    pub deadline: NaiveDate,
    pub comment: String,
}

/// Making the finding long-term (长期坚持), and why.
#[derive(Deserialize, ToSchema)]
pub struct LongTermStep {
    /// Days between reviews (1–366).
    pub review_every_days: u32,
    pub comment: String,
}

macro_rules! step_route {
    ($name:ident, $path:literal, $op:literal, $perm:ty, $body:ty, $doc:literal, |$b:ident| $action:expr, $comment:expr) => {
        #[utoipa::path(
                    post, path = $path, operation_id = $op, tag = "findings",
                    description = $doc,
                    params(("id" = i64, Path, description = "Finding id", example = 1)),
                    request_body = $body,
                    responses(
                        (status = 200, description = "The finding's new version", body = Finding),
                        (status = 401, response = crate::api::common::Unauthorized),
                        (status = 403, response = crate::api::common::Forbidden),
                        (status = 404, response = crate::api::common::NotFound),
                        (status = 409, response = crate::api::common::Conflict),
                        (status = 422, response = crate::api::common::Invalid)
                    )
                )]
        pub async fn $name(
            State(state): State<AppState>,
            ApiScoped(finding, _): ApiScoped<Finding>,
            Allowed(v, _): Allowed<$perm>,
            Json($b): Json<$body>,
        ) -> ApiResult<Json<Finding>> {
            let action = $action;
            let comment: Option<String> = $comment;
            Ok(Json(
                take_step(&state, &v, &finding, action, comment, Wording::Api).await?,
            ))
        }
    };
}

step_route!(
    start,
    "/api/v1/findings/{id}/start",
    "findings_start",
    Rectify,
    StepBody,
    "The responsible unit starts rectifying (开始整改).",
    |b| FindingAction::Start,
    b.comment
);
step_route!(
    progress,
    "/api/v1/findings/{id}/progress",
    "findings_progress",
    Rectify,
    ProgressStep,
    "The unit reports progress (报送进展); an assigned finding becomes in progress.",
    |b| FindingAction::Progress {
        text: b.text.clone()
    },
    b.comment
);
step_route!(
    request_closure,
    "/api/v1/findings/{id}/request-closure",
    "findings_request_closure",
    Rectify,
    ClosureRequest,
    "The unit asks for the finding to be closed (申请销号), citing stored evidence.",
    |b| FindingAction::RequestClosure {
        evidence: b.evidence.clone()
    },
    Some(b.comment)
);
step_route!(
    verify,
    "/api/v1/findings/{id}/verify",
    "findings_verify",
    Inspect,
    StepBody,
    "Someone other than the requester accepts the rectification (验收).",
    |b| FindingAction::Verify,
    b.comment
);
step_route!(return_for_rework, "/api/v1/findings/{id}/return", "findings_return", Inspect, CommentedStep,
    "The rectification is found wanting and returned (退回重新整改); the comment says what is wanting.",
    |b| FindingAction::Return, Some(b.comment));
step_route!(
    close,
    "/api/v1/findings/{id}/close",
    "findings_close",
    Inspect,
    StepBody,
    "The verified finding is closed (销号).",
    |b| FindingAction::Close,
    b.comment
);
step_route!(
    extend_deadline,
    "/api/v1/findings/{id}/extend-deadline",
    "findings_extend_deadline",
    Inspect,
    DeadlineExtension,
    "The deadline is moved later (延期), with the reason.",
    |b| FindingAction::ExtendDeadline {
        deadline: b.deadline
    },
    Some(b.comment)
);
step_route!(
    long_term,
    "/api/v1/findings/{id}/long-term",
    "findings_long_term",
    Inspect,
    LongTermStep,
    "The finding becomes a long-term item (长期坚持), reviewed periodically.",
    |b| FindingAction::LongTerm {
        review_every_days: b.review_every_days
    },
    Some(b.comment)
);
step_route!(
    review,
    "/api/v1/findings/{id}/review",
    "findings_review",
    Inspect,
    CommentedStep,
    "A periodic review of a long-term item (定期复核).",
    |b| FindingAction::Review,
    Some(b.comment)
);
