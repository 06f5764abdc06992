//! Accountability cases in the store, on both backends: a case opened from an overdue finding
//! of 孟州市 proposes the holders, on the finding's deadline, of the posts that answer for it —
//! the government head who has since moved to 象州县 among them, marked as gone, and not his
//! successor; the investigator confirms and removes with reasons, records grounds of Art. 17
//! (quoted from the regulation) and a circumstance of Art. 18; the decision is refused to the
//! investigator and to an incomplete file, then taken; the influence period shows on the
//! person's record; an appeal out of time is refused, one in time changes the outcome; the
//! case is executed and archived; every step out of turn is refused. Sources are checked (an
//! emergency below 较大 opens nothing), a clue is dismissed with its reason, reads are logged,
//! and the ledger is intact.

mod common;

use chrono::NaiveDate;
use common::{change, code, date, hold, org, person, post, TestDb};
use ecoduty_domain::access::UserRole;
use ecoduty_domain::accountability::{
    CaseSource, CaseStatus, Circumstance, DecidedForm, Degree, Effect, Form, PersonState,
};
use ecoduty_domain::emergency::{EventKind, Level};
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_domain::{OrganisationKind, Role};
use ecoduty_store::accountability::{
    AppealAnswerSpec, AppealResult, CaseFilter, DecisionSpec, NewCase, OutcomeSpec, ReadVia,
};
use ecoduty_store::emergency::{parse_china_time, NewEmergency};
use ecoduty_store::ledger::LedgerFilter;
use ecoduty_store::supervision::findings::NewFinding;
use ecoduty_store::{Change, Store, StoreError};

const MENGZHOU: &str = "410883";
const XIANGZHOU: &str = "451322";

struct County {
    former_head: i64,
    head: i64,
    secretary: i64,
    deputy: i64,
    eco_head: i64,
    housing_head: i64,
    housing: i64,
    gov: i64,
}

