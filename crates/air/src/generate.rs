//! Realistic synthetic hourly data in the national-network layout, for benchmarks and
//! comparisons: one `china_sites_YYYYMMDD.csv` per day with the derived-type rows a reader must
//! skip, and a station list with real city names from the embedded region list.
//!
//! The model: per city a base level and a smooth "weather" factor shared by its stations
//! (episodes of several days), a seasonal cycle (PM, SO2, NO2, CO high in winter, O3 in summer),
//! daily cycles (NO2 rush hours, O3 afternoon peak), pollutants correlated through the shared
//! factor, station-level noise. Gaps: scattered missing hours, maintenance windows of a few
//! hours, multi-day station and instrument outages, stations opening and closing during the year
//! (their columns come and go), one station in the files that the list does not have, and a few
//! negative, non-numeric and absurd values.
//!
//! Every value is a pure function of (seed, station, pollutant, hour), so days can be written
//! in parallel and a day's derived rows can look back into the previous day.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use crate::ingest::{days_in_year, RegionIndex};
use crate::pollutant::{Pollutant, DERIVED_TYPES};

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenSpec {
    pub stations: usize,
    pub year: i32,
    pub seed: u64,
}

/// What was written.
#[derive(Clone, Debug, Serialize)]
pub struct GenSummary {
    pub files: usize,
    pub bytes: u64,
    pub stations: usize,
    pub cities: usize,
    pub station_list: PathBuf,
    pub input_values: u64,
}

/// Row order of a published day file, per hour.
const ROW_TYPES: [&str; 15] = [
    "AQI",
    "PM2.5",
    "PM2.5_24h",
    "PM10",
    "PM10_24h",
    "SO2",
    "SO2_24h",
    "NO2",
    "NO2_24h",
    "O3",
    "O3_24h",
    "O3_8h",
    "O3_8h_24h",
    "CO",
    "CO_24h",
];

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A deterministic random number from a list of keys.
fn hash(keys: &[u64]) -> u64 {
    keys.iter().fold(0x1234_5678, |h, &k| mix(h ^ k))
}

fn unit(keys: &[u64]) -> f64 {
    (hash(keys) >> 11) as f64 / (1u64 << 53) as f64
}

