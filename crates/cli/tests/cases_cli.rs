//! Accountability cases through the `ecoduty` binary on the demo jurisdiction: the demo's case
//! proposes the county head who has since moved to 象州县; it is decided by someone other than
//! its investigator (the investigator is refused), appealed out of time (refused) and in time,
//! executed and archived; the person's cases show the influence period; a case from a 较大
//! emergency proposes the holders on the day it happened; a manual case without a date is
//! refused; every read is in the log; a case exports as a sheet.

mod support;

use serde_json::Value;
use support::Cli;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_case_from_the_demo_to_the_archive() {
    let cli = Cli::demo();
    let listed = json(&cli.ok("纪检甲", &["cases", "list", "--json"]));
    let case = &listed.as_array().unwrap()[0];
    let id = case["id"].to_string();
    assert_eq!(case["status"], "investigation");
    let moved = case["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "government_head")
        .unwrap();
    assert_eq!(moved["left"], true);
    assert!(moved["now"].to_string().contains("象州县"), "{moved}");
    let person = moved["person_id"].to_string();
    let shown = cli.ok("纪检甲", &["cases", "show", &id]);
    assert!(
        shown.contains("已离任") && shown.contains("第十七条第二项"),
        "{shown}"
    );

    // The demo's investigator may not decide; another may, once every confirmed person has
    // a ground and an outcome.
    let investigator = case["investigator"].as_str().unwrap().to_string();
    let confirmed: Vec<String> = case["persons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["state"] == "confirmed")
        .map(|p| p["person_id"].to_string())
        .collect();
    for p in confirmed.iter().filter(|p| **p != person) {
        cli.ok(
            "纪检甲",
            &[
                "cases",
                "add-ground",
                &id,
                "--person",
                p,
                "--item",
                "2",
                "--facts",
                "牵头单位整改不力",
            ],
        );
    }
    let mut decide: Vec<String> = [
        "cases",
        "decide",
        &id,
        "--document-no",
        "焦纪发〔2026〕1号",
        "--body",
        "中共焦作市纪律检查委员会",
        "--appeal-body",
        "中共河南省纪律检查委员会",
        "--text",
        "经查,整改逾期……",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // No framework lists forms here: the built-in list serves, by name or key.
    let forms = json(&cli.ok("纪检乙", &["cases", "forms", "--json"]));
    let names: Vec<&str> = forms
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"诫勉") && names.contains(&"免职"),
        "{forms}"
    );
    assert!(forms[0]["framework"].is_null());
    for p in &confirmed {
        decide.push("--outcome".into());
        decide.push(if *p == person {
            format!("{p}:admonition:2099-12-31")
        } else {
            format!("{p}:责令公开道歉")
        });
    }
    let mut wrong = decide.clone();
    wrong.push("--outcome".into());
    wrong.push(format!("{}:约谈", confirmed[0]));
    let wrong: Vec<&str> = wrong.iter().map(String::as_str).collect();
    let args: Vec<&str> = decide.iter().map(String::as_str).collect();
    let e = cli.refused(&investigator, &args);
    assert!(e.contains("查处分离"), "{e}");
    let e = cli.refused("纪检乙", &wrong);
    assert!(e.contains("约谈") && e.contains("诫勉"), "{e}");
    cli.ok("纪检乙", &args);
    let record = json(&cli.ok("组织部", &["cases", "person", &person, "--json"]));
    assert_eq!(record[0]["influence_in_force"], true, "{record}");

    let e = cli.refused(
        "纪检乙",
        &[
            "cases",
            "appeal",
            &id,
            "--person",
            &person,
            "--on",
            "2099-01-01",
            "--text",
            "不服",
        ],
    );
    assert!(e.contains("申诉期"), "{e}");
    cli.ok(
        "纪检乙",
        &[
            "cases",
            "appeal",
            &id,
            "--person",
            &person,
            "--text",
            "申请复核",
        ],
    );
    let e = cli.refused("纪检乙", &["cases", "archive", &id]);
    assert!(e.contains("执行完毕"), "{e}");
    cli.ok(
        "纪检乙",
        &[
            "cases",
            "answer",
            &id,
            "--appeal",
            "1",
            "--result",
            "upheld",
            "--text",
            "维持原决定",
        ],
    );
    cli.ok("纪检乙", &["cases", "execute", &id, "--note", "已诫勉谈话"]);
    cli.ok("纪检乙", &["cases", "archive", &id]);
    let done = json(&cli.ok("纪检乙", &["cases", "show", &id, "--json"]));
    assert_eq!(done["status"], "archived");
    let sheet = cli.path("case.csv");
    cli.ok("纪检乙", &["cases", "export", &id, sheet.to_str().unwrap()]);
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.contains("诫勉") && text.contains("焦纪发〔2026〕1号"),
        "{text}"
    );

    // A case from the demo's 较大 emergency; a manual one needs its date.
    let events = json(&cli.ok(
        "纪检甲",
        &["emergencies", "list", "--region", "410823", "--json"],
    ));
    let event = events[0]["id"].to_string();
    let from_event = json(&cli.ok(
        "纪检甲",
        &[
            "cases",
            "open",
            "--source",
            "emergency",
            "--id",
            &event,
            "--title",
            "突发环境事件责任追究",
            "--summary",
            "较大突发环境事件",
            "--json",
        ],
    ));
    assert_eq!(from_event["region_code"], "410823");
    assert!(from_event["persons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["degree"] == "first_responsible"));
    let e = cli.refused(
        "纪检甲",
        &[
            "cases",
            "open",
            "--source",
            "manual",
            "--region",
            "410883",
            "--title",
            "x",
            "--summary",
            "x",
        ],
    );
    assert!(e.contains("act_dates"), "{e}");

    let reads = json(&cli.ok("审计", &["cases", "reads", "--case", &id, "--json"]));
    let vias: Vec<&str> = reads
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["via"].as_str().unwrap())
        .collect();
    assert!(
        vias.contains(&"cli") && vias.contains(&"export"),
        "{vias:?}"
    );
    let verified = cli.ok("审计", &["ledger", "verify"]);
    assert!(verified.contains("台账完整"), "{verified}");
}
