//! Posts: listed by organisation or by region, one post with its holder today, created,
//! changed or retired; and the tenures of a post (who held it, from when to when).

use axum::extract::State;
use axum::http::StatusCode;
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::{Region, Role};
use ecoduty_store::organisations::Organisation;
use ecoduty_store::people::Person;
use ecoduty_store::posts::{Post, PostPatch};
use ecoduty_store::tenures::{Holder, Tenure};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::common::{body_ref, reason_or, something_to_change, Allowed, EditRecords};
use crate::api::extract::{Json, Query};
use crate::api::organisations::ListQuery;
use crate::auth::ApiScoped;
use crate::error::ApiResult;
use crate::state::AppState;

#[utoipa::path(
    get, path = "/api/v1/organisations/{id}/posts", operation_id = "posts_of_organisation", tag = "posts",
    params(("id" = i64, Path, description = "Organisation id", example = 1), ListQuery),
    responses(
        (status = 200, description = "The organisation's posts, by id", body = Vec<Post>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn of_organisation(
    State(state): State<AppState>,
    ApiScoped(org, _): ApiScoped<Organisation>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Post>>> {
    Ok(Json(state.store.posts_of(org.id, q.include_retired).await?))
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/posts", operation_id = "posts_of_region", tag = "posts",
    params(("code" = String, Path, description = "Region code", example = "410800"), ListQuery),
    responses(
        (status = 200, description = "The posts of every organisation of the region (Party committee, government, departments)", body = Vec<Post>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn of_region(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<Post>>> {
    Ok(Json(
        state
            .store
            .posts_in_region(&region.code, q.include_retired)
            .await?,
    ))
}

/// A new post of the organisation in the path.
#[derive(Deserialize, ToSchema)]
pub struct NewPost {
    #[schema(min_length = 1)]
    pub title: String,
    /// The post type the regulation gives it; it must fit the organisation's kind.
    pub role: Role,
    /// For deputies: the departments of the same region they oversee (分管部门), by id.
    #[serde(default)]
    pub portfolio: Vec<i64>,
    /// Why it is added (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    post, path = "/api/v1/organisations/{id}/posts", operation_id = "posts_create", tag = "posts",
    params(("id" = i64, Path, description = "Organisation id", example = 1)),
    request_body = NewPost,
    responses(
        (status = 201, description = "The post created", body = Post),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 409, response = crate::api::common::Conflict),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiScoped(org, _): ApiScoped<Organisation>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<NewPost>,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let reason = reason_or(body.reason, || {
        format!("add post {} to {}", body.title.trim(), org.name)
    })?;
    let post = state
        .store
        .add_post(
            &v.change(reason),
            PostSpec {
                organisation_id: org.id,
                title: body.title,
                role: body.role,
                portfolio: body.portfolio,
            },
        )
        .await
        .map_err(body_ref("portfolio"))?;
    Ok((StatusCode::CREATED, Json(post)))
}

/// A post with where it sits and who holds it today.
#[derive(Serialize, ToSchema)]
pub struct PostDetail {
    pub post: Post,
    pub organisation: Organisation,
    /// The departments in the post's portfolio.
    pub portfolio: Vec<Organisation>,
    /// Today's holder; `null` when the post is vacant.
    pub holder: Option<Holder>,
}

#[utoipa::path(
    get, path = "/api/v1/posts/{id}", operation_id = "posts_get", tag = "posts",
    params(("id" = i64, Path, description = "Post id", example = 1)),
    responses(
        (status = 200, description = "The post, its organisation and today's holder", body = PostDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped((post, organisation), _): ApiScoped<(Post, Organisation)>,
) -> ApiResult<Json<PostDetail>> {
    let today = chrono::Local::now().date_naive();
    let holder = state
        .store
        .tenures_of_post(post.id)
        .await?
        .into_iter()
        .find(|(t, _)| t.range().contains(today))
        .map(|(tenure, person)| Holder { person, tenure });
    let mut portfolio = Vec::with_capacity(post.portfolio.len());
    for id in &post.portfolio {
        if let Some(d) = state.store.organisation(*id).await? {
            portfolio.push(d);
        }
    }
    Ok(Json(PostDetail {
        post,
        organisation,
        portfolio,
        holder,
    }))
}

/// Changes to a post; absent fields stay as they are. `retired: true` retires it.
#[derive(Deserialize, ToSchema)]
pub struct PostChange {
    pub title: Option<String>,
    pub portfolio: Option<Vec<i64>>,
    pub retired: Option<bool>,
    /// Why (recorded in the ledger).
    pub reason: Option<String>,
}

#[utoipa::path(
    patch, path = "/api/v1/posts/{id}", operation_id = "posts_update", tag = "posts",
    params(("id" = i64, Path, description = "Post id", example = 1)),
    request_body = PostChange,
    responses(
        (status = 200, description = "The post's new version", body = Post),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiScoped((post, _), _): ApiScoped<(Post, Organisation)>,
    Allowed(v, _): Allowed<EditRecords>,
    Json(body): Json<PostChange>,
) -> ApiResult<Json<Post>> {
    something_to_change(
        body.title
            .as_deref()
            .is_some_and(|t| t.trim() != post.title)
            || body
                .portfolio
                .as_ref()
                .is_some_and(|p| *p != post.portfolio)
            || body.retired.is_some_and(|r| r != post.retired),
    )?;
    let retiring = body.retired == Some(true) && !post.retired;
    let reason = reason_or(body.reason, || {
        if retiring {
            format!("retire post {} ({})", post.id, post.title)
        } else {
            format!("change post {} ({})", post.id, post.title)
        }
    })?;
    let after = state
        .store
        .update_post(
            &v.change(reason),
            post.id,
            PostPatch {
                title: body.title,
                portfolio: body.portfolio,
                retired: body.retired,
            },
        )
        .await
        .map_err(body_ref("portfolio"))?;
    Ok(Json(after))
}

/// One tenure of a post, with its holder.
#[derive(Serialize, ToSchema)]
pub struct PostTenure {
    pub tenure: Tenure,
    pub person: Person,
}

#[utoipa::path(
    get, path = "/api/v1/posts/{id}/tenures", operation_id = "posts_tenures", tag = "posts",
    params(("id" = i64, Path, description = "Post id", example = 1)),
    responses(
        (status = 200, description = "Every counting tenure of the post (retracted ones left out), earliest first", body = Vec<PostTenure>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn tenures(
    State(state): State<AppState>,
    ApiScoped((post, _), _): ApiScoped<(Post, Organisation)>,
) -> ApiResult<Json<Vec<PostTenure>>> {
    Ok(Json(
        state
            .store
            .tenures_of_post(post.id)
            .await?
            .into_iter()
            .map(|(tenure, person)| PostTenure { tenure, person })
            .collect(),
    ))
}
