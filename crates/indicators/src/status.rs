//! The status of one indicator for one region and year: `met`, `on_track`, `at_risk`, `missed`.
//!
//! **After the year closes** the annual value (the December year-to-date value) is compared with
//! the target in the indicator's direction: at or better is `met`, worse is `missed`.
//!
//! **During the year** the latest year-to-date value (month m) is compared with a path of
//! expected year-to-date values that ends at the target in December:
//!
//! - Mean-type indicators (PM2.5 mean, good-day ratio, section shares, reported levels): the
//!   year-to-date value is already on the annual scale, but seasons move it (PM2.5 is high in
//!   winter, so a January mean above the annual target is normal). With earlier years' monthly
//!   data the expected value at month m is `target × r(m)`, where `r(m)` is the mean over those
//!   years of `their year-to-date value at m / their annual value`. Without it the path is flat:
//!   the target itself at every month.
//! - Count-type indicators (heavy-pollution days): the count to date grows towards the annual
//!   total. With earlier years' data the expected count at month m is `target × s(m)`, where
//!   `s(m)` is the share of those years' days that fell by the end of month m (their counts by m
//!   summed over their annual counts summed, so a year with no heavy day does not divide by zero).
//!   Without it `s(m)` is the elapsed fraction of the year (days through the end of month m over
//!   the days in the year).
//!
//! `on_track` when the year-to-date value is at or better than the path at month m, `at_risk`
//! when worse. A history year is used only when it has all twelve months (and, for a mean-type
//! indicator, a non-zero annual value, which `r` divides by); the others are named as skipped.
//!
//! The projected annual value undoes the same factor: `value / r(m)` (or `/ s(m)`). Where the
//! factor is zero (earlier years had nothing by month m) a mean is projected as itself and a
//! count as `count + target`, so the projection agrees with the status. The gap is the
//! projection's shortfall against the target in the indicator's direction: positive is worse.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalogue::{Accumulation, Indicator};

/// Where an indicator stands for a region and year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The year is over and the annual value is at or better than the target.
    Met,
    /// During the year: the year-to-date value is at or better than the path.
    OnTrack,
    /// During the year: the year-to-date value is worse than the path.
    AtRisk,
    /// The year is over and the annual value is worse than the target.
    Missed,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::Missed => "missed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Met => "已达标",
            Status::OnTrack => "进度正常",
            Status::AtRisk => "存在风险",
            Status::Missed => "未达标",
        }
    }

    /// Whether the status calls for an early warning.
    pub fn is_warning(self) -> bool {
        matches!(self, Status::AtRisk | Status::Missed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The year-to-date value of an indicator at the end of each month of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthlyYtd {
    pub year: i32,
    values: [Option<f64>; 12],
}

impl MonthlyYtd {
    pub fn new(year: i32) -> Self {
        MonthlyYtd {
            year,
            values: [None; 12],
        }
    }

    /// The values of months 1, 2, … in order.
    pub fn from_months(year: i32, values: &[f64]) -> Result<Self, StatusError> {
        if values.len() > 12 {
            return Err(StatusError::Month(values.len() as u8));
        }
        let mut series = MonthlyYtd::new(year);
        for (i, v) in values.iter().enumerate() {
            series.set(i as u8 + 1, *v)?;
        }
        Ok(series)
    }

    /// Sets the year-to-date value at the end of `month` (1–12).
    pub fn set(&mut self, month: u8, value: f64) -> Result<(), StatusError> {
        if !(1..=12).contains(&month) {
            return Err(StatusError::Month(month));
        }
        if !value.is_finite() {
            return Err(StatusError::NotFinite);
        }
        self.values[usize::from(month - 1)] = Some(value);
        Ok(())
    }

    pub fn get(&self, month: u8) -> Option<f64> {
        self.values
            .get(usize::from(month).checked_sub(1)?)
            .copied()?
    }

    /// The latest month with a value.
    pub fn last_month(&self) -> Option<u8> {
        (1..=12u8).rev().find(|m| self.get(*m).is_some())
    }

    /// The December value, i.e. the annual value once the year is complete.
    pub fn annual(&self) -> Option<f64> {
        self.get(12)
    }

    pub fn is_complete(&self) -> bool {
        self.values.iter().all(Option::is_some)
    }

    /// `(month, value)` for every month with a value.
    pub fn points(&self) -> Vec<PathPoint> {
        (1..=12u8)
            .filter_map(|month| self.get(month).map(|value| PathPoint { month, value }))
            .collect()
    }
}

/// Why a status cannot be worked out.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StatusError {
    #[error("month {0} is not 1–12")]
    Month(u8),
    #[error("a value or target is not a finite number")]
    NotFinite,
    #[error("no year-to-date value for {0} yet")]
    NoData(i32),
    #[error("the year {0} is closed but has no annual (December) value")]
    NoAnnualValue(i32),
    #[error("the values are of {values} but the target is for {target}")]
    YearMismatch { values: i32, target: i32 },
    #[error("history year {history} is not earlier than {year}")]
    HistoryNotEarlier { history: i32, year: i32 },
    #[error("{indicator} value {value} for {year}, month {month} is outside {min}–{max}")]
    OutOfRange {
        indicator: &'static str,
        year: i32,
        month: u8,
        value: f64,
        min: f64,
        max: f64,
    },
    #[error("{indicator} counts to date fall from month {month} to {next} of {year}")]
    CountFalls {
        indicator: &'static str,
        year: i32,
        month: u8,
        next: u8,
    },
}

/// One point of a chart line: the value at the end of a month.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PathPoint {
    pub month: u8,
    pub value: f64,
}

