//! Zoning control in the store, on both backends: control units and their admission lists
//! imported all or nothing (a unit outside the importer's region refuses the whole import);
//! a re-import that changes nothing writes nothing, one that changes a clause is a new version
//! with its reason in the ledger; a unit left out of a later import of its region is withdrawn,
//! not deleted; project checks by code and by point, recorded with who and when — and the
//! ledger intact.

mod common;

use chrono::Utc;
use common::{code, TestDb};
use ecoduty_domain::zoning::sheet::{read, SheetInput};
use ecoduty_domain::zoning::{Basis, Effect, IndustryCode, UnitCategory, UnitSpec};
use ecoduty_store::zoning::{CheckTarget, UnitFilter};
use ecoduty_store::{Change, StoreError};

const MENGZHOU: &str = "410883";

/// A square around (112.75, 34.90), with a hole around (112.77, 34.92).
const BOUNDARY: &str = r#"{"type":"Polygon","coordinates":[[[112.70,34.85],[112.80,34.85],[112.80,34.95],[112.70,34.95],[112.70,34.85]],[[112.76,34.91],[112.78,34.91],[112.78,34.93],[112.76,34.93],[112.76,34.91]]]}"#;

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

fn numbered(rows: &[Vec<String>]) -> Vec<(usize, Vec<String>)> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| (i + 2, r.clone()))
        .collect()
}

/// The sheets of 孟州市 (the clauses as the rows give them; one may be left out).
fn sheets(units: &[[&str; 5]], clauses: &[[&str; 5]]) -> Vec<UnitSpec> {
    let uh = strings(&["单元编码", "单元名称", "行政区划代码", "管控类别", "边界"]);
    let ur: Vec<Vec<String>> = units.iter().map(|r| strings(r)).collect();
    let ch = strings(&["单元编码", "管控维度", "条款", "管控要求", "行业代码"]);
    let cr: Vec<Vec<String>> = clauses.iter().map(|r| strings(r)).collect();
    read(
        SheetInput {
            file: "units.csv",
            header: &uh,
            rows: &numbered(&ur),
        },
        Some(SheetInput {
            file: "clauses.csv",
            header: &ch,
            rows: &numbered(&cr),
        }),
    )
    .unwrap()
}

const UNITS: [[&str; 5]; 3] = [
    [
        "ZH41088320001",
        "孟州市产业集聚区重点管控单元(演示)",
        MENGZHOU,
        "重点管控",
        BOUNDARY,
    ],
    [
        "ZH41088310001",
        "孟州市黄河湿地优先保护单元(演示)",
        MENGZHOU,
        "优先保护",
        "",
    ],
    [
        "ZH41088330001",
        "孟州市一般管控单元(演示)",
        MENGZHOU,
        "一般管控",
        "",
    ],
];

const CLAUSES: [[&str; 5]; 3] = [
    [
        "ZH41088320001",
        "空间布局约束",
        "禁止新建焦化、水泥熟料项目。",
        "禁止",
        "2521、3011",
    ],
    [
        "ZH41088320001",
        "污染物排放管控",
        "新建化工项目须达到行业先进排放水平。",
        "限制",
        "26",
    ],
    [
        "ZH41088310001",
        "空间布局约束",
        "禁止新建工业项目。",
        "禁止",
        "B、C、D",
    ],
];

fn ind(s: &str) -> IndustryCode {
    IndustryCode::parse(s).unwrap()
}

