//! External delivery of notifications: the outbox and its webhook sender.
//!
//! Each notification is queued when it is written (same transaction), so nothing is lost
//! between deciding to tell someone and telling them. A sender pass claims due rows (so that
//! two senders never post the same row at once), POSTs each as JSON to the webhook, and marks
//! it delivered on a 2xx answer; on any other outcome it records the error and schedules the
//! next attempt after a delay that doubles with each failure (capped). A row is never dropped:
//! if the receiver is down for a day, it gets everything when it is back. The request carries
//! an `Idempotency-Key` so that a receiver can ignore a repeat after a sender crashed between
//! posting and recording the delivery.

use chrono::Duration;
use serde::Serialize;
use sqlx::Row;

use super::notifications::{from_row, Notification, COLUMNS};
use super::scheduler::Clock;
use super::stamp;
use crate::error::{StoreError, StoreResult};
use crate::Store;

/// How a sender pass runs.
#[derive(Debug, Clone)]
pub struct OutboxConfig {
    pub webhook_url: String,
    /// Rows per pass.
    pub batch: i64,
    /// Delay after the first failure; it doubles with each further one.
    pub base_delay_seconds: i64,
    pub max_delay_seconds: i64,
    /// How long a claimed row is left to its sender before another may take it.
    pub claim_seconds: i64,
    pub timeout_seconds: u64,
}

impl OutboxConfig {
    pub fn new(webhook_url: impl Into<String>) -> OutboxConfig {
        OutboxConfig {
            webhook_url: webhook_url.into(),
            batch: 200,
            base_delay_seconds: 30,
            max_delay_seconds: 6 * 3600,
            claim_seconds: 120,
            timeout_seconds: 10,
        }
    }

    /// The delay before attempt `attempts + 1`, after `attempts` failures (≥ 1).
    pub fn delay_after(&self, attempts: i64) -> Duration {
        let doublings = (attempts - 1).clamp(0, 30) as u32;
        let seconds = self.base_delay_seconds.saturating_mul(1i64 << doublings);
        Duration::seconds(seconds.min(self.max_delay_seconds))
    }
}

/// What a sender pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutboxReport {
    pub attempted: usize,
    pub delivered: usize,
    pub failed: usize,
    /// Rows still to deliver after the pass (due now or later).
    pub pending: i64,
}

/// What the webhook receives.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    outbox_id: i64,
    attempt: i64,
    notification: &'a Notification,
}

/// The queue as it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutboxStatus {
    pub pending: i64,
    pub delivered: i64,
    /// Pending rows that have failed at least once.
    pub failing: i64,
}

impl Store {
    /// One sender pass: posts the rows due on the clock's time to the webhook.
    pub async fn send_outbox_once(
        &self,
        clock: &dyn Clock,
        config: &OutboxConfig,
    ) -> StoreResult<OutboxReport> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(config.timeout_seconds))
            .build()
            .map_err(|e| StoreError::invalid("webhook", e.to_string()))?;
        let url = reqwest::Url::parse(&config.webhook_url)
            .map_err(|e| StoreError::invalid("webhook", format!("{}: {e}", config.webhook_url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(StoreError::invalid(
                "webhook",
                "the webhook must be an http or https URL",
            ));
        }
        let now = clock.now();
        let now_s = stamp(now);
        let sql = format!(
            "SELECT o.id AS outbox_id, o.attempts, {} FROM outbox o JOIN notifications n ON n.id = o.notification_id \
             WHERE o.delivered_at IS NULL AND o.next_attempt_at <= $1 AND (o.claimed_until IS NULL OR o.claimed_until < $1) \
             ORDER BY o.next_attempt_at, o.id LIMIT $2",
            COLUMNS.split(", ").map(|c| format!("n.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(&now_s)
            .bind(config.batch)
            .fetch_all(&self.pool)
            .await?;
        let mut report = OutboxReport::default();
        for row in &rows {
            let outbox_id: i64 = row.try_get("outbox_id")?;
            let attempts: i64 = row.try_get::<i64, _>("attempts")? + 1;
            let claimed = sqlx::query(
                "UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND delivered_at IS NULL \
                 AND (claimed_until IS NULL OR claimed_until < $3)",
            )
            .bind(stamp(now + Duration::seconds(config.claim_seconds)))
            .bind(outbox_id)
            .bind(&now_s)
            .execute(&self.pool)
            .await?;
            if claimed.rows_affected() != 1 {
                continue;
            }
            let notification = from_row(row)?;
            report.attempted += 1;
            let result = client
                .post(url.clone())
                .header(
                    "Idempotency-Key",
                    format!("ecoduty-notification-{}", notification.id),
                )
                .json(&Payload {
                    outbox_id,
                    attempt: attempts,
                    notification: &notification,
                })
                .send()
                .await;
            let error = match result {
                Ok(resp) if resp.status().is_success() => None,
                Ok(resp) => Some(format!("HTTP {}", resp.status())),
                Err(e) => Some(e.to_string()),
            };
            match error {
                None => {
                    sqlx::query(
                        "UPDATE outbox SET delivered_at = $1, attempts = $2, claimed_until = NULL, last_error = NULL WHERE id = $3",
                    )
                    .bind(stamp(clock.now()))
                    .bind(attempts)
                    .bind(outbox_id)
                    .execute(&self.pool)
                    .await?;
                    report.delivered += 1;
                }
                Some(message) => {
                    let next = clock.now() + config.delay_after(attempts);
                    sqlx::query(
                        "UPDATE outbox SET attempts = $1, next_attempt_at = $2, claimed_until = NULL, last_error = $3 WHERE id = $4",
                    )
                    .bind(attempts)
                    .bind(stamp(next))
                    .bind(message.chars().take(500).collect::<String>())
                    .bind(outbox_id)
                    .execute(&self.pool)
                    .await?;
                    report.failed += 1;
                }
            }
        }
        report.pending = self.outbox_status().await?.pending;
        Ok(report)
    }

    /// How many rows wait, were delivered, and are failing.
    pub async fn outbox_status(&self) -> StoreResult<OutboxStatus> {
        let row = sqlx::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN delivered_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END), 0) \
             FROM outbox",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(OutboxStatus {
            pending: row.try_get(0)?,
            delivered: row.try_get(1)?,
            failing: row.try_get(2)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let c = OutboxConfig::new("http://127.0.0.1:9/hook");
        assert_eq!(c.delay_after(1), Duration::seconds(30));
        assert_eq!(c.delay_after(2), Duration::seconds(60));
        assert_eq!(c.delay_after(5), Duration::seconds(480));
        assert_eq!(c.delay_after(20), Duration::seconds(6 * 3600));
        assert_eq!(c.delay_after(1000), Duration::seconds(6 * 3600));
    }
}
