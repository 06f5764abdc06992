//! The pages of findings and their rectification: the list with its filters (region, status,
//! category, overdue) a page at a time; a finding's page — where it stands, its deadline, its
//! whole history step by step, its evidence, and a form for each step the viewer may take now
//! (the state machine, the viewer's role and the separation of duties decide which); evidence
//! downloads; and the rectification ledger (整改台账) of a region as an Excel workbook, and
//! importing one — all rows or none, every bad row listed.
//!
//! A step goes through the same code as the API ([`crate::api::findings::take_step`]), so a
//! refusal reads the same in both: the page is shown again with the reason.

use axum::extract::{Multipart, OriginalUri, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use ecoduty_domain::access::Permission;
use ecoduty_domain::supervision::finding::Status;
use ecoduty_domain::supervision::sheet::{export_header, read_sheet};
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_store::supervision::evidence::EvidenceInfo;
use ecoduty_store::supervision::findings::{Finding, FindingAction, SheetImport};
use ecoduty_store::supervision::{EvidenceRef, PageRequest};
use ecoduty_store::StoreError;
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::findings::{allowed_steps, detail, filter_of, take_step, FindingQuery};
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::{Lang, Wording};
use crate::state::AppState;
use crate::ui::complaint_form::category_name;
use crate::ui::layout::{csrf_field, field, flash, notice, row_errors, Shell};
use crate::ui::upload;

/// A status in the interface's language.
pub fn status_name(lang: Lang, s: Status) -> &'static str {
    lang.pick(s.name_zh(), s.name_en())
}

pub fn severity_name(lang: Lang, s: Severity) -> &'static str {
    let en = match s {
        Severity::General => "General",
        Severity::Serious => "Serious",
        Severity::Major => "Major",
    };
    lang.pick(s.name_zh(), en)
}

fn source_name(lang: Lang, s: Source) -> &'static str {
    let en = match s {
        Source::Inspection => "Inspection",
        Source::Complaint => "Public complaint",
        Source::Audit => "Audit",
        Source::IndicatorWarning => "Indicator warning",
        Source::Media => "Media report",
        Source::Patrol => "Chief's patrol",
    };
    lang.pick(s.name_zh(), en)
}

/// A step's name, by its key (`create`, `start` …).
fn step_name(lang: Lang, key: &str) -> String {
    let (zh, en) = match key {
        "create" => ("交办", "Assigned"),
        "start" => ("开始整改", "Rectification started"),
        "progress" => ("报送进展", "Progress reported"),
        "request_closure" => ("申请销号", "Closure requested"),
        "verify" => ("验收通过", "Verified"),
        "return" => ("退回重新整改", "Returned for rework"),
        "close" => ("销号", "Closed"),
        "mark_overdue" => ("逾期", "Found overdue"),
        "extend_deadline" => ("延期", "Deadline extended"),
        "long_term" => ("转为长期坚持", "Made long-term"),
        "review" => ("定期复核", "Reviewed"),
        "import" => ("台账导入", "Imported from a ledger sheet"),
        other => (other, other),
    };
    lang.pick(zh, en).to_string()
}

/// A status chip; an overdue finding still with its units is marked so.
pub fn status_chip(lang: Lang, f: &Finding) -> Markup {
    let overdue = f.overdue_since.is_some() && f.status.is_being_rectified();
    html! {
        span class=(format!("status {}", f.status.key())) { (status_name(lang, f.status)) }
        @if overdue { " " span class="status overdue" { (lang.pick("逾期", "Overdue")) } }
    }
}

fn excerpt(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    region: Option<String>,
    status: Option<String>,
    category: Option<String>,
    overdue: Option<String>,
    before: Option<i64>,
    ok: Option<String>,
}

/// GET /findings
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    list_page(&state, &viewer, &q, &uri.to_string(), None).await
}

