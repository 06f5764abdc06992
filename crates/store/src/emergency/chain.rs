//! The notification chain of an event in the store: the holders, at the time, of the posts the
//! chain names (`ecoduty_domain::emergency::chain`), one notice each with its deadline; their
//! acknowledgements; and the scheduler's part — escalating notices not acknowledged in time
//! to the level above, and writing any notification a crash left unwritten.
//!
//! A notice is an accountability record (who was told, when, and whether they answered in
//! time), so it is ledgered; the notifications it causes are operational state, keyed so that
//! writing them again does nothing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use ecoduty_domain::emergency::chain::{steps, AckPolicy, Tier, CHAIN_ROLES};
use ecoduty_domain::emergency::Level;
use ecoduty_domain::supervision::{concerns, ItemKind, NoticeKind, Reason};
use ecoduty_domain::{RegionCode, RegionLevel, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{china_day, china_time, parse_opt_stamp, parse_stamp, Emergency};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::supervision::notifications::{NewNotification, Recipient};
use crate::supervision::{parse_code, parse_key, stamp};
use crate::users::User;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// The region users are "at" for an event: its county for a township, else its own.
pub(crate) fn home(region: &RegionCode) -> RegionCode {
    if region.level() == RegionLevel::Township {
        region.parent().unwrap_or_else(|| region.clone())
    } else {
        region.clone()
    }
}

/// One post of the chain with its holder at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainEntry {
    pub tier: Tier,
    pub region_code: RegionCode,
    pub region_name: String,
    pub role: String,
    pub role_zh: String,
    pub post_id: i64,
    pub post: String,
    pub organisation: String,
    /// `None`: the post was vacant.
    pub person_id: Option<i64>,
    pub person: Option<String>,
    pub acting: bool,
    /// Minutes from the report to the deadline for acknowledgement.
    pub minutes: i64,
}

/// One version of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: i64,
    pub rev: i64,
    pub emergency_id: i64,
    pub tier: Tier,
    pub region_code: RegionCode,
    pub post_id: i64,
    pub role: String,
    /// The holder when the notice was written; `None` for a vacant post.
    pub person_id: Option<i64>,
    pub sent_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The user who recorded the acknowledgement (the duty office, or the holder).
    pub acknowledged_by: Option<String>,
    /// How it was confirmed (电话, 短信 …).
    pub ack_note: Option<String>,
    /// When the scheduler reported it unacknowledged to the level above.
    pub escalated_at: Option<DateTime<Utc>>,
}

impl Versioned for Notice {
    const ENTITY: &'static str = "emergency_notice";
    const IDENTITY: &'static str = "emergency_notices";
    const VERSIONS: &'static str = "emergency_notice_versions";
    const ID_COLUMN: &'static str = "notice_id";
    const CURRENT: &'static str = "emergency_notice_current";
    const COLUMNS: &'static [&'static str] = &[
        "notice_id",
        "rev",
        "emergency_id",
        "tier",
        "region_code",
        "post_id",
        "role",
        "person_id",
        "sent_at",
        "due_at",
        "acknowledged_at",
        "acknowledged_by",
        "ack_note",
        "escalated_at",
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
            self.emergency_id.into(),
            self.tier.key().into(),
            self.region_code.to_string().into(),
            self.post_id.into(),
            self.role.clone().into(),
            self.person_id.into(),
            stamp(self.sent_at).into(),
            stamp(self.due_at).into(),
            self.acknowledged_at.map(stamp).into(),
            self.acknowledged_by.clone().into(),
            self.ack_note.clone().into(),
            self.escalated_at.map(stamp).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Notice {
            id: row.try_get("notice_id")?,
            rev: row.try_get("rev")?,
            emergency_id: row.try_get("emergency_id")?,
            tier: parse_key(&row.try_get::<String, _>("tier")?)?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            post_id: row.try_get("post_id")?,
            role: row.try_get("role")?,
            person_id: row.try_get("person_id")?,
            sent_at: parse_stamp(&row.try_get::<String, _>("sent_at")?)?,
            due_at: parse_stamp(&row.try_get::<String, _>("due_at")?)?,
            acknowledged_at: parse_opt_stamp(row.try_get("acknowledged_at")?)?,
            acknowledged_by: row.try_get("acknowledged_by")?,
            ack_note: row.try_get("ack_note")?,
            escalated_at: parse_opt_stamp(row.try_get("escalated_at")?)?,
        })
    }
}

