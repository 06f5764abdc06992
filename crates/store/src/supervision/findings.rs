//! Findings (督察发现的问题) and their rectification (督察整改). Each version of a finding is
//! one step of its life — created, started, progress, closure requested with evidence,
//! verified, returned, closed, found overdue, extended, made long-term, reviewed — with who
//! did it, on which day and their comment; the step's ledger entry holds the state before and
//! after. `ecoduty_domain::supervision::finding::apply` decides every step, including the
//! separation of duties between who asks for a closure and who verifies it.
//!
//! The ledger sheet (整改台账) is imported all or nothing and exported in the columns local
//! governments use. Lists read `finding_heads`, the database's own index of each finding's
//! latest version (see the migration), so that a page of a million findings filtered by
//! region and status is found by index.

use std::collections::HashMap;

use chrono::NaiveDate;
use ecoduty_domain::roster::{RosterErrors, RowError};
use ecoduty_domain::supervision::finding::{
    apply, check_new_deadline, Act, Event, FindingState, Status, TransitionError,
};
use ecoduty_domain::supervision::sheet::{ExportRow, SheetDeadline, SheetRow};
use ecoduty_domain::supervision::{Category, Reason, Severity, Source};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::evidence::require_stored;
use super::inspections::Inspection;
use super::{
    ids_text, json_text, parse_code, parse_day, parse_ids, parse_json, parse_key, parse_opt_day,
    EvidenceRef, Page, PageRequest, Where,
};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::posts::Post;
use crate::sql::Value;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// The step a version records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// `create`, or the key of the event (`request_closure`, `verify` …).
    pub event: String,
    pub actor: String,
    pub on: NaiveDate,
    pub comment: String,
}

/// One version of a finding: what it is, where it stands, and the step that led here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub source: Source,
    pub inspection_id: Option<i64>,
    pub complaint_id: Option<i64>,
    /// A reference for other sources: an audit report's number, a warning, a news item.
    pub source_ref: String,
    /// The number the finding had in the ledger it came from (序号), if any.
    pub serial: String,
    pub category: Category,
    pub severity: Severity,
    pub text: String,
    /// 整改措施.
    pub measures: String,
    /// Responsible units (organisations) and posts.
    pub units: Vec<i64>,
    pub posts: Vec<i64>,
    pub status: Status,
    pub deadline: Option<NaiveDate>,
    pub overdue_since: Option<NaiveDate>,
    pub progress: String,
    pub closure_requested_by: Option<String>,
    pub closure_evidence: Vec<EvidenceRef>,
    pub verified_by: Option<String>,
    pub review_every_days: Option<u32>,
    pub last_review: Option<NaiveDate>,
    pub step: Step,
}

impl Finding {
    /// What the state machine sees.
    pub fn state(&self) -> FindingState {
        FindingState {
            status: self.status,
            deadline: self.deadline,
            overdue_since: self.overdue_since,
            progress: self.progress.clone(),
            closure_requested_by: self.closure_requested_by.clone(),
            closure_evidence: self
                .closure_evidence
                .iter()
                .map(|e| e.sha256.clone())
                .collect(),
            verified_by: self.verified_by.clone(),
            review_every_days: self.review_every_days,
            last_review: self.last_review,
        }
    }

    /// The next version: the state after a step, with the step.
    fn next(&self, state: FindingState, evidence: Option<&[EvidenceRef]>, step: Step) -> Finding {
        Finding {
            rev: self.rev + 1,
            status: state.status,
            deadline: state.deadline,
            overdue_since: state.overdue_since,
            progress: state.progress,
            closure_requested_by: state.closure_requested_by,
            closure_evidence: match (evidence, state.closure_evidence.is_empty()) {
                (_, true) => Vec::new(),
                (Some(refs), false) => refs.to_vec(),
                (None, false) => self.closure_evidence.clone(),
            },
            verified_by: state.verified_by,
            review_every_days: state.review_every_days,
            last_review: state.last_review,
            step,
            ..self.clone()
        }
    }
}

