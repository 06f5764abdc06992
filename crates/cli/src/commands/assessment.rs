//! `ecoduty assessment …` and `ecoduty cadre record`: the yearly assessment (考核评价,
//! Arts. 14–16) — schemes (考核细则) imported and exported as sheets, entries of the scoring
//! organisations, scoring runs (draft → reviewed → published, corrections), objections (申诉)
//! and a person's eco record (Art. 16).

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_domain::assessment::scheme::Grading;
use ecoduty_domain::assessment::sheet::{item_rows, parse_items, COLUMNS};
use ecoduty_domain::assessment::{fmt_points, UnitRef};
use ecoduty_store::assessment::runs::{NewEntry, NewObjection, ObjectionAnswer};
use ecoduty_store::assessment::schemes::SchemeImport;
use ecoduty_store::assessment::{Adjustment, Run};
use serde_json::json;

use super::findings::upload_evidence;
use super::{parse_day, parse_region, print_json, print_table, today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum AssessmentCommand {
    /// Schemes (考核细则): import or export the sheet, show one.
    #[command(subcommand)]
    Scheme(SchemeCommand),
    /// Score every unit of a region's scheme for a year and keep the run (a draft; after
    /// publication only with --correction).
    Run {
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
        /// The day the facts are read as of (default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// After publication: why the results are corrected.
        #[arg(long)]
        correction: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show a region's run for a year; with --unit, that unit's explained lines.
    Show {
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark a draft reviewed (by someone other than who ran it: use --actor).
    Review { run: i64 },
    /// Publish a reviewed run; the objection window opens that day.
    Publish {
        run: i64,
        #[arg(long)]
        on: Option<String>,
    },
    /// Enter a scoring organisation's result for a manual or veto item, with evidence.
    Enter {
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
        /// The assessed unit: a region code or org:ID.
        #[arg(long)]
        unit: String,
        /// The item's number (序号).
        #[arg(long)]
        item: String,
        /// The points earned (a deduction's are negative); 0 for a veto item.
        #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
        points: f64,
        /// For a veto item: the veto applies.
        #[arg(long)]
        veto: bool,
        #[arg(long)]
        reason: String,
        /// Evidence files (PDF, images, office documents).
        #[arg(long, required = true)]
        evidence: Vec<PathBuf>,
        #[arg(long)]
        on: Option<String>,
    },
    /// Lodge a unit's objection (申诉) to a published run.
    Object {
        run: i64,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        item: Option<String>,
        #[arg(long)]
        text: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// Answer an objection: --uphold (optionally --item/--points to change a score) or not.
    Answer {
        objection: i64,
        #[arg(long)]
        uphold: bool,
        #[arg(long)]
        text: String,
        #[arg(long, requires = "points")]
        item: Option<String>,
        #[arg(long, requires = "item", allow_hyphen_values = true)]
        points: Option<f64>,
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum SchemeCommand {
    /// Import a 考核细则 sheet (XLSX or CSV), all or nothing.
    Import {
        file: PathBuf,
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        title: Option<String>,
        /// Assessed units, comma-separated (region codes or org:ID); default: every region
        /// directly under the assessing region.
        #[arg(long, value_delimiter = ',')]
        units: Vec<String>,
        /// Grades best first, e.g. 优秀:90,良好:80,一般:60,较差.
        #[arg(long, default_value = "优秀:90,良好:80,一般:60,较差")]
        grades: String,
        /// At most this percent of units in the best grade; 0 or more, "none" for no quota.
        #[arg(long, default_value = "30")]
        quota: String,
        /// Days after publication to lodge an objection.
        #[arg(long, default_value_t = 10)]
        objection_days: u32,
        /// Why the scheme changes after scoring started (required then).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Export a scheme to a sheet (XLSX or CSV) that `scheme import` reads back.
    Export {
        file: PathBuf,
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
    },
    /// Show a scheme: settings and items.
    Show {
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum CadreCommand {
    /// A person's eco record across every tenure (Art. 16).
    Record {
        #[arg(long)]
        person: i64,
        #[arg(long)]
        json: bool,
    },
}

fn day_or_today(s: Option<String>) -> anyhow::Result<chrono::NaiveDate> {
    s.as_deref()
        .map(parse_day)
        .transpose()
        .map(|d| d.unwrap_or_else(today))
}

fn unit(s: &str) -> anyhow::Result<UnitRef> {
    UnitRef::parse(s).map_err(user_error)
}

/// The run in the JSON shape.
fn run_json(run: &Run) -> serde_json::Value {
    json!({
        "run": run.id,
        "rev": run.rev,
        "status": run.status.key(),
        "scheme_version": run.scheme_rev,
        "year": run.year,
        "as_of": run.as_of,
        "units": run.results.iter().map(|u| json!({
            "unit": u.unit.key(),
            "name": u.name,
            "total": u.total,
            "grade": u.grade,
            "rank": u.rank,
            "vetoed": u.vetoed,
            "quota_moved": u.quota_moved,
            "lines": u.lines.iter().map(|l| json!({
                "item": l.item,
                "content": l.content,
                "rule": l.rule,
                "points": l.points,
                "earned": l.earned,
                "pending": l.pending,
                "explanation_zh": l.explanation_zh,
                "explanation_en": l.explanation_en,
                "inputs": l.inputs,
                "sources": l.sources,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn print_run(run: &Run) {
    println!(
        "{} 年度考核 run #{} rev {} — {}({}),细则第 {} 版,数据截至 {}",
        run.year,
        run.id,
        run.rev,
        run.status.name_zh(),
        run.status.key(),
        run.scheme_rev,
        run.as_of
    );
    let rows: Vec<Vec<String>> = run
        .results
        .iter()
        .map(|u| {
            vec![
                u.rank.to_string(),
                u.unit.key(),
                u.name.clone(),
                fmt_points(u.total),
                u.grade.clone(),
                match (u.vetoed, u.quota_moved) {
                    (true, _) => "一票否决".into(),
                    (_, true) => "受优秀名额限制".into(),
                    _ => String::new(),
                },
                if u.pending > 0 {
                    format!("{} 项待评", u.pending)
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    print_table(
        &["名次", "单位", "名称", "总分", "等次", "说明", "待评"],
        &rows,
    );
}

pub async fn run(ctx: &Context, cmd: AssessmentCommand) -> anyhow::Result<()> {
    match cmd {
        AssessmentCommand::Scheme(s) => scheme(ctx, s).await,
        AssessmentCommand::Run {
            region,
            year,
            as_of,
            correction,
            json,
        } => {
            let store = ctx.store().await?;
            let run = store
                .run_assessment(
                    &ctx.change(format!("{year} 年度考核计分")),
                    &parse_region(&region)?,
                    year,
                    day_or_today(as_of)?,
                    correction.as_deref(),
                )
                .await
                .or_user("score the assessment")?;
            if json {
                return print_json(&run_json(&run));
            }
            print_run(&run);
            Ok(())
        }
        AssessmentCommand::Show {
            region,
            year,
            unit: which,
            json,
        } => {
            let store = ctx.store().await?;
            let code = parse_region(&region)?;
            let run = store
                .assessment_run_for(&code, year)
                .await
                .or_user("read the run")?
                .ok_or_else(|| user_error(format!("{code} has not scored {year} yet")))?;
            let Some(which) = which else {
                if json {
                    return print_json(&run_json(&run));
                }
                print_run(&run);
                return Ok(());
            };
            let u = unit(&which)?;
            let score = run
                .results
                .iter()
                .find(|r| r.unit == u)
                .ok_or_else(|| user_error(format!("{u} is not assessed in run #{}", run.id)))?;
            let answerers = store
                .answerers(&u, year)
                .await
                .or_user("read the holders")?;
            if json {
                return print_json(&json!({ "result": score, "answerers": answerers }));
            }
            println!(
                "{} {}:总分 {},{},第 {} 名{}",
                score.unit,
                score.name,
                fmt_points(score.total),
                score.grade,
                score.rank,
                if score.vetoed { "(一票否决)" } else { "" }
            );
            for l in &score.lines {
                println!(
                    "  [{}] {} {}/{} — {}",
                    l.item,
                    l.content,
                    fmt_points(l.earned),
                    fmt_points(l.points),
                    l.explanation_zh
                );
                if !l.sources.is_empty() {
                    println!("      来源 sources: {}", l.sources.join(", "));
                }
            }
            println!("负责人 answering posts ({year}):");
            for a in &answerers {
                println!(
                    "  {} {} {}:{} {} 天({}%){}",
                    a.organisation,
                    a.post,
                    a.role_zh,
                    a.person,
                    a.days,
                    a.share,
                    if a.acting { " 代理" } else { "" }
                );
            }
            Ok(())
        }
        AssessmentCommand::Review { run } => {
            let store = ctx.store().await?;
            let r = store
                .review_run(&ctx.change("复核考核结果"), run)
                .await
                .or_user("review the run")?;
            println!("已复核 run #{} (rev {}) by {}", r.id, r.rev, ctx.actor);
            Ok(())
        }
        AssessmentCommand::Publish { run, on } => {
            let store = ctx.store().await?;
            let r = store
                .publish_run(&ctx.change("公布考核结果"), run, day_or_today(on)?)
                .await
                .or_user("publish the run")?;
            println!(
                "已公布 run #{} on {}",
                r.id,
                r.published_on.map(|d| d.to_string()).unwrap_or_default()
            );
            Ok(())
        }
        AssessmentCommand::Enter {
            region,
            year,
            unit: which,
            item,
            points,
            veto,
            reason,
            evidence,
            on,
        } => {
            let store = ctx.store().await?;
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            let e = store
                .enter_assessment(
                    &ctx.change(format!("考核评分:{reason}")),
                    NewEntry {
                        region_code: parse_region(&region)?,
                        year,
                        unit: unit(&which)?,
                        item,
                        earned: points,
                        triggered: veto,
                        reason,
                        evidence,
                        on: day_or_today(on)?,
                    },
                )
                .await
                .or_user("enter the result")?;
            println!(
                "已录入 entry #{} rev {}: {} item {} = {}{}",
                e.id,
                e.rev,
                e.unit,
                e.item,
                fmt_points(e.earned),
                if e.triggered { "(一票否决)" } else { "" }
            );
            Ok(())
        }
        AssessmentCommand::Object {
            run,
            unit: which,
            item,
            text,
            on,
        } => {
            let store = ctx.store().await?;
            let o = store
                .lodge_objection(
                    &ctx.change("提出申诉"),
                    NewObjection {
                        run_id: run,
                        unit: unit(&which)?,
                        item,
                        text,
                        on: day_or_today(on)?,
                    },
                )
                .await
                .or_user("lodge the objection")?;
            println!("已提出申诉 objection #{} on run #{}", o.id, o.run_id);
            Ok(())
        }
        AssessmentCommand::Answer {
            objection,
            uphold,
            text,
            item,
            points,
            on,
        } => {
            let store = ctx.store().await?;
            let (o, r) = store
                .answer_objection(
                    &ctx.change("答复申诉"),
                    objection,
                    ObjectionAnswer {
                        upheld: uphold,
                        answer: text,
                        adjust: item
                            .zip(points)
                            .map(|(item, earned)| Adjustment { item, earned }),
                        on: day_or_today(on)?,
                    },
                )
                .await
                .or_user("answer the objection")?;
            println!(
                "申诉 #{}:{};run #{} 现为 rev {}",
                o.id,
                o.status.name_zh(),
                r.id,
                r.rev
            );
            Ok(())
        }
    }
}

async fn scheme(ctx: &Context, cmd: SchemeCommand) -> anyhow::Result<()> {
    match cmd {
        SchemeCommand::Import {
            file,
            region,
            year,
            title,
            units,
            grades,
            quota,
            objection_days,
            reason,
        } => {
            let name = file.display().to_string();
            let table = ecoduty_tabular::read_path(&file).map_err(|e| user_error(e.to_string()))?;
            let items = parse_items(&table.header, &table.rows).map_err(|errors| {
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
            let quota = match quota.trim() {
                "none" | "" => None,
                q => Some(
                    q.parse::<f64>()
                        .map_err(|_| user_error(format!("--quota {q:?} is not a number")))?,
                ),
            };
            let grading = Grading::parse(&grades, quota).map_err(user_error)?;
            let units = units
                .iter()
                .map(|u| unit(u))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let store = ctx.store().await?;
            let done = store
                .import_scheme(
                    &ctx.change(format!("导入考核细则 {name}")),
                    SchemeImport {
                        region_code: parse_region(&region)?,
                        year,
                        title: title.unwrap_or_default(),
                        units,
                        items,
                        grading,
                        objection_days,
                        revision_reason: reason,
                    },
                )
                .await
                .or_user("import the scheme")?;
            let s = &done.scheme;
            if done.unchanged {
                println!("{name}: 与第 {} 版相同,未作改动 unchanged", s.rev);
            } else {
                println!(
                    "已导入 {}:第 {} 版 version {},{} 项,基本分 {},被考核单位 {} 个",
                    s.scheme.title,
                    s.rev,
                    s.rev,
                    s.scheme.items.len(),
                    fmt_points(s.scheme.base_points()),
                    s.scheme.units.len()
                );
            }
            Ok(())
        }
        SchemeCommand::Export { file, region, year } => {
            let store = ctx.store().await?;
            let code = parse_region(&region)?;
            let s = store
                .scheme(&code, year)
                .await
                .or_user("read the scheme")?
                .ok_or_else(|| user_error(format!("{code} has no scheme for {year}")))?;
            let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
            ecoduty_tabular::write_path(&file, "考核细则", &header, &item_rows(&s.scheme.items))
                .map_err(|e| user_error(e.to_string()))?;
            println!(
                "已导出 {} items of version {} to {}",
                s.scheme.items.len(),
                s.rev,
                file.display()
            );
            Ok(())
        }
        SchemeCommand::Show { region, year, json } => {
            let store = ctx.store().await?;
            let code = parse_region(&region)?;
            let s = store
                .scheme(&code, year)
                .await
                .or_user("read the scheme")?
                .ok_or_else(|| user_error(format!("{code} has no scheme for {year}")))?;
            if json {
                return print_json(&s);
            }
            println!(
                "{}(第 {} 版)等次 {},优秀名额 {},申诉期 {} 日",
                s.scheme.title,
                s.rev,
                s.scheme.grading.bands_text(),
                s.scheme
                    .grading
                    .top_quota_percent
                    .map(|q| format!("{}%", fmt_points(q)))
                    .unwrap_or_else(|| "不限".into()),
                s.scheme.objection_days
            );
            println!(
                "被考核单位 units: {}",
                s.scheme
                    .units
                    .iter()
                    .map(|u| u.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let rows: Vec<Vec<String>> = item_rows(&s.scheme.items)
                .into_iter()
                .map(|r| {
                    vec![
                        r[0].clone(),
                        r[1].clone(),
                        r[2].clone(),
                        r[3].clone(),
                        r[4].clone(),
                        r[6].clone(),
                        r[7].clone(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "序号",
                    "项目",
                    "类型",
                    "考核内容",
                    "分值",
                    "负责考核部门",
                    "规则",
                ],
                &rows,
            );
            Ok(())
        }
    }
}

pub async fn cadre(ctx: &Context, cmd: CadreCommand) -> anyhow::Result<()> {
    match cmd {
        CadreCommand::Record { person, json } => {
            let store = ctx.store().await?;
            let record = store
                .cadre_record(person, today())
                .await
                .or_user("read the cadre record")?;
            if json {
                return print_json(&record);
            }
            println!(
                "{}(#{})生态环境保护履职记录,截至 {}",
                record.person.name, record.person.id, record.on
            );
            for t in &record.tenures {
                let d = &t.tenure;
                println!(
                    "\n{} {} {}:{} 至 {}",
                    d.region.name,
                    d.organisation.name,
                    d.post.title,
                    d.tenure.start_date,
                    d.tenure
                        .end_date
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| "今".into())
                );
                for y in &t.years {
                    println!(
                        "  {} 年 {} 天({}%):{}",
                        y.year,
                        y.days,
                        y.share,
                        match (&y.grade, y.total, y.rank, y.units) {
                            (Some(g), Some(total), Some(rank), Some(n)) => format!(
                                "{g},{} 分,第 {rank}/{n} 名{}",
                                fmt_points(total),
                                if y.vetoed { ",一票否决" } else { "" }
                            ),
                            _ => "无已公布的考核结果".into(),
                        }
                    );
                }
                let f = &t.findings;
                println!(
                    "  督察问题:新增 {},销号 {},逾期 {},离任时未销号 {}",
                    f.raised, f.closed, f.overdue, f.open_at_end
                );
                for (label, facts) in [("任前", &t.indicators_start), ("离任", &t.indicators_end)]
                {
                    for i in facts {
                        println!(
                            "  {label} {}:{} {}(目标 {})",
                            i.name_zh,
                            i.value.map(fmt_points).unwrap_or_else(|| "无数据".into()),
                            i.unit,
                            i.target.map(fmt_points).unwrap_or_default()
                        );
                    }
                }
                for w in &t.warnings {
                    println!("  预警 {}:{}", w.year, w.message_zh);
                }
            }
            Ok(())
        }
    }
}
