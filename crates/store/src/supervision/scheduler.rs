//! The scheduler's pass: what the server runs periodically (and `ecoduty scheduler run-once`).
//!
//! On the day the clock gives (China Standard Time) a pass
//! 1. marks open findings and tasks whose deadline has passed as overdue — a new version of
//!    each, in the ledger;
//! 2. writes notifications: due soon (to the responsible people and the region's users), overdue
//!    (the same), escalated (to the users of the level above), long-term reviews due, complaints
//!    to answer, units missing from a dispatch round, and chiefs (河长 / 湖长 / 林长) behind
//!    their patrol frequency in the period that ended last (once per chief and period);
//! 3. queues each new notification in the outbox for external delivery;
//! 4. reports emergency notices not acknowledged by their deadline to the level above
//!    (`crate::emergency::chain`).
//!
//! A pass can be repeated and interrupted safely: overdue marks are decided under the write
//! lock from the stored state, and notifications are keyed by (recipient, item, notice, day),
//! so a second pass — after a crash, or run at the same time by another server process —
//! writes nothing twice. A lease row keeps two processes from doing the same work at once.
//! Business time comes from an injected [`Clock`] (tests drive it); the lease uses the real
//! time, since it coordinates processes, not deadlines.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ecoduty_domain::supervision::tasks::UnitReport;
use ecoduty_domain::supervision::{concerns, ItemKind, NoticeKind};
use ecoduty_domain::{RegionCode, RegionLevel};
use serde::Serialize;
use sqlx::Row;

use super::findings::DueFinding;
use super::notifications::{NewNotification, Recipient};
use super::plans::{DispatchRound, Task};
use super::stamp;
use crate::error::StoreResult;
use crate::users::User;
use crate::versioned::Versioned;
use crate::{Change, Store};

/// Where the scheduler gets the time from.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// The day in China (UTC+8, one time zone for the whole country), which deadlines are in.
    fn today(&self) -> NaiveDate {
        (self.now() + Duration::hours(8)).date_naive()
    }
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told: for tests, and `run-once --now`.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(Mutex::new(at))
    }

    /// A clock at noon (China time) of a day.
    pub fn on(day: NaiveDate) -> FixedClock {
        FixedClock::new(day.and_hms_opt(4, 0, 0).expect("a valid time").and_utc())
    }

    /// Moves the clock to noon (China time) of a day.
    pub fn set_day(&self, day: NaiveDate) {
        self.set(FixedClock::on(day).now());
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().expect("clock lock");
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// How a pass runs.
#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// Days before a deadline when it is announced as near.
    pub due_soon_days: u32,
    /// How far back a pass looks for notices it may have missed (while the server was down).
    pub catch_up_days: u32,
    /// The lease row processes share; a pass under another name runs alongside.
    pub lease_name: String,
    pub lease_seconds: i64,
    /// Records marked overdue per write.
    pub batch: usize,
    /// The actor of the pass's ledger entries.
    pub actor: String,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            due_soon_days: 7,
            catch_up_days: 30,
            lease_name: "scheduler".into(),
            lease_seconds: 600,
            batch: 1000,
            actor: "scheduler".into(),
        }
    }
}

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PassReport {
    pub today: Option<NaiveDate>,
    /// Another process held the lease: this pass did nothing.
    pub skipped: bool,
    pub findings_marked_overdue: usize,
    pub tasks_marked_overdue: usize,
    /// Items considered for notices (each counted once per notice kind).
    pub items_noticed: usize,
    /// Notifications written (and queued in the outbox) by this pass.
    pub notifications: usize,
    /// Emergency notices not acknowledged in time, reported to the level above.
    pub emergency_notices_escalated: usize,
}

/// The region users are "at" for an item: its county for a township, else its own.
fn home(region: &RegionCode) -> RegionCode {
    if region.level() == RegionLevel::Township {
        region.parent().unwrap_or_else(|| region.clone())
    } else {
        region.clone()
    }
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push('…');
    }
    s
}

