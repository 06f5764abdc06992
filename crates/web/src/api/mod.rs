//! The JSON API under /api/v1: one module per resource family, problem details (RFC 9457) for
//! every error — unknown paths and methods, malformed bodies and queries included — keyset
//! pagination for long lists, and an OpenAPI document generated from the handlers'
//! annotations at /api/v1/openapi.json.
//!
//! Every handler with a record in its path loads it through [`crate::auth::ApiScoped`] first
//! (outside the caller's region: 404), then checks the permission the route table names
//! ([`common::Allowed`]: 403), and only then reads the body.

pub mod accountability;
pub mod assessment;
pub mod audit;
pub mod checks;
pub mod common;
pub mod complaints;
pub mod duties;
pub mod emergency;
pub mod evidence;
pub mod extract;
pub mod findings;
pub mod indicators;
pub mod inspections;
pub mod ledger;
pub mod me;
pub mod notifications;
pub mod organisations;
pub mod pagination;
pub mod people;
pub mod plans;
pub mod posts;
pub mod regions;
pub mod regulation;
pub mod roster;
pub mod tenures;
pub mod waters;
pub mod zoning;

use std::collections::BTreeMap;

use axum::routing::{any, get, patch, post, MethodRouter};
use axum::Json;
use ecoduty_domain::access::Permission;
use utoipa::OpenApi;

