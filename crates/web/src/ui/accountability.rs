//! Accountability cases' pages (追责, Arts. 17–18), for the roles that may read cases: the
//! list with the form to open one from its source; a case's page — its source, the persons the
//! system proposed (their post and tenure, degree, where they are now, their duties then),
//! grounds (第十七条, or the situations of the frameworks loaded, such as 《办法》第五条第(七)项),
//! circumstances, the decision and appeals — with the forms of the step it stands at (adding
//! by hand a person the system did not propose among them); the sheet export (XLSX); and the read log for auditors. Every view of a case is logged.
//!
//! The rules (who is proposed, the states, 查处分离) are the store's and the domain's; this
//! module only draws and reads forms.

use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use axum::Form;
use ecoduty_domain::access::Permission;
use ecoduty_domain::accountability::{CaseSource, CaseStatus, Circumstance, Degree, PersonState};
use ecoduty_store::accountability::{
    case_sheet, AddedPerson, AppealAnswerSpec, AppealResult, Case, CaseFilter, DecisionSpec,
    GroundRef, NewCase, OutcomeSpec, ReadVia,
};
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::accountability::log_read;
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{csrf_field, done, field, flash, opt_date, Fields, Shell};
use crate::ui::regions::today;

fn store_err(viewer: &Viewer) -> impl Fn(ecoduty_store::StoreError) -> AppError + '_ {
    move |e| AppError::from_store_in(e, viewer.lang)
}

#[derive(Deserialize)]
pub struct OkQuery {
    pub ok: Option<String>,
}

fn status_label(lang: Lang, s: CaseStatus) -> &'static str {
    match lang {
        Lang::Zh => s.name_zh(),
        Lang::En => match s {
            CaseStatus::Clue => "clue",
            CaseStatus::Investigation => "under investigation",
            CaseStatus::Decided => "decided",
            CaseStatus::Executed => "executed",
            CaseStatus::Archived => "archived",
            CaseStatus::Dismissed => "dismissed",
        },
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub region: Option<String>,
    pub status: Option<String>,
    pub ok: Option<String>,
}

