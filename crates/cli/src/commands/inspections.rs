//! `ecoduty inspections …`: inspections (督察) — create, list, show with their findings.

use clap::Subcommand;
use ecoduty_domain::supervision::{InspectionKind, InspectionLevel};
use ecoduty_store::supervision::findings::FindingFilter;
use ecoduty_store::supervision::inspections::{InspectionFilter, NewInspection};
use ecoduty_store::supervision::PageRequest;

use super::findings::keyed;
use super::{parse_day, parse_region, print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum InspectionsCommand {
    /// Record an inspection.
    Create {
        /// central, provincial or municipal (中央, 省级, 市级).
        #[arg(long)]
        level: String,
        /// routine, special or follow_up (例行督察, 专项督察, 回头看).
        #[arg(long)]
        kind: String,
        #[arg(long)]
        title: String,
        /// The regions inspected, comma-separated codes.
        #[arg(long)]
        regions: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// The team: leader and members.
        #[arg(long, default_value = "")]
        team: String,
    },
    /// Inspections that covered a region (or a region above it), newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One inspection and the findings it gave.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Context, cmd: InspectionsCommand) -> anyhow::Result<()> {
    match cmd {
        InspectionsCommand::Create {
            level,
            kind,
            title,
            regions,
            from,
            to,
            team,
        } => {
            let new = NewInspection {
                level: keyed::<InspectionLevel>(&level)?,
                kind: keyed::<InspectionKind>(&kind)?,
                title,
                regions: regions
                    .split([',', '、'])
                    .filter(|s| !s.trim().is_empty())
                    .map(parse_region)
                    .collect::<anyhow::Result<_>>()?,
                start_date: parse_day(&from)?,
                end_date: parse_day(&to)?,
                team,
            };
            let store = ctx.store().await?;
            let i = store
                .create_inspection(&ctx.change(format!("督察进驻:{}", new.title)), new)
                .await
                .or_user("record the inspection")?;
            println!(
                "已登记 inspection #{} {}({}{})",
                i.id,
                i.title,
                i.level.name_zh(),
                i.kind.name_zh()
            );
        }
        InspectionsCommand::List {
            region,
            level,
            kind,
            json,
        } => {
            let filter = InspectionFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                level: level.as_deref().map(keyed).transpose()?,
                kind: kind.as_deref().map(keyed).transpose()?,
            };
            let store = ctx.store().await?;
            let page = store
                .inspections_page(&filter, PageRequest::first(PageRequest::MAX_LIMIT))
                .await
                .or_user("list inspections")?;
            if json {
                return print_json(&page);
            }
            let rows: Vec<Vec<String>> = page
                .items
                .iter()
                .map(|i| {
                    vec![
                        i.id.to_string(),
                        i.level.name_zh().to_string(),
                        i.kind.name_zh().to_string(),
                        i.title.clone(),
                        i.regions
                            .iter()
                            .map(|r| r.to_string())
                            .collect::<Vec<_>>()
                            .join(","),
                        format!("{} – {}", i.start_date, i.end_date),
                    ]
                })
                .collect();
            print_table(&["编号", "层级", "类型", "名称", "督察区划", "时间"], &rows);
        }
        InspectionsCommand::Show { id, json } => {
            let store = ctx.store().await?;
            let i = store
                .inspection(id)
                .await
                .or_user("read the inspection")?
                .ok_or_else(|| user_error(format!("inspection {id} not found")))?;
            let findings = store
                .findings_page(
                    &FindingFilter {
                        inspection_id: Some(id),
                        ..Default::default()
                    },
                    PageRequest::first(PageRequest::MAX_LIMIT),
                )
                .await
                .or_user("read the findings")?;
            if json {
                return print_json(&serde_json::json!({ "inspection": i, "findings": findings }));
            }
            println!(
                "督察 #{} {}({}{},{} – {})",
                i.id,
                i.title,
                i.level.name_zh(),
                i.kind.name_zh(),
                i.start_date,
                i.end_date
            );
            println!("  督察组:{}", i.team);
            let rows: Vec<Vec<String>> = findings
                .items
                .iter()
                .map(|f| {
                    vec![
                        f.id.to_string(),
                        f.region_code.to_string(),
                        f.status.name_zh().to_string(),
                        f.text.clone(),
                    ]
                })
                .collect();
            print_table(&["问题", "区划", "状态", "描述"], &rows);
        }
    }
    Ok(())
}
