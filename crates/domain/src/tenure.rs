//! Tenures (任职): who held a post from when to when.
//!
//! A tenure runs from its start date up to, but not including, its end date: the end date is the
//! day the holder left, so a successor may start that same day without overlapping. An open
//! tenure (no end date) runs until today and beyond. A post has one holder at a time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A half-open span of days `[start, end)`; `end = None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl DateRange {
    /// A range, refused when the end is not after the start.
    pub fn new(start: NaiveDate, end: Option<NaiveDate>) -> Result<Self, String> {
        if let Some(e) = end {
            if e <= start {
                return Err(format!(
                    "end date {e} is not after start date {start} (the end date is the day the holder left)"
                ));
            }
        }
        Ok(DateRange { start, end })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day < e)
    }

    pub fn overlaps(&self, other: &DateRange) -> bool {
        let self_before_other_ends = other.end.is_none_or(|e| self.start < e);
        let other_before_self_ends = self.end.is_none_or(|e| other.start < e);
        self_before_other_ends && other_before_self_ends
    }
}

impl std::fmt::Display for DateRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.end {
            Some(e) => write!(f, "{} – {}", self.start, e),
            None => write!(f, "{} – (open)", self.start),
        }
    }
}

/// A tenure as the overlap rule sees it: which post, which span, and a label that names it in
/// an error (a tenure id, or a roster line). A caller checking many tenures at once may label
/// them with something cheap (an index) and name only the overlaps found (see
/// [`Overlap::map_labels`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenureSpan<L = String> {
    pub post_id: i64,
    pub range: DateRange,
    pub label: L,
}

/// Two tenures of one post that overlap, named so that the user can find both.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{first} ({first_range}) overlaps {second} ({second_range}): a post has one holder at a time"
)]
pub struct Overlap<L = String> {
    pub first: L,
    pub first_range: DateRange,
    pub second: L,
    pub second_range: DateRange,
}

impl<L> Overlap<L> {
    /// The same overlap with each label replaced by `name(label)`.
    pub fn map_labels<M>(self, mut name: impl FnMut(L) -> M) -> Overlap<M> {
        Overlap {
            first: name(self.first),
            first_range: self.first_range,
            second: name(self.second),
            second_range: self.second_range,
        }
    }
}

/// Every overlapping pair among tenures of the same post, each pair reported once, in input
/// order. Sorting by start date makes this O(n log n) rather than comparing every pair.
pub fn find_overlaps<L: Clone>(spans: &[TenureSpan<L>]) -> Vec<Overlap<L>> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].post_id, spans[i].range.start, i));
    let mut out = Vec::new();
    let mut group_start = 0;
    while group_start < order.len() {
        let post = spans[order[group_start]].post_id;
        let mut group_end = group_start;
        while group_end < order.len() && spans[order[group_end]].post_id == post {
            group_end += 1;
        }
        let group = &order[group_start..group_end];
        for (k, &i) in group.iter().enumerate() {
            for &j in &group[k + 1..] {
                // Sorted by start: once j starts at or after i ends, no later j overlaps i.
                if let Some(end) = spans[i].range.end {
                    if spans[j].range.start >= end {
                        break;
                    }
                }
                let (a, b) = if i < j { (i, j) } else { (j, i) };
                out.push(Overlap {
                    first: spans[a].label.clone(),
                    first_range: spans[a].range,
                    second: spans[b].label.clone(),
                    second_range: spans[b].range,
                });
            }
        }
        group_start = group_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(post: i64, start: &str, end: Option<&str>, label: &str) -> TenureSpan {
        TenureSpan {
            post_id: post,
            range: DateRange::new(d(start), end.map(d)).unwrap(),
            label: label.into(),
        }
    }

    #[test]
    fn handover_on_the_same_day_is_not_an_overlap() {
        let a = span(1, "2020-01-01", Some("2022-03-15"), "A");
        let b = span(1, "2022-03-15", None, "B");
        assert!(find_overlaps(&[a.clone(), b.clone()]).is_empty());
        assert!(a.range.contains(d("2022-03-14")));
        assert!(!a.range.contains(d("2022-03-15")));
        assert!(b.range.contains(d("2022-03-15")));
    }

    #[test]
    fn overlaps_name_both_tenures() {
        let a = span(1, "2020-01-01", None, "tenure #7");
        let b = span(1, "2021-06-01", Some("2022-01-01"), "line 4");
        let c = span(2, "2021-06-01", None, "other post");
        let found = find_overlaps(&[a, b, c]);
        assert_eq!(found.len(), 1);
        let msg = found[0].to_string();
        assert!(msg.contains("tenure #7") && msg.contains("line 4"), "{msg}");
    }

    #[test]
    fn empty_or_reversed_ranges_are_refused() {
        assert!(DateRange::new(d("2020-01-01"), Some(d("2020-01-01"))).is_err());
        assert!(DateRange::new(d("2020-01-02"), Some(d("2020-01-01"))).is_err());
    }

    fn arb_range() -> impl Strategy<Value = DateRange> {
        (0i64..2000, proptest::option::of(1i64..800)).prop_map(|(s, len)| {
            let start = d("2015-01-01") + chrono::Duration::days(s);
            DateRange::new(start, len.map(|l| start + chrono::Duration::days(l))).unwrap()
        })
    }

    proptest! {
        /// The sweep finds exactly the pairs a brute-force comparison finds.
        #[test]
        fn sweep_matches_brute_force(ranges in proptest::collection::vec((0i64..3, arb_range()), 0..12)) {
            let spans: Vec<TenureSpan> = ranges.iter().enumerate()
                .map(|(i, (p, r))| TenureSpan { post_id: *p, range: *r, label: i.to_string() })
                .collect();
            let mut brute = 0;
            for i in 0..spans.len() {
                for j in i + 1..spans.len() {
                    if spans[i].post_id == spans[j].post_id && spans[i].range.overlaps(&spans[j].range) {
                        brute += 1;
                    }
                }
            }
            prop_assert_eq!(find_overlaps(&spans).len(), brute);
        }

        /// Overlap is symmetric and a range overlaps every day it contains.
        #[test]
        fn overlap_is_symmetric(a in arb_range(), b in arb_range()) {
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
            let day = a.start;
            prop_assert!(a.contains(day));
            prop_assert_eq!(b.contains(day) , b.overlaps(&DateRange::new(day, Some(day + chrono::Duration::days(1))).unwrap()));
        }
    }
}
