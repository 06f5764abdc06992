//! The built-in corrected text.

mod common;

use chrono::NaiveDate;
use ecoduty_regulation::diff::Change;
use ecoduty_regulation::{builtin, diff, parse, BUILTIN_CORRECTIONS, BUILTIN_TEXT};

#[test]
fn the_builtin_text_parses_clean_and_complete() {
    let reg = builtin();
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
    assert!(reg.complete);
    assert_eq!(reg.title, "地方党政领导干部生态环境保护责任制规定(试行)");
    assert_eq!(reg.issued, NaiveDate::from_ymd_opt(2025, 7, 18));
    assert_eq!(reg.chapters.len(), 4);
    assert_eq!(reg.articles().count(), 20);
    assert_eq!(reg, &parse(BUILTIN_TEXT).unwrap());
}

#[test]
fn the_builtin_text_holds_only_the_regulation() {
    assert!(BUILTIN_TEXT.starts_with("地方党政领导干部生态环境保护责任制规定(试行)\n"));
    assert!(BUILTIN_TEXT
        .trim_end()
        .ends_with("第二十条 本规定自发布之日起施行。"));
    for markup in ["#", "- ", "**", "新华社", " and "] {
        assert!(!BUILTIN_TEXT.contains(markup), "{markup}");
    }
}

/// Everything that differs between seed 001 and the built-in text is a listed correction.
#[test]
fn the_builtin_text_differs_from_seed_001_only_by_the_listed_corrections() {
    let d = diff(&common::seed_001(), builtin());
    assert!(d.articles_only_in_a.is_empty() && d.articles_only_in_b.is_empty());
    let mut found: Vec<(u32, String, String)> = Vec::new();
    for art in &d.articles {
        for change in &art.changes {
            match change {
                Change::Edited { hunks, .. } => {
                    for h in hunks {
                        found.push((art.number, h.removed.clone(), h.inserted.clone()));
                    }
                }
                other => panic!(
                    "unexpected structural change in 第{}条: {other:?}",
                    art.number
                ),
            }
        }
    }
    assert_eq!(
        found,
        vec![
            (3, ",".to_string(), "、".to_string()),
            (6, " and ".to_string(), "和".to_string()),
            (7, " and ".to_string(), "和".to_string()),
            (11, "保护".to_string(), String::new()),
        ]
    );
    for listed in [
        "第三条",
        "第六条第一项",
        "第七条第一项",
        "第十一条",
        "保护保护",
        "\"and\"",
    ] {
        assert!(
            BUILTIN_CORRECTIONS.contains(listed),
            "CORRECTIONS.md does not mention {listed}"
        );
    }
}

#[test]
fn corrections_list_every_point_where_the_seeds_differ() {
    let d = diff(&common::seed_000(), &common::seed_001());
    for art in &d.articles {
        assert!(
            BUILTIN_CORRECTIONS.contains(&art.citation),
            "CORRECTIONS.md does not discuss {}",
            art.citation
        );
    }
    for needle in [
        "「法律」",
        "法律法规",
        "强化河湖长制",
        "统筹河湖长制",
        "建设的整体效能",
        "人民群众",
        "深化生态文明",
    ] {
        assert!(
            BUILTIN_CORRECTIONS.contains(needle)
                || BUILTIN_CORRECTIONS.contains(&needle.replace(['「', '」'], "")),
            "{needle}"
        );
    }
}
