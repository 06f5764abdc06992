//! `ecoduty cases …`: accountability cases (追责, Arts. 17–18) — open one from its source and
//! see whom the system proposes (the holders, on the matter's dates, of the posts that answer
//! for it, including those who have since left), take it up, confirm or remove persons, record
//! grounds (第十七条, or a loaded framework's situations such as 《办法》第五条第(七)项), add by
//! hand a person the system did not propose, and circumstances (第十八条), decide, record appeals, execution,
//! archiving or dismissal; a person's cases; the read log; export a case as a sheet.
//!
//! Every read of a case on the command line is logged like a read on the web (role `cli`).

use std::path::PathBuf;

use clap::Subcommand;
use ecoduty_domain::accountability::{CaseSource, CaseStatus, Circumstance, Degree, PersonState};
use ecoduty_store::accountability::{
    case_sheet, AppealAnswerSpec, AppealResult, Case, CaseFilter, DecisionSpec, NewCase,
    OutcomeSpec, ReadVia,
};
use ecoduty_store::Store;

use super::findings::{day_or_today, keyed, upload_evidence};
use super::{parse_day, parse_region, print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum CasesCommand {
    /// Open a case (问题线索) from its source; prints the persons proposed.
    Open {
        /// finding, target, assessment, complaint, emergency, manual.
        #[arg(long)]
        source: String,
        /// The source record's id (for assessment: the run's id).
        #[arg(long)]
        id: Option<i64>,
        /// The region (required for manual and assessment; otherwise the source's).
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        title: String,
        #[arg(long)]
        summary: String,
        /// A date of the act or omission; repeat for more (default: the source's).
        #[arg(long = "act-date")]
        act_dates: Vec<String>,
        /// The day the case is opened (default: today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Cases within a region's subtree, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        /// clue, investigation, decided, executed, archived, dismissed.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        source: Option<String>,
        /// Cases naming this person.
        #[arg(long)]
        person: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The forms of accountability a decision on a day chooses from: those the frameworks in
    /// force list (`framework import`), or the built-in list while none lists any.
    Forms {
        /// The day of the decision (default: today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One case: its source, persons with their posts, degrees, duties, grounds and outcome.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Take a clue up for investigation (立案调查): you become its investigator.
    TakeUp { id: i64 },
    /// Confirm a proposed person, with the reason.
    Confirm {
        id: i64,
        #[arg(long)]
        person: i64,
        #[arg(long)]
        reason: String,
    },
    /// Remove a proposed person, with the reason.
    Remove {
        id: i64,
        #[arg(long)]
        person: i64,
        #[arg(long)]
        reason: String,
    },
    /// Add by hand a person the system did not propose, confirmed with the reason: they held
    /// the post on a date of the matter. Degrees: first_responsible, leadership, direct.
    AddPerson {
        id: i64,
        #[arg(long)]
        person: i64,
        #[arg(long)]
        post: i64,
        #[arg(long)]
        degree: String,
        #[arg(long)]
        reason: String,
    },
    /// Record a ground against a confirmed person: an item of 第十七条 (1–5), or with
    /// `--framework KEY --article N` a situation (情形) of that framework (the 办法's 第五条
    /// to 第八条: `--framework accountability-measures --article 5 --item 7`).
    AddGround {
        id: i64,
        #[arg(long)]
        person: i64,
        /// The framework whose situation it is (see `ecoduty framework list`).
        #[arg(long)]
        framework: Option<String>,
        /// The framework's article (required with --framework).
        #[arg(long)]
        article: Option<u32>,
        #[arg(long)]
        item: u32,
        #[arg(long)]
        facts: String,
        #[arg(long)]
        evidence: Vec<PathBuf>,
    },
    /// Record a circumstance of 第十八条 (reported_and_remedied, prevented_or_reduced,
    /// recovered_loss, cooperated; defied_decisions, blind_decision, breached_red_lines,
    /// serious_consequences).
    AddCircumstance {
        id: i64,
        #[arg(long)]
        person: i64,
        #[arg(long)]
        circumstance: String,
        #[arg(long)]
        facts: String,
        #[arg(long)]
        evidence: Vec<PathBuf>,
    },
    /// Record the decision (决定书). Each confirmed person gets `--outcome
    /// PERSON:FORM[,FORM…][:UNTIL]` or `--exempt PERSON:REASON`. A FORM is named as the
    /// frameworks in force list it (诫勉, 免职 …; `cases forms` lists them), or by a key of the
    /// built-in list (admonition, public_apology, transfer, resignation_for_fault,
    /// ordered_resignation, removal, demotion, disciplinary_transfer, judicial_transfer);
    /// UNTIL ends the influence period.
    Decide {
        id: i64,
        #[arg(long)]
        document_no: String,
        /// The deciding body.
        #[arg(long)]
        body: String,
        #[arg(long)]
        decided_on: Option<String>,
        /// Default: the day of the decision.
        #[arg(long)]
        effective_on: Option<String>,
        #[arg(long, default_value_t = 30)]
        appeal_days: u32,
        #[arg(long)]
        appeal_body: String,
        #[arg(long)]
        public: bool,
        #[arg(long)]
        text: String,
        #[arg(long = "outcome")]
        outcomes: Vec<String>,
        #[arg(long = "exempt")]
        exempt: Vec<String>,
    },
    /// Record an appeal (申诉) lodged by a person of the decision.
    Appeal {
        id: i64,
        #[arg(long)]
        person: i64,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        text: String,
    },
    /// Answer an appeal: upheld, changed (with --outcome) or revoked.
    Answer {
        id: i64,
        /// The appeal's number within the case.
        #[arg(long)]
        appeal: u32,
        #[arg(long)]
        result: String,
        #[arg(long)]
        text: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        outcome: Option<String>,
    },
    /// Record that the decision was carried out.
    Execute {
        id: i64,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        note: String,
    },
    /// Close the file (归档).
    Archive {
        id: i64,
        #[arg(long)]
        on: Option<String>,
    },
    /// Dismiss a case before its decision, with the reason.
    Dismiss {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// A person's cases, with influence periods in force on a day (default: today).
    Person {
        person: i64,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Who read which case, when and how.
    Reads {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        case: Option<i64>,
        #[arg(long, default_value_t = 200)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
    /// Write a case to a sheet (CSV or XLSX by extension), one row per person.
    Export { id: i64, file: PathBuf },
}

/// `PERSON:FORM,FORM[:UNTIL]`.
fn outcome_arg(text: &str) -> anyhow::Result<OutcomeSpec> {
    let mut parts = text.splitn(3, ':');
    let person = parts
        .next()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .ok_or_else(|| {
            user_error(format!(
                "--outcome {text:?}: write PERSON:FORM[,FORM…][:UNTIL]"
            ))
        })?;
    let forms = parts
        .next()
        .unwrap_or("")
        .split(',')
        .filter(|f| !f.trim().is_empty())
        .map(|f| f.trim().to_string())
        .collect::<Vec<_>>();
    let until = parts.next().map(parse_day).transpose()?;
    Ok(OutcomeSpec {
        person_id: person,
        forms,
        exempt_reason: None,
        no_promotion_until: until,
    })
}

/// `PERSON:REASON`.
fn exempt_arg(text: &str) -> anyhow::Result<OutcomeSpec> {
    let (person, reason) = text
        .split_once(':')
        .and_then(|(p, r)| p.trim().parse::<i64>().ok().map(|p| (p, r)))
        .ok_or_else(|| user_error(format!("--exempt {text:?}: write PERSON:REASON")))?;
    Ok(OutcomeSpec {
        person_id: person,
        forms: vec![],
        exempt_reason: Some(reason.to_string()),
        no_promotion_until: None,
    })
}

/// Logs a read of a case on the command line (role `cli`).
pub(super) async fn log_read(
    ctx: &Context,
    store: &Store,
    id: i64,
    via: ReadVia,
) -> anyhow::Result<()> {
    store
        .log_case_read(id, &ctx.actor, "cli", via)
        .await
        .or_user("log the read")
}

async fn read(ctx: &Context, store: &Store, id: i64, via: ReadVia) -> anyhow::Result<Case> {
    let case = store.require_case(id).await.or_user("read the case")?;
    log_read(ctx, store, id, via).await?;
    Ok(case)
}

fn print_case(c: &Case) {
    println!(
        "追责案件 #{} {}  {}  地区 {}",
        c.id,
        c.data.title,
        c.status.name_zh(),
        c.region_code
    );
    println!(
        "来源 {}  行为日期 {}  登记 {} ({})",
        c.data.source_label,
        c.data
            .act_dates
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        c.opened_on,
        c.data.opened_by
    );
    println!("线索 {}", c.data.summary);
    if let Some(i) = &c.data.investigator {
        println!("调查人 {i}");
    }
    println!("\n责任人员 persons:");
    let rows: Vec<Vec<String>> = c
        .data
        .persons
        .iter()
        .map(|p| {
            vec![
                p.person_id.to_string(),
                p.name.clone(),
                std::iter::once(format!("{} {}", p.organisation, p.post))
                    .chain(p.also.iter().map(|o| {
                        format!("又任 {} {}({})", o.organisation, o.post, o.degree.name_zh())
                    }))
                    .collect::<Vec<_>>()
                    .join(";"),
                format!(
                    "{}–{}",
                    p.tenure_start,
                    p.tenure_end.map(|e| e.to_string()).unwrap_or_default()
                ),
                if p.left {
                    format!("已离任,现任 {}", p.now.join(";"))
                } else {
                    "在任".into()
                },
                p.degree.name_zh().to_string(),
                if p.added_by_hand {
                    format!("{}(调查人增加)", p.state.name_zh())
                } else {
                    p.state.name_zh().to_string()
                },
                p.outcome
                    .as_ref()
                    .map(|o| {
                        if o.forms.is_empty() {
                            format!("免予追责:{}", o.exempt_reason.clone().unwrap_or_default())
                        } else {
                            o.forms
                                .iter()
                                .map(|f| f.label())
                                .collect::<Vec<_>>()
                                .join("、")
                        }
                    })
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_table(
        &[
            "人员",
            "姓名",
            "岗位",
            "任职",
            "现状",
            "责任程度",
            "状态",
            "处理",
        ],
        &rows,
    );
    for p in &c.data.persons {
        for g in &p.grounds {
            println!("  {} 情形 {}:{} —— {}", p.name, g.citation, g.text, g.facts);
        }
        for x in &p.circumstances {
            println!(
                "  {} 情节 {}({},{}):{}",
                p.name,
                x.circumstance.name_zh(),
                x.citation,
                x.circumstance.effect_zh(),
                x.facts
            );
        }
    }
    if let Some(d) = &c.data.decision {
        println!(
            "\n决定 {} {}  作出 {}  生效 {}  申诉期 {} 日(受理:{}){}",
            d.document_no,
            d.body,
            d.decided_on,
            d.effective_on,
            d.appeal_days,
            d.appeal_body,
            if d.public { "  公开" } else { "" }
        );
    }
    for a in &c.data.appeals {
        println!(
            "申诉 {} 人员 #{} {}:{}{}",
            a.number,
            a.person_id,
            a.lodged_on,
            a.text,
            a.answer
                .as_ref()
                .map(|x| format!(" → {} {}:{}", x.answered_on, x.result.name_zh(), x.text))
                .unwrap_or_else(|| " (未答复)".into())
        );
    }
    if let Some(r) = &c.data.dismissal {
        println!("撤销理由 {r}");
    }
}

pub async fn run(ctx: &Context, cmd: CasesCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let show = |c: Case| -> anyhow::Result<()> {
        print_case(&c);
        Ok(())
    };
    match cmd {
        CasesCommand::Open {
            source,
            id,
            region,
            title,
            summary,
            act_dates,
            on,
            json,
        } => {
            let new = NewCase {
                source: keyed::<CaseSource>(&source)?,
                source_id: id,
                region_code: region.as_deref().map(parse_region).transpose()?,
                title,
                summary,
                act_dates: act_dates
                    .iter()
                    .map(|d| parse_day(d))
                    .collect::<anyhow::Result<_>>()?,
                opened_on: day_or_today(on.as_deref())?,
            };
            let case = store
                .open_case(&ctx.change("登记问题线索"), new)
                .await
                .or_user("open the case")?;
            if json {
                return print_json(&case);
            }
            show(case)?;
        }
        CasesCommand::List {
            region,
            status,
            source,
            person,
            json,
        } => {
            let filter = CaseFilter {
                within: region.as_deref().map(parse_region).transpose()?,
                status: status.as_deref().map(keyed::<CaseStatus>).transpose()?,
                source: source.as_deref().map(keyed::<CaseSource>).transpose()?,
                person_id: person,
            };
            let cases = store.cases(&filter).await.or_user("list cases")?;
            for c in &cases {
                log_read(ctx, &store, c.id, ReadVia::Cli).await?;
            }
            if json {
                return print_json(&cases);
            }
            let rows: Vec<Vec<String>> = cases
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.opened_on.to_string(),
                        c.region_code.to_string(),
                        c.status.name_zh().to_string(),
                        c.data.title.clone(),
                        c.data
                            .persons
                            .iter()
                            .filter(|p| p.state != PersonState::Removed)
                            .count()
                            .to_string(),
                    ]
                })
                .collect();
            print_table(&["案件", "登记", "地区", "状态", "名称", "人员"], &rows);
        }
        CasesCommand::Forms { on, json } => {
            let forms = store
                .decision_forms(day_or_today(on.as_deref())?)
                .await
                .or_user("list the forms of accountability")?;
            if json {
                return print_json(&forms);
            }
            let rows: Vec<Vec<String>> = forms
                .iter()
                .map(|f| {
                    vec![
                        f.name.clone(),
                        f.group.clone().unwrap_or_default(),
                        f.framework.clone().unwrap_or_else(|| "(内置)".into()),
                        f.citation.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(&["问责方式", "类别", "规定", "依据"], &rows);
        }
        CasesCommand::Show { id, json } => {
            let case = read(ctx, &store, id, ReadVia::Cli).await?;
            if json {
                return print_json(&case);
            }
            show(case)?;
        }
        CasesCommand::TakeUp { id } => {
            show(
                store
                    .take_up_case(&ctx.change("立案调查"), id)
                    .await
                    .or_user("take up the case")?,
            )?;
        }
        CasesCommand::Confirm { id, person, reason } => {
            show(
                store
                    .set_case_person(
                        &ctx.change("确认责任人员"),
                        id,
                        person,
                        PersonState::Confirmed,
                        &reason,
                    )
                    .await
                    .or_user("confirm the person")?,
            )?;
        }
        CasesCommand::Remove { id, person, reason } => {
            show(
                store
                    .set_case_person(
                        &ctx.change("排除人员"),
                        id,
                        person,
                        PersonState::Removed,
                        &reason,
                    )
                    .await
                    .or_user("remove the person")?,
            )?;
        }
        CasesCommand::AddPerson {
            id,
            person,
            post,
            degree,
            reason,
        } => {
            let degree = keyed::<Degree>(&degree)?;
            show(
                store
                    .add_case_person(
                        &ctx.change("增加责任人员"),
                        id,
                        &ecoduty_store::accountability::AddedPerson {
                            person_id: person,
                            post_id: post,
                            degree,
                            reason,
                        },
                    )
                    .await
                    .or_user("add the person")?,
            )?;
        }
        CasesCommand::AddGround {
            id,
            person,
            framework,
            article,
            item,
            facts,
            evidence,
        } => {
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            show(
                store
                    .add_case_ground_from(
                        &ctx.change("认定追责情形"),
                        id,
                        person,
                        &ecoduty_store::accountability::GroundRef {
                            framework,
                            article,
                            item,
                        },
                        &facts,
                        evidence,
                    )
                    .await
                    .or_user("record the ground")?,
            )?;
        }
        CasesCommand::AddCircumstance {
            id,
            person,
            circumstance,
            facts,
            evidence,
        } => {
            let circumstance = keyed::<Circumstance>(&circumstance)?;
            let evidence = upload_evidence(ctx, &store, &evidence).await?;
            show(
                store
                    .add_case_circumstance(
                        &ctx.change("记录从轻从重情节"),
                        id,
                        person,
                        circumstance,
                        &facts,
                        evidence,
                    )
                    .await
                    .or_user("record the circumstance")?,
            )?;
        }
        CasesCommand::Decide {
            id,
            document_no,
            body,
            decided_on,
            effective_on,
            appeal_days,
            appeal_body,
            public,
            text,
            outcomes,
            exempt,
        } => {
            let decided_on = day_or_today(decided_on.as_deref())?;
            let effective_on = effective_on
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or(decided_on);
            let mut specs = outcomes
                .iter()
                .map(|o| outcome_arg(o))
                .collect::<anyhow::Result<Vec<_>>>()?;
            specs.extend(
                exempt
                    .iter()
                    .map(|e| exempt_arg(e))
                    .collect::<anyhow::Result<Vec<_>>>()?,
            );
            let spec = DecisionSpec {
                document_no,
                body,
                decided_on,
                effective_on,
                appeal_days,
                appeal_body,
                public,
                text,
                outcomes: specs,
            };
            show(
                store
                    .decide_case(&ctx.change("作出追责决定"), id, spec)
                    .await
                    .or_user("decide the case")?,
            )?;
        }
        CasesCommand::Appeal {
            id,
            person,
            on,
            text,
        } => {
            let on = day_or_today(on.as_deref())?;
            show(
                store
                    .lodge_case_appeal(&ctx.change("受理申诉"), id, person, on, &text)
                    .await
                    .or_user("record the appeal")?,
            )?;
        }
        CasesCommand::Answer {
            id,
            appeal,
            result,
            text,
            on,
            outcome,
        } => {
            let spec = AppealAnswerSpec {
                answered_on: day_or_today(on.as_deref())?,
                result: keyed::<AppealResult>(&result)?,
                text,
                outcome: outcome.as_deref().map(outcome_arg).transpose()?,
            };
            show(
                store
                    .answer_case_appeal(&ctx.change("答复申诉"), id, appeal, spec)
                    .await
                    .or_user("answer the appeal")?,
            )?;
        }
        CasesCommand::Execute { id, on, note } => {
            let on = day_or_today(on.as_deref())?;
            show(
                store
                    .execute_case(&ctx.change("决定执行完毕"), id, on, &note)
                    .await
                    .or_user("record the execution")?,
            )?;
        }
        CasesCommand::Archive { id, on } => {
            let on = day_or_today(on.as_deref())?;
            show(
                store
                    .archive_case(&ctx.change("归档"), id, on)
                    .await
                    .or_user("archive the case")?,
            )?;
        }
        CasesCommand::Dismiss { id, reason } => {
            show(
                store
                    .dismiss_case(&ctx.change("撤销案件"), id, &reason)
                    .await
                    .or_user("dismiss the case")?,
            )?;
        }
        CasesCommand::Person { person, on, json } => {
            let on = day_or_today(on.as_deref())?;
            let list = store
                .person_cases(person, on)
                .await
                .or_user("read the person's cases")?;
            for c in &list {
                log_read(ctx, &store, c.case_id, ReadVia::Cli).await?;
            }
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    vec![
                        c.case_id.to_string(),
                        c.title.clone(),
                        c.post.clone(),
                        c.degree.name_zh().to_string(),
                        c.status.name_zh().to_string(),
                        c.outcome
                            .as_ref()
                            .map(|o| {
                                o.forms
                                    .iter()
                                    .map(|f| f.label())
                                    .collect::<Vec<_>>()
                                    .join("、")
                            })
                            .unwrap_or_default(),
                        c.outcome
                            .as_ref()
                            .and_then(|o| o.no_promotion_until)
                            .map(|u| u.to_string())
                            .unwrap_or_default(),
                        if c.influence_in_force {
                            "影响期内"
                        } else {
                            ""
                        }
                        .to_string(),
                    ]
                })
                .collect();
            print_table(
                &[
                    "案件",
                    "名称",
                    "岗位",
                    "责任程度",
                    "状态",
                    "问责方式",
                    "影响期至",
                    "",
                ],
                &rows,
            );
        }
        CasesCommand::Reads {
            region,
            case,
            limit,
            json,
        } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let reads = store
                .case_reads(within.as_ref(), case, limit.clamp(1, 10_000))
                .await
                .or_user("read the log")?;
            if json {
                return print_json(&reads);
            }
            let rows: Vec<Vec<String>> = reads
                .iter()
                .map(|r| {
                    vec![
                        r.read_at.to_rfc3339(),
                        r.case_id.to_string(),
                        r.username.clone(),
                        r.role.clone(),
                        r.via.clone(),
                    ]
                })
                .collect();
            print_table(&["时间", "案件", "用户", "角色", "方式"], &rows);
        }
        CasesCommand::Export { id, file } => {
            let case = read(ctx, &store, id, ReadVia::Export).await?;
            let (header, rows) = case_sheet(&case);
            ecoduty_tabular::write_path(&file, "追责案件", &header, &rows)
                .map_err(|e| user_error(e.to_string()))?;
            println!("案件 #{id}: {} 名人员写入 {}", rows.len(), file.display());
        }
    }
    Ok(())
}
