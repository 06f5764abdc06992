//! Schemes (考核细则) in the store: one per assessing region and year, kept as versions.
//!
//! Importing a sheet for a region and year that already has a scheme appends a version. Once
//! scoring has started (a run exists) the scheme is frozen: a later version needs a written
//! reason, and runs name the version they used, so a published result can always be traced to
//! the exact items it was scored by.

use ecoduty_domain::assessment::scheme::{Grading, Item, Scheme};
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::RegionCode;

use super::StoredScheme;
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// A scheme to store: the items of a sheet and the settings given with it.
#[derive(Debug, Clone)]
pub struct SchemeImport {
    pub region_code: RegionCode,
    pub year: i32,
    /// Empty: 「{year}年度{region}生态环境保护责任制考核细则」.
    pub title: String,
    /// Empty: every region directly under the assessing region.
    pub units: Vec<UnitRef>,
    pub items: Vec<Item>,
    pub grading: Grading,
    pub objection_days: u32,
    /// Why the scheme changes after scoring started (required then; recorded in the version's
    /// ledger entry).
    pub revision_reason: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeImported {
    pub scheme: StoredScheme,
    /// Nothing changed: the sheet and settings equal the stored version.
    pub unchanged: bool,
}

pub(crate) async fn scheme_in(
    conn: &mut sqlx::AnyConnection,
    region: &RegionCode,
    year: i32,
) -> StoreResult<Option<StoredScheme>> {
    let sql = format!(
        "SELECT {} FROM assessment_scheme_current WHERE region_code = $1 AND year = $2",
        StoredScheme::column_list()
    );
    let row = sqlx::query(&sql)
        .bind(region.as_str())
        .bind(i64::from(year))
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(StoredScheme::from_row).transpose()
}

impl Store {
    /// Stores a scheme for a region and year (a new version if one exists). Refused once
    /// scoring has started unless the import states why the scheme changes.
    pub async fn import_scheme(
        &self,
        change: &Change,
        import: SchemeImport,
    ) -> StoreResult<SchemeImported> {
        let region = self.require_region(&import.region_code).await?;
        if !(2000..=2100).contains(&import.year) {
            return Err(StoreError::invalid(
                "year",
                format!("{} is not a year to assess", import.year),
            ));
        }
        let units = if import.units.is_empty() {
            self.region_children(&region.code)
                .await?
                .into_iter()
                .map(|r| UnitRef::Region(r.code))
                .collect()
        } else {
            import.units
        };
        let title = match import.title.trim() {
            "" => format!(
                "{}年度{}生态环境保护责任制考核细则",
                import.year, region.name
            ),
            t => t.to_string(),
        };
        let scheme = Scheme {
            region_code: region.code.clone(),
            year: import.year,
            title,
            units,
            items: import.items,
            grading: import.grading,
            objection_days: import.objection_days,
        };
        scheme
            .check()
            .map_err(|m| StoreError::invalid("scheme", m))?;
        let revision = import
            .revision_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let change = &match &revision {
            Some(r) => Change::new(change.actor.clone(), format!("{}:{r}", change.reason)),
            None => change.clone(),
        };
        let mut w = Writer::begin(self, change).await?;
        for u in &scheme.units {
            match u {
                UnitRef::Region(code) => {
                    if self.region(code).await?.is_none() {
                        return Err(StoreError::invalid("units", format!("no region {code}")));
                    }
                }
                UnitRef::Organisation(id) => {
                    let org: Organisation =
                        versioned::current_in(w.conn(), *id).await?.ok_or_else(|| {
                            StoreError::invalid("units", format!("no organisation #{id}"))
                        })?;
                    if !org.region_code.is_within(&region.code) {
                        return Err(StoreError::invalid(
                            "units",
                            format!(
                                "{} (#{id}) is outside the assessing region {}",
                                org.name, region.code
                            ),
                        ));
                    }
                }
            }
        }
        let before = scheme_in(w.conn(), &region.code, import.year).await?;
        if let Some(b) = &before {
            if b.scheme == scheme {
                return Ok(SchemeImported {
                    scheme: b.clone(),
                    unchanged: true,
                });
            }
            let runs: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM assessment_run_current WHERE scheme_id = $1",
            )
            .bind(b.id)
            .fetch_one(w.conn())
            .await?;
            if runs > 0 && revision.is_none() {
                return Err(StoreError::invalid(
                    "reason",
                    format!(
                        "scoring of the {} scheme has started ({runs} run(s)): a new version needs its reason (--reason)",
                        import.year
                    ),
                ));
            }
        }
        let record = StoredScheme {
            id: match &before {
                Some(b) => b.id,
                None => versioned::next_id::<StoredScheme>(w.conn()).await?,
            },
            rev: before.as_ref().map_or(1, |b| b.rev + 1),
            scheme,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: record.clone(),
                before: before.as_ref(),
                action: if before.is_some() { "update" } else { "create" },
            }],
        )
        .await?;
        w.commit().await?;
        Ok(SchemeImported {
            scheme: record,
            unchanged: false,
        })
    }

    /// The scheme of a region for a year, as it stands.
    pub async fn scheme(
        &self,
        region: &RegionCode,
        year: i32,
    ) -> StoreResult<Option<StoredScheme>> {
        let mut conn = self.pool.acquire().await?;
        scheme_in(&mut conn, region, year).await
    }

    /// A scheme by id, as it stands.
    pub async fn scheme_by_id(&self, id: i64) -> StoreResult<Option<StoredScheme>> {
        versioned::current(self, id).await
    }

    /// Every version of a scheme, oldest first.
    pub async fn scheme_versions(&self, id: i64) -> StoreResult<Vec<StoredScheme>> {
        versioned::history(self, id).await
    }

    /// The schemes of regions within `within` (all when `None`), newest year first.
    pub async fn schemes(&self, within: Option<&RegionCode>) -> StoreResult<Vec<StoredScheme>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let sql = format!(
            "SELECT {} FROM assessment_scheme_current WHERE {} ORDER BY year DESC, region_code",
            StoredScheme::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(StoredScheme::from_row).collect()
    }
}
