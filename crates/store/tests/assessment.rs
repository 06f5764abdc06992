//! The yearly assessment in the store, on both backends: a 焦作市 scheme over three counties
//! scored from findings, tasks, complaints and the scoring organisations' entries; a veto; the
//! run's life (draft, review by another person, publication); the scheme frozen once scoring
//! started; objections inside and outside the window, one upheld with a changed score; who
//! answers for a county by days of tenure; a person's eco record — and the ledger intact.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::assessment::scheme::Grading;
use ecoduty_domain::assessment::sheet::parse_items;
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::supervision::complaints::Channel;
use ecoduty_domain::supervision::evidence::EvidencePolicy;
use ecoduty_domain::supervision::{Category, InspectionKind, InspectionLevel, Severity, Source};
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Role};
use ecoduty_store::assessment::runs::{NewEntry, NewObjection, ObjectionAnswer};
use ecoduty_store::assessment::schemes::SchemeImport;
use ecoduty_store::assessment::{Adjustment, ObjectionStatus, RunStatus};
use ecoduty_store::supervision::complaints::NewComplaint;
use ecoduty_store::supervision::findings::{FindingAction, NewFinding};
use ecoduty_store::supervision::inspections::NewInspection;
use ecoduty_store::supervision::EvidenceRef;
use ecoduty_store::tenures::NewTenure;
use ecoduty_store::{Change, Store, StoreError};

const QINYANG: &str = "410882";
const MENGZHOU: &str = "410883";
const WUZHI: &str = "410823";

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn items() -> Vec<ecoduty_domain::assessment::scheme::Item> {
    let header = s(&[
        "序号",
        "项目",
        "项目类型",
        "考核内容",
        "分值",
        "评分标准",
        "负责考核部门",
        "规则类型",
        "参数",
        "条款",
    ]);
    let rows = vec![
        (
            2,
            s(&[
                "1",
                "督察整改",
                "基本项",
                "按期完成整改",
                "40",
                "逾期一个扣 10 分",
                "市委督查室",
                "rectification",
                "per_overdue=10;provincial=1.5;per_return=5",
                "第十三条",
            ]),
        ),
        (
            3,
            s(&[
                "2",
                "信访办理",
                "基本项",
                "按期答复信访举报",
                "20",
                "按比例",
                "市信访局",
                "complaints",
                "",
                "",
            ]),
        ),
        (
            4,
            s(&[
                "3",
                "群众满意度",
                "基本项",
                "满意度调查",
                "40",
                "按调查结果",
                "市统计局",
                "",
                "",
                "第十四条",
            ]),
        ),
        (
            5,
            s(&[
                "4",
                "否决事项",
                "一票否决项",
                "发生重大突发环境事件",
                "",
                "",
                "市生态环境局",
                "veto",
                "",
                "",
            ]),
        ),
    ];
    parse_items(&header, &rows).unwrap()
}

async fn org(st: &Store, region: &str, name: &str, kind: OrganisationKind) -> i64 {
    st.add_organisation(
        &change("建立单位"),
        OrganisationSpec {
            region_code: code(region),
            name: name.into(),
            kind,
            eco_department: false,
            eco_duties: kind == OrganisationKind::Department,
        },
    )
    .await
    .unwrap()
    .id
}

async fn pdf(st: &Store) -> EvidenceRef {
    st.add_evidence(
        &change("上传佐证"),
        "满意度调查报告.pdf",
        b"%PDF-1.7\n% survey\n",
        &EvidencePolicy::default(),
    )
    .await
    .unwrap()
    .0
}

async fn scheme(
    st: &Store,
) -> Result<ecoduty_store::assessment::schemes::SchemeImported, StoreError> {
    st.import_scheme(
        &change("导入考核细则"),
        SchemeImport {
            region_code: code("410800"),
            year: 2025,
            title: String::new(),
            units: [QINYANG, MENGZHOU, WUZHI]
                .iter()
                .map(|c| UnitRef::parse(c).unwrap())
                .collect(),
            items: items(),
            grading: Grading::default(),
            objection_days: 10,
            revision_reason: None,
        },
    )
    .await
}

