//! Indicator values a department reports by hand (forest cover, emission reductions, energy and
//! carbon intensity …), each with its evidence and who reported it. One record per region,
//! indicator, year and month (no month: the annual value); reporting again appends a version,
//! so a corrected figure never hides the one it replaced.

use ecoduty_domain::RegionCode;
use ecoduty_indicators::by_key;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::targets::{catalogue_rank, number_text, parse_number};
use super::{code_within, SourceFile};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of a reported value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorReport {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub indicator: String,
    pub year: i32,
    /// The month whose year-to-date value this is; `None` for the annual value.
    pub month: Option<u8>,
    pub value: f64,
    /// What the value rests on: a document, its number, a statistical bulletin.
    pub evidence: String,
    /// A file attached as evidence, by name and SHA-256.
    pub evidence_file: Option<SourceFile>,
    /// Who reported it (a department or a person), as given.
    pub reporter: String,
}

impl Versioned for IndicatorReport {
    const ENTITY: &'static str = "indicator_report";
    const IDENTITY: &'static str = "indicator_reports";
    const VERSIONS: &'static str = "indicator_report_versions";
    const ID_COLUMN: &'static str = "report_id";
    const CURRENT: &'static str = "indicator_report_current";
    const COLUMNS: &'static [&'static str] = &[
        "report_id",
        "rev",
        "region_code",
        "indicator",
        "year",
        "month",
        "reported_value",
        "evidence",
        "evidence_file",
        "evidence_sha256",
        "reporter",
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
            self.month.map(i64::from).into(),
            number_text(self.value).into(),
            self.evidence.clone().into(),
            self.evidence_file.as_ref().map(|f| f.name.clone()).into(),
            self.evidence_file.as_ref().map(|f| f.sha256.clone()).into(),
            self.reporter.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let code: String = row.try_get("region_code")?;
        let year: i64 = row.try_get("year")?;
        let month: Option<i64> = row.try_get("month")?;
        let file: Option<String> = row.try_get("evidence_file")?;
        let sha: Option<String> = row.try_get("evidence_sha256")?;
        Ok(IndicatorReport {
            id: row.try_get("report_id")?,
            rev: row.try_get("rev")?,
            region_code: RegionCode::parse(&code)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            indicator: row.try_get("indicator")?,
            year: i32::try_from(year)
                .map_err(|_| StoreError::Corrupt(format!("report year {year}")))?,
            month: month
                .map(|m| u8::try_from(m).map_err(|_| StoreError::Corrupt(format!("month {m}"))))
                .transpose()?,
            value: parse_number(&row.try_get::<String, _>("reported_value")?)?,
            evidence: row.try_get("evidence")?,
            evidence_file: match (file, sha) {
                (Some(name), Some(sha256)) => Some(SourceFile { name, sha256 }),
                (None, None) => None,
                _ => {
                    return Err(StoreError::Corrupt(
                        "an evidence file without its digest".into(),
                    ))
                }
            },
            reporter: row.try_get("reporter")?,
        })
    }
}

/// A value to report.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub region_code: RegionCode,
    /// A catalogue key or Chinese name of a hand-reported indicator.
    pub indicator: String,
    pub year: i32,
    pub month: Option<u8>,
    pub value: f64,
    pub evidence: String,
    pub evidence_file: Option<SourceFile>,
    pub reporter: String,
}

