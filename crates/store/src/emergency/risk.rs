//! Risk sources (重点环境风险源) and risk reports in the store.
//!
//! A risk-source sheet is imported all or nothing: a row matches an earlier source by its
//! 统一社会信用代码 or else by region and name, and becomes a new version of it when anything
//! changed; other rows are new sources. A risk report (a hazard found, 风险报告) is routed like
//! an early warning: to the holders of the region's eco-environment posts (the deputy for
//! eco-environment and the department head) and to the region's users.

use chrono::{DateTime, NaiveDate, Utc};
use ecoduty_domain::emergency::chain::CHAIN_ROLES;
use ecoduty_domain::emergency::risk::{RiskGrade, RiskSourceSpec};
use ecoduty_domain::supervision::{concerns, ItemKind, NoticeKind};
use ecoduty_domain::{RegionCode, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::chain::home;
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::evidence::require_stored;
use crate::supervision::notifications::{NewNotification, Recipient};
use crate::supervision::{
    json_text, parse_code, parse_day, parse_json, parse_key, stamp, EvidenceRef,
};
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a risk source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskSource {
    pub id: i64,
    pub rev: i64,
    #[serde(flatten)]
    pub spec: RiskSourceSpec,
    pub active: bool,
}

impl std::ops::Deref for RiskSource {
    type Target = RiskSourceSpec;
    fn deref(&self) -> &RiskSourceSpec {
        &self.spec
    }
}

impl Versioned for RiskSource {
    const ENTITY: &'static str = "risk_source";
    const IDENTITY: &'static str = "risk_sources";
    const VERSIONS: &'static str = "risk_source_versions";
    const ID_COLUMN: &'static str = "risk_source_id";
    const CURRENT: &'static str = "risk_source_current";
    const COLUMNS: &'static [&'static str] = &[
        "risk_source_id",
        "rev",
        "region_code",
        "name",
        "credit_code",
        "industry",
        "substances",
        "grade",
        "address",
        "active",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.spec.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        let s = &self.spec;
        vec![
            self.id.into(),
            self.rev.into(),
            s.region_code.to_string().into(),
            s.name.clone().into(),
            s.credit_code.clone().into(),
            s.industry.clone().into(),
            json_text(&s.substances).into(),
            s.grade.key().into(),
            s.address.clone().into(),
            self.active.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(RiskSource {
            id: row.try_get("risk_source_id")?,
            rev: row.try_get("rev")?,
            spec: RiskSourceSpec {
                region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
                name: row.try_get("name")?,
                credit_code: row.try_get("credit_code")?,
                industry: row.try_get("industry")?,
                substances: parse_json(&row.try_get::<String, _>("substances")?)?,
                grade: parse_key::<RiskGrade>(&row.try_get::<String, _>("grade")?)?,
                address: row.try_get("address")?,
            },
            active: flag(row, "active")?,
        })
    }
}

/// One version of a risk report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskReport {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub risk_source_id: Option<i64>,
    pub text: String,
    pub reported_on: NaiveDate,
    pub reported_by: String,
    pub evidence: Vec<EvidenceRef>,
}

impl Versioned for RiskReport {
    const ENTITY: &'static str = "risk_report";
    const IDENTITY: &'static str = "risk_reports";
    const VERSIONS: &'static str = "risk_report_versions";
    const ID_COLUMN: &'static str = "risk_report_id";
    const CURRENT: &'static str = "risk_report_current";
    const COLUMNS: &'static [&'static str] = &[
        "risk_report_id",
        "rev",
        "region_code",
        "risk_source_id",
        "text",
        "reported_on",
        "reported_by",
        "evidence",
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
            self.risk_source_id.into(),
            self.text.clone().into(),
            self.reported_on.to_string().into(),
            self.reported_by.clone().into(),
            json_text(&self.evidence).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(RiskReport {
            id: row.try_get("risk_report_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            risk_source_id: row.try_get("risk_source_id")?,
            text: row.try_get("text")?,
            reported_on: parse_day(&row.try_get::<String, _>("reported_on")?)?,
            reported_by: row.try_get("reported_by")?,
            evidence: parse_json(&row.try_get::<String, _>("evidence")?)?,
        })
    }
}

/// What an import of a risk-source sheet did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskImport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A risk report to register.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewRiskReport {
    pub region_code: RegionCode,
    pub risk_source_id: Option<i64>,
    pub text: String,
    pub reported_on: NaiveDate,
    pub evidence: Vec<EvidenceRef>,
}

