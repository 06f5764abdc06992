//! `ecoduty air import`: national-network day files into the database.
//!
//! Day files are read and parsed one at a time and handed to one import session, so a year of
//! the whole network never sits in memory and a file that does not parse leaves the database as
//! it was (exit status 2, naming the file, line and column). A file whose digest is already
//! stored is not parsed again.

use std::path::PathBuf;

use chrono::Datelike;
use clap::Args;
use ecoduty_air::ingest::{self, IngestError, RegionIndex};
use ecoduty_store::quality::air::AirImportSummary;
use ecoduty_store::quality::SourceFile;

use super::{print_json, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Args)]
pub struct AirImportArgs {
    /// Directory of china_sites_YYYYMMDD.csv day files.
    #[arg(long)]
    input: PathBuf,
    /// Station list CSV: 监测点编码,监测点名称,城市,经度,纬度.
    #[arg(long)]
    stations: PathBuf,
    /// Overrides for city names that do not match the region list: CSV 城市,区划代码.
    #[arg(long)]
    city_map: Option<PathBuf>,
    /// Only the day files of this year (others are listed as ignored).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2999))]
    year: Option<i32>,
    /// Why the data is imported (recorded in the ledger).
    #[arg(long)]
    reason: Option<String>,
    /// Print the import summary as JSON.
    #[arg(long)]
    json: bool,
}

fn refused(e: IngestError) -> anyhow::Error {
    match e {
        IngestError::Io { .. } => anyhow::Error::new(e),
        other => user_error(other.to_string()),
    }
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| user_error(format!("cannot read {}: {e}", path.display())))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub async fn air_import(ctx: &Context, args: AirImportArgs) -> anyhow::Result<()> {
    let station_bytes = read(&args.stations)?;
    let stations = ingest::parse_station_list(&station_bytes, &args.stations.display().to_string())
        .map_err(refused)?;
    let regions = match &args.city_map {
        Some(path) => RegionIndex::embedded()
            .with_city_map_file(path)
            .map_err(refused)?,
        None => RegionIndex::embedded(),
    };
    if !args.input.is_dir() {
        return Err(user_error(format!(
            "{} is not a directory of china_sites_YYYYMMDD.csv day files",
            args.input.display()
        )));
    }
    let (files, mut ignored) = ingest::list_day_files(&args.input).map_err(refused)?;
    let mut wanted = Vec::new();
    for (day, path) in files {
        if args.year.is_none_or(|y| day.year() == y) {
            wanted.push((day, path));
        } else {
            ignored.push(file_name(&path));
        }
    }
    if wanted.is_empty() {
        return Err(user_error(format!(
            "no day files china_sites_{}MMDD.csv in {}",
            args.year.map_or("YYYY".to_string(), |y| y.to_string()),
            args.input.display()
        )));
    }

    let store = ctx.store().await?;
    let reason = args
        .reason
        .clone()
        .unwrap_or_else(|| format!("导入空气质量监测数据 {}", args.input.display()));
    let mut import = store
        .begin_air_import(
            &ctx.change(reason),
            SourceFile::of(file_name(&args.stations), &station_bytes),
            &stations,
            &regions,
        )
        .await
        .or_user("import the air data")?;
    import.note_ignored(ignored);
    for (day, path) in &wanted {
        let bytes = read(path)?;
        let file = SourceFile::of(file_name(path), &bytes);
        if import.skip_if_imported(&file) {
            continue;
        }
        // A file that does not parse ends the command here; dropping the session rolls back
        // everything this import wrote.
        let block = ingest::parse_day_file(&bytes, &path.display().to_string(), *day, &stations)
            .map_err(refused)?;
        import
            .add_day_file(file, &block)
            .await
            .or_user("import the air data")?;
    }
    let summary = import.finish().await.or_user("import the air data")?;
    if args.json {
        return print_json(&summary);
    }
    print_summary(&args, &summary);
    Ok(())
}

fn print_summary(args: &AirImportArgs, s: &AirImportSummary) {
    let r = &s.report;
    match (s.import_id, s.ledger_seq) {
        (Some(id), Some(seq)) => println!(
            "已导入 imported air data from {}: import {id}, ledger entry {seq}",
            args.input.display()
        ),
        _ => println!(
            "没有新数据 nothing new in {}: every day file was already imported and no station changed",
            args.input.display()
        ),
    }
    println!(
        "  站点 stations: {} listed, {} new or changed",
        r.stations_listed, s.stations_written
    );
    println!(
        "  日文件 day files: {} imported ({} station-days), {} already imported",
        s.files.len(),
        s.day_rows,
        r.already_imported.len()
    );
    if r.superseded_station_days > 0 {
        println!(
            "  更正 corrections: {} station-days replace those of earlier imports",
            r.superseded_station_days
        );
    }
    let inv = &r.invalid_values;
    if inv.negative + inv.non_numeric + inv.absurd > 0 {
        eprintln!(
            "warning: {} invalid hourly values treated as missing (negative {}, non-numeric {}, absurd {})",
            inv.negative + inv.non_numeric + inv.absurd,
            inv.negative,
            inv.non_numeric,
            inv.absurd
        );
    }
    for u in r.unknown_stations.iter().take(10) {
        eprintln!(
            "warning: station {} is in the day files but not in the station list: skipped ({} files, {} values)",
            u.code, u.files, u.values
        );
    }
    if r.unknown_stations.len() > 10 {
        eprintln!(
            "warning: … and {} more unknown stations",
            r.unknown_stations.len() - 10
        );
    }
    for city in &r.unmatched_cities {
        eprintln!(
            "warning: city {city} matches no region: its stations count for no region (add it to --city-map)"
        );
    }
    if !r.ignored_files.is_empty() {
        eprintln!(
            "warning: {} files ignored (not day files{}): {}",
            r.ignored_files.len(),
            args.year.map_or(String::new(), |y| format!(" of {y}")),
            r.ignored_files
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
