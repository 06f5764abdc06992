//! Signing in and out, and the language switch.
//!
//! Sign-in is protected against guessing: after `max_failed_sign_ins` failures for a username
//! (or four times as many from one address) within the lockout window, further attempts are
//! refused until the window passes. A failed attempt takes as long whether or not the account
//! exists. The sign-in form carries its own CSRF token in a short-lived cookie (double submit),
//! since there is no session yet.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use ecoduty_store::sessions::Session;
use ecoduty_store::users::PasswordState;
use maud::html;
use serde::Deserialize;

use crate::auth::secrets;
use crate::auth::viewer::{safe_next, timestamp, SESSION_COOKIE};
use crate::auth::{password, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::{self, Lang};
use crate::state::AppState;
use crate::ui::layout::{field, flash, notice, Shell};

const PRE_COOKIE: &str = "ecoduty_signin";

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// The message of a form that sent the user here (a changed password).
    ok: Option<String>,
}

fn cookie<'a>(
    state: &AppState,
    name: &'a str,
    value: String,
    max_age: Option<time::Duration>,
) -> Cookie<'a> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(state.config.secure_cookies);
    if let Some(age) = max_age {
        c.set_max_age(age);
    }
    c
}

fn form_page(
    lang: Lang,
    next: &str,
    pre: &str,
    message: Option<&str>,
    username: &str,
    ok: Option<&str>,
) -> maud::Markup {
    let t = |k| lang.t(k);
    Shell::new(lang, None, format!("/signin?next={}", crate::auth::viewer::urlencode(next))).page(
        t("signin.title"),
        html! {
            div class="narrow" {
                h1 { (t("signin.title")) }
                (flash(lang, ok))
                @if let Some(m) = message { (notice("error", html! { (m) })) }
                form method="post" action="/signin" {
                    input type="hidden" name="csrf" value=(pre);
                    input type="hidden" name="next" value=(next);
                    (field("username", t("signin.username"), html! {
                        input id="username" name="username" type="text" autocomplete="username" required autofocus value=(username);
                    }))
                    (field("password", t("signin.password"), html! {
                        input id="password" name="password" type="password" autocomplete="current-password" required;
                    }))
                    button type="submit" class="primary" { (t("signin.submit")) }
                }
                p { a href="/public" { (t("signin.public")) } }
            }
        },
    )
}

/// GET /signin
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Response {
    let pre = secrets::token(24);
    let next = safe_next(q.next.as_deref());
    let jar = jar.add(cookie(
        &state,
        PRE_COOKIE,
        pre.clone(),
        Some(time::Duration::minutes(30)),
    ));
    (jar, form_page(lang, &next, &pre, None, "", q.ok.as_deref())).into_response()
}

#[derive(Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

fn client_ip(headers: &HeaderMap) -> String {
    // Behind a reverse proxy the first X-Forwarded-For address is the client.
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "direct".to_string())
}

/// POST /signin
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> PageResult {
    let next = safe_next(form.next.as_deref());
    let pre_ok = jar
        .get(PRE_COOKIE)
        .map(|c| secrets::same(c.value(), &form.csrf))
        .unwrap_or(false);
    let pre = secrets::token(24);
    let jar = jar.add(cookie(
        &state,
        PRE_COOKIE,
        pre.clone(),
        Some(time::Duration::minutes(30)),
    ));
    let username = form.username.trim().to_string();
    let refuse = |status: axum::http::StatusCode, message: &str, jar: CookieJar| -> Response {
        (
            status,
            jar,
            form_page(lang, &next, &pre, Some(message), &username, None),
        )
            .into_response()
    };
    if !pre_ok {
        return Ok(refuse(
            axum::http::StatusCode::FORBIDDEN,
            lang.t("signin.expired"),
            jar,
        ));
    }
    let ip = client_ip(&headers);
    let window = chrono::Duration::from_std(state.config.lockout).unwrap_or_default();
    let since = timestamp(Utc::now() - window);
    let (by_user, by_ip, _) = state
        .store
        .failed_sign_ins_since(&username, &ip, &since)
        .await?;
    if by_user >= state.config.max_failed_sign_ins || by_ip >= 4 * state.config.max_failed_sign_ins
    {
        tracing::warn!(%username, "sign-in refused: locked");
        return Ok(refuse(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            lang.t("signin.locked"),
            jar,
        ));
    }
    let found = state.store.user_for_sign_in(&username).await?;
    let ok = match &found {
        Some((user, hash)) => {
            password::verify(hash.clone(), form.password.clone()).await && user.active
        }
        None => {
            password::verify(password::dummy_hash().await, form.password.clone()).await;
            false
        }
    };
    // A one-time password signs in once (issue 14 §4), to a session that must change it; the
    // spend is one UPDATE, so two sign-ins racing with it cannot both win. A spent one is a
    // failed attempt like a wrong password (it counts towards the lock), saying why.
    let mut one_time = false;
    let mut spent = false;
    if let (true, Some((user, _))) = (ok, &found) {
        match state.store.password_state(user.id).await? {
            PasswordState::Permanent => {}
            PasswordState::OneTimeUnused
                if state.store.spend_one_time_password(user.id).await? =>
            {
                one_time = true
            }
            PasswordState::OneTimeUnused | PasswordState::OneTimeUsed => spent = true,
        }
    }
    state
        .store
        .record_sign_in_attempt(&username, &ip, ok && !spent)
        .await?;
    if spent {
        tracing::info!(%username, "sign-in refused: one-time password already used");
        return Ok(refuse(
            axum::http::StatusCode::UNAUTHORIZED,
            lang.t("signin.one_time_used"),
            jar,
        ));
    }
    let Some((user, _)) = found.filter(|_| ok) else {
        tracing::info!(%username, "sign-in failed");
        return Ok(refuse(
            axum::http::StatusCode::UNAUTHORIZED,
            lang.t("signin.failed"),
            jar,
        ));
    };
    let next = if one_time {
        "/account".to_string()
    } else {
        next
    };
    let token = secrets::token(32);
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.config.session_idle).unwrap_or_default();
    let session = Session {
        token_hash: secrets::digest(&token),
        user_id: user.id,
        csrf_token: secrets::token(24),
        created_at: timestamp(now),
        expires_at: timestamp(now + idle),
        last_seen_at: timestamp(now),
        must_change_password: one_time,
    };
    state
        .store
        .create_session(
            &ecoduty_store::Change::new(format!("user:{}", user.username), "sign in"),
            &session,
            &user,
        )
        .await?;
    let jar = jar.remove(Cookie::build(PRE_COOKIE).path("/")).add(cookie(
        &state,
        SESSION_COOKIE,
        token,
        None,
    ));
    Ok((jar, Redirect::to(&next)).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// POST /signout
pub async fn sign_out(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    viewer.check_csrf(&form.csrf)?;
    if let Some(hash) = &viewer.session {
        state
            .store
            .end_session(&viewer.change("sign out"), hash, &viewer.user)
            .await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/signin")).into_response())
}

/// GET /lang/{code}: remembers the interface language and goes back.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> PageResult {
    let lang = Lang::parse(&code).ok_or(AppError::NotFound)?;
    let mut c = cookie(
        &state,
        i18n::COOKIE,
        lang.code().to_string(),
        Some(time::Duration::days(365)),
    );
    c.set_http_only(false);
    Ok((jar.add(c), Redirect::to(&safe_next(q.next.as_deref()))).into_response())
}
