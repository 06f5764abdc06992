//! The signed-in user of a request, and the checks that follow from who they are: what their
//! role allows, which regions they reach, and that a form came from this site.
//!
//! Everything a handler loads by id goes through the scoped loaders here, so that a record
//! outside the user's region is answered exactly like a record that does not exist.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use ecoduty_domain::access::{allows, Permission, Scope};
use ecoduty_domain::{Region, RegionCode};
use ecoduty_store::organisations::Organisation;
use ecoduty_store::people::Person;
use ecoduty_store::posts::Post;
use ecoduty_store::tenures::Tenure;
use ecoduty_store::users::User;
use ecoduty_store::{Change, Store};

use crate::auth::secrets;
use crate::error::{ApiError, AppError};
use crate::i18n::Lang;
use crate::state::AppState;

/// The session cookie: an opaque random token; the database keeps only its hash.
pub const SESSION_COOKIE: &str = "ecoduty_session";

/// Timestamps as the store writes them.
pub fn timestamp(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The user behind a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub scope: Scope,
    pub lang: Lang,
    /// The session's CSRF token; `None` when the request carries an API token instead.
    pub csrf: Option<String>,
    /// The session's token hash (for signing out).
    pub session: Option<String>,
    /// Unread notifications, for the navigation (counted for sessions only: an API caller
    /// asks /api/v1/me/notifications).
    pub unread: i64,
    /// The ledger's tip when the user was looked up (read in the same statement): answers
    /// computed at this tip are still current (see [`crate::state::LedgerMemo`]).
    pub ledger_tip: i64,
    /// Signed in with a one-time password: until it is changed, pages send the user to
    /// /account and the API refuses (issue 14 §4). Always false for API tokens.
    pub must_change_password: bool,
}

impl Viewer {
    pub fn can(&self, p: Permission) -> bool {
        allows(self.user.role, p)
    }

    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Checks the CSRF token a form sent against the session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        match &self.csrf {
            Some(expected) if secrets::same(expected, sent) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }

    /// A change made by this user.
    pub fn change(&self, reason: impl Into<String>) -> Change {
        Change::new(self.actor(), reason)
    }

    /// How changes by this user are attributed (`user:NAME`).
    pub fn actor(&self) -> String {
        format!("user:{}", self.user.username)
    }

    pub fn reaches(&self, code: &RegionCode) -> bool {
        self.scope.contains(code)
    }

    /// The root of the user's region (`None`: nationwide).
    pub fn root(&self) -> Option<&RegionCode> {
        self.scope.root()
    }

    /// A region the user reaches.
    pub async fn region(&self, store: &Store, code: &str) -> Result<Region, AppError> {
        let code = RegionCode::parse(code).map_err(|_| AppError::NotFound)?;
        if !self.reaches(&code) {
            return Err(AppError::NotFound);
        }
        store.region(&code).await?.ok_or(AppError::NotFound)
    }

