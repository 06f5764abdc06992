//! Frameworks and their versions, and the duties each version of the regulation assigns. The
//! built-in 2025 regulation is loaded when a database is created, under the framework key
//! [`BUILTIN_FRAMEWORK`]; `framework import` adds a version parsed from a text, to that
//! framework or to another one named by its key (《党政领导干部生态环境损害责任追究办法》 as
//! `accountability-measures`, say). Versions are never changed; the one of a framework in force
//! on a date is the latest whose effective date has come.
//!
//! With each version the store keeps what its text lists for accountability, read by
//! `ecoduty_regulation::framework`: the situations (情形) per kind of leader and the forms of
//! accountability. The duty catalogue is the 2025 regulation's: only versions of the built-in
//! framework assign duties.

use chrono::NaiveDate;
use ecoduty_regulation::framework::{self, cite_item};
use ecoduty_regulation::{DutyClause, Regulation, Role, BUILTIN_FRAMEWORK};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::sql::{insert_rows, Value};
use crate::{Change, Store};

/// A stored version of the regulation (without its text and structure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegulationVersion {
    pub id: i64,
    /// The framework's key (`regulation-2025` for the built-in regulation).
    pub framework: String,
    /// How citations name the framework (办法); empty for the built-in regulation.
    pub short_name: String,
    pub label: String,
    pub title: String,
    pub issued_on: Option<NaiveDate>,
    pub effective_from: NaiveDate,
    pub source_name: String,
    pub source_sha256: String,
    pub complete: bool,
    pub builtin: bool,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A duty as stored with its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredDuty {
    pub version_id: i64,
    pub key: String,
    pub citation: String,
    pub article: u32,
    pub paragraph: u32,
    pub item: Option<u32>,
    pub roles: Vec<Role>,
    pub text: String,
}

/// A situation (情形) stored with its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredSituation {
    pub version_id: i64,
    pub article: u32,
    pub paragraph: u32,
    pub item: u32,
    /// Who answers, as the text says it (相关地方党委和政府主要领导成员).
    pub subject: String,
    /// 《办法》第五条第(七)项; 第十七条第二项 for the built-in regulation.
    pub citation: String,
    pub text: String,
}

/// A form of accountability stored with its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredForm {
    pub version_id: i64,
    pub position: u32,
    pub name: String,
    /// The group it belongs to (组织处理), if any.
    pub group: Option<String>,
    pub article: u32,
    pub paragraph: u32,
}

/// A framework and its versions, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrameworkSummary {
    pub key: String,
    /// The latest version's title.
    pub title: String,
    pub short_name: String,
    pub builtin: bool,
    pub versions: usize,
    /// The version in force on the day asked about.
    pub in_force: Option<i64>,
}

/// What the ledger records for a version: its metadata and digests of its text, structure and
/// duties, so that verification notices any of them edited in place.
#[derive(Serialize)]
struct VersionRecord<'a> {
    id: i64,
    /// Left out for the built-in framework, so that versions recorded before frameworks
    /// existed verify unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    framework: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    short_name: &'a str,
    label: &'a str,
    title: &'a str,
    issued_on: Option<&'a str>,
    effective_from: &'a str,
    source_name: &'a str,
    source_sha256: &'a str,
    complete: bool,
    builtin: bool,
    body_sha256: String,
    structure_sha256: String,
    duties_sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    situations_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forms_sha256: Option<String>,
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn duties_digest(duties: &[StoredDuty]) -> String {
    let mut sorted: Vec<&StoredDuty> = duties.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    sha256(&to_json(&sorted))
}

fn list_digest<T: Serialize>(list: &[T]) -> Option<String> {
    (!list.is_empty()).then(|| sha256(&to_json(&list)))
}

fn framework_field(key: &str) -> Option<&str> {
    (key != BUILTIN_FRAMEWORK).then_some(key)
}

