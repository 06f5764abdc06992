//! Regions: the administrative divisions of China by GB/T 2260.
//!
//! Codes are written in the official padded form everywhere: 410000 for 河南省, 410800 for
//! 焦作市, 410883 for 孟州市, and nine digits for a township. The short forms of the source
//! data files (41, 4108) are accepted on input and padded.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A region code in padded form: six digits for province, prefecture and county levels,
/// nine for townships.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

/// Why a string is not a region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid region code {0:?}: expected 2, 4, 6 or 9 digits (e.g. 410000, 410800, 410883, 410883001)")]
pub struct InvalidRegionCode(pub String);

impl RegionCode {
    /// Parses a code in padded or short form (41 → 410000, 4108 → 410800).
    pub fn parse(input: &str) -> Result<Self, InvalidRegionCode> {
        let s = input.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidRegionCode(input.to_string()));
        }
        let padded = match s.len() {
            2 => format!("{s}0000"),
            4 => format!("{s}00"),
            6 | 9 => s.to_string(),
            _ => return Err(InvalidRegionCode(input.to_string())),
        };
        if padded.starts_with("00") {
            return Err(InvalidRegionCode(input.to_string()));
        }
        Ok(RegionCode(padded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level a code of this shape denotes.
    pub fn level(&self) -> RegionLevel {
        let s = &self.0;
        if s.len() == 9 {
            RegionLevel::Township
        } else if &s[2..] == "0000" {
            RegionLevel::Province
        } else if &s[4..] == "00" {
            RegionLevel::Prefecture
        } else {
            RegionLevel::County
        }
    }

    /// The code of the enclosing region by the nesting of codes, or `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        let s = &self.0;
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::Prefecture => Some(RegionCode(format!("{}0000", &s[..2]))),
            RegionLevel::County => Some(RegionCode(format!("{}00", &s[..4]))),
            RegionLevel::Township => Some(RegionCode(s[..6].to_string())),
        }
    }

    /// Whether `self` lies within `ancestor` (or is it).
    pub fn is_within(&self, ancestor: &RegionCode) -> bool {
        let a = &ancestor.0;
        match ancestor.level() {
            RegionLevel::Province => self.0.starts_with(&a[..2]),
            RegionLevel::Prefecture => self.0.starts_with(&a[..4]),
            RegionLevel::County => self.0.starts_with(&a[..6]),
            RegionLevel::Township => self.0 == *a,
        }
    }

    /// The prefix every code within this region starts with: 41 for 河南省, 4108 for 焦作市,
    /// 410883 for 孟州市, the whole code for a township.
    pub fn subtree_prefix(&self) -> &str {
        match self.level() {
            RegionLevel::Province => &self.0[..2],
            RegionLevel::Prefecture => &self.0[..4],
            RegionLevel::County => &self.0[..6],
            RegionLevel::Township => &self.0,
        }
    }

    /// GB/T 2260 gives county-level codes 71–79 in the fifth and sixth digits to functional
    /// zones (开发区, 示范区, 新区 …) administered like counties (第二条第二款).
    pub fn is_development_zone_code(&self) -> bool {
        self.level() == RegionLevel::County && self.0.as_bytes()[4] == b'7'
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RegionCode {
    type Err = InvalidRegionCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InvalidRegionCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

/// The four levels of GB/T 2260.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级
    Province,
    /// 地级
    Prefecture,
    /// 县级 (区/县/县级市/旗, and development zones)
    County,
    /// 乡级 (乡/镇/街道)
    Township,
}

impl RegionLevel {
    pub fn key(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::Prefecture => "prefecture",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::Prefecture => "地级",
            RegionLevel::County => "县级",
            RegionLevel::Township => "乡级",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            RegionLevel::Province => "provincial",
            RegionLevel::Prefecture => "prefecture-level",
            RegionLevel::County => "county-level",
            RegionLevel::Township => "township-level",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            RegionLevel::Province,
            RegionLevel::Prefecture,
            RegionLevel::County,
            RegionLevel::Township,
        ]
        .into_iter()
        .find(|l| l.key() == key)
    }

    /// The level directly below, if any.
    pub fn child(self) -> Option<RegionLevel> {
        match self {
            RegionLevel::Province => Some(RegionLevel::Prefecture),
            RegionLevel::Prefecture => Some(RegionLevel::County),
            RegionLevel::County => Some(RegionLevel::Township),
            RegionLevel::Township => None,
        }
    }
}

/// A region as the system knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
    pub level: RegionLevel,
    pub parent: Option<RegionCode>,
    /// 开发区: a development zone administered like a county-level region.
    pub development_zone: bool,
    /// Shipped with the program (GB/T 2260) rather than added by a user.
    pub builtin: bool,
}

/// The region files shipped with the program (see data/regions/README.md for their source).
mod data {
    pub const PROVINCES: &str = include_str!("../../../data/regions/provinces.csv");
    pub const CITIES: &str = include_str!("../../../data/regions/cities.csv");
    pub const AREAS: &str = include_str!("../../../data/regions/areas.csv");
    pub const STREETS: &str = include_str!("../../../data/regions/streets.csv");
}

