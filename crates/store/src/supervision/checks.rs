//! Art. 15 (第十五条) in the store: the register of every check (监督检查) planned or done —
//! by which body, on which unit, of what kind, on which day — and the deployment's limits.
//! Planning is done under the write lock, so two plans cannot both slip under a limit. A plan
//! that breaks a limit is refused with the reason unless a user whose role allows it overrides
//! it with a written justification; the override, the user and the limits broken stay in the
//! check's record. Merge suggestions and the burden report read the register.

use chrono::NaiveDate;
use ecoduty_domain::access::Scope;
use ecoduty_domain::supervision::checks::{
    burden, check_justification, evaluate, may_override, merge_suggestions, CheckKind, CheckLimits,
    CheckRef, CheckStatus, Violation,
};
use ecoduty_domain::{RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{json_text, parse_code, parse_day, parse_json, parse_key, Page, PageRequest, Where};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::sql::Value;
use crate::users::User;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of a registered check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Check {
    pub id: i64,
    pub rev: i64,
    pub by_organisation_id: i64,
    /// The level of the checking body's region, which decides the limits that apply.
    pub by_level: RegionLevel,
    pub on_organisation_id: i64,
    /// The region of the unit checked.
    pub region_code: RegionCode,
    pub kind: CheckKind,
    pub subject: String,
    pub date: NaiveDate,
    pub status: CheckStatus,
    /// The limits the plan broke (empty when it kept to them).
    pub violations: Vec<Violation>,
    /// Who planned it despite the limits, and why.
    pub override_by: Option<String>,
    pub override_justification: Option<String>,
}

impl Check {
    fn as_ref(&self) -> CheckRef {
        CheckRef {
            id: Some(self.id),
            by_org: self.by_organisation_id,
            by_level: self.by_level,
            on_org: self.on_organisation_id,
            date: self.date,
        }
    }
}

impl Versioned for Check {
    const ENTITY: &'static str = "check";
    const IDENTITY: &'static str = "checks";
    const VERSIONS: &'static str = "check_versions";
    const ID_COLUMN: &'static str = "check_id";
    const CURRENT: &'static str = "check_current";
    const COLUMNS: &'static [&'static str] = &[
        "check_id",
        "rev",
        "by_organisation_id",
        "by_level",
        "on_organisation_id",
        "region_code",
        "kind",
        "subject",
        "check_date",
        "status",
        "violations",
        "override_by",
        "override_justification",
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
            self.by_organisation_id.into(),
            self.by_level.key().into(),
            self.on_organisation_id.into(),
            self.region_code.to_string().into(),
            self.kind.key().into(),
            self.subject.clone().into(),
            self.date.to_string().into(),
            self.status.key().into(),
            json_text(&self.violations).into(),
            self.override_by.clone().into(),
            self.override_justification.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let level: String = row.try_get("by_level")?;
        Ok(Check {
            id: row.try_get("check_id")?,
            rev: row.try_get("rev")?,
            by_organisation_id: row.try_get("by_organisation_id")?,
            by_level: RegionLevel::from_key(&level)
                .ok_or_else(|| StoreError::Corrupt(format!("level {level}")))?,
            on_organisation_id: row.try_get("on_organisation_id")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            kind: parse_key(&row.try_get::<String, _>("kind")?)?,
            subject: row.try_get("subject")?,
            date: parse_day(&row.try_get::<String, _>("check_date")?)?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            violations: parse_json(&row.try_get::<String, _>("violations")?)?,
            override_by: row.try_get("override_by")?,
            override_justification: row.try_get("override_justification")?,
        })
    }
}

/// The limits as a versioned record (one, id 1): changing them is in the ledger, and every
/// refusal can be traced to the limits in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CheckRules {
    pub id: i64,
    pub rev: i64,
    pub limits: CheckLimits,
}

impl Versioned for CheckRules {
    const ENTITY: &'static str = "check_rules";
    const IDENTITY: &'static str = "check_rules";
    const VERSIONS: &'static str = "check_rule_versions";
    const ID_COLUMN: &'static str = "rules_id";
    const CURRENT: &'static str = "check_rule_current";
    const COLUMNS: &'static [&'static str] = &["rules_id", "rev", "limits"];

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
            json_text(&self.limits).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(CheckRules {
            id: row.try_get("rules_id")?,
            rev: row.try_get("rev")?,
            limits: parse_json(&row.try_get::<String, _>("limits")?)?,
        })
    }
}

