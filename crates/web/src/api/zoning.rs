//! Environmental zoning control (生态环境分区管控, Art. 7(2)): control units with their
//! admission lists, imported from the published sheets all or nothing, and project checks —
//! a unit (by code, or the unit whose boundary holds a point) and an industry in, the effect
//! the list gives it out, with the clauses cited — each recorded with who asked and when.
//!
//! Units and checks are seen within the caller's region. Importing needs
//! [`Permission::ManageZoning`]; a check needs only to be signed in with the unit in scope.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use ecoduty_domain::access::Permission;
use ecoduty_domain::zoning::sheet::{self, SheetInput};
use ecoduty_domain::zoning::{Effect, IndustryCode, UnitCategory, UnitSpec};
use ecoduty_domain::Region;
use ecoduty_store::zoning::{CheckTarget, UnitFilter, ZoningCheck, ZoningImport, ZoningUnit};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{list_scope, Allowed, Needs};
use crate::api::extract::{Json, Query};
use crate::auth::{ApiScoped, ApiViewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Import control units and their admission lists.
pub struct ManageZoning;
impl Needs for ManageZoning {
    const PERMISSION: Permission = Permission::ManageZoning;
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Units within this region (the caller's own by default).
    pub region: Option<String>,
    pub category: Option<UnitCategory>,
    /// Withdrawn units too.
    #[serde(default)]
    pub withdrawn: bool,
}

#[utoipa::path(
    get, path = "/api/v1/zoning-units", operation_id = "zoning_units_list", tag = "zoning",
    params(UnitQuery),
    responses(
        (status = 200, description = "Control units within the region, by region and code, each with its admission list and boundary", body = Vec<ZoningUnit>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn units(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<UnitQuery>,
) -> ApiResult<Json<Vec<ZoningUnit>>> {
    let filter = UnitFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        category: q.category,
        withdrawn: q.withdrawn,
    };
    Ok(Json(state.store.zoning_units(&filter).await?))
}

/// Reads the sheets a body or a form gives, every problem named with its file, line and column.
pub fn read_sheets(
    units: (&str, &ecoduty_tabular::Table),
    clauses: Option<(&str, &ecoduty_tabular::Table)>,
) -> Result<Vec<UnitSpec>, AppError> {
    let specs = sheet::read(
        SheetInput {
            file: units.0,
            header: &units.1.header,
            rows: &units.1.rows,
        },
        clauses.map(|(file, t)| SheetInput {
            file,
            header: &t.header,
            rows: &t.rows,
        }),
    )
    .map_err(|errors| AppError::Rows(errors.into_iter().map(|e| e.into_row()).collect()))?;
    if specs.is_empty() {
        return Err(AppError::invalid("units", "no control unit to import"));
    }
    Ok(specs)
}

/// The sheets to import, as CSV text with the published Chinese headers.
#[derive(Deserialize, ToSchema)]
pub struct ImportBody {
    /// The units sheet: 单元编码, 单元名称, 行政区划代码, 管控类别 and optionally 边界 (GeoJSON
    /// Polygon or MultiPolygon).
    #[schema(
        example = "单元编码,单元名称,行政区划代码,管控类别\nZH41088320001,孟州市产业集聚区,410883,重点管控"
    )]
    pub units: String,
    /// The clauses sheet: 单元编码, 管控维度, 条款, 管控要求 (禁止/限制/允许), 行业代码. Without it,
    /// stored units keep their admission lists.
    pub clauses: Option<String>,
}

fn csv(field: &str, text: &str) -> Result<ecoduty_tabular::Table, AppError> {
    ecoduty_tabular::read(text.as_bytes(), ecoduty_tabular::Format::Csv, field)
        .map_err(|e| AppError::invalid(field, e.to_string()))
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/zoning-units", operation_id = "zoning_units_import", tag = "zoning",
    params(("code" = String, Path, description = "The region importing (every unit within it)", example = "410883")),
    request_body = ImportBody,
    responses(
        (status = 200, description = "What the import did: units created, updated (a new version), unchanged, and withdrawn (stored units of the regions imported that the sheets no longer name)", body = ZoningImport),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<ManageZoning>,
    Json(body): Json<ImportBody>,
) -> ApiResult<Json<ZoningImport>> {
    let units = csv("units", &body.units)?;
    let clauses = body
        .clauses
        .as_deref()
        .map(|c| csv("clauses", c))
        .transpose()?;
    let specs = read_sheets(("units", &units), clauses.as_ref().map(|c| ("clauses", c)))?;
    let reason = format!(
        "导入 {} 生态环境管控单元及准入清单({} 个单元)",
        region.name,
        specs.len()
    );
    Ok(Json(
        state
            .store
            .import_zoning(
                &v.change(reason),
                Some(&region.code),
                specs,
                clauses.is_some(),
            )
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/zoning-units/{unit}", operation_id = "zoning_units_get", tag = "zoning",
    params(("unit" = String, Path, description = "Unit code", example = "ZH41088320001")),
    responses(
        (status = 200, description = "The unit as it stands, with its admission list (clauses numbered from 1 in this order) and boundary", body = ZoningUnit),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn unit(ApiScoped(u, _): ApiScoped<ZoningUnit>) -> ApiResult<Json<ZoningUnit>> {
    Ok(Json(u))
}

#[utoipa::path(
    get, path = "/api/v1/zoning-units/{unit}/history", operation_id = "zoning_units_history", tag = "zoning",
    params(("unit" = String, Path, description = "Unit code", example = "ZH41088320001")),
    responses(
        (status = 200, description = "Every version of the unit, oldest first", body = Vec<ZoningUnit>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn history(
    State(state): State<AppState>,
    ApiScoped(u, _): ApiScoped<ZoningUnit>,
) -> ApiResult<Json<Vec<ZoningUnit>>> {
    Ok(Json(state.store.zoning_unit_versions(u.id).await?))
}

/// A project check: a unit code, or a point where a unit's boundary is loaded, and an industry.
#[derive(Deserialize, ToSchema)]
pub struct CheckBody {
    #[schema(example = "ZH41088320001")]
    pub unit_code: Option<String>,
    /// Longitude and latitude, instead of a unit code.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// GB/T 4754 code: a section letter A–T, or a 2/3/4-digit division, group or class.
    #[schema(example = "2614")]
    pub industry: String,
}

/// The target a check names: exactly one of a unit code and a point.
pub fn target(unit_code: Option<&str>, point: Option<(f64, f64)>) -> Result<CheckTarget, AppError> {
    match (unit_code.map(str::trim).filter(|c| !c.is_empty()), point) {
        (Some(code), None) => Ok(CheckTarget::Unit(code.to_ascii_uppercase())),
        (None, Some((lon, lat))) => {
            ecoduty_domain::zoning::geometry::check_point(lon, lat)
                .map_err(|m| AppError::invalid("lon", m))?;
            Ok(CheckTarget::Point(lon, lat))
        }
        _ => Err(AppError::invalid(
            "unit_code",
            "give a unit code or a point (lon and lat), one of the two",
        )),
    }
}

#[utoipa::path(
    post, path = "/api/v1/zoning-checks", operation_id = "zoning_checks_create", tag = "zoning",
    request_body = CheckBody,
    responses(
        (status = 201, description = "The check, recorded: forbidden, restricted or allowed, with the clauses cited (the most severe covering clause wins; none: allowed by the category default, said so)", body = ZoningCheck),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn check(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Json(body): Json<CheckBody>,
) -> ApiResult<(StatusCode, Json<ZoningCheck>)> {
    let point = match (body.lon, body.lat) {
        (Some(x), Some(y)) => Some((x, y)),
        (None, None) => None,
        _ => return Err(AppError::invalid("lat", "a point needs both lon and lat").into()),
    };
    let target = target(body.unit_code.as_deref(), point)?;
    let industry =
        IndustryCode::parse(&body.industry).map_err(|m| AppError::invalid("industry", m))?;
    let reason = format!("项目准入研判:行业 {industry}");
    let record = state
        .store
        .record_zoning_check(&v.change(reason), v.root(), &target, &industry, Utc::now())
        .await?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// Checks within this region (the caller's own by default).
    pub region: Option<String>,
    pub effect: Option<Effect>,
    /// At most this many, newest first (200 by default).
    pub limit: Option<i64>,
}

#[utoipa::path(
    get, path = "/api/v1/zoning-checks", operation_id = "zoning_checks_list", tag = "zoning",
    params(CheckQuery),
    responses(
        (status = 200, description = "Recorded checks within the region, newest first", body = Vec<ZoningCheck>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn checks(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<CheckQuery>,
) -> ApiResult<Json<Vec<ZoningCheck>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(
        state
            .store
            .zoning_checks(within.as_ref(), q.effect, q.limit.unwrap_or(200))
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/zoning-checks/{id}", operation_id = "zoning_checks_get", tag = "zoning",
    params(("id" = i64, Path, description = "Check id", example = 1)),
    responses(
        (status = 200, description = "One recorded check", body = ZoningCheck),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get_check(ApiScoped(c, _): ApiScoped<ZoningCheck>) -> ApiResult<Json<ZoningCheck>> {
    Ok(Json(c))
}
