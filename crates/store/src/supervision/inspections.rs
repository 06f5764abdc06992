//! Inspections (督察, Art. 13): central, provincial or municipal; routine, special or follow-up
//! (回头看); the regions inspected, the dates and the team. Findings cite the inspection they
//! came from. Each version's regions are also kept one per row, so that lists can be scoped to
//! a region's subtree.

use chrono::NaiveDate;
use ecoduty_domain::supervision::{InspectionKind, InspectionLevel};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{parse_code, parse_day, parse_key, region_range, Page, PageRequest, Where};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::{insert_rows, Value};
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    pub id: i64,
    pub rev: i64,
    pub level: InspectionLevel,
    pub kind: InspectionKind,
    pub title: String,
    /// The regions inspected, by code.
    pub regions: Vec<RegionCode>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The team: leader and members, as written.
    pub team: String,
}

impl Versioned for Inspection {
    const ENTITY: &'static str = "inspection";
    const IDENTITY: &'static str = "inspections";
    const VERSIONS: &'static str = "inspection_versions";
    const ID_COLUMN: &'static str = "inspection_id";
    const CURRENT: &'static str = "inspection_current";
    const COLUMNS: &'static [&'static str] = &[
        "inspection_id",
        "rev",
        "level",
        "kind",
        "title",
        "regions",
        "start_date",
        "end_date",
        "team",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    /// An inspection of one region is entered in its region; one of several in the region
    /// they share, so that each region's users see it.
    fn ledger_region(&self) -> Option<String> {
        common_region(&self.regions).map(|c| c.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.level.key().into(),
            self.kind.key().into(),
            self.title.clone().into(),
            self.regions
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(",")
                .into(),
            self.start_date.to_string().into(),
            self.end_date.to_string().into(),
            self.team.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let regions: String = row.try_get("regions")?;
        Ok(Inspection {
            id: row.try_get("inspection_id")?,
            rev: row.try_get("rev")?,
            level: parse_key(&row.try_get::<String, _>("level")?)?,
            kind: parse_key(&row.try_get::<String, _>("kind")?)?,
            title: row.try_get("title")?,
            regions: regions
                .split(',')
                .filter(|s| !s.is_empty())
                .map(parse_code)
                .collect::<StoreResult<_>>()?,
            start_date: parse_day(&row.try_get::<String, _>("start_date")?)?,
            end_date: parse_day(&row.try_get::<String, _>("end_date")?)?,
            team: row.try_get("team")?,
        })
    }
}

/// The smallest region holding all of `regions` (by the nesting of codes), if any.
pub fn common_region(regions: &[RegionCode]) -> Option<RegionCode> {
    let first = regions.first()?;
    let mut candidate = Some(first.clone());
    while let Some(c) = candidate {
        if regions.iter().all(|r| r.is_within(&c)) {
            return Some(c);
        }
        candidate = c.parent();
    }
    None
}

/// A new inspection.
#[derive(Debug, Clone, Deserialize)]
pub struct NewInspection {
    pub level: InspectionLevel,
    pub kind: InspectionKind,
    pub title: String,
    pub regions: Vec<RegionCode>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub team: String,
}

/// Filters for [`Store::inspections_page`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionFilter {
    /// Inspections that covered at least one region within this subtree.
    #[serde(skip)]
    pub within: Option<RegionCode>,
    pub level: Option<InspectionLevel>,
    pub kind: Option<InspectionKind>,
}

impl Store {
    pub async fn create_inspection(
        &self,
        change: &Change,
        new: NewInspection,
    ) -> StoreResult<Inspection> {
        let title = new.title.trim().to_string();
        if title.is_empty() {
            return Err(StoreError::invalid("title", "the inspection has no title"));
        }
        if new.end_date < new.start_date {
            return Err(StoreError::invalid(
                "end_date",
                "the inspection ends before it starts",
            ));
        }
        let mut regions = new.regions.clone();
        regions.sort();
        regions.dedup();
        if regions.is_empty() {
            return Err(StoreError::invalid("regions", "name the regions inspected"));
        }
        for r in &regions {
            self.require_region(r).await?;
        }
        let mut w = Writer::begin(self, change).await?;
        let inspection = Inspection {
            id: versioned::next_id::<Inspection>(w.conn()).await?,
            rev: 1,
            level: new.level,
            kind: new.kind,
            title,
            regions,
            start_date: new.start_date,
            end_date: new.end_date,
            team: new.team.trim().to_string(),
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: inspection.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        let rows = inspection
            .regions
            .iter()
            .map(|r| {
                vec![
                    inspection.id.into(),
                    inspection.rev.into(),
                    r.to_string().into(),
                ]
            })
            .collect();
        insert_rows(
            w.conn(),
            "inspection_regions",
            &["inspection_id", "rev", "region_code"],
            rows,
        )
        .await?;
        w.commit().await?;
        Ok(inspection)
    }

    pub async fn inspection(&self, id: i64) -> StoreResult<Option<Inspection>> {
        versioned::current(self, id).await
    }

    /// Inspections that covered a region within the subtree, newest first.
    pub async fn inspections_page(
        &self,
        filter: &InspectionFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Inspection>> {
        let (before, limit) = page.bounds();
        let mut w = Where::default();
        if let Some(root) = &filter.within {
            // An inspection of the region, of a region within it, or of a region above it
            // (a city's inspection concerns its counties).
            let (lo, hi) = region_range(Some(root));
            let (lo, hi) = (w.bind(lo), w.bind(hi));
            let mut ancestors = Vec::new();
            let mut up = root.parent();
            while let Some(a) = up {
                up = a.parent();
                ancestors.push(w.bind(a.to_string()));
            }
            let above = if ancestors.is_empty() {
                String::new()
            } else {
                format!(" OR r.region_code IN ({})", ancestors.join(", "))
            };
            w.and(format!(
                "EXISTS (SELECT 1 FROM inspection_regions r WHERE r.inspection_id = i.inspection_id AND r.rev = i.rev \
                 AND ((r.region_code >= {lo} AND r.region_code < {hi}){above}))"
            ));
        }
        if let Some(level) = filter.level {
            let p = w.bind(level.key());
            w.and(format!("i.level = {p}"));
        }
        if let Some(kind) = filter.kind {
            let p = w.bind(kind.key());
            w.and(format!("i.kind = {p}"));
        }
        let b = w.bind(before);
        w.and(format!("i.inspection_id < {b}"));
        let n = w.bind(limit + 1);
        let sql = format!(
            "SELECT {} FROM inspection_current i{} ORDER BY i.inspection_id DESC LIMIT {n}",
            Inspection::COLUMNS
                .iter()
                .map(|c| format!("i.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            w.sql()
        );
        let rows = w.query(&sql).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(Inspection::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |i| i.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn the_region_inspections_share() {
        assert_eq!(common_region(&[code("410883")]), Some(code("410883")));
        assert_eq!(
            common_region(&[code("410883"), code("410822")]),
            Some(code("410800"))
        );
        assert_eq!(
            common_region(&[code("410883"), code("410102")]),
            Some(code("410000"))
        );
        assert_eq!(common_region(&[code("410883"), code("451322")]), None);
        assert_eq!(common_region(&[]), None);
    }
}
