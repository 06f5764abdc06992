//! Roster import and export for users who may edit records. An uploaded CSV or XLSX file is
//! checked by extension, content and size, validated row by row
//! ([`ecoduty_domain::roster::parse_roster`]), every row must lie within the user's region, and
//! the import is all or nothing ([`ecoduty_store::Store::import_roster`]): a refused file shows
//! every bad row (line, field, problem) and changes nothing. Exports are the user's region.

use axum::extract::{FromRequest, Multipart, OriginalUri, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ecoduty_domain::access::Permission;
use ecoduty_domain::roster::{header as roster_header, parse_roster, RowError};
use ecoduty_domain::RegionCode;
use ecoduty_store::roster::{ImportSummary, RosterSource};
use ecoduty_tabular::Format;
use maud::{html, Markup};
use sha2::Digest;

use crate::auth::Viewer;
use crate::error::{AppError, PageResult};
use crate::state::AppState;
use crate::ui::layout::{csrf_field, field, notice, row_errors, Shell};
use crate::ui::regions::today;
use crate::ui::upload::{self, ReadError};

/// What the page shows after an upload.
enum Outcome {
    /// The file could not be read at all (type, encoding, size, not a spreadsheet).
    Unreadable(String),
    /// The rows have problems; nothing was imported.
    Rows(String, Vec<RowError>),
    /// Imported.
    Done(String, ImportSummary),
}

fn page(viewer: &Viewer, here: &str, outcome: Option<&Outcome>, max_upload: usize) -> Markup {
    let lang = viewer.lang;
    let t = |k| lang.t(k);
    let scope = match viewer.root() {
        Some(code) => code.to_string(),
        None => t("roster.nationwide").to_string(),
    };
    let body = html! {
        h1 { (t("roster.title")) }
        @match outcome {
            Some(Outcome::Unreadable(m)) => {
                (notice("error", html! { strong { (t("roster.unreadable")) } " " (m) }))
            }
            Some(Outcome::Rows(file, rows)) => {
                (notice("error", html! { strong { (file) } ": " (t("roster.failed")) }))
                (row_errors(lang, rows))
            }
            Some(Outcome::Done(file, s)) => {
                @if s.ledger_seq.is_some() {
                    (notice("ok", html! { strong { (t("roster.done")) } " " (file) }))
                } @else {
                    (notice("info", html! { (t("roster.nothing")) " " (file) }))
                }
                @if !s.warnings.is_empty() {
                    (notice("error", html! {
                        strong { (t("roster.influence_warnings")) }
                        ul { @for w in &s.warnings { li { (w.message) } } }
                    }))
                }
                div class="table-wrap" {
                    table class="summary" {
                        caption { (t("roster.summary")) }
                        tbody {
                            tr { th scope="row" { (t("roster.rows")) } td { (s.rows) } }
                            tr { th scope="row" { (t("roster.orgs_created")) } td { (s.organisations_created) } }
                            tr { th scope="row" { (t("roster.posts_created")) } td { (s.posts_created) } }
                            tr { th scope="row" { (t("roster.posts_updated")) } td { (s.posts_updated) } }
                            tr { th scope="row" { (t("roster.people_created")) } td { (s.people_created) } }
                            tr { th scope="row" { (t("roster.tenures_created")) } td { (s.tenures_created) } }
                            tr { th scope="row" { (t("roster.tenures_updated")) } td { (s.tenures_updated) } }
                            tr { th scope="row" { (t("roster.tenures_unchanged")) } td { (s.tenures_unchanged) } }
                            @if let Some(seq) = s.ledger_seq {
                                tr { th scope="row" { (t("roster.ledger_entry")) } td {
                                    @if viewer.can(Permission::ReadLedger) { a href=(format!("/ledger?before={}", seq + 1)) { "#" (seq) } } @else { "#" (seq) }
                                } }
                            }
                        }
                    }
                }
            }
            None => {}
        }
        section aria-labelledby="import-h" {
            h2 id="import-h" { (t("roster.import")) }
            p { (t("roster.columns")) }
            p class="muted" { (t("roster.scope")) ": " (scope) " · " (t("roster.limit")) " " (max_upload / (1024 * 1024)) " MiB" }
            form method="post" action="/roster" enctype="multipart/form-data" class="card" {
                (csrf_field(viewer))
                (field("roster-file", t("roster.file"), html! {
                    input id="roster-file" name="file" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                }))
                (field("roster-reason", t("roster.reason"), html! {
                    input id="roster-reason" name="reason" type="text" maxlength="500" aria-describedby="roster-reason-hint";
                    small id="roster-reason-hint" class="muted" { (t("roster.reason_hint")) }
                }))
                button type="submit" class="primary" { (t("roster.import")) }
            }
        }
        section aria-labelledby="export-h" {
            h2 id="export-h" { (t("roster.export")) }
            p { (t("roster.export_help")) " (" (scope) ")" }
            ul class="links" {
                li { a href="/roster/export.csv" download { (t("roster.export")) " CSV" } }
                li { a href="/roster/export.xlsx" download { (t("roster.export")) " XLSX" } }
            }
        }
    };
    Shell::of(viewer, here).page(t("roster.title"), body)
}

/// GET /roster
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    viewer.require(Permission::EditRecords)?;
    Ok(page(
        &viewer,
        &uri.to_string(),
        None,
        state.config.max_upload,
    ))
}

