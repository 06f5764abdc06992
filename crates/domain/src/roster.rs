//! Roster files (任职名册): one row per tenure, naming the region, organisation, post, role and
//! person. This module owns the columns and the validation of each row; reading CSV or XLSX is
//! the `ecoduty-tabular` crate's job and matching rows to stored records is the store's.
//!
//! An import is all or nothing, so validation never stops at the first bad row: it returns
//! every problem, each naming its line and field.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::organisation::OrganisationKind;
use crate::post::check_role_fits;
use crate::region::RegionCode;
use crate::tenure::{find_overlaps, DateRange, TenureSpan};
use crate::Role;

/// The columns of a roster file, in order, with the Chinese header accepted for each.
pub const COLUMNS: [(&str, &str); 9] = [
    ("region_code", "区划代码"),
    ("organisation", "机构"),
    ("organisation_kind", "机构类型"),
    ("post", "职务"),
    ("role", "角色"),
    ("person", "姓名"),
    ("start_date", "任职开始"),
    ("end_date", "任职结束"),
    ("acting", "代理"),
];

/// Optional columns: a stable key for the person (to tell apart two people of the same name)
/// and a deputy's portfolio of departments (names separated by 、 or ;).
pub const OPTIONAL_COLUMNS: [(&str, &str); 2] =
    [("person_key", "人员编号"), ("portfolio", "分管部门")];

/// One validated roster row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub region_code: RegionCode,
    pub organisation: String,
    pub organisation_kind: OrganisationKind,
    pub post: String,
    pub role: Role,
    pub person: String,
    pub person_key: Option<String>,
    pub range: DateRange,
    pub acting: bool,
    pub portfolio: Vec<String>,
}

impl RosterRow {
    /// The cells of this row in the order of [`header`]`(with_optional)`.
    pub fn to_cells(&self, with_optional: bool) -> Vec<String> {
        let mut cells = vec![
            self.region_code.to_string(),
            self.organisation.clone(),
            self.organisation_kind.key().to_string(),
            self.post.clone(),
            self.role.key().to_string(),
            self.person.clone(),
            self.range.start.to_string(),
            self.range.end.map(|d| d.to_string()).unwrap_or_default(),
            if self.acting { "true" } else { "false" }.to_string(),
        ];
        if with_optional {
            cells.push(self.person_key.clone().unwrap_or_default());
            cells.push(self.portfolio.join("、"));
        }
        cells
    }
}

/// The header row a roster export writes.
pub fn header(with_optional: bool) -> Vec<String> {
    let mut h: Vec<String> = COLUMNS.iter().map(|(en, _)| en.to_string()).collect();
    if with_optional {
        h.extend(OPTIONAL_COLUMNS.iter().map(|(en, _)| en.to_string()));
    }
    h
}

/// A problem with one row (or with the header, line 1), naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

/// Every problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} bad row(s); nothing was imported:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct RosterErrors(pub Vec<RowError>);

/// Parses a date as rosters write them: 2021-03-15, 2021/3/15, 2021.3.15 or 2021年3月15日.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    // The ISO form, which exports and most files use, read without copying the text.
    match parse_iso_date(t) {
        Some(date) => Ok(date),
        None => parse_any_date(t),
    }
}

/// [`parse_date`] for every form it accepts.
fn parse_any_date(t: &str) -> Result<NaiveDate, String> {
    let normalised: String = t.replace(['/', '.', '年', '月'], "-").replace('日', "");
    let parts: Vec<&str> = normalised.split('-').collect();
    if parts.len() == 3 {
        if let (Ok(y), Ok(m), Ok(d)) = (
            parts[0].parse::<i32>(),
            parts[1].parse::<u32>(),
            parts[2].parse::<u32>(),
        ) {
            if (1900..=2200).contains(&y) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return Ok(date);
                }
            }
        }
    }
    Err(format!("{t:?} is not a date (write YYYY-MM-DD)"))
}

/// `YYYY-MM-DD` exactly, within the years [`parse_date`] accepts; `None` for anything else,
/// which [`parse_date`] then reads (or refuses) the general way.
fn parse_iso_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(0..4)? as i32;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, digits(5..7)?, digits(8..10)?)
}

/// Parses the acting flag: empty means no. Case does not matter.
pub fn parse_flag(s: &str) -> Result<bool, String> {
    let t = s.trim();
    let one_of = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if one_of(&["", "false", "0", "no", "n", "否"]) {
        Ok(false)
    } else if one_of(&["true", "1", "yes", "y", "是", "代理"]) {
        Ok(true)
    } else {
        Err(format!(
            "{:?} is not a yes/no value (true/false, 是/否)",
            t.to_lowercase()
        ))
    }
}

