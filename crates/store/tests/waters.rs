//! Rivers, chiefs and patrols in the store, on both backends: a water saved whole (refused
//! outside the saver's region with nothing written, unchanged writes nothing, a changed segment
//! is a new version, one left out withdrawn); chief posts as ordinary posts with tenures, their
//! checks and their duties in the post's responsibility list; patrols refused on bad input with
//! the field named and nothing written, a problem becoming a finding with source `patrol` that
//! goes through the rectification loop; the patrol table, the frequency setting and the chiefs
//! behind — and the ledger intact.

mod common;

use chrono::{TimeZone, Utc};
use common::{change, code, date, TestDb};
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::supervision::evidence::EvidencePolicy;
use ecoduty_domain::supervision::finding::Status;
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_domain::waters::frequency::{Frequency, Period};
use ecoduty_domain::waters::{
    river_chief_tasks, ChiefKind, ChiefLevel, ChiefSpec, ForestSpec, PatrolTarget, ProblemKind,
    SegmentSpec, TargetClass, WaterKind, WaterSpec,
};
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::duties::ListFor;
use ecoduty_store::supervision::findings::FindingAction;
use ecoduty_store::tenures::NewTenure;
use ecoduty_store::waters::chiefs::{ChiefFilter, ChiefPatch};
use ecoduty_store::waters::patrols::{NewPatrol, NewProblem, PatrolFilter};
use ecoduty_store::{Change, Store, StoreError};

const QINYANG: &str = "410882";
const WUZHI: &str = "410823";

fn segment(code: &str, region: &str, seq: u32, class: u8) -> SegmentSpec {
    SegmentSpec {
        code: code.into(),
        name: format!("沁河{code}段(演示)"),
        region_code: ecoduty_domain::RegionCode::parse(region).unwrap(),
        seq,
        sections: vec![format!("{code}断面")],
        target_class: TargetClass::new(class).unwrap(),
        length_km: Some("20.5".into()),
    }
}

fn qinhe() -> WaterSpec {
    WaterSpec {
        code: "QINHE".into(),
        name: "沁河".into(),
        kind: WaterKind::River,
        segments: vec![
            segment("QINHE-410882", QINYANG, 1, 3),
            segment("QINHE-410823", WUZHI, 2, 3),
        ],
    }
}

fn field(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, .. } => field,
        e => panic!("expected a refusal naming a field, got {e:?}"),
    }
}

struct Fixture {
    chief_post: i64,
    unit: i64,
    chief: i64,
}

