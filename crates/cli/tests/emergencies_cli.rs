//! Emergencies and risk through the `ecoduty` binary on the demo jurisdiction: the demo's
//! 较大 event in 武陟县 closed and vetoing the county's assessment; a new event reported in
//! 孟州市 with its chain, followed, acknowledged, refused closure without its report, closed;
//! the chain a grade would tell; a risk register refused whole with the bad cell named, then
//! imported, exported and imported again unchanged; a risk report.

mod support;

use serde_json::Value;
use support::Cli;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// China time, `hours` ago.
fn hours_ago(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::hours(hours))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn an_event_is_reported_followed_and_closed_and_the_register_is_kept() {
    let cli = Cli::demo();

    // The demo's event: closed, and the assessment's veto of 武陟县 comes from it.
    let listed = json(&cli.ok(
        "值班员",
        &["emergencies", "list", "--region", "410823", "--json"],
    ));
    let demo = &listed.as_array().unwrap()[0];
    assert_eq!(demo["level"], "III");
    assert_eq!(demo["status"], "closed");
    let shown = cli.ok("值班员", &["emergencies", "show", &demo["id"].to_string()]);
    assert!(
        shown.contains("通知链") && shown.contains("结案"),
        "{shown}"
    );

    // A 较大 event in 孟州市: its chain reaches 焦作市.
    let out = cli.ok(
        "孟州值班员",
        &[
            "emergencies",
            "report",
            "--region",
            "410883",
            "--title",
            "蟒河孟州段水污染事件",
            "--kind",
            "水污染",
            "--level",
            "较大",
            "--occurred-at",
            &hours_ago(2),
            "--reported-at",
            &hours_ago(1),
            "--pollutant",
            "氨氮",
            "--report",
            "下游断面氨氮超标",
            "--json",
        ],
    );
    let d = json(&out);
    let id = d["emergency"]["id"].to_string();
    let regions: Vec<&str> = d["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["notice"]["region_code"].as_str().unwrap())
        .collect();
    assert!(
        regions.contains(&"410883") && regions.contains(&"410800"),
        "{d}"
    );
    let notice = d["notices"][0]["notice"]["id"].to_string();
    let acked = cli.ok(
        "孟州值班员",
        &[
            "emergencies",
            "ack",
            &id,
            "--notice",
            &notice,
            "--note",
            "电话",
        ],
    );
    assert!(acked.contains("已确认收悉"), "{acked}");
    let err = cli.refused(
        "孟州值班员",
        &["emergencies", "ack", &id, "--notice", "999999"],
    );
    assert!(err.contains("999999"), "{err}");

    // The timeline: a future time refused, closure refused without the report.
    let err = cli.refused(
        "孟州值班员",
        &[
            "emergencies",
            "update",
            &id,
            "--kind",
            "measure",
            "--text",
            "筑坝",
            "--at",
            "2099-01-01 08:00",
        ],
    );
    assert!(err.contains("--at") && err.contains("future"), "{err}");
    cli.ok(
        "孟州值班员",
        &[
            "emergencies",
            "update",
            &id,
            "--kind",
            "measure",
            "--text",
            "筑坝拦截",
        ],
    );
    cli.ok(
        "孟州值班员",
        &[
            "emergencies",
            "update",
            &id,
            "--kind",
            "response_end",
            "--text",
            "终止响应",
        ],
    );
    let err = cli.refused(
        "孟州值班员",
        &[
            "emergencies",
            "update",
            &id,
            "--kind",
            "closure",
            "--text",
            "结案",
        ],
    );
    assert!(err.contains("调查评估报告"), "{err}");
    let report = cli.path("调查评估报告.pdf");
    std::fs::write(&report, b"%PDF-1.7\n% report\n").unwrap();
    let closed = json(&cli.ok(
        "孟州值班员",
        &[
            "emergencies",
            "update",
            &id,
            "--kind",
            "closure",
            "--text",
            "调查评估完成",
            "--evidence",
            report.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(closed["emergency"]["status"], "closed");
    assert_eq!(closed["updates"].as_array().unwrap().len(), 4);

    // Who an event in 孟州市 would tell: 一般 stays in 孟州市, 重大 reaches 焦作市 (the demo has
    // no roster for 河南省, so the province's tier has nobody to tell).
    let tiers = |level: &str| -> std::collections::BTreeSet<String> {
        let chain = json(&cli.ok(
            "值班员",
            &[
                "emergencies",
                "chain",
                "--region",
                "410883",
                "--level",
                level,
                "--json",
            ],
        ));
        chain
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["tier"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(tiers("IV").into_iter().collect::<Vec<_>>(), ["local"]);
    assert_eq!(
        tiers("重大").into_iter().collect::<Vec<_>>(),
        ["local", "upper"]
    );
    let table = cli.ok(
        "值班员",
        &[
            "emergencies",
            "chain",
            "--region",
            "410883",
            "--level",
            "III",
        ],
    );
    assert!(table.contains("分钟"), "{table}");

    // The register: a bad sheet changes nothing.
    let sheet = cli.path("风险源.csv");
    std::fs::write(
        &sheet,
        "名称,区划代码,行业代码,风险物质,风险等级\n孟州市某电镀厂,410883,C3360,铬酐,很大\n",
    )
    .unwrap();
    let before = json(&cli.ok("值班员", &["risk", "sources", "--json"]))
        .as_array()
        .unwrap()
        .len();
    let err = cli.refused("值班员", &["risk", "import", sheet.to_str().unwrap()]);
    assert!(
        err.contains("风险源.csv, line 2, 风险等级"),
        "file, line and field: {err}"
    );
    assert_eq!(
        json(&cli.ok("值班员", &["risk", "sources", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        before
    );
    std::fs::write(
        &sheet,
        "名称,区划代码,行业代码,风险物质,风险等级\n孟州市某电镀厂,410883,C3360,铬酐,重大\n",
    )
    .unwrap();
    let err = cli.refused(
        "值班员",
        &[
            "risk",
            "import",
            sheet.to_str().unwrap(),
            "--region",
            "410823",
        ],
    );
    assert!(err.contains("410883"), "outside the region: {err}");
    let done = cli.ok("值班员", &["risk", "import", sheet.to_str().unwrap()]);
    assert!(done.contains("新增 1"), "{done}");
    let exported = cli.path("名录.xlsx");
    cli.ok(
        "值班员",
        &[
            "risk",
            "export",
            exported.to_str().unwrap(),
            "--region",
            "410800",
        ],
    );
    let again = cli.ok("值班员", &["risk", "import", exported.to_str().unwrap()]);
    assert!(
        again.contains("新增 0") && again.contains("更新 0"),
        "{again}"
    );
    let sources = json(&cli.ok(
        "值班员",
        &["risk", "sources", "--region", "410883", "--json"],
    ));
    let plating = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "孟州市某电镀厂")
        .unwrap_or_else(|| panic!("{sources}"));
    cli.ok(
        "值班员",
        &[
            "risk",
            "report",
            "--region",
            "410883",
            "--source",
            &plating["id"].to_string(),
            "--text",
            "镀槽区地面防腐层破损",
        ],
    );
    let reports = cli.ok("值班员", &["risk", "reports", "--region", "410883"]);
    assert!(reports.contains("镀槽区地面防腐层破损"), "{reports}");
    // Every step is in the ledger, and the chain holds (a mismatch exits non-zero).
    cli.ok("值班员", &["ledger", "verify"]);
}
