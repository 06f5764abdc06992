//! The supervision loop in the store, on both backends: a finding's life from inspection to
//! closure (with a return for rework and the separation of duties), overdue escalation under a
//! fake clock, evidence refusals, Art. 15's refusal and override, a dispatch round with a late
//! unit, a complaint promoted to a finding, the scheduler's idempotence alone and concurrently,
//! the outbox retrying against a receiver that fails first, a ledger import refused whole —
//! and the change ledger intact after each.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Duration;
use common::{change, code, date, TestDb};
use ecoduty_domain::access::UserRole;
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::supervision::checks::{CheckKind, CheckLimits, CheckStatus, Limit, Violation};
use ecoduty_domain::supervision::complaints::{Channel, ComplaintStatus};
use ecoduty_domain::supervision::evidence::EvidencePolicy;
use ecoduty_domain::supervision::finding::Status;
use ecoduty_domain::supervision::sheet::{parse_sheet, COLUMNS};
use ecoduty_domain::supervision::tasks::{Basis, Milestone, TaskStatus, UnitReport};
use ecoduty_domain::supervision::{
    Category, InspectionKind, InspectionLevel, ItemKind, NoticeKind, Severity, Source,
};
use ecoduty_domain::{OrganisationKind, OrganisationSpec, RegionLevel, Role};
use ecoduty_store::supervision::checks::{CheckFilter, CheckOverride, NewCheck};
use ecoduty_store::supervision::complaints::{NewComplaint, Promotion};
use ecoduty_store::supervision::findings::{FindingAction, FindingFilter, NewFinding, SheetImport};
use ecoduty_store::supervision::inspections::{InspectionFilter, NewInspection};
use ecoduty_store::supervision::notifications::Recipient;
use ecoduty_store::supervision::outbox::OutboxConfig;
use ecoduty_store::supervision::plans::{NewPlan, NewProgress, NewRound, NewTask};
use ecoduty_store::supervision::scheduler::SchedulerConfig;
use ecoduty_store::supervision::{EvidenceRef, FixedClock, PageRequest};
use ecoduty_store::tenures::NewTenure;
use ecoduty_store::users::NewUser;
use ecoduty_store::{Backend, Change, Store, StoreError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The world of the tests: 焦作市 (410800) and 孟州市 (410883) under it, each with a housing
/// bureau whose director's post is held; users at both levels.
struct World {
    city_gov: i64,
    city_eco: i64,
    city_housing: i64,
    county_housing: i64,
    city_housing_head: i64,
    county_housing_head: i64,
    /// The person holding the county bureau's post.
    county_head_person: i64,
    city_admin: i64,
    city_inspector: i64,
    county_officer: i64,
    county_leader: i64,
    county_auditor: i64,
}

async fn org(
    s: &Store,
    c: &Change,
    region: &str,
    name: &str,
    kind: OrganisationKind,
    eco: bool,
) -> i64 {
    s.add_organisation(
        c,
        OrganisationSpec {
            region_code: code(region),
            name: name.into(),
            kind,
            eco_department: eco,
            eco_duties: !eco && kind == OrganisationKind::Department,
        },
    )
    .await
    .unwrap()
    .id
}

async fn held_post(
    s: &Store,
    c: &Change,
    organisation_id: i64,
    title: &str,
    role: Role,
    person: &str,
) -> (i64, i64) {
    let post = s
        .add_post(
            c,
            PostSpec {
                organisation_id,
                title: title.into(),
                role,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let p = s.add_person(c, person, None).await.unwrap();
    s.add_tenure(
        c,
        NewTenure {
            post_id: post.id,
            person_id: p.id,
            start_date: date("2020-01-01"),
            end_date: None,
            acting: false,
        },
    )
    .await
    .unwrap();
    (post.id, p.id)
}

async fn user(s: &Store, name: &str, role: UserRole, region: &str) -> i64 {
    s.create_user(
        &change("建立用户"),
        NewUser {
            username: name.into(),
            display_name: name.into(),
            role,
            region_code: Some(code(region)),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            one_time: false,
        },
    )
    .await
    .unwrap()
    .id
}

async fn world(s: &Store) -> World {
    use OrganisationKind::*;
    let c = change("建立测试单位");
    let city_gov = org(s, &c, "410800", "焦作市人民政府", Government, false).await;
    let city_eco = org(s, &c, "410800", "焦作市生态环境局", Department, true).await;
    let city_housing = org(s, &c, "410800", "焦作市住房和城乡建设局", Department, false).await;
    let county_housing = org(s, &c, "410883", "孟州市住房和城乡建设局", Department, false).await;
    let (city_housing_head, _) = held_post(
        s,
        &c,
        city_housing,
        "局长",
        Role::SectorDepartmentHead,
        "韩立川",
    )
    .await;
    let (county_housing_head, county_head_person) = held_post(
        s,
        &c,
        county_housing,
        "局长",
        Role::SectorDepartmentHead,
        "周明远",
    )
    .await;
    World {
        city_gov,
        city_eco,
        city_housing,
        county_housing,
        city_housing_head,
        county_housing_head,
        county_head_person,
        city_admin: user(s, "jz.admin", UserRole::RegionAdmin, "410800").await,
        city_inspector: user(s, "jz.inspector", UserRole::Inspector, "410800").await,
        county_officer: user(s, "mz.officer", UserRole::Officer, "410883").await,
        county_leader: user(s, "mz.leader", UserRole::Leader, "410883").await,
        county_auditor: user(s, "mz.auditor", UserRole::Auditor, "410883").await,
    }
}

fn as_actor(actor: &str, reason: &str) -> Change {
    Change::new(actor, reason)
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {text}\n").into_bytes()
}

async fn evidence(s: &Store, actor: &str, name: &str, text: &str) -> EvidenceRef {
    s.add_evidence(
        &as_actor(actor, "上传整改佐证"),
        name,
        &pdf(text),
        &EvidencePolicy::default(),
    )
    .await
    .unwrap()
    .0
}

async fn inspection(s: &Store) -> i64 {
    s.create_inspection(
        &change("省级督察进驻"),
        NewInspection {
            level: InspectionLevel::Provincial,
            kind: InspectionKind::Routine,
            title: "第二轮省级生态环境保护督察".into(),
            regions: vec![code("410800")],
            start_date: date("2026-03-01"),
            end_date: date("2026-04-01"),
            team: "组长:李文海;成员:王宁、陈曦".into(),
        },
    )
    .await
    .unwrap()
    .id
}

fn county_finding(w: &World, inspection_id: i64, deadline: &str) -> NewFinding {
    NewFinding {
        region_code: code("410883"),
        source: Source::Inspection,
        inspection_id: Some(inspection_id),
        complaint_id: None,
        source_ref: String::new(),
        serial: String::new(),
        category: Category::Air,
        severity: Severity::Serious,
        text: "城区多处建筑工地扬尘管控不到位,裸土未覆盖".into(),
        measures: "全面排查在建工地,落实六个百分之百".into(),
        units: vec![w.county_housing],
        posts: vec![w.county_housing_head],
        deadline: Some(date(deadline)),
        review_every_days: None,
    }
}

async fn ledger_ok(s: &Store) {
    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    assert!(
        s.check_finding_heads().await.unwrap().is_empty(),
        "finding_heads disagrees with the versions"
    );
}

fn invalid(e: StoreError) -> String {
    assert!(e.is_user_error(), "{e:?}");
    e.to_string()
}

async fn a_findings_life_from_inspection_to_closure(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let insp = inspection(s).await;
    let f = s
        .create_finding(
            &as_actor("jz.inspector", "督察交办"),
            county_finding(&w, insp, "2026-06-30"),
            date("2026-04-02"),
        )
        .await
        .unwrap();
    assert_eq!((f.status, f.rev), (Status::Assigned, 1));
    let unit = "mz.officer";
    let step =
        |actor: &'static str, action: FindingAction, comment: &'static str, on: &'static str| {
            let s = s.clone();
            async move {
                s.transition_finding(
                    &as_actor(actor, "整改流程"),
                    f.id,
                    action,
                    comment,
                    date(on),
                )
                .await
            }
        };
    step(unit, FindingAction::Start, "", "2026-04-03")
        .await
        .unwrap();
    step(
        unit,
        FindingAction::Progress {
            text: "已排查工地43处,整改31处".into(),
        },
        "",
        "2026-05-01",
    )
    .await
    .unwrap();
    // A closure request without evidence, or citing a file that is not stored, is refused.
    let e = invalid(
        step(
            unit,
            FindingAction::RequestClosure { evidence: vec![] },
            "已完成",
            "2026-05-20",
        )
        .await
        .unwrap_err(),
    );
    assert!(e.contains("佐证"), "{e}");
    let ghost = EvidenceRef {
        sha256: "0".repeat(64),
        name: "无.pdf".into(),
    };
    assert!(step(
        unit,
        FindingAction::RequestClosure {
            evidence: vec![ghost]
        },
        "已完成",
        "2026-05-20"
    )
    .await
    .is_err());
    let first = evidence(s, unit, "整改报告.pdf", "第一版").await;
    step(
        unit,
        FindingAction::RequestClosure {
            evidence: vec![first.clone()],
        },
        "已完成整改",
        "2026-05-20",
    )
    .await
    .unwrap();
    // The requester cannot verify their own closure.
    let e = invalid(
        step(unit, FindingAction::Verify, "", "2026-05-21")
            .await
            .unwrap_err(),
    );
    assert!(e.contains("职责分离"), "{e}");
    // Verification finds it wanting: back to rework.
    let back = step(
        "jz.inspector",
        FindingAction::Return,
        "现场仍有两处裸土未覆盖",
        "2026-05-25",
    )
    .await
    .unwrap();
    assert_eq!(back.status, Status::InProgress);
    assert!(back.closure_evidence.is_empty());
    let second = evidence(s, unit, "补充材料.pdf", "第二版").await;
    step(
        unit,
        FindingAction::RequestClosure {
            evidence: vec![second.clone()],
        },
        "两处已覆盖",
        "2026-06-10",
    )
    .await
    .unwrap();
    let v = step(
        "jz.inspector",
        FindingAction::Verify,
        "现场核查通过",
        "2026-06-12",
    )
    .await
    .unwrap();
    assert_eq!(
        (v.status, v.verified_by.as_deref()),
        (Status::Verified, Some("jz.inspector"))
    );
    assert!(
        step(unit, FindingAction::Close, "", "2026-06-13")
            .await
            .is_err(),
        "the requester cannot close"
    );
    let closed = step("jz.admin", FindingAction::Close, "予以销号", "2026-06-13")
        .await
        .unwrap();
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.closure_evidence, vec![second]);
    assert!(step(
        "jz.admin",
        FindingAction::Progress { text: "x".into() },
        "",
        "2026-06-14"
    )
    .await
    .is_err());

    // The whole life, step by step, with who did what, and one ledger entry each.
    let history = s.finding_history(f.id).await.unwrap();
    let steps: Vec<(&str, &str)> = history
        .iter()
        .map(|v| (v.step.event.as_str(), v.step.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            ("create", "jz.inspector"),
            ("start", unit),
            ("progress", unit),
            ("request_closure", unit),
            ("return", "jz.inspector"),
            ("request_closure", unit),
            ("verify", "jz.inspector"),
            ("close", "jz.admin"),
        ]
    );
    assert_eq!(history[4].step.comment, "现场仍有两处裸土未覆盖");
    let log = s.entity_log("finding", &f.id.to_string()).await.unwrap();
    assert_eq!(log.len(), history.len());
    assert_eq!(log[4].action, "return");
    assert_eq!(log[4].region_code.as_deref(), Some("410883"));
    assert_eq!(
        log[4].before.as_ref().unwrap()["status"],
        "closure_requested"
    );
    // Lists find it by the inspection, the region and the status.
    let by_inspection = s
        .findings_page(
            &FindingFilter {
                inspection_id: Some(insp),
                ..Default::default()
            },
            PageRequest::first(10),
        )
        .await
        .unwrap();
    assert_eq!(by_inspection.items.len(), 1);
    let closed_in_city = s
        .findings_page(
            &FindingFilter {
                within: Some(code("410800")),
                statuses: vec![Status::Closed],
                ..Default::default()
            },
            PageRequest::first(10),
        )
        .await
        .unwrap();
    assert_eq!(closed_in_city.items[0].id, f.id);
    let inspections = s
        .inspections_page(
            &InspectionFilter {
                within: Some(code("410883")),
                ..Default::default()
            },
            PageRequest::first(5),
        )
        .await
        .unwrap();
    assert_eq!(
        inspections.items.len(),
        1,
        "an inspection of the city covers its counties' lists"
    );
    ledger_ok(s).await;
    db.finish().await;
}

async fn separation_of_duties_is_enforced_in_the_store(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let insp = inspection(s).await;
    let f = s
        .create_finding(
            &change("交办"),
            county_finding(&w, insp, "2026-06-30"),
            date("2026-04-02"),
        )
        .await
        .unwrap();
    let e = evidence(s, "张三", "a.pdf", "x").await;
    s.transition_finding(
        &as_actor("张三", "申请销号"),
        f.id,
        FindingAction::RequestClosure { evidence: vec![e] },
        "完成",
        date("2026-05-01"),
    )
    .await
    .unwrap();
    let before = s.verify_ledger().await.unwrap().entries;
    for action in [FindingAction::Verify, FindingAction::Return] {
        let err = s
            .transition_finding(
                &as_actor("张三", "验收"),
                f.id,
                action,
                "自验",
                date("2026-05-02"),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("职责分离"), "{err}");
    }
    assert_eq!(
        s.verify_ledger().await.unwrap().entries,
        before,
        "a refusal writes nothing"
    );
    assert_eq!(
        s.finding(f.id).await.unwrap().unwrap().status,
        Status::ClosureRequested
    );
    ledger_ok(s).await;
    db.finish().await;
}

async fn evidence_is_checked_stored_once_and_tamper_evident(db: TestDb) {
    let s = &db.store;
    let before = s.verify_ledger().await.unwrap().entries;
    let c = change("上传佐证");
    // A program named .pdf, and a file over the limit, are refused and nothing is stored.
    let e = invalid(
        s.add_evidence(
            &c,
            "整改报告.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00",
            &EvidencePolicy::default(),
        )
        .await
        .unwrap_err(),
    );
    assert!(e.contains("可执行程序"), "{e}");
    let small = EvidencePolicy { max_bytes: 16 };
    let e = invalid(
        s.add_evidence(&c, "长.pdf", &pdf("超过十六个字节的内容"), &small)
            .await
            .unwrap_err(),
    );
    assert!(e.contains("超过上限"), "{e}");
    assert!(s
        .add_evidence(&c, "空.txt", b"", &EvidencePolicy::default())
        .await
        .is_err());
    assert_eq!(s.verify_ledger().await.unwrap().entries, before);
    // Identical content is stored once, whatever its name.
    let (a, info) = s
        .add_evidence(
            &c,
            "C:\\文件\\报告.pdf",
            &pdf("同一内容"),
            &EvidencePolicy::default(),
        )
        .await
        .unwrap();
    let (b, _) = s
        .add_evidence(&c, "副本.pdf", &pdf("同一内容"), &EvidencePolicy::default())
        .await
        .unwrap();
    assert_eq!((a.name.as_str(), b.name.as_str()), ("报告.pdf", "副本.pdf"));
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(info.media_type, "application/pdf");
    assert_eq!(s.verify_ledger().await.unwrap().entries, before + 1);
    let (got, bytes) = s.evidence_content(&a.sha256).await.unwrap().unwrap();
    assert_eq!((got, bytes), (info, pdf("同一内容")));
    // Never overwritten: the database refuses, and a file changed behind its back is found.
    assert!(sqlx::query("UPDATE evidence_blobs SET size = 1")
        .execute(s.pool())
        .await
        .is_err());
    ledger_ok(s).await;
    let disable = match s.backend() {
        Backend::Sqlite => "DROP TRIGGER evidence_blobs_no_update",
        Backend::Postgres => {
            "ALTER TABLE evidence_blobs DISABLE TRIGGER evidence_blobs_append_only"
        }
    };
    sqlx::query(disable).execute(s.pool()).await.unwrap();
    let forged = pdf("篡改后的内容");
    sqlx::query("UPDATE evidence_blobs SET content = $1")
        .bind(forged)
        .execute(s.pool())
        .await
        .unwrap();
    let report = s.verify_ledger().await.unwrap();
    assert!(report.first_mismatch.unwrap().problem.contains("evidence"));
    db.finish().await;
}

async fn art15_refuses_a_check_over_the_limit_and_records_an_override(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let mut limits = CheckLimits::default();
    limits.by_level.insert(
        RegionLevel::Prefecture,
        Limit {
            max_per_year: 1,
            min_days_between: 60,
        },
    );
    s.set_check_rules(&change("本地监督检查限额"), limits)
        .await
        .unwrap();
    let plan = |by: i64, day: &str| NewCheck {
        by_organisation_id: by,
        on_organisation_id: w.county_housing,
        kind: CheckKind::Inspection,
        subject: "建筑工地扬尘治理检查".into(),
        date: date(day),
    };
    let first = s
        .plan_check(&change("计划检查"), plan(w.city_eco, "2026-03-01"), None)
        .await
        .unwrap();
    assert!(first.check.violations.is_empty() && first.merge_with.is_empty());
    // A second prefecture-level check of the same unit 19 days later breaks both limits.
    let entries = s.verify_ledger().await.unwrap().entries;
    let e = invalid(
        s.plan_check(
            &change("计划检查"),
            plan(w.city_housing, "2026-03-20"),
            None,
        )
        .await
        .unwrap_err(),
    );
    assert!(
        e.contains("第十五条") && e.contains("上限为每年1次") && e.contains("相隔至少60天"),
        "{e}"
    );
    assert_eq!(
        s.verify_ledger().await.unwrap().entries,
        entries,
        "a refusal writes nothing"
    );
    let assessed = s
        .assess_check(&plan(w.city_housing, "2026-03-20"))
        .await
        .unwrap();
    assert_eq!(assessed.violations.len(), 2);
    assert_eq!(assessed.merge_with.len(), 1);
    // An officer may not override; an administrator of a region covering the unit may, in
    // writing.
    let by_officer = CheckOverride {
        username: "mz.officer".into(),
        justification: "群众投诉集中,须立即检查".into(),
    };
    assert!(invalid(
        s.plan_check(
            &change("超限"),
            plan(w.city_housing, "2026-03-20"),
            Some(by_officer)
        )
        .await
        .unwrap_err()
    )
    .contains("无权"));
    let terse = CheckOverride {
        username: "jz.admin".into(),
        justification: "急".into(),
    };
    assert!(s
        .plan_check(
            &change("超限"),
            plan(w.city_housing, "2026-03-20"),
            Some(terse)
        )
        .await
        .is_err());
    let admin = CheckOverride {
        username: "jz.admin".into(),
        justification: "群众投诉集中,须立即检查".into(),
    };
    let second = s
        .plan_check(
            &change("超限登记"),
            plan(w.city_housing, "2026-03-20"),
            Some(admin),
        )
        .await
        .unwrap();
    assert_eq!(second.check.override_by.as_deref(), Some("jz.admin"));
    assert!(matches!(
        second.check.violations[0],
        Violation::TooMany {
            max_per_year: 1,
            ..
        }
    ));
    assert_eq!(
        second.merge_with[0].id, first.check.id,
        "the close check is offered for merging"
    );
    let log = s
        .entity_log("check", &second.check.id.to_string())
        .await
        .unwrap();
    assert_eq!(log[0].action, "plan_override");
    assert_eq!(
        log[0].after.as_ref().unwrap()["override_justification"],
        "群众投诉集中,须立即检查"
    );
    // A county-level check is under the county's limits, not the prefecture's.
    let county_gov = s
        .add_organisation(
            &change("建立"),
            OrganisationSpec {
                region_code: code("410883"),
                name: "孟州市人民政府".into(),
                kind: OrganisationKind::Government,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    s.plan_check(&change("计划检查"), plan(county_gov.id, "2026-05-01"), None)
        .await
        .unwrap();
    let merges = s
        .check_merge_suggestions(Some(&code("410800")), 2026)
        .await
        .unwrap();
    assert_eq!(merges.len(), 1);
    assert_eq!(
        (
            merges[0].first.id,
            merges[0].second.id,
            merges[0].days_apart
        ),
        (first.check.id, second.check.id, 19)
    );
    s.set_check_status(&change("已开展"), first.check.id, CheckStatus::Done)
        .await
        .unwrap();
    let burden = s.check_burden(Some(&code("410800")), 2026).await.unwrap();
    assert_eq!(burden.len(), 1);
    assert_eq!(
        (burden[0].unit.id, burden[0].total, burden[0].done),
        (w.county_housing, 3, 1)
    );
    assert_eq!(burden[0].by_body.len(), 3);
    let listed = s
        .checks_page(
            &CheckFilter {
                within: Some(code("410883")),
                year: Some(2026),
                ..Default::default()
            },
            PageRequest::first(2),
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 2);
    assert!(listed.next_before.is_some());
    let rest = s
        .checks_page(
            &CheckFilter {
                within: Some(code("410883")),
                year: Some(2026),
                ..Default::default()
            },
            PageRequest {
                before: listed.next_before,
                limit: 2,
            },
        )
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert!(s
        .checks_page(
            &CheckFilter {
                within: Some(code("451322")),
                ..Default::default()
            },
            PageRequest::first(5)
        )
        .await
        .unwrap()
        .items
        .is_empty());
    let _ = w.city_gov;
    ledger_ok(s).await;
    db.finish().await;
}

async fn a_dispatch_round_shows_a_late_unit(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let plan = s
        .create_plan(
            &change("印发年度计划"),
            NewPlan {
                region_code: code("410800"),
                year: 2026,
                title: "焦作市2026年生态环境保护重点工作计划".into(),
            },
        )
        .await
        .unwrap();
    assert!(s
        .create_plan(
            &change("重复"),
            NewPlan {
                region_code: code("410800"),
                year: 2026,
                title: "又一个".into()
            }
        )
        .await
        .is_err());
    let task = |title: &str, lead: i64, post: i64| NewTask {
        plan_id: plan.id,
        title: title.into(),
        basis: Basis::parse("第八条第二项").unwrap(),
        lead_organisation_id: lead,
        responsible_post_id: Some(post),
        cooperating: vec![w.city_eco],
        deadline: date("2026-12-31"),
        milestones: vec![Milestone::parse("2026-06-30:完成年度任务过半").unwrap()],
    };
    let city_task = s
        .add_task(
            &change("分解任务"),
            task("市区建筑工地扬尘治理", w.city_housing, w.city_housing_head),
        )
        .await
        .unwrap();
    let county_task = s
        .add_task(
            &change("分解任务"),
            task(
                "孟州市老旧小区雨污分流",
                w.county_housing,
                w.county_housing_head,
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        county_task.region_code,
        code("410883"),
        "a task belongs to its lead unit's region"
    );
    // A post of another unit, an unknown indicator, a finding that does not exist: refused.
    assert!(s
        .add_task(
            &change("x"),
            task("错", w.city_housing, w.county_housing_head)
        )
        .await
        .is_err());
    let mut bad = task("错", w.city_housing, w.city_housing_head);
    bad.basis = Basis::Indicator("no_such_indicator".into());
    assert!(s.add_task(&change("x"), bad).await.is_err());
    let mut bad = task("错", w.city_housing, w.city_housing_head);
    bad.basis = Basis::Finding(999);
    assert!(s.add_task(&change("x"), bad).await.is_err());

    let round = s
        .open_dispatch_round(
            &change("开展调度"),
            NewRound {
                region_code: code("410800"),
                title: "一季度重点任务调度".into(),
                opened_on: date("2026-04-01"),
                due_date: date("2026-04-10"),
                year: Some(2026),
            },
        )
        .await
        .unwrap();
    assert_eq!(round.expected.len(), 2);
    let report = |task_id: i64, on: &str, percent: u8| NewProgress {
        task_id,
        organisation_id: None,
        round_id: Some(round.id),
        reported_on: date(on),
        text: "按计划推进".into(),
        percent,
        evidence: vec![],
    };
    let (_, moved) = s
        .report_progress(&change("报送进展"), report(city_task.id, "2026-04-05", 30))
        .await
        .unwrap();
    assert_eq!((moved.status, moved.percent), (TaskStatus::InProgress, 30));
    let status = s
        .dispatch_round_status(round.id, date("2026-04-08"))
        .await
        .unwrap();
    let of = |st: &ecoduty_store::supervision::plans::RoundStatus, org: i64| {
        st.units
            .iter()
            .find(|u| u.organisation_id == org)
            .unwrap()
            .status
    };
    assert_eq!(of(&status, w.city_housing), UnitReport::Reported);
    assert_eq!(of(&status, w.county_housing), UnitReport::Pending);
    let status = s
        .dispatch_round_status(round.id, date("2026-04-11"))
        .await
        .unwrap();
    assert_eq!(of(&status, w.county_housing), UnitReport::Missing);
    assert_eq!(
        (
            status.count(UnitReport::Reported),
            status.count(UnitReport::Missing)
        ),
        (1, 1)
    );

    // The scheduler tells the county's officer (and the bureau's director) on the next day.
    let pass = s
        .run_scheduler_pass(
            &FixedClock::on(date("2026-04-11")),
            &SchedulerConfig::default(),
        )
        .await
        .unwrap();
    assert!(!pass.skipped);
    let told = s
        .notifications_about(ItemKind::DispatchRound, round.id)
        .await
        .unwrap();
    let mut recipients: Vec<Recipient> = told.iter().map(|n| n.recipient).collect();
    recipients.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(
        recipients,
        vec![
            Recipient::Person(w.county_head_person),
            Recipient::User(w.county_officer)
        ]
    );
    assert!(told.iter().all(
        |n| n.notice == NoticeKind::ReportMissing && n.title.contains("孟州市住房和城乡建设局")
    ));

    // The county reports late.
    let evidence = evidence(s, "mz.officer", "进展.pdf", "雨污分流").await;
    let mut late = report(county_task.id, "2026-04-12", 100);
    late.evidence = vec![evidence];
    let (_, done) = s.report_progress(&change("报送进展"), late).await.unwrap();
    assert_eq!(done.status, TaskStatus::Completed);
    let status = s
        .dispatch_round_status(round.id, date("2026-04-12"))
        .await
        .unwrap();
    assert_eq!(of(&status, w.county_housing), UnitReport::Late);
    assert_eq!(s.progress_reports(county_task.id).await.unwrap().len(), 1);
    // A unit that is neither lead nor co-operating cannot report; a completed task takes no more.
    let mut stranger = report(city_task.id, "2026-04-12", 40);
    stranger.organisation_id = Some(w.county_housing);
    assert!(s.report_progress(&change("x"), stranger).await.is_err());
    assert!(s
        .report_progress(&change("x"), report(county_task.id, "2026-04-13", 100))
        .await
        .is_err());
    s.close_dispatch_round(&change("调度结束"), round.id)
        .await
        .unwrap();
    assert!(s
        .report_progress(&change("x"), report(city_task.id, "2026-04-14", 50))
        .await
        .is_err());
    ledger_ok(s).await;
    db.finish().await;
}

async fn a_complaint_is_followed_and_promoted_to_a_finding(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let filed = s
        .file_complaint(
            &change("网上受理"),
            NewComplaint {
                region_code: code("410883"),
                address: "孟州市河阳街道某工地".into(),
                category: Category::Noise,
                channel: Channel::Web,
                text: "工地夜间施工噪声扰民,持续一个月".into(),
                contact: Some("138-0000-0000".into()),
                received_on: date("2026-03-01"),
            },
        )
        .await
        .unwrap();
    let code_typed = filed.tracking_code.to_lowercase().replace('-', "");
    let tracked = s
        .complaint_by_tracking_code(&code_typed)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tracked.status, ComplaintStatus::Received);
    assert!(s
        .complaint_by_tracking_code("0000-0000-0000-0000-0000")
        .await
        .unwrap()
        .is_none());
    assert!(s
        .complaint_by_tracking_code("不是查询码")
        .await
        .unwrap()
        .is_none());
    // The code and the contact stay out of the ledger.
    let log = s
        .entity_log("complaint", &filed.complaint.id.to_string())
        .await
        .unwrap();
    let recorded = serde_json::to_string(&log).unwrap();
    assert!(!recorded.contains("138-0000-0000") && !recorded.contains(&filed.tracking_code));
    assert_eq!(
        s.complaint_contact(filed.complaint.id)
            .await
            .unwrap()
            .as_deref(),
        Some("138-0000-0000")
    );

    let assigned = s
        .assign_complaint(&change("转办"), filed.complaint.id, w.county_housing, None)
        .await
        .unwrap();
    assert_eq!(
        assigned.answer_due,
        Some(date("2026-04-30")),
        "60 days by default"
    );
    let (after, finding) = s
        .promote_complaint(
            &as_actor("mz.officer", "转为督办问题"),
            filed.complaint.id,
            Promotion {
                severity: Severity::General,
                units: vec![w.county_housing],
                posts: vec![w.county_housing_head],
                deadline: date("2026-04-15"),
                measures: "责令停止夜间施工".into(),
            },
            date("2026-03-05"),
        )
        .await
        .unwrap();
    assert_eq!(
        (finding.source, finding.complaint_id, finding.category),
        (Source::Complaint, Some(filed.complaint.id), Category::Noise)
    );
    assert_eq!(after.finding_id, Some(finding.id));
    assert!(s
        .promote_complaint(
            &change("again"),
            filed.complaint.id,
            Promotion {
                severity: Severity::General,
                units: vec![w.county_housing],
                posts: vec![],
                deadline: date("2026-04-15"),
                measures: String::new()
            },
            date("2026-03-05")
        )
        .await
        .is_err());
    let answered = s
        .answer_complaint(
            &as_actor("mz.officer", "答复"),
            filed.complaint.id,
            "已责令停止夜间施工并立案查处",
            date("2026-03-10"),
        )
        .await
        .unwrap();
    assert_eq!(answered.status, ComplaintStatus::Answered);
    let tracked = s
        .complaint_by_tracking_code(&filed.tracking_code)
        .await
        .unwrap()
        .unwrap();
    assert!(tracked.promoted);
    assert_eq!(
        tracked.answer.as_deref(),
        Some("已责令停止夜间施工并立案查处")
    );
    let from_complaints = s
        .findings_page(
            &FindingFilter {
                source: Some(Source::Complaint),
                within: Some(code("410800")),
                ..Default::default()
            },
            PageRequest::first(5),
        )
        .await
        .unwrap();
    assert_eq!(from_complaints.items[0].id, finding.id);
    // A second, unanswered complaint, and the statistics.
    let other = s
        .file_complaint(
            &change("电话受理"),
            NewComplaint {
                region_code: code("410883"),
                address: "".into(),
                category: Category::Noise,
                channel: Channel::Phone,
                text: "夜间工地噪声很大".into(),
                contact: None,
                received_on: date("2026-03-02"),
            },
        )
        .await
        .unwrap();
    s.assign_complaint(
        &change("转办"),
        other.complaint.id,
        w.county_housing,
        Some(date("2026-03-20")),
    )
    .await
    .unwrap();
    let stats = s
        .complaint_statistics(
            Some(&code("410800")),
            date("2026-01-01"),
            date("2026-12-31"),
            date("2026-04-01"),
        )
        .await
        .unwrap();
    assert_eq!(stats.len(), 1);
    assert_eq!(
        (
            stats[0].total,
            stats[0].answered,
            stats[0].overdue,
            stats[0].promoted
        ),
        (2, 1, 1, 1)
    );
    assert!(s
        .complaint_statistics(
            Some(&code("451322")),
            date("2026-01-01"),
            date("2026-12-31"),
            date("2026-04-01")
        )
        .await
        .unwrap()
        .is_empty());
    ledger_ok(s).await;
    db.finish().await;
}

/// Notifications about one finding, as (recipient, notice), sorted.
async fn told_about(s: &Store, finding: i64) -> Vec<(Recipient, NoticeKind)> {
    let mut v: Vec<(Recipient, NoticeKind)> = s
        .notifications_about(ItemKind::Finding, finding)
        .await
        .unwrap()
        .into_iter()
        .map(|n| (n.recipient, n.notice))
        .collect();
    v.sort_by_key(|x| format!("{x:?}"));
    v
}

fn sorted(mut v: Vec<(Recipient, NoticeKind)>) -> Vec<(Recipient, NoticeKind)> {
    v.sort_by_key(|x| format!("{x:?}"));
    v
}

async fn an_overdue_finding_is_escalated_under_a_fake_clock(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let insp = inspection(s).await;
    let f = s
        .create_finding(
            &change("交办"),
            county_finding(&w, insp, "2026-06-30"),
            date("2026-04-02"),
        )
        .await
        .unwrap();
    let clock = FixedClock::on(date("2026-06-20"));
    let config = SchedulerConfig::default();
    let pass = s.run_scheduler_pass(&clock, &config).await.unwrap();
    assert_eq!(
        (pass.findings_marked_overdue, pass.notifications),
        (0, 0),
        "ten days before: nothing"
    );
    clock.set_day(date("2026-06-25"));
    s.run_scheduler_pass(&clock, &config).await.unwrap();
    let person = Recipient::Person(w.county_head_person);
    let officer = Recipient::User(w.county_officer);
    assert_eq!(
        told_about(s, f.id).await,
        sorted(vec![
            (person, NoticeKind::DueSoon),
            (officer, NoticeKind::DueSoon)
        ])
    );
    // The day after the deadline: marked overdue (in the ledger), told locally and one level up.
    clock.set_day(date("2026-07-01"));
    let pass = s.run_scheduler_pass(&clock, &config).await.unwrap();
    assert_eq!(pass.findings_marked_overdue, 1);
    let marked = s.finding(f.id).await.unwrap().unwrap();
    assert_eq!(
        (
            marked.overdue_since,
            marked.step.event.as_str(),
            marked.step.actor.as_str()
        ),
        (Some(date("2026-07-01")), "mark_overdue", "scheduler")
    );
    let expected = sorted(vec![
        (person, NoticeKind::DueSoon),
        (officer, NoticeKind::DueSoon),
        (person, NoticeKind::Overdue),
        (officer, NoticeKind::Overdue),
        (Recipient::User(w.county_leader), NoticeKind::Overdue),
        (Recipient::User(w.city_admin), NoticeKind::Escalated),
        (Recipient::User(w.city_inspector), NoticeKind::Escalated),
    ]);
    assert_eq!(told_about(s, f.id).await, expected);
    assert!(s
        .notifications_for_user(w.county_auditor, false, PageRequest::first(10))
        .await
        .unwrap()
        .items
        .is_empty());
    let inbox = s
        .notifications_for_user(w.city_inspector, true, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(inbox.items.len(), 1);
    assert!(
        inbox.items[0].title.contains("逾期上报"),
        "{}",
        inbox.items[0].title
    );
    s.mark_notification_read(w.city_inspector, inbox.items[0].id, "2026-07-01T09:00:00Z")
        .await
        .unwrap();
    assert_eq!(s.unread_notifications(w.city_inspector).await.unwrap(), 0);
    assert!(
        s.mark_notification_read(w.city_admin, inbox.items[0].id, "x")
            .await
            .is_err(),
        "not their notification"
    );
    let overdue = s
        .findings_page(
            &FindingFilter {
                within: Some(code("410800")),
                overdue: true,
                ..Default::default()
            },
            PageRequest::first(10),
        )
        .await
        .unwrap();
    assert_eq!(overdue.items.len(), 1);
    // The next days: nothing new, nothing twice.
    for day in ["2026-07-01", "2026-07-02"] {
        clock.set_day(date(day));
        let again = s.run_scheduler_pass(&clock, &config).await.unwrap();
        assert_eq!(
            (again.findings_marked_overdue, again.notifications),
            (0, 0),
            "{day}"
        );
    }
    assert_eq!(told_about(s, f.id).await, expected);
    assert_eq!(s.finding_history(f.id).await.unwrap().len(), 2);
    // Long-term items come up for review.
    let lt = s
        .create_finding(
            &change("交办"),
            NewFinding {
                deadline: None,
                review_every_days: Some(30),
                ..county_finding(&w, insp, "2026-06-30")
            },
            date("2026-06-01"),
        )
        .await
        .unwrap();
    clock.set_day(date("2026-07-01"));
    s.run_scheduler_pass(&clock, &config).await.unwrap();
    let reviews = s
        .notifications_about(ItemKind::Finding, lt.id)
        .await
        .unwrap();
    assert!(
        !reviews.is_empty()
            && reviews
                .iter()
                .all(|n| n.notice == NoticeKind::ReviewDue && n.on_day == date("2026-07-01"))
    );
    ledger_ok(s).await;
    db.finish().await;
}

async fn scheduler_passes_are_idempotent_even_when_concurrent(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let insp = inspection(s).await;
    let mut new = Vec::new();
    for k in 0..5 {
        new.push(county_finding(&w, insp, &format!("2026-06-{:02}", 20 + k)));
    }
    let created = s
        .create_findings(&change("交办"), new, date("2026-04-02"))
        .await
        .unwrap();
    // Two processes (two pools), two lease names so that both really run, at once.
    let other = Store::open(&db.url).await.unwrap();
    let clock = FixedClock::on(date("2026-07-01"));
    let a = SchedulerConfig {
        lease_name: "a".into(),
        batch: 2,
        ..SchedulerConfig::default()
    };
    let b = SchedulerConfig {
        lease_name: "b".into(),
        batch: 3,
        ..SchedulerConfig::default()
    };
    let (ra, rb) = tokio::join!(
        s.run_scheduler_pass(&clock, &a),
        other.run_scheduler_pass(&clock, &b)
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(!ra.skipped && !rb.skipped);
    assert_eq!(
        ra.findings_marked_overdue + rb.findings_marked_overdue,
        5,
        "each finding marked once"
    );
    // Per finding: the holder, the county officer and leader told it is overdue, the city's
    // administrator and inspector told it is escalated.
    assert_eq!(
        ra.notifications + rb.notifications,
        5 * 5,
        "each notification written once"
    );
    for f in &created {
        assert_eq!(s.finding_history(f.id).await.unwrap().len(), 2);
        assert_eq!(told_about(s, f.id).await.len(), 5);
    }
    let outbox = s.outbox_status().await.unwrap();
    assert_eq!(outbox.pending, 25, "each notification queued once");
    // Again, sequentially: nothing.
    let again = s
        .run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!((again.findings_marked_overdue, again.notifications), (0, 0));
    // Two passes under one lease at once: one runs, or they take turns; never twice the work.
    let (x, y) = tokio::join!(
        s.run_scheduler_pass(&clock, &a),
        other.run_scheduler_pass(&clock, &a)
    );
    assert_eq!(x.unwrap().notifications + y.unwrap().notifications, 0);
    // A lease held by a live process makes a pass step aside.
    sqlx::query("INSERT INTO scheduler_leases (name, holder, expires_at) VALUES ('held', 'other-process', '2999-01-01T00:00:00.000000Z')")
        .execute(s.pool())
        .await
        .unwrap();
    let held = SchedulerConfig {
        lease_name: "held".into(),
        ..SchedulerConfig::default()
    };
    assert!(s.run_scheduler_pass(&clock, &held).await.unwrap().skipped);
    other.close().await;
    ledger_ok(s).await;
    db.finish().await;
}

/// A webhook receiver on a local port: answers 500 to the first `failures` requests, then 200.
/// Returns its URL, the requests it saw (headers and body) and a count.
async fn receiver(
    failures: usize,
) -> (String, Arc<std::sync::Mutex<Vec<String>>>, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let (seen2, count2) = (seen.clone(), count.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let seen = seen2.clone();
            let count = count2.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let n = count.fetch_add(1, Ordering::SeqCst);
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf).to_string());
                let status = if n < failures {
                    "500 Internal Server Error"
                } else {
                    "200 OK"
                };
                let _ = sock
                    .write_all(
                        format!(
                            "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
            });
        }
    });
    (url, seen, count)
}

async fn the_outbox_retries_until_the_receiver_accepts(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let insp = inspection(s).await;
    s.create_finding(
        &change("交办"),
        county_finding(&w, insp, "2026-06-30"),
        date("2026-04-02"),
    )
    .await
    .unwrap();
    let clock = FixedClock::on(date("2026-06-28"));
    s.run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!(
        s.outbox_status().await.unwrap().pending,
        2,
        "due soon: the director and the officer"
    );

    // Nobody listening: the attempt fails and the rows wait.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let r = s
        .send_outbox_once(&clock, &OutboxConfig::new(dead))
        .await
        .unwrap();
    assert_eq!(
        (r.attempted, r.delivered, r.failed, r.pending),
        (2, 0, 2, 2)
    );

    let (url, seen, count) = receiver(1).await;
    let config = OutboxConfig::new(url);
    // Not due yet: the first failure put them 30 s off.
    let r = s.send_outbox_once(&clock, &config).await.unwrap();
    assert_eq!(r.attempted, 0);
    clock.advance(Duration::seconds(31));
    // The receiver fails the first request and accepts the second.
    let r = s.send_outbox_once(&clock, &config).await.unwrap();
    assert_eq!(
        (r.attempted, r.delivered, r.failed, r.pending),
        (2, 1, 1, 1)
    );
    let status = s.outbox_status().await.unwrap();
    assert_eq!((status.delivered, status.failing), (1, 1));
    clock.advance(Duration::seconds(31));
    assert_eq!(
        s.send_outbox_once(&clock, &config).await.unwrap().attempted,
        0,
        "the second failure doubled the delay"
    );
    clock.advance(Duration::seconds(30));
    let r = s.send_outbox_once(&clock, &config).await.unwrap();
    assert_eq!((r.attempted, r.delivered, r.pending), (1, 1, 0));
    assert_eq!(count.load(Ordering::SeqCst), 3);
    let requests = seen.lock().unwrap().clone();
    assert!(requests.iter().all(|r| r
        .to_ascii_lowercase()
        .contains("idempotency-key: ecoduty-notification-")));
    let body = requests[2].split("\r\n\r\n").nth(1).unwrap();
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["notification"]["notice"], "due_soon");
    assert_eq!(json["attempt"], 3);
    // Delivered rows are not sent again.
    clock.advance(Duration::days(1));
    assert_eq!(
        s.send_outbox_once(&clock, &config).await.unwrap().attempted,
        0
    );
    assert!(s
        .send_outbox_once(&clock, &OutboxConfig::new("ftp://x/"))
        .await
        .is_err());
    ledger_ok(s).await;
    db.finish().await;
}

