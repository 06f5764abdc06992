//! Reading multipart forms (a roster file, a regulation text) and telling what an uploaded file
//! is: a spreadsheet is accepted by its extension *and* its content — CSV must be UTF-8 text,
//! XLSX must be a ZIP archive — so that a renamed file is refused with a clear message instead
//! of failing somewhere deeper.

use axum::extract::Multipart;
use axum::http::StatusCode;
use ecoduty_tabular::Format;

use crate::error::AppError;
use crate::ui::layout::Fields;

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The file's name as the browser sent it (without any directory).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A multipart form: its text fields and its files (a file input left empty is dropped).
pub struct MultipartForm {
    pub fields: Fields,
    pub files: Vec<Upload>,
}

impl Upload {
    /// The file read as a sheet (CSV or XLSX by its extension); a problem is answered as
    /// invalid input of `field`.
    pub fn table(&self, field: &str) -> Result<ecoduty_tabular::Table, AppError> {
        let format = Format::of(std::path::Path::new(&self.file_name))
            .map_err(|e| AppError::invalid(field, e.to_string()))?;
        ecoduty_tabular::read(&self.bytes, format, &self.file_name)
            .map_err(|e| AppError::invalid(field, e.to_string()))
    }
}

impl MultipartForm {
    pub fn file(&self, field: &str) -> Option<&Upload> {
        self.files.iter().find(|f| f.field == field)
    }
}

/// Why a multipart body could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Larger than the route allows.
    TooLarge,
    /// Not a well-formed multipart body.
    Malformed(String),
}

impl From<ReadError> for AppError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::TooLarge => AppError::TooLarge,
            ReadError::Malformed(m) => AppError::invalid("form", m),
        }
    }
}

/// Reads every part of a multipart form.
pub async fn read(mut multipart: Multipart) -> Result<MultipartForm, ReadError> {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let fail = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ReadError::TooLarge
        } else {
            ReadError::Malformed(e.body_text())
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(fail)? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(fail)?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                let file_name = file_name
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                files.push(Upload {
                    field: name,
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
            None => {
                let text = field.text().await.map_err(fail)?;
                fields.push((name, text));
            }
        }
    }
    Ok(MultipartForm {
        fields: Fields(fields),
        files,
    })
}

/// The ZIP local-file signature every XLSX workbook starts with.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// What kind of spreadsheet an upload is, checked by extension and content. The message of
/// the error says what is wrong with the file and what is accepted.
pub fn spreadsheet_format(upload: &Upload) -> Result<Format, String> {
    let ext = upload
        .file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = &upload.bytes;
    if bytes.is_empty() {
        return Err(format!("{}: the file is empty", upload.file_name));
    }
    match ext.as_str() {
        "csv" => {
            if bytes.starts_with(ZIP_MAGIC) {
                return Err(format!(
                    "{}: named .csv but it is a ZIP archive (an Excel workbook?); save it as CSV (UTF-8) or name it .xlsx",
                    upload.file_name
                ));
            }
            if let Err(e) = std::str::from_utf8(bytes) {
                return Err(format!(
                    "{}: not UTF-8 text (invalid byte at offset {}); save the CSV as UTF-8",
                    upload.file_name,
                    e.valid_up_to()
                ));
            }
            if let Some(at) = bytes.iter().position(|b| *b == 0) {
                return Err(format!(
                    "{}: not text (NUL byte at offset {at})",
                    upload.file_name
                ));
            }
            Ok(Format::Csv)
        }
        "xlsx" => {
            if bytes.starts_with(ZIP_MAGIC) {
                Ok(Format::Xlsx)
            } else {
                Err(format!(
                    "{}: named .xlsx but it is not an XLSX workbook (not a ZIP archive)",
                    upload.file_name
                ))
            }
        }
        "xls" => Err(format!(
            "{}: the old Excel format (.xls) is not read; save the workbook as .xlsx or CSV (UTF-8)",
            upload.file_name
        )),
        _ => Err(format!(
            "{}: unsupported file type; upload a .csv (UTF-8) or .xlsx file",
            upload.file_name
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            field: "file".into(),
            file_name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn spreadsheets_are_checked_by_name_and_content() {
        assert_eq!(
            spreadsheet_format(&up("a.CSV", "区划代码\n".as_bytes())),
            Ok(Format::Csv)
        );
        assert_eq!(
            spreadsheet_format(&up("a.xlsx", b"PK\x03\x04rest")),
            Ok(Format::Xlsx)
        );
        let gbk = [0xC7u8, 0xF8, 0xBB, 0xAE, b'\n'];
        assert!(spreadsheet_format(&up("a.csv", &gbk))
            .unwrap_err()
            .contains("UTF-8"));
        assert!(spreadsheet_format(&up("a.csv", b"PK\x03\x04"))
            .unwrap_err()
            .contains("ZIP"));
        assert!(spreadsheet_format(&up("a.xlsx", b"region_code\n"))
            .unwrap_err()
            .contains("not an XLSX"));
        assert!(spreadsheet_format(&up("a.xls", b"\xD0\xCF"))
            .unwrap_err()
            .contains(".xls"));
        assert!(spreadsheet_format(&up("a.pdf", b"%PDF"))
            .unwrap_err()
            .contains("unsupported"));
        assert!(spreadsheet_format(&up("a.csv", b""))
            .unwrap_err()
            .contains("empty"));
        assert!(spreadsheet_format(&up("a.csv", b"a\x00b"))
            .unwrap_err()
            .contains("NUL"));
    }
}
