//! Rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5) in the store: water
//! bodies with their segments (河段), forest areas (林区), chief posts, patrols (巡河 / 巡林)
//! with the problems they find, and regions' patrol frequencies.
//!
//! Every record is versioned and ledgered. A water is saved whole (its segments with it): a
//! segment that changed gets a new version, an unchanged one nothing, one left out is withdrawn
//! (a new version marked so), never deleted; saving an unchanged water writes nothing. Chief
//! posts ([`chiefs`]) tie an ordinary post, held through ordinary tenures, to its segments or
//! forest areas; patrols ([`patrols`]) are recorded against the person who held the post that
//! day, and a problem not solved on the spot becomes a finding with source `patrol`, in the
//! rectification loop like any other.

pub mod chiefs;
pub mod patrols;

use std::collections::HashMap;

use ecoduty_domain::waters::{ForestSpec, SegmentSpec, TargetClass, WaterKind, WaterSpec};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::{json_text, parse_code, parse_json, parse_key, Where};
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a water body (its segments are records of their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Water {
    pub id: i64,
    pub rev: i64,
    pub code: String,
    pub name: String,
    pub kind: WaterKind,
    pub withdrawn: bool,
}

impl Versioned for Water {
    const ENTITY: &'static str = "water";
    const IDENTITY: &'static str = "water_bodies";
    const VERSIONS: &'static str = "water_body_versions";
    const ID_COLUMN: &'static str = "water_id";
    const CURRENT: &'static str = "water_body_current";
    const COLUMNS: &'static [&'static str] =
        &["water_id", "rev", "code", "name", "kind", "withdrawn"];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.code.clone().into(),
            self.name.clone().into(),
            self.kind.key().into(),
            self.withdrawn.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Water {
            id: row.try_get("water_id")?,
            rev: row.try_get("rev")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            kind: parse_key(&row.try_get::<String, _>("kind")?)?,
            withdrawn: flag(row, "withdrawn")?,
        })
    }
}

/// One version of a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Segment {
    pub id: i64,
    pub rev: i64,
    pub water_id: i64,
    #[serde(flatten)]
    pub spec: SegmentSpec,
    pub withdrawn: bool,
}

impl Versioned for Segment {
    const ENTITY: &'static str = "water_segment";
    const IDENTITY: &'static str = "water_segments";
    const VERSIONS: &'static str = "water_segment_versions";
    const ID_COLUMN: &'static str = "segment_id";
    const CURRENT: &'static str = "water_segment_current";
    const COLUMNS: &'static [&'static str] = &[
        "segment_id",
        "rev",
        "water_id",
        "code",
        "name",
        "region_code",
        "seq",
        "sections",
        "target_class",
        "length_km",
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
        vec![
            self.id.into(),
            self.rev.into(),
            self.water_id.into(),
            s.code.clone().into(),
            s.name.clone().into(),
            s.region_code.to_string().into(),
            i64::from(s.seq).into(),
            json_text(&s.sections).into(),
            i64::from(s.target_class.number()).into(),
            Value::OptText(s.length_km.clone()),
            self.withdrawn.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let class: i64 = row.try_get("target_class")?;
        let seq: i64 = row.try_get("seq")?;
        Ok(Segment {
            id: row.try_get("segment_id")?,
            rev: row.try_get("rev")?,
            water_id: row.try_get("water_id")?,
            spec: SegmentSpec {
                code: row.try_get("code")?,
                name: row.try_get("name")?,
                region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
                seq: u32::try_from(seq).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                sections: parse_json(&row.try_get::<String, _>("sections")?)?,
                target_class: u8::try_from(class)
                    .map_err(|e| e.to_string())
                    .and_then(TargetClass::new)
                    .map_err(StoreError::Corrupt)?,
                length_km: row.try_get("length_km")?,
            },
            withdrawn: flag(row, "withdrawn")?,
        })
    }
}

/// One version of a forest area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Forest {
    pub id: i64,
    pub rev: i64,
    #[serde(flatten)]
    pub spec: ForestSpec,
    pub withdrawn: bool,
}

impl Versioned for Forest {
    const ENTITY: &'static str = "forest_area";
    const IDENTITY: &'static str = "forest_areas";
    const VERSIONS: &'static str = "forest_area_versions";
    const ID_COLUMN: &'static str = "forest_id";
    const CURRENT: &'static str = "forest_area_current";
    const COLUMNS: &'static [&'static str] = &[
        "forest_id",
        "rev",
        "code",
        "name",
        "region_code",
        "hectares",
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
        vec![
            self.id.into(),
            self.rev.into(),
            s.code.clone().into(),
            s.name.clone().into(),
            s.region_code.to_string().into(),
            Value::OptText(s.hectares.clone()),
            self.withdrawn.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Forest {
            id: row.try_get("forest_id")?,
            rev: row.try_get("rev")?,
            spec: ForestSpec {
                code: row.try_get("code")?,
                name: row.try_get("name")?,
                region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
                hectares: row.try_get("hectares")?,
            },
            withdrawn: flag(row, "withdrawn")?,
        })
    }
}

