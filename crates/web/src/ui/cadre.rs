//! A person's eco record (生态环境保护履职记录, Art. 16: 组织部门考察干部时把生态文明建设
//! 情况作为重要内容): for each tenure within the reader's region, the region's grade in each
//! year held with the share of the year, the binding indicators inherited and left, the
//! findings raised, closed, overdue and still open at the end, and the early warnings that
//! named the post. A page that prints well, and the same as XLSX. Only the organisation
//! department and system administrators read it.

use axum::extract::{OriginalUri, State};
use axum::response::Response;
use ecoduty_domain::access::Permission;
use ecoduty_domain::assessment::fmt_points;
use ecoduty_store::assessment::cadre::CadreRecord;
use ecoduty_store::people::Person;
use maud::{html, Markup};

use crate::api::assessment::scoped_record;
use crate::auth::Scoped;
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::assessment::grade_label;
use crate::ui::layout::Shell;

fn value(v: Option<f64>, unit: &str) -> String {
    match v {
        Some(v) => format!("{}{}", fmt_points(v), if unit == "%" { "%" } else { "" }),
        None => "—".into(),
    }
}

fn record_body(lang: Lang, r: &CadreRecord) -> Markup {
    html! {
        nav aria-label=(lang.pick("位置", "Breadcrumb")) class="crumbs" {
            ol { li { a href=(format!("/people/{}", r.person.id)) { (r.person.name) } } li aria-current="page" { (lang.pick("履职记录", "Eco record")) } }
        }
        h1 { (r.person.name) " " small { (lang.pick("生态环境保护履职记录", "eco-environmental record")) } }
        p class="muted" {
            (lang.pick("截至", "As of")) " " (r.on) " · "
            (lang.pick("第十六条:组织部门考察干部时把生态文明建设情况作为重要内容。", "Art. 16: the organisation department weighs eco-civilisation work when evaluating cadres."))
            " " a href=(format!("/people/{}/eco-record.xlsx", r.person.id)) download { (lang.pick("导出 XLSX", "Export XLSX")) }
        }
        @if r.tenures.is_empty() { p { (lang.pick("在您管辖范围内没有任职记录。", "No tenure within your region.")) } }
        @for t in &r.tenures {
            @let d = &t.tenure;
            section class="card tenure-record" {
                h2 {
                    (d.region.name) " " (d.organisation.name) " " (d.post.title)
                    " " small { (d.tenure.start_date) " – " (d.tenure.end_date.map(|e| e.to_string()).unwrap_or_else(|| lang.pick("今", "now").to_string()))
                        @if d.tenure.acting { " " (lang.pick("(代理)", "(acting)")) } }
                }
                div class="table-wrap" { table class="years" {
                    caption { (lang.pick("年度考核", "Yearly assessment")) }
                    thead { tr {
                        th scope="col" { (lang.pick("年度", "Year")) }
                        th scope="col" class="num" { (lang.pick("任职天数", "Days held")) }
                        th scope="col" class="num" { (lang.pick("占全年", "Share")) }
                        th scope="col" { (lang.pick("等次", "Grade")) }
                        th scope="col" class="num" { (lang.pick("总分", "Total")) }
                        th scope="col" { (lang.pick("名次", "Rank")) }
                    } }
                    tbody { @for y in &t.years {
                        tr {
                            td { (y.year) }
                            td class="num" { (y.days) }
                            td class="num" { (fmt_points(y.share)) "%" }
                            td { @match &y.grade {
                                Some(g) => { (grade_label(lang, g)) @if y.vetoed { " " span class="badge warn" { (lang.pick("一票否决", "vetoed")) } } },
                                None => span class="muted" { (lang.pick("无已公布结果", "no published result")) },
                            } }
                            td class="num" { (y.total.map(fmt_points).unwrap_or_default()) }
                            td { @if let (Some(rank), Some(n)) = (y.rank, y.units) { (rank) " / " (n) } }
                        }
                    } }
                } }
                div class="table-wrap" { table class="indicators" {
                    caption { (lang.pick("约束性指标:任前一年与离任(或本年)", "Binding indicators: the year before taking office, and the year of leaving (or this year)")) }
                    thead { tr {
                        th scope="col" { (lang.pick("指标", "Indicator")) }
                        th scope="col" class="num" { (lang.pick("任前", "Inherited")) }
                        th scope="col" class="num" { (lang.pick("离任", "Left")) }
                        th scope="col" class="num" { (lang.pick("目标", "Target")) }
                    } }
                    tbody {
                        @for i in &t.indicators_end {
                            @let start = t.indicators_start.iter().find(|s| s.key == i.key);
                            tr {
                                td { (lang.pick(&i.name_zh, &i.name_en)) }
                                td class="num" { (value(start.and_then(|s| s.value), &i.unit)) }
                                td class="num" { (value(i.value, &i.unit)) }
                                td class="num" { (value(i.target, &i.unit)) }
                            }
                        }
                        @if t.indicators_end.is_empty() { tr { td colspan="4" class="muted" { (lang.pick("无指标数据", "No indicator data")) } } }
                    }
                } }
                @let f = &t.findings;
                p class="findings" {
                    strong { (lang.pick("督察问题:", "Findings: ")) }
                    (lang.pick("任内新增 ", "raised ")) (f.raised) " · "
                    (lang.pick("销号 ", "closed ")) (f.closed) " · "
                    (lang.pick("逾期 ", "overdue ")) (f.overdue) " · "
                    (lang.pick("离任时未销号 ", "open at the end ")) (f.open_at_end)
                    @for id in &f.open_ids { " " a href=(format!("/findings/{id}")) { "#" (id) } }
                }
                @if !t.warnings.is_empty() {
                    ul class="warnings" {
                        @for w in &t.warnings { li { span class="badge warn" { (w.year) } " " (lang.pick(&w.message_zh, &w.message_en)) } }
                    }
                }
            }
        }
    }
}

