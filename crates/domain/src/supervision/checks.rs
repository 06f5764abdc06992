//! Art. 15 (第十五条): control the total number and the frequency of checks (监督检查) on
//! the grassroots. Every check planned or done is registered; a plan that would break the
//! limits set for the checking body's level is refused with the reason, unless a user whose
//! role allows it overrides the refusal with a written justification. Two checks of one unit
//! close together are suggested for merging, and the burden each unit bears is counted.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{keyed_enum, Reason};
use crate::access::UserRole;
use crate::region::RegionLevel;

keyed_enum! {
    /// What sort of check it is.
    CheckKind {
        Inspection => "inspection", "督查检查",
        Assessment => "assessment", "考核评价",
        Survey => "survey", "调研",
        Audit => "audit", "审计",
        Other => "other", "其他",
    }
}

keyed_enum! {
    /// Where a registered check stands.
    CheckStatus {
        Planned => "planned", "计划",
        Done => "done", "已开展",
        Cancelled => "cancelled", "已取消",
    }
}

/// The limits on checks by bodies of one level, on any one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limit {
    /// Checks of one unit per calendar year by bodies of this level.
    pub max_per_year: u32,
    /// Days that must lie between two checks of one unit by bodies of this level.
    pub min_days_between: u32,
}

/// The limits of a deployment: per level of the checking body, and the window within which
/// two checks of one unit are suggested for merging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckLimits {
    pub by_level: BTreeMap<RegionLevel, Limit>,
    pub merge_window_days: u32,
}

/// The merge window when none is set.
pub const DEFAULT_MERGE_WINDOW_DAYS: u32 = 30;

impl Default for CheckLimits {
    /// Starting values for a deployment to replace with its own rules (the regulation sets no
    /// numbers): higher levels check less often.
    fn default() -> Self {
        let limit = |max_per_year, min_days_between| Limit {
            max_per_year,
            min_days_between,
        };
        CheckLimits {
            by_level: BTreeMap::from([
                (RegionLevel::Province, limit(2, 90)),
                (RegionLevel::Prefecture, limit(3, 60)),
                (RegionLevel::County, limit(4, 30)),
                (RegionLevel::Township, limit(6, 15)),
            ]),
            merge_window_days: DEFAULT_MERGE_WINDOW_DAYS,
        }
    }
}

impl CheckLimits {
    pub fn limit(&self, level: RegionLevel) -> Option<Limit> {
        self.by_level.get(&level).copied()
    }
}

/// A registered check as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckRef {
    /// `None` for a check being planned.
    pub id: Option<i64>,
    /// The checking body (organisation) and its region's level.
    pub by_org: i64,
    pub by_level: RegionLevel,
    /// The unit checked (organisation).
    pub on_org: i64,
    pub date: NaiveDate,
}

/// Why planning a check breaks a limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Violation {
    /// The unit would have more checks this year by bodies of this level than allowed.
    TooMany {
        level: RegionLevel,
        year: i32,
        max_per_year: u32,
        /// Checks already registered that count.
        existing: Vec<i64>,
    },
    /// Another check of the unit by a body of this level lies too close.
    TooSoon {
        level: RegionLevel,
        min_days_between: u32,
        other: i64,
        other_date: NaiveDate,
        days_apart: i64,
    },
}

impl Violation {
    /// The reason, in the words a refusal gives.
    pub fn reason_zh(&self) -> String {
        self.reason().zh
    }

    /// The reason in English.
    pub fn reason_en(&self) -> String {
        self.reason().en
    }

