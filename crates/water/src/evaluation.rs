//! The 2011 evaluation method: the class of a sample, of a section over a year, and a region's
//! shares of sections at class Ⅲ or better and worse than Ⅴ.
//!
//! Single-factor method: the class is the worst class among the counted parameters (all but total
//! nitrogen and fecal coliform, which are classed and reported on their own; total nitrogen only
//! for lakes and reservoirs). A section's annual class uses the arithmetic mean of each parameter
//! over the year's samples. Project convention: a section-year is evaluated only when at least 9
//! of its 12 months have a valid sample (one with at least one counted parameter); otherwise it
//! is reported with the reason and left out of the shares.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDateTime};
use ecoduty_domain::region::RegionCode;

use crate::gb3838::{class_of_mean, Class};
use crate::model::{Section, WaterData};
use crate::parameter::{Parameter, WaterBodyKind};
use crate::quantity::{Mean, Quantity};

/// Months with a valid sample a section-year needs to be evaluated.
pub const MIN_MONTHS: u8 = 9;

/// The result of the single-factor method on a set of values or means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// The worst class among the counted parameters; `None` when none was measured.
    pub class: Option<Class>,
    /// The class of every parameter given, in table order (total nitrogen only for lakes).
    pub parameter_classes: Vec<(Parameter, Class)>,
    /// Counted parameters worse than class Ⅲ (超标项目), in table order.
    pub exceeding: Vec<Parameter>,
    /// Total nitrogen's own class; lakes and reservoirs only.
    pub tn_class: Option<Class>,
    /// Fecal coliform's own class.
    pub coliform_class: Option<Class>,
}

impl Assessment {
    pub fn class_of(&self, parameter: Parameter) -> Option<Class> {
        self.parameter_classes
            .iter()
            .find(|(p, _)| *p == parameter)
            .map(|(_, c)| *c)
    }
}

/// Applies the single-factor method to one mean (or value) per parameter. Total nitrogen given for
/// a river is ignored: GB 3838 classes it for lakes and reservoirs only.
pub fn assess(
    kind: WaterBodyKind,
    means: impl IntoIterator<Item = (Parameter, Mean)>,
) -> Assessment {
    let mut by_parameter = BTreeMap::new();
    for (p, mean) in means {
        if p == Parameter::TotalNitrogen && kind == WaterBodyKind::River {
            continue;
        }
        let class = class_of_mean(p, kind, &mean);
        // Should a parameter come twice, the worse class stands (single-factor method).
        let entry = by_parameter.entry(p).or_insert(class);
        *entry = (*entry).max(class);
    }
    let counted = || by_parameter.iter().filter(|(p, _)| p.counts_in_class());
    Assessment {
        class: counted().map(|(_, c)| *c).max(),
        exceeding: counted()
            .filter(|(_, c)| **c > Class::III)
            .map(|(p, _)| *p)
            .collect(),
        tn_class: by_parameter.get(&Parameter::TotalNitrogen).copied(),
        coliform_class: by_parameter.get(&Parameter::FecalColiform).copied(),
        parameter_classes: by_parameter.into_iter().collect(),
    }
}

/// The class of one sample from its measured values.
pub fn assess_sample(kind: WaterBodyKind, values: &[(Parameter, Quantity)]) -> Assessment {
    assess(kind, values.iter().map(|(p, v)| (*p, Mean::single(*v))))
}

/// Why a section-year is left out of the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotEvaluatedReason {
    /// Fewer than [`MIN_MONTHS`] months have a valid sample.
    TooFewMonths { months: u8 },
}

impl NotEvaluatedReason {
    pub fn message_zh(&self) -> String {
        match self {
            NotEvaluatedReason::TooFewMonths { months } => {
                format!("全年仅 {months} 个月有有效监测数据，不足 {MIN_MONTHS} 个月，不参与评价")
            }
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            NotEvaluatedReason::TooFewMonths { months } => format!(
                "only {months} of 12 months have a valid sample; at least {MIN_MONTHS} are required"
            ),
        }
    }
}

impl fmt::Display for NotEvaluatedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_zh())
    }
}

/// The class of one sample of a section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleResult {
    pub taken_at: NaiveDateTime,
    pub assessment: Assessment,
}