/// A check to plan.
#[derive(Debug, Clone, Deserialize)]
pub struct NewCheck {
    pub by_organisation_id: i64,
    pub on_organisation_id: i64,
    pub kind: CheckKind,
    pub subject: String,
    pub date: NaiveDate,
}

/// Planning despite the limits: by whom (a user whose role allows it) and why.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckOverride {
    pub username: String,
    pub justification: String,
}

/// A planned check, with the registered checks of the same unit close enough to merge with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedCheck {
    pub check: Check,
    pub merge_with: Vec<Check>,
}

/// What planning a check would meet, without planning it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckAssessment {
    pub violations: Vec<Violation>,
    pub merge_with: Vec<Check>,
}

/// Filters for [`Store::checks_page`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CheckFilter {
    /// Checks of units within this region's subtree.
    #[serde(skip)]
    pub within: Option<RegionCode>,
    pub year: Option<i32>,
    pub by_organisation_id: Option<i64>,
    pub on_organisation_id: Option<i64>,
    pub status: Option<CheckStatus>,
}

/// Two registered checks of one unit to merge into one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeRow {
    pub unit: Organisation,
    pub first: Check,
    pub second: Check,
    pub days_apart: i64,
}

/// The checks one unit received in a year, in total and from each body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BurdenRow {
    pub unit: Organisation,
    pub total: u32,
    /// Of which already done (the rest are planned).
    pub done: u32,
    pub by_body: Vec<(Organisation, u32)>,
}

async fn live_unit(conn: &mut AnyConnection, id: i64, field: &str) -> StoreResult<Organisation> {
    let org: Organisation = versioned::current_in(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found("organisation", id))?;
    if org.retired {
        return Err(StoreError::invalid(
            field,
            format!("{} (#{id}) is retired", org.name),
        ));
    }
    Ok(org)
}

async fn rules_in(conn: &mut AnyConnection) -> StoreResult<CheckLimits> {
    Ok(versioned::current_in::<CheckRules>(conn, 1)
        .await?
        .map(|r| r.limits)
        .unwrap_or_default())
}

/// The live (not cancelled) checks of a unit, read under the write lock.
async fn live_checks_of(conn: &mut AnyConnection, unit: i64) -> StoreResult<Vec<Check>> {
    let sql = format!(
        "SELECT {} FROM check_current WHERE on_organisation_id = $1 AND status <> 'cancelled' ORDER BY check_date, check_id",
        Check::column_list()
    );
    let rows = sqlx::query(&sql).bind(unit).fetch_all(conn).await?;
    rows.iter().map(Check::from_row).collect()
}

/// Checks a new check's parties and what the register says about it.
async fn assess(
    conn: &mut AnyConnection,
    new: &NewCheck,
) -> StoreResult<(
    Organisation,
    Organisation,
    CheckRef,
    Vec<Violation>,
    Vec<Check>,
)> {
    if new.subject.trim().is_empty() {
        return Err(StoreError::invalid(
            "subject",
            "say what the check is about",
        ));
    }
    if new.by_organisation_id == new.on_organisation_id {
        return Err(StoreError::invalid("on", "a body does not check itself"));
    }
    let by = live_unit(conn, new.by_organisation_id, "by").await?;
    let on = live_unit(conn, new.on_organisation_id, "on").await?;
    let limits = rules_in(conn).await?;
    let candidate = CheckRef {
        id: None,
        by_org: by.id,
        by_level: by.region_code.level(),
        on_org: on.id,
        date: new.date,
    };
    let existing = live_checks_of(conn, on.id).await?;
    let refs: Vec<CheckRef> = existing.iter().map(Check::as_ref).collect();
    let violations = evaluate(&candidate, &refs, &limits);
    let window = i64::from(limits.merge_window_days);
    let merge_with = existing
        .into_iter()
        .filter(|c| (c.date - new.date).num_days().abs() <= window)
        .collect();
    Ok((by, on, candidate, violations, merge_with))
}

fn refusal(violations: &[Violation]) -> StoreError {
    StoreError::refused(
        "limits",
        ecoduty_domain::supervision::checks::refusal(violations),
    )
}

impl Store {
    /// The limits in force (the defaults until a deployment sets its own).
    pub async fn check_rules(&self) -> StoreResult<CheckLimits> {
        let mut conn = self.pool.acquire().await?;
        rules_in(&mut conn).await
    }

