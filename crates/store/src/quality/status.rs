//! Where a region stands on its binding indicators, and the early warnings that follow.
//!
//! For each target of a region and year, the indicator's year-to-date series is built from what
//! is stored — the hourly air values of the region's stations (PM2.5 mean, good-day ratio,
//! heavy-pollution days by the air crate's rules), the water measurements of its sections
//! (shares by the water crate's rules), or the values departments reported — at the end of
//! every whole month before the date asked about. The same series of up to
//! [`HISTORY_YEARS`](super::HISTORY_YEARS) earlier years with stored data shape the path
//! (`ecoduty_indicators::evaluate` uses a complete year and names the others as skipped), and
//! the status comes with the indicator crate's explanation of how the path was built plus a
//! note of where the values came from.
//!
//! A status at risk or missed raises an early warning addressed to the government head, the
//! deputy for eco-environmental protection and the head of the eco-environment department,
//! resolved to the people who hold those posts on the day asked about.
//!
//! Statuses are derived on request from the stored (append-only) data, never stored beside it.
//! `at` fixes how much of the year has passed, not the state of the database: values imported
//! later for earlier months are used.

use chrono::NaiveDate;
use ecoduty_domain::{Region, RegionCode, Role};
use ecoduty_indicators::{
    early_warning, evaluate, EarlyWarning, Indicator, IndicatorStatus, MonthlyYtd, StatusError,
};
use serde::Serialize;

use super::air::{self, AirYtd, StoredStation};
use super::reports::IndicatorReport;
use super::targets::{indicator_of, TargetRecord};
use super::water::{self, StoredSection};
use super::{months_elapsed, HISTORY_YEARS};
use crate::error::StoreResult;
use crate::Store;

/// A region's indicators for a year, as they stood on `at`.
#[derive(Debug, Clone, Serialize)]
pub struct RegionStatus {
    pub region: Region,
    pub year: i32,
    pub at: NaiveDate,
    /// Whether the year was over on `at`.
    pub closed: bool,
    /// Whole months of the year before `at` (12 once it is over): year-to-date values are
    /// taken at the end of these.
    pub months: u8,
    pub indicators: Vec<IndicatorEntry>,
}

/// One indicator of a region: its target, its status, and what the values rest on.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorEntry {
    pub indicator: &'static Indicator,
    pub name_zh: &'static str,
    pub unit: &'static str,
    pub target: TargetRecord,
    /// Where the values come from.
    pub basis_zh: String,
    pub basis_en: String,
    /// Earlier years with stored data, offered to shape the path.
    pub history_years: Vec<i32>,
    /// The reported values used (hand-reported indicators only), with their evidence.
    pub reports: Vec<IndicatorReport>,
    pub status: Option<IndicatorStatus>,
    /// Why there is no status: no data yet, no annual value …
    pub unavailable: Option<String>,
}

/// A post that answers for a warning and who holds it.
#[derive(Debug, Clone, Serialize)]
pub struct AnsweringPost {
    pub role: &'static str,
    pub role_zh: &'static str,
    /// `None` when the region has no such post on record.
    pub post_id: Option<i64>,
    pub post: Option<String>,
    pub organisation: Option<String>,
    /// `None` when the post is vacant (or there is no such post).
    pub holder: Option<PostHolder>,
    /// Set for a chief post (河长 / 湖长 / 总河长) answering for a segment whose sections the
    /// region's water indicators count; `role` is then the chief kind's key.
    pub chief_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostHolder {
    pub person_id: i64,
    pub name: String,
    pub since: NaiveDate,
    pub acting: bool,
}

/// An early warning with the posts that answer for it and their holders.
#[derive(Debug, Clone, Serialize)]
pub struct WarningReport {
    pub region_name: String,
    #[serde(flatten)]
    pub warning: EarlyWarning,
    pub target_id: i64,
    pub target_rev: i64,
    pub ytd_value: f64,
    pub target: f64,
    pub month: u8,
    /// The day the holders were looked up.
    pub holders_on: NaiveDate,
    pub posts: Vec<AnsweringPost>,
}

enum SourceKind {
    Air,
    Water,
    Reported,
}

fn source_kind(i: &Indicator) -> SourceKind {
    match i.key {
        "pm25_annual_mean" | "good_day_ratio" | "heavy_pollution_days" => SourceKind::Air,
        "water_share_good" | "water_share_worse_than_v" => SourceKind::Water,
        _ => SourceKind::Reported,
    }
}

/// One indicator's series: this year, earlier years, and where they come from.
struct Series {
    current: MonthlyYtd,
    history: Vec<MonthlyYtd>,
    basis_zh: String,
    basis_en: String,
    reports: Vec<IndicatorReport>,
}

struct AirSource {
    stations: Vec<StoredStation>,
    current: Option<AirYtd>,
    history: Vec<AirYtd>,
}

impl AirSource {
    async fn load(store: &Store, region: &RegionCode, year: i32, months: u8) -> StoreResult<Self> {
        let stations = store.air_stations(Some(region)).await?;
        if stations.is_empty() {
            return Ok(AirSource {
                stations,
                current: None,
                history: Vec::new(),
            });
        }
        let current = air::region_daily(store, &stations, year)
            .await?
            .map(|days| air::ytd(year, &days, months));
        let mut history = Vec::new();
        for y in air::years_before(store, &stations, year)
            .await?
            .into_iter()
            .take(HISTORY_YEARS)
        {
            if let Some(days) = air::region_daily(store, &stations, y).await? {
                history.push(air::ytd(y, &days, 12));
            }
        }
        history.reverse();
        Ok(AirSource {
            stations,
            current,
            history,
        })
    }

