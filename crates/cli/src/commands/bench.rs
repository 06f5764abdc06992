//! `ecoduty bench …`: generators and measurements on national-scale data. Figures are printed,
//! never asserted: speed is measured here, not in tests.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use ecoduty_domain::roster::{header, parse_roster};
use ecoduty_store::roster::RosterSource;
use ecoduty_store::{Change, Store};

use super::{today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Write a year of generated hourly air data in the national-network file layout.
    GenAir(super::air::GenAirArgs),
    /// Measure the foundation on a generated national roster: region load, roster import rate,
    /// and the latency of the point-in-time question (`who`).
    Roster(RosterBenchArgs),
    /// Measure the supervision loop on a generated national ledger: list pages, transitions,
    /// scheduler passes.
    Supervision(super::findings::BenchArgs),
    /// Measure the yearly assessment nationwide: every prefecture's scheme of 30 items scored
    /// over its county-level units, one unit's explained lines, one person's eco record.
    Assessment(AssessmentBenchArgs),
    /// Measure emergencies nationwide: the chain of an event (county, prefecture, province)
    /// with the holders at a moment, reporting events, the escalation pass, a national register
    /// of risk sources.
    Emergencies(EmergencyBenchArgs),
    /// Measure zoning control over a generated province: control units with boundaries and
    /// admission lists imported, then project checks by unit code and by point.
    Zoning(ZoningBenchArgs),
    /// Measure a chief's monthly page over a generated province: every county-level region's
    /// 总河长 and 河长 with a year of patrols, then the page's store queries timed.
    Waters(WatersBenchArgs),
    /// Measure accountability nationwide: proposing the persons for a case (the holders on the
    /// matter's date with their duties then) and a county head's departure dossier. Takes the
    /// same arguments as `bench assessment` (--from a kept supervision database, --as-of,
    /// --samples).
    Accountability(AssessmentBenchArgs),
}

#[derive(Args)]
pub struct WatersBenchArgs {
    /// The province whose county-level regions get chiefs (河南 by default).
    #[arg(long, default_value = "41")]
    province: String,
    /// The year of patrols (last year by default: patrols are never in the future).
    #[arg(long)]
    year: Option<i32>,
    /// Patrols per chief over the year (weekly by default).
    #[arg(long, default_value_t = 52)]
    patrols_per_chief: usize,
    /// Pages timed.
    #[arg(long, default_value_t = 500)]
    samples: usize,
}

#[derive(Args)]
pub struct ZoningBenchArgs {
    /// The province whose county-level regions get units (河南 by default).
    #[arg(long, default_value = "41")]
    province: String,
    #[arg(long, default_value_t = 20)]
    units_per_county: usize,
    #[arg(long, default_value_t = 12)]
    clauses_per_unit: usize,
    /// Checks timed of each kind.
    #[arg(long, default_value_t = 1000)]
    samples: usize,
}

#[derive(Args)]
pub struct EmergencyBenchArgs {
    /// Counties sampled for the chain and for reports.
    #[arg(long, default_value_t = 300)]
    samples: usize,
    /// Risk sources per county-level region in the register.
    #[arg(long, default_value_t = 10)]
    sources_per_county: usize,
}

#[derive(Args)]
pub struct AssessmentBenchArgs {
    /// A SQLite database to score in (one kept by `bench supervision --keep FILE` carries its
    /// national ledger of findings); it is copied first, the file itself is left alone. Without
    /// it, a new database with a county-level roster.
    #[arg(long)]
    from: Option<std::path::PathBuf>,
    /// The day the facts are read as of; the year scored is its year.
    #[arg(long, default_value = "2026-07-01")]
    as_of: String,
    /// Units and people sampled for the single-answer timings.
    #[arg(long, default_value_t = 300)]
    samples: usize,
}

#[derive(Args)]
pub struct RosterBenchArgs {
    /// Tenures per post.
    #[arg(long, default_value_t = 3)]
    tenures: usize,
    /// Point-in-time lookups to time.
    #[arg(long, default_value_t = 2000)]
    lookups: usize,
    /// Where to put the database and the generated roster (default: a temporary folder).
    /// With the global --db pointing at an empty PostgreSQL database, that database is used.
    #[arg(long)]
    dir: Option<std::path::PathBuf>,
}

