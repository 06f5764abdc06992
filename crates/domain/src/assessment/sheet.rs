//! The scheme as the sheet it is published in (考核细则): one row per item, in the columns
//! 项目, 分值, 考核内容, 评分标准, 负责考核部门, and for the software 序号, 项目类型, 规则类型,
//! 参数, 条款 (English headers are read too). Every row is checked and every problem of every
//! row reported with its line and column, so an import is all or nothing.
//!
//! A row without a rule type is a manual item: the scoring organisation enters its result.

use std::collections::HashMap;

use super::fmt_points;
use super::scheme::{Item, ItemKind, Rule};
use crate::roster::RowError;

/// The columns an export writes, in order.
pub const COLUMNS: [&str; 10] = [
    "序号",
    "项目",
    "项目类型",
    "考核内容",
    "分值",
    "评分标准",
    "负责考核部门",
    "规则类型",
    "参数",
    "条款",
];

/// The columns a sheet must have.
const REQUIRED: [&str; 5] = ["项目", "分值", "考核内容", "评分标准", "负责考核部门"];

/// English headers, read as their Chinese columns.
const ENGLISH: [(&str, &str); 10] = [
    ("code", "序号"),
    ("category", "项目"),
    ("kind", "项目类型"),
    ("content", "考核内容"),
    ("points", "分值"),
    ("scoring_rule", "评分标准"),
    ("scorer", "负责考核部门"),
    ("rule", "规则类型"),
    ("params", "参数"),
    ("citations", "条款"),
];

fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{FEFF}');
    COLUMNS
        .iter()
        .find(|c| **c == h)
        .copied()
        .or_else(|| {
            ENGLISH
                .iter()
                .find(|(e, _)| e.eq_ignore_ascii_case(h))
                .map(|(_, c)| *c)
        })
        .or(match h {
            "考核指标" | "考核内容/指标" | "考核内容及指标" => Some("考核内容"),
            "考核部门" | "牵头考核部门" => Some("负责考核部门"),
            "类别" | "考核项目" => Some("项目"),
            _ => None,
        })
}

