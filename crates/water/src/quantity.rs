//! Exact decimal values and means, so that class edges are decided without binary rounding.
//!
//! A concentration written "0.2" must meet a limit of 0.2, and the mean of 0.1, 0.2 and 0.3 must
//! be exactly 0.2. In `f64` the latter is 0.20000000000000004 and would drop a section from
//! class III to IV. Values are therefore held as integers of 10⁻¹⁵ (far below any method's
//! detection limit; the strictest GB 3838 limit is 0.00005 mg/L) and a mean is kept as an exact
//! sum and count: comparing a mean with a limit compares `sum` with `limit × count`.
//!
//! Digits beyond the 15th decimal are rounded half up when parsing. That absorbs binary artefacts
//! of spreadsheet exports (`0.30000000000000004` reads as 0.3) and changes nothing measurable.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Decimal places held exactly.
pub const DECIMALS: u32 = 15;
const UNIT: i128 = 10i128.pow(DECIMALS);
/// The largest value accepted, 10¹²: beyond any concentration or count a water sample can carry,
/// and small enough that sums over any realistic number of samples stay far from overflow.
const MAX_RAW: i128 = 1_000_000_000_000 * UNIT;

/// A non-negative measured value, exact to 15 decimal places.
///
/// Stored as text with `Display` and read back with `FromStr`, it round-trips exactly; that is
/// the form to persist it in (the raw integer does not fit a 64-bit column).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(i128);

impl Quantity {
    pub const ZERO: Quantity = Quantity(0);
    /// The step between two neighbouring representable values, 10⁻¹⁵.
    pub const STEP: Quantity = Quantity(1);

    /// Parses a plain decimal at compile time; used for the limit tables. Panics (at compile time
    /// for constants) on anything but digits with at most one point and 15 decimals.
    pub const fn from_decimal_literal(s: &str) -> Quantity {
        let bytes = s.as_bytes();
        let mut raw: i128 = 0;
        let mut decimals: i32 = -1;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'.' {
                assert!(decimals < 0, "two decimal points");
                decimals = 0;
            } else {
                assert!(b.is_ascii_digit(), "not a digit");
                raw = raw * 10 + (b - b'0') as i128;
                if decimals >= 0 {
                    decimals += 1;
                }
            }
            i += 1;
        }
        let decimals = if decimals < 0 { 0 } else { decimals as u32 };
        assert!(decimals <= DECIMALS, "too many decimals");
        Quantity(raw * 10i128.pow(DECIMALS - decimals))
    }

    /// Reads an `f64` by its shortest decimal rendering, so `0.2_f64` becomes exactly 0.2.
    pub fn from_f64(value: f64) -> Result<Quantity, QuantityError> {
        if !value.is_finite() {
            return Err(QuantityError::NotANumber);
        }
        format!("{value}").parse()
    }

    /// The nearest `f64`, for display and charts; never use it to decide a class. Goes through
    /// the decimal text so that 0.1 gives the `f64` literal 0.1, not a neighbour of it.
    pub fn to_f64(self) -> f64 {
        self.to_string()
            .parse()
            .expect("a decimal rendering always parses as f64")
    }

    /// Half the value, rounded half up at the 15th decimal: what "<x" counts as in a mean.
    pub fn half(self) -> Quantity {
        Quantity((self.0 + 1) / 2)
    }

    /// The sum, or `None` past the largest accepted value.
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        let sum = self.0 + other.0;
        (sum <= MAX_RAW).then_some(Quantity(sum))
    }

    /// The difference, floored at zero.
    pub fn saturating_sub(self, other: Quantity) -> Quantity {
        Quantity((self.0 - other.0).max(0))
    }

    /// The next representable value above; `None` past the largest accepted value.
    pub fn next_up(self) -> Option<Quantity> {
        (self.0 < MAX_RAW).then_some(Quantity(self.0 + 1))
    }

    /// The next representable value below; `None` at zero.
    pub fn next_down(self) -> Option<Quantity> {
        (self.0 > 0).then_some(Quantity(self.0 - 1))
    }
}

/// Why a text is not a measured value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("not a number")]
    NotANumber,
    #[error("negative value")]
    Negative,
    #[error("value larger than 10^12, not a plausible measurement")]
    TooLarge,
}

impl FromStr for Quantity {
    type Err = QuantityError;

