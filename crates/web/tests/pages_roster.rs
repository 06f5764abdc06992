//! Roster import and export on the page: a refused file shows every bad row and changes
//! nothing (rows outside the user's region included), a good file is imported whole (CSV and
//! XLSX), files of the wrong type or size are refused clearly, and exports cover the user's
//! region only.

mod common;
mod pages_support;

use common::TestApp;
use ecoduty_web::Config;
use pages_support::{code, get, language, ledger_len, post, post_multipart, today};
use reqwest::multipart::{Form, Part};

const HEADER: &str = "region_code,organisation,organisation_kind,post,role,person,start_date,end_date,acting,person_key";

fn upload(csrf: &str, name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("csrf", csrf.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()))
        .text("reason", "名册测试")
}

fn good_rows() -> String {
    format!(
        "{HEADER}\n\
         410883,孟州市测试中心,department,主任,sector_department_head,名册人甲,2024-03-01,,false,ROSTER-1\n\
         410883,孟州市测试中心,department,副主任,sector_department_head,名册人乙,2024-03-01,,false,ROSTER-2\n"
    )
}

async fn a_bad_file_changes_nothing_and_a_good_one_is_imported(app: TestApp) {
    let s = &app.store;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let page = get(&app, &c, "/roster").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(page.body.contains("<label for=\"roster-file\">"));
    assert!(page.body.contains("href=\"/roster/export.csv\""));

    // One good row, a bad date, an unknown role and a row of another region.
    let bad = format!(
        "{HEADER}\n\
         410883,孟州市测试中心,department,主任,sector_department_head,名册人甲,2024-03-01,,false,ROSTER-1\n\
         410883,孟州市测试中心,department,副主任,sector_department_head,名册人乙,2024-13-45,,false,ROSTER-2\n\
         410883,孟州市测试中心,department,科长,chief,名册人丙,2024-03-01,,false,ROSTER-3\n\
         451322,象州县测试中心,department,主任,sector_department_head,名册人丁,2024-03-01,,false,ROSTER-4\n"
    );
    let before = ledger_len(&app).await;
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        upload(&csrf, "bad.csv", bad.into_bytes()),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("导入失败,未做任何更改"));
    assert!(res.body.contains("<table class=\"row-errors\">"));
    for (line, field) in [(3, "start_date"), (4, "role"), (5, "region_code")] {
        assert!(
            res.body
                .contains(&format!("<tr><td>{line}</td><td><code>{field}</code></td>")),
            "line {line} {field}: {}",
            res.body
        );
    }
    assert!(res.body.contains("lies outside your region (410800)"));
    assert_eq!(ledger_len(&app).await, before, "nothing was written");
    assert!(s.find_people("名册人", 10).await.unwrap().is_empty());
    // The page a user checks shows nothing new either.
    let region = get(&app, &c, "/regions/410883").await;
    assert!(!region.body.contains("孟州市测试中心"));

    // The good file: imported, with its summary.
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        upload(&csrf, "good.csv", good_rows().into_bytes()),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("导入完成"));
    assert!(res
        .body
        .contains("<tr><th scope=\"row\">新增任职</th><td>2</td></tr>"));
    assert!(res
        .body
        .contains("<tr><th scope=\"row\">新增人员</th><td>2</td></tr>"));
    let region = get(&app, &c, "/regions/410883").await;
    assert!(region.body.contains("孟州市测试中心") && region.body.contains("名册人甲"));
    let entry = s
        .ledger_page(
            &ecoduty_store::ledger::LedgerFilter {
                entity: Some("roster_import".into()),
                ..Default::default()
            },
            None,
            1,
        )
        .await
        .unwrap();
    assert_eq!(entry[0].actor, "user:jz.admin");
    assert_eq!(entry[0].reason, "名册测试");
    // The same file again changes nothing.
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        upload(&csrf, "good.csv", good_rows().into_bytes()),
    )
    .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("名册与现有记录一致"));
    language(&app, &c, "en").await;
    let page = get(&app, &c, "/roster").await;
    assert!(page.body.contains("Roster import and export"));
    app.finish().await;
}

