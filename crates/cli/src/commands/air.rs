//! `ecoduty air …`: air quality straight from the national-network files.
//!
//! `assess` computes the annual results of every station and city (HJ 633 / HJ 663 / GB 3095),
//! `daily` one city's or station's daily series; `ecoduty bench gen-air` writes synthetic data
//! in the same layout. No database is involved.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use ecoduty_air::annual::Statistic;
use ecoduty_air::aqi::Indicator;
use ecoduty_air::assess::{self, Assessment, CityResult, StationResult};
use ecoduty_air::daily::DailyRecord;
use ecoduty_air::generate::{generate, GenSpec};
use ecoduty_air::ingest::{self, Dataset, IngestError, RegionIndex};

use crate::exit::user_error;

#[derive(Subcommand)]
pub enum AirCommand {
    /// Annual results of every station and city: means, percentiles, good and heavy days,
    /// composite index, attainment of GB 3095 class 2.
    Assess(AssessArgs),
    /// One city's (or station's) daily series: AQI, category, primary pollutant, daily values,
    /// IAQI and validity.
    Daily(DailyArgs),
    /// Import a directory of china_sites_YYYYMMDD.csv day files and their station list into the
    /// database. Files already imported (same SHA-256) are skipped; a corrected file supersedes
    /// the earlier import's station-days.
    Import(super::air_import::AirImportArgs),
}

#[derive(Args)]
pub struct InputArgs {
    /// A directory of china_sites_YYYYMMDD.csv day files, or a long-format CSV file
    /// (station,time,pollutant,value).
    #[arg(long)]
    input: PathBuf,
    /// Station list CSV: 监测点编码,监测点名称,城市,经度,纬度.
    #[arg(long)]
    stations: PathBuf,
    /// Overrides for city names that do not match the region list: CSV 城市,区划代码.
    #[arg(long)]
    city_map: Option<PathBuf>,
    /// Print the time spent reading and computing on stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Args)]
pub struct AssessArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Calendar year to assess.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2999))]
    year: i32,
    /// Print JSON instead of a table.
    #[arg(long, conflicts_with = "xlsx")]
    json: bool,
    /// Write a workbook (sheets cities and stations) instead of printing a table.
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

