//! Departure audits of natural-resource assets (自然资源资产离任审计, Art. 13) in the store.
//!
//! - here: the audit of a tenure (one versioned record: its findings and its report travel in
//!   each version, so every step is a new version in the ledger with who, when and why), its
//!   steps (open, record a finding, issue the report), the lists and the tenures due for one;
//! - [`assets`]: the natural-resource asset accounts per region and year, imported all or
//!   nothing;
//! - [`dossier`]: the audit dossier of a tenure — the accounts at its start and end, the binding
//!   indicators year by year, targets met and missed, findings, inspections, complaints,
//!   emergencies, assessment grades and cases.
//!
//! An audit finding is a finding (source: audit) in the rectification loop, assigned to the
//! audited post's organisation unless other units are named, so it shares deadlines, evidence
//! and overdue escalation; it may open an accountability case, whose proposed persons are the
//! holders on the finding's act date (the audited leader among them, though he has left).

pub mod assets;
pub mod dossier;

use chrono::NaiveDate;
use ecoduty_domain::accountability::CaseSource;
use ecoduty_domain::audit::{audited, AuditKind, AuditStatus};
use ecoduty_domain::supervision::{Category, Reason, Severity, Source};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accountability::open::text;
use crate::accountability::{Case, NewCase, MAX_TEXT};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::findings::{insert_findings, NewFinding};
use crate::supervision::{json_text, parse_code, parse_day, parse_json, parse_key};
use crate::tenures::TenureDetail;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

pub use assets::{AssetAccount, AssetImport};
pub use dossier::Dossier;

/// A finding the auditors recorded, with the finding it became in the rectification loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditFinding {
    /// 1, 2, … within the audit.
    pub number: u32,
    pub finding_id: i64,
    pub text: String,
    /// The day of the act or omission (within the tenure): the date a case opened from it
    /// proposes the persons of.
    pub act_date: NaiveDate,
    pub recorded_on: NaiveDate,
    pub recorded_by: String,
}

/// The audit report (审计报告).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditReport {
    /// 文号.
    pub document_no: String,
    pub issued_on: NaiveDate,
    /// The report's conclusions (审计评价).
    pub summary: String,
    /// The bodies the results are sent to (督察, 组织, 纪检监察 …): 形成监督合力.
    pub sent_to: Vec<String>,
    pub recorded_by: String,
}

/// What an audit holds besides its indexed columns (JSON in each version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditData {
    pub title: String,
    /// The body that commissioned the audit (委托: usually the organisation department).
    pub commissioned_by: String,
    /// The audit team (审计组), as written.
    pub team: String,
    pub opened_by: String,
    /// The period audited: the tenure's start, and its end (exclusive; the day the audit was
    /// opened for an audit while in office).
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub findings: Vec<AuditFinding>,
    pub report: Option<AuditReport>,
}

/// One version of an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Audit {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub tenure_id: i64,
    pub person_id: i64,
    pub post_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = ecoduty_domain::audit::AuditKind))]
    pub kind: AuditKind,
    #[cfg_attr(feature = "openapi", schema(value_type = ecoduty_domain::audit::AuditStatus))]
    pub status: AuditStatus,
    pub opened_on: NaiveDate,
    #[serde(flatten)]
    pub data: AuditData,
}

impl Versioned for Audit {
    const ENTITY: &'static str = "audit";
    const IDENTITY: &'static str = "audits";
    const VERSIONS: &'static str = "audit_versions";
    const ID_COLUMN: &'static str = "audit_id";
    const CURRENT: &'static str = "audit_current";
    const COLUMNS: &'static [&'static str] = &[
        "audit_id",
        "rev",
        "region_code",
        "tenure_id",
        "person_id",
        "post_id",
        "kind",
        "status",
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
            self.tenure_id.into(),
            self.person_id.into(),
            self.post_id.into(),
            self.kind.key().into(),
            self.status.key().into(),
            self.opened_on.to_string().into(),
            json_text(&self.data).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Audit {
            id: row.try_get("audit_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            tenure_id: row.try_get("tenure_id")?,
            person_id: row.try_get("person_id")?,
            post_id: row.try_get("post_id")?,
            kind: parse_key(&row.try_get::<String, _>("kind")?)?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            opened_on: parse_day(&row.try_get::<String, _>("opened_on")?)?,
            data: parse_json(&row.try_get::<String, _>("data")?)?,
        })
    }
}

