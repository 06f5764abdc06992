//! Reading air data from files into memory: the national-network day files
//! (`china_sites_YYYYMMDD.csv`), the long format (`station,time,pollutant,value`), the station
//! list and the city → GB/T 2260 region mapping. This is the only module of the crate that does
//! I/O; everything downstream works on the [`Dataset`] it builds.
//!
//! Hourly values are held as `f64` (NaN = missing) so that a decimal input such as CO 1.25
//! keeps the nearest binary value and GB/T 8170 ties round as the decimal says; f32 would move
//! them. A national year (2,000 stations) takes about 840 MB.

pub mod day_files;
pub mod long_format;
pub mod regions;
pub mod stations;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::pollutant::Pollutant;

pub use day_files::{list_day_files, parse_day_file, read_day_files, DayBlock};
pub use long_format::{parse_long_format, read_long_format};
pub use regions::{MatchKind, RegionIndex, RegionMatch};
pub use stations::{parse_station_list, read_station_list, Station, StationList};

/// Where in an input file something is: file, 1-based line, 1-based column and the column's
/// header when known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: Option<usize>,
    pub column_name: Option<String>,
}

impl Location {
    pub fn line(file: &str, line: usize) -> Location {
        Location {
            file: file.to_string(),
            line,
            column: None,
            column_name: None,
        }
    }

    pub fn cell(file: &str, line: usize, column: usize, name: &str) -> Location {
        Location {
            file: file.to_string(),
            line,
            column: Some(column),
            column_name: Some(name.to_string()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: line {}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ", column {c}")?;
            if let Some(n) = &self.column_name {
                write!(f, " ({n})")?;
            }
        }
        Ok(())
    }
}

/// Why input was refused.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
    #[error("{file}: {message}")]
    BadFile { file: String, message: String },
    #[error("city {name:?} matches several regions: {}; add it to the --city-map file", candidates.iter().map(|(c, n)| format!("{n} {c}")).collect::<Vec<_>>().join(", "))]
    AmbiguousCity {
        name: String,
        candidates: Vec<(String, String)>,
    },
    #[error("{0}")]
    Refused(String),
}

impl IngestError {
    pub(crate) fn at(location: Location, message: impl Into<String>) -> IngestError {
        IngestError::Malformed {
            location,
            message: message.into(),
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> IngestError {
        IngestError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Hourly values of the six pollutants over a run of whole days.
#[derive(Clone, Debug, PartialEq)]
pub struct HourlySeries {
    hours: usize,
    /// Pollutant-major: `values[p * hours + d * 24 + h]`.
    values: Vec<f64>,
}

impl HourlySeries {
    /// All missing.
    pub fn missing(days: usize) -> HourlySeries {
        let hours = days * 24;
        HourlySeries {
            hours,
            values: vec![f64::NAN; hours * Pollutant::COUNT],
        }
    }

    pub fn hours(&self) -> usize {
        self.hours
    }

    pub fn days(&self) -> usize {
        self.hours / 24
    }

    pub fn pollutant(&self, p: Pollutant) -> &[f64] {
        &self.values[p.index() * self.hours..(p.index() + 1) * self.hours]
    }

    pub fn pollutant_mut(&mut self, p: Pollutant) -> &mut [f64] {
        &mut self.values[p.index() * self.hours..(p.index() + 1) * self.hours]
    }

    /// The six series in [`Pollutant::ALL`] order.
    pub fn all(&self) -> [&[f64]; 6] {
        std::array::from_fn(|i| self.pollutant(Pollutant::ALL[i]))
    }
}

/// Why an hourly value was treated as missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvalidKind {
    Negative,
    NonNumeric,
    Absurd,
}

/// One invalid value, kept as an example for the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InvalidExample {
    #[serde(flatten)]
    pub location: Location,
    pub station: String,
    pub pollutant: Pollutant,
    pub value: String,
    pub kind: InvalidKind,
}

/// How many examples of invalid values a report keeps.
pub const MAX_EXAMPLES: usize = 20;

/// Counts of invalid hourly values, with the first few as examples.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct InvalidCounts {
    pub negative: u64,
    pub non_numeric: u64,
    pub absurd: u64,
    pub examples: Vec<InvalidExample>,
}

impl InvalidCounts {
    pub fn total(&self) -> u64 {
        self.negative + self.non_numeric + self.absurd
    }

    pub(crate) fn record(&mut self, example: impl FnOnce() -> InvalidExample, kind: InvalidKind) {
        match kind {
            InvalidKind::Negative => self.negative += 1,
            InvalidKind::NonNumeric => self.non_numeric += 1,
            InvalidKind::Absurd => self.absurd += 1,
        }
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(example());
        }
    }

    pub(crate) fn merge(&mut self, other: InvalidCounts) {
        self.negative += other.negative;
        self.non_numeric += other.non_numeric;
        self.absurd += other.absurd;
        let room = MAX_EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.into_iter().take(room));
    }
}

