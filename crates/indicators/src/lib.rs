//! Binding indicators (约束性指标), as pure rules with no I/O: the catalogue, targets and the
//! parsing of a targets file's rows, the status of an indicator against its target during and
//! after the year (with the year-to-date path a chart draws), and early warnings addressed to the
//! posts that answer for them.
//!
//! ```
//! use ecoduty_indicators::{catalogue, early_warning, evaluate, MonthlyYtd, Status};
//! use ecoduty_domain::RegionCode;
//!
//! // PM2.5 year-to-date mean of 38 µg/m³ after March, against a target of 35, with no history.
//! let ytd = MonthlyYtd::from_months(2025, &[42.0, 40.0, 38.0]).unwrap();
//! let status = evaluate(&catalogue::PM25_ANNUAL_MEAN, 35.0, &ytd, false, &[]).unwrap();
//! assert_eq!(status.status, Status::AtRisk);
//! let warning = early_warning(&RegionCode::parse("410800").unwrap(), &status).unwrap();
//! assert_eq!(warning.roles, ["government_head", "deputy_eco", "eco_department_head"]);
//! ```

pub mod catalogue;
pub mod status;
pub mod targets;
pub mod warning;

pub use catalogue::{by_key, Accumulation, Direction, Indicator, Source, CATALOGUE};
pub use status::{
    evaluate, IndicatorStatus, MonthlyYtd, PathBasis, PathPoint, Status, StatusError,
};
pub use targets::{parse_targets, Target, TargetRowError};
pub use warning::{early_warning, EarlyWarning, ANSWERING_ROLES};
