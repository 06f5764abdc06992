//! Accountability cases (追责, Arts. 17–18) in the store.
//!
//! - here: the case record (one versioned record: its persons, grounds, circumstances,
//!   decision and appeals travel in each version, so every change is a new version in the
//!   ledger, with who, when and why), the lists, a person's cases and influence periods, and
//!   the read log (every read of a case is recorded: who, when, how);
//! - [`open`]: opening a case from its source (a finding, a missed target, an assessment
//!   result, a complaint, an emergency, or by hand), with the persons proposed from the
//!   tenures of the matter's dates (`ecoduty_domain::accountability::proposal`);
//! - [`steps`]: the steps of a case by the rules of `ecoduty_domain::accountability`.
//!
//! Cases are confidential: the store does not tell anyone about them (no notifications), and
//! the ledger's listings leave their entries out unless the reader may read cases.

pub mod open;
pub mod steps;

use chrono::{DateTime, NaiveDate, Utc};
use ecoduty_domain::accountability::{
    influence_in_force, CaseSource, CaseStatus, Circumstance, DecidedForm, Degree, Effect,
    PersonState,
};
use ecoduty_domain::{RegionCode, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::StoreResult;
use crate::sql::Value;
use crate::supervision::{
    json_text, parse_code, parse_day, parse_json, parse_key, stamp, EvidenceRef,
};
use crate::versioned::{self, Versioned};
use crate::Store;

pub use open::NewCase;
pub use steps::{AddedPerson, AppealAnswerSpec, DecisionSpec, GroundRef, OutcomeSpec};

/// Longest free text of a case (facts, reasons, the decision's text).
pub const MAX_TEXT: usize = 20_000;

/// A duty the person answered for, from the responsibility list in force on the matter's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyCite {
    /// 第七条第(四)项, or a local duty's basis.
    pub citation: String,
    pub text: String,
}

/// A ground (追责情形) found against a person, with its facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ground {
    /// The framework whose situation this is; absent for the built-in regulation's Art. 17.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// The article of the framework's situation (absent for Art. 17 of the regulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<u32>,
    /// The item: of Art. 17 (1–5), or of the framework's article.
    pub item: u32,
    /// 第十七条第二项, or 《办法》第五条第(七)项.
    pub citation: String,
    /// The item's text in the version in force on the matter's date.
    pub text: String,
    /// Who the framework's situation is for (相关地方党委和政府主要领导成员), when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub facts: String,
    pub evidence: Vec<EvidenceRef>,
    pub recorded_by: String,
}

/// A circumstance of Art. 18 recorded for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircumstanceEntry {
    pub circumstance: Circumstance,
    /// 第十八条第一款 / 第二款.
    pub citation: String,
    pub effect: Effect,
    pub facts: String,
    pub evidence: Vec<EvidenceRef>,
    pub recorded_by: String,
}

/// What was decided for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    /// The forms of accountability (several may apply), as the list they were chosen from
    /// names them; empty when exempted.
    pub forms: Vec<DecidedForm>,
    /// Why no accountability applies (免予追责), when `forms` is empty.
    pub exempt_reason: Option<String>,
    /// The end of the influence period (影响期): no promotion or important post until then.
    pub no_promotion_until: Option<NaiveDate>,
}

/// Another answering post a case person held on the matter's dates: a person is in a case
/// once, under their heaviest post, and their other posts are listed with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtherPost {
    pub post_id: i64,
    pub post: String,
    pub organisation: String,
    pub role: Role,
    pub tenure_id: i64,
    pub tenure_start: NaiveDate,
    /// Exclusive, as tenures are stored; `None` while the tenure runs.
    pub tenure_end: Option<NaiveDate>,
    pub degree: Degree,
    /// The matter's dates on which they held this post.
    pub dates: Vec<NaiveDate>,
    pub left: bool,
    /// Their responsibility list for this post on the first of those dates.
    pub duties: Vec<DutyCite>,
}

