//! The long format: `station,time,pollutant,value`, one row per hourly value. `time` is
//! `YYYY-MM-DD HH` or `YYYY-MM-DDTHH:MM` (minutes 00) and names the hour label: the hour
//! starting then. Unlike the day files, a station missing from the station list is an error
//! naming the line: a long file is usually hand-made, and a typo should stop it.

use std::io::Read;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::{
    check_value, days_in_year, parse_value, Dataset, HourlySeries, IngestError, IngestReport,
    InvalidExample, Location, StationList,
};
use crate::pollutant::{Pollutant, DERIVED_TYPES};

pub fn read_long_format(
    path: &Path,
    year: Option<i32>,
    stations: StationList,
) -> Result<Dataset, IngestError> {
    let file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
    parse_long_format(file, &path.display().to_string(), year, stations)
}

/// Parses `YYYY-MM-DD HH` or `YYYY-MM-DDTHH:MM` into a date and hour label.
pub fn parse_time(s: &str) -> Option<(NaiveDate, usize)> {
    let s = s.trim();
    if s.len() < 13 {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let rest = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('T'))?;
    let hour = match rest.split_once(':') {
        None => rest,
        Some((h, "00")) => h,
        Some(_) => return None,
    };
    if hour.len() != 2 || !hour.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: usize = hour.parse().ok()?;
    (h < 24).then_some((date, h))
}

