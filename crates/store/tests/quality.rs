//! Monitoring data, targets, reported values, statuses and early warnings in the store, on
//! both backends. The fixtures are in tests/fixtures/quality (see its README for the values
//! worked out by hand).

mod common;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use common::{change, code, date, TestDb};
use ecoduty_air::aqi::Indicator as AirIndicator;
use ecoduty_air::ingest::{
    list_day_files, parse_day_file, parse_station_list, DayBlock, InvalidCounts, RegionIndex,
    Station, StationList,
};
use ecoduty_air::Pollutant;
use ecoduty_domain::roster::{header, parse_roster};
use ecoduty_indicators::{PathBasis, Status};
use ecoduty_store::quality::air::AirImportSummary;
use ecoduty_store::quality::reports::NewReport;
use ecoduty_store::quality::targets::TargetImportError;
use ecoduty_store::quality::SourceFile;
use ecoduty_store::roster::RosterSource;
use ecoduty_store::{Backend, Store, StoreError, StoreResult};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/quality")
        .join(rel)
}

async fn count(s: &Store, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(s.pool())
        .await
        .unwrap()
}

async fn ledger_len(s: &Store) -> i64 {
    count(s, "SELECT COUNT(*) FROM ledger").await
}

async fn assert_verified(s: &Store) {
    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{report:?}");
}

fn station_list() -> (StationList, SourceFile) {
    let bytes = std::fs::read(fixture("air/stations.csv")).unwrap();
    (
        parse_station_list(&bytes, "stations.csv").unwrap(),
        SourceFile::of("stations.csv", &bytes),
    )
}

fn regions() -> RegionIndex {
    RegionIndex::embedded()
        .with_city_map_file(&fixture("air/city_map.csv"))
        .unwrap()
}

/// Imports the day files of a fixture directory as the CLI does; a file that does not parse
/// ends the import (dropping the session) with its error.
async fn import_air_dir(s: &Store, dir: &str) -> StoreResult<AirImportSummary> {
    let (list, source) = station_list();
    let mut import = s
        .begin_air_import(&change("导入空气质量数据"), source, &list, &regions())
        .await?;
    let (files, others) = list_day_files(&fixture(dir)).unwrap();
    import.note_ignored(others);
    for (day, path) in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let block = parse_day_file(&bytes, &name, day, &list)
            .map_err(|e| StoreError::invalid(name.clone(), e.to_string()))?;
        import
            .add_day_file(SourceFile::of(name, &bytes), &block)
            .await?;
    }
    import.finish().await
}

fn pm25_and_aqi(days: &[ecoduty_air::daily::DailyRecord]) -> Vec<(Option<f64>, Option<u32>)> {
    days.iter()
        .take(3)
        .map(|d| (d.value(AirIndicator::Pm25), d.aqi.aqi.map(|a| a as u32)))
        .collect()
}

