//! Evidence files (佐证材料): uploading one (a multipart form with a `file` part) and
//! downloading one by its SHA-256. A file is accepted by its content and extension (PDF, PNG,
//! JPEG, DOCX, XLSX, DOC, XLS, TXT, CSV) up to the upload limit; a refused file is answered
//! 415 (wrong kind, or content that does not match its name) or 413 (too large), the problem's
//! `detail` saying which. Identical content is stored once. A file can be downloaded by those
//! whose region holds a record citing it, and by the one who stored it.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ecoduty_domain::supervision::evidence::{check, EvidenceError, EvidencePolicy};
use ecoduty_store::supervision::evidence::EvidenceInfo;
use ecoduty_store::supervision::EvidenceRef;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::common::{Allowed, Rectify};
use crate::api::extract::Json;
use crate::api::roster::BinaryFile;
use crate::auth::ApiScoped;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// The form of an evidence upload (describes the request; the handler reads the parts).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceUpload {
    /// The file: PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS, TXT or CSV.
    #[schema(value_type = BinaryFile)]
    file: Vec<u8>,
}

/// A stored file: the reference to cite, and what it is.
#[derive(Serialize, ToSchema)]
pub struct StoredEvidence {
    /// Cite this in a closure request or a progress report.
    pub reference: EvidenceRef,
    pub info: EvidenceInfo,
}

/// The deployment's evidence policy: its size limit.
pub fn policy(state: &AppState) -> EvidencePolicy {
    EvidencePolicy {
        max_bytes: state.config.evidence_max_bytes as u64,
    }
}

/// The refusal of a file, as the right problem: 413 for size, 415 for kind, 422 when empty.
pub fn refusal(e: EvidenceError) -> AppError {
    match e {
        EvidenceError::TooLarge { size, max, .. } => AppError::FileTooLarge(format!(
            "{e} (the file has {size} bytes; the limit is {max} bytes)"
        )),
        EvidenceError::UnsupportedExtension { .. } => AppError::UnsupportedType(format!(
            "{e} (accepted: .pdf .png .jpg .jpeg .docx .xlsx .doc .xls .txt .csv)"
        )),
        EvidenceError::Mismatch { .. } => AppError::UnsupportedType(format!(
            "{e} (the content does not match the file's extension)"
        )),
        EvidenceError::Empty { .. } => AppError::invalid("file", e.to_string()),
    }
}

/// A request body over the server's limit for uploads.
pub fn over_limit(state: &AppState) -> AppError {
    AppError::FileTooLarge(format!(
        "the upload exceeds the limit of {} bytes",
        state.config.evidence_max_bytes
    ))
}

/// Checks and stores a file for a user.
pub async fn store_file(
    state: &AppState,
    change: &ecoduty_store::Change,
    name: &str,
    bytes: &[u8],
) -> Result<StoredEvidence, AppError> {
    let policy = policy(state);
    check(name, bytes, &policy).map_err(refusal)?;
    let (reference, info) = state
        .store
        .add_evidence(change, name, bytes, &policy)
        .await?;
    Ok(StoredEvidence { reference, info })
}

#[utoipa::path(
    post, path = "/api/v1/evidence", operation_id = "evidence_upload", tag = "evidence",
    request_body(content = EvidenceUpload, content_type = "multipart/form-data",
        description = "A multipart form with one `file` part"),
    responses(
        (status = 201, description = "The file stored (or already stored: identical content is kept once)", body = StoredEvidence),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 413, response = crate::api::common::TooLarge),
        (status = 415, response = crate::api::common::UnsupportedType),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn upload(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<Rectify>,
    req: Request,
) -> ApiResult<(StatusCode, Json<StoredEvidence>)> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::invalid(
            "content-type",
            "send a multipart/form-data form with a part named file",
        )
        .into());
    }
    let read_error = |status: StatusCode, text: String| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            over_limit(&state)
        } else {
            AppError::invalid("file", text)
        }
    };
    let mut form = Multipart::from_request(req, &state)
        .await
        .map_err(|e| read_error(e.status(), e.body_text()))?;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| read_error(e.status(), e.body_text()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| read_error(e.status(), e.body_text()))?;
            file = Some((name, bytes));
        }
    }
    let (name, bytes) =
        file.ok_or_else(|| AppError::invalid("file", "the form has no part named file"))?;
    if name.trim().is_empty() || name.contains('\0') {
        return Err(AppError::invalid("file", "the file part needs a file name").into());
    }
    let stored = store_file(
        &state,
        &v.change(format!("store evidence {}", name.trim())),
        &name,
        &bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

#[utoipa::path(
    get, path = "/api/v1/evidence/{sha256}", operation_id = "evidence_download", tag = "evidence",
    params(("sha256" = String, Path, description = "The file's SHA-256, in hex", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")),
    responses(
        (status = 200, description = "The file, with the media type of its kind", content(
            (BinaryFile = "application/pdf"),
            (BinaryFile = "image/png"),
            (BinaryFile = "image/jpeg"),
            (BinaryFile = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (BinaryFile = "application/msword"),
            (BinaryFile = "application/vnd.ms-excel"),
            (BinaryFile = "text/plain"),
            (BinaryFile = "text/csv")
        )),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn download(
    State(state): State<AppState>,
    ApiScoped(info, _): ApiScoped<EvidenceInfo>,
) -> ApiResult<Response> {
    Ok(file_response(&state, &info).await?)
}

/// A stored file as a download.
pub async fn file_response(state: &AppState, info: &EvidenceInfo) -> Result<Response, AppError> {
    let (info, bytes) = state
        .store
        .evidence_content(&info.sha256)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&info.media_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    let ext = match info.kind.key() {
        "jpeg" => "jpg",
        "text" => "txt",
        other => other,
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}.{ext}\"",
        &info.sha256[..16.min(info.sha256.len())]
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Refuses to cite a file the caller may not read: a digest alone grants nothing. A file from
/// another region is answered exactly like an unknown digest, so that citing cannot be used to
/// learn which files exist elsewhere.
pub async fn require_citable(
    state: &AppState,
    v: &crate::auth::Viewer,
    evidence: &[EvidenceRef],
) -> Result<(), AppError> {
    for e in evidence {
        let readable = match state.store.evidence_info(&e.sha256).await? {
            None => false,
            Some(_) if v.root().is_none() => true,
            Some(info) => state
                .store
                .evidence_citations(&info.sha256)
                .await?
                .readable_by(&v.actor(), |r| v.reaches(r)),
        };
        if !readable {
            return Err(AppError::invalid(
                "evidence",
                format!(
                    "{} ({}) is not a stored evidence file: upload it first",
                    e.name, e.sha256
                ),
            ));
        }
    }
    Ok(())
}
