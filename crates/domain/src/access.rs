//! Who may do what: the user roles of the application, what each may do, and the region scope
//! every user is bound to. A user reaches only their region's subtree; anything outside it is
//! answered as if it did not exist.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::region::RegionCode;

/// The roles of users of the application (not to be confused with the post types of the
/// regulation, [`crate::Role`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Runs the deployment: everything, everywhere in scope, including regulation versions.
    SystemAdmin,
    /// Runs one region: its records, rosters and users.
    RegionAdmin,
    /// An inspection team member (督察).
    Inspector,
    /// Department staff (部门工作人员).
    Officer,
    /// A leader who reads dashboards.
    Leader,
    /// Reads everything in scope, the change ledger included.
    Auditor,
    /// The organisation department (组织部门), which evaluates cadres (Art. 16): reads the
    /// cadre eco records within its region.
    OrganisationDepartment,
    /// The discipline inspection and supervision body (纪检监察机关): investigates and decides
    /// accountability cases (Arts. 17–18) within its region.
    Discipline,
}

impl UserRole {
    pub const ALL: [UserRole; 8] = [
        UserRole::SystemAdmin,
        UserRole::RegionAdmin,
        UserRole::Inspector,
        UserRole::Officer,
        UserRole::Leader,
        UserRole::Auditor,
        UserRole::OrganisationDepartment,
        UserRole::Discipline,
    ];

    pub fn key(self) -> &'static str {
        match self {
            UserRole::SystemAdmin => "system_admin",
            UserRole::RegionAdmin => "region_admin",
            UserRole::Inspector => "inspector",
            UserRole::Officer => "officer",
            UserRole::Leader => "leader",
            UserRole::Auditor => "auditor",
            UserRole::OrganisationDepartment => "organisation_department",
            UserRole::Discipline => "discipline",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            UserRole::SystemAdmin => "系统管理员",
            UserRole::RegionAdmin => "地区管理员",
            UserRole::Inspector => "督察人员",
            UserRole::Officer => "部门工作人员",
            UserRole::Leader => "领导",
            UserRole::Auditor => "审计人员",
            UserRole::OrganisationDepartment => "组织部门",
            UserRole::Discipline => "纪检监察",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            UserRole::SystemAdmin => "System administrator",
            UserRole::RegionAdmin => "Region administrator",
            UserRole::Inspector => "Inspector",
            UserRole::Officer => "Officer",
            UserRole::Leader => "Leader",
            UserRole::Auditor => "Auditor",
            UserRole::OrganisationDepartment => "Organisation department",
            UserRole::Discipline => "Discipline inspection",
        }
    }
}

impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for UserRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        UserRole::ALL
            .into_iter()
            .find(|r| r.key() == s.trim())
            .ok_or_else(|| {
                format!("unknown user role {s:?}: expected system_admin, region_admin, inspector, officer, leader, auditor, organisation_department or discipline")
            })
    }
}

