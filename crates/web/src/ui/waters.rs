//! The pages of rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5): the
//! waters, forest areas and chiefs of the viewer's region; a water's page with its segments and
//! who answers for each today; the chief's page (his sections by month against their target
//! class, the open problems his patrols raised, his patrols, the month's patrol table); the
//! patrol form (photos uploaded as evidence) and a patrol's page; and the public 河长公示牌 of a
//! water — its chiefs today, their duties and the complaint form filled in with the segment —
//! which anyone may read.
//!
//! What is shown is computed by the store and [`crate::api::waters`]; this module draws it and
//! reads the patrol form.

use axum::extract::{Multipart, OriginalUri, Path, Query, State};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use ecoduty_domain::access::Permission;
use ecoduty_domain::waters::{PatrolTarget, ProblemKind};
use ecoduty_store::supervision::EvidenceRef;
use ecoduty_store::waters::chiefs::{Chief, ChiefFilter, ChiefHolding};
use ecoduty_store::waters::patrols::{NewPatrol, NewProblem, Patrol};
use ecoduty_store::waters::WaterDetail;
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::common::today;
use crate::api::waters::{chief_month, chief_segments, chief_view, month_param, segment_chiefs};
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{csrf_field, done, field, flash, form_error, MaybeViewer, Shell};
use crate::ui::upload;

/// A class number (1–5 Ⅰ–Ⅴ, 6 劣Ⅴ) as written.
fn class_label(n: u8) -> &'static str {
    ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"]
        .get(usize::from(n.saturating_sub(1)))
        .copied()
        .unwrap_or("?")
}

fn chief_name(lang: Lang, c: &Chief) -> String {
    format!(
        "{}{}",
        c.spec.level.name_zh(),
        lang.pick(c.spec.kind.name_zh(), c.spec.kind.name_en())
    )
}

fn problem_name(lang: Lang, k: ProblemKind) -> String {
    match lang {
        Lang::Zh => k.name_zh().to_string(),
        _ => format!("{} ({})", k.name_zh(), k.key().replace('_', " ")),
    }
}

fn crumbs(lang: Lang, here: &str) -> Markup {
    html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/waters" { (lang.pick("河湖长制", "Rivers and chiefs")) } }
                li aria-current="page" { (here) }
            }
        }
    }
}

