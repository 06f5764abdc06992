//! The regulation as data: 《地方党政领导干部生态环境保护责任制规定(试行)》.
//!
//! - [`numerals`]: Chinese numerals and the 第…章 / 第…条 / (一) markers.
//! - [`text`]: markup removal and the joining of paragraphs split at column breaks.
//! - [`parse`]: finding the regulation in a page and reading its chapters, articles, paragraphs
//!   and items; where it starts and ends.
//! - [`warnings`]: the checks that flag suspect text (foreign words, doubled runs, numbering).
//! - [`model`]: the types a parsed regulation is made of.
//! - [`citation`]: 第七条第四项 and the key 7.1.4.
//! - [`diff`]: comparing two transcriptions article by article.
//! - [`catalogue`]: which provision binds which post type (the duty table).
//! - [`framework`]: frameworks by key; situations (情形) and forms of accountability read from a
//!   framework's text; citations naming their framework (《办法》第五条第(七)项).
//! - [`builtin`]: the corrected text of the 2025-07-18 regulation shipped with the crate.
//! - [`roles`]: the post types the regulation assigns duties to.

pub mod builtin;
pub mod catalogue;
pub mod citation;
pub mod diff;
pub mod framework;
pub mod model;
pub mod numerals;
pub mod parse;
pub mod roles;
pub mod text;
pub mod warnings;

pub use builtin::{builtin, BUILTIN_CORRECTIONS, BUILTIN_TEXT, BUILTIN_VERSION};
pub use catalogue::{duties, duties_for, Binding, DutyClause, Scope, DUTY_TABLE};
pub use citation::Citation;
pub use diff::{diff, RegulationDiff};
pub use framework::{FormOfAccountability, Situation, BUILTIN_FRAMEWORK};
pub use model::{Article, Chapter, Item, Paragraph, Regulation, Warning, WarningKind};
pub use parse::{parse, parse_bytes, ParseError};
pub use roles::Role;
