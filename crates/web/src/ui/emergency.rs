//! Environmental emergencies' pages (突发生态环境事件, Arts. 7(6), 8(6)): the list of events
//! with the form to report one; an event's page with its notification chain (who was told, by
//! when, acknowledged or not, escalated), its timeline (初报, 续报, measures, monitoring,
//! regrades, the end of the response, closure with the investigation report) and the form to
//! add to it; risk sources with their import and export, and risk reports.
//!
//! The rules (the chain, the states, the deadlines) are the store's and the domain's; this
//! module only draws and reads forms.

use axum::extract::{FromRequest, Multipart, OriginalUri, Query, Request, State};
use axum::response::Response;
use axum::Form;
use ecoduty_domain::access::Permission;
use ecoduty_domain::emergency::risk::{sheet_row, COLUMNS};
use ecoduty_domain::emergency::{EventKind, Level, Status, UpdateKind};
use ecoduty_store::emergency::chain::NoticeState;
use ecoduty_store::emergency::risk::NewRiskReport;
use ecoduty_store::emergency::{
    china_time, Emergency, EmergencyDetail, EmergencyFilter, NewEmergency, NewUpdate,
};
use ecoduty_store::supervision::EvidenceRef;
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::emergency::time_param;
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{csrf_field, done, field, flash, notice, row_errors, Fields, Shell};
use crate::ui::regions::today;
use crate::ui::upload::{self, MultipartForm};

fn store_err(viewer: &Viewer) -> impl Fn(ecoduty_store::StoreError) -> AppError + '_ {
    move |e| AppError::from_store_in(e, viewer.lang)
}

fn level_label(lang: Lang, l: Level) -> String {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => format!("{} ({})", l.name_en(), l.key()),
    }
}

fn level_badge(lang: Lang, l: Level) -> Markup {
    let class = match l {
        Level::Extraordinary | Level::Major => "badge level level-grave",
        Level::Large => "badge level level-large",
        Level::General => "badge level",
    };
    html! { span class=(class) data-level=(l.key()) { (level_label(lang, l)) } }
}

fn status_label(lang: Lang, s: Status) -> &'static str {
    match lang {
        Lang::Zh => s.name_zh(),
        Lang::En => match s {
            Status::Reported => "reported",
            Status::Responding => "responding",
            Status::ResponseEnded => "response ended",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
        },
    }
}

fn kind_label(lang: Lang, k: EventKind) -> &'static str {
    match lang {
        Lang::Zh => k.name_zh(),
        Lang::En => match k {
            EventKind::Water => "water pollution",
            EventKind::Air => "air pollution",
            EventKind::Soil => "soil pollution",
            EventKind::HazardousWaste => "hazardous waste",
            EventKind::Radiation => "radiation",
            EventKind::Ecology => "ecological damage",
            EventKind::Other => "other",
        },
    }
}

fn update_label(lang: Lang, k: UpdateKind) -> &'static str {
    match lang {
        Lang::Zh => k.name_zh(),
        Lang::En => match k {
            UpdateKind::Initial => "first report",
            UpdateKind::FollowUp => "follow-up report",
            UpdateKind::Measure => "measure",
            UpdateKind::Monitoring => "monitoring",
            UpdateKind::Regrade => "regrade",
            UpdateKind::ResponseEnd => "response ended",
            UpdateKind::Closure => "closure",
            UpdateKind::Withdrawal => "withdrawal",
        },
    }
}

fn notice_state_label(lang: Lang, s: NoticeState) -> &'static str {
    match lang {
        Lang::Zh => s.name_zh(),
        Lang::En => match s {
            NoticeState::Pending => "waiting",
            NoticeState::Overdue => "overdue",
            NoticeState::Acknowledged => "acknowledged",
            NoticeState::AcknowledgedLate => "acknowledged late",
            NoticeState::Vacant => "post vacant",
        },
    }
}

fn tier_label(lang: Lang, t: ecoduty_domain::emergency::chain::Tier) -> &'static str {
    use ecoduty_domain::emergency::chain::Tier;
    match lang {
        Lang::Zh => t.name_zh(),
        Lang::En => match t {
            Tier::Local => "where it happened",
            Tier::Upper => "level above",
            Tier::Province => "province",
        },
    }
}