/// Rows whose region lies outside the viewer's, found in the raw cells so that they are
/// reported along with every other problem of the file.
fn out_of_scope(viewer: &Viewer, table: &ecoduty_tabular::Table) -> Vec<RowError> {
    let Some(root) = viewer.root() else {
        return Vec::new();
    };
    let Some(col) = table.header.iter().position(|h| {
        let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        h == "region_code" || h == "区划代码"
    }) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter_map(|(line, cells)| {
            let code = RegionCode::parse(cells.get(col)?.trim()).ok()?;
            (!code.is_within(root)).then(|| RowError {
                line: *line,
                field: "region_code".into(),
                message: format!("region {code} lies outside your region ({root})"),
            })
        })
        .collect()
}

/// POST /roster (multipart: file, reason)
pub async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    OriginalUri(uri): OriginalUri,
    request: Request,
) -> PageResult<Response> {
    // The role is checked before the upload is read.
    viewer.require(Permission::EditRecords)?;
    let multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let max = state.config.max_upload;
    let here = uri.to_string();
    let answer = |status: StatusCode, outcome: Outcome| -> Response {
        (status, page(&viewer, &here, Some(&outcome), max)).into_response()
    };
    let form = match upload::read(multipart).await {
        Ok(f) => f,
        Err(ReadError::TooLarge) => {
            return Ok(answer(
                StatusCode::PAYLOAD_TOO_LARGE,
                Outcome::Unreadable(format!(
                    "{} {} MiB",
                    viewer.lang.t("roster.too_large"),
                    max / (1024 * 1024)
                )),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    viewer.check_csrf(form.fields.get("csrf"))?;
    let Some(file) = form.file("file") else {
        return Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Unreadable(viewer.lang.t("roster.no_file").to_string()),
        ));
    };
    if file.bytes.len() > max {
        return Ok(answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            Outcome::Unreadable(format!(
                "{} {} MiB",
                viewer.lang.t("roster.too_large"),
                max / (1024 * 1024)
            )),
        ));
    }
    let format = match upload::spreadsheet_format(file) {
        Ok(f) => f,
        Err(m) => {
            return Ok(answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome::Unreadable(m),
            ))
        }
    };
    let name = file.file_name.clone();
    let table = match ecoduty_tabular::read(&file.bytes, format, &name) {
        Ok(t) => t,
        Err(e) => {
            return Ok(answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome::Unreadable(e.to_string()),
            ))
        }
    };
    let mut errors = out_of_scope(&viewer, &table);
    let rows = match parse_roster(&table.header, &table.rows) {
        Ok(rows) => rows,
        Err(e) => {
            errors.extend(e.0);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        errors.sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
        return Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Rows(name, errors),
        ));
    }
    let reason = match form.fields.get("reason").trim() {
        "" => format!("roster import {name}"),
        r => r.to_string(),
    };
    let source = RosterSource {
        file_name: name.clone(),
        sha256: hex::encode(sha2::Sha256::digest(&file.bytes)),
    };
    match state
        .store
        .import_roster(&viewer.change(reason), &rows, &source)
        .await
        .map_err(AppError::from)
    {
        Ok(summary) => Ok(answer(StatusCode::OK, Outcome::Done(name, summary))),
        Err(AppError::Rows(rows)) => Ok(answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Rows(name, rows),
        )),
        Err(e) => Err(e),
    }
}

async fn export(state: &AppState, viewer: &Viewer, format: Format) -> PageResult<Response> {
    viewer.require(Permission::EditRecords)?;
    let rows = state.store.export_roster(viewer.root()).await?;
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.to_cells(true)).collect();
    let head = roster_header(true);
    let scope = viewer
        .root()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "all".into());
    let stem = format!("roster-{scope}-{}", today());
    let (bytes, content_type, ext) = match format {
        Format::Csv => (
            ecoduty_tabular::write_csv(&head, &cells),
            "text/csv; charset=utf-8",
            "csv",
        ),
        Format::Xlsx => (
            ecoduty_tabular::write_xlsx("roster", &head, &cells)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok(crate::ui::layout::attachment(
        bytes,
        content_type,
        &format!("{stem}.{ext}"),
    ))
}

/// GET /roster/export.csv
pub async fn export_csv(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    export(&state, &viewer, Format::Csv).await
}

/// GET /roster/export.xlsx
pub async fn export_xlsx(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    export(&state, &viewer, Format::Xlsx).await
}