    /// Accepts `12`, `0.05`, `.5`, `5.`, `5E-05`, `+1.2`; refuses signs other than `+`, blanks,
    /// `NaN`, `inf`, thousands separators.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let s = match s.strip_prefix('+') {
            Some(rest) => rest,
            None if s.starts_with('-') => {
                // "-0" is zero; anything else negative is refused by name.
                if s[1..].starts_with(['+', '-']) {
                    return Err(QuantityError::NotANumber);
                }
                return match s[1..].parse::<Quantity>() {
                    Ok(q) if q == Quantity::ZERO => Ok(q),
                    Ok(_) => Err(QuantityError::Negative),
                    Err(e) => Err(e),
                };
            }
            None => s,
        };
        let (mantissa, exponent) = match s.find(['e', 'E']) {
            Some(i) => {
                let exp = &s[i + 1..];
                let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                if exp_digits.is_empty()
                    || exp_digits.len() > 4
                    || !exp_digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(QuantityError::NotANumber);
                }
                let e: i32 = exp.parse().map_err(|_| QuantityError::NotANumber)?;
                (&s[..i], e)
            }
            None => (s, 0),
        };
        let (int_part, frac_part) = match mantissa.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mantissa, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(QuantityError::NotANumber);
        }
        if !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return Err(QuantityError::NotANumber);
        }
        // value = digits × 10^(exponent − frac_len); raw = value × 10^DECIMALS.
        let digits: String = int_part.chars().chain(frac_part.chars()).collect();
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Ok(Quantity::ZERO);
        }
        let shift = exponent as i64 - frac_part.len() as i64 + DECIMALS as i64;
        let raw = if shift >= 0 {
            // At most 39 digits fit an i128 for sure only up to 38; anything that long is far
            // beyond MAX_RAW anyway.
            if digits.len() as i64 + shift > 38 {
                return Err(QuantityError::TooLarge);
            }
            let d: i128 = digits.parse().map_err(|_| QuantityError::TooLarge)?;
            d * 10i128.pow(shift as u32)
        } else {
            let drop = (-shift) as usize;
            if drop > digits.len() {
                return Ok(Quantity::ZERO);
            }
            let (kept, dropped) = digits.split_at(digits.len() - drop);
            if kept.len() > 38 {
                return Err(QuantityError::TooLarge);
            }
            let kept: i128 = if kept.is_empty() {
                0
            } else {
                kept.parse().map_err(|_| QuantityError::TooLarge)?
            };
            let round_up = dropped.as_bytes()[0] >= b'5';
            kept + i128::from(round_up)
        };
        if raw > MAX_RAW {
            return Err(QuantityError::TooLarge);
        }
        Ok(Quantity(raw))
    }
}

impl fmt::Display for Quantity {
    /// The shortest exact decimal: `0.2`, `15`, `0.00005`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.0 / UNIT;
        let frac = self.0 % UNIT;
        if frac == 0 {
            return write!(f, "{int}");
        }
        let frac = format!("{frac:0width$}", width = DECIMALS as usize);
        write!(f, "{int}.{}", frac.trim_end_matches('0'))
    }
}

/// The exact arithmetic mean of one or more quantities, kept as sum and count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mean {
    sum: i128,
    count: u32,
}

impl Mean {
    /// The mean of a single value.
    pub fn single(value: Quantity) -> Mean {
        Mean {
            sum: value.0,
            count: 1,
        }
    }

    /// The mean of the values; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = Quantity>) -> Option<Mean> {
        let mut mean: Option<Mean> = None;
        for v in values {
            match &mut mean {
                Some(m) => m.push(v),
                None => mean = Some(Mean::single(v)),
            }
        }
        mean
    }

    /// Adds one more value to the mean.
    pub fn push(&mut self, value: Quantity) {
        // Values are at most 10^27 raw, so the sum overflows only past 10^11 values.
        self.sum += value.0;
        self.count += 1;
    }

    /// How many values the mean is over.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The mean rounded half up to 15 decimals, for display and storage; classes are decided
    /// exactly by [`Mean::cmp_value`].
    pub fn value(&self) -> Quantity {
        let count = i128::from(self.count);
        Quantity((2 * self.sum + count) / (2 * count))
    }

    /// The mean as the nearest `f64` of [`Mean::value`], for display.
    pub fn to_f64(&self) -> f64 {
        self.value().to_f64()
    }

    /// Compares the mean with a value exactly (`sum` against `value × count`).
    pub fn cmp_value(&self, value: Quantity) -> Ordering {
        self.sum.cmp(&(value.0 * i128::from(self.count)))
    }
}