/// Checks a framework key: 2–40 lower-case ASCII letters, digits and hyphens.
pub fn check_framework_key(key: &str) -> StoreResult<&str> {
    let k = key.trim();
    let ok = (2..=40).contains(&k.len())
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !k.starts_with('-');
    if !ok {
        return Err(StoreError::invalid(
            "framework",
            format!("framework key {key:?}: 2–40 characters a–z, 0–9 and -, e.g. accountability-measures"),
        ));
    }
    Ok(k)
}

/// How a new version is described.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    /// The framework's key; `None` for the built-in regulation ([`BUILTIN_FRAMEWORK`]).
    pub framework: Option<&'a str>,
    /// How citations name the framework (default: the kind of document its title ends with,
    /// 办法); ignored for the built-in regulation.
    pub short_name: Option<String>,
    pub regulation: &'a Regulation,
    pub text: &'a str,
    pub source_name: &'a str,
    pub label: Option<String>,
    pub effective_from: Option<NaiveDate>,
    pub builtin: bool,
}

fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(" ")
}

async fn insert_version(w: &mut Writer, v: NewVersion<'_>) -> StoreResult<RegulationVersion> {
    let reg = v.regulation;
    let key = match v.framework {
        Some(k) => check_framework_key(k)?.to_string(),
        None => BUILTIN_FRAMEWORK.to_string(),
    };
    let builtin_framework = key == BUILTIN_FRAMEWORK;
    let short_name = if builtin_framework {
        String::new()
    } else {
        let s = v
            .short_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.trim_start_matches('《')
                    .trim_end_matches('》')
                    .to_string()
            })
            .unwrap_or_else(|| framework::short_name(&reg.title));
        if s.is_empty() || s.chars().count() > 40 {
            return Err(StoreError::invalid(
                "short_name",
                "the framework's short name (办法) is 1–40 characters: the text has no title, give one",
            ));
        }
        s
    };
    let source_sha256 = sha256(v.text);
    let dup = sqlx::query("SELECT id, label FROM regulation_versions WHERE source_sha256 = $1")
        .bind(&source_sha256)
        .fetch_optional(w.conn())
        .await?;
    if let Some(row) = dup {
        return Err(StoreError::Conflict(format!(
            "this text is already stored as version {} ({})",
            row.try_get::<i64, _>(0)?,
            row.try_get::<String, _>(1)?
        )));
    }
    let id = sqlx::query("SELECT MAX(id) FROM regulation_versions")
        .fetch_one(w.conn())
        .await?
        .try_get::<Option<i64>, _>(0)?
        .unwrap_or(0)
        + 1;
    let effective_from = v.effective_from.or(reg.issued).ok_or_else(|| {
        StoreError::invalid(
            "effective_from",
            "the text gives no date of issue: say when this version takes effect",
        )
    })?;
    let label = v.label.unwrap_or_else(|| effective_from.to_string());
    let structure = to_json(reg);
    let cite = |article: u32, paragraph: u32, item: Option<u32>| {
        if builtin_framework {
            let n = reg.article(article).map_or(1, |a| a.paragraphs.len());
            ecoduty_regulation::Citation::new(article, paragraph, item, n).zh()
        } else {
            cite_item(&short_name, article, paragraph, item)
        }
    };
    let situations: Vec<StoredSituation> = framework::situations(reg)
        .into_iter()
        .map(|s| StoredSituation {
            version_id: id,
            citation: cite(s.article, s.paragraph, Some(s.item)),
            article: s.article,
            paragraph: s.paragraph,
            item: s.item,
            subject: s.subject,
            text: s.text,
        })
        .collect();
    let forms: Vec<StoredForm> = framework::forms(reg)
        .into_iter()
        .map(|f| StoredForm {
            version_id: id,
            position: f.position,
            name: f.name,
            group: f.group,
            article: f.article,
            paragraph: f.paragraph,
        })
        .collect();
    let catalogue = if builtin_framework {
        ecoduty_regulation::duties(reg)
    } else {
        Vec::new()
    };
    let duties: Vec<StoredDuty> = catalogue
        .into_iter()
        .map(|d: DutyClause| StoredDuty {
            version_id: id,
            key: d.key,
            citation: d.citation,
            article: d.article,
            paragraph: d.paragraph,
            item: d.item,
            roles: d.roles,
            text: d.text,
        })
        .collect();
    let issued = reg.issued.map(|d| d.to_string());
    let effective = effective_from.to_string();
    let record = VersionRecord {
        id,
        framework: framework_field(&key),
        short_name: &short_name,
        label: &label,
        title: &reg.title,
        issued_on: issued.as_deref(),
        effective_from: &effective,
        source_name: v.source_name,
        source_sha256: &source_sha256,
        complete: reg.complete,
        builtin: v.builtin,
        body_sha256: sha256(v.text),
        structure_sha256: sha256(&structure),
        duties_sha256: duties_digest(&duties),
        situations_sha256: list_digest(&situations),
        forms_sha256: list_digest(&forms),
    };
    let seq = w.record(Entry {
        entity: "regulation",
        entity_id: id.to_string(),
        rev: 1,
        action: "import",
        before: None,
        after: Some(to_json(&record)),
    });
    insert_rows(
        w.conn(),
        "regulation_versions",
        &[
            "id",
            "label",
            "title",
            "issued_on",
            "effective_from",
            "source_name",
            "source_sha256",
            "complete",
            "builtin",
            "body",
            "structure",
            "ledger_seq",
            "framework",
            "short_name",
        ],
        vec![vec![
            id.into(),
            label.clone().into(),
            reg.title.clone().into(),
            issued.clone().into(),
            effective.into(),
            v.source_name.into(),
            source_sha256.clone().into(),
            reg.complete.into(),
            v.builtin.into(),
            v.text.into(),
            structure.into(),
            seq.into(),
            key.clone().into(),
            short_name.clone().into(),
        ]],
    )
    .await?;
    insert_situations_and_forms(w, &situations, &forms).await?;
    let rows: Vec<Vec<Value>> = duties
        .iter()
        .map(|d| {
            vec![
                id.into(),
                d.key.clone().into(),
                d.citation.clone().into(),
                (d.article as i64).into(),
                (d.paragraph as i64).into(),
                d.item.map(|i| i as i64).into(),
                roles_text(&d.roles).into(),
                d.text.clone().into(),
            ]
        })
        .collect();
    insert_rows(
        w.conn(),
        "regulation_duties",
        &[
            "version_id",
            "duty_key",
            "citation",
            "article",
            "paragraph",
            "item",
            "roles",
            "text",
        ],
        rows,
    )
    .await?;
    Ok(RegulationVersion {
        id,
        framework: key,
        short_name,
        label,
        title: reg.title.clone(),
        issued_on: reg.issued,
        effective_from,
        source_name: v.source_name.to_string(),
        source_sha256,
        complete: reg.complete,
        builtin: v.builtin,
        recorded_at: w.recorded_at().to_string(),
        recorded_by: String::new(),
    })
}

