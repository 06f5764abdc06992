//! The dashboard (the user's region and the tree of regions under it), a region's page
//! (organisations, posts, who holds them on a date, a tenure timeline) and a post's page (its
//! holders and its responsibility list, each duty linked to its article). For users who may
//! edit records, both pages carry the forms of [`super::records`].

use axum::extract::{OriginalUri, Query, State};
use chrono::{Datelike, NaiveDate};
use ecoduty_domain::responsibility::DutySource;
use ecoduty_domain::{Region, Role};
use ecoduty_store::duties::ListFor;
use ecoduty_store::tenures::PostHolding;
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{field, flash, svg, svg_text, tenure_dates, Sent, Shell};
use crate::ui::{indicators, records};
use ecoduty_domain::access::Permission;
use ecoduty_store::organisations::Organisation;
use ecoduty_store::posts::Post;

#[derive(Deserialize)]
pub struct AtQuery {
    /// The date asked about (YYYY-MM-DD); today when absent.
    at: Option<String>,
    /// The year of the indicators shown (default: the year of `at`).
    year: Option<String>,
    /// The message of a form that succeeded (see [`flash`]).
    ok: Option<String>,
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn parse_at(q: &AtQuery) -> Result<NaiveDate, AppError> {
    match q.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => s
            .parse()
            .map_err(|_| AppError::invalid("at", format!("{s:?} is not a date (YYYY-MM-DD)"))),
    }
}

/// The indicators' year: `year` when given (1949–2100), else the year of `at`.
fn parse_year(q: &AtQuery, at: NaiveDate) -> Result<i32, AppError> {
    match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(at.year()),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=2100).contains(y))
            .ok_or_else(|| AppError::invalid("year", format!("{s:?} is not a year (1949–2100)"))),
    }
}

fn level_name(lang: Lang, r: &Region) -> String {
    let mut s = lang.pick(r.level.name_zh(), r.level.key()).to_string();
    if r.development_zone {
        s.push_str(" · ");
        s.push_str(lang.t("region.zone"));
    }
    s
}

pub fn role_name(lang: Lang, role: Role) -> &'static str {
    lang.pick(role.name_zh(), role.name_en())
}

