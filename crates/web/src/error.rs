//! One error type for the web layer. Each variant knows its HTTP status; pages render it as
//! HTML, the API as RFC 9457 problem details. Database and internal errors are logged and never
//! shown: the client gets a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ecoduty_domain::roster::RowError;
use ecoduty_store::StoreError;
use maud::html;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or outside the user's region: the two look the same on purpose.
    #[error("not found")]
    NotFound,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("sign in first")]
    Unauthenticated,
    /// Signed in with a one-time password that has not been changed yet.
    #[error("change the one-time password first (on the account page, /account)")]
    PasswordChangeRequired,
    #[error("the form expired or was not sent by this site (CSRF check failed)")]
    Csrf,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{} bad row(s)", .0.len())]
    Rows(Vec<RowError>),
    #[error("too many failed sign-ins; try again later")]
    Locked,
    #[error("the upload is too large")]
    TooLarge,
    /// A file over a limit, saying which and by how much.
    #[error("{0}")]
    FileTooLarge(String),
    /// A file of a kind that is not accepted, saying why.
    #[error("{0}")]
    UnsupportedType(String),
    /// The role allows the step, but the rule of separation of duties does not (the one who
    /// asked for a closure may not verify, return or close it).
    #[error("{0}")]
    SeparationOfDuties(String),
    /// Too many requests from one client; try again after this many seconds.
    #[error("too many requests; try again in {0} seconds")]
    RateLimited(u64),
    /// The request took longer than the server's request timeout.
    #[error("the request took too long and was stopped; try again, or ask for less at once")]
    Timeout,
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A refusal worded for a page (its language) or for the API (both languages).
    pub fn refused(
        field: impl Into<String>,
        reason: &ecoduty_domain::supervision::Reason,
        wording: crate::i18n::Wording,
    ) -> Self {
        AppError::invalid(field, wording.say(&reason.zh, &reason.en))
    }

    /// A store error for a page in `lang`: a refusal's reason in that language.
    pub fn from_store_in(e: StoreError, lang: crate::i18n::Lang) -> Self {
        match e {
            StoreError::Refused { field, reason } => {
                AppError::invalid(field, lang.pick(&reason.zh, &reason.en))
            }
            other => other.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf | AppError::PasswordChangeRequired => {
                StatusCode::FORBIDDEN
            }
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Invalid { .. } | AppError::Rows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Locked => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge | AppError::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::SeparationOfDuties(_) => StatusCode::FORBIDDEN,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Timeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A message safe to show.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "internal error".into(),
            other => other.to_string(),
        }
    }

    fn log(&self) {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            // A store "not found" is an id the user typed or a link that went stale.
            StoreError::NotFound { .. } => AppError::NotFound,
            StoreError::Invalid { field, message } => AppError::Invalid { field, message },
            // The API answers in both languages; a page that can pick intercepts the store's
            // error first (see `AppError::refused`).
            StoreError::Refused { field, reason } => AppError::Invalid {
                field,
                message: reason.both(),
            },
            StoreError::Overlap(o) => AppError::invalid("tenure", o.to_string()),
            StoreError::Roster(rows) => AppError::Rows(rows.0),
            StoreError::Conflict(m) => AppError::Conflict(m),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(format!("{e:#}"))
    }
}

/// Pages: a short bilingual page (the error may come before the language is known).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let (zh, en) = match &self {
            AppError::NotFound => (
                "页面不存在,或不在您的管辖范围内。",
                "This page does not exist, or lies outside your region.",
            ),
            AppError::Forbidden => ("您的角色不能进行此操作。", "Your role does not allow this."),
            AppError::PasswordChangeRequired => (
                "请先修改一次性密码。",
                "Change the one-time password first.",
            ),
            AppError::Csrf => (
                "表单已过期或来源不明,请返回重试。",
                "The form expired or did not come from this site; go back and try again.",
            ),
            AppError::Locked => (
                "登录失败次数过多,请稍后再试。",
                "Too many failed sign-ins; try again later.",
            ),
            AppError::TooLarge | AppError::FileTooLarge(_) => {
                ("上传的文件太大。", "The upload is too large.")
            }
            AppError::UnsupportedType(_) => ("不接受此类文件。", "This kind of file is not accepted."),
            AppError::SeparationOfDuties(_) => (
                "职责分离:此步骤须由申请销号人以外的人办理。",
                "Separation of duties: someone other than the one who asked for the closure must do this.",
            ),
            AppError::RateLimited(_) => (
                "请求过于频繁,请稍后再试。",
                "Too many requests; try again later.",
            ),
            AppError::Timeout => (
                "请求处理时间过长,已中止。请重试,或缩小查询范围。",
                "The request took too long and was stopped; try again, or ask for less at once.",
            ),
            AppError::Internal(_) => (
                "服务器出错,请稍后再试。",
                "Something went wrong on the server; try again later.",
            ),
            _ => ("输入有误。", "Invalid input."),
        };
        let detail = match &self {
            AppError::Invalid { .. }
            | AppError::Conflict(_)
            | AppError::FileTooLarge(_)
            | AppError::UnsupportedType(_)
            | AppError::SeparationOfDuties(_) => Some(self.to_string()),
            _ => None,
        };
        let body = html! {
            (maud::DOCTYPE)
            html lang="zh-CN" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (status.as_u16()) " · 生态环境保护责任制" }
                    link rel="stylesheet" href="/assets/app.css";
                }
                body {
                    main id="main" class="error-page" {
                        h1 { (status.as_u16()) }
                        p { (zh) }
                        p lang="en" { (en) }
                        @if let Some(d) = detail { p class="detail" { (d) } }
                        p { a href="/" { "返回工作台 · Back to the dashboard" } }
                    }
                }
            }
        };
        let mut res = (status, body).into_response();
        if let AppError::RateLimited(seconds) = &self {
            if let Ok(v) = axum::http::HeaderValue::from_str(&seconds.to_string()) {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        res
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For a validation problem, the field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a refused import, every bad row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemRow>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemRow {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// An error answered by the JSON API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let status = e.status();
        let slug = match &e {
            AppError::NotFound => "not-found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::PasswordChangeRequired => "password-change-required",
            AppError::Csrf => "csrf",
            AppError::Invalid { .. } => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::Rows(_) => "invalid-rows",
            AppError::Locked => "locked",
            AppError::TooLarge | AppError::FileTooLarge(_) => "too-large",
            AppError::UnsupportedType(_) => "unsupported-media-type",
            AppError::SeparationOfDuties(_) => "separation-of-duties",
            AppError::RateLimited(_) => "rate-limited",
            AppError::Timeout => "timeout",
            AppError::Internal(_) => "internal",
        };
        let problem = Problem {
            kind: format!("/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("error").to_string(),
            status: status.as_u16(),
            detail: e.public_message(),
            field: match &e {
                AppError::Invalid { field, .. } => Some(field.clone()),
                _ => None,
            },
            errors: match &e {
                AppError::Rows(rows) => Some(
                    rows.iter()
                        .map(|r| ProblemRow {
                            line: r.line,
                            field: r.field.clone(),
                            message: r.message.clone(),
                        })
                        .collect(),
                ),
                _ => None,
            },
        };
        let mut res = (status, axum::Json(problem)).into_response();
        res.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/problem+json"),
        );
        if let AppError::RateLimited(seconds) = &e {
            if let Ok(v) = axum::http::HeaderValue::from_str(&seconds.to_string()) {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"ecoduty\""),
            );
        }
        res
    }
}

pub type PageResult<T = Response> = Result<T, AppError>;
pub type ApiResult<T> = Result<T, ApiError>;
