//! Zoning control's pages (生态环境分区管控, Art. 7(2)): the control units by region with
//! filters, the import form (units sheet and clauses sheet, all or nothing) and the export;
//! a unit's page with its admission list and versions; the project check form, a check's
//! result with the clauses cited, and the log of checks.
//!
//! The rule (which clause wins) is the domain's; the storage the store's. This module draws
//! and reads forms.

use axum::extract::{FromRequest, Multipart, OriginalUri, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ecoduty_domain::access::Permission;
use ecoduty_domain::zoning::sheet::{clause_rows, unit_row, CLAUSE_COLUMNS, UNIT_COLUMNS};
use ecoduty_domain::zoning::{Basis, Effect, IndustryCode, UnitCategory};
use ecoduty_store::zoning::{UnitFilter, ZoningCheck, ZoningUnit};
use maud::{html, Markup};
use serde::Deserialize;

use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{csrf_field, done, field, flash, notice, row_errors, Fields, Shell};
use crate::ui::upload;

fn category_label(lang: Lang, c: UnitCategory) -> &'static str {
    lang.pick(c.name_zh(), c.name_en())
}

fn effect_badge(lang: Lang, e: Effect) -> Markup {
    let class = match e {
        Effect::Forbidden => "badge bad",
        Effect::Restricted => "badge warn",
        Effect::Allowed => "badge ok",
    };
    html! { span class=(class) data-effect=(e.key()) { (lang.pick(e.name_zh(), e.name_en())) } }
}

fn crumbs(lang: Lang, here: &str) -> Markup {
    html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol {
                li { a href="/zoning" { (lang.pick("生态环境分区管控", "Zoning control")) } }
                li aria-current="page" { (here) }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub region: Option<String>,
    pub category: Option<String>,
    pub withdrawn: Option<String>,
    pub ok: Option<String>,
}

fn filter_of(q: &ListQuery) -> Result<(Option<UnitCategory>, bool), AppError> {
    let category = match q
        .category
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(
            s.parse::<UnitCategory>()
                .map_err(|m| AppError::invalid("category", m))?,
        ),
        None => None,
    };
    Ok((category, q.withdrawn.as_deref() == Some("1")))
}

/// GET /zoning
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Markup> {
    list_page(&state, viewer, uri.to_string(), q, None).await
}

