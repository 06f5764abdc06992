//! Personal API tokens: created and revoked by their owner in the UI, stored as a SHA-256 hash
//! (the token is shown once), each creation and revocation in the ledger.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::{now, Writer};
use crate::sql::Value;
use crate::users::User;
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of an API token's record (never the token or its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: i64,
    pub rev: i64,
    pub user_id: i64,
    pub name: String,
    /// The token's first characters, so that its owner can tell tokens apart.
    pub prefix: String,
    pub created_at: String,
    pub revoked: bool,
}

impl Versioned for ApiToken {
    const ENTITY: &'static str = "api_token";
    const IDENTITY: &'static str = "api_tokens";
    const VERSIONS: &'static str = "api_token_versions";
    const ID_COLUMN: &'static str = "token_id";
    const CURRENT: &'static str = "api_token_current";
    const COLUMNS: &'static [&'static str] = &[
        "token_id",
        "rev",
        "user_id",
        "name",
        "prefix",
        "created_at",
        "revoked",
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
            self.user_id.into(),
            self.name.clone().into(),
            self.prefix.clone().into(),
            self.created_at.clone().into(),
            self.revoked.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(ApiToken {
            id: row.try_get("token_id")?,
            rev: row.try_get("rev")?,
            user_id: row.try_get("user_id")?,
            name: row.try_get("name")?,
            prefix: row.try_get("prefix")?,
            created_at: row.try_get("created_at")?,
            revoked: flag(row, "revoked")?,
        })
    }
}

impl Store {
    pub async fn create_api_token(
        &self,
        change: &Change,
        user: &User,
        name: &str,
        prefix: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid(
                "name",
                "give the token a name of 1–100 characters",
            ));
        }
        let mut w = Writer::begin(self, change).await?;
        w.set_region(user.region_code.as_ref().map(|c| c.to_string()));
        let token = ApiToken {
            id: versioned::next_id::<ApiToken>(w.conn()).await?,
            rev: 1,
            user_id: user.id,
            name: name.to_string(),
            prefix: prefix.to_string(),
            created_at: now(),
            revoked: false,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: token.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        sqlx::query("INSERT INTO api_token_secrets (token_id, token_hash) VALUES ($1, $2)")
            .bind(token.id)
            .bind(token_hash)
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(token)
    }

    pub async fn api_tokens_of(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        let sql = format!(
            "SELECT {} FROM api_token_current WHERE user_id = $1 ORDER BY token_id",
            ApiToken::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(ApiToken::from_row).collect()
    }

    /// Revokes one of `user`'s tokens.
    pub async fn revoke_api_token(
        &self,
        change: &Change,
        user: &User,
        token_id: i64,
    ) -> StoreResult<ApiToken> {
        let mut w = Writer::begin(self, change).await?;
        w.set_region(user.region_code.as_ref().map(|c| c.to_string()));
        let before: ApiToken = versioned::current_in(w.conn(), token_id)
            .await?
            .filter(|t: &ApiToken| t.user_id == user.id)
            .ok_or_else(|| StoreError::not_found("api token", token_id))?;
        if before.revoked {
            return Err(StoreError::invalid("token", "the token is already revoked"));
        }
        let after = ApiToken {
            rev: before.rev + 1,
            revoked: true,
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "revoke",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// The active user a live token belongs to, and the ledger's tip (see
    /// [`Store::ledger_tip`]) read in the same statement. One query (token, user and their
    /// current versions joined): it runs on every API request, and the tip lets the caller
    /// reuse answers computed since nothing was last written.
    pub async fn user_by_api_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(ApiToken, User, i64)>> {
        let sql = format!(
            "SELECT {}, t.token_id, t.rev AS token_rev, t.name AS token_name, \
             t.prefix AS token_prefix, t.created_at AS token_created_at, t.revoked AS token_revoked, \
             (SELECT MAX(seq) FROM ledger) AS ledger_tip \
             FROM api_token_secrets s JOIN api_token_current t ON t.token_id = s.token_id \
             JOIN user_current u ON u.user_id = t.user_id \
             WHERE s.token_hash = $1 AND t.revoked = 0",
            User::COLUMNS.iter().map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let user = User::from_row(&row)?;
        if !user.active {
            return Ok(None);
        }
        let token = ApiToken {
            id: row.try_get("token_id")?,
            rev: row.try_get("token_rev")?,
            user_id: user.id,
            name: row.try_get("token_name")?,
            prefix: row.try_get("token_prefix")?,
            created_at: row.try_get("token_created_at")?,
            revoked: flag(&row, "token_revoked")?,
        };
        let tip = row.try_get::<Option<i64>, _>("ledger_tip")?.unwrap_or(0);
        Ok(Some((token, user, tip)))
    }
}
