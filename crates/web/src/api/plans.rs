//! Annual key work plans (年度重点工作计划, Art. 8(2)), their tasks and the progress units
//! report on them, and dispatch rounds (调度, Art. 7(4)): a level asks every unit with open
//! tasks in its area to report by a date, and sees who reported, who was late and who never
//! did. A progress report is never changed once made; it moves its task by a new version.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_domain::supervision::tasks::{Basis, Milestone, TaskStatus};
use ecoduty_store::supervision::plans::{
    DispatchRound, NewPlan, NewProgress, NewRound, NewTask, PlanFilter, ProgressReport,
    RoundStatus, Task, TaskFilter, WorkPlan,
};
use ecoduty_store::supervision::{EvidenceRef, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{
    body_ref, list_scope, reason_or, required_text, today, Allowed, PlanWork, Rectify,
};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::auth::{ApiScoped, ApiViewer, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// Plans of this region's subtree; the caller's region when absent.
    pub region: Option<String>,
    pub year: Option<i32>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/plans", operation_id = "plans_list", tag = "plans",
    params(PlanQuery),
    responses(
        (status = 200, description = "Work plans, newest first", body = Page<WorkPlan>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<PlanQuery>,
) -> ApiResult<Json<Page<WorkPlan>>> {
    let filter = PlanFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        year: crate::api::common::year_param("year", q.year)?,
    };
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    Ok(Json(pagination::from_store(
        state.store.plans_page(&filter, page).await?,
    )))
}

/// A new work plan.
#[derive(Deserialize, ToSchema)]
pub struct NewPlanBody {
    #[schema(example = "410800")]
    pub region_code: String,
    #[schema(example = 2026)]
    pub year: i32,
    pub title: String,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/plans", operation_id = "plans_create", tag = "plans",
    request_body = NewPlanBody,
    responses(
        (status = 201, description = "The plan", body = WorkPlan),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<PlanWork>,
    Json(body): Json<NewPlanBody>,
) -> ApiResult<(StatusCode, Json<WorkPlan>)> {
    let region = region_in_body(&state, &v, "region_code", &body.region_code).await?;
    let title = required_text("title", &body.title, 200)?;
    if !(2000..=2100).contains(&body.year) {
        return Err(AppError::invalid("year", "a year between 2000 and 2100").into());
    }
    let reason = reason_or(body.reason, || format!("work plan {} {title}", body.year))?;
    let plan = state
        .store
        .create_plan(
            &v.change(reason),
            NewPlan {
                region_code: region,
                year: body.year,
                title,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

/// A region named in a body: within the caller's region, else 422 naming the field.
pub async fn region_in_body(
    state: &AppState,
    v: &Viewer,
    field: &str,
    code: &str,
) -> Result<ecoduty_domain::RegionCode, AppError> {
    v.region(&state.store, code)
        .await
        .map(|r| r.code)
        .map_err(|_| AppError::invalid(field, format!("no region {code} in your region")))
}

/// A plan with its tasks.
#[derive(Serialize, ToSchema)]
pub struct PlanDetail {
    pub plan: WorkPlan,
    /// Its tasks within the caller's region, newest first (the first 500).
    pub tasks: Vec<Task>,
}

#[utoipa::path(
    get, path = "/api/v1/plans/{id}", operation_id = "plans_get", tag = "plans",
    params(("id" = i64, Path, description = "Plan id", example = 1)),
    responses(
        (status = 200, description = "The plan and its tasks", body = PlanDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(plan, v): ApiScoped<WorkPlan>,
) -> ApiResult<Json<PlanDetail>> {
    let tasks = plan_tasks(&state, &v, plan.id).await?;
    Ok(Json(PlanDetail { plan, tasks }))
}

/// The tasks of a plan the viewer reaches.
pub async fn plan_tasks(state: &AppState, v: &Viewer, plan_id: i64) -> Result<Vec<Task>, AppError> {
    let filter = TaskFilter {
        within: v.root().cloned(),
        plan_id: Some(plan_id),
        ..TaskFilter::default()
    };
    Ok(state
        .store
        .tasks_page(&filter, PageRequest::first(PageRequest::MAX_LIMIT))
        .await?
        .items)
}

/// A new task of the plan in the path.
#[derive(Deserialize, ToSchema)]
pub struct NewTaskBody {
    pub title: String,
    /// What it rests on, as written: an article (第八条第二项), `indicator:KEY`, `finding:ID`,
    /// or a document in words.
    pub basis: String,
    /// The lead unit (牵头单位), an organisation within the caller's region.
    pub lead_organisation_id: i64,
    /// The post answering for it.
    pub responsible_post_id: Option<i64>,
    /// Co-operating units (配合单位).
    #[serde(default)]
    pub cooperating: Vec<i64>,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/plans/{id}/tasks", operation_id = "plans_add_task", tag = "plans",
    params(("id" = i64, Path, description = "Plan id", example = 1)),
    request_body = NewTaskBody,
    responses(
        (status = 201, description = "The task", body = Task),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn add_task(
    State(state): State<AppState>,
    ApiScoped(plan, _): ApiScoped<WorkPlan>,
    Allowed(v, _): Allowed<PlanWork>,
    Json(body): Json<NewTaskBody>,
) -> ApiResult<(StatusCode, Json<Task>)> {
    let title = required_text("title", &body.title, 500)?;
    let basis = Basis::parse(&body.basis).map_err(|m| AppError::invalid("basis", m))?;
    v.organisation(&state.store, body.lead_organisation_id)
        .await
        .map_err(|_| {
            AppError::invalid(
                "lead_organisation_id",
                format!(
                    "no organisation {} in your region",
                    body.lead_organisation_id
                ),
            )
        })?;
    let reason = reason_or(body.reason, || format!("task of plan {}: {title}", plan.id))?;
    let task = state
        .store
        .add_task(
            &v.change(reason),
            NewTask {
                plan_id: plan.id,
                title,
                basis,
                lead_organisation_id: body.lead_organisation_id,
                responsible_post_id: body.responsible_post_id,
                cooperating: body.cooperating,
                deadline: body.deadline,
                milestones: body.milestones,
            },
        )
        .await
        .map_err(body_ref("lead_organisation_id"))?;
    Ok((StatusCode::CREATED, Json(task)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Tasks led by units of this region's subtree; the caller's region when absent.
    pub region: Option<String>,
    pub plan_id: Option<i64>,
    #[param(inline)]
    pub status: Option<TaskStatus>,
    pub lead_organisation_id: Option<i64>,
    /// Only open tasks past their deadline.
    pub overdue: Option<bool>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/tasks", operation_id = "tasks_list", tag = "plans",
    params(TaskQuery),
    responses(
        (status = 200, description = "Tasks, newest first", body = Page<Task>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn tasks(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<TaskQuery>,
) -> ApiResult<Json<Page<Task>>> {
    let filter = TaskFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        plan_id: q.plan_id,
        status: q.status,
        lead_organisation_id: q.lead_organisation_id,
        overdue: q.overdue.unwrap_or(false),
    };
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    Ok(Json(pagination::from_store(
        state.store.tasks_page(&filter, page).await?,
    )))
}

/// A task with its versions and every progress report on it.
#[derive(Serialize, ToSchema)]
pub struct TaskDetail {
    pub task: Task,
    /// Every version, oldest first.
    pub versions: Vec<Task>,
    /// Progress reports, oldest first.
    pub progress: Vec<ProgressReport>,
}

#[utoipa::path(
    get, path = "/api/v1/tasks/{id}", operation_id = "tasks_get", tag = "plans",
    params(("id" = i64, Path, description = "Task id", example = 1)),
    responses(
        (status = 200, description = "The task, its versions and its progress reports", body = TaskDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn task(
    State(state): State<AppState>,
    ApiScoped(task, _): ApiScoped<Task>,
) -> ApiResult<Json<TaskDetail>> {
    let versions = state.store.task_versions(task.id).await?;
    let progress = state.store.progress_reports(task.id).await?;
    Ok(Json(TaskDetail {
        task,
        versions,
        progress,
    }))
}

/// A progress report on the task in the path.
#[derive(Deserialize, ToSchema)]
pub struct ProgressBody {
    /// The reporting unit (the lead or a co-operating unit); the lead unit when absent.
    pub organisation_id: Option<i64>,
    /// The dispatch round it answers.
    pub round_id: Option<i64>,
    /// What was done.
    pub text: String,
    /// How far the task is (0–100).
    #[schema(minimum = 0, maximum = 100)]
    pub percent: u8,
    /// Stored evidence files (see POST /api/v1/evidence).
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[utoipa::path(
    post, path = "/api/v1/tasks/{id}/progress", operation_id = "tasks_report_progress", tag = "plans",
    params(("id" = i64, Path, description = "Task id", example = 1)),
    request_body = ProgressBody,
    responses(
        (status = 201, description = "The report and the task's new version", body = ProgressAnswer),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn report_progress(
    State(state): State<AppState>,
    ApiScoped(task, _): ApiScoped<Task>,
    Allowed(v, _): Allowed<Rectify>,
    Json(body): Json<ProgressBody>,
) -> ApiResult<(StatusCode, Json<ProgressAnswer>)> {
    let text = required_text("text", &body.text, 5000)?;
    if body.percent > 100 {
        return Err(AppError::invalid("percent", "between 0 and 100").into());
    }
    crate::api::evidence::require_citable(&state, &v, &body.evidence).await?;
    let (report, task) = state
        .store
        .report_progress(
            &v.change(format!("progress on task {}", task.id)),
            NewProgress {
                task_id: task.id,
                organisation_id: body.organisation_id,
                round_id: body.round_id,
                reported_on: today(),
                text,
                percent: body.percent,
                evidence: body.evidence,
            },
        )
        .await
        .map_err(body_ref("organisation_id"))?;
    Ok((StatusCode::CREATED, Json(ProgressAnswer { report, task })))
}

/// A progress report made, and the task as it now stands.
#[derive(Serialize, ToSchema)]
pub struct ProgressAnswer {
    pub report: ProgressReport,
    pub task: Task,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// Rounds opened by levels within this region; the caller's region when absent.
    pub region: Option<String>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/dispatch-rounds", operation_id = "dispatch_rounds_list", tag = "plans",
    params(RoundQuery),
    responses(
        (status = 200, description = "Dispatch rounds, newest first", body = Page<DispatchRound>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn rounds(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<RoundQuery>,
) -> ApiResult<Json<Page<DispatchRound>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    Ok(Json(pagination::from_store(
        state
            .store
            .dispatch_rounds_page(within.as_ref(), page)
            .await?,
    )))
}

/// A dispatch round to open today.
#[derive(Deserialize, ToSchema)]
pub struct NewRoundBody {
    /// The region of the level asking; its open tasks are expected to report.
    #[schema(example = "410800")]
    pub region_code: String,
    pub title: String,
    /// Reports are due by this day.
    pub due_date: NaiveDate,
    /// Only tasks of plans of this year.
    pub year: Option<i32>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/dispatch-rounds", operation_id = "dispatch_rounds_open", tag = "plans",
    request_body = NewRoundBody,
    responses(
        (status = 201, description = "The round, with the reports it expects", body = DispatchRound),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn open_round(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<PlanWork>,
    Json(body): Json<NewRoundBody>,
) -> ApiResult<(StatusCode, Json<DispatchRound>)> {
    let region = region_in_body(&state, &v, "region_code", &body.region_code).await?;
    let title = required_text("title", &body.title, 200)?;
    crate::api::common::year_param("year", body.year)?;
    let reason = reason_or(body.reason, || format!("dispatch round {title}"))?;
    let round = state
        .store
        .open_dispatch_round(
            &v.change(reason),
            NewRound {
                region_code: region,
                title,
                opened_on: today(),
                due_date: body.due_date,
                year: body.year,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(round)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundStatusQuery {
    /// The day to see the round as of; today when absent.
    pub on: Option<NaiveDate>,
}

#[utoipa::path(
    get, path = "/api/v1/dispatch-rounds/{id}", operation_id = "dispatch_rounds_get", tag = "plans",
    params(("id" = i64, Path, description = "Round id", example = 1), RoundStatusQuery),
    responses(
        (status = 200, description = "The round and each unit: reported, late, missing (never reported) or pending", body = RoundStatus),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn round(
    State(state): State<AppState>,
    ApiScoped(round, _): ApiScoped<DispatchRound>,
    Query(q): Query<RoundStatusQuery>,
) -> ApiResult<Json<RoundStatus>> {
    Ok(Json(
        state
            .store
            .dispatch_round_status(round.id, q.on.unwrap_or_else(today))
            .await?,
    ))
}

/// Closing a round.
#[derive(Deserialize, ToSchema, Default)]
pub struct CloseRoundBody {
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/dispatch-rounds/{id}/close", operation_id = "dispatch_rounds_close", tag = "plans",
    params(("id" = i64, Path, description = "Round id", example = 1)),
    request_body = CloseRoundBody,
    responses(
        (status = 200, description = "The round's new version, closed", body = DispatchRound),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn close_round(
    State(state): State<AppState>,
    ApiScoped(round, _): ApiScoped<DispatchRound>,
    Allowed(v, _): Allowed<PlanWork>,
    Json(body): Json<CloseRoundBody>,
) -> ApiResult<Json<DispatchRound>> {
    let reason = reason_or(body.reason, || format!("close dispatch round {}", round.id))?;
    Ok(Json(
        state
            .store
            .close_dispatch_round(&v.change(reason), round.id)
            .await?,
    ))
}
