//! Several frameworks, not one regulation: what a framework's text says about accountability,
//! read into data.
//!
//! A framework is a document of the regulation's form (articles, paragraphs, items) stored
//! under a key: the built-in 2025 regulation is [`BUILTIN_FRAMEWORK`]; a user imports others,
//! such as 《党政领导干部生态环境损害责任追究办法》 (19 articles, no chapters). From any
//! framework's parsed text this module reads:
//!
//! - [`situations`]: the listed grounds for accountability (情形). A situation is an item of a
//!   paragraph that introduces a list with 「有下列情形之一的」. Its *subject* — the kind of
//!   leader who answers — is read from the same paragraph: the words between the last 「追究」
//!   and 「的责任」 (「追究相关地方党委和政府主要领导成员的责任」 → 相关地方党委和政府主要领导成员);
//!   where those words are only a pronoun or missing (「应当追究其责任」, 「追究有关责任」), the
//!   clause before 「有下列情形」 (「党政领导干部利用职务影响」).
//! - [`forms`]: the forms of accountability (追究形式 / 问责方式). They are read from the first
//!   paragraph that says 「…形式有:」 or 「…方式有:」 (or 「…包括:」): the list after the colon, up
//!   to the full stop, groups separated by 「;」, forms by 「、」; a group 「组织处理,包括调离岗位、
//!   引咎辞职…等」 is a form with its members (a trailing 等 is dropped).
//!
//! Nothing here knows the 办法's articles by number: a reissue that renumbers them, or a
//! provincial rule of the same form, is read the same way.
//!
//! Citations of a framework other than the built-in one name it by its short name:
//! 《办法》第五条第(七)项 ([`cite_item`]); the built-in regulation keeps its own format
//! (第十七条第二项, [`crate::Citation::zh`]).

use serde::{Deserialize, Serialize};

use crate::model::Regulation;
use crate::numerals::to_chinese;

/// The key of the built-in 2025 regulation.
pub const BUILTIN_FRAMEWORK: &str = "regulation-2025";

/// A situation (情形) of a framework: an item of a 「有下列情形之一的」 paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Situation {
    pub article: u32,
    /// 1-based paragraph (款) holding the item.
    pub paragraph: u32,
    pub item: u32,
    /// Who answers, as the paragraph says it (相关地方党委和政府主要领导成员).
    pub subject: String,
    /// The item's text, without its marker.
    pub text: String,
}

/// A form of accountability (追究形式) a framework lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormOfAccountability {
    /// 1, 2, … in the order listed.
    pub position: u32,
    /// 诫勉, 调离岗位, 组织处理 …
    pub name: String,
    /// The group the form belongs to (组织处理 for 免职), if any.
    pub group: Option<String>,
    pub article: u32,
    pub paragraph: u32,
}

fn is_colon(c: char) -> bool {
    matches!(c, ':' | '：')
}

/// Every situation of the text, in text order.
pub fn situations(reg: &Regulation) -> Vec<Situation> {
    let mut out = Vec::new();
    for article in reg.articles() {
        for (p, paragraph) in article.paragraphs.iter().enumerate() {
            if paragraph.items.is_empty() || !paragraph.text.contains("情形之一") {
                continue;
            }
            let subject = subject_of(&paragraph.text);
            for item in &paragraph.items {
                out.push(Situation {
                    article: article.number,
                    paragraph: p as u32 + 1,
                    item: item.number,
                    subject: subject.clone(),
                    text: item.text.clone(),
                });
            }
        }
    }
    out
}

/// Who a 「有下列情形之一的」 paragraph holds to account (see the module documentation).
pub fn subject_of(lead: &str) -> String {
    let named = lead.rfind("追究").and_then(|at| {
        let rest = &lead[at + "追究".len()..];
        let end = rest.find("的责任")?;
        let s = rest[..end].trim();
        (!s.is_empty() && s != "其").then(|| s.to_string())
    });
    named.unwrap_or_else(|| {
        let before = lead.split("有下列情形").next().unwrap_or(lead);
        before.trim_end_matches([',', '，', ' ']).trim().to_string()
    })
}

