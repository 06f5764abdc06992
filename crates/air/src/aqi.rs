//! HJ 633-2012: the IAQI breakpoint table, individual air quality index (IAQI), AQI, category
//! and primary pollutant.
//!
//! Concentrations given to these functions are the already rounded daily (or hourly) values;
//! the IAQI is rounded up to an integer.

use serde::{Deserialize, Serialize};

use crate::pollutant::Pollutant;

/// The IAQI levels at the breakpoints (first column of HJ 633 Table 1).
pub const IAQI_LEVELS: [u16; 8] = [0, 50, 100, 150, 200, 300, 400, 500];

/// A column of HJ 633 Table 1: a pollutant with an averaging time.
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Column {
    So2_24h,
    So2_1h,
    No2_24h,
    No2_1h,
    Pm10_24h,
    Co_24h,
    Co_1h,
    O3_1h,
    O3_8h,
    Pm25_24h,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::So2_24h,
        Column::So2_1h,
        Column::No2_24h,
        Column::No2_1h,
        Column::Pm10_24h,
        Column::Co_24h,
        Column::Co_1h,
        Column::O3_1h,
        Column::O3_8h,
        Column::Pm25_24h,
    ];

    /// Concentration breakpoints for IAQI 0, 50, 100, … in order. SO2 1-h stops at 800 and O3
    /// 8-h at 800: above those the table sends the computation to another column.
    pub fn breakpoints(self) -> &'static [f64] {
        match self {
            Column::So2_24h => &[0.0, 50.0, 150.0, 475.0, 800.0, 1600.0, 2100.0, 2620.0],
            Column::So2_1h => &[0.0, 150.0, 500.0, 650.0, 800.0],
            Column::No2_24h => &[0.0, 40.0, 80.0, 180.0, 280.0, 565.0, 750.0, 940.0],
            Column::No2_1h => &[0.0, 100.0, 200.0, 700.0, 1200.0, 2340.0, 3090.0, 3840.0],
            Column::Pm10_24h => &[0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0],
            Column::Co_24h => &[0.0, 2.0, 4.0, 14.0, 24.0, 36.0, 48.0, 60.0],
            Column::Co_1h => &[0.0, 5.0, 10.0, 35.0, 60.0, 90.0, 120.0, 150.0],
            Column::O3_1h => &[0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0],
            Column::O3_8h => &[0.0, 100.0, 160.0, 215.0, 265.0, 800.0],
            Column::Pm25_24h => &[0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0],
        }
    }

    /// The column used instead when a concentration is above the last breakpoint of a column
    /// that stops short of IAQI 500 (notes 1 and 2 of Table 1).
    pub fn substitute(self) -> Option<Column> {
        match self {
            Column::So2_1h => Some(Column::So2_24h),
            Column::O3_8h => Some(Column::O3_1h),
            _ => None,
        }
    }

    pub fn pollutant(self) -> Pollutant {
        match self {
            Column::So2_24h | Column::So2_1h => Pollutant::So2,
            Column::No2_24h | Column::No2_1h => Pollutant::No2,
            Column::Pm10_24h => Pollutant::Pm10,
            Column::Co_24h | Column::Co_1h => Pollutant::Co,
            Column::O3_1h | Column::O3_8h => Pollutant::O3,
            Column::Pm25_24h => Pollutant::Pm25,
        }
    }
}

/// The IAQI of one concentration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Iaqi {
    /// An index from the table, 0 … 500.
    Index(u16),
    /// Above the last breakpoint of a column that reaches 500: reported as 500 and flagged.
    BeyondScale,
    /// Not computed from this column (SO2 1-h above 800, O3 8-h above 800): the table says to
    /// use the named column instead.
    NotComputed { use_instead: Column },
}

