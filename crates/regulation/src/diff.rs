//! Comparing two transcriptions of a regulation, article by article.
//!
//! Articles are matched by number. Within an article, paragraphs (and within a paragraph,
//! items) are aligned in order by similarity, so a paragraph present in one text only shows as
//! such instead of shifting every paragraph after it. Matched texts are compared character by
//! character ([`similar`]) and the changes grouped into [`Hunk`]s with a few characters of
//! context: 「规和法律,」→「规和法律法规,」.
//!
//! Full-width and ASCII forms of the comma, semicolon, colon, parentheses, ! and ? count as
//! the same character: transcriptions differ in this systematically, and it is not a
//! difference of wording. 、 and , stay different.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffTag};

use crate::citation::{article_zh, Citation};
use crate::model::{Article, Paragraph, Regulation};
use crate::numerals::to_chinese;
use crate::text;

/// Characters of context a hunk shows on each side of a change.
const CONTEXT: usize = 4;
/// Changes separated by at most this many equal characters form one hunk.
const MERGE_GAP: usize = 3;
/// Two texts are aligned when their similarity ratio reaches this…
const MIN_RATIO: f32 = 0.5;
/// …or when this share of the shorter one is found in the longer (a truncated paragraph).
const MIN_CONTAINMENT: f32 = 0.8;

/// What differs between transcription A and transcription B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegulationDiff {
    pub a: Summary,
    pub b: Summary,
    pub title_changed: bool,
    pub issued_changed: bool,
    pub chapters: Vec<ChapterChange>,
    pub articles_only_in_a: Vec<u32>,
    pub articles_only_in_b: Vec<u32>,
    /// Articles in both texts that differ, in article order.
    pub articles: Vec<ArticleDiff>,
    /// Articles in both texts that are the same.
    pub unchanged: Vec<u32>,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub title: String,
    pub issued: Option<NaiveDate>,
    pub complete: bool,
    pub articles: usize,
}

/// Which transcription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Which {
    A,
    B,
}

/// A chapter difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChapterChange {
    OnlyInA { number: u32, title: String },
    OnlyInB { number: u32, title: String },
    Retitled { number: u32, a: String, b: String },
}

/// The differences within one article present in both texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleDiff {
    pub number: u32,
    /// 第五条.
    pub citation: String,
    /// Set when this is the last article of a truncated text: differences at its end are
    /// where that text was cut off.
    pub truncated_in: Option<Which>,
    pub changes: Vec<Change>,
}

/// Where a paragraph or item stands in one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub paragraph: u32,
    pub item: Option<u32>,
    /// 第五条第三款, 第四条第一项.
    pub citation: String,
}

/// One difference inside an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A paragraph or item only A has.
    OnlyInA { at: Place, text: String },
    /// A paragraph or item only B has.
    OnlyInB { at: Place, text: String },
    /// A paragraph or item in both, worded differently.
    Edited {
        a: Place,
        b: Place,
        hunks: Vec<Hunk>,
    },
}

/// A group of character changes with a little context on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hunk {
    /// A's wording with context, e.g. 「规和法律,」.
    pub a: String,
    /// B's wording with the same context, e.g. 「规和法律法规,」.
    pub b: String,
    /// What A has in place of `inserted` (empty for a pure insertion).
    pub removed: String,
    /// What B has in place of `removed` (empty for a pure deletion).
    pub inserted: String,
}