/// The forms of accountability of the text (see the module documentation); empty when no
/// paragraph lists them.
pub fn forms(reg: &Regulation) -> Vec<FormOfAccountability> {
    for article in reg.articles() {
        for (p, paragraph) in article.paragraphs.iter().enumerate() {
            let t = paragraph.text.as_str();
            let Some(list) = form_list(t) else {
                continue;
            };
            let mut out = Vec::new();
            let mut push = |name: &str, group: Option<&str>| {
                let name = name.trim().trim_end_matches('等').trim();
                if name.is_empty() {
                    return;
                }
                out.push(FormOfAccountability {
                    position: out.len() as u32 + 1,
                    name: name.to_string(),
                    group: group.map(str::to_string),
                    article: article.number,
                    paragraph: p as u32 + 1,
                });
            };
            for group in list.split([';', '；']) {
                let group = group.trim();
                let split = ["，包括", ",包括", "包括"]
                    .iter()
                    .find_map(|sep| group.split_once(sep));
                match split {
                    Some((head, members)) => {
                        let head = head.trim().trim_end_matches([',', '，']);
                        push(head, None);
                        for m in members.split(['、', ',', '，']) {
                            push(m, Some(head));
                        }
                    }
                    None => {
                        for m in group.split('、') {
                            push(m, None);
                        }
                    }
                }
            }
            if !out.is_empty() {
                return out;
            }
        }
    }
    Vec::new()
}

/// The list of a 「…形式有:」 sentence, without its full stop.
fn form_list(t: &str) -> Option<&str> {
    let marker = ["形式有", "方式有", "形式包括", "方式包括"]
        .iter()
        .find_map(|m| t.find(m).map(|at| at + m.len()))?;
    let rest = &t[marker..];
    let rest = rest.strip_prefix(is_colon).unwrap_or(rest);
    let end = rest.find('。').unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The short name a citation gives a framework: the kind of document its title ends with
/// (《党政领导干部生态环境损害责任追究办法(试行)》 → 办法), or the whole title when it ends with
/// none of them.
pub fn short_name(title: &str) -> String {
    let t = title.trim().trim_start_matches('《').trim_end_matches('》');
    let t = ["(试行)", "（试行）", "(暂行)", "（暂行）"]
        .iter()
        .fold(t, |t, s| t.strip_suffix(s).unwrap_or(t));
    const KINDS: &[&str] = &[
        "实施细则",
        "实施办法",
        "办法",
        "规定",
        "条例",
        "细则",
        "规则",
        "意见",
        "方案",
        "准则",
    ];
    KINDS
        .iter()
        .find(|k| t.ends_with(*k))
        .map(|k| k.to_string())
        .unwrap_or_else(|| t.to_string())
}

/// A provision of a framework other than the built-in one: 《办法》第五条第(七)项; the 款 is
/// named when the item is not in the article's first paragraph (《办法》第七条第二款第(一)项);
/// without an item, 《办法》第十条 / 《办法》第十条第二款.
pub fn cite_item(short: &str, article: u32, paragraph: u32, item: Option<u32>) -> String {
    let mut s = format!("《{short}》第{}条", to_chinese(article));
    if paragraph > 1 {
        s.push_str(&format!("第{}款", to_chinese(paragraph)));
    }
    if let Some(item) = item {
        s.push_str(&format!("第({})项", to_chinese(item)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_come_from_the_lead_paragraph() {
        assert_eq!(
            subject_of("有下列情形之一的,应当追究相关地方党委和政府主要领导成员的责任:"),
            "相关地方党委和政府主要领导成员"
        );
        assert_eq!(
            subject_of("党政领导干部利用职务影响,有下列情形之一的,应当追究其责任:"),
            "党政领导干部利用职务影响"
        );
        assert_eq!(
            subject_of("地方党政领导干部在生态环境保护工作中不履行职责,有下列情形之一的,应当依规依纪依法追究有关责任:"),
            "地方党政领导干部在生态环境保护工作中不履行职责"
        );
    }

    #[test]
    fn short_names_and_citations() {
        assert_eq!(
            short_name("党政领导干部生态环境损害责任追究办法(试行)"),
            "办法"
        );
        assert_eq!(short_name("《某省实施细则(试行)》"), "实施细则");
        assert_eq!(short_name("没有文种的标题"), "没有文种的标题");
        assert_eq!(cite_item("办法", 5, 1, Some(7)), "《办法》第五条第(七)项");
        assert_eq!(
            cite_item("办法", 7, 2, Some(1)),
            "《办法》第七条第二款第(一)项"
        );
        assert_eq!(cite_item("办法", 10, 1, None), "《办法》第十条");
    }

    #[test]
    fn form_lists_split_into_groups_and_members() {
        let t = "追究形式有:诫勉、责令公开道歉;组织处理,包括调离岗位、免职等;党纪政纪处分。";
        assert_eq!(
            form_list(t),
            Some("诫勉、责令公开道歉;组织处理,包括调离岗位、免职等;党纪政纪处分")
        );
        assert_eq!(form_list("本办法自发布之日起施行。"), None);
    }
}
