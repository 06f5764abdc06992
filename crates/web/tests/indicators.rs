//! Binding indicators on the pages and in the API: the region page's indicator table and
//! charts (the year so far against the target path), its early warnings naming the answering
//! posts and their holders, the same warnings on the dashboard, in Chinese and English; the
//! same figures from /api/v1, limited to the caller's region.

#[path = "api_support.rs"]
mod api_support;
mod common;
mod pages_support;

use api_support::Api;
use chrono::NaiveDate;
use common::TestApp;
use ecoduty_store::quality::SourceFile;
use ecoduty_store::Change;
use pages_support::{get, language};

/// The quality demo is built for a fixed day, so the page asked about that day shows the same
/// whatever the date the tests run on.
const DAY: &str = "2026-11-23";

async fn with_quality(app: &TestApp) {
    let day: NaiveDate = DAY.parse().unwrap();
    ecoduty_fixtures::quality_demo::build_quality(&app.store, "test", day)
        .await
        .unwrap();
}

async fn the_region_page_charts_indicators_and_names_who_answers(app: TestApp) {
    with_quality(&app).await;
    let (c, _) = app.sign_in("jz.leader").await;
    let page = get(&app, &c, &format!("/regions/410800?at={DAY}")).await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("约束性指标 · 2026"), "{body}");
    // Every target of the year has a row; the ones with data have a chart.
    for key in [
        "pm25_annual_mean",
        "good_day_ratio",
        "heavy_pollution_days",
        "water_share_good",
        "water_share_worse_than_v",
        "forest_cover",
    ] {
        assert!(
            body.contains(&format!("<tr data-indicator=\"{key}\"")),
            "row {key}"
        );
    }
    assert!(body.contains("<svg class=\"chart\""));
    assert!(body.contains("data-indicator=\"pm25_annual_mean\"><line"));
    // The chart draws the year so far through October against the path and the target.
    assert!(body.contains("<polyline class=\"path\""));
    assert!(body.contains("<polyline class=\"so-far\""));
    assert!(body.contains("<title>10月:"));
    assert!(!body.contains("<title>11月:"), "November is not over");
    // The demo's PM2.5 runs above its path: a warning with the three answering posts.
    assert!(body.contains(
        "class=\"early-warning\" data-region=\"410800\" data-indicator=\"pm25_annual_mean\""
    ));
    let warning = body
        .split("data-indicator=\"pm25_annual_mean\">")
        .find(|s| s.starts_with("<p>"))
        .unwrap_or_else(|| panic!("warning block in {body}"));
    let warning = &warning[..warning.find("</li>").unwrap()];
    for role in [
        "地方政府主要负责人",
        "政府分管生态环境保护负责人",
        "生态环境部门负责人",
    ] {
        assert!(warning.contains(role), "{role} in {warning}");
    }
    assert!(warning.contains("href=\"/people/"), "a holder is named");
    assert!(warning.contains("data-status=\"at_risk\""));

    // A closed year shows annual values.
    let last = get(&app, &c, &format!("/regions/410800?at={DAY}&year=2025")).await;
    assert_eq!(last.status, 200);
    assert!(last.body.contains("约束性指标 · 2025"));
    assert!(last.body.contains("年度已结束"));
    // A year that is not one is refused, naming the field.
    let bad = get(&app, &c, "/regions/410800?year=soon").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("year"));

    language(&app, &c, "en").await;
    let en = get(&app, &c, &format!("/regions/410800?at={DAY}")).await;
    assert!(en.body.contains("Binding indicators · 2026"));
    assert!(en.body.contains("Early warnings"));
    assert!(en.body.contains("<title>Oct:"));
    app.finish().await;
}

async fn a_changed_target_shows_at_once(app: TestApp) {
    with_quality(&app).await;
    let (c, _) = app.sign_in("jz.leader").await;
    let path = format!("/regions/410800?at={DAY}");
    let pm25 = "<tr data-indicator=\"pm25_annual_mean\">";
    let row = |body: &str| {
        let from = body.find(pm25).unwrap_or_else(|| panic!("{body}"));
        let to = from + body[from..].find("</tr>").unwrap();
        body[from..to].to_string()
    };
    let before = get(&app, &c, &path).await.body;
    assert!(row(&before).contains("data-status=\"at_risk\""));
    // Asked again with nothing written: the same answer (from the memo).
    assert_eq!(row(&get(&app, &c, &path).await.body), row(&before));
    // The target is relaxed to 60 µg/m³: the next page shows it on track, with no warning.
    let rows = vec![
        (
            1,
            ["region_code", "indicator", "year", "target"]
                .map(String::from)
                .to_vec(),
        ),
        (
            2,
            ["410800", "pm25_annual_mean", "2026", "60"]
                .map(String::from)
                .to_vec(),
        ),
    ];
    app.store
        .import_targets(
            &Change::new("test", "relax the PM2.5 target"),
            &SourceFile::of("targets.csv", b"410800,pm25_annual_mean,2026,60"),
            &rows,
        )
        .await
        .unwrap();
    let after = get(&app, &c, &path).await.body;
    assert!(row(&after).contains("60 µg/m³"), "{}", row(&after));
    assert!(
        row(&after).contains("data-status=\"on_track\""),
        "{}",
        row(&after)
    );
    assert!(
        !after.contains("data-indicator=\"pm25_annual_mean\"><p>"),
        "no PM2.5 warning"
    );
    app.finish().await;
}