/// Compares two parsed transcriptions.
pub fn diff(a: &Regulation, b: &Regulation) -> RegulationDiff {
    let numbers_a: Vec<u32> = a.articles().map(|x| x.number).collect();
    let numbers_b: Vec<u32> = b.articles().map(|x| x.number).collect();
    let mut all: Vec<u32> = numbers_a.iter().chain(&numbers_b).copied().collect();
    all.sort_unstable();
    all.dedup();

    let mut out = RegulationDiff {
        a: summary(a),
        b: summary(b),
        title_changed: a.title != b.title,
        issued_changed: a.issued != b.issued,
        chapters: chapter_changes(a, b),
        articles_only_in_a: Vec::new(),
        articles_only_in_b: Vec::new(),
        articles: Vec::new(),
        unchanged: Vec::new(),
    };
    let last_a = (!a.complete).then(|| numbers_a.last().copied()).flatten();
    let last_b = (!b.complete).then(|| numbers_b.last().copied()).flatten();
    for n in all {
        match (a.article(n), b.article(n)) {
            (Some(_), None) => out.articles_only_in_a.push(n),
            (None, Some(_)) => out.articles_only_in_b.push(n),
            (Some(x), Some(y)) => {
                let changes = article_changes(x, y);
                if changes.is_empty() {
                    out.unchanged.push(n);
                } else {
                    let truncated_in = if last_a == Some(n) {
                        Some(Which::A)
                    } else if last_b == Some(n) {
                        Some(Which::B)
                    } else {
                        None
                    };
                    out.articles.push(ArticleDiff {
                        number: n,
                        citation: article_zh(n),
                        truncated_in,
                        changes,
                    });
                }
            }
            (None, None) => unreachable!("every number comes from one of the texts"),
        }
    }
    out
}

fn summary(r: &Regulation) -> Summary {
    Summary {
        title: r.title.clone(),
        issued: r.issued,
        complete: r.complete,
        articles: r.articles().count(),
    }
}

fn chapter_changes(a: &Regulation, b: &Regulation) -> Vec<ChapterChange> {
    let mut out = Vec::new();
    for ca in &a.chapters {
        match b.chapters.iter().find(|cb| cb.number == ca.number) {
            None => out.push(ChapterChange::OnlyInA {
                number: ca.number,
                title: ca.title.clone(),
            }),
            Some(cb) if fold(&cb.title) != fold(&ca.title) => out.push(ChapterChange::Retitled {
                number: ca.number,
                a: ca.title.clone(),
                b: cb.title.clone(),
            }),
            Some(_) => {}
        }
    }
    for cb in &b.chapters {
        if !a.chapters.iter().any(|ca| ca.number == cb.number) {
            out.push(ChapterChange::OnlyInB {
                number: cb.number,
                title: cb.title.clone(),
            });
        }
    }
    out
}

/// Maps full-width punctuation to its ASCII twin, one character for one.
fn fold_char(c: char) -> char {
    match c {
        text::FW_COMMA => ',',
        text::FW_SEMICOLON => ';',
        text::FW_COLON => ':',
        text::FW_LEFT_PAREN => '(',
        text::FW_RIGHT_PAREN => ')',
        text::FW_EXCLAMATION => '!',
        text::FW_QUESTION => '?',
        '\u{3000}' => ' ',
        c => c,
    }
}

fn fold(s: &str) -> Vec<char> {
    s.chars().map(fold_char).collect()
}

fn paragraph_key(p: &Paragraph) -> String {
    let mut s = p.text.clone();
    for item in &p.items {
        s.push_str(&item.text);
    }
    s
}

fn paragraph_full_text(p: &Paragraph) -> String {
    let mut lines = Vec::new();
    if !p.text.is_empty() {
        lines.push(p.text.clone());
    }
    lines.extend(p.items.iter().map(|i| i.full_text()));
    lines.join("\n")
}