#[derive(Args)]
pub struct DailyArgs {
    #[command(flatten)]
    input: InputArgs,
    /// City name as in the station list (or a name that maps to the same region).
    #[arg(long, required_unless_present = "station", conflicts_with = "station")]
    city: Option<String>,
    /// A station code instead of a city.
    #[arg(long)]
    station: Option<String>,
    /// Year; by default the only year of the input.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2999))]
    year: Option<i32>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Arguments of `ecoduty bench gen-air`.
#[derive(Args)]
pub struct GenAirArgs {
    /// Number of stations in the station list.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    stations: u32,
    /// Year to generate.
    #[arg(long, value_parser = clap::value_parser!(i32).range(1900..=2999))]
    year: i32,
    /// Output directory (day files and stations.csv).
    #[arg(long)]
    out: PathBuf,
    /// Random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(cmd: AirCommand) -> anyhow::Result<()> {
    match cmd {
        AirCommand::Assess(args) => assess_cmd(args),
        AirCommand::Daily(args) => daily_cmd(args),
        AirCommand::Import(_) => unreachable!("air import uses the database and runs on a runtime"),
    }
}

/// Input refused (exit 2): bad content, or a path the user named that cannot be opened. Other
/// I/O failures exit 1.
fn refused(e: IngestError) -> anyhow::Error {
    match &e {
        IngestError::Io { source, .. }
            if !matches!(
                source.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied
            ) =>
        {
            anyhow::Error::new(e)
        }
        _ => user_error(e.to_string()),
    }
}

fn regions(input: &InputArgs) -> anyhow::Result<RegionIndex> {
    let idx = RegionIndex::embedded();
    match &input.city_map {
        Some(path) => idx.with_city_map_file(path).map_err(refused),
        None => Ok(idx),
    }
}

/// Reads the input (directory of day files or long file) for `year`, or for the input's only
/// year when `year` is `None`.
fn load(input: &InputArgs, year: Option<i32>) -> anyhow::Result<Dataset> {
    let stations = ingest::read_station_list(&input.stations).map_err(refused)?;
    let meta = std::fs::metadata(&input.input)
        .map_err(|e| user_error(format!("cannot read {}: {e}", input.input.display())))?;
    let ds = if meta.is_dir() {
        let year = match year {
            Some(y) => y,
            None => only_year(&input.input)?,
        };
        ingest::read_day_files(&input.input, year, stations)
    } else {
        ingest::read_long_format(&input.input, year, stations)
    }
    .map_err(refused)?;
    warn_ingest(&ds);
    Ok(ds)
}

fn only_year(dir: &Path) -> anyhow::Result<i32> {
    let (files, _) = ingest::list_day_files(dir).map_err(refused)?;
    let mut years: Vec<i32> = files
        .iter()
        .map(|(d, _)| chrono::Datelike::year(d))
        .collect();
    years.dedup();
    match years.as_slice() {
        [y] => Ok(*y),
        [] => Err(user_error(format!(
            "no china_sites_YYYYMMDD.csv files in {}",
            dir.display()
        ))),
        many => Err(user_error(format!(
            "{} holds several years ({}); choose one with --year",
            dir.display(),
            many.iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Reports on stderr what the reader skipped.
fn warn_ingest(ds: &Dataset) {
    let r = &ds.report;
    let inv = &r.invalid_values;
    if inv.total() > 0 {
        eprintln!(
            "warning: {} invalid hourly values treated as missing (negative {}, non-numeric {}, absurd {})",
            inv.total(),
            inv.negative,
            inv.non_numeric,
            inv.absurd
        );
        for ex in inv.examples.iter().take(5) {
            eprintln!(
                "  {}: {} {:?} ({:?})",
                ex.location, ex.pollutant, ex.value, ex.kind
            );
        }
    }
    for u in r.unknown_stations.iter().take(10) {
        eprintln!(
            "warning: station {} is in the data but not in the station list: skipped ({} files, {} values)",
            u.code, u.files, u.values
        );
    }
    if r.unknown_stations.len() > 10 {
        eprintln!(
            "warning: … and {} more unknown stations",
            r.unknown_stations.len() - 10
        );
    }
    if !r.missing_day_files.is_empty() {
        let shown: Vec<String> = r
            .missing_day_files
            .iter()
            .take(5)
            .map(|d| d.to_string())
            .collect();
        eprintln!(
            "warning: {} days of {} have no day file ({}{})",
            r.missing_day_files.len(),
            ds.year,
            shown.join(", "),
            if r.missing_day_files.len() > 5 {
                ", …"
            } else {
                ""
            }
        );
    }
    if r.rows_outside_year > 0 {
        eprintln!(
            "warning: {} rows outside {} skipped",
            r.rows_outside_year, ds.year
        );
    }
}

fn assess_cmd(args: AssessArgs) -> anyhow::Result<()> {
    let regions = regions(&args.input)?;
    let t0 = Instant::now();
    let ds = load(&args.input, Some(args.year))?;
    let t1 = Instant::now();
    let result = assess::assess(&ds, &regions).map_err(refused)?;
    let t2 = Instant::now();
    for u in &result.unmatched_cities {
        eprintln!(
            "warning: city {} ({} stations) matches no region: region_code is null (add it to --city-map)",
            u.city, u.stations
        );
    }
    if let Some(path) = &args.xlsx {
        write_xlsx(path, &result)?;
    } else {
        let mut out = io::stdout().lock();
        if args.json {
            serde_json::to_writer(&mut out, &result)?;
            writeln!(out)?;
        } else {
            write_assessment_table(&mut out, &result)?;
        }
        out.flush()?;
    }
    if args.input.timings {
        let t3 = Instant::now();
        eprintln!(
            "timings: read+parse {:.3} s ({} files, {:.1} MB), compute {:.3} s ({} stations, {} cities), output {:.3} s, total {:.3} s",
            (t1 - t0).as_secs_f64(),
            ds.report.files_read,
            ds.report.bytes_read as f64 / 1e6,
            (t2 - t1).as_secs_f64(),
            result.stations.len(),
            result.cities.len(),
            (t3 - t2).as_secs_f64(),
            (t3 - t0).as_secs_f64()
        );
    }
    Ok(())
}

fn daily_cmd(args: DailyArgs) -> anyhow::Result<()> {
    let regions = regions(&args.input)?;
    let t0 = Instant::now();
    let ds = load(&args.input, args.year)?;
    let t1 = Instant::now();
    let (head, records) = if let Some(code) = &args.station {
        let i = ds
            .station_index(code)
            .ok_or_else(|| user_error(format!("station {code} is not in the station list")))?;
        if !ds.present[i] {
            return Err(user_error(format!(
                "station {code} has no data in the input"
            )));
        }
        let s = ds.stations.get(i);
        let region = regions.resolve(&s.city).map_err(refused)?;
        (
            serde_json::json!({"year": ds.year, "station": s.code, "name": s.name, "city": s.city,
                               "region_code": region.map(|m| m.code)}),
            assess::station_daily(&ds, i),
        )
    } else {
        let wanted = args.city.as_deref().unwrap_or_default();
        let city = find_city(&ds, &regions, wanted)?;
        let members = assess::city_members(&ds, &city);
        if members.is_empty() {
            return Err(user_error(format!("city {city} has no station with data")));
        }
        let region = regions.resolve(&city).map_err(refused)?;
        let listed = ds
            .stations
            .stations()
            .iter()
            .filter(|s| s.city == city)
            .count();
        (
            serde_json::json!({"year": ds.year, "city": city, "region_code": region.map(|m| m.code),
                               "stations": listed, "stations_with_data": members.len()}),
            assess::city_daily(&ds, &city),
        )
    };
    let t2 = Instant::now();
    let mut out = io::stdout().lock();
    if args.json {
        let mut obj = head;
        obj["days"] = serde_json::to_value(&records)?;
        serde_json::to_writer(&mut out, &obj)?;
        writeln!(out)?;
    } else {
        write_daily_table(&mut out, &head, &records)?;
    }
    if args.input.timings {
        eprintln!(
            "timings: read+parse {:.3} s, compute {:.3} s",
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64()
        );
    }
    Ok(())
}

/// The station list's city named `wanted`, or the one that maps to the same region.
fn find_city(ds: &Dataset, regions: &RegionIndex, wanted: &str) -> anyhow::Result<String> {
    let cities = ds.stations.cities();
    if cities.iter().any(|(c, _)| c == wanted) {
        return Ok(wanted.to_string());
    }
    if let Some(target) = regions.resolve(wanted).map_err(refused)? {
        for (c, _) in &cities {
            if regions.resolve(c).ok().flatten().map(|m| m.code) == Some(target.code.clone()) {
                return Ok(c.clone());
            }
        }
    }
    Err(user_error(format!(
        "no city {wanted:?} in the station list"
    )))
}

pub fn gen_air(args: GenAirArgs) -> anyhow::Result<()> {
    let t0 = Instant::now();
    let summary = generate(
        &GenSpec {
            stations: args.stations as usize,
            year: args.year,
            seed: args.seed,
        },
        &args.out,
    )
    .map_err(|e| anyhow::anyhow!("writing {}: {e}", args.out.display()))?;
    eprintln!(
        "wrote {} day files ({:.1} MB, {} input values) and {} ({} stations in {} cities) in {:.1} s",
        summary.files,
        summary.bytes as f64 / 1e6,
        summary.input_values,
        summary.station_list.display(),
        summary.stations,
        summary.cities,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---- output ----

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

/// Writes aligned rows: columns listed in `left` left-aligned (names), the rest right-aligned.
fn write_rows(out: &mut impl Write, rows: &[Vec<String>], left: &[usize]) -> io::Result<()> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| display_width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in rows {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = w - display_width(cell);
            if left.contains(&i) {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    v.map_or("—".into(), |x| format!("{x:.decimals$}"))
}

const TABLE_HEAD: [&str; 18] = [
    "PM2.5",
    "PM2.5 P95",
    "PM10",
    "PM10 P95",
    "SO2",
    "SO2 P98",
    "NO2",
    "NO2 P98",
    "CO P95",
    "O3-8h P90",
    "有效天 valid",
    "优良天 good",
    "优良率 %",
    "重污染 heavy",
    "综合指数 index",
    "有效 valid",
    "站数 stations",
    "区划 region",
];

fn stat_cells(a: &ecoduty_air::annual::AnnualStats) -> Vec<String> {
    let mut cells: Vec<String> = Statistic::ALL
        .iter()
        .map(|&s| fmt_opt(a.get(s), s.indicator().pollutant().decimals() as usize))
        .collect();
    cells.push(a.valid_days.to_string());
    cells.push(a.good_days.to_string());
    cells.push(fmt_opt(a.good_day_ratio, 1));
    cells.push(a.heavy_days.to_string());
    cells.push(fmt_opt(a.composite_index, 2));
    cells.push(if a.annual_valid { "是 yes" } else { "否 no" }.into());
    cells
}

fn write_assessment_table(out: &mut impl Write, r: &Assessment) -> io::Result<()> {
    writeln!(
        out,
        "{} 年城市环境空气质量 / city air quality {} (µg/m³; CO mg/m³)",
        r.year, r.year
    )?;
    let mut rows = vec![{
        let mut h = vec!["城市 city".to_string()];
        h.extend(TABLE_HEAD.iter().map(|s| s.to_string()));
        h
    }];
    for c in &r.cities {
        let mut row = vec![c.city.clone()];
        row.extend(stat_cells(&c.annual));
        row.push(c.stations.to_string());
        row.push(c.region_code.clone().unwrap_or("—".into()));
        rows.push(row);
    }
    write_rows(out, &rows, &[0])?;
    writeln!(out)?;
    writeln!(out, "监测点 / stations")?;
    let mut rows = vec![{
        let mut h = vec!["监测点 station".to_string(), "城市 city".to_string()];
        h.extend(TABLE_HEAD[..16].iter().map(|s| s.to_string()));
        h
    }];
    for s in &r.stations {
        let mut row = vec![s.station.clone(), s.city.clone()];
        row.extend(stat_cells(&s.annual));
        rows.push(row);
    }
    write_rows(out, &rows, &[0, 1])
}

fn write_daily_table(
    out: &mut impl Write,
    head: &serde_json::Value,
    records: &[DailyRecord],
) -> io::Result<()> {
    let who = head
        .get("city")
        .or_else(|| head.get("station"))
        .and_then(|v| v.as_str())
        .unwrap_or("");
    writeln!(out, "{who} {} 日报 / daily", head["year"])?;
    let mut rows = vec![vec![
        "日期 date".to_string(),
        "类别 category".to_string(),
        "AQI".into(),
        "首要污染物 primary".into(),
        "PM2.5".into(),
        "PM10".into(),
        "SO2".into(),
        "NO2".into(),
        "CO".into(),
        "O3-1h".into(),
        "O3-8h".into(),
    ]];
    for r in records {
        let v = |i: Indicator| fmt_opt(r.value(i), i.pollutant().decimals() as usize);
        rows.push(vec![
            r.date.to_string(),
            r.aqi.category.map_or("—".into(), |c| c.zh().to_string()),
            r.aqi.aqi.map_or("—".into(), |a| a.to_string()),
            if r.aqi.primary.is_empty() {
                "—".into()
            } else {
                r.aqi
                    .primary
                    .iter()
                    .map(|i| i.code())
                    .collect::<Vec<_>>()
                    .join(",")
            },
            v(Indicator::Pm25),
            v(Indicator::Pm10),
            v(Indicator::So2),
            v(Indicator::No2),
            v(Indicator::Co),
            v(Indicator::O3_1h),
            v(Indicator::O3_8h),
        ]);
    }
    write_rows(out, &rows, &[0, 1, 3])
}

fn write_xlsx(path: &Path, r: &Assessment) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let stat_header =
        |ws: &mut Worksheet, first: &[&str]| -> Result<u16, rust_xlsxwriter::XlsxError> {
            let mut col = 0u16;
            for h in first.iter().copied().chain(["valid_days"]) {
                ws.write_string_with_format(0, col, h, &bold)?;
                col += 1;
            }
            for s in Statistic::ALL {
                ws.write_string_with_format(0, col, s.key(), &bold)?;
                col += 1;
            }
            for h in [
                "good_days",
                "good_day_ratio",
                "heavy_days",
                "composite_index",
                "annual_valid",
            ] {
                ws.write_string_with_format(0, col, h, &bold)?;
                col += 1;
            }
            Ok(col)
        };
    let stat_row = |ws: &mut Worksheet,
                    row: u32,
                    mut col: u16,
                    a: &ecoduty_air::annual::AnnualStats|
     -> Result<(), rust_xlsxwriter::XlsxError> {
        ws.write_number(row, col, a.valid_days)?;
        col += 1;
        for s in Statistic::ALL {
            if let Some(v) = a.get(s) {
                ws.write_number(row, col, v)?;
            }
            col += 1;
        }
        ws.write_number(row, col, a.good_days)?;
        if let Some(v) = a.good_day_ratio {
            ws.write_number(row, col + 1, v)?;
        }
        ws.write_number(row, col + 2, a.heavy_days)?;
        if let Some(v) = a.composite_index {
            ws.write_number(row, col + 3, v)?;
        }
        ws.write_boolean(row, col + 4, a.annual_valid)?;
        Ok(())
    };
    let ws = wb.add_worksheet().set_name("cities")?;
    stat_header(ws, &["city", "region_code", "stations"])?;
    for (i, c) in r.cities.iter().enumerate() {
        let row = i as u32 + 1;
        let CityResult {
            city,
            region_code,
            stations,
            annual,
            ..
        } = c;
        ws.write_string(row, 0, city)?;
        if let Some(code) = region_code {
            ws.write_string(row, 1, code)?;
        }
        ws.write_number(row, 2, *stations as f64)?;
        stat_row(ws, row, 3, annual)?;
    }
    let ws = wb.add_worksheet().set_name("stations")?;
    stat_header(ws, &["station", "name", "city", "region_code"])?;
    for (i, s) in r.stations.iter().enumerate() {
        let row = i as u32 + 1;
        let StationResult {
            station,
            name,
            city,
            region_code,
            annual,
            ..
        } = s;
        ws.write_string(row, 0, station)?;
        ws.write_string(row, 1, name)?;
        ws.write_string(row, 2, city)?;
        if let Some(code) = region_code {
            ws.write_string(row, 3, code)?;
        }
        stat_row(ws, row, 4, annual)?;
    }
    wb.save(path)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    Ok(())
}
