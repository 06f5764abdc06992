//! The signed-in user's own account: changing their password (with the current one) and their
//! personal API tokens — creating one (shown once, with a copy button), listing and revoking
//! them. Tokens act with the owner's role and region; only their hash is stored.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use axum_extra::extract::cookie::Cookie;
use axum_extra::extract::CookieJar;
use ecoduty_domain::access::check_password;
use ecoduty_store::tokens::ApiToken;
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::viewer::SESSION_COOKIE;
use crate::auth::{password, secrets, Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::state::AppState;
use crate::ui::layout::{
    csrf_field, done, field, flash, form_error, notice, refused, Fields, Shell,
};
use crate::ui::users::user_role_name;

#[derive(Deserialize)]
pub struct OkQuery {
    ok: Option<String>,
}

/// The account page; `fresh` is a token just created, shown this once.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    top: Markup,
    fresh: Option<(&ApiToken, &str)>,
    token_name: &str,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let tokens = state.store.api_tokens_of(viewer.user.id).await?;
    let u = &viewer.user;
    let body = html! {
        h1 { (t("account.title")) }
        @if viewer.must_change_password {
            (notice("error", html! { (t("account.must_change")) }))
        }
        (top)
        dl class="facts" {
            dt { (t("col.username")) } dd { (u.username) }
            dt { (t("col.display")) } dd { (u.display_name) }
            dt { (t("col.userrole")) } dd { (user_role_name(lang, u.role)) }
            dt { (t("col.region")) } dd { (u.region_code.as_ref().map(|c| c.to_string()).unwrap_or_else(|| t("users.nationwide").to_string())) }
        }
        section aria-labelledby="password-h" {
            h2 id="password-h" { (t("account.password")) }
            form method="post" action="/account/password" class="card" {
                (csrf_field(viewer))
                input type="text" name="username" value=(u.username) autocomplete="username" hidden;
                (field("current-password", t("account.current"), html! {
                    input id="current-password" name="current" type="password" required autocomplete="current-password";
                }))
                (field("new-password", t("account.new"), html! {
                    input id="new-password" name="password" type="password" required minlength="12" autocomplete="new-password" aria-describedby="new-password-hint";
                    small id="new-password-hint" class="muted" { (t("users.password_hint")) }
                }))
                (field("confirm-password", t("account.confirm"), html! {
                    input id="confirm-password" name="confirm" type="password" required minlength="12" autocomplete="new-password";
                }))
                button type="submit" class="primary" { (t("account.password")) }
            }
        }
        section aria-labelledby="tokens-h" {
            h2 id="tokens-h" { (t("tokens.title")) }
            p class="muted" { (t("tokens.help")) }
            @if let Some((token, secret)) = fresh {
                (notice("ok", html! {
                    p { strong { (token.name) } " — " (t("tokens.once")) }
                    p class="token-row" {
                        code id="new-token" class="token" { (secret) }
                        " "
                        button type="button" data-copy="new-token" data-copied=(t("tokens.copied")) hidden { (t("tokens.copy")) }
                    }
                }))
            }
            @if !tokens.is_empty() {
                div class="table-wrap" {
                    table {
                        thead { tr {
                            th scope="col" { (t("tokens.name")) }
                            th scope="col" { (t("tokens.prefix")) }
                            th scope="col" { (t("tokens.created")) }
                            th scope="col" { (t("col.active")) }
                        } }
                        tbody {
                            @for tk in &tokens {
                                tr {
                                    td { (tk.name) }
                                    td { code { (tk.prefix) "…" } }
                                    td { (tk.created_at.get(..10).unwrap_or(&tk.created_at)) }
                                    td {
                                        @if tk.revoked { span class="muted" { (t("tokens.revoked")) } }
                                        @else {
                                            form method="post" action=(format!("/account/tokens/{}/revoke", tk.id)) class="inline"
                                                data-confirm=(format!("{} {}?", t("tokens.revoke"), tk.name)) {
                                                (csrf_field(viewer))
                                                button type="submit" class="danger" { (t("tokens.revoke")) span class="visually-hidden" { " " (tk.name) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/account/tokens" class="inline-form" {
                (csrf_field(viewer))
                (field("token-name", t("tokens.name"), html! {
                    input id="token-name" name="name" type="text" required maxlength="100" value=(token_name);
                }))
                button type="submit" { (t("tokens.create")) }
            }
        }
    };
    Ok(Shell::of(viewer, "/account").page(t("account.title"), body))
}

/// GET /account
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    let top = flash(viewer.lang, q.ok.as_deref());
    page(&state, &viewer, top, None, "").await
}

/// POST /account/password: the current password, the new one twice. Every session of the
/// user ends, this one included.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    let result = async {
        let (_, hash) = state
            .store
            .user_for_sign_in(&viewer.user.username)
            .await?
            .ok_or(AppError::NotFound)?;
        if !password::verify(hash, f.get("current").to_string()).await {
            return Err(AppError::invalid(
                "current",
                viewer.lang.t("account.wrong_current"),
            ));
        }
        let new = f.get("password").to_string();
        if new == f.get("current") {
            return Err(AppError::invalid("password", viewer.lang.t("account.same")));
        }
        if new != f.get("confirm") {
            return Err(AppError::invalid(
                "confirm",
                viewer.lang.t("account.mismatch"),
            ));
        }
        check_password(&viewer.user.username, &new)
            .map_err(|m| AppError::invalid("password", m))?;
        let hash = password::hash(new).await?;
        state
            .store
            .set_password(
                &viewer.change("change own password"),
                viewer.user.id,
                &hash,
                false,
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => {
            let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
            Ok((jar, done("/signin", "password_changed")).into_response())
        }
        Err(e) => {
            let Some(message) = form_error(viewer.lang, &e) else {
                return Err(e);
            };
            Ok(refused(page(&state, &viewer, message, None, "").await?))
        }
    }
}

/// POST /account/tokens: a new token, shown once.
pub async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    let name = f.get("name").trim().to_string();
    let secret = secrets::api_token();
    let created = state
        .store
        .create_api_token(
            &viewer.change(format!("create API token {name}")),
            &viewer.user,
            &name,
            &secret[..8],
            &secrets::digest(&secret),
        )
        .await
        .map_err(AppError::from);
    match created {
        Ok(token) => Ok(page(&state, &viewer, html! {}, Some((&token, &secret)), "")
            .await?
            .into_response()),
        Err(e) => {
            let Some(message) = form_error(viewer.lang, &e) else {
                return Err(e);
            };
            Ok(refused(page(&state, &viewer, message, None, &name).await?))
        }
    }
}

/// POST /account/tokens/{id}/revoke
pub async fn revoke_token(
    State(state): State<AppState>,
    Scoped(token, viewer): Scoped<ApiToken>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    state
        .store
        .revoke_api_token(
            &viewer.change(format!("revoke API token {}", token.name)),
            &viewer.user,
            token.id,
        )
        .await?;
    Ok(done("/account", "token_revoked"))
}
