//! Rivers, chiefs and patrols through the `ecoduty` binary on a fresh database: a post made a
//! county river chief of 沁河's 沁阳 segment with a tenure; the water saved twice (the second
//! time writing nothing); the six tasks in the chief's duties; a patrol whose unsolved problem
//! becomes a finding (source patrol) and whose solved one does not; bad input refused naming
//! the file and field; the monthly table and the chiefs behind; the ledger intact.

mod support;

use serde_json::Value;
use support::Cli;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

const WATER: &str = r#"{"code":"QINHE","name":"沁河","kind":"river","segments":[
 {"code":"QINHE-410882","name":"沁河沁阳段(演示)","region_code":"410882","seq":1,"sections":["沁河五龙口(演示)"],"target_class":3},
 {"code":"QINHE-410823","name":"沁河武陟段(演示)","region_code":"410823","seq":2,"sections":[],"target_class":3}]}"#;

const PATROL: &str = r#"{"chief_id":1,"target":{"segment":"QINHE-410882"},"on":"2026-11-03","minutes":90,
 "track":"{\"type\":\"LineString\",\"coordinates\":[[112.93,35.09],[112.95,35.10]]}",
 "problems":[{"kind":"floating_debris","text":"右岸漂浮垃圾","units":[2]},
             {"kind":"dumping","text":"少量垃圾已清理","resolved_on_site":true}]}"#;

