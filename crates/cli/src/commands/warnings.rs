//! `ecoduty warnings`: early warnings on binding indicators, each with the posts that answer for
//! it and the people who hold them today.

use chrono::Datelike;
use clap::Args;
use ecoduty_store::quality::status::WarningReport;

use super::indicators::num;
use super::{parse_day, parse_region, print_json, today, Context, StoreResultExt};

#[derive(Args)]
pub struct WarningsArgs {
    /// Only this region and the regions under it.
    #[arg(long)]
    region: Option<String>,
    /// The year of the targets (default: the year of --at).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2100))]
    year: Option<i32>,
    /// The day to take stock on (default today).
    #[arg(long)]
    at: Option<String>,
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: WarningsArgs) -> anyhow::Result<()> {
    let within = args.region.as_deref().map(parse_region).transpose()?;
    let now = today();
    let at = match &args.at {
        Some(s) => parse_day(s)?,
        None => now,
    };
    let year = args.year.unwrap_or(at.year());
    let store = ctx.store().await?;
    if let Some(code) = &within {
        store.require_region(code).await.or_user("list warnings")?;
    }
    let warnings = store
        .early_warnings(within.as_ref(), year, at, now)
        .await
        .or_user("work out the warnings")?;
    if args.json {
        return print_json(&warnings);
    }
    if warnings.is_empty() {
        println!(
            "没有预警 no early warnings for {year} on {at}{}",
            within.as_ref().map_or(String::new(), |c| format!(
                " in {c} and the regions under it"
            ))
        );
        return Ok(());
    }
    println!("{year} 年约束性指标预警（截至 {at}；责任人为 {now} 在任者）");
    for w in &warnings {
        print_warning(w);
    }
    Ok(())
}

fn print_warning(w: &WarningReport) {
    let i = w.warning.indicator;
    println!(
        "\n[{}] {}（{}）「{}」 累计值 {} {} / 目标 {} {}（{} 月）",
        w.warning.status.label_zh(),
        w.region_name,
        w.warning.region_code,
        i.name_zh,
        num(w.ytd_value),
        i.unit,
        num(w.target),
        i.unit,
        w.month
    );
    println!("  {}", w.warning.message_zh);
    println!("  责任岗位：");
    for p in &w.posts {
        let post = match (&p.organisation, &p.post) {
            (Some(o), Some(t)) => format!("{o} {t}"),
            _ => "（本区域没有登记此岗位）".to_string(),
        };
        let holder = match &p.holder {
            Some(h) => format!(
                "{}（{} 起{}）",
                h.name,
                h.since,
                if h.acting { "，代理" } else { "" }
            ),
            None if p.post.is_some() => "空缺".to_string(),
            None => "—".to_string(),
        };
        println!("    {} — {post} — {holder}", p.role_zh);
    }
}