/// Finds recipients: users by region (all active users, read once) and the people holding
/// posts on the day (read in bulk, by the rule of [`Store::who`]: the counting tenure whose
/// dates cover the day).
struct Recipients<'a> {
    store: &'a Store,
    today: NaiveDate,
    users: Option<HashMap<String, Vec<User>>>,
    holders: HashMap<i64, Option<i64>>,
}

impl<'a> Recipients<'a> {
    fn new(store: &'a Store, today: NaiveDate) -> Self {
        Recipients {
            store,
            today,
            users: None,
            holders: HashMap::new(),
        }
    }

    async fn users_at(&mut self, region: &RegionCode) -> StoreResult<&[User]> {
        if self.users.is_none() {
            let sql = format!(
                "SELECT {} FROM user_current WHERE active = 1 AND region_code IS NOT NULL ORDER BY user_id",
                User::column_list()
            );
            let rows = sqlx::query(&sql).fetch_all(&self.store.pool).await?;
            let mut by_region: HashMap<String, Vec<User>> = HashMap::new();
            for row in &rows {
                let u = User::from_row(row)?;
                if let Some(code) = &u.region_code {
                    by_region.entry(code.to_string()).or_default().push(u);
                }
            }
            self.users = Some(by_region);
        }
        Ok(self
            .users
            .as_ref()
            .and_then(|m| m.get(region.as_str()))
            .map(Vec::as_slice)
            .unwrap_or(&[]))
    }

    /// Users concerned at the item's level (and at a township's own level).
    async fn local(
        &mut self,
        region: &RegionCode,
        item: ItemKind,
        notice: NoticeKind,
    ) -> StoreResult<Vec<Recipient>> {
        let mut out = Vec::new();
        let mut levels = vec![home(region)];
        if levels[0] != *region {
            levels.push(region.clone());
        }
        for r in levels {
            for u in self.users_at(&r).await? {
                if concerns(u.role, item, notice) {
                    out.push(Recipient::User(u.id));
                }
            }
        }
        Ok(out)
    }

    /// Users concerned at the level above the item's.
    async fn above(&mut self, region: &RegionCode, item: ItemKind) -> StoreResult<Vec<Recipient>> {
        let Some(parent) = home(region).parent() else {
            return Ok(Vec::new());
        };
        Ok(self
            .users_at(&parent)
            .await?
            .iter()
            .filter(|u| concerns(u.role, item, NoticeKind::Escalated))
            .map(|u| Recipient::User(u.id))
            .collect())
    }

    /// Reads the holders of posts not yet known, 500 at a time.
    async fn prefetch(&mut self, posts: impl IntoIterator<Item = i64>) -> StoreResult<()> {
        let mut missing: Vec<i64> = posts
            .into_iter()
            .filter(|p| !self.holders.contains_key(p))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let day = self.today.to_string();
        for chunk in missing.chunks(500) {
            let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT t.post_id, t.person_id FROM tenure_current t WHERE t.retracted = 0 \
                 AND t.start_date <= $1 AND (t.end_date IS NULL OR t.end_date > $1) AND t.post_id IN ({})",
                list.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(day.clone());
            for p in chunk {
                q = q.bind(*p);
                self.holders.insert(*p, None);
            }
            for row in q.fetch_all(&self.store.pool).await? {
                self.holders.insert(row.try_get(0)?, Some(row.try_get(1)?));
            }
        }
        Ok(())
    }

    /// The people holding these posts today (vacant posts have none).
    async fn holders(&mut self, posts: &[i64]) -> StoreResult<Vec<Recipient>> {
        self.prefetch(posts.iter().copied()).await?;
        Ok(posts
            .iter()
            .filter_map(|p| self.holders.get(p).copied().flatten())
            .map(Recipient::Person)
            .collect())
    }
}

