//! Annual key work plans (年度重点工作计划, Art. 8(2)), their tasks and the progress units
//! report on them, and dispatch rounds (调度, Art. 7(4)): a higher level asks every unit with
//! open tasks in its area to report by a date, and sees who reported, who is late and who
//! never did.
//!
//! A task belongs to the region of its lead unit (so a city plan's task led by a county bureau
//! shows in that county's lists). A progress report is a record of its own, never changed; it
//! moves its task's status and percentage by appending a version of the task. A dispatch
//! round records, when it is opened, which tasks (and lead units) it expects reports on.

use chrono::NaiveDate;
use ecoduty_domain::supervision::tasks::{
    check_schedule, status_after_report, unit_status, Basis, Milestone, TaskStatus, UnitReport,
};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::evidence::require_stored;
use super::{
    ids_text, json_text, parse_code, parse_day, parse_ids, parse_json, parse_key, parse_opt_day,
    region_clause, region_range, EvidenceRef, Page, PageRequest,
};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::posts::Post;
use crate::sql::Value;
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a work plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkPlan {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub year: i32,
    pub title: String,
    pub retired: bool,
}

impl Versioned for WorkPlan {
    const ENTITY: &'static str = "work_plan";
    const IDENTITY: &'static str = "work_plans";
    const VERSIONS: &'static str = "work_plan_versions";
    const ID_COLUMN: &'static str = "plan_id";
    const CURRENT: &'static str = "work_plan_current";
    const COLUMNS: &'static [&'static str] =
        &["plan_id", "rev", "region_code", "year", "title", "retired"];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.region_code.to_string().into(),
            i64::from(self.year).into(),
            self.title.clone().into(),
            self.retired.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let year: i64 = row.try_get("year")?;
        Ok(WorkPlan {
            id: row.try_get("plan_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            year: i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("year {year}")))?,
            title: row.try_get("title")?,
            retired: flag(row, "retired")?,
        })
    }
}

/// One version of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: i64,
    pub rev: i64,
    pub plan_id: i64,
    /// The region of the lead unit.
    pub region_code: RegionCode,
    pub title: String,
    pub basis: Basis,
    pub lead_organisation_id: i64,
    pub responsible_post_id: Option<i64>,
    pub cooperating: Vec<i64>,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    pub status: TaskStatus,
    pub percent: i64,
    /// The day the scheduler found the task overdue.
    pub overdue_since: Option<NaiveDate>,
}

impl Versioned for Task {
    const ENTITY: &'static str = "task";
    const IDENTITY: &'static str = "tasks";
    const VERSIONS: &'static str = "task_versions";
    const ID_COLUMN: &'static str = "task_id";
    const CURRENT: &'static str = "task_current";
    const COLUMNS: &'static [&'static str] = &[
        "task_id",
        "rev",
        "plan_id",
        "region_code",
        "title",
        "basis_kind",
        "basis",
        "lead_organisation_id",
        "responsible_post_id",
        "cooperating",
        "deadline",
        "milestones",
        "status",
        "percent",
        "overdue_since",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.plan_id.into(),
            self.region_code.to_string().into(),
            self.title.clone().into(),
            self.basis.kind().into(),
            self.basis.value().into(),
            self.lead_organisation_id.into(),
            self.responsible_post_id.into(),
            ids_text(&self.cooperating).into(),
            self.deadline.to_string().into(),
            json_text(&self.milestones).into(),
            self.status.key().into(),
            self.percent.into(),
            self.overdue_since.map(|d| d.to_string()).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Task {
            id: row.try_get("task_id")?,
            rev: row.try_get("rev")?,
            plan_id: row.try_get("plan_id")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            title: row.try_get("title")?,
            basis: Basis::from_parts(
                &row.try_get::<String, _>("basis_kind")?,
                &row.try_get::<String, _>("basis")?,
            )
            .map_err(StoreError::Corrupt)?,
            lead_organisation_id: row.try_get("lead_organisation_id")?,
            responsible_post_id: row.try_get("responsible_post_id")?,
            cooperating: parse_ids(&row.try_get::<String, _>("cooperating")?)?,
            deadline: parse_day(&row.try_get::<String, _>("deadline")?)?,
            milestones: parse_json(&row.try_get::<String, _>("milestones")?)?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            percent: row.try_get("percent")?,
            overdue_since: parse_opt_day(row.try_get("overdue_since")?)?,
        })
    }
}

