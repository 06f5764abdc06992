//! The yearly assessment's pages (考核评价, Arts. 14–16): the schemes a user may see and the
//! form to import one; a scheme's page with the ranking (grade colours, vetoes, the quota), a
//! chart of totals by unit against the previous year, the items, scoring, review and
//! publication, entries for manual and veto items, objections and their answers; a unit's page
//! where every number explains itself down to the records it came from; the sheet and the
//! results as files.
//!
//! Who sees what is [`crate::auth::assessment`]'s rule; the numbers are the store's (the same
//! run `ecoduty assessment show` prints). This module only draws and reads forms.

use axum::extract::{FromRequest, Multipart, OriginalUri, Query, Request, State};
use axum::response::Response;
use axum::Form;
use ecoduty_domain::access::Permission;
use ecoduty_domain::assessment::scheme::{Grading, ItemKind};
use ecoduty_domain::assessment::scoring::UnitScore;
use ecoduty_domain::assessment::sheet::{item_rows, parse_items, COLUMNS};
use ecoduty_domain::assessment::{fmt_points, UnitRef};
use ecoduty_domain::roster::RowError;
use ecoduty_store::assessment::runs::{NewEntry, NewObjection, ObjectionAnswer};
use ecoduty_store::assessment::schemes::SchemeImport;
use ecoduty_store::assessment::{Adjustment, ObjectionStatus, Run, RunStatus};
use ecoduty_tabular::Format;
use maud::{html, Markup};
use serde::Deserialize;

use crate::api::assessment::unit_result;
use crate::auth::assessment::{path_year, visible_schemes, AssessingRegion, Assessment};
use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{
    csrf_field, done, field, flash, notice, row_errors, svg, svg_text, Fields, Shell,
};
use crate::ui::regions::today;
use crate::ui::upload::{self, ReadError};

#[derive(Deserialize, Default)]
pub struct OkQuery {
    pub ok: Option<String>,
}

/// A grade as the page shows it: the scheme's own name, with the usual English for the usual
/// names.
pub fn grade_label(lang: Lang, grade: &str) -> String {
    if lang == Lang::Zh {
        return grade.to_string();
    }
    match grade {
        "优秀" => "Excellent",
        "良好" => "Good",
        "一般" => "Fair",
        "较差" => "Poor",
        "合格" => "Satisfactory",
        "基本合格" => "Basically satisfactory",
        "不合格" => "Unsatisfactory",
        other => other,
    }
    .to_string()
}

/// The colour class of a grade: its band, best first (`grade-0`), the lowest `grade-low`.
fn grade_class(grading: &Grading, grade: &str) -> String {
    match grading.bands.iter().position(|b| b.name == grade) {
        Some(i) if i == grading.lowest() => "grade grade-low".into(),
        Some(i) => format!("grade grade-{}", i.min(3)),
        None => "grade".into(),
    }
}

fn grade_badge(lang: Lang, grading: &Grading, u: &UnitScore) -> Markup {
    html! {
        span class=(grade_class(grading, &u.grade)) data-grade=(u.grade) { (grade_label(lang, &u.grade)) }
        @if u.vetoed { " " span class="badge warn" { (lang.pick("一票否决", "vetoed")) } }
        @if u.quota_moved { " " span class="badge" title=(lang.pick("总分达到优秀,受优秀名额比例限制", "Reached the best grade's threshold; moved down by the quota")) { (lang.pick("名额限制", "quota")) } }
    }
}

fn status_label(lang: Lang, s: RunStatus) -> &'static str {
    lang.pick(s.name_zh(), s.name_en())
}

fn kind_label(lang: Lang, k: ItemKind) -> &'static str {
    match k {
        ItemKind::Base => lang.pick("基本项", "base"),
        ItemKind::Bonus => lang.pick("加分项", "bonus"),
        ItemKind::Deduction => lang.pick("扣分项", "deduction"),
        ItemKind::Veto => lang.pick("一票否决项", "veto"),
    }
}

fn unit_key(u: &UnitRef) -> String {
    u.key()
}

fn base(region: &str, year: i32) -> String {
    format!("/regions/{region}/assessment/{year}")
}

fn crumbs(lang: Lang, trail: &[(&str, &str)], here: &str) -> Markup {
    html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                @for (href, label) in trail { li { a href=(href) { (label) } } }
                li aria-current="page" { (here) }
            }
        }
    }
}

// ---------------------------------------------------------------- the list and the import