impl Versioned for Finding {
    const ENTITY: &'static str = "finding";
    const IDENTITY: &'static str = "findings";
    const VERSIONS: &'static str = "finding_versions";
    const ID_COLUMN: &'static str = "finding_id";
    const CURRENT: &'static str = "finding_current";
    const COLUMNS: &'static [&'static str] = &[
        "finding_id",
        "rev",
        "region_code",
        "source",
        "inspection_id",
        "complaint_id",
        "source_ref",
        "serial",
        "category",
        "severity",
        "text",
        "measures",
        "units",
        "posts",
        "status",
        "deadline",
        "overdue_since",
        "progress",
        "closure_requested_by",
        "closure_evidence",
        "verified_by",
        "review_every_days",
        "last_review",
        "event",
        "event_actor",
        "event_on",
        "event_comment",
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
            self.source.key().into(),
            self.inspection_id.into(),
            self.complaint_id.into(),
            self.source_ref.clone().into(),
            self.serial.clone().into(),
            self.category.key().into(),
            self.severity.key().into(),
            self.text.clone().into(),
            self.measures.clone().into(),
            ids_text(&self.units).into(),
            ids_text(&self.posts).into(),
            self.status.key().into(),
            self.deadline.map(|d| d.to_string()).into(),
            self.overdue_since.map(|d| d.to_string()).into(),
            self.progress.clone().into(),
            self.closure_requested_by.clone().into(),
            json_text(&self.closure_evidence).into(),
            self.verified_by.clone().into(),
            self.review_every_days.map(i64::from).into(),
            self.last_review.map(|d| d.to_string()).into(),
            self.step.event.clone().into(),
            self.step.actor.clone().into(),
            self.step.on.to_string().into(),
            self.step.comment.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let days: Option<i64> = row.try_get("review_every_days")?;
        Ok(Finding {
            id: row.try_get("finding_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            source: parse_key(&row.try_get::<String, _>("source")?)?,
            inspection_id: row.try_get("inspection_id")?,
            complaint_id: row.try_get("complaint_id")?,
            source_ref: row.try_get("source_ref")?,
            serial: row.try_get("serial")?,
            category: parse_key(&row.try_get::<String, _>("category")?)?,
            severity: parse_key(&row.try_get::<String, _>("severity")?)?,
            text: row.try_get("text")?,
            measures: row.try_get("measures")?,
            units: parse_ids(&row.try_get::<String, _>("units")?)?,
            posts: parse_ids(&row.try_get::<String, _>("posts")?)?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            deadline: parse_opt_day(row.try_get("deadline")?)?,
            overdue_since: parse_opt_day(row.try_get("overdue_since")?)?,
            progress: row.try_get("progress")?,
            closure_requested_by: row.try_get("closure_requested_by")?,
            closure_evidence: parse_json(&row.try_get::<String, _>("closure_evidence")?)?,
            verified_by: row.try_get("verified_by")?,
            review_every_days: days
                .map(|d| {
                    u32::try_from(d)
                        .map_err(|_| StoreError::Corrupt(format!("review interval {d}")))
                })
                .transpose()?,
            last_review: parse_opt_day(row.try_get("last_review")?)?,
            step: Step {
                event: row.try_get("event")?,
                actor: row.try_get("event_actor")?,
                on: parse_day(&row.try_get::<String, _>("event_on")?)?,
                comment: row.try_get("event_comment")?,
            },
        })
    }
}

/// A finding to create.
#[derive(Debug, Clone, Deserialize)]
pub struct NewFinding {
    pub region_code: RegionCode,
    pub source: Source,
    pub inspection_id: Option<i64>,
    pub complaint_id: Option<i64>,
    #[serde(default)]
    pub source_ref: String,
    #[serde(default)]
    pub serial: String,
    pub category: Category,
    pub severity: Severity,
    pub text: String,
    #[serde(default)]
    pub measures: String,
    pub units: Vec<i64>,
    #[serde(default)]
    pub posts: Vec<i64>,
    /// The rectification deadline; `None` for a long-term item, which needs a review interval.
    pub deadline: Option<NaiveDate>,
    pub review_every_days: Option<u32>,
}

/// What a user does to a finding (the scheduler's overdue mark is not among them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FindingAction {
    Start,
    Progress { text: String },
    RequestClosure { evidence: Vec<EvidenceRef> },
    Verify,
    Return,
    Close,
    ExtendDeadline { deadline: NaiveDate },
    LongTerm { review_every_days: u32 },
    Review,
}

impl FindingAction {
    fn event(&self) -> Event {
        match self {
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

    fn evidence(&self) -> Option<&[EvidenceRef]> {
        match self {
            FindingAction::RequestClosure { evidence } => Some(evidence),
            _ => None,
        }
    }
}

/// Filters for [`Store::findings_page`]; every one is optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindingFilter {
    #[serde(skip)]
    pub within: Option<RegionCode>,
    /// Any of these statuses (empty: any status).
    #[serde(default)]
    pub statuses: Vec<Status>,
    /// Only open findings marked overdue and still with their units.
    #[serde(default)]
    pub overdue: bool,
    pub category: Option<Category>,
    pub severity: Option<Severity>,
    pub source: Option<Source>,
    pub inspection_id: Option<i64>,
    pub complaint_id: Option<i64>,
    /// Findings this organisation is responsible for.
    pub organisation_id: Option<i64>,
}

/// One step of a batch: which finding, what is done, with what comment, on which day.
#[derive(Debug, Clone, Deserialize)]
pub struct StepRequest {
    pub finding_id: i64,
    pub action: FindingAction,
    #[serde(default)]
    pub comment: String,
    pub on: NaiveDate,
}

/// What a batch of steps did: how many were applied and which were refused, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchOutcome {
    pub applied: usize,
    pub refused: Vec<(i64, String)>,
}

/// A finding a bulk step refuses, and why (in both languages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refusal {
    pub finding_id: i64,
    pub reason: Reason,
}

/// How a ledger sheet is imported.
#[derive(Debug, Clone)]
pub struct SheetImport {
    /// The region of rows that name none; rows that do must lie within it.
    pub region_code: RegionCode,
    pub source: Source,
    pub inspection_id: Option<i64>,
    /// For rows without a category column: this, or one guessed from the text.
    pub category: Option<Category>,
    pub severity: Severity,
    /// Review interval of rows whose deadline is 长期坚持.
    pub review_every_days: u32,
    /// The imported file, stored as evidence: rows marked 销号 come in as closure requests
    /// citing it, to be verified by someone other than the importer.
    pub file: Option<EvidenceRef>,
    /// Check every row against the records but write nothing (to report, with a sheet's
    /// malformed rows, what is wrong with its well-formed ones).
    pub check_only: bool,
}

/// What an import created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetSummary {
    pub created: Vec<i64>,
    pub closure_requested: usize,
    pub long_term: usize,
}

const COLUMNS_V: &str = "v.finding_id, v.rev, v.region_code, v.source, v.inspection_id, v.complaint_id, \
    v.source_ref, v.serial, v.category, v.severity, v.text, v.measures, v.units, v.posts, v.status, \
    v.deadline, v.overdue_since, v.progress, v.closure_requested_by, v.closure_evidence, v.verified_by, \
    v.review_every_days, v.last_review, v.event, v.event_actor, v.event_on, v.event_comment";

