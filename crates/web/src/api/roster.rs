//! Rosters (任职名册): every counting tenure of a region as CSV, XLSX or JSON, and importing a
//! roster file — all rows or none. A refused import answers 422 with every bad row
//! (`errors: [{line, field, message}]`); a row outside the caller's region is a bad row.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use ecoduty_domain::roster::{header as roster_header, parse_roster, RosterRow, RowError};
use ecoduty_store::roster::{ImportSummary, RosterSource};
use serde::Deserialize;
use sha2::Digest;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::api::common::{reason_or, Allowed, EditRecords};
use crate::api::extract::{Json, Query};
use crate::auth::ApiViewer;
use crate::error::{ApiError, ApiResult, AppError};
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file's bytes, in the OpenAPI document.
pub struct BinaryFile;

impl PartialSchema for BinaryFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for BinaryFile {}

/// The form of a multipart roster upload (describes the request; the handler reads the parts).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RosterUpload {
    /// The roster: a .csv or .xlsx file.
    #[schema(value_type = BinaryFile)]
    file: Vec<u8>,
    /// Why (recorded in the ledger).
    reason: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RosterFormat {
    #[default]
    Csv,
    Xlsx,
    Json,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The region whose subtree is exported; the caller's region when absent.
    pub region: Option<String>,
    /// csv (default), xlsx or json.
    #[param(inline)]
    pub format: Option<RosterFormat>,
}

#[utoipa::path(
    get, path = "/api/v1/roster", operation_id = "roster_export", tag = "roster",
    params(ExportQuery),
    responses(
        (status = 200, description = "Every counting tenure within the region, by region, organisation, post and start date. The CSV and XLSX files have the columns a roster import reads, with person_key and portfolio", content(
            (String = "text/csv"),
            (BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Vec<RosterRow> = "application/json")
        )),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn export(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let within = match q.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) => Some(v.region(&state.store, code).await?.code),
        None => v.root().cloned(),
    };
    let rows = state.store.export_roster(within.as_ref()).await?;
    let name = format!(
        "roster-{}",
        within.as_ref().map(|c| c.as_str()).unwrap_or("all")
    );
    let cells = || rows.iter().map(|r| r.to_cells(true)).collect::<Vec<_>>();
    let (bytes, content_type, ext) = match q.format.unwrap_or_default() {
        RosterFormat::Json => return Ok(Json(rows).into_response()),
        RosterFormat::Csv => (
            ecoduty_tabular::write_csv(&roster_header(true), &cells()),
            "text/csv; charset=utf-8",
            "csv",
        ),
        RosterFormat::Xlsx => (
            ecoduty_tabular::write_xlsx("roster", &roster_header(true), &cells())
                .map_err(|e| AppError::Internal(e.to_string()))?,
            XLSX,
            "xlsx",
        ),
    };
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Why (recorded in the ledger); for a multipart upload the `reason` part works too.
    pub reason: Option<String>,
    /// The file's name, recorded with the import (a multipart upload names its file itself).
    pub file_name: Option<String>,
}

/// A roster file as uploaded.
struct Upload {
    bytes: Bytes,
    format: ecoduty_tabular::Format,
    file_name: String,
    reason: Option<String>,
}

fn format_of(content_type: &str, file_name: &str) -> Result<ecoduty_tabular::Format, AppError> {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    match mime.to_ascii_lowercase().as_str() {
        "text/csv" => Ok(ecoduty_tabular::Format::Csv),
        XLSX => Ok(ecoduty_tabular::Format::Xlsx),
        _ => ecoduty_tabular::Format::of(std::path::Path::new(file_name)).map_err(|_| {
            AppError::invalid(
                "content-type",
                format!("send text/csv, {XLSX}, or a multipart form with a .csv or .xlsx file"),
            )
        }),
    }
}

fn upload_error(status: axum::http::StatusCode, text: String) -> AppError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::invalid("file", text)
    }
}

async fn read_upload(state: &AppState, req: Request, q: &ImportQuery) -> Result<Upload, AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|e| upload_error(e.status(), e.body_text()))?;
        let mut file = None;
        let mut reason = None;
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|e| upload_error(e.status(), e.body_text()))?
        {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("upload").to_string();
                    let ct = field.content_type().unwrap_or("").to_string();
                    let bytes = field
                        .bytes()
                        .await
                        .map_err(|e| upload_error(e.status(), e.body_text()))?;
                    file = Some((name, ct, bytes));
                }
                Some("reason") => {
                    reason = Some(
                        field
                            .text()
                            .await
                            .map_err(|e| upload_error(e.status(), e.body_text()))?,
                    );
                }
                _ => {}
            }
        }
        let (file_name, ct, bytes) =
            file.ok_or_else(|| AppError::invalid("file", "the form has no part named file"))?;
        Ok(Upload {
            format: format_of(&ct, &file_name)?,
            bytes,
            file_name,
            reason: reason.or_else(|| q.reason.clone()),
        })
    } else {
        let file_name = q
            .file_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "upload".into());
        let format = format_of(&content_type, &file_name)?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| upload_error(e.status(), e.body_text()))?;
        Ok(Upload {
            bytes,
            format,
            file_name,
            reason: q.reason.clone(),
        })
    }
}

#[utoipa::path(
    post, path = "/api/v1/roster", operation_id = "roster_import", tag = "roster",
    params(ImportQuery),
    request_body(
        description = "The roster: a CSV or XLSX file as the body (with its content type), or a multipart form with a `file` part. Columns region_code, organisation, organisation_kind, post, role, person, start_date, end_date, acting (or their Chinese headers); optional person_key, portfolio",
        content(
            (String = "text/csv"),
            (BinaryFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (RosterUpload = "multipart/form-data")
        )
    ),
    responses(
        (status = 200, description = "What the import did (nothing when the file was already recorded)", body = ImportSummary),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 413, response = crate::api::common::TooLarge),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<EditRecords>,
    Query(q): Query<ImportQuery>,
    req: Request,
) -> ApiResult<Json<ImportSummary>> {
    let upload = read_upload(&state, req, &q).await?;
    // PostgreSQL cannot store a NUL character (a workbook is binary, its cells cannot hold one).
    if matches!(upload.format, ecoduty_tabular::Format::Csv) && upload.bytes.contains(&0) {
        return Err(AppError::invalid("file", "a NUL character is not allowed").into());
    }
    let table = ecoduty_tabular::read(&upload.bytes, upload.format, &upload.file_name)
        .map_err(|e| AppError::invalid("file", e.to_string()))?;
    let rows = parse_roster(&table.header, &table.rows).map_err(|e| AppError::Rows(e.0))?;
    let outside: Vec<RowError> = rows
        .iter()
        .filter(|r| !v.reaches(&r.region_code))
        .map(|r| RowError {
            line: r.line,
            field: "region_code".into(),
            message: format!("{} is outside your region", r.region_code),
        })
        .collect();
    if !outside.is_empty() {
        return Err(ApiError(AppError::Rows(outside)));
    }
    let source = RosterSource {
        file_name: upload.file_name.clone(),
        sha256: hex::encode(sha2::Sha256::digest(&upload.bytes)),
    };
    let reason = reason_or(upload.reason, || {
        format!("roster import {}", upload.file_name)
    })?;
    let summary = state
        .store
        .import_roster(&v.change(reason), &rows, &source)
        .await?;
    Ok(Json(summary))
}
