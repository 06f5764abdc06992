//! HJ 663-2013 annual evaluation: percentiles, annual means, data coverage and the annual
//! validity rule, good and heavy-pollution days, the composite index and attainment of the
//! GB 3095 class 2 limits.
//!
//! Everything is computed from the rounded daily values of [`crate::daily::DailyRecord`].

use chrono::Datelike;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::aqi::Indicator;
use crate::daily::DailyRecord;
use crate::limits::{attains, limit, AreaClass, Period};
use crate::rounding::round_half_even;

/// Valid daily values needed in a year.
pub const MIN_DAYS_YEAR: u32 = 324;
/// Valid daily values needed in every month, February excepted.
pub const MIN_DAYS_MONTH: u32 = 27;
/// Valid daily values needed in February.
pub const MIN_DAYS_FEBRUARY: u32 = 25;

/// The HJ 663 percentile of ascending `sorted` values: k = 1 + (n − 1)·p/100, s = ⌊k⌋,
/// m = X(s) + (X(s+1) − X(s))·(k − s), with X(n+1) = X(n). Unrounded; `None` for no values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let k = 1.0 + (n - 1) as f64 * p / 100.0;
    let s = (k.floor() as usize).clamp(1, n);
    let x_s = sorted[s - 1];
    let x_next = sorted[s.min(n - 1)];
    Some(x_s + (x_next - x_s) * (k - s as f64))
}

/// Whether a daily series covers the year: at least 324 valid days and at least 27 in every
/// month (25 in February). `per_month[m]` counts valid days of month `m + 1`.
pub fn meets_annual_rule(per_month: &[u32; 12]) -> bool {
    let total: u32 = per_month.iter().sum();
    total >= MIN_DAYS_YEAR
        && per_month.iter().enumerate().all(|(m, &n)| {
            n >= if m == 1 {
                MIN_DAYS_FEBRUARY
            } else {
                MIN_DAYS_MONTH
            }
        })
}

/// Valid days of one daily series, per month, and whether they meet the annual rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coverage {
    pub days: u32,
    pub per_month: [u32; 12],
    pub meets_rule: bool,
}

impl Coverage {
    pub fn of(days: &[DailyRecord], ind: Indicator) -> Coverage {
        let mut per_month = [0u32; 12];
        for d in days.iter().filter(|d| d.value(ind).is_some()) {
            per_month[d.date.month0() as usize] += 1;
        }
        Coverage {
            days: per_month.iter().sum(),
            per_month,
            meets_rule: meets_annual_rule(&per_month),
        }
    }
}

/// The daily series whose coverage decides `annual_valid` (O3 by its daily maximum 8-h).
pub const ANNUAL_SERIES: [Indicator; 6] = [
    Indicator::So2,
    Indicator::No2,
    Indicator::Pm10,
    Indicator::Co,
    Indicator::O3_8h,
    Indicator::Pm25,
];

/// An annual statistic evaluated against GB 3095.
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statistic {
    Pm25Mean,
    Pm25P95,
    Pm10Mean,
    Pm10P95,
    So2Mean,
    So2P98,
    No2Mean,
    No2P98,
    CoP95,
    O3_8hP90,
}

impl Statistic {
    pub const ALL: [Statistic; 10] = [
        Statistic::Pm25Mean,
        Statistic::Pm25P95,
        Statistic::Pm10Mean,
        Statistic::Pm10P95,
        Statistic::So2Mean,
        Statistic::So2P98,
        Statistic::No2Mean,
        Statistic::No2P98,
        Statistic::CoP95,
        Statistic::O3_8hP90,
    ];

    /// JSON key, e.g. `pm25_p95`.
    pub fn key(self) -> &'static str {
        match self {
            Statistic::Pm25Mean => "pm25_mean",
            Statistic::Pm25P95 => "pm25_p95",
            Statistic::Pm10Mean => "pm10_mean",
            Statistic::Pm10P95 => "pm10_p95",
            Statistic::So2Mean => "so2_mean",
            Statistic::So2P98 => "so2_p98",
            Statistic::No2Mean => "no2_mean",
            Statistic::No2P98 => "no2_p98",
            Statistic::CoP95 => "co_p95",
            Statistic::O3_8hP90 => "o3_8h_p90",
        }
    }

    pub fn indicator(self) -> Indicator {
        match self {
            Statistic::Pm25Mean | Statistic::Pm25P95 => Indicator::Pm25,
            Statistic::Pm10Mean | Statistic::Pm10P95 => Indicator::Pm10,
            Statistic::So2Mean | Statistic::So2P98 => Indicator::So2,
            Statistic::No2Mean | Statistic::No2P98 => Indicator::No2,
            Statistic::CoP95 => Indicator::Co,
            Statistic::O3_8hP90 => Indicator::O3_8h,
        }
    }

    /// The percentile, or `None` for an annual mean.
    pub fn percentile(self) -> Option<f64> {
        match self {
            Statistic::Pm25P95 | Statistic::Pm10P95 | Statistic::CoP95 => Some(95.0),
            Statistic::So2P98 | Statistic::No2P98 => Some(98.0),
            Statistic::O3_8hP90 => Some(90.0),
            _ => None,
        }
    }

    /// The GB 3095 limit it is compared with: annual means with the annual limit, percentiles
    /// of daily means with the 24-h limit, the O3 percentile with the 8-h limit.
    pub fn limit(self, class: AreaClass) -> f64 {
        let period = match self {
            Statistic::O3_8hP90 => Period::Hour8,
            s if s.percentile().is_some() => Period::Day24h,
            _ => Period::Annual,
        };
        limit(self.indicator().pollutant(), period, class)
            .expect("every annual statistic has a GB 3095 limit")
    }
}

