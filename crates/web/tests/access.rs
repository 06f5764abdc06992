//! Access control walked over the whole route table: every route that needs a user refuses an
//! anonymous request, and every route that names a record answers "not found" when the record
//! lies outside the user's region — pages and API alike. The table is the one the router is
//! built from, so a new route cannot escape these checks.

mod common;

use common::TestApp;
use ecoduty_domain::RegionCode;
use ecoduty_web::routes::{self, Access, Names};
use reqwest::Method;

/// Records in 焦作市 (outside 象州县), one per kind a path can name.
struct Foreign {
    region: String,
    organisation: i64,
    post: i64,
    person: i64,
    tenure: i64,
    user: i64,
    token: i64,
    plan: i64,
    task: i64,
    round: i64,
    inspection: i64,
    finding: i64,
    evidence: String,
    check: i64,
    complaint: i64,
    emergency: i64,
    case: i64,
    zoning_unit: String,
    zoning_check: i64,
    audit: i64,
    water: String,
    chief: i64,
    patrol: i64,
}

async fn foreign(app: &TestApp) -> Foreign {
    let s = &app.store;
    let city = RegionCode::parse("410800").unwrap();
    let holdings = s
        .who(&city, chrono::Local::now().date_naive(), None)
        .await
        .unwrap();
    let held = holdings.iter().find(|h| h.holder.is_some()).unwrap();
    let holder = held.holder.as_ref().unwrap();
    // A person whose every tenure is in 焦作市's subtree.
    let mut person = holder.person.id;
    for h in &holdings {
        if let Some(x) = &h.holder {
            let history = s.person_history(x.person.id).await.unwrap();
            if history
                .iter()
                .all(|t| t.organisation.region_code.as_str().starts_with("4108"))
            {
                person = x.person.id;
                break;
            }
        }
    }
    let (jz_admin, _) = s.user_for_sign_in("jz.admin").await.unwrap().unwrap();
    app.token("jz.admin").await;
    let token = s.api_tokens_of(jz_admin.id).await.unwrap()[0].id;
    let sup = common::supervision_records(app, "410800").await;
    Foreign {
        plan: sup.plan,
        task: sup.task,
        round: sup.round,
        inspection: sup.inspection,
        finding: sup.finding,
        evidence: sup.evidence,
        check: sup.check,
        complaint: sup.complaint,
        emergency: sup.emergency,
        case: sup.case,
        zoning_unit: sup.zoning_unit.clone(),
        zoning_check: sup.zoning_check,
        audit: sup.audit,
        water: sup.water.clone(),
        chief: sup.chief,
        patrol: sup.patrol,
        region: "410800".into(),
        organisation: held.organisation.id,
        post: held.post.id,
        person,
        tenure: holder.tenure.id,
        user: jz_admin.id,
        token,
    }
}

/// The path with its parameter pointing at the foreign record.
fn fill(path: &str, names: Names, f: &Foreign) -> String {
    let value = match names {
        Names::Region => f.region.clone(),
        Names::Organisation => f.organisation.to_string(),
        Names::Post => f.post.to_string(),
        Names::Person => f.person.to_string(),
        Names::Tenure => f.tenure.to_string(),
        Names::User => f.user.to_string(),
        Names::Token => f.token.to_string(),
        Names::Plan => f.plan.to_string(),
        Names::Task => f.task.to_string(),
        Names::DispatchRound => f.round.to_string(),
        Names::Inspection => f.inspection.to_string(),
        Names::Finding => f.finding.to_string(),
        Names::Evidence => f.evidence.clone(),
        Names::Check => f.check.to_string(),
        Names::Complaint => f.complaint.to_string(),
        Names::Emergency => f.emergency.to_string(),
        Names::Case => f.case.to_string(),
        Names::ZoningUnit => f.zoning_unit.clone(),
        Names::ZoningCheck => f.zoning_check.to_string(),
        Names::Audit => f.audit.to_string(),
        Names::Water => f.water.clone(),
        Names::Chief => f.chief.to_string(),
        Names::Patrol => f.patrol.to_string(),
        // Notifications belong to users: any id is someone else's for the caller.
        Names::Notification => "1".to_string(),
        Names::Nothing | Names::Unscoped => {
            return path.replace("{code}", "410800").replace("{id}", "1")
        }
    };
    let start = path.find('{').expect("a path parameter");
    let end = path[start..].find('}').unwrap() + start;
    // A second parameter (an attachment's number) names the first of the record's.
    format!("{}{}{}", &path[..start], value, &path[end + 1..]).replace("{n}", "1")
}

