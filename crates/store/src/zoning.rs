//! Environmental zoning control (生态环境分区管控, Art. 7(2)) in the store: control units with
//! their admission lists, imported from the published sheets, and the project checks made
//! against them.
//!
//! A unit is one versioned record holding its category, boundary and clauses, so a changed
//! admission list is a new version of the unit, attributable in the ledger. An import is all
//! or nothing: units match stored ones by code; a unit that changed gets a new version, an
//! unchanged one nothing; a stored unit of a region the import covers that the import does not
//! name is withdrawn (a new version marked so), never deleted. A check reads the unit, applies
//! [`ecoduty_domain::zoning::check`], and is itself recorded: who, when, the input, the unit's
//! version and the verdict.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use ecoduty_domain::zoning::geometry::Boundary;
use ecoduty_domain::zoning::{check, Effect, IndustryCode, UnitCategory, UnitSpec, Verdict};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::{json_text, parse_code, parse_json, parse_key, stamp, Where};
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a control unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoningUnit {
    pub id: i64,
    pub rev: i64,
    #[serde(flatten)]
    pub spec: UnitSpec,
    /// Absent from a later import of its region: kept, no longer in force.
    pub withdrawn: bool,
}

impl std::ops::Deref for ZoningUnit {
    type Target = UnitSpec;
    fn deref(&self) -> &UnitSpec {
        &self.spec
    }
}

/// Degrees as stored in the bounding-box columns: whole microdegrees, rounded outwards.
fn micro(deg: f64, up: bool) -> i64 {
    let x = deg * 1e6;
    if up {
        x.ceil() as i64
    } else {
        x.floor() as i64
    }
}

impl Versioned for ZoningUnit {
    const ENTITY: &'static str = "zoning_unit";
    const IDENTITY: &'static str = "zoning_units";
    const VERSIONS: &'static str = "zoning_unit_versions";
    const ID_COLUMN: &'static str = "zoning_unit_id";
    const CURRENT: &'static str = "zoning_unit_current";
    const COLUMNS: &'static [&'static str] = &[
        "zoning_unit_id",
        "rev",
        "code",
        "name",
        "region_code",
        "category",
        "boundary",
        "bbox_west",
        "bbox_south",
        "bbox_east",
        "bbox_north",
        "clauses",
        "withdrawn",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.spec.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        let s = &self.spec;
        let bbox = s
            .boundary
            .as_deref()
            .and_then(|b| Boundary::parse(b).ok())
            .map(|b| b.bbox());
        let corner = |i: usize, up: bool| Value::OptInt(bbox.map(|b| micro(b[i], up)));
        vec![
            self.id.into(),
            self.rev.into(),
            s.code.clone().into(),
            s.name.clone().into(),
            s.region_code.to_string().into(),
            s.category.key().into(),
            Value::OptText(s.boundary.clone()),
            corner(0, false),
            corner(1, false),
            corner(2, true),
            corner(3, true),
            json_text(&s.clauses).into(),
            self.withdrawn.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(ZoningUnit {
            id: row.try_get("zoning_unit_id")?,
            rev: row.try_get("rev")?,
            spec: UnitSpec {
                code: row.try_get("code")?,
                name: row.try_get("name")?,
                region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
                category: parse_key::<UnitCategory>(&row.try_get::<String, _>("category")?)?,
                boundary: row.try_get("boundary")?,
                clauses: parse_json(&row.try_get::<String, _>("clauses")?)?,
            },
            withdrawn: flag(row, "withdrawn")?,
        })
    }
}

/// What a project check was asked: a unit by its code, or a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckTarget {
    Unit(String),
    /// Longitude, latitude.
    Point(f64, f64),
}

/// One recorded project check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoningCheck {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub unit_id: i64,
    /// The version of the unit (and so of its admission list) checked against.
    pub unit_rev: i64,
    pub unit_code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub industry: IndustryCode,
    /// The point asked, when the check was by point: longitude, latitude.
    pub point: Option<(f64, f64)>,
    pub verdict: Verdict,
    pub checked_by: String,
    pub checked_at: DateTime<Utc>,
}

