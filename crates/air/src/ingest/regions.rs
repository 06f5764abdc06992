//! City name → GB/T 2260 region code, from the region lists shipped in `data/regions/`
//! (embedded at build time) and an optional override file (`城市,区划代码`).
//!
//! Codes are written padded to six digits: prefecture 焦作市 `4108` → `410800`; the four
//! municipalities by their province code (北京市 → `110000`); county-level cities keep their
//! six-digit area code (济源市 → `419001`).
//!
//! Matching order: the override file; then the exact name; then the name with 市, 地区, 盟 or 州
//! appended. At each step prefecture-level names are tried before county-level ones, and several
//! distinct codes at the same step are refused as ambiguous rather than guessed.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::{strip_bom, IngestError, Location};

const PROVINCES: &str = include_str!("../../../../data/regions/provinces.csv");
const CITIES: &str = include_str!("../../../../data/regions/cities.csv");
const AREAS: &str = include_str!("../../../../data/regions/areas.csv");

/// Suffixes tried after the exact name fails (焦作 → 焦作市).
pub const SUFFIXES: [&str; 4] = ["市", "地区", "盟", "州"];

/// Placeholder rows of cities.csv that are not names of places.
const NOT_A_CITY: [&str; 4] = [
    "市辖区",
    "县",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
];

/// How a city name was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Override,
    Exact,
    Suffix,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegionMatch {
    pub code: String,
    /// The region's official name (焦作市), which may differ from the name looked up (焦作).
    pub name: String,
    pub how: MatchKind,
}

/// Region names and codes with the override table.
#[derive(Clone, Debug, Default)]
pub struct RegionIndex {
    /// name → codes, prefecture level (and municipalities).
    prefecture: HashMap<String, Vec<String>>,
    /// name → codes, county level.
    county: HashMap<String, Vec<String>>,
    names: HashMap<String, String>,
    overrides: HashMap<String, String>,
}

fn rows(text: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .map(|r| r.expect("embedded region list is well formed"))
}

impl RegionIndex {
    /// The region lists shipped with the project.
    pub fn embedded() -> RegionIndex {
        let mut idx = RegionIndex::default();
        for r in rows(PROVINCES) {
            // Only the municipalities are city names; a province is never a station's city.
            if r[1].ends_with('市') {
                idx.add(true, format!("{}0000", &r[0]), &r[1]);
            }
        }
        for r in rows(CITIES) {
            if !NOT_A_CITY.contains(&&r[1]) {
                idx.add(true, format!("{}00", &r[0]), &r[1]);
            }
        }
        for r in rows(AREAS) {
            idx.add(false, r[0].to_string(), &r[1]);
        }
        idx
    }

    fn add(&mut self, prefecture: bool, code: String, name: &str) {
        let map = if prefecture {
            &mut self.prefecture
        } else {
            &mut self.county
        };
        let codes = map.entry(name.to_string()).or_default();
        if !codes.contains(&code) {
            codes.push(code.clone());
        }
        self.names.entry(code).or_insert_with(|| name.to_string());
    }

    /// Adds override rows (`城市,区划代码`) read from a file.
    pub fn with_city_map_file(mut self, path: &Path) -> Result<RegionIndex, IngestError> {
        let bytes = std::fs::read(path).map_err(|e| IngestError::io(path, e))?;
        for (name, code) in parse_city_map(&bytes, &path.display().to_string())? {
            self.set_override(name, code);
        }
        Ok(self)
    }

    pub fn set_override(&mut self, city: String, code: String) {
        self.overrides.insert(city, code);
    }

    /// Prefecture-level regions (and the municipalities) as (code, name), sorted by code.
    pub fn prefectures(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .prefecture
            .iter()
            .flat_map(|(name, codes)| codes.iter().map(move |c| (c.clone(), name.clone())))
            .collect();
        out.sort();
        out
    }

