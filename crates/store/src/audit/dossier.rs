//! The audit dossier of a tenure (离任审计资料): what the auditors read, gathered from the
//! records ecoduty already keeps for the tenure's region and period —
//!
//! - the natural-resource asset accounts at the start and the end, compared indicator by
//!   indicator (`ecoduty_domain::audit::compare`);
//! - the binding indicators inherited (the year before taking office), of each year held and
//!   at leaving, with the targets met and missed;
//! - the assessment grades of the years held (from the published runs), the early warnings
//!   that named the post;
//! - the findings raised, closed and overdue during the tenure and those still open at the
//!   departure, listed;
//! - the inspections that covered the region, the complaints received, the emergencies;
//! - the person's accountability cases (confidential: the web and CLI layers leave them out
//!   for whoever may not read cases), and the audit's own findings.

use chrono::{Datelike, Duration, NaiveDate};
use ecoduty_domain::assessment::rules::IndicatorFact;
use ecoduty_domain::audit::{compare, AssetChange};
use serde::Serialize;

use super::assets::start_and_end;
use super::{Audit, AuditFinding};
use crate::accountability::PersonCase;
use crate::assessment::cadre::{FindingCounts, NamedWarning, TenureYear};
use crate::emergency::{Emergency, EmergencyFilter};
use crate::error::StoreResult;
use crate::people::Person;
use crate::supervision::inspections::{Inspection, InspectionFilter};
use crate::supervision::PageRequest;
use crate::tenures::TenureDetail;
use crate::Store;

/// The asset accounts compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetsCompared {
    /// The years of the accounts compared (none when no account is stored).
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub lines: Vec<AssetChange>,
}

/// A year of the tenure: its share, the region's grade, its indicators and targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DossierYear {
    #[serde(flatten)]
    pub year: TenureYear,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub indicators: Vec<IndicatorFact>,
    /// Targets of the year met and missed (years not over count in neither).
    pub targets_met: u32,
    pub targets_missed: u32,
}

/// A finding still open at the departure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenFinding {
    pub id: i64,
    pub text: String,
    pub source: String,
    pub status: String,
    pub deadline: Option<NaiveDate>,
    pub overdue_since: Option<NaiveDate>,
}

/// Complaints received in the region during the tenure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintCounts {
    pub received: i64,
    pub answered: i64,
    /// Unanswered past their deadline on the tenure's last day.
    pub overdue: i64,
    pub promoted: i64,
}

/// An inspection that covered the region during the tenure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionLine {
    pub id: i64,
    pub title: String,
    pub level: String,
    pub kind: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// An emergency in the region during the tenure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmergencyLine {
    pub id: i64,
    pub title: String,
    pub level: String,
    pub occurred_on: NaiveDate,
    pub status: String,
}

/// The dossier.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dossier {
    pub audit_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub person: Person,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tenure: TenureDetail,
    /// The day the dossier was read for.
    pub on: NaiveDate,
    pub period_start: NaiveDate,
    /// Exclusive: the tenure's end, or the day after `on` while it runs.
    pub period_end: NaiveDate,
    pub assets: AssetsCompared,
    /// The binding indicators of the year before taking office (what was inherited).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub indicators_start: Vec<IndicatorFact>,
    /// Those of the year of leaving (or the year so far).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub indicators_end: Vec<IndicatorFact>,
    pub years: Vec<DossierYear>,
    pub targets_met: u32,
    pub targets_missed: u32,
    pub findings: FindingCounts,
    pub open_findings: Vec<OpenFinding>,
    pub warnings: Vec<NamedWarning>,
    pub inspections: Vec<InspectionLine>,
    pub complaints: ComplaintCounts,
    pub emergencies: Vec<EmergencyLine>,
    /// The person's accountability cases; emptied by the caller for whoever may not read them.
    pub cases: Vec<PersonCase>,
    /// Whether `cases` was left out for the reader.
    pub cases_withheld: bool,
    pub audit_findings: Vec<AuditFinding>,
}

impl Dossier {
    /// Leaves the cases out (for a reader who may not read cases), saying so.
    pub fn withhold_cases(&mut self) {
        self.cases.clear();
        self.cases_withheld = true;
    }
}

/// The most open findings listed (the count is always complete).
pub const MAX_OPEN_LISTED: usize = 200;

impl Store {
    /// The dossier of an audit's tenure, for its audited period.
    pub async fn audit_dossier(&self, audit: &Audit, on: NaiveDate) -> StoreResult<Dossier> {
        let detail = self.tenure_detail(audit.tenure_id).await?;
        let mut d = self
            .tenure_dossier(
                detail,
                audit.data.period_end.min(on + Duration::days(1)),
                on,
            )
            .await?;
        d.audit_id = Some(audit.id);
        d.audit_findings = audit.data.findings.clone();
        Ok(d)
    }