async fn air_imports_once_and_a_corrected_file_supersedes(db: TestDb) {
    let s = &db.store;
    let first = import_air_dir(s, "air/days").await.unwrap();
    assert_eq!(first.import_id, Some(1));
    assert_eq!(first.files.len(), 3);
    assert_eq!(first.stations_written, 4, "every listed station is new");
    assert_eq!(first.day_rows, 9, "1001A, 1002A and 3001A on three days");
    let inv = &first.report.invalid_values;
    assert_eq!((inv.negative, inv.non_numeric, inv.absurd), (1, 1, 1));
    assert_eq!(
        first
            .report
            .unknown_stations
            .iter()
            .map(|u| (u.code.as_str(), u.files))
            .collect::<Vec<_>>(),
        vec![("9999A", 3)]
    );
    let stations = s.air_stations(Some(&code("410800"))).await.unwrap();
    let codes: Vec<&str> = stations.iter().map(|s| s.station.code.as_str()).collect();
    assert_eq!(codes, ["1001A", "1002A", "4001A"], "焦作 maps to 410800");
    let zone = s.air_stations(Some(&code("469099"))).await.unwrap();
    assert_eq!(zone[0].station.code, "3001A", "mapped by the city map");

    // 焦作's hourly value is the mean of its stations: PM2.5 50, 53.125 → 53, 160 (air_cli).
    let days = s.air_daily(&code("410800"), 2025).await.unwrap().unwrap();
    assert_eq!(days.len(), 365);
    assert_eq!(
        pm25_and_aqi(&days),
        vec![
            (Some(50.0), Some(69)),
            (Some(53.0), Some(75)),
            (Some(160.0), Some(210))
        ]
    );
    assert!(days[3].value(AirIndicator::Pm25).is_none());

    // The same files again: nothing is written, not even a ledger entry.
    let before = ledger_len(s).await;
    let again = import_air_dir(s, "air/days").await.unwrap();
    assert_eq!(again.import_id, None);
    assert_eq!(again.report.already_imported.len(), 3);
    assert!(again
        .report
        .already_imported
        .iter()
        .all(|a| a.import_id == 1));
    assert_eq!(ledger_len(s).await, before);

    // A corrected 3 January (1001A's PM2.5 160 → 100) supersedes that day only.
    let corrected = import_air_dir(s, "air/corrected").await.unwrap();
    assert_eq!(corrected.import_id, Some(2));
    assert_eq!(corrected.stations_written, 0);
    assert_eq!(corrected.day_rows, 3);
    assert_eq!(corrected.report.superseded_station_days, 3);
    assert_eq!(ledger_len(s).await, before + 1, "one entry per import");
    let days = s.air_daily(&code("410800"), 2025).await.unwrap().unwrap();
    let pm: Vec<Option<f64>> = pm25_and_aqi(&days).into_iter().map(|p| p.0).collect();
    assert_eq!(pm, vec![Some(50.0), Some(53.0), Some(130.0)]);
    // Both imports are kept.
    assert_eq!(count(s, "SELECT COUNT(*) FROM air_day_values").await, 12);
    let entry = s.entity_log("air_import", "2").await.unwrap();
    let after = entry[0].after.as_ref().unwrap();
    assert_eq!(after["files"][0]["name"], "china_sites_20250103.csv");
    assert_eq!(after["files"][0]["sha256"], corrected.files[0].sha256);
    assert_eq!(after["report"]["superseded_station_days"], 3);
    assert_verified(s).await;

    // Stored rows refuse to change.
    let refused = sqlx::query("UPDATE air_day_values SET pm25 = NULL")
        .execute(s.pool())
        .await;
    assert!(refused.is_err());
    let refused = sqlx::query("DELETE FROM air_imports")
        .execute(s.pool())
        .await;
    assert!(refused.is_err());
    db.finish().await;
}

async fn verification_finds_an_hourly_value_edited_behind_the_programs_back(db: TestDb) {
    let s = &db.store;
    let first = import_air_dir(s, "air/days").await.unwrap();
    assert_verified(s).await;
    let (drop, restore) = if s.backend() == Backend::Postgres {
        (
            "ALTER TABLE air_day_values DISABLE TRIGGER air_day_values_append_only",
            "ALTER TABLE air_day_values ENABLE TRIGGER air_day_values_append_only",
        )
    } else {
        ("DROP TRIGGER air_day_values_no_update", "SELECT 1")
    };
    sqlx::query(drop).execute(s.pool()).await.unwrap();
    let edited = sqlx::query(
        "UPDATE air_day_values SET pm25 = replace(pm25, '160', '16') \
         WHERE station = '1001A' AND day = '2025-01-03'",
    )
    .execute(s.pool())
    .await
    .unwrap();
    assert_eq!(edited.rows_affected(), 1);
    sqlx::query(restore).execute(s.pool()).await.unwrap();
    let m = s.verify_ledger().await.unwrap().first_mismatch.unwrap();
    assert_eq!(Some(m.seq), first.ledger_seq, "{m:?}");
    assert!(m.problem.contains("air_import 1"), "{}", m.problem);
    db.finish().await;
}

