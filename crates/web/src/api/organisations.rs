//! Organisations: a region's Party committee, government and departments — listed by region,
//! read, created, and changed or retired (each change a new version in the ledger).

use axum::extract::State;
use axum::http::StatusCode;
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Region};
use ecoduty_store::organisations::{Organisation, OrganisationPatch};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{reason_or, something_to_change, Allowed, EditRecords};
use crate::api::extract::{Json, Query};
use crate::auth::ApiScoped;
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Include retired records too.
    #[serde(default)]
    pub include_retired: bool,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/organisations", operation_id = "organisations_list", tag = "organisations",
    params(("code" = String, Path, description = "Region code", example = "410800"), ListQuery),
    responses(
        (status = 200, description = "The region's organisations: Party committee, government, then departments by name", body = Vec<Organisation>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Organisation>>> {
    Ok(Json(
        state
            .store
            .organisations_in(&region.code, q.include_retired)
            .await?,
    ))
}

/// A new organisation of the region in the path.
#[derive(Deserialize, ToSchema)]
pub struct NewOrganisation {
    #[schema(min_length = 1)]
    pub name: String,
    pub kind: OrganisationKind,
    /// The region's eco-environment department (生态环境部门, 第十一条); departments only.
    #[serde(default)]
    pub eco_department: bool,
    /// A department carrying important eco-environmental duties (第十二条).
    #[serde(default)]
    pub eco_duties: bool,
    /// Why it is added (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/organisations", operation_id = "organisations_create", tag = "organisations",
    params(("code" = String, Path, description = "Region code", example = "410800")),
    request_body = NewOrganisation,
    responses(
        (status = 201, description = "The organisation created", body = Organisation),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<NewOrganisation>,
) -> ApiResult<(StatusCode, Json<Organisation>)> {
    let reason = reason_or(body.reason, || {
        format!("add organisation {} to {}", body.name.trim(), region.name)
    })?;
    let org = state
        .store
        .add_organisation(
            &v.change(reason),
            OrganisationSpec {
                region_code: region.code,
                name: body.name,
                kind: body.kind,
                eco_department: body.eco_department,
                eco_duties: body.eco_duties,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[utoipa::path(
    get, path = "/api/v1/organisations/{id}", operation_id = "organisations_get", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id", example = 1)),
    responses(
        (status = 200, description = "The organisation as it stands", body = Organisation),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(ApiScoped(org, _): ApiScoped<Organisation>) -> ApiResult<Json<Organisation>> {
    Ok(Json(org))
}

/// Changes to an organisation; absent fields stay as they are. `retired: true` retires it.
#[derive(Deserialize, ToSchema)]
pub struct OrganisationChange {
    pub name: Option<String>,
    pub eco_department: Option<bool>,
    pub eco_duties: Option<bool>,
    pub retired: Option<bool>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    patch, path = "/api/v1/organisations/{id}", operation_id = "organisations_update", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id", example = 1)),
    request_body = OrganisationChange,
    responses(
        (status = 200, description = "The organisation's new version", body = Organisation),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiScoped(org, _): ApiScoped<Organisation>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<OrganisationChange>,
) -> ApiResult<Json<Organisation>> {
    something_to_change(
        body.name.as_deref().is_some_and(|n| n.trim() != org.name)
            || body.eco_department.is_some_and(|x| x != org.eco_department)
            || body.eco_duties.is_some_and(|x| x != org.eco_duties)
            || body.retired.is_some_and(|x| x != org.retired),
    )?;
    let retiring = body.retired == Some(true) && !org.retired;
    let reason = reason_or(body.reason, || {
        if retiring {
            format!("retire organisation {}", org.name)
        } else {
            format!("change organisation {}", org.name)
        }
    })?;
    let after = state
        .store
        .update_organisation(
            &v.change(reason),
            org.id,
            OrganisationPatch {
                name: body.name,
                eco_department: body.eco_department,
                eco_duties: body.eco_duties,
                retired: body.retired,
            },
        )
        .await?;
    Ok(Json(after))
}
