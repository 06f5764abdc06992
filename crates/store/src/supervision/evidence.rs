//! Evidence files (佐证材料) in the database, by the SHA-256 of their content: identical
//! content is stored once, nothing is ever replaced, and the ledger entry that stored a file
//! records its digest, size and kind — so [`Store::verify_ledger`] recomputes each file's
//! digest and finds a file changed behind the application's back. The records that cite a
//! file (progress reports, closure requests) keep the name it was given there.

use ecoduty_domain::supervision::evidence::{check, clean_name, EvidenceKind, EvidencePolicy};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::{parse_code, parse_key, EvidenceRef};
use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::quality::sha256_hex;
use crate::{Change, Store};

/// What is known of a stored file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceInfo {
    pub sha256: String,
    pub size: i64,
    pub kind: EvidenceKind,
    pub media_type: String,
}

fn info_from_row(row: &sqlx::any::AnyRow) -> StoreResult<EvidenceInfo> {
    Ok(EvidenceInfo {
        sha256: row.try_get("sha256")?,
        size: row.try_get("size")?,
        kind: parse_key(&row.try_get::<String, _>("kind")?)?,
        media_type: row.try_get("media_type")?,
    })
}

/// Refuses references to files that are not stored (read under the write lock).
pub(crate) async fn require_stored(
    conn: &mut AnyConnection,
    refs: &[EvidenceRef],
) -> StoreResult<()> {
    for r in refs {
        let found = sqlx::query("SELECT 1 FROM evidence_blobs WHERE sha256 = $1")
            .bind(&r.sha256)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_none() {
            return Err(StoreError::invalid(
                "evidence",
                format!("{} ({}) is not a stored evidence file", r.name, r.sha256),
            ));
        }
    }
    Ok(())
}

/// The facts of a file about to be stored (its kind already checked).
pub(crate) fn info_of(kind: EvidenceKind, bytes: &[u8]) -> EvidenceInfo {
    EvidenceInfo {
        sha256: sha256_hex(bytes),
        size: bytes.len() as i64,
        kind,
        media_type: kind.media_type().to_string(),
    }
}

/// Records that `actor` holds the file (uploaded its content); once is enough.
async fn hold_in(
    conn: &mut sqlx::AnyConnection,
    sha256: &str,
    actor: &str,
    at: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO evidence_holders (sha256, actor, first_at) VALUES ($1, $2, $3) \
         ON CONFLICT (sha256, actor) DO NOTHING",
    )
    .bind(sha256)
    .bind(actor)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a file's content inside a write, with the ledger entry that records it, unless the
/// same content is already stored; returns the stored file's facts.
pub(crate) async fn store_blob_in(
    w: &mut Writer,
    info: &EvidenceInfo,
    bytes: &[u8],
) -> StoreResult<EvidenceInfo> {
    let again =
        sqlx::query("SELECT sha256, size, kind, media_type FROM evidence_blobs WHERE sha256 = $1")
            .bind(&info.sha256)
            .fetch_optional(w.conn())
            .await?;
    let (actor, at) = (w.actor().to_string(), w.recorded_at().to_string());
    hold_in(w.conn(), &info.sha256, &actor, &at).await?;
    if let Some(row) = again {
        return info_from_row(&row);
    }
    let seq = w.record_in(
        Entry {
            entity: "evidence",
            entity_id: info.sha256.clone(),
            rev: 1,
            action: "store",
            before: None,
            after: Some(to_json(info)),
        },
        None,
    );
    sqlx::query(
        "INSERT INTO evidence_blobs (sha256, size, kind, media_type, content, ledger_seq) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&info.sha256)
    .bind(info.size)
    .bind(info.kind.key())
    .bind(&info.media_type)
    .bind(bytes.to_vec())
    .bind(seq)
    .execute(w.conn())
    .await?;
    Ok(info.clone())
}

impl Store {
    /// Stores a file as evidence after checking its type and size; a file whose content is
    /// already stored is not stored again. Returns the reference to cite and the file's facts.
    pub async fn add_evidence(
        &self,
        change: &Change,
        name: &str,
        bytes: &[u8],
        policy: &EvidencePolicy,
    ) -> StoreResult<(EvidenceRef, EvidenceInfo)> {
        let name = clean_name(name);
        let kind = check(&name, bytes, policy)
            .map_err(|e| StoreError::invalid("evidence", e.to_string()))?;
        let info = info_of(kind, bytes);
        let reference = EvidenceRef {
            sha256: info.sha256.clone(),
            name,
        };
        if let Some(existing) = self.evidence_info(&info.sha256).await? {
            // The same bytes again: nothing new is stored, but this uploader now holds them.
            let mut conn = self.pool.acquire().await?;
            hold_in(
                &mut conn,
                &info.sha256,
                &change.actor,
                &chrono::Utc::now().to_rfc3339(),
            )
            .await?;
            return Ok((reference, existing));
        }
        let mut w = Writer::begin(self, change).await?;
        let stored = store_blob_in(&mut w, &info, bytes).await?;
        w.commit().await?;
        Ok((reference, stored))
    }

    pub async fn evidence_info(&self, sha256: &str) -> StoreResult<Option<EvidenceInfo>> {
        let row = sqlx::query(
            "SELECT sha256, size, kind, media_type FROM evidence_blobs WHERE sha256 = $1",
        )
        .bind(sha256.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(info_from_row).transpose()
    }

    /// A stored file and its content.
    pub async fn evidence_content(
        &self,
        sha256: &str,
    ) -> StoreResult<Option<(EvidenceInfo, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT sha256, size, kind, media_type, content FROM evidence_blobs WHERE sha256 = $1",
        )
        .bind(sha256.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((
                info_from_row(&r)?,
                r.try_get::<Vec<u8>, _>("content")?,
            ))),
            None => Ok(None),
        }
    }
}