    /// The reason in both languages.
    pub fn reason(&self) -> Reason {
        match self {
            Violation::TooMany {
                level,
                year,
                max_per_year,
                existing,
            } => Reason::new(
                format!(
                    "第十五条:{year}年{}机关对该单位的监督检查已有{}次,上限为每年{max_per_year}次",
                    level.name_zh(),
                    existing.len()
                ),
                format!(
                    "Art. 15: the unit already has {} check(s) by {} bodies in {year}; the limit is {max_per_year} a year",
                    existing.len(),
                    level.name_en()
                ),
            ),
            Violation::TooSoon {
                level,
                min_days_between,
                other,
                other_date,
                days_apart,
            } => Reason::new(
                format!(
                    "第十五条:与{}机关的检查#{other}({other_date})仅相隔{days_apart}天,两次检查须相隔至少{min_days_between}天",
                    level.name_zh()
                ),
                format!(
                    "Art. 15: only {days_apart} day(s) from check #{other} ({other_date}) by a {} body; two checks must be at least {min_days_between} days apart",
                    level.name_en()
                ),
            ),
        }
    }
}

/// The refusal of a plan that breaks limits, every broken limit listed.
pub fn refusal(violations: &[Violation]) -> Reason {
    let reasons: Vec<Reason> = violations.iter().map(Violation::reason).collect();
    Reason::new(
        format!(
            "超出监督检查限额,不予登记:{}。确需开展的,由地区管理员书面说明理由后超限登记",
            reasons.iter().map(|r| r.zh.as_str()).collect::<Vec<_>>().join(";")
        ),
        format!(
            "Beyond the limits on checks, not registered: {}. If it must go ahead, a region administrator may register it with a written justification",
            reasons.iter().map(|r| r.en.as_str()).collect::<Vec<_>>().join("; ")
        ),
    )
}

/// The limits `candidate` would break, given the other live (not cancelled) checks.
pub fn evaluate(
    candidate: &CheckRef,
    existing: &[CheckRef],
    limits: &CheckLimits,
) -> Vec<Violation> {
    let Some(limit) = limits.limit(candidate.by_level) else {
        return Vec::new();
    };
    let peers: Vec<&CheckRef> = existing
        .iter()
        .filter(|c| {
            c.on_org == candidate.on_org
                && c.by_level == candidate.by_level
                && (candidate.id.is_none() || c.id != candidate.id)
        })
        .collect();
    let mut out = Vec::new();
    let year = candidate.date.year();
    let same_year: Vec<i64> = peers
        .iter()
        .filter(|c| c.date.year() == year)
        .filter_map(|c| c.id)
        .collect();
    if same_year.len() as u64 + 1 > u64::from(limit.max_per_year) {
        out.push(Violation::TooMany {
            level: candidate.by_level,
            year,
            max_per_year: limit.max_per_year,
            existing: same_year,
        });
    }
    if let Some(close) = peers
        .iter()
        .map(|c| (c, (c.date - candidate.date).num_days().abs()))
        .filter(|(_, gap)| *gap < i64::from(limit.min_days_between))
        .min_by_key(|(c, gap)| (*gap, c.id))
    {
        out.push(Violation::TooSoon {
            level: candidate.by_level,
            min_days_between: limit.min_days_between,
            other: close.0.id.unwrap_or_default(),
            other_date: close.0.date,
            days_apart: close.1,
        });
    }
    out
}

/// Who may plan a check despite a refusal: those who run a region.
pub fn may_override(role: UserRole) -> bool {
    matches!(role, UserRole::SystemAdmin | UserRole::RegionAdmin)
}

/// A justification is written out, not a word.
pub fn check_justification(text: &str) -> Result<(), Reason> {
    if text.trim().chars().count() < 8 {
        Err(Reason::new(
            "超出第十五条限额须书面说明理由(至少8个字)",
            "Planning beyond Art. 15's limits needs a written justification (at least 8 characters)",
        ))
    } else {
        Ok(())
    }
}

/// Two checks of one unit close enough to merge into one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeSuggestion {
    pub on_org: i64,
    pub first: i64,
    pub second: i64,
    pub days_apart: i64,
}