fn evidence_links(evidence: &[EvidenceRef]) -> Markup {
    html! {
        @for e in evidence {
            " " a class="evidence" href=(format!("/evidence/{}", e.sha256)) { (e.name) }
        }
    }
}

// ---------------------------------------------------------------- the list and the report form

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub region: Option<String>,
    pub year: Option<String>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub ok: Option<String>,
}

fn options<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    chosen: &str,
) -> Markup {
    html! {
        @for x in all {
            option value=(key(*x)) selected[key(*x) == chosen] { (label(*x)) }
        }
    }
}

/// GET /emergencies
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        Some(y) => Some(
            y.parse::<i32>()
                .map_err(|_| AppError::invalid("year", format!("{y:?} is not a year")))?,
        ),
        None => None,
    };
    let year = crate::api::common::year_param("year", year)?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<Status>()
                .map_err(|m| AppError::invalid("status", m))?,
        ),
        None => None,
    };
    let level = match q.level.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<Level>()
                .map_err(|m| AppError::invalid("level", m))?,
        ),
        None => None,
    };
    let events = state
        .store
        .emergencies(&EmergencyFilter {
            within: within.clone(),
            year,
            status,
            level,
        })
        .await?;
    let mut names = std::collections::HashMap::new();
    for e in &events {
        if !names.contains_key(&e.region_code) {
            let name = state
                .store
                .region(&e.region_code)
                .await?
                .map(|r| r.name)
                .unwrap_or_default();
            names.insert(e.region_code.clone(), name);
        }
    }
    let sources = state.store.risk_sources(within.as_ref()).await?;
    let region_value = q
        .region
        .clone()
        .unwrap_or_else(|| viewer.root().map(|r| r.to_string()).unwrap_or_default());
    let body = html! {
        h1 { (lang.pick("突发环境事件", "Environmental emergencies")) }
        p class="muted" { (lang.pick(
            "第七条(六)、第八条(六):建立健全突发生态环境事件应急责任体系,分级负责、属地为主、部门协同。事件登记即按级别通知事发地及上级有关负责人,逐一跟踪确认,超时未确认的由系统逐级上报。",
            "Arts. 7(6), 8(6): an emergency responsibility system — graded, led where it happens, with the departments. Registering an event tells the responsible posts where it happened and, by its grade, above; each notice is tracked until acknowledged, and late ones are reported up.")) }
        (flash(lang, q.ok.as_deref()))
        p { a href="/risk-sources" { (lang.pick("环境风险源与风险报告", "Risk sources and risk reports")) } }
        form method="get" action="/emergencies" class="filters" {
            (field("f-region", lang.pick("地区代码", "Region code"), html! { input id="f-region" name="region" value=(q.region.as_deref().unwrap_or("")) inputmode="numeric"; }))
            (field("f-year", lang.pick("年度", "Year"), html! { input id="f-year" name="year" value=(q.year.as_deref().unwrap_or("")) inputmode="numeric"; }))
            (field("f-status", lang.pick("状态", "Status"), html! {
                select id="f-status" name="status" {
                    option value="" { (lang.pick("全部", "All")) }
                    (options(Status::ALL, |s| s.key(), |s| status_label(lang, s).to_string(), q.status.as_deref().unwrap_or("")))
                }
            }))
            (field("f-level", lang.pick("级别", "Grade"), html! {
                select id="f-level" name="level" {
                    option value="" { (lang.pick("全部", "All")) }
                    (options(Level::ALL, |l| l.key(), |l| level_label(lang, l), q.level.as_deref().unwrap_or("")))
                }
            }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        div class="table-wrap" {
            table id="emergencies" {
                caption { (lang.pick("事件", "Events")) " (" (events.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("发生时间", "Happened")) }
                    th scope="col" { (lang.pick("事件", "Event")) }
                    th scope="col" { (lang.pick("地区", "Region")) }
                    th scope="col" { (lang.pick("类型", "Kind")) }
                    th scope="col" { (lang.pick("级别", "Grade")) }
                    th scope="col" { (lang.pick("状态", "Status")) }
                } }
                tbody {
                    @for e in &events {
                        tr {
                            td { (china_time(e.occurred_at)) }
                            td { a href=(format!("/emergencies/{}", e.id)) { (e.title) } }
                            td { (names.get(&e.region_code).cloned().unwrap_or_default()) " " span class="muted" { (e.region_code) } }
                            td { (kind_label(lang, e.kind)) }
                            td { (level_badge(lang, e.level)) }
                            td { (status_label(lang, e.status)) }
                        }
                    }
                    @if events.is_empty() {
                        tr { td colspan="6" class="muted" { (lang.pick("没有符合条件的事件。", "No events match.")) } }
                    }
                }
            }
        }
        @if viewer.can(Permission::HandleEmergencies) {
            section id="report" {
                h2 { (lang.pick("接报登记(初报)", "Register an event (first report)")) }
                form id="report-form" method="post" action="/emergencies" enctype="multipart/form-data" class="stack" {
                    (csrf_field(&viewer))
                    (field("r-region", lang.pick("事发地区代码", "Region code where it happened"), html! { input id="r-region" name="region" required inputmode="numeric" value=(region_value); }))
                    (field("r-title", lang.pick("事件名称", "Title"), html! { input id="r-title" name="title" required maxlength="200"; }))
                    (field("r-place", lang.pick("事发地点", "Place"), html! { input id="r-place" name="place" maxlength="500"; }))
                    (field("r-kind", lang.pick("事件类型", "Kind"), html! {
                        select id="r-kind" name="kind" { (options(EventKind::ALL, |k| k.key(), |k| kind_label(lang, k).to_string(), "water")) }
                    }))
                    (field("r-level", lang.pick("初步认定级别", "Grade as first assessed"), html! {
                        select id="r-level" name="level" { (options(Level::ALL, |l| l.key(), |l| level_label(lang, l), "IV")) }
                    }))
                    (field("r-occurred", lang.pick("发生时间(北京时间)", "Happened at (China time)"), html! { input id="r-occurred" name="occurred_at" type="datetime-local" required; }))
                    (field("r-reported", lang.pick("接报时间(留空为现在)", "Reported at (empty: now)"), html! { input id="r-reported" name="reported_at" type="datetime-local"; }))
                    (field("r-pollutants", lang.pick("特征污染物(以、分隔)", "Pollutants (separated by 、 or ,)"), html! { input id="r-pollutants" name="pollutants" maxlength="1000"; }))
                    (field("r-source", lang.pick("关联风险源", "Risk source"), html! {
                        select id="r-source" name="risk_source_id" {
                            option value="" { "—" }
                            @for s in &sources { option value=(s.id) { (s.name) " (" (s.region_code) ")" } }
                        }
                    }))
                    (field("r-report", lang.pick("初报内容", "First report"), html! { textarea id="r-report" name="report" required rows="4" maxlength="20000" {} }))
                    (field("r-file", lang.pick("附件(可选)", "Attachment (optional)"), html! { input id="r-file" name="file" type="file"; }))
                    button type="submit" { (lang.pick("登记并通知", "Register and notify")) }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string())
        .page(lang.pick("突发环境事件", "Environmental emergencies"), body))
}

fn split_list(text: &str) -> Vec<String> {
    text.split(['、', ',', '\u{FF0C}', ';', '\u{FF1B}'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

async fn read_form(
    state: &AppState,
    viewer: &Viewer,
    request: Request,
) -> Result<MultipartForm, AppError> {
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    Ok(form)
}

/// Stores the form's file, if one came, as evidence.
async fn attached(
    state: &AppState,
    viewer: &Viewer,
    form: &MultipartForm,
    what: &str,
) -> Result<Vec<EvidenceRef>, AppError> {
    match form.file("file") {
        Some(file) if !file.bytes.is_empty() => {
            let (evidence, _) = state
                .store
                .add_evidence(
                    &viewer.change(format!("佐证材料:{what}")),
                    &file.file_name,
                    &file.bytes,
                    &crate::api::evidence::policy(state),
                )
                .await
                .map_err(store_err(viewer))?;
            Ok(vec![evidence])
        }
        _ => Ok(Vec::new()),
    }
}

/// POST /emergencies (multipart: region, title, place, kind, level, occurred_at, reported_at,
/// pollutants, risk_source_id, report, file)
pub async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::HandleEmergencies)?;
    let form = read_form(&state, &viewer, request).await?;
    let f = &form.fields;
    let region = viewer.region(&state.store, f.get("region").trim()).await?;
    let kind: EventKind = f
        .get("kind")
        .parse()
        .map_err(|m| AppError::invalid("kind", m))?;
    let level: Level = f
        .get("level")
        .parse()
        .map_err(|m| AppError::invalid("level", m))?;
    let occurred_at = time_param("occurred_at", Some(f.get("occurred_at")))?;
    let reported_at = time_param("reported_at", Some(f.get("reported_at")))?;
    let risk_source_id = match f.get("risk_source_id").trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("risk_source_id", format!("{s:?} is not an id")))?,
        ),
    };
    let title = crate::api::common::required_text("title", f.get("title"), 200)?;
    let report = crate::api::common::required_text("report", f.get("report"), 20_000)?;
    let evidence = attached(&state, &viewer, &form, &title).await?;
    let detail = state
        .store
        .report_emergency(
            &viewer.change(format!("接报突发环境事件:{title}")),
            NewEmergency {
                region_code: region.code,
                title,
                place: crate::api::common::optional_text("place", f.get("place"), 500)?,
                kind,
                pollutants: split_list(f.get("pollutants")),
                level,
                occurred_at,
                reported_at,
                risk_source_id,
                report,
                evidence,
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &format!("/emergencies/{}", detail.emergency.id),
        "emergency_reported",
    ))
}

