//! The change ledger: every write to the store appends entries to one hash chain.
//!
//! An entry records who (actor), when, why (reason), which record (entity, id, revision), what
//! was done (action) and the record before and after. Its hash covers all of that and the hash
//! of the entry before it, so changing or removing any entry — or editing a stored version row
//! behind the application's back — is found by [`Store::verify_ledger`] (in [`crate::verify`],
//! above the entities; this module, below them, imports none).
//!
//! Writes are serialised: [`Writer::begin`] starts a transaction by updating the single
//! `write_lock` row, which takes SQLite's write lock or PostgreSQL's row lock until commit.
//! That is what keeps the chain unbroken when several processes write to one database, and it
//! makes checks such as "a post has one holder at a time" safe against concurrent writers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::Digest;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::error::{StoreError, StoreResult};
use crate::sql::{insert_rows_sharing, Shared, Value};
use crate::Store;

/// The hash of the chain, chosen when a database is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HashAlgorithm {
    /// SHA-256 (FIPS 180-4), the default.
    Sha256,
    /// SM3 (GB/T 32905-2016), the national standard Chinese government systems are
    /// evaluated against.
    Sm3,
}

impl HashAlgorithm {
    pub fn key(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sm3 => "sm3",
        }
    }

    pub fn digest_hex(self, data: &[u8]) -> String {
        match self {
            HashAlgorithm::Sha256 => hex::encode(sha2::Sha256::digest(data)),
            HashAlgorithm::Sm3 => hex::encode(sm3::Sm3::digest(data)),
        }
    }
}

impl FromStr for HashAlgorithm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "sha256" | "sha-256" => Ok(HashAlgorithm::Sha256),
            "sm3" => Ok(HashAlgorithm::Sm3),
            other => Err(format!(
                "unknown hash algorithm {other:?}: expected sha256 or sm3"
            )),
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Who makes a change and why: attached to every ledger entry the change writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub actor: String,
    pub reason: String,
}

impl Change {
    pub fn new(actor: impl Into<String>, reason: impl Into<String>) -> Self {
        Change {
            actor: actor.into(),
            reason: reason.into(),
        }
    }
}

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the ledger as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    pub seq: i64,
    pub recorded_at: String,
    pub actor: String,
    pub reason: String,
    pub entity: String,
    pub entity_id: String,
    pub rev: i64,
    pub action: String,
    /// The region the record belongs to (`None` for nationwide records).
    pub region_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// The bytes an entry's hash covers: every field, in a fixed order, as a JSON array (the JSON
/// of the records is hashed as the text stored, so verification needs no re-serialisation).
#[allow(clippy::too_many_arguments)]
pub(crate) fn hash_input(
    seq: i64,
    recorded_at: &str,
    actor: &str,
    reason: &str,
    entity: &str,
    entity_id: &str,
    rev: i64,
    action: &str,
    region_code: Option<&str>,
    before: Option<&str>,
    after: Option<&str>,
    prev_hash: &str,
) -> Vec<u8> {
    serde_json::to_vec(&(
        seq,
        recorded_at,
        actor,
        reason,
        entity,
        entity_id,
        rev,
        action,
        region_code,
        before,
        after,
        prev_hash,
    ))
    .expect("a tuple of strings and integers serialises")
}

/// A record change to enter in the ledger.
pub(crate) struct Entry {
    pub entity: &'static str,
    pub entity_id: String,
    pub rev: i64,
    pub action: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Serialises a record for the ledger. Version rows are rebuilt into the same types and
/// serialised the same way when the ledger is verified, so the text must be deterministic:
/// serde_json with struct field order is.
pub(crate) fn to_json<T: Serialize>(record: &T) -> String {
    serde_json::to_string(record).expect("records serialise to JSON")
}

/// The state the next entry of the chain is made from: its number, the hash it follows, and
/// who, when and why. A [`Writer`] holds one; a bulk write may hand it to a builder thread
/// (see [`crate::versioned::write_in`]) and take it back.
#[derive(Clone)]
pub(crate) struct Chain {
    alg: HashAlgorithm,
    actor: String,
    reason: String,
    recorded_at: String,
    next_seq: i64,
    tip: String,
}

impl Chain {
    /// The columns every entry of this write has in common: when, who and why.
    pub fn shared(&self) -> Shared {
        Shared {
            columns: LEDGER_SHARED_COLUMNS,
            values: vec![
                self.recorded_at.as_str().into(),
                self.actor.as_str().into(),
                self.reason.as_str().into(),
            ],
        }
    }