async fn a_region_without_targets_says_so(app: TestApp) {
    with_quality(&app).await;
    let (c, _) = app.sign_in("jz.leader").await;
    // A county under the demo city: no targets of its own, and no warnings under it.
    let page = get(&app, &c, &format!("/regions/410802?at={DAY}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("本年度未设定指标目标"));
    assert!(page.body.contains("没有预警"));
    assert!(!page.body.contains("<svg class=\"chart\""));
    app.finish().await;
}

async fn the_dashboard_lists_the_warnings_of_the_users_region(app: TestApp) {
    with_quality(&app).await;
    let (c, _) = app.sign_in("jz.leader").await;
    let page = get(&app, &c, &format!("/?at={DAY}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"warnings\""));
    assert!(page.body.contains("预警 · 2026"));
    assert!(
        page.body.contains("href=\"/regions/410800#indicators\""),
        "{}",
        page.body
    );
    app.finish().await;
}

async fn the_api_gives_the_same_figures_within_the_callers_region(app: TestApp) {
    with_quality(&app).await;
    let leader = Api::new(&app.at(""), &app.token("jz.leader").await);
    let st = leader
        .ok(&format!("/api/v1/regions/410800/indicators?at={DAY}"))
        .await;
    assert_eq!(st["year"], 2026);
    assert_eq!(st["closed"], false);
    assert_eq!(st["months"], 10);
    let list = st["indicators"].as_array().unwrap();
    assert_eq!(list.len(), 6, "{st}");
    let pm = list
        .iter()
        .find(|i| i["indicator"] == "pm25_annual_mean")
        .unwrap();
    assert_eq!(pm["target"], 40.0);
    let progress = &pm["progress"];
    assert_eq!(progress["status"], "at_risk");
    assert_eq!(progress["month"], 10);
    assert_eq!(progress["path"].as_array().unwrap().len(), 12);
    assert_eq!(progress["so_far"].as_array().unwrap().len(), 10);
    // Last year's data shapes this year's path.
    assert_eq!(progress["path_basis"], "seasonal");
    assert_eq!(progress["path_years"], serde_json::json!([2025]));
    // The chart's last dot is the year-to-date value.
    assert_eq!(progress["so_far"][9]["value"], progress["ytd_value"]);

    let warnings = leader.ok(&format!("/api/v1/warnings?at={DAY}")).await;
    let w = warnings
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["indicator"] == "pm25_annual_mean")
        .unwrap_or_else(|| panic!("{warnings}"));
    assert_eq!(w["region_code"], "410800");
    assert_eq!(w["status"], "at_risk");
    assert_eq!(w["ytd_value"], progress["ytd_value"]);
    let roles: Vec<&str> = w["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["government_head", "deputy_eco", "eco_department_head"]
    );

    // A closed year, and bad years and days named.
    let last = leader
        .ok(&format!(
            "/api/v1/regions/410800/indicators?at={DAY}&year=2025"
        ))
        .await;
    assert_eq!(last["closed"], true);
    assert_eq!(last["months"], 12);
    let (status, problem) = leader
        .get("/api/v1/regions/410800/indicators?year=1800")
        .await;
    assert_eq!(status, 422);
    assert!(problem.to_string().contains("year"), "{problem}");
    let (status, problem) = leader.get("/api/v1/warnings?at=yesterday").await;
    assert_eq!(status, 422);
    assert!(problem.to_string().contains("at"), "{problem}");

    // Another region's admin sees neither the city's indicators nor its warnings.
    let other = Api::new(&app.at(""), &app.token("xz.admin").await);
    assert_eq!(other.get("/api/v1/regions/410800/indicators").await.0, 404);
    assert_eq!(other.get("/api/v1/warnings?region=410800").await.0, 404);
    let none = other.ok(&format!("/api/v1/warnings?at={DAY}")).await;
    assert_eq!(none, serde_json::json!([]));
    app.finish().await;
}

on_both_backends!(
    a_changed_target_shows_at_once,
    the_api_gives_the_same_figures_within_the_callers_region,
    the_region_page_charts_indicators_and_names_who_answers,
    a_region_without_targets_says_so,
    the_dashboard_lists_the_warnings_of_the_users_region
);
