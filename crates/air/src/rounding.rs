//! Round-half-to-even (GB/T 8170 修约: 四舍六入五成双), the one rounding rule of the project.
//!
//! Values here come from decimal inputs that binary floating point cannot hold exactly: the
//! mean of CO 1.2 and 1.3 is the decimal 1.25, which may arrive as 1.2499999999999998. A value
//! within a relative 1e-9 of a half is therefore taken as that exact half. Decimal data with a
//! few digits never lies that close to a half without being one, so this changes no genuine
//! non-tie.

/// Rounds `x` to `decimals` decimal places, ties to even. Non-finite values pass through.
pub fn round_half_even(x: f64, decimals: u32) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(decimals as i32);
    let y = x * scale;
    let floor = y.floor();
    let frac = y - floor;
    let tolerance = 1e-9 * y.abs().max(1.0);
    let rounded = if (frac - 0.5).abs() <= tolerance {
        if floor.rem_euclid(2.0) == 0.0 {
            floor
        } else {
            floor + 1.0
        }
    } else {
        y.round()
    };
    rounded / scale
}

#[cfg(test)]
mod tests {
    use super::round_half_even as r;

    #[test]
    fn integers_ties_go_to_even() {
        assert_eq!(r(44.5, 0), 44.0);
        assert_eq!(r(45.5, 0), 46.0);
        assert_eq!(r(0.5, 0), 0.0);
        assert_eq!(r(1.5, 0), 2.0);
        assert_eq!(r(2.5, 0), 2.0);
        assert_eq!(r(44.500001, 0), 45.0);
        assert_eq!(r(44.499999, 0), 44.0);
        assert_eq!(r(44.6, 0), 45.0);
        assert_eq!(r(44.4, 0), 44.0);
    }

    #[test]
    fn one_decimal_ties_go_to_even() {
        assert_eq!(r(1.25, 1), 1.2);
        assert_eq!(r(1.35, 1), 1.4);
        assert_eq!(r(0.05, 1), 0.0);
        assert_eq!(r(0.15, 1), 0.2);
        assert_eq!(r(1.26, 1), 1.3);
        assert_eq!(r(1.24, 1), 1.2);
        // The decimal mean of 1.2 and 1.3 is a tie, whatever binary makes of it.
        assert_eq!(r((1.2 + 1.3) / 2.0, 1), 1.2);
        assert_eq!(r((0.1 + 0.2 + 0.15) / 3.0, 1), 0.2);
    }

    #[test]
    fn two_decimals_for_the_composite_index() {
        assert_eq!(r(4.865, 2), 4.86);
        assert_eq!(r(4.875, 2), 4.88);
        assert_eq!(r(4.8651, 2), 4.87);
    }

    #[test]
    fn near_ties_computed_in_binary_are_ties() {
        // 0.1 * 3 = 0.30000000000000004; 2.675 is stored below the half.
        assert_eq!(r(2.675, 2), 2.68);
        assert_eq!(r(0.1 * 3.0 * 5.0, 0), 2.0);
    }
}