    fn series(&self, key: &str, year: i32) -> Series {
        let pick = |y: &AirYtd| match key {
            "pm25_annual_mean" => y.pm25_mean.clone(),
            "good_day_ratio" => y.good_day_ratio.clone(),
            _ => y.heavy_days.clone(),
        };
        let codes: Vec<&str> = self
            .stations
            .iter()
            .map(|s| s.station.code.as_str())
            .collect();
        let (basis_zh, basis_en) = if codes.is_empty() {
            (
                "本区域没有已导入的空气质量监测站点。".to_string(),
                "No air-quality station of the region has been imported.".to_string(),
            )
        } else {
            (
                format!(
                    "{} 个空气质量监测站点（{}）的小时数据：区域小时值取各站有效值的均值，按 HJ 633/663 计算日值，各月底累计统计。",
                    codes.len(),
                    codes.join("、")
                ),
                format!(
                    "Hourly data of {} air-quality stations ({}): the region's hourly value is the mean of its stations' valid values; daily values by HJ 633/663, statistics accumulated to each month end.",
                    codes.len(),
                    codes.join(", ")
                ),
            )
        };
        Series {
            current: self
                .current
                .as_ref()
                .map(pick)
                .unwrap_or_else(|| MonthlyYtd::new(year)),
            history: self.history.iter().map(pick).collect(),
            basis_zh,
            basis_en,
            reports: Vec::new(),
        }
    }
}

struct WaterSource {
    sections: Vec<StoredSection>,
    current: (MonthlyYtd, MonthlyYtd),
    history: Vec<(MonthlyYtd, MonthlyYtd)>,
}

impl WaterSource {
    async fn load(store: &Store, region: &RegionCode, year: i32, months: u8) -> StoreResult<Self> {
        let sections = store.water_sections(Some(region)).await?;
        if sections.is_empty() {
            return Ok(WaterSource {
                sections,
                current: (MonthlyYtd::new(year), MonthlyYtd::new(year)),
                history: Vec::new(),
            });
        }
        let data = water::region_water(store, &sections, year).await?;
        let current = water::ytd(&data, year, months);
        let mut history = Vec::new();
        for y in water::years_before(store, &sections, year)
            .await?
            .into_iter()
            .take(HISTORY_YEARS)
        {
            let data = water::region_water(store, &sections, y).await?;
            history.push(water::ytd(&data, y, 12));
        }
        history.reverse();
        Ok(WaterSource {
            sections,
            current,
            history,
        })
    }

