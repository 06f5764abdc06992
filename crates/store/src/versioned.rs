//! The one way records that matter to accountability are written: as numbered versions.
//!
//! A record type implements [`Versioned`] (its tables, columns and row mapping); creating or
//! changing a record appends a version row and a ledger entry whose "after" is the version's
//! JSON and whose "before" is the previous version's. Nothing is updated in place; the present
//! state is the latest version (the `*_current` views).

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row};

use crate::error::StoreResult;
use crate::ledger::{to_json, Chain, Entry, Writer, LEDGER_COLUMNS, LEDGER_SHARED_COLUMNS};
use crate::sql::{insert_rows, insert_statements, positional, Shared, Statement, Value};
use crate::Store;

pub(crate) trait Versioned: Serialize + Sized + Send + Unpin + 'static {
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

/// Versions from which [`write_in`] builds its statements on a thread of their own. Below
/// this, handing work to another thread costs more than it saves.
const PIPELINE_FROM: usize = 2_000;

/// [`write`], with the ledger region of each record given by `region_of` where it returns one.
///
/// A large write (a roster import, a findings sheet) is a pipeline: a blocking
/// thread serialises the records, chains their ledger entries and builds the INSERT statements,
/// a few chunks ahead, while this task runs them. Building (JSON, hashing, binding) and storing
/// (SQLite's B-trees) then overlap on two cores, and only a few chunks are in memory at once.
pub(crate) async fn write_in<T: Versioned>(
    w: &mut Writer,
    versions: Vec<Version<'_, T>>,
    region_of: impl Fn(&T) -> Option<String>,
) -> StoreResult<()> {
    // What borrows (the version replaced, the region lookup) is settled here.
    let items: Vec<Item<T>> = versions
        .into_iter()
        .map(|v| Item {
            region: region_of(&v.record)
                .or_else(|| v.record.ledger_region())
                .or_else(|| w.region()),
            before: v.before.map(to_json),
            action: v.action,
            record: v.record,
        })
        .collect();
    if items.len() < PIPELINE_FROM {
        let mut chain = w.chain();
        let rows = build(&mut chain, items);
        w.resume(chain);
        // The ledger entries are written with the others at commit.
        w.defer(rows.ledger);
        insert_rows(w.conn(), T::IDENTITY, &["id"], rows.identity).await?;
        return insert_rows(
            w.conn(),
            T::VERSIONS,
            &version_columns::<T>(),
            rows.versions,
        )
        .await;
    }
    // Entries collected before go first, so that the ledger is written in order.
    w.flush().await?;
    let positional = positional(w.conn());
    let mut chain = w.chain();
    let (send, mut receive) = tokio::sync::mpsc::channel::<Statement>(8);
    let builder = tokio::task::spawn_blocking(move || -> StoreResult<Chain> {
        let mut items = items.into_iter();
        loop {
            let chunk: Vec<Item<T>> = items.by_ref().take(PIPELINE_CHUNK).collect();
            if chunk.is_empty() {
                return Ok(chain);
            }
            let shared = chain.shared();
            for statement in build(&mut chain, chunk).statements::<T>(&shared, positional)? {
                if send.blocking_send(statement).is_err() {
                    // The receiving side stopped on an error, which it reports.
                    return Ok(chain);
                }
            }
        }
    });
    let mut failed = None;
    while let Some((sql, args)) = receive.recv().await {
        if let Err(e) = sqlx::query_with::<Any, _>(&sql, args)
            .execute(w.conn())
            .await
        {
            failed = Some(e);
            break;
        }
    }
    drop(receive);
    let chain = match builder.await {
        Ok(built) => built?,
        // A panic while building is a bug: it goes on unwinding here.
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    if let Some(e) = failed {
        return Err(e.into());
    }
    w.resume(chain);
    Ok(())
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

/// Every stored version as (ledger seq, entity, id, rev, JSON), for verification: read in
/// pages by (id, rev), so that no statement scans a whole large table at once (see
/// [`crate::verify`]).
pub(crate) async fn all_for_verify<T: Versioned>(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let sql = format!(
        "SELECT {}, ledger_seq FROM {} WHERE ({id}, rev) > ($1, $2) ORDER BY {id}, rev LIMIT $3",
        T::column_list(),
        T::VERSIONS,
        id = T::ID_COLUMN,
    );
    let mut out = Vec::new();
    let mut after = (0i64, 0i64);
    loop {
        let rows = sqlx::query(&sql)
            .bind(after.0)
            .bind(after.1)
            .bind(crate::verify::PAGE)
            .fetch_all(&store.pool)
            .await?;
        if rows.is_empty() {
            return Ok(out);
        }
        for row in &rows {
            let record = T::from_row(row)?;
            after = (record.id(), record.rev());
            out.push((
                row.try_get::<i64, _>("ledger_seq")?,
                T::ENTITY.to_string(),
                record.id().to_string(),
                record.rev(),
                to_json(&record),
            ));
        }
    }
}

/// Reads a 0/1 flag column.
pub(crate) fn flag(row: &AnyRow, column: &str) -> StoreResult<bool> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Records per chunk of a pipelined write: one multi-row INSERT of ledger entries (with the
/// values all entries share bound once, see [`Chain::shared`]).
const PIPELINE_CHUNK: usize =
    crate::sql::chunk_rows_sharing(LEDGER_COLUMNS.len(), LEDGER_SHARED_COLUMNS.len());

/// A version with everything borrowed resolved, ready to hand to a builder thread.
struct Item<T> {
    record: T,
    /// The version replaced, as JSON (`None` for a new record).
    before: Option<String>,
    action: &'static str,
    region: Option<String>,
}

/// The rows that write some versions.
struct Rows {
    /// Identity rows of new records.
    identity: Vec<Vec<Value>>,
    versions: Vec<Vec<Value>>,
    ledger: Vec<Vec<Value>>,
}

impl Rows {
    /// The statements that insert these rows, the ledger's with the chain's `shared` values.
    fn statements<T: Versioned>(
        self,
        shared: &Shared,
        positional: bool,
    ) -> StoreResult<Vec<Statement>> {
        let none = Shared::default();
        let mut out = insert_statements(T::IDENTITY, &none, &["id"], self.identity, positional)?;
        out.extend(insert_statements(
            T::VERSIONS,
            &none,
            &version_columns::<T>(),
            self.versions,
            positional,
        )?);
        out.extend(insert_statements(
            "ledger",
            shared,
            LEDGER_COLUMNS,
            self.ledger,
            positional,
        )?);
        Ok(out)
    }
}

fn version_columns<T: Versioned>() -> Vec<&'static str> {
    let mut columns: Vec<&str> = T::COLUMNS.to_vec();
    columns.push("ledger_seq");
    columns
}

/// The rows that write `items`, with their ledger entries made from `chain` (which advances).
fn build<T: Versioned>(chain: &mut Chain, items: Vec<Item<T>>) -> Rows {
    let mut rows = Rows {
        identity: Vec::new(),
        versions: Vec::with_capacity(items.len()),
        ledger: Vec::with_capacity(items.len()),
    };
    for item in items {
        if item.before.is_none() {
            rows.identity.push(vec![Value::Int(item.record.id())]);
        }
        let (seq, entry) = chain.entry(
            Entry {
                entity: T::ENTITY,
                entity_id: item.record.id().to_string(),
                rev: item.record.rev(),
                action: item.action,
                after: Some(to_json(&item.record)),
                before: item.before,
            },
            item.region,
        );
        rows.ledger.push(entry);
        let mut values = item.record.values();
        values.push(seq.into());
        rows.versions.push(values);
    }
    rows
}