use crate::routes::{api, Access, Names, Route};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ecoduty API",
        description = "地方党政领导干部生态环境保护责任制 — regions, organisations, posts, people, tenures, responsibility lists, the regulation, rosters, binding indicators with their early warnings, and the change ledger; and the supervision loop: work plans and dispatch rounds, inspections, findings and their rectification with evidence, Art. 15's register of checks, public complaints and each user's notifications. Authenticate with a personal API token (`Authorization: Bearer edt_…`) created in the web interface; a browser session works too, with the `X-CSRF-Token` header on requests that change something. A caller bound to a region sees only records within it: anything else is answered 404, like a record that does not exist. Every change is recorded in the hash-chained ledger with its actor and reason. Errors are RFC 9457 problem details. Long lists are paged: `{items, next}`, pass `next` back as `cursor`.",
        version = "1"
    ),
    paths(
        me::me,
        regions::search, regions::get_region, regions::children, regions::add_child, regions::who,
        organisations::list, organisations::create, organisations::get, organisations::update,
        posts::of_region, posts::of_organisation, posts::create, posts::get, posts::update, posts::tenures,
        people::search, people::create, people::get, people::tenures,
        tenures::create, tenures::get, tenures::correct, tenures::end, tenures::retract,
        duties::of_region, duties::of_post, duties::local_list, duties::local_create, duties::local_revise,
        regulation::versions, regulation::frameworks, regulation::version, regulation::diff, regulation::import,
        roster::export, roster::import,
        ledger::list, ledger::entry, ledger::verify,
        indicators::of_region, indicators::warnings,
        plans::list, plans::create, plans::get, plans::add_task, plans::tasks, plans::task, plans::report_progress,
        plans::rounds, plans::open_round, plans::round, plans::close_round,
        inspections::list, inspections::create, inspections::get,
        findings::list, findings::create, findings::get,
        findings::start, findings::progress, findings::request_closure, findings::verify,
        findings::return_for_rework, findings::close, findings::extend_deadline, findings::long_term, findings::review,
        evidence::upload, evidence::download,
        checks::list, checks::plan, checks::assess, checks::get, checks::set_status, checks::merge_suggestions, checks::burden,
        complaints::list, complaints::get, complaints::attachment, complaints::assign, complaints::answer, complaints::promote, complaints::statistics,
        notifications::list, notifications::mark_read,
        assessment::list, assessment::import, assessment::get, assessment::history, assessment::unit,
        assessment::run, assessment::review, assessment::publish, assessment::entries, assessment::enter,
        assessment::object, assessment::answer, assessment::eco_record,
        emergency::list, emergency::report, emergency::get, emergency::history, emergency::update,
        emergency::acknowledge, emergency::chain, emergency::risk_sources, emergency::import_risk_sources,
        emergency::risk_reports, emergency::report_risk,
        accountability::list, accountability::open, accountability::get, accountability::history,
        accountability::take_up, accountability::person, accountability::add_person, accountability::ground, accountability::circumstance,
        accountability::decide, accountability::appeal, accountability::answer_appeal,
        accountability::execute, accountability::archive, accountability::dismiss,
        accountability::reads, accountability::of_person, accountability::forms,
        zoning::units, zoning::import, zoning::unit, zoning::history, zoning::check, zoning::checks,
        zoning::get_check,
        audit::accounts, audit::import, audit::list, audit::due, audit::open, audit::tenure_dossier,
        audit::get, audit::history, audit::dossier, audit::record_finding, audit::report,
        audit::open_case,
        waters::list, waters::save, waters::get, waters::forests, waters::save_forest,
        waters::chiefs, waters::add_chief, waters::chief, waters::month, waters::patrols,
        waters::record, waters::patrol, waters::frequency, waters::set_frequency, waters::behind,
        waters::import_sheet,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemRow)),
    modifiers(&Security),
    tags(
        (name = "me", description = "The caller"),
        (name = "regions", description = "Regions of China (GB/T 2260) and who holds their posts"),
        (name = "organisations", description = "Party committees, governments and departments"),
        (name = "posts", description = "Posts and the post types the regulation gives them"),
        (name = "people", description = "The cadres who hold posts"),
        (name = "tenures", description = "Who held which post from when to when (任职)"),
        (name = "duties", description = "Responsibility lists (责任清单) and local duties"),
        (name = "regulation", description = "Versions of the regulation"),
        (name = "roster", description = "Roster files (任职名册): export and all-or-nothing import"),
        (name = "ledger", description = "The hash-chained change ledger"),
        (name = "indicators", description = "Binding indicators against their targets, and early warnings naming who answers for them"),
        (name = "plans", description = "Annual key work plans, their tasks and progress reports, dispatch rounds (调度)"),
        (name = "inspections", description = "Inspections (督察)"),
        (name = "findings", description = "Findings and their rectification (督察整改): assign → rectify → request closure → verify → close"),
        (name = "evidence", description = "Evidence files (佐证材料), by content hash"),
        (name = "checks", description = "Art. 15's register of checks (监督检查): limits, overrides, merges, burden"),
        (name = "complaints", description = "Public complaints (信访/举报)"),
        (name = "assessment", description = "The yearly assessment (考核评价, Arts. 14–16): schemes (考核细则), scoring runs with explained lines, review and publication, manual and veto entries, objections (申诉); a cadre's eco record (Art. 16)"),
        (name = "emergencies", description = "Environmental emergencies (突发生态环境事件, Arts. 7(6), 8(6)): events with their timeline and notification chain (deadlines, acknowledgements, escalation), risk sources and risk reports"),
        (name = "cases", description = "Accountability cases (追责, Arts. 17–18), confidential: opened from a finding, a missed target, an assessment result, a complaint, an emergency or by hand; the persons proposed from who held the answering posts on the matter's dates; grounds, circumstances, the decision, appeals; every read logged"),
        (name = "zoning", description = "Environmental zoning control (生态环境分区管控, Art. 7(2)): control units (环境管控单元) with their admission lists (生态环境准入清单), imported from the published sheets all or nothing and versioned; project checks by unit code or point and GB/T 4754 industry, recorded"),
        (name = "audits", description = "Departure audits of natural-resource assets (自然资源资产离任审计, Art. 13): asset accounts per region and year imported all or nothing and versioned; the ended tenures of audited posts due for an audit; the audit of a tenure with its dossier (accounts at start and end, indicators and targets by year, grades, findings, inspections, complaints, emergencies, cases), its findings in the rectification loop, cases opened from them, and the report"),
        (name = "waters", description = "Rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5): waters with their segments (河段) and target classes, forest areas (林区), chief posts (总河长 / 河长 / 湖长 / 总林长 / 林长) held through ordinary tenures with their duties, a chief's month (patrols against the required frequency, his sections' monthly classes against the target, open problems), patrols (巡河 / 巡林) whose unsolved problems become findings, the chiefs behind")
    )
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token"))
                    .build(),
            ),
        );
        components.responses.extend(common::responses());
        doc.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "token",
            Vec::<String>::new(),
        )]);
    }
}

/// GET /api/v1/openapi.json
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

