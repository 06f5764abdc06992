//! Verification of the ledger, above the entities: recomputing the chain, checking every
//! stored record version against the entry that recorded it, checking the tables derived from
//! versions, and comparing signed checkpoints with the chain; and writing those checkpoints.
//!
//! The chain itself (entries, hashing, [`crate::ledger::Writer`]) stays in [`crate::ledger`],
//! below the entities, which write through it; this module reads every entity and so sits
//! above them, and no entity imports it. What it checks comes from one list,
//! [`registry`], held against the schema by a test.
//!
//! Everything is read in pages by key (the ledger by sequence number, versions by id and
//! revision) rather than in one statement per table: on a ledger of millions of entries one
//! statement runs for minutes, which sqlx reports as a slow statement, and holds a read
//! snapshot open as long.

mod anchor;
pub mod derived;
pub(crate) mod registry;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::Digest;
use sqlx::Row;

use crate::checkpoints::{compare, CheckpointReport, FiledCheckpoint, PublicKey, Tip};
use crate::error::StoreResult;
use crate::ledger::{hash_input, HashAlgorithm, ENTRY_COLUMNS, GENESIS};
use crate::Store;

pub use derived::DerivedMismatch;

/// Rows per page when verifying. Large enough that the round trips cost little, small enough
/// that no statement runs long.
pub const PAGE: i64 = 5_000;

/// The result of verifying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyReport {
    pub algorithm: HashAlgorithm,
    pub entries: i64,
    pub records_checked: i64,
    /// Rows of tables derived from versions (such as `finding_heads`) compared with them.
    pub derived_checked: i64,
    /// The latest entry as stored: its sequence number and hash, for an auditor to note.
    pub tip: Tip,
    /// The first entry (by sequence) that does not match, with what is wrong; `None` when the
    /// chain and the stored records agree.
    pub first_mismatch: Option<Mismatch>,
    /// The first row of a derived table that disagrees with the versions.
    pub derived_mismatch: Option<DerivedMismatch>,
    /// Signed checkpoints compared with the chain, when some were given.
    pub checkpoints: Option<CheckpointReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mismatch {
    pub seq: i64,
    pub problem: String,
}

impl VerifyReport {
    /// The chain, the records, the derived tables and the checkpoints all agree.
    pub fn ok(&self) -> bool {
        self.first_mismatch.is_none()
            && self.derived_mismatch.is_none()
            && self.checkpoints.as_ref().is_none_or(|c| c.ok())
    }
}

/// What to verify beyond the chain and the records.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Checkpoints to compare with the chain, and the keys that may have signed them.
    pub checkpoints: Option<(Vec<FiledCheckpoint>, Vec<PublicKey>)>,
}

/// One entry as the walk over the chain reads it.
pub(crate) struct Facts {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub rev: i64,
    pub after: Option<String>,
    pub hash: String,
    /// Whether the chain is unbroken up to and including this entry.
    pub intact: bool,
}

/// What a walk over the chain found.
pub(crate) struct Walked {
    pub entries: i64,
    /// The last entry read (the start when none was).
    pub tip: (i64, String),
    pub first: Option<Mismatch>,
}

/// Recomputes the chain after entry `from.0` (whose hash is `from.1`) up to entry `upto`, a
/// page at a time, calling `each` on every entry; notes the first entry that breaks it.
pub(crate) async fn walk(
    store: &Store,
    from: (i64, String),
    upto: i64,
    page: i64,
    mut each: impl FnMut(Facts),
) -> StoreResult<Walked> {
    let alg = store.hash_algorithm();
    let mut first: Option<Mismatch> = None;
    let mut prev = from.1.clone();
    let mut expected_seq = from.0;
    let mut tip = from;
    let mut entries = 0i64;
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM ledger WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
    );
    loop {
        let rows = sqlx::query(&sql)
            .bind(tip.0)
            .bind(upto)
            .bind(page)
            .fetch_all(&store.pool)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            entries += 1;
            expected_seq += 1;
            let seq: i64 = row.try_get("seq")?;
            let before: Option<String> = row.try_get("before_json")?;
            let after: Option<String> = row.try_get("after_json")?;
            let entity: String = row.try_get("entity")?;
            let entity_id: String = row.try_get("entity_id")?;
            let rev: i64 = row.try_get("rev")?;
            let prev_hash: String = row.try_get("prev_hash")?;
            let hash: String = row.try_get("hash")?;
            tip = (seq, hash.clone());
            if first.is_none() {
                let problem = if seq != expected_seq {
                    Some(format!(
                        "sequence gap: expected entry {expected_seq}, found {seq}"
                    ))
                } else if prev_hash != prev {
                    Some("prev_hash does not match the hash of the entry before".to_string())
                } else {
                    let input = hash_input(
                        seq,
                        &row.try_get::<String, _>("recorded_at")?,
                        &row.try_get::<String, _>("actor")?,
                        &row.try_get::<String, _>("reason")?,
                        &entity,
                        &entity_id,
                        rev,
                        &row.try_get::<String, _>("action")?,
                        row.try_get::<Option<String>, _>("region_code")?.as_deref(),
                        before.as_deref(),
                        after.as_deref(),
                        &prev_hash,
                    );
                    (alg.digest_hex(&input) != hash)
                        .then(|| "hash does not match the entry's content".to_string())
                };
                if let Some(problem) = problem {
                    first = Some(Mismatch { seq, problem });
                }
                prev = hash.clone();
            }
            each(Facts {
                seq,
                entity,
                entity_id,
                rev,
                after,
                hash,
                intact: first.is_none(),
            });
        }
    }
    Ok(Walked {
        entries,
        tip,
        first,
    })
}

