//! Opening a database: choosing the backend from the URL, creating and migrating a database
//! found missing or empty, and loading what a new database starts with (the regions of China
//! and the built-in regulation).
//!
//! Why sqlx's `Any` driver: it lets one set of queries run on SQLite and PostgreSQL, so the
//! differences between the backends are confined to this module and the two migration folders.
//! The price is a smaller set of column types (integers, floats, text), which the schema
//! conventions in `migrations/README.md` follow.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use crate::error::{StoreError, StoreResult};
use crate::ledger::{HashAlgorithm, Writer};
use crate::Change;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database URL used when none is given: a SQLite file under `./ecoduty-data/`.
pub const DEFAULT_URL: &str = "sqlite://ecoduty-data/ecoduty.db";

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Options for [`Store::open_with`].
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// The ledger's hash, fixed when the database is created (ignored for an existing one).
    pub hash: HashAlgorithm,
    /// Pool size; SQLite serialises writes anyway, readers benefit from a few connections.
    pub max_connections: u32,
}

impl Default for OpenOptions {
    /// SHA-256, and a pool of `ECODUTY_DB_POOL` connections (1–64; 8 when unset or invalid).
    fn default() -> Self {
        let max_connections = std::env::var("ECODUTY_DB_POOL")
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|n| (1..=64).contains(n))
            .unwrap_or(8);
        OpenOptions {
            hash: HashAlgorithm::Sha256,
            max_connections,
        }
    }
}

/// A handle on the database. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    hash: HashAlgorithm,
    /// Region rows already read (see [`crate::regions::RegionCache`]).
    pub(crate) regions: std::sync::Arc<crate::regions::RegionCache>,
    /// Woken when a bulk write commits (see [`crate::ledger::BULK_ENTRIES`]).
    pub(crate) bulk: std::sync::Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .field("hash", &self.hash)
            .finish()
    }
}

/// Splits a URL into its backend and the URL sqlx should connect to. For SQLite the file's
/// folder is created and `mode=rwc` added so that a missing database is created.
fn prepare_url(url: &str) -> StoreResult<(Backend, String)> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path_and_query = rest.trim_start_matches("//");
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        if path.is_empty() {
            return Err(StoreError::invalid(
                "db",
                "a sqlite URL needs a file path: sqlite://PATH",
            ));
        }
        if path != ":memory:" {
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        StoreError::invalid("db", format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
            }
        }
        let mut query: Vec<String> = query
            .map(|q| q.split('&').map(str::to_string).collect())
            .unwrap_or_default();
        if !query.iter().any(|p| p.starts_with("mode=")) {
            query.push("mode=rwc".into());
        }
        Ok((
            Backend::Sqlite,
            format!("sqlite://{path}?{}", query.join("&")),
        ))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((Backend::Postgres, url.to_string()))
    } else {
        Err(StoreError::invalid(
            "db",
            format!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            ),
        ))
    }
}

