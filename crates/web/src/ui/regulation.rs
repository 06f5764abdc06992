//! The regulation reader: the version in force and every stored version, chapter by chapter
//! and article by article (each article has the anchor `art-N` that responsibility lists link
//! to), with the list of versions and the warnings found in each text; the differences between
//! two versions; and, for system administrators, importing a new version from a pasted or
//! uploaded text.
//!
//! The regulation is public law, so reading it needs no sign-in; importing does.

use std::collections::HashSet;

use axum::extract::{FromRequest, Multipart, OriginalUri, Path, Query, Request, State};
use axum::response::Response;
use ecoduty_domain::access::Permission;
use ecoduty_regulation::citation::article_zh;
use ecoduty_regulation::diff::{Change, ChapterChange, Hunk, Place};
use ecoduty_regulation::{Regulation, WarningKind};
use ecoduty_store::regulation::{NewVersion, RegulationVersion};
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{
    checkbox, csrf_field, done, field, flash, form_error, notice, opt_date, reason_field, refused,
    req_reason, Fields, MaybeViewer, Shell,
};
use crate::ui::regions::today;
use crate::ui::upload;

#[derive(Deserialize)]
pub struct OkQuery {
    ok: Option<String>,
}

/// GET /regulation: the version in force today.
pub async fn in_force(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    Query(q): Query<OkQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let version = match state.store.regulation_in_force(today()).await? {
        Some(v) => v,
        // Before any version took effect: the earliest one.
        None => state
            .store
            .regulation_versions()
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?,
    };
    render_version(
        &state,
        viewer.as_ref(),
        lang,
        version.id,
        &q,
        uri.to_string(),
    )
    .await
}

/// GET /regulation/{id}
pub async fn version(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    render_version(&state, viewer.as_ref(), lang, id, &q, uri.to_string()).await
}

fn warning_kind(lang: Lang, kind: WarningKind) -> &'static str {
    match kind {
        WarningKind::Truncated => lang.pick("文本不完整", "truncated"),
        WarningKind::ArticleMissing => lang.pick("缺条", "article missing"),
        WarningKind::ArticleOutOfSequence => lang.pick("条序错乱", "article out of sequence"),
        WarningKind::ChapterOutOfSequence => lang.pick("章序错乱", "chapter out of sequence"),
        WarningKind::ItemOutOfSequence => lang.pick("项序错乱", "item out of sequence"),
        WarningKind::ForeignToken => lang.pick("夹杂外文", "foreign word"),
        WarningKind::DoubledText => lang.pick("文字重复", "doubled text"),
        WarningKind::StrayText => lang.pick("游离文字", "stray text"),
        WarningKind::MissingTitle => lang.pick("缺少标题", "missing title"),
    }
}

/// The warnings of a parsed text, each linking to its article.
fn warnings_list(lang: Lang, reg: &Regulation, link_articles: bool) -> Markup {
    html! {
        ul class="warnings" {
            @for w in &reg.warnings {
                li {
                    span class="badge warn" { (warning_kind(lang, w.kind)) }
                    @if let (Some(n), true) = (w.article, link_articles) {
                        " " a href=(format!("#art-{n}")) { (article_zh(n)) }
                    }
                    " " span lang="zh-CN" { (w.message) }
                }
            }
        }
    }
}

