//! Required patrol frequency (巡河 / 巡林频次): per chief level, a number of patrols per period
//! (week, 旬, month, quarter, year). The defaults are data (`data/waters/patrol_frequency.csv`,
//! with the rule they follow); a region may set its own, which the store keeps versioned. This
//! module owns the periods, the default table and the count of what a chief owes.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ChiefLevel;

crate::supervision::keyed_enum! {
    /// The period a frequency counts over.
    Period {
        Week => "week", "周",
        TenDays => "ten_days", "旬",
        Month => "month", "月",
        Quarter => "quarter", "季",
        Year => "year", "年",
    }
}

/// So many patrols per period for chiefs of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Frequency {
    pub level: ChiefLevel,
    pub per: Period,
    pub times: u32,
}

const DEFAULTS: &str = include_str!("../../data/waters/patrol_frequency.csv");

/// The default frequencies, one per level, read from the data file.
pub fn defaults() -> Vec<Frequency> {
    parse_table(DEFAULTS).expect("the default frequency table is valid")
}

/// Reads `level,period,times` lines (`#` starts a comment); the error names the line.
pub fn parse_table(text: &str) -> Result<Vec<Frequency>, String> {
    let mut out: Vec<Frequency> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let at = |m: String| format!("line {}: {m}", i + 1);
        if cells.len() != 3 {
            return Err(at(format!("expected 3 fields, found {}", cells.len())));
        }
        let f = Frequency {
            level: cells[0].parse().map_err(at)?,
            per: cells[1].parse().map_err(at)?,
            times: parse_times(cells[2]).map_err(at)?,
        };
        if out.iter().any(|o| o.level == f.level) {
            return Err(at(format!("level {} is given twice", f.level)));
        }
        out.push(f);
    }
    Ok(out)
}

/// 1–100 patrols.
pub fn parse_times(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(format!("times {text:?}: expected a whole number 1–100")),
    }
}

impl Period {
    /// The first and last day of the period holding `day`.
    pub fn around(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("valid month");
        let month_end = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            first_of(ny, nm) - Duration::days(1)
        };
        let (y, m, d) = (day.year(), day.month(), day.day());
        match self {
            Period::Week => {
                let start = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                (start, start + Duration::days(6))
            }
            Period::TenDays => match d {
                1..=10 => (first_of(y, m), first_of(y, m) + Duration::days(9)),
                11..=20 => (
                    first_of(y, m) + Duration::days(10),
                    first_of(y, m) + Duration::days(19),
                ),
                _ => (first_of(y, m) + Duration::days(20), month_end(y, m)),
            },
            Period::Month => (first_of(y, m), month_end(y, m)),
            Period::Quarter => {
                let q = (m - 1) / 3 * 3 + 1;
                (first_of(y, q), month_end(y, q + 2))
            }
            Period::Year => (first_of(y, 1), month_end(y, 12)),
        }
    }

    /// The periods that overlap `[from, to]`, in order.
    pub fn between(self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            let p = self.around(day);
            out.push(p);
            day = p.1 + Duration::days(1);
        }
        out
    }
}

/// One period of a chief's record: how many patrols were owed and made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodCount {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub required: u32,
    pub done: u32,
}

impl PeriodCount {
    pub fn behind(&self) -> bool {
        self.done < self.required
    }
}

/// The periods of `rule` overlapping `[from, to]` with the patrols made in each (`days` are the
/// patrols' dates, in any order; a patrol counts in the period holding its date).
pub fn counts(
    rule: &Frequency,
    days: &[NaiveDate],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<PeriodCount> {
    rule.per
        .between(from, to)
        .into_iter()
        .map(|(a, b)| PeriodCount {
            from: a,
            to: b,
            required: rule.times,
            done: days.iter().filter(|d| **d >= a && **d <= b).count() as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_defaults_cover_every_level() {
        let t = defaults();
        for l in ChiefLevel::ALL {
            assert!(t.iter().any(|f| f.level == *l), "{l}");
        }
        let county = t.iter().find(|f| f.level == ChiefLevel::County).unwrap();
        assert_eq!((county.per, county.times), (Period::Month, 1));
        assert!(parse_table("county,month,1\ncounty,week,2")
            .unwrap_err()
            .starts_with("line 2"));
        assert!(parse_table("county,fortnight,1")
            .unwrap_err()
            .contains("line 1"));
        assert!(parse_table("county,month,0").is_err());
    }

    #[test]
    fn periods_hold_their_days() {
        assert_eq!(
            Period::Week.around(d("2026-11-04")),
            (d("2026-11-02"), d("2026-11-08"))
        );
        assert_eq!(
            Period::TenDays.around(d("2026-02-25")),
            (d("2026-02-21"), d("2026-02-28"))
        );
        assert_eq!(
            Period::TenDays.around(d("2026-11-11")),
            (d("2026-11-11"), d("2026-11-20"))
        );
        assert_eq!(
            Period::Quarter.around(d("2026-11-30")),
            (d("2026-10-01"), d("2026-12-31"))
        );
        assert_eq!(
            Period::Month
                .between(d("2026-01-15"), d("2026-03-01"))
                .len(),
            3
        );
        // Every day of a year lies in exactly one week, 旬, month, quarter.
        for p in Period::ALL {
            let mut day = d("2026-01-01");
            while day <= d("2026-12-31") {
                let (a, b) = p.around(day);
                assert!(a <= day && day <= b, "{p} {day}");
                assert_eq!(p.around(a), (a, b));
                assert_eq!(p.around(b), (a, b));
                day += Duration::days(1);
            }
        }
    }

    #[test]
    fn a_chief_behind_is_seen_in_the_period() {
        let rule = Frequency {
            level: ChiefLevel::Township,
            per: Period::TenDays,
            times: 1,
        };
        let c = counts(
            &rule,
            &[d("2026-11-03"), d("2026-11-05"), d("2026-11-25")],
            d("2026-11-01"),
            d("2026-11-30"),
        );
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].done, 2);
        assert!(c[1].behind());
        assert!(!c[2].behind());
    }
}
