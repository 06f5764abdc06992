//! The published responsibility lists, readable without signing in: a region picker (search
//! by name or code, and the regions that have records), and a region's page listing each of
//! its posts with its current holder and the duties of its responsibility list, each duty
//! citing its article.

use axum::extract::{OriginalUri, Path, Query, State};
use ecoduty_domain::{Region, RegionCode};
use ecoduty_store::duties::ListFor;
use maud::{html, Markup};
use serde::Deserialize;

use crate::error::{AppError, PageResult};
use crate::state::AppState;
use crate::ui::layout::{field, tenure_dates, MaybeViewer, Shell};
use crate::ui::regions::{duty_list, role_name, today};

#[derive(Deserialize)]
pub struct PickQuery {
    q: Option<String>,
}

fn region_links(regions: &[Region]) -> Markup {
    html! {
        ul class="columns" {
            @for r in regions {
                li { a href=(format!("/public/{}", r.code)) { (r.name) } " " small { (r.code) } }
            }
        }
    }
}

/// GET /public?q=
pub async fn pick(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    Query(q): Query<PickQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let t = |k| lang.t(k);
    let query = q.q.unwrap_or_default();
    let query = query.trim();
    let found = if query.is_empty() {
        None
    } else {
        Some(state.store.search_regions(query, 40).await?)
    };
    let published = state.store.regions_with_records(None, 500).await?;
    let body = html! {
        h1 { (t("public.title")) }
        p { (t("public.note")) }
        form method="get" action="/public" class="inline-form" role="search" {
            (field("public-q", t("public.search"), html! {
                input id="public-q" name="q" type="search" value=(query) maxlength="50";
            }))
            button type="submit" class="primary" { (t("people.find")) }
        }
        @if let Some(found) = &found {
            section aria-labelledby="found-h" {
                h2 id="found-h" { (t("public.found")) }
                @if found.is_empty() { p class="muted" { (t("public.nothing")) } } @else { (region_links(found)) }
            }
        }
        section aria-labelledby="published-h" {
            h2 id="published-h" { (t("public.published")) }
            @if published.is_empty() { p class="muted" { (t("public.nothing")) } } @else { (region_links(&published)) }
        }
    };
    Ok(Shell::new(lang, viewer.as_ref(), uri.to_string()).page(t("public.title"), body))
}

/// GET /public/{code}
pub async fn region(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let t = |k| lang.t(k);
    let store = &state.store;
    let code = RegionCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let region = store.region(&code).await?.ok_or(AppError::NotFound)?;
    let day = today();
    let ancestors = store.region_ancestors(&code).await?;
    let children = store.region_children(&code).await?;
    let holdings = store.who(&code, day, None).await?;
    let mut posts = Vec::with_capacity(holdings.len());
    for h in holdings {
        let list = store
            .responsibility_list(&code, ListFor::Post(h.post.id), day)
            .await?;
        posts.push((h, list));
    }
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/public" { (t("public.title")) } }
                @for a in &ancestors { li { a href=(format!("/public/{}", a.code)) { (a.name) } } }
                li aria-current="page" { (region.name) }
            }
        }
        h1 { (region.name) " " small { (t("public.lists")) } }
        p class="muted" { (t("public.note")) " " (t("public.as_of")) " " (day) "." }
        @if posts.is_empty() {
            p class="muted" { (t("public.none")) }
        } @else {
            nav class="toc" aria-labelledby="posts-h" {
                h2 id="posts-h" { (t("public.posts")) }
                ol {
                    @for (h, _) in &posts {
                        li { a href=(format!("#post-{}", h.post.id)) { (h.organisation.name) " " (h.post.title) } }
                    }
                }
            }
            @for (h, list) in &posts {
                section class="public-post" id=(format!("post-{}", h.post.id)) aria-labelledby=(format!("post-{}-h", h.post.id)) {
                    h2 id=(format!("post-{}-h", h.post.id)) { (h.organisation.name) " " (h.post.title) }
                    dl class="facts" {
                        dt { (t("post.role")) } dd { (role_name(lang, h.post.role)) }
                        dt { (t("post.holder")) }
                        dd {
                            @match &h.holder {
                                Some(x) => { (x.person.name) " (" (tenure_dates(lang, x.tenure.start_date, x.tenure.end_date, x.tenure.acting)) ")" }
                                None => { span class="muted" { (t("post.vacant")) } }
                            }
                        }
                    }
                    h3 { (t("post.duties")) }
                    (duty_list(lang, list))
                }
            }
        }
        @if !children.is_empty() {
            section aria-labelledby="children-h" {
                h2 id="children-h" { (t("region.children")) }
                (region_links(&children))
            }
        }
    };
    Ok(Shell::new(lang, viewer.as_ref(), uri.to_string()).page(&region.name, body))
}
