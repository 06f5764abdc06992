//! Tenures (任职): recording that a person holds a post, ending, correcting and retracting a
//! tenure. A post has one holder at a time: an overlap is refused with 422, naming both
//! tenures. Ending, correcting and retracting need a reason, recorded in the ledger with who
//! made the change.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use ecoduty_store::organisations::Organisation;
use ecoduty_store::people::Person;
use ecoduty_store::posts::Post;
use ecoduty_store::tenures::{NewTenure, Tenure, TenurePatch};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::api::common::{body_ref, reason_or, required_reason, Allowed, EditRecords};
use crate::api::extract::Json;
use crate::auth::{ApiScoped, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// A tenure with its post, organisation and holder, and every version it has had.
#[derive(Serialize, ToSchema)]
pub struct TenureView {
    pub tenure: Tenure,
    pub post: Post,
    pub organisation: Organisation,
    pub person: Person,
    /// Every version, oldest first (corrections, the end, a retraction).
    pub versions: Vec<Tenure>,
}

async fn view(
    state: &AppState,
    tenure: Tenure,
    post: Post,
    organisation: Organisation,
) -> ApiResult<TenureView> {
    let person = state.store.require_person(tenure.person_id).await?;
    let versions = state.store.tenure_versions(tenure.id).await?;
    Ok(TenureView {
        tenure,
        post,
        organisation,
        person,
        versions,
    })
}

#[utoipa::path(
    get, path = "/api/v1/tenures/{id}", operation_id = "tenures_get", tag = "tenures",
    params(("id" = i64, Path, description = "Tenure id", example = 1)),
    responses(
        (status = 200, description = "The tenure and its versions", body = TenureView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped((tenure, post, org), _): ApiScoped<(Tenure, Post, Organisation)>,
) -> ApiResult<Json<TenureView>> {
    Ok(Json(view(&state, tenure, post, org).await?))
}

/// A new tenure. Name the holder by `person_id`, or by `person_key` for someone who held
/// posts elsewhere (a transfer into the caller's region).
#[derive(Deserialize, ToSchema)]
pub struct NewTenureBody {
    pub post_id: i64,
    pub person_id: Option<i64>,
    pub person_key: Option<String>,
    /// The first day in post.
    pub start_date: NaiveDate,
    /// The day the holder left (exclusive); absent while they hold it.
    pub end_date: Option<NaiveDate>,
    /// 代理: acting in the post.
    #[serde(default)]
    pub acting: bool,
    /// Why (recorded in the ledger), e.g. the appointment document.
    pub reason: Option<String>,
}

/// The person a new tenure names: one the caller may see, one who has held no post yet (just
/// created), or anyone by their key.
async fn holder(state: &AppState, v: &Viewer, body: &NewTenureBody) -> Result<Person, AppError> {
    match (body.person_id, body.person_key.as_deref()) {
        (Some(id), None) => match v.person(&state.store, id).await {
            Ok(p) => Ok(p),
            Err(AppError::NotFound) => {
                let unplaced = match state.store.person(id).await? {
                    Some(p) if state.store.person_history(id).await?.is_empty() => Some(p),
                    _ => None,
                };
                unplaced.ok_or_else(|| {
                    AppError::invalid("person_id", format!("no person {id} you can see"))
                })
            }
            Err(e) => Err(e),
        },
        (None, Some(key)) => state
            .store
            .person_by_key(key)
            .await?
            .ok_or_else(|| AppError::invalid("person_key", format!("no person with key {key}"))),
        _ => Err(AppError::invalid(
            "person_id",
            "give either person_id or person_key",
        )),
    }
}

#[utoipa::path(
    post, path = "/api/v1/tenures", operation_id = "tenures_create", tag = "tenures",
    request_body = NewTenureBody,
    responses(
        (status = 201, description = "The tenure recorded", body = TenureView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<NewTenureBody>,
) -> ApiResult<(StatusCode, Json<TenureView>)> {
    let (post, org) = match v.post(&state.store, body.post_id).await {
        Ok(found) => found,
        Err(AppError::NotFound) => {
            return Err(AppError::invalid(
                "post_id",
                format!("no post {} in your region", body.post_id),
            )
            .into())
        }
        Err(e) => return Err(e.into()),
    };
    let person = holder(&state, &v, &body).await?;
    let reason = reason_or(body.reason, || {
        format!(
            "{} holds {} ({}) from {}",
            person.name, post.title, org.name, body.start_date
        )
    })?;
    let tenure = state
        .store
        .add_tenure(
            &v.change(reason),
            NewTenure {
                post_id: post.id,
                person_id: person.id,
                start_date: body.start_date,
                end_date: body.end_date,
                acting: body.acting,
            },
        )
        .await
        .map_err(body_ref("post_id"))?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, tenure, post, org).await?),
    ))
}