// ---------------------------------------------------------------- one event

#[derive(Deserialize, Default)]
pub struct OkQuery {
    pub ok: Option<String>,
}

fn chain_table(lang: Lang, viewer: &Viewer, d: &EmergencyDetail) -> Markup {
    let can_ack = viewer.can(Permission::HandleEmergencies) && !d.emergency.status.is_final();
    html! {
        div class="table-wrap" {
            table id="chain" {
                caption { (lang.pick("通知链", "Notification chain")) " (" (d.notices.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("层级", "Tier")) }
                    th scope="col" { (lang.pick("地区", "Region")) }
                    th scope="col" { (lang.pick("岗位", "Post")) }
                    th scope="col" { (lang.pick("当时在任", "Holder then")) }
                    th scope="col" { (lang.pick("通知时间", "Sent")) }
                    th scope="col" { (lang.pick("确认时限", "Acknowledge by")) }
                    th scope="col" { (lang.pick("状态", "State")) }
                    th scope="col" { (lang.pick("确认", "Acknowledgement")) }
                } }
                tbody {
                    @for n in &d.notices {
                        tr data-state=(format!("{:?}", n.state).to_lowercase()) {
                            td { (tier_label(lang, n.notice.tier)) }
                            td { (n.region_name) }
                            td { (n.organisation) " " (n.post) br; span class="muted" { (n.role_zh) } }
                            td {
                                @match (&n.person, n.notice.person_id) {
                                    (Some(name), Some(id)) => { a href=(format!("/people/{id}")) { (name) } }
                                    _ => { span class="muted" { (lang.pick("空缺", "vacant")) } }
                                }
                            }
                            td { (china_time(n.notice.sent_at)) }
                            td { (china_time(n.notice.due_at)) }
                            td {
                                span class=(match n.state {
                                    NoticeState::Overdue | NoticeState::AcknowledgedLate | NoticeState::Vacant => "badge warn",
                                    NoticeState::Acknowledged => "badge ok",
                                    NoticeState::Pending => "badge",
                                }) { (notice_state_label(lang, n.state)) }
                                @if let Some(at) = n.notice.escalated_at {
                                    br; span class="muted" { (lang.pick("已上报上级 ", "reported up ")) (china_time(at)) }
                                }
                            }
                            td {
                                @if let Some(at) = n.notice.acknowledged_at {
                                    (china_time(at))
                                    @if let Some(note) = &n.notice.ack_note { " · " (note) }
                                    br; span class="muted" { (n.notice.acknowledged_by.as_deref().unwrap_or("")) }
                                } @else if can_ack && n.notice.person_id.is_some() && viewer.reaches(&n.notice.region_code) {
                                    form method="post" action=(format!("/emergencies/{}/acknowledge", d.emergency.id)) class="inline" {
                                        (csrf_field(viewer))
                                        input type="hidden" name="notice_id" value=(n.notice.id);
                                        label class="sr" for=(format!("ack-note-{}", n.notice.id)) { (lang.pick("确认方式", "How confirmed")) }
                                        input id=(format!("ack-note-{}", n.notice.id)) name="note" placeholder=(lang.pick("电话/短信", "phone/SMS")) maxlength="500" size="8";
                                        button type="submit" { (lang.pick("记录确认", "Record")) }
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

fn timeline(lang: Lang, d: &EmergencyDetail) -> Markup {
    html! {
        ol id="timeline" class="timeline" {
            @for u in &d.updates {
                li data-kind=(u.kind.key()) {
                    span class="when" { (china_time(u.at)) }
                    " "
                    strong { (update_label(lang, u.kind)) }
                    @if let Some(l) = u.new_level { " → " (level_badge(lang, l)) }
                    p { (u.text) }
                    @if !u.evidence.is_empty() { p { (lang.pick("附件:", "Files: ")) (evidence_links(&u.evidence)) } }
                    p class="muted" { (u.recorded_by) }
                }
            }
        }
    }
}

fn update_form(lang: Lang, viewer: &Viewer, d: &EmergencyDetail) -> Markup {
    let kinds: Vec<UpdateKind> = UpdateKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != UpdateKind::Initial)
        .collect();
    html! {
        section id="add-update" {
            h2 { (lang.pick("续报与处置", "Add to the timeline")) }
            form id="update-form" method="post" action=(format!("/emergencies/{}/updates", d.emergency.id)) enctype="multipart/form-data" class="stack" {
                (csrf_field(viewer))
                (field("u-kind", lang.pick("类型", "Kind"), html! {
                    select id="u-kind" name="kind" { (options(&kinds, |k| k.key(), |k| update_label(lang, k).to_string(), "follow_up")) }
                }))
                (field("u-at", lang.pick("时间(北京时间,留空为现在)", "When (China time; empty: now)"), html! { input id="u-at" name="at" type="datetime-local"; }))
                (field("u-level", lang.pick("调整后级别(仅级别调整)", "New grade (regrade only)"), html! {
                    select id="u-level" name="new_level" {
                        option value="" { "—" }
                        (options(Level::ALL, |l| l.key(), |l| level_label(lang, l), ""))
                    }
                }))
                (field("u-text", lang.pick("内容", "Text"), html! { textarea id="u-text" name="text" required rows="4" maxlength="20000" {} }))
                (field("u-file", lang.pick("附件(结案须附调查评估报告)", "File (closure: the investigation and assessment report)"), html! { input id="u-file" name="file" type="file"; }))
                button type="submit" { (lang.pick("添加", "Add")) }
            }
        }
    }
}

/// GET /emergencies/{id}
pub async fn show(
    State(state): State<AppState>,
    Scoped(e, viewer): Scoped<Emergency>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let d = state.store.require_emergency(e.id).await?;
    let ev = &d.emergency;
    let region = state.store.region(&ev.region_code).await?;
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/emergencies" { (lang.pick("突发环境事件", "Environmental emergencies")) } }
                li aria-current="page" { (ev.title) }
            }
        }
        h1 { (ev.title) " " (level_badge(lang, ev.level)) }
        (flash(lang, q.ok.as_deref()))
        dl class="facts" id="event-facts" {
            dt { (lang.pick("状态", "Status")) } dd id="event-status" data-status=(ev.status.key()) { (status_label(lang, ev.status)) }
            dt { (lang.pick("事发地区", "Region")) } dd { (region.map(|r| r.name).unwrap_or_default()) " " span class="muted" { (ev.region_code) } }
            dt { (lang.pick("地点", "Place")) } dd { (ev.place) }
            dt { (lang.pick("类型", "Kind")) } dd { (kind_label(lang, ev.kind)) }
            dt { (lang.pick("发生时间", "Happened")) } dd { (china_time(ev.occurred_at)) }
            dt { (lang.pick("接报时间", "Reported")) } dd { (china_time(ev.reported_at)) " · " (ev.reported_by) }
            dt { (lang.pick("特征污染物", "Pollutants")) } dd { (ev.pollutants.join("、")) }
            @if let Some(s) = &d.risk_source {
                dt { (lang.pick("风险源", "Risk source")) } dd { (s.name) " · " (s.grade.name_zh()) " · " (s.substances.join("、")) }
            }
        }
        @if ev.level.at_least(Level::Large) && ev.status != Status::Withdrawn {
            (notice("info", html! { (lang.pick(
                "较大及以上突发环境事件:计入事发地当年考核的一票否决项(考核细则中 emergency 规则),并可据以启动责任追究。",
                "An event of grade III or graver: it counts for the veto item of the region's yearly assessment (the scheme's emergency rule), and may ground an accountability case.")) }))
        }
        @if ev.level.at_least(Level::Large) && ev.status != Status::Withdrawn && viewer.can(Permission::InvestigateCases) {
            form method="post" action="/cases" class="inline-form" id="open-case-from-event" {
                (csrf_field(&viewer))
                input type="hidden" name="region" value=(ev.region_code);
                input type="hidden" name="source" value="emergency";
                input type="hidden" name="source_id" value=(ev.id);
                input type="hidden" name="title" value=(format!("{}责任追究", ev.title));
                input type="hidden" name="summary" value=(format!("{}({})", ev.title, ev.level.label_zh()));
                button type="submit" { (lang.pick("据此登记追责线索", "Open an accountability case from it")) }
            }
        }
        (chain_table(lang, &viewer, &d))
        h2 { (lang.pick("事件进展", "Timeline")) }
        (timeline(lang, &d))
        @if viewer.can(Permission::HandleEmergencies) && !ev.status.is_final() {
            (update_form(lang, &viewer, &d))
        }
        p { a href=(format!("/api/v1/emergencies/{}/history", ev.id)) { (lang.pick("全部版本(JSON)", "Every version (JSON)")) } }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&ev.title, body))
}

/// POST /emergencies/{id}/updates (multipart: kind, at, new_level, text, file)
pub async fn update(
    State(state): State<AppState>,
    Scoped(e, viewer): Scoped<Emergency>,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::HandleEmergencies)?;
    let form = read_form(&state, &viewer, request).await?;
    let f = &form.fields;
    let kind: UpdateKind = f
        .get("kind")
        .parse()
        .map_err(|m| AppError::invalid("kind", m))?;
    let new_level = match f.get("new_level").trim() {
        "" => None,
        l => Some(
            l.parse::<Level>()
                .map_err(|m| AppError::invalid("new_level", m))?,
        ),
    };
    let at = time_param("at", Some(f.get("at")))?;
    let text = crate::api::common::required_text("text", f.get("text"), 20_000)?;
    let evidence = attached(&state, &viewer, &form, update_label(Lang::Zh, kind)).await?;
    state
        .store
        .add_emergency_update(
            &viewer.change(format!("突发环境事件 #{} {}", e.id, kind.name_zh())),
            e.id,
            NewUpdate {
                kind,
                at,
                text,
                new_level,
                evidence,
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(&format!("/emergencies/{}", e.id), "emergency_updated"))
}

/// POST /emergencies/{id}/acknowledge (notice_id, note)
pub async fn acknowledge(
    State(state): State<AppState>,
    Scoped(e, viewer): Scoped<Emergency>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.require(Permission::HandleEmergencies)?;
    viewer.check_csrf(f.get("csrf"))?;
    let notice_id: i64 = f
        .get("notice_id")
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("notice_id", "not a notice"))?;
    let notice = state
        .store
        .emergency_notice(notice_id)
        .await?
        .filter(|n| n.emergency_id == e.id)
        .ok_or_else(|| {
            AppError::invalid(
                "notice_id",
                format!("event #{} has no notice #{notice_id}", e.id),
            )
        })?;
    if !viewer.reaches(&notice.region_code) {
        return Err(AppError::Forbidden);
    }
    let note = crate::api::common::optional_text("note", f.get("note"), 500)?;
    state
        .store
        .acknowledge_notice(
            &viewer.change(format!("确认收悉突发环境事件 #{} 通知 #{notice_id}", e.id)),
            notice_id,
            chrono::Utc::now(),
            (!note.is_empty()).then_some(note),
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &format!("/emergencies/{}", e.id),
        "notice_acknowledged",
    ))
}

// ---------------------------------------------------------------- risk sources and reports

/// GET /risk-sources
pub async fn risk_sources(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    risk_page(&state, viewer, uri.to_string(), q, None).await
}

async fn risk_page(
    state: &AppState,
    viewer: Viewer,
    here: String,
    q: ListQuery,
    refused: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(state, &viewer, q.region.as_deref()).await?;
    let sources = state.store.risk_sources(within.as_ref()).await?;
    let reports = state.store.risk_reports(within.as_ref()).await?;
    let region_value = within.as_ref().map(|r| r.to_string()).unwrap_or_default();
    let body = html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/emergencies" { (lang.pick("突发环境事件", "Environmental emergencies")) } }
                li aria-current="page" { (lang.pick("环境风险", "Risk")) }
            }
        }
        h1 { (lang.pick("环境风险源与风险报告", "Risk sources and risk reports")) }
        (flash(lang, q.ok.as_deref()))
        @if let Some(r) = refused { (r) }
        p {
            a href=(format!("/risk-sources.csv?region={region_value}")) { (lang.pick("导出 CSV", "Export CSV")) }
            " · "
            a href=(format!("/risk-sources.xlsx?region={region_value}")) { (lang.pick("导出 Excel", "Export Excel")) }
        }
        div class="table-wrap" {
            table id="risk-sources" {
                caption { (lang.pick("重点环境风险源", "Risk sources")) " (" (sources.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("名称", "Name")) }
                    th scope="col" { (lang.pick("地区", "Region")) }
                    th scope="col" { (lang.pick("行业代码", "Industry")) }
                    th scope="col" { (lang.pick("风险物质", "Substances")) }
                    th scope="col" { (lang.pick("风险等级", "Risk grade")) }
                    th scope="col" { (lang.pick("地址", "Address")) }
                } }
                tbody {
                    @for s in &sources {
                        tr data-grade=(s.grade.key()) {
                            td { (s.name) }
                            td { (s.region_code) }
                            td { code { (s.industry) } }
                            td { (s.substances.join("、")) }
                            td { (s.grade.name_zh()) }
                            td { (s.address) }
                        }
                    }
                }
            }
        }
        @if viewer.can(Permission::EditRecords) {
            section id="import" {
                h2 { (lang.pick("导入风险源名录", "Import the risk-source list")) }
                p class="muted" { (lang.pick("列:", "Columns: ")) (COLUMNS.join("、")) (lang.pick("。整表校验,有错则不导入;以统一社会信用代码(或地区与名称)匹配已有风险源。", ". The whole sheet is checked and nothing is imported if a row is wrong; rows match earlier sources by credit code (or region and name).")) }
                form id="import-form" method="post" action="/risk-sources" enctype="multipart/form-data" class="stack" {
                    (csrf_field(&viewer))
                    (field("i-file", lang.pick("名录文件(CSV 或 XLSX)", "File (CSV or XLSX)"), html! { input id="i-file" name="file" type="file" required accept=".csv,.xlsx"; }))
                    button type="submit" { (lang.pick("导入", "Import")) }
                }
            }
        }
        div class="table-wrap" {
            table id="risk-reports" {
                caption { (lang.pick("风险报告", "Risk reports")) " (" (reports.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("日期", "Day")) }
                    th scope="col" { (lang.pick("地区", "Region")) }
                    th scope="col" { (lang.pick("内容", "Text")) }
                    th scope="col" { (lang.pick("报告人", "By")) }
                } }
                tbody {
                    @for r in &reports {
                        tr {
                            td { (r.reported_on) }
                            td { (r.region_code) }
                            td { (r.text) (evidence_links(&r.evidence)) }
                            td { (r.reported_by) }
                        }
                    }
                }
            }
        }
        @if viewer.can(Permission::HandleEmergencies) {
            section id="report-risk" {
                h2 { (lang.pick("报告环境风险", "Report a risk")) }
                form id="risk-report-form" method="post" action="/risk-reports" enctype="multipart/form-data" class="stack" {
                    (csrf_field(&viewer))
                    (field("k-region", lang.pick("地区代码", "Region code"), html! { input id="k-region" name="region" required inputmode="numeric" value=(region_value); }))
                    (field("k-source", lang.pick("风险源", "Risk source"), html! {
                        select id="k-source" name="risk_source_id" {
                            option value="" { "—" }
                            @for s in &sources { option value=(s.id) { (s.name) } }
                        }
                    }))
                    (field("k-text", lang.pick("风险情况", "What was found"), html! { textarea id="k-text" name="text" required rows="3" maxlength="20000" {} }))
                    (field("k-file", lang.pick("附件(可选)", "Attachment (optional)"), html! { input id="k-file" name="file" type="file"; }))
                    button type="submit" { (lang.pick("报告", "Report")) }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, here).page(lang.pick("环境风险", "Risk"), body))
}

