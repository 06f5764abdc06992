//! Storage for ecoduty: SQLite (the embedded default) and PostgreSQL through one set of
//! queries, with every accountability record kept as append-only versions and every write
//! entered in one hash-chained change ledger.
//!
//! One module per entity, each holding its record types and all its queries:
//! [`regions`], [`organisations`], [`posts`], [`people`], [`tenures`], [`roster`],
//! [`regulation`], [`duties`]. [`db`] opens, creates and migrates a database and confines the
//! differences between the two backends; [`ledger`] owns the write path and the chain, below
//! the entities; [`verify`], above them, checks the chain, the records and the tables derived
//! from them against each other and against signed [`checkpoints`].

pub mod accountability;
pub mod api_queries;
pub mod assessment;
pub mod audit;
pub mod checkpoints;
pub mod db;
pub mod duties;
pub mod emergency;
pub mod error;
pub mod ledger;
pub mod organisations;
pub mod page_queries;
pub mod people;
pub mod posts;
pub mod quality;
pub mod rate_limits;
pub mod regions;
pub mod regulation;
pub mod roster;
pub mod sessions;
pub mod supervision;
pub mod tenures;
pub mod tokens;
pub mod users;
pub mod verify;
pub mod waters;
pub mod zoning;

mod phases;
mod sql;
mod versioned;

pub use db::{Backend, OpenOptions, Store};
pub use error::{StoreError, StoreResult};
pub use ledger::{Change, HashAlgorithm};