/// Pairs of checks of one unit within `window_days` of each other (each check paired with the
/// next ones in date order while within the window), by unit and date.
pub fn merge_suggestions(checks: &[CheckRef], window_days: u32) -> Vec<MergeSuggestion> {
    let mut by_unit: BTreeMap<i64, Vec<&CheckRef>> = BTreeMap::new();
    for c in checks.iter().filter(|c| c.id.is_some()) {
        by_unit.entry(c.on_org).or_default().push(c);
    }
    let mut out = Vec::new();
    for (unit, mut list) in by_unit {
        list.sort_by_key(|c| (c.date, c.id));
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                let gap = (b.date - a.date).num_days();
                if gap > i64::from(window_days) {
                    break;
                }
                out.push(MergeSuggestion {
                    on_org: unit,
                    first: a.id.unwrap_or_default(),
                    second: b.id.unwrap_or_default(),
                    days_apart: gap,
                });
            }
        }
    }
    out
}

/// The checks one unit received, in total and from each body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitBurden {
    pub on_org: i64,
    pub total: u32,
    /// (checking organisation, checks), most first.
    pub by_body: Vec<(i64, u32)>,
}

/// Burden per unit, heaviest first.
pub fn burden(checks: &[CheckRef]) -> Vec<UnitBurden> {
    let mut by_unit: BTreeMap<i64, BTreeMap<i64, u32>> = BTreeMap::new();
    for c in checks {
        *by_unit
            .entry(c.on_org)
            .or_default()
            .entry(c.by_org)
            .or_default() += 1;
    }
    let mut out: Vec<UnitBurden> = by_unit
        .into_iter()
        .map(|(on_org, bodies)| {
            let mut by_body: Vec<(i64, u32)> = bodies.into_iter().collect();
            by_body.sort_by_key(|(org, n)| (std::cmp::Reverse(*n), *org));
            UnitBurden {
                on_org,
                total: by_body.iter().map(|(_, n)| n).sum(),
                by_body,
            }
        })
        .collect();
    out.sort_by_key(|b| (std::cmp::Reverse(b.total), b.on_org));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn check(id: i64, by_org: i64, level: RegionLevel, on_org: i64, date: &str) -> CheckRef {
        CheckRef {
            id: Some(id),
            by_org,
            by_level: level,
            on_org,
            date: d(date),
        }
    }

    fn plan(by_org: i64, level: RegionLevel, on_org: i64, date: &str) -> CheckRef {
        CheckRef {
            id: None,
            ..check(0, by_org, level, on_org, date)
        }
    }

    use RegionLevel::*;

    #[test]
    fn within_the_limits_nothing_is_refused() {
        let limits = CheckLimits::default();
        let existing = [check(1, 10, Prefecture, 50, "2026-01-10")];
        assert!(evaluate(&plan(10, Prefecture, 50, "2026-04-10"), &existing, &limits).is_empty());
        // Another unit, another level, or another year does not count.
        let many = [
            check(1, 10, Prefecture, 50, "2026-01-10"),
            check(2, 11, Prefecture, 50, "2026-04-10"),
            check(3, 12, Prefecture, 50, "2026-08-10"),
        ];
        assert!(evaluate(&plan(10, Prefecture, 51, "2026-11-10"), &many, &limits).is_empty());
        assert!(evaluate(&plan(20, County, 50, "2026-11-10"), &many, &limits).is_empty());
        assert!(evaluate(&plan(10, Prefecture, 50, "2027-01-10"), &many, &limits).is_empty());
    }

    #[test]
    fn too_many_checks_in_a_year() {
        let limits = CheckLimits::default();
        let existing = [
            check(1, 10, Prefecture, 50, "2026-01-10"),
            check(2, 11, Prefecture, 50, "2026-04-10"),
            check(3, 12, Prefecture, 50, "2026-08-10"),
        ];
        let v = evaluate(&plan(10, Prefecture, 50, "2026-11-10"), &existing, &limits);
        assert_eq!(
            v,
            vec![Violation::TooMany {
                level: Prefecture,
                year: 2026,
                max_per_year: 3,
                existing: vec![1, 2, 3]
            }]
        );
        assert_eq!(
            v[0].reason_zh(),
            "第十五条:2026年地级机关对该单位的监督检查已有3次,上限为每年3次"
        );
        assert_eq!(
            v[0].reason_en(),
            "Art. 15: the unit already has 3 check(s) by prefecture-level bodies in 2026; the limit is 3 a year"
        );
    }

    #[test]
    fn checks_too_close_together() {
        let limits = CheckLimits::default();
        let existing = [check(7, 10, Province, 50, "2026-03-01")];
        let v = evaluate(&plan(11, Province, 50, "2026-04-15"), &existing, &limits);
        assert_eq!(
            v,
            vec![Violation::TooSoon {
                level: Province,
                min_days_between: 90,
                other: 7,
                other_date: d("2026-03-01"),
                days_apart: 45
            }]
        );
        assert_eq!(
            v[0].reason_zh(),
            "第十五条:与省级机关的检查#7(2026-03-01)仅相隔45天,两次检查须相隔至少90天"
        );
        assert_eq!(
            v[0].reason_en(),
            "Art. 15: only 45 day(s) from check #7 (2026-03-01) by a provincial body; two checks must be at least 90 days apart"
        );
        let r = refusal(&v);
        assert!(
            r.zh.starts_with("超出监督检查限额,不予登记:第十五条:与省级机关"),
            "{}",
            r.zh
        );
        assert!(
            r.en.starts_with("Beyond the limits on checks, not registered: Art. 15: only 45"),
            "{}",
            r.en
        );
        // Before the other check counts too; exactly the minimum is allowed.
        assert_eq!(
            evaluate(&plan(11, Province, 50, "2026-01-15"), &existing, &limits).len(),
            1
        );
        assert!(evaluate(&plan(11, Province, 50, "2026-05-30"), &existing, &limits).is_empty());
        // Re-evaluating a registered check ignores itself.
        assert!(evaluate(&existing[0], &existing, &limits).is_empty());
    }

    #[test]
    fn a_level_without_limits_is_not_limited() {
        let mut limits = CheckLimits::default();
        limits.by_level.remove(&Township);
        let existing: Vec<CheckRef> = (1..20)
            .map(|i| check(i, 10, Township, 50, "2026-01-10"))
            .collect();
        assert!(evaluate(&plan(10, Township, 50, "2026-01-11"), &existing, &limits).is_empty());
    }

    #[test]
    fn overrides_need_the_role_and_words() {
        assert!(may_override(UserRole::RegionAdmin));
        assert!(may_override(UserRole::SystemAdmin));
        assert!(!may_override(UserRole::Inspector));
        assert!(!may_override(UserRole::Officer));
        let short = check_justification("紧急").unwrap_err();
        assert_eq!(short.zh, "超出第十五条限额须书面说明理由(至少8个字)");
        assert!(short.en.contains("at least 8 characters"), "{}", short.en);
        assert!(!short.pick(true).is_empty() && short.pick(false) == short.zh);
        assert!(check_justification("突发环境事件须立即现场检查").is_ok());
    }

    #[test]
    fn merges_and_burden() {
        let checks = [
            check(1, 10, Prefecture, 50, "2026-03-01"),
            check(2, 11, Prefecture, 50, "2026-03-20"),
            check(3, 12, County, 50, "2026-03-31"),
            check(4, 10, Prefecture, 50, "2026-06-01"),
            check(5, 10, Prefecture, 51, "2026-03-02"),
        ];
        let m = merge_suggestions(&checks, 30);
        assert_eq!(
            m,
            vec![
                MergeSuggestion {
                    on_org: 50,
                    first: 1,
                    second: 2,
                    days_apart: 19
                },
                MergeSuggestion {
                    on_org: 50,
                    first: 1,
                    second: 3,
                    days_apart: 30
                },
                MergeSuggestion {
                    on_org: 50,
                    first: 2,
                    second: 3,
                    days_apart: 11
                },
            ]
        );
        let b = burden(&checks);
        assert_eq!(b[0].on_org, 50);
        assert_eq!(b[0].total, 4);
        assert_eq!(b[0].by_body, vec![(10, 2), (11, 1), (12, 1)]);
        assert_eq!(
            b[1],
            UnitBurden {
                on_org: 51,
                total: 1,
                by_body: vec![(10, 1)]
            }
        );
    }
}