impl Store {
    /// Records a hand-reported value with its evidence. Reporting a value already on record
    /// for the same region, indicator, year and month appends a version (a correction);
    /// reporting the same value, evidence and reporter again is refused as changing nothing.
    pub async fn report_indicator(
        &self,
        change: &Change,
        new: NewReport,
    ) -> StoreResult<IndicatorReport> {
        let indicator = by_key(&new.indicator).ok_or_else(|| {
            StoreError::invalid(
                "indicator",
                format!("unknown indicator {:?}", new.indicator),
            )
        })?;
        if !indicator.is_reported() {
            return Err(StoreError::invalid(
                "indicator",
                format!(
                    "{}（{}）is computed from monitoring data; import the data instead of reporting it",
                    indicator.key, indicator.name_zh
                ),
            ));
        }
        if !(ecoduty_indicators::targets::YEARS).contains(&new.year) {
            return Err(StoreError::invalid(
                "year",
                format!("{} is not a year", new.year),
            ));
        }
        if let Some(m) = new.month {
            if !(1..=12).contains(&m) {
                return Err(StoreError::invalid("month", format!("{m} is not 1–12")));
            }
        }
        if !new.value.is_finite() || new.value < indicator.min || new.value > indicator.max {
            return Err(StoreError::invalid(
                "value",
                format!(
                    "{} is outside the range of {} ({}–{} {})",
                    new.value, indicator.key, indicator.min, indicator.max, indicator.unit
                ),
            ));
        }
        if new.evidence.trim().is_empty() {
            return Err(StoreError::invalid(
                "evidence",
                "a reported value needs its evidence (document, number, source)",
            ));
        }
        if new.reporter.trim().is_empty() {
            return Err(StoreError::invalid("reporter", "say who reports the value"));
        }
        self.require_region(&new.region_code).await?;
        let mut w = Writer::begin(self, change).await?;
        let sql = format!(
            "SELECT {} FROM indicator_report_current WHERE region_code = $1 AND indicator = $2 \
             AND year = $3 AND ((month IS NULL AND $4 = 0) OR month = $4)",
            IndicatorReport::column_list()
        );
        let current = sqlx::query(&sql)
            .bind(new.region_code.as_str())
            .bind(indicator.key)
            .bind(i64::from(new.year))
            .bind(new.month.map_or(0, i64::from))
            .fetch_optional(w.conn())
            .await?
            .as_ref()
            .map(IndicatorReport::from_row)
            .transpose()?;
        let record = IndicatorReport {
            id: match &current {
                Some(c) => c.id,
                None => versioned::next_id::<IndicatorReport>(w.conn()).await?,
            },
            rev: current.as_ref().map_or(1, |c| c.rev + 1),
            region_code: new.region_code,
            indicator: indicator.key.to_string(),
            year: new.year,
            month: new.month,
            value: new.value,
            evidence: new.evidence.trim().to_string(),
            evidence_file: new.evidence_file,
            reporter: new.reporter.trim().to_string(),
        };
        if let Some(c) = &current {
            if (IndicatorReport {
                rev: c.rev,
                ..record.clone()
            }) == *c
            {
                return Err(StoreError::invalid(
                    "value",
                    format!(
                        "report {} already records this value with this evidence",
                        c.id
                    ),
                ));
            }
        }
        versioned::write(
            &mut w,
            vec![Version {
                record: record.clone(),
                before: current.as_ref(),
                action: if current.is_some() {
                    "correct"
                } else {
                    "report"
                },
            }],
        )
        .await?;
        w.commit().await?;
        Ok(record)
    }

    /// The current reported values of a region (and the regions under it when `subtree`),
    /// optionally of one year; by region, indicator, year and month.
    pub async fn indicator_reports(
        &self,
        within: &RegionCode,
        subtree: bool,
        year: Option<i32>,
    ) -> StoreResult<Vec<IndicatorReport>> {
        let sql = format!(
            "SELECT {} FROM indicator_report_current WHERE ($1 = 0 OR year = $2)",
            IndicatorReport::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(year.is_some()))
            .bind(i64::from(year.unwrap_or(0)))
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<IndicatorReport> = rows
            .iter()
            .map(IndicatorReport::from_row)
            .collect::<StoreResult<_>>()?;
        out.retain(|r| {
            if subtree {
                code_within(r.region_code.as_str(), within)
            } else {
                r.region_code == *within
            }
        });
        out.sort_by(|a, b| {
            (
                &a.region_code,
                catalogue_rank(&a.indicator),
                a.year,
                a.month.unwrap_or(13),
            )
                .cmp(&(
                    &b.region_code,
                    catalogue_rank(&b.indicator),
                    b.year,
                    b.month.unwrap_or(13),
                ))
        });
        Ok(out)
    }

    /// Every version of a reported value, oldest first.
    pub async fn indicator_report_versions(&self, id: i64) -> StoreResult<Vec<IndicatorReport>> {
        versioned::history(self, id).await
    }
}
