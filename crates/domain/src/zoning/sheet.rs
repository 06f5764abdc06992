//! The published sheets of zoning control, read all or nothing and written back in the same
//! layout: a units sheet (单元编码, 单元名称, 行政区划代码, 管控类别, and optionally 边界 as
//! GeoJSON) and a clauses sheet (单元编码, 管控维度, 条款, 管控要求 (禁止/限制/允许), 行业代码).
//! Every problem of every row of both files is reported, naming the file, the line and the
//! column; one problem and nothing is imported.

use std::collections::HashMap;
use std::fmt;

use super::geometry::Boundary;
use super::{check_unit_code, Clause, Dimension, Effect, IndustryCode, UnitCategory, UnitSpec};
use crate::region::RegionCode;
use crate::roster::RowError;

/// The longest clause text.
pub const MAX_CLAUSE_CHARS: usize = 4_000;

/// The units sheet's columns, in the order an export writes them.
pub const UNIT_COLUMNS: [&str; 5] = ["单元编码", "单元名称", "行政区划代码", "管控类别", "边界"];
const UNIT_REQUIRED: [&str; 4] = ["单元编码", "单元名称", "行政区划代码", "管控类别"];

/// The clauses sheet's columns, in the order an export writes them.
pub const CLAUSE_COLUMNS: [&str; 5] = ["单元编码", "管控维度", "条款", "管控要求", "行业代码"];
const CLAUSE_REQUIRED: [&str; 4] = ["单元编码", "管控维度", "条款", "管控要求"];

/// A problem in a sheet: the file, its line (the header is line 1) and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SheetError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, line {}, {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

impl SheetError {
    /// As a row error of the web's tables, the file named with the column.
    pub fn into_row(self) -> RowError {
        RowError {
            line: self.line,
            field: format!("{} · {}", self.file, self.field),
            message: self.message,
        }
    }
}

fn unit_column(h: &str) -> Option<&'static str> {
    let h = h.trim().trim_start_matches('\u{FEFF}');
    match h {
        "单元编码" | "环境管控单元编码" | "管控单元编码" | "code" | "unit_code" => {
            Some("单元编码")
        }
        "单元名称" | "环境管控单元名称" | "管控单元名称" | "name" => {
            Some("单元名称")
        }
        "行政区划代码" | "区划代码" | "region_code" => Some("行政区划代码"),
        "管控类别" | "单元类别" | "管控单元类别" | "category" => Some("管控类别"),
        "边界" | "边界(GeoJSON)" | "边界（GeoJSON）" | "boundary" | "geometry" => {
            Some("边界")
        }
        _ => None,
    }
}

fn clause_column(h: &str) -> Option<&'static str> {
    let h = h.trim().trim_start_matches('\u{FEFF}');
    match h {
        "单元编码" | "环境管控单元编码" | "管控单元编码" | "unit_code" => {
            Some("单元编码")
        }
        "管控维度" | "清单维度" | "dimension" => Some("管控维度"),
        "条款" | "条款内容" | "管控要求内容" | "清单内容" | "text" => Some("条款"),
        "管控要求"
        | "管控要求(禁止/限制/允许)"
        | "管控要求（禁止/限制/允许）"
        | "准入要求"
        | "effect" => Some("管控要求"),
        "行业代码"
        | "行业代码(GB/T 4754)"
        | "行业代码（GB/T 4754）"
        | "国民经济行业代码"
        | "industries" => Some("行业代码"),
        _ => None,
    }
}

/// The columns found, or every missing required one named (the asset accounts' sheet reads
/// its header with it too).
pub(crate) fn columns(
    file: &str,
    header: &[String],
    of: fn(&str) -> Option<&'static str>,
    required: &[&str],
    what: &str,
) -> Result<HashMap<&'static str, usize>, Vec<SheetError>> {
    let mut at = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = of(h) {
            at.entry(c).or_insert(i);
        }
    }
    let missing: Vec<SheetError> = required
        .iter()
        .filter(|c| !at.contains_key(**c))
        .map(|c| SheetError {
            file: file.to_string(),
            line: 1,
            field: c.to_string(),
            message: format!("缺少列「{c}」({what}须有 {} 列)", required.join("、")),
        })
        .collect();
    if missing.is_empty() {
        Ok(at)
    } else {
        Err(missing)
    }
}

