//! Binding indicators on the pages: a region's indicators for a year with their status and a
//! chart of the year so far against the target path, and the early warnings (each with the
//! posts that answer for it and who holds them) on a region's page and on the dashboard.
//!
//! Everything shown here is computed by the store (`Store::indicator_status`,
//! `Store::early_warnings`, through the memo in [`AppState`]) exactly as `ecoduty warnings`
//! computes it; this module only draws.

use chrono::NaiveDate;
use ecoduty_domain::{RegionCode, Role};
use ecoduty_indicators::status::{IndicatorStatus, PathBasis, PathPoint, Status};
use ecoduty_store::quality::status::{RegionStatus, WarningReport};
use ecoduty_store::StoreResult;
use maud::{html, Markup};

use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{svg, svg_text};

/// A value as people write it: whole numbers bare, others with at most two decimals.
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn with_unit(lang: Lang, v: f64, unit: &str) -> String {
    match (lang, unit) {
        (_, "%") => format!("{}%", num(v)),
        (Lang::En, "天") => format!("{} days", num(v)),
        (Lang::Zh, "天") => format!("{} 天", num(v)),
        _ => format!("{} {unit}", num(v)),
    }
}

fn status_label(lang: Lang, s: Status) -> &'static str {
    match s {
        Status::Met => lang.pick("已达标", "met"),
        Status::OnTrack => lang.pick("进度正常", "on track"),
        Status::AtRisk => lang.pick("存在风险", "at risk"),
        Status::Missed => lang.pick("未达标", "missed"),
    }
}

pub fn status_badge(lang: Lang, s: Status) -> Markup {
    let class = if s.is_warning() {
        "badge warn"
    } else {
        "badge"
    };
    html! { span class=(class) data-status=(s.key()) { (status_label(lang, s)) } }
}

fn month_label(lang: Lang, m: u8) -> String {
    match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][usize::from(m.clamp(1, 12) - 1)]
        .to_string(),
    }
}

/// A scale from `lo` to `hi` with round steps (1, 2, 2.5 or 5 times a power of ten), about
/// four of them: returns the rounded ends and the step.
fn nice_scale(lo: f64, hi: f64) -> (f64, f64, f64) {
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let raw = span / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|k| k * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let lo = (lo / step).floor() * step;
    let mut hi = (hi / step).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    (lo, hi, step)
}

/// An SVG line chart of one indicator's year: the year-to-date value at the end of each month
/// with data (solid, with dots), the path that ends at the target (dashed), and the target
/// itself (a horizontal line). Every dot carries its value as a tooltip; the whole chart is
/// described in its `aria-label` for screen readers.
pub fn chart(lang: Lang, s: &IndicatorStatus) -> Markup {
    let (w, h) = (560.0, 230.0);
    let (left, right, top, bottom) = (52.0, 16.0, 14.0, 30.0);
    let unit = s.indicator.unit;
    let mut values: Vec<f64> = s.path.iter().chain(&s.so_far).map(|p| p.value).collect();
    values.push(s.target);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let lo = values.iter().copied().fold(f64::MAX, f64::min).min(0.0);
    let (lo, mut hi, step) = nice_scale(lo, hi);
    if unit == "%" {
        hi = hi.min(100.0).max(lo + step);
    }
    let x = |m: u8| left + (w - left - right) * (f64::from(m.clamp(1, 12)) - 1.0) / 11.0;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - lo) / (hi - lo));
    let name = lang.pick(s.indicator.name_zh, s.indicator.name_en);
    let label = match s.so_far.last() {
        Some(p) => format!(
            "{name}: {} {} {}; {} {}; {} {}",
            month_label(lang, p.month),
            lang.pick("累计", "year to date"),
            with_unit(lang, p.value, unit),
            lang.pick("路径值", "path"),
            with_unit(lang, s.expected_to_date, unit),
            lang.pick("目标", "target"),
            with_unit(lang, s.target, unit),
        ),
        None => format!(
            "{name}: {} {}",
            lang.pick("目标", "target"),
            with_unit(lang, s.target, unit)
        ),
    };
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" data-indicator=\"{}\">",
        svg_text(&label),
        svg_text(s.indicator.key)
    );
    let mut tick = lo;
    while tick <= hi + step / 1e6 {
        let yy = y(tick);
        out.push_str(&format!(
            "<line class=\"grid\" x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 6.0,
            yy + 4.0,
            svg_text(&num(tick))
        ));
        tick += step;
    }
    for m in 1..=12u8 {
        out.push_str(&format!(
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(m),
            h - 10.0,
            svg_text(&month_label(lang, m))
        ));
    }
    let ty = y(s.target);
    out.push_str(&format!(
        "<line class=\"target\" x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\"><title>{}</title></line>",
        w - right,
        svg_text(&format!(
            "{} {}",
            lang.pick("目标", "target"),
            with_unit(lang, s.target, unit)
        ))
    ));
    let line = |points: &[PathPoint]| {
        points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.month), y(p.value)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    out.push_str(&format!(
        "<polyline class=\"path\" points=\"{}\"/>",
        line(&s.path)
    ));
    if !s.so_far.is_empty() {
        out.push_str(&format!(
            "<polyline class=\"so-far\" points=\"{}\"/>",
            line(&s.so_far)
        ));
        for p in &s.so_far {
            let expected = s.path.iter().find(|q| q.month == p.month);
            out.push_str(&format!(
                "<circle class=\"so-far\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{}</title></circle>",
                x(p.month),
                y(p.value),
                svg_text(&format!(
                    "{}: {}{}",
                    month_label(lang, p.month),
                    with_unit(lang, p.value, unit),
                    expected.map_or(String::new(), |q| format!(
                        " ({} {})",
                        lang.pick("路径值", "path"),
                        with_unit(lang, q.value, unit)
                    ))
                ))
            ));
        }
    }
    out.push_str("</svg>");
    svg(out)
}

