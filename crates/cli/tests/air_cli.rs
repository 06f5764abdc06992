//! `ecoduty air assess` and `ecoduty air daily` on the small fixtures in
//! crates/air/tests/fixtures (written by make_fixtures.py there). Three days of 2025:
//!
//! - 1001A (焦作): day 1 PM2.5 40, PM10 80, SO2 10, NO2 30 (one hour "-5"), CO 0.8, O3 50 then
//!   120 from noon → O3 8-h 120 → IAQI 67 is the largest: AQI 67 良, primary O3_8h.
//!   Day 2 PM2.5 35/36 alternating (35.5 → 36, half to even) → 52, PM10 100 → 75: AQI 75,
//!   primary PM10. Day 3 PM2.5 160 → 210 重度污染.
//! - 1002A (焦作): as 1001A but day 1 PM2.5 60 → 82, CO 1.2, SO2 with "abc" and "99999";
//!   day 2 PM2.5 on 19 hours only → invalid day; day 3 O3 missing hours 0–5 → 18 hours (1-h
//!   max invalid) and 13 valid 8-h windows (invalid) → invalid day.
//! - City 焦作 (hour = mean of its stations): PM2.5 50, 53.125 → 53, 160; AQI 69, 75, 210.
//! - 3001A in 示例新区, which matches no region unless --city-map gives it one; 4001A is listed
//!   but never in the files; 9999A is in the files but not in the list.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../air/tests/fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn ecoduty(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecoduty"))
        .args(args)
        .output()
        .expect("run ecoduty")
}

fn ok_json(out: Output) -> (Value, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "stderr: {stderr}");
    (
        serde_json::from_slice(&out.stdout).expect("JSON on stdout"),
        stderr,
    )
}

fn assess(extra: &[&str]) -> (Value, String) {
    let (days, stations) = (fixture("days"), fixture("stations.csv"));
    let mut args = vec![
        "air",
        "assess",
        "--input",
        &days,
        "--stations",
        &stations,
        "--year",
        "2025",
        "--json",
    ];
    args.extend_from_slice(extra);
    ok_json(ecoduty(&args))
}

fn entry<'a>(list: &'a Value, key: &str, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e[key] == name)
        .unwrap_or_else(|| panic!("no {key} {name}"))
}

#[test]
fn assess_city_results_by_hand() {
    let (json, _) = assess(&[]);
    assert_eq!(json["year"], 2025);
    let c = entry(&json["cities"], "city", "焦作");
    let expected = serde_json::json!({
        "city": "焦作", "region_code": "410800", "stations": 3, "valid_days": 3,
        // PM2.5 daily 50, 53, 160: mean 87.7 → 88; p95 k = 2.9 → 53 + 107 × 0.9 = 149.3 → 149.
        "pm25_mean": 88, "pm25_p95": 149,
        "pm10_mean": 127, "pm10_p95": 190,
        "so2_mean": 13, "so2_p98": 20,
        "no2_mean": 40, "no2_p98": 50,
        // CO daily 1.0, 1.125 → 1.1, 1.5: p95 = 1.1 + 0.4 × 0.9 = 1.46 → 1.5.
        "co_p95": 1.5,
        // O3 8-h 120, 100, 60: p90 k = 2.8 → 116.
        "o3_8h_p90": 116,
        "good_days": 2, "good_day_ratio": 66.7, "heavy_days": 1,
        // 13/60 + 40/40 + 127/70 + 88/35 + 1.5/4 + 116/160 = 6.645… → 6.65.
        "composite_index": 6.65,
        "annual_valid": false
    });
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&c[k], v, "city field {k}");
    }
    assert_eq!(c["attainment"]["pm25_mean"]["attained"], false);
    assert_eq!(c["attainment"]["pm25_mean"]["limit"], 35);
    assert_eq!(c["attainment"]["o3_8h_p90"]["attained"], true);
    assert_eq!(c["attainment"]["o3_8h_p90"]["valid"], false);
}

