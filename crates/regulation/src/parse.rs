//! Finding a regulation inside a page transcription and reading its structure.
//!
//! The page is cut into blocks by [`crate::text`]; then:
//!
//! 1. **Start.** The body starts at the first 「第一章」 heading or 「第一条」 (failing that, at the
//!    first chapter heading or article of any number, so a text missing its first article is
//!    still read and the gap reported). No such block: [`ParseError::NoRegulation`].
//! 2. **Title and issue line.** Directly above the body may stand a bracketed issue line
//!    「(2025年7月18日中共中央批准 2025年7月18日中共中央办公厅、国务院办公厅发布)」, whose
//!    发布 date becomes [`Regulation::issued`]; above that, the title: a line that does not end
//!    a sentence. Failing that, the title is taken from 「《…》全文如下」 in the lead.
//! 3. **End.** A block that continues the sentence of the block before it ([`text::continues`])
//!    is always part of the body, and so is a new chapter, article or item. Any other block
//!    ends the regulation when it is
//!    - a markdown heading (a news headline; a chapter heading is a unit and does not end it),
//!    - a dateline (「新华社北京7月29日电」, 「本报讯」) or a headline standing right above one,
//!    - any block after the article stating entry into force (a sentence starting with 本
//!      and saying 自…起施行: 「本规定自发布之日起施行」), which is the last article of a
//!      Chinese regulation; only a repeal sentence (「…同时废止」) may follow it as a
//!      paragraph.
//!
//!    A page note 「(下转A02版)」 cuts the text where it stands: what precedes it is kept, the
//!    regulation is marked incomplete with a `truncated` warning quoting the note.
//! 4. **Structure.** After joining blocks split at column breaks, 第…章 lines open chapters,
//!    第…条 open articles (the text after the marker is the first paragraph), (一) markers add
//!    items to the paragraph that introduces them, and any other block is a new paragraph.
//! 5. **Checks.** Numbering and text checks from [`crate::warnings`]; a text that ends
//!    mid-sentence or without an entry-into-force article is `truncated` too.

use chrono::NaiveDate;

use crate::citation::{article_zh, Citation};
use crate::model::{Article, Chapter, Item, Paragraph, Regulation, Warning, WarningKind};
use crate::numerals::{self, MarkerKind};
use crate::text::{self, Block};
use crate::warnings;

/// Why a text could not be read as a regulation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("not text: NUL byte at offset {offset}")]
    Binary { offset: usize },
    #[error("no regulation found: no line starts a chapter (第一章) or an article (第一条)")]
    NoRegulation,
}

/// Reads raw bytes: they must be UTF-8 text (a leading BOM is allowed).
pub fn parse_bytes(bytes: &[u8]) -> Result<Regulation, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(ParseError::Binary { offset });
    }
    parse(text)
}

/// Finds the regulation in a page transcription and reads it. See the module documentation
/// for the rules.
pub fn parse(input: &str) -> Result<Regulation, ParseError> {
    let blocks = text::blocks(input);
    let start = find_start(&blocks).ok_or(ParseError::NoRegulation)?;
    let (title, issued) = find_title(&blocks, start);
    let (body, end) = take_body(&blocks, start);
    let body = text::join_blocks(body);

    let mut warnings = Vec::new();
    let chapters = structure(&body, &mut warnings);
    if chapters.iter().all(|c| c.articles.is_empty()) {
        return Err(ParseError::NoRegulation);
    }
    let mut reg = Regulation {
        title: title.unwrap_or_default(),
        issued,
        complete: true,
        chapters,
        warnings: Vec::new(),
    };
    if reg.title.is_empty() {
        warnings.push(Warning {
            kind: WarningKind::MissingTitle,
            article: None,
            message: "正文之前没有找到标题行".into(),
        });
    }
    warnings.extend(truncation(&reg, &body, &end));
    let numbers: Vec<u32> = reg.articles().map(|a| a.number).collect();
    warnings.extend(warnings::check_article_sequence(&numbers));
    warnings.extend(warnings::check_chapter_sequence(&reg));
    warnings.extend(warnings::check_item_sequence(&reg));
    warnings.extend(warnings::check_text(&reg));
    // Document-level first, then by article; within an article, in the order found.
    warnings.sort_by_key(|w| w.article.map_or(0, |n| n as u64 + 1));
    reg.complete = !warnings.iter().any(|w| w.kind == WarningKind::Truncated);
    reg.warnings = warnings;
    Ok(reg)
}