/// What a request may want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read regions, organisations, posts, people, tenures, responsibility lists, the regulation.
    ReadRecords,
    /// Add or change organisations, posts, people, tenures, local duties, regions; import rosters.
    EditRecords,
    /// Store a new version of the regulation.
    ImportRegulation,
    /// Create users and change their roles within scope.
    ManageUsers,
    /// Browse and verify the change ledger.
    ReadLedger,
    /// Draw up work plans, their tasks and dispatch rounds (调度).
    PlanWork,
    /// Act for a responsible unit: report progress on tasks, start rectifying a finding,
    /// report its progress, ask for its closure, store evidence files.
    Rectify,
    /// Record inspections (督察) and their findings; verify, return and close rectifications,
    /// extend deadlines, make findings long-term and review them.
    Inspect,
    /// Register checks (监督检查) in Art. 15's register.
    PlanChecks,
    /// Register a check beyond Art. 15's limits, with a written justification (recorded).
    OverrideCheckLimits,
    /// Handle public complaints (信访/举报): assign, answer, take up as a finding.
    HandleComplaints,
    /// Import assessment schemes (考核细则), run the scoring, review and publish it, answer
    /// objections.
    ManageAssessment,
    /// Enter the result of a manual or veto item for a scoring organisation, with evidence.
    ScoreAssessment,
    /// Lodge an objection (申诉) to a published result for an assessed unit.
    ObjectToAssessment,
    /// Read cadre eco records (Art. 16).
    ReadCadreRecords,
    /// Report environmental emergencies, add their updates, record acknowledgements of their
    /// notices; report risks.
    HandleEmergencies,
    /// Read accountability cases (追责): confidential, so only the bodies that handle them and
    /// system administrators; every read is logged.
    ReadCases,
    /// Open cases, take them up, confirm or remove the persons proposed, record grounds and
    /// circumstances, dismiss them.
    InvestigateCases,
    /// Decide cases (the decider is never the case's investigator), record their execution,
    /// appeals and archiving.
    DecideCases,
    /// Review the log of who read which case (not the cases themselves).
    ReviewCaseReads,
    /// Import the control units of zoning control and their admission lists (Art. 7(2)).
    /// Project checks against them need no more than being signed in with the region in scope.
    ManageZoning,
    /// Read departure audits and their dossiers (Art. 13): the auditors, the organisation
    /// department that commissions them, the discipline body they feed, system administrators.
    ReadAudits,
    /// Import natural-resource asset accounts, open audits of tenures, record audit findings
    /// and issue the report.
    ManageAudits,
    /// Save rivers, lakes and forest areas with their segments, make posts chief posts (河长 /
    /// 湖长 / 林长), set patrol frequencies, import the 河长名录 sheet, and record any chief's
    /// patrols in scope. A chief records his own patrols without it (see [`is_chief_user`]).
    ManageWaters,
}

/// Whether a role carries a permission.
pub fn allows(role: UserRole, permission: Permission) -> bool {
    use Permission::*;
    use UserRole::*;
    match permission {
        ReadRecords => true,
        EditRecords => matches!(role, SystemAdmin | RegionAdmin),
        ImportRegulation => role == SystemAdmin,
        ManageUsers => matches!(role, SystemAdmin | RegionAdmin),
        ReadLedger => matches!(role, SystemAdmin | RegionAdmin | Auditor),
        PlanWork => matches!(role, SystemAdmin | RegionAdmin),
        Rectify => matches!(role, SystemAdmin | RegionAdmin | Officer),
        Inspect => matches!(role, SystemAdmin | RegionAdmin | Inspector),
        PlanChecks => matches!(role, SystemAdmin | RegionAdmin | Inspector | Officer),
        // The same roles as `supervision::checks::may_override`, which the store checks.
        OverrideCheckLimits => crate::supervision::checks::may_override(role),
        HandleComplaints => matches!(role, SystemAdmin | RegionAdmin | Officer),
        ManageAssessment => matches!(role, SystemAdmin | RegionAdmin),
        ScoreAssessment => matches!(role, SystemAdmin | RegionAdmin | Officer),
        ObjectToAssessment => matches!(role, SystemAdmin | RegionAdmin | Officer),
        ReadCadreRecords => matches!(role, SystemAdmin | OrganisationDepartment),
        HandleEmergencies => matches!(role, SystemAdmin | RegionAdmin | Officer),
        ReadCases => matches!(role, SystemAdmin | OrganisationDepartment | Discipline),
        InvestigateCases => matches!(role, SystemAdmin | Discipline),
        DecideCases => matches!(role, SystemAdmin | OrganisationDepartment | Discipline),
        ReviewCaseReads => matches!(role, SystemAdmin | Auditor),
        ManageZoning => matches!(role, SystemAdmin | RegionAdmin | Officer),
        ReadAudits => matches!(
            role,
            SystemAdmin | Auditor | OrganisationDepartment | Discipline
        ),
        ManageAudits => matches!(role, SystemAdmin | Auditor),
        ManageWaters => matches!(role, SystemAdmin | RegionAdmin | Officer),
    }
}

