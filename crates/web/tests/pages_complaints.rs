//! The public complaint form: filed without signing in, followed by its tracking code, taken
//! up by staff through the API as a finding (which the complainant then sees), refused when
//! the text or the attachment breaks the rules, and limited per client address (429).

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use ecoduty_web::Config;
use reqwest::multipart::{Form, Part};
use serde_json::json;

fn form(region: &str, text: &str) -> Form {
    Form::new()
        .text("region", region.to_string())
        .text("address", "解放路与人民路交叉口")
        .text("category", "noise")
        .text("text", text.to_string())
        .text("contact", "13800000000")
}

/// The tracking code on the page that answers a filed complaint.
fn tracking_code(html: &str) -> String {
    let marker = "id=\"tracking-code\">";
    let start = html.find(marker).expect("a tracking code") + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

async fn a_complaint_goes_from_the_public_form_to_a_finding(app: TestApp) {
    let c = app.client();
    let page = c.get(app.at("/public/complaint")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("信访举报") && html.contains("name=\"text\""));

    // Too short a text: refused on the page, with what was sent kept.
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(form("410883", "噪声"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("至少5个字"), "{html}");
    assert!(html.contains("解放路与人民路交叉口"));

    // An attachment of the wrong kind: 415, naming it.
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(form("孟州市", "夜间施工噪声扰民,持续一个月").part(
            "file",
            Part::bytes(b"MZ\x90\x00".to_vec()).file_name("video.exe"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    assert!(res.text().await.unwrap().contains("video.exe"));

    // Filed, by the region's name, with a photo.
    let png = b"\x89PNG\r\n\x1a\n0000IHDR".to_vec();
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(
            form("孟州市", "夜间施工噪声扰民,持续一个月")
                .part("file", Part::bytes(png).file_name("现场.png")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let code = tracking_code(&res.text().await.unwrap());
    assert_eq!(code.len(), 24, "{code}");

    let track = c
        .get(app.at(&format!("/public/complaint/{code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(track.status(), 200);
    let html = track.text().await.unwrap();
    assert!(html.contains("已受理"), "{html}");
    assert!(
        !html.contains("13800000000"),
        "the contact is never shown publicly"
    );
    // Typed back in lower case without dashes, through the lookup form.
    let typed = code.replace('-', "").to_lowercase();
    let res = c
        .get(app.at(&format!("/public/complaint/track?code={typed}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = c
        .get(app.at("/public/complaint/0000-0000-0000-0000-0000"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Staff take it up: assigned, promoted to a finding.
    let staff = Api::new(&app.at(""), &app.token("jz.admin").await);
    let list = staff.ok("/api/v1/complaints?region=410883").await;
    let complaint = list["items"][0].clone();
    let id = complaint["id"].as_i64().unwrap();
    assert!(complaint["text"].as_str().unwrap().contains("现场.png"));
    let detail = staff.ok(&format!("/api/v1/complaints/{id}")).await;
    assert_eq!(detail["contact"], "13800000000");
    let leader = Api::new(&app.at(""), &app.token("jz.leader").await);
    assert_eq!(
        leader.ok(&format!("/api/v1/complaints/{id}")).await["contact"],
        json!(null)
    );
    let orgs = staff.ok("/api/v1/regions/410883/organisations").await;
    let unit = orgs[0]["id"].as_i64().unwrap();
    let (status, assigned) = staff
        .post(
            &format!("/api/v1/complaints/{id}/assign"),
            json!({"organisation_id": unit}),
        )
        .await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(assigned["status"], "assigned");
    let deadline = (chrono::Local::now().date_naive() + chrono::Duration::days(30)).to_string();
    let (status, promoted) = staff
        .post(
            &format!("/api/v1/complaints/{id}/promote"),
            json!({"severity": "general", "units": [unit], "deadline": deadline}),
        )
        .await;
    assert_eq!(status, 200, "{promoted}");
    assert_eq!(promoted["finding"]["source"], "complaint");
    assert_eq!(promoted["finding"]["complaint_id"], id);
    let fid = promoted["finding"]["id"].as_i64().unwrap();
    let found = staff.ok("/api/v1/findings?source=complaint").await;
    assert_eq!(found["items"][0]["id"], fid);
    let stats = staff.ok("/api/v1/complaints/statistics").await;
    let noise = stats
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["region_code"] == "410883" && s["category"] == "noise")
        .unwrap();
    assert_eq!(noise["promoted"], 1);

    // The complainant sees it taken up.
    let html = c
        .get(app.at(&format!("/public/complaint/{code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("已作为问题交办整改"), "{html}");
    app.finish().await;
}

async fn the_public_form_is_rate_limited(app: TestApp) {
    let c = app.client();
    let mut statuses = Vec::new();
    for i in 0..4 {
        let res = c
            .post(app.at("/public/complaint"))
            .multipart(form("410883", &format!("第{i}次反映:河道垃圾堆积")))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(statuses, vec![200, 200, 200, 429]);
    // Following a complaint spends from the same allowance.
    let res = c
        .get(app.at("/public/complaint/0000-0000-0000-0000-0000"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    // Signed-in pages are not limited.
    let (staff, _) = app.sign_in("jz.admin").await;
    assert_eq!(staff.get(app.at("/")).send().await.unwrap().status(), 200);
    app.finish().await;
}

async fn limited(postgres: bool) -> TestApp {
    TestApp::start(
        postgres,
        Config {
            public_burst: 3,
            public_per_minute: 1,
            ..Config::default()
        },
    )
    .await
}

mod the_public_form_is_rate_limited {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_public_form_is_rate_limited(super::limited(false).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
    async fn postgres() {
        super::the_public_form_is_rate_limited(super::limited(true).await).await;
    }
}

mod a_complaint_goes_from_the_public_form_to_a_finding {
    async fn generous(postgres: bool) -> super::TestApp {
        super::TestApp::start(
            postgres,
            super::Config {
                public_burst: 100,
                ..super::Config::default()
            },
        )
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_complaint_goes_from_the_public_form_to_a_finding(generous(false).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
    async fn postgres() {
        super::a_complaint_goes_from_the_public_form_to_a_finding(generous(true).await).await;
    }
}
