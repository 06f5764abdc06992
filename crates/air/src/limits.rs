//! GB 3095-2012 (with its 2018 amendment) concentration limits, class 1 and class 2 areas.

use serde::Serialize;

use crate::pollutant::Pollutant;

/// Functional area class of GB 3095: class 1 (nature reserves, scenic areas), class 2 (the rest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum AreaClass {
    Class1,
    Class2,
}

/// Averaging period of a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Period {
    Annual,
    Day24h,
    Hour8,
    Hour1,
}

/// The limit of `pollutant` for `period` in `class`, in the pollutant's unit; `None` where the
/// standard sets none (e.g. no annual CO limit).
pub fn limit(pollutant: Pollutant, period: Period, class: AreaClass) -> Option<f64> {
    use AreaClass::*;
    use Period::*;
    use Pollutant::*;
    let (c1, c2) = match (pollutant, period) {
        (So2, Annual) => (20.0, 60.0),
        (So2, Day24h) => (50.0, 150.0),
        (So2, Hour1) => (150.0, 500.0),
        (No2, Annual) => (40.0, 40.0),
        (No2, Day24h) => (80.0, 80.0),
        (No2, Hour1) => (200.0, 200.0),
        (Co, Day24h) => (4.0, 4.0),
        (Co, Hour1) => (10.0, 10.0),
        (O3, Hour8) => (100.0, 160.0),
        (O3, Hour1) => (160.0, 200.0),
        (Pm10, Annual) => (40.0, 70.0),
        (Pm10, Day24h) => (50.0, 150.0),
        (Pm25, Annual) => (15.0, 35.0),
        (Pm25, Day24h) => (35.0, 75.0),
        _ => return None,
    };
    Some(match class {
        Class1 => c1,
        Class2 => c2,
    })
}

/// A value attains a limit when it does not exceed it (超标 means "above the limit").
pub fn attains(value: f64, limit: f64) -> bool {
    value <= limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_2_limits_of_the_table() {
        use AreaClass::Class2 as C2;
        assert_eq!(limit(Pollutant::So2, Period::Annual, C2), Some(60.0));
        assert_eq!(limit(Pollutant::So2, Period::Day24h, C2), Some(150.0));
        assert_eq!(limit(Pollutant::So2, Period::Hour1, C2), Some(500.0));
        assert_eq!(limit(Pollutant::No2, Period::Annual, C2), Some(40.0));
        assert_eq!(limit(Pollutant::No2, Period::Day24h, C2), Some(80.0));
        assert_eq!(limit(Pollutant::Co, Period::Day24h, C2), Some(4.0));
        assert_eq!(limit(Pollutant::Co, Period::Annual, C2), None);
        assert_eq!(limit(Pollutant::O3, Period::Hour8, C2), Some(160.0));
        assert_eq!(limit(Pollutant::O3, Period::Hour1, C2), Some(200.0));
        assert_eq!(limit(Pollutant::O3, Period::Day24h, C2), None);
        assert_eq!(limit(Pollutant::Pm10, Period::Annual, C2), Some(70.0));
        assert_eq!(limit(Pollutant::Pm10, Period::Day24h, C2), Some(150.0));
        assert_eq!(limit(Pollutant::Pm25, Period::Annual, C2), Some(35.0));
        assert_eq!(limit(Pollutant::Pm25, Period::Day24h, C2), Some(75.0));
    }

    #[test]
    fn class_1_limits_of_the_table() {
        use AreaClass::Class1 as C1;
        assert_eq!(limit(Pollutant::So2, Period::Annual, C1), Some(20.0));
        assert_eq!(limit(Pollutant::Pm10, Period::Annual, C1), Some(40.0));
        assert_eq!(limit(Pollutant::Pm25, Period::Day24h, C1), Some(35.0));
        assert_eq!(limit(Pollutant::O3, Period::Hour8, C1), Some(100.0));
    }

    #[test]
    fn equal_to_the_limit_attains() {
        assert!(attains(35.0, 35.0));
        assert!(!attains(36.0, 35.0));
    }
}
