//! `ecoduty duties`: a post's responsibility list (责任清单), and local duties regions add.

use clap::{Args, Subcommand};
use ecoduty_domain::responsibility::{DutySource, LocalDutySpec};
use ecoduty_domain::Role;
use ecoduty_store::duties::{ListFor, ResponsibilityList};

use super::{parse_day, parse_region, print_json, today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DutiesArgs {
    #[command(subcommand)]
    command: Option<DutiesCommand>,
    /// Region code, e.g. 410800.
    #[arg(long)]
    region: Option<String>,
    /// The post whose list to print (see `ecoduty who`).
    #[arg(long, conflicts_with = "role")]
    post: Option<i64>,
    /// The role whose list to print (party_secretary, government_head, …).
    #[arg(long)]
    role: Option<String>,
    /// The date (default today): the regulation in force and local duties as they stood then.
    #[arg(long)]
    at: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum DutiesCommand {
    /// Add a local duty for a role in a region (it applies to the regions under it too).
    Add {
        #[arg(long)]
        region: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        text: String,
        /// What the duty rests on (a local document, an article, a plan).
        #[arg(long)]
        basis: String,
        #[arg(long, default_value = "add a local duty")]
        reason: String,
    },
    /// Reword a local duty or its basis (a new version; the old one stays).
    Revise {
        id: i64,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        basis: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Retire a local duty.
    Retire {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

pub fn parse_role(s: &str) -> anyhow::Result<Role> {
    s.parse()
        .map_err(|e: ecoduty_regulation::roles::UnknownRole| user_error(e.to_string()))
}

/// Prints a responsibility list as readable text.
pub fn print_list(list: &ResponsibilityList) {
    let r = &list.region;
    println!(
        "【{} {}】{} {}",
        r.code,
        r.name,
        list.role.name_zh(),
        list.role.key()
    );
    if let (Some(post), Some(org)) = (&list.post, &list.organisation) {
        let holder = list
            .holder
            .as_ref()
            .map(|h| {
                format!(
                    "{}{}",
                    h.person.name,
                    if h.tenure.acting { "(代理)" } else { "" }
                )
            })
            .unwrap_or_else(|| "空缺 vacant".into());
        println!("  {} {} — {} ({})", org.name, post.title, holder, list.at);
    } else {
        println!("  {}", list.at);
    }
    match &list.regulation {
        Some(v) => println!(
            "  依据 regulation: {} (version {}, {})",
            v.title, v.id, v.label
        ),
        None => println!("  no version of the regulation was in force on {}", list.at),
    }
    for (i, d) in list.duties.iter().enumerate() {
        let tag = match &d.source {
            DutySource::Regulation { .. } => d.citation.clone(),
            DutySource::Local {
                duty_id,
                region_code,
                ..
            } => {
                format!("本地 local #{duty_id} ({region_code}; 依据 {})", d.citation)
            }
        };
        println!("  {:>2}. [{}] {}", i + 1, tag, d.text);
    }
}

pub async fn run(ctx: &Context, args: DutiesArgs) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match args.command {
        Some(DutiesCommand::Add {
            region,
            role,
            text,
            basis,
            reason,
        }) => {
            let d = store
                .add_local_duty(
                    &ctx.change(reason),
                    LocalDutySpec {
                        region_code: parse_region(&region)?,
                        role: parse_role(&role)?,
                        text,
                        basis,
                    },
                )
                .await
                .or_user("add the duty")?;
            println!(
                "已添加 added local duty {} for {} in {}",
                d.id,
                d.role.key(),
                d.region_code
            );
        }
        Some(DutiesCommand::Revise {
            id,
            text,
            basis,
            reason,
        }) => {
            if text.is_none() && basis.is_none() {
                return Err(user_error("give --text or --basis to revise"));
            }
            let d = store
                .revise_local_duty(&ctx.change(reason), id, text, basis, None)
                .await
                .or_user("revise the duty")?;
            println!("local duty {} is now at revision {}", d.id, d.rev);
        }
        Some(DutiesCommand::Retire { id, reason }) => {
            let d = store
                .revise_local_duty(&ctx.change(reason), id, None, None, Some(true))
                .await
                .or_user("retire the duty")?;
            println!("local duty {} retired (revision {})", d.id, d.rev);
        }
        None => {
            let region = args
                .region
                .ok_or_else(|| user_error("give --region CODE with --post ID or --role ROLE"))?;
            let what = match (args.post, args.role) {
                (Some(p), None) => ListFor::Post(p),
                (None, Some(r)) => ListFor::Role(parse_role(&r)?),
                _ => return Err(user_error("give --post ID or --role ROLE")),
            };
            let at = args
                .at
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or_else(today);
            let list = store
                .responsibility_list(&parse_region(&region)?, what, at)
                .await
                .or_user("list the duties")?;
            if args.json {
                return print_json(&list);
            }
            print_list(&list);
        }
    }
    Ok(())
}
