//! `ecoduty findings …`: findings and their rectification — add, list, show with their
//! history, each step of their life (start, progress, request-closure with evidence, verify,
//! return, close, extend, long-term, review), the ledger sheet's import and export (XLSX or
//! CSV, all rows or none), and evidence files. Also the helpers the other supervision commands
//! share (evidence upload, dates, keyed values) and `ecoduty bench supervision`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use ecoduty_domain::supervision::evidence::{EvidencePolicy, DEFAULT_MAX_BYTES};
use ecoduty_domain::supervision::finding::Status;
use ecoduty_domain::supervision::sheet::{export_header, read_sheet};
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_store::supervision::findings::{
    Finding, FindingAction, FindingFilter, NewFinding, SheetImport,
};
use ecoduty_store::supervision::{EvidenceRef, Page, PageRequest};
use ecoduty_store::{Store, StoreError};
use serde::Serialize;

use super::{
    parse_day, parse_region, print_json, print_table, store_error, today, Context, StoreResultExt,
};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum FindingsCommand {
    /// Add a finding, assigned (交办) to its responsible units.
    Add(AddArgs),
    /// List findings, newest first (filter by region subtree, status, overdue …).
    List(ListArgs),
    /// One finding with every step of its life.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// The responsible unit starts rectifying (开始整改).
    Start(StepArgs),
    /// Report progress (进展情况).
    Progress {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long)]
        text: String,
    },
    /// Ask for the finding to be closed (申请销号), with evidence files.
    RequestClosure {
        #[command(flatten)]
        step: StepArgs,
        /// An evidence file (PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS, TXT, CSV); repeat for more.
        #[arg(long, required = true)]
        evidence: Vec<PathBuf>,
    },
    /// Verify the rectification (验收) — not by the one who asked for the closure.
    Verify(StepArgs),
    /// Return it for rework (退回重新整改); say what is wanting in --comment.
    Return(StepArgs),
    /// Close a verified finding (销号).
    Close(StepArgs),
    /// Move the deadline later (延期); the reason in --comment.
    Extend {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long)]
        deadline: String,
    },
    /// Make it a long-term item (长期坚持) reviewed every so many days.
    LongTerm {
        #[command(flatten)]
        step: StepArgs,
        #[arg(long)]
        review_every: u32,
    },
    /// Record a periodic review of a long-term item (定期复核).
    Review(StepArgs),
    /// Import a rectification ledger (整改台账, XLSX or CSV): 序号, 问题, 责任单位, 责任人,
    /// 整改时限, 整改措施, 进展情况, 是否销号 (optional 问题类别, 严重程度, 区划代码). All rows
    /// or none; rows marked 是否销号=是 come in as closure requests citing the file.
    Import(ImportArgs),
    /// Export findings as a ledger in the same columns (.xlsx or .csv by the extension).
    Export {
        file: PathBuf,
        #[arg(long)]
        region: Option<String>,
        /// Statuses, comma-separated (assigned, in_progress, closure_requested, verified,
        /// closed, long_term).
        #[arg(long)]
        status: Option<String>,
        /// Only the findings of this inspection (its 整改台账).
        #[arg(long)]
        inspection: Option<i64>,
        /// Whose names to write as 责任人: the holders on this day (default today).
        #[arg(long)]
        on: Option<String>,
    },
    /// Write a stored evidence file out by its SHA-256.
    Evidence {
        sha256: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
pub struct StepArgs {
    /// The finding's id.
    pub id: i64,
    #[arg(long, default_value = "")]
    pub comment: String,
    /// The day of the step (default today).
    #[arg(long)]
    pub on: Option<String>,
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    region: String,
    /// The inspection it came from (source: inspection).
    #[arg(long)]
    inspection: Option<i64>,
    /// Where else it came from: audit, indicator_warning or media (complaints are promoted
    /// with `ecoduty complaints promote`).
    #[arg(long)]
    source: Option<String>,
    /// A reference for the source: a report's number, a warning, a news item.
    #[arg(long, default_value = "")]
    source_ref: String,
    /// air, water, soil, ecology, solid_waste, noise, other (or 大气, 水 …); guessed from the
    /// text when not given.
    #[arg(long)]
    category: Option<String>,
    /// general, serious or major (一般, 较重, 严重).
    #[arg(long, default_value = "general")]
    severity: String,
    #[arg(long)]
    text: String,
    #[arg(long, default_value = "")]
    measures: String,
    /// A responsible unit (organisation id); repeat for more.
    #[arg(long = "unit", required = true)]
    units: Vec<i64>,
    /// A responsible post (post id) of one of the units; repeat for more.
    #[arg(long = "post")]
    posts: Vec<i64>,
    /// The rectification deadline.
    #[arg(long, conflicts_with = "long_term")]
    deadline: Option<String>,
    /// Instead of a deadline: a long-term item reviewed every so many days.
    #[arg(long)]
    long_term: Option<u32>,
    /// The day it is assigned (default today).
    #[arg(long)]
    on: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    region: Option<String>,
    /// Statuses, comma-separated.
    #[arg(long)]
    status: Option<String>,
    /// Only overdue findings still with their units.
    #[arg(long)]
    overdue: bool,
    #[arg(long)]
    category: Option<String>,
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    inspection: Option<i64>,
    /// Findings this organisation is responsible for.
    #[arg(long)]
    unit: Option<i64>,
    #[arg(long, default_value_t = 50)]
    limit: i64,
    /// The page after this id (the last id of the page before).
    #[arg(long)]
    before: Option<i64>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// The region of rows without 区划代码; rows with one must lie within it.
    #[arg(long)]
    region: String,
    #[arg(long)]
    inspection: Option<i64>,
    /// Source of the findings when not an inspection: audit, indicator_warning, media.
    #[arg(long)]
    source: Option<String>,
    /// Category of rows without 问题类别 (default: guessed from each row's text).
    #[arg(long)]
    category: Option<String>,
    #[arg(long, default_value = "general")]
    severity: String,
    /// Review interval of rows whose deadline is 长期坚持.
    #[arg(long, default_value_t = 90)]
    review_every: u32,
    /// The day of the import (whose post holders 责任人 names are matched against).
    #[arg(long)]
    on: Option<String>,
    #[arg(long)]
    json: bool,
}

/// A value of a keyed set (category, status …) as a user typed it.
pub(super) fn keyed<T: std::str::FromStr<Err = String>>(s: &str) -> anyhow::Result<T> {
    s.parse().map_err(user_error)
}

/// The day a step happens: the one given, or today.
pub(super) fn day_or_today(on: Option<&str>) -> anyhow::Result<NaiveDate> {
    on.map(parse_day)
        .transpose()
        .map(|d| d.unwrap_or_else(today))
}

/// The evidence policy: the default limit, or ECODUTY_EVIDENCE_MAX_BYTES.
pub(super) fn evidence_policy() -> anyhow::Result<EvidencePolicy> {
    match std::env::var("ECODUTY_EVIDENCE_MAX_BYTES") {
        Ok(v) => v
            .trim()
            .parse()
            .map(|max_bytes| EvidencePolicy { max_bytes })
            .map_err(|_| {
                user_error(format!(
                    "ECODUTY_EVIDENCE_MAX_BYTES={v:?} is not a number of bytes"
                ))
            }),
        Err(_) => Ok(EvidencePolicy {
            max_bytes: DEFAULT_MAX_BYTES,
        }),
    }
}

/// Stores evidence files (checked by type and size) and returns their references.
pub(super) async fn upload_evidence(
    ctx: &Context,
    store: &Store,
    files: &[PathBuf],
) -> anyhow::Result<Vec<EvidenceRef>> {
    let policy = evidence_policy()?;
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let bytes = std::fs::read(file)
            .map_err(|e| user_error(format!("cannot read {}: {e}", file.display())))?;
        let name = file_name(file);
        let (reference, info) = store
            .add_evidence(
                &ctx.change(format!("上传佐证材料 {name}")),
                &name,
                &bytes,
                &policy,
            )
            .await
            .or_user("store the evidence")?;
        eprintln!(
            "佐证材料 {name}: {} {} bytes sha256 {}",
            info.kind.name_zh(),
            info.size,
            info.sha256
        );
        out.push(reference);
    }
    Ok(out)
}

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn statuses(s: Option<&str>) -> anyhow::Result<Vec<Status>> {
    s.map(|s| {
        s.split(',')
            .filter(|x| !x.trim().is_empty())
            .map(keyed)
            .collect()
    })
    .unwrap_or_else(|| Ok(Vec::new()))
}