async fn every_route_refuses_anonymous_requests(app: TestApp) {
    let f = foreign(&app).await;
    let c = app.client();
    let mut checked = 0;
    for r in routes::all() {
        if r.access == Access::Public {
            continue;
        }
        let url = app.at(&fill(r.path, r.names, &f));
        let res = c
            .request(Method::from_bytes(r.method.as_bytes()).unwrap(), &url)
            .send()
            .await
            .unwrap();
        if r.api {
            assert_eq!(
                res.status(),
                401,
                "{} {} answered anonymously",
                r.method,
                r.path
            );
            assert_eq!(res.headers()["content-type"], "application/problem+json");
        } else {
            assert_eq!(
                res.status(),
                303,
                "{} {} answered anonymously",
                r.method,
                r.path
            );
            assert!(res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/signin"));
        }
        checked += 1;
    }
    assert!(checked >= 5);
    app.finish().await;
}

async fn every_route_hides_other_regions_records(app: TestApp) {
    let f = foreign(&app).await;
    // 象州县's administrator: the broadest role bound to a region outside 焦作市.
    // Routes the administrator's role does not carry (accountability cases) are tried by
    // 象州县's discipline body instead, which may read cases, but not 焦作市's.
    let (admin_c, admin_csrf) = app.sign_in("xz.admin").await;
    let admin_token = app.token("xz.admin").await;
    let (discipline_c, discipline_csrf) = app.sign_in("xz.discipline").await;
    let discipline_token = app.token("xz.discipline").await;
    let bearer = reqwest::Client::new();
    let mut checked = 0;
    for r in routes::all() {
        if matches!(r.names, Names::Nothing | Names::Unscoped) {
            continue;
        }
        let admin_may = match r.access {
            Access::Needs(p) => {
                ecoduty_domain::access::allows(ecoduty_domain::access::UserRole::RegionAdmin, p)
            }
            _ => true,
        };
        let (c, csrf, token) = if admin_may {
            (&admin_c, &admin_csrf, &admin_token)
        } else {
            (&discipline_c, &discipline_csrf, &discipline_token)
        };
        let path = fill(r.path, r.names, &f);
        let method = Method::from_bytes(r.method.as_bytes()).unwrap();
        // The page, as the browser sends it (with the session's CSRF token)...
        let res = c
            .request(method.clone(), app.at(&path))
            .header("x-csrf-token", csrf.as_str())
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            404,
            "{} {} revealed a record of another region",
            r.method,
            r.path
        );
        // ...and with an API token.
        if r.api {
            let res = bearer
                .request(method, app.at(&path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(
                res.status(),
                404,
                "{} {} (token) revealed a record of another region",
                r.method,
                r.path
            );
            assert_eq!(res.headers()["content-type"], "application/problem+json");
        }
        checked += 1;
    }
    assert!(checked >= 3);
    // The same routes do answer for the records' own region (the 404s above are about scope).
    let (c, _) = app.sign_in("jz.admin").await;
    assert_eq!(
        c.get(app.at("/regions/410800"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        c.get(app.at(&format!("/posts/{}", f.post)))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.finish().await;
}

/// The routes of frameworks and of adding a person to a case are in the table the checks
/// above walk: the case route names its case (so the scoping check tries it with another
/// region's case, as the discipline body of 象州县), the frameworks list needs a user.
#[test]
fn the_route_table_holds_the_framework_and_add_person_routes() {
    let find = |method: &str, path: &str| {
        routes::all()
            .into_iter()
            .find(|r| r.method == method && r.path == path)
            .unwrap_or_else(|| panic!("{method} {path} is not in the route table"))
    };
    let add = find("POST", "/api/v1/cases/{id}/persons/add");
    assert!(matches!(add.names, Names::Case));
    assert!(add.api);
    assert!(matches!(
        add.access,
        Access::Needs(ecoduty_domain::access::Permission::InvestigateCases)
    ));
    let frameworks = find("GET", "/api/v1/frameworks");
    assert!(frameworks.access != Access::Public);
    let page = find("POST", "/cases/{id}/investigate");
    assert!(matches!(page.names, Names::Case));
}

on_both_backends!(
    every_route_refuses_anonymous_requests,
    every_route_hides_other_regions_records
);

#[tokio::test]
async fn the_api_documents_itself_and_answers_problems() {
    let app = TestApp::sqlite().await;
    let c = reqwest::Client::new();
    let doc: serde_json::Value = c
        .get(app.at("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    // Every API route of the table is in the document, and nothing else.
    let documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for r in routes::all()
        .iter()
        .filter(|r| r.api && r.path != "/api/v1/openapi.json")
    {
        assert!(
            documented.contains(&r.path.to_string()),
            "{} is not in the OpenAPI document",
            r.path
        );
    }
    let token = app.token("jz.leader").await;
    let res = c
        .get(app.at("/api/v1/regions/410800/who?at=yesterday"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["field"], "at");
    let who: serde_json::Value = c
        .get(app.at("/api/v1/regions/4108/who?role=government_head"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(who["region"]["code"], "410800");
    assert_eq!(who["posts"].as_array().unwrap().len(), 1);
    assert!(!who["posts"][0]["holder"].is_null());
    let bad = c
        .get(app.at("/api/v1/regions/410800"))
        .bearer_auth("edt_not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    app.finish().await;
}
