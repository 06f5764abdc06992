//! Test support: a fresh database per test, on SQLite (a temporary file) or on PostgreSQL (a
//! new database on the server named by ECODUTY_TEST_PG_URL, dropped afterwards).

#![allow(dead_code)]

use ecoduty_store::{HashAlgorithm, OpenOptions, Store};
use sqlx::Connection;

pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

/// The PostgreSQL server for tests. A PostgreSQL test without it fails: it never passes quietly.
pub fn pg_url() -> String {
    std::env::var("ECODUTY_TEST_PG_URL").expect(
        "ECODUTY_TEST_PG_URL must name a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/test) to run the PostgreSQL tests",
    )
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let slash = base
        .rfind('/')
        .expect("a PostgreSQL URL has a database path");
    format!("{}/{db}{query}", &base[..slash])
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "ecoduty_test_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        TestDb::sqlite_with(HashAlgorithm::Sha256).await
    }

    pub async fn sqlite_with(hash: HashAlgorithm) -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let store = Store::open_with(
            &url,
            OpenOptions {
                hash,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        TestDb {
            store,
            url,
            _dir: Some(dir),
            pg_admin: None,
        }
    }

    pub async fn postgres() -> TestDb {
        TestDb::postgres_with(HashAlgorithm::Sha256).await
    }

    pub async fn postgres_with(hash: HashAlgorithm) -> TestDb {
        let admin = pg_url();
        let name = unique_name();
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connect to ECODUTY_TEST_PG_URL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let url = with_database(&admin, &name);
        let store = Store::open_with(
            &url,
            OpenOptions {
                hash,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        TestDb {
            store,
            url,
            _dir: None,
            pg_admin: Some((admin, name)),
        }
    }

    pub async fn backend(postgres: bool) -> TestDb {
        if postgres {
            TestDb::postgres().await
        } else {
            TestDb::sqlite().await
        }
    }

    /// Closes the pool and, on PostgreSQL, drops the test database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin, name)) = self.pg_admin {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

/// Runs each named `async fn(TestDb)` as two tests: `NAME::sqlite`, and `NAME::postgres`,
/// which is ignored by default and run by CI with `--ignored` and ECODUTY_TEST_PG_URL set.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::TestDb::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
            async fn postgres() {
                super::$name($crate::common::TestDb::postgres().await).await;
            }
        }
    )* };
}

pub fn change(reason: &str) -> ecoduty_store::Change {
    ecoduty_store::Change::new("tester", reason)
}

pub fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

pub fn code(s: &str) -> ecoduty_domain::RegionCode {
    ecoduty_domain::RegionCode::parse(s).unwrap()
}

// Records for the tests that build a small jurisdiction by hand (a tenure returns its id).

pub async fn org(
    st: &ecoduty_store::Store,
    region: &str,
    name: &str,
    kind: ecoduty_domain::OrganisationKind,
    eco: bool,
) -> i64 {
    st.add_organisation(
        &change("建立单位"),
        ecoduty_domain::OrganisationSpec {
            region_code: code(region),
            name: name.into(),
            kind,
            eco_department: eco,
            eco_duties: kind == ecoduty_domain::OrganisationKind::Department,
        },
    )
    .await
    .unwrap()
    .id
}

pub async fn post(
    st: &ecoduty_store::Store,
    org: i64,
    title: &str,
    role: ecoduty_domain::Role,
) -> i64 {
    st.add_post(
        &change("设岗"),
        ecoduty_domain::post::PostSpec {
            organisation_id: org,
            title: title.into(),
            role,
            portfolio: vec![],
        },
    )
    .await
    .unwrap()
    .id
}

pub async fn hold(
    st: &ecoduty_store::Store,
    post: i64,
    person: i64,
    start: &str,
    end: Option<&str>,
) -> i64 {
    st.add_tenure(
        &change("任职"),
        ecoduty_store::tenures::NewTenure {
            post_id: post,
            person_id: person,
            start_date: date(start),
            end_date: end.map(date),
            acting: false,
        },
    )
    .await
    .unwrap()
    .id
}

pub async fn person(st: &ecoduty_store::Store, name: &str) -> i64 {
    st.add_person(&change("人员"), name, None).await.unwrap().id
}
