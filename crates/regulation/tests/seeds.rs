//! Parsing the two real transcriptions.

mod common;

use chrono::NaiveDate;
use common::{seed_000, seed_001};
use ecoduty_regulation::{Regulation, WarningKind};

const TITLE: &str = "地方党政领导干部生态环境保护责任制规定(试行)";

fn paragraph_counts(reg: &Regulation) -> Vec<(u32, usize)> {
    reg.articles()
        .map(|a| (a.number, a.paragraphs.len()))
        .collect()
}

fn item_count(reg: &Regulation, article: u32) -> usize {
    reg.article(article)
        .unwrap()
        .paragraphs
        .iter()
        .map(|p| p.items.len())
        .sum()
}

fn warnings(reg: &Regulation) -> Vec<(WarningKind, Option<u32>)> {
    reg.warnings.iter().map(|w| (w.kind, w.article)).collect()
}

#[test]
fn seed_001_has_four_chapters_and_twenty_articles_in_order() {
    let reg = seed_001();
    assert_eq!(reg.title, TITLE);
    assert_eq!(reg.issued, NaiveDate::from_ymd_opt(2025, 7, 18));
    assert!(reg.complete);
    let chapters: Vec<(u32, &str)> = reg
        .chapters
        .iter()
        .map(|c| (c.number, c.title.as_str()))
        .collect();
    assert_eq!(
        chapters,
        vec![(1, "总则"), (2, "职责"), (3, "监督追责"), (4, "附则")]
    );
    let numbers: Vec<u32> = reg.articles().map(|a| a.number).collect();
    assert_eq!(numbers, (1..=20).collect::<Vec<_>>());
    let per_chapter: Vec<Vec<u32>> = reg
        .chapters
        .iter()
        .map(|c| c.articles.iter().map(|a| a.number).collect())
        .collect();
    assert_eq!(per_chapter[0], vec![1, 2, 3, 4, 5]);
    assert_eq!(per_chapter[1], (6..=12).collect::<Vec<_>>());
    assert_eq!(per_chapter[2], (13..=18).collect::<Vec<_>>());
    assert_eq!(per_chapter[3], vec![19, 20]);
}

#[test]
fn seed_001_item_and_paragraph_counts() {
    let reg = seed_001();
    for (article, items) in [(4, 5), (6, 4), (7, 6), (8, 6), (17, 5)] {
        assert_eq!(item_count(&reg, article), items, "items of 第{article}条");
    }
    let total_items: usize = reg.articles().map(|a| item_count(&reg, a.number)).sum();
    assert_eq!(total_items, 5 + 4 + 6 + 6 + 5);
    let paragraphs = paragraph_counts(&reg);
    for (article, count) in paragraphs {
        let expected = match article {
            2 | 18 => 2,
            5 => 3,
            _ => 1,
        };
        assert_eq!(count, expected, "paragraphs of 第{article}条");
    }
}

#[test]
fn items_belong_to_the_paragraph_that_introduces_them() {
    let reg = seed_001();
    let art6 = reg.article(6).unwrap();
    assert_eq!(
        art6.paragraphs[0].text,
        "地方党委主要负责人生态环境保护职责主要包括:"
    );
    let numbers: Vec<u32> = art6.paragraphs[0].items.iter().map(|i| i.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);
    let art4 = reg.article(4).unwrap();
    assert!(art4.paragraphs[0].text.ends_with("应当遵循下列原则:"));
    assert!(art4.paragraphs[0].items[0].text.starts_with("坚持党政同责"));
    // The item text has no marker and no list bullet.
    assert!(reg
        .articles()
        .flat_map(|a| &a.paragraphs)
        .flat_map(|p| &p.items)
        .all(|i| !i.text.starts_with('(') && !i.text.starts_with('-')));
}