fn source_of(inspection: Option<i64>, source: Option<&str>) -> anyhow::Result<Source> {
    match (inspection, source) {
        (Some(_), None) => Ok(Source::Inspection),
        (Some(_), Some(s)) if keyed::<Source>(s)? == Source::Inspection => Ok(Source::Inspection),
        (Some(_), Some(_)) => Err(user_error(
            "--inspection is for findings whose source is an inspection",
        )),
        (None, Some(s)) => keyed(s),
        (None, None) => Err(user_error(
            "give --inspection ID, or --source audit|indicator_warning|media",
        )),
    }
}

fn row(f: &Finding) -> Vec<String> {
    let mut text: String = f.text.chars().take(30).collect();
    if f.text.chars().count() > 30 {
        text.push('…');
    }
    vec![
        f.id.to_string(),
        f.region_code.to_string(),
        f.category.name_zh().to_string(),
        f.severity.name_zh().to_string(),
        f.status.name_zh().to_string(),
        f.deadline
            .map(|d| d.to_string())
            .unwrap_or_else(|| "长期坚持".into()),
        f.overdue_since
            .map(|d| format!("{d} 起逾期"))
            .unwrap_or_default(),
        text,
    ]
}

fn print_page(page: &Page<Finding>) {
    let rows: Vec<Vec<String>> = page.items.iter().map(row).collect();
    print_table(
        &[
            "编号",
            "区划",
            "类别",
            "程度",
            "状态",
            "整改时限",
            "逾期",
            "问题",
        ],
        &rows,
    );
    if let Some(next) = page.next_before {
        println!("(更多 more: --before {next})");
    }
}

