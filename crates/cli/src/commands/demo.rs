//! `ecoduty demo`: builds the demo jurisdiction (with its monitoring data and last year's
//! published assessment) and prints who is responsible in 焦作市 today, with each post type's
//! responsibility list.

use chrono::Datelike;
use clap::Args;
use ecoduty_domain::{RegionCode, Role};
use ecoduty_fixtures::demo;
use ecoduty_store::duties::ListFor;

use super::{parse_day, print_json, today, Context, StoreResultExt};

#[derive(Args)]
pub struct DemoArgs {
    /// The day to report on (default today); the demo's histories run up to today.
    #[arg(long)]
    at: Option<String>,
    /// Build the demo without printing the report.
    #[arg(long)]
    quiet: bool,
    #[arg(long)]
    json: bool,
}

pub async fn run(ctx: &Context, args: DemoArgs) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let day = today();
    match demo::build(&store, &ctx.actor, day)
        .await
        .or_user("build the demo")?
    {
        Some(s) => eprintln!(
            "演示数据已建立 demo built in {}: {} organisations, {} posts, {} people, {} tenures",
            ctx.db_url(),
            s.organisations_created,
            s.posts_created,
            s.people_created,
            s.tenures_created
        ),
        None => eprintln!("演示数据已存在 the demo is already in {}", ctx.db_url()),
    }
    let quality = ecoduty_fixtures::quality_demo::build_quality(&store, &ctx.actor, day)
        .await
        .or_user("build the quality demo")?;
    if quality.air_days_imported + quality.water_months_imported + quality.targets_created > 0 {
        eprintln!(
            "监测演示数据 quality demo: {} station-days of air data, {} section-months of water data, {} targets, {} reported values",
            quality.air_days_imported, quality.water_months_imported, quality.targets_created, quality.reports_recorded
        );
    }
    if let Some(a) = ecoduty_fixtures::assessment_demo::build_assessment(&store, &ctx.actor, day)
        .await
        .or_user("build the assessment demo")?
    {
        let grades: Vec<String> = a.grades.iter().map(|(g, n)| format!("{g} {n}")).collect();
        eprintln!(
            "考核演示数据 assessment demo: {} 年度焦作市考核 run #{} published {}: {} units — {}; 一票否决 vetoed: {} (from {} findings, {} tasks, {} complaints, {} entries; ecoduty assessment show --region 410800 --year {})",
            a.year,
            a.run_id,
            a.published_on,
            a.units,
            grades.join(", "),
            a.vetoed.join(", "),
            a.findings_created,
            a.tasks_created,
            a.complaints_filed,
            a.entries_made,
            a.year
        );
        eprintln!(
            "应急演示数据 emergency demo: 突发环境事件 #{} (较大, 武陟县, closed) and the register of risk sources; ecoduty emergencies show {}",
            a.emergency_id, a.emergency_id
        );
        if let Some(case) = a.case_id {
            eprintln!(
                "追责演示数据 accountability demo: 追责案件 #{case} from an overdue finding, proposing the county head who has since moved to 象州县; ecoduty cases show {case}"
            );
        }
        if let Some(audit) = a.audit_id {
            eprintln!(
                "离任审计演示数据 audit demo: 审计 #{audit}, the departure audit of that county head, with his county's asset accounts (演示) and one audit finding; ecoduty audits dossier {audit}"
            );
        }
    }
    let zoning = ecoduty_fixtures::zoning_demo::build_zoning(&store, &ctx.actor)
        .await
        .or_user("build the zoning demo")?;
    if zoning.import.created > 0 {
        eprintln!(
            "分区管控演示数据 zoning demo: 孟州市 {} 个环境管控单元 control units with their admission lists (演示), {} project checks; ecoduty zoning units --region {}",
            zoning.import.created,
            zoning.checks.len(),
            ecoduty_fixtures::zoning_demo::COUNTY
        );
    }
    if let Some(s) = ecoduty_fixtures::supervision_demo::build_supervision(&store, &ctx.actor, day)
        .await
        .or_user("build the supervision demo")?
    {
        eprintln!(
            "督察整改演示数据 supervision demo ({}): {} inspections with {} findings in every state, {} work plans with {} tasks and {} dispatch rounds, {} registered checks, {} complaints, {} notifications for the region administrators demo.jz.admin and demo.xz.admin (no password until an administrator sets one); ecoduty findings list --region 410800",
            s.year, s.inspections, s.findings, s.plans, s.tasks, s.rounds, s.checks, s.complaints, s.notifications
        );
    }
    let waters = ecoduty_fixtures::waters_demo::build_waters(&store, &ctx.actor, day)
        .await
        .or_user("build the waters demo")?;
    if waters.chiefs_created > 0 {
        eprintln!(
            "河湖长制演示数据 waters demo: {} 条河流 rivers, {} 个河段 segments, {} 个河长/林长 chief posts, {} 次巡查 patrols ({} 个问题交办 findings); ecoduty chiefs list --region {}",
            waters.waters,
            waters.segments,
            waters.chiefs_created,
            waters.patrols,
            waters.findings,
            demo::CITY
        );
    }
    if args.quiet {
        return Ok(());
    }
    let at = args
        .at
        .as_deref()
        .map(parse_day)
        .transpose()?
        .unwrap_or(day);
    let city = RegionCode::parse(demo::CITY).expect("a valid code");
    let holdings = store.who(&city, at, None).await.or_user("answer")?;
    let mut lists = Vec::new();
    for role in Role::ALL {
        lists.push(
            store
                .responsibility_list(&city, ListFor::Role(role), at)
                .await
                .or_user("list duties")?,
        );
    }
    if args.json {
        #[derive(serde::Serialize)]
        struct Report<'a> {
            posts: &'a [ecoduty_store::tenures::PostHolding],
            responsibility_lists: &'a [ecoduty_store::duties::ResponsibilityList],
        }
        return print_json(&Report {
            posts: &holdings,
            responsibility_lists: &lists,
        });
    }
    println!("焦作市生态环境保护责任人 — who is responsible in 焦作市 on {at}\n");
    for list in &lists {
        let holders: Vec<String> = holdings
            .iter()
            .filter(|h| h.post.role == list.role)
            .map(|h| match &h.holder {
                Some(x) => format!(
                    "{}{} ({} {}, since {})",
                    x.person.name,
                    if x.tenure.acting { "(代理)" } else { "" },
                    h.organisation.name,
                    h.post.title,
                    x.tenure.start_date
                ),
                None => format!("空缺 vacant ({} {})", h.organisation.name, h.post.title),
            })
            .collect();
        println!("■ {} — {}", list.role.name_zh(), list.role.name_en());
        for h in &holders {
            println!("  {h}");
        }
        println!(
            "  责任清单 responsibility list ({} items):",
            list.duties.len()
        );
        for d in &list.duties {
            let tag = match &d.source {
                ecoduty_domain::responsibility::DutySource::Regulation { .. } => d.citation.clone(),
                ecoduty_domain::responsibility::DutySource::Local { .. } => {
                    format!("本地 local · {}", d.citation)
                }
            };
            println!("    [{tag}] {}", d.text);
        }
        println!();
    }
    let warnings = store
        .early_warnings(Some(&city), at.year(), at, at)
        .await
        .or_user("compute the early warnings")?;
    if !warnings.is_empty() {
        println!(
            "■ 约束性指标预警 — early warnings on binding indicators ({})",
            at.year()
        );
        for w in &warnings {
            println!(
                "  {} {}: {}",
                w.warning.region_code, w.region_name, w.warning.message_zh
            );
            for p in &w.posts {
                let holder = p
                    .holder
                    .as_ref()
                    .map(|h| h.name.clone())
                    .unwrap_or_else(|| "空缺 vacant".into());
                println!(
                    "    {} — {} {}: {}",
                    p.role_zh,
                    p.organisation.as_deref().unwrap_or("-"),
                    p.post.as_deref().unwrap_or("-"),
                    holder
                );
            }
        }
        println!();
    }
    println!(
        "More: ecoduty who --region 410800 · ecoduty duties --region 410800 --post ID · ecoduty history --person ID · ecoduty warnings --region 410800"
    );
    Ok(())
}