/// Maps header cells to column indexes, refusing missing and unknown columns so that a typo in
/// a header never silently drops a column's data.
fn map_header(header: &[String]) -> Result<HashMap<&'static str, usize>, Vec<RowError>> {
    let mut map = HashMap::new();
    let mut errors = Vec::new();
    let known = COLUMNS.iter().chain(OPTIONAL_COLUMNS.iter());
    let known: Vec<&(&str, &str)> = known.collect();
    for (i, cell) in header.iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}').to_lowercase();
        if name.is_empty() {
            continue;
        }
        match known.iter().find(|(en, zh)| *en == name || *zh == name) {
            Some((en, _)) => {
                if map.insert(*en, i).is_some() {
                    errors.push(RowError {
                        line: 1,
                        field: en.to_string(),
                        message: "column appears twice".into(),
                    });
                }
            }
            None => errors.push(RowError {
                line: 1,
                field: cell.clone(),
                message: format!("unknown column; expected {}", header_help()),
            }),
        }
    }
    for (en, zh) in COLUMNS {
        if !map.contains_key(en) {
            errors.push(RowError {
                line: 1,
                field: en.to_string(),
                message: format!("missing column {en} ({zh})"),
            });
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

fn header_help() -> String {
    COLUMNS
        .iter()
        .map(|(en, _)| *en)
        .collect::<Vec<_>>()
        .join(",")
        + " (optional: person_key, portfolio)"
}

/// Validates a whole file: `rows` are (line, cells) pairs after the header. Returns every row or
/// every problem — including problems between rows: an organisation given two kinds, a post
/// given two roles, two rows whose tenures of one post overlap.
pub fn parse_roster(
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<RosterRow>, RosterErrors> {
    let map = map_header(header).map_err(RosterErrors)?;
    // Where each column is, looked up once rather than for every cell.
    struct Columns {
        acting: Option<usize>,
        end_date: Option<usize>,
        organisation: Option<usize>,
        organisation_kind: Option<usize>,
        person: Option<usize>,
        person_key: Option<usize>,
        portfolio: Option<usize>,
        post: Option<usize>,
        region_code: Option<usize>,
        role: Option<usize>,
        start_date: Option<usize>,
    }
    let column = Columns {
        acting: map.get("acting").copied(),
        end_date: map.get("end_date").copied(),
        organisation: map.get("organisation").copied(),
        organisation_kind: map.get("organisation_kind").copied(),
        person: map.get("person").copied(),
        person_key: map.get("person_key").copied(),
        portfolio: map.get("portfolio").copied(),
        post: map.get("post").copied(),
        region_code: map.get("region_code").copied(),
        role: map.get("role").copied(),
        start_date: map.get("start_date").copied(),
    };
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (line, cells) in rows {
        let line = *line;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |col: Option<usize>| -> &str {
            col.and_then(|i| cells.get(i))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let mut err = |field: &str, message: String| {
            errors.push(RowError {
                line,
                field: field.to_string(),
                message,
            })
        };
        let region_code = RegionCode::parse(get(column.region_code))
            .map_err(|e| err("region_code", e.to_string()));
        let organisation = get(column.organisation).to_string();
        if organisation.is_empty() {
            err("organisation", "empty".into());
        }
        let kind = get(column.organisation_kind)
            .parse::<OrganisationKind>()
            .map_err(|e| err("organisation_kind", e.to_string()));
        let post = get(column.post).to_string();
        if post.is_empty() {
            err("post", "empty".into());
        }
        let role = get(column.role)
            .parse::<Role>()
            .map_err(|e| err("role", e.to_string()));
        if let (Ok(role), Ok(kind)) = (&role, &kind) {
            if let Err(m) = check_role_fits(*role, *kind) {
                err("role", m);
            }
        }
        let person = get(column.person).to_string();
        if person.is_empty() {
            err("person", "empty".into());
        }
        let start = parse_date(get(column.start_date)).map_err(|m| err("start_date", m));
        let end = match get(column.end_date) {
            "" => Ok(None),
            s => parse_date(s).map(Some).map_err(|m| err("end_date", m)),
        };
        let range = match (start, end) {
            (Ok(s), Ok(e)) => DateRange::new(s, e).map_err(|m| err("end_date", m)),
            _ => Err(()),
        };
        let acting = parse_flag(get(column.acting)).map_err(|m| err("acting", m));
        let person_key = Some(get(column.person_key).to_string()).filter(|s| !s.is_empty());
        let portfolio: Vec<String> = get(column.portfolio)
            .split(['、', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if let (Ok(region_code), Ok(organisation_kind), Ok(role), Ok(range), Ok(acting)) =
            (region_code, kind, role, range, acting)
        {
            if !organisation.is_empty() && !post.is_empty() && !person.is_empty() {
                out.push(RosterRow {
                    line,
                    region_code,
                    organisation,
                    organisation_kind,
                    post,
                    role,
                    person,
                    person_key,
                    range,
                    acting,
                    portfolio,
                });
            }
        }
    }
    errors.extend(cross_row_errors(&out));
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(RosterErrors(errors))
    }
}

/// Problems that only show between rows.
fn cross_row_errors(rows: &[RosterRow]) -> Vec<RowError> {
    let mut errors = Vec::new();
    let mut org_kind: HashMap<(&RegionCode, &str), (OrganisationKind, usize)> = HashMap::new();
    let mut post_role: HashMap<(&RegionCode, &str, &str), (Role, usize, i64)> = HashMap::new();
    let mut spans = Vec::new();
    for row in rows {
        let key = (&row.region_code, row.organisation.as_str());
        match org_kind.get(&key) {
            Some((kind, first)) if *kind != row.organisation_kind => errors.push(RowError {
                line: row.line,
                field: "organisation_kind".into(),
                message: format!(
                    "{} is {} here but {} at line {first}",
                    row.organisation,
                    row.organisation_kind.key(),
                    kind.key()
                ),
            }),
            Some(_) => {}
            None => {
                org_kind.insert(key, (row.organisation_kind, row.line));
            }
        }
        let next_id = post_role.len() as i64;
        let pkey = (
            &row.region_code,
            row.organisation.as_str(),
            row.post.as_str(),
        );
        let post_id = match post_role.get(&pkey) {
            Some((role, first, id)) => {
                if *role != row.role {
                    errors.push(RowError {
                        line: row.line,
                        field: "role".into(),
                        message: format!(
                            "post {} of {} has role {} here but {} at line {first}",
                            row.post,
                            row.organisation,
                            row.role.key(),
                            role.key()
                        ),
                    });
                }
                *id
            }
            None => {
                post_role.insert(pkey, (row.role, row.line, next_id));
                next_id
            }
        };
        spans.push(TenureSpan {
            post_id,
            range: row.range,
            label: format!("line {} ({})", row.line, row.person),
        });
    }
    for overlap in find_overlaps(&spans) {
        let line = overlap
            .second
            .trim_start_matches("line ")
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        errors.push(RowError {
            line,
            field: "start_date".into(),
            message: overlap.to_string(),
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The ISO shortcut reads exactly what the general reading does, and declines (for
        /// the general reading to refuse) what that refuses.
        #[test]
        fn iso_dates_read_as_the_general_reading_does(
            y in 1850i32..2250,
            m in 0u32..14,
            d in 0u32..33,
        ) {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(parse_iso_date(&iso), parse_any_date(&iso).ok());
            prop_assert_eq!(parse_date(&iso), parse_any_date(&iso));
        }

        #[test]
        fn any_text_reads_as_the_general_reading_does(t in "[0-9年月日./-]{0,12}") {
            prop_assert_eq!(parse_date(&t), parse_any_date(t.trim()));
        }

        #[test]
        fn flags_ignore_ascii_case(word in prop::sample::select(vec!["true", "yes", "y", "false", "no", "n"]), upper in any::<bool>()) {
            let written = if upper { word.to_uppercase() } else { word.to_string() };
            prop_assert_eq!(parse_flag(&written), parse_flag(word));
        }
    }

    #[test]
    fn flags_name_what_they_refuse() {
        assert_eq!(parse_flag(" 是 "), Ok(true));
        assert_eq!(parse_flag("代理"), Ok(true));
        assert_eq!(parse_flag(""), Ok(false));
        assert_eq!(
            parse_flag("Maybe"),
            Err("\"maybe\" is not a yes/no value (true/false, 是/否)".to_string())
        );
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn header_en() -> Vec<String> {
        header(false)
    }

    #[test]
    fn a_good_file_parses_with_chinese_headers_too() {
        let rows = vec![
            (
                2,
                s(&[
                    "4108",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "government_head",
                    "王一",
                    "2020-01-01",
                    "2023-03-01",
                    "false",
                ]),
            ),
            (
                3,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "政府",
                    "市长",
                    "government_head",
                    "李二",
                    "2023-03-01",
                    "",
                    "是",
                ]),
            ),
        ];
        let parsed = parse_roster(&header_en(), &rows).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].region_code.as_str(), "410800");
        assert!(parsed[1].acting && parsed[1].range.end.is_none());
        let zh: Vec<String> = COLUMNS.iter().map(|(_, zh)| zh.to_string()).collect();
        assert_eq!(parse_roster(&zh, &rows).unwrap(), parsed);
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_field() {
        let rows = vec![
            (
                2,
                s(&[
                    "41080",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "government_head",
                    "王一",
                    "2020-01-01",
                    "",
                    "",
                ]),
            ),
            (
                3,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "mayor",
                    "李二",
                    "2020-13-01",
                    "",
                    "maybe",
                ]),
            ),
            (
                4,
                s(&[
                    "410800",
                    "焦作市生态环境局",
                    "department",
                    "局长",
                    "eco_department_head",
                    "",
                    "2020-01-01",
                    "2019-01-01",
                    "",
                ]),
            ),
        ];
        let errs = parse_roster(&header_en(), &rows).unwrap_err().0;
        let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert!(got.contains(&(2, "region_code")));
        assert!(got.contains(&(3, "role")));
        assert!(got.contains(&(3, "start_date")));
        assert!(got.contains(&(3, "acting")));
        assert!(got.contains(&(4, "person")));
        assert!(got.contains(&(4, "end_date")));
    }

    #[test]
    fn overlapping_rows_of_one_post_are_refused_naming_both_lines() {
        let rows = vec![
            (
                2,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "government_head",
                    "王一",
                    "2020-01-01",
                    "",
                    "",
                ]),
            ),
            (
                5,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "government_head",
                    "李二",
                    "2021-01-01",
                    "",
                    "",
                ]),
            ),
        ];
        let errs = parse_roster(&header_en(), &rows).unwrap_err().0;
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 5);
        assert!(errs[0].message.contains("line 2") && errs[0].message.contains("line 5"));
    }

    #[test]
    fn inconsistent_kinds_and_roles_and_headers_are_refused() {
        let rows = vec![
            (
                2,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "government_head",
                    "王一",
                    "2020-01-01",
                    "",
                    "",
                ]),
            ),
            (
                3,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "party_committee",
                    "书记",
                    "party_secretary",
                    "李二",
                    "2020-01-01",
                    "",
                    "",
                ]),
            ),
            (
                4,
                s(&[
                    "410800",
                    "焦作市人民政府",
                    "government",
                    "市长",
                    "deputy_eco",
                    "张三",
                    "2024-01-01",
                    "",
                    "",
                ]),
            ),
        ];
        let errs = parse_roster(&header_en(), &rows).unwrap_err().0;
        assert!(errs
            .iter()
            .any(|e| e.line == 3 && e.field == "organisation_kind"));
        assert!(errs.iter().any(|e| e.line == 4 && e.field == "role"));
        let mut bad_header = header_en();
        bad_header[7] = "end_data".into();
        let errs = parse_roster(&bad_header, &rows).unwrap_err().0;
        assert!(errs.iter().any(|e| e.field == "end_data"));
        assert!(errs
            .iter()
            .any(|e| e.field == "end_date" && e.message.contains("missing")));
    }

    #[test]
    fn dates_in_common_forms() {
        let want = NaiveDate::from_ymd_opt(2021, 3, 5).unwrap();
        for s in ["2021-03-05", "2021/3/5", "2021.03.05", "2021年3月5日"] {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
        assert!(parse_date("2021-02-30").is_err());
        assert!(parse_date("05/03/2021").is_err());
    }

    #[test]
    fn cells_round_trip() {
        let rows = vec![(
            2,
            s(&[
                "410800",
                "焦作市人民政府",
                "government",
                "副市长",
                "deputy_sector",
                "王一",
                "2020-01-01",
                "2021-01-01",
                "true",
                "P1",
                "焦作市水利局、焦作市农业农村局",
            ]),
        )];
        let parsed = parse_roster(&header(true), &rows).unwrap();
        assert_eq!(parsed[0].portfolio.len(), 2);
        assert_eq!(parsed[0].to_cells(true), rows[0].1);
    }
}