    fn series(&self, key: &str) -> Series {
        let pick = |pair: &(MonthlyYtd, MonthlyYtd)| {
            if key == "water_share_good" {
                pair.0.clone()
            } else {
                pair.1.clone()
            }
        };
        let n = self.sections.len();
        let (basis_zh, basis_en) = if n == 0 {
            (
                "本区域没有已导入的地表水监测断面。".to_string(),
                "No surface-water section of the region has been imported.".to_string(),
            )
        } else {
            (
                format!(
                    "{n} 个地表水监测断面的监测数据：按 GB 3838-2002 单因子评价法以年内累计均值定类，截至 m 月底有效监测月数不少于 ⌈3m/4⌉ 个（全年 9 个）的断面参与计算。"
                ),
                format!(
                    "Measurements of {n} surface-water sections: each classed by GB 3838-2002 (single factor) on its means so far; a section counts at month m with at least ⌈3m/4⌉ months sampled (9 for the year)."
                ),
            )
        };
        Series {
            current: pick(&self.current),
            history: self.history.iter().map(pick).collect(),
            basis_zh,
            basis_en,
            reports: Vec::new(),
        }
    }
}

/// A reported indicator's series from the current reports of the region: a month's report is
/// that month's year-to-date value, an annual report the December value (it wins over a
/// December monthly report).
fn reported_series(
    reports: &[IndicatorReport],
    indicator: &Indicator,
    year: i32,
    months: u8,
) -> StoreResult<Series> {
    let mine: Vec<&IndicatorReport> = reports
        .iter()
        .filter(|r| r.indicator == indicator.key && r.year <= year)
        .collect();
    let series_of = |y: i32, months: u8| -> MonthlyYtd {
        let mut s = MonthlyYtd::new(y);
        let of_year = mine.iter().filter(|r| r.year == y);
        for r in of_year.clone().filter(|r| r.month.is_some()) {
            let m = r.month.expect("filtered");
            if m <= months {
                s.set(m, r.value)
                    .expect("reports are checked when recorded");
            }
        }
        for r in of_year.filter(|r| r.month.is_none()) {
            if months == 12 {
                s.set(12, r.value)
                    .expect("reports are checked when recorded");
            }
        }
        s
    };
    let mut years: Vec<i32> = mine.iter().map(|r| r.year).filter(|y| *y < year).collect();
    years.sort_unstable();
    years.dedup();
    let history: Vec<MonthlyYtd> = years
        .iter()
        .rev()
        .take(HISTORY_YEARS)
        .rev()
        .map(|y| series_of(*y, 12))
        .collect();
    let used: Vec<IndicatorReport> = mine
        .iter()
        .filter(|r| r.year == year && r.month.map_or(months == 12, |m| m <= months))
        .map(|r| (*r).clone())
        .collect();
    let (basis_zh, basis_en) = match used.last() {
        None => (
            format!("部门上报值：{year} 年尚无可用的上报值。"),
            format!("Reported by departments: no usable report for {year} yet."),
        ),
        Some(last) => (
            format!(
                "部门上报值（{} 条）；最近一条由{}上报，证据：{}。",
                used.len(),
                last.reporter,
                last.evidence
            ),
            format!(
                "Reported by departments ({} reports); the latest by {}, evidence: {}.",
                used.len(),
                last.reporter,
                last.evidence
            ),
        ),
    };
    Ok(Series {
        current: series_of(year, months),
        history,
        basis_zh,
        basis_en,
        reports: used,
    })
}

fn unavailable_text(e: &StatusError, year: i32, at: NaiveDate, months: u8) -> String {
    match e {
        StatusError::NoData(_) if months == 0 => {
            format!("截至 {at}，{year} 年尚无已结束的完整月份，暂无累计值。")
        }
        StatusError::NoData(_) => {
            format!("{year} 年前 {months} 个月（截至 {at}）没有可用数据，暂无累计值。")
        }
        StatusError::NoAnnualValue(_) => {
            format!("{year} 年已结束，但没有 12 月（全年）累计值，无法判定是否达标。")
        }
        other => format!("无法计算状态：{other}"),
    }
}

impl Store {
    /// Each target of a region for a year (the region's own targets, not those of regions
    /// under it) with its status on `at`.
    pub async fn indicator_status(
        &self,
        region: &RegionCode,
        year: i32,
        at: NaiveDate,
    ) -> StoreResult<RegionStatus> {
        let region = self.require_region(region).await?;
        let (closed, months) = months_elapsed(year, at);
        let targets: Vec<TargetRecord> = self
            .targets(Some(&region.code), Some(year))
            .await?
            .into_iter()
            .filter(|t| t.region_code == region.code)
            .collect();
        let mut air_source: Option<AirSource> = None;
        let mut water_source: Option<WaterSource> = None;
        let mut reports: Option<Vec<IndicatorReport>> = None;
        let mut indicators = Vec::with_capacity(targets.len());
        for target in targets {
            let indicator = indicator_of(&target)?;
            let series = match source_kind(indicator) {
                SourceKind::Air => {
                    if air_source.is_none() {
                        air_source = Some(AirSource::load(self, &region.code, year, months).await?);
                    }
                    air_source
                        .as_ref()
                        .expect("loaded")
                        .series(indicator.key, year)
                }
                SourceKind::Water => {
                    if water_source.is_none() {
                        water_source =
                            Some(WaterSource::load(self, &region.code, year, months).await?);
                    }
                    water_source.as_ref().expect("loaded").series(indicator.key)
                }
                SourceKind::Reported => {
                    if reports.is_none() {
                        reports = Some(self.indicator_reports(&region.code, false, None).await?);
                    }
                    reported_series(reports.as_deref().expect("loaded"), indicator, year, months)?
                }
            };
            let history_years = series.history.iter().map(|h| h.year).collect();
            let (status, unavailable) = match evaluate(
                indicator,
                target.value,
                &series.current,
                closed,
                &series.history,
            ) {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(unavailable_text(&e, year, at, months))),
            };
            indicators.push(IndicatorEntry {
                indicator,
                name_zh: indicator.name_zh,
                unit: indicator.unit,
                target,
                basis_zh: series.basis_zh,
                basis_en: series.basis_en,
                history_years,
                reports: series.reports,
                status,
                unavailable,
            });
        }
        Ok(RegionStatus {
            region,
            year,
            at,
            closed,
            months,
            indicators,
        })
    }

