//! The yearly assessment through the JSON API and the pages, on the demo jurisdiction: a
//! 考核细则 refused whole with every bad cell named, then imported; a veto entered with
//! evidence; a run scored, refused review by whoever scored it, reviewed by a second person
//! and published; an assessed county's officer who sees nothing before publication, then the
//! ranking and only their own unit's lines, and who objects; the objection upheld with a new
//! score, regraded; the history of versions; a cadre's eco record for the organisation
//! department only. Then the same workflow on the pages, in Chinese and English.

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

const SHEET: &str = "序号,项目,项目类型,考核内容,分值,评分标准,负责考核部门,规则类型,参数,条款
1,环境质量,基本项,PM2.5 年均浓度,20,达到目标得满分;每超 1 微克扣 2 分,市生态环境局,indicator,indicator=pm25_annual_mean;deduct=2,第十四条
2,环境质量,基本项,空气质量优良天数比率,10,每低 1 个百分点扣 1 分,市生态环境局,indicator,indicator=good_day_ratio,
3,督察整改,基本项,督察问题按期整改,30,逾期一个扣 3 分,市委督查室,rectification,per_overdue=3,第十三条
4,重点任务,基本项,年度重点任务按期完成,20,按比例,市委督查室,tasks,,
5,信访办理,基本项,信访举报按期答复,20,按比例,市信访局,complaints,,
6,加分项,加分项,获国家级生态文明示范称号,5,每项加 5 分,市生态环境局,,,
7,否决事项,一票否决项,发生重大突发环境事件或监测数据造假,,,市生态环境局,veto,,
";

const BASE: &str = "/api/v1/regions/410800/assessments";

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

/// An organisation-department user of 焦作市 (the role that reads cadre records).
async fn organisation_department(app: &TestApp) {
    let hash = ecoduty_web::auth::password::hash(common::PASSWORD.into())
        .await
        .unwrap();
    app.store
        .create_user(
            &Change::new("test", "an organisation department user"),
            NewUser {
                username: "jz.org".into(),
                display_name: "组织部门测试".into(),
                role: UserRole::OrganisationDepartment,
                region_code: Some(RegionCode::parse("410800").unwrap()),
                password_hash: hash,
                one_time: false,
            },
        )
        .await
        .unwrap();
}

fn unit<'a>(run: &'a Value, key: &str) -> &'a Value {
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == key)
        .unwrap_or_else(|| panic!("no unit {key}"))
}

fn total(u: &Value) -> f64 {
    u["total"].as_f64().unwrap()
}

