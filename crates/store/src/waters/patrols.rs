//! Patrols (巡河 / 巡林) and the problems they find, required patrol frequencies, and what a
//! chief owes: the patrol table per chief and month, and the chiefs behind.
//!
//! A patrol is recorded against a chief post and the person who held it that day (refused if
//! nobody did), on one of the segments or forest areas the post answers for. Each problem
//! names its kind, what was seen and its photos (stored evidence files). A problem not solved
//! on the spot becomes a finding with source `patrol` in the same write, assigned (交办) to the
//! units the patrol names and citing the patrol in its source reference: from there it is rectified,
//! verified and closed, and escalated when overdue, like any other finding.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use ecoduty_domain::supervision::finding::Status;
use ecoduty_domain::supervision::{Severity, Source};
use ecoduty_domain::waters::frequency::{self, counts, Frequency, Period, PeriodCount};
use ecoduty_domain::waters::track::Track;
use ecoduty_domain::waters::{check_effort, ChiefLevel, PatrolTarget, ProblemKind};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::people::Person;
use crate::sql::Value;
use crate::supervision::evidence::require_stored;
use crate::supervision::findings::{insert_findings, Finding, NewFinding};
use crate::supervision::{
    json_text, parse_code, parse_day, parse_json, parse_key, stamp, EvidenceRef, Where,
};
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

use super::chiefs::{holder_on, Chief};
use super::{current_where, Forest, Segment};

/// A problem as recorded with its patrol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolProblem {
    pub kind: ProblemKind,
    pub text: String,
    pub photos: Vec<EvidenceRef>,
    /// 当场解决: solved on the spot, no finding.
    pub resolved_on_site: bool,
    /// The finding the problem became.
    pub finding_id: Option<i64>,
}

/// One version of a patrol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Patrol {
    pub id: i64,
    pub rev: i64,
    pub chief_id: i64,
    pub post_id: i64,
    /// Who held the chief post on the patrol's day.
    pub person_id: i64,
    pub region_code: RegionCode,
    pub target: PatrolTarget,
    pub on: NaiveDate,
    pub minutes: u32,
    pub metres: u32,
    /// GeoJSON LineString, as given.
    pub track: Option<String>,
    pub problems: Vec<PatrolProblem>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

fn parse_time(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("time {text:?}: {e}")))
}

fn count(row: &AnyRow, column: &str) -> StoreResult<u32> {
    let n: i64 = row.try_get(column)?;
    u32::try_from(n).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

impl Versioned for Patrol {
    const ENTITY: &'static str = "patrol";
    const IDENTITY: &'static str = "patrols";
    const VERSIONS: &'static str = "patrol_versions";
    const ID_COLUMN: &'static str = "patrol_id";
    const CURRENT: &'static str = "patrol_current";
    const COLUMNS: &'static [&'static str] = &[
        "patrol_id",
        "rev",
        "chief_id",
        "post_id",
        "person_id",
        "region_code",
        "target_kind",
        "target_code",
        "on_day",
        "minutes",
        "metres",
        "track",
        "problems",
        "recorded_by",
        "recorded_at",
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
        let (kind, code) = match &self.target {
            PatrolTarget::Segment(c) => ("segment", c.clone()),
            PatrolTarget::Forest(c) => ("forest", c.clone()),
        };
        vec![
            self.id.into(),
            self.rev.into(),
            self.chief_id.into(),
            self.post_id.into(),
            self.person_id.into(),
            self.region_code.to_string().into(),
            kind.into(),
            code.into(),
            self.on.to_string().into(),
            i64::from(self.minutes).into(),
            i64::from(self.metres).into(),
            Value::OptText(self.track.clone()),
            json_text(&self.problems).into(),
            self.recorded_by.clone().into(),
            stamp(self.recorded_at).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let kind: String = row.try_get("target_kind")?;
        let code: String = row.try_get("target_code")?;
        Ok(Patrol {
            id: row.try_get("patrol_id")?,
            rev: row.try_get("rev")?,
            chief_id: row.try_get("chief_id")?,
            post_id: row.try_get("post_id")?,
            person_id: row.try_get("person_id")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            target: match kind.as_str() {
                "segment" => PatrolTarget::Segment(code),
                "forest" => PatrolTarget::Forest(code),
                k => return Err(StoreError::Corrupt(format!("patrol target kind {k:?}"))),
            },
            on: parse_day(&row.try_get::<String, _>("on_day")?)?,
            minutes: count(row, "minutes")?,
            metres: count(row, "metres")?,
            track: row.try_get("track")?,
            problems: parse_json(&row.try_get::<String, _>("problems")?)?,
            recorded_by: row.try_get("recorded_by")?,
            recorded_at: parse_time(&row.try_get::<String, _>("recorded_at")?)?,
        })
    }
}

/// A region's own patrol frequency for a chief level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrequencySetting {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    #[serde(flatten)]
    pub frequency: Frequency,
}