/// Splits the citations cell: 、 , ; and line breaks.
fn split_citations(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '\u{FF0C}', ';', '\u{FF1B}', '\n'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads a citation: an article of the regulation (第十四条, 第八条第二项) is checked against
/// its text and written in its canonical form; anything else (another document) is kept as
/// written.
fn citation(s: &str) -> Result<String, String> {
    if s.starts_with('第') && (s.ends_with('条') || s.ends_with('款') || s.ends_with('项')) {
        return crate::supervision::tasks::cite_article(s).map(|c| c.zh());
    }
    Ok(s.to_string())
}

/// Reads a scheme sheet into items; every problem of every row fails it, each named.
pub fn parse_items(
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<Item>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut at: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = column_of(h) {
            at.entry(c).or_insert(i);
        }
    }
    for c in REQUIRED {
        if !at.contains_key(c) {
            errors.push(RowError {
                line: 1,
                field: c.to_string(),
                message: format!("缺少列「{c}」(考核细则须有 {} 列)", REQUIRED.join("、")),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut items: Vec<Item> = Vec::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut category = String::new();
    for (n, (line, cells)) in rows.iter().enumerate() {
        let cell = |c: &str| -> &str {
            at.get(c)
                .and_then(|i| cells.get(*i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut err = |field: &str, message: String| {
            errors.push(RowError {
                line: *line,
                field: field.to_string(),
                message,
            })
        };
        // A merged 项目 cell (as sheets print categories) leaves the rows below it empty.
        if !cell("项目").is_empty() {
            category = cell("项目").to_string();
        }
        if category.is_empty() {
            err("项目", "须写所属项目(类别)".into());
        }
        let code = match cell("序号") {
            "" => (n + 1).to_string(),
            c => c.to_string(),
        };
        if let Some(first) = codes.insert(code.clone(), *line) {
            err("序号", format!("序号 {code} 与第 {first} 行重复"));
        }
        let content = cell("考核内容").to_string();
        if content.is_empty() {
            err("考核内容", "须写考核内容".into());
        }
        let kind = match ItemKind::parse(cell("项目类型")) {
            Ok(k) => k,
            Err(e) => {
                err("项目类型", e);
                ItemKind::Base
            }
        };
        let points = match cell("分值") {
            "" if kind == ItemKind::Veto => 0.0,
            "" => {
                err("分值", "须写分值".into());
                0.0
            }
            s => match s.trim_end_matches('分').parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                _ => {
                    err("分值", format!("{s:?} 不是分值(非负数)"));
                    0.0
                }
            },
        };
        if kind == ItemKind::Veto && points != 0.0 {
            err("分值", "一票否决项不计分,分值留空或填 0".into());
        }
        let rule = match cell("规则类型") {
            "" if kind == ItemKind::Veto => Ok(Rule::Veto),
            "" => Ok(Rule::Manual),
            r => Rule::parse(r, cell("参数")),
        };
        let rule = match rule {
            Ok(r) => r,
            Err(e) => {
                let field = if e.starts_with("参数") || e.contains("参数") {
                    "参数"
                } else {
                    "规则类型"
                };
                err(field, e);
                Rule::Manual
            }
        };
        let veto_rule = matches!(rule, Rule::Veto | Rule::Emergency { .. });
        if kind == ItemKind::Veto && !veto_rule {
            err("规则类型", "一票否决项用 veto 或 emergency 规则".into());
        }
        if kind != ItemKind::Veto && rule == Rule::Veto {
            err("规则类型", "veto 规则只用于一票否决项".into());
        }
        if kind == ItemKind::Bonus && !matches!(rule, Rule::Manual) {
            err(
                "规则类型",
                "加分项由负责考核部门人工评定(规则类型留空或填 manual)".into(),
            );
        }
        let scorer = cell("负责考核部门").to_string();
        if scorer.is_empty() {
            err("负责考核部门", "须写负责考核的部门".into());
        }
        let mut citations = Vec::new();
        for c in split_citations(cell("条款")) {
            match citation(&c) {
                Ok(c) => citations.push(c),
                Err(e) => err("条款", e),
            }
        }
        items.push(Item {
            code,
            category: category.clone(),
            content,
            kind,
            points,
            rule,
            scoring_text: cell("评分标准").to_string(),
            scorer,
            citations,
        });
    }
    if items.is_empty() && errors.is_empty() {
        errors.push(RowError {
            line: 1,
            field: "考核内容".into(),
            message: "考核细则没有任何考核项目".into(),
        });
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// The sheet's rows for an export, in [`COLUMNS`] order; [`parse_items`] reads them back.
pub fn item_rows(items: &[Item]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|i| {
            vec![
                i.code.clone(),
                i.category.clone(),
                i.kind.name_zh().to_string(),
                i.content.clone(),
                fmt_points(i.points),
                i.scoring_text.clone(),
                i.scorer.clone(),
                i.rule.key().to_string(),
                i.rule.params(),
                i.citations.join("、"),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn header() -> Vec<String> {
        s(&[
            "项目",
            "分值",
            "考核内容",
            "评分标准",
            "负责考核部门",
            "规则类型",
            "参数",
            "条款",
        ])
    }

    #[test]
    fn a_published_sheet_reads_into_items() {
        let rows = vec![
            (
                2,
                s(&[
                    "环境质量",
                    "10",
                    "PM2.5 年均浓度",
                    "达到目标得满分,每超 1 微克扣 2 分",
                    "市生态环境局",
                    "indicator",
                    "indicator=pm25_annual_mean;deduct=2",
                    "第十四条",
                ]),
            ),
            // The category cell merged over the row below.
            (
                3,
                s(&[
                    "",
                    "5",
                    "优良天数比率",
                    "每低 1 个百分点扣 1 分",
                    "市生态环境局",
                    "指标",
                    "indicator=good_day_ratio",
                    "",
                ]),
            ),
            (
                4,
                s(&[
                    "督察整改",
                    "10",
                    "按期完成整改",
                    "逾期一个扣 1 分",
                    "市委督查室",
                    "rectification",
                    "",
                    "第十三条、第八条第二项",
                ]),
            ),
            (
                5,
                s(&[
                    "群众满意度",
                    "5",
                    "满意度调查",
                    "按调查结果折算",
                    "市统计局",
                    "",
                    "",
                    "",
                ]),
            ),
        ];
        let items = parse_items(&header(), &rows).unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items[1].category, "环境质量");
        assert_eq!(items[1].code, "2");
        assert_eq!(items[2].citations, vec!["第十三条", "第八条第二项"]);
        assert_eq!(items[3].rule, Rule::Manual);
        // What an export writes reads back the same.
        let mut out_header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        out_header.reverse();
        let back: Vec<(usize, Vec<String>)> = item_rows(&items)
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.reverse();
                (i + 2, r)
            })
            .collect();
        assert_eq!(parse_items(&out_header, &back).unwrap(), items);
    }

    #[test]
    fn every_problem_is_named_by_line_and_field() {
        let rows = vec![
            (
                2,
                s(&[
                    "环境质量",
                    "十",
                    "PM2.5",
                    "",
                    "市生态环境局",
                    "indicator",
                    "indicator=pm25_annual_mean;deduct=x",
                    "",
                ]),
            ),
            (3, s(&["", "5", "", "", "", "weather", "", "第九十九条"])),
        ];
        let errors = parse_items(&header(), &rows).unwrap_err();
        let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert!(named.contains(&(2, "分值")), "{errors:?}");
        assert!(named.contains(&(2, "参数")), "{errors:?}");
        assert!(named.contains(&(3, "考核内容")), "{errors:?}");
        assert!(named.contains(&(3, "负责考核部门")), "{errors:?}");
        assert!(named.contains(&(3, "规则类型")), "{errors:?}");
        assert!(named.contains(&(3, "条款")), "{errors:?}");
    }

    #[test]
    fn missing_columns_and_duplicate_numbers_are_refused() {
        let errors = parse_items(&s(&["项目", "分值"]), &[]).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "负责考核部门"));
        let h = s(&[
            "序号",
            "项目",
            "分值",
            "考核内容",
            "评分标准",
            "负责考核部门",
        ]);
        let rows = vec![
            (2, s(&["1", "a", "5", "x", "", "y"])),
            (3, s(&["1", "a", "5", "z", "", "y"])),
        ];
        let errors = parse_items(&h, &rows).unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("第 2 行"), "{errors:?}");
    }

    #[test]
    fn veto_items_carry_no_points() {
        let h = s(&[
            "项目",
            "项目类型",
            "分值",
            "考核内容",
            "评分标准",
            "负责考核部门",
        ]);
        let ok = vec![(
            2,
            s(&[
                "否决事项",
                "一票否决",
                "",
                "发生重大突发环境事件",
                "",
                "市生态环境局",
            ]),
        )];
        let items = parse_items(&h, &ok).unwrap();
        assert_eq!(items[0].rule, Rule::Veto);
        let bad = vec![(
            2,
            s(&["否决事项", "一票否决", "5", "数据造假", "", "市生态环境局"]),
        )];
        assert!(parse_items(&h, &bad).unwrap_err()[0].field == "分值");
    }
}