/// Turns off SQLite's memory statistics, once per process, before its first connection.
///
/// With them on (the library's default), every allocation and free inside SQLite takes a
/// global mutex to keep counters that nothing here reads (`sqlite3_memory_used`, the soft heap
/// limit). SQLite's own list of recommended options says to turn them off; on a bulk import,
/// where SQLite copies every bound text value into memory of its own, the mutex was ~8% of the
/// database thread's time. The option can only be set before the library initialises, so a
/// process that used SQLite earlier keeps the default, which is merely slower.
fn configure_sqlite_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` is documented as callable before `sqlite3_initialize`; called
        // later it changes nothing and returns SQLITE_MISUSE, which is ignored. The variadic
        // argument for SQLITE_CONFIG_MEMSTATUS is one C int.
        let _ = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::os::raw::c_int,
            )
        };
    });
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `url`.
    pub async fn open(url: &str) -> StoreResult<Store> {
        Store::open_with(url, OpenOptions::default()).await
    }

    pub async fn open_with(url: &str, options: OpenOptions) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = prepare_url(url)?;
        if backend == Backend::Sqlite {
            configure_sqlite_library();
        }
        let connect = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // A new database gets 8 KiB pages (an existing one keeps its own: the
                        // size is fixed once the file has content). Ledger rows are wide and
                        // written in long runs; larger pages mean fewer page splits, WAL frames
                        // and system calls. Measured against SQLite's default 4 KiB: the
                        // national roster imports ~15% faster (57k rows/s against 49k), while
                        // a single ledgered write rewrites larger pages, so one-at-a-time
                        // finding transitions run ~25% slower (820/s against 1,090/s). 16 KiB
                        // imported faster still (61k) but cost single writes more (700/s).
                        // WAL lets readers proceed while a writer commits; NORMAL sync is safe
                        // under WAL (a crash loses at most the last commits, never consistency).
                        // A 64 MiB page cache keeps the indexes of a large import in memory.
                        conn.execute(
                            "PRAGMA page_size = 8192; \
                             PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; \
                             PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let mut store = Store {
            pool,
            backend,
            hash: options.hash,
            regions: Default::default(),
            bulk: Default::default(),
        };
        store.ensure_initialised(options.hash).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Writes a consistent copy of a SQLite database to a new file (`VACUUM INTO`), while
    /// others may go on reading and writing.
    pub async fn copy_sqlite_to(&self, path: &std::path::Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::invalid(
                "database",
                "only a SQLite database can be copied to a file",
            ));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Reads a value from the `meta` table.
    pub async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    /// Loads a new database's starting content once, under the write lock so that two
    /// processes opening one new PostgreSQL database at once do not both load it.
    async fn ensure_initialised(&mut self, hash: HashAlgorithm) -> StoreResult<()> {
        if let Some(existing) = self.meta("hash_algorithm").await? {
            self.hash = existing.parse().map_err(StoreError::Corrupt)?;
            return Ok(());
        }
        let change = Change::new("system", "create the database: load the regions of China (GB/T 2260) and the built-in regulation");
        let mut w = Writer::begin_with_hash(self, &change, hash).await?;
        let exists = sqlx::query("SELECT value FROM meta WHERE key = 'hash_algorithm'")
            .fetch_optional(w.conn())
            .await?;
        if let Some(row) = exists {
            drop(w);
            self.hash = row
                .get::<String, _>(0)
                .parse()
                .map_err(StoreError::Corrupt)?;
            return Ok(());
        }
        for (key, value) in [
            ("hash_algorithm", hash.key().to_string()),
            ("created_at", w.recorded_at().to_string()),
        ] {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                .bind(key)
                .bind(value)
                .execute(w.conn())
                .await?;
        }
        crate::regions::load_builtin(&mut w).await?;
        crate::regulation::load_builtin(&mut w).await?;
        w.commit().await?;
        self.hash = hash;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.db");
        let (b, u) = prepare_url(&format!("sqlite://{}", path.display())).unwrap();
        assert_eq!(b, Backend::Sqlite);
        assert!(u.ends_with("?mode=rwc"), "{u}");
        assert!(path.parent().unwrap().is_dir());
        assert_eq!(
            prepare_url("postgres://u@h/db").unwrap().0,
            Backend::Postgres
        );
        assert!(prepare_url("mysql://x").is_err());
        assert!(prepare_url("sqlite://").is_err());
    }

    async fn page_size(store: &Store) -> i64 {
        sqlx::query("PRAGMA page_size")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .get::<i64, _>(0)
    }

    #[tokio::test]
    async fn a_new_sqlite_database_gets_8_kib_pages_and_an_old_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let new = Store::open(&format!("sqlite://{}", dir.path().join("new.db").display()))
            .await
            .unwrap();
        assert_eq!(page_size(&new).await, 8192);
        new.close().await;

        // A database made with SQLite's default page size, as ecoduty made them before.
        let old = dir.path().join("old.db");
        let url = format!("sqlite://{}?mode=rwc", old.display());
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        conn.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x)")
            .await
            .unwrap();
        sqlx::Connection::close(conn).await.unwrap();
        let store = Store::open(&format!("sqlite://{}", old.display()))
            .await
            .unwrap();
        assert_eq!(page_size(&store).await, 4096);
        // Opened, migrated and loaded all the same.
        assert!(store.meta("hash_algorithm").await.unwrap().is_some());
        store.close().await;
    }
}
