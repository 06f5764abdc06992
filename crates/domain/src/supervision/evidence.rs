//! Which files are accepted as evidence (佐证材料): PDF, PNG, JPEG, office documents (DOCX,
//! XLSX, DOC, XLS) and plain text or CSV, up to a size limit. A file's type is decided by its
//! content (magic bytes) and must agree with its extension, so that a renamed executable or a
//! spreadsheet saved as `.pdf` is refused rather than stored under the wrong name.

use serde::{Deserialize, Serialize};

use super::keyed_enum;

/// The size limit when none is configured: 20 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// What a deployment accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidencePolicy {
    pub max_bytes: u64,
}

impl Default for EvidencePolicy {
    fn default() -> Self {
        EvidencePolicy {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

keyed_enum! {
    /// The accepted kinds of file.
    EvidenceKind {
        Pdf => "pdf", "PDF文档",
        Png => "png", "PNG图片",
        Jpeg => "jpeg", "JPEG图片",
        Docx => "docx", "Word文档",
        Xlsx => "xlsx", "Excel表格",
        Doc => "doc", "Word 97-2003文档",
        Xls => "xls", "Excel 97-2003表格",
        Text => "text", "文本",
        Csv => "csv", "CSV表格",
    }
}

impl EvidenceKind {
    /// The MIME type to serve the file with.
    pub fn media_type(self) -> &'static str {
        match self {
            EvidenceKind::Pdf => "application/pdf",
            EvidenceKind::Png => "image/png",
            EvidenceKind::Jpeg => "image/jpeg",
            EvidenceKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            EvidenceKind::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            EvidenceKind::Doc => "application/msword",
            EvidenceKind::Xls => "application/vnd.ms-excel",
            EvidenceKind::Text => "text/plain",
            EvidenceKind::Csv => "text/csv",
        }
    }

    /// The kind an extension promises (without the dot, any case).
    pub fn from_extension(ext: &str) -> Option<EvidenceKind> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "pdf" => EvidenceKind::Pdf,
            "png" => EvidenceKind::Png,
            "jpg" | "jpeg" => EvidenceKind::Jpeg,
            "docx" => EvidenceKind::Docx,
            "xlsx" => EvidenceKind::Xlsx,
            "doc" => EvidenceKind::Doc,
            "xls" => EvidenceKind::Xls,
            "txt" => EvidenceKind::Text,
            "csv" => EvidenceKind::Csv,
            _ => return None,
        })
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("{name}: 文件为空")]
    Empty { name: String },
    #[error("{name}: 文件大小 {size} 字节,超过上限 {max} 字节")]
    TooLarge { name: String, size: u64, max: u64 },
    #[error("{name}: 不接受此类文件(可上传 PDF、PNG、JPEG、DOCX、XLSX、DOC、XLS、TXT、CSV)")]
    UnsupportedExtension { name: String },
    #[error("{name}: 文件内容与扩展名不符(扩展名为 {expected},内容{found})")]
    Mismatch {
        name: String,
        expected: &'static str,
        found: String,
    },
}

const PDF: &[u8] = b"%PDF-";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG: &[u8] = b"\xFF\xD8\xFF";
const ZIP: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What the content says the file is, in words for an error.
fn describe(bytes: &[u8]) -> String {
    if bytes.starts_with(PDF) {
        "是PDF".into()
    } else if bytes.starts_with(PNG) {
        "是PNG图片".into()
    } else if bytes.starts_with(JPEG) {
        "是JPEG图片".into()
    } else if bytes.starts_with(ZIP) {
        "是ZIP压缩包".into()
    } else if bytes.starts_with(OLE2) {
        "是Office 97-2003文档".into()
    } else if bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7FELF") {
        "是可执行程序".into()
    } else if is_text(bytes) {
        "是文本".into()
    } else {
        "无法识别".into()
    }
}

