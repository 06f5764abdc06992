//! `ecoduty complaints …`: public complaints (信访/举报) — file one (and get its tracking
//! code), follow it by that code, list, assign to the responsible unit, answer, promote to a
//! finding, and the statistics by region and category.

use clap::Subcommand;
use ecoduty_domain::supervision::complaints::{Channel, ComplaintStatus};
use ecoduty_domain::supervision::{Category, Severity};
use ecoduty_store::supervision::complaints::{ComplaintFilter, NewComplaint, Promotion};
use ecoduty_store::supervision::PageRequest;

use super::findings::{day_or_today, keyed};
use super::{parse_day, parse_region, print_json, print_table, today, Context, StoreResultExt};

#[derive(Subcommand)]
pub enum ComplaintsCommand {
    /// File a complaint; prints the tracking code to give the complainant (shown once).
    File {
        #[arg(long)]
        region: String,
        #[arg(long, default_value = "")]
        address: String,
        /// air, water, soil, ecology, solid_waste, noise, other (or 大气, 水 …).
        #[arg(long)]
        category: String,
        #[arg(long)]
        text: String,
        /// How to reach the complainant (kept out of the ledger).
        #[arg(long)]
        contact: Option<String>,
        /// web, phone, letter or visit (网上, 电话, 来信, 来访).
        #[arg(long, default_value = "web")]
        channel: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Follow a complaint by its tracking code, as the complainant sees it.
    Track {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Complaints within a region's subtree, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        /// received, assigned, answered.
        #[arg(long)]
        status: Option<String>,
        /// Only those unanswered past their deadline today.
        #[arg(long)]
        overdue: bool,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        before: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Assign (转办) a complaint to the responsible unit, to answer by --due (default: 60 days
    /// after it was received).
    Assign {
        id: i64,
        #[arg(long)]
        unit: i64,
        #[arg(long)]
        due: Option<String>,
    },
    /// Record the answer.
    Answer {
        id: i64,
        #[arg(long)]
        text: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// Take the complaint up as a finding (source: complaint).
    Promote {
        id: i64,
        /// A responsible unit (organisation id); repeat for more.
        #[arg(long = "unit", required = true)]
        units: Vec<i64>,
        #[arg(long = "post")]
        posts: Vec<i64>,
        #[arg(long)]
        deadline: String,
        #[arg(long, default_value = "general")]
        severity: String,
        #[arg(long, default_value = "")]
        measures: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// Complaints by region and category: received, answered, overdue, promoted.
    Stats {
        #[arg(long)]
        region: Option<String>,
        /// Received from (default: 1 January this year).
        #[arg(long)]
        from: Option<String>,
        /// Received until (default: today).
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Context, cmd: ComplaintsCommand) -> anyhow::Result<()> {
    match cmd {
        ComplaintsCommand::File {
            region,
            address,
            category,
            text,
            contact,
            channel,
            on,
            json,
        } => {
            let new = NewComplaint {
                region_code: parse_region(&region)?,
                address,
                category: keyed::<Category>(&category)?,
                channel: keyed::<Channel>(&channel)?,
                text,
                contact,
                received_on: day_or_today(on.as_deref())?,
            };
            let store = ctx.store().await?;
            let filed = store
                .file_complaint(&ctx.change("受理信访举报"), new)
                .await
                .or_user("file the complaint")?;
            if json {
                return print_json(&filed);
            }
            println!("已受理 complaint #{}", filed.complaint.id);
            println!("查询码 tracking code: {}", filed.tracking_code);
        }
        ComplaintsCommand::Track { code, json } => {
            let store = ctx.store().await?;
            let Some(t) = store
                .complaint_by_tracking_code(&code)
                .await
                .or_user("look the complaint up")?
            else {
                return Err(crate::exit::user_error(
                    "查询码不存在 no complaint has this tracking code",
                ));
            };
            if json {
                return print_json(&t);
            }
            println!(
                "受理日期 {}  类别 {}  状态 {}",
                t.received_on,
                t.category.name_zh(),
                t.status.name_zh()
            );
            if let Some(due) = t.answer_due {
                println!("答复期限 {due}");
            }
            if t.promoted {
                println!("已列入整改问题督办");
            }
            if let (Some(answer), Some(on)) = (&t.answer, t.answered_on) {
                println!("答复({on}):{answer}");
            }
        }
        ComplaintsCommand::List {
            region,
            status,
            overdue,
            limit,
            before,
            json,
        } => {
            let filter = ComplaintFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                status: status
                    .as_deref()
                    .map(keyed::<ComplaintStatus>)
                    .transpose()?,
                category: None,
                overdue_on: overdue.then(today),
            };
            let store = ctx.store().await?;
            let page = store
                .complaints_page(&filter, PageRequest { before, limit })
                .await
                .or_user("list complaints")?;
            if json {
                return print_json(&page);
            }
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.received_on.to_string(),
                        c.region_code.to_string(),
                        c.category.name_zh().to_string(),
                        c.status.name_zh().to_string(),
                        c.answer_due.map(|d| d.to_string()).unwrap_or_default(),
                        c.finding_id
                            .map(|f| format!("问题 #{f}"))
                            .unwrap_or_default(),
                        c.text.chars().take(30).collect(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "编号",
                    "受理",
                    "区划",
                    "类别",
                    "状态",
                    "答复期限",
                    "转督办",
                    "内容",
                ],
                &rows,
            );
        }
        ComplaintsCommand::Assign { id, unit, due } => {
            let due = due.as_deref().map(parse_day).transpose()?;
            let store = ctx.store().await?;
            let c = store
                .assign_complaint(&ctx.change(format!("转办信访件 #{id}")), id, unit, due)
                .await
                .or_user("assign the complaint")?;
            println!(
                "已转办 complaint #{} to unit {}, answer due {}",
                c.id,
                unit,
                c.answer_due.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        ComplaintsCommand::Answer { id, text, on } => {
            let on = day_or_today(on.as_deref())?;
            let store = ctx.store().await?;
            let c = store
                .answer_complaint(&ctx.change(format!("答复信访件 #{id}")), id, &text, on)
                .await
                .or_user("answer the complaint")?;
            println!("已答复 complaint #{} on {on}", c.id);
        }
        ComplaintsCommand::Promote {
            id,
            units,
            posts,
            deadline,
            severity,
            measures,
            on,
        } => {
            let promotion = Promotion {
                severity: keyed::<Severity>(&severity)?,
                units,
                posts,
                deadline: parse_day(&deadline)?,
                measures,
            };
            let on = day_or_today(on.as_deref())?;
            let store = ctx.store().await?;
            let (_, finding) = store
                .promote_complaint(
                    &ctx.change(format!("信访件 #{id} 转为督办问题")),
                    id,
                    promotion,
                    on,
                )
                .await
                .or_user("promote the complaint")?;
            println!(
                "complaint #{id} → finding #{} ({})",
                finding.id,
                finding.status.name_zh()
            );
        }
        ComplaintsCommand::Stats {
            region,
            from,
            to,
            json,
        } => {
            use chrono::Datelike;
            let within = region.as_deref().map(parse_region).transpose()?;
            let today = today();
            let from = match from {
                Some(f) => parse_day(&f)?,
                None => chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January"),
            };
            let to = to.as_deref().map(parse_day).transpose()?.unwrap_or(today);
            let store = ctx.store().await?;
            let stats = store
                .complaint_statistics(within.as_ref(), from, to, today)
                .await
                .or_user("count complaints")?;
            if json {
                return print_json(&stats);
            }
            let rows: Vec<Vec<String>> = stats
                .iter()
                .map(|s| {
                    vec![
                        s.region_code.to_string(),
                        s.category.name_zh().to_string(),
                        s.total.to_string(),
                        s.answered.to_string(),
                        s.overdue.to_string(),
                        s.promoted.to_string(),
                    ]
                })
                .collect();
            print_table(
                &["区划", "类别", "受理", "已答复", "逾期未答复", "转督办"],
                &rows,
            );
        }
    }
    Ok(())
}
