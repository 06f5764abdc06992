//! `ecoduty framework …`: the regulation as published text.
//!
//! - `parse FILE [--json]`: find the regulation in a page transcription and print its structure.
//! - `diff A B [--json]`: compare two transcriptions article by article.
//! - `import FILE [--framework KEY]`: store a new version of the regulation, or of another
//!   framework named by its key (《党政领导干部生态环境损害责任追究办法》 as
//!   `accountability-measures`); `list`, `versions`, `show`, `situations`: what is stored — the
//!   frameworks, their versions, a version's text, and the situations (情形) and forms of
//!   accountability read from it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use ecoduty_regulation::{diff, parse_bytes, ParseError, Regulation};

use super::{Context, StoreResultExt};
use crate::exit::user_error;

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Find the regulation in a page transcription and print its chapters, articles and
    /// warnings.
    Parse(ParseArgs),
    /// Compare two transcriptions article by article.
    Diff(DiffArgs),
    /// Store a new version of the regulation parsed from a text. A truncated text is refused;
    /// a text with warnings only with --accept-warnings.
    Import(ImportArgs),
    /// List the frameworks stored, each with its versions and the one in force today.
    List {
        #[arg(long)]
        json: bool,
    },
    /// List the stored versions (of every framework, or of one) and those in force today.
    Versions {
        /// Only this framework's versions.
        #[arg(long)]
        framework: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The situations (情形) and forms of accountability read from a version (default: the
    /// version of the framework in force today).
    Situations {
        /// The framework (default: the built-in regulation).
        #[arg(long)]
        framework: Option<String>,
        #[arg(long)]
        id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Print a stored version (default: the one in force today), or its diff with another.
    Show {
        /// The framework whose version in force is shown when no --id is given (default: the
        /// built-in regulation).
        #[arg(long)]
        framework: Option<String>,
        /// Version id (see `versions`).
        #[arg(long)]
        id: Option<i64>,
        /// Compare it with this version.
        #[arg(long)]
        diff: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

/// Arguments of `ecoduty framework import`.
#[derive(Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// The framework the version belongs to (default: the built-in regulation,
    /// `regulation-2025`); e.g. `accountability-measures` for the 办法.
    #[arg(long)]
    pub framework: Option<String>,
    /// How citations name the framework (default: the kind of document its title ends with,
    /// e.g. 办法 → 《办法》第五条第(七)项).
    #[arg(long)]
    pub short_name: Option<String>,
    /// A label for the version (default: its effective date).
    #[arg(long)]
    pub label: Option<String>,
    /// The date it takes effect (default: the issue date in the text).
    #[arg(long)]
    pub effective: Option<String>,
    /// Store it even though the parser raised warnings (they are kept with the structure).
    #[arg(long)]
    pub accept_warnings: bool,
    #[arg(long)]
    pub reason: Option<String>,
}

/// Arguments of `ecoduty framework parse`.
#[derive(Args)]
pub struct ParseArgs {
    /// The transcription (UTF-8 text; markdown is fine).
    pub file: PathBuf,
    /// Print one JSON object instead of the outline.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `ecoduty framework diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// Transcription A.
    pub a: PathBuf,
    /// Transcription B.
    pub b: PathBuf,
    /// Print the differences as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Context, cmd: FrameworkCommand) -> anyhow::Result<()> {
    match cmd {
        FrameworkCommand::Parse(args) => parse_cmd(args),
        FrameworkCommand::Diff(args) => diff_cmd(args),
        FrameworkCommand::Import(args) => import_cmd(ctx, args).await,
        FrameworkCommand::List { json } => list_cmd(ctx, json).await,
        FrameworkCommand::Versions { framework, json } => {
            versions_cmd(ctx, framework.as_deref(), json).await
        }
        FrameworkCommand::Situations {
            framework,
            id,
            json,
        } => situations_cmd(ctx, framework.as_deref(), id, json).await,
        FrameworkCommand::Show {
            framework,
            id,
            diff,
            json,
        } => show_cmd(ctx, framework.as_deref(), id, diff, json).await,
    }
}

async fn import_cmd(ctx: &Context, args: ImportArgs) -> anyhow::Result<()> {
    let reg = read_regulation(&args.file)?;
    let text = std::fs::read_to_string(&args.file)?;
    let effective = args
        .effective
        .as_deref()
        .map(super::parse_day)
        .transpose()?;
    let store = ctx.store().await?;
    let name = args.file.display().to_string();
    let reason = args
        .reason
        .unwrap_or_else(|| format!("import the regulation from {name}"));
    let v = store
        .import_regulation(
            &ctx.change(reason),
            ecoduty_store::regulation::NewVersion {
                framework: args.framework.as_deref(),
                short_name: args.short_name,
                regulation: &reg,
                text: &text,
                source_name: &name,
                label: args.label,
                effective_from: effective,
                builtin: false,
            },
            args.accept_warnings,
        )
        .await
        .map_err(|e| match e.is_user_error() {
            true => user_error(format!("{name}: {e}")),
            false => super::store_error(e, "import the regulation"),
        })?;
    let duties = store.regulation_duties(v.id, None).await.or_user("read")?;
    let situations = store.framework_situations(v.id).await.or_user("read")?;
    let forms = store.framework_forms(v.id).await.or_user("read")?;
    emit(&format!(
        "已导入 stored version {} ({}) of 《{}》 (framework {}), in force from {}, {} duties, {} situations, {} forms of accountability\n",
        v.id,
        v.label,
        v.title,
        v.framework,
        v.effective_from,
        duties.len(),
        situations.len(),
        forms.len()
    ))
}

async fn list_cmd(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let frameworks = store.frameworks(super::today()).await.or_user("read")?;
    if json {
        return super::print_json(&frameworks);
    }
    let rows: Vec<Vec<String>> = frameworks
        .iter()
        .map(|f| {
            vec![
                f.key.clone(),
                format!("《{}》", f.title),
                if f.builtin {
                    "(内置 built-in)".into()
                } else {
                    format!("《{}》", f.short_name)
                },
                f.versions.to_string(),
                f.in_force.map(|i| i.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    super::print_table(
        &[
            "框架 framework",
            "标题 title",
            "简称 short",
            "版本数 versions",
            "现行 in force",
        ],
        &rows,
    );
    Ok(())
}

async fn versions_cmd(ctx: &Context, framework: Option<&str>, json: bool) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let versions = match framework {
        Some(key) => {
            let v = store.framework_versions(key).await.or_user("read")?;
            if v.is_empty() {
                return Err(user_error(format!(
                    "--framework {key}: no such framework (see `ecoduty framework list`)"
                )));
            }
            v
        }
        None => store.regulation_versions().await.or_user("read")?,
    };
    let mut in_force = Vec::new();
    for f in store.frameworks(super::today()).await.or_user("read")? {
        in_force.extend(f.in_force);
    }
    if json {
        return super::print_json(&versions);
    }
    let rows: Vec<Vec<String>> = versions
        .iter()
        .map(|v| {
            vec![
                v.id.to_string(),
                v.framework.clone(),
                v.label.clone(),
                v.effective_from.to_string(),
                if in_force.contains(&v.id) {
                    "现行 in force".into()
                } else {
                    String::new()
                },
                v.source_name.clone(),
                format!("{} {}", v.recorded_at, v.recorded_by),
            ]
        })
        .collect();
    super::print_table(
        &[
            "版本 id",
            "框架 framework",
            "标签 label",
            "施行 effective",
            "",
            "来源 source",
            "录入 recorded",
        ],
        &rows,
    );
    Ok(())
}

/// The version asked for, or the framework's version in force today.
async fn pick_version(
    store: &ecoduty_store::Store,
    framework: Option<&str>,
    id: Option<i64>,
) -> anyhow::Result<i64> {
    if let Some(id) = id {
        return Ok(id);
    }
    let key = framework.unwrap_or(ecoduty_regulation::BUILTIN_FRAMEWORK);
    Ok(store
        .framework_in_force(key, super::today())
        .await
        .or_user("read")?
        .ok_or_else(|| {
            user_error(format!(
                "no version of framework {key} is in force today (see `ecoduty framework list`)"
            ))
        })?
        .id)
}

async fn situations_cmd(
    ctx: &Context,
    framework: Option<&str>,
    id: Option<i64>,
    json: bool,
) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let id = pick_version(&store, framework, id).await?;
    let (version, _, _) = store
        .regulation_version(id)
        .await
        .or_user("read the version")?;
    let situations = store.framework_situations(id).await.or_user("read")?;
    let forms = store.framework_forms(id).await.or_user("read")?;
    if json {
        return super::print_json(&serde_json::json!({
            "version": version,
            "situations": situations,
            "forms": forms,
        }));
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "《{}》 version {} ({}, framework {})",
        version.title, version.id, version.label, version.framework
    );
    let mut subject = None;
    let _ = writeln!(s, "\n情形 situations ({}):", situations.len());
    for x in &situations {
        if subject != Some(&x.subject) {
            let _ = writeln!(s, "  追究{}的责任:", x.subject);
            subject = Some(&x.subject);
        }
        let _ = writeln!(
            s,
            "    {} ({}.{}) {}",
            x.citation, x.article, x.item, x.text
        );
    }
    let _ = writeln!(s, "\n追究形式 forms ({}):", forms.len());
    for f in &forms {
        let _ = writeln!(
            s,
            "  {}. {}{}",
            f.position,
            f.name,
            f.group
                .as_deref()
                .map(|g| format!("({g})"))
                .unwrap_or_default()
        );
    }
    emit(&s)
}

async fn show_cmd(
    ctx: &Context,
    framework: Option<&str>,
    version: Option<i64>,
    other: Option<i64>,
    json: bool,
) -> anyhow::Result<()> {
    let store = ctx.store().await?;
    let id = pick_version(&store, framework, version).await?;
    let (_, reg, _) = store
        .regulation_version(id)
        .await
        .or_user("read the version")?;
    match other {
        Some(other) => {
            let (_, b, _) = store
                .regulation_version(other)
                .await
                .or_user("read the version")?;
            let d = diff(&reg, &b);
            if json {
                emit(&format!("{}\n", serde_json::to_string_pretty(&d)?))
            } else {
                emit(&d.render(&format!("version {id}"), &format!("version {other}")))
            }
        }
        None if json => emit(&format!("{}\n", serde_json::to_string_pretty(&reg)?)),
        None => emit(&outline(&reg)),
    }
}

fn parse_cmd(args: ParseArgs) -> anyhow::Result<()> {
    let reg = read_regulation(&args.file)?;
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&reg)?))
    } else {
        emit(&outline(&reg))
    }
}

fn diff_cmd(args: DiffArgs) -> anyhow::Result<()> {
    let a = read_regulation(&args.a)?;
    let b = read_regulation(&args.b)?;
    let d = diff(&a, &b);
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&d)?))
    } else {
        emit(&d.render(&args.a.display().to_string(), &args.b.display().to_string()))
    }
}

