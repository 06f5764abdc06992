//! Rivers, lakes and their chiefs through the JSON API and the pages: 焦作市's administrator
//! saves a river, sees its segment with the chief today, the chief's month (patrol table,
//! sections by month against the target, open problems); bad input is refused naming the
//! field; a photo that is not a stored evidence file the caller may cite is refused; a leader
//! may not record another chief's patrol, but the chief himself (the account named by his
//! person key) may record his own; another region's administrator finds nothing. On the pages:
//! the list, the water, the chief's page, the patrol form with a photo upload and the patrol's
//! page, and the public 河长公示牌 without signing in, with the complaint form filled in.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use ecoduty_domain::access::UserRole;
use ecoduty_domain::RegionCode;
use ecoduty_store::users::NewUser;
use ecoduty_store::Change;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

/// An account for the person holding the chief post today (username = person key).
async fn chief_account(app: &TestApp, chief: i64) -> String {
    let s = &app.store;
    let c = s.chief(chief).await.unwrap().unwrap();
    let h = s
        .chief_holding(c, chrono::Utc::now().date_naive())
        .await
        .unwrap();
    let person = h.holder.expect("the chief post is held");
    let username = person.key.to_ascii_lowercase();
    let hash = ecoduty_web::auth::password::hash(common::PASSWORD.into())
        .await
        .unwrap();
    s.create_user(
        &Change::new("test", "the chief's account"),
        NewUser {
            username: username.clone(),
            display_name: person.name.clone(),
            role: UserRole::Leader,
            region_code: Some(RegionCode::parse("410800").unwrap()),
            password_hash: hash,
            one_time: false,
        },
    )
    .await
    .unwrap();
    username
}

fn patrol_body(chief: i64, segment: &str) -> Value {
    json!({
        "chief_id": chief,
        "target": {"segment": segment},
        "on": chrono::Utc::now().date_naive().to_string(),
        "minutes": 45,
        "metres": 2500,
        "problems": []
    })
}

