//! People: finding a person by name or key, and a person's tenure history. A user bound to a
//! region finds only people who held a post within it, and sees only the tenures within it;
//! a nationwide user sees everyone and every tenure.

use axum::extract::{OriginalUri, Query, State};
use ecoduty_store::people::Person;
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::{Scoped, Viewer};
use crate::error::PageResult;
use crate::state::AppState;
use crate::ui::layout::{field, tenure_dates, Shell};
use crate::ui::regions::role_name;

/// The most people one search lists.
const LIMIT: i64 = 50;

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// GET /people?q=
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<SearchQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let q = query.q.unwrap_or_default();
    let q = q.trim();
    let found: Vec<Person> = state
        .store
        .find_people_within(q, viewer.root(), LIMIT + 1)
        .await?;
    let more = found.len() as i64 > LIMIT;
    // Where each person is now (or was last), within the viewer's region.
    let mut rows = Vec::new();
    for p in found.into_iter().take(LIMIT as usize) {
        let history = state.store.person_history(p.id).await?;
        let last = history
            .into_iter()
            .filter(|d| viewer.reaches(&d.organisation.region_code))
            .max_by_key(|d| (d.tenure.end_date.is_none(), d.tenure.start_date));
        rows.push((p, last));
    }
    let body = html! {
        h1 { (t("people.title")) }
        form method="get" action="/people" class="inline-form" role="search" {
            (field("q", t("people.search"), html! {
                input id="q" name="q" type="search" value=(q) maxlength="100";
            }))
            button type="submit" class="primary" { (t("people.find")) }
        }
        @if rows.is_empty() {
            p class="muted" { (t("people.none")) }
        } @else {
            div class="table-wrap" {
                table {
                    caption class="visually-hidden" { (t("people.title")) }
                    thead { tr {
                        th scope="col" { (t("col.name")) }
                        th scope="col" { (t("people.key")) }
                        th scope="col" { (t("people.latest")) }
                    } }
                    tbody {
                        @for (p, last) in &rows {
                            tr {
                                td { a href=(format!("/people/{}", p.id)) { (p.name) } }
                                td { code { (p.key) } }
                                td {
                                    @if let Some(d) = last {
                                        (d.region.name) " · " (d.organisation.name) " " (d.post.title)
                                        " (" (tenure_dates(lang, d.tenure.start_date, d.tenure.end_date, d.tenure.acting)) ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if more { p class="muted" { (t("people.more")) } }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(t("people.title"), body))
}

/// GET /people/{id}
pub async fn person_page(
    State(state): State<AppState>,
    Scoped(person, viewer): Scoped<Person>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let history: Vec<_> = state
        .store
        .person_history(person.id)
        .await?
        .into_iter()
        .filter(|d| viewer.reaches(&d.organisation.region_code))
        .collect();
    // Accountability cases, for those who may read them (each shown case's read is logged).
    let cases = if viewer.can(ecoduty_domain::access::Permission::ReadCases) {
        let mut list = state
            .store
            .person_cases(person.id, crate::ui::regions::today())
            .await?;
        list.retain(|c| viewer.reaches(&c.region_code));
        for c in &list {
            crate::api::accountability::log_read(
                &state,
                &viewer,
                c.case_id,
                ecoduty_store::accountability::ReadVia::Page,
            )
            .await?;
        }
        Some(list)
    } else {
        None
    };
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/people" { (t("people.title")) } } li aria-current="page" { (person.name) } }
        }
        h1 { (person.name) " " small { (t("people.key")) " " (person.key) } }
        @if viewer.can(ecoduty_domain::access::Permission::ReadCadreRecords) {
            p { a href=(format!("/people/{}/eco-record", person.id)) id="eco-record-link" { (lang.pick("生态环境保护履职记录(第十六条)", "Eco-environmental record (Art. 16)")) } }
        }
        section aria-labelledby="tenures-h" {
            h2 id="tenures-h" { (t("people.tenures")) }
            @if viewer.root().is_some() { p class="muted" { (t("people.scoped")) } }
            @if history.is_empty() {
                p class="muted" { (t("common.none")) }
            } @else {
                div class="table-wrap" {
                    table {
                        thead { tr {
                            th scope="col" { (t("col.region")) }
                            th scope="col" { (t("col.organisation")) }
                            th scope="col" { (t("col.post")) }
                            th scope="col" { (t("col.role")) }
                            th scope="col" { (t("col.since")) }
                        } }
                        tbody {
                            @for d in &history {
                                tr {
                                    td { a href=(format!("/regions/{}", d.region.code)) { (d.region.name) } }
                                    td { (d.organisation.name) }
                                    td { a href=(format!("/posts/{}", d.post.id)) { (d.post.title) } }
                                    td { (role_name(lang, d.post.role)) }
                                    td { (tenure_dates(lang, d.tenure.start_date, d.tenure.end_date, d.tenure.acting)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(cases) = &cases {
            section aria-labelledby="cases-h" id="person-cases" {
                h2 id="cases-h" { (lang.pick("责任追究(保密)", "Accountability cases (confidential)")) }
                @if cases.is_empty() {
                    p class="muted" { (t("common.none")) }
                } @else {
                    ul {
                        @for c in cases {
                            li data-case=(c.case_id) {
                                a href=(format!("/cases/{}", c.case_id)) { (c.title) }
                                " · " (c.post) " · " (c.degree.name_zh()) " · " (c.status.name_zh())
                                @if let Some(o) = &c.outcome {
                                    " · " (o.forms.iter().map(|f| f.label()).collect::<Vec<_>>().join("、"))
                                }
                                @if c.influence_in_force {
                                    " " strong class="badge" { (lang.pick("影响期内", "within its influence period")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&person.name, body))
}
