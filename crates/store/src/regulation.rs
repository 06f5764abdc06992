//! Versions of the regulation and the duties each assigns. The built-in 2025 regulation is
//! loaded when a database is created; `framework import` adds a version parsed from a text.
//! Versions are never changed; the one in force on a date is the latest whose effective date
//! has come.

use chrono::NaiveDate;
use ecoduty_regulation::{DutyClause, Regulation, Role};
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

/// What the ledger records for a version: its metadata and digests of its text, structure and
/// duties, so that verification notices any of them edited in place.
#[derive(Serialize)]
struct VersionRecord<'a> {
    id: i64,
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

/// How a new version is described.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
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
    let duties: Vec<StoredDuty> = ecoduty_regulation::duties(reg)
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
        ]],
    )
    .await?;
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

/// Loads the built-in regulation into a new database.
pub(crate) async fn load_builtin(w: &mut Writer) -> StoreResult<()> {
    insert_version(
        w,
        NewVersion {
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
    "v.id, v.label, v.title, v.issued_on, v.effective_from, v.source_name, \
    v.source_sha256, v.complete, v.builtin, l.recorded_at, l.actor";

fn version_from_row(row: &AnyRow) -> StoreResult<RegulationVersion> {
    let date = |s: String| {
        s.parse::<NaiveDate>()
            .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
    };
    Ok(RegulationVersion {
        id: row.try_get("id")?,
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

    /// The version in force on `day`: the latest effective on or before it.
    pub async fn regulation_in_force(
        &self,
        day: NaiveDate,
    ) -> StoreResult<Option<RegulationVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM regulation_versions v JOIN ledger l ON l.seq = v.ledger_seq \
             WHERE v.effective_from <= $1 ORDER BY v.effective_from DESC, v.id DESC LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(day.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(version_from_row).transpose()
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
        "SELECT id, label, title, issued_on, effective_from, source_name, source_sha256, complete, \
         builtin, body, structure, ledger_seq FROM regulation_versions ORDER BY id",
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
        let record = VersionRecord {
            id,
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