/// Notices about one item to many recipients.
#[allow(clippy::too_many_arguments)]
fn notices(
    recipients: Vec<Recipient>,
    item_kind: ItemKind,
    item_id: i64,
    notice: NoticeKind,
    on_day: NaiveDate,
    region: &RegionCode,
    title: &str,
    body: &str,
) -> Vec<NewNotification> {
    let mut seen = std::collections::HashSet::new();
    recipients
        .into_iter()
        .filter(|r| seen.insert(*r))
        .map(|recipient| NewNotification {
            recipient,
            item_kind,
            item_id,
            notice,
            on_day,
            region_code: region.clone(),
            title: title.to_string(),
            body: body.to_string(),
        })
        .collect()
}

fn finding_body(f: &DueFinding) -> String {
    format!(
        "{}。整改时限:{}。",
        excerpt(&f.text),
        f.deadline
            .map(|d| d.to_string())
            .unwrap_or_else(|| "长期坚持".into())
    )
}

fn task_body(t: &Task) -> String {
    format!(
        "{}。完成时限:{}。当前进度 {}%。",
        excerpt(&t.title),
        t.deadline,
        t.percent
    )
}

impl Store {
    /// Runs one scheduler pass on the clock's day. See the module's documentation.
    pub async fn run_scheduler_pass(
        &self,
        clock: &dyn Clock,
        config: &SchedulerConfig,
    ) -> StoreResult<PassReport> {
        let holder = format!("{}-{}", std::process::id(), stamp(Utc::now()));
        if !self
            .take_lease(&config.lease_name, &holder, config.lease_seconds)
            .await?
        {
            return Ok(PassReport {
                today: Some(clock.today()),
                skipped: true,
                ..PassReport::default()
            });
        }
        let result = self.pass(clock, config).await;
        let released = self.release_lease(&config.lease_name, &holder).await;
        let report = result?;
        released?;
        Ok(report)
    }

