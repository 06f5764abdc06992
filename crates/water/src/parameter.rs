//! The GB 3838-2002 basic items this project evaluates: their keys, names and units, and which of
//! them count towards a water-quality class.
//!
//! Water temperature is a basic item of Table 1 too, but it has no class limits (only a permitted
//! man-made change) and the 2011 method leaves it out of the evaluation, so it has no key here: a
//! file that carries it is refused rather than having it silently ignored.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One basic item of GB 3838-2002 Table 1, in the table's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Parameter {
    Ph,
    DissolvedOxygen,
    PermanganateIndex,
    Cod,
    Bod5,
    AmmoniaNitrogen,
    TotalPhosphorus,
    TotalNitrogen,
    Copper,
    Zinc,
    Fluoride,
    Selenium,
    Arsenic,
    Mercury,
    Cadmium,
    ChromiumVi,
    Lead,
    Cyanide,
    VolatilePhenol,
    Petroleum,
    Las,
    Sulfide,
    FecalColiform,
}

impl Parameter {
    /// Every parameter, in the order of GB 3838-2002 Table 1.
    pub const ALL: [Parameter; 23] = [
        Parameter::Ph,
        Parameter::DissolvedOxygen,
        Parameter::PermanganateIndex,
        Parameter::Cod,
        Parameter::Bod5,
        Parameter::AmmoniaNitrogen,
        Parameter::TotalPhosphorus,
        Parameter::TotalNitrogen,
        Parameter::Copper,
        Parameter::Zinc,
        Parameter::Fluoride,
        Parameter::Selenium,
        Parameter::Arsenic,
        Parameter::Mercury,
        Parameter::Cadmium,
        Parameter::ChromiumVi,
        Parameter::Lead,
        Parameter::Cyanide,
        Parameter::VolatilePhenol,
        Parameter::Petroleum,
        Parameter::Las,
        Parameter::Sulfide,
        Parameter::FecalColiform,
    ];

    /// The key used in files and JSON (`nh3n`, `tp`, …), as fixed by the project's water standard.
    pub fn key(self) -> &'static str {
        match self {
            Parameter::Ph => "ph",
            Parameter::DissolvedOxygen => "do",
            Parameter::PermanganateIndex => "codmn",
            Parameter::Cod => "cod",
            Parameter::Bod5 => "bod5",
            Parameter::AmmoniaNitrogen => "nh3n",
            Parameter::TotalPhosphorus => "tp",
            Parameter::TotalNitrogen => "tn",
            Parameter::Copper => "cu",
            Parameter::Zinc => "zn",
            Parameter::Fluoride => "f",
            Parameter::Selenium => "se",
            Parameter::Arsenic => "as",
            Parameter::Mercury => "hg",
            Parameter::Cadmium => "cd",
            Parameter::ChromiumVi => "cr6",
            Parameter::Lead => "pb",
            Parameter::Cyanide => "cn",
            Parameter::VolatilePhenol => "phenol",
            Parameter::Petroleum => "oil",
            Parameter::Las => "las",
            Parameter::Sulfide => "sulfide",
            Parameter::FecalColiform => "coliform",
        }
    }

    /// Looks a parameter up by its key; exact and lower-case, as written in water.md.
    pub fn from_key(key: &str) -> Option<Parameter> {
        Parameter::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The name used in GB 3838-2002.
    pub fn name_zh(self) -> &'static str {
        match self {
            Parameter::Ph => "pH值",
            Parameter::DissolvedOxygen => "溶解氧",
            Parameter::PermanganateIndex => "高锰酸盐指数",
            Parameter::Cod => "化学需氧量",
            Parameter::Bod5 => "五日生化需氧量",
            Parameter::AmmoniaNitrogen => "氨氮",
            Parameter::TotalPhosphorus => "总磷",
            Parameter::TotalNitrogen => "总氮",
            Parameter::Copper => "铜",
            Parameter::Zinc => "锌",
            Parameter::Fluoride => "氟化物",
            Parameter::Selenium => "硒",
            Parameter::Arsenic => "砷",
            Parameter::Mercury => "汞",
            Parameter::Cadmium => "镉",
            Parameter::ChromiumVi => "铬（六价）",
            Parameter::Lead => "铅",
            Parameter::Cyanide => "氰化物",
            Parameter::VolatilePhenol => "挥发酚",
            Parameter::Petroleum => "石油类",
            Parameter::Las => "阴离子表面活性剂",
            Parameter::Sulfide => "硫化物",
            Parameter::FecalColiform => "粪大肠菌群",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Parameter::Ph => "pH",
            Parameter::DissolvedOxygen => "dissolved oxygen",
            Parameter::PermanganateIndex => "permanganate index (CODMn)",
            Parameter::Cod => "chemical oxygen demand (COD)",
            Parameter::Bod5 => "BOD5",
            Parameter::AmmoniaNitrogen => "ammonia nitrogen (NH3-N)",
            Parameter::TotalPhosphorus => "total phosphorus",
            Parameter::TotalNitrogen => "total nitrogen",
            Parameter::Copper => "copper",
            Parameter::Zinc => "zinc",
            Parameter::Fluoride => "fluoride",
            Parameter::Selenium => "selenium",
            Parameter::Arsenic => "arsenic",
            Parameter::Mercury => "mercury",
            Parameter::Cadmium => "cadmium",
            Parameter::ChromiumVi => "chromium (VI)",
            Parameter::Lead => "lead",
            Parameter::Cyanide => "cyanide",
            Parameter::VolatilePhenol => "volatile phenol",
            Parameter::Petroleum => "petroleum",
            Parameter::Las => "anionic surfactant (LAS)",
            Parameter::Sulfide => "sulfide",
            Parameter::FecalColiform => "fecal coliform",
        }
    }

    /// The unit the values of the file are read in.
    pub fn unit(self) -> &'static str {
        match self {
            Parameter::Ph => "无量纲",
            Parameter::FecalColiform => "个/L",
            _ => "mg/L",
        }
    }

    /// Whether the parameter counts towards a sample's or section's class (single-factor method).
    /// Total nitrogen and fecal coliform are evaluated and reported on their own.
    pub fn counts_in_class(self) -> bool {
        !matches!(self, Parameter::TotalNitrogen | Parameter::FecalColiform)
    }

    /// Whether a higher value is better (only dissolved oxygen); pH is a range and counts as
    /// neither here.
    pub fn higher_is_better(self) -> bool {
        self == Parameter::DissolvedOxygen
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The key is not one of GB 3838's basic items as keyed in water.md.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown parameter `{0}` (expected one of: {keys})", keys = all_keys())]
pub struct UnknownParameter(pub String);

fn all_keys() -> String {
    Parameter::ALL.map(Parameter::key).join(", ")
}

impl FromStr for Parameter {
    type Err = UnknownParameter;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Parameter::from_key(s).ok_or_else(|| UnknownParameter(s.to_string()))
    }
}