#[derive(Serialize)]
struct Shown {
    finding: Finding,
    history: Vec<Finding>,
}

async fn step(ctx: &Context, step: StepArgs, action: FindingAction) -> anyhow::Result<()> {
    let on = day_or_today(step.on.as_deref())?;
    let store = ctx.store().await?;
    let name = match &action {
        FindingAction::Start => "开始整改",
        FindingAction::Progress { .. } => "报送进展",
        FindingAction::RequestClosure { .. } => "申请销号",
        FindingAction::Verify => "验收通过",
        FindingAction::Return => "退回重新整改",
        FindingAction::Close => "销号",
        FindingAction::ExtendDeadline { .. } => "延期",
        FindingAction::LongTerm { .. } => "转为长期坚持",
        FindingAction::Review => "定期复核",
    };
    let reason = if step.comment.trim().is_empty() {
        format!("问题 #{} {name}", step.id)
    } else {
        format!("问题 #{} {name}:{}", step.id, step.comment.trim())
    };
    let f = store
        .transition_finding(&ctx.change(reason), step.id, action, &step.comment, on)
        .await
        .or_user(name)?;
    println!(
        "问题 #{} {name} → {}(第 {} 版)",
        f.id,
        f.status.name_zh(),
        f.rev
    );
    Ok(())
}

