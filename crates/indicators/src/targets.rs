//! Targets per region, indicator and year, and the rows of a targets file.
//!
//! The reading layer (CSV or XLSX) hands over numbered rows of text cells; this module checks
//! them: the header `region_code,indicator,year,target` (or 区划代码,指标,年度,目标值, in any
//! order, extra columns ignored), then each row. All or nothing: one bad cell and no target is
//! returned, only the full list of errors, each naming its line and column.

use std::collections::HashMap;
use std::fmt;

use ecoduty_domain::RegionCode;
use serde::Serialize;

use crate::catalogue::{by_key, Indicator};
use crate::status::{evaluate, IndicatorStatus, MonthlyYtd, StatusError};

/// The target a region must reach for an indicator in a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    pub region_code: RegionCode,
    pub indicator: &'static Indicator,
    pub year: i32,
    /// In the indicator's unit; reached when the value is at or better in its direction.
    pub value: f64,
}

impl Target {
    /// The status of this target's indicator from the year's values; they must be of the
    /// target's year.
    pub fn evaluate(
        &self,
        current: &MonthlyYtd,
        closed: bool,
        history: &[MonthlyYtd],
    ) -> Result<IndicatorStatus, StatusError> {
        if current.year != self.year {
            return Err(StatusError::YearMismatch {
                values: current.year,
                target: self.year,
            });
        }
        evaluate(self.indicator, self.value, current, closed, history)
    }
}

