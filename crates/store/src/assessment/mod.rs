//! The yearly assessment (考核评价, Arts. 14–16) in the store.
//!
//! - [`schemes`]: schemes (考核细则) by assessing region and year, as versions; frozen once
//!   scoring starts (a later change needs its reason, and every run names the version it used).
//! - [`facts`]: what the rules read about each unit, gathered from the records already kept
//!   (targets and indicator values, findings and their steps, tasks, dispatch rounds,
//!   complaints, the scoring organisations' entries).
//! - [`runs`]: scoring runs (draft → reviewed by a second person → published), corrections as
//!   new versions, entries for manual and veto items, objections (申诉) and their answers.
//! - [`cadre`]: results following the people: who answered for a unit in a year, by days of
//!   tenure, and a person's eco record across every tenure (Art. 16).
//!
//! Rules live in `ecoduty_domain::assessment`; this module stores what they decide.

pub mod cadre;
pub mod facts;
pub mod runs;
pub mod schemes;

use chrono::NaiveDate;
use ecoduty_domain::assessment::scheme::Scheme;
use ecoduty_domain::assessment::scoring::UnitScore;
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::sql::Value;
use crate::supervision::{
    json_text, parse_code, parse_day, parse_json, parse_opt_day, EvidenceRef,
};
use crate::versioned::{flag, Versioned};

/// One version of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredScheme {
    pub id: i64,
    pub rev: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub scheme: Scheme,
}

impl Versioned for StoredScheme {
    const ENTITY: &'static str = "assessment_scheme";
    const IDENTITY: &'static str = "assessment_schemes";
    const VERSIONS: &'static str = "assessment_scheme_versions";
    const ID_COLUMN: &'static str = "scheme_id";
    const CURRENT: &'static str = "assessment_scheme_current";
    const COLUMNS: &'static [&'static str] = &[
        "scheme_id",
        "rev",
        "region_code",
        "year",
        "title",
        "units",
        "items",
        "grading",
        "objection_days",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.scheme.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        let s = &self.scheme;
        vec![
            self.id.into(),
            self.rev.into(),
            s.region_code.to_string().into(),
            i64::from(s.year).into(),
            s.title.clone().into(),
            json_text(&s.units).into(),
            json_text(&s.items).into(),
            json_text(&s.grading).into(),
            i64::from(s.objection_days).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(StoredScheme {
            id: row.try_get("scheme_id")?,
            rev: row.try_get("rev")?,
            scheme: Scheme {
                region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
                year: int(row, "year")?,
                title: row.try_get("title")?,
                units: parse_json(&row.try_get::<String, _>("units")?)?,
                items: parse_json(&row.try_get::<String, _>("items")?)?,
                grading: parse_json(&row.try_get::<String, _>("grading")?)?,
                objection_days: int(row, "objection_days")?,
            },
        })
    }
}

fn int<T: TryFrom<i64>>(row: &AnyRow, column: &str) -> StoreResult<T> {
    let v: i64 = row.try_get(column)?;
    T::try_from(v).map_err(|_| StoreError::Corrupt(format!("{column} {v}")))
}

fn float(row: &AnyRow, column: &str) -> StoreResult<f64> {
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} {text:?}")))
}

/// A unit as stored: its key (`410802`, `org:17`).
fn parse_unit(text: &str) -> StoreResult<UnitRef> {
    UnitRef::parse(text).map_err(StoreError::Corrupt)
}

/// One version of a scoring organisation's entry for a manual or veto item of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub id: i64,
    pub rev: i64,
    pub scheme_id: i64,
    /// The unit's region (its own code, or an organisation's region), for scoping.
    pub region_code: RegionCode,
    pub unit: UnitRef,
    pub item: String,
    pub earned: f64,
    pub triggered: bool,
    pub reason: String,
    /// Stored evidence files, by digest, with the names they were given.
    pub evidence: Vec<EvidenceRef>,
    pub entered_by: String,
    pub entered_on: NaiveDate,
}