async fn insert_situations_and_forms(
    w: &mut Writer,
    situations: &[StoredSituation],
    forms: &[StoredForm],
) -> StoreResult<()> {
    let rows: Vec<Vec<Value>> = situations
        .iter()
        .map(|s| {
            vec![
                s.version_id.into(),
                (s.article as i64).into(),
                (s.paragraph as i64).into(),
                (s.item as i64).into(),
                s.subject.clone().into(),
                s.citation.clone().into(),
                s.text.clone().into(),
            ]
        })
        .collect();
    insert_rows(
        w.conn(),
        "framework_situations",
        &[
            "version_id",
            "article",
            "paragraph",
            "item",
            "subject",
            "citation",
            "text",
        ],
        rows,
    )
    .await?;
    let rows: Vec<Vec<Value>> = forms
        .iter()
        .map(|f| {
            vec![
                f.version_id.into(),
                (f.position as i64).into(),
                f.name.clone().into(),
                f.group.clone().into(),
                (f.article as i64).into(),
                (f.paragraph as i64).into(),
            ]
        })
        .collect();
    insert_rows(
        w.conn(),
        "framework_forms",
        &[
            "version_id",
            "position",
            "name",
            "form_group",
            "article",
            "paragraph",
        ],
        rows,
    )
    .await?;
    Ok(())
}

