//! Environmental zoning control (生态环境分区管控, Art. 7(2)) as pure rules, with no I/O.
//!
//! 第七条(二) asks the government head to 落实生态环境分区管控. A region is divided into
//! environmental control units (环境管控单元), each 优先保护, 重点管控 or 一般管控, each with its
//! admission list (生态环境准入清单) in four dimensions (空间布局约束, 污染物排放管控, 环境风险防控,
//! 资源利用效率). This module owns:
//!
//! - here: the unit and its clauses, the unit code's shape, and the project check — which
//!   effect (禁止 / 限制 / 允许) the list gives an industry in a unit, citing the clauses;
//! - [`industry`]: GB/T 4754 industry codes and which code covers which;
//! - [`geometry`]: a unit's GeoJSON boundary and the point-in-polygon test;
//! - [`sheet`]: the published sheets (units, clauses) read all or nothing and written back.

pub mod geometry;
pub mod industry;
pub mod sheet;

use crate::region::RegionCode;
use crate::supervision::keyed_enum;
pub use industry::IndustryCode;

keyed_enum! {
    /// The category of a control unit. The code's seventh digit says it: 1, 2, 3.
    UnitCategory {
        PriorityProtection => "priority_protection", "优先保护",
        KeyControl => "key_control", "重点管控",
        GeneralControl => "general_control", "一般管控",
    }
}

impl UnitCategory {
    pub fn name_en(self) -> &'static str {
        match self {
            UnitCategory::PriorityProtection => "Priority protection",
            UnitCategory::KeyControl => "Key control",
            UnitCategory::GeneralControl => "General control",
        }
    }

    /// The digit unit codes give the category (ZH410883**2**0001).
    pub fn digit(self) -> char {
        match self {
            UnitCategory::PriorityProtection => '1',
            UnitCategory::KeyControl => '2',
            UnitCategory::GeneralControl => '3',
        }
    }

    /// Reads the category as sheets write it: 优先保护(单元), 重点管控(单元), 一般管控(单元).
    pub fn parse_cell(s: &str) -> Result<UnitCategory, String> {
        let t = s.trim().trim_end_matches("单元").trim_end_matches("类");
        t.parse::<UnitCategory>()
            .map_err(|_| format!("{s:?} 不是管控类别:填 优先保护、重点管控 或 一般管控"))
    }
}

keyed_enum! {
    /// The four dimensions of an admission list (生态环境准入清单).
    // Named apart from other schemas of the OpenAPI document.
    #[cfg_attr(feature = "openapi", schema(as = ZoningDimension))]
    Dimension {
        SpatialLayout => "spatial_layout", "空间布局约束",
        PollutantDischarge => "pollutant_discharge", "污染物排放管控",
        RiskPrevention => "risk_prevention", "环境风险防控",
        ResourceEfficiency => "resource_efficiency", "资源利用效率",
    }
}

impl Dimension {
    pub fn name_en(self) -> &'static str {
        match self {
            Dimension::SpatialLayout => "Spatial layout",
            Dimension::PollutantDischarge => "Pollutant discharge",
            Dimension::RiskPrevention => "Environmental risk prevention",
            Dimension::ResourceEfficiency => "Resource-use efficiency",
        }
    }

    /// Reads a dimension with or without its last words (空间布局, 污染物排放, 环境风险, 资源利用).
    pub fn parse_cell(s: &str) -> Result<Dimension, String> {
        let t = s.trim();
        if let Ok(d) = t.parse::<Dimension>() {
            return Ok(d);
        }
        Dimension::ALL
            .iter()
            .copied()
            .find(|d| !t.is_empty() && d.name_zh().starts_with(t) && t.chars().count() >= 4)
            .ok_or_else(|| {
                format!("{s:?} 不是管控维度:填 空间布局约束、污染物排放管控、环境风险防控 或 资源利用效率")
            })
    }
}

keyed_enum! {
    /// What a clause does to the industries it names, from the least to the most severe.
    // Named apart from other schemas of the OpenAPI document.
    #[cfg_attr(feature = "openapi", schema(as = ZoningEffect))]
    Effect {
        Allowed => "allowed", "允许",
        Restricted => "restricted", "限制",
        Forbidden => "forbidden", "禁止",
    }
}