async fn a_failed_air_import_changes_nothing(db: TestDb) {
    let s = &db.store;
    let before = ledger_len(s).await;
    let err = import_air_dir(s, "air/bad_second").await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("china_sites_20250102.csv") && message.contains("line 3"),
        "{message}"
    );
    for table in [
        "air_imports",
        "air_import_files",
        "air_stations",
        "air_day_values",
    ] {
        assert_eq!(
            count(s, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(ledger_len(s).await, before);
    // The good files import afterwards as the first import.
    let ok = import_air_dir(s, "air/days").await.unwrap();
    assert_eq!(ok.import_id, Some(1));
    assert_verified(s).await;
    db.finish().await;
}

fn water(file: &str) -> (ecoduty_water::WaterData, SourceFile) {
    let bytes = std::fs::read(fixture(file)).unwrap();
    (
        ecoduty_water::read_csv(bytes.as_slice(), file).unwrap(),
        SourceFile::of(file, &bytes),
    )
}

fn shares_410800(data: &ecoduty_water::WaterData) -> (Option<f64>, Option<f64>, usize) {
    let year = ecoduty_water::assess_year(data, 2025);
    let r = year
        .regions
        .iter()
        .find(|r| r.region_code.as_str() == "410800")
        .unwrap();
    (
        r.share_good.map(|s| s.as_f64()),
        r.share_worse_than_v.map(|s| s.as_f64()),
        r.evaluated,
    )
}

async fn water_imports_once_and_a_corrected_file_supersedes_its_months(db: TestDb) {
    let s = &db.store;
    let (data, source) = water("water_2025.csv");
    let first = s
        .import_water(&change("导入地表水监测数据"), source.clone(), &data)
        .await
        .unwrap();
    assert_eq!(first.import_id, Some(1));
    assert_eq!(first.sections_written, 9);
    assert_eq!(first.measurements, 219);
    assert_eq!(first.report.years, vec![2024, 2025]);
    assert_eq!(first.report.superseded_section_months, 0);
    // Stored and read back, the data evaluates as the file does (fixture README: 60.0 %, 20.0 %).
    let stored = s.water_data(&code("410800"), 2025).await.unwrap();
    assert_eq!(shares_410800(&stored), (Some(60.0), Some(20.0), 5));
    assert_eq!(shares_410800(&stored), shares_410800(&data));
    assert_eq!(
        s.water_sections(Some(&code("410900"))).await.unwrap().len(),
        3
    );

    let before = ledger_len(s).await;
    let again = s
        .import_water(&change("再次导入"), source, &data)
        .await
        .unwrap();
    assert_eq!((again.import_id, again.already_imported), (None, Some(1)));
    assert_eq!(ledger_len(s).await, before);

    // 老龙口's COD corrected from 45 to 18 in all twelve months: Ⅲ instead of 劣Ⅴ.
    let (fixed, source) = water("water_2025_corrected.csv");
    let second = s
        .import_water(&change("更正老龙口断面数据"), source, &fixed)
        .await
        .unwrap();
    assert_eq!(second.import_id, Some(2));
    assert_eq!(second.sections_written, 0, "老龙口 is unchanged");
    assert_eq!(second.report.superseded_section_months, 12);
    let stored = s.water_data(&code("410800"), 2025).await.unwrap();
    assert_eq!(shares_410800(&stored), (Some(80.0), Some(0.0), 5));
    assert_eq!(
        count(s, "SELECT COUNT(*) FROM water_measurements").await,
        219 + 24
    );
    assert_verified(s).await;
    assert!(sqlx::query("DELETE FROM water_measurements")
        .execute(s.pool())
        .await
        .is_err());
    db.finish().await;
}

fn rows(text: &str) -> Vec<(u64, Vec<String>)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.split(',').map(str::to_string).collect()))
        .collect()
}

fn targets_file(name: &str) -> SourceFile {
    SourceFile {
        name: name.into(),
        sha256: "0".repeat(64),
    }
}

