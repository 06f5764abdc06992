//! `ecoduty who` and `ecoduty history`: who held which post when.

use clap::Args;
use ecoduty_domain::Role;
use ecoduty_store::tenures::{PostHolding, TenureDetail};
use serde::Serialize;

use super::{parse_day, parse_region, print_json, print_table, today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Args)]
pub struct WhoArgs {
    /// Region code, e.g. 410800.
    #[arg(long)]
    region: String,
    /// The date asked about (default: today).
    #[arg(long)]
    at: Option<String>,
    /// Only posts of this role.
    #[arg(long)]
    role: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct HistoryArgs {
    /// Person id, key (人员编号) or unique name.
    #[arg(long)]
    person: String,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct WhoOutput {
    region: ecoduty_domain::Region,
    at: chrono::NaiveDate,
    posts: Vec<PostHolding>,
}

pub fn tenure_text(t: &ecoduty_store::tenures::Tenure) -> String {
    format!("{}{}", t.range(), if t.acting { " 代理" } else { "" })
}

pub async fn who(ctx: &Context, args: WhoArgs) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let code = parse_region(&args.region)?;
    let region = store.require_region(&code).await.or_user("answer")?;
    let at = args
        .at
        .as_deref()
        .map(parse_day)
        .transpose()?
        .unwrap_or_else(today);
    let role: Option<Role> = args
        .role
        .as_deref()
        .map(|r| {
            r.parse()
                .map_err(|e: ecoduty_regulation::roles::UnknownRole| user_error(e.to_string()))
        })
        .transpose()?;
    let posts = store.who(&code, at, role).await.or_user("answer")?;
    if args.json {
        return print_json(&WhoOutput { region, at, posts });
    }
    println!("{} {} — {}", region.code, region.name, at);
    if posts.is_empty() {
        println!("没有职务记录 no posts recorded for this region");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = posts
        .iter()
        .map(|h| {
            vec![
                h.organisation.name.clone(),
                h.post.title.clone(),
                h.post.role.key().to_string(),
                h.holder
                    .as_ref()
                    .map(|x| x.person.name.clone())
                    .unwrap_or_else(|| "(空缺 vacant)".into()),
                h.holder
                    .as_ref()
                    .map(|x| tenure_text(&x.tenure))
                    .unwrap_or_default(),
                h.post.id.to_string(),
                h.holder
                    .as_ref()
                    .map(|x| x.person.id.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print_table(
        &[
            "机构 organisation",
            "职务 post",
            "角色 role",
            "姓名 holder",
            "任职 tenure",
            "post id",
            "person id",
        ],
        &rows,
    );
    Ok(())
}

#[derive(Serialize)]
struct HistoryOutput {
    person: ecoduty_store::people::Person,
    tenures: Vec<TenureDetail>,
    /// The accountability cases naming the person, with any influence period in force today.
    cases: Vec<ecoduty_store::accountability::PersonCase>,
    /// The departure audits of the person's tenures.
    audits: Vec<ecoduty_store::audit::Audit>,
}

pub async fn history(ctx: &Context, args: HistoryArgs) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let person = store
        .resolve_person(&args.person)
        .await
        .or_user("find the person")?;
    let tenures = store
        .person_history(person.id)
        .await
        .or_user("read the history")?;
    let cases = store
        .person_cases(person.id, today())
        .await
        .or_user("read the cases")?;
    for c in &cases {
        super::cases::log_read(
            ctx,
            &store,
            c.case_id,
            ecoduty_store::accountability::ReadVia::Cli,
        )
        .await?;
    }
    let audits = store
        .audits(&ecoduty_store::audit::AuditFilter {
            person_id: Some(person.id),
            ..Default::default()
        })
        .await
        .or_user("read the audits")?;
    if args.json {
        return print_json(&HistoryOutput {
            person,
            tenures,
            cases,
            audits,
        });
    }
    println!(
        "{} 任职经历 tenures (id {}, key {})",
        person.name, person.id, person.key
    );
    let rows: Vec<Vec<String>> = tenures
        .iter()
        .map(|d| {
            vec![
                tenure_text(&d.tenure),
                format!("{} {}", d.region.code, d.region.name),
                d.organisation.name.clone(),
                d.post.title.clone(),
                d.post.role.key().to_string(),
                d.tenure.id.to_string(),
            ]
        })
        .collect();
    print_table(
        &[
            "任职 tenure",
            "地区 region",
            "机构 organisation",
            "职务 post",
            "角色 role",
            "tenure id",
        ],
        &rows,
    );
    for c in &cases {
        println!(
            "追责 case #{} {}  {}  {}{}",
            c.case_id,
            c.title,
            c.status.name_zh(),
            c.post,
            if c.influence_in_force {
                "  影响期内 influence period in force"
            } else {
                ""
            }
        );
    }
    for a in &audits {
        println!(
            "审计 audit #{} {}  {}  (tenure {})",
            a.id,
            a.data.title,
            a.status.name_zh(),
            a.tenure_id
        );
    }
    Ok(())
}