impl Iaqi {
    /// The index value, when this column yields one.
    pub fn value(self) -> Option<u16> {
        match self {
            Iaqi::Index(v) => Some(v),
            Iaqi::BeyondScale => Some(500),
            Iaqi::NotComputed { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AqiError {
    #[error("concentration {0} is not a non-negative number")]
    InvalidConcentration(f64),
}

/// IAQI of concentration `c` for `column`: linear interpolation in the segment whose upper
/// breakpoint is the first ≥ `c`, rounded up to an integer.
pub fn iaqi(column: Column, c: f64) -> Result<Iaqi, AqiError> {
    if c.is_nan() || c < 0.0 {
        return Err(AqiError::InvalidConcentration(c));
    }
    let bp = column.breakpoints();
    let Some(hi) = bp.iter().position(|&b| b >= c) else {
        return Ok(match column.substitute() {
            Some(other) => Iaqi::NotComputed { use_instead: other },
            None => Iaqi::BeyondScale,
        });
    };
    if hi == 0 {
        return Ok(Iaqi::Index(0));
    }
    let (bp_lo, bp_hi) = (bp[hi - 1], bp[hi]);
    let (i_lo, i_hi) = (IAQI_LEVELS[hi - 1] as f64, IAQI_LEVELS[hi] as f64);
    let step = (i_hi - i_lo) * (c - bp_lo) / (bp_hi - bp_lo);
    // Exact multiples must not be pushed up by the last bit of binary arithmetic: with decimal
    // inputs the fractional part of a true non-integer step is far above 1e-9.
    let up = (step - 1e-9).ceil().max(0.0);
    Ok(Iaqi::Index((i_lo + up) as u16))
}

/// The seven daily inputs of the daily AQI, in HJ 633 order.
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Indicator {
    #[serde(rename = "SO2")]
    So2,
    #[serde(rename = "NO2")]
    No2,
    #[serde(rename = "PM10")]
    Pm10,
    #[serde(rename = "CO")]
    Co,
    #[serde(rename = "O3_1h")]
    O3_1h,
    #[serde(rename = "O3_8h")]
    O3_8h,
    #[serde(rename = "PM2.5")]
    Pm25,
}

impl Indicator {
    pub const ALL: [Indicator; 7] = [
        Indicator::So2,
        Indicator::No2,
        Indicator::Pm10,
        Indicator::Co,
        Indicator::O3_1h,
        Indicator::O3_8h,
        Indicator::Pm25,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// Code used in reports: `PM2.5`, `O3_8h`, …
    pub fn code(self) -> &'static str {
        match self {
            Indicator::So2 => "SO2",
            Indicator::No2 => "NO2",
            Indicator::Pm10 => "PM10",
            Indicator::Co => "CO",
            Indicator::O3_1h => "O3_1h",
            Indicator::O3_8h => "O3_8h",
            Indicator::Pm25 => "PM2.5",
        }
    }

    /// The Table 1 column the daily value is looked up in.
    pub fn column(self) -> Column {
        match self {
            Indicator::So2 => Column::So2_24h,
            Indicator::No2 => Column::No2_24h,
            Indicator::Pm10 => Column::Pm10_24h,
            Indicator::Co => Column::Co_24h,
            Indicator::O3_1h => Column::O3_1h,
            Indicator::O3_8h => Column::O3_8h,
            Indicator::Pm25 => Column::Pm25_24h,
        }
    }

    pub fn pollutant(self) -> Pollutant {
        self.column().pollutant()
    }
}

/// AQI category (HJ 633 Table 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    #[serde(rename = "优")]
    Excellent,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "轻度污染")]
    Light,
    #[serde(rename = "中度污染")]
    Moderate,
    #[serde(rename = "重度污染")]
    Heavy,
    #[serde(rename = "严重污染")]
    Severe,
}

impl Category {
    pub fn of(aqi: u16) -> Category {
        match aqi {
            0..=50 => Category::Excellent,
            51..=100 => Category::Good,
            101..=150 => Category::Light,
            151..=200 => Category::Moderate,
            201..=300 => Category::Heavy,
            _ => Category::Severe,
        }
    }

    /// 1 (一级) … 6 (六级).
    pub fn level(self) -> u8 {
        self as u8 + 1
    }

    pub fn zh(self) -> &'static str {
        match self {
            Category::Excellent => "优",
            Category::Good => "良",
            Category::Light => "轻度污染",
            Category::Moderate => "中度污染",
            Category::Heavy => "重度污染",
            Category::Severe => "严重污染",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Category::Excellent => "excellent",
            Category::Good => "good",
            Category::Light => "light",
            Category::Moderate => "moderate",
            Category::Heavy => "heavy",
            Category::Severe => "severe",
        }
    }
}