/// One person of a case: proposed by the system from the tenures, confirmed or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CasePerson {
    pub person_id: i64,
    pub name: String,
    pub post_id: i64,
    pub post: String,
    pub organisation: String,
    pub region_code: RegionCode,
    pub role: Role,
    pub tenure_id: i64,
    pub tenure_start: NaiveDate,
    /// Exclusive, as tenures are stored; `None` while the tenure runs.
    pub tenure_end: Option<NaiveDate>,
    pub degree: Degree,
    /// The matter's dates on which they held the post.
    pub dates: Vec<NaiveDate>,
    /// Whether they had left the post when the case was opened (调离、提拔或者退休).
    pub left: bool,
    /// The posts they held when the case was opened ("象州县人民政府 县长").
    pub now: Vec<String>,
    /// Their responsibility list on the matter's first date they held the post.
    pub duties: Vec<DutyCite>,
    /// Their other answering posts on the matter's dates (absent in cases opened before
    /// persons were proposed once each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<OtherPost>,
    pub state: PersonState,
    /// Added by the investigator by hand, not proposed by the system.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub added_by_hand: bool,
    /// Why the investigator confirmed or removed them.
    pub state_reason: Option<String>,
    pub grounds: Vec<Ground>,
    pub circumstances: Vec<CircumstanceEntry>,
    pub outcome: Option<Outcome>,
}

/// The decision (责任追究决定书).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// 文号.
    pub document_no: String,
    /// The deciding body (作出决定的机关).
    pub body: String,
    pub decided_on: NaiveDate,
    pub effective_on: NaiveDate,
    /// Days after the effective date within which an appeal may be lodged.
    pub appeal_days: u32,
    /// The body that receives appeals.
    pub appeal_body: String,
    /// Whether the decision is made public (公开).
    pub public: bool,
    /// The decision's text: facts, basis, conclusion.
    pub text: String,
    pub decided_by: String,
}

/// How an appeal was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 维持原决定.
    Upheld,
    /// 变更: the person's outcome is replaced.
    Changed,
    /// 撤销: the person's outcome is withdrawn.
    Revoked,
}

impl AppealResult {
    pub const ALL: &'static [AppealResult] = &[
        AppealResult::Upheld,
        AppealResult::Changed,
        AppealResult::Revoked,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AppealResult::Upheld => "upheld",
            AppealResult::Changed => "changed",
            AppealResult::Revoked => "revoked",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            AppealResult::Upheld => "维持原决定",
            AppealResult::Changed => "变更决定",
            AppealResult::Revoked => "撤销决定",
        }
    }
}

impl std::str::FromStr for AppealResult {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        AppealResult::ALL
            .iter()
            .copied()
            .find(|r| r.key() == s.trim() || r.name_zh() == s.trim())
            .ok_or_else(|| {
                format!("unknown appeal result {s:?}: expected upheld, changed or revoked")
            })
    }
}

/// The answer to an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealAnswer {
    pub answered_on: NaiveDate,
    pub result: AppealResult,
    pub text: String,
    pub answered_by: String,
    /// The person's outcome before the answer changed or revoked it.
    pub previous: Option<Outcome>,
}

/// An appeal (申诉) by a person against the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appeal {
    /// 1, 2, … within the case.
    pub number: u32,
    pub person_id: i64,
    pub lodged_on: NaiveDate,
    pub text: String,
    pub recorded_by: String,
    pub answer: Option<AppealAnswer>,
}

/// What a case holds besides its indexed columns (stored as JSON in each version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseData {
    pub title: String,
    /// The clue: what is alleged.
    pub summary: String,
    /// What the source is, in a line ("督察问题 #12:河道沿岸垃圾堆放").
    pub source_label: String,
    /// The dates of the act or omission.
    pub act_dates: Vec<NaiveDate>,
    pub opened_by: String,
    pub investigator: Option<String>,
    pub persons: Vec<CasePerson>,
    pub decision: Option<Decision>,
    pub appeals: Vec<Appeal>,
    pub executed_on: Option<NaiveDate>,
    pub execution_note: Option<String>,
    pub archived_on: Option<NaiveDate>,
    /// Why the case was dismissed.
    pub dismissal: Option<String>,
}

