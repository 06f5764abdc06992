//! How much of a year each holder of a post held it, by days — so that a region's result names
//! the people who answer for it in proportion to the time they were in charge.
//!
//! A tenure runs from its start date up to its end date, the day the holder left (a successor
//! may start that day, see [`crate::tenure`]): the half-open range `[start, end)`. A year is
//! `[1 January, 1 January next)`. The days of a tenure in a year are the days of their
//! overlap, so the tenures of a post that was always held add up to the days of the year.

use chrono::{Datelike, NaiveDate};

/// The first day of `year` and of the year after.
fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"),
        NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid year"),
    )
}

/// The days of `year` (365 or 366).
pub fn days_in_year(year: i32) -> i64 {
    let (a, b) = year_bounds(year);
    (b - a).num_days()
}

/// The days of `year` within the tenure `[start, end)` (`end` `None` while it runs).
pub fn tenure_days_in_year(start: NaiveDate, end: Option<NaiveDate>, year: i32) -> i64 {
    let (a, b) = year_bounds(year);
    let from = start.max(a);
    let to = end.map_or(b, |e| e.min(b));
    (to - from).num_days().max(0)
}

/// The years a tenure touches, with its days in each.
pub fn tenure_years(start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) -> Vec<(i32, i64)> {
    let last = end.map_or(today, |e| e.pred_opt().unwrap_or(e)).year();
    (start.year()..=last.max(start.year()))
        .map(|y| (y, tenure_days_in_year(start, end, y)))
        .filter(|(_, d)| *d > 0)
        .collect()
}

/// A share of the year, in percent to one decimal.
pub fn share_percent(days: i64, year: i32) -> f64 {
    (days as f64 * 1000.0 / days_in_year(year) as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_mid_year_handover_splits_the_days() {
        // Left on 1 July 2025, the successor started that day.
        assert_eq!(
            tenure_days_in_year(d("2021-03-01"), Some(d("2025-07-01")), 2025),
            181
        );
        assert_eq!(tenure_days_in_year(d("2025-07-01"), None, 2025), 184);
        assert_eq!(tenure_days_in_year(d("2026-02-01"), None, 2025), 0);
        assert_eq!(
            tenure_days_in_year(d("2019-02-01"), Some(d("2024-01-01")), 2024),
            0
        );
        assert_eq!(days_in_year(2024), 366);
        assert_eq!(share_percent(181, 2025), 49.6);
        assert_eq!(
            tenure_years(d("2023-11-01"), Some(d("2025-01-01")), d("2026-12-06")),
            vec![(2023, 61), (2024, 366)]
        );
    }

    proptest! {
        #[test]
        fn tenure_days_sum_to_the_year_where_the_post_was_always_held(
            year in 2000i32..2040,
            cuts in proptest::collection::vec(1i64..365, 0..6),
            before in 0i64..2000,
            open in any::<bool>(),
        ) {
            // Handover days inside the year, the first holder from before it, the last still
            // in office or gone after it.
            let (a, b) = year_bounds(year);
            let mut days: Vec<NaiveDate> = cuts.iter().map(|c| a + chrono::Duration::days(*c)).collect();
            days.sort();
            days.dedup();
            let mut starts = vec![a - chrono::Duration::days(before)];
            starts.extend(days.iter().copied());
            let mut ends: Vec<Option<NaiveDate>> = days.iter().copied().map(Some).collect();
            ends.push(if open { None } else { Some(b + chrono::Duration::days(30)) });
            let total: i64 = starts.iter().zip(&ends).map(|(s, e)| tenure_days_in_year(*s, *e, year)).sum();
            prop_assert_eq!(total, days_in_year(year));
        }
    }
}