impl Versioned for Entry {
    const ENTITY: &'static str = "assessment_entry";
    const IDENTITY: &'static str = "assessment_entries";
    const VERSIONS: &'static str = "assessment_entry_versions";
    const ID_COLUMN: &'static str = "entry_id";
    const CURRENT: &'static str = "assessment_entry_current";
    const COLUMNS: &'static [&'static str] = &[
        "entry_id",
        "rev",
        "scheme_id",
        "region_code",
        "unit",
        "item",
        "earned",
        "triggered",
        "reason",
        "evidence",
        "entered_by",
        "entered_on",
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
            self.scheme_id.into(),
            self.region_code.to_string().into(),
            self.unit.key().into(),
            self.item.clone().into(),
            self.earned.to_string().into(),
            self.triggered.into(),
            self.reason.clone().into(),
            json_text(&self.evidence).into(),
            self.entered_by.clone().into(),
            self.entered_on.to_string().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Entry {
            id: row.try_get("entry_id")?,
            rev: row.try_get("rev")?,
            scheme_id: row.try_get("scheme_id")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            unit: parse_unit(&row.try_get::<String, _>("unit")?)?,
            item: row.try_get("item")?,
            earned: float(row, "earned")?,
            triggered: flag(row, "triggered")?,
            reason: row.try_get("reason")?,
            evidence: parse_json(&row.try_get::<String, _>("evidence")?)?,
            entered_by: row.try_get("entered_by")?,
            entered_on: parse_day(&row.try_get::<String, _>("entered_on")?)?,
        })
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Draft,
    Reviewed,
    Published,
}

impl RunStatus {
    pub fn key(self) -> &'static str {
        match self {
            RunStatus::Draft => "draft",
            RunStatus::Reviewed => "reviewed",
            RunStatus::Published => "published",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RunStatus::Draft => "草稿",
            RunStatus::Reviewed => "已复核",
            RunStatus::Published => "已公布",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            RunStatus::Draft => "Draft",
            RunStatus::Reviewed => "Reviewed",
            RunStatus::Published => "Published",
        }
    }

    fn parse(s: &str) -> StoreResult<RunStatus> {
        [RunStatus::Draft, RunStatus::Reviewed, RunStatus::Published]
            .into_iter()
            .find(|r| r.key() == s)
            .ok_or_else(|| StoreError::Corrupt(format!("run status {s:?}")))
    }
}

/// One version of a scoring run: every unit's result for the scheme's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Run {
    pub id: i64,
    pub rev: i64,
    pub scheme_id: i64,
    /// The version of the scheme the results used.
    pub scheme_rev: i64,
    pub region_code: RegionCode,
    pub year: i32,
    /// The day the facts were read as of.
    pub as_of: NaiveDate,
    pub status: RunStatus,
    pub computed_by: String,
    pub reviewed_by: Option<String>,
    pub published_on: Option<NaiveDate>,
    /// Why this version exists (a correction's reason, an objection upheld).
    pub note: String,
    /// By rank.
    pub results: Vec<UnitScore>,
}

impl Versioned for Run {
    const ENTITY: &'static str = "assessment_run";
    const IDENTITY: &'static str = "assessment_runs";
    const VERSIONS: &'static str = "assessment_run_versions";
    const ID_COLUMN: &'static str = "run_id";
    const CURRENT: &'static str = "assessment_run_current";
    const COLUMNS: &'static [&'static str] = &[
        "run_id",
        "rev",
        "scheme_id",
        "scheme_rev",
        "region_code",
        "year",
        "as_of",
        "status",
        "computed_by",
        "reviewed_by",
        "published_on",
        "note",
        "results",
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
            self.scheme_id.into(),
            self.scheme_rev.into(),
            self.region_code.to_string().into(),
            i64::from(self.year).into(),
            self.as_of.to_string().into(),
            self.status.key().into(),
            self.computed_by.clone().into(),
            self.reviewed_by.clone().into(),
            self.published_on.map(|d| d.to_string()).into(),
            self.note.clone().into(),
            json_text(&self.results).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Run {
            id: row.try_get("run_id")?,
            rev: row.try_get("rev")?,
            scheme_id: row.try_get("scheme_id")?,
            scheme_rev: row.try_get("scheme_rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            year: int(row, "year")?,
            as_of: parse_day(&row.try_get::<String, _>("as_of")?)?,
            status: RunStatus::parse(&row.try_get::<String, _>("status")?)?,
            computed_by: row.try_get("computed_by")?,
            reviewed_by: row.try_get("reviewed_by")?,
            published_on: parse_opt_day(row.try_get("published_on")?)?,
            note: row.try_get("note")?,
            results: parse_json(&row.try_get::<String, _>("results")?)?,
        })
    }
}