/// One version of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    #[cfg_attr(feature = "openapi", schema(value_type = ecoduty_domain::accountability::CaseStatus))]
    pub status: CaseStatus,
    pub source: CaseSource,
    /// The id of the source record (none for a case opened by hand).
    pub source_id: Option<i64>,
    pub opened_on: NaiveDate,
    #[serde(flatten)]
    pub data: CaseData,
}

impl Case {
    /// The person of the case, by id.
    pub fn person(&self, person_id: i64) -> Option<&CasePerson> {
        self.data.persons.iter().find(|p| p.person_id == person_id)
    }
}

impl Versioned for Case {
    const ENTITY: &'static str = "accountability_case";
    const IDENTITY: &'static str = "accountability_cases";
    const VERSIONS: &'static str = "accountability_case_versions";
    const ID_COLUMN: &'static str = "case_id";
    const CURRENT: &'static str = "accountability_case_current";
    const COLUMNS: &'static [&'static str] = &[
        "case_id",
        "rev",
        "region_code",
        "status",
        "source_kind",
        "source_id",
        "opened_on",
        "data",
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
            self.status.key().into(),
            self.source.key().into(),
            self.source_id.into(),
            self.opened_on.to_string().into(),
            json_text(&self.data).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Case {
            id: row.try_get("case_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            source: parse_key(&row.try_get::<String, _>("source_kind")?)?,
            source_id: row.try_get("source_id")?,
            opened_on: parse_day(&row.try_get::<String, _>("opened_on")?)?,
            data: parse_json(&row.try_get::<String, _>("data")?)?,
        })
    }
}

/// Filters of a list of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub within: Option<RegionCode>,
    pub status: Option<CaseStatus>,
    pub source: Option<CaseSource>,
    /// Cases naming this person (proposed, confirmed or removed).
    pub person_id: Option<i64>,
}

/// How a case was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReadVia {
    Page,
    Api,
    Cli,
    Export,
}

impl ReadVia {
    pub fn key(self) -> &'static str {
        match self {
            ReadVia::Page => "page",
            ReadVia::Api => "api",
            ReadVia::Cli => "cli",
            ReadVia::Export => "export",
        }
    }
}

/// One read of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRead {
    pub id: i64,
    pub case_id: i64,
    pub region_code: RegionCode,
    pub username: String,
    pub role: String,
    pub via: String,
    pub read_at: DateTime<Utc>,
}

/// A case as a person's record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonCase {
    pub case_id: i64,
    pub title: String,
    pub region_code: RegionCode,
    #[cfg_attr(feature = "openapi", schema(value_type = ecoduty_domain::accountability::CaseStatus))]
    pub status: CaseStatus,
    pub post: String,
    pub degree: Degree,
    pub state: PersonState,
    pub outcome: Option<Outcome>,
    pub decision_no: Option<String>,
    pub effective_on: Option<NaiveDate>,
    /// Whether the influence period is in force on the day asked about.
    pub influence_in_force: bool,
}

impl Store {
    /// The forms of accountability a decision made on `day` chooses from: those the texts of
    /// the frameworks in force that day list (read from the text on import, with the
    /// provision that lists them), in framework order, a name listed twice taken once; the
    /// built-in list ([`ecoduty_domain::accountability::Form`]) when none lists any.
    pub async fn decision_forms(&self, day: NaiveDate) -> StoreResult<Vec<DecidedForm>> {
        let mut out: Vec<DecidedForm> = Vec::new();
        for framework in self.frameworks(day).await? {
            let Some(version) = framework.in_force else {
                continue;
            };
            for form in self.framework_forms(version).await? {
                if out.iter().any(|o| o.name == form.name) {
                    continue;
                }
                let citation = if framework.short_name.is_empty() {
                    format!(
                        "第{}条",
                        ecoduty_regulation::numerals::to_chinese(form.article)
                    )
                } else {
                    ecoduty_regulation::framework::cite_item(
                        &framework.short_name,
                        form.article,
                        form.paragraph,
                        None,
                    )
                };
                out.push(DecidedForm {
                    name: form.name,
                    group: form.group,
                    framework: Some(framework.key.clone()),
                    citation: Some(citation),
                });
            }
        }
        if out.is_empty() {
            out = DecidedForm::builtin_list();
        }
        Ok(out)
    }

