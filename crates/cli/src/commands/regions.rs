//! `ecoduty regions …`: the regions of China and the zones users add.

use clap::Subcommand;
use ecoduty_domain::Region;
use ecoduty_store::regions::NewRegion;
use serde::Serialize;

use super::{parse_region, print_json, print_table, Context, StoreResultExt};

#[derive(Subcommand)]
pub enum RegionsCommand {
    /// Show a region: its level, parents and the regions directly under it.
    Show {
        /// Region code, e.g. 410800 (焦作市) or 4108.
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Find regions by part of their name (or the start of their code).
    Search {
        name: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Add a region under a parent, e.g. a new development zone (开发区).
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        parent: String,
        /// The region is a development zone administered like a county (第二条第二款).
        #[arg(long)]
        zone: bool,
        #[arg(long, default_value = "add a region")]
        reason: String,
    },
}

fn level_label(r: &Region) -> String {
    let mut s = format!("{} {}", r.level.name_zh(), r.level.key());
    if r.development_zone {
        s.push_str(" · 开发区 development zone");
    }
    if !r.builtin {
        s.push_str(" · 用户添加 user-added");
    }
    s
}

#[derive(Serialize)]
struct Shown {
    region: Region,
    ancestors: Vec<Region>,
    children: Vec<Region>,
}

pub async fn run(ctx: &Context, cmd: RegionsCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        RegionsCommand::Show { code, json } => {
            let code = parse_region(&code)?;
            let region = store
                .require_region(&code)
                .await
                .or_user("show the region")?;
            let shown = Shown {
                ancestors: store.region_ancestors(&code).await.or_user("read")?,
                children: store.region_children(&code).await.or_user("read")?,
                region,
            };
            if json {
                return print_json(&shown);
            }
            let r = &shown.region;
            println!("{} {}", r.code, r.name);
            println!("  级别 level   {}", level_label(r));
            let path: Vec<String> = shown
                .ancestors
                .iter()
                .map(|a| format!("{} {}", a.code, a.name))
                .collect();
            if !path.is_empty() {
                println!("  上级 parents {}", path.join(" › "));
            }
            println!("  下级 children {}", shown.children.len());
            let rows: Vec<Vec<String>> = shown
                .children
                .iter()
                .map(|c| vec![c.code.to_string(), c.name.clone(), level_label(c)])
                .collect();
            if !rows.is_empty() {
                println!();
                print_table(&["代码 code", "名称 name", "级别 level"], &rows);
            }
        }
        RegionsCommand::Search { name, limit, json } => {
            let found = store
                .search_regions(&name, limit)
                .await
                .or_user("search regions")?;
            if json {
                return print_json(&found);
            }
            if found.is_empty() {
                println!("没有找到 no region matches {name:?}");
                return Ok(());
            }
            let mut rows = Vec::new();
            for r in &found {
                let path = store.region_ancestors(&r.code).await.or_user("read")?;
                let path: Vec<&str> = path.iter().map(|a| a.name.as_str()).collect();
                rows.push(vec![
                    r.code.to_string(),
                    r.name.clone(),
                    level_label(r),
                    path.join(" › "),
                ]);
            }
            print_table(
                &["代码 code", "名称 name", "级别 level", "上级 within"],
                &rows,
            );
        }
        RegionsCommand::Add {
            code,
            name,
            parent,
            zone,
            reason,
        } => {
            let region = store
                .add_region(
                    &ctx.change(reason),
                    NewRegion {
                        code: parse_region(&code)?,
                        name,
                        parent: parse_region(&parent)?,
                        development_zone: zone,
                    },
                )
                .await
                .or_user("add the region")?;
            println!(
                "已添加 added {} {} ({})",
                region.code,
                region.name,
                level_label(&region)
            );
        }
    }
    Ok(())
}