/// Whether a user account is a person of the roster: users and people are separate records
/// (the people holding posts need no account), so the link is the person key (人员编码, as the
/// roster gives it), which an account's username repeats — compared without case, so user
/// `demo-0007` is person `DEMO-0007`. Only administrators create accounts, so the link is
/// theirs to make. A chief (the person holding a chief post on a day) may record his own
/// patrols of that day through the account so linked, whatever its role.
pub fn is_chief_user(username: &str, person_key: &str) -> bool {
    let key = person_key.trim();
    !key.is_empty() && username.trim().eq_ignore_ascii_case(key)
}

/// The part of the country a user reaches: a region's subtree, or all of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Nationwide,
    Within(RegionCode),
}

impl Scope {
    pub fn of(region: Option<&RegionCode>) -> Scope {
        match region {
            Some(c) => Scope::Within(c.clone()),
            None => Scope::Nationwide,
        }
    }

    /// Whether a region lies in the scope.
    pub fn contains(&self, code: &RegionCode) -> bool {
        match self {
            Scope::Nationwide => true,
            Scope::Within(root) => code.is_within(root),
        }
    }

    /// Whether `other` lies entirely within this scope (a user may only grant what they have).
    pub fn covers(&self, other: &Scope) -> bool {
        match other {
            Scope::Nationwide => *self == Scope::Nationwide,
            Scope::Within(code) => self.contains(code),
        }
    }

    pub fn root(&self) -> Option<&RegionCode> {
        match self {
            Scope::Nationwide => None,
            Scope::Within(c) => Some(c),
        }
    }
}

/// Checks that a user with `granter_role` and `granter_scope` may create or change a user with
/// `role` and `scope`.
pub fn may_grant(
    granter_role: UserRole,
    granter_scope: &Scope,
    role: UserRole,
    scope: &Scope,
) -> Result<(), String> {
    if !allows(granter_role, Permission::ManageUsers) {
        return Err("only administrators manage users".into());
    }
    if role == UserRole::SystemAdmin && granter_role != UserRole::SystemAdmin {
        return Err("only a system administrator can create another".into());
    }
    if *scope == Scope::Nationwide && role != UserRole::SystemAdmin {
        return Err("only system administrators are nationwide; bind the user to a region".into());
    }
    if !granter_scope.covers(scope) {
        return Err("the user's region must lie within your own".into());
    }
    Ok(())
}