const EDIT: Access = Access::Needs(Permission::EditRecords);
const LEDGER: Access = Access::Needs(Permission::ReadLedger);
const SIGNED_IN: Access = Access::SignedIn;
const PLAN_WORK: Access = Access::Needs(Permission::PlanWork);
const RECTIFY: Access = Access::Needs(Permission::Rectify);
const INSPECT: Access = Access::Needs(Permission::Inspect);
const PLAN_CHECKS: Access = Access::Needs(Permission::PlanChecks);
const COMPLAINTS: Access = Access::Needs(Permission::HandleComplaints);
const MANAGE_ASSESSMENT: Access = Access::Needs(Permission::ManageAssessment);
const SCORE_ASSESSMENT: Access = Access::Needs(Permission::ScoreAssessment);
const OBJECT_ASSESSMENT: Access = Access::Needs(Permission::ObjectToAssessment);
const EMERGENCIES: Access = Access::Needs(Permission::HandleEmergencies);
const READ_CASES: Access = Access::Needs(Permission::ReadCases);
const INVESTIGATE: Access = Access::Needs(Permission::InvestigateCases);
const DECIDE: Access = Access::Needs(Permission::DecideCases);
const CASE_READS: Access = Access::Needs(Permission::ReviewCaseReads);
const READ_AUDITS: Access = Access::Needs(Permission::ReadAudits);
const MANAGE_AUDITS: Access = Access::Needs(Permission::ManageAudits);
const MANAGE_WATERS: Access = Access::Needs(Permission::ManageWaters);