async fn waters_through_the_api(app: TestApp) {
    let sup = common::supervision_records(&app, "410800").await;
    let jz = api(&app, "jz.admin").await;
    let leader = api(&app, "jz.leader").await;
    let xz = api(&app, "xz.admin").await;

    // The water with its segment and chief today.
    let (status, list) = jz.get("/api/v1/waters").await;
    assert_eq!(status, 200, "{list}");
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["water"]["code"] == sup.water.as_str()));
    let w = jz.ok(&format!("/api/v1/waters/{}", sup.water)).await;
    assert_eq!(w["segments"][0]["segment"]["code"], sup.segment.as_str());
    let chiefs = w["segments"][0]["chiefs"].as_array().unwrap();
    assert!(chiefs.iter().any(|c| c["chief"]["id"] == sup.chief));
    assert!(chiefs.iter().all(|c| !c["holder"].is_null()));
    // Another region's administrator finds nothing.
    let (status, _) = xz.get(&format!("/api/v1/waters/{}", sup.water)).await;
    assert_eq!(status, 404);
    let (status, _) = xz.get(&format!("/api/v1/chiefs/{}/month", sup.chief)).await;
    assert_eq!(status, 404);
    let (status, list) = xz.get("/api/v1/patrols").await;
    assert_eq!(status, 200);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["id"] != sup.patrol));

    // Saving a water needs ManageWaters; bad input names the field.
    let water = json!({
        "code": "DASHAHE", "name": "大沙河", "kind": "river",
        "segments": [{"code": "DASHAHE-410800", "name": "大沙河焦作段", "region_code": "410800",
            "seq": 1, "sections": ["测试断面"], "target_class": 4}]
    });
    let (status, _) = leader.post("/api/v1/waters", water.clone()).await;
    assert_eq!(status, 403);
    let mut bad = water.clone();
    bad["segments"]
        .as_array_mut()
        .unwrap()
        .push(json!({"code": "DASHAHE-2", "name": "下游",
        "region_code": "410800", "seq": 0, "sections": [], "target_class": 4}));
    let (status, problem) = jz.post("/api/v1/waters", bad).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "segments[1].seq");
    let (status, saved) = jz.post("/api/v1/waters", water.clone()).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["written"], 2);
    let (_, again) = jz.post("/api/v1/waters", water).await;
    assert_eq!(again["written"], 0);
    let (status, _) = xz
        .post(
            "/api/v1/waters",
            json!({"code": "XZ-TEST", "name": "越界河", "kind": "river",
            "segments": [{"code": "XZ-TEST-1", "name": "越界段", "region_code": "410800",
                "seq": 1, "sections": [], "target_class": 3}]}),
        )
        .await;
    assert_eq!(status, 422);

    // The chief's month: the patrol of today counted, the section listed against the target,
    // the problem open.
    let month = jz.ok(&format!("/api/v1/chiefs/{}/month", sup.chief)).await;
    assert!(month["table"]["patrols"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == sup.patrol));
    assert_eq!(month["segments"][0]["sections"][0]["section"], "测试断面");
    assert_eq!(
        month["segments"][0]["sections"][0]["months"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    assert_eq!(month["open_problems"].as_array().unwrap().len(), 1);
    let (status, problem) = jz
        .get(&format!("/api/v1/chiefs/{}/month?month=2026-13", sup.chief))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["field"], "month");
    let chief = jz.ok(&format!("/api/v1/chiefs/{}", sup.chief)).await;
    assert!(!chief["duties"].as_array().unwrap().is_empty());

    // Recording patrols: bad input names the field; a photo not stored is refused.
    let mut body = patrol_body(sup.chief, &sup.segment);
    body["minutes"] = json!(0);
    let (status, problem) = jz.post("/api/v1/patrols", body).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "minutes");
    let mut body = patrol_body(sup.chief, &sup.segment);
    body["problems"] = json!([{"kind": "outfall", "text": "疑似偷排口", "units": [],
        "photos": [{"sha256": "0".repeat(64), "name": "x.jpg"}]}]);
    let (status, problem) = jz.post("/api/v1/patrols", body).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["field"], "problems[0].photos");
    // Another region's chief post is no chief post for the caller.
    let (status, problem) = xz
        .post("/api/v1/patrols", patrol_body(sup.chief, &sup.segment))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["field"], "chief_id");
    // A leader who is not the chief may not; the chief himself may.
    let (status, _) = leader
        .post("/api/v1/patrols", patrol_body(sup.chief, &sup.segment))
        .await;
    assert_eq!(status, 403);
    let username = chief_account(&app, sup.chief).await;
    let own = api(&app, &username).await;
    let (status, recorded) = own
        .post("/api/v1/patrols", patrol_body(sup.chief, &sup.segment))
        .await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(
        recorded["patrol"]["recorded_by"],
        format!("user:{username}")
    );
    let id = recorded["patrol"]["id"].as_i64().unwrap();
    let got = jz.ok(&format!("/api/v1/patrols/{id}")).await;
    assert_eq!(got["minutes"], 45);

    // Frequencies and the chiefs behind.
    let f = jz.ok("/api/v1/regions/410800/patrol-frequency").await;
    assert_eq!(f.as_array().unwrap().len(), 5);
    let (status, _) = leader
        .post(
            "/api/v1/regions/410800/patrol-frequency",
            json!({"level": "city", "per": "month", "times": 2}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, set) = jz
        .post(
            "/api/v1/regions/410800/patrol-frequency",
            json!({"level": "city", "per": "month", "times": 9}),
        )
        .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["set_by"], "410800");
    let next_month = {
        use chrono::Datelike;
        let t = chrono::Utc::now().date_naive();
        let first = t.with_day(1).unwrap();
        (first + chrono::Duration::days(40)).with_day(1).unwrap()
    };
    let behind = jz
        .ok(&format!("/api/v1/chiefs-behind?on={next_month}"))
        .await;
    assert!(behind
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["chief"]["id"] == sup.chief && b["period"]["required"] == 9));
    app.finish().await;
}