impl From<Parameter> for &'static str {
    fn from(p: Parameter) -> Self {
        p.key()
    }
}

impl TryFrom<String> for Parameter {
    type Error = UnknownParameter;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// River or lake/reservoir: decides the total-phosphorus limits and whether total nitrogen is
/// reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaterBodyKind {
    River,
    /// Lakes and reservoirs (湖库).
    Lake,
}

impl WaterBodyKind {
    pub fn key(self) -> &'static str {
        match self {
            WaterBodyKind::River => "river",
            WaterBodyKind::Lake => "lake",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            WaterBodyKind::River => "河流",
            WaterBodyKind::Lake => "湖库",
        }
    }
}

impl fmt::Display for WaterBodyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{0}` (expected `river` or `lake`)")]
pub struct UnknownKind(pub String);

impl FromStr for WaterBodyKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "river" => Ok(WaterBodyKind::River),
            "lake" => Ok(WaterBodyKind::Lake),
            _ => Err(UnknownKind(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_unique() {
        for p in Parameter::ALL {
            assert_eq!(Parameter::from_key(p.key()), Some(p));
        }
        let mut keys: Vec<_> = Parameter::ALL.iter().map(|p| p.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), Parameter::ALL.len());
    }

    #[test]
    fn twenty_one_parameters_count_in_the_class() {
        // The 2011 method: the 21 basic items other than water temperature, TN and coliform.
        let counted = Parameter::ALL
            .iter()
            .filter(|p| p.counts_in_class())
            .count();
        assert_eq!(counted, 21);
        assert!(!Parameter::TotalNitrogen.counts_in_class());
        assert!(!Parameter::FecalColiform.counts_in_class());
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!("temp".parse::<Parameter>().is_err());
        assert!("NH3N".parse::<Parameter>().is_err());
        assert!("lake".parse::<WaterBodyKind>().is_ok());
        assert!("reservoir".parse::<WaterBodyKind>().is_err());
    }

    #[test]
    fn serde_uses_keys() {
        let json = serde_json::to_string(&Parameter::AmmoniaNitrogen).unwrap();
        assert_eq!(json, "\"nh3n\"");
        let back: Parameter = serde_json::from_str("\"cr6\"").unwrap();
        assert_eq!(back, Parameter::ChromiumVi);
    }
}
