//! Small helpers for building SQL that both backends accept.
//!
//! Statements use `$1, $2 …` placeholders: PostgreSQL requires them and sqlx's SQLite driver
//! maps `$N` to the N-th bound value, so one text serves both. Bulk inserts are built here
//! rather than with `QueryBuilder` so that the placeholder style is under our control: on
//! SQLite they use plain `?`, because binding numbered parameters looks each name up with
//! `sqlite3_bind_parameter_name`, a linear scan — quadratic in a statement's parameters, which
//! made a thousand-row insert take seconds.

use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Arguments};

use crate::error::StoreResult;

/// Bound values per multi-row INSERT: just below SQLite's bound-parameter limit (32,766;
/// PostgreSQL's is 65,535). Each statement is a round trip to sqlx's SQLite worker thread,
/// which idles in between, so fewer, larger statements store a bulk import faster: 30,000
/// values rather than 8,000 took a tenth off the national roster benchmark's store time.
pub const CHUNK_VALUES: usize = 30_000;

/// Rows per INSERT for a table of `columns` columns.
pub const fn chunk_rows(columns: usize) -> usize {
    chunk_rows_sharing(columns, 0)
}

/// Rows per INSERT of `columns` values each, with `shared` values bound once (see [`Shared`]).
pub(crate) const fn chunk_rows_sharing(columns: usize, shared: usize) -> usize {
    let columns = if columns == 0 { 1 } else { columns };
    let rows = (CHUNK_VALUES - shared) / columns;
    if rows == 0 {
        1
    } else {
        rows
    }
}

/// A value to bind in a bulk insert.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
    OptText(Option<String>),
    OptInt(Option<i64>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v as i64)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::OptText(v)
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::OptInt(v)
    }
}

/// Values that every row of a bulk insert has in common (for ledger entries: who, when and
/// why), bound once per statement rather than once per row.
///
/// The statement then reads `INSERT INTO t (shared…, columns…) SELECT s.*, v.* FROM
/// (VALUES (…)) AS s, (VALUES (…), (…) …) AS v`, which both backends accept (both name a
/// VALUES list's columns `column1, column2 …`). On SQLite every bound text value is copied into
/// memory of SQLite's own; binding the three strings once took that many copies off each ledger
/// row of an import.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shared {
    pub columns: &'static [&'static str],
    pub values: Vec<Value>,
}

/// Inserts `rows` into `table (columns…)`, as many rows per statement as [`CHUNK_VALUES`]
/// allows.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> StoreResult<()> {
    insert_rows_sharing(conn, table, &Shared::default(), columns, rows).await
}

/// [`insert_rows`], with values every row shares bound once per statement (see [`Shared`]).
///
/// The statement for the next chunk is built while the database executes the current one:
/// sqlx runs SQLite on a worker thread, so on a bulk import building (binding values, writing
/// the SQL) and storing overlap on two cores instead of taking turns.
pub(crate) async fn insert_rows_sharing(
    conn: &mut AnyConnection,
    table: &str,
    shared: &Shared,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> StoreResult<()> {
    let positional = positional(conn);
    let mut rows = rows.into_iter();
    let mut next = build_insert(table, shared, columns, &mut rows, positional)?;
    while let Some((sql, args)) = next.take() {
        let execute = sqlx::query_with::<Any, _>(&sql, args).execute(&mut *conn);
        // `join` polls the execution first (which hands the statement to the worker), then
        // builds the following chunk on this thread while the worker stores this one.
        let build = async { build_insert(table, shared, columns, &mut rows, positional) };
        let (done, following) = futures_util::future::join(execute, build).await;
        done?;
        next = following?;
    }
    Ok(())
}

/// A statement ready to run: its text and bound values.
pub(crate) type Statement = (String, AnyArguments<'static>);

/// Whether a connection binds plain positional `?` (SQLite) rather than `$N` (see above).
pub(crate) fn positional(conn: &AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// The INSERT statements that store `rows` in `table (shared…, columns…)`, as many rows
/// each as [`CHUNK_VALUES`] allows: for building on one thread what another runs (see
/// [`crate::versioned::write_in`]).
pub(crate) fn insert_statements(
    table: &str,
    shared: &Shared,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
    positional: bool,
) -> StoreResult<Vec<Statement>> {
    let mut rows = rows.into_iter();
    let mut out = Vec::new();
    while let Some(statement) = build_insert(table, shared, columns, &mut rows, positional)? {
        out.push(statement);
    }
    Ok(out)
}

/// The INSERT statement and its bound values for the next rows that fit in one statement
/// (`None` when no row is left).
fn build_insert(
    table: &str,
    shared: &Shared,
    columns: &[&str],
    rows: &mut std::vec::IntoIter<Vec<Value>>,
    positional: bool,
) -> StoreResult<Option<Statement>> {
    debug_assert_eq!(shared.columns.len(), shared.values.len());
    let per_chunk = chunk_rows_sharing(columns.len(), shared.values.len());
    let mut rows = rows.by_ref().take(per_chunk).peekable();
    if rows.peek().is_none() {
        return Ok(None);
    }
    let mut sql = String::new();
    let mut args = AnyArguments::default();
    let mut n = 0;
    let mut bind = |sql: &mut String, args: &mut AnyArguments<'static>, value: Value| {
        n += 1;
        if positional {
            sql.push('?');
        } else {
            sql.push('$');
            sql.push_str(&n.to_string());
        }
        match value {
            Value::Int(v) => args.add(v),
            Value::Text(v) => args.add(v),
            Value::OptText(v) => args.add(v),
            Value::OptInt(v) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)
    };
    if shared.columns.is_empty() {
        sql.push_str(&format!(
            "INSERT INTO {table} ({}) VALUES ",
            columns.join(", ")
        ));
    } else {
        sql.push_str(&format!(
            "INSERT INTO {table} ({}, {}) SELECT s.*, v.* FROM (VALUES (",
            shared.columns.join(", "),
            columns.join(", ")
        ));
        for (c, value) in shared.values.iter().enumerate() {
            if c > 0 {
                sql.push_str(", ");
            }
            bind(&mut sql, &mut args, value.clone())?;
        }
        sql.push_str(")) AS s, (VALUES ");
    }
    for (r, row) in rows.enumerate() {
        debug_assert_eq!(row.len(), columns.len());
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for (c, value) in row.into_iter().enumerate() {
            if c > 0 {
                sql.push_str(", ");
            }
            bind(&mut sql, &mut args, value)?;
        }
        sql.push(')');
    }
    if !shared.columns.is_empty() {
        sql.push_str(") AS v");
    }
    Ok(Some((sql, args)))
}

/// Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
