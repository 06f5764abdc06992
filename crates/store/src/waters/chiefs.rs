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
