//! Air monitoring data: the station list and the hourly values of the national-network day
//! files, imported file by file, and read back as a region's daily records.
//!
//! **Layout.** One row of `air_day_values` per station and day, with the 24 hourly values of
//! each of the six pollutants packed as text in its own column (`"40,41,,39,…"`, empty =
//! missing, NULL when all 24 are missing). A national year is about 2,000 stations × 365 days
//! × 6 pollutants × 24 hours ≈ 105 million values. A row per value would be 105 million rows a
//! year, each paying a row header and an index entry several times the size of the value; a
//! row per station-day is 730,000 rows a year, and nothing is lost because nothing reads a
//! single hour: every rule (24-h means, O3 8-h windows, AQI) needs a station's whole day of all
//! six pollutants at once. The day is also the unit a day file corrects, so it is the unit a
//! newer import supersedes. Values are written in Rust's shortest round-trip form, so the
//! `f64` read back is the one parsed from the file and GB/T 8170 rounding decides the same.
//!
//! **Imports.** An import is a session in one transaction ([`Store::begin_air_import`], then
//! [`AirImport::add_day_file`] per file, then [`AirImport::finish`]), so a national year
//! streams through without being held in memory and a failure leaves nothing behind. A file
//! whose digest is already stored is skipped. Station rows are written when a station is new or
//! its row (name, city, coordinates, region) changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use ecoduty_air::annual::{annual_stats, Statistic};
use ecoduty_air::aqi::Indicator as AirIndicator;
use ecoduty_air::assess::{city_hourly, series_daily};
use ecoduty_air::daily::DailyRecord;
use ecoduty_air::ingest::{
    days_in_year, Dataset, DayBlock, HourlySeries, IngestReport, RegionIndex, Station, StationList,
};
use ecoduty_air::Pollutant;
use ecoduty_domain::RegionCode;
use ecoduty_indicators::MonthlyYtd;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{code_within, month_end_exclusive, RowDigest, SourceFile};
use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::sql::{insert_rows, Value};
use crate::{Change, Store};

/// The pollutant columns of `air_day_values`, in [`Pollutant::ALL`] order.
const POLLUTANT_COLUMNS: [&str; 6] = ["so2", "no2", "pm10", "co", "o3", "pm25"];

/// Packs 24 hourly values as text; `None` when all are missing.
pub(crate) fn pack_hours(hours: &[f64]) -> Option<String> {
    if hours.iter().all(|v| v.is_nan()) {
        return None;
    }
    let mut s = String::with_capacity(hours.len() * 4);
    for (i, v) in hours.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        if !v.is_nan() {
            write!(s, "{v}").expect("writing to a String");
        }
    }
    Some(s)
}

/// Unpacks [`pack_hours`] text into `out` (24 slots, left as they are for missing hours).
pub(crate) fn unpack_hours(text: &str, out: &mut [f64]) -> StoreResult<()> {
    let mut n = 0;
    for (i, field) in text.split(',').enumerate() {
        n += 1;
        if field.is_empty() {
            continue;
        }
        let slot = out
            .get_mut(i)
            .ok_or_else(|| StoreError::Corrupt(format!("more than 24 hourly values: {text:?}")))?;
        *slot = field
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("hourly value {field:?} in {text:?}")))?;
    }
    if n != out.len() {
        return Err(StoreError::Corrupt(format!(
            "{n} hourly values instead of {}: {text:?}",
            out.len()
        )));
    }
    Ok(())
}

/// A station as an import writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationRow {
    pub code: String,
    pub name: String,
    pub city: String,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// The region the city maps to (padded GB/T 2260), `None` when it maps to none.
    pub region_code: Option<String>,
}

/// A station as currently stored, with the import that last wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredStation {
    #[serde(flatten)]
    pub station: StationRow,
    pub import_id: i64,
}

fn station_from_row(row: &AnyRow) -> StoreResult<StationRow> {
    Ok(StationRow {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        city: row.try_get("city")?,
        longitude: row.try_get("longitude")?,
        latitude: row.try_get("latitude")?,
        region_code: row.try_get("region_code")?,
    })
}

/// One day file of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirFileRecord {
    pub file_no: i64,
    pub name: String,
    pub sha256: String,
    pub day: NaiveDate,
    pub bytes: i64,
    /// Known stations with a column in the file (each one row of hourly values).
    pub stations: i64,
    pub invalid_values: i64,
}