/// The join from the index of latest versions to the versions.
const HEADS: &str =
    "finding_heads h JOIN finding_versions v ON v.finding_id = h.finding_id AND v.rev = h.rev";

/// A finding as the scheduler's notices need it: from the index of latest versions, with the
/// version's responsible posts and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DueFinding {
    pub id: i64,
    pub region_code: RegionCode,
    pub posts: Vec<i64>,
    pub text: String,
    pub deadline: Option<NaiveDate>,
    pub overdue_since: Option<NaiveDate>,
    /// For long-term findings, the day the next review is due.
    pub next_review: Option<NaiveDate>,
}

/// The latest versions of many findings, read under the write lock.
async fn current_many(conn: &mut AnyConnection, ids: &[i64]) -> StoreResult<HashMap<i64, Finding>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut w = Where::default();
        let list: Vec<String> = chunk.iter().map(|id| w.bind(*id)).collect();
        w.and(format!("h.finding_id IN ({})", list.join(", ")));
        let sql = format!("SELECT {COLUMNS_V} FROM {HEADS}{}", w.sql());
        for row in w.query(&sql).fetch_all(&mut *conn).await? {
            let f = Finding::from_row(&row)?;
            out.insert(f.id, f);
        }
    }
    Ok(out)
}

/// Caches organisations and posts read while checking new findings under one write.
#[derive(Default)]
struct Units {
    organisations: HashMap<i64, Option<Organisation>>,
    posts: HashMap<i64, Option<Post>>,
    regions: HashMap<String, bool>,
    inspections: HashMap<i64, Option<Inspection>>,
}

impl Units {
    async fn organisation(
        &mut self,
        conn: &mut AnyConnection,
        id: i64,
    ) -> StoreResult<Option<Organisation>> {
        if let Some(known) = self.organisations.get(&id) {
            return Ok(known.clone());
        }
        let o = versioned::current_in::<Organisation>(conn, id).await?;
        self.organisations.insert(id, o.clone());
        Ok(o)
    }

    async fn post(&mut self, conn: &mut AnyConnection, id: i64) -> StoreResult<Option<Post>> {
        if let Some(known) = self.posts.get(&id) {
            return Ok(known.clone());
        }
        let p = versioned::current_in::<Post>(conn, id).await?;
        self.posts.insert(id, p.clone());
        Ok(p)
    }

