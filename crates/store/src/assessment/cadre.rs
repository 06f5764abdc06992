//! Results follow the people (Art. 16: 组织部门考察干部时把生态文明建设情况作为重要内容).
//!
//! - [`Store::answerers`]: for a unit and a year, the posts that answer for its result and
//!   who held them, by days of tenure in the year.
//! - [`Store::cadre_record`]: a person's eco record across every tenure — the region's grades
//!   for the years held (with the share of each year), binding indicators inherited and left,
//!   findings raised, closed, overdue and still open, and the early warnings that named the
//!   post. Read only by the organisation department and system administrators (the web layer
//!   checks the role and the region).

use chrono::{Datelike, Duration, NaiveDate};
use ecoduty_domain::assessment::rules::IndicatorFact;
use ecoduty_domain::assessment::tenure_share::{share_percent, tenure_days_in_year, tenure_years};
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::{RegionCode, Role};
use serde::Serialize;
use sqlx::Row;

use crate::error::StoreResult;
use crate::people::Person;
use crate::supervision::region_range;
use crate::tenures::TenureDetail;
use crate::Store;

/// A holder of an answering post in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answerer {
    pub post_id: i64,
    pub post: String,
    pub organisation: String,
    pub role: String,
    pub role_zh: String,
    pub person_id: i64,
    pub person: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub acting: bool,
    pub days: i64,
    /// Percent of the year.
    pub share: f64,
}

/// The roles that answer for a region's result (the first responsible persons and the deputy
/// for eco-environment, Arts. 5–8) and for a department's (its head, Arts. 11–12).
const REGION_ROLES: [Role; 3] = [Role::PartySecretary, Role::GovernmentHead, Role::DeputyEco];
const DEPARTMENT_ROLES: [Role; 2] = [Role::EcoDepartmentHead, Role::SectorDepartmentHead];

/// A year of a tenure, with the result of the region (or department) in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenureYear {
    pub year: i32,
    pub days: i64,
    pub share: f64,
    /// From the published run of the year, if any.
    pub run_id: Option<i64>,
    pub total: Option<f64>,
    pub grade: Option<String>,
    pub rank: Option<u32>,
    pub units: Option<u32>,
    pub vetoed: bool,
}

/// Findings of the tenure's region during the tenure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingCounts {
    pub raised: u32,
    pub closed: u32,
    pub overdue: u32,
    /// Raised before the tenure ended and not closed by then.
    pub open_at_end: u32,
    /// The ids of the findings still open at the end.
    pub open_ids: Vec<i64>,
}

/// An early warning of the tenure's region that named the post.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedWarning {
    pub year: i32,
    pub indicator: String,
    pub status: String,
    pub message_zh: String,
    pub message_en: String,
    pub target_id: i64,
}

/// One tenure of the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenureRecord {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tenure: TenureDetail,
    pub years: Vec<TenureYear>,
    /// The binding indicators of the year before taking office (what was inherited).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub indicators_start: Vec<IndicatorFact>,
    /// Those of the year of leaving (or this year so far).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub indicators_end: Vec<IndicatorFact>,
    pub findings: FindingCounts,
    pub warnings: Vec<NamedWarning>,
}

/// A person's eco record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CadreRecord {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub person: Person,
    pub on: NaiveDate,
    pub tenures: Vec<TenureRecord>,
}

