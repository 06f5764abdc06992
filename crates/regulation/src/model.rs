//! The regulation as data: chapters (章), articles (条), paragraphs (款) and items (项), and the
//! warnings raised while reading a transcription.
//!
//! Serialized, a [`Regulation`] is the JSON object `ecoduty framework parse --json` prints.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::citation::Citation;

/// A regulation read from a transcription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Regulation {
    /// The regulation's own title, e.g. 地方党政领导干部生态环境保护责任制规定(试行).
    pub title: String,
    /// The date of issue (发布) from the line under the title, where there is one.
    pub issued: Option<NaiveDate>,
    /// False when the text is cut off (a `truncated` warning says where).
    pub complete: bool,
    /// The chapters in the order they appear. A regulation without chapters has one chapter
    /// numbered 0 with an empty title.
    pub chapters: Vec<Chapter>,
    /// What looked wrong in the text. Nothing is corrected silently.
    pub warnings: Vec<Warning>,
}

/// 第…章.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chapter {
    /// 0 for the implicit chapter of a regulation without chapters.
    pub number: u32,
    pub title: String,
    pub articles: Vec<Article>,
}

/// 第…条.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    pub number: u32,
    /// The paragraphs (款), first to last.
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph (款) and the items it introduces (e.g. the 「…主要包括:」 paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paragraph {
    pub text: String,
    pub items: Vec<Item>,
}

/// An item (项): (一), (二), …; the text is without its marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub number: u32,
    pub text: String,
}

/// Something suspect in the transcription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    pub kind: WarningKind,
    /// The article concerned; `None` for a warning about the whole document.
    pub article: Option<u32>,
    /// What was seen and where, in Chinese, quoting the text.
    pub message: String,
}

/// The kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The text stops before the regulation does: a 「下转…版」 page note, a sentence cut off, or
    /// no entry-into-force article.
    Truncated,
    /// An article number is skipped (第三条 then 第五条).
    ArticleMissing,
    /// An article number comes after a higher or equal one.
    ArticleOutOfSequence,
    /// A chapter number is skipped or comes out of order.
    ChapterOutOfSequence,
    /// An item number is skipped or comes out of order within a paragraph.
    ItemOutOfSequence,
    /// A Latin word inside Chinese text (「方针政策 and 决策部署」).
    ForeignToken,
    /// A run of characters written twice in a row (「保护保护」).
    DoubledText,
    /// Text that belongs to no article (between a chapter heading and its first article).
    StrayText,
    /// No title line was found above the first chapter or article.
    MissingTitle,
}

impl WarningKind {
    /// The key used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            WarningKind::Truncated => "truncated",
            WarningKind::ArticleMissing => "article_missing",
            WarningKind::ArticleOutOfSequence => "article_out_of_sequence",
            WarningKind::ChapterOutOfSequence => "chapter_out_of_sequence",
            WarningKind::ItemOutOfSequence => "item_out_of_sequence",
            WarningKind::ForeignToken => "foreign_token",
            WarningKind::DoubledText => "doubled_text",
            WarningKind::StrayText => "stray_text",
            WarningKind::MissingTitle => "missing_title",
        }
    }
}

impl Regulation {
    /// Every article in text order, across chapters.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.chapters.iter().flat_map(|c| c.articles.iter())
    }

    /// The first article with this number.
    pub fn article(&self, number: u32) -> Option<&Article> {
        self.articles().find(|a| a.number == number)
    }

    /// The chapter holding the first article with this number.
    pub fn chapter_of(&self, article: u32) -> Option<&Chapter> {
        self.chapters
            .iter()
            .find(|c| c.articles.iter().any(|a| a.number == article))
    }

    /// The warnings of one kind.
    pub fn warnings_of(&self, kind: WarningKind) -> impl Iterator<Item = &Warning> {
        self.warnings.iter().filter(move |w| w.kind == kind)
    }
}

impl Article {
    /// The text of the whole article: paragraphs and their items, one per line.
    pub fn full_text(&self) -> String {
        let mut out = Vec::new();
        for p in &self.paragraphs {
            if !p.text.is_empty() {
                out.push(p.text.clone());
            }
            for item in &p.items {
                out.push(item.full_text());
            }
        }
        out.join("\n")
    }

    /// The citation of paragraph `paragraph` (1-based), e.g. 第五条第二款, or 第九条 when the
    /// article has a single paragraph.
    pub fn cite_paragraph(&self, paragraph: u32) -> Citation {
        Citation::new(self.number, paragraph, None, self.paragraphs.len())
    }
}

impl Paragraph {
    /// A paragraph without items.
    pub fn plain(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            items: Vec::new(),
        }
    }
}

impl Item {
    /// The item with its marker, as printed: (四)组织推动….
    pub fn full_text(&self) -> String {
        format!(
            "({}){}",
            crate::numerals::to_chinese(self.number),
            self.text
        )
    }
}
