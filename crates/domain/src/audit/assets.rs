//! Natural-resource asset accounts (自然资源资产实物量账户): per region and year, lines of
//! category, indicator, unit, value and source — land by use, water resources, forest area and
//! stock, grassland, wetland, minerals, marine resources — as the departure audit compares them
//! between the start and the end of a tenure.
//!
//! The sheet (行政区划代码, 年度, 资源类别, 指标, 单位, 数值, 数据来源) is read all or nothing:
//! every problem of every row is reported naming the file, the line and the column. Rows of
//! one region and year make one account; an indicator given twice for the same region and year
//! is refused, since the account could not say which value holds.

use std::collections::{BTreeMap, HashMap};

use crate::region::RegionCode;
use crate::supervision::keyed_enum;
use crate::zoning::sheet::{cell, columns, SheetError};

keyed_enum! {
    /// The kinds of natural resource the audit covers (审计规定 第五条's list).
    AssetCategory {
        Land => "land", "土地资源",
        Water => "water", "水资源",
        Forest => "forest", "森林资源",
        Grassland => "grassland", "草原资源",
        Wetland => "wetland", "湿地资源",
        Mineral => "mineral", "矿产资源",
        Marine => "marine", "海洋资源",
    }
}

impl AssetCategory {
    pub fn name_en(self) -> &'static str {
        match self {
            AssetCategory::Land => "Land",
            AssetCategory::Water => "Water",
            AssetCategory::Forest => "Forest",
            AssetCategory::Grassland => "Grassland",
            AssetCategory::Wetland => "Wetland",
            AssetCategory::Mineral => "Minerals",
            AssetCategory::Marine => "Marine",
        }
    }

    /// A cell's category: the key, the Chinese name, or the name without 资源 (土地, 森林 …).
    pub fn parse_cell(s: &str) -> Result<AssetCategory, String> {
        let t = s.trim();
        AssetCategory::ALL
            .iter()
            .copied()
            .find(|c| c.key() == t || c.name_zh() == t || c.name_zh().trim_end_matches("资源") == t)
            .ok_or_else(|| {
                format!(
                    "资源类别「{t}」不可识别(应为 {})",
                    AssetCategory::ALL
                        .iter()
                        .map(|c| c.name_zh())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            })
    }
}

/// The longest indicator name, unit or source.
pub const MAX_CELL_CHARS: usize = 200;

/// One line of an account.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetLine {
    pub category: AssetCategory,
    /// 耕地面积, 森林蓄积量, 用水总量 …
    pub indicator: String,
    /// 公顷, 万立方米, 亿立方米 …
    pub unit: String,
    pub value: f64,
    /// Where the figure comes from (统计年鉴, 国土变更调查, 水资源公报 …).
    pub source: String,
}

/// One region's account of one year, as a sheet gives it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AccountSpec {
    pub region_code: RegionCode,
    pub year: i32,
    pub lines: Vec<AssetLine>,
}

/// The sheet's columns, in the order an export writes them.
pub const COLUMNS: [&str; 7] = [
    "行政区划代码",
    "年度",
    "资源类别",
    "指标",
    "单位",
    "数值",
    "数据来源",
];
const REQUIRED: [&str; 6] = ["行政区划代码", "年度", "资源类别", "指标", "单位", "数值"];

fn column(h: &str) -> Option<&'static str> {
    let h = h.trim().trim_start_matches('\u{FEFF}');
    match h {
        "行政区划代码" | "区划代码" | "region_code" => Some("行政区划代码"),
        "年度" | "年份" | "year" => Some("年度"),
        "资源类别" | "类别" | "资源类型" | "category" => Some("资源类别"),
        "指标" | "指标名称" | "indicator" => Some("指标"),
        "单位" | "计量单位" | "unit" => Some("单位"),
        "数值" | "数量" | "实物量" | "value" => Some("数值"),
        "数据来源" | "来源" | "source" => Some("数据来源"),
        _ => None,
    }
}

/// The years an account may be for.
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2100;

