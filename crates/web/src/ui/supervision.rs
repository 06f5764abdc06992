//! The other pages of the supervision loop, each over the same store queries as the API:
//! - the notifications inbox (its unread count is in the navigation), marking one read;
//! - inspections and one inspection with its findings;
//! - work plans, a plan with its tasks, and dispatch rounds with each unit's standing
//!   (reported, late, never reported, pending);
//! - Art. 15's register of checks with the planning form (a refusal shows its reason; users
//!   who may override get the override form with its justification), merge suggestions and
//!   the burden report;
//! - public complaints for the staff who handle them: the list, and a complaint with the forms
//!   to assign, answer and take it up as a finding.

use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{Datelike, NaiveDate};
use ecoduty_domain::access::Permission;
use ecoduty_domain::supervision::checks::CheckKind;
use ecoduty_domain::supervision::complaints::ComplaintStatus;
use ecoduty_domain::supervision::tasks::UnitReport;
use ecoduty_domain::supervision::Severity;
use ecoduty_domain::Region;
use ecoduty_store::supervision::checks::{Check, CheckFilter, CheckOverride, NewCheck};
use ecoduty_store::supervision::complaints::{Complaint, ComplaintFilter, Promotion};
use ecoduty_store::supervision::findings::FindingFilter;
use ecoduty_store::supervision::inspections::{Inspection, InspectionFilter};
use ecoduty_store::supervision::plans::{DispatchRound, PlanFilter, WorkPlan};
use ecoduty_store::supervision::PageRequest;
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::common::{list_scope, today};
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::complaint_form::{category_name, complaint_status_name};
use crate::ui::findings::status_chip;
use crate::ui::layout::{csrf_field, done, field, flash, notice, Fields, Shell};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    region: Option<String>,
    year: Option<i32>,
    before: Option<i64>,
    ok: Option<String>,
    /// The region whose units the page's unit fields offer.
    units_in: Option<String>,
}

/// The organisations a form may name: those of one region in the viewer's scope (the
/// viewer's own by default, another chosen with `units_in`) and of the regions directly under
/// it, grouped by region; with the way to that region from the viewer's and the regions under
/// it, to choose another.
pub struct UnitGroups {
    pub at: ecoduty_domain::Region,
    /// The regions from the viewer's (or the top, for a nationwide viewer) down to `at`'s
    /// parent.
    pub trail: Vec<ecoduty_domain::Region>,
    /// The regions directly under `at`.
    pub below: Vec<ecoduty_domain::Region>,
    pub groups: Vec<(String, Vec<ecoduty_store::organisations::Organisation>)>,
}

/// The units a form offers, for the region chosen (`units_in`; the viewer's own when absent).
/// `None` for a nationwide viewer who has chosen no region (they type an id, or choose a
/// region first). A region outside the viewer's scope is "not found": never offered.
pub async fn unit_groups(
    state: &AppState,
    viewer: &Viewer,
    units_in: Option<&str>,
) -> Result<Option<UnitGroups>, AppError> {
    let code = match units_in.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => match viewer.root() {
            Some(root) => root.to_string(),
            None => return Ok(None),
        },
    };
    let at = viewer.region(&state.store, &code).await?;
    let mut trail = Vec::new();
    let mut up = at.code.parent();
    while let Some(p) = up {
        if !viewer.reaches(&p) {
            break;
        }
        up = p.parent();
        if let Some(r) = state.store.region(&p).await? {
            trail.push(r);
        }
    }
    trail.reverse();
    let below = state.store.region_children(&at.code).await?;
    let mut groups = Vec::new();
    for r in std::iter::once(&at).chain(below.iter()) {
        let orgs = state.store.organisations_in(&r.code, false).await?;
        if !orgs.is_empty() {
            groups.push((format!("{} {}", r.name, r.code), orgs));
        }
    }
    Ok(Some(UnitGroups {
        at,
        trail,
        below,
        groups,
    }))
}

/// The regions a filter offers around the one chosen: those above it within the viewer's
/// scope, itself, and those directly under it. With none chosen: the viewer's region and those
/// under it, or the provinces for a nationwide viewer. A region outside the scope is "not
/// found". Choosing one and filtering again walks down the tree without typing a code.
pub struct RegionChoice {
    pub trail: Vec<Region>,
    pub at: Option<Region>,
    pub below: Vec<Region>,
}

pub async fn region_choice(
    state: &AppState,
    viewer: &Viewer,
    chosen: Option<&str>,
) -> Result<RegionChoice, AppError> {
    let code = match chosen.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(c.to_string()),
        None => viewer.root().map(|r| r.to_string()),
    };
    let Some(code) = code else {
        return Ok(RegionChoice {
            trail: Vec::new(),
            at: None,
            below: state.store.top_regions().await?,
        });
    };
    let at = viewer.region(&state.store, &code).await?;
    let trail = state
        .store
        .region_ancestors(&at.code)
        .await?
        .into_iter()
        .filter(|r| viewer.reaches(&r.code) && r.code != at.code)
        .collect();
    let below = state.store.region_children(&at.code).await?;
    Ok(RegionChoice {
        trail,
        at: Some(at),
        below,
    })
}

/// A select of a [`RegionChoice`] for a GET filter form: "any" (the whole scope) first, then
/// the regions above, the one chosen (selected when `chosen` names it), those under it.
pub fn region_select(
    lang: Lang,
    choice: &RegionChoice,
    id: &str,
    name: &str,
    chosen: &str,
) -> Markup {
    html! {
        select id=(id) name=(name) {
            option value="" selected[chosen.is_empty()] { (lang.pick("全部(管辖范围内)", "Any (your whole region)")) }
            @for r in &choice.trail {
                option value=(r.code) { (r.name) " " (r.code) }
            }
            @if let Some(r) = &choice.at {
                option value=(r.code) selected[chosen == r.code.as_str()] { (r.name) " " (r.code) }
            }
            @for r in &choice.below {
                option value=(r.code) { "— " (r.name) " " (r.code) }
            }
        }
    }
}

/// A form (GET, so it works without JavaScript) choosing the region whose units the page's
/// unit fields offer: the regions on the way down to the one shown and those under it. `path`
/// is the page's own; `keep` its other query parameters.
pub fn unit_region_picker(
    lang: Lang,
    units: &Option<UnitGroups>,
    path: &str,
    keep: &[(&str, String)],
) -> Markup {
    html! {
        form method="get" action=(path) class="inline-form unit-region" id="unit-region" {
            @for (k, v) in keep { @if !v.is_empty() { input type="hidden" name=(k) value=(v); } }
            @match units {
                Some(u) => {
                    (field("units-in", lang.pick("单位所在地区(可选管辖范围内任一地区)", "Units of the region (any region in your scope)"), html! {
                        select id="units-in" name="units_in" {
                            @for r in &u.trail {
                                option value=(r.code) { (r.name) " " (r.code) }
                            }
                            option value=(u.at.code) selected { (u.at.name) " " (u.at.code) }
                            @for r in &u.below {
                                option value=(r.code) { "— " (r.name) " " (r.code) }
                            }
                        }
                    }))
                }
                None => {
                    (field("units-in", lang.pick("单位所在地区代码", "Region code of the units"), html! {
                        input id="units-in" name="units_in" type="text" inputmode="numeric" maxlength="12";
                    }))
                }
            }
            button type="submit" id="units-in-show" { (lang.pick("列出该地区的单位", "List the region's units")) }
        }
    }
}

