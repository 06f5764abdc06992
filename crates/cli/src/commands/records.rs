//! `ecoduty org|post|person|tenure …`: organisations, posts, people and tenures one at a time.
//! Every change is appended with the acting user and a reason; nothing is overwritten.

use clap::Subcommand;
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::organisations::OrganisationPatch;
use ecoduty_store::tenures::{NewTenure, TenurePatch};

use super::{parse_day, parse_region, print_json, print_table, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Add an organisation (Party committee, government or department) to a region.
    Add {
        #[arg(long)]
        region: String,
        #[arg(long)]
        name: String,
        /// party_committee (党委), government (政府) or department (部门).
        #[arg(long)]
        kind: String,
        /// The region's eco-environment department (生态环境部门).
        #[arg(long)]
        eco_department: bool,
        /// A department carrying important eco-environmental duties.
        #[arg(long)]
        eco_duties: bool,
        #[arg(long, default_value = "add an organisation")]
        reason: String,
    },
    /// List a region's organisations and their posts.
    List {
        #[arg(long)]
        region: String,
        #[arg(long)]
        include_retired: bool,
        #[arg(long)]
        json: bool,
    },
    /// Retire an organisation (it stays in the record).
    Retire {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum PostCommand {
    /// Add a post to an organisation.
    Add {
        #[arg(long)]
        org: i64,
        #[arg(long)]
        title: String,
        /// Role key (party_secretary, government_head, deputy_eco, …) or its Chinese name.
        #[arg(long)]
        role: String,
        /// For deputies: ids of the departments they oversee, comma-separated.
        #[arg(long, value_delimiter = ',')]
        portfolio: Vec<i64>,
        #[arg(long, default_value = "add a post")]
        reason: String,
    },
    /// Retire a post (it stays in the record with its tenures).
    Retire {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Add a person.
    Add {
        #[arg(long)]
        name: String,
        /// A stable key (人员编号); default P followed by the id.
        #[arg(long)]
        key: Option<String>,
        #[arg(long, default_value = "add a person")]
        reason: String,
    },
    /// Find people by part of their name.
    Find {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum TenureCommand {
    /// Record that a person holds a post from a date.
    Add {
        #[arg(long)]
        post: i64,
        /// Person id, key or (unique) name.
        #[arg(long)]
        person: String,
        #[arg(long)]
        start: String,
        /// The day the holder left (the successor may start that day).
        #[arg(long)]
        end: Option<String>,
        /// An acting appointment (代理).
        #[arg(long)]
        acting: bool,
        #[arg(long, default_value = "record an appointment")]
        reason: String,
    },
    /// Record the day a holder left the post.
    End {
        id: i64,
        #[arg(long)]
        date: String,
        #[arg(long)]
        reason: String,
    },
    /// Correct a tenure's dates or acting flag (a new version; the old one stays).
    Correct {
        id: i64,
        #[arg(long)]
        start: Option<String>,
        #[arg(long, conflicts_with = "reopen")]
        end: Option<String>,
        /// Remove the end date.
        #[arg(long)]
        reopen: bool,
        #[arg(long)]
        acting: Option<bool>,
        #[arg(long)]
        reason: String,
    },
    /// Mark a tenure entered in error; it stays in the record but no longer counts.
    Retract {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

pub async fn org(ctx: &Context, cmd: OrgCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        OrgCommand::Add {
            region,
            name,
            kind,
            eco_department,
            eco_duties,
            reason,
        } => {
            let kind: OrganisationKind = kind.parse().map_err(
                |e: ecoduty_domain::organisation::UnknownOrganisationKind| {
                    user_error(e.to_string())
                },
            )?;
            let org = store
                .add_organisation(
                    &ctx.change(reason),
                    OrganisationSpec {
                        region_code: parse_region(&region)?,
                        name,
                        kind,
                        eco_department,
                        eco_duties,
                    },
                )
                .await
                .or_user("add the organisation")?;
            println!(
                "已添加 added organisation {} {} ({})",
                org.id,
                org.name,
                org.kind.name_zh()
            );
        }
        OrgCommand::List {
            region,
            include_retired,
            json,
        } => {
            let code = parse_region(&region)?;
            store.require_region(&code).await.or_user("list")?;
            let orgs = store
                .organisations_in(&code, include_retired)
                .await
                .or_user("list")?;
            let mut out = Vec::new();
            for o in orgs {
                let posts = store
                    .posts_of(o.id, include_retired)
                    .await
                    .or_user("list")?;
                out.push((o, posts));
            }
            if json {
                #[derive(serde::Serialize)]
                struct Entry<'a> {
                    organisation: &'a ecoduty_store::organisations::Organisation,
                    posts: &'a [ecoduty_store::posts::Post],
                }
                let v: Vec<Entry> = out
                    .iter()
                    .map(|(o, p)| Entry {
                        organisation: o,
                        posts: p,
                    })
                    .collect();
                return print_json(&v);
            }
            let mut rows = Vec::new();
            for (o, posts) in &out {
                let mut flags = vec![o.kind.name_zh().to_string()];
                if o.eco_department {
                    flags.push("生态环境部门".into());
                }
                if o.eco_duties {
                    flags.push("承担重要生态环境保护职责".into());
                }
                if o.retired {
                    flags.push("已撤销".into());
                }
                rows.push(vec![
                    o.id.to_string(),
                    o.name.clone(),
                    flags.join("·"),
                    String::new(),
                    String::new(),
                ]);
                for p in posts {
                    rows.push(vec![
                        String::new(),
                        format!("  └ {}", p.title),
                        String::new(),
                        p.id.to_string(),
                        p.role.key().to_string(),
                    ]);
                }
            }
            print_table(
                &[
                    "机构 id",
                    "名称 name",
                    "类型 kind",
                    "职务 post id",
                    "角色 role",
                ],
                &rows,
            );
        }
        OrgCommand::Retire { id, reason } => {
            let org = store
                .update_organisation(
                    &ctx.change(reason),
                    id,
                    OrganisationPatch {
                        retired: Some(true),
                        ..Default::default()
                    },
                )
                .await
                .or_user("retire the organisation")?;
            println!(
                "已撤销 retired organisation {} {} (revision {})",
                org.id, org.name, org.rev
            );
        }
    }
    Ok(())
}

pub async fn post(ctx: &Context, cmd: PostCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        PostCommand::Add {
            org,
            title,
            role,
            portfolio,
            reason,
        } => {
            let role: Role = role
                .parse()
                .map_err(|e: ecoduty_regulation::roles::UnknownRole| user_error(e.to_string()))?;
            let post = store
                .add_post(
                    &ctx.change(reason),
                    PostSpec {
                        organisation_id: org,
                        title,
                        role,
                        portfolio,
                    },
                )
                .await
                .or_user("add the post")?;
            println!(
                "已添加 added post {} {} ({})",
                post.id,
                post.title,
                post.role.key()
            );
        }
        PostCommand::Retire { id, reason } => {
            let post = store
                .update_post(
                    &ctx.change(reason),
                    id,
                    ecoduty_store::posts::PostPatch {
                        retired: Some(true),
                        ..Default::default()
                    },
                )
                .await
                .or_user("retire the post")?;
            println!(
                "已撤销 retired post {} {} (revision {})",
                post.id, post.title, post.rev
            );
        }
    }
    Ok(())
}

pub async fn person(ctx: &Context, cmd: PersonCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        PersonCommand::Add { name, key, reason } => {
            let p = store
                .add_person(&ctx.change(reason), &name, key.as_deref())
                .await
                .or_user("add the person")?;
            println!("已添加 added person {} {} (key {})", p.id, p.name, p.key);
        }
        PersonCommand::Find { name, json } => {
            let found = store.find_people(&name, 100).await.or_user("find people")?;
            if json {
                return print_json(&found);
            }
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|p| vec![p.id.to_string(), p.key.clone(), p.name.clone()])
                .collect();
            print_table(&["id", "编号 key", "姓名 name"], &rows);
        }
    }
    Ok(())
}

pub async fn tenure(ctx: &Context, cmd: TenureCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let t = match cmd {
        TenureCommand::Add {
            post,
            person,
            start,
            end,
            acting,
            reason,
        } => {
            let person = store
                .resolve_person(&person)
                .await
                .or_user("find the person")?;
            store
                .add_tenure(
                    &ctx.change(reason),
                    NewTenure {
                        post_id: post,
                        person_id: person.id,
                        start_date: parse_day(&start)?,
                        end_date: end.as_deref().map(parse_day).transpose()?,
                        acting,
                    },
                )
                .await
                .or_user("add the tenure")?
        }
        TenureCommand::End { id, date, reason } => store
            .end_tenure(&ctx.change(reason), id, parse_day(&date)?)
            .await
            .or_user("end the tenure")?,
        TenureCommand::Correct {
            id,
            start,
            end,
            reopen,
            acting,
            reason,
        } => {
            let patch = TenurePatch {
                start_date: start.as_deref().map(parse_day).transpose()?,
                end_date: if reopen {
                    Some(None)
                } else {
                    end.as_deref().map(parse_day).transpose()?.map(Some)
                },
                acting,
            };
            store
                .correct_tenure(&ctx.change(reason), id, patch, "correct")
                .await
                .or_user("correct the tenure")?
        }
        TenureCommand::Retract { id, reason } => store
            .retract_tenure(&ctx.change(reason), id)
            .await
            .or_user("retract the tenure")?,
    };
    println!(
        "tenure {} revision {}: post {}, person {}, {}{}{}",
        t.id,
        t.rev,
        t.post_id,
        t.person_id,
        t.range(),
        if t.acting { " (代理 acting)" } else { "" },
        if t.retracted {
            " — 已撤回 retracted"
        } else {
            ""
        }
    );
    Ok(())
}
