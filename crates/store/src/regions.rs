//! Regions: the built-in divisions of China, loaded when a database is created, and regions
//! users add (a new development zone under a prefecture, say). Region rows are never changed.

use ecoduty_domain::region::{builtin_regions, check_new_region};
use ecoduty_domain::{Region, RegionCode, RegionLevel};
use serde::Serialize;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::sql::{insert_rows, like_escape, Value};
use crate::{Change, Store};

/// What the single ledger entry for the built-in regions records: their source and a digest of
/// every row, so that verification notices a built-in region edited behind the program's back.
#[derive(Serialize)]
pub(crate) struct BuiltinLoad {
    source: &'static str,
    count: usize,
    sha256: String,
}

/// Region rows read before, by code. Only rows that exist are kept, and a region row never
/// changes once written (the schema's triggers refuse updates and deletes), so an entry can
/// never go stale — not even when other server processes share the database and add regions:
/// a region they add is simply not here yet and is read from the database. This spares the
/// one query nearly every request makes (its region's row) without keeping any state that
/// only one process knows.
#[derive(Default)]
pub(crate) struct RegionCache(std::sync::RwLock<std::collections::HashMap<RegionCode, Region>>);

impl RegionCache {
    /// Enough for every region of China with room for the zones users add; beyond it rows are
    /// simply read each time.
    const CAPACITY: usize = 100_000;

    fn get(&self, code: &RegionCode) -> Option<Region> {
        let map = self.0.read().unwrap_or_else(|p| p.into_inner());
        map.get(code).cloned()
    }

    fn keep(&self, region: &Region) {
        let mut map = self.0.write().unwrap_or_else(|p| p.into_inner());
        if map.len() < Self::CAPACITY {
            map.insert(region.code.clone(), region.clone());
        }
    }
}

const SOURCE: &str = "GB/T 2260 via china-division 2.7.0 (data/regions)";

fn digest_line(r: &Region) -> String {
    format!(
        "{}|{}|{}|{}|{}\n",
        r.code,
        r.name,
        r.level.key(),
        r.parent.as_ref().map(|p| p.as_str()).unwrap_or(""),
        r.development_zone as u8
    )
}

fn builtin_digest<'a>(regions: impl Iterator<Item = &'a Region>) -> (usize, String) {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    let mut n = 0;
    for r in regions {
        n += 1;
        h.update(digest_line(r).as_bytes());
    }
    (n, hex::encode(h.finalize()))
}

pub(crate) fn builtin_load_json(regions: &[Region]) -> String {
    let mut sorted: Vec<&Region> = regions.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let (count, sha256) = builtin_digest(sorted.into_iter());
    to_json(&BuiltinLoad {
        source: SOURCE,
        count,
        sha256,
    })
}

/// Loads every built-in region into a new database, parents first.
pub(crate) async fn load_builtin(w: &mut Writer) -> StoreResult<()> {
    let regions = builtin_regions();
    let seq = w.record(Entry {
        entity: "regions",
        entity_id: "builtin".into(),
        rev: 1,
        action: "load",
        before: None,
        after: Some(builtin_load_json(&regions)),
    });
    let rows = regions
        .into_iter()
        .map(|r| {
            vec![
                Value::from(r.code.to_string()),
                r.name.into(),
                r.level.key().into(),
                r.parent.map(|p| p.to_string()).into(),
                r.development_zone.into(),
                true.into(),
                seq.into(),
            ]
        })
        .collect();
    insert_rows(
        w.conn(),
        "regions",
        &[
            "code",
            "name",
            "level",
            "parent_code",
            "development_zone",
            "builtin",
            "ledger_seq",
        ],
        rows,
    )
    .await
}

const COLUMNS: &str = "code, name, level, parent_code, development_zone, builtin";

fn from_row(row: &sqlx::any::AnyRow) -> StoreResult<Region> {
    let code: String = row.try_get("code")?;
    let level: String = row.try_get("level")?;
    let parent: Option<String> = row.try_get("parent_code")?;
    Ok(Region {
        code: RegionCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        name: row.try_get("name")?,
        level: RegionLevel::from_key(&level)
            .ok_or_else(|| StoreError::Corrupt(format!("region level {level}")))?,
        parent: parent
            .map(|p| RegionCode::parse(&p))
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        development_zone: row.try_get::<i64, _>("development_zone")? != 0,
        builtin: row.try_get::<i64, _>("builtin")? != 0,
    })
}

/// A new region a user adds.
#[derive(Debug, Clone)]
pub struct NewRegion {
    pub code: RegionCode,
    pub name: String,
    pub parent: RegionCode,
    pub development_zone: bool,
}

impl Store {
    pub async fn region(&self, code: &RegionCode) -> StoreResult<Option<Region>> {
        if let Some(region) = self.regions.get(code) {
            return Ok(Some(region));
        }
        let sql = format!("SELECT {COLUMNS} FROM regions WHERE code = $1");
        let row = sqlx::query(&sql)
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        let region = row.as_ref().map(from_row).transpose()?;
        if let Some(r) = &region {
            self.regions.keep(r);
        }
        Ok(region)
    }

    /// The region, or a `NotFound` error naming the code.
    pub async fn require_region(&self, code: &RegionCode) -> StoreResult<Region> {
        self.region(code)
            .await?
            .ok_or_else(|| StoreError::not_found("region", code))
    }

