//! From a [`Dataset`] to results: per-station and per-city daily records and annual statistics.
//!
//! A city's hourly value is the mean of the valid hourly values of its stations for that hour
//! (valid when at least one station is); the city's daily and annual results are then computed
//! from that series by the same rules as a station's. Stations and cities are computed in
//! parallel.

use std::cmp::Ordering;

use rayon::prelude::*;
use serde::Serialize;

use crate::annual::{annual_stats, AnnualStats};
use crate::daily::{daily_records, DailyRecord};
use crate::ingest::{Dataset, HourlySeries, IngestError, IngestReport, RegionIndex};
use crate::pollutant::Pollutant;

/// Annual results of one station.
#[derive(Clone, Debug, Serialize)]
pub struct StationResult {
    pub station: String,
    pub name: String,
    pub city: String,
    pub region_code: Option<String>,
    /// Always 1: kept so that station and city entries share their keys.
    pub stations: usize,
    #[serde(flatten)]
    pub annual: AnnualStats,
}

/// Annual results of one city.
#[derive(Clone, Debug, Serialize)]
pub struct CityResult {
    /// The city's name as the station list writes it.
    pub city: String,
    pub region_code: Option<String>,
    /// Its stations in the station list.
    pub stations: usize,
    /// Its stations that appear in the data.
    pub stations_with_data: usize,
    #[serde(flatten)]
    pub annual: AnnualStats,
}

/// A city of the station list with no region match: kept with `region_code: null`.
#[derive(Clone, Debug, Serialize)]
pub struct UnmatchedCity {
    pub city: String,
    pub stations: usize,
}

/// Results of one year.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub year: i32,
    pub cities: Vec<CityResult>,
    pub stations: Vec<StationResult>,
    pub unmatched_cities: Vec<UnmatchedCity>,
    #[serde(flatten)]
    pub report: AssessReport,
}

/// What was skipped on the way, for the JSON and stderr.
#[derive(Clone, Debug, Serialize)]
pub struct AssessReport {
    pub invalid_values: crate::ingest::InvalidCounts,
    pub skipped: Skipped,
}

#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub files_read: usize,
    pub missing_day_files: usize,
    pub ignored_files: Vec<String>,
    pub unknown_stations: Vec<crate::ingest::UnknownStation>,
    /// Stations of the station list that never appear in the data.
    pub stations_without_data: usize,
    pub rows_outside_year: u64,
    pub derived_rows_skipped: u64,
}

impl AssessReport {
    pub fn new(ds: &Dataset) -> AssessReport {
        let r: &IngestReport = &ds.report;
        AssessReport {
            invalid_values: r.invalid_values.clone(),
            skipped: Skipped {
                files_read: r.files_read,
                missing_day_files: r.missing_day_files.len(),
                ignored_files: r.ignored_files.clone(),
                unknown_stations: r.unknown_stations.clone(),
                stations_without_data: ds.present.iter().filter(|p| !**p).count(),
                rows_outside_year: r.rows_outside_year,
                derived_rows_skipped: r.derived_rows_skipped,
            },
        }
    }
}

/// Daily records of one hourly series of the dataset's year.
pub fn series_daily(ds: &Dataset, series: &HourlySeries) -> Vec<DailyRecord> {
    daily_records(ds.first_day(), series.all())
}

/// Daily records of station `i` (index in the station list).
pub fn station_daily(ds: &Dataset, i: usize) -> Vec<DailyRecord> {
    series_daily(ds, &ds.series[i])
}

/// A city's hourly series: per hour, the mean of its stations' valid values.
pub fn city_hourly(ds: &Dataset, members: &[usize]) -> HourlySeries {
    let days = ds.days();
    let mut out = HourlySeries::missing(days);
    let mut sum = vec![0.0f64; days * 24];
    let mut count = vec![0u32; days * 24];
    for p in Pollutant::ALL {
        sum.fill(0.0);
        count.fill(0);
        for &m in members {
            for ((s, c), &v) in sum
                .iter_mut()
                .zip(count.iter_mut())
                .zip(ds.series[m].pollutant(p))
            {
                if !v.is_nan() {
                    *s += v;
                    *c += 1;
                }
            }
        }
        for ((o, &s), &c) in out.pollutant_mut(p).iter_mut().zip(&sum).zip(&count) {
            if c > 0 {
                *o = s / c as f64;
            }
        }
    }
    out
}

/// The stations of a city (by the station list's city name) that appear in the data.
pub fn city_members(ds: &Dataset, city: &str) -> Vec<usize> {
    (0..ds.stations.len())
        .filter(|&i| ds.present[i] && ds.stations.get(i).city == city)
        .collect()
}

/// Daily records of a city.
pub fn city_daily(ds: &Dataset, city: &str) -> Vec<DailyRecord> {
    series_daily(ds, &city_hourly(ds, &city_members(ds, city)))
}

