//! GB 3838-2002 Table 1: the class limits of each basic item and the class of one value (or one
//! mean) of one parameter.
//!
//! A value meets a class when it is at or below the class's limit (dissolved oxygen: at or
//! above; pH: within 6–9). Its class is the best class whose limit it meets; meeting none is
//! 劣Ⅴ. Comparisons are exact (see [`crate::quantity`]).

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::parameter::{Parameter, WaterBodyKind};
use crate::quantity::{Mean, Quantity};

/// A water-quality class, ordered from best (Ⅰ) to worst (劣Ⅴ): `a > b` means `a` is worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    I,
    II,
    III,
    IV,
    V,
    /// 劣Ⅴ类.
    WorseThanV,
}

impl Class {
    pub const ALL: [Class; 6] = [
        Class::I,
        Class::II,
        Class::III,
        Class::IV,
        Class::V,
        Class::WorseThanV,
    ];

    /// 1–5 for Ⅰ–Ⅴ and 6 for 劣Ⅴ: the number used in JSON.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    pub fn from_number(n: u8) -> Option<Class> {
        Class::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The class as written in Chinese reports: Ⅰ类 … 劣Ⅴ类.
    pub fn label_zh(self) -> &'static str {
        match self {
            Class::I => "Ⅰ类",
            Class::II => "Ⅱ类",
            Class::III => "Ⅲ类",
            Class::IV => "Ⅳ类",
            Class::V => "Ⅴ类",
            Class::WorseThanV => "劣Ⅴ类",
        }
    }

    /// The 2011 method's quality description: Ⅰ–Ⅱ 优, Ⅲ 良, Ⅳ 轻度污染, Ⅴ 中度污染, 劣Ⅴ 重度污染.
    pub fn description_zh(self) -> &'static str {
        match self {
            Class::I | Class::II => "优",
            Class::III => "良",
            Class::IV => "轻度污染",
            Class::V => "中度污染",
            Class::WorseThanV => "重度污染",
        }
    }

    pub fn description_en(self) -> &'static str {
        match self {
            Class::I | Class::II => "excellent",
            Class::III => "good",
            Class::IV => "lightly polluted",
            Class::V => "moderately polluted",
            Class::WorseThanV => "heavily polluted",
        }
    }

    /// Class Ⅲ or better: what the "good" share of sections counts.
    pub fn is_good(self) -> bool {
        self <= Class::III
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

impl Serialize for Class {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.number())
    }
}

/// The limits of one parameter for classes Ⅰ–Ⅴ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limits {
    /// Every class requires the value within `low..=high` (pH 6–9).
    Range { low: Quantity, high: Quantity },
    /// Class k requires the value ≥ `limits[k]` (dissolved oxygen).
    AtLeast([Quantity; 5]),
    /// Class k requires the value ≤ `limits[k]` (every other parameter).
    AtMost([Quantity; 5]),
}

const fn at_most(l: [&str; 5]) -> Limits {
    Limits::AtMost([
        Quantity::from_decimal_literal(l[0]),
        Quantity::from_decimal_literal(l[1]),
        Quantity::from_decimal_literal(l[2]),
        Quantity::from_decimal_literal(l[3]),
        Quantity::from_decimal_literal(l[4]),
    ])
}

