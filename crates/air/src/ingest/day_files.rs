//! The national-network day files: one `china_sites_YYYYMMDD.csv` per day, header
//! `date,hour,type,<station code>…`, one row per hour and type, empty cell = missing.
//!
//! A hand-written byte-level reader: rows are found with memchr, derived types (AQI,
//! PM2.5_24h …) are skipped after their third field, values take an exact decimal fast path.
//! Files are parsed in parallel in batches and scattered into per-station series, so memory
//! stays near the size of the final dataset.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use memchr::memchr;
use rayon::prelude::*;

use super::{
    check_value, days_in_year, parse_value, strip_bom, unknown_list, Dataset, HourlySeries,
    IngestError, IngestReport, InvalidCounts, InvalidExample, Location, StationList,
};
use crate::pollutant::{Pollutant, DERIVED_TYPES};

const NO_SLOT: u32 = u32::MAX;
/// Values per station in a [`DayBlock`]: 6 pollutants × 24 hours.
const PER_STATION: usize = Pollutant::COUNT * 24;
/// Files parsed before their values are scattered into the series.
const BATCH: usize = 32;

/// The date in a day file's name, when the name is `china_sites_YYYYMMDD.csv`.
/// `Err` when the name has the pattern but not a real date.
pub fn day_file_date(name: &str) -> Option<Result<NaiveDate, String>> {
    let digits = name.strip_prefix("china_sites_")?.strip_suffix(".csv")?;
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        NaiveDate::parse_from_str(digits, "%Y%m%d")
            .map_err(|_| format!("{digits} in the file name is not a date")),
    )
}

/// Day files of a directory (sorted by date) and the names of its other files.
pub type DayFileListing = (Vec<(NaiveDate, PathBuf)>, Vec<String>);

/// Day files in a directory, sorted by date, and the other file names found there.
pub fn list_day_files(dir: &Path) -> Result<DayFileListing, IngestError> {
    let mut files = Vec::new();
    let mut others = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| IngestError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IngestError::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match day_file_date(&name) {
            Some(Ok(date)) => files.push((date, entry.path())),
            Some(Err(message)) => {
                return Err(IngestError::BadFile {
                    file: name,
                    message,
                })
            }
            None => others.push(name),
        }
    }
    files.sort();
    others.sort();
    Ok((files, others))
}

/// One parsed day file: the values of the known stations it lists.
#[derive(Debug)]
pub struct DayBlock {
    pub date: NaiveDate,
    /// Station-list index of each slot.
    pub stations: Vec<u32>,
    /// `values[slot * 144 + p * 24 + h]`, NaN = missing.
    pub values: Vec<f64>,
    pub invalid: InvalidCounts,
    /// Codes not in the station list, with their count of non-empty values.
    pub unknown: Vec<(String, u64)>,
    pub bytes: u64,
}

impl DayBlock {
    /// The 24 hours of pollutant `p` of slot `slot`.
    pub fn hours(&self, slot: usize, p: Pollutant) -> &[f64] {
        let start = slot * PER_STATION + p.index() * 24;
        &self.values[start..start + 24]
    }
}

