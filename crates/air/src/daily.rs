//! Daily values and their validity (GB 3095-2012 Table 4, HJ 663-2013, air.md conventions):
//! 24-h means, O3 daily maximum 1-h value, O3 8-h moving averages and their daily maximum, and
//! the daily record (values, IAQI, AQI) of one station or city.
//!
//! Hourly values are `f64` with `NaN` for missing; index `d * 24 + h` is hour label `h` of day
//! `d`, the hour starting at h:00.

use chrono::NaiveDate;
use serde::Serialize;

use crate::aqi::{day_aqi, Category, DayAqi, Iaqi, Indicator};
use crate::pollutant::Pollutant;
use crate::rounding::round_half_even;

pub const HOURS_PER_DAY: usize = 24;
/// Valid hourly values needed for a 24-h mean.
pub const MIN_HOURS_DAILY_MEAN: usize = 20;
/// Valid hourly values needed for the O3 daily maximum 1-h value (project convention).
pub const MIN_HOURS_O3_1H_MAX: usize = 20;
/// Valid hourly values needed among the 8 of an O3 8-h window.
pub const MIN_HOURS_O3_8H_WINDOW: usize = 6;
/// Valid 8-h windows needed among the 17 of a day for the O3 daily maximum 8-h value.
pub const MIN_O3_8H_WINDOWS: usize = 14;
/// Hour labels at which the day's 17 windows end (08:00 … 24:00).
pub const O3_8H_WINDOW_END_LABELS: std::ops::RangeInclusive<usize> = 7..=23;

/// Mean of the valid values of a day's 24 hours, valid with at least 20 of them. Unrounded.
pub fn daily_mean(day: &[f64]) -> Option<f64> {
    let (sum, n) = day
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n >= MIN_HOURS_DAILY_MEAN).then(|| sum / n as f64)
}

/// Largest valid value of a day's 24 hours, valid with at least 20 of them. Unrounded.
pub fn daily_max_1h(day: &[f64]) -> Option<f64> {
    let mut n = 0;
    let mut max = f64::NEG_INFINITY;
    for &v in day.iter().filter(|v| !v.is_nan()) {
        n += 1;
        max = max.max(v);
    }
    (n >= MIN_HOURS_O3_1H_MAX).then_some(max)
}

/// The O3 8-h moving average ending at index `end` of an hourly series: the mean of the hour
/// and the 7 before it (reaching into the previous day for labels 0 … 6), valid with at least 6
/// valid values. Hours before the start of the series count as missing.
pub fn o3_8h_at(series: &[f64], end: usize) -> Option<f64> {
    let start = (end + 1).saturating_sub(8);
    let (sum, n) = series[start..=end]
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n >= MIN_HOURS_O3_8H_WINDOW).then(|| sum / n as f64)
}

/// The O3 daily maximum 8-h value of one day's 24 hours: the largest of the valid windows
/// ending at labels 7 … 23, valid with at least 14 of the 17. Returns the unrounded maximum and
/// the number of valid windows. These windows lie inside the day, so no earlier hour is needed.
pub fn daily_max_8h(day: &[f64]) -> (Option<f64>, usize) {
    debug_assert_eq!(day.len(), HOURS_PER_DAY);
    let mut sum = 0.0;
    let mut n = 0usize;
    let mut windows = 0usize;
    let mut max = f64::NEG_INFINITY;
    for (h, &v) in day.iter().enumerate() {
        if !v.is_nan() {
            sum += v;
            n += 1;
        }
        if h >= 8 {
            let out = day[h - 8];
            if !out.is_nan() {
                sum -= out;
                n -= 1;
            }
        }
        if h >= 7 && n >= MIN_HOURS_O3_8H_WINDOW {
            windows += 1;
            max = max.max(sum / n as f64);
        }
    }
    ((windows >= MIN_O3_8H_WINDOWS).then_some(max), windows)
}

/// The seven daily values of one day before rounding, with the counts behind their validity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DayValues {
    /// Unrounded values in [`Indicator::ALL`] order; `None` = invalid.
    pub raw: [Option<f64>; 7],
    /// Valid hourly values per pollutant, in [`Pollutant::ALL`] order.
    pub valid_hours: [u8; 6],
    /// Valid O3 8-h windows among the 17.
    pub o3_8h_windows: u8,
}

/// Computes a day's values from the 24 hours of each pollutant (`hours[p]` in
/// [`Pollutant::ALL`] order).
pub fn day_values(hours: [&[f64]; 6]) -> DayValues {
    let mut raw = [None; 7];
    let mut valid_hours = [0u8; 6];
    for p in Pollutant::ALL {
        valid_hours[p.index()] = hours[p.index()].iter().filter(|v| !v.is_nan()).count() as u8;
    }
    for (ind, p) in [
        (Indicator::So2, Pollutant::So2),
        (Indicator::No2, Pollutant::No2),
        (Indicator::Pm10, Pollutant::Pm10),
        (Indicator::Co, Pollutant::Co),
        (Indicator::Pm25, Pollutant::Pm25),
    ] {
        raw[ind.index()] = daily_mean(hours[p.index()]);
    }
    let o3 = hours[Pollutant::O3.index()];
    raw[Indicator::O3_1h.index()] = daily_max_1h(o3);
    let (max8, windows) = daily_max_8h(o3);
    raw[Indicator::O3_8h.index()] = max8;
    DayValues {
        raw,
        valid_hours,
        o3_8h_windows: windows as u8,
    }
}

