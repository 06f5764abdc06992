//! The supervision loop through the API: a finding's whole life — assigned, started, a closure
//! asked for without evidence (refused), evidence uploaded (refused files too), the closure
//! asked for, verified by the requester (refused: separation of duties), returned for rework,
//! asked for again, verified and closed by someone else — with its history; Art. 15's refusal
//! of a check and its override; work plans with a dispatch round; a complaint taken up as a
//! finding; the notifications inbox.

#[path = "api_support.rs"]
mod api_support;
mod common;

use api_support::Api;
use common::TestApp;
use ecoduty_web::Config;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

async fn api(app: &TestApp, user: &str) -> Api {
    Api::new(&app.at(""), &app.token(user).await)
}

/// Uploads a file as evidence; returns (status, answer).
async fn upload(api: &Api, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    api.call(
        api.request(reqwest::Method::POST, "/api/v1/evidence")
            .multipart(form),
    )
    .await
}

/// Two organisations of a region, by id.
async fn two_units(api: &Api, region: &str) -> (i64, i64) {
    let orgs = api
        .ok(&format!("/api/v1/regions/{region}/organisations"))
        .await;
    let orgs = orgs.as_array().unwrap();
    (
        orgs[0]["id"].as_i64().unwrap(),
        orgs[1]["id"].as_i64().unwrap(),
    )
}

fn in_days(n: i64) -> String {
    (chrono::Local::now().date_naive() + chrono::Duration::days(n)).to_string()
}