fn sheet(rows: &[[&str; 8]]) -> Vec<ecoduty_domain::supervision::sheet::SheetRow> {
    let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    let cells: Vec<(usize, Vec<String>)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 2, r.iter().map(|c| c.to_string()).collect()))
        .collect();
    parse_sheet(&header, &cells).unwrap()
}

async fn a_ledger_import_with_a_bad_row_changes_nothing(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let insp = inspection(s).await;
    let file = evidence(s, "mz.officer", "整改台账.pdf", "台账").await;
    let import = SheetImport {
        region_code: code("410800"),
        source: Source::Inspection,
        inspection_id: Some(insp),
        category: None,
        severity: Severity::General,
        review_every_days: 90,
        file: Some(file.clone()),
        check_only: false,
    };
    let before = s.verify_ledger().await.unwrap().entries;
    let bad = sheet(&[
        [
            "1",
            "城区工地扬尘",
            "焦作市住房和城乡建设局",
            "韩立川(局长)",
            "2026-06-30",
            "覆盖裸土",
            "",
            "否",
        ],
        [
            "2",
            "河道黑臭",
            "焦作市水务局",
            "",
            "2026年底",
            "截污纳管",
            "",
            "否",
        ],
        [
            "3",
            "雨污混接",
            "孟州市住房和城乡建设局",
            "查无此人",
            "长期坚持",
            "",
            "",
            "否",
        ],
    ]);
    let err = s
        .import_findings_sheet(&change("导入台账"), &bad, &import, date("2026-04-02"))
        .await
        .unwrap_err();
    let StoreError::Roster(rows) = err else {
        panic!("expected row errors, got {err:?}")
    };
    let at: Vec<(usize, &str)> = rows.0.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(at, vec![(3, "责任单位"), (4, "责任人")]);
    assert!(rows.0[0].message.contains("焦作市水务局"));
    assert_eq!(
        s.verify_ledger().await.unwrap().entries,
        before,
        "nothing written"
    );
    assert!(s
        .findings_page(&FindingFilter::default(), PageRequest::first(5))
        .await
        .unwrap()
        .items
        .is_empty());

    let good = sheet(&[
        [
            "1",
            "城区工地扬尘",
            "焦作市住房和城乡建设局",
            "韩立川(局长)",
            "2026-06-30",
            "覆盖裸土",
            "",
            "否",
        ],
        [
            "2",
            "老旧小区雨污混接",
            "孟州市住房和城乡建设局、焦作市住房和城乡建设局",
            "局长",
            "长期坚持",
            "分片改造",
            "已完成三个小区",
            "否",
        ],
        [
            "3",
            "施工噪声扰民",
            "孟州市住房和城乡建设局",
            "周明远",
            "2026年5月底",
            "限时施工",
            "已整改",
            "是",
        ],
    ]);
    let entries = s.verify_ledger().await.unwrap().entries;
    let checked = s
        .import_findings_sheet(
            &change("核对台账"),
            &good,
            &SheetImport {
                check_only: true,
                ..import.clone()
            },
            date("2026-04-02"),
        )
        .await
        .unwrap();
    assert_eq!(checked.created.len(), 3);
    assert_eq!(
        s.verify_ledger().await.unwrap().entries,
        entries,
        "a check writes nothing"
    );
    let summary = s
        .import_findings_sheet(
            &as_actor("mz.officer", "导入台账"),
            &good,
            &import,
            date("2026-04-02"),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            summary.created.len(),
            summary.closure_requested,
            summary.long_term
        ),
        (3, 1, 1)
    );
    let f: Vec<_> = {
        let mut v = Vec::new();
        for id in &summary.created {
            v.push(s.finding(*id).await.unwrap().unwrap());
        }
        v
    };
    assert_eq!(
        (f[0].category, f[0].posts.clone(), f[0].serial.as_str()),
        (Category::Air, vec![w.city_housing_head], "1")
    );
    assert_eq!(
        (f[1].status, f[1].deadline, f[1].progress.as_str()),
        (Status::LongTerm, None, "已完成三个小区")
    );
    assert_eq!(f[1].units, vec![w.county_housing, w.city_housing]);
    assert_eq!(
        f[2].status,
        Status::ClosureRequested,
        "marked 销号 in the sheet: to be verified"
    );
    assert_eq!(f[2].closure_evidence, vec![file]);
    assert_eq!(f[2].deadline, Some(date("2026-05-31")));
    assert_eq!(f[2].category, Category::Noise);
    // The importer cannot verify what they imported as closed; someone else can.
    assert!(s
        .transition_finding(
            &as_actor("mz.officer", "验收"),
            f[2].id,
            FindingAction::Verify,
            "",
            date("2026-04-03")
        )
        .await
        .is_err());
    s.transition_finding(
        &as_actor("jz.inspector", "验收"),
        f[2].id,
        FindingAction::Verify,
        "核查属实",
        date("2026-04-03"),
    )
    .await
    .unwrap();
    // Exported in the same columns, it reads back.
    let exported = s
        .findings_sheet(
            &FindingFilter {
                within: Some(code("410800")),
                ..Default::default()
            },
            date("2026-04-03"),
        )
        .await
        .unwrap();
    assert_eq!(exported.len(), 3);
    assert_eq!(
        exported[0].persons,
        vec!["韩立川\u{FF08}局长\u{FF09}".to_string()]
    );
    assert_eq!(
        exported[1].units,
        vec![
            "孟州市住房和城乡建设局".to_string(),
            "焦作市住房和城乡建设局".to_string()
        ]
    );
    let header = ecoduty_domain::supervision::sheet::export_header();
    let cells: Vec<(usize, Vec<String>)> = exported
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 2, r.to_cells()))
        .collect();
    let reread = parse_sheet(&header, &cells).unwrap();
    assert_eq!(reread[0].persons, vec!["韩立川".to_string()]);
    assert_eq!(
        reread[1].deadline,
        ecoduty_domain::supervision::sheet::SheetDeadline::LongTerm
    );
    ledger_ok(s).await;
    db.finish().await;
}