impl Store {
    /// Who held the posts answering for a unit in a year, by days of tenure.
    pub async fn answerers(&self, unit: &UnitRef, year: i32) -> StoreResult<Vec<Answerer>> {
        let (filter, roles): (&str, &[Role]) = match unit {
            UnitRef::Region(_) => ("o.region_code = $1", &REGION_ROLES),
            UnitRef::Organisation(_) => ("o.organisation_id = $1", &DEPARTMENT_ROLES),
        };
        let role_list: Vec<String> = roles.iter().map(|r| format!("'{}'", r.key())).collect();
        let sql = format!(
            "SELECT p.post_id, p.title, p.role, o.name AS org, t.person_id, pe.name AS person, \
                t.start_date, t.end_date, t.acting \
             FROM organisation_current o \
             JOIN post_current p ON p.organisation_id = o.organisation_id \
             JOIN tenure_current t ON t.post_id = p.post_id AND t.retracted = 0 \
             JOIN person_current pe ON pe.person_id = t.person_id \
             WHERE {} AND p.role IN ({}) AND t.start_date <= $2 AND (t.end_date IS NULL OR t.end_date > $3) \
             ORDER BY p.post_id, t.start_date",
            filter,
            role_list.join(", ")
        );
        let q = sqlx::query(&sql);
        let q = match unit {
            UnitRef::Region(code) => q.bind(code.to_string()),
            UnitRef::Organisation(id) => q.bind(*id),
        };
        let rows = q
            .bind(format!("{year}-12-31"))
            .bind(format!("{year}-01-01"))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let role: Role = r.try_get::<String, _>("role")?.parse().map_err(
                |e: ecoduty_regulation::roles::UnknownRole| {
                    crate::StoreError::Corrupt(e.to_string())
                },
            )?;
            let start = crate::supervision::parse_day(&r.try_get::<String, _>("start_date")?)?;
            let end = crate::supervision::parse_opt_day(r.try_get("end_date")?)?;
            let days = tenure_days_in_year(start, end, year);
            if days == 0 {
                continue;
            }
            out.push(Answerer {
                post_id: r.try_get("post_id")?,
                post: r.try_get("title")?,
                organisation: r.try_get("org")?,
                role: role.key().to_string(),
                role_zh: role.name_zh().to_string(),
                person_id: r.try_get("person_id")?,
                person: r.try_get("person")?,
                start_date: start,
                end_date: end,
                acting: crate::versioned::flag(r, "acting")?,
                days,
                share: share_percent(days, year),
            });
        }
        out.sort_by_key(|a| {
            (
                roles.iter().position(|r| r.key() == a.role),
                a.post_id,
                a.start_date,
            )
        });
        Ok(out)
    }

    /// A person's eco record across every tenure, as of `on`.
    pub async fn cadre_record(&self, person_id: i64, on: NaiveDate) -> StoreResult<CadreRecord> {
        let person = self.require_person(person_id).await?;
        let mut tenures = Vec::new();
        for detail in self.person_history(person_id).await? {
            tenures.push(self.tenure_record(detail, on).await?);
        }
        Ok(CadreRecord {
            person,
            on,
            tenures,
        })
    }

    pub(crate) async fn tenure_record(
        &self,
        detail: TenureDetail,
        on: NaiveDate,
    ) -> StoreResult<TenureRecord> {
        let start = detail.tenure.start_date;
        let end = detail.tenure.end_date;
        let last_day = end.map_or(on, |e| e.pred_opt().unwrap_or(e)).min(on);
        let region = detail.region.code.clone();
        let unit = if matches!(
            detail.post.role,
            Role::EcoDepartmentHead | Role::SectorDepartmentHead
        ) {
            UnitRef::Organisation(detail.organisation.id)
        } else {
            UnitRef::Region(region.clone())
        };
        let results = self.published_results_of(&unit).await?;
        let years = tenure_years(start, end, on)
            .into_iter()
            .map(|(year, days)| {
                let r = results.iter().find(|(run, _)| run.year == year);
                TenureYear {
                    year,
                    days,
                    share: share_percent(days, year),
                    run_id: r.map(|(run, _)| run.id),
                    total: r.map(|(_, u)| u.total),
                    grade: r.map(|(_, u)| u.grade.clone()),
                    rank: r.map(|(_, u)| u.rank),
                    units: r.map(|(run, _)| run.results.len() as u32),
                    vetoed: r.is_some_and(|(_, u)| u.vetoed),
                }
            })
            .collect::<Vec<_>>();
        let indicators_start = self
            .indicator_facts(&region, start.year() - 1, start)
            .await?;
        let indicators_end = self
            .indicator_facts(&region, last_day.year(), last_day + Duration::days(1))
            .await?;
        let findings = self
            .finding_counts(&region, start, end.unwrap_or(on + Duration::days(1)))
            .await?;
        let mut warnings = Vec::new();
        for y in &years {
            let at = NaiveDate::from_ymd_opt(y.year + 1, 1, 1)
                .expect("valid year")
                .min(last_day + Duration::days(1));
            for w in self
                .early_warnings(Some(&region), y.year, at, last_day)
                .await?
            {
                if w.warning.region_code == region
                    && w.warning.roles.contains(&detail.post.role.key())
                {
                    warnings.push(NamedWarning {
                        year: y.year,
                        indicator: w.warning.indicator.key.to_string(),
                        status: w.warning.status.key().to_string(),
                        message_zh: w.warning.message_zh.clone(),
                        message_en: w.warning.message_en.clone(),
                        target_id: w.target_id,
                    });
                }
            }
        }
        Ok(TenureRecord {
            tenure: detail,
            years,
            indicators_start,
            indicators_end,
            findings,
            warnings,
        })
    }

    /// The findings of a region's subtree over `[from, to)`.
    pub(crate) async fn finding_counts(
        &self,
        region: &RegionCode,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<FindingCounts> {
        let (lo, hi) = region_range(Some(region));
        let rows = sqlx::query(
            "SELECT h.finding_id, \
                (SELECT f.event_on FROM finding_versions f WHERE f.finding_id = h.finding_id AND f.rev = 1) AS raised_on, \
                (SELECT MIN(c.event_on) FROM finding_versions c WHERE c.finding_id = h.finding_id AND c.event = 'close') AS closed_on, \
                (SELECT MIN(o.event_on) FROM finding_versions o WHERE o.finding_id = h.finding_id AND o.event = 'mark_overdue') AS overdue_on \
             FROM finding_heads h WHERE h.region_code >= $1 AND h.region_code < $2",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await?;
        let (from_s, to_s) = (from.to_string(), to.to_string());
        let inside = |d: &Option<String>| {
            d.as_deref()
                .is_some_and(|d| d >= from_s.as_str() && d < to_s.as_str())
        };
        let mut c = FindingCounts::default();
        for r in &rows {
            let raised: Option<String> = r.try_get("raised_on")?;
            let closed: Option<String> = r.try_get("closed_on")?;
            let overdue: Option<String> = r.try_get("overdue_on")?;
            c.raised += u32::from(inside(&raised));
            c.closed += u32::from(inside(&closed));
            c.overdue += u32::from(inside(&overdue));
            let raised_before_end = raised.as_deref().is_some_and(|d| d < to_s.as_str());
            let closed_by_end = closed.as_deref().is_some_and(|d| d < to_s.as_str());
            if raised_before_end && !closed_by_end {
                c.open_at_end += 1;
                c.open_ids.push(r.try_get("finding_id")?);
            }
        }
        Ok(c)
    }
}