#[test]
fn assess_station_results_by_hand() {
    let (json, _) = assess(&[]);
    let a = entry(&json["stations"], "station", "1001A");
    assert_eq!(a["valid_days"], 3);
    // PM2.5 40, 36, 160 → 78.7 → 79; p95 = 40 + 120 × 0.9 = 148.
    assert_eq!(a["pm25_mean"], 79);
    assert_eq!(a["pm25_p95"], 148);
    assert_eq!(a["good_days"], 2);
    assert_eq!(a["heavy_days"], 1);
    assert_eq!(a["region_code"], "410800");
    let b = entry(&json["stations"], "station", "1002A");
    // Days 2 and 3 invalid: one valid day, AQI 82.
    assert_eq!(b["valid_days"], 1);
    assert_eq!(b["good_days"], 1);
    assert_eq!(b["good_day_ratio"], 100.0);
    // PM2.5 valid on days 1 and 3 (60, 160): mean 110.
    assert_eq!(b["pm25_mean"], 110);
    // O3 8-h valid on days 1 and 2 only.
    assert_eq!(b["coverage"]["O3_8h"]["days"], 2);
    let codes: Vec<&str> = json["stations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["station"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["1001A", "1002A", "3001A"]);
}

#[test]
fn assess_reports_invalid_values_unknown_stations_and_unmatched_cities() {
    let (json, stderr) = assess(&[]);
    let inv = &json["invalid_values"];
    assert_eq!(
        (&inv["negative"], &inv["non_numeric"], &inv["absurd"]),
        (&1.into(), &1.into(), &1.into())
    );
    assert_eq!(
        inv["examples"][1]["file"], "china_sites_20250101.csv",
        "{inv}"
    );
    assert_eq!(inv["examples"][1]["line"], 67);
    assert_eq!(inv["examples"][1]["column"], 6);
    assert_eq!(inv["examples"][1]["station"], "1002A");
    assert_eq!(json["skipped"]["unknown_stations"][0]["code"], "9999A");
    assert_eq!(json["skipped"]["stations_without_data"], 1);
    assert!(stderr.contains("invalid hourly values"), "{stderr}");
    assert!(
        stderr.contains("china_sites_20250101.csv: line 67, column 6 (1002A)"),
        "{stderr}"
    );
    assert!(stderr.contains("station 9999A"), "{stderr}");
    assert!(stderr.contains("city 示例新区"), "{stderr}");
    let other = entry(&json["cities"], "city", "示例新区");
    assert_eq!(other["region_code"], Value::Null);
    // Cities without a region come last.
    assert_eq!(json["cities"][1]["city"], "示例新区");
}

#[test]
fn city_map_gives_a_region_code() {
    let map = fixture("city_map.csv");
    let (json, stderr) = assess(&["--city-map", &map]);
    assert_eq!(
        entry(&json["cities"], "city", "示例新区")["region_code"],
        "469099"
    );
    assert!(!stderr.contains("matches no region"), "{stderr}");
}

#[test]
fn assess_table_and_timings() {
    let (days, stations) = (fixture("days"), fixture("stations.csv"));
    let out = ecoduty(&[
        "air",
        "assess",
        "--input",
        &days,
        "--stations",
        &stations,
        "--year",
        "2025",
        "--timings",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("焦作") && text.contains("综合指数"), "{text}");
    assert!(text.contains("6.65"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("timings: read+parse"), "{err}");
}

#[test]
fn assess_writes_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("air.xlsx");
    let (days, stations) = (fixture("days"), fixture("stations.csv"));
    let out = ecoduty(&[
        "air",
        "assess",
        "--input",
        &days,
        "--stations",
        &stations,
        "--year",
        "2025",
        "--xlsx",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&path).unwrap();
    // An xlsx file is a zip archive holding one XML part per sheet.
    assert_eq!(&bytes[..2], b"PK");
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("xl/worksheets/sheet2.xml"));
}

#[test]
fn daily_series_of_a_city() {
    let (days, stations) = (fixture("days"), fixture("stations.csv"));
    // 焦作市 finds the station list's 焦作 through the region code.
    let (json, _) = ok_json(ecoduty(&[
        "air",
        "daily",
        "--input",
        &days,
        "--stations",
        &stations,
        "--city",
        "焦作市",
        "--json",
    ]));
    assert_eq!(json["city"], "焦作");
    assert_eq!(json["year"], 2025);
    let d = json["days"].as_array().unwrap();
    assert_eq!(d.len(), 365);
    assert_eq!(d[0]["date"], "2025-01-01");
    assert_eq!(d[0]["aqi"], 69);
    assert_eq!(d[0]["category"], "良");
    assert_eq!(d[0]["primary"], serde_json::json!(["PM2.5"]));
    assert_eq!(d[0]["values"]["CO"], 1.0);
    assert_eq!(d[0]["iaqi"]["O3_8h"], 67);
    assert_eq!(d[1]["values"]["PM2.5"], 53);
    assert_eq!(d[1]["values"]["CO"], 1.1);
    assert_eq!(d[1]["aqi"], 75);
    assert_eq!(d[1]["primary"], serde_json::json!(["PM10"]));
    assert_eq!(d[2]["aqi"], 210);
    assert_eq!(d[2]["category"], "重度污染");
    assert_eq!(d[3]["aqi"], Value::Null);
    assert_eq!(d[3]["valid"]["PM2.5"], false);
}

#[test]
fn daily_series_of_a_station_with_invalid_days() {
    let (days, stations) = (fixture("days"), fixture("stations.csv"));
    let (json, _) = ok_json(ecoduty(&[
        "air",
        "daily",
        "--input",
        &days,
        "--stations",
        &stations,
        "--station",
        "1002A",
        "--year",
        "2025",
        "--json",
    ]));
    let d = json["days"].as_array().unwrap();
    assert_eq!(d[0]["aqi"], 82);
    assert_eq!(d[0]["valid_hours"]["SO2"], 22);
    assert_eq!(d[1]["aqi"], Value::Null);
    assert_eq!(d[1]["valid_hours"]["PM2.5"], 19);
    assert_eq!(d[1]["valid"]["PM2.5"], false);
    assert_eq!(d[1]["iaqi"]["PM10"], 75);
    assert_eq!(d[2]["valid_hours"]["O3"], 18);
    assert_eq!(d[2]["o3_8h_windows"], 13);
    assert_eq!(d[2]["valid"]["O3_8h"], false);
    assert_eq!(d[2]["valid"]["O3_1h"], false);
    let (json, _) = ok_json(ecoduty(&[
        "air",
        "daily",
        "--input",
        &days,
        "--stations",
        &stations,
        "--station",
        "1001A",
        "--json",
    ]));
    let d = &json["days"][0];
    assert_eq!(d["aqi"], 67);
    assert_eq!(d["primary"], serde_json::json!(["O3_8h"]));
}

#[test]
fn long_format_gives_the_same_day() {
    let (long, stations) = (fixture("long.csv"), fixture("stations.csv"));
    let (json, stderr) = ok_json(ecoduty(&[
        "air",
        "daily",
        "--input",
        &long,
        "--stations",
        &stations,
        "--station",
        "1001A",
        "--json",
    ]));
    assert_eq!(json["days"][0]["aqi"], 67);
    assert_eq!(json["days"][0]["values"]["NO2"], 30);
    assert!(stderr.contains("negative 1"), "{stderr}");
}

fn refused(args: &[&str]) -> String {
    let out = ecoduty(args);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn malformed_day_files_are_refused_naming_file_line_and_column() {
    let stations = fixture("stations.csv");
    let cases = [
        (
            "bad_header",
            "china_sites_20250101.csv: line 1, column 3 (type): the header must start with date,hour,type",
        ),
        (
            "bad_hour",
            "china_sites_20250101.csv: line 3, column 2 (hour): \"25\" is not an hour 0–23",
        ),
        (
            "bad_date",
            "china_sites_20250101.csv: line 4, column 1 (date): date 20250102 does not match the file name's date 20250101",
        ),
        (
            "short_row",
            "china_sites_20250101.csv: line 2: 4 fields where the header has 5",
        ),
    ];
    for (dir, want) in cases {
        let input = fixture(dir);
        let err = refused(&[
            "air",
            "assess",
            "--input",
            &input,
            "--stations",
            &stations,
            "--year",
            "2025",
            "--json",
        ]);
        assert!(err.contains(want), "{dir}: {err}");
    }
}

#[test]
fn long_format_unknown_station_is_refused_naming_the_line() {
    let (long, stations) = (fixture("long_unknown_station.csv"), fixture("stations.csv"));
    let err = refused(&[
        "air",
        "assess",
        "--input",
        &long,
        "--stations",
        &stations,
        "--year",
        "2025",
    ]);
    assert!(
        err.contains("line 3, column 1 (station): station \"1009Z\" is not in the station list"),
        "{err}"
    );
}

#[test]
fn unknown_city_and_missing_year_are_refused() {
    let (days, stations) = (fixture("days"), fixture("stations.csv"));
    let err = refused(&[
        "air",
        "daily",
        "--input",
        &days,
        "--stations",
        &stations,
        "--city",
        "郑州",
        "--json",
    ]);
    assert!(err.contains("no city \"郑州\""), "{err}");
    let err = refused(&[
        "air",
        "assess",
        "--input",
        &days,
        "--stations",
        &stations,
        "--year",
        "2024",
    ]);
    assert!(err.contains("no day files"), "{err}");
    let err = refused(&[
        "air",
        "assess",
        "--input",
        &days,
        "--stations",
        "/nonexistent/stations.csv",
        "--year",
        "2025",
    ]);
    assert!(err.contains("/nonexistent/stations.csv"), "{err}");
}

#[test]
fn gen_air_writes_files_that_assess_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let gen = ecoduty(&[
        "bench",
        "gen-air",
        "--stations",
        "8",
        "--year",
        "2024",
        "--out",
        out,
        "--seed",
        "3",
    ]);
    assert!(
        gen.status.success(),
        "{}",
        String::from_utf8_lossy(&gen.stderr)
    );
    assert!(dir.path().join("china_sites_20241231.csv").exists());
    let stations = dir.path().join("stations.csv");
    let (json, _) = ok_json(ecoduty(&[
        "air",
        "assess",
        "--input",
        out,
        "--stations",
        stations.to_str().unwrap(),
        "--year",
        "2024",
        "--json",
    ]));
    let cities = json["cities"].as_array().unwrap();
    assert!(!cities.is_empty());
    for c in cities {
        assert!(c["region_code"].is_string(), "{c}");
        assert!(c["valid_days"].as_u64().unwrap() > 200, "{c}");
    }
}
