//! The one list of what verification checks: every kind of record the ledger vouches for
//! (with the tables it is kept in and how to rebuild its versions as their entries recorded
//! them), every table derived from those versions, and every other table with the reason it
//! is not checked. A test holds the list against the schema, so a table added later that is in
//! none of the three fails it.

use std::future::Future;
use std::pin::Pin;

use crate::error::StoreResult;
use crate::versioned::{all_for_verify, Versioned};
use crate::Store;

/// A stored version as (ledger seq, entity, id, rev, JSON as recorded).
pub(crate) type VersionRow = (i64, String, String, i64, String);

pub(crate) type Versions<'a> =
    Pin<Box<dyn Future<Output = StoreResult<Vec<VersionRow>>> + Send + 'a>>;

/// Reads every stored version of one kind of record.
pub(crate) type Reader = for<'a> fn(&'a Store) -> Versions<'a>;

/// One kind of record the ledger vouches for: every entry of its entities must match a stored
/// version, and every stored version must match its entry.
pub(crate) struct Kind {
    /// The ledger entities its entries are recorded under.
    pub entities: Vec<&'static str>,
    /// The tables its versions are rebuilt from (all of them): what the schema test holds
    /// against the database; verification itself reads them through `read`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub tables: Vec<&'static str>,
    pub read: Reader,
}

fn read_versioned<T: Versioned>(store: &Store) -> Versions<'_> {
    Box::pin(all_for_verify::<T>(store))
}

/// A record kept as [`Versioned`] versions: its entity, identity and versions tables come from
/// the same impl that reads it.
fn versioned<T: Versioned>() -> Kind {
    Kind {
        entities: vec![T::ENTITY],
        tables: vec![T::IDENTITY, T::VERSIONS],
        read: read_versioned::<T>,
    }
}

fn regions(s: &Store) -> Versions<'_> {
    Box::pin(crate::regions::versions(s))
}
fn regulation(s: &Store) -> Versions<'_> {
    Box::pin(crate::regulation::versions(s))
}
fn air_imports(s: &Store) -> Versions<'_> {
    Box::pin(crate::quality::air::versions(s))
}
fn water_imports(s: &Store) -> Versions<'_> {
    Box::pin(crate::quality::water::versions(s))
}
fn evidence(s: &Store) -> Versions<'_> {
    Box::pin(crate::supervision::evidence::versions(s))
}

/// Every kind of record the ledger vouches for.
pub(crate) fn kinds() -> Vec<Kind> {
    use crate::{accountability, assessment, audit, emergency, quality, supervision, waters};
    vec![
        // Records rebuilt by their own modules: one synthetic record for the built-in regions,
        // a regulation version with its duties, situations and forms, imports with their rows,
        // evidence files with their digest recomputed from the content.
        Kind {
            entities: vec!["region", "regions"],
            tables: vec!["regions"],
            read: regions,
        },
        Kind {
            entities: vec!["regulation"],
            tables: vec![
                "regulation_versions",
                "regulation_duties",
                "framework_situations",
                "framework_forms",
            ],
            read: regulation,
        },
        Kind {
            entities: vec!["air_import"],
            tables: vec![
                "air_imports",
                "air_import_files",
                "air_stations",
                "air_day_values",
            ],
            read: air_imports,
        },
        Kind {
            entities: vec!["water_import"],
            tables: vec!["water_imports", "water_sections", "water_measurements"],
            read: water_imports,
        },
        Kind {
            entities: vec!["evidence"],
            tables: vec!["evidence_blobs"],
            read: evidence,
        },
        versioned::<crate::organisations::Organisation>(),
        versioned::<crate::posts::Post>(),
        versioned::<crate::people::Person>(),
        versioned::<crate::tenures::Tenure>(),
        versioned::<crate::duties::LocalDuty>(),
        versioned::<quality::targets::TargetRecord>(),
        versioned::<quality::reports::IndicatorReport>(),
        versioned::<crate::users::User>(),
        versioned::<crate::tokens::ApiToken>(),
        versioned::<supervision::plans::WorkPlan>(),
        versioned::<supervision::plans::Task>(),
        versioned::<supervision::plans::ProgressReport>(),
        versioned::<supervision::plans::DispatchRound>(),
        versioned::<supervision::inspections::Inspection>(),
        versioned::<supervision::findings::Finding>(),
        versioned::<supervision::checks::Check>(),
        versioned::<supervision::checks::CheckRules>(),
        versioned::<supervision::complaints::Complaint>(),
        versioned::<assessment::StoredScheme>(),
        versioned::<assessment::Entry>(),
        versioned::<assessment::Run>(),
        versioned::<assessment::Objection>(),
        versioned::<emergency::Emergency>(),
        versioned::<emergency::Update>(),
        versioned::<emergency::chain::Notice>(),
        versioned::<emergency::risk::RiskSource>(),
        versioned::<emergency::risk::RiskReport>(),
        versioned::<accountability::Case>(),
        versioned::<crate::zoning::ZoningUnit>(),
        versioned::<crate::zoning::ZoningCheck>(),
        versioned::<audit::assets::AssetAccount>(),
        versioned::<audit::Audit>(),
        versioned::<waters::Water>(),
        versioned::<waters::Segment>(),
        versioned::<waters::Forest>(),
        versioned::<waters::chiefs::Chief>(),
        versioned::<waters::patrols::Patrol>(),
        versioned::<waters::patrols::FrequencySetting>(),
    ]
}

pub(crate) type Checked<'a> = Pin<Box<dyn Future<Output = StoreResult<()>> + Send + 'a>>;

