//! Departure audits' pages (自然资源资产离任审计, Art. 13): the audits of the region with the
//! ended tenures due for one and the form to open it; an audit's page — the dossier of the
//! tenure, the audit's findings with the form to record one (it becomes a finding in the
//! rectification loop) and to open a case from it, the report form; a tenure's dossier on
//! request; the dossier as a workbook; the natural-resource asset accounts of a region with
//! the import form (all or nothing) and the export in the same layout.
//!
//! What a dossier holds and how an audit moves are the store's; this module draws and reads
//! forms. The person's cases show in a dossier only to readers of cases.

use axum::extract::{FromRequest, Multipart, OriginalUri, Query, Request, State};
use axum::response::Response;
use axum::Form;
use ecoduty_domain::access::Permission;
use ecoduty_domain::audit::assets::{rows as account_rows, AccountSpec, COLUMNS};
use ecoduty_domain::audit::{AssetChange, AuditStatus};
use ecoduty_domain::supervision::{Category, Severity};
use ecoduty_store::audit::{Audit, AuditFilter, AuditFindingSpec, Dossier, NewAudit, ReportSpec};
use ecoduty_store::organisations::Organisation;
use ecoduty_store::posts::Post;
use ecoduty_store::tenures::Tenure;
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::audit::{due_window, for_viewer, read_sheet};
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{
    attachment, csrf_field, done, field, flash, notice, opt_date, refused, row_errors, Fields,
    Shell,
};
use crate::ui::regions::today;
use crate::ui::upload;

fn store_err(viewer: &Viewer) -> impl Fn(ecoduty_store::StoreError) -> AppError + '_ {
    move |e| AppError::from_store_in(e, viewer.lang)
}

fn status_label(lang: Lang, s: AuditStatus) -> &'static str {
    lang.pick(s.name_zh(), s.name_en())
}

fn crumbs(lang: Lang, here: &str) -> Markup {
    html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/audits" { (lang.pick("离任审计", "Departure audits")) } }
                li aria-current="page" { (here) }
            }
        }
    }
}

fn num(x: Option<f64>) -> String {
    x.map(|v| {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    })
    .unwrap_or_else(|| "—".into())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub region: Option<String>,
    pub ok: Option<String>,
}

