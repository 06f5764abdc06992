//! Several frameworks in the store, on both backends: a second framework imported under its
//! key with its versions (the built-in regulation stays the one in force for duties), its
//! situations (情形) and forms of accountability stored as data, citations naming it
//! (《办法》第五条第(七)项); a case ground citing it; a person added to a case by hand; and the
//! roster import's warning on an appointment to a higher post inside an influence period.
//!
//! The framework text is a test text written for these tests
//! (`crates/regulation/tests/fixtures/framework_test_text.txt`), not the 办法's published text.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::accountability::{CaseSource, Degree, PersonState};
use ecoduty_domain::roster::{header, parse_roster, RosterRow};
use ecoduty_regulation::BUILTIN_FRAMEWORK;
use ecoduty_store::accountability::{AddedPerson, DecisionSpec, GroundRef, NewCase, OutcomeSpec};
use ecoduty_store::regulation::NewVersion;
use ecoduty_store::roster::RosterSource;
use ecoduty_store::{Change, Store, StoreError};

const TEXT: &str = include_str!("../../regulation/tests/fixtures/framework_test_text.txt");
const KEY: &str = "accountability-measures";

fn rows(lines: &[&str]) -> Vec<RosterRow> {
    let cells: Vec<(usize, Vec<String>)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 2, l.split(',').map(str::to_string).collect()))
        .collect();
    parse_roster(&header(false), &cells).unwrap()
}

fn source(name: &str) -> RosterSource {
    RosterSource {
        file_name: name.into(),
        sha256: "0".repeat(64),
    }
}

async fn ledger_len(s: &Store) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM ledger")
        .fetch_one(s.pool())
        .await
        .unwrap()
}