/// A field naming one organisation (or several): a select grouped by region, or a number
/// input for a nationwide viewer who has chosen no region.
pub fn unit_field(
    lang: Lang,
    units: &Option<UnitGroups>,
    id: &str,
    name: &str,
    label: &str,
    selected: &str,
    multiple: bool,
) -> Markup {
    field(
        id,
        label,
        html! {
            @match units {
                Some(u) => {
                    select id=(id) name=(name) required multiple[multiple] size=[multiple.then_some(6)] {
                        @if !multiple { option value="" { (lang.pick("请选择", "Choose")) } }
                        @for (region, orgs) in &u.groups {
                            optgroup label=(region) {
                                @for o in orgs {
                                    option value=(o.id) selected[selected == o.id.to_string()] { (o.name) " (#" (o.id) ")" }
                                }
                            }
                        }
                    }
                }
                None => {
                    input id=(id) name=(name) type="text" required inputmode="numeric" value=(selected)
                        placeholder=(lang.pick("机构编号", "organisation id"));
                }
            }
        },
    )
}

/// The hidden field that keeps the region of the unit fields when a form is sent back.
pub fn units_in_field(units: &Option<UnitGroups>) -> Markup {
    html! {
        @if let Some(u) = units { input type="hidden" name="units_in" value=(u.at.code); }
    }
}

fn crumbs(lang: Lang, parent: (&str, &str), here: &str) -> Markup {
    html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href=(parent.0) { (parent.1) } } li aria-current="page" { (here) } }
        }
    }
}

fn next_link(lang: Lang, base: &str, next: Option<i64>) -> Markup {
    html! {
        @if let Some(b) = next {
            p { a rel="next" href=(format!("{base}{}before={b}", if base.contains('?') { "&" } else { "?" })) { (lang.pick("下一页", "Next page")) } }
        }
    }
}

// ---------------------------------------------------------------- notifications

