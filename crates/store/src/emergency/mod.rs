//! Environmental emergencies (突发生态环境事件, Arts. 7(6), 8(6)) in the store.
//!
//! - here: events and their timeline. Registering an event writes its first report (初报) and
//!   the notices of its notification chain in one transaction; every later update (续报,
//!   measures, monitoring, a regrade, the end of the response, closure with the investigation
//!   and assessment report) is a record of its own, and moves the event's state by the rules of
//!   `ecoduty_domain::emergency`. A regrade to a graver level extends the chain.
//! - [`chain`]: who is told (the holders, at the time, of the chain's posts), the notices with
//!   their deadlines, acknowledgements, and the scheduler's escalation of late ones.
//! - [`risk`]: risk sources (imported from sheets) and risk reports (routed like warnings).
//!
//! Events feed the yearly assessment (the `emergency` rule reads them as facts).

pub mod chain;
pub mod risk;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ecoduty_domain::emergency::{next_status, EventKind, Level, Status, UpdateKind};
use ecoduty_domain::supervision::Reason;
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::evidence::require_stored;
use crate::supervision::{json_text, parse_code, parse_json, parse_key, stamp, EvidenceRef};
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

pub use chain::{ChainEntry, Notice, NoticeView};
pub use risk::{RiskReport, RiskSource};

/// One version of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Emergency {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub title: String,
    /// Where it happened (事发地点).
    pub place: String,
    pub kind: EventKind,
    /// The pollutants involved (特征污染物).
    pub pollutants: Vec<String>,
    pub level: Level,
    pub occurred_at: DateTime<Utc>,
    /// When it was first reported (the chain's deadlines run from here).
    pub reported_at: DateTime<Utc>,
    pub risk_source_id: Option<i64>,
    pub status: Status,
    pub reported_by: String,
}

impl Emergency {
    /// The day it happened, in China (UTC+8).
    pub fn occurred_on(&self) -> NaiveDate {
        china_day(self.occurred_at)
    }
}

/// The day in China (UTC+8, one time zone for the whole country) of a moment.
pub fn china_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// A moment as people in China write it: `2026-07-09 14:30` (UTC+8).
pub fn china_time(at: DateTime<Utc>) -> String {
    (at + Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Reads a moment as forms and files give it: RFC 3339 with its offset, or a local time in
/// China (`2026-07-09 14:30`, `2026-07-09T14:30`, seconds optional).
pub fn parse_china_time(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(local) = chrono::NaiveDateTime::parse_from_str(t, format) {
            return Ok(local.and_utc() - Duration::hours(8));
        }
    }
    Err(format!(
        "{t:?} is not a time: write 2026-07-09 14:30 (China time) or RFC 3339"
    ))
}

/// A time as it is stored (to the microsecond): what the ledger records must be what a read
/// gives back, or the record would not verify.
pub(crate) fn stored_precision(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(6)
}

fn parse_stamp(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("time {text:?}: {e}")))
}

fn parse_opt_stamp(text: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    text.as_deref().map(parse_stamp).transpose()
}

impl Versioned for Emergency {
    const ENTITY: &'static str = "emergency";
    const IDENTITY: &'static str = "emergencies";
    const VERSIONS: &'static str = "emergency_versions";
    const ID_COLUMN: &'static str = "emergency_id";
    const CURRENT: &'static str = "emergency_current";
    const COLUMNS: &'static [&'static str] = &[
        "emergency_id",
        "rev",
        "region_code",
        "title",
        "place",
        "kind",
        "pollutants",
        "level",
        "occurred_at",
        "reported_at",
        "risk_source_id",
        "status",
        "reported_by",
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
            self.title.clone().into(),
            self.place.clone().into(),
            self.kind.key().into(),
            json_text(&self.pollutants).into(),
            self.level.key().into(),
            stamp(self.occurred_at).into(),
            stamp(self.reported_at).into(),
            self.risk_source_id.into(),
            self.status.key().into(),
            self.reported_by.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Emergency {
            id: row.try_get("emergency_id")?,
            rev: row.try_get("rev")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            title: row.try_get("title")?,
            place: row.try_get("place")?,
            kind: parse_key(&row.try_get::<String, _>("kind")?)?,
            pollutants: parse_json(&row.try_get::<String, _>("pollutants")?)?,
            level: parse_key(&row.try_get::<String, _>("level")?)?,
            occurred_at: parse_stamp(&row.try_get::<String, _>("occurred_at")?)?,
            reported_at: parse_stamp(&row.try_get::<String, _>("reported_at")?)?,
            risk_source_id: row.try_get("risk_source_id")?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            reported_by: row.try_get("reported_by")?,
        })
    }
}