/// The annual mean of one parameter at a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParameterMean {
    pub parameter: Parameter,
    pub mean: Mean,
    /// The class of the mean; `None` for total nitrogen in a river, which has no class there.
    pub class: Option<Class>,
}

/// Whether the section-year was evaluated, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionOutcome {
    /// Evaluated on the annual means.
    Evaluated(Assessment),
    NotEvaluated(NotEvaluatedReason),
}

/// One section over one calendar year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionYear {
    pub section: Section,
    pub year: i32,
    /// Months of the year with a valid sample.
    pub months: u8,
    /// Each sample of the year, in time order.
    pub samples: Vec<SampleResult>,
    /// The annual mean of every parameter measured in the year, in table order.
    pub means: Vec<ParameterMean>,
    pub outcome: SectionOutcome,
}

impl SectionYear {
    pub fn is_evaluated(&self) -> bool {
        matches!(self.outcome, SectionOutcome::Evaluated(_))
    }

    /// The annual assessment, when the section-year was evaluated.
    pub fn assessment(&self) -> Option<&Assessment> {
        match &self.outcome {
            SectionOutcome::Evaluated(a) => Some(a),
            SectionOutcome::NotEvaluated(_) => None,
        }
    }

    /// The annual class, when the section-year was evaluated.
    pub fn class(&self) -> Option<Class> {
        self.assessment().and_then(|a| a.class)
    }

    pub fn not_evaluated_reason(&self) -> Option<NotEvaluatedReason> {
        match self.outcome {
            SectionOutcome::Evaluated(_) => None,
            SectionOutcome::NotEvaluated(reason) => Some(reason),
        }
    }
}

/// Evaluates one section over one year from its measurements; measurements of other years (or
/// other sections) are skipped, so the caller may pass a superset.
pub fn assess_section_year<'a>(
    section: &Section,
    measurements: impl IntoIterator<Item = &'a crate::model::Measurement>,
    year: i32,
) -> SectionYear {
    let mut samples: BTreeMap<NaiveDateTime, Vec<(Parameter, Quantity)>> = BTreeMap::new();
    let mut means: BTreeMap<Parameter, Mean> = BTreeMap::new();
    for m in measurements {
        if m.section != section.name || m.taken_at.year() != year {
            continue;
        }
        let value = m.reading.value();
        samples
            .entry(m.taken_at)
            .or_default()
            .push((m.parameter, value));
        means
            .entry(m.parameter)
            .and_modify(|mean| mean.push(value))
            .or_insert_with(|| Mean::single(value));
    }
    let kind = section.kind;
    let months: BTreeSet<u32> = samples
        .iter()
        .filter(|(_, values)| values.iter().any(|(p, _)| p.counts_in_class()))
        .map(|(at, _)| at.month())
        .collect();
    let months = months.len() as u8;
    let outcome = if months >= MIN_MONTHS {
        SectionOutcome::Evaluated(assess(kind, means.iter().map(|(p, m)| (*p, *m))))
    } else {
        SectionOutcome::NotEvaluated(NotEvaluatedReason::TooFewMonths { months })
    };
    SectionYear {
        section: section.clone(),
        year,
        months,
        samples: samples
            .into_iter()
            .map(|(taken_at, values)| SampleResult {
                taken_at,
                assessment: assess_sample(kind, &values),
            })
            .collect(),
        means: means
            .into_iter()
            .map(|(parameter, mean)| ParameterMean {
                parameter,
                mean,
                class: (parameter != Parameter::TotalNitrogen || kind == WaterBodyKind::Lake)
                    .then(|| class_of_mean(parameter, kind, &mean)),
            })
            .collect(),
        outcome,
    }
}

/// A percentage rounded half up to one decimal, computed in integers so that 12.5 stays 12.5 and
/// 1/16 = 6.25 % becomes 6.3 without binary rounding deciding the half.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share {
    tenths: u32,
}

impl Share {
    /// `part / whole × 100`, one decimal; `None` when `whole` is 0.
    pub fn of(part: usize, whole: usize) -> Option<Share> {
        if whole == 0 {
            return None;
        }
        let (part, whole) = (part as u64, whole as u64);
        let tenths = (2 * part * 1000 + whole) / (2 * whole);
        Some(Share {
            tenths: tenths as u32,
        })
    }

