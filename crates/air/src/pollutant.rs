//! The six pollutants measured hourly: their codes in the national-network files, units,
//! reporting precision and the bound above which an hourly value is absurd (air.md, "Values").

use serde::{Deserialize, Serialize};

/// A pollutant measured hourly. The order is HJ 633-2012 Table 1's and is the storage order of
/// [`crate::ingest::HourlySeries`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Pollutant {
    #[serde(rename = "SO2")]
    So2,
    #[serde(rename = "NO2")]
    No2,
    #[serde(rename = "PM10")]
    Pm10,
    #[serde(rename = "CO")]
    Co,
    #[serde(rename = "O3")]
    O3,
    #[serde(rename = "PM2.5")]
    Pm25,
}

/// Types in the day files that are derived from the hourly inputs. The reader skips them: the
/// project recomputes everything from the six inputs and never trusts these rows.
pub const DERIVED_TYPES: [&str; 9] = [
    "AQI",
    "PM2.5_24h",
    "PM10_24h",
    "SO2_24h",
    "NO2_24h",
    "O3_24h",
    "O3_8h",
    "O3_8h_24h",
    "CO_24h",
];

impl Pollutant {
    pub const COUNT: usize = 6;
    pub const ALL: [Pollutant; 6] = [
        Pollutant::So2,
        Pollutant::No2,
        Pollutant::Pm10,
        Pollutant::Co,
        Pollutant::O3,
        Pollutant::Pm25,
    ];

    /// Position in [`Pollutant::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The `type` code used in `china_sites_*.csv` files.
    pub fn code(self) -> &'static str {
        match self {
            Pollutant::So2 => "SO2",
            Pollutant::No2 => "NO2",
            Pollutant::Pm10 => "PM10",
            Pollutant::Co => "CO",
            Pollutant::O3 => "O3",
            Pollutant::Pm25 => "PM2.5",
        }
    }

    /// Parses a file code. Exact codes only (`PM2.5`, not `pm25`): the day files and the long
    /// format both use the published spelling, and guessing would hide typos.
    pub fn from_code(code: &str) -> Option<Pollutant> {
        Pollutant::from_code_bytes(code.as_bytes())
    }

    pub fn from_code_bytes(code: &[u8]) -> Option<Pollutant> {
        match code {
            b"SO2" => Some(Pollutant::So2),
            b"NO2" => Some(Pollutant::No2),
            b"PM10" => Some(Pollutant::Pm10),
            b"CO" => Some(Pollutant::Co),
            b"O3" => Some(Pollutant::O3),
            b"PM2.5" => Some(Pollutant::Pm25),
            _ => None,
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Pollutant::Co => "mg/m³",
            _ => "µg/m³",
        }
    }

    /// Decimals of reported daily and annual values: µg/m³ to integers, CO (mg/m³) to one.
    pub fn decimals(self) -> u32 {
        match self {
            Pollutant::Co => 1,
            _ => 0,
        }
    }

    /// An hourly value above this is absurd: 10 × the IAQI-500 breakpoint of the pollutant's
    /// 24-h column (O3: of its 1-h column).
    pub fn absurd_above(self) -> f64 {
        match self {
            Pollutant::So2 => 26200.0,
            Pollutant::No2 => 9400.0,
            Pollutant::Pm10 => 6000.0,
            Pollutant::Co => 600.0,
            Pollutant::O3 => 12000.0,
            Pollutant::Pm25 => 5000.0,
        }
    }
}

impl std::fmt::Display for Pollutant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_index_matches_order() {
        for (i, p) in Pollutant::ALL.iter().enumerate() {
            assert_eq!(p.index(), i);
            assert_eq!(Pollutant::from_code(p.code()), Some(*p));
        }
        assert_eq!(Pollutant::from_code("pm25"), None);
        assert_eq!(Pollutant::from_code("PM2.5_24h"), None);
    }

    #[test]
    fn absurd_bounds_are_ten_times_the_last_breakpoint() {
        use crate::aqi::Column;
        let pairs = [
            (Pollutant::So2, Column::So2_24h),
            (Pollutant::No2, Column::No2_24h),
            (Pollutant::Pm10, Column::Pm10_24h),
            (Pollutant::Co, Column::Co_24h),
            (Pollutant::O3, Column::O3_1h),
            (Pollutant::Pm25, Column::Pm25_24h),
        ];
        for (p, c) in pairs {
            assert_eq!(p.absurd_above(), 10.0 * c.breakpoints().last().unwrap());
        }
    }
}
