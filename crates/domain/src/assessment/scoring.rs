//! A unit's score (its lines and total) and the grades and ranks of all units of a scheme.
//!
//! Ranks are competition ranks (1, 2, 2, 4): tied totals share a rank. A vetoed unit gets the
//! lowest grade whatever its total and ranks after every unit that was not vetoed. The quota
//! (at most so many percent of the units in the best grade) is applied in rank order; a group
//! of tied units that would cross it is moved down together, so equal totals always get equal
//! grades and a higher total never gets a lower grade.

use serde::{Deserialize, Serialize};

use super::round2;
use super::rules::{score_item, Line, Period, UnitFacts};
use super::scheme::{Grading, Scheme};
use super::UnitRef;

/// One unit's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitScore {
    pub unit: UnitRef,
    /// The unit's name, for tables.
    pub name: String,
    pub total: f64,
    pub vetoed: bool,
    pub grade: String,
    pub rank: u32,
    /// Moved down from the best grade by the quota.
    pub quota_moved: bool,
    /// Lines not yet scorable (no target, no data, not yet entered).
    pub pending: u32,
    pub lines: Vec<Line>,
}

/// Scores every item of the scheme for one unit. Grade and rank are set by [`grade_and_rank`].
pub fn score_unit(
    scheme: &Scheme,
    unit: UnitRef,
    name: String,
    facts: &UnitFacts,
    period: Period,
) -> UnitScore {
    let lines: Vec<Line> = scheme
        .items
        .iter()
        .map(|item| score_item(item, facts, period))
        .collect();
    UnitScore {
        unit,
        name,
        total: total_of(&lines),
        vetoed: lines.iter().any(|l| l.vetoed),
        grade: String::new(),
        rank: 0,
        quota_moved: false,
        pending: lines.iter().filter(|l| l.pending).count() as u32,
        lines,
    }
}

/// The sum of the lines' points, to two decimals.
pub fn total_of(lines: &[Line]) -> f64 {
    round2(lines.iter().map(|l| l.earned).sum())
}

