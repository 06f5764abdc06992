//! The supervision pages: the findings list with its filters, a finding's page with the
//! forms of the steps the viewer may take, a step taken through a form (and one refused for
//! separation of duties), the ledger sheet exported and imported (a bad sheet refused with
//! every bad row, nothing written), the checks register refusing a plan and taking its
//! override, and the notifications inbox with its unread count.

mod common;

use common::TestApp;
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_domain::RegionCode;
use ecoduty_store::supervision::findings::NewFinding;
use ecoduty_store::supervision::PageRequest;
use ecoduty_store::Change;
use reqwest::multipart::{Form, Part};

fn in_days(n: i64) -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Duration::days(n)
}

/// A finding of 孟州市, made in the store; returns (finding id, a unit's id and name).
async fn finding(app: &TestApp) -> (i64, i64, String) {
    let code = RegionCode::parse("410883").unwrap();
    let unit = app.store.organisations_in(&code, false).await.unwrap()[0].clone();
    let f = app
        .store
        .create_finding(
            &Change::new("test", "a finding"),
            NewFinding {
                region_code: code,
                source: Source::Audit,
                inspection_id: None,
                complaint_id: None,
                source_ref: "审计报告〔2026〕1号".into(),
                serial: String::new(),
                category: Category::Air,
                severity: Severity::Serious,
                text: "城区施工工地扬尘管控不到位".into(),
                measures: "全面落实六个百分百".into(),
                units: vec![unit.id],
                posts: vec![],
                deadline: Some(in_days(60)),
                review_every_days: None,
            },
            in_days(0),
        )
        .await
        .unwrap();
    (f.id, unit.id, unit.name)
}

async fn step(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    id: i64,
    form: Form,
) -> reqwest::Response {
    c.post(app.at(&format!("/findings/{id}/step")))
        .multipart(form.text("csrf", csrf.to_string()))
        .send()
        .await
        .unwrap()
}