/// Parses one day file's bytes. `file` names it in messages; `date` is the date of its name,
/// which every row must carry.
pub fn parse_day_file(
    bytes: &[u8],
    file: &str,
    date: NaiveDate,
    stations: &StationList,
) -> Result<DayBlock, IngestError> {
    let bytes = strip_bom(bytes);
    let expected_date = format!("{:04}{:02}{:02}", date.year(), date.month(), date.day());
    let header_end = memchr(b'\n', bytes).unwrap_or(bytes.len());
    let header = trim_cr(&bytes[..header_end]);
    let header_fields: Vec<&[u8]> = header.split(|&b| b == b',').collect();
    for (i, want) in ["date", "hour", "type"].iter().enumerate() {
        let got = header_fields.get(i).copied().unwrap_or(b"");
        if got != want.as_bytes() {
            return Err(IngestError::at(
                Location::cell(file, 1, i + 1, want),
                format!(
                    "the header must start with date,hour,type; found {:?}",
                    String::from_utf8_lossy(got)
                ),
            ));
        }
    }
    // Column → slot of a known station, or NO_SLOT for an unknown one.
    let codes: Vec<String> = header_fields[3..]
        .iter()
        .map(|c| String::from_utf8_lossy(c.trim_ascii()).into_owned())
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut col_slot = Vec::with_capacity(codes.len());
    let mut slot_station = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        if code.is_empty() {
            return Err(IngestError::at(
                Location::cell(file, 1, i + 4, ""),
                "empty station code in the header",
            ));
        }
        if let Some(first) = seen.insert(code, i) {
            return Err(IngestError::at(
                Location::cell(file, 1, i + 4, code),
                format!("station {code} is also column {}", first + 4),
            ));
        }
        match stations.index_of(code) {
            Some(s) => {
                col_slot.push(slot_station.len() as u32);
                slot_station.push(s as u32);
            }
            None => col_slot.push(NO_SLOT),
        }
    }
    let ncols = codes.len();
    let mut values = vec![f64::NAN; slot_station.len() * PER_STATION];
    let mut unknown_values = vec![0u64; ncols];
    let mut invalid = InvalidCounts::default();
    let mut seen_rows = [[0usize; 24]; Pollutant::COUNT];

    let mut pos = (header_end + 1).min(bytes.len());
    let mut line_no = 1;
    while pos < bytes.len() {
        line_no += 1;
        let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = trim_cr(&bytes[pos..end]);
        pos = end + 1;
        if line.is_empty() {
            continue;
        }
        let (date_field, rest) = split_field(line);
        if date_field != expected_date.as_bytes() {
            let shown = String::from_utf8_lossy(date_field);
            let msg = if date_field.len() == 8
                && date_field.iter().all(u8::is_ascii_digit)
                && NaiveDate::parse_from_str(&shown, "%Y%m%d").is_ok()
            {
                format!("date {shown} does not match the file name's date {expected_date}")
            } else {
                format!("{shown:?} is not a date (YYYYMMDD)")
            };
            return Err(IngestError::at(
                Location::cell(file, line_no, 1, "date"),
                msg,
            ));
        }
        let Some(rest) = rest else {
            return Err(too_few(file, line_no, 1, ncols));
        };
        let (hour_field, rest) = split_field(rest);
        let hour = parse_hour(hour_field).ok_or_else(|| {
            IngestError::at(
                Location::cell(file, line_no, 2, "hour"),
                format!(
                    "{:?} is not an hour 0–23",
                    String::from_utf8_lossy(hour_field)
                ),
            )
        })?;
        let Some(rest) = rest else {
            return Err(too_few(file, line_no, 2, ncols));
        };
        let (type_field, rest) = split_field(rest);
        let Some(p) = Pollutant::from_code_bytes(type_field) else {
            if DERIVED_TYPES.iter().any(|t| t.as_bytes() == type_field) {
                continue;
            }
            return Err(IngestError::at(
                Location::cell(file, line_no, 3, "type"),
                format!(
                    "unknown type {:?} (expected PM2.5, PM10, SO2, NO2, CO, O3 or a derived type)",
                    String::from_utf8_lossy(type_field)
                ),
            ));
        };
        let first = &mut seen_rows[p.index()][hour];
        if *first != 0 {
            return Err(IngestError::at(
                Location::line(file, line_no),
                format!("second {p} row for hour {hour} (the first is line {first})"),
            ));
        }
        *first = line_no;

        // Value fields, one per station column.
        let data = rest.unwrap_or(b"");
        let mut count = 0usize;
        if rest.is_some() {
            let mut start = 0;
            loop {
                let stop = data[start..]
                    .iter()
                    .position(|&b| b == b',')
                    .map_or(data.len(), |i| start + i);
                let field = &data[start..stop];
                if count >= ncols {
                    return Err(IngestError::at(
                        Location::line(file, line_no),
                        format!("more fields than the header's {} columns", ncols + 3),
                    ));
                }
                if !field.is_empty() {
                    let slot = col_slot[count];
                    if slot == NO_SLOT {
                        unknown_values[count] += 1;
                    } else {
                        match check_value(p, parse_value(field)) {
                            Ok(v) => {
                                values[slot as usize * PER_STATION + p.index() * 24 + hour] = v
                            }
                            Err(kind) => invalid.record(
                                || InvalidExample {
                                    location: Location::cell(
                                        file,
                                        line_no,
                                        count + 4,
                                        &codes[count],
                                    ),
                                    station: codes[count].clone(),
                                    pollutant: p,
                                    value: String::from_utf8_lossy(field).into_owned(),
                                    kind,
                                },
                                kind,
                            ),
                        }
                    }
                }
                count += 1;
                if stop == data.len() {
                    break;
                }
                start = stop + 1;
            }
        }
        if count != ncols {
            return Err(too_few(file, line_no, count + 3, ncols));
        }
    }
    let unknown = codes
        .iter()
        .zip(&col_slot)
        .zip(&unknown_values)
        .filter(|((_, &s), _)| s == NO_SLOT)
        .map(|((c, _), &n)| (c.clone(), n))
        .collect();
    Ok(DayBlock {
        date,
        stations: slot_station,
        values,
        invalid,
        unknown,
        bytes: bytes.len() as u64,
    })
}