/// The table of stored versions, with the compare form.
fn versions_section(
    lang: Lang,
    versions: &[RegulationVersion],
    current: i64,
    in_force: Option<i64>,
    signed_in: bool,
) -> Markup {
    let t = |k| lang.t(k);
    // Compare this version with the latest; the latest with the one before it.
    let last = versions.last().map(|v| v.id).unwrap_or(current);
    let (a, b) = if current == last {
        let before = versions
            .iter()
            .rev()
            .nth(1)
            .map(|v| v.id)
            .unwrap_or(current);
        (before, last)
    } else {
        (current, last)
    };
    html! {
        section aria-labelledby="versions-h" {
            h2 id="versions-h" { (t("regulation.versions")) }
            div class="table-wrap" {
                table {
                    thead { tr {
                        th scope="col" { (t("regulation.version")) }
                        th scope="col" { (t("regulation.effective")) }
                        th scope="col" { (t("regulation.source")) }
                        @if signed_in { th scope="col" { (t("regulation.recorded")) } }
                    } }
                    tbody {
                        @for v in versions {
                            tr {
                                td {
                                    @if v.id == current { strong aria-current="page" { "#" (v.id) " " (v.label) } } @else { a href=(format!("/regulation/{}", v.id)) { "#" (v.id) " " (v.label) } }
                                    @if Some(v.id) == in_force { " " span class="badge" { (t("regulation.inforce")) } }
                                    @if !v.complete { " " span class="badge warn" { (t("regulation.incomplete")) } }
                                }
                                td { (v.effective_from) }
                                td { (v.source_name) @if v.builtin { " " span class="muted" { "(" (t("regulation.builtin")) ")" } } }
                                @if signed_in { td { (v.recorded_at.get(..10).unwrap_or(&v.recorded_at)) " · " (v.recorded_by) } }
                            }
                        }
                    }
                }
            }
            @if versions.len() > 1 {
                form method="get" action="/regulation/diff" class="inline-form" {
                    (version_select("diff-a", "a", t("regulation.a"), versions, a))
                    (version_select("diff-b", "b", t("regulation.b"), versions, b))
                    button type="submit" { (t("regulation.compare")) }
                }
            }
        }
    }
}

fn version_select(
    id: &str,
    name: &str,
    label: &str,
    versions: &[RegulationVersion],
    selected: i64,
) -> Markup {
    field(
        id,
        label,
        html! {
            select id=(id) name=(name) {
                @for v in versions {
                    option value=(v.id) selected[v.id == selected] { "#" (v.id) " " (v.label) " (" (v.effective_from) ")" }
                }
            }
        },
    )
}

