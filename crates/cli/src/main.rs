//! `ecoduty`: the command-line face of the responsibility system.
//!
//! This binary stays thin: it parses arguments, opens the store when a command needs one, and
//! prints. Rules live in the domain, regulation, air, water and indicators crates; persistence in
//! `ecoduty-store`; the web application in `ecoduty-web`.

mod commands;
mod exit;

/// mimalloc rather than the system allocator: see the workspace Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

use commands::Context;

#[derive(Parser)]
#[command(
    name = "ecoduty",
    version,
    about = "地方党政领导干部生态环境保护责任制 — the eco-environmental responsibility system",
    propagate_version = true
)]
struct Cli {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB.
    /// Default: a SQLite file ./ecoduty-data/ecoduty.db, created and migrated on first use.
    #[arg(long, env = "ECODUTY_DB", global = true)]
    db: Option<String>,

    /// Who is making a change, recorded with every write (default: cli:$USER).
    #[arg(long, env = "ECODUTY_ACTOR", global = true)]
    actor: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and the JSON API.
    Serve(commands::serve::ServeArgs),
    /// Create a database (or check one): its backend, ledger hash and contents.
    Init(commands::init::InitArgs),
    /// Build the demo jurisdiction and print who is responsible in 焦作市 today.
    Demo(commands::demo::DemoArgs),
    /// The regulation: parse a published text, compare two, import a version.
    #[command(subcommand)]
    Framework(commands::framework::FrameworkCommand),
    /// Regions of China (GB/T 2260): show, search, add a zone.
    #[command(subcommand)]
    Regions(commands::regions::RegionsCommand),
    /// Organisations: add, list, retire.
    #[command(subcommand)]
    Org(commands::records::OrgCommand),
    /// Posts: add, retire.
    #[command(subcommand)]
    Post(commands::records::PostCommand),
    /// People: add, find.
    #[command(subcommand)]
    Person(commands::records::PersonCommand),
    /// Tenures: add, end, correct, retract.
    #[command(subcommand)]
    Tenure(commands::records::TenureCommand),
    /// Who held each post of a region on a date.
    Who(commands::who::WhoArgs),
    /// A person's tenures across posts and regions.
    History(commands::who::HistoryArgs),
    /// Import or export a roster (CSV or XLSX).
    #[command(subcommand)]
    Roster(commands::roster::RosterCommand),
    /// A post's responsibility list; local duties.
    Duties(commands::duties::DutiesArgs),
    /// The history of one record in the change ledger.
    Log(commands::ledger::LogArgs),
    /// The change ledger: verify the hash chain, list entries.
    #[command(subcommand)]
    Ledger(commands::ledger::LedgerCommand),
    /// Environmental air quality by HJ 633 / HJ 663 / GB 3095.
    #[command(subcommand)]
    Air(commands::air::AirCommand),
    /// Surface water quality by GB 3838.
    #[command(subcommand)]
    Water(commands::water::WaterCommand),
    /// Targets of binding indicators: import, list.
    #[command(subcommand)]
    Targets(commands::targets::TargetsCommand),
    /// Binding indicators: catalogue, hand-reported values, status against targets.
    #[command(subcommand)]
    Indicators(commands::indicators::IndicatorsCommand),
    /// Early warnings on binding indicators and who answers for them.
    Warnings(commands::warnings::WarningsArgs),
    /// Annual key work plans, tasks, progress reports and dispatch rounds (调度).
    #[command(subcommand)]
    Plans(commands::plans::PlansCommand),
    /// Inspections (督察).
    #[command(subcommand)]
    Inspections(commands::inspections::InspectionsCommand),
    /// Findings and their rectification: steps, evidence, ledger import and export.
    #[command(subcommand)]
    Findings(commands::findings::FindingsCommand),
    /// Art. 15: the register of checks (监督检查), limits, merges and burden.
    #[command(subcommand)]
    Checks(commands::checks::ChecksCommand),
    /// Public complaints (信访/举报): file, track, assign, answer, promote, statistics.
    #[command(subcommand)]
    Complaints(commands::complaints::ComplaintsCommand),
    /// Environmental emergencies (突发环境事件): report, timeline, acknowledgements, the chain.
    #[command(subcommand)]
    Emergencies(commands::emergencies::EmergenciesCommand),
    /// Environmental risk sources (环境风险源): import, export, list; risk reports.
    #[command(subcommand)]
    Risk(commands::emergencies::RiskCommand),
    /// The yearly assessment (考核评价, Arts. 14-16): schemes, runs, entries, objections.
    #[command(subcommand)]
    Assessment(commands::assessment::AssessmentCommand),
    /// Cadre eco records (Art. 16).
    #[command(subcommand)]
    Cadre(commands::assessment::CadreCommand),
    /// Accountability cases (追责, Arts. 17-18): open, propose, investigate, decide, appeal.
    #[command(subcommand)]
    Cases(commands::cases::CasesCommand),
    /// Natural-resource asset accounts (自然资源资产账户): import, show, export.
    #[command(subcommand)]
    Assets(commands::audits::AssetsCommand),
    /// Departure audits (离任审计, Art. 13): due tenures, open, dossier, findings, case, report.
    #[command(subcommand)]
    Audits(commands::audits::AuditsCommand),
    /// The scheduler: a pass, notifications, the outbox sender.
    #[command(subcommand)]
    Scheduler(commands::scheduler::SchedulerCommand),
    /// Benchmarks on generated national-scale data.
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
    /// Users of the web application: API tokens.
    #[command(subcommand)]
    User(commands::users::UserCommand),
    /// Environmental zoning control (生态环境分区管控, Art. 7(2)): control units, admission lists, project checks.
    #[command(subcommand)]
    Zoning(commands::zoning::ZoningCommand),
    /// Rivers, lakes and forests (河湖长制 / 林长制, Art. 5): waters, segments, forest areas.
    #[command(subcommand)]
    Waters(commands::waters::WatersCommand),
    /// River, lake and forest chiefs: chief posts, holders, duties, monthly patrol tables.
    #[command(subcommand)]
    Chiefs(commands::waters::ChiefsCommand),
    /// Patrols (巡河 / 巡林) and the problems they find; chiefs behind their frequency.
    #[command(subcommand)]
    Patrols(commands::waters::PatrolsCommand),
}

