//! What every resource module of the API shares: the permission extractors that refuse a
//! caller before the body is read, the reason a change is recorded with, the reusable error
//! responses of the OpenAPI document, and the answers for unknown paths and methods.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ecoduty_domain::access::Permission;
use ecoduty_store::StoreError;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use crate::auth::{ApiViewer, Viewer};
use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// A permission a route needs, as a type so that an extractor can check it.
pub trait Needs: Send + Sync {
    const PERMISSION: Permission;
}

/// Add or change records (organisations, posts, people, tenures, local duties, regions).
pub struct EditRecords;
impl Needs for EditRecords {
    const PERMISSION: Permission = Permission::EditRecords;
}

/// Store a new version of the regulation.
pub struct ImportRegulation;
impl Needs for ImportRegulation {
    const PERMISSION: Permission = Permission::ImportRegulation;
}

/// Browse and verify the change ledger.
pub struct ReadLedger;
impl Needs for ReadLedger {
    const PERMISSION: Permission = Permission::ReadLedger;
}

/// Draw up work plans, tasks and dispatch rounds.
pub struct PlanWork;
impl Needs for PlanWork {
    const PERMISSION: Permission = Permission::PlanWork;
}

/// Act for a responsible unit: progress, rectification, closure requests, evidence.
pub struct Rectify;
impl Needs for Rectify {
    const PERMISSION: Permission = Permission::Rectify;
}

/// Record inspections and findings; verify, return and close rectifications.
pub struct Inspect;
impl Needs for Inspect {
    const PERMISSION: Permission = Permission::Inspect;
}

/// Register checks in Art. 15's register.
pub struct PlanChecks;
impl Needs for PlanChecks {
    const PERMISSION: Permission = Permission::PlanChecks;
}

/// Handle public complaints.
pub struct HandleComplaints;
impl Needs for HandleComplaints {
    const PERMISSION: Permission = Permission::HandleComplaints;
}

/// The region a list is limited to: the one asked for (404 when outside the caller's
/// region), else the caller's own (`None`: nationwide).
pub async fn list_scope(
    state: &AppState,
    v: &Viewer,
    region: Option<&str>,
) -> Result<Option<ecoduty_domain::RegionCode>, AppError> {
    match region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) => Ok(Some(v.region(&state.store, code).await?.code)),
        None => Ok(v.root().cloned()),
    }
}

/// A year asked for in a query: within 1900–2200 (beyond, nothing is recorded), else 422.
pub fn year_param(field: &str, year: Option<i32>) -> Result<Option<i32>, AppError> {
    match year {
        Some(y) if !(1900..=2200).contains(&y) => Err(AppError::invalid(
            field,
            format!("{y} is not a year between 1900 and 2200"),
        )),
        other => Ok(other),
    }
}

/// Today in China (UTC+8), the day deadlines and steps are dated in.
pub fn today() -> chrono::NaiveDate {
    use ecoduty_store::supervision::Clock;
    ecoduty_store::supervision::SystemClock.today()
}

/// A free text the caller must give, trimmed and bounded.
pub fn required_text(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AppError::invalid(field, "must not be empty"));
    }
    optional_text(field, t, max)
}

/// A free text the caller may leave empty, trimmed and bounded.
pub fn optional_text(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(t.to_string())
}

/// The caller, refused with 403 unless their role carries `P`. Put it after any
/// [`crate::auth::ApiScoped`] (so a record outside the caller's region is "not found" whatever
/// the role) and before the body (so a refused caller's body is never read).
pub struct Allowed<P: Needs>(pub Viewer, pub PhantomData<P>);

impl<P: Needs> FromRequestParts<AppState> for Allowed<P> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiViewer(viewer) = ApiViewer::from_request_parts(parts, state).await?;
        viewer.require(P::PERMISSION)?;
        Ok(Allowed(viewer, PhantomData))
    }
}

/// The longest reason recorded with a change.
const MAX_REASON: usize = 1000;

fn checked_reason(reason: String) -> Result<String, AppError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(AppError::invalid("reason", "say why the change is made"));
    }
    if r.chars().count() > MAX_REASON {
        return Err(AppError::invalid(
            "reason",
            format!("at most {MAX_REASON} characters"),
        ));
    }
    Ok(r.to_string())
}

/// The reason a change is recorded with: the caller's, or `default` when they gave none.
pub fn reason_or(
    given: Option<String>,
    default: impl FnOnce() -> String,
) -> Result<String, AppError> {
    match given {
        Some(r) => checked_reason(r),
        None => Ok(default()),
    }
}

/// A reason the caller must give (ending, correcting or retracting a tenure).
pub fn required_reason(given: Option<String>) -> Result<String, AppError> {
    checked_reason(given.unwrap_or_default())
}

/// A store error about a record the request body refers to: "not found" there is a problem
/// with the body (422 naming the field), not with the path.
pub fn body_ref(field: &str) -> impl FnOnce(StoreError) -> AppError + '_ {
    move |e| match e {
        StoreError::NotFound { .. } => AppError::invalid(field, e.to_string()),
        other => other.into(),
    }
}

/// Refuses a change that changes nothing (it would only add a version equal to the last).
pub fn something_to_change(changed: bool) -> Result<(), AppError> {
    if changed {
        Ok(())
    } else {
        Err(AppError::invalid("body", "nothing to change"))
    }
}

/// A response written as problem details, for the OpenAPI document.
fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
                .build(),
        )
        .build()
        .into()
}

macro_rules! problem_responses {
    ($($name:ident: $description:literal),* $(,)?) => { $(
        #[doc = $description]
        pub struct $name;
        impl<'r> utoipa::ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<utoipa::openapi::Response>) {
                (stringify!($name), problem($description))
            }
        }
    )* };
}

problem_responses! {
    Unauthorized: "No credentials, or a token or session that is not valid",
    Forbidden: "The caller's role does not allow this (or, for a browser session, the CSRF token is missing)",
    NotFound: "No such record, or one outside the caller's region",
    Invalid: "The request is malformed or breaks a rule; `field` names what is wrong",
    Conflict: "The change conflicts with a record that exists, or with where it stands (a step out of order)",
    TooLarge: "The request body is too large (for a file: `detail` names its size and the limit)",
    UnsupportedType: "The file is of a kind that is not accepted, or its content does not match its name; `detail` says which",
    RateLimited: "Too many requests from this client; `Retry-After` says when to try again",
}

/// The reusable responses, for the document's components.
pub fn responses() -> Vec<(String, RefOr<utoipa::openapi::Response>)> {
    use utoipa::ToResponse;
    [
        Unauthorized::response(),
        Forbidden::response(),
        NotFound::response(),
        Invalid::response(),
        Conflict::response(),
        TooLarge::response(),
        UnsupportedType::response(),
        RateLimited::response(),
    ]
    .into_iter()
    .map(|(n, r)| (n.to_string(), r))
    .collect()
}

/// Any path under /api/v1 that names no route: "not found" as problem details.
pub async fn unknown_path() -> ApiError {
    ApiError(AppError::NotFound)
}

/// A method the path does not answer: 405 as problem details, with the methods it does.
pub fn method_not_allowed(allow: &str) -> Response {
    let problem = crate::error::Problem {
        kind: "/problems/method-not-allowed".into(),
        title: "Method Not Allowed".into(),
        status: 405,
        detail: format!("this path answers {allow}"),
        field: None,
        errors: None,
    };
    let mut res = (StatusCode::METHOD_NOT_ALLOWED, axum::Json(problem)).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if let Ok(v) = HeaderValue::from_str(allow) {
        headers.insert(header::ALLOW, v);
    }
    res
}