/// Primary pollutant(s): those whose IAQI equals the AQI, all of them when tied; none when the
/// AQI is 50 or less. `iaqis` pairs each indicator with its IAQI value.
pub fn primary_pollutants(aqi: u16, iaqis: &[(Indicator, u16)]) -> Vec<Indicator> {
    if aqi <= 50 {
        return Vec::new();
    }
    iaqis
        .iter()
        .filter(|(_, v)| *v == aqi)
        .map(|(i, _)| *i)
        .collect()
}

/// Exceeding pollutants (超标污染物): IAQI above 100.
pub fn exceeding_pollutants(iaqis: &[(Indicator, u16)]) -> Vec<Indicator> {
    iaqis
        .iter()
        .filter(|(_, v)| *v > 100)
        .map(|(i, _)| *i)
        .collect()
}

/// The AQI of a day from its seven rounded daily values (`None` = invalid), in
/// [`Indicator::ALL`] order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayAqi {
    /// IAQI per indicator; `None` when that daily value is invalid.
    pub iaqi: [Option<Iaqi>; 7],
    /// AQI, only when all seven daily values are valid.
    pub aqi: Option<u16>,
    pub category: Option<Category>,
    pub primary: Vec<Indicator>,
    /// Indicators above the last breakpoint (IAQI reported as 500).
    pub beyond_scale: Vec<Indicator>,
}