#[test]
fn column_breaks_are_rejoined() {
    let reg = seed_001();
    let art5 = reg.article(5).unwrap();
    assert!(art5.paragraphs[0]
        .text
        .contains("推进生态优先、节约集约、绿色低碳发展"));
    // 第七条(四): the second half lost its bullet but is still the same item.
    let item4 = &reg.article(7).unwrap().paragraphs[0].items[3];
    assert_eq!(item4.number, 4);
    assert!(item4
        .text
        .starts_with("组织推动生态环境保护督察整改,开展生态环境保护工作专题调查研究"));
    assert!(item4.text.ends_with("研究解决生态环境保护重大问题。"));

    let reg = seed_000();
    let art3 = &reg.article(3).unwrap().paragraphs[0].text;
    assert!(
        art3.starts_with("实行地方党政领导干部生态环境保护责任制,坚持以习近平"),
        "{art3}"
    );
}

#[test]
fn seed_001_ends_with_article_twenty() {
    let reg = seed_001();
    let last = reg.articles().last().unwrap();
    assert_eq!(last.number, 20);
    assert_eq!(last.paragraphs.len(), 1);
    assert_eq!(last.paragraphs[0].text, "本规定自发布之日起施行。");
    let everything: String = reg.articles().map(|a| a.full_text()).collect();
    for news in ["中央网信办", "自媒体", "新华社", "以工代赈", "有色金属"] {
        assert!(
            !everything.contains(news),
            "news text 「{news}」 inside the regulation"
        );
    }
    assert_eq!(reg.chapters[3].articles.len(), 2);
}

#[test]
fn seed_001_warnings_name_the_article() {
    let reg = seed_001();
    assert_eq!(
        warnings(&reg),
        vec![
            (WarningKind::ForeignToken, Some(6)),
            (WarningKind::ForeignToken, Some(7)),
            (WarningKind::DoubledText, Some(11)),
        ]
    );
    for w in reg.warnings_of(WarningKind::ForeignToken) {
        assert!(w.message.contains("方针政策 and 决策部署"), "{}", w.message);
    }
    let doubled = reg.warnings_of(WarningKind::DoubledText).next().unwrap();
    assert!(doubled.message.contains("保护保护"), "{}", doubled.message);
    // Warned, not fixed.
    assert!(reg.article(11).unwrap().paragraphs[0]
        .text
        .contains("生态环境保护保护相关政策"));
    assert!(reg.article(6).unwrap().paragraphs[0].items[0]
        .text
        .contains(" and "));
}

#[test]
fn seed_000_is_truncated_after_article_five() {
    let reg = seed_000();
    assert_eq!(reg.title, TITLE);
    assert_eq!(reg.issued, NaiveDate::from_ymd_opt(2025, 7, 18));
    assert!(!reg.complete);
    let numbers: Vec<u32> = reg.articles().map(|a| a.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5]);
    assert_eq!(reg.chapters.len(), 1);
    assert_eq!(reg.chapters[0].title, "总则");
    assert_eq!(
        paragraph_counts(&reg),
        vec![(1, 1), (2, 1), (3, 1), (4, 1), (5, 3)]
    );
    assert_eq!(item_count(&reg, 4), 5);

    assert_eq!(warnings(&reg), vec![(WarningKind::Truncated, Some(5))]);
    assert!(
        reg.warnings[0].message.contains("下转A02版"),
        "{}",
        reg.warnings[0].message
    );

    let art5 = reg.article(5).unwrap();
    assert_eq!(
        art5.paragraphs[2].text,
        "市级以上地方生态环境部门依法依规履行生态环境保护职责,对本地区生态环境保护工作实施统一监督管理。"
    );
    let everything: String = reg.articles().map(|a| a.full_text()).collect();
    assert!(!everything.contains("下转"));
    assert!(!everything.contains("习近平向世界青年"));
}

#[test]
fn json_has_the_documented_shape() {
    let value = serde_json::to_value(seed_000()).unwrap();
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    for key in ["title", "complete", "chapters", "warnings", "issued"] {
        assert!(keys.iter().any(|k| *k == key), "missing {key}");
    }
    assert_eq!(value["issued"], "2025-07-18");
    assert_eq!(value["chapters"][0]["number"], 1);
    assert_eq!(
        value["chapters"][0]["articles"][3]["paragraphs"][0]["items"][0]["number"],
        1
    );
    assert_eq!(value["warnings"][0]["kind"], "truncated");
    assert_eq!(value["warnings"][0]["article"], 5);
    let back: Regulation = serde_json::from_value(value).unwrap();
    assert_eq!(back, seed_000());
}