/// Attainment of one statistic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attainment {
    pub statistic: Statistic,
    pub value: Option<f64>,
    pub limit: f64,
    /// `None` when there is no value.
    pub attained: Option<bool>,
    /// Whether the statistic's daily series meets the annual validity rule.
    pub valid: bool,
}

/// Annual results of one station or city.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnualStats {
    /// Days with a valid AQI.
    pub valid_days: u32,
    /// Rounded statistics in [`Statistic::ALL`] order.
    pub values: [Option<f64>; 10],
    pub good_days: u32,
    pub good_day_ratio: Option<f64>,
    pub heavy_days: u32,
    pub composite_index: Option<f64>,
    pub annual_valid: bool,
    pub attainment: [Attainment; 10],
    /// Coverage of the six series of [`ANNUAL_SERIES`].
    pub coverage: [Coverage; 6],
    /// Days with a valid AQI per category, 优 … 严重污染.
    pub category_days: [u32; 6],
}

impl AnnualStats {
    pub fn get(&self, s: Statistic) -> Option<f64> {
        self.values[s as usize]
    }
}

/// The composite index I = SO2/60 + NO2/40 + PM10/70 + PM2.5/35 + CO_p95/4 + O3_8h_p90/160,
/// unrounded.
pub fn composite_index(
    so2_mean: f64,
    no2_mean: f64,
    pm10_mean: f64,
    pm25_mean: f64,
    co_p95: f64,
    o3_8h_p90: f64,
) -> f64 {
    so2_mean / 60.0
        + no2_mean / 40.0
        + pm10_mean / 70.0
        + pm25_mean / 35.0
        + co_p95 / 4.0
        + o3_8h_p90 / 160.0
}

/// Computes the annual results from the daily records of one year.
pub fn annual_stats(days: &[DailyRecord]) -> AnnualStats {
    let coverage: [Coverage; 6] = std::array::from_fn(|i| Coverage::of(days, ANNUAL_SERIES[i]));
    let series_valid =
        |ind: Indicator| coverage[ANNUAL_SERIES.iter().position(|&x| x == ind).unwrap()].meets_rule;

    let mut values = [None; 10];
    let mut buf = Vec::with_capacity(days.len());
    for (i, st) in Statistic::ALL.iter().enumerate() {
        let ind = st.indicator();
        buf.clear();
        buf.extend(days.iter().filter_map(|d| d.value(ind)));
        if buf.is_empty() {
            continue;
        }
        let raw = match st.percentile() {
            None => buf.iter().sum::<f64>() / buf.len() as f64,
            Some(p) => {
                buf.sort_by(f64::total_cmp);
                percentile(&buf, p).expect("non-empty")
            }
        };
        values[i] = Some(round_half_even(raw, ind.pollutant().decimals()));
    }

    let mut valid_days = 0;
    let mut category_days = [0u32; 6];
    for d in days {
        if let Some(cat) = d.aqi.category {
            valid_days += 1;
            category_days[cat.level() as usize - 1] += 1;
        }
    }
    let good_days = category_days[0] + category_days[1];
    let heavy_days = category_days[4] + category_days[5];
    let good_day_ratio =
        (valid_days > 0).then(|| round_half_even(good_days as f64 / valid_days as f64 * 100.0, 1));
    let v = |s: Statistic| values[s as usize];
    let composite_index = match (
        v(Statistic::So2Mean),
        v(Statistic::No2Mean),
        v(Statistic::Pm10Mean),
        v(Statistic::Pm25Mean),
        v(Statistic::CoP95),
        v(Statistic::O3_8hP90),
    ) {
        (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) => {
            Some(round_half_even(composite_index(a, b, c, d, e, f), 2))
        }
        _ => None,
    };
    let attainment = std::array::from_fn(|i| {
        let st = Statistic::ALL[i];
        let lim = st.limit(AreaClass::Class2);
        Attainment {
            statistic: st,
            value: values[i],
            limit: lim,
            attained: values[i].map(|x| attains(x, lim)),
            valid: series_valid(st.indicator()),
        }
    });
    AnnualStats {
        valid_days,
        values,
        good_days,
        good_day_ratio,
        heavy_days,
        composite_index,
        annual_valid: coverage.iter().all(|c| c.meets_rule),
        attainment,
        coverage,
        category_days,
    }
}

