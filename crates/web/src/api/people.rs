//! People: the cadres who hold posts. A caller bound to a region sees only the people who
//! held a post in it, and of each person's career only the tenures in it; a nationwide caller
//! sees everyone.

use axum::extract::State;
use axum::http::StatusCode;
use ecoduty_store::people::Person;
use ecoduty_store::tenures::TenureDetail;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{reason_or, Allowed, EditRecords};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::auth::{ApiScoped, ApiViewer};
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a person's name, or their whole key (人员编号); everyone when empty.
    pub q: Option<String>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/people", operation_id = "people_search", tag = "people",
    params(SearchQuery),
    responses(
        (status = 200, description = "People who held a post in the caller's region (everyone for a nationwide caller), by name", body = Page<Person>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn search(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Page<Person>>> {
    let limit = pagination::limit(q.limit)?;
    let after: Option<(String, i64)> = pagination::decode(q.cursor.as_deref())?;
    let rows = state
        .store
        .people_page(
            q.q.as_deref().unwrap_or(""),
            v.root(),
            after.as_ref().map(|(name, id)| (name.as_str(), *id)),
            limit + 1,
        )
        .await?;
    Ok(Json(pagination::page(rows, limit, |p| {
        (p.name.clone(), p.id)
    })))
}

/// A new person.
#[derive(Deserialize, ToSchema)]
pub struct NewPerson {
    #[schema(min_length = 1)]
    pub name: String,
    /// A stable key (人员编号) that tells apart two people of one name; P and the id when absent.
    pub key: Option<String>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/people", operation_id = "people_create", tag = "people",
    request_body = NewPerson,
    responses(
        (status = 201, description = "The person created. A caller bound to a region sees them once they hold a post in it (POST /api/v1/tenures)", body = Person),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<NewPerson>,
) -> ApiResult<(StatusCode, Json<Person>)> {
    let reason = reason_or(body.reason, || format!("add person {}", body.name.trim()))?;
    let person = state
        .store
        .add_person(&v.change(reason), &body.name, body.key.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(person)))
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}", operation_id = "people_get", tag = "people",
    params(("id" = i64, Path, description = "Person id", example = 1)),
    responses(
        (status = 200, description = "The person", body = Person),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(ApiScoped(person, _): ApiScoped<Person>) -> ApiResult<Json<Person>> {
    Ok(Json(person))
}

#[utoipa::path(
    get, path = "/api/v1/people/{id}/tenures", operation_id = "people_tenures", tag = "people",
    params(("id" = i64, Path, description = "Person id", example = 1)),
    responses(
        (status = 200, description = "The person's tenures, earliest first: across posts and regions for a nationwide caller, within the caller's region otherwise", body = Vec<TenureDetail>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn tenures(
    State(state): State<AppState>,
    ApiScoped(person, v): ApiScoped<Person>,
) -> ApiResult<Json<Vec<TenureDetail>>> {
    let mut history = state.store.person_history(person.id).await?;
    history.retain(|t| v.reaches(&t.organisation.region_code));
    Ok(Json(history))
}