/// GET /cases
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    viewer.require(Permission::ReadCases)?;
    let lang = viewer.lang;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<CaseStatus>()
                .map_err(|m| AppError::invalid("status", m))?,
        ),
        None => None,
    };
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let cases = state
        .store
        .cases(&CaseFilter {
            within,
            status,
            ..CaseFilter::default()
        })
        .await?;
    for c in &cases {
        log_read(&state, &viewer, c.id, ReadVia::Page).await?;
    }
    let body = html! {
        h1 { (lang.pick("责任追究案件", "Accountability cases")) }
        (flash(lang, q.ok.as_deref()))
        p class="muted" { (lang.pick("案件材料保密:仅纪检监察机关、组织部门和系统管理员可见,每次查阅均被记录。",
            "Cases are confidential: only the discipline body, the organisation department and system administrators see them; every read is logged.")) }
        form method="get" action="/cases" class="inline-form filters" {
            (field("f-status", lang.pick("状态", "Status"), html! {
                select id="f-status" name="status" {
                    option value="" { (lang.pick("全部", "All")) }
                    @for s in CaseStatus::ALL {
                        option value=(s.key()) selected[status == Some(*s)] { (status_label(lang, *s)) }
                    }
                }
            }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        table id="cases" {
            thead { tr {
                th { "#" } th { (lang.pick("登记日期", "Opened")) } th { (lang.pick("地区", "Region")) }
                th { (lang.pick("名称", "Title")) } th { (lang.pick("来源", "Source")) } th { (lang.pick("状态", "Status")) }
                th { (lang.pick("人员", "Persons")) }
            } }
            tbody {
                @for c in &cases {
                    tr data-case=(c.id) {
                        td { (c.id) } td { (c.opened_on) } td { (c.region_code) }
                        td { a href=(format!("/cases/{}", c.id)) { (c.data.title) } }
                        td { (c.data.source_label) }
                        td data-status=(c.status.key()) { (status_label(lang, c.status)) }
                        td { (c.data.persons.iter().filter(|p| p.state != PersonState::Removed).count()) }
                    }
                }
            }
        }
        @if cases.is_empty() { p { (lang.pick("没有案件。", "No cases.")) } }
        @if viewer.can(Permission::InvestigateCases) {
            h2 { (lang.pick("登记问题线索", "Open a case")) }
            form method="post" action="/cases" id="open-case" {
                (csrf_field(&viewer))
                (field("o-region", lang.pick("地区代码", "Region code"), html! { input id="o-region" name="region" required value=(viewer.root().map(|r| r.to_string()).unwrap_or_default()); }))
                (field("o-source", lang.pick("来源", "Source"), html! {
                    select id="o-source" name="source" {
                        @for s in CaseSource::ALL { option value=(s.key()) { (s.name_zh()) } }
                    }
                }))
                (field("o-source-id", lang.pick("来源记录编号(考核为考核批次编号)", "Source record id (for an assessment: the run's id)"), html! { input id="o-source-id" name="source_id" inputmode="numeric"; }))
                (field("o-title", lang.pick("案件名称", "Title"), html! { input id="o-title" name="title" required maxlength="200"; }))
                (field("o-summary", lang.pick("问题线索", "The clue"), html! { textarea id="o-summary" name="summary" required {} }))
                (field("o-date", lang.pick("行为日期(其他线索必填)", "Date of the act (required by hand)"), html! { input id="o-date" type="date" name="act_date"; }))
                button type="submit" { (lang.pick("登记并提出责任人员", "Open and propose the persons")) }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("责任追究", "Accountability"), body))
}

/// POST /cases (region, source, source_id, title, summary, act_date)
pub async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.require(Permission::InvestigateCases)?;
    viewer.check_csrf(f.get("csrf"))?;
    let region = viewer.region(&state.store, f.get("region").trim()).await?;
    let source: CaseSource = f
        .get("source")
        .parse()
        .map_err(|m| AppError::invalid("source", m))?;
    let source_id = match f.get("source_id").trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| {
            AppError::invalid("source_id", format!("{s:?} is not a record number"))
        })?),
    };
    let act_dates = opt_date("act_date", f.get("act_date"))?
        .into_iter()
        .collect();
    let case = state
        .store
        .open_case(
            &viewer.change("登记问题线索"),
            NewCase {
                source,
                source_id,
                region_code: Some(region.code),
                title: f.get("title").to_string(),
                summary: f.get("summary").to_string(),
                act_dates,
                opened_on: today(),
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(&format!("/cases/{}", case.id), "case_opened"))
}

fn person_outcome(lang: Lang, o: &ecoduty_store::accountability::Outcome) -> String {
    if o.forms.is_empty() {
        format!(
            "{}:{}",
            lang.pick("免予追责", "exempted"),
            o.exempt_reason.clone().unwrap_or_default()
        )
    } else {
        let forms = o
            .forms
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join("、");
        match o.no_promotion_until {
            Some(u) => format!(
                "{forms}({} {u})",
                lang.pick("影响期至", "no promotion until")
            ),
            None => forms,
        }
    }
}

