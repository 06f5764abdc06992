//! Risk sources (重点环境风险源 / 企业): the enterprises whose accidents would be emergencies,
//! graded as 《企业突发环境事件风险分级方法》(HJ 941-2018) grades them — 一般、较大、重大环境风险 —
//! and the sheet they are kept in (名称, 区划代码, 行业代码, 风险物质, 风险等级, 地址,
//! 统一社会信用代码). A sheet is read all or nothing: every problem of every row is reported
//! with its line and column.

use std::collections::HashMap;

use crate::region::RegionCode;
use crate::roster::RowError;
use crate::supervision::keyed_enum;

keyed_enum! {
    /// The environmental risk grade of an enterprise (HJ 941-2018).
    RiskGrade {
        General => "general", "一般环境风险",
        Large => "large", "较大环境风险",
        Major => "major", "重大环境风险",
    }
}

impl RiskGrade {
    /// Reads the grade as sheets write it: with or without 环境风险 (一般/较大/重大), or its key.
    pub fn parse_cell(s: &str) -> Result<RiskGrade, String> {
        let t = s.trim();
        if let Ok(g) = t.parse::<RiskGrade>() {
            return Ok(g);
        }
        RiskGrade::ALL
            .iter()
            .copied()
            .find(|g| g.name_zh().trim_end_matches("环境风险") == t.trim_end_matches("风险"))
            .ok_or_else(|| format!("{t:?} 不是风险等级:填 一般、较大 或 重大(环境风险)"))
    }
}

/// A risk source as a sheet row gives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskSourceSpec {
    pub name: String,
    pub region_code: RegionCode,
    /// 统一社会信用代码 (18 characters), where known: the key a re-import matches on.
    pub credit_code: Option<String>,
    /// GB/T 4754 国民经济行业分类 code (a letter and up to four digits: C2614).
    pub industry: String,
    /// 风险物质: the substances that make it a risk (液氯, 硫酸 …).
    pub substances: Vec<String>,
    pub grade: RiskGrade,
    pub address: String,
}

/// The columns an export writes, in order.
pub const COLUMNS: [&str; 7] = [
    "名称",
    "区划代码",
    "行业代码",
    "风险物质",
    "风险等级",
    "地址",
    "统一社会信用代码",
];

const REQUIRED: [&str; 5] = ["名称", "区划代码", "行业代码", "风险物质", "风险等级"];

const ENGLISH: [(&str, &str); 7] = [
    ("name", "名称"),
    ("region_code", "区划代码"),
    ("industry", "行业代码"),
    ("substances", "风险物质"),
    ("grade", "风险等级"),
    ("address", "地址"),
    ("credit_code", "统一社会信用代码"),
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
            "企业名称" | "单位名称" | "风险源名称" => Some("名称"),
            "行政区划代码" | "所在区划" => Some("区划代码"),
            "行业类别代码" | "国民经济行业代码" => Some("行业代码"),
            "主要风险物质" | "环境风险物质" => Some("风险物质"),
            "环境风险等级" | "风险级别" => Some("风险等级"),
            "详细地址" => Some("地址"),
            "信用代码" => Some("统一社会信用代码"),
            _ => None,
        })
}

/// Checks a GB/T 4754 industry code: a section letter (A–T) and up to four digits.
pub fn check_industry(code: &str) -> Result<String, String> {
    let t = code.trim().to_ascii_uppercase();
    let mut chars = t.chars();
    let ok = matches!(chars.next(), Some('A'..='T'))
        && t.len() <= 5
        && chars.all(|c| c.is_ascii_digit());
    if ok {
        Ok(t)
    } else {
        Err(format!(
            "{code:?} 不是国民经济行业分类代码(GB/T 4754:门类字母加至多四位数字,如 C2614)"
        ))
    }
}

