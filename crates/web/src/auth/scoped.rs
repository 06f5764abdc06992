//! Extractors that load the record a route's path names and refuse it, as "not found", when it
//! lies outside the user's region. They run before the request body is read, so a request for
//! another region's record gets the same answer whatever it carries.
//!
//! `Scoped<T>` is for pages (an anonymous request is sent to sign in); `ApiScoped<T>` for the
//! API (problem details). Both also give the handler the [`Viewer`].

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use ecoduty_domain::Region;
use ecoduty_store::organisations::Organisation;
use ecoduty_store::people::Person;
use ecoduty_store::posts::Post;
use ecoduty_store::supervision::checks::Check;
use ecoduty_store::supervision::complaints::Complaint;
use ecoduty_store::supervision::evidence::EvidenceInfo;
use ecoduty_store::supervision::findings::Finding;
use ecoduty_store::supervision::inspections::Inspection;
use ecoduty_store::supervision::plans::{DispatchRound, Task, WorkPlan};
use ecoduty_store::tenures::Tenure;
use ecoduty_store::tokens::ApiToken;
use ecoduty_store::users::User;
use ecoduty_store::Store;

use crate::auth::{ApiViewer, Viewer};
use crate::error::{ApiError, AppError};
use crate::state::AppState;

/// A record a path can name, loaded within the viewer's scope.
pub trait Load: Sized + Send {
    fn load(
        viewer: &Viewer,
        store: &Store,
        param: &str,
    ) -> impl std::future::Future<Output = Result<Self, AppError>> + Send;
}

fn id(param: &str) -> Result<i64, AppError> {
    param.parse().map_err(|_| AppError::NotFound)
}

impl Load for Region {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        v.region(store, param).await
    }
}

impl Load for Organisation {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        v.organisation(store, id(param)?).await
    }
}

/// A post with its organisation.
impl Load for (Post, Organisation) {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        v.post(store, id(param)?).await
    }
}

impl Load for Person {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        v.person(store, id(param)?).await
    }
}

/// A tenure with its post and organisation.
impl Load for (Tenure, Post, Organisation) {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        v.tenure(store, id(param)?).await
    }
}

/// A user account within the viewer's region (nationwide accounts only for nationwide users).
impl Load for User {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let user = store.user(id(param)?).await?.ok_or(AppError::NotFound)?;
        if v.scope.covers(&user.scope()) {
            Ok(user)
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// One of the viewer's own API tokens.
impl Load for ApiToken {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let wanted = id(param)?;
        store
            .api_tokens_of(v.user.id)
            .await?
            .into_iter()
            .find(|t| t.id == wanted)
            .ok_or(AppError::NotFound)
    }
}

/// An environmental emergency of the viewer's region (or below it).
impl Load for ecoduty_store::emergency::Emergency {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let e = store
            .emergency(id(param)?)
            .await?
            .ok_or(AppError::NotFound)?
            .emergency;
        within(v, e, |x| &x.region_code)
    }
}

/// An accountability case of the viewer's region, for those who may read cases; anyone else
/// is refused before the case is looked up, so an id reveals nothing.
impl Load for ecoduty_store::accountability::Case {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        if !v.can(ecoduty_domain::access::Permission::ReadCases) {
            return Err(AppError::Forbidden);
        }
        let c = store.case(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, c, |x| &x.region_code)
    }
}

/// A departure audit of the viewer's region, for those who may read audits; anyone else is
/// refused before the audit is looked up.
impl Load for ecoduty_store::audit::Audit {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        if !v.can(ecoduty_domain::access::Permission::ReadAudits) {
            return Err(AppError::Forbidden);
        }
        let a = store.audit(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, a, |x| &x.region_code)
    }
}

/// A control unit of zoning control of the viewer's region, by its code.
impl Load for ecoduty_store::zoning::ZoningUnit {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let u = store.zoning_unit(param).await?.ok_or(AppError::NotFound)?;
        within(v, u, |x| &x.spec.region_code)
    }
}

/// A project check of the viewer's region.
impl Load for ecoduty_store::zoning::ZoningCheck {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let c = store
            .zoning_check(id(param)?)
            .await?
            .ok_or(AppError::NotFound)?;
        within(v, c, |x| &x.region_code)
    }
}