impl From<Quantity> for Mean {
    fn from(value: Quantity) -> Mean {
        Mean::single(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        s.parse().unwrap()
    }

    #[test]
    fn parses_plain_and_scientific_decimals() {
        assert_eq!(q("0.2"), Quantity::from_decimal_literal("0.2"));
        assert_eq!(q("5E-05"), Quantity::from_decimal_literal("0.00005"));
        assert_eq!(q("1.5e2"), Quantity::from_decimal_literal("150"));
        assert_eq!(q(".5"), Quantity::from_decimal_literal("0.5"));
        assert_eq!(q("5."), Quantity::from_decimal_literal("5"));
        assert_eq!(q("+7"), Quantity::from_decimal_literal("7"));
        assert_eq!(q("-0"), Quantity::ZERO);
        assert_eq!(q("000.000"), Quantity::ZERO);
    }

    #[test]
    fn refuses_what_is_not_a_value() {
        for bad in [
            "", ".", "abc", "1,5", "NaN", "inf", "1e", "1e+", "0x10", "1.2.3", "--1",
        ] {
            assert_eq!(
                bad.parse::<Quantity>(),
                Err(QuantityError::NotANumber),
                "{bad}"
            );
        }
        assert_eq!("-0.1".parse::<Quantity>(), Err(QuantityError::Negative));
        assert_eq!("1e13".parse::<Quantity>(), Err(QuantityError::TooLarge));
        assert_eq!(
            "9".repeat(60).parse::<Quantity>(),
            Err(QuantityError::TooLarge)
        );
    }

    #[test]
    fn rounds_beyond_fifteen_decimals() {
        assert_eq!(q("0.30000000000000004"), q("0.3"));
        assert_eq!(q("0.0000000000000005"), Quantity::STEP);
        assert_eq!(q("0.0000000000000004"), Quantity::ZERO);
        assert_eq!(q("1e-40"), Quantity::ZERO);
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "0",
            "0.2",
            "15",
            "0.00005",
            "40000",
            "0.000000000000001",
            "123.456",
        ] {
            assert_eq!(q(s).to_string(), s);
        }
        assert_eq!(Quantity::from_f64(0.1 + 0.2).unwrap(), q("0.3"));
        assert!(Quantity::from_f64(f64::NAN).is_err());
    }

    #[test]
    fn means_are_exact() {
        let m = Mean::of([q("0.1"), q("0.2"), q("0.3")]).unwrap();
        assert_eq!(m.cmp_value(q("0.2")), Ordering::Equal);
        assert_eq!(m.count(), 3);
        assert_eq!(m.value(), q("0.2"));
        assert_eq!(m.to_f64(), 0.2);
        let twelve = Mean::of(std::iter::repeat_n(q("0.1"), 12)).unwrap();
        assert_eq!(twelve.to_f64(), 0.1);
        let third = Mean::of([q("1"), q("0"), q("0")]).unwrap();
        assert_eq!(third.value(), q("0.333333333333333"));
        let two_thirds = Mean::of([q("1"), q("1"), q("0")]).unwrap();
        assert_eq!(two_thirds.value(), q("0.666666666666667"));
        // In f64 the same mean is not 0.2: this is why the sums are kept exact.
        let floats = [0.1_f64, 0.2, 0.3];
        assert!(floats.iter().sum::<f64>() / 3.0 > 0.2);
        assert!(Mean::of(std::iter::empty()).is_none());
    }

    #[test]
    fn exact_addition_and_subtraction() {
        assert_eq!(q("0.1").checked_add(q("0.2")), Some(q("0.3")));
        assert_eq!(q("1e12").checked_add(Quantity::STEP), None);
        assert_eq!(q("0.3").saturating_sub(q("0.1")), q("0.2"));
        assert_eq!(q("0.1").saturating_sub(q("0.3")), Quantity::ZERO);
    }

    #[test]
    fn half_rounds_half_up() {
        assert_eq!(q("0.01").half(), q("0.005"));
        assert_eq!(Quantity::STEP.half(), Quantity::STEP);
        assert_eq!(Quantity::ZERO.half(), Quantity::ZERO);
    }
}