/// Checks a 统一社会信用代码: 18 characters of digits and capital letters (no I, O, S, V, Z).
fn check_credit_code(code: &str) -> Result<String, String> {
    let t = code.trim().to_ascii_uppercase();
    let ok = t.chars().count() == 18
        && t.chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"IOSVZ".contains(c)));
    if ok {
        Ok(t)
    } else {
        Err(format!("{code:?} 不是18位统一社会信用代码"))
    }
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '\u{FF0C}', ';', '\u{FF1B}', '\n'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads a risk-source sheet; every problem of every row fails it, each named.
pub fn parse_sheet(
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<RiskSourceSpec>, Vec<RowError>> {
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
                message: format!("缺少列「{c}」(风险源名录须有 {} 列)", REQUIRED.join("、")),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    let mut credit_lines: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: &str| -> &str {
            at.get(c)
                .and_then(|i| cells.get(*i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let mut err = |field: &str, message: String| {
            errors.push(RowError {
                line: *line,
                field: field.to_string(),
                message,
            })
        };
        let name = cell("名称");
        if name.is_empty() {
            err("名称", "须写风险源(企业)名称".into());
        }
        let region = match cell("区划代码").parse::<RegionCode>() {
            Ok(r) => Some(r),
            Err(e) => {
                err("区划代码", e.to_string());
                None
            }
        };
        let industry = check_industry(cell("行业代码")).map_err(|m| err("行业代码", m));
        let substances = split_list(cell("风险物质"));
        if substances.is_empty() {
            err("风险物质", "须写至少一种风险物质".into());
        }
        let grade = RiskGrade::parse_cell(cell("风险等级")).map_err(|m| err("风险等级", m));
        let credit = match cell("统一社会信用代码") {
            "" => Ok(None),
            c => check_credit_code(c).map(Some),
        };
        let credit = match credit {
            Ok(Some(c)) => {
                if let Some(first) = credit_lines.insert(c.clone(), *line) {
                    err(
                        "统一社会信用代码",
                        format!("统一社会信用代码 {c} 与第 {first} 行重复"),
                    );
                }
                Ok(Some(c))
            }
            Ok(None) => Ok(None),
            Err(m) => {
                err("统一社会信用代码", m);
                Err(())
            }
        };
        if let (Some(region), Ok(industry), Ok(grade), Ok(credit_code), false) = (
            region,
            industry,
            grade,
            credit,
            name.is_empty() || substances.is_empty(),
        ) {
            out.push(RiskSourceSpec {
                name: name.to_string(),
                region_code: region,
                credit_code,
                industry,
                substances,
                grade,
                address: cell("地址").to_string(),
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A risk source as a sheet row writes it, in [`COLUMNS`] order.
pub fn sheet_row(s: &RiskSourceSpec) -> Vec<String> {
    vec![
        s.name.clone(),
        s.region_code.to_string(),
        s.industry.clone(),
        s.substances.join("、"),
        s.grade.name_zh().to_string(),
        s.address.clone(),
        s.credit_code.clone().unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<String> {
        COLUMNS.iter().map(|s| s.to_string()).collect()
    }

    fn row(line: usize, cells: &[&str]) -> (usize, Vec<String>) {
        (line, cells.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_sheet_reads_and_writes_back_the_same() {
        let rows = vec![row(
            2,
            &[
                "某化工有限公司",
                "410823",
                "c2614",
                "液氯、硫酸",
                "较大",
                "武陟县产业集聚区",
                "91410823MA3X00001K",
            ],
        )];
        let specs = parse_sheet(&header(), &rows).unwrap();
        assert_eq!(specs.len(), 1);
        let s = &specs[0];
        assert_eq!(s.industry, "C2614");
        assert_eq!(s.grade, RiskGrade::Large);
        assert_eq!(s.substances, vec!["液氯", "硫酸"]);
        let again = parse_sheet(&header(), &[(2, sheet_row(s))]).unwrap();
        assert_eq!(again, specs);
    }

    #[test]
    fn every_bad_cell_is_named_with_its_line() {
        let rows = vec![
            row(2, &["", "4108", "X12", "", "很大", "", "123"]),
            row(
                3,
                &[
                    "甲",
                    "410823",
                    "C26",
                    "氨",
                    "重大环境风险",
                    "",
                    "91410823MA3X00001K",
                ],
            ),
            row(
                4,
                &[
                    "乙",
                    "410823",
                    "C26",
                    "氨",
                    "一般",
                    "",
                    "91410823MA3X00001K",
                ],
            ),
        ];
        let errors = parse_sheet(&header(), &rows).unwrap_err();
        let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert!(named.contains(&(2, "名称")));
        assert!(named.contains(&(2, "行业代码")));
        assert!(named.contains(&(2, "风险物质")));
        assert!(named.contains(&(2, "风险等级")));
        assert!(named.contains(&(2, "统一社会信用代码")));
        assert!(named.contains(&(4, "统一社会信用代码")), "{errors:?}");
        assert!(!named.iter().any(|(l, _)| *l == 3));
        let missing = parse_sheet(&["名称".to_string()], &[]).unwrap_err();
        assert!(missing.iter().any(|e| e.field == "风险等级"));
    }
}