/// Where a notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// Waiting, within its deadline.
    Pending,
    /// Past its deadline without acknowledgement.
    Overdue,
    Acknowledged,
    /// Acknowledged after its deadline.
    AcknowledgedLate,
    /// The post was vacant: nobody to tell (the level above is told by the scheduler).
    Vacant,
}

impl NoticeState {
    pub fn name_zh(self) -> &'static str {
        match self {
            NoticeState::Pending => "待确认",
            NoticeState::Overdue => "超时未确认",
            NoticeState::Acknowledged => "已确认",
            NoticeState::AcknowledgedLate => "超时确认",
            NoticeState::Vacant => "岗位空缺",
        }
    }
}

/// A notice with the names it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub notice: Notice,
    pub state: NoticeState,
    pub region_name: String,
    pub post: String,
    pub organisation: String,
    pub role_zh: String,
    pub person: Option<String>,
}

fn state_of(n: &Notice, now: DateTime<Utc>) -> NoticeState {
    match (n.person_id, n.acknowledged_at) {
        (_, Some(at)) if at > n.due_at => NoticeState::AcknowledgedLate,
        (_, Some(_)) => NoticeState::Acknowledged,
        (None, None) => NoticeState::Vacant,
        (Some(_), None) if now > n.due_at => NoticeState::Overdue,
        (Some(_), None) => NoticeState::Pending,
    }
}

fn role_of(key: &str) -> StoreResult<Role> {
    key.parse()
        .map_err(|e: ecoduty_regulation::roles::UnknownRole| StoreError::Corrupt(e.to_string()))
}