/// What a refused bulk extension sends back to its form: the findings chosen, the deadline
/// and the reason as typed, and what was wrong.
struct BulkSent {
    chosen: Vec<i64>,
    deadline: String,
    comment: String,
    message: Markup,
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    q: &ListQuery,
    here: &str,
    bulk: Option<BulkSent>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let category: Option<Category> = match q.category.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(
            c.parse()
                .map_err(|e: String| AppError::invalid("category", e))?,
        ),
        None => None,
    };
    let overdue = matches!(q.overdue.as_deref(), Some("on" | "true" | "1"));
    let query = FindingQuery {
        region: q.region.clone().filter(|r| !r.trim().is_empty()),
        status: q.status.clone().filter(|s| !s.is_empty()),
        category,
        overdue: Some(overdue),
        ..FindingQuery::default()
    };
    let filter = filter_of(state, viewer, &query).await?;
    let mut page = state
        .store
        .findings_page(
            &filter,
            PageRequest {
                before: q.before,
                limit: 50,
            },
        )
        .await?;
    // A refused extension shows its findings again, checked, even when they are not on the
    // page the filter gives.
    if let Some(b) = &bulk {
        for id in &b.chosen {
            if !page.items.iter().any(|f| f.id == *id) {
                if let Some(f) = state.store.finding(*id).await? {
                    if viewer.reaches(&f.region_code) {
                        page.items.push(f);
                    }
                }
            }
        }
    }
    let can_extend = viewer.can(Permission::Inspect);
    let chosen: Vec<i64> = bulk.as_ref().map(|b| b.chosen.clone()).unwrap_or_default();
    let region_value = q.region.clone().unwrap_or_default();
    let status_value = q.status.clone().unwrap_or_default();
    let next_link = page.next_before.map(|b| {
        let mut params = vec![("before".to_string(), b.to_string())];
        for (k, v) in [
            ("region", &region_value),
            ("status", &status_value),
            ("category", &q.category.clone().unwrap_or_default()),
        ] {
            if !v.is_empty() {
                params.push((k.to_string(), v.clone()));
            }
        }
        if overdue {
            params.push(("overdue".into(), "on".into()));
        }
        format!(
            "/findings?{}",
            serde_urlencoded::to_string(&params).unwrap_or_default()
        )
    });
    let export_region = filter
        .within
        .as_ref()
        .map(|c| c.to_string())
        .unwrap_or_default();
    let regions =
        crate::ui::supervision::region_choice(state, viewer, query.region.as_deref()).await?;
    let body = html! {
        h1 { (lang.pick("督察整改", "Findings and rectification")) }
        (flash(lang, q.ok.as_deref()))
        form method="get" action="/findings" class="inline-form" role="search" id="findings-filter" {
            (field("f-region", lang.pick("地区", "Region"), html! {
                (crate::ui::supervision::region_select(lang, &regions, "f-region", "region", &region_value))
            }))
            (field("f-status", lang.pick("状态", "Status"), html! {
                select id="f-status" name="status" {
                    option value="" { (lang.pick("全部", "Any")) }
                    option value="assigned,in_progress" selected[status_value == "assigned,in_progress"] { (lang.pick("整改中(含已交办)", "Being rectified")) }
                    @for s in Status::ALL {
                        option value=(s.key()) selected[status_value == s.key()] { (status_name(lang, *s)) }
                    }
                }
            }))
            (field("f-category", lang.pick("类别", "Category"), html! {
                select id="f-category" name="category" {
                    option value="" { (lang.pick("全部", "Any")) }
                    @for c in Category::ALL {
                        option value=(c.key()) selected[q.category.as_deref() == Some(c.key())] { (category_name(lang, *c)) }
                    }
                }
            }))
            div class="field check" {
                input id="f-overdue" name="overdue" type="checkbox" value="on" checked[overdue];
                label for="f-overdue" { (lang.pick("仅逾期", "Overdue only")) }
            }
            button type="submit" class="primary" { (lang.pick("筛选", "Filter")) }
        }
        p {
            a href=(format!("/findings/sheet?region={export_region}")) id="sheet-export" {
                (lang.pick("导出整改台账(Excel)", "Export the ledger sheet (Excel)"))
            }
            @if viewer.can(Permission::Inspect) {
                " · " a href="/findings/new" id="new-finding-link" { (lang.pick("交办新问题", "Assign a new finding")) }
            }
        }
        @if let Some(b) = &bulk { (b.message) }
        @if page.items.is_empty() {
            p class="muted" id="findings-empty" { (lang.pick("没有符合条件的问题。", "No findings match.")) }
        } @else {
            form method="post" action="/findings/extend" id="bulk-extend" {
            @if can_extend { (csrf_field(viewer)) }
            div class="table-wrap" {
                table id="findings-table" {
                    thead { tr {
                        @if can_extend { th scope="col" { span class="visually-hidden" { (lang.pick("选择", "Select")) } } }
                        th scope="col" { "#" }
                        th scope="col" { (lang.pick("问题", "Finding")) }
                        th scope="col" { (lang.pick("地区", "Region")) }
                        th scope="col" { (lang.pick("类别", "Category")) }
                        th scope="col" { (lang.pick("整改时限", "Deadline")) }
                        th scope="col" { (lang.pick("状态", "Status")) }
                    } }
                    tbody {
                        @for f in &page.items {
                            tr {
                                @if can_extend {
                                    td {
                                        @if f.status.is_being_rectified() {
                                            input type="checkbox" name="finding" value=(f.id)
                                                id=(format!("pick-{}", f.id)) checked[chosen.contains(&f.id)]
                                                aria-label=(format!("{} #{}", lang.pick("选择问题", "Select finding"), f.id));
                                        }
                                    }
                                }
                                td { (f.id) }
                                td { a href=(format!("/findings/{}", f.id)) { (excerpt(&f.text, 60)) } }
                                td { (f.region_code) }
                                td { (category_name(lang, f.category)) }
                                td { @match f.deadline { Some(d) => (d), None => (lang.pick("长期坚持", "long-term")) } }
                                td { (status_chip(lang, f)) }
                            }
                        }
                    }
                }
            }
            @if can_extend {
                fieldset class="card" id="bulk-extend-fields" {
                    legend { (lang.pick("批量延期", "Extend deadlines")) }
                    p class="muted" { (lang.pick(
                        "勾选上表中整改中的问题,填写新的整改时限和延期理由。有任何一个问题不能延期时,全部不延期,并逐一列出原因。",
                        "Tick the findings being rectified above, give the new deadline and the reason. If any one cannot be extended, none is, and each refusal is listed."
                    )) }
                    (field("bulk-deadline", lang.pick("新的整改时限", "New deadline"), html! {
                        input id="bulk-deadline" name="deadline" type="date" required
                            value=(bulk.as_ref().map(|b| b.deadline.as_str()).unwrap_or(""));
                    }))
                    (field("bulk-comment", lang.pick("延期理由", "Reason for the extension"), html! {
                        textarea id="bulk-comment" name="comment" rows="2" required maxlength="2000" {
                            (bulk.as_ref().map(|b| b.comment.as_str()).unwrap_or(""))
                        }
                    }))
                    button type="submit" class="primary" id="bulk-extend-submit" { (lang.pick("延期所选问题", "Extend the selected findings")) }
                }
            }
            }
        }
        @if let Some(next) = next_link {
            p { a href=(next) rel="next" { (lang.pick("下一页", "Next page")) } }
        }
        @if viewer.can(Permission::Inspect) {
            (sheet_import_form(viewer, &export_region))
        }
    };
    Ok(Shell::of(viewer, here).page(lang.pick("督察整改", "Findings"), body))
}

