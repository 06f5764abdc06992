//! Chief posts (总河长 / 河长 / 湖长 / 总林长 / 林长): an ordinary post, in an organisation of the
//! chief's region, held through ordinary tenures, tied to the segments or forest areas it
//! answers for (a general chief to every one of its region). Who was chief on a date is the
//! post's tenure on that date; a chief's duties are local duties marked with the chief kind,
//! which join the post's responsibility list (see [`crate::duties`]).

use chrono::NaiveDate;
use ecoduty_domain::waters::{ChiefKind, ChiefLevel, ChiefSpec};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::people::Person;
use crate::posts::Post;
use crate::sql::Value;
use crate::supervision::{json_text, parse_code, parse_json, parse_key, Where};
use crate::tenures::{tenures_of_post_in, Tenure};
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

use super::{Forest, Segment};

/// One version of a chief post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chief {
    pub id: i64,
    pub rev: i64,
    #[serde(flatten)]
    pub spec: ChiefSpec,
    pub retired: bool,
}

impl Versioned for Chief {
    const ENTITY: &'static str = "chief_post";
    const IDENTITY: &'static str = "chief_posts";
    const VERSIONS: &'static str = "chief_post_versions";
    const ID_COLUMN: &'static str = "chief_id";
    const CURRENT: &'static str = "chief_post_current";
    const COLUMNS: &'static [&'static str] = &[
        "chief_id",
        "rev",
        "post_id",
        "kind",
        "level",
        "region_code",
        "segments",
        "forests",
        "retired",
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
            s.post_id.into(),
            s.kind.key().into(),
            s.level.key().into(),
            s.region_code.to_string().into(),
            json_text(&s.segments).into(),
            json_text(&s.forests).into(),
            self.retired.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Chief {
            id: row.try_get("chief_id")?,
            rev: row.try_get("rev")?,
            spec: ChiefSpec {
                post_id: row.try_get("post_id")?,
                kind: parse_key::<ChiefKind>(&row.try_get::<String, _>("kind")?)?,
                level: parse_key::<ChiefLevel>(&row.try_get::<String, _>("level")?)?,
                region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
                segments: parse_json(&row.try_get::<String, _>("segments")?)?,
                forests: parse_json(&row.try_get::<String, _>("forests")?)?,
            },
            retired: flag(row, "retired")?,
        })
    }
}

/// A chief post with its post and whoever held it on the day asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChiefHolding {
    pub chief: Chief,
    pub post: Post,
    pub organisation: Organisation,
    pub on: NaiveDate,
    pub holder: Option<Person>,
    pub tenure: Option<Tenure>,
}

/// Changes to a chief post; `None` keeps a field.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChiefPatch {
    pub segments: Option<Vec<String>>,
    pub forests: Option<Vec<String>>,
    pub retired: Option<bool>,
}

/// Which chief posts to list.
#[derive(Debug, Clone, Default)]
pub struct ChiefFilter {
    pub within: Option<RegionCode>,
    pub kind: Option<ChiefKind>,
    pub level: Option<ChiefLevel>,
    /// Retired posts too.
    pub retired: bool,
}