/// POST /risk-sources (multipart: file)
pub async fn import_risk_sources(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::EditRecords)?;
    let form = read_form(&state, &viewer, request).await?;
    let file = form
        .file("file")
        .ok_or_else(|| AppError::invalid("file", "choose the file to import"))?;
    let table = file.table("file")?;
    let specs = match ecoduty_domain::emergency::risk::parse_sheet(&table.header, &table.rows) {
        Ok(s) if !s.is_empty() => s,
        Ok(_) => return Err(AppError::invalid("file", "no risk source in the file")),
        Err(rows) => {
            let lang = viewer.lang;
            let page = risk_page(
                &state,
                viewer,
                "/risk-sources".into(),
                ListQuery::default(),
                Some(html! {
                    (notice("error", html! { (file.file_name) ": " (lang.pick("有错误,未导入任何记录。", "has errors; nothing was imported.")) }))
                    (row_errors(lang, &rows))
                }),
            )
            .await?;
            return Ok(crate::ui::layout::refused(page));
        }
    };
    let scope = viewer.root().cloned();
    let n = specs.len();
    state
        .store
        .import_risk_sources(
            &viewer.change(format!("导入环境风险源名录 {}({n} 家)", file.file_name)),
            scope.as_ref(),
            specs,
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done("/risk-sources", "risk_sources_imported"))
}

