//! Surface-water monitoring data: sections and measurements imported from the measurement CSV
//! of `water assess` (as an [`ecoduty_water::WaterData`]), and read back as a region's data.
//!
//! One row per measurement, the reading kept in the file's notation ("0.5", "<0.01", "ND"),
//! which [`ecoduty_water::Reading`] reads back exactly. A file whose digest is already stored
//! changes nothing. A corrected file is a new import: for each section and month it covers,
//! its measurements replace the older import's (the month is the unit of routine monitoring
//! and of the 9-of-12-months rule, so a correction of March leaves January alone).
//!
//! Sections are identified by name, as within a data set; a file that gives a stored section
//! another water body, kind or region writes a new row for it, which then counts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDateTime};
use ecoduty_domain::RegionCode;
use ecoduty_indicators::MonthlyYtd;
use ecoduty_water::{
    assess, assess_section_year, Class, Measurement, Parameter, Reading, Section, Share,
    WaterBodyKind, WaterData,
};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::air::{next_import_id, placeholders};
use super::{code_within, month_end_exclusive, RowDigest, SourceFile};
use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::sql::{insert_rows, Value};
use crate::{Change, Store};

/// How `taken_at` is stored: ISO 8601, which sorts as text.
const TAKEN_AT: &str = "%Y-%m-%dT%H:%M:%S";

/// What the ledger entry of a water import embeds besides the digests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaterImportReport {
    pub sections_in_file: u64,
    pub years: Vec<i32>,
    /// Section-months the file has measurements for.
    pub section_months: u64,
    /// Of those, the ones an earlier import also had: this import's measurements count.
    pub superseded_section_months: u64,
}

/// The result of a water import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaterImportSummary {
    /// `None` when the file was already imported.
    pub import_id: Option<i64>,
    pub ledger_seq: Option<i64>,
    /// The import that already holds a file with the same digest.
    pub already_imported: Option<i64>,
    pub file: SourceFile,
    pub sections_written: i64,
    pub measurements: i64,
    pub data_sha256: Option<String>,
    pub report: WaterImportReport,
}

#[derive(Serialize)]
struct WaterImportRecord<'a> {
    id: i64,
    file: &'a SourceFile,
    sections_written: i64,
    sections_sha256: &'a str,
    measurements: i64,
    data_sha256: &'a str,
    report: &'a WaterImportReport,
}

/// A section as currently stored, with the import that last wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSection {
    #[serde(flatten)]
    pub section: Section,
    pub import_id: i64,
}

