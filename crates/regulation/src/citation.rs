//! How a provision is cited: 第七条第四项, 第九条, 第五条第二款, and the machine key 7.1.4.
//!
//! Chinese legal citation names the paragraph (款) only when the article has more than one;
//! an item (项) of a single-paragraph article is 第七条第四项, of a multi-paragraph article
//! 第五条第二款第一项. The machine key always spells out article.paragraph[.item].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::numerals::to_chinese;

/// The place of a provision in the regulation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Citation {
    pub article: u32,
    /// 1-based paragraph (款).
    pub paragraph: u32,
    /// 项, where the provision is an item.
    pub item: Option<u32>,
    /// Whether the article has more than one paragraph (then the 款 is named).
    pub multi_paragraph: bool,
}

impl Citation {
    /// `paragraphs_in_article` decides whether the citation names the 款.
    pub fn new(
        article: u32,
        paragraph: u32,
        item: Option<u32>,
        paragraphs_in_article: usize,
    ) -> Self {
        Citation {
            article,
            paragraph,
            item,
            multi_paragraph: paragraphs_in_article > 1,
        }
    }

    /// 第七条第四项 / 第九条 / 第五条第二款 / 第五条第二款第一项.
    pub fn zh(&self) -> String {
        let mut s = format!("第{}条", to_chinese(self.article));
        if self.multi_paragraph {
            s.push_str(&format!("第{}款", to_chinese(self.paragraph)));
        }
        if let Some(item) = self.item {
            s.push_str(&format!("第{}项", to_chinese(item)));
        }
        s
    }

    /// 7.1.4 / 9.1 / 5.2.
    pub fn key(&self) -> String {
        match self.item {
            Some(item) => format!("{}.{}.{}", self.article, self.paragraph, item),
            None => format!("{}.{}", self.article, self.paragraph),
        }
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh())
    }
}

/// 第二十条.
pub fn article_zh(article: u32) -> String {
    format!("第{}条", to_chinese(article))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cites_items_paragraphs_and_articles() {
        assert_eq!(Citation::new(7, 1, Some(4), 1).zh(), "第七条第四项");
        assert_eq!(Citation::new(7, 1, Some(4), 1).key(), "7.1.4");
        assert_eq!(Citation::new(9, 1, None, 1).zh(), "第九条");
        assert_eq!(Citation::new(9, 1, None, 1).key(), "9.1");
        assert_eq!(Citation::new(5, 2, None, 3).zh(), "第五条第二款");
        assert_eq!(Citation::new(5, 2, None, 3).key(), "5.2");
        assert_eq!(
            Citation::new(18, 2, Some(1), 2).zh(),
            "第十八条第二款第一项"
        );
        assert_eq!(article_zh(103), "第一百零三条");
    }
}
