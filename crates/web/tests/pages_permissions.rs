//! Every page that needs a permission refuses a signed-in user whose role lacks it, walked
//! over the whole route table (with records of the user's own region in the path, so that the
//! refusal is about the role and not the region). Together with `access.rs` (anonymous and
//! other regions) this covers every route of the table.

mod common;
mod pages_support;

use common::TestApp;
use ecoduty_domain::access::{allows, UserRole};
use ecoduty_domain::Role;
use ecoduty_web::routes::{self, Access, Names};
use pages_support::post_of;
use reqwest::Method;

async fn every_page_refuses_roles_without_its_permission(app: TestApp) {
    let (post, tenure, person) = post_of(&app, "410800", Role::GovernmentHead).await;
    let complaint = app
        .store
        .file_complaint(
            &ecoduty_store::Change::new("test", "a complaint to aim at"),
            ecoduty_store::supervision::complaints::NewComplaint {
                region_code: ecoduty_domain::RegionCode::parse("410800").unwrap(),
                address: "解放路".into(),
                category: ecoduty_domain::supervision::Category::Noise,
                channel: ecoduty_domain::supervision::complaints::Channel::Phone,
                text: "夜间施工噪声扰民".into(),
                contact: None,
                received_on: chrono::Local::now().date_naive(),
            },
        )
        .await
        .unwrap()
        .complaint
        .id;
    let sup = common::supervision_records(&app, "410800").await;
    let mut checked = 0;
    for (username, role) in [
        ("jz.leader", UserRole::Leader),
        ("jz.auditor", UserRole::Auditor),
    ] {
        let (c, csrf) = app.sign_in(username).await;
        app.token(username).await;
        let (me, _) = app.store.user_for_sign_in(username).await.unwrap().unwrap();
        let token = app.store.api_tokens_of(me.id).await.unwrap()[0].id;
        for r in routes::all().iter().filter(|r| !r.api) {
            let Access::Needs(p) = r.access else { continue };
            if allows(role, p) {
                continue;
            }
            let value = match r.names {
                Names::Region => "410800".to_string(),
                Names::Post => post.to_string(),
                Names::Tenure => tenure.to_string(),
                Names::Person => person.to_string(),
                Names::User => me.id.to_string(),
                Names::Token => token.to_string(),
                Names::Complaint => complaint.to_string(),
                Names::Emergency => sup.emergency.to_string(),
                Names::Case => sup.case.to_string(),
                Names::ZoningUnit => sup.zoning_unit.clone(),
                Names::ZoningCheck => sup.zoning_check.to_string(),
                Names::Audit => sup.audit.to_string(),
                Names::Water => sup.water.clone(),
                Names::Chief => sup.chief.to_string(),
                Names::Patrol => sup.patrol.to_string(),
                Names::Task => sup.task.to_string(),
                Names::Plan => sup.plan.to_string(),
                Names::DispatchRound => sup.round.to_string(),
                Names::Finding => sup.finding.to_string(),
                Names::Check => sup.check.to_string(),
                Names::Inspection => sup.inspection.to_string(),
                Names::Evidence => sup.evidence.clone(),
                _ => "1".to_string(),
            };
            let path = match r.path.find('{') {
                Some(start) => {
                    let end = r.path[start..].find('}').unwrap() + start;
                    format!("{}{}{}", &r.path[..start], value, &r.path[end + 1..])
                }
                None => r.path.to_string(),
            };
            let res = c
                .request(
                    Method::from_bytes(r.method.as_bytes()).unwrap(),
                    app.at(&path),
                )
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(
                res.status(),
                403,
                "{username} ({role:?}) reached {} {} needing {p:?}",
                r.method,
                r.path
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} refusals checked");
    app.finish().await;
}

/// The navigation offers a user only what their role reaches.
async fn navigation_follows_the_role(app: TestApp) {
    for (username, shown, hidden) in [
        (
            "jz.leader",
            &["/people", "/account"][..],
            &["/roster", "/users", "/ledger"][..],
        ),
        ("jz.auditor", &["/ledger"][..], &["/roster", "/users"][..]),
        ("jz.admin", &["/roster", "/users", "/ledger"][..], &[][..]),
    ] {
        let (c, _) = app.sign_in(username).await;
        let home = c
            .get(app.at("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let nav = &home[home
            .find("<nav id=\"main-nav\" aria-label=\"主导航\">")
            .unwrap()..home.find("</nav>").unwrap()];
        for href in shown {
            assert!(
                nav.contains(&format!("href=\"{href}\"")),
                "{username} {href}"
            );
        }
        for href in hidden {
            assert!(
                !nav.contains(&format!("href=\"{href}\"")),
                "{username} {href}"
            );
        }
    }
    app.finish().await;
}

on_both_backends!(
    every_page_refuses_roles_without_its_permission,
    navigation_follows_the_role
);