impl Store {
    /// Imports risk sources, all or nothing: every row's region must be within `scope` (the
    /// importing user's region; `None` for nationwide) and stored.
    pub async fn import_risk_sources(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        specs: Vec<RiskSourceSpec>,
    ) -> StoreResult<RiskImport> {
        for (i, s) in specs.iter().enumerate() {
            if let Some(scope) = scope {
                if !s.region_code.is_within(scope) {
                    return Err(StoreError::invalid(
                        format!("row {}: 区划代码", i + 1),
                        format!("{} is outside your region {scope}", s.region_code),
                    ));
                }
            }
            if self.region(&s.region_code).await?.is_none() {
                return Err(StoreError::invalid(
                    format!("row {}: 区划代码", i + 1),
                    format!("{} is not a stored region", s.region_code),
                ));
            }
        }
        let mut w = Writer::begin(self, change).await?;
        let sql = format!(
            "SELECT {} FROM risk_source_current",
            RiskSource::column_list()
        );
        let existing: Vec<RiskSource> = sqlx::query(&sql)
            .fetch_all(w.conn())
            .await?
            .iter()
            .map(RiskSource::from_row)
            .collect::<StoreResult<_>>()?;
        let mut next = versioned::next_id::<RiskSource>(w.conn()).await?;
        let mut report = RiskImport::default();
        let mut records: Vec<(RiskSource, Option<&RiskSource>)> = Vec::new();
        for spec in specs {
            let before = existing
                .iter()
                .find(|e| match (&e.spec.credit_code, &spec.credit_code) {
                    (Some(a), Some(b)) => a == b,
                    _ => e.spec.region_code == spec.region_code && e.spec.name == spec.name,
                });
            match before {
                Some(b) if b.spec == spec && b.active => report.unchanged += 1,
                Some(b) => {
                    report.updated += 1;
                    records.push((
                        RiskSource {
                            id: b.id,
                            rev: b.rev + 1,
                            spec,
                            active: true,
                        },
                        Some(b),
                    ));
                }
                None => {
                    report.created += 1;
                    records.push((
                        RiskSource {
                            id: next,
                            rev: 1,
                            spec,
                            active: true,
                        },
                        None,
                    ));
                    next += 1;
                }
            }
        }
        let versions = records
            .into_iter()
            .map(|(record, before)| Version {
                action: if before.is_some() { "update" } else { "create" },
                record,
                before,
            })
            .collect();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(report)
    }

    pub async fn risk_source(&self, id: i64) -> StoreResult<Option<RiskSource>> {
        versioned::current(self, id).await
    }

    /// Risk sources within a region, gravest first, then by name.
    pub async fn risk_sources(&self, within: Option<&RegionCode>) -> StoreResult<Vec<RiskSource>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let sql = format!(
            "SELECT {} FROM risk_source_current WHERE active = 1 AND {} ORDER BY region_code, name",
            RiskSource::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        let mut out: Vec<RiskSource> = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(RiskSource::from_row)
            .collect::<StoreResult<_>>()?;
        out.sort_by_key(|s| std::cmp::Reverse(s.spec.grade));
        Ok(out)
    }

    /// Registers a risk report and routes it: to the holders of the region's eco-environment
    /// posts today and the region's users.
    pub async fn report_risk(
        &self,
        change: &Change,
        new: NewRiskReport,
        now: DateTime<Utc>,
    ) -> StoreResult<RiskReport> {
        let text = new.text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::invalid("text", "the report is empty"));
        }
        if text.chars().count() > super::MAX_TEXT {
            return Err(StoreError::invalid(
                "text",
                format!("the report is longer than {} characters", super::MAX_TEXT),
            ));
        }
        if self.region(&new.region_code).await?.is_none() {
            return Err(StoreError::invalid(
                "region_code",
                format!("{} is not a stored region", new.region_code),
            ));
        }
        if let Some(id) = new.risk_source_id {
            match self.risk_source(id).await? {
                Some(s) if s.spec.region_code.is_within(&home(&new.region_code)) => {}
                Some(s) => {
                    return Err(StoreError::invalid(
                        "risk_source_id",
                        format!(
                            "risk source #{id} is in {}, not in {}",
                            s.spec.region_code, new.region_code
                        ),
                    ))
                }
                None => {
                    return Err(StoreError::invalid(
                        "risk_source_id",
                        format!("no risk source #{id}"),
                    ))
                }
            }
        }
        let mut w = Writer::begin(self, change).await?;
        require_stored(w.conn(), &new.evidence).await?;
        let report = RiskReport {
            id: versioned::next_id::<RiskReport>(w.conn()).await?,
            rev: 1,
            region_code: new.region_code,
            risk_source_id: new.risk_source_id,
            text,
            reported_on: new.reported_on,
            reported_by: change.actor.trim().to_string(),
            evidence: new.evidence,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: report.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        let region = home(&report.region_code);
        let mut recipients = Vec::new();
        for role in [Role::DeputyEco, Role::EcoDepartmentHead] {
            debug_assert!(CHAIN_ROLES.contains(&role));
            for h in self.who(&region, report.reported_on, Some(role)).await? {
                if let Some(holder) = h.holder {
                    recipients.push(Recipient::Person(holder.person.id));
                }
            }
        }
        for u in super::chain::users_in(self, std::slice::from_ref(&region)).await? {
            if concerns(u.role, ItemKind::RiskReport, NoticeKind::Alert) {
                recipients.push(Recipient::User(u.id));
            }
        }
        let excerpt: String = report.text.chars().take(60).collect();
        let items: Vec<NewNotification> = recipients
            .into_iter()
            .map(|recipient| NewNotification {
                recipient,
                item_kind: ItemKind::RiskReport,
                item_id: report.id,
                notice: NoticeKind::Alert,
                on_day: report.reported_on,
                region_code: report.region_code.clone(),
                title: "环境风险报告".to_string(),
                body: excerpt.clone(),
            })
            .collect();
        self.write_notifications(&items, &stamp(now)).await?;
        Ok(report)
    }

    /// Risk reports within a region, newest first.
    pub async fn risk_reports(&self, within: Option<&RegionCode>) -> StoreResult<Vec<RiskReport>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let sql = format!(
            "SELECT {} FROM risk_report_current WHERE {} ORDER BY reported_on DESC, risk_report_id DESC",
            RiskReport::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(RiskReport::from_row)
            .collect()
    }
}
