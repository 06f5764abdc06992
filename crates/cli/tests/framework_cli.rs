//! `ecoduty framework parse` and `ecoduty framework diff` on the seed transcriptions (copied
//! into crates/regulation/tests/fixtures), and the refusals that exit with status 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../regulation/tests/fixtures")
        .join(name)
}

fn seed_001() -> PathBuf {
    fixture("001_32084bddd2f8421d.txt")
}

fn seed_000() -> PathBuf {
    fixture("000_ed8164498710545f.txt")
}

fn ecoduty(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecoduty"))
        .args(args)
        // The framework commands need no database; keep any default one out of the test.
        .env("ECODUTY_DB", "sqlite::memory:")
        .output()
        .expect("run ecoduty")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("exactly one JSON value on stdout")
}

#[test]
fn parse_json_has_the_documented_shape() {
    let v = stdout_json(&ecoduty(&[
        "framework",
        "parse",
        path(&seed_001()),
        "--json",
    ]));
    let obj = v.as_object().unwrap();
    for key in ["title", "complete", "chapters", "warnings"] {
        assert!(obj.contains_key(key), "missing key {key}");
    }
    assert_eq!(v["title"], "地方党政领导干部生态环境保护责任制规定(试行)");
    assert_eq!(v["issued"], "2025-07-18");
    assert_eq!(v["complete"], true);

    let chapters = v["chapters"].as_array().unwrap();
    let titles: Vec<&str> = chapters
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["总则", "职责", "监督追责", "附则"]);
    let numbers: Vec<u64> = chapters
        .iter()
        .flat_map(|c| c["articles"].as_array().unwrap())
        .map(|a| a["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=20).collect::<Vec<u64>>());

    let art7 = &chapters[1]["articles"][1];
    assert_eq!(art7["number"], 7);
    let items = art7["paragraphs"][0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[3]["number"], 4);
    assert!(items[3]["text"]
        .as_str()
        .unwrap()
        .starts_with("组织推动生态环境保护督察整改"));

    let warnings: Vec<(String, Value)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert!(w["message"].is_string());
            (
                w["kind"].as_str().unwrap().to_string(),
                w["article"].clone(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        vec![
            ("foreign_token".to_string(), Value::from(6)),
            ("foreign_token".to_string(), Value::from(7)),
            ("doubled_text".to_string(), Value::from(11)),
        ]
    );
}

#[test]
fn parse_outline_is_readable_chinese() {
    let out = ecoduty(&["framework", "parse", path(&seed_000())]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "《地方党政领导干部生态环境保护责任制规定(试行)》",
        "发布日期:2025-07-18",
        "不完整",
        "第一章 总则",
        "第五条",
        "(五)坚持激励和约束并重",
        "[truncated]",
        "下转A02版",
    ] {
        assert!(text.contains(needle), "missing 「{needle}」 in\n{text}");
    }
}

#[test]
fn diff_lists_the_differences_of_the_seeds() {
    let out = ecoduty(&["framework", "diff", path(&seed_000()), path(&seed_001())]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "法律法规",
        "统筹河湖长制",
        "第二条第二款 仅见于 B",
        "第六条至第二十条",
    ] {
        assert!(text.contains(needle), "missing 「{needle}」 in\n{text}");
    }

    let v = stdout_json(&ecoduty(&[
        "framework",
        "diff",
        path(&seed_000()),
        path(&seed_001()),
        "--json",
    ]));
    assert_eq!(v["articles_only_in_b"].as_array().unwrap().len(), 15);
    assert_eq!(v["a"]["complete"], false);
    assert_eq!(v["b"]["complete"], true);
}

#[test]
fn a_file_that_is_not_utf8_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gbk-page.txt");
    // 「第一条」 in GBK.
    std::fs::write(&file, [0xb5, 0xda, 0xd2, 0xbb, 0xcc, 0xf5, b'\n']).unwrap();
    let out = ecoduty(&["framework", "parse", path(&file), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("gbk-page.txt"), "{stderr}");
    assert!(stderr.contains("UTF-8"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_without_a_regulation_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("just-news.txt");
    std::fs::write(&file, "## 某地新闻\n\n新华社北京7月29日电 今天召开会议。\n").unwrap();
    for args in [
        vec!["framework", "parse", path(&file)],
        vec!["framework", "diff", path(&seed_001()), path(&file)],
    ] {
        let out = ecoduty(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("just-news.txt"), "{stderr}");
        assert!(stderr.contains("no regulation"), "{stderr}");
    }
}

#[test]
fn a_missing_file_exits_2_naming_the_file() {
    let out = ecoduty(&["framework", "parse", "/nonexistent/page.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/page.txt"));
}
