//! Targets of binding indicators (约束性指标): what a region must reach for an indicator in a
//! year. Versioned like every accountability record: importing a changed value appends a
//! version, so the target a region was held to on any date stays on record.
//!
//! The value is kept as the decimal text of the number (`35`, `80.5`): the store's row values
//! are integers and text, and Rust's shortest round-trip rendering reads back to the same
//! `f64`, so the record rebuilt for verification serialises exactly as the ledger recorded it.

use std::collections::HashMap;
use std::fmt;

use ecoduty_domain::RegionCode;
use ecoduty_indicators::{by_key, parse_targets, TargetRowError, CATALOGUE};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{code_within, SourceFile};
use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::sql::Value;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRecord {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    /// The indicator's catalogue key (`pm25_annual_mean`).
    pub indicator: String,
    pub year: i32,
    /// In the indicator's unit.
    pub value: f64,
    /// Where the value was set: `file:line` of the targets file.
    pub source: String,
}

/// A number as stored in a text column: the shortest text that reads back to the same `f64`.
pub(crate) fn number_text(v: f64) -> String {
    format!("{v}")
}

pub(crate) fn parse_number(text: &str) -> StoreResult<f64> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("number {text:?}")))
}

impl Versioned for TargetRecord {
    const ENTITY: &'static str = "target";
    const IDENTITY: &'static str = "targets";
    const VERSIONS: &'static str = "target_versions";
    const ID_COLUMN: &'static str = "target_id";
    const CURRENT: &'static str = "target_current";
    const COLUMNS: &'static [&'static str] = &[
        "target_id",
        "rev",
        "region_code",
        "indicator",
        "year",
        "target_value",
        "source",
    ];

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
            self.indicator.clone().into(),
            i64::from(self.year).into(),
            number_text(self.value).into(),
            self.source.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let code: String = row.try_get("region_code")?;
        let year: i64 = row.try_get("year")?;
        Ok(TargetRecord {
            id: row.try_get("target_id")?,
            rev: row.try_get("rev")?,
            region_code: RegionCode::parse(&code)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            indicator: row.try_get("indicator")?,
            year: i32::try_from(year)
                .map_err(|_| StoreError::Corrupt(format!("target year {year}")))?,
            value: parse_number(&row.try_get::<String, _>("target_value")?)?,
            source: row.try_get("source")?,
        })
    }
}

/// Why a targets file was refused: its rows (each error naming line and column), or the store.
#[derive(Debug)]
pub enum TargetImportError {
    Rows(Vec<TargetRowError>),
    Store(StoreError),
}

impl fmt::Display for TargetImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetImportError::Rows(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            TargetImportError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for TargetImportError {}

impl From<StoreError> for TargetImportError {
    fn from(e: StoreError) -> Self {
        TargetImportError::Store(e)
    }
}

impl From<sqlx::Error> for TargetImportError {
    fn from(e: sqlx::Error) -> Self {
        TargetImportError::Store(e.into())
    }
}

/// What a targets import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TargetImportSummary {
    pub rows: usize,
    pub created: usize,
    pub revised: usize,
    pub unchanged: usize,
    /// The entry recording the import as a whole; `None` when nothing changed.
    pub ledger_seq: Option<i64>,
}

/// Catalogue position of an indicator key, for a stable order.
pub(crate) fn catalogue_rank(key: &str) -> usize {
    CATALOGUE
        .iter()
        .position(|i| i.key == key)
        .unwrap_or(usize::MAX)
}