fn section_from_row(row: &AnyRow) -> StoreResult<Section> {
    let kind: String = row.try_get("kind")?;
    let code: String = row.try_get("region_code")?;
    Ok(Section {
        name: row.try_get("name")?,
        river_or_lake: row.try_get("river_or_lake")?,
        kind: kind
            .parse::<WaterBodyKind>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        region_code: RegionCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

/// The digest line of a section row.
fn section_line(row_no: i64, s: &Section) -> (i64, &str, &str, &str, &str) {
    (
        row_no,
        &s.name,
        &s.river_or_lake,
        s.kind.key(),
        s.region_code.as_str(),
    )
}

impl Store {
    /// Imports a measurement file's data. All or nothing; a file already imported (same
    /// digest) changes nothing.
    pub async fn import_water(
        &self,
        change: &Change,
        file: SourceFile,
        data: &WaterData,
    ) -> StoreResult<WaterImportSummary> {
        let mut w = Writer::begin(self, change).await?;
        let existing = sqlx::query("SELECT MIN(id) FROM water_imports WHERE sha256 = $1")
            .bind(&file.sha256)
            .fetch_one(w.conn())
            .await?
            .try_get::<Option<i64>, _>(0)?;
        if let Some(id) = existing {
            return Ok(WaterImportSummary {
                import_id: None,
                ledger_seq: None,
                already_imported: Some(id),
                file,
                sections_written: 0,
                measurements: 0,
                data_sha256: None,
                report: WaterImportReport::default(),
            });
        }
        let import_id = next_import_id(w.conn(), "water_imports").await?;

        let current: HashMap<String, Section> =
            sqlx::query("SELECT name, river_or_lake, kind, region_code FROM water_section_current")
                .fetch_all(w.conn())
                .await?
                .iter()
                .map(|r| section_from_row(r).map(|s| (s.name.clone(), s)))
                .collect::<StoreResult<_>>()?;
        let mut sections_digest = RowDigest::new();
        let mut section_rows = Vec::new();
        for s in data
            .sections()
            .iter()
            .filter(|s| current.get(&s.name) != Some(*s))
        {
            let row_no = section_rows.len() as i64 + 1;
            sections_digest.add(&section_line(row_no, s));
            section_rows.push(vec![
                Value::Int(import_id),
                row_no.into(),
                s.name.clone().into(),
                s.river_or_lake.clone().into(),
                s.kind.key().into(),
                s.region_code.to_string().into(),
            ]);
        }
        let sections_written = section_rows.len() as i64;
        insert_rows(
            w.conn(),
            "water_sections",
            &[
                "import_id",
                "row_no",
                "name",
                "river_or_lake",
                "kind",
                "region_code",
            ],
            section_rows,
        )
        .await?;

        let mut digest = RowDigest::new();
        let mut rows = Vec::with_capacity(data.measurements().len());
        let mut section_months = BTreeSet::new();
        let mut years = BTreeSet::new();
        for (i, m) in data.measurements().iter().enumerate() {
            let row_no = i as i64 + 1;
            let month = m.taken_at.format("%Y-%m").to_string();
            let taken_at = m.taken_at.format(TAKEN_AT).to_string();
            let reading = m.reading.to_string();
            digest.add(&(
                row_no,
                &m.section,
                &month,
                &taken_at,
                m.parameter.key(),
                &reading,
            ));
            years.insert(m.taken_at.year());
            section_months.insert((m.section.as_str(), month.clone()));
            rows.push(vec![
                Value::Int(import_id),
                row_no.into(),
                m.section.clone().into(),
                month.into(),
                taken_at.into(),
                m.parameter.key().into(),
                reading.into(),
            ]);
        }
        let measurements = rows.len() as i64;
        insert_rows(
            w.conn(),
            "water_measurements",
            &[
                "import_id",
                "row_no",
                "section",
                "month",
                "taken_at",
                "parameter",
                "reading",
            ],
            rows,
        )
        .await?;
        let superseded = sqlx::query(
            "SELECT COUNT(*) FROM (SELECT DISTINCT v.section, v.month FROM water_measurements v \
             WHERE v.import_id = $1 AND EXISTS (SELECT 1 FROM water_measurements o \
             WHERE o.section = v.section AND o.month = v.month AND o.import_id < $1)) s",
        )
        .bind(import_id)
        .fetch_one(w.conn())
        .await?
        .try_get::<i64, _>(0)?;
        let report = WaterImportReport {
            sections_in_file: data.sections().len() as u64,
            years: years.into_iter().collect(),
            section_months: section_months.len() as u64,
            superseded_section_months: superseded as u64,
        };
        let sections_sha256 = sections_digest.finish();
        let data_sha256 = digest.finish();
        let seq = w.record(Entry {
            entity: "water_import",
            entity_id: import_id.to_string(),
            rev: 1,
            action: "import",
            before: None,
            after: Some(to_json(&WaterImportRecord {
                id: import_id,
                file: &file,
                sections_written,
                sections_sha256: &sections_sha256,
                measurements,
                data_sha256: &data_sha256,
                report: &report,
            })),
        });
        insert_rows(
            w.conn(),
            "water_imports",
            &["id", "file_name", "sha256", "report_json", "ledger_seq"],
            vec![vec![
                import_id.into(),
                file.name.clone().into(),
                file.sha256.clone().into(),
                to_json(&report).into(),
                seq.into(),
            ]],
        )
        .await?;
        w.commit().await?;
        Ok(WaterImportSummary {
            import_id: Some(import_id),
            ledger_seq: Some(seq),
            already_imported: None,
            file,
            sections_written,
            measurements,
            data_sha256: Some(data_sha256),
            report,
        })
    }

    /// The sections as currently stored, optionally only those of a region and the regions
    /// under it, by name.
    pub async fn water_sections(
        &self,
        within: Option<&RegionCode>,
    ) -> StoreResult<Vec<StoredSection>> {
        let rows = sqlx::query(
            "SELECT name, river_or_lake, kind, region_code, import_id FROM water_section_current",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let section = section_from_row(row)?;
            if within.is_none_or(|r| code_within(section.region_code.as_str(), r)) {
                out.push(StoredSection {
                    section,
                    import_id: row.try_get("import_id")?,
                });
            }
        }
        out.sort_by(|a, b| a.section.name.cmp(&b.section.name));
        Ok(out)
    }

    /// The measurements that count (the latest import of each section-month) of a region's
    /// sections over a year, as data the water crate evaluates.
    pub async fn water_data(&self, within: &RegionCode, year: i32) -> StoreResult<WaterData> {
        let sections = self.water_sections(Some(within)).await?;
        region_water(self, &sections, year).await
    }
}

/// Section names per query.
const NAMES_PER_QUERY: usize = 500;

pub(crate) async fn region_water(
    store: &Store,
    sections: &[StoredSection],
    year: i32,
) -> StoreResult<WaterData> {
    let mut measurements = Vec::new();
    for chunk in sections.chunks(NAMES_PER_QUERY) {
        let sql = format!(
            "SELECT section, taken_at, parameter, reading FROM water_measurement_current \
             WHERE month >= $1 AND month <= $2 AND section IN ({}) ORDER BY import_id, row_no",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query(&sql)
            .bind(format!("{year:04}-01"))
            .bind(format!("{year:04}-12"));
        for s in chunk {
            q = q.bind(s.section.name.as_str());
        }
        let mut rows = q.fetch(&store.pool);
        while let Some(r) = rows.try_next().await? {
            let taken_at: String = r.try_get("taken_at")?;
            let parameter: String = r.try_get("parameter")?;
            let reading: String = r.try_get("reading")?;
            measurements.push(Measurement {
                section: r.try_get("section")?,
                taken_at: NaiveDateTime::parse_from_str(&taken_at, TAKEN_AT)
                    .map_err(|e| StoreError::Corrupt(format!("taken_at {taken_at:?}: {e}")))?,
                parameter: parameter
                    .parse::<Parameter>()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                reading: reading
                    .parse::<Reading>()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            });
        }
    }
    WaterData::new(
        sections.iter().map(|s| s.section.clone()).collect(),
        measurements,
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Earlier years (before `year`) with measurements at any of the sections, most recent first.
pub(crate) async fn years_before(
    store: &Store,
    sections: &[StoredSection],
    year: i32,
) -> StoreResult<Vec<i32>> {
    let mut years = BTreeSet::new();
    for chunk in sections.chunks(NAMES_PER_QUERY) {
        let sql = format!(
            "SELECT DISTINCT substr(month, 1, 4) AS y FROM water_measurements \
             WHERE month < $1 AND section IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(format!("{year:04}-01"));
        for s in chunk {
            q = q.bind(s.section.name.as_str());
        }
        for r in q.fetch_all(&store.pool).await? {
            let y: String = r.try_get("y")?;
            years.insert(
                y.parse::<i32>()
                    .map_err(|e| StoreError::Corrupt(format!("year {y:?}: {e}")))?,
            );
        }
    }
    Ok(years.into_iter().rev().collect())
}

/// The months with a valid sample a section needs by the end of month `m` to count in the
/// year-to-date shares: the 9-of-12 rule pro rata, ⌈¾·m⌉ (9 at December, so the December
/// value is the water crate's annual evaluation).
pub fn months_needed(m: u8) -> u8 {
    (3 * m).div_ceil(4)
}

/// Year-to-date shares (class Ⅲ or better, worse than Ⅴ) at the end of months 1 … `months`:
/// each section is classed on the means of its samples so far by the single-factor method and
/// counts when it has [`months_needed`] months with a valid sample; the shares are over the
/// sections that count. A month in which no section has a valid sample gets no value.
pub(crate) fn ytd(data: &WaterData, year: i32, months: u8) -> (MonthlyYtd, MonthlyYtd) {
    let mut good_ytd = MonthlyYtd::new(year);
    let mut worse_ytd = MonthlyYtd::new(year);
    let mut by_section: BTreeMap<&str, Vec<&Measurement>> = BTreeMap::new();
    let mut sampled_months = BTreeSet::new();
    for m in data.measurements() {
        if m.taken_at.year() != year {
            continue;
        }
        by_section.entry(&m.section).or_default().push(m);
        if m.parameter.counts_in_class() {
            sampled_months.insert(m.taken_at.month() as u8);
        }
    }
    for m in 1..=months.min(12) {
        if !sampled_months.contains(&m) {
            continue;
        }
        let end = month_end_exclusive(year, m)
            .and_hms_opt(0, 0, 0)
            .expect("midnight");
        let (mut evaluated, mut good, mut worse) = (0, 0, 0);
        for s in data.sections() {
            let so_far = by_section
                .get(s.name.as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|x| x.taken_at < end);
            let sy = assess_section_year(s, so_far, year);
            if sy.months < months_needed(m) {
                continue;
            }
            let class = assess(s.kind, sy.means.iter().map(|pm| (pm.parameter, pm.mean))).class;
            if let Some(class) = class {
                evaluated += 1;
                good += usize::from(class.is_good());
                worse += usize::from(class == Class::WorseThanV);
            }
        }
        if let (Some(g), Some(w)) = (Share::of(good, evaluated), Share::of(worse, evaluated)) {
            good_ytd.set(m, g.as_f64()).expect("a share is finite");
            worse_ytd.set(m, w.as_f64()).expect("a share is finite");
        }
    }
    (good_ytd, worse_ytd)
}

/// Every stored water import as its ledger entry recorded it, for verification.
pub(crate) async fn versions(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let imports = sqlx::query(
        "SELECT id, file_name, sha256, report_json, ledger_seq FROM water_imports ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    let mut out = Vec::with_capacity(imports.len());
    for row in &imports {
        let id: i64 = row.try_get("id")?;
        let file = SourceFile {
            name: row.try_get("file_name")?,
            sha256: row.try_get("sha256")?,
        };
        let report: WaterImportReport =
            serde_json::from_str(&row.try_get::<String, _>("report_json")?)
                .map_err(|e| StoreError::Corrupt(format!("water import {id} report: {e}")))?;
        let mut sections = RowDigest::new();
        let mut sections_written = 0i64;
        for r in sqlx::query(
            "SELECT row_no, name, river_or_lake, kind, region_code FROM water_sections \
             WHERE import_id = $1 ORDER BY row_no",
        )
        .bind(id)
        .fetch_all(&store.pool)
        .await?
        {
            sections_written += 1;
            let s = section_from_row(&r)?;
            sections.add(&section_line(r.try_get("row_no")?, &s));
        }
        let mut data = RowDigest::new();
        let mut measurements = 0i64;
        {
            let mut rows = sqlx::query(
                "SELECT row_no, section, month, taken_at, parameter, reading \
                 FROM water_measurements WHERE import_id = $1 ORDER BY row_no",
            )
            .bind(id)
            .fetch(&store.pool);
            while let Some(r) = rows.try_next().await? {
                measurements += 1;
                data.add(&(
                    r.try_get::<i64, _>("row_no")?,
                    r.try_get::<String, _>("section")?,
                    r.try_get::<String, _>("month")?,
                    r.try_get::<String, _>("taken_at")?,
                    r.try_get::<String, _>("parameter")?,
                    r.try_get::<String, _>("reading")?,
                ));
            }
        }
        let json = to_json(&WaterImportRecord {
            id,
            file: &file,
            sections_written,
            sections_sha256: &sections.finish(),
            measurements,
            data_sha256: &data.finish(),
            report: &report,
        });
        out.push((
            row.try_get::<i64, _>("ledger_seq")?,
            "water_import".to_string(),
            id.to_string(),
            1,
            json,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn months_needed_is_the_annual_rule_pro_rata() {
        let needed: Vec<u8> = (1..=12).map(months_needed).collect();
        assert_eq!(needed, [1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9]);
        assert_eq!(months_needed(12), ecoduty_water::MIN_MONTHS);
    }

    fn section(name: &str, kind: WaterBodyKind) -> Section {
        Section {
            name: name.into(),
            river_or_lake: "沁河".into(),
            kind,
            region_code: RegionCode::parse("410800").unwrap(),
        }
    }

    fn sample(section: &str, month: u32, p: Parameter, v: &str) -> Measurement {
        Measurement {
            section: section.into(),
            taken_at: NaiveDate::from_ymd_opt(2025, month, 10)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            parameter: p,
            reading: v.parse().unwrap(),
        }
    }

    #[test]
    fn year_to_date_shares_by_hand() {
        // A: class Ⅱ every month. B: NH3-N 1.2 (Ⅳ) in January and February, then 0.3 (Ⅱ): its
        // mean is Ⅳ after February (1.2), Ⅲ after March (0.9), Ⅱ from October (mean 0.48).
        // C: only from March on, COD 45 (劣Ⅴ).
        let mut ms = Vec::new();
        for m in 1..=12 {
            ms.push(sample("A", m, Parameter::AmmoniaNitrogen, "0.5"));
            let b = if m <= 2 { "1.2" } else { "0.3" };
            ms.push(sample("B", m, Parameter::AmmoniaNitrogen, b));
            if m >= 3 {
                ms.push(sample("C", m, Parameter::Cod, "45"));
            }
        }
        let data = WaterData::new(
            vec![
                section("A", WaterBodyKind::River),
                section("B", WaterBodyKind::River),
                section("C", WaterBodyKind::River),
            ],
            ms,
        )
        .unwrap();
        let (good, worse) = ytd(&data, 2025, 12);
        // January: A Ⅱ, B Ⅳ, C has no sample → 1 of 2 good.
        assert_eq!(good.get(1), Some(50.0));
        assert_eq!(worse.get(1), Some(0.0));
        // March: C has 1 month of the 3 needed → still out; B's mean 0.9 is Ⅲ → 2 of 2.
        assert_eq!(good.get(3), Some(100.0));
        // April: C has 2 of 3 needed. June: C has 4 months, 5 needed. July: 5 of 6.
        assert_eq!(good.get(6), Some(100.0));
        // August: C has 6 months, 6 needed → counts, 劣Ⅴ: 2 of 3 good, 1 of 3 worse than Ⅴ.
        assert_eq!(good.get(8), Some(66.7));
        assert_eq!(worse.get(8), Some(33.3));
        // December equals the water crate's annual evaluation.
        let annual = ecoduty_water::assess_year(&data, 2025);
        let r = &annual.regions[0];
        assert_eq!(good.get(12), r.share_good.map(Share::as_f64));
        assert_eq!(worse.get(12), r.share_worse_than_v.map(Share::as_f64));
        // Only months asked for get a value.
        let (good, _) = ytd(&data, 2025, 4);
        assert_eq!(good.last_month(), Some(4));
    }
}

/// One section's classes month by month over a year (GB 3838 single-factor method on the means
/// of the month's samples): index 0 is January; `None` where the month has no sample that
/// counts in the class. For a chief's page, against his segments' target classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionMonths {
    pub section: String,
    /// The section is stored (monitored) at all.
    pub known: bool,
    /// 1–5 for Ⅰ–Ⅴ, 6 for worse than Ⅴ (劣Ⅴ).
    pub months: Vec<Option<u8>>,
}

impl Store {
    /// The monthly classes of the named sections over a year, in the order named; a name the
    /// water module does not store comes back unknown with no month.
    pub async fn section_months(
        &self,
        names: &[String],
        year: i32,
    ) -> StoreResult<Vec<SectionMonths>> {
        let wanted: BTreeSet<&str> = names.iter().map(|n| n.trim()).collect();
        let sections: Vec<StoredSection> = self
            .water_sections(None)
            .await?
            .into_iter()
            .filter(|s| wanted.contains(s.section.name.as_str()))
            .collect();
        let data = region_water(self, &sections, year).await?;
        let mut by: HashMap<(&str, u32), BTreeMap<ecoduty_water::Parameter, ecoduty_water::Mean>> =
            HashMap::new();
        for m in data.measurements() {
            if m.taken_at.year() != year || !m.parameter.counts_in_class() {
                continue;
            }
            by.entry((m.section.as_str(), m.taken_at.month()))
                .or_default()
                .entry(m.parameter)
                .and_modify(|mean| mean.push(m.reading.value()))
                .or_insert_with(|| ecoduty_water::Mean::single(m.reading.value()));
        }
        Ok(names
            .iter()
            .map(|name| {
                let name = name.trim();
                let section = data.section(name);
                let months = (1..=12)
                    .map(|month| {
                        let section = section?;
                        let means = by.get(&(name, month))?;
                        ecoduty_water::assess(section.kind, means.iter().map(|(p, m)| (*p, *m)))
                            .class
                            .map(|c| c.number())
                    })
                    .collect();
                SectionMonths {
                    section: name.to_string(),
                    known: section.is_some(),
                    months,
                }
            })
            .collect())
    }
}