/// POST /findings/extend: extends the deadline of the findings ticked on the list, with one
/// reason, all or none. A refusal shows the list again with every refused finding and why,
/// and changes nothing.
pub async fn extend(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = crate::ui::layout::Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::Inspect)?;
    let lang = viewer.lang;
    let mut chosen = Vec::new();
    let mut problem: Option<AppError> = None;
    for v in f.all("finding") {
        match v.trim().parse::<i64>() {
            Ok(id) => chosen.push(id),
            Err(_) => {
                problem = Some(AppError::invalid(
                    "finding",
                    format!(
                        "{v:?}: {}",
                        lang.pick("不是问题编号", "not a finding's number")
                    ),
                ))
            }
        }
    }
    let deadline_text = f.get("deadline").trim().to_string();
    let comment = f.get("comment").trim().to_string();
    let outcome = match problem {
        Some(e) => Err(e),
        None => {
            async {
                let deadline = crate::ui::layout::req_date("deadline", &deadline_text)?;
                let comment = crate::api::common::optional_text(
                    "comment",
                    &comment,
                    crate::api::findings::MAX_COMMENT,
                )?;
                crate::api::findings::extend_deadlines(
                    &state,
                    &viewer,
                    &chosen,
                    deadline,
                    &comment,
                    Wording::Page(lang),
                )
                .await
            }
            .await
        }
    };
    let message = match outcome {
        Ok(Ok(extended)) => {
            return Ok(crate::ui::layout::done(
                &format!("/findings?extended={}", extended.len()),
                "deadlines_extended",
            ))
        }
        Ok(Err(refusals)) => notice(
            "error",
            html! {
                strong { (lang.pick("未延期任何问题", "No deadline was extended")) }
                ": " (lang.pick("以下问题不能延期", "these findings cannot be extended")) ":"
                ul id="bulk-refusals" {
                    @for r in &refusals {
                        li data-finding=(r.finding_id) {
                            a href=(format!("/findings/{}", r.finding_id)) { "#" (r.finding_id) }
                            " " (lang.pick(&r.reason.zh, &r.reason.en))
                        }
                    }
                }
            },
        ),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => notice(
            "error",
            html! {
                strong { (lang.pick("未延期任何问题", "No deadline was extended")) }
                ": " span id="bulk-refusal" { (e.public_message()) }
            },
        ),
        Err(e) => return Err(e),
    };
    let page = list_page(
        &state,
        &viewer,
        &ListQuery::default(),
        &uri.to_string(),
        Some(BulkSent {
            chosen,
            deadline: deadline_text,
            comment,
            message,
        }),
    )
    .await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn sheet_import_form(viewer: &Viewer, region: &str) -> Markup {
    let lang = viewer.lang;
    html! {
        details class="card" id="sheet-import" {
            summary { (lang.pick("导入整改台账", "Import a ledger sheet")) }
            p class="muted" { (lang.pick(
                "台账列:序号、问题、责任单位、责任人、整改时限、整改措施、整改进展、是否销号(可选:区划代码、类别、严重程度)。全部行无误才导入;有误时逐行列出。",
                "Columns: 序号, 问题, 责任单位, 责任人, 整改时限, 整改措施, 整改进展, 是否销号 (optional: 区划代码, 类别, 严重程度). All rows or none; every bad row is listed."
            )) }
            form method="post" action="/findings/sheet" enctype="multipart/form-data" {
                (csrf_field(viewer))
                (field("sheet-region", lang.pick("地区代码", "Region code"), html! {
                    input id="sheet-region" name="region" type="text" required maxlength="12" value=(region);
                }))
                (field("sheet-inspection", lang.pick("督察编号(来源为督察时必填)", "Inspection id (for inspection findings)"), html! {
                    input id="sheet-inspection" name="inspection" type="number" min="1";
                }))
                (field("sheet-source", lang.pick("来源", "Source"), html! {
                    select id="sheet-source" name="source" {
                        @for s in Source::ALL { option value=(s.key()) { (source_name(lang, *s)) } }
                    }
                }))
                (field("sheet-file", lang.pick("台账文件(.xlsx 或 .csv)", "Ledger file (.xlsx or .csv)"), html! {
                    input id="sheet-file" name="file" type="file" required accept=".xlsx,.csv";
                }))
                button type="submit" class="primary" { (lang.pick("导入", "Import")) }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    ok: Option<String>,
}

/// GET /findings/{id}
pub async fn show(
    State(state): State<AppState>,
    Scoped(finding, viewer): Scoped<Finding>,
    Query(q): Query<PageQuery>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let here = uri.to_string();
    let message =
        q.ok.as_deref()
            .map(|k| notice("ok", html! { (step_done(viewer.lang, k)) }));
    render(&state, &viewer, finding, &here, message).await
}

fn step_done(lang: Lang, key: &str) -> String {
    format!("{}: {}", lang.pick("已办理", "Done"), step_name(lang, key))
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    finding: Finding,
    here: &str,
    message: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let d = detail(state, viewer, finding).await?;
    let f = &d.finding;
    let title = format!("{} #{}", lang.pick("问题", "Finding"), f.id);
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/findings" { (lang.pick("督察整改", "Findings")) } } li aria-current="page" { "#" (f.id) } }
        }
        h1 { (title) " " (status_chip(lang, f)) }
        @if let Some(m) = message { (m) }
        p id="finding-text" { (f.text) }
        dl class="facts" {
            dt { (lang.pick("状态", "Status")) } dd id="finding-status" data-status=(f.status.key()) { (status_name(lang, f.status)) }
            dt { (lang.pick("整改时限", "Deadline")) }
            dd id="finding-deadline" {
                @match f.deadline { Some(day) => (day), None => (lang.pick("长期坚持", "long-term")) }
                @if let Some(since) = f.overdue_since { " · " span class="status overdue" { (lang.pick("逾期自", "overdue since")) " " (since) } }
            }
            @if let Some(next) = f.state().next_review() {
                dt { (lang.pick("下次复核", "Next review")) } dd { (next) }
            }
            dt { (lang.pick("地区", "Region")) } dd { a href=(format!("/regions/{}", f.region_code)) { (f.region_code) } }
            dt { (lang.pick("来源", "Source")) }
            dd {
                (source_name(lang, f.source))
                @if let Some(i) = &d.inspection { " · " a href=(format!("/inspections/{}", i.id)) { (i.title) } }
                @if !f.source_ref.is_empty() { " · " (f.source_ref) }
            }
            dt { (lang.pick("类别 / 严重程度", "Category / severity")) } dd { (category_name(lang, f.category)) " / " (severity_name(lang, f.severity)) }
            dt { (lang.pick("责任单位", "Responsible units")) } dd { @for (i, u) in d.units.iter().enumerate() { @if i > 0 { "、" } (u.name) } }
            @if !f.measures.is_empty() { dt { (lang.pick("整改措施", "Measures")) } dd { (f.measures) } }
            @if !f.progress.is_empty() { dt { (lang.pick("整改进展", "Progress")) } dd { (f.progress) } }
            @if let Some(by) = &f.closure_requested_by { dt { (lang.pick("申请销号人", "Closure requested by")) } dd { (by) } }
            @if let Some(by) = &f.verified_by { dt { (lang.pick("验收人", "Verified by")) } dd { (by) } }
        }
        @if !f.closure_evidence.is_empty() {
            section aria-labelledby="evidence-h" {
                h2 id="evidence-h" { (lang.pick("佐证材料", "Evidence")) }
                ul id="evidence-list" {
                    @for e in &f.closure_evidence {
                        @let info = d.evidence.iter().find(|i| i.sha256 == e.sha256);
                        li {
                            a href=(format!("/evidence/{}", e.sha256)) { (e.name) }
                            @if let Some(i) = info { " " small class="muted" { (i.kind.key().to_uppercase()) ", " (i.size) " B · sha256 " (&e.sha256[..12]) } }
                        }
                    }
                }
            }
        }
        (step_forms(viewer, f))
        section aria-labelledby="history-h" {
            h2 id="history-h" { (lang.pick("办理记录", "History")) }
            ol class="history" id="finding-history" {
                @for v in &d.history {
                    li {
                        strong { (step_name(lang, &v.step.event)) }
                        " · " (v.step.on) " · " (v.step.actor) " → " (status_name(lang, v.status))
                        @if !v.step.comment.is_empty() { br; span { (v.step.comment) } }
                    }
                }
            }
        }
    };
    Ok(Shell::of(viewer, here).page(&title, body))
}

/// A form per step the viewer may take now.
fn step_forms(viewer: &Viewer, f: &Finding) -> Markup {
    let lang = viewer.lang;
    let allowed = allowed_steps(viewer, f);
    if allowed.is_empty() {
        return html! {};
    }
    let action = format!("/findings/{}/step", f.id);
    let comment = |id: &str, required: bool| {
        html! {
            (field(id, lang.pick("说明", "Comment"), html! {
                textarea id=(id) name="comment" rows="2" maxlength="2000" required[required] {}
            }))
        }
    };
    html! {
        section aria-labelledby="steps-h" {
            h2 id="steps-h" { (lang.pick("办理", "Take a step")) }
            div class="steps" {
                @for key in allowed {
                    form method="post" action=(action) enctype="multipart/form-data" class="card" id=(format!("step-{key}")) {
                        (csrf_field(viewer))
                        input type="hidden" name="action" value=(key);
                        h3 { (step_name(lang, key)) }
                        @match key {
                            "progress" => {
                                (field("step-progress-text", lang.pick("进展情况", "Progress"), html! {
                                    textarea id="step-progress-text" name="text" rows="3" required maxlength="5000" {}
                                }))
                            }
                            "request_closure" => {
                                (field("step-evidence", lang.pick("佐证材料(可多选)", "Evidence files (one or more)"), html! {
                                    input id="step-evidence" name="evidence" type="file" multiple required
                                        accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.doc,.xls,.txt,.csv";
                                }))
                                (comment("step-request_closure-comment", true))
                            }
                            "extend_deadline" => {
                                (field("step-deadline", lang.pick("新的整改时限", "New deadline"), html! {
                                    input id="step-deadline" name="deadline" type="date" required;
                                }))
                                (comment("step-extend_deadline-comment", true))
                            }
                            "long_term" => {
                                (field("step-review-days", lang.pick("复核周期(天)", "Review every (days)"), html! {
                                    input id="step-review-days" name="review_every_days" type="number" min="1" max="366" value="90" required;
                                }))
                                (comment("step-long_term-comment", true))
                            }
                            "return" | "review" => { (comment(&format!("step-{key}-comment"), true)) }
                            _ => { (comment(&format!("step-{key}-comment"), false)) }
                        }
                        button type="submit" class="primary" { (step_name(lang, key)) }
                    }
                }
            }
        }
    }
}

/// POST /findings/{id}/step (a multipart form: the step, its fields, evidence files).
pub async fn step(
    State(state): State<AppState>,
    Scoped(finding, viewer): Scoped<Finding>,
    OriginalUri(uri): OriginalUri,
    multipart: Multipart,
) -> PageResult<Response> {
    let form = upload::read(multipart).await.map_err(|e| match e {
        upload::ReadError::TooLarge => crate::api::evidence::over_limit(&state),
        other => other.into(),
    })?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let fields = &form.fields;
    let key = fields.get("action").to_string();
    let comment = Some(fields.get("comment").to_string());
    let needs = match key.as_str() {
        "start" | "progress" | "request_closure" => Permission::Rectify,
        _ => Permission::Inspect,
    };
    viewer.require(needs)?;
    let result = async {
        let action = match key.as_str() {
            "start" => FindingAction::Start,
            "progress" => FindingAction::Progress {
                text: fields.get("text").trim().to_string(),
            },
            "request_closure" => {
                let mut evidence: Vec<EvidenceRef> = Vec::new();
                for file in form.files.iter().filter(|f| f.field == "evidence") {
                    let stored = crate::api::evidence::store_file(
                        &state,
                        &viewer.change(format!("evidence for finding {}", finding.id)),
                        &file.file_name,
                        &file.bytes,
                    )
                    .await?;
                    evidence.push(stored.reference);
                }
                FindingAction::RequestClosure { evidence }
            }
            "verify" => FindingAction::Verify,
            "return" => FindingAction::Return,
            "close" => FindingAction::Close,
            "extend_deadline" => FindingAction::ExtendDeadline {
                deadline: crate::ui::layout::req_date("deadline", fields.get("deadline"))?,
            },
            "long_term" => FindingAction::LongTerm {
                review_every_days: fields.get("review_every_days").trim().parse().map_err(
                    |_| AppError::invalid("review_every_days", "a number of days, 1–366"),
                )?,
            },
            "review" => FindingAction::Review,
            other => {
                return Err(AppError::invalid(
                    "action",
                    format!("unknown step {other:?}"),
                ))
            }
        };
        take_step(
            &state,
            &viewer,
            &finding,
            action,
            comment,
            Wording::Page(viewer.lang),
        )
        .await
    }
    .await;
    match result {
        Ok(after) => Ok(crate::ui::layout::done(
            &format!("/findings/{}", after.id),
            &key,
        )),
        Err(
            e @ (AppError::Invalid { .. }
            | AppError::Conflict(_)
            | AppError::SeparationOfDuties(_)
            | AppError::FileTooLarge(_)
            | AppError::UnsupportedType(_)),
        ) => {
            let status = e.status();
            let message = notice(
                "error",
                html! { strong { (viewer.lang.pick("未能办理", "Refused")) } ": " (e.public_message()) },
            );
            let page = render(&state, &viewer, finding, &uri.to_string(), Some(message)).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// GET /evidence/{sha256}: a file, for those whose region cites it.
pub async fn evidence(
    State(state): State<AppState>,
    Scoped(info, _): Scoped<EvidenceInfo>,
) -> PageResult<Response> {
    crate::api::evidence::file_response(&state, &info).await
}

#[derive(Deserialize)]
pub struct SheetQuery {
    region: Option<String>,
    status: Option<String>,
    on: Option<NaiveDate>,
}

/// GET /findings/sheet?region=: the ledger sheet of a region as an Excel workbook.
pub async fn sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<SheetQuery>,
) -> PageResult<Response> {
    let query = FindingQuery {
        region: q.region.clone().filter(|r| !r.trim().is_empty()),
        status: q.status.clone().filter(|s| !s.is_empty()),
        ..FindingQuery::default()
    };
    let filter = filter_of(&state, &viewer, &query).await?;
    let on = q.on.unwrap_or_else(crate::api::common::today);
    let rows = state.store.findings_sheet(&filter, on).await?;
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.to_cells()).collect();
    let bytes = ecoduty_tabular::write_xlsx("整改台账", &export_header(), &cells)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!(
        "findings-{}-{on}.xlsx",
        filter.within.as_ref().map(|c| c.as_str()).unwrap_or("all")
    );
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// POST /findings/sheet: imports a ledger sheet, all rows or none.
pub async fn import_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    request: axum::extract::Request,
) -> PageResult<Response> {
    // The role is checked before the upload is read.
    viewer.require(Permission::Inspect)?;
    let multipart =
        <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state)
            .await
            .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let lang = viewer.lang;
    let f = &form.fields;
    let outcome: Result<String, (AppError, Vec<ecoduty_domain::roster::RowError>)> = async {
        let plain = |e: AppError| (e, Vec::new());
        let region = viewer
            .region(&state.store, f.get("region"))
            .await
            .map_err(|_| plain(AppError::invalid("region", "no such region in your region")))?
            .code;
        let source: Source = f
            .get("source")
            .parse()
            .map_err(|e: String| plain(AppError::invalid("source", e)))?;
        let inspection =
            match f.get("inspection").trim() {
                "" => None,
                s => Some(s.parse::<i64>().map_err(|_| {
                    plain(AppError::invalid("inspection", "an inspection's number"))
                })?),
            };
        if source == Source::Inspection && inspection.is_none() {
            return Err(plain(AppError::invalid(
                "inspection",
                "a ledger of inspection findings names its inspection",
            )));
        }
        let file = form
            .file("file")
            .ok_or_else(|| plain(AppError::invalid("file", "choose the ledger file")))?;
        let format =
            upload::spreadsheet_format(file).map_err(|m| plain(AppError::invalid("file", m)))?;
        let table = ecoduty_tabular::read(&file.bytes, format, &file.file_name)
            .map_err(|e| plain(AppError::invalid("file", e.to_string())))?;
        let on = crate::api::common::today();
        let (rows, mut errors) = read_sheet(&table.header, &table.rows);
        let mut import = SheetImport {
            region_code: region,
            source,
            inspection_id: inspection,
            category: None,
            severity: Severity::General,
            review_every_days: 90,
            file: None,
            check_only: true,
        };
        let reason = format!("导入整改台账 import ledger sheet {}", file.file_name);
        if !errors.is_empty() {
            // Malformed rows: report them with what is wrong with the others; write nothing.
            match state
                .store
                .import_findings_sheet(&viewer.change(&reason), &rows, &import, on)
                .await
            {
                Ok(_) => {}
                Err(StoreError::Roster(more)) => errors.extend(
                    more.0
                        .into_iter()
                        .filter(|e| !(e.field == "是否销号" && e.message.contains("台账文件"))),
                ),
                Err(other) => return Err(plain(other.into())),
            }
            errors.sort_by_key(|e| e.line);
            return Err((AppError::Rows(Vec::new()), errors));
        }
        let (stored, _) = state
            .store
            .add_evidence(
                &viewer.change(&reason),
                &file.file_name,
                &file.bytes,
                &crate::api::evidence::policy(&state),
            )
            .await
            .map_err(|e| plain(e.into()))?;
        import.file = Some(stored);
        import.check_only = false;
        match state
            .store
            .import_findings_sheet(&viewer.change(&reason), &rows, &import, on)
            .await
        {
            Ok(summary) => Ok(format!(
                "{} {} ({} {}, {} {})",
                lang.pick("已导入问题", "Findings imported:"),
                summary.created.len(),
                lang.pick("长期坚持", "long-term"),
                summary.long_term,
                lang.pick("待验收销号", "awaiting verification of their closure"),
                summary.closure_requested
            )),
            Err(StoreError::Roster(rows)) => Err((AppError::Rows(Vec::new()), rows.0)),
            Err(other) => Err(plain(other.into())),
        }
    }
    .await;
    let (status, message) = match outcome {
        Ok(text) => (axum::http::StatusCode::OK, notice("ok", html! { (text) })),
        Err((_, rows)) if !rows.is_empty() => (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                (notice("error", html! { strong { (lang.pick("台账有误,未导入任何一行", "The sheet has errors; nothing was imported")) } }))
                (row_errors(lang, &rows))
            },
        ),
        Err((e, _)) => match e {
            AppError::Invalid { .. } | AppError::Conflict(_) | AppError::FileTooLarge(_) => {
                (e.status(), notice("error", html! { (e.public_message()) }))
            }
            other => return Err(other),
        },
    };
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/findings" { (lang.pick("督察整改", "Findings")) } } li aria-current="page" { (lang.pick("导入整改台账", "Import a ledger sheet")) } }
        }
        h1 { (lang.pick("导入整改台账", "Import a ledger sheet")) }
        (message)
        (sheet_import_form(&viewer, f.get("region")))
    };
    Ok((
        status,
        Shell::of(&viewer, uri.to_string())
            .page(lang.pick("导入整改台账", "Import a ledger sheet"), body),
    )
        .into_response())
}