fn holder_cell(lang: Lang, h: &ChiefHolding) -> Markup {
    html! {
        @match &h.holder {
            Some(p) => { a href=(format!("/people/{}", p.id)) { (p.name) } }
            None => { span class="badge warn" { (lang.pick("空缺", "vacant")) } }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub region: Option<String>,
}

/// GET /waters
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let waters = state.store.waters(within.as_ref()).await?;
    let forests = state.store.forests(within.as_ref()).await?;
    let day = today();
    let mut chiefs = Vec::new();
    for c in state
        .store
        .chiefs(&ChiefFilter {
            within: within.clone(),
            ..Default::default()
        })
        .await?
    {
        chiefs.push(state.store.chief_holding(c, day).await?);
    }
    let region_value = q.region.clone().unwrap_or_default();
    let regions =
        crate::ui::supervision::region_choice(&state, &viewer, q.region.as_deref()).await?;
    let body = html! {
        h1 { (lang.pick("河湖长制 · 林长制", "River, lake and forest chiefs")) }
        p class="muted" { (lang.pick(
            "第五条:统筹河湖长制、林长制。河湖分段落实河长、湖长,林区落实林长;各级河长按规定频次巡河,巡查发现的问题交办整改。",
            "Art. 5: co-ordinate the river and lake chief and forest chief systems. Each segment of a river or lake has its chiefs, each forest area its forest chief; chiefs patrol as often as their level requires, and the problems they find are assigned for rectification.")) }
        form method="get" action="/waters" class="filters" {
            (field("w-region", lang.pick("地区", "Region"), html! { (crate::ui::supervision::region_select(lang, &regions, "w-region", "region", &region_value)) }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        @if viewer.can(Permission::ManageWaters) {
            p { a href="/chiefs/sheet" { (lang.pick("河长名录导入导出", "Chief roster: import and export")) } }
        }
        div class="table-wrap" {
            table id="waters" {
                caption { (lang.pick("河湖", "Rivers and lakes")) " (" (waters.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("编码", "Code")) }
                    th scope="col" { (lang.pick("名称", "Name")) }
                    th scope="col" { (lang.pick("类型", "Kind")) }
                    th scope="col" { (lang.pick("河段", "Segments")) }
                    th scope="col" { (lang.pick("公示牌", "Public board")) }
                } }
                tbody {
                    @for w in &waters {
                        tr {
                            td { a href=(format!("/waters/{}", w.water.code)) { code { (w.water.code) } } }
                            td { (w.water.name) }
                            td { (w.water.kind.name_zh()) }
                            td { (w.segments.len()) }
                            td { a href=(format!("/public/waters/{}", w.water.code)) { (lang.pick("河长公示牌", "board")) } }
                        }
                    }
                }
            }
        }
        div class="table-wrap" {
            table id="chiefs" {
                caption { (lang.pick("河长、湖长、林长", "Chiefs")) " (" (chiefs.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("层级与类别", "Level and kind")) }
                    th scope="col" { (lang.pick("区划", "Region")) }
                    th scope="col" { (lang.pick("职务", "Post")) }
                    th scope="col" { (lang.pick("现任", "Holder today")) }
                    th scope="col" { (lang.pick("负责", "Answers for")) }
                } }
                tbody {
                    @for h in &chiefs {
                        tr data-chief=(h.chief.id) {
                            td { a href=(format!("/chiefs/{}", h.chief.id)) { (chief_name(lang, &h.chief)) } }
                            td { (h.chief.spec.region_code) }
                            td { (h.post.title) " · " (h.organisation.name) }
                            td { (holder_cell(lang, h)) }
                            td {
                                @if h.chief.spec.kind.is_general() { (lang.pick("本区域全部", "the whole region")) }
                                @else { (h.chief.spec.segments.iter().chain(&h.chief.spec.forests).cloned().collect::<Vec<_>>().join("、")) }
                            }
                        }
                    }
                }
            }
        }
        div class="table-wrap" {
            table id="forests" {
                caption { (lang.pick("林区", "Forest areas")) " (" (forests.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("编码", "Code")) }
                    th scope="col" { (lang.pick("名称", "Name")) }
                    th scope="col" { (lang.pick("区划", "Region")) }
                    th scope="col" { (lang.pick("面积(公顷)", "Hectares")) }
                } }
                tbody {
                    @for f in &forests {
                        tr { td { code { (f.spec.code) } } td { (f.spec.name) } td { (f.spec.region_code) } td { (f.spec.hectares.clone().unwrap_or_default()) } }
                    }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("河湖长制", "Rivers and chiefs"), body))
}