async fn list_page(
    state: &AppState,
    viewer: Viewer,
    here: String,
    q: ListQuery,
    refused: Option<Markup>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(state, &viewer, q.region.as_deref()).await?;
    let (category, withdrawn) = filter_of(&q)?;
    let units = state
        .store
        .zoning_units(&UnitFilter {
            within: within.clone(),
            category,
            withdrawn,
        })
        .await?;
    let region_value = q.region.clone().unwrap_or_default();
    let regions =
        crate::ui::supervision::region_choice(state, &viewer, q.region.as_deref()).await?;
    let export_query = format!("region={region_value}");
    let body = html! {
        h1 { (lang.pick("生态环境分区管控", "Environmental zoning control")) }
        p class="muted" { (lang.pick(
            "第七条(二):落实生态环境分区管控。环境管控单元分优先保护、重点管控、一般管控三类,各有生态环境准入清单(空间布局约束、污染物排放管控、环境风险防控、资源利用效率)。项目准入研判按单元与行业代码给出禁止、限制或允许,并列明依据条款。",
            "Art. 7(2): carry out environmental zoning control. Control units are of priority protection, key control or general control, each with its admission list (spatial layout, pollutant discharge, environmental risk, resource-use efficiency). A project check gives, for a unit and an industry, forbidden, restricted or allowed, citing the clauses.")) }
        (flash(lang, q.ok.as_deref()))
        @if let Some(r) = refused { (r) }
        p {
            a href="/zoning/check" { (lang.pick("项目准入研判", "Check a project")) }
            " · "
            a href="/zoning/checks" { (lang.pick("研判记录", "Check log")) }
            " · "
            a href=(format!("/zoning/units.csv?{export_query}")) { (lang.pick("导出单元表 CSV", "Export units CSV")) }
            " · "
            a href=(format!("/zoning/units.xlsx?{export_query}")) { (lang.pick("单元表 Excel", "units Excel")) }
            " · "
            a href=(format!("/zoning/clauses.csv?{export_query}")) { (lang.pick("导出准入清单 CSV", "Export clauses CSV")) }
            " · "
            a href=(format!("/zoning/clauses.xlsx?{export_query}")) { (lang.pick("准入清单 Excel", "clauses Excel")) }
        }
        form method="get" action="/zoning" class="filters" {
            (field("f-region", lang.pick("地区", "Region"), html! { (crate::ui::supervision::region_select(lang, &regions, "f-region", "region", &region_value)) }))
            (field("f-category", lang.pick("管控类别", "Category"), html! {
                select id="f-category" name="category" {
                    option value="" { (lang.pick("全部", "All")) }
                    @for c in UnitCategory::ALL {
                        option value=(c.key()) selected[category == Some(*c)] { (category_label(lang, *c)) }
                    }
                }
            }))
            (field("f-withdrawn", lang.pick("含已撤销单元", "Withdrawn too"), html! {
                input id="f-withdrawn" name="withdrawn" type="checkbox" value="1" checked[withdrawn];
            }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        div class="table-wrap" {
            table id="zoning-units" {
                caption { (lang.pick("环境管控单元", "Control units")) " (" (units.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("单元编码", "Code")) }
                    th scope="col" { (lang.pick("单元名称", "Name")) }
                    th scope="col" { (lang.pick("行政区划", "Region")) }
                    th scope="col" { (lang.pick("管控类别", "Category")) }
                    th scope="col" { (lang.pick("准入条款", "Clauses")) }
                    th scope="col" { (lang.pick("边界", "Boundary")) }
                } }
                tbody {
                    @for u in &units {
                        tr data-category=(u.category.key()) data-withdrawn=(u.withdrawn) {
                            td { a href=(format!("/zoning/units/{}", u.code)) { code { (u.code) } } }
                            td { (u.name) @if u.withdrawn { " " span class="badge" { (lang.pick("已撤销", "withdrawn")) } } }
                            td { (u.region_code) }
                            td { (category_label(lang, u.category)) }
                            td { (u.clauses.len()) }
                            td { @if u.boundary.is_some() { (lang.pick("已载入", "loaded")) } @else { "—" } }
                        }
                    }
                }
            }
        }
        @if viewer.can(Permission::ManageZoning) {
            section id="import" {
                h2 { (lang.pick("导入管控单元与准入清单", "Import control units and admission lists")) }
                p class="muted" {
                    (lang.pick("单元表列:", "Units sheet columns: ")) (UNIT_COLUMNS.join("、"))
                    (lang.pick("(边界为 GeoJSON,可空);准入清单表列:", " (the boundary GeoJSON, optional); clauses sheet columns: "))
                    (CLAUSE_COLUMNS.join("、"))
                    (lang.pick("。两表整体校验,有错则不导入;已有单元有变化的记新版本;本次涉及地区中未列出的已有单元标记为撤销,不删除。不附准入清单表时,已有单元保留原清单。",
                        ". Both sheets are checked whole and nothing is imported if a row is wrong; a unit that changed gets a new version; a stored unit of a region imported that the sheet no longer names is marked withdrawn, not deleted. Without a clauses sheet, stored units keep their lists."))
                }
                form id="zoning-import-form" method="post" action="/zoning/import" enctype="multipart/form-data" class="stack" {
                    (csrf_field(&viewer))
                    (field("z-units", lang.pick("单元表(CSV 或 XLSX)", "Units sheet (CSV or XLSX)"), html! { input id="z-units" name="units" type="file" required accept=".csv,.xlsx"; }))
                    (field("z-clauses", lang.pick("准入清单表(CSV 或 XLSX,可选)", "Clauses sheet (CSV or XLSX, optional)"), html! { input id="z-clauses" name="clauses" type="file" accept=".csv,.xlsx"; }))
                    button type="submit" { (lang.pick("导入", "Import")) }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, here).page(lang.pick("生态环境分区管控", "Zoning control"), body))
}

/// POST /zoning/import (multipart: units, clauses)
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    request: Request,
) -> PageResult<Response> {
    viewer.require(Permission::ManageZoning)?;
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let form = upload::read(multipart).await?;
    viewer.check_csrf(form.fields.get("csrf"))?;
    let units_file = form
        .file("units")
        .filter(|f| !f.bytes.is_empty())
        .ok_or_else(|| AppError::invalid("units", "choose the units sheet"))?;
    let clauses_file = form.file("clauses").filter(|f| !f.bytes.is_empty());
    let units = units_file.table("file")?;
    let clauses = clauses_file.map(|f| f.table("file")).transpose()?;
    let specs = match crate::api::zoning::read_sheets(
        (&units_file.file_name, &units),
        clauses_file
            .zip(clauses.as_ref())
            .map(|(f, t)| (f.file_name.as_str(), t)),
    ) {
        Ok(specs) => specs,
        Err(AppError::Rows(rows)) => {
            let lang = viewer.lang;
            let page = list_page(
                &state,
                viewer,
                "/zoning".into(),
                ListQuery::default(),
                Some(html! {
                    (notice("error", html! { (lang.pick("表格有错误,未导入任何记录。", "The sheets have errors; nothing was imported.")) }))
                    (row_errors(lang, &rows))
                }),
            )
            .await?;
            return Ok(crate::ui::layout::refused(page));
        }
        Err(e) => return Err(e),
    };
    let scope = viewer.root().cloned();
    let n = specs.len();
    state
        .store
        .import_zoning(
            &viewer.change(format!(
                "导入生态环境管控单元 {}({n} 个单元)",
                units_file.file_name
            )),
            scope.as_ref(),
            specs,
            clauses.is_some(),
        )
        .await
        .map_err(|e| AppError::from_store_in(e, viewer.lang))?;
    Ok(done("/zoning", "zoning_imported"))
}

/// GET /zoning/units.csv, /zoning/units.xlsx, /zoning/clauses.csv, /zoning/clauses.xlsx:
/// the sheets as they were imported, for the units in force within the region.
pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let units = state
        .store
        .zoning_units(&UnitFilter {
            within,
            category: None,
            withdrawn: false,
        })
        .await?;
    let path = uri.path();
    let clauses = path.starts_with("/zoning/clauses");
    let (columns, rows, sheet, stem): (&[&str], Vec<Vec<String>>, &str, &str) = if clauses {
        (
            &CLAUSE_COLUMNS,
            units.iter().flat_map(|u| clause_rows(&u.spec)).collect(),
            "准入清单",
            "zoning-clauses",
        )
    } else {
        (
            &UNIT_COLUMNS,
            units.iter().map(|u| unit_row(&u.spec)).collect(),
            "环境管控单元",
            "zoning-units",
        )
    };
    let header: Vec<String> = columns.iter().map(|s| s.to_string()).collect();
    let (bytes, kind, name) = if path.ends_with(".xlsx") {
        (
            ecoduty_tabular::write_xlsx(sheet, &header, &rows)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{stem}.xlsx"),
        )
    } else {
        (
            ecoduty_tabular::write_csv(&header, &rows),
            "text/csv; charset=utf-8",
            format!("{stem}.csv"),
        )
    };
    Ok(crate::ui::layout::attachment(bytes, kind, &name))
}

fn clause_table(lang: Lang, u: &ZoningUnit, highlight: &[usize]) -> Markup {
    html! {
        div class="table-wrap" {
            table id="zoning-clauses" {
                caption { (lang.pick("生态环境准入清单", "Admission list")) " (" (u.clauses.len()) ")" }
                thead { tr {
                    th scope="col" { (lang.pick("条", "No.")) }
                    th scope="col" { (lang.pick("管控维度", "Dimension")) }
                    th scope="col" { (lang.pick("条款", "Clause")) }
                    th scope="col" { (lang.pick("管控要求", "Effect")) }
                    th scope="col" { (lang.pick("行业代码", "Industries")) }
                } }
                tbody {
                    @for (i, c) in u.clauses.iter().enumerate() {
                        tr id=(format!("clause-{}", i + 1)) class=[highlight.contains(&(i + 1)).then_some("cited")] {
                            td { (i + 1) }
                            td { (lang.pick(c.dimension.name_zh(), c.dimension.name_en())) }
                            td { (c.text) }
                            td { (effect_badge(lang, c.effect)) }
                            td {
                                @if c.industries.is_empty() { (lang.pick("全部行业", "every industry")) }
                                @else { code { (c.industries.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("、")) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct OkQuery {
    pub ok: Option<String>,
}

/// GET /zoning/units/{unit}
pub async fn unit(
    State(state): State<AppState>,
    Scoped(u, viewer): Scoped<ZoningUnit>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let versions = state.store.zoning_unit_versions(u.id).await?;
    let region = state.store.region(&u.region_code).await?;
    let body = html! {
        (crumbs(lang, &u.name))
        h1 { (u.name) " " span class="muted" { (u.code) } }
        @if u.withdrawn {
            (notice("info", html! { (lang.pick("该单元已撤销:最近一次导入未列出它。记录保留。", "This unit is withdrawn: the latest import of its region did not name it. Its record is kept.")) }))
        }
        dl class="facts" id="unit-facts" {
            dt { (lang.pick("管控类别", "Category")) } dd data-category=(u.category.key()) { (category_label(lang, u.category)) }
            dt { (lang.pick("行政区划", "Region")) } dd { (region.map(|r| r.name).unwrap_or_default()) " " span class="muted" { (u.region_code) } }
            dt { (lang.pick("边界", "Boundary")) } dd {
                @match u.boundary.as_deref().and_then(|b| ecoduty_domain::zoning::geometry::Boundary::parse(b).ok()) {
                    Some(b) => {
                        @let [w, s, e, n] = b.bbox();
                        (lang.pick("已载入,", "loaded, ")) (b.vertices()) (lang.pick(" 个顶点;范围 ", " vertices; extent "))
                        (format!("{w:.4}–{e:.4}°E, {s:.4}–{n:.4}°N"))
                    }
                    None => { (lang.pick("未载入(按点研判不可用,可按单元编码研判)", "not loaded (check by unit code, not by point)")) }
                }
            }
            dt { (lang.pick("版本", "Version")) } dd { (u.rev) }
        }
        (clause_table(lang, &u, &[]))
        @if !u.withdrawn {
            p { a href=(format!("/zoning/check?unit={}", u.code)) { (lang.pick("在本单元研判项目", "Check a project in this unit")) } }
        }
        h2 { (lang.pick("版本记录", "Versions")) }
        ol id="unit-versions" {
            @for v in &versions {
                li { (lang.pick("第 ", "Version ")) (v.rev) (lang.pick(" 版:", ": "))
                    (category_label(lang, v.category)) "," (v.clauses.len()) (lang.pick(" 条准入条款", " clauses"))
                    @if v.withdrawn { "," (lang.pick("撤销", "withdrawn")) }
                }
            }
        }
        p { a href=(format!("/ledger?entity=zoning_unit:{}", u.id)) { (lang.pick("变更记录", "Change history")) } }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&u.name, body))
}

#[derive(Deserialize, Default)]
pub struct CheckFormQuery {
    pub unit: Option<String>,
}

fn check_form(lang: Lang, viewer: &Viewer, unit: &str, point: &str, industry: &str) -> Markup {
    html! {
        form id="zoning-check-form" method="post" action="/zoning/check" class="stack" {
            (csrf_field(viewer))
            (field("c-unit", lang.pick("单元编码", "Unit code"), html! { input id="c-unit" name="unit" value=(unit) placeholder="ZH41088320001"; }))
            (field("c-point", lang.pick("或坐标(经度,纬度)", "or a point (lon,lat)"), html! { input id="c-point" name="point" value=(point) placeholder="112.79,34.91"; }))
            (field("c-industry", lang.pick("行业代码(GB/T 4754)", "Industry code (GB/T 4754)"), html! { input id="c-industry" name="industry" required value=(industry) placeholder="2614"; }))
            button type="submit" { (lang.pick("研判", "Check")) }
        }
    }
}

/// GET /zoning/check
pub async fn check_page(
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<CheckFormQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let body = html! {
        (crumbs(lang, lang.pick("项目准入研判", "Project check")))
        h1 { (lang.pick("项目准入研判", "Project check")) }
        p class="muted" { (lang.pick(
            "填单元编码,或填坐标由已载入边界的单元定位;行业代码为国民经济行业分类(门类字母,或 2/3/4 位数字)。涉及该行业的条款中最严格的要求为结论;无涉及条款时按单元类别的一般要求允许。每次研判均留痕。",
            "Give a unit code, or a point to find the unit whose loaded boundary holds it; the industry is a GB/T 4754 code (a section letter, or 2/3/4 digits). The most severe clause covering the industry decides; with none, the unit's category default allows. Every check is recorded.")) }
        (check_form(lang, &viewer, q.unit.as_deref().unwrap_or(""), "", ""))
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("项目准入研判", "Project check"), body))
}

/// POST /zoning/check (form: unit, point, industry)
pub async fn check(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    let outcome = async {
        let point = match f.get("point").trim() {
            "" => None,
            p => Some(
                ecoduty_domain::zoning::geometry::parse_point(p)
                    .map_err(|m| AppError::invalid("point", m))?,
            ),
        };
        let target = crate::api::zoning::target(Some(f.get("unit")), point)?;
        let industry =
            IndustryCode::parse(f.get("industry")).map_err(|m| AppError::invalid("industry", m))?;
        state
            .store
            .record_zoning_check(
                &viewer.change(format!("项目准入研判:行业 {industry}")),
                viewer.root(),
                &target,
                &industry,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| AppError::from_store_in(e, viewer.lang))
    }
    .await;
    match outcome {
        Ok(c) => Ok(Redirect::to(&format!("/zoning/checks/{}", c.id)).into_response()),
        Err(AppError::Invalid {
            field: which,
            message,
        }) => {
            let lang = viewer.lang;
            let body = html! {
                (crumbs(lang, lang.pick("项目准入研判", "Project check")))
                h1 { (lang.pick("项目准入研判", "Project check")) }
                (notice("error", html! { code { (which) } ": " (message) }))
                (check_form(lang, &viewer, f.get("unit"), f.get("point"), f.get("industry")))
            };
            let page = Shell::of(&viewer, "/zoning/check".to_string())
                .page(lang.pick("项目准入研判", "Project check"), body);
            Ok(crate::ui::layout::refused(page))
        }
        Err(e) => Err(e),
    }
}

/// GET /zoning/checks/{id}: a check's result with the clauses cited.
pub async fn show_check(
    State(state): State<AppState>,
    Scoped(c, viewer): Scoped<ZoningCheck>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let versions = state.store.zoning_unit_versions(c.unit_id).await?;
    let unit = versions.into_iter().find(|v| v.rev == c.unit_rev);
    let v = &c.verdict;
    let title = format!("{} #{}", lang.pick("研判结果", "Check"), c.id);
    let body = html! {
        (crumbs(lang, &title))
        h1 { (lang.pick("研判结果", "Check result")) " " (effect_badge(lang, v.effect)) }
        dl class="facts" id="check-facts" {
            dt { (lang.pick("结论", "Result")) } dd id="check-effect" data-effect=(v.effect.key()) { (lang.pick(v.effect.name_zh(), v.effect.name_en())) }
            dt { (lang.pick("依据", "Basis")) } dd id="check-basis" data-basis=(match v.basis { Basis::Clauses => "clauses", Basis::CategoryDefault => "category_default" }) {
                (lang.pick(&v.explanation_zh, &v.explanation_en))
            }
            dt { (lang.pick("单元", "Unit")) } dd { a href=(format!("/zoning/units/{}", c.unit_code)) { code { (c.unit_code) } } @if let Some(u) = &unit { " " (u.name) " · " (category_label(lang, u.category)) " · " (lang.pick("第 ", "version ")) (u.rev) (lang.pick(" 版", "")) } }
            dt { (lang.pick("行业代码", "Industry")) } dd { code { (c.industry) } }
            @if let Some((x, y)) = c.point {
                dt { (lang.pick("坐标", "Point")) } dd { (format!("{x}, {y}")) }
            }
            dt { (lang.pick("研判人", "By")) } dd { (c.checked_by) " · " (ecoduty_store::emergency::china_time(c.checked_at)) }
        }
        @if let Some(u) = &unit {
            @if !v.cited.is_empty() {
                h2 { (lang.pick("所依条款", "Clauses cited")) }
                ul id="cited" {
                    @for n in &v.cited {
                        @if let Some(cl) = u.clauses.get(n - 1) {
                            li { (lang.pick("第", "Clause ")) (n) (lang.pick("条", "")) "(" (lang.pick(cl.dimension.name_zh(), cl.dimension.name_en())) ") " (effect_badge(lang, cl.effect)) " " (cl.text) }
                        }
                    }
                }
            }
            (clause_table(lang, u, &v.cited))
        }
        p { a href="/zoning/check" { (lang.pick("再研判一个项目", "Check another project")) } " · " a href="/zoning/checks" { (lang.pick("研判记录", "Check log")) } }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, body))
}

#[derive(Deserialize, Default)]
pub struct ChecksQuery {
    pub region: Option<String>,
    pub effect: Option<String>,
}

/// GET /zoning/checks: the log of checks.
pub async fn checks(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    Query(q): Query<ChecksQuery>,
) -> PageResult<Markup> {
    let lang = viewer.lang;
    let within = crate::api::common::list_scope(&state, &viewer, q.region.as_deref()).await?;
    let effect = match q.effect.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<Effect>()
                .map_err(|m| AppError::invalid("effect", m))?,
        ),
        None => None,
    };
    let list = state
        .store
        .zoning_checks(within.as_ref(), effect, 500)
        .await?;
    let body = html! {
        (crumbs(lang, lang.pick("研判记录", "Check log")))
        h1 { (lang.pick("项目准入研判记录", "Project checks")) }
        form method="get" action="/zoning/checks" class="filters" {
            (field("q-region", lang.pick("地区代码", "Region code"), html! { input id="q-region" name="region" value=(q.region.as_deref().unwrap_or("")) inputmode="numeric"; }))
            (field("q-effect", lang.pick("结论", "Result"), html! {
                select id="q-effect" name="effect" {
                    option value="" { (lang.pick("全部", "All")) }
                    @for e in Effect::ALL {
                        option value=(e.key()) selected[effect == Some(*e)] { (lang.pick(e.name_zh(), e.name_en())) }
                    }
                }
            }))
            button type="submit" { (lang.pick("筛选", "Filter")) }
        }
        div class="table-wrap" {
            table id="zoning-checks" {
                caption { (lang.pick("研判记录", "Checks")) " (" (list.len()) ")" }
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (lang.pick("时间", "When")) }
                    th scope="col" { (lang.pick("研判人", "By")) }
                    th scope="col" { (lang.pick("单元", "Unit")) }
                    th scope="col" { (lang.pick("行业", "Industry")) }
                    th scope="col" { (lang.pick("结论", "Result")) }
                    th scope="col" { (lang.pick("依据条款", "Clauses")) }
                } }
                tbody {
                    @for c in &list {
                        tr {
                            td { a href=(format!("/zoning/checks/{}", c.id)) { (c.id) } }
                            td { (ecoduty_store::emergency::china_time(c.checked_at)) }
                            td { (c.checked_by) }
                            td { code { (c.unit_code) } }
                            td { code { (c.industry) } }
                            td { (effect_badge(lang, c.verdict.effect)) }
                            td {
                                @if c.verdict.cited.is_empty() { (lang.pick("类别默认", "category default")) }
                                @else { (c.verdict.cited.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("、")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(Shell::of(&viewer, uri.to_string()).page(lang.pick("研判记录", "Check log"), body))
}