/// Checks a chief post against the stored records, under the write lock: the post exists, is
/// in force and sits in the chief's region; every segment or forest area named is in force
/// and within that region.
async fn check(w: &mut Writer, spec: &ChiefSpec) -> StoreResult<()> {
    spec.validate()
        .map_err(|(f, m)| StoreError::invalid(f, m))?;
    let post: Post = versioned::current_in(w.conn(), spec.post_id)
        .await?
        .ok_or_else(|| StoreError::invalid("post_id", format!("no post {}", spec.post_id)))?;
    if post.retired {
        return Err(StoreError::invalid(
            "post_id",
            format!("post {} ({}) is retired", post.id, post.title),
        ));
    }
    let org: Organisation = versioned::current_in(w.conn(), post.organisation_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("post {} without organisation", post.id)))?;
    if org.region_code != spec.region_code {
        return Err(StoreError::invalid(
            "region_code",
            format!(
                "post {} ({}) belongs to {} ({}), not to region {}",
                post.id, post.title, org.name, org.region_code, spec.region_code
            ),
        ));
    }
    for (i, code) in spec.segments.iter().enumerate() {
        let found: Option<Segment> =
            super::current_where::<Segment>(w.conn(), "code", code.trim().to_string())
                .await?
                .into_iter()
                .next();
        match found {
            Some(s) if !s.withdrawn && s.spec.region_code.is_within(&spec.region_code) => {}
            Some(s) if !s.withdrawn => {
                return Err(StoreError::invalid(
                    format!("segments[{i}]"),
                    format!(
                        "segment {code} lies in {}, outside the chief's region {}",
                        s.spec.region_code, spec.region_code
                    ),
                ))
            }
            _ => {
                return Err(StoreError::invalid(
                    format!("segments[{i}]"),
                    format!("no segment {code} in force"),
                ))
            }
        }
    }
    for (i, code) in spec.forests.iter().enumerate() {
        let found: Option<Forest> =
            super::current_where::<Forest>(w.conn(), "code", code.trim().to_string())
                .await?
                .into_iter()
                .next();
        match found {
            Some(f) if !f.withdrawn && f.spec.region_code.is_within(&spec.region_code) => {}
            _ => {
                return Err(StoreError::invalid(
                    format!("forests[{i}]"),
                    format!("no forest area {code} in force within {}", spec.region_code),
                ))
            }
        }
    }
    Ok(())
}

/// The tenure of a post holding `day`, and its holder.
pub(crate) async fn holder_on(
    conn: &mut sqlx::AnyConnection,
    post_id: i64,
    day: NaiveDate,
) -> StoreResult<Option<(Tenure, Person)>> {
    for t in tenures_of_post_in(conn, post_id).await? {
        if t.range().contains(day) {
            let p: Person = versioned::current_in(conn, t.person_id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("tenure {} without person", t.id)))?;
            return Ok(Some((t, p)));
        }
    }
    Ok(None)
}

impl Store {
    /// Makes a post a chief post. A post is one chief post at most.
    pub async fn add_chief(&self, change: &Change, spec: ChiefSpec) -> StoreResult<Chief> {
        let spec = ChiefSpec {
            segments: spec.segments.iter().map(|s| s.trim().to_string()).collect(),
            forests: spec.forests.iter().map(|s| s.trim().to_string()).collect(),
            ..spec
        };
        let mut w = Writer::begin(self, change).await?;
        check(&mut w, &spec).await?;
        let taken: Vec<Chief> = super::current_where(w.conn(), "post_id", spec.post_id).await?;
        if let Some(c) = taken.first() {
            return Err(StoreError::invalid(
                "post_id",
                format!("post {} is already chief post #{}", spec.post_id, c.id),
            ));
        }
        let chief = Chief {
            id: versioned::next_id::<Chief>(w.conn()).await?,
            rev: 1,
            spec,
            retired: false,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: chief.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(chief)
    }

    /// Changes what a chief post answers for, or retires it, by appending a version (an
    /// unchanged patch writes nothing).
    pub async fn revise_chief(
        &self,
        change: &Change,
        id: i64,
        patch: ChiefPatch,
    ) -> StoreResult<Chief> {
        let mut w = Writer::begin(self, change).await?;
        let before: Chief = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("chief post", id))?;
        let trim = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_string()).collect();
        let after = Chief {
            rev: before.rev + 1,
            spec: ChiefSpec {
                segments: patch
                    .segments
                    .map(trim)
                    .unwrap_or_else(|| before.spec.segments.clone()),
                forests: patch
                    .forests
                    .map(trim)
                    .unwrap_or_else(|| before.spec.forests.clone()),
                ..before.spec.clone()
            },
            retired: patch.retired.unwrap_or(before.retired),
            id,
        };
        if after.spec == before.spec && after.retired == before.retired {
            return Ok(before);
        }
        if !after.retired {
            check(&mut w, &after.spec).await?;
        }
        let action = if after.retired && !before.retired {
            "retire"
        } else {
            "update"
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action,
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    pub async fn chief(&self, id: i64) -> StoreResult<Option<Chief>> {
        versioned::current(self, id).await
    }

    pub async fn chief_history(&self, id: i64) -> StoreResult<Vec<Chief>> {
        versioned::history(self, id).await
    }

    /// The chief post a post is, if any.
    pub async fn chief_of_post(&self, post_id: i64) -> StoreResult<Option<Chief>> {
        let mut conn = self.pool.acquire().await?;
        Ok(super::current_where(&mut conn, "post_id", post_id)
            .await?
            .into_iter()
            .next())
    }

    /// Chief posts by region, level order, then id.
    pub async fn chiefs(&self, filter: &ChiefFilter) -> StoreResult<Vec<Chief>> {
        let mut w = Where::default();
        w.within("region_code", filter.within.as_ref());
        if let Some(k) = filter.kind {
            let p = w.bind(k.key());
            w.and(format!("kind = {p}"));
        }
        if let Some(l) = filter.level {
            let p = w.bind(l.key());
            w.and(format!("level = {p}"));
        }
        if !filter.retired {
            w.and("retired = 0");
        }
        let sql = format!(
            "SELECT {} FROM chief_post_current{} ORDER BY region_code, chief_id",
            Chief::column_list(),
            w.sql()
        );
        let mut out: Vec<Chief> = w
            .query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Chief::from_row)
            .collect::<StoreResult<_>>()?;
        out.sort_by_key(|c| (c.spec.level, c.spec.region_code.clone(), c.id));
        Ok(out)
    }

