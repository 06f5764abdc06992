//! Notifications: each user's inbox in the application, and notices to the people holding
//! responsible posts (who have no account; the outbox delivers to them). One row per
//! recipient, item, notice and the day the notice is about; that unique key makes writing the
//! same notice twice do nothing, which is what lets the scheduler run again after a crash, or
//! twice at once, without telling anyone twice. Writing a notification also queues it in the
//! outbox for external delivery, in the same transaction.
//!
//! Notifications are operational state, not accountability records: what they announce (a
//! finding found overdue) is in the ledger already.

use chrono::NaiveDate;
use ecoduty_domain::supervision::{ItemKind, NoticeKind};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use super::{parse_code, parse_day, parse_key, Page, PageRequest};
use crate::error::{StoreError, StoreResult};
use crate::Store;

/// Who a notification is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Recipient {
    /// A user of the application (their inbox).
    User(i64),
    /// A person holding a responsible post.
    Person(i64),
}

impl Recipient {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Recipient::User(id) => ("user", id),
            Recipient::Person(id) => ("person", id),
        }
    }

    fn from_parts(kind: &str, id: i64) -> StoreResult<Recipient> {
        match kind {
            "user" => Ok(Recipient::User(id)),
            "person" => Ok(Recipient::Person(id)),
            other => Err(StoreError::Corrupt(format!("recipient kind {other:?}"))),
        }
    }
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub recipient: Recipient,
    pub item_kind: ItemKind,
    pub item_id: i64,
    pub notice: NoticeKind,
    /// The day the notice is about: the deadline, the day the item became overdue …
    pub on_day: NaiveDate,
    pub region_code: RegionCode,
    pub title: String,
    pub body: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// A notification to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewNotification {
    pub recipient: Recipient,
    pub item_kind: ItemKind,
    pub item_id: i64,
    pub notice: NoticeKind,
    pub on_day: NaiveDate,
    pub region_code: RegionCode,
    pub title: String,
    pub body: String,
}

pub(crate) const COLUMNS: &str =
    "id, recipient_kind, recipient_id, item_kind, item_id, notice, on_day, \
    region_code, title, body, created_at, read_at";

pub(crate) fn from_row(row: &AnyRow) -> StoreResult<Notification> {
    Ok(Notification {
        id: row.try_get("id")?,
        recipient: Recipient::from_parts(
            &row.try_get::<String, _>("recipient_kind")?,
            row.try_get("recipient_id")?,
        )?,
        item_kind: parse_key(&row.try_get::<String, _>("item_kind")?)?,
        item_id: row.try_get("item_id")?,
        notice: parse_key(&row.try_get::<String, _>("notice")?)?,
        on_day: parse_day(&row.try_get::<String, _>("on_day")?)?,
        region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        created_at: row.try_get("created_at")?,
        read_at: row.try_get("read_at")?,
    })
}

/// The columns a notification is written with.
const INSERT_COLUMNS: &[&str] = &[
    "recipient_kind",
    "recipient_id",
    "item_kind",
    "item_id",
    "notice",
    "on_day",
    "region_code",
    "title",
    "body",
    "created_at",
];

/// One multi-row INSERT of notifications that skips those already there and returns the ids of
/// the new ones.
fn insert_statement(
    items: &[NewNotification],
    created_at: &str,
    positional: bool,
) -> StoreResult<crate::sql::Statement> {
    let rows = items
        .iter()
        .map(|item| {
            let (kind, id) = item.recipient.parts();
            vec![
                kind.into(),
                id.into(),
                item.item_kind.key().into(),
                item.item_id.into(),
                item.notice.key().into(),
                item.on_day.to_string().into(),
                item.region_code.to_string().into(),
                item.title.clone().into(),
                item.body.clone().into(),
                created_at.into(),
            ]
        })
        .collect();
    let mut statements = crate::sql::insert_statements(
        "notifications",
        &Default::default(),
        INSERT_COLUMNS,
        rows,
        positional,
    )?;
    debug_assert_eq!(statements.len(), 1, "one chunk makes one statement");
    let (mut sql, args) = statements.remove(0);
    sql.push_str(
        " ON CONFLICT (recipient_kind, recipient_id, item_kind, item_id, notice, on_day) DO NOTHING RETURNING id",
    );
    Ok((sql, args))
}

