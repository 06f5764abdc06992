//! A second framework through the `ecoduty` binary on the demo jurisdiction: imported under its
//! key from a text (a test text written for the tests, not the published 办法), listed with
//! its versions, its situations and forms shown; a bad key is refused with status 2 and
//! nothing stored; on the demo's case a person the system did not propose is added by hand and
//! a ground cites 《办法》第五条第(七)项.

mod support;

use serde_json::Value;
use support::Cli;

const TEXT: &str = include_str!("../../regulation/tests/fixtures/framework_test_text.txt");
const KEY: &str = "accountability-measures";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_framework_is_imported_and_cited_by_a_case() {
    let cli = Cli::demo();
    let file = cli.path("banfa.txt");
    std::fs::write(&file, TEXT).unwrap();
    let file = file.to_str().unwrap();

    let err = cli.refused(
        "管理员",
        &["framework", "import", file, "--framework", "Bad Key"],
    );
    assert!(err.contains("framework key"), "{err}");
    let before = json(&cli.ok("管理员", &["framework", "versions", "--json"]));
    let out = cli.ok("管理员", &["framework", "import", file, "--framework", KEY]);
    assert!(
        out.contains("25 situations") && out.contains("9 forms"),
        "{out}"
    );
    let after = json(&cli.ok("管理员", &["framework", "versions", "--json"]));
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 1
    );
    let listed = cli.ok("管理员", &["framework", "list"]);
    assert!(
        listed.contains(KEY) && listed.contains("regulation-2025"),
        "{listed}"
    );
    let mine = json(&cli.ok(
        "管理员",
        &["framework", "versions", "--framework", KEY, "--json"],
    ));
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["short_name"], "办法");
    let err = cli.refused(
        "管理员",
        &["framework", "versions", "--framework", "no-such"],
    );
    assert!(err.contains("no such framework"), "{err}");
    let shown = cli.ok("管理员", &["framework", "situations", "--framework", KEY]);
    assert!(
        shown.contains("《办法》第五条第(七)项")
            && shown.contains("追究政府有关工作部门领导成员的责任")
            && shown.contains("调离岗位(组织处理)"),
        "{shown}"
    );
    let s = json(&cli.ok(
        "管理员",
        &["framework", "situations", "--framework", KEY, "--json"],
    ));
    assert_eq!(s["situations"].as_array().unwrap().len(), 25);
    // The regulation is still the one in force by default.
    let builtin = json(&cli.ok("管理员", &["framework", "situations", "--json"]));
    assert_eq!(builtin["version"]["framework"], "regulation-2025");

    // The demo's case: add by hand a holder of a 焦作市 post on the matter's date.
    let case = json(&cli.ok("纪检甲", &["cases", "list", "--json"]))[0].clone();
    let id = case["id"].to_string();
    let day = case["act_dates"][0].as_str().unwrap().to_string();
    let in_case: Vec<i64> = case["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person_id"].as_i64().unwrap())
        .collect();
    let who = json(&cli.ok(
        "纪检甲",
        &["who", "--region", "410800", "--at", &day, "--json"],
    ));
    let posts = who["posts"]
        .as_array()
        .or_else(|| who.as_array())
        .expect("who lists posts");
    let held = posts
        .iter()
        .find(|h| {
            h["holder"]["person"]["id"]
                .as_i64()
                .is_some_and(|p| !in_case.contains(&p))
        })
        .unwrap_or_else(|| panic!("a holder in 焦作市 on {day} not in the case: {who}"));
    let person = held["holder"]["person"]["id"].to_string();
    let post = held["post"]["id"].to_string();
    let err = cli.refused(
        "纪检甲",
        &[
            "cases",
            "add-person",
            &id,
            "--person",
            &person,
            "--post",
            &post,
            "--degree",
            "boss",
            "--reason",
            "x",
        ],
    );
    assert!(err.contains("boss"), "{err}");
    let out = cli.ok(
        "纪检甲",
        &[
            "cases",
            "add-person",
            &id,
            "--person",
            &person,
            "--post",
            &post,
            "--degree",
            "leadership",
            "--reason",
            "市级分管,督办不力",
        ],
    );
    assert!(out.contains("调查人增加"), "{out}");
    let out = cli.ok(
        "纪检甲",
        &[
            "cases",
            "add-ground",
            &id,
            "--person",
            &person,
            "--framework",
            KEY,
            "--article",
            "5",
            "--item",
            "7",
            "--facts",
            "督察整改要求执行不力",
        ],
    );
    assert!(out.contains("《办法》第五条第(七)项"), "{out}");
    let err = cli.refused(
        "纪检甲",
        &[
            "cases",
            "add-ground",
            &id,
            "--person",
            &person,
            "--framework",
            KEY,
            "--item",
            "7",
            "--facts",
            "x",
        ],
    );
    assert!(err.contains("article"), "{err}");
}