impl Versioned for FrequencySetting {
    const ENTITY: &'static str = "patrol_frequency";
    const IDENTITY: &'static str = "patrol_frequencies";
    const VERSIONS: &'static str = "patrol_frequency_versions";
    const ID_COLUMN: &'static str = "frequency_id";
    const CURRENT: &'static str = "patrol_frequency_current";
    const COLUMNS: &'static [&'static str] = &[
        "frequency_id",
        "rev",
        "region_code",
        "level",
        "per",
        "times",
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
            self.frequency.level.key().into(),
            self.frequency.per.key().into(),
            i64::from(self.frequency.times).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(FrequencySetting {
            id: row.try_get("frequency_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            frequency: Frequency {
                level: parse_key::<ChiefLevel>(&row.try_get::<String, _>("level")?)?,
                per: parse_key::<Period>(&row.try_get::<String, _>("per")?)?,
                times: count(row, "times")?,
            },
        })
    }
}

/// A problem to record with a patrol.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProblem {
    pub kind: ProblemKind,
    pub text: String,
    #[serde(default)]
    pub photos: Vec<EvidenceRef>,
    #[serde(default)]
    pub resolved_on_site: bool,
    /// The units (organisations) the finding is assigned to; needed unless solved on the spot.
    #[serde(default)]
    pub units: Vec<i64>,
    #[serde(default = "general")]
    pub severity: Severity,
    /// The rectification deadline; by default [`DEFAULT_DAYS`] after the patrol.
    pub deadline: Option<NaiveDate>,
}

fn general() -> Severity {
    Severity::General
}

/// Days a patrol's finding has to be rectified unless the patrol says otherwise.
pub const DEFAULT_DAYS: i64 = 30;

/// A patrol to record.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPatrol {
    pub chief_id: i64,
    pub target: PatrolTarget,
    pub on: NaiveDate,
    pub minutes: u32,
    /// Length in metres; by default measured along the track (0 without one).
    pub metres: Option<u32>,
    pub track: Option<String>,
    #[serde(default)]
    pub problems: Vec<NewProblem>,
}

/// A patrol recorded, with the findings its problems became.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolRecorded {
    pub patrol: Patrol,
    pub findings: Vec<Finding>,
}

/// Which patrols to list.
#[derive(Debug, Clone, Default)]
pub struct PatrolFilter {
    pub within: Option<RegionCode>,
    pub chief_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A chief's patrols of a month against the frequency that applies.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatrolTable {
    pub chief: Chief,
    pub year: i32,
    pub month: u32,
    pub frequency: Frequency,
    /// Where the frequency is set: a region's code, or `None` for the default.
    pub set_by: Option<RegionCode>,
    pub periods: Vec<PeriodCount>,
    pub patrols: Vec<Patrol>,
}

/// A chief behind in a period that has ended.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Behind {
    pub chief: Chief,
    /// Who held the post on the period's last day.
    pub holder: Option<Person>,
    pub frequency: Frequency,
    pub period: PeriodCount,
}

/// The first and last day of a month.
pub fn month_bounds(year: i32, month: u32) -> StoreResult<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| StoreError::invalid("month", format!("no month {year}-{month:02}")))?;
    Ok(Period::Month.around(first)).map(|(a, b)| {
        debug_assert_eq!(a, first);
        (a, b)
    })
}