// GB 3838-2002 Table 1, as transcribed in shared/standards/water.md.
const PH: Limits = Limits::Range {
    low: Quantity::from_decimal_literal("6"),
    high: Quantity::from_decimal_literal("9"),
};
const DO: Limits = Limits::AtLeast([
    Quantity::from_decimal_literal("7.5"),
    Quantity::from_decimal_literal("6"),
    Quantity::from_decimal_literal("5"),
    Quantity::from_decimal_literal("3"),
    Quantity::from_decimal_literal("2"),
]);
const CODMN: Limits = at_most(["2", "4", "6", "10", "15"]);
const COD: Limits = at_most(["15", "15", "20", "30", "40"]);
const BOD5: Limits = at_most(["3", "3", "4", "6", "10"]);
const NH3N: Limits = at_most(["0.15", "0.5", "1.0", "1.5", "2.0"]);
const TP_RIVER: Limits = at_most(["0.02", "0.1", "0.2", "0.3", "0.4"]);
const TP_LAKE: Limits = at_most(["0.01", "0.025", "0.05", "0.1", "0.2"]);
const TN: Limits = at_most(["0.2", "0.5", "1.0", "1.5", "2.0"]);
const CU: Limits = at_most(["0.01", "1.0", "1.0", "1.0", "1.0"]);
const ZN: Limits = at_most(["0.05", "1.0", "1.0", "2.0", "2.0"]);
const F: Limits = at_most(["1.0", "1.0", "1.0", "1.5", "1.5"]);
const SE: Limits = at_most(["0.01", "0.01", "0.01", "0.02", "0.02"]);
const AS: Limits = at_most(["0.05", "0.05", "0.05", "0.1", "0.1"]);
const HG: Limits = at_most(["0.00005", "0.00005", "0.0001", "0.001", "0.001"]);
const CD: Limits = at_most(["0.001", "0.005", "0.005", "0.005", "0.01"]);
const CR6: Limits = at_most(["0.01", "0.05", "0.05", "0.05", "0.1"]);
const PB: Limits = at_most(["0.01", "0.01", "0.05", "0.05", "0.1"]);
const CN: Limits = at_most(["0.005", "0.05", "0.2", "0.2", "0.2"]);
const PHENOL: Limits = at_most(["0.002", "0.002", "0.005", "0.01", "0.1"]);
const OIL: Limits = at_most(["0.05", "0.05", "0.05", "0.5", "1.0"]);
const LAS: Limits = at_most(["0.2", "0.2", "0.2", "0.3", "0.3"]);
const SULFIDE: Limits = at_most(["0.05", "0.1", "0.2", "0.5", "1.0"]);
const COLIFORM: Limits = at_most(["200", "2000", "10000", "20000", "40000"]);

/// The limits of a parameter; only total phosphorus depends on the kind of water body.
pub fn limits(parameter: Parameter, kind: WaterBodyKind) -> Limits {
    match parameter {
        Parameter::Ph => PH,
        Parameter::DissolvedOxygen => DO,
        Parameter::PermanganateIndex => CODMN,
        Parameter::Cod => COD,
        Parameter::Bod5 => BOD5,
        Parameter::AmmoniaNitrogen => NH3N,
        Parameter::TotalPhosphorus => match kind {
            WaterBodyKind::River => TP_RIVER,
            WaterBodyKind::Lake => TP_LAKE,
        },
        Parameter::TotalNitrogen => TN,
        Parameter::Copper => CU,
        Parameter::Zinc => ZN,
        Parameter::Fluoride => F,
        Parameter::Selenium => SE,
        Parameter::Arsenic => AS,
        Parameter::Mercury => HG,
        Parameter::Cadmium => CD,
        Parameter::ChromiumVi => CR6,
        Parameter::Lead => PB,
        Parameter::Cyanide => CN,
        Parameter::VolatilePhenol => PHENOL,
        Parameter::Petroleum => OIL,
        Parameter::Las => LAS,
        Parameter::Sulfide => SULFIDE,
        Parameter::FecalColiform => COLIFORM,
    }
}

/// The class of a mean (or, through `Mean::single`, of one value) of a parameter.
pub fn class_of_mean(parameter: Parameter, kind: WaterBodyKind, mean: &Mean) -> Class {
    let meets = |limit: &Quantity, wanted: fn(Ordering) -> bool| wanted(mean.cmp_value(*limit));
    let best = match limits(parameter, kind) {
        Limits::Range { low, high } => {
            (meets(&low, Ordering::is_ge) && meets(&high, Ordering::is_le)).then_some(0)
        }
        Limits::AtLeast(l) => l.iter().position(|x| meets(x, Ordering::is_ge)),
        Limits::AtMost(l) => l.iter().position(|x| meets(x, Ordering::is_le)),
    };
    best.map_or(Class::WorseThanV, |k| Class::ALL[k])
}

