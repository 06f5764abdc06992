//! From a pasted page to clean blocks: markup removal and block joining.
//!
//! A page transcription arrives as markdown-ish lines. Each non-empty line becomes a [`Block`]
//! once its markup is dropped (`#` headings, `- ` / `* ` / `+ ` bullets, `> ` quotes,
//! `**bold**`). Newspaper columns split paragraphs mid-sentence, so [`continues`] decides
//! whether a block carries on the sentence left open by the one before it, and [`join_blocks`]
//! applies that rule to a run of blocks. Only layout is touched here: the words are kept as
//! they are, and suspect words are the business of [`crate::warnings`].

use serde::{Deserialize, Serialize};

use crate::numerals::{self, MarkerKind};

/// One line of the page with its markup removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// The text, trimmed, without markup.
    pub text: String,
    /// The 1-based line of the input the block starts on.
    pub line: usize,
    /// The line was a markdown heading (`#`, `##`, …).
    pub heading: bool,
    /// The line was a list item (`- `, `* `, `+ `, `• `).
    pub bullet: bool,
}

/// The result of dropping the markup from one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stripped {
    pub text: String,
    pub heading: bool,
    pub bullet: bool,
}

/// Drops markdown and list markup from one line: leading `#`s, one bullet (`- `, `* `, `+ `,
/// `• `), a quote `> `, `**` / `__` emphasis anywhere, and horizontal rules (`---`, `***`).
pub fn strip_markup(line: &str) -> Stripped {
    let mut s = numerals::trim_space(line);
    let mut heading = false;
    let mut bullet = false;

    if !s.is_empty() && s.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ')) && s.len() >= 3
    {
        // A horizontal rule or a setext underline carries no text.
        return Stripped {
            text: String::new(),
            heading: false,
            bullet: false,
        };
    }
    while let Some(rest) = s.strip_prefix('>') {
        s = numerals::trim_space(rest);
    }
    if s.starts_with('#') {
        s = numerals::trim_space(s.trim_start_matches('#'));
        heading = true;
    }
    for prefix in ["- ", "* ", "+ ", "• ", "· ", "-\u{3000}", "*\u{3000}"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = numerals::trim_space(rest);
            bullet = true;
            break;
        }
    }
    if !bullet {
        if let Some(rest) = s.strip_prefix('•') {
            s = numerals::trim_space(rest);
            bullet = true;
        }
    }
    let text = s.replace("**", "").replace("__", "");
    Stripped {
        text: numerals::trim_space(&text).to_string(),
        heading,
        bullet,
    }
}

/// Splits a page into blocks: one per non-empty line, markup removed.
pub fn blocks(input: &str) -> Vec<Block> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    input
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let s = strip_markup(line);
            (!s.text.is_empty()).then(|| Block {
                text: s.text,
                line: i + 1,
                heading: s.heading,
                bullet: s.bullet,
            })
        })
        .collect()
}

/// Full-width punctuation, written as escapes so that no tool folds them to ASCII on the way.
pub const FW_COMMA: char = '\u{FF0C}';
pub const FW_SEMICOLON: char = '\u{FF1B}';
pub const FW_COLON: char = '\u{FF1A}';
pub const FW_EXCLAMATION: char = '\u{FF01}';
pub const FW_QUESTION: char = '\u{FF1F}';
pub const FW_LEFT_PAREN: char = '\u{FF08}';
pub const FW_RIGHT_PAREN: char = '\u{FF09}';

/// Punctuation that separates clauses or ends sentences, in both widths.
pub fn is_clause_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '。'
            | ';'
            | ':'
            | '、'
            | '!'
            | '?'
            | FW_COMMA
            | FW_SEMICOLON
            | FW_COLON
            | FW_EXCLAMATION
            | FW_QUESTION
    )
}

/// Closing quotes and brackets that may follow the punctuation ending a sentence.
const CLOSERS: &[char] = &['”', '’', '」', '』', '》', ')', '）', '"', '\''];

/// Whether `text` ends a sentence or clause as a paragraph or list item does: 。;:!?… (full
/// width or ASCII), possibly followed by closing quotes. An ASCII `.` counts unless it follows
/// a digit (PM2.5 is not a sentence end).
pub fn ends_sentence(text: &str) -> bool {
    let core = text.trim_end_matches(|c: char| numerals::is_space(c) || CLOSERS.contains(&c));
    let mut rev = core.chars().rev();
    match rev.next() {
        Some(
            '。' | ';' | ':' | '!' | '?' | '…' | FW_SEMICOLON | FW_COLON | FW_EXCLAMATION
            | FW_QUESTION,
        ) => true,
        Some('.') => !matches!(rev.next(), Some(c) if c.is_ascii_digit()),
        _ => false,
    }
}

/// Whether the block is a bracketed note standing on its own line, such as the issue line
/// 「(2025年7月18日中共中央批准 …发布)」 or a page note 「(上接第一版)」. Such a note is complete
/// in itself: it neither continues a block nor is continued.
pub fn is_note(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('(' | '（')) && matches!(chars.next_back(), Some(')' | '）'))
}

/// Whether `text` opens a new structural unit: a chapter, section or article heading, or an
/// item marker.
pub fn starts_unit(text: &str) -> bool {
    numerals::marker(text).is_some()
}

/// Whether the block is a chapter or section heading line (第一章 总则): a marker followed by a
/// short title without sentence punctuation.
pub fn is_chapter_heading(text: &str) -> bool {
    match numerals::marker(text) {
        Some(m) if matches!(m.kind, MarkerKind::Chapter | MarkerKind::Section) => {
            m.rest.chars().count() <= 24 && !m.rest.chars().any(is_clause_punct)
        }
        _ => false,
    }
}