fn invalid(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, message } => format!("{field}: {message}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn refused_zh(e: StoreError) -> String {
    match e {
        StoreError::Refused { reason, .. } => reason.zh,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn import(
    st: &Store,
    text: &str,
    key: Option<&str>,
) -> Result<ecoduty_store::regulation::RegulationVersion, StoreError> {
    let reg = ecoduty_regulation::parse(text).unwrap();
    st.import_regulation(
        &change("导入办法"),
        NewVersion {
            framework: key,
            short_name: None,
            regulation: &reg,
            text,
            source_name: "framework_test_text.txt",
            label: None,
            effective_from: None,
            builtin: false,
        },
        false,
    )
    .await
}

async fn a_second_framework_has_its_own_versions_situations_and_forms(db: TestDb) {
    let st = &db.store;
    let before = ledger_len(st).await;
    // Bad keys and a truncated text change nothing.
    assert!(
        invalid(import(st, TEXT, Some("Bad Key")).await.unwrap_err()).starts_with("framework:")
    );
    let cut: String = TEXT.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(invalid(import(st, &cut, Some(KEY)).await.unwrap_err()).contains("incomplete"));
    assert_eq!(ledger_len(st).await, before);
    assert!(st.framework_versions(KEY).await.unwrap().is_empty());

    let v = import(st, TEXT, Some(KEY)).await.unwrap();
    assert_eq!((v.framework.as_str(), v.short_name.as_str()), (KEY, "办法"));
    assert_eq!(v.effective_from, date("2015-08-09"));
    assert!(!v.builtin);
    assert!(
        st.regulation_duties(v.id, None).await.unwrap().is_empty(),
        "only the regulation assigns duties"
    );
    // The same text again is refused; the regulation in force is still the built-in one.
    assert!(matches!(
        import(st, TEXT, Some(KEY)).await.unwrap_err(),
        StoreError::Conflict(_)
    ));
    let reg = st
        .regulation_in_force(date("2026-06-01"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reg.framework, BUILTIN_FRAMEWORK);
    assert_eq!(reg.short_name, "");
    assert_eq!(
        st.framework_in_force(KEY, date("2026-06-01"))
            .await
            .unwrap()
            .unwrap()
            .id,
        v.id
    );
    assert!(st
        .framework_in_force(KEY, date("2015-08-08"))
        .await
        .unwrap()
        .is_none());

    let s = st.framework_situations(v.id).await.unwrap();
    assert_eq!(s.len(), 25);
    let per = |a: u32| s.iter().filter(|x| x.article == a).count();
    assert_eq!((per(5), per(6), per(7), per(8)), (8, 5, 7, 5));
    let s57 = s.iter().find(|x| x.article == 5 && x.item == 7).unwrap();
    assert_eq!(s57.citation, "《办法》第五条第(七)项");
    assert_eq!(s57.subject, "相关地方党委和政府主要领导成员");
    let f = st.framework_forms(v.id).await.unwrap();
    assert_eq!(f.len(), 9);
    assert_eq!(
        (f[3].name.as_str(), f[3].group.as_deref()),
        ("调离岗位", Some("组织处理"))
    );

    // A second version of the framework, effective later; each version keeps its own data.
    let reissued = TEXT
        .replace(
            "测试用生态环境损害责任追究办法(试行)",
            "测试用生态环境损害责任追究办法",
        )
        .replace("(2015年8月9日测试机关发布)", "(2026年8月25日测试机关发布)");
    let v2 = import(st, &reissued, Some(KEY)).await.unwrap();
    assert_eq!(v2.effective_from, date("2026-08-25"));
    assert_eq!(st.framework_versions(KEY).await.unwrap().len(), 2);
    assert_eq!(
        st.framework_in_force(KEY, date("2026-06-01"))
            .await
            .unwrap()
            .unwrap()
            .id,
        v.id
    );
    assert_eq!(
        st.framework_in_force(KEY, date("2026-09-01"))
            .await
            .unwrap()
            .unwrap()
            .id,
        v2.id
    );
    assert_eq!(st.framework_situations(v2.id).await.unwrap().len(), 25);
    let all = st.frameworks(date("2026-09-01")).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].key.as_str(), all[0].builtin),
        (BUILTIN_FRAMEWORK, true)
    );
    assert_eq!(
        (all[1].key.as_str(), all[1].versions, all[1].in_force),
        (KEY, 2, Some(v2.id))
    );
    assert_eq!(all[1].title, "测试用生态环境损害责任追究办法");

    // The built-in regulation's own situations are Art. 17's, cited as before.
    let builtin = st.framework_situations(reg.id).await.unwrap();
    assert!(
        builtin.iter().any(|x| x.citation == "第十七条第二项"),
        "{builtin:?}"
    );

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    // An edited situation is caught by verification (triggers refuse UPDATE, so insert a row).
    sqlx::query("INSERT INTO framework_situations (version_id, article, paragraph, item, subject, citation, text) VALUES ($1, 99, 1, 1, 'x', 'x', 'x')")
        .bind(v.id)
        .execute(st.pool())
        .await
        .unwrap();
    assert!(!st.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

const ROSTER: &[&str] = &[
    "410883,中共孟州市委员会,party_committee,市委书记,party_secretary,孙书记,2022-01-01,,false",
    "410883,孟州市人民政府,government,市长,government_head,周市长,2021-06-01,,false",
    "410883,孟州市人民政府,government,副市长,deputy_eco,郑副市长,2020-01-01,,false",
    "410883,焦作市生态环境局孟州分局,department,局长,eco_department_head,王局长,2020-01-01,,false",
    "410800,焦作市住房和城乡建设局,department,局长,sector_department_head,冯局长,2020-01-01,,false",
];

async fn person_named(st: &Store, name: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT person_id FROM person_current WHERE name = $1")
        .bind(name)
        .fetch_one(st.pool())
        .await
        .unwrap()
}

async fn post_titled(st: &Store, org: &str, title: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT p.post_id FROM post_current p JOIN organisation_current o ON o.organisation_id = p.organisation_id WHERE o.name = $1 AND p.title = $2",
    )
    .bind(org)
    .bind(title)
    .fetch_one(st.pool())
    .await
    .unwrap()
}

async fn grounds_cite_the_framework_persons_are_added_by_hand_and_the_roster_warns(db: TestDb) {
    let st = &db.store;
    st.import_roster(&change("名册"), &rows(ROSTER), &source("a.csv"))
        .await
        .unwrap();
    let zhou = person_named(st, "周市长").await;
    let feng = person_named(st, "冯局长").await;
    let sun = person_named(st, "孙书记").await;
    let feng_post = post_titled(st, "焦作市住房和城乡建设局", "局长").await;
    let case = st
        .open_case(
            &Change::new("jw.clerk", "线索"),
            NewCase {
                source: CaseSource::Manual,
                source_id: None,
                region_code: Some(code("410883")),
                title: "孟州市督察整改不力问题".into(),
                summary: "督察整改要求执行不力".into(),
                act_dates: vec![date("2026-03-01")],
                opened_on: date("2026-06-01"),
            },
        )
        .await
        .unwrap();
    assert!(
        case.person(feng).is_none(),
        "another region's bureau head is not proposed"
    );
    let inv = Change::new("jw.li", "调查");
    let added = AddedPerson {
        person_id: feng,
        post_id: feng_post,
        degree: Degree::Direct,
        reason: "市住建局牵头督办该项整改".into(),
    };
    // Not before the clue is taken up.
    assert!(
        refused_zh(st.add_case_person(&inv, case.id, &added).await.unwrap_err()).contains("先立案")
    );
    st.take_up_case(&inv, case.id).await.unwrap();
    // A post the person did not hold on the matter's date, a person already in, an empty reason.
    let e = st
        .add_case_person(
            &inv,
            case.id,
            &AddedPerson {
                person_id: sun,
                ..added.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("已在本案中"));
    let outsider = st
        .add_person(&change("人员"), "钱某", None)
        .await
        .unwrap()
        .id;
    let e = st
        .add_case_person(
            &inv,
            case.id,
            &AddedPerson {
                person_id: outsider,
                ..added.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("did not hold post"));
    let e = st
        .add_case_person(
            &inv,
            case.id,
            &AddedPerson {
                reason: " ".into(),
                ..added.clone()
            },
        )
        .await
        .unwrap_err();
    assert!(invalid(e).starts_with("reason:"));
    let c = st.add_case_person(&inv, case.id, &added).await.unwrap();
    let p = c.person(feng).unwrap();
    assert!(p.added_by_hand);
    assert_eq!(
        (p.state, p.degree, p.left),
        (PersonState::Confirmed, Degree::Direct, false)
    );
    assert_eq!(p.dates, vec![date("2026-03-01")]);
    assert_eq!(p.region_code, code("410800"));
    assert!(
        p.duties.iter().any(|d| d.citation.starts_with("第十二条")),
        "{:?}",
        p.duties
    );
    assert_eq!(p.state_reason.as_deref(), Some("市住建局牵头督办该项整改"));

    for q in &c.data.persons {
        if q.person_id == zhou {
            st.set_case_person(&inv, case.id, zhou, PersonState::Confirmed, "时任市长")
                .await
                .unwrap();
        } else if q.person_id != feng {
            st.set_case_person(&inv, case.id, q.person_id, PersonState::Removed, "已履职")
                .await
                .unwrap();
        }
    }
    let ground = |framework: Option<&str>, article: Option<u32>, item: u32| GroundRef {
        framework: framework.map(str::to_string),
        article,
        item,
    };
    // The framework is not loaded yet: the error says how to load it.
    let e = st
        .add_case_ground_from(
            &inv,
            case.id,
            zhou,
            &ground(Some(KEY), Some(5), 7),
            "督察整改要求执行不力",
            vec![],
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("framework import"), "names the command");
    import(st, TEXT, Some(KEY)).await.unwrap();
    let e = st
        .add_case_ground_from(
            &inv,
            case.id,
            zhou,
            &ground(Some(KEY), Some(5), 9),
            "x",
            vec![],
        )
        .await
        .unwrap_err();
    let msg = invalid(e);
    assert!(msg.contains("5:1–8") && msg.contains("8:1–5"), "{msg}");
    let e = st
        .add_case_ground_from(
            &inv,
            case.id,
            zhou,
            &ground(Some(KEY), None, 7),
            "x",
            vec![],
        )
        .await
        .unwrap_err();
    assert!(invalid(e).starts_with("article:"));
    let c = st
        .add_case_ground_from(
            &inv,
            case.id,
            zhou,
            &ground(Some(KEY), Some(5), 7),
            "督察整改要求执行不力",
            vec![],
        )
        .await
        .unwrap();
    let g = &c.person(zhou).unwrap().grounds[0];
    assert_eq!(g.citation, "《办法》第五条第(七)项");
    assert_eq!(g.framework.as_deref(), Some(KEY));
    assert_eq!(g.article, Some(5));
    assert_eq!(g.subject.as_deref(), Some("相关地方党委和政府主要领导成员"));
    assert!(g.text.contains("督察整改要求执行不力"));
    let c = st
        .add_case_ground_from(
            &inv,
            case.id,
            feng,
            &ground(None, None, 2),
            "督办不力",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        c.person(feng).unwrap().grounds[0].citation,
        "第十七条第二项"
    );
    assert_eq!(c.person(feng).unwrap().grounds[0].framework, None);

    // With the 办法 in force, a decision chooses from the forms its text lists: a form it
    // does not list (移送司法机关 is only in the built-in list; 约谈 in no list) is refused.
    let listed = st.decision_forms(date("2026-07-01")).await.unwrap();
    assert_eq!(listed.len(), 9, "{listed:?}");
    assert!(listed.iter().all(|f| f.framework.as_deref() == Some(KEY)));
    assert_eq!(listed[0].citation.as_deref(), Some("《办法》第十条"));
    let builtin = st.decision_forms(date("2015-08-08")).await.unwrap();
    assert!(builtin.iter().all(|f| f.framework.is_none()));
    assert!(builtin.iter().any(|f| f.name == "移送司法机关"));
    let spec = |zhou_forms: Vec<&str>| DecisionSpec {
        document_no: "孟纪发〔2026〕20号".into(),
        body: "中共孟州市纪律检查委员会".into(),
        decided_on: date("2026-07-01"),
        effective_on: date("2026-07-01"),
        appeal_days: 30,
        appeal_body: "中共焦作市纪律检查委员会".into(),
        public: false,
        text: "经调查……".into(),
        outcomes: vec![
            OutcomeSpec {
                person_id: zhou,
                forms: zhou_forms.into_iter().map(String::from).collect(),
                exempt_reason: None,
                no_promotion_until: Some(date("2027-06-30")),
            },
            OutcomeSpec {
                person_id: feng,
                forms: vec!["public_apology".into()],
                exempt_reason: None,
                no_promotion_until: None,
            },
        ],
    };
    for bad in ["约谈", "移送司法机关", "judicial_transfer"] {
        let e = st
            .decide_case(&Change::new("jw.wang", "决定"), case.id, spec(vec![bad]))
            .await
            .unwrap_err();
        match e {
            StoreError::Refused { field, reason } => {
                assert_eq!(field, "forms");
                assert!(reason.zh.contains("诫勉、责令公开道歉"), "{}", reason.zh);
            }
            other => panic!("{bad}: expected a refusal, got {other:?}"),
        }
    }
    let c = st
        .decide_case(
            &Change::new("jw.wang", "决定"),
            case.id,
            spec(vec!["诫勉", "党纪政纪处分", "诫勉"]),
        )
        .await
        .unwrap();
    let forms = &c.person(zhou).unwrap().outcome.as_ref().unwrap().forms;
    let names: Vec<&str> = forms.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["诫勉", "党纪政纪处分"]);
    assert_eq!(forms[0].framework.as_deref(), Some(KEY));
    assert_eq!(forms[0].label(), "诫勉(《办法》第十条)");
    let feng_forms = &c.person(feng).unwrap().outcome.as_ref().unwrap().forms;
    assert_eq!(feng_forms[0].name, "责令公开道歉");
    assert_eq!(feng_forms[0].citation.as_deref(), Some("《办法》第十条"));

    // 周市长 moves up to the prefecture's deputy mayor inside the period: a warning naming the
    // decision, and the import goes ahead. 冯局长 (no influence period) and 郑副市长 (no case)
    // move up without one.
    let before = ledger_len(st).await;
    let summary = st
        .import_roster(
            &change("干部调整"),
            &rows(&[
                "410883,孟州市人民政府,government,市长,government_head,周市长,2021-06-01,2026-09-01,false",
                "410800,焦作市人民政府,government,副市长,deputy_sector,周市长,2026-09-01,,false",
                "410800,焦作市人民政府,government,市长助理,leadership_member,冯局长,2026-09-01,,false",
                "410800,焦作市人民政府,government,副市长(生态),deputy_eco,郑副市长,2026-09-01,,false",
            ]),
            &source("b.csv"),
        )
        .await
        .unwrap();
    assert_eq!(summary.tenures_created, 3);
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    let w = &summary.warnings[0];
    assert_eq!((w.line, w.person_id, w.case_id), (3, zhou, case.id));
    assert_eq!(w.decision_no, "孟纪发〔2026〕20号");
    assert_eq!(w.until, date("2027-06-30"));
    assert!(
        w.message.contains("孟纪发〔2026〕20号")
            && w.message.contains("厅局级副职")
            && w.message.contains("县处级正职"),
        "{}",
        w.message
    );
    assert!(
        ledger_len(st).await > before,
        "imported despite the warning"
    );
    let entry: String = sqlx::query_scalar(
        "SELECT after_json FROM ledger WHERE entity = 'roster_import' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(st.pool())
    .await
    .unwrap();
    assert!(
        entry.contains("孟纪发〔2026〕20号"),
        "the import's record keeps the warning"
    );

    // After the period ends, the same kind of appointment gives no warning.
    let later = st
        .import_roster(
            &change("干部调整"),
            &rows(&[
                "410000,河南省人民政府,government,副省长,deputy_sector,周市长,2027-07-01,,false",
            ]),
            &source("c.csv"),
        )
        .await
        .unwrap();
    assert!(later.warnings.is_empty(), "{:?}", later.warnings);

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

on_both_backends!(
    a_second_framework_has_its_own_versions_situations_and_forms,
    grounds_cite_the_framework_persons_are_added_by_hand_and_the_roster_warns,
);