pub async fn run(ctx: &Context, cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::GenAir(args) => super::air::gen_air(args),
        BenchCommand::Roster(args) => roster(ctx, args).await,
        BenchCommand::Supervision(args) => super::findings::bench(ctx, args).await,
        BenchCommand::Assessment(args) => assessment(args).await,
        BenchCommand::Accountability(args) => accountability(args).await,
        BenchCommand::Emergencies(args) => emergencies(args).await,
        BenchCommand::Zoning(args) => zoning(args).await,
        BenchCommand::Waters(args) => waters(args).await,
    }
}

async fn waters(args: WatersBenchArgs) -> anyhow::Result<()> {
    use chrono::Datelike;
    let tmp = tempfile::tempdir()?;
    let url = format!("sqlite://{}", tmp.path().join("waters.db").display());
    println!("ecoduty bench waters — database {url}");
    let options = ecoduty_fixtures::waters_bench::WatersBenchOptions {
        province: args.province,
        year: args.year.unwrap_or_else(|| today().year() - 1),
        patrols_per_chief: args.patrols_per_chief,
        samples: args.samples,
    };
    ecoduty_fixtures::waters_bench::run(&url, &options, |line| println!("{line}"))
        .await
        .or_user("run the benchmark")?;
    Ok(())
}

async fn zoning(args: ZoningBenchArgs) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let url = format!("sqlite://{}", tmp.path().join("zoning.db").display());
    println!("ecoduty bench zoning — database {url}");
    let options = ecoduty_fixtures::zoning_bench::ZoningBenchOptions {
        province: args.province,
        units_per_county: args.units_per_county,
        clauses_per_unit: args.clauses_per_unit,
        samples: args.samples,
    };
    ecoduty_fixtures::zoning_bench::run(&url, &options, |line| println!("{line}"))
        .await
        .or_user("run the benchmark")?;
    Ok(())
}

async fn emergencies(args: EmergencyBenchArgs) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let url = format!("sqlite://{}", tmp.path().join("emergencies.db").display());
    println!("ecoduty bench emergencies — database {url}");
    let options = ecoduty_fixtures::emergency_bench::EmergencyBenchOptions {
        today: today(),
        samples: args.samples,
        sources_per_county: args.sources_per_county,
    };
    ecoduty_fixtures::emergency_bench::run(&url, &options, |line| println!("{line}"))
        .await
        .or_user("run the benchmark")?;
    Ok(())
}

async fn assessment(args: AssessmentBenchArgs) -> anyhow::Result<()> {
    let (_tmp, url) = bench_db(args.from.as_deref(), "assessment.db")?;
    println!("ecoduty bench assessment — database {url}");
    let options = ecoduty_fixtures::assessment_bench::AssessmentBenchOptions {
        as_of: super::parse_day(&args.as_of)?,
        samples: args.samples,
    };
    ecoduty_fixtures::assessment_bench::run(&url, &options, |line| println!("{line}"))
        .await
        .or_user("run the benchmark")?;
    Ok(())
}

/// A working copy of `--from` (or a new database) in a temporary folder.
fn bench_db(
    from: Option<&std::path::Path>,
    name: &str,
) -> anyhow::Result<(tempfile::TempDir, String)> {
    let tmp = tempfile::tempdir()?;
    let db = tmp.path().join(name);
    if let Some(from) = from {
        std::fs::copy(from, &db).map_err(|e| user_error(format!("{}: {e}", from.display())))?;
    }
    let url = format!("sqlite://{}", db.display());
    Ok((tmp, url))
}

