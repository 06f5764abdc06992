//! The one way records that matter to accountability are written: as numbered versions.
//!
//! A record type implements [`Versioned`] (its tables, columns and row mapping); creating or
//! changing a record appends a version row and a ledger entry whose "after" is the version's
//! JSON and whose "before" is the previous version's. Nothing is updated in place; the present
//! state is the latest version (the `*_current` views).

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::StoreResult;
use crate::ledger::{to_json, Entry, Writer};
use crate::sql::{insert_rows, Value};
use crate::Store;

pub(crate) trait Versioned: Serialize + Sized + Send + Unpin {
    /// The entity name in the ledger (`tenure`), also used by `ecoduty log --entity tenure:ID`.
    const ENTITY: &'static str;
    /// The identity table holding one row per record (`tenures`).
    const IDENTITY: &'static str;
    /// The version table (`tenure_versions`) and its id column (`tenure_id`).
    const VERSIONS: &'static str;
    const ID_COLUMN: &'static str;
    /// The view of latest versions (`tenure_current`).
    const CURRENT: &'static str;
    /// The version table's columns other than `ledger_seq`, in the order of [`Self::values`].
    const COLUMNS: &'static [&'static str];

    fn id(&self) -> i64;
    fn rev(&self) -> i64;
    /// The region the record belongs to, for its ledger entries, when the record itself says
    /// (an organisation does; a post or tenure needs a lookup, so its writer sets the region).
    fn ledger_region(&self) -> Option<String> {
        None
    }
    fn values(&self) -> Vec<Value>;
    fn from_row(row: &AnyRow) -> StoreResult<Self>;

    fn column_list() -> String {
        Self::COLUMNS.join(", ")
    }
}

/// The next unused id for `T`. Callers hold the write lock, so ids are never handed out twice.
pub(crate) async fn next_id<T: Versioned>(conn: &mut AnyConnection) -> StoreResult<i64> {
    let sql = format!("SELECT MAX(id) FROM {}", T::IDENTITY);
    let row = sqlx::query(&sql).fetch_one(conn).await?;
    Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0) + 1)
}

/// One version to write: the record, the version it replaces (none for a new record), and the
/// action to name in the ledger.
pub(crate) struct Version<'a, T> {
    pub record: T,
    pub before: Option<&'a T>,
    pub action: &'static str,
}

/// Appends versions (and their identity rows, for new records) with one ledger entry each, in
/// the record's own region or else the writer's.
pub(crate) async fn write<T: Versioned>(
    w: &mut Writer,
    versions: Vec<Version<'_, T>>,
) -> StoreResult<()> {
    write_in(w, versions, |_| None).await
}

/// [`write`], with the ledger region of each record given by `region_of` where it returns one.
pub(crate) async fn write_in<T: Versioned>(
    w: &mut Writer,
    versions: Vec<Version<'_, T>>,
    region_of: impl Fn(&T) -> Option<String>,
) -> StoreResult<()> {
    let mut identity = Vec::new();
    let mut rows = Vec::with_capacity(versions.len());
    for v in versions {
        let region = region_of(&v.record)
            .or_else(|| v.record.ledger_region())
            .or_else(|| w.region());
        let seq = w.record_in(
            Entry {
                entity: T::ENTITY,
                entity_id: v.record.id().to_string(),
                rev: v.record.rev(),
                action: v.action,
                before: v.before.map(to_json),
                after: Some(to_json(&v.record)),
            },
            region,
        );
        if v.before.is_none() {
            identity.push(vec![Value::Int(v.record.id())]);
        }
        let mut values = v.record.values();
        values.push(seq.into());
        rows.push(values);
    }
    insert_rows(w.conn(), T::IDENTITY, &["id"], identity).await?;
    let mut columns: Vec<&str> = T::COLUMNS.to_vec();
    columns.push("ledger_seq");
    insert_rows(w.conn(), T::VERSIONS, &columns, rows).await
}

/// The latest version of a record, read inside a write (so under the lock).
pub(crate) async fn current_in<T: Versioned>(
    conn: &mut AnyConnection,
    id: i64,
) -> StoreResult<Option<T>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = $1",
        T::column_list(),
        T::CURRENT,
        T::ID_COLUMN
    );
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(T::from_row).transpose()
}

/// The latest version of a record.
pub(crate) async fn current<T: Versioned>(store: &Store, id: i64) -> StoreResult<Option<T>> {
    let mut conn = store.pool.acquire().await?;
    current_in(&mut conn, id).await
}

/// Every version of a record, oldest first.
pub(crate) async fn history<T: Versioned>(store: &Store, id: i64) -> StoreResult<Vec<T>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {} = $1 ORDER BY rev",
        T::column_list(),
        T::VERSIONS,
        T::ID_COLUMN
    );
    let rows = sqlx::query(&sql).bind(id).fetch_all(&store.pool).await?;
    rows.iter().map(T::from_row).collect()
}

/// Every stored version as (ledger seq, entity, id, rev, JSON), for verification.
pub(crate) async fn all_for_verify<T: Versioned>(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let sql = format!(
        "SELECT {}, ledger_seq FROM {}",
        T::column_list(),
        T::VERSIONS
    );
    let rows = sqlx::query(&sql).fetch_all(&store.pool).await?;
    rows.iter()
        .map(|row| {
            let record = T::from_row(row)?;
            Ok((
                row.try_get::<i64, _>("ledger_seq")?,
                T::ENTITY.to_string(),
                record.id().to_string(),
                record.rev(),
                to_json(&record),
            ))
        })
        .collect()
}

/// Reads a 0/1 flag column.
pub(crate) fn flag(row: &AnyRow, column: &str) -> StoreResult<bool> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}
