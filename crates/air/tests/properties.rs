//! Properties that must hold for any data: AQI never falls when a concentration rises, a city's
//! hourly and daily means lie between its stations' extremes, the HJ 663 percentile is monotone
//! in p and bounded by the data, rounding stays within half a unit.

use chrono::NaiveDate;
use ecoduty_air::annual::percentile;
use ecoduty_air::aqi::{iaqi, Column, Iaqi};
use ecoduty_air::assess::city_hourly;
use ecoduty_air::daily::{daily_mean, daily_records};
use ecoduty_air::ingest::{parse_value, Dataset, HourlySeries, IngestReport, Station, StationList};
use ecoduty_air::rounding::round_half_even;
use ecoduty_air::Pollutant;
use proptest::prelude::*;

/// Realistic upper bounds of hourly values per pollutant (Pollutant::ALL order), high enough to
/// cross every breakpoint.
const UPPER: [f64; 6] = [3000.0, 4000.0, 700.0, 70.0, 1300.0, 600.0];

fn hourly_value(p: usize) -> impl Strategy<Value = f64> {
    let hi = UPPER[p];
    prop_oneof![
        1 => Just(f64::NAN),
        8 => (0.0..hi).prop_map(move |v: f64| if p == 3 { (v * 100.0).round() / 100.0 } else { v.round() }),
    ]
}

fn day_strategy() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (0..6usize)
        .map(|p| proptest::collection::vec(hourly_value(p), 24))
        .collect::<Vec<_>>()
}

fn aqi_of(day: &[Vec<f64>]) -> Option<u16> {
    let refs: [&[f64]; 6] = std::array::from_fn(|p| day[p].as_slice());
    daily_records(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(), refs)[0]
        .aqi
        .aqi
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn aqi_never_falls_when_a_concentration_rises(
        day in day_strategy(),
        p in 0..6usize,
        h in 0..24usize,
        rise in 0.0..500.0f64,
    ) {
        let before = aqi_of(&day);
        let mut raised = day.clone();
        if raised[p][h].is_nan() {
            return Ok(());
        }
        raised[p][h] += if p == 3 { (rise / 10.0 * 100.0).round() / 100.0 } else { rise.round() };
        let after = aqi_of(&raised);
        prop_assert_eq!(before.is_some(), after.is_some());
        if let (Some(b), Some(a)) = (before, after) {
            prop_assert!(a >= b, "AQI fell from {} to {} raising {:?} hour {}", b, a, Pollutant::ALL[p], h);
        }
    }

    #[test]
    fn iaqi_is_monotone_in_every_column(a in 0.0..4000.0f64, b in 0.0..4000.0f64) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        for col in Column::ALL {
            match (iaqi(col, lo).unwrap(), iaqi(col, hi).unwrap()) {
                (x, Iaqi::NotComputed { .. }) => {
                    let fine = x.value().is_some() || matches!(x, Iaqi::NotComputed { .. });
                    prop_assert!(fine);
                }
                (Iaqi::NotComputed { .. }, y) => prop_assert!(false, "{:?} {} → {:?}", col, lo, y),
                (x, y) => prop_assert!(x.value() <= y.value(), "{:?}: {} → {:?}, {} → {:?}", col, lo, x, hi, y),
            }
        }
    }

    #[test]
    fn city_means_lie_between_station_extremes(
        stations in proptest::collection::vec(proptest::collection::vec(hourly_value(5), 48), 1..6),
    ) {
        let list = StationList::new(
            (0..stations.len())
                .map(|i| Station {
                    code: format!("{}A", 1001 + i),
                    name: String::new(),
                    city: "焦作市".into(),
                    longitude: None,
                    latitude: None,
                })
                .collect(),
        )
        .unwrap();
        let series = stations
            .iter()
            .map(|v| {
                let mut s = HourlySeries::missing(365);
                s.pollutant_mut(Pollutant::Pm25)[..48].copy_from_slice(v);
                s
            })
            .collect();
        let ds = Dataset {
            year: 2025,
            stations: list,
            series,
            present: vec![true; stations.len()],
            report: IngestReport::default(),
        };
        let members: Vec<usize> = (0..stations.len()).collect();
        let city = city_hourly(&ds, &members);
        let pm = city.pollutant(Pollutant::Pm25);
        for h in 0..48 {
            let vals: Vec<f64> = stations.iter().map(|s| s[h]).filter(|v| !v.is_nan()).collect();
            if vals.is_empty() {
                prop_assert!(pm[h].is_nan());
            } else {
                let (lo, hi) = vals.iter().fold((f64::MAX, f64::MIN), |(l, u), &v| (l.min(v), u.max(v)));
                prop_assert!(lo - 1e-9 <= pm[h] && pm[h] <= hi + 1e-9);
            }
        }
        for d in 0..2 {
            let r = d * 24..d * 24 + 24;
            if let Some(m) = daily_mean(&pm[r.clone()]) {
                let all: Vec<f64> = stations.iter().flat_map(|s| s[r.clone()].to_vec()).filter(|v| !v.is_nan()).collect();
                let (lo, hi) = all.iter().fold((f64::MAX, f64::MIN), |(l, u), &v| (l.min(v), u.max(v)));
                prop_assert!(lo - 1e-9 <= m && m <= hi + 1e-9);
            }
            // With every station complete, the city's daily mean lies between the stations'.
            if stations.iter().all(|s| s[r.clone()].iter().all(|v| !v.is_nan())) {
                let m = daily_mean(&pm[r.clone()]).unwrap();
                let means: Vec<f64> = stations.iter().map(|s| daily_mean(&s[r.clone()]).unwrap()).collect();
                let (lo, hi) = means.iter().fold((f64::MAX, f64::MIN), |(l, u), &v| (l.min(v), u.max(v)));
                prop_assert!(lo - 1e-9 <= m && m <= hi + 1e-9);
            }
        }
    }

    #[test]
    fn percentile_is_monotone_in_p_and_bounded(
        mut xs in proptest::collection::vec(0.0..1000.0f64, 1..400),
        p in 0.0..100.0f64,
        q in 0.0..100.0f64,
    ) {
        xs.sort_by(f64::total_cmp);
        let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
        let a = percentile(&xs, lo).unwrap();
        let b = percentile(&xs, hi).unwrap();
        prop_assert!(a <= b + 1e-9);
        prop_assert!(xs[0] - 1e-9 <= a && b <= xs[xs.len() - 1] + 1e-9);
    }

    #[test]
    fn rounding_stays_within_half_a_unit(x in 0.0..10000.0f64, d in 0u32..3) {
        let r = round_half_even(x, d);
        let unit = 10f64.powi(-(d as i32));
        prop_assert!((r - x).abs() <= unit / 2.0 + 1e-9);
        prop_assert_eq!(round_half_even(r, d), r);
    }

    #[test]
    fn value_parser_agrees_with_the_standard_library(int in 0u64..100000, frac in 0u32..1000, digits in 0usize..4) {
        let s = if digits == 0 { int.to_string() } else { format!("{int}.{:0width$}", frac % 10u32.pow(digits as u32), width = digits) };
        prop_assert_eq!(parse_value(s.as_bytes()), Some(s.parse::<f64>().unwrap()));
    }
}
