//! The rectification ledger (整改台账) in the columns local governments keep it in:
//! 序号, 问题, 责任单位, 责任人, 整改时限, 整改措施, 进展情况, 是否销号 — and optionally
//! 问题类别, 严重程度, 区划代码. This module reads such a sheet into checked rows (every
//! problem of every row reported with its line and column, so that an import is all or
//! nothing) and defines the row an export writes.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Category, Severity};
use crate::region::RegionCode;
use crate::roster::RowError;

/// The required columns, in the order an export writes them.
pub const COLUMNS: [&str; 8] = [
    "序号",
    "问题",
    "责任单位",
    "责任人",
    "整改时限",
    "整改措施",
    "进展情况",
    "是否销号",
];

/// Columns read when present.
pub const OPTIONAL_COLUMNS: [&str; 3] = ["问题类别", "严重程度", "区划代码"];

/// How a ledger writes the long-term deadline.
pub const LONG_TERM: &str = "长期坚持";

/// A row's deadline: a date, or 长期坚持.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetDeadline {
    Date(NaiveDate),
    LongTerm,
}

/// One checked row of a ledger sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    pub line: usize,
    pub serial: String,
    pub text: String,
    /// Names of the responsible units (organisations), as written.
    pub units: Vec<String>,
    /// Names of the responsible people, without the titles written after them.
    pub persons: Vec<String>,
    pub deadline: SheetDeadline,
    pub measures: String,
    pub progress: String,
    pub closed: bool,
    pub category: Option<Category>,
    pub severity: Option<Severity>,
    pub region_code: Option<RegionCode>,
}

/// Splits a cell listing several names: 、 , ; / (ASCII or full width) and line breaks.
pub fn split_names(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '\u{FF0C}', ';', '\u{FF1B}', '/', '\n', '\r'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A person as a ledger writes them, 张三(副市长) or 张三(副市长): the name.
pub fn person_name(cell: &str) -> String {
    cell.split(['(', '\u{FF08}'])
        .next()
        .unwrap_or(cell)
        .trim()
        .to_string()
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    next.pred_opt()
}

/// Reads a deadline: a date (2026-06-30, 2026/6/30, 2026年6月30日), the end of a month or year
/// as ledgers write them (2026年6月底, 2026年底), or 长期坚持.
pub fn parse_deadline(cell: &str) -> Result<SheetDeadline, String> {
    let s = cell.trim();
    if s == LONG_TERM || s == "长期" {
        return Ok(SheetDeadline::LongTerm);
    }
    if let Some(rest) = s.strip_suffix("月底") {
        if let Some((y, m)) = rest.split_once('年') {
            if let (Ok(y), Ok(m)) = (y.trim().parse::<i32>(), m.trim().parse::<u32>()) {
                if let Some(d) = last_day_of_month(y, m) {
                    return Ok(SheetDeadline::Date(d));
                }
            }
        }
    }
    if let Some(y) = s.strip_suffix("年底").or_else(|| s.strip_suffix("年年底")) {
        if let Ok(y) = y.trim().parse::<i32>() {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 12, 31) {
                return Ok(SheetDeadline::Date(d));
            }
        }
    }
    crate::roster::parse_date(s)
        .map(SheetDeadline::Date)
        .map_err(|_| {
            format!("{s:?} 不是整改时限:填写日期(如 2026-06-30、2026年6月底)或「长期坚持」")
        })
}

/// Reads 是否销号: 是/已销号/Y/true or 否/未销号/N/false; empty is 否.
pub fn parse_closed(cell: &str) -> Result<bool, String> {
    match cell.trim().to_lowercase().as_str() {
        "是" | "已销号" | "销号" | "y" | "yes" | "true" | "1" => Ok(true),
        "" | "否" | "未销号" | "n" | "no" | "false" | "0" => Ok(false),
        other => Err(format!("{other:?}: 是否销号填「是」或「否」")),
    }
}