fn legend(lang: Lang) -> Markup {
    html! {
        p class="legend" {
            span class="key so-far" {} (lang.pick("年内累计值", "year to date")) " "
            span class="key path" {} (lang.pick("目标路径", "target path")) " "
            span class="key target" {} (lang.pick("年度目标", "annual target"))
        }
    }
}

fn basis_text(lang: Lang, b: &PathBasis) -> String {
    match b {
        PathBasis::Flat => lang
            .pick(
                "无往年数据：路径取目标值本身",
                "no earlier years: the path is the target itself",
            )
            .to_string(),
        PathBasis::ElapsedTime => lang
            .pick(
                "无往年数据：按已过天数分摊目标",
                "no earlier years: the target spread by elapsed days",
            )
            .to_string(),
        PathBasis::Seasonal { years } => {
            let years = years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            match lang {
                Lang::Zh => format!("按 {years} 年的季节形态"),
                Lang::En => format!("shaped by the seasons of {years}"),
            }
        }
    }
}

/// The indicators section of a region's page: a table of every target of the year with its
/// status, and a chart per indicator that has one.
pub fn region_indicators(lang: Lang, st: &RegionStatus) -> Markup {
    let t = |k| lang.t(k);
    html! {
        section aria-labelledby="ind-h" id="indicators" {
            h2 id="ind-h" { (t("ind.title")) " · " (st.year) }
            p class="muted" {
                @if st.closed { (t("ind.closed")) } @else if st.months == 0 { (t("ind.nomonths")) }
                @else { (t("ind.asof")) " " (month_label(lang, st.months)) }
            }
            @if st.indicators.is_empty() {
                p class="muted" { (t("ind.none")) }
            } @else {
                div class="table-wrap" {
                    table class="indicators" {
                        thead { tr {
                            th scope="col" { (t("ind.indicator")) }
                            th scope="col" { (t("ind.target")) }
                            th scope="col" { (t("ind.ytd")) }
                            th scope="col" { (t("ind.expected")) }
                            th scope="col" { (t("ind.projected")) }
                            th scope="col" { (t("ind.status")) }
                        } }
                        tbody {
                            @for e in &st.indicators {
                                tr data-indicator=(e.indicator.key) {
                                    th scope="row" { (lang.pick(e.indicator.name_zh, e.indicator.name_en)) }
                                    td { (with_unit(lang, e.target.value, e.unit)) }
                                    @match &e.status {
                                        Some(s) => {
                                            td { (with_unit(lang, s.ytd_value, e.unit)) " " small class="muted" { "(" (month_label(lang, s.month)) ")" } }
                                            td { (with_unit(lang, s.expected_to_date, e.unit)) }
                                            td { (with_unit(lang, s.projected_annual, e.unit)) }
                                            td { (status_badge(lang, s.status)) }
                                        }
                                        None => {
                                            td colspan="4" class="muted" { (e.unavailable.as_deref().unwrap_or("—")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @let charted: Vec<_> = st.indicators.iter().filter_map(|e| e.status.as_ref().map(|s| (e, s))).collect();
                @if !charted.is_empty() {
                    (legend(lang))
                    div class="charts" {
                        @for (e, s) in charted {
                            figure {
                                (chart(lang, s))
                                figcaption {
                                    strong { (lang.pick(e.indicator.name_zh, e.indicator.name_en)) } " " (status_badge(lang, s.status))
                                    br;
                                    small class="muted" { (lang.pick(&e.basis_zh, &e.basis_en)) (lang.pick("；", "; ")) (basis_text(lang, &s.basis)) }
                                    br;
                                    small { (lang.pick(&s.explanation_zh, &s.explanation_en)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A list of early warnings, each with the answering posts and who holds them.
pub fn warnings_list(lang: Lang, warnings: &[WarningReport], shown: usize) -> Markup {
    let t = |k| lang.t(k);
    html! {
        @if warnings.is_empty() {
            p class="muted" { (t("warn.none")) }
        } @else {
            ul class="early-warnings" {
                @for w in warnings.iter().take(shown) {
                    li class="early-warning" data-region=(w.warning.region_code) data-indicator=(w.warning.indicator.key) {
                        p {
                            (status_badge(lang, w.warning.status)) " "
                            a href=(format!("/regions/{}#indicators", w.warning.region_code)) { (w.region_name) }
                            " · " strong { (lang.pick(w.warning.indicator.name_zh, w.warning.indicator.name_en)) }
                            " · " (with_unit(lang, w.ytd_value, w.warning.indicator.unit))
                            " / " (t("ind.target")) " " (with_unit(lang, w.target, w.warning.indicator.unit))
                        }
                        p { (lang.pick(&w.warning.message_zh, &w.warning.message_en)) }
                        div class="table-wrap" {
                            table class="answering" {
                                caption { (t("warn.posts")) " · " (w.holders_on) }
                                thead { tr { th scope="col" { (t("col.role")) } th scope="col" { (t("col.post")) } th scope="col" { (t("col.holder")) } } }
                                tbody {
                                    @for p in &w.posts {
                                        tr {
                                            td { (p.role.parse::<Role>().map_or(p.role_zh, |r| lang.pick(r.name_zh(), r.name_en()))) }
                                            td {
                                                @match (p.post_id, &p.post) {
                                                    (Some(id), Some(title)) => {
                                                        a href=(format!("/posts/{id}")) { (p.organisation.as_deref().unwrap_or("")) " " (title) }
                                                        @if let Some(chief) = p.chief_id {
                                                            " · " a href=(format!("/chiefs/{chief}")) data-chief=(chief) { (lang.pick("河长页面", "chief's page")) }
                                                        }
                                                    }
                                                    _ => { span class="muted" { (t("warn.nopost")) } }
                                                }
                                            }
                                            td {
                                                @match &p.holder {
                                                    Some(h) => {
                                                        a href=(format!("/people/{}", h.person_id)) { (h.name) }
                                                        " " small class="muted" { (t("warn.since")) " " (h.since) @if h.acting { " · " (t("warn.acting")) } }
                                                    }
                                                    None => { span class="muted" { (t("post.vacant")) } }
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
            @if warnings.len() > shown {
                p class="muted" { (t("warn.more")) " " (warnings.len() - shown) }
            }
        }
    }
}

/// The warnings section for a region's subtree (or everywhere when `within` is `None`);
/// `tip` is the viewer's ledger tip (see [`AppState::early_warnings`]).
pub async fn warnings_section(
    state: &AppState,
    lang: Lang,
    within: Option<&RegionCode>,
    year: i32,
    at: NaiveDate,
    tip: i64,
    shown: usize,
) -> StoreResult<Markup> {
    let warnings = state.early_warnings(within, year, at, tip).await?;
    let t = |k| lang.t(k);
    Ok(html! {
        section aria-labelledby="warn-h" id="warnings" {
            h2 id="warn-h" { (t("warn.title")) " · " (year) " " small { (t("ind.at")) " " (at) } }
            (warnings_list(lang, &warnings, shown))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_cover_the_values() {
        // PM2.5 values up to 47: a quarter of the span, 11.75, rounds up to the round step 20.
        assert_eq!(nice_scale(0.0, 47.0), (0.0, 60.0, 20.0));
        // A good-day ratio between 0 and 86.3 % in steps of 25.
        assert_eq!(nice_scale(0.0, 86.3), (0.0, 100.0, 25.0));
        // Heavy-pollution days 0–3: steps of 1.
        assert_eq!(nice_scale(0.0, 3.0), (0.0, 3.0, 1.0));
        // Everything zero still gives a usable scale.
        assert_eq!(nice_scale(0.0, 0.0), (0.0, 0.25, 0.25));
    }

    #[test]
    fn numbers_are_written_without_trailing_zeros() {
        assert_eq!(num(45.0), "45");
        assert_eq!(num(69.10), "69.1");
        assert_eq!(num(4.8712), "4.87");
        assert_eq!(with_unit(Lang::En, 6.0, "天"), "6 days");
        assert_eq!(with_unit(Lang::Zh, 81.5, "%"), "81.5%");
    }
}