/// A station found in the data but not in the station list: skipped, and reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnknownStation {
    pub code: String,
    /// Day files (or long-format rows) that name it.
    pub files: u64,
    /// Non-empty values skipped.
    pub values: u64,
}

/// What the reader skipped or could not use.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IngestReport {
    pub files_read: usize,
    pub bytes_read: u64,
    /// Days of the year with no day file (day-file input only).
    pub missing_day_files: Vec<NaiveDate>,
    /// Files in the input directory that are not day files of the year.
    pub ignored_files: Vec<String>,
    pub invalid_values: InvalidCounts,
    pub unknown_stations: Vec<UnknownStation>,
    /// Long format: rows outside the year, skipped.
    pub rows_outside_year: u64,
    /// Long format: rows of derived types (AQI, PM2.5_24h …), skipped.
    pub derived_rows_skipped: u64,
}

pub(crate) fn unknown_list(map: BTreeMap<String, (u64, u64)>) -> Vec<UnknownStation> {
    map.into_iter()
        .map(|(code, (files, values))| UnknownStation {
            code,
            files,
            values,
        })
        .collect()
}

/// A year of hourly data of the stations of a station list, in memory.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub year: i32,
    pub stations: StationList,
    /// One series per station of `stations`, in list order.
    pub series: Vec<HourlySeries>,
    /// Whether a station appears in the data at all (a column of a day file, a long-format row).
    pub present: Vec<bool>,
    pub report: IngestReport,
}

impl Dataset {
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).expect("valid year")
    }

    pub fn days(&self) -> usize {
        days_in_year(self.year)
    }

    /// Index of a station code in the station list.
    pub fn station_index(&self, code: &str) -> Option<usize> {
        self.stations.index_of(code)
    }
}

pub fn days_in_year(year: i32) -> usize {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .expect("valid year")
        .ordinal() as usize
}

/// Parses one hourly value. Plain decimals (`45`, `0.82`) take an exact fast path (an integer
/// mantissa of at most 15 digits divided by a power of ten is correctly rounded); anything else
/// goes to a full float parser. `None` = not a finite number.
#[inline]
pub fn parse_value(field: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let n = field.len();
    let neg = n > 0 && field[0] == b'-';
    let mut i = neg as usize;
    let mut mant: u64 = 0;
    let mut digits = 0usize;
    while i < n && field[i].is_ascii_digit() {
        mant = mant.wrapping_mul(10).wrapping_add((field[i] - b'0') as u64);
        digits += 1;
        i += 1;
    }
    let mut scale = 0usize;
    if i < n && field[i] == b'.' {
        i += 1;
        while i < n && field[i].is_ascii_digit() {
            mant = mant.wrapping_mul(10).wrapping_add((field[i] - b'0') as u64);
            digits += 1;
            scale += 1;
            i += 1;
        }
    }
    if i == n && digits > 0 && digits <= 15 {
        let v = mant as f64 / POW10[scale];
        return Some(if neg { -v } else { v });
    }
    let trimmed = field.trim_ascii();
    match fast_float2::parse::<f64, _>(trimmed) {
        Ok(v) if v.is_finite() => Some(v),
        _ => None,
    }
}

/// Classifies a parsed value: `Ok(v)` when valid, otherwise why not.
#[inline]
pub fn check_value(p: Pollutant, parsed: Option<f64>) -> Result<f64, InvalidKind> {
    match parsed {
        None => Err(InvalidKind::NonNumeric),
        Some(v) if v < 0.0 => Err(InvalidKind::Negative),
        Some(v) if v > p.absurd_above() => Err(InvalidKind::Absurd),
        Some(v) => Ok(v),
    }
}

/// Strips a UTF-8 byte-order mark.
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_exactly_like_a_full_parser() {
        for s in [
            "0", "45", "0.82", "1.25", "123.456", "0.1", "7.", ".5", "1e3", "2.5E-1", " 12 ",
        ] {
            let expected: f64 = s.trim().parse().unwrap();
            assert_eq!(parse_value(s.as_bytes()), Some(expected), "{s}");
        }
        assert_eq!(parse_value(b"-5"), Some(-5.0));
        for s in ["", ".", "NA", "—", "nan", "inf", "1.2.3", "12a", "-"] {
            assert_eq!(parse_value(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn invalid_values_are_classified() {
        assert_eq!(
            check_value(Pollutant::Pm25, Some(-1.0)),
            Err(InvalidKind::Negative)
        );
        assert_eq!(check_value(Pollutant::Pm25, Some(0.0)), Ok(0.0));
        assert_eq!(check_value(Pollutant::Pm25, Some(5000.0)), Ok(5000.0));
        assert_eq!(
            check_value(Pollutant::Pm25, Some(5000.1)),
            Err(InvalidKind::Absurd)
        );
        assert_eq!(
            check_value(Pollutant::Co, Some(600.5)),
            Err(InvalidKind::Absurd)
        );
        assert_eq!(
            check_value(Pollutant::O3, None),
            Err(InvalidKind::NonNumeric)
        );
    }
}