/// How the body ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum End {
    /// The input ran out.
    InputExhausted,
    /// A page note such as 「(下转A02版)」.
    PageNote(String),
    /// A headline, a dateline, or a block after the entry-into-force article.
    OtherText,
}

fn is_chapter_one(block: &Block) -> bool {
    matches!(numerals::marker(&block.text), Some(m) if m.kind == MarkerKind::Chapter && m.number == 1)
        && text::is_chapter_heading(&block.text)
}

fn is_article(block: &Block) -> bool {
    matches!(numerals::marker(&block.text), Some(m) if m.kind == MarkerKind::Article)
}

fn find_start(blocks: &[Block]) -> Option<usize> {
    let first_one = blocks.iter().position(|b| {
        is_chapter_one(b)
            || matches!(numerals::marker(&b.text), Some(m) if m.kind == MarkerKind::Article && m.number == 1)
    });
    first_one.or_else(|| {
        blocks.iter().position(|b| {
            is_article(b)
                || (text::is_chapter_heading(&b.text)
                    && matches!(numerals::marker(&b.text), Some(m) if m.kind == MarkerKind::Chapter))
        })
    })
}

/// The title and issue date above the body (rule 2).
fn find_title(blocks: &[Block], start: usize) -> (Option<String>, Option<NaiveDate>) {
    let mut j = start;
    let mut issued = None;
    if j > 0 && text::is_note(&blocks[j - 1].text) {
        if let Some(date) = issue_date(&blocks[j - 1].text) {
            issued = Some(date);
            j -= 1;
        }
    }
    if j > 0 {
        let b = &blocks[j - 1];
        let t = &b.text;
        if !text::ends_sentence(t)
            && !text::is_note(t)
            && !text::starts_unit(t)
            && !is_dateline(t)
            && t.chars().count() <= 80
        {
            return (Some(unquote_title(t).to_string()), issued);
        }
    }
    let from_lead = blocks[..start].iter().rev().find_map(|b| {
        let (_, rest) = b.text.split_once('《')?;
        let (title, after) = rest.split_once('》')?;
        after.starts_with("全文如下").then(|| title.to_string())
    });
    (from_lead, issued)
}

fn unquote_title(t: &str) -> &str {
    t.strip_prefix('《')
        .and_then(|s| s.strip_suffix('》'))
        .unwrap_or(t)
}

/// The 发布 (or 印发/公布) date of an issue line; the last date when no date is so marked.
pub fn issue_date(line: &str) -> Option<NaiveDate> {
    let dates = dates_in(line);
    let marked = dates.iter().enumerate().find(|(i, (_, end, _))| {
        let until = dates.get(i + 1).map_or(line.len(), |next| next.0);
        let segment = &line[*end..until];
        ["发布", "印发", "公布"].iter().any(|w| segment.contains(w))
    });
    marked
        .map(|(_, d)| d.2)
        .or_else(|| dates.last().map(|d| d.2))
}

/// Every 2025年7月18日 in `s`: (byte start, byte end, date).
fn dates_in(s: &str) -> Vec<(usize, usize, NaiveDate)> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        if let Some((end, date)) = date_at(s, i) {
            out.push((i, end, date));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn date_at(s: &str, start: usize) -> Option<(usize, NaiveDate)> {
    let mut rest = &s[start..];
    let mut parts = [0u32; 3];
    for (k, sep) in ['年', '月', '日'].into_iter().enumerate() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 || digits > 4 {
            return None;
        }
        parts[k] = rest[..digits].parse().ok()?;
        rest = rest[digits..].strip_prefix(sep)?;
    }
    let date = NaiveDate::from_ymd_opt(parts[0] as i32, parts[1], parts[2])?;
    Some((s.len() - rest.len(), date))
}

/// A dateline opening a news item: 「新华社北京7月29日电」, 「本报讯」, 「北京7月29日电」.
pub fn is_dateline(t: &str) -> bool {
    if ["本报讯", "本报记者", "本报通讯员", "本报评论员"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return true;
    }
    let head: String = t.chars().take(24).collect();
    let agency = [
        "新华社",
        "中新社",
        "人民日报",
        "人民网",
        "央视",
        "中国日报",
        "光明日报",
        "经济日报",
        "据新华社",
    ]
    .iter()
    .any(|p| t.starts_with(p));
    // 「北京7月29日电」: a short place-and-date prefix without punctuation.
    let dated = head.find("日电").is_some_and(|i| {
        let prefix = &head[..i];
        prefix.contains('月')
            && prefix.chars().count() <= 14
            && !prefix.chars().any(text::is_clause_punct)
    });
    (agency && (head.contains('电') || head.contains('讯'))) || dated
}