/// GET /cases/{id}
pub async fn show(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Case>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    log_read(&state, &viewer, c.id, ReadVia::Page).await?;
    let investigating =
        c.status == CaseStatus::Investigation && viewer.can(Permission::InvestigateCases);
    let csrf = csrf_field(&viewer);
    // The situations of every loaded framework other than the regulation, in the version in
    // force on the matter's first date: the investigate form offers them as grounds.
    let mut situations = Vec::new();
    if investigating {
        let day = c.data.act_dates.first().copied().unwrap_or(c.opened_on);
        for f in state.store.frameworks(day).await? {
            if f.builtin {
                continue;
            }
            if let Some(v) = state.store.framework_in_force(&f.key, day).await? {
                for x in state.store.framework_situations(v.id).await? {
                    situations.push((f.key.clone(), x));
                }
            }
        }
    }
    // The forms a decision chooses from: those the frameworks in force list (the built-in
    // list while none does).
    let forms = if investigating && viewer.can(Permission::DecideCases) {
        state.store.decision_forms(today()).await?
    } else {
        Vec::new()
    };
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/cases" { (lang.pick("责任追究", "Accountability")) } }
                li aria-current="page" { "#" (c.id) }
            }
        }
        h1 { (c.data.title) }
        (flash(lang, q.ok.as_deref()))
        dl class="facts" id="case-facts" {
            dt { (lang.pick("状态", "Status")) } dd id="case-status" data-status=(c.status.key()) { (status_label(lang, c.status)) }
            dt { (lang.pick("地区", "Region")) } dd { (c.region_code) }
            dt { (lang.pick("来源", "Source")) } dd { (c.data.source_label) }
            dt { (lang.pick("行为日期", "Dates of the act")) } dd { (c.data.act_dates.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("、")) }
            dt { (lang.pick("问题线索", "The clue")) } dd { (c.data.summary) }
            dt { (lang.pick("登记", "Opened")) } dd { (c.opened_on) " · " (c.data.opened_by) }
            @if let Some(i) = &c.data.investigator { dt { (lang.pick("调查人", "Investigator")) } dd { (i) } }
            @if let Some(r) = &c.data.dismissal { dt { (lang.pick("撤销理由", "Dismissed because")) } dd { (r) } }
        }
        h2 { (lang.pick("责任人员(按行为日期在任者提出)", "Persons (the holders on the dates of the act)")) }
        table id="case-persons" {
            thead { tr {
                th { (lang.pick("姓名", "Name")) } th { (lang.pick("岗位", "Post")) } th { (lang.pick("任职", "Tenure")) }
                th { (lang.pick("现状", "Now")) } th { (lang.pick("责任程度", "Degree")) } th { (lang.pick("状态", "State")) }
                th { (lang.pick("追责情形与情节", "Grounds and circumstances")) } th { (lang.pick("处理", "Outcome")) }
            } }
            tbody {
                @for p in &c.data.persons {
                    tr data-person=(p.person_id) data-state=(p.state.key()) {
                        td { a href=(format!("/people/{}", p.person_id)) { (p.name) } }
                        td {
                            (p.organisation) " " (p.post)
                            @for o in &p.also {
                                div class="also-post" { (lang.pick("又任 ", "also ")) (o.organisation) " " (o.post) "(" (o.degree.name_zh()) "," (o.tenure_start) "–" (o.tenure_end.map(|e| e.to_string()).unwrap_or_default()) ")" }
                            }
                        }
                        td { (p.tenure_start) "–" (p.tenure_end.map(|e| e.to_string()).unwrap_or_default()) }
                        td class=(if p.left { "left-post" } else { "" }) {
                            @if p.left { (lang.pick("已离任,现任:", "Left; now: ")) (p.now.join(";")) } @else { (lang.pick("在任", "In post")) }
                        }
                        td { (p.degree.name_zh()) }
                        td { (p.state.name_zh()) @if p.added_by_hand { " " span class="added-by-hand" { (lang.pick("(调查人增加)", "(added by hand)")) } } @if let Some(r) = &p.state_reason { br; span class="muted" { (r) } } }
                        td {
                            @for g in &p.grounds { div class="ground" { strong { (g.citation) } " " (g.text) " — " (g.facts) } }
                            @for x in &p.circumstances { div class="circumstance" { (x.circumstance.name_zh()) "(" (x.citation) "," (x.circumstance.effect_zh()) "):" (x.facts) } }
                        }
                        td { @if let Some(o) = &p.outcome { (person_outcome(lang, o)) } }
                    }
                }
            }
        }
        details {
            summary { (lang.pick("行为日期时的责任清单", "Their responsibility lists on the dates")) }
            @for p in &c.data.persons {
                h3 { (p.name) " · " (p.post) }
                ul { @for d in &p.duties { li { strong { (d.citation) } " " (d.text) } } }
                @for o in &p.also {
                    h3 { (p.name) " · " (o.post) }
                    ul { @for d in &o.duties { li { strong { (d.citation) } " " (d.text) } } }
                }
            }
        }
        @if let Some(d) = &c.data.decision {
            h2 { (lang.pick("追责决定", "The decision")) }
            dl class="facts" id="case-decision" {
                dt { (lang.pick("文号", "Number")) } dd { (d.document_no) }
                dt { (lang.pick("决定机关", "Deciding body")) } dd { (d.body) " · " (d.decided_by) }
                dt { (lang.pick("作出/生效", "Decided / effective")) } dd { (d.decided_on) " / " (d.effective_on) }
                dt { (lang.pick("申诉", "Appeals")) } dd { (d.appeal_days) (lang.pick(" 日内向 ", " days, to ")) (d.appeal_body) }
                dt { (lang.pick("公开", "Public")) } dd { (if d.public { lang.pick("是", "yes") } else { lang.pick("否", "no") }) }
                dt { (lang.pick("决定内容", "Text")) } dd { (d.text) }
            }
        }
        @if !c.data.appeals.is_empty() {
            h2 { (lang.pick("申诉", "Appeals")) }
            ul id="case-appeals" {
                @for a in &c.data.appeals {
                    li { (a.number) ". #" (a.person_id) " " (a.lodged_on) ":" (a.text)
                        @if let Some(x) = &a.answer { " → " (x.answered_on) " " (x.result.name_zh()) ":" (x.text) } }
                }
            }
        }
        @if c.status == CaseStatus::Clue && viewer.can(Permission::InvestigateCases) {
            form method="post" action=(format!("/cases/{}/investigate", c.id)) class="inline-form" {
                (csrf) input type="hidden" name="action" value="take_up";
                button type="submit" id="take-up" { (lang.pick("立案调查", "Take up")) }
            }
        }
        @if investigating {
            h2 { (lang.pick("调查核实", "Investigation")) }
            form method="post" action=(format!("/cases/{}/investigate", c.id)) id="person-form" {
                (csrf)
                (person_select(lang, &c, "p-person"))
                (field("p-action", lang.pick("操作", "Action"), html! {
                    select id="p-action" name="action" {
                        option value="confirm" { (lang.pick("确认为责任人员", "Confirm")) }
                        option value="remove" { (lang.pick("排除", "Remove")) }
                        option value="ground" { (lang.pick("认定第十七条情形(填项号)", "Record an Art. 17 ground (item number)")) }
                        option value="circumstance" { (lang.pick("记录第十八条情节", "Record an Art. 18 circumstance")) }
                    }
                }))
                (field("p-item", lang.pick("第十七条项号(1–5)", "Art. 17 item (1–5)"), html! { input id="p-item" name="item" inputmode="numeric"; }))
                @if !situations.is_empty() {
                    (field("p-situation", lang.pick("或已导入框架的情形(选择后不看第十七条项号)", "Or a situation of a loaded framework (then the Art. 17 item is not used)"), html! {
                        select id="p-situation" name="situation" {
                            option value="" { (lang.pick("— 第十七条 —", "— Art. 17 —")) }
                            @for (key, x) in &situations {
                                option value=(format!("{key}:{}:{}", x.article, x.item)) { (x.citation) " [" (x.subject) "] " (x.text) }
                            }
                        }
                    }))
                }
                (field("p-circumstance", lang.pick("情节", "Circumstance"), html! {
                    select id="p-circumstance" name="circumstance" {
                        @for x in Circumstance::ALL { option value=(x.key()) { (x.name_zh()) "(" (x.citation()) ")" } }
                    }
                }))
                (field("p-text", lang.pick("理由或事实", "Reason or facts"), html! { textarea id="p-text" name="text" required {} }))
                button type="submit" { (lang.pick("记录", "Record")) }
            }
        }
        @if investigating {
            h3 { (lang.pick("增加系统未提出的人员", "Add a person the system did not propose")) }
            form method="post" action=(format!("/cases/{}/investigate", c.id)) id="add-person-form" {
                (csrf) input type="hidden" name="action" value="add_person";
                (field("n-person", lang.pick("人员编号", "Person id"), html! { input id="n-person" name="person_id" inputmode="numeric" required; }))
                (field("n-post", lang.pick("行为日期时所任岗位编号", "Post id held on a date of the act"), html! { input id="n-post" name="post_id" inputmode="numeric" required; }))
                (field("n-degree", lang.pick("责任程度", "Degree"), html! {
                    select id="n-degree" name="degree" {
                        @for d in Degree::ALL { option value=(d.key()) { (d.name_zh()) } }
                    }
                }))
                (field("n-text", lang.pick("理由", "Reason"), html! { textarea id="n-text" name="text" required {} }))
                button type="submit" { (lang.pick("增加并确认", "Add and confirm")) }
            }
        }
        @if investigating && viewer.can(Permission::DecideCases) {
            h2 { (lang.pick("作出追责决定(调查人不能决定)", "Decide (not by the investigator)")) }
            form method="post" action=(format!("/cases/{}/decide", c.id)) id="decide-form" {
                (csrf) input type="hidden" name="action" value="decide";
                (field("d-no", lang.pick("文号", "Number"), html! { input id="d-no" name="document_no" required; }))
                (field("d-body", lang.pick("决定机关", "Deciding body"), html! { input id="d-body" name="body" required; }))
                (field("d-on", lang.pick("决定日期", "Decided on"), html! { input id="d-on" type="date" name="on" required; }))
                (field("d-appeal-days", lang.pick("申诉期(日)", "Appeal period (days)"), html! { input id="d-appeal-days" name="appeal_days" value="30"; }))
                (field("d-appeal-body", lang.pick("申诉受理机关", "Appeal body"), html! { input id="d-appeal-body" name="appeal_body" required; }))
                (field("d-text", lang.pick("决定内容", "Text"), html! { textarea id="d-text" name="text" required {} }))
                @for p in c.data.persons.iter().filter(|p| p.state == PersonState::Confirmed) {
                    fieldset {
                        legend { (p.name) " · " (p.post) }
                        @for form in &forms {
                            label { input type="checkbox" name=(format!("form_{}", p.person_id)) value=(form.name); " " (form.label()) }
                        }
                        (field(&format!("d-until-{}", p.person_id), lang.pick("影响期至", "No promotion until"), html! { input id=(format!("d-until-{}", p.person_id)) type="date" name=(format!("until_{}", p.person_id)); }))
                        (field(&format!("d-exempt-{}", p.person_id), lang.pick("免予追责理由", "Reason for exemption"), html! { input id=(format!("d-exempt-{}", p.person_id)) name=(format!("exempt_{}", p.person_id)); }))
                    }
                }
                button type="submit" { (lang.pick("作出决定", "Decide")) }
            }
        }
        @if matches!(c.status, CaseStatus::Decided | CaseStatus::Executed) && viewer.can(Permission::DecideCases) {
            h2 { (lang.pick("申诉、执行与归档", "Appeals, execution, archive")) }
            form method="post" action=(format!("/cases/{}/decide", c.id)) id="after-form" {
                (csrf)
                (field("a-action", lang.pick("操作", "Action"), html! {
                    select id="a-action" name="action" {
                        option value="appeal" { (lang.pick("受理申诉", "Record an appeal")) }
                        option value="answer" { (lang.pick("答复申诉", "Answer an appeal")) }
                        @if c.status == CaseStatus::Decided { option value="execute" { (lang.pick("执行完毕", "Executed")) } }
                        @if c.status == CaseStatus::Executed { option value="archive" { (lang.pick("归档", "Archive")) } }
                    }
                }))
                (person_select(lang, &c, "a-person"))
                (field("a-number", lang.pick("申诉序号(答复时)", "Appeal number (to answer)"), html! { input id="a-number" name="number"; }))
                (field("a-result", lang.pick("答复结果", "Result"), html! {
                    select id="a-result" name="result" {
                        @for r in AppealResult::ALL { option value=(r.key()) { (r.name_zh()) } }
                    }
                }))
                (field("a-on", lang.pick("日期", "Day"), html! { input id="a-on" type="date" name="on"; }))
                (field("a-text", lang.pick("内容", "Text"), html! { textarea id="a-text" name="text" {} }))
                button type="submit" { (lang.pick("记录", "Record")) }
            }
        }
        @if matches!(c.status, CaseStatus::Clue | CaseStatus::Investigation) && viewer.can(Permission::InvestigateCases) {
            form method="post" action=(format!("/cases/{}/investigate", c.id)) class="inline-form" id="dismiss-form" {
                (csrf) input type="hidden" name="action" value="dismiss";
                (field("x-text", lang.pick("撤销理由", "Reason for dismissal"), html! { input id="x-text" name="text" required; }))
                button type="submit" { (lang.pick("撤销案件", "Dismiss")) }
            }
        }
        p {
            a href=(format!("/cases/{}/export.xlsx", c.id)) { (lang.pick("导出 XLSX", "Export XLSX")) }
            " · "
            a href=(format!("/api/v1/cases/{}/history", c.id)) { (lang.pick("全部版本(JSON)", "Every version (JSON)")) }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&c.data.title, body))
}