async fn fixture(st: &Store) -> Fixture {
    let c = change("建立河长名册(演示)");
    let committee = st
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code(QINYANG),
                name: "中共沁阳市委员会".into(),
                kind: OrganisationKind::PartyCommittee,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    let water_bureau = st
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code(QINYANG),
                name: "沁阳市水利局".into(),
                kind: OrganisationKind::Department,
                eco_department: false,
                eco_duties: true,
            },
        )
        .await
        .unwrap();
    let post = st
        .add_post(
            &c,
            PostSpec {
                organisation_id: committee.id,
                title: "沁河沁阳段河长".into(),
                role: Role::LeadershipMember,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let person = st.add_person(&c, "秦望川(演示)", None).await.unwrap();
    st.add_tenure(
        &c,
        NewTenure {
            post_id: post.id,
            person_id: person.id,
            start_date: date("2026-01-01"),
            end_date: None,
            acting: false,
        },
    )
    .await
    .unwrap();
    st.save_water(&c, None, qinhe()).await.unwrap();
    let chief = st
        .add_chief(
            &c,
            ChiefSpec {
                post_id: post.id,
                kind: ChiefKind::River,
                level: ChiefLevel::County,
                region_code: code(QINYANG),
                segments: vec!["QINHE-410882".into()],
                forests: vec![],
            },
        )
        .await
        .unwrap();
    Fixture {
        chief_post: post.id,
        unit: water_bureau.id,
        chief: chief.id,
    }
}

async fn waters_are_saved_whole_and_versioned(db: TestDb) {
    let st = &db.store;
    let c = change("录入河流");
    // A segment outside the saver's region refuses the whole water, writing nothing.
    let tip = st.ledger_tip().await.unwrap();
    let refused = st
        .save_water(&c, Some(&code(QINYANG)), qinhe())
        .await
        .unwrap_err();
    assert_eq!(field(refused), "segments[1].region_code");
    assert_eq!(st.ledger_tip().await.unwrap(), tip);
    assert!(st.water("QINHE").await.unwrap().is_none());
    // Out of order: refused naming the segment.
    let mut bad = qinhe();
    bad.segments[1].seq = 1;
    assert_eq!(
        field(st.save_water(&c, None, bad).await.unwrap_err()),
        "segments[1].seq"
    );

    let done = st.save_water(&c, None, qinhe()).await.unwrap();
    assert_eq!((done.written, done.unchanged, done.withdrawn), (3, 0, 0));
    let tip = st.ledger_tip().await.unwrap();
    let again = st.save_water(&c, None, qinhe()).await.unwrap();
    assert_eq!((again.written, again.unchanged), (0, 3));
    assert_eq!(
        st.ledger_tip().await.unwrap(),
        tip,
        "unchanged writes nothing"
    );

    // A changed target class is a new version of that segment only.
    let mut changed = qinhe();
    changed.segments[0].target_class = TargetClass::new(2).unwrap();
    let r = st
        .save_water(
            &Change::new("jz.officer", "沁阳段目标调整为Ⅱ类"),
            None,
            changed.clone(),
        )
        .await
        .unwrap();
    assert_eq!((r.written, r.unchanged), (1, 2));
    let seg = st.segment("QINHE-410882").await.unwrap().unwrap();
    assert_eq!((seg.rev, seg.spec.target_class.number()), (2, 2));
    let log = st
        .entity_log("water_segment", &seg.id.to_string())
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].reason, "沁阳段目标调整为Ⅱ类");

    // Left out: withdrawn, kept.
    changed.segments.truncate(1);
    let r = st.save_water(&c, None, changed).await.unwrap();
    assert_eq!(r.withdrawn, 1);
    let detail = st.water("QINHE").await.unwrap().unwrap();
    assert_eq!(detail.segments.len(), 1);
    assert!(st.segment("QINHE-410823").await.unwrap().unwrap().withdrawn);
    let (_, history) = st.water_history(detail.water.id).await.unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(st.waters(Some(&code(WUZHI))).await.unwrap().len(), 0);
    assert_eq!(st.waters(Some(&code("410800"))).await.unwrap().len(), 1);

    // A segment code belongs to one water.
    let other = WaterSpec {
        code: "DANHE".into(),
        name: "丹河".into(),
        kind: WaterKind::River,
        segments: vec![segment("QINHE-410882", QINYANG, 1, 3)],
    };
    assert_eq!(
        field(st.save_water(&c, None, other).await.unwrap_err()),
        "segments[0].code"
    );

    // Forest areas: created, unchanged writes nothing, outside the region refused.
    let forest = ForestSpec {
        code: "LQ-410882-01".into(),
        name: "沁阳市太行山林区(演示)".into(),
        region_code: code(QINYANG),
        hectares: Some("1200".into()),
    };
    let (f, wrote) = st.save_forest(&c, None, forest.clone()).await.unwrap();
    assert!(wrote);
    let (g, wrote) = st.save_forest(&c, None, forest.clone()).await.unwrap();
    assert!(!wrote);
    assert_eq!(f, g);
    assert_eq!(
        field(
            st.save_forest(&c, Some(&code(WUZHI)), forest)
                .await
                .unwrap_err()
        ),
        "region_code"
    );
    assert_eq!(st.forests(Some(&code("410800"))).await.unwrap().len(), 1);

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn chiefs_are_posts_with_tenures_and_duties(db: TestDb) {
    let st = &db.store;
    let fx = fixture(st).await;
    let c = change("河长调整");
    // One chief post per post; segments within the region; the level fits the region.
    let dup = ChiefSpec {
        post_id: fx.chief_post,
        kind: ChiefKind::River,
        level: ChiefLevel::County,
        region_code: code(QINYANG),
        segments: vec!["QINHE-410882".into()],
        forests: vec![],
    };
    assert_eq!(
        field(st.add_chief(&c, dup.clone()).await.unwrap_err()),
        "post_id"
    );
    let gov = st
        .add_organisation(
            &c,
            OrganisationSpec {
                region_code: code(QINYANG),
                name: "沁阳市人民政府".into(),
                kind: OrganisationKind::Government,
                eco_department: false,
                eco_duties: false,
            },
        )
        .await
        .unwrap();
    let general = st
        .add_post(
            &c,
            PostSpec {
                organisation_id: gov.id,
                title: "沁阳市总河长".into(),
                role: Role::LeadershipMember,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let far = ChiefSpec {
        post_id: general.id,
        segments: vec!["QINHE-410823".into()],
        ..dup.clone()
    };
    assert_eq!(
        field(st.add_chief(&c, far).await.unwrap_err()),
        "segments[0]"
    );
    let wrong_level = ChiefSpec {
        post_id: general.id,
        level: ChiefLevel::City,
        ..dup.clone()
    };
    assert_eq!(
        field(st.add_chief(&c, wrong_level).await.unwrap_err()),
        "level"
    );
    let g = st
        .add_chief(
            &c,
            ChiefSpec {
                post_id: general.id,
                kind: ChiefKind::GeneralRiver,
                level: ChiefLevel::County,
                region_code: code(QINYANG),
                segments: vec![],
                forests: vec![],
            },
        )
        .await
        .unwrap();
    // Both answer for the segment: the general chief of its region and its own chief.
    let seg = st.segment("QINHE-410882").await.unwrap().unwrap();
    let answering: Vec<i64> = st
        .chiefs_of_segment(&seg)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(answering, vec![fx.chief, g.id]);
    let holding = st
        .chief_holding(
            st.chief(fx.chief).await.unwrap().unwrap(),
            date("2026-06-01"),
        )
        .await
        .unwrap();
    assert_eq!(holding.holder.unwrap().name, "秦望川(演示)");
    let before = st
        .chief_holding(
            st.chief(fx.chief).await.unwrap().unwrap(),
            date("2025-06-01"),
        )
        .await
        .unwrap();
    assert!(
        before.holder.is_none(),
        "nobody held the post before the tenure"
    );

    // The six tasks as chief duties of 焦作市's river chiefs: in the chief post's list, not
    // in other leadership members' lists.
    for (citation, text) in river_chief_tasks() {
        st.add_chief_duty(&c, code("410800"), ChiefKind::River, &text, &citation)
            .await
            .unwrap();
    }
    let list = st
        .responsibility_list(
            &code(QINYANG),
            ListFor::Post(fx.chief_post),
            date("2026-12-31"),
        )
        .await
        .unwrap();
    let texts: Vec<&str> = list.duties.iter().map(|d| d.text.as_str()).collect();
    assert!(texts.contains(&"加强水资源保护"), "{texts:?}");
    assert!(list
        .duties
        .iter()
        .any(|d| d.citation.contains("关于全面推行河长制的意见")));
    let other = st
        .responsibility_list(
            &code(QINYANG),
            ListFor::Role(Role::LeadershipMember),
            date("2026-12-31"),
        )
        .await
        .unwrap();
    assert!(!other.duties.iter().any(|d| d.text == "加强水资源保护"));
    let general_list = st
        .responsibility_list(
            &code(QINYANG),
            ListFor::Post(general.id),
            date("2026-12-31"),
        )
        .await
        .unwrap();
    assert!(
        !general_list
            .duties
            .iter()
            .any(|d| d.text == "加强水资源保护"),
        "a 总河长's duties are not a 河长's"
    );

    // Retiring is a version, attributable; an unchanged patch writes nothing.
    let tip = st.ledger_tip().await.unwrap();
    st.revise_chief(&c, g.id, ChiefPatch::default())
        .await
        .unwrap();
    assert_eq!(st.ledger_tip().await.unwrap(), tip);
    let r = st
        .revise_chief(
            &Change::new("jz.admin", "总河长改由市委设岗"),
            g.id,
            ChiefPatch {
                retired: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(r.rev, 2);
    assert_eq!(st.chief_history(g.id).await.unwrap().len(), 2);
    assert_eq!(
        st.chiefs(&ChiefFilter {
            within: Some(code(QINYANG)),
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        1
    );
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

const TRACK: &str =
    r#"{"type":"LineString","coordinates":[[112.93,35.09],[112.94,35.09],[112.95,35.10]]}"#;

async fn patrols_raise_findings_in_the_rectification_loop(db: TestDb) {
    let st = &db.store;
    let fx = fixture(st).await;
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let by = Change::new("qy.chief", "巡河");
    let photo = st
        .add_evidence(
            &by,
            "漂浮物.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR demo",
            &EvidencePolicy::default(),
        )
        .await
        .unwrap()
        .0;
    let base = || NewPatrol {
        chief_id: fx.chief,
        target: PatrolTarget::Segment("QINHE-410882".into()),
        on: date("2026-11-03"),
        minutes: 95,
        metres: None,
        track: Some(TRACK.into()),
        problems: vec![],
    };
    // Refusals name the field and write nothing.
    let tip = st.ledger_tip().await.unwrap();
    let cases: Vec<(NewPatrol, &str)> = vec![
        (
            NewPatrol {
                on: date("2026-12-02"),
                ..base()
            },
            "on",
        ),
        (
            NewPatrol {
                on: date("2025-11-03"),
                ..base()
            },
            "on",
        ),
        (
            NewPatrol {
                minutes: 0,
                ..base()
            },
            "minutes",
        ),
        (
            NewPatrol {
                track: Some(r#"{"type":"Point","coordinates":[1,2]}"#.into()),
                ..base()
            },
            "track",
        ),
        (
            NewPatrol {
                target: PatrolTarget::Segment("QINHE-410823".into()),
                ..base()
            },
            "target",
        ),
        (
            NewPatrol {
                target: PatrolTarget::Forest("LQ-1".into()),
                ..base()
            },
            "target",
        ),
        (
            NewPatrol {
                problems: vec![NewProblem {
                    kind: ProblemKind::Outfall,
                    text: "疑似私设排污口".into(),
                    photos: vec![],
                    resolved_on_site: false,
                    units: vec![],
                    severity: Severity::General,
                    deadline: None,
                }],
                ..base()
            },
            "problems[0].units",
        ),
        (
            NewPatrol {
                problems: vec![NewProblem {
                    kind: ProblemKind::IllegalLogging,
                    text: "滥伐".into(),
                    photos: vec![],
                    resolved_on_site: true,
                    units: vec![],
                    severity: Severity::General,
                    deadline: None,
                }],
                ..base()
            },
            "problems[0].kind",
        ),
        (
            NewPatrol {
                problems: vec![NewProblem {
                    kind: ProblemKind::FloatingDebris,
                    text: "漂浮物".into(),
                    photos: vec![ecoduty_store::supervision::EvidenceRef {
                        sha256: "0".repeat(64),
                        name: "x.png".into(),
                    }],
                    resolved_on_site: true,
                    units: vec![],
                    severity: Severity::General,
                    deadline: None,
                }],
                ..base()
            },
            "problems[0].photos",
        ),
    ];
    for (bad, expected) in cases {
        assert_eq!(
            field(st.record_patrol(&by, bad, now).await.unwrap_err()),
            expected
        );
    }
    assert_eq!(st.ledger_tip().await.unwrap(), tip);

    let recorded = st
        .record_patrol(
            &by,
            NewPatrol {
                problems: vec![
                    NewProblem {
                        kind: ProblemKind::FloatingDebris,
                        text: "河道右岸漂浮垃圾约20平方米".into(),
                        photos: vec![photo.clone()],
                        resolved_on_site: false,
                        units: vec![fx.unit],
                        severity: Severity::General,
                        deadline: Some(date("2026-11-20")),
                    },
                    NewProblem {
                        kind: ProblemKind::Dumping,
                        text: "岸边少量建筑垃圾, 已组织清理".into(),
                        photos: vec![],
                        resolved_on_site: true,
                        units: vec![],
                        severity: Severity::General,
                        deadline: None,
                    },
                ],
                ..base()
            },
            now,
        )
        .await
        .unwrap();
    let p = &recorded.patrol;
    assert!(
        p.metres > 2_000 && p.metres < 2_600,
        "{} m measured along the track",
        p.metres
    );
    assert_eq!(p.region_code, code(QINYANG));
    assert_eq!(recorded.findings.len(), 1);
    let f = &recorded.findings[0];
    assert_eq!(p.problems[0].finding_id, Some(f.id));
    assert_eq!(p.problems[1].finding_id, None);
    assert_eq!(
        (f.source, f.category, f.status),
        (Source::Patrol, Category::Water, Status::Assigned)
    );
    assert_eq!(f.units, vec![fx.unit]);
    assert!(
        f.source_ref
            .starts_with(&format!("巡查#{} QINHE-410882", p.id)),
        "{}",
        f.source_ref
    );
    assert!(f.text.starts_with("【漂浮物】"), "{}", f.text);
    assert_eq!(st.patrol(p.id).await.unwrap().unwrap(), *p);
    // The photo is cited by the patrol, so it is readable in the patrol's region.
    let cites = st.evidence_citations(&photo.sha256).await.unwrap();
    assert!(cites.regions.contains(&code(QINYANG)));

    // The finding goes through the loop; overdue marking sees it like any other.
    assert_eq!(st.chief_open_problems(fx.chief).await.unwrap().len(), 1);
    let marked = st
        .mark_findings_overdue(&change("逾期"), &[f.id], date("2026-11-21"))
        .await
        .unwrap();
    assert_eq!(marked.len(), 1);
    assert!(marked[0].overdue_since.is_some());
    let officer = Change::new("qy.officer", "整改");
    st.transition_finding(
        &officer,
        f.id,
        FindingAction::Start,
        "开始清理",
        date("2026-11-22"),
    )
    .await
    .unwrap();
    st.transition_finding(
        &officer,
        f.id,
        FindingAction::RequestClosure {
            evidence: vec![photo.clone()],
        },
        "已清理",
        date("2026-11-23"),
    )
    .await
    .unwrap();
    let verifier = Change::new("qy.inspector", "验收");
    st.transition_finding(
        &verifier,
        f.id,
        FindingAction::Verify,
        "现场复核",
        date("2026-11-24"),
    )
    .await
    .unwrap();
    st.transition_finding(
        &verifier,
        f.id,
        FindingAction::Close,
        "销号",
        date("2026-11-25"),
    )
    .await
    .unwrap();
    assert!(st.chief_open_problems(fx.chief).await.unwrap().is_empty());

    // A second patrol in November; the table against the county default (monthly, once).
    st.record_patrol(
        &by,
        NewPatrol {
            on: date("2026-11-27"),
            track: None,
            metres: Some(1500),
            ..base()
        },
        now,
    )
    .await
    .unwrap();
    let table = st.patrol_table(fx.chief, 2026, 11).await.unwrap();
    assert_eq!(
        (
            table.frequency.per,
            table.frequency.times,
            table.set_by.clone()
        ),
        (Period::Month, 1, None)
    );
    assert_eq!(table.patrols.len(), 2);
    assert_eq!(table.periods.len(), 1);
    assert!(!table.periods[0].behind());
    // 焦作市 asks its county chiefs for a patrol every 旬: November had one of three behind.
    st.set_patrol_frequency(
        &Change::new("jz.admin", "市河长办要求县级河长每旬巡河"),
        &code("410800"),
        Frequency {
            level: ChiefLevel::County,
            per: Period::TenDays,
            times: 1,
        },
    )
    .await
    .unwrap();
    let table = st.patrol_table(fx.chief, 2026, 11).await.unwrap();
    assert_eq!(table.set_by, Some(code("410800")));
    let behind: Vec<bool> = table.periods.iter().map(|p| p.behind()).collect();
    assert_eq!(behind, vec![false, true, false]);
    // On 12-01 the last 旬 (21–30 Nov) had a patrol; on 11-21 the 旬 11–20 had none.
    assert!(st
        .chiefs_behind(Some(&code("410800")), date("2026-12-01"))
        .await
        .unwrap()
        .is_empty());
    let late = st
        .chiefs_behind(Some(&code("410800")), date("2026-11-21"))
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].chief.id, fx.chief);
    assert_eq!(late[0].holder.as_ref().unwrap().name, "秦望川(演示)");
    assert_eq!(
        (late[0].period.from, late[0].period.done),
        (date("2026-11-11"), 0)
    );
    assert!(st
        .chiefs_behind(Some(&code(WUZHI)), date("2026-11-21"))
        .await
        .unwrap()
        .is_empty());

    let listed = st
        .patrols(&PatrolFilter {
            within: Some(code("410800")),
            from: Some(date("2026-11-01")),
            to: Some(date("2026-11-30")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|p| p.on).collect::<Vec<_>>(),
        vec![date("2026-11-27"), date("2026-11-03")]
    );
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

/// The scheduler tells a chief behind his frequency (and the region's users) once per period:
/// a second pass in the same period writes nothing; a patrol that catches up in the next
/// period leaves that period without a notice.
async fn the_scheduler_tells_chiefs_behind_once_per_period(db: TestDb) {
    use ecoduty_domain::supervision::{ItemKind, NoticeKind};
    use ecoduty_store::supervision::notifications::Recipient;
    use ecoduty_store::supervision::scheduler::{FixedClock, SchedulerConfig};
    let st = &db.store;
    let fx = fixture(st).await;
    let holder = st
        .chief_holding(
            st.chief(fx.chief).await.unwrap().unwrap(),
            date("2026-11-30"),
        )
        .await
        .unwrap()
        .holder
        .unwrap();
    // No patrol in November: the county chief owes one a month (the default).
    let clock = FixedClock::on(date("2026-12-02"));
    st.run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    let about = |st: &Store| {
        let st = st.clone();
        async move {
            st.notifications_about(ItemKind::Chief, fx.chief)
                .await
                .unwrap()
                .into_iter()
                .filter(|n| n.notice == NoticeKind::PatrolsBehind)
                .collect::<Vec<_>>()
        }
    };
    let first = about(st).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].recipient, Recipient::Person(holder.id));
    assert_eq!(first[0].on_day, date("2026-11-30"));
    assert!(first[0].body.contains("实际 0 次"), "{}", first[0].body);
    clock.set_day(date("2026-12-20"));
    st.run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!(about(st).await.len(), 1);
    // December is patrolled: January's pass tells nobody more.
    st.record_patrol(
        &Change::new("qy.chief", "巡河"),
        NewPatrol {
            chief_id: fx.chief,
            target: PatrolTarget::Segment("QINHE-410882".into()),
            on: date("2026-12-21"),
            minutes: 60,
            metres: Some(2000),
            track: None,
            problems: vec![],
        },
        Utc.with_ymd_and_hms(2026, 12, 21, 8, 0, 0).unwrap(),
    )
    .await
    .unwrap();
    clock.set_day(date("2027-01-03"));
    st.run_scheduler_pass(&clock, &SchedulerConfig::default())
        .await
        .unwrap();
    assert_eq!(about(st).await.len(), 1);
    db.finish().await;
}

on_both_backends!(
    waters_are_saved_whole_and_versioned,
    chiefs_are_posts_with_tenures_and_duties,
    patrols_raise_findings_in_the_rectification_loop,
    the_scheduler_tells_chiefs_behind_once_per_period,
);
