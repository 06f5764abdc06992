//! Roster import is all or nothing, idempotent, and export then import gives the same roster.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::roster::{header, parse_roster, RosterRow};
use ecoduty_store::roster::RosterSource;
use ecoduty_store::{Store, StoreError};

fn rows(lines: &[&str]) -> Vec<RosterRow> {
    let cells: Vec<(usize, Vec<String>)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 2, l.split(',').map(str::to_string).collect()))
        .collect();
    parse_roster(&header(false), &cells).unwrap()
}

fn source() -> RosterSource {
    RosterSource {
        file_name: "test.csv".into(),
        sha256: "0".repeat(64),
    }
}

const GOOD: &[&str] = &[
    "410800,中共焦作市委员会,party_committee,市委书记,party_secretary,王晨远,2019-03-01,2024-01-10,false",
    "410800,中共焦作市委员会,party_committee,市委书记,party_secretary,李澜舟,2024-01-10,,false",
    "410800,焦作市人民政府,government,市长,government_head,张岚溪,2020-06-01,,true",
    "410800,焦作市生态环境局,department,局长,eco_department_head,赵禾棠,2021-01-01,,false",
    "410883,孟州市水利局,department,局长,sector_department_head,王晨远,2024-02-01,,false",
];

async fn ledger_len(s: &Store) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM ledger")
        .fetch_one(s.pool())
        .await
        .unwrap()
}

async fn a_roster_imports_whole_and_only_once(db: TestDb) {
    let s = &db.store;
    let summary = s
        .import_roster(&change("导入名册"), &rows(GOOD), &source())
        .await
        .unwrap();
    // The import's own entry belongs to the smallest region holding all its rows (焦作市).
    let entry = s.entity_log("roster_import", "1").await.unwrap();
    assert_eq!(entry[0].region_code.as_deref(), Some("410800"));
    assert_eq!(summary.organisations_created, 4);
    assert_eq!(summary.posts_created, 4);
    assert_eq!(
        summary.people_created, 4,
        "王晨远 appears twice but is one person"
    );
    assert_eq!(summary.tenures_created, 5);
    let eco = s.organisations_in(&code("410800"), false).await.unwrap();
    assert!(eco
        .iter()
        .any(|o| o.name == "焦作市生态环境局" && o.eco_department));
    let who = s
        .who(&code("410800"), date("2024-01-10"), None)
        .await
        .unwrap();
    let sec = who.iter().find(|h| h.post.title == "市委书记").unwrap();
    assert_eq!(sec.holder.as_ref().unwrap().person.name, "李澜舟");
    // The same file again changes nothing.
    let before = ledger_len(s).await;
    let again = s
        .import_roster(&change("再次导入"), &rows(GOOD), &source())
        .await
        .unwrap();
    assert_eq!(again.tenures_unchanged, 5);
    assert_eq!(again.ledger_seq, None);
    assert_eq!(ledger_len(s).await, before);
    // A later roster that closes a tenure appends a version.
    let mut closing = GOOD.to_vec();
    closing[2] =
        "410800,焦作市人民政府,government,市长,government_head,张岚溪,2020-06-01,2025-05-01,true";
    let update = s
        .import_roster(&change("市长离任"), &rows(&closing), &source())
        .await
        .unwrap();
    assert_eq!(update.tenures_updated, 1);
    assert!(s.verify_ledger().await.unwrap().ok());
    db.finish().await;
}

