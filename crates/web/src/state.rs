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
        self.memo
            .status
            .get_or_compute(key, tip, || self.store.indicator_status(region, year, at))
            .await
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
        self.memo
            .warnings
            .get_or_compute(key, tip, || self.store.early_warnings(within, year, at, at))
            .await
    }
}

/// A computation under way: whoever holds it computes, the others wait for it.
type Flight = Arc<tokio::sync::Mutex<()>>;

/// One memo: the answers as last computed, each with its tip, and the computations under way.
///
/// A missing answer is computed once (single flight): concurrent requests for the same key at
/// the same tip wait on the first one's computation and then read its answer, instead of all
/// computing the same cold answer at once (issue 14 §4: the signed-in region page's long tail
/// under load). A failed computation files nothing; the next waiter tries again.
pub struct Memo<K, V> {
    done: Mutex<HashMap<K, (i64, Arc<V>)>>,
    flights: Mutex<HashMap<(K, i64), Flight>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            done: Mutex::new(HashMap::new()),
            flights: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V> Memo<K, V> {
    fn lookup(&self, key: &K, tip: i64) -> Option<Arc<V>> {
        let map = self.done.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at_tip, _)| *at_tip == tip)
            .map(|(_, v)| v.clone())
    }

    fn file(&self, key: K, tip: i64, value: Arc<V>) {
        let mut map = self.done.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= LedgerMemo::CAPACITY && !map.contains_key(&key) {
            map.clear();
        }
        map.insert(key, (tip, value));
    }

    /// The answer for `key` at `tip`: remembered, or computed once by `compute` while any
    /// other caller asking the same waits for it.
    pub async fn get_or_compute<F, Fut>(&self, key: K, tip: i64, compute: F) -> StoreResult<Arc<V>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = StoreResult<V>>,
    {
        if let Some(hit) = self.lookup(&key, tip) {
            return Ok(hit);
        }
        let flight = {
            let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
            flights
                .entry((key.clone(), tip))
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(())))
                .clone()
        };
        let guard = flight.lock().await;
        // Whoever held the flight before may have filed the answer meanwhile.
        let result = match self.lookup(&key, tip) {
            Some(hit) => Ok(hit),
            None => match compute().await {
                Ok(v) => {
                    let v = Arc::new(v);
                    self.file(key.clone(), tip, v.clone());
                    Ok(v)
                }
                Err(e) => Err(e),
            },
        };
        drop(guard);
        // The last one out takes the flight away (the map holds one reference, we another).
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        if flights
            .get(&(key.clone(), tip))
            .is_some_and(|f| Arc::strong_count(f) <= 2)
        {
            flights.remove(&(key, tip));
        }
        result
    }
}

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
        self.who_json.lookup(key, tip).map(|b| (*b).clone())
    }

    /// Files the JSON answer computed at `tip` (a tip read before the answer was computed, so
    /// that an answer is never filed under a tip newer than the records it came from).
    pub fn keep_who_json(&self, key: (RegionCode, NaiveDate, Option<Role>), tip: i64, body: Bytes) {
        self.who_json.file(key, tip, Arc::new(body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_requests_compute_a_missing_answer_once() {
        let memo: Memo<u32, u32> = Memo::default();
        let computed = AtomicUsize::new(0);
        let ask = |tip| {
            memo.get_or_compute(7, tip, || async {
                computed.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                Ok(42)
            })
        };
        let answers = futures_util::future::join_all((0..20).map(|_| ask(1))).await;
        assert!(answers.iter().all(|a| **a.as_ref().unwrap() == 42));
        assert_eq!(
            computed.load(Ordering::SeqCst),
            1,
            "one computation for twenty asks"
        );
        assert!(
            memo.flights.lock().unwrap().is_empty(),
            "no flight left behind"
        );
        // Another tip is another answer.
        ask(2).await.unwrap();
        assert_eq!(computed.load(Ordering::SeqCst), 2);
        ask(2).await.unwrap();
        assert_eq!(computed.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_computation_files_nothing() {
        let memo: Memo<u32, u32> = Memo::default();
        let failed = memo
            .get_or_compute(1, 1, || async {
                Err(ecoduty_store::StoreError::invalid("x", "fails"))
            })
            .await;
        assert!(failed.is_err());
        let ok = memo.get_or_compute(1, 1, || async { Ok(5) }).await.unwrap();
        assert_eq!(*ok, 5);
    }
}