async fn waters_on_the_pages(app: TestApp) {
    let sup = common::supervision_records(&app, "410800").await;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let page = c.get(app.at("/waters")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("/waters/{}", sup.water)));
    assert!(html.contains(&format!("/chiefs/{}", sup.chief)));
    let html = c
        .get(app.at(&format!("/waters/{}", sup.water)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("测试河段") && html.contains(&format!("/chiefs/{}", sup.chief)));
    let page = c
        .get(app.at(&format!("/chiefs/{}", sup.chief)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for id in [
        "patrol-table",
        "section-months",
        "open-problems",
        "chief-duties",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(html.contains("测试断面") && html.contains("河面有漂浮垃圾"));

    // The patrol form with a photo: the problem becomes a finding citing the photo.
    let form = c
        .get(app.at(&format!("/chiefs/{}/patrols/new", sup.chief)))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let unit = app
        .store
        .organisations_in(&RegionCode::parse("410800").unwrap(), false)
        .await
        .unwrap()[0]
        .id;
    let photo =
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9".to_vec();
    let multipart = |minutes: &str| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("target", sup.segment.clone())
            .text("on", chrono::Utc::now().date_naive().to_string())
            .text("minutes", minutes.to_string())
            .text("metres", "1800")
            .text("track", "")
            .text("kind", "illegal_sand_mining")
            .text("text", "河道内有采砂船作业")
            .text("units", unit.to_string())
            .part(
                "photos",
                Part::bytes(photo.clone())
                    .file_name("site.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            )
    };
    let refused = c
        .post(app.at(&format!("/chiefs/{}/patrols", sup.chief)))
        .multipart(multipart("0"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("minutes"));
    let res = c
        .post(app.at(&format!("/chiefs/{}/patrols", sup.chief)))
        .multipart(multipart("50"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/patrols/"));
    let html = c
        .get(app.at(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("河道内有采砂船作业") && html.contains("site.jpg"));
    assert!(html.contains("/findings/"));

    // A leader who is not the chief gets no form.
    let (l, _) = app.sign_in("jz.leader").await;
    let res = l
        .get(app.at(&format!("/chiefs/{}/patrols/new", sup.chief)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // The public board: anyone, the chief today, the complaint form filled in.
    let anon = app.client();
    let res = anon
        .get(app.at(&format!("/public/waters/{}", sup.water)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let holder = app
        .store
        .chief_holding(
            app.store.chief(sup.chief).await.unwrap().unwrap(),
            chrono::Utc::now().date_naive(),
        )
        .await
        .unwrap()
        .holder
        .unwrap();
    assert!(html.contains(&holder.name));
    assert!(html.contains("id=\"complaint-form\""));
    assert!(html.contains("value=\"410800\""));
    assert!(html.contains(&format!("测试河 测试河段({})", sup.segment)));
    let res = anon
        .get(app.at("/public/waters/NO-SUCH-WATER"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    app.finish().await;
}

/// The 河长名录 through the API and the pages: the export reads back unchanged; a row naming
/// a second segment revises the chief post; a bad sheet is refused whole, every problem named
/// by line and column, nothing written.
async fn the_chief_roster_sheet(app: TestApp) {
    let sup = common::supervision_records(&app, "410800").await;
    let jz = api(&app, "jz.admin").await;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let csv = c
        .get(app.at("/chiefs/sheet.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_string();
    assert!(
        csv.starts_with("层级,行政区划代码,河湖,河段编码,职务"),
        "{csv}"
    );
    assert!(csv.contains(&sup.segment), "{csv}");
    let (status, r) = jz
        .post(
            "/api/v1/regions/410800/chief-sheet",
            json!({ "sheet": csv }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["created"].as_i64(), r["revised"].as_i64()),
        (Some(0), Some(0))
    );
    assert!(r["unchanged"].as_i64().unwrap() >= 1);

    // A second segment for the same post: the chief post gets a new version.
    let (status, _) = jz
        .post(
            "/api/v1/waters",
            json!({"code": "MANGHE", "name": "蟒河", "kind": "river", "segments": [
                {"code": "MANGHE-410800", "name": "蟒河焦作段", "region_code": "410800", "seq": 1,
                 "sections": [], "target_class": 4}]}),
        )
        .await;
    assert_eq!(status, 200);
    let line = csv
        .lines()
        .find(|l| l.contains(&sup.segment))
        .unwrap()
        .replace("测试河", "蟒河")
        .replace(&sup.segment, "MANGHE-410800");
    let more = format!("{csv}{line}\n");
    let (status, r) = jz
        .post(
            "/api/v1/regions/410800/chief-sheet",
            json!({ "sheet": more }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["revised"], 1);
    let chief = jz.ok(&format!("/api/v1/chiefs/{}", sup.chief)).await;
    let segments = chief["holding"]["chief"]["segments"]
        .as_array()
        .unwrap()
        .clone();
    assert!(segments.contains(&json!("MANGHE-410800")), "{chief}");

    // Bad rows: an unknown post, a segment of another water's name; nothing written.
    let header = csv.lines().next().unwrap();
    let bad = format!(
        "{header}\n市级,410800,测试河,{seg},没有这个职务,某人,,2024-01-01,\n{line}\n市级,410800,沁河,MANGHE-410800,x,y,,2025-13-01,\n",
        seg = sup.segment
    );
    let (status, problem) = jz
        .post(
            "/api/v1/regions/410800/chief-sheet",
            json!({ "sheet": bad }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let rows = problem["errors"].as_array().expect("rows named");
    assert!(
        rows.iter()
            .any(|r| r["line"] == 4 && r["field"].as_str().unwrap().contains("任职起始")),
        "{problem}"
    );
    let bad = format!("{header}\n市级,410800,测试河,{seg},没有这个职务,某人,,2024-01-01,\n市级,410800,沁河,MANGHE-410800,x,y,,2025-01-01,\n", seg = sup.segment);
    let (status, problem) = jz
        .post(
            "/api/v1/regions/410800/chief-sheet",
            json!({ "sheet": bad }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    let rows = problem["errors"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["line"] == 2 && r["field"] == "职务"),
        "{problem}"
    );
    assert!(
        rows.iter().any(|r| r["line"] == 3 && r["field"] == "河湖"),
        "{problem}"
    );
    // Another region's administrator may not import into 焦作市.
    let xz = api(&app, "xz.admin").await;
    let (status, _) = xz
        .post(
            "/api/v1/regions/410800/chief-sheet",
            json!({ "sheet": more }),
        )
        .await;
    assert_eq!(status, 404);

    // The page: the XLSX export, and a refused upload listing its rows.
    let res = c.get(app.at("/chiefs/sheet.xlsx")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let res = c
        .post(app.at("/chiefs/sheet"))
        .multipart(
            Form::new()
                .text("csrf", csrf.clone())
                .part("file", Part::bytes(bad.into_bytes()).file_name("名录.csv")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("没有这个职务") || html.contains("职务"),
        "{html}"
    );
    app.finish().await;
}

/// A water-indicator early warning of 焦作市 names the chief of the segment its section
/// monitors, besides the regulation's posts; an air warning names no chief.
async fn warnings_name_the_chief_of_the_monitored_segment(app: TestApp) {
    use ecoduty_domain::waters::*;
    const DAY: &str = "2026-11-23";
    let s = &app.store;
    ecoduty_fixtures::quality_demo::build_quality(s, "test", DAY.parse().unwrap())
        .await
        .unwrap();
    let ch = Change::new("test", "沁河武陟段河长");
    let county = RegionCode::parse("410823").unwrap();
    s.save_water(
        &ch,
        None,
        WaterSpec {
            code: "QINHE".into(),
            name: "沁河".into(),
            kind: WaterKind::River,
            segments: vec![SegmentSpec {
                code: "QINHE-410823".into(),
                name: "沁河武陟段".into(),
                region_code: county.clone(),
                seq: 1,
                sections: vec!["石门（示例）".into()],
                target_class: TargetClass::new(3).unwrap(),
                length_km: None,
            }],
        },
    )
    .await
    .unwrap();
    let post = s
        .who(
            &county,
            DAY.parse().unwrap(),
            Some(ecoduty_domain::Role::GovernmentHead),
        )
        .await
        .unwrap()[0]
        .post
        .id;
    let chief = s
        .add_chief(
            &ch,
            ChiefSpec {
                post_id: post,
                kind: ChiefKind::River,
                level: ChiefLevel::County,
                region_code: county,
                segments: vec!["QINHE-410823".into()],
                forests: vec![],
            },
        )
        .await
        .unwrap();
    let leader = api(&app, "jz.leader").await;
    let warnings = leader.ok(&format!("/api/v1/warnings?at={DAY}")).await;
    let list = warnings.as_array().unwrap();
    let water = list
        .iter()
        .find(|w| w["region_code"] == "410800" && w["indicator"] == "water_share_good")
        .unwrap_or_else(|| panic!("a water warning: {warnings}"));
    let named: Vec<&Value> = water["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["chief_id"] == chief.id)
        .collect();
    assert_eq!(named.len(), 1, "{water}");
    assert_eq!(named[0]["role"], "river");
    assert_eq!(named[0]["post_id"], post);
    let pm = list
        .iter()
        .find(|w| w["indicator"] == "pm25_annual_mean")
        .unwrap();
    assert!(pm["posts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["chief_id"].is_null()));
    // The region page's warnings link the chief.
    let (c, _) = app.sign_in("jz.leader").await;
    let html = c
        .get(app.at(&format!("/regions/410800?at={DAY}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("href=\"/chiefs/{}\"", chief.id)),
        "the warning links the chief"
    );
    app.finish().await;
}

on_both_backends!(
    waters_through_the_api,
    waters_on_the_pages,
    the_chief_roster_sheet,
    warnings_name_the_chief_of_the_monitored_segment
);
