//! The public complaint form (信访/举报, Art. 4(4)), open to anyone without signing in: a
//! complainant names the place (region and address), the kind of problem, describes it, may
//! leave a contact and attach up to [`MAX_ATTACHMENTS`] files (photos, documents), and is
//! given a tracking code — shown once, never stored (only its hash is) — with which they
//! follow the complaint at /public/complaint/{code}: its status, the answer deadline, the
//! answer, whether it was taken up as a finding, the names and sizes of the files sent (never
//! the files), and nothing about who handled it.
//!
//! Each client address may file or look up only so often ([`crate::ratelimit`]; 429 beyond);
//! the text is bounded by the domain's form check and each attachment by the upload limit and
//! the evidence rules (type by content and extension). The attachments are stored with the
//! complaint in one write, as evidence files the complaint cites: staff of the region see and
//! download them from the complaint; a refused file leaves nothing stored.

use std::net::SocketAddr;

use axum::extract::{
    ConnectInfo, FromRequest, Multipart, OriginalUri, Path, Query, Request, State,
};
use axum::response::{IntoResponse, Redirect, Response};
use ecoduty_domain::supervision::complaints::{
    check_form, normalise_tracking_code, Channel, ComplaintForm, ComplaintStatus, MAX_ATTACHMENTS,
};
use ecoduty_domain::supervision::evidence::check;
use ecoduty_domain::supervision::Category;
use ecoduty_domain::RegionCode;
use ecoduty_store::supervision::complaints::{NewAttachment, NewComplaint};
use ecoduty_store::Change;
use maud::{html, Markup};
use serde::Deserialize;

use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{field, notice, MaybeViewer, Shell};

/// A category's name in the interface's language.
pub fn category_name(lang: Lang, c: Category) -> &'static str {
    let en = match c {
        Category::Air => "Air",
        Category::Water => "Water",
        Category::Soil => "Soil",
        Category::Ecology => "Ecology",
        Category::SolidWaste => "Solid waste",
        Category::Noise => "Noise",
        Category::Other => "Other",
    };
    lang.pick(c.name_zh(), en)
}

/// A complaint status in the interface's language.
pub fn complaint_status_name(lang: Lang, s: ComplaintStatus) -> &'static str {
    let en = match s {
        ComplaintStatus::Received => "Received",
        ComplaintStatus::Assigned => "Assigned to a unit",
        ComplaintStatus::Answered => "Answered",
    };
    lang.pick(s.name_zh(), en)
}

/// What the form was sent with, to show again when it is refused.
#[derive(Default)]
struct Sent {
    region: String,
    address: String,
    category: String,
    text: String,
    contact: String,
}

fn form_page(lang: Lang, sent: &Sent, error: Option<&str>) -> Markup {
    form_page_at(lang, sent, error, false)
}

/// The form; `embedded` in another page (a river's public board), under a second-level heading.
fn form_page_at(lang: Lang, sent: &Sent, error: Option<&str>, embedded: bool) -> Markup {
    let heading = lang.pick("信访举报", "Report an environmental problem");
    html! {
        @if embedded { h2 id="complaint-h" { (heading) } } @else { h1 { (heading) } }
        p { (lang.pick(
            "群众反映的生态环境问题,由所在地有关部门受理、转办和答复(一般在60日内)。提交后您会得到一个查询码,凭码查询办理进展和答复。",
            "Problems reported by the public are received, assigned and answered by the authorities of the place (as a rule within 60 days). You will get a tracking code to follow the progress and read the answer."
        )) }
        @if let Some(e) = error {
            (notice("error", html! { strong { (lang.pick("未能提交", "Not filed")) } ": " (e) }))
        }
        form method="post" action="/public/complaint" enctype="multipart/form-data" id="complaint-form" {
            (field("c-region", lang.pick("所在地区(名称或区划代码)", "Region (name or code)"), html! {
                input id="c-region" name="region" type="text" required maxlength="50" value=(sent.region) placeholder="410883 / 孟州市";
            }))
            (field("c-address", lang.pick("具体地点", "Address"), html! {
                input id="c-address" name="address" type="text" maxlength="200" value=(sent.address);
            }))
            (field("c-category", lang.pick("问题类别", "Kind of problem"), html! {
                select id="c-category" name="category" {
                    @for c in Category::ALL {
                        option value=(c.key()) selected[sent.category == c.key()] { (category_name(lang, *c)) }
                    }
                }
            }))
            (field("c-text", lang.pick("问题描述(5–5000字)", "What is the problem (5–5000 characters)"), html! {
                textarea id="c-text" name="text" required minlength="5" maxlength="5000" rows="8" { (sent.text) }
            }))
            (field("c-contact", lang.pick("联系方式(选填,仅办理人员可见)", "Contact (optional, seen only by those who handle it)"), html! {
                input id="c-contact" name="contact" type="text" maxlength="100" value=(sent.contact);
            }))
            (field("c-file", &format!("{}{MAX_ATTACHMENTS}{}", lang.pick("附件(选填,最多", "Attachments (optional, up to "), lang.pick("个:PDF、图片、Word、Excel、文本)", ": PDF, image, Word, Excel, text)")), html! {
                input id="c-file" name="file" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.doc,.xls,.txt,.csv";
            }))
            button type="submit" class="primary" { (lang.pick("提交", "File the report")) }
        }
        (lookup_form(lang, ""))
    }
}