/// Commands that use the database run on a Tokio runtime.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

async fn run_async(ctx: &Context, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Framework(cmd) => commands::framework::run(ctx, cmd).await,
        Command::Init(args) => commands::init::run(ctx, args).await,
        Command::Serve(args) => commands::serve::run(ctx, args).await,
        Command::Demo(args) => commands::demo::run(ctx, args).await,
        Command::Regions(cmd) => commands::regions::run(ctx, cmd).await,
        Command::Org(cmd) => commands::records::org(ctx, cmd).await,
        Command::Post(cmd) => commands::records::post(ctx, cmd).await,
        Command::Person(cmd) => commands::records::person(ctx, cmd).await,
        Command::Tenure(cmd) => commands::records::tenure(ctx, cmd).await,
        Command::Who(args) => commands::who::who(ctx, args).await,
        Command::History(args) => commands::who::history(ctx, args).await,
        Command::Roster(cmd) => commands::roster::run(ctx, cmd).await,
        Command::Duties(args) => commands::duties::run(ctx, args).await,
        Command::Log(args) => commands::ledger::log(ctx, args).await,
        Command::Ledger(cmd) => commands::ledger::run(ctx, cmd).await,
        Command::Bench(cmd) => commands::bench::run(ctx, cmd).await,
        Command::Plans(cmd) => commands::plans::run(ctx, cmd).await,
        Command::Inspections(cmd) => commands::inspections::run(ctx, cmd).await,
        Command::Findings(cmd) => commands::findings::run(ctx, cmd).await,
        Command::Checks(cmd) => commands::checks::run(ctx, cmd).await,
        Command::Complaints(cmd) => commands::complaints::run(ctx, cmd).await,
        Command::Emergencies(cmd) => commands::emergencies::run(ctx, cmd).await,
        Command::Risk(cmd) => commands::emergencies::risk(ctx, cmd).await,
        Command::Assessment(cmd) => commands::assessment::run(ctx, cmd).await,
        Command::Cadre(cmd) => commands::assessment::cadre(ctx, cmd).await,
        Command::Cases(cmd) => commands::cases::run(ctx, cmd).await,
        Command::Assets(cmd) => commands::audits::assets(ctx, cmd).await,
        Command::Audits(cmd) => commands::audits::run(ctx, cmd).await,
        Command::Scheduler(cmd) => commands::scheduler::run(ctx, cmd).await,
        Command::User(cmd) => commands::users::run(ctx, cmd).await,
        Command::Zoning(cmd) => commands::zoning::run(ctx, cmd).await,
        Command::Waters(cmd) => commands::waters::waters(ctx, cmd).await,
        Command::Chiefs(cmd) => commands::waters::chiefs(ctx, cmd).await,
        Command::Patrols(cmd) => commands::waters::patrols(ctx, cmd).await,
        Command::Targets(cmd) => commands::targets::run(ctx, cmd).await,
        Command::Indicators(cmd) => commands::indicators::run(ctx, cmd).await,
        Command::Warnings(args) => commands::warnings::run(ctx, args).await,
        Command::Air(_) | Command::Water(_) => {
            unreachable!("file-only commands run without a runtime")
        }
    }
}

fn main() {
    let cli = Cli::parse();
    // A command's user reads messages, not logs: sqlx's own warnings (a slow statement) are
    // for the operator of a server, so only `serve` shows them unless ECODUTY_LOG says.
    let default_log = if matches!(cli.command, Command::Serve(_)) {
        "warn"
    } else {
        "warn,sqlx=error"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ECODUTY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_log)),
        )
        .with_writer(std::io::stderr)
        .init();
    let ctx = Context::new(cli.db, cli.actor);
    let result = match cli.command {
        Command::Air(commands::air::AirCommand::Import(args)) => {
            runtime().and_then(|rt| rt.block_on(commands::air_import::air_import(&ctx, args)))
        }
        Command::Air(cmd) => commands::air::run(cmd),
        Command::Water(commands::water::WaterCommand::Import(args)) => {
            runtime().and_then(|rt| rt.block_on(commands::water::import(&ctx, args)))
        }
        Command::Water(cmd) => commands::water::run(cmd),
        other => runtime().and_then(|rt| rt.block_on(run_async(&ctx, other))),
    };
    if let Err(err) = result {
        std::process::exit(exit::report(&err));
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks every command's definition (duplicate names, conflicting flags) here rather
    /// than when a user first runs the broken command.
    #[test]
    fn every_command_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