impl Effect {
    pub fn name_en(self) -> &'static str {
        match self {
            Effect::Allowed => "allowed",
            Effect::Restricted => "restricted",
            Effect::Forbidden => "forbidden",
        }
    }

    /// Reads an effect as sheets write it (禁止, 限制, 允许; 禁止类, 限制类 …; or its key).
    pub fn parse_cell(s: &str) -> Result<Effect, String> {
        let t = s.trim().trim_end_matches('类');
        t.parse::<Effect>()
            .map_err(|_| format!("{s:?} 不是管控要求:填 禁止、限制 或 允许"))
    }
}

/// Checks a unit code as published: `ZH`, the six-digit county code, the category digit and
/// a four-digit serial (ZH41088320001). The county and the category must be the unit's own.
pub fn check_unit_code(
    code: &str,
    region: Option<&RegionCode>,
    category: Option<UnitCategory>,
) -> Result<String, String> {
    let t = code.trim().to_ascii_uppercase();
    let digits = t.strip_prefix("ZH").unwrap_or("");
    if digits.len() != 11 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "{code:?} 不是环境管控单元编码:ZH 加 11 位数字(6 位区划代码、1 位类别、4 位序号,如 ZH41088320001)"
        ));
    }
    if let Some(r) = region {
        let county = &r.as_str()[..6.min(r.as_str().len())];
        if &digits[..6] != county {
            return Err(format!(
                "{t}:编码中的区划 {} 与行政区划代码 {county} 不符",
                &digits[..6]
            ));
        }
    }
    if let Some(c) = category {
        let d = digits.as_bytes()[6] as char;
        if d != c.digit() {
            return Err(format!(
                "{t}:编码第 9 位 {d} 表示{},与管控类别「{}」不符(优先保护 1、重点管控 2、一般管控 3)",
                match d {
                    '1' => "优先保护",
                    '2' => "重点管控",
                    '3' => "一般管控",
                    _ => "未知类别",
                },
                c.name_zh()
            ));
        }
    }
    Ok(t)
}

/// One clause of a unit's admission list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ZoningClause))]
pub struct Clause {
    pub dimension: Dimension,
    /// The clause as published.
    pub text: String,
    pub effect: Effect,
    /// The industries it concerns (GB/T 4754 codes or prefixes); none: every industry.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub industries: Vec<IndustryCode>,
}

impl Clause {
    /// Whether the clause covers the industry: it names the industry or a code above it (or
    /// names none, so concerns every industry).
    pub fn covers(&self, industry: &IndustryCode) -> bool {
        self.industries.is_empty() || self.industries.iter().any(|c| c.covers(industry))
    }

    /// Whether the clause names only part of the industry: a code below it (the project's
    /// code is coarser than the clause's).
    pub fn concerns_part_of(&self, industry: &IndustryCode) -> bool {
        !self.covers(industry) && self.industries.iter().any(|c| industry.covers(c))
    }
}

/// A control unit as a sheet gives it, with its admission list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitSpec {
    /// ZH41088320001.
    pub code: String,
    pub name: String,
    pub region_code: RegionCode,
    pub category: UnitCategory,
    /// The boundary as GeoJSON text (Polygon or MultiPolygon), checked; none when not loaded.
    pub boundary: Option<String>,
    /// The admission list, in the published order (clause 1 first).
    pub clauses: Vec<Clause>,
}

/// Why a check came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", schema(as = ZoningBasis))]
pub enum Basis {
    /// The most severe effect among the clauses that cover the industry.
    Clauses,
    /// No clause covers the industry: the admission list is a negative list, so what it does
    /// not forbid or restrict is allowed under the unit's category.
    CategoryDefault,
}