/// Annual results of every station that appears in the data and every city with such a
/// station. Refuses a city name that matches several regions.
pub fn assess(ds: &Dataset, regions: &RegionIndex) -> Result<Assessment, IngestError> {
    let mut cities = Vec::new();
    let mut unmatched = Vec::new();
    for (name, members) in ds.stations.cities() {
        let code = regions.resolve(&name)?.map(|m| m.code);
        if code.is_none() {
            unmatched.push(UnmatchedCity {
                city: name.clone(),
                stations: members.len(),
            });
        }
        cities.push((name, code, members));
    }
    let city_code = |city: &str| {
        cities
            .iter()
            .find(|(n, _, _)| n == city)
            .and_then(|(_, c, _)| c.clone())
    };

    let mut station_idx: Vec<usize> = (0..ds.stations.len()).filter(|&i| ds.present[i]).collect();
    station_idx.sort_by(|&a, &b| ds.stations.get(a).code.cmp(&ds.stations.get(b).code));
    let station_annual: Vec<AnnualStats> = station_idx
        .par_iter()
        .map(|&i| annual_stats(&station_daily(ds, i)))
        .collect();
    let stations = station_idx
        .iter()
        .zip(station_annual)
        .map(|(&i, annual)| {
            let s = ds.stations.get(i);
            StationResult {
                station: s.code.clone(),
                name: s.name.clone(),
                city: s.city.clone(),
                region_code: city_code(&s.city),
                stations: 1,
                annual,
            }
        })
        .collect();

    let mut city_results: Vec<CityResult> = cities
        .par_iter()
        .filter_map(|(name, code, members)| {
            let with_data: Vec<usize> =
                members.iter().copied().filter(|&i| ds.present[i]).collect();
            if with_data.is_empty() {
                return None;
            }
            let hourly = city_hourly(ds, &with_data);
            Some(CityResult {
                city: name.clone(),
                region_code: code.clone(),
                stations: members.len(),
                stations_with_data: with_data.len(),
                annual: annual_stats(&series_daily(ds, &hourly)),
            })
        })
        .collect();
    city_results.sort_by(|a, b| {
        match (&a.region_code, &b.region_code) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| a.city.cmp(&b.city))
    });
    Ok(Assessment {
        year: ds.year,
        cities: city_results,
        stations,
        unmatched_cities: unmatched,
        report: AssessReport::new(ds),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{IngestReport, Station, StationList};

    fn dataset(values: &[(&str, &str, Vec<f64>)]) -> Dataset {
        let stations = StationList::new(
            values
                .iter()
                .map(|(code, city, _)| Station {
                    code: code.to_string(),
                    name: String::new(),
                    city: city.to_string(),
                    longitude: None,
                    latitude: None,
                })
                .collect(),
        )
        .unwrap();
        let series = values
            .iter()
            .map(|(_, _, pm25)| {
                let mut s = HourlySeries::missing(365);
                s.pollutant_mut(Pollutant::Pm25)[..pm25.len()].copy_from_slice(pm25);
                s
            })
            .collect();
        Dataset {
            year: 2025,
            present: vec![true; values.len()],
            stations,
            series,
            report: IngestReport::default(),
        }
    }

    #[test]
    fn city_hour_is_the_mean_of_valid_stations() {
        let nan = f64::NAN;
        let ds = dataset(&[
            ("1001A", "焦作市", vec![10.0, nan, nan, 7.0]),
            ("1002A", "焦作市", vec![20.0, 5.0, nan, 8.0]),
            ("1003A", "郑州市", vec![99.0, 99.0, 99.0, 99.0]),
        ]);
        let h = city_hourly(&ds, &city_members(&ds, "焦作市"));
        let pm = h.pollutant(Pollutant::Pm25);
        assert_eq!(pm[0], 15.0);
        assert_eq!(pm[1], 5.0);
        assert!(pm[2].is_nan());
        assert_eq!(pm[3], 7.5);
    }

    #[test]
    fn assess_sorts_and_reports_unmatched_cities() {
        let ds = dataset(&[
            ("2001A", "焦作", vec![10.0; 24]),
            ("1001A", "郑州市", vec![20.0; 24]),
            ("1005A", "无此市", vec![30.0; 24]),
        ]);
        let a = assess(&ds, &RegionIndex::embedded()).unwrap();
        let names: Vec<_> = a.cities.iter().map(|c| c.city.as_str()).collect();
        assert_eq!(names, ["郑州市", "焦作", "无此市"]);
        assert_eq!(a.cities[0].region_code.as_deref(), Some("410100"));
        assert_eq!(a.cities[1].region_code.as_deref(), Some("410800"));
        assert_eq!(a.cities[2].region_code, None);
        assert_eq!(a.unmatched_cities.len(), 1);
        let codes: Vec<_> = a.stations.iter().map(|s| s.station.as_str()).collect();
        assert_eq!(codes, ["1001A", "1005A", "2001A"]);
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["cities"][1]["pm25_mean"], 10);
        assert_eq!(json["cities"][1]["valid_days"], 0);
        assert_eq!(json["stations"][0]["station"], "1001A");
    }
}
