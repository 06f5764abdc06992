//! The web application of ecoduty: server-rendered pages in Chinese and English, the JSON API
//! under /api/v1 with its OpenAPI document, sign-in with sessions and API tokens, and access
//! limited to each user's region.
//!
//! - [`server`]: the router and its layers, serving and shutdown.
//! - [`routes`]: the table of every route and who may call it.
//! - [`auth`]: passwords, sessions, CSRF, API tokens; the [`auth::Viewer`] extractors.
//! - [`ui`]: the pages; [`api`]: the JSON API.
//! - [`error`]: one error type, rendered as a page or as problem details.
//! - [`i18n`]: the interface's messages in both languages.
//! - [`ratelimit`]: the per-client limit on the public complaint form.

pub mod api;
pub mod auth;
pub mod config;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod ratelimit;
pub mod routes;
pub mod server;
pub mod state;
pub mod ui;

pub use config::Config;
pub use server::{app, serve};
pub use state::AppState;