/// Reads a ledger sheet. Every row is checked; any problem anywhere fails the whole sheet
/// with every problem listed.
pub fn parse_sheet(
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<SheetRow>, Vec<RowError>> {
    match read_sheet(header, rows) {
        (rows, errors) if errors.is_empty() => Ok(rows),
        (_, errors) => Err(errors),
    }
}

/// Reads a ledger sheet as far as it can: the rows that are well formed, and every problem of
/// the others (a missing column fails every row). An importer checks the good rows further
/// (against the organisations and people they name) so that one report lists everything.
pub fn read_sheet(
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> (Vec<SheetRow>, Vec<RowError>) {
    let position: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{FEFF}'), i))
        .collect();
    let missing: Vec<RowError> = COLUMNS
        .iter()
        .filter(|c| !position.contains_key(*c))
        .map(|c| RowError {
            line: 1,
            field: c.to_string(),
            message: format!("缺少列「{c}」:台账须有 {}", COLUMNS.join("、")),
        })
        .collect();
    if !missing.is_empty() {
        return (Vec::new(), missing);
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut serials: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows {
        let line = *line;
        let cell = |name: &str| -> String {
            position
                .get(name)
                .and_then(|i| cells.get(*i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut err = |field: &str, message: String| {
            errors.push(RowError {
                line,
                field: field.to_string(),
                message,
            })
        };
        let serial = cell("序号");
        if !serial.is_empty() {
            if let Some(first) = serials.insert(serial.clone(), line) {
                err("序号", format!("序号 {serial} 与第 {first} 行重复"));
            }
        }
        let text = cell("问题");
        if text.is_empty() {
            err("问题", "问题描述为空".into());
        }
        let units = split_names(&cell("责任单位"));
        if units.is_empty() {
            err("责任单位", "责任单位为空".into());
        }
        let persons: Vec<String> = split_names(&cell("责任人"))
            .iter()
            .map(|p| person_name(p))
            .filter(|p| !p.is_empty())
            .collect();
        let deadline = match parse_deadline(&cell("整改时限")) {
            Ok(d) => Some(d),
            Err(m) => {
                err("整改时限", m);
                None
            }
        };
        let closed = match parse_closed(&cell("是否销号")) {
            Ok(c) => c,
            Err(m) => {
                err("是否销号", m);
                false
            }
        };
        let optional = |name: &str| Some(cell(name)).filter(|c| !c.is_empty());
        let category = match optional("问题类别").map(|c| c.parse::<Category>()) {
            Some(Err(m)) => {
                err("问题类别", m);
                None
            }
            other => other.map(|r| r.expect("errors handled above")),
        };
        let severity = match optional("严重程度").map(|c| c.parse::<Severity>()) {
            Some(Err(m)) => {
                err("严重程度", m);
                None
            }
            other => other.map(|r| r.expect("errors handled above")),
        };
        let region_code = match optional("区划代码").map(|c| RegionCode::parse(&c)) {
            Some(Err(e)) => {
                err("区划代码", e.to_string());
                None
            }
            other => other.map(|r| r.expect("errors handled above")),
        };
        let row_ok = !errors.iter().any(|e| e.line == line);
        if let (Some(deadline), true) = (deadline, row_ok) {
            out.push(SheetRow {
                line,
                serial,
                text,
                units,
                persons,
                deadline,
                measures: cell("整改措施"),
                progress: cell("进展情况"),
                closed,
                category,
                severity,
                region_code,
            });
        }
    }
    (out, errors)
}

/// One row of an exported ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    pub serial: String,
    pub text: String,
    pub units: Vec<String>,
    /// 张三(副市长), or the post's title when it is vacant.
    pub persons: Vec<String>,
    pub deadline: SheetDeadline,
    pub measures: String,
    pub progress: String,
    pub closed: bool,
    pub category: Category,
    pub severity: Severity,
    pub region_code: RegionCode,
}

impl ExportRow {
    pub fn to_cells(&self) -> Vec<String> {
        vec![
            self.serial.clone(),
            self.text.clone(),
            self.units.join("、"),
            self.persons.join("、"),
            match self.deadline {
                SheetDeadline::Date(d) => d.to_string(),
                SheetDeadline::LongTerm => LONG_TERM.to_string(),
            },
            self.measures.clone(),
            self.progress.clone(),
            if self.closed { "是" } else { "否" }.to_string(),
            self.category.name_zh().to_string(),
            self.severity.name_zh().to_string(),
            self.region_code.to_string(),
        ]
    }
}

/// The header an export writes: the required columns, then the optional ones.
pub fn export_header() -> Vec<String> {
    COLUMNS
        .iter()
        .chain(OPTIONAL_COLUMNS.iter())
        .map(|c| c.to_string())
        .collect()
}

/// The year a deadline falls in (for a sheet's summary).
pub fn deadline_year(d: &SheetDeadline) -> Option<i32> {
    match d {
        SheetDeadline::Date(d) => Some(d.year()),
        SheetDeadline::LongTerm => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn deadlines_as_ledgers_write_them() {
        assert_eq!(
            parse_deadline("2026-06-30"),
            Ok(SheetDeadline::Date(d("2026-06-30")))
        );
        assert_eq!(
            parse_deadline("2026年6月30日"),
            Ok(SheetDeadline::Date(d("2026-06-30")))
        );
        assert_eq!(
            parse_deadline("2026年2月底"),
            Ok(SheetDeadline::Date(d("2026-02-28")))
        );
        assert_eq!(
            parse_deadline("2026年12月底"),
            Ok(SheetDeadline::Date(d("2026-12-31")))
        );
        assert_eq!(
            parse_deadline("2026年底"),
            Ok(SheetDeadline::Date(d("2026-12-31")))
        );
        assert_eq!(parse_deadline("长期坚持"), Ok(SheetDeadline::LongTerm));
        assert!(parse_deadline("尽快").is_err());
        assert!(parse_deadline("2026年13月底").is_err());
        assert_eq!(parse_closed("是"), Ok(true));
        assert_eq!(parse_closed(""), Ok(false));
        assert_eq!(parse_closed("未销号"), Ok(false));
        assert!(parse_closed("大概").is_err());
    }

    #[test]
    fn names_and_people() {
        assert_eq!(
            split_names("市生态环境局、市住建局\u{FF0C}市水利局"),
            s(&["市生态环境局", "市住建局", "市水利局"])
        );
        assert_eq!(person_name("张三\u{FF08}副市长\u{FF09}"), "张三");
        assert_eq!(person_name("李四(局长)"), "李四");
        assert_eq!(person_name("王五"), "王五");
    }

    #[test]
    fn a_good_sheet() {
        let header = s(&[
            "序号",
            "问题",
            "责任单位",
            "责任人",
            "整改时限",
            "整改措施",
            "进展情况",
            "是否销号",
            "问题类别",
        ]);
        let rows = vec![
            (
                2,
                s(&[
                    "1",
                    "工地扬尘",
                    "市住建局",
                    "张三(局长)",
                    "2026-06-30",
                    "覆盖裸土",
                    "",
                    "否",
                    "",
                ]),
            ),
            (3, s(&["", "", "", "", "", "", "", "", ""])),
            (
                4,
                s(&[
                    "2",
                    "河道黑臭",
                    "市水利局、市生态环境局",
                    "",
                    "长期坚持",
                    "截污纳管",
                    "已完成主体工程",
                    "是",
                    "水",
                ]),
            ),
        ];
        let parsed = parse_sheet(&header, &rows).unwrap();
        assert_eq!(parsed.len(), 2, "blank rows are skipped");
        assert_eq!(parsed[0].persons, s(&["张三"]));
        assert_eq!(parsed[0].category, None);
        assert_eq!(parsed[1].units.len(), 2);
        assert_eq!(parsed[1].deadline, SheetDeadline::LongTerm);
        assert!(parsed[1].closed);
        assert_eq!(parsed[1].category, Some(Category::Water));
        assert_eq!(parsed[1].line, 4);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line_and_column() {
        let header = s(&COLUMNS);
        let rows = vec![
            (
                2,
                s(&["1", "工地扬尘", "市住建局", "", "2026-06-30", "", "", "否"]),
            ),
            (3, s(&["1", "", "", "", "尽快", "", "", "也许"])),
        ];
        let errs = parse_sheet(&header, &rows).unwrap_err();
        let fields: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            fields,
            vec![
                (3, "序号"),
                (3, "问题"),
                (3, "责任单位"),
                (3, "整改时限"),
                (3, "是否销号")
            ]
        );
        let (good, errs) = read_sheet(&header, &rows);
        assert_eq!(good.len(), 1, "the good row is kept for further checks");
        assert_eq!(errs.len(), 5);
        let missing = parse_sheet(&s(&["序号", "问题"]), &[]).unwrap_err();
        assert_eq!(missing.len(), 6);
        assert!(missing.iter().all(|e| e.line == 1));
    }

    #[test]
    fn export_rows_read_back() {
        let row = ExportRow {
            serial: "1".into(),
            text: "工地扬尘".into(),
            units: s(&["市住建局"]),
            persons: s(&["张三(局长)"]),
            deadline: SheetDeadline::Date(d("2026-06-30")),
            measures: "覆盖".into(),
            progress: "整改中".into(),
            closed: false,
            category: Category::Air,
            severity: Severity::General,
            region_code: RegionCode::parse("410800").unwrap(),
        };
        let parsed = parse_sheet(&export_header(), &[(2, row.to_cells())]).unwrap();
        assert_eq!(parsed[0].persons, s(&["张三"]));
        assert_eq!(parsed[0].category, Some(Category::Air));
        assert_eq!(parsed[0].severity, Some(Severity::General));
        assert_eq!(parsed[0].region_code, row.region_code.clone().into());
        assert_eq!(parsed[0].deadline, row.deadline);
    }
}
