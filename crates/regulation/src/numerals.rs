//! Chinese numerals and the numbered markers built from them: 第…章 (chapter), 第…条 (article)
//! and (一) / （一） (item).
//!
//! Numbers are read in the formal style legal texts use: 十 (10), 十一 (11), 二十 (20),
//! 一百一十 (110), 一百零三 (103), up to 九千九百九十九. ASCII and full-width digits are accepted
//! too, because some transcriptions write 第12条.

/// The largest number [`parse_chinese`] and [`to_chinese`] handle.
pub const MAX: u32 = 9999;

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit_value(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Whether `c` can appear in a Chinese or Arabic numeral.
pub fn is_numeral_char(c: char) -> bool {
    digit_value(c).is_some()
        || unit_value(c).is_some()
        || c.is_ascii_digit()
        || is_fullwidth_digit(c)
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// Reads a numeral: 一, 十, 十一, 二十, 一百零三, 一百一十, 九百九十九, or Arabic digits.
///
/// Returns `None` for anything that is not a well-formed number between 0 and [`MAX`]: units out
/// of order (十百), two digits in a row (一二), or a skipped unit without 零 (一百三, which
/// colloquially means 130 and in a legal text is a transcription error).
pub fn parse_chinese(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || is_fullwidth_digit(c))
    {
        let ascii: String = s
            .chars()
            .map(|c| {
                if is_fullwidth_digit(c) {
                    char::from(b'0' + (c as u32 - '０' as u32) as u8)
                } else {
                    c
                }
            })
            .collect();
        return ascii.parse().ok().filter(|n| *n <= MAX);
    }
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    let mut last_unit = u32::MAX;
    let mut saw_zero = false;
    for c in s.chars() {
        if let Some(d) = digit_value(c) {
            if matches!(pending, Some(p) if p != 0) {
                return None;
            }
            if d == 0 {
                // 零 only fills a gap after a unit (一百零三), never leads or repeats.
                if last_unit == u32::MAX || saw_zero {
                    return None;
                }
                saw_zero = true;
            }
            pending = Some(d);
        } else if let Some(u) = unit_value(c) {
            if u >= last_unit {
                return None;
            }
            // A bare 十 at the start means 一十; elsewhere a unit needs its digit (一百一十).
            let d = match pending.take() {
                // 一千零十: after 零, a bare 十 is 一十.
                Some(0) if u == 10 => 1,
                Some(0) => return None,
                Some(d) => d,
                None if u == 10 && last_unit == u32::MAX => 1,
                None => return None,
            };
            // A unit may only be skipped with 零 in between (一千零十 is 1010).
            if last_unit != u32::MAX && last_unit / u > 10 && !saw_zero {
                return None;
            }
            total += d * u;
            last_unit = u;
            saw_zero = false;
        } else {
            return None;
        }
    }
    match pending {
        Some(0) => return None,
        Some(d) => {
            // A trailing digit is ones: right after 十, or after 零.
            if last_unit != u32::MAX && last_unit != 10 && !saw_zero {
                return None;
            }
            total += d;
        }
        None => {}
    }
    Some(total)
}

/// Writes `n` (0..=[`MAX`]) in the formal style: 十一, 二十, 一百零三, 一百一十, 一千零一十.
///
/// # Panics
/// If `n` is greater than [`MAX`].
pub fn to_chinese(n: u32) -> String {
    assert!(n <= MAX, "{n} is beyond the numerals this crate writes");
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "零".into();
    }
    let places = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
    let mut out = String::new();
    let mut gap = false;
    for (value, unit) in places {
        let d = (n / value) % 10;
        if d == 0 {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push('零');
            gap = false;
        }
        // 10–19 are written 十, 十一 …; inside a larger number the 一 stays (一百一十).
        if !(value == 10 && d == 1 && out.is_empty()) {
            out.push(DIGITS[d as usize]);
        }
        if value > 1 {
            out.push(unit);
        }
    }
    out
}

/// The kind of a numbered marker at the start of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// 第…章
    Chapter,
    /// 第…节 (recognised so it is not taken for text; the regulation has none)
    Section,
    /// 第…条
    Article,
    /// (一) or （一）
    Item,
}