async fn targets_import_all_or_nothing_and_revise_by_version(db: TestDb) {
    let s = &db.store;
    let before = ledger_len(s).await;
    let bad = "region_code,indicator,year,target\n\
               410800,pm25_annual_mean,2025,35\n\
               410800,good_day_ratio,2025,120\n";
    let Err(TargetImportError::Rows(errors)) = s
        .import_targets(&change("导入目标"), &targets_file("bad.csv"), &rows(bad))
        .await
    else {
        panic!("a target of 120 % is refused");
    };
    let at: Vec<_> = errors.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(at, vec![(3, Some("target"))]);
    let unknown = "region_code,indicator,year,target\n\
                   410800,pm25_annual_mean,2025,35\n\
                   \n\
                   419999,heavy_pollution_days,2025,8\n";
    let Err(TargetImportError::Rows(errors)) = s
        .import_targets(
            &change("导入目标"),
            &targets_file("unknown.csv"),
            &rows(unknown),
        )
        .await
    else {
        panic!("an unknown region is refused");
    };
    let at: Vec<_> = errors.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(at, vec![(4, Some("region_code"))], "{errors:?}");
    assert!(s.targets(None, None).await.unwrap().is_empty());
    assert_eq!(ledger_len(s).await, before, "nothing changed");

    let good = "区划代码,指标,年度,目标值\n\
                4108,pm25_annual_mean,2025,35\n\
                410800,空气质量优良天数比率,2025,80.5\n\
                410883,heavy_pollution_days,2025,8\n\
                410800,pm25_annual_mean,2024,38\n";
    let summary = s
        .import_targets(
            &change("下达2025年目标"),
            &targets_file("t.csv"),
            &rows(good),
        )
        .await
        .unwrap();
    assert_eq!(
        (summary.created, summary.revised, summary.unchanged),
        (4, 0, 0)
    );
    assert!(summary.ledger_seq.is_some());
    let listed = s.targets(Some(&code("410800")), Some(2025)).await.unwrap();
    let listed: Vec<_> = listed
        .iter()
        .map(|t| {
            (
                t.region_code.as_str(),
                t.indicator.as_str(),
                t.value,
                t.source.as_str(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("410800", "pm25_annual_mean", 35.0, "t.csv:2"),
            ("410800", "good_day_ratio", 80.5, "t.csv:3"),
            ("410883", "heavy_pollution_days", 8.0, "t.csv:4"),
        ]
    );
    let before = ledger_len(s).await;
    let again = s
        .import_targets(&change("再次导入"), &targets_file("t.csv"), &rows(good))
        .await
        .unwrap();
    assert_eq!((again.unchanged, again.ledger_seq), (4, None));
    assert_eq!(ledger_len(s).await, before);

    let revised = good.replace(
        "4108,pm25_annual_mean,2025,35",
        "4108,pm25_annual_mean,2025,33",
    );
    let summary = s
        .import_targets(
            &change("调整目标"),
            &targets_file("t2.csv"),
            &rows(&revised),
        )
        .await
        .unwrap();
    assert_eq!(
        (summary.created, summary.revised, summary.unchanged),
        (0, 1, 3)
    );
    let pm = s
        .targets(Some(&code("410800")), Some(2025))
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.indicator == "pm25_annual_mean" && t.region_code == code("410800"))
        .unwrap();
    let log = s.entity_log("target", &pm.id.to_string()).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1].region_code.as_deref(),
        Some("410800"),
        "ledger pages scoped to 焦作市 show its targets"
    );
    let versions = s.target_versions(pm.id).await.unwrap();
    let values: Vec<(i64, f64)> = versions.iter().map(|v| (v.rev, v.value)).collect();
    assert_eq!(values, vec![(1, 35.0), (2, 33.0)]);
    assert_verified(s).await;
    db.finish().await;
}

fn report(indicator: &str, year: i32, month: Option<u8>, value: f64) -> NewReport {
    NewReport {
        region_code: code("410800"),
        indicator: indicator.into(),
        year,
        month,
        value,
        evidence: "焦作市林业局《2025年森林资源年报》（示例）".into(),
        evidence_file: None,
        reporter: "焦作市林业局".into(),
    }
}