/// The chain's posts in the regions of `steps`, with their holders on the day of `at`.
async fn chain_posts(
    conn: &mut AnyConnection,
    region: &RegionCode,
    level: Level,
    at: DateTime<Utc>,
    policy: &AckPolicy,
) -> StoreResult<Vec<ChainEntry>> {
    let steps = steps(region, level, policy);
    let list: Vec<String> = (0..steps.len()).map(|i| format!("${}", i + 2)).collect();
    let roles: Vec<String> = CHAIN_ROLES
        .iter()
        .map(|r| format!("'{}'", r.key()))
        .collect();
    let sql = format!(
        "SELECT o.region_code, r.name AS region_name, p.post_id, p.title, p.role, o.name AS org, \
            t.person_id, pe.name AS person, t.acting \
         FROM organisation_current o \
         JOIN regions r ON r.code = o.region_code \
         JOIN post_current p ON p.organisation_id = o.organisation_id \
         LEFT JOIN tenure_current t ON t.post_id = p.post_id AND t.retracted = 0 \
            AND t.start_date <= $1 AND (t.end_date IS NULL OR t.end_date > $1) \
         LEFT JOIN person_current pe ON pe.person_id = t.person_id \
         WHERE o.region_code IN ({}) AND p.role IN ({}) AND p.retired = 0 AND o.retired = 0 \
         ORDER BY p.post_id",
        list.join(", "),
        roles.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(china_day(at).to_string());
    for s in &steps {
        q = q.bind(s.region.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let code = parse_code(&r.try_get::<String, _>("region_code")?)?;
        let Some(step) = steps.iter().find(|s| s.region == code) else {
            continue;
        };
        let role = role_of(&r.try_get::<String, _>("role")?)?;
        let acting: Option<i64> = r.try_get("acting")?;
        out.push(ChainEntry {
            tier: step.tier,
            region_code: code,
            region_name: r.try_get("region_name")?,
            role: role.key().to_string(),
            role_zh: role.name_zh().to_string(),
            post_id: r.try_get("post_id")?,
            post: r.try_get("title")?,
            organisation: r.try_get("org")?,
            person_id: r.try_get("person_id")?,
            person: r.try_get("person")?,
            acting: acting == Some(1),
            minutes: step.minutes,
        });
    }
    out.sort_by_key(|e| {
        (
            steps.iter().position(|s| s.region == e.region_code),
            CHAIN_ROLES.iter().position(|r| r.key() == e.role),
            e.post_id,
        )
    });
    Ok(out)
}

/// Writes a notice for every post of the event's chain not told yet, deadlines from `at`.
pub(crate) async fn write_notices(
    w: &mut Writer,
    event: &Emergency,
    at: DateTime<Utc>,
) -> StoreResult<usize> {
    let entries = chain_posts(
        w.conn(),
        &event.region_code,
        event.level,
        at,
        &AckPolicy::default(),
    )
    .await?;
    let told: Vec<i64> =
        sqlx::query("SELECT post_id FROM emergency_notice_current WHERE emergency_id = $1")
            .bind(event.id)
            .fetch_all(w.conn())
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<_, _>>()?;
    let mut next = versioned::next_id::<Notice>(w.conn()).await?;
    let mut versions = Vec::new();
    for e in entries.into_iter().filter(|e| !told.contains(&e.post_id)) {
        versions.push(Version {
            record: Notice {
                id: next,
                rev: 1,
                emergency_id: event.id,
                tier: e.tier,
                region_code: e.region_code,
                post_id: e.post_id,
                role: e.role,
                person_id: e.person_id,
                sent_at: at,
                due_at: at + Duration::minutes(e.minutes),
                acknowledged_at: None,
                acknowledged_by: None,
                ack_note: None,
                escalated_at: None,
            },
            before: None,
            action: "create",
        });
        next += 1;
    }
    let n = versions.len();
    versioned::write(w, versions).await?;
    Ok(n)
}

async fn notices_of(store: &Store, emergency_id: i64) -> StoreResult<Vec<Notice>> {
    let sql = format!(
        "SELECT {} FROM emergency_notice_current WHERE emergency_id = $1 ORDER BY notice_id",
        Notice::column_list()
    );
    sqlx::query(&sql)
        .bind(emergency_id)
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(Notice::from_row)
        .collect()
}

/// Active users of these regions.
pub(crate) async fn users_in(store: &Store, regions: &[RegionCode]) -> StoreResult<Vec<User>> {
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..regions.len()).map(|i| format!("${}", i + 1)).collect();
    let sql = format!(
        "SELECT {} FROM user_current WHERE active = 1 AND region_code IN ({}) ORDER BY user_id",
        User::column_list(),
        list.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for r in regions {
        q = q.bind(r.to_string());
    }
    q.fetch_all(&store.pool)
        .await?
        .iter()
        .map(User::from_row)
        .collect()
}

fn alert_title(e: &Emergency) -> String {
    format!("突发环境事件:{}({})", e.title, e.level.label_zh())
}

impl Store {
    /// The chain an event of `level` in `region` would tell at `at`: its posts, their holders
    /// then, and the deadlines (a preview, and what registering an event writes).
    pub async fn notification_chain(
        &self,
        region: &RegionCode,
        level: Level,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<ChainEntry>> {
        let mut conn = self.pool.acquire().await?;
        chain_posts(&mut conn, region, level, at, &AckPolicy::default()).await
    }

    /// An event's notices with their names and states (as of now).
    pub async fn notice_views(&self, emergency_id: i64) -> StoreResult<Vec<NoticeView>> {
        let notices = notices_of(self, emergency_id).await?;
        if notices.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = (0..notices.len()).map(|i| format!("${}", i + 1)).collect();
        let sql = format!(
            "SELECT p.post_id, p.title, o.name AS org, r.name AS region_name FROM post_current p \
             JOIN organisation_current o ON o.organisation_id = p.organisation_id \
             JOIN regions r ON r.code = o.region_code WHERE p.post_id IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for n in &notices {
            q = q.bind(n.post_id);
        }
        let mut posts: HashMap<i64, (String, String, String)> = HashMap::new();
        for r in q.fetch_all(&self.pool).await? {
            posts.insert(
                r.try_get("post_id")?,
                (
                    r.try_get("title")?,
                    r.try_get("org")?,
                    r.try_get("region_name")?,
                ),
            );
        }
        let mut names: HashMap<i64, String> = HashMap::new();
        for n in &notices {
            if let Some(p) = n.person_id {
                if let std::collections::hash_map::Entry::Vacant(v) = names.entry(p) {
                    if let Some(person) = self.person(p).await? {
                        v.insert(person.name);
                    }
                }
            }
        }
        let now = Utc::now();
        let mut out = Vec::with_capacity(notices.len());
        for n in notices {
            let (post, organisation, region_name) =
                posts.get(&n.post_id).cloned().unwrap_or_default();
            out.push(NoticeView {
                state: state_of(&n, now),
                region_name,
                post,
                organisation,
                role_zh: role_of(&n.role)?.name_zh().to_string(),
                person: n.person_id.and_then(|p| names.get(&p).cloned()),
                notice: n,
            });
        }
        out.sort_by_key(|v| {
            (
                match v.notice.tier {
                    Tier::Local => 0,
                    Tier::Upper => 1,
                    Tier::Province => 2,
                },
                v.notice.region_code.as_str().len() == 9,
                v.notice.id,
            )
        });
        Ok(out)
    }

    /// Records that a notice was acknowledged (by the holder, or the duty office for them).
    pub async fn acknowledge_notice(
        &self,
        change: &Change,
        notice_id: i64,
        at: DateTime<Utc>,
        note: Option<String>,
    ) -> StoreResult<NoticeView> {
        let at = super::stored_precision(at);
        let mut w = Writer::begin(self, change).await?;
        let before: Notice = versioned::current_in(w.conn(), notice_id)
            .await?
            .ok_or_else(|| StoreError::not_found("emergency notice", notice_id))?;
        if before.acknowledged_at.is_some() {
            return Err(StoreError::refused(
                "status",
                Reason::new(
                    format!("通知 #{notice_id} 已确认"),
                    format!("notice #{notice_id} is already acknowledged"),
                ),
            ));
        }
        if before.person_id.is_none() {
            return Err(StoreError::refused(
                "status",
                Reason::new(
                    "岗位空缺,无人可确认",
                    "the post was vacant: there is nobody to acknowledge",
                ),
            ));
        }
        if at < before.sent_at {
            return Err(StoreError::invalid(
                "at",
                format!(
                    "the acknowledgement ({}) is before the notice was sent ({})",
                    china_time(at),
                    china_time(before.sent_at)
                ),
            ));
        }
        let after = Notice {
            rev: before.rev + 1,
            acknowledged_at: Some(at),
            acknowledged_by: Some(change.actor.trim().to_string()),
            ack_note: note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "acknowledge",
            }],
        )
        .await?;
        w.commit().await?;
        self.notice_views(after.emergency_id)
            .await?
            .into_iter()
            .find(|v| v.notice.id == notice_id)
            .ok_or_else(|| StoreError::not_found("emergency notice", notice_id))
    }

    /// The notice of one id, as it stands.
    pub async fn emergency_notice(&self, notice_id: i64) -> StoreResult<Option<Notice>> {
        versioned::current(self, notice_id).await
    }

    /// Writes the notifications an event's notices call for (to the holders, and to the users
    /// of each region told), skipping those already written. Returns how many were new.
    pub async fn notify_chain(&self, emergency_id: i64, now: DateTime<Utc>) -> StoreResult<usize> {
        let Some(e) = versioned::current::<Emergency>(self, emergency_id).await? else {
            return Ok(0);
        };
        let notices = notices_of(self, emergency_id).await?;
        let mut regions: Vec<RegionCode> = Vec::new();
        let mut out: Vec<NewNotification> = Vec::new();
        let title = alert_title(&e);
        for n in &notices {
            if !regions.contains(&n.region_code) {
                regions.push(n.region_code.clone());
            }
            if let Some(p) = n.person_id {
                out.push(NewNotification {
                    recipient: Recipient::Person(p),
                    item_kind: ItemKind::Emergency,
                    item_id: e.id,
                    notice: NoticeKind::Alert,
                    on_day: china_day(n.sent_at),
                    region_code: n.region_code.clone(),
                    title: title.clone(),
                    body: format!(
                        "{} 于 {} 发生{}({}),请于 {} 前确认收悉。",
                        e.place,
                        china_time(e.occurred_at),
                        e.title,
                        e.kind.name_zh(),
                        china_time(n.due_at)
                    ),
                });
            }
        }
        let on_day = china_day(e.reported_at);
        for u in users_in(self, &regions).await? {
            if concerns(u.role, ItemKind::Emergency, NoticeKind::Alert) {
                let region = u
                    .region_code
                    .clone()
                    .unwrap_or_else(|| e.region_code.clone());
                out.push(NewNotification {
                    recipient: Recipient::User(u.id),
                    item_kind: ItemKind::Emergency,
                    item_id: e.id,
                    notice: NoticeKind::Alert,
                    on_day,
                    region_code: region,
                    title: title.clone(),
                    body: format!(
                        "{}:{},{}。",
                        china_time(e.occurred_at),
                        e.place,
                        e.status.name_zh()
                    ),
                });
            }
        }
        self.write_notifications(&out, &stamp(now)).await
    }

    /// The scheduler's part: notices past their deadline without acknowledgement are
    /// reported to the level above (its users and its eco-environment department head), once
    /// each, as a new version of the notice; and any notification not yet written for an open
    /// event is written. Returns (notices escalated, notifications written).
    pub async fn escalate_emergency_notices(
        &self,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(usize, usize)> {
        let now = super::stored_precision(now);
        let sql = format!(
            "SELECT {} FROM emergency_notice_current n WHERE n.acknowledged_at IS NULL \
             AND n.escalated_at IS NULL AND n.due_at < $1 AND EXISTS (SELECT 1 FROM emergency_current e \
             WHERE e.emergency_id = n.emergency_id AND e.status NOT IN ('closed', 'withdrawn')) \
             ORDER BY n.notice_id",
            Notice::column_list()
                .split(", ")
                .map(|c| format!("n.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let late: Vec<Notice> = sqlx::query(&sql)
            .bind(stamp(now))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(Notice::from_row)
            .collect::<StoreResult<_>>()?;
        let mut escalated: Vec<Notice> = Vec::new();
        if !late.is_empty() {
            let change = Change::new(
                actor,
                format!(
                    "定时任务 {}:突发环境事件通知超时未确认,逐级上报",
                    china_time(now)
                ),
            );
            let mut w = Writer::begin(self, &change).await?;
            let mut versions = Vec::new();
            for before in &late {
                // Read again under the lock: a concurrent pass or acknowledgement wins.
                let current: Option<Notice> = versioned::current_in(w.conn(), before.id).await?;
                if current.as_ref() != Some(before) {
                    continue;
                }
                versions.push(Version {
                    record: Notice {
                        rev: before.rev + 1,
                        escalated_at: Some(now),
                        ..before.clone()
                    },
                    before: Some(before),
                    action: "escalate",
                });
            }
            escalated = versions.iter().map(|v| v.record.clone()).collect();
            versioned::write(&mut w, versions).await?;
            w.commit().await?;
        }
        let mut out = Vec::new();
        for n in &escalated {
            let Some(e) = versioned::current::<Emergency>(self, n.emergency_id).await? else {
                continue;
            };
            let Some(above) = home(&n.region_code).parent() else {
                continue;
            };
            let what = match n.person_id {
                Some(_) => "超时未确认",
                None => "岗位空缺,无人接收",
            };
            let body = format!(
                "{} 的{}通知{}(时限 {})。",
                n.region_code,
                role_of(&n.role)?.name_zh(),
                what,
                china_time(n.due_at)
            );
            let mut recipients: Vec<Recipient> = users_in(self, std::slice::from_ref(&above))
                .await?
                .iter()
                .filter(|u| concerns(u.role, ItemKind::Emergency, NoticeKind::Escalated))
                .map(|u| Recipient::User(u.id))
                .collect();
            for h in self
                .who(&above, china_day(now), Some(Role::EcoDepartmentHead))
                .await?
            {
                if let Some(holder) = h.holder {
                    recipients.push(Recipient::Person(holder.person.id));
                }
            }
            out.extend(recipients.into_iter().map(|recipient| NewNotification {
                recipient,
                item_kind: ItemKind::Emergency,
                item_id: e.id,
                notice: NoticeKind::Escalated,
                on_day: china_day(n.due_at),
                region_code: above.clone(),
                title: alert_title(&e),
                body: body.clone(),
            }));
        }
        let mut written = self.write_notifications(&out, &stamp(now)).await?;
        let open: Vec<i64> = sqlx::query(
            "SELECT emergency_id FROM emergency_current WHERE status NOT IN ('closed', 'withdrawn')",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
        for id in open {
            written += self.notify_chain(id, now).await?;
        }
        Ok((escalated.len(), written))
    }
}
