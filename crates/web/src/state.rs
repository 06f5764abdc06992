//! What every request handler shares: the store and the settings. Nothing else is kept in a
//! process's memory, so several server processes can share one PostgreSQL database.

use std::sync::Arc;

use ecoduty_store::Store;

use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        AppState {
            store,
            config: Arc::new(config),
        }
    }
}
