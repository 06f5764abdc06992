//! Small made-up regulations for the cases the seeds do not cover.

use ecoduty_regulation::{parse, parse_bytes, ParseError, Regulation, WarningKind};

fn kinds(reg: &Regulation) -> Vec<(WarningKind, Option<u32>)> {
    reg.warnings.iter().map(|w| (w.kind, w.article)).collect()
}

fn numbers(reg: &Regulation) -> Vec<u32> {
    reg.articles().map(|a| a.number).collect()
}

#[test]
fn a_regulation_without_chapters_is_one_chapter_numbered_zero() {
    let text = "\
某某市河道保洁办法

第一条 为了保持河道整洁,制定本办法。

第二条 河道保洁实行属地负责:

（一）区政府负责辖区内河道;

（二）街道办事处负责巷道沟渠。

第三条 本办法自2026年1月1日起施行。
";
    let reg = parse(text).unwrap();
    assert_eq!(reg.title, "某某市河道保洁办法");
    assert_eq!(reg.issued, None);
    assert!(reg.complete);
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
    assert_eq!(reg.chapters.len(), 1);
    assert_eq!(
        (reg.chapters[0].number, reg.chapters[0].title.as_str()),
        (0, "")
    );
    assert_eq!(numbers(&reg), vec![1, 2, 3]);
    // Full-width item markers are items too.
    let items = &reg.article(2).unwrap().paragraphs[0].items;
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].text, "街道办事处负责巷道沟渠。");
    let json = serde_json::to_value(&reg).unwrap();
    assert_eq!(json["chapters"][0]["number"], 0);
    assert_eq!(json["chapters"][0]["title"], "");
}

#[test]
fn reads_article_numbers_past_one_hundred() {
    // 110 articles; each says its own number in Arabic digits so the reading can be checked.
    let mut text = String::from("某某条例\n\n");
    for n in 1..=110u32 {
        let heading = format!("第{}条", ecoduty_regulation::numerals::to_chinese(n));
        if n == 110 {
            text.push_str(&format!("{heading} 本条例(第110条)自公布之日起施行。\n\n"));
        } else {
            text.push_str(&format!("{heading} 第{n}条的内容。\n\n"));
        }
    }
    for literal in ["第十条 ", "第二十条 ", "第一百零三条 ", "第一百一十条 "] {
        assert!(text.contains(literal), "{literal}");
    }
    let reg = parse(&text).unwrap();
    assert_eq!(numbers(&reg), (1..=110).collect::<Vec<_>>());
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
    for a in reg.articles() {
        assert!(
            a.paragraphs[0].text.contains(&format!("第{}条", a.number)),
            "{a:?}"
        );
    }
}

#[test]
fn a_lone_article_one_hundred_and_three() {
    let text = "某某条例\n\n第一条 总则。\n\n第一百零三条 本条例自公布之日起施行。\n";
    let reg = parse(text).unwrap();
    assert_eq!(numbers(&reg), vec![1, 103]);
    assert_eq!(
        reg.article(103).unwrap().paragraphs[0].text,
        "本条例自公布之日起施行。"
    );
    // Articles 2 to 102 are reported missing, one warning each.
    let missing: Vec<u32> = reg
        .warnings_of(WarningKind::ArticleMissing)
        .filter_map(|w| w.article)
        .collect();
    assert_eq!(missing, (2..=102).collect::<Vec<_>>());
}

#[test]
fn a_missing_article_is_reported_by_number() {
    let text = "\
测试规定

第一条 第一条的内容。

第二条 第二条的内容。

第三条 第三条的内容。

第五条 本规定自发布之日起施行。
";
    let reg = parse(text).unwrap();
    assert_eq!(numbers(&reg), vec![1, 2, 3, 5]);
    assert_eq!(kinds(&reg), vec![(WarningKind::ArticleMissing, Some(4))]);
    assert!(reg.warnings[0].message.contains("第四条"));
    assert!(reg.complete);
}

#[test]
fn an_article_out_of_order_is_reported_and_kept_where_it_stands() {
    let text = "\
测试规定

第一条 第一条的内容。

第三条 第三条的内容。

第二条 第二条的内容。

第四条 本规定自发布之日起施行。
";
    let reg = parse(text).unwrap();
    assert_eq!(numbers(&reg), vec![1, 3, 2, 4]);
    assert_eq!(
        kinds(&reg),
        vec![(WarningKind::ArticleOutOfSequence, Some(2))]
    );
    assert!(
        reg.warnings[0].message.contains("第二条出现在第三条之后"),
        "{}",
        reg.warnings[0].message
    );
}

#[test]
fn markdown_bold_headings_and_bullets_are_dropped() {
    let text = "\
# 测试规定

## 第一章 总则

**第一条** 为了测试,制定本规定。

### 第二章 附则

* **第二条** 本规定自发布之日起施行。
";
    let reg = parse(text).unwrap();
    assert_eq!(reg.title, "测试规定");
    assert_eq!(reg.chapters.len(), 2);
    assert_eq!(reg.chapters[1].title, "附则");
    assert_eq!(
        reg.article(1).unwrap().paragraphs[0].text,
        "为了测试,制定本规定。"
    );
    assert_eq!(
        reg.article(2).unwrap().paragraphs[0].text,
        "本规定自发布之日起施行。"
    );
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
}