/// Where an objection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObjectionStatus {
    Lodged,
    Upheld,
    Rejected,
}

impl ObjectionStatus {
    pub fn key(self) -> &'static str {
        match self {
            ObjectionStatus::Lodged => "lodged",
            ObjectionStatus::Upheld => "upheld",
            ObjectionStatus::Rejected => "rejected",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ObjectionStatus::Lodged => "待答复",
            ObjectionStatus::Upheld => "已采纳",
            ObjectionStatus::Rejected => "不予采纳",
        }
    }

    fn parse(s: &str) -> StoreResult<ObjectionStatus> {
        [
            ObjectionStatus::Lodged,
            ObjectionStatus::Upheld,
            ObjectionStatus::Rejected,
        ]
        .into_iter()
        .find(|r| r.key() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("objection status {s:?}")))
    }
}

/// A score changed by an upheld objection: the item and its new points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Adjustment {
    pub item: String,
    pub earned: f64,
}

/// One version of an objection (申诉) to a published result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Objection {
    pub id: i64,
    pub rev: i64,
    pub run_id: i64,
    pub region_code: RegionCode,
    pub unit: UnitRef,
    /// The item objected to, if one.
    pub item: Option<String>,
    pub text: String,
    pub lodged_by: String,
    pub lodged_on: NaiveDate,
    pub status: ObjectionStatus,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub adjusted: Option<Adjustment>,
}

impl Versioned for Objection {
    const ENTITY: &'static str = "assessment_objection";
    const IDENTITY: &'static str = "assessment_objections";
    const VERSIONS: &'static str = "assessment_objection_versions";
    const ID_COLUMN: &'static str = "objection_id";
    const CURRENT: &'static str = "assessment_objection_current";
    const COLUMNS: &'static [&'static str] = &[
        "objection_id",
        "rev",
        "run_id",
        "region_code",
        "unit",
        "item",
        "text",
        "lodged_by",
        "lodged_on",
        "status",
        "answer",
        "answered_by",
        "answered_on",
        "adjusted",
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
            self.run_id.into(),
            self.region_code.to_string().into(),
            self.unit.key().into(),
            self.item.clone().into(),
            self.text.clone().into(),
            self.lodged_by.clone().into(),
            self.lodged_on.to_string().into(),
            self.status.key().into(),
            self.answer.clone().into(),
            self.answered_by.clone().into(),
            self.answered_on.map(|d| d.to_string()).into(),
            self.adjusted.as_ref().map(json_text).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let adjusted: Option<String> = row.try_get("adjusted")?;
        Ok(Objection {
            id: row.try_get("objection_id")?,
            rev: row.try_get("rev")?,
            run_id: row.try_get("run_id")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            unit: parse_unit(&row.try_get::<String, _>("unit")?)?,
            item: row.try_get("item")?,
            text: row.try_get("text")?,
            lodged_by: row.try_get("lodged_by")?,
            lodged_on: parse_day(&row.try_get::<String, _>("lodged_on")?)?,
            status: ObjectionStatus::parse(&row.try_get::<String, _>("status")?)?,
            answer: row.try_get("answer")?,
            answered_by: row.try_get("answered_by")?,
            answered_on: parse_opt_day(row.try_get("answered_on")?)?,
            adjusted: adjusted.as_deref().map(parse_json).transpose()?,
        })
    }
}
