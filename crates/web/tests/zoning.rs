//! Zoning control through the JSON API and the pages, on the demo jurisdiction: 孟州市's officer
//! imports the units and clauses sheets (a bad line refused, naming the file, line and column,
//! nothing stored); a re-import with a changed clause is a new version; a leader may not import
//! but may check; checks by code and by point cite their clauses and are logged; a region
//! outside sees nothing. Then the same on the pages: the list, a unit's page, the import form,
//! the check form and its result, the log, the export.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

const UNITS: &str = r#"单元编码,单元名称,行政区划代码,管控类别,边界
ZH41088320001,孟州市产业集聚区重点管控单元(测试),410883,重点管控,"{""type"":""Polygon"",""coordinates"":[[[112.70,34.85],[112.80,34.85],[112.80,34.95],[112.70,34.95],[112.70,34.85]]]}"
ZH41088310001,孟州市黄河湿地优先保护单元(测试),410883,优先保护,
"#;

const CLAUSES: &str = "单元编码,管控维度,条款,管控要求(禁止/限制/允许),行业代码
ZH41088320001,空间布局约束,禁止新建焦化项目。,禁止,2521
ZH41088320001,污染物排放管控,新建化工项目须达到行业先进排放水平。,限制,26
ZH41088310001,空间布局约束,禁止新建工业项目。,禁止,B、C、D
";