fn list_page(
    viewer: &Viewer,
    here: &str,
    schemes: &[(ecoduty_store::assessment::StoredScheme, Option<Run>)],
    outcome: Option<Markup>,
    sent: Option<&Fields>,
) -> Markup {
    let lang = viewer.lang;
    let value = |name: &str, default: &str| -> String {
        sent.map(|f| f.get(name).to_string())
            .unwrap_or_else(|| default.to_string())
    };
    let default_region = viewer.root().map(|r| r.to_string()).unwrap_or_default();
    let body = html! {
        h1 { (lang.pick("年度考核", "Yearly assessment")) }
        p class="muted" { (lang.pick(
            "第十四条:落实生态环境保护责任制情况作为考核评价的重要方面;第十五条:精简指标、减少检查,考核数据取自已有记录。",
            "Art. 14: how the responsibility system is carried out is an important part of the yearly assessment; Art. 15: lean indicators, fewer checks — scores come from the records already kept.")) }
        @if let Some(o) = outcome { (o) }
        div class="table-wrap" {
            table id="schemes" {
                caption { (lang.pick("考核细则", "Schemes")) }
                thead { tr {
                    th scope="col" { (lang.pick("年度", "Year")) }
                    th scope="col" { (lang.pick("考核地区", "Assessing region")) }
                    th scope="col" { (lang.pick("名称", "Title")) }
                    th scope="col" { (lang.pick("版本", "Version")) }
                    th scope="col" { (lang.pick("项目 / 单位", "Items / units")) }
                    th scope="col" { (lang.pick("结果", "Results")) }
                } }
                tbody {
                    @for (s, run) in schemes {
                        tr {
                            td { (s.scheme.year) }
                            td { (s.scheme.region_code) }
                            td { a href=(base(s.scheme.region_code.as_str(), s.scheme.year)) { (s.scheme.title) } }
                            td { (s.rev) }
                            td { (s.scheme.items.len()) " / " (s.scheme.units.len()) }
                            td { @match run {
                                Some(r) => span class=(format!("status {}", r.status.key())) { (status_label(lang, r.status)) },
                                None => span class="muted" { (lang.pick("未计分", "not scored")) },
                            } }
                        }
                    }
                    @if schemes.is_empty() {
                        tr { td colspan="6" class="muted" { (lang.pick("尚无考核细则。", "No scheme yet.")) } }
                    }
                }
            }
        }
        @if viewer.can(Permission::ManageAssessment) {
            section aria-labelledby="import-h" {
                h2 id="import-h" { (lang.pick("导入考核细则", "Import a scheme")) }
                p { (lang.pick("CSV 或 XLSX,表头:", "CSV or XLSX with the headers ")) code { (COLUMNS.join(", ")) } }
                p class="muted" { (lang.pick(
                    "规则类型:indicator(约束性指标)、rectification(督察整改)、tasks(重点任务)、dispatch(调度报送)、complaints(信访办理)、veto(一票否决)、manual(人工评分);参数写作 key=value;。整表校验,有一处错误即不导入。",
                    "Rule types: indicator, rectification, tasks, dispatch, complaints, veto, manual; parameters as key=value;. The whole sheet is checked: with one error nothing is imported.")) }
                form method="post" action="/assessment" enctype="multipart/form-data" class="card" id="import-form" {
                    (csrf_field(viewer))
                    (field("s-file", lang.pick("考核细则文件", "Sheet file"), html! {
                        input id="s-file" name="file" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    }))
                    (field("s-region", lang.pick("考核地区代码", "Assessing region code"), html! {
                        input id="s-region" name="region" type="text" required pattern="[0-9]{2,12}" value=(value("region", &default_region));
                    }))
                    (field("s-year", lang.pick("年度", "Year"), html! {
                        input id="s-year" name="year" type="number" required min="1900" max="2200" value=(value("year", &(chrono::Datelike::year(&today()) - 1).to_string()));
                    }))
                    (field("s-title", lang.pick("名称", "Title"), html! {
                        input id="s-title" name="title" type="text" maxlength="200" value=(value("title", ""));
                    }))
                    (field("s-units", lang.pick("被考核单位(逗号分隔;空为直属下级地区)", "Assessed units (comma-separated; empty: every region directly under)"), html! {
                        input id="s-units" name="units" type="text" value=(value("units", ""));
                    }))
                    (field("s-grades", lang.pick("等次与分数线", "Grades and thresholds"), html! {
                        input id="s-grades" name="grades" type="text" required value=(value("grades", "优秀:90,良好:80,一般:60,较差"));
                    }))
                    (field("s-quota", lang.pick("优秀名额比例(%,空为不限)", "Best-grade quota (%, empty: none)"), html! {
                        input id="s-quota" name="quota" type="text" inputmode="decimal" value=(value("quota", "30"));
                    }))
                    (field("s-days", lang.pick("申诉期(日)", "Objection window (days)"), html! {
                        input id="s-days" name="objection_days" type="number" min="0" max="365" required value=(value("objection_days", "10"));
                    }))
                    (field("s-reason", lang.pick("修订理由(已计分后修改时必填)", "Reason for a revision (required once scoring started)"), html! {
                        input id="s-reason" name="reason" type="text" maxlength="1000" value=(value("reason", ""));
                    }))
                    button type="submit" class="primary" { (lang.pick("导入", "Import")) }
                }
            }
        }
    };
    Shell::of(viewer, here).page(lang.pick("年度考核", "Yearly assessment"), body)
}

/// GET /assessment
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    let schemes = visible_schemes(&state.store, &viewer).await?;
    let ok = flash(viewer.lang, q.ok.as_deref());
    Ok(list_page(
        &viewer,
        &uri.to_string(),
        &schemes,
        Some(ok),
        None,
    ))
}

/// What was wrong with an import form: a message, or the sheet's bad rows.
enum Refusal {
    Message(String),
    Rows(String, Vec<RowError>),
}