async fn a_finding_lives_through_the_api(app: TestApp) {
    // 象州县: its administrator acts for the units, its inspector verifies.
    let admin = api(&app, "xz.admin").await;
    let inspector = api(&app, "xz.inspector").await;
    let leader = api(&app, "jz.leader").await;
    let jz = api(&app, "jz.admin").await;
    let (unit, _) = two_units(&admin, "451322").await;

    let (status, p) = inspector
        .post("/api/v1/inspections", json!({"level": "provincial", "kind": "routine", "title": "第二轮省级生态环境保护督察",
            "regions": ["451322", "410883"], "start_date": "2026-03-01", "end_date": "2026-03-31", "team": "第三督察组"}))
        .await;
    assert_eq!(
        status, 422,
        "another region is not the inspector's to record: {p}"
    );
    assert_eq!(p["field"], "regions");
    let (status, inspection) = inspector
        .post("/api/v1/inspections", json!({"level": "provincial", "kind": "routine", "title": "第二轮省级生态环境保护督察",
            "regions": ["451322"], "start_date": "2026-03-01", "end_date": "2026-03-31", "team": "第三督察组"}))
        .await;
    assert_eq!(status, 201, "{inspection}");
    let inspection_id = inspection["id"].as_i64().unwrap();

    let new = json!({
        "region_code": "451322", "source": "inspection", "inspection_id": inspection_id, "category": "water", "severity": "serious",
        "text": "县城污水处理厂出水超标", "measures": "提标改造", "units": [unit], "deadline": in_days(90),
    });
    let (status, body) = leader.post("/api/v1/findings", new.clone()).await;
    assert_eq!(status, 403, "a leader records no findings: {body}");
    let mut blank = new.clone();
    blank["text"] = json!("  ");
    let (status, p) = inspector.post("/api/v1/findings", blank).await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["field"], "text");
    let (status, f) = inspector.post("/api/v1/findings", new).await;
    assert_eq!(status, 201, "{f}");
    let id = f["id"].as_i64().unwrap();
    assert_eq!(f["status"], "assigned");
    let path = |step: &str| format!("/api/v1/findings/{id}/{step}");

    // The inspector does not act for the unit; the unit starts.
    let (status, _) = inspector.post(&path("start"), json!({})).await;
    assert_eq!(status, 403);
    let (status, f) = admin
        .post(&path("start"), json!({"comment": "已部署"}))
        .await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["status"], "in_progress");
    let (status, p) = admin.post(&path("start"), json!({})).await;
    assert_eq!(status, 409, "started twice: {p}");
    assert_eq!(p["type"], "/problems/conflict");

    // A closure request without evidence is refused, naming the field.
    let (status, p) = admin
        .post(
            &path("request-closure"),
            json!({"evidence": [], "comment": "已完成提标改造"}),
        )
        .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["field"], "evidence");
    let fake = json!([{"sha256": "0".repeat(64), "name": "x.pdf"}]);
    let (status, p) = admin
        .post(
            &path("request-closure"),
            json!({"evidence": fake, "comment": "已完成"}),
        )
        .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["field"], "evidence");

    // Refused files: a program named .exe, a text named .pdf.
    let (status, p) = upload(&admin, "setup.exe", b"MZ\x90\x00binary".to_vec()).await;
    assert_eq!(status, 415, "{p}");
    assert_eq!(p["type"], "/problems/unsupported-media-type");
    assert!(p["detail"].as_str().unwrap().contains("setup.exe"), "{p}");
    let (status, p) = upload(&admin, "report.pdf", "整改报告".as_bytes().to_vec()).await;
    assert_eq!(status, 415, "{p}");
    assert!(
        p["detail"].as_str().unwrap().contains("does not match"),
        "{p}"
    );
    let (status, p) = leader
        .call(
            leader
                .request(reqwest::Method::POST, "/api/v1/evidence")
                .multipart(Form::new().part(
                    "file",
                    Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("a.pdf"),
                )),
        )
        .await;
    assert_eq!(status, 403, "{p}");

    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let (status, stored) = upload(&admin, "验收材料.pdf", pdf.clone()).await;
    assert_eq!(status, 201, "{stored}");
    let reference = stored["reference"].clone();
    let sha = reference["sha256"].as_str().unwrap().to_string();
    assert_eq!(stored["info"]["kind"], "pdf");

    let (status, f) = admin
        .post(
            &path("request-closure"),
            json!({"evidence": [reference.clone()], "comment": "已完成提标改造,出水达标"}),
        )
        .await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["status"], "closure_requested");
    assert_eq!(f["closure_requested_by"], "user:xz.admin");

    // The requester may not verify their own request (separation of duties).
    let (status, p) = admin.post(&path("verify"), json!({})).await;
    assert_eq!(status, 403, "{p}");
    assert_eq!(p["type"], "/problems/separation-of-duties");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("职责分离") && detail.contains("(separation of duties: someone other than"),
        "the API says it in Chinese, then English: {p}"
    );

    // Returned for rework: the comment is required.
    let (status, p) = inspector
        .post(&path("return"), json!({"comment": " "}))
        .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["field"], "comment");
    let (status, f) = inspector
        .post(
            &path("return"),
            json!({"comment": "在线监测数据缺失,佐证不足"}),
        )
        .await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["status"], "in_progress");
    assert_eq!(f["closure_evidence"], json!([]));

    // Asked again, verified and closed by the inspector.
    let (status, _) = admin
        .post(
            &path("request-closure"),
            json!({"evidence": [reference], "comment": "补充在线监测数据"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, f) = inspector
        .post(&path("verify"), json!({"comment": "现场核查通过"}))
        .await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["status"], "verified");
    let (status, f) = inspector.post(&path("close"), json!({})).await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["status"], "closed");
    let (status, _) = inspector.post(&path("verify"), json!({})).await;
    assert_eq!(status, 409);

    // The whole life, step by step, with who did what.
    let detail = inspector.ok(&format!("/api/v1/findings/{id}")).await;
    let steps: Vec<(String, String)> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["step"]["event"].as_str().unwrap().to_string(),
                v["step"]["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("create", "user:xz.inspector"),
        ("start", "user:xz.admin"),
        ("request_closure", "user:xz.admin"),
        ("return", "user:xz.inspector"),
        ("request_closure", "user:xz.admin"),
        ("verify", "user:xz.inspector"),
        ("close", "user:xz.inspector"),
    ];
    assert_eq!(
        steps,
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        detail["history"][3]["step"]["comment"],
        "在线监测数据缺失,佐证不足"
    );
    assert_eq!(detail["evidence"][0]["sha256"], sha.as_str());
    assert_eq!(detail["allowed"], json!([]));

    let shown = inspector
        .ok(&format!("/api/v1/inspections/{inspection_id}"))
        .await;
    assert_eq!(shown["findings"][0]["id"], id);

    // Lists: by status, by region; another region sees nothing of it.
    let closed = inspector.ok("/api/v1/findings?status=closed").await;
    assert!(closed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id));
    let open = inspector
        .ok("/api/v1/findings?status=assigned,in_progress")
        .await;
    assert!(!open["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id));
    let (status, p) = inspector.get("/api/v1/findings?status=done").await;
    assert_eq!(status, 422);
    assert_eq!(p["field"], "status");
    let (status, _) = jz.get(&format!("/api/v1/findings/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = jz.get("/api/v1/findings?region=451322").await;
    assert_eq!(status, 404);
    let none = jz.ok("/api/v1/findings").await;
    assert!(!none["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == id));

    // The evidence: downloaded by the region's users, not by another region's.
    let res = inspector
        .request(reqwest::Method::GET, &format!("/api/v1/evidence/{sha}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let (status, _) = jz.get(&format!("/api/v1/evidence/{sha}")).await;
    assert_eq!(status, 404);

    // Every step is in the ledger, which still verifies.
    assert!(app.store.verify_ledger().await.unwrap().ok());
    app.finish().await;
}

async fn an_upload_over_the_limit_is_refused_naming_its_size(app: TestApp) {
    let admin = api(&app, "xz.admin").await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(4096, b'x');
    let (status, p) = upload(&admin, "big.pdf", big).await;
    assert_eq!(status, 413, "{p}");
    assert_eq!(p["type"], "/problems/too-large");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("4096") && detail.contains("2048"),
        "{detail}"
    );
    let (status, _) = upload(&admin, "small.txt", "不足为据".as_bytes().to_vec()).await;
    assert_eq!(status, 201);
    app.finish().await;
}

async fn art15_refuses_a_check_and_records_its_override(app: TestApp) {
    let admin = api(&app, "jz.admin").await;
    let officer = api(&app, "mz.officer").await;
    let leader = api(&app, "jz.leader").await;
    // A city body checks a unit of 孟州市 (410883) twice within the city level's 60 days.
    let (by, _) = two_units(&admin, "410800").await;
    let (on, _) = two_units(&admin, "410883").await;
    let plan = |date: String, justification: Option<&str>| {
        json!({"by_organisation_id": by, "on_organisation_id": on, "kind": "inspection",
               "subject": "大气污染防治检查", "date": date, "override_justification": justification})
    };
    let (status, first) = officer
        .post("/api/v1/checks", plan(in_days(10), None))
        .await;
    assert_eq!(status, 201, "{first}");
    assert!(first["check"]["violations"].as_array().unwrap().is_empty());
    let (status, assessment) = officer
        .post("/api/v1/checks/assess", plan(in_days(20), None))
        .await;
    assert_eq!(status, 200, "{assessment}");
    assert_eq!(assessment["violations"][0]["rule"], "too_soon");
    assert_eq!(assessment["merge_with"][0]["id"], first["check"]["id"]);

    let (status, refused) = officer
        .post("/api/v1/checks", plan(in_days(20), None))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["field"], "limits");
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("超出监督检查限额"),
        "{refused}"
    );
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("(Beyond the limits on checks, not registered: Art. 15:"),
        "and in English: {refused}"
    );

    // Overriding needs the permission, and a justification written out.
    let (status, _) = officer
        .post(
            "/api/v1/checks",
            plan(in_days(20), Some("突发环境事件须立即现场检查")),
        )
        .await;
    assert_eq!(status, 403);
    let (status, p) = admin
        .post("/api/v1/checks", plan(in_days(20), Some("紧急")))
        .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["field"], "override_justification");
    let (status, overridden) = admin
        .post(
            "/api/v1/checks",
            plan(in_days(20), Some("突发环境事件须立即现场检查")),
        )
        .await;
    assert_eq!(status, 201, "{overridden}");
    let check = &overridden["check"];
    assert_eq!(check["override_by"], "jz.admin");
    assert_eq!(
        check["override_justification"],
        "突发环境事件须立即现场检查"
    );
    assert_eq!(check["violations"][0]["rule"], "too_soon");

    let id = check["id"].as_i64().unwrap();
    let got = leader.ok(&format!("/api/v1/checks/{id}")).await;
    assert_eq!(got["override_by"], "jz.admin");
    let merges = leader.ok("/api/v1/checks/merge-suggestions").await;
    assert!(!merges.as_array().unwrap().is_empty());
    let burden = leader.ok("/api/v1/checks/burden?region=410883").await;
    assert_eq!(burden[0]["unit"]["id"], on);
    assert_eq!(burden[0]["total"], 2);
    let (status, _) = api(&app, "xz.admin")
        .await
        .get(&format!("/api/v1/checks/{id}"))
        .await;
    assert_eq!(status, 404);
    app.finish().await;
}

async fn a_plan_a_task_and_a_dispatch_round(app: TestApp) {
    let admin = api(&app, "jz.admin").await;
    let officer = api(&app, "mz.officer").await;
    let (lead, _) = two_units(&admin, "410883").await;
    let (status, plan) = admin
        .post(
            "/api/v1/plans",
            json!({"region_code": "410800", "year": 2026, "title": "2026年生态环境保护重点工作"}),
        )
        .await;
    assert_eq!(status, 201, "{plan}");
    let plan_id = plan["id"].as_i64().unwrap();
    let leader = api(&app, "jz.leader").await;
    let (status, p) = leader
        .post(&format!("/api/v1/plans/{plan_id}/tasks"), json!({"title": "x", "basis": "第八条第二项", "lead_organisation_id": lead, "deadline": in_days(30)}))
        .await;
    assert_eq!(status, 403, "{p}");
    // The city's plan lies outside the county officer's region.
    let (status, _) = officer.get(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(status, 404);
    let (status, p) = admin
        .post(&format!("/api/v1/plans/{plan_id}/tasks"), json!({"title": "x", "basis": "", "lead_organisation_id": lead, "deadline": in_days(30)}))
        .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(p["field"], "basis");
    let (status, task) = admin
        .post(&format!("/api/v1/plans/{plan_id}/tasks"), json!({"title": "完成黄河支流入河排污口整治", "basis": "第八条第二项", "lead_organisation_id": lead, "deadline": in_days(30)}))
        .await;
    assert_eq!(status, 201, "{task}");
    let task_id = task["id"].as_i64().unwrap();
    let (status, round) = admin
        .post(
            "/api/v1/dispatch-rounds",
            json!({"region_code": "410800", "title": "第一季度调度", "due_date": in_days(5)}),
        )
        .await;
    assert_eq!(status, 201, "{round}");
    let round_id = round["id"].as_i64().unwrap();
    let status_before = admin
        .ok(&format!(
            "/api/v1/dispatch-rounds/{round_id}?on={}",
            in_days(10)
        ))
        .await;
    let unit = status_before["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["organisation_id"] == lead)
        .unwrap()
        .clone();
    assert_eq!(unit["status"], "missing", "{status_before}");
    let (status, answer) = officer
        .post(
            &format!("/api/v1/tasks/{task_id}/progress"),
            json!({"round_id": round_id, "text": "已完成排查", "percent": 40}),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["task"]["percent"], 40);
    let now = admin
        .ok(&format!("/api/v1/dispatch-rounds/{round_id}"))
        .await;
    let unit = now["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["organisation_id"] == lead)
        .unwrap()
        .clone();
    assert_eq!(unit["status"], "reported", "{now}");
    let detail = admin.ok(&format!("/api/v1/plans/{plan_id}")).await;
    assert_eq!(detail["tasks"][0]["id"], task_id);
    let task = officer.ok(&format!("/api/v1/tasks/{task_id}")).await;
    assert_eq!(task["progress"][0]["reporter"], "user:mz.officer");
    assert_eq!(task["versions"].as_array().unwrap().len(), 2);
    app.finish().await;
}

async fn notifications_are_listed_and_marked_read(app: TestApp) {
    use ecoduty_store::supervision::scheduler::SchedulerConfig;
    use ecoduty_store::supervision::FixedClock;
    let inspector = api(&app, "xz.inspector").await;
    let admin = api(&app, "xz.admin").await;
    let (unit, _) = two_units(&admin, "451322").await;
    let (status, f) = inspector
        .post("/api/v1/findings", json!({"region_code": "451322", "source": "audit", "source_ref": "审计报告〔2026〕3号", "category": "ecology", "severity": "general",
            "text": "违规占用生态保护红线", "units": [unit], "deadline": in_days(3)}))
        .await;
    assert_eq!(status, 201, "{f}");
    // A pass ten days on: the finding is overdue; the county's users are told.
    let day = chrono::Local::now().date_naive() + chrono::Duration::days(10);
    let report = app
        .store
        .run_scheduler_pass(&FixedClock::on(day), &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!(report.findings_marked_overdue, 1);
    let inbox = admin.ok("/api/v1/me/notifications").await;
    assert!(inbox["unread"].as_i64().unwrap() >= 1, "{inbox}");
    let first = inbox["items"][0]["id"].as_i64().unwrap();
    let res = admin
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/me/notifications/{first}/read"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let after = admin.ok("/api/v1/me/notifications?unread=true").await;
    assert!(!after["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == first));
    assert_eq!(
        after["unread"].as_i64().unwrap(),
        inbox["unread"].as_i64().unwrap() - 1
    );
    // Someone else's notification is not found.
    let (status, _) = inspector
        .call(inspector.request(
            reqwest::Method::POST,
            &format!("/api/v1/me/notifications/{first}/read"),
        ))
        .await;
    assert_eq!(status, 404);
    let overdue = admin.ok("/api/v1/findings?overdue=true").await;
    assert_eq!(overdue["items"][0]["id"], f["id"]);
    app.finish().await;
}

/// The test app with a 2 KiB evidence limit.
async fn small_uploads(postgres: bool) -> TestApp {
    TestApp::start(
        postgres,
        Config {
            evidence_max_bytes: 2048,
            ..Config::default()
        },
    )
    .await
}

on_both_backends!(
    a_finding_lives_through_the_api,
    art15_refuses_a_check_and_records_its_override,
    a_plan_a_task_and_a_dispatch_round,
    notifications_are_listed_and_marked_read,
);

on_both_backends!(started_by small_uploads: an_upload_over_the_limit_is_refused_naming_its_size);