/// Whether an article's text states when the regulation itself takes effect: a sentence
/// about 本规定 / 本办法 / 本条例 … (it starts with 本) saying 自…起施行 (or 起实施, 起生效).
/// A sentence about another instrument taking effect does not count.
pub fn states_entry_into_force(t: &str) -> bool {
    t.split(['。', '\n']).any(|sentence| {
        let sentence = numerals::trim_space(sentence);
        sentence.starts_with('本')
            && ["起施行", "起实施", "起生效"]
                .iter()
                .any(|w| sentence.contains(w))
    })
}

fn mentions_repeal(t: &str) -> bool {
    t.contains("废止")
}

/// Splits a block at a page note 「(下转A02版)」: the text before it and the note.
fn split_page_note(t: &str) -> Option<(&str, &str)> {
    let at = t.find("下转").or_else(|| t.find("转第"))?;
    let open = t[..at]
        .char_indices()
        .next_back()
        .filter(|(_, c)| matches!(c, '(' | '（'))
        .map_or(at, |(i, _)| i);
    let close = t[at..]
        .char_indices()
        .find(|(_, c)| matches!(c, ')' | '）'))
        .map_or(t.len(), |(i, c)| at + i + c.len_utf8());
    // A note is short; a sentence merely containing 转第 is not one.
    if t[open..close].chars().count() > 16 {
        return None;
    }
    Some((numerals::trim_space(&t[..open]), &t[open..close]))
}

/// The blocks of the body (rule 3), and how it ended.
fn take_body(blocks: &[Block], start: usize) -> (Vec<Block>, End) {
    let mut body: Vec<Block> = Vec::new();
    let mut in_force_article = false;
    let mut article_text = String::new();
    for i in start..blocks.len() {
        let block = &blocks[i];
        let continuation = body.last().is_some_and(|prev| text::continues(prev, block));
        if !continuation && i > start && ends_here(blocks, i, in_force_article) {
            return (body, End::OtherText);
        }
        if let Some((before, note)) = split_page_note(&block.text) {
            if !before.is_empty() {
                body.push(Block {
                    text: before.to_string(),
                    ..block.clone()
                });
            }
            return (body, End::PageNote(note.to_string()));
        }
        // The text of the current article so far, joined across column breaks.
        match numerals::marker(&block.text) {
            Some(m) if m.kind == MarkerKind::Article => article_text = m.rest.to_string(),
            _ if text::is_chapter_heading(&block.text) => article_text.clear(),
            _ => {
                if !continuation {
                    article_text.push('\n');
                }
                article_text.push_str(&block.text);
            }
        }
        in_force_article = states_entry_into_force(&article_text);
        body.push(block.clone());
    }
    (body, End::InputExhausted)
}

fn ends_here(blocks: &[Block], i: usize, after_entry_into_force: bool) -> bool {
    let t = &blocks[i].text;
    if text::starts_unit(t) {
        return false;
    }
    if blocks[i].heading || is_dateline(t) {
        return true;
    }
    let headline = !text::ends_sentence(t)
        && blocks
            .get(i + 1)
            .is_some_and(|next| is_dateline(&next.text));
    headline || (after_entry_into_force && !mentions_repeal(t))
}