/// A progress report (进展报送): never changed once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressReport {
    pub id: i64,
    pub rev: i64,
    pub task_id: i64,
    /// The reporting unit: the task's lead or a co-operating unit.
    pub organisation_id: i64,
    /// The dispatch round it answers, if any.
    pub round_id: Option<i64>,
    pub reported_on: NaiveDate,
    /// Who entered it (the change's actor).
    pub reporter: String,
    pub text: String,
    pub percent: i64,
    pub evidence: Vec<EvidenceRef>,
}

impl Versioned for ProgressReport {
    const ENTITY: &'static str = "progress_report";
    const IDENTITY: &'static str = "progress_reports";
    const VERSIONS: &'static str = "progress_report_versions";
    const ID_COLUMN: &'static str = "report_id";
    const CURRENT: &'static str = "progress_report_current";
    const COLUMNS: &'static [&'static str] = &[
        "report_id",
        "rev",
        "task_id",
        "organisation_id",
        "round_id",
        "reported_on",
        "reporter",
        "text",
        "percent",
        "evidence",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.task_id.into(),
            self.organisation_id.into(),
            self.round_id.into(),
            self.reported_on.to_string().into(),
            self.reporter.clone().into(),
            self.text.clone().into(),
            self.percent.into(),
            json_text(&self.evidence).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(ProgressReport {
            id: row.try_get("report_id")?,
            rev: row.try_get("rev")?,
            task_id: row.try_get("task_id")?,
            organisation_id: row.try_get("organisation_id")?,
            round_id: row.try_get("round_id")?,
            reported_on: parse_day(&row.try_get::<String, _>("reported_on")?)?,
            reporter: row.try_get("reporter")?,
            text: row.try_get("text")?,
            percent: row.try_get("percent")?,
            evidence: parse_json(&row.try_get::<String, _>("evidence")?)?,
        })
    }
}

/// A report a dispatch round expects: a task and its lead unit when the round was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExpectedReport {
    pub task_id: i64,
    pub organisation_id: i64,
}

/// One version of a dispatch round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchRound {
    pub id: i64,
    pub rev: i64,
    /// The region of the level that opened it; its tasks are those within.
    pub region_code: RegionCode,
    pub title: String,
    pub opened_on: NaiveDate,
    pub due_date: NaiveDate,
    pub expected: Vec<ExpectedReport>,
    pub closed: bool,
}

impl Versioned for DispatchRound {
    const ENTITY: &'static str = "dispatch_round";
    const IDENTITY: &'static str = "dispatch_rounds";
    const VERSIONS: &'static str = "dispatch_round_versions";
    const ID_COLUMN: &'static str = "round_id";
    const CURRENT: &'static str = "dispatch_round_current";
    const COLUMNS: &'static [&'static str] = &[
        "round_id",
        "rev",
        "region_code",
        "title",
        "opened_on",
        "due_date",
        "expected",
        "closed",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.region_code.to_string().into(),
            self.title.clone().into(),
            self.opened_on.to_string().into(),
            self.due_date.to_string().into(),
            json_text(&self.expected).into(),
            self.closed.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(DispatchRound {
            id: row.try_get("round_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            title: row.try_get("title")?,
            opened_on: parse_day(&row.try_get::<String, _>("opened_on")?)?,
            due_date: parse_day(&row.try_get::<String, _>("due_date")?)?,
            expected: parse_json(&row.try_get::<String, _>("expected")?)?,
            closed: flag(row, "closed")?,
        })
    }
}

/// A new plan.
#[derive(Debug, Clone, Deserialize)]
pub struct NewPlan {
    pub region_code: RegionCode,
    pub year: i32,
    pub title: String,
}