async fn survey(st: &Store, who: &str, unit: &str, earned: f64, evidence: &EvidenceRef) {
    st.enter_assessment(
        &Change::new(who, "录入满意度"),
        NewEntry {
            region_code: code("410800"),
            year: 2025,
            unit: UnitRef::parse(unit).unwrap(),
            item: "3".into(),
            earned,
            triggered: false,
            reason: format!("满意度调查得分 {earned}"),
            evidence: vec![evidence.clone()],
            on: date("2026-01-05"),
        },
    )
    .await
    .unwrap();
}

async fn a_year_is_scored_reviewed_published_and_objected_to(db: TestDb) {
    let st = &db.store;
    let housing = org(
        st,
        MENGZHOU,
        "孟州市住房和城乡建设局",
        OrganisationKind::Department,
    )
    .await;
    let qy_gov = org(st, QINYANG, "沁阳市人民政府", OrganisationKind::Government).await;
    let inspection = st
        .create_inspection(
            &change("省级督察"),
            NewInspection {
                level: InspectionLevel::Provincial,
                kind: InspectionKind::Routine,
                title: "省级生态环境保护督察".into(),
                regions: vec![code("410800")],
                start_date: date("2025-01-05"),
                end_date: date("2025-02-05"),
                team: "组长:李文海".into(),
            },
        )
        .await
        .unwrap()
        .id;
    let finding = |region: &str, unit: i64, deadline: &str| NewFinding {
        region_code: code(region),
        source: Source::Inspection,
        inspection_id: Some(inspection),
        complaint_id: None,
        source_ref: String::new(),
        serial: String::new(),
        category: Category::Air,
        severity: Severity::Serious,
        text: "建筑工地扬尘管控不到位".into(),
        measures: "落实六个百分之百".into(),
        units: vec![unit],
        posts: vec![],
        deadline: Some(date(deadline)),
        review_every_days: None,
    };
    // 孟州: one finding never closed (overdue, provincial: 15 off) and one returned once
    // before it was closed on time (5 off). 沁阳: one closed on time.
    let late = st
        .create_finding(
            &change("交办"),
            finding(MENGZHOU, housing, "2025-06-30"),
            date("2025-02-10"),
        )
        .await
        .unwrap();
    let returned = st
        .create_finding(
            &change("交办"),
            finding(MENGZHOU, housing, "2025-09-30"),
            date("2025-02-10"),
        )
        .await
        .unwrap();
    let fine = st
        .create_finding(
            &change("交办"),
            finding(QINYANG, qy_gov, "2025-06-30"),
            date("2025-02-10"),
        )
        .await
        .unwrap();
    let ev = pdf(st).await;
    let unit_actor = Change::new("mz.officer", "整改");
    let checker = Change::new("jz.inspector", "验收");
    for (id, ret) in [(returned.id, true), (fine.id, false)] {
        st.transition_finding(
            &unit_actor,
            id,
            FindingAction::Start,
            "",
            date("2025-03-01"),
        )
        .await
        .unwrap();
        st.transition_finding(
            &unit_actor,
            id,
            FindingAction::RequestClosure {
                evidence: vec![ev.clone()],
            },
            "已整改到位",
            date("2025-05-01"),
        )
        .await
        .unwrap();
        if ret {
            st.transition_finding(
                &checker,
                id,
                FindingAction::Return,
                "不彻底",
                date("2025-05-10"),
            )
            .await
            .unwrap();
            st.transition_finding(
                &unit_actor,
                id,
                FindingAction::RequestClosure {
                    evidence: vec![ev.clone()],
                },
                "已整改到位",
                date("2025-06-01"),
            )
            .await
            .unwrap();
        }
        st.transition_finding(&checker, id, FindingAction::Verify, "", date("2025-06-10"))
            .await
            .unwrap();
        st.transition_finding(&checker, id, FindingAction::Close, "", date("2025-06-20"))
            .await
            .unwrap();
    }
    let _ = late;
    // A complaint in 武陟 never answered by its deadline: 0 of 20.
    let c = st
        .file_complaint(
            &change("受理"),
            NewComplaint {
                region_code: code(WUZHI),
                address: "武陟县木城镇".into(),
                category: Category::Noise,
                channel: Channel::Phone,
                text: "夜间施工噪声扰民".into(),
                contact: None,
                received_on: date("2025-04-01"),
            },
        )
        .await
        .unwrap();
    let wz_gov = org(st, WUZHI, "武陟县人民政府", OrganisationKind::Government).await;
    st.assign_complaint(
        &change("转办"),
        c.complaint.id,
        wz_gov,
        Some(date("2025-05-01")),
    )
    .await
    .unwrap();

    let imported = scheme(st).await.unwrap();
    assert!(!imported.unchanged);
    assert_eq!(imported.scheme.scheme.base_points(), 100.0);
    assert!(
        scheme(st).await.unwrap().unchanged,
        "the same sheet again changes nothing"
    );

    for (unit, points) in [(QINYANG, 38.0), (MENGZHOU, 30.0), (WUZHI, 36.0)] {
        survey(st, "jz.statistics", unit, points, &ev).await;
    }
    // A survey entry beyond the item's points, or without evidence, is refused.
    let bad = st
        .enter_assessment(
            &change("x"),
            NewEntry {
                region_code: code("410800"),
                year: 2025,
                unit: UnitRef::parse(QINYANG).unwrap(),
                item: "3".into(),
                earned: 41.0,
                triggered: false,
                reason: "x".into(),
                evidence: vec![ev.clone()],
                on: date("2026-01-05"),
            },
        )
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("0 到 40"), "{bad}");
    // 武陟 is vetoed.
    st.enter_assessment(
        &Change::new("jz.eco", "认定否决"),
        NewEntry {
            region_code: code("410800"),
            year: 2025,
            unit: UnitRef::parse(WUZHI).unwrap(),
            item: "4".into(),
            earned: 0.0,
            triggered: true,
            reason: "2025年8月发生较大突发环境事件".into(),
            evidence: vec![ev.clone()],
            on: date("2026-01-06"),
        },
    )
    .await
    .unwrap();

    let run = st
        .run_assessment(
            &Change::new("jz.admin", "年度考核计分"),
            &code("410800"),
            2025,
            date("2026-01-10"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(run.status, RunStatus::Draft);
    assert_eq!(run.scheme_rev, 1);
    let by = |code: &str| run.results.iter().find(|u| u.unit.key() == code).unwrap();
    // 沁阳: 40 + 20 (nothing due) + 38 = 98 — 优秀 by its score, but 30 % of three units
    // leaves no place in the best grade. 孟州: 20 + 20 + 30 = 70, 一般.
    assert_eq!(by(QINYANG).total, 98.0);
    assert_eq!(by(QINYANG).grade, "良好");
    assert!(by(QINYANG).quota_moved);
    assert_eq!(by(QINYANG).rank, 1);
    let mz = by(MENGZHOU);
    assert_eq!(mz.total, 70.0);
    assert_eq!(mz.lines[0].earned, 20.0, "{}", mz.lines[0].explanation_zh);
    assert!(mz.lines[0]
        .sources
        .contains(&format!("finding:{}", late.id)));
    assert!(
        mz.lines[0].explanation_zh.contains("逾期 1 个"),
        "{}",
        mz.lines[0].explanation_zh
    );
    assert_eq!(mz.grade, "一般");
    let wz = by(WUZHI);
    assert!(wz.vetoed);
    assert_eq!(wz.total, 76.0);
    assert_eq!(
        wz.grade, "较差",
        "a veto gives the lowest grade whatever the total"
    );
    assert_eq!(wz.rank, 3);
    assert_eq!(wz.lines[1].earned, 0.0, "the unanswered complaint");
    assert!(wz.lines[1]
        .sources
        .contains(&format!("complaint:{}", c.complaint.id)));

    // The one who computed it may not review it.
    let own = st
        .review_run(&Change::new("jz.admin", "复核"), run.id)
        .await
        .unwrap_err();
    assert!(
        matches!(own, StoreError::Refused { ref field, .. } if field == "separation_of_duties"),
        "{own}"
    );
    assert!(
        st.publish_run(&change("公布"), run.id, date("2026-01-20"))
            .await
            .is_err(),
        "not reviewed yet"
    );
    // The scheme is frozen: a change needs its reason.
    let mut changed = items();
    changed[2].scorer = "市统计局(调查队)".into();
    let revised = |reason: Option<&str>| SchemeImport {
        region_code: code("410800"),
        year: 2025,
        title: String::new(),
        units: [QINYANG, MENGZHOU, WUZHI]
            .iter()
            .map(|c| UnitRef::parse(c).unwrap())
            .collect(),
        items: changed.clone(),
        grading: Grading::default(),
        objection_days: 10,
        revision_reason: reason.map(str::to_string),
    };
    let frozen = st
        .import_scheme(&change("导入"), revised(None))
        .await
        .unwrap_err();
    assert!(frozen.to_string().contains("reason"), "{frozen}");
    let v2 = st
        .import_scheme(&change("导入"), revised(Some("调整负责考核部门")))
        .await
        .unwrap();
    assert_eq!(v2.scheme.rev, 2);
    // The draft was scored by version 1; running again uses version 2.
    let rerun = st
        .run_assessment(
            &Change::new("jz.admin", "重新计分"),
            &code("410800"),
            2025,
            date("2026-01-10"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (rerun.scheme_rev, rerun.rev, rerun.status),
        (2, 2, RunStatus::Draft)
    );

    let reviewed = st
        .review_run(&Change::new("jz.reviewer", "复核"), run.id)
        .await
        .unwrap();
    assert_eq!(reviewed.reviewed_by.as_deref(), Some("jz.reviewer"));
    let published = st
        .publish_run(&Change::new("jz.admin", "公布"), run.id, date("2026-01-20"))
        .await
        .unwrap();
    assert_eq!(published.status, RunStatus::Published);
    // After publication, entries are closed and a rerun is a correction with its reason.
    let closed = st
        .enter_assessment(
            &change("改分"),
            NewEntry {
                region_code: code("410800"),
                year: 2025,
                unit: UnitRef::parse(MENGZHOU).unwrap(),
                item: "3".into(),
                earned: 35.0,
                triggered: false,
                reason: "x".into(),
                evidence: vec![ev.clone()],
                on: date("2026-01-21"),
            },
        )
        .await
        .unwrap_err();
    assert!(closed.to_string().contains("已公布"), "{closed}");
    assert!(st
        .run_assessment(
            &change("重算"),
            &code("410800"),
            2025,
            date("2026-01-22"),
            None
        )
        .await
        .is_err());

    // Objections: too late is refused; in time, upheld with a changed score.
    let late_objection = st
        .lodge_objection(
            &Change::new("mz.officer", "申诉"),
            NewObjection {
                run_id: run.id,
                unit: UnitRef::parse(MENGZHOU).unwrap(),
                item: Some("1".into()),
                text: "逾期问题已于 2025-07-05 整改到位".into(),
                on: date("2026-02-10"),
            },
        )
        .await
        .unwrap_err();
    assert!(
        late_objection.to_string().contains("2026-01-30"),
        "{late_objection}"
    );
    let objection = st
        .lodge_objection(
            &Change::new("mz.officer", "申诉"),
            NewObjection {
                run_id: run.id,
                unit: UnitRef::parse(MENGZHOU).unwrap(),
                item: Some("1".into()),
                text: "退回系验收标准调整所致".into(),
                on: date("2026-01-25"),
            },
        )
        .await
        .unwrap();
    let own_answer = st
        .answer_objection(
            &Change::new("mz.officer", "答复"),
            objection.id,
            ObjectionAnswer {
                upheld: false,
                answer: "x".into(),
                adjust: None,
                on: date("2026-01-26"),
            },
        )
        .await
        .unwrap_err();
    assert!(
        own_answer.to_string().contains("separation")
            || own_answer.to_string().contains("不能自行答复"),
        "{own_answer}"
    );
    let (answered, after) = st
        .answer_objection(
            &Change::new("jz.admin", "答复申诉"),
            objection.id,
            ObjectionAnswer {
                upheld: true,
                answer: "经核实,退回不计扣分".into(),
                adjust: Some(Adjustment {
                    item: "1".into(),
                    earned: 25.0,
                }),
                on: date("2026-01-28"),
            },
        )
        .await
        .unwrap();
    assert_eq!(answered.status, ObjectionStatus::Upheld);
    assert_eq!(after.rev, published.rev + 1);
    let mz = after
        .results
        .iter()
        .find(|u| u.unit.key() == MENGZHOU)
        .unwrap();
    assert_eq!(mz.total, 75.0);
    assert!(mz.lines[0]
        .explanation_zh
        .contains(&format!("申诉 #{}", objection.id)));
    assert_eq!(
        st.assessment_run_versions(run.id).await.unwrap().len() as i64,
        after.rev
    );

    // A correction with its reason re-scores (the upheld adjustment is a version of its own).
    let corrected = st
        .run_assessment(
            &Change::new("jz.admin", "更正"),
            &code("410800"),
            2025,
            date("2026-02-01"),
            Some("满意度调查数据复核后更正"),
        )
        .await
        .unwrap();
    assert_eq!(corrected.status, RunStatus::Published);
    assert!(corrected.note.contains("更正"));

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn results_follow_the_people(db: TestDb) {
    let st = &db.store;
    let gov = org(st, MENGZHOU, "孟州市人民政府", OrganisationKind::Government).await;
    let post = st
        .add_post(
            &change("设岗"),
            PostSpec {
                organisation_id: gov,
                title: "市长".into(),
                role: Role::GovernmentHead,
                portfolio: vec![],
            },
        )
        .await
        .unwrap();
    let first = st
        .add_person(&change("人员"), "钱守诚", None)
        .await
        .unwrap();
    let second = st
        .add_person(&change("人员"), "孙立新", None)
        .await
        .unwrap();
    let t = st
        .add_tenure(
            &change("任职"),
            NewTenure {
                post_id: post.id,
                person_id: first.id,
                start_date: date("2021-03-01"),
                end_date: Some(date("2025-07-01")),
                acting: false,
            },
        )
        .await
        .unwrap();
    st.add_tenure(
        &change("任职"),
        NewTenure {
            post_id: post.id,
            person_id: second.id,
            start_date: date("2025-07-01"),
            end_date: None,
            acting: false,
        },
    )
    .await
    .unwrap();
    let answerers = st
        .answerers(&UnitRef::parse(MENGZHOU).unwrap(), 2025)
        .await
        .unwrap();
    assert_eq!(answerers.len(), 2);
    assert_eq!(
        (answerers[0].person.as_str(), answerers[0].days),
        ("钱守诚", 181)
    );
    assert_eq!(
        (answerers[1].person.as_str(), answerers[1].days),
        ("孙立新", 184)
    );
    assert_eq!(answerers.iter().map(|a| a.days).sum::<i64>(), 365);

    // A published 2025 result appears on the first mayor's record, with his share of the year.
    scheme(st).await.unwrap();
    let run = st
        .run_assessment(
            &Change::new("a", "计分"),
            &code("410800"),
            2025,
            date("2026-01-10"),
            None,
        )
        .await
        .unwrap();
    st.review_run(&Change::new("b", "复核"), run.id)
        .await
        .unwrap();
    st.publish_run(&Change::new("a", "公布"), run.id, date("2026-01-20"))
        .await
        .unwrap();
    let record = st.cadre_record(first.id, date("2026-12-06")).await.unwrap();
    assert_eq!(record.tenures.len(), 1);
    let tr = &record.tenures[0];
    assert_eq!(tr.tenure.tenure.id, t.id);
    let y2025 = tr.years.iter().find(|y| y.year == 2025).unwrap();
    assert_eq!(y2025.days, 181);
    assert_eq!(y2025.share, 49.6);
    let mz = run
        .results
        .iter()
        .find(|u| u.unit.key() == MENGZHOU)
        .unwrap();
    assert_eq!(y2025.grade.as_deref(), Some(mz.grade.as_str()));
    assert_eq!(y2025.units, Some(3));
    assert!(
        tr.years
            .iter()
            .find(|y| y.year == 2024)
            .unwrap()
            .grade
            .is_none(),
        "no 2024 run"
    );
    db.finish().await;
}

on_both_backends!(
    a_year_is_scored_reviewed_published_and_objected_to,
    results_follow_the_people,
);