/// An audit to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAudit {
    pub tenure_id: i64,
    pub commissioned_by: String,
    #[serde(default)]
    pub team: String,
    pub opened_on: NaiveDate,
}

/// A finding to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditFindingSpec {
    pub text: String,
    /// Guessed from the text when absent.
    pub category: Option<Category>,
    pub severity: Severity,
    #[serde(default)]
    pub measures: String,
    /// The responsible units; the audited post's organisation when empty.
    #[serde(default)]
    pub units: Vec<i64>,
    /// The rectification deadline.
    pub deadline: NaiveDate,
    /// The day of the act or omission; the tenure's last day when absent.
    pub act_date: Option<NaiveDate>,
    pub recorded_on: NaiveDate,
}

/// The report to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSpec {
    pub document_no: String,
    pub issued_on: NaiveDate,
    pub summary: String,
    #[serde(default)]
    pub sent_to: Vec<String>,
}

/// Filters of a list of audits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub within: Option<RegionCode>,
    pub status: Option<AuditStatus>,
    pub person_id: Option<i64>,
}

/// A tenure of an audited post that has ended without an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueAudit {
    pub tenure_id: i64,
    pub person_id: i64,
    pub person: String,
    pub post_id: i64,
    pub post: String,
    pub organisation: String,
    pub region_code: RegionCode,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

fn refused(field: &str, zh: String, en: String) -> StoreError {
    StoreError::refused(field, Reason::new(zh, en))
}

impl Store {
    /// A tenure with its post, organisation and region.
    pub async fn tenure_detail(&self, id: i64) -> StoreResult<TenureDetail> {
        let tenure = self
            .tenure(id)
            .await?
            .filter(|t| !t.retracted)
            .ok_or_else(|| StoreError::not_found("tenure", id))?;
        self.detail_of(tenure).await
    }

