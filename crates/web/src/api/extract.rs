//! Extractors for the API whose rejections are problem details rather than axum's plain text,
//! so that a malformed query, path or body gets the same kind of answer as every other error.
//!
//! Text with a NUL character is refused here (422): PostgreSQL cannot store it, and it is never
//! part of a name, a reason or a regulation's text.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, AppError};

/// A query string, deserialized.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        if raw.to_ascii_lowercase().contains("%00") {
            return Err(ApiError(AppError::invalid(
                "query",
                "a NUL character is not allowed",
            )));
        }
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await
                .map_err(ApiError::from)?;
        Ok(Query(value))
    }
}

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// A JSON body (`application/json` or a `+json` type), deserialized.
pub struct Json<T>(pub T);

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Whether JSON text holds a NUL character, raw or escaped.
fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(6).any(|w| w == b"\\u0000")
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(ApiError(AppError::invalid(
                "body",
                "send the body as JSON, with Content-Type: application/json",
            )));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError(AppError::TooLarge)
            } else {
                ApiError(AppError::invalid("body", e.body_text()))
            }
        })?;
        if has_nul(&bytes) {
            return Err(ApiError(AppError::invalid(
                "body",
                "a NUL character is not allowed",
            )));
        }
        let axum::Json(value) = axum::Json::<T>::from_bytes(&bytes).map_err(ApiError::from)?;
        Ok(Json(value))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError(AppError::invalid("query", r.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        // A path that does not parse names nothing that exists.
        let _ = r;
        ApiError(AppError::NotFound)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError(AppError::TooLarge);
        }
        ApiError(AppError::invalid("body", r.body_text()))
    }
}

/// Answers are written with the same type the bodies are read with.
impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_found_raw_and_escaped() {
        assert!(has_nul(b"{\"name\": \"a\\u0000b\"}"));
        assert!(has_nul(b"{\"name\": \"a\0b\"}"));
        assert!(!has_nul("{\"name\": \"王晨远\"}".as_bytes()));
    }
}
