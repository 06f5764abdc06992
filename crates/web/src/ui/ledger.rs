//! The change ledger, for users who may read it: entries newest first, filtered by record
//! type, actor and dates, paged backwards by sequence number, each showing what changed (field:
//! before → after). A user bound to a region sees only the entries of records within it.
//! Verifying recomputes the whole hash chain and names the first entry that does not match.
//! The current tip (sequence number and hash) is shown, so that an auditor can note it.

use axum::extract::{OriginalUri, Query, State};
use axum::Form;
use chrono::Duration;
use ecoduty_domain::access::Permission;
use ecoduty_store::ledger::{LedgerEntry, LedgerFilter};
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;

use crate::auth::viewer::urlencode;
use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{csrf_field, field, notice, opt_date, Fields, Shell};

/// Entries per page.
const PAGE: i64 = 50;

/// The record types the filter offers.
const ENTITIES: [&str; 17] = [
    "organisation",
    "post",
    "person",
    "tenure",
    "local_duty",
    "roster_import",
    "regulation",
    "region",
    "regions",
    "user",
    "user_password",
    "api_token",
    "session",
    "target",
    "indicator_report",
    "air_import",
    "water_import",
];

#[derive(Deserialize, Default)]
pub struct LedgerQuery {
    entity: Option<String>,
    actor: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A JSON value as short text.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "∅".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The fields an entry changed: (field, before, after). A new record lists every field.
fn changes(e: &LedgerEntry) -> Vec<(String, Option<String>, Option<String>)> {
    let empty = serde_json::Map::new();
    let obj = |v: &Option<Value>| match v {
        Some(Value::Object(m)) => Some(m.clone()),
        _ => None,
    };
    match (obj(&e.before), obj(&e.after)) {
        (before, Some(after)) => {
            let before = before.unwrap_or(empty);
            after
                .iter()
                .filter(|(k, v)| before.get(*k) != Some(v))
                .map(|(k, v)| (k.clone(), before.get(k).map(show), Some(show(v))))
                .collect()
        }
        (Some(before), None) => before
            .iter()
            .map(|(k, v)| (k.clone(), Some(show(v)), None))
            .collect(),
        (None, None) => {
            // Not an object (or nothing): show the values whole.
            let b = e.before.as_ref().map(show);
            let a = e.after.as_ref().map(show);
            if b.is_none() && a.is_none() {
                Vec::new()
            } else {
                vec![(String::new(), b, a)]
            }
        }
    }
}

/// Where a record of an entry can be seen, when it has a page.
fn record_link(viewer: &Viewer, e: &LedgerEntry) -> Option<String> {
    let after = e.after.as_ref().or(e.before.as_ref());
    match e.entity.as_str() {
        "post" => Some(format!("/posts/{}", e.entity_id)),
        "person" => Some(format!("/people/{}", e.entity_id)),
        "tenure" => after
            .and_then(|a| a.get("post_id"))
            .and_then(Value::as_i64)
            .map(|p| format!("/posts/{p}#tenure-{}", e.entity_id)),
        "regulation" => Some(format!("/regulation/{}", e.entity_id)),
        "user" if viewer.can(Permission::ManageUsers) => Some(format!("/users/{}", e.entity_id)),
        _ => None,
    }
}

fn query_string(q: &LedgerQuery, before: Option<i64>) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("entity", &q.entity),
        ("actor", &q.actor),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if let Some(v) = clean(v) {
            parts.push(format!("{k}={}", urlencode(&v)));
        }
    }
    if let Some(b) = before {
        parts.push(format!("before={b}"));
    }
    parts.join("&")
}

