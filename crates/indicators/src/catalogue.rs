//! The catalogue of binding indicators (约束性指标): what each one measures, in which unit, which
//! direction is better, how its year-to-date value builds up, and whether the system computes it
//! from monitoring data or a department reports it by hand with evidence.

use std::fmt;

use serde::{Serialize, Serializer};

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    LowerIsBetter,
    HigherIsBetter,
}

impl Direction {
    /// Whether `value` is at or better than `reference` in this direction.
    pub fn at_or_better(self, value: f64, reference: f64) -> bool {
        match self {
            Direction::LowerIsBetter => value <= reference,
            Direction::HigherIsBetter => value >= reference,
        }
    }

    /// How far `value` falls short of `reference`: positive when worse, negative when better.
    pub fn shortfall(self, value: f64, reference: f64) -> f64 {
        match self {
            Direction::LowerIsBetter => value - reference,
            Direction::HigherIsBetter => reference - value,
        }
    }
}

/// How the value builds up over a year, which decides the shape of the year-to-date path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Accumulation {
    /// A mean, ratio, share or level: the year-to-date value is already on the annual scale.
    Mean,
    /// A count of events (days): the year-to-date value grows towards the annual total.
    Count,
}

/// Where the value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Computed by the system from monitoring data (air, water).
    Computed,
    /// Reported by a department by hand, with evidence attached.
    Reported,
}

/// One binding indicator.
#[derive(Debug, PartialEq)]
pub struct Indicator {
    pub key: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub unit: &'static str,
    pub direction: Direction,
    pub accumulation: Accumulation,
    pub source: Source,
    /// The range a value or target can take (a percentage 0–100, days 0–366 …).
    pub min: f64,
    pub max: f64,
}

impl Indicator {
    pub fn is_computed(&self) -> bool {
        self.source == Source::Computed
    }

    pub fn is_reported(&self) -> bool {
        self.source == Source::Reported
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

/// An indicator is written as its key.
impl Serialize for Indicator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key)
    }
}

const fn computed(
    key: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    unit: &'static str,
    direction: Direction,
    accumulation: Accumulation,
    max: f64,
) -> Indicator {
    Indicator {
        key,
        name_zh,
        name_en,
        unit,
        direction,
        accumulation,
        source: Source::Computed,
        min: 0.0,
        max,
    }
}

const fn hand_reported(
    key: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    min: f64,
) -> Indicator {
    Indicator {
        key,
        name_zh,
        name_en,
        unit: "%",
        direction: Direction::HigherIsBetter,
        accumulation: Accumulation::Mean,
        source: Source::Reported,
        min,
        max: 100.0,
    }
}

pub static PM25_ANNUAL_MEAN: Indicator = computed(
    "pm25_annual_mean",
    "细颗粒物（PM2.5）年均浓度",
    "PM2.5 annual mean concentration",
    "µg/m³",
    Direction::LowerIsBetter,
    Accumulation::Mean,
    1000.0,
);
pub static GOOD_DAY_RATIO: Indicator = computed(
    "good_day_ratio",
    "空气质量优良天数比率",
    "share of good-air days",
    "%",
    Direction::HigherIsBetter,
    Accumulation::Mean,
    100.0,
);
pub static HEAVY_POLLUTION_DAYS: Indicator = computed(
    "heavy_pollution_days",
    "重污染天数",
    "heavy-pollution days",
    "天",
    Direction::LowerIsBetter,
    Accumulation::Count,
    366.0,
);
pub static WATER_SHARE_GOOD: Indicator = computed(
    "water_share_good",
    "地表水水质优良（达到或好于Ⅲ类）断面比例",
    "share of surface-water sections at class III or better",
    "%",
    Direction::HigherIsBetter,
    Accumulation::Mean,
    100.0,
);
pub static WATER_SHARE_WORSE_THAN_V: Indicator = computed(
    "water_share_worse_than_v",
    "地表水劣Ⅴ类断面比例",
    "share of surface-water sections worse than class V",
    "%",
    Direction::LowerIsBetter,
    Accumulation::Mean,
    100.0,
);

/// Every indicator, computed ones first. Reported reductions may be negative (a permitted rise).
pub static CATALOGUE: [&Indicator; 12] = [
    &PM25_ANNUAL_MEAN,
    &GOOD_DAY_RATIO,
    &HEAVY_POLLUTION_DAYS,
    &WATER_SHARE_GOOD,
    &WATER_SHARE_WORSE_THAN_V,
    &reported::FOREST_COVER,
    &reported::EMISSION_REDUCTION_COD,
    &reported::EMISSION_REDUCTION_NH3N,
    &reported::EMISSION_REDUCTION_NOX,
    &reported::EMISSION_REDUCTION_VOC,
    &reported::ENERGY_INTENSITY_REDUCTION,
    &reported::CARBON_INTENSITY_REDUCTION,
];