/// Every API route. Routes of one path share a 405 answer naming the methods it has.
pub fn routes() -> Vec<Route> {
    use Names::*;
    #[rustfmt::skip]
    let table: Vec<(&'static str, &'static str, Access, Names, MethodRouter<AppState>)> = vec![
        ("GET", "/api/v1/me", SIGNED_IN, Nothing, get(me::me)),

        ("GET", "/api/v1/regions", SIGNED_IN, Nothing, get(regions::search)),
        ("GET", "/api/v1/regions/{code}", SIGNED_IN, Region, get(regions::get_region)),
        ("GET", "/api/v1/regions/{code}/children", SIGNED_IN, Region, get(regions::children)),
        ("POST", "/api/v1/regions/{code}/children", EDIT, Region, post(regions::add_child)),
        ("GET", "/api/v1/regions/{code}/who", SIGNED_IN, Region, get(regions::who)),
        ("GET", "/api/v1/regions/{code}/indicators", SIGNED_IN, Region, get(indicators::of_region)),
        ("GET", "/api/v1/warnings", SIGNED_IN, Nothing, get(indicators::warnings)),

        ("GET", "/api/v1/regions/{code}/organisations", SIGNED_IN, Region, get(organisations::list)),
        ("POST", "/api/v1/regions/{code}/organisations", EDIT, Region, post(organisations::create)),
        ("GET", "/api/v1/organisations/{id}", SIGNED_IN, Organisation, get(organisations::get)),
        ("PATCH", "/api/v1/organisations/{id}", EDIT, Organisation, patch(organisations::update)),

        ("GET", "/api/v1/regions/{code}/posts", SIGNED_IN, Region, get(posts::of_region)),
        ("GET", "/api/v1/organisations/{id}/posts", SIGNED_IN, Organisation, get(posts::of_organisation)),
        ("POST", "/api/v1/organisations/{id}/posts", EDIT, Organisation, post(posts::create)),
        ("GET", "/api/v1/posts/{id}", SIGNED_IN, Post, get(posts::get)),
        ("PATCH", "/api/v1/posts/{id}", EDIT, Post, patch(posts::update)),
        ("GET", "/api/v1/posts/{id}/tenures", SIGNED_IN, Post, get(posts::tenures)),

        ("GET", "/api/v1/people", SIGNED_IN, Nothing, get(people::search)),
        ("POST", "/api/v1/people", EDIT, Nothing, post(people::create)),
        ("GET", "/api/v1/people/{id}", SIGNED_IN, Person, get(people::get)),
        ("GET", "/api/v1/people/{id}/tenures", SIGNED_IN, Person, get(people::tenures)),

        ("POST", "/api/v1/tenures", EDIT, Nothing, post(tenures::create)),
        ("GET", "/api/v1/tenures/{id}", SIGNED_IN, Tenure, get(tenures::get)),
        ("PATCH", "/api/v1/tenures/{id}", EDIT, Tenure, patch(tenures::correct)),
        ("POST", "/api/v1/tenures/{id}/end", EDIT, Tenure, post(tenures::end)),
        ("POST", "/api/v1/tenures/{id}/retract", EDIT, Tenure, post(tenures::retract)),

        ("GET", "/api/v1/regions/{code}/duties", SIGNED_IN, Region, get(duties::of_region)),
        ("GET", "/api/v1/posts/{id}/duties", SIGNED_IN, Post, get(duties::of_post)),
        ("GET", "/api/v1/regions/{code}/local-duties", SIGNED_IN, Region, get(duties::local_list)),
        ("POST", "/api/v1/regions/{code}/local-duties", EDIT, Region, post(duties::local_create)),
        ("PATCH", "/api/v1/regions/{code}/local-duties/{id}", EDIT, Region, patch(duties::local_revise)),

        ("GET", "/api/v1/regulation/versions", SIGNED_IN, Nothing, get(regulation::versions)),
        ("GET", "/api/v1/frameworks", SIGNED_IN, Nothing, get(regulation::frameworks)),
        ("POST", "/api/v1/regulation/versions", Access::Needs(Permission::ImportRegulation), Nothing, post(regulation::import)),
        ("GET", "/api/v1/regulation/versions/{id}", SIGNED_IN, Unscoped, get(regulation::version)),
        ("GET", "/api/v1/regulation/diff", SIGNED_IN, Nothing, get(regulation::diff)),

        ("GET", "/api/v1/roster", SIGNED_IN, Nothing, get(roster::export)),
        ("POST", "/api/v1/roster", EDIT, Nothing, post(roster::import)),

        ("GET", "/api/v1/ledger", LEDGER, Nothing, get(ledger::list)),
        ("POST", "/api/v1/ledger/verify", LEDGER, Nothing, post(ledger::verify)),
        ("GET", "/api/v1/ledger/{seq}", LEDGER, Unscoped, get(ledger::entry)),

        ("GET", "/api/v1/plans", SIGNED_IN, Nothing, get(plans::list)),
        ("POST", "/api/v1/plans", PLAN_WORK, Nothing, post(plans::create)),
        ("GET", "/api/v1/plans/{id}", SIGNED_IN, Plan, get(plans::get)),
        ("POST", "/api/v1/plans/{id}/tasks", PLAN_WORK, Plan, post(plans::add_task)),
        ("GET", "/api/v1/tasks", SIGNED_IN, Nothing, get(plans::tasks)),
        ("GET", "/api/v1/tasks/{id}", SIGNED_IN, Task, get(plans::task)),
        ("POST", "/api/v1/tasks/{id}/progress", RECTIFY, Task, post(plans::report_progress)),
        ("GET", "/api/v1/dispatch-rounds", SIGNED_IN, Nothing, get(plans::rounds)),
        ("POST", "/api/v1/dispatch-rounds", PLAN_WORK, Nothing, post(plans::open_round)),
        ("GET", "/api/v1/dispatch-rounds/{id}", SIGNED_IN, DispatchRound, get(plans::round)),
        ("POST", "/api/v1/dispatch-rounds/{id}/close", PLAN_WORK, DispatchRound, post(plans::close_round)),

        ("GET", "/api/v1/inspections", SIGNED_IN, Nothing, get(inspections::list)),
        ("POST", "/api/v1/inspections", INSPECT, Nothing, post(inspections::create)),
        ("GET", "/api/v1/inspections/{id}", SIGNED_IN, Inspection, get(inspections::get)),

        ("GET", "/api/v1/findings", SIGNED_IN, Nothing, get(findings::list)),
        ("POST", "/api/v1/findings", INSPECT, Nothing, post(findings::create)),
        ("GET", "/api/v1/findings/{id}", SIGNED_IN, Finding, get(findings::get)),
        ("POST", "/api/v1/findings/{id}/start", RECTIFY, Finding, post(findings::start)),
        ("POST", "/api/v1/findings/{id}/progress", RECTIFY, Finding, post(findings::progress)),
        ("POST", "/api/v1/findings/{id}/request-closure", RECTIFY, Finding, post(findings::request_closure)),
        ("POST", "/api/v1/findings/{id}/verify", INSPECT, Finding, post(findings::verify)),
        ("POST", "/api/v1/findings/{id}/return", INSPECT, Finding, post(findings::return_for_rework)),
        ("POST", "/api/v1/findings/{id}/close", INSPECT, Finding, post(findings::close)),
        ("POST", "/api/v1/findings/{id}/extend-deadline", INSPECT, Finding, post(findings::extend_deadline)),
        ("POST", "/api/v1/findings/{id}/long-term", INSPECT, Finding, post(findings::long_term)),
        ("POST", "/api/v1/findings/{id}/review", INSPECT, Finding, post(findings::review)),

        ("POST", "/api/v1/evidence", RECTIFY, Nothing, post(evidence::upload)),
        ("GET", "/api/v1/evidence/{sha256}", SIGNED_IN, Evidence, get(evidence::download)),

        ("GET", "/api/v1/checks", SIGNED_IN, Nothing, get(checks::list)),
        ("POST", "/api/v1/checks", PLAN_CHECKS, Nothing, post(checks::plan)),
        ("POST", "/api/v1/checks/assess", PLAN_CHECKS, Nothing, post(checks::assess)),
        ("GET", "/api/v1/checks/merge-suggestions", SIGNED_IN, Nothing, get(checks::merge_suggestions)),
        ("GET", "/api/v1/checks/burden", SIGNED_IN, Nothing, get(checks::burden)),
        ("GET", "/api/v1/checks/{id}", SIGNED_IN, Check, get(checks::get)),
        ("POST", "/api/v1/checks/{id}/status", PLAN_CHECKS, Check, post(checks::set_status)),

        ("GET", "/api/v1/complaints", SIGNED_IN, Nothing, get(complaints::list)),
        ("GET", "/api/v1/complaints/statistics", SIGNED_IN, Nothing, get(complaints::statistics)),
        ("GET", "/api/v1/complaints/{id}", SIGNED_IN, Complaint, get(complaints::get)),
        ("GET", "/api/v1/complaints/{id}/attachments/{n}", SIGNED_IN, Complaint, get(complaints::attachment)),
        ("POST", "/api/v1/complaints/{id}/assign", COMPLAINTS, Complaint, post(complaints::assign)),
        ("POST", "/api/v1/complaints/{id}/answer", COMPLAINTS, Complaint, post(complaints::answer)),
        ("POST", "/api/v1/complaints/{id}/promote", COMPLAINTS, Complaint, post(complaints::promote)),

        ("GET", "/api/v1/me/notifications", SIGNED_IN, Nothing, get(notifications::list)),
        ("POST", "/api/v1/me/notifications/{id}/read", SIGNED_IN, Notification, post(notifications::mark_read)),

        ("GET", "/api/v1/assessments", SIGNED_IN, Nothing, get(assessment::list)),
        ("POST", "/api/v1/regions/{code}/assessments", MANAGE_ASSESSMENT, Region, post(assessment::import)),
        ("GET", "/api/v1/regions/{code}/assessments/{year}", SIGNED_IN, Region, get(assessment::get)),
        ("GET", "/api/v1/regions/{code}/assessments/{year}/history", SIGNED_IN, Region, get(assessment::history)),
        ("GET", "/api/v1/regions/{code}/assessments/{year}/units/{unit}", SIGNED_IN, Region, get(assessment::unit)),
        ("POST", "/api/v1/regions/{code}/assessments/{year}/run", MANAGE_ASSESSMENT, Region, post(assessment::run)),
        ("POST", "/api/v1/regions/{code}/assessments/{year}/review", MANAGE_ASSESSMENT, Region, post(assessment::review)),
        ("POST", "/api/v1/regions/{code}/assessments/{year}/publish", MANAGE_ASSESSMENT, Region, post(assessment::publish)),
        ("GET", "/api/v1/regions/{code}/assessments/{year}/entries", SIGNED_IN, Region, get(assessment::entries)),
        ("POST", "/api/v1/regions/{code}/assessments/{year}/entries", SCORE_ASSESSMENT, Region, post(assessment::enter)),
        ("POST", "/api/v1/regions/{code}/assessments/{year}/objections", OBJECT_ASSESSMENT, Region, post(assessment::object)),
        ("POST", "/api/v1/regions/{code}/assessments/{year}/objections/{id}/answer", MANAGE_ASSESSMENT, Region, post(assessment::answer)),
        ("GET", "/api/v1/people/{id}/eco-record", Access::Needs(Permission::ReadCadreRecords), Person, get(assessment::eco_record)),

        ("GET", "/api/v1/emergencies", SIGNED_IN, Nothing, get(emergency::list)),
        ("POST", "/api/v1/regions/{code}/emergencies", EMERGENCIES, Region, post(emergency::report)),
        ("GET", "/api/v1/regions/{code}/emergency-chain", SIGNED_IN, Region, get(emergency::chain)),
        ("GET", "/api/v1/emergencies/{id}", SIGNED_IN, Emergency, get(emergency::get)),
        ("GET", "/api/v1/emergencies/{id}/history", SIGNED_IN, Emergency, get(emergency::history)),
        ("POST", "/api/v1/emergencies/{id}/updates", EMERGENCIES, Emergency, post(emergency::update)),
        ("POST", "/api/v1/emergencies/{id}/acknowledge", EMERGENCIES, Emergency, post(emergency::acknowledge)),
        ("GET", "/api/v1/risk-sources", SIGNED_IN, Nothing, get(emergency::risk_sources)),
        ("POST", "/api/v1/regions/{code}/risk-sources", EDIT, Region, post(emergency::import_risk_sources)),
        ("GET", "/api/v1/risk-reports", SIGNED_IN, Nothing, get(emergency::risk_reports)),
        ("POST", "/api/v1/regions/{code}/risk-reports", EMERGENCIES, Region, post(emergency::report_risk)),

        ("GET", "/api/v1/cases", READ_CASES, Nothing, get(accountability::list)),
        ("POST", "/api/v1/regions/{code}/cases", INVESTIGATE, Region, post(accountability::open)),
        ("GET", "/api/v1/cases/{id}", READ_CASES, Case, get(accountability::get)),
        ("GET", "/api/v1/cases/{id}/history", READ_CASES, Case, get(accountability::history)),
        ("POST", "/api/v1/cases/{id}/take-up", INVESTIGATE, Case, post(accountability::take_up)),
        ("POST", "/api/v1/cases/{id}/persons", INVESTIGATE, Case, post(accountability::person)),
        ("POST", "/api/v1/cases/{id}/persons/add", INVESTIGATE, Case, post(accountability::add_person)),
        ("POST", "/api/v1/cases/{id}/grounds", INVESTIGATE, Case, post(accountability::ground)),
        ("POST", "/api/v1/cases/{id}/circumstances", INVESTIGATE, Case, post(accountability::circumstance)),
        ("POST", "/api/v1/cases/{id}/decision", DECIDE, Case, post(accountability::decide)),
        ("POST", "/api/v1/cases/{id}/appeals", DECIDE, Case, post(accountability::appeal)),
        ("POST", "/api/v1/cases/{id}/appeals/answer", DECIDE, Case, post(accountability::answer_appeal)),
        ("POST", "/api/v1/cases/{id}/execute", DECIDE, Case, post(accountability::execute)),
        ("POST", "/api/v1/cases/{id}/archive", DECIDE, Case, post(accountability::archive)),
        ("POST", "/api/v1/cases/{id}/dismiss", INVESTIGATE, Case, post(accountability::dismiss)),
        ("GET", "/api/v1/case-reads", CASE_READS, Nothing, get(accountability::reads)),
        ("GET", "/api/v1/case-forms", READ_CASES, Nothing, get(accountability::forms)),
        ("GET", "/api/v1/people/{id}/cases", READ_CASES, Person, get(accountability::of_person)),
        ("GET", "/api/v1/zoning-units", SIGNED_IN, Nothing, get(zoning::units)),
        ("POST", "/api/v1/regions/{code}/zoning-units", Access::Needs(Permission::ManageZoning), Region, post(zoning::import)),
        ("GET", "/api/v1/zoning-units/{unit}", SIGNED_IN, ZoningUnit, get(zoning::unit)),
        ("GET", "/api/v1/zoning-units/{unit}/history", SIGNED_IN, ZoningUnit, get(zoning::history)),
        ("POST", "/api/v1/zoning-checks", SIGNED_IN, Nothing, post(zoning::check)),
        ("GET", "/api/v1/zoning-checks", SIGNED_IN, Nothing, get(zoning::checks)),
        ("GET", "/api/v1/zoning-checks/{id}", SIGNED_IN, ZoningCheck, get(zoning::get_check)),
        ("GET", "/api/v1/asset-accounts", SIGNED_IN, Nothing, get(audit::accounts)),
        ("POST", "/api/v1/regions/{code}/asset-accounts", MANAGE_AUDITS, Region, post(audit::import)),
        ("GET", "/api/v1/audits", READ_AUDITS, Nothing, get(audit::list)),
        ("GET", "/api/v1/audits-due", READ_AUDITS, Nothing, get(audit::due)),
        ("POST", "/api/v1/tenures/{id}/audit", MANAGE_AUDITS, Tenure, post(audit::open)),
        ("GET", "/api/v1/tenures/{id}/dossier", READ_AUDITS, Tenure, get(audit::tenure_dossier)),
        ("GET", "/api/v1/audits/{id}", READ_AUDITS, Audit, get(audit::get)),
        ("GET", "/api/v1/audits/{id}/history", READ_AUDITS, Audit, get(audit::history)),
        ("GET", "/api/v1/audits/{id}/dossier", READ_AUDITS, Audit, get(audit::dossier)),
        ("POST", "/api/v1/audits/{id}/findings", MANAGE_AUDITS, Audit, post(audit::record_finding)),
        ("POST", "/api/v1/audits/{id}/report", MANAGE_AUDITS, Audit, post(audit::report)),
        ("POST", "/api/v1/audits/{id}/cases", INVESTIGATE, Audit, post(audit::open_case)),
        ("GET", "/api/v1/waters", SIGNED_IN, Nothing, get(waters::list)),
        ("POST", "/api/v1/waters", MANAGE_WATERS, Nothing, post(waters::save)),
        ("GET", "/api/v1/waters/{water}", SIGNED_IN, Water, get(waters::get)),
        ("GET", "/api/v1/forests", SIGNED_IN, Nothing, get(waters::forests)),
        ("POST", "/api/v1/forests", MANAGE_WATERS, Nothing, post(waters::save_forest)),
        ("GET", "/api/v1/chiefs", SIGNED_IN, Nothing, get(waters::chiefs)),
        ("POST", "/api/v1/chiefs", MANAGE_WATERS, Nothing, post(waters::add_chief)),
        ("GET", "/api/v1/chiefs/{id}", SIGNED_IN, Chief, get(waters::chief)),
        ("GET", "/api/v1/chiefs/{id}/month", SIGNED_IN, Chief, get(waters::month)),
        ("GET", "/api/v1/patrols", SIGNED_IN, Nothing, get(waters::patrols)),
        // A chief records his own patrols: the handler checks ManageWaters or the chief.
        ("POST", "/api/v1/patrols", SIGNED_IN, Nothing, post(waters::record)),
        ("GET", "/api/v1/patrols/{id}", SIGNED_IN, Patrol, get(waters::patrol)),
        ("GET", "/api/v1/regions/{code}/patrol-frequency", SIGNED_IN, Region, get(waters::frequency)),
        ("POST", "/api/v1/regions/{code}/patrol-frequency", MANAGE_WATERS, Region, post(waters::set_frequency)),
        ("GET", "/api/v1/chiefs-behind", SIGNED_IN, Nothing, get(waters::behind)),
        ("POST", "/api/v1/regions/{code}/chief-sheet", MANAGE_WATERS, Region, post(waters::import_sheet)),
    ];

    // The methods of each path, for 405 answers (axum merges the routes of one path, and only
    // one of them may carry the fallback).
    let mut methods: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (method, path, ..) in &table {
        methods.entry(path).or_default().push(method);
    }
    let mut out = vec![api(
        "GET",
        "/api/v1/openapi.json",
        Access::Public,
        Names::Nothing,
        get(openapi).fallback(|| async { common::method_not_allowed("GET") }),
    )];
    for (method, path, access, names, handler) in table {
        let handler = match methods.remove(path) {
            Some(list) => {
                let allow = list.join(", ");
                handler.fallback(move || {
                    let allow = allow.clone();
                    async move { common::method_not_allowed(&allow) }
                })
            }
            None => handler,
        };
        out.push(api(method, path, access, names, handler));
    }
    // Any other path under /api/v1: a problem-details 404 rather than the HTML page. It
    // documents no operation, so it is not marked as an API route (which would put it in the
    // OpenAPI document's list).
    out.push(Route {
        method: "ANY",
        path: "/api/v1/{*rest}",
        access: Access::Public,
        names: Names::Nothing,
        api: false,
        handler: any(common::unknown_path),
    });
    out
}
