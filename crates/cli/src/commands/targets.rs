//! `ecoduty targets import|list`: targets of binding indicators per region and year.

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_indicators::by_key;
use ecoduty_store::quality::targets::TargetImportError;
use ecoduty_store::quality::SourceFile;

use super::{parse_region, print_json, print_table, store_error, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum TargetsCommand {
    /// Import targets from CSV or XLSX: columns region_code, indicator, year, target (or 区划代码,
    /// 指标, 年度, 目标值). All rows or none; a changed value becomes a new version.
    Import {
        file: PathBuf,
        /// Why the targets are set (recorded in the ledger).
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The current targets of a region and the regions under it.
    List {
        #[arg(long)]
        region: String,
        #[arg(long, value_parser = clap::value_parser!(i32).range(1949..=2100))]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(ctx: &Context, cmd: TargetsCommand) -> anyhow::Result<()> {
    match cmd {
        TargetsCommand::Import { file, reason, json } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| user_error(format!("cannot read {}: {e}", file.display())))?;
            let format =
                ecoduty_tabular::Format::of(&file).map_err(|e| user_error(e.to_string()))?;
            let name = file.display().to_string();
            let table = ecoduty_tabular::read(&bytes, format, &name)
                .map_err(|e| user_error(e.to_string()))?;
            // The header is the file's first row; data rows carry the line a user sees.
            let mut rows: Vec<(u64, Vec<String>)> = vec![(1, table.header)];
            rows.extend(table.rows.into_iter().map(|(l, c)| (l as u64, c)));
            let source = SourceFile::of(
                file.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.clone()),
                &bytes,
            );
            let store = ctx.store().await?;
            let reason = reason.unwrap_or_else(|| format!("导入约束性指标目标 {}", source.name));
            let summary = store
                .import_targets(&ctx.change(reason), &source, &rows)
                .await
                .map_err(|e| match e {
                    TargetImportError::Rows(errors) => user_error(
                        errors
                            .iter()
                            .map(|e| format!("{name}: {e}"))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    TargetImportError::Store(e) => store_error(e, "import the targets"),
                })?;
            if json {
                return print_json(&summary);
            }
            println!(
                "已导入 imported {name}: {} targets, {} new, {} revised, {} unchanged",
                summary.rows, summary.created, summary.revised, summary.unchanged
            );
            match summary.ledger_seq {
                Some(seq) => println!("  ledger entry {seq}"),
                None => println!("  nothing changed (every target was already recorded)"),
            }
        }
        TargetsCommand::List { region, year, json } => {
            let code = parse_region(&region)?;
            let store = ctx.store().await?;
            store.require_region(&code).await.or_user("list targets")?;
            let targets = store
                .targets(Some(&code), year)
                .await
                .or_user("list targets")?;
            if json {
                return print_json(&targets);
            }
            if targets.is_empty() {
                println!("没有目标 no targets for {code} and the regions under it");
                return Ok(());
            }
            let rows: Vec<Vec<String>> = targets
                .iter()
                .map(|t| {
                    let (name, unit) = by_key(&t.indicator)
                        .map_or((t.indicator.as_str(), ""), |i| (i.name_zh, i.unit));
                    vec![
                        t.region_code.to_string(),
                        t.year.to_string(),
                        name.to_string(),
                        format!("{} {unit}", t.value).trim_end().to_string(),
                        format!("{}.{}", t.id, t.rev),
                        t.source.clone(),
                    ]
                })
                .collect();
            print_table(
                &["区划代码", "年度", "指标", "目标值", "记录.版本", "来源"],
                &rows,
            );
        }
    }
    Ok(())
}
