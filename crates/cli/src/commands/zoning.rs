//! `ecoduty zoning …`: environmental zoning control (生态环境分区管控, Art. 7(2)) — import the
//! published sheets of control units and their admission lists (all or nothing, every problem
//! named with its file, line and column), export them back in the same layout, list and show
//! units, check a project (a unit code or a point, and a GB/T 4754 industry code) with the
//! clauses cited, and list the checks recorded.

use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;
use ecoduty_domain::zoning::geometry::parse_point;
use ecoduty_domain::zoning::sheet::{
    self, clause_rows, unit_row, SheetInput, CLAUSE_COLUMNS, UNIT_COLUMNS,
};
use ecoduty_domain::zoning::{Effect, IndustryCode, UnitCategory};
use ecoduty_store::emergency::china_time;
use ecoduty_store::zoning::{CheckTarget, UnitFilter, ZoningCheck};

use super::{parse_region, print_json, print_table, sheet_refused, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum ZoningCommand {
    /// Import control units (CSV or XLSX: 单元编码, 单元名称, 行政区划代码, 管控类别, optionally
    /// 边界 as GeoJSON) and their admission lists (--clauses: 单元编码, 管控维度, 条款, 管控要求,
    /// 行业代码), all or nothing. A unit that changed is a new version; a stored unit of a region
    /// imported that the sheet leaves out is withdrawn. Without --clauses, stored lists stay.
    Import {
        file: PathBuf,
        #[arg(long)]
        clauses: Option<PathBuf>,
        /// Every unit must lie within this region (default: anywhere).
        #[arg(long)]
        region: Option<String>,
    },
    /// Export the units in force to FILE and their clauses to --clauses, as `import` reads them.
    Export {
        file: PathBuf,
        #[arg(long)]
        clauses: Option<PathBuf>,
        #[arg(long)]
        region: Option<String>,
    },
    /// Control units within a region.
    Units {
        #[arg(long)]
        region: Option<String>,
        /// priority_protection, key_control or general_control (or 优先保护 …).
        #[arg(long)]
        category: Option<String>,
        /// Withdrawn units too.
        #[arg(long)]
        withdrawn: bool,
        #[arg(long)]
        json: bool,
    },
    /// One unit with its admission list.
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Check a project: which effect the admission list gives an industry in a unit (recorded).
    Check {
        #[arg(long, conflicts_with = "point", required_unless_present = "point")]
        unit: Option<String>,
        /// LON,LAT: the unit whose loaded boundary holds the point.
        #[arg(long)]
        point: Option<String>,
        /// GB/T 4754: a section letter A–T, or a 2/3/4-digit division, group or class.
        #[arg(long)]
        industry: String,
        #[arg(long)]
        json: bool,
    },
    /// The checks recorded, newest first.
    Checks {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn read_sheet(path: &std::path::Path) -> anyhow::Result<ecoduty_tabular::Table> {
    ecoduty_tabular::read_path(path).map_err(|e| user_error(e.to_string()))
}

fn print_check(c: &ZoningCheck) {
    println!(
        "{} {}:{} ({})",
        c.unit_code,
        c.industry,
        c.verdict.effect.name_zh(),
        c.verdict.effect.name_en()
    );
    println!("{}", c.verdict.explanation_zh);
    println!("{}", c.verdict.explanation_en);
    println!(
        "研判记录 check #{} · {} · {}",
        c.id,
        c.checked_by,
        china_time(c.checked_at)
    );
}

pub async fn run(ctx: &Context, cmd: ZoningCommand) -> anyhow::Result<()> {
    match cmd {
        ZoningCommand::Import {
            file,
            clauses,
            region,
        } => {
            let scope = region.as_deref().map(parse_region).transpose()?;
            let units_name = file.display().to_string();
            let units = read_sheet(&file)?;
            let clauses_name = clauses.as_ref().map(|c| c.display().to_string());
            let clause_table = clauses.as_deref().map(read_sheet).transpose()?;
            let specs = sheet::read(
                SheetInput {
                    file: &units_name,
                    header: &units.header,
                    rows: &units.rows,
                },
                clause_table
                    .as_ref()
                    .zip(clauses_name.as_deref())
                    .map(|(t, f)| SheetInput {
                        file: f,
                        header: &t.header,
                        rows: &t.rows,
                    }),
            )
            .map_err(|errors| sheet_refused(&errors))?;
            if specs.is_empty() {
                return Err(user_error(format!(
                    "{units_name}: no control unit to import"
                )));
            }
            let n = specs.len();
            let store = ctx.store().await?;
            let done = store
                .import_zoning(
                    &ctx.change(format!("导入生态环境管控单元 {units_name}({n} 个单元)")),
                    scope.as_ref(),
                    specs,
                    clause_table.is_some(),
                )
                .await
                .or_user(&format!("import {units_name}"))?;
            println!(
                "{units_name}: 新增 {} created, 更新 {} updated, 未变 {} unchanged, 撤销 {} withdrawn",
                done.created, done.updated, done.unchanged, done.withdrawn
            );
        }
        ZoningCommand::Export {
            file,
            clauses,
            region,
        } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let units = store
                .zoning_units(&UnitFilter {
                    within,
                    ..Default::default()
                })
                .await
                .or_user("read the units")?;
            let header: Vec<String> = UNIT_COLUMNS.iter().map(|c| c.to_string()).collect();
            let rows: Vec<Vec<String>> = units.iter().map(|u| unit_row(&u.spec)).collect();
            ecoduty_tabular::write_path(&file, "环境管控单元", &header, &rows)
                .map_err(|e| user_error(e.to_string()))?;
            println!("{}: {} 个单元 units", file.display(), rows.len());
            if let Some(path) = clauses {
                let header: Vec<String> = CLAUSE_COLUMNS.iter().map(|c| c.to_string()).collect();
                let rows: Vec<Vec<String>> =
                    units.iter().flat_map(|u| clause_rows(&u.spec)).collect();
                ecoduty_tabular::write_path(&path, "准入清单", &header, &rows)
                    .map_err(|e| user_error(e.to_string()))?;
                println!("{}: {} 条准入条款 clauses", path.display(), rows.len());
            }
        }
        ZoningCommand::Units {
            region,
            category,
            withdrawn,
            json,
        } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let category = category
                .as_deref()
                .map(UnitCategory::parse_cell)
                .transpose()
                .map_err(user_error)?;
            let store = ctx.store().await?;
            let units = store
                .zoning_units(&UnitFilter {
                    within,
                    category,
                    withdrawn,
                })
                .await
                .or_user("read the units")?;
            if json {
                return print_json(&units);
            }
            let rows: Vec<Vec<String>> = units
                .iter()
                .map(|u| {
                    vec![
                        u.code.clone(),
                        u.region_code.to_string(),
                        u.category.name_zh().to_string(),
                        u.name.clone(),
                        u.clauses.len().to_string(),
                        if u.boundary.is_some() { "有" } else { "" }.to_string(),
                        if u.withdrawn { "已撤销" } else { "" }.to_string(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "单元编码",
                    "区划",
                    "管控类别",
                    "名称",
                    "条款",
                    "边界",
                    "状态",
                ],
                &rows,
            );
        }
        ZoningCommand::Show { code, json } => {
            let store = ctx.store().await?;
            let u = store
                .zoning_unit(&code)
                .await
                .or_user("read the unit")?
                .ok_or_else(|| user_error(format!("no control unit {code}")))?;
            if json {
                return print_json(&u);
            }
            println!(
                "{} {} · {} · {}{}",
                u.code,
                u.name,
                u.region_code,
                u.category.name_zh(),
                if u.withdrawn {
                    " · 已撤销 withdrawn"
                } else {
                    ""
                }
            );
            println!(
                "version {} · boundary: {}",
                u.rev,
                if u.boundary.is_some() {
                    "loaded"
                } else {
                    "none"
                }
            );
            let rows: Vec<Vec<String>> = u
                .clauses
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    vec![
                        (i + 1).to_string(),
                        c.dimension.name_zh().to_string(),
                        c.effect.name_zh().to_string(),
                        c.industries
                            .iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                            .join("、"),
                        c.text.clone(),
                    ]
                })
                .collect();
            print_table(&["条", "管控维度", "要求", "行业代码", "条款"], &rows);
        }
        ZoningCommand::Check {
            unit,
            point,
            industry,
            json,
        } => {
            let industry = IndustryCode::parse(&industry)
                .map_err(|m| user_error(format!("--industry: {m}")))?;
            let target = match (unit, point) {
                (Some(code), None) => CheckTarget::Unit(code.trim().to_ascii_uppercase()),
                (None, Some(p)) => {
                    let (lon, lat) =
                        parse_point(&p).map_err(|m| user_error(format!("--point: {m}")))?;
                    CheckTarget::Point(lon, lat)
                }
                _ => return Err(user_error("give --unit CODE or --point LON,LAT")),
            };
            let store = ctx.store().await?;
            let c = store
                .record_zoning_check(
                    &ctx.change(format!("项目准入研判:行业 {industry}")),
                    None,
                    &target,
                    &industry,
                    Utc::now(),
                )
                .await
                .or_user("check the project")?;
            if json {
                return print_json(&c);
            }
            print_check(&c);
        }
        ZoningCommand::Checks { region, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let list = store
                .zoning_checks(within.as_ref(), None::<Effect>, 10_000)
                .await
                .or_user("read the checks")?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        china_time(c.checked_at),
                        c.checked_by.clone(),
                        c.unit_code.clone(),
                        c.industry.to_string(),
                        c.verdict.effect.name_zh().to_string(),
                        if c.verdict.cited.is_empty() {
                            "类别默认".to_string()
                        } else {
                            c.verdict
                                .cited
                                .iter()
                                .map(|n| n.to_string())
                                .collect::<Vec<_>>()
                                .join("、")
                        },
                    ]
                })
                .collect();
            print_table(
                &["编号", "时间", "研判人", "单元", "行业", "结论", "依据条款"],
                &rows,
            );
        }
    }
    Ok(())
}
