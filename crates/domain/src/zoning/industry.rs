//! GB/T 4754-2017 国民经济行业分类 codes as admission clauses and projects give them: a section
//! letter (门类, A–T), a two-digit division (大类), a three-digit group (中类) or a four-digit
//! class (小类). Digits are read with or without their section letter (`2614` or `C2614`).
//! A code covers every code under it: `C` covers `26`, `26` covers `261` and `2614`.

use std::fmt;

/// The divisions of each section (GB/T 4754-2017): the sections are contiguous runs of the
/// two-digit divisions 01–97.
const SECTIONS: [(char, u8, u8); 20] = [
    ('A', 1, 5),
    ('B', 6, 12),
    ('C', 13, 43),
    ('D', 44, 46),
    ('E', 47, 50),
    ('F', 51, 52),
    ('G', 53, 60),
    ('H', 61, 62),
    ('I', 63, 65),
    ('J', 66, 69),
    ('K', 70, 70),
    ('L', 71, 72),
    ('M', 73, 75),
    ('N', 76, 79),
    ('O', 80, 82),
    ('P', 83, 83),
    ('Q', 84, 85),
    ('R', 86, 90),
    ('S', 91, 96),
    ('T', 97, 97),
];

/// The section a division belongs to.
pub fn section_of(division: u8) -> Option<char> {
    SECTIONS
        .iter()
        .find(|(_, lo, hi)| (*lo..=*hi).contains(&division))
        .map(|(s, ..)| *s)
}

/// A GB/T 4754 code: its section, and the digits below it (none for a section alone).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndustryCode {
    section: char,
    digits: String,
}

impl IndustryCode {
    /// Reads a code: `C`, `26`, `261`, `2614`, or the digits with their letter (`C2614`).
    pub fn parse(text: &str) -> Result<IndustryCode, String> {
        let t = text.trim().to_ascii_uppercase();
        let bad = || {
            format!(
                "{text:?} 不是国民经济行业分类代码(GB/T 4754:门类字母 A–T,或 2/3/4 位数字,如 C、26、261、2614)"
            )
        };
        let (letter, digits) = match t.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => (Some(c), &t[1..]),
            Some(_) => (None, t.as_str()),
            None => return Err(bad()),
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if digits.is_empty() {
            return match letter {
                Some(c @ 'A'..='T') => Ok(IndustryCode {
                    section: c,
                    digits: String::new(),
                }),
                _ => Err(bad()),
            };
        }
        if !(2..=4).contains(&digits.len()) {
            return Err(bad());
        }
        let division: u8 = digits[..2].parse().map_err(|_| bad())?;
        let section = section_of(division).ok_or_else(|| {
            format!(
                "{text:?}:大类 {:02} 不在 GB/T 4754-2017 的 01–97 之内",
                division
            )
        })?;
        if let Some(l) = letter {
            if l != section {
                return Err(format!(
                    "{text:?}:大类 {division:02} 属门类 {section},不属门类 {l}"
                ));
            }
        }
        Ok(IndustryCode {
            section,
            digits: digits.to_string(),
        })
    }

    pub fn section(&self) -> char {
        self.section
    }

    /// The level of the code: 1 section, 2 division, 3 group, 4 class.
    pub fn level(&self) -> usize {
        if self.digits.is_empty() {
            1
        } else {
            self.digits.len()
        }
    }

    /// Whether this code covers `other` (is it, or above it).
    pub fn covers(&self, other: &IndustryCode) -> bool {
        self.section == other.section && other.digits.starts_with(&self.digits)
    }
}

/// Written as sheets write it: the letter alone, or the digits alone (`C`, `2614`).
impl fmt::Display for IndustryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            write!(f, "{}", self.section)
        } else {
            f.write_str(&self.digits)
        }
    }
}

impl std::str::FromStr for IndustryCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        IndustryCode::parse(s)
    }
}

impl serde::Serialize for IndustryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for IndustryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IndustryCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for IndustryCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "GB/T 4754 industry code: a section letter A–T, or a 2/3/4-digit division, group or class",
            ))
            .examples([serde_json::json!("2614")])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for IndustryCode {}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> IndustryCode {
        IndustryCode::parse(s).unwrap()
    }

    #[test]
    fn shapes_are_read_and_checked() {
        assert_eq!(c("c").to_string(), "C");
        assert_eq!(c("C2614").to_string(), "2614");
        assert_eq!(c("2614").section(), 'C');
        assert_eq!(c("4411").section(), 'D');
        assert_eq!(c("01").section(), 'A');
        assert_eq!(c("97").section(), 'T');
        for bad in [
            "", "U", "Z", "2", "26145", "98", "00", "B2614", "C26x", "C-26",
        ] {
            assert!(IndustryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_code_covers_the_codes_under_it() {
        assert!(c("C").covers(&c("2614")));
        assert!(c("26").covers(&c("2614")));
        assert!(c("261").covers(&c("2614")));
        assert!(c("2614").covers(&c("2614")));
        assert!(!c("2614").covers(&c("26")));
        assert!(!c("26").covers(&c("2714")));
        assert!(!c("B").covers(&c("2614")));
        assert!(!c("44").covers(&c("C")));
    }
}
