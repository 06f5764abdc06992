//! `ecoduty waters …`, `ecoduty chiefs …`, `ecoduty patrols …`: rivers, lakes and forests and
//! their chiefs (河湖长制 / 林长制, Art. 5) on the command line — save a water with its segments
//! or a forest area (JSON, as the API takes them), list and show them; make a post a chief post,
//! list chiefs with who holds them, a chief's responsibility list and monthly patrol table;
//! record a patrol (JSON) whose unsolved problems become findings, list patrols, the chiefs
//! behind their required frequency, and set a region's frequency. Reads take `--json`.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Utc};
use clap::Subcommand;
use ecoduty_domain::waters::frequency::Frequency;
use ecoduty_domain::waters::{ChiefKind, ChiefLevel, ChiefSpec, ForestSpec, WaterSpec};
use ecoduty_store::duties::ListFor;
use ecoduty_store::waters::chiefs::{ChiefFilter, ChiefPatch};
use ecoduty_store::waters::patrols::{NewPatrol, PatrolFilter};

use super::{parse_day, parse_region, print_json, print_table, today, Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum WatersCommand {
    /// Save a water (JSON: code, name, kind river|lake|reservoir, segments with code, name,
    /// region_code, seq from the source, sections, target_class 1–5), all or nothing; an
    /// unchanged water writes nothing, a segment left out is withdrawn.
    Save {
        file: PathBuf,
        /// Every segment must lie within this region.
        #[arg(long)]
        region: Option<String>,
    },
    /// Save a forest area (JSON: code, name, region_code, hectares).
    Forest { file: PathBuf },
    /// Waters with a segment within a region.
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One water with its segments, source to mouth, and the chiefs of each today.
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Forest areas within a region.
    Forests {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ChiefsCommand {
    /// Make a post a chief post.
    Add {
        #[arg(long)]
        post: i64,
        /// general_river, river, lake, general_forest, forest (or 总河长, 河长 …).
        #[arg(long)]
        kind: String,
        /// province, city, county, township, village (or 省级 …).
        #[arg(long)]
        level: String,
        #[arg(long)]
        region: String,
        /// Segment codes (河长 / 湖长), comma-separated.
        #[arg(long, value_delimiter = ',')]
        segments: Vec<String>,
        /// Forest-area codes (林长), comma-separated.
        #[arg(long, value_delimiter = ',')]
        forests: Vec<String>,
    },
    /// Retire a chief post (a new version, with the reason given by --reason on the command).
    Retire { id: i64 },
    /// Chief posts within a region with who holds them on a date (default today).
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A chief post: holder, what it answers for, its responsibility list, its versions.
    Show {
        id: i64,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A chief's patrols of a month (YYYY-MM, default this month) against the frequency.
    Table {
        id: i64,
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add the six tasks of 《关于全面推行河长制的意见》 as duties of a region's river chiefs.
    AddTasks {
        #[arg(long)]
        region: String,
    },
    /// Import the 河长名录 (CSV or XLSX: 层级, 行政区划代码, 河湖, 河段编码, 职务, 姓名, 人员编码,
    /// 任职起始, 任职终止), all or nothing: each row's post and tenure must be in the roster;
    /// rows of one post make one chief post answering for their segments.
    Import {
        file: PathBuf,
        /// Every row must lie within this region (default: anywhere).
        #[arg(long)]
        region: Option<String>,
    },
    /// Write the 河长名录 of a region to FILE (CSV or XLSX), as `import` reads it.
    Export {
        file: PathBuf,
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum PatrolsCommand {
    /// Record a patrol (JSON: chief_id, target {"segment": CODE} or {"forest": CODE}, on,
    /// minutes, metres, track, problems with kind, text, photos, resolved_on_site, units,
    /// deadline). Unsolved problems become findings.
    Record { file: PathBuf },
    /// Patrols, newest first.
    List {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        chief: Option<i64>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The chiefs who fell behind in the last period of their frequency ended before a day.
    Behind {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set a region's own frequency for chiefs of a level: LEVEL,PERIOD,TIMES (e.g. county,ten_days,1).
    Frequency {
        #[arg(long)]
        region: String,
        rule: String,
    },
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| user_error(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        user_error(format!(
            "{}: line {}, column {}: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })
}

fn parse_month(text: Option<&str>) -> anyhow::Result<(i32, u32)> {
    match text {
        None => {
            let t = today();
            Ok((t.year(), t.month()))
        }
        Some(m) => {
            let day = parse_day(&format!("{m}-01"))
                .map_err(|_| user_error(format!("month {m:?}: expected YYYY-MM")))?;
            Ok((day.year(), day.month()))
        }
    }
}

pub async fn waters(ctx: &Context, cmd: WatersCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        WatersCommand::Save { file, region } => {
            let scope = region.as_deref().map(parse_region).transpose()?;
            let spec: WaterSpec = read_json(&file)?;
            let name = spec.name.clone();
            let done = store
                .save_water(
                    &ctx.change(format!("保存河湖 {name}")),
                    scope.as_ref(),
                    spec,
                )
                .await
                .or_user(&format!("save {}", file.display()))?;
            println!(
                "{name}: 写入 {} written, 未变 {} unchanged, 撤销 {} withdrawn",
                done.written, done.unchanged, done.withdrawn
            );
        }
        WatersCommand::Forest { file } => {
            let spec: ForestSpec = read_json(&file)?;
            let (f, wrote) = store
                .save_forest(&ctx.change(format!("保存林区 {}", spec.name)), None, spec)
                .await
                .or_user(&format!("save {}", file.display()))?;
            println!(
                "{} {}: {}",
                f.spec.code,
                f.spec.name,
                if wrote {
                    "saved 已保存"
                } else {
                    "unchanged 未变"
                }
            );
        }
        WatersCommand::List { region, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let list = store.waters(within.as_ref()).await.or_user("read waters")?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|w| {
                    vec![
                        w.water.code.clone(),
                        w.water.name.clone(),
                        w.water.kind.name_zh().to_string(),
                        w.segments.len().to_string(),
                    ]
                })
                .collect();
            print_table(&["code", "名称", "类型", "河段 segments"], &rows);
        }
        WatersCommand::Show { code, json } => {
            let w = store
                .water(&code)
                .await
                .or_user("read the water")?
                .ok_or_else(|| user_error(format!("no water {code}")))?;
            let mut chiefs = Vec::new();
            for s in &w.segments {
                let mut held = Vec::new();
                for c in store.chiefs_of_segment(s).await.or_user("read chiefs")? {
                    held.push(
                        store
                            .chief_holding(c, today())
                            .await
                            .or_user("read chiefs")?,
                    );
                }
                chiefs.push(held);
            }
            if json {
                return print_json(&serde_json::json!({ "water": w, "chiefs": chiefs }));
            }
            println!(
                "{} {} ({})",
                w.water.code,
                w.water.name,
                w.water.kind.name_zh()
            );
            let rows: Vec<Vec<String>> = w
                .segments
                .iter()
                .zip(&chiefs)
                .map(|(s, held)| {
                    vec![
                        s.spec.seq.to_string(),
                        s.spec.code.clone(),
                        s.spec.name.clone(),
                        s.spec.region_code.to_string(),
                        s.spec.target_class.label_zh().to_string(),
                        s.spec.sections.join("、"),
                        held.iter()
                            .map(|h| {
                                format!(
                                    "{} {}",
                                    h.chief.spec.kind.name_zh(),
                                    h.holder.as_ref().map_or("(空缺)", |p| p.name.as_str())
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ]
                })
                .collect();
            print_table(
                &["序", "河段", "名称", "区划", "目标", "断面", "河长 today"],
                &rows,
            );
        }
        WatersCommand::Forests { region, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let list = store
                .forests(within.as_ref())
                .await
                .or_user("read forests")?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|f| {
                    vec![
                        f.spec.code.clone(),
                        f.spec.name.clone(),
                        f.spec.region_code.to_string(),
                        f.spec.hectares.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print_table(&["code", "名称", "区划", "公顷"], &rows);
        }
    }
    Ok(())
}

pub async fn chiefs(ctx: &Context, cmd: ChiefsCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        ChiefsCommand::Add {
            post,
            kind,
            level,
            region,
            segments,
            forests,
        } => {
            let spec = ChiefSpec {
                post_id: post,
                kind: kind.parse::<ChiefKind>().map_err(user_error)?,
                level: level.parse::<ChiefLevel>().map_err(user_error)?,
                region_code: parse_region(&region)?,
                segments,
                forests,
            };
            let c = store
                .add_chief(&ctx.change(format!("设立{}", spec.kind.name_zh())), spec)
                .await
                .or_user("add the chief post")?;
            println!(
                "chief post #{} ({} {})",
                c.id,
                c.spec.level.name_zh(),
                c.spec.kind.name_zh()
            );
        }
        ChiefsCommand::Import { file, region } => {
            let scope = region.as_deref().map(parse_region).transpose()?;
            let name = file.display().to_string();
            let table = ecoduty_tabular::read_path(&file).map_err(|e| user_error(e.to_string()))?;
            let rows = ecoduty_domain::waters::sheet::parse(&name, &table.header, &table.rows)
                .map_err(|errors| super::sheet_refused(&errors))?;
            let r = store
                .import_chief_sheet(
                    &ctx.change(format!("导入河长名录 {name}({} 行)", rows.len())),
                    scope.as_ref(),
                    &rows,
                )
                .await
                .map_err(|e| match e {
                    ecoduty_store::StoreError::Roster(r) => super::sheet_refused(&r.0),
                    e => super::store_error(e, &format!("import {name}")),
                })?;
            println!(
                "{name}: {} 行 rows, 新增 {} created, 更新 {} revised, 未变 {} unchanged",
                r.rows, r.created, r.revised, r.unchanged
            );
        }
        ChiefsCommand::Export { file, region } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let rows: Vec<Vec<String>> = store
                .chief_sheet(within.as_ref())
                .await
                .or_user("read the chief roster")?
                .iter()
                .map(ecoduty_domain::waters::sheet::row)
                .collect();
            let header: Vec<String> = ecoduty_domain::waters::sheet::COLUMNS
                .iter()
                .map(|c| c.to_string())
                .collect();
            ecoduty_tabular::write_path(&file, "河长名录", &header, &rows)
                .map_err(|e| user_error(e.to_string()))?;
            println!("{}: {} 行 rows", file.display(), rows.len());
        }
        ChiefsCommand::Retire { id } => {
            let c = store
                .revise_chief(
                    &ctx.change("撤销河湖长/林长职务"),
                    id,
                    ChiefPatch {
                        retired: Some(true),
                        ..Default::default()
                    },
                )
                .await
                .or_user("retire the chief post")?;
            println!("chief post #{} retired (rev {})", c.id, c.rev);
        }
        ChiefsCommand::List { region, on, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let day = on
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or_else(today);
            let mut held = Vec::new();
            for c in store
                .chiefs(&ChiefFilter {
                    within,
                    ..Default::default()
                })
                .await
                .or_user("read chiefs")?
            {
                held.push(store.chief_holding(c, day).await.or_user("read chiefs")?);
            }
            if json {
                return print_json(&held);
            }
            let rows: Vec<Vec<String>> = held
                .iter()
                .map(|h| {
                    vec![
                        h.chief.id.to_string(),
                        h.chief.spec.level.name_zh().to_string(),
                        h.chief.spec.kind.name_zh().to_string(),
                        h.chief.spec.region_code.to_string(),
                        h.post.title.clone(),
                        h.holder
                            .as_ref()
                            .map_or("(空缺)".into(), |p| p.name.clone()),
                        h.chief
                            .spec
                            .segments
                            .iter()
                            .chain(&h.chief.spec.forests)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(","),
                    ]
                })
                .collect();
            print_table(
                &["#", "层级", "类别", "区划", "职务", "现任", "负责"],
                &rows,
            );
        }
        ChiefsCommand::Show { id, on, json } => {
            let day = on
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or_else(today);
            let chief = store
                .chief(id)
                .await
                .or_user("read the chief post")?
                .ok_or_else(|| user_error(format!("no chief post {id}")))?;
            let region = chief.spec.region_code.clone();
            let holding = store
                .chief_holding(chief, day)
                .await
                .or_user("read the chief post")?;
            let list = store
                .responsibility_list(&region, ListFor::Post(holding.post.id), day)
                .await
                .or_user("read the responsibility list")?;
            let history = store.chief_history(id).await.or_user("read versions")?;
            if json {
                return print_json(&serde_json::json!({
                    "chief": holding, "duties": list.duties, "versions": history
                }));
            }
            println!(
                "#{} {} {} · {} · {}",
                id,
                holding.chief.spec.level.name_zh(),
                holding.chief.spec.kind.name_zh(),
                holding.post.title,
                holding
                    .holder
                    .as_ref()
                    .map_or("(空缺 vacant)", |p| p.name.as_str())
            );
            for d in &list.duties {
                println!("  - {}({})", d.text, d.citation);
            }
            println!("{} version(s)", history.len());
        }
        ChiefsCommand::Table { id, month, json } => {
            let (y, m) = parse_month(month.as_deref())?;
            let t = store
                .patrol_table(id, y, m)
                .await
                .or_user("read the patrol table")?;
            if json {
                return print_json(&t);
            }
            println!(
                "chief post #{id} {y}-{m:02}: 每{}不少于 {} 次 ({})",
                t.frequency.per.name_zh(),
                t.frequency.times,
                t.set_by
                    .as_ref()
                    .map_or("默认 default".to_string(), |r| r.to_string())
            );
            let rows: Vec<Vec<String>> = t
                .periods
                .iter()
                .map(|p| {
                    vec![
                        format!("{} – {}", p.from, p.to),
                        p.required.to_string(),
                        p.done.to_string(),
                        if p.behind() {
                            "未达标 behind"
                        } else {
                            "达标"
                        }
                        .to_string(),
                    ]
                })
                .collect();
            print_table(&["周期", "应巡", "已巡", ""], &rows);
        }
        ChiefsCommand::AddTasks { region } => {
            let region = parse_region(&region)?;
            for (citation, text) in ecoduty_domain::waters::river_chief_tasks() {
                store
                    .add_chief_duty(
                        &ctx.change("河长职责: 《关于全面推行河长制的意见》主要任务"),
                        region.clone(),
                        ChiefKind::River,
                        &text,
                        &citation,
                    )
                    .await
                    .or_user("add the duty")?;
                println!("{text}({citation})");
            }
        }
    }
    Ok(())
}

pub async fn patrols(ctx: &Context, cmd: PatrolsCommand) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    match cmd {
        PatrolsCommand::Record { file } => {
            let new: NewPatrol = read_json(&file)?;
            let done = store
                .record_patrol(&ctx.change("记录巡河巡林"), new, Utc::now())
                .await
                .or_user(&format!("record {}", file.display()))?;
            println!(
                "patrol #{} on {}: {} problem(s), {} finding(s) {}",
                done.patrol.id,
                done.patrol.on,
                done.patrol.problems.len(),
                done.findings.len(),
                done.findings
                    .iter()
                    .map(|f| format!("#{}", f.id))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        PatrolsCommand::List {
            region,
            chief,
            from,
            to,
            json,
        } => {
            let list = store
                .patrols(&PatrolFilter {
                    within: region.as_deref().map(parse_region).transpose()?,
                    chief_id: chief,
                    from: from.as_deref().map(parse_day).transpose()?,
                    to: to.as_deref().map(parse_day).transpose()?,
                })
                .await
                .or_user("read patrols")?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|p| {
                    vec![
                        p.id.to_string(),
                        p.on.to_string(),
                        p.chief_id.to_string(),
                        p.target.code().to_string(),
                        p.minutes.to_string(),
                        p.metres.to_string(),
                        p.problems
                            .iter()
                            .map(|q| q.kind.name_zh())
                            .collect::<Vec<_>>()
                            .join("、"),
                    ]
                })
                .collect();
            print_table(
                &["#", "日期", "河长#", "河段/林区", "分钟", "米", "问题"],
                &rows,
            );
        }
        PatrolsCommand::Behind { region, on, json } => {
            let within = region.as_deref().map(parse_region).transpose()?;
            let day = on
                .as_deref()
                .map(parse_day)
                .transpose()?
                .unwrap_or_else(today);
            let list = store
                .chiefs_behind(within.as_ref(), day)
                .await
                .or_user("read the chiefs behind")?;
            if json {
                return print_json(&list);
            }
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|b| {
                    vec![
                        b.chief.id.to_string(),
                        b.chief.spec.kind.name_zh().to_string(),
                        b.holder.as_ref().map_or(String::new(), |p| p.name.clone()),
                        format!("{} – {}", b.period.from, b.period.to),
                        format!("{}/{}", b.period.done, b.period.required),
                    ]
                })
                .collect();
            print_table(&["#", "类别", "现任", "周期", "已巡/应巡"], &rows);
        }
        PatrolsCommand::Frequency { region, rule } => {
            let region = parse_region(&region)?;
            let f: Frequency = ecoduty_domain::waters::frequency::parse_table(&rule)
                .map_err(user_error)?
                .pop()
                .ok_or_else(|| user_error("expected LEVEL,PERIOD,TIMES"))?;
            let s = store
                .set_patrol_frequency(&ctx.change("设置巡查频次"), &region, f)
                .await
                .or_user("set the frequency")?;
            println!(
                "{} {}: 每{}不少于 {} 次 (rev {})",
                s.region_code,
                s.frequency.level.name_zh(),
                s.frequency.per.name_zh(),
                s.frequency.times,
                s.rev
            );
        }
    }
    Ok(())
}
