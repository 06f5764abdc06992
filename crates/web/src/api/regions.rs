//! Regions: one region with its ancestors, its children, a search within the caller's region,
//! the point-in-time question (who held each post of a region on a date), and adding a region
//! under one the caller reaches (a new development zone, say).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use ecoduty_domain::{Region, RegionCode, Role};
use ecoduty_store::api_queries::RegionKey;
use ecoduty_store::regions::NewRegion;
use ecoduty_store::tenures::PostHolding;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{reason_or, Allowed, EditRecords};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::auth::ApiScoped;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// A region with the path from its province.
#[derive(Serialize, ToSchema)]
pub struct RegionDetail {
    pub region: Region,
    /// From the province down to the parent, as far as the caller's region reaches.
    pub ancestors: Vec<Region>,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}", operation_id = "regions_get_region", tag = "regions",
    params(("code" = String, Path, description = "Region code (410800, or the short form 4108)", example = "410800")),
    responses(
        (status = 200, description = "The region", body = RegionDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get_region(
    State(state): State<AppState>,
    ApiScoped(region, v): ApiScoped<Region>,
) -> ApiResult<Json<RegionDetail>> {
    let ancestors = state
        .store
        .region_ancestors(&region.code)
        .await?
        .into_iter()
        .filter(|r| v.reaches(&r.code))
        .collect();
    Ok(Json(RegionDetail { region, ancestors }))
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/children", operation_id = "regions_children", tag = "regions",
    params(("code" = String, Path, description = "Region code", example = "410800")),
    responses(
        (status = 200, description = "The regions directly under it, by code", body = Vec<Region>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn children(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
) -> ApiResult<Json<Vec<Region>>> {
    Ok(Json(state.store.region_children(&region.code).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a region's name, or the start of its code; every region when empty.
    pub q: Option<String>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/regions", operation_id = "regions_search", tag = "regions",
    params(SearchQuery),
    responses(
        (status = 200, description = "Regions within the caller's region whose name contains `q` or whose code starts with it: provinces first, then by code", body = Page<Region>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn search(
    State(state): State<AppState>,
    crate::auth::ApiViewer(v): crate::auth::ApiViewer,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Page<Region>>> {
    let limit = pagination::limit(q.limit)?;
    let after: Option<(i64, String)> = pagination::decode(q.cursor.as_deref())?;
    let after = after.map(|(rank, code)| RegionKey { rank, code });
    let rows = state
        .store
        .search_regions_page(
            q.q.as_deref().unwrap_or(""),
            v.root(),
            after.as_ref(),
            limit + 1,
        )
        .await?;
    Ok(Json(pagination::page(rows, limit, |r| {
        let k = RegionKey::of(r);
        (k.rank, k.code)
    })))
}

/// A region to add under the region in the path.
#[derive(Deserialize, ToSchema)]
pub struct NewRegionBody {
    /// Its code, nested under the parent's (a development zone's fifth digit is 7: 410871).
    pub code: String,
    #[schema(min_length = 1)]
    pub name: String,
    /// 开发区: a county-level region administered like a county (第二条第二款).
    #[serde(default)]
    pub development_zone: bool,
    /// Why it is added (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/children", operation_id = "regions_add_child", tag = "regions",
    params(("code" = String, Path, description = "The parent region's code", example = "410800")),
    request_body = NewRegionBody,
    responses(
        (status = 201, description = "The region added", body = Region),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn add_child(
    State(state): State<AppState>,
    ApiScoped(parent, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<NewRegionBody>,
) -> ApiResult<(StatusCode, Json<Region>)> {
    let code =
        RegionCode::parse(&body.code).map_err(|e| AppError::invalid("code", e.to_string()))?;
    let reason = reason_or(body.reason, || {
        format!("add region {code} {}", body.name.trim())
    })?;
    let region = state
        .store
        .add_region(
            &v.change(reason),
            NewRegion {
                code,
                name: body.name,
                parent: parent.code,
                development_zone: body.development_zone,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(region)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WhoQuery {
    /// The date asked about (YYYY-MM-DD); today when absent.
    #[param(value_type = Option<String>, format = Date)]
    pub at: Option<String>,
    /// Only posts of this post type.
    pub role: Option<Role>,
}

/// Who held each post of a region on a date.
#[derive(Serialize, ToSchema)]
pub struct WhoAnswer {
    pub region: Region,
    pub at: NaiveDate,
    pub posts: Vec<PostHolding>,
}

/// A date from a query (today when absent), or 422 naming the field.
pub fn parse_date(field: &str, s: Option<&str>) -> Result<NaiveDate, AppError> {
    match s {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => s
            .trim()
            .parse()
            .map_err(|_| AppError::invalid(field, format!("{s:?} is not a date (YYYY-MM-DD)"))),
    }
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/who", operation_id = "regions_who", tag = "regions",
    params(("code" = String, Path, description = "Region code", example = "410800"), WhoQuery),
    responses(
        (status = 200, description = "Every post of the region and its holder on the date", body = WhoAnswer),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn who(
    State(state): State<AppState>,
    ApiScoped(region, viewer): ApiScoped<Region>,
    Query(q): Query<WhoQuery>,
) -> ApiResult<Response> {
    let at = parse_date("at", q.at.as_deref())?;
    let key = (region.code.clone(), at, q.role);
    // The tip was read with the caller's credentials, before anything below.
    let tip = viewer.ledger_tip;
    let body = match state.memo.who_json(&key, tip) {
        Some(body) => body,
        None => {
            let posts = state.store.who(&region.code, at, q.role).await?;
            let body = Bytes::from(
                serde_json::to_vec(&WhoAnswer { region, at, posts })
                    .map_err(|e| AppError::Internal(format!("who answer: {e}")))?,
            );
            state.memo.keep_who_json(key, tip, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}