/// A new task in a plan.
#[derive(Debug, Clone, Deserialize)]
pub struct NewTask {
    pub plan_id: i64,
    pub title: String,
    pub basis: Basis,
    pub lead_organisation_id: i64,
    pub responsible_post_id: Option<i64>,
    #[serde(default)]
    pub cooperating: Vec<i64>,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// A progress report to make.
#[derive(Debug, Clone, Deserialize)]
pub struct NewProgress {
    pub task_id: i64,
    /// The reporting unit; the task's lead unit when `None`.
    pub organisation_id: Option<i64>,
    pub round_id: Option<i64>,
    pub reported_on: NaiveDate,
    pub text: String,
    pub percent: u8,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

/// A dispatch round to open.
#[derive(Debug, Clone, Deserialize)]
pub struct NewRound {
    pub region_code: RegionCode,
    pub title: String,
    pub opened_on: NaiveDate,
    pub due_date: NaiveDate,
    /// Only tasks of plans of this year.
    pub year: Option<i32>,
}

/// Filters for [`Store::tasks_page`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskFilter {
    #[serde(skip)]
    pub within: Option<RegionCode>,
    pub plan_id: Option<i64>,
    pub status: Option<TaskStatus>,
    pub lead_organisation_id: Option<i64>,
    /// Only open tasks marked overdue.
    #[serde(default)]
    pub overdue: bool,
}

/// Filters for [`Store::plans_page`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanFilter {
    #[serde(skip)]
    pub within: Option<RegionCode>,
    pub year: Option<i32>,
}

/// One unit in a dispatch round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundUnit {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub region_code: RegionCode,
    pub tasks: Vec<i64>,
    /// (task, day) of each report the unit made in the round.
    pub reports: Vec<(i64, NaiveDate)>,
    pub status: UnitReport,
}

/// A dispatch round as it stands on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundStatus {
    pub round: DispatchRound,
    pub on: NaiveDate,
    pub units: Vec<RoundUnit>,
}

impl RoundStatus {
    pub fn count(&self, status: UnitReport) -> usize {
        self.units.iter().filter(|u| u.status == status).count()
    }
}

async fn current_or<T: Versioned>(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    entity: &'static str,
) -> StoreResult<T> {
    versioned::current_in(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found(entity, id))
}

/// A live organisation within `region`, read under the write lock.
async fn unit_within(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    region: &RegionCode,
    field: &str,
) -> StoreResult<Organisation> {
    let org: Organisation = current_or(conn, id, "organisation").await?;
    if org.retired {
        return Err(StoreError::invalid(
            field,
            format!("{} (#{id}) is retired", org.name),
        ));
    }
    if !org.region_code.is_within(region) {
        return Err(StoreError::invalid(
            field,
            format!(
                "{} (#{id}, {}) is outside region {region}",
                org.name, org.region_code
            ),
        ));
    }
    Ok(org)
}

