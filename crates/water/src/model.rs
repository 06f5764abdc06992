//! What water data is made of — sections, readings, measurements — and the checks that make a set
//! of them consistent, whether it comes from a CSV file or from the database.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDateTime};
use serde::{Deserialize, Serialize};

use ecoduty_domain::region::RegionCode;

use crate::parameter::{Parameter, WaterBodyKind};
use crate::quantity::{Quantity, QuantityError};

/// A monitoring section (断面) and where it belongs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The section's name, unique within a data set.
    pub name: String,
    /// The river or lake it lies on.
    pub river_or_lake: String,
    pub kind: WaterBodyKind,
    /// The region answering for it, in padded GB/T 2260 form.
    pub region_code: RegionCode,
}

/// One laboratory result as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Value(Quantity),
    /// Below the detection limit given ("<x"); counts as half the limit in means.
    BelowDetection(Quantity),
    /// Not detected, no limit given ("ND"); counts as 0.
    NotDetected,
}

impl Reading {
    /// The value the reading contributes to a mean and to a sample's class.
    pub fn value(self) -> Quantity {
        match self {
            Reading::Value(q) => q,
            Reading::BelowDetection(limit) => limit.half(),
            Reading::NotDetected => Quantity::ZERO,
        }
    }
}

/// Why a text is not a reading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadingError {
    #[error("empty value")]
    Empty,
    #[error("`{text}` is not a value: {source}")]
    Invalid { text: String, source: QuantityError },
}

impl FromStr for Reading {
    type Err = ReadingError;

    /// Reads the file notation: a decimal, `<x` (also the full-width `＜x` and the `xL` of Chinese
    /// monitoring reports) for below the detection limit x, and `ND` (also `nd`, `未检出`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ReadingError::Empty);
        }
        if s.eq_ignore_ascii_case("nd") || s == "未检出" {
            return Ok(Reading::NotDetected);
        }
        let invalid = |source| ReadingError::Invalid {
            text: s.to_string(),
            source,
        };
        let below = s
            .strip_prefix('<')
            .or_else(|| s.strip_prefix('＜'))
            .or_else(|| s.strip_suffix('L'));
        match below {
            Some(limit) => Ok(Reading::BelowDetection(
                limit.trim().parse().map_err(invalid)?,
            )),
            None => Ok(Reading::Value(s.parse().map_err(invalid)?)),
        }
    }
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reading::Value(q) => write!(f, "{q}"),
            Reading::BelowDetection(limit) => write!(f, "<{limit}"),
            Reading::NotDetected => f.write_str("ND"),
        }
    }
}

/// One parameter measured at one section at one time. The measurements of a section taken at the
/// same time form a sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measurement {
    /// The section's name, as in [`Section::name`].
    pub section: String,
    /// When the sample was taken; a date alone is midnight.
    pub taken_at: NaiveDateTime,
    pub parameter: Parameter,
    pub reading: Reading,
}

/// pH is a logarithm between 0 and 14; anything else is a typing or unit error.
pub const PH_MAX: Quantity = Quantity::from_decimal_literal("14");

/// Checks a value that the parameter cannot take whatever the water (only pH has such a bound).
pub fn check_physical_range(parameter: Parameter, reading: Reading) -> Result<(), String> {
    if parameter == Parameter::Ph && reading.value() > PH_MAX {
        return Err(format!("pH {reading} is outside 0–14"));
    }
    Ok(())
}

/// Why a set of sections and measurements does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error("a section has an empty name")]
    EmptySectionName,
    #[error("section `{0}` is listed twice")]
    DuplicateSection(String),
    #[error("a measurement refers to section `{0}`, which is not listed")]
    UnknownSection(String),
    #[error("section `{section}` has two `{parameter}` values for the sample of {taken_at}")]
    DuplicateMeasurement {
        section: String,
        taken_at: NaiveDateTime,
        parameter: Parameter,
    },
    #[error("section `{section}`, {taken_at}: {message}")]
    OutOfRange {
        section: String,
        taken_at: NaiveDateTime,
        message: String,
    },
}

/// Sections and their measurements, checked to be consistent: unique section names, every
/// measurement on a listed section, at most one value per parameter and sample, pH within 0–14.
#[derive(Clone, Debug, Default)]
pub struct WaterData {
    sections: Vec<Section>,
    measurements: Vec<Measurement>,
}