/// The complaint form filled in with a place (a river segment's region and name, from its
/// public board), the category water.
pub fn prefilled_form(lang: Lang, region: &str, address: &str) -> Markup {
    form_page_at(
        lang,
        &Sent {
            region: region.to_string(),
            address: address.to_string(),
            category: Category::Water.key().to_string(),
            ..Sent::default()
        },
        None,
        true,
    )
}

fn lookup_form(lang: Lang, code: &str) -> Markup {
    html! {
        section aria-labelledby="track-h" {
            h2 id="track-h" { (lang.pick("查询办理进展", "Follow a report")) }
            form method="get" action="/public/complaint/track" class="inline-form" {
                (field("track-code", lang.pick("查询码", "Tracking code"), html! {
                    input id="track-code" name="code" type="text" required maxlength="40" value=(code) autocomplete="off";
                }))
                button type="submit" { (lang.pick("查询", "Look up")) }
            }
        }
    }
}

/// GET /public/complaint
pub async fn show(MaybeViewer(viewer, lang): MaybeViewer, OriginalUri(uri): OriginalUri) -> Markup {
    Shell::new(lang, viewer.as_ref(), uri.to_string()).page(
        lang.pick("信访举报", "Report an environmental problem"),
        form_page(lang, &Sent::default(), None),
    )
}

/// Whether a POST comes from this site's own form. The form is public, so there is no session
/// to carry a CSRF token; instead the browser's own headers are checked (OWASP's "verifying
/// origin with standard headers"): a browser always sends `Origin` on a cross-site form POST,
/// and it must name this host (the proxy's `X-Forwarded-Host` where there is one); a request
/// marked `Sec-Fetch-Site: cross-site`, or from an opaque origin (`null`), is refused. A
/// request with neither header (a script of the complainant's own, curl) is not a browser
/// acting for someone else and is let through.
fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site") == Some("cross-site") {
        return false;
    }
    let Some(origin) = text("origin") else {
        return true;
    };
    let host = text("x-forwarded-host")
        .and_then(|h| h.split(',').next())
        .or_else(|| text("host"))
        .map(str::trim);
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Spends one of the client's requests to the public forms (counted in the database, shared
/// by every server on it).
async fn limit(state: &AppState, addr: &SocketAddr) -> Result<(), AppError> {
    state
        .public_limiter
        .check(&state.store, addr.ip())
        .await?
        .map_err(AppError::RateLimited)
}

/// The region a complainant names: a code, or a name that is one region's.
async fn find_region(state: &AppState, lang: Lang, input: &str) -> Result<RegionCode, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err(lang.pick("请填写所在地区", "name the region").to_string());
    }
    if let Ok(code) = RegionCode::parse(input) {
        if let Ok(Some(r)) = state.store.region(&code).await {
            return Ok(r.code);
        }
    }
    let found = state
        .store
        .search_regions(input, 20)
        .await
        .map_err(|e| AppError::from(e).public_message())?;
    let exact: Vec<_> = found.into_iter().filter(|r| r.name == input).collect();
    match exact.as_slice() {
        [one] => Ok(one.code.clone()),
        [] => Err(format!(
            "{}: {input}",
            lang.pick(
                "找不到该地区,请填写区划代码",
                "no such region; give its code"
            )
        )),
        _ => Err(format!(
            "{}: {input}",
            lang.pick(
                "有多个同名地区,请填写区划代码",
                "several regions have this name; give the code"
            )
        )),
    }
}