async fn lists_are_scoped_to_a_region_and_paged_by_id(db: TestDb) {
    let s = &db.store;
    let w = world(s).await;
    let c = change("建立");
    let xz = org(
        s,
        &c,
        "451322",
        "象州县住房和城乡建设局",
        OrganisationKind::Department,
        false,
    )
    .await;
    let wuzhi = org(
        s,
        &c,
        "410823",
        "武陟县住房和城乡建设局",
        OrganisationKind::Department,
        false,
    )
    .await;
    let base = |region: &str, unit: i64| NewFinding {
        region_code: code(region),
        source: Source::Media,
        inspection_id: None,
        complaint_id: None,
        source_ref: "某报2026-03-01报道".into(),
        serial: String::new(),
        category: Category::Water,
        severity: Severity::General,
        text: "河道沿岸垃圾堆放".into(),
        measures: String::new(),
        units: vec![unit],
        posts: vec![],
        deadline: Some(date("2026-09-30")),
        review_every_days: None,
    };
    let mut new = Vec::new();
    for _ in 0..7 {
        new.push(base("410883", w.county_housing));
        new.push(base("451322", xz));
        new.push(base("410823", wuzhi));
    }
    new.push(base("410800", w.city_housing));
    s.create_findings(&c, new, date("2026-03-02"))
        .await
        .unwrap();
    // A unit unrelated to the finding's region is refused.
    assert!(s
        .create_finding(&c, base("410883", xz), date("2026-03-02"))
        .await
        .is_err());
    let mut seen = Vec::new();
    let filter = FindingFilter {
        within: Some(code("410800")),
        ..Default::default()
    };
    let mut page = PageRequest::first(4);
    loop {
        let p = s.findings_page(&filter, page).await.unwrap();
        seen.extend(p.items.iter().map(|f| f.id));
        match p.next_before {
            Some(b) => page.before = Some(b),
            None => break,
        }
    }
    assert_eq!(seen.len(), 15, "焦作市 and its two counties");
    assert!(
        seen.windows(2).all(|p| p[0] > p[1]),
        "newest first, no repeats"
    );
    let county = s
        .findings_page(
            &FindingFilter {
                within: Some(code("410883")),
                ..Default::default()
            },
            PageRequest::first(50),
        )
        .await
        .unwrap();
    assert_eq!(county.items.len(), 7);
    assert!(county.items.iter().all(|f| f.region_code == code("410883")));
    let by_unit = s
        .findings_page(
            &FindingFilter {
                organisation_id: Some(wuzhi),
                ..Default::default()
            },
            PageRequest::first(50),
        )
        .await
        .unwrap();
    assert_eq!(by_unit.items.len(), 7);
    let everywhere = s
        .findings_page(
            &FindingFilter {
                category: Some(Category::Water),
                ..Default::default()
            },
            PageRequest::first(500),
        )
        .await
        .unwrap();
    assert_eq!(everywhere.items.len(), 22);
    assert!(s
        .findings_page(
            &FindingFilter {
                category: Some(Category::Air),
                ..Default::default()
            },
            PageRequest::first(5)
        )
        .await
        .unwrap()
        .items
        .is_empty());
    // The index of latest versions refuses to be edited out of step.
    assert!(sqlx::query("DELETE FROM finding_heads")
        .execute(s.pool())
        .await
        .is_err());
    assert!(sqlx::query("UPDATE finding_heads SET rev = rev + 5")
        .execute(s.pool())
        .await
        .is_err());
    ledger_ok(s).await;
    db.finish().await;
}

on_both_backends!(
    a_findings_life_from_inspection_to_closure,
    separation_of_duties_is_enforced_in_the_store,
    evidence_is_checked_stored_once_and_tamper_evident,
    art15_refuses_a_check_over_the_limit_and_records_an_override,
    a_dispatch_round_shows_a_late_unit,
    a_complaint_is_followed_and_promoted_to_a_finding,
    an_overdue_finding_is_escalated_under_a_fake_clock,
    scheduler_passes_are_idempotent_even_when_concurrent,
    the_outbox_retries_until_the_receiver_accepts,
    a_ledger_import_with_a_bad_row_changes_nothing,
    lists_are_scoped_to_a_region_and_paged_by_id,
);