/// A finding of the viewer's region.
impl Load for Finding {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let f = store.finding(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, f, |x| &x.region_code)
    }
}

/// An inspection of a region within the viewer's, or of a region above it (a city's users see
/// the provincial inspection of their city).
impl Load for Inspection {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let i = store
            .inspection(id(param)?)
            .await?
            .ok_or(AppError::NotFound)?;
        if inspection_concerns(v, &i) {
            Ok(i)
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// Whether an inspection covered a region within the viewer's, or one above it.
pub fn inspection_concerns(v: &Viewer, i: &Inspection) -> bool {
    i.regions.iter().any(|r| match v.root() {
        None => true,
        Some(root) => r.is_within(root) || root.is_within(r),
    })
}

impl Load for WorkPlan {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let p = store.plan(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, p, |x| &x.region_code)
    }
}

/// A task, by the region of its lead unit.
impl Load for Task {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let t = store.task(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, t, |x| &x.region_code)
    }
}

impl Load for DispatchRound {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let r = store
            .dispatch_round(id(param)?)
            .await?
            .ok_or(AppError::NotFound)?;
        within(v, r, |x| &x.region_code)
    }
}

/// A check, by the region of the unit checked.
impl Load for Check {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let c = store.check(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, c, |x| &x.region_code)
    }
}

impl Load for Complaint {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let c = store
            .complaint(id(param)?)
            .await?
            .ok_or(AppError::NotFound)?;
        within(v, c, |x| &x.region_code)
    }
}

/// An evidence file the viewer may see: one cited by a record of their region, or one they
/// uploaded themselves (before citing it, or the same bytes as someone else's).
impl Load for EvidenceInfo {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let info = store
            .evidence_info(param)
            .await?
            .ok_or(AppError::NotFound)?;
        if v.root().is_none() {
            return Ok(info);
        }
        let citations = store.evidence_citations(&info.sha256).await?;
        if citations.readable_by(&v.actor(), |r| v.reaches(r)) {
            Ok(info)
        } else {
            Err(AppError::NotFound)
        }
    }
}

fn within<T>(
    v: &Viewer,
    record: T,
    code: impl Fn(&T) -> &ecoduty_domain::RegionCode,
) -> Result<T, AppError> {
    if v.reaches(code(&record)) {
        Ok(record)
    } else {
        Err(AppError::NotFound)
    }
}

async fn path_param(parts: &mut Parts, state: &AppState) -> Result<String, AppError> {
    let Path(values): Path<Vec<(String, String)>> = Path::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound)?;
    values
        .into_iter()
        .next()
        .map(|(_, v)| v)
        .ok_or(AppError::NotFound)
}

/// A record named by the path, within the viewer's region (pages).
pub struct Scoped<T>(pub T, pub Viewer);

impl<T: Load> FromRequestParts<AppState> for Scoped<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let param = path_param(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let record = T::load(&viewer, &state.store, &param)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Scoped(record, viewer))
    }
}

/// A record named by the path, within the caller's region (API).
pub struct ApiScoped<T>(pub T, pub Viewer);

impl<T: Load> FromRequestParts<AppState> for ApiScoped<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiViewer(viewer) = ApiViewer::from_request_parts(parts, state).await?;
        let param = path_param(parts, state).await?;
        let record = T::load(&viewer, &state.store, &param).await?;
        Ok(ApiScoped(record, viewer))
    }
}

/// A water by its code, with only the segments in force that lie in the viewer's region; a
/// water with none there is "not found".
impl Load for ecoduty_store::waters::WaterDetail {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let mut w = store.water(param).await?.ok_or(AppError::NotFound)?;
        w.segments.retain(|s| v.reaches(&s.spec.region_code));
        if w.segments.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(w)
    }
}

/// A chief post of the viewer's region.
impl Load for ecoduty_store::waters::chiefs::Chief {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let c = store.chief(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, c, |x| &x.spec.region_code)
    }
}

/// A patrol of a segment or forest area of the viewer's region.
impl Load for ecoduty_store::waters::patrols::Patrol {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let p = store.patrol(id(param)?).await?.ok_or(AppError::NotFound)?;
        within(v, p, |x| &x.region_code)
    }
}
