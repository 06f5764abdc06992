//! The post types the regulation assigns duties to (第六条 to 第十二条).
//!
//! The keys are the ones used everywhere: in the database, in roster files, on the command line
//! and in the JSON API. The table is DOMAIN.md's.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A post type defined by the regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 地方党委主要负责人 (书记), 第一责任人 — 第六条.
    PartySecretary,
    /// 县级以上地方政府主要负责人 (省长/市长/县长), 第一责任人 — 第七条.
    GovernmentHead,
    /// 政府分管生态环境保护负责人 — 第八条.
    DeputyEco,
    /// 政府分管承担重要生态环境保护职责部门的负责人 — 第九条.
    DeputySector,
    /// 党委和政府领导班子其他成员 — 第十条 (and 第五条第二款).
    LeadershipMember,
    /// 市级以上地方生态环境部门负责人 — 第十一条.
    EcoDepartmentHead,
    /// 承担重要生态环境保护职责的部门负责人 — 第十二条.
    SectorDepartmentHead,
}

impl Role {
    /// Every role, in the order of the articles that set their duties.
    pub const ALL: [Role; 7] = [
        Role::PartySecretary,
        Role::GovernmentHead,
        Role::DeputyEco,
        Role::DeputySector,
        Role::LeadershipMember,
        Role::EcoDepartmentHead,
        Role::SectorDepartmentHead,
    ];

    /// The roles that sit on a Party committee's or government's leadership team
    /// (党委和政府领导班子成员): 第五条第二款 and 第十条 bind all of them.
    pub const LEADERSHIP: [Role; 5] = [
        Role::PartySecretary,
        Role::GovernmentHead,
        Role::DeputyEco,
        Role::DeputySector,
        Role::LeadershipMember,
    ];

    /// The key used in files, URLs and the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::PartySecretary => "party_secretary",
            Role::GovernmentHead => "government_head",
            Role::DeputyEco => "deputy_eco",
            Role::DeputySector => "deputy_sector",
            Role::LeadershipMember => "leadership_member",
            Role::EcoDepartmentHead => "eco_department_head",
            Role::SectorDepartmentHead => "sector_department_head",
        }
    }

    /// The Chinese name of the post type, as the regulation words it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::PartySecretary => "地方党委主要负责人",
            Role::GovernmentHead => "地方政府主要负责人",
            Role::DeputyEco => "政府分管生态环境保护负责人",
            Role::DeputySector => "政府分管重要生态环境保护职责部门负责人",
            Role::LeadershipMember => "党委和政府领导班子其他成员",
            Role::EcoDepartmentHead => "生态环境部门负责人",
            Role::SectorDepartmentHead => "承担重要生态环境保护职责的部门负责人",
        }
    }

    /// A short English label for the UI.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::PartySecretary => "Party secretary",
            Role::GovernmentHead => "Government head",
            Role::DeputyEco => "Deputy head for eco-environment",
            Role::DeputySector => "Deputy head for sectors with eco duties",
            Role::LeadershipMember => "Other leadership member",
            Role::EcoDepartmentHead => "Head of the eco-environment department",
            Role::SectorDepartmentHead => "Head of a department with eco duties",
        }
    }

    /// The article (第…条) that sets this post type's own duties.
    pub fn article(self) -> u32 {
        match self {
            Role::PartySecretary => 6,
            Role::GovernmentHead => 7,
            Role::DeputyEco => 8,
            Role::DeputySector => 9,
            Role::LeadershipMember => 10,
            Role::EcoDepartmentHead => 11,
            Role::SectorDepartmentHead => 12,
        }
    }

    /// 第一责任人: the principal Party and government heads (第五条第二款).
    pub fn is_first_responsible(self) -> bool {
        matches!(self, Role::PartySecretary | Role::GovernmentHead)
    }

    /// Whether the post sits on the leadership team (see [`Role::LEADERSHIP`]).
    pub fn is_leadership(self) -> bool {
        Role::LEADERSHIP.contains(&self)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The error for a role key that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected one of party_secretary, government_head, deputy_eco, deputy_sector, leadership_member, eco_department_head, sector_department_head")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    /// Accepts the key, or the Chinese name (so roster files may say 生态环境部门负责人).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.key() == s || r.name_zh() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_is_refused() {
        for role in Role::ALL {
            assert_eq!(role.key().parse::<Role>().unwrap(), role);
            assert_eq!(role.name_zh().parse::<Role>().unwrap(), role);
        }
        let err = "mayor".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("mayor"));
    }

    #[test]
    fn articles_follow_chapter_two() {
        let articles: Vec<u32> = Role::ALL.iter().map(|r| r.article()).collect();
        assert_eq!(articles, vec![6, 7, 8, 9, 10, 11, 12]);
    }
}