async fn one_bad_row_and_nothing_changes(db: TestDb) {
    let s = &db.store;
    s.import_roster(&change("导入名册"), &rows(GOOD), &source())
        .await
        .unwrap();
    let before = ledger_len(s).await;
    let exported = s.export_roster(None).await.unwrap();
    // Row 3 overlaps the stored 市长 tenure; row 2 names an unknown region; row 4 gives a stored
    // organisation another kind.
    let bad = rows(&[
        "410800,焦作市发展和改革委员会,department,主任,sector_department_head,钱新人,2022-01-01,,false",
        "419999,某地人民政府,government,县长,government_head,孙某,2022-01-01,,false",
        "410800,焦作市人民政府,government,市长,government_head,周替补,2023-01-01,,false",
        "410800,焦作市生态环境局,government,副局长,deputy_eco,吴某某,2022-01-01,,false",
    ]);
    let err = s
        .import_roster(&change("坏名册"), &bad, &source())
        .await
        .unwrap_err();
    let StoreError::Roster(errors) = err else {
        panic!("expected row errors, got {err}")
    };
    let lines: Vec<(usize, &str)> = errors
        .0
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert!(lines.contains(&(3, "region_code")), "{lines:?}");
    assert!(lines.contains(&(4, "start_date")), "{lines:?}");
    assert!(lines.contains(&(5, "organisation_kind")), "{lines:?}");
    let overlap = errors.0.iter().find(|e| e.line == 4).unwrap();
    let mayor = &s.find_people("张岚溪", 5).await.unwrap()[0];
    let stored = s.person_history(mayor.id).await.unwrap()[0].tenure.id;
    assert!(
        overlap
            .message
            .contains(&format!("stored tenure {stored} (张岚溪)"))
            && overlap.message.contains("line 4 (周替补)"),
        "{}",
        overlap.message
    );
    // Nothing changed, not even the good first row.
    assert_eq!(ledger_len(s).await, before);
    assert_eq!(s.export_roster(None).await.unwrap(), exported);
    assert!(s.find_people("钱新人", 5).await.unwrap().is_empty());
    db.finish().await;
}

async fn a_later_file_gives_a_stored_post_its_portfolio(db: TestDb) {
    let s = &db.store;
    let deputy =
        "410800,焦作市人民政府,government,副市长(分管生态环境),deputy_eco,钱澜,2022-03-01,,false";
    let mut first = GOOD.to_vec();
    first.push(deputy);
    s.import_roster(&change("导入名册"), &rows(&first), &source())
        .await
        .unwrap();
    // The same rows again, the deputy's now naming the departments it oversees.
    let with_portfolio = rows(&first)
        .into_iter()
        .map(|mut r| {
            if r.person == "钱澜" {
                r.portfolio = vec!["焦作市生态环境局".into()];
            }
            r
        })
        .collect::<Vec<_>>();
    let summary = s
        .import_roster(&change("分管"), &with_portfolio, &source())
        .await
        .unwrap();
    assert_eq!(
        (
            summary.posts_created,
            summary.posts_updated,
            summary.tenures_unchanged
        ),
        (0, 1, 6)
    );
    let eco = s
        .organisations_in(&code("410800"), false)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "焦作市生态环境局")
        .unwrap();
    let held = s
        .who(
            &code("410800"),
            date("2024-01-01"),
            Some(ecoduty_domain::Role::DeputyEco),
        )
        .await
        .unwrap();
    let post = s.post(held[0].post.id).await.unwrap().unwrap();
    assert_eq!((post.rev, post.portfolio), (2, vec![eco.id]));
    // And once more: nothing left to change.
    let again = s
        .import_roster(&change("再次"), &with_portfolio, &source())
        .await
        .unwrap();
    assert_eq!((again.posts_updated, again.ledger_seq), (0, None));
    db.finish().await;
}