pub async fn run(ctx: &Context, cmd: FindingsCommand) -> anyhow::Result<()> {
    match cmd {
        FindingsCommand::Add(a) => {
            let region = parse_region(&a.region)?;
            let on = day_or_today(a.on.as_deref())?;
            let deadline = a.deadline.as_deref().map(parse_day).transpose()?;
            if deadline.is_none() && a.long_term.is_none() {
                return Err(user_error(
                    "give --deadline DATE, or --long-term DAYS for a long-term item",
                ));
            }
            let new = NewFinding {
                region_code: region,
                source: source_of(a.inspection, a.source.as_deref())?,
                inspection_id: a.inspection,
                complaint_id: None,
                source_ref: a.source_ref,
                serial: String::new(),
                category: match a.category.as_deref() {
                    Some(c) => keyed(c)?,
                    None => Category::guess(&a.text),
                },
                severity: keyed(&a.severity)?,
                text: a.text,
                measures: a.measures,
                units: a.units,
                posts: a.posts,
                deadline,
                review_every_days: a.long_term,
            };
            let store = ctx.store().await?;
            let f = store
                .create_finding(&ctx.change("交办问题"), new, on)
                .await
                .or_user("add the finding")?;
            if a.json {
                return print_json(&f);
            }
            println!(
                "已交办 assigned finding #{} ({}, {})",
                f.id,
                f.category.name_zh(),
                f.status.name_zh()
            );
        }
        FindingsCommand::List(a) => {
            let filter = FindingFilter {
                within: a.region.as_deref().map(parse_region).transpose()?,
                statuses: statuses(a.status.as_deref())?,
                overdue: a.overdue,
                category: a.category.as_deref().map(keyed).transpose()?,
                severity: None,
                source: a.source.as_deref().map(keyed).transpose()?,
                inspection_id: a.inspection,
                complaint_id: None,
                organisation_id: a.unit,
            };
            let store = ctx.store().await?;
            let page = store
                .findings_page(
                    &filter,
                    PageRequest {
                        before: a.before,
                        limit: a.limit,
                    },
                )
                .await
                .or_user("list findings")?;
            if a.json {
                return print_json(&page);
            }
            print_page(&page);
        }
        FindingsCommand::Show { id, json } => {
            let store = ctx.store().await?;
            let finding = store
                .finding(id)
                .await
                .or_user("read the finding")?
                .ok_or_else(|| user_error(format!("finding {id} not found")))?;
            let history = store
                .finding_history(id)
                .await
                .or_user("read the finding")?;
            if json {
                return print_json(&Shown { finding, history });
            }
            println!(
                "问题 #{} [{}] {}",
                finding.id, finding.region_code, finding.text
            );
            println!(
                "  来源 {}  类别 {}  程度 {}  状态 {}  整改时限 {}",
                finding.source.name_zh(),
                finding.category.name_zh(),
                finding.severity.name_zh(),
                finding.status.name_zh(),
                finding
                    .deadline
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "长期坚持".into())
            );
            let rows: Vec<Vec<String>> = history
                .iter()
                .map(|v| {
                    vec![
                        v.rev.to_string(),
                        v.step.on.to_string(),
                        v.step.event.clone(),
                        v.step.actor.clone(),
                        v.status.name_zh().to_string(),
                        v.step.comment.clone(),
                        v.closure_evidence
                            .iter()
                            .map(|e| e.name.clone())
                            .collect::<Vec<_>>()
                            .join("、"),
                    ]
                })
                .collect();
            print_table(
                &["版本", "日期", "环节", "办理人", "状态", "说明", "佐证"],
                &rows,
            );
        }
        FindingsCommand::Start(s) => step(ctx, s, FindingAction::Start).await?,
        FindingsCommand::Progress { step: s, text } => {
            step(ctx, s, FindingAction::Progress { text }).await?
        }
        FindingsCommand::RequestClosure { step: s, evidence } => {
            let store = ctx.store().await?;
            let refs = upload_evidence(ctx, &store, &evidence).await?;
            step(ctx, s, FindingAction::RequestClosure { evidence: refs }).await?
        }
        FindingsCommand::Verify(s) => step(ctx, s, FindingAction::Verify).await?,
        FindingsCommand::Return(s) => step(ctx, s, FindingAction::Return).await?,
        FindingsCommand::Close(s) => step(ctx, s, FindingAction::Close).await?,
        FindingsCommand::Extend { step: s, deadline } => {
            let deadline = parse_day(&deadline)?;
            step(ctx, s, FindingAction::ExtendDeadline { deadline }).await?
        }
        FindingsCommand::LongTerm {
            step: s,
            review_every,
        } => {
            step(
                ctx,
                s,
                FindingAction::LongTerm {
                    review_every_days: review_every,
                },
            )
            .await?
        }
        FindingsCommand::Review(s) => step(ctx, s, FindingAction::Review).await?,
        FindingsCommand::Import(a) => import(ctx, a).await?,
        FindingsCommand::Export {
            file,
            region,
            status,
            inspection,
            on,
        } => {
            let filter = FindingFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                statuses: statuses(status.as_deref())?,
                inspection_id: inspection,
                ..Default::default()
            };
            let on = day_or_today(on.as_deref())?;
            let store = ctx.store().await?;
            let rows = store
                .findings_sheet(&filter, on)
                .await
                .or_user("export findings")?;
            let cells: Vec<Vec<String>> = rows.iter().map(|r| r.to_cells()).collect();
            ecoduty_tabular::write_path(&file, "整改台账", &export_header(), &cells)
                .map_err(|e| user_error(e.to_string()))?;
            println!(
                "已导出 exported {} findings to {}",
                rows.len(),
                file.display()
            );
        }
        FindingsCommand::Evidence { sha256, out } => {
            let store = ctx.store().await?;
            let (info, bytes) = store
                .evidence_content(&sha256)
                .await
                .or_user("read the evidence")?
                .ok_or_else(|| user_error(format!("no evidence file {sha256}")))?;
            std::fs::write(&out, &bytes)
                .map_err(|e| user_error(format!("cannot write {}: {e}", out.display())))?;
            println!(
                "{} ({}, {} bytes) → {}",
                info.sha256,
                info.media_type,
                info.size,
                out.display()
            );
        }
    }
    Ok(())
}