/// A file skipped because an earlier import holds the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlreadyImported {
    pub name: String,
    pub sha256: String,
    pub import_id: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidTotals {
    pub negative: u64,
    pub non_numeric: u64,
    pub absurd: u64,
}

/// A station in the day files but not in the station list: its values were skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownStationCount {
    pub code: String,
    pub files: u64,
    pub values: u64,
}

/// What an import skipped, refused or replaced; the ledger entry embeds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirImportReport {
    pub stations_listed: u64,
    /// Cities of the station list that map to no region (their stations count for none).
    pub unmatched_cities: Vec<String>,
    /// Hourly values treated as missing (negative, non-numeric, absurd).
    pub invalid_values: InvalidTotals,
    pub unknown_stations: Vec<UnknownStationCount>,
    /// Files in the input that are not day files of the year.
    pub ignored_files: Vec<String>,
    pub already_imported: Vec<AlreadyImported>,
    /// Station-days of this import that an earlier import also had: this import's rows count.
    pub superseded_station_days: u64,
}

/// The result of an air import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AirImportSummary {
    /// `None` when nothing was new: every file was already imported and no station changed.
    pub import_id: Option<i64>,
    pub ledger_seq: Option<i64>,
    pub station_list: SourceFile,
    pub stations_written: i64,
    pub files: Vec<AirFileRecord>,
    pub day_rows: i64,
    pub data_sha256: Option<String>,
    pub report: AirImportReport,
}

/// What the ledger entry of an import records. Verification rebuilds it from the stored rows.
#[derive(Serialize)]
struct AirImportRecord<'a> {
    id: i64,
    station_list: &'a SourceFile,
    stations_written: i64,
    stations_sha256: &'a str,
    files: &'a [AirFileRecord],
    day_rows: i64,
    data_sha256: &'a str,
    report: &'a AirImportReport,
}

/// An air import in progress: holds the write lock until [`AirImport::finish`]; dropping it
/// discards everything it wrote.
pub struct AirImport {
    w: Writer,
    import_id: i64,
    station_list: SourceFile,
    /// Station-list index → code, the indices a [`DayBlock`] uses.
    codes: Vec<String>,
    stations_written: i64,
    stations_digest: String,
    /// Digests already imported, with their import.
    known: HashMap<String, i64>,
    files: Vec<AirFileRecord>,
    rows: i64,
    digest: RowDigest,
    unknown: BTreeMap<String, (u64, u64)>,
    report: AirImportReport,
}