/// POST /public/complaint (a multipart form).
pub async fn submit(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    OriginalUri(uri): OriginalUri,
    req: Request,
) -> PageResult<Response> {
    if !same_origin(req.headers()) {
        return Err(AppError::Csrf);
    }
    limit(&state, &addr).await?;
    let shell = Shell::new(lang, viewer.as_ref(), uri.to_string());
    let title = lang.pick("信访举报", "Report an environmental problem");
    let too_large = || {
        AppError::FileTooLarge(format!(
            "{} {} bytes",
            lang.pick(
                "附件超过上限(每个文件)",
                "the attachments exceed the limit for each file of"
            ),
            state.config.evidence_max_bytes
        ))
    };
    let mut form = Multipart::from_request(req, &state)
        .await
        .map_err(|e| AppError::invalid("form", e.body_text()))?;
    let mut sent = Sent::default();
    let mut files: Vec<NewAttachment> = Vec::new();
    while let Some(f) = form.next_field().await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::invalid("form", e.body_text())
        }
    })? {
        let name = f.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = f.file_name().unwrap_or("").to_string();
            let bytes = f.bytes().await.map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    AppError::invalid("file", e.body_text())
                }
            })?;
            // A file input left empty still sends a part, without a name or content.
            if !(file_name.trim().is_empty() && bytes.is_empty()) {
                files.push(NewAttachment {
                    name: file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let value = f
            .text()
            .await
            .map_err(|e| AppError::invalid(name.clone(), e.body_text()))?;
        let value = value.replace('\0', "");
        match name.as_str() {
            "region" => sent.region = value,
            "address" => sent.address = value,
            "category" => sent.category = value,
            "text" => sent.text = value,
            "contact" => sent.contact = value,
            _ => {}
        }
    }
    let refuse = |sent: &Sent, message: String, status: axum::http::StatusCode| -> Response {
        (
            status,
            shell.page(title, form_page(lang, sent, Some(&message))),
        )
            .into_response()
    };
    let unprocessable = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    let category: Category = match sent.category.parse() {
        Ok(c) => c,
        Err(e) => return Ok(refuse(&sent, format!("category: {e}"), unprocessable)),
    };
    let region = match find_region(&state, lang, &sent.region).await {
        Ok(r) => r,
        Err(m) => return Ok(refuse(&sent, format!("region: {m}"), unprocessable)),
    };
    let contact = Some(sent.contact.trim().to_string()).filter(|c| !c.is_empty());
    let form_check = ComplaintForm {
        text: sent.text.clone(),
        address: sent.address.clone(),
        contact: contact.clone(),
    };
    if let Err(m) = check_form(&form_check) {
        return Ok(refuse(&sent, format!("text: {m}"), unprocessable));
    }
    if files.len() > MAX_ATTACHMENTS {
        return Ok(refuse(
            &sent,
            format!(
                "file: {} {MAX_ATTACHMENTS} ({} {})",
                lang.pick("附件最多", "at most this many files:"),
                lang.pick("收到", "sent"),
                files.len()
            ),
            unprocessable,
        ));
    }
    // Every file is checked before anything is stored, so a refused one leaves nothing.
    let policy = crate::api::evidence::policy(&state);
    for f in &files {
        if f.name.trim().is_empty() || f.name.contains('\0') {
            return Ok(refuse(
                &sent,
                format!(
                    "file: {}",
                    lang.pick("附件需要文件名", "an attachment needs a file name")
                ),
                unprocessable,
            ));
        }
        if let Err(e) = check(&f.name, &f.bytes, &policy) {
            let e = crate::api::evidence::refusal(e);
            let status = e.status();
            return Ok(refuse(
                &sent,
                format!("file: {}", e.public_message()),
                status,
            ));
        }
    }
    let change = Change::new("public", "complaint filed through the public form");
    let filed = match state
        .store
        .file_complaint_with_attachments(
            &change,
            NewComplaint {
                region_code: region,
                address: sent.address.trim().to_string(),
                category,
                channel: Channel::Web,
                text: sent.text.trim().to_string(),
                contact,
                received_on: crate::api::common::today(),
            },
            files,
            &policy,
        )
        .await
    {
        Ok(f) => f,
        Err(e) => {
            let e = AppError::from(e);
            if let AppError::Invalid { field, message } = &e {
                return Ok(refuse(&sent, format!("{field}: {message}"), unprocessable));
            }
            return Err(e);
        }
    };
    let attached = &filed.complaint.attachments;
    let code = filed.tracking_code;
    let body = html! {
        h1 { (lang.pick("已受理", "Your report is filed")) }
        (notice("ok", html! {
            p { (lang.pick("您的查询码(请妥善保存,仅显示这一次):", "Your tracking code (keep it: it is shown only this once):")) }
            p class="tracking-code" { strong id="tracking-code" { (code) } }
        }))
        @if !attached.is_empty() {
            p { (lang.pick("已收到附件:", "Files received: ")) }
            ul id="filed-attachments" {
                @for a in attached { li { (a.name) } }
            }
        }
        p { a href=(format!("/public/complaint/{code}")) id="track-link" { (lang.pick("查看办理进展", "Follow this report")) } }
    };
    Ok(shell
        .page(lang.pick("已受理", "Your report is filed"), body)
        .into_response())
}

#[derive(Deserialize)]
pub struct TrackQuery {
    code: Option<String>,
}

/// GET /public/complaint/track?code= (the lookup form)
pub async fn track_query(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Query(q): Query<TrackQuery>,
) -> PageResult<Response> {
    limit(&state, &addr).await?;
    let code = q.code.unwrap_or_default();
    match normalise_tracking_code(&code) {
        Ok(canonical) => {
            Ok(Redirect::to(&format!("/public/complaint/{canonical}")).into_response())
        }
        Err(m) => Err(AppError::invalid("code", m)),
    }
}

/// GET /public/complaint/{code}
pub async fn track(
    State(state): State<AppState>,
    MaybeViewer(viewer, lang): MaybeViewer,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult<Markup> {
    limit(&state, &addr).await?;
    let found = match normalise_tracking_code(&code) {
        Ok(_) => state.store.complaint_by_tracking_code(&code).await?,
        Err(_) => None,
    };
    let Some(c) = found else {
        return Err(AppError::NotFound);
    };
    let region = state.store.region(&c.region_code).await?;
    let body = html! {
        h1 { (lang.pick("办理进展", "Progress of your report")) }
        dl class="facts" id="complaint-tracking" {
            dt { (lang.pick("受理日期", "Received")) } dd { (c.received_on) }
            dt { (lang.pick("地区", "Region")) } dd { (region.map(|r| r.name).unwrap_or_else(|| c.region_code.to_string())) }
            dt { (lang.pick("类别", "Kind")) } dd { (category_name(lang, c.category)) }
            dt { (lang.pick("状态", "Status")) } dd id="complaint-status" { (complaint_status_name(lang, c.status)) }
            dt { (lang.pick("答复期限", "Answer due")) } dd { @match c.answer_due { Some(d) => (d), None => span class="muted" { (lang.pick("待转办后确定", "set when assigned")) } } }
            @if c.promoted {
                dt { (lang.pick("整改", "Rectification")) } dd { (lang.pick("已作为问题交办整改", "taken up as a finding to be rectified")) }
            }
            @if let Some(answer) = &c.answer {
                dt { (lang.pick("答复", "Answer")) }
                dd { (answer) @if let Some(d) = c.answered_on { " (" (d) ")" } }
            }
            @if !c.attachments.is_empty() {
                dt { (lang.pick("附件", "Attachments")) }
                dd {
                    ul id="tracking-attachments" {
                        @for a in &c.attachments {
                            li { (a.name) " (" (a.size) " B)" }
                        }
                    }
                }
            }
        }
        (lookup_form(lang, ""))
    };
    Ok(Shell::new(lang, viewer.as_ref(), uri.to_string())
        .page(lang.pick("办理进展", "Progress of your report"), body))
}