/// One update of an event's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Update {
    pub id: i64,
    pub rev: i64,
    pub emergency_id: i64,
    pub kind: UpdateKind,
    pub at: DateTime<Utc>,
    pub text: String,
    /// For a regrade: the grade from then on.
    pub new_level: Option<Level>,
    pub evidence: Vec<EvidenceRef>,
    pub recorded_by: String,
}

impl Versioned for Update {
    const ENTITY: &'static str = "emergency_update";
    const IDENTITY: &'static str = "emergency_updates";
    const VERSIONS: &'static str = "emergency_update_versions";
    const ID_COLUMN: &'static str = "update_id";
    const CURRENT: &'static str = "emergency_update_current";
    const COLUMNS: &'static [&'static str] = &[
        "update_id",
        "rev",
        "emergency_id",
        "kind",
        "at",
        "text",
        "new_level",
        "evidence",
        "recorded_by",
    ];

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
            self.emergency_id.into(),
            self.kind.key().into(),
            stamp(self.at).into(),
            self.text.clone().into(),
            self.new_level.map(|l| l.key().to_string()).into(),
            json_text(&self.evidence).into(),
            self.recorded_by.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Update {
            id: row.try_get("update_id")?,
            rev: row.try_get("rev")?,
            emergency_id: row.try_get("emergency_id")?,
            kind: parse_key(&row.try_get::<String, _>("kind")?)?,
            at: parse_stamp(&row.try_get::<String, _>("at")?)?,
            text: row.try_get("text")?,
            new_level: row
                .try_get::<Option<String>, _>("new_level")?
                .as_deref()
                .map(parse_key)
                .transpose()?,
            evidence: parse_json(&row.try_get::<String, _>("evidence")?)?,
            recorded_by: row.try_get("recorded_by")?,
        })
    }
}

/// An event to register, with its first report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewEmergency {
    pub region_code: RegionCode,
    pub title: String,
    pub place: String,
    pub kind: EventKind,
    pub pollutants: Vec<String>,
    pub level: Level,
    pub occurred_at: DateTime<Utc>,
    pub reported_at: DateTime<Utc>,
    pub risk_source_id: Option<i64>,
    /// The first report (初报): what happened, what is known.
    pub report: String,
    pub evidence: Vec<EvidenceRef>,
}

/// An update to add.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewUpdate {
    pub kind: UpdateKind,
    pub at: DateTime<Utc>,
    pub text: String,
    pub new_level: Option<Level>,
    pub evidence: Vec<EvidenceRef>,
}

/// An event with its timeline and its chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmergencyDetail {
    pub emergency: Emergency,
    /// Oldest first.
    pub updates: Vec<Update>,
    /// Nearest region first.
    pub notices: Vec<NoticeView>,
    pub risk_source: Option<RiskSource>,
}

/// Filters of a list of events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmergencyFilter {
    pub within: Option<RegionCode>,
    pub year: Option<i32>,
    pub status: Option<Status>,
    pub level: Option<Level>,
}

fn reason_refused(field: &str, r: Reason) -> StoreError {
    StoreError::refused(field, r)
}

async fn event_in(conn: &mut sqlx::AnyConnection, id: i64) -> StoreResult<Emergency> {
    versioned::current_in(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found("emergency", id))
}

/// The longest text kept of an update or a report; longer ones go in attached files.
pub const MAX_TEXT: usize = 20_000;

fn check_text(field: &str, text: &str, what: &str) -> StoreResult<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(StoreError::invalid(field, format!("{what} is empty")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(StoreError::invalid(
            field,
            format!("{what} is longer than {MAX_TEXT} characters: attach it as a file"),
        ));
    }
    Ok(t.to_string())
}