/// The class of one measured value of a parameter.
pub fn class_of_value(parameter: Parameter, kind: WaterBodyKind, value: Quantity) -> Class {
    class_of_mean(parameter, kind, &Mean::single(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use WaterBodyKind::{Lake, River};

    fn q(s: &str) -> Quantity {
        s.parse().unwrap()
    }

    /// The table of water.md, written out again as text so that a slip in the constants above
    /// shows up as a disagreement between two independent transcriptions.
    const TABLE: &[(&str, [&str; 5])] = &[
        ("codmn", ["2", "4", "6", "10", "15"]),
        ("cod", ["15", "15", "20", "30", "40"]),
        ("bod5", ["3", "3", "4", "6", "10"]),
        ("nh3n", ["0.15", "0.5", "1.0", "1.5", "2.0"]),
        ("tn", ["0.2", "0.5", "1.0", "1.5", "2.0"]),
        ("cu", ["0.01", "1.0", "1.0", "1.0", "1.0"]),
        ("zn", ["0.05", "1.0", "1.0", "2.0", "2.0"]),
        ("f", ["1.0", "1.0", "1.0", "1.5", "1.5"]),
        ("se", ["0.01", "0.01", "0.01", "0.02", "0.02"]),
        ("as", ["0.05", "0.05", "0.05", "0.1", "0.1"]),
        ("hg", ["0.00005", "0.00005", "0.0001", "0.001", "0.001"]),
        ("cd", ["0.001", "0.005", "0.005", "0.005", "0.01"]),
        ("cr6", ["0.01", "0.05", "0.05", "0.05", "0.1"]),
        ("pb", ["0.01", "0.01", "0.05", "0.05", "0.1"]),
        ("cn", ["0.005", "0.05", "0.2", "0.2", "0.2"]),
        ("phenol", ["0.002", "0.002", "0.005", "0.01", "0.1"]),
        ("oil", ["0.05", "0.05", "0.05", "0.5", "1.0"]),
        ("las", ["0.2", "0.2", "0.2", "0.3", "0.3"]),
        ("sulfide", ["0.05", "0.1", "0.2", "0.5", "1.0"]),
        ("coliform", ["200", "2000", "10000", "20000", "40000"]),
    ];
    const TP_RIVER_TEXT: [&str; 5] = ["0.02", "0.1", "0.2", "0.3", "0.4"];
    const TP_LAKE_TEXT: [&str; 5] = ["0.01", "0.025", "0.05", "0.1", "0.2"];

    /// The class a value at limit k of a "≤" parameter gets: the best class sharing that limit.
    fn best_class_with_limit(limits: &[&str; 5], k: usize) -> Class {
        let first = limits.iter().position(|l| q(l) == q(limits[k])).unwrap();
        Class::ALL[first]
    }

    /// Every edge of an "≤" parameter: the limit meets its class, one step above does not.
    fn check_at_most_edges(p: Parameter, kind: WaterBodyKind, limits: &[&str; 5]) {
        for k in 0..5 {
            let limit = q(limits[k]);
            let at = class_of_value(p, kind, limit);
            assert_eq!(
                at,
                best_class_with_limit(limits, k),
                "{p} {kind} at {limit}"
            );
            let above = limit.next_up().unwrap();
            let expected_above = limits
                .iter()
                .position(|l| q(l) >= above)
                .map_or(Class::WorseThanV, |i| Class::ALL[i]);
            let got = class_of_value(p, kind, above);
            assert_eq!(got, expected_above, "{p} {kind} one step above {limit}");
            assert!(
                got > Class::ALL[k],
                "{p} {kind}: {above} must miss class {}",
                k + 1
            );
        }
    }

    #[test]
    fn every_edge_of_every_at_most_parameter() {
        for (key, limits) in TABLE {
            let p = Parameter::from_key(key).unwrap();
            for kind in [River, Lake] {
                assert_eq!(self::limits(p, kind), at_most(*limits), "{key}");
                check_at_most_edges(p, kind, limits);
            }
        }
    }

    #[test]
    fn total_phosphorus_depends_on_the_water_body() {
        check_at_most_edges(Parameter::TotalPhosphorus, River, &TP_RIVER_TEXT);
        check_at_most_edges(Parameter::TotalPhosphorus, Lake, &TP_LAKE_TEXT);
        // 0.05 mg/L: class Ⅱ in a river, class Ⅲ in a lake; 0.25: Ⅳ in a river, 劣Ⅴ in a lake.
        let tp = Parameter::TotalPhosphorus;
        assert_eq!(class_of_value(tp, River, q("0.05")), Class::II);
        assert_eq!(class_of_value(tp, Lake, q("0.05")), Class::III);
        assert_eq!(class_of_value(tp, River, q("0.25")), Class::IV);
        assert_eq!(class_of_value(tp, Lake, q("0.25")), Class::WorseThanV);
    }

    #[test]
    fn dissolved_oxygen_is_reversed() {
        let d = Parameter::DissolvedOxygen;
        let limits = ["7.5", "6", "5", "3", "2"];
        for (k, l) in limits.iter().enumerate() {
            let limit = q(l);
            assert_eq!(class_of_value(d, River, limit), Class::ALL[k], "DO at {l}");
            let below = limit.next_down().unwrap();
            assert_eq!(
                class_of_value(d, River, below),
                Class::ALL[k + 1],
                "DO below {l}"
            );
        }
        assert_eq!(class_of_value(d, Lake, q("12")), Class::I);
        assert_eq!(class_of_value(d, River, Quantity::ZERO), Class::WorseThanV);
    }

    #[test]
    fn ph_outside_six_to_nine_is_worse_than_v() {
        let ph = Parameter::Ph;
        for ok in ["6", "7.2", "9"] {
            assert_eq!(class_of_value(ph, River, q(ok)), Class::I, "pH {ok}");
        }
        assert_eq!(
            class_of_value(ph, River, q("6").next_down().unwrap()),
            Class::WorseThanV
        );
        assert_eq!(
            class_of_value(ph, Lake, q("9").next_up().unwrap()),
            Class::WorseThanV
        );
        assert_eq!(class_of_value(ph, River, q("5.9")), Class::WorseThanV);
        assert_eq!(class_of_value(ph, River, q("9.1")), Class::WorseThanV);
    }

    #[test]
    fn class_of_a_mean_is_decided_exactly() {
        let tp = Parameter::TotalPhosphorus;
        let mean = Mean::of([q("0.1"), q("0.2"), q("0.3")]).unwrap();
        assert_eq!(class_of_mean(tp, River, &mean), Class::III);
        let mean = Mean::of([q("0.1"), q("0.2"), q("0.300000000000001")]).unwrap();
        assert_eq!(class_of_mean(tp, River, &mean), Class::IV);
        let ph = Mean::of([q("5.5"), q("6.5")]).unwrap();
        assert_eq!(class_of_mean(Parameter::Ph, River, &ph), Class::I);
    }

    #[test]
    fn class_numbers_and_descriptions() {
        assert_eq!(Class::I.number(), 1);
        assert_eq!(Class::WorseThanV.number(), 6);
        for c in Class::ALL {
            assert_eq!(Class::from_number(c.number()), Some(c));
        }
        assert_eq!(Class::from_number(0), None);
        assert_eq!(Class::from_number(7), None);
        assert_eq!(Class::II.description_zh(), "优");
        assert_eq!(Class::III.description_zh(), "良");
        assert_eq!(Class::IV.description_zh(), "轻度污染");
        assert_eq!(Class::V.description_zh(), "中度污染");
        assert_eq!(Class::WorseThanV.description_zh(), "重度污染");
        assert!(Class::III.is_good() && !Class::IV.is_good());
        assert_eq!(serde_json::to_string(&Class::WorseThanV).unwrap(), "6");
    }
}