    pub fn tenths(self) -> u32 {
        self.tenths
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.tenths) / 10.0
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.tenths / 10, self.tenths % 10)
    }
}

/// A region's sections over a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionShares {
    pub region_code: RegionCode,
    /// Evaluated sections: the denominator of the shares.
    pub evaluated: usize,
    /// Evaluated sections at class Ⅲ or better.
    pub good: usize,
    /// Evaluated sections worse than class Ⅴ.
    pub worse_than_v: usize,
    /// Sections reported but not evaluated.
    pub not_evaluated: usize,
    /// `good / evaluated × 100`; `None` without evaluated sections.
    pub share_good: Option<Share>,
    /// `worse_than_v / evaluated × 100`; `None` without evaluated sections.
    pub share_worse_than_v: Option<Share>,
}

/// Each region's shares, by region code; a region whose sections were all left out still appears,
/// with no shares.
pub fn region_shares<'a>(sections: impl IntoIterator<Item = &'a SectionYear>) -> Vec<RegionShares> {
    let mut by_region: BTreeMap<&RegionCode, (usize, usize, usize, usize)> = BTreeMap::new();
    for s in sections {
        let counts = by_region.entry(&s.section.region_code).or_default();
        match s.class() {
            Some(class) => {
                counts.0 += 1;
                counts.1 += usize::from(class.is_good());
                counts.2 += usize::from(class == Class::WorseThanV);
            }
            None => counts.3 += 1,
        }
    }
    by_region
        .into_iter()
        .map(
            |(code, (evaluated, good, worse_than_v, not_evaluated))| RegionShares {
                region_code: code.clone(),
                evaluated,
                good,
                worse_than_v,
                not_evaluated,
                share_good: Share::of(good, evaluated),
                share_worse_than_v: Share::of(worse_than_v, evaluated),
            },
        )
        .collect()
}

/// Every section of a data set over one year, and the regions' shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearAssessment {
    pub year: i32,
    /// In the order the sections were given.
    pub sections: Vec<SectionYear>,
    /// By region code.
    pub regions: Vec<RegionShares>,
}

impl YearAssessment {
    /// The section-years left out, with their reasons.
    pub fn not_evaluated(&self) -> impl Iterator<Item = (&SectionYear, NotEvaluatedReason)> {
        self.sections
            .iter()
            .filter_map(|s| s.not_evaluated_reason().map(|r| (s, r)))
    }
}