impl Versioned for ZoningCheck {
    const ENTITY: &'static str = "zoning_check";
    const IDENTITY: &'static str = "zoning_checks";
    const VERSIONS: &'static str = "zoning_check_versions";
    const ID_COLUMN: &'static str = "zoning_check_id";
    const CURRENT: &'static str = "zoning_check_current";
    const COLUMNS: &'static [&'static str] = &[
        "zoning_check_id",
        "rev",
        "region_code",
        "zoning_unit_id",
        "unit_rev",
        "unit_code",
        "industry",
        "point",
        "effect",
        "verdict",
        "checked_by",
        "checked_at",
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
            self.unit_id.into(),
            self.unit_rev.into(),
            self.unit_code.clone().into(),
            self.industry.to_string().into(),
            Value::OptText(self.point.map(|p| json_text(&p))),
            self.verdict.effect.key().into(),
            json_text(&self.verdict).into(),
            self.checked_by.clone().into(),
            stamp(self.checked_at).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let point: Option<String> = row.try_get("point")?;
        let at: String = row.try_get("checked_at")?;
        Ok(ZoningCheck {
            id: row.try_get("zoning_check_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            unit_id: row.try_get("zoning_unit_id")?,
            unit_rev: row.try_get("unit_rev")?,
            unit_code: row.try_get("unit_code")?,
            industry: IndustryCode::parse(&row.try_get::<String, _>("industry")?)
                .map_err(StoreError::Corrupt)?,
            point: point.as_deref().map(parse_json).transpose()?,
            verdict: parse_json(&row.try_get::<String, _>("verdict")?)?,
            checked_by: row.try_get("checked_by")?,
            checked_at: DateTime::parse_from_rfc3339(&at)
                .map_err(|e| StoreError::Corrupt(format!("time {at:?}: {e}")))?
                .with_timezone(&Utc),
        })
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoningImport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Stored units of the regions imported that the import did not name.
    pub withdrawn: usize,
}

/// Which units to list.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub within: Option<RegionCode>,
    pub category: Option<UnitCategory>,
    /// Withdrawn units too.
    pub withdrawn: bool,
}

/// A check evaluated (not yet recorded): the unit and what its list says.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub unit: ZoningUnit,
    pub verdict: Verdict,
}

impl Store {
    /// Imports control units, all or nothing. Every unit's region must be within `scope` (the
    /// importing user's region; `None` for nationwide) and stored. With `with_clauses`, each
    /// unit's admission list is the one given (a unit with no clause row has none); without,
    /// a stored unit keeps its list. A stored, current unit of a region the import names that
    /// the import does not name is withdrawn.
    pub async fn import_zoning(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        units: Vec<UnitSpec>,
        with_clauses: bool,
    ) -> StoreResult<ZoningImport> {
        if units.is_empty() {
            return Err(StoreError::invalid("units", "no control unit to import"));
        }
        let mut regions = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for u in &units {
            let field = format!("单元 {}: 行政区划代码", u.code);
            if let Some(scope) = scope {
                if !u.region_code.is_within(scope) {
                    return Err(StoreError::invalid(
                        field,
                        format!("{} is outside your region {scope}", u.region_code),
                    ));
                }
            }
            if !codes.insert(u.code.clone()) {
                return Err(StoreError::invalid(
                    format!("单元 {}: 单元编码", u.code),
                    "the code is given twice",
                ));
            }
            if regions.insert(u.region_code.clone()) && self.region(&u.region_code).await?.is_none()
            {
                return Err(StoreError::invalid(
                    field,
                    format!("{} is not a stored region", u.region_code),
                ));
            }
            if let Some(b) = &u.boundary {
                Boundary::parse(b)
                    .map_err(|m| StoreError::invalid(format!("单元 {}: 边界", u.code), m))?;
            }
        }
        let mut w = Writer::begin(self, change).await?;
        let sql = format!(
            "SELECT {} FROM zoning_unit_current",
            ZoningUnit::column_list()
        );
        let existing: Vec<ZoningUnit> = sqlx::query(&sql)
            .fetch_all(w.conn())
            .await?
            .iter()
            .map(ZoningUnit::from_row)
            .collect::<StoreResult<_>>()?;
        let by_code: HashMap<&str, &ZoningUnit> =
            existing.iter().map(|u| (u.spec.code.as_str(), u)).collect();
        let mut next = versioned::next_id::<ZoningUnit>(w.conn()).await?;
        let mut report = ZoningImport::default();
        let mut versions: Vec<Version<ZoningUnit>> = Vec::new();
        for mut spec in units {
            match by_code.get(spec.code.as_str()) {
                Some(b) => {
                    if !with_clauses {
                        spec.clauses = b.spec.clauses.clone();
                    }
                    if b.spec == spec && !b.withdrawn {
                        report.unchanged += 1;
                    } else {
                        report.updated += 1;
                        versions.push(Version {
                            record: ZoningUnit {
                                id: b.id,
                                rev: b.rev + 1,
                                spec,
                                withdrawn: false,
                            },
                            before: Some(*b),
                            action: "update",
                        });
                    }
                }
                None => {
                    report.created += 1;
                    versions.push(Version {
                        record: ZoningUnit {
                            id: next,
                            rev: 1,
                            spec,
                            withdrawn: false,
                        },
                        before: None,
                        action: "create",
                    });
                    next += 1;
                }
            }
        }
        for b in &existing {
            if !b.withdrawn
                && regions.contains(&b.spec.region_code)
                && !codes.contains(&b.spec.code)
            {
                report.withdrawn += 1;
                versions.push(Version {
                    record: ZoningUnit {
                        id: b.id,
                        rev: b.rev + 1,
                        spec: b.spec.clone(),
                        withdrawn: true,
                    },
                    before: Some(b),
                    action: "withdraw",
                });
            }
        }
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(report)
    }