impl Store {
    /// Writes notifications that are not there yet, and queues each new one in the outbox, in
    /// one transaction. Returns how many were new.
    ///
    /// Chunks of rows are inserted one statement each, the next built while the database
    /// stores the current one (as in [`crate::sql::insert_rows`]); one commit for a whole pass
    /// rather than one per chunk writes each index page once.
    pub(crate) async fn write_notifications(
        &self,
        items: &[NewNotification],
        created_at: &str,
    ) -> StoreResult<usize> {
        if items.is_empty() {
            return Ok(0);
        }
        let positional = self.backend() == crate::Backend::Sqlite;
        let per_chunk = crate::sql::chunk_rows(INSERT_COLUMNS.len());
        let mut chunks = items.chunks(per_chunk);
        let mut tx = self.pool.begin().await?;
        let mut ids: Vec<i64> = Vec::with_capacity(items.len());
        let mut next = chunks
            .next()
            .map(|c| insert_statement(c, created_at, positional))
            .transpose()?;
        while let Some((sql, args)) = next.take() {
            let run = sqlx::query_with::<Any, _>(&sql, args).fetch_all(&mut *tx);
            let build = async {
                chunks
                    .next()
                    .map(|c| insert_statement(c, created_at, positional))
                    .transpose()
            };
            let (rows, following) = futures_util::future::join(run, build).await;
            for row in rows? {
                ids.push(row.try_get::<i64, _>(0)?);
            }
            next = following?;
        }
        let queued = ids
            .iter()
            .map(|id| {
                vec![
                    (*id).into(),
                    created_at.into(),
                    0i64.into(),
                    created_at.into(),
                ]
            })
            .collect();
        crate::sql::insert_rows(
            &mut tx,
            "outbox",
            &[
                "notification_id",
                "created_at",
                "attempts",
                "next_attempt_at",
            ],
            queued,
        )
        .await?;
        tx.commit().await?;
        Ok(ids.len())
    }

    /// A user's inbox, newest first.
    pub async fn notifications_for_user(
        &self,
        user_id: i64,
        unread_only: bool,
        page: PageRequest,
    ) -> StoreResult<Page<Notification>> {
        self.notifications_for(Recipient::User(user_id), unread_only, page)
            .await
    }

    /// The notices sent to a person holding a responsible post, newest first.
    pub async fn notifications_for_person(
        &self,
        person_id: i64,
        page: PageRequest,
    ) -> StoreResult<Page<Notification>> {
        self.notifications_for(Recipient::Person(person_id), false, page)
            .await
    }

    async fn notifications_for(
        &self,
        recipient: Recipient,
        unread_only: bool,
        page: PageRequest,
    ) -> StoreResult<Page<Notification>> {
        let (before, limit) = page.bounds();
        let (kind, id) = recipient.parts();
        let sql = format!(
            "SELECT {COLUMNS} FROM notifications WHERE recipient_kind = $1 AND recipient_id = $2 \
             AND ($3 = 0 OR read_at IS NULL) AND id < $4 ORDER BY id DESC LIMIT $5"
        );
        let rows = sqlx::query(&sql)
            .bind(kind)
            .bind(id)
            .bind(i64::from(unread_only))
            .bind(before)
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?;
        let items = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |n| n.id))
    }

    /// How many notifications a user has not read.
    pub async fn unread_notifications(&self, user_id: i64) -> StoreResult<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(*) FROM notifications WHERE recipient_kind = 'user' AND recipient_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?)
    }

    /// Marks one of a user's notifications read (a user cannot mark another's).
    pub async fn mark_notification_read(&self, user_id: i64, id: i64, at: &str) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE id = $2 AND recipient_kind = 'user' AND recipient_id = $3 \
             AND read_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            let exists = sqlx::query("SELECT 1 FROM notifications WHERE id = $1 AND recipient_kind = 'user' AND recipient_id = $2")
                .bind(id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
            if exists.is_none() {
                return Err(StoreError::not_found("notification", id));
            }
        }
        Ok(())
    }

    /// Every notification about one item (for an item's page and for tests).
    pub async fn notifications_about(
        &self,
        item_kind: ItemKind,
        item_id: i64,
    ) -> StoreResult<Vec<Notification>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notifications WHERE item_kind = $1 AND item_id = $2 ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(item_kind.key())
            .bind(item_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }
}