    /// A case as it stands.
    pub async fn case(&self, id: i64) -> StoreResult<Option<Case>> {
        versioned::current(self, id).await
    }

    pub async fn require_case(&self, id: i64) -> StoreResult<Case> {
        self.case(id)
            .await?
            .ok_or_else(|| crate::error::StoreError::not_found("case", id))
    }

    /// Every version of a case, oldest first.
    pub async fn case_versions(&self, id: i64) -> StoreResult<Vec<Case>> {
        versioned::history(self, id).await
    }

    /// Cases matching the filter, newest first.
    pub async fn cases(&self, filter: &CaseFilter) -> StoreResult<Vec<Case>> {
        let (lo, hi) = crate::supervision::region_range(filter.within.as_ref());
        let mut sql = format!(
            "SELECT {} FROM accountability_case_current WHERE {}",
            Case::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        let mut binds: Vec<String> = vec![lo, hi];
        if let Some(s) = filter.status {
            sql.push_str(&format!(" AND status = ${}", binds.len() + 1));
            binds.push(s.key().to_string());
        }
        if let Some(s) = filter.source {
            sql.push_str(&format!(" AND source_kind = ${}", binds.len() + 1));
            binds.push(s.key().to_string());
        }
        sql.push_str(" ORDER BY opened_on DESC, case_id DESC");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let mut out: Vec<Case> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Case::from_row)
            .collect::<StoreResult<_>>()?;
        if let Some(p) = filter.person_id {
            out.retain(|c| c.person(p).is_some());
        }
        Ok(out)
    }

    /// The cases naming a person as confirmed (or still proposed), with the outcome and
    /// whether its influence period is in force on `day`. Removed persons are left out: the
    /// investigator found they do not answer.
    pub async fn person_cases(
        &self,
        person_id: i64,
        day: NaiveDate,
    ) -> StoreResult<Vec<PersonCase>> {
        let cases = self
            .cases(&CaseFilter {
                person_id: Some(person_id),
                ..CaseFilter::default()
            })
            .await?;
        let mut out = Vec::new();
        for c in cases {
            for p in c.data.persons.iter().filter(|p| p.person_id == person_id) {
                if p.state == PersonState::Removed {
                    continue;
                }
                let effective_on = c.data.decision.as_ref().map(|d| d.effective_on);
                let in_force = match (effective_on, &p.outcome) {
                    (Some(e), Some(o)) if c.status != CaseStatus::Dismissed => {
                        influence_in_force(e, o.no_promotion_until, day)
                    }
                    _ => false,
                };
                out.push(PersonCase {
                    case_id: c.id,
                    title: c.data.title.clone(),
                    region_code: c.region_code.clone(),
                    status: c.status,
                    post: format!("{} {}", p.organisation, p.post),
                    degree: p.degree,
                    state: p.state,
                    outcome: p.outcome.clone(),
                    decision_no: c.data.decision.as_ref().map(|d| d.document_no.clone()),
                    effective_on,
                    influence_in_force: in_force,
                });
            }
        }
        Ok(out)
    }