/// Text: UTF-8, or a legacy Chinese encoding (GBK/GB18030 bytes are all ≥ 0x80 outside ASCII),
/// with no control characters other than tab, line breaks and form feed.
fn is_text(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.iter()
        .all(|&b| (b >= 0x20 && b != 0x7F) || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

/// Whether the content is a file of `kind`.
fn content_is(kind: EvidenceKind, bytes: &[u8]) -> bool {
    match kind {
        EvidenceKind::Pdf => bytes.starts_with(PDF),
        EvidenceKind::Png => bytes.starts_with(PNG),
        EvidenceKind::Jpeg => bytes.starts_with(JPEG),
        // Office Open XML is a ZIP holding [Content_Types].xml and the part folder of its
        // application (names are stored uncompressed in the ZIP headers).
        EvidenceKind::Docx => {
            bytes.starts_with(ZIP)
                && contains(bytes, b"[Content_Types].xml")
                && contains(bytes, b"word/")
        }
        EvidenceKind::Xlsx => {
            bytes.starts_with(ZIP)
                && contains(bytes, b"[Content_Types].xml")
                && contains(bytes, b"xl/")
        }
        // DOC and XLS share the OLE2 container; telling them apart needs its directory, which
        // adds nothing to safety: either is accepted under either extension.
        EvidenceKind::Doc | EvidenceKind::Xls => bytes.starts_with(OLE2),
        EvidenceKind::Text | EvidenceKind::Csv => is_text(bytes),
    }
}

/// Checks a file to be stored as evidence; returns its kind.
pub fn check(
    name: &str,
    bytes: &[u8],
    policy: &EvidencePolicy,
) -> Result<EvidenceKind, EvidenceError> {
    let name = name.trim().to_string();
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(EvidenceError::Empty { name });
    }
    if size > policy.max_bytes {
        return Err(EvidenceError::TooLarge {
            name,
            size,
            max: policy.max_bytes,
        });
    }
    let kind = std::path::Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
        .and_then(EvidenceKind::from_extension)
        .ok_or_else(|| EvidenceError::UnsupportedExtension { name: name.clone() })?;
    if content_is(kind, bytes) {
        Ok(kind)
    } else {
        Err(EvidenceError::Mismatch {
            found: describe(bytes),
            expected: kind.key(),
            name,
        })
    }
}

/// A file name safe to keep and show: the last path component, without control characters,
/// at most 200 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    cleaned.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> EvidencePolicy {
        EvidencePolicy::default()
    }

    fn docx() -> Vec<u8> {
        let mut b = ZIP.to_vec();
        b.extend_from_slice(b"....[Content_Types].xml....word/document.xml....");
        b
    }

    #[test]
    fn accepted_kinds() {
        let cases: Vec<(&str, Vec<u8>, EvidenceKind)> = vec![
            ("整改报告.pdf", b"%PDF-1.7\n...".to_vec(), EvidenceKind::Pdf),
            ("现场.PNG", [PNG, b"rest"].concat(), EvidenceKind::Png),
            ("现场.jpg", [JPEG, b"\xE0rest"].concat(), EvidenceKind::Jpeg),
            (
                "现场.jpeg",
                [JPEG, b"\xE1rest"].concat(),
                EvidenceKind::Jpeg,
            ),
            ("方案.docx", docx(), EvidenceKind::Docx),
            (
                "台账.xlsx",
                [ZIP, b"[Content_Types].xml xl/workbook.xml"].concat(),
                EvidenceKind::Xlsx,
            ),
            ("旧文件.doc", [OLE2, b"rest"].concat(), EvidenceKind::Doc),
            ("旧表.xls", [OLE2, b"rest"].concat(), EvidenceKind::Xls),
            (
                "说明.txt",
                "已完成整改。\r\n".as_bytes().to_vec(),
                EvidenceKind::Text,
            ),
            (
                "清单.csv",
                b"\xEF\xBB\xBFa,b\n1,2\n".to_vec(),
                EvidenceKind::Csv,
            ),
            // GBK-encoded text ("整改") is text too.
            (
                "gbk.txt",
                b"\xD5\xFB\xB8\xC4\r\n".to_vec(),
                EvidenceKind::Text,
            ),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(check(name, &bytes, &policy()), Ok(kind), "{name}");
        }
        assert_eq!(EvidenceKind::Pdf.media_type(), "application/pdf");
    }

    #[test]
    fn refused_files() {
        assert!(matches!(
            check("a.pdf", b"", &policy()),
            Err(EvidenceError::Empty { .. })
        ));
        assert!(matches!(
            check("a.exe", b"MZ\x90\x00", &policy()),
            Err(EvidenceError::UnsupportedExtension { .. })
        ));
        assert!(matches!(
            check("no_extension", b"%PDF-1.4", &policy()),
            Err(EvidenceError::UnsupportedExtension { .. })
        ));
        // A program renamed to .pdf, a PNG named .pdf, a DOCX named .xlsx, binary as .txt.
        let e = check("报告.pdf", b"MZ\x90\x00\x03\x00", &policy()).unwrap_err();
        assert!(e.to_string().contains("可执行程序"), "{e}");
        assert!(matches!(
            check("a.pdf", &[PNG, b"x"].concat(), &policy()),
            Err(EvidenceError::Mismatch { .. })
        ));
        assert!(matches!(
            check("a.xlsx", &docx(), &policy()),
            Err(EvidenceError::Mismatch { .. })
        ));
        assert!(matches!(
            check("a.docx", b"PK\x03\x04 nothing", &policy()),
            Err(EvidenceError::Mismatch { .. })
        ));
        assert!(matches!(
            check("a.txt", b"abc\x00def", &policy()),
            Err(EvidenceError::Mismatch { .. })
        ));
    }

    #[test]
    fn the_size_limit_is_configurable() {
        let small = EvidencePolicy { max_bytes: 10 };
        assert!(check("a.txt", b"0123456789", &small).is_ok());
        assert_eq!(
            check("a.txt", b"0123456789A", &small),
            Err(EvidenceError::TooLarge {
                name: "a.txt".into(),
                size: 11,
                max: 10
            })
        );
        assert_eq!(EvidencePolicy::default().max_bytes, 20 * 1024 * 1024);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\Users\\x\\整改报告.pdf"), "整改报告.pdf");
        assert_eq!(clean_name("../../etc/passwd.txt"), "passwd.txt");
        assert_eq!(clean_name("a\u{0}b.pdf"), "ab.pdf");
    }
}
