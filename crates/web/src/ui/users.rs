//! Users and roles, for administrators: the accounts within the administrator's region,
//! creating one (role, region, initial password), and on an account's page changing its name,
//! role or region, deactivating or reactivating it and resetting its password. What may be
//! granted follows [`ecoduty_domain::access::may_grant`]; passwords follow
//! [`ecoduty_domain::access::check_password`]. Every change goes through the store, which
//! records it in the ledger (never the password).

use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use axum::Form;
use ecoduty_domain::access::{
    check_password, check_username, may_grant, Permission, Scope, UserRole,
};
use ecoduty_domain::RegionCode;
use ecoduty_store::users::{NewUser, User, UserPatch};
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::{password, Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{csrf_field, done, field, flash, form_error, refused, Fields, Sent, Shell};

pub fn user_role_name(lang: Lang, role: UserRole) -> &'static str {
    lang.pick(role.name_zh(), role.name_en())
}

/// The roles this viewer may give to someone in their own region.
fn grantable(viewer: &Viewer) -> Vec<UserRole> {
    UserRole::ALL
        .into_iter()
        .filter(|r| {
            let scope = match (r, viewer.root()) {
                (UserRole::SystemAdmin, None) => Scope::Nationwide,
                (_, Some(root)) => Scope::Within(root.clone()),
                (_, None) => Scope::Within(RegionCode::parse("110000").expect("a valid code")),
            };
            may_grant(viewer.user.role, &viewer.scope, *r, &scope).is_ok()
        })
        .collect()
}

fn role_select(lang: Lang, id: &str, roles: &[UserRole], selected: &str) -> Markup {
    html! {
        select id=(id) name="role" {
            @for r in roles {
                option value=(r.key()) selected[selected == r.key()] { (user_role_name(lang, *r)) }
            }
        }
    }
}

/// A region code field: empty means nationwide.
fn parse_scope(value: &str) -> Result<Scope, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(Scope::Nationwide);
    }
    RegionCode::parse(v)
        .map(Scope::Within)
        .map_err(|e| AppError::invalid("region_code", e.to_string()))
}

fn parse_role(value: &str) -> Result<UserRole, AppError> {
    value
        .parse::<UserRole>()
        .map_err(|m| AppError::invalid("role", m))
}

