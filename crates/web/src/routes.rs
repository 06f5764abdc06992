//! Every route of the application in one table: its method and path, who may call it, and
//! which kind of record its path names. The router is built from this table, and the access
//! tests walk the same table, so no route escapes them.

use axum::routing::MethodRouter;
use ecoduty_domain::access::Permission;

use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user (what they see is still limited to their region).
    SignedIn,
    /// Signed-in users whose role carries the permission.
    Needs(Permission),
}

/// The kind of record a route's path parameter names, so tests know how to point it at a
/// record outside the user's region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Nothing,
    Region,
    Organisation,
    Post,
    Person,
    Tenure,
    User,
    Token,
    /// A work plan, a task of one, a dispatch round (调度).
    Plan,
    Task,
    DispatchRound,
    Inspection,
    Finding,
    /// An evidence file, by its SHA-256.
    Evidence,
    /// A check of Art. 15's register.
    Check,
    Complaint,
    /// An environmental emergency.
    Emergency,
    /// An accountability case (confidential: only roles that read cases reach it).
    Case,
    /// One of the caller's notifications (another user's is "not found").
    Notification,
    /// Something every user may see (a regulation version, a ledger entry checked otherwise).
    Unscoped,
    /// An environmental control unit of zoning control, by its code (ZH41088320001).
    ZoningUnit,
    /// A recorded project check against the admission lists.
    ZoningCheck,
    /// A departure audit (readers of audits only).
    Audit,
    /// A river, lake or reservoir, by its code (QINHE).
    Water,
    /// A chief post (河长 / 湖长 / 林长).
    Chief,
    /// A patrol (巡河 / 巡林).
    Patrol,
}

pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub names: Names,
    /// Whether it answers with HTML (a page) or JSON (the API).
    pub api: bool,
    pub handler: MethodRouter<AppState>,
}

pub fn page(
    method: &'static str,
    path: &'static str,
    access: Access,
    names: Names,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        names,
        api: false,
        handler,
    }
}

pub fn api(
    method: &'static str,
    path: &'static str,
    access: Access,
    names: Names,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        names,
        api: true,
        handler,
    }
}

/// Every route: the pages, then the API.
pub fn all() -> Vec<Route> {
    let mut routes = crate::ui::routes();
    routes.extend(crate::api::routes());
    routes
}
