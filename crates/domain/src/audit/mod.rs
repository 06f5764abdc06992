//! Departure audits of natural-resource assets (自然资源资产离任审计, Art. 13) as pure rules,
//! with no I/O.
//!
//! 第十三条: “加强审计监督与生态环境保护督察工作贯通协调,用好领导干部自然资源资产离任审计结果,
//! 形成监督合力。” Under 《领导干部自然资源资产离任审计规定(试行)》 (2017) the audited are the
//! principal Party and government leaders of a region and the heads of the departments
//! concerned; the audit covers land, water, forest, grassland, wetland, mineral and marine
//! resources and the quality of the environment over the tenure. This module owns:
//!
//! - here: who is audited (the post types), the audit's states and kinds, and the comparison
//!   of the asset accounts at the start and the end of a tenure;
//! - [`assets`]: the natural-resource asset accounts (自然资源资产实物量账户) per region and
//!   year, and their sheet, read all or nothing and written back in the same layout.

pub mod assets;

use crate::supervision::keyed_enum;
use crate::Role;
pub use assets::{AssetCategory, AssetLine};

keyed_enum! {
    /// Where an audit stands.
    AuditStatus {
        /// 审计实施中: the dossier is read and findings are recorded.
        Open => "open", "审计中",
        /// 已出具审计报告: the report is on record; findings stay in the rectification loop.
        Reported => "reported", "已出具报告",
    }
}

keyed_enum! {
    /// Why the audit was made.
    AuditKind {
        /// 离任审计: the tenure has ended.
        Departure => "departure", "离任审计",
        /// 任中审计: on request, while the tenure runs.
        InOffice => "in_office", "任中审计",
    }
}

impl AuditStatus {
    pub fn name_en(self) -> &'static str {
        match self {
            AuditStatus::Open => "In progress",
            AuditStatus::Reported => "Reported",
        }
    }
}

impl AuditKind {
    pub fn name_en(self) -> &'static str {
        match self {
            AuditKind::Departure => "Departure audit",
            AuditKind::InOffice => "In-office audit",
        }
    }

    /// The kind a tenure calls for: a departure audit once it has ended.
    pub fn for_tenure(ended: bool) -> AuditKind {
        if ended {
            AuditKind::Departure
        } else {
            AuditKind::InOffice
        }
    }
}

/// Whether holders of a post type are audited: the principal leaders of a region's Party
/// committee and government, and the heads of the eco-environment and the sector departments
/// (《领导干部自然资源资产离任审计规定(试行)》 第二条). The deputies are not.
pub fn audited(role: Role) -> bool {
    matches!(
        role,
        Role::PartySecretary
            | Role::GovernmentHead
            | Role::EcoDepartmentHead
            | Role::SectorDepartmentHead
    )
}

/// One indicator of the accounts compared between the start and the end of a tenure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetChange {
    pub category: AssetCategory,
    pub indicator: String,
    pub unit: String,
    /// The value in the start year's account, if it has the indicator.
    pub start: Option<f64>,
    /// The value in the end year's account, if it has the indicator.
    pub end: Option<f64>,
    /// `end - start`, when both are known.
    pub change: Option<f64>,
    /// The change in percent of the start, when both are known and the start is not zero.
    pub change_percent: Option<f64>,
}

/// The accounts at the start and the end of a tenure, indicator by indicator, in the order of
/// the categories and then of the start account (indicators only at the end come last). An
/// indicator is the pair (category, indicator name); a unit that differs between the two years
/// makes two lines, since the values cannot be compared.
pub fn compare(start: &[AssetLine], end: &[AssetLine]) -> Vec<AssetChange> {
    let key = |l: &AssetLine| (l.category, l.indicator.clone(), l.unit.clone());
    let mut out: Vec<AssetChange> = Vec::new();
    for l in start {
        let e = end.iter().find(|e| key(e) == key(l)).map(|e| e.value);
        out.push(line_change(l, Some(l.value), e));
    }
    for l in end {
        if !start.iter().any(|s| key(s) == key(l)) {
            out.push(line_change(l, None, Some(l.value)));
        }
    }
    out.sort_by_key(|c| c.category);
    out
}