/// A water with its current segments, source to mouth.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaterDetail {
    pub water: Water,
    pub segments: Vec<Segment>,
}

/// What saving a water did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaterSave {
    pub water_id: i64,
    /// Versions written: of the water and of its segments.
    pub written: usize,
    pub unchanged: usize,
    pub withdrawn: usize,
}

fn refused((field, message): (String, String)) -> StoreError {
    StoreError::invalid(field, message)
}

async fn current_where<T: Versioned>(
    conn: &mut sqlx::AnyConnection,
    column: &str,
    value: impl Into<Value>,
) -> StoreResult<Vec<T>> {
    let mut w = Where::default();
    let p = w.bind(value);
    w.and(format!("{column} = {p}"));
    let sql = format!("SELECT {} FROM {}{}", T::column_list(), T::CURRENT, w.sql());
    w.query(&sql)
        .fetch_all(conn)
        .await?
        .iter()
        .map(T::from_row)
        .collect()
}

impl Store {
    /// Saves a water and its segments, all or nothing. Every segment's region must be stored
    /// and within `scope` (the saving user's region; `None` for nationwide); a segment code may
    /// belong to one water only. Unchanged records get no version; a stored segment of the
    /// water that `spec` leaves out is withdrawn.
    pub async fn save_water(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        spec: WaterSpec,
    ) -> StoreResult<WaterSave> {
        spec.validate().map_err(refused)?;
        for (i, s) in spec.segments.iter().enumerate() {
            let field = format!("segments[{i}].region_code");
            if let Some(scope) = scope {
                if !s.region_code.is_within(scope) {
                    return Err(StoreError::invalid(
                        field,
                        format!("{} is outside your region {scope}", s.region_code),
                    ));
                }
            }
            if self.region(&s.region_code).await?.is_none() {
                return Err(StoreError::invalid(
                    field,
                    format!("{} is not a stored region", s.region_code),
                ));
            }
        }
        let mut w = Writer::begin(self, change).await?;
        let stored: Option<Water> = current_where::<Water>(w.conn(), "code", spec.code.clone())
            .await?
            .into_iter()
            .next();
        let mut report = WaterSave::default();
        let water = Water {
            id: match &stored {
                Some(s) => s.id,
                None => versioned::next_id::<Water>(w.conn()).await?,
            },
            rev: stored.as_ref().map_or(1, |s| s.rev + 1),
            code: spec.code.clone(),
            name: spec.name.trim().to_string(),
            kind: spec.kind,
            withdrawn: false,
        };
        report.water_id = water.id;
        let same = stored
            .as_ref()
            .is_some_and(|s| s.name == water.name && s.kind == water.kind && !s.withdrawn);
        if same {
            report.unchanged += 1;
        } else {
            report.written += 1;
            versioned::write(
                &mut w,
                vec![Version {
                    action: if stored.is_some() { "update" } else { "create" },
                    before: stored.as_ref(),
                    record: water.clone(),
                }],
            )
            .await?;
        }
        // Segments: this water's, and any stored elsewhere under the codes given.
        let mine: Vec<Segment> = current_where(w.conn(), "water_id", water.id).await?;
        let by_code: HashMap<&str, &Segment> =
            mine.iter().map(|s| (s.spec.code.as_str(), s)).collect();
        let mut next = versioned::next_id::<Segment>(w.conn()).await?;
        let mut versions: Vec<Version<Segment>> = Vec::new();
        for (i, s) in spec.segments.iter().enumerate() {
            let mut s = s.clone();
            s.name = s.name.trim().to_string();
            s.sections = s.sections.iter().map(|n| n.trim().to_string()).collect();
            match by_code.get(s.code.as_str()) {
                Some(b) if b.spec == s && !b.withdrawn => report.unchanged += 1,
                Some(b) => versions.push(Version {
                    record: Segment {
                        id: b.id,
                        rev: b.rev + 1,
                        water_id: water.id,
                        spec: s,
                        withdrawn: false,
                    },
                    before: Some(*b),
                    action: "update",
                }),
                None => {
                    let elsewhere: Vec<Segment> =
                        current_where(w.conn(), "code", s.code.clone()).await?;
                    if let Some(o) = elsewhere.first() {
                        return Err(StoreError::invalid(
                            format!("segments[{i}].code"),
                            format!(
                                "segment {} belongs to another water (#{})",
                                s.code, o.water_id
                            ),
                        ));
                    }
                    versions.push(Version {
                        record: Segment {
                            id: next,
                            rev: 1,
                            water_id: water.id,
                            spec: s,
                            withdrawn: false,
                        },
                        before: None,
                        action: "create",
                    });
                    next += 1;
                }
            }
        }
        for b in &mine {
            if !b.withdrawn && !spec.segments.iter().any(|s| s.code == b.spec.code) {
                report.withdrawn += 1;
                versions.push(Version {
                    record: Segment {
                        rev: b.rev + 1,
                        withdrawn: true,
                        ..b.clone()
                    },
                    before: Some(b),
                    action: "withdraw",
                });
            }
        }
        report.written += versions.len();
        versioned::write(&mut w, versions).await?;
        w.commit().await?;
        Ok(report)
    }

