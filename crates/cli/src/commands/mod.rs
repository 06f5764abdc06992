//! One module per command family.

pub mod air;
pub mod air_import;
pub mod assessment;
pub mod audits;
pub mod bench;
pub mod cases;
pub mod checks;
pub mod complaints;
pub mod demo;
pub mod duties;
pub mod emergencies;
pub mod findings;
pub mod framework;
pub mod indicators;
pub mod init;
pub mod inspections;
pub mod ledger;
pub mod plans;
pub mod records;
pub mod regions;
pub mod roster;
pub mod scheduler;
pub mod serve;
pub mod targets;
pub mod users;
pub mod warnings;
pub mod water;
pub mod waters;
pub mod who;
pub mod zoning;

use chrono::NaiveDate;
use ecoduty_domain::RegionCode;
use ecoduty_store::{Change, Store, StoreError};

use crate::exit::user_error;

/// What every command may need: where the database is and who is acting.
pub struct Context {
    pub db_url: Option<String>,
    pub actor: String,
}

impl Context {
    pub fn new(db_url: Option<String>, actor: Option<String>) -> Self {
        let actor = actor.unwrap_or_else(|| {
            format!(
                "cli:{}",
                std::env::var("USER").unwrap_or_else(|_| "unknown".into())
            )
        });
        Context { db_url, actor }
    }

    pub fn db_url(&self) -> &str {
        self.db_url
            .as_deref()
            .unwrap_or(ecoduty_store::db::DEFAULT_URL)
    }

    /// Opens the database, creating and migrating it if it is missing or empty.
    pub async fn store(&self) -> anyhow::Result<Store> {
        Store::open(self.db_url())
            .await
            .map_err(|e| store_error(e, "open"))
    }

    /// A change by this command's actor, with the given reason.
    pub fn change(&self, reason: impl Into<String>) -> Change {
        Change::new(self.actor.clone(), reason)
    }
}

/// Turns a store error into a CLI error: the user's mistakes exit with status 2.
pub fn store_error(err: StoreError, doing: &str) -> anyhow::Error {
    if err.is_user_error() {
        user_error(err.to_string())
    } else {
        anyhow::Error::new(err).context(format!("cannot {doing}"))
    }
}

/// Extension to map store results in one call.
pub trait StoreResultExt<T> {
    fn or_user(self, doing: &str) -> anyhow::Result<T>;
}

impl<T> StoreResultExt<T> for Result<T, StoreError> {
    fn or_user(self, doing: &str) -> anyhow::Result<T> {
        self.map_err(|e| store_error(e, doing))
    }
}

pub fn parse_region(code: &str) -> anyhow::Result<RegionCode> {
    RegionCode::parse(code).map_err(|e| user_error(e.to_string()))
}

pub fn parse_day(s: &str) -> anyhow::Result<NaiveDate> {
    ecoduty_domain::roster::parse_date(s).map_err(user_error)
}

/// Today's date where the user is.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A sheet refused whole: how many problems, then each (file, line, column: message), as a
/// user error.
pub fn sheet_refused(errors: &[impl std::fmt::Display]) -> anyhow::Error {
    user_error(format!(
        "{} 处错误,未导入 nothing was imported:\n{}",
        errors.len(),
        errors
            .iter()
            .map(|e| format!("  {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    ))
}

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints rows as an aligned table, measuring Chinese characters as two columns wide.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.width());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
