//! Properties of the status rules that must hold for any values: a better year-to-date value never
//! worsens the status, and the path always ends at the target.

use ecoduty_indicators::catalogue::{
    GOOD_DAY_RATIO, HEAVY_POLLUTION_DAYS, PM25_ANNUAL_MEAN, WATER_SHARE_GOOD,
    WATER_SHARE_WORSE_THAN_V,
};
use ecoduty_indicators::{evaluate, Accumulation, Direction, Indicator, MonthlyYtd, Status};
use proptest::prelude::*;

/// How good a status is, for comparing: missed < at_risk < on_track < met.
fn rank(s: Status) -> u8 {
    match s {
        Status::Missed => 0,
        Status::AtRisk => 1,
        Status::OnTrack => 2,
        Status::Met => 3,
    }
}

fn indicator() -> impl Strategy<Value = &'static Indicator> {
    prop_oneof![
        Just(&PM25_ANNUAL_MEAN),
        Just(&GOOD_DAY_RATIO),
        Just(&HEAVY_POLLUTION_DAYS),
        Just(&WATER_SHARE_GOOD),
        Just(&WATER_SHARE_WORSE_THAN_V),
    ]
}

/// A year of year-to-date values valid for the indicator (counts never fall).
fn year_values(indicator: &'static Indicator, months: usize) -> BoxedStrategy<Vec<f64>> {
    let max = indicator.max.min(200.0);
    match indicator.accumulation {
        Accumulation::Mean => proptest::collection::vec(0.0..max, months).boxed(),
        Accumulation::Count => proptest::collection::vec(0u8..6, months)
            .prop_map(|steps| {
                steps
                    .iter()
                    .scan(0.0, |acc, s| {
                        *acc += f64::from(*s);
                        Some(*acc)
                    })
                    .collect()
            })
            .boxed(),
    }
}

#[derive(Debug, Clone)]
struct Case {
    indicator: &'static Indicator,
    target: f64,
    current: Vec<f64>,
    history: Vec<Vec<f64>>,
    closed: bool,
    improvement: f64,
}

fn case() -> impl Strategy<Value = Case> {
    (indicator(), 1usize..=12, 0usize..3, any::<bool>()).prop_flat_map(
        |(indicator, months, years, closed)| {
            let months = if closed { 12 } else { months };
            (
                Just(indicator),
                1.0..indicator.max.min(200.0),
                year_values(indicator, months),
                proptest::collection::vec(year_values(indicator, 12), years),
                Just(closed),
                0.0..50.0f64,
            )
                .prop_map(
                    |(indicator, target, current, history, closed, improvement)| Case {
                        indicator,
                        target,
                        current,
                        history,
                        closed,
                        improvement,
                    },
                )
        },
    )
}

fn run(c: &Case, current: &[f64]) -> ecoduty_indicators::IndicatorStatus {
    let history: Vec<MonthlyYtd> = c
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| MonthlyYtd::from_months(2020 + i as i32, h).unwrap())
        .collect();
    let current = MonthlyYtd::from_months(2025, current).unwrap();
    evaluate(c.indicator, c.target, &current, c.closed, &history).unwrap()
}

proptest! {
    #[test]
    fn a_better_latest_value_never_worsens_the_status(c in case()) {
        let before = run(&c, &c.current);
        let mut better = c.current.clone();
        let last = better.len() - 1;
        let improved = match c.indicator.direction {
            Direction::LowerIsBetter => (better[last] - c.improvement).max(if last > 0 && c.indicator.accumulation == Accumulation::Count { better[last - 1] } else { 0.0 }),
            Direction::HigherIsBetter => (better[last] + c.improvement).min(c.indicator.max),
        };
        better[last] = improved;
        let after = run(&c, &better);
        prop_assert!(
            rank(after.status) >= rank(before.status),
            "{}: {} → {}: {:?} → {:?}", c.indicator.key, c.current[last], improved, before.status, after.status
        );
        // And the projection moves the same way.
        prop_assert!(after.gap <= before.gap + 1e-9);
    }

    #[test]
    fn the_path_ends_at_the_target_and_the_status_matches_it(c in case()) {
        let s = run(&c, &c.current);
        prop_assert_eq!(s.path.len(), 12);
        prop_assert!((s.path[11].value - c.target).abs() <= 1e-9 * c.target.max(1.0));
        let expected = s.path[usize::from(s.month) - 1].value;
        prop_assert_eq!(s.expected_to_date, expected);
        if c.closed {
            prop_assert!(matches!(s.status, Status::Met | Status::Missed));
            prop_assert_eq!(s.status == Status::Met, c.indicator.direction.at_or_better(s.ytd_value, c.target));
        } else {
            prop_assert!(matches!(s.status, Status::OnTrack | Status::AtRisk));
            prop_assert_eq!(s.status == Status::OnTrack, c.indicator.direction.at_or_better(s.ytd_value, expected));
        }
    }
}
