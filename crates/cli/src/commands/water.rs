//! `ecoduty water …`: surface water quality by GB 3838-2002.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use ecoduty_water::{assess_year, read_csv, Parameter, SectionYear, YearAssessment};

#[derive(Subcommand)]
pub enum WaterCommand {
    /// Classify each section over a year (single-factor method, 2011 rules) and compute each
    /// region's shares of sections at class Ⅲ or better and worse than Ⅴ, from a CSV alone.
    Assess(AssessArgs),
    /// Import a measurement CSV into the database (all rows or none). A file already imported
    /// (same SHA-256) changes nothing; a corrected file supersedes the earlier import's
    /// measurements for the sections and months it covers.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// Measurement CSV with columns section,river_or_lake,kind,region_code,date,parameter,value.
    #[arg(long)]
    input: PathBuf,
    /// Why the data is imported (recorded in the ledger).
    #[arg(long)]
    reason: Option<String>,
    /// Print the import summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AssessArgs {
    /// Measurement CSV with columns section,river_or_lake,kind,region_code,date,parameter,value
    /// (kind river|lake; value a number, "<x" below detection limit x, or "ND").
    #[arg(long)]
    input: PathBuf,
    /// Calendar year to evaluate.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2999))]
    year: i32,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(cmd: WaterCommand) -> anyhow::Result<()> {
    match cmd {
        WaterCommand::Assess(args) => assess(args),
        // `water import` needs the database: main runs it with the context on the runtime.
        WaterCommand::Import(_) => unreachable!("main runs water import through import()"),
    }
}

/// `ecoduty water import`: reads and checks the whole file, then stores it in one transaction.
pub async fn import(ctx: &super::Context, args: ImportArgs) -> anyhow::Result<()> {
    use super::StoreResultExt;
    let name = args.input.display().to_string();
    let bytes = std::fs::read(&args.input)
        .map_err(|e| crate::exit::user_error(format!("cannot read {name}: {e}")))?;
    let data = read_csv(bytes.as_slice(), &name)
        .map_err(|errors| crate::exit::user_error(errors.to_string()))?;
    let file_name = args
        .input
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.clone());
    let source = ecoduty_store::quality::SourceFile::of(file_name, &bytes);
    let store = ctx.store().await?;
    let reason = args
        .reason
        .unwrap_or_else(|| format!("导入地表水监测数据 {}", source.name));
    let summary = store
        .import_water(&ctx.change(reason), source, &data)
        .await
        .or_user("import the water data")?;
    if args.json {
        return super::print_json(&summary);
    }
    match (summary.import_id, summary.already_imported) {
        (Some(id), _) => {
            println!(
                "已导入 imported {name}: import {id}, ledger entry {}",
                summary.ledger_seq.unwrap_or_default()
            );
            println!(
                "  断面 sections: {} in the file, {} new or changed; 监测值 measurements: {} ({} section-months)",
                summary.report.sections_in_file,
                summary.sections_written,
                summary.measurements,
                summary.report.section_months
            );
            if summary.report.superseded_section_months > 0 {
                println!(
                    "  更正 corrections: {} section-months replace those of earlier imports",
                    summary.report.superseded_section_months
                );
            }
        }
        (None, Some(earlier)) => {
            println!("没有新数据 nothing new: {name} was already imported (import {earlier})")
        }
        (None, None) => println!("没有新数据 nothing new in {name}"),
    }
    Ok(())
}

fn assess(args: AssessArgs) -> anyhow::Result<()> {
    let name = args.input.display().to_string();
    let file = File::open(&args.input)
        .map_err(|e| crate::exit::user_error(format!("cannot read {name}: {e}")))?;
    let data = read_csv(BufReader::new(file), &name)
        .map_err(|errors| crate::exit::user_error(errors.to_string()))?;
    let years = data.years();
    if !years.contains(&args.year) {
        let present: Vec<String> = years.iter().map(i32::to_string).collect();
        return Err(crate::exit::user_error(format!(
            "{name}: no measurement in {} (years in the file: {})",
            args.year,
            if present.is_empty() {
                "none".to_string()
            } else {
                present.join(", ")
            }
        )));
    }
    let assessment = assess_year(&data, args.year);
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &assessment)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &assessment)?;
    }
    Ok(())
}

/// Terminal columns a string takes: CJK and full-width characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn write_row(out: &mut impl Write, cells: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        line.push_str(cell);
        if i + 1 < cells.len() {
            line.push_str(&" ".repeat(width - display_width(cell) + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

fn write_table_of(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    write_row(out, &header, &widths)?;
    for row in rows {
        write_row(out, row, &widths)?;
    }
    Ok(())
}

fn names(parameters: &[Parameter]) -> String {
    if parameters.is_empty() {
        return "—".to_string();
    }
    parameters
        .iter()
        .map(|p| p.name_zh())
        .collect::<Vec<_>>()
        .join("、")
}

fn section_row(s: &SectionYear) -> Vec<String> {
    let dash = || "—".to_string();
    let a = s.assessment();
    vec![
        s.section.name.clone(),
        s.section.river_or_lake.clone(),
        s.section.kind.name_zh().to_string(),
        s.section.region_code.to_string(),
        s.months.to_string(),
        s.class()
            .map_or_else(|| "未评价".to_string(), |c| c.label_zh().to_string()),
        s.class()
            .map_or_else(dash, |c| c.description_zh().to_string()),
        a.map_or_else(dash, |a| names(&a.exceeding)),
        a.and_then(|a| a.tn_class)
            .map_or_else(dash, |c| c.label_zh().to_string()),
        a.and_then(|a| a.coliform_class)
            .map_or_else(dash, |c| c.label_zh().to_string()),
    ]
}

fn write_table(out: &mut impl Write, y: &YearAssessment) -> io::Result<()> {
    writeln!(
        out,
        "{} 年地表水水质评价（GB 3838-2002，单因子评价法，年均值）\n",
        y.year
    )?;
    let rows: Vec<Vec<String>> = y.sections.iter().map(section_row).collect();
    write_table_of(
        out,
        &[
            "断面",
            "河流/湖库",
            "类型",
            "区划代码",
            "有效月数",
            "水质类别",
            "水质状况",
            "超标项目",
            "总氮",
            "粪大肠菌群",
        ],
        &rows,
    )?;

    let left_out: Vec<_> = y.not_evaluated().collect();
    if !left_out.is_empty() {
        writeln!(out, "\n未参与评价的断面：")?;
        for (s, reason) in left_out {
            writeln!(
                out,
                "  {}（{}）：{}",
                s.section.name, s.section.region_code, reason
            )?;
        }
    }

    writeln!(out)?;
    let share =
        |s: Option<ecoduty_water::Share>| s.map_or_else(|| "—".to_string(), |s| s.to_string());
    let rows: Vec<Vec<String>> = y
        .regions
        .iter()
        .map(|r| {
            vec![
                r.region_code.to_string(),
                r.evaluated.to_string(),
                share(r.share_good),
                share(r.share_worse_than_v),
                r.not_evaluated.to_string(),
            ]
        })
        .collect();
    write_table_of(
        out,
        &[
            "区划代码",
            "评价断面数",
            "Ⅰ～Ⅲ类比例(%)",
            "劣Ⅴ类比例(%)",
            "未评价断面数",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::display_width;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(display_width("ab"), 2);
        assert_eq!(display_width("卫河"), 4);
        assert_eq!(display_width("（8）"), 5);
    }
}