    /// The current version of a unit, by its code (withdrawn ones too).
    pub async fn zoning_unit(&self, code: &str) -> StoreResult<Option<ZoningUnit>> {
        let sql = format!(
            "SELECT {} FROM zoning_unit_current WHERE code = $1",
            ZoningUnit::column_list()
        );
        let row = sqlx::query(&sql)
            .bind(code.trim().to_ascii_uppercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(ZoningUnit::from_row).transpose()
    }

    /// Every version of a unit, oldest first.
    pub async fn zoning_unit_versions(&self, id: i64) -> StoreResult<Vec<ZoningUnit>> {
        versioned::history(self, id).await
    }

    /// Units by region, then code.
    pub async fn zoning_units(&self, filter: &UnitFilter) -> StoreResult<Vec<ZoningUnit>> {
        let mut w = Where::default();
        w.within("region_code", filter.within.as_ref());
        if let Some(c) = filter.category {
            let p = w.bind(c.key());
            w.and(format!("category = {p}"));
        }
        if !filter.withdrawn {
            w.and("withdrawn = 0");
        }
        let sql = format!(
            "SELECT {} FROM zoning_unit_current{} ORDER BY region_code, code",
            ZoningUnit::column_list(),
            w.sql()
        );
        w.query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(ZoningUnit::from_row)
            .collect()
    }

    /// The units in force, within `scope`, whose boundary holds the point.
    pub async fn zoning_units_at(
        &self,
        scope: Option<&RegionCode>,
        lon: f64,
        lat: f64,
    ) -> StoreResult<Vec<ZoningUnit>> {
        let mut w = Where::default();
        let x = w.bind(micro(lon, false));
        let x2 = w.bind(micro(lon, true));
        let y = w.bind(micro(lat, false));
        let y2 = w.bind(micro(lat, true));
        w.and(format!(
            "bbox_west <= {x2} AND bbox_east >= {x} AND bbox_south <= {y2} AND bbox_north >= {y}"
        ));
        w.and("withdrawn = 0");
        w.within("region_code", scope);
        // The versions table itself, not the view, and no ORDER BY: so that the planner ranges
        // over the bounding-box index instead of scanning every unit in code order. A version
        // is a candidate only if it is its unit's latest (and so not withdrawn).
        w.and(
            "rev = (SELECT MAX(w.rev) FROM zoning_unit_versions w WHERE w.zoning_unit_id = zoning_unit_versions.zoning_unit_id)",
        );
        let sql = format!(
            "SELECT {} FROM zoning_unit_versions{}",
            ZoningUnit::column_list(),
            w.sql()
        );
        let mut candidates: Vec<ZoningUnit> = w
            .query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(ZoningUnit::from_row)
            .collect::<StoreResult<_>>()?;
        candidates.sort_by(|a, b| a.spec.code.cmp(&b.spec.code));
        Ok(candidates
            .into_iter()
            .filter(|u| {
                u.spec
                    .boundary
                    .as_deref()
                    .and_then(|b| Boundary::parse(b).ok())
                    .is_some_and(|b| b.contains(lon, lat))
            })
            .collect())
    }

    /// What the admission list says, without recording it. The unit must be in force and
    /// within `scope`; by point, the unit whose boundary holds it (where units overlap, the
    /// most severe verdict among them).
    pub async fn evaluate_zoning(
        &self,
        scope: Option<&RegionCode>,
        target: &CheckTarget,
        industry: &IndustryCode,
    ) -> StoreResult<Evaluation> {
        let units = match target {
            CheckTarget::Unit(code) => {
                let u = self
                    .zoning_unit(code)
                    .await?
                    .filter(|u| scope.is_none_or(|s| u.spec.region_code.is_within(s)))
                    .ok_or_else(|| {
                        StoreError::invalid("unit_code", format!("no control unit {code}"))
                    })?;
                if u.withdrawn {
                    return Err(StoreError::invalid(
                        "unit_code",
                        format!("control unit {code} is withdrawn"),
                    ));
                }
                vec![u]
            }
            CheckTarget::Point(lon, lat) => {
                ecoduty_domain::zoning::geometry::check_point(*lon, *lat)
                    .map_err(|m| StoreError::invalid("point", m))?;
                let found = self.zoning_units_at(scope, *lon, *lat).await?;
                if found.is_empty() {
                    return Err(StoreError::invalid(
                        "point",
                        format!("no control unit with a loaded boundary holds ({lon}, {lat})"),
                    ));
                }
                found
            }
        };
        units
            .into_iter()
            .map(|unit| {
                let verdict = check(unit.spec.category, &unit.spec.clauses, industry);
                Evaluation { unit, verdict }
            })
            .max_by_key(|e| e.verdict.effect)
            .ok_or_else(|| StoreError::invalid("unit_code", "no control unit"))
    }

    /// Evaluates a check and records it: who (the change's actor), when, the input, the
    /// unit's version and the verdict.
    pub async fn record_zoning_check(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        target: &CheckTarget,
        industry: &IndustryCode,
        now: DateTime<Utc>,
    ) -> StoreResult<ZoningCheck> {
        let e = self.evaluate_zoning(scope, target, industry).await?;
        let mut w = Writer::begin(self, change).await?;
        let record = ZoningCheck {
            id: versioned::next_id::<ZoningCheck>(w.conn()).await?,
            rev: 1,
            region_code: e.unit.spec.region_code.clone(),
            unit_id: e.unit.id,
            unit_rev: e.unit.rev,
            unit_code: e.unit.spec.code.clone(),
            industry: industry.clone(),
            point: match target {
                CheckTarget::Point(x, y) => Some((*x, *y)),
                CheckTarget::Unit(_) => None,
            },
            verdict: e.verdict,
            checked_by: change.actor.trim().to_string(),
            // Kept to the stored microsecond, so the ledger's copy reads back the same.
            checked_at: DateTime::parse_from_rfc3339(&stamp(now))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
                .with_timezone(&Utc),
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: record.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(record)
    }

    pub async fn zoning_check(&self, id: i64) -> StoreResult<Option<ZoningCheck>> {
        versioned::current(self, id).await
    }

    /// Checks within a region, newest first; `effect` keeps those with that result.
    pub async fn zoning_checks(
        &self,
        within: Option<&RegionCode>,
        effect: Option<Effect>,
        limit: i64,
    ) -> StoreResult<Vec<ZoningCheck>> {
        let mut w = Where::default();
        w.within("region_code", within);
        if let Some(e) = effect {
            let p = w.bind(e.key());
            w.and(format!("effect = {p}"));
        }
        let lim = w.bind(limit.clamp(1, 10_000));
        let sql = format!(
            "SELECT {} FROM zoning_check_current{} ORDER BY checked_at DESC, zoning_check_id DESC LIMIT {lim}",
            ZoningCheck::column_list(),
            w.sql()
        );
        w.query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(ZoningCheck::from_row)
            .collect()
    }
}
