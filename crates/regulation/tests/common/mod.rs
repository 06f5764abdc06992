//! Fixtures shared by the integration tests: the two seed transcriptions, copied here because
//! CI has no access to the shared seed folder.

#![allow(dead_code)]

use ecoduty_regulation::{parse, Regulation};

/// The complete transcription: the regulation, then unrelated news.
pub const SEED_001: &str = include_str!("../fixtures/001_32084bddd2f8421d.txt");
/// The transcription cut off after 第五条 by 「(下转A02版)」.
pub const SEED_000: &str = include_str!("../fixtures/000_ed8164498710545f.txt");

pub fn seed_001() -> Regulation {
    parse(SEED_001).expect("seed 001 holds a regulation")
}

pub fn seed_000() -> Regulation {
    parse(SEED_000).expect("seed 000 holds a regulation")
}