    /// Records that a user (by role key; `cli` for the operator's command line) read a case. Not part of the ledger (a read changes nothing), but
    /// append-only like it.
    pub async fn log_case_read(
        &self,
        case_id: i64,
        username: &str,
        role: &str,
        via: ReadVia,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO accountability_case_reads (case_id, username, role, via, read_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case_id)
        .bind(username.trim())
        .bind(role)
        .bind(via.key())
        .bind(stamp(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The read log of the cases within a region (or of one case), newest first.
    pub async fn case_reads(
        &self,
        within: Option<&RegionCode>,
        case_id: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<CaseRead>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let rows = sqlx::query(
            "SELECT r.id, r.case_id, c.region_code, r.username, r.role, r.via, r.read_at \
             FROM accountability_case_reads r \
             JOIN accountability_case_current c ON c.case_id = r.case_id \
             WHERE ($1 = '' OR (c.region_code >= $1 AND c.region_code < $2)) AND ($3 = 0 OR r.case_id = $3) \
             ORDER BY r.id DESC LIMIT $4",
        )
        .bind(lo)
        .bind(hi)
        .bind(case_id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let at: String = r.try_get("read_at")?;
                Ok(CaseRead {
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    region_code: parse_code(&r.try_get::<String, _>("region_code")?)?,
                    username: r.try_get("username")?,
                    role: r.try_get("role")?,
                    via: r.try_get("via")?,
                    read_at: DateTime::parse_from_rfc3339(&at)
                        .map(|t| t.with_timezone(&Utc))
                        .map_err(|e| {
                            crate::error::StoreError::Corrupt(format!("time {at:?}: {e}"))
                        })?,
                })
            })
            .collect()
    }
}

/// A case as a sheet, one row per person (for XLSX/CSV export and printing): who, which post
/// and tenure, the degree, the state, the grounds, circumstances and outcome, the decision.
pub fn case_sheet(c: &Case) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "案件编号",
        "案件名称",
        "地区",
        "案件状态",
        "来源",
        "行为日期",
        "姓名",
        "岗位",
        "任职起止",
        "是否已离任",
        "现任职务",
        "责任程度",
        "人员状态",
        "理由",
        "追责情形",
        "从轻从重情节",
        "问责方式",
        "免予追责理由",
        "影响期至",
        "决定文号",
        "决定机关",
        "生效日期",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let d = c.data.decision.as_ref();
    let rows = c
        .data
        .persons
        .iter()
        .map(|p| {
            let outcome = p.outcome.as_ref();
            vec![
                c.id.to_string(),
                c.data.title.clone(),
                c.region_code.to_string(),
                c.status.name_zh().to_string(),
                c.data.source_label.clone(),
                c.data
                    .act_dates
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("、"),
                p.name.clone(),
                format!("{} {}", p.organisation, p.post),
                format!(
                    "{}至{}",
                    p.tenure_start,
                    p.tenure_end
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| "今".into())
                ),
                if p.left { "是" } else { "否" }.to_string(),
                p.now.join(";"),
                p.degree.name_zh().to_string(),
                p.state.name_zh().to_string(),
                p.state_reason.clone().unwrap_or_default(),
                p.grounds
                    .iter()
                    .map(|g| format!("{}:{}", g.citation, g.facts))
                    .collect::<Vec<_>>()
                    .join(";"),
                p.circumstances
                    .iter()
                    .map(|x| format!("{}({}):{}", x.circumstance.name_zh(), x.citation, x.facts))
                    .collect::<Vec<_>>()
                    .join(";"),
                outcome
                    .map(|o| {
                        o.forms
                            .iter()
                            .map(|f| f.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default(),
                outcome
                    .and_then(|o| o.exempt_reason.clone())
                    .unwrap_or_default(),
                outcome
                    .and_then(|o| o.no_promotion_until)
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
                d.map(|d| d.document_no.clone()).unwrap_or_default(),
                d.map(|d| d.body.clone()).unwrap_or_default(),
                d.map(|d| d.effective_on.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    (header, rows)
}

/// The ledger entities of this module: the entities the ledger's listings hide from those who
/// may not read cases ([`crate::ledger::CONFIDENTIAL_ENTITIES`], which the chain names itself
/// so as not to import this module; a test holds the two equal).
pub const ENTITIES: &[&str] = crate::ledger::CONFIDENTIAL_ENTITIES;

#[cfg(test)]
mod confidential_tests {
    use crate::versioned::Versioned;

    #[test]
    fn the_ledger_hides_exactly_the_cases() {
        assert_eq!(super::ENTITIES, [super::Case::ENTITY]);
    }
}
