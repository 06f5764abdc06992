//! The JSON API under /api/v1: one module per resource family, problem details (RFC 9457) for
//! every error — unknown paths and methods, malformed bodies and queries included — keyset
//! pagination for long lists, and an OpenAPI document generated from the handlers'
//! annotations at /api/v1/openapi.json.
//!
//! Every handler with a record in its path loads it through [`crate::auth::ApiScoped`] first
//! (outside the caller's region: 404), then checks the permission the route table names
//! ([`common::Allowed`]: 403), and only then reads the body.

pub mod common;
pub mod duties;
pub mod extract;
pub mod indicators;
pub mod ledger;
pub mod me;
pub mod organisations;
pub mod pagination;
pub mod people;
pub mod posts;
pub mod regions;
pub mod regulation;
pub mod roster;
pub mod tenures;

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
        description = "地方党政领导干部生态环境保护责任制 — regions, organisations, posts, people, tenures, responsibility lists, the regulation, rosters, binding indicators with their early warnings, and the change ledger. Authenticate with a personal API token (`Authorization: Bearer edt_…`) created in the web interface; a browser session works too, with the `X-CSRF-Token` header on requests that change something. A caller bound to a region sees only records within it: anything else is answered 404, like a record that does not exist. Every change is recorded in the hash-chained ledger with its actor and reason. Errors are RFC 9457 problem details. Long lists are paged: `{items, next}`, pass `next` back as `cursor`.",
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
        regulation::versions, regulation::version, regulation::diff, regulation::import,
        roster::export, roster::import,
        ledger::list, ledger::entry, ledger::verify,
        indicators::of_region, indicators::warnings,
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
        (name = "indicators", description = "Binding indicators against their targets, and early warnings naming who answers for them")
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
        ("POST", "/api/v1/regulation/versions", Access::Needs(Permission::ImportRegulation), Nothing, post(regulation::import)),
        ("GET", "/api/v1/regulation/versions/{id}", SIGNED_IN, Unscoped, get(regulation::version)),
        ("GET", "/api/v1/regulation/diff", SIGNED_IN, Nothing, get(regulation::diff)),

        ("GET", "/api/v1/roster", SIGNED_IN, Nothing, get(roster::export)),
        ("POST", "/api/v1/roster", EDIT, Nothing, post(roster::import)),

        ("GET", "/api/v1/ledger", LEDGER, Nothing, get(ledger::list)),
        ("POST", "/api/v1/ledger/verify", LEDGER, Nothing, post(ledger::verify)),
        ("GET", "/api/v1/ledger/{seq}", LEDGER, Unscoped, get(ledger::entry)),
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