/// Loads the built-in regulation into a new database.
pub(crate) async fn load_builtin(w: &mut Writer) -> StoreResult<()> {
    insert_version(
        w,
        NewVersion {
            framework: None,
            short_name: None,
            regulation: ecoduty_regulation::builtin(),
            text: ecoduty_regulation::BUILTIN_TEXT,
            source_name: "built-in (data/regulation/2025-07-18.txt, corrections in CORRECTIONS.md)",
            label: Some(ecoduty_regulation::BUILTIN_VERSION.to_string()),
            effective_from: None,
            builtin: true,
        },
    )
    .await?;
    Ok(())
}

const VERSION_COLUMNS: &str =
    "v.id, v.framework, v.short_name, v.label, v.title, v.issued_on, v.effective_from, v.source_name, \
    v.source_sha256, v.complete, v.builtin, l.recorded_at, l.actor";

fn version_from_row(row: &AnyRow) -> StoreResult<RegulationVersion> {
    let date = |s: String| {
        s.parse::<NaiveDate>()
            .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
    };
    Ok(RegulationVersion {
        id: row.try_get("id")?,
        framework: row.try_get("framework")?,
        short_name: row.try_get("short_name")?,
        label: row.try_get("label")?,
        title: row.try_get("title")?,
        issued_on: row
            .try_get::<Option<String>, _>("issued_on")?
            .map(date)
            .transpose()?,
        effective_from: date(row.try_get("effective_from")?)?,
        source_name: row.try_get("source_name")?,
        source_sha256: row.try_get("source_sha256")?,
        complete: row.try_get::<i64, _>("complete")? != 0,
        builtin: row.try_get::<i64, _>("builtin")? != 0,
        recorded_at: row.try_get("recorded_at")?,
        recorded_by: row.try_get("actor")?,
    })
}

fn duty_from_row(row: &AnyRow) -> StoreResult<StoredDuty> {
    let roles: String = row.try_get("roles")?;
    Ok(StoredDuty {
        version_id: row.try_get("version_id")?,
        key: row.try_get("duty_key")?,
        citation: row.try_get("citation")?,
        article: row.try_get::<i64, _>("article")? as u32,
        paragraph: row.try_get::<i64, _>("paragraph")? as u32,
        item: row.try_get::<Option<i64>, _>("item")?.map(|i| i as u32),
        roles: roles
            .split_whitespace()
            .map(|r| {
                r.parse()
                    .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                        StoreError::Corrupt(e.to_string())
                    })
            })
            .collect::<StoreResult<_>>()?,
        text: row.try_get("text")?,
    })
}

async fn duties_of(conn: &mut AnyConnection, version_id: i64) -> StoreResult<Vec<StoredDuty>> {
    let rows = sqlx::query(
        "SELECT version_id, duty_key, citation, article, paragraph, item, roles, text \
         FROM regulation_duties WHERE version_id = $1 ORDER BY article, paragraph, item",
    )
    .bind(version_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(duty_from_row).collect()
}

async fn situations_of(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StoreResult<Vec<StoredSituation>> {
    let rows = sqlx::query(
        "SELECT version_id, article, paragraph, item, subject, citation, text \
         FROM framework_situations WHERE version_id = $1 ORDER BY article, paragraph, item",
    )
    .bind(version_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredSituation {
                version_id: r.try_get("version_id")?,
                article: r.try_get::<i64, _>("article")? as u32,
                paragraph: r.try_get::<i64, _>("paragraph")? as u32,
                item: r.try_get::<i64, _>("item")? as u32,
                subject: r.try_get("subject")?,
                citation: r.try_get("citation")?,
                text: r.try_get("text")?,
            })
        })
        .collect()
}