/// GET /: the user's region, its first responsible persons, the early warnings in it and the
/// tree under it, today or on `?at=`.
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AtQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let store = &state.store;
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let roots: Vec<Region> = match viewer.root() {
        Some(code) => vec![store.region(code).await?.ok_or(AppError::NotFound)?],
        None => store.top_regions().await?,
    };
    let mut tree = Vec::new();
    for root in &roots {
        let children = store.region_children(&root.code).await?;
        let mut branches = Vec::new();
        // Grandchildren only below a single root, to keep the national view light.
        for child in &children {
            let grand = if roots.len() == 1 {
                store.region_children(&child.code).await?
            } else {
                Vec::new()
            };
            branches.push((child.clone(), grand));
        }
        tree.push((root.clone(), branches));
    }
    let at = parse_at(&q)?;
    let year = parse_year(&q, at)?;
    let warnings =
        indicators::warnings_section(&state, lang, viewer.root(), year, at, viewer.ledger_tip, 20)
            .await?;
    let first = match roots.as_slice() {
        [root] => {
            let mut held = Vec::new();
            for role in [Role::PartySecretary, Role::GovernmentHead] {
                held.extend(store.who(&root.code, at, Some(role)).await?);
            }
            held
        }
        _ => Vec::new(),
    };
    let body = html! {
        h1 { (t("dashboard.title")) }
        @if let [root] = roots.as_slice() {
            p { (t("dashboard.scope")) ": " a href=(format!("/regions/{}", root.code)) { (root.name) } " (" (root.code) ")" }
            @if !first.is_empty() {
                section {
                    h2 { (t("dashboard.first")) }
                    (holdings_table(lang, &first))
                }
            }
        }
        (warnings)
        section aria-labelledby="tree-h" {
            h2 id="tree-h" { (t("dashboard.tree")) }
            ul class="tree" {
                @for (root, branches) in &tree {
                    li {
                        details open[roots.len() == 1] {
                            summary { a href=(format!("/regions/{}", root.code)) { (root.name) } " " small { (root.code) } }
                            ul {
                                @for (child, grand) in branches {
                                    li {
                                        @if grand.is_empty() {
                                            a href=(format!("/regions/{}", child.code)) { (child.name) } " " small { (child.code) }
                                            @if child.development_zone { " " span class="badge" { (t("region.zone")) } }
                                        } @else {
                                            details {
                                                summary {
                                                    a href=(format!("/regions/{}", child.code)) { (child.name) } " " small { (child.code) }
                                                    @if child.development_zone { " " span class="badge" { (t("region.zone")) } }
                                                }
                                                ul {
                                                    @for g in grand {
                                                        li { a href=(format!("/regions/{}", g.code)) { (g.name) } " " small { (g.code) } }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(t("dashboard.title"), body))
}

fn holdings_table(lang: Lang, holdings: &[PostHolding]) -> Markup {
    let t = |k| lang.t(k);
    html! {
        div class="table-wrap" {
            table {
                thead { tr { th scope="col" { (t("col.organisation")) } th scope="col" { (t("col.post")) } th scope="col" { (t("col.role")) } th scope="col" { (t("col.holder")) } th scope="col" { (t("col.since")) } } }
                tbody {
                    @for h in holdings {
                        tr {
                            td { (h.organisation.name) }
                            td { a href=(format!("/posts/{}", h.post.id)) { (h.post.title) } }
                            td { (role_name(lang, h.post.role)) }
                            @match &h.holder {
                                Some(x) => {
                                    td { a href=(format!("/people/{}", x.person.id)) { (x.person.name) } }
                                    td { (tenure_dates(lang, x.tenure.start_date, x.tenure.end_date, x.tenure.acting)) }
                                }
                                None => { td class="muted" { (t("post.vacant")) } td {} }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One bar of a timeline: start, end (open when `None`), acting, holder's name.
type Bar = (NaiveDate, Option<NaiveDate>, bool, String);

/// An SVG timeline: one row per post, a bar per tenure, from `from` to `to`.
fn timeline(lang: Lang, rows: &[(String, Vec<Bar>)], from: NaiveDate, to: NaiveDate) -> Markup {
    let label_w = 220.0;
    let width = 900.0;
    let row_h = 22.0;
    let span = (to - from).num_days().max(1) as f64;
    let x = |d: NaiveDate| {
        label_w + (width - label_w) * ((d - from).num_days().clamp(0, span as i64) as f64 / span)
    };
    let height = row_h * (rows.len() as f64 + 1.0) + 10.0;
    let mut out = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        svg_text(lang.t("region.timeline"))
    );
    for year in from.format("%Y").to_string().parse::<i32>().unwrap_or(2019)
        ..=to.format("%Y").to_string().parse::<i32>().unwrap_or(2026)
    {
        if let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) {
            if d >= from && d <= to {
                let xx = x(d);
                out.push_str(&format!("<line class=\"grid\" x1=\"{xx:.1}\" y1=\"0\" x2=\"{xx:.1}\" y2=\"{height}\"/><text class=\"year\" x=\"{:.1}\" y=\"{:.1}\">{year}</text>", xx + 2.0, height - 2.0));
            }
        }
    }
    for (i, (label, bars)) in rows.iter().enumerate() {
        let y = row_h * i as f64 + 4.0;
        out.push_str(&format!(
            "<text class=\"label\" x=\"0\" y=\"{:.1}\">{}</text>",
            y + 14.0,
            svg_text(label)
        ));
        for (k, (start, end, acting, name)) in bars.iter().enumerate() {
            let x1 = x(*start);
            let x2 = x(end.unwrap_or(to));
            let class = if *acting {
                "bar acting"
            } else if k % 2 == 0 {
                "bar"
            } else {
                "bar alt"
            };
            out.push_str(&format!(
                "<rect class=\"{class}\" x=\"{x1:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{}</title></rect>",
                (x2 - x1).max(1.0),
                row_h - 6.0,
                svg_text(&format!("{name}: {}", tenure_dates(lang, *start, *end, *acting)))
            ));
        }
    }
    out.push_str("</svg>");
    svg(out)
}

/// GET /regions/{code}
pub async fn region_page(
    State(state): State<AppState>,
    Scoped(region, viewer): Scoped<Region>,
    Query(q): Query<AtQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let at = parse_at(&q)?;
    let year = parse_year(&q, at)?;
    let notice = flash(viewer.lang, q.ok.as_deref());
    render_region(
        &state,
        &viewer,
        &region,
        (at, year),
        uri.to_string(),
        notice,
        None,
    )
    .await
}

/// A region's page on a date (and its indicators for a year), with a notice on top and, after
/// a refused form, that form as it was sent.
pub async fn render_region(
    state: &AppState,
    viewer: &Viewer,
    region: &Region,
    (at, year): (NaiveDate, i32),
    here: String,
    notice: Markup,
    refill: Option<Sent<'_>>,
) -> PageResult<Markup> {
    let store = &state.store;
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let editable = viewer.can(Permission::EditRecords);
    let organisations = if editable {
        store.organisations_in(&region.code, false).await?
    } else {
        Vec::new()
    };
    let ancestors: Vec<Region> = store
        .region_ancestors(&region.code)
        .await?
        .into_iter()
        .filter(|r| viewer.reaches(&r.code))
        .collect();
    let children = store.region_children(&region.code).await?;
    let holdings = store.who(&region.code, at, None).await?;
    let quality = state
        .indicator_status(&region.code, year, at, viewer.ledger_tip)
        .await?;
    let warnings = indicators::warnings_section(
        state,
        lang,
        Some(&region.code),
        year,
        at,
        viewer.ledger_tip,
        50,
    )
    .await?;
    let from = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or(at);
    let mut rows = Vec::new();
    for h in &holdings {
        let mut bars = Vec::new();
        for (tenure, person) in store.tenures_of_post(h.post.id).await? {
            if tenure.end_date.is_none_or(|e| e > from) {
                bars.push((
                    tenure.start_date.max(from),
                    tenure.end_date,
                    tenure.acting,
                    person.name,
                ));
            }
        }
        rows.push((
            format!(
                "{} {}",
                short_org(&h.organisation.name, &region.name),
                h.post.title
            ),
            bars,
        ));
    }
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                @for a in &ancestors { li { a href=(format!("/regions/{}", a.code)) { (a.name) } } }
                li aria-current="page" { (region.name) }
            }
        }
        h1 { (region.name) " " small { (region.code) " · " (level_name(lang, region)) } }
        (notice)
        form method="get" class="inline-form" {
            (field("at", t("region.at"), html! { input id="at" name="at" type="date" value=(at.to_string()); }))
            (field("year", t("ind.year"), html! { input id="year" name="year" type="number" min="1949" max="2100" value=(year); }))
            button type="submit" { (t("region.show")) }
        }
        (indicators::region_indicators(lang, &quality))
        (warnings)
        section aria-labelledby="orgs-h" {
            h2 id="orgs-h" { (t("region.organisations")) " · " (at) }
            @if holdings.is_empty() { p class="muted" { (t("region.none")) } } @else { (holdings_table(lang, &holdings)) }
        }
        @if !rows.is_empty() {
            section aria-labelledby="tl-h" {
                h2 id="tl-h" { (t("region.timeline")) }
                div class="table-wrap" { (timeline(lang, &rows, from, today().max(at))) }
            }
        }
        @if !children.is_empty() {
            section aria-labelledby="children-h" {
                h2 id="children-h" { (t("region.children")) }
                ul class="columns" {
                    @for c in &children {
                        li {
                            a href=(format!("/regions/{}", c.code)) { (c.name) } " " small { (c.code) }
                            @if c.development_zone { " " span class="badge" { (t("region.zone")) } }
                        }
                    }
                }
            }
        }
        @if editable {
            (records::region_forms(lang, viewer, region, &organisations, &refill))
        }
        p { a href=(format!("/public/{}", region.code)) { (t("region.public")) } }
    };
    Ok(Shell::of(viewer, here).page(&region.name, body))
}

/// Drops the region's own name from an organisation's name to keep timeline labels short.
fn short_org(org: &str, region: &str) -> String {
    let s = org.replace(region, "");
    if s.is_empty() {
        org.to_string()
    } else {
        s
    }
}

/// The list of duties with links into the regulation reader.
pub fn duty_list(lang: Lang, list: &ecoduty_store::duties::ResponsibilityList) -> Markup {
    let t = |k| lang.t(k);
    html! {
        @if list.regulation.is_none() { p class="muted" { (t("post.noregulation")) } }
        ol class="duties" {
            @for d in &list.duties {
                li {
                    @match &d.source {
                        DutySource::Regulation { version_id, key } => {
                            a class="cite" href=(format!("/regulation/{version_id}#art-{}", key.split('.').next().unwrap_or(""))) { (d.citation) }
                        }
                        DutySource::Local { region_code, .. } => {
                            span class="cite local" { (t("post.local")) " · " (region_code) } " " span class="muted" { (t("post.basis")) ": " (d.citation) }
                        }
                    }
                    " " (d.text)
                }
            }
        }
    }
}

/// GET /posts/{id}
pub async fn post_page(
    State(state): State<AppState>,
    Scoped((post, org), viewer): Scoped<(Post, Organisation)>,
    Query(q): Query<AtQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let at = parse_at(&q)?;
    let notice = flash(viewer.lang, q.ok.as_deref());
    render_post(
        &state,
        &viewer,
        &post,
        &org,
        at,
        uri.to_string(),
        notice,
        None,
    )
    .await
}

/// A post's page on a date, with a notice on top and, after a refused form, that form as it
/// was sent.
#[allow(clippy::too_many_arguments)]
pub async fn render_post(
    state: &AppState,
    viewer: &Viewer,
    post: &Post,
    org: &Organisation,
    at: NaiveDate,
    here: String,
    notice: Markup,
    refill: Option<Sent<'_>>,
) -> PageResult<Markup> {
    let store = &state.store;
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let editable = viewer.can(Permission::EditRecords);
    let region = store
        .region(&org.region_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let list = store
        .responsibility_list(&region.code, ListFor::Post(post.id), at)
        .await?;
    let holders = store.tenures_of_post(post.id).await?;
    let mut portfolio = Vec::new();
    for id in &post.portfolio {
        if let Some(o) = store.organisation(*id).await? {
            portfolio.push(o.name);
        }
    }
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href=(format!("/regions/{}", region.code)) { (region.name) } } li { (org.name) } li aria-current="page" { (post.title) } }
        }
        h1 { (org.name) " " (post.title) }
        (notice)
        dl class="facts" {
            dt { (t("post.role")) } dd { (role_name(lang, post.role)) " (" (post.role.key()) ")" }
            @if !portfolio.is_empty() { dt { (t("post.portfolio")) } dd { (portfolio.join("、")) } }
            dt { (t("post.holder")) " · " (at) }
            dd {
                @match &list.holder {
                    Some(h) => { a href=(format!("/people/{}", h.person.id)) { (h.person.name) } " " (tenure_dates(lang, h.tenure.start_date, h.tenure.end_date, h.tenure.acting)) }
                    None => { span class="muted" { (t("post.vacant")) } }
                }
            }
        }
        form method="get" class="inline-form" {
            (field("at", t("region.at"), html! { input id="at" name="at" type="date" value=(at.to_string()); }))
            button type="submit" { (t("region.show")) }
        }
        section aria-labelledby="duties-h" {
            h2 id="duties-h" { (t("post.duties")) }
            (duty_list(lang, &list))
        }
        section aria-labelledby="holders-h" {
            h2 id="holders-h" { (t("post.history")) }
            div class="table-wrap" {
                table {
                    thead {
                        tr {
                            th scope="col" { (t("col.holder")) }
                            th scope="col" { (t("col.since")) }
                            @if editable { th scope="col" { (t("edit.actions")) } }
                        }
                    }
                    tbody {
                        @for (tenure, person) in &holders {
                            tr id=(format!("tenure-{}", tenure.id)) {
                                td { a href=(format!("/people/{}", person.id)) { (person.name) } }
                                td { (tenure_dates(lang, tenure.start_date, tenure.end_date, tenure.acting)) " " small class="muted" { "#" (tenure.id) } }
                                @if editable { td { (records::tenure_forms(lang, viewer, tenure, person, &refill)) } }
                            }
                        }
                    }
                }
            }
            @if editable && !post.retired {
                (records::holder_form(lang, viewer, post, &refill))
            }
        }
    };
    Ok(Shell::of(viewer, here).page(&post.title, body))
}
