//! The 河长名录 sheet: who is chief of which river segment at which level, as county and city
//! river-chief offices publish it — 层级, 行政区划代码, 河湖, 河段编码, 职务, 姓名, 人员编码,
//! 任职起始, 任职终止. A row with no segment is the region's 总河长.
//!
//! This module reads the sheet's cells (every problem of every row named with its line and
//! column) and writes rows back; the store resolves the rows against its records (the post by
//! its title in the region, the tenure of the person named, the segment) all or nothing.

use chrono::NaiveDate;

use super::ChiefLevel;
use crate::region::RegionCode;
use crate::roster::parse_date;
use crate::zoning::sheet::{cell, columns, SheetError};

/// The sheet's columns, in the order an export writes them.
pub const COLUMNS: [&str; 9] = [
    "层级",
    "行政区划代码",
    "河湖",
    "河段编码",
    "职务",
    "姓名",
    "人员编码",
    "任职起始",
    "任职终止",
];
const REQUIRED: [&str; 5] = ["层级", "行政区划代码", "职务", "姓名", "任职起始"];

fn column(h: &str) -> Option<&'static str> {
    let h = h.trim().trim_start_matches('\u{FEFF}');
    match h {
        "层级" | "河长层级" | "级别" | "level" => Some("层级"),
        "行政区划代码" | "区划代码" | "region_code" => Some("行政区划代码"),
        "河湖" | "河湖名称" | "河流" | "河流(湖泊)" | "water" => Some("河湖"),
        "河段编码" | "河段" | "segment" => Some("河段编码"),
        "职务" | "河长职务" | "post" => Some("职务"),
        "姓名" | "河长姓名" | "name" => Some("姓名"),
        "人员编码" | "人员编号" | "person_key" => Some("人员编码"),
        "任职起始" | "起始日期" | "任职开始" | "start_date" => Some("任职起始"),
        "任职终止" | "终止日期" | "任职结束" | "end_date" => Some("任职终止"),
        _ => None,
    }
}

/// One row of the sheet, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChiefRow {
    pub line: usize,
    pub level: ChiefLevel,
    pub region_code: RegionCode,
    /// The water's name as written (checked against the segment's water when given).
    pub water: Option<String>,
    /// `None`: the region's 总河长.
    pub segment: Option<String>,
    pub post: String,
    pub name: String,
    pub person_key: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// Reads the sheet, or every problem of every row.
pub fn parse(
    file: &str,
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<ChiefRow>, Vec<SheetError>> {
    let at = columns(file, header, column, &REQUIRED, "河长名录")?;
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
        let level = cell(&at, cells, "层级")
            .parse::<ChiefLevel>()
            .map_err(|m| err("层级", m))
            .ok();
        let region = cell(&at, cells, "行政区划代码")
            .parse::<RegionCode>()
            .map_err(|e| err("行政区划代码", e.to_string()))
            .ok();
        if let (Some(l), Some(r)) = (level, &region) {
            if !l.fits(r) {
                err(
                    "层级",
                    format!("{}河长不设在{}({})", l.name_zh(), r, r.level().name_zh()),
                );
            }
        }
        let opt = |f: &str| Some(cell(&at, cells, f).to_string()).filter(|t| !t.is_empty());
        let segment = opt("河段编码");
        if let Some(s) = &segment {
            if let Err(m) = super::check_code(s) {
                err("河段编码", m);
            }
        }
        let post = cell(&at, cells, "职务").to_string();
        if post.is_empty() {
            err("职务", "须写职务".into());
        }
        let name = cell(&at, cells, "姓名").to_string();
        if name.is_empty() {
            err("姓名", "须写姓名".into());
        }
        let start = parse_date(cell(&at, cells, "任职起始"))
            .map_err(|m| err("任职起始", m))
            .ok();
        let end = match cell(&at, cells, "任职终止") {
            "" | "至今" | "今" => Ok(None),
            t => parse_date(t).map(Some),
        }
        .map_err(|m| err("任职终止", m))
        .ok();
        if let (Some(s), Some(Some(e))) = (start, end) {
            if e < s {
                err("任职终止", format!("终止日期 {e} 早于起始日期 {s}"));
            }
        }
        if let (Some(level), Some(region_code), Some(start), Some(end)) =
            (level, region, start, end)
        {
            if !post.is_empty() && !name.is_empty() {
                out.push(ChiefRow {
                    line: *line,
                    level,
                    region_code,
                    water: opt("河湖"),
                    segment,
                    post,
                    name,
                    person_key: opt("人员编码"),
                    start,
                    end,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(vec![SheetError {
            file: file.to_string(),
            line: 1,
            field: "职务".into(),
            message: "表中没有河长行".into(),
        }]);
    }
    Ok(out)
}

/// A row in [`COLUMNS`] order, as [`parse`] reads it back.
pub fn row(r: &ChiefRow) -> Vec<String> {
    vec![
        r.level.name_zh().to_string(),
        r.region_code.to_string(),
        r.water.clone().unwrap_or_default(),
        r.segment.clone().unwrap_or_default(),
        r.post.clone(),
        r.name.clone(),
        r.person_key.clone().unwrap_or_default(),
        r.start.to_string(),
        r.end.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<String> {
        COLUMNS.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn rows_read_back_and_every_problem_is_named() {
        let r = ChiefRow {
            line: 2,
            level: ChiefLevel::County,
            region_code: RegionCode::parse("410882").unwrap(),
            water: Some("沁河".into()),
            segment: Some("QINHE-410882".into()),
            post: "沁河沁阳段河长".into(),
            name: "秦望川".into(),
            person_key: Some("DEMO-0001".into()),
            start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            end: None,
        };
        let back = parse("名录.csv", &header(), &[(2, row(&r))]).unwrap();
        assert_eq!(back, vec![r.clone()]);
        let mut bad = row(&r);
        bad[0] = "市级".into();
        bad[7] = "2026-13-01".into();
        let errors = parse("名录.csv", &header(), &[(2, row(&r)), (3, bad)]).unwrap_err();
        let fields: Vec<(usize, &str)> =
            errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(fields, vec![(3, "层级"), (3, "任职起始")]);
        let errors = parse("名录.csv", &header()[1..], &[]).unwrap_err();
        assert!(errors[0].message.contains("层级"), "{}", errors[0].message);
    }
}