async fn forms_of(conn: &mut AnyConnection, version_id: i64) -> StoreResult<Vec<StoredForm>> {
    let rows = sqlx::query(
        "SELECT version_id, position, name, form_group, article, paragraph \
         FROM framework_forms WHERE version_id = $1 ORDER BY position",
    )
    .bind(version_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredForm {
                version_id: r.try_get("version_id")?,
                position: r.try_get::<i64, _>("position")? as u32,
                name: r.try_get("name")?,
                group: r.try_get("form_group")?,
                article: r.try_get::<i64, _>("article")? as u32,
                paragraph: r.try_get::<i64, _>("paragraph")? as u32,
            })
        })
        .collect()
}

impl Store {
    /// Stores a new version of the regulation parsed from `text`. A truncated text is refused
    /// (it would silently drop duties); so is one with warnings unless `accept_warnings`.
    pub async fn import_regulation(
        &self,
        change: &Change,
        version: NewVersion<'_>,
        accept_warnings: bool,
    ) -> StoreResult<RegulationVersion> {
        let reg = version.regulation;
        if !reg.complete {
            return Err(StoreError::invalid(
                "text",
                "the text is incomplete (truncated): a version of the regulation must be whole",
            ));
        }
        if !reg.warnings.is_empty() && !accept_warnings {
            return Err(StoreError::invalid(
                "text",
                format!(
                    "the text has {} warning(s) — correct them, or import with --accept-warnings: {}",
                    reg.warnings.len(),
                    reg.warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>().join("; ")
                ),
            ));
        }
        let mut w = Writer::begin(self, change).await?;
        let mut v = insert_version(&mut w, version).await?;
        v.recorded_by = change.actor.clone();
        w.commit().await?;
        Ok(v)
    }

