//! The yearly assessment (考核评价, Arts. 14–16) as pure rules.
//!
//! 第十四条: 落实生态环境保护责任制情况作为考核评价的重要方面. Every year the assessing level
//! publishes a scheme (考核细则): a table of items with points, scoring rules and the
//! department that scores each, over the units it assesses (the regions under it, or its
//! departments). This module holds what that scheme means and how a unit's score follows
//! from facts already recorded — not from new reports (第十五条: 精简考核指标, 防止形式主义).
//!
//! - [`scheme`]: the scheme, its items, rules with their parameters, grades and the quota.
//! - [`sheet`]: the scheme as the sheet it is published in (项目, 分值, 考核内容, 评分标准,
//!   负责考核部门, 规则类型, 参数 …), read all or nothing and written back.
//! - [`rules`]: one pure function per rule type, from a unit's facts to an explained line.
//! - [`scoring`]: a unit's lines and total, then grades (thresholds, veto, quota) and ranks.
//! - [`tenure_share`]: how much of a year each holder of a post held it, by days.
//!
//! The store gathers the facts ([`rules::UnitFacts`]) from the records and keeps the runs.

pub mod rules;
pub mod scheme;
pub mod scoring;
pub mod sheet;
pub mod tenure_share;

use serde::{Deserialize, Serialize};

use crate::region::RegionCode;

/// What a scheme assesses: a region (by its code) or an organisation (a department, by id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum UnitRef {
    Region(RegionCode),
    Organisation(i64),
}

impl UnitRef {
    /// The unit as files and the CLI write it: a region code, or `org:ID`.
    pub fn key(&self) -> String {
        match self {
            UnitRef::Region(code) => code.to_string(),
            UnitRef::Organisation(id) => format!("org:{id}"),
        }
    }

    /// Reads a unit as [`UnitRef::key`] writes it (region codes in any accepted form).
    pub fn parse(s: &str) -> Result<UnitRef, String> {
        let t = s.trim();
        if let Some(id) = t.strip_prefix("org:") {
            return id
                .trim()
                .parse::<i64>()
                .map(UnitRef::Organisation)
                .map_err(|_| format!("{t:?}: an organisation is written org:ID"));
        }
        t.parse::<RegionCode>()
            .map(UnitRef::Region)
            .map_err(|e| format!("{t:?}: {e}"))
    }
}

impl std::fmt::Display for UnitRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// Points are kept to two decimals, as the sheets print them; every line is rounded once, and
/// a total is the sum of its rounded lines (so the printed lines add up to the printed total).
pub fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    // No "-0" in a sheet.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// A number as the sheets print it: no trailing zeros (10, 7.5, 2.25).
pub fn fmt_points(x: f64) -> String {
    let s = format!("{:.2}", round2(x));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_back_what_they_write() {
        let r = UnitRef::parse("4108").unwrap();
        assert_eq!(r.key(), "410800");
        assert_eq!(UnitRef::parse(&r.key()).unwrap(), r);
        let o = UnitRef::parse("org:17").unwrap();
        assert_eq!(o, UnitRef::Organisation(17));
        assert_eq!(o.key(), "org:17");
        assert!(UnitRef::parse("org:x").unwrap_err().contains("org:ID"));
    }

    #[test]
    fn points_print_without_trailing_zeros() {
        assert_eq!(fmt_points(10.0), "10");
        assert_eq!(fmt_points(7.5), "7.5");
        assert_eq!(fmt_points(2.255), "2.26");
        assert_eq!(fmt_points(-0.001), "0");
    }
}
