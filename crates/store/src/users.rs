//! Users of the application: versioned records (who created or changed an account, its role
//! and region, is in the ledger), their password hashes (kept apart, out of the ledger), and
//! sign-in attempts for throttling.

use ecoduty_domain::access::{Scope, UserRole};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::{now, Entry, Writer};
use crate::sql::{like_escape, Value};
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub rev: i64,
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    /// `None`: nationwide (system administrators only).
    pub region_code: Option<RegionCode>,
    pub active: bool,
}

impl User {
    pub fn scope(&self) -> Scope {
        Scope::of(self.region_code.as_ref())
    }
}

impl Versioned for User {
    const ENTITY: &'static str = "user";
    const IDENTITY: &'static str = "users";
    const VERSIONS: &'static str = "user_versions";
    const ID_COLUMN: &'static str = "user_id";
    const CURRENT: &'static str = "user_current";
    const COLUMNS: &'static [&'static str] = &[
        "user_id",
        "rev",
        "username",
        "display_name",
        "role",
        "region_code",
        "active",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        self.region_code.as_ref().map(|c| c.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.username.clone().into(),
            self.display_name.clone().into(),
            self.role.key().into(),
            self.region_code.as_ref().map(|c| c.to_string()).into(),
            self.active.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let role: String = row.try_get("role")?;
        let code: Option<String> = row.try_get("region_code")?;
        Ok(User {
            id: row.try_get("user_id")?,
            rev: row.try_get("rev")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: role.parse().map_err(StoreError::Corrupt)?,
            region_code: code
                .map(|c| RegionCode::parse(&c))
                .transpose()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            active: flag(row, "active")?,
        })
    }
}

/// A new account; the password is already hashed (argon2id) by the caller.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub region_code: Option<RegionCode>,
    pub password_hash: String,
    /// The password is a one-time password (printed by `user add` or `serve --demo`, or set by
    /// an administrator): it signs in once, to a session that can only change it.
    pub one_time: bool,
}

/// What a stored password may still do (issue 14 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordState {
    /// Chosen by the user: signs in as often as needed.
    Permanent,
    /// A one-time password not used yet: the next sign-in spends it.
    OneTimeUnused,
    /// A one-time password already used to sign in: refused from now on.
    OneTimeUsed,
}

/// Changes to an account; `None` keeps a field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub role: Option<UserRole>,
    pub region_code: Option<Option<RegionCode>>,
    pub active: Option<bool>,
}

fn check_shape(user: &User) -> StoreResult<()> {
    ecoduty_domain::access::check_username(&user.username)
        .map_err(|m| StoreError::invalid("username", m))?;
    if user.display_name.trim().is_empty() {
        return Err(StoreError::invalid(
            "display_name",
            "the display name is empty",
        ));
    }
    if user.region_code.is_none() && user.role != UserRole::SystemAdmin {
        return Err(StoreError::invalid(
            "region_code",
            "only system administrators are nationwide; give a region",
        ));
    }
    Ok(())
}

