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

/// Bound values per multi-row INSERT: large enough to amortise statement overhead, below both
/// backends' bound-parameter limits (SQLite 32,766; PostgreSQL 65,535).
pub const CHUNK_VALUES: usize = 8_000;

/// Rows per INSERT for a table of `columns` columns.
pub fn chunk_rows(columns: usize) -> usize {
    (CHUNK_VALUES / columns.max(1)).clamp(1, 2_000)
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

/// Inserts `rows` into `table (columns…)` in chunks of [`chunk_rows`] rows.
///
/// The statement for the next chunk is built while the database executes the current one:
/// sqlx runs SQLite on a worker thread, so on a bulk import building (binding values, writing
/// the SQL) and storing overlap on two cores instead of taking turns.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> StoreResult<()> {
    let positional = positional(conn);
    let per_chunk = chunk_rows(columns.len());
    let mut rows = rows.into_iter();
    let mut next = build_insert(table, columns, &mut rows, per_chunk, positional)?;
    while let Some((sql, args)) = next.take() {
        let execute = sqlx::query_with::<Any, _>(&sql, args).execute(&mut *conn);
        // `join` polls the execution first (which hands the statement to the worker), then
        // builds the following chunk on this thread while the worker stores this one.
        let build = async { build_insert(table, columns, &mut rows, per_chunk, positional) };
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

/// The INSERT statements that store `rows` in `table (columns…)`, [`chunk_rows`] rows each:
/// for building on one thread what another runs (see [`crate::versioned::write_in`]).
pub(crate) fn insert_statements(
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
    positional: bool,
) -> StoreResult<Vec<Statement>> {
    let per_chunk = chunk_rows(columns.len());
    let mut rows = rows.into_iter();
    let mut out = Vec::new();
    while let Some(statement) = build_insert(table, columns, &mut rows, per_chunk, positional)? {
        out.push(statement);
    }
    Ok(out)
}

/// The INSERT statement and its bound values for the next `per_chunk` rows (`None` when no
/// row is left).
fn build_insert(
    table: &str,
    columns: &[&str],
    rows: &mut std::vec::IntoIter<Vec<Value>>,
    per_chunk: usize,
    positional: bool,
) -> StoreResult<Option<Statement>> {
    let mut sql = String::new();
    let mut args = AnyArguments::default();
    let mut n = 0;
    for (r, row) in rows.by_ref().take(per_chunk).enumerate() {
        debug_assert_eq!(row.len(), columns.len());
        if r == 0 {
            sql = format!("INSERT INTO {table} ({}) VALUES (", columns.join(", "));
        } else {
            sql.push_str(", (");
        }
        for (c, value) in row.into_iter().enumerate() {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
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
            .map_err(sqlx::Error::Encode)?;
        }
        sql.push(')');
    }
    Ok((n > 0).then_some((sql, args)))
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