/// A standard normal number (Box–Muller).
fn normal(keys: &[u64]) -> f64 {
    let h = hash(keys);
    let u1 = ((h >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let u2 = (mix(h) >> 11) as f64 / (1u64 << 53) as f64;
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Smooth noise: normal values at knots `period` hours apart, interpolated.
fn smooth(keys: &[u64; 4], t: f64, period: f64) -> f64 {
    let x = t / period;
    let k = x.floor();
    let f = x - k;
    let w = f * f * (3.0 - 2.0 * f);
    let [a, b, c, d] = *keys;
    let n0 = normal(&[a, b, c, d, k as i64 as u64]);
    let n1 = normal(&[a, b, c, d, (k as i64 + 1) as u64]);
    n0 * (1.0 - w) + n1 * w
}

struct City {
    name: String,
    lon: f64,
    lat: f64,
    /// PM2.5 base, SO2 base, NO2 base, O3 base.
    base: [f64; 4],
}

struct StationSpec {
    code: String,
    city: usize,
    /// Day of year (0-based) of the first and last day with a column in the files.
    open: usize,
    close: usize,
    factor: f64,
    listed: bool,
}

const SALT_CITY: u64 = 1;
const SALT_STATION: u64 = 2;
const SALT_VALUE: u64 = 3;
const SALT_GAP: u64 = 4;
const SALT_OUTAGE: u64 = 5;
const SALT_INVALID: u64 = 6;

struct Model {
    seed: u64,
    cities: Vec<City>,
    stations: Vec<StationSpec>,
    days: usize,
}

impl Model {
    fn new(spec: &GenSpec) -> Model {
        let seed = spec.seed;
        let mut pool = RegionIndex::embedded().prefectures();
        pool.sort_by_key(|(code, _)| hash(&[seed, SALT_CITY, code.parse::<u64>().unwrap_or(0)]));
        let n_cities = (spec.stations / 6).clamp(1, pool.len());
        let mut cities: Vec<City> = pool
            .into_iter()
            .take(n_cities)
            .enumerate()
            .map(|(i, (_, name))| {
                let k = |j: u64| unit(&[seed, SALT_CITY, i as u64, j]);
                let north = k(1);
                City {
                    name,
                    lon: 100.0 + 25.0 * k(2),
                    lat: 20.0 + 25.0 * north,
                    // Northern cities are dirtier in PM and SO2.
                    base: [
                        22.0 + 35.0 * north + 10.0 * k(3),
                        5.0 + 12.0 * north * k(4),
                        18.0 + 20.0 * k(5),
                        70.0 + 30.0 * k(6),
                    ],
                }
            })
            .collect();
        cities.sort_by(|a, b| a.name.cmp(&b.name));
        let days = days_in_year(spec.year);
        // Every city gets a station; the rest go by weight, big cities taking more.
        let weights: Vec<f64> = (0..cities.len())
            .map(|c| 0.3 + unit(&[seed, SALT_CITY, c as u64, 9]).powi(2) * 3.0)
            .collect();
        let total: f64 = weights.iter().sum();
        let mut city_of: Vec<usize> = (0..cities.len().min(spec.stations)).collect();
        let mut acc = 0.0;
        let extra = spec.stations - city_of.len();
        for (c, w) in weights.iter().enumerate() {
            let before = (acc / total * extra as f64).round() as usize;
            acc += w;
            let after = (acc / total * extra as f64).round() as usize;
            city_of.extend(std::iter::repeat_n(c, after - before));
        }
        city_of.sort();
        let mut stations: Vec<StationSpec> = city_of
            .iter()
            .enumerate()
            .map(|(i, &city)| {
                let k = |j: u64| unit(&[seed, SALT_STATION, i as u64, j]);
                let (mut open, mut close) = (0, days - 1);
                let r = k(1);
                if r < 0.01 {
                    open = 30 + (k(2) * 240.0) as usize;
                } else if r < 0.015 {
                    close = 60 + (k(3) * 240.0) as usize;
                } else if r < 0.02 {
                    // Listed but closed before the year: never in the files.
                    open = days;
                }
                StationSpec {
                    code: format!("{}A", 1001 + i),
                    city,
                    open,
                    close,
                    factor: 0.8 + 0.4 * k(4),
                    listed: true,
                }
            })
            .collect();
        if spec.stations >= 10 {
            // A station the list does not know, as in the published files.
            stations.push(StationSpec {
                code: "9999B".into(),
                city: 0,
                open: 0,
                close: days - 1,
                factor: 1.0,
                listed: false,
            });
        }
        Model {
            seed,
            cities,
            stations,
            days,
        }
    }

    /// True when station `s` has a column in day `d`'s file.
    fn has_column(&self, s: usize, d: usize) -> bool {
        let st = &self.stations[s];
        st.open <= d && d <= st.close
    }

    /// Whether the instrument of `p` (or the whole station, `p = 6`) is out on day `d`:
    /// each 30-day block may hold one outage of 1–7 days.
    fn out(&self, s: usize, p: u64, d: usize) -> bool {
        let block = d / 30;
        for b in [block, block.wrapping_sub(1)] {
            if b == usize::MAX {
                continue;
            }
            let keys = [self.seed, SALT_OUTAGE, s as u64, p, b as u64];
            let chance = if p == 6 { 0.10 } else { 0.04 };
            if unit(&keys) < chance {
                let start = b * 30 + (unit(&[keys[4], 1, s as u64, p]) * 30.0) as usize;
                let len = 1 + (unit(&[keys[4], 2, s as u64, p]) * 7.0) as usize;
                if start <= d && d < start + len {
                    return true;
                }
            }
        }
        false
    }

    /// The hourly value of station `s`, pollutant `p`, absolute hour `t`; NaN when missing.
    fn value(&self, s: usize, p: Pollutant, t: usize) -> f64 {
        let d = t / 24;
        let h = t % 24;
        let pi = p.index() as u64;
        if self.out(s, 6, d) || self.out(s, pi, d) {
            return f64::NAN;
        }
        let gap = unit(&[self.seed, SALT_GAP, s as u64, pi, t as u64]);
        if gap < 0.012 {
            return f64::NAN;
        }
        // A maintenance window of 2–6 hours on 3 % of days, all pollutants.
        let mkeys = [self.seed, SALT_GAP, s as u64, d as u64];
        if unit(&mkeys) < 0.03 {
            let start = (unit(&[mkeys[3], 7, s as u64]) * 20.0) as usize;
            let len = 2 + (unit(&[mkeys[3], 8, s as u64]) * 5.0) as usize;
            if start <= h && h < start + len {
                return f64::NAN;
            }
        }
        let st = &self.stations[s];
        let city = &self.cities[st.city];
        let c = st.city as u64;
        let th = t as f64;
        let season = (std::f64::consts::TAU * (d as f64 - 15.0) / 365.0).cos();
        // Shared weather factor: multi-day episodes plus a faster component.
        let weather = (0.55 * smooth(&[self.seed, SALT_CITY, c, 100], th, 96.0)
            + 0.25 * smooth(&[self.seed, SALT_CITY, c, 101], th, 18.0))
        .exp();
        let noise =
            |sigma: f64| (sigma * normal(&[self.seed, SALT_VALUE, s as u64, pi, t as u64])).exp();
        let hf = h as f64;
        let v = match p {
            Pollutant::Pm25 => {
                city.base[0]
                    * (1.0 + 0.45 * season)
                    * weather
                    * st.factor
                    * noise(0.18)
                    * (1.0 + 0.15 * ((hf - 21.0) / 24.0 * std::f64::consts::TAU).cos())
            }
            Pollutant::Pm10 => {
                let pm25 = self.value_clean(s, Pollutant::Pm25, t);
                pm25 * (1.45 + 0.25 * smooth(&[self.seed, SALT_CITY, c, 102], th, 48.0).tanh())
                    * noise(0.12)
            }
            Pollutant::So2 => {
                city.base[1] * (1.0 + 0.6 * season) * weather.sqrt() * st.factor * noise(0.25)
            }
            Pollutant::No2 => {
                let rush = 1.0
                    + 0.35 * (-((hf - 8.0) / 2.0).powi(2)).exp()
                    + 0.45 * (-((hf - 20.0) / 2.5).powi(2)).exp()
                    - 0.2 * (-((hf - 14.0) / 3.0).powi(2)).exp();
                city.base[2] * (1.0 + 0.25 * season) * weather.powf(0.6) * rush * noise(0.2)
            }
            Pollutant::Co => {
                let pm25 = self.value_clean(s, Pollutant::Pm25, t);
                (0.35 + 0.011 * pm25) * noise(0.15)
            }
            Pollutant::O3 => {
                let day_cycle = 0.55 + 0.75 * (-((hf - 15.0) / 4.0).powi(2)).exp();
                city.base[3]
                    * (1.0 - 0.4 * season)
                    * day_cycle
                    * weather.powf(-0.25)
                    * noise(0.15)
                    * (1.0 + 0.5 * smooth(&[self.seed, SALT_CITY, c, 103], th, 72.0).max(0.0))
            }
        };
        match p {
            Pollutant::Co => (v * 100.0).round() / 100.0,
            _ => v.round(),
        }
    }

    /// PM2.5 without gaps, for the pollutants derived from it.
    fn value_clean(&self, s: usize, p: Pollutant, t: usize) -> f64 {
        let st = &self.stations[s];
        let city = &self.cities[st.city];
        let d = t / 24;
        let h = (t % 24) as f64;
        let th = t as f64;
        let c = st.city as u64;
        let season = (std::f64::consts::TAU * (d as f64 - 15.0) / 365.0).cos();
        let weather = (0.55 * smooth(&[self.seed, SALT_CITY, c, 100], th, 96.0)
            + 0.25 * smooth(&[self.seed, SALT_CITY, c, 101], th, 18.0))
        .exp();
        let noise =
            (0.18 * normal(&[self.seed, SALT_VALUE, s as u64, p.index() as u64, t as u64])).exp();
        city.base[0]
            * (1.0 + 0.45 * season)
            * weather
            * st.factor
            * noise
            * (1.0 + 0.15 * ((h - 21.0) / 24.0 * std::f64::consts::TAU).cos())
    }

    /// A few broken cells: the text to write instead of the value, if any.
    fn invalid(&self, s: usize, p: Pollutant, t: usize) -> Option<&'static str> {
        let u = unit(&[
            self.seed,
            SALT_INVALID,
            s as u64,
            p.index() as u64,
            t as u64,
        ]);
        if u < 4e-6 {
            Some("-1")
        } else if u < 7e-6 {
            Some("NA")
        } else if u < 9e-6 {
            Some("99999")
        } else {
            None
        }
    }
}

fn push_int(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes a non-negative value with up to `decimals` decimals, trailing zeros dropped.
fn push_num(out: &mut Vec<u8>, v: f64, decimals: u32) {
    if v.is_nan() {
        return;
    }
    let scale = 10u64.pow(decimals);
    let n = (v * scale as f64).round().max(0.0) as u64;
    push_int(out, n / scale);
    let mut frac = n % scale;
    if frac > 0 {
        out.push(b'.');
        let mut digits = decimals;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        let s = frac.to_string();
        for _ in s.len()..digits as usize {
            out.push(b'0');
        }
        out.extend_from_slice(s.as_bytes());
    }
}

fn mean_valid(xs: &[f64]) -> f64 {
    let (s, n) = xs
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

fn max_valid(xs: &[f64]) -> f64 {
    xs.iter()
        .filter(|v| !v.is_nan())
        .fold(f64::NAN, |m, &v| if m.is_nan() || v > m { v } else { m })
}

/// Writes the year's day files and the station list into `out`.
pub fn generate(spec: &GenSpec, out: &Path) -> std::io::Result<GenSummary> {
    std::fs::create_dir_all(out)?;
    let model = Model::new(spec);
    let first = NaiveDate::from_ymd_opt(spec.year, 1, 1)
        .ok_or_else(|| std::io::Error::other(format!("year {} is out of range", spec.year)))?;

    let station_list = out.join("stations.csv");
    let mut list = String::from("监测点编码,监测点名称,城市,经度,纬度\n");
    let mut per_city = vec![0; model.cities.len()];
    for (i, st) in model.stations.iter().enumerate().filter(|(_, s)| s.listed) {
        let city = &model.cities[st.city];
        per_city[st.city] += 1;
        let jitter = |j: u64| (unit(&[spec.seed, SALT_STATION, i as u64, 10 + j]) - 0.5) * 0.3;
        list.push_str(&format!(
            "{},{}{}号站,{},{:.4},{:.4}\n",
            st.code,
            city.name,
            per_city[st.city],
            city.name,
            city.lon + jitter(0),
            city.lat + jitter(1)
        ));
    }
    std::fs::write(&station_list, list)?;

    let results: Vec<std::io::Result<(u64, u64)>> = (0..model.days)
        .into_par_iter()
        .map(|d| write_day(&model, first + chrono::Days::new(d as u64), d, out))
        .collect();
    let mut bytes = 0;
    let mut values = 0;
    for r in results {
        let (b, v) = r?;
        bytes += b;
        values += v;
    }
    Ok(GenSummary {
        files: model.days,
        bytes,
        stations: model.stations.iter().filter(|s| s.listed).count(),
        cities: model.cities.len(),
        station_list,
        input_values: values,
    })
}

/// Writes one day file; returns its size and the number of non-empty input cells.
fn write_day(model: &Model, date: NaiveDate, d: usize, out: &Path) -> std::io::Result<(u64, u64)> {
    let cols: Vec<usize> = (0..model.stations.len())
        .filter(|&s| model.has_column(s, d))
        .collect();
    // 48 hours (yesterday and today) per station and pollutant, for the derived rows.
    let base = d as isize * 24 - 24;
    let hours: Vec<[[f64; 48]; 6]> = cols
        .iter()
        .map(|&s| {
            std::array::from_fn(|p| {
                std::array::from_fn(|k| {
                    let t = base + k as isize;
                    if t < 0 {
                        f64::NAN
                    } else {
                        model.value(s, Pollutant::ALL[p], t as usize)
                    }
                })
            })
        })
        .collect();
    let o3_8h: Vec<[f64; 48]> = hours
        .iter()
        .map(|hv| {
            let o3 = &hv[Pollutant::O3.index()];
            std::array::from_fn(|e| mean_valid(&o3[e.saturating_sub(7)..=e]))
        })
        .collect();
    let date_s = format!("{:04}{:02}{:02}", date.year(), date.month(), date.day());
    let mut buf = Vec::with_capacity(cols.len() * 15 * 24 * 5);
    buf.extend_from_slice(b"date,hour,type");
    for &s in &cols {
        buf.push(b',');
        buf.extend_from_slice(model.stations[s].code.as_bytes());
    }
    buf.push(b'\n');
    let mut values = 0u64;
    debug_assert!(DERIVED_TYPES.iter().all(|t| ROW_TYPES.contains(t)));
    for h in 0..24 {
        let k = 24 + h;
        let t = d * 24 + h;
        for ty in ROW_TYPES {
            buf.extend_from_slice(date_s.as_bytes());
            buf.push(b',');
            push_int(&mut buf, h as u64);
            buf.push(b',');
            buf.extend_from_slice(ty.as_bytes());
            for (ci, &s) in cols.iter().enumerate() {
                buf.push(b',');
                let hv = &hours[ci];
                let series = |p: Pollutant| &hv[p.index()][..];
                if let Some(p) = Pollutant::from_code(ty) {
                    if let Some(text) = model.invalid(s, p, t) {
                        buf.extend_from_slice(text.as_bytes());
                        values += 1;
                        continue;
                    }
                    let v = series(p)[k];
                    if !v.is_nan() {
                        values += 1;
                    }
                    push_num(&mut buf, v, if p == Pollutant::Co { 2 } else { 0 });
                    continue;
                }
                let last24 = |p: Pollutant| &series(p)[k - 23..=k];
                let v = match ty {
                    "AQI" => {
                        // Rough hourly AQI: the derived rows are never read, only skipped.
                        let pm = mean_valid(last24(Pollutant::Pm25));
                        let o3 = series(Pollutant::O3)[k];
                        let a = crate::aqi::iaqi(crate::aqi::Column::Pm25_24h, pm.min(500.0))
                            .ok()
                            .and_then(|i| i.value());
                        let b = crate::aqi::iaqi(crate::aqi::Column::O3_1h, o3.min(1200.0))
                            .ok()
                            .and_then(|i| i.value());
                        match a.max(b) {
                            Some(x) => x as f64,
                            None => f64::NAN,
                        }
                    }
                    "PM2.5_24h" => mean_valid(last24(Pollutant::Pm25)),
                    "PM10_24h" => mean_valid(last24(Pollutant::Pm10)),
                    "SO2_24h" => mean_valid(last24(Pollutant::So2)),
                    "NO2_24h" => mean_valid(last24(Pollutant::No2)),
                    "CO_24h" => mean_valid(last24(Pollutant::Co)),
                    "O3_24h" => max_valid(last24(Pollutant::O3)),
                    "O3_8h" => o3_8h[ci][k],
                    "O3_8h_24h" => max_valid(&o3_8h[ci][k - 23..=k]),
                    _ => unreachable!("ROW_TYPES holds inputs and derived types only"),
                };
                push_num(&mut buf, v, if ty == "CO_24h" { 3 } else { 0 });
            }
            buf.push(b'\n');
        }
    }
    let path = out.join(format!("china_sites_{date_s}.csv"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(&buf)?;
    f.flush()?;
    Ok((buf.len() as u64, values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_day_files, read_station_list};

    #[test]
    fn numbers_are_written_compactly() {
        let mut b = Vec::new();
        for (v, d) in [
            (45.0, 0),
            (0.82, 2),
            (1.0, 2),
            (0.05, 2),
            (12.5, 1),
            (0.0, 0),
        ] {
            push_num(&mut b, v, d);
            b.push(b' ');
        }
        assert_eq!(String::from_utf8(b).unwrap(), "45 0.82 1 0.05 12.5 0 ");
    }

    #[test]
    fn generated_files_read_back_with_gaps_and_reported_oddities() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GenSpec {
            stations: 12,
            year: 2023,
            seed: 7,
        };
        let summary = generate(&spec, dir.path()).unwrap();
        assert_eq!(summary.files, 365);
        assert_eq!(summary.stations, 12);
        let list = read_station_list(&summary.station_list).unwrap();
        assert_eq!(list.len(), 12);
        for s in list.stations() {
            assert!(RegionIndex::embedded().resolve(&s.city).unwrap().is_some());
        }
        let ds = read_day_files(dir.path(), 2023, list).unwrap();
        assert_eq!(ds.report.files_read, 365);
        assert_eq!(ds.report.unknown_stations[0].code, "9999B");
        assert_eq!(ds.report.ignored_files, vec!["stations.csv"]);
        let pm = ds.series[0].pollutant(Pollutant::Pm25);
        let missing = pm.iter().filter(|v| v.is_nan()).count();
        assert!(missing > 0 && missing < pm.len() / 5, "{missing}");
        let mean = pm.iter().filter(|v| !v.is_nan()).sum::<f64>() / (pm.len() - missing) as f64;
        assert!((10.0..150.0).contains(&mean), "{mean}");
        // Same seed, same data.
        let again = tempfile::tempdir().unwrap();
        generate(&spec, again.path()).unwrap();
        let a = std::fs::read(dir.path().join("china_sites_20230704.csv")).unwrap();
        let b = std::fs::read(again.path().join("china_sites_20230704.csv")).unwrap();
        assert_eq!(a, b);
    }
}