    /// A water by code with its segments in force, source to mouth.
    pub async fn water(&self, code: &str) -> StoreResult<Option<WaterDetail>> {
        let mut conn = self.pool.acquire().await?;
        let Some(water) = current_where::<Water>(&mut conn, "code", code.trim().to_string())
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let mut segments: Vec<Segment> = current_where(&mut conn, "water_id", water.id).await?;
        segments.retain(|s| !s.withdrawn);
        segments.sort_by_key(|s| s.spec.seq);
        Ok(Some(WaterDetail { water, segments }))
    }

    /// Every version of a water and of its segments, oldest first.
    pub async fn water_history(&self, id: i64) -> StoreResult<(Vec<Water>, Vec<Segment>)> {
        let waters = versioned::history::<Water>(self, id).await?;
        let sql = format!(
            "SELECT {} FROM water_segment_versions WHERE water_id = $1 ORDER BY segment_id, rev",
            Segment::column_list()
        );
        let segments = sqlx::query(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Segment::from_row)
            .collect::<StoreResult<_>>()?;
        Ok((waters, segments))
    }

    /// The waters with a segment in force within `within`, by code, each with those segments.
    pub async fn waters(&self, within: Option<&RegionCode>) -> StoreResult<Vec<WaterDetail>> {
        let segments = self.segments(within).await?;
        let mut by_water: HashMap<i64, Vec<Segment>> = HashMap::new();
        for s in segments {
            by_water.entry(s.water_id).or_default().push(s);
        }
        let mut out = Vec::new();
        for (id, mut segments) in by_water {
            let water: Water = versioned::current(self, id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("segment of missing water {id}")))?;
            segments.sort_by_key(|s| s.spec.seq);
            out.push(WaterDetail { water, segments });
        }
        out.sort_by(|a, b| a.water.code.cmp(&b.water.code));
        Ok(out)
    }

    /// Segments in force within a region, by water then number.
    pub async fn segments(&self, within: Option<&RegionCode>) -> StoreResult<Vec<Segment>> {
        let mut w = Where::default();
        w.within("region_code", within);
        w.and("withdrawn = 0");
        let sql = format!(
            "SELECT {} FROM water_segment_current{} ORDER BY water_id, seq",
            Segment::column_list(),
            w.sql()
        );
        w.query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Segment::from_row)
            .collect()
    }

    /// A segment by code (withdrawn ones too).
    pub async fn segment(&self, code: &str) -> StoreResult<Option<Segment>> {
        let mut conn = self.pool.acquire().await?;
        Ok(current_where(&mut conn, "code", code.trim().to_string())
            .await?
            .into_iter()
            .next())
    }

    /// Saves a forest area (created, or a new version if it changed; unchanged writes nothing).
    /// Returns the stored version and whether one was written.
    pub async fn save_forest(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        spec: ForestSpec,
    ) -> StoreResult<(Forest, bool)> {
        spec.validate().map_err(refused)?;
        if scope.is_some_and(|s| !spec.region_code.is_within(s)) {
            return Err(StoreError::invalid(
                "region_code",
                format!("{} is outside your region", spec.region_code),
            ));
        }
        self.require_region(&spec.region_code).await?;
        let spec = ForestSpec {
            name: spec.name.trim().to_string(),
            ..spec
        };
        let mut w = Writer::begin(self, change).await?;
        let stored: Option<Forest> = current_where::<Forest>(w.conn(), "code", spec.code.clone())
            .await?
            .into_iter()
            .next();
        if let Some(s) = &stored {
            if s.spec == spec && !s.withdrawn {
                return Ok((s.clone(), false));
            }
        }
        let record = Forest {
            id: match &stored {
                Some(s) => s.id,
                None => versioned::next_id::<Forest>(w.conn()).await?,
            },
            rev: stored.as_ref().map_or(1, |s| s.rev + 1),
            spec,
            withdrawn: false,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: record.clone(),
                before: stored.as_ref(),
                action: if stored.is_some() { "update" } else { "create" },
            }],
        )
        .await?;
        w.commit().await?;
        Ok((record, true))
    }

    /// Forest areas in force within a region, by code.
    pub async fn forests(&self, within: Option<&RegionCode>) -> StoreResult<Vec<Forest>> {
        let mut w = Where::default();
        w.within("region_code", within);
        w.and("withdrawn = 0");
        let sql = format!(
            "SELECT {} FROM forest_area_current{} ORDER BY code",
            Forest::column_list(),
            w.sql()
        );
        w.query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Forest::from_row)
            .collect()
    }

    pub async fn forest(&self, code: &str) -> StoreResult<Option<Forest>> {
        let mut conn = self.pool.acquire().await?;
        Ok(current_where(&mut conn, "code", code.trim().to_string())
            .await?
            .into_iter()
            .next())
    }
}
