//! The checks that raise [`Warning`]s on suspect text. They report; they never change the text.
//!
//! - `foreign_token`: a Latin word inside Chinese text (「方针政策 and 决策部署」). Upper-case
//!   acronyms (GDP), tokens glued to digits (PM2.5, CO2) and a few units (pH, mg, km) are normal
//!   in environmental texts and are not reported.
//! - `doubled_text`: a run of two or more Chinese characters written twice in a row
//!   (「保护保护」). Single-character doubling is left alone: it is ordinary reduplication
//!   (件件, 事事, 常常).
//! - `article_missing` / `article_out_of_sequence`, `chapter_out_of_sequence`,
//!   `item_out_of_sequence`: numbering that does not run 1, 2, 3, ….

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::citation::{article_zh, Citation};
use crate::model::{Regulation, Warning, WarningKind};
use crate::numerals::to_chinese;

/// Whether `c` is a CJK ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Latin tokens that are ordinary in environmental texts even in lower case.
const ALLOWED_LATIN: &[&str] = &["pH", "mg", "kg", "km", "ml", "mL", "kWh", "kW", "dB", "μg"];

/// The longest run [`doubled_runs`] looks for.
const MAX_DOUBLED_RUN: usize = 12;

/// Characters of context quoted on each side of a finding.
const CONTEXT: usize = 6;

/// A suspect span of a text, in char indices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The suspect text itself (the token, or the doubled run written once).
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Latin words inside Chinese text: a run of ASCII letters with a Chinese character next to it
/// (spaces skipped) that is not an acronym, a unit, or glued to a digit.
pub fn foreign_tokens(text: &str) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphabetic() {
            i += 1;
        }
        let end = i;
        let token: String = chars[start..end].iter().collect();
        let glued_to_digit = (start > 0 && is_digitish(chars[start - 1]))
            || (end < chars.len() && is_digitish(chars[end]));
        let acronym = token.chars().all(|c| c.is_ascii_uppercase());
        if glued_to_digit || acronym || ALLOWED_LATIN.contains(&token.as_str()) {
            continue;
        }
        let before = chars[..start].iter().rev().find(|c| !c.is_whitespace());
        let after = chars[end..].iter().find(|c| !c.is_whitespace());
        if before.is_some_and(|c| is_han(*c)) || after.is_some_and(|c| is_han(*c)) {
            out.push(Finding {
                text: token,
                start,
                end,
            });
        }
    }
    out
}

fn is_digitish(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == '_' || c == '-'
}

/// Runs of 2 to 12 Chinese characters immediately written again (「保护保护」). The longest run
/// at a position is reported once.
pub fn doubled_runs(text: &str) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let longest = (2..=MAX_DOUBLED_RUN).rev().find(|&len| {
            i + 2 * len <= chars.len()
                && chars[i..i + len].iter().all(|c| is_han(*c))
                && chars[i..i + len] == chars[i + len..i + 2 * len]
        });
        match longest {
            Some(len) => {
                out.push(Finding {
                    text: chars[i..i + len].iter().collect(),
                    start: i,
                    end: i + 2 * len,
                });
                i += 2 * len;
            }
            None => i += 1,
        }
    }
    out
}

/// Quotes a finding with a little context: 「…方针政策 and 决策部署…」.
pub fn quote(text: &str, start: usize, end: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let from = start.saturating_sub(CONTEXT);
    let to = (end + CONTEXT).min(chars.len());
    let mut s = String::from("「");
    if from > 0 {
        s.push('…');
    }
    s.extend(&chars[from..to]);
    if to < chars.len() {
        s.push('…');
    }
    s.push('」');
    s
}

/// The text checks (foreign tokens, doubled runs) over every paragraph and item.
pub fn check_text(reg: &Regulation) -> Vec<Warning> {
    let mut out = Vec::new();
    for article in reg.articles() {
        let n = article.paragraphs.len();
        for (p, paragraph) in article.paragraphs.iter().enumerate() {
            let p = p as u32 + 1;
            let mut units = vec![(Citation::new(article.number, p, None, n), &paragraph.text)];
            units.extend(paragraph.items.iter().map(|item| {
                (
                    Citation::new(article.number, p, Some(item.number), n),
                    &item.text,
                )
            }));
            for (cite, text) in units {
                for f in foreign_tokens(text) {
                    out.push(Warning {
                        kind: WarningKind::ForeignToken,
                        article: Some(article.number),
                        message: format!(
                            "{cite}中有外文词「{}」:{}",
                            f.text,
                            quote(text, f.start, f.end)
                        ),
                    });
                }
                for f in doubled_runs(text) {
                    out.push(Warning {
                        kind: WarningKind::DoubledText,
                        article: Some(article.number),
                        message: format!(
                            "{cite}中「{}」连写两次:{}",
                            f.text,
                            quote(text, f.start, f.end)
                        ),
                    });
                }
            }
        }
    }
    out
}

