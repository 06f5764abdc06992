//! What every request handler shares: the store and the settings. Nothing else is kept in a
//! process's memory but the public forms' rate limiter (each process counts its own share), so
//! several server processes can share one PostgreSQL database.

use std::sync::Arc;

use ecoduty_store::Store;

use crate::config::Config;
use crate::ratelimit::RateLimiter;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Requests per client address to the public complaint form.
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
        }
    }
}