/// The form of a new finding, with what was sent when it is shown again.
async fn new_finding_page(
    state: &AppState,
    viewer: &Viewer,
    here: &str,
    sent: Option<&crate::ui::layout::Fields>,
    error: Option<&AppError>,
    units_in: Option<&str>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let v = |k: &str| sent.map(|f| f.get(k).to_string()).unwrap_or_default();
    let chosen: Vec<String> = sent
        .map(|f| f.all("units").iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    let units_in = match sent {
        Some(f) => Some(f.get("units_in").to_string()),
        None => units_in.map(str::to_string),
    };
    let units = crate::ui::supervision::unit_groups(state, viewer, units_in.as_deref()).await?;
    let region_default = viewer.root().map(|c| c.to_string()).unwrap_or_default();
    let title = lang.pick("交办问题", "Assign a finding");
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href="/findings" { (lang.pick("督察整改", "Findings")) } } li aria-current="page" { (title) } }
        }
        h1 { (title) }
        @if let Some(e) = error {
            (notice("error", html! { strong { (lang.pick("未能交办", "Not assigned")) } ": " (e.public_message()) }))
        }
        (crate::ui::supervision::unit_region_picker(lang, &units, "/findings/new", &[]))
        form method="post" action="/findings" class="card" id="new-finding" {
            (csrf_field(viewer))
            (crate::ui::supervision::units_in_field(&units))
            (field("nf-region", lang.pick("问题所在地区代码", "Region code"), html! {
                input id="nf-region" name="region_code" type="text" required maxlength="12"
                    value=(if sent.is_some() { v("region_code") } else { region_default });
            }))
            (field("nf-source", lang.pick("来源", "Source"), html! {
                select id="nf-source" name="source" {
                    @for s in Source::ALL { option value=(s.key()) selected[v("source") == s.key()] { (source_name(lang, *s)) } }
                }
            }))
            (field("nf-inspection", lang.pick("督察编号(来源为督察时必填)", "Inspection id (for inspection findings)"), html! {
                input id="nf-inspection" name="inspection_id" type="number" min="1" value=(v("inspection_id"));
            }))
            (field("nf-ref", lang.pick("其他来源的文号或出处", "Reference of another source"), html! {
                input id="nf-ref" name="source_ref" type="text" maxlength="200" value=(v("source_ref"));
            }))
            (field("nf-category", lang.pick("类别", "Category"), html! {
                select id="nf-category" name="category" {
                    @for c in Category::ALL { option value=(c.key()) selected[v("category") == c.key()] { (category_name(lang, *c)) } }
                }
            }))
            (field("nf-severity", lang.pick("严重程度", "Severity"), html! {
                select id="nf-severity" name="severity" {
                    @for s in Severity::ALL { option value=(s.key()) selected[v("severity") == s.key()] { (severity_name(lang, *s)) } }
                }
            }))
            (field("nf-text", lang.pick("问题", "Finding"), html! {
                textarea id="nf-text" name="text" rows="3" required maxlength="5000" { (v("text")) }
            }))
            (field("nf-measures", lang.pick("整改措施", "Measures"), html! {
                textarea id="nf-measures" name="measures" rows="2" maxlength="5000" { (v("measures")) }
            }))
            @match &units {
                Some(units) => {
                    (field("nf-units", lang.pick("责任单位(可多选)", "Responsible units (one or more)"), html! {
                        select id="nf-units" name="units" multiple size="6" required {
                            @for (region, orgs) in &units.groups {
                                optgroup label=(region) {
                                    @for o in orgs { option value=(o.id) selected[chosen.contains(&o.id.to_string())] { (o.name) } }
                                }
                            }
                        }
                    }))
                }
                None => {
                    (field("nf-units", lang.pick("责任单位(机构编号,逗号分隔)", "Responsible units (organisation ids, comma-separated)"), html! {
                        input id="nf-units" name="units" type="text" required value=(v("units"));
                    }))
                }
            }
            (field("nf-deadline", lang.pick("整改时限(长期坚持的留空)", "Deadline (empty for a long-term item)"), html! {
                input id="nf-deadline" name="deadline" type="date" value=(v("deadline"));
            }))
            (field("nf-review", lang.pick("长期坚持:复核周期(天)", "Long-term: review every (days)"), html! {
                input id="nf-review" name="review_every_days" type="number" min="1" max="366" value=(v("review_every_days"));
            }))
            button type="submit" class="primary" { (lang.pick("交办", "Assign")) }
        }
    };
    Ok(Shell::of(viewer, here).page(title, body))
}