/// Article numbering: every number after a higher or equal one is out of sequence; every
/// number below the highest that never appears is missing.
pub fn check_article_sequence(numbers: &[u32]) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut highest = 0;
    for &n in numbers {
        if n <= highest {
            out.push(Warning {
                kind: WarningKind::ArticleOutOfSequence,
                article: Some(n),
                message: format!(
                    "{}出现在{}之后,条文顺序有误",
                    article_zh(n),
                    article_zh(highest)
                ),
            });
        }
        highest = highest.max(n);
    }
    let seen: BTreeSet<u32> = numbers.iter().copied().collect();
    for missing in (1..highest).filter(|n| !seen.contains(n)) {
        let before = seen.range(..missing).next_back();
        let after = seen.range(missing..).next();
        let message = match (before, after) {
            (Some(b), Some(a)) => format!(
                "缺少{}({}之后是{})",
                article_zh(missing),
                article_zh(*b),
                article_zh(*a)
            ),
            (None, Some(a)) => format!("缺少{}(正文从{}开始)", article_zh(missing), article_zh(*a)),
            _ => format!("缺少{}", article_zh(missing)),
        };
        out.push(Warning {
            kind: WarningKind::ArticleMissing,
            article: Some(missing),
            message,
        });
    }
    out
}

/// Chapter numbering (the implicit chapter 0 is not checked).
pub fn check_chapter_sequence(reg: &Regulation) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut expected = 1;
    for chapter in reg.chapters.iter().filter(|c| c.number != 0) {
        if chapter.number != expected {
            out.push(Warning {
                kind: WarningKind::ChapterOutOfSequence,
                article: chapter.articles.first().map(|a| a.number),
                message: format!(
                    "第{}章出现在应为第{}章的位置",
                    to_chinese(chapter.number),
                    to_chinese(expected)
                ),
            });
        }
        expected = chapter.number.max(expected) + 1;
    }
    out
}

/// Item numbering within each paragraph: (一), (二), … without gaps or repeats.
pub fn check_item_sequence(reg: &Regulation) -> Vec<Warning> {
    let mut out = Vec::new();
    for article in reg.articles() {
        let n = article.paragraphs.len();
        for (p, paragraph) in article.paragraphs.iter().enumerate() {
            for (i, item) in paragraph.items.iter().enumerate() {
                let expected = i as u32 + 1;
                if item.number != expected {
                    let cite = Citation::new(article.number, p as u32 + 1, None, n);
                    out.push(Warning {
                        kind: WarningKind::ItemOutOfSequence,
                        article: Some(article.number),
                        message: format!(
                            "{cite}第{}个项的编号是({}),应为({})",
                            to_chinese(expected),
                            to_chinese(item.number),
                            to_chinese(expected)
                        ),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_latin_word_between_chinese_words() {
        let f = foreign_tokens("方针政策 and 决策部署");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, "and");
        assert_eq!(
            quote("方针政策 and 决策部署", f[0].start, f[0].end),
            "「方针政策 and 决策部署」"
        );
    }

    #[test]
    fn leaves_acronyms_units_and_measurements_alone() {
        for text in [
            "PM2.5浓度",
            "GDP增长",
            "CO2排放",
            "pH值",
            "每立方米10mg以下",
            "AI打卡",
        ] {
            assert!(foreign_tokens(text).is_empty(), "{text}");
        }
        assert!(foreign_tokens("plain English text only").is_empty());
    }

    #[test]
    fn finds_doubled_runs_but_not_reduplication() {
        let f = doubled_runs("组织制定并实施本地区生态环境保护保护相关政策");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, "保护");
        assert!(doubled_runs("件件有回音、事事有着落").is_empty());
        assert!(doubled_runs("依规依纪依法追究").is_empty());
        assert_eq!(doubled_runs("生态环境生态环境")[0].text, "生态环境");
    }

    #[test]
    fn numbering_gaps_and_disorder() {
        let w = check_article_sequence(&[1, 2, 3, 5]);
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].kind, w[0].article),
            (WarningKind::ArticleMissing, Some(4))
        );
        assert!(
            w[0].message.contains("第三条之后是第五条"),
            "{}",
            w[0].message
        );

        let w = check_article_sequence(&[1, 3, 2, 4]);
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].kind, w[0].article),
            (WarningKind::ArticleOutOfSequence, Some(2))
        );

        let w = check_article_sequence(&[1, 2, 2, 3]);
        assert_eq!(
            (w[0].kind, w[0].article),
            (WarningKind::ArticleOutOfSequence, Some(2))
        );

        assert!(check_article_sequence(&[1, 2, 3]).is_empty());
    }
}