/// GET /notifications
pub async fn notifications(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let page = state
        .store
        .notifications_for_user(
            viewer.user.id,
            false,
            PageRequest {
                before: q.before,
                limit: 50,
            },
        )
        .await?;
    let title = lang.pick("通知", "Notifications");
    let body = html! {
        h1 { (title) }
        (flash(lang, q.ok.as_deref()))
        p class="muted" { (viewer.unread) " " (lang.pick("条未读", "unread")) }
        @if page.items.is_empty() {
            p class="muted" { (lang.pick("没有通知。", "No notifications.")) }
        } @else {
            div class="table-wrap" {
                table id="notifications" {
                    thead { tr {
                        th scope="col" { (lang.pick("日期", "Day")) }
                        th scope="col" { (lang.pick("事项", "About")) }
                        th scope="col" { (lang.pick("内容", "Notice")) }
                        th scope="col" {}
                    } }
                    tbody {
                        @for n in &page.items {
                            tr class=[n.read_at.is_none().then_some("unread")] {
                                td { (n.on_day) }
                                td {
                                    @let href = match n.item_kind {
                                        ecoduty_domain::supervision::ItemKind::Finding => format!("/findings/{}", n.item_id),
                                        ecoduty_domain::supervision::ItemKind::Task => format!("/tasks/{}", n.item_id),
                                        ecoduty_domain::supervision::ItemKind::Complaint => format!("/complaints/{}", n.item_id),
                                        ecoduty_domain::supervision::ItemKind::DispatchRound => format!("/dispatch-rounds/{}", n.item_id),
                                        ecoduty_domain::supervision::ItemKind::Emergency => format!("/emergencies/{}", n.item_id),
                                        ecoduty_domain::supervision::ItemKind::RiskReport => "/risk-sources#risk-reports".to_string(),
                                        ecoduty_domain::supervision::ItemKind::Chief => format!("/chiefs/{}", n.item_id),
                                    };
                                    a href=(href) { (n.title) }
                                }
                                td { (n.body) }
                                td {
                                    @if n.read_at.is_none() {
                                        form method="post" action=(format!("/notifications/{}/read", n.id)) class="inline" {
                                            (csrf_field(&viewer))
                                            button type="submit" { (lang.pick("标为已读", "Mark read")) }
                                        }
                                    } @else { span class="muted" { (lang.pick("已读", "read")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (next_link(lang, "/notifications", page.next_before))
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(title, body))
}

/// POST /notifications/{id}/read
pub async fn mark_read(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    let now = crate::auth::viewer::timestamp(chrono::Utc::now());
    state
        .store
        .mark_notification_read(viewer.user.id, id, &now)
        .await?;
    Ok(axum::response::Redirect::to("/notifications").into_response())
}

// ---------------------------------------------------------------- inspections

fn level_name(lang: Lang, l: ecoduty_domain::supervision::InspectionLevel) -> &'static str {
    use ecoduty_domain::supervision::InspectionLevel::*;
    lang.pick(
        l.name_zh(),
        match l {
            Central => "Central",
            Provincial => "Provincial",
            Municipal => "Municipal",
        },
    )
}

fn kind_name(lang: Lang, k: ecoduty_domain::supervision::InspectionKind) -> &'static str {
    use ecoduty_domain::supervision::InspectionKind::*;
    lang.pick(
        k.name_zh(),
        match k {
            Routine => "Routine",
            Special => "Special",
            FollowUp => "Follow-up (回头看)",
        },
    )
}

/// GET /inspections
pub async fn inspections(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    inspections_page(&state, &viewer, &q, &uri.to_string(), None, None).await
}

async fn inspections_page(
    state: &AppState,
    viewer: &Viewer,
    q: &ListQuery,
    here: &str,
    sent: Option<&Fields>,
    message: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let filter = InspectionFilter {
        within: list_scope(state, viewer, q.region.as_deref()).await?,
        ..InspectionFilter::default()
    };
    let page = state
        .store
        .inspections_page(
            &filter,
            PageRequest {
                before: q.before,
                limit: 50,
            },
        )
        .await?;
    let title = lang.pick("督察", "Inspections");
    let v = |k: &str| sent.map(|f| f.get(k).to_string()).unwrap_or_default();
    let body = html! {
        h1 { (title) }
        @if let Some(m) = message { (m) }
        @if viewer.can(Permission::Inspect) {
            details class="card" id="new-inspection" open[sent.is_some()] {
                summary { (lang.pick("登记督察", "Record an inspection")) }
                form method="post" action="/inspections" {
                    (csrf_field(viewer))
                    (field("insp-title", lang.pick("名称", "Title"), html! { input id="insp-title" name="title" type="text" required maxlength="200" value=(v("title")); }))
                    (field("insp-level", lang.pick("层级", "Level"), html! { select id="insp-level" name="level" {
                        @for l in ecoduty_domain::supervision::InspectionLevel::ALL { option value=(l.key()) selected[v("level") == l.key()] { (level_name(lang, *l)) } } } }))
                    (field("insp-kind", lang.pick("类型", "Kind"), html! { select id="insp-kind" name="kind" {
                        @for k in ecoduty_domain::supervision::InspectionKind::ALL { option value=(k.key()) selected[v("kind") == k.key()] { (kind_name(lang, *k)) } } } }))
                    (field("insp-regions", lang.pick("被督察地区(区划代码,逗号分隔)", "Regions inspected (codes, comma-separated)"), html! { input id="insp-regions" name="regions" type="text" required value=(v("regions")); }))
                    (field("insp-start", lang.pick("开始日期", "From"), html! { input id="insp-start" name="start_date" type="date" required value=(v("start_date")); }))
                    (field("insp-end", lang.pick("结束日期", "To"), html! { input id="insp-end" name="end_date" type="date" required value=(v("end_date")); }))
                    (field("insp-team", lang.pick("督察组", "Team"), html! { input id="insp-team" name="team" type="text" maxlength="500" value=(v("team")); }))
                    button type="submit" class="primary" { (lang.pick("登记", "Record")) }
                }
            }
        }
        @if page.items.is_empty() {
            p class="muted" { (lang.pick("没有督察记录。", "No inspections.")) }
        } @else {
            div class="table-wrap" {
                table id="inspections" {
                    thead { tr {
                        th scope="col" { (lang.pick("名称", "Title")) }
                        th scope="col" { (lang.pick("层级 / 类型", "Level / kind")) }
                        th scope="col" { (lang.pick("地区", "Regions")) }
                        th scope="col" { (lang.pick("日期", "Dates")) }
                    } }
                    tbody {
                        @for i in &page.items {
                            tr {
                                td { a href=(format!("/inspections/{}", i.id)) { (i.title) } }
                                td { (level_name(lang, i.level)) " / " (kind_name(lang, i.kind)) }
                                td { @for (n, r) in i.regions.iter().enumerate() { @if n > 0 { "、" } (r) } }
                                td { (i.start_date) " – " (i.end_date) }
                            }
                        }
                    }
                }
            }
        }
        (next_link(lang, "/inspections", page.next_before))
    };
    Ok(Shell::of(viewer, here).page(title, body))
}

/// POST /inspections: an inspection recorded.
pub async fn create_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::Inspect)?;
    let result = async {
        let title = crate::api::common::required_text("title", f.get("title"), 200)?;
        let team = crate::api::common::optional_text("team", f.get("team"), 500)?;
        let level = f
            .get("level")
            .parse()
            .map_err(|e: String| AppError::invalid("level", e))?;
        let kind = f
            .get("kind")
            .parse()
            .map_err(|e: String| AppError::invalid("kind", e))?;
        let mut regions = Vec::new();
        for code in f
            .get("regions")
            .split([',', ',', ' ', '、'])
            .filter(|c| !c.trim().is_empty())
        {
            regions.push(
                crate::api::plans::region_in_body(&state, &viewer, "regions", code.trim()).await?,
            );
        }
        if regions.is_empty() {
            return Err(AppError::invalid(
                "regions",
                "name at least one region inspected",
            ));
        }
        let start_date = crate::ui::layout::req_date("start_date", f.get("start_date"))?;
        let end_date = crate::ui::layout::req_date("end_date", f.get("end_date"))?;
        if end_date < start_date {
            return Err(AppError::invalid(
                "end_date",
                "the end date is before the start date",
            ));
        }
        let reason = format!("record inspection {title}");
        state
            .store
            .create_inspection(
                &viewer.change(reason),
                ecoduty_store::supervision::inspections::NewInspection {
                    level,
                    kind,
                    title,
                    regions,
                    start_date,
                    end_date,
                    team,
                },
            )
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(i) => Ok(done(&format!("/inspections/{}", i.id), "saved")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let message = notice(
                "error",
                html! { strong { (viewer.lang.pick("未能登记", "Not recorded")) } ": " (e.public_message()) },
            );
            let page = inspections_page(
                &state,
                &viewer,
                &ListQuery::default(),
                &uri.to_string(),
                Some(&f),
                Some(message),
            )
            .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// GET /inspections/{id}
pub async fn inspection(
    State(state): State<AppState>,
    Scoped(i, viewer): Scoped<Inspection>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let filter = FindingFilter {
        within: viewer.root().cloned(),
        inspection_id: Some(i.id),
        ..FindingFilter::default()
    };
    let findings = state
        .store
        .findings_page(&filter, PageRequest::first(PageRequest::MAX_LIMIT))
        .await?
        .items;
    let body = html! {
        (crumbs(lang, ("/inspections", lang.pick("督察", "Inspections")), &i.title))
        h1 { (i.title) }
        dl class="facts" {
            dt { (lang.pick("层级 / 类型", "Level / kind")) } dd { (level_name(lang, i.level)) " / " (kind_name(lang, i.kind)) }
            dt { (lang.pick("地区", "Regions")) } dd { @for (n, r) in i.regions.iter().enumerate() { @if n > 0 { "、" } a href=(format!("/regions/{r}")) { (r) } } }
            dt { (lang.pick("日期", "Dates")) } dd { (i.start_date) " – " (i.end_date) }
            @if !i.team.is_empty() { dt { (lang.pick("督察组", "Team")) } dd { (i.team) } }
        }
        h2 { (lang.pick("发现的问题", "Findings")) " (" (findings.len()) ")" }
        @if findings.is_empty() { p class="muted" { (lang.pick("您的地区内没有此次督察发现的问题。", "No findings of this inspection in your region.")) } }
        @else {
            ul { @for f in &findings { li { a href=(format!("/findings/{}", f.id)) { "#" (f.id) " " (f.text) } " " (status_chip(lang, f)) } } }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&i.title, body))
}

// ---------------------------------------------------------------- plans

fn task_status_name(lang: Lang, s: ecoduty_domain::supervision::tasks::TaskStatus) -> &'static str {
    use ecoduty_domain::supervision::tasks::TaskStatus::*;
    lang.pick(
        s.name_zh(),
        match s {
            NotStarted => "Not started",
            InProgress => "In progress",
            Completed => "Completed",
            Cancelled => "Cancelled",
        },
    )
}

fn check_status_name(
    lang: Lang,
    s: ecoduty_domain::supervision::checks::CheckStatus,
) -> &'static str {
    use ecoduty_domain::supervision::checks::CheckStatus::*;
    lang.pick(
        s.name_zh(),
        match s {
            Planned => "Planned",
            Done => "Done",
            Cancelled => "Cancelled",
        },
    )
}

fn channel_name(lang: Lang, c: ecoduty_domain::supervision::complaints::Channel) -> &'static str {
    use ecoduty_domain::supervision::complaints::Channel::*;
    lang.pick(
        c.name_zh(),
        match c {
            Web => "Web form",
            Phone => "Phone",
            Letter => "Letter",
            Visit => "Visit",
        },
    )
}

fn unit_report_name(lang: Lang, r: UnitReport) -> &'static str {
    lang.pick(
        r.name_zh(),
        match r {
            UnitReport::Reported => "Reported on time",
            UnitReport::Late => "Late",
            UnitReport::Missing => "Never reported",
            UnitReport::Pending => "Pending",
        },
    )
}

/// GET /plans: work plans and dispatch rounds.
pub async fn plans(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let message =
        q.ok.as_deref()
            .map(|_| notice("ok", html! { (viewer.lang.pick("已保存。", "Saved.")) }));
    plans_page(&state, &viewer, &q, &uri.to_string(), message).await
}

async fn plans_page(
    state: &AppState,
    viewer: &Viewer,
    q: &ListQuery,
    here: &str,
    message: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = list_scope(state, viewer, q.region.as_deref()).await?;
    let filter = PlanFilter {
        within: within.clone(),
        year: crate::api::common::year_param("year", q.year)?,
    };
    let plans = state
        .store
        .plans_page(
            &filter,
            PageRequest {
                before: q.before,
                limit: 50,
            },
        )
        .await?;
    let rounds = state
        .store
        .dispatch_rounds_page(within.as_ref(), PageRequest::first(20))
        .await?;
    let title = lang.pick("工作计划与调度", "Work plans and dispatch");
    let region_default = viewer.root().map(|c| c.to_string()).unwrap_or_default();
    let year_default = today().year().to_string();
    let body = html! {
        h1 { (title) }
        @if let Some(m) = message { (m) }
        @if viewer.can(Permission::PlanWork) {
            div class="steps" {
                form method="post" action="/plans" class="card" id="new-plan" {
                    (csrf_field(viewer))
                    h3 { (lang.pick("新建年度计划", "New annual plan")) }
                    (field("plan-region", lang.pick("地区代码", "Region code"), html! { input id="plan-region" name="region_code" type="text" required maxlength="12" value=(region_default); }))
                    (field("plan-year", lang.pick("年度", "Year"), html! { input id="plan-year" name="year" type="number" min="2000" max="2100" required value=(year_default); }))
                    (field("plan-title", lang.pick("名称", "Title"), html! { input id="plan-title" name="title" type="text" required maxlength="200"; }))
                    button type="submit" class="primary" { (lang.pick("新建", "Create")) }
                }
                form method="post" action="/dispatch-rounds" class="card" id="new-round" {
                    (csrf_field(viewer))
                    h3 { (lang.pick("发起调度", "Open a dispatch round")) }
                    (field("round-region", lang.pick("地区代码", "Region code"), html! { input id="round-region" name="region_code" type="text" required maxlength="12" value=(region_default); }))
                    (field("round-title", lang.pick("名称", "Title"), html! { input id="round-title" name="title" type="text" required maxlength="200"; }))
                    (field("round-due", lang.pick("报送截止", "Reports due by"), html! { input id="round-due" name="due_date" type="date" required; }))
                    button type="submit" class="primary" { (lang.pick("发起", "Open")) }
                }
            }
        }
        h2 { (lang.pick("年度重点工作计划", "Annual key work plans")) }
        @if plans.items.is_empty() { p class="muted" { (lang.pick("没有工作计划。", "No work plans.")) } }
        @else {
            ul id="plans" { @for p in &plans.items { li { a href=(format!("/plans/{}", p.id)) { (p.year) " · " (p.title) } " " small class="muted" { (p.region_code) } } } }
        }
        (next_link(lang, "/plans", plans.next_before))
        h2 { (lang.pick("调度", "Dispatch rounds")) }
        @if rounds.items.is_empty() { p class="muted" { (lang.pick("没有调度。", "No dispatch rounds.")) } }
        @else {
            ul id="rounds" { @for r in &rounds.items { li { a href=(format!("/dispatch-rounds/{}", r.id)) { (r.title) } " · " (lang.pick("报送截止", "due")) " " (r.due_date) @if r.closed { " · " span class="muted" { (lang.pick("已结束", "closed")) } } } } }
        }
    };
    Ok(Shell::of(viewer, here).page(title, body))
}

/// A refused form of the plans page: the page again with the reason, 422.
async fn plans_refused(
    state: &AppState,
    viewer: &Viewer,
    here: &str,
    e: AppError,
) -> PageResult<Response> {
    match e {
        AppError::Invalid { .. } | AppError::Conflict(_) => {
            let message = notice(
                "error",
                html! { strong { (viewer.lang.pick("未能保存", "Not saved")) } ": " (e.public_message()) },
            );
            let page =
                plans_page(state, viewer, &ListQuery::default(), here, Some(message)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        other => Err(other),
    }
}

/// POST /plans: a new annual key work plan.
pub async fn create_plan(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::PlanWork)?;
    let result = async {
        let region = crate::api::plans::region_in_body(
            &state,
            &viewer,
            "region_code",
            f.get("region_code").trim(),
        )
        .await?;
        let year: i32 = f
            .get("year")
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::invalid("year", "a year between 2000 and 2100"))?;
        let title = crate::api::common::required_text("title", f.get("title"), 200)?;
        let reason = format!("work plan {year} {title}");
        state
            .store
            .create_plan(
                &viewer.change(reason),
                ecoduty_store::supervision::plans::NewPlan {
                    region_code: region,
                    year,
                    title,
                },
            )
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(plan) => Ok(done(&format!("/plans/{}", plan.id), "saved")),
        Err(e) => plans_refused(&state, &viewer, &uri.to_string(), e).await,
    }
}

/// POST /dispatch-rounds: a dispatch round opened today.
pub async fn open_round(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::PlanWork)?;
    let result = async {
        let region = crate::api::plans::region_in_body(
            &state,
            &viewer,
            "region_code",
            f.get("region_code").trim(),
        )
        .await?;
        let title = crate::api::common::required_text("title", f.get("title"), 200)?;
        let due_date = crate::ui::layout::req_date("due_date", f.get("due_date"))?;
        let reason = format!("dispatch round {title}");
        state
            .store
            .open_dispatch_round(
                &viewer.change(reason),
                ecoduty_store::supervision::plans::NewRound {
                    region_code: region,
                    title,
                    opened_on: today(),
                    due_date,
                    year: None,
                },
            )
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(round) => Ok(done(&format!("/dispatch-rounds/{}", round.id), "saved")),
        Err(e) => plans_refused(&state, &viewer, &uri.to_string(), e).await,
    }
}

/// POST /plans/{id}/tasks: a task added to a plan.
pub async fn add_task(
    State(state): State<AppState>,
    Scoped(plan, viewer): Scoped<WorkPlan>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::PlanWork)?;
    let here = format!("/plans/{}", plan.id);
    let result = async {
        let title = crate::api::common::required_text("title", f.get("title"), 500)?;
        let basis = ecoduty_domain::supervision::tasks::Basis::parse(f.get("basis"))
            .map_err(|m| AppError::invalid("basis", m))?;
        let lead: i64 = f
            .get("lead")
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("lead", "choose the lead unit"))?;
        viewer.organisation(&state.store, lead).await.map_err(|_| {
            AppError::invalid("lead", format!("no organisation {lead} in your region"))
        })?;
        let deadline = crate::ui::layout::req_date("deadline", f.get("deadline"))?;
        let reason = format!("task of plan {}: {title}", plan.id);
        state
            .store
            .add_task(
                &viewer.change(reason),
                ecoduty_store::supervision::plans::NewTask {
                    plan_id: plan.id,
                    title,
                    basis,
                    lead_organisation_id: lead,
                    responsible_post_id: None,
                    cooperating: vec![],
                    deadline,
                    milestones: vec![],
                },
            )
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(done(&format!("/plans/{}", plan.id), "saved")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let message = notice(
                "error",
                html! { strong { (viewer.lang.pick("未能保存", "Not saved")) } ": " (e.public_message()) },
            );
            let page = plan_page(
                &state,
                &viewer,
                plan,
                &here,
                Some(message),
                Some(f.get("units_in")),
            )
            .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// GET /plans/{id}
pub async fn plan(
    State(state): State<AppState>,
    Scoped(plan, viewer): Scoped<WorkPlan>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    let message =
        q.ok.as_deref()
            .map(|_| notice("ok", html! { (viewer.lang.pick("已保存。", "Saved.")) }));
    plan_page(
        &state,
        &viewer,
        plan,
        &uri.to_string(),
        message,
        q.units_in.as_deref(),
    )
    .await
}

async fn plan_page(
    state: &AppState,
    viewer: &Viewer,
    plan: WorkPlan,
    here: &str,
    message: Option<Markup>,
    units_in: Option<&str>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let tasks = crate::api::plans::plan_tasks(state, viewer, plan.id).await?;
    let units = if viewer.can(Permission::PlanWork) {
        unit_groups(state, viewer, units_in).await?
    } else {
        None
    };
    let title = format!("{} {}", plan.year, plan.title);
    let body = html! {
        (crumbs(lang, ("/plans", lang.pick("工作计划", "Work plans")), &title))
        h1 { (title) }
        @if let Some(m) = message { (m) }
        div class="table-wrap" {
            table id="tasks" {
                thead { tr {
                    th scope="col" { (lang.pick("任务", "Task")) }
                    th scope="col" { (lang.pick("依据", "Basis")) }
                    th scope="col" { (lang.pick("完成时限", "Deadline")) }
                    th scope="col" { (lang.pick("进度", "Progress")) }
                    th scope="col" { (lang.pick("状态", "Status")) }
                } }
                tbody {
                    @for t in &tasks {
                        tr {
                            td { a href=(format!("/tasks/{}", t.id)) { (t.title) } }
                            td { (t.basis.display()) }
                            td { (t.deadline) @if t.overdue_since.is_some() { " " span class="status overdue" { (lang.pick("逾期", "Overdue")) } } }
                            td { (t.percent) "%" }
                            td { span class="status" { (task_status_name(lang, t.status)) } }
                        }
                    }
                }
            }
        }
        @if viewer.can(Permission::PlanWork) {
            (unit_region_picker(lang, &units, &format!("/plans/{}", plan.id), &[]))
            form method="post" action=(format!("/plans/{}/tasks", plan.id)) class="card" id="new-task" {
                (csrf_field(viewer))
                (units_in_field(&units))
                h3 { (lang.pick("添加任务", "Add a task")) }
                (field("task-title", lang.pick("任务", "Task"), html! { input id="task-title" name="title" type="text" required maxlength="500"; }))
                (field("task-basis", lang.pick("依据(如 第八条第二项、指标:KEY、问题:ID 或文件名称)", "Basis (e.g. 第八条第二项, indicator:KEY, finding:ID, or a document)"), html! { input id="task-basis" name="basis" type="text" required maxlength="200"; }))
                (unit_field(lang, &units, "task-lead", "lead", lang.pick("牵头单位", "Lead unit"), "", false))
                (field("task-deadline", lang.pick("完成时限", "Deadline"), html! { input id="task-deadline" name="deadline" type="date" required; }))
                button type="submit" class="primary" { (lang.pick("添加", "Add")) }
            }
        }
    };
    Ok(Shell::of(viewer, here).page(&title, body))
}

/// GET /tasks/{id}
pub async fn task(
    State(state): State<AppState>,
    Scoped(task, viewer): Scoped<ecoduty_store::supervision::plans::Task>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    let message = q.ok.as_deref().map(|_| {
        notice(
            "ok",
            html! { (viewer.lang.pick("进展已报送。", "Progress reported.")) },
        )
    });
    task_page(&state, &viewer, task, &uri.to_string(), message).await
}

async fn task_page(
    state: &AppState,
    viewer: &Viewer,
    task: ecoduty_store::supervision::plans::Task,
    here: &str,
    message: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let reports = state.store.progress_reports(task.id).await?;
    let lead = state.store.organisation(task.lead_organisation_id).await?;
    let body = html! {
        (crumbs(lang, (&format!("/plans/{}", task.plan_id), lang.pick("工作计划", "Work plan")), &task.title))
        h1 { (task.title) }
        dl class="facts" {
            dt { (lang.pick("依据", "Basis")) } dd { (task.basis.display()) }
            dt { (lang.pick("牵头单位", "Lead unit")) } dd { (lead.map(|o| o.name).unwrap_or_default()) }
            dt { (lang.pick("完成时限", "Deadline")) } dd { (task.deadline) }
            dt { (lang.pick("进度", "Progress")) } dd { (task.percent) "% · " (task_status_name(lang, task.status)) }
            @if !task.milestones.is_empty() {
                dt { (lang.pick("节点", "Milestones")) } dd { @for m in &task.milestones { (m.due) " " (m.title) br; } }
            }
        }
        h2 { (lang.pick("进展报送", "Progress reports")) }
        @if let Some(m) = message { (m) }
        @if reports.is_empty() { p class="muted" { (lang.pick("尚未报送。", "None yet.")) } }
        @else {
            ol class="history" id="progress-reports" { @for r in &reports { li { strong { (r.reported_on) } " · " (r.percent) "% · " (r.reporter) br; (r.text)
                @for e in &r.evidence { br; a href=(format!("/evidence/{}", e.sha256)) { (e.name) } } } } }
        }
        @if viewer.can(Permission::Rectify) && task.status.is_open() {
            form method="post" action=(format!("/tasks/{}/progress", task.id)) enctype="multipart/form-data" class="card" id="progress-form" {
                (csrf_field(viewer))
                h3 { (lang.pick("报送进展", "Report progress")) }
                (field("progress-text", lang.pick("进展情况", "What was done"), html! {
                    textarea id="progress-text" name="text" rows="3" required maxlength="5000" {}
                }))
                (field("progress-percent", lang.pick("完成比例(%)", "Percent done"), html! {
                    input id="progress-percent" name="percent" type="number" min="0" max="100" required value=(task.percent);
                }))
                (field("progress-evidence", lang.pick("佐证材料(选填)", "Evidence files (optional)"), html! {
                    input id="progress-evidence" name="evidence" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.doc,.xls,.txt,.csv";
                }))
                button type="submit" class="primary" { (lang.pick("报送", "Report")) }
            }
        }
    };
    Ok(Shell::of(viewer, here).page(&task.title, body))
}

/// POST /tasks/{id}/progress (a multipart form with optional evidence files).
pub async fn report_progress(
    State(state): State<AppState>,
    Scoped(task, viewer): Scoped<ecoduty_store::supervision::plans::Task>,
    OriginalUri(uri): OriginalUri,
    request: axum::extract::Request,
) -> PageResult<Response> {
    // The role is checked before the upload is read.
    viewer.require(Permission::Rectify)?;
    let multipart =
        <axum::extract::Multipart as axum::extract::FromRequest<AppState>>::from_request(
            request, &state,
        )
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = crate::ui::upload::read(multipart)
        .await
        .map_err(|e| match e {
            crate::ui::upload::ReadError::TooLarge => crate::api::evidence::over_limit(&state),
            other => other.into(),
        })?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let result = async {
        let text = crate::api::common::required_text("text", form.fields.get("text"), 5000)?;
        let percent: u8 = form
            .fields
            .get("percent")
            .trim()
            .parse()
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| AppError::invalid("percent", "a whole number from 0 to 100"))?;
        let mut evidence = Vec::new();
        for file in form.files.iter().filter(|f| f.field == "evidence") {
            let stored = crate::api::evidence::store_file(
                &state,
                &viewer.change(format!("evidence for task {}", task.id)),
                &file.file_name,
                &file.bytes,
            )
            .await?;
            evidence.push(stored.reference);
        }
        state
            .store
            .report_progress(
                &viewer.change(format!("progress on task {}", task.id)),
                ecoduty_store::supervision::plans::NewProgress {
                    task_id: task.id,
                    organisation_id: None,
                    round_id: None,
                    reported_on: today(),
                    text,
                    percent,
                    evidence,
                },
            )
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(done(&format!("/tasks/{}", task.id), "progress")),
        Err(
            e @ (AppError::Invalid { .. }
            | AppError::Conflict(_)
            | AppError::FileTooLarge(_)
            | AppError::UnsupportedType(_)),
        ) => {
            let status = e.status();
            let message = notice("error", html! { (e.public_message()) });
            let page = task_page(&state, &viewer, task, &uri.to_string(), Some(message)).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// GET /dispatch-rounds/{id}
pub async fn round(
    State(state): State<AppState>,
    Scoped(round, viewer): Scoped<DispatchRound>,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let status = state.store.dispatch_round_status(round.id, today()).await?;
    let body = html! {
        (crumbs(lang, ("/plans", lang.pick("调度", "Dispatch")), &round.title))
        h1 { (round.title) @if round.closed { " " small class="status closed" { (lang.pick("已结束", "closed")) } } }
        (flash(lang, q.ok.as_deref()))
        p { (lang.pick("报送截止", "Reports due by")) " " (round.due_date) " · "
            (lang.pick("按时", "on time")) " " (status.count(UnitReport::Reported)) " · "
            (lang.pick("逾期", "late")) " " (status.count(UnitReport::Late)) " · "
            (lang.pick("未报送", "never")) " " (status.count(UnitReport::Missing)) " · "
            (lang.pick("待报送", "pending")) " " (status.count(UnitReport::Pending)) }
        div class="table-wrap" {
            table id="round-units" {
                thead { tr {
                    th scope="col" { (lang.pick("单位", "Unit")) }
                    th scope="col" { (lang.pick("任务", "Tasks")) }
                    th scope="col" { (lang.pick("报送", "Reports")) }
                    th scope="col" { (lang.pick("状态", "Status")) }
                } }
                tbody {
                    @for u in &status.units {
                        tr {
                            td { (u.organisation_name) " " small class="muted" { (u.region_code) } }
                            td { @for t in &u.tasks { a href=(format!("/tasks/{t}")) { "#" (t) } " " } }
                            td { @for (t, d) in &u.reports { "#" (t) " " (d) br; } }
                            td { span class=(format!("status {}", u.status.key())) { (unit_report_name(lang, u.status)) } }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        (body)
        @if !round.closed && viewer.can(Permission::PlanWork) {
            form method="post" action=(format!("/dispatch-rounds/{}/close", round.id)) class="card" id="close-round" {
                h2 { (lang.pick("结束本轮调度", "Close this round")) }
                p class="muted" { (lang.pick("结束后，本轮的报送情况即为定稿：按时、逾期、未报送。", "Once closed, the round's record is final: on time, late, never reported.")) }
                (csrf_field(&viewer))
                (crate::ui::layout::reason_field(lang, "close-reason", ""))
                button type="submit" { (lang.pick("结束调度", "Close the round")) }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&round.title, body))
}

/// POST /dispatch-rounds/{id}/close: the round ends, with the reason in the ledger.
pub async fn close_round(
    State(state): State<AppState>,
    Scoped(round, viewer): Scoped<DispatchRound>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::PlanWork)?;
    let reason = crate::api::common::required_text("reason", f.get("reason"), 500)?;
    state
        .store
        .close_dispatch_round(&viewer.change(reason), round.id)
        .await?;
    Ok(done(&format!("/dispatch-rounds/{}", round.id), "saved"))
}

// ---------------------------------------------------------------- checks

fn check_kind_name(lang: Lang, k: CheckKind) -> &'static str {
    lang.pick(
        k.name_zh(),
        match k {
            CheckKind::Inspection => "Inspection",
            CheckKind::Assessment => "Assessment",
            CheckKind::Survey => "Survey",
            CheckKind::Audit => "Audit",
            CheckKind::Other => "Other",
        },
    )
}

async fn checks_page(
    state: &AppState,
    viewer: &Viewer,
    q: &ListQuery,
    here: &str,
    sent: Option<&Fields>,
    message: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = list_scope(state, viewer, q.region.as_deref()).await?;
    let year = crate::api::common::year_param("year", q.year)?.unwrap_or_else(|| today().year());
    let checks = state
        .store
        .checks_page(
            &CheckFilter {
                within: within.clone(),
                year: Some(year),
                ..CheckFilter::default()
            },
            PageRequest {
                before: q.before,
                limit: 100,
            },
        )
        .await?;
    let merges = state
        .store
        .check_merge_suggestions(within.as_ref(), year)
        .await?;
    let burden = state.store.check_burden(within.as_ref(), year).await?;
    let mut names = std::collections::HashMap::new();
    for c in &checks.items {
        for id in [c.by_organisation_id, c.on_organisation_id] {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
                e.insert(
                    state
                        .store
                        .organisation(id)
                        .await?
                        .map(|o| o.name)
                        .unwrap_or_else(|| format!("#{id}")),
                );
            }
        }
    }
    let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let v = |k: &str| sent.map(|f| f.get(k).to_string()).unwrap_or_default();
    let units_in = sent
        .map(|f| f.get("units_in").to_string())
        .or_else(|| q.units_in.clone());
    let units = if viewer.can(Permission::PlanChecks) {
        unit_groups(state, viewer, units_in.as_deref()).await?
    } else {
        None
    };
    let title = lang.pick("监督检查登记(第十五条)", "Register of checks (Art. 15)");
    let body = html! {
        h1 { (title) }
        p class="muted" { (lang.pick("统筹规范督查检查考核,严格控制总量和频次,能合并的合并。", "Checks are limited in number and frequency, and merged where they can be.")) " " (year) }
        (flash(lang, q.ok.as_deref()))
        @if let Some(m) = message { (m) }
        @if viewer.can(Permission::PlanChecks) {
            (unit_region_picker(lang, &units, "/checks", &[
                ("region", q.region.clone().unwrap_or_default()),
                ("year", q.year.map(|y| y.to_string()).unwrap_or_default()),
            ]))
            form method="post" action="/checks" class="card" id="check-form" {
                (csrf_field(viewer))
                (units_in_field(&units))
                h2 { (lang.pick("登记检查计划", "Plan a check")) }
                (unit_field(lang, &units, "check-by", "by", lang.pick("检查机关", "Checking body"), &v("by"), false))
                (unit_field(lang, &units, "check-on", "on", lang.pick("被检查单位", "Unit checked"), &v("on"), false))
                (field("check-kind", lang.pick("类型", "Kind"), html! {
                    select id="check-kind" name="kind" { @for k in CheckKind::ALL { option value=(k.key()) selected[v("kind") == k.key()] { (check_kind_name(lang, *k)) } } }
                }))
                (field("check-subject", lang.pick("事项", "Subject"), html! {
                    input id="check-subject" name="subject" type="text" required maxlength="500" value=(v("subject"));
                }))
                (field("check-date", lang.pick("日期", "Date"), html! {
                    input id="check-date" name="date" type="date" required value=(v("date"));
                }))
                @if viewer.can(Permission::OverrideCheckLimits) {
                    (field("check-justification", lang.pick("超限登记理由(仅在超出限额确需开展时填写)", "Justification to plan beyond the limits (only when it must go ahead)"), html! {
                        textarea id="check-justification" name="justification" rows="2" maxlength="2000" { (v("justification")) }
                    }))
                }
                button type="submit" class="primary" { (lang.pick("登记", "Register")) }
            }
        }
        h2 { (lang.pick("已登记的检查", "Registered checks")) }
        @if checks.items.is_empty() { p class="muted" { (lang.pick("没有登记的检查。", "No checks registered.")) } }
        @else {
            div class="table-wrap" { table id="checks" {
                thead { tr {
                    th scope="col" { "#" } th scope="col" { (lang.pick("日期", "Date")) }
                    th scope="col" { (lang.pick("检查机关", "By")) } th scope="col" { (lang.pick("被检查单位", "On")) }
                    th scope="col" { (lang.pick("事项", "Subject")) } th scope="col" { (lang.pick("状态", "Status")) }
                    th scope="col" { (lang.pick("超限登记", "Override")) }
                } }
                tbody { @for c in &checks.items { (check_row(viewer, c, &name)) } }
            } }
        }
        h2 { (lang.pick("可合并的检查", "Checks to merge")) }
        @if merges.is_empty() { p class="muted" { (lang.pick("无。", "None.")) } }
        @else { ul id="merges" { @for m in &merges { li { (m.unit.name) ": #" (m.first.id) " (" (m.first.date) ") + #" (m.second.id) " (" (m.second.date) "), " (m.days_apart) (lang.pick("天", " days")) } } } }
        h2 { (lang.pick("基层负担", "Burden on units")) }
        @if burden.is_empty() { p class="muted" { (lang.pick("无。", "None.")) } }
        @else {
            div class="table-wrap" { table id="burden" {
                thead { tr { th scope="col" { (lang.pick("单位", "Unit")) } th scope="col" { (lang.pick("合计", "Total")) } th scope="col" { (lang.pick("已开展", "Done")) } th scope="col" { (lang.pick("来自", "From")) } } }
                tbody { @for b in &burden { tr { td { (b.unit.name) } td { (b.total) } td { (b.done) } td { @for (o, n) in &b.by_body { (o.name) " " (n) br; } } } } }
            } }
        }
    };
    Ok(Shell::of(viewer, here).page(title, body))
}

/// A row of the register; a planned check carries the form that records it done or
/// cancelled, for those who plan checks.
fn check_row(viewer: &Viewer, c: &Check, name: &dyn Fn(i64) -> String) -> Markup {
    use ecoduty_domain::supervision::checks::CheckStatus;
    let lang = viewer.lang;
    html! {
        tr id=(format!("check-{}", c.id)) {
            td { (c.id) } td { (c.date) }
            td { (name(c.by_organisation_id)) } td { (name(c.on_organisation_id)) }
            td { (check_kind_name(lang, c.kind)) ": " (c.subject) }
            td {
                span class=(format!("status {}", c.status.key())) { (check_status_name(lang, c.status)) }
                @if c.status == CheckStatus::Planned && viewer.can(Permission::PlanChecks) {
                    form method="post" action=(format!("/checks/{}/status", c.id)) class="check-status" {
                        (csrf_field(viewer))
                        label for=(format!("check-{}-status", c.id)) class="muted" { (lang.pick("记为", "Record as")) }
                        " "
                        select id=(format!("check-{}-status", c.id)) name="status" {
                            option value=(CheckStatus::Done.key()) { (check_status_name(lang, CheckStatus::Done)) }
                            option value=(CheckStatus::Cancelled.key()) { (check_status_name(lang, CheckStatus::Cancelled)) }
                        }
                        " "
                        label for=(format!("check-{}-reason", c.id)) class="muted" { (lang.t("common.reason")) }
                        " "
                        input id=(format!("check-{}-reason", c.id)) name="reason" type="text" required maxlength="500";
                        " "
                        button type="submit" { (lang.pick("记录", "Record")) }
                    }
                }
            }
            td {
                @if let Some(by) = &c.override_by {
                    (by) ": " (c.override_justification.as_deref().unwrap_or(""))
                    @for v in &c.violations { br; small class="muted" { (lang.pick(&v.reason_zh(), &v.reason_en())) } }
                }
            }
        }
    }
}

/// POST /checks/{id}/status: a planned check recorded as done or cancelled, with a reason.
pub async fn set_check_status(
    State(state): State<AppState>,
    Scoped(check, viewer): Scoped<Check>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::PlanChecks)?;
    let status: ecoduty_domain::supervision::checks::CheckStatus =
        f.get("status")
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("status", "done or cancelled"))?;
    let reason = crate::api::common::required_text("reason", f.get("reason"), 500)?;
    state
        .store
        .set_check_status(&viewer.change(reason), check.id, status)
        .await?;
    Ok(done("/checks", "saved"))
}

/// GET /checks
pub async fn checks(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    checks_page(&state, &viewer, &q, &uri.to_string(), None, None).await
}

/// POST /checks: plans a check; a refusal shows its reason and keeps the form.
pub async fn plan_check(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::PlanChecks)?;
    let result = async {
        let id = |k: &str| -> Result<i64, AppError> {
            f.get(k)
                .trim()
                .parse()
                .map_err(|_| AppError::invalid(k, "an organisation's number"))
        };
        let (by, on) = (id("by")?, id("on")?);
        viewer
            .organisation(&state.store, on)
            .await
            .map_err(|_| AppError::invalid("on", format!("no organisation {on} in your region")))?;
        let kind: CheckKind = f
            .get("kind")
            .parse()
            .map_err(|e: String| AppError::invalid("kind", e))?;
        let date = crate::ui::layout::req_date("date", f.get("date"))?;
        let subject = crate::api::common::required_text("subject", f.get("subject"), 500)?;
        let justification = f.get("justification").trim().to_string();
        let overridden = if justification.is_empty() {
            None
        } else {
            viewer.require(Permission::OverrideCheckLimits)?;
            Some(CheckOverride {
                username: viewer.user.username.clone(),
                justification,
            })
        };
        let reason = format!("plan check: {subject}");
        state
            .store
            .plan_check(
                &viewer.change(reason),
                NewCheck {
                    by_organisation_id: by,
                    on_organisation_id: on,
                    kind,
                    subject,
                    date,
                },
                overridden,
            )
            .await
            .map_err(|e| AppError::from_store_in(e, viewer.lang))
    }
    .await;
    match result {
        Ok(_) => Ok(done("/checks", "check_planned")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let refused = matches!(&e, AppError::Invalid { field, .. } if field == "limits");
            let lang = viewer.lang;
            let message = notice(
                "error",
                html! {
                    strong { @if refused { (lang.pick("不予登记", "Refused")) } @else { (lang.pick("输入有误", "Invalid")) } }
                    ": " span id="check-refusal" { (e.public_message()) }
                    @if refused && viewer.can(Permission::OverrideCheckLimits) {
                        br; (lang.pick("确需开展的,请在「超限登记理由」中书面说明后再登记。", "If it must go ahead, write the justification and register again."))
                    }
                },
            );
            let page = checks_page(
                &state,
                &viewer,
                &ListQuery::default(),
                &uri.to_string(),
                Some(&f),
                Some(message),
            )
            .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------- complaints

#[derive(Deserialize, Default)]
pub struct ComplaintQuery {
    region: Option<String>,
    status: Option<String>,
    before: Option<i64>,
}

/// GET /complaints
pub async fn complaints(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ComplaintQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let status: Option<ComplaintStatus> = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse()
                .map_err(|e: String| AppError::invalid("status", e))?,
        ),
        None => None,
    };
    let filter = ComplaintFilter {
        within: list_scope(&state, &viewer, q.region.as_deref()).await?,
        status,
        ..ComplaintFilter::default()
    };
    let page = state
        .store
        .complaints_page(
            &filter,
            PageRequest {
                before: q.before,
                limit: 50,
            },
        )
        .await?;
    let title = lang.pick("信访举报", "Public complaints");
    let body = html! {
        h1 { (title) }
        form method="get" action="/complaints" class="inline-form" {
            (field("c-status", lang.pick("状态", "Status"), html! {
                select id="c-status" name="status" {
                    option value="" { (lang.pick("全部", "Any")) }
                    @for s in ComplaintStatus::ALL { option value=(s.key()) selected[q.status.as_deref() == Some(s.key())] { (complaint_status_name(lang, *s)) } }
                }
            }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        @if page.items.is_empty() { p class="muted" { (lang.pick("没有信访举报。", "No complaints.")) } }
        @else {
            div class="table-wrap" { table id="complaints" {
                thead { tr {
                    th scope="col" { "#" } th scope="col" { (lang.pick("受理日期", "Received")) }
                    th scope="col" { (lang.pick("地区", "Region")) } th scope="col" { (lang.pick("类别", "Kind")) }
                    th scope="col" { (lang.pick("内容", "Text")) } th scope="col" { (lang.pick("状态", "Status")) }
                } }
                tbody { @for c in &page.items { tr {
                    td { (c.id) } td { (c.received_on) } td { (c.region_code) } td { (category_name(lang, c.category)) }
                    td { a href=(format!("/complaints/{}", c.id)) { (c.text.chars().take(50).collect::<String>()) } }
                    td { span class=(format!("status {}", c.status.key())) { (complaint_status_name(lang, c.status)) }
                        @if ecoduty_store::supervision::complaints::complaint_overdue(c, today()) { " " span class="status overdue" { (lang.pick("逾期", "Overdue")) } } }
                } } }
            } }
        }
        (next_link(lang, "/complaints", page.next_before))
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(title, body))
}

async fn complaint_page(
    state: &AppState,
    viewer: &Viewer,
    c: Complaint,
    here: &str,
    message: Option<Markup>,
    units_in: Option<&str>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let versions = state.store.complaint_versions(c.id).await?;
    let handles = viewer.can(Permission::HandleComplaints);
    let contact = if handles {
        state.store.complaint_contact(c.id).await?
    } else {
        None
    };
    let assigned = match c.assigned_organisation_id {
        Some(id) => state.store.organisation(id).await?.map(|o| o.name),
        None => None,
    };
    let attachments = state.store.complaint_attachments(&c).await?;
    let title = format!("{} #{}", lang.pick("信访举报", "Complaint"), c.id);
    let csrf = csrf_field(viewer);
    let units = if handles {
        unit_groups(state, viewer, units_in).await?
    } else {
        None
    };
    let body = html! {
        (crumbs(lang, ("/complaints", lang.pick("信访举报", "Complaints")), &title))
        h1 { (title) " " span class=(format!("status {}", c.status.key())) { (complaint_status_name(lang, c.status)) } }
        @if let Some(m) = message { (m) }
        p { (c.text) }
        dl class="facts" {
            dt { (lang.pick("受理日期", "Received")) } dd { (c.received_on) " · " (channel_name(lang, c.channel)) }
            dt { (lang.pick("地区 / 地点", "Region / address")) } dd { (c.region_code) " " (c.address) }
            dt { (lang.pick("类别", "Kind")) } dd { (category_name(lang, c.category)) }
            @if let Some(a) = &assigned { dt { (lang.pick("承办单位", "Assigned to")) } dd { (a) } }
            @if let Some(d) = c.answer_due { dt { (lang.pick("答复期限", "Answer due")) } dd { (d) } }
            @if let Some(a) = &c.answer { dt { (lang.pick("答复", "Answer")) } dd { (a) " (" (c.answered_by.as_deref().unwrap_or("")) ")" } }
            @if let Some(f) = c.finding_id { dt { (lang.pick("整改", "Finding")) } dd { a href=(format!("/findings/{f}")) { "#" (f) } } }
            @if let Some(ct) = &contact { dt { (lang.pick("联系方式", "Contact")) } dd { (ct) } }
            @if !attachments.is_empty() {
                dt { (lang.pick("附件", "Attachments")) }
                dd {
                    ul id="complaint-attachments" {
                        @for a in &attachments {
                            li {
                                a href=(format!("/complaints/{}/attachments/{}", c.id, a.number)) download=(a.name) { (a.name) }
                                " " small class="muted" { (a.kind.key().to_uppercase()) ", " (a.size) " B · sha256 " (&a.sha256[..12]) }
                            }
                        }
                    }
                }
            }
        }
        @if handles && (c.status != ComplaintStatus::Answered || c.finding_id.is_none()) {
            (unit_region_picker(lang, &units, &format!("/complaints/{}", c.id), &[]))
        }
        @if handles {
            div class="steps" {
                @if c.status != ComplaintStatus::Answered {
                    form method="post" action=(format!("/complaints/{}/assign", c.id)) class="card" id="complaint-assign" {
                        (csrf) (units_in_field(&units)) h3 { (lang.pick("转办", "Assign")) }
                        (unit_field(lang, &units, "assign-org", "organisation", lang.pick("承办单位", "Unit to answer it"), "", false))
                        (field("assign-due", lang.pick("答复期限(默认60日)", "Answer due (default 60 days)"), html! { input id="assign-due" name="due" type="date"; }))
                        button type="submit" class="primary" { (lang.pick("转办", "Assign")) }
                    }
                    form method="post" action=(format!("/complaints/{}/answer", c.id)) class="card" id="complaint-answer" {
                        (csrf) h3 { (lang.pick("答复", "Answer")) }
                        (field("answer-text", lang.pick("答复内容", "Answer"), html! { textarea id="answer-text" name="answer" rows="3" required maxlength="5000" {} }))
                        button type="submit" class="primary" { (lang.pick("答复", "Answer")) }
                    }
                }
                @if c.finding_id.is_none() {
                    form method="post" action=(format!("/complaints/{}/promote", c.id)) class="card" id="complaint-promote" {
                        (csrf) (units_in_field(&units)) h3 { (lang.pick("作为问题交办整改", "Take up as a finding")) }
                        (unit_field(lang, &units, "promote-units", "units", lang.pick("责任单位(可多选)", "Responsible units (one or more)"), "", true))
                        (field("promote-severity", lang.pick("严重程度", "Severity"), html! { select id="promote-severity" name="severity" { @for s in Severity::ALL { option value=(s.key()) { (crate::ui::findings::severity_name(lang, *s)) } } } }))
                        (field("promote-deadline", lang.pick("整改时限", "Deadline"), html! { input id="promote-deadline" name="deadline" type="date" required; }))
                        button type="submit" class="primary" { (lang.pick("交办", "Assign for rectification")) }
                    }
                }
            }
        }
        h2 { (lang.pick("办理记录", "History")) }
        ol class="history" { @for v in &versions { li { (lang.pick("版本", "Version")) " " (v.rev) " · " (complaint_status_name(lang, v.status)) } } }
    };
    Ok(Shell::of(viewer, here).page(&title, body))
}

/// GET /complaints/{id}
pub async fn complaint(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Complaint>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<UnitsQuery>,
) -> PageResult<Markup> {
    complaint_page(
        &state,
        &viewer,
        c,
        &uri.to_string(),
        None,
        q.units_in.as_deref(),
    )
    .await
}

/// The region whose units a page's unit fields offer.
#[derive(Deserialize, Default)]
pub struct UnitsQuery {
    pub units_in: Option<String>,
}

/// GET /complaints/{id}/attachments/{n}: a file sent with the complaint, for those who may
/// see the complaint.
pub async fn complaint_attachment(
    State(state): State<AppState>,
    Scoped(c, _): Scoped<Complaint>,
    Path((_, n)): Path<(String, String)>,
) -> PageResult<Response> {
    crate::api::complaints::attachment_response(&state, &c, &n).await
}

/// POST /complaints/{id}/{assign|answer|promote}
async fn complaint_action(
    state: AppState,
    c: Complaint,
    viewer: Viewer,
    here: String,
    f: Fields,
    what: &str,
) -> PageResult<Response> {
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::HandleComplaints)?;
    let result: Result<(), AppError> = async {
        match what {
            "assign" => {
                let org: i64 =
                    f.get("organisation").trim().parse().map_err(|_| {
                        AppError::invalid("organisation", "an organisation's number")
                    })?;
                viewer.organisation(&state.store, org).await.map_err(|_| {
                    AppError::invalid(
                        "organisation",
                        format!("no organisation {org} in your region"),
                    )
                })?;
                let due = crate::ui::layout::opt_date("due", f.get("due"))?;
                state
                    .store
                    .assign_complaint(
                        &viewer.change(format!("assign complaint {}", c.id)),
                        c.id,
                        org,
                        due,
                    )
                    .await?;
            }
            "answer" => {
                let text = crate::api::common::required_text("answer", f.get("answer"), 5000)?;
                state
                    .store
                    .answer_complaint(
                        &viewer.change(format!("answer complaint {}", c.id)),
                        c.id,
                        &text,
                        today(),
                    )
                    .await?;
            }
            _ => {
                let units = f
                    .all("units")
                    .into_iter()
                    .flat_map(|v| v.split([',', ',', ' ']))
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        s.trim().parse::<i64>().map_err(|_| {
                            AppError::invalid(
                                "units",
                                format!("{s:?} is not an organisation's number"),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if units.is_empty() {
                    return Err(AppError::invalid(
                        "units",
                        "name at least one responsible unit",
                    ));
                }
                let severity: Severity = f
                    .get("severity")
                    .parse()
                    .map_err(|e: String| AppError::invalid("severity", e))?;
                let deadline: NaiveDate =
                    crate::ui::layout::req_date("deadline", f.get("deadline"))?;
                state
                    .store
                    .promote_complaint(
                        &viewer.change(format!("take up complaint {} as a finding", c.id)),
                        c.id,
                        Promotion {
                            severity,
                            units,
                            posts: vec![],
                            deadline,
                            measures: String::new(),
                        },
                        today(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/complaints/{}", c.id), "saved")),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let message = notice("error", html! { (e.public_message()) });
            let page = complaint_page(
                &state,
                &viewer,
                c,
                &here,
                Some(message),
                Some(f.get("units_in")),
            )
            .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

pub async fn assign(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Complaint>,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    complaint_action(state, c, viewer, uri.to_string(), Fields(fields), "assign").await
}

pub async fn answer(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Complaint>,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    complaint_action(state, c, viewer, uri.to_string(), Fields(fields), "answer").await
}

pub async fn promote(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Complaint>,
    OriginalUri(uri): OriginalUri,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    complaint_action(state, c, viewer, uri.to_string(), Fields(fields), "promote").await
}