/// Rounds a daily value of an indicator to its reporting precision (half to even).
pub fn round_daily(ind: Indicator, v: f64) -> f64 {
    round_half_even(v, ind.pollutant().decimals())
}

/// One day of a station or city: rounded daily values, IAQI, AQI, category, primary pollutant.
/// Serializes as one flat JSON object per day (see the `Serialize` impl).
#[derive(Clone, Debug, PartialEq)]
pub struct DailyRecord {
    pub date: NaiveDate,
    /// Rounded values in [`Indicator::ALL`] order; `None` = invalid.
    pub values: [Option<f64>; 7],
    pub valid_hours: [u8; 6],
    pub o3_8h_windows: u8,
    pub aqi: DayAqi,
}

impl DailyRecord {
    pub fn from_values(date: NaiveDate, v: &DayValues) -> DailyRecord {
        let mut values = [None; 7];
        for ind in Indicator::ALL {
            values[ind.index()] = v.raw[ind.index()].map(|x| round_daily(ind, x));
        }
        DailyRecord {
            date,
            values,
            valid_hours: v.valid_hours,
            o3_8h_windows: v.o3_8h_windows,
            aqi: day_aqi(&values),
        }
    }

    pub fn value(&self, ind: Indicator) -> Option<f64> {
        self.values[ind.index()]
    }

    pub fn iaqi(&self, ind: Indicator) -> Option<Iaqi> {
        self.aqi.iaqi[ind.index()]
    }

    pub fn category(&self) -> Option<Category> {
        self.aqi.category
    }
}

impl Serialize for DailyRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        use serde_json::{Map, Value};
        let per = |f: &dyn Fn(Indicator) -> Value| -> Map<String, Value> {
            Indicator::ALL
                .iter()
                .map(|&i| (i.code().to_string(), f(i)))
                .collect()
        };
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("date", &self.date)?;
        m.serialize_entry("aqi", &self.aqi.aqi)?;
        m.serialize_entry("category", &self.aqi.category.map(Category::zh))?;
        m.serialize_entry("category_en", &self.aqi.category.map(Category::en))?;
        m.serialize_entry("level", &self.aqi.category.map(Category::level))?;
        m.serialize_entry("primary", &self.aqi.primary)?;
        m.serialize_entry(
            "values",
            &per(&|i| match self.value(i) {
                Some(v) => crate::annual::number(v, i.pollutant().decimals()),
                None => Value::Null,
            }),
        )?;
        m.serialize_entry(
            "iaqi",
            &per(&|i| match self.iaqi(i).and_then(Iaqi::value) {
                Some(v) => Value::from(v),
                None => Value::Null,
            }),
        )?;
        m.serialize_entry("valid", &per(&|i| Value::from(self.value(i).is_some())))?;
        let hours: Map<String, Value> = Pollutant::ALL
            .iter()
            .map(|&p| {
                (
                    p.code().to_string(),
                    Value::from(self.valid_hours[p.index()]),
                )
            })
            .collect();
        m.serialize_entry("valid_hours", &hours)?;
        m.serialize_entry("o3_8h_windows", &self.o3_8h_windows)?;
        m.serialize_entry("beyond_scale", &self.aqi.beyond_scale)?;
        let o3_8h_uses_1h = matches!(self.iaqi(Indicator::O3_8h), Some(Iaqi::NotComputed { .. }));
        m.serialize_entry("o3_8h_uses_1h", &o3_8h_uses_1h)?;
        m.end()
    }
}

