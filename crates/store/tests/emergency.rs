//! Environmental emergencies in the store, on both backends: a 较大 event in 武陟县 tells the
//! county's and the city's chain posts (their holders on the day, a vacant post marked), each
//! with its deadline; acknowledgements; a regrade to 重大 reaching the province; the
//! scheduler's escalation of late notices, once; the timeline's states and refusals; the
//! yearly assessment's `emergency` veto reading the event (and not a withdrawn one); risk
//! sources imported all or nothing and a risk report routed — and the ledger intact.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{change, code, date, TestDb};
use ecoduty_domain::access::UserRole;
use ecoduty_domain::assessment::scheme::Grading;
use ecoduty_domain::assessment::sheet::parse_items;
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::emergency::chain::Tier;
use ecoduty_domain::emergency::risk::parse_sheet;
use ecoduty_domain::emergency::{EventKind, Level, Status, UpdateKind};
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::supervision::evidence::EvidencePolicy;
use ecoduty_domain::supervision::{ItemKind, NoticeKind};
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::assessment::schemes::SchemeImport;
use ecoduty_store::emergency::chain::NoticeState;
use ecoduty_store::emergency::risk::NewRiskReport;
use ecoduty_store::emergency::{parse_china_time, NewEmergency, NewUpdate};
use ecoduty_store::supervision::notifications::Recipient;
use ecoduty_store::supervision::scheduler::{FixedClock, SchedulerConfig};
use ecoduty_store::supervision::EvidenceRef;
use ecoduty_store::tenures::NewTenure;
use ecoduty_store::users::NewUser;
use ecoduty_store::{Change, Store, StoreError};

const WUZHI: &str = "410823";
const CITY: &str = "410800";

fn t(s: &str) -> DateTime<Utc> {
    parse_china_time(s).unwrap()
}

async fn org(st: &Store, region: &str, name: &str, kind: OrganisationKind, eco: bool) -> i64 {
    st.add_organisation(
        &change("建立单位"),
        OrganisationSpec {
            region_code: code(region),
            name: name.into(),
            kind,
            eco_department: eco,
            eco_duties: kind == OrganisationKind::Department,
        },
    )
    .await
    .unwrap()
    .id
}

/// A post, and its holder from `start` (none: vacant).
async fn post(st: &Store, org: i64, title: &str, role: Role, holder: Option<(&str, &str)>) -> i64 {
    let p = st
        .add_post(
            &change("设岗"),
            PostSpec {
                organisation_id: org,
                title: title.into(),
                role,
                portfolio: vec![],
            },
        )
        .await
        .unwrap()
        .id;
    if let Some((name, start)) = holder {
        let person = st.add_person(&change("人员"), name, None).await.unwrap();
        st.add_tenure(
            &change("任职"),
            NewTenure {
                post_id: p,
                person_id: person.id,
                start_date: date(start),
                end_date: None,
                acting: false,
            },
        )
        .await
        .unwrap();
    }
    p
}

struct Roster {
    county_head: i64,
    county_head_before: i64,
}