#[test]
fn a_chief_patrols_and_a_problem_becomes_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/cli.db", dir.path().display());
    let cli = Cli { dir, db };
    let a = "河长办";
    cli.ok(
        a,
        &[
            "org",
            "add",
            "--region",
            "410882",
            "--name",
            "中共沁阳市委员会",
            "--kind",
            "party_committee",
        ],
    );
    cli.ok(
        a,
        &[
            "org",
            "add",
            "--region",
            "410882",
            "--name",
            "沁阳市水利局",
            "--kind",
            "department",
            "--eco-duties",
        ],
    );
    cli.ok(
        a,
        &[
            "post",
            "add",
            "--org",
            "1",
            "--title",
            "沁河沁阳段河长",
            "--role",
            "leadership_member",
        ],
    );
    cli.ok(a, &["person", "add", "--name", "秦望川(演示)"]);
    cli.ok(
        a,
        &[
            "tenure",
            "add",
            "--post",
            "1",
            "--person",
            "1",
            "--start",
            "2026-01-01",
        ],
    );
    let water = cli.path("qinhe.json");
    std::fs::write(&water, WATER).unwrap();
    let w = water.to_str().unwrap();
    assert!(cli.ok(a, &["waters", "save", w]).contains("写入 3 written"));
    assert!(cli
        .ok(a, &["waters", "save", w])
        .contains("写入 0 written, 未变 3 unchanged"));
    // A segment outside the region given: refused, naming the field.
    let err = cli.refused(a, &["waters", "save", w, "--region", "410882"]);
    assert!(err.contains("segments[1].region_code"), "{err}");

    cli.ok(
        a,
        &[
            "chiefs",
            "add",
            "--post",
            "1",
            "--kind",
            "河长",
            "--level",
            "county",
            "--region",
            "410882",
            "--segments",
            "QINHE-410882",
        ],
    );
    let err = cli.refused(
        a,
        &[
            "chiefs",
            "add",
            "--post",
            "1",
            "--kind",
            "河长",
            "--level",
            "county",
            "--region",
            "410882",
            "--segments",
            "QINHE-410882",
        ],
    );
    assert!(err.contains("post_id"), "{err}");
    let tasks = cli.ok(a, &["chiefs", "add-tasks", "--region", "410800"]);
    assert_eq!(tasks.lines().count(), 6, "{tasks}");
    // Today's list (the duties count from the day they were recorded).
    let shown = json(&cli.ok(a, &["chiefs", "show", "1", "--json"]));
    assert_eq!(shown["chief"]["holder"]["name"], "秦望川(演示)");
    let duties: Vec<&str> = shown["duties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["text"].as_str().unwrap())
        .collect();
    assert!(duties.contains(&"加强执法监管"), "{duties:?}");

    // Bad input: named, nothing written.
    let bad = cli.path("bad.json");
    std::fs::write(&bad, PATROL.replace("\"minutes\":90", "\"minutes\":0")).unwrap();
    let err = cli.refused("秦望川", &["patrols", "record", bad.to_str().unwrap()]);
    assert!(err.contains("minutes"), "{err}");
    std::fs::write(&bad, PATROL.replace("floating_debris", "漂浮")).unwrap();
    let err = cli.refused("秦望川", &["patrols", "record", bad.to_str().unwrap()]);
    assert!(err.contains("bad.json: line 3"), "{err}");
    assert!(json(&cli.ok(a, &["patrols", "list", "--json"]))
        .as_array()
        .unwrap()
        .is_empty());

    let patrol = cli.path("patrol.json");
    std::fs::write(&patrol, PATROL).unwrap();
    let out = cli.ok("秦望川", &["patrols", "record", patrol.to_str().unwrap()]);
    assert!(out.contains("2 problem(s), 1 finding(s) #1"), "{out}");
    let listed = json(&cli.ok(a, &["patrols", "list", "--chief", "1", "--json"]));
    assert_eq!(listed[0]["recorded_by"], "秦望川");
    assert_eq!(listed[0]["problems"][0]["finding_id"], 1);
    assert!(listed[0]["metres"].as_u64().unwrap() > 2000);
    let findings = cli.ok(a, &["findings", "list"]);
    assert!(findings.contains("【漂浮物】右岸漂浮垃圾"), "{findings}");
    let table = json(&cli.ok(a, &["chiefs", "table", "1", "--month", "2026-11", "--json"]));
    assert_eq!(table["periods"][0]["done"], 1);
    // December had no patrol: on 2027-01-02 the chief is behind for December.
    let behind = json(&cli.ok(a, &["patrols", "behind", "--on", "2027-01-02", "--json"]));
    assert_eq!(behind[0]["period"]["from"], "2026-12-01");
    let none = json(&cli.ok(a, &["patrols", "behind", "--on", "2026-12-02", "--json"]));
    assert!(none.as_array().unwrap().is_empty());
    assert!(cli.ok(a, &["ledger", "verify"]).contains("intact"));

    // The 河长名录: exported, read back unchanged; a second post (a 总河长 of the city's
    // subtree with no tenure on record) refused with its line and column, nothing written.
    let sheet = cli.path("chiefs.csv");
    let out = cli.ok(
        a,
        &[
            "chiefs",
            "export",
            sheet.to_str().unwrap(),
            "--region",
            "410882",
        ],
    );
    assert!(out.contains("1 行 rows"), "{out}");
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.contains("QINHE-410882") && text.contains("秦望川(演示)"),
        "{text}"
    );
    let out = cli.ok(a, &["chiefs", "import", sheet.to_str().unwrap()]);
    assert!(out.contains("未变 1 unchanged"), "{out}");
    let bad = cli.path("chiefs-bad.csv");
    std::fs::write(
        &bad,
        format!("{}县级,410882,,,沁阳市总河长,无名氏,,2026-01-01,\n县级,410882,沁河,QINHE-410882,沁河沁阳段河长,秦望川(演示),,2025-01-01,\n", text),
    )
    .unwrap();
    let err = cli.refused(a, &["chiefs", "import", bad.to_str().unwrap()]);
    assert!(err.contains("line 3") && err.contains("职务"), "{err}");
    assert!(err.contains("line 4") && err.contains("姓名"), "{err}");
    let xlsx = cli.path("chiefs.xlsx");
    cli.ok(a, &["chiefs", "export", xlsx.to_str().unwrap()]);
    assert!(cli
        .ok(a, &["chiefs", "import", xlsx.to_str().unwrap()])
        .contains("未变 1 unchanged"));
}