/// The result of a project check against one unit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ZoningVerdict))]
pub struct Verdict {
    pub effect: Effect,
    pub basis: Basis,
    /// The clauses (numbered from 1) that give the effect: those covering the industry with
    /// the winning effect.
    pub cited: Vec<usize>,
    /// Other clauses covering the industry, less severe.
    pub also_covering: Vec<usize>,
    /// Clauses that name only part of the industry (a finer code would decide them).
    pub finer: Vec<usize>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

fn numbers(list: &[usize]) -> String {
    list.iter()
        .map(|n| format!("第{n}条"))
        .collect::<Vec<_>>()
        .join("、")
}

/// The project check: what the unit's admission list gives the industry. The most severe
/// effect among the clauses covering it wins, and those clauses are cited; with none, the
/// category's default, which is to allow (and the verdict says so).
pub fn check(category: UnitCategory, clauses: &[Clause], industry: &IndustryCode) -> Verdict {
    let covering: Vec<usize> = (0..clauses.len())
        .filter(|i| clauses[*i].covers(industry))
        .collect();
    let finer: Vec<usize> = (0..clauses.len())
        .filter(|i| clauses[*i].concerns_part_of(industry))
        .map(|i| i + 1)
        .collect();
    let finer_zh = if finer.is_empty() {
        String::new()
    } else {
        format!(
            ";另有{}只涉及该行业的部分细类,请以更细的行业代码核对",
            numbers(&finer)
        )
    };
    let finer_en = if finer.is_empty() {
        String::new()
    } else {
        format!(
            "; clause(s) {} concern only part of this industry: check with a finer code",
            finer
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match covering.iter().map(|i| clauses[*i].effect).max() {
        None => Verdict {
            effect: Effect::Allowed,
            basis: Basis::CategoryDefault,
            cited: vec![],
            also_covering: vec![],
            explanation_zh: format!(
                "准入清单无涉及行业 {industry} 的条款,按{}单元的一般要求允许(清单未禁止、未限制即允许,仍须符合法律法规和该单元的普适性要求){finer_zh}。",
                category.name_zh()
            ),
            explanation_en: format!(
                "No clause of the admission list concerns industry {industry}: allowed under the {} unit's general requirements (what the list neither forbids nor restricts is allowed, within the law){finer_en}.",
                category.name_en().to_lowercase()
            ),
            finer,
        },
        Some(effect) => {
            let cited: Vec<usize> = covering
                .iter()
                .filter(|i| clauses[**i].effect == effect)
                .map(|i| i + 1)
                .collect();
            let also: Vec<usize> = covering
                .iter()
                .filter(|i| clauses[**i].effect != effect)
                .map(|i| i + 1)
                .collect();
            Verdict {
                effect,
                basis: Basis::Clauses,
                explanation_zh: format!(
                    "行业 {industry}:{}依准入清单{}{}{finer_zh}。",
                    effect.name_zh(),
                    numbers(&cited),
                    if also.is_empty() {
                        String::new()
                    } else {
                        format!("(较宽的{}从严不适用)", numbers(&also))
                    }
                ),
                explanation_en: format!(
                    "Industry {industry}: {} by clause(s) {} of the admission list{}{finer_en}.",
                    effect.name_en(),
                    cited.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
                    if also.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (the less severe clause(s) {} yield to it)",
                            also.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
                        )
                    }
                ),
                cited,
                also_covering: also,
                finer,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clause(effect: Effect, codes: &[&str]) -> Clause {
        Clause {
            dimension: Dimension::SpatialLayout,
            text: format!("{} {}", effect.name_zh(), codes.join("、")),
            effect,
            industries: codes
                .iter()
                .map(|c| IndustryCode::parse(c).unwrap())
                .collect(),
        }
    }

    fn ind(s: &str) -> IndustryCode {
        IndustryCode::parse(s).unwrap()
    }

    /// A key-control unit around an industrial cluster: no new coking (2521) or cement
    /// clinker (3011); chemicals (26) restricted; the chemical raw materials group (261)
    /// forbidden; new materials (C3985) allowed.
    fn cluster() -> Vec<Clause> {
        vec![
            clause(Effect::Forbidden, &["2521", "3011"]),
            clause(Effect::Restricted, &["26"]),
            clause(Effect::Forbidden, &["261"]),
            clause(Effect::Allowed, &["C3985"]),
            clause(Effect::Restricted, &["C"]),
        ]
    }

    #[test]
    fn worked_examples() {
        let c = cluster();
        let v = check(UnitCategory::KeyControl, &c, &ind("2614"));
        assert_eq!(v.effect, Effect::Forbidden);
        assert_eq!(v.basis, Basis::Clauses);
        assert_eq!(v.cited, vec![3]);
        assert_eq!(v.also_covering, vec![2, 5]);
        assert!(
            v.explanation_zh.contains("禁止依准入清单第3条"),
            "{}",
            v.explanation_zh
        );

        let v = check(UnitCategory::KeyControl, &c, &ind("2651"));
        assert_eq!(
            (v.effect, v.cited.clone()),
            (Effect::Restricted, vec![2, 5])
        );

        // Allowed by clause 4, but manufacturing is restricted by clause 5: the severer wins.
        let v = check(UnitCategory::KeyControl, &c, &ind("3985"));
        assert_eq!((v.effect, v.cited.clone()), (Effect::Restricted, vec![5]));
        assert_eq!(v.also_covering, vec![4]);

        // Electricity (D 4411) is named by no clause: allowed by the category default.
        let v = check(UnitCategory::KeyControl, &c, &ind("4411"));
        assert_eq!(v.effect, Effect::Allowed);
        assert_eq!(v.basis, Basis::CategoryDefault);
        assert!(v.cited.is_empty());
        assert!(v.explanation_zh.contains("重点管控"));

        // The division 25 as a whole: clause 1 names one class under it, so it is "finer".
        let only: Vec<Clause> = vec![clause(Effect::Forbidden, &["2521"])];
        let v = check(UnitCategory::GeneralControl, &only, &ind("25"));
        assert_eq!(v.effect, Effect::Allowed);
        assert_eq!(v.finer, vec![1]);
        assert!(v.explanation_zh.contains("更细的行业代码"));

        // A clause naming no industry concerns every industry.
        let all = vec![clause(Effect::Forbidden, &[])];
        let v = check(UnitCategory::PriorityProtection, &all, &ind("0111"));
        assert_eq!((v.effect, v.cited.clone()), (Effect::Forbidden, vec![1]));
    }

    #[test]
    fn unit_codes_are_checked_against_their_county_and_category() {
        let mz = RegionCode::parse("410883").unwrap();
        assert_eq!(
            check_unit_code("zh41088320001", Some(&mz), Some(UnitCategory::KeyControl)).unwrap(),
            "ZH41088320001"
        );
        assert!(check_unit_code("ZH4108832000", None, None).is_err());
        assert!(check_unit_code("YS41088320001", None, None).is_err());
        let e = check_unit_code("ZH41082320001", Some(&mz), None).unwrap_err();
        assert!(e.contains("410883"), "{e}");
        let e = check_unit_code(
            "ZH41088320001",
            Some(&mz),
            Some(UnitCategory::PriorityProtection),
        )
        .unwrap_err();
        assert!(e.contains("优先保护"), "{e}");
        assert_eq!(
            UnitCategory::parse_cell("优先保护单元").unwrap(),
            UnitCategory::PriorityProtection
        );
        assert_eq!(
            Dimension::parse_cell("空间布局").unwrap(),
            Dimension::SpatialLayout
        );
        assert_eq!(Effect::parse_cell("禁止类").unwrap(), Effect::Forbidden);
        assert!(Effect::parse_cell("鼓励").is_err());
    }

    fn code_strategy() -> impl Strategy<Value = IndustryCode> {
        prop_oneof![
            prop::sample::select(vec!["A", "B", "C", "D", "G"]).prop_map(ind),
            (1u8..=97).prop_map(|d| ind(&format!("{d:02}"))),
            (1u8..=97, 0u8..10).prop_map(|(d, g)| ind(&format!("{d:02}{g}"))),
            (1u8..=97, 0u16..100).prop_map(|(d, c)| ind(&format!("{d:02}{c:02}"))),
            // Codes near one another, so clauses and projects often meet.
            (25u8..=27, 0u16..20).prop_map(|(d, c)| ind(&format!("{d:02}{c:02}"))),
            (25u8..=27).prop_map(|d| ind(&format!("{d:02}"))),
        ]
    }

    fn clause_strategy() -> impl Strategy<Value = Clause> {
        (
            prop::sample::select(Effect::ALL.to_vec()),
            prop::collection::vec(code_strategy(), 0..3),
        )
            .prop_map(|(effect, industries)| Clause {
                dimension: Dimension::PollutantDischarge,
                text: "条款".into(),
                effect,
                industries,
            })
    }

    proptest! {
        /// Adding a clause never makes a result less severe; adding a forbidden clause that
        /// covers the industry makes it forbidden, citing that clause.
        #[test]
        fn adding_a_clause_never_relaxes(
            clauses in prop::collection::vec(clause_strategy(), 0..8),
            extra in clause_strategy(),
            industry in code_strategy(),
            at in 0usize..9,
        ) {
            let before = check(UnitCategory::KeyControl, &clauses, &industry);
            let mut more = clauses.clone();
            let at = at.min(more.len());
            more.insert(at, extra.clone());
            let after = check(UnitCategory::KeyControl, &more, &industry);
            prop_assert!(after.effect >= before.effect);
            if extra.effect == Effect::Forbidden && extra.covers(&industry) {
                prop_assert_eq!(after.effect, Effect::Forbidden);
                prop_assert!(after.cited.contains(&(at + 1)));
            }
            // Every cited clause covers the industry and has the verdict's effect.
            for n in &after.cited {
                prop_assert!(more[n - 1].covers(&industry));
                prop_assert_eq!(more[n - 1].effect, after.effect);
            }
            prop_assert_eq!(after.basis == Basis::CategoryDefault, after.cited.is_empty());
        }
    }
}
