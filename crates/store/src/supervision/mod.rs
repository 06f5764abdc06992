//! The supervision loop in the store: work being assigned, followed and proven done.
//!
//! One module per record family, each holding its record types and all its queries:
//! - [`plans`]: annual key work plans, their tasks, progress reports, dispatch rounds (调度).
//! - [`inspections`]: inspections (督察) and the regions they covered.
//! - [`findings`]: findings and their rectification, one version per step of their life; the
//!   ledger sheet's import and export.
//! - [`evidence`]: evidence files by content hash.
//! - [`checks`]: Art. 15's register of checks (监督检查), its limits, merges and burden.
//! - [`complaints`]: public complaints (信访/举报) with tracking codes.
//! - [`notifications`]: inboxes of users and of the people holding responsible posts.
//! - [`scheduler`]: the periodic pass that marks what is due and overdue and tells people.
//! - [`outbox`]: external delivery of notifications to a webhook, retried until accepted.
//!
//! Every list the web layer shows is filterable by region subtree and read a page at a time,
//! newest first, by keyset on the id ([`PageRequest`], [`Page`]). Rules live in
//! `ecoduty_domain::supervision`; this module stores what they decide.

pub mod checks;
pub mod complaints;
pub mod evidence;
pub mod findings;
pub mod inspections;
pub mod notifications;
pub mod outbox;
pub mod plans;
pub mod scheduler;

use chrono::{DateTime, NaiveDate, Utc};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, StoreResult};

pub use scheduler::{Clock, FixedClock, SystemClock};

/// Which page of a list: the `limit` rows with ids below `before` (the last id of the page
/// before), newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub before: Option<i64>,
    pub limit: i64,
}

impl PageRequest {
    /// The most rows a page may hold.
    pub const MAX_LIMIT: i64 = 500;

    pub fn first(limit: i64) -> PageRequest {
        PageRequest {
            before: None,
            limit,
        }
    }

    fn bounds(&self) -> (i64, i64) {
        (
            self.before.unwrap_or(i64::MAX),
            self.limit.clamp(1, Self::MAX_LIMIT),
        )
    }
}

/// A page of a list, and where the next one starts (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_before: Option<i64>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows read (the extra row says there is more).
    fn from_rows(mut items: Vec<T>, limit: i64, id: impl Fn(&T) -> i64) -> Page<T> {
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let next_before = if more { items.last().map(&id) } else { None };
        Page { items, next_before }
    }
}

/// A file cited as evidence: its content digest and the name it was given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceRef {
    pub sha256: String,
    pub name: String,
}

/// The half-open text range `[lo, hi)` holding every region code within `region`: codes
/// starting with its subtree prefix. Ranges rather than LIKE so that SQLite uses the index
/// (its LIKE is case-insensitive and skips BINARY indexes). `hi` is the prefix incremented
/// as a number of the same width, which sorts right under any collation of digits.
pub(crate) fn region_range(region: Option<&RegionCode>) -> (String, String) {
    let Some(region) = region else {
        return (String::new(), String::new());
    };
    let prefix = region.subtree_prefix();
    let width = prefix.len();
    let hi = prefix
        .parse::<u64>()
        .ok()
        .map(|n| format!("{:0width$}", n + 1))
        .filter(|s| s.len() == width)
        .unwrap_or_else(|| "99999999999".to_string());
    (prefix.to_string(), hi)
}

/// SQL testing that `column` lies in the range bound at `$lo`, `$hi` (an empty `lo` for all).
pub(crate) fn region_clause(column: &str, lo: usize, hi: usize) -> String {
    format!("(${lo} = '' OR ({column} >= ${lo} AND {column} < ${hi}))")
}

/// A WHERE clause built from the filters present, with its values bound in order: one SQL
/// text per combination of filters, so that the planner sees exactly the constraints asked.
#[derive(Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    binds: Vec<crate::sql::Value>,
}

impl Where {
    /// Binds a value; returns its placeholder.
    pub fn bind(&mut self, value: impl Into<crate::sql::Value>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    pub fn and(&mut self, clause: impl Into<String>) {
        self.clauses.push(clause.into());
    }

    /// Adds `column` within the region's subtree, if a region is given.
    pub fn within(&mut self, column: &str, region: Option<&RegionCode>) {
        if region.is_some() {
            let (lo, hi) = region_range(region);
            let lo = self.bind(lo);
            let hi = self.bind(hi);
            self.and(format!("{column} >= {lo} AND {column} < {hi}"));
        }
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The query with every value bound.
    pub fn query<'q>(
        &self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        use crate::sql::Value;
        let mut q = sqlx::query(sql);
        for v in &self.binds {
            q = match v.clone() {
                Value::Int(x) => q.bind(x),
                Value::Text(x) => q.bind(x),
                Value::OptText(x) => q.bind(x),
                Value::OptInt(x) => q.bind(x),
            };
        }
        q
    }
}

pub(crate) fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub(crate) fn parse_ids(text: &str) -> StoreResult<Vec<i64>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse()
                .map_err(|_| StoreError::Corrupt(format!("id list {text:?}")))
        })
        .collect()
}

pub(crate) fn json_text<T: Serialize>(value: &T) -> String {
    crate::ledger::to_json(value)
}

pub(crate) fn parse_json<T: for<'de> Deserialize<'de>>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("JSON {text:?}: {e}")))
}

pub(crate) fn parse_day(text: &str) -> StoreResult<NaiveDate> {
    text.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {text:?}: {e}")))
}

pub(crate) fn parse_opt_day(text: Option<String>) -> StoreResult<Option<NaiveDate>> {
    text.as_deref().map(parse_day).transpose()
}

pub(crate) fn parse_code(text: &str) -> StoreResult<RegionCode> {
    RegionCode::parse(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn parse_key<T: std::str::FromStr<Err = String>>(text: &str) -> StoreResult<T> {
    text.parse().map_err(StoreError::Corrupt)
}

/// A timestamp as stored: RFC 3339 in UTC with microseconds (sorts as text).
pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn region_ranges_hold_the_subtree_and_nothing_else() {
        for (root, inside, outside) in [
            ("410000", "410883001", "420100"),
            ("410800", "410883", "410900"),
            ("419900", "419901", "420000"),
            ("410883", "410883001", "410884"),
            ("410883001", "410883001", "410883002"),
        ] {
            let (lo, hi) = region_range(Some(&code(root)));
            assert!(
                inside >= lo.as_str() && inside < hi.as_str(),
                "{root}: {inside}"
            );
            assert!(
                !(outside >= lo.as_str() && outside < hi.as_str()),
                "{root}: {outside}"
            );
            assert!(root >= lo.as_str() && root < hi.as_str());
        }
        assert_eq!(region_range(None), (String::new(), String::new()));
    }

    #[test]
    fn pages_say_where_the_next_starts() {
        let p = Page::from_rows(vec![9, 8, 7], 2, |x| *x);
        assert_eq!(p.items, vec![9, 8]);
        assert_eq!(p.next_before, Some(8));
        let last = Page::from_rows(vec![9, 8], 2, |x| *x);
        assert_eq!(last.next_before, None);
        assert_eq!(
            PageRequest::first(10_000).bounds().1,
            PageRequest::MAX_LIMIT
        );
    }

    #[test]
    fn id_lists() {
        assert_eq!(ids_text(&[3, 5]), "3,5");
        assert_eq!(parse_ids("3,5").unwrap(), vec![3, 5]);
        assert_eq!(parse_ids("").unwrap(), Vec::<i64>::new());
        assert!(parse_ids("3,x").is_err());
    }
}