    async fn region_exists(
        &mut self,
        conn: &mut AnyConnection,
        code: &RegionCode,
    ) -> StoreResult<bool> {
        if !self.regions.contains_key(code.as_str()) {
            let found = sqlx::query("SELECT 1 FROM regions WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(conn)
                .await?
                .is_some();
            self.regions.insert(code.to_string(), found);
        }
        Ok(self.regions[code.as_str()])
    }

    async fn inspection(
        &mut self,
        conn: &mut AnyConnection,
        id: i64,
    ) -> StoreResult<Option<Inspection>> {
        if let Some(known) = self.inspections.get(&id) {
            return Ok(known.clone());
        }
        let i = versioned::current_in::<Inspection>(conn, id).await?;
        self.inspections.insert(id, i.clone());
        Ok(i)
    }

    /// Checks a new finding against what it refers to; returns the problems as (field,
    /// message).
    async fn check(
        &mut self,
        conn: &mut AnyConnection,
        new: &NewFinding,
    ) -> StoreResult<Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        if new.text.trim().is_empty() {
            problems.push(("text", "问题描述为空".to_string()));
        }
        if !self.region_exists(conn, &new.region_code).await? {
            problems.push(("region_code", format!("没有区划 {}", new.region_code)));
        }
        match (new.source, new.inspection_id, new.complaint_id) {
            (Source::Inspection, None, _) => {
                problems.push(("inspection_id", "督察发现的问题须注明督察".into()))
            }
            (Source::Complaint, _, None) => {
                problems.push(("complaint_id", "信访举报转办的问题须注明信访件".into()))
            }
            (s, Some(_), _) if s != Source::Inspection => {
                problems.push(("inspection_id", "只有来源为督察的问题注明督察".into()))
            }
            (s, _, Some(_)) if s != Source::Complaint => {
                problems.push(("complaint_id", "只有来源为信访举报的问题注明信访件".into()))
            }
            _ => {}
        }
        if let Some(id) = new.inspection_id {
            match self.inspection(conn, id).await? {
                None => problems.push(("inspection_id", format!("没有督察 #{id}"))),
                Some(i) if !i.regions.iter().any(|r| new.region_code.is_within(r)) => problems
                    .push((
                        "region_code",
                        format!("督察 #{id} 未覆盖区划 {}", new.region_code),
                    )),
                Some(_) => {}
            }
        }
        if let Some(id) = new.complaint_id {
            if versioned::current_in::<super::complaints::Complaint>(conn, id)
                .await?
                .is_none()
            {
                problems.push(("complaint_id", format!("没有信访件 #{id}")));
            }
        }
        if new.units.is_empty() {
            problems.push(("units", "须有责任单位".into()));
        }
        for id in &new.units {
            match self.organisation(conn, *id).await? {
                None => problems.push(("units", format!("没有单位 #{id}"))),
                Some(o) if o.retired => problems.push(("units", format!("{} 已撤销", o.name))),
                // A unit of the region, of a region within it, or of a level above it.
                Some(o)
                    if !o.region_code.is_within(&new.region_code)
                        && !new.region_code.is_within(&o.region_code) =>
                {
                    problems.push((
                        "units",
                        format!(
                            "{}({})与问题所在区划 {} 无隶属关系",
                            o.name, o.region_code, new.region_code
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        for id in &new.posts {
            match self.post(conn, *id).await? {
                Some(p) if new.units.contains(&p.organisation_id) && !p.retired => {}
                Some(p) => problems.push((
                    "posts",
                    format!("职务 #{id}({})不属于所列责任单位", p.title),
                )),
                None => problems.push(("posts", format!("没有职务 #{id}"))),
            }
        }
        Ok(problems)
    }
}

fn refuse(problems: Vec<(&'static str, String)>) -> StoreError {
    let message = problems
        .iter()
        .map(|(_, m)| m.clone())
        .collect::<Vec<_>>()
        .join(";");
    StoreError::invalid(
        problems.first().map(|(f, _)| *f).unwrap_or("finding"),
        message,
    )
}

fn first_version(id: i64, new: NewFinding, actor: &str, on: NaiveDate) -> StoreResult<Finding> {
    let state = FindingState::new(new.deadline, new.review_every_days, on)
        .map_err(|e| StoreError::refused("deadline", e.reason()))?;
    let mut units = new.units;
    units.dedup();
    let mut posts = new.posts;
    posts.dedup();
    Ok(Finding {
        id,
        rev: 1,
        region_code: new.region_code,
        source: new.source,
        inspection_id: new.inspection_id,
        complaint_id: new.complaint_id,
        source_ref: new.source_ref.trim().to_string(),
        serial: new.serial.trim().to_string(),
        category: new.category,
        severity: new.severity,
        text: new.text.trim().to_string(),
        measures: new.measures.trim().to_string(),
        units,
        posts,
        status: state.status,
        deadline: state.deadline,
        overdue_since: None,
        progress: String::new(),
        closure_requested_by: None,
        closure_evidence: Vec::new(),
        verified_by: None,
        review_every_days: state.review_every_days,
        last_review: state.last_review,
        step: Step {
            event: "create".into(),
            actor: actor.trim().to_string(),
            on,
            comment: String::new(),
        },
    })
}

/// Checks and writes new findings under a write that is under way.
pub(crate) async fn insert_findings(
    w: &mut Writer,
    new: Vec<NewFinding>,
    actor: &str,
    on: NaiveDate,
) -> StoreResult<Vec<Finding>> {
    let mut units = Units::default();
    let mut next = versioned::next_id::<Finding>(w.conn()).await?;
    let mut out = Vec::with_capacity(new.len());
    for n in new {
        let problems = units.check(w.conn(), &n).await?;
        if !problems.is_empty() {
            return Err(refuse(problems));
        }
        out.push(first_version(next, n, actor, on)?);
        next += 1;
    }
    let versions = out
        .iter()
        .cloned()
        .map(|record| Version {
            record,
            before: None,
            action: "create",
        })
        .collect();
    versioned::write(w, versions).await?;
    Ok(out)
}

/// Applies a step to a finding (a pure function of the stored state and the action).
fn step(
    finding: &Finding,
    event: &Event,
    evidence: Option<&[EvidenceRef]>,
    actor: &str,
    on: NaiveDate,
    comment: &str,
) -> Result<Finding, TransitionError> {
    let next = apply(&finding.state(), event, &Act { actor, on, comment })?;
    Ok(finding.next(
        next,
        evidence,
        Step {
            event: event.key().to_string(),
            actor: actor.trim().to_string(),
            on,
            comment: comment.trim().to_string(),
        },
    ))
}

impl Store {
    /// Creates a finding, assigned (交办) to its units on `on`.
    pub async fn create_finding(
        &self,
        change: &Change,
        new: NewFinding,
        on: NaiveDate,
    ) -> StoreResult<Finding> {
        let mut created = self.create_findings(change, vec![new], on).await?;
        Ok(created.remove(0))
    }

    /// Creates several findings under one write: all or none.
    pub async fn create_findings(
        &self,
        change: &Change,
        new: Vec<NewFinding>,
        on: NaiveDate,
    ) -> StoreResult<Vec<Finding>> {
        let mut w = Writer::begin(self, change).await?;
        let out = insert_findings(&mut w, new, &change.actor, on).await?;
        w.commit().await?;
        Ok(out)
    }

    pub async fn finding(&self, id: i64) -> StoreResult<Option<Finding>> {
        versioned::current(self, id).await
    }

    /// Every version of a finding: its whole life, step by step.
    pub async fn finding_history(&self, id: i64) -> StoreResult<Vec<Finding>> {
        versioned::history(self, id).await
    }

    /// Takes one step in a finding's life, by the change's actor, on `on`. Refused with the
    /// reason when the state machine does not allow it (a verification by the requester, a
    /// closure request without evidence, a step out of order).
    pub async fn transition_finding(
        &self,
        change: &Change,
        id: i64,
        action: FindingAction,
        comment: &str,
        on: NaiveDate,
    ) -> StoreResult<Finding> {
        let mut w = Writer::begin(self, change).await?;
        let before: Finding = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("finding", id))?;
        if let Some(evidence) = action.evidence() {
            require_stored(w.conn(), evidence).await?;
        }
        let after = step(
            &before,
            &action.event(),
            action.evidence(),
            &change.actor,
            on,
            comment,
        )
        .map_err(|e| {
            StoreError::refused(
                "finding",
                e.reason()
                    .about(&format!("问题 #{id}"), &format!("finding {id}")),
            )
        })?;
        let event = after.step.event.clone();
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: action_name(&event),
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Applies many steps under one write (several may concern one finding; they apply in
    /// order). Steps the state machine refuses are reported and skipped; the others are kept.
    pub async fn apply_finding_steps(
        &self,
        change: &Change,
        steps: Vec<StepRequest>,
    ) -> StoreResult<BatchOutcome> {
        let mut w = Writer::begin(self, change).await?;
        let mut ids: Vec<i64> = steps.iter().map(|s| s.finding_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let originals = current_many(w.conn(), &ids).await?;
        let mut latest: HashMap<i64, Finding> = originals.clone();
        let mut outcome = BatchOutcome::default();
        let mut chain: Vec<(Finding, Finding)> = Vec::with_capacity(steps.len());
        for StepRequest {
            finding_id: id,
            action,
            comment,
            on,
        } in steps
        {
            let Some(current) = latest.get(&id) else {
                outcome.refused.push((id, format!("没有问题 #{id}")));
                continue;
            };
            if let Some(evidence) = action.evidence() {
                if let Err(e) = require_stored(w.conn(), evidence).await {
                    outcome.refused.push((id, e.to_string()));
                    continue;
                }
            }
            match step(
                current,
                &action.event(),
                action.evidence(),
                &change.actor,
                on,
                &comment,
            ) {
                Ok(next) => {
                    chain.push((current.clone(), next.clone()));
                    latest.insert(id, next);
                    outcome.applied += 1;
                }
                Err(m) => outcome.refused.push((id, m.to_string())),
            }
        }
        let versions = chain
            .iter()
            .map(|(before, after)| Version {
                record: after.clone(),
                before: Some(before),
                action: action_name(&after.step.event),
            })
            .collect();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(outcome)
    }

    /// Extends the deadline of several findings to one new day, with one written reason (延期),
    /// all or none: each gets its own version (the reason as its comment) and ledger entry, in
    /// one write. Findings that are missing or outside `within`, closed or otherwise not with
    /// their units, or whose deadline is not earlier than the new one are refused, every one
    /// with its reason, and then nothing is written. A missing reason, no finding chosen or a
    /// new deadline before `on` refuses the whole request.
    pub async fn extend_finding_deadlines(
        &self,
        change: &Change,
        ids: &[i64],
        deadline: NaiveDate,
        comment: &str,
        within: Option<&RegionCode>,
        on: NaiveDate,
    ) -> StoreResult<Result<Vec<Finding>, Vec<Refusal>>> {
        let mut ids: Vec<i64> = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(StoreError::refused(
                "findings",
                Reason::new("请至少选择一个问题", "choose at least one finding"),
            ));
        }
        if comment.trim().is_empty() {
            let event = Event::ExtendDeadline { deadline };
            return Err(StoreError::refused(
                "comment",
                TransitionError::NoComment(event.name_zh(), event.name_en()).reason(),
            ));
        }
        check_new_deadline(deadline, on)
            .map_err(|e| StoreError::refused("deadline", e.reason()))?;
        let mut w = Writer::begin(self, change).await?;
        let current = current_many(w.conn(), &ids).await?;
        let mut refused = Vec::new();
        let mut pairs = Vec::with_capacity(ids.len());
        let event = Event::ExtendDeadline { deadline };
        for id in &ids {
            let found = current
                .get(id)
                .filter(|f| within.is_none_or(|r| f.region_code.is_within(r)));
            let Some(f) = found else {
                refused.push(Refusal {
                    finding_id: *id,
                    reason: Reason::new(
                        format!("没有问题 #{id},或不在您的管辖范围内"),
                        format!("no finding {id} in your region"),
                    ),
                });
                continue;
            };
            match step(f, &event, None, &change.actor, on, comment) {
                Ok(next) => pairs.push((f.clone(), next)),
                Err(e) => refused.push(Refusal {
                    finding_id: *id,
                    reason: e.reason(),
                }),
            }
        }
        if !refused.is_empty() {
            // Nothing written: the transaction is dropped unfinished.
            return Ok(Err(refused));
        }
        let versions = pairs
            .iter()
            .map(|(before, after)| Version {
                record: after.clone(),
                before: Some(before),
                action: "extend_deadline",
            })
            .collect();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(Ok(pairs.into_iter().map(|(_, after)| after).collect()))
    }

    /// Marks findings overdue on `on` (the scheduler's step, also used to load histories).
    /// Findings not overdue that day, or already marked, are left alone; returns those marked.
    pub async fn mark_findings_overdue(
        &self,
        change: &Change,
        ids: &[i64],
        on: NaiveDate,
    ) -> StoreResult<Vec<Finding>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut w = Writer::begin(self, change).await?;
        let current = current_many(w.conn(), ids).await?;
        let mut pairs = Vec::new();
        for id in ids {
            if let Some(f) = current.get(id) {
                if let Ok(next) = step(f, &Event::MarkOverdue, None, &change.actor, on, "") {
                    pairs.push((f.clone(), next));
                }
            }
        }
        let versions = pairs
            .iter()
            .map(|(before, after)| Version {
                record: after.clone(),
                before: Some(before),
                action: "mark_overdue",
            })
            .collect();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(pairs.into_iter().map(|(_, after)| after).collect())
    }

    /// A page of findings, newest first, by the index of latest versions.
    pub async fn findings_page(
        &self,
        filter: &FindingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Finding>> {
        let (before, limit) = page.bounds();
        let regional = filter.within.is_some();
        let mut w = Where::default();
        w.within("h.region_code", filter.within.as_ref());
        if !filter.statuses.is_empty() {
            let list: Vec<String> = filter.statuses.iter().map(|s| w.bind(s.key())).collect();
            // Without a region, walking the ids newest first finds a page sooner than reading
            // every finding of a status and sorting them: `|| ''` keeps SQLite off the index.
            let column = if regional {
                "h.status"
            } else {
                "h.status || ''"
            };
            w.and(format!("{column} IN ({})", list.join(", ")));
        }
        if filter.overdue {
            // Nationwide, the same: overdue findings are common enough that walking the ids
            // finds a page long before reading every overdue one from an index and sorting.
            w.and(if regional {
                "h.overdue_since IS NOT NULL AND h.status IN ('assigned', 'in_progress')"
            } else {
                "h.overdue_since || '' <> '' AND h.status || '' IN ('assigned', 'in_progress')"
            });
        }
        if let Some(c) = filter.category {
            let p = w.bind(c.key());
            w.and(format!("h.category = {p}"));
        }
        if let Some(s) = filter.severity {
            let p = w.bind(s.key());
            w.and(format!("h.severity = {p}"));
        }
        if let Some(s) = filter.source {
            let p = w.bind(s.key());
            w.and(format!("h.source = {p}"));
        }
        if let Some(id) = filter.inspection_id {
            let p = w.bind(id);
            w.and(format!("h.inspection_id = {p}"));
        }
        if let Some(id) = filter.complaint_id {
            let p = w.bind(id);
            w.and(format!("h.complaint_id = {p}"));
        }
        let units = if let Some(id) = filter.organisation_id {
            let p = w.bind(format!("%,{id},%"));
            w.and(format!("(',' || u.units || ',') LIKE {p}"));
            " JOIN finding_versions u ON u.finding_id = h.finding_id AND u.rev = h.rev"
        } else {
            ""
        };
        if page.before.is_some() {
            let p = w.bind(before);
            w.and(format!("h.finding_id < {p}"));
        }
        let n = w.bind(limit + 1);
        // With a region, order by an expression the primary key does not give, so that SQLite
        // reads the region's ids by index and sorts them rather than walking every finding in
        // id order looking for the region's (a county holds one finding in thousands). The
        // page's ids are found first and only their versions read: sorting whole rows of a
        // province would read every version of it.
        let order = if regional {
            "h.finding_id + 0"
        } else {
            "h.finding_id"
        };
        //
        // The page's ids go in through `IN`, not a join with the subquery: joined, SQLite 3.46
        // (the bundled one) chose to scan every finding and probe the page's ids — 30 ms per
        // nationwide page at 100,000 findings, growing with the ledger — while `IN` always
        // reads the page's rows by primary key.
        let sql = format!(
            "SELECT {COLUMNS_V} FROM finding_heads h \
             JOIN finding_versions v ON v.finding_id = h.finding_id AND v.rev = h.rev \
             WHERE h.finding_id IN (SELECT h.finding_id FROM finding_heads h{units}{} ORDER BY {order} DESC LIMIT {n}) \
             ORDER BY h.finding_id DESC",
            w.sql()
        );
        let rows = w.query(&sql).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(Finding::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |f| f.id))
    }

    /// Findings whose latest-version index disagrees with their versions (none, unless the
    /// index was changed behind the database's back).
    pub async fn check_finding_heads(&self) -> StoreResult<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT f.id FROM findings f LEFT JOIN finding_heads h ON h.finding_id = f.id \
             WHERE h.finding_id IS NULL \
                OR h.rev <> (SELECT MAX(m.rev) FROM finding_versions m WHERE m.finding_id = f.id) \
                OR NOT EXISTS (SELECT 1 FROM finding_versions v WHERE v.finding_id = h.finding_id AND v.rev = h.rev \
                    AND v.region_code = h.region_code AND v.status = h.status \
                    AND COALESCE(v.deadline, '') = COALESCE(h.deadline, '') \
                    AND COALESCE(v.overdue_since, '') = COALESCE(h.overdue_since, '') \
                    AND v.category = h.category AND v.severity = h.severity AND v.source = h.source \
                    AND COALESCE(v.inspection_id, 0) = COALESCE(h.inspection_id, 0) \
                    AND COALESCE(v.complaint_id, 0) = COALESCE(h.complaint_id, 0)) \
             ORDER BY f.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get::<i64, _>(0)?)).collect()
    }

    /// Findings the scheduler should mark overdue on `today`: still with their units, past
    /// the deadline, not yet marked.
    pub(crate) async fn findings_to_mark_overdue(&self, today: NaiveDate) -> StoreResult<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT finding_id FROM finding_heads WHERE status IN ('assigned', 'in_progress') \
             AND deadline < $1 AND overdue_since IS NULL",
        )
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        // Sorted here: `ORDER BY finding_id` would tempt the planner to walk every finding in
        // id order rather than the few the index range holds.
        let mut ids = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// What the scheduler needs to tell people about the findings a condition on the index
    /// selects (`h` is `finding_heads`), in id order.
    pub(crate) async fn findings_due(
        &self,
        condition: &str,
        binds: &[String],
    ) -> StoreResult<Vec<DueFinding>> {
        // Only the columns a notice uses: a catch-up reads tens of thousands of findings, and
        // their progress reports and evidence would be read and decoded for nothing. Sorted
        // here, as in `findings_to_mark_overdue`: the condition's index decides the plan.
        let sql = format!(
            "SELECT h.finding_id, h.region_code, h.deadline, h.overdue_since, h.next_review, \
             v.posts, v.text FROM {HEADS} WHERE {condition}"
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b.clone());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut found = rows
            .iter()
            .map(|row| {
                Ok(DueFinding {
                    id: row.try_get(0)?,
                    region_code: parse_code(&row.try_get::<String, _>(1)?)?,
                    deadline: parse_opt_day(row.try_get(2)?)?,
                    overdue_since: parse_opt_day(row.try_get(3)?)?,
                    next_review: parse_opt_day(row.try_get(4)?)?,
                    posts: parse_ids(&row.try_get::<String, _>(5)?)?,
                    text: row.try_get(6)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        found.sort_unstable_by_key(|f| f.id);
        Ok(found)
    }

    /// The ledger sheet of the findings a filter selects, in id order, with the responsible
    /// people as they are on `on`: 姓名(职务), or the post's title when it is vacant.
    pub async fn findings_sheet(
        &self,
        filter: &FindingFilter,
        on: NaiveDate,
    ) -> StoreResult<Vec<ExportRow>> {
        let mut all = Vec::new();
        let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
        loop {
            let p = self.findings_page(filter, page).await?;
            all.extend(p.items);
            match p.next_before {
                Some(b) => page.before = Some(b),
                None => break,
            }
        }
        all.reverse();
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut holders: HashMap<(String, i64), String> = HashMap::new();
        let mut rows = Vec::with_capacity(all.len());
        for f in all {
            let mut units = Vec::new();
            for id in &f.units {
                if !names.contains_key(id) {
                    let name = self
                        .organisation(*id)
                        .await?
                        .map(|o| o.name)
                        .unwrap_or_else(|| format!("#{id}"));
                    names.insert(*id, name);
                }
                units.push(names[id].clone());
            }
            let mut persons = Vec::new();
            for post_id in &f.posts {
                let post = self.require_post(*post_id).await?;
                let org = self.require_organisation(post.organisation_id).await?;
                let key = (org.region_code.to_string(), *post_id);
                if !holders.contains_key(&key) {
                    for h in self.who(&org.region_code, on, None).await? {
                        let label = match &h.holder {
                            Some(x) => format!("{}\u{FF08}{}\u{FF09}", x.person.name, h.post.title),
                            None => h.post.title.clone(),
                        };
                        holders.insert((org.region_code.to_string(), h.post.id), label);
                    }
                }
                persons.push(
                    holders
                        .get(&key)
                        .cloned()
                        .unwrap_or_else(|| post.title.clone()),
                );
            }
            let progress = if f.progress.is_empty() {
                f.status.name_zh().to_string()
            } else {
                f.progress.clone()
            };
            rows.push(ExportRow {
                serial: if f.serial.is_empty() {
                    f.id.to_string()
                } else {
                    f.serial.clone()
                },
                text: f.text,
                units,
                persons,
                deadline: match f.deadline {
                    Some(d) if f.status != Status::LongTerm => SheetDeadline::Date(d),
                    _ => SheetDeadline::LongTerm,
                },
                measures: f.measures,
                progress,
                closed: f.status == Status::Closed,
                category: f.category,
                severity: f.severity,
                region_code: f.region_code,
            });
        }
        Ok(rows)
    }

    /// Imports a ledger sheet: all rows or none. Units are found by name among the
    /// organisations of the row's region and the regions above it; people by name among the
    /// holders (on `on`) of those units' posts, or a post by its title. Every problem of every
    /// row is reported with its line and column.
    pub async fn import_findings_sheet(
        &self,
        change: &Change,
        rows: &[SheetRow],
        import: &SheetImport,
        on: NaiveDate,
    ) -> StoreResult<SheetSummary> {
        let root = self.require_region(&import.region_code).await?;
        let mut errors: Vec<RowError> = Vec::new();
        let err = |errors: &mut Vec<RowError>, line: usize, field: &str, message: String| {
            errors.push(RowError {
                line,
                field: field.to_string(),
                message,
            })
        };
        // Organisations that may be named: within the import's region or above it.
        let mut by_name: HashMap<String, Vec<Organisation>> = HashMap::new();
        let mut scan = vec![root.code.clone()];
        let mut up = root.code.parent();
        while let Some(p) = up {
            up = p.parent();
            scan.push(p);
        }
        {
            let (lo, hi) = super::region_range(Some(&root.code));
            let sql = format!(
                "SELECT {} FROM organisation_current WHERE retired = 0 AND ((region_code >= $1 AND region_code < $2) \
                 OR region_code IN ({}))",
                Organisation::column_list(),
                (0..scan.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ")
            );
            let mut q = sqlx::query(&sql).bind(lo).bind(hi);
            for c in &scan {
                q = q.bind(c.to_string());
            }
            for row in q.fetch_all(&self.pool).await? {
                let o = Organisation::from_row(&row)?;
                by_name.entry(o.name.clone()).or_default().push(o);
            }
        }
        let mut who_cache: HashMap<String, Vec<crate::tenures::PostHolding>> = HashMap::new();
        let mut new_findings: Vec<(usize, NewFinding, &SheetRow)> = Vec::new();
        for row in rows {
            let region = row
                .region_code
                .clone()
                .unwrap_or_else(|| import.region_code.clone());
            if !region.is_within(&import.region_code) {
                err(
                    &mut errors,
                    row.line,
                    "区划代码",
                    format!("{region} 不在导入区划 {} 之内", import.region_code),
                );
                continue;
            }
            let mut units = Vec::new();
            for name in &row.units {
                let candidates: Vec<&Organisation> = by_name
                    .get(name)
                    .map(|v| {
                        v.iter()
                            .filter(|o| {
                                o.region_code.is_within(&region) || region.is_within(&o.region_code)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let chosen = match candidates.as_slice() {
                    [one] => Some(*one),
                    [] => None,
                    many => many.iter().find(|o| o.region_code == region).copied(),
                };
                match (chosen, candidates.len()) {
                    (Some(o), _) => units.push(o.clone()),
                    (None, 0) => err(
                        &mut errors,
                        row.line,
                        "责任单位",
                        format!("找不到单位「{name}」(区划 {region} 及其上级、下级)"),
                    ),
                    (None, n) => err(
                        &mut errors,
                        row.line,
                        "责任单位",
                        format!("「{name}」有 {n} 个同名单位,请在区划代码列注明区划"),
                    ),
                }
            }
            let mut posts = Vec::new();
            for person in &row.persons {
                let mut found = None;
                for unit in &units {
                    let code = unit.region_code.to_string();
                    if !who_cache.contains_key(&code) {
                        who_cache
                            .insert(code.clone(), self.who(&unit.region_code, on, None).await?);
                    }
                    found = who_cache[&code].iter().find(|h| {
                        h.organisation.id == unit.id
                            && (h.holder.as_ref().is_some_and(|x| &x.person.name == person)
                                || &h.post.title == person)
                    });
                    if found.is_some() {
                        break;
                    }
                }
                match found {
                    Some(h) => posts.push(h.post.id),
                    None => err(
                        &mut errors,
                        row.line,
                        "责任人",
                        format!("「{person}」不是所列责任单位 {on} 在任的人员或职务"),
                    ),
                }
            }
            if row.closed && import.file.is_none() {
                err(
                    &mut errors,
                    row.line,
                    "是否销号",
                    "标为已销号的行须以台账文件为佐证导入".into(),
                );
            }
            let (deadline, review) = match row.deadline {
                SheetDeadline::Date(d) => (Some(d), None),
                SheetDeadline::LongTerm => (None, Some(import.review_every_days)),
            };
            new_findings.push((
                row.line,
                NewFinding {
                    region_code: region,
                    source: import.source,
                    inspection_id: import.inspection_id,
                    complaint_id: None,
                    source_ref: String::new(),
                    serial: row.serial.clone(),
                    category: row
                        .category
                        .or(import.category)
                        .unwrap_or_else(|| Category::guess(&row.text)),
                    severity: row.severity.unwrap_or(import.severity),
                    text: row.text.clone(),
                    measures: row.measures.clone(),
                    units: units.iter().map(|u| u.id).collect(),
                    posts,
                    deadline,
                    review_every_days: review,
                },
                row,
            ));
        }
        let mut w = Writer::begin(self, change).await?;
        let mut checker = Units::default();
        let mut next = versioned::next_id::<Finding>(w.conn()).await?;
        let mut chain: Vec<(Option<Finding>, Finding)> = Vec::new();
        let mut summary = SheetSummary {
            created: Vec::new(),
            closure_requested: 0,
            long_term: 0,
        };
        if let Some(file) = &import.file {
            require_stored(w.conn(), std::slice::from_ref(file)).await?;
        }
        for (line, new, row) in new_findings {
            // A row already refused is not checked further: its units were not all found.
            if errors.iter().any(|e| e.line == line) {
                continue;
            }
            let problems = checker.check(w.conn(), &new).await?;
            if !problems.is_empty() {
                for (field, message) in problems {
                    err(&mut errors, line, sheet_column(field), message);
                }
                continue;
            }
            let created = match first_version(next, new, &change.actor, on) {
                Ok(f) => f,
                Err(e) => {
                    err(&mut errors, line, "整改时限", e.to_string());
                    continue;
                }
            };
            next += 1;
            summary.created.push(created.id);
            if created.status == Status::LongTerm {
                summary.long_term += 1;
            }
            let mut current = created.clone();
            chain.push((None, created));
            if !row.progress.is_empty() {
                let event = Event::Progress {
                    text: row.progress.clone(),
                };
                match step(&current, &event, None, &change.actor, on, "") {
                    Ok(n) => {
                        chain.push((Some(current.clone()), n.clone()));
                        current = n;
                    }
                    Err(m) => err(&mut errors, line, "进展情况", m.to_string()),
                }
            }
            if row.closed {
                if let Some(file) = &import.file {
                    let evidence = vec![file.clone()];
                    let event = Event::RequestClosure {
                        evidence: vec![file.sha256.clone()],
                    };
                    match step(
                        &current,
                        &event,
                        Some(&evidence),
                        &change.actor,
                        on,
                        "导入台账标为已销号,待验收确认",
                    ) {
                        Ok(n) => {
                            chain.push((Some(current.clone()), n));
                            summary.closure_requested += 1;
                        }
                        Err(m) => err(&mut errors, line, "是否销号", m.to_string()),
                    }
                }
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(StoreError::Roster(RosterErrors(errors)));
        }
        if import.check_only {
            return Ok(summary);
        }
        let versions = chain
            .iter()
            .map(|(before, after)| Version {
                record: after.clone(),
                before: before.as_ref(),
                action: action_name(&after.step.event),
            })
            .collect();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(summary)
    }
}

/// The sheet column a field of a new finding comes from.
fn sheet_column(field: &str) -> &str {
    match field {
        "text" => "问题",
        "units" => "责任单位",
        "posts" => "责任人",
        "region_code" => "区划代码",
        "deadline" => "整改时限",
        other => other,
    }
}

/// The ledger action of a step.
fn action_name(event: &str) -> &'static str {
    match event {
        "create" => "create",
        "start" => "start",
        "progress" => "progress",
        "request_closure" => "request_closure",
        "verify" => "verify",
        "return" => "return",
        "close" => "close",
        "mark_overdue" => "mark_overdue",
        "extend_deadline" => "extend_deadline",
        "long_term" => "long_term",
        "review" => "review",
        _ => "update",
    }
}
