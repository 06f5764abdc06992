//! The organisation of the responsibility system, as pure rules with no I/O.
//!
//! - [`region`]: the administrative divisions of China (GB/T 2260), their padded codes and levels.
//! - [`organisation`]: Party committees, governments and departments of a region.
//! - [`post`]: posts within organisations and the role (post type) the regulation gives each.
//! - [`tenure`]: who held a post from when to when; one holder at a time.
//! - [`roster`]: the roster file's rows, their columns and validation.
//! - [`responsibility`]: a post's responsibility list — the regulation's duties plus local ones.
//! - [`assessment`]: the yearly assessment (考核评价, Arts. 14–16): schemes, scoring rules, grades.
//! - [`emergency`]: environmental emergencies and risk sources (Arts. 7(6), 8(6)): grades,
//!   the timeline's states, the notification chain.
//! - [`accountability`]: accountability cases (追责, Arts. 17–18): their states, who answers
//!   for a matter on its dates, Art. 18's circumstances, the forms of accountability.
//! - [`audit`]: departure audits of natural-resource assets (Art. 13): who is audited, the
//!   asset accounts and their sheet, the comparison between a tenure's start and end.
//! - [`zoning`]: environmental zoning control (Art. 7(2)): control units, admission lists,
//!   the project check.
//! - [`names`]: fictitious personal names for demo and benchmark data.

pub mod access;
pub mod accountability;
pub mod assessment;
pub mod audit;
pub mod emergency;
pub mod names;
pub mod organisation;
pub mod post;
pub mod region;
pub mod responsibility;
pub mod roster;
pub mod supervision;
pub mod tenure;
pub mod waters;
pub mod zoning;

pub use ecoduty_regulation::Role;
pub use organisation::{OrganisationKind, OrganisationSpec};
pub use region::{Region, RegionCode, RegionLevel};
pub use tenure::{DateRange, TenureSpan};