async fn reported_values_keep_their_evidence_and_corrections(db: TestDb) {
    let s = &db.store;
    let first = s
        .report_indicator(
            &change("上报森林覆盖率"),
            report("forest_cover", 2025, None, 31.5),
        )
        .await
        .unwrap();
    assert_eq!((first.rev, first.value), (1, 31.5));
    let same = s
        .report_indicator(
            &change("重复上报"),
            report("forest_cover", 2025, None, 31.5),
        )
        .await;
    assert!(matches!(same, Err(StoreError::Invalid { .. })), "{same:?}");
    let mut fixed = report("森林覆盖率", 2025, None, 31.8);
    fixed.evidence_file = Some(SourceFile::of("年报.pdf", b"%PDF-1.7 example"));
    let second = s
        .report_indicator(&change("更正森林覆盖率"), fixed)
        .await
        .unwrap();
    assert_eq!((second.id, second.rev), (first.id, 2));
    let versions = s.indicator_report_versions(first.id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.value).collect::<Vec<_>>(),
        vec![31.5, 31.8]
    );
    assert_eq!(versions[1].evidence_file.as_ref().unwrap().name, "年报.pdf");
    // A monthly value is another record.
    let june = s
        .report_indicator(
            &change("月度上报"),
            report("forest_cover", 2025, Some(6), 31.0),
        )
        .await
        .unwrap();
    assert_ne!(june.id, first.id);
    for bad in [
        report("pm25_annual_mean", 2025, None, 30.0),
        report("forest_cover", 2025, None, 120.0),
        report("forest_cover", 2025, Some(13), 30.0),
        NewReport {
            evidence: " ".into(),
            ..report("forest_cover", 2026, None, 30.0)
        },
    ] {
        let r = s.report_indicator(&change("错误上报"), bad).await;
        assert!(matches!(r, Err(StoreError::Invalid { .. })), "{r:?}");
    }
    let listed = s
        .indicator_reports(&code("410800"), false, Some(2025))
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].month, Some(6), "months before the annual value");
    assert_verified(s).await;
    db.finish().await;
}

// ---- status and warnings ----

/// Two stations of 焦作市 with the same constant values every hour: PM2.5 given per day,
/// SO2 10, NO2 20, PM10 50 (IAQI 50), CO 0.5, O3 50, so that PM2.5 decides the AQI.
fn generated_day(day: NaiveDate, pm25: f64) -> (SourceFile, DayBlock) {
    let mut values = Vec::with_capacity(2 * 144);
    for _station in 0..2 {
        for p in Pollutant::ALL {
            let v = match p {
                Pollutant::So2 => 10.0,
                Pollutant::No2 => 20.0,
                Pollutant::Pm10 => 50.0,
                Pollutant::Co => 0.5,
                Pollutant::O3 => 50.0,
                Pollutant::Pm25 => pm25,
            };
            values.extend(std::iter::repeat_n(v, 24));
        }
    }
    let name = format!("china_sites_{}.csv", day.format("%Y%m%d"));
    let content = format!("{day} PM2.5 {pm25}");
    (
        SourceFile::of(name, content.as_bytes()),
        DayBlock {
            date: day,
            stations: vec![0, 1],
            values,
            invalid: InvalidCounts::default(),
            unknown: Vec::new(),
            bytes: 0,
        },
    )
}

fn generated_stations() -> StationList {
    StationList::new(
        ["JZ01A", "JZ02A"]
            .iter()
            .map(|c| Station {
                code: c.to_string(),
                name: format!("测试站{c}"),
                city: "焦作市".into(),
                longitude: Some(113.24),
                latitude: Some(35.22),
            })
            .collect(),
    )
    .unwrap()
}

/// Days from `from` to `to` (inclusive) with PM2.5 from `pm25(day)`.
async fn import_generated(s: &Store, from: &str, to: &str, pm25: impl Fn(NaiveDate) -> f64) {
    let list = generated_stations();
    let mut import = s
        .begin_air_import(
            &change("导入生成的空气质量数据"),
            SourceFile::of("generated stations", b"JZ01A JZ02A"),
            &list,
            &RegionIndex::embedded(),
        )
        .await
        .unwrap();
    let mut day = date(from);
    while day <= date(to) {
        let (file, block) = generated_day(day, pm25(day));
        assert!(import.add_day_file(file, &block).await.unwrap());
        day = day.succ_opt().unwrap();
    }
    import.finish().await.unwrap();
}

const ROSTER: &[&str] = &[
    "410800,焦作市人民政府,government,市长,government_head,张岚溪,2021-06-01,,false",
    "410800,焦作市人民政府,government,副市长（分管生态环境）,deputy_eco,王晨远,2022-03-01,,false",
    "410800,焦作市生态环境局,department,局长,eco_department_head,赵禾棠,2020-01-01,2025-03-01,false",
    "410800,焦作市生态环境局,department,局长,eco_department_head,李澜舟,2025-03-01,,true",
    "410883,孟州市人民政府,government,市长,government_head,周远山,2023-01-01,,false",
];