/// 孟州市: its Party secretary, its government head until 2026-05-01 (then 象州县's) and his
/// successor, the deputy for eco-environment, the eco-environment bureau's head and the
/// housing bureau's.
async fn county(st: &Store) -> County {
    let committee = org(
        st,
        MENGZHOU,
        "中共孟州市委员会",
        OrganisationKind::PartyCommittee,
        false,
    )
    .await;
    let gov = org(
        st,
        MENGZHOU,
        "孟州市人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    let eco = org(
        st,
        MENGZHOU,
        "焦作市生态环境局孟州分局",
        OrganisationKind::Department,
        true,
    )
    .await;
    let housing = org(
        st,
        MENGZHOU,
        "孟州市住房和城乡建设局",
        OrganisationKind::Department,
        false,
    )
    .await;
    let xz_gov = org(
        st,
        XIANGZHOU,
        "象州县人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    let secretary_post = post(st, committee, "市委书记", Role::PartySecretary).await;
    let head_post = post(st, gov, "市长", Role::GovernmentHead).await;
    let deputy_post = post(st, gov, "副市长", Role::DeputyEco).await;
    let eco_post = post(st, eco, "局长", Role::EcoDepartmentHead).await;
    let housing_post = post(st, housing, "局长", Role::SectorDepartmentHead).await;
    let xz_head = post(st, xz_gov, "县长", Role::GovernmentHead).await;
    let c = County {
        former_head: person(st, "周前任").await,
        head: person(st, "吴现任").await,
        secretary: person(st, "孙书记").await,
        deputy: person(st, "郑分管").await,
        eco_head: person(st, "王局长").await,
        housing_head: person(st, "冯局长").await,
        housing,
        gov,
    };
    hold(
        st,
        head_post,
        c.former_head,
        "2021-06-01",
        Some("2026-05-01"),
    )
    .await;
    hold(st, xz_head, c.former_head, "2026-05-01", None).await;
    hold(st, head_post, c.head, "2026-05-01", None).await;
    hold(st, secretary_post, c.secretary, "2022-01-01", None).await;
    hold(st, deputy_post, c.deputy, "2020-01-01", None).await;
    hold(st, eco_post, c.eco_head, "2020-01-01", None).await;
    hold(st, housing_post, c.housing_head, "2020-01-01", None).await;
    c
}

fn as_user(actor: &str, reason: &str) -> Change {
    Change::new(actor, reason)
}

fn refused_zh(e: StoreError) -> String {
    match e {
        StoreError::Refused { reason, .. } => reason.zh,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn invalid(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, message } => format!("{field}: {message}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn overdue_finding(st: &Store, housing: i64) -> i64 {
    st.create_finding(
        &change("审计发现问题"),
        NewFinding {
            region_code: code(MENGZHOU),
            source: Source::Audit,
            inspection_id: None,
            complaint_id: None,
            source_ref: "焦审报〔2026〕3号".into(),
            serial: String::new(),
            category: Category::Water,
            severity: Severity::Serious,
            text: "城区雨污分流改造滞后,污水直排蟒河".into(),
            measures: "完成雨污分流改造".into(),
            units: vec![housing],
            posts: vec![],
            deadline: Some(date("2026-04-08")),
            review_every_days: None,
        },
        date("2026-01-15"),
    )
    .await
    .unwrap()
    .id
}

/// The case the clerk opens from the overdue finding on 2026-06-01.
async fn open_from(st: &Store, finding: i64) -> ecoduty_store::accountability::Case {
    st.open_case(
        &as_user("jw.clerk", "审计移送问题线索"),
        NewCase {
            source: CaseSource::Finding,
            source_id: Some(finding),
            region_code: None,
            title: "孟州市雨污分流改造逾期问题".into(),
            summary: "审计发现的问题逾期未整改".into(),
            act_dates: vec![],
            opened_on: date("2026-06-01"),
        },
    )
    .await
    .unwrap()
}

fn decision(outcomes: Vec<OutcomeSpec>) -> DecisionSpec {
    DecisionSpec {
        document_no: "孟纪发〔2026〕12号".into(),
        body: "中共孟州市纪律检查委员会".into(),
        decided_on: date("2026-07-01"),
        effective_on: date("2026-07-01"),
        appeal_days: 30,
        appeal_body: "中共焦作市纪律检查委员会".into(),
        public: false,
        text: "经调查,城区雨污分流改造逾期未完成……".into(),
        outcomes,
    }
}

async fn a_case_from_an_overdue_finding_names_who_held_the_posts_then(db: TestDb) {
    let st = &db.store;
    let c = county(st).await;
    let finding = overdue_finding(st, c.housing).await;
    let case = open_from(st, finding).await;
    assert_eq!(case.status, CaseStatus::Clue);
    assert_eq!(case.region_code, code(MENGZHOU));
    assert_eq!(case.data.act_dates, vec![date("2026-04-08")]);
    assert!(case.data.source_label.contains(&format!("#{finding}")));
    let proposed: Vec<(i64, Degree, bool)> = case
        .data
        .persons
        .iter()
        .map(|p| (p.person_id, p.degree, p.left))
        .collect();
    assert_eq!(
        proposed,
        vec![
            (c.secretary, Degree::FirstResponsible, false),
            (c.former_head, Degree::FirstResponsible, true),
            (c.deputy, Degree::Leadership, false),
            (c.eco_head, Degree::Direct, false),
            (c.housing_head, Degree::Direct, false),
        ],
        "the holders on 2026-04-08, not the successor"
    );
    let former = case.person(c.former_head).unwrap();
    assert!(
        former.now.iter().any(|p| p.contains("象州县")),
        "{:?}",
        former.now
    );
    assert_eq!(former.tenure_end, Some(date("2026-05-01")));
    assert!(
        former
            .duties
            .iter()
            .any(|d| d.citation.starts_with("第七条")),
        "the government head's list cites Art. 7: {:?}",
        former.duties
    );
    assert!(case.person(c.head).is_none());

    // Out of turn: nothing is investigated before the clue is taken up.
    let investigator = as_user("jw.li", "调查");
    let e = st
        .set_case_person(
            &investigator,
            case.id,
            c.former_head,
            PersonState::Confirmed,
            "时任市长",
        )
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("先立案"));
    let case = st.take_up_case(&investigator, case.id).await.unwrap();
    assert_eq!(case.data.investigator.as_deref(), Some("jw.li"));
    assert!(
        refused_zh(st.take_up_case(&investigator, case.id).await.unwrap_err()).contains("调查核实")
    );
    let e = st
        .add_case_ground(
            &investigator,
            case.id,
            c.former_head,
            2,
            "未督促整改",
            vec![],
        )
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("先确认"));
    for (p, state, why) in [
        (
            c.former_head,
            PersonState::Confirmed,
            "时任市长,整改期限内在任",
        ),
        (c.housing_head, PersonState::Confirmed, "牵头整改单位负责人"),
        (
            c.secretary,
            PersonState::Removed,
            "已督促并作出部署,有书面记录",
        ),
        (c.deputy, PersonState::Removed, "不分管城建"),
        (c.eco_head, PersonState::Removed, "非牵头单位"),
    ] {
        st.set_case_person(&investigator, case.id, p, state, why)
            .await
            .unwrap();
    }
    let e = st
        .add_case_ground(&investigator, case.id, c.former_head, 9, "x", vec![])
        .await
        .unwrap_err();
    assert!(invalid(e).contains("no item 9"));
    let case = st
        .add_case_ground(
            &investigator,
            case.id,
            c.former_head,
            2,
            "整改逾期,未组织推进",
            vec![],
        )
        .await
        .unwrap();
    let g = &case.person(c.former_head).unwrap().grounds[0];
    assert_eq!(g.citation, "第十七条第二项");
    assert!(g.text.contains("形式主义"), "{}", g.text);
    st.add_case_ground(
        &investigator,
        case.id,
        c.housing_head,
        2,
        "未按期完成改造",
        vec![],
    )
    .await
    .unwrap();
    let e = st
        .set_case_person(
            &investigator,
            case.id,
            c.housing_head,
            PersonState::Removed,
            "x",
        )
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("不能排除"));
    let case = st
        .add_case_circumstance(
            &investigator,
            case.id,
            c.housing_head,
            Circumstance::Cooperated,
            "主动说明情况",
            vec![],
        )
        .await
        .unwrap();
    let ci = &case.person(c.housing_head).unwrap().circumstances[0];
    assert_eq!(
        (ci.citation.as_str(), ci.effect),
        ("第十八条第一款", Effect::Lighter)
    );

    // The decision: not by the investigator, not without every outcome.
    let outcomes = vec![
        OutcomeSpec {
            person_id: c.former_head,
            forms: vec!["admonition".into()],
            exempt_reason: None,
            no_promotion_until: Some(date("2026-12-31")),
        },
        OutcomeSpec {
            person_id: c.housing_head,
            forms: vec!["责令公开道歉".into()],
            exempt_reason: None,
            no_promotion_until: None,
        },
    ];
    let e = st
        .decide_case(&investigator, case.id, decision(outcomes.clone()))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("查处分离"));
    let decider = as_user("jw.wang", "审理决定");
    let e = st
        .decide_case(&decider, case.id, decision(outcomes[..1].to_vec()))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("处理结果未写明"));
    let e = st
        .decide_case(
            &decider,
            case.id,
            decision(vec![OutcomeSpec {
                forms: vec![],
                ..outcomes[0].clone()
            }]),
        )
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("问责方式"));
    let case = st
        .decide_case(&decider, case.id, decision(outcomes))
        .await
        .unwrap();
    assert_eq!(case.status, CaseStatus::Decided);
    assert_eq!(case.data.decision.as_ref().unwrap().decided_by, "jw.wang");

    // The former head's record: the case and its influence period, in force until its end.
    let record = st
        .person_cases(c.former_head, date("2026-08-01"))
        .await
        .unwrap();
    assert_eq!(record.len(), 1);
    assert!(record[0].influence_in_force);
    assert_eq!(record[0].decision_no.as_deref(), Some("孟纪发〔2026〕12号"));
    assert!(
        !st.person_cases(c.former_head, date("2027-01-01"))
            .await
            .unwrap()[0]
            .influence_in_force
    );
    assert!(
        st.person_cases(c.secretary, date("2026-08-01"))
            .await
            .unwrap()
            .is_empty(),
        "removed persons have no case on their record"
    );

    // Appeals: out of time refused, in time changed.
    let e = st
        .lodge_case_appeal(
            &decider,
            case.id,
            c.housing_head,
            date("2026-08-15"),
            "不服",
        )
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("申诉期"));
    st.lodge_case_appeal(
        &decider,
        case.id,
        c.housing_head,
        date("2026-07-10"),
        "改造受征迁影响",
    )
    .await
    .unwrap();
    let e = st
        .archive_case(&decider, case.id, date("2026-07-20"))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("执行完毕"));
    let case = st
        .answer_case_appeal(
            &decider,
            case.id,
            1,
            AppealAnswerSpec {
                answered_on: date("2026-07-25"),
                result: AppealResult::Changed,
                text: "情节较轻,改为诫勉".into(),
                outcome: Some(OutcomeSpec {
                    person_id: c.housing_head,
                    forms: vec!["诫勉".into()],
                    exempt_reason: None,
                    no_promotion_until: None,
                }),
            },
        )
        .await
        .unwrap();
    let housing = case.person(c.housing_head).unwrap();
    assert_eq!(
        housing.outcome.as_ref().unwrap().forms,
        vec![DecidedForm::builtin(Form::Admonition)]
    );
    let answer = case.data.appeals[0].answer.as_ref().unwrap();
    assert_eq!(
        answer.previous.as_ref().unwrap().forms,
        vec![DecidedForm::builtin(Form::PublicApology)]
    );

    let case = st
        .execute_case(&decider, case.id, date("2026-08-01"), "已当面诫勉谈话")
        .await
        .unwrap();
    assert_eq!(case.status, CaseStatus::Executed);
    let case = st
        .archive_case(&decider, case.id, date("2026-08-10"))
        .await
        .unwrap();
    assert_eq!(case.status, CaseStatus::Archived);
    assert!(
        refused_zh(st.dismiss_case(&decider, case.id, "x").await.unwrap_err()).contains("撤销")
    );
    assert!(refused_zh(
        st.set_case_person(
            &investigator,
            case.id,
            c.deputy,
            PersonState::Confirmed,
            "x"
        )
        .await
        .unwrap_err()
    )
    .contains("已归档"));

    // Every step is a version, attributable.
    let versions = st.case_versions(case.id).await.unwrap();
    assert_eq!(versions.len() as i64, case.rev);
    assert_eq!(versions[0].status, CaseStatus::Clue);
    let log = st
        .entity_log("accountability_case", &case.id.to_string())
        .await
        .unwrap();
    assert_eq!(log.len(), versions.len());
    assert_eq!(log[0].actor, "jw.clerk");
    assert!(log
        .iter()
        .any(|e| e.actor == "jw.wang" && e.action == "decide"));
    // The ledger's listings leave a case's entries out unless the reader may read cases.
    let listing = |confidential| LedgerFilter {
        entity: Some("accountability_case".into()),
        confidential,
        ..LedgerFilter::default()
    };
    assert!(st
        .ledger_page(&listing(false), None, 100)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        st.ledger_page(&listing(true), None, 100)
            .await
            .unwrap()
            .len(),
        versions.len()
    );

    // Lists and reads.
    let within = st
        .cases(&CaseFilter {
            within: Some(code("410800")),
            person_id: Some(c.former_head),
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(within.len(), 1);
    assert!(
        st.cases(&CaseFilter {
            within: Some(code("451300")),
            ..CaseFilter::default()
        })
        .await
        .unwrap()
        .is_empty(),
        "the case is 孟州市's, not 来宾市's, though the person is there now"
    );
    st.log_case_read(
        case.id,
        "zz.reader",
        UserRole::OrganisationDepartment.key(),
        ReadVia::Page,
    )
    .await
    .unwrap();
    let reads = st
        .case_reads(Some(&code("410800")), None, 50)
        .await
        .unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(
        (reads[0].username.as_str(), reads[0].via.as_str()),
        ("zz.reader", "page")
    );
    assert!(st
        .case_reads(Some(&code("451322")), None, 50)
        .await
        .unwrap()
        .is_empty());

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn sources_are_checked_and_a_clue_is_dismissed_with_its_reason(db: TestDb) {
    let st = &db.store;
    let c = county(st).await;
    let new = |source, source_id, dates: Vec<NaiveDate>| NewCase {
        source,
        source_id,
        region_code: Some(code(MENGZHOU)),
        title: "线索".into(),
        summary: "群众反映".into(),
        act_dates: dates,
        opened_on: date("2026-06-01"),
    };
    let clerk = as_user("jw.clerk", "登记线索");
    let e = st
        .open_case(&clerk, new(CaseSource::Finding, Some(999), vec![]))
        .await
        .unwrap_err();
    assert!(invalid(e).contains("no finding #999"));
    let e = st
        .open_case(&clerk, new(CaseSource::Manual, None, vec![]))
        .await
        .unwrap_err();
    assert!(invalid(e).contains("act_dates"));
    let e = st
        .open_case(
            &clerk,
            new(CaseSource::Manual, None, vec![date("2026-07-01")]),
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("after the case is opened"));
    let e = st
        .open_case(&clerk, new(CaseSource::Emergency, None, vec![]))
        .await
        .unwrap_err();
    assert!(invalid(e).contains("source_id"));
    let event = |level| NewEmergency {
        region_code: code(MENGZHOU),
        title: "蟒河水污染事件".into(),
        place: "孟州市城区".into(),
        kind: EventKind::Water,
        pollutants: vec!["COD".into()],
        level,
        occurred_at: parse_china_time("2026-05-10 08:00").unwrap(),
        reported_at: parse_china_time("2026-05-10 09:00").unwrap(),
        risk_source_id: None,
        report: "初报".into(),
        evidence: vec![],
    };
    let small = st
        .report_emergency(&clerk, event(Level::General))
        .await
        .unwrap()
        .emergency
        .id;
    let e = st
        .open_case(&clerk, new(CaseSource::Emergency, Some(small), vec![]))
        .await
        .unwrap_err();
    assert!(invalid(e).contains("较大"));
    let large = st
        .report_emergency(&clerk, event(Level::Large))
        .await
        .unwrap()
        .emergency
        .id;
    let case = st
        .open_case(&clerk, new(CaseSource::Emergency, Some(large), vec![]))
        .await
        .unwrap();
    assert_eq!(case.data.act_dates, vec![date("2026-05-10")]);
    // On 2026-05-10 the head is the successor; no unit is named, so no sector head answers.
    let people: Vec<i64> = case.data.persons.iter().map(|p| p.person_id).collect();
    assert_eq!(people, vec![c.secretary, c.head, c.deputy, c.eco_head]);
    let e = st
        .open_case(
            &clerk,
            NewCase {
                region_code: Some(code("410882")),
                ..new(CaseSource::Emergency, Some(large), vec![])
            },
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("not in 410882"));

    // A manual clue, dismissed: nothing follows.
    let manual = st
        .open_case(
            &clerk,
            new(
                CaseSource::Manual,
                None,
                vec![date("2026-03-01"), date("2026-02-01")],
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        manual.data.act_dates,
        vec![date("2026-02-01"), date("2026-03-01")]
    );
    assert!(manual.source_id.is_none());
    let e = st.dismiss_case(&clerk, manual.id, "  ").await.unwrap_err();
    assert!(invalid(e).contains("reason"));
    let d = st
        .dismiss_case(&clerk, manual.id, "经初核,反映问题不属实")
        .await
        .unwrap();
    assert_eq!(d.status, CaseStatus::Dismissed);
    assert_eq!(d.data.dismissal.as_deref(), Some("经初核,反映问题不属实"));
    assert!(refused_zh(st.take_up_case(&clerk, manual.id).await.unwrap_err()).contains("已撤销"));
    // A decision needs a confirmed person.
    st.take_up_case(&clerk, case.id).await.unwrap();
    for p in &people {
        st.set_case_person(&clerk, case.id, *p, PersonState::Removed, "不负有责任")
            .await
            .unwrap();
    }
    let e = st
        .decide_case(&as_user("jw.wang", "决定"), case.id, decision(vec![]))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("没有确认"));
    assert_eq!(
        st.cases(&CaseFilter {
            status: Some(CaseStatus::Dismissed),
            ..CaseFilter::default()
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

/// The housing bureau's head is also a deputy mayor (副市长, for the housing sector) on the
/// finding's deadline: he is proposed once, under the heavier post (领导责任), with the
/// bureau's post (直接责任) and both posts' duties listed with him; a step on him is one step.
async fn a_person_on_two_answering_posts_is_in_the_case_once(db: TestDb) {
    let st = &db.store;
    let c = county(st).await;
    let sector_deputy = post(st, c.gov, "副市长(住建)", Role::DeputySector).await;
    hold(st, sector_deputy, c.housing_head, "2025-01-01", None).await;
    let finding = overdue_finding(st, c.housing).await;
    let case = open_from(st, finding).await;
    let his: Vec<_> = case
        .data
        .persons
        .iter()
        .filter(|p| p.person_id == c.housing_head)
        .collect();
    assert_eq!(his.len(), 1, "{:#?}", case.data.persons);
    let p = his[0];
    assert_eq!(p.post, "副市长(住建)");
    assert_eq!(p.degree, Degree::Leadership);
    assert_eq!(p.also.len(), 1);
    assert_eq!(p.also[0].post, "局长");
    assert_eq!(p.also[0].organisation, "孟州市住房和城乡建设局");
    assert_eq!(p.also[0].degree, Degree::Direct);
    assert_eq!(p.also[0].dates, vec![date("2026-04-08")]);
    // Every person is in the case once.
    let mut ids: Vec<i64> = case.data.persons.iter().map(|p| p.person_id).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    // The case round-trips through the store with his other post.
    let again = st.case(case.id).await.unwrap().unwrap();
    let p = again
        .data
        .persons
        .iter()
        .find(|p| p.person_id == c.housing_head)
        .unwrap();
    assert_eq!(p.also.len(), 1);
    db.finish().await;
}

on_both_backends!(
    a_person_on_two_answering_posts_is_in_the_case_once,
    a_case_from_an_overdue_finding_names_who_held_the_posts_then,
    sources_are_checked_and_a_clue_is_dismissed_with_its_reason,
);