    /// Makes the next entry: its sequence number and its `ledger` row (in [`LEDGER_COLUMNS`]
    /// order; the columns all entries share are [`Chain::shared`]).
    pub fn entry(&mut self, e: Entry, region: Option<String>) -> (i64, Vec<Value>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let input = hash_input(
            seq,
            &self.recorded_at,
            &self.actor,
            &self.reason,
            e.entity,
            &e.entity_id,
            e.rev,
            e.action,
            region.as_deref(),
            e.before.as_deref(),
            e.after.as_deref(),
            &self.tip,
        );
        let hash = self.alg.digest_hex(&input);
        let row = vec![
            seq.into(),
            e.entity.into(),
            e.entity_id.into(),
            e.rev.into(),
            e.action.into(),
            region.into(),
            e.before.into(),
            e.after.into(),
            std::mem::replace(&mut self.tip, hash.clone()).into(),
            hash.into(),
        ];
        (seq, row)
    }
}

/// The columns of a `ledger` row that every entry of a write shares (see [`Chain::shared`]).
pub(crate) const LEDGER_SHARED_COLUMNS: &[&str] = &["recorded_at", "actor", "reason"];

/// The columns of a `ledger` row as [`Chain::entry`] makes it: all but those that every entry
/// of a write shares, which are bound once per statement (see [`Chain::shared`]).
pub(crate) const LEDGER_COLUMNS: &[&str] = &[
    "seq",
    "entity",
    "entity_id",
    "rev",
    "action",
    "region_code",
    "before_json",
    "after_json",
    "prev_hash",
    "hash",
];

/// A write transaction holding the write lock, collecting ledger entries as it goes.
pub(crate) struct Writer {
    tx: Transaction<'static, Any>,
    chain: Chain,
    /// The chain's next sequence number when the write began.
    first_seq: i64,
    bulk: std::sync::Arc<tokio::sync::Notify>,
    pending: Vec<Vec<Value>>,
    region: Option<String>,
}

impl Writer {
    /// Starts a write: takes the write lock and reads the chain's tip.
    pub async fn begin(store: &Store, change: &Change) -> StoreResult<Writer> {
        Writer::begin_with_hash(store, change, store.hash_algorithm()).await
    }

    pub(crate) async fn begin_with_hash(
        store: &Store,
        change: &Change,
        alg: HashAlgorithm,
    ) -> StoreResult<Writer> {
        if change.actor.trim().is_empty() {
            return Err(StoreError::invalid("actor", "every change needs an actor"));
        }
        if change.reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", "every change needs a reason"));
        }
        let mut tx = store.pool.begin().await?;
        sqlx::query("UPDATE write_lock SET n = n + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let tip = sqlx::query("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let (last_seq, tip) = match tip {
            Some(row) => (row.get::<i64, _>(0), row.get::<String, _>(1)),
            None => (0, GENESIS.to_string()),
        };
        Ok(Writer {
            tx,
            first_seq: last_seq + 1,
            bulk: store.bulk.clone(),
            chain: Chain {
                alg,
                actor: change.actor.trim().to_string(),
                reason: change.reason.trim().to_string(),
                recorded_at: now(),
                next_seq: last_seq + 1,
                tip,
            },
            pending: Vec::new(),
            region: None,
        })
    }

    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn recorded_at(&self) -> &str {
        &self.chain.recorded_at
    }

    /// Who makes this write.
    pub fn actor(&self) -> &str {
        &self.chain.actor
    }

    /// A copy of the chain's state, for a builder that makes entries elsewhere; give the
    /// advanced state back with [`Writer::resume`].
    pub(crate) fn chain(&self) -> Chain {
        self.chain.clone()
    }

    /// Continues from a chain state returned by a builder (see [`Writer::chain`]).
    pub(crate) fn resume(&mut self, chain: Chain) {
        self.chain = chain;
    }

    /// Adds ledger rows made elsewhere (by [`Chain::entry`] on this writer's chain) to those
    /// written at commit.
    pub(crate) fn defer(&mut self, rows: Vec<Vec<Value>>) {
        self.pending.extend(rows);
    }

    /// Writes the entries collected so far now rather than at commit.
    pub(crate) async fn flush(&mut self) -> StoreResult<()> {
        let rows = std::mem::take(&mut self.pending);
        let shared = self.chain.shared();
        insert_rows_sharing(&mut self.tx, "ledger", &shared, LEDGER_COLUMNS, rows).await
    }

    /// The region entries are recorded in unless one is named.
    pub fn region(&self) -> Option<String> {
        self.region.clone()
    }

    /// Sets the region that the entries recorded next belong to (see [`Writer::record_in`]).
    pub fn set_region(&mut self, region: Option<String>) {
        self.region = region;
    }

    /// Enters a change in the chain, in the writer's current region (see
    /// [`Writer::set_region`]), and returns its sequence number. The entry is written with the
    /// others when the writer commits.
    pub fn record(&mut self, e: Entry) -> i64 {
        let region = self.region.clone();
        self.record_in(e, region)
    }

    /// Enters a change that belongs to `region` (`None`: a nationwide record).
    pub fn record_in(&mut self, e: Entry, region: Option<String>) -> i64 {
        let (seq, row) = self.chain.entry(e, region);
        self.pending.push(row);
        seq
    }