    /// The early warnings of every region with targets for `year` (within a region's subtree
    /// when given), on `at`, each with the answering posts and who holds them on `holders_on`.
    pub async fn early_warnings(
        &self,
        within: Option<&RegionCode>,
        year: i32,
        at: NaiveDate,
        holders_on: NaiveDate,
    ) -> StoreResult<Vec<WarningReport>> {
        let mut regions: Vec<RegionCode> = self
            .targets(within, Some(year))
            .await?
            .into_iter()
            .map(|t| t.region_code)
            .collect();
        regions.dedup();
        let mut out = Vec::new();
        for code in regions {
            let status = self.indicator_status(&code, year, at).await?;
            for entry in &status.indicators {
                let Some(s) = &entry.status else { continue };
                let Some(warning) = early_warning(&code, s) else {
                    continue;
                };
                let mut posts = Vec::new();
                for key in &warning.roles {
                    let role: Role =
                        key.parse()
                            .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                                crate::StoreError::Corrupt(e.to_string())
                            })?;
                    let held = self.who(&code, holders_on, Some(role)).await?;
                    if held.is_empty() {
                        posts.push(AnsweringPost {
                            role: role.key(),
                            role_zh: role.name_zh(),
                            post_id: None,
                            post: None,
                            organisation: None,
                            holder: None,
                            chief_id: None,
                        });
                    }
                    for h in held {
                        posts.push(AnsweringPost {
                            role: role.key(),
                            role_zh: role.name_zh(),
                            post_id: Some(h.post.id),
                            post: Some(h.post.title.clone()),
                            organisation: Some(h.organisation.name.clone()),
                            holder: h.holder.map(|x| PostHolder {
                                person_id: x.person.id,
                                name: x.person.name,
                                since: x.tenure.start_date,
                                acting: x.tenure.acting,
                            }),
                            chief_id: None,
                        });
                    }
                }
                // A water indicator: the chiefs of the segments its sections monitor too.
                if matches!(source_kind(warning.indicator), SourceKind::Water) {
                    for h in self.chiefs_of_monitored_segments(&code, holders_on).await? {
                        posts.push(AnsweringPost {
                            role: h.chief.spec.kind.key(),
                            role_zh: h.chief.spec.kind.name_zh(),
                            post_id: Some(h.post.id),
                            post: Some(h.post.title.clone()),
                            organisation: Some(h.organisation.name.clone()),
                            holder: match (h.holder, h.tenure) {
                                (Some(p), Some(t)) => Some(PostHolder {
                                    person_id: p.id,
                                    name: p.name,
                                    since: t.start_date,
                                    acting: t.acting,
                                }),
                                _ => None,
                            },
                            chief_id: Some(h.chief.id),
                        });
                    }
                }
                out.push(WarningReport {
                    region_name: status.region.name.clone(),
                    target_id: entry.target.id,
                    target_rev: entry.target.rev,
                    ytd_value: s.ytd_value,
                    target: s.target,
                    month: s.month,
                    holders_on,
                    warning,
                    posts,
                });
            }
        }
        Ok(out)
    }
}