/// Daily records of a whole hourly series (`hourly[p]` covers `days × 24` hours), day 0 being
/// `first`.
pub fn daily_records(first: NaiveDate, hourly: [&[f64]; 6]) -> Vec<DailyRecord> {
    let days = hourly[0].len() / HOURS_PER_DAY;
    (0..days)
        .map(|d| {
            let r = d * HOURS_PER_DAY..(d + 1) * HOURS_PER_DAY;
            let hours = std::array::from_fn(|p| &hourly[p][r.clone()]);
            let date = first + chrono::Days::new(d as u64);
            DailyRecord::from_values(date, &day_values(hours))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    fn day_with_valid(n: usize, v: f64) -> Vec<f64> {
        (0..24).map(|h| if h < n { v } else { NAN }).collect()
    }

    #[test]
    fn daily_mean_needs_20_hours() {
        assert_eq!(daily_mean(&day_with_valid(19, 40.0)), None);
        assert_eq!(daily_mean(&day_with_valid(20, 40.0)), Some(40.0));
        assert_eq!(daily_mean(&day_with_valid(24, 40.0)), Some(40.0));
        let mut day = day_with_valid(20, 10.0);
        day[0] = 30.0;
        assert_eq!(daily_mean(&day), Some(11.0));
    }

    #[test]
    fn o3_1h_max_needs_20_hours() {
        let mut day = day_with_valid(19, 100.0);
        day[3] = 180.0;
        assert_eq!(daily_max_1h(&day), None);
        day[19] = 50.0;
        assert_eq!(daily_max_1h(&day), Some(180.0));
    }

    #[test]
    fn o3_window_needs_6_of_8_hours() {
        let mut s = vec![NAN; 24];
        for v in s.iter_mut().take(8).skip(3) {
            *v = 60.0; // labels 3..7: 5 values
        }
        assert_eq!(o3_8h_at(&s, 7), None);
        s[2] = 90.0; // 6 values
        assert_eq!(o3_8h_at(&s, 7), Some(65.0));
    }

    #[test]
    fn o3_window_reaches_into_the_previous_day() {
        // Day 0 evening 100, day 1 morning 20: the window ending at label 2 of day 1 holds
        // labels 19…23 of day 0 and 0…2 of day 1.
        let mut s = vec![NAN; 48];
        for v in &mut s[19..24] {
            *v = 100.0;
        }
        for v in &mut s[24..27] {
            *v = 20.0;
        }
        assert_eq!(o3_8h_at(&s, 26), Some(70.0));
        // Before the start of the series hours are missing: label 4 of day 0 has 5 slots.
        let t = vec![50.0; 24];
        assert_eq!(o3_8h_at(&t, 4), None);
        assert_eq!(o3_8h_at(&t, 5), Some(50.0));
    }

    #[test]
    fn o3_daily_max_8h_needs_14_windows() {
        // Missing labels 0,1,2,3: windows ending 7 (labels 0..7, 4 valid) to 9 (2..9, 6 valid).
        // Window 7: 4 valid, 8: 5 valid, 9…23: valid → 15 windows.
        let mut day = vec![80.0; 24];
        for v in &mut day[0..4] {
            *v = NAN;
        }
        assert_eq!(daily_max_8h(&day), (Some(80.0), 15));
        // Also missing label 23: window 23 holds 16..23 = 7 valid, still valid → 15.
        day[23] = NAN;
        assert_eq!(daily_max_8h(&day).1, 15);
        // Missing 4 as well: window 9 holds 2..9 minus 2,3,4 = 5 → 14 windows (10..23).
        day[4] = NAN;
        assert_eq!(daily_max_8h(&day), (Some(80.0), 14));
        // And 5: window 10 (3..10) has 5 valid → 13 windows: invalid.
        day[5] = NAN;
        assert_eq!(daily_max_8h(&day), (None, 13));
    }

    #[test]
    fn o3_daily_max_8h_takes_the_unrounded_maximum() {
        let mut day = vec![100.0; 24];
        day[12] = 104.0; // windows 12..19 average 100.5
        let (max, windows) = daily_max_8h(&day);
        assert_eq!(windows, 17);
        assert_eq!(max, Some(100.5));
        // 100.5 rounds half to even → 100.
        assert_eq!(round_daily(Indicator::O3_8h, 100.5), 100.0);
    }

    #[test]
    fn sliding_maximum_matches_the_window_definition() {
        let day: Vec<f64> = (0..24)
            .map(|h| if h % 5 == 0 { NAN } else { (h * 7 % 13) as f64 })
            .collect();
        let direct: Vec<f64> = O3_8H_WINDOW_END_LABELS
            .filter_map(|h| o3_8h_at(&day, h))
            .collect();
        let (max, windows) = daily_max_8h(&day);
        assert_eq!(windows, direct.len());
        assert_eq!(max, Some(direct.iter().cloned().fold(f64::MIN, f64::max)));
    }

    #[test]
    fn daily_record_rounds_before_iaqi() {
        let mut hours: Vec<Vec<f64>> = vec![vec![10.0; 24]; 6];
        // PM2.5 mean 35.5 → 36 (even) → IAQI 52; unrounded it would give 51.
        hours[Pollutant::Pm25.index()] = (0..24)
            .map(|h| if h % 2 == 0 { 35.0 } else { 36.0 })
            .collect();
        // CO mean 1.25 → 1.2 (even).
        hours[Pollutant::Co.index()] = (0..24)
            .map(|h| if h % 2 == 0 { 1.2 } else { 1.3 })
            .collect();
        let refs: [&[f64]; 6] = std::array::from_fn(|p| hours[p].as_slice());
        let rec = &daily_records(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), refs)[0];
        assert_eq!(rec.value(Indicator::Pm25), Some(36.0));
        assert_eq!(rec.iaqi(Indicator::Pm25), Some(Iaqi::Index(52)));
        assert_eq!(rec.value(Indicator::Co), Some(1.2));
        assert_eq!(rec.aqi.aqi, Some(52));
        assert_eq!(rec.aqi.primary, vec![Indicator::Pm25]);
    }
}
