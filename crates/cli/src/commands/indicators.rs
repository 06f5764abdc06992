//! `ecoduty indicators catalogue|report|status`: the binding indicators, values departments
//! report by hand with their evidence, and where a region stands against its targets.

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_indicators::{IndicatorStatus, CATALOGUE};
use ecoduty_store::quality::reports::NewReport;
use ecoduty_store::quality::status::{IndicatorEntry, RegionStatus};
use ecoduty_store::quality::SourceFile;

use super::{parse_day, parse_region, print_json, print_table, today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum IndicatorsCommand {
    /// The binding indicators: keys, names, units, and whether computed or reported.
    Catalogue {
        #[arg(long)]
        json: bool,
    },
    /// Report a value of a hand-reported indicator with its evidence. Reporting again for the
    /// same region, indicator, year and month records a correction (a new version).
    Report {
        #[arg(long)]
        region: String,
        /// Catalogue key (forest_cover …) or Chinese name.
        #[arg(long)]
        indicator: String,
        #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2100))]
        year: i32,
        /// The month whose year-to-date value this is; omit for the annual value.
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=12))]
        month: Option<u8>,
        #[arg(long, allow_hyphen_values = true)]
        value: f64,
        /// What the value rests on: document, number, source.
        #[arg(long)]
        evidence: String,
        /// A file kept as evidence: its name and SHA-256 are recorded.
        #[arg(long)]
        evidence_file: Option<PathBuf>,
        /// Who reports the value (a department or person); default: the acting user.
        #[arg(long)]
        reporter: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Each target of a region for a year: year-to-date value, path, status and explanation.
    Status {
        #[arg(long)]
        region: String,
        #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2100))]
        year: i32,
        /// The day to take stock on (default today): values at the end of each whole month
        /// before it.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Context, cmd: IndicatorsCommand) -> anyhow::Result<()> {
    match cmd {
        IndicatorsCommand::Catalogue { json } => {
            if json {
                let list: Vec<_> = CATALOGUE
                    .iter()
                    .map(|i| {
                        serde_json::json!({
                            "key": i.key, "name_zh": i.name_zh, "name_en": i.name_en,
                            "unit": i.unit, "direction": i.direction,
                            "accumulation": i.accumulation, "source": i.source,
                            "min": i.min, "max": i.max,
                        })
                    })
                    .collect();
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = CATALOGUE
                .iter()
                .map(|i| {
                    vec![
                        i.key.to_string(),
                        i.name_zh.to_string(),
                        i.unit.to_string(),
                        if i.is_computed() {
                            "监测数据计算".to_string()
                        } else {
                            "部门上报".to_string()
                        },
                    ]
                })
                .collect();
            print_table(&["key", "指标", "单位", "来源"], &rows);
        }
        IndicatorsCommand::Report {
            region,
            indicator,
            year,
            month,
            value,
            evidence,
            evidence_file,
            reporter,
            json,
        } => {
            let code = parse_region(&region)?;
            let evidence_file = evidence_file
                .map(|path| {
                    let bytes = std::fs::read(&path)
                        .map_err(|e| user_error(format!("cannot read {}: {e}", path.display())))?;
                    let name = path
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string());
                    Ok::<_, anyhow::Error>(SourceFile::of(name, &bytes))
                })
                .transpose()?;
            let store = ctx.store().await?;
            let when = match month {
                Some(m) => format!("{year} 年 {m} 月"),
                None => format!("{year} 年"),
            };
            let record = store
                .report_indicator(
                    &ctx.change(format!("上报 {code} {when}「{indicator}」")),
                    NewReport {
                        region_code: code,
                        indicator,
                        year,
                        month,
                        value,
                        evidence,
                        evidence_file,
                        reporter: reporter.unwrap_or_else(|| ctx.actor.clone()),
                    },
                )
                .await
                .or_user("report the value")?;
            if json {
                return print_json(&record);
            }
            println!(
                "已记录 recorded report {} (version {}): {} {} {} = {}",
                record.id, record.rev, record.region_code, when, record.indicator, record.value
            );
            println!("  证据 evidence: {}", record.evidence);
            if let Some(f) = &record.evidence_file {
                println!("  附件 file: {} (sha256 {})", f.name, f.sha256);
            }
        }
        IndicatorsCommand::Status {
            region,
            year,
            at,
            json,
        } => {
            let code = parse_region(&region)?;
            let at = match at {
                Some(s) => parse_day(&s)?,
                None => today(),
            };
            let store = ctx.store().await?;
            let status = store
                .indicator_status(&code, year, at)
                .await
                .or_user("work out the status")?;
            if json {
                return print_json(&status);
            }
            print_status(&status);
        }
    }
    Ok(())
}

/// A value as shown: whole numbers without decimals, others with one.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn with_unit(v: f64, unit: &str) -> String {
    format!("{} {unit}", num(v)).trim_end().to_string()
}

fn status_row(e: &IndicatorEntry) -> Vec<String> {
    let target = with_unit(e.target.value, e.unit);
    match &e.status {
        Some(s) => vec![
            e.name_zh.to_string(),
            target,
            format!("{}（{} 月）", with_unit(s.ytd_value, e.unit), s.month),
            with_unit(s.expected_to_date, e.unit),
            with_unit(s.projected_annual, e.unit),
            s.status.label_zh().to_string(),
        ],
        None => vec![
            e.name_zh.to_string(),
            target,
            "—".into(),
            "—".into(),
            "—".into(),
            "无法判定".into(),
        ],
    }
}

fn path_line(s: &IndicatorStatus, unit: &str) -> String {
    let so_far: Vec<String> = s
        .so_far
        .iter()
        .map(|p| format!("{}月 {}", p.month, num(p.value)))
        .collect();
    let path: Vec<String> = s
        .path
        .iter()
        .map(|p| format!("{}月 {}", p.month, num(p.value)))
        .collect();
    format!(
        "    累计值 so far: {}\n    路径 path ({unit}): {}",
        if so_far.is_empty() {
            "—".to_string()
        } else {
            so_far.join("，")
        },
        path.join("，")
    )
}

fn print_status(st: &RegionStatus) {
    println!(
        "{}（{}）{} 年约束性指标 — 截至 {}{}",
        st.region.name,
        st.region.code,
        st.year,
        st.at,
        if st.closed {
            "，年度已结束".to_string()
        } else {
            format!("，已过完整月份 {} 个", st.months)
        }
    );
    if st.indicators.is_empty() {
        println!("没有目标 no targets for {} in {}", st.region.code, st.year);
        return;
    }
    println!();
    let rows: Vec<Vec<String>> = st.indicators.iter().map(status_row).collect();
    print_table(
        &["指标", "目标", "累计值", "路径值", "预计全年", "状态"],
        &rows,
    );
    for e in &st.indicators {
        println!(
            "\n{}（{}，目标记录 {}）",
            e.name_zh, e.indicator.key, e.target.id
        );
        match &e.status {
            Some(s) => {
                println!("{}", path_line(s, e.unit));
                println!("    说明：{}", s.explanation_zh);
            }
            None => println!(
                "    无法判定：{}",
                e.unavailable.as_deref().unwrap_or_default()
            ),
        }
        println!("    数据：{}", e.basis_zh);
    }
}