pub fn day_aqi(values: &[Option<f64>; 7]) -> DayAqi {
    let mut iaqis = [None; 7];
    let mut beyond_scale = Vec::new();
    for ind in Indicator::ALL {
        if let Some(c) = values[ind.index()] {
            // Daily values are valid concentrations (≥ 0) by construction of the daily module.
            if let Ok(v) = iaqi(ind.column(), c) {
                if v == Iaqi::BeyondScale {
                    beyond_scale.push(ind);
                }
                iaqis[ind.index()] = Some(v);
            }
        }
    }
    let all_valid = values.iter().all(Option::is_some);
    // Fixed-size pairs: this runs for every day of every station and city.
    let mut pairs = [(Indicator::So2, 0u16); 7];
    let mut n = 0;
    for ind in Indicator::ALL {
        if let Some(v) = iaqis[ind.index()].and_then(Iaqi::value) {
            pairs[n] = (ind, v);
            n += 1;
        }
    }
    let pairs = &pairs[..n];
    let aqi = if all_valid {
        pairs.iter().map(|&(_, v)| v).max()
    } else {
        None
    };
    DayAqi {
        iaqi: iaqis,
        aqi,
        category: aqi.map(Category::of),
        primary: aqi.map_or(Vec::new(), |a| primary_pollutants(a, pairs)),
        beyond_scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(col: Column, c: f64) -> u16 {
        match iaqi(col, c).unwrap() {
            Iaqi::Index(v) => v,
            other => panic!("{col:?} {c}: {other:?}"),
        }
    }

    /// The table of air.md, column by column, as (IAQI, breakpoint) pairs.
    fn table() -> Vec<(Column, Vec<(u16, f64)>)> {
        let full = |bps: [f64; 8]| IAQI_LEVELS.iter().copied().zip(bps).collect::<Vec<_>>();
        vec![
            (
                Column::So2_24h,
                full([0., 50., 150., 475., 800., 1600., 2100., 2620.]),
            ),
            (
                Column::So2_1h,
                vec![(0, 0.), (50, 150.), (100, 500.), (150, 650.), (200, 800.)],
            ),
            (
                Column::No2_24h,
                full([0., 40., 80., 180., 280., 565., 750., 940.]),
            ),
            (
                Column::No2_1h,
                full([0., 100., 200., 700., 1200., 2340., 3090., 3840.]),
            ),
            (
                Column::Pm10_24h,
                full([0., 50., 150., 250., 350., 420., 500., 600.]),
            ),
            (Column::Co_24h, full([0., 2., 4., 14., 24., 36., 48., 60.])),
            (
                Column::Co_1h,
                full([0., 5., 10., 35., 60., 90., 120., 150.]),
            ),
            (
                Column::O3_1h,
                full([0., 160., 200., 300., 400., 800., 1000., 1200.]),
            ),
            (
                Column::O3_8h,
                vec![
                    (0, 0.),
                    (50, 100.),
                    (100, 160.),
                    (150, 215.),
                    (200, 265.),
                    (300, 800.),
                ],
            ),
            (
                Column::Pm25_24h,
                full([0., 35., 75., 115., 150., 250., 350., 500.]),
            ),
        ]
    }

    #[test]
    fn every_breakpoint_gives_its_level_and_either_side_moves_by_the_slope() {
        for (col, points) in table() {
            // CO is reported to one decimal; the others to integers.
            let step = if col.pollutant() == Pollutant::Co {
                0.1
            } else {
                1.0
            };
            for (k, &(level, bp)) in points.iter().enumerate() {
                assert_eq!(idx(col, bp), level, "{col:?} at {bp}");
                if k > 0 {
                    let (lo_level, lo_bp) = points[k - 1];
                    let below = bp - step;
                    let expected = lo_level as f64
                        + ((level - lo_level) as f64 * (below - lo_bp) / (bp - lo_bp) - 1e-9)
                            .ceil();
                    assert_eq!(idx(col, below) as f64, expected, "{col:?} below {bp}");
                    assert!(idx(col, below) <= level);
                }
                if k + 1 < points.len() {
                    let (hi_level, hi_bp) = points[k + 1];
                    let above = bp + step;
                    let expected =
                        level as f64 + ((hi_level - level) as f64 * step / (hi_bp - bp)).ceil();
                    assert_eq!(idx(col, above) as f64, expected, "{col:?} above {bp}");
                    assert!(idx(col, above) > level, "{col:?} above {bp}");
                }
            }
        }
    }

    #[test]
    fn hand_worked_values() {
        // PM2.5 36: 50 + 50/40 × 1 = 51.25 → 52 (rounded up).
        assert_eq!(idx(Column::Pm25_24h, 36.0), 52);
        // PM2.5 34: 50/35 × 34 = 48.57 → 49.
        assert_eq!(idx(Column::Pm25_24h, 34.0), 49);
        // PM10 151: 100 + 50/100 × 1 = 100.5 → 101.
        assert_eq!(idx(Column::Pm10_24h, 151.0), 101);
        // PM10 149: 50 + 50/100 × 99 = 99.5 → 100.
        assert_eq!(idx(Column::Pm10_24h, 149.0), 100);
        // CO 2.1: 50 + 50/2 × 0.1 = 52.5 → 53.
        assert_eq!(idx(Column::Co_24h, 2.1), 53);
        // CO 1.3: 50/2 × 1.3 = 32.5 → 33; CO 1.2: exactly 30.
        assert_eq!(idx(Column::Co_24h, 1.3), 33);
        assert_eq!(idx(Column::Co_24h, 1.2), 30);
        // O3 8-h 161: 100 + 50/55 × 1 = 100.9 → 101.
        assert_eq!(idx(Column::O3_8h, 161.0), 101);
        // PM2.5 115: exactly 150; NO2 24-h 120: 100 + 50/100 × 40 = 120.
        assert_eq!(idx(Column::Pm25_24h, 115.0), 150);
        assert_eq!(idx(Column::No2_24h, 120.0), 120);
        assert_eq!(idx(Column::Pm25_24h, 0.0), 0);
        assert_eq!(idx(Column::Pm25_24h, 1.0), 2);
    }

    #[test]
    fn above_the_last_breakpoint_is_500_flagged() {
        for col in Column::ALL {
            let last = *col.breakpoints().last().unwrap();
            let above = iaqi(col, last + 0.1).unwrap();
            match col.substitute() {
                Some(other) => assert_eq!(above, Iaqi::NotComputed { use_instead: other }),
                None => {
                    assert_eq!(above, Iaqi::BeyondScale);
                    assert_eq!(above.value(), Some(500));
                    assert_eq!(iaqi(col, last).unwrap(), Iaqi::Index(500));
                }
            }
        }
    }

    #[test]
    fn so2_1h_above_800_uses_the_24h_value() {
        assert_eq!(iaqi(Column::So2_1h, 800.0).unwrap(), Iaqi::Index(200));
        assert_eq!(
            iaqi(Column::So2_1h, 801.0).unwrap(),
            Iaqi::NotComputed {
                use_instead: Column::So2_24h
            }
        );
        assert_eq!(iaqi(Column::So2_1h, 801.0).unwrap().value(), None);
    }

    #[test]
    fn o3_8h_above_800_uses_the_1h_value() {
        assert_eq!(iaqi(Column::O3_8h, 800.0).unwrap(), Iaqi::Index(300));
        assert_eq!(
            iaqi(Column::O3_8h, 801.0).unwrap(),
            Iaqi::NotComputed {
                use_instead: Column::O3_1h
            }
        );
        // A day with O3 8-h 850 and O3 1-h 900: AQI from the 1-h value, 300 + 100/200 × 100.
        let day = day_aqi(&[
            Some(5.0),
            Some(20.0),
            Some(40.0),
            Some(0.5),
            Some(900.0),
            Some(850.0),
            Some(20.0),
        ]);
        assert_eq!(day.aqi, Some(350));
        assert_eq!(
            day.iaqi[Indicator::O3_8h.index()],
            Some(Iaqi::NotComputed {
                use_instead: Column::O3_1h
            })
        );
        assert_eq!(day.primary, vec![Indicator::O3_1h]);
        assert_eq!(day.category, Some(Category::Severe));
    }

    #[test]
    fn negative_or_nan_is_refused() {
        assert!(iaqi(Column::Pm25_24h, -1.0).is_err());
        assert!(iaqi(Column::Pm25_24h, f64::NAN).is_err());
    }

    #[test]
    fn categories_at_their_edges() {
        let cases = [
            (0, Category::Excellent),
            (50, Category::Excellent),
            (51, Category::Good),
            (100, Category::Good),
            (101, Category::Light),
            (150, Category::Light),
            (151, Category::Moderate),
            (200, Category::Moderate),
            (201, Category::Heavy),
            (300, Category::Heavy),
            (301, Category::Severe),
            (500, Category::Severe),
        ];
        for (aqi, cat) in cases {
            assert_eq!(Category::of(aqi), cat, "{aqi}");
        }
        assert_eq!(Category::Heavy.level(), 5);
        assert_eq!(Category::Good.zh(), "良");
    }

    #[test]
    fn primary_pollutant_ties_and_none_at_50() {
        use Indicator::*;
        assert_eq!(primary_pollutants(50, &[(Pm25, 50), (Pm10, 20)]), vec![]);
        assert_eq!(
            primary_pollutants(51, &[(Pm25, 51), (Pm10, 20)]),
            vec![Pm25]
        );
        assert_eq!(
            primary_pollutants(120, &[(Pm10, 120), (O3_8h, 90), (Pm25, 120)]),
            vec![Pm10, Pm25]
        );
        assert_eq!(
            exceeding_pollutants(&[(Pm10, 120), (O3_8h, 100), (Pm25, 101)]),
            vec![Pm10, Pm25]
        );
    }

    #[test]
    fn day_aqi_needs_all_seven_values() {
        let mut values = [
            Some(10.0),
            Some(30.0),
            Some(90.0),
            Some(0.8),
            Some(120.0),
            Some(100.0),
            Some(60.0),
        ];
        let day = day_aqi(&values);
        // PM2.5 60: 50 + 50/40 × 25 = 81.25 → 82; PM10 90: 50 + 0.5 × 40 = 70.
        assert_eq!(day.aqi, Some(82));
        assert_eq!(day.primary, vec![Indicator::Pm25]);
        assert_eq!(day.category, Some(Category::Good));
        values[Indicator::Co.index()] = None;
        let day = day_aqi(&values);
        assert_eq!(day.aqi, None);
        assert_eq!(day.category, None);
        assert!(day.primary.is_empty());
        assert_eq!(day.iaqi[Indicator::Pm25.index()], Some(Iaqi::Index(82)));
        assert_eq!(day.iaqi[Indicator::Co.index()], None);
    }

    #[test]
    fn beyond_scale_is_reported_in_the_day() {
        let day = day_aqi(&[
            Some(10.0),
            Some(30.0),
            Some(700.0),
            Some(0.8),
            Some(120.0),
            Some(100.0),
            Some(60.0),
        ]);
        assert_eq!(day.aqi, Some(500));
        assert_eq!(day.beyond_scale, vec![Indicator::Pm10]);
        assert_eq!(day.primary, vec![Indicator::Pm10]);
    }
}
