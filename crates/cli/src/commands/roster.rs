//! `ecoduty roster import|export`: rosters as CSV or XLSX (chosen by the file's extension).

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_domain::roster::{header, parse_roster};
use ecoduty_store::roster::RosterSource;
use sha2::Digest;

use super::{parse_region, print_json, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum RosterCommand {
    /// Import a roster: all rows or none. Columns region_code, organisation, organisation_kind,
    /// post, role, person, start_date, end_date, acting (or 区划代码, 机构, 机构类型, 职务, 角色,
    /// 姓名, 任职开始, 任职结束, 代理); optional person_key (人员编号), portfolio (分管部门).
    Import {
        file: PathBuf,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Export every counting tenure (optionally within a region) as a roster.
    Export {
        file: PathBuf,
        /// Only this region and the regions under it.
        #[arg(long)]
        region: Option<String>,
    },
}

pub async fn run(ctx: &Context, cmd: RosterCommand) -> anyhow::Result<()> {
    match cmd {
        RosterCommand::Import { file, reason, json } => {
            let bytes =
                std::fs::read(&file).map_err(|e| user_error(format!("{}: {e}", file.display())))?;
            let format =
                ecoduty_tabular::Format::of(&file).map_err(|e| user_error(e.to_string()))?;
            let name = file.display().to_string();
            let table = ecoduty_tabular::read(&bytes, format, &name)
                .map_err(|e| user_error(e.to_string()))?;
            let rows = parse_roster(&table.header, &table.rows)
                .map_err(|e| user_error(format!("{name}: {e}")))?;
            // The cells are parsed: free them before the import needs memory of its own.
            drop(table);
            let store = ctx.store().await?;
            let source = RosterSource {
                file_name: file
                    .file_name()
                    .map(|f| f.to_string_lossy().to_string())
                    .unwrap_or(name.clone()),
                sha256: hex::encode(sha2::Sha256::digest(&bytes)),
            };
            let reason = reason.unwrap_or_else(|| format!("roster import {}", source.file_name));
            let summary = store
                .import_roster(&ctx.change(reason), &rows, &source)
                .await
                .map_err(|e| match e {
                    ecoduty_store::StoreError::Roster(errs) => {
                        user_error(format!("{name}: {errs}"))
                    }
                    other => super::store_error(other, "import the roster"),
                })?;
            if json {
                return print_json(&summary);
            }
            println!("已导入 imported {name}: {} rows", summary.rows);
            println!(
                "  organisations +{}  posts +{} ~{}  people +{}  tenures +{} ~{} ={}",
                summary.organisations_created,
                summary.posts_created,
                summary.posts_updated,
                summary.people_created,
                summary.tenures_created,
                summary.tenures_updated,
                summary.tenures_unchanged
            );
            match summary.ledger_seq {
                Some(seq) => println!("  ledger entry {seq}"),
                None => println!("  nothing changed (the roster was already recorded)"),
            }
            for w in &summary.warnings {
                println!("  警告 warning: {}", w.message);
            }
        }
        RosterCommand::Export { file, region } => {
            let store = ctx.store().await?;
            let within = region.as_deref().map(parse_region).transpose()?;
            if let Some(code) = &within {
                store.require_region(code).await.or_user("export")?;
            }
            let rows = store
                .export_roster(within.as_ref())
                .await
                .or_user("export the roster")?;
            let cells: Vec<Vec<String>> = rows.iter().map(|r| r.to_cells(true)).collect();
            ecoduty_tabular::write_path(&file, "roster", &header(true), &cells)
                .map_err(|e| user_error(e.to_string()))?;
            println!("已导出 exported {} rows to {}", rows.len(), file.display());
        }
    }
    Ok(())
}
