//! Spreadsheet formats: reads CSV and XLSX into a header and numbered rows of text cells, and
//! writes them back. What the rows mean is for the caller (roster rows, ledger rows, targets).
//!
//! Rows carry the line a user sees: the CSV line where the record starts, or the worksheet row
//! number, so that every error downstream can name it.

use std::io::Cursor;
use std::path::Path;

/// A file's format, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    #[error("{file}: unsupported file type (use .csv or .xlsx)")]
    UnsupportedType { file: String },
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}, line {line}: not valid UTF-8 text (save the CSV as UTF-8)")]
    NotUtf8 { file: String, line: u64 },
    #[error("{file}, line {line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: not a readable XLSX workbook: {message}")]
    Xlsx { file: String, message: String },
    #[error("{file}: the file is empty (no header row)")]
    Empty { file: String },
    #[error("cannot write the workbook: {0}")]
    Write(String),
}

/// A table read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    /// (line, cells) for every row after the header.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format, TabularError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            _ => Err(TabularError::UnsupportedType {
                file: path.display().to_string(),
            }),
        }
    }
}

/// Reads a CSV or XLSX file by its extension.
pub fn read_path(path: &Path) -> Result<Table, TabularError> {
    let format = Format::of(path)?;
    let bytes = std::fs::read(path).map_err(|source| TabularError::Io {
        file: path.display().to_string(),
        source,
    })?;
    read(&bytes, format, &path.display().to_string())
}

/// Reads a table from bytes; `file` names the source in errors.
pub fn read(bytes: &[u8], format: Format, file: &str) -> Result<Table, TabularError> {
    match format {
        Format::Csv => read_csv(bytes, file),
        Format::Xlsx => read_xlsx(bytes, file),
    }
}