pub(crate) fn cell<'a>(at: &HashMap<&'static str, usize>, cells: &'a [String], c: &str) -> &'a str {
    at.get(c)
        .and_then(|i| cells.get(*i))
        .map(|s| s.trim())
        .unwrap_or("")
}

/// Reads the units sheet (the units without their clauses).
pub fn parse_units(
    file: &str,
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<(usize, UnitSpec)>, Vec<SheetError>> {
    let at = columns(file, header, unit_column, &UNIT_REQUIRED, "管控单元表")?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
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
        let name = cell(&at, cells, "单元名称");
        if name.is_empty() {
            err("单元名称", "须写管控单元名称".into());
        } else if name.chars().count() > 200 {
            err("单元名称", "名称超过 200 个字符".into());
        }
        let region = match cell(&at, cells, "行政区划代码").parse::<RegionCode>() {
            Ok(r) => Some(r),
            Err(e) => {
                err("行政区划代码", e.to_string());
                None
            }
        };
        let category = UnitCategory::parse_cell(cell(&at, cells, "管控类别"))
            .map_err(|m| err("管控类别", m))
            .ok();
        let code = match check_unit_code(cell(&at, cells, "单元编码"), region.as_ref(), category)
        {
            Ok(c) => {
                if let Some(first) = seen.insert(c.clone(), *line) {
                    err("单元编码", format!("单元编码 {c} 与第 {first} 行重复"));
                }
                Some(c)
            }
            Err(m) => {
                err("单元编码", m);
                None
            }
        };
        let boundary = match cell(&at, cells, "边界") {
            "" => Ok(None),
            text => Boundary::parse(text).map(|b| Some(b.to_geojson())),
        };
        let boundary = boundary.map_err(|m| err("边界", m));
        if let (Some(code), Some(region_code), Some(category), Ok(boundary), false) =
            (code, region, category, boundary, name.is_empty())
        {
            out.push((
                *line,
                UnitSpec {
                    code,
                    name: name.to_string(),
                    region_code,
                    category,
                    boundary,
                    clauses: Vec::new(),
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn split_codes(cell: &str) -> Vec<&str> {
    cell.split(['、', ',', '\u{FF0C}', ';', '\u{FF1B}', ' ', '\n', '/'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the clauses sheet: each clause with its unit code and line.
pub fn parse_clauses(
    file: &str,
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<(usize, String, Clause)>, Vec<SheetError>> {
    let at = columns(file, header, clause_column, &CLAUSE_REQUIRED, "准入清单表")?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
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
        let code = check_unit_code(cell(&at, cells, "单元编码"), None, None)
            .map_err(|m| err("单元编码", m))
            .ok();
        let dimension = Dimension::parse_cell(cell(&at, cells, "管控维度"))
            .map_err(|m| err("管控维度", m))
            .ok();
        let text = cell(&at, cells, "条款");
        if text.is_empty() {
            err("条款", "须写条款内容".into());
        } else if text.chars().count() > MAX_CLAUSE_CHARS {
            err("条款", format!("条款超过 {MAX_CLAUSE_CHARS} 个字符"));
        }
        let effect = Effect::parse_cell(cell(&at, cells, "管控要求"))
            .map_err(|m| err("管控要求", m))
            .ok();
        let mut industries = Vec::new();
        let mut bad_code = false;
        for c in split_codes(cell(&at, cells, "行业代码")) {
            match IndustryCode::parse(c) {
                Ok(i) if !industries.contains(&i) => industries.push(i),
                Ok(_) => {}
                Err(m) => {
                    bad_code = true;
                    err("行业代码", m);
                }
            }
        }
        if let (Some(code), Some(dimension), Some(effect), false, false) =
            (code, dimension, effect, text.is_empty(), bad_code)
        {
            out.push((
                *line,
                code,
                Clause {
                    dimension,
                    text: text.to_string(),
                    effect,
                    industries,
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A sheet as read: its file name, header and numbered rows.
pub struct SheetInput<'a> {
    pub file: &'a str,
    pub header: &'a [String],
    pub rows: &'a [(usize, Vec<String>)],
}

/// Reads the units sheet and, if given, the clauses sheet, and puts each clause with its unit.
/// Every clause's unit must be in the units sheet. Every problem of both files is reported.
pub fn read(
    units: SheetInput,
    clauses: Option<SheetInput>,
) -> Result<Vec<UnitSpec>, Vec<SheetError>> {
    let mut errors = Vec::new();
    let units = parse_units(units.file, units.header, units.rows).map_err(|e| errors.extend(e));
    let parsed = clauses.map(|c| (c.file, parse_clauses(c.file, c.header, c.rows)));
    let units_ok = units.is_ok();
    let mut out: Vec<UnitSpec> = match units {
        Ok(u) => u.into_iter().map(|(_, u)| u).collect(),
        Err(()) => Vec::new(),
    };
    if let Some((file, parsed)) = parsed {
        match parsed {
            Err(e) => errors.extend(e),
            Ok(list) => {
                let index: HashMap<String, usize> = out
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (u.code.clone(), i))
                    .collect();
                for (line, code, clause) in list {
                    match index.get(&code) {
                        Some(i) => out[*i].clauses.push(clause),
                        // Unknown only if the units sheet itself read well.
                        None if units_ok => errors.push(SheetError {
                            file: file.to_string(),
                            line,
                            field: "单元编码".into(),
                            message: format!("单元 {code} 不在管控单元表中"),
                        }),
                        None => {}
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A unit as the units sheet writes it, in [`UNIT_COLUMNS`] order.
pub fn unit_row(u: &UnitSpec) -> Vec<String> {
    vec![
        u.code.clone(),
        u.name.clone(),
        u.region_code.to_string(),
        u.category.name_zh().to_string(),
        u.boundary.clone().unwrap_or_default(),
    ]
}

/// A unit's clauses as the clauses sheet writes them, in [`CLAUSE_COLUMNS`] order.
pub fn clause_rows(u: &UnitSpec) -> Vec<Vec<String>> {
    u.clauses
        .iter()
        .map(|c| {
            vec![
                u.code.clone(),
                c.dimension.name_zh().to_string(),
                c.text.clone(),
                c.effect.name_zh().to_string(),
                c.industries
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join("、"),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    fn rows(list: &[&[&str]]) -> Vec<(usize, Vec<String>)> {
        list.iter()
            .enumerate()
            .map(|(i, r)| (i + 2, strings(r)))
            .collect()
    }

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[112.6,34.8],[112.7,34.8],[112.7,34.9],[112.6,34.9],[112.6,34.8]]]}"#;

    #[test]
    fn sheets_read_and_write_back_the_same() {
        let uh = strings(&[
            "单元编码",
            "单元名称",
            "行政区划代码",
            "管控类别",
            "边界(GeoJSON)",
        ]);
        let ur = rows(&[
            &[
                "ZH41088320001",
                "孟州市产业集聚区(演示)",
                "410883",
                "重点管控单元",
                SQUARE,
            ],
            &[
                "ZH41088330001",
                "孟州市一般管控单元(演示)",
                "410883",
                "一般管控",
                "",
            ],
        ]);
        let ch = strings(&[
            "单元编码",
            "管控维度",
            "条款",
            "管控要求(禁止/限制/允许)",
            "行业代码",
        ]);
        let cr = rows(&[
            &[
                "ZH41088320001",
                "空间布局约束",
                "禁止新建燃煤自备电厂。",
                "禁止",
                "4411",
            ],
            &[
                "ZH41088320001",
                "污染物排放管控",
                "新建化工项目须……",
                "限制",
                "26、C27",
            ],
        ]);
        let units = read(
            SheetInput {
                file: "units.csv",
                header: &uh,
                rows: &ur,
            },
            Some(SheetInput {
                file: "clauses.csv",
                header: &ch,
                rows: &cr,
            }),
        )
        .unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].category, UnitCategory::KeyControl);
        assert_eq!(units[0].clauses.len(), 2);
        assert_eq!(units[0].clauses[1].industries.len(), 2);
        assert!(units[0].boundary.is_some());
        assert!(units[1].clauses.is_empty());
        // Written back and read again: the same units.
        let uh2 = strings(&UNIT_COLUMNS);
        let ch2 = strings(&CLAUSE_COLUMNS);
        let ur2: Vec<(usize, Vec<String>)> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (i + 2, unit_row(u)))
            .collect();
        let cr2: Vec<(usize, Vec<String>)> = units
            .iter()
            .flat_map(clause_rows)
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect();
        let again = read(
            SheetInput {
                file: "u",
                header: &uh2,
                rows: &ur2,
            },
            Some(SheetInput {
                file: "c",
                header: &ch2,
                rows: &cr2,
            }),
        )
        .unwrap();
        assert_eq!(again, units);
    }

    #[test]
    fn every_problem_names_its_file_line_and_column() {
        let uh = strings(&UNIT_REQUIRED);
        let ur = rows(&[
            &["ZH41088320001", "甲", "410883", "重点管控"],
            &["ZH41088310001", "", "410883", "重点管控"],
            &["ZH41088320001", "丙", "4108", "很重要"],
        ]);
        let ch = strings(&CLAUSE_REQUIRED);
        let cr = rows(&[&["ZH41088320001", "空间", "", "鼓励"]]);
        let errors = read(
            SheetInput {
                file: "units.csv",
                header: &uh,
                rows: &ur,
            },
            Some(SheetInput {
                file: "clauses.csv",
                header: &ch,
                rows: &cr,
            }),
        )
        .unwrap_err();
        let named: Vec<(&str, usize, &str)> = errors
            .iter()
            .map(|e| (e.file.as_str(), e.line, e.field.as_str()))
            .collect();
        assert!(named.contains(&("units.csv", 3, "单元名称")), "{named:?}");
        assert!(
            named.contains(&("units.csv", 3, "单元编码")),
            "category digit: {named:?}"
        );
        assert!(named.contains(&("units.csv", 4, "管控类别")));
        assert!(named.contains(&("clauses.csv", 2, "管控维度")));
        assert!(named.contains(&("clauses.csv", 2, "条款")));
        assert!(named.contains(&("clauses.csv", 2, "管控要求")));

        // A clause of a unit not in the units sheet; a bad industry code.
        let ur = rows(&[&["ZH41088320001", "甲", "410883", "重点管控"]]);
        let cr = rows(&[&["ZH41088320002", "空间布局约束", "禁止……", "禁止"]]);
        let errors = read(
            SheetInput {
                file: "u.csv",
                header: &uh,
                rows: &ur,
            },
            Some(SheetInput {
                file: "c.csv",
                header: &ch,
                rows: &cr,
            }),
        )
        .unwrap_err();
        assert_eq!(
            (
                errors[0].file.as_str(),
                errors[0].line,
                errors[0].field.as_str()
            ),
            ("c.csv", 2, "单元编码")
        );
        let ch5 = strings(&CLAUSE_COLUMNS);
        let cr = rows(&[&["ZH41088320001", "空间布局约束", "禁止……", "禁止", "26、X9"]]);
        let errors = parse_clauses("c.csv", &ch5, &cr).unwrap_err();
        assert_eq!(errors[0].field, "行业代码");
        assert!(errors[0].to_string().starts_with("c.csv, line 2, 行业代码"));
        let missing = parse_units("u.csv", &strings(&["单元编码"]), &[]).unwrap_err();
        assert!(missing.iter().any(|e| e.field == "管控类别" && e.line == 1));
    }
}