async fn roster(st: &Store) -> Roster {
    let gov = org(
        st,
        WUZHI,
        "武陟县人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    let head = post(st, gov, "县长", Role::GovernmentHead, None).await;
    let before = st
        .add_person(&change("人员"), "周前任", None)
        .await
        .unwrap();
    let now = st
        .add_person(&change("人员"), "吴现任", None)
        .await
        .unwrap();
    for (person, start, end) in [
        (before.id, "2021-01-01", Some("2025-07-01")),
        (now.id, "2025-07-01", None),
    ] {
        st.add_tenure(
            &change("任职"),
            NewTenure {
                post_id: head,
                person_id: person,
                start_date: date(start),
                end_date: end.map(date),
                acting: false,
            },
        )
        .await
        .unwrap();
    }
    post(
        st,
        gov,
        "副县长",
        Role::DeputyEco,
        Some(("郑分管", "2022-01-01")),
    )
    .await;
    let bureau = org(
        st,
        WUZHI,
        "武陟县生态环境分局",
        OrganisationKind::Department,
        true,
    )
    .await;
    post(
        st,
        bureau,
        "局长",
        Role::EcoDepartmentHead,
        Some(("王局长", "2020-01-01")),
    )
    .await;
    let city = org(
        st,
        CITY,
        "焦作市人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    post(
        st,
        city,
        "市长",
        Role::GovernmentHead,
        Some(("冯市长", "2021-06-01")),
    )
    .await;
    // The city's deputy for eco-environment is vacant.
    post(st, city, "副市长", Role::DeputyEco, None).await;
    let city_bureau = org(
        st,
        CITY,
        "焦作市生态环境局",
        OrganisationKind::Department,
        true,
    )
    .await;
    post(
        st,
        city_bureau,
        "局长",
        Role::EcoDepartmentHead,
        Some(("陈局长", "2019-01-01")),
    )
    .await;
    let province = org(
        st,
        "410000",
        "河南省人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    post(
        st,
        province,
        "省长",
        Role::GovernmentHead,
        Some(("褚省长", "2020-01-01")),
    )
    .await;
    Roster {
        county_head: now.id,
        county_head_before: before.id,
    }
}

async fn user(st: &Store, name: &str, role: UserRole, region: &str) -> i64 {
    st.create_user(
        &change("开通账号"),
        NewUser {
            username: name.into(),
            display_name: name.into(),
            role,
            region_code: Some(code(region)),
            password_hash: "x".into(),
            one_time: false,
        },
    )
    .await
    .unwrap()
    .id
}

async fn report(st: &Store, title: &str, level: Level, at: &str) -> i64 {
    st.report_emergency(
        &Change::new("wz.officer", "接报"),
        NewEmergency {
            region_code: code(WUZHI),
            title: title.into(),
            place: "武陟县詹店镇沁河入黄口".into(),
            kind: EventKind::Water,
            pollutants: vec!["氨氮".into(), " ".into()],
            level,
            occurred_at: t(at),
            reported_at: t(at) + Duration::minutes(40),
            risk_source_id: None,
            report: "沁河武陟段水体发黑,疑似企业偷排。".into(),
            evidence: vec![],
        },
    )
    .await
    .unwrap()
    .emergency
    .id
}

fn update(kind: UpdateKind, at: &str, text: &str) -> NewUpdate {
    NewUpdate {
        kind,
        at: t(at),
        text: text.into(),
        new_level: None,
        evidence: vec![],
    }
}

fn refusal(e: StoreError) -> String {
    match e {
        StoreError::Refused { reason, .. } => reason.zh,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_large_event_tells_its_chain_and_is_followed_to_closure(db: TestDb) {
    let st = &db.store;
    let r = roster(st).await;
    let wz_officer = user(st, "wz.officer", UserRole::Officer, WUZHI).await;
    let jz_leader = user(st, "jz.leader", UserRole::Leader, CITY).await;
    let jz_inspector = user(st, "jz.inspector", UserRole::Inspector, CITY).await;

    // The chain as a preview: county at once, city within four hours, the province not.
    let chain = st
        .notification_chain(&code(WUZHI), Level::Large, t("2025-07-09 10:00"))
        .await
        .unwrap();
    let named: Vec<(Tier, &str, Option<&str>)> = chain
        .iter()
        .map(|e| (e.tier, e.post.as_str(), e.person.as_deref()))
        .collect();
    assert_eq!(
        named,
        vec![
            (Tier::Local, "县长", Some("吴现任")),
            (Tier::Local, "副县长", Some("郑分管")),
            (Tier::Local, "局长", Some("王局长")),
            (Tier::Upper, "市长", Some("冯市长")),
            (Tier::Upper, "副市长", None),
            (Tier::Upper, "局长", Some("陈局长")),
        ]
    );
    // Before the change of 县长, the one who held it then.
    let earlier = st
        .notification_chain(&code(WUZHI), Level::General, t("2025-06-30 10:00"))
        .await
        .unwrap();
    assert_eq!(earlier[0].person_id, Some(r.county_head_before));
    assert_eq!(earlier.len(), 3);

    let id = report(st, "沁河武陟段水污染事件", Level::Large, "2025-07-09 09:20").await;
    let detail = st.require_emergency(id).await.unwrap();
    let e = &detail.emergency;
    assert_eq!(e.status, Status::Reported);
    assert_eq!(e.pollutants, vec!["氨氮".to_string()]);
    assert_eq!(detail.updates.len(), 1);
    assert_eq!(detail.updates[0].kind, UpdateKind::Initial);
    assert_eq!(detail.notices.len(), 6);
    let county_head = &detail.notices[0];
    assert_eq!(county_head.notice.person_id, Some(r.county_head));
    assert_eq!(
        county_head.notice.due_at - county_head.notice.sent_at,
        Duration::hours(1)
    );
    let city_head = detail.notices.iter().find(|n| n.post == "市长").unwrap();
    assert_eq!(city_head.notice.tier, Tier::Upper);
    assert_eq!(
        city_head.notice.due_at - city_head.notice.sent_at,
        Duration::hours(4)
    );
    let vacant = detail.notices.iter().find(|n| n.post == "副市长").unwrap();
    assert_eq!(vacant.state, NoticeState::Vacant);

    // Told: the holders (to the outbox) and the users concerned; not the inspector.
    let told = st
        .notifications_about(ItemKind::Emergency, id)
        .await
        .unwrap();
    let recipients: Vec<Recipient> = told.iter().map(|n| n.recipient).collect();
    assert!(recipients.contains(&Recipient::Person(r.county_head)));
    assert!(!recipients.contains(&Recipient::Person(r.county_head_before)));
    assert!(recipients.contains(&Recipient::User(wz_officer)));
    assert!(recipients.contains(&Recipient::User(jz_leader)));
    assert!(!recipients.contains(&Recipient::User(jz_inspector)));
    assert_eq!(
        told.iter()
            .filter(|n| n.notice == NoticeKind::Alert)
            .count(),
        7
    );
    // Writing them again writes nothing.
    assert_eq!(st.notify_chain(id, Utc::now()).await.unwrap(), 0);

    // The county head's notice is acknowledged in time; once only; a vacant post cannot be.
    let ack = st
        .acknowledge_notice(
            &Change::new("wz.officer", "确认收悉"),
            county_head.notice.id,
            t("2025-07-09 10:30"),
            Some("电话确认".into()),
        )
        .await
        .unwrap();
    assert_eq!(ack.state, NoticeState::Acknowledged);
    let again = st
        .acknowledge_notice(
            &Change::new("wz.officer", "确认收悉"),
            county_head.notice.id,
            t("2025-07-09 10:35"),
            None,
        )
        .await
        .unwrap_err();
    assert!(refusal(again).contains("已确认"));
    let nobody = st
        .acknowledge_notice(
            &change("确认"),
            vacant.notice.id,
            t("2025-07-09 10:35"),
            None,
        )
        .await
        .unwrap_err();
    assert!(refusal(nobody).contains("空缺"));

    // Regraded to 重大 three hours on: the province is told, within two hours from then.
    let mut regrade = update(
        UpdateKind::Regrade,
        "2025-07-09 12:20",
        "下游取水口停止取水,升级为重大",
    );
    regrade.new_level = Some(Level::Major);
    let detail = st
        .add_emergency_update(&change("级别调整"), id, regrade)
        .await
        .unwrap();
    assert_eq!(detail.emergency.level, Level::Major);
    let province = detail.notices.iter().find(|n| n.post == "省长").unwrap();
    assert_eq!(province.notice.tier, Tier::Province);
    assert_eq!(province.notice.sent_at, t("2025-07-09 12:20"));
    assert_eq!(province.notice.due_at, t("2025-07-09 14:20"));
    assert_eq!(detail.notices.len(), 7);

    // At 16:00 every notice but the acknowledged one is late: escalated once each (the
    // vacant post's too), the city's users told; a second pass escalates nothing more.
    let clock = FixedClock::new(t("2025-07-09 16:00"));
    let pass = st
        .run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!(pass.emergency_notices_escalated, 6);
    let escalations: Vec<_> = st
        .notifications_about(ItemKind::Emergency, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.notice == NoticeKind::Escalated)
        .collect();
    assert!(escalations
        .iter()
        .any(|n| n.recipient == Recipient::User(jz_leader)));
    let pass = st
        .run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!(pass.emergency_notices_escalated, 0);
    let late = st.require_emergency(id).await.unwrap();
    let city_bureau = late
        .notices
        .iter()
        .find(|n| n.post == "局长" && n.notice.tier == Tier::Upper)
        .unwrap();
    assert_eq!(city_bureau.state, NoticeState::Overdue);
    assert!(city_bureau.notice.escalated_at.is_some());
    let late_ack = st
        .acknowledge_notice(
            &change("补确认"),
            city_bureau.notice.id,
            t("2025-07-09 16:10"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(late_ack.state, NoticeState::AcknowledgedLate);

    // The timeline: closure refused before the response ends, and without the report.
    let early = st
        .add_emergency_update(
            &change("结案"),
            id,
            update(UpdateKind::Closure, "2025-07-10 09:00", "结案"),
        )
        .await
        .unwrap_err();
    assert!(refusal(early).contains("终止"));
    let d = st
        .add_emergency_update(
            &change("处置"),
            id,
            update(
                UpdateKind::Measure,
                "2025-07-09 13:00",
                "关闭排污口,投加絮凝剂",
            ),
        )
        .await
        .unwrap();
    assert_eq!(d.emergency.status, Status::Responding);
    st.add_emergency_update(
        &change("监测"),
        id,
        update(UpdateKind::Monitoring, "2025-07-09 18:00", "氨氮 3.2 mg/L"),
    )
    .await
    .unwrap();
    let d = st
        .add_emergency_update(
            &change("终止"),
            id,
            update(
                UpdateKind::ResponseEnd,
                "2025-07-11 08:00",
                "水质恢复,应急终止",
            ),
        )
        .await
        .unwrap();
    assert_eq!(d.emergency.status, Status::ResponseEnded);
    let bare = st
        .add_emergency_update(
            &change("结案"),
            id,
            update(UpdateKind::Closure, "2025-08-20 09:00", "调查评估完成"),
        )
        .await
        .unwrap_err();
    assert!(refusal(bare).contains("调查评估报告"));
    let (report_pdf, _) = st
        .add_evidence(
            &change("上传调查评估报告"),
            "调查评估报告.pdf",
            b"%PDF-1.7\n% investigation\n",
            &EvidencePolicy::default(),
        )
        .await
        .unwrap();
    let mut closure = update(
        UpdateKind::Closure,
        "2025-08-20 09:00",
        "调查评估完成:企业偷排所致",
    );
    closure.evidence = vec![report_pdf.clone()];
    let d = st
        .add_emergency_update(&change("结案"), id, closure)
        .await
        .unwrap();
    assert_eq!(d.emergency.status, Status::Closed);
    assert_eq!(d.updates.len(), 6);
    let after = st
        .add_emergency_update(
            &change("续报"),
            id,
            update(UpdateKind::FollowUp, "2025-08-21 09:00", "补充"),
        )
        .await
        .unwrap_err();
    assert!(refusal(after).contains("已结案"));
    // The closure's report is readable in the event's region.
    let cited = st.evidence_citations(&report_pdf.sha256).await.unwrap();
    assert!(cited.regions.contains(&code(WUZHI)));

    // A dated-before update and an unknown file are refused, naming the field.
    let other = report(st, "误报事件", Level::General, "2025-09-01 08:00").await;
    match st
        .add_emergency_update(
            &change("续报"),
            other,
            update(UpdateKind::FollowUp, "2025-08-01 08:00", "x"),
        )
        .await
        .unwrap_err()
    {
        StoreError::Invalid { field, .. } => assert_eq!(field, "at"),
        e => panic!("{e:?}"),
    }
    let mut ghost = update(UpdateKind::FollowUp, "2025-09-01 09:00", "附件");
    ghost.evidence = vec![EvidenceRef {
        sha256: "ab".repeat(32),
        name: "x.pdf".into(),
    }];
    assert!(matches!(
        st.add_emergency_update(&change("续报"), other, ghost)
            .await
            .unwrap_err(),
        StoreError::Invalid { .. }
    ));
    st.add_emergency_update(
        &change("撤销"),
        other,
        update(
            UpdateKind::Withdrawal,
            "2025-09-01 12:00",
            "核实为正常排水,不属于突发环境事件",
        ),
    )
    .await
    .unwrap();

    // The yearly assessment reads the event: 武陟县 is vetoed, citing it.
    let header: Vec<String> = [
        "序号",
        "项目",
        "项目类型",
        "考核内容",
        "分值",
        "评分标准",
        "负责考核部门",
        "规则类型",
        "参数",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let row = |line: usize, cells: &[&str]| {
        (
            line,
            cells.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    let items = parse_items(
        &header,
        &[
            row(
                2,
                &[
                    "1",
                    "满意度",
                    "基本项",
                    "满意度",
                    "100",
                    "按调查",
                    "市统计局",
                    "",
                    "",
                ],
            ),
            row(
                3,
                &[
                    "2",
                    "否决事项",
                    "一票否决项",
                    "发生较大及以上突发环境事件",
                    "",
                    "",
                    "市生态环境局",
                    "emergency",
                    "level=3",
                ],
            ),
        ],
    )
    .unwrap();
    st.import_scheme(
        &change("导入考核细则"),
        SchemeImport {
            region_code: code(CITY),
            year: 2025,
            title: String::new(),
            units: ["410823", "410882"]
                .iter()
                .map(|c| UnitRef::parse(c).unwrap())
                .collect(),
            items,
            grading: Grading::default(),
            objection_days: 10,
            revision_reason: None,
        },
    )
    .await
    .unwrap();
    let run = st
        .run_assessment(&change("计算"), &code(CITY), 2025, date("2026-01-15"), None)
        .await
        .unwrap();
    let wuzhi = run
        .results
        .iter()
        .find(|u| u.unit == UnitRef::parse(WUZHI).unwrap())
        .unwrap();
    assert!(wuzhi.vetoed);
    let line = wuzhi.lines.iter().find(|l| l.item == "2").unwrap();
    assert_eq!(line.sources, vec![format!("emergency:{id}")]);
    let qinyang = run
        .results
        .iter()
        .find(|u| u.unit == UnitRef::parse("410882").unwrap())
        .unwrap();
    assert!(!qinyang.vetoed);

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn risk_sources_import_all_or_nothing_and_risk_reports_are_routed(db: TestDb) {
    let st = &db.store;
    roster(st).await;
    let officer = user(st, "wz.officer", UserRole::Officer, WUZHI).await;
    let header: Vec<String> = ecoduty_domain::emergency::risk::COLUMNS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let specs = parse_sheet(
        &header,
        &[
            (
                2,
                row(&[
                    "武陟县某化工有限公司",
                    WUZHI,
                    "C2614",
                    "液氯、硫酸",
                    "较大",
                    "詹店镇",
                    "91410823MA3X00001K",
                ]),
            ),
            (
                3,
                row(&[
                    "焦作某电镀厂",
                    "410802",
                    "C3360",
                    "含铬废液",
                    "重大",
                    "",
                    "",
                ]),
            ),
        ],
    )
    .unwrap();
    // Outside the importer's region: refused, nothing stored.
    let refused = st
        .import_risk_sources(&change("导入风险源"), Some(&code(WUZHI)), specs.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::Invalid { ref field, .. } if field.contains("row 2")),
        "{refused:?}"
    );
    assert!(st.risk_sources(None).await.unwrap().is_empty());
    let imported = st
        .import_risk_sources(&change("导入风险源"), Some(&code(CITY)), specs.clone())
        .await
        .unwrap();
    assert_eq!(
        (imported.created, imported.updated, imported.unchanged),
        (2, 0, 0)
    );
    // Again, one changed: an update by credit code, one unchanged.
    let mut changed = specs.clone();
    changed[0].grade = ecoduty_domain::emergency::risk::RiskGrade::Major;
    let again = st
        .import_risk_sources(&change("更新风险源"), None, changed)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 1, 1));
    let sources = st.risk_sources(Some(&code(CITY))).await.unwrap();
    assert_eq!(sources.len(), 2);
    assert_eq!(
        sources[0].spec.grade,
        ecoduty_domain::emergency::risk::RiskGrade::Major
    );
    let chem = sources
        .iter()
        .find(|s| s.spec.region_code == code(WUZHI))
        .unwrap();
    assert_eq!(chem.rev, 2);

    let report = st
        .report_risk(
            &Change::new("wz.officer", "风险报告"),
            NewRiskReport {
                region_code: code(WUZHI),
                risk_source_id: Some(chem.id),
                text: "液氯储罐区围堰破损,雨季存在泄漏入河风险".into(),
                reported_on: date("2025-05-06"),
                evidence: vec![],
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let told = st
        .notifications_about(ItemKind::RiskReport, report.id)
        .await
        .unwrap();
    let recipients: Vec<Recipient> = told.iter().map(|n| n.recipient).collect();
    assert!(recipients.contains(&Recipient::User(officer)));
    assert_eq!(
        told.iter()
            .filter(|n| matches!(n.recipient, Recipient::Person(_)))
            .count(),
        2
    );
    // A risk source of another county cannot be named.
    let foreign = sources
        .iter()
        .find(|s| s.spec.region_code != code(WUZHI))
        .unwrap();
    assert!(st
        .report_risk(
            &change("风险报告"),
            NewRiskReport {
                region_code: code(WUZHI),
                risk_source_id: Some(foreign.id),
                text: "x".into(),
                reported_on: date("2025-05-06"),
                evidence: vec![],
            },
            Utc::now(),
        )
        .await
        .is_err());
    assert_eq!(st.risk_reports(Some(&code(CITY))).await.unwrap().len(), 1);
    // An event may name its risk source.
    let e = st
        .report_emergency(
            &change("接报"),
            NewEmergency {
                region_code: code(WUZHI),
                title: "液氯泄漏".into(),
                place: "詹店镇".into(),
                kind: EventKind::Air,
                pollutants: vec!["氯气".into()],
                level: Level::General,
                occurred_at: t("2025-06-01 03:00"),
                reported_at: t("2025-06-01 03:30"),
                risk_source_id: Some(chem.id),
                report: "储罐阀门泄漏".into(),
                evidence: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(e.risk_source.as_ref().map(|s| s.id), Some(chem.id));
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

/// Times with nanoseconds (as `Utc::now()` gives them) are kept to the stored microsecond, so
/// that what the ledger recorded is what is read back.
async fn times_of_now_verify_in_the_ledger(db: TestDb) {
    let st = &db.store;
    roster(st).await;
    let now = Utc::now();
    let reported = now - Duration::hours(3) + Duration::nanoseconds(123_456_789);
    let d = st
        .report_emergency(
            &change("接报"),
            NewEmergency {
                region_code: code(WUZHI),
                title: "尾矿库渗漏".into(),
                place: String::new(),
                kind: EventKind::Water,
                pollutants: vec![],
                level: Level::Large,
                occurred_at: reported - Duration::nanoseconds(999),
                reported_at: reported,
                risk_source_id: None,
                report: "初报".into(),
                evidence: vec![],
            },
        )
        .await
        .unwrap();
    assert_eq!(d.emergency.reported_at.timestamp_subsec_nanos() % 1000, 0);
    let held = d
        .notices
        .iter()
        .find(|n| n.notice.person_id.is_some())
        .unwrap();
    st.acknowledge_notice(
        &change("确认"),
        held.notice.id,
        reported + Duration::nanoseconds(1_000_001),
        None,
    )
    .await
    .unwrap();
    st.add_emergency_update(
        &change("处置"),
        d.emergency.id,
        NewUpdate {
            kind: UpdateKind::Measure,
            at: reported + Duration::minutes(5) + Duration::nanoseconds(7),
            text: "围堵".into(),
            new_level: None,
            evidence: vec![],
        },
    )
    .await
    .unwrap();
    let (escalated, _) = st
        .escalate_emergency_notices("scheduler", now + Duration::nanoseconds(3))
        .await
        .unwrap();
    assert!(escalated > 0, "the notices not acknowledged are late");
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

on_both_backends!(
    a_large_event_tells_its_chain_and_is_followed_to_closure,
    risk_sources_import_all_or_nothing_and_risk_reports_are_routed,
    times_of_now_verify_in_the_ledger,
);
