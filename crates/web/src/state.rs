//! What every request handler shares: the store, the settings, a memo of indicator
//! computations and the public forms' rate limiter. The memo is checked against the ledger's
//! tip on every use (see [`QualityMemo`]), and the rate limiter keeps its counts in the
//! database (see [`crate::ratelimit`]), so several server processes can share one PostgreSQL
//! database: what one process writes, the others see on their next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use ecoduty_domain::RegionCode;
use ecoduty_store::quality::status::{RegionStatus, WarningReport};
use ecoduty_store::{Store, StoreResult};

use crate::config::Config;
use crate::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub quality: Arc<QualityMemo>,
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
            quality: Arc::new(QualityMemo::default()),
        }
    }

    /// [`Store::indicator_status`], remembered until the ledger moves.
    pub async fn indicator_status(
        &self,
        region: &RegionCode,
        year: i32,
        at: NaiveDate,
    ) -> StoreResult<Arc<RegionStatus>> {
        let tip = self.store.ledger_tip().await?;
        let key = (region.clone(), year, at);
        if let Some(hit) = QualityMemo::get(&self.quality.status, &key, tip) {
            return Ok(hit);
        }
        let fresh = Arc::new(self.store.indicator_status(region, year, at).await?);
        QualityMemo::put(&self.quality.status, key, tip, fresh.clone());
        Ok(fresh)
    }

    /// [`Store::early_warnings`] (holders looked up on `at`), remembered until the ledger
    /// moves.
    pub async fn early_warnings(
        &self,
        within: Option<&RegionCode>,
        year: i32,
        at: NaiveDate,
    ) -> StoreResult<Arc<Vec<WarningReport>>> {
        let tip = self.store.ledger_tip().await?;
        let key = (within.cloned(), year, at);
        if let Some(hit) = QualityMemo::get(&self.quality.warnings, &key, tip) {
            return Ok(hit);
        }
        let fresh = Arc::new(self.store.early_warnings(within, year, at, at).await?);
        QualityMemo::put(&self.quality.warnings, key, tip, fresh.clone());
        Ok(fresh)
    }
}

type Memo<K, V> = Mutex<HashMap<K, (i64, Arc<V>)>>;

/// Indicator statuses and early warnings as last computed, each with the ledger tip it was
/// computed at. Computing a region's status reads a year of monitoring data (tens of
/// milliseconds); pages and API calls ask for the same few regions over and over, and the
/// answer can only change when something is written — which always appends to the ledger.
/// An entry computed at another tip is never used. Bounded: past [`QualityMemo::CAPACITY`]
/// entries the map starts afresh, which keeps the code trivially right at the cost of an
/// occasional recomputation.
#[derive(Default)]
pub struct QualityMemo {
    status: Memo<(RegionCode, i32, NaiveDate), RegionStatus>,
    warnings: Memo<(Option<RegionCode>, i32, NaiveDate), Vec<WarningReport>>,
}

impl QualityMemo {
    pub const CAPACITY: usize = 512;

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
