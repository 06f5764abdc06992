//! Organisations of a region: its Party committee, its government and their departments.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::region::RegionCode;

/// The kind of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// 党委
    PartyCommittee,
    /// 政府
    Government,
    /// 部门 (a department of the government, such as 生态环境局)
    Department,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 3] = [
        OrganisationKind::PartyCommittee,
        OrganisationKind::Government,
        OrganisationKind::Department,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OrganisationKind::PartyCommittee => "party_committee",
            OrganisationKind::Government => "government",
            OrganisationKind::Department => "department",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            OrganisationKind::PartyCommittee => "党委",
            OrganisationKind::Government => "政府",
            OrganisationKind::Department => "部门",
        }
    }
}

impl fmt::Display for OrganisationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The error for an unknown organisation kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown organisation kind {0:?}: expected party_committee (党委), government (政府) or department (部门)")]
pub struct UnknownOrganisationKind(pub String);

impl FromStr for OrganisationKind {
    type Err = UnknownOrganisationKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        OrganisationKind::ALL
            .into_iter()
            .find(|k| k.key() == t || k.name_zh() == t)
            .ok_or_else(|| UnknownOrganisationKind(s.to_string()))
    }
}

/// What defines an organisation (the store adds its id and history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationSpec {
    pub region_code: RegionCode,
    pub name: String,
    pub kind: OrganisationKind,
    /// The eco-environment department of its region (生态环境部门, 第十一条).
    pub eco_department: bool,
    /// A department carrying important eco-environmental duties (第十二条).
    pub eco_duties: bool,
}

impl OrganisationSpec {
    /// Checks the flags against the kind: only departments carry department flags.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("organisation name is empty".into());
        }
        if self.kind != OrganisationKind::Department && (self.eco_department || self.eco_duties) {
            return Err(format!(
                "{} is a {}: only a department can be the eco-environment department or carry eco duties",
                self.name,
                self.kind.key()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_english_and_chinese() {
        assert_eq!("government".parse(), Ok(OrganisationKind::Government));
        assert_eq!("党委".parse(), Ok(OrganisationKind::PartyCommittee));
        assert!("ministry".parse::<OrganisationKind>().is_err());
    }

    #[test]
    fn only_departments_carry_flags() {
        let mut spec = OrganisationSpec {
            region_code: RegionCode::parse("410800").unwrap(),
            name: "焦作市人民政府".into(),
            kind: OrganisationKind::Government,
            eco_department: true,
            eco_duties: false,
        };
        assert!(spec.validate().is_err());
        spec.kind = OrganisationKind::Department;
        assert!(spec.validate().is_ok());
    }
}
