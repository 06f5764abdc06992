//! Reading the measurement CSV of `water assess`: one row per measurement,
//! `section,river_or_lake,kind,region_code,date,parameter,value`.
//!
//! The whole file is checked before anything is evaluated, and every bad field is reported with
//! the file, line and column, so a user can fix the file in one pass. Nothing is guessed: an
//! unknown parameter, a value that is not a number, a section whose kind, region or water body
//! changes between rows are refused, never counted as zero or skipped.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime};

use ecoduty_domain::region::RegionCode;

use crate::model::{check_physical_range, Measurement, Reading, Section, WaterData};
use crate::parameter::{Parameter, WaterBodyKind};

/// The columns of the file, in the documented order (any order is accepted).
pub const COLUMNS: [&str; 7] = [
    "section",
    "river_or_lake",
    "kind",
    "region_code",
    "date",
    "parameter",
    "value",
];

/// Errors past this many stop the reading: by then the file is clearly in the wrong layout.
const MAX_ERRORS: usize = 50;

/// One refused field or row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestError {
    pub file: String,
    /// 1-based line of the file; `None` for a problem with the file as a whole.
    pub line: Option<u64>,
    /// The column at fault, when one is.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": column `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a file (at most 50, then a note that reading stopped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestErrors(pub Vec<IngestError>);

impl fmt::Display for IngestErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for IngestErrors {}

/// Parses a date, or a date and time, as written in monitoring files: `2025-01-15`, `2025/1/15`,
/// `2025-01-15 09:30`, `2025-01-15T09:30:00`.
pub fn parse_taken_at(text: &str) -> Option<NaiveDateTime> {
    const DATE_TIMES: [&str; 6] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ];
    if let Some(dt) = DATE_TIMES
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    {
        return Some(dt);
    }
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

struct Reader<'f> {
    file: &'f str,
    errors: Vec<IngestError>,
}

impl Reader<'_> {
    fn error(&mut self, line: Option<u64>, field: Option<&str>, message: impl Into<String>) {
        self.errors.push(IngestError {
            file: self.file.to_string(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        });
    }

    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
    }
}

/// Where the section was first seen and what it was said to be.
struct SeenSection {
    line: u64,
    section: Section,
}