impl Store {
    /// Records a patrol and turns its unsolved problems into findings, all in one write.
    /// `now` bounds the patrol's date (no patrol after the day in China).
    pub async fn record_patrol(
        &self,
        change: &Change,
        new: NewPatrol,
        now: DateTime<Utc>,
    ) -> StoreResult<PatrolRecorded> {
        check_effort(new.minutes, new.metres.unwrap_or(0))
            .map_err(|(f, m)| StoreError::invalid(f, m))?;
        // The day in China (UTC+8), as the pages date a patrol and the scheduler counts it.
        if new.on > (now + Duration::hours(8)).date_naive() {
            return Err(StoreError::invalid(
                "on",
                format!("the patrol's date {} is in the future", new.on),
            ));
        }
        let track = match &new.track {
            Some(t) if !t.trim().is_empty() => {
                Some(Track::parse(t).map_err(|m| StoreError::invalid("track", m))?)
            }
            _ => None,
        };
        let metres = match (new.metres, &track) {
            (Some(m), _) => m,
            (None, Some(t)) => t.metres().round() as u32,
            (None, None) => 0,
        };
        check_effort(new.minutes, metres).map_err(|(f, m)| StoreError::invalid(f, m))?;
        let mut w = Writer::begin(self, change).await?;
        let chief: Chief = versioned::current_in(w.conn(), new.chief_id)
            .await?
            .ok_or_else(|| {
                StoreError::invalid("chief_id", format!("no chief post {}", new.chief_id))
            })?;
        if chief.retired {
            return Err(StoreError::invalid(
                "chief_id",
                format!("chief post {} is retired", chief.id),
            ));
        }
        let on_forest = matches!(new.target, PatrolTarget::Forest(_));
        if on_forest != chief.spec.kind.is_forest() {
            return Err(StoreError::invalid(
                "target",
                format!(
                    "a {} patrols {}",
                    chief.spec.kind.name_zh(),
                    if chief.spec.kind.is_forest() {
                        "forest areas"
                    } else {
                        "segments"
                    }
                ),
            ));
        }
        let code = new.target.code().trim().to_string();
        let region = if on_forest {
            let f: Option<Forest> = current_where(w.conn(), "code", code.clone())
                .await?
                .into_iter()
                .next();
            match f {
                Some(f) if !f.withdrawn => f.spec.region_code,
                _ => {
                    return Err(StoreError::invalid(
                        "target",
                        format!("no forest area {code} in force"),
                    ))
                }
            }
        } else {
            let s: Option<Segment> = current_where(w.conn(), "code", code.clone())
                .await?
                .into_iter()
                .next();
            match s {
                Some(s) if !s.withdrawn => s.spec.region_code,
                _ => {
                    return Err(StoreError::invalid(
                        "target",
                        format!("no segment {code} in force"),
                    ))
                }
            }
        };
        let named = chief
            .spec
            .segments
            .iter()
            .chain(&chief.spec.forests)
            .any(|c| *c == code);
        let answers = if chief.spec.kind.is_general() {
            region.is_within(&chief.spec.region_code)
        } else {
            named
        };
        if !answers {
            return Err(StoreError::invalid(
                "target",
                format!("chief post {} does not answer for {code}", chief.id),
            ));
        }
        let Some((_, person)) = holder_on(w.conn(), chief.spec.post_id, new.on).await? else {
            return Err(StoreError::invalid(
                "on",
                format!("nobody held chief post {} on {}", chief.id, new.on),
            ));
        };
        let id = versioned::next_id::<Patrol>(w.conn()).await?;
        let mut problems = Vec::new();
        let mut findings = Vec::new();
        for (i, p) in new.problems.iter().enumerate() {
            let field = |f: &str| format!("problems[{i}].{f}");
            if p.text.trim().is_empty() {
                return Err(StoreError::invalid(
                    field("text"),
                    "the problem is not described",
                ));
            }
            if p.kind.on_forest().is_some_and(|f| f != on_forest) {
                return Err(StoreError::invalid(
                    field("kind"),
                    format!("{} is not found on a patrol of {code}", p.kind.name_zh()),
                ));
            }
            require_stored(w.conn(), &p.photos)
                .await
                .map_err(|e| match e {
                    StoreError::Invalid { message, .. } => {
                        StoreError::invalid(field("photos"), message)
                    }
                    e => e,
                })?;
            if !p.resolved_on_site {
                if p.units.is_empty() {
                    return Err(StoreError::invalid(
                        field("units"),
                        "a problem not solved on the spot is assigned to one or more units",
                    ));
                }
                let deadline = p.deadline.unwrap_or(new.on + Duration::days(DEFAULT_DAYS));
                if deadline < new.on {
                    return Err(StoreError::invalid(
                        field("deadline"),
                        "the deadline is before the patrol",
                    ));
                }
                findings.push(NewFinding {
                    region_code: region.clone(),
                    source: Source::Patrol,
                    inspection_id: None,
                    complaint_id: None,
                    source_ref: format!("巡查#{id} {code} {}", new.on),
                    serial: String::new(),
                    category: p.kind.category(),
                    severity: p.severity,
                    text: format!("【{}】{}", p.kind.name_zh(), p.text.trim()),
                    measures: String::new(),
                    units: p.units.clone(),
                    // The chief reported the problem; the units answer for it (a finding's posts
                    // belong to its units). The patrol links the two.
                    posts: vec![],
                    deadline: Some(deadline),
                    review_every_days: None,
                });
            }
            problems.push(PatrolProblem {
                kind: p.kind,
                text: p.text.trim().to_string(),
                photos: p.photos.clone(),
                resolved_on_site: p.resolved_on_site,
                finding_id: None,
            });
        }
        let created = insert_findings(&mut w, findings, &change.actor, new.on)
            .await
            .map_err(|e| match e {
                StoreError::Invalid { field, message } => {
                    StoreError::invalid(format!("problems: {field}"), message)
                }
                e => e,
            })?;
        let mut it = created.iter();
        for p in problems.iter_mut().filter(|p| !p.resolved_on_site) {
            p.finding_id = it.next().map(|f| f.id);
        }
        let patrol = Patrol {
            id,
            rev: 1,
            chief_id: chief.id,
            post_id: chief.spec.post_id,
            person_id: person.id,
            region_code: region,
            target: match new.target {
                PatrolTarget::Segment(_) => PatrolTarget::Segment(code),
                PatrolTarget::Forest(_) => PatrolTarget::Forest(code),
            },
            on: new.on,
            minutes: new.minutes,
            metres,
            track: new.track.filter(|t| !t.trim().is_empty()),
            problems,
            recorded_by: change.actor.trim().to_string(),
            // Kept to the stored microsecond, so the ledger's copy reads back the same.
            recorded_at: parse_time(&stamp(now))?,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: patrol.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(PatrolRecorded {
            patrol,
            findings: created,
        })
    }

    pub async fn patrol(&self, id: i64) -> StoreResult<Option<Patrol>> {
        versioned::current(self, id).await
    }

    /// Patrols, newest first.
    pub async fn patrols(&self, filter: &PatrolFilter) -> StoreResult<Vec<Patrol>> {
        let mut w = Where::default();
        w.within("region_code", filter.within.as_ref());
        if let Some(c) = filter.chief_id {
            let p = w.bind(c);
            w.and(format!("chief_id = {p}"));
        }
        if let Some(d) = filter.from {
            let p = w.bind(d.to_string());
            w.and(format!("on_day >= {p}"));
        }
        if let Some(d) = filter.to {
            let p = w.bind(d.to_string());
            w.and(format!("on_day <= {p}"));
        }
        // The versions table (patrols are never revised yet): the index on (chief_id, on_day)
        // serves a chief's month directly.
        let sql = format!(
            "SELECT {} FROM patrol_current{} ORDER BY on_day DESC, patrol_id DESC",
            Patrol::column_list(),
            w.sql()
        );
        w.query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Patrol::from_row)
            .collect()
    }

