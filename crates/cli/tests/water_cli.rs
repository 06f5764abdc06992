//! `ecoduty water assess` on the checked-in fixture, whose classes can be verified by hand (see
//! crates/water/tests/fixtures/README.md), and on a file with a bad row.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../water/tests/fixtures")
        .join(name)
}

fn ecoduty(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecoduty"))
        .args(args)
        .output()
        .expect("run ecoduty")
}

fn assess_json(year: &str) -> Value {
    let input = fixture("water_2025.csv");
    let out = ecoduty(&[
        "water",
        "assess",
        "--input",
        input.to_str().unwrap(),
        "--year",
        year,
        "--json",
    ]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The keys the contract fixes, for one section.
fn core(section: &Value) -> Value {
    json!({
        "section": section["section"],
        "region_code": section["region_code"],
        "kind": section["kind"],
        "months": section["months"],
        "evaluated": section["evaluated"],
        "class": section["class"],
        "exceeding": section["exceeding"],
        "tn_class": section["tn_class"],
    })
}

#[test]
fn assess_prints_classes_and_shares_as_json() {
    let v = assess_json("2025");
    assert_eq!(v["year"], 2025);
    let sections: Vec<Value> = v["sections"].as_array().unwrap().iter().map(core).collect();
    assert_eq!(
        sections,
        vec![
            json!({"section": "白马桥", "region_code": "410800", "kind": "river", "months": 12,
                   "evaluated": true, "class": 2, "exceeding": [], "tn_class": null}),
            json!({"section": "清风闸", "region_code": "410800", "kind": "river", "months": 12,
                   "evaluated": true, "class": 4, "exceeding": ["nh3n"], "tn_class": null}),
            json!({"section": "群英湖心", "region_code": "410800", "kind": "lake", "months": 12,
                   "evaluated": true, "class": 3, "exceeding": [], "tn_class": 4}),
            json!({"section": "老龙口", "region_code": "410800", "kind": "river", "months": 12,
                   "evaluated": true, "class": 6, "exceeding": ["cod"], "tn_class": null}),
            json!({"section": "石门", "region_code": "410800", "kind": "river", "months": 12,
                   "evaluated": true, "class": 1, "exceeding": [], "tn_class": null}),
            json!({"section": "黄河驿", "region_code": "410800", "kind": "river", "months": 8,
                   "evaluated": false, "class": null, "exceeding": [], "tn_class": null}),
            json!({"section": "南关桥", "region_code": "410900", "kind": "river", "months": 9,
                   "evaluated": true, "class": 3, "exceeding": [], "tn_class": null}),
            json!({"section": "北环路", "region_code": "410900", "kind": "river", "months": 12,
                   "evaluated": true, "class": 4, "exceeding": ["do"], "tn_class": null}),
            json!({"section": "青天河水库", "region_code": "410900", "kind": "lake", "months": 12,
                   "evaluated": true, "class": 2, "exceeding": [], "tn_class": 1}),
        ]
    );
    // The 2024 row of 白马桥 (NH3-N 9) is outside the year: the mean stays 0.5.
    assert_eq!(v["sections"][0]["means"]["nh3n"], 0.5);
    assert_eq!(v["sections"][0]["means"]["tp"], 0.1);
    // 清风闸: NH3-N alternates 0.8 and 1.4 → mean 1.1; TP "<0.02" counts 0.01.
    assert_eq!(v["sections"][1]["means"]["nh3n"], 1.1);
    assert_eq!(v["sections"][1]["means"]["tp"], 0.01);
    assert_eq!(v["sections"][2]["means"]["cod"], 0.0);
    // 南关桥: fecal coliform 30000/L is class Ⅴ, reported on its own, not in the class.
    assert_eq!(v["sections"][6]["coliform_class"], 5);
    assert_eq!(v["sections"][1]["description"], "轻度污染");

    assert_eq!(
        v["regions"],
        json!([
            {"region_code": "410800", "sections": 5, "share_good": 60.0, "share_worse_than_v": 20.0,
             "good": 3, "worse_than_v": 1, "not_evaluated": 1},
            {"region_code": "410900", "sections": 3, "share_good": 66.7, "share_worse_than_v": 0.0,
             "good": 2, "worse_than_v": 0, "not_evaluated": 0},
        ])
    );
    let left_out = v["not_evaluated"].as_array().unwrap();
    assert_eq!(left_out.len(), 1);
    assert_eq!(left_out[0]["section"], "黄河驿");
    assert!(left_out[0]["reason"].as_str().unwrap().contains("8 个月"));
    assert_eq!(v["sections"][5]["reason"], left_out[0]["reason"]);
}

#[test]
fn assess_prints_a_table_without_json() {
    let input = fixture("water_2025.csv");
    let out = ecoduty(&[
        "water",
        "assess",
        "--input",
        input.to_str().unwrap(),
        "--year",
        "2025",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2025 年地表水水质评价"), "{text}");
    let row = text.lines().find(|l| l.starts_with("清风闸")).unwrap();
    assert!(
        row.contains("Ⅳ类") && row.contains("轻度污染") && row.contains("氨氮"),
        "{row}"
    );
    let region = text.lines().find(|l| l.starts_with("410900")).unwrap();
    assert!(region.contains("66.7"), "{region}");
    assert!(text.contains("黄河驿（410800）：全年仅 8 个月"), "{text}");
}

#[test]
fn a_bad_row_is_refused_with_file_line_and_column() {
    let input = fixture("water_bad.csv");
    let out = ecoduty(&[
        "water",
        "assess",
        "--input",
        input.to_str().unwrap(),
        "--year",
        "2025",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing is printed on refusal");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("water_bad.csv:4: column `parameter`"), "{err}");
    assert!(err.contains("nh4n"), "{err}");
}

#[test]
fn a_year_without_data_and_a_missing_file_are_refused() {
    let input = fixture("water_2025.csv");
    let out = ecoduty(&[
        "water",
        "assess",
        "--input",
        input.to_str().unwrap(),
        "--year",
        "2023",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no measurement in 2023") && err.contains("2024, 2025"),
        "{err}"
    );

    let out = ecoduty(&[
        "water",
        "assess",
        "--input",
        "/nonexistent/w.csv",
        "--year",
        "2025",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/w.csv"));
}