async fn zoning_through_the_api(app: TestApp) {
    let mz = api(&app, "mz.officer").await;
    let leader = api(&app, "jz.leader").await;
    let xz = api(&app, "xz.admin").await;

    // A bad line: named with its sheet, line and column; nothing stored.
    let bad = CLAUSES.replace("限制,26", "鼓励,26");
    let (status, p) = mz
        .post(
            "/api/v1/regions/410883/zoning-units",
            json!({"units": UNITS, "clauses": bad}),
        )
        .await;
    assert_eq!(status, 422, "{p}");
    let rows = p["errors"].as_array().unwrap();
    assert_eq!(rows[0]["line"], 3, "{p}");
    assert_eq!(rows[0]["field"], "clauses · 管控要求", "{p}");
    assert!(mz
        .ok("/api/v1/zoning-units")
        .await
        .as_array()
        .unwrap()
        .is_empty());

    // A leader may not import.
    let (status, _) = leader
        .post(
            "/api/v1/regions/410883/zoning-units",
            json!({"units": UNITS, "clauses": CLAUSES}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, done) = mz
        .post(
            "/api/v1/regions/410883/zoning-units",
            json!({"units": UNITS, "clauses": CLAUSES}),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["created"], 2);
    let changed = CLAUSES.replace("限制,26", "禁止,26");
    let (_, done) = mz
        .post(
            "/api/v1/regions/410883/zoning-units",
            json!({"units": UNITS, "clauses": changed}),
        )
        .await;
    assert_eq!(
        (done["updated"].as_i64(), done["unchanged"].as_i64()),
        (Some(1), Some(1))
    );
    let history = mz.ok("/api/v1/zoning-units/ZH41088320001/history").await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["clauses"][1]["effect"], "restricted");
    let unit = mz.ok("/api/v1/zoning-units/ZH41088320001").await;
    assert_eq!(unit["category"], "key_control");
    assert_eq!(unit["clauses"][1]["effect"], "forbidden");
    let list = leader
        .ok("/api/v1/zoning-units?category=priority_protection")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Outside the region: not found.
    let (status, _) = xz.get("/api/v1/zoning-units/ZH41088320001").await;
    assert_eq!(status, 404);
    let (status, _) = xz
        .post(
            "/api/v1/zoning-checks",
            json!({"unit_code": "ZH41088320001", "industry": "2521"}),
        )
        .await;
    assert_eq!(status, 422, "a unit outside is unknown to the caller");

    // Checks: any signed-in role within the region.
    let (status, c) = leader
        .post(
            "/api/v1/zoning-checks",
            json!({"unit_code": "ZH41088320001", "industry": "2521"}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["verdict"]["effect"], "forbidden");
    assert_eq!(c["verdict"]["cited"], json!([1]));
    assert_eq!(c["checked_by"], "user:jz.leader");
    let (status, c) = mz
        .post(
            "/api/v1/zoning-checks",
            json!({"lon": 112.75, "lat": 34.9, "industry": "4411"}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["unit_code"], "ZH41088320001");
    assert_eq!(c["verdict"]["basis"], "category_default");
    for (body, field) in [
        (
            json!({"unit_code": "ZH41088320001", "industry": "X1"}),
            "industry",
        ),
        (json!({"industry": "2521"}), "unit_code"),
        (json!({"lon": 112.75, "industry": "2521"}), "lat"),
        (
            json!({"lon": 100.0, "lat": 30.0, "industry": "2521"}),
            "point",
        ),
    ] {
        let (status, p) = mz.post("/api/v1/zoning-checks", body).await;
        assert_eq!(status, 422, "{p}");
        assert!(p.to_string().contains(field), "{field}: {p}");
    }
    let log = mz.ok("/api/v1/zoning-checks").await;
    assert_eq!(log.as_array().unwrap().len(), 2);
    let id = log[1]["id"].as_i64().unwrap();
    let one = mz.ok(&format!("/api/v1/zoning-checks/{id}")).await;
    assert_eq!(one["verdict"]["effect"], "forbidden");
    let (status, _) = xz.get(&format!("/api/v1/zoning-checks/{id}")).await;
    assert_eq!(status, 404);
    assert!(xz
        .ok("/api/v1/zoning-checks")
        .await
        .as_array()
        .unwrap()
        .is_empty());

    // The document describes the routes.
    let doc: Value = reqwest::get(app.at("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/zoning-units",
        "/api/v1/regions/{code}/zoning-units",
        "/api/v1/zoning-checks",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    // Its schemas are named apart from the others' (a task's Basis, say).
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["ZoningBasis"]
        .to_string()
        .contains("category_default"));
    assert!(!schemas["Basis"].to_string().contains("category_default"));
    assert!(schemas["ZoningEffect"].to_string().contains("forbidden"));
    app.finish().await;
}

fn sheets_form(csrf: &str, units: &str, clauses: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_string())
        .part(
            "units",
            Part::bytes(units.as_bytes().to_vec()).file_name("units.csv"),
        )
        .part(
            "clauses",
            Part::bytes(clauses.as_bytes().to_vec()).file_name("clauses.csv"),
        )
}

async fn zoning_on_the_pages(app: TestApp) {
    let (c, csrf) = app.sign_in("mz.officer").await;
    let html = c
        .get(app.at("/zoning"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"zoning-import-form\""), "{html}");

    // A bad line: 422, the file, line and column named; nothing imported.
    let bad = CLAUSES.replace("2521", "2521、X9");
    let res = c
        .post(app.at("/zoning/import"))
        .multipart(sheets_form(&csrf, UNITS, &bad))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("clauses.csv · 行业代码"), "{html}");
    assert!(app
        .store
        .zoning_units(&Default::default())
        .await
        .unwrap()
        .is_empty());

    let res = c
        .post(app.at("/zoning/import"))
        .multipart(sheets_form(&csrf, UNITS, CLAUSES))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let html = c
        .get(app.at("/zoning?category=key_control"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ZH41088320001"));
    assert!(!html.contains("ZH41088310001"), "filtered by category");
    let html = c
        .get(app.at("/zoning/units/ZH41088320001"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("禁止新建焦化项目。") && html.contains("id=\"zoning-clauses\""));
    assert!(html.contains("已载入"), "the boundary: {html}");

    // The check form, a refused input naming its field, then a result citing its clause.
    let html = c
        .get(app.at("/zoning/check"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"zoning-check-form\""));
    let res = c
        .post(app.at("/zoning/check"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("unit", "ZH41088320001"),
            ("point", ""),
            ("industry", "99"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("industry"));
    let res = c
        .post(app.at("/zoning/check"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("unit", ""),
            ("point", "112.75,34.9"),
            ("industry", "C2614"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/zoning/checks/"), "{location}");
    let html = c
        .get(app.at(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-effect=\"restricted\""), "{html}");
    assert!(html.contains("id=\"cited\"") && html.contains("新建化工项目须达到行业先进排放水平。"));
    let html = c
        .get(app.at("/zoning/checks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("mz.officer") && html.contains("2614"),
        "{html}"
    );

    // Another region's user: the unit and the check are not found.
    let (x, _) = app.sign_in("xz.admin").await;
    for path in ["/zoning/units/ZH41088320001", location.as_str()] {
        let res = x.get(app.at(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }

    // Exported in the same layout, read back the same.
    let csv = c
        .get(app.at("/zoning/clauses.csv?region=410883"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("\u{feff}单元编码,管控维度,条款,管控要求,行业代码")
            || csv.starts_with("单元编码,管控维度,条款,管控要求,行业代码"),
        "{csv}"
    );
    assert!(csv.contains("B、C、D"), "{csv}");
    let units = c
        .get(app.at("/zoning/units.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let again = c
        .post(app.at("/zoning/import"))
        .multipart(sheets_form(&csrf, &units, &csv))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    let stored = app
        .store
        .zoning_unit("ZH41088320001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.rev, 1, "the export read back changes nothing");
    let xlsx = c.get(app.at("/zoning/units.xlsx")).send().await.unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    app.finish().await;
}

on_both_backends!(zoning_through_the_api, zoning_on_the_pages);
