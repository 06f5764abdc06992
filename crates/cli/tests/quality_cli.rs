//! Monitoring data, targets, reported values, statuses and warnings through the `ecoduty`
//! binary, on the small fixtures of crates/store/tests/fixtures/quality (values worked out in
//! its README): imports once, corrections, refusals with exit status 2 that change nothing, and
//! warnings naming who holds the answering posts.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
    db: String,
}

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../store/tests/fixtures/quality")
        .join(rel)
        .to_str()
        .unwrap()
        .to_string()
}

impl Cli {
    fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}/quality.db", dir.path().display());
        Cli { dir, db }
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ecoduty"))
            .args(["--db", &self.db, "--actor", "测试员"])
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn refused(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn ledger_entries(&self) -> u64 {
        let v = self.json(&["ledger", "verify", "--json"]);
        assert!(v["first_mismatch"].is_null(), "{v}");
        v["entries"].as_u64().unwrap()
    }

    fn air_import(&self, dir: &str, json: bool) -> Output {
        let (input, stations, map) = (
            fixture(dir),
            fixture("air/stations.csv"),
            fixture("air/city_map.csv"),
        );
        let mut args = vec![
            "air",
            "import",
            "--input",
            &input,
            "--stations",
            &stations,
            "--city-map",
            &map,
        ];
        if json {
            args.push("--json");
        }
        self.run(&args)
    }

    fn air_import_json(&self, dir: &str) -> Value {
        let out = self.air_import(dir, true);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

#[test]
fn air_import_is_recorded_once_corrected_by_a_new_file_and_refused_whole() {
    let cli = Cli::new();
    let before = cli.ledger_entries();
    let out = cli.air_import("air/bad_second", false);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad_second/china_sites_20250102.csv") && stderr.contains("line 3"),
        "{stderr}"
    );
    assert_eq!(
        cli.ledger_entries(),
        before,
        "the good first file was not kept"
    );

    let first = cli.air_import_json("air/days");
    assert_eq!(first["import_id"], 1);
    assert_eq!(first["files"].as_array().unwrap().len(), 3);
    assert_eq!(first["day_rows"], 9);
    assert_eq!(first["report"]["unknown_stations"][0]["code"], "9999A");
    assert_eq!(first["report"]["invalid_values"]["absurd"], 1);
    let after_first = cli.ledger_entries();
    assert_eq!(after_first, before + 1);

    let again = cli.air_import_json("air/days");
    assert!(again["import_id"].is_null());
    assert_eq!(
        again["report"]["already_imported"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(cli.ledger_entries(), after_first);
    let out = cli.air_import("air/days", false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("没有新数据"), "{text}");

    let corrected = cli.air_import_json("air/corrected");
    assert_eq!(corrected["import_id"], 2);
    assert_eq!(corrected["report"]["superseded_station_days"], 3);
    let log = cli.json(&["ledger", "list", "--entity", "air_import", "--json"]);
    assert_eq!(log.as_array().map(Vec::len), Some(2), "{log}");

    let stderr = cli.refused(&[
        "air",
        "import",
        "--input",
        &fixture("air/days"),
        "--stations",
        &fixture("air/nonexistent.csv"),
    ]);
    assert!(stderr.contains("nonexistent.csv"), "{stderr}");
}

#[test]
fn water_import_once_and_a_bad_file_changes_nothing() {
    let cli = Cli::new();
    let before = cli.ledger_entries();
    let bad = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../water/tests/fixtures/water_bad.csv")
        .to_str()
        .unwrap()
        .to_string();
    let stderr = cli.refused(&["water", "import", "--input", &bad]);
    assert!(
        stderr.contains("water_bad.csv:4") && stderr.contains("`parameter`"),
        "{stderr}"
    );
    assert_eq!(cli.ledger_entries(), before);

    let input = fixture("water_2025.csv");
    let first = cli.json(&["water", "import", "--input", &input, "--json"]);
    assert_eq!(first["import_id"], 1);
    assert_eq!(first["measurements"], 219);
    assert_eq!(first["sections_written"], 9);
    let again = cli.json(&["water", "import", "--input", &input, "--json"]);
    assert!(again["import_id"].is_null());
    assert_eq!(again["already_imported"], 1);
    assert_eq!(cli.ledger_entries(), before + 1);
    let fixed = cli.json(&[
        "water",
        "import",
        "--input",
        &fixture("water_2025_corrected.csv"),
        "--json",
    ]);
    assert_eq!(fixed["report"]["superseded_section_months"], 12);
}

#[test]
fn targets_import_refuses_a_bad_row_and_lists_what_was_set() {
    let cli = Cli::new();
    let before = cli.ledger_entries();
    let stderr = cli.refused(&["targets", "import", &fixture("targets_bad.csv")]);
    assert!(
        stderr.contains("targets_bad.csv: line 3: column `target`"),
        "{stderr}"
    );
    let unknown = cli.write(
        "unknown.csv",
        "region_code,indicator,year,target\n410800,pm25_annual_mean,2025,35\n419999,heavy_pollution_days,2025,8\n",
    );
    let stderr = cli.refused(&["targets", "import", &unknown]);
    assert!(
        stderr.contains("line 3: column `region_code`: unknown region 419999"),
        "{stderr}"
    );
    assert_eq!(cli.ledger_entries(), before);

    let good = cli.write(
        "targets.csv",
        "区划代码,指标,年度,目标值\n4108,细颗粒物（PM2.5）年均浓度,2025,35\n410883,good_day_ratio,2025,80.5\n",
    );
    let summary = cli.json(&["targets", "import", &good, "--json"]);
    assert_eq!(summary["created"], 2);
    let listed = cli.json(&["targets", "list", "--region", "4108", "--json"]);
    let listed: Vec<(String, f64)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                format!(
                    "{} {}",
                    t["region_code"].as_str().unwrap(),
                    t["indicator"].as_str().unwrap()
                ),
                t["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("410800 pm25_annual_mean".to_string(), 35.0),
            ("410883 good_day_ratio".to_string(), 80.5)
        ]
    );
    let table = cli.ok(&["targets", "list", "--region", "410883"]);
    assert!(
        table.contains("空气质量优良天数比率") && table.contains("80.5 %"),
        "{table}"
    );
    assert!(
        !table.contains("PM2.5"),
        "only 孟州市's own targets: {table}"
    );
}

const ROSTER: &str =
    "region_code,organisation,organisation_kind,post,role,person,start_date,end_date,acting
410800,焦作市人民政府,government,市长,government_head,张岚溪,2021-06-01,,false
410800,焦作市人民政府,government,副市长,deputy_eco,王晨远,2022-03-01,,false
410800,焦作市生态环境局,department,局长,eco_department_head,李澜舟,2025-03-01,,true
";

#[test]
fn status_and_warnings_name_who_answers() {
    let cli = Cli::new();
    cli.air_import_json("air/days");
    cli.ok(&["water", "import", "--input", &fixture("water_2025.csv")]);
    let roster = cli.write("roster.csv", ROSTER);
    cli.ok(&["roster", "import", &roster]);
    let targets = cli.write(
        "targets.csv",
        "region_code,indicator,year,target\n\
         410800,pm25_annual_mean,2025,35\n\
         410800,good_day_ratio,2025,60\n\
         410800,heavy_pollution_days,2025,5\n\
         410800,water_share_worse_than_v,2025,10\n\
         410800,forest_cover,2025,32\n",
    );
    cli.ok(&["targets", "import", &targets]);

    // By the end of January: PM2.5 days 50, 53, 160 → mean 87.7 → 88 against a flat 35;
    // 2 of 3 days good (AQI 69, 75, 210) → 66.7 ≥ 60; one heavy day of 5 × 31/365 = 0.42
    // expected; water: 老龙口 劣Ⅴ among the 6 sections sampled in January → 16.7 > 10.
    let status = cli.json(&[
        "indicators",
        "status",
        "--region",
        "4108",
        "--year",
        "2025",
        "--at",
        "2025-02-01",
        "--json",
    ]);
    assert_eq!(status["months"], 1);
    let of = |key: &str| {
        status["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["indicator"] == key)
            .unwrap()
            .clone()
    };
    let pm = of("pm25_annual_mean");
    assert_eq!(pm["status"]["status"], "at_risk");
    assert_eq!(pm["status"]["ytd_value"], 88.0);
    assert_eq!(pm["status"]["basis"]["kind"], "flat");
    let good = of("good_day_ratio");
    assert_eq!(
        (&good["status"]["status"], &good["status"]["ytd_value"]),
        (&Value::from("on_track"), &Value::from(66.7))
    );
    let heavy = of("heavy_pollution_days");
    assert_eq!(heavy["status"]["status"], "at_risk");
    assert_eq!(heavy["status"]["ytd_value"], 1.0);
    let water = of("water_share_worse_than_v");
    assert_eq!(water["status"]["ytd_value"], 16.7);
    assert!(of("forest_cover")["status"].is_null());
    let table = cli.ok(&[
        "indicators",
        "status",
        "--region",
        "410800",
        "--year",
        "2025",
        "--at",
        "2025-02-01",
    ]);
    assert!(
        table.contains("存在风险") && table.contains("平直路径"),
        "{table}"
    );

    let warnings = cli.json(&[
        "warnings",
        "--region",
        "41",
        "--year",
        "2025",
        "--at",
        "2025-02-01",
        "--json",
    ]);
    let warnings = warnings.as_array().unwrap();
    let keys: Vec<&str> = warnings
        .iter()
        .map(|w| w["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "pm25_annual_mean",
            "heavy_pollution_days",
            "water_share_worse_than_v"
        ]
    );
    for w in warnings {
        let holders: Vec<(&str, &str)> = w["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["role"].as_str().unwrap(),
                    p["holder"]["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            holders,
            [
                ("government_head", "张岚溪"),
                ("deputy_eco", "王晨远"),
                ("eco_department_head", "李澜舟")
            ]
        );
    }
    let text = cli.ok(&["warnings", "--region", "410800", "--at", "2025-02-01"]);
    assert!(
        text.contains("焦作市生态环境局 局长 — 李澜舟（2025-03-01 起，代理）"),
        "{text}"
    );

    // Hand-reported forest cover, refused without evidence or for a computed indicator.
    let stderr = cli.refused(&[
        "indicators",
        "report",
        "--region",
        "410800",
        "--indicator",
        "pm25_annual_mean",
        "--year",
        "2025",
        "--value",
        "30",
        "--evidence",
        "x",
    ]);
    assert!(stderr.contains("computed from monitoring data"), "{stderr}");
    let stderr = cli.refused(&[
        "indicators",
        "report",
        "--region",
        "410800",
        "--indicator",
        "forest_cover",
        "--year",
        "2025",
        "--value",
        "32.5",
        "--evidence",
        " ",
    ]);
    assert!(stderr.contains("evidence"), "{stderr}");
    let evidence = cli.write("年报.txt", "焦作市2025年森林资源年报（示例）");
    let report = cli.json(&[
        "indicators",
        "report",
        "--region",
        "410800",
        "--indicator",
        "森林覆盖率",
        "--year",
        "2025",
        "--value",
        "32.5",
        "--evidence",
        "《2025年森林资源年报》（示例）",
        "--evidence-file",
        &evidence,
        "--reporter",
        "焦作市林业局",
        "--json",
    ]);
    assert_eq!(report["rev"], 1);
    assert_eq!(report["evidence_file"]["name"], "年报.txt");
    assert_eq!(
        report["evidence_file"]["sha256"].as_str().unwrap().len(),
        64
    );

    // After the year: the water share of 20.0 misses 10; forest cover 32.5 meets 32.
    let closed = cli.json(&[
        "indicators",
        "status",
        "--region",
        "410800",
        "--year",
        "2025",
        "--at",
        "2026-01-10",
        "--json",
    ]);
    assert_eq!(closed["closed"], true);
    let of = |key: &str| {
        closed["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["indicator"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(of("water_share_worse_than_v")["status"]["status"], "missed");
    assert_eq!(of("forest_cover")["status"]["status"], "met");
    assert!(of("pm25_annual_mean")["unavailable"]
        .as_str()
        .unwrap()
        .contains("12 月"));

    cli.refused(&["indicators", "status", "--region", "4199", "--year", "2025"]);
    cli.refused(&[
        "indicators",
        "status",
        "--region",
        "410800",
        "--year",
        "2025",
        "--at",
        "2025-13-01",
    ]);
    let v = cli.json(&["ledger", "verify", "--json"]);
    assert!(v["first_mismatch"].is_null(), "{v}");
}