/// Reads the sheet into accounts (ordered by region and year), or every problem.
pub fn parse(
    file: &str,
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<AccountSpec>, Vec<SheetError>> {
    let at = columns(file, header, column, &REQUIRED, "自然资源资产账户表")?;
    let mut errors = Vec::new();
    let mut accounts: BTreeMap<(RegionCode, i32), Vec<AssetLine>> = BTreeMap::new();
    let mut seen: HashMap<(RegionCode, i32, AssetCategory, String), usize> = HashMap::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut err = |field: &str, message: String| {
            errors.push(SheetError {
                file: file.to_string(),
                line: *line,
                field: field.to_string(),
                message,
            })
        };
        let region = cell(&at, cells, "行政区划代码")
            .parse::<RegionCode>()
            .map_err(|e| err("行政区划代码", e.to_string()))
            .ok();
        let year_cell = cell(&at, cells, "年度");
        let year = match year_cell.trim_end_matches('年').parse::<i32>() {
            Ok(y) if YEARS.contains(&y) => Some(y),
            Ok(y) => {
                err("年度", format!("年度 {y} 不在 1949–2100 之间"));
                None
            }
            Err(_) => {
                err("年度", format!("「{year_cell}」不是年份(如 2024)"));
                None
            }
        };
        let category = AssetCategory::parse_cell(cell(&at, cells, "资源类别"))
            .map_err(|m| err("资源类别", m))
            .ok();
        let mut text = |field: &str, required: bool| -> Option<String> {
            let t = cell(&at, cells, field);
            if t.is_empty() && required {
                err(field, format!("须写{field}"));
                None
            } else if t.chars().count() > MAX_CELL_CHARS {
                err(field, format!("{field}超过 {MAX_CELL_CHARS} 个字符"));
                None
            } else {
                Some(t.to_string())
            }
        };
        let indicator = text("指标", true);
        let unit = text("单位", true);
        let source = text("数据来源", false);
        let value_cell = cell(&at, cells, "数值").replace([',', '，'], "");
        let value = match value_cell.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            Ok(_) => {
                err("数值", format!("「{value_cell}」须为不小于 0 的数"));
                None
            }
            Err(_) => {
                err("数值", format!("「{value_cell}」不是数值"));
                None
            }
        };
        if let (Some(region), Some(year), Some(category), Some(indicator), Some(unit)) =
            (region, year, category, indicator, unit)
        {
            let key = (region.clone(), year, category, indicator.clone());
            if let Some(first) = seen.insert(key, *line) {
                err(
                    "指标",
                    format!(
                        "{region} {year} 年「{}·{indicator}」与第 {first} 行重复",
                        category.name_zh()
                    ),
                );
                continue;
            }
            if let (Some(value), Some(source)) = (value, source) {
                accounts.entry((region, year)).or_default().push(AssetLine {
                    category,
                    indicator,
                    unit,
                    value,
                    source,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if accounts.is_empty() {
        return Err(vec![SheetError {
            file: file.to_string(),
            line: 1,
            field: "数值".into(),
            message: "表中没有账户行".into(),
        }]);
    }
    Ok(accounts
        .into_iter()
        .map(|((region_code, year), lines)| AccountSpec {
            region_code,
            year,
            lines,
        })
        .collect())
}

/// An account's rows in [`COLUMNS`] order, as [`parse`] reads them back.
pub fn rows(account: &AccountSpec) -> Vec<Vec<String>> {
    account
        .lines
        .iter()
        .map(|l| {
            vec![
                account.region_code.to_string(),
                account.year.to_string(),
                l.category.name_zh().to_string(),
                l.indicator.clone(),
                l.unit.clone(),
                l.value.to_string(),
                l.source.clone(),
            ]
        })
        .collect()
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
    fn rows_of_a_region_and_year_make_one_account_and_round_trip() {
        let rows_in = vec![
            row(
                2,
                &[
                    "410802",
                    "2023",
                    "土地",
                    "耕地面积",
                    "公顷",
                    "1,234.5",
                    "国土变更调查",
                ],
            ),
            row(
                3,
                &[
                    "410802",
                    "2023",
                    "森林资源",
                    "森林面积",
                    "公顷",
                    "800",
                    "林草年报",
                ],
            ),
            row(
                4,
                &["410802", "2024年", "forest", "森林面积", "公顷", "812", ""],
            ),
        ];
        let a = parse("a.csv", &header(), &rows_in).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!((a[0].year, a[0].lines.len()), (2023, 2));
        assert_eq!(a[0].lines[0].value, 1234.5);
        assert_eq!(a[1].lines[0].category, AssetCategory::Forest);
        let back: Vec<(usize, Vec<String>)> = a
            .iter()
            .flat_map(rows)
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect();
        assert_eq!(parse("b.csv", &header(), &back).unwrap(), a);
    }

    #[test]
    fn every_problem_is_named_with_its_line_and_column() {
        let rows_in = vec![
            row(2, &["41080", "2023", "土地", "耕地面积", "公顷", "1", ""]),
            row(3, &["410802", "23", "草", "耕地面积", "公顷", "-1", ""]),
            row(4, &["410802", "2023", "土地", "", "", "x", ""]),
            row(5, &["410802", "2024", "土地", "耕地面积", "公顷", "1", ""]),
            row(6, &["410802", "2024", "土地", "耕地面积", "公顷", "2", ""]),
        ];
        let e = parse("a.csv", &header(), &rows_in).unwrap_err();
        let at: Vec<(usize, &str)> = e.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert!(at.contains(&(2, "行政区划代码")), "{at:?}");
        assert!(at.contains(&(3, "年度")));
        assert!(at.contains(&(3, "资源类别")));
        assert!(at.contains(&(3, "数值")));
        assert!(at.contains(&(4, "指标")));
        assert!(at.contains(&(4, "单位")));
        assert!(at.contains(&(4, "数值")));
        let dup = e.iter().find(|e| e.line == 6).unwrap();
        assert!(dup.message.contains("第 5 行"), "{}", dup.message);
        assert!(e.iter().all(|e| e.file == "a.csv"));
    }

    #[test]
    fn a_missing_column_is_named_on_the_header_line() {
        let h: Vec<String> = ["行政区划代码", "年度", "指标"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = parse("a.xlsx", &h, &[]).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["资源类别", "单位", "数值"]);
        assert!(e.iter().all(|e| e.line == 1));
    }
}
