//! Posts: a title within an organisation, with the post type (role) the regulation gives it.

use serde::{Deserialize, Serialize};

use crate::organisation::OrganisationKind;
use crate::Role;

/// Checks that a role fits the kind of organisation the post sits in: the leadership roles
/// belong to a Party committee or a government, department-head roles to a department.
pub fn check_role_fits(role: Role, kind: OrganisationKind) -> Result<(), String> {
    let fits = match role {
        Role::PartySecretary => kind == OrganisationKind::PartyCommittee,
        Role::GovernmentHead | Role::DeputyEco | Role::DeputySector => {
            kind == OrganisationKind::Government
        }
        Role::LeadershipMember => kind != OrganisationKind::Department,
        Role::EcoDepartmentHead | Role::SectorDepartmentHead => {
            kind == OrganisationKind::Department
        }
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "role {} ({}) cannot sit in a {} ({})",
            role.key(),
            role.name_zh(),
            kind.key(),
            kind.name_zh()
        ))
    }
}

/// What defines a post (the store adds ids and history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSpec {
    pub organisation_id: i64,
    pub title: String,
    pub role: Role,
    /// For deputies: the departments they oversee (分管部门), by organisation id.
    pub portfolio: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_fit_their_organisations() {
        assert!(check_role_fits(Role::PartySecretary, OrganisationKind::PartyCommittee).is_ok());
        assert!(check_role_fits(Role::PartySecretary, OrganisationKind::Government).is_err());
        assert!(check_role_fits(Role::DeputyEco, OrganisationKind::Government).is_ok());
        assert!(check_role_fits(Role::EcoDepartmentHead, OrganisationKind::Department).is_ok());
        assert!(check_role_fits(Role::EcoDepartmentHead, OrganisationKind::Government).is_err());
        assert!(check_role_fits(Role::LeadershipMember, OrganisationKind::PartyCommittee).is_ok());
        assert!(check_role_fits(Role::LeadershipMember, OrganisationKind::Department).is_err());
    }
}
