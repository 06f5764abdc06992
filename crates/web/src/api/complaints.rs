//! Public complaints (信访/举报, Art. 4(4)) for the staff who handle them: the list, one
//! complaint with its versions, assigning it to a unit with an answer deadline, answering it,
//! taking it up as a finding for rectification, and statistics by region and category. The
//! public files complaints through the form at /public/complaint; the complainant's contact
//! is shown only to those who handle complaints. The files sent with a complaint are listed
//! with it and downloaded from `/api/v1/complaints/{id}/attachments/{n}` by anyone who may see
//! the complaint (others get 404, like for the complaint itself).

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use ecoduty_domain::access::Permission;
use ecoduty_domain::supervision::complaints::ComplaintStatus;
use ecoduty_domain::supervision::{Category, Severity};
use ecoduty_store::supervision::complaints::{
    Complaint, ComplaintAttachment, ComplaintFilter, ComplaintStat, Promotion,
};
use ecoduty_store::supervision::findings::Finding;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{
    body_ref, list_scope, optional_text, required_text, today, Allowed, HandleComplaints,
};
use crate::api::extract::{Json, Query};
use crate::api::pagination::{self, Page};
use crate::api::roster::BinaryFile;
use crate::auth::{ApiScoped, ApiViewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    /// Complaints about places within this region; the caller's region when absent.
    pub region: Option<String>,
    #[param(inline)]
    pub status: Option<ComplaintStatus>,
    #[param(inline)]
    pub category: Option<Category>,
    /// Only those unanswered past their deadline.
    pub overdue: Option<bool>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/complaints", operation_id = "complaints_list", tag = "complaints",
    params(ComplaintQuery),
    responses(
        (status = 200, description = "Complaints, newest first", body = Page<Complaint>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ComplaintQuery>,
) -> ApiResult<Json<Page<Complaint>>> {
    let filter = ComplaintFilter {
        within: list_scope(&state, &v, q.region.as_deref()).await?,
        status: q.status,
        category: q.category,
        overdue_on: q.overdue.unwrap_or(false).then(today),
    };
    let page = pagination::by_id(q.limit, q.cursor.as_deref())?;
    Ok(Json(pagination::from_store(
        state.store.complaints_page(&filter, page).await?,
    )))
}

/// A file the complainant sent with a complaint.
#[derive(Serialize, ToSchema)]
pub struct AttachmentView {
    /// Its place in the complaint's list, from 1 (the `n` of its download path).
    #[schema(example = 1)]
    pub number: usize,
    /// The name it was sent under.
    #[schema(example = "现场.jpg")]
    pub name: String,
    /// The media type of its kind (checked by content when it was received).
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the content, in hex: the evidence file it is stored as.
    pub sha256: String,
    /// Where to download it: `/api/v1/complaints/{id}/attachments/{n}`.
    #[schema(example = "/api/v1/complaints/1/attachments/1")]
    pub download: String,
}

impl AttachmentView {
    pub fn of(complaint_id: i64, a: ComplaintAttachment) -> AttachmentView {
        AttachmentView {
            download: format!("/api/v1/complaints/{complaint_id}/attachments/{}", a.number),
            number: a.number,
            name: a.name,
            content_type: a.media_type,
            size: a.size,
            sha256: a.sha256,
        }
    }
}

/// A complaint with its versions.
#[derive(Serialize, ToSchema)]
pub struct ComplaintDetail {
    pub complaint: Complaint,
    /// Every version, oldest first (filed, assigned, answered, promoted).
    pub versions: Vec<Complaint>,
    /// The complainant's contact, for those who handle complaints; `null` otherwise or when
    /// none was given.
    pub contact: Option<String>,
    /// The files sent with the complaint, in the order sent (empty when none).
    pub attachments: Vec<AttachmentView>,
}

#[utoipa::path(
    get, path = "/api/v1/complaints/{id}", operation_id = "complaints_get", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id", example = 1)),
    responses(
        (status = 200, description = "The complaint and its versions", body = ComplaintDetail),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(complaint, v): ApiScoped<Complaint>,
) -> ApiResult<Json<ComplaintDetail>> {
    let versions = state.store.complaint_versions(complaint.id).await?;
    let contact = if v.can(Permission::HandleComplaints) {
        state.store.complaint_contact(complaint.id).await?
    } else {
        None
    };
    let attachments = state
        .store
        .complaint_attachments(&complaint)
        .await?
        .into_iter()
        .map(|a| AttachmentView::of(complaint.id, a))
        .collect();
    Ok(Json(ComplaintDetail {
        complaint,
        versions,
        contact,
        attachments,
    }))
}

#[utoipa::path(
    get, path = "/api/v1/complaints/{id}/attachments/{n}", operation_id = "complaints_attachment", tag = "complaints",
    params(
        ("id" = i64, Path, description = "Complaint id", example = 1),
        ("n" = usize, Path, description = "The attachment's number in the complaint's list, from 1", example = 1)
    ),
    responses(
        (status = 200, description = "The file as it was sent, with the media type of its kind and its name", content(
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
pub async fn attachment(
    State(state): State<AppState>,
    ApiScoped(complaint, _): ApiScoped<Complaint>,
    Path((_, n)): Path<(String, String)>,
) -> ApiResult<Response> {
    Ok(attachment_response(&state, &complaint, &n).await?)
}

/// The `n`th file of a complaint (from 1) as a download under the name it was sent with;
/// "not found" for any other `n`.
pub async fn attachment_response(
    state: &AppState,
    complaint: &Complaint,
    n: &str,
) -> Result<Response, AppError> {
    let index = n
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or(AppError::NotFound)?;
    let cited = complaint.attachments.get(index).ok_or(AppError::NotFound)?;
    let (info, bytes) = state
        .store
        .evidence_content(&cited.sha256)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut res = bytes.into_response();
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&info.media_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&cited.name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// `attachment` with the file's name: an ASCII fallback, and the name itself in UTF-8
/// (RFC 6266, RFC 8187).
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn downloads_keep_the_name_they_were_sent_under() {
        assert_eq!(
            super::content_disposition("现场 1.png"),
            "attachment; filename=\"__ 1.png\"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%201.png"
        );
        assert_eq!(
            super::content_disposition("a\"b.txt"),
            "attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt"
        );
    }
}

/// Assigning a complaint to a unit (转办).
#[derive(Deserialize, ToSchema)]
pub struct AssignBody {
    /// The unit to answer it, within the caller's region.
    pub organisation_id: i64,
    /// The answer deadline; 60 days after receipt when absent.
    pub answer_due: Option<NaiveDate>,
}

#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/assign", operation_id = "complaints_assign", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id", example = 1)),
    request_body = AssignBody,
    responses(
        (status = 200, description = "The complaint's new version", body = Complaint),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    ApiScoped(complaint, _): ApiScoped<Complaint>,
    Allowed(v, _): Allowed<HandleComplaints>,
    Json(body): Json<AssignBody>,
) -> ApiResult<Json<Complaint>> {
    v.organisation(&state.store, body.organisation_id)
        .await
        .map_err(|_| {
            AppError::invalid(
                "organisation_id",
                format!("no organisation {} in your region", body.organisation_id),
            )
        })?;
    Ok(Json(
        state
            .store
            .assign_complaint(
                &v.change(format!("assign complaint {}", complaint.id)),
                complaint.id,
                body.organisation_id,
                body.answer_due,
            )
            .await
            .map_err(body_ref("organisation_id"))?,
    ))
}

/// The answer to the complainant (答复).
#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    pub answer: String,
}

#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/answer", operation_id = "complaints_answer", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id", example = 1)),
    request_body = AnswerBody,
    responses(
        (status = 200, description = "The complaint's new version, answered (the complainant sees the answer by the tracking code)", body = Complaint),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    ApiScoped(complaint, _): ApiScoped<Complaint>,
    Allowed(v, _): Allowed<HandleComplaints>,
    Json(body): Json<AnswerBody>,
) -> ApiResult<Json<Complaint>> {
    let text = required_text("answer", &body.answer, 5000)?;
    Ok(Json(
        state
            .store
            .answer_complaint(
                &v.change(format!("answer complaint {}", complaint.id)),
                complaint.id,
                &text,
                today(),
            )
            .await?,
    ))
}

/// Taking a complaint up as a finding: what the complaint itself does not say.
#[derive(Deserialize, ToSchema)]
pub struct PromoteBody {
    pub severity: Severity,
    /// Responsible units, by id; at least one.
    pub units: Vec<i64>,
    #[serde(default)]
    pub posts: Vec<i64>,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub measures: String,
}

/// A complaint taken up, and the finding it became.
#[derive(Serialize, ToSchema)]
pub struct Promoted {
    pub complaint: Complaint,
    pub finding: Finding,
}

#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/promote", operation_id = "complaints_promote", tag = "complaints",
    params(("id" = i64, Path, description = "Complaint id", example = 1)),
    request_body = PromoteBody,
    responses(
        (status = 200, description = "The complaint, now citing the finding it became", body = Promoted),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn promote(
    State(state): State<AppState>,
    ApiScoped(complaint, _): ApiScoped<Complaint>,
    Allowed(v, _): Allowed<HandleComplaints>,
    Json(body): Json<PromoteBody>,
) -> ApiResult<Json<Promoted>> {
    if body.units.is_empty() {
        return Err(AppError::invalid("units", "name at least one responsible unit").into());
    }
    let measures = optional_text("measures", &body.measures, 5000)?;
    let (complaint, finding) = state
        .store
        .promote_complaint(
            &v.change(format!("take up complaint {} as a finding", complaint.id)),
            complaint.id,
            Promotion {
                severity: body.severity,
                units: body.units,
                posts: body.posts,
                deadline: body.deadline,
                measures,
            },
            today(),
        )
        .await
        .map_err(body_ref("units"))?;
    Ok(Json(Promoted { complaint, finding }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// Complaints within this region; the caller's region when absent.
    pub region: Option<String>,
    /// The first day received (default: 1 January of this year).
    pub from: Option<NaiveDate>,
    /// The last day received (default: today).
    pub to: Option<NaiveDate>,
}

#[utoipa::path(
    get, path = "/api/v1/complaints/statistics", operation_id = "complaints_statistics", tag = "complaints",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "Complaints by region and category: received, answered, overdue, taken up as findings", body = Vec<ComplaintStat>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn statistics(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<StatisticsQuery>,
) -> ApiResult<Json<Vec<ComplaintStat>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    let on = today();
    let from = q
        .from
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on));
    let to = q.to.unwrap_or(on);
    if to < from {
        return Err(AppError::invalid("to", "the last day is before the first").into());
    }
    Ok(Json(
        state
            .store
            .complaint_statistics(within.as_ref(), from, to, on)
            .await?,
    ))
}