async fn accountability(args: AssessmentBenchArgs) -> anyhow::Result<()> {
    let (_tmp, url) = bench_db(args.from.as_deref(), "accountability.db")?;
    println!("ecoduty bench accountability — database {url}");
    let options = ecoduty_fixtures::accountability_bench::AccountabilityBenchOptions {
        as_of: super::parse_day(&args.as_of)?,
        samples: args.samples,
    };
    ecoduty_fixtures::accountability_bench::run(&url, &options, |line| println!("{line}"))
        .await
        .or_user("run the benchmark")?;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let k = ((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

async fn roster(ctx: &Context, args: RosterBenchArgs) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let url = match &ctx.db_url {
        Some(u) if u.starts_with("postgres") => u.clone(),
        Some(_) => return Err(user_error("bench roster makes its own SQLite database; --db may only name an empty PostgreSQL database")),
        None => format!("sqlite://{}/bench.db", dir.display()),
    };
    println!("ecoduty bench roster — database {url}");

    // 1. Region load: a new database is created, migrated and loaded.
    let t = Instant::now();
    let store = Store::open(&url).await.or_user("open")?;
    let load = t.elapsed();
    let regions: i64 = store
        .region_counts()
        .await
        .or_user("read")?
        .iter()
        .map(|(_, n)| n)
        .sum();
    if !store.export_roster(None).await.or_user("read")?.is_empty() {
        return Err(user_error("the database is not empty"));
    }
    println!("region load: {} for {regions} regions (new database: migrations, regions, built-in regulation)", ms(load));

    // 2. Roster import: generate, write CSV, then read + validate + store.
    let day = today();
    let t = Instant::now();
    let rows = ecoduty_fixtures::national::roster(args.tenures, day, 42);
    let generated = t.elapsed();
    let file = dir.join("national-roster.csv");
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.to_cells(true)).collect();
    ecoduty_tabular::write_path(&file, "roster", &header(true), &cells)
        .map_err(|e| user_error(e.to_string()))?;
    let posts = rows
        .iter()
        .map(|r| (&r.region_code, &r.organisation, &r.post))
        .collect::<std::collections::HashSet<_>>()
        .len();
    println!(
        "generated roster: {} rows, {} posts in {} regions ({} tenures per post) in {}",
        rows.len(),
        posts,
        ecoduty_fixtures::national::regions().len(),
        args.tenures,
        ms(generated)
    );
    drop(rows);
    drop(cells);
    let t = Instant::now();
    let table = ecoduty_tabular::read_path(&file).map_err(|e| user_error(e.to_string()))?;
    let read_only = t.elapsed();
    let parsed = parse_roster(&table.header, &table.rows).map_err(|e| user_error(e.to_string()))?;
    drop(table);
    let read = t.elapsed();
    let t = Instant::now();
    let summary = store
        .import_roster(
            &Change::new(&ctx.actor, "benchmark import"),
            &parsed,
            &RosterSource {
                file_name: "national-roster.csv".into(),
                sha256: String::new(),
            },
        )
        .await
        .or_user("import")?;
    let stored = t.elapsed();
    let n = summary.rows as f64;
    println!(
        "roster import: read+validate {} (read {}, validate {}), store {} → {:.0} rows/s end to end ({:.0} rows/s storing); created {} organisations, {} posts, {} people, {} tenures",
        ms(read),
        ms(read_only),
        ms(read - read_only),
        ms(stored),
        n / (read + stored).as_secs_f64(),
        n / stored.as_secs_f64(),
        summary.organisations_created,
        summary.posts_created,
        summary.people_created,
        summary.tenures_created
    );

    // 3. Point-in-time lookups: who held each post of a region on a random date.
    let regions: Vec<_> = ecoduty_fixtures::national::regions()
        .into_iter()
        .map(|(r, _)| r.code)
        .collect();
    let mut rng = ecoduty_fixtures::Rng::new(7);
    let first = NaiveDate::from_ymd_opt(2012, 1, 1).unwrap();
    let span = (day - first).num_days();
    let mut times = Vec::with_capacity(args.lookups);
    let mut held = 0usize;
    let mut posts_seen = 0usize;
    for _ in 0..args.lookups {
        let code = &regions[rng.range(0, regions.len() as i64 - 1) as usize];
        let at = first + chrono::Duration::days(rng.range(0, span));
        let t = Instant::now();
        let result = store.who(code, at, None).await.or_user("who")?;
        times.push(t.elapsed());
        posts_seen += result.len();
        held += result.iter().filter(|h| h.holder.is_some()).count();
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "who --region --at: {} lookups, mean {}, p50 {}, p99 {}, max {} ({:.1} posts per answer, {:.0}% held)",
        times.len(),
        ms(mean),
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 99.0)),
        ms(*times.last().unwrap()),
        posts_seen as f64 / times.len() as f64,
        100.0 * held as f64 / posts_seen.max(1) as f64
    );
    let t = Instant::now();
    let report = store.verify_ledger().await.or_user("verify")?;
    println!(
        "ledger verify: {} entries, {} records in {} ({})",
        report.entries,
        report.records_checked,
        ms(t.elapsed()),
        if report.ok() { "intact" } else { "MISMATCH" }
    );
    store.close().await;
    Ok(())
}