fn person_select(lang: Lang, c: &Case, id: &str) -> Markup {
    field(
        id,
        lang.pick("人员", "Person"),
        html! {
            select id=(id) name="person_id" {
                @for p in &c.data.persons {
                    option value=(p.person_id) { (p.name) " · " (p.organisation) " " (p.post) " · " (p.state.name_zh()) }
                }
            }
        },
    )
}

fn person_field(f: &Fields) -> Result<i64, AppError> {
    f.get("person_id")
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("person_id", "choose a person"))
}

/// POST /cases/{id}/investigate (action: take_up, confirm, remove, add_person, ground —
/// an item of 第十七条 or a loaded framework's situation —, circumstance, dismiss)
pub async fn investigate(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Case>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.require(Permission::InvestigateCases)?;
    viewer.check_csrf(f.get("csrf"))?;
    let s = &state.store;
    let text = f.get("text");
    let r = match f.get("action") {
        "take_up" => s.take_up_case(&viewer.change("立案调查"), c.id).await,
        "confirm" => {
            s.set_case_person(
                &viewer.change("确认责任人员"),
                c.id,
                person_field(&f)?,
                PersonState::Confirmed,
                text,
            )
            .await
        }
        "remove" => {
            s.set_case_person(
                &viewer.change("排除人员"),
                c.id,
                person_field(&f)?,
                PersonState::Removed,
                text,
            )
            .await
        }
        "ground" => {
            let situation = f.get("situation").trim();
            let ground = if situation.is_empty() {
                GroundRef {
                    framework: None,
                    article: None,
                    item: f.get("item").trim().parse().map_err(|_| {
                        AppError::invalid("item", "write the item of 第十七条 (1–5)")
                    })?,
                }
            } else {
                let bad = || AppError::invalid("situation", "choose a situation of the list");
                let mut parts = situation.splitn(3, ':');
                let key = parts.next().ok_or_else(bad)?;
                let article = parts.next().and_then(|a| a.parse().ok()).ok_or_else(bad)?;
                let item = parts.next().and_then(|i| i.parse().ok()).ok_or_else(bad)?;
                GroundRef {
                    framework: Some(key.to_string()),
                    article: Some(article),
                    item,
                }
            };
            s.add_case_ground_from(
                &viewer.change("认定追责情形"),
                c.id,
                person_field(&f)?,
                &ground,
                text,
                vec![],
            )
            .await
        }
        "add_person" => {
            let post_id: i64 = f
                .get("post_id")
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("post_id", "write the post's id"))?;
            match viewer.post(s, post_id).await {
                Err(AppError::NotFound) => {
                    return Err(AppError::invalid("post_id", format!("no post #{post_id}")))
                }
                other => other.map(|_| ())?,
            }
            let degree: Degree = f
                .get("degree")
                .parse()
                .map_err(|m| AppError::invalid("degree", m))?;
            s.add_case_person(
                &viewer.change("增加责任人员"),
                c.id,
                &AddedPerson {
                    person_id: person_field(&f)?,
                    post_id,
                    degree,
                    reason: text.to_string(),
                },
            )
            .await
        }
        "circumstance" => {
            let x: Circumstance = f
                .get("circumstance")
                .parse()
                .map_err(|m| AppError::invalid("circumstance", m))?;
            s.add_case_circumstance(
                &viewer.change("记录从轻从重情节"),
                c.id,
                person_field(&f)?,
                x,
                text,
                vec![],
            )
            .await
        }
        "dismiss" => s.dismiss_case(&viewer.change("撤销案件"), c.id, text).await,
        other => {
            return Err(AppError::invalid(
                "action",
                format!("unknown action {other:?}"),
            ))
        }
    };
    r.map_err(store_err(&viewer))?;
    Ok(done(&format!("/cases/{}", c.id), "case_updated"))
}