    /// The official name of a region code, when it is in the lists.
    pub fn name_of(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    /// Finds the region of a city name: `Ok(None)` when nothing matches, an error when the name
    /// is ambiguous.
    pub fn resolve(&self, city: &str) -> Result<Option<RegionMatch>, IngestError> {
        let city = city.trim();
        if let Some(code) = self.overrides.get(city) {
            return Ok(Some(RegionMatch {
                code: code.clone(),
                name: self.name_of(code).unwrap_or(city).to_string(),
                how: MatchKind::Override,
            }));
        }
        if city.is_empty() {
            return Ok(None);
        }
        let exact = [city.to_string()];
        let suffixed: Vec<String> = SUFFIXES.iter().map(|s| format!("{city}{s}")).collect();
        for (names, how) in [
            (&exact[..], MatchKind::Exact),
            (&suffixed[..], MatchKind::Suffix),
        ] {
            for map in [&self.prefecture, &self.county] {
                let mut found: Vec<&String> =
                    names.iter().filter_map(|n| map.get(n)).flatten().collect();
                found.sort();
                found.dedup();
                match found.len() {
                    0 => continue,
                    1 => {
                        let code = found[0].clone();
                        return Ok(Some(RegionMatch {
                            name: self.names[&code].clone(),
                            code,
                            how,
                        }));
                    }
                    _ => {
                        return Err(IngestError::AmbiguousCity {
                            name: city.to_string(),
                            candidates: found
                                .into_iter()
                                .map(|c| (c.clone(), self.names[c].clone()))
                                .collect(),
                        })
                    }
                }
            }
        }
        Ok(None)
    }
}

/// Parses a city-map file: header `城市,区划代码`, six-digit codes.
pub fn parse_city_map(bytes: &[u8], source: &str) -> Result<Vec<(String, String)>, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(strip_bom(bytes));
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            IngestError::at(Location::line(source, line), e.to_string())
        })?;
        let line = rec.position().map_or(i + 1, |p| p.line() as usize);
        let fields: Vec<&str> = rec.iter().map(str::trim).collect();
        if i == 0 {
            if fields.len() < 2 || fields[0] != "城市" || fields[1] != "区划代码" {
                return Err(IngestError::at(
                    Location::line(source, line),
                    format!("the header must be 城市,区划代码; found {fields:?}"),
                ));
            }
            continue;
        }
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        let code = fields.get(1).copied().unwrap_or("");
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IngestError::at(
                Location::cell(source, line, 2, "区划代码"),
                format!("{code:?} is not a six-digit region code"),
            ));
        }
        if fields[0].is_empty() {
            return Err(IngestError::at(
                Location::cell(source, line, 1, "城市"),
                "empty city name",
            ));
        }
        out.push((fields[0].to_string(), code.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(idx: &RegionIndex, name: &str) -> Option<String> {
        idx.resolve(name).unwrap().map(|m| m.code)
    }

    #[test]
    fn prefectures_municipalities_and_county_level_cities() {
        let idx = RegionIndex::embedded();
        assert_eq!(code(&idx, "焦作市").as_deref(), Some("410800"));
        assert_eq!(code(&idx, "北京市").as_deref(), Some("110000"));
        assert_eq!(code(&idx, "济源市").as_deref(), Some("419001"));
        // Listed both as a prefecture and as its own area with the same code.
        assert_eq!(code(&idx, "东莞市").as_deref(), Some("441900"));
        assert_eq!(idx.name_of("410800"), Some("焦作市"));
    }

    #[test]
    fn suffixes_are_tried_after_the_exact_name() {
        let idx = RegionIndex::embedded();
        let m = idx.resolve("焦作").unwrap().unwrap();
        assert_eq!(
            (m.code.as_str(), m.name.as_str(), m.how),
            ("410800", "焦作市", MatchKind::Suffix)
        );
        assert_eq!(code(&idx, "北京").as_deref(), Some("110000"));
        assert_eq!(code(&idx, "大兴安岭").as_deref(), Some("232700"));
        assert_eq!(code(&idx, "锡林郭勒").as_deref(), Some("152500"));
        assert_eq!(idx.resolve("不存在").unwrap(), None);
        assert_eq!(idx.resolve("").unwrap(), None);
        assert_eq!(idx.resolve("市辖区").unwrap(), None);
    }

    #[test]
    fn ambiguity_is_refused_and_overrides_win() {
        let idx = RegionIndex::embedded();
        // 朝阳区 is a district of Beijing and of Changchun.
        let err = idx.resolve("朝阳区").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("110105") && text.contains("220104"), "{text}");
        let map = parse_city_map("城市,区划代码\n朝阳区,110105\n".as_bytes(), "m.csv").unwrap();
        let mut idx = idx;
        for (n, c) in map {
            idx.set_override(n, c);
        }
        let m = idx.resolve("朝阳区").unwrap().unwrap();
        assert_eq!((m.code.as_str(), m.how), ("110105", MatchKind::Override));
    }

    #[test]
    fn city_map_errors_name_line_and_column() {
        let err = parse_city_map("城市,区划代码\n焦作,4108\n".as_bytes(), "m.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.csv: line 2, column 2 (区划代码): \"4108\" is not a six-digit region code"
        );
        let err = parse_city_map("city,code\n".as_bytes(), "m.csv").unwrap_err();
        assert!(err.to_string().starts_with("m.csv: line 1:"));
    }
}
