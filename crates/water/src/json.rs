//! The JSON shape of a year's assessment, as printed by `ecoduty water assess --json` and meant to
//! be served unchanged by any later web layer.
//!
//! ```json
//! {"year": 2025,
//!  "sections": [{"section": "…", "river_or_lake": "…", "region_code": "410800", "kind": "river",
//!                "months": 12, "samples": 12, "evaluated": true, "class": 3, "description": "良",
//!                "exceeding": ["nh3n"], "tn_class": null, "coliform_class": null,
//!                "means": {"ph": 7.4, …}, "reason": null, "sample_classes": [{"taken_at": "2025-01-10", "class": 3, "exceeding": []}]}],
//!  "regions": [{"region_code": "410800", "sections": 8, "share_good": 62.5,
//!               "share_worse_than_v": 12.5, "good": 5, "worse_than_v": 1, "not_evaluated": 0}],
//!  "not_evaluated": [{"section": "…", "region_code": "…", "months": 8, "reason": "…", "reason_en": "…"}]}
//! ```
//!
//! `class` is 1–5 for Ⅰ–Ⅴ and 6 for 劣Ⅴ, null when the section-year was not evaluated; shares
//! are over evaluated sections only, one decimal, null when a region has none.

use chrono::{NaiveDateTime, Timelike};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::evaluation::{Assessment, ParameterMean, SectionYear, YearAssessment};
use crate::gb3838::Class;
use crate::parameter::{Parameter, WaterBodyKind};

#[derive(Serialize)]
struct YearView<'a> {
    year: i32,
    sections: Vec<SectionView<'a>>,
    regions: Vec<RegionView<'a>>,
    not_evaluated: Vec<NotEvaluatedView<'a>>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    section: &'a str,
    river_or_lake: &'a str,
    region_code: &'a str,
    kind: WaterBodyKind,
    months: u8,
    samples: usize,
    evaluated: bool,
    class: Option<Class>,
    description: Option<&'static str>,
    exceeding: &'a [Parameter],
    tn_class: Option<Class>,
    coliform_class: Option<Class>,
    means: MeansView<'a>,
    reason: Option<String>,
    sample_classes: Vec<SampleView<'a>>,
}

#[derive(Serialize)]
struct SampleView<'a> {
    taken_at: String,
    class: Option<Class>,
    exceeding: &'a [Parameter],
}

#[derive(Serialize)]
struct RegionView<'a> {
    region_code: &'a str,
    sections: usize,
    share_good: Option<f64>,
    share_worse_than_v: Option<f64>,
    good: usize,
    worse_than_v: usize,
    not_evaluated: usize,
}

#[derive(Serialize)]
struct NotEvaluatedView<'a> {
    section: &'a str,
    region_code: &'a str,
    months: u8,
    reason: String,
    reason_en: String,
}

/// Annual means keyed by parameter, in table order.
struct MeansView<'a>(&'a [ParameterMean]);

impl Serialize for MeansView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for pm in self.0 {
            map.serialize_entry(pm.parameter.key(), &pm.mean.to_f64())?;
        }
        map.end()
    }
}