/// GET /risk-sources.csv and /risk-sources.xlsx
pub async fn export_risk_sources(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let sources = state.store.risk_sources(within.as_ref()).await?;
    let header: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
    let rows: Vec<Vec<String>> = sources.iter().map(|s| sheet_row(&s.spec)).collect();
    let xlsx = uri.path().ends_with(".xlsx");
    let (bytes, kind, name) = if xlsx {
        (
            ecoduty_tabular::write_xlsx("风险源名录", &header, &rows)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "risk-sources.xlsx",
        )
    } else {
        (
            ecoduty_tabular::write_csv(&header, &rows),
            "text/csv; charset=utf-8",
            "risk-sources.csv",
        )
    };
    Ok(crate::ui::layout::attachment(bytes, kind, name))
}

/// POST /risk-reports (multipart: region, risk_source_id, text, file)
pub async fn report_risk(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::HandleEmergencies)?;
    let form = read_form(&state, &viewer, request).await?;
    let f = &form.fields;
    let region = viewer.region(&state.store, f.get("region").trim()).await?;
    let risk_source_id = match f.get("risk_source_id").trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("risk_source_id", format!("{s:?} is not an id")))?,
        ),
    };
    let text = crate::api::common::required_text("text", f.get("text"), 20_000)?;
    let evidence = attached(&state, &viewer, &form, "环境风险报告").await?;
    state
        .store
        .report_risk(
            &viewer.change("环境风险报告"),
            NewRiskReport {
                region_code: region.code,
                risk_source_id,
                text,
                reported_on: today(),
                evidence,
            },
            chrono::Utc::now(),
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done("/risk-sources", "risk_reported"))
}
