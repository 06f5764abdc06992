//! The store's one error type. Each variant says whose fault it is: the caller's input
//! (`NotFound`, `Invalid`, `Overlap`, `Roster`, `Conflict`) or the system (`Database`, `Migrate`).

use ecoduty_domain::roster::RosterErrors;
use ecoduty_domain::supervision::Reason;
use ecoduty_domain::tenure::Overlap;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Overlap(#[from] Overlap),
    #[error(transparent)]
    Roster(#[from] RosterErrors),
    /// A rule refuses the input; the reason is in Chinese and English.
    #[error("{field}: {reason}")]
    Refused { field: String, reason: Reason },
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn refused(field: impl Into<String>, reason: Reason) -> Self {
        StoreError::Refused {
            field: field.into(),
            reason,
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Whether the error is the caller's (bad input) rather than the system's.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Database(_) | StoreError::Migrate(_) | StoreError::Corrupt(_)
        )
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
