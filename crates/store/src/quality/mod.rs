//! Environmental quality in the store: monitoring data, binding-indicator targets, values
//! departments report by hand, and what they add up to — each indicator's status against its
//! target and the early warnings, addressed to the people who hold the answering posts.
//!
//! One module per entity family: [`air`] (stations and hourly values), [`water`] (sections
//! and measurements), [`targets`], [`reports`] (hand-reported values with evidence), and
//! [`status`] (year-to-date series from the stored data, status, warnings).
//!
//! Two kinds of record, two ways of keeping them:
//! - Bulk monitoring data is kept in plain append-only tables. Each import is one row and one
//!   ledger entry (`air_import`, `water_import`) recording the files, their SHA-256 digests,
//!   counts, what was skipped, and a digest of the rows written, which
//!   [`crate::Store::verify_ledger`] recomputes. A file already imported (same digest) changes
//!   nothing; a corrected file is a new import whose rows supersede the older import's for the
//!   same station-day or section-month. Both stay; the `*_current` views derive which counts.
//! - Targets and hand-reported values are versioned records like tenures: every change is a
//!   new version with its own ledger entry.

pub mod air;
pub mod reports;
pub mod status;
pub mod targets;
pub mod water;

use chrono::{Datelike, NaiveDate};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sha2::Digest;

/// A file an import came from: its name as the user gave it and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub sha256: String,
}

impl SourceFile {
    /// Names a file and digests its bytes.
    pub fn of(name: impl Into<String>, bytes: &[u8]) -> SourceFile {
        SourceFile {
            name: name.into(),
            sha256: sha256_hex(bytes),
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A running digest of the rows an import writes, one JSON line per row in write order. The
/// import's ledger entry records it; verification reads the rows back and recomputes it.
pub(crate) struct RowDigest(sha2::Sha256);

impl RowDigest {
    pub fn new() -> RowDigest {
        RowDigest(sha2::Sha256::new())
    }

    pub fn add<T: Serialize>(&mut self, row: &T) {
        self.0.update(crate::ledger::to_json(row).as_bytes());
        self.0.update(b"\n");
    }

    pub fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

/// Whether a stored region code (text) lies within `region` (or is it).
pub(crate) fn code_within(code: &str, region: &RegionCode) -> bool {
    RegionCode::parse(code).is_ok_and(|c| c.is_within(region))
}

/// How much of `year` has passed on `at`: whether the year is over, and how many whole months
/// lie before `at` (12 once the year is over, 0 before it begins). Year-to-date values are
/// taken at the end of whole months only, so that they line up with the path of
/// `ecoduty_indicators::evaluate`, which is expected values at month ends.
pub(crate) fn months_elapsed(year: i32, at: NaiveDate) -> (bool, u8) {
    match at.year().cmp(&year) {
        std::cmp::Ordering::Greater => (true, 12),
        std::cmp::Ordering::Less => (false, 0),
        std::cmp::Ordering::Equal => (false, at.month0() as u8),
    }
}

/// The first day after month `month` (1–12) of `year`.
pub(crate) fn month_end_exclusive(year: i32, month: u8) -> NaiveDate {
    if month >= 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, u32::from(month) + 1, 1)
    }
    .expect("a valid month")
}

/// Earlier years used as the seasonal shape of a path: at most this many, the most recent.
pub const HISTORY_YEARS: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_elapsed_counts_whole_months_before_the_day() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(months_elapsed(2025, d("2025-01-20")), (false, 0));
        assert_eq!(months_elapsed(2025, d("2025-07-01")), (false, 6));
        assert_eq!(months_elapsed(2025, d("2025-12-31")), (false, 11));
        assert_eq!(months_elapsed(2025, d("2026-01-01")), (true, 12));
        assert_eq!(months_elapsed(2025, d("2024-06-01")), (false, 0));
        assert_eq!(month_end_exclusive(2025, 2), d("2025-03-01"));
        assert_eq!(month_end_exclusive(2025, 12), d("2026-01-01"));
    }

    #[test]
    fn codes_within_a_region() {
        let city = RegionCode::parse("410800").unwrap();
        assert!(code_within("410800", &city));
        assert!(code_within("410883", &city));
        assert!(!code_within("410900", &city));
        assert!(!code_within("not a code", &city));
    }
}