fn line_change(l: &AssetLine, start: Option<f64>, end: Option<f64>) -> AssetChange {
    let change = match (start, end) {
        (Some(s), Some(e)) => Some(round6(e - s)),
        _ => None,
    };
    let change_percent = match (start, change) {
        (Some(s), Some(c)) if s != 0.0 => Some(round6(c / s * 100.0)),
        _ => None,
    };
    AssetChange {
        category: l.category,
        indicator: l.indicator.clone(),
        unit: l.unit.clone(),
        start,
        end,
        change,
        change_percent,
    }
}

/// Six decimals: enough for any published account and free of binary noise (0.1 + 0.2).
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(category: AssetCategory, indicator: &str, unit: &str, value: f64) -> AssetLine {
        AssetLine {
            category,
            indicator: indicator.into(),
            unit: unit.into(),
            value,
            source: "统计年鉴".into(),
        }
    }

    #[test]
    fn the_principal_leaders_and_department_heads_are_audited_not_the_deputies() {
        assert!(audited(Role::PartySecretary));
        assert!(audited(Role::GovernmentHead));
        assert!(audited(Role::EcoDepartmentHead));
        assert!(audited(Role::SectorDepartmentHead));
        assert!(!audited(Role::DeputyEco));
        assert_eq!(AuditKind::for_tenure(true), AuditKind::Departure);
        assert_eq!(AuditKind::for_tenure(false), AuditKind::InOffice);
    }

    #[test]
    fn a_comparison_gives_the_change_and_its_percent_and_keeps_lines_of_one_side() {
        let start = vec![
            line(AssetCategory::Forest, "森林面积", "公顷", 12_000.0),
            line(AssetCategory::Land, "耕地面积", "公顷", 40_000.0),
            line(AssetCategory::Wetland, "湿地面积", "公顷", 0.0),
        ];
        let end = vec![
            line(AssetCategory::Land, "耕地面积", "公顷", 39_500.0),
            line(AssetCategory::Forest, "森林面积", "公顷", 12_600.0),
            line(AssetCategory::Wetland, "湿地面积", "公顷", 15.0),
            line(AssetCategory::Water, "用水总量", "亿立方米", 4.2),
        ];
        let c = compare(&start, &end);
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].category, AssetCategory::Land);
        assert_eq!(c[0].change, Some(-500.0));
        assert_eq!(c[0].change_percent, Some(-1.25));
        let forest = c.iter().find(|x| x.indicator == "森林面积").unwrap();
        assert_eq!(forest.change, Some(600.0));
        assert_eq!(forest.change_percent, Some(5.0));
        // A start of zero has a change but no percent.
        let wet = c.iter().find(|x| x.indicator == "湿地面积").unwrap();
        assert_eq!((wet.change, wet.change_percent), (Some(15.0), None));
        // Only at the end: no start, no change.
        let water = c.iter().find(|x| x.indicator == "用水总量").unwrap();
        assert_eq!(
            (water.start, water.end, water.change),
            (None, Some(4.2), None)
        );
    }

    #[test]
    fn a_unit_that_changed_between_the_years_is_not_compared() {
        let start = vec![line(AssetCategory::Forest, "森林蓄积量", "立方米", 1.0e6)];
        let end = vec![line(AssetCategory::Forest, "森林蓄积量", "万立方米", 101.0)];
        let c = compare(&start, &end);
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|x| x.change.is_none()));
    }

    proptest! {
        /// Every indicator of either account appears exactly once, and the change is end − start.
        #[test]
        fn every_indicator_appears_once(
            a in proptest::collection::vec((0usize..4, 0.0f64..1e7), 0..8),
            b in proptest::collection::vec((0usize..4, 0.0f64..1e7), 0..8),
        ) {
            let names = ["耕地面积", "林地面积", "草地面积", "水域面积"];
            let dedup = |v: Vec<(usize, f64)>| {
                let mut seen = std::collections::BTreeMap::new();
                for (i, x) in v { seen.entry(i).or_insert(x); }
                seen.into_iter()
                    .map(|(i, x)| line(AssetCategory::Land, names[i], "公顷", x))
                    .collect::<Vec<_>>()
            };
            let (start, end) = (dedup(a), dedup(b));
            let c = compare(&start, &end);
            let mut all: Vec<&str> = start.iter().chain(end.iter()).map(|l| l.indicator.as_str()).collect();
            all.sort();
            all.dedup();
            prop_assert_eq!(c.len(), all.len());
            for x in &c {
                if let (Some(s), Some(e), Some(d)) = (x.start, x.end, x.change) {
                    prop_assert!((e - s - d).abs() < 1e-5);
                }
            }
        }
    }
}
