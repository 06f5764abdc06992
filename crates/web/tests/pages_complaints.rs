//! The public complaint form: filed without signing in, followed by its tracking code, taken
//! up by staff through the API as a finding (which the complainant then sees), refused when
//! the text or the attachment breaks the rules, and limited per client address (429) — one
//! limit for every server on the database. Attachments are shown and served to staff of the
//! complaint's region only, byte for byte; a refused attachment leaves nothing stored.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use ecoduty_store::supervision::complaints::ComplaintFilter;
use ecoduty_store::supervision::PageRequest;
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

    // Another site's page posting the form in a visitor's name: refused, nothing filed.
    let before = stored_complaints(&app).await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let res = c
            .post(app.at("/public/complaint"))
            .header(header, value)
            .multipart(form("410883", "夜间施工噪声扰民,持续一个月"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{header}: {value}");
    }
    assert_eq!(stored_complaints(&app).await, before);
    // This site's own form (its origin) is accepted further below.
    let own_origin = format!("http://{}", app.addr);

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
        .header("origin", &own_origin)
        .header("sec-fetch-site", "same-origin")
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
    assert_eq!(
        complaint["text"], "夜间施工噪声扰民,持续一个月",
        "the attachment is not cited in the text"
    );
    assert_eq!(complaint["attachments"][0]["name"], "现场.png");
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

fn png(tag: &str) -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n".as_slice(), tag.as_bytes()].concat()
}

async fn stored_complaints(app: &TestApp) -> usize {
    app.store
        .complaints_page(&ComplaintFilter::default(), PageRequest::first(500))
        .await
        .unwrap()
        .items
        .len()
}