fn status(lang: Lang, u: &User) -> &'static str {
    if u.active {
        lang.t("users.active")
    } else {
        lang.t("users.inactive")
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    ok: Option<String>,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    q: &str,
    here: String,
    notice: Markup,
    refill: Option<Sent<'_>>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let users = state.store.users_within(&viewer.scope, q).await?;
    let roles = grantable(viewer);
    let v = |name: &str| Sent::value(&refill, "create", name, "").to_string();
    let default_region = viewer.root().map(|c| c.to_string()).unwrap_or_default();
    let region_value = match &refill {
        Some(_) => v("region_code"),
        None => default_region,
    };
    let body = html! {
        h1 { (t("users.title")) }
        (notice)
        form method="get" action="/users" class="inline-form" role="search" {
            (field("users-q", t("users.search"), html! { input id="users-q" name="q" type="search" value=(q); }))
            button type="submit" { (t("people.find")) }
        }
        div class="table-wrap" {
            table {
                caption class="visually-hidden" { (t("users.title")) }
                thead { tr {
                    th scope="col" { (t("col.username")) }
                    th scope="col" { (t("col.display")) }
                    th scope="col" { (t("col.userrole")) }
                    th scope="col" { (t("col.region")) }
                    th scope="col" { (t("col.active")) }
                } }
                tbody {
                    @for u in &users {
                        tr class=[(!u.active).then_some("inactive")] {
                            td { a href=(format!("/users/{}", u.id)) { (u.username) } }
                            td { (u.display_name) }
                            td { (user_role_name(lang, u.role)) }
                            td { (u.region_code.as_ref().map(|c| c.to_string()).unwrap_or_else(|| t("users.nationwide").to_string())) }
                            td { (status(lang, u)) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="create-h" {
            h2 id="create-h" { (t("users.create")) }
            form id="create-user" method="post" action="/users" class="card" autocomplete="off" {
                (csrf_field(viewer))
                div class="row" {
                    (field("new-username", t("col.username"), html! {
                        input id="new-username" name="username" type="text" autocomplete="off" required minlength="3" maxlength="64" pattern="[A-Za-z0-9._\\-]+" value=(v("username")) aria-describedby="new-username-hint";
                        small id="new-username-hint" class="muted" { (t("users.username_hint")) }
                    }))
                    (field("new-display", t("col.display"), html! {
                        input id="new-display" name="display_name" type="text" required maxlength="100" value=(v("display_name"));
                    }))
                }
                div class="row" {
                    (field("new-role", t("col.userrole"), role_select(lang, "new-role", &roles, &v("role"))))
                    (field("new-region", t("users.region"), html! {
                        input id="new-region" name="region_code" type="text" inputmode="numeric" maxlength="12" value=(region_value) aria-describedby="new-region-hint";
                        small id="new-region-hint" class="muted" { (t("users.region_hint")) }
                    }))
                }
                (field("new-password", t("users.password"), html! {
                    input id="new-password" name="password" type="password" required minlength="12" autocomplete="new-password" aria-describedby="new-password-hint";
                    small id="new-password-hint" class="muted" { (t("users.password_hint")) " " (t("users.one_time_hint")) }
                }))
                button type="submit" class="primary" { (t("users.create")) }
            }
        }
    };
    Ok(Shell::of(viewer, here).page(t("users.title"), body))
}

/// GET /users?q=
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    viewer.require(Permission::ManageUsers)?;
    let notice = flash(viewer.lang, q.ok.as_deref());
    list_page(
        &state,
        &viewer,
        q.q.as_deref().unwrap_or("").trim(),
        uri.to_string(),
        notice,
        None,
    )
    .await
}

/// POST /users: a new account.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::ManageUsers)?;
    let result = async {
        let username = f.get("username").trim().to_string();
        check_username(&username).map_err(|m| AppError::invalid("username", m))?;
        let role = parse_role(f.get("role"))?;
        let scope = parse_scope(f.get("region_code"))?;
        may_grant(viewer.user.role, &viewer.scope, role, &scope)
            .map_err(|m| AppError::invalid("role", m))?;
        let pw = f.get("password").to_string();
        check_password(&username, &pw).map_err(|m| AppError::invalid("password", m))?;
        let hash = password::hash(pw).await?;
        let user = state
            .store
            .create_user(
                &viewer.change(format!("create user {username}")),
                NewUser {
                    username,
                    display_name: f.get("display_name").trim().to_string(),
                    role,
                    region_code: scope.root().cloned(),
                    password_hash: hash,
                    // The administrator knows it: the user must replace it at first sign-in.
                    one_time: true,
                },
            )
            .await?;
        Ok::<_, AppError>(user)
    }
    .await;
    match result {
        Ok(user) => Ok(done(&format!("/users/{}", user.id), "user_created")),
        Err(e) => {
            let Some(message) = form_error(viewer.lang, &e) else {
                return Err(e);
            };
            let page = list_page(
                &state,
                &viewer,
                "",
                "/users".into(),
                message,
                Some(Sent {
                    form: "create".into(),
                    fields: &f,
                }),
            )
            .await?;
            Ok(refused(page))
        }
    }
}

#[derive(Deserialize)]
pub struct OkQuery {
    ok: Option<String>,
}

async fn user_page(
    state: &AppState,
    viewer: &Viewer,
    user: &User,
    notice: Markup,
    refill: Option<Sent<'_>>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let roles = grantable(viewer);
    let log = state.store.entity_log("user", &user.id.to_string()).await?;
    let v = |form: &str, name: &str, default: &str| {
        Sent::value(&refill, form, name, default).to_string()
    };
    let region = user
        .region_code
        .as_ref()
        .map(|c| c.to_string())
        .unwrap_or_default();
    let is_self = user.id == viewer.user.id;
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/users" { (t("users.title")) } } li aria-current="page" { (user.username) } }
        }
        h1 { (user.display_name) " " small { (user.username) } }
        (notice)
        dl class="facts" {
            dt { (t("col.userrole")) } dd { (user_role_name(lang, user.role)) }
            dt { (t("col.region")) } dd { (if region.is_empty() { t("users.nationwide").to_string() } else { region.clone() }) }
            dt { (t("col.active")) } dd { (status(lang, user)) }
        }
        section aria-labelledby="edit-user-h" {
            h2 id="edit-user-h" { (t("users.edit")) }
            form method="post" action=(format!("/users/{}", user.id)) class="card" {
                (csrf_field(viewer))
                (field("user-display", t("col.display"), html! {
                    input id="user-display" name="display_name" type="text" required maxlength="100" value=(v("edit", "display_name", &user.display_name));
                }))
                div class="row" {
                    (field("user-role", t("col.userrole"), role_select(lang, "user-role", &roles, &v("edit", "role", user.role.key()))))
                    (field("user-region", t("users.region"), html! {
                        input id="user-region" name="region_code" type="text" inputmode="numeric" maxlength="12" value=(v("edit", "region_code", &region)) aria-describedby="user-region-hint";
                        small id="user-region-hint" class="muted" { (t("users.region_hint")) }
                    }))
                }
                button type="submit" class="primary" { (t("users.save")) }
            }
        }
        @if !is_self {
            section aria-labelledby="active-h" {
                h2 id="active-h" { (t("users.status")) }
                form method="post" action=(format!("/users/{}/active", user.id)) class="card"
                    data-confirm=[user.active.then(|| t("users.deactivate_confirm"))] {
                    (csrf_field(viewer))
                    input type="hidden" name="active" value=(if user.active { "false" } else { "true" });
                    p { (t("col.active")) ": " (status(lang, user)) }
                    button type="submit" class=(if user.active { "danger" } else { "primary" }) {
                        (if user.active { t("users.deactivate") } else { t("users.reactivate") })
                    }
                }
            }
        }
        section aria-labelledby="reset-h" {
            h2 id="reset-h" { (t("users.reset")) }
            form method="post" action=(format!("/users/{}/password", user.id)) class="card" autocomplete="off" {
                (csrf_field(viewer))
                (field("reset-password", t("account.new"), html! {
                    input id="reset-password" name="password" type="password" required minlength="12" autocomplete="new-password" aria-describedby="reset-password-hint";
                    small id="reset-password-hint" class="muted" { (t("users.password_hint")) " " (t("users.one_time_hint")) }
                }))
                button type="submit" { (t("users.reset")) }
            }
        }
        section aria-labelledby="history-h" {
            h2 id="history-h" { (t("users.history")) }
            div class="table-wrap" {
                table {
                    thead { tr { th scope="col" { (t("col.time")) } th scope="col" { (t("col.actor")) } th scope="col" { (t("col.action")) } th scope="col" { (t("col.reason")) } } }
                    tbody {
                        @for e in &log {
                            tr { td { (e.recorded_at.get(..19).unwrap_or(&e.recorded_at).replace('T', " ")) } td { (e.actor) } td { (e.action) } td { (e.reason) } }
                        }
                    }
                }
            }
        }
    };
    Ok(Shell::of(viewer, format!("/users/{}", user.id)).page(&user.username, body))
}

/// GET /users/{id}
pub async fn show(
    State(state): State<AppState>,
    Scoped(user, viewer): Scoped<User>,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    viewer.require(Permission::ManageUsers)?;
    let notice = flash(viewer.lang, q.ok.as_deref());
    user_page(&state, &viewer, &user, notice, None).await
}

/// The viewer may manage this account at all: an administrator may not change an account
/// they could not have created.
fn may_manage(viewer: &Viewer, user: &User) -> Result<(), AppError> {
    may_grant(viewer.user.role, &viewer.scope, user.role, &user.scope())
        .map_err(|m| AppError::invalid("user", m))
}

async fn user_refused(
    state: &AppState,
    viewer: &Viewer,
    user: &User,
    form: &str,
    f: &Fields,
    e: AppError,
) -> PageResult<Response> {
    let Some(message) = form_error(viewer.lang, &e) else {
        return Err(e);
    };
    let page = user_page(
        state,
        viewer,
        user,
        message,
        Some(Sent {
            form: form.into(),
            fields: f,
        }),
    )
    .await?;
    Ok(refused(page))
}

/// POST /users/{id}: name, role and region.
pub async fn update(
    State(state): State<AppState>,
    Scoped(user, viewer): Scoped<User>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::ManageUsers)?;
    let result = async {
        may_manage(&viewer, &user)?;
        let role = parse_role(f.get("role"))?;
        let scope = parse_scope(f.get("region_code"))?;
        may_grant(viewer.user.role, &viewer.scope, role, &scope)
            .map_err(|m| AppError::invalid("role", m))?;
        state
            .store
            .update_user(
                &viewer.change(format!("change user {}", user.username)),
                user.id,
                UserPatch {
                    display_name: Some(f.get("display_name").trim().to_string()),
                    role: Some(role),
                    region_code: Some(scope.root().cloned()),
                    active: None,
                },
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/users/{}", user.id), "user_updated")),
        Err(e) => user_refused(&state, &viewer, &user, "edit", &f, e).await,
    }
}

/// POST /users/{id}/active: deactivate (signs the user out everywhere) or reactivate.
pub async fn set_active(
    State(state): State<AppState>,
    Scoped(user, viewer): Scoped<User>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::ManageUsers)?;
    let active = f.get("active") == "true";
    let result = async {
        may_manage(&viewer, &user)?;
        if user.id == viewer.user.id {
            return Err(AppError::invalid(
                "active",
                "you cannot deactivate your own account",
            ));
        }
        let what = if active { "reactivate" } else { "deactivate" };
        state
            .store
            .update_user(
                &viewer.change(format!("{what} user {}", user.username)),
                user.id,
                UserPatch {
                    active: Some(active),
                    ..Default::default()
                },
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(
            &format!("/users/{}", user.id),
            if active {
                "user_reactivated"
            } else {
                "user_deactivated"
            },
        )),
        Err(e) => user_refused(&state, &viewer, &user, "active", &f, e).await,
    }
}

/// POST /users/{id}/password: a new password (the user's sessions end).
pub async fn reset_password(
    State(state): State<AppState>,
    Scoped(user, viewer): Scoped<User>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::ManageUsers)?;
    let result = async {
        may_manage(&viewer, &user)?;
        let pw = f.get("password").to_string();
        check_password(&user.username, &pw).map_err(|m| AppError::invalid("password", m))?;
        let hash = password::hash(pw).await?;
        state
            .store
            .set_password(
                &viewer.change(format!("reset the password of {}", user.username)),
                user.id,
                &hash,
                // Set for someone else, the password is one-time: the administrator knows it.
                user.id != viewer.user.id,
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) if user.id == viewer.user.id => Ok(done("/signin", "password_changed")),
        Ok(()) => Ok(done(&format!("/users/{}", user.id), "password_reset")),
        Err(e) => user_refused(&state, &viewer, &user, "reset", &f, e).await,
    }
}