/// Evaluates every section of the data over `year`. A section without measurements that year is
/// reported as not evaluated (0 months).
pub fn assess_year(data: &WaterData, year: i32) -> YearAssessment {
    let mut by_section: BTreeMap<&str, Vec<&crate::model::Measurement>> = BTreeMap::new();
    for m in data.measurements() {
        if m.taken_at.year() == year {
            by_section.entry(&m.section).or_default().push(m);
        }
    }
    let sections: Vec<SectionYear> = data
        .sections()
        .iter()
        .map(|s| {
            let ms = by_section.remove(s.name.as_str()).unwrap_or_default();
            assess_section_year(s, ms, year)
        })
        .collect();
    YearAssessment {
        year,
        regions: region_shares(&sections),
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Measurement, Reading};
    use chrono::NaiveDate;
    use Parameter::*;

    fn q(s: &str) -> Quantity {
        s.parse().unwrap()
    }

    fn river(name: &str, region: &str) -> Section {
        Section {
            name: name.into(),
            river_or_lake: "卫河".into(),
            kind: WaterBodyKind::River,
            region_code: region.parse().unwrap(),
        }
    }

    fn lake(name: &str, region: &str) -> Section {
        Section {
            kind: WaterBodyKind::Lake,
            river_or_lake: "群英湖".into(),
            ..river(name, region)
        }
    }

    fn m(section: &str, month: u32, day: u32, p: Parameter, v: &str) -> Measurement {
        Measurement {
            section: section.into(),
            taken_at: NaiveDate::from_ymd_opt(2025, month, day)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            parameter: p,
            reading: v.parse::<Reading>().unwrap(),
        }
    }

    /// One sample per month for `months` months, each with the given values.
    fn monthly(section: &str, months: u32, values: &[(Parameter, &str)]) -> Vec<Measurement> {
        (1..=months)
            .flat_map(|month| {
                values
                    .iter()
                    .map(move |(p, v)| m(section, month, 10, *p, v))
            })
            .collect()
    }

    #[test]
    fn sample_class_is_the_worst_counted_parameter() {
        let a = assess_sample(
            WaterBodyKind::River,
            &[
                (Ph, q("7.5")),
                (DissolvedOxygen, q("8")),
                (AmmoniaNitrogen, q("1.2")),
                (TotalPhosphorus, q("0.15")),
            ],
        );
        assert_eq!(a.class, Some(Class::IV));
        assert_eq!(a.exceeding, vec![AmmoniaNitrogen]);
        assert_eq!(a.class_of(TotalPhosphorus), Some(Class::III));
        assert_eq!(a.class_of(DissolvedOxygen), Some(Class::I));
    }

    #[test]
    fn exceeding_lists_every_parameter_worse_than_iii_in_table_order() {
        let a = assess_sample(
            WaterBodyKind::River,
            &[
                (TotalPhosphorus, q("0.5")),
                (Cod, q("25")),
                (DissolvedOxygen, q("2.5")),
                (AmmoniaNitrogen, q("1.0")),
            ],
        );
        assert_eq!(a.class, Some(Class::WorseThanV));
        assert_eq!(a.exceeding, vec![DissolvedOxygen, Cod, TotalPhosphorus]);
    }

    #[test]
    fn total_nitrogen_is_reported_for_lakes_only_and_never_counted() {
        let values = [(Cod, q("10")), (TotalNitrogen, q("3"))];
        let l = assess_sample(WaterBodyKind::Lake, &values);
        assert_eq!(l.class, Some(Class::I));
        assert_eq!(l.tn_class, Some(Class::WorseThanV));
        assert!(l.exceeding.is_empty());
        let r = assess_sample(WaterBodyKind::River, &values);
        assert_eq!(r.class, Some(Class::I));
        assert_eq!(r.tn_class, None);
        assert_eq!(r.class_of(TotalNitrogen), None);
    }

    #[test]
    fn fecal_coliform_is_reported_on_its_own() {
        let a = assess_sample(
            WaterBodyKind::River,
            &[(Cod, q("10")), (FecalColiform, q("50000"))],
        );
        assert_eq!(a.class, Some(Class::I));
        assert_eq!(a.coliform_class, Some(Class::WorseThanV));
        assert!(a.exceeding.is_empty());
        let only = assess_sample(WaterBodyKind::River, &[(FecalColiform, q("100"))]);
        assert_eq!(only.class, None);
        assert_eq!(only.coliform_class, Some(Class::I));
    }

    #[test]
    fn annual_class_uses_the_mean_not_the_worst_sample() {
        // NH3-N: ten months at 0.5 and two at 2.5 → mean 0.8333… → class Ⅲ, although two samples
        // are 劣Ⅴ.
        let s = river("A", "410800");
        let mut ms = monthly("A", 10, &[(AmmoniaNitrogen, "0.5")]);
        ms.push(m("A", 11, 10, AmmoniaNitrogen, "2.5"));
        ms.push(m("A", 12, 10, AmmoniaNitrogen, "2.5"));
        let y = assess_section_year(&s, &ms, 2025);
        assert_eq!(y.months, 12);
        assert_eq!(y.class(), Some(Class::III));
        assert_eq!(
            y.samples[11].assessment.class,
            Some(Class::WorseThanV),
            "the December sample itself is 劣Ⅴ"
        );
        let nh3n = y
            .means
            .iter()
            .find(|pm| pm.parameter == AmmoniaNitrogen)
            .unwrap();
        assert_eq!(nh3n.mean.count(), 12);
        assert!((nh3n.mean.to_f64() - 0.833_333).abs() < 1e-6);
    }

    #[test]
    fn annual_mean_sits_exactly_on_the_edge() {
        // TP 0.1, 0.2, 0.3 repeated: the mean is exactly 0.2, the river class Ⅲ limit.
        let s = river("A", "410800");
        let ms: Vec<_> = (1..=12)
            .map(|month| {
                let v = ["0.1", "0.2", "0.3"][(month as usize - 1) % 3];
                m("A", month, 5, TotalPhosphorus, v)
            })
            .collect();
        assert_eq!(assess_section_year(&s, &ms, 2025).class(), Some(Class::III));
    }

    #[test]
    fn below_detection_limit_and_nd_in_means() {
        // Cd, six "<0.004" (each 0.002) and six "ND" (each 0): the mean is exactly 0.001, the
        // class Ⅰ limit. Counting "<x" as x, or "ND" as anything above 0, would push it to Ⅱ.
        let s = river("A", "410800");
        let ms: Vec<_> = (1..=12)
            .map(|month| {
                m(
                    "A",
                    month,
                    5,
                    Cadmium,
                    if month % 2 == 0 { "<0.004" } else { "ND" },
                )
            })
            .collect();
        let y = assess_section_year(&s, &ms, 2025);
        assert_eq!(y.class(), Some(Class::I));
        let cd = y.means[0].mean;
        assert_eq!(cd.cmp_value(q("0.001")), std::cmp::Ordering::Equal);

        // All "<0.004": mean 0.002 → Ⅱ; all ND → 0 → Ⅰ.
        let all_below: Vec<_> = (1..=12)
            .map(|mo| m("A", mo, 5, Cadmium, "<0.004"))
            .collect();
        assert_eq!(
            assess_section_year(&s, &all_below, 2025).class(),
            Some(Class::II)
        );
        let all_nd: Vec<_> = (1..=12).map(|mo| m("A", mo, 5, Cadmium, "ND")).collect();
        assert_eq!(
            assess_section_year(&s, &all_nd, 2025).class(),
            Some(Class::I)
        );
    }

    #[test]
    fn nine_of_twelve_months_at_the_edge() {
        let s = river("A", "410800");
        let nine = monthly("A", 9, &[(Cod, "10")]);
        let y = assess_section_year(&s, &nine, 2025);
        assert_eq!(y.months, 9);
        assert!(y.is_evaluated());
        assert_eq!(y.class(), Some(Class::I));

        let eight = monthly("A", 8, &[(Cod, "10")]);
        let y = assess_section_year(&s, &eight, 2025);
        assert_eq!(y.months, 8);
        assert!(!y.is_evaluated());
        assert_eq!(y.class(), None);
        assert_eq!(
            y.not_evaluated_reason(),
            Some(NotEvaluatedReason::TooFewMonths { months: 8 })
        );
        assert!(y.not_evaluated_reason().unwrap().message_zh().contains('8'));
    }

    #[test]
    fn months_count_distinct_months_with_a_counted_parameter() {
        let s = river("A", "410800");
        // Eight months of COD, two samples in March, and three months with coliform only:
        // 8 months, not 11 and not 9.
        let mut ms = monthly("A", 8, &[(Cod, "10")]);
        ms.push(m("A", 3, 20, Cod, "12"));
        for month in 9..=11 {
            ms.push(m("A", month, 10, FecalColiform, "100"));
        }
        // And a sample from another year, which does not count.
        ms.push(Measurement {
            taken_at: NaiveDate::from_ymd_opt(2024, 12, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            ..m("A", 12, 1, Cod, "10")
        });
        let y = assess_section_year(&s, &ms, 2025);
        assert_eq!(y.months, 8);
        assert_eq!(y.samples.len(), 8 + 1 + 3);
        assert!(!y.is_evaluated());
    }

    #[test]
    fn lake_section_year_reports_tn_on_its_own() {
        let s = lake("L", "410800");
        let ms = monthly(
            "L",
            12,
            &[
                (TotalPhosphorus, "0.05"),
                (TotalNitrogen, "1.2"),
                (Cod, "15"),
            ],
        );
        let y = assess_section_year(&s, &ms, 2025);
        let a = y.assessment().unwrap();
        assert_eq!(a.class, Some(Class::III), "lake TP 0.05 is Ⅲ");
        assert_eq!(a.tn_class, Some(Class::IV));
        assert!(a.exceeding.is_empty());
        // The same values in a river: TP 0.05 is Ⅱ and TN has no class.
        let r = river("L", "410800");
        let y = assess_section_year(&r, &ms, 2025);
        assert_eq!(y.class(), Some(Class::II));
        assert_eq!(y.assessment().unwrap().tn_class, None);
        let tn = y
            .means
            .iter()
            .find(|pm| pm.parameter == TotalNitrogen)
            .unwrap();
        assert_eq!(tn.class, None);
    }

    #[test]
    fn shares_have_one_decimal_rounded_half_up() {
        assert_eq!(Share::of(5, 8).unwrap().to_string(), "62.5");
        assert_eq!(Share::of(1, 8).unwrap().as_f64(), 12.5);
        assert_eq!(Share::of(2, 3).unwrap().to_string(), "66.7");
        assert_eq!(Share::of(1, 3).unwrap().to_string(), "33.3");
        assert_eq!(Share::of(1, 16).unwrap().to_string(), "6.3");
        assert_eq!(Share::of(0, 7).unwrap().to_string(), "0.0");
        assert_eq!(Share::of(7, 7).unwrap().to_string(), "100.0");
        assert_eq!(Share::of(0, 0), None);
    }

    #[test]
    fn region_shares_count_only_evaluated_sections() {
        // Region 410800: sections Ⅱ, Ⅲ, Ⅳ, 劣Ⅴ evaluated plus one with 8 months.
        // Good 2/4 = 50.0, worse than Ⅴ 1/4 = 25.0. Region 410900: one Ⅰ section.
        let mut sections = vec![
            river("A", "410800"),
            river("B", "410800"),
            river("C", "410800"),
            river("D", "410800"),
            river("E", "410800"),
            river("F", "410900"),
        ];
        sections[4].kind = WaterBodyKind::Lake;
        let mut ms = Vec::new();
        ms.extend(monthly("A", 12, &[(AmmoniaNitrogen, "0.5")]));
        ms.extend(monthly("B", 12, &[(AmmoniaNitrogen, "1.0")]));
        ms.extend(monthly("C", 12, &[(AmmoniaNitrogen, "1.5")]));
        ms.extend(monthly("D", 12, &[(AmmoniaNitrogen, "2.1")]));
        ms.extend(monthly("E", 8, &[(AmmoniaNitrogen, "0.1")]));
        ms.extend(monthly("F", 9, &[(AmmoniaNitrogen, "0.1")]));
        let data = WaterData::new(sections, ms).unwrap();
        let y = assess_year(&data, 2025);
        let classes: Vec<_> = y.sections.iter().map(|s| s.class()).collect();
        assert_eq!(
            classes,
            vec![
                Some(Class::II),
                Some(Class::III),
                Some(Class::IV),
                Some(Class::WorseThanV),
                None,
                Some(Class::I)
            ]
        );
        assert_eq!(y.regions.len(), 2);
        let r = &y.regions[0];
        assert_eq!(r.region_code.as_str(), "410800");
        assert_eq!(
            (r.evaluated, r.good, r.worse_than_v, r.not_evaluated),
            (4, 2, 1, 1)
        );
        assert_eq!(r.share_good.unwrap().to_string(), "50.0");
        assert_eq!(r.share_worse_than_v.unwrap().to_string(), "25.0");
        let r = &y.regions[1];
        assert_eq!(r.share_good.unwrap().to_string(), "100.0");
        assert_eq!(y.not_evaluated().count(), 1);
    }

    #[test]
    fn a_region_without_evaluated_sections_has_no_shares() {
        let data =
            WaterData::new(vec![river("A", "410800")], monthly("A", 3, &[(Cod, "10")])).unwrap();
        let y = assess_year(&data, 2025);
        assert_eq!(y.regions[0].evaluated, 0);
        assert_eq!(y.regions[0].share_good, None);
        // A year with no data at all: the section is still reported, with 0 months.
        let y = assess_year(&data, 2024);
        assert_eq!(y.sections[0].months, 0);
        assert!(!y.sections[0].is_evaluated());
    }
}
