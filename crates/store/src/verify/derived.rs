//! The tables derived from versions (listed in [`super::registry::DERIVED`]), compared with the
//! versions they are derived from. They carry no ledger entry of their own, so an edit of one
//! behind the application's back (a finding shown as closed while its versions say it is
//! open) is found only here. Each is read in pages, as the chain is.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;

use crate::error::StoreResult;
use crate::Store;

/// A row of a derived table that disagrees with the versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DerivedMismatch {
    pub table: String,
    /// The record whose row disagrees (e.g. "finding 12").
    pub record: String,
    pub problem: String,
}

/// What the derived tables' check found.
pub(crate) struct DerivedReport {
    /// Rows of derived tables compared.
    pub rows: i64,
    pub first: Option<DerivedMismatch>,
}

/// Compares every derived table with its versions; names the first row that disagrees.
pub(crate) async fn check(store: &Store, page: i64) -> StoreResult<DerivedReport> {
    let mut report = DerivedReport {
        rows: 0,
        first: None,
    };
    for (_, check) in super::registry::DERIVED {
        check(store, page, &mut report).await?;
        if report.first.is_some() {
            break;
        }
    }
    Ok(report)
}

/// `finding_heads` holds, for each finding, its latest revision and that version's fields.
pub(crate) async fn finding_heads(
    store: &Store,
    page: i64,
    report: &mut DerivedReport,
) -> StoreResult<()> {
    let max: Option<i64> = sqlx::query("SELECT MAX(id) FROM findings")
        .fetch_one(&store.pool)
        .await?
        .try_get(0)?;
    let max = max.unwrap_or(0);
    let heads: i64 = sqlx::query("SELECT COUNT(*) FROM finding_heads")
        .fetch_one(&store.pool)
        .await?
        .try_get(0)?;
    let mut from = 0i64;
    while from < max {
        let to = from + page;
        // The same comparison as `Store::check_finding_heads`, on one range of ids.
        let bad = sqlx::query(
            "SELECT f.id FROM findings f LEFT JOIN finding_heads h ON h.finding_id = f.id \
             WHERE f.id > $1 AND f.id <= $2 AND (h.finding_id IS NULL \
                OR h.rev <> (SELECT MAX(m.rev) FROM finding_versions m WHERE m.finding_id = f.id) \
                OR NOT EXISTS (SELECT 1 FROM finding_versions v WHERE v.finding_id = h.finding_id AND v.rev = h.rev \
                    AND v.region_code = h.region_code AND v.status = h.status \
                    AND COALESCE(v.deadline, '') = COALESCE(h.deadline, '') \
                    AND COALESCE(v.overdue_since, '') = COALESCE(h.overdue_since, '') \
                    AND v.category = h.category AND v.severity = h.severity AND v.source = h.source \
                    AND COALESCE(v.inspection_id, 0) = COALESCE(h.inspection_id, 0) \
                    AND COALESCE(v.complaint_id, 0) = COALESCE(h.complaint_id, 0))) \
             ORDER BY f.id LIMIT 1",
        )
        .bind(from)
        .bind(to)
        .fetch_optional(&store.pool)
        .await?;
        if let Some(row) = bad {
            let id: i64 = row.try_get(0)?;
            report.first = Some(DerivedMismatch {
                table: "finding_heads".into(),
                record: format!("finding {id}"),
                problem: format!(
                    "the latest-version index of finding {id} disagrees with its versions"
                ),
            });
            return Ok(());
        }
        from = to;
    }
    report.rows += heads;
    // A head for a finding that does not exist is found by the count.
    let findings: i64 = sqlx::query("SELECT COUNT(*) FROM findings")
        .fetch_one(&store.pool)
        .await?
        .try_get(0)?;
    if heads != findings {
        report.first = Some(DerivedMismatch {
            table: "finding_heads".into(),
            record: "findings".into(),
            problem: format!("{heads} index rows for {findings} findings"),
        });
    }
    Ok(())
}

/// `inspection_regions` holds, for each inspection version, one row per region it names.
pub(crate) async fn inspection_regions(
    store: &Store,
    page: i64,
    report: &mut DerivedReport,
) -> StoreResult<()> {
    // Both sides in (inspection, rev) order, a page at a time.
    let mut after = (0i64, 0i64);
    let mut seen = 0i64;
    loop {
        let versions = sqlx::query(
            "SELECT inspection_id, rev, regions FROM inspection_versions \
             WHERE (inspection_id, rev) > ($1, $2) ORDER BY inspection_id, rev LIMIT $3",
        )
        .bind(after.0)
        .bind(after.1)
        .bind(page)
        .fetch_all(&store.pool)
        .await?;
        let Some(last) = versions.last() else {
            break;
        };
        let last = (last.try_get::<i64, _>(0)?, last.try_get::<i64, _>(1)?);
        let rows = sqlx::query(
            "SELECT inspection_id, rev, region_code FROM inspection_regions \
             WHERE (inspection_id, rev) > ($1, $2) AND (inspection_id, rev) <= ($3, $4) \
             ORDER BY inspection_id, rev, region_code",
        )
        .bind(after.0)
        .bind(after.1)
        .bind(last.0)
        .bind(last.1)
        .fetch_all(&store.pool)
        .await?;
        let mut stored: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
        for r in &rows {
            stored
                .entry((r.try_get(0)?, r.try_get(1)?))
                .or_default()
                .push(r.try_get(2)?);
        }
        seen += rows.len() as i64;
        for v in &versions {
            let key: (i64, i64) = (v.try_get(0)?, v.try_get(1)?);
            let mut named: Vec<String> = v
                .try_get::<String, _>(2)?
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            named.sort();
            named.dedup();
            let have = stored.remove(&key).unwrap_or_default();
            if have != named {
                report.first = Some(DerivedMismatch {
                    table: "inspection_regions".into(),
                    record: format!("inspection {} revision {}", key.0, key.1),
                    problem: format!(
                        "regions {} listed, the version names {}",
                        have.join(","),
                        named.join(",")
                    ),
                });
                return Ok(());
            }
        }
        if let Some(((id, rev), _)) = stored.into_iter().next() {
            report.first = Some(DerivedMismatch {
                table: "inspection_regions".into(),
                record: format!("inspection {id} revision {rev}"),
                problem: "regions listed for a version that does not exist".into(),
            });
            return Ok(());
        }
        after = last;
    }
    let total: i64 = sqlx::query("SELECT COUNT(*) FROM inspection_regions")
        .fetch_one(&store.pool)
        .await?
        .try_get(0)?;
    if total != seen {
        report.first = Some(DerivedMismatch {
            table: "inspection_regions".into(),
            record: "inspections".into(),
            problem: format!(
                "{} region rows belong to no inspection version",
                total - seen
            ),
        });
    }
    report.rows += seen;
    Ok(())
}
