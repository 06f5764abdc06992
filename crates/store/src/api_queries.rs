//! Queries the JSON API needs beyond the per-entity modules: long lists read a page at a time
//! by keyset (the page after a given row, in a stable order), limited to a region's subtree,
//! and the short per-region lists of posts and local duties.
//!
//! Keyset rather than offset pagination: a page is found by index whatever its depth, and a
//! row written between two requests neither repeats nor skips a row of the pages after it.

use ecoduty_domain::{Region, RegionCode, RegionLevel};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::duties::LocalDuty;
use crate::error::{StoreError, StoreResult};
use crate::people::Person;
use crate::posts::Post;
use crate::sql::like_escape;
use crate::versioned::Versioned;
use crate::Store;

/// Where a page of regions starts: after this (level rank, code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionKey {
    pub rank: i64,
    pub code: String,
}

impl RegionKey {
    pub fn of(region: &Region) -> RegionKey {
        RegionKey {
            rank: level_rank(region.level),
            code: region.code.to_string(),
        }
    }
}

/// Provinces first, then prefectures, counties and townships.
pub fn level_rank(level: RegionLevel) -> i64 {
    match level {
        RegionLevel::Province => 0,
        RegionLevel::Prefecture => 1,
        RegionLevel::County => 2,
        RegionLevel::Township => 3,
    }
}

const RANK: &str = "(CASE level WHEN 'province' THEN 0 WHEN 'prefecture' THEN 1 \
                    WHEN 'county' THEN 2 ELSE 3 END)";

fn region_from_row(row: &AnyRow) -> StoreResult<Region> {
    let corrupt = |e: ecoduty_domain::region::InvalidRegionCode| StoreError::Corrupt(e.to_string());
    let code: String = row.try_get("code")?;
    let level: String = row.try_get("level")?;
    let parent: Option<String> = row.try_get("parent_code")?;
    Ok(Region {
        code: RegionCode::parse(&code).map_err(corrupt)?,
        name: row.try_get("name")?,
        level: RegionLevel::from_key(&level)
            .ok_or_else(|| StoreError::Corrupt(format!("region level {level}")))?,
        parent: parent
            .map(|p| RegionCode::parse(&p))
            .transpose()
            .map_err(corrupt)?,
        development_zone: row.try_get::<i64, _>("development_zone")? != 0,
        builtin: row.try_get::<i64, _>("builtin")? != 0,
    })
}

fn subtree_pattern(within: Option<&RegionCode>) -> String {
    within
        .map(|c| format!("{}%", like_escape(c.subtree_prefix())))
        .unwrap_or_default()
}

fn columns<T: Versioned>(alias: &str) -> String {
    T::COLUMNS
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Regions whose name contains `query` or whose code starts with it (every region when
    /// the query is empty), within `within`'s subtree, provinces first then by code: up to
    /// `limit` of them after `after`.
    pub async fn search_regions_page(
        &self,
        query: &str,
        within: Option<&RegionCode>,
        after: Option<&RegionKey>,
        limit: i64,
    ) -> StoreResult<Vec<Region>> {
        let q = query.trim();
        let sql = format!(
            "SELECT code, name, level, parent_code, development_zone, builtin FROM regions \
             WHERE ($1 = '' OR name LIKE $2 ESCAPE '\\' OR code LIKE $3 ESCAPE '\\') \
               AND ($4 = '' OR code LIKE $4 ESCAPE '\\') \
               AND ({RANK} > $5 OR ({RANK} = $5 AND code > $6)) \
             ORDER BY {RANK}, code LIMIT $7"
        );
        let rows = sqlx::query(&sql)
            .bind(q)
            .bind(format!("%{}%", like_escape(q)))
            .bind(format!("{}%", like_escape(q)))
            .bind(subtree_pattern(within))
            .bind(after.map(|k| k.rank).unwrap_or(-1))
            .bind(after.map(|k| k.code.clone()).unwrap_or_default())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(region_from_row).collect()
    }

    /// People whose name contains `query` or whose key is `query` (everyone when it is empty),
    /// by name then id: up to `limit` after `after` (a name and an id). With `within`, only
    /// people who held a post — a counting tenure — in that region's subtree.
    pub async fn people_page(
        &self,
        query: &str,
        within: Option<&RegionCode>,
        after: Option<(&str, i64)>,
        limit: i64,
    ) -> StoreResult<Vec<Person>> {
        let q = query.trim();
        let sql = format!(
            "SELECT {} FROM person_current p \
             WHERE ($1 = '' OR p.name LIKE $2 ESCAPE '\\' OR p.person_key = $1) \
               AND ($3 = '' OR EXISTS ( \
                 SELECT 1 FROM tenure_current t \
                 JOIN post_current po ON po.post_id = t.post_id \
                 JOIN organisation_current o ON o.organisation_id = po.organisation_id \
                 WHERE t.person_id = p.person_id AND t.retracted = 0 \
                   AND o.region_code LIKE $3 ESCAPE '\\')) \
               AND ($4 = 0 OR p.name > $5 OR (p.name = $5 AND p.person_id > $6)) \
             ORDER BY p.name, p.person_id LIMIT $7",
            columns::<Person>("p")
        );
        let rows = sqlx::query(&sql)
            .bind(q)
            .bind(format!("%{}%", like_escape(q)))
            .bind(subtree_pattern(within))
            .bind(after.is_some() as i64)
            .bind(after.map(|(name, _)| name.to_string()).unwrap_or_default())
            .bind(after.map(|(_, id)| id).unwrap_or(0))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Person::from_row).collect()
    }

    /// The posts of every organisation of a region (retired ones when asked): Party committee
    /// first, then government, then departments by name; within one, by id.
    pub async fn posts_in_region(
        &self,
        region: &RegionCode,
        include_retired: bool,
    ) -> StoreResult<Vec<Post>> {
        let sql = format!(
            "SELECT {} FROM post_current p \
             JOIN organisation_current o ON o.organisation_id = p.organisation_id \
             WHERE o.region_code = $1 AND ($2 = 1 OR (p.retired = 0 AND o.retired = 0)) \
             ORDER BY CASE o.kind WHEN 'party_committee' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, \
                      o.eco_department DESC, o.name, o.organisation_id, p.post_id",
            columns::<Post>("p")
        );
        let rows = sqlx::query(&sql)
            .bind(region.as_str())
            .bind(include_retired as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Post::from_row).collect()
    }

    /// The local duties a region added (its own, not those of regions above it), as they stand
    /// now, by id; retired ones when asked.
    pub async fn local_duties_of(
        &self,
        region: &RegionCode,
        include_retired: bool,
    ) -> StoreResult<Vec<LocalDuty>> {
        let sql = format!(
            "SELECT {} FROM local_duty_current d WHERE d.region_code = $1 \
             AND ($2 = 1 OR d.retired = 0) ORDER BY d.duty_id",
            columns::<LocalDuty>("d")
        );
        let rows = sqlx::query(&sql)
            .bind(region.as_str())
            .bind(include_retired as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(LocalDuty::from_row).collect()
    }

    /// The current version of a local duty.
    pub async fn local_duty(&self, id: i64) -> StoreResult<Option<LocalDuty>> {
        crate::versioned::current(self, id).await
    }
}