/// Reads the whole CSV; `file` names it in error messages. All or nothing: on any error, no data.
pub fn read_csv<R: Read>(input: R, file: &str) -> Result<WaterData, IngestErrors> {
    let mut r = Reader {
        file,
        errors: Vec::new(),
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let mut records = csv.records();

    let header = match records.next() {
        None => {
            r.error(
                None,
                None,
                format!(
                    "the file is empty; expected the header {}",
                    COLUMNS.join(",")
                ),
            );
            return Err(IngestErrors(r.errors));
        }
        Some(Err(e)) => {
            r.error(Some(1), None, csv_error_message(&e));
            return Err(IngestErrors(r.errors));
        }
        Some(Ok(h)) => h,
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let mut index = [0usize; 7];
    for (slot, col) in index.iter_mut().zip(COLUMNS) {
        match names.iter().position(|n| n == col) {
            Some(i) => *slot = i,
            None => r.error(
                Some(1),
                Some(col),
                format!(
                    "missing column `{col}` in the header; expected {}",
                    COLUMNS.join(",")
                ),
            ),
        }
        if names.iter().filter(|n| *n == col).count() > 1 {
            r.error(Some(1), Some(col), format!("column `{col}` appears twice"));
        }
    }
    if !r.errors.is_empty() {
        return Err(IngestErrors(r.errors));
    }
    let width = names.len();

    let mut sections: Vec<SeenSection> = Vec::new();
    let mut section_index: HashMap<String, usize> = HashMap::new();
    let mut measurements: Vec<Measurement> = Vec::new();
    let mut first_line: HashMap<(usize, NaiveDateTime, Parameter), u64> = HashMap::new();

    for record in records {
        if r.full() {
            r.error(None, None, format!("stopped after {MAX_ERRORS} errors"));
            break;
        }
        let record = match record {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                r.error(line, None, csv_error_message(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != width {
            r.error(
                Some(line),
                None,
                format!("{} fields, the header has {width}", record.len()),
            );
            continue;
        }
        let field = |i: usize| &record[index[i]];
        let errors_before = r.errors.len();

        let name = field(0);
        if name.is_empty() {
            r.error(Some(line), Some("section"), "empty section name");
        }
        let river_or_lake = field(1);
        if river_or_lake.is_empty() {
            r.error(
                Some(line),
                Some("river_or_lake"),
                "empty river or lake name",
            );
        }
        let kind = field(2)
            .parse::<WaterBodyKind>()
            .map_err(|e| r.error(Some(line), Some("kind"), e.to_string()))
            .ok();
        let region_code = RegionCode::parse(field(3))
            .map_err(|e| r.error(Some(line), Some("region_code"), e.to_string()))
            .ok();
        let taken_at = parse_taken_at(field(4));
        if taken_at.is_none() {
            r.error(
                Some(line),
                Some("date"),
                format!(
                    "`{}` is not a date (expected YYYY-MM-DD, optionally with HH:MM)",
                    field(4)
                ),
            );
        }
        let parameter = field(5)
            .parse::<Parameter>()
            .map_err(|e| r.error(Some(line), Some("parameter"), e.to_string()))
            .ok();
        let reading = match field(6).parse::<Reading>() {
            Ok(reading) => Some(reading),
            Err(e) => {
                r.error(
                    Some(line),
                    Some("value"),
                    format!("{e} (expected a non-negative number, \"<x\" or \"ND\")"),
                );
                None
            }
        };
        if let (Some(p), Some(reading)) = (parameter, reading) {
            if let Err(message) = check_physical_range(p, reading) {
                r.error(Some(line), Some("value"), message);
            }
        }
        let (Some(kind), Some(region_code), Some(taken_at), Some(parameter), Some(reading)) =
            (kind, region_code, taken_at, parameter, reading)
        else {
            continue;
        };
        if r.errors.len() > errors_before {
            continue;
        }

        let section = Section {
            name: name.to_string(),
            river_or_lake: river_or_lake.to_string(),
            kind,
            region_code,
        };
        let idx = match section_index.get(name) {
            Some(&idx) => {
                let seen = &sections[idx];
                let mut consistent = true;
                for (col, was, now) in [
                    ("kind", seen.section.kind.key(), section.kind.key()),
                    (
                        "region_code",
                        seen.section.region_code.as_str(),
                        section.region_code.as_str(),
                    ),
                    (
                        "river_or_lake",
                        seen.section.river_or_lake.as_str(),
                        section.river_or_lake.as_str(),
                    ),
                ] {
                    if was != now {
                        consistent = false;
                        r.error(
                            Some(line),
                            Some(col),
                            format!(
                                "section `{name}` has {col} `{now}` here but `{was}` on line {}",
                                seen.line
                            ),
                        );
                    }
                }
                if !consistent {
                    continue;
                }
                idx
            }
            None => {
                sections.push(SeenSection { line, section });
                section_index.insert(name.to_string(), sections.len() - 1);
                sections.len() - 1
            }
        };
        if let Some(first) = first_line.insert((idx, taken_at, parameter), line) {
            r.error(
                Some(line),
                Some("parameter"),
                format!(
                    "a second `{parameter}` value for section `{name}` at {}; the first is on line {first}",
                    field(4)
                ),
            );
            continue;
        }
        measurements.push(Measurement {
            section: name.to_string(),
            taken_at,
            parameter,
            reading,
        });
    }

    if !r.errors.is_empty() {
        return Err(IngestErrors(r.errors));
    }
    let sections = sections.into_iter().map(|s| s.section).collect();
    WaterData::new(sections, measurements).map_err(|e| {
        // The row checks above cover every rule of `WaterData::new`; this is a safety net.
        IngestErrors(vec![IngestError {
            file: file.to_string(),
            line: None,
            field: None,
            message: e.to_string(),
        }])
    })
}

fn csv_error_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "the line is not UTF-8 text; save the file as UTF-8 CSV".to_string()
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "section,river_or_lake,kind,region_code,date,parameter,value\n";

    fn read(body: &str) -> Result<WaterData, IngestErrors> {
        read_csv(format!("{HEADER}{body}").as_bytes(), "w.csv")
    }

    fn only_error(body: &str) -> IngestError {
        let errs = read(body).unwrap_err().0;
        assert_eq!(errs.len(), 1, "{errs:?}");
        errs.into_iter().next().unwrap()
    }

    #[test]
    fn reads_a_small_file() {
        let data = read(
            "甲,卫河,river,4108,2025-01-10,nh3n,0.5\n\
             甲,卫河,river,410800,2025-01-10,cd,<0.002\n\
             甲,卫河,river,410800,2025/2/10,cd,ND\n\
             \n\
             乙,群英湖,lake,410821,2025-01-10 09:30,tn,1.2\n",
        )
        .unwrap();
        assert_eq!(data.sections().len(), 2);
        assert_eq!(data.sections()[0].region_code.as_str(), "410800");
        assert_eq!(data.sections()[1].kind, WaterBodyKind::Lake);
        assert_eq!(data.measurements().len(), 4);
        assert_eq!(
            data.measurements()[1].reading,
            Reading::BelowDetection("0.002".parse().unwrap())
        );
        assert_eq!(data.measurements()[2].reading, Reading::NotDetected);
    }

    #[test]
    fn header_in_another_order_with_bom_and_extra_columns() {
        let data = read_csv(
            "\u{feff}date,section,kind,river_or_lake,region_code,value,parameter,备注\n\
             2025-01-10,甲,river,卫河,410800,7.1,ph,\n"
                .as_bytes(),
            "w.csv",
        )
        .unwrap();
        assert_eq!(data.measurements()[0].parameter, Parameter::Ph);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let cases = [
            (
                "甲,卫河,river,410800,2025-01-10,temp,1\n",
                "parameter",
                "unknown parameter",
            ),
            (
                "甲,卫河,sea,410800,2025-01-10,ph,7\n",
                "kind",
                "unknown kind",
            ),
            (
                "甲,卫河,river,41080,2025-01-10,ph,7\n",
                "region_code",
                "41080",
            ),
            (
                "甲,卫河,river,410800,2025-13-10,ph,7\n",
                "date",
                "not a date",
            ),
            (
                "甲,卫河,river,410800,2025-01-10,ph,abc\n",
                "value",
                "not a number",
            ),
            (
                "甲,卫河,river,410800,2025-01-10,cod,-1\n",
                "value",
                "negative",
            ),
            ("甲,卫河,river,410800,2025-01-10,cod,\n", "value", "empty"),
            ("甲,卫河,river,410800,2025-01-10,ph,15\n", "value", "0–14"),
            (",卫河,river,410800,2025-01-10,ph,7\n", "section", "empty"),
        ];
        for (row, field, needle) in cases {
            let e = only_error(row);
            assert_eq!(e.line, Some(2), "{row}");
            assert_eq!(e.field.as_deref(), Some(field), "{row}");
            assert!(e.message.contains(needle), "{row}: {}", e.message);
            assert!(e.to_string().starts_with("w.csv:2: column `"), "{e}");
        }
    }

    #[test]
    fn a_section_may_not_change_kind_region_or_water_body() {
        let base = "甲,卫河,river,410800,2025-01-10,ph,7\n";
        for (row, field) in [
            ("甲,卫河,lake,410800,2025-02-10,ph,7\n", "kind"),
            ("甲,卫河,river,410900,2025-02-10,ph,7\n", "region_code"),
            ("甲,沁河,river,410800,2025-02-10,ph,7\n", "river_or_lake"),
        ] {
            let e = only_error(&format!("{base}{row}"));
            assert_eq!(e.line, Some(3));
            assert_eq!(e.field.as_deref(), Some(field));
            assert!(e.message.contains("line 2"), "{}", e.message);
        }
        // The padded and short forms of one code are the same region.
        assert!(read(&format!("{base}甲,卫河,river,4108,2025-02-10,ph,7\n")).is_ok());
    }

    #[test]
    fn duplicate_measurements_are_refused() {
        let e = only_error(
            "甲,卫河,river,410800,2025-01-10,ph,7\n\
             甲,卫河,river,410800,2025-01-10,ph,7.2\n",
        );
        assert_eq!((e.line, e.field.as_deref()), (Some(3), Some("parameter")));
        assert!(e.message.contains("line 2"));
    }

    #[test]
    fn every_error_of_the_file_is_reported() {
        let errs = read(
            "甲,卫河,river,410800,2025-01-10,ph,7\n\
             甲,卫河,river,410800,bad,zz,1\n\
             甲,卫河,river,410800,2025-01-11,cod\n\
             甲,卫河,river,410800,2025-01-12,cod,x\n",
        )
        .unwrap_err()
        .0;
        let at: Vec<_> = errs.iter().map(|e| (e.line, e.field.as_deref())).collect();
        assert_eq!(
            at,
            vec![
                (Some(3), Some("date")),
                (Some(3), Some("parameter")),
                (Some(4), None),
                (Some(5), Some("value")),
            ]
        );
    }

    #[test]
    fn bad_headers_and_empty_files() {
        let e = read_csv("section,kind\n".as_bytes(), "w.csv")
            .unwrap_err()
            .0;
        assert!(e.iter().any(|e| e.field.as_deref() == Some("value")));
        assert!(e.iter().all(|e| e.line == Some(1)));
        let e = read_csv("".as_bytes(), "w.csv").unwrap_err().0;
        assert!(e[0].message.contains("empty"));
        let e = read_csv(b"section,\xff\n".as_slice(), "w.csv")
            .unwrap_err()
            .0;
        assert!(e[0].message.contains("UTF-8"), "{:?}", e);
    }

    #[test]
    fn an_endless_stream_of_errors_stops() {
        let body = "甲,卫河,river,410800,2025-01-10,zz,1\n".repeat(200);
        let errs = read(&body).unwrap_err().0;
        assert_eq!(errs.len(), MAX_ERRORS + 1);
        assert!(errs.last().unwrap().message.contains("stopped"));
    }

    #[test]
    fn dates_with_and_without_time() {
        let d = NaiveDate::from_ymd_opt(2025, 1, 5).unwrap();
        assert_eq!(parse_taken_at("2025-01-05"), d.and_hms_opt(0, 0, 0));
        assert_eq!(parse_taken_at("2025/1/5"), d.and_hms_opt(0, 0, 0));
        assert_eq!(parse_taken_at("2025-01-05 08:00"), d.and_hms_opt(8, 0, 0));
        assert_eq!(
            parse_taken_at("2025-01-05T08:00:30"),
            d.and_hms_opt(8, 0, 30)
        );
        assert_eq!(parse_taken_at("2025-02-30"), None);
        assert_eq!(parse_taken_at("05.01.2025"), None);
    }
}
