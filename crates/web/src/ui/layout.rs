//! The page shell every page shares: language, navigation (what the user's role may reach),
//! the language switch and sign-out, and small building blocks (forms, notices, refused rows,
//! dates, the optional viewer of public pages, the redirect after a form).
//!
//! Pages are server-rendered HTML that works without JavaScript; the content security policy
//! forbids inline scripts and styles, so pages use classes from /assets/app.css and SVG
//! attributes for drawings.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use ecoduty_domain::access::Permission;
use ecoduty_domain::roster::RowError;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::auth::viewer::{authenticate, urlencode};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

/// What the shell needs to know about the request.
pub struct Shell<'a> {
    pub lang: Lang,
    pub viewer: Option<&'a Viewer>,
    /// The path and query of this page, for the language switch to come back to.
    pub here: String,
}

impl<'a> Shell<'a> {
    pub fn new(lang: Lang, viewer: Option<&'a Viewer>, here: impl Into<String>) -> Self {
        Shell {
            lang,
            viewer,
            here: here.into(),
        }
    }

    pub fn of(viewer: &'a Viewer, here: impl Into<String>) -> Self {
        Shell {
            lang: viewer.lang,
            viewer: Some(viewer),
            here: here.into(),
        }
    }

    /// A navigation entry, marked as the current page when this page is under it.
    fn link(&self, href: &str, label: &str) -> Markup {
        let path = self.here.split('?').next().unwrap_or("");
        let current = if href == "/" {
            path == "/"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        };
        html! { li { a href=(href) aria-current=[current.then_some("page")] { (label) } } }
    }

    /// A whole page.
    pub fn page(&self, title: &str, body: Markup) -> Markup {
        let t = |k| self.lang.t(k);
        html! {
            (DOCTYPE)
            html lang=(self.lang.html_lang()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (t("app.name")) }
                    link rel="icon" href="data:,";
                    link rel="stylesheet" href="/assets/app.css";
                    script src="/assets/app.js" defer {}
                }
                body {
                    a class="skip" href="#main" { (t("nav.skip")) }
                    header class="top" {
                        a class="brand" href="/" { (t("app.name")) }
                        // At phone width the navigation folds behind this button (app.js shows
                        // it and toggles the menu); without the script the links stay in view.
                        button type="button" class="menu-toggle" id="menu-toggle" aria-controls="main-nav" aria-expanded="false" hidden {
                            (self.lang.pick("菜单", "Menu"))
                        }
                        nav id="main-nav" aria-label=(self.lang.pick("主导航", "Main")) {
                            ul {
                                @if let Some(v) = self.viewer {
                                    (self.link("/", t("nav.dashboard")))
                                    (self.link("/regulation", t("nav.regulation")))
                                    (self.link("/people", t("nav.people")))
                                    (self.link("/findings", self.lang.pick("督察整改", "Findings")))
                                    (self.link("/inspections", self.lang.pick("督察", "Inspections")))
                                    (self.link("/plans", self.lang.pick("工作计划", "Work plans")))
                                    (self.link("/checks", self.lang.pick("监督检查", "Checks")))
                                    (self.link("/complaints", self.lang.pick("信访举报", "Complaints")))
                                    (self.link("/assessment", self.lang.pick("年度考核", "Assessment")))
                                    (self.link("/emergencies", self.lang.pick("应急", "Emergencies")))
                                    @if v.can(Permission::ReadCases) {
                                        (self.link("/cases", self.lang.pick("责任追究", "Accountability")))
                                    }
                                    @if v.can(Permission::ReviewCaseReads) {
                                        (self.link("/case-reads", self.lang.pick("追责查阅记录", "Case reads")))
                                    }
                                    (self.link("/zoning", self.lang.pick("分区管控", "Zoning")))
                                    (self.link("/waters", self.lang.pick("河湖长制", "Rivers and chiefs")))
                                    @if v.can(Permission::ReadAudits) {
                                        (self.link("/audits", self.lang.pick("离任审计", "Audits")))
                                    }
                                    @if v.can(Permission::EditRecords) {
                                        (self.link("/roster", t("nav.roster")))
                                    }
                                    @if v.can(Permission::ManageUsers) {
                                        (self.link("/users", t("nav.users")))
                                    }
                                    @if v.can(Permission::ReadLedger) {
                                        (self.link("/ledger", t("nav.ledger")))
                                    }
                                    (self.link("/account", t("nav.account")))
                                    li {
                                        a href="/notifications" id="nav-notifications"
                                            aria-current=[self.here.starts_with("/notifications").then_some("page")] {
                                            (self.lang.pick("通知", "Notifications"))
                                            @if v.unread > 0 {
                                                " " span class="badge" id="unread-count"
                                                    aria-label=(format!("{} {}", v.unread, self.lang.pick("条未读", "unread"))) { (v.unread) }
                                            }
                                        }
                                    }
                                } @else {
                                    (self.link("/public", t("nav.public")))
                                    (self.link("/public/complaint", self.lang.pick("信访举报", "Report a problem")))
                                    (self.link("/regulation", t("nav.regulation")))
                                }
                            }
                        }
                        div class="tools" {
                            a href=(format!("/lang/{}?next={}", self.lang.other().code(), urlencode(&self.here)))
                                hreflang=(self.lang.other().html_lang()) lang=(self.lang.other().html_lang()) {
                                (t("nav.lang"))
                            }
                            @if let Some(v) = self.viewer {
                                span class="who" { (v.user.display_name) " · " (self.lang.pick(v.user.role.name_zh(), v.user.role.name_en())) }
                                @if let Some(csrf) = &v.csrf {
                                    form method="post" action="/signout" class="inline" {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button type="submit" { (t("nav.signout")) }
                                    }
                                }
                            } @else if !self.here.starts_with("/signin") {
                                a href=(format!("/signin?next={}", urlencode(&self.here))) { (t("nav.signin")) }
                            }
                        }
                    }
                    main id="main" tabindex="-1" {
                        (body)
                    }
                    footer { small { (t("app.tagline")) } }
                }
            }
        }
    }
}

