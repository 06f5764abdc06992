//! Departure audits through the `ecoduty` binary on the demo jurisdiction: the demo's audit of
//! the county head who moved to 象州县 has his county's asset accounts compared and one finding;
//! a bad accounts sheet is refused naming its line and column, a good one imported; the tenure
//! due for an audit is opened, its dossier read, a finding recorded (it enters the
//! rectification loop), a case opened from it and the report issued; a second finding is then
//! refused.

mod support;

use serde_json::Value;
use support::Cli;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn an_audit_from_the_demo_to_the_report() {
    let cli = Cli::demo();
    let listed = json(&cli.ok("审计甲", &["audits", "list", "--json"]));
    let demo = &listed.as_array().unwrap()[0];
    assert_eq!(demo["kind"], "departure");
    let id = demo["id"].to_string();
    let dossier = json(&cli.ok("审计甲", &["audits", "dossier", &id, "--json"]));
    assert_eq!(dossier["assets"]["lines"][0]["indicator"], "耕地面积");
    assert!(dossier["assets"]["lines"][0]["change"].as_f64().unwrap() < 0.0);
    assert_eq!(
        dossier["cases"].as_array().unwrap().len(),
        1,
        "the demo's case"
    );
    // His history shows the case naming him and the audit of his tenure.
    let person = demo["person_id"].to_string();
    let history = json(&cli.ok("审计甲", &["history", "--person", &person, "--json"]));
    assert_eq!(history["cases"].as_array().unwrap().len(), 1, "{history}");
    assert_eq!(history["audits"][0]["id"], demo["id"]);
    let shown = cli.ok("审计甲", &["history", "--person", &person]);
    assert!(
        shown.contains("追责 case #") && shown.contains("审计 audit #"),
        "{shown}"
    );
    let shown = cli.ok("审计甲", &["audits", "dossier", &id]);
    assert!(
        shown.contains("自然资源资产账户") && shown.contains("耕地面积"),
        "{shown}"
    );

    // Accounts: a bad sheet is refused whole.
    let bad = cli.path("bad.csv");
    std::fs::write(
        &bad,
        "行政区划代码,年度,资源类别,指标,单位,数值\n410882,2024,土地,耕地面积,公顷,abc\n",
    )
    .unwrap();
    let err = cli.refused("审计甲", &["assets", "import", bad.to_str().unwrap()]);
    assert!(err.contains("line 2") && err.contains("数值"), "{err}");
    let good = cli.path("good.csv");
    std::fs::write(
        &good,
        "行政区划代码,年度,资源类别,指标,单位,数值,数据来源\n410882,2019,土地,耕地面积,公顷,30000,调查\n410882,2024,土地,耕地面积,公顷,29000,调查\n",
    )
    .unwrap();
    let out = cli.ok("审计甲", &["assets", "import", good.to_str().unwrap()]);
    assert!(out.contains("新增 2 created"), "{out}");
    let shown = json(&cli.ok(
        "审计甲",
        &["assets", "show", "--region", "410882", "--json"],
    ));
    assert_eq!(shown.as_array().unwrap().len(), 2);

    // A due tenure: open, finding, case, report.
    let due = json(&cli.ok("审计甲", &["audits", "due", "--region", "410800", "--json"]));
    let tenure = due[0]["tenure_id"].to_string();
    let opened = json(&cli.ok(
        "审计甲",
        &[
            "audits",
            "open",
            "--tenure",
            &tenure,
            "--commissioned-by",
            "中共焦作市委组织部",
            "--json",
        ],
    ));
    let audit = opened["id"].to_string();
    let err = cli.refused(
        "审计甲",
        &[
            "audits",
            "open",
            "--tenure",
            &tenure,
            "--commissioned-by",
            "组织部",
        ],
    );
    assert!(err.contains("已有审计"), "{err}");
    let out = cli.ok(
        "审计甲",
        &[
            "audits",
            "finding",
            &audit,
            "--text",
            "任期内湿地面积减少",
            "--severity",
            "serious",
            "--deadline",
            "2099-12-31",
        ],
    );
    assert!(out.contains("交办整改问题 #"), "{out}");
    let out = cli.ok("纪检甲", &["audits", "case", &audit, "--finding", "1"]);
    assert!(out.starts_with("追责案件 #"), "{out}");
    let out = cli.ok(
        "审计甲",
        &[
            "audits",
            "report",
            &audit,
            "--document-no",
            "焦审报〔2026〕9号",
            "--summary",
            "湿地保护责任落实不到位",
            "--sent-to",
            "组织部",
        ],
    );
    assert!(out.contains("已出具报告"), "{out}");
    let err = cli.refused(
        "审计甲",
        &[
            "audits",
            "finding",
            &audit,
            "--text",
            "再记一条",
            "--deadline",
            "2099-12-31",
        ],
    );
    assert!(err.contains("审计报告已出具"), "{err}");
    let d = json(&cli.ok("审计甲", &["audits", "dossier", &audit, "--json"]));
    assert_eq!(d["audit_findings"].as_array().unwrap().len(), 1);
}