/// How the path was built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PathBasis {
    /// Mean-type, no usable history: the target at every month.
    Flat,
    /// Count-type, no usable history: the target spread by elapsed days.
    ElapsedTime,
    /// Shaped by these earlier years.
    Seasonal { years: Vec<i32> },
}

/// The status of an indicator for a region and year, with what a chart and a reader need.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorStatus {
    pub indicator: &'static Indicator,
    pub year: i32,
    pub target: f64,
    pub status: Status,
    /// The month the year-to-date value is at (12 for a closed year).
    pub month: u8,
    /// The latest year-to-date value (the annual value for a closed year).
    pub ytd_value: f64,
    /// The path's value at `month`.
    pub expected_to_date: f64,
    /// The annual value projected from the year so far (the annual value for a closed year).
    pub projected_annual: f64,
    /// The projection's shortfall against the target: positive when worse, negative when better.
    pub gap: f64,
    /// Expected year-to-date value at the end of every month, ending at the target.
    pub path: Vec<PathPoint>,
    /// The year so far: the year-to-date value at the end of each month with data.
    pub so_far: Vec<PathPoint>,
    pub basis: PathBasis,
    /// History years left out (incomplete, or a zero annual value for a mean).
    pub skipped_years: Vec<i32>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

/// Days from 1 January through the end of `month`, over the days of the year.
fn elapsed_fraction(year: i32, month: u8) -> f64 {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January exists");
    let next_year = NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("1 January exists");
    let end = if month == 12 {
        next_year
    } else {
        NaiveDate::from_ymd_opt(year, u32::from(month) + 1, 1).expect("month 2–12 exists")
    };
    let days = (end - start).num_days() as f64;
    days / (next_year - start).num_days() as f64
}

fn check_series(indicator: &'static Indicator, series: &MonthlyYtd) -> Result<(), StatusError> {
    let mut previous: Option<(u8, f64)> = None;
    for p in series.points() {
        if p.value < indicator.min || p.value > indicator.max {
            return Err(StatusError::OutOfRange {
                indicator: indicator.key,
                year: series.year,
                month: p.month,
                value: p.value,
                min: indicator.min,
                max: indicator.max,
            });
        }
        if indicator.accumulation == Accumulation::Count {
            if let Some((month, value)) = previous {
                if p.value < value {
                    return Err(StatusError::CountFalls {
                        indicator: indicator.key,
                        year: series.year,
                        month,
                        next: p.month,
                    });
                }
            }
        }
        previous = Some((p.month, p.value));
    }
    Ok(())
}

fn year_list(years: &[i32]) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

