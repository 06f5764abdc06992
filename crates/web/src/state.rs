//! What every request handler shares: the store, the settings, a memo of answers that are
//! costly or asked often (indicator statuses, early warnings, the point-in-time question) and
//! the public forms' rate limiter. The memo is checked against the ledger's tip on every use
//! (see [`LedgerMemo`]), and the rate limiter keeps its counts in the database (see
//! [`crate::ratelimit`]), so several server processes can share one PostgreSQL database: what
//! one process writes, the others see on their next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use chrono::NaiveDate;
use ecoduty_domain::{RegionCode, Role};
use ecoduty_store::quality::status::{RegionStatus, WarningReport};
use ecoduty_store::{Store, StoreResult};

use crate::config::Config;
use crate::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub memo: Arc<LedgerMemo>,
    /// Requests per client address to the public complaint form (counted in the database).
    pub public_limiter: Arc<RateLimiter>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            store,
            public_limiter: Arc::new(RateLimiter::new(
                config.public_burst,
                config.public_per_minute,
            )),
            config: Arc::new(config),
            memo: Arc::new(LedgerMemo::default()),
        }
    }

    /// [`Store::indicator_status`], remembered until the ledger moves. `tip` is the ledger's
    /// tip read with the caller's credentials ([`crate::auth::viewer::Viewer::ledger_tip`]),
    /// before anything is computed, so an answer is never filed under a newer tip.
    pub async fn indicator_status(
        &self,
        region: &RegionCode,
        year: i32,
        at: NaiveDate,
        tip: i64,
    ) -> StoreResult<Arc<RegionStatus>> {
        let key = (region.clone(), year, at);
        if let Some(hit) = LedgerMemo::get(&self.memo.status, &key, tip) {
            return Ok(hit);
        }
        let fresh = Arc::new(self.store.indicator_status(region, year, at).await?);
        LedgerMemo::put(&self.memo.status, key, tip, fresh.clone());
        Ok(fresh)
    }

    /// [`Store::early_warnings`] (holders looked up on `at`), remembered until the ledger
    /// moves; `tip` as for [`AppState::indicator_status`].
    pub async fn early_warnings(
        &self,
        within: Option<&RegionCode>,
        year: i32,
        at: NaiveDate,
        tip: i64,
    ) -> StoreResult<Arc<Vec<WarningReport>>> {
        let key = (within.cloned(), year, at);
        if let Some(hit) = LedgerMemo::get(&self.memo.warnings, &key, tip) {
            return Ok(hit);
        }
        let fresh = Arc::new(self.store.early_warnings(within, year, at, at).await?);
        LedgerMemo::put(&self.memo.warnings, key, tip, fresh.clone());
        Ok(fresh)
    }
}

type Memo<K, V> = Mutex<HashMap<K, (i64, Arc<V>)>>;

/// Indicator statuses, early warnings and point-in-time answers as last computed, each with
/// the ledger tip it was computed at. Computing a region's status reads a year of monitoring
/// data (tens of milliseconds) and the point-in-time question joins four versioned tables;
/// pages and API calls ask for the same few regions over and over, and the answer can only
/// change when something is written — which always appends to the ledger.
/// An entry computed at another tip is never used. Bounded: past [`LedgerMemo::CAPACITY`]
/// entries the map starts afresh, which keeps the code trivially right at the cost of an
/// occasional recomputation.
#[derive(Default)]
pub struct LedgerMemo {
    status: Memo<(RegionCode, i32, NaiveDate), RegionStatus>,
    warnings: Memo<(Option<RegionCode>, i32, NaiveDate), Vec<WarningReport>>,
    /// The JSON answer to "who held each post of this region on this date" (the API's
    /// point-in-time question), as sent: asked over and over by dashboards and scripts.
    who_json: Memo<(RegionCode, NaiveDate, Option<Role>), Bytes>,
}

impl LedgerMemo {
    pub const CAPACITY: usize = 512;

    /// The JSON answer to the point-in-time question, if it was computed at `tip`.
    pub fn who_json(&self, key: &(RegionCode, NaiveDate, Option<Role>), tip: i64) -> Option<Bytes> {
        Self::get(&self.who_json, key, tip).map(|b| (*b).clone())
    }

    /// Files the JSON answer computed at `tip` (a tip read before the answer was computed, so
    /// that an answer is never filed under a tip newer than the records it came from).
    pub fn keep_who_json(&self, key: (RegionCode, NaiveDate, Option<Role>), tip: i64, body: Bytes) {
        Self::put(&self.who_json, key, tip, Arc::new(body));
    }

    fn get<K: std::hash::Hash + Eq, V>(memo: &Memo<K, V>, key: &K, tip: i64) -> Option<Arc<V>> {
        let map = memo.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at_tip, _)| *at_tip == tip)
            .map(|(_, v)| v.clone())
    }

    fn put<K: std::hash::Hash + Eq, V>(memo: &Memo<K, V>, key: K, tip: i64, value: Arc<V>) {
        let mut map = memo.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= Self::CAPACITY && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, (tip, value));
    }
}