/// Writes to stdout; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Into::into),
    }
}

/// Reads and parses a file; every refusal names the file and exits with status 2.
fn read_regulation(path: &Path) -> anyhow::Result<Regulation> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| user_error(format!("{shown}: cannot read: {e}")))?;
    // Every ParseError is about the input: not text, or no regulation in it.
    parse_bytes(&bytes).map_err(|e: ParseError| user_error(format!("{shown}: {e}")))
}

/// The readable outline: title, issue date, chapters, articles with paragraphs and items, then
/// the warnings.
fn outline(reg: &Regulation) -> String {
    let mut s = String::new();
    let title = if reg.title.is_empty() {
        "(无标题)"
    } else {
        reg.title.as_str()
    };
    let _ = writeln!(s, "《{title}》");
    if let Some(date) = reg.issued {
        let _ = writeln!(s, "发布日期:{date}");
    }
    let articles = reg.articles().count();
    let chapters = reg.chapters.iter().filter(|c| c.number != 0).count();
    let _ = writeln!(
        s,
        "{}:{chapters}章,{articles}条",
        if reg.complete { "完整" } else { "不完整" }
    );
    for chapter in &reg.chapters {
        if chapter.number != 0 {
            let _ = writeln!(
                s,
                "\n第{}章 {}",
                ecoduty_regulation::numerals::to_chinese(chapter.number),
                chapter.title
            );
        }
        for article in &chapter.articles {
            let _ = writeln!(
                s,
                "\n  {}",
                ecoduty_regulation::citation::article_zh(article.number)
            );
            let many = article.paragraphs.len() > 1;
            for (i, paragraph) in article.paragraphs.iter().enumerate() {
                let lead = if many {
                    format!(
                        "【第{}款】",
                        ecoduty_regulation::numerals::to_chinese(i as u32 + 1)
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(s, "    {lead}{}", paragraph.text);
                for item in &paragraph.items {
                    let _ = writeln!(s, "      {}", item.full_text());
                }
            }
        }
    }
    if reg.warnings.is_empty() {
        let _ = writeln!(s, "\n警告:无");
    } else {
        let _ = writeln!(s, "\n警告({}):", reg.warnings.len());
        for w in &reg.warnings {
            let _ = writeln!(s, "  [{}] {}", w.kind.key(), w.message);
        }
    }
    s
}