fn year_list_en(years: &[i32]) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The path factors for months 1–12 and how they were built.
fn path_factors(
    indicator: &'static Indicator,
    year: i32,
    history: &[MonthlyYtd],
) -> ([f64; 12], PathBasis, Vec<i32>) {
    let mut used = Vec::new();
    let mut skipped = Vec::new();
    for h in history {
        let usable = h.is_complete()
            && (indicator.accumulation == Accumulation::Count || h.annual() != Some(0.0));
        if usable {
            used.push(h);
        } else {
            skipped.push(h.year);
        }
    }
    let value = |h: &MonthlyYtd, m: u8| h.get(m).expect("complete years have every month");
    let mut factors = [1.0; 12];
    match indicator.accumulation {
        Accumulation::Mean => {
            if used.is_empty() {
                return (factors, PathBasis::Flat, skipped);
            }
            for (i, f) in factors.iter_mut().enumerate() {
                let m = i as u8 + 1;
                let ratios: f64 = used.iter().map(|h| value(h, m) / value(h, 12)).sum();
                *f = ratios / used.len() as f64;
            }
        }
        Accumulation::Count => {
            let total: f64 = used.iter().map(|h| value(h, 12)).sum();
            if total <= 0.0 {
                // Earlier years without a single event say nothing about when events fall.
                skipped.extend(used.iter().map(|h| h.year));
                skipped.sort_unstable();
                for (i, f) in factors.iter_mut().enumerate() {
                    *f = elapsed_fraction(year, i as u8 + 1);
                }
                return (factors, PathBasis::ElapsedTime, skipped);
            }
            for (i, f) in factors.iter_mut().enumerate() {
                let m = i as u8 + 1;
                *f = used.iter().map(|h| value(h, m)).sum::<f64>() / total;
            }
        }
    }
    let mut years: Vec<i32> = used.iter().map(|h| h.year).collect();
    years.sort_unstable();
    (factors, PathBasis::Seasonal { years }, skipped)
}

fn explain(
    indicator: &'static Indicator,
    basis: &PathBasis,
    skipped: &[i32],
    month: u8,
    factor: f64,
) -> (String, String) {
    let pct = factor * 100.0;
    let (mut zh, mut en) = match (basis, indicator.accumulation) {
        (PathBasis::Flat, _) => (
            "没有可用的往年逐月数据，年内路径取目标值本身（平直路径）。".to_string(),
            "No usable monthly data from earlier years: the path is the target itself at every month (flat).".to_string(),
        ),
        (PathBasis::ElapsedTime, _) => (
            format!(
                "没有可用的往年逐月数据，按全年已过天数的比例分摊目标：至{month}月底为目标的{pct:.1}%。"
            ),
            format!(
                "No usable monthly data from earlier years: the target is spread by the share of the year elapsed ({pct:.1}% by the end of month {month})."
            ),
        ),
        (PathBasis::Seasonal { years }, Accumulation::Mean) => (
            format!(
                "按{}年的季节形态调整目标：各月路径值为目标乘以这些年份截至该月的累计值与其全年值之比的平均（至{month}月为{factor:.3}）。",
                year_list(years)
            ),
            format!(
                "Target shaped by the seasons of {}: at each month, target × the mean over those years of their year-to-date value divided by their annual value ({factor:.3} at month {month}).",
                year_list_en(years)
            ),
        ),
        (PathBasis::Seasonal { years }, Accumulation::Count) => (
            format!(
                "按{}年{}在各月底前累计的比例分摊目标：至{month}月底为目标的{pct:.1}%。",
                year_list(years),
                indicator.name_zh
            ),
            format!(
                "Target spread by the share of {}'s {} that had occurred by the end of each month ({pct:.1}% by the end of month {month}).",
                year_list_en(years),
                indicator.name_en
            ),
        ),
    };
    if !skipped.is_empty() {
        zh.push_str(&format!(
            "{}年数据不完整或全年值为零，未用于路径。",
            year_list(skipped)
        ));
        en.push_str(&format!(
            " Not used for the path (incomplete, or a zero annual value): {}.",
            year_list_en(skipped)
        ));
    }
    (zh, en)
}