    /// The chief posts in force answering for a segment: those naming it, and the general
    /// river chiefs of its region and the regions above, highest level first.
    pub async fn chiefs_of_segment(&self, segment: &Segment) -> StoreResult<Vec<Chief>> {
        self.chiefs_answering(&segment.spec.code, &segment.spec.region_code, false)
            .await
    }

    /// The chief posts in force answering for a forest area.
    pub async fn chiefs_of_forest(&self, forest: &Forest) -> StoreResult<Vec<Chief>> {
        self.chiefs_answering(&forest.spec.code, &forest.spec.region_code, true)
            .await
    }

    async fn chiefs_answering(
        &self,
        code: &str,
        region: &RegionCode,
        forest: bool,
    ) -> StoreResult<Vec<Chief>> {
        let mut regions = vec![region.clone()];
        let mut up = region.parent();
        while let Some(p) = up {
            up = p.parent();
            regions.push(p);
        }
        let column = if forest { "forests" } else { "segments" };
        let general = if forest {
            ChiefKind::GeneralForest
        } else {
            ChiefKind::GeneralRiver
        };
        let mut w = Where::default();
        let like = w.bind(format!("%{}%", json_text(&code)));
        let g = w.bind(general.key());
        let list: Vec<String> = regions.iter().map(|r| w.bind(r.to_string())).collect();
        w.and("retired = 0");
        w.and(format!(
            "({column} LIKE {like} OR kind = {g}) AND region_code IN ({})",
            list.join(", ")
        ));
        let sql = format!(
            "SELECT {} FROM chief_post_current{}",
            Chief::column_list(),
            w.sql()
        );
        let mut out: Vec<Chief> = w
            .query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Chief::from_row)
            .collect::<StoreResult<Vec<Chief>>>()?
            .into_iter()
            .filter(|c| {
                c.spec.kind.is_general()
                    || c.spec
                        .segments
                        .iter()
                        .chain(&c.spec.forests)
                        .any(|s| s == code)
            })
            .collect();
        out.sort_by_key(|c| (c.spec.level, c.id));
        Ok(out)
    }

    /// The chief posts within a region (or at it) answering for a segment in force there one
    /// of whose sections the water module monitors in the region — those who answer for the
    /// region's water indicators besides its leaders — with their holders on `day`, by level.
    pub async fn chiefs_of_monitored_segments(
        &self,
        region: &RegionCode,
        day: NaiveDate,
    ) -> StoreResult<Vec<ChiefHolding>> {
        let monitored: std::collections::HashSet<String> = self
            .water_sections(Some(region))
            .await?
            .into_iter()
            .map(|s| s.section.name)
            .collect();
        let mut seen = std::collections::HashSet::new();
        let mut chiefs = Vec::new();
        for segment in self.segments(Some(region)).await? {
            if !segment.spec.sections.iter().any(|n| monitored.contains(n)) {
                continue;
            }
            for c in self.chiefs_of_segment(&segment).await? {
                if c.spec.region_code.is_within(region) && seen.insert(c.id) {
                    chiefs.push(c);
                }
            }
        }
        chiefs.sort_by_key(|c| (c.spec.level, c.spec.region_code.clone(), c.id));
        let mut out = Vec::new();
        for c in chiefs {
            out.push(self.chief_holding(c, day).await?);
        }
        Ok(out)
    }

    /// A chief post with its post, organisation and holder on `day`.
    pub async fn chief_holding(&self, chief: Chief, day: NaiveDate) -> StoreResult<ChiefHolding> {
        let mut conn = self.pool.acquire().await?;
        let post: Post = versioned::current_in(&mut conn, chief.spec.post_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("chief {} without post", chief.id)))?;
        let organisation: Organisation = versioned::current_in(&mut conn, post.organisation_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("post {} without organisation", post.id)))?;
        let held = holder_on(&mut conn, post.id, day).await?;
        let (tenure, holder) = match held {
            Some((t, p)) => (Some(t), Some(p)),
            None => (None, None),
        };
        Ok(ChiefHolding {
            chief,
            post,
            organisation,
            on: day,
            holder,
            tenure,
        })
    }
}