/// Sets every unit's rank and grade, and orders them by rank (then by unit).
pub fn grade_and_rank(units: &mut [UnitScore], grading: &Grading) {
    units.sort_by(|a, b| {
        a.vetoed
            .cmp(&b.vetoed)
            .then(b.total.total_cmp(&a.total))
            .then(a.unit.cmp(&b.unit))
    });
    let mut rank = 0u32;
    for i in 0..units.len() {
        let tied =
            i > 0 && units[i - 1].vetoed == units[i].vetoed && units[i - 1].total == units[i].total;
        if !tied {
            rank = i as u32 + 1;
        }
        units[i].rank = rank;
    }
    let allowed = grading
        .top_quota_percent
        .map(|q| ((units.len() as f64) * q / 100.0 + 1e-9).floor() as usize);
    let lowest = grading.lowest();
    let mut in_top = 0usize;
    // Once a group has been moved down, every lower total is too.
    let mut full = false;
    let mut i = 0;
    while i < units.len() {
        // A group of units with the same rank is graded together.
        let j = (i..units.len())
            .find(|&k| units[k].rank != units[i].rank)
            .unwrap_or(units.len());
        let mut band = if units[i].vetoed {
            lowest
        } else {
            grading.band_of(units[i].total)
        };
        let mut moved = false;
        if band == 0 {
            if let Some(allowed) = allowed {
                if full || in_top + (j - i) > allowed {
                    band = 1.min(lowest);
                    moved = true;
                    full = true;
                } else {
                    in_top += j - i;
                }
            }
        }
        for u in &mut units[i..j] {
            u.grade = grading.bands[band].name.clone();
            u.quota_moved = moved;
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::{ManualEntry, TaskFact};
    use super::super::scheme::{Item, ItemKind, Rule};
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn unit(code: &str, total: f64, vetoed: bool) -> UnitScore {
        UnitScore {
            unit: UnitRef::parse(code).unwrap(),
            name: code.into(),
            total,
            vetoed,
            grade: String::new(),
            rank: 0,
            quota_moved: false,
            pending: 0,
            lines: vec![],
        }
    }

    fn grade_of<'a>(units: &'a [UnitScore], code: &str) -> (&'a str, u32) {
        let u = units.iter().find(|u| u.unit.key() == code).unwrap();
        (u.grade.as_str(), u.rank)
    }

    #[test]
    fn ties_share_a_rank_and_a_veto_gives_the_lowest_grade() {
        let mut units = vec![
            unit("410802", 91.0, false),
            unit("410803", 85.0, false),
            unit("410804", 85.0, false),
            unit("410811", 97.0, true),
            unit("410821", 55.0, false),
        ];
        let grading = Grading {
            top_quota_percent: None,
            ..Grading::default()
        };
        grade_and_rank(&mut units, &grading);
        assert_eq!(grade_of(&units, "410802"), ("优秀", 1));
        assert_eq!(grade_of(&units, "410803"), ("良好", 2));
        assert_eq!(grade_of(&units, "410804"), ("良好", 2));
        assert_eq!(grade_of(&units, "410821"), ("较差", 4));
        assert_eq!(grade_of(&units, "410811"), ("较差", 5), "vetoed ranks last");
    }

    #[test]
    fn the_quota_moves_down_whole_tie_groups() {
        // 10 units, 30 %: three may be 优秀. Four score ≥ 90, two of them tied third.
        let totals = [98.0, 95.0, 92.0, 92.0, 91.0, 85.0, 80.0, 70.0, 65.0, 50.0];
        let mut units: Vec<UnitScore> = totals
            .iter()
            .enumerate()
            .map(|(i, t)| unit(&format!("4108{:02}", i + 1), *t, false))
            .collect();
        grade_and_rank(&mut units, &Grading::default());
        let grades: Vec<&str> = units.iter().map(|u| u.grade.as_str()).collect();
        assert_eq!(
            grades,
            [
                "优秀", "优秀", "良好", "良好", "良好", "良好", "良好", "一般", "一般", "较差"
            ]
        );
        assert!(units[2].quota_moved && units[3].quota_moved && units[4].quota_moved);
        assert!(!units[5].quota_moved);
    }

    fn manual_item(code: &str, points: f64) -> Item {
        Item {
            code: code.into(),
            category: "c".into(),
            content: "c".into(),
            kind: ItemKind::Base,
            points,
            rule: Rule::Manual,
            scoring_text: String::new(),
            scorer: "s".into(),
            citations: vec![],
        }
    }

    fn scheme(items: Vec<Item>) -> Scheme {
        Scheme {
            region_code: "410800".parse().unwrap(),
            year: 2025,
            title: "t".into(),
            units: vec![UnitRef::parse("410802").unwrap()],
            items,
            grading: Grading::default(),
            objection_days: 10,
        }
    }

    fn period() -> Period {
        Period {
            year: 2025,
            as_of: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
        }
    }

    proptest! {
        #[test]
        fn a_total_is_the_sum_of_its_lines(entries in proptest::collection::vec(0u32..=1000, 1..12)) {
            let items: Vec<Item> = (0..entries.len()).map(|i| manual_item(&format!("{i}"), 10.0)).collect();
            let manual = entries.iter().enumerate().map(|(i, e)| ManualEntry {
                id: i as i64, item: format!("{i}"), earned: f64::from(*e) / 100.0,
                triggered: false, reason: "r".into(), evidence: vec![], entered_by: "x".into(),
            }).collect();
            let s = scheme(items);
            let facts = UnitFacts { manual, ..UnitFacts::default() };
            let u = score_unit(&s, s.units[0].clone(), "n".into(), &facts, period());
            let sum: f64 = u.lines.iter().map(|l| l.earned).sum();
            prop_assert!((u.total - sum).abs() < 1e-9);
        }

        #[test]
        fn changing_one_input_changes_only_the_lines_that_read_it(done_late in any::<bool>(), survey in 0u32..=5) {
            let items = vec![
                Item { rule: Rule::Tasks, ..manual_item("tasks", 10.0) },
                manual_item("survey", 5.0),
                Item { rule: Rule::Complaints, ..manual_item("complaints", 5.0) },
            ];
            let s = scheme(items);
            let d = |s: &str| s.parse::<NaiveDate>().unwrap();
            let base = UnitFacts {
                tasks: vec![TaskFact { id: 1, deadline: d("2025-06-30"), completed_on: Some(d("2025-06-01")) }],
                manual: vec![ManualEntry { id: 1, item: "survey".into(), earned: 3.0, triggered: false, reason: "r".into(), evidence: vec![], entered_by: "x".into() }],
                ..UnitFacts::default()
            };
            let mut changed = base.clone();
            changed.tasks[0].completed_on = Some(if done_late { d("2025-07-30") } else { d("2025-06-01") });
            changed.manual[0].earned = f64::from(survey);
            let a = score_unit(&s, s.units[0].clone(), "n".into(), &base, period());
            let b = score_unit(&s, s.units[0].clone(), "n".into(), &changed, period());
            prop_assert_eq!(a.lines[0].earned != b.lines[0].earned, done_late);
            prop_assert_eq!(a.lines[1].earned != b.lines[1].earned, survey != 3);
            prop_assert_eq!(&a.lines[2], &b.lines[2]);
        }

        #[test]
        fn grades_are_monotone_in_the_score(totals in proptest::collection::vec(0u32..=10000, 1..40), quota in proptest::option::of(0u32..=100)) {
            let mut units: Vec<UnitScore> = totals.iter().enumerate()
                .map(|(i, t)| unit(&format!("4108{:02}", i + 1), f64::from(*t) / 100.0, false))
                .collect();
            let grading = Grading { top_quota_percent: quota.map(f64::from), ..Grading::default() };
            grade_and_rank(&mut units, &grading);
            let band = |name: &str| grading.bands.iter().position(|b| b.name == name).unwrap();
            for a in &units {
                for b in &units {
                    if a.total > b.total {
                        prop_assert!(band(&a.grade) <= band(&b.grade), "{} {} vs {} {}", a.total, a.grade, b.total, b.grade);
                        prop_assert!(a.rank < b.rank);
                    }
                    if a.total == b.total {
                        prop_assert_eq!(&a.grade, &b.grade);
                        prop_assert_eq!(a.rank, b.rank);
                    }
                }
            }
            if let Some(q) = quota {
                let top = units.iter().filter(|u| u.grade == "优秀").count() as f64;
                prop_assert!(top <= units.len() as f64 * f64::from(q) / 100.0 + 1e-9);
            }
        }
    }
}
