//! `ecoduty scheduler …`: one pass of the scheduler (what the server runs periodically), a
//! user's notifications, and one pass of the outbox sender against a webhook.

use chrono::{DateTime, Utc};
use clap::Subcommand;
use ecoduty_domain::access::Scope;
use ecoduty_store::supervision::outbox::OutboxConfig;
use ecoduty_store::supervision::scheduler::SchedulerConfig;
use ecoduty_store::supervision::{Clock, FixedClock, PageRequest, SystemClock};

use super::{parse_day, print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum SchedulerCommand {
    /// Run one pass: mark what is overdue, write notifications, queue them for delivery.
    /// Safe to repeat: nothing is marked or sent twice.
    RunOnce {
        /// The time to run as (RFC 3339, or a date for noon China time); default now.
        #[arg(long)]
        now: Option<String>,
        /// Days before a deadline when it is announced.
        #[arg(long, default_value_t = 7)]
        due_soon_days: u32,
        #[arg(long)]
        json: bool,
    },
    /// A user's notifications, newest first.
    Notifications {
        /// The username.
        #[arg(long)]
        user: String,
        #[arg(long)]
        unread: bool,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Post the notifications due for delivery to a webhook; failures are retried by later
    /// passes with growing delays.
    SendOutbox {
        #[arg(long)]
        webhook: String,
        #[arg(long)]
        now: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// How many notifications wait for delivery.
    Outbox {
        #[arg(long)]
        json: bool,
    },
}

/// The clock to run as: `--now` (a timestamp, or a date at noon China time) or the system's.
fn clock(now: Option<&str>) -> anyhow::Result<Box<dyn Clock>> {
    match now {
        None => Ok(Box::new(SystemClock)),
        Some(s) => match DateTime::parse_from_rfc3339(s.trim()) {
            Ok(t) => Ok(Box::new(FixedClock::new(t.with_timezone(&Utc)))),
            Err(_) => parse_day(s)
                .map(|d| Box::new(FixedClock::on(d)) as Box<dyn Clock>)
                .map_err(|_| {
                    user_error(format!(
                        "--now {s:?}: give an RFC 3339 time (2026-07-01T09:00:00+08:00) or a date"
                    ))
                }),
        },
    }
}

pub async fn run(ctx: &Context, cmd: SchedulerCommand) -> anyhow::Result<()> {
    match cmd {
        SchedulerCommand::RunOnce {
            now,
            due_soon_days,
            json,
        } => {
            let clock = clock(now.as_deref())?;
            let store = ctx.store().await?;
            let config = SchedulerConfig {
                due_soon_days,
                actor: format!("scheduler ({})", ctx.actor),
                ..SchedulerConfig::default()
            };
            let report = store
                .run_scheduler_pass(clock.as_ref(), &config)
                .await
                .or_user("run the scheduler")?;
            if json {
                return print_json(&report);
            }
            let day = report.today.map(|d| d.to_string()).unwrap_or_default();
            if report.skipped {
                println!("{day}: another process is running the scheduler; nothing done");
            } else {
                println!(
                    "{day}: 标记逾期 marked overdue {} findings, {} tasks; {} items noticed; 新通知 {} notifications written and queued",
                    report.findings_marked_overdue, report.tasks_marked_overdue, report.items_noticed, report.notifications
                );
            }
        }
        SchedulerCommand::Notifications {
            user,
            unread,
            limit,
            json,
        } => {
            let store = ctx.store().await?;
            let account = store
                .users_within(&Scope::Nationwide, &user)
                .await
                .or_user("find the user")?
                .into_iter()
                .find(|u| u.username == user)
                .ok_or_else(|| user_error(format!("no user {user}")))?;
            let page = store
                .notifications_for_user(account.id, unread, PageRequest::first(limit))
                .await
                .or_user("read the notifications")?;
            if json {
                return print_json(&page);
            }
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|n| {
                    vec![
                        n.id.to_string(),
                        n.on_day.to_string(),
                        n.notice.name_zh().to_string(),
                        format!("{} #{}", n.item_kind.name_zh(), n.item_id),
                        n.title.clone(),
                        if n.read_at.is_some() {
                            "已读"
                        } else {
                            "未读"
                        }
                        .to_string(),
                    ]
                })
                .collect();
            print_table(&["编号", "日期", "类型", "事项", "标题", "状态"], &rows);
        }
        SchedulerCommand::SendOutbox { webhook, now, json } => {
            let clock = clock(now.as_deref())?;
            let store = ctx.store().await?;
            let report = store
                .send_outbox_once(clock.as_ref(), &OutboxConfig::new(webhook))
                .await
                .or_user("send the outbox")?;
            if json {
                return print_json(&report);
            }
            println!(
                "attempted {}, delivered {}, failed {} (retried later); {} waiting",
                report.attempted, report.delivered, report.failed, report.pending
            );
        }
        SchedulerCommand::Outbox { json } => {
            let store = ctx.store().await?;
            let status = store.outbox_status().await.or_user("read the outbox")?;
            if json {
                return print_json(&status);
            }
            println!(
                "waiting {} (failing {}), delivered {}",
                status.pending, status.failing, status.delivered
            );
        }
    }
    Ok(())
}
