//! Comparing the two seed transcriptions.

mod common;

use common::{seed_000, seed_001};
use ecoduty_regulation::diff::{Change, Hunk, Which};
use ecoduty_regulation::{diff, RegulationDiff};

fn seeds_diff() -> RegulationDiff {
    diff(&seed_000(), &seed_001())
}

fn hunks_of(d: &RegulationDiff, article: u32) -> Vec<Hunk> {
    d.articles
        .iter()
        .find(|a| a.number == article)
        .unwrap_or_else(|| panic!("第{article}条 should differ"))
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Edited { hunks, .. } => Some(hunks.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn has(hunks: &[Hunk], removed: &str, inserted: &str) -> bool {
    hunks
        .iter()
        .any(|h| h.removed == removed && h.inserted == inserted)
}

#[test]
fn articles_six_to_twenty_are_only_in_001() {
    let d = seeds_diff();
    assert_eq!(d.articles_only_in_b, (6..=20).collect::<Vec<_>>());
    assert!(d.articles_only_in_a.is_empty());
    assert!(!d.a.complete && d.b.complete);
    assert_eq!((d.a.articles, d.b.articles), (5, 20));
    assert!(!d.title_changed && !d.issued_changed);
}

#[test]
fn wording_differences_in_articles_one_to_five() {
    let d = seeds_diff();
    let changed: Vec<u32> = d.articles.iter().map(|a| a.number).collect();
    assert_eq!(changed, vec![1, 2, 3, 4, 5]);

    let h1 = hunks_of(&d, 1);
    assert_eq!(h1.len(), 1);
    assert!(has(&h1, "", "法规"), "{h1:?}");
    assert!(
        h1[0].a.contains("法律") && h1[0].b.contains("法律法规"),
        "{h1:?}"
    );

    let h3 = hunks_of(&d, 3);
    assert!(has(&h3, "、", ","), "{h3:?}");

    let h4 = hunks_of(&d, 4);
    assert!(has(&h4, "", "的"), "{h4:?}");
    assert!(has(&h4, "", "人民"), "{h4:?}");

    let h5 = hunks_of(&d, 5);
    assert!(has(&h5, "深化", ""), "{h5:?}");
    assert!(has(&h5, "强化", "统筹"), "{h5:?}");
    assert!(h5
        .iter()
        .any(|h| h.a.contains("强化河湖长制") && h.b.contains("统筹河湖长制")));
}

#[test]
fn the_second_paragraph_of_article_two_is_only_in_001() {
    let d = seeds_diff();
    let art2 = d.articles.iter().find(|a| a.number == 2).unwrap();
    assert_eq!(art2.changes.len(), 1);
    match &art2.changes[0] {
        Change::OnlyInB { at, text } => {
            assert_eq!(at.paragraph, 2);
            assert_eq!(at.citation, "第二条第二款");
            assert!(text.starts_with("乡镇(街道)"));
        }
        other => panic!("expected a paragraph only in B, got {other:?}"),
    }
}

#[test]
fn the_truncated_third_paragraph_of_article_five_is_aligned_and_flagged() {
    let d = seeds_diff();
    let art5 = d.articles.iter().find(|a| a.number == 5).unwrap();
    assert_eq!(art5.truncated_in, Some(Which::A));
    let third = art5
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Edited { a, b, hunks } if a.paragraph == 3 => Some((a, b, hunks)),
            _ => None,
        })
        .expect("第五条第三款 is compared, not listed as two unrelated paragraphs");
    assert_eq!(third.1.citation, "第五条第三款");
    assert!(third
        .2
        .iter()
        .any(|h| h.inserted.contains("按照党委和政府部署要求")));
    assert!(!art5
        .changes
        .iter()
        .any(|c| matches!(c, Change::OnlyInA { .. } | Change::OnlyInB { .. })));
}

#[test]
fn the_rendering_lists_the_findings() {
    let text = seeds_diff().render("000.txt", "001.txt");
    for needle in [
        "000.txt",
        "001.txt",
        "第一条",
        "法律法规",
        "强化河湖长制",
        "统筹河湖长制",
        "第二条第二款 仅见于 B",
        "A 的文本在本条截断",
        "仅见于 B 的条文(15条):第六条至第二十条",
    ] {
        assert!(text.contains(needle), "missing 「{needle}」 in\n{text}");
    }
}

#[test]
fn a_text_compared_with_itself_has_no_differences() {
    let d = diff(&seed_001(), &seed_001());
    assert!(d.is_empty());
    assert_eq!(d.unchanged, (1..=20).collect::<Vec<_>>());
    assert!(d.render("x", "y").contains("两个文本的条文相同"));
}

#[test]
fn the_diff_serializes_with_tagged_changes() {
    let v = serde_json::to_value(seeds_diff()).unwrap();
    assert_eq!(v["articles_only_in_b"].as_array().unwrap().len(), 15);
    let art2 = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["number"] == 2)
        .unwrap();
    assert_eq!(art2["changes"][0]["kind"], "only_in_b");
    let art1 = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["number"] == 1)
        .unwrap();
    assert_eq!(art1["changes"][0]["kind"], "edited");
    assert_eq!(art1["changes"][0]["hunks"][0]["inserted"], "法规");
}