/// Compares one derived table with its versions, `page` rows at a time, noting what it read
/// and the first disagreement in the report.
pub(crate) type DerivedCheck =
    for<'a> fn(&'a Store, i64, &'a mut super::derived::DerivedReport) -> Checked<'a>;

fn finding_heads<'a>(
    s: &'a Store,
    page: i64,
    r: &'a mut super::derived::DerivedReport,
) -> Checked<'a> {
    Box::pin(super::derived::finding_heads(s, page, r))
}
fn inspection_regions<'a>(
    s: &'a Store,
    page: i64,
    r: &'a mut super::derived::DerivedReport,
) -> Checked<'a> {
    Box::pin(super::derived::inspection_regions(s, page, r))
}

/// Tables without a ledger entry of their own that hold nothing the versions do not (an
/// index of present state kept by a trigger, a list column kept one per row): each is
/// compared with the versions it is derived from.
pub(crate) const DERIVED: &[(&str, DerivedCheck)] = &[
    ("finding_heads", finding_heads),
    ("inspection_regions", inspection_regions),
];

/// Every other table, and why verification does not compare it with the ledger (read by the
/// schema test: a table must be in the registry one way or another).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const UNCHECKED: &[(&str, &str)] = &[
    ("ledger", "the chain itself, recomputed entry by entry"),
    ("meta", "settings of the database (its hash algorithm)"),
    ("write_lock", "the row writers lock"),
    (
        "user_credentials",
        "password hashes: secrets, changed without a version (the change is a ledger entry)",
    ),
    (
        "api_token_secrets",
        "token digests: secrets, kept apart from the token's versions",
    ),
    ("sessions", "sign-in sessions: operational, expire"),
    ("login_attempts", "lockout counters: operational"),
    ("public_rate_limits", "rate-limit buckets: operational"),
    (
        "complaint_contacts",
        "complainants' contact details: confidential, kept out of the ledger on purpose",
    ),
    (
        "evidence_holders",
        "who uploaded a file: a repeat upload adds a holder without a ledger entry",
    ),
    (
        "notifications",
        "notices the scheduler derives from the records and the clock",
    ),
    ("outbox", "delivery state of notifications"),
    ("scheduler_leases", "which process runs the scheduler now"),
    (
        "accountability_case_reads",
        "who read a case: an access log, not a record",
    ),
];

/// Whether every ledger entry of `entity` must match a stored record.
pub(crate) fn is_versioned(kinds: &[Kind], entity: &str) -> bool {
    kinds.iter().any(|k| k.entities.contains(&entity))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;
    use std::collections::BTreeSet;

    async fn tables_of(store: &Store, sql: &str) -> BTreeSet<String> {
        sqlx::query(sql)
            .fetch_all(store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect()
    }

    /// The registry against the schema: every table is a kind's, derived, or named as
    /// unchecked with its reason — and every `*_versions` table is a kind's. A table added
    /// later without joining the registry fails here.
    async fn registry_covers_the_schema(store: &Store, tables_sql: &str) {
        let tables = tables_of(store, tables_sql).await;
        let kinds = kinds();
        let covered: BTreeSet<&str> = kinds.iter().flat_map(|k| k.tables.clone()).collect();
        let versions: Vec<&String> = tables.iter().filter(|t| t.ends_with("_versions")).collect();
        assert!(versions.len() >= 30, "{versions:?}");
        let unverified: Vec<&&String> = versions
            .iter()
            .filter(|t| !covered.contains(t.as_str()))
            .collect();
        assert!(
            unverified.is_empty(),
            "versions tables whose entries are never verified: {unverified:?}"
        );
        let unknown: Vec<&String> = tables
            .iter()
            .filter(|t| {
                !covered.contains(t.as_str())
                    && !DERIVED.iter().any(|(d, _)| d == t)
                    && !UNCHECKED.iter().any(|(u, _)| u == t)
            })
            .collect();
        assert!(
            unknown.is_empty(),
            "tables the verification registry does not know: {unknown:?}"
        );
        // And nothing in the registry that the schema lacks (a misspelt name covers nothing).
        for t in covered
            .iter()
            .copied()
            .chain(DERIVED.iter().map(|(t, _)| *t))
            .chain(UNCHECKED.iter().map(|(t, _)| *t))
        {
            assert!(
                tables.contains(t),
                "{t} is in the registry but not the schema"
            );
        }
        let mut entities: Vec<&str> = kinds.iter().flat_map(|k| k.entities.clone()).collect();
        let n = entities.len();
        entities.sort();
        entities.dedup();
        assert_eq!(entities.len(), n, "an entity is in two kinds");
    }

    #[tokio::test]
    async fn every_table_is_in_the_registry_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite://{}/v.db", dir.path().display()))
            .await
            .unwrap();
        registry_covers_the_schema(
            &store,
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
        )
        .await;
        store.close().await;
    }

    #[tokio::test]
    #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
    async fn every_table_is_in_the_registry_postgres() {
        use sqlx::Connection;
        let admin = std::env::var("ECODUTY_TEST_PG_URL").expect("ECODUTY_TEST_PG_URL");
        let name = format!("ecoduty_registry_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let slash = admin.rfind('/').unwrap();
        let store = Store::open(&format!("{}/{name}", &admin[..slash]))
            .await
            .unwrap();
        registry_covers_the_schema(
            &store,
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
             AND table_name NOT LIKE '\\_sqlx%'",
        )
        .await;
        store.close().await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}
