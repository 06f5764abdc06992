//! Signed-in sessions, kept in the database so that several server processes behind a load
//! balancer share them. Sessions are operational state: they expire and are deleted; sign-in
//! and sign-out themselves are recorded in the ledger.

use serde::Serialize;
use sqlx::Row;

use crate::error::StoreResult;
use crate::ledger::{Entry, Writer};
use crate::users::User;
use crate::versioned::Versioned;
use crate::{Change, Store};

/// A session, known by the hash of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_seen_at: String,
    /// The user signed in with a one-time password and must change it before anything else
    /// (read with the session; not stored with it).
    #[serde(default)]
    pub must_change_password: bool,
}

impl Store {
    /// Starts a session and records the sign-in in the ledger.
    pub async fn create_session(
        &self,
        change: &Change,
        session: &Session,
        user: &User,
    ) -> StoreResult<()> {
        let mut w = Writer::begin(self, change).await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.token_hash)
        .bind(session.user_id)
        .bind(&session.csrf_token)
        .bind(&session.created_at)
        .bind(&session.expires_at)
        .bind(&session.last_seen_at)
        .execute(w.conn())
        .await?;
        w.record_in(
            Entry {
                entity: "session",
                entity_id: user.id.to_string(),
                rev: 1,
                action: "sign_in",
                before: None,
                after: Some(format!(
                    "{{\"user_id\":{},\"username\":{}}}",
                    user.id,
                    serde_json::to_string(&user.username).unwrap_or_default()
                )),
            },
            user.ledger_region(),
        );
        w.commit().await
    }

    /// The live session for a token hash, with its (active) user and the ledger's tip read in
    /// the same statement (as for [`Store::user_by_api_token`]).
    pub async fn session(
        &self,
        token_hash: &str,
        now: &str,
    ) -> StoreResult<Option<(Session, User, i64)>> {
        let sql = format!(
            "SELECT s.token_hash, s.user_id AS s_user_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, \
             (SELECT MAX(seq) FROM ledger) AS ledger_tip, COALESCE(c.one_time, 0) AS one_time, {} \
             FROM sessions s JOIN user_current u ON u.user_id = s.user_id \
             LEFT JOIN user_credentials c ON c.user_id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
            User::COLUMNS.iter().map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((
            Session {
                token_hash: row.try_get("token_hash")?,
                user_id: row.try_get("s_user_id")?,
                csrf_token: row.try_get("csrf_token")?,
                created_at: row.try_get("created_at")?,
                expires_at: row.try_get("expires_at")?,
                last_seen_at: row.try_get("last_seen_at")?,
                must_change_password: row.try_get::<i64, _>("one_time")? == 1,
            },
            User::from_row(&row)?,
            row.try_get::<Option<i64>, _>("ledger_tip")?.unwrap_or(0),
        )))
    }

    /// Extends a session that is in use (sliding expiry).
    pub async fn touch_session(
        &self,
        token_hash: &str,
        now: &str,
        expires_at: &str,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
            .bind(now)
            .bind(expires_at)
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a session and records the sign-out.
    pub async fn end_session(
        &self,
        change: &Change,
        token_hash: &str,
        user: &User,
    ) -> StoreResult<()> {
        let mut w = Writer::begin(self, change).await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(w.conn())
            .await?;
        w.record_in(
            Entry {
                entity: "session",
                entity_id: user.id.to_string(),
                rev: 1,
                action: "sign_out",
                before: None,
                after: None,
            },
            user.ledger_region(),
        );
        w.commit().await
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired_sessions(&self, now: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn session_count(&self, user_id: i64) -> StoreResult<i64> {
        Ok(
            sqlx::query("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }
}
