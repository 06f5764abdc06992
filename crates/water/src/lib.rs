//! Surface water quality by GB 3838-2002 and the 2011 evaluation method (环办〔2011〕22号), with
//! the project conventions of `shared/standards/water.md`.
//!
//! The pure rules — [`parameter`], [`gb3838`] (class limits), [`evaluation`] (samples,
//! section-years, region shares) — take values and return classes; only [`ingest`] reads a file.
//! Another source (the database) builds a [`WaterData`] from its rows with [`WaterData::new`] and
//! calls [`assess_year`] the same way the CSV path does:
//!
//! ```
//! use ecoduty_water::{assess_year, read_csv, Class};
//!
//! let csv = "section,river_or_lake,kind,region_code,date,parameter,value\n\
//!            甲,卫河,river,4108,2025-01-10,nh3n,0.8\n";
//! let data = read_csv(csv.as_bytes(), "example.csv").unwrap();
//! let year = assess_year(&data, 2025);
//! // One month of data is not enough for an annual class (9 of 12 months are required).
//! assert_eq!(year.sections[0].class(), None);
//! assert_eq!(year.sections[0].samples[0].assessment.class, Some(Class::III));
//! ```

pub mod evaluation;
pub mod gb3838;
pub mod ingest;
pub mod json;
pub mod model;
pub mod parameter;
pub mod quantity;

pub use ecoduty_domain::region::RegionCode;
pub use evaluation::{
    assess, assess_sample, assess_section_year, assess_year, Assessment, NotEvaluatedReason,
    ParameterMean, RegionShares, SampleResult, SectionOutcome, SectionYear, Share, YearAssessment,
    MIN_MONTHS,
};
pub use gb3838::{class_of_mean, class_of_value, limits, Class, Limits};
pub use ingest::{read_csv, IngestError, IngestErrors};
pub use model::{DataError, Measurement, Reading, ReadingError, Section, WaterData};
pub use parameter::{Parameter, UnknownKind, UnknownParameter, WaterBodyKind};
pub use quantity::{Mean, Quantity, QuantityError};