/// GET /people/{id}/eco-record
pub async fn record(
    State(state): State<AppState>,
    Scoped(person, viewer): Scoped<Person>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    viewer.require(Permission::ReadCadreRecords)?;
    let r = scoped_record(&state, &viewer, &person).await?;
    let title = format!(
        "{} · {}",
        r.person.name,
        viewer.lang.pick("履职记录", "eco record")
    );
    Ok(Shell::of(&viewer, uri.to_string()).page(&title, record_body(viewer.lang, &r)))
}

/// GET /people/{id}/eco-record.xlsx: one row per tenure and year.
pub async fn record_xlsx(
    State(state): State<AppState>,
    Scoped(person, viewer): Scoped<Person>,
) -> PageResult<Response> {
    viewer.require(Permission::ReadCadreRecords)?;
    let r = scoped_record(&state, &viewer, &person).await?;
    let head: Vec<String> = [
        "姓名",
        "地区",
        "机构",
        "职务",
        "任职起",
        "任职止",
        "年度",
        "任职天数",
        "占全年%",
        "等次",
        "总分",
        "名次",
        "参评单位数",
        "一票否决",
        "新增问题",
        "销号",
        "逾期",
        "离任未销号",
        "预警",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    let mut rows = Vec::new();
    for t in &r.tenures {
        let d = &t.tenure;
        let warnings = t
            .warnings
            .iter()
            .map(|w| format!("{} {}", w.year, w.message_zh))
            .collect::<Vec<_>>()
            .join(";");
        for y in &t.years {
            rows.push(vec![
                r.person.name.clone(),
                d.region.name.clone(),
                d.organisation.name.clone(),
                d.post.title.clone(),
                d.tenure.start_date.to_string(),
                d.tenure.end_date.map(|e| e.to_string()).unwrap_or_default(),
                y.year.to_string(),
                y.days.to_string(),
                fmt_points(y.share),
                y.grade.clone().unwrap_or_default(),
                y.total.map(fmt_points).unwrap_or_default(),
                y.rank.map(|x| x.to_string()).unwrap_or_default(),
                y.units.map(|x| x.to_string()).unwrap_or_default(),
                if y.vetoed { "是" } else { "" }.into(),
                t.findings.raised.to_string(),
                t.findings.closed.to_string(),
                t.findings.overdue.to_string(),
                t.findings.open_at_end.to_string(),
                warnings.clone(),
            ]);
        }
    }
    let bytes = ecoduty_tabular::write_xlsx("履职记录", &head, &rows)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::ui::layout::attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("eco-record-{}.xlsx", r.person.id),
    ))
}