/// GET /waters/{water}
pub async fn water(
    State(state): State<AppState>,
    Scoped(w, viewer): Scoped<WaterDetail>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let view = segment_chiefs(&state.store, w, today()).await?;
    let name = view.water.name.clone();
    let body = html! {
        (crumbs(lang, &name))
        h1 { (name) " " span class="muted" { (view.water.code) } }
        p { (view.water.kind.name_zh()) " · "
            a href=(format!("/public/waters/{}", view.water.code)) { (lang.pick("河长公示牌(公开)", "Public chief board")) } }
        div class="table-wrap" {
            table id="segments" {
                caption { (lang.pick("河段(自源头至河口)", "Segments, source to mouth")) }
                thead { tr {
                    th scope="col" { (lang.pick("序号", "No.")) }
                    th scope="col" { (lang.pick("河段", "Segment")) }
                    th scope="col" { (lang.pick("区划", "Region")) }
                    th scope="col" { (lang.pick("水质目标", "Target class")) }
                    th scope="col" { (lang.pick("监测断面", "Sections")) }
                    th scope="col" { (lang.pick("今日河长", "Chiefs today")) }
                } }
                tbody {
                    @for s in &view.segments {
                        tr data-segment=(s.segment.spec.code) {
                            td { (s.segment.spec.seq) }
                            td { (s.segment.spec.name) " " code { (s.segment.spec.code) } }
                            td { (s.segment.spec.region_code) }
                            td { (s.segment.spec.target_class.label_zh()) }
                            td { (s.segment.spec.sections.join("、")) }
                            td {
                                ul class="plain" {
                                    @for h in &s.chiefs {
                                        li { a href=(format!("/chiefs/{}", h.chief.id)) { (chief_name(lang, &h.chief)) } " " (holder_cell(lang, h)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href=(format!("/ledger?entity=water:{}", view.water.id)) { (lang.pick("变更记录", "Change history")) } }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&name, body))
}

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    pub month: Option<String>,
    pub ok: Option<String>,
}

/// Whether the viewer may record patrols of this chief on `day`: he manages waters, or is the
/// chief that day (the account named by the holder's person key).
async fn may_patrol(
    state: &AppState,
    viewer: &Viewer,
    chief: &Chief,
    day: NaiveDate,
) -> Result<bool, AppError> {
    if viewer.can(Permission::ManageWaters) {
        return Ok(true);
    }
    let h = state.store.chief_holding(chief.clone(), day).await?;
    Ok(h.holder
        .is_some_and(|p| ecoduty_domain::access::is_chief_user(&viewer.user.username, &p.key)))
}

/// GET /chiefs/{id}?month=YYYY-MM: the chief's page.
pub async fn chief(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Chief>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<MonthQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let (year, month) = month_param(q.month.as_deref())?;
    let view = chief_view(&state.store, c.clone(), today()).await?;
    let m = chief_month(&state.store, &c, year, month).await?;
    let may = may_patrol(&state, &viewer, &c, today()).await?;
    let title = format!("{} · {}", chief_name(lang, &c), view.holding.post.title);
    let prev = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    let next = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let body = html! {
        (crumbs(lang, &title))
        h1 { (title) }
        (flash(lang, q.ok.as_deref()))
        dl class="facts" id="chief-facts" {
            dt { (lang.pick("区划", "Region")) } dd { (c.spec.region_code) }
            dt { (lang.pick("单位", "Organisation")) } dd { (view.holding.organisation.name) }
            dt { (lang.pick("现任", "Holder today")) } dd { (holder_cell(lang, &view.holding)) }
            dt { (lang.pick("巡查频次", "Required patrols")) } dd id="frequency" {
                (lang.pick("每", "per ")) (m.table.frequency.per.name_zh()) (lang.pick("不少于 ", " at least ")) (m.table.frequency.times) (lang.pick(" 次", " times"))
                @if let Some(r) = &m.table.set_by { " (" (r) (lang.pick(" 设定", " setting")) ")" } @else { (lang.pick("(默认)", " (default)")) }
            }
        }
        @if may && !c.retired {
            p { a class="button" id="new-patrol" href=(format!("/chiefs/{}/patrols/new", c.id)) { (lang.pick("记录巡查", "Record a patrol")) } }
        }
        p {
            a href=(format!("/chiefs/{}?month={}-{:02}", c.id, prev.0, prev.1)) { "← " (format!("{}-{:02}", prev.0, prev.1)) }
            " · " strong { (format!("{year}-{month:02}")) } " · "
            a href=(format!("/chiefs/{}?month={}-{:02}", c.id, next.0, next.1)) { (format!("{}-{:02}", next.0, next.1)) " →" }
        }
        section aria-labelledby="table-h" {
            h2 id="table-h" { (lang.pick("本月巡查情况", "Patrols this month")) }
            div class="table-wrap" {
                table id="patrol-table" {
                    thead { tr {
                        th scope="col" { (lang.pick("周期", "Period")) }
                        th scope="col" { (lang.pick("应巡", "Required")) }
                        th scope="col" { (lang.pick("已巡", "Done")) }
                        th scope="col" { (lang.pick("情况", "Status")) }
                    } }
                    tbody {
                        @for p in &m.table.periods {
                            tr data-behind=(p.behind()) {
                                td { (p.from) " – " (p.to) }
                                td { (p.required) }
                                td { (p.done) }
                                td { @if p.behind() { span class="badge bad" { (lang.pick("未达频次", "behind")) } } @else { span class="badge ok" { (lang.pick("达标", "done")) } } }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="quality-h" {
            h2 id="quality-h" { (lang.pick("断面水质(逐月,对照目标)", "Sections by month against the target")) " " (year) }
            @if m.segments.is_empty() {
                p class="muted" { (lang.pick("无负责河段。", "No segment.")) }
            } @else {
                div class="table-wrap" {
                    table id="section-months" {
                        thead { tr {
                            th scope="col" { (lang.pick("河段", "Segment")) }
                            th scope="col" { (lang.pick("断面", "Section")) }
                            th scope="col" { (lang.pick("目标", "Target")) }
                            @for mo in 1..=12 { th scope="col" { (mo) (lang.pick("月", "")) } }
                        } }
                        tbody {
                            @for s in &m.segments {
                                @if s.sections.is_empty() {
                                    tr { td { (s.segment.spec.name) } td colspan="14" class="muted" { (lang.pick("未设监测断面", "no section")) } }
                                }
                                @for sec in &s.sections {
                                    tr data-section=(sec.section) {
                                        td { (s.segment.spec.name) }
                                        td { (sec.section) @if !sec.known { " " span class="badge warn" { (lang.pick("无监测数据", "not monitored")) } } }
                                        td { (s.segment.spec.target_class.label_zh()) }
                                        @for v in &sec.months {
                                            @match v {
                                                Some(n) => {
                                                    @let bad = *n > s.segment.spec.target_class.number();
                                                    td class=(if bad { "bad" } else { "ok" }) data-class=(n) data-miss=(bad) { (class_label(*n)) }
                                                }
                                                None => { td class="muted" { "—" } }
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
        section aria-labelledby="problems-h" {
            h2 id="problems-h" { (lang.pick("未销号问题", "Open problems")) " (" (m.open_problems.len()) ")" }
            ul id="open-problems" {
                @for f in &m.open_problems {
                    li { a href=(format!("/findings/{}", f.id)) { (f.text) } " · " (f.status.name_zh())
                        @if let Some(d) = f.deadline { " · " (lang.pick("期限 ", "due ")) (d) } }
                }
            }
        }
        section aria-labelledby="patrols-h" {
            h2 id="patrols-h" { (lang.pick("本月巡查记录", "Patrols of the month")) " (" (m.table.patrols.len()) ")" }
            (patrol_list(lang, &m.table.patrols))
        }
        section aria-labelledby="duties-h" {
            h2 id="duties-h" { (lang.pick("责任清单", "Responsibility list")) }
            ol id="chief-duties" {
                @for d in &view.duties { li { (d.text) " " span class="muted" { "(" (d.citation) ")" } } }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, body))
}

fn patrol_list(lang: Lang, patrols: &[Patrol]) -> Markup {
    html! {
        div class="table-wrap" {
            table class="patrols" {
                thead { tr {
                    th scope="col" { (lang.pick("日期", "Date")) }
                    th scope="col" { (lang.pick("对象", "Where")) }
                    th scope="col" { (lang.pick("时长(分钟)", "Minutes")) }
                    th scope="col" { (lang.pick("里程(米)", "Metres")) }
                    th scope="col" { (lang.pick("问题", "Problems")) }
                } }
                tbody {
                    @for p in patrols {
                        tr data-patrol=(p.id) {
                            td { a href=(format!("/patrols/{}", p.id)) { (p.on) } }
                            td { code { (p.target.code()) } }
                            td { (p.minutes) }
                            td { (p.metres) }
                            td { (p.problems.len()) }
                        }
                    }
                }
            }
        }
    }
}

fn patrol_form(
    lang: Lang,
    viewer: &Viewer,
    chief: &Chief,
    targets: &[(String, String)],
    units: &[(i64, String)],
    error: Option<Markup>,
) -> Markup {
    html! {
        @if let Some(e) = error { (e) }
        form id="patrol-form" method="post" action=(format!("/chiefs/{}/patrols", chief.id)) enctype="multipart/form-data" class="stack" {
            (csrf_field(viewer))
            (field("p-target", lang.pick("巡查河段或林区", "Segment or forest area"), html! {
                select id="p-target" name="target" required {
                    @for (code, name) in targets { option value=(code) { (name) " (" (code) ")" } }
                }
            }))
            (field("p-on", lang.pick("日期", "Date"), html! { input id="p-on" name="on" type="date" required value=(today().to_string()); }))
            (field("p-minutes", lang.pick("时长(分钟)", "Duration (minutes)"), html! { input id="p-minutes" name="minutes" type="number" min="1" max="1440" required; }))
            (field("p-metres", lang.pick("里程(米,可空:按轨迹计算)", "Length in metres (empty: measured along the track)"), html! { input id="p-metres" name="metres" type="number" min="0"; }))
            (field("p-track", lang.pick("GPS 轨迹(GeoJSON LineString,可空)", "GPS track (GeoJSON LineString, optional)"), html! { textarea id="p-track" name="track" rows="3" {} }))
            fieldset {
                legend { (lang.pick("发现的问题(可空)", "Problem found (optional)")) }
                (field("p-kind", lang.pick("问题类型", "Kind"), html! {
                    select id="p-kind" name="kind" {
                        option value="" { (lang.pick("无问题", "none")) }
                        @for k in ProblemKind::ALL { option value=(k.key()) { (problem_name(lang, *k)) } }
                    }
                }))
                (field("p-text", lang.pick("问题描述", "What was seen"), html! { textarea id="p-text" name="text" rows="3" {} }))
                (crate::ui::layout::checkbox("p-resolved", "resolved_on_site", lang.pick("已当场解决", "Solved on the spot"), false))
                (field("p-units", lang.pick("交办单位(未当场解决时必选)", "Assigned to (unless solved on the spot)"), html! {
                    select id="p-units" name="units" multiple size="5" {
                        @for (id, name) in units { option value=(id) { (name) } }
                    }
                }))
                (field("p-photos", lang.pick("现场照片", "Photos"), html! { input id="p-photos" name="photos" type="file" multiple accept=".jpg,.jpeg,.png"; }))
            }
            button type="submit" class="primary" { (lang.pick("提交巡查记录", "Record the patrol")) }
        }
    }
}

async fn form_choices(
    state: &AppState,
    chief: &Chief,
) -> Result<(Vec<(String, String)>, Vec<(i64, String)>), AppError> {
    let targets: Vec<(String, String)> = if chief.spec.kind.is_forest() {
        state
            .store
            .forests(Some(&chief.spec.region_code))
            .await?
            .into_iter()
            .filter(|f| chief.spec.kind.is_general() || chief.spec.forests.contains(&f.spec.code))
            .map(|f| (f.spec.code, f.spec.name))
            .collect()
    } else {
        chief_segments(&state.store, chief)
            .await?
            .into_iter()
            .map(|s| (s.spec.code, s.spec.name))
            .collect()
    };
    let units = state
        .store
        .organisations_in(&chief.spec.region_code, false)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok((targets, units))
}

/// GET /chiefs/{id}/patrols/new
pub async fn new_patrol(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Chief>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    if !may_patrol(&state, &viewer, &c, today()).await? {
        return Err(AppError::Forbidden);
    }
    let lang = viewer.lang;
    let (targets, units) = form_choices(&state, &c).await?;
    let title = lang.pick("记录巡查", "Record a patrol");
    let body = html! {
        (crumbs(lang, title))
        h1 { (title) " · " (chief_name(lang, &c)) }
        (patrol_form(lang, &viewer, &c, &targets, &units, None))
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(title, body))
}

/// POST /chiefs/{id}/patrols (multipart: target, on, minutes, metres, track, kind, text,
/// resolved_on_site, units, photos)
pub async fn record_patrol(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<Chief>,
    multipart: Multipart,
) -> PageResult<Response> {
    let form = upload::read(multipart).await.map_err(|e| match e {
        upload::ReadError::TooLarge => crate::api::evidence::over_limit(&state),
        other => other.into(),
    })?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let f = &form.fields;
    let on = crate::ui::layout::req_date("on", f.get("on"))?;
    if !may_patrol(&state, &viewer, &c, on).await? {
        return Err(AppError::Forbidden);
    }
    let result = async {
        let minutes: u32 = f
            .get("minutes")
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("minutes", "a number of minutes, 1–1440"))?;
        let metres = match f.get("metres").trim() {
            "" => None,
            m => Some(
                m.parse::<u32>()
                    .map_err(|_| AppError::invalid("metres", "a number of metres"))?,
            ),
        };
        let code = f.get("target").trim().to_string();
        let target = if c.spec.kind.is_forest() {
            PatrolTarget::Forest(code)
        } else {
            PatrolTarget::Segment(code)
        };
        let mut problems = Vec::new();
        let kind = f.get("kind").trim();
        if !kind.is_empty() {
            let kind: ProblemKind = kind
                .parse()
                .map_err(|m: String| AppError::invalid("problems[0].kind", m))?;
            let units = f
                .all("units")
                .into_iter()
                .map(|u| {
                    u.trim()
                        .parse::<i64>()
                        .map_err(|_| AppError::invalid("problems[0].units", "unknown unit"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut photos: Vec<EvidenceRef> = Vec::new();
            for file in form.files.iter().filter(|x| x.field == "photos") {
                let stored = crate::api::evidence::store_file(
                    &state,
                    &viewer.change(format!("巡查照片:{}#{}", c.spec.kind.name_zh(), c.id)),
                    &file.file_name,
                    &file.bytes,
                )
                .await
                .map_err(|e| match e {
                    AppError::Invalid { message, .. } => {
                        AppError::invalid("problems[0].photos", message)
                    }
                    e => e,
                })?;
                photos.push(stored.reference);
            }
            problems.push(NewProblem {
                kind,
                text: f.get("text").to_string(),
                photos,
                resolved_on_site: f.ticked("resolved_on_site"),
                units,
                severity: ecoduty_domain::supervision::Severity::General,
                deadline: None,
            });
        }
        let new = NewPatrol {
            chief_id: c.id,
            target,
            on,
            minutes,
            metres,
            track: Some(f.get("track").to_string()).filter(|t| !t.trim().is_empty()),
            problems,
        };
        crate::api::waters::may_record(&state, &viewer, &new).await?;
        let reason = format!(
            "记录巡查:{}#{} {} {}",
            c.spec.kind.name_zh(),
            c.id,
            new.target.code(),
            new.on
        );
        state
            .store
            .record_patrol(&viewer.change(reason), new, Utc::now())
            .await
            .map_err(|e| AppError::from_store_in(e, viewer.lang))
    }
    .await;
    match result {
        Ok(r) => Ok(done(
            &format!("/patrols/{}", r.patrol.id),
            "patrol_recorded",
        )),
        Err(e) => {
            let Some(message) = form_error(viewer.lang, &e) else {
                return Err(e);
            };
            let lang = viewer.lang;
            let (targets, units) = form_choices(&state, &c).await?;
            let title = lang.pick("记录巡查", "Record a patrol");
            let body = html! {
                (crumbs(lang, title))
                h1 { (title) " · " (chief_name(lang, &c)) }
                (patrol_form(lang, &viewer, &c, &targets, &units, Some(message)))
            };
            Ok(crate::ui::layout::refused(
                Shell::of(&viewer, format!("/chiefs/{}/patrols/new", c.id)).page(title, body),
            ))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct OkQuery {
    pub ok: Option<String>,
}

/// GET /patrols/{id}
pub async fn patrol(
    State(state): State<AppState>,
    Scoped(p, viewer): Scoped<Patrol>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let chief = state.store.chief(p.chief_id).await?;
    let person = state.store.person(p.person_id).await?;
    let title = format!(
        "{} {} {}",
        lang.pick("巡查", "Patrol"),
        p.target.code(),
        p.on
    );
    let body = html! {
        (crumbs(lang, &title))
        h1 { (title) }
        (flash(lang, q.ok.as_deref()))
        dl class="facts" id="patrol-facts" {
            dt { (lang.pick("河长", "Chief")) } dd {
                @if let Some(c) = &chief { a href=(format!("/chiefs/{}", c.id)) { (chief_name(lang, c)) } }
                " · " @if let Some(x) = &person { (x.name) }
            }
            dt { (lang.pick("日期", "Date")) } dd { (p.on) }
            dt { (lang.pick("时长", "Duration")) } dd { (p.minutes) (lang.pick(" 分钟", " min")) }
            dt { (lang.pick("里程", "Length")) } dd { (p.metres) (lang.pick(" 米", " m")) }
            dt { (lang.pick("轨迹", "Track")) } dd { @if p.track.is_some() { (lang.pick("已上传", "recorded")) } @else { "—" } }
            dt { (lang.pick("记录人", "Recorded by")) } dd { (p.recorded_by) " · " (crate::auth::viewer::timestamp(p.recorded_at)) }
        }
        h2 { (lang.pick("发现的问题", "Problems found")) " (" (p.problems.len()) ")" }
        ol id="patrol-problems" {
            @for x in &p.problems {
                li {
                    strong { (problem_name(lang, x.kind)) } " " (x.text)
                    @if x.resolved_on_site { " " span class="badge ok" { (lang.pick("当场解决", "solved on the spot")) } }
                    @if let Some(f) = x.finding_id { " · " a href=(format!("/findings/{f}")) { (lang.pick("整改问题 #", "finding #")) (f) } }
                    @if !x.photos.is_empty() {
                        ul { @for ph in &x.photos { li { a href=(format!("/evidence/{}", ph.sha256)) { (ph.name) } } } }
                    }
                }
            }
        }
        p { a href=(format!("/ledger?entity=patrol:{}", p.id)) { (lang.pick("变更记录", "Change history")) } }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, body))
}

/// GET /public/waters/{water}: the 河长公示牌, for anyone. Every segment in force is shown with
/// the chiefs answering for it today, their duties, and the complaint form filled in with the
/// first segment (a segment can be picked by `?segment=`).
pub async fn board(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<BoardQuery>,
) -> PageResult<Markup> {
    let detail = state
        .store
        .water(&code)
        .await?
        .filter(|w| !w.segments.is_empty())
        .ok_or(AppError::NotFound)?;
    let day = today();
    let view = segment_chiefs(&state.store, detail, day).await?;
    let mut duties = std::collections::BTreeMap::new();
    for s in &view.segments {
        for h in &s.chiefs {
            if let std::collections::btree_map::Entry::Vacant(e) = duties.entry(h.chief.id) {
                e.insert(chief_view(&state.store, h.chief.clone(), day).await?.duties);
            }
        }
    }
    let picked = q
        .segment
        .as_deref()
        .and_then(|c| view.segments.iter().find(|s| s.segment.spec.code == c))
        .or(view.segments.first());
    let title = format!(
        "{} {}",
        view.water.name,
        lang.pick("河长公示牌", "public chief board")
    );
    let body = html! {
        h1 { (title) }
        p class="muted" { (lang.pick(
            "本公示牌公布各河段的河长(湖长)及其职责。发现河湖问题,可通过下方表单反映,我们将按规定受理、转办和答复。",
            "This board names the chiefs of each segment and their duties. To report a problem on the water, use the form below: it is received, assigned and answered as the rules say.")) }
        @for s in &view.segments {
            section class="board" data-segment=(s.segment.spec.code) {
                h2 { (s.segment.spec.name) " " span class="muted" { (s.segment.spec.region_code) " · " (lang.pick("水质目标 ", "target ")) (s.segment.spec.target_class.label_zh()) } }
                @if s.chiefs.is_empty() { p class="muted" { (lang.pick("暂未设河长。", "No chief yet.")) } }
                ul class="plain" {
                    @for h in &s.chiefs {
                        li data-chief=(h.chief.id) {
                            strong { (chief_name(lang, &h.chief)) } ":"
                            @match &h.holder { Some(p) => { (p.name) } None => { (lang.pick("空缺", "vacant")) } }
                            " · " (h.post.title) " · " (h.organisation.name)
                            @if let Some(list) = duties.get(&h.chief.id) {
                                details {
                                    summary { (lang.pick("职责", "Duties")) " (" (list.len()) ")" }
                                    ol { @for d in list { li { (d.text) " " span class="muted" { "(" (d.citation) ")" } } } }
                                }
                            }
                        }
                    }
                }
                p { a href=(format!("/public/waters/{}?segment={}#complaint-form", view.water.code, s.segment.spec.code)) { (lang.pick("反映本河段问题", "Report a problem on this segment")) } }
            }
        }
        @if let Some(s) = picked {
            section id="board-complaint" {
                (crate::ui::complaint_form::prefilled_form(
                    lang,
                    s.segment.spec.region_code.as_str(),
                    &format!("{} {}({})", view.water.name, s.segment.spec.name, s.segment.spec.code),
                ))
            }
        }
    };
    Ok(Shell::new(lang, viewer.as_ref(), uri.to_string()).page(&title, body))
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    pub segment: Option<String>,
}

fn sheet_page(lang: Lang, viewer: &Viewer, refused: Option<Markup>) -> Markup {
    use ecoduty_domain::waters::sheet::COLUMNS;
    html! {
        (crumbs(lang, lang.pick("河长名录", "Chief roster")))
        h1 { (lang.pick("河长名录导入导出", "Chief roster: import and export")) }
        @if let Some(r) = refused { (r) }
        p {
            a href="/chiefs/sheet.csv" { (lang.pick("导出 CSV", "Export CSV")) }
            " · "
            a href="/chiefs/sheet.xlsx" { (lang.pick("导出 Excel", "Export Excel")) }
        }
        p class="muted" {
            (lang.pick("列:", "Columns: ")) (COLUMNS.join("、"))
            (lang.pick("。河段编码为空的行为该区划的总河长;每行的职务须是该区划已登记的职务,人员与任职起止须与任职名册一致(先导入任职名册)。整表校验,有错则不导入,错误逐行逐列列出。",
                ". A row without a segment is the region's general river chief; each row's post must be a post of the region on record, and the person and dates must match a tenure of the roster (import the roster first). The sheet is checked whole: if a row is wrong nothing is imported, and every problem is listed by line and column."))
        }
        form id="chief-sheet-form" method="post" action="/chiefs/sheet" enctype="multipart/form-data" class="stack" {
            (csrf_field(viewer))
            (field("s-file", lang.pick("河长名录(CSV 或 XLSX)", "Chief roster (CSV or XLSX)"), html! { input id="s-file" name="file" type="file" required accept=".csv,.xlsx"; }))
            button type="submit" { (lang.pick("导入", "Import")) }
        }
    }
}

/// GET /chiefs/sheet
pub async fn sheet(
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    viewer.require(Permission::ManageWaters)?;
    let lang = viewer.lang;
    let body = html! { (flash(lang, q.ok.as_deref())) (sheet_page(lang, &viewer, None)) };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("河长名录", "Chief roster"), body))
}

/// POST /chiefs/sheet (multipart: file)
pub async fn import_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    request: axum::extract::Request,
) -> PageResult<Response> {
    // The permission first: a refused role learns nothing from how its body is read.
    viewer.require(Permission::ManageWaters)?;
    let multipart =
        <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state)
            .await
            .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let file = form
        .file("file")
        .filter(|f| !f.bytes.is_empty())
        .ok_or_else(|| AppError::invalid("file", "choose the chief roster"))?;
    let table = file.table("file")?;
    let lang = viewer.lang;
    let result = match crate::api::waters::read_chief_sheet(&file.file_name, &table) {
        Ok(rows) => state
            .store
            .import_chief_sheet(
                &viewer.change(format!(
                    "导入河长名录 {}({} 行)",
                    file.file_name,
                    rows.len()
                )),
                viewer.root(),
                &rows,
            )
            .await
            .map_err(|e| AppError::from_store_in(e, lang)),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(done("/chiefs/sheet", "chiefs_imported")),
        Err(AppError::Rows(rows)) => {
            let refused = html! {
                (crate::ui::layout::notice("error", html! { (lang.pick("名录有错误,未导入任何记录。", "The roster has errors; nothing was imported.")) }))
                (crate::ui::layout::row_errors(lang, &rows))
            };
            let page = Shell::of(&viewer, "/chiefs/sheet".to_string()).page(
                lang.pick("河长名录", "Chief roster"),
                sheet_page(lang, &viewer, Some(refused)),
            );
            Ok(crate::ui::layout::refused(page))
        }
        Err(e) => Err(e),
    }
}

/// GET /chiefs/sheet.csv, /chiefs/sheet.xlsx: the 河长名录 of the viewer's region.
pub async fn export_sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Response> {
    use ecoduty_domain::waters::sheet::{row, COLUMNS};
    let rows: Vec<Vec<String>> = state
        .store
        .chief_sheet(viewer.root())
        .await?
        .iter()
        .map(row)
        .collect();
    let header: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
    if uri.path().ends_with(".xlsx") {
        Ok(crate::ui::layout::attachment(
            ecoduty_tabular::write_xlsx("河长名录", &header, &rows)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "chiefs.xlsx",
        ))
    } else {
        Ok(crate::ui::layout::attachment(
            ecoduty_tabular::write_csv(&header, &rows),
            "text/csv; charset=utf-8",
            "chiefs.csv",
        ))
    }
}