/// The joining rule: `next` carries on the sentence left open at the end of `prev` when
///
/// - `prev` does not end a sentence ([`ends_sentence`]), and
/// - neither block is a heading (markdown `#`, or a chapter heading line), and neither is a
///   bracketed note ([`is_note`]), and
/// - `next` does not open a unit of its own: no bullet, no 第…条 / 第…章 / (一) marker.
///
/// A column break lands anywhere in a sentence, so the second half has no marker; a new
/// paragraph, item or heading always has one or follows a finished sentence.
pub fn continues(prev: &Block, next: &Block) -> bool {
    !ends_sentence(&prev.text)
        && !prev.heading
        && !next.heading
        && !next.bullet
        && !is_note(&prev.text)
        && !is_note(&next.text)
        && !is_chapter_heading(&prev.text)
        && !starts_unit(&next.text)
}

/// Joins every block that [`continues`] the previous one onto it. The joined block keeps the
/// first block's line and flags. Chinese text is joined without a space.
pub fn join_blocks(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        match out.last_mut() {
            Some(prev) if continues(prev, &block) => prev.text.push_str(&block.text),
            _ => out.push(block),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Block {
        Block {
            text: text.into(),
            line: 1,
            heading: false,
            bullet: false,
        }
    }

    #[test]
    fn strips_headings_bullets_and_bold() {
        let s = strip_markup("### 第一章 总则");
        assert_eq!(s.text, "第一章 总则");
        assert!(s.heading && !s.bullet);

        let s = strip_markup("- (一)坚持党政同责、齐抓共管、失职追责;");
        assert_eq!(s.text, "(一)坚持党政同责、齐抓共管、失职追责;");
        assert!(s.bullet && !s.heading);

        let s = strip_markup("* **第二条** 本规定适用于");
        assert_eq!(s.text, "第二条 本规定适用于");
        assert!(s.bullet);

        assert_eq!(
            strip_markup("**扎根 寄予希望 向阳而生**").text,
            "扎根 寄予希望 向阳而生"
        );
        assert_eq!(
            strip_markup("\u{3000}\u{3000}第一条 为了").text,
            "第一条 为了"
        );
        assert_eq!(strip_markup("---").text, "");
        assert_eq!(strip_markup("> 引文").text, "引文");
        // A hyphen that is not a bullet stays.
        assert_eq!(strip_markup("-5℃以下").text, "-5℃以下");
    }

    #[test]
    fn blocks_skip_blank_lines_and_number_lines() {
        let b = blocks("\u{feff}\n## 标题\n\n正文。\r\n- (一)项;\n");
        assert_eq!(b.len(), 3);
        assert_eq!((b[0].line, b[0].heading), (2, true));
        assert_eq!(b[1].text, "正文。");
        assert_eq!((b[2].line, b[2].bullet), (5, true));
    }

    #[test]
    fn sentence_ends() {
        for t in [
            "制定本规定。",
            "主要包括:",
            "主要包括\u{FF1A}",
            "守土尽责\u{FF1B}",
            "守土尽责;",
            "“一起为和平。”",
            "完成了!",
        ] {
            assert!(ends_sentence(t), "{t}");
        }
        for t in [
            "实行地方党政领导干部",
            "推进生态优",
            "督察整改,",
            "规定(试行)",
            "PM2.",
            "第一章 总则",
        ] {
            assert!(!ends_sentence(t), "{t}");
        }
    }

    #[test]
    fn joins_a_paragraph_split_at_a_column_break() {
        let joined = join_blocks(vec![
            block("第三条 实行地方党政领导干部"),
            block("生态环境保护责任制,坚持以习近平新时代中国特色社会主义思想为指导。"),
            block("第四条 实行地方党政领导干部生态环境保护责任制,应当遵循下列原则:"),
        ]);
        assert_eq!(joined.len(), 2);
        assert_eq!(
            joined[0].text,
            "第三条 实行地方党政领导干部生态环境保护责任制,坚持以习近平新时代中国特色社会主义思想为指导。"
        );
    }

    #[test]
    fn joins_an_item_whose_second_half_lost_its_bullet() {
        let mut first = block("(四)组织推动生态环境保护督察整改,");
        first.bullet = true;
        let joined = join_blocks(vec![
            first,
            block("开展生态环境保护工作专题调查研究。"),
            block("(五)强化财政对美丽中国建设的支持力度。"),
        ]);
        assert_eq!(joined.len(), 2);
        assert_eq!(
            joined[0].text,
            "(四)组织推动生态环境保护督察整改,开展生态环境保护工作专题调查研究。"
        );
        assert!(joined[0].bullet);
    }

    #[test]
    fn does_not_join_finished_sentences_headings_notes_or_new_units() {
        let cases = [
            ("本规定自发布之日起施行。", "中央网信办专项整治"),
            ("第一章 总则", "为了坚持"),
            (
                "地方党政领导干部生态环境保护责任制规定(试行)",
                "(2025年7月18日中共中央批准 2025年7月18日中共中央办公厅、国务院办公厅发布)",
            ),
            ("应当遵循下列原则", "(一)坚持党政同责"),
            ("未完的句子", "第五条 县级以上"),
        ];
        for (a, b) in cases {
            assert!(!continues(&block(a), &block(b)), "{a} + {b}");
        }
        let mut heading = block("习近平向世界青年和平大会致信");
        heading.heading = true;
        assert!(!continues(&heading, &block("新华社北京7月29日电 7月29日")));
        let mut bullet = block("(二)坚持");
        bullet.bullet = true;
        assert!(!continues(&block("(一)坚持党政同责,"), &bullet));
    }
}