    /// Replaces the limits (a new version of the rules record).
    pub async fn set_check_rules(
        &self,
        change: &Change,
        limits: CheckLimits,
    ) -> StoreResult<CheckLimits> {
        for (level, l) in &limits.by_level {
            if l.max_per_year == 0 || l.min_days_between > 366 {
                return Err(StoreError::invalid(
                    "limits",
                    format!(
                        "{}: at least one check a year, and at most 366 days between two",
                        level.name_zh()
                    ),
                ));
            }
        }
        if limits.merge_window_days > 366 {
            return Err(StoreError::invalid(
                "merge_window_days",
                "the merge window is at most 366 days",
            ));
        }
        let mut w = Writer::begin(self, change).await?;
        let before: Option<CheckRules> = versioned::current_in(w.conn(), 1).await?;
        let after = CheckRules {
            id: 1,
            rev: before.as_ref().map(|b| b.rev + 1).unwrap_or(1),
            limits,
        };
        let action = if before.is_some() { "update" } else { "create" };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: before.as_ref(),
                action,
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after.limits)
    }

    /// What planning a check would meet: the limits it breaks and the checks to merge with.
    pub async fn assess_check(&self, new: &NewCheck) -> StoreResult<CheckAssessment> {
        let mut conn = self.pool.acquire().await?;
        let (_, _, _, violations, merge_with) = assess(&mut conn, new).await?;
        Ok(CheckAssessment {
            violations,
            merge_with,
        })
    }

    /// Registers a planned check. Refused with the reason when it breaks a limit, unless
    /// `overridden` names an active user whose role may override and whose region covers the
    /// unit, with a written justification — then registered with the override recorded.
    pub async fn plan_check(
        &self,
        change: &Change,
        new: NewCheck,
        overridden: Option<CheckOverride>,
    ) -> StoreResult<PlannedCheck> {
        let mut w = Writer::begin(self, change).await?;
        let (_, on, candidate, violations, merge_with) = assess(w.conn(), &new).await?;
        let (override_by, override_justification) = match (&violations.is_empty(), overridden) {
            (true, _) => (None, None),
            (false, None) => return Err(refusal(&violations)),
            (false, Some(o)) => {
                let sql = format!(
                    "SELECT {} FROM user_current WHERE username = $1",
                    User::column_list()
                );
                let user = sqlx::query(&sql)
                    .bind(o.username.trim())
                    .fetch_optional(w.conn())
                    .await?
                    .map(|r| User::from_row(&r))
                    .transpose()?
                    .filter(|u| u.active)
                    .ok_or_else(|| {
                        StoreError::invalid(
                            "override",
                            format!("no active user {}", o.username.trim()),
                        )
                    })?;
                if !may_override(user.role) {
                    return Err(StoreError::invalid(
                        "override",
                        format!(
                            "{}({})无权超限登记;{}",
                            user.username,
                            user.role.name_zh(),
                            ecoduty_domain::supervision::checks::refusal(&violations)
                        ),
                    ));
                }
                if !Scope::of(user.region_code.as_ref()).contains(&on.region_code) {
                    return Err(StoreError::invalid(
                        "override",
                        format!(
                            "{} 的管辖范围不含被检查单位所在区划 {}",
                            user.username, on.region_code
                        ),
                    ));
                }
                check_justification(&o.justification)
                    .map_err(|r| StoreError::refused("justification", r))?;
                (
                    Some(user.username),
                    Some(o.justification.trim().to_string()),
                )
            }
        };
        let check = Check {
            id: versioned::next_id::<Check>(w.conn()).await?,
            rev: 1,
            by_organisation_id: candidate.by_org,
            by_level: candidate.by_level,
            on_organisation_id: on.id,
            region_code: on.region_code.clone(),
            kind: new.kind,
            subject: new.subject.trim().to_string(),
            date: new.date,
            status: CheckStatus::Planned,
            violations,
            override_by,
            override_justification,
        };
        let action = if check.override_by.is_some() {
            "plan_override"
        } else {
            "plan"
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: check.clone(),
                before: None,
                action,
            }],
        )
        .await?;
        w.commit().await?;
        Ok(PlannedCheck { check, merge_with })
    }

    /// Records that a planned check took place, or that it is cancelled.
    pub async fn set_check_status(
        &self,
        change: &Change,
        id: i64,
        status: CheckStatus,
    ) -> StoreResult<Check> {
        let mut w = Writer::begin(self, change).await?;
        let before: Check = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("check", id))?;
        if before.status != CheckStatus::Planned || status == CheckStatus::Planned {
            return Err(StoreError::invalid(
                "status",
                format!(
                    "check #{id} is {}: only a planned check is done or cancelled",
                    before.status.name_zh()
                ),
            ));
        }
        let after = Check {
            rev: before.rev + 1,
            status,
            ..before.clone()
        };
        let action = if status == CheckStatus::Done {
            "done"
        } else {
            "cancel"
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action,
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    pub async fn check(&self, id: i64) -> StoreResult<Option<Check>> {
        versioned::current(self, id).await
    }

    fn check_where(filter: &CheckFilter) -> Where {
        let mut w = Where::default();
        w.within("region_code", filter.within.as_ref());
        if let Some(y) = filter.year {
            let lo = w.bind(format!("{y:04}-01-01"));
            let hi = w.bind(format!("{:04}-01-01", y + 1));
            w.and(format!("check_date >= {lo} AND check_date < {hi}"));
        }
        if let Some(id) = filter.by_organisation_id {
            let p = w.bind(id);
            w.and(format!("by_organisation_id = {p}"));
        }
        if let Some(id) = filter.on_organisation_id {
            let p = w.bind(id);
            w.and(format!("on_organisation_id = {p}"));
        }
        if let Some(s) = filter.status {
            let p = w.bind(s.key());
            w.and(format!("status = {p}"));
        }
        w
    }

    /// Registered checks, newest first.
    pub async fn checks_page(
        &self,
        filter: &CheckFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Check>> {
        let (before, limit) = page.bounds();
        let mut w = Self::check_where(filter);
        let b = w.bind(before);
        w.and(format!("check_id < {b}"));
        let n = w.bind(limit + 1);
        let sql = format!(
            "SELECT {} FROM check_current{} ORDER BY check_id DESC LIMIT {n}",
            Check::column_list(),
            w.sql()
        );
        let rows = w.query(&sql).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(Check::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |c| c.id))
    }

    /// Every live check a filter selects (for the merge and burden reports).
    async fn live_checks(&self, within: Option<&RegionCode>, year: i32) -> StoreResult<Vec<Check>> {
        let mut w = Self::check_where(&CheckFilter {
            within: within.cloned(),
            year: Some(year),
            ..Default::default()
        });
        w.and("status <> 'cancelled'");
        let sql = format!(
            "SELECT {} FROM check_current{} ORDER BY check_id",
            Check::column_list(),
            w.sql()
        );
        let rows = w.query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(Check::from_row).collect()
    }

    /// Pairs of live checks of one unit within the merge window, in a year.
    pub async fn check_merge_suggestions(
        &self,
        within: Option<&RegionCode>,
        year: i32,
    ) -> StoreResult<Vec<MergeRow>> {
        let window = self.check_rules().await?.merge_window_days;
        let checks = self.live_checks(within, year).await?;
        let refs: Vec<CheckRef> = checks.iter().map(Check::as_ref).collect();
        let by_id: std::collections::HashMap<i64, &Check> =
            checks.iter().map(|c| (c.id, c)).collect();
        let mut out = Vec::new();
        for m in merge_suggestions(&refs, window) {
            out.push(MergeRow {
                unit: self.require_organisation(m.on_org).await?,
                first: by_id[&m.first].clone(),
                second: by_id[&m.second].clone(),
                days_apart: m.days_apart,
            });
        }
        Ok(out)
    }

    /// How many checks each unit within a region received in a year, and from whom.
    pub async fn check_burden(
        &self,
        within: Option<&RegionCode>,
        year: i32,
    ) -> StoreResult<Vec<BurdenRow>> {
        let checks = self.live_checks(within, year).await?;
        let refs: Vec<CheckRef> = checks.iter().map(Check::as_ref).collect();
        let mut out = Vec::new();
        for b in burden(&refs) {
            let mut by_body = Vec::new();
            for (org, n) in b.by_body {
                by_body.push((self.require_organisation(org).await?, n));
            }
            out.push(BurdenRow {
                unit: self.require_organisation(b.on_org).await?,
                total: b.total,
                done: checks
                    .iter()
                    .filter(|c| c.on_organisation_id == b.on_org && c.status == CheckStatus::Done)
                    .count() as u32,
                by_body,
            });
        }
        Ok(out)
    }
}