async fn the_assessment_lives_through_the_api(app: TestApp) {
    let jz = api(&app, "jz.admin").await;
    let admin = api(&app, "admin").await;
    let mz = api(&app, "mz.officer").await;

    // The document names the scheme's items apart from the regulation's.
    let doc: Value = reqwest::get(app.at("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["AssessmentItem"]["properties"]["scorer"].is_object());
    assert!(
        schemas["Item"]["properties"]["scorer"].is_null(),
        "the regulation's Item is intact"
    );

    // A sheet with two bad cells: refused whole, each named, nothing stored.
    let bad = SHEET
        .replace("deduct=2", "deduct=two")
        .replace(",10,每低", ",十,每低");
    let (status, p) = jz.post(BASE, json!({"year": 2025, "sheet": bad})).await;
    assert_eq!(status, 422, "{p}");
    let errors: Vec<(i64, String)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(errors.contains(&(2, "参数".into())), "{p}");
    assert!(errors.contains(&(3, "分值".into())), "{p}");
    assert_eq!(jz.get(&format!("{BASE}/2025")).await.0, 404);

    let (status, imported) = jz
        .post(
            BASE,
            json!({"year": 2025, "title": "2025年度生态环境保护责任制考核", "sheet": SHEET}),
        )
        .await;
    assert_eq!(status, 201, "{imported}");
    assert_eq!(imported["scheme"]["rev"], 1);
    let units = imported["scheme"]["scheme"]["units"].as_array().unwrap();
    assert!(units.len() >= 10, "every county-level region of 焦作市");
    let (status, again) = jz
        .post(
            BASE,
            json!({"year": 2025, "title": "2025年度生态环境保护责任制考核", "sheet": SHEET}),
        )
        .await;
    assert_eq!((status, &again["unchanged"]), (200, &json!(true)));

    // Before publication an assessed county's officer sees nothing of it.
    assert_eq!(mz.get(&format!("{BASE}/2025")).await.0, 404);
    let listed = mz.ok("/api/v1/assessments").await;
    assert!(listed.as_array().unwrap().is_empty(), "{listed}");

    // A veto for 武陟县 needs evidence.
    let (status, p) = jz
        .post(&format!("{BASE}/2025/entries"), json!({"unit": "410823", "item": "7", "veto": true, "reason": "2025年8月发生较大突发环境事件", "evidence": []}))
        .await;
    assert_eq!(status, 422, "{p}");
    let form = Form::new().part(
        "file",
        Part::bytes(b"%PDF-1.7\n% report\n".to_vec()).file_name("事件调查报告.pdf"),
    );
    let (status, stored) = jz
        .call(
            jz.request(reqwest::Method::POST, "/api/v1/evidence")
                .multipart(form),
        )
        .await;
    assert_eq!(status, 201, "{stored}");
    let reference = stored["reference"].clone();
    let (status, entry) = jz
        .post(&format!("{BASE}/2025/entries"), json!({"unit": "410823", "item": "7", "veto": true, "reason": "2025年8月发生较大突发环境事件", "evidence": [reference]}))
        .await;
    assert_eq!(status, 201, "{entry}");
    // The evidence is cited by 武陟县's entry: the city's users may read it, 孟州市's not.
    let sha = stored["reference"]["sha256"].as_str().unwrap();
    let leader = api(&app, "jz.leader").await;
    let res = leader
        .request(reqwest::Method::GET, &format!("/api/v1/evidence/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(mz.get(&format!("/api/v1/evidence/{sha}")).await.0, 404);

    // Scored as of a day after the year.
    let (status, run) = jz
        .post(&format!("{BASE}/2025/run"), json!({"as_of": "2026-01-10"}))
        .await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(run["scheme_rev"], 1);
    assert_eq!(run["status"], "draft");
    let results = run["results"].as_array().unwrap();
    for u in results {
        let lines = u["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 7);
        let sum: f64 = lines.iter().map(|l| l["earned"].as_f64().unwrap()).sum();
        assert!((sum - total(u)).abs() < 1e-6, "{u}");
        for l in lines {
            assert!(!l["explanation_zh"].as_str().unwrap().is_empty());
            assert!(!l["explanation_en"].as_str().unwrap().is_empty());
        }
    }
    let wuzhi = unit(&run, "410823");
    assert_eq!(
        (&wuzhi["vetoed"], &wuzhi["grade"]),
        (&json!(true), &json!("较差"))
    );
    assert_eq!(wuzhi["rank"].as_u64().unwrap() as usize, results.len());
    let veto_line = &wuzhi["lines"][6];
    assert!(
        veto_line["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("assessment_entry:")),
        "{veto_line}"
    );

    // Whoever scored may not review; a second person does; then it is published.
    let (status, p) = jz.post(&format!("{BASE}/2025/review"), json!({})).await;
    assert!(status >= 400, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("另一人"), "{p}");
    let (status, reviewed) = admin.post(&format!("{BASE}/2025/review"), json!({})).await;
    assert_eq!(
        (status, &reviewed["status"]),
        (200, &json!("reviewed")),
        "{reviewed}"
    );
    let (status, published) = jz.post(&format!("{BASE}/2025/publish"), json!({})).await;
    assert_eq!(
        (status, &published["status"]),
        (200, &json!("published")),
        "{published}"
    );

    // Now 孟州市's officer sees the ranking, and the lines of their own unit only.
    let view = mz.ok(&format!("{BASE}/2025")).await;
    assert_eq!(view["assessing"], false);
    assert_eq!(
        view["run"]["results"].as_array().unwrap().len(),
        results.len()
    );
    let listed = mz.ok("/api/v1/assessments").await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let own = mz.ok(&format!("{BASE}/2025/units/410883")).await;
    assert_eq!(
        own["result"]["unit"],
        json!({"kind": "region", "id": "410883"})
    );
    assert!(!own["answerers"].as_array().unwrap().is_empty(), "{own}");
    let shares: f64 = own["answerers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["role"] == "government_head")
        .map(|a| a["share"].as_f64().unwrap())
        .sum();
    assert!(shares > 0.0 && shares <= 100.0 + 1e-6, "{own}");
    assert_eq!(mz.get(&format!("{BASE}/2025/units/410823")).await.0, 404);
    // They may not score, review or see the history.
    assert_eq!(mz.post(&format!("{BASE}/2025/run"), json!({})).await.0, 403);
    assert_eq!(mz.get(&format!("{BASE}/2025/history")).await.0, 404);

    // An objection for another unit is refused; for their own it is lodged.
    let (status, p) = mz
        .post(
            &format!("{BASE}/2025/objections"),
            json!({"unit": "410823", "text": "不服"}),
        )
        .await;
    assert_eq!((status, &p["field"]), (422, &json!("unit")), "{p}");
    let before = total(unit(&published, "410883"));
    let (status, objection) = mz
        .post(&format!("{BASE}/2025/objections"), json!({"unit": "410883", "item": "6", "text": "我市2025年获国家生态文明建设示范区称号,应加 5 分"}))
        .await;
    assert_eq!(status, 201, "{objection}");
    let id = objection["id"].as_i64().unwrap();
    let (status, answered) = jz
        .post(
            &format!("{BASE}/2025/objections/{id}/answer"),
            json!({"upheld": true, "answer": "经核实,予以加分", "item": "6", "points": 5}),
        )
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["objection"]["status"], "upheld");
    let after = total(unit(&answered["run"], "410883"));
    assert!((after - (before + 5.0)).abs() < 1e-6, "{before} → {after}");
    assert!(answered["run"]["rev"].as_i64().unwrap() > published["rev"].as_i64().unwrap());

    let history = jz.ok(&format!("{BASE}/2025/history")).await;
    assert_eq!(history["scheme_versions"].as_array().unwrap().len(), 1);
    let statuses: Vec<&str> = history["run_versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["draft", "reviewed", "published", "published"]);

    // A later change of the frozen scheme needs its reason.
    let changed = SHEET.replace(
        "逾期一个扣 3 分,市委督查室,rectification,per_overdue=3",
        "逾期一个扣 4 分,市委督查室,rectification,per_overdue=4",
    );
    let (status, p) = jz
        .post(
            BASE,
            json!({"year": 2025, "title": "2025年度生态环境保护责任制考核", "sheet": changed}),
        )
        .await;
    assert!(status == 409 || status == 422, "{status} {p}");
    let (status, v2) = jz
        .post(BASE, json!({"year": 2025, "title": "2025年度生态环境保护责任制考核", "sheet": changed, "revision_reason": "市委督查室调整逾期扣分标准"}))
        .await;
    assert_eq!((status, &v2["scheme"]["rev"]), (201, &json!(2)), "{v2}");

    // The eco record: the organisation department reads it, others may not.
    let holder = app
        .store
        .who(
            &RegionCode::parse("410883").unwrap(),
            chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            Some(ecoduty_domain::Role::GovernmentHead),
        )
        .await
        .unwrap()
        .into_iter()
        .find_map(|h| h.holder)
        .unwrap();
    let path = format!("/api/v1/people/{}/eco-record", holder.person.id);
    assert_eq!(jz.get(&path).await.0, 403);
    organisation_department(&app).await;
    let org = api(&app, "jz.org").await;
    let record = org.ok(&path).await;
    let year = record["tenures"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["years"].as_array().unwrap())
        .find(|y| y["year"] == 2025)
        .unwrap_or_else(|| panic!("no 2025 in {record}"));
    assert_eq!(year["run_id"], published["id"]);
    assert!(year["grade"].is_string(), "{year}");
    let xz_org = {
        let hash = ecoduty_web::auth::password::hash(common::PASSWORD.into())
            .await
            .unwrap();
        app.store
            .create_user(
                &Change::new("test", "another region's organisation department"),
                NewUser {
                    username: "xz.org".into(),
                    display_name: "象州组织部门".into(),
                    role: UserRole::OrganisationDepartment,
                    region_code: Some(RegionCode::parse("451322").unwrap()),
                    one_time: false,
                    password_hash: hash,
                },
            )
            .await
            .unwrap();
        api(&app, "xz.org").await
    };
    assert_eq!(xz_org.get(&path).await.0, 404, "outside its region");
    app.finish().await;
}

fn multipart_sheet(csrf: &str, sheet: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_string())
        .text("region", "410800")
        .text("year", "2025")
        .text("title", "2025年度考核")
        .text("units", "")
        .text("grades", "优秀:90,良好:80,一般:60,较差")
        .text("quota", "30")
        .text("objection_days", "10")
        .text("reason", "")
        .part(
            "file",
            Part::bytes(sheet.as_bytes().to_vec()).file_name("考核细则.csv"),
        )
}

async fn the_assessment_works_on_the_pages(app: TestApp) {
    let (c, csrf) = app.sign_in("jz.admin").await;
    let list = c.get(app.at("/assessment")).send().await.unwrap();
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains("id=\"import-form\""), "the import form");

    let bad = SHEET.replace(",10,每低", ",十,每低");
    let res = c
        .post(app.at("/assessment"))
        .multipart(multipart_sheet(&csrf, &bad))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("分值") && html.contains("考核细则.csv"),
        "{html}"
    );
    let res = c
        .post(app.at("/assessment"))
        .multipart(multipart_sheet(&csrf, SHEET))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = "/regions/410800/assessment/2025";
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with(page));

    // Score through the page's form, then the ranking, the chart and the drill-down.
    let res = c
        .post(app.at(&format!("{page}/run")))
        .form(&[("csrf", csrf.as_str()), ("as_of", "2026-01-10")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = c
        .get(app.at(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"results\""), "the results table");
    assert!(html.contains("class=\"chart scores\""), "the chart");
    assert!(html.contains("class=\"grade "), "grade colours");
    assert!(html.contains("id=\"review-form\""));
    assert!(html.contains("href=\"/regions/410800/assessment/2025/units/410883\""));
    let unit = c
        .get(app.at(&format!("{page}/units/410883")))
        .send()
        .await
        .unwrap();
    assert_eq!(unit.status(), 200);
    let html = unit.text().await.unwrap();
    assert!(html.contains("id=\"lines\"") && html.contains("id=\"answerers\""));
    assert!(html.contains("督察问题按期整改"));

    // A veto entered on the page with its evidence (a file larger than a form's usual body
    // limit), then scored again: 武陟县 is vetoed.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(1024 * 1024, b'%');
    let form = Form::new()
        .text("csrf", csrf.clone())
        .text("unit", "410823")
        .text("item", "7")
        .text("points", "0")
        .text("veto", "on")
        .text("reason", "2025年8月发生较大突发环境事件")
        .part("file", Part::bytes(pdf).file_name("调查报告.pdf"));
    let res = c
        .post(app.at(&format!("{page}/entries")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let res = c
        .post(app.at(&format!("{page}/run")))
        .form(&[("csrf", csrf.as_str()), ("as_of", "2026-01-10")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = c
        .get(app.at(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = &html[html.find("data-unit=\"410823\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("一票否决") && row.contains("grade-low"),
        "{row}"
    );
    assert!(html.contains("id=\"entries\""), "the entry is listed");

    // English.
    c.get(app.at(&format!("/lang/en?next={page}")))
        .send()
        .await
        .unwrap();
    let html = c
        .get(app.at(page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Ranking and grades"), "English page");

    // Files: the sheet reads back, the results are a workbook.
    let csv = c
        .get(app.at(&format!("{page}/sheet.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.trim_start_matches('\u{feff}').starts_with("序号"),
        "{csv}"
    );
    assert!(csv.contains("per_overdue=3"));
    let xlsx = c
        .get(app.at(&format!("{page}/results.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

    // An assessed county's officer: not found before publication.
    let (mz, _) = app.sign_in("mz.officer").await;
    assert_eq!(mz.get(app.at(page)).send().await.unwrap().status(), 404);

    // The eco record page: the organisation department only.
    organisation_department(&app).await;
    let person = app
        .store
        .who(
            &RegionCode::parse("410883").unwrap(),
            chrono::Local::now().date_naive(),
            None,
        )
        .await
        .unwrap()
        .into_iter()
        .find_map(|h| h.holder)
        .unwrap()
        .person
        .id;
    let record = format!("/people/{person}/eco-record");
    assert_eq!(c.get(app.at(&record)).send().await.unwrap().status(), 403);
    let (org, _) = app.sign_in("jz.org").await;
    let res = org.get(app.at(&record)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"card tenure-record\""), "{html}");
    let xlsx = org
        .get(app.at(&format!("{record}.xlsx")))
        .send()
        .await
        .unwrap();
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    app.finish().await;
}

on_both_backends!(
    the_assessment_lives_through_the_api,
    the_assessment_works_on_the_pages
);