    /// The provinces (regions without a parent).
    pub async fn top_regions(&self) -> StoreResult<Vec<Region>> {
        let sql = format!("SELECT {COLUMNS} FROM regions WHERE parent_code IS NULL ORDER BY code");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn region_children(&self, code: &RegionCode) -> StoreResult<Vec<Region>> {
        let sql = format!("SELECT {COLUMNS} FROM regions WHERE parent_code = $1 ORDER BY code");
        let rows = sqlx::query(&sql)
            .bind(code.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The region's ancestors, from the province down to its parent.
    pub async fn region_ancestors(&self, code: &RegionCode) -> StoreResult<Vec<Region>> {
        let mut out = Vec::new();
        let mut current = self.require_region(code).await?;
        while let Some(parent) = current.parent.clone() {
            current = self.require_region(&parent).await?;
            out.push(current.clone());
        }
        out.reverse();
        Ok(out)
    }

    /// Regions whose name contains `query`, or whose code starts with it; provinces and
    /// prefectures first.
    pub async fn search_regions(&self, query: &str, limit: i64) -> StoreResult<Vec<Region>> {
        let q = query.trim();
        if q.is_empty() {
            return Err(StoreError::invalid(
                "name",
                "give part of a region's name or code",
            ));
        }
        let pattern = format!("%{}%", like_escape(q));
        let code_prefix = format!("{}%", like_escape(q));
        let sql = format!(
            "SELECT {COLUMNS} FROM regions WHERE name LIKE $1 ESCAPE '\\' OR code LIKE $2 ESCAPE '\\' \
             ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 WHEN 'county' THEN 2 ELSE 3 END, code \
             LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(pattern)
            .bind(code_prefix)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// How many regions the store knows, by level.
    pub async fn region_counts(&self) -> StoreResult<Vec<(RegionLevel, i64)>> {
        let rows = sqlx::query("SELECT level, COUNT(*) AS n FROM regions GROUP BY level")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let level: String = row.try_get("level")?;
            if let Some(l) = RegionLevel::from_key(&level) {
                out.push((l, row.try_get::<i64, _>("n")?));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Adds a region under an existing parent (e.g. a new development zone).
    pub async fn add_region(&self, change: &Change, new: NewRegion) -> StoreResult<Region> {
        if new.name.trim().is_empty() {
            return Err(StoreError::invalid("name", "the region's name is empty"));
        }
        let parent = self.require_region(&new.parent).await?;
        check_new_region(&new.code, &parent).map_err(|m| StoreError::invalid("code", m))?;
        if new.development_zone && new.code.level() != RegionLevel::County {
            return Err(StoreError::invalid(
                "development_zone",
                "a development zone is a county-level region (第二条第二款)",
            ));
        }
        let mut w = Writer::begin(self, change).await?;
        let existing = sqlx::query("SELECT name FROM regions WHERE code = $1")
            .bind(new.code.as_str())
            .fetch_optional(w.conn())
            .await?;
        if let Some(row) = existing {
            return Err(StoreError::Conflict(format!(
                "region code {} already exists ({})",
                new.code,
                row.get::<String, _>(0)
            )));
        }
        let region = Region {
            level: new.code.level(),
            code: new.code,
            name: new.name.trim().to_string(),
            parent: Some(parent.code),
            development_zone: new.development_zone,
            builtin: false,
        };
        let seq = w.record_in(
            Entry {
                entity: "region",
                entity_id: region.code.to_string(),
                rev: 1,
                action: "create",
                before: None,
                after: Some(to_json(&region)),
            },
            Some(region.code.to_string()),
        );
        insert_region(&mut w, &region, seq).await?;
        w.commit().await?;
        Ok(region)
    }
}

async fn insert_region(w: &mut Writer, r: &Region, seq: i64) -> StoreResult<()> {
    insert_rows(
        w.conn(),
        "regions",
        &[
            "code",
            "name",
            "level",
            "parent_code",
            "development_zone",
            "builtin",
            "ledger_seq",
        ],
        vec![vec![
            r.code.to_string().into(),
            r.name.clone().into(),
            r.level.key().into(),
            r.parent.as_ref().map(|p| p.to_string()).into(),
            r.development_zone.into(),
            r.builtin.into(),
            seq.into(),
        ]],
    )
    .await
}

/// Region rows as the ledger recorded them, for verification: one synthetic record for the
/// built-in load and one per user-added region.
pub(crate) async fn versions(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let sql = format!("SELECT {COLUMNS}, ledger_seq FROM regions ORDER BY code");
    let rows = sqlx::query(&sql).fetch_all(&store.pool).await?;
    let mut builtin = Vec::new();
    let mut builtin_seq = None;
    let mut out = Vec::new();
    for row in &rows {
        let r = from_row(row)?;
        let seq: i64 = row.try_get("ledger_seq")?;
        if r.builtin {
            builtin_seq.get_or_insert(seq);
            builtin.push(r);
        } else {
            out.push((
                seq,
                "region".to_string(),
                r.code.to_string(),
                1,
                to_json(&r),
            ));
        }
    }
    if let Some(seq) = builtin_seq {
        let (count, sha256) = builtin_digest(builtin.iter());
        let json = to_json(&BuiltinLoad {
            source: SOURCE,
            count,
            sha256,
        });
        out.push((seq, "regions".to_string(), "builtin".to_string(), 1, json));
    }
    Ok(out)
}