    /// The dossier of a tenure (on request, with no audit opened): its period ends with the
    /// tenure, or the day after `on` while it runs.
    pub async fn tenure_dossier_of(&self, tenure_id: i64, on: NaiveDate) -> StoreResult<Dossier> {
        let detail = self.tenure_detail(tenure_id).await?;
        let end = detail
            .tenure
            .end_date
            .unwrap_or(on + Duration::days(1))
            .min(on + Duration::days(1));
        self.tenure_dossier(detail, end, on).await
    }

    async fn tenure_dossier(
        &self,
        detail: TenureDetail,
        period_end: NaiveDate,
        on: NaiveDate,
    ) -> StoreResult<Dossier> {
        let person = self.require_person(detail.tenure.person_id).await?;
        let region = detail.region.code.clone();
        let start = detail.tenure.start_date;
        let last_day = period_end.pred_opt().unwrap_or(period_end);
        let record = self.tenure_record(detail.clone(), last_day).await?;
        let accounts = self.asset_accounts(&region).await?;
        let (a_start, a_end) = start_and_end(&accounts, start.year(), last_day.year());
        let assets = AssetsCompared {
            start_year: a_start.map(|a| a.year),
            end_year: a_end.map(|a| a.year),
            lines: compare(
                a_start.map_or(&[][..], |a| &a.lines),
                a_end.map_or(&[][..], |a| &a.lines),
            ),
        };
        let mut years = Vec::with_capacity(record.years.len());
        for y in record.years {
            let as_of = NaiveDate::from_ymd_opt(y.year + 1, 1, 1)
                .expect("valid year")
                .min(period_end);
            let indicators = self.indicator_facts(&region, y.year, as_of).await?;
            let met = indicators.iter().filter(|f| f.met() == Some(true)).count() as u32;
            let missed = indicators.iter().filter(|f| f.met() == Some(false)).count() as u32;
            years.push(DossierYear {
                year: y,
                indicators,
                targets_met: met,
                targets_missed: missed,
            });
        }
        let mut open_findings = Vec::new();
        for id in record.findings.open_ids.iter().take(MAX_OPEN_LISTED) {
            if let Some(f) = self.finding(*id).await? {
                open_findings.push(OpenFinding {
                    id: f.id,
                    text: f.text,
                    source: f.source.key().to_string(),
                    status: f.status.key().to_string(),
                    deadline: f.deadline,
                    overdue_since: f.overdue_since,
                });
            }
        }
        let complaints = self
            .complaint_statistics(Some(&region), start, last_day, last_day)
            .await?
            .into_iter()
            .fold(ComplaintCounts::default(), |mut c, s| {
                c.received += s.total;
                c.answered += s.answered;
                c.overdue += s.overdue;
                c.promoted += s.promoted;
                c
            });
        let emergencies = self
            .emergencies(&EmergencyFilter {
                within: Some(region.clone()),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|e| e.occurred_on() >= start && e.occurred_on() < period_end)
            .map(|e: Emergency| EmergencyLine {
                id: e.id,
                title: e.title.clone(),
                level: e.level.key().to_string(),
                occurred_on: e.occurred_on(),
                status: e.status.key().to_string(),
            })
            .collect();
        Ok(Dossier {
            audit_id: None,
            person,
            inspections: self.inspections_during(&region, start, period_end).await?,
            cases: self.person_cases(detail.tenure.person_id, on).await?,
            tenure: detail,
            on,
            period_start: start,
            period_end,
            assets,
            indicators_start: record.indicators_start,
            indicators_end: record.indicators_end,
            targets_met: years.iter().map(|y| y.targets_met).sum(),
            targets_missed: years.iter().map(|y| y.targets_missed).sum(),
            years,
            findings: record.findings,
            open_findings,
            warnings: record.warnings,
            complaints,
            emergencies,
            cases_withheld: false,
            audit_findings: Vec::new(),
        })
    }

    /// Inspections that covered the region (or a region above or within it) and overlapped
    /// `[from, to)`, newest first.
    async fn inspections_during(
        &self,
        region: &ecoduty_domain::RegionCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<InspectionLine>> {
        let filter = InspectionFilter {
            within: Some(region.clone()),
            level: None,
            kind: None,
        };
        let mut out = Vec::new();
        let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
        loop {
            let p = self.inspections_page(&filter, page).await?;
            out.extend(
                p.items
                    .iter()
                    .filter(|i: &&Inspection| i.start_date < to && i.end_date >= from)
                    .map(|i| InspectionLine {
                        id: i.id,
                        title: i.title.clone(),
                        level: i.level.key().to_string(),
                        kind: i.kind.key().to_string(),
                        start_date: i.start_date,
                        end_date: i.end_date,
                    }),
            );
            match p.next_before {
                Some(b) => page.before = Some(b),
                None => break,
            }
        }
        Ok(out)
    }
}