    /// Writes the collected ledger entries and commits. A write of [`BULK_ENTRIES`] entries
    /// or more wakes whoever waits on [`Store::bulk_written`] (the server's checkpoints).
    pub async fn commit(mut self) -> StoreResult<()> {
        self.flush().await?;
        self.tx.commit().await?;
        if self.chain.next_seq - self.first_seq >= BULK_ENTRIES {
            self.bulk.notify_one();
        }
        Ok(())
    }
}

/// Entries from which a write counts as a bulk write (an import, a sheet), after which the
/// server signs a checkpoint without waiting for its schedule.
pub const BULK_ENTRIES: i64 = 1_000;

/// The current time as the ledger writes it: RFC 3339 in UTC with microseconds, which sorts
/// as text.
pub fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

fn entry_from_row(row: &sqlx::any::AnyRow) -> StoreResult<LedgerEntry> {
    let parse = |s: Option<String>| -> StoreResult<Option<serde_json::Value>> {
        s.map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("ledger JSON: {e}")))
    };
    Ok(LedgerEntry {
        seq: row.try_get("seq")?,
        recorded_at: row.try_get("recorded_at")?,
        actor: row.try_get("actor")?,
        reason: row.try_get("reason")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        rev: row.try_get("rev")?,
        action: row.try_get("action")?,
        region_code: row.try_get("region_code")?,
        before: parse(row.try_get("before_json")?)?,
        after: parse(row.try_get("after_json")?)?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

pub(crate) const ENTRY_COLUMNS: &str =
    "seq, recorded_at, actor, reason, entity, entity_id, rev, action, \
     region_code, before_json, after_json, prev_hash, hash";

impl Store {
    /// Completes after the next bulk write (see [`BULK_ENTRIES`]) commits in this process; a
    /// bulk write while nobody waits is remembered for the next waiter.
    pub async fn bulk_written(&self) {
        self.bulk.notified().await
    }

    /// The sequence number of the latest ledger entry (0 while the ledger is empty). Every
    /// change to a record appends an entry, so a result computed from the records is still
    /// current as long as the tip has not moved.
    pub async fn ledger_tip(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT MAX(seq) FROM ledger")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
    }

    /// The ledger entries for one record (`entity` such as "tenure", and its id), oldest first.
    pub async fn entity_log(&self, entity: &str, entity_id: &str) -> StoreResult<Vec<LedgerEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger WHERE entity = $1 AND entity_id = $2 ORDER BY seq"
        );
        let rows = sqlx::query(&sql)
            .bind(entity)
            .bind(entity_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// Ledger entries, newest first, optionally filtered; `before_seq` pages backwards.
    pub async fn ledger_page(
        &self,
        filter: &LedgerFilter,
        before_seq: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<LedgerEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM ledger \
             WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR actor = $2) \
               AND ($3 = '' OR recorded_at >= $3) AND ($4 = '' OR recorded_at < $4) \
               AND seq < $5 AND ($7 = '' OR region_code LIKE $7) \
               AND ($8 = 1 OR entity NOT IN ({hidden})) \
             ORDER BY seq DESC LIMIT $6",
            hidden = CONFIDENTIAL_ENTITIES
                .iter()
                .map(|e| format!("'{e}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(filter.entity.clone().unwrap_or_default())
            .bind(filter.actor.clone().unwrap_or_default())
            .bind(filter.from.clone().unwrap_or_default())
            .bind(filter.to.clone().unwrap_or_default())
            .bind(before_seq.unwrap_or(i64::MAX))
            .bind(limit)
            .bind(
                filter
                    .within
                    .as_ref()
                    .map(|c| format!("{}%", c.subtree_prefix()))
                    .unwrap_or_default(),
            )
            .bind(i64::from(filter.confidential))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

/// The entities whose entries [`Store::ledger_page`] lists only to readers of confidential
/// records: accountability cases (a test in `crate::accountability` holds this to its records).
/// Named here rather than imported, so that the chain imports no entity.
pub const CONFIDENTIAL_ENTITIES: &[&str] = &["accountability_case"];

/// Filters for [`Store::ledger_page`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LedgerFilter {
    pub entity: Option<String>,
    pub actor: Option<String>,
    /// Inclusive lower bound on `recorded_at` (RFC 3339 or a date).
    pub from: Option<String>,
    /// Exclusive upper bound on `recorded_at`.
    pub to: Option<String>,
    /// Only entries of records within this region's subtree (nationwide records excluded).
    #[serde(skip)]
    pub within: Option<ecoduty_domain::RegionCode>,
    /// Whether entries of confidential records (accountability cases) are listed: only for
    /// readers who may read those records.
    #[serde(skip)]
    pub confidential: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        // GB/T 32905-2016 Appendix A, example 1: SM3("abc").
        assert_eq!(
            HashAlgorithm::Sm3.digest_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            HashAlgorithm::Sha256.digest_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