/// The hidden CSRF field every form of a signed-in page carries.
pub fn csrf_field(v: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(v.csrf.as_deref().unwrap_or("")); }
}

/// A labelled input: the label is tied to the field for screen readers and keyboard users.
pub fn field(id: &str, label: &str, input: Markup) -> Markup {
    html! {
        div class="field" {
            label for=(id) { (label) }
            (input)
        }
    }
}

/// A notice box (`kind`: ok, error, info).
pub fn notice(kind: &str, body: Markup) -> Markup {
    html! { div class=(format!("notice {kind}")) role=(if kind == "error" { "alert" } else { "status" }) { (body) } }
}

/// A tenure's dates as text.
pub fn tenure_dates(
    lang: Lang,
    start: chrono::NaiveDate,
    end: Option<chrono::NaiveDate>,
    acting: bool,
) -> String {
    let end = end
        .map(|d| d.to_string())
        .unwrap_or_else(|| lang.t("common.open").to_string());
    let acting = if acting {
        format!(" ({})", lang.t("post.acting"))
    } else {
        String::new()
    };
    format!("{start} – {end}{acting}")
}

/// Raw SVG produced by our own code (never user input unescaped).
pub fn svg(markup: String) -> Markup {
    PreEscaped(markup)
}

/// Text escaped for an SVG built as a string (element content or a quoted attribute).
pub fn svg_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A success notice named by the `ok` query parameter a form's redirect carries (`?ok=saved`).
/// Only known messages are shown, so the parameter cannot put arbitrary text on a page.
pub fn flash(lang: Lang, ok: Option<&str>) -> Markup {
    let Some(key) = ok else {
        return html! {};
    };
    let message = lang.t(&format!("ok.{key}"));
    if message == "??" {
        return html! {};
    }
    notice("ok", html! { (message) })
}