/// Serializes a rounded value: integers for µg/m³ statistics, one decimal for CO.
pub(crate) fn number(v: f64, decimals: u32) -> serde_json::Value {
    if decimals == 0 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Value::from(v)
    }
}

impl Serialize for AnnualStats {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("valid_days", &self.valid_days)?;
        for st in Statistic::ALL {
            let d = st.indicator().pollutant().decimals();
            m.serialize_entry(st.key(), &self.get(st).map(|v| number(v, d)))?;
        }
        m.serialize_entry("good_days", &self.good_days)?;
        m.serialize_entry("good_day_ratio", &self.good_day_ratio)?;
        m.serialize_entry("heavy_days", &self.heavy_days)?;
        m.serialize_entry("composite_index", &self.composite_index)?;
        m.serialize_entry("annual_valid", &self.annual_valid)?;
        let attainment: serde_json::Map<String, serde_json::Value> = self
            .attainment
            .iter()
            .map(|a| {
                let d = a.statistic.indicator().pollutant().decimals();
                (
                    a.statistic.key().to_string(),
                    serde_json::json!({
                        "limit": number(a.limit, d),
                        "attained": a.attained,
                        "valid": a.valid,
                    }),
                )
            })
            .collect();
        m.serialize_entry("attainment", &attainment)?;
        let coverage: serde_json::Map<String, serde_json::Value> = ANNUAL_SERIES
            .iter()
            .zip(&self.coverage)
            .map(|(ind, c)| {
                (
                    ind.code().to_string(),
                    serde_json::to_value(c).expect("plain struct"),
                )
            })
            .collect();
        m.serialize_entry("coverage", &coverage)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daily::DayValues;
    use chrono::NaiveDate;

    #[test]
    fn percentile_on_hand_worked_series() {
        let x = [10.0, 20.0, 30.0, 40.0, 50.0];
        // n = 5, p = 95: k = 1 + 4 × 0.95 = 4.8 → 40 + 10 × 0.8 = 48.
        assert!((percentile(&x, 95.0).unwrap() - 48.0).abs() < 1e-12);
        // p = 50: k = 3 → X(3).
        assert_eq!(percentile(&x, 50.0), Some(30.0));
        // p = 100: k = 5 → X(5), X(6) = X(5).
        assert_eq!(percentile(&x, 100.0), Some(50.0));
        assert_eq!(percentile(&x, 0.0), Some(10.0));
        // n = 1: the value itself.
        assert_eq!(percentile(&[7.0], 98.0), Some(7.0));
        assert_eq!(percentile(&[], 98.0), None);
        // n = 4, p = 90: k = 1 + 3 × 0.9 = 3.7 → 3 + (8 − 3) × 0.7 = 6.5.
        let y = [1.0, 2.0, 3.0, 8.0];
        assert!((percentile(&y, 90.0).unwrap() - 6.5).abs() < 1e-12);
        // n = 10, p = 98: k = 1 + 9 × 0.98 = 9.82 → 90 + 10 × 0.82 = 98.2.
        let z: Vec<f64> = (1..=10).map(|i| i as f64 * 10.0).collect();
        assert!((percentile(&z, 98.0).unwrap() - 98.2).abs() < 1e-9);
    }

    #[test]
    fn annual_rule_edges() {
        let mut m = [27u32; 12];
        m[1] = 25;
        // 11 × 27 + 25 = 322 < 324.
        assert!(!meets_annual_rule(&m));
        m[0] = 29; // 324
        assert!(meets_annual_rule(&m));
        m[0] = 28; // 323
        assert!(!meets_annual_rule(&m));
        let mut m = [30u32; 12];
        assert!(meets_annual_rule(&m));
        m[4] = 26;
        assert!(!meets_annual_rule(&m));
        m[4] = 27;
        assert!(meets_annual_rule(&m));
        m[1] = 24;
        assert!(!meets_annual_rule(&m));
        m[1] = 25;
        assert!(meets_annual_rule(&m));
    }

    fn record(date: NaiveDate, v: [Option<f64>; 7]) -> DailyRecord {
        DailyRecord::from_values(
            date,
            &DayValues {
                raw: v,
                valid_hours: [24; 6],
                o3_8h_windows: 17,
            },
        )
    }

