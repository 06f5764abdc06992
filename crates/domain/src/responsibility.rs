//! Responsibility lists (责任清单): the duties of one post, each citing its basis.
//!
//! A post's list is the regulation's duties for its role (from the version in force on the
//! date asked about) followed by the local duties its region, or a region above it, added for
//! that role. This module owns local duties' validation and the order of a list.

use serde::{Deserialize, Serialize};

use crate::region::RegionCode;
use crate::Role;

/// A duty a region adds for a role on top of the regulation's (versioned by the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalDutySpec {
    pub region_code: RegionCode,
    pub role: Role,
    pub text: String,
    /// What the duty rests on: a local document, an article of the regulation, a plan.
    pub basis: String,
}

impl LocalDutySpec {
    pub fn validate(&self) -> Result<(), String> {
        if self.text.trim().is_empty() {
            return Err("the duty's text is empty".into());
        }
        if self.basis.trim().is_empty() {
            return Err(
                "a local duty needs its basis (依据), e.g. a local document or an article".into(),
            );
        }
        Ok(())
    }
}

/// Where a duty in a responsibility list comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum DutySource {
    /// The regulation: the version id and the duty's machine key (e.g. "7.1.4").
    Regulation { version_id: i64, key: String },
    /// A local duty: its id, revision and the region that added it.
    Local {
        duty_id: i64,
        rev: i64,
        region_code: RegionCode,
    },
}

/// One line of a responsibility list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyEntry {
    #[serde(flatten)]
    pub source: DutySource,
    /// 第七条第四项, or the local basis.
    pub citation: String,
    pub text: String,
}

/// Orders a list: regulation duties by article, paragraph and item, then local duties from the
/// highest region down, each in the order they were added.
pub fn order_entries(entries: &mut [DutyEntry]) {
    fn rank(e: &DutyEntry) -> (u8, Vec<u32>, usize, i64) {
        match &e.source {
            DutySource::Regulation { key, .. } => (
                0,
                key.split('.').filter_map(|p| p.parse().ok()).collect(),
                0,
                0,
            ),
            DutySource::Local {
                duty_id,
                region_code,
                ..
            } => (
                1,
                Vec::new(),
                region_code.as_str().trim_end_matches('0').len(),
                *duty_id,
            ),
        }
    }
    entries.sort_by_key(rank);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regulation_duties_come_first_in_article_order() {
        let reg = |key: &str| DutyEntry {
            source: DutySource::Regulation {
                version_id: 1,
                key: key.into(),
            },
            citation: key.into(),
            text: String::new(),
        };
        let local = DutyEntry {
            source: DutySource::Local {
                duty_id: 3,
                rev: 1,
                region_code: RegionCode::parse("410800").unwrap(),
            },
            citation: "焦办〔2025〕1号".into(),
            text: String::new(),
        };
        let mut list = vec![
            local.clone(),
            reg("10.1"),
            reg("7.1.4"),
            reg("5.2"),
            reg("7.1.10"),
        ];
        order_entries(&mut list);
        let keys: Vec<&str> = list.iter().map(|e| e.citation.as_str()).collect();
        assert_eq!(
            keys,
            vec!["5.2", "7.1.4", "7.1.10", "10.1", "焦办〔2025〕1号"]
        );
    }

    #[test]
    fn local_duties_need_text_and_basis() {
        let mut spec = LocalDutySpec {
            region_code: RegionCode::parse("410800").unwrap(),
            role: Role::DeputyEco,
            text: "牵头南水北调总干渠焦作段水源保护".into(),
            basis: String::new(),
        };
        assert!(spec.validate().is_err());
        spec.basis = "焦作市生态环境保护责任清单".into();
        assert!(spec.validate().is_ok());
    }
}