impl Store {
    /// Starts an air import from a station list (`regions` maps its cities to regions; a city
    /// that matches several is refused). Writes the stations that are new or changed.
    pub async fn begin_air_import(
        &self,
        change: &Change,
        station_list: SourceFile,
        stations: &StationList,
        regions: &RegionIndex,
    ) -> StoreResult<AirImport> {
        let mut rows = Vec::with_capacity(stations.len());
        let mut unmatched = BTreeSet::new();
        for s in stations.stations() {
            let found = regions
                .resolve(&s.city)
                .map_err(|e| StoreError::invalid(station_list.name.clone(), e.to_string()))?;
            if found.is_none() {
                unmatched.insert(s.city.clone());
            }
            rows.push(StationRow {
                code: s.code.clone(),
                name: s.name.clone(),
                city: s.city.clone(),
                longitude: s.longitude,
                latitude: s.latitude,
                region_code: found.map(|m| m.code),
            });
        }
        let mut w = Writer::begin(self, change).await?;
        let import_id = next_import_id(w.conn(), "air_imports").await?;
        let current: HashMap<String, StationRow> = sqlx::query(
            "SELECT code, name, city, longitude, latitude, region_code FROM air_station_current",
        )
        .fetch_all(w.conn())
        .await?
        .iter()
        .map(|r| station_from_row(r).map(|s| (s.code.clone(), s)))
        .collect::<StoreResult<_>>()?;
        let mut digest = RowDigest::new();
        let mut row_no = 0i64;
        for s in rows.iter().filter(|s| current.get(&s.code) != Some(*s)) {
            row_no += 1;
            digest.add(&(row_no, s));
            sqlx::query(
                "INSERT INTO air_stations (import_id, row_no, code, name, city, longitude, latitude, region_code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(import_id)
            .bind(row_no)
            .bind(&s.code)
            .bind(&s.name)
            .bind(&s.city)
            .bind(s.longitude)
            .bind(s.latitude)
            .bind(s.region_code.as_deref())
            .execute(w.conn())
            .await?;
        }
        let known = sqlx::query("SELECT sha256, import_id FROM air_import_files")
            .fetch_all(w.conn())
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect::<StoreResult<_>>()?;
        Ok(AirImport {
            w,
            import_id,
            station_list,
            codes: rows.into_iter().map(|s| s.code).collect(),
            stations_written: row_no,
            stations_digest: digest.finish(),
            known,
            files: Vec::new(),
            rows: 0,
            digest: RowDigest::new(),
            unknown: BTreeMap::new(),
            report: AirImportReport {
                stations_listed: stations.len() as u64,
                unmatched_cities: unmatched.into_iter().collect(),
                ..Default::default()
            },
        })
    }

    /// The stations as currently stored, optionally only those of a region and the regions
    /// under it, by code.
    pub async fn air_stations(
        &self,
        within: Option<&RegionCode>,
    ) -> StoreResult<Vec<StoredStation>> {
        let rows = sqlx::query(
            "SELECT code, name, city, longitude, latitude, region_code, import_id \
             FROM air_station_current ORDER BY import_id, row_no",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let station = station_from_row(row)?;
            let keep = match (within, &station.region_code) {
                (None, _) => true,
                (Some(r), Some(code)) => code_within(code, r),
                (Some(_), None) => false,
            };
            if keep {
                out.push(StoredStation {
                    station,
                    import_id: row.try_get("import_id")?,
                });
            }
        }
        out.sort_by(|a, b| a.station.code.cmp(&b.station.code));
        Ok(out)
    }

    /// The daily records of a region over a year from the stored hourly values of its stations
    /// (those that count: the latest import of each station-day), or `None` without data.
    pub async fn air_daily(
        &self,
        within: &RegionCode,
        year: i32,
    ) -> StoreResult<Option<Vec<DailyRecord>>> {
        let stations = self.air_stations(Some(within)).await?;
        region_daily(self, &stations, year).await
    }
}

pub(crate) async fn next_import_id(conn: &mut AnyConnection, table: &str) -> StoreResult<i64> {
    let sql = format!("SELECT MAX(id) FROM {table}");
    let row = sqlx::query(&sql).fetch_one(conn).await?;
    Ok(row.try_get::<Option<i64>, _>(0)?.unwrap_or(0) + 1)
}

impl AirImport {
    /// Whether a file with this digest is already stored (or added to this import).
    pub fn already_imported(&self, sha256: &str) -> Option<i64> {
        self.known.get(sha256).copied()
    }

    /// When a file with this digest is already stored, lists it as already imported and returns
    /// `true`: the caller need not parse it.
    pub fn skip_if_imported(&mut self, file: &SourceFile) -> bool {
        match self.already_imported(&file.sha256) {
            Some(import_id) => {
                self.report.already_imported.push(AlreadyImported {
                    name: file.name.clone(),
                    sha256: file.sha256.clone(),
                    import_id,
                });
                true
            }
            None => false,
        }
    }

    /// Records files of the input that are not day files of the year, for the report.
    pub fn note_ignored(&mut self, names: impl IntoIterator<Item = String>) {
        self.report.ignored_files.extend(names);
    }

    /// Adds one parsed day file (parsed with the station list this import began with). Returns
    /// `false` when its digest is already stored: the file is then listed as already imported
    /// and nothing is written.
    pub async fn add_day_file(&mut self, file: SourceFile, block: &DayBlock) -> StoreResult<bool> {
        if self.skip_if_imported(&file) {
            return Ok(false);
        }
        let day = block.date.to_string();
        let mut rows = Vec::with_capacity(block.stations.len());
        for (slot, &station) in block.stations.iter().enumerate() {
            let code = self.codes.get(station as usize).ok_or_else(|| {
                StoreError::invalid(
                    file.name.clone(),
                    "the day file was parsed with another station list",
                )
            })?;
            let packed: [Option<String>; 6] =
                std::array::from_fn(|p| pack_hours(block.hours(slot, Pollutant::ALL[p])));
            self.rows += 1;
            self.digest.add(&(self.rows, code, &day, &packed));
            let mut row = vec![
                Value::Int(self.import_id),
                Value::Int(self.rows),
                code.clone().into(),
                day.clone().into(),
            ];
            row.extend(packed.into_iter().map(Value::OptText));
            rows.push(row);
        }
        let mut columns = vec!["import_id", "row_no", "station", "day"];
        columns.extend(POLLUTANT_COLUMNS);
        insert_rows(self.w.conn(), "air_day_values", &columns, rows).await?;

        let inv = &block.invalid;
        self.report.invalid_values.negative += inv.negative;
        self.report.invalid_values.non_numeric += inv.non_numeric;
        self.report.invalid_values.absurd += inv.absurd;
        for (code, values) in &block.unknown {
            let e = self.unknown.entry(code.clone()).or_default();
            e.0 += 1;
            e.1 += values;
        }
        self.known.insert(file.sha256.clone(), self.import_id);
        self.files.push(AirFileRecord {
            file_no: self.files.len() as i64 + 1,
            name: file.name,
            sha256: file.sha256,
            day: block.date,
            bytes: block.bytes as i64,
            stations: block.stations.len() as i64,
            invalid_values: inv.total() as i64,
        });
        Ok(true)
    }