async fn read_import(
    state: &AppState,
    viewer: &Viewer,
    form: &upload::MultipartForm,
) -> Result<SchemeImport, Refusal> {
    let f = &form.fields;
    let msg = |e: AppError| Refusal::Message(e.to_string());
    let region = viewer
        .region(&state.store, f.get("region").trim())
        .await
        .map_err(|_| {
            Refusal::Message(format!(
                "region: {} {}",
                f.get("region").trim(),
                viewer
                    .lang
                    .pick("不是您管辖范围内的地区", "is not a region within yours")
            ))
        })?;
    let year: i32 = f
        .get("year")
        .trim()
        .parse()
        .ok()
        .filter(|y| (1900..=2200).contains(y))
        .ok_or_else(|| Refusal::Message(format!("year: {:?} is not a year", f.get("year"))))?;
    let file = form
        .file("file")
        .ok_or_else(|| Refusal::Message(viewer.lang.t("roster.no_file").to_string()))?;
    if file.bytes.len() > state.config.max_upload {
        return Err(msg(AppError::TooLarge));
    }
    let format = upload::spreadsheet_format(file).map_err(Refusal::Message)?;
    let table = ecoduty_tabular::read(&file.bytes, format, &file.file_name)
        .map_err(|e| Refusal::Message(e.to_string()))?;
    let items = parse_items(&table.header, &table.rows)
        .map_err(|rows| Refusal::Rows(file.file_name.clone(), rows))?;
    let quota = match f.get("quota").trim() {
        "" => None,
        q => Some(
            q.parse::<f64>()
                .map_err(|_| Refusal::Message(format!("quota: {q:?} is not a number")))?,
        ),
    };
    let grading = Grading::parse(f.get("grades"), quota)
        .map_err(|m| Refusal::Message(format!("grades: {m}")))?;
    let units = f
        .get("units")
        .split([',', '\u{FF0C}', ' '])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| UnitRef::parse(u).map_err(|m| Refusal::Message(format!("units: {m}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let objection_days: u32 = f
        .get("objection_days")
        .trim()
        .parse()
        .map_err(|_| Refusal::Message("objection_days: a number of days".into()))?;
    let reason = f.get("reason").trim();
    Ok(SchemeImport {
        region_code: region.code,
        year,
        title: f.get("title").trim().chars().take(200).collect(),
        units,
        items,
        grading,
        objection_days,
        revision_reason: (!reason.is_empty()).then(|| reason.to_string()),
    })
}

/// POST /assessment (multipart: file, region, year, title, units, grades, quota,
/// objection_days, reason)
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::ManageAssessment)?;
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = match upload::read(multipart).await {
        Ok(f) => f,
        Err(ReadError::TooLarge) => return Err(AppError::TooLarge),
        Err(e) => return Err(e.into()),
    };
    viewer.check_csrf(form.fields.get("csrf"))?;
    let here = uri.to_string();
    let refuse = |state: &AppState, r: Refusal| {
        let state = state.clone();
        let viewer = &viewer;
        let fields = &form.fields;
        let here = &here;
        async move {
            let schemes = visible_schemes(&state.store, viewer).await?;
            let lang = viewer.lang;
            let outcome = match r {
                Refusal::Message(m) => notice(
                    "error",
                    html! { strong { (lang.pick("未导入:", "Nothing was imported: ")) } (m) },
                ),
                Refusal::Rows(file, rows) => html! {
                    (notice("error", html! { strong { (file) } ": " (lang.pick("有错误,未导入任何内容。", "has errors; nothing was imported.")) }))
                    (row_errors(lang, &rows))
                },
            };
            Ok::<Response, AppError>(crate::ui::layout::refused(list_page(
                viewer,
                here,
                &schemes,
                Some(outcome),
                Some(fields),
            )))
        }
    };
    let import = match read_import(&state, &viewer, &form).await {
        Ok(i) => i,
        Err(r) => return refuse(&state, r).await,
    };
    let (region, year) = (import.region_code.to_string(), import.year);
    let name = form
        .file("file")
        .map(|f| f.file_name.clone())
        .unwrap_or_default();
    match state
        .store
        .import_scheme(&viewer.change(format!("导入考核细则 {name}")), import)
        .await
    {
        Ok(_) => Ok(done(&base(&region, year), "scheme_imported")),
        Err(e) => {
            let e = AppError::from_store_in(e, viewer.lang);
            match e {
                AppError::Invalid { .. } | AppError::Conflict(_) => {
                    refuse(&state, Refusal::Message(e.to_string())).await
                }
                other => Err(other),
            }
        }
    }
}

// ---------------------------------------------------------------- a scheme's page

/// A horizontal bar chart of the totals by unit, best first, each bar coloured by grade, with
/// the previous year's total as a tick where there is one. Every bar carries its numbers as a
/// tooltip and the whole chart is described in its `aria-label`.
fn chart(lang: Lang, run: &Run, grading: &Grading, previous: Option<&Run>) -> Markup {
    let rows = run.results.len().max(1) as f64;
    let (w, row_h, left, right, top) = (640.0, 26.0, 150.0, 60.0, 22.0);
    let h = top + rows * row_h + 8.0;
    let max = run
        .results
        .iter()
        .map(|u| u.total)
        .chain(
            previous
                .into_iter()
                .flat_map(|p| p.results.iter().map(|u| u.total)),
        )
        .fold(100.0f64, f64::max);
    let x = |v: f64| left + (w - left - right) * (v.max(0.0) / max);
    let mut s = format!(
        r#"<svg class="chart scores" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{}">"#,
        svg_text(&format!(
            "{} {}: {}",
            run.year,
            lang.pick("各单位总分", "totals by unit"),
            run.results
                .iter()
                .map(|u| format!("{} {}", u.name, fmt_points(u.total)))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    );
    for tick in [0.0, 60.0, 80.0, 90.0, 100.0].iter().filter(|t| **t <= max) {
        s.push_str(&format!(
            r#"<line class="grid" x1="{0:.1}" x2="{0:.1}" y1="{1}" y2="{2:.1}"/><text class="axis" x="{0:.1}" y="14" text-anchor="middle">{3}</text>"#,
            x(*tick),
            top - 4.0,
            h - 6.0,
            fmt_points(*tick)
        ));
    }
    for (i, u) in run.results.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let before = previous.and_then(|p| p.results.iter().find(|r| r.unit == u.unit));
        let class = if u.vetoed {
            "bar grade-low vetoed".to_string()
        } else {
            format!(
                "bar {}",
                grade_class(grading, &u.grade).replace("grade ", "")
            )
        };
        let title = match before {
            Some(b) => format!(
                "{} {} {} ({}) · {} {} {}",
                u.name,
                fmt_points(u.total),
                grade_label(lang, &u.grade),
                run.year,
                run.year - 1,
                fmt_points(b.total),
                grade_label(lang, &b.grade)
            ),
            None => format!(
                "{} {} {}",
                u.name,
                fmt_points(u.total),
                grade_label(lang, &u.grade)
            ),
        };
        s.push_str(&format!(
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="{class}" x="{left}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
            left - 6.0,
            y + row_h * 0.65,
            svg_text(&u.name),
            y + 4.0,
            (x(u.total) - left).max(1.0),
            row_h - 8.0,
            svg_text(&title),
            x(u.total) + 4.0,
            y + row_h * 0.65,
            fmt_points(u.total)
        ));
        if let Some(b) = before {
            s.push_str(&format!(
                r#"<line class="previous" x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}"><title>{3}</title></line>"#,
                x(b.total),
                y + 1.0,
                y + row_h - 1.0,
                svg_text(&format!("{} {}", run.year - 1, fmt_points(b.total)))
            ));
        }
    }
    s.push_str("</svg>");
    html! {
        figure class="chart" {
            (svg(s))
            figcaption class="muted" {
                (lang.pick("条形为本年度总分,颜色为等次", "Bars: this year's totals, coloured by grade"))
                @if previous.is_some() { (lang.pick(";竖线为上年度总分", "; ticks: last year's")) }
                "."
            }
        }
    }
}

fn results_table(lang: Lang, a: &Assessment, run: &Run, previous: Option<&Run>) -> Markup {
    let grading = &a.scheme.scheme.grading;
    let region = a.region.code.as_str();
    html! {
        div class="table-wrap" {
            table id="results" {
                caption { (run.year) " " (lang.pick("年度考核结果", "results")) }
                thead { tr {
                    th scope="col" { (lang.pick("名次", "Rank")) }
                    th scope="col" { (lang.pick("单位", "Unit")) }
                    th scope="col" class="num" { (lang.pick("总分", "Total")) }
                    th scope="col" { (lang.pick("等次", "Grade")) }
                    th scope="col" class="num" { (lang.pick("上年", "Last year")) }
                    th scope="col" { (lang.pick("待评", "Pending")) }
                } }
                tbody {
                    @for u in &run.results {
                        @let before = previous.and_then(|p| p.results.iter().find(|r| r.unit == u.unit));
                        tr data-unit=(unit_key(&u.unit)) {
                            td { (u.rank) }
                            td {
                                @if a.reaches(&u.unit) {
                                    a href=(format!("{}/units/{}", base(region, run.year), unit_key(&u.unit))) { (u.name) }
                                } @else { (u.name) }
                                " " small class="muted" { (unit_key(&u.unit)) }
                            }
                            td class="num" {
                                @if a.reaches(&u.unit) {
                                    a href=(format!("{}/units/{}", base(region, run.year), unit_key(&u.unit))) { (fmt_points(u.total)) }
                                } @else { (fmt_points(u.total)) }
                            }
                            td { (grade_badge(lang, grading, u)) }
                            td class="num" { @match before {
                                Some(b) => { (fmt_points(b.total)) " " small class="muted" { (grade_label(lang, &b.grade)) } },
                                None => span class="muted" { "—" },
                            } }
                            td { @if u.pending > 0 { span class="badge warn" { (u.pending) " " (lang.pick("项", "items")) } } }
                        }
                    }
                }
            }
        }
    }
}

fn items_table(lang: Lang, a: &Assessment) -> Markup {
    let s = &a.scheme.scheme;
    html! {
        details id="items" {
            summary { (lang.pick("考核项目", "Items")) " (" (s.items.len()) ", " (lang.pick("基本分", "base points")) " " (fmt_points(s.base_points())) ")" }
            div class="table-wrap" {
                table {
                    thead { tr {
                        th scope="col" { (lang.pick("序号", "No.")) }
                        th scope="col" { (lang.pick("项目", "Category")) }
                        th scope="col" { (lang.pick("类型", "Kind")) }
                        th scope="col" { (lang.pick("考核内容", "Content")) }
                        th scope="col" class="num" { (lang.pick("分值", "Points")) }
                        th scope="col" { (lang.pick("评分标准", "Scoring")) }
                        th scope="col" { (lang.pick("负责考核部门", "Scored by")) }
                        th scope="col" { (lang.pick("规则", "Rule")) }
                        th scope="col" { (lang.pick("条款", "Articles")) }
                    } }
                    tbody {
                        @for i in &s.items {
                            tr id=(format!("item-{}", i.code)) {
                                td { (i.code) }
                                td { (i.category) }
                                td { (kind_label(lang, i.kind)) }
                                td { (i.content) }
                                td class="num" { (fmt_points(i.points)) }
                                td { (i.scoring_text) }
                                td { (i.scorer) }
                                td { code { (i.rule.key()) } " " small class="muted" { (i.rule.params()) } }
                                td { (i.citations.join("、")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// GET /regions/{code}/assessment/{year}
pub async fn show(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<OkQuery>,
) -> PageResult<Markup> {
    let a = Assessment::load(&state.store, &viewer, at, path_year(&year)?).await?;
    let lang = viewer.lang;
    let s = &a.scheme.scheme;
    let previous = a.previous(&state.store).await?;
    let objections = match &a.run {
        Some(r) => {
            let mut o = state.store.assessment_objections(r.id).await?;
            o.retain(|x| a.reaches(&x.unit));
            o
        }
        None => Vec::new(),
    };
    let entries = {
        let mut e = state.store.assessment_entries(a.scheme.id).await?;
        e.retain(|x| a.reaches(&x.unit));
        e
    };
    let here = base(a.region.code.as_str(), s.year);
    let manual_items: Vec<_> = s.items.iter().filter(|i| i.rule.is_manual()).collect();
    let title = if s.title.is_empty() {
        format!(
            "{} {} {}",
            a.region.name,
            s.year,
            lang.pick("年度考核", "assessment")
        )
    } else {
        s.title.clone()
    };
    let body = html! {
        (crumbs(lang, &[("/assessment", lang.pick("年度考核", "Yearly assessment"))], &title))
        h1 { (title) " " small { (a.region.name) " · " (s.year) } }
        (flash(lang, q.ok.as_deref()))
        dl class="facts" {
            dt { (lang.pick("细则版本", "Scheme version")) } dd { (a.scheme.rev) }
            dt { (lang.pick("等次", "Grades")) } dd { (s.grading.bands_text()) }
            dt { (lang.pick("优秀名额", "Best-grade quota")) } dd { @match s.grading.top_quota_percent { Some(q) => { (fmt_points(q)) "%" }, None => (lang.pick("不限", "none")) } }
            dt { (lang.pick("申诉期", "Objection window")) } dd { (s.objection_days) " " (lang.pick("日", "days")) }
            @if let Some(r) = &a.run {
                dt { (lang.pick("结果", "Results")) } dd {
                    span class=(format!("status {}", r.status.key())) id="run-status" { (status_label(lang, r.status)) }
                    " · " (lang.pick("数据截至", "facts as of")) " " (r.as_of)
                    " · " (lang.pick("使用细则第", "scheme version ")) (r.scheme_rev) (lang.pick(" 版", ""))
                    " · " (lang.pick("计分", "scored by")) " " (r.computed_by)
                    @if let Some(rv) = &r.reviewed_by { " · " (lang.pick("复核", "reviewed by")) " " (rv) }
                    @if let Some(p) = r.published_on { " · " (lang.pick("公布于", "published on")) " " (p) }
                    @if !r.note.is_empty() { br; small class="muted" { (lang.pick("本版说明:", "This version: ")) (r.note) } }
                }
            }
        }
        p class="links" {
            a href=(format!("{here}/sheet.xlsx")) download { (lang.pick("导出考核细则 XLSX", "Export the sheet (XLSX)")) }
            " · " a href=(format!("{here}/sheet.csv")) download { "CSV" }
            @if a.run.is_some() { " · " a href=(format!("{here}/results.xlsx")) download { (lang.pick("导出考核结果 XLSX", "Export the results (XLSX)")) } }
        }
        @if a.own && viewer.can(Permission::ManageAssessment) {
            section aria-labelledby="act-h" class="card" {
                h2 id="act-h" { (lang.pick("计分与公布", "Scoring and publication")) }
                form method="post" action=(format!("{here}/run")) class="inline" id="run-form" {
                    (csrf_field(&viewer))
                    (field("run-asof", lang.pick("数据截至", "Facts as of"), html! { input id="run-asof" name="as_of" type="date" value=(today()); }))
                    @if a.run.as_ref().is_some_and(|r| r.status == RunStatus::Published) {
                        (field("run-correction", lang.pick("更正理由(已公布,必填)", "Why the published results are corrected (required)"), html! { input id="run-correction" name="correction" type="text" required maxlength="1000"; }))
                    }
                    button type="submit" class="primary" { @if a.run.is_some() { (lang.pick("重新计分", "Score again")) } @else { (lang.pick("计分", "Score")) } }
                }
                @if let Some(r) = &a.run {
                    @if r.status == RunStatus::Draft {
                        form method="post" action=(format!("{here}/review")) class="inline" id="review-form" {
                            (csrf_field(&viewer))
                            button type="submit" { (lang.pick("复核(须由计分人以外的人)", "Review (by someone other than who scored)")) }
                        }
                    }
                    @if r.status == RunStatus::Reviewed {
                        form method="post" action=(format!("{here}/publish")) class="inline" id="publish-form" {
                            (csrf_field(&viewer))
                            button type="submit" class="primary" { (lang.pick("公布", "Publish")) }
                        }
                    }
                }
            }
        }
        @match &a.run {
            Some(run) => {
                section aria-labelledby="results-h" {
                    h2 id="results-h" { (lang.pick("排名与等次", "Ranking and grades")) }
                    (chart(lang, run, &s.grading, previous.as_ref()))
                    (results_table(lang, &a, run, previous.as_ref()))
                }
            }
            None => p class="muted" { (lang.pick("尚未计分。", "Not scored yet.")) },
        }
        (items_table(lang, &a))
        @if a.own && viewer.can(Permission::ScoreAssessment) && !manual_items.is_empty() {
            section aria-labelledby="enter-h" {
                h2 id="enter-h" { (lang.pick("录入人工评分与否决事项", "Enter a manual or veto item")) }
                p class="muted" { (lang.pick("由负责考核部门录入,须附佐证材料和理由;每次录入留痕,重新计分后生效。", "Entered by the scoring organisation with evidence and a reason; every entry is kept, and counts from the next scoring.")) }
                form method="post" action=(format!("{here}/entries")) enctype="multipart/form-data" class="card" id="entry-form" {
                    (csrf_field(&viewer))
                    (field("e-unit", lang.pick("单位", "Unit"), html! {
                        select id="e-unit" name="unit" required {
                            @for u in &a.mine { option value=(unit_key(u)) { (unit_name(&a, u)) " " (unit_key(u)) } }
                        }
                    }))
                    (field("e-item", lang.pick("项目", "Item"), html! {
                        select id="e-item" name="item" required {
                            @for i in &manual_items { option value=(i.code) { (i.code) " " (i.content) " (" (kind_label(lang, i.kind)) ")" } }
                        }
                    }))
                    (field("e-points", lang.pick("得分(否决项填 0)", "Points (0 for a veto item)"), html! { input id="e-points" name="points" type="text" inputmode="decimal" value="0"; }))
                    div class="field check" {
                        input id="e-veto" name="veto" type="checkbox" value="on";
                        label for="e-veto" { (lang.pick("否决事项成立", "The veto applies")) }
                    }
                    (field("e-reason", lang.pick("理由", "Reason"), html! { input id="e-reason" name="reason" type="text" required maxlength="1000"; }))
                    (field("e-file", lang.pick("佐证材料", "Evidence"), html! { input id="e-file" name="file" type="file" required; }))
                    button type="submit" class="primary" { (lang.pick("录入", "Enter")) }
                }
            }
        }
        @if !entries.is_empty() {
            details id="entries" {
                summary { (lang.pick("人工评分记录", "Entries")) " (" (entries.len()) ")" }
                div class="table-wrap" { table {
                    thead { tr {
                        th scope="col" { "#" } th scope="col" { (lang.pick("单位", "Unit")) } th scope="col" { (lang.pick("项目", "Item")) }
                        th scope="col" class="num" { (lang.pick("得分", "Points")) } th scope="col" { (lang.pick("理由", "Reason")) }
                        th scope="col" { (lang.pick("佐证", "Evidence")) } th scope="col" { (lang.pick("录入", "By")) }
                    } }
                    tbody { @for e in &entries {
                        tr id=(format!("entry-{}", e.id)) {
                            td { (e.id) " " small class="muted" { "v" (e.rev) } }
                            td { (unit_key(&e.unit)) }
                            td { (e.item) }
                            td class="num" { (fmt_points(e.earned)) @if e.triggered { " " span class="badge warn" { (lang.pick("否决", "veto")) } } }
                            td { (e.reason) }
                            td { @for ev in &e.evidence { a href=(format!("/evidence/{}", ev.sha256)) { (ev.name) } " " } }
                            td { (e.entered_by) " " small class="muted" { (e.entered_on) } }
                        }
                    } }
                } }
            }
        }
        @if let Some(run) = &a.run {
            section aria-labelledby="obj-h" {
                h2 id="obj-h" { (lang.pick("申诉", "Objections")) }
                @if objections.is_empty() { p class="muted" { (lang.pick("没有申诉。", "None.")) } }
                @for o in &objections {
                    div class="card" id=(format!("objection-{}", o.id)) {
                        p {
                            strong { "#" (o.id) " " (unit_key(&o.unit)) }
                            @if let Some(i) = &o.item { " · " (lang.pick("项目", "item")) " " (i) }
                            " · " span class=(format!("status {}", o.status.key())) { (lang.pick(o.status.name_zh(), o.status.key())) }
                            " · " small class="muted" { (o.lodged_by) " " (o.lodged_on) }
                        }
                        p { (o.text) }
                        @if let Some(ans) = &o.answer {
                            p { strong { (lang.pick("答复:", "Answer: ")) } (ans) " " small class="muted" { (o.answered_by.as_deref().unwrap_or("")) " " (o.answered_on.map(|d| d.to_string()).unwrap_or_default()) } }
                        }
                        @if let Some(adj) = &o.adjusted { p { (lang.pick("已调整:项目", "Adjusted: item ")) " " (adj.item) " → " (fmt_points(adj.earned)) } }
                        @if o.status == ObjectionStatus::Lodged && a.own && viewer.can(Permission::ManageAssessment) {
                            form method="post" action=(format!("{here}/objections/{}/answer", o.id)) class="inline" {
                                (csrf_field(&viewer))
                                (field(&format!("a-text-{}", o.id), lang.pick("答复", "Answer"), html! { input id=(format!("a-text-{}", o.id)) name="answer" type="text" required maxlength="4000"; }))
                                (field(&format!("a-item-{}", o.id), lang.pick("调整项目(采纳并改分时)", "Item to change (if upheld with new points)"), html! { input id=(format!("a-item-{}", o.id)) name="item" type="text" value=(o.item.as_deref().unwrap_or("")); }))
                                (field(&format!("a-points-{}", o.id), lang.pick("新得分", "New points"), html! { input id=(format!("a-points-{}", o.id)) name="points" type="text" inputmode="decimal"; }))
                                button type="submit" name="upheld" value="yes" { (lang.pick("采纳", "Uphold")) }
                                " " button type="submit" name="upheld" value="no" class="danger" { (lang.pick("不予采纳", "Reject")) }
                            }
                        }
                    }
                }
                @if run.status == RunStatus::Published && viewer.can(Permission::ObjectToAssessment) && !a.mine.is_empty() {
                    form method="post" action=(format!("{here}/objections")) class="card" id="objection-form" {
                        (csrf_field(&viewer))
                        (field("o-unit", lang.pick("申诉单位", "Unit objecting"), html! {
                            select id="o-unit" name="unit" required { @for u in &a.mine { option value=(unit_key(u)) { (unit_name(&a, u)) } } }
                        }))
                        (field("o-item", lang.pick("所涉项目序号(可空)", "Item number (optional)"), html! { input id="o-item" name="item" type="text"; }))
                        (field("o-text", lang.pick("申诉理由", "Grounds"), html! { textarea id="o-text" name="text" required maxlength="4000" rows="3" {} }))
                        button type="submit" { (lang.pick("提出申诉", "Lodge an objection")) }
                    }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, body))
}

fn unit_name(a: &Assessment, u: &UnitRef) -> String {
    a.run
        .as_ref()
        .and_then(|r| r.results.iter().find(|x| &x.unit == u))
        .map(|x| x.name.clone())
        .unwrap_or_else(|| u.key())
}

/// Where a line's source record is shown.
fn source_link(source: &str, unit: &UnitRef, here: &str) -> Option<String> {
    let (kind, id) = source.split_once(':')?;
    Some(match kind {
        "finding" => format!("/findings/{id}"),
        "task" => format!("/tasks/{id}"),
        "complaint" => format!("/complaints/{id}"),
        "emergency" => format!("/emergencies/{id}"),
        "dispatch_round" => format!("/dispatch-rounds/{id}"),
        "evidence" => format!("/evidence/{id}"),
        "assessment_entry" => format!("{here}#entry-{id}"),
        "assessment_objection" => format!("{here}#objection-{id}"),
        "target" | "indicator" => match unit {
            UnitRef::Region(code) => format!("/regions/{code}#indicators"),
            UnitRef::Organisation(_) => return None,
        },
        _ => return None,
    })
}

/// GET /regions/{code}/assessment/{year}/units/{unit}
pub async fn unit(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year, unit)): axum::extract::Path<(String, String, String)>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let a = Assessment::load(&state.store, &viewer, at, path_year(&year)?).await?;
    let r = unit_result(&state, &a, &unit).await?;
    let lang = viewer.lang;
    let u = &r.result;
    let here = base(a.region.code.as_str(), a.scheme.scheme.year);
    let grading = &a.scheme.scheme.grading;
    let title = format!(
        "{} · {} {}",
        u.name,
        a.scheme.scheme.year,
        lang.pick("年度考核", "assessment")
    );
    let body = html! {
        (crumbs(lang, &[("/assessment", lang.pick("年度考核", "Yearly assessment")), (&here, &a.scheme.scheme.title)], &u.name))
        h1 { (u.name) " " small { (unit_key(&u.unit)) } }
        p class="lead" id="unit-summary" {
            (lang.pick("总分", "Total")) " " strong { (fmt_points(u.total)) } " · "
            (grade_badge(lang, grading, u)) " · "
            (lang.pick("第", "rank ")) (u.rank) (lang.pick(" 名", "")) " / " (a.run()?.results.len())
            @if let Some(p) = &r.previous {
                " · " (a.scheme.scheme.year - 1) " " (lang.pick("年", "")) " " (fmt_points(p.total)) " " (grade_label(lang, &p.grade))
            }
        }
        p class="muted" { (lang.pick("结果第", "Run version ")) (r.run_rev) (lang.pick(" 版,使用细则第 ", "; scheme version ")) (r.scheme_version) (lang.pick(" 版。每一分都可追溯到所依据的记录。", ". Every point traces back to the records it came from.")) }
        div class="table-wrap" {
            table id="lines" {
                caption { (lang.pick("逐项得分", "Lines")) }
                thead { tr {
                    th scope="col" { (lang.pick("序号", "No.")) }
                    th scope="col" { (lang.pick("考核内容", "Content")) }
                    th scope="col" class="num" { (lang.pick("得分 / 分值", "Earned / points")) }
                    th scope="col" { (lang.pick("说明", "Explanation")) }
                    th scope="col" { (lang.pick("依据数据", "Inputs")) }
                    th scope="col" { (lang.pick("来源记录", "Source records")) }
                } }
                tbody {
                    @for l in &u.lines {
                        tr id=(format!("line-{}", l.item)) class=[l.vetoed.then_some("vetoed")] {
                            td { a href=(format!("{here}#item-{}", l.item)) { (l.item) } }
                            td { (l.content) br; small class="muted" { (kind_label(lang, l.kind)) " · " code { (l.rule) } } }
                            td class="num" { strong { (fmt_points(l.earned)) } " / " (fmt_points(l.points))
                                @if l.pending { br; span class="badge warn" { (lang.pick("待评", "pending")) } }
                                @if l.vetoed { br; span class="badge warn" { (lang.pick("一票否决", "vetoed")) } } }
                            td { (lang.pick(&l.explanation_zh, &l.explanation_en)) }
                            td { @if !l.inputs.is_empty() {
                                dl class="inputs" { @for (k, v) in &l.inputs { dt { code { (k) } } dd { (input_text(v)) } } }
                            } }
                            td { @for s in &l.sources {
                                @match source_link(s, &u.unit, &here) {
                                    Some(href) => { a href=(href) { (s) } " " },
                                    None => { code { (s) } " " },
                                }
                            } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="ans-h" {
            h2 id="ans-h" { (lang.pick("负责人", "Who answers for it")) " " small { (a.scheme.scheme.year) } }
            p class="muted" { (lang.pick("第五条至第八条:党委和政府主要负责人是第一责任人,分管负责人承担相应责任;年中换人时按任职天数计。", "Arts. 5–8: the principal leaders are first responsible, the deputy answers for their sector; a post that changed hands mid-year is shared by days of tenure.")) }
            div class="table-wrap" { table id="answerers" {
                thead { tr {
                    th scope="col" { (lang.pick("职务", "Post")) } th scope="col" { (lang.pick("任职人", "Holder")) }
                    th scope="col" { (lang.pick("任职期间", "Tenure")) } th scope="col" class="num" { (lang.pick("天数", "Days")) }
                    th scope="col" class="num" { (lang.pick("占全年", "Share of the year")) }
                } }
                tbody { @for h in &r.answerers {
                    tr {
                        td { a href=(format!("/posts/{}", h.post_id)) { (h.organisation) " " (h.post) } br; small class="muted" { (h.role_zh) } }
                        td {
                            a href=(format!("/people/{}", h.person_id)) { (h.person) }
                            @if h.acting { " " small { (lang.pick("(代理)", "(acting)")) } }
                            @if viewer.can(Permission::ReadCadreRecords) { " · " a href=(format!("/people/{}/eco-record", h.person_id)) { (lang.pick("履职记录", "eco record")) } }
                        }
                        td { (h.start_date) " – " (h.end_date.map(|d| d.to_string()).unwrap_or_else(|| lang.pick("今", "now").to_string())) }
                        td class="num" { (h.days) }
                        td class="num" { (fmt_points(h.share)) "%" }
                    }
                } }
            } }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, body))
}

fn input_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.as_f64().map(fmt_points).unwrap_or_else(|| n.to_string()),
        serde_json::Value::Null => "—".into(),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------- files

fn attachment(bytes: Vec<u8>, format: Format, stem: &str) -> Response {
    let (content_type, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    crate::ui::layout::attachment(bytes, content_type, &format!("{stem}.{ext}"))
}

fn write(
    format: Format,
    sheet: &str,
    head: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, AppError> {
    match format {
        Format::Csv => Ok(ecoduty_tabular::write_csv(head, rows)),
        Format::Xlsx => ecoduty_tabular::write_xlsx(sheet, head, rows)
            .map_err(|e| AppError::Internal(e.to_string())),
    }
}

async fn sheet_file(
    state: &AppState,
    viewer: &Viewer,
    at: AssessingRegion,
    year: &str,
    format: Format,
) -> PageResult<Response> {
    let a = Assessment::load(&state.store, viewer, at, path_year(year)?).await?;
    let head: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    let bytes = write(
        format,
        "考核细则",
        &head,
        &item_rows(&a.scheme.scheme.items),
    )?;
    let stem = format!(
        "scheme-{}-{}-v{}",
        a.region.code, a.scheme.scheme.year, a.scheme.rev
    );
    Ok(attachment(bytes, format, &stem))
}

/// GET /regions/{code}/assessment/{year}/sheet.csv
pub async fn sheet_csv(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
) -> PageResult<Response> {
    sheet_file(&state, &viewer, at, &year, Format::Csv).await
}

/// GET /regions/{code}/assessment/{year}/sheet.xlsx
pub async fn sheet_xlsx(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
) -> PageResult<Response> {
    sheet_file(&state, &viewer, at, &year, Format::Xlsx).await
}

/// GET /regions/{code}/assessment/{year}/results.xlsx: one row per unit and item, with the
/// totals, grades and ranks, the explanation and the source records.
pub async fn results_xlsx(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
) -> PageResult<Response> {
    let a = Assessment::load(&state.store, &viewer, at, path_year(&year)?).await?;
    let run = a.run()?;
    let head: Vec<String> = [
        "名次",
        "单位代码",
        "单位",
        "总分",
        "等次",
        "一票否决",
        "序号",
        "考核内容",
        "分值",
        "得分",
        "说明",
        "来源记录",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    let mut rows = Vec::new();
    for u in run.results.iter().filter(|u| a.reaches(&u.unit)) {
        for l in &u.lines {
            rows.push(vec![
                u.rank.to_string(),
                unit_key(&u.unit),
                u.name.clone(),
                fmt_points(u.total),
                u.grade.clone(),
                if u.vetoed { "是" } else { "" }.to_string(),
                l.item.clone(),
                l.content.clone(),
                fmt_points(l.points),
                fmt_points(l.earned),
                l.explanation_zh.clone(),
                l.sources.join(" "),
            ]);
        }
    }
    let bytes = write(Format::Xlsx, "考核结果", &head, &rows)?;
    let stem = format!("results-{}-{}-r{}", a.region.code, run.year, run.rev);
    Ok(attachment(bytes, Format::Xlsx, &stem))
}

// ---------------------------------------------------------------- actions

/// A form of a scheme's page: the scheme loaded, the CSRF token and the permission checked
/// (the permission first, so that a refused user learns nothing of the scheme).
async fn acting(
    state: &AppState,
    viewer: &Viewer,
    at: AssessingRegion,
    year: &str,
    csrf: &str,
    permission: Permission,
) -> Result<Assessment, AppError> {
    viewer.require(permission)?;
    viewer.check_csrf(csrf)?;
    Assessment::load(&state.store, viewer, at, path_year(year)?).await
}

fn store_err(viewer: &Viewer) -> impl Fn(ecoduty_store::StoreError) -> AppError + '_ {
    move |e| AppError::from_store_in(e, viewer.lang)
}

/// POST /regions/{code}/assessment/{year}/run (as_of, correction)
pub async fn run(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    let a = acting(
        &state,
        &viewer,
        at,
        &year,
        f.get("csrf"),
        Permission::ManageAssessment,
    )
    .await?;
    a.require_own()?;
    let as_of = crate::ui::layout::opt_date("as_of", f.get("as_of"))?.unwrap_or_else(today);
    let correction = f.get("correction").trim();
    let y = a.scheme.scheme.year;
    state
        .store
        .run_assessment(
            &viewer.change(format!("{y} 年度考核计分")),
            &a.region.code,
            y,
            as_of,
            (!correction.is_empty()).then_some(correction),
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(&base(a.region.code.as_str(), y), "assessment_scored"))
}

/// POST /regions/{code}/assessment/{year}/review
pub async fn review(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    let a = acting(
        &state,
        &viewer,
        at,
        &year,
        f.get("csrf"),
        Permission::ManageAssessment,
    )
    .await?;
    a.require_own()?;
    state
        .store
        .review_run(&viewer.change("复核考核结果"), a.run()?.id)
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &base(a.region.code.as_str(), a.scheme.scheme.year),
        "assessment_reviewed",
    ))
}

/// POST /regions/{code}/assessment/{year}/publish
pub async fn publish(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    let a = acting(
        &state,
        &viewer,
        at,
        &year,
        f.get("csrf"),
        Permission::ManageAssessment,
    )
    .await?;
    a.require_own()?;
    state
        .store
        .publish_run(&viewer.change("公布考核结果"), a.run()?.id, today())
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &base(a.region.code.as_str(), a.scheme.scheme.year),
        "assessment_published",
    ))
}

/// POST /regions/{code}/assessment/{year}/entries (multipart: unit, item, points, veto,
/// reason, file)
pub async fn enter(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::ScoreAssessment)?;
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    let f = &form.fields;
    let a = acting(
        &state,
        &viewer,
        at,
        &year,
        f.get("csrf"),
        Permission::ScoreAssessment,
    )
    .await?;
    a.require_own()?;
    let unit = UnitRef::parse(f.get("unit")).map_err(|m| AppError::invalid("unit", m))?;
    let points: f64 = match f.get("points").trim() {
        "" => 0.0,
        p => p
            .parse()
            .map_err(|_| AppError::invalid("points", format!("{p:?} is not a number")))?,
    };
    let reason = crate::api::common::required_text("reason", f.get("reason"), 1000)?;
    let file = form
        .file("file")
        .ok_or_else(|| AppError::invalid("file", "attach the evidence (佐证材料)"))?;
    let (evidence, _) = state
        .store
        .add_evidence(
            &viewer.change(format!("佐证材料:{reason}")),
            &file.file_name,
            &file.bytes,
            &crate::api::evidence::policy(&state),
        )
        .await
        .map_err(store_err(&viewer))?;
    state
        .store
        .enter_assessment(
            &viewer.change(format!("考核评分:{reason}")),
            NewEntry {
                region_code: a.region.code.clone(),
                year: a.scheme.scheme.year,
                unit,
                item: f.get("item").trim().to_string(),
                earned: points,
                triggered: f.ticked("veto"),
                reason,
                evidence: vec![evidence],
                on: today(),
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &base(a.region.code.as_str(), a.scheme.scheme.year),
        "entry_saved",
    ))
}

/// POST /regions/{code}/assessment/{year}/objections (unit, item, text)
pub async fn object(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year)): axum::extract::Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    let a = acting(
        &state,
        &viewer,
        at,
        &year,
        f.get("csrf"),
        Permission::ObjectToAssessment,
    )
    .await?;
    let unit = UnitRef::parse(f.get("unit")).map_err(|m| AppError::invalid("unit", m))?;
    if !a.reaches(&unit) {
        return Err(AppError::invalid(
            "unit",
            format!("{unit} is not a unit of yours"),
        ));
    }
    let text = crate::api::common::required_text("text", f.get("text"), 4000)?;
    let item = f.get("item").trim();
    state
        .store
        .lodge_objection(
            &viewer.change("提出申诉"),
            NewObjection {
                run_id: a.run()?.id,
                unit,
                item: (!item.is_empty()).then(|| item.to_string()),
                text,
                on: today(),
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &base(a.region.code.as_str(), a.scheme.scheme.year),
        "objection_lodged",
    ))
}

/// POST /regions/{code}/assessment/{year}/objections/{id}/answer (upheld, answer, item, points)
pub async fn answer(
    State(state): State<AppState>,
    Scoped(at, viewer): Scoped<AssessingRegion>,
    axum::extract::Path((_, year, id)): axum::extract::Path<(String, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    let a = acting(
        &state,
        &viewer,
        at,
        &year,
        f.get("csrf"),
        Permission::ManageAssessment,
    )
    .await?;
    a.require_own()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let run_id = a.run()?.id;
    state
        .store
        .assessment_objection(id)
        .await?
        .filter(|o| o.run_id == run_id)
        .ok_or(AppError::NotFound)?;
    let upheld = f.get("upheld") == "yes";
    let item = f.get("item").trim();
    let points = f.get("points").trim();
    let adjust = if upheld && !points.is_empty() {
        let earned: f64 = points
            .parse()
            .map_err(|_| AppError::invalid("points", format!("{points:?} is not a number")))?;
        if item.is_empty() {
            return Err(AppError::invalid(
                "item",
                "name the item whose points change",
            ));
        }
        Some(Adjustment {
            item: item.to_string(),
            earned,
        })
    } else {
        None
    };
    state
        .store
        .answer_objection(
            &viewer.change("答复申诉"),
            id,
            ObjectionAnswer {
                upheld,
                answer: crate::api::common::required_text("answer", f.get("answer"), 4000)?,
                adjust,
                on: today(),
            },
        )
        .await
        .map_err(store_err(&viewer))?;
    Ok(done(
        &base(a.region.code.as_str(), a.scheme.scheme.year),
        "objection_answered",
    ))
}