    /// Opens the audit of a tenure: a departure audit if it has ended by the opening day, an
    /// audit in office otherwise. Only the posts the audit rules name are audited, and a tenure
    /// has one audit.
    pub async fn open_audit(&self, change: &Change, new: NewAudit) -> StoreResult<Audit> {
        let commissioned_by = text(
            "commissioned_by",
            &new.commissioned_by,
            "the commissioning body",
            200,
        )?;
        let team = new.team.trim().to_string();
        if team.chars().count() > 2_000 {
            return Err(StoreError::invalid("team", "at most 2,000 characters"));
        }
        let detail = self.tenure_detail(new.tenure_id).await?;
        let t = &detail.tenure;
        if !audited(detail.post.role) {
            return Err(refused(
                "tenure_id",
                format!(
                    "{}({})不在自然资源资产离任审计的对象之列",
                    detail.post.title,
                    detail.post.role.name_zh()
                ),
                format!(
                    "{} ({}) is not a post the departure audit covers",
                    detail.post.title,
                    detail.post.role.key()
                ),
            ));
        }
        if new.opened_on <= t.start_date {
            return Err(StoreError::invalid(
                "opened_on",
                format!("the tenure starts on {}", t.start_date),
            ));
        }
        let ended = t.end_date.is_some_and(|e| e <= new.opened_on);
        let kind = AuditKind::for_tenure(ended);
        let period_end = if ended {
            t.end_date.expect("ended")
        } else {
            new.opened_on
        };
        let person = self.require_person(t.person_id).await?;
        let mut w = Writer::begin(self, change).await?;
        // Checked under the write lock, so that two openings at once cannot both pass.
        let existing: Option<i64> =
            sqlx::query("SELECT MIN(audit_id) FROM audit_versions WHERE tenure_id = $1")
                .bind(t.id)
                .fetch_one(w.conn())
                .await?
                .try_get(0)?;
        if let Some(a) = existing {
            return Err(refused(
                "tenure_id",
                format!("该任期已有审计 #{a}"),
                format!("the tenure already has audit #{a}"),
            ));
        }
        let id = versioned::next_id::<Audit>(w.conn()).await?;
        let audit = Audit {
            id,
            rev: 1,
            region_code: detail.region.code.clone(),
            tenure_id: t.id,
            person_id: t.person_id,
            post_id: t.post_id,
            kind,
            status: AuditStatus::Open,
            opened_on: new.opened_on,
            data: AuditData {
                title: format!(
                    "{}同志任{}{}期间自然资源资产{}",
                    person.name,
                    detail.organisation.name,
                    detail.post.title,
                    kind.name_zh()
                ),
                commissioned_by,
                team,
                opened_by: change.actor.trim().to_string(),
                period_start: t.start_date,
                period_end,
                findings: Vec::new(),
                report: None,
            },
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: audit.clone(),
                before: None,
                action: "open",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(audit)
    }

    pub async fn audit(&self, id: i64) -> StoreResult<Option<Audit>> {
        versioned::current(self, id).await
    }

    pub async fn require_audit(&self, id: i64) -> StoreResult<Audit> {
        self.audit(id)
            .await?
            .ok_or_else(|| StoreError::not_found("audit", id))
    }

    /// Every version of an audit, oldest first.
    pub async fn audit_versions(&self, id: i64) -> StoreResult<Vec<Audit>> {
        versioned::history(self, id).await
    }

    /// Audits matching the filter, newest first.
    pub async fn audits(&self, filter: &AuditFilter) -> StoreResult<Vec<Audit>> {
        let (lo, hi) = crate::supervision::region_range(filter.within.as_ref());
        let mut sql = format!(
            "SELECT {} FROM audit_current WHERE {}",
            Audit::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        if filter.status.is_some() {
            sql.push_str(" AND status = $3");
        }
        if filter.person_id.is_some() {
            sql.push_str(if filter.status.is_some() {
                " AND person_id = $4"
            } else {
                " AND person_id = $3"
            });
        }
        sql.push_str(" ORDER BY opened_on DESC, audit_id DESC");
        let mut q = sqlx::query(&sql).bind(lo).bind(hi);
        if let Some(s) = filter.status {
            q = q.bind(s.key());
        }
        if let Some(p) = filter.person_id {
            q = q.bind(p);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(Audit::from_row).collect()
    }

    /// Tenures of audited posts within a region that ended in `[from, to)` and have no audit,
    /// earliest end first.
    pub async fn audits_due(
        &self,
        within: Option<&RegionCode>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<DueAudit>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let roles: Vec<String> = ecoduty_domain::Role::ALL
            .iter()
            .filter(|r| audited(**r))
            .map(|r| format!("'{}'", r.key()))
            .collect();
        let sql = format!(
            "SELECT t.tenure_id, t.person_id, t.post_id, t.start_date, t.end_date, \
                pe.name AS person, p.title, o.name AS organisation, o.region_code \
             FROM tenure_current t \
             JOIN post_current p ON p.post_id = t.post_id \
             JOIN organisation_current o ON o.organisation_id = p.organisation_id \
             JOIN person_current pe ON pe.person_id = t.person_id \
             WHERE t.retracted = 0 AND t.end_date IS NOT NULL AND t.end_date >= $3 AND t.end_date < $4 \
               AND p.role IN ({}) AND {} \
               AND NOT EXISTS (SELECT 1 FROM audit_versions a WHERE a.tenure_id = t.tenure_id) \
             ORDER BY t.end_date, t.tenure_id",
            roles.join(", "),
            crate::supervision::region_clause("o.region_code", 1, 2)
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DueAudit {
                    tenure_id: r.try_get("tenure_id")?,
                    person_id: r.try_get("person_id")?,
                    person: r.try_get("person")?,
                    post_id: r.try_get("post_id")?,
                    post: r.try_get("title")?,
                    organisation: r.try_get("organisation")?,
                    region_code: parse_code(&r.try_get::<String, _>("region_code")?)?,
                    start_date: parse_day(&r.try_get::<String, _>("start_date")?)?,
                    end_date: parse_day(&r.try_get::<String, _>("end_date")?)?,
                })
            })
            .collect()
    }

    /// Records an audit finding: a finding (source: audit) in the rectification loop and a new
    /// version of the audit naming it, in one write.
    pub async fn record_audit_finding(
        &self,
        change: &Change,
        audit_id: i64,
        spec: AuditFindingSpec,
    ) -> StoreResult<(Audit, i64)> {
        let audit = self.require_audit(audit_id).await?;
        if audit.status != AuditStatus::Open {
            return Err(refused(
                "status",
                "审计报告已出具,不能再记录审计发现".into(),
                "the report is issued: no more findings can be recorded".into(),
            ));
        }
        let body = text("text", &spec.text, "the finding", MAX_TEXT)?;
        let last_day = audit
            .data
            .period_end
            .pred_opt()
            .unwrap_or(audit.data.period_end);
        let act_date = spec.act_date.unwrap_or(last_day);
        if act_date < audit.data.period_start || act_date > last_day {
            return Err(StoreError::invalid(
                "act_date",
                format!(
                    "{act_date} is outside the audited period {} – {last_day}",
                    audit.data.period_start
                ),
            ));
        }
        if spec.deadline < spec.recorded_on {
            return Err(StoreError::invalid(
                "deadline",
                format!(
                    "the deadline {} is before {}",
                    spec.deadline, spec.recorded_on
                ),
            ));
        }
        let units = if spec.units.is_empty() {
            vec![self.require_post(audit.post_id).await?.organisation_id]
        } else {
            spec.units.clone()
        };
        let number = audit.data.findings.len() as u32 + 1;
        let new = NewFinding {
            region_code: audit.region_code.clone(),
            source: Source::Audit,
            inspection_id: None,
            complaint_id: None,
            source_ref: format!("审计 #{} 第{}项", audit.id, number),
            serial: String::new(),
            category: spec.category.unwrap_or_else(|| Category::guess(&body)),
            severity: spec.severity,
            text: body.clone(),
            measures: spec.measures.trim().to_string(),
            units,
            posts: vec![audit.post_id],
            deadline: Some(spec.deadline),
            review_every_days: None,
        };
        let mut w = Writer::begin(self, change).await?;
        let finding = insert_findings(&mut w, vec![new], &change.actor, spec.recorded_on)
            .await?
            .remove(0);
        let mut next = audit.clone();
        next.rev += 1;
        next.data.findings.push(AuditFinding {
            number,
            finding_id: finding.id,
            text: body,
            act_date,
            recorded_on: spec.recorded_on,
            recorded_by: change.actor.trim().to_string(),
        });
        versioned::write(
            &mut w,
            vec![Version {
                record: next.clone(),
                before: Some(&audit),
                action: "record_finding",
            }],
        )
        .await?;
        w.commit().await?;
        Ok((next, finding.id))
    }

    /// Issues the report: the audit is done; its findings stay in the rectification loop.
    pub async fn report_audit(
        &self,
        change: &Change,
        audit_id: i64,
        spec: ReportSpec,
    ) -> StoreResult<Audit> {
        let audit = self.require_audit(audit_id).await?;
        if audit.status != AuditStatus::Open {
            return Err(refused(
                "status",
                "审计报告已出具".into(),
                "the report is already issued".into(),
            ));
        }
        let document_no = text("document_no", &spec.document_no, "the document number", 100)?;
        let summary = text(
            "summary",
            &spec.summary,
            "the report's conclusions",
            MAX_TEXT,
        )?;
        if spec.issued_on < audit.opened_on {
            return Err(StoreError::invalid(
                "issued_on",
                format!("the audit was opened on {}", audit.opened_on),
            ));
        }
        let sent_to: Vec<String> = spec
            .sent_to
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if sent_to.len() > 20 || sent_to.iter().any(|s| s.chars().count() > 100) {
            return Err(StoreError::invalid(
                "sent_to",
                "at most 20 bodies of at most 100 characters",
            ));
        }
        let mut next = audit.clone();
        next.rev += 1;
        next.status = AuditStatus::Reported;
        next.data.report = Some(AuditReport {
            document_no,
            issued_on: spec.issued_on,
            summary,
            sent_to,
            recorded_by: change.actor.trim().to_string(),
        });
        let mut w = Writer::begin(self, change).await?;
        versioned::write(
            &mut w,
            vec![Version {
                record: next.clone(),
                before: Some(&audit),
                action: "report",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(next)
    }

    /// Opens an accountability case from an audit finding: the case's source is the finding,
    /// its date the finding's act date, so the persons proposed are those who held the
    /// answering posts then — the audited leader among them, though he has left.
    pub async fn open_case_from_audit(
        &self,
        change: &Change,
        audit_id: i64,
        number: u32,
        summary: &str,
        opened_on: NaiveDate,
    ) -> StoreResult<Case> {
        let audit = self.require_audit(audit_id).await?;
        let f = audit
            .data
            .findings
            .iter()
            .find(|f| f.number == number)
            .ok_or_else(|| {
                StoreError::invalid(
                    "number",
                    format!("audit #{audit_id} has no finding {number}"),
                )
            })?;
        let summary = if summary.trim().is_empty() {
            f.text.clone()
        } else {
            summary.trim().to_string()
        };
        self.open_case(
            change,
            NewCase {
                source: CaseSource::Finding,
                source_id: Some(f.finding_id),
                region_code: None,
                title: format!("{}:审计发现第{}项", audit.data.title, number),
                summary,
                act_dates: vec![f.act_date],
                opened_on,
            },
        )
        .await
    }
}