/// What a refused form tells its user: the message of an error the user can fix by changing
/// the form. Other errors (not found, forbidden, CSRF, internal) are not form errors.
pub fn form_error(lang: Lang, e: &AppError) -> Option<Markup> {
    let text = match e {
        AppError::Invalid { field, message } => format!("{field}: {message}"),
        AppError::Conflict(m) => m.clone(),
        _ => return None,
    };
    Some(notice(
        "error",
        html! { strong { (lang.t("error.invalid")) } ": " (text) },
    ))
}

/// A table of every bad row of a refused file: line, field, problem.
pub fn row_errors(lang: Lang, rows: &[RowError]) -> Markup {
    let t = |k| lang.t(k);
    html! {
        div class="table-wrap" {
            table class="row-errors" {
                caption { (t("roster.bad_rows")) " (" (rows.len()) ")" }
                thead { tr { th scope="col" { (t("col.line")) } th scope="col" { (t("col.field")) } th scope="col" { (t("col.problem")) } } }
                tbody {
                    @for r in rows {
                        tr { td { (r.line) } td { code { (r.field) } } td { (r.message) } }
                    }
                }
            }
        }
    }
}

/// A labelled checkbox (the label follows the box).
pub fn checkbox(id: &str, name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div class="field check" {
            input id=(id) name=(name) type="checkbox" value="on" checked[checked];
            label for=(id) { (label) }
        }
    }
}

/// The reason every change carries into the ledger (required).
pub fn reason_field(lang: Lang, id: &str, value: &str) -> Markup {
    field(
        id,
        lang.t("common.reason"),
        html! { input id=(id) name="reason" type="text" required maxlength="500" value=(value); },
    )
}

/// The fields of a submitted form, in order (a field may come several times, as the options
/// of a multiple select do). Missing fields read as empty, so that every check of a form is
/// ours and answered on the page.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of a field.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a checkbox was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "1" | "yes")
    }
}

/// A refused form, to show again as it was sent: which form (its id on the page) and what it
/// carried.
pub struct Sent<'a> {
    pub form: String,
    pub fields: &'a Fields,
}

impl Sent<'_> {
    /// Whether this is the form `form`.
    pub fn is(refill: &Option<Sent<'_>>, form: &str) -> bool {
        refill.as_ref().is_some_and(|s| s.form == form)
    }

    /// A field of form `form` as sent, or `default` when another form was sent.
    pub fn value<'b>(
        refill: &'b Option<Sent<'_>>,
        form: &str,
        name: &str,
        default: &'b str,
    ) -> &'b str {
        match refill {
            Some(s) if s.form == form => s.fields.get(name),
            _ => default,
        }
    }
}

/// The user who may be signed in, for pages anyone may read.
pub struct MaybeViewer(pub Option<Viewer>, pub Lang);

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state)
            .await
            .unwrap_or(Lang::Zh);
        let viewer = authenticate(parts, state)
            .await
            .map_err(IntoResponse::into_response)?
            // A session that must first change its one-time password reads public pages as
            // anyone does.
            .filter(|v| !v.must_change_password);
        Ok(MaybeViewer(viewer, lang))
    }
}

/// A 303 redirect after a successful form, with the message to show.
pub fn done(path: &str, ok: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}ok={ok}")).into_response()
}

/// A file to download: its bytes with their content type, saved under `file_name`.
pub fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A refused form's page: the page again, with the error, and status 422.
pub fn refused(page: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// Parses an optional date field (empty: none).
pub fn opt_date(field_name: &str, value: &str) -> Result<Option<NaiveDate>, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    ecoduty_domain::roster::parse_date(v)
        .map(Some)
        .map_err(|m| AppError::invalid(field_name, m))
}

/// Parses a required date field.
pub fn req_date(field_name: &str, value: &str) -> Result<NaiveDate, AppError> {
    opt_date(field_name, value)?
        .ok_or_else(|| AppError::invalid(field_name, "a date is required (YYYY-MM-DD)"))
}

/// The reason of a form, which must not be empty.
pub fn req_reason(value: &str) -> Result<String, AppError> {
    let r = value.trim();
    if r.is_empty() {
        Err(AppError::invalid(
            "reason",
            "give the reason for the change",
        ))
    } else {
        Ok(r.to_string())
    }
}