async fn import_roster(s: &Store) {
    let cells: Vec<(usize, Vec<String>)> = ROSTER
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 2, l.split(',').map(str::to_string).collect()))
        .collect();
    let rows = parse_roster(&header(false), &cells).unwrap();
    s.import_roster(
        &change("导入名册"),
        &rows,
        &RosterSource {
            file_name: "roster.csv".into(),
            sha256: "0".repeat(64),
        },
    )
    .await
    .unwrap();
}

async fn status_and_warnings_name_the_holders(db: TestDb) {
    let s = &db.store;
    import_roster(s).await;
    // 2024 (leap year): PM2.5 70 in January and February (60 days), 40 for the other 306.
    import_generated(s, "2024-01-01", "2024-12-31", |d| {
        if d.month() <= 2 {
            70.0
        } else {
            40.0
        }
    })
    .await;
    // 2025 so far: PM2.5 60 every day from January to the end of June.
    import_generated(s, "2025-01-01", "2025-06-30", |_| 60.0).await;
    let (data, source) = water("water_2025.csv");
    s.import_water(&change("导入地表水监测数据"), source, &data)
        .await
        .unwrap();
    let targets = "region_code,indicator,year,target\n\
                   410800,pm25_annual_mean,2025,35\n\
                   410800,good_day_ratio,2025,80\n\
                   410800,heavy_pollution_days,2025,5\n\
                   410800,water_share_good,2025,70\n\
                   410800,forest_cover,2025,32\n\
                   410883,forest_cover,2025,40\n\
                   410883,pm25_annual_mean,2025,35\n";
    s.import_targets(
        &change("下达目标"),
        &targets_file("targets.csv"),
        &rows(targets),
    )
    .await
    .unwrap();
    let mut county = report("forest_cover", 2025, Some(6), 35.0);
    county.region_code = code("410883");
    s.report_indicator(&change("孟州市上报"), county)
        .await
        .unwrap();

    let status = s
        .indicator_status(&code("410800"), 2025, date("2025-07-01"))
        .await
        .unwrap();
    assert_eq!((status.closed, status.months), (false, 6));
    let entry = |key: &str| {
        status
            .indicators
            .iter()
            .find(|e| e.indicator.key == key)
            .unwrap()
    };
    // PM2.5: 2024's mean by June is 9080 / 182 = 49.9 → 50, its annual mean 16440 / 366 = 44.9
    // → 45, so June's path value is 35 × 50 / 45 = 38.9. 2025's 60 is worse: at risk.
    let pm = entry("pm25_annual_mean").status.as_ref().unwrap();
    assert_eq!(pm.status, Status::AtRisk);
    assert_eq!(pm.month, 6);
    assert_eq!(pm.ytd_value, 60.0);
    assert_eq!(pm.basis, PathBasis::Seasonal { years: vec![2024] });
    assert!((pm.expected_to_date - 35.0 * 50.0 / 45.0).abs() < 1e-9);
    assert!((pm.projected_annual - 54.0).abs() < 1e-9);
    assert!(pm.explanation_zh.contains("2024"), "{}", pm.explanation_zh);
    assert_eq!(entry("pm25_annual_mean").history_years, vec![2024]);
    assert!(entry("pm25_annual_mean").basis_zh.contains("JZ01A、JZ02A"));
    // Every day is 良 (PM2.5 60 → AQI 82; 70 → 94): ratio 100, no heavy day.
    let good = entry("good_day_ratio").status.as_ref().unwrap();
    assert_eq!((good.status, good.ytd_value), (Status::OnTrack, 100.0));
    let heavy = entry("heavy_pollution_days").status.as_ref().unwrap();
    assert_eq!((heavy.status, heavy.ytd_value), (Status::OnTrack, 0.0));
    assert_eq!(heavy.basis, PathBasis::ElapsedTime, "2024 had no heavy day");
    // Water by June: 白马桥 Ⅱ, 清风闸 Ⅳ, 群英湖心 Ⅲ, 老龙口 劣Ⅴ, 石门 Ⅰ and 黄河驿 Ⅰ (6 months of
    // the 5 needed): 4 of 6 at Ⅲ or better = 66.7 %, below the flat path of 70.
    let w = entry("water_share_good").status.as_ref().unwrap();
    assert_eq!((w.status, w.ytd_value), (Status::AtRisk, 66.7));
    // No forest-cover report for 2025 yet.
    let forest = entry("forest_cover");
    assert!(forest.status.is_none());
    assert!(forest.unavailable.as_deref().unwrap().contains("2025"));

    let warnings = s
        .early_warnings(
            Some(&code("410800")),
            2025,
            date("2025-07-01"),
            date("2025-07-01"),
        )
        .await
        .unwrap();
    let keys: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.warning.region_code.as_str(), w.warning.indicator.key))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("410800", "pm25_annual_mean"),
            ("410800", "water_share_good"),
            ("410883", "forest_cover"),
        ],
        "孟州市's PM2.5 has no data, so no status and no warning"
    );
    let holders =
        |w: &ecoduty_store::quality::status::WarningReport| -> Vec<(String, Option<String>)> {
            w.posts
                .iter()
                .map(|p| {
                    (
                        p.role.to_string(),
                        p.holder.as_ref().map(|h| h.name.clone()),
                    )
                })
                .collect()
        };
    let expected = vec![
        ("government_head".to_string(), Some("张岚溪".to_string())),
        ("deputy_eco".to_string(), Some("王晨远".to_string())),
        (
            "eco_department_head".to_string(),
            Some("李澜舟".to_string()),
        ),
    ];
    assert_eq!(holders(&warnings[0]), expected);
    assert_eq!(holders(&warnings[1]), expected);
    assert!(warnings[0].posts[2].holder.as_ref().unwrap().acting);
    assert!(warnings[0].warning.message_zh.contains("进度预警"));
    // Asked about a day before the change of bureau head, the earlier holder answers.
    let earlier = s
        .early_warnings(
            Some(&code("410800")),
            2025,
            date("2025-07-01"),
            date("2025-02-01"),
        )
        .await
        .unwrap();
    assert_eq!(earlier[0].posts[2].holder.as_ref().unwrap().name, "赵禾棠");
    // 孟州市 has a government head on record but no deputy or bureau head: said so.
    let county = &warnings[2];
    assert_eq!(
        holders(county),
        vec![
            ("government_head".to_string(), Some("周远山".to_string())),
            ("deputy_eco".to_string(), None),
            ("eco_department_head".to_string(), None),
        ]
    );
    assert!(county.posts[1].post.is_none());

    // After the year: PM2.5 has no December value; water's annual share 60.0 misses 70; the
    // annual forest cover of 32.5 meets 32.
    s.report_indicator(
        &change("上报年度值"),
        report("forest_cover", 2025, None, 32.5),
    )
    .await
    .unwrap();
    let closed = s
        .indicator_status(&code("410800"), 2025, date("2026-01-15"))
        .await
        .unwrap();
    assert!(closed.closed);
    let entry = |key: &str| {
        closed
            .indicators
            .iter()
            .find(|e| e.indicator.key == key)
            .unwrap()
    };
    assert!(entry("pm25_annual_mean").status.is_none());
    assert!(entry("pm25_annual_mean")
        .unavailable
        .as_deref()
        .unwrap()
        .contains("12 月"));
    let w = entry("water_share_good").status.as_ref().unwrap();
    assert_eq!((w.status, w.ytd_value), (Status::Missed, 60.0));
    let f = entry("forest_cover").status.as_ref().unwrap();
    assert_eq!((f.status, f.ytd_value), (Status::Met, 32.5));
    assert_eq!(entry("forest_cover").reports.len(), 1);
    assert_verified(s).await;
    db.finish().await;
}

on_both_backends!(
    air_imports_once_and_a_corrected_file_supersedes,
    verification_finds_an_hourly_value_edited_behind_the_programs_back,
    a_failed_air_import_changes_nothing,
    water_imports_once_and_a_corrected_file_supersedes_its_months,
    targets_import_all_or_nothing_and_revise_by_version,
    reported_values_keep_their_evidence_and_corrections,
    status_and_warnings_name_the_holders,
);