impl Store {
    /// Creates a region's annual key work plan (one per region and year).
    pub async fn create_plan(&self, change: &Change, new: NewPlan) -> StoreResult<WorkPlan> {
        let title = new.title.trim().to_string();
        if title.is_empty() {
            return Err(StoreError::invalid("title", "the plan has no title"));
        }
        if !(2000..=2100).contains(&new.year) {
            return Err(StoreError::invalid(
                "year",
                format!("{} is not a plan year", new.year),
            ));
        }
        self.require_region(&new.region_code).await?;
        let mut w = Writer::begin(self, change).await?;
        let taken = sqlx::query(
            "SELECT plan_id FROM work_plan_current WHERE region_code = $1 AND year = $2 AND retired = 0",
        )
        .bind(new.region_code.as_str())
        .bind(i64::from(new.year))
        .fetch_optional(w.conn())
        .await?;
        if let Some(row) = taken {
            return Err(StoreError::Conflict(format!(
                "region {} already has plan #{} for {}",
                new.region_code,
                row.try_get::<i64, _>(0)?,
                new.year
            )));
        }
        let plan = WorkPlan {
            id: versioned::next_id::<WorkPlan>(w.conn()).await?,
            rev: 1,
            region_code: new.region_code,
            year: new.year,
            title,
            retired: false,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: plan.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(plan)
    }

    pub async fn plan(&self, id: i64) -> StoreResult<Option<WorkPlan>> {
        versioned::current(self, id).await
    }

    /// Plans within a region's subtree, newest first.
    pub async fn plans_page(
        &self,
        filter: &PlanFilter,
        page: PageRequest,
    ) -> StoreResult<Page<WorkPlan>> {
        let (before, limit) = page.bounds();
        let (lo, hi) = region_range(filter.within.as_ref());
        let sql = format!(
            "SELECT {} FROM work_plan_current WHERE {} AND ($3 = 0 OR year = $3) AND plan_id < $4 \
             ORDER BY plan_id DESC LIMIT $5",
            WorkPlan::column_list(),
            region_clause("region_code", 1, 2)
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(i64::from(filter.year.unwrap_or(0)))
            .bind(before)
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(WorkPlan::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |p| p.id))
    }

    /// Adds a task to a plan. The lead and co-operating units must lie within the plan's
    /// region, the responsible post must belong to the lead unit, an indicator basis must be
    /// in the catalogue and a finding basis must exist.
    pub async fn add_task(&self, change: &Change, new: NewTask) -> StoreResult<Task> {
        let title = new.title.trim().to_string();
        if title.is_empty() {
            return Err(StoreError::invalid("title", "the task has no title"));
        }
        check_schedule(new.deadline, &new.milestones)
            .map_err(|m| StoreError::invalid("milestones", m))?;
        if let Basis::Indicator(key) = &new.basis {
            if ecoduty_indicators::by_key(key).is_none() {
                return Err(StoreError::invalid(
                    "basis",
                    format!("{key:?} is not an indicator of the catalogue"),
                ));
            }
        }
        let mut w = Writer::begin(self, change).await?;
        let plan: WorkPlan = current_or(w.conn(), new.plan_id, "plan").await?;
        if plan.retired {
            return Err(StoreError::invalid(
                "plan",
                format!("plan #{} is retired", plan.id),
            ));
        }
        if let Basis::Finding(id) = &new.basis {
            versioned::current_in::<super::findings::Finding>(w.conn(), *id)
                .await?
                .ok_or_else(|| {
                    StoreError::invalid("basis", format!("finding #{id} does not exist"))
                })?;
        }
        let lead = unit_within(
            w.conn(),
            new.lead_organisation_id,
            &plan.region_code,
            "lead",
        )
        .await?;
        if let Some(post_id) = new.responsible_post_id {
            let post: Post = current_or(w.conn(), post_id, "post").await?;
            if post.organisation_id != lead.id || post.retired {
                return Err(StoreError::invalid(
                    "post",
                    format!(
                        "post #{post_id} ({}) is not a live post of {}",
                        post.title, lead.name
                    ),
                ));
            }
        }
        let mut cooperating = new.cooperating.clone();
        cooperating.sort_unstable();
        cooperating.dedup();
        cooperating.retain(|id| *id != lead.id);
        for id in &cooperating {
            unit_within(w.conn(), *id, &plan.region_code, "cooperating").await?;
        }
        let task = Task {
            id: versioned::next_id::<Task>(w.conn()).await?,
            rev: 1,
            plan_id: plan.id,
            region_code: lead.region_code.clone(),
            title,
            basis: new.basis,
            lead_organisation_id: lead.id,
            responsible_post_id: new.responsible_post_id,
            cooperating,
            deadline: new.deadline,
            milestones: new.milestones,
            status: TaskStatus::NotStarted,
            percent: 0,
            overdue_since: None,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: task.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(task)
    }

    pub async fn task(&self, id: i64) -> StoreResult<Option<Task>> {
        versioned::current(self, id).await
    }

    pub async fn task_versions(&self, id: i64) -> StoreResult<Vec<Task>> {
        versioned::history(self, id).await
    }

    /// Tasks within a region's subtree, newest first.
    pub async fn tasks_page(
        &self,
        filter: &TaskFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Task>> {
        let (before, limit) = page.bounds();
        let (lo, hi) = region_range(filter.within.as_ref());
        let sql = format!(
            "SELECT {} FROM task_current WHERE {} AND ($3 = 0 OR plan_id = $3) AND ($4 = '' OR status = $4) \
             AND ($5 = 0 OR lead_organisation_id = $5) \
             AND ($6 = 0 OR (overdue_since IS NOT NULL AND status IN ('not_started', 'in_progress'))) \
             AND task_id < $7 ORDER BY task_id DESC LIMIT $8",
            Task::column_list(),
            region_clause("region_code", 1, 2)
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(filter.plan_id.unwrap_or(0))
            .bind(filter.status.map(|s| s.key()).unwrap_or(""))
            .bind(filter.lead_organisation_id.unwrap_or(0))
            .bind(i64::from(filter.overdue))
            .bind(before)
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(Task::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |t| t.id))
    }

    /// Records a progress report and moves the task's status and percentage. The reporting
    /// unit must be the task's lead or a co-operating unit; a report in a round must be on a
    /// task the round expects, before the round is closed.
    pub async fn report_progress(
        &self,
        change: &Change,
        new: NewProgress,
    ) -> StoreResult<(ProgressReport, Task)> {
        let text = new.text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::invalid("text", "the report says nothing"));
        }
        let mut w = Writer::begin(self, change).await?;
        let task: Task = current_or(w.conn(), new.task_id, "task").await?;
        let unit = new.organisation_id.unwrap_or(task.lead_organisation_id);
        if unit != task.lead_organisation_id && !task.cooperating.contains(&unit) {
            return Err(StoreError::invalid(
                "organisation",
                format!(
                    "organisation #{unit} is neither the lead nor a co-operating unit of task #{}",
                    task.id
                ),
            ));
        }
        if let Some(round_id) = new.round_id {
            let round: DispatchRound = current_or(w.conn(), round_id, "dispatch round").await?;
            if round.closed {
                return Err(StoreError::invalid(
                    "round",
                    format!("dispatch round #{round_id} is closed"),
                ));
            }
            if !round.expected.iter().any(|e| e.task_id == task.id) {
                return Err(StoreError::invalid(
                    "round",
                    format!(
                        "dispatch round #{round_id} does not ask about task #{}",
                        task.id
                    ),
                ));
            }
        }
        require_stored(w.conn(), &new.evidence).await?;
        let status = status_after_report(task.status, new.percent)
            .map_err(|m| StoreError::invalid("task", m))?;
        let report = ProgressReport {
            id: versioned::next_id::<ProgressReport>(w.conn()).await?,
            rev: 1,
            task_id: task.id,
            organisation_id: unit,
            round_id: new.round_id,
            reported_on: new.reported_on,
            reporter: change.actor.trim().to_string(),
            text,
            percent: i64::from(new.percent),
            evidence: new.evidence,
        };
        let after = Task {
            rev: task.rev + 1,
            status,
            percent: i64::from(new.percent),
            ..task.clone()
        };
        w.set_region(Some(task.region_code.to_string()));
        versioned::write(
            &mut w,
            vec![Version {
                record: report.clone(),
                before: None,
                action: "report",
            }],
        )
        .await?;
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&task),
                action: "progress",
            }],
        )
        .await?;
        w.commit().await?;
        Ok((report, after))
    }

    /// A task's progress reports, oldest first.
    pub async fn progress_reports(&self, task_id: i64) -> StoreResult<Vec<ProgressReport>> {
        let sql = format!(
            "SELECT {} FROM progress_report_current WHERE task_id = $1 ORDER BY reported_on, report_id",
            ProgressReport::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(task_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(ProgressReport::from_row).collect()
    }

    /// Marks open tasks overdue on `on` (the scheduler's step, also used to load histories),
    /// under one write. Tasks that are no longer open or already marked are left alone.
    /// Returns the tasks marked.
    pub async fn mark_tasks_overdue(
        &self,
        change: &Change,
        ids: &[i64],
        on: NaiveDate,
    ) -> StoreResult<Vec<Task>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut w = Writer::begin(self, change).await?;
        let mut befores = Vec::new();
        for id in ids {
            let t: Task = current_or(w.conn(), *id, "task").await?;
            if t.overdue_since.is_none()
                && ecoduty_domain::supervision::tasks::is_overdue(t.status, t.deadline, on)
            {
                befores.push(t);
            }
        }
        let afters: Vec<Task> = befores
            .iter()
            .map(|t| Task {
                rev: t.rev + 1,
                overdue_since: Some(on),
                ..t.clone()
            })
            .collect();
        let versions = afters
            .iter()
            .cloned()
            .zip(befores.iter())
            .map(|(record, before)| Version {
                record,
                before: Some(before),
                action: "mark_overdue",
            })
            .collect();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(afters)
    }

    /// Opens a dispatch round: every open task within the region (of plans of `year`, if
    /// given) is expected to be reported on by its lead unit by the due date.
    pub async fn open_dispatch_round(
        &self,
        change: &Change,
        new: NewRound,
    ) -> StoreResult<DispatchRound> {
        let title = new.title.trim().to_string();
        if title.is_empty() {
            return Err(StoreError::invalid("title", "the round has no title"));
        }
        if new.due_date < new.opened_on {
            return Err(StoreError::invalid(
                "due_date",
                "the reports cannot be due before the round opens",
            ));
        }
        self.require_region(&new.region_code).await?;
        let (lo, hi) = region_range(Some(&new.region_code));
        let mut w = Writer::begin(self, change).await?;
        let rows = sqlx::query(
            "SELECT t.task_id, t.lead_organisation_id FROM task_current t \
             JOIN work_plan_current p ON p.plan_id = t.plan_id \
             WHERE t.region_code >= $1 AND t.region_code < $2 \
               AND t.status IN ('not_started', 'in_progress') AND ($3 = 0 OR p.year = $3) \
             ORDER BY t.lead_organisation_id, t.task_id",
        )
        .bind(lo)
        .bind(hi)
        .bind(i64::from(new.year.unwrap_or(0)))
        .fetch_all(w.conn())
        .await?;
        let expected = rows
            .iter()
            .map(|r| {
                Ok(ExpectedReport {
                    task_id: r.try_get(0)?,
                    organisation_id: r.try_get(1)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        if expected.is_empty() {
            return Err(StoreError::invalid(
                "region",
                format!("no open tasks within {} to dispatch", new.region_code),
            ));
        }
        let round = DispatchRound {
            id: versioned::next_id::<DispatchRound>(w.conn()).await?,
            rev: 1,
            region_code: new.region_code,
            title,
            opened_on: new.opened_on,
            due_date: new.due_date,
            expected,
            closed: false,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: round.clone(),
                before: None,
                action: "open",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(round)
    }

    /// Closes a round: no more reports are taken in it.
    pub async fn close_dispatch_round(
        &self,
        change: &Change,
        id: i64,
    ) -> StoreResult<DispatchRound> {
        let mut w = Writer::begin(self, change).await?;
        let before: DispatchRound = current_or(w.conn(), id, "dispatch round").await?;
        if before.closed {
            return Err(StoreError::invalid(
                "round",
                format!("dispatch round #{id} is already closed"),
            ));
        }
        let after = DispatchRound {
            rev: before.rev + 1,
            closed: true,
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "close",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    pub async fn dispatch_round(&self, id: i64) -> StoreResult<Option<DispatchRound>> {
        versioned::current(self, id).await
    }

    /// Rounds within a region's subtree, newest first.
    pub async fn dispatch_rounds_page(
        &self,
        within: Option<&RegionCode>,
        page: PageRequest,
    ) -> StoreResult<Page<DispatchRound>> {
        let (before, limit) = page.bounds();
        let (lo, hi) = region_range(within);
        let sql = format!(
            "SELECT {} FROM dispatch_round_current WHERE {} AND round_id < $3 ORDER BY round_id DESC LIMIT $4",
            DispatchRound::column_list(),
            region_clause("region_code", 1, 2)
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(before)
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(DispatchRound::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |r| r.id))
    }

    /// Who reported in a round, who is late and who never did, as of `on`.
    pub async fn dispatch_round_status(&self, id: i64, on: NaiveDate) -> StoreResult<RoundStatus> {
        let round = self
            .dispatch_round(id)
            .await?
            .ok_or_else(|| StoreError::not_found("dispatch round", id))?;
        let rows = sqlx::query(
            "SELECT task_id, organisation_id, reported_on FROM progress_report_current WHERE round_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut reports: Vec<(i64, i64, NaiveDate)> = Vec::with_capacity(rows.len());
        for r in &rows {
            reports.push((
                r.try_get(0)?,
                r.try_get(1)?,
                parse_day(&r.try_get::<String, _>(2)?)?,
            ));
        }
        let mut units: Vec<RoundUnit> = Vec::new();
        let mut orgs: Vec<i64> = round.expected.iter().map(|e| e.organisation_id).collect();
        orgs.sort_unstable();
        orgs.dedup();
        for org_id in orgs {
            let org = self.require_organisation(org_id).await?;
            let tasks: Vec<i64> = round
                .expected
                .iter()
                .filter(|e| e.organisation_id == org_id)
                .map(|e| e.task_id)
                .collect();
            // Reports on the unit's tasks count whoever of the task's units made them.
            let mine: Vec<(i64, NaiveDate)> = reports
                .iter()
                .filter(|(t, _, _)| tasks.contains(t))
                .map(|(t, _, d)| (*t, *d))
                .collect();
            units.push(RoundUnit {
                organisation_id: org_id,
                organisation_name: org.name,
                region_code: org.region_code,
                status: unit_status(&tasks, &mine, round.due_date, on),
                tasks,
                reports: mine,
            });
        }
        Ok(RoundStatus { round, on, units })
    }
}
