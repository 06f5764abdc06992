//! The yearly assessment through the `ecoduty` binary on the demo jurisdiction (which carries
//! its own published assessment of 2025; this test makes the 2026 one): a 考核细则
//! sheet refused whole with every bad cell named, then imported; a run scored from the demo's
//! indicators and records in the JSON shape scripts rely on; a veto entered with evidence;
//! review by a second person, publication, export and re-import of the sheet; a cadre record.

mod support;

use support::Cli;

const SHEET: &str = "序号,项目,项目类型,考核内容,分值,评分标准,负责考核部门,规则类型,参数,条款
1,环境质量,基本项,PM2.5 年均浓度,20,达到目标得满分;每超 1 微克扣 2 分,市生态环境局,indicator,indicator=pm25_annual_mean;deduct=2,第十四条
2,环境质量,基本项,空气质量优良天数比率,10,每低 1 个百分点扣 1 分,市生态环境局,indicator,indicator=good_day_ratio,
3,督察整改,基本项,督察问题按期整改,30,逾期一个扣 3 分,市委督查室,rectification,per_overdue=3,第十三条
4,重点任务,基本项,年度重点任务按期完成,20,按比例,市委督查室,tasks,,
5,信访办理,基本项,信访举报按期答复,20,按比例,市信访局,complaints,,
6,加分项,加分项,获国家级生态文明示范称号,5,每项加 5 分,市生态环境局,,,
7,否决事项,一票否决项,发生重大突发环境事件或监测数据造假,,,市生态环境局,veto,,
";

#[test]
fn a_scheme_is_imported_scored_reviewed_published_and_exported() {
    let cli = Cli::demo();
    // The demo carries last year's assessment, published; this test makes this year's.
    let demo: serde_json::Value = serde_json::from_str(&cli.ok(
        "jz.admin",
        &[
            "assessment",
            "show",
            "--region",
            "410800",
            "--year",
            "2025",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(demo["status"], "published");
    let vetoed: Vec<&serde_json::Value> = demo["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["vetoed"] == true)
        .map(|u| &u["unit"])
        .collect();
    assert_eq!(vetoed, ["410823"]);
    let bad = cli.path("bad.csv");
    std::fs::write(
        &bad,
        SHEET
            .replace("deduct=2", "deduct=two")
            .replace(",10,每低", ",十,每低"),
    )
    .unwrap();
    let err = cli.refused(
        "jz.admin",
        &[
            "assessment",
            "scheme",
            "import",
            bad.to_str().unwrap(),
            "--region",
            "410800",
            "--year",
            "2026",
        ],
    );
    assert!(
        err.contains("line 2, 参数") && err.contains("line 3, 分值"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    let shown = cli.run(
        "jz.admin",
        &[
            "assessment",
            "scheme",
            "show",
            "--region",
            "410800",
            "--year",
            "2026",
        ],
    );
    assert_eq!(
        shown.status.code(),
        Some(2),
        "a refused import stores nothing"
    );

    let sheet = cli.path("scheme.csv");
    std::fs::write(&sheet, SHEET).unwrap();
    let out = cli.ok(
        "jz.admin",
        &[
            "assessment",
            "scheme",
            "import",
            sheet.to_str().unwrap(),
            "--region",
            "410800",
            "--year",
            "2026",
        ],
    );
    assert!(out.contains("第 1 版"), "{out}");

    // A veto for 武陟县, with its evidence file.
    let pdf = cli.path("事件调查报告.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n% report\n").unwrap();
    cli.ok(
        "jz.eco",
        &[
            "assessment",
            "enter",
            "--region",
            "410800",
            "--year",
            "2026",
            "--unit",
            "410823",
            "--item",
            "7",
            "--veto",
            "--reason",
            "2026年8月发生较大突发环境事件",
            "--evidence",
            pdf.to_str().unwrap(),
        ],
    );

    let run: serde_json::Value = serde_json::from_str(&cli.ok(
        "jz.admin",
        &[
            "assessment",
            "run",
            "--region",
            "410800",
            "--year",
            "2026",
            "--as-of",
            "2026-12-01",
            "--json",
        ],
    ))
    .unwrap();
    assert_eq!(run["scheme_version"], 1);
    let units = run["units"].as_array().unwrap();
    assert!(
        units.len() >= 10,
        "every county-level unit of 焦作市: {}",
        units.len()
    );
    for u in units {
        let lines = u["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 7);
        let sum: f64 = lines.iter().map(|l| l["earned"].as_f64().unwrap()).sum();
        assert!((sum - u["total"].as_f64().unwrap()).abs() < 1e-6);
        for l in lines {
            assert!(!l["explanation_zh"].as_str().unwrap().is_empty());
            assert!(!l["explanation_en"].as_str().unwrap().is_empty());
        }
    }
    let wuzhi = units.iter().find(|u| u["unit"] == "410823").unwrap();
    assert_eq!(wuzhi["vetoed"], true);
    assert_eq!(wuzhi["grade"], "较差");
    assert_eq!(
        wuzhi["rank"].as_u64().unwrap() as usize,
        units.len(),
        "vetoed ranks last"
    );
    let run_id = run["run"].as_i64().unwrap().to_string();

    let own = cli.refused("jz.admin", &["assessment", "review", &run_id]);
    assert!(own.contains("另一人复核"), "{own}");
    cli.ok("jz.reviewer", &["assessment", "review", &run_id]);
    cli.ok(
        "jz.admin",
        &["assessment", "publish", &run_id, "--on", "2026-12-03"],
    );
    let detail = cli.ok(
        "jz.admin",
        &[
            "assessment",
            "show",
            "--region",
            "410800",
            "--year",
            "2026",
            "--unit",
            "410823",
        ],
    );
    assert!(
        detail.contains("一票否决") && detail.contains("负责人"),
        "{detail}"
    );

    // The export reads back as the same scheme.
    let export = cli.path("export.xlsx");
    cli.ok(
        "jz.admin",
        &[
            "assessment",
            "scheme",
            "export",
            export.to_str().unwrap(),
            "--region",
            "410800",
            "--year",
            "2026",
        ],
    );
    let again = cli.ok(
        "jz.admin",
        &[
            "assessment",
            "scheme",
            "import",
            export.to_str().unwrap(),
            "--region",
            "410800",
            "--year",
            "2026",
        ],
    );
    assert!(again.contains("unchanged"), "{again}");

    // A correction after publication needs its reason.
    let refused = cli.refused(
        "jz.admin",
        &["assessment", "run", "--region", "410800", "--year", "2026"],
    );
    assert!(refused.contains("更正"), "{refused}");

    cli.ok("jz.admin", &["ledger", "verify"]);
}