/// Works out the status of `indicator` against `target` from the current year's year-to-date
/// values and earlier years' (see the module documentation for the path).
///
/// `closed` says the year is over: the December value is then the annual value and the status
/// is `met` or `missed`; otherwise `on_track` or `at_risk` at the latest month with a value.
pub fn evaluate(
    indicator: &'static Indicator,
    target: f64,
    current: &MonthlyYtd,
    closed: bool,
    history: &[MonthlyYtd],
) -> Result<IndicatorStatus, StatusError> {
    if !target.is_finite() {
        return Err(StatusError::NotFinite);
    }
    let year = current.year;
    check_series(indicator, current)?;
    for h in history {
        if h.year >= year {
            return Err(StatusError::HistoryNotEarlier {
                history: h.year,
                year,
            });
        }
        check_series(indicator, h)?;
    }
    let (factors, basis, skipped_years) = path_factors(indicator, year, history);
    let path: Vec<PathPoint> = (1..=12u8)
        .map(|month| PathPoint {
            month,
            value: target * factors[usize::from(month - 1)],
        })
        .collect();

    let direction = indicator.direction;
    let (status, month, ytd_value, projected_annual) = if closed {
        let annual = current.annual().ok_or(StatusError::NoAnnualValue(year))?;
        let status = if direction.at_or_better(annual, target) {
            Status::Met
        } else {
            Status::Missed
        };
        (status, 12, annual, annual)
    } else {
        let month = current.last_month().ok_or(StatusError::NoData(year))?;
        let ytd = current.get(month).expect("last_month has a value");
        let factor = factors[usize::from(month - 1)];
        let status = if direction.at_or_better(ytd, target * factor) {
            Status::OnTrack
        } else {
            Status::AtRisk
        };
        let projected = if factor > 0.0 {
            ytd / factor
        } else {
            match indicator.accumulation {
                Accumulation::Mean => ytd,
                Accumulation::Count => ytd + target,
            }
        };
        (status, month, ytd, projected)
    };
    let factor = factors[usize::from(month - 1)];
    let (explanation_zh, explanation_en) =
        explain(indicator, &basis, &skipped_years, month, factor);
    Ok(IndicatorStatus {
        indicator,
        year,
        target,
        status,
        month,
        ytd_value,
        expected_to_date: target * factor,
        projected_annual,
        gap: direction.shortfall(projected_annual, target),
        path,
        so_far: current.points(),
        basis,
        skipped_years,
        explanation_zh,
        explanation_en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{
        GOOD_DAY_RATIO, HEAVY_POLLUTION_DAYS, PM25_ANNUAL_MEAN, WATER_SHARE_WORSE_THAN_V,
    };

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn closed_year_is_met_or_missed_in_the_indicators_direction() {
        let pm = |annual: f64| {
            let mut y = MonthlyYtd::new(2025);
            y.set(12, annual).unwrap();
            evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, true, &[]).unwrap()
        };
        assert_eq!(pm(35.0).status, Status::Met);
        assert_eq!(pm(34.0).status, Status::Met);
        let missed = pm(38.5);
        assert_eq!(missed.status, Status::Missed);
        assert!(close(missed.gap, 3.5));
        assert_eq!(missed.projected_annual, 38.5);

        let good = |annual: f64| {
            let mut y = MonthlyYtd::new(2025);
            y.set(12, annual).unwrap();
            evaluate(&GOOD_DAY_RATIO, 80.0, &y, true, &[])
                .unwrap()
                .status
        };
        assert_eq!(good(80.0), Status::Met);
        assert_eq!(good(79.9), Status::Missed);
    }

    #[test]
    fn a_closed_year_needs_its_annual_value_and_an_open_one_some_value() {
        let partial = MonthlyYtd::from_months(2025, &[40.0, 38.0]).unwrap();
        assert_eq!(
            evaluate(&PM25_ANNUAL_MEAN, 35.0, &partial, true, &[]).unwrap_err(),
            StatusError::NoAnnualValue(2025)
        );
        assert_eq!(
            evaluate(&PM25_ANNUAL_MEAN, 35.0, &MonthlyYtd::new(2025), false, &[]).unwrap_err(),
            StatusError::NoData(2025)
        );
    }

    #[test]
    fn flat_path_without_history_for_a_mean() {
        let y = MonthlyYtd::from_months(2025, &[40.0, 37.0, 35.0]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &[]).unwrap();
        assert_eq!(s.basis, PathBasis::Flat);
        assert!(s.path.iter().all(|p| p.value == 35.0));
        assert_eq!(s.path.len(), 12);
        assert_eq!((s.month, s.ytd_value, s.expected_to_date), (3, 35.0, 35.0));
        assert_eq!(s.status, Status::OnTrack, "at the path is on track");
        assert_eq!((s.projected_annual, s.gap), (35.0, 0.0));
        assert_eq!(s.so_far.len(), 3);
        assert!(s.explanation_zh.contains("平直路径"));

        let y = MonthlyYtd::from_months(2025, &[40.0, 37.0, 35.1]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &[]).unwrap();
        assert_eq!(s.status, Status::AtRisk);
        assert!(close(s.gap, 0.1));
    }

    #[test]
    fn seasonal_path_from_earlier_years_for_a_mean() {
        // Two earlier years whose January means were 1.5× and 1.3× their annual means: the
        // expected January value is target × 1.4.
        let mut h1 = [40.0; 12];
        h1[0] = 60.0;
        let mut h2 = [50.0; 12];
        h2[0] = 65.0;
        let history = [
            MonthlyYtd::from_months(2023, &h1).unwrap(),
            MonthlyYtd::from_months(2024, &h2).unwrap(),
        ];
        let y = MonthlyYtd::from_months(2025, &[49.0]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &history).unwrap();
        assert_eq!(
            s.basis,
            PathBasis::Seasonal {
                years: vec![2023, 2024]
            }
        );
        assert!(close(s.expected_to_date, 49.0));
        assert_eq!(
            s.status,
            Status::OnTrack,
            "49 in January is the seasonal path"
        );
        assert!(close(s.projected_annual, 35.0));
        assert!(close(s.path[11].value, 35.0), "the path ends at the target");
        assert!(s.explanation_zh.contains("2023、2024"));
        assert!(s.explanation_en.contains("2023, 2024"));

        let y = MonthlyYtd::from_months(2025, &[50.4]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &history).unwrap();
        assert_eq!(s.status, Status::AtRisk);
        assert!(close(s.projected_annual, 36.0));
        assert!(close(s.gap, 1.0));
    }

    #[test]
    fn incomplete_or_zero_history_years_are_skipped_and_named() {
        let incomplete = MonthlyYtd::from_months(2022, &[50.0; 11]).unwrap();
        let zero = MonthlyYtd::from_months(2023, &[0.0; 12]).unwrap();
        let y = MonthlyYtd::from_months(2025, &[3.0]).unwrap();
        let s = evaluate(
            &WATER_SHARE_WORSE_THAN_V,
            5.0,
            &y,
            false,
            &[incomplete, zero],
        )
        .unwrap();
        assert_eq!(s.basis, PathBasis::Flat);
        assert_eq!(s.skipped_years, vec![2022, 2023]);
        assert!(s.explanation_zh.contains("2022、2023年数据不完整"));
        assert_eq!(s.status, Status::OnTrack);
    }

    #[test]
    fn higher_is_better_mean_during_the_year() {
        let y = MonthlyYtd::from_months(2025, &[75.0, 78.0]).unwrap();
        let s = evaluate(&GOOD_DAY_RATIO, 80.0, &y, false, &[]).unwrap();
        assert_eq!(s.status, Status::AtRisk);
        assert!(close(s.gap, 2.0));
        let y = MonthlyYtd::from_months(2025, &[75.0, 80.0]).unwrap();
        assert_eq!(
            evaluate(&GOOD_DAY_RATIO, 80.0, &y, false, &[])
                .unwrap()
                .status,
            Status::OnTrack
        );
    }

    #[test]
    fn count_without_history_follows_elapsed_days() {
        // 2025: 31 days by the end of January, 181 by the end of June, 365 in all.
        assert!(close(elapsed_fraction(2025, 1), 31.0 / 365.0));
        assert!(close(elapsed_fraction(2025, 6), 181.0 / 365.0));
        assert!(close(elapsed_fraction(2024, 2), 60.0 / 366.0));
        assert_eq!(elapsed_fraction(2025, 12), 1.0);

        let y = MonthlyYtd::from_months(2025, &[2.0, 3.0, 3.0, 3.0, 3.0, 4.0]).unwrap();
        let s = evaluate(&HEAVY_POLLUTION_DAYS, 10.0, &y, false, &[]).unwrap();
        assert_eq!(s.basis, PathBasis::ElapsedTime);
        assert!(close(s.expected_to_date, 10.0 * 181.0 / 365.0));
        assert_eq!(s.status, Status::OnTrack);
        assert!(close(s.projected_annual, 4.0 * 365.0 / 181.0));
        assert!(s.explanation_zh.contains("已过天数"));

        let y = MonthlyYtd::from_months(2025, &[2.0, 3.0, 3.0, 3.0, 3.0, 5.0]).unwrap();
        let s = evaluate(&HEAVY_POLLUTION_DAYS, 10.0, &y, false, &[]).unwrap();
        assert_eq!(s.status, Status::AtRisk, "5 > 4.96 expected by June");
    }

    #[test]
    fn count_with_history_follows_when_heavy_days_fell() {
        // Earlier years: 2023 had 6 of its 10 days in January–February, 2024 had 4 of its 10.
        // Pooled share by February: 10 / 20 = 0.5.
        let h2023 = MonthlyYtd::from_months(
            2023,
            &[4.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 8.0, 10.0],
        )
        .unwrap();
        let h2024 = MonthlyYtd::from_months(
            2024,
            &[1.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 5.0, 7.0, 10.0],
        )
        .unwrap();
        let y = MonthlyYtd::from_months(2025, &[3.0, 4.0]).unwrap();
        let s = evaluate(&HEAVY_POLLUTION_DAYS, 8.0, &y, false, &[h2023, h2024]).unwrap();
        assert!(close(s.expected_to_date, 4.0));
        assert_eq!(s.status, Status::OnTrack);
        assert!(close(s.projected_annual, 8.0));
        assert!(close(s.path[0].value, 8.0 * 5.0 / 20.0));
        assert!(close(s.path[11].value, 8.0));
        assert!(s.explanation_zh.contains("重污染天数在各月底前累计的比例"));
    }

    #[test]
    fn count_where_history_had_nothing_yet() {
        // Earlier years had no heavy day by the end of June; one this June is already at risk.
        let h = MonthlyYtd::from_months(
            2024,
            &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 6.0],
        )
        .unwrap();
        let y = MonthlyYtd::from_months(2025, &[0.0, 0.0, 0.0, 0.0, 0.0, 1.0]).unwrap();
        let s = evaluate(
            &HEAVY_POLLUTION_DAYS,
            5.0,
            &y,
            false,
            std::slice::from_ref(&h),
        )
        .unwrap();
        assert_eq!(s.expected_to_date, 0.0);
        assert_eq!(s.status, Status::AtRisk);
        assert_eq!(s.projected_annual, 6.0);
        assert_eq!(s.gap, 1.0);
        // Years with no heavy day at all give no shape: elapsed time is used.
        let none = MonthlyYtd::from_months(2024, &[0.0; 12]).unwrap();
        let s = evaluate(&HEAVY_POLLUTION_DAYS, 5.0, &y, false, &[none]).unwrap();
        assert_eq!(s.basis, PathBasis::ElapsedTime);
        assert_eq!(s.skipped_years, vec![2024]);
    }

    #[test]
    fn bad_series_are_refused() {
        let y = MonthlyYtd::from_months(2025, &[3.0, 2.0]).unwrap();
        assert!(matches!(
            evaluate(&HEAVY_POLLUTION_DAYS, 5.0, &y, false, &[]),
            Err(StatusError::CountFalls {
                month: 1,
                next: 2,
                ..
            })
        ));
        let y = MonthlyYtd::from_months(2025, &[101.0]).unwrap();
        assert!(matches!(
            evaluate(&GOOD_DAY_RATIO, 80.0, &y, false, &[]),
            Err(StatusError::OutOfRange { .. })
        ));
        let y = MonthlyYtd::from_months(2025, &[30.0]).unwrap();
        let later = MonthlyYtd::from_months(2025, &[30.0; 12]).unwrap();
        assert_eq!(
            evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &[later]).unwrap_err(),
            StatusError::HistoryNotEarlier {
                history: 2025,
                year: 2025
            }
        );
        assert_eq!(
            evaluate(&PM25_ANNUAL_MEAN, f64::NAN, &y, false, &[]).unwrap_err(),
            StatusError::NotFinite
        );
        assert_eq!(
            MonthlyYtd::new(2025).set(13, 1.0),
            Err(StatusError::Month(13))
        );
        assert_eq!(
            MonthlyYtd::new(2025).set(1, f64::INFINITY),
            Err(StatusError::NotFinite)
        );
    }

    #[test]
    fn status_serialises_for_a_chart() {
        let y = MonthlyYtd::from_months(2025, &[40.0]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &[]).unwrap();
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["indicator"], "pm25_annual_mean");
        assert_eq!(v["status"], "at_risk");
        assert_eq!(v["basis"]["kind"], "flat");
        assert_eq!(v["path"][0], serde_json::json!({"month": 1, "value": 35.0}));
        assert_eq!(
            v["so_far"][0],
            serde_json::json!({"month": 1, "value": 40.0})
        );
    }
}
