//! Natural-resource asset accounts in the store: one versioned record per region and year.
//!
//! An import is all or nothing: every region must be stored (and within the importer's
//! region), and an account the sheet gives replaces the stored account of its region and year
//! as a new version; an unchanged account writes nothing. Accounts the sheet does not give are
//! left alone (a sheet of one year does not withdraw the others).

use std::collections::{BTreeSet, HashMap};

use ecoduty_domain::audit::assets::AccountSpec;
use ecoduty_domain::audit::AssetLine;
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::{json_text, parse_code, parse_json};
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of a region's account of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetAccount {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub year: i32,
    pub lines: Vec<AssetLine>,
}

impl Versioned for AssetAccount {
    const ENTITY: &'static str = "asset_account";
    const IDENTITY: &'static str = "asset_accounts";
    const VERSIONS: &'static str = "asset_account_versions";
    const ID_COLUMN: &'static str = "account_id";
    const CURRENT: &'static str = "asset_account_current";
    const COLUMNS: &'static [&'static str] = &["account_id", "rev", "region_code", "year", "lines"];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.region_code.to_string().into(),
            i64::from(self.year).into(),
            json_text(&self.lines).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(AssetAccount {
            id: row.try_get("account_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            year: i32::try_from(row.try_get::<i64, _>("year")?)
                .map_err(|_| StoreError::invalid("year", "out of range"))?,
            lines: parse_json(&row.try_get::<String, _>("lines")?)?,
        })
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetImport {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

impl Store {
    /// Imports accounts, all or nothing (see the module's doc).
    pub async fn import_asset_accounts(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        accounts: Vec<AccountSpec>,
    ) -> StoreResult<AssetImport> {
        if accounts.is_empty() {
            return Err(StoreError::invalid("accounts", "no account to import"));
        }
        let mut regions = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for a in &accounts {
            let field = format!("{} {} 年: 行政区划代码", a.region_code, a.year);
            if let Some(scope) = scope {
                if !a.region_code.is_within(scope) {
                    return Err(StoreError::invalid(
                        field,
                        format!("{} is outside your region {scope}", a.region_code),
                    ));
                }
            }
            if !keys.insert((a.region_code.clone(), a.year)) {
                return Err(StoreError::invalid(
                    format!("{} {} 年", a.region_code, a.year),
                    "the account is given twice",
                ));
            }
            if a.lines.is_empty() {
                return Err(StoreError::invalid(field, "the account has no line"));
            }
            if regions.insert(a.region_code.clone()) && self.region(&a.region_code).await?.is_none()
            {
                return Err(StoreError::invalid(
                    field,
                    format!("{} is not a stored region", a.region_code),
                ));
            }
        }
        let mut w = Writer::begin(self, change).await?;
        let mut existing: Vec<AssetAccount> = Vec::new();
        for region in &regions {
            existing.extend(accounts_in(&mut w, region).await?);
        }
        let by_key: HashMap<(RegionCode, i32), &AssetAccount> = existing
            .iter()
            .map(|a| ((a.region_code.clone(), a.year), a))
            .collect();
        let mut next = versioned::next_id::<AssetAccount>(w.conn()).await?;
        let mut report = AssetImport::default();
        let mut versions = Vec::new();
        for a in accounts {
            match by_key.get(&(a.region_code.clone(), a.year)).copied() {
                Some(b) if b.lines == a.lines => report.unchanged += 1,
                Some(b) => {
                    report.updated += 1;
                    versions.push(Version {
                        record: AssetAccount {
                            id: b.id,
                            rev: b.rev + 1,
                            region_code: a.region_code,
                            year: a.year,
                            lines: a.lines,
                        },
                        before: Some(b),
                        action: "update",
                    });
                }
                None => {
                    report.created += 1;
                    versions.push(Version {
                        record: AssetAccount {
                            id: next,
                            rev: 1,
                            region_code: a.region_code,
                            year: a.year,
                            lines: a.lines,
                        },
                        before: None,
                        action: "create",
                    });
                    next += 1;
                }
            }
        }
        if versions.is_empty() {
            // Dropping the writer rolls the transaction back: nothing is written.
            return Ok(report);
        }
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(report)
    }

    /// A region's accounts (the region itself, not its subtree), oldest year first.
    pub async fn asset_accounts(&self, region: &RegionCode) -> StoreResult<Vec<AssetAccount>> {
        let sql = format!(
            "SELECT {} FROM asset_account_current WHERE region_code = $1 ORDER BY year",
            AssetAccount::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(region.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(AssetAccount::from_row).collect()
    }

    /// The accounts of a region's subtree for a year, by region code (the export).
    pub async fn asset_accounts_within(
        &self,
        within: Option<&RegionCode>,
        year: Option<i32>,
    ) -> StoreResult<Vec<AssetAccount>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let mut sql = format!(
            "SELECT {} FROM asset_account_current WHERE {}",
            AssetAccount::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        if year.is_some() {
            sql.push_str(" AND year = $3");
        }
        sql.push_str(" ORDER BY region_code, year");
        let mut q = sqlx::query(&sql).bind(lo).bind(hi);
        if let Some(y) = year {
            q = q.bind(i64::from(y));
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(AssetAccount::from_row).collect()
    }

    /// Every version of an account, oldest first.
    pub async fn asset_account_versions(&self, id: i64) -> StoreResult<Vec<AssetAccount>> {
        versioned::history(self, id).await
    }
}

async fn accounts_in(w: &mut Writer, region: &RegionCode) -> StoreResult<Vec<AssetAccount>> {
    let sql = format!(
        "SELECT {} FROM asset_account_current WHERE region_code = $1",
        AssetAccount::column_list()
    );
    let rows = sqlx::query(&sql)
        .bind(region.to_string())
        .fetch_all(w.conn())
        .await?;
    rows.iter().map(AssetAccount::from_row).collect()
}

/// The account a tenure starts from and the one it ends with: the latest year before the
/// tenure's first year (what was inherited), else its first year; and the latest year up to
/// the tenure's last, if later than the start's.
pub(crate) fn start_and_end(
    accounts: &[AssetAccount],
    first_year: i32,
    last_year: i32,
) -> (Option<&AssetAccount>, Option<&AssetAccount>) {
    let start = accounts
        .iter()
        .filter(|a| a.year < first_year)
        .max_by_key(|a| a.year)
        .or_else(|| accounts.iter().find(|a| a.year == first_year));
    let end = accounts
        .iter()
        .filter(|a| a.year <= last_year && start.is_none_or(|s| a.year > s.year))
        .max_by_key(|a| a.year);
    (start, end)
}