async fn an_xlsx_roster_is_imported_and_exports_cover_the_region(app: TestApp) {
    let (c, csrf) = app.sign_in("jz.admin").await;
    let header: Vec<String> = HEADER.split(',').map(str::to_string).collect();
    let rows: Vec<Vec<String>> = good_rows()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let xlsx = ecoduty_tabular::write_xlsx("roster", &header, &rows).unwrap();
    let res = post_multipart(&app, &c, "/roster", upload(&csrf, "名册.xlsx", xlsx)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("导入完成"));

    let res = c.get(app.at("/roster/export.csv")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains(&format!("roster-410800-{}.csv", today())));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert!(lines.len() > 50);
    assert!(lines.iter().all(|l| l.starts_with("4108")), "only 焦作市");
    assert!(csv.contains("名册人甲"));
    let res = c.get(app.at("/roster/export.xlsx")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    // The export imports back unchanged (same file, nothing new).
    let again = c
        .get(app.at("/roster/export.csv"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let res = post_multipart(&app, &c, "/roster", upload(&csrf, "export.csv", again)).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("名册与现有记录一致"));

    // 象州县's administrator exports only 象州县.
    let (xz, _) = app.sign_in("xz.admin").await;
    let csv = xz
        .get(app.at("/roster/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().skip(1).all(|l| l.starts_with("451322")));
    // Readers have no roster pages.
    let (auditor, _) = app.sign_in("jz.auditor").await;
    assert_eq!(get(&app, &auditor, "/roster").await.status, 403);
    assert_eq!(get(&app, &auditor, "/roster/export.csv").await.status, 403);
    app.finish().await;
}

async fn wrong_files_are_refused_clearly(app: TestApp) {
    let s = &app.store;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let before = ledger_len(&app).await;
    let gbk_header = vec![0xC7u8, 0xF8, 0xBB, 0xAE, 0xB4, 0xFA, 0xC2, 0xEB, b'\n'];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("roster.xls", b"\xD0\xCF\x11\xE0".to_vec(), ".xls"),
        ("roster.pdf", b"%PDF-1.4".to_vec(), "unsupported file type"),
        ("roster.csv", gbk_header, "not UTF-8"),
        ("roster.csv", b"PK\x03\x04zip".to_vec(), "ZIP archive"),
        (
            "roster.xlsx",
            good_rows().into_bytes(),
            "not an XLSX workbook",
        ),
        (
            "roster.xlsx",
            b"PK\x03\x04broken".to_vec(),
            "not a readable XLSX",
        ),
        ("roster.csv", Vec::new(), "empty"),
        ("roster.csv", b"name,age\n".to_vec(), "missing column"),
    ];
    for (name, bytes, says) in cases {
        let res = post_multipart(&app, &c, "/roster", upload(&csrf, name, bytes)).await;
        assert_eq!(res.status, 422, "{name}: {}", res.body);
        assert!(
            res.body.contains(says),
            "{name} should say {says:?}: {}",
            res.body
        );
        assert!(res.body.contains("role=\"alert\""));
    }
    // No file at all.
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        Form::new().text("csrf", csrf.clone()).text("reason", "x"),
    )
    .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("请选择一个文件"));
    // Without the CSRF token, or from a reader.
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        upload("forged", "good.csv", good_rows().into_bytes()),
    )
    .await;
    assert_eq!(res.status, 403);
    let (officer, officer_csrf) = app.sign_in("mz.officer").await;
    let res = post_multipart(
        &app,
        &officer,
        "/roster",
        upload(&officer_csrf, "good.csv", good_rows().into_bytes()),
    )
    .await;
    assert_eq!(res.status, 403);
    // A plain form is not an upload.
    let res = post(&app, &c, "/roster", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 422);
    assert_eq!(ledger_len(&app).await, before);
    assert!(s.find_people("名册人", 10).await.unwrap().is_empty());
    app.finish().await;
}

async fn a_file_over_the_limit_is_refused(postgres: bool) {
    let app = TestApp::start(
        postgres,
        Config {
            max_upload: 4 * 1024,
            ..Config::default()
        },
    )
    .await;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let mut big = good_rows();
    while big.len() < 8 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        upload(&csrf, "big.csv", big.into_bytes()),
    )
    .await;
    assert_eq!(res.status, 413, "{}", res.body);
    assert!(res.body.contains("文件太大"), "{}", res.body);
    assert!(app
        .store
        .find_people("名册人", 10)
        .await
        .unwrap()
        .is_empty());
    // Under the limit, the same rows go through.
    let res = post_multipart(
        &app,
        &c,
        "/roster",
        upload(&csrf, "small.csv", good_rows().into_bytes()),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        app.store
            .who(&code("410883"), today(), None)
            .await
            .unwrap()
            .iter()
            .filter(|h| h.organisation.name == "孟州市测试中心")
            .count(),
        2
    );
    app.finish().await;
}

mod size_limit {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_file_over_the_limit_is_refused(false).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
    async fn postgres() {
        super::a_file_over_the_limit_is_refused(true).await;
    }
}

on_both_backends!(
    a_bad_file_changes_nothing_and_a_good_one_is_imported,
    an_xlsx_roster_is_imported_and_exports_cover_the_region,
    wrong_files_are_refused_clearly
);