async fn a_finding_is_found_and_stepped_through_its_page(app: TestApp) {
    let (id, _, _) = finding(&app).await;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let list = c
        .get(app.at("/findings?region=410883&status=assigned,in_progress"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let html = list.text().await.unwrap();
    assert!(html.contains(&format!("href=\"/findings/{id}\"")), "{html}");
    // The region is picked, not typed (issue 14 §6): the chosen one selected, its parent in
    // the user's scope above it; the whole list offers the city's counties; another region's
    // code is not found.
    assert!(
        html.contains("<select id=\"f-region\" name=\"region\">"),
        "{html}"
    );
    assert!(html.contains("<option value=\"410883\" selected>孟州市 410883</option>"));
    assert!(html.contains("<option value=\"410800\">焦作市 410800</option>"));
    let all = c.get(app.at("/findings")).send().await.unwrap();
    let all = all.text().await.unwrap();
    assert!(
        all.contains("<option value=\"410883\">— 孟州市 410883</option>"),
        "{all}"
    );
    let foreign = c
        .get(app.at("/findings?region=451322"))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 404);
    let other = c
        .get(app.at("/findings?status=closed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!other.contains(&format!("href=\"/findings/{id}\"")));
    let (bad, _) = (
        c.get(app.at("/findings?status=nonsense"))
            .send()
            .await
            .unwrap(),
        (),
    );
    assert_eq!(bad.status(), 422);

    let page = c
        .get(app.at(&format!("/findings/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"step-start\""),
        "the administrator may start it"
    );
    assert!(
        !page.contains("id=\"step-verify\""),
        "nothing to verify yet"
    );

    let res = step(
        &app,
        &c,
        &csrf,
        id,
        Form::new()
            .text("action", "start")
            .text("comment", "已部署"),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/findings/{id}?ok=start").as_str()
    );

    // A closure request without a file is refused on the page.
    let res = step(
        &app,
        &c,
        &csrf,
        id,
        Form::new()
            .text("action", "request_closure")
            .text("comment", "已整改"),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("佐证材料"));
    let res = step(
        &app,
        &c,
        &csrf,
        id,
        Form::new()
            .text("action", "request_closure")
            .text("comment", "已完成整改,附现场照片")
            .part(
                "evidence",
                Part::bytes(b"\x89PNG\r\n\x1a\n0000IHDR".to_vec()).file_name("现场.png"),
            ),
    )
    .await;
    assert_eq!(res.status(), 303);
    let page = c
        .get(app.at(&format!("/findings/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("现场.png") && page.contains("data-status=\"closure_requested\""),
        "{page}"
    );

    // The requester may not verify.
    let res = step(&app, &c, &csrf, id, Form::new().text("action", "verify")).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("职责分离"));

    // Someone else verifies and closes; the history says who did what.
    let (admin, admin_csrf) = app.sign_in("admin").await;
    for action in ["verify", "close"] {
        let res = step(
            &app,
            &admin,
            &admin_csrf,
            id,
            Form::new().text("action", action),
        )
        .await;
        assert_eq!(res.status(), 303, "{action}");
    }
    let page = c
        .get(app.at(&format!("/findings/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-status=\"closed\""));
    let history = &page[page.find("id=\"finding-history\"").unwrap()..];
    for who in ["user:jz.admin", "user:admin"] {
        assert!(history.contains(who), "{who}");
    }
    // The evidence downloads for the region, not for another.
    let sha = {
        let at = page.find("href=\"/evidence/").unwrap() + "href=\"/evidence/".len();
        page[at..at + 64].to_string()
    };
    let file = c
        .get(app.at(&format!("/evidence/{sha}")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");
    let (xz, _) = app.sign_in("xz.admin").await;
    assert_eq!(
        xz.get(app.at(&format!("/evidence/{sha}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        xz.get(app.at(&format!("/findings/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    app.finish().await;
}

async fn the_ledger_sheet_is_exported_and_imported_all_or_nothing(app: TestApp) {
    let (_, _, unit) = finding(&app).await;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let sheet = c
        .get(app.at("/findings/sheet?region=410883"))
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.status(), 200);
    assert_eq!(
        sheet.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = sheet.bytes().await.unwrap();
    let table = ecoduty_tabular::read(&bytes, ecoduty_tabular::Format::Xlsx, "sheet.xlsx").unwrap();
    assert_eq!(&table.header[..3], ["序号", "问题", "责任单位"]);
    assert!(table
        .rows
        .iter()
        .any(|(_, r)| r.iter().any(|c| c.contains("扬尘"))));

    let header = "序号,问题,责任单位,责任人,整改时限,整改措施,进展情况,是否销号\n";
    let before = app
        .store
        .findings_page(
            &Default::default(),
            ecoduty_store::supervision::PageRequest::first(500),
        )
        .await
        .unwrap()
        .items
        .len();
    let bad = format!(
        "{header}1,河道垃圾清理不及时,{unit},,2026-12-31,清理,推进中,否\n2,,{unit},,明年,,,也许\n"
    );
    let import = |csv: String| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("region", "410883")
            .text("source", "audit")
            .part("file", Part::bytes(csv.into_bytes()).file_name("台账.csv"))
    };
    let res = c
        .post(app.at("/findings/sheet"))
        .multipart(import(bad))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    for field in ["问题", "整改时限", "是否销号"] {
        assert!(
            html.contains(&format!("<code>{field}</code>")),
            "{field}: {html}"
        );
    }
    let after = app
        .store
        .findings_page(
            &Default::default(),
            ecoduty_store::supervision::PageRequest::first(500),
        )
        .await
        .unwrap()
        .items
        .len();
    assert_eq!(before, after, "a refused sheet writes nothing");

    let good = format!("{header}1,河道垃圾清理不及时,{unit},,2026-12-31,清理,推进中,否\n2,饮用水源地违建未拆除,{unit},,长期坚持,拆除,,否\n");
    let res = c
        .post(app.at("/findings/sheet"))
        .multipart(import(good))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("已导入问题 2"));
    let after = app
        .store
        .findings_page(
            &Default::default(),
            ecoduty_store::supervision::PageRequest::first(500),
        )
        .await
        .unwrap()
        .items
        .len();
    assert_eq!(after, before + 2);
    app.finish().await;
}

async fn the_checks_register_refuses_and_takes_an_override(app: TestApp) {
    let city = app
        .store
        .organisations_in(&RegionCode::parse("410800").unwrap(), false)
        .await
        .unwrap()[0]
        .id;
    let unit = app
        .store
        .organisations_in(&RegionCode::parse("410883").unwrap(), false)
        .await
        .unwrap()[0]
        .id;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let page = c
        .get(app.at("/checks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"check-form\"") && page.contains("check-justification"));
    let plan = |date: chrono::NaiveDate, justification: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("by", city.to_string()),
            ("on", unit.to_string()),
            ("kind", "inspection".into()),
            ("subject", "扬尘治理检查".into()),
            ("date", date.to_string()),
            ("justification", justification.to_string()),
        ]
    };
    let res = c
        .post(app.at("/checks"))
        .form(&plan(in_days(10), ""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let res = c
        .post(app.at("/checks"))
        .form(&plan(in_days(15), ""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("id=\"check-refusal\"") && html.contains("第十五条"),
        "{html}"
    );
    assert!(
        !html.contains("Art. 15: only"),
        "a Chinese page says it in Chinese"
    );
    // In English, the refusal is English.
    c.get(app.at("/lang/en?next=%2Fchecks"))
        .send()
        .await
        .unwrap();
    let res = c
        .post(app.at("/checks"))
        .form(&plan(in_days(15), ""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Beyond the limits on checks, not registered: Art. 15: only")
            && !html.contains("第十五条:"),
        "{html}"
    );
    c.get(app.at("/lang/zh?next=%2Fchecks"))
        .send()
        .await
        .unwrap();
    let res = c
        .post(app.at("/checks"))
        .form(&plan(in_days(15), "突发环境事件须立即现场检查"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c
        .get(app.at("/checks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("突发环境事件须立即现场检查") && page.contains("id=\"merges\""));
    // The first check is recorded as done through its row's form; then it has no form.
    let first = app
        .store
        .checks_page(&Default::default(), PageRequest::first(50))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.id)
        .min()
        .unwrap();
    assert!(page.contains(&format!("action=\"/checks/{first}/status\"")));
    let status = format!("/checks/{first}/status");
    let res = c
        .post(app.at(&status))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "finished"),
            ("reason", "已检查"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "an unknown status");
    let res = c
        .post(app.at(&status))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "done"),
            ("reason", "已现场检查"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c
        .get(app.at("/checks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&format!("action=\"/checks/{first}/status\"")));
    let log = app
        .store
        .entity_log("check", &first.to_string())
        .await
        .unwrap();
    assert_eq!(log.last().unwrap().reason, "已现场检查");
    // Done is final: cancelling it afterwards is refused.
    let res = c
        .post(app.at(&status))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "cancelled"),
            ("reason", "取消"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // An officer plans but may not override: the form has no justification field.
    let (officer, _) = app.sign_in("mz.officer").await;
    let page = officer
        .get(app.at("/checks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"check-form\"") && !page.contains("check-justification"));
    app.finish().await;
}

async fn the_inbox_counts_and_marks_notifications(app: TestApp) {
    use ecoduty_store::supervision::scheduler::SchedulerConfig;
    use ecoduty_store::supervision::FixedClock;
    finding(&app).await;
    app.store
        .run_scheduler_pass(&FixedClock::on(in_days(70)), &SchedulerConfig::default())
        .await
        .unwrap();
    let (c, csrf) = app.sign_in("mz.officer").await;
    let home = c
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("id=\"unread-count\""),
        "the nav shows the unread count"
    );
    let inbox = c
        .get(app.at("/notifications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = inbox
        .find("action=\"/notifications/")
        .expect("an unread notification")
        + "action=\"/notifications/".len();
    let id: String = inbox[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let res = c
        .post(app.at(&format!("/notifications/{id}/read")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let inbox = c
        .get(app.at("/notifications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!inbox.contains(&format!("action=\"/notifications/{id}/read\"")));
    app.finish().await;
}

async fn progress_is_reported_on_a_task_page(app: TestApp) {
    let sup = common::supervision_records(&app, "410883").await;
    let (c, csrf) = app.sign_in("mz.officer").await;
    let page = c
        .get(app.at(&format!("/tasks/{}", sup.task)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"progress-form\""));
    let report = |percent: &str| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("text", "完成主干道洒水降尘")
            .text("percent", percent.to_string())
            .part(
                "evidence",
                Part::bytes("洒水记录".as_bytes().to_vec()).file_name("记录.txt"),
            )
    };
    let res = c
        .post(app.at(&format!("/tasks/{}/progress", sup.task)))
        .multipart(report("101"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = c
        .post(app.at(&format!("/tasks/{}/progress", sup.task)))
        .multipart(report("60"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c
        .get(app.at(&format!("/tasks/{}", sup.task)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("完成主干道洒水降尘") && page.contains("记录.txt") && page.contains("60%")
    );
    // A leader reads it but has no form.
    let (leader, _) = app.sign_in("jz.leader").await;
    let page = leader
        .get(app.at(&format!("/tasks/{}", sup.task)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("完成主干道洒水降尘") && !page.contains("id=\"progress-form\""));
    app.finish().await;
}

async fn a_finding_is_assigned_through_the_form(app: TestApp) {
    let unit = app
        .store
        .organisations_in(&RegionCode::parse("410883").unwrap(), false)
        .await
        .unwrap()[0]
        .id;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let page = c
        .get(app.at("/findings/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"new-finding\"") && page.contains(&format!("value=\"{unit}\"")));
    let form = |units: Vec<String>| {
        let mut f = vec![
            ("csrf", csrf.clone()),
            ("region_code", "410883".to_string()),
            ("source", "media".to_string()),
            ("source_ref", "某报报道".to_string()),
            ("category", "water".to_string()),
            ("severity", "general".to_string()),
            ("text", "入河排污口未按要求整治".to_string()),
            ("deadline", in_days(90).to_string()),
        ];
        f.extend(units.into_iter().map(|u| ("units", u)));
        f
    };
    let res = c
        .post(app.at("/findings"))
        .form(&form(vec![]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("units") && html.contains("入河排污口未按要求整治"),
        "the form is kept"
    );
    let res = c
        .post(app.at("/findings"))
        .form(&form(vec![unit.to_string()]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/findings/") && location.ends_with("?ok=create"),
        "{location}"
    );
    let page = c
        .get(app.at(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("入河排污口未按要求整治") && page.contains("data-status=\"assigned\""));
    let (leader, _) = app.sign_in("jz.leader").await;
    assert_eq!(
        leader
            .get(app.at("/findings/new"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    app.finish().await;
}

async fn a_plan_its_task_and_a_dispatch_round_are_made_through_forms(app: TestApp) {
    let lead = app
        .store
        .organisations_in(&RegionCode::parse("410883").unwrap(), false)
        .await
        .unwrap()[0]
        .id;
    let (c, csrf) = app.sign_in("jz.admin").await;
    let page = c
        .get(app.at("/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"new-plan\"") && page.contains("id=\"new-round\""));
    let res = c
        .post(app.at("/plans"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("region_code", "410800"),
            ("year", "1999"),
            ("title", "计划"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a year out of range");
    let res = c
        .post(app.at("/plans"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("region_code", "410800"),
            ("year", "2026"),
            ("title", "2026年重点工作"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let plan = res.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let lead_text = lead.to_string();
    let deadline = in_days(30).to_string();
    let res = c
        .post(app.at(&format!("{plan}/tasks")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "黑臭水体整治"),
            ("basis", "第八条第二项"),
            ("lead", lead_text.as_str()),
            ("deadline", deadline.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c
        .get(app.at(&plan))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("黑臭水体整治") && page.contains("第八条第二项"));
    let due = in_days(7).to_string();
    let res = c
        .post(app.at("/dispatch-rounds"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("region_code", "410800"),
            ("title", "一季度调度"),
            ("due_date", due.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let round = res.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = c
        .get(app.at(&round))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"round-units\"") && page.contains("待报送"),
        "the lead unit is still to report"
    );
    assert!(page.contains("id=\"close-round\""));
    let (leader, leader_csrf) = app.sign_in("jz.leader").await;
    // A leader reads the round but may not close it; nor may anyone without a reason.
    let leader_page = leader
        .get(app.at(&round))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!leader_page.contains("id=\"close-round\""));
    let close = format!("{round}/close");
    let res = leader
        .post(app.at(&close))
        .form(&[("csrf", leader_csrf.as_str()), ("reason", "报送结束")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = c
        .post(app.at(&close))
        .form(&[("csrf", csrf.as_str()), ("reason", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "a reason is required");
    let res = c
        .post(app.at(&close))
        .form(&[("csrf", csrf.as_str()), ("reason", "报送期满")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = c
        .get(app.at(&round))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("已结束") && !page.contains("id=\"close-round\""));
    let id: String = round.rsplit('/').next().unwrap().to_string();
    let log = app.store.entity_log("dispatch_round", &id).await.unwrap();
    assert_eq!(log.last().unwrap().reason, "报送期满");
    // Closing it again is refused, naming the round.
    let res = c
        .post(app.at(&close))
        .form(&[("csrf", csrf.as_str()), ("reason", "再次")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = leader
        .get(app.at("/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("id=\"new-plan\""));
    let res = leader
        .post(app.at("/plans"))
        .form(&[
            ("csrf", leader_csrf.as_str()),
            ("region_code", "410800"),
            ("year", "2026"),
            ("title", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    app.finish().await;
}

async fn an_inspection_is_recorded_through_the_form(app: TestApp) {
    let (c, csrf) = app.sign_in("xz.inspector").await;
    let page = c
        .get(app.at("/inspections"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"new-inspection\""));
    let form = |regions: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("title", "2026年县级专项督察".to_string()),
            ("level", "municipal".to_string()),
            ("kind", "special".to_string()),
            ("regions", regions.to_string()),
            ("start_date", "2026-04-01".to_string()),
            ("end_date", "2026-04-20".to_string()),
            ("team", "第一组".to_string()),
        ]
    };
    let res = c
        .post(app.at("/inspections"))
        .form(&form("451322, 410800"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "another region is not the inspector's");
    assert!(
        res.text().await.unwrap().contains("2026年县级专项督察"),
        "the form is kept"
    );
    let res = c
        .post(app.at("/inspections"))
        .form(&form("451322"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = c
        .get(app.at(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("2026年县级专项督察") && page.contains("第一组"));
    let (officer, officer_csrf) = app.sign_in("mz.officer").await;
    let res = officer
        .post(app.at("/inspections"))
        .form(&[("csrf", officer_csrf.as_str()), ("title", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    app.finish().await;
}

/// A finding in a region with a deadline (or long-term without one), made in the store.
async fn finding_in(app: &TestApp, region: &str, deadline: Option<i64>, text: &str) -> i64 {
    let code = RegionCode::parse(region).unwrap();
    let unit = app.store.organisations_in(&code, false).await.unwrap()[0].id;
    app.store
        .create_finding(
            &Change::new("test", "a finding"),
            NewFinding {
                region_code: code,
                source: Source::Media,
                inspection_id: None,
                complaint_id: None,
                source_ref: "报道".into(),
                serial: String::new(),
                category: Category::Water,
                severity: Severity::General,
                text: text.into(),
                measures: String::new(),
                units: vec![unit],
                posts: vec![],
                deadline: deadline.map(in_days),
                review_every_days: deadline.is_none().then_some(90),
            },
            in_days(0),
        )
        .await
        .unwrap()
        .id
}

/// A closed finding of 孟州市: closure asked for with evidence by the unit, verified and closed
/// by the inspector.
async fn closed_finding(app: &TestApp) -> i64 {
    use ecoduty_domain::supervision::evidence::EvidencePolicy;
    use ecoduty_store::supervision::findings::FindingAction;
    let id = finding_in(app, "410883", Some(30), "已销号的问题").await;
    let (evidence, _) = app
        .store
        .add_evidence(
            &Change::new("unit", "evidence"),
            "done.txt",
            "整改完成情况说明".as_bytes(),
            &EvidencePolicy::default(),
        )
        .await
        .unwrap();
    let s = &app.store;
    let today = in_days(0);
    s.transition_finding(
        &Change::new("unit", "request"),
        id,
        FindingAction::RequestClosure {
            evidence: vec![evidence],
        },
        "已整改",
        today,
    )
    .await
    .unwrap();
    for action in [FindingAction::Verify, FindingAction::Close] {
        s.transition_finding(&Change::new("inspector", "verify"), id, action, "", today)
            .await
            .unwrap();
    }
    assert_eq!(
        s.finding(id).await.unwrap().unwrap().status,
        ecoduty_domain::supervision::finding::Status::Closed
    );
    id
}

async fn deadlines_are_extended_in_bulk_all_or_nothing(app: TestApp) {
    let a = finding_in(&app, "410883", Some(30), "第一个待延期问题").await;
    let b = finding_in(&app, "410882", Some(45), "第二个待延期问题").await;
    let long_term = finding_in(&app, "410883", None, "长期坚持的问题").await;
    let closed = closed_finding(&app).await;
    let foreign = finding_in(&app, "451322", Some(30), "象州县的问题").await;
    let (c, csrf) = app.sign_in("jz.admin").await;

    // The list offers the form, and a box for each finding being rectified only.
    let html = c
        .get(app.at("/findings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"bulk-extend\"") && html.contains("id=\"bulk-deadline\""));
    assert!(
        html.contains(&format!("id=\"pick-{a}\"")) && html.contains(&format!("id=\"pick-{b}\""))
    );
    assert!(!html.contains(&format!("id=\"pick-{long_term}\"")));
    assert!(!html.contains(&format!("id=\"pick-{closed}\"")));
    assert!(
        !html.contains(&format!("id=\"pick-{foreign}\"")),
        "not in the region"
    );

    let post = |ids: Vec<i64>, deadline: chrono::NaiveDate, comment: &str, csrf: &str| {
        let mut f: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.to_string()),
            ("deadline".into(), deadline.to_string()),
            ("comment".into(), comment.to_string()),
        ];
        f.extend(
            ids.into_iter()
                .map(|i| ("finding".to_string(), i.to_string())),
        );
        c.post(app.at("/findings/extend")).form(&f).send()
    };
    let deadline_of = |id: i64| {
        let s = app.store.clone();
        async move { s.finding(id).await.unwrap().unwrap().deadline }
    };
    let entries = app.store.verify_ledger().await.unwrap().entries;

    // One bad finding among good ones: every refusal listed, nothing changed.
    let res = post(
        vec![a, b, long_term, closed, foreign],
        in_days(90),
        "汛期施工受限,申请延期",
        &csrf,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"bulk-refusals\""), "{html}");
    for id in [long_term, closed, foreign] {
        assert!(
            html.contains(&format!("data-finding=\"{id}\"")),
            "{id} listed: {html}"
        );
    }
    for id in [a, b] {
        assert!(
            !html.contains(&format!("data-finding=\"{id}\"")),
            "{id} was fine"
        );
        // Kept ticked, with the deadline and the reason as typed.
        assert!(
            html.contains(&format!("value=\"{id}\" id=\"pick-{id}\" checked")),
            "{html}"
        );
    }
    assert!(html.contains("不能延期") && html.contains("长期坚持") && html.contains("已销号"));
    assert!(html.contains("不在您的管辖范围内"));
    assert!(html.contains("汛期施工受限,申请延期") && html.contains(&in_days(90).to_string()));
    assert_eq!(deadline_of(a).await, Some(in_days(30)));
    assert_eq!(deadline_of(b).await, Some(in_days(45)));
    assert_eq!(
        app.store.verify_ledger().await.unwrap().entries,
        entries,
        "a refusal writes nothing"
    );

    // Not later than the current deadline; a day already past; no reason; nothing chosen.
    let res = post(vec![a, b], in_days(40), "延期", &csrf).await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("data-finding=\"{b}\"")) && html.contains("须晚于原时限"),
        "{html}"
    );
    assert!(!html.contains(&format!("data-finding=\"{a}\"")));
    assert_eq!(deadline_of(a).await, Some(in_days(30)), "all or nothing");
    let res = post(vec![a], in_days(-1), "延期", &csrf).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("已过"));
    let res = post(vec![a], in_days(90), "  ", &csrf).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("须填写说明"));
    let res = post(vec![], in_days(90), "延期", &csrf).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("请至少选择一个问题"));
    assert_eq!(app.store.verify_ledger().await.unwrap().entries, entries);

    // In English, the reasons are English.
    c.get(app.at("/lang/en?next=%2Ffindings"))
        .send()
        .await
        .unwrap();
    let res = post(
        vec![a, long_term, foreign],
        in_days(90),
        "flood season",
        &csrf,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("No deadline was extended"), "{html}");
    assert!(
        html.contains("cannot extend the deadline: the finding is &quot;Long-term&quot;"),
        "{html}"
    );
    assert!(
        html.contains(&format!("no finding {foreign} in your region")),
        "{html}"
    );
    assert!(!html.contains("不能延期"));
    c.get(app.at("/lang/zh?next=%2Ffindings"))
        .send()
        .await
        .unwrap();

    // Without the form's token, or by a role that may not: refused, nothing changed.
    let res = post(vec![a], in_days(90), "延期", "wrong").await.unwrap();
    assert_eq!(res.status(), 403);
    let (leader, leader_csrf) = app.sign_in("jz.leader").await;
    // (Signing in is recorded; what follows must add nothing.)
    let entries = app.store.verify_ledger().await.unwrap().entries;
    let html = leader
        .get(app.at("/findings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("id=\"bulk-deadline\"") && !html.contains(&format!("id=\"pick-{a}\"")));
    let res = leader
        .post(app.at("/findings/extend"))
        .form(&[
            ("csrf", leader_csrf.as_str()),
            ("finding", &a.to_string()),
            ("deadline", &in_days(90).to_string()),
            ("comment", "延期"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.store.verify_ledger().await.unwrap().entries, entries);

    // All good: each extended, each its own version and ledger entry with the reason.
    let res = post(vec![a, b], in_days(90), "汛期施工受限,申请延期", &csrf)
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/findings?extended=2&ok=deadlines_extended"
    );
    for id in [a, b] {
        assert_eq!(deadline_of(id).await, Some(in_days(90)));
        let history = app.store.finding_history(id).await.unwrap();
        let last = history.last().unwrap();
        assert_eq!(last.step.event, "extend_deadline");
        assert_eq!(last.step.comment, "汛期施工受限,申请延期");
        assert_eq!(last.step.actor, "user:jz.admin");
    }
    assert_eq!(
        app.store.verify_ledger().await.unwrap().entries,
        entries + 2
    );
    let done = c
        .get(app.at("/findings?extended=2&ok=deadlines_extended"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("整改时限已延期"));
    app.finish().await;
}

/// A user of 来宾市, above 象州县: its townships' units lie two levels below.
async fn prefecture_user_above_the_townships(app: &TestApp) {
    use ecoduty_domain::access::UserRole;
    use ecoduty_store::users::NewUser;
    let hash = ecoduty_web::auth::password::hash(common::PASSWORD.into())
        .await
        .unwrap();
    app.store
        .create_user(
            &Change::new("test", "a prefecture user"),
            NewUser {
                username: "lb.admin".into(),
                display_name: "来宾市管理员".into(),
                role: UserRole::RegionAdmin,
                region_code: Some(RegionCode::parse("451300").unwrap()),
                password_hash: hash,
                one_time: false,
            },
        )
        .await
        .unwrap();
}

async fn unit_pickers_reach_every_region_in_scope(app: TestApp) {
    prefecture_user_above_the_townships(&app).await;
    let township = RegionCode::parse("451322105").unwrap();
    let township_unit = app.store.organisations_in(&township, false).await.unwrap()[0].clone();
    let county_unit = app
        .store
        .organisations_in(&RegionCode::parse("451322").unwrap(), false)
        .await
        .unwrap()[0]
        .clone();
    let jz_unit = app
        .store
        .organisations_in(&RegionCode::parse("410883").unwrap(), false)
        .await
        .unwrap()[0]
        .clone();
    let (c, csrf) = app.sign_in("lb.admin").await;
    let get = |path: String| {
        let c = c.clone();
        let url = app.at(&path);
        async move {
            let res = c.get(url).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let option = |id: i64| format!("<option value=\"{id}\"");

    // By default: the user's region and the one below it, and a labelled region chooser
    // offering the regions under it.
    let (status, html) = get("/findings/new".into()).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<label for=\"units-in\"") && html.contains("id=\"unit-region\""),
        "{html}"
    );
    assert!(
        html.contains(&option(county_unit.id)),
        "the county's units are offered"
    );
    assert!(
        !html.contains(&option(township_unit.id)),
        "two levels down: not by default"
    );
    assert!(
        html.contains("<option value=\"451322\""),
        "the county can be chosen"
    );
    // Choosing the county (a GET, no script) offers its townships' units.
    let (status, html) = get("/findings/new?units_in=451322".into()).await;
    assert_eq!(status, 200);
    assert!(html.contains(&option(township_unit.id)), "{html}");
    assert!(
        html.contains("<option value=\"451322105\""),
        "and its townships can be chosen"
    );
    assert!(
        html.contains("<option value=\"451300\""),
        "and the way back up"
    );
    assert!(
        html.contains("name=\"units_in\" value=\"451322\""),
        "kept by the form"
    );
    // Down to a township.
    let (status, html) = get("/findings/new?units_in=451322105".into()).await;
    assert_eq!(status, 200);
    assert!(html.contains(&option(township_unit.id)));
    assert!(!html.contains(&option(county_unit.id)));
    // A region outside the user's scope is neither offered nor accepted.
    let (status, html) = get("/findings/new?units_in=410800".into()).await;
    assert_eq!(status, 404);
    assert!(!html.contains(&option(jz_unit.id)));
    let (status, _) = get("/findings/new?units_in=nonsense".into()).await;
    assert_eq!(status, 404);
    let (status, _) = get("/checks?units_in=410883".into()).await;
    assert_eq!(status, 404);

    // The same chooser on the checks register and a complaint's page.
    let (status, html) = get("/checks?units_in=451322".into()).await;
    assert_eq!(status, 200);
    assert!(html.contains(&option(township_unit.id)) && html.contains("id=\"check-on\""));

    // A finding assigned to a township's unit through the form.
    let res = c
        .post(app.at("/findings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("units_in", "451322105"),
            ("region_code", "451322105"),
            ("source", "media"),
            ("source_ref", "报道"),
            ("category", "water"),
            ("severity", "general"),
            ("text", "乡镇污水处理站未正常运行"),
            ("deadline", &in_days(60).to_string()),
            ("units", &township_unit.id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // Refused, the form comes back with the chosen region's units.
    let res = c
        .post(app.at("/findings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("units_in", "451322105"),
            ("region_code", "451322105"),
            ("source", "media"),
            ("category", "water"),
            ("severity", "general"),
            ("text", "乡镇污水处理站未正常运行"),
            ("deadline", &in_days(60).to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains(&option(township_unit.id)));
    // A unit outside the user's region is not accepted.
    let res = c
        .post(app.at("/findings"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("region_code", "451322"),
            ("source", "media"),
            ("category", "water"),
            ("severity", "general"),
            ("text", "跨区划的单位"),
            ("deadline", &in_days(60).to_string()),
            ("units", &jz_unit.id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);

    // A nationwide administrator types an id, or chooses a region to pick from.
    let (admin, _) = app.sign_in("admin").await;
    let html = admin
        .get(app.at("/findings/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"nf-units\" name=\"units\" type=\"text\""),
        "{html}"
    );
    assert!(html.contains("<input id=\"units-in\" name=\"units_in\""));
    let html = admin
        .get(app.at("/findings/new?units_in=451322105"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&option(township_unit.id)));
    app.finish().await;
}

on_both_backends!(
    unit_pickers_reach_every_region_in_scope,
    deadlines_are_extended_in_bulk_all_or_nothing,
    an_inspection_is_recorded_through_the_form,
    a_plan_its_task_and_a_dispatch_round_are_made_through_forms,
    a_finding_is_assigned_through_the_form,
    progress_is_reported_on_a_task_page,
    a_finding_is_found_and_stepped_through_its_page,
    the_ledger_sheet_is_exported_and_imported_all_or_nothing,
    the_checks_register_refuses_and_takes_an_override,
    the_inbox_counts_and_marks_notifications,
);