/// POST /cases/{id}/decide (action: decide, appeal, answer, execute, archive)
pub async fn decide(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Case>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.require(Permission::DecideCases)?;
    viewer.check_csrf(f.get("csrf"))?;
    let s = &state.store;
    let on = opt_date("on", f.get("on"))?.unwrap_or_else(today);
    let text = f.get("text");
    let r = match f.get("action") {
        "decide" => {
            let mut outcomes = Vec::new();
            for p in c
                .data
                .persons
                .iter()
                .filter(|p| p.state == PersonState::Confirmed)
            {
                let forms =
                    f.0.iter()
                        .filter(|(k, _)| *k == format!("form_{}", p.person_id))
                        .map(|(_, v)| v.clone())
                        .collect::<Vec<_>>();
                let exempt = f.get(&format!("exempt_{}", p.person_id)).trim();
                outcomes.push(OutcomeSpec {
                    person_id: p.person_id,
                    forms,
                    exempt_reason: (!exempt.is_empty()).then(|| exempt.to_string()),
                    no_promotion_until: opt_date(
                        "until",
                        f.get(&format!("until_{}", p.person_id)),
                    )?,
                });
            }
            let appeal_days: u32 = f
                .get("appeal_days")
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("appeal_days", "a number of days"))?;
            let spec = DecisionSpec {
                document_no: f.get("document_no").to_string(),
                body: f.get("body").to_string(),
                decided_on: on,
                effective_on: on,
                appeal_days,
                appeal_body: f.get("appeal_body").to_string(),
                public: f.get("public") == "on",
                text: text.to_string(),
                outcomes,
            };
            s.decide_case(&viewer.change("作出追责决定"), c.id, spec)
                .await
        }
        "appeal" => {
            s.lodge_case_appeal(
                &viewer.change("受理申诉"),
                c.id,
                person_field(&f)?,
                on,
                text,
            )
            .await
        }
        "answer" => {
            let number: u32 = f
                .get("number")
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("number", "the appeal's number"))?;
            let result: AppealResult = f
                .get("result")
                .parse()
                .map_err(|m| AppError::invalid("result", m))?;
            s.answer_case_appeal(
                &viewer.change("答复申诉"),
                c.id,
                number,
                AppealAnswerSpec {
                    answered_on: on,
                    result,
                    text: text.to_string(),
                    outcome: None,
                },
            )
            .await
        }
        "execute" => {
            s.execute_case(&viewer.change("决定执行完毕"), c.id, on, text)
                .await
        }
        "archive" => s.archive_case(&viewer.change("归档"), c.id, on).await,
        other => {
            return Err(AppError::invalid(
                "action",
                format!("unknown action {other:?}"),
            ))
        }
    };
    r.map_err(store_err(&viewer))?;
    Ok(done(&format!("/cases/{}", c.id), "case_updated"))
}

