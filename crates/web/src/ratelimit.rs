//! The per-client limit on the public forms (filing a complaint, following one): each client
//! address may spend `burst` requests at once, refilled at `per_minute`
//! (`ECODUTY_PUBLIC_RATE_BURST`, `ECODUTY_PUBLIC_RATE_PER_MINUTE`); beyond that the answer is
//! 429 with `Retry-After`.
//!
//! The count lives in the database ([`ecoduty_store::rate_limits`]), decided and recorded in
//! one atomic statement, so several servers behind a load balancer on one PostgreSQL database
//! share one budget per client: what a client spent on one server is spent on all. The
//! address is stored only as its SHA-256 (under a fixed prefix), never as such — a digest of
//! an IPv4 address can be found by trying them all, so this keeps addresses out of sight, not
//! secret; rows are deleted by the servers' housekeeping once their client has its whole burst
//! back. The count is not an accountability record and never enters the ledger. Times are the
//! servers' clocks, which a deployment keeps in step (NTP) like the sessions' expiry.

use std::net::IpAddr;

use ecoduty_store::rate_limits::RateRule;
use ecoduty_store::{Store, StoreResult};
use sha2::{Digest, Sha256};

pub struct RateLimiter {
    rule: RateRule,
}

impl RateLimiter {
    pub fn new(burst: u32, per_minute: u32) -> RateLimiter {
        RateLimiter {
            rule: RateRule::new(burst, per_minute),
        }
    }

    /// Spends one request of `client`'s; `Ok(Err(seconds))` when none is left: the seconds
    /// until one is.
    pub async fn check(&self, store: &Store, client: IpAddr) -> StoreResult<Result<(), u64>> {
        store
            .spend_rate_limit(&client_digest(client), self.rule, now_ms())
            .await
    }
}

/// What a client address is known by in the database.
pub fn client_digest(client: IpAddr) -> String {
    let mut h = Sha256::new();
    h.update(b"ecoduty public rate limit\0");
    h.update(client.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Milliseconds since the epoch, by this server's clock.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_known_by_a_digest_only() {
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let d = client_digest(a);
        assert_eq!(d.len(), 64);
        assert!(!d.contains("192"));
        assert_eq!(d, client_digest(a));
        assert_ne!(d, client_digest(b));
    }
}