/// Builds chapters, articles, paragraphs and items from the joined body (rule 4).
fn structure(body: &[Block], warnings: &mut Vec<Warning>) -> Vec<Chapter> {
    let mut chapters: Vec<Chapter> = Vec::new();
    for block in body {
        let t = block.text.as_str();
        let marker = numerals::marker(t);
        let current_article = chapters
            .last()
            .and_then(|c| c.articles.last())
            .map(|a| a.number);
        match marker {
            Some(m) if m.kind == MarkerKind::Chapter && text::is_chapter_heading(t) => {
                chapters.push(Chapter {
                    number: m.number,
                    title: m.rest.to_string(),
                    articles: Vec::new(),
                });
            }
            Some(m) if m.kind == MarkerKind::Section && text::is_chapter_heading(t) => {
                warnings.push(Warning {
                    kind: WarningKind::StrayText,
                    article: current_article,
                    message: format!("第{}行「{t}」是节标题,本模型不分节,已略去", block.line),
                });
            }
            Some(m) if m.kind == MarkerKind::Article => {
                if chapters.is_empty() {
                    chapters.push(Chapter {
                        number: 0,
                        title: String::new(),
                        articles: Vec::new(),
                    });
                }
                let paragraphs = if m.rest.is_empty() {
                    Vec::new()
                } else {
                    vec![Paragraph::plain(m.rest)]
                };
                chapters
                    .last_mut()
                    .expect("a chapter was pushed")
                    .articles
                    .push(Article {
                        number: m.number,
                        paragraphs,
                    });
            }
            _ => {
                let Some(article) = chapters.last_mut().and_then(|c| c.articles.last_mut()) else {
                    warnings.push(Warning {
                        kind: WarningKind::StrayText,
                        article: None,
                        message: format!("第{}行「{t}」不属于任何条文", block.line),
                    });
                    continue;
                };
                match marker {
                    Some(m) if m.kind == MarkerKind::Item => {
                        if article.paragraphs.is_empty() {
                            article.paragraphs.push(Paragraph::plain(""));
                        }
                        let paragraph = article.paragraphs.last_mut().expect("not empty");
                        paragraph.items.push(Item {
                            number: m.number,
                            text: m.rest.to_string(),
                        });
                    }
                    _ => article.paragraphs.push(Paragraph::plain(t)),
                }
            }
        }
    }
    chapters
}

/// The `truncated` warnings (rule 5): a page note, a text ending mid-sentence, or no
/// entry-into-force article.
fn truncation(reg: &Regulation, body: &[Block], end: &End) -> Vec<Warning> {
    let Some(last) = reg.articles().last() else {
        return Vec::new();
    };
    let last_cite = match last.paragraphs.len() {
        0 | 1 => article_zh(last.number),
        n => Citation::new(last.number, n as u32, None, n).zh(),
    };
    let tail = body.last().map(|b| b.text.as_str()).unwrap_or_default();
    let mut out = Vec::new();
    if let End::PageNote(note) = end {
        out.push(Warning {
            kind: WarningKind::Truncated,
            article: Some(last.number),
            message: format!("文本在{last_cite}处被版面转接截断:「{note}」,其后的内容不在本文本中"),
        });
    } else if !text::ends_sentence(tail) {
        let shown: String = {
            let chars: Vec<char> = tail.chars().collect();
            chars[chars.len().saturating_sub(12)..].iter().collect()
        };
        out.push(Warning {
            kind: WarningKind::Truncated,
            article: Some(last.number),
            message: format!("文本在{last_cite}的句子中间结束:「…{shown}」"),
        });
    } else if !reg
        .articles()
        .any(|a| states_entry_into_force(&a.full_text()))
    {
        out.push(Warning {
            kind: WarningKind::Truncated,
            article: Some(last.number),
            message: format!(
                "文本在{}后结束,没有施行条款(本规定自…起施行),可能不完整",
                article_zh(last.number)
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_issue_date_of_the_issue_line() {
        let line = "(2025年7月18日中共中央批准 2025年7月18日中共中央办公厅、国务院办公厅发布)";
        assert_eq!(issue_date(line), NaiveDate::from_ymd_opt(2025, 7, 18));
        let line = "(2019年1月2日中共中央批准 2019年3月4日中共中央办公厅发布)";
        assert_eq!(issue_date(line), NaiveDate::from_ymd_opt(2019, 3, 4));
        assert_eq!(issue_date("(上接第一版)"), None);
        assert_eq!(issue_date("(2025年13月40日发布)"), None);
    }

    #[test]
    fn recognises_datelines() {
        assert!(is_dateline("新华社北京7月29日电 记者29日从中央网信办获悉"));
        assert!(is_dateline("本报讯(记者张毅、郭嘉莉)7月29日下午"));
        assert!(is_dateline("北京7月29日电 近日"));
        assert!(!is_dateline("第二十条 本规定自发布之日起施行。"));
        assert!(!is_dateline(
            "县级以上地方党委和政府主要负责人是本地区生态环境保护第一责任人"
        ));
    }

    #[test]
    fn splits_page_notes() {
        assert_eq!(
            split_page_note("实施统一监督管理。(下转A02版)"),
            Some(("实施统一监督管理。", "(下转A02版)"))
        );
        assert_eq!(
            split_page_note("（下转第二版）"),
            Some(("", "（下转第二版）"))
        );
        assert_eq!(
            split_page_note("按照规定组织编制生态环境质量限期达标规划"),
            None
        );
    }
}