async fn export_then_import_gives_the_same_roster(db: TestDb) {
    let s = &db.store;
    let mut with_portfolio = GOOD.to_vec();
    with_portfolio.push(
        "410800,焦作市人民政府,government,副市长(分管生态环境),deputy_eco,钱澜,2022-03-01,,false",
    );
    s.import_roster(&change("导入名册"), &rows(&with_portfolio), &source())
        .await
        .unwrap();
    let gov = s.organisations_in(&code("410800"), false).await.unwrap();
    let eco = gov.iter().find(|o| o.name == "焦作市生态环境局").unwrap();
    let deputy = s
        .who(
            &code("410800"),
            date("2024-01-01"),
            Some(ecoduty_domain::Role::DeputyEco),
        )
        .await
        .unwrap();
    s.update_post(
        &change("分管"),
        deputy[0].post.id,
        ecoduty_store::posts::PostPatch {
            portfolio: Some(vec![eco.id]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let exported = s.export_roster(None).await.unwrap();
    assert_eq!(exported.len(), 6);
    assert!(exported
        .iter()
        .any(|r| r.portfolio == vec!["焦作市生态环境局".to_string()]));

    // Through the file format and into a fresh database of the same backend.
    let cells: Vec<(usize, Vec<String>)> = exported
        .iter()
        .map(|r| (r.line, r.to_cells(true)))
        .collect();
    let reparsed = parse_roster(&header(true), &cells).unwrap();
    let fresh = if s.backend() == ecoduty_store::Backend::Postgres {
        TestDb::postgres().await
    } else {
        TestDb::sqlite().await
    };
    fresh
        .store
        .import_roster(&change("迁移"), &reparsed, &source())
        .await
        .unwrap();
    assert_eq!(fresh.store.export_roster(None).await.unwrap(), exported);
    // And back into the first: nothing to change.
    let again = s
        .import_roster(&change("回导"), &reparsed, &source())
        .await
        .unwrap();
    assert_eq!(again.ledger_seq, None, "{again:?}");
    // Export of one region's subtree.
    let mengzhou = s.export_roster(Some(&code("410883"))).await.unwrap();
    assert_eq!(mengzhou.len(), 1);
    fresh.finish().await;
    db.finish().await;
}

async fn same_names_need_keys(db: TestDb) {
    let s = &db.store;
    s.add_person(&change("x"), "王晨远", Some("A1"))
        .await
        .unwrap();
    s.add_person(&change("x"), "王晨远", Some("A2"))
        .await
        .unwrap();
    let err = s
        .import_roster(&change("导入"), &rows(&GOOD[..1]), &source())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("person_key"), "{err}");
    db.finish().await;
}

/// A roster large enough that posts, people and tenures are each written by the pipelined
/// bulk path (statements built on another thread while the database stores them), after
/// organisations written the ordinary way: the chain must come out whole and in order.
async fn a_large_roster_is_chained_whole(db: TestDb) {
    let s = &db.store;
    let lines: Vec<String> = (0..2_500)
        .map(|i| {
            format!(
                "410800,焦作市第{}局,department,第{i}岗,sector_department_head,人员{i},2020-01-01,,false",
                i / 50
            )
        })
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let before = ledger_len(s).await;
    let summary = s
        .import_roster(&change("大名册"), &rows(&lines), &source())
        .await
        .unwrap();
    assert_eq!(summary.organisations_created, 50);
    assert_eq!(summary.posts_created, 2_500);
    assert_eq!(summary.people_created, 2_500);
    assert_eq!(summary.tenures_created, 2_500);
    let entries = before + 50 + 3 * 2_500 + 1;
    assert_eq!(ledger_len(s).await, entries);
    let max: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM ledger")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(max, entries, "sequence numbers without gaps");
    assert_eq!(
        summary.ledger_seq,
        Some(entries),
        "the import's own entry last"
    );
    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.entries, entries);
    // Each record's entry names its region, as the ordinary path does.
    let log = s.entity_log("tenure", "2500").await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].region_code.as_deref(), Some("410800"));
    assert_eq!(log[0].reason, "大名册");
    let held = s
        .who(&code("410800"), date("2024-06-01"), None)
        .await
        .unwrap();
    assert_eq!(held.iter().filter(|h| h.holder.is_some()).count(), 2_500);
    // The same file again changes nothing.
    let again = s
        .import_roster(&change("再导入"), &rows(&lines), &source())
        .await
        .unwrap();
    assert_eq!(again.tenures_unchanged, 2_500);
    assert_eq!(again.ledger_seq, None);
    assert_eq!(ledger_len(s).await, entries);
    db.finish().await;
}

on_both_backends!(
    a_large_roster_is_chained_whole,
    a_roster_imports_whole_and_only_once,
    one_bad_row_and_nothing_changes,
    export_then_import_gives_the_same_roster,
    a_later_file_gives_a_stored_post_its_portfolio,
    same_names_need_keys,
);