/// Who may see a stored file: the regions of the records that cite it, and who stored it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceCitations {
    /// Regions of the findings (closure requests), tasks (progress reports) and complaints
    /// (attachments, and files named in the text of complaints filed before attachments were
    /// kept apart) and assessment entries (by the assessed unit's region) that cite the file,
    /// without repeats.
    pub regions: Vec<RegionCode>,
    /// The actor of the ledger entry that stored it.
    pub stored_by: Option<String>,
    /// Everyone who uploaded its content (the one who stored it included).
    pub holders: Vec<String>,
}

impl EvidenceCitations {
    /// Whether a user may read (and so cite) the file: they uploaded it, or a record of a
    /// region they reach cites it.
    pub fn readable_by(&self, actor: &str, reaches: impl Fn(&RegionCode) -> bool) -> bool {
        self.holders.iter().any(|h| h == actor)
            || self.stored_by.as_deref() == Some(actor)
            || self.regions.iter().any(reaches)
    }
}

impl Store {
    /// Where a stored file is cited (for limiting downloads to the regions that cite it).
    pub async fn evidence_citations(&self, sha256: &str) -> StoreResult<EvidenceCitations> {
        let digest = sha256.trim().to_lowercase();
        if digest.len() != 64 || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(EvidenceCitations::default());
        }
        let pattern = format!("%{digest}%");
        let rows = sqlx::query(
            "SELECT DISTINCT region_code FROM finding_versions WHERE closure_evidence LIKE $1 \
             UNION SELECT DISTINCT t.region_code FROM progress_report_versions p \
               JOIN task_versions t ON t.task_id = p.task_id WHERE p.evidence LIKE $1 \
             UNION SELECT DISTINCT region_code FROM complaint_versions WHERE attachments LIKE $1 \
             UNION SELECT DISTINCT region_code FROM complaint_versions WHERE text LIKE $1 \
             UNION SELECT DISTINCT region_code FROM assessment_entry_versions WHERE evidence LIKE $1 \
             UNION SELECT DISTINCT e.region_code FROM emergency_update_versions u \
               JOIN emergency_versions e ON e.emergency_id = u.emergency_id WHERE u.evidence LIKE $1 \
             UNION SELECT DISTINCT region_code FROM risk_report_versions WHERE evidence LIKE $1 \
             UNION SELECT DISTINCT region_code FROM patrol_versions WHERE problems LIKE $1",
        )
        .bind(&pattern)
        .fetch_all(&self.pool)
        .await?;
        let mut regions = Vec::with_capacity(rows.len());
        for row in &rows {
            let code = parse_code(&row.try_get::<String, _>(0)?)?;
            if !regions.contains(&code) {
                regions.push(code);
            }
        }
        let stored_by = sqlx::query(
            "SELECT actor FROM ledger WHERE entity = 'evidence' AND entity_id = $1 ORDER BY seq LIMIT 1",
        )
        .bind(&digest)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get::<String, _>(0))
        .transpose()?;
        let holders = sqlx::query("SELECT actor FROM evidence_holders WHERE sha256 = $1")
            .bind(&digest)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(EvidenceCitations {
            regions,
            stored_by,
            holders,
        })
    }
}

/// Every stored file as the entry that stored it should have recorded it, with the digest
/// recomputed from the content (so a changed file no longer matches its entry).
pub(crate) async fn versions(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    use futures_util::TryStreamExt;
    let mut out = Vec::new();
    let mut rows = sqlx::query(
        "SELECT sha256, size, kind, media_type, content, ledger_seq FROM evidence_blobs",
    )
    .fetch(&store.pool);
    while let Some(row) = rows.try_next().await? {
        let content: Vec<u8> = row.try_get("content")?;
        let stored = info_from_row(&row)?;
        let recomputed = EvidenceInfo {
            sha256: sha256_hex(&content),
            size: content.len() as i64,
            ..stored.clone()
        };
        out.push((
            row.try_get::<i64, _>("ledger_seq")?,
            "evidence".to_string(),
            stored.sha256,
            1,
            to_json(&recomputed),
        ));
    }
    Ok(out)
}
