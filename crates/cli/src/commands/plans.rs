//! `ecoduty plans …`: annual key work plans (年度重点工作计划) and their tasks, progress
//! reports with evidence, and dispatch rounds (调度): open one, see who reported, who is late
//! and who never did.

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_domain::supervision::tasks::{Basis, Milestone, TaskStatus, UnitReport};
use ecoduty_store::supervision::plans::{
    NewPlan, NewProgress, NewRound, NewTask, PlanFilter, TaskFilter,
};
use ecoduty_store::supervision::PageRequest;

use super::findings::{day_or_today, keyed, upload_evidence};
use super::{parse_day, parse_region, print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum PlansCommand {
    /// Create a region's annual key work plan (one per region and year).
    Create {
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        title: String,
    },
    /// Plans within a region's subtree, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Add a task to a plan.
    AddTask {
        plan: i64,
        #[arg(long)]
        title: String,
        /// 第八条第二项, 指标:KEY, 问题:ID, or a document in words.
        #[arg(long)]
        basis: String,
        /// The lead unit (organisation id).
        #[arg(long)]
        lead: i64,
        /// The responsible post (post id) of the lead unit.
        #[arg(long)]
        post: Option<i64>,
        /// A co-operating unit (organisation id); repeat for more.
        #[arg(long = "co")]
        cooperating: Vec<i64>,
        #[arg(long)]
        deadline: String,
        /// DATE:TITLE, e.g. 2026-06-30:完成过半; repeat for more.
        #[arg(long = "milestone")]
        milestones: Vec<String>,
    },
    /// Tasks within a region's subtree, newest first.
    Tasks {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        plan: Option<i64>,
        /// not_started, in_progress, completed, cancelled.
        #[arg(long)]
        status: Option<String>,
        /// Only open tasks marked overdue.
        #[arg(long)]
        overdue: bool,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        before: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Report progress on a task (进展报送), with evidence files.
    Report {
        task: i64,
        #[arg(long)]
        text: String,
        /// Percentage done (100 completes the task).
        #[arg(long)]
        percent: u8,
        /// The reporting unit (default: the lead unit).
        #[arg(long)]
        unit: Option<i64>,
        /// The dispatch round the report answers.
        #[arg(long)]
        round: Option<i64>,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        evidence: Vec<PathBuf>,
    },
    /// The progress reports of a task.
    Reports {
        task: i64,
        #[arg(long)]
        json: bool,
    },
    /// Open a dispatch round (调度): every unit with open tasks in the region reports by a date.
    Dispatch {
        #[arg(long)]
        region: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        due: String,
        /// Only tasks of plans of this year.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        on: Option<String>,
    },
    /// A dispatch round: who reported, who is late, who never did (as of --on, default today).
    Round {
        id: i64,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Close a dispatch round.
    CloseRound { id: i64 },
}

pub async fn run(ctx: &Context, cmd: PlansCommand) -> anyhow::Result<()> {
    match cmd {
        PlansCommand::Create {
            region,
            year,
            title,
        } => {
            let region_code = parse_region(&region)?;
            let store = ctx.store().await?;
            let plan = store
                .create_plan(
                    &ctx.change(format!("印发年度重点工作计划:{title}")),
                    NewPlan {
                        region_code,
                        year,
                        title,
                    },
                )
                .await
                .or_user("create the plan")?;
            println!(
                "已创建 plan #{} {} {} {}",
                plan.id, plan.region_code, plan.year, plan.title
            );
        }
        PlansCommand::List { region, year, json } => {
            let filter = PlanFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                year,
            };
            let store = ctx.store().await?;
            let page = store
                .plans_page(&filter, PageRequest::first(PageRequest::MAX_LIMIT))
                .await
                .or_user("list plans")?;
            if json {
                return print_json(&page);
            }
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|p| {
                    vec![
                        p.id.to_string(),
                        p.region_code.to_string(),
                        p.year.to_string(),
                        p.title.clone(),
                    ]
                })
                .collect();
            print_table(&["编号", "区划", "年度", "计划"], &rows);
        }
        PlansCommand::AddTask {
            plan,
            title,
            basis,
            lead,
            post,
            cooperating,
            deadline,
            milestones,
        } => {
            let new = NewTask {
                plan_id: plan,
                title,
                basis: Basis::parse(&basis).map_err(user_error)?,
                lead_organisation_id: lead,
                responsible_post_id: post,
                cooperating,
                deadline: parse_day(&deadline)?,
                milestones: milestones
                    .iter()
                    .map(|m| Milestone::parse(m))
                    .collect::<Result<_, _>>()
                    .map_err(user_error)?,
            };
            let store = ctx.store().await?;
            let task = store
                .add_task(&ctx.change(format!("分解重点任务:{}", new.title)), new)
                .await
                .or_user("add the task")?;
            println!(
                "已添加 task #{} [{}] 依据 {} 完成时限 {}",
                task.id,
                task.region_code,
                task.basis.display(),
                task.deadline
            );
        }
        PlansCommand::Tasks {
            region,
            plan,
            status,
            overdue,
            limit,
            before,
            json,
        } => {
            let filter = TaskFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                plan_id: plan,
                status: status.as_deref().map(keyed::<TaskStatus>).transpose()?,
                lead_organisation_id: None,
                overdue,
            };
            let store = ctx.store().await?;
            let page = store
                .tasks_page(&filter, PageRequest { before, limit })
                .await
                .or_user("list tasks")?;
            if json {
                return print_json(&page);
            }
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        t.region_code.to_string(),
                        t.title.clone(),
                        t.basis.display(),
                        t.lead_organisation_id.to_string(),
                        t.deadline.to_string(),
                        format!("{} {}%", t.status.name_zh(), t.percent),
                        t.overdue_since
                            .map(|d| format!("{d} 起逾期"))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "编号",
                    "区划",
                    "任务",
                    "依据",
                    "牵头单位",
                    "完成时限",
                    "进度",
                    "逾期",
                ],
                &rows,
            );
            if let Some(next) = page.next_before {
                println!("(更多 more: --before {next})");
            }
        }
        PlansCommand::Report {
            task,
            text,
            percent,
            unit,
            round,
            on,
            evidence,
        } => {
            let reported_on = day_or_today(on.as_deref())?;
            let store = ctx.store().await?;
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            let (report, task) = store
                .report_progress(
                    &ctx.change(format!("报送任务 #{task} 进展")),
                    NewProgress {
                        task_id: task,
                        organisation_id: unit,
                        round_id: round,
                        reported_on,
                        text,
                        percent,
                        evidence,
                    },
                )
                .await
                .or_user("report progress")?;
            println!(
                "已报送 report #{} on task #{}: {} {}%",
                report.id,
                task.id,
                task.status.name_zh(),
                task.percent
            );
        }
        PlansCommand::Reports { task, json } => {
            let store = ctx.store().await?;
            let reports = store
                .progress_reports(task)
                .await
                .or_user("read the reports")?;
            if json {
                return print_json(&reports);
            }
            let rows: Vec<Vec<String>> = reports
                .iter()
                .map(|r| {
                    vec![
                        r.reported_on.to_string(),
                        r.organisation_id.to_string(),
                        r.reporter.clone(),
                        format!("{}%", r.percent),
                        r.round_id.map(|x| x.to_string()).unwrap_or_default(),
                        r.text.clone(),
                        r.evidence
                            .iter()
                            .map(|e| e.name.clone())
                            .collect::<Vec<_>>()
                            .join("、"),
                    ]
                })
                .collect();
            print_table(
                &["日期", "单位", "报送人", "进度", "调度", "进展", "佐证"],
                &rows,
            );
        }
        PlansCommand::Dispatch {
            region,
            title,
            due,
            year,
            on,
        } => {
            let new = NewRound {
                region_code: parse_region(&region)?,
                title,
                opened_on: day_or_today(on.as_deref())?,
                due_date: parse_day(&due)?,
                year,
            };
            let store = ctx.store().await?;
            let round = store
                .open_dispatch_round(&ctx.change(format!("开展调度:{}", new.title)), new)
                .await
                .or_user("open the round")?;
            let mut units: Vec<i64> = round.expected.iter().map(|e| e.organisation_id).collect();
            units.dedup();
            println!(
                "已开展调度 round #{}: {} tasks of {} units to report by {}",
                round.id,
                round.expected.len(),
                units.len(),
                round.due_date
            );
        }
        PlansCommand::Round { id, on, json } => {
            let on = day_or_today(on.as_deref())?;
            let store = ctx.store().await?;
            let status = store
                .dispatch_round_status(id, on)
                .await
                .or_user("read the round")?;
            if json {
                return print_json(&status);
            }
            println!(
                "调度 #{} {}(报送期限 {},截至 {}):已按时 {},逾期 {},未报送 {},待报送 {}",
                status.round.id,
                status.round.title,
                status.round.due_date,
                on,
                status.count(UnitReport::Reported),
                status.count(UnitReport::Late),
                status.count(UnitReport::Missing),
                status.count(UnitReport::Pending)
            );
            let rows: Vec<Vec<String>> = status
                .units
                .iter()
                .map(|u| {
                    vec![
                        u.organisation_name.clone(),
                        u.region_code.to_string(),
                        format!(
                            "{}/{}",
                            u.tasks
                                .iter()
                                .filter(|t| u.reports.iter().any(|(r, _)| r == *t))
                                .count(),
                            u.tasks.len()
                        ),
                        u.reports
                            .iter()
                            .map(|(_, d)| *d)
                            .max()
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        u.status.name_zh().to_string(),
                    ]
                })
                .collect();
            print_table(&["单位", "区划", "已报任务", "最近报送", "状态"], &rows);
        }
        PlansCommand::CloseRound { id } => {
            let store = ctx.store().await?;
            let round = store
                .close_dispatch_round(&ctx.change(format!("结束调度 #{id}")), id)
                .await
                .or_user("close the round")?;
            println!("已结束调度 round #{} {}", round.id, round.title);
        }
    }
    Ok(())
}