    /// Records the import (one ledger entry) and commits. When nothing was new, nothing is
    /// written and the summary has no import id.
    pub async fn finish(mut self) -> StoreResult<AirImportSummary> {
        self.report.unknown_stations = std::mem::take(&mut self.unknown)
            .into_iter()
            .map(|(code, (files, values))| UnknownStationCount {
                code,
                files,
                values,
            })
            .collect();
        if self.files.is_empty() && self.stations_written == 0 {
            return Ok(AirImportSummary {
                import_id: None,
                ledger_seq: None,
                station_list: self.station_list,
                stations_written: 0,
                files: Vec::new(),
                day_rows: 0,
                data_sha256: None,
                report: self.report,
            });
        }
        let superseded = sqlx::query(
            "SELECT COUNT(*) FROM air_day_values v WHERE v.import_id = $1 AND EXISTS \
             (SELECT 1 FROM air_day_values o WHERE o.station = v.station AND o.day = v.day \
              AND o.import_id < $1)",
        )
        .bind(self.import_id)
        .fetch_one(self.w.conn())
        .await?
        .try_get::<i64, _>(0)?;
        self.report.superseded_station_days = superseded as u64;
        let data_sha256 = std::mem::replace(&mut self.digest, RowDigest::new()).finish();
        let after = to_json(&AirImportRecord {
            id: self.import_id,
            station_list: &self.station_list,
            stations_written: self.stations_written,
            stations_sha256: &self.stations_digest,
            files: &self.files,
            day_rows: self.rows,
            data_sha256: &data_sha256,
            report: &self.report,
        });
        let seq = self.w.record(Entry {
            entity: "air_import",
            entity_id: self.import_id.to_string(),
            rev: 1,
            action: "import",
            before: None,
            after: Some(after),
        });
        insert_rows(
            self.w.conn(),
            "air_imports",
            &[
                "id",
                "station_list_name",
                "station_list_sha256",
                "report_json",
                "ledger_seq",
            ],
            vec![vec![
                self.import_id.into(),
                self.station_list.name.clone().into(),
                self.station_list.sha256.clone().into(),
                to_json(&self.report).into(),
                seq.into(),
            ]],
        )
        .await?;
        let files = self
            .files
            .iter()
            .map(|f| {
                vec![
                    Value::Int(self.import_id),
                    f.file_no.into(),
                    f.name.clone().into(),
                    f.sha256.clone().into(),
                    f.day.to_string().into(),
                    f.bytes.into(),
                    f.stations.into(),
                    f.invalid_values.into(),
                ]
            })
            .collect();
        insert_rows(
            self.w.conn(),
            "air_import_files",
            &[
                "import_id",
                "file_no",
                "file_name",
                "sha256",
                "day",
                "bytes",
                "stations",
                "invalid_values",
            ],
            files,
        )
        .await?;
        self.w.commit().await?;
        Ok(AirImportSummary {
            import_id: Some(self.import_id),
            ledger_seq: Some(seq),
            station_list: self.station_list,
            stations_written: self.stations_written,
            files: self.files,
            day_rows: self.rows,
            data_sha256: Some(data_sha256),
            report: self.report,
        })
    }
}

/// Every stored air import as its ledger entry recorded it, rebuilt from the stored rows, for
/// verification.
pub(crate) async fn versions(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let imports = sqlx::query(
        "SELECT id, station_list_name, station_list_sha256, report_json, ledger_seq \
         FROM air_imports ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    let mut out = Vec::with_capacity(imports.len());
    for row in &imports {
        let id: i64 = row.try_get("id")?;
        let station_list = SourceFile {
            name: row.try_get("station_list_name")?,
            sha256: row.try_get("station_list_sha256")?,
        };
        let report: AirImportReport =
            serde_json::from_str(&row.try_get::<String, _>("report_json")?)
                .map_err(|e| StoreError::Corrupt(format!("air import {id} report: {e}")))?;
        let files = sqlx::query(
            "SELECT file_no, file_name, sha256, day, bytes, stations, invalid_values \
             FROM air_import_files WHERE import_id = $1 ORDER BY file_no",
        )
        .bind(id)
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|f| {
            let day: String = f.try_get("day")?;
            Ok(AirFileRecord {
                file_no: f.try_get("file_no")?,
                name: f.try_get("file_name")?,
                sha256: f.try_get("sha256")?,
                day: day
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("day {day:?}: {e}")))?,
                bytes: f.try_get("bytes")?,
                stations: f.try_get("stations")?,
                invalid_values: f.try_get("invalid_values")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;

        let mut stations = RowDigest::new();
        let mut stations_written = 0i64;
        {
            let mut rows = sqlx::query(
                "SELECT row_no, code, name, city, longitude, latitude, region_code \
                 FROM air_stations WHERE import_id = $1 ORDER BY row_no",
            )
            .bind(id)
            .fetch(&store.pool);
            while let Some(r) = rows.try_next().await? {
                stations_written += 1;
                stations.add(&(r.try_get::<i64, _>("row_no")?, station_from_row(&r)?));
            }
        }
        let mut data = RowDigest::new();
        let mut day_rows = 0i64;
        {
            let mut rows = sqlx::query(
                "SELECT row_no, station, day, so2, no2, pm10, co, o3, pm25 \
                 FROM air_day_values WHERE import_id = $1 ORDER BY row_no",
            )
            .bind(id)
            .fetch(&store.pool);
            while let Some(r) = rows.try_next().await? {
                day_rows += 1;
                let packed: [Option<String>; 6] = [
                    r.try_get("so2")?,
                    r.try_get("no2")?,
                    r.try_get("pm10")?,
                    r.try_get("co")?,
                    r.try_get("o3")?,
                    r.try_get("pm25")?,
                ];
                data.add(&(
                    r.try_get::<i64, _>("row_no")?,
                    r.try_get::<String, _>("station")?,
                    r.try_get::<String, _>("day")?,
                    &packed,
                ));
            }
        }
        let json = to_json(&AirImportRecord {
            id,
            station_list: &station_list,
            stations_written,
            stations_sha256: &stations.finish(),
            files: &files,
            day_rows,
            data_sha256: &data.finish(),
            report: &report,
        });
        out.push((
            row.try_get::<i64, _>("ledger_seq")?,
            "air_import".to_string(),
            id.to_string(),
            1,
            json,
        ));
    }
    Ok(out)
}

/// Placeholders `$first, $first+1, …` for `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Station codes per query: far below both backends' limits on bound values.
const CODES_PER_QUERY: usize = 500;

/// The daily records of a region's stations over `year` (the region's hourly value being the
/// mean of its stations' valid values, as the air crate computes a city's), or `None` when
/// none of them has data that year.
pub(crate) async fn region_daily(
    store: &Store,
    stations: &[StoredStation],
    year: i32,
) -> StoreResult<Option<Vec<DailyRecord>>> {
    let days = days_in_year(year);
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let mut series: Vec<HourlySeries> = stations
        .iter()
        .map(|_| HourlySeries::missing(days))
        .collect();
    let mut present = vec![false; stations.len()];
    let index: HashMap<&str, usize> = stations
        .iter()
        .enumerate()
        .map(|(i, s)| (s.station.code.as_str(), i))
        .collect();
    for chunk in stations.chunks(CODES_PER_QUERY) {
        let sql = format!(
            "SELECT station, day, so2, no2, pm10, co, o3, pm25 FROM air_day_current \
             WHERE day >= $1 AND day <= $2 AND station IN ({})",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query(&sql)
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{year:04}-12-31"));
        for s in chunk {
            q = q.bind(s.station.code.as_str());
        }
        let mut rows = q.fetch(&store.pool);
        while let Some(r) = rows.try_next().await? {
            let code: String = r.try_get("station")?;
            let day: String = r.try_get("day")?;
            let date: NaiveDate = day
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("day {day:?}: {e}")))?;
            let Some(&i) = index.get(code.as_str()) else {
                continue;
            };
            present[i] = true;
            let d = date.ordinal0() as usize;
            for (p, column) in Pollutant::ALL.iter().zip(POLLUTANT_COLUMNS) {
                if let Some(text) = r.try_get::<Option<String>, _>(column)? {
                    unpack_hours(&text, &mut series[i].pollutant_mut(*p)[d * 24..d * 24 + 24])?;
                }
            }
        }
    }
    let members: Vec<usize> = (0..stations.len()).filter(|&i| present[i]).collect();
    if members.is_empty() {
        return Ok(None);
    }
    let list = StationList::new(
        stations
            .iter()
            .map(|s| Station {
                code: s.station.code.clone(),
                name: s.station.name.clone(),
                city: s.station.city.clone(),
                longitude: s.station.longitude,
                latitude: s.station.latitude,
            })
            .collect(),
    )
    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let ds = Dataset {
        year,
        stations: list,
        series,
        present,
        report: IngestReport::default(),
    };
    let hourly = city_hourly(&ds, &members);
    let records = series_daily(&ds, &hourly);
    debug_assert_eq!(records.first().map(|r| r.date), Some(first));
    Ok(Some(records))
}

/// Earlier years (before `year`) in which any of the stations has data, most recent first.
pub(crate) async fn years_before(
    store: &Store,
    stations: &[StoredStation],
    year: i32,
) -> StoreResult<Vec<i32>> {
    let mut years = BTreeSet::new();
    for chunk in stations.chunks(CODES_PER_QUERY) {
        let sql = format!(
            "SELECT DISTINCT substr(day, 1, 4) AS y FROM air_day_values \
             WHERE day < $1 AND station IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(format!("{year:04}-01-01"));
        for s in chunk {
            q = q.bind(s.station.code.as_str());
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

/// The year-to-date series of the three air indicators from a year's daily records.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AirYtd {
    pub pm25_mean: MonthlyYtd,
    pub good_day_ratio: MonthlyYtd,
    pub heavy_days: MonthlyYtd,
}

/// Year-to-date values at the end of months 1 … `months`: at month m, the HJ 663 statistics of
/// the days from 1 January to the end of m (PM2.5 mean of the valid daily means, rounded; the
/// good-day ratio over days with a valid AQI, one decimal; the count of heavy and severe days).
/// A month with no valid day of the indicator's own input gets no value, so that a gap in the
/// data is not mistaken for a month that changed nothing.
pub(crate) fn ytd(year: i32, days: &[DailyRecord], months: u8) -> AirYtd {
    let mut out = AirYtd {
        pm25_mean: MonthlyYtd::new(year),
        good_day_ratio: MonthlyYtd::new(year),
        heavy_days: MonthlyYtd::new(year),
    };
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year");
    let index_of = |d: NaiveDate| ((d - first).num_days().max(0) as usize).min(days.len());
    let mut start = 0;
    for m in 1..=months.min(12) {
        let end = index_of(month_end_exclusive(year, m));
        let month = &days[start.min(end)..end];
        start = end;
        let has_pm25 = month.iter().any(|d| d.value(AirIndicator::Pm25).is_some());
        let has_aqi = month.iter().any(|d| d.category().is_some());
        if !has_pm25 && !has_aqi {
            continue;
        }
        let stats = annual_stats(&days[..end]);
        // Values come from the air crate's rules and lie in the indicators' ranges, so `set`
        // cannot refuse them; a refusal would be a bug, and panicking hides nothing.
        if has_pm25 {
            if let Some(v) = stats.get(Statistic::Pm25Mean) {
                out.pm25_mean.set(m, v).expect("finite PM2.5 mean");
            }
        }
        if has_aqi {
            if let Some(v) = stats.good_day_ratio {
                out.good_day_ratio.set(m, v).expect("finite ratio");
            }
            out.heavy_days
                .set(m, f64::from(stats.heavy_days))
                .expect("finite count");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_pack_and_unpack_exactly() {
        let mut hours = [f64::NAN; 24];
        hours[0] = 40.0;
        hours[1] = 0.1;
        hours[2] = 1.25;
        hours[23] = 123.456;
        let text = pack_hours(&hours).unwrap();
        assert!(text.starts_with("40,0.1,1.25,,"), "{text}");
        assert!(text.ends_with(",123.456"), "{text}");
        let mut back = [f64::NAN; 24];
        unpack_hours(&text, &mut back).unwrap();
        for (a, b) in hours.iter().zip(back) {
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        }
        assert_eq!(pack_hours(&[f64::NAN; 24]), None);
        assert!(unpack_hours("1,2", &mut back).is_err());
        assert!(unpack_hours(&format!("x{}", ",".repeat(23)), &mut back).is_err());
        assert!(
            unpack_hours(&",".repeat(24), &mut back).is_err(),
            "25 fields"
        );
    }
}
