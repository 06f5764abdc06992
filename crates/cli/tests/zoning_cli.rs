//! Zoning control through the `ecoduty` binary on the demo: 孟州市's demo units and their
//! checks; a project checked by unit code and by point, with the clauses cited; the sheets
//! exported, refused whole with the bad line named, imported back unchanged, then imported
//! with a unit left out (withdrawn, still shown); the checks listed.

mod support;

use serde_json::Value;
use support::Cli;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn units_are_checked_exported_imported_and_withdrawn() {
    let cli = Cli::demo();
    let units = json(&cli.ok(
        "审批员",
        &["zoning", "units", "--region", "410883", "--json"],
    ));
    assert_eq!(units.as_array().unwrap().len(), 4);
    let table = cli.ok("审批员", &["zoning", "units", "--category", "优先保护"]);
    assert!(
        table.contains("ZH41088310001") && !table.contains("ZH41088320001"),
        "{table}"
    );
    let shown = cli.ok("审批员", &["zoning", "show", "ZH41088320001"]);
    assert!(
        shown.contains("皮革鞣制加工") && shown.contains("1910"),
        "{shown}"
    );

    // By code: coking in the industrial cluster is forbidden by clause 1.
    let c = json(&cli.ok(
        "审批员",
        &[
            "zoning",
            "check",
            "--unit",
            "ZH41088320001",
            "--industry",
            "2521",
            "--json",
        ],
    ));
    assert_eq!(c["verdict"]["effect"], "forbidden");
    assert_eq!(c["verdict"]["cited"], serde_json::json!([1]));
    assert_eq!(c["checked_by"], "审批员");
    // By point, in the town centre: a coal-fired heating plant is forbidden by clause 3.
    let out = cli.ok(
        "审批员",
        &[
            "zoning",
            "check",
            "--point",
            "112.80,34.93",
            "--industry",
            "4430",
        ],
    );
    assert!(
        out.contains("ZH41088320002") && out.contains("禁止") && out.contains("第3条"),
        "{out}"
    );
    // Nothing covers electricity in the general unit: the category default, said so.
    let out = cli.ok(
        "审批员",
        &[
            "zoning",
            "check",
            "--unit",
            "ZH41088330001",
            "--industry",
            "D4411",
        ],
    );
    assert!(out.contains("允许") && out.contains("一般管控"), "{out}");
    for args in [
        &[
            "zoning",
            "check",
            "--unit",
            "ZH41088320001",
            "--industry",
            "99",
        ][..],
        &["zoning", "check", "--point", "100,20", "--industry", "2614"][..],
        &["zoning", "check", "--point", "112.8", "--industry", "2614"][..],
    ] {
        let err = cli.refused("审批员", args);
        assert!(!err.is_empty());
    }
    let checks = json(&cli.ok("审批员", &["zoning", "checks", "--json"]));
    assert_eq!(
        checks.as_array().unwrap().len(),
        2 + 3,
        "the demo's two and ours"
    );

    // Exported, refused whole with the bad line named, imported back unchanged.
    let u = cli.path("units.xlsx");
    let c = cli.path("clauses.csv");
    let (u_s, c_s) = (u.to_str().unwrap(), c.to_str().unwrap());
    cli.ok(
        "审批员",
        &[
            "zoning",
            "export",
            u_s,
            "--clauses",
            c_s,
            "--region",
            "410883",
        ],
    );
    let good = std::fs::read_to_string(&c).unwrap();
    let bad = cli.path("bad.csv");
    std::fs::write(&bad, good.replacen(",限制,", ",鼓励,", 1)).unwrap();
    let err = cli.refused(
        "审批员",
        &["zoning", "import", u_s, "--clauses", bad.to_str().unwrap()],
    );
    assert!(
        err.contains("bad.csv, line") && err.contains("管控要求"),
        "{err}"
    );
    let out = cli.ok("审批员", &["zoning", "import", u_s, "--clauses", c_s]);
    assert!(out.contains("未变 4 unchanged"), "{out}");

    // A sheet without the general unit: it is withdrawn, and still shown.
    let kept: String = good
        .lines()
        .filter(|l| !l.contains("ZH41088330001"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&c, kept).unwrap();
    let units_csv = cli.path("units.csv");
    cli.ok("审批员", &["zoning", "export", units_csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&units_csv).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !l.contains("ZH41088330001"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&units_csv, kept).unwrap();
    let out = cli.ok(
        "审批员",
        &[
            "zoning",
            "import",
            units_csv.to_str().unwrap(),
            "--clauses",
            c_s,
            "--region",
            "410883",
        ],
    );
    assert!(out.contains("撤销 1 withdrawn"), "{out}");
    let shown = json(&cli.ok("审批员", &["zoning", "show", "ZH41088330001", "--json"]));
    assert_eq!(shown["withdrawn"], true);
    assert_eq!(shown["rev"], 2);
    let listed = json(&cli.ok("审批员", &["zoning", "units", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 3);
    cli.refused(
        "审批员",
        &[
            "zoning",
            "check",
            "--unit",
            "ZH41088330001",
            "--industry",
            "03",
        ],
    );
    let log = cli.ok(
        "审批员",
        &["log", "--entity", &format!("zoning_unit:{}", shown["id"])],
    );
    assert!(log.contains("导入生态环境管控单元"), "{log}");
    cli.ok("审批员", &["ledger", "verify"]);
}