    /// Sets a region's own frequency for chiefs of a level (a new version if one is set).
    pub async fn set_patrol_frequency(
        &self,
        change: &Change,
        region: &RegionCode,
        frequency: Frequency,
    ) -> StoreResult<FrequencySetting> {
        frequency::parse_times(&frequency.times.to_string())
            .map_err(|m| StoreError::invalid("times", m))?;
        self.require_region(region).await?;
        let mut w = Writer::begin(self, change).await?;
        let stored: Vec<FrequencySetting> =
            current_where(w.conn(), "region_code", region.to_string()).await?;
        let before = stored
            .into_iter()
            .find(|s| s.frequency.level == frequency.level);
        if let Some(b) = &before {
            if b.frequency == frequency {
                return Ok(b.clone());
            }
        }
        let record = FrequencySetting {
            id: match &before {
                Some(b) => b.id,
                None => versioned::next_id::<FrequencySetting>(w.conn()).await?,
            },
            rev: before.as_ref().map_or(1, |b| b.rev + 1),
            region_code: region.clone(),
            frequency,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: record.clone(),
                before: before.as_ref(),
                action: if before.is_some() { "update" } else { "create" },
            }],
        )
        .await?;
        w.commit().await?;
        Ok(record)
    }

    /// The frequency for chiefs of `level` in `region`: the nearest region's own setting up
    /// the tree, else the default; with where it is set (`None`: the default).
    pub async fn patrol_frequency(
        &self,
        region: &RegionCode,
        level: ChiefLevel,
    ) -> StoreResult<(Frequency, Option<RegionCode>)> {
        let mut at = Some(region.clone());
        while let Some(r) = at {
            let sql = format!(
                "SELECT {} FROM patrol_frequency_current WHERE region_code = $1 AND level = $2",
                FrequencySetting::column_list()
            );
            let row = sqlx::query(&sql)
                .bind(r.to_string())
                .bind(level.key())
                .fetch_optional(&self.pool)
                .await?;
            if let Some(row) = row {
                return Ok((FrequencySetting::from_row(&row)?.frequency, Some(r)));
            }
            at = r.parent();
        }
        let d = frequency::defaults()
            .into_iter()
            .find(|f| f.level == level)
            .ok_or_else(|| StoreError::Corrupt(format!("no default frequency for {level}")))?;
        Ok((d, None))
    }

    /// A chief's patrols of a month against the frequency that applies; the periods are those
    /// overlapping the month, counted over their whole length.
    pub async fn patrol_table(
        &self,
        chief_id: i64,
        year: i32,
        month: u32,
    ) -> StoreResult<PatrolTable> {
        let chief = self
            .chief(chief_id)
            .await?
            .ok_or_else(|| StoreError::not_found("chief post", chief_id))?;
        let (first, last) = month_bounds(year, month)?;
        let (frequency, set_by) = self
            .patrol_frequency(&chief.spec.region_code, chief.spec.level)
            .await?;
        let span = frequency.per.between(first, last);
        let (from, to) = (span[0].0, span[span.len() - 1].1);
        let all = self
            .patrols(&PatrolFilter {
                chief_id: Some(chief_id),
                from: Some(from),
                to: Some(to),
                ..Default::default()
            })
            .await?;
        let days: Vec<NaiveDate> = all.iter().map(|p| p.on).collect();
        let periods = counts(&frequency, &days, first, last);
        let patrols = all
            .into_iter()
            .filter(|p| p.on >= first && p.on <= last)
            .collect();
        Ok(PatrolTable {
            chief,
            year,
            month,
            frequency,
            set_by,
            periods,
            patrols,
        })
    }

    /// The chiefs in force within a region who fell behind in the last period of their
    /// frequency that ended before `day` (a post nobody held on its last day is left out: no
    /// one to tell).
    pub async fn chiefs_behind(
        &self,
        within: Option<&RegionCode>,
        day: NaiveDate,
    ) -> StoreResult<Vec<Behind>> {
        let chiefs = self
            .chiefs(&super::chiefs::ChiefFilter {
                within: within.cloned(),
                ..Default::default()
            })
            .await?;
        let mut out = Vec::new();
        let mut conn = self.pool.acquire().await?;
        for chief in chiefs {
            let (frequency, _) = self
                .patrol_frequency(&chief.spec.region_code, chief.spec.level)
                .await?;
            let (start, _) = frequency.per.around(day);
            let (from, to) = frequency.per.around(start - Duration::days(1));
            let Some((_, holder)) = holder_on(&mut conn, chief.spec.post_id, to).await? else {
                continue;
            };
            let days: Vec<NaiveDate> = sqlx::query(
                "SELECT on_day FROM patrol_current WHERE chief_id = $1 AND on_day >= $2 AND on_day <= $3",
            )
            .bind(chief.id)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| parse_day(&r.try_get::<String, _>(0)?))
            .collect::<StoreResult<_>>()?;
            let period = counts(&frequency, &days, from, to).remove(0);
            if period.behind() {
                out.push(Behind {
                    chief,
                    holder: Some(holder),
                    frequency,
                    period,
                });
            }
        }
        Ok(out)
    }

    /// The findings a chief's patrols raised that are still open, oldest first.
    pub async fn chief_open_problems(&self, chief_id: i64) -> StoreResult<Vec<Finding>> {
        let patrols = self
            .patrols(&PatrolFilter {
                chief_id: Some(chief_id),
                ..Default::default()
            })
            .await?;
        // Collected before the awaits below, so the future stays `Send` for any lifetime.
        let ids: Vec<i64> = patrols
            .iter()
            .flat_map(|p| p.problems.iter().filter_map(|q| q.finding_id))
            .collect();
        let mut out = Vec::new();
        for id in ids {
            if let Some(f) = self.finding(id).await? {
                if f.status != Status::Closed {
                    out.push(f);
                }
            }
        }
        out.sort_by_key(|f| f.id);
        Ok(out)
    }
}

/// Month numbers as the year and month of a day.
pub fn month_of(day: NaiveDate) -> (i32, u32) {
    (day.year(), day.month())
}