/// Reads long-format rows into a dataset of `year` (or of the year of the first row).
pub fn parse_long_format(
    reader: impl Read,
    source: &str,
    year: Option<i32>,
    stations: StationList,
) -> Result<Dataset, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut report = IngestReport {
        files_read: 1,
        ..IngestReport::default()
    };
    let mut year = year;
    let mut series: Vec<HourlySeries> = Vec::new();
    let mut present = vec![false; stations.len()];
    let mut record = csv::ByteRecord::new();
    let mut first = true;
    let err_at = |e: csv::Error| {
        let line = e.position().map_or(0, |p| p.line() as usize);
        IngestError::at(Location::line(source, line), e.to_string())
    };
    while rdr.read_byte_record(&mut record).map_err(err_at)? {
        let line = record.position().map_or(0, |p| p.line() as usize);
        if first {
            first = false;
            let mut fields: Vec<&[u8]> = record.iter().collect();
            if let Some(f) = fields.first_mut() {
                *f = super::strip_bom(f);
            }
            let want: [&[u8]; 4] = [b"station", b"time", b"pollutant", b"value"];
            if fields.len() != 4 || fields.iter().zip(want).any(|(a, b)| a.trim_ascii() != b) {
                return Err(IngestError::at(
                    Location::line(source, line),
                    "the header must be station,time,pollutant,value",
                ));
            }
            continue;
        }
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if record.len() != 4 {
            return Err(IngestError::at(
                Location::line(source, line),
                format!("{} fields where the header has 4", record.len()),
            ));
        }
        let text = |i: usize| String::from_utf8_lossy(record[i].trim_ascii()).into_owned();
        let code = text(0);
        let Some(si) = stations.index_of(&code) else {
            return Err(IngestError::at(
                Location::cell(source, line, 1, "station"),
                format!("station {code:?} is not in the station list"),
            ));
        };
        let time = text(1);
        let Some((date, hour)) = parse_time(&time) else {
            return Err(IngestError::at(
                Location::cell(source, line, 2, "time"),
                format!("{time:?} is not a time YYYY-MM-DD HH or YYYY-MM-DDTHH:00"),
            ));
        };
        let code_p = record[2].trim_ascii();
        let Some(p) = Pollutant::from_code_bytes(code_p) else {
            if DERIVED_TYPES.iter().any(|t| t.as_bytes() == code_p) {
                report.derived_rows_skipped += 1;
                continue;
            }
            return Err(IngestError::at(
                Location::cell(source, line, 3, "pollutant"),
                format!(
                    "unknown pollutant {:?} (expected PM2.5, PM10, SO2, NO2, CO or O3)",
                    text(2)
                ),
            ));
        };
        let y = *year.get_or_insert(date.year());
        if date.year() != y {
            report.rows_outside_year += 1;
            continue;
        }
        if series.is_empty() {
            series = vec![HourlySeries::missing(days_in_year(y)); stations.len()];
        }
        present[si] = true;
        let field = record[3].trim_ascii();
        if field.is_empty() {
            continue;
        }
        match check_value(p, parse_value(field)) {
            Ok(v) => {
                let slot = &mut series[si].pollutant_mut(p)[date.ordinal0() as usize * 24 + hour];
                if !slot.is_nan() {
                    return Err(IngestError::at(
                        Location::line(source, line),
                        format!("a second {p} value for station {code} at {time}"),
                    ));
                }
                *slot = v;
            }
            Err(kind) => report.invalid_values.record(
                || InvalidExample {
                    location: Location::cell(source, line, 4, "value"),
                    station: code.clone(),
                    pollutant: p,
                    value: text(3),
                    kind,
                },
                kind,
            ),
        }
    }
    let Some(year) = year else {
        return Err(IngestError::BadFile {
            file: source.into(),
            message: "no data rows".into(),
        });
    };
    if series.is_empty() {
        series = vec![HourlySeries::missing(days_in_year(year)); stations.len()];
    }
    Ok(Dataset {
        year,
        stations,
        series,
        present,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Station;

    fn list() -> StationList {
        StationList::new(vec![Station {
            code: "1001A".into(),
            name: String::new(),
            city: "北京".into(),
            longitude: None,
            latitude: None,
        }])
        .unwrap()
    }

    #[test]
    fn times_name_the_hour_label() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        assert_eq!(parse_time("2025-03-01 05"), Some((d, 5)));
        assert_eq!(parse_time("2025-03-01T23:00"), Some((d, 23)));
        assert_eq!(parse_time("2025-03-01T23:30"), None);
        assert_eq!(parse_time("2025-03-01 24"), None);
        assert_eq!(parse_time("2025-02-30 01"), None);
        assert_eq!(parse_time("2025-03-01"), None);
    }

    #[test]
    fn reads_rows_and_counts_invalid_values() {
        let text = "station,time,pollutant,value\n\
                    1001A,2025-01-02 03,PM2.5,41\n\
                    1001A,2025-01-02T04:00,CO,1.3\n\
                    1001A,2025-01-02 05,CO,-1\n\
                    1001A,2025-01-02 06,AQI,80\n\
                    1001A,2024-12-31 06,O3,80\n\
                    1001A,2025-01-02 07,O3,\n";
        let ds = parse_long_format(text.as_bytes(), "l.csv", None, list()).unwrap();
        assert_eq!(ds.year, 2025);
        assert_eq!(ds.series[0].pollutant(Pollutant::Pm25)[27], 41.0);
        assert_eq!(ds.series[0].pollutant(Pollutant::Co)[28], 1.3);
        assert_eq!(ds.report.invalid_values.negative, 1);
        assert_eq!(
            ds.report.invalid_values.examples[0].location.to_string(),
            "l.csv: line 4, column 4 (value)"
        );
        assert_eq!(ds.report.derived_rows_skipped, 1);
        assert_eq!(ds.report.rows_outside_year, 1);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "station,time,value\n",
                "l.csv: line 1: the header must be station,time,pollutant,value",
            ),
            (
                "station,time,pollutant,value\n1001A,2025-01-02 03,PM2.5,41\n2002A,2025-01-02 03,PM2.5,41\n",
                "l.csv: line 3, column 1 (station): station \"2002A\" is not in the station list",
            ),
            (
                "station,time,pollutant,value\n1001A,2025/01/02 03,PM2.5,41\n",
                "l.csv: line 2, column 2 (time): \"2025/01/02 03\" is not a time YYYY-MM-DD HH or YYYY-MM-DDTHH:00",
            ),
            (
                "station,time,pollutant,value\n1001A,2025-01-02 03,pm25,41\n",
                "l.csv: line 2, column 3 (pollutant): unknown pollutant \"pm25\" (expected PM2.5, PM10, SO2, NO2, CO or O3)",
            ),
            (
                "station,time,pollutant,value\n1001A,2025-01-02 03,PM10,41\n1001A,2025-01-02 03,PM10,42\n",
                "l.csv: line 3: a second PM10 value for station 1001A at 2025-01-02 03",
            ),
            (
                "station,time,pollutant,value\n1001A,2025-01-02 03,PM10\n",
                "l.csv: line 2: 3 fields where the header has 4",
            ),
        ];
        for (text, want) in cases {
            let err = parse_long_format(text.as_bytes(), "l.csv", None, list()).unwrap_err();
            assert_eq!(err.to_string(), want);
        }
    }
}