    pub async fn organisation(&self, store: &Store, id: i64) -> Result<Organisation, AppError> {
        let org = store.organisation(id).await?.ok_or(AppError::NotFound)?;
        if self.reaches(&org.region_code) {
            Ok(org)
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn post(&self, store: &Store, id: i64) -> Result<(Post, Organisation), AppError> {
        let post = store.post(id).await?.ok_or(AppError::NotFound)?;
        let org = self.organisation(store, post.organisation_id).await?;
        Ok((post, org))
    }

    pub async fn tenure(
        &self,
        store: &Store,
        id: i64,
    ) -> Result<(Tenure, Post, Organisation), AppError> {
        let tenure = store.tenure(id).await?.ok_or(AppError::NotFound)?;
        let (post, org) = self.post(store, tenure.post_id).await?;
        Ok((tenure, post, org))
    }

    /// A person the user may see: anyone for a nationwide user; otherwise someone who held a
    /// post within the user's region.
    pub async fn person(&self, store: &Store, id: i64) -> Result<Person, AppError> {
        let person = store.person(id).await?.ok_or(AppError::NotFound)?;
        if self.scope == Scope::Nationwide {
            return Ok(person);
        }
        let history = store.person_history(id).await?;
        if history
            .iter()
            .any(|t| self.reaches(&t.organisation.region_code))
        {
            Ok(person)
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// Finds the user of a request: an API token (`Authorization: Bearer …`) or a session cookie.
/// A session in use has its expiry moved forward (at most once a minute, to spare writes).
pub async fn authenticate(parts: &mut Parts, state: &AppState) -> Result<Option<Viewer>, AppError> {
    // Several extractors of one request ask; the first answer is kept for the others.
    if let Some(cached) = parts.extensions.get::<Option<Viewer>>() {
        return Ok(cached.clone());
    }
    let found = find_viewer(parts, state).await?;
    parts.extensions.insert(found.clone());
    Ok(found)
}

async fn find_viewer(parts: &Parts, state: &AppState) -> Result<Option<Viewer>, AppError> {
    let lang = Lang::from_request_parts(&mut parts.clone(), state)
        .await
        .unwrap_or(Lang::Zh);
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        if token.is_empty() {
            return Ok(None);
        }
        return Ok(state
            .store
            .user_by_api_token(&secrets::digest(token))
            .await?
            .map(|(_, user, ledger_tip)| Viewer {
                scope: user.scope(),
                user,
                lang,
                csrf: None,
                session: None,
                unread: 0,
                ledger_tip,
                must_change_password: false,
            }));
    }
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = secrets::digest(cookie.value());
    let now = Utc::now();
    let Some((session, user, ledger_tip)) = state.store.session(&hash, &timestamp(now)).await?
    else {
        return Ok(None);
    };
    if session.last_seen_at < timestamp(now - chrono::Duration::seconds(60)) {
        let expires =
            now + chrono::Duration::from_std(state.config.session_idle).unwrap_or_default();
        state
            .store
            .touch_session(&hash, &timestamp(now), &timestamp(expires))
            .await?;
    }
    let unread = state.store.unread_notifications(user.id).await?;
    Ok(Some(Viewer {
        scope: user.scope(),
        user,
        lang,
        csrf: Some(session.csrf_token),
        session: Some(hash),
        unread,
        ledger_tip,
        must_change_password: session.must_change_password,
    }))
}

/// What a session that must first change its one-time password may still reach: the account
/// page and its password form, signing out, and switching the language.
fn open_before_password_change(method: &Method, path: &str) -> bool {
    match *method {
        Method::GET | Method::HEAD => path == "/account" || path.starts_with("/lang/"),
        Method::POST => path == "/account/password" || path == "/signout",
        _ => false,
    }
}

/// Pages: a request without a signed-in user is sent to the sign-in page.
impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match authenticate(parts, state).await {
            Ok(Some(v))
                if v.must_change_password
                    && !open_before_password_change(&parts.method, parts.uri.path()) =>
            {
                Err(Redirect::to("/account").into_response())
            }
            Ok(Some(v)) => Ok(v),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!("/signin?next={}", urlencode(next));
                Err(Redirect::to(&target).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The API: a request without credentials is answered 401 with problem details. A request
/// signed in by cookie (the browser) must also carry the session's CSRF token in
/// `X-CSRF-Token` when it changes something; a request with an API token need not.
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = authenticate(parts, state)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if viewer.must_change_password {
            return Err(AppError::PasswordChangeRequired.into());
        }
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if unsafe_method {
            if let Some(expected) = &viewer.csrf {
                let sent = parts
                    .headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if !secrets::same(expected, sent) {
                    return Err(AppError::Csrf.into());
                }
            }
        }
        Ok(ApiViewer(viewer))
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q[1..].to_string())
        .unwrap_or_default()
}

/// Only same-site paths are followed after sign-in (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_the_site() {
        assert_eq!(safe_next(Some("/regions/410800")), "/regions/410800");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(urlencode("/a b?x=1"), "%2Fa+b%3Fx%3D1");
    }
}