/// A refused cell or row of a targets file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRowError {
    pub line: u64,
    /// The column at fault, by its English key, when one is.
    pub field: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for TargetRowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(field) = self.field {
            write!(f, ": column `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The columns: English key and accepted Chinese header.
pub const COLUMNS: [(&str, &str); 4] = [
    ("region_code", "区划代码"),
    ("indicator", "指标"),
    ("year", "年度"),
    ("target", "目标值"),
];

/// Years a target may be set for.
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2100;

fn parse_year(text: &str) -> Option<i32> {
    // Spreadsheet cells may carry a whole number as "2025.0".
    let text = text.strip_suffix(".0").unwrap_or(text);
    text.parse().ok().filter(|y| YEARS.contains(y))
}

/// Checks the rows of a targets file: the first row is the header, each row is `(line, cells)`.
/// Rows whose cells are all blank are skipped.
pub fn parse_targets(
    rows: impl IntoIterator<Item = (u64, Vec<String>)>,
) -> Result<Vec<Target>, Vec<TargetRowError>> {
    let mut rows = rows.into_iter();
    let mut errors = Vec::new();
    let Some((header_line, header)) = rows.next() else {
        return Err(vec![TargetRowError {
            line: 1,
            field: None,
            message: "the file is empty; expected the header region_code,indicator,year,target"
                .into(),
        }]);
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let mut index = [0usize; 4];
    for (slot, (key, zh)) in index.iter_mut().zip(COLUMNS) {
        let found: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| n.as_str() == key || n.as_str() == zh)
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [i] => *slot = *i,
            [] => errors.push(TargetRowError {
                line: header_line,
                field: Some(key),
                message: format!("missing column `{key}` ({zh}) in the header"),
            }),
            _ => errors.push(TargetRowError {
                line: header_line,
                field: Some(key),
                message: format!("column `{key}` ({zh}) appears more than once"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut targets = Vec::new();
    let mut first_line: HashMap<(RegionCode, &'static str, i32), u64> = HashMap::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| cells.get(index[i]).map_or("", |c| c.trim());
        let mut error = |field: &'static str, message: String| {
            errors.push(TargetRowError {
                line,
                field: Some(field),
                message,
            })
        };

        let region_code = RegionCode::parse(cell(0))
            .map_err(|e| error("region_code", e.to_string()))
            .ok();
        let indicator = by_key(cell(1));
        if indicator.is_none() {
            error(
                "indicator",
                format!("unknown indicator `{}` (give a catalogue key such as pm25_annual_mean, or its Chinese name)", cell(1)),
            );
        }
        let year = parse_year(cell(2));
        if year.is_none() {
            error(
                "year",
                format!(
                    "`{}` is not a year between {} and {}",
                    cell(2),
                    YEARS.start(),
                    YEARS.end()
                ),
            );
        }
        let value = cell(3).parse::<f64>().ok().filter(|v| v.is_finite());
        match (value, indicator) {
            (None, _) => error("target", format!("`{}` is not a number", cell(3))),
            (Some(v), Some(i)) if v < i.min || v > i.max => error(
                "target",
                format!(
                    "{v} is outside the range of {} ({}–{} {})",
                    i.key, i.min, i.max, i.unit
                ),
            ),
            _ => {}
        }
        let (Some(region_code), Some(indicator), Some(year), Some(value)) =
            (region_code, indicator, year, value)
        else {
            continue;
        };
        if let Some(first) = first_line.insert((region_code.clone(), indicator.key, year), line) {
            error(
                "indicator",
                format!(
                    "a second target for {region_code} {} {year}; the first is on line {first}",
                    indicator.key
                ),
            );
            continue;
        }
        targets.push(Target {
            region_code,
            indicator,
            year,
            value,
        });
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{GOOD_DAY_RATIO, PM25_ANNUAL_MEAN};

    fn rows(lines: &[&str]) -> Vec<(u64, Vec<String>)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i as u64 + 1, l.split(',').map(str::to_string).collect()))
            .collect()
    }

    #[test]
    fn english_header() {
        let t = parse_targets(rows(&[
            "region_code,indicator,year,target",
            "4108,pm25_annual_mean,2025,35",
            "410800,good_day_ratio,2025,80.5",
        ]))
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].region_code.as_str(), "410800");
        assert!(std::ptr::eq(t[0].indicator, &PM25_ANNUAL_MEAN));
        assert_eq!((t[0].year, t[0].value), (2025, 35.0));
        assert!(std::ptr::eq(t[1].indicator, &GOOD_DAY_RATIO));
    }

    #[test]
    fn chinese_header_in_another_order_with_chinese_indicator_names() {
        let t = parse_targets(rows(&[
            "\u{feff}年度,目标值,区划代码,指标,备注",
            "2025.0,35,410800,细颗粒物（PM2.5）年均浓度,",
            ",,,,",
            "2025,8,410800,重污染天数,市定",
        ]))
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].indicator.key, "pm25_annual_mean");
        assert_eq!(t[1].indicator.key, "heavy_pollution_days");
        assert_eq!(t[1].value, 8.0);
    }

    #[test]
    fn all_or_nothing_with_every_error_named() {
        let errs = parse_targets(rows(&[
            "region_code,indicator,year,target",
            "410800,pm25_annual_mean,2025,35",
            "41080,pm10,20x5,abc",
            "410800,good_day_ratio,2025,120",
            "410800,pm25_annual_mean,2025,33",
            "410800,forest_cover,2025",
        ]))
        .unwrap_err();
        let at: Vec<_> = errs.iter().map(|e| (e.line, e.field.unwrap())).collect();
        assert_eq!(
            at,
            vec![
                (3, "region_code"),
                (3, "indicator"),
                (3, "year"),
                (3, "target"),
                (4, "target"),
                (5, "indicator"),
                (6, "target"),
            ]
        );
        assert!(errs[4].message.contains("0–100"), "{}", errs[4].message);
        assert!(errs[5].message.contains("line 2"), "{}", errs[5].message);
        assert_eq!(
            errs[1].to_string(),
            "line 3: column `indicator`: unknown indicator `pm10` (give a catalogue key such as pm25_annual_mean, or its Chinese name)"
        );
    }

    #[test]
    fn bad_headers_and_empty_input() {
        let errs = parse_targets(rows(&["region_code,indicator,year"])).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].field), (1, Some("target")));
        let errs =
            parse_targets(rows(&["region_code,区划代码,indicator,year,target"])).unwrap_err();
        assert!(errs[0].message.contains("more than once"));
        let errs = parse_targets(Vec::new()).unwrap_err();
        assert!(errs[0].message.contains("empty"));
        // A header alone is a valid file with no targets.
        assert_eq!(
            parse_targets(rows(&["region_code,indicator,year,target"])).unwrap(),
            vec![]
        );
    }

    #[test]
    fn a_target_evaluates_values_of_its_own_year() {
        let t = &parse_targets(rows(&[
            "region_code,indicator,year,target",
            "410800,good_day_ratio,2025,80",
        ]))
        .unwrap()[0];
        let ytd = MonthlyYtd::from_months(2025, &[82.0]).unwrap();
        let s = t.evaluate(&ytd, false, &[]).unwrap();
        assert_eq!((s.status, s.target), (crate::Status::OnTrack, 80.0));
        let other = MonthlyYtd::from_months(2024, &[82.0]).unwrap();
        assert_eq!(
            t.evaluate(&other, false, &[]).unwrap_err(),
            StatusError::YearMismatch {
                values: 2024,
                target: 2025
            }
        );
    }

    #[test]
    fn reduction_targets_may_be_negative_but_shares_may_not() {
        assert!(parse_targets(rows(&[
            "region_code,indicator,year,target",
            "410800,emission_reduction_cod,2025,-2",
        ]))
        .is_ok());
        assert!(parse_targets(rows(&[
            "region_code,indicator,year,target",
            "410800,water_share_good,2025,-2",
        ]))
        .is_err());
    }
}