fn entries_table(lang: Lang, viewer: &Viewer, entries: &[LedgerEntry]) -> Markup {
    let t = |k| lang.t(k);
    html! {
        div class="table-wrap" {
            table class="ledger" {
                caption class="visually-hidden" { (t("ledger.title")) }
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (t("col.time")) }
                    th scope="col" { (t("col.actor")) }
                    th scope="col" { (t("col.record")) }
                    th scope="col" { (t("col.reason")) }
                    th scope="col" { (t("col.changes")) }
                } }
                tbody {
                    @for e in entries {
                        tr id=(format!("seq-{}", e.seq)) {
                            td { (e.seq) }
                            td class="nowrap" { (e.recorded_at.get(..19).unwrap_or(&e.recorded_at).replace('T', " ")) }
                            td { (e.actor) }
                            td {
                                span class="badge" { (e.action) } " "
                                @match record_link(viewer, e) {
                                    Some(href) => { a href=(href) { (e.entity) " " (e.entity_id) } }
                                    None => { (e.entity) " " (e.entity_id) }
                                }
                                " " small class="muted" { "rev " (e.rev) @if let Some(r) = &e.region_code { " · " (r) } }
                            }
                            td { (e.reason) }
                            td {
                                ul class="changes" {
                                    @for (k, before, after) in changes(e) {
                                        li {
                                            @if !k.is_empty() { code { (k) } ": " }
                                            @if let Some(b) = &before { del { (b) } }
                                            @if before.is_some() && after.is_some() { " → " }
                                            @if let Some(a) = &after { ins { (a) } }
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

/// GET /ledger
pub async fn browse(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    viewer.require(Permission::ReadLedger)?;
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let from = opt_date("from", q.from.as_deref().unwrap_or(""))?;
    let to = opt_date("to", q.to.as_deref().unwrap_or(""))?;
    let before =
        match clean(&q.before) {
            None => None,
            Some(b) => Some(b.parse::<i64>().map_err(|_| {
                AppError::invalid("before", format!("{b:?} is not an entry number"))
            })?),
        };
    let entity = clean(&q.entity);
    let actor = clean(&q.actor);
    let filter = LedgerFilter {
        entity: entity.clone(),
        actor: actor.clone(),
        from: from.map(|d| d.to_string()),
        // The "to" day is included: entries before the next day.
        to: to.map(|d| (d + Duration::days(1)).to_string()),
        within: viewer.root().cloned(),
        confidential: viewer.can(Permission::ReadCases),
    };
    let mut entries = state.store.ledger_page(&filter, before, PAGE + 1).await?;
    let more = entries.len() as i64 > PAGE;
    entries.truncate(PAGE as usize);
    let older = entries.last().map(|e| e.seq).filter(|_| more);
    let tip = state.store.ledger_head().await?;
    let body = html! {
        h1 { (t("ledger.title")) }
        p class="ledger-tip" {
            (t("ledger.tip")) " #" (tip.seq) " " code { (tip.hash) }
            " " small class="muted" { (t("ledger.tip_note")) }
        }
        @if let Some(root) = viewer.root() { p class="muted" { (t("ledger.scoped")) " " (root) } }
        form method="get" action="/ledger" class="inline-form filters" {
            (field("f-entity", t("ledger.entity"), html! {
                select id="f-entity" name="entity" {
                    option value="" { (t("ledger.all")) }
                    @for e in ENTITIES { option value=(e) selected[entity.as_deref() == Some(e)] { (e) } }
                }
            }))
            (field("f-actor", t("col.actor"), html! { input id="f-actor" name="actor" type="text" value=(actor.clone().unwrap_or_default()) placeholder="user:jz.admin"; }))
            (field("f-from", t("ledger.from"), html! { input id="f-from" name="from" type="date" value=(from.map(|d| d.to_string()).unwrap_or_default()); }))
            (field("f-to", t("ledger.to"), html! { input id="f-to" name="to" type="date" value=(to.map(|d| d.to_string()).unwrap_or_default()); }))
            button type="submit" class="primary" { (t("ledger.filter")) }
            a href="/ledger" { (t("ledger.clear")) }
        }
        form method="post" action="/ledger/verify" class="inline-form" {
            (csrf_field(&viewer))
            button type="submit" { (t("ledger.verify")) }
        }
        @if entries.is_empty() {
            p class="muted" { (t("ledger.none")) }
        } @else {
            (entries_table(lang, &viewer, &entries))
        }
        nav class="pager" aria-label=(t("ledger.paging")) {
            @if before.is_some() { a href=(format!("/ledger?{}", query_string(&q, None))) { (t("ledger.newest")) } }
            @if let Some(seq) = older { a href=(format!("/ledger?{}", query_string(&q, Some(seq)))) rel="next" { (t("ledger.older")) " →" } }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(t("ledger.title"), body))
}

/// POST /ledger/verify
pub async fn verify(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Markup> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::ReadLedger)?;
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let report = state.store.verify_ledger().await?;
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/ledger" { (t("ledger.title")) } } li aria-current="page" { (t("ledger.verify")) } }
        }
        h1 { (t("ledger.verify")) }
        @match &report.first_mismatch {
            None => {
                (notice("ok", html! {
                    strong { (t("ledger.intact")) }
                }))
            }
            Some(m) => {
                (notice("error", html! {
                    strong { (t("ledger.broken")) } " "
                    (t("ledger.first_bad")) " #" (m.seq) ": " (m.problem)
                }))
                p { a href=(format!("/ledger?before={}", m.seq + 1)) { (t("ledger.show_entry")) " #" (m.seq) } }
            }
        }
        @if let Some(d) = &report.derived_mismatch {
            (notice("error", html! {
                strong { (t("ledger.broken")) } " " code { (d.table) }
                // The record may lie outside a region-bound reader's region.
                @if viewer.root().is_none() { " (" (d.record) "): " (d.problem) }
            }))
        }
        dl class="facts" {
            dt { (t("ledger.algorithm")) } dd { (report.algorithm.key()) }
            dt { (t("ledger.entries")) } dd { (report.entries) }
            dt { (t("ledger.records")) } dd { (report.records_checked) }
            dt { (t("ledger.derived")) } dd { (report.derived_checked) }
            dt { (t("ledger.tip")) } dd { "#" (report.tip.seq) " " code { (report.tip.hash) } }
        }
        @if viewer.root().is_some() { p class="muted" { (t("ledger.whole_chain")) } }
        p { a href="/ledger" { "← " (t("ledger.title")) } }
    };
    Ok(Shell::of(&viewer, "/ledger").page(t("ledger.verify"), body))
}