impl Store {
    /// Registers an event with its first report, and tells its chain: the notices (ledgered)
    /// in the same transaction, then the notifications and the outbox.
    pub async fn report_emergency(
        &self,
        change: &Change,
        new: NewEmergency,
    ) -> StoreResult<EmergencyDetail> {
        let new = NewEmergency {
            occurred_at: stored_precision(new.occurred_at),
            reported_at: stored_precision(new.reported_at),
            ..new
        };
        let title = check_text("title", &new.title, "the title")?;
        if title.chars().count() > 200 {
            return Err(StoreError::invalid(
                "title",
                "the title is longer than 200 characters",
            ));
        }
        let report = check_text("report", &new.report, "the first report (初报)")?;
        if new.occurred_at > new.reported_at {
            return Err(StoreError::invalid(
                "occurred_at",
                format!(
                    "the event happened ({}) after it was reported ({})",
                    china_time(new.occurred_at),
                    china_time(new.reported_at)
                ),
            ));
        }
        let pollutants: Vec<String> = new
            .pollutants
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        if self.region(&new.region_code).await?.is_none() {
            return Err(StoreError::invalid(
                "region_code",
                format!("{} is not a stored region", new.region_code),
            ));
        }
        if let Some(id) = new.risk_source_id {
            let source = self.risk_source(id).await?.ok_or_else(|| {
                StoreError::invalid("risk_source_id", format!("no risk source #{id}"))
            })?;
            let home = chain::home(&new.region_code);
            if !source.region_code.is_within(&home) && !home.is_within(&source.region_code) {
                return Err(StoreError::invalid(
                    "risk_source_id",
                    format!(
                        "risk source #{id} is in {}, not in the event's region {}",
                        source.region_code, new.region_code
                    ),
                ));
            }
        }
        let mut w = Writer::begin(self, change).await?;
        require_stored(w.conn(), &new.evidence).await?;
        let id = versioned::next_id::<Emergency>(w.conn()).await?;
        let event = Emergency {
            id,
            rev: 1,
            region_code: new.region_code,
            title,
            place: new.place.trim().to_string(),
            kind: new.kind,
            pollutants,
            level: new.level,
            occurred_at: new.occurred_at,
            reported_at: new.reported_at,
            risk_source_id: new.risk_source_id,
            status: Status::Reported,
            reported_by: change.actor.trim().to_string(),
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: event.clone(),
                before: None,
                action: "report",
            }],
        )
        .await?;
        let update = Update {
            id: versioned::next_id::<Update>(w.conn()).await?,
            rev: 1,
            emergency_id: id,
            kind: UpdateKind::Initial,
            at: new.reported_at,
            text: report,
            new_level: None,
            evidence: new.evidence,
            recorded_by: change.actor.trim().to_string(),
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: update,
                before: None,
                action: "create",
            }],
        )
        .await?;
        chain::write_notices(&mut w, &event, event.reported_at).await?;
        w.commit().await?;
        self.notify_chain(id, Utc::now()).await?;
        self.require_emergency(id).await
    }

    /// Adds an update to an event's timeline, moving its state (and, for a regrade, its grade
    /// and chain) by the rules.
    pub async fn add_emergency_update(
        &self,
        change: &Change,
        id: i64,
        new: NewUpdate,
    ) -> StoreResult<EmergencyDetail> {
        let new = NewUpdate {
            at: stored_precision(new.at),
            ..new
        };
        let text = check_text("text", &new.text, "the update")?;
        let mut w = Writer::begin(self, change).await?;
        let before = event_in(w.conn(), id).await?;
        let status = next_status(
            before.status,
            before.level,
            new.kind,
            new.new_level,
            &text,
            new.evidence.len(),
        )
        .map_err(|r| reason_refused("kind", r))?;
        if new.at < before.occurred_at {
            return Err(StoreError::invalid(
                "at",
                format!(
                    "the update ({}) is dated before the event ({})",
                    china_time(new.at),
                    china_time(before.occurred_at)
                ),
            ));
        }
        require_stored(w.conn(), &new.evidence).await?;
        let update = Update {
            id: versioned::next_id::<Update>(w.conn()).await?,
            rev: 1,
            emergency_id: id,
            kind: new.kind,
            at: new.at,
            text,
            new_level: new.new_level,
            evidence: new.evidence,
            recorded_by: change.actor.trim().to_string(),
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: update,
                before: None,
                action: "create",
            }],
        )
        .await?;
        let level = new.new_level.unwrap_or(before.level);
        if status != before.status || level != before.level {
            let after = Emergency {
                rev: before.rev + 1,
                status,
                level,
                ..before.clone()
            };
            versioned::write(
                &mut w,
                vec![Version {
                    record: after.clone(),
                    before: Some(&before),
                    action: new.kind.key(),
                }],
            )
            .await?;
            if level.at_least(before.level) && level != before.level {
                // A graver grade reaches further: the regions it adds are told from now.
                chain::write_notices(&mut w, &after, new.at).await?;
            }
        }
        w.commit().await?;
        self.notify_chain(id, Utc::now()).await?;
        self.require_emergency(id).await
    }

    /// An event as it stands, with its timeline and chain.
    pub async fn emergency(&self, id: i64) -> StoreResult<Option<EmergencyDetail>> {
        let Some(emergency) = versioned::current::<Emergency>(self, id).await? else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT {} FROM emergency_update_current WHERE emergency_id = $1 ORDER BY at, update_id",
            Update::column_list()
        );
        let updates = sqlx::query(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Update::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let notices = self.notice_views(id).await?;
        let risk_source = match emergency.risk_source_id {
            Some(r) => self.risk_source(r).await?,
            None => None,
        };
        Ok(Some(EmergencyDetail {
            emergency,
            updates,
            notices,
            risk_source,
        }))
    }

    pub async fn require_emergency(&self, id: i64) -> StoreResult<EmergencyDetail> {
        self.emergency(id)
            .await?
            .ok_or_else(|| StoreError::not_found("emergency", id))
    }

    /// Every version of an event, oldest first.
    pub async fn emergency_versions(&self, id: i64) -> StoreResult<Vec<Emergency>> {
        versioned::history(self, id).await
    }

    /// Events within a region (and the other filters), newest first.
    pub async fn emergencies(&self, filter: &EmergencyFilter) -> StoreResult<Vec<Emergency>> {
        let (lo, hi) = crate::supervision::region_range(filter.within.as_ref());
        let mut sql = format!(
            "SELECT {} FROM emergency_current WHERE {}",
            Emergency::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        let mut binds: Vec<String> = vec![lo, hi];
        if let Some(year) = filter.year {
            // Stored in UTC: the year in China starts eight hours earlier.
            let from = NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| StoreError::invalid("year", format!("{year} is not a year")))?;
            let to = NaiveDate::from_ymd_opt(year + 1, 1, 1)
                .ok_or_else(|| StoreError::invalid("year", format!("{year} is not a year")))?;
            let start = from.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::hours(8);
            let end = to.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::hours(8);
            sql.push_str(&format!(
                " AND occurred_at >= ${} AND occurred_at < ${}",
                binds.len() + 1,
                binds.len() + 2
            ));
            binds.push(stamp(start));
            binds.push(stamp(end));
        }
        if let Some(status) = filter.status {
            sql.push_str(&format!(" AND status = ${}", binds.len() + 1));
            binds.push(status.key().to_string());
        }
        if let Some(level) = filter.level {
            sql.push_str(&format!(" AND level = ${}", binds.len() + 1));
            binds.push(level.key().to_string());
        }
        sql.push_str(" ORDER BY occurred_at DESC, emergency_id DESC");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(Emergency::from_row)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_china_writes_them_and_kept_in_utc() {
        let at = parse_china_time("2026-07-09 14:30").unwrap();
        assert_eq!(stamp(at), "2026-07-09T06:30:00.000000Z");
        assert_eq!(china_time(at), "2026-07-09 14:30");
        assert_eq!(parse_china_time("2026-07-09T14:30:00+08:00").unwrap(), at);
        assert_eq!(
            china_day(parse_china_time("2026-01-01 01:00").unwrap()).to_string(),
            "2026-01-01"
        );
        assert!(parse_china_time("昨天下午")
            .unwrap_err()
            .contains("2026-07-09 14:30"));
    }
}