/// A numbered marker found at the start of a block, and the text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker<'a> {
    pub kind: MarkerKind,
    pub number: u32,
    /// The rest of the block, with the whitespace after the marker removed.
    pub rest: &'a str,
}

/// Recognises 第…章 / 第…节 / 第…条 / (一) at the start of `text`.
pub fn marker(text: &str) -> Option<Marker<'_>> {
    if let Some(after) = text.strip_prefix('第') {
        let end = after
            .char_indices()
            .find(|(_, c)| !is_numeral_char(*c))
            .map(|(i, _)| i)?;
        let number = parse_chinese(&after[..end])?;
        let mut tail = after[end..].chars();
        let kind = match tail.next()? {
            '章' => MarkerKind::Chapter,
            '节' => MarkerKind::Section,
            '条' => MarkerKind::Article,
            _ => return None,
        };
        return Some(Marker {
            kind,
            number,
            rest: trim_space(tail.as_str()),
        });
    }
    let mut chars = text.chars();
    if matches!(chars.next(), Some('(' | '（')) {
        let inner = chars.as_str();
        let close = inner.find([')', '）'])?;
        let digits = &inner[..close];
        // Items are numbered in Chinese: (1) in a legal text is something else.
        if digits.is_empty()
            || !digits
                .chars()
                .all(|c| digit_value(c).is_some() || unit_value(c).is_some())
        {
            return None;
        }
        let number = parse_chinese(digits)?;
        if number == 0 {
            return None;
        }
        let rest = &inner[close..];
        let rest = &rest[rest.chars().next()?.len_utf8()..];
        return Some(Marker {
            kind: MarkerKind::Item,
            number,
            rest: trim_space(rest),
        });
    }
    None
}

/// Whitespace as transcriptions have it: ASCII, the ideographic space U+3000 and no-break spaces.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// Trims [`is_space`] from both ends.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_numbers_legal_texts_use() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十一", 21),
            ("一百", 100),
            ("一百零三", 103),
            ("一百一十", 110),
            ("一百一十一", 111),
            ("一百二十", 120),
            ("两百", 200),
            ("九百九十九", 999),
            ("一千零一十", 1010),
            ("一千零三", 1003),
            ("一千零十", 1010),
            ("一千一百", 1100),
            ("12", 12),
            ("１２", 12),
        ];
        for (text, n) in cases {
            assert_eq!(parse_chinese(text), Some(n), "{text}");
        }
    }

    #[test]
    fn refuses_malformed_numerals() {
        for text in [
            "",
            "一二",
            "十百",
            "百",
            "零",
            "零一",
            "一百三",
            "一百零零三",
            "十十",
            "第",
            "a",
        ] {
            assert_eq!(parse_chinese(text), None, "{text}");
        }
    }

    #[test]
    fn writes_the_formal_style() {
        assert_eq!(to_chinese(1), "一");
        assert_eq!(to_chinese(10), "十");
        assert_eq!(to_chinese(11), "十一");
        assert_eq!(to_chinese(20), "二十");
        assert_eq!(to_chinese(103), "一百零三");
        assert_eq!(to_chinese(110), "一百一十");
        assert_eq!(to_chinese(999), "九百九十九");
        assert_eq!(to_chinese(1010), "一千零一十");
        assert_eq!(to_chinese(1001), "一千零一");
    }

    #[test]
    fn finds_markers() {
        let m = marker("第一百零三条 本规定自发布之日起施行。").unwrap();
        assert_eq!(
            (m.kind, m.number, m.rest),
            (MarkerKind::Article, 103, "本规定自发布之日起施行。")
        );
        let m = marker("第四章\u{3000}附则").unwrap();
        assert_eq!((m.kind, m.number, m.rest), (MarkerKind::Chapter, 4, "附则"));
        let m = marker("（五）坚持激励和约束并重").unwrap();
        assert_eq!(
            (m.kind, m.number, m.rest),
            (MarkerKind::Item, 5, "坚持激励和约束并重")
        );
        let m = marker("(十一)其他").unwrap();
        assert_eq!((m.kind, m.number), (MarkerKind::Item, 11));
        assert_eq!(marker("(2025年7月18日中共中央批准)"), None);
        assert_eq!(marker("(下转A02版)"), None);
        assert_eq!(marker("第一责任人"), None);
        assert_eq!(marker("为了坚持"), None);
    }
}