    #[test]
    fn annual_statistics_of_a_small_series() {
        let d0 = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let days: Vec<DailyRecord> = (0..5)
            .map(|i| {
                let pm25 = [10.0, 40.0, 80.0, 160.0, 30.0][i];
                record(
                    d0 + chrono::Days::new(i as u64),
                    [
                        Some(9.0),
                        Some(30.0 + i as f64),
                        Some(50.0),
                        Some(0.8 + 0.1 * i as f64),
                        Some(150.0),
                        Some(120.0),
                        Some(pm25),
                    ],
                )
            })
            .collect();
        let a = annual_stats(&days);
        assert_eq!(a.valid_days, 5);
        // PM2.5 mean (10+40+80+160+30)/5 = 64; p95: sorted 10 30 40 80 160, k = 4.8 → 144.
        assert_eq!(a.get(Statistic::Pm25Mean), Some(64.0));
        assert_eq!(a.get(Statistic::Pm25P95), Some(144.0));
        // NO2 30..34: mean 32; p98: k = 4.92 → 33.92 → 34.
        assert_eq!(a.get(Statistic::No2Mean), Some(32.0));
        assert_eq!(a.get(Statistic::No2P98), Some(34.0));
        // CO 0.8..1.2: p95 k = 4.8 → 1.1 + 0.1 × 0.8 = 1.18 → 1.2.
        assert_eq!(a.get(Statistic::CoP95), Some(1.2));
        // AQI per day: PM2.5 IAQI 15, 57, 107, 211, 43 vs O3 8-h 120 → 65, O3 1-h 150 → 47.
        assert_eq!(a.good_days, 3);
        assert_eq!(a.heavy_days, 1);
        assert_eq!(a.good_day_ratio, Some(60.0));
        // I = 9/60 + 32/40 + 50/70 + 64/35 + 1.2/4 + 120/160 = 4.5414… → 4.54.
        assert_eq!(a.composite_index, Some(4.54));
        assert!(!a.annual_valid);
        let pm25_mean = a.attainment[0];
        assert_eq!(pm25_mean.limit, 35.0);
        assert_eq!(pm25_mean.attained, Some(false));
        assert!(!pm25_mean.valid);
        assert_eq!(Statistic::O3_8hP90.limit(AreaClass::Class2), 160.0);
        assert_eq!(Statistic::CoP95.limit(AreaClass::Class2), 4.0);
        assert_eq!(Statistic::So2P98.limit(AreaClass::Class2), 150.0);
        assert_eq!(Statistic::Pm10Mean.limit(AreaClass::Class2), 70.0);
    }

    #[test]
    fn annual_valid_follows_the_coverage_of_all_six_series() {
        let year: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2025, 1, 1)
            .unwrap()
            .iter_days()
            .take(365)
            .collect();
        let full = [
            Some(9.0),
            Some(30.0),
            Some(50.0),
            Some(0.8),
            Some(150.0),
            Some(120.0),
            Some(30.0),
        ];
        let days: Vec<DailyRecord> = year.iter().map(|&d| record(d, full)).collect();
        assert!(annual_stats(&days).annual_valid);
        // 41 missing O3 8-h days (the last 41 of the year): 324 left but December has 31 − 41 < 27.
        let mut days2 = days.clone();
        for d in days2.iter_mut().skip(365 - 41) {
            let mut v = d.values;
            v[Indicator::O3_8h.index()] = None;
            *d = record(d.date, v);
        }
        let a = annual_stats(&days2);
        assert!(!a.annual_valid);
        assert_eq!(a.coverage[4].days, 324);
        assert!(!a.attainment[9].valid && a.attainment[0].valid);
        // PM2.5 kept on the first keep[m] days of each month: the 323/324 and 26/27, 24/25 edges.
        let with_pm25 = |keep: [u32; 12]| -> AnnualStats {
            let days: Vec<DailyRecord> = days
                .iter()
                .map(|d| {
                    let mut v = d.values;
                    if d.date.day() > keep[d.date.month0() as usize] {
                        v[Indicator::Pm25.index()] = None;
                    }
                    record(d.date, v)
                })
                .collect();
            annual_stats(&days)
        };
        let mut keep = [27u32; 12];
        keep[1] = 25;
        keep[0] = 29;
        let a = with_pm25(keep);
        assert_eq!(a.coverage[5].days, 324);
        assert!(a.annual_valid);
        keep[0] = 28;
        let a = with_pm25(keep);
        assert_eq!(a.coverage[5].days, 323);
        assert!(!a.annual_valid);
        let mut keep = [31u32; 12];
        keep[1] = 25;
        keep[6] = 26;
        let a = with_pm25(keep);
        assert!(a.coverage[5].days >= 324);
        assert!(!a.annual_valid);
        keep[6] = 27;
        assert!(with_pm25(keep).annual_valid);
        keep[1] = 24;
        assert!(!with_pm25(keep).annual_valid);
    }
}
