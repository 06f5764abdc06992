//! The public forms' rate limit, kept in the database so that every server on it shares one
//! budget per client. Not an accountability record: no versions, no ledger entry; rows are
//! deleted once they say nothing ([`Store::prune_rate_limits`]).
//!
//! The limit is the generic cell rate algorithm (a token bucket told by one number): each
//! client has a theoretical arrival time `tat`; a request at `now` is allowed when
//! `max(tat, now) - now <= tolerance` and then moves `tat` to `max(tat, now) + interval`.
//! `interval` is the time one request earns back and `tolerance` is `interval × (burst - 1)`,
//! so a client may send `burst` requests at once and one per `interval` after that. The
//! decision and the update are one `INSERT … ON CONFLICT … DO UPDATE … RETURNING` statement,
//! atomic on both backends (SQLite ≥ 3.35, PostgreSQL ≥ 9.5): two servers deciding about one
//! client at the same moment are ordered by the row, and neither can spend what the other
//! spent.

use sqlx::Row;

use crate::error::StoreResult;
use crate::Store;

/// How a rate is counted: see the module's documentation. Times are in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateRule {
    /// Milliseconds one request earns back.
    pub interval_ms: i64,
    /// How far ahead of now a client's arrival time may run: `interval × (burst - 1)`.
    pub tolerance_ms: i64,
}

impl RateRule {
    /// `burst` requests at once, then `per_minute` a minute.
    pub fn new(burst: u32, per_minute: u32) -> RateRule {
        let interval_ms = (60_000 / i64::from(per_minute.max(1))).max(1);
        RateRule {
            interval_ms,
            tolerance_ms: interval_ms * (i64::from(burst.max(1)) - 1),
        }
    }
}

impl Store {
    /// Spends one request of the client known by `client_digest` (the caller's digest of its
    /// address: the address itself is never stored) at `now_ms` (milliseconds since the
    /// epoch). `Err(seconds)`: none is left, and one will be in that many seconds.
    pub async fn spend_rate_limit(
        &self,
        client_digest: &str,
        rule: RateRule,
        now_ms: i64,
    ) -> StoreResult<Result<(), u64>> {
        // $2 now, $3 interval, $4 tolerance. The SET expressions read the row as it was.
        let row = sqlx::query(
            "INSERT INTO public_rate_limits (client_digest, tat, allowed) VALUES ($1, $2 + $3, 1) \
             ON CONFLICT (client_digest) DO UPDATE SET \
               tat = CASE \
                 WHEN (CASE WHEN public_rate_limits.tat > $2 THEN public_rate_limits.tat ELSE $2 END) - $2 <= $4 \
                 THEN (CASE WHEN public_rate_limits.tat > $2 THEN public_rate_limits.tat ELSE $2 END) + $3 \
                 ELSE public_rate_limits.tat END, \
               allowed = CASE \
                 WHEN (CASE WHEN public_rate_limits.tat > $2 THEN public_rate_limits.tat ELSE $2 END) - $2 <= $4 \
                 THEN 1 ELSE 0 END \
             RETURNING tat, allowed",
        )
        .bind(client_digest)
        .bind(now_ms)
        .bind(rule.interval_ms)
        .bind(rule.tolerance_ms)
        .fetch_one(&self.pool)
        .await?;
        let tat: i64 = row.try_get("tat")?;
        let allowed: i64 = row.try_get("allowed")?;
        if allowed == 1 {
            Ok(Ok(()))
        } else {
            let wait_ms = (tat - now_ms - rule.tolerance_ms).max(1);
            Ok(Err(((wait_ms + 999) / 1000).max(1) as u64))
        }
    }

    /// Deletes the rows of clients whose arrival time has passed before `now_ms` (a client
    /// without a row has its whole burst, like one whose time has passed); returns how many.
    pub async fn prune_rate_limits(&self, now_ms: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM public_rate_limits WHERE tat < $1")
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_from_the_settings() {
        assert_eq!(
            RateRule::new(3, 1),
            RateRule {
                interval_ms: 60_000,
                tolerance_ms: 120_000
            }
        );
        assert_eq!(RateRule::new(1, 120).tolerance_ms, 0);
        assert_eq!(RateRule::new(0, 0).interval_ms, 60_000);
    }
}