/// Every built-in region, parents before children (provinces, prefectures, counties,
/// townships): 44,700 distinct regions from the files' 44,703 rows.
///
/// Three prefecture-level cities without counties (东莞市 441900, 中山市 442000, 儋州市 460400)
/// appear in the files twice, as a prefecture and again as a county-level row with the same
/// padded code; the second row is the same region and is skipped, so their townships hang
/// directly under the prefecture as GB/T 2260 has them.
///
/// The files are simple, generated CSV (no embedded commas or quotes inside names), so they
/// are split by hand rather than through a CSV crate the pure domain would otherwise not need.
pub fn builtin_regions() -> Vec<Region> {
    let mut out: Vec<Region> = Vec::with_capacity(44_703);
    let mut seen = std::collections::HashSet::with_capacity(44_703);
    let files = [
        (data::PROVINCES, RegionLevel::Province),
        (data::CITIES, RegionLevel::Prefecture),
        (data::AREAS, RegionLevel::County),
        (data::STREETS, RegionLevel::Township),
    ];
    for (text, level) in files {
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut fields = line.split(',').map(|f| f.trim().trim_matches('"'));
            let code = fields.next().unwrap_or_default();
            let name = fields.next().unwrap_or_default().to_string();
            let parent = fields.next().map(str::to_string);
            let code = RegionCode::parse(code).expect("built-in region codes are well formed");
            let parent = match level {
                RegionLevel::Province => None,
                _ => Some(
                    RegionCode::parse(parent.as_deref().unwrap_or_default())
                        .expect("built-in parent codes are well formed"),
                ),
            };
            if !seen.insert(code.clone()) {
                continue;
            }
            out.push(Region {
                development_zone: code.is_development_zone_code(),
                code,
                name,
                level,
                parent,
                builtin: true,
            });
        }
    }
    out
}

/// Checks a user-added region against its parent: the code must nest under the parent's code,
/// sit one level below it, and not collide with an existing code (checked by the store).
pub fn check_new_region(code: &RegionCode, parent: &Region) -> Result<(), String> {
    let expected = parent.level.child().ok_or_else(|| {
        format!(
            "{} {} is a township: nothing can be added under it",
            parent.code, parent.name
        )
    })?;
    if code.level() != expected {
        return Err(format!(
            "code {code} denotes a {} region but a region under {} {} must be {}",
            code.level().key(),
            parent.code,
            parent.name,
            expected.key()
        ));
    }
    if code.parent().as_ref() != Some(&parent.code) {
        return Err(format!(
            "code {code} does not nest under {} {} (its prefix points to {})",
            parent.code,
            parent.name,
            code.parent().map(|c| c.to_string()).unwrap_or_default()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn short_forms_are_padded() {
        assert_eq!(code("41").as_str(), "410000");
        assert_eq!(code("4108").as_str(), "410800");
        assert_eq!(code("410883").as_str(), "410883");
        assert_eq!(code("451322100").as_str(), "451322100");
        for bad in ["", "4", "41080", "4108001", "41a800", "000000"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn levels_and_parents_follow_the_code() {
        assert_eq!(code("410000").level(), RegionLevel::Province);
        assert_eq!(code("410800").level(), RegionLevel::Prefecture);
        assert_eq!(code("410883").level(), RegionLevel::County);
        assert_eq!(code("410883001").level(), RegionLevel::Township);
        assert_eq!(code("410883").parent(), Some(code("410800")));
        assert_eq!(code("410800").parent(), Some(code("410000")));
        assert_eq!(code("410000").parent(), None);
        assert!(code("410883001").is_within(&code("410800")));
        assert!(!code("410883001").is_within(&code("410700")));
        assert_eq!(code("410000").subtree_prefix(), "41");
        assert_eq!(code("410800").subtree_prefix(), "4108");
        assert_eq!(code("410883").subtree_prefix(), "410883");
    }

    #[test]
    fn builtin_regions_are_complete_and_nest() {
        let regions = builtin_regions();
        assert_eq!(regions.len(), 44_700);
        let codes: std::collections::HashSet<_> = regions.iter().map(|r| r.code.clone()).collect();
        assert_eq!(codes.len(), regions.len(), "codes are unique");
        for r in &regions {
            if let Some(p) = &r.parent {
                assert!(codes.contains(p), "{} has unknown parent {}", r.code, p);
            }
        }
        let zone = regions
            .iter()
            .find(|r| r.code.as_str() == "410871")
            .unwrap();
        assert_eq!(zone.name, "焦作城乡一体化示范区");
        assert!(zone.development_zone);
        let mengzhou = regions
            .iter()
            .find(|r| r.code.as_str() == "410883")
            .unwrap();
        assert!(!mengzhou.development_zone);
        assert_eq!(mengzhou.parent, Some(code("410800")));
        assert_eq!(regions.iter().filter(|r| r.development_zone).count(), 124);
        let dongguan: Vec<_> = regions
            .iter()
            .filter(|r| r.code.as_str() == "441900")
            .collect();
        assert_eq!(dongguan.len(), 1);
        assert_eq!(dongguan[0].level, RegionLevel::Prefecture);
    }

    #[test]
    fn new_regions_must_nest_one_level_down() {
        let jiaozuo = Region {
            code: code("410800"),
            name: "焦作市".into(),
            level: RegionLevel::Prefecture,
            parent: Some(code("410000")),
            development_zone: false,
            builtin: true,
        };
        assert!(check_new_region(&code("410872"), &jiaozuo).is_ok());
        assert!(check_new_region(&code("410772"), &jiaozuo).is_err());
        assert!(check_new_region(&code("410872001"), &jiaozuo).is_err());
    }
}

/// In the OpenAPI document a region code is a string of six or nine digits.
#[cfg(feature = "openapi")]
mod openapi {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    impl utoipa::PartialSchema for super::RegionCode {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^[0-9]{6}([0-9]{3})?$"))
                .description(Some("GB/T 2260 region code in padded form (410800 for 焦作市; 9 digits for a township)"))
                .examples(["410800"])
                .into()
        }
    }

    impl utoipa::ToSchema for super::RegionCode {}
}
