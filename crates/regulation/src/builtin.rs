//! The regulation shipped with the crate: a corrected copy of the 2025-07-18 text in
//! `data/regulation/2025-07-18.txt`, with every correction listed in
//! `data/regulation/CORRECTIONS.md`.

use std::sync::OnceLock;

use crate::model::Regulation;
use crate::parse::parse;

/// The version (issue date) of the built-in text.
pub const BUILTIN_VERSION: &str = "2025-07-18";

/// The corrected text of 《地方党政领导干部生态环境保护责任制规定(试行)》.
pub const BUILTIN_TEXT: &str = include_str!("../../../data/regulation/2025-07-18.txt");

/// What was corrected in [`BUILTIN_TEXT`] against the transcriptions, and why.
pub const BUILTIN_CORRECTIONS: &str = include_str!("../../../data/regulation/CORRECTIONS.md");

/// The built-in regulation, parsed once.
pub fn builtin() -> &'static Regulation {
    static PARSED: OnceLock<Regulation> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The text is part of the crate and a test checks it parses cleanly.
        parse(BUILTIN_TEXT).expect("the built-in regulation text parses")
    })
}