async fn imports_are_all_or_nothing_versioned_and_withdraw(db: TestDb) {
    let st = &db.store;
    let specs = sheets(&UNITS, &CLAUSES);
    // A unit outside the importer's region refuses the whole import.
    let mut foreign = specs.clone();
    foreign.push(
        sheets(
            &[[
                "ZH41082320001",
                "武陟县单元(演示)",
                "410823",
                "重点管控",
                "",
            ]],
            &[],
        )
        .remove(0),
    );
    let refused = st
        .import_zoning(
            &Change::new("mz.officer", "导入"),
            Some(&code(MENGZHOU)),
            foreign,
            true,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::Invalid { ref field, .. } if field.contains("ZH41082320001")),
        "{refused:?}"
    );
    assert!(st
        .zoning_units(&UnitFilter::default())
        .await
        .unwrap()
        .is_empty());

    let done = st
        .import_zoning(
            &Change::new("mz.officer", "导入孟州市管控单元"),
            Some(&code(MENGZHOU)),
            specs.clone(),
            true,
        )
        .await
        .unwrap();
    assert_eq!(
        (done.created, done.updated, done.unchanged, done.withdrawn),
        (3, 0, 0, 0)
    );
    let key = st.zoning_unit("zh41088320001").await.unwrap().unwrap();
    assert_eq!(key.rev, 1);
    assert_eq!(key.category, UnitCategory::KeyControl);
    assert_eq!(key.clauses.len(), 2);

    // The same sheets again: nothing changes, not even the ledger.
    let tip = st.ledger_tip().await.unwrap();
    let again = st
        .import_zoning(
            &Change::new("mz.officer", "再导入"),
            None,
            specs.clone(),
            true,
        )
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(st.ledger_tip().await.unwrap(), tip);

    // One clause changed: a new version of that unit, with its reason in the ledger.
    let mut clauses = CLAUSES;
    clauses[1][3] = "禁止";
    let changed = st
        .import_zoning(
            &Change::new("mz.officer", "准入清单动态更新"),
            None,
            sheets(&UNITS, &clauses),
            true,
        )
        .await
        .unwrap();
    assert_eq!((changed.updated, changed.unchanged), (1, 2));
    let key2 = st.zoning_unit("ZH41088320001").await.unwrap().unwrap();
    assert_eq!(key2.rev, 2);
    assert_eq!(key2.clauses[1].effect, Effect::Forbidden);
    let log = st
        .entity_log("zoning_unit", &key2.id.to_string())
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .any(|e| e.reason == "准入清单动态更新" && e.actor == "mz.officer"));
    let versions = st.zoning_unit_versions(key2.id).await.unwrap();
    assert_eq!(versions[0].clauses[1].effect, Effect::Restricted);

    // Without a clauses sheet, the stored lists stay.
    let kept = st
        .import_zoning(
            &Change::new("mz.officer", "只更新单元表"),
            None,
            sheets(&UNITS, &[]),
            false,
        )
        .await
        .unwrap();
    assert_eq!(kept.unchanged, 3);

    // A unit left out of the next import of its region is withdrawn, and kept.
    let withdrawn = st
        .import_zoning(
            &Change::new("mz.officer", "单元调整"),
            None,
            sheets(&UNITS[..2], &clauses),
            true,
        )
        .await
        .unwrap();
    assert_eq!(withdrawn.withdrawn, 1);
    let general = st.zoning_unit("ZH41088330001").await.unwrap().unwrap();
    assert!(general.withdrawn);
    assert_eq!(general.rev, 2);
    let in_force = st
        .zoning_units(&UnitFilter {
            within: Some(code("410800")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(in_force.len(), 2);
    let all = st
        .zoning_units(&UnitFilter {
            withdrawn: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let priority = st
        .zoning_units(&UnitFilter {
            category: Some(UnitCategory::PriorityProtection),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(priority.len(), 1);
    // Named again: back in force, a new version.
    let back = st
        .import_zoning(&Change::new("mz.officer", "恢复"), None, specs, true)
        .await
        .unwrap();
    assert_eq!(back.updated, 2, "the restored unit and the changed clause");
    assert!(
        !st.zoning_unit("ZH41088330001")
            .await
            .unwrap()
            .unwrap()
            .withdrawn
    );

    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn checks_cite_clauses_and_are_recorded(db: TestDb) {
    let st = &db.store;
    st.import_zoning(
        &Change::new("mz.officer", "导入"),
        None,
        sheets(&UNITS, &CLAUSES),
        true,
    )
    .await
    .unwrap();
    let by = Change::new("mz.leader", "项目准入研判");
    // By code: coking (2521) is forbidden by clause 1.
    let c = st
        .record_zoning_check(
            &by,
            Some(&code("410800")),
            &CheckTarget::Unit("ZH41088320001".into()),
            &ind("2521"),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(c.verdict.effect, Effect::Forbidden);
    assert_eq!(c.verdict.cited, vec![1]);
    assert_eq!(c.checked_by, "mz.leader");
    assert_eq!(c.unit_rev, 1);
    // By point inside the boundary: chemicals (2614) restricted by clause 2.
    let p = st
        .record_zoning_check(
            &by,
            None,
            &CheckTarget::Point(112.72, 34.87),
            &ind("C2614"),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(p.unit_code, "ZH41088320001");
    assert_eq!(
        (p.verdict.effect, p.verdict.cited.clone()),
        (Effect::Restricted, vec![2])
    );
    assert_eq!(p.point, Some((112.72, 34.87)));
    // Electricity is named by no clause: allowed by the category default.
    let d = st
        .record_zoning_check(
            &by,
            None,
            &CheckTarget::Unit("ZH41088320001".into()),
            &ind("4411"),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        (d.verdict.effect, d.verdict.basis),
        (Effect::Allowed, Basis::CategoryDefault)
    );
    // In the hole, outside the boundary, outside the caller's region, an unknown code.
    for (scope, target) in [
        (None, CheckTarget::Point(112.77, 34.92)),
        (None, CheckTarget::Point(113.5, 34.9)),
        (
            Some(code("410823")),
            CheckTarget::Unit("ZH41088320001".into()),
        ),
        (None, CheckTarget::Unit("ZH41088329999".into())),
    ] {
        let e = st
            .record_zoning_check(&by, scope.as_ref(), &target, &ind("2521"), Utc::now())
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid { .. }), "{target:?}: {e:?}");
    }
    let log = st
        .zoning_checks(Some(&code(MENGZHOU)), None, 100)
        .await
        .unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].id, d.id, "newest first");
    let forbidden = st
        .zoning_checks(None, Some(Effect::Forbidden), 100)
        .await
        .unwrap();
    assert_eq!(forbidden.len(), 1);
    assert!(st
        .zoning_checks(Some(&code("410823")), None, 100)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(st.zoning_check(p.id).await.unwrap().unwrap(), p);
    let entries = st
        .entity_log("zoning_check", &c.id.to_string())
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "mz.leader");

    // A withdrawn unit is checked no more.
    st.import_zoning(
        &Change::new("mz.officer", "单元调整"),
        None,
        sheets(&UNITS[..1], &CLAUSES[..2]),
        true,
    )
    .await
    .unwrap();
    assert!(st
        .record_zoning_check(
            &by,
            None,
            &CheckTarget::Unit("ZH41088310001".into()),
            &ind("2521"),
            Utc::now(),
        )
        .await
        .is_err());
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

on_both_backends!(
    imports_are_all_or_nothing_versioned_and_withdraw,
    checks_cite_clauses_and_are_recorded,
);