#[test]
fn a_text_that_stops_mid_sentence_is_truncated() {
    let text = "测试规定\n\n第一条 为了测试,制定本规定。\n\n第二条 本规定适用于县级以上地方\n";
    let reg = parse(text).unwrap();
    assert!(!reg.complete);
    assert_eq!(kinds(&reg), vec![(WarningKind::Truncated, Some(2))]);
    assert!(reg.warnings[0].message.contains("县级以上地方"));
}

#[test]
fn a_text_without_an_entry_into_force_article_is_truncated() {
    let text = "测试规定\n\n第一条 为了测试,制定本规定。\n\n第二条 本规定适用于县级以上地方。\n";
    let reg = parse(text).unwrap();
    assert!(!reg.complete);
    assert_eq!(kinds(&reg), vec![(WarningKind::Truncated, Some(2))]);
}

#[test]
fn a_repeal_sentence_after_the_entry_into_force_article_is_kept() {
    let text = "\
测试规定

第一条 为了测试,制定本规定。

第二条 本规定自2026年1月1日起施行。

2010年发布的《旧规定》同时废止。

新华社北京1月1日电 另一条新闻。
";
    let reg = parse(text).unwrap();
    assert_eq!(reg.article(2).unwrap().paragraphs.len(), 2);
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
}

#[test]
fn another_instrument_taking_effect_does_not_end_the_regulation() {
    let text = "\
测试办法

第一条 新的排放标准自2026年1月1日起施行。

各地应当做好衔接。

第二条 本办法自发布之日

起施行。

某地召开会议

新华社北京1月1日电 另一条新闻。
";
    let reg = parse(text).unwrap();
    assert_eq!(numbers(&reg), vec![1, 2]);
    assert_eq!(reg.article(1).unwrap().paragraphs.len(), 2);
    assert_eq!(
        reg.article(2).unwrap().paragraphs[0].text,
        "本办法自发布之日起施行。"
    );
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
}

#[test]
fn a_headline_or_dateline_ends_the_regulation_even_without_entry_into_force() {
    let text = "\
测试规定

第一条 为了测试,制定本规定。

第二条 本规定适用于县级以上地方。

## 另一条新闻的标题

新闻正文第一段。
";
    let reg = parse(text).unwrap();
    assert_eq!(numbers(&reg), vec![1, 2]);
    assert_eq!(reg.article(2).unwrap().paragraphs.len(), 1);

    let text = "测试规定\n\n第一条 为了测试,制定本规定。\n\n某地召开会议\n\n本报讯 会议指出。\n";
    let reg = parse(text).unwrap();
    assert_eq!(reg.article(1).unwrap().paragraphs.len(), 1);
}

#[test]
fn out_of_sequence_items_and_stray_text_are_reported() {
    let text = "\
测试规定

第一章 总则

这一行不属于任何条文。

第一条 包括:

(一)甲;

(三)丙。

第二条 本规定自发布之日起施行。
";
    let reg = parse(text).unwrap();
    let k = kinds(&reg);
    assert!(k.contains(&(WarningKind::StrayText, None)), "{k:?}");
    assert!(
        k.contains(&(WarningKind::ItemOutOfSequence, Some(1))),
        "{k:?}"
    );
}

#[test]
fn no_regulation_and_not_text_are_errors() {
    assert_eq!(
        parse("今天天气很好。\n\n没有任何条文。"),
        Err(ParseError::NoRegulation)
    );
    assert_eq!(parse(""), Err(ParseError::NoRegulation));
    assert!(matches!(
        parse_bytes(&[0xe4, 0xb8, 0x80, 0xff, 0xfe]),
        Err(ParseError::NotUtf8 { offset: 3 })
    ));
    assert!(matches!(
        parse_bytes(b"abc\0def"),
        Err(ParseError::Binary { offset: 3 })
    ));
    let gbk_encoded = [0xb5, 0xda, 0xd2, 0xbb, 0xcc, 0xf5]; // 第一条 in GBK
    assert!(matches!(
        parse_bytes(&gbk_encoded),
        Err(ParseError::NotUtf8 { .. })
    ));
}

#[test]
fn a_missing_title_is_a_document_warning() {
    let reg = parse("第一条 为了测试,制定本规定。\n\n第二条 本规定自发布之日起施行。\n").unwrap();
    assert_eq!(reg.title, "");
    assert_eq!(kinds(&reg), vec![(WarningKind::MissingTitle, None)]);
}

#[test]
fn full_width_typesetting_reads_like_the_ascii_transcriptions() {
    // Full-width comma, colon, semicolon and the ideographic space, as official texts print
    // them; written as escapes so no tool folds them to ASCII.
    let text = "测试规定\n\n第一条\u{3000}职责主要包括\u{FF1A}\n\n（一）甲\u{FF0C}乙\u{FF1B}\n\n（二）丙\u{FF1B}\n\n另一款\u{FF0C}\n\n接续的文字。\n\n第二条\u{3000}本规定自发布之日起施行。\n";
    let reg = parse(text).unwrap();
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
    let art1 = reg.article(1).unwrap();
    assert_eq!(art1.paragraphs.len(), 2);
    assert_eq!(art1.paragraphs[0].text, "职责主要包括\u{FF1A}");
    assert_eq!(art1.paragraphs[0].items.len(), 2);
    assert_eq!(art1.paragraphs[1].text, "另一款\u{FF0C}接续的文字。");
}