    pub async fn regulation_versions(&self) -> StoreResult<Vec<RegulationVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM regulation_versions v JOIN ledger l ON l.seq = v.ledger_seq ORDER BY v.id"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(version_from_row).collect()
    }

    pub async fn regulation_version(
        &self,
        id: i64,
    ) -> StoreResult<(RegulationVersion, Regulation, String)> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS}, v.structure, v.body FROM regulation_versions v \
             JOIN ledger l ON l.seq = v.ledger_seq WHERE v.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("regulation version", id))?;
        let structure: String = row.try_get("structure")?;
        let reg: Regulation = serde_json::from_str(&structure)
            .map_err(|e| StoreError::Corrupt(format!("regulation structure: {e}")))?;
        Ok((version_from_row(&row)?, reg, row.try_get("body")?))
    }

    /// The version of the regulation (the built-in framework) in force on `day`: the latest
    /// effective on or before it.
    pub async fn regulation_in_force(
        &self,
        day: NaiveDate,
    ) -> StoreResult<Option<RegulationVersion>> {
        self.framework_in_force(BUILTIN_FRAMEWORK, day).await
    }

    /// The version of a framework in force on `day`.
    pub async fn framework_in_force(
        &self,
        framework: &str,
        day: NaiveDate,
    ) -> StoreResult<Option<RegulationVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM regulation_versions v JOIN ledger l ON l.seq = v.ledger_seq \
             WHERE v.framework = $1 AND v.effective_from <= $2 \
             ORDER BY v.effective_from DESC, v.id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(framework.trim())
            .bind(day.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(version_from_row).transpose()
    }

    /// The versions of one framework, oldest first (none when the key is unknown).
    pub async fn framework_versions(&self, framework: &str) -> StoreResult<Vec<RegulationVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM regulation_versions v JOIN ledger l ON l.seq = v.ledger_seq \
             WHERE v.framework = $1 ORDER BY v.id"
        );
        let rows = sqlx::query(&sql)
            .bind(framework.trim())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Every framework stored, the built-in one first, each with the version in force on `day`.
    pub async fn frameworks(&self, day: NaiveDate) -> StoreResult<Vec<FrameworkSummary>> {
        let versions = self.regulation_versions().await?;
        let mut keys: Vec<&str> = Vec::new();
        for v in &versions {
            if !keys.contains(&v.framework.as_str()) {
                keys.push(&v.framework);
            }
        }
        keys.sort_by_key(|k| (*k != BUILTIN_FRAMEWORK, k.to_string()));
        let mut out = Vec::new();
        for key in keys {
            let of: Vec<&RegulationVersion> =
                versions.iter().filter(|v| v.framework == key).collect();
            let latest = of.last().expect("a key comes from a version");
            out.push(FrameworkSummary {
                key: key.to_string(),
                title: latest.title.clone(),
                short_name: latest.short_name.clone(),
                builtin: key == BUILTIN_FRAMEWORK,
                versions: of.len(),
                in_force: self.framework_in_force(key, day).await?.map(|v| v.id),
            });
        }
        Ok(out)
    }

    /// The situations (情形) a version's text lists.
    pub async fn framework_situations(&self, version_id: i64) -> StoreResult<Vec<StoredSituation>> {
        let mut conn = self.pool.acquire().await?;
        situations_of(&mut conn, version_id).await
    }

    /// The forms of accountability a version's text lists.
    pub async fn framework_forms(&self, version_id: i64) -> StoreResult<Vec<StoredForm>> {
        let mut conn = self.pool.acquire().await?;
        forms_of(&mut conn, version_id).await
    }

    /// The duties of a version, optionally only those binding `role`.
    pub async fn regulation_duties(
        &self,
        version_id: i64,
        role: Option<Role>,
    ) -> StoreResult<Vec<StoredDuty>> {
        let mut conn = self.pool.acquire().await?;
        let mut duties = duties_of(&mut conn, version_id).await?;
        if let Some(role) = role {
            duties.retain(|d| d.roles.contains(&role));
        }
        Ok(duties)
    }
}

/// Versions as the ledger recorded them, for verification.
pub(crate) async fn versions(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let rows = sqlx::query(
        "SELECT id, framework, short_name, label, title, issued_on, effective_from, source_name, \
         source_sha256, complete, builtin, body, structure, ledger_seq FROM regulation_versions ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    let mut out = Vec::new();
    let mut conn = store.pool.acquire().await?;
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let label: String = row.try_get("label")?;
        let title: String = row.try_get("title")?;
        let issued: Option<String> = row.try_get("issued_on")?;
        let effective: String = row.try_get("effective_from")?;
        let source_name: String = row.try_get("source_name")?;
        let source_sha256: String = row.try_get("source_sha256")?;
        let body: String = row.try_get("body")?;
        let structure: String = row.try_get("structure")?;
        let duties = duties_of(&mut conn, id).await?;
        let situations = situations_of(&mut conn, id).await?;
        let forms = forms_of(&mut conn, id).await?;
        let framework: String = row.try_get("framework")?;
        let short_name: String = row.try_get("short_name")?;
        let record = VersionRecord {
            id,
            framework: framework_field(&framework),
            short_name: &short_name,
            label: &label,
            title: &title,
            issued_on: issued.as_deref(),
            effective_from: &effective,
            source_name: &source_name,
            source_sha256: &source_sha256,
            complete: row.try_get::<i64, _>("complete")? != 0,
            builtin: row.try_get::<i64, _>("builtin")? != 0,
            body_sha256: sha256(&body),
            structure_sha256: sha256(&structure),
            duties_sha256: duties_digest(&duties),
            situations_sha256: list_digest(&situations),
            forms_sha256: list_digest(&forms),
        };
        out.push((
            row.try_get("ledger_seq")?,
            "regulation".to_string(),
            id.to_string(),
            1,
            to_json(&record),
        ));
    }
    Ok(out)
}