impl Store {
    /// Imports a targets file's rows (the first is the header; see
    /// `ecoduty_indicators::parse_targets`). All or nothing: every bad row is reported with its
    /// line and column and nothing is written. A target whose value is unchanged is left alone;
    /// a changed one gets a new version.
    pub async fn import_targets(
        &self,
        change: &Change,
        source: &SourceFile,
        rows: &[(u64, Vec<String>)],
    ) -> Result<TargetImportSummary, TargetImportError> {
        let targets = parse_targets(rows.iter().cloned()).map_err(TargetImportError::Rows)?;
        // parse_targets keeps the order of the non-blank rows and refuses any bad one, so the
        // n-th target is the n-th non-blank row after the header.
        let lines: Vec<u64> = rows
            .iter()
            .skip(1)
            .filter(|(_, cells)| !cells.iter().all(|c| c.trim().is_empty()))
            .map(|(line, _)| *line)
            .collect();
        debug_assert_eq!(lines.len(), targets.len());

        let mut w = Writer::begin(self, change).await?;
        let mut known: HashMap<String, bool> = HashMap::new();
        let mut errors = Vec::new();
        for (t, line) in targets.iter().zip(&lines) {
            let code = t.region_code.to_string();
            if !known.contains_key(&code) {
                let exists = sqlx::query("SELECT code FROM regions WHERE code = $1")
                    .bind(&code)
                    .fetch_optional(w.conn())
                    .await?
                    .is_some();
                known.insert(code.clone(), exists);
            }
            if !known[&code] {
                errors.push(TargetRowError {
                    line: *line,
                    field: Some("region_code"),
                    message: format!("unknown region {code}"),
                });
            }
        }
        if !errors.is_empty() {
            return Err(TargetImportError::Rows(errors));
        }

        let mut summary = TargetImportSummary {
            rows: targets.len(),
            ..Default::default()
        };
        let mut next = versioned::next_id::<TargetRecord>(w.conn()).await?;
        let mut created = Vec::new();
        let mut revised: Vec<(TargetRecord, TargetRecord)> = Vec::new();
        for (t, line) in targets.iter().zip(&lines) {
            let source_text = format!("{}:{line}", source.name);
            let sql = format!(
                "SELECT {} FROM target_current WHERE region_code = $1 AND indicator = $2 AND year = $3",
                TargetRecord::column_list()
            );
            let current = sqlx::query(&sql)
                .bind(t.region_code.as_str())
                .bind(t.indicator.key)
                .bind(i64::from(t.year))
                .fetch_optional(w.conn())
                .await?
                .as_ref()
                .map(TargetRecord::from_row)
                .transpose()?;
            match current {
                Some(c) if c.value == t.value => summary.unchanged += 1,
                Some(c) => {
                    let after = TargetRecord {
                        rev: c.rev + 1,
                        value: t.value,
                        source: source_text,
                        ..c.clone()
                    };
                    revised.push((c, after));
                }
                None => {
                    created.push(TargetRecord {
                        id: next,
                        rev: 1,
                        region_code: t.region_code.clone(),
                        indicator: t.indicator.key.to_string(),
                        year: t.year,
                        value: t.value,
                        source: source_text,
                    });
                    next += 1;
                }
            }
        }
        summary.created = created.len();
        summary.revised = revised.len();
        if created.is_empty() && revised.is_empty() {
            return Ok(summary);
        }
        let mut versions: Vec<Version<TargetRecord>> = created
            .into_iter()
            .map(|record| Version {
                record,
                before: None,
                action: "create",
            })
            .collect();
        versions.extend(revised.iter().map(|(before, after)| Version {
            record: after.clone(),
            before: Some(before),
            action: "revise",
        }));
        versioned::write(&mut w, versions).await?;
        #[derive(Serialize)]
        struct ImportRecord<'a> {
            source: &'a SourceFile,
            summary: &'a TargetImportSummary,
        }
        let import_id = sqlx::query("SELECT COUNT(*) FROM ledger WHERE entity = 'target_import'")
            .fetch_one(w.conn())
            .await?
            .try_get::<i64, _>(0)?
            + 1;
        let seq = w.record(Entry {
            entity: "target_import",
            entity_id: import_id.to_string(),
            rev: 1,
            action: "import",
            before: None,
            after: Some(to_json(&ImportRecord {
                source,
                summary: &summary,
            })),
        });
        summary.ledger_seq = Some(seq);
        w.commit().await?;
        Ok(summary)
    }

    /// The current targets, optionally only of a region and the regions under it and of one
    /// year; by region, year and catalogue order.
    pub async fn targets(
        &self,
        within: Option<&RegionCode>,
        year: Option<i32>,
    ) -> StoreResult<Vec<TargetRecord>> {
        let sql = format!(
            "SELECT {} FROM target_current WHERE ($1 = 0 OR year = $2)",
            TargetRecord::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(year.is_some()))
            .bind(i64::from(year.unwrap_or(0)))
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<TargetRecord> = rows
            .iter()
            .map(TargetRecord::from_row)
            .collect::<StoreResult<_>>()?;
        if let Some(r) = within {
            out.retain(|t| code_within(t.region_code.as_str(), r));
        }
        out.sort_by(|a, b| {
            (&a.region_code, a.year, catalogue_rank(&a.indicator)).cmp(&(
                &b.region_code,
                b.year,
                catalogue_rank(&b.indicator),
            ))
        });
        Ok(out)
    }

    /// Every version of a target, oldest first.
    pub async fn target_versions(&self, id: i64) -> StoreResult<Vec<TargetRecord>> {
        versioned::history(self, id).await
    }
}

/// The indicator of a stored target.
pub(crate) fn indicator_of(
    t: &TargetRecord,
) -> StoreResult<&'static ecoduty_indicators::Indicator> {
    by_key(&t.indicator).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "target {} names unknown indicator {}",
            t.id, t.indicator
        ))
    })
}