/// GET /cases/{id}/export.xlsx
pub async fn export(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Case>,
) -> PageResult<Response> {
    log_read(&state, &viewer, c.id, ReadVia::Export).await?;
    let (header, rows) = case_sheet(&c);
    let bytes = ecoduty_tabular::write_xlsx("追责案件", &header, &rows)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::ui::layout::attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("case-{}.xlsx", c.id),
    ))
}

/// GET /case-reads
pub async fn reads(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    viewer.require(Permission::ReviewCaseReads)?;
    let lang = viewer.lang;
    let reads = state.store.case_reads(viewer.root(), None, 500).await?;
    let body = html! {
        h1 { (lang.pick("追责案件查阅记录", "Who read which case")) }
        p class="muted" { (lang.pick("最近 500 次查阅;案件内容不在此显示。", "The latest 500 reads; the cases themselves are not shown here.")) }
        table id="case-reads" {
            thead { tr { th { (lang.pick("时间", "When")) } th { (lang.pick("案件", "Case")) } th { (lang.pick("地区", "Region")) } th { (lang.pick("用户", "User")) } th { (lang.pick("角色", "Role")) } th { (lang.pick("方式", "How")) } } }
            tbody {
                @for r in &reads {
                    tr { td { (r.read_at.format("%Y-%m-%d %H:%M:%S")) } td { "#" (r.case_id) } td { (r.region_code) } td { (r.username) } td { (r.role) } td { (r.via) } }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("查阅记录", "Case reads"), body))
}