/// The password rules: long enough to resist guessing, not the username, not one repeated
/// character. (Length beats composition rules; NIST SP 800-63B.)
pub fn check_password(username: &str, password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < 12 {
        return Err("the password must have at least 12 characters".into());
    }
    if n > 256 {
        return Err("the password must have at most 256 characters".into());
    }
    if password.to_lowercase().contains(&username.to_lowercase()) && !username.is_empty() {
        return Err("the password must not contain the username".into());
    }
    let first = password.chars().next().unwrap_or_default();
    if password.chars().all(|c| c == first) {
        return Err("the password must not be one repeated character".into());
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 2 {
        return Err("the password must mix at least two of: lower case, upper case, digits, other characters".into());
    }
    Ok(())
}

/// Checks a username: 3–64 letters, digits, dots, dashes or underscores.
pub fn check_username(username: &str) -> Result<(), String> {
    let ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err("a username has 3–64 letters, digits, dots, dashes or underscores".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn a_user_is_the_person_whose_key_is_the_username() {
        assert!(is_chief_user("demo-0007", "DEMO-0007"));
        assert!(is_chief_user("DEMO-0007", "DEMO-0007"));
        assert!(!is_chief_user("demo-0008", "DEMO-0007"));
        assert!(!is_chief_user("", " "));
        assert!(allows(UserRole::Officer, Permission::ManageWaters));
        assert!(!allows(UserRole::Leader, Permission::ManageWaters));
        assert!(!allows(UserRole::Auditor, Permission::ManageWaters));
    }

    #[test]
    fn scope_is_the_subtree() {
        let city = Scope::Within(code("410800"));
        assert!(city.contains(&code("410883")));
        assert!(city.contains(&code("410883001")));
        assert!(!city.contains(&code("410700")));
        assert!(
            !city.contains(&code("410000")),
            "a city does not reach its province"
        );
        assert!(Scope::Nationwide.contains(&code("451322")));
        assert!(city.covers(&Scope::Within(code("410883"))));
        assert!(!city.covers(&Scope::Nationwide));
    }

    #[test]
    fn only_admins_grant_and_never_beyond_themselves() {
        let city = Scope::Within(code("410800"));
        assert!(may_grant(
            UserRole::RegionAdmin,
            &city,
            UserRole::Auditor,
            &Scope::Within(code("410883"))
        )
        .is_ok());
        assert!(may_grant(
            UserRole::RegionAdmin,
            &city,
            UserRole::Auditor,
            &Scope::Within(code("451322"))
        )
        .is_err());
        assert!(may_grant(UserRole::RegionAdmin, &city, UserRole::SystemAdmin, &city).is_err());
        assert!(may_grant(UserRole::Auditor, &city, UserRole::Leader, &city).is_err());
        assert!(may_grant(
            UserRole::SystemAdmin,
            &Scope::Nationwide,
            UserRole::Leader,
            &Scope::Nationwide
        )
        .is_err());
        assert!(may_grant(
            UserRole::SystemAdmin,
            &Scope::Nationwide,
            UserRole::SystemAdmin,
            &Scope::Nationwide
        )
        .is_ok());
    }

    #[test]
    fn permissions_by_role() {
        assert!(allows(UserRole::Auditor, Permission::ReadLedger));
        assert!(!allows(UserRole::Auditor, Permission::EditRecords));
        assert!(!allows(UserRole::Leader, Permission::ReadLedger));
        assert!(allows(UserRole::RegionAdmin, Permission::EditRecords));
        assert!(!allows(UserRole::RegionAdmin, Permission::ImportRegulation));
        assert!(allows(UserRole::Inspector, Permission::Inspect));
        assert!(!allows(UserRole::Officer, Permission::Inspect));
        assert!(allows(UserRole::Officer, Permission::Rectify));
        assert!(!allows(UserRole::Inspector, Permission::Rectify));
        assert!(!allows(UserRole::Leader, Permission::PlanChecks));
        assert!(!allows(
            UserRole::Inspector,
            Permission::OverrideCheckLimits
        ));
        assert!(allows(
            UserRole::RegionAdmin,
            Permission::OverrideCheckLimits
        ));
        assert!(!allows(UserRole::Auditor, Permission::HandleComplaints));
        assert!(allows(UserRole::Officer, Permission::ManageZoning));
        assert!(!allows(UserRole::Inspector, Permission::ManageZoning));
        assert!(!allows(UserRole::Leader, Permission::ManageZoning));
        assert!(allows(UserRole::Auditor, Permission::ManageAudits));
        assert!(allows(UserRole::Discipline, Permission::ReadAudits));
        assert!(!allows(UserRole::Discipline, Permission::ManageAudits));
        assert!(!allows(UserRole::RegionAdmin, Permission::ReadAudits));
        assert!(!allows(UserRole::Leader, Permission::ReadAudits));
    }

    #[test]
    fn password_policy() {
        assert!(check_password("admin", "short1A").is_err());
        assert!(check_password("admin", "aaaaaaaaaaaaaa").is_err());
        assert!(check_password("admin", "myadminpassword1").is_err());
        assert!(check_password("admin", "alllowercaseletters").is_err());
        assert!(check_password("admin", "correct horse battery 9").is_ok());
        assert!(check_username("wang.chen").is_ok());
        assert!(check_username("王").is_err());
    }
}
