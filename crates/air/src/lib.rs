//! Air quality by the national standards: AQI (HJ 633-2012), evaluation statistics
//! (HJ 663-2013), limits (GB 3095-2012), with the project conventions of
//! `shared/standards/air.md`.
//!
//! The rule modules are pure functions on numbers:
//! [`pollutant`] (the six pollutants, units, precision), [`rounding`] (GB/T 8170
//! round-half-to-even), [`aqi`] (HJ 633 breakpoints, IAQI, AQI, category, primary pollutant),
//! [`daily`] (data validity, daily means, O3 1-h and 8-h maxima), [`annual`] (HJ 663
//! percentiles, annual statistics, composite index), [`limits`] (GB 3095 limits).
//!
//! [`ingest`] is the only module that touches files: it reads the national-network day files
//! (`china_sites_YYYYMMDD.csv`), the long format, the station list and the city→region mapping
//! into an in-memory [`ingest::Dataset`]. [`assess`] turns a dataset into per-station and
//! per-city daily series and annual results. [`generate`] writes realistic synthetic data for
//! benchmarks.
//!
//! Typical use:
//!
//! ```no_run
//! use ecoduty_air::{assess, ingest};
//! let stations = ingest::read_station_list("stations.csv".as_ref())?;
//! let regions = ingest::RegionIndex::embedded();
//! let dataset = ingest::read_day_files("data/".as_ref(), 2025, stations)?;
//! let result = assess::assess(&dataset, &regions)?;
//! println!("{}", serde_json::to_string(&result).unwrap());
//! # Ok::<(), ecoduty_air::ingest::IngestError>(())
//! ```

pub mod annual;
pub mod aqi;
pub mod assess;
pub mod daily;
pub mod generate;
pub mod ingest;
pub mod limits;
pub mod pollutant;
pub mod rounding;

pub use pollutant::Pollutant;