async fn import(ctx: &Context, a: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&a.file)
        .map_err(|e| user_error(format!("cannot read {}: {e}", a.file.display())))?;
    let format = ecoduty_tabular::Format::of(&a.file).map_err(|e| user_error(e.to_string()))?;
    let name = a.file.display().to_string();
    let table =
        ecoduty_tabular::read(&bytes, format, &name).map_err(|e| user_error(e.to_string()))?;
    let report = |errors: Vec<ecoduty_domain::roster::RowError>| {
        user_error(format!(
            "{name}: {} 处错误,未导入任何一行 nothing was imported:\n{}",
            errors.len(),
            errors
                .iter()
                .map(|e| format!(
                    "  第 {} 行 line {}, {}: {}",
                    e.line, e.line, e.field, e.message
                ))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    };
    let (rows, mut errors) = read_sheet(&table.header, &table.rows);
    let region = parse_region(&a.region)?;
    let on = day_or_today(a.on.as_deref())?;
    let source = match (a.inspection, a.source.as_deref()) {
        (None, None) => Source::Inspection,
        (i, s) => source_of(i, s)?,
    };
    if source == Source::Inspection && a.inspection.is_none() {
        return Err(user_error(
            "a ledger of inspection findings needs --inspection ID (or give --source)",
        ));
    }
    let store = ctx.store().await?;
    if !errors.is_empty() {
        // Malformed rows: report them with what is wrong with the others, write nothing.
        let check = SheetImport {
            region_code: region,
            source,
            inspection_id: a.inspection,
            category: None,
            severity: Severity::General,
            review_every_days: a.review_every,
            file: None,
            check_only: true,
        };
        let closed_need_file = |e: &ecoduty_domain::roster::RowError| {
            e.field == "是否销号" && e.message.contains("台账文件")
        };
        match store
            .import_findings_sheet(&ctx.change("核对整改台账"), &rows, &check, on)
            .await
        {
            Ok(_) => {}
            Err(StoreError::Roster(more)) => {
                errors.extend(more.0.into_iter().filter(|e| !closed_need_file(e)))
            }
            Err(other) => return Err(store_error(other, "check the ledger")),
        }
        errors.sort_by_key(|e| e.line);
        return Err(report(errors));
    }
    // The file itself is kept as evidence: rows marked 销号 cite it.
    let (file, _) = store
        .add_evidence(
            &ctx.change(format!("导入整改台账 {}", file_name(&a.file))),
            &file_name(&a.file),
            &bytes,
            &evidence_policy()?,
        )
        .await
        .or_user("store the ledger file")?;
    let import = SheetImport {
        region_code: region,
        source,
        inspection_id: a.inspection,
        category: a.category.as_deref().map(keyed::<Category>).transpose()?,
        severity: keyed::<Severity>(&a.severity)?,
        review_every_days: a.review_every,
        file: Some(file),
        check_only: false,
    };
    let summary = store
        .import_findings_sheet(
            &ctx.change(format!("导入整改台账 {}", file_name(&a.file))),
            &rows,
            &import,
            on,
        )
        .await
        .map_err(|e| match e {
            StoreError::Roster(errors) => report(errors.0),
            other => store_error(other, "import the ledger"),
        })?;
    if a.json {
        return print_json(&summary);
    }
    println!(
        "已导入 imported {name}: {} findings ({} long-term, {} awaiting verification of their closure)",
        summary.created.len(),
        summary.long_term,
        summary.closure_requested
    );
    Ok(())
}

/// `ecoduty bench supervision`: a national-scale ledger and the figures the API and the
/// scheduler depend on.
#[derive(Args)]
pub struct BenchArgs {
    /// Findings to generate (spread over every county-level region).
    #[arg(long, default_value_t = 1_000_000)]
    findings: usize,
    /// List pages to time, per scope.
    #[arg(long, default_value_t = 500)]
    pages: usize,
    /// Single transitions (each its own write with its ledger entry) to time.
    #[arg(long, default_value_t = 2_000)]
    transitions: usize,
    /// Where to put the database (default: a temporary folder). With the global --db naming an
    /// empty PostgreSQL database, that database is used.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Copy the loaded SQLite database to this file before the scheduler passes, to run a pass
    /// again by hand on the same state: `ecoduty --db sqlite://FILE scheduler run-once --now DAY`.
    #[arg(long)]
    keep: Option<PathBuf>,
}

pub async fn bench(ctx: &Context, args: BenchArgs) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let url = match &ctx.db_url {
        Some(u) if u.starts_with("postgres") => u.clone(),
        Some(_) => {
            return Err(user_error(
                "bench supervision makes its own SQLite database; --db may only name an empty PostgreSQL database",
            ))
        }
        None => format!("sqlite://{}/bench.db", dir.display()),
    };
    println!("ecoduty bench supervision — database {url}");
    let options = ecoduty_fixtures::supervision::BenchOptions {
        findings: args.findings,
        pages: args.pages,
        transitions: args.transitions,
        keep: args.keep.clone(),
    };
    ecoduty_fixtures::supervision::run(&url, &options, |line| println!("{line}"))
        .await
        .map_err(|e| store_error(e, "run the benchmark"))?;
    Ok(())
}