async fn render_version(
    state: &AppState,
    viewer: Option<&Viewer>,
    lang: Lang,
    id: i64,
    q: &OkQuery,
    here: String,
) -> PageResult<Markup> {
    let t = |k| lang.t(k);
    let (version, reg, _body) = state.store.regulation_version(id).await?;
    // The versions of this version's framework; the other frameworks are linked above them.
    let versions = state.store.framework_versions(&version.framework).await?;
    let in_force = state
        .store
        .framework_in_force(&version.framework, today())
        .await?
        .map(|v| v.id);
    let frameworks = state.store.frameworks(today()).await?;
    let situations = state.store.framework_situations(id).await?;
    let forms = state.store.framework_forms(id).await?;
    let can_import = viewer.is_some_and(|v| v.can(Permission::ImportRegulation));
    let mut anchored = HashSet::new();
    let body = html! {
        h1 { (reg.title) }
        (flash(lang, q.ok.as_deref()))
        p class="meta" {
            (t("regulation.version")) " " strong { "#" (version.id) " " (version.label) } " · "
            (t("regulation.effective")) " " (version.effective_from)
            @if let Some(d) = reg.issued { " · " (t("regulation.issued")) " " (d) }
            @if Some(version.id) == in_force { " " span class="badge" { (t("regulation.inforce")) } }
        }
        div class="reader" {
            nav class="toc" aria-labelledby="toc-h" {
                h2 id="toc-h" { (t("regulation.contents")) }
                ol {
                    @for c in &reg.chapters {
                        li {
                            @if c.number > 0 { a href=(format!("#ch-{}", c.number)) { (chapter_heading(c.number, &c.title)) } }
                            @else { a href=(format!("#art-{}", c.articles.first().map(|a| a.number).unwrap_or(1))) { (t("regulation.articles")) } }
                        }
                    }
                }
            }
            article class="regulation" lang="zh-CN" {
                @for c in &reg.chapters {
                    section class="chapter" aria-labelledby=(format!("ch-{}", c.number)) {
                        @if c.number > 0 { h2 id=(format!("ch-{}", c.number)) { (chapter_heading(c.number, &c.title)) } }
                        @else { h2 id="ch-0" class="visually-hidden" { (t("regulation.articles")) } }
                        @for a in &c.articles {
                            @let anchor = anchored.insert(a.number);
                            section class="article" id=[anchor.then(|| format!("art-{}", a.number))] {
                                h3 { a class="anchor" href=(format!("#art-{}", a.number)) { (article_zh(a.number)) } }
                                @for p in &a.paragraphs {
                                    @if !p.text.is_empty() { p { (p.text) } }
                                    @if !p.items.is_empty() {
                                        ul class="items" {
                                            @for item in &p.items { li { (item.full_text()) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !reg.warnings.is_empty() {
            section aria-labelledby="warnings-h" {
                h2 id="warnings-h" { (t("regulation.warnings")) }
                p class="muted" { (t("regulation.warnings_note")) }
                (warnings_list(lang, &reg, true))
            }
        }
        @if !situations.is_empty() || !forms.is_empty() {
            section aria-labelledby="situations-h" id="situations" {
                h2 id="situations-h" { (lang.pick("追责情形与追究形式(从本版本文本读出)", "Situations and forms of accountability (read from this version's text)")) }
                @if !situations.is_empty() {
                    table {
                        thead { tr {
                            th scope="col" { (lang.pick("条款", "Provision")) }
                            th scope="col" { (lang.pick("追究对象", "Who answers")) }
                            th scope="col" { (lang.pick("情形", "Situation")) }
                        } }
                        tbody {
                            @for x in &situations {
                                tr { td { (x.citation) } td { (x.subject) } td lang="zh-CN" { (x.text) } }
                            }
                        }
                    }
                }
                @if !forms.is_empty() {
                    p { (lang.pick("追究形式:", "Forms of accountability: "))
                        @for (i, f) in forms.iter().enumerate() {
                            @if i > 0 { "、" }
                            (f.name) @if let Some(g) = &f.group { "(" (g) ")" }
                        }
                    }
                }
            }
        }
        @if frameworks.len() > 1 {
            section aria-labelledby="frameworks-h" id="frameworks" {
                h2 id="frameworks-h" { (lang.pick("框架", "Frameworks")) }
                ul {
                    @for fw in &frameworks {
                        li {
                            @if let Some(v) = fw.in_force.or_else(|| versions.last().filter(|_| fw.key == version.framework).map(|v| v.id)) {
                                a href=(format!("/regulation/{v}")) { "《" (fw.title) "》" }
                            } @else { "《" (fw.title) "》" }
                            " · " code { (fw.key) } " · " (fw.versions) (lang.pick(" 个版本", " version(s)"))
                            @if fw.key == version.framework { " " span class="badge" { (lang.pick("本框架", "this framework")) } }
                        }
                    }
                }
            }
        }
        (versions_section(lang, &versions, version.id, in_force, viewer.is_some()))
        @if can_import {
            p { a class="button" href="/regulation/import" { (t("regulation.import")) } }
        }
    };
    Ok(Shell::new(lang, viewer, here).page(
        &format!("{} · {}", t("regulation.title"), version.label),
        body,
    ))
}

fn chapter_heading(number: u32, title: &str) -> String {
    format!(
        "第{}章 {}",
        ecoduty_regulation::numerals::to_chinese(number),
        title
    )
}

#[derive(Deserialize)]
pub struct DiffQuery {
    a: Option<String>,
    b: Option<String>,
}

/// Splits a hunk into the context before, the removed and inserted text, and the context
/// after: `a` is before + removed + after and `b` is before + inserted + after.
fn split_hunk(h: &Hunk) -> (String, String) {
    let a: Vec<char> = h.a.chars().collect();
    let b: Vec<char> = h.b.chars().collect();
    let (rl, il) = (h.removed.chars().count(), h.inserted.chars().count());
    let context = a.len().saturating_sub(rl);
    for k in 0..=context {
        let before: String = a[..k].iter().collect();
        let after_a: String = a[(k + rl).min(a.len())..].iter().collect();
        let after_b: String = b[(k + il).min(b.len())..].iter().collect();
        let removed: String = a[k..(k + rl).min(a.len())].iter().collect();
        let inserted: String = b[k.min(b.len())..(k + il).min(b.len())].iter().collect();
        if removed == h.removed
            && inserted == h.inserted
            && after_a == after_b
            && b[..k.min(b.len())].iter().collect::<String>() == before
        {
            return (before, after_a);
        }
    }
    (String::new(), String::new())
}

fn hunk_markup(h: &Hunk) -> Markup {
    let (before, after) = split_hunk(h);
    html! {
        span class="hunk" {
            (before)
            @if !h.removed.is_empty() { del { (h.removed) } }
            @if !h.inserted.is_empty() { ins { (h.inserted) } }
            (after)
        }
    }
}

/// Where in the article a change is, when the article has more than one place to name.
fn place<'a>(p: &'a Place, article: &str) -> Option<&'a str> {
    (p.citation != article).then_some(p.citation.as_str())
}

/// GET /regulation/diff?a=&b=
pub async fn diff(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    Query(q): Query<DiffQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let t = |k| lang.t(k);
    let versions = state.store.regulation_versions().await?;
    let pick = |s: &Option<String>, name: &str| -> Result<Option<i64>, AppError> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|id| versions.iter().any(|x| x.id == *id))
                .map(Some)
                .ok_or_else(|| AppError::invalid(name, format!("no version {v}"))),
        }
    };
    let a = pick(&q.a, "a")?;
    let b = pick(&q.b, "b")?;
    let (default_a, default_b) = (
        versions.first().map(|v| v.id).unwrap_or(0),
        versions.last().map(|v| v.id).unwrap_or(0),
    );
    let compared = match (a, b) {
        (Some(a), Some(b)) => {
            let (va, ra, _) = state.store.regulation_version(a).await?;
            let (vb, rb, _) = state.store.regulation_version(b).await?;
            Some((va, vb, ecoduty_regulation::diff(&ra, &rb)))
        }
        _ => None,
    };
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/regulation" { (t("regulation.title")) } } li aria-current="page" { (t("regulation.compare")) } }
        }
        h1 { (t("regulation.compare")) }
        form method="get" action="/regulation/diff" class="inline-form" {
            (version_select("diff-a", "a", t("regulation.a"), &versions, a.unwrap_or(default_a)))
            (version_select("diff-b", "b", t("regulation.b"), &versions, b.unwrap_or(default_b)))
            button type="submit" class="primary" { (t("regulation.compare")) }
        }
        @if let Some((va, vb, d)) = &compared {
            p class="meta" {
                "A = " a href=(format!("/regulation/{}", va.id)) { "#" (va.id) " " (va.label) } " (" (va.effective_from) ", " (d.a.articles) " " (t("regulation.articles_n")) ") · "
                "B = " a href=(format!("/regulation/{}", vb.id)) { "#" (vb.id) " " (vb.label) } " (" (vb.effective_from) ", " (d.b.articles) " " (t("regulation.articles_n")) ")"
            }
            p class="legend" { del { (t("regulation.deleted")) } " " ins { (t("regulation.inserted")) } }
            @if d.is_empty() {
                (notice("info", html! { (t("regulation.same")) }))
            } @else {
                div class="diff" lang="zh-CN" {
                    @if d.title_changed {
                        section class="article" {
                            h3 { (t("regulation.title_changed")) }
                            p { del { (d.a.title) } " " ins { (d.b.title) } }
                        }
                    }
                    @if d.issued_changed {
                        section class="article" {
                            h3 { (t("regulation.issued")) }
                            p { del { (d.a.issued.map(|x| x.to_string()).unwrap_or_default()) } " " ins { (d.b.issued.map(|x| x.to_string()).unwrap_or_default()) } }
                        }
                    }
                    @for c in &d.chapters {
                        section class="article" {
                            @match c {
                                ChapterChange::OnlyInA { number, title } => { p { del { (chapter_heading(*number, title)) } } }
                                ChapterChange::OnlyInB { number, title } => { p { ins { (chapter_heading(*number, title)) } } }
                                ChapterChange::Retitled { number, a, b } => { p { del { (chapter_heading(*number, a)) } " " ins { (chapter_heading(*number, b)) } } }
                            }
                        }
                    }
                    @if !d.articles_only_in_a.is_empty() {
                        p { (t("regulation.only_a")) ": " del { (ecoduty_regulation::diff::article_ranges(&d.articles_only_in_a)) } }
                    }
                    @if !d.articles_only_in_b.is_empty() {
                        p { (t("regulation.only_b")) ": " ins { (ecoduty_regulation::diff::article_ranges(&d.articles_only_in_b)) } }
                    }
                    @for art in &d.articles {
                        section class="article" id=(format!("art-{}", art.number)) {
                            h3 { (art.citation)
                                @if art.truncated_in.is_some() { " " span class="badge warn" { (t("regulation.truncated_here")) } }
                            }
                            @for ch in &art.changes {
                                @match ch {
                                    Change::OnlyInA { at, text } => { p { @if let Some(c) = place(at, &art.citation) { span class="cite" { (c) } " " } del { (text) } } }
                                    Change::OnlyInB { at, text } => { p { @if let Some(c) = place(at, &art.citation) { span class="cite" { (c) } " " } ins { (text) } } }
                                    Change::Edited { a, hunks, .. } => {
                                        p {
                                            @if let Some(c) = place(a, &art.citation) { span class="cite" { (c) } " " }
                                            @for (i, h) in hunks.iter().enumerate() {
                                                @if i > 0 { " … " }
                                                (hunk_markup(h))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !d.unchanged.is_empty() {
                        p class="muted" { (t("regulation.unchanged")) ": " (ecoduty_regulation::diff::article_ranges(&d.unchanged)) }
                    }
                }
            }
        }
    };
    Ok(Shell::new(lang, viewer.as_ref(), uri.to_string()).page(t("regulation.compare"), body))
}

/// What a refused import shows: the message, and what was read from the text.
struct Refusal {
    message: String,
    parsed: Option<Regulation>,
}

fn import_page(viewer: &Viewer, sent: &Fields, text: &str, refusal: Option<&Refusal>) -> Markup {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/regulation" { (t("regulation.title")) } } li aria-current="page" { (t("regulation.import")) } }
        }
        h1 { (t("regulation.import")) }
        @if let Some(r) = refusal {
            (notice("error", html! { strong { (t("regulation.refused")) } " " (r.message) }))
            @if let Some(reg) = &r.parsed {
                section aria-labelledby="preview-h" class="card" {
                    h2 id="preview-h" { (t("regulation.preview")) }
                    dl class="facts" {
                        dt { (t("regulation.title_changed")) } dd lang="zh-CN" { (reg.title) }
                        dt { (t("regulation.issued")) } dd { (reg.issued.map(|d| d.to_string()).unwrap_or_else(|| t("common.none").to_string())) }
                        dt { (t("regulation.articles")) } dd { (reg.articles().count()) }
                        dt { (t("regulation.complete")) } dd { (if reg.complete { t("common.yes") } else { t("common.no") }) }
                    }
                    @if !reg.warnings.is_empty() {
                        h3 { (t("regulation.warnings")) " (" (reg.warnings.len()) ")" }
                        (warnings_list(lang, reg, false))
                    }
                }
            }
        }
        p { (t("regulation.import_help")) }
        form method="post" action="/regulation/import" enctype="multipart/form-data" class="card" {
            (csrf_field(viewer))
            (field("reg-text", t("regulation.text"), html! {
                textarea id="reg-text" name="text" rows="14" lang="zh-CN" { (text) }
            }))
            (field("reg-file", t("regulation.file"), html! {
                input id="reg-file" name="file" type="file" accept=".txt,.md,text/plain";
            }))
            div class="row" {
                (field("reg-effective", t("regulation.effective_from"), html! {
                    input id="reg-effective" name="effective_from" type="date" value=(sent.get("effective_from")) aria-describedby="reg-effective-hint";
                    small id="reg-effective-hint" class="muted" { (t("regulation.effective_hint")) }
                }))
                (field("reg-label", t("regulation.label"), html! {
                    input id="reg-label" name="label" type="text" maxlength="100" value=(sent.get("label"));
                }))
            }
            div class="row" {
                (field("reg-framework", lang.pick("框架(留空为内置规定 regulation-2025;如 accountability-measures)", "Framework (empty: the built-in regulation, regulation-2025; e.g. accountability-measures)"), html! {
                    input id="reg-framework" name="framework" type="text" maxlength="40" pattern="[a-z0-9-]*" value=(sent.get("framework"));
                }))
                (field("reg-short", lang.pick("简称(如 办法;留空按标题)", "Short name (e.g. 办法; empty: from the title)"), html! {
                    input id="reg-short" name="short_name" type="text" maxlength="40" value=(sent.get("short_name"));
                }))
            }
            (checkbox("reg-accept", "accept_warnings", t("regulation.accept"), sent.ticked("accept_warnings")))
            (reason_field(lang, "reg-reason", sent.get("reason")))
            button type="submit" class="primary" { (t("regulation.import")) }
        }
    };
    Shell::of(viewer, "/regulation/import").page(t("regulation.import"), body)
}

/// GET /regulation/import
pub async fn import_form(viewer: Viewer) -> PageResult<Markup> {
    viewer.require(Permission::ImportRegulation)?;
    Ok(import_page(&viewer, &Fields::default(), "", None))
}

/// POST /regulation/import (multipart: text or file, effective date, label, accept-warnings,
/// reason).
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> PageResult<Response> {
    // The role is checked before the upload is read.
    viewer.require(Permission::ImportRegulation)?;
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let f = &form.fields;
    // The text: an uploaded file, or else the pasted text.
    let (bytes, source_name) = match form.file("file") {
        Some(file) => (file.bytes.clone(), file.file_name.clone()),
        None => (
            f.get("text").as_bytes().to_vec(),
            viewer.lang.t("regulation.pasted").to_string(),
        ),
    };
    let text = String::from_utf8_lossy(&bytes).to_string();
    let refuse = |message: String, parsed: Option<Regulation>| -> Response {
        refused(import_page(
            &viewer,
            f,
            &text,
            Some(&Refusal { message, parsed }),
        ))
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(refuse(
            format!("text: {}", viewer.lang.t("regulation.empty")),
            None,
        ));
    }
    let reg = match ecoduty_regulation::parse_bytes(&bytes) {
        Ok(reg) => reg,
        Err(e) => return Ok(refuse(format!("text: {e}"), None)),
    };
    let checked = (|| {
        let reason = req_reason(f.get("reason"))?;
        let effective = opt_date("effective_from", f.get("effective_from"))?;
        Ok::<_, AppError>((reason, effective))
    })();
    let (reason, effective) = match checked {
        Ok(x) => x,
        Err(e) => return Ok(refuse(e.to_string(), Some(reg))),
    };
    if !reg.warnings.is_empty() && !f.ticked("accept_warnings") {
        let message = format!(
            "{} ({})",
            viewer.lang.t("regulation.has_warnings"),
            reg.warnings.len()
        );
        return Ok(refuse(message, Some(reg)));
    }
    let label = f.get("label").trim();
    let framework = f.get("framework").trim();
    let short_name = f.get("short_name").trim();
    let result = state
        .store
        .import_regulation(
            &viewer.change(reason),
            NewVersion {
                framework: (!framework.is_empty()).then_some(framework),
                short_name: (!short_name.is_empty()).then(|| short_name.to_string()),
                regulation: &reg,
                text: &text,
                source_name: &source_name,
                label: (!label.is_empty()).then(|| label.to_string()),
                effective_from: effective,
                builtin: false,
            },
            f.ticked("accept_warnings"),
        )
        .await
        .map_err(AppError::from);
    match result {
        Ok(v) => Ok(done(
            &format!("/regulation/{}", v.id),
            "regulation_imported",
        )),
        Err(e) => match form_error(viewer.lang, &e) {
            Some(_) => Ok(refuse(e.to_string(), Some(reg))),
            None => Err(e),
        },
    }
}