impl WaterData {
    pub fn new(sections: Vec<Section>, measurements: Vec<Measurement>) -> Result<Self, DataError> {
        let mut names = HashMap::with_capacity(sections.len());
        for s in &sections {
            if s.name.trim().is_empty() {
                return Err(DataError::EmptySectionName);
            }
            if names.insert(s.name.as_str(), ()).is_some() {
                return Err(DataError::DuplicateSection(s.name.clone()));
            }
        }
        let mut seen = BTreeSet::new();
        for m in &measurements {
            if !names.contains_key(m.section.as_str()) {
                return Err(DataError::UnknownSection(m.section.clone()));
            }
            if !seen.insert((m.section.as_str(), m.taken_at, m.parameter)) {
                return Err(DataError::DuplicateMeasurement {
                    section: m.section.clone(),
                    taken_at: m.taken_at,
                    parameter: m.parameter,
                });
            }
            check_physical_range(m.parameter, m.reading).map_err(|message| {
                DataError::OutOfRange {
                    section: m.section.clone(),
                    taken_at: m.taken_at,
                    message,
                }
            })?;
        }
        Ok(WaterData {
            sections,
            measurements,
        })
    }

    /// The sections, in the order given.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// The measurements, in the order given.
    pub fn measurements(&self) -> &[Measurement] {
        &self.measurements
    }

    /// The years that have at least one measurement.
    pub fn years(&self) -> BTreeSet<i32> {
        self.measurements
            .iter()
            .map(|m| m.taken_at.year())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn q(s: &str) -> Quantity {
        s.parse().unwrap()
    }

    #[test]
    fn readings_in_file_notation() {
        assert_eq!("0.5".parse(), Ok(Reading::Value(q("0.5"))));
        assert_eq!("<0.01".parse(), Ok(Reading::BelowDetection(q("0.01"))));
        assert_eq!("＜0.01".parse(), Ok(Reading::BelowDetection(q("0.01"))));
        assert_eq!("0.01L".parse(), Ok(Reading::BelowDetection(q("0.01"))));
        assert_eq!("ND".parse(), Ok(Reading::NotDetected));
        assert_eq!("未检出".parse(), Ok(Reading::NotDetected));
        assert_eq!("".parse::<Reading>(), Err(ReadingError::Empty));
        assert!("<".parse::<Reading>().is_err());
        assert!("<-1".parse::<Reading>().is_err());
        assert!("abc".parse::<Reading>().is_err());
        assert!(matches!(
            "-3".parse::<Reading>(),
            Err(ReadingError::Invalid {
                source: QuantityError::Negative,
                ..
            })
        ));
    }

    #[test]
    fn below_detection_counts_half_and_nd_zero() {
        assert_eq!(Reading::BelowDetection(q("0.01")).value(), q("0.005"));
        assert_eq!(Reading::NotDetected.value(), Quantity::ZERO);
        assert_eq!(Reading::Value(q("3")).value(), q("3"));
        assert_eq!(Reading::BelowDetection(q("0.01")).to_string(), "<0.01");
    }

    #[test]
    fn readings_round_trip_through_text_for_storage() {
        for text in ["0.5", "<0.01", "ND", "0.00005", "40000"] {
            let r: Reading = text.parse().unwrap();
            assert_eq!(r.to_string(), text);
            assert_eq!(r.to_string().parse::<Reading>().unwrap(), r);
        }
        assert_eq!("0.01L".parse::<Reading>().unwrap().to_string(), "<0.01");
    }

    fn section(name: &str) -> Section {
        Section {
            name: name.into(),
            river_or_lake: "沁河".into(),
            kind: WaterBodyKind::River,
            region_code: "410800".parse().unwrap(),
        }
    }

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, 1, day)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    fn m(section: &str, day: u32, p: Parameter, v: &str) -> Measurement {
        Measurement {
            section: section.into(),
            taken_at: at(day),
            parameter: p,
            reading: v.parse().unwrap(),
        }
    }

    #[test]
    fn inconsistent_data_is_refused() {
        let ok = WaterData::new(
            vec![section("A")],
            vec![m("A", 1, Parameter::Ph, "7"), m("A", 2, Parameter::Ph, "7")],
        );
        assert_eq!(ok.unwrap().years(), BTreeSet::from([2025]));
        assert_eq!(
            WaterData::new(vec![section("A"), section("A")], vec![]).unwrap_err(),
            DataError::DuplicateSection("A".into())
        );
        assert_eq!(
            WaterData::new(vec![section("A")], vec![m("B", 1, Parameter::Ph, "7")]).unwrap_err(),
            DataError::UnknownSection("B".into())
        );
        assert!(matches!(
            WaterData::new(
                vec![section("A")],
                vec![m("A", 1, Parameter::Ph, "7"), m("A", 1, Parameter::Ph, "8")]
            ),
            Err(DataError::DuplicateMeasurement { .. })
        ));
        assert!(matches!(
            WaterData::new(vec![section("A")], vec![m("A", 1, Parameter::Ph, "15")]),
            Err(DataError::OutOfRange { .. })
        ));
        assert_eq!(
            WaterData::new(vec![section(" ")], vec![]).unwrap_err(),
            DataError::EmptySectionName
        );
    }
}