/// GET /audits
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    viewer.require(Permission::ReadAudits)?;
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let audits = state
        .store
        .audits(&AuditFilter {
            within: within.clone(),
            ..Default::default()
        })
        .await?;
    let (from, to) = due_window(None, None);
    let due = state.store.audits_due(within.as_ref(), from, to).await?;
    let manage = viewer.can(Permission::ManageAudits);
    let body = html! {
        h1 { (lang.pick("自然资源资产离任审计", "Departure audits of natural-resource assets")) }
        p class="muted" { (lang.pick(
            "第十三条:加强审计监督与生态环境保护督察工作贯通协调,用好领导干部自然资源资产离任审计结果,形成监督合力。审计对象为地区党委和政府主要领导及有关部门主要负责人;审计资料汇集任期内自然资源资产账户、约束性指标、考核、督察问题、信访、突发事件和责任追究;审计发现的问题进入整改闭环,并可移送追责。",
            "Art. 13: bring audit and inspection together and use the results of departure audits of natural-resource assets. The principal Party and government leaders and the heads of the departments concerned are audited; the dossier gathers the tenure's asset accounts, binding indicators, assessment, findings, complaints, emergencies and cases; audit findings enter the rectification loop and may open a case.")) }
        (flash(lang, q.ok.as_deref()))
        p { a href="/asset-accounts" { (lang.pick("自然资源资产账户", "Natural-resource asset accounts")) } }
        form method="get" action="/audits" class="filters" {
            (field("f-region", lang.pick("地区代码", "Region code"), html! { input id="f-region" name="region" value=(q.region.clone().unwrap_or_default()) inputmode="numeric"; }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        div class="table-wrap" {
            table id="audits" {
                caption { (lang.pick("审计项目", "Audits")) " (" (audits.len()) ")" }
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (lang.pick("审计项目", "Audit")) }
                    th scope="col" { (lang.pick("审计期间", "Period")) }
                    th scope="col" { (lang.pick("委托", "Commissioned by")) }
                    th scope="col" { (lang.pick("审计发现", "Findings")) }
                    th scope="col" { (lang.pick("状态", "Status")) }
                } }
                tbody {
                    @for a in &audits {
                        tr data-status=(a.status.key()) {
                            td { a href=(format!("/audits/{}", a.id)) { (a.id) } }
                            td { a href=(format!("/audits/{}", a.id)) { (a.data.title) } }
                            td { (a.data.period_start) " – " (a.data.period_end) }
                            td { (a.data.commissioned_by) }
                            td { (a.data.findings.len()) }
                            td { (status_label(lang, a.status)) }
                        }
                    }
                }
            }
        }
        h2 { (lang.pick("待审计的离任", "Departures due for an audit")) }
        p class="muted" { (lang.pick("近两年离任、尚无审计的主要领导和部门主要负责人任期。", "Tenures of principal leaders and department heads that ended in the last two years and have no audit.")) " " (from) " – " (to) }
        div class="table-wrap" {
            table id="audits-due" {
                thead { tr {
                    th scope="col" { (lang.pick("姓名", "Name")) }
                    th scope="col" { (lang.pick("岗位", "Post")) }
                    th scope="col" { (lang.pick("任期", "Tenure")) }
                    th scope="col" { (lang.pick("资料", "Dossier")) }
                    @if manage { th scope="col" { (lang.pick("立项", "Open")) } }
                } }
                tbody {
                    @for d in &due {
                        tr data-tenure=(d.tenure_id) {
                            td { a href=(format!("/people/{}", d.person_id)) { (d.person) } }
                            td { (d.organisation) " " (d.post) " " span class="muted" { (d.region_code) } }
                            td { (d.start_date) " – " (d.end_date) }
                            td { a href=(format!("/tenures/{}/dossier", d.tenure_id)) { (lang.pick("查看审计资料", "Dossier")) } }
                            @if manage {
                                td {
                                    form method="post" action="/audits" class="inline-form" {
                                        (csrf_field(&viewer))
                                        input type="hidden" name="tenure_id" value=(d.tenure_id);
                                        label { (lang.pick("委托单位", "Commissioned by")) " " input name="commissioned_by" required value=(lang.pick("组织部", "Organisation department")); }
                                        label { (lang.pick("审计组", "Team")) " " input name="team"; }
                                        button type="submit" { (lang.pick("立项审计", "Open the audit")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("离任审计", "Departure audits"), body))
}

/// POST /audits (tenure_id, commissioned_by, team)
pub async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.require(Permission::ManageAudits)?;
    viewer.check_csrf(f.get("csrf"))?;
    let tenure_id: i64 = f
        .get("tenure_id")
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("tenure_id", "not a tenure number"))?;
    // Within the viewer's region, or not found.
    viewer.tenure(&state.store, tenure_id).await?;
    let audit = state
        .store
        .open_audit(
            &viewer.change("开展自然资源资产离任审计"),
            NewAudit {
                tenure_id,
                commissioned_by: f.get("commissioned_by").to_string(),
                team: f.get("team").to_string(),
                opened_on: today(),
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(&format!("/audits/{}", audit.id), "audit_opened"))
}

fn change_cell(c: &AssetChange) -> Markup {
    let class = match c.change {
        Some(x) if x < 0.0 => "down",
        Some(x) if x > 0.0 => "up",
        _ => "",
    };
    html! {
        td class=(class) { (num(c.change)) @if let Some(p) = c.change_percent { " (" (format!("{p:+.2}")) "%)" } }
    }
}

/// The dossier's sections.
fn dossier_body(lang: Lang, d: &Dossier) -> Markup {
    let t = &d.tenure;
    html! {
        section id="dossier" {
            h2 { (lang.pick("审计资料", "Dossier")) }
            dl class="facts" id="dossier-facts" {
                dt { (lang.pick("被审计人", "Audited")) } dd { a href=(format!("/people/{}", d.person.id)) { (d.person.name) } }
                dt { (lang.pick("岗位", "Post")) } dd { (t.organisation.name) " " (t.post.title) " · " (t.region.name) }
                dt { (lang.pick("任期", "Tenure")) } dd { (t.tenure.start_date) " – " (t.tenure.end_date.map(|e| e.to_string()).unwrap_or_else(|| lang.pick("在任", "in post").to_string())) }
                dt { (lang.pick("资料期间", "Period")) } dd { (d.period_start) " – " (d.period_end) (lang.pick("(不含)", " (exclusive)")) }
                dt { (lang.pick("约束性指标目标", "Targets")) } dd id="dossier-targets" { (lang.pick("完成 ", "met ")) (d.targets_met) (lang.pick(" 项,未完成 ", ", missed ")) (d.targets_missed) }
                dt { (lang.pick("督察问题", "Findings")) } dd id="dossier-findings" {
                    (lang.pick("任期内提出 ", "raised ")) (d.findings.raised) (lang.pick(",销号 ", ", closed ")) (d.findings.closed)
                    (lang.pick(",逾期 ", ", overdue ")) (d.findings.overdue) (lang.pick(",离任时未销号 ", ", open at departure ")) (d.findings.open_at_end)
                }
                dt { (lang.pick("信访举报", "Complaints")) } dd id="dossier-complaints" {
                    (lang.pick("受理 ", "received ")) (d.complaints.received) (lang.pick(",办结 ", ", answered ")) (d.complaints.answered)
                    (lang.pick(",逾期 ", ", overdue ")) (d.complaints.overdue) (lang.pick(",转为问题 ", ", made findings ")) (d.complaints.promoted)
                }
            }
            h3 { (lang.pick("自然资源资产账户(任初与任末)", "Asset accounts (start and end)")) }
            @if d.assets.lines.is_empty() {
                p class="muted" id="dossier-no-assets" { (lang.pick("该地区尚无自然资源资产账户。", "No asset account is stored for the region.")) " " a href=(format!("/asset-accounts?region={}", t.region.code)) { (lang.pick("导入账户", "Import accounts")) } }
            } @else {
                div class="table-wrap" {
                    table id="dossier-assets" {
                        thead { tr {
                            th scope="col" { (lang.pick("类别", "Category")) }
                            th scope="col" { (lang.pick("指标", "Indicator")) }
                            th scope="col" { (lang.pick("单位", "Unit")) }
                            th scope="col" { (d.assets.start_year.map(|y| y.to_string()).unwrap_or_default()) (lang.pick(" 年", "")) }
                            th scope="col" { (d.assets.end_year.map(|y| y.to_string()).unwrap_or_default()) (lang.pick(" 年", "")) }
                            th scope="col" { (lang.pick("变化", "Change")) }
                        } }
                        tbody {
                            @for c in &d.assets.lines {
                                tr data-category=(c.category.key()) {
                                    td { (lang.pick(c.category.name_zh(), c.category.name_en())) }
                                    td { (c.indicator) }
                                    td { (c.unit) }
                                    td { (num(c.start)) }
                                    td { (num(c.end)) }
                                    (change_cell(c))
                                }
                            }
                        }
                    }
                }
            }
            h3 { (lang.pick("任期各年度", "Year by year")) }
            div class="table-wrap" {
                table id="dossier-years" {
                    thead { tr {
                        th scope="col" { (lang.pick("年度", "Year")) }
                        th scope="col" { (lang.pick("在任天数", "Days")) }
                        th scope="col" { (lang.pick("考核", "Assessment")) }
                        th scope="col" { (lang.pick("约束性指标", "Binding indicators")) }
                        th scope="col" { (lang.pick("目标完成/未完成", "Met / missed")) }
                    } }
                    tbody {
                        @for y in &d.years {
                            tr data-year=(y.year.year) {
                                td { (y.year.year) }
                                td { (y.year.days) " (" (format!("{:.0}", y.year.share)) "%)" }
                                td {
                                    @match &y.year.grade {
                                        Some(g) => { (g) " · " (num(y.year.total)) @if let (Some(r), Some(n)) = (y.year.rank, y.year.units) { " · " (r) "/" (n) } @if y.year.vetoed { " · " strong { (lang.pick("一票否决", "vetoed")) } } }
                                        None => { span class="muted" { (lang.pick("无已发布结果", "no published result")) } }
                                    }
                                }
                                td {
                                    @for f in &y.indicators {
                                        div { (f.name_zh) " " (num(f.value)) " " (f.unit) @if let Some(tg) = f.target { " / " (num(Some(tg))) } }
                                    }
                                }
                                td { (y.targets_met) " / " (y.targets_missed) }
                            }
                        }
                    }
                }
            }
            @if !d.open_findings.is_empty() {
                h3 { (lang.pick("离任时未销号的问题", "Findings open at departure")) }
                ul id="dossier-open-findings" {
                    @for f in &d.open_findings {
                        li { a href=(format!("/findings/{}", f.id)) { "#" (f.id) } " " (f.text) " · " (f.status)
                            @if let Some(dl) = f.deadline { " · " (lang.pick("期限 ", "due ")) (dl) }
                            @if let Some(o) = f.overdue_since { " · " strong { (lang.pick("逾期自 ", "overdue since ")) (o) } } }
                    }
                }
            }
            @if !d.warnings.is_empty() {
                h3 { (lang.pick("点名该岗位的预警", "Early warnings naming the post")) }
                ul id="dossier-warnings" { @for w in &d.warnings { li { (w.year) " " (lang.pick(&w.message_zh, &w.message_en)) } } }
            }
            h3 { (lang.pick("督察", "Inspections")) }
            @if d.inspections.is_empty() { p class="muted" { (lang.pick("任期内无督察。", "None during the tenure.")) } }
            ul id="dossier-inspections" {
                @for i in &d.inspections { li { a href=(format!("/inspections/{}", i.id)) { (i.title) } " " (i.start_date) " – " (i.end_date) } }
            }
            h3 { (lang.pick("突发环境事件", "Emergencies")) }
            @if d.emergencies.is_empty() { p class="muted" { (lang.pick("任期内无突发环境事件。", "None during the tenure.")) } }
            ul id="dossier-emergencies" {
                @for e in &d.emergencies { li { a href=(format!("/emergencies/{}", e.id)) { (e.title) } " " (e.occurred_on) " · " (e.level) } }
            }
            h3 { (lang.pick("责任追究", "Accountability cases")) }
            @if d.cases_withheld {
                p class="muted" id="dossier-cases-withheld" { (lang.pick("责任追究案件仅纪检监察、组织部门和系统管理员可见。", "Cases are shown only to the discipline body, the organisation department and system administrators.")) }
            } @else if d.cases.is_empty() {
                p class="muted" { (lang.pick("无。", "None.")) }
            } @else {
                ul id="dossier-cases" {
                    @for c in &d.cases {
                        li { a href=(format!("/cases/{}", c.case_id)) { (c.title) } " · " (c.status.name_zh()) " · " (c.degree.name_zh())
                            @if c.influence_in_force { " · " strong { (lang.pick("影响期内", "influence period in force")) } } }
                    }
                }
            }
        }
    }
}

/// GET /audits/{id}
pub async fn show(
    State(state): State<AppState>,
    Scoped(a, viewer): Scoped<Audit>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let d = for_viewer(state.store.audit_dossier(&a, today()).await?, &viewer);
    let open = a.status == AuditStatus::Open && viewer.can(Permission::ManageAudits);
    let may_open_case = viewer.can(Permission::InvestigateCases);
    let csrf = csrf_field(&viewer);
    let body = html! {
        (crumbs(lang, &format!("#{}", a.id)))
        h1 { (a.data.title) }
        (flash(lang, q.ok.as_deref()))
        dl class="facts" id="audit-facts" {
            dt { (lang.pick("状态", "Status")) } dd id="audit-status" data-status=(a.status.key()) { (status_label(lang, a.status)) }
            dt { (lang.pick("类型", "Kind")) } dd { (lang.pick(a.kind.name_zh(), a.kind.name_en())) }
            dt { (lang.pick("委托单位", "Commissioned by")) } dd { (a.data.commissioned_by) }
            @if !a.data.team.is_empty() { dt { (lang.pick("审计组", "Team")) } dd { (a.data.team) } }
            dt { (lang.pick("立项", "Opened")) } dd { (a.opened_on) " · " (a.data.opened_by) }
            @if let Some(r) = &a.data.report {
                dt { (lang.pick("审计报告", "Report")) } dd id="audit-report" { (r.document_no) " · " (r.issued_on) " · " (r.summary)
                    @if !r.sent_to.is_empty() { br; (lang.pick("送达:", "Sent to: ")) (r.sent_to.join("、")) } }
            }
        }
        p { a href=(format!("/audits/{}/dossier.xlsx", a.id)) { (lang.pick("导出审计资料(Excel)", "Export the dossier (Excel)")) }
            " · " a href=(format!("/ledger?entity=audit:{}", a.id)) { (lang.pick("变更记录", "Change history")) } }
        h2 { (lang.pick("审计发现的问题", "Audit findings")) }
        @if a.data.findings.is_empty() { p class="muted" { (lang.pick("尚无。", "None yet.")) } }
        ol id="audit-findings" {
            @for f in &a.data.findings {
                li data-finding=(f.finding_id) {
                    (f.text) " · " (lang.pick("行为日期 ", "act date ")) (f.act_date) " · "
                    a href=(format!("/findings/{}", f.finding_id)) { (lang.pick("整改 #", "finding #")) (f.finding_id) }
                    @if may_open_case {
                        form method="post" action=(format!("/audits/{}/act", a.id)) class="inline-form" {
                            (csrf) input type="hidden" name="action" value="case"; input type="hidden" name="number" value=(f.number);
                            button type="submit" { (lang.pick("移送追责(登记问题线索)", "Open an accountability case")) }
                        }
                    }
                }
            }
        }
        @if open {
            h3 { (lang.pick("记录审计发现", "Record a finding")) }
            form method="post" action=(format!("/audits/{}/act", a.id)) id="audit-finding-form" class="stack" {
                (csrf) input type="hidden" name="action" value="finding";
                (field("af-text", lang.pick("问题", "Finding"), html! { textarea id="af-text" name="text" required {} }))
                (field("af-category", lang.pick("类别", "Category"), html! {
                    select id="af-category" name="category" {
                        option value="" { (lang.pick("按内容判断", "from the text")) }
                        @for c in Category::ALL { option value=(c.key()) { (c.name_zh()) } }
                    }
                }))
                (field("af-severity", lang.pick("严重程度", "Severity"), html! {
                    select id="af-severity" name="severity" { @for s in Severity::ALL { option value=(s.key()) { (s.name_zh()) } } }
                }))
                (field("af-measures", lang.pick("整改要求", "Measures"), html! { input id="af-measures" name="measures"; }))
                (field("af-deadline", lang.pick("整改期限", "Deadline"), html! { input id="af-deadline" name="deadline" type="date" required; }))
                (field("af-act", lang.pick("行为日期(默认任期最后一天)", "Act date (the tenure's last day by default)"), html! { input id="af-act" name="act_date" type="date"; }))
                button type="submit" { (lang.pick("记录并交办整改", "Record and assign")) }
            }
            h3 { (lang.pick("出具审计报告", "Issue the report")) }
            form method="post" action=(format!("/audits/{}/act", a.id)) id="audit-report-form" class="stack" {
                (csrf) input type="hidden" name="action" value="report";
                (field("ar-no", lang.pick("文号", "Number"), html! { input id="ar-no" name="document_no" required; }))
                (field("ar-summary", lang.pick("审计评价", "Conclusions"), html! { textarea id="ar-summary" name="summary" required {} }))
                (field("ar-sent", lang.pick("送达单位(顿号分隔)", "Sent to (separated by 、)"), html! { input id="ar-sent" name="sent_to" value="组织部、纪委监委、生态环境保护督察办公室"; }))
                button type="submit" { (lang.pick("出具报告", "Issue")) }
            }
        }
        (dossier_body(lang, &d))
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&a.data.title, body))
}

/// POST /audits/{id}/act (action = finding | report | case)
pub async fn act(
    State(state): State<AppState>,
    Scoped(a, viewer): Scoped<Audit>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    let here = format!("/audits/{}", a.id);
    match f.get("action") {
        "finding" => {
            viewer.require(Permission::ManageAudits)?;
            let category = match f.get("category").trim() {
                "" => None,
                c => Some(c.parse().map_err(|m| AppError::invalid("category", m))?),
            };
            let severity = f
                .get("severity")
                .parse()
                .map_err(|m| AppError::invalid("severity", m))?;
            let deadline = opt_date("deadline", f.get("deadline"))?
                .ok_or_else(|| AppError::invalid("deadline", "give the rectification deadline"))?;
            state
                .store
                .record_audit_finding(
                    &viewer.change("记录审计发现的问题"),
                    a.id,
                    AuditFindingSpec {
                        text: f.get("text").to_string(),
                        category,
                        severity,
                        measures: f.get("measures").to_string(),
                        units: Vec::new(),
                        deadline,
                        act_date: opt_date("act_date", f.get("act_date"))?,
                        recorded_on: today(),
                    },
                )
                .await
                .map_err(store_err(&viewer))?;
            Ok(done(&here, "audit_finding_recorded"))
        }
        "report" => {
            viewer.require(Permission::ManageAudits)?;
            state
                .store
                .report_audit(
                    &viewer.change("出具审计报告"),
                    a.id,
                    ReportSpec {
                        document_no: f.get("document_no").to_string(),
                        issued_on: today(),
                        summary: f.get("summary").to_string(),
                        sent_to: f
                            .get("sent_to")
                            .split(['、', ',', ',', ';'])
                            .map(str::to_string)
                            .collect(),
                    },
                )
                .await
                .map_err(store_err(&viewer))?;
            Ok(done(&here, "audit_reported"))
        }
        "case" => {
            viewer.require(Permission::InvestigateCases)?;
            let number: u32 = f
                .get("number")
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("number", "not a finding number"))?;
            let case = state
                .store
                .open_case_from_audit(
                    &viewer.change("审计发现问题移送,登记问题线索"),
                    a.id,
                    number,
                    "",
                    today(),
                )
                .await
                .map_err(store_err(&viewer))?;
            Ok(done(&format!("/cases/{}", case.id), "case_opened"))
        }
        other => Err(AppError::invalid(
            "action",
            format!("unknown action {other:?}: expected finding, report or case"),
        )),
    }
}

/// GET /tenures/{id}/dossier: the dossier of a tenure on request, with no audit opened.
pub async fn tenure_dossier(
    State(state): State<AppState>,
    Scoped((t, _, _), viewer): Scoped<(Tenure, Post, Organisation)>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    viewer.require(Permission::ReadAudits)?;
    let lang = viewer.lang;
    let d = for_viewer(state.store.tenure_dossier_of(t.id, today()).await?, &viewer);
    let title = format!(
        "{} · {}{}",
        d.person.name, d.tenure.organisation.name, d.tenure.post.title
    );
    let body = html! {
        (crumbs(lang, &title))
        h1 { (title) " " span class="muted" { (lang.pick("审计资料", "dossier")) } }
        (dossier_body(lang, &d))
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, body))
}

/// The dossier as rows of one sheet: section, item, start, end, change, note.
fn dossier_rows(d: &Dossier) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![
            "被审计人".into(),
            d.person.name.clone(),
            String::new(),
            String::new(),
            String::new(),
            format!("{} {}", d.tenure.organisation.name, d.tenure.post.title),
        ],
        vec![
            "期间".into(),
            String::new(),
            d.period_start.to_string(),
            d.period_end.to_string(),
            String::new(),
            "止日不含".into(),
        ],
    ];
    for c in &d.assets.lines {
        rows.push(vec![
            format!("资产账户·{}", c.category.name_zh()),
            format!("{}({})", c.indicator, c.unit),
            num(c.start),
            num(c.end),
            num(c.change),
            c.change_percent
                .map(|p| format!("{p:+.2}%"))
                .unwrap_or_default(),
        ]);
    }
    for y in &d.years {
        rows.push(vec![
            format!("{} 年", y.year.year),
            "考核".into(),
            String::new(),
            String::new(),
            String::new(),
            y.year
                .grade
                .clone()
                .unwrap_or_else(|| "无已发布结果".into()),
        ]);
        for f in &y.indicators {
            rows.push(vec![
                format!("{} 年", y.year.year),
                format!("{}({})", f.name_zh, f.unit),
                f.target.map(|t| num(Some(t))).unwrap_or_default(),
                num(f.value),
                String::new(),
                match f.met() {
                    Some(true) => "完成目标".into(),
                    Some(false) => "未完成目标".into(),
                    None => String::new(),
                },
            ]);
        }
    }
    let counts = [
        ("督察问题", "任期内提出", d.findings.raised),
        ("督察问题", "销号", d.findings.closed),
        ("督察问题", "逾期", d.findings.overdue),
        ("督察问题", "离任时未销号", d.findings.open_at_end),
    ];
    for (s, i, n) in counts {
        rows.push(vec![
            s.into(),
            i.into(),
            String::new(),
            String::new(),
            String::new(),
            n.to_string(),
        ]);
    }
    rows.push(vec![
        "信访举报".into(),
        "受理".into(),
        String::new(),
        String::new(),
        String::new(),
        d.complaints.received.to_string(),
    ]);
    for i in &d.inspections {
        rows.push(vec![
            "督察".into(),
            i.title.clone(),
            i.start_date.to_string(),
            i.end_date.to_string(),
            String::new(),
            i.level.clone(),
        ]);
    }
    for e in &d.emergencies {
        rows.push(vec![
            "突发环境事件".into(),
            e.title.clone(),
            e.occurred_on.to_string(),
            String::new(),
            String::new(),
            e.level.clone(),
        ]);
    }
    for c in &d.cases {
        rows.push(vec![
            "责任追究".into(),
            c.title.clone(),
            String::new(),
            String::new(),
            String::new(),
            c.status.name_zh().into(),
        ]);
    }
    for f in &d.audit_findings {
        rows.push(vec![
            "审计发现".into(),
            f.text.clone(),
            f.act_date.to_string(),
            String::new(),
            String::new(),
            format!("整改 #{}", f.finding_id),
        ]);
    }
    rows
}

/// GET /audits/{id}/dossier.xlsx
pub async fn export_dossier(
    State(state): State<AppState>,
    Scoped(a, viewer): Scoped<Audit>,
) -> PageResult<Response> {
    let d = for_viewer(state.store.audit_dossier(&a, today()).await?, &viewer);
    let header: Vec<String> = ["部分", "项目", "任初/目标", "任末/实际", "变化", "说明"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let bytes = ecoduty_tabular::write_xlsx("离任审计资料", &header, &dossier_rows(&d))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("audit-{}-dossier.xlsx", a.id),
    ))
}

#[derive(Deserialize, Default)]
pub struct AssetQuery {
    pub region: Option<String>,
    pub year: Option<String>,
    pub ok: Option<String>,
}

fn year_of(q: &AssetQuery) -> Result<Option<i32>, AppError> {
    match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(y) => y
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid("year", format!("{y:?} is not a year"))),
    }
}