impl Store {
    pub async fn create_user(&self, change: &Change, new: NewUser) -> StoreResult<User> {
        if let Some(code) = &new.region_code {
            self.require_region(code).await?;
        }
        let mut w = Writer::begin(self, change).await?;
        let taken = sqlx::query("SELECT user_id FROM user_current WHERE username = $1")
            .bind(&new.username)
            .fetch_optional(w.conn())
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "username {} is taken",
                new.username
            )));
        }
        let user = User {
            id: versioned::next_id::<User>(w.conn()).await?,
            rev: 1,
            username: new.username,
            display_name: new.display_name.trim().to_string(),
            role: new.role,
            region_code: new.region_code,
            active: true,
        };
        check_shape(&user)?;
        versioned::write(
            &mut w,
            vec![Version {
                record: user.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        sqlx::query(
            "INSERT INTO user_credentials (user_id, password_hash, changed_at, one_time) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(user.id)
        .bind(&new.password_hash)
        .bind(now())
        .bind(new.one_time as i64)
        .execute(w.conn())
        .await?;
        w.commit().await?;
        Ok(user)
    }

    pub async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        versioned::current(self, id).await
    }

    /// The account and its password hash, for signing in.
    pub async fn user_for_sign_in(&self, username: &str) -> StoreResult<Option<(User, String)>> {
        let sql = format!(
            "SELECT {}, c.password_hash FROM user_current u JOIN user_credentials c ON c.user_id = u.user_id \
             WHERE u.username = $1",
            User::COLUMNS.iter().map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some((User::from_row(&r)?, r.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// Accounts within a scope (bound to a region inside it), by username; `query` filters by
    /// username or display name.
    pub async fn users_within(&self, scope: &Scope, query: &str) -> StoreResult<Vec<User>> {
        let prefix = match scope {
            Scope::Nationwide => String::new(),
            Scope::Within(c) => c.subtree_prefix().to_string(),
        };
        let sql = format!(
            "SELECT {} FROM user_current WHERE ($1 = '' OR region_code LIKE $2) \
             AND ($3 = '' OR username LIKE $4 ESCAPE '\\' OR display_name LIKE $4 ESCAPE '\\') ORDER BY username",
            User::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(prefix.clone())
            .bind(format!("{prefix}%"))
            .bind(query.trim())
            .bind(format!("%{}%", like_escape(query.trim())))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(User::from_row).collect()
    }

    pub async fn user_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?)
    }

    pub async fn update_user(
        &self,
        change: &Change,
        id: i64,
        patch: UserPatch,
    ) -> StoreResult<User> {
        if let Some(Some(code)) = &patch.region_code {
            self.require_region(code).await?;
        }
        let mut w = Writer::begin(self, change).await?;
        let before: User = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("user", id))?;
        let after = User {
            rev: before.rev + 1,
            display_name: patch
                .display_name
                .map(|d| d.trim().to_string())
                .unwrap_or_else(|| before.display_name.clone()),
            role: patch.role.unwrap_or(before.role),
            region_code: patch
                .region_code
                .unwrap_or_else(|| before.region_code.clone()),
            active: patch.active.unwrap_or(before.active),
            ..before.clone()
        };
        check_shape(&after)?;
        let action = match (before.active, after.active) {
            (true, false) => "deactivate",
            (false, true) => "reactivate",
            _ => "update",
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
        if !after.active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(w.conn())
                .await?;
        }
        w.commit().await?;
        Ok(after)
    }

    /// Replaces a password hash; `one_time` makes it a one-time password (set for someone
    /// else), otherwise it is the user's own. The user's sessions end. The ledger records that
    /// the password changed (and whether to a one-time one), never the hash.
    pub async fn set_password(
        &self,
        change: &Change,
        id: i64,
        password_hash: &str,
        one_time: bool,
    ) -> StoreResult<()> {
        let mut w = Writer::begin(self, change).await?;
        let user: User = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("user", id))?;
        let at = now();
        sqlx::query(
            "UPDATE user_credentials SET password_hash = $1, changed_at = $2, one_time = $3, \
             one_time_used_at = NULL WHERE user_id = $4",
        )
        .bind(password_hash)
        .bind(&at)
        .bind(one_time as i64)
        .bind(id)
        .execute(w.conn())
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(w.conn())
            .await?;
        w.record_in(
            Entry {
                entity: "user_password",
                entity_id: id.to_string(),
                rev: 1,
                action: "change",
                before: None,
                after: Some(if one_time {
                    format!("{{\"user_id\":{id},\"changed_at\":\"{at}\",\"one_time\":true}}")
                } else {
                    format!("{{\"user_id\":{id},\"changed_at\":\"{at}\"}}")
                }),
            },
            user.region_code.map(|c| c.to_string()),
        );
        w.commit().await
    }

    /// What the user's stored password may still do.
    pub async fn password_state(&self, id: i64) -> StoreResult<PasswordState> {
        let row = sqlx::query(
            "SELECT one_time, one_time_used_at FROM user_credentials WHERE user_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("user", id))?;
        let one_time: i64 = row.try_get(0)?;
        let used: Option<String> = row.try_get(1)?;
        Ok(match (one_time, used) {
            (0, _) => PasswordState::Permanent,
            (_, None) => PasswordState::OneTimeUnused,
            (_, Some(_)) => PasswordState::OneTimeUsed,
        })
    }

    /// Spends a one-time password as it signs in. Only one caller wins: a second sign-in with
    /// the same password at the same moment gets `false`, as does a password already spent.
    pub async fn spend_one_time_password(&self, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE user_credentials SET one_time_used_at = $1 \
             WHERE user_id = $2 AND one_time = 1 AND one_time_used_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Notes a sign-in attempt (kept for throttling; not a ledger record).
    pub async fn record_sign_in_attempt(
        &self,
        username: &str,
        ip: &str,
        success: bool,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO login_attempts (username, ip, at, success) VALUES ($1, $2, $3, $4)",
        )
        .bind(username)
        .bind(ip)
        .bind(now())
        .bind(success as i64)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Failed attempts for a username, or from an address, since a time, with the latest one.
    pub async fn failed_sign_ins_since(
        &self,
        username: &str,
        ip: &str,
        since: &str,
    ) -> StoreResult<(i64, i64, Option<String>)> {
        let row = sqlx::query(
            "SELECT \
               (SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND success = 0 AND at >= $3 \
                  AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE username = $1 AND success = 1), '')), \
               (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND success = 0 AND at >= $3), \
               (SELECT MAX(at) FROM login_attempts WHERE username = $1 AND success = 0 AND at >= $3)",
        )
        .bind(username)
        .bind(ip)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }
}