/// The end of a tenure.
#[derive(Deserialize, ToSchema)]
pub struct EndTenure {
    /// The day the holder left (exclusive: a successor may start that day).
    pub end_date: NaiveDate,
    /// Why (required; recorded in the ledger), e.g. the removal document.
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/tenures/{id}/end", operation_id = "tenures_end", tag = "tenures",
    params(("id" = i64, Path, description = "Tenure id", example = 1)),
    request_body = EndTenure,
    responses(
        (status = 200, description = "The tenure's new version", body = TenureView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn end(
    State(state): State<AppState>,
    ApiScoped((tenure, post, org), _): ApiScoped<(Tenure, Post, Organisation)>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<EndTenure>,
) -> ApiResult<Json<TenureView>> {
    let reason = required_reason(body.reason)?;
    let after = state
        .store
        .end_tenure(&v.change(reason), tenure.id, body.end_date)
        .await?;
    Ok(Json(view(&state, after, post, org).await?))
}

/// `null` and absent differ for `end_date`: `null` reopens the tenure.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<NaiveDate>>, D::Error> {
    Option::<NaiveDate>::deserialize(d).map(Some)
}

/// A correction of a tenure entered wrongly; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct TenureCorrection {
    pub start_date: Option<NaiveDate>,
    /// A date, or `null` to reopen the tenure; absent keeps it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub end_date: Option<Option<NaiveDate>>,
    pub acting: Option<bool>,
    /// Why (required; recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    patch, path = "/api/v1/tenures/{id}", operation_id = "tenures_correct", tag = "tenures",
    params(("id" = i64, Path, description = "Tenure id", example = 1)),
    request_body = TenureCorrection,
    responses(
        (status = 200, description = "The tenure's new version", body = TenureView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn correct(
    State(state): State<AppState>,
    ApiScoped((tenure, post, org), _): ApiScoped<(Tenure, Post, Organisation)>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<TenureCorrection>,
) -> ApiResult<Json<TenureView>> {
    let reason = required_reason(body.reason)?;
    let after = state
        .store
        .correct_tenure(
            &v.change(reason),
            tenure.id,
            TenurePatch {
                start_date: body.start_date,
                end_date: body.end_date,
                acting: body.acting,
            },
            "correct",
        )
        .await?;
    Ok(Json(view(&state, after, post, org).await?))
}

/// Why a tenure is retracted.
#[derive(Deserialize, ToSchema)]
pub struct RetractTenure {
    /// Why (required; recorded in the ledger): what was entered in error.
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/tenures/{id}/retract", operation_id = "tenures_retract", tag = "tenures",
    params(("id" = i64, Path, description = "Tenure id", example = 1)),
    request_body = RetractTenure,
    responses(
        (status = 200, description = "The tenure, marked as entered in error: it stays in the record but no longer counts", body = TenureView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn retract(
    State(state): State<AppState>,
    ApiScoped((tenure, post, org), _): ApiScoped<(Tenure, Post, Organisation)>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<RetractTenure>,
) -> ApiResult<Json<TenureView>> {
    let reason = required_reason(body.reason)?;
    let after = state
        .store
        .retract_tenure(&v.change(reason), tenure.id)
        .await?;
    Ok(Json(view(&state, after, post, org).await?))
}