fn article_changes(a: &Article, b: &Article) -> Vec<Change> {
    let keys_a: Vec<String> = a.paragraphs.iter().map(paragraph_key).collect();
    let keys_b: Vec<String> = b.paragraphs.iter().map(paragraph_key).collect();
    let place = |art: &Article, p: usize, item: Option<u32>| Place {
        paragraph: p as u32 + 1,
        item,
        citation: Citation::new(art.number, p as u32 + 1, item, art.paragraphs.len()).zh(),
    };
    let mut out = Vec::new();
    for pair in align(&keys_a, &keys_b) {
        match pair {
            (Some(i), None) => out.push(Change::OnlyInA {
                at: place(a, i, None),
                text: paragraph_full_text(&a.paragraphs[i]),
            }),
            (None, Some(j)) => out.push(Change::OnlyInB {
                at: place(b, j, None),
                text: paragraph_full_text(&b.paragraphs[j]),
            }),
            (Some(i), Some(j)) => {
                let (pa, pb) = (&a.paragraphs[i], &b.paragraphs[j]);
                if fold(&pa.text) != fold(&pb.text) {
                    out.push(Change::Edited {
                        a: place(a, i, None),
                        b: place(b, j, None),
                        hunks: hunks(&pa.text, &pb.text),
                    });
                }
                let items_a: Vec<String> = pa.items.iter().map(|x| x.text.clone()).collect();
                let items_b: Vec<String> = pb.items.iter().map(|x| x.text.clone()).collect();
                for pair in align(&items_a, &items_b) {
                    match pair {
                        (Some(k), None) => out.push(Change::OnlyInA {
                            at: place(a, i, Some(pa.items[k].number)),
                            text: pa.items[k].full_text(),
                        }),
                        (None, Some(l)) => out.push(Change::OnlyInB {
                            at: place(b, j, Some(pb.items[l].number)),
                            text: pb.items[l].full_text(),
                        }),
                        (Some(k), Some(l)) => {
                            let (x, y) = (&pa.items[k], &pb.items[l]);
                            if fold(&x.text) != fold(&y.text) || x.number != y.number {
                                out.push(Change::Edited {
                                    a: place(a, i, Some(x.number)),
                                    b: place(b, j, Some(y.number)),
                                    hunks: hunks(&x.text, &y.text),
                                });
                            }
                        }
                        (None, None) => {}
                    }
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// How alike two texts are: (ratio 2M/(|a|+|b|), containment M/min(|a|,|b|)), M the number of
/// characters they share in order.
fn similarity(a: &[char], b: &[char]) -> (f32, f32) {
    if a.is_empty() && b.is_empty() {
        return (1.0, 1.0);
    }
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let ops = capture_diff_slices(Algorithm::Myers, a, b);
    let shared: usize = ops
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .map(|op| op.old_range().len())
        .sum();
    let ratio = 2.0 * shared as f32 / (a.len() + b.len()) as f32;
    let containment = shared as f32 / a.len().min(b.len()) as f32;
    (ratio, containment)
}

/// Order-preserving alignment maximising total similarity; texts too unlike to match stay
/// unpaired.
fn align(a: &[String], b: &[String]) -> Vec<(Option<usize>, Option<usize>)> {
    let fa: Vec<Vec<char>> = a.iter().map(|s| fold(s)).collect();
    let fb: Vec<Vec<char>> = b.iter().map(|s| fold(s)).collect();
    let (n, m) = (a.len(), b.len());
    let mut sim = vec![vec![None; m]; n];
    for i in 0..n {
        for j in 0..m {
            let (ratio, containment) = similarity(&fa[i], &fb[j]);
            if ratio >= MIN_RATIO || containment >= MIN_CONTAINMENT {
                sim[i][j] = Some(ratio.max(0.01));
            }
        }
    }
    let mut best = vec![vec![0f32; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let mut v = best[i - 1][j].max(best[i][j - 1]);
            if let Some(s) = sim[i - 1][j - 1] {
                v = v.max(best[i - 1][j - 1] + s);
            }
            best[i][j] = v;
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 {
            if let Some(s) = sim[i - 1][j - 1] {
                if (best[i][j] - (best[i - 1][j - 1] + s)).abs() < 1e-6 {
                    pairs.push((Some(i - 1), Some(j - 1)));
                    i -= 1;
                    j -= 1;
                    continue;
                }
            }
        }
        if i > 0 && (j == 0 || best[i][j] == best[i - 1][j]) {
            pairs.push((Some(i - 1), None));
            i -= 1;
        } else {
            pairs.push((None, Some(j - 1)));
            j -= 1;
        }
    }
    pairs.reverse();
    pairs
}

/// Character-level changes from `a` to `b`, grouped into hunks.
pub fn hunks(a: &str, b: &str) -> Vec<Hunk> {
    let ca: Vec<char> = a.chars().collect();
    let cb: Vec<char> = b.chars().collect();
    let ops = capture_diff_slices(Algorithm::Myers, &fold(a), &fold(b));

    // Change regions as (a range, b range), merged across short equal gaps.
    let mut regions: Vec<(usize, usize, usize, usize)> = Vec::new();
    for op in &ops {
        let (tag, ra, rb) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match regions.last_mut() {
            Some(last) if ra.start - last.1 <= MERGE_GAP && rb.start - last.3 <= MERGE_GAP => {
                last.1 = ra.end;
                last.3 = rb.end;
            }
            _ => regions.push((ra.start, ra.end, rb.start, rb.end)),
        }
    }

    let mut out = Vec::new();
    for (k, &(a0, a1, b0, b1)) in regions.iter().enumerate() {
        let floor = if k == 0 { 0 } else { regions[k - 1].1 };
        let ceiling = regions.get(k + 1).map_or(ca.len(), |r| r.0);
        // Left context stops before punctuation; right context takes one punctuation mark.
        let mut from = a0;
        while from > floor && a0 - from < CONTEXT && !text::is_clause_punct(ca[from - 1]) {
            from -= 1;
        }
        let mut to = a1;
        while to < ceiling && to - a1 < CONTEXT {
            to += 1;
            if text::is_clause_punct(ca[to - 1]) {
                break;
            }
        }
        let before: String = ca[from..a0].iter().collect();
        let after: String = ca[a1..to].iter().collect();
        let removed: String = ca[a0..a1].iter().collect();
        let inserted: String = cb[b0..b1].iter().collect();
        out.push(Hunk {
            a: format!("{before}{removed}{after}"),
            b: format!("{before}{inserted}{after}"),
            removed,
            inserted,
        });
    }
    out
}

/// Shortens a long text for display: the start, the end and the length.
fn clip(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        return s.to_string();
    }
    let half = max / 2;
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - half..].iter().collect();
    format!("{head}…{tail}(共{}字)", chars.len())
}

/// 第六条至第二十条, 第二条、第四条: consecutive numbers collapse into ranges.
pub fn article_ranges(numbers: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => article_zh(numbers[i]),
            1 => format!("{}、{}", article_zh(numbers[i]), article_zh(numbers[j])),
            _ => format!("{}至{}", article_zh(numbers[i]), article_zh(numbers[j])),
        });
        i = j + 1;
    }
    parts.join("、")
}

impl RegulationDiff {
    /// Whether the two texts differ at all.
    pub fn is_empty(&self) -> bool {
        !self.title_changed
            && !self.issued_changed
            && self.chapters.is_empty()
            && self.articles_only_in_a.is_empty()
            && self.articles_only_in_b.is_empty()
            && self.articles.is_empty()
    }

    /// A readable rendering in Chinese; `label_a` / `label_b` name the two texts (file names).
    pub fn render(&self, label_a: &str, label_b: &str) -> String {
        let mut s = String::new();
        let side = |label: &str, x: &Summary| {
            format!(
                "{label}:《{}》,{}条,{}",
                x.title,
                x.articles,
                if x.complete {
                    "完整"
                } else {
                    "不完整(文本被截断)"
                }
            )
        };
        let _ = writeln!(s, "A = {}", side(label_a, &self.a));
        let _ = writeln!(s, "B = {}", side(label_b, &self.b));
        if self.is_empty() {
            let _ = writeln!(s, "\n两个文本的条文相同。");
            return s;
        }
        if self.title_changed {
            let _ = writeln!(s, "\n标题不同:A《{}》 B《{}》", self.a.title, self.b.title);
        }
        if self.issued_changed {
            let show = |d: Option<NaiveDate>| d.map_or("(无)".to_string(), |d| d.to_string());
            let _ = writeln!(
                s,
                "\n发布日期不同:A {} B {}",
                show(self.a.issued),
                show(self.b.issued)
            );
        }
        let chapter_list = |only_a: bool| {
            self.chapters
                .iter()
                .filter_map(|c| match c {
                    ChapterChange::OnlyInA { number, title } if only_a => Some((number, title)),
                    ChapterChange::OnlyInB { number, title } if !only_a => Some((number, title)),
                    _ => None,
                })
                .map(|(n, t)| format!("第{}章 {t}", to_chinese(*n)))
                .collect::<Vec<_>>()
        };
        for (side, list) in [("A", chapter_list(true)), ("B", chapter_list(false))] {
            if !list.is_empty() {
                let _ = writeln!(s, "\n仅见于 {side} 的章:{}", list.join("、"));
            }
        }
        for c in &self.chapters {
            if let ChapterChange::Retitled { number, a, b } = c {
                let _ = writeln!(s, "\n第{}章标题不同:A「{a}」 B「{b}」", to_chinese(*number));
            }
        }
        for art in &self.articles {
            let note = match art.truncated_in {
                Some(Which::A) => "(A 的文本在本条截断)",
                Some(Which::B) => "(B 的文本在本条截断)",
                None => "",
            };
            let _ = writeln!(s, "\n{}{note}", art.citation);
            for change in &art.changes {
                match change {
                    Change::OnlyInA { at, text } => {
                        let _ = writeln!(s, "  {} 仅见于 A:{}", at.citation, clip(text, 60));
                    }
                    Change::OnlyInB { at, text } => {
                        let _ = writeln!(s, "  {} 仅见于 B:{}", at.citation, clip(text, 60));
                    }
                    Change::Edited { a, b, hunks } => {
                        // A one-paragraph article needs no place under its own heading.
                        if a.citation != b.citation {
                            let _ = writeln!(s, "  A {} / B {}:", a.citation, b.citation);
                        } else if a.citation != art.citation {
                            let _ = writeln!(s, "  {}:", a.citation);
                        }
                        for h in hunks {
                            let _ =
                                writeln!(s, "    A「{}」→ B「{}」", clip(&h.a, 40), clip(&h.b, 40));
                        }
                    }
                }
            }
        }
        if !self.articles_only_in_a.is_empty() {
            let _ = writeln!(
                s,
                "\n仅见于 A 的条文({}条):{}",
                self.articles_only_in_a.len(),
                article_ranges(&self.articles_only_in_a)
            );
        }
        if !self.articles_only_in_b.is_empty() {
            let _ = writeln!(
                s,
                "\n仅见于 B 的条文({}条):{}",
                self.articles_only_in_b.len(),
                article_ranges(&self.articles_only_in_b)
            );
        }
        if !self.unchanged.is_empty() {
            let _ = writeln!(s, "\n相同的条文:{}", article_ranges(&self.unchanged));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insertion_shows_with_context() {
        let h = hunks(
            "根据有关党内法规和法律,制定本规定。",
            "根据有关党内法规和法律法规,制定本规定。",
        );
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].removed, "");
        assert_eq!(h[0].inserted, "法规");
        assert!(
            h[0].a.ends_with("法律,") && h[0].b.ends_with("法律法规,"),
            "{h:?}"
        );
    }

    #[test]
    fn a_replacement_is_one_hunk_and_width_is_not_a_change() {
        let h = hunks(
            "强化责任清单作用,强化河湖长制",
            "强化责任清单作用,统筹河湖长制",
        );
        assert_eq!(h.len(), 1);
        assert_eq!(
            (h[0].removed.as_str(), h[0].inserted.as_str()),
            ("强化", "统筹")
        );
        assert!(hunks("甲\u{FF0C}乙\u{FF1B}丙（丁）", "甲,乙;丙(丁)").is_empty());
        assert_eq!(hunks("领导、强化", "领导,强化").len(), 1);
    }

    #[test]
    fn far_apart_changes_are_separate_hunks() {
        let h = hunks(
            "贯彻落实深化生态文明体制改革有关决策部署",
            "贯彻落实生态文明体制改革有关决策部署要求",
        );
        assert_eq!(h.len(), 2, "{h:?}");
        assert_eq!(h[0].removed, "深化");
        assert_eq!(h[1].inserted, "要求");
    }

    #[test]
    fn alignment_keeps_order_and_leaves_extra_paragraphs_unpaired() {
        let a = vec!["第一段相同的文字内容。".to_string()];
        let b = vec![
            "第一段相同的文字内容。".to_string(),
            "另一段完全不同的话。".to_string(),
        ];
        assert_eq!(align(&a, &b), vec![(Some(0), Some(0)), (None, Some(1))]);
        let a = vec!["市级以上地方生态环境部门依法依规履行职责。".to_string()];
        let b = vec!["市级以上地方生态环境部门依法依规履行职责,对本地区生态环境保护工作负直接责任,并按照部署加强统筹协调。".to_string()];
        assert_eq!(align(&a, &b), vec![(Some(0), Some(0))]);
    }

    #[test]
    fn ranges_collapse() {
        assert_eq!(article_ranges(&[6, 7, 8, 9]), "第六条至第九条");
        assert_eq!(article_ranges(&[2, 3, 5]), "第二条、第三条、第五条");
    }
}