fn read_csv(bytes: &[u8], file: &str) -> Result<Table, TabularError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header = None;
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| TabularError::Csv {
            file: file.to_string(),
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let cells = record
            .iter()
            .map(|c| {
                std::str::from_utf8(c)
                    .map(|s| unescape_cell(s.trim().to_string()))
                    .map_err(|_| TabularError::NotUtf8 {
                        file: file.to_string(),
                        line,
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if header.is_none() {
            header = Some(cells);
        } else {
            rows.push((line as usize, cells));
        }
    }
    Ok(Table {
        header: header.ok_or_else(|| TabularError::Empty {
            file: file.to_string(),
        })?,
        rows,
    })
}

/// A cell as text: integral numbers without a decimal point (so 410800 stays 410800), dates
/// as YYYY-MM-DD, booleans as true/false.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
            Some(d) => d.to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_xlsx(bytes: &[u8], file: &str) -> Result<Table, TabularError> {
    use calamine::Reader;
    let err = |message: String| TabularError::Xlsx {
        file: file.to_string(),
        message,
    };
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| err(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| err("the workbook has no worksheet".into()))?
        .map_err(|e| err(e.to_string()))?;
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut header = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        let line = first_row + i + 1;
        if header.is_none() {
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            header = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    Ok(Table {
        header: header.ok_or_else(|| TabularError::Empty {
            file: file.to_string(),
        })?,
        rows,
    })
}

/// The characters that make a spreadsheet program read a cell as a formula (OWASP's CSV
/// injection list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell, after any leading apostrophes, starts like a formula.
fn formula_like(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(FORMULA_START.as_slice())
}

/// A plain finite number (`-3`, `+8.5`, `-1e5`), which a spreadsheet reads as a number.
fn is_number(cell: &str) -> bool {
    cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A cell as a CSV export writes it: one leading apostrophe before anything a spreadsheet
/// program would run as a formula (`=HYPERLINK(…)`, `+SUM(…)`, `@…`), so that opening the file
/// in Excel or WPS shows the text instead. A plain number (`-3`) runs nothing and is left
/// alone. Cells that already start with apostrophes before such a character get one more, so
/// that [`unescape_cell`] gives back exactly what was written.
pub fn escape_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) && !is_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A CSV cell as read: the apostrophe [`escape_cell`] put before a formula-like text is taken
/// off again (only there: an apostrophe anywhere else is the user's).
pub fn unescape_cell(cell: String) -> String {
    if cell.starts_with('\'') && formula_like(&cell) {
        cell[1..].to_string()
    } else {
        cell
    }
}

/// Writes a table as UTF-8 CSV (with a BOM, so that spreadsheet programs open Chinese text
/// correctly), every cell escaped against formula injection ([`escape_cell`]).
pub fn write_csv(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer
            .write_record(header.iter().map(|c| escape_cell(c).into_owned()))
            .expect("writing to memory");
        for row in rows {
            writer
                .write_record(row.iter().map(|c| escape_cell(c).into_owned()))
                .expect("writing to memory");
        }
        writer.flush().expect("writing to memory");
    }
    out
}

/// Writes a table as a one-sheet XLSX workbook; every cell is text, so codes keep their form.
pub fn write_xlsx(
    sheet: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, TabularError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let e = |err: rust_xlsxwriter::XlsxError| TabularError::Write(err.to_string());
    let mut workbook = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet).map_err(e)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(e)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, cell).map_err(e)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    workbook.save_to_buffer().map_err(e)
}

/// Writes a table to `path` in the format its extension names.
pub fn write_path(
    path: &Path,
    sheet: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> Result<(), TabularError> {
    let bytes = match Format::of(path)? {
        Format::Csv => write_csv(header, rows),
        Format::Xlsx => write_xlsx(sheet, header, rows)?,
    };
    std::fs::write(path, bytes).map_err(|source| TabularError::Io {
        file: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn csv_exports_neutralise_formulas_and_read_back_exactly() {
        let cells = [
            "=HYPERLINK(\"http://x\",\"点击\")",
            "+SUM(1+1)",
            "-2+3",
            "@SUM(1)",
            "'=already quoted",
            "''+two quotes",
            "-3",
            "+8.5",
            "it's fine",
            "'plain quote",
            "李=四",
        ];
        let rows = vec![cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
        let header = s(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]);
        let bytes = write_csv(&header, &rows);
        let text = String::from_utf8(bytes.clone()).unwrap();
        // No cell of the file starts with a formula character any more.
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        for record in reader.records() {
            for (cell, original) in record.unwrap().iter().zip(cells) {
                let runs = cell.starts_with(FORMULA_START.as_slice()) && !is_number(cell);
                assert!(!runs, "{cell:?} would run as a formula ({text})");
                if is_number(original) {
                    assert_eq!(cell, original, "numbers are left alone");
                }
            }
        }
        // Read back, every cell is exactly what was written.
        let t = read(&bytes, Format::Csv, "x.csv").unwrap();
        assert_eq!(t.rows[0].1, rows[0]);
    }

    proptest::proptest! {
        #[test]
        fn any_cell_round_trips_through_csv(cell in "['=+@-]{0,3}[a-z0-9 =+-]{0,6}") {
            let cell = cell.trim().to_string();
            let bytes = write_csv(&s(&["h"]), &[vec![cell.clone()]]);
            let t = read(&bytes, Format::Csv, "p.csv").unwrap();
            let back = t.rows.first().map(|r| r.1[0].clone()).unwrap_or_default();
            proptest::prop_assert_eq!(back, cell);
        }
    }

    #[test]
    fn csv_round_trip_keeps_lines_and_text() {
        let header = s(&["region_code", "person"]);
        let rows = vec![s(&["410800", "王晨远"]), s(&["410883", "逗号,在内"])];
        let bytes = write_csv(&header, &rows);
        let t = read(&bytes, Format::Csv, "x.csv").unwrap();
        assert_eq!(t.header, header);
        assert_eq!(t.rows, vec![(2, rows[0].clone()), (3, rows[1].clone())]);
    }

    #[test]
    fn multi_line_cells_report_the_line_they_start_on() {
        let t = read(b"a,b\n\"x\ny\",1\nz,2\n", Format::Csv, "m.csv").unwrap();
        assert_eq!(t.rows[0].0, 2);
        assert_eq!(t.rows[1].0, 4);
    }

    #[test]
    fn xlsx_round_trip() {
        let header = s(&["region_code", "start_date", "acting"]);
        let rows = vec![
            s(&["410800", "2021-03-05", "true"]),
            s(&["451322100", "", "false"]),
        ];
        let bytes = write_xlsx("roster", &header, &rows).unwrap();
        let t = read(&bytes, Format::Xlsx, "r.xlsx").unwrap();
        assert_eq!(t.header, header);
        assert_eq!(t.rows[0], (2, rows[0].clone()));
        assert_eq!(t.rows[1].1[0], "451322100");
    }

    #[test]
    fn bad_input_names_the_file_and_line() {
        let err = read(b"a,b\n1,\xff\xfe\n", Format::Csv, "bad.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.csv, line 2: not valid UTF-8 text (save the CSV as UTF-8)"
        );
        let err = read(b"not a zip", Format::Xlsx, "bad.xlsx").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("bad.xlsx: not a readable XLSX workbook"));
        assert!(read(b"", Format::Csv, "empty.csv").is_err());
        assert!(Format::of(Path::new("roster.txt")).is_err());
        assert_eq!(Format::of(Path::new("R.XLSX")).unwrap(), Format::Xlsx);
    }
}