/// Indicators a department reports by hand, with evidence.
pub mod reported {
    use super::{hand_reported, Indicator};

    pub static FOREST_COVER: Indicator =
        hand_reported("forest_cover", "森林覆盖率", "forest cover", 0.0);
    pub static EMISSION_REDUCTION_COD: Indicator = hand_reported(
        "emission_reduction_cod",
        "化学需氧量排放总量减少比例",
        "reduction of total COD emissions",
        -100.0,
    );
    pub static EMISSION_REDUCTION_NH3N: Indicator = hand_reported(
        "emission_reduction_nh3n",
        "氨氮排放总量减少比例",
        "reduction of total ammonia-nitrogen emissions",
        -100.0,
    );
    pub static EMISSION_REDUCTION_NOX: Indicator = hand_reported(
        "emission_reduction_nox",
        "氮氧化物排放总量减少比例",
        "reduction of total NOx emissions",
        -100.0,
    );
    pub static EMISSION_REDUCTION_VOC: Indicator = hand_reported(
        "emission_reduction_voc",
        "挥发性有机物排放总量减少比例",
        "reduction of total VOC emissions",
        -100.0,
    );
    pub static ENERGY_INTENSITY_REDUCTION: Indicator = hand_reported(
        "energy_intensity_reduction",
        "单位地区生产总值能源消耗降低率",
        "reduction of energy use per unit of GDP",
        -100.0,
    );
    pub static CARBON_INTENSITY_REDUCTION: Indicator = hand_reported(
        "carbon_intensity_reduction",
        "单位地区生产总值二氧化碳排放降低率",
        "reduction of CO2 emissions per unit of GDP",
        -100.0,
    );
}

/// Looks an indicator up by key (`pm25_annual_mean`) or by its Chinese name.
pub fn by_key(key: &str) -> Option<&'static Indicator> {
    let key = key.trim();
    CATALOGUE
        .iter()
        .copied()
        .find(|i| i.key == key || i.name_zh == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_found() {
        for i in CATALOGUE {
            assert!(std::ptr::eq(by_key(i.key).unwrap(), i));
            assert!(std::ptr::eq(by_key(i.name_zh).unwrap(), i));
        }
        let mut keys: Vec<_> = CATALOGUE.iter().map(|i| i.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), CATALOGUE.len());
        assert!(by_key("pm10_annual_mean").is_none());
    }

    #[test]
    fn the_computed_indicators_and_their_directions() {
        let computed: Vec<_> = CATALOGUE
            .iter()
            .filter(|i| i.is_computed())
            .map(|i| (i.key, i.direction, i.accumulation))
            .collect();
        use Accumulation::*;
        use Direction::*;
        assert_eq!(
            computed,
            vec![
                ("pm25_annual_mean", LowerIsBetter, Mean),
                ("good_day_ratio", HigherIsBetter, Mean),
                ("heavy_pollution_days", LowerIsBetter, Count),
                ("water_share_good", HigherIsBetter, Mean),
                ("water_share_worse_than_v", LowerIsBetter, Mean),
            ]
        );
        assert!(reported::FOREST_COVER.is_reported());
        assert!(CATALOGUE.iter().all(|i| i.min < i.max));
    }

    #[test]
    fn directions_compare_and_measure_shortfall() {
        assert!(Direction::LowerIsBetter.at_or_better(35.0, 35.0));
        assert!(!Direction::LowerIsBetter.at_or_better(35.1, 35.0));
        assert!(Direction::HigherIsBetter.at_or_better(80.0, 80.0));
        assert!(!Direction::HigherIsBetter.at_or_better(79.9, 80.0));
        assert_eq!(Direction::LowerIsBetter.shortfall(40.0, 35.0), 5.0);
        assert_eq!(Direction::HigherIsBetter.shortfall(70.0, 80.0), 10.0);
        assert_eq!(Direction::HigherIsBetter.shortfall(90.0, 80.0), -10.0);
        assert_eq!(
            serde_json::to_string(&PM25_ANNUAL_MEAN).unwrap(),
            "\"pm25_annual_mean\""
        );
    }
}