/// GET /findings/new
pub async fn new_finding(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<crate::ui::supervision::UnitsQuery>,
) -> PageResult<Markup> {
    viewer.require(Permission::Inspect)?;
    new_finding_page(
        &state,
        &viewer,
        &uri.to_string(),
        None,
        None,
        q.units_in.as_deref(),
    )
    .await
}

/// POST /findings: a new finding, assigned to its units today.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = crate::ui::layout::Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::Inspect)?;
    let result = async {
        let parse_key =
            |name: &str| -> Result<String, AppError> { Ok(f.get(name).trim().to_string()) };
        let units = f
            .all("units")
            .into_iter()
            .flat_map(|v| v.split([',', ',', ' ']))
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.trim().parse::<i64>().map_err(|_| {
                    AppError::invalid("units", format!("{s:?} is not an organisation's number"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let opt_number = |name: &str| -> Result<Option<i64>, AppError> {
            match f.get(name).trim() {
                "" => Ok(None),
                s => s
                    .parse()
                    .map(Some)
                    .map_err(|_| AppError::invalid(name, "a whole number")),
            }
        };
        let body = crate::api::findings::NewFindingBody {
            region_code: parse_key("region_code")?,
            source: f
                .get("source")
                .parse()
                .map_err(|e: String| AppError::invalid("source", e))?,
            inspection_id: opt_number("inspection_id")?,
            source_ref: f.get("source_ref").to_string(),
            serial: String::new(),
            category: f
                .get("category")
                .parse()
                .map_err(|e: String| AppError::invalid("category", e))?,
            severity: f
                .get("severity")
                .parse()
                .map_err(|e: String| AppError::invalid("severity", e))?,
            text: f.get("text").to_string(),
            measures: f.get("measures").to_string(),
            units,
            posts: Vec::new(),
            deadline: crate::ui::layout::opt_date("deadline", f.get("deadline"))?,
            review_every_days: opt_number("review_every_days")?
                .map(|d| {
                    u32::try_from(d)
                        .map_err(|_| AppError::invalid("review_every_days", "1–366 days"))
                })
                .transpose()?,
            reason: None,
        };
        crate::api::findings::create_finding(&state, &viewer, body, Wording::Page(viewer.lang))
            .await
    }
    .await;
    match result {
        Ok(finding) => Ok(crate::ui::layout::done(
            &format!("/findings/{}", finding.id),
            "create",
        )),
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
            let page =
                new_finding_page(&state, &viewer, &uri.to_string(), Some(&f), Some(&e), None)
                    .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}