fn too_few(file: &str, line: usize, found: usize, ncols: usize) -> IngestError {
    IngestError::at(
        Location::line(file, line),
        format!("{found} fields where the header has {}", ncols + 3),
    )
}

#[inline]
fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Splits off the first field; `None` for the rest when there is no comma.
#[inline]
fn split_field(s: &[u8]) -> (&[u8], Option<&[u8]>) {
    match memchr(b',', s) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

fn parse_hour(f: &[u8]) -> Option<usize> {
    if f.is_empty() || f.len() > 2 || !f.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let h = f.iter().fold(0usize, |a, &b| a * 10 + (b - b'0') as usize);
    (h < 24).then_some(h)
}

/// Reads the day files of `year` from `dir` for the stations of `stations`. Stations in the
/// files but not in the list are skipped and reported; other files are listed as ignored.
pub fn read_day_files(
    dir: &Path,
    year: i32,
    stations: StationList,
) -> Result<Dataset, IngestError> {
    let (files, others) = list_day_files(dir)?;
    let mut report = IngestReport {
        ignored_files: others,
        ..IngestReport::default()
    };
    let mut in_year = Vec::new();
    for (date, path) in files {
        if date.year() == year {
            in_year.push((date, path));
        } else {
            report
                .ignored_files
                .push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    if in_year.is_empty() {
        return Err(IngestError::Refused(format!(
            "no day files china_sites_{year}MMDD.csv in {}",
            dir.display()
        )));
    }
    let days = days_in_year(year);
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let mut have = vec![false; days];
    for (d, _) in &in_year {
        have[d.ordinal0() as usize] = true;
    }
    report.missing_day_files = (0..days)
        .filter(|&d| !have[d])
        .map(|d| first + chrono::Days::new(d as u64))
        .collect();

    let mut series: Vec<HourlySeries> = (0..stations.len())
        .into_par_iter()
        .map(|_| HourlySeries::missing(days))
        .collect();
    let mut present = vec![false; stations.len()];
    let mut unknown: BTreeMap<String, (u64, u64)> = BTreeMap::new();

    for batch in in_year.chunks(BATCH) {
        let blocks: Vec<DayBlock> = batch
            .par_iter()
            .map(|(date, path)| {
                let bytes = std::fs::read(path).map_err(|e| IngestError::io(path, e))?;
                let name = path.file_name().unwrap().to_string_lossy();
                parse_day_file(&bytes, &name, *date, &stations)
            })
            .collect::<Result<_, _>>()?;
        // Slot of every station in every block, so the scatter below is a lookup.
        let slots: Vec<Vec<u32>> = blocks
            .iter()
            .map(|b| {
                let mut s = vec![NO_SLOT; stations.len()];
                for (slot, &st) in b.stations.iter().enumerate() {
                    s[st as usize] = slot as u32;
                }
                s
            })
            .collect();
        series
            .par_iter_mut()
            .zip(present.par_iter_mut())
            .enumerate()
            .for_each(|(si, (s, seen))| {
                for (b, slot) in blocks.iter().zip(&slots) {
                    let slot = slot[si];
                    if slot == NO_SLOT {
                        continue;
                    }
                    *seen = true;
                    let d = b.date.ordinal0() as usize;
                    for p in Pollutant::ALL {
                        s.pollutant_mut(p)[d * 24..d * 24 + 24]
                            .copy_from_slice(b.hours(slot as usize, p));
                    }
                }
            });
        for b in blocks {
            report.files_read += 1;
            report.bytes_read += b.bytes;
            report.invalid_values.merge(b.invalid);
            for (code, n) in b.unknown {
                let e = unknown.entry(code).or_default();
                e.0 += 1;
                e.1 += n;
            }
        }
    }
    report.unknown_stations = unknown_list(unknown);
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

    fn list(codes: &[&str]) -> StationList {
        StationList::new(
            codes
                .iter()
                .map(|c| Station {
                    code: c.to_string(),
                    name: String::new(),
                    city: "焦作市".into(),
                    longitude: None,
                    latitude: None,
                })
                .collect(),
        )
        .unwrap()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
    }

    fn parse(text: &str) -> Result<DayBlock, IngestError> {
        parse_day_file(
            text.as_bytes(),
            "china_sites_20250101.csv",
            day(),
            &list(&["1001A", "1002A"]),
        )
    }

    #[test]
    fn reads_inputs_skips_derived_rows_and_unknown_stations() {
        let text = "date,hour,type,1001A,9999A,1002A\r\n\
                    20250101,0,AQI,50,60,70\r\n\
                    20250101,0,PM2.5,30,31,\r\n\
                    20250101,0,PM2.5_24h,x,y,z\r\n\
                    20250101,1,CO,0.8,1.1,1.25\r\n\
                    20250101,1,O3,-3,,abc\r\n\
                    20250101,2,PM10,6001,,5999\r\n";
        let b = parse(text).unwrap();
        assert_eq!(b.stations, vec![0, 1]);
        assert_eq!(b.hours(0, Pollutant::Pm25)[0], 30.0);
        assert!(b.hours(1, Pollutant::Pm25)[0].is_nan());
        assert_eq!(b.hours(1, Pollutant::Co)[1], 1.25);
        assert!(b.hours(0, Pollutant::O3)[1].is_nan());
        assert!(b.hours(0, Pollutant::Pm10)[2].is_nan());
        assert_eq!(b.hours(1, Pollutant::Pm10)[2], 5999.0);
        assert_eq!(
            (b.invalid.negative, b.invalid.non_numeric, b.invalid.absurd),
            (1, 1, 1)
        );
        let ex = &b.invalid.examples[1];
        assert_eq!(
            ex.location.to_string(),
            "china_sites_20250101.csv: line 6, column 6 (1002A)"
        );
        assert_eq!(ex.value, "abc");
        assert_eq!(b.unknown, vec![("9999A".to_string(), 2)]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let cases = [
            (
                "date,hour,kind,1001A\n",
                "china_sites_20250101.csv: line 1, column 3 (type): the header must start with date,hour,type; found \"kind\"",
            ),
            (
                "date,hour,type,1001A\n20250102,0,PM2.5,3\n",
                "china_sites_20250101.csv: line 2, column 1 (date): date 20250102 does not match the file name's date 20250101",
            ),
            (
                "date,hour,type,1001A\n2025011,0,PM2.5,3\n",
                "china_sites_20250101.csv: line 2, column 1 (date): \"2025011\" is not a date (YYYYMMDD)",
            ),
            (
                "date,hour,type,1001A\n20250101,24,PM2.5,3\n",
                "china_sites_20250101.csv: line 2, column 2 (hour): \"24\" is not an hour 0–23",
            ),
            (
                "date,hour,type,1001A\n20250101,1,PM1,3\n",
                "china_sites_20250101.csv: line 2, column 3 (type): unknown type \"PM1\" (expected PM2.5, PM10, SO2, NO2, CO, O3 or a derived type)",
            ),
            (
                "date,hour,type,1001A,1002A\n20250101,1,SO2,3\n",
                "china_sites_20250101.csv: line 2: 4 fields where the header has 5",
            ),
            (
                "date,hour,type,1001A\n20250101,1,SO2,3,4\n",
                "china_sites_20250101.csv: line 2: more fields than the header's 4 columns",
            ),
            (
                "date,hour,type,1001A\n20250101,1,SO2,3\n20250101,1,SO2,4\n",
                "china_sites_20250101.csv: line 3: second SO2 row for hour 1 (the first is line 2)",
            ),
            (
                "date,hour,type,1001A,1001A\n",
                "china_sites_20250101.csv: line 1, column 5 (1001A): station 1001A is also column 4",
            ),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(
            day_file_date("china_sites_20250101.csv"),
            Some(Ok(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()))
        );
        assert!(matches!(
            day_file_date("china_sites_20250230.csv"),
            Some(Err(_))
        ));
        assert_eq!(day_file_date("china_cities_20250101.csv"), None);
        assert_eq!(day_file_date("stations.csv"), None);
    }

    #[test]
    fn a_directory_becomes_a_dataset() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("china_sites_20250102.csv"),
            "date,hour,type,1002A,8888A\n20250102,5,NO2,41,7\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("china_sites_20240102.csv"),
            "date,hour,type,1002A\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("readme.txt"), "x").unwrap();
        let ds = read_day_files(dir.path(), 2025, list(&["1001A", "1002A"])).unwrap();
        assert_eq!(ds.series.len(), 2);
        assert_eq!(ds.present, vec![false, true]);
        assert_eq!(ds.series[1].pollutant(Pollutant::No2)[24 + 5], 41.0);
        assert_eq!(ds.report.files_read, 1);
        assert_eq!(ds.report.missing_day_files.len(), 364);
        assert_eq!(
            ds.report.ignored_files,
            vec!["readme.txt", "china_sites_20240102.csv"]
        );
        assert_eq!(ds.report.unknown_stations[0].code, "8888A");
        let err = read_day_files(dir.path(), 2023, list(&["1001A"])).unwrap_err();
        assert!(err.to_string().starts_with("no day files"), "{err}");
    }
}
