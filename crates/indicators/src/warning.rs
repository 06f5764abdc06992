//! Early warnings (预警): the record raised when an indicator is at risk or missed, saying in
//! Chinese and English what is wrong and naming the posts that answer for it.
//!
//! The posts are role keys, not people: the store resolves who holds each post in the region at
//! the time, so the warning stays attributable after a change of tenure. The three roles are the
//! government's principal head (第七条), the deputy in charge of eco-environmental protection
//! (第八条) and the head of the eco-environmental department (第十一条). Article 11 binds that
//! department head at city level and above; for a county the store finds no holder and says so.

use ecoduty_domain::{RegionCode, Role};
use serde::Serialize;

use crate::catalogue::Indicator;
use crate::status::{IndicatorStatus, Status};

/// The posts an indicator warning is addressed to.
pub const ANSWERING_ROLES: [Role; 3] = [
    Role::GovernmentHead,
    Role::DeputyEco,
    Role::EcoDepartmentHead,
];

/// A warning about one indicator of one region in one year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EarlyWarning {
    pub region_code: RegionCode,
    pub indicator: &'static Indicator,
    pub year: i32,
    /// `at_risk` or `missed`.
    pub status: Status,
    pub message_zh: String,
    pub message_en: String,
    /// Role keys (`government_head`, `deputy_eco`, `eco_department_head`).
    pub roles: Vec<&'static str>,
}

/// A value as written in a message: whole numbers without decimals, others with one.
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn with_unit(v: f64, unit: &str) -> String {
    if unit == "天" {
        format!("{} 天", num(v))
    } else {
        format!("{}{unit}", num(v))
    }
}

fn with_unit_en(v: f64, unit: &str) -> String {
    match unit {
        "天" => format!("{} days", num(v)),
        "%" => format!("{}%", num(v)),
        _ => format!("{} {unit}", num(v)),
    }
}

/// The warning for a status, or `None` when the indicator is met or on track.
pub fn early_warning(region_code: &RegionCode, status: &IndicatorStatus) -> Option<EarlyWarning> {
    let i = status.indicator;
    let (zh, en) = match status.status {
        Status::Met | Status::OnTrack => return None,
        Status::AtRisk => (
            format!(
                "{region} {year} 年「{name}」进度预警：截至 {m} 月累计值 {ytd}，差于按目标 {target} 推算的同期路径值 {expected}；预计全年 {proj}，较目标差 {gap}。",
                region = region_code,
                year = status.year,
                name = i.name_zh,
                m = status.month,
                ytd = with_unit(status.ytd_value, i.unit),
                target = with_unit(status.target, i.unit),
                expected = with_unit(status.expected_to_date, i.unit),
                proj = with_unit(status.projected_annual, i.unit),
                gap = with_unit(status.gap.max(0.0), i.unit),
            ),
            format!(
                "{region} {year}, {name}: at risk. Year-to-date value at month {m} is {ytd}, worse than the path value {expected} leading to the target {target}; projected annual value {proj}, {gap} short of the target.",
                region = region_code,
                year = status.year,
                name = i.name_en,
                m = status.month,
                ytd = with_unit_en(status.ytd_value, i.unit),
                target = with_unit_en(status.target, i.unit),
                expected = with_unit_en(status.expected_to_date, i.unit),
                proj = with_unit_en(status.projected_annual, i.unit),
                gap = with_unit_en(status.gap.max(0.0), i.unit),
            ),
        ),
        Status::Missed => (
            format!(
                "{region} {year} 年「{name}」未完成目标：全年值 {annual}，目标 {target}，差 {gap}。",
                region = region_code,
                year = status.year,
                name = i.name_zh,
                annual = with_unit(status.ytd_value, i.unit),
                target = with_unit(status.target, i.unit),
                gap = with_unit(status.gap, i.unit),
            ),
            format!(
                "{region} {year}, {name}: target missed. Annual value {annual} against a target of {target}, {gap} short.",
                region = region_code,
                year = status.year,
                name = i.name_en,
                annual = with_unit_en(status.ytd_value, i.unit),
                target = with_unit_en(status.target, i.unit),
                gap = with_unit_en(status.gap, i.unit),
            ),
        ),
    };
    Some(EarlyWarning {
        region_code: region_code.clone(),
        indicator: i,
        year: status.year,
        status: status.status,
        message_zh: zh,
        message_en: en,
        roles: ANSWERING_ROLES.iter().map(|r| r.key()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{HEAVY_POLLUTION_DAYS, PM25_ANNUAL_MEAN};
    use crate::status::{evaluate, MonthlyYtd};

    fn region() -> RegionCode {
        RegionCode::parse("4108").unwrap()
    }

    #[test]
    fn no_warning_when_met_or_on_track() {
        let y = MonthlyYtd::from_months(2025, &[30.0]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &[]).unwrap();
        assert_eq!(s.status, Status::OnTrack);
        assert!(early_warning(&region(), &s).is_none());
        let mut y = MonthlyYtd::new(2025);
        y.set(12, 34.0).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, true, &[]).unwrap();
        assert!(early_warning(&region(), &s).is_none());
    }

    #[test]
    fn at_risk_warning_names_values_and_roles() {
        let y = MonthlyYtd::from_months(2025, &[42.0, 40.0, 38.0]).unwrap();
        let s = evaluate(&PM25_ANNUAL_MEAN, 35.0, &y, false, &[]).unwrap();
        let w = early_warning(&region(), &s).unwrap();
        assert_eq!(w.status, Status::AtRisk);
        assert_eq!(w.region_code.as_str(), "410800");
        assert_eq!(w.year, 2025);
        assert_eq!(
            w.message_zh,
            "410800 2025 年「细颗粒物（PM2.5）年均浓度」进度预警：截至 3 月累计值 38µg/m³，差于按目标 35µg/m³ 推算的同期路径值 35µg/m³；预计全年 38µg/m³，较目标差 3µg/m³。"
        );
        assert!(w.message_en.contains("at risk") && w.message_en.contains("38 µg/m³"));
        assert_eq!(
            w.roles,
            vec!["government_head", "deputy_eco", "eco_department_head"]
        );
        let v = serde_json::to_value(&w).unwrap();
        assert_eq!(v["indicator"], "pm25_annual_mean");
        assert_eq!(v["region_code"], "410800");
        assert_eq!(v["status"], "at_risk");
    }

    #[test]
    fn missed_warning_gives_the_annual_shortfall() {
        let mut y = MonthlyYtd::new(2025);
        y.set(12, 12.0).unwrap();
        let s = evaluate(&HEAVY_POLLUTION_DAYS, 8.0, &y, true, &[]).unwrap();
        let w = early_warning(&region(), &s).unwrap();
        assert_eq!(w.status, Status::Missed);
        assert_eq!(
            w.message_zh,
            "410800 2025 年「重污染天数」未完成目标：全年值 12 天，目标 8 天，差 4 天。"
        );
        assert_eq!(
            w.message_en,
            "410800 2025, heavy-pollution days: target missed. Annual value 12 days against a target of 8 days, 4 days short."
        );
    }
}