    /// Takes the named lease if it is free or expired.
    async fn take_lease(&self, name: &str, holder: &str, seconds: i64) -> StoreResult<bool> {
        let now = Utc::now();
        let done = sqlx::query(
            "INSERT INTO scheduler_leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE scheduler_leases.expires_at < $4",
        )
        .bind(name)
        .bind(holder)
        .bind(stamp(now + Duration::seconds(seconds)))
        .bind(stamp(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM scheduler_leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn pass(&self, clock: &dyn Clock, config: &SchedulerConfig) -> StoreResult<PassReport> {
        let today = clock.today();
        let mut report = PassReport {
            today: Some(today),
            ..PassReport::default()
        };
        let change = Change::new(config.actor.clone(), format!("定时任务 {today}:标记逾期"));
        let phases = crate::phases::Phases::start("scheduler pass");

        // 1. Overdue marks.
        let ids = self.findings_to_mark_overdue(today).await?;
        for chunk in ids.chunks(config.batch.max(1)) {
            report.findings_marked_overdue += self
                .mark_findings_overdue(&change, chunk, today)
                .await?
                .len();
        }
        let rows = sqlx::query(
            "SELECT task_id FROM task_current WHERE status IN ('not_started', 'in_progress') \
             AND deadline < $1 AND overdue_since IS NULL ORDER BY task_id",
        )
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        let task_ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<_, _>>()?;
        for chunk in task_ids.chunks(config.batch.max(1)) {
            report.tasks_marked_overdue +=
                self.mark_tasks_overdue(&change, chunk, today).await?.len();
        }
        phases.done("overdue marks");

        // 2. Notices.
        let soon = today + Duration::days(i64::from(config.due_soon_days));
        let since = today - Duration::days(i64::from(config.catch_up_days));
        let mut to: Recipients = Recipients::new(self, today);
        let mut out: Vec<NewNotification> = Vec::new();
        let not_noticed = |notice: NoticeKind, day: &str| {
            format!(
                "NOT EXISTS (SELECT 1 FROM notifications n WHERE n.item_kind = 'finding' AND n.item_id = h.finding_id \
                 AND n.notice = '{}' AND n.on_day = {day})",
                notice.key()
            )
        };
        let t = today.to_string();
        let due_soon = self
            .findings_due(
                &format!(
                    "h.status IN ('assigned', 'in_progress') AND h.deadline >= $1 AND h.deadline <= $2 AND {}",
                    not_noticed(NoticeKind::DueSoon, "h.deadline")
                ),
                &[t.clone(), soon.to_string()],
            )
            .await?;
        let overdue = self
            .findings_due(
                &format!(
                    "h.overdue_since >= $1 AND h.status IN ('assigned', 'in_progress') AND {}",
                    not_noticed(NoticeKind::Overdue, "h.overdue_since")
                ),
                &[since.to_string()],
            )
            .await?;
        let reviews = self
            .findings_due(
                &format!(
                    "h.status = 'long_term' AND h.next_review <= $1 AND {}",
                    not_noticed(NoticeKind::ReviewDue, "h.next_review")
                ),
                std::slice::from_ref(&t),
            )
            .await?;
        phases.done("findings to notice read");
        to.prefetch(
            due_soon
                .iter()
                .chain(&overdue)
                .chain(&reviews)
                .flat_map(|f| f.posts.iter().copied())
                .collect::<Vec<_>>(),
        )
        .await?;
        for f in &due_soon {
            let mut r = to.holders(&f.posts).await?;
            r.extend(
                to.local(&f.region_code, ItemKind::Finding, NoticeKind::DueSoon)
                    .await?,
            );
            let day = f.deadline.expect("a finding due soon has a deadline");
            let title = format!("问题 #{} 整改时限将至({day})", f.id);
            out.extend(notices(
                r,
                ItemKind::Finding,
                f.id,
                NoticeKind::DueSoon,
                day,
                &f.region_code,
                &title,
                &finding_body(f),
            ));
        }
        for f in &overdue {
            let day = f.overdue_since.expect("selected as overdue");
            let title = format!("问题 #{} 已逾期未完成整改", f.id);
            let mut r = to.holders(&f.posts).await?;
            r.extend(
                to.local(&f.region_code, ItemKind::Finding, NoticeKind::Overdue)
                    .await?,
            );
            out.extend(notices(
                r,
                ItemKind::Finding,
                f.id,
                NoticeKind::Overdue,
                day,
                &f.region_code,
                &title,
                &finding_body(f),
            ));
            let up = to.above(&f.region_code, ItemKind::Finding).await?;
            let title = format!("逾期上报:{} 问题 #{} 逾期未完成整改", f.region_code, f.id);
            out.extend(notices(
                up,
                ItemKind::Finding,
                f.id,
                NoticeKind::Escalated,
                day,
                &f.region_code,
                &title,
                &finding_body(f),
            ));
        }
        for f in &reviews {
            let day = f.next_review.expect("selected by its next review");
            let title = format!("长期坚持问题 #{} 应于 {day} 复核", f.id);
            let mut r = to.holders(&f.posts).await?;
            r.extend(
                to.local(&f.region_code, ItemKind::Finding, NoticeKind::ReviewDue)
                    .await?,
            );
            out.extend(notices(
                r,
                ItemKind::Finding,
                f.id,
                NoticeKind::ReviewDue,
                day,
                &f.region_code,
                &title,
                &finding_body(f),
            ));
        }
        report.items_noticed += due_soon.len() + overdue.len() + reviews.len();
        phases.done("finding notices built");

        // Tasks.
        let sql = format!(
            "SELECT {} FROM task_current WHERE status IN ('not_started', 'in_progress') \
             AND ((deadline >= $1 AND deadline <= $2) OR overdue_since >= $3) ORDER BY task_id",
            Task::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(t.clone())
            .bind(soon.to_string())
            .bind(since.to_string())
            .fetch_all(&self.pool)
            .await?;
        for row in &rows {
            let task = Task::from_row(row)?;
            report.items_noticed += 1;
            let posts: Vec<i64> = task.responsible_post_id.into_iter().collect();
            let body = task_body(&task);
            if let Some(day) = task.overdue_since {
                let title = format!("任务 #{} 已逾期", task.id);
                let mut r = to.holders(&posts).await?;
                r.extend(
                    to.local(&task.region_code, ItemKind::Task, NoticeKind::Overdue)
                        .await?,
                );
                out.extend(notices(
                    r,
                    ItemKind::Task,
                    task.id,
                    NoticeKind::Overdue,
                    day,
                    &task.region_code,
                    &title,
                    &body,
                ));
                let up = to.above(&task.region_code, ItemKind::Task).await?;
                let title = format!("逾期上报:{} 任务 #{} 逾期", task.region_code, task.id);
                out.extend(notices(
                    up,
                    ItemKind::Task,
                    task.id,
                    NoticeKind::Escalated,
                    day,
                    &task.region_code,
                    &title,
                    &body,
                ));
            } else {
                let title = format!("任务 #{} 将于 {} 到期", task.id, task.deadline);
                let mut r = to.holders(&posts).await?;
                r.extend(
                    to.local(&task.region_code, ItemKind::Task, NoticeKind::DueSoon)
                        .await?,
                );
                out.extend(notices(
                    r,
                    ItemKind::Task,
                    task.id,
                    NoticeKind::DueSoon,
                    task.deadline,
                    &task.region_code,
                    &title,
                    &body,
                ));
            }
        }

        // Complaints to answer: due soon, or overdue (keyed by the answer deadline).
        for c in self.complaints_due_between(since, soon).await? {
            let Some(due) = c.answer_due else { continue };
            report.items_noticed += 1;
            let body = format!("{}。答复期限:{due}。", excerpt(&c.text));
            if due < today {
                let title = format!("信访件 #{} 逾期未答复", c.id);
                let r = to
                    .local(&c.region_code, ItemKind::Complaint, NoticeKind::Overdue)
                    .await?;
                out.extend(notices(
                    r,
                    ItemKind::Complaint,
                    c.id,
                    NoticeKind::Overdue,
                    due,
                    &c.region_code,
                    &title,
                    &body,
                ));
                let up = to.above(&c.region_code, ItemKind::Complaint).await?;
                let title = format!("逾期上报:{} 信访件 #{} 逾期未答复", c.region_code, c.id);
                out.extend(notices(
                    up,
                    ItemKind::Complaint,
                    c.id,
                    NoticeKind::Escalated,
                    due,
                    &c.region_code,
                    &title,
                    &body,
                ));
            } else {
                let title = format!("信访件 #{} 应于 {due} 前答复", c.id);
                let r = to
                    .local(&c.region_code, ItemKind::Complaint, NoticeKind::DueSoon)
                    .await?;
                out.extend(notices(
                    r,
                    ItemKind::Complaint,
                    c.id,
                    NoticeKind::DueSoon,
                    due,
                    &c.region_code,
                    &title,
                    &body,
                ));
            }
        }

        // Dispatch rounds past their date: the units that owe reports.
        let sql = format!(
            "SELECT {} FROM dispatch_round_current WHERE closed = 0 AND due_date >= $1 AND due_date < $2 ORDER BY round_id",
            DispatchRound::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(since.to_string())
            .bind(t.clone())
            .fetch_all(&self.pool)
            .await?;
        for row in &rows {
            let round = DispatchRound::from_row(row)?;
            let status = self.dispatch_round_status(round.id, today).await?;
            for unit in status
                .units
                .iter()
                .filter(|u| matches!(u.status, UnitReport::Missing | UnitReport::Late))
            {
                let missing: Vec<i64> = unit
                    .tasks
                    .iter()
                    .copied()
                    .filter(|t| !unit.reports.iter().any(|(r, _)| r == t))
                    .collect();
                // Late but complete: nothing is owed any more.
                if missing.is_empty() {
                    continue;
                }
                report.items_noticed += 1;
                let title = format!(
                    "调度「{}」:{} 未按期报送",
                    round.title, unit.organisation_name
                );
                let body = format!(
                    "报送期限 {};未报送的任务:{}。",
                    round.due_date,
                    super::ids_text(&missing)
                );
                let mut posts = Vec::new();
                for task in &missing {
                    if let Some(p) = self.task(*task).await?.and_then(|t| t.responsible_post_id) {
                        posts.push(p);
                    }
                }
                let mut r = to.holders(&posts).await?;
                r.extend(
                    to.local(
                        &unit.region_code,
                        ItemKind::DispatchRound,
                        NoticeKind::ReportMissing,
                    )
                    .await?,
                );
                out.extend(notices(
                    r,
                    ItemKind::DispatchRound,
                    round.id,
                    NoticeKind::ReportMissing,
                    round.due_date,
                    &unit.region_code,
                    &title,
                    &body,
                ));
            }
        }

        // Chiefs behind their patrol frequency in the period that ended last: the holder and
        //    the region's users, once per chief and period (the notice is dated the period's
        //    last day, which the notifications' key holds).
        for b in self.chiefs_behind(None, today).await? {
            let Some(holder) = &b.holder else { continue };
            report.items_noticed += 1;
            let region = &b.chief.spec.region_code;
            let title = format!(
                "{}{}巡查未达频次({} 至 {})",
                b.chief.spec.level.name_zh(),
                b.chief.spec.kind.name_zh(),
                b.period.from,
                b.period.to
            );
            let body = format!(
                "{}:每{}应巡查不少于 {} 次,实际 {} 次。",
                holder.name,
                b.frequency.per.name_zh(),
                b.period.required,
                b.period.done
            );
            let mut r = vec![Recipient::Person(holder.id)];
            r.extend(
                to.local(region, ItemKind::Chief, NoticeKind::PatrolsBehind)
                    .await?,
            );
            out.extend(notices(
                r,
                ItemKind::Chief,
                b.chief.id,
                NoticeKind::PatrolsBehind,
                b.period.to,
                region,
                &title,
                &body,
            ));
        }

        phases.done("other notices built");
        // 3. Written once each, queued for delivery.
        report.notifications = self.write_notifications(&out, &stamp(clock.now())).await?;
        phases.done("notifications written");
        // 4. Emergency notices past their deadline, to the level above (by the clock's time,
        //    not its day: deadlines are hours).
        let (escalated, written) = self
            .escalate_emergency_notices(&config.actor, clock.now())
            .await?;
        report.emergency_notices_escalated = escalated;
        report.notifications += written;
        phases.done("emergency notices");
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_chinas() {
        let clock = FixedClock::new("2026-06-30T16:30:00Z".parse().unwrap());
        assert_eq!(clock.today(), "2026-07-01".parse::<NaiveDate>().unwrap());
        clock.advance(Duration::hours(-1));
        assert_eq!(clock.today(), "2026-06-30".parse::<NaiveDate>().unwrap());
        let noon = FixedClock::on("2026-03-05".parse().unwrap());
        assert_eq!(noon.today(), "2026-03-05".parse::<NaiveDate>().unwrap());
    }

    #[test]
    fn townships_are_told_through_their_county() {
        let t = RegionCode::parse("451322105").unwrap();
        assert_eq!(home(&t), RegionCode::parse("451322").unwrap());
        let c = RegionCode::parse("410883").unwrap();
        assert_eq!(home(&c), c);
        assert_eq!(excerpt(&"很".repeat(41)).chars().count(), 41);
    }
}