/// A date alone when the sample has no time of day.
pub fn format_taken_at(at: NaiveDateTime) -> String {
    if at.num_seconds_from_midnight() == 0 {
        at.format("%Y-%m-%d").to_string()
    } else if at.second() == 0 {
        at.format("%Y-%m-%d %H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

const NONE: &[Parameter] = &[];

fn section_view(s: &SectionYear) -> SectionView<'_> {
    let assessment: Option<&Assessment> = s.assessment();
    let class = s.class();
    SectionView {
        section: &s.section.name,
        river_or_lake: &s.section.river_or_lake,
        region_code: s.section.region_code.as_str(),
        kind: s.section.kind,
        months: s.months,
        samples: s.samples.len(),
        evaluated: s.is_evaluated(),
        class,
        description: class.map(Class::description_zh),
        exceeding: assessment.map_or(NONE, |a| &a.exceeding),
        tn_class: assessment.and_then(|a| a.tn_class),
        coliform_class: assessment.and_then(|a| a.coliform_class),
        means: MeansView(&s.means),
        reason: s.not_evaluated_reason().map(|r| r.message_zh()),
        sample_classes: s
            .samples
            .iter()
            .map(|sample| SampleView {
                taken_at: format_taken_at(sample.taken_at),
                class: sample.assessment.class,
                exceeding: &sample.assessment.exceeding,
            })
            .collect(),
    }
}

impl Serialize for YearAssessment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        YearView {
            year: self.year,
            sections: self.sections.iter().map(section_view).collect(),
            regions: self
                .regions
                .iter()
                .map(|r| RegionView {
                    region_code: r.region_code.as_str(),
                    sections: r.evaluated,
                    share_good: r.share_good.map(|s| s.as_f64()),
                    share_worse_than_v: r.share_worse_than_v.map(|s| s.as_f64()),
                    good: r.good,
                    worse_than_v: r.worse_than_v,
                    not_evaluated: r.not_evaluated,
                })
                .collect(),
            not_evaluated: self
                .not_evaluated()
                .map(|(s, reason)| NotEvaluatedView {
                    section: &s.section.name,
                    region_code: s.section.region_code.as_str(),
                    months: s.months,
                    reason: reason.message_zh(),
                    reason_en: reason.message_en(),
                })
                .collect(),
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::assess_year;
    use crate::model::{Measurement, Section, WaterData};
    use chrono::NaiveDate;
    use serde_json::json;

    #[test]
    fn shape_of_the_json() {
        let sections = vec![
            Section {
                name: "甲".into(),
                river_or_lake: "卫河".into(),
                kind: WaterBodyKind::River,
                region_code: "410800".parse().unwrap(),
            },
            Section {
                name: "乙".into(),
                river_or_lake: "群英湖".into(),
                kind: WaterBodyKind::Lake,
                region_code: "410800".parse().unwrap(),
            },
        ];
        let day = |month| {
            NaiveDate::from_ymd_opt(2025, month, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        };
        let mut ms = Vec::new();
        for month in 1..=12 {
            for (p, v) in [(Parameter::AmmoniaNitrogen, "1.2"), (Parameter::Cod, "10")] {
                ms.push(Measurement {
                    section: "甲".into(),
                    taken_at: day(month),
                    parameter: p,
                    reading: v.parse().unwrap(),
                });
            }
        }
        ms.push(Measurement {
            section: "乙".into(),
            taken_at: day(1),
            parameter: Parameter::Cod,
            reading: "10".parse().unwrap(),
        });
        let y = assess_year(&WaterData::new(sections, ms).unwrap(), 2025);
        let v = serde_json::to_value(&y).unwrap();
        let s0 = &v["sections"][0];
        assert_eq!(s0["section"], "甲");
        assert_eq!(s0["kind"], "river");
        assert_eq!(s0["months"], 12);
        assert_eq!(s0["evaluated"], true);
        assert_eq!(s0["class"], 4);
        assert_eq!(s0["description"], "轻度污染");
        assert_eq!(s0["exceeding"], json!(["nh3n"]));
        assert_eq!(s0["tn_class"], json!(null));
        assert_eq!(s0["means"], json!({"cod": 10.0, "nh3n": 1.2}));
        assert_eq!(s0["sample_classes"][0]["taken_at"], "2025-01-01");
        assert_eq!(s0["reason"], json!(null));
        let s1 = &v["sections"][1];
        assert_eq!(s1["evaluated"], false);
        assert_eq!(s1["class"], json!(null));
        assert!(s1["reason"].as_str().unwrap().contains('1'));
        assert_eq!(
            v["regions"],
            json!([{"region_code": "410800", "sections": 1, "share_good": 0.0,
                    "share_worse_than_v": 0.0, "good": 0, "worse_than_v": 0, "not_evaluated": 1}])
        );
        assert_eq!(v["not_evaluated"][0]["section"], "乙");
        assert_eq!(v["not_evaluated"][0]["months"], 1);
    }

    #[test]
    fn times_of_day_are_kept_when_present() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        assert_eq!(
            format_taken_at(d.and_hms_opt(0, 0, 0).unwrap()),
            "2025-03-04"
        );
        assert_eq!(
            format_taken_at(d.and_hms_opt(9, 30, 0).unwrap()),
            "2025-03-04 09:30"
        );
        assert_eq!(
            format_taken_at(d.and_hms_opt(9, 30, 5).unwrap()),
            "2025-03-04 09:30:05"
        );
    }
}
