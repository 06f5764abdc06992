//! `ecoduty checks …`: Art. 15 (第十五条) — plan a check (refused with the reason when it
//! breaks a limit; `--override --justification … --user ADMIN` to register it anyway), list
//! the register, record a check done or cancelled, merge suggestions, the burden report, and
//! the limits themselves.

use clap::Subcommand;
use ecoduty_domain::supervision::checks::{CheckKind, CheckStatus, Limit};
use ecoduty_domain::RegionLevel;
use ecoduty_store::supervision::checks::{CheckFilter, CheckOverride, NewCheck};
use ecoduty_store::supervision::PageRequest;

use super::findings::keyed;
use super::{parse_day, parse_region, print_json, print_table, today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum ChecksCommand {
    /// Plan a check: by which body, on which unit, of what kind, on which day.
    Plan {
        /// The checking body (organisation id).
        #[arg(long)]
        by: i64,
        /// The unit checked (organisation id).
        #[arg(long)]
        unit: i64,
        /// inspection, assessment, survey, audit, other (督查检查, 考核评价, 调研 …).
        #[arg(long, default_value = "inspection")]
        kind: String,
        #[arg(long)]
        date: String,
        /// What the check is about.
        #[arg(long)]
        subject: String,
        /// Register it despite the limits (needs --justification and an administrator).
        #[arg(long = "override", requires = "justification")]
        force: bool,
        /// Why the check cannot wait or be merged (at least 8 characters).
        #[arg(long)]
        justification: Option<String>,
        /// The user who overrides (default: the actor); their role must allow it.
        #[arg(long)]
        user: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The register, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Record that a planned check took place.
    Done { id: i64 },
    /// Cancel a planned check.
    Cancel { id: i64 },
    /// Pairs of checks of one unit close enough to merge into one visit.
    Merges {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// How many checks each unit received, and from whom.
    Burden {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Show the limits, or set one level's (--level with --per-year and --min-days) or the
    /// merge window (--merge-window).
    Limits {
        /// province, prefecture, county or township: the level of the checking body.
        #[arg(long, requires_all = ["per_year", "min_days"])]
        level: Option<String>,
        #[arg(long)]
        per_year: Option<u32>,
        #[arg(long)]
        min_days: Option<u32>,
        #[arg(long)]
        merge_window: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

fn year_or_this(year: Option<i32>) -> i32 {
    use chrono::Datelike;
    year.unwrap_or_else(|| today().year())
}

pub async fn run(ctx: &Context, cmd: ChecksCommand) -> anyhow::Result<()> {
    match cmd {
        ChecksCommand::Plan {
            by,
            unit,
            kind,
            date,
            subject,
            force,
            justification,
            user,
            json,
        } => {
            let new = NewCheck {
                by_organisation_id: by,
                on_organisation_id: unit,
                kind: keyed::<CheckKind>(&kind)?,
                subject,
                date: parse_day(&date)?,
            };
            let overridden = force.then(|| CheckOverride {
                username: user.clone().unwrap_or_else(|| ctx.actor.clone()),
                justification: justification.clone().unwrap_or_default(),
            });
            let store = ctx.store().await?;
            let reason = match &overridden {
                Some(o) => format!("超限登记监督检查:{}", o.justification),
                None => "登记监督检查计划".to_string(),
            };
            let planned = store
                .plan_check(&ctx.change(reason), new, overridden)
                .await
                .or_user("plan the check")?;
            if json {
                return print_json(&planned);
            }
            let c = &planned.check;
            println!(
                "已登记 check #{} on {} ({}, {})",
                c.id,
                c.date,
                c.kind.name_zh(),
                c.by_level.name_zh()
            );
            if let Some(by) = &c.override_by {
                println!(
                    "  超限登记 overridden by {by}:{}",
                    c.override_justification.as_deref().unwrap_or("")
                );
                for v in &c.violations {
                    println!("  - {}", v.reason_zh());
                }
            }
            for m in &planned.merge_with {
                println!(
                    "  建议合并 merge with check #{} on {} ({} days apart)",
                    m.id,
                    m.date,
                    (m.date - c.date).num_days().abs()
                );
            }
        }
        ChecksCommand::List { region, year, json } => {
            let filter = CheckFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                year,
                ..Default::default()
            };
            let store = ctx.store().await?;
            let page = store
                .checks_page(&filter, PageRequest::first(PageRequest::MAX_LIMIT))
                .await
                .or_user("list checks")?;
            if json {
                return print_json(&page);
            }
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.date.to_string(),
                        c.by_organisation_id.to_string(),
                        c.on_organisation_id.to_string(),
                        c.kind.name_zh().to_string(),
                        c.status.name_zh().to_string(),
                        c.override_by
                            .clone()
                            .map(|u| format!("超限:{u}"))
                            .unwrap_or_default(),
                        c.subject.clone(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "编号",
                    "日期",
                    "检查机关",
                    "被检查单位",
                    "类型",
                    "状态",
                    "超限",
                    "事项",
                ],
                &rows,
            );
        }
        ChecksCommand::Done { id } | ChecksCommand::Cancel { id } => {
            let (status, what) = match cmd {
                ChecksCommand::Done { .. } => (CheckStatus::Done, "已开展"),
                _ => (CheckStatus::Cancelled, "已取消"),
            };
            let store = ctx.store().await?;
            let c = store
                .set_check_status(&ctx.change(format!("监督检查 #{id} {what}")), id, status)
                .await
                .or_user("record the check")?;
            println!("check #{} {}", c.id, c.status.name_zh());
        }
        ChecksCommand::Merges { region, year, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let merges = store
                .check_merge_suggestions(within.as_ref(), year_or_this(year))
                .await
                .or_user("read the register")?;
            if json {
                return print_json(&merges);
            }
            let rows: Vec<Vec<String>> = merges
                .iter()
                .map(|m| {
                    vec![
                        m.unit.name.clone(),
                        format!("#{} {}", m.first.id, m.first.date),
                        format!("#{} {}", m.second.id, m.second.date),
                        m.days_apart.to_string(),
                    ]
                })
                .collect();
            print_table(&["被检查单位", "检查", "检查", "相隔天数"], &rows);
        }
        ChecksCommand::Burden { region, year, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let burden = store
                .check_burden(within.as_ref(), year_or_this(year))
                .await
                .or_user("read the register")?;
            if json {
                return print_json(&burden);
            }
            let rows: Vec<Vec<String>> = burden
                .iter()
                .map(|b| {
                    vec![
                        b.unit.name.clone(),
                        b.unit.region_code.to_string(),
                        b.total.to_string(),
                        b.done.to_string(),
                        b.by_body
                            .iter()
                            .map(|(o, n)| format!("{} {n}", o.name))
                            .collect::<Vec<_>>()
                            .join("、"),
                    ]
                })
                .collect();
            print_table(&["被检查单位", "区划", "检查次数", "已开展", "来自"], &rows);
        }
        ChecksCommand::Limits {
            level,
            per_year,
            min_days,
            merge_window,
            json,
        } => {
            let store = ctx.store().await?;
            let mut limits = store.check_rules().await.or_user("read the limits")?;
            if level.is_some() || merge_window.is_some() {
                if let (Some(level), Some(max_per_year), Some(min_days_between)) =
                    (level, per_year, min_days)
                {
                    let level = RegionLevel::from_key(level.trim()).ok_or_else(|| {
                        user_error(format!(
                            "{level:?}: a level is province, prefecture, county or township"
                        ))
                    })?;
                    limits.by_level.insert(
                        level,
                        Limit {
                            max_per_year,
                            min_days_between,
                        },
                    );
                }
                if let Some(w) = merge_window {
                    limits.merge_window_days = w;
                }
                limits = store
                    .set_check_rules(&ctx.change("设定监督检查限额"), limits)
                    .await
                    .or_user("set the limits")?;
            }
            if json {
                return print_json(&limits);
            }
            let rows: Vec<Vec<String>> = limits
                .by_level
                .iter()
                .map(|(l, x)| {
                    vec![
                        l.name_zh().to_string(),
                        x.max_per_year.to_string(),
                        x.min_days_between.to_string(),
                    ]
                })
                .collect();
            print_table(
                &["检查机关层级", "每年每单位次数上限", "两次检查最少间隔(天)"],
                &rows,
            );
            println!("合并建议窗口 merge window: {} 天", limits.merge_window_days);
        }
    }
    Ok(())
}