/// GET /asset-accounts
pub async fn assets(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<AssetQuery>,
) -> PageResult<Markup> {
    assets_page(&state, viewer, uri.to_string(), q, None).await
}

async fn assets_page(
    state: &AppState,
    viewer: Viewer,
    here: String,
    q: AssetQuery,
    problems: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(state, &viewer, q.region.as_deref()).await?;
    let year = year_of(&q)?;
    let accounts = state
        .store
        .asset_accounts_within(within.as_ref(), year)
        .await?;
    let query = format!(
        "region={}&year={}",
        q.region.clone().unwrap_or_default(),
        year.map(|y| y.to_string()).unwrap_or_default()
    );
    let body = html! {
        h1 { (lang.pick("自然资源资产账户", "Natural-resource asset accounts")) }
        p class="muted" { (lang.pick(
            "按地区、年度记录土地、水、森林、草原、湿地、矿产、海洋等自然资源资产实物量,供离任审计比较任初与任末。",
            "Physical accounts of land, water, forest, grassland, wetland, mineral and marine resources by region and year, which departure audits compare between a tenure's start and end.")) }
        (flash(lang, q.ok.as_deref()))
        @if let Some(p) = problems { (p) }
        p {
            a href="/audits" { (lang.pick("离任审计", "Departure audits")) } " · "
            a href=(format!("/asset-accounts/export.csv?{query}")) { (lang.pick("导出 CSV", "Export CSV")) } " · "
            a href=(format!("/asset-accounts/export.xlsx?{query}")) { "Excel" }
        }
        form method="get" action="/asset-accounts" class="filters" {
            (field("a-region", lang.pick("地区代码", "Region code"), html! { input id="a-region" name="region" value=(q.region.clone().unwrap_or_default()) inputmode="numeric"; }))
            (field("a-year", lang.pick("年度", "Year"), html! { input id="a-year" name="year" value=(year.map(|y| y.to_string()).unwrap_or_default()) inputmode="numeric"; }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        @if accounts.is_empty() { p class="muted" id="no-accounts" { (lang.pick("尚无账户。", "No account yet.")) } }
        @for a in &accounts {
            section class="account" data-region=(a.region_code) data-year=(a.year) {
                h2 { (a.region_code) " · " (a.year) (lang.pick(" 年", "")) " " span class="muted" { (lang.pick("第 ", "version ")) (a.rev) (lang.pick(" 版", "")) } }
                div class="table-wrap" {
                    table {
                        thead { tr {
                            th scope="col" { (lang.pick("类别", "Category")) }
                            th scope="col" { (lang.pick("指标", "Indicator")) }
                            th scope="col" { (lang.pick("数值", "Value")) }
                            th scope="col" { (lang.pick("单位", "Unit")) }
                            th scope="col" { (lang.pick("来源", "Source")) }
                        } }
                        tbody {
                            @for l in &a.lines {
                                tr { td { (lang.pick(l.category.name_zh(), l.category.name_en())) } td { (l.indicator) } td { (num(Some(l.value))) } td { (l.unit) } td { (l.source) } }
                            }
                        }
                    }
                }
            }
        }
        @if viewer.can(Permission::ManageAudits) {
            section id="import" {
                h2 { (lang.pick("导入账户", "Import accounts")) }
                p class="muted" { (lang.pick("列:", "Columns: ")) (COLUMNS.join("、"))
                    (lang.pick("。整表校验,有错则不导入;同一地区年度的账户整体替换为新版本,未变化的不写入。", ". The whole sheet is checked and nothing is imported if a row is wrong; a region's account of a year is replaced as a new version, an unchanged one is not written.")) }
                form id="assets-import-form" method="post" action="/asset-accounts/import" enctype="multipart/form-data" class="stack" {
                    (csrf_field(&viewer))
                    (field("a-sheet", lang.pick("账户表(CSV 或 XLSX)", "Accounts sheet (CSV or XLSX)"), html! { input id="a-sheet" name="sheet" type="file" required accept=".csv,.xlsx"; }))
                    button type="submit" { (lang.pick("导入", "Import")) }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, here).page(lang.pick("自然资源资产账户", "Asset accounts"), body))
}

/// POST /asset-accounts/import (multipart: sheet)
pub async fn import_assets(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::ManageAudits)?;
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let file = form
        .file("sheet")
        .filter(|f| !f.bytes.is_empty())
        .ok_or_else(|| AppError::invalid("sheet", "choose the accounts sheet"))?;
    let table = file.table("sheet")?;
    let specs = match read_sheet(&file.file_name, &table) {
        Ok(s) => s,
        Err(AppError::Rows(rows)) => {
            let lang = viewer.lang;
            let page = assets_page(
                &state,
                viewer,
                "/asset-accounts".into(),
                AssetQuery::default(),
                Some(html! {
                    (notice("error", html! { (lang.pick("表格有错误,未导入任何记录。", "The sheet has errors; nothing was imported.")) }))
                    (row_errors(lang, &rows))
                }),
            )
            .await?;
            return Ok(refused(page));
        }
        Err(e) => return Err(e),
    };
    let scope = viewer.root().cloned();
    let n = specs.len();
    state
        .store
        .import_asset_accounts(
            &viewer.change(format!(
                "导入自然资源资产账户 {}({n} 个账户)",
                file.file_name
            )),
            scope.as_ref(),
            specs,
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done("/asset-accounts", "assets_imported"))
}

/// GET /asset-accounts/export.csv, /asset-accounts/export.xlsx: the accounts as `import` reads them.
pub async fn export_assets(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<AssetQuery>,
) -> PageResult<Response> {
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let accounts = state
        .store
        .asset_accounts_within(within.as_ref(), year_of(&q)?)
        .await?;
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .flat_map(|a| {
            account_rows(&AccountSpec {
                region_code: a.region_code.clone(),
                year: a.year,
                lines: a.lines.clone(),
            })
        })
        .collect();
    let header: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
    if uri.path().ends_with(".xlsx") {
        let bytes = ecoduty_tabular::write_xlsx("自然资源资产账户", &header, &rows)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "asset-accounts.xlsx",
        ))
    } else {
        Ok(attachment(
            ecoduty_tabular::write_csv(&header, &rows),
            "text/csv; charset=utf-8",
            "asset-accounts.csv",
        ))
    }
}