async fn attachments_reach_the_officer_of_the_region_only(app: TestApp) {
    let c = app.client();
    let photo = png("施工现场夜间照片");
    let pdf = b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n".to_vec();
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(
            form("410883", "夜间施工噪声扰民,持续一个月")
                .part("file", Part::bytes(photo.clone()).file_name("现场 1.png"))
                .part("file", Part::bytes(pdf.clone()).file_name("情况说明.pdf")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("现场 1.png") && html.contains("情况说明.pdf"));
    let code = tracking_code(&html);

    // The complainant sees the names and sizes, not the files.
    let html = c
        .get(app.at(&format!("/public/complaint/{code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("现场 1.png"), "{html}");
    assert!(html.contains(&format!("{} B", photo.len())));
    assert!(!html.contains("/attachments/"), "no link to the files");

    // The officer of 孟州市 sees them on the complaint and in the API, and downloads them.
    let officer = Api::new(&app.at(""), &app.token("mz.officer").await);
    let list = officer.ok("/api/v1/complaints?region=410883").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let detail = officer.ok(&format!("/api/v1/complaints/{id}")).await;
    let files = detail["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{detail}");
    assert_eq!(files[0]["number"], 1);
    assert_eq!(files[0]["name"], "现场 1.png");
    assert_eq!(files[0]["content_type"], "image/png");
    assert_eq!(files[0]["size"], photo.len());
    assert_eq!(
        files[0]["sha256"],
        ecoduty_store::quality::sha256_hex(&photo)
    );
    assert_eq!(files[1]["name"], "情况说明.pdf");
    assert_eq!(files[1]["content_type"], "application/pdf");
    let link = files[1]["download"].as_str().unwrap();
    assert_eq!(link, format!("/api/v1/complaints/{id}/attachments/2"));
    let res = officer
        .request(reqwest::Method::GET, link)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("filename*=UTF-8''%E6%83%85%E5%86%B5%E8%AF%B4%E6%98%8E.pdf"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let (status, _) = officer
        .get(&format!("/api/v1/complaints/{id}/attachments/3"))
        .await;
    assert_eq!(status, 404, "no third attachment");

    let (page, _) = app.sign_in("mz.officer").await;
    let html = page
        .get(app.at(&format!("/complaints/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"complaint-attachments\""), "{html}");
    assert!(html.contains(&format!("/complaints/{id}/attachments/1")));
    let res = page
        .get(app.at(&format!("/complaints/{id}/attachments/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().to_vec(), photo);
    // Through the evidence download as well: the complaint cites the file.
    let sha = files[0]["sha256"].as_str().unwrap();
    let res = officer
        .request(reqwest::Method::GET, &format!("/api/v1/evidence/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().to_vec(), photo);

    // Someone of another region gets "not found", by every way; nobody signed out gets it.
    let stranger = Api::new(&app.at(""), &app.token("xz.admin").await);
    for path in [
        format!("/api/v1/complaints/{id}/attachments/1"),
        format!("/api/v1/complaints/{id}"),
        format!("/api/v1/evidence/{sha}"),
    ] {
        let (status, _) = stranger.get(&path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (stranger_page, _) = app.sign_in("xz.admin").await;
    let res = stranger_page
        .get(app.at(&format!("/complaints/{id}/attachments/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = app
        .client()
        .get(app.at(&format!("/complaints/{id}/attachments/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "anonymous requests are sent to sign in");
    app.finish().await;
}

async fn a_refused_attachment_files_nothing(app: TestApp) {
    let c = app.client();
    let before = stored_complaints(&app).await;
    let good = png("ok");

    // A file of the wrong kind beside a good one: 415, naming it, the form kept.
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(
            form("410883", "河道垃圾堆积,无人清理")
                .part("file", Part::bytes(good.clone()).file_name("现场.png"))
                .part(
                    "file",
                    Part::bytes(b"MZ\x90\x00".to_vec()).file_name("video.exe"),
                ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let html = res.text().await.unwrap();
    assert!(html.contains("file: video.exe"), "{html}");
    assert!(
        html.contains("河道垃圾堆积,无人清理"),
        "what was sent is kept"
    );

    // A file over the limit (1000 bytes here): 413, saying the size and the limit.
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(form("410883", "河道垃圾堆积,无人清理").part(
            "file",
            Part::bytes(png(&"x".repeat(2000))).file_name("大图.png"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let html = res.text().await.unwrap();
    assert!(html.contains("大图.png") && html.contains("1000"), "{html}");

    // More files than allowed: 422, naming the field.
    let mut too_many = form("410883", "河道垃圾堆积,无人清理");
    for i in 0..4 {
        too_many = too_many.part(
            "file",
            Part::bytes(png(&i.to_string())).file_name(format!("{i}.png")),
        );
    }
    let res = c
        .post(app.at("/public/complaint"))
        .multipart(too_many)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("file: "));

    assert_eq!(stored_complaints(&app).await, before, "no complaint stored");
    for content in [good, png(&"x".repeat(2000)), png("0")] {
        let sha = ecoduty_store::quality::sha256_hex(&content);
        assert!(
            app.store.evidence_info(&sha).await.unwrap().is_none(),
            "no file stored"
        );
    }
    app.finish().await;
}

async fn two_servers_share_one_rate_limit(app: TestApp) {
    let other = app
        .second_server(Config {
            public_burst: 3,
            public_per_minute: 1,
            ..Config::default()
        })
        .await;
    let c = app.client();
    let unknown = "/public/complaint/0000-0000-0000-0000-0000";
    for _ in 0..3 {
        let res = c.get(app.at(unknown)).send().await.unwrap();
        assert_eq!(res.status(), 404, "within the burst");
    }
    // The first server spent the budget: the second refuses the same client.
    let res = c.get(other.at(unknown)).send().await.unwrap();
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let res = c
        .post(other.at("/public/complaint"))
        .multipart(form("410883", "河道垃圾堆积,无人清理"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let res = c.get(app.at(unknown)).send().await.unwrap();
    assert_eq!(res.status(), 429, "and the first still refuses");
    other.finish().await;
    app.finish().await;
}

async fn generous(postgres: bool) -> TestApp {
    TestApp::start(
        postgres,
        Config {
            public_burst: 100,
            evidence_max_bytes: 1000,
            ..Config::default()
        },
    )
    .await
}

/// A public form that lets the whole test through.
async fn open_form(postgres: bool) -> TestApp {
    TestApp::start(
        postgres,
        Config {
            public_burst: 100,
            ..Config::default()
        },
    )
    .await
}

on_both_backends!(started_by limited: the_public_form_is_rate_limited, two_servers_share_one_rate_limit);
on_both_backends!(started_by open_form: a_complaint_goes_from_the_public_form_to_a_finding);
on_both_backends!(
    started_by generous: attachments_reach_the_officer_of_the_region_only,
    a_refused_attachment_files_nothing,
);
