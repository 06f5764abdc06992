//! A second framework through the JSON API and the pages: a system administrator imports a
//! framework under its key (the 办法's form: 19 articles, no chapters — here a test text
//! written for the tests, not the published 办法); the frameworks and their versions are
//! listed, a version shows its situations (情形) and forms of accountability; a case's
//! investigator adds by hand a person the system did not propose (a post outside their region
//! is answered as if it did not exist), records a ground citing 《办法》第五条第(七)项 through
//! the API and another through the case page's form, which offers the loaded framework's
//! situations.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use serde_json::json;

const TEXT: &str = include_str!("../../regulation/tests/fixtures/framework_test_text.txt");
const KEY: &str = "accountability-measures";

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

async fn a_framework_is_imported_and_its_situations_are_grounds(app: TestApp) {
    let admin = api(&app, "admin").await;
    let jw = api(&app, "jz.discipline").await;

    // Only system administrators import; a bad key is named.
    let (status, _) = jw
        .post(
            "/api/v1/regulation/versions",
            json!({"text": TEXT, "framework": KEY}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, problem) = admin
        .post(
            "/api/v1/regulation/versions",
            json!({"text": TEXT, "framework": "Not A Key"}),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("framework")),
        "{problem}"
    );
    let (status, v) = admin
        .post(
            "/api/v1/regulation/versions",
            json!({"text": TEXT, "framework": KEY, "source_name": "test text"}),
        )
        .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(
        (v["framework"].as_str(), v["short_name"].as_str()),
        (Some(KEY), Some("办法"))
    );
    let vid = v["id"].as_i64().unwrap();

    let (status, frameworks) = jw.get("/api/v1/frameworks").await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = frameworks
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["regulation-2025", KEY]);
    assert_eq!(frameworks[1]["in_force"], vid);
    let (_, versions) = jw
        .get(&format!("/api/v1/regulation/versions?framework={KEY}"))
        .await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    let (status, _) = jw
        .get("/api/v1/regulation/versions?framework=no-such")
        .await;
    assert_eq!(status, 422);
    let (_, all) = jw.get("/api/v1/regulation/versions").await;
    assert!(all.as_array().unwrap().len() >= 2);
    let (_, detail) = jw.get(&format!("/api/v1/regulation/versions/{vid}")).await;
    assert_eq!(detail["situations"].as_array().unwrap().len(), 25);
    assert_eq!(detail["forms"].as_array().unwrap().len(), 9);
    assert_eq!(detail["duties"], json!([]));
    assert!(detail["situations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["citation"] == "《办法》第五条第(七)项"));

    // A case in 孟州市; someone of 焦作市 who held a post on the date is added by hand.
    let (status, case) = jw
        .post(
            "/api/v1/regions/410883/cases",
            json!({"source": "manual", "title": "孟州市督察整改不力", "summary": "整改要求执行不力",
                   "act_dates": ["2025-08-15"], "opened_on": "2025-09-01"}),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_i64().unwrap();
    let proposed: Vec<i64> = case["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person_id"].as_i64().unwrap())
        .collect();
    let who = jw.ok("/api/v1/regions/410800/who?at=2025-08-15").await;
    let held = who["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| {
            !h["holder"].is_null()
                && !proposed.contains(&h["holder"]["person"]["id"].as_i64().unwrap())
        })
        .expect("焦作市 has a holder on the date who is not proposed for 孟州市");
    let person = held["holder"]["person"]["id"].as_i64().unwrap();
    let post = held["post"]["id"].as_i64().unwrap();
    jw.post(&format!("/api/v1/cases/{id}/take-up"), json!({}))
        .await;
    let add = |post: i64| json!({"person_id": person, "post_id": post, "degree": "leadership", "reason": "市级分管,督办不力"});
    let xz_who = admin.ok("/api/v1/regions/451322/who").await;
    let xz_post = xz_who["posts"][0]["post"]["id"].as_i64().unwrap();
    let (status, problem) = jw
        .post(&format!("/api/v1/cases/{id}/persons/add"), add(xz_post))
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("post_id")),
        "{problem}"
    );
    assert!(
        problem["detail"].as_str().unwrap().contains("no post"),
        "another region's post is not revealed: {problem}"
    );
    let (status, body) = jw
        .post(&format!("/api/v1/cases/{id}/persons/add"), add(post))
        .await;
    assert_eq!(status, 200, "{body}");
    let added = body["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person)
        .unwrap();
    assert_eq!(
        (added["state"].as_str(), added["added_by_hand"].as_bool()),
        (Some("confirmed"), Some(true))
    );
    let (status, problem) = jw
        .post(&format!("/api/v1/cases/{id}/persons/add"), add(post))
        .await;
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert_eq!(status, 422, "the same person twice: {problem}");
    assert!(
        detail.contains("已在本案中") || detail.contains("already"),
        "{problem}"
    );

    // A ground of the framework, through the API.
    let (status, problem) = jw
        .post(
            &format!("/api/v1/cases/{id}/grounds"),
            json!({"person_id": person, "framework": KEY, "article": 5, "item": 9, "facts": "x"}),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("item")),
        "{problem}"
    );
    let (status, body) = jw
        .post(&format!("/api/v1/cases/{id}/grounds"), json!({"person_id": person, "framework": KEY, "article": 5, "item": 7, "facts": "督察整改要求执行不力"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let p = body["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person)
        .unwrap();
    assert_eq!(p["grounds"][0]["citation"], "《办法》第五条第(七)项");
    assert_eq!(p["grounds"][0]["framework"], KEY);

    // The case page offers the framework's situations; its form records one.
    let (c, csrf) = app.sign_in("jz.discipline").await;
    let page = c
        .get(app.at(&format!("/cases/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"situation\""),
        "the form offers situations"
    );
    assert!(
        page.contains(&format!("value=\"{KEY}:8:4\"")),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("add-person-form"));
    let res = c
        .post(app.at(&format!("/cases/{id}/investigate")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "ground"),
            ("person_id", &person.to_string()),
            ("item", ""),
            ("situation", &format!("{KEY}:8:4")),
            ("text", "指使篡改监测数据"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (_, case) = jw.get(&format!("/api/v1/cases/{id}")).await;
    let p = case["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person_id"] == person)
        .unwrap();
    assert_eq!(p["grounds"][1]["citation"], "《办法》第八条第(四)项");
    assert_eq!(p["grounds"][1]["subject"], "党政领导干部利用职务影响");

    // Decided with an influence period, then a roster appoints the person to a province's post
    // inside it: imported, with a warning naming the decision.
    for q in case["persons"].as_array().unwrap() {
        if q["state"] == "proposed" {
            let (status, body) = jw
                .post(
                    &format!("/api/v1/cases/{id}/persons"),
                    json!({"person_id": q["person_id"], "state": "removed", "reason": "不负有责任"}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
    }
    // The API lists the forms a decision chooses from: the 办法's, with where it lists them.
    let (status, forms) = jw.get("/api/v1/case-forms?on=2025-10-01").await;
    assert_eq!(status, 200, "{forms}");
    let forms = forms.as_array().unwrap();
    assert_eq!(forms.len(), 9, "{forms:?}");
    assert_eq!(forms[0]["name"], "诫勉");
    assert_eq!(forms[0]["framework"], KEY);
    assert_eq!(forms[0]["citation"], "《办法》第十条");
    // The decision form offers the same, with their groups.
    let (ac, acsrf) = app.sign_in("admin").await;
    let page = ac
        .get(app.at(&format!("/cases/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = &page[page.find("id=\"decide-form\"").expect("the decision form")..];
    assert!(form.contains("value=\"党纪政纪处分\""), "{form}");
    assert!(form.contains("免职(组织处理,《办法》第十条)"), "{form}");
    assert!(!form.contains("移送司法机关"), "only the 办法's list");
    let (status, problem) = admin
        .post(
            &format!("/api/v1/cases/{id}/decision"),
            json!({
                "document_no": "焦纪发〔2025〕9号", "body": "中共焦作市纪律检查委员会",
                "decided_on": "2025-10-01", "effective_on": "2025-10-01", "appeal_days": 30,
                "appeal_body": "中共河南省纪律检查委员会", "text": "经查……",
                "outcomes": [{"person_id": person, "forms": ["约谈"]}]
            }),
        )
        .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (422, Some("forms")),
        "{problem}"
    );
    // Decided on the page: the checkbox sends the form's name as the 办法 lists it.
    let field = format!("form_{person}");
    let until = format!("until_{person}");
    let res = ac
        .post(app.at(&format!("/cases/{id}/decide")))
        .form(&[
            ("csrf", acsrf.as_str()),
            ("action", "decide"),
            ("document_no", "焦纪发〔2025〕9号"),
            ("body", "中共焦作市纪律检查委员会"),
            ("on", "2025-10-01"),
            ("appeal_days", "30"),
            ("appeal_body", "中共河南省纪律检查委员会"),
            ("text", "经查……"),
            (field.as_str(), "诫勉"),
            (until.as_str(), "2099-12-31"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let (status, decided) = admin.get(&format!("/api/v1/cases/{id}")).await;
    assert_eq!(status, 200, "{decided}");
    let decided_person = decided["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["person_id"] == person)
        .unwrap();
    assert_eq!(decided_person["outcome"]["forms"][0]["name"], "诫勉");
    assert_eq!(
        decided_person["outcome"]["forms"][0]["citation"],
        "《办法》第十条"
    );
    let name = p["name"].as_str().unwrap().to_string();
    let (_, shown) = admin.get(&format!("/api/v1/people/{person}")).await;
    let key = shown["key"]
        .as_str()
        .or_else(|| shown["person"]["key"].as_str())
        .expect("the person's key")
        .to_string();
    let csv = format!(
        "region_code,organisation,organisation_kind,post,role,person,start_date,end_date,acting,person_key\n\
         410000,河南省人民政府,government,副省长(测试),deputy_sector,{name},2026-01-01,,false,{key}\n"
    );
    let res = reqwest::Client::new()
        .post(app.at("/api/v1/roster"))
        .bearer_auth(app.token("admin").await)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let summary: serde_json::Value = res.json().await.unwrap();
    assert_eq!(summary["tenures_created"], 1, "{summary}");
    assert_eq!(
        summary["warnings"][0]["decision_no"], "焦纪发〔2025〕9号",
        "{summary}"
    );
    assert_eq!(summary["warnings"][0]["case_id"], id);
    assert!(
        summary["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("省部级副职"),
        "{summary}"
    );

    // The version's page lists its situations; the document describes the new routes.
    let page = c
        .get(app.at(&format!("/regulation/{vid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("《办法》第七条第(四)项") && page.contains("调离岗位"),
        "situations and forms on the page"
    );
    let doc: serde_json::Value = reqwest::get(app.at("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/cases/{id}/persons/add"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/frameworks"]["get"].is_object());
    app.finish().await;
}

on_both_backends!(a_framework_is_imported_and_its_situations_are_grounds);
