//! `ecoduty emergencies …` and `ecoduty risk …`: environmental emergencies (突发环境事件) —
//! report one (its chain is told at once), follow its timeline to closure, acknowledge notices,
//! see who a grade would tell — and the register of environmental risk sources (环境风险源)
//! with risk reports. Times are China time (`2026-07-09 14:30`) or RFC 3339.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use ecoduty_domain::emergency::risk::{parse_sheet, sheet_row, COLUMNS};
use ecoduty_domain::emergency::{EventKind, Level, Status, UpdateKind};
use ecoduty_store::emergency::chain::NoticeView;
use ecoduty_store::emergency::risk::NewRiskReport;
use ecoduty_store::emergency::{
    china_time, parse_china_time, EmergencyDetail, EmergencyFilter, NewEmergency, NewUpdate,
};

use super::findings::{day_or_today, keyed, upload_evidence};
use super::{parse_region, print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum EmergenciesCommand {
    /// Register an event with its first report (初报); prints the notices its chain was sent.
    Report {
        /// Where it happened (a region code).
        #[arg(long)]
        region: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        place: String,
        /// water, air, soil, hazardous_waste, radiation, ecology, other (or 水污染, 大气污染 …).
        #[arg(long)]
        kind: String,
        /// I … IV, or 特别重大, 重大, 较大, 一般.
        #[arg(long)]
        level: String,
        /// When it happened.
        #[arg(long)]
        occurred_at: String,
        /// When it was reported (default: now); the chain's deadlines run from here.
        #[arg(long)]
        reported_at: Option<String>,
        /// A pollutant (特征污染物); repeat for more.
        #[arg(long = "pollutant")]
        pollutants: Vec<String>,
        /// The risk source it came from (an id from `ecoduty risk sources`).
        #[arg(long)]
        risk_source: Option<i64>,
        /// The first report: what happened, what is known.
        #[arg(long)]
        report: String,
        /// An evidence file; repeat for more.
        #[arg(long)]
        evidence: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Events within a region's subtree, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        /// The year it happened (China time).
        #[arg(long)]
        year: Option<i32>,
        /// reported, responding, response_ended, closed, withdrawn.
        #[arg(long)]
        status: Option<String>,
        /// This grade exactly (I … IV).
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One event: its facts, its chain (who was told, acknowledged, late) and its timeline.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Add to the timeline: follow_up (续报), measure, monitoring, regrade (with --level),
    /// response_end, closure (with the investigation report as --evidence), withdrawal.
    Update {
        id: i64,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        text: String,
        /// When (default: now).
        #[arg(long)]
        at: Option<String>,
        /// For a regrade: the new grade.
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        evidence: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Record that a notice was received (确认收悉).
    Ack {
        id: i64,
        /// The notice (its number in `emergencies show`).
        #[arg(long)]
        notice: i64,
        /// How it was confirmed (电话, 短信 …).
        #[arg(long)]
        note: Option<String>,
        /// When (default: now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Who an event of a grade in a region would tell, nearest first, with their deadlines.
    Chain {
        #[arg(long)]
        region: String,
        #[arg(long)]
        level: String,
        /// The moment whose holders to name (default: now).
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum RiskCommand {
    /// Import risk sources from a sheet (CSV or XLSX; 名称, 区划代码, 行业代码, 风险物质, 风险等级,
    /// 地址, 统一社会信用代码): all rows or none; a source already there is matched by its
    /// credit code (or region and name) and updated.
    Import {
        file: PathBuf,
        /// Every row must lie within this region (default: anywhere).
        #[arg(long)]
        region: Option<String>,
    },
    /// Export the register to a sheet that `risk import` reads back.
    Export {
        file: PathBuf,
        #[arg(long)]
        region: Option<String>,
    },
    /// The register of risk sources within a region.
    Sources {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Report a risk found (a hazard at a source, or anywhere in a region).
    Report {
        #[arg(long)]
        region: String,
        #[arg(long)]
        source: Option<i64>,
        #[arg(long)]
        text: String,
        /// The day (default: today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        evidence: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Risk reports within a region, newest first.
    Reports {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// A time as typed (China time or RFC 3339), not in the future; none is now.
fn time_or_now(field: &str, text: Option<&str>) -> anyhow::Result<DateTime<Utc>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Utc::now()),
        Some(t) => {
            let at = parse_china_time(t).map_err(|m| user_error(format!("--{field}: {m}")))?;
            if at > Utc::now() + chrono::Duration::minutes(5) {
                return Err(user_error(format!("--{field}: {t} is in the future")));
            }
            Ok(at)
        }
    }
}

fn level_of(s: &str) -> anyhow::Result<Level> {
    s.parse::<Level>()
        .map_err(|m| user_error(format!("--level: {m}")))
}

fn notice_rows(notices: &[NoticeView]) -> Vec<Vec<String>> {
    notices
        .iter()
        .map(|n| {
            vec![
                n.notice.id.to_string(),
                n.region_name.clone(),
                format!("{}({})", n.post, n.role_zh),
                n.person.clone().unwrap_or_else(|| "空缺".into()),
                china_time(n.notice.due_at),
                n.notice.acknowledged_at.map(china_time).unwrap_or_default(),
                n.state.name_zh().to_string(),
            ]
        })
        .collect()
}

fn print_detail(d: &EmergencyDetail) {
    let e = &d.emergency;
    println!(
        "突发环境事件 #{} {}  {}({})  {}",
        e.id,
        e.title,
        e.level.label_zh(),
        e.level.key(),
        e.status.name_zh()
    );
    println!(
        "地区 {}  地点 {}  类型 {}  特征污染物 {}",
        e.region_code,
        e.place,
        e.kind.name_zh(),
        e.pollutants.join("、")
    );
    println!(
        "发生 {}  接报 {}  报告人 {}",
        china_time(e.occurred_at),
        china_time(e.reported_at),
        e.reported_by
    );
    if let Some(s) = &d.risk_source {
        println!(
            "风险源 #{} {}({})",
            s.id,
            s.spec.name,
            s.spec.grade.name_zh()
        );
    }
    println!("\n通知链 notification chain:");
    print_table(
        &["通知", "地区", "岗位", "当时在任", "时限", "确认", "状态"],
        &notice_rows(&d.notices),
    );
    println!("\n时间线 timeline:");
    for u in &d.updates {
        let level = u
            .new_level
            .map(|l| format!(" → {}", l.label_zh()))
            .unwrap_or_default();
        println!(
            "  {}  {}{}  {}  ({}, {} 份材料)",
            china_time(u.at),
            u.kind.name_zh(),
            level,
            u.text,
            u.recorded_by,
            u.evidence.len()
        );
    }
}

pub async fn run(ctx: &Context, cmd: EmergenciesCommand) -> anyhow::Result<()> {
    match cmd {
        EmergenciesCommand::Report {
            region,
            title,
            place,
            kind,
            level,
            occurred_at,
            reported_at,
            pollutants,
            risk_source,
            report,
            evidence,
            json,
        } => {
            let region_code = parse_region(&region)?;
            let kind = keyed::<EventKind>(&kind)?;
            let level = level_of(&level)?;
            let occurred_at = time_or_now("occurred-at", Some(&occurred_at))?;
            let reported_at = time_or_now("reported-at", reported_at.as_deref())?;
            let store = ctx.store().await?;
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            let detail = store
                .report_emergency(
                    &ctx.change(format!("接报突发环境事件:{title}")),
                    NewEmergency {
                        region_code,
                        title,
                        place,
                        kind,
                        pollutants,
                        level,
                        occurred_at,
                        reported_at,
                        risk_source_id: risk_source,
                        report,
                        evidence,
                    },
                )
                .await
                .or_user("report the event")?;
            if json {
                return print_json(&detail);
            }
            print_detail(&detail);
        }
        EmergenciesCommand::List {
            region,
            year,
            status,
            level,
            json,
        } => {
            let filter = EmergencyFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                year,
                status: status.as_deref().map(keyed::<Status>).transpose()?,
                level: level.as_deref().map(level_of).transpose()?,
            };
            let store = ctx.store().await?;
            let list = store.emergencies(&filter).await.or_user("list events")?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        china_time(e.occurred_at),
                        e.region_code.to_string(),
                        e.level.label_zh().to_string(),
                        e.kind.name_zh().to_string(),
                        e.status.name_zh().to_string(),
                        e.title.clone(),
                    ]
                })
                .collect();
            print_table(
                &["编号", "发生", "区划", "级别", "类型", "状态", "事件"],
                &rows,
            );
        }
        EmergenciesCommand::Show { id, json } => {
            let store = ctx.store().await?;
            let d = store
                .require_emergency(id)
                .await
                .or_user("read the event")?;
            if json {
                return print_json(&d);
            }
            print_detail(&d);
        }
        EmergenciesCommand::Update {
            id,
            kind,
            text,
            at,
            level,
            evidence,
            json,
        } => {
            let kind = keyed::<UpdateKind>(&kind)?;
            let new_level = level.as_deref().map(level_of).transpose()?;
            let at = time_or_now("at", at.as_deref())?;
            let store = ctx.store().await?;
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            let d = store
                .add_emergency_update(
                    &ctx.change(format!("突发环境事件 #{id} {}", kind.name_zh())),
                    id,
                    NewUpdate {
                        kind,
                        at,
                        text,
                        new_level,
                        evidence,
                    },
                )
                .await
                .or_user("update the event")?;
            if json {
                return print_json(&d);
            }
            print_detail(&d);
        }
        EmergenciesCommand::Ack {
            id,
            notice,
            note,
            at,
        } => {
            let at = time_or_now("at", at.as_deref())?;
            let store = ctx.store().await?;
            let n = store
                .emergency_notice(notice)
                .await
                .or_user("read the notice")?
                .filter(|n| n.emergency_id == id)
                .ok_or_else(|| user_error(format!("event #{id} has no notice #{notice}")))?;
            let v = store
                .acknowledge_notice(
                    &ctx.change(format!("确认收悉突发环境事件 #{id} 通知 #{}", n.id)),
                    n.id,
                    at,
                    note,
                )
                .await
                .or_user("acknowledge the notice")?;
            println!(
                "已确认收悉 notice #{} ({} {}): {}",
                v.notice.id,
                v.region_name,
                v.post,
                v.state.name_zh()
            );
        }
        EmergenciesCommand::Chain {
            region,
            level,
            at,
            json,
        } => {
            let code = parse_region(&region)?;
            let level = level_of(&level)?;
            let at = time_or_now("at", at.as_deref())?;
            let store = ctx.store().await?;
            let chain = store
                .notification_chain(&code, level, at)
                .await
                .or_user("find the chain")?;
            if json {
                return print_json(&chain);
            }
            let rows: Vec<Vec<String>> = chain
                .iter()
                .map(|c| {
                    vec![
                        c.region_name.clone(),
                        c.role_zh.clone(),
                        format!("{} {}", c.organisation, c.post),
                        c.person.clone().unwrap_or_else(|| "空缺".into())
                            + if c.acting { "(代理)" } else { "" },
                        format!("{} 分钟", c.minutes),
                    ]
                })
                .collect();
            print_table(&["地区", "职责", "岗位", "在任", "确认时限"], &rows);
        }
    }
    Ok(())
}

pub async fn risk(ctx: &Context, cmd: RiskCommand) -> anyhow::Result<()> {
    match cmd {
        RiskCommand::Import { file, region } => {
            let name = file.display().to_string();
            let scope = region.as_deref().map(parse_region).transpose()?;
            let table = ecoduty_tabular::read_path(&file).map_err(|e| user_error(e.to_string()))?;
            let specs = parse_sheet(&table.header, &table.rows).map_err(|errors| {
                user_error(format!(
                    "{name}: {} 处错误,未导入 nothing was imported:\n{}",
                    errors.len(),
                    errors
                        .iter()
                        .map(|e| format!("  {name}, line {}, {}: {}", e.line, e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("\n")
                ))
            })?;
            if specs.is_empty() {
                return Err(user_error(format!("{name}: no risk source to import")));
            }
            let store = ctx.store().await?;
            let done = store
                .import_risk_sources(
                    &ctx.change(format!("导入环境风险源名录 {name}({} 家)", specs.len())),
                    scope.as_ref(),
                    specs,
                )
                .await
                .or_user(&format!("import {name}"))?;
            println!(
                "{name}: 新增 {} created, 更新 {} updated, 未变 {} unchanged",
                done.created, done.updated, done.unchanged
            );
        }
        RiskCommand::Export { file, region } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let sources = store
                .risk_sources(within.as_ref())
                .await
                .or_user("read the register")?;
            let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            let rows: Vec<Vec<String>> = sources.iter().map(|s| sheet_row(&s.spec)).collect();
            ecoduty_tabular::write_path(&file, "环境风险源", &header, &rows)
                .map_err(|e| user_error(e.to_string()))?;
            println!("{}: {} 家 risk sources", file.display(), rows.len());
        }
        RiskCommand::Sources { region, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let sources = store
                .risk_sources(within.as_ref())
                .await
                .or_user("read the register")?;
            if json {
                return print_json(&sources);
            }
            let rows: Vec<Vec<String>> = sources
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.spec.region_code.to_string(),
                        s.spec.name.clone(),
                        s.spec.industry.clone(),
                        s.spec.grade.name_zh().to_string(),
                        s.spec.substances.join("、"),
                    ]
                })
                .collect();
            print_table(
                &["编号", "区划", "名称", "行业", "风险等级", "风险物质"],
                &rows,
            );
        }
        RiskCommand::Report {
            region,
            source,
            text,
            on,
            evidence,
            json,
        } => {
            let region_code = parse_region(&region)?;
            let reported_on = day_or_today(on.as_deref())?;
            let store = ctx.store().await?;
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            let r = store
                .report_risk(
                    &ctx.change(format!("报告环境风险 {region_code}")),
                    NewRiskReport {
                        region_code,
                        risk_source_id: source,
                        text,
                        reported_on,
                        evidence,
                    },
                    Utc::now(),
                )
                .await
                .or_user("report the risk")?;
            if json {
                return print_json(&r);
            }
            println!("已报告 risk report #{} ({})", r.id, r.reported_on);
        }
        RiskCommand::Reports { region, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let store = ctx.store().await?;
            let reports = store
                .risk_reports(within.as_ref())
                .await
                .or_user("read the reports")?;
            if json {
                return print_json(&reports);
            }
            let rows: Vec<Vec<String>> = reports
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.reported_on.to_string(),
                        r.region_code.to_string(),
                        r.risk_source_id
                            .map(|s| format!("#{s}"))
                            .unwrap_or_default(),
                        r.text.chars().take(40).collect(),
                        r.reported_by.clone(),
                    ]
                })
                .collect();
            print_table(&["编号", "日期", "区划", "风险源", "内容", "报告人"], &rows);
        }
    }
    Ok(())
}
