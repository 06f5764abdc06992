//! `ecoduty assets …` and `ecoduty audits …`: departure audits of natural-resource assets
//! (自然资源资产离任审计, Art. 13) — import the asset accounts (all or nothing, every problem
//! named with its file, line and column), show and export them; list the ended tenures due for
//! an audit, open the audit of a tenure, read its dossier, record audit findings (each a finding
//! in the rectification loop), open a case from one, issue the report.
//!
//! The command line is an operator's tool: its dossier includes the person's cases, as the
//! CLI reads cases (and logs each read) like the discipline body does.

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_domain::audit::assets::{self, rows as account_rows, AccountSpec, COLUMNS};
use ecoduty_domain::audit::AuditStatus;
use ecoduty_domain::supervision::{Category, Severity};
use ecoduty_store::accountability::ReadVia;
use ecoduty_store::audit::{Audit, AuditFilter, AuditFindingSpec, Dossier, NewAudit, ReportSpec};
use ecoduty_store::Store;

use super::findings::{day_or_today, keyed};
use super::{
    parse_day, parse_region, print_json, print_table, sheet_refused, today, Context, StoreResultExt,
};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum AssetsCommand {
    /// Import asset accounts (CSV or XLSX: 行政区划代码, 年度, 资源类别, 指标, 单位, 数值,
    /// 数据来源), all or nothing. A region's account of a year that changed is a new version.
    Import {
        file: PathBuf,
        /// Every account must lie within this region (default: anywhere).
        #[arg(long)]
        region: Option<String>,
    },
    /// The accounts of a region's subtree.
    Show {
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Write the accounts to FILE (CSV or XLSX), as `import` reads them.
    Export {
        file: PathBuf,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Subcommand)]
pub enum AuditsCommand {
    /// Ended tenures of audited posts with no audit (default: the last two years).
    Due {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Open the audit of a tenure (departure audit if it has ended, in office otherwise).
    Open {
        #[arg(long)]
        tenure: i64,
        /// The commissioning body (委托), e.g. 中共焦作市委组织部.
        #[arg(long)]
        commissioned_by: String,
        #[arg(long, default_value = "")]
        team: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Audits within a region's subtree, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        /// open or reported.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        person: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The dossier of an audit, or of a tenure on request (--tenure).
    Dossier {
        #[arg(required_unless_present = "tenure", conflicts_with = "tenure")]
        id: Option<i64>,
        #[arg(long)]
        tenure: Option<i64>,
        /// Read as of this day (default: today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record an audit finding: it becomes a finding (source: audit) assigned for rectification.
    Finding {
        id: i64,
        #[arg(long)]
        text: String,
        /// general, serious, major.
        #[arg(long, default_value = "general")]
        severity: String,
        /// air, water, soil, noise, ecology, other (default: from the text).
        #[arg(long)]
        category: Option<String>,
        #[arg(long, default_value = "")]
        measures: String,
        /// Responsible units (organisation ids; default: the audited post's organisation).
        #[arg(long = "unit")]
        units: Vec<i64>,
        #[arg(long)]
        deadline: String,
        /// The day of the act or omission (default: the tenure's last day).
        #[arg(long)]
        act_date: Option<String>,
        #[arg(long)]
        on: Option<String>,
    },
    /// Open an accountability case from an audit finding (by its number in the audit).
    Case {
        id: i64,
        #[arg(long)]
        finding: u32,
        #[arg(long, default_value = "")]
        summary: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// Issue the audit report.
    Report {
        id: i64,
        #[arg(long)]
        document_no: String,
        #[arg(long)]
        summary: String,
        /// A body the results are sent to; repeat for more.
        #[arg(long = "sent-to")]
        sent_to: Vec<String>,
        #[arg(long)]
        on: Option<String>,
    },
}

fn read_accounts(path: &std::path::Path) -> anyhow::Result<Vec<AccountSpec>> {
    let name = path.display().to_string();
    let table = ecoduty_tabular::read_path(path).map_err(|e| user_error(e.to_string()))?;
    assets::parse(&name, &table.header, &table.rows).map_err(|errors| sheet_refused(&errors))
}

pub async fn assets(ctx: &Context, cmd: AssetsCommand) -> anyhow::Result<()> {
    match cmd {
        AssetsCommand::Import { file, region } => {
            let scope = region.as_deref().map(parse_region).transpose()?;
            let specs = read_accounts(&file)?;
            let name = file.display().to_string();
            let n = specs.len();
            let store = ctx.store().await?;
            let r = store
                .import_asset_accounts(
                    &ctx.change(format!("导入自然资源资产账户 {name}({n} 个账户)")),
                    scope.as_ref(),
                    specs,
                )
                .await
                .or_user(&format!("import {name}"))?;
            println!(
                "{name}: 新增 {} created, 更新 {} updated, 未变 {} unchanged",
                r.created, r.updated, r.unchanged
            );
        }
        AssetsCommand::Show { region, year, json } => {
            let region = parse_region(&region)?;
            let store = ctx.store().await?;
            let accounts = store
                .asset_accounts_within(Some(&region), year)
                .await
                .or_user("read the accounts")?;
            if json {
                return print_json(&accounts);
            }
            let rows: Vec<Vec<String>> = accounts
                .iter()
                .flat_map(|a| {
                    a.lines.iter().map(move |l| {
                        vec![
                            a.region_code.to_string(),
                            a.year.to_string(),
                            l.category.name_zh().to_string(),
                            l.indicator.clone(),
                            format!("{} {}", l.value, l.unit),
                            l.source.clone(),
                        ]
                    })
                })
                .collect();
            print_table(&["地区", "年度", "类别", "指标", "数值", "来源"], &rows);
        }
        AssetsCommand::Export { file, region, year } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let accounts = store
                .asset_accounts_within(within.as_ref(), year)
                .await
                .or_user("read the accounts")?;
            let rows: Vec<Vec<String>> = accounts
                .iter()
                .flat_map(|a| {
                    account_rows(&AccountSpec {
                        region_code: a.region_code.clone(),
                        year: a.year,
                        lines: a.lines.clone(),
                    })
                })
                .collect();
            let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            ecoduty_tabular::write_path(&file, "自然资源资产账户", &header, &rows)
                .map_err(|e| user_error(e.to_string()))?;
            println!("{}: {} 行 rows", file.display(), rows.len());
        }
    }
    Ok(())
}

fn print_audit(a: &Audit) {
    println!(
        "审计 #{} {}  {}  {}",
        a.id,
        a.data.title,
        a.kind.name_zh(),
        a.status.name_zh()
    );
    println!(
        "期间 {} – {}  委托 {}  立项 {} ({})",
        a.data.period_start,
        a.data.period_end,
        a.data.commissioned_by,
        a.opened_on,
        a.data.opened_by
    );
    for f in &a.data.findings {
        println!(
            "  发现 {}. {}(行为日期 {},整改问题 #{})",
            f.number, f.text, f.act_date, f.finding_id
        );
    }
    if let Some(r) = &a.data.report {
        println!("报告 {} {}:{}", r.document_no, r.issued_on, r.summary);
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

fn print_dossier(d: &Dossier) {
    let t = &d.tenure;
    println!(
        "审计资料 dossier: {}  {} {}  {} – {}",
        d.person.name, t.organisation.name, t.post.title, d.period_start, d.period_end
    );
    println!(
        "\n自然资源资产账户 {} 年 → {} 年:",
        d.assets
            .start_year
            .map(|y| y.to_string())
            .unwrap_or("—".into()),
        d.assets
            .end_year
            .map(|y| y.to_string())
            .unwrap_or("—".into())
    );
    let rows: Vec<Vec<String>> = d
        .assets
        .lines
        .iter()
        .map(|c| {
            vec![
                c.category.name_zh().to_string(),
                format!("{}({})", c.indicator, c.unit),
                fmt(c.start),
                fmt(c.end),
                fmt(c.change),
                c.change_percent
                    .map(|p| format!("{p:+.2}%"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_table(&["类别", "指标", "任初", "任末", "变化", "%"], &rows);
    println!("\n各年度 years:");
    let rows: Vec<Vec<String>> = d
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.year.to_string(),
                y.year.days.to_string(),
                y.year.grade.clone().unwrap_or_else(|| "—".into()),
                format!("{}/{}", y.targets_met, y.targets_missed),
            ]
        })
        .collect();
    print_table(&["年度", "在任天数", "考核等次", "目标完成/未完成"], &rows);
    println!(
        "\n督察问题:提出 {},销号 {},逾期 {},离任时未销号 {}",
        d.findings.raised, d.findings.closed, d.findings.overdue, d.findings.open_at_end
    );
    for f in &d.open_findings {
        println!("  #{} {} ({})", f.id, f.text, f.status);
    }
    println!(
        "信访举报:受理 {},办结 {},逾期 {}",
        d.complaints.received, d.complaints.answered, d.complaints.overdue
    );
    println!(
        "督察 {} 次,突发环境事件 {} 起",
        d.inspections.len(),
        d.emergencies.len()
    );
    for e in &d.emergencies {
        println!("  #{} {} {} {}", e.id, e.occurred_on, e.level, e.title);
    }
    println!("责任追究 {} 件", d.cases.len());
    for c in &d.cases {
        println!("  #{} {} {}", c.case_id, c.title, c.status.name_zh());
    }
    for f in &d.audit_findings {
        println!("审计发现 {}. {}", f.number, f.text);
    }
}

/// Logs the reads of the cases a dossier shows (the CLI reads cases like the discipline body).
async fn log_case_reads(ctx: &Context, store: &Store, d: &Dossier) -> anyhow::Result<()> {
    for c in &d.cases {
        super::cases::log_read(ctx, store, c.case_id, ReadVia::Cli).await?;
    }
    Ok(())
}

pub async fn run(ctx: &Context, cmd: AuditsCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        AuditsCommand::Due {
            region,
            from,
            to,
            json,
        } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let to = to
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or(today() + chrono::Duration::days(1));
            let from = from
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or(to - chrono::Duration::days(731));
            let due = store
                .audits_due(within.as_ref(), from, to)
                .await
                .or_user("list the tenures due")?;
            if json {
                return print_json(&due);
            }
            let rows: Vec<Vec<String>> = due
                .iter()
                .map(|d| {
                    vec![
                        d.tenure_id.to_string(),
                        d.person.clone(),
                        format!("{} {}", d.organisation, d.post),
                        format!("{} – {}", d.start_date, d.end_date),
                    ]
                })
                .collect();
            print_table(&["任职", "姓名", "岗位", "任期"], &rows);
        }
        AuditsCommand::Open {
            tenure,
            commissioned_by,
            team,
            on,
            json,
        } => {
            let a = store
                .open_audit(
                    &ctx.change("开展自然资源资产离任审计"),
                    NewAudit {
                        tenure_id: tenure,
                        commissioned_by,
                        team,
                        opened_on: day_or_today(on.as_deref())?,
                    },
                )
                .await
                .or_user("open the audit")?;
            if json {
                return print_json(&a);
            }
            print_audit(&a);
        }
        AuditsCommand::List {
            region,
            status,
            person,
            json,
        } => {
            let filter = AuditFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                status: status.as_deref().map(keyed::<AuditStatus>).transpose()?,
                person_id: person,
            };
            let audits = store.audits(&filter).await.or_user("list the audits")?;
            if json {
                return print_json(&audits);
            }
            let rows: Vec<Vec<String>> = audits
                .iter()
                .map(|a| {
                    vec![
                        a.id.to_string(),
                        a.data.title.clone(),
                        format!("{} – {}", a.data.period_start, a.data.period_end),
                        a.data.findings.len().to_string(),
                        a.status.name_zh().to_string(),
                    ]
                })
                .collect();
            print_table(&["#", "审计项目", "期间", "发现", "状态"], &rows);
        }
        AuditsCommand::Dossier {
            id,
            tenure,
            on,
            json,
        } => {
            let on = day_or_today(on.as_deref())?;
            let d = match (id, tenure) {
                (Some(id), _) => {
                    let a = store.require_audit(id).await.or_user("read the audit")?;
                    store.audit_dossier(&a, on).await
                }
                (None, Some(t)) => store.tenure_dossier_of(t, on).await,
                (None, None) => unreachable!("clap requires one"),
            }
            .or_user("read the dossier")?;
            log_case_reads(ctx, &store, &d).await?;
            if json {
                return print_json(&d);
            }
            print_dossier(&d);
        }
        AuditsCommand::Finding {
            id,
            text,
            severity,
            category,
            measures,
            units,
            deadline,
            act_date,
            on,
        } => {
            let (a, finding) = store
                .record_audit_finding(
                    &ctx.change("记录审计发现的问题"),
                    id,
                    AuditFindingSpec {
                        text,
                        category: category.as_deref().map(keyed::<Category>).transpose()?,
                        severity: keyed::<Severity>(&severity)?,
                        measures,
                        units,
                        deadline: parse_day(&deadline)?,
                        act_date: act_date.as_deref().map(parse_day).transpose()?,
                        recorded_on: day_or_today(on.as_deref())?,
                    },
                )
                .await
                .or_user("record the finding")?;
            println!(
                "审计 #{} 发现 {} 已记录,交办整改问题 #{finding}",
                a.id,
                a.data.findings.len()
            );
        }
        AuditsCommand::Case {
            id,
            finding,
            summary,
            on,
        } => {
            let case = store
                .open_case_from_audit(
                    &ctx.change("审计发现问题移送,登记问题线索"),
                    id,
                    finding,
                    &summary,
                    day_or_today(on.as_deref())?,
                )
                .await
                .or_user("open the case")?;
            println!("追责案件 #{} {}", case.id, case.data.title);
            for p in &case.data.persons {
                println!(
                    "  {} {} {}{}",
                    p.person_id,
                    p.name,
                    p.post,
                    if p.left {
                        format!("(已离任,现任 {})", p.now.join(";"))
                    } else {
                        String::new()
                    }
                );
            }
        }
        AuditsCommand::Report {
            id,
            document_no,
            summary,
            sent_to,
            on,
        } => {
            let a = store
                .report_audit(
                    &ctx.change("出具审计报告"),
                    id,
                    ReportSpec {
                        document_no,
                        issued_on: day_or_today(on.as_deref())?,
                        summary,
                        sent_to,
                    },
                )
                .await
                .or_user("issue the report")?;
            print_audit(&a);
        }
    }
    Ok(())
}