/// A digest of one entry's recorded "after" text, kept while the versions are compared.
struct Expected {
    entity: String,
    entity_id: String,
    rev: i64,
    after_digest: [u8; 32],
    matched: bool,
}

fn digest32(text: &str) -> [u8; 32] {
    sha2::Sha256::digest(text.as_bytes()).into()
}

impl Store {
    /// Recomputes the whole chain, checks every stored record version against the entry that
    /// recorded it and every derived table against the versions. Names the first entry that
    /// does not match.
    pub async fn verify_ledger(&self) -> StoreResult<VerifyReport> {
        self.verify_ledger_with(&VerifyOptions::default()).await
    }

    /// [`Store::verify_ledger`], and compares the checkpoints given with the chain.
    pub async fn verify_ledger_with(&self, options: &VerifyOptions) -> StoreResult<VerifyReport> {
        self.verify_paged(options, PAGE).await
    }

    /// [`Store::verify_ledger_with`] reading `page` rows at a time (tests use small pages to
    /// cross page boundaries).
    #[doc(hidden)]
    pub async fn verify_paged(
        &self,
        options: &VerifyOptions,
        page: i64,
    ) -> StoreResult<VerifyReport> {
        let alg = self.hash_algorithm();
        let page = page.max(1);
        let wanted: HashSet<i64> = options
            .checkpoints
            .iter()
            .flat_map(|(c, _)| c.iter().map(|f| f.checkpoint.seq))
            .collect();
        let mut hashes: HashMap<i64, String> = HashMap::new();
        let mut expected: HashMap<i64, Expected> = HashMap::new();
        let walked = walk(self, (0, GENESIS.to_string()), i64::MAX, page, |f| {
            if wanted.contains(&f.seq) {
                hashes.insert(f.seq, f.hash.clone());
            }
            if !f.intact {
                return;
            }
            if let Some(after) = &f.after {
                expected.insert(
                    f.seq,
                    Expected {
                        after_digest: digest32(after),
                        entity: f.entity,
                        entity_id: f.entity_id,
                        rev: f.rev,
                        matched: false,
                    },
                );
            }
        })
        .await?;
        let mut first = walked.first;
        let note = |seq: i64, problem: String, first: &mut Option<Mismatch>| {
            if first.as_ref().is_none_or(|m| seq < m.seq) {
                *first = Some(Mismatch { seq, problem });
            }
        };
        let kinds = registry::kinds();
        let mut records = 0i64;
        for kind in &kinds {
            for (seq, entity, entity_id, rev, json) in (kind.read)(self).await? {
                records += 1;
                match expected.get_mut(&seq) {
                    Some(e)
                        if e.entity == entity
                            && e.entity_id == entity_id
                            && e.rev == rev
                            && e.after_digest == digest32(&json) =>
                    {
                        e.matched = true
                    }
                    Some(_) => note(
                        seq,
                        format!("stored {entity} {entity_id} revision {rev} differs from what entry {seq} recorded"),
                        &mut first,
                    ),
                    None => note(
                        seq,
                        format!("stored {entity} {entity_id} revision {rev} claims entry {seq}, which did not record it"),
                        &mut first,
                    ),
                }
            }
        }
        for (seq, e) in &expected {
            if !e.matched && registry::is_versioned(&kinds, &e.entity) {
                note(
                    *seq,
                    format!(
                        "{} {} revision {} recorded here is missing from the store",
                        e.entity, e.entity_id, e.rev
                    ),
                    &mut first,
                );
            }
        }
        let derived = derived::check(self, page).await?;
        let tip = Tip {
            seq: walked.tip.0,
            hash: walked.tip.1,
            algorithm: alg,
        };
        let checkpoints = options
            .checkpoints
            .as_ref()
            .map(|(filed, keys)| compare(filed, keys, &tip, |seq| hashes.get(&seq).cloned()));
        Ok(VerifyReport {
            algorithm: alg,
            entries: walked.entries,
            records_checked: records,
            derived_checked: derived.rows,
            tip,
            first_mismatch: first,
            derived_mismatch: derived.first,
            checkpoints,
        })
    }
}
