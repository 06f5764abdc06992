//! Binding indicators in the API: a region's indicators for a year with their status, the
//! year so far and the target path (what the region page charts), and the early warnings
//! within the caller's region, each naming the answering posts and who holds them.
//!
//! The answers are views of what the store computes (`Store::indicator_status`,
//! `Store::early_warnings`, through the memo in [`AppState`]), the same figures
//! `ecoduty warnings` prints.

use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use ecoduty_domain::Region;
use ecoduty_indicators::status::{IndicatorStatus, PathBasis, PathPoint};
use ecoduty_store::quality::status::{AnsweringPost, IndicatorEntry, WarningReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{Json, Query};
use crate::api::regions::parse_date;
use crate::auth::{ApiScoped, ApiViewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year of the targets (default: the year of `at`).
    #[param(minimum = 1949, maximum = 2100)]
    pub year: Option<i32>,
    /// The day to take stock on (YYYY-MM-DD); today when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub at: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarningsQuery {
    /// Only this region and the regions under it (default: the caller's region, or all).
    pub region: Option<String>,
    /// The year of the targets (default: the year of `at`).
    #[param(minimum = 1949, maximum = 2100)]
    pub year: Option<i32>,
    /// The day to take stock on (YYYY-MM-DD); today when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub at: Option<String>,
}

fn year_and_day(year: Option<i32>, at: Option<&str>) -> Result<(i32, NaiveDate), AppError> {
    let at = parse_date("at", at)?;
    let year = year.unwrap_or(at.year());
    if !(1949..=2100).contains(&year) {
        return Err(AppError::invalid(
            "year",
            format!("{year} is not a year from 1949 to 2100"),
        ));
    }
    Ok((year, at))
}

/// The year-to-date value at the end of a month.
#[derive(Serialize, ToSchema)]
pub struct MonthValue {
    pub month: u8,
    pub value: f64,
}

fn months(points: &[PathPoint]) -> Vec<MonthValue> {
    points
        .iter()
        .map(|p| MonthValue {
            month: p.month,
            value: p.value,
        })
        .collect()
}

/// Where an indicator stands during or after the year.
#[derive(Serialize, ToSchema)]
pub struct IndicatorProgress {
    /// `met`, `on_track`, `at_risk` or `missed`.
    #[schema(example = "at_risk")]
    pub status: String,
    /// The month the year-to-date value is at (12 for a closed year).
    pub month: u8,
    pub ytd_value: f64,
    /// The path's value at `month`.
    pub expected_to_date: f64,
    pub projected_annual: f64,
    /// The projection's shortfall against the target: positive when worse.
    pub gap: f64,
    /// The expected year-to-date value at the end of every month, ending at the target.
    pub path: Vec<MonthValue>,
    /// The year-to-date value at the end of each month with data.
    pub so_far: Vec<MonthValue>,
    /// `flat`, `elapsed_time` or `seasonal`.
    pub path_basis: String,
    /// The earlier years that shaped a seasonal path.
    pub path_years: Vec<i32>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

impl From<&IndicatorStatus> for IndicatorProgress {
    fn from(s: &IndicatorStatus) -> Self {
        let (path_basis, path_years) = match &s.basis {
            PathBasis::Flat => ("flat", Vec::new()),
            PathBasis::ElapsedTime => ("elapsed_time", Vec::new()),
            PathBasis::Seasonal { years } => ("seasonal", years.clone()),
        };
        IndicatorProgress {
            status: s.status.key().to_string(),
            month: s.month,
            ytd_value: s.ytd_value,
            expected_to_date: s.expected_to_date,
            projected_annual: s.projected_annual,
            gap: s.gap,
            path: months(&s.path),
            so_far: months(&s.so_far),
            path_basis: path_basis.to_string(),
            path_years,
            explanation_zh: s.explanation_zh.clone(),
            explanation_en: s.explanation_en.clone(),
        }
    }
}

/// One target of a region and where it stands.
#[derive(Serialize, ToSchema)]
pub struct IndicatorAnswer {
    #[schema(example = "pm25_annual_mean")]
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    pub target: f64,
    /// The target record (see `ecoduty targets`).
    pub target_id: i64,
    /// Where the values come from.
    pub basis_zh: String,
    pub basis_en: String,
    /// Absent when there is nothing to judge yet; `unavailable` says why.
    pub progress: Option<IndicatorProgress>,
    pub unavailable: Option<String>,
}

impl From<&IndicatorEntry> for IndicatorAnswer {
    fn from(e: &IndicatorEntry) -> Self {
        IndicatorAnswer {
            indicator: e.indicator.key.to_string(),
            name_zh: e.indicator.name_zh.to_string(),
            name_en: e.indicator.name_en.to_string(),
            unit: e.unit.to_string(),
            target: e.target.value,
            target_id: e.target.id,
            basis_zh: e.basis_zh.clone(),
            basis_en: e.basis_en.clone(),
            progress: e.status.as_ref().map(IndicatorProgress::from),
            unavailable: e.unavailable.clone(),
        }
    }
}

/// A region's indicators for a year, as they stood on a day.
#[derive(Serialize, ToSchema)]
pub struct RegionIndicators {
    pub region: Region,
    pub year: i32,
    pub at: NaiveDate,
    /// Whether the year was over on `at`.
    pub closed: bool,
    /// Whole months of the year before `at` (12 once it is over).
    pub months: u8,
    pub indicators: Vec<IndicatorAnswer>,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/indicators", operation_id = "indicators_of_region", tag = "indicators",
    params(("code" = String, Path, description = "Region code", example = "410800"), YearQuery),
    responses(
        (status = 200, description = "Every target the region has for the year, with its status, the year so far and the target path", body = RegionIndicators),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn of_region(
    State(state): State<AppState>,
    ApiScoped(region, v): ApiScoped<Region>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<RegionIndicators>> {
    let (year, at) = year_and_day(q.year, q.at.as_deref())?;
    let st = state
        .indicator_status(&region.code, year, at, v.ledger_tip)
        .await?;
    Ok(Json(RegionIndicators {
        indicators: st.indicators.iter().map(IndicatorAnswer::from).collect(),
        region: st.region.clone(),
        year: st.year,
        at: st.at,
        closed: st.closed,
        months: st.months,
    }))
}

/// Who holds an answering post.
#[derive(Serialize, ToSchema)]
pub struct HolderAnswer {
    pub person_id: i64,
    pub name: String,
    pub since: NaiveDate,
    pub acting: bool,
}

/// A post that answers for a warning: absent `post_id` when the region has no such post,
/// absent `holder` when it is vacant.
#[derive(Serialize, ToSchema)]
pub struct AnsweringPostAnswer {
    #[schema(example = "government_head")]
    pub role: String,
    pub role_zh: String,
    pub post_id: Option<i64>,
    pub post: Option<String>,
    pub organisation: Option<String>,
    pub holder: Option<HolderAnswer>,
    /// Set for a chief post answering for a segment the region's water sections monitor
    /// (`role` is then the chief kind: `general_river`, `river`, `lake`).
    pub chief_id: Option<i64>,
}

impl From<&AnsweringPost> for AnsweringPostAnswer {
    fn from(p: &AnsweringPost) -> Self {
        AnsweringPostAnswer {
            role: p.role.to_string(),
            role_zh: p.role_zh.to_string(),
            post_id: p.post_id,
            post: p.post.clone(),
            organisation: p.organisation.clone(),
            holder: p.holder.as_ref().map(|h| HolderAnswer {
                person_id: h.person_id,
                name: h.name.clone(),
                since: h.since,
                acting: h.acting,
            }),
            chief_id: p.chief_id,
        }
    }
}

/// An early warning on a binding indicator.
#[derive(Serialize, ToSchema)]
pub struct WarningAnswer {
    #[schema(example = "410800")]
    pub region_code: String,
    pub region_name: String,
    #[schema(example = "pm25_annual_mean")]
    pub indicator: String,
    pub year: i32,
    /// `at_risk` or `missed`.
    pub status: String,
    pub message_zh: String,
    pub message_en: String,
    pub ytd_value: f64,
    pub target: f64,
    pub target_id: i64,
    pub month: u8,
    /// The day the holders were looked up.
    pub holders_on: NaiveDate,
    pub posts: Vec<AnsweringPostAnswer>,
}

impl From<&WarningReport> for WarningAnswer {
    fn from(w: &WarningReport) -> Self {
        WarningAnswer {
            region_code: w.warning.region_code.to_string(),
            region_name: w.region_name.clone(),
            indicator: w.warning.indicator.key.to_string(),
            year: w.warning.year,
            status: w.warning.status.key().to_string(),
            message_zh: w.warning.message_zh.clone(),
            message_en: w.warning.message_en.clone(),
            ytd_value: w.ytd_value,
            target: w.target,
            target_id: w.target_id,
            month: w.month,
            holders_on: w.holders_on,
            posts: w.posts.iter().map(AnsweringPostAnswer::from).collect(),
        }
    }
}

#[utoipa::path(
    get, path = "/api/v1/warnings", operation_id = "indicators_warnings", tag = "indicators",
    params(WarningsQuery),
    responses(
        (status = 200, description = "The early warnings (at risk or missed) of every region with targets in the region's subtree, each with the answering posts and who holds them on `at`", body = Vec<WarningAnswer>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn warnings(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<WarningsQuery>,
) -> ApiResult<Json<Vec<WarningAnswer>>> {
    let (year, at) = year_and_day(q.year, q.at.as_deref())?;
    let within = match q.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) => Some(v.region(&state.store, code).await?.code),
        None => v.root().cloned(),
    };
    let warnings = state
        .early_warnings(within.as_ref(), year, at, v.ledger_tip)
        .await?;
    Ok(Json(warnings.iter().map(WarningAnswer::from).collect()))
}