/// What a 河长名录 import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChiefSheetImport {
    /// Rows read.
    pub rows: usize,
    /// Chief posts made.
    pub created: usize,
    /// Chief posts given a new version (their segments changed, or they were retired).
    pub revised: usize,
    pub unchanged: usize,
}

fn row_error(line: usize, field: &str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        field: field.to_string(),
        message: message.into(),
    }
}

use ecoduty_domain::roster::{RosterErrors, RowError};
use ecoduty_domain::waters::sheet::ChiefRow;

impl Store {
    /// Imports the 河长名录, all or nothing: each row names a post of its region by title,
    /// held by the person named (by 人员编码, else by name) through a tenure with the dates
    /// given — the roster keeps tenures, so a row that does not match one is refused — and the
    /// segment the post answers for (none: the region's 总河长; a lake's segment: 湖长). Rows of
    /// one post make one chief post answering for all their segments: created, revised (a new
    /// version) or left unchanged. Every problem is reported with its line and column, and
    /// nothing is written unless every row is right; regions outside `scope` are refused.
    pub async fn import_chief_sheet(
        &self,
        change: &Change,
        scope: Option<&RegionCode>,
        rows: &[ChiefRow],
    ) -> StoreResult<ChiefSheetImport> {
        use std::collections::BTreeMap;
        let mut errors: Vec<RowError> = Vec::new();
        // post id → (kind, level, region, segments, first line)
        let mut posts: BTreeMap<i64, (ChiefKind, ChiefLevel, RegionCode, Vec<String>, usize)> =
            BTreeMap::new();
        let mut conn = self.pool.acquire().await?;
        for r in rows {
            let line = r.line;
            if scope.is_some_and(|s| !r.region_code.is_within(s)) {
                errors.push(row_error(
                    line,
                    "行政区划代码",
                    format!("{} 不在您的辖区内", r.region_code),
                ));
                continue;
            }
            if self.region(&r.region_code).await?.is_none() {
                errors.push(row_error(
                    line,
                    "行政区划代码",
                    format!("{} 不是已登记的行政区划", r.region_code),
                ));
                continue;
            }
            let kind = match &r.segment {
                None => ChiefKind::GeneralRiver,
                Some(code) => {
                    let s: Option<Segment> = super::current_where(&mut conn, "code", code.clone())
                        .await?
                        .into_iter()
                        .next();
                    let Some(s) = s.filter(|s| !s.withdrawn) else {
                        errors.push(row_error(
                            line,
                            "河段编码",
                            format!("没有在用的河段 {code}"),
                        ));
                        continue;
                    };
                    if !s.spec.region_code.is_within(&r.region_code) {
                        errors.push(row_error(
                            line,
                            "河段编码",
                            format!(
                                "河段 {code} 位于 {},不在 {} 内",
                                s.spec.region_code, r.region_code
                            ),
                        ));
                        continue;
                    }
                    let water: super::Water = versioned::current_in(&mut conn, s.water_id)
                        .await?
                        .ok_or_else(|| {
                        StoreError::Corrupt(format!("segment {code} without water"))
                    })?;
                    if let Some(name) = &r.water {
                        if *name != water.name {
                            errors.push(row_error(
                                line,
                                "河湖",
                                format!("河段 {code} 属于「{}」,不是「{name}」", water.name),
                            ));
                            continue;
                        }
                    }
                    match water.kind {
                        ecoduty_domain::waters::WaterKind::River => ChiefKind::River,
                        _ => ChiefKind::Lake,
                    }
                }
            };
            // The post, by its title among the posts of the region's organisations.
            let mut found: Vec<Post> = Vec::new();
            for org in self.organisations_in(&r.region_code, false).await? {
                if org.region_code != r.region_code {
                    continue;
                }
                for p in self.posts_of(org.id, false).await? {
                    if p.title == r.post {
                        found.push(p);
                    }
                }
            }
            let post = match found.len() {
                1 => found.remove(0),
                0 => {
                    errors.push(row_error(
                        line,
                        "职务",
                        format!("{} 没有职务「{}」(先导入任职名册)", r.region_code, r.post),
                    ));
                    continue;
                }
                n => {
                    errors.push(row_error(
                        line,
                        "职务",
                        format!("{} 有 {n} 个职务名为「{}」,无法确定", r.region_code, r.post),
                    ));
                    continue;
                }
            };
            // The tenure of the person named, with the dates given.
            let mut matched = false;
            for t in tenures_of_post_in(&mut conn, post.id).await? {
                if t.retracted || t.start_date != r.start || t.end_date != r.end {
                    continue;
                }
                let p: Person = versioned::current_in(&mut conn, t.person_id)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!("tenure {} without person", t.id))
                    })?;
                let same = match &r.person_key {
                    Some(k) => p.key.eq_ignore_ascii_case(k),
                    None => p.name == r.name,
                };
                if same && p.name == r.name {
                    matched = true;
                    break;
                }
            }
            if !matched {
                errors.push(row_error(
                    line,
                    "姓名",
                    format!(
                        "任职名册中没有 {} 自 {} 至 {} 任「{}」的记录",
                        r.name,
                        r.start,
                        r.end.map_or("今".to_string(), |d| d.to_string()),
                        r.post
                    ),
                ));
                continue;
            }
            let entry = posts
                .entry(post.id)
                .or_insert_with(|| (kind, r.level, r.region_code.clone(), Vec::new(), line));
            let (k, l, region, segments, first) = entry;
            let general = |k: ChiefKind| k.is_general();
            if general(*k) != general(kind) || *l != r.level || *region != r.region_code {
                errors.push(row_error(
                    line,
                    "河段编码",
                    format!("与第 {first} 行的同一职务不一致(层级、区划或是否为总河长不同)"),
                ));
                continue;
            }
            if kind != ChiefKind::GeneralRiver && *k != kind {
                errors.push(row_error(
                    line,
                    "河段编码",
                    format!("同一职务不能既是河长又是湖长(见第 {first} 行)"),
                ));
                continue;
            }
            if let Some(code) = &r.segment {
                if !segments.contains(code) {
                    segments.push(code.clone());
                }
            }
        }
        drop(conn);
        if !errors.is_empty() {
            return Err(StoreError::Roster(RosterErrors(errors)));
        }
        let mut report = ChiefSheetImport {
            rows: rows.len(),
            ..Default::default()
        };
        let mut w = Writer::begin(self, change).await?;
        let mut next = versioned::next_id::<Chief>(w.conn()).await?;
        let mut versions: Vec<(Chief, Option<Chief>)> = Vec::new();
        for (post_id, (kind, level, region_code, segments, line)) in posts {
            let spec = ChiefSpec {
                post_id,
                kind,
                level,
                region_code,
                segments,
                forests: vec![],
            };
            check(&mut w, &spec).await.map_err(|e| match e {
                StoreError::Invalid { field, message } => {
                    StoreError::Roster(RosterErrors(vec![row_error(line, &field, message)]))
                }
                e => e,
            })?;
            let stored: Option<Chief> = super::current_where(w.conn(), "post_id", post_id)
                .await?
                .into_iter()
                .next();
            match stored {
                Some(b) if b.spec == spec && !b.retired => report.unchanged += 1,
                Some(b) => {
                    if b.spec.kind != spec.kind || b.spec.level != spec.level {
                        return Err(StoreError::Roster(RosterErrors(vec![row_error(
                            line,
                            "层级",
                            format!(
                                "职务已是{}{}(#{}),不能改为{}{}",
                                b.spec.level.name_zh(),
                                b.spec.kind.name_zh(),
                                b.id,
                                spec.level.name_zh(),
                                spec.kind.name_zh()
                            ),
                        )])));
                    }
                    report.revised += 1;
                    versions.push((
                        Chief {
                            id: b.id,
                            rev: b.rev + 1,
                            spec,
                            retired: false,
                        },
                        Some(b),
                    ));
                }
                None => {
                    report.created += 1;
                    versions.push((
                        Chief {
                            id: next,
                            rev: 1,
                            spec,
                            retired: false,
                        },
                        None,
                    ));
                    next += 1;
                }
            }
        }
        versioned::write(
            &mut w,
            versions
                .iter()
                .map(|(record, before)| Version {
                    record: record.clone(),
                    before: before.as_ref(),
                    action: if before.is_some() { "update" } else { "create" },
                })
                .collect(),
        )
        .await?;
        w.commit().await?;
        Ok(report)
    }

    /// The 河长名录 of a region: one row per river or lake chief post in force within it, per
    /// segment it names (none for a 总河长) and per tenure of its post (retracted ones left
    /// out), by level, region and post — the rows [`Store::import_chief_sheet`] reads back.
    pub async fn chief_sheet(&self, within: Option<&RegionCode>) -> StoreResult<Vec<ChiefRow>> {
        let chiefs = self
            .chiefs(&ChiefFilter {
                within: within.cloned(),
                ..Default::default()
            })
            .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::new();
        for c in chiefs.into_iter().filter(|c| !c.spec.kind.is_forest()) {
            let post: Post = versioned::current_in(&mut conn, c.spec.post_id)
                .await?
                .ok_or_else(|| StoreError::Corrupt(format!("chief {} without post", c.id)))?;
            let mut targets: Vec<(Option<String>, Option<String>)> = Vec::new();
            if c.spec.segments.is_empty() {
                targets.push((None, None));
            }
            for code in &c.spec.segments {
                let s: Option<Segment> = super::current_where(&mut conn, "code", code.clone())
                    .await?
                    .into_iter()
                    .next();
                let water = match s {
                    Some(s) => versioned::current_in::<super::Water>(&mut conn, s.water_id)
                        .await?
                        .map(|w| w.name),
                    None => None,
                };
                targets.push((water, Some(code.clone())));
            }
            for t in tenures_of_post_in(&mut conn, post.id).await? {
                if t.retracted {
                    continue;
                }
                let p: Person = versioned::current_in(&mut conn, t.person_id)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!("tenure {} without person", t.id))
                    })?;
                for (water, segment) in &targets {
                    out.push(ChiefRow {
                        line: out.len() + 2,
                        level: c.spec.level,
                        region_code: c.spec.region_code.clone(),
                        water: water.clone(),
                        segment: segment.clone(),
                        post: post.title.clone(),
                        name: p.name.clone(),
                        person_key: Some(p.key.clone()).filter(|k| !k.is_empty()),
                        start: t.start_date,
                        end: t.end_date,
                    });
                }
            }
        }
        Ok(out)
    }
}
