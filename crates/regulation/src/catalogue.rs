//! The duty catalogue: which provision of the regulation binds which post type, and the
//! responsibility list (责任清单) of each post built from it.
//!
//! [`DUTY_TABLE`] is the one place the mapping lives. A paragraph that introduces items
//! (「…职责主要包括:」) is not itself a duty: each of its items is one. Every other paragraph
//! in scope is one duty.

use serde::{Deserialize, Serialize};

use crate::citation::Citation;
use crate::model::Regulation;
use crate::roles::Role;

/// The part of an article a [`Binding`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every paragraph (and so every item) of the article.
    Article,
    /// One paragraph (款), 1-based.
    Paragraph(u32),
}

/// One row of the duty table: this part of this article binds these post types. Serialize
/// only: the table is a constant of the crate, not something read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Binding {
    pub article: u32,
    pub scope: Scope,
    pub roles: &'static [Role],
}

const LEADERSHIP: &[Role] = &Role::LEADERSHIP;

/// Which article binds whom.
///
/// | provision | binds | what it says |
/// |---|---|---|
/// | 第五条第二款 | all leadership roles ([`Role::LEADERSHIP`]) | principal heads are 第一责任人; other members bear leadership responsibility for their portfolios |
/// | 第五条第三款 | eco_department_head, sector_department_head | the eco-environment department bears direct responsibility; sector departments for their sectors |
/// | 第六条, item by item | party_secretary | 地方党委主要负责人 |
/// | 第七条, item by item | government_head | 县级以上地方政府主要负责人 |
/// | 第八条, item by item | deputy_eco | 政府分管生态环境保护负责人 |
/// | 第九条 | deputy_sector | 政府分管重要生态环境保护职责相关部门的负责人 |
/// | 第十条 | all leadership roles | 党委和政府领导班子成员按照职责分工… |
/// | 第十一条 | eco_department_head | 市级以上地方生态环境部门负责人 |
/// | 第十二条 | sector_department_head | 承担重要生态环境保护职责的部门负责人 |
pub const DUTY_TABLE: &[Binding] = &[
    Binding {
        article: 5,
        scope: Scope::Paragraph(2),
        roles: LEADERSHIP,
    },
    Binding {
        article: 5,
        scope: Scope::Paragraph(3),
        roles: &[Role::EcoDepartmentHead, Role::SectorDepartmentHead],
    },
    Binding {
        article: 6,
        scope: Scope::Article,
        roles: &[Role::PartySecretary],
    },
    Binding {
        article: 7,
        scope: Scope::Article,
        roles: &[Role::GovernmentHead],
    },
    Binding {
        article: 8,
        scope: Scope::Article,
        roles: &[Role::DeputyEco],
    },
    Binding {
        article: 9,
        scope: Scope::Article,
        roles: &[Role::DeputySector],
    },
    Binding {
        article: 10,
        scope: Scope::Article,
        roles: LEADERSHIP,
    },
    Binding {
        article: 11,
        scope: Scope::Article,
        roles: &[Role::EcoDepartmentHead],
    },
    Binding {
        article: 12,
        scope: Scope::Article,
        roles: &[Role::SectorDepartmentHead],
    },
];

/// One duty: a provision and the post types it binds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyClause {
    /// 第七条第四项, 第九条, 第五条第二款.
    pub citation: String,
    /// 7.1.4, 9.1, 5.2 (article.paragraph[.item]).
    pub key: String,
    pub article: u32,
    pub paragraph: u32,
    pub item: Option<u32>,
    /// The provision's text, without its item marker.
    pub text: String,
    pub roles: Vec<Role>,
}

/// Every duty the regulation assigns, in the order of the table. Provisions the text lacks
/// (a truncated transcription) yield nothing.
pub fn duties(reg: &Regulation) -> Vec<DutyClause> {
    let mut out: Vec<DutyClause> = Vec::new();
    for binding in DUTY_TABLE {
        let Some(article) = reg.article(binding.article) else {
            continue;
        };
        let count = article.paragraphs.len();
        for (index, paragraph) in article.paragraphs.iter().enumerate() {
            let number = index as u32 + 1;
            if matches!(binding.scope, Scope::Paragraph(p) if p != number) {
                continue;
            }
            let provisions: Vec<(Option<u32>, &str)> = if paragraph.items.is_empty() {
                vec![(None, paragraph.text.as_str())]
            } else {
                paragraph
                    .items
                    .iter()
                    .map(|i| (Some(i.number), i.text.as_str()))
                    .collect()
            };
            for (item, text) in provisions {
                let cite = Citation::new(article.number, number, item, count);
                let key = cite.key();
                match out.iter_mut().find(|d| d.key == key) {
                    Some(existing) => {
                        for role in binding.roles {
                            if !existing.roles.contains(role) {
                                existing.roles.push(*role);
                            }
                        }
                    }
                    None => out.push(DutyClause {
                        citation: cite.zh(),
                        key,
                        article: article.number,
                        paragraph: number,
                        item,
                        text: text.to_string(),
                        roles: binding.roles.to_vec(),
                    }),
                }
            }
        }
    }
    out
}

/// The responsibility list (责任清单) of one post type.
pub fn duties_for(reg: &Regulation, role: Role) -> Vec<DutyClause> {
    duties(reg)
        .into_iter()
        .filter(|d| d.roles.contains(&role))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_is_bound_by_its_own_article() {
        for role in Role::ALL {
            assert!(
                DUTY_TABLE
                    .iter()
                    .any(|b| b.article == role.article() && b.roles.contains(&role)),
                "{role} is not bound by 第{}条",
                role.article()
            );
        }
    }
}
