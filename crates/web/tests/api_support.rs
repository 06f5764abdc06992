//! A small JSON client for the API tests (included by each `api_*.rs` test file): requests with
//! a bearer token, answers as (status, JSON), and a check that every error is problem details.

#![allow(dead_code)]

use reqwest::Method;
use serde_json::Value;

pub struct Api {
    base: String,
    token: String,
    client: reqwest::Client,
}

impl Api {
    /// `base` is the server's address (`http://127.0.0.1:PORT`).
    pub fn new(base: &str, token: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            client: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(&self.token)
    }

    /// Sends a request and reads the answer as JSON; an error must be problem details whose
    /// `status` is the response's.
    pub async fn call(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = res.text().await.unwrap();
        let body: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("not JSON ({e}), status {status}: {text}"))
        };
        if status >= 400 {
            assert_eq!(
                content_type, "application/problem+json",
                "status {status}: {text}"
            );
            assert_eq!(body["status"], status, "{text}");
            assert!(body["type"].as_str().unwrap().starts_with("/problems/"));
        } else {
            assert!(
                content_type.starts_with("application/json"),
                "{content_type}"
            );
        }
        (status, body)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(self.request(Method::POST, path).json(&body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(self.request(Method::PATCH, path).json(&body))
            .await
    }

    /// GET that must succeed.
    pub async fn ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Every item of a paged list, following `next` with pages of `limit`; also returns how
    /// many pages it took.
    pub async fn all_pages(&self, path: &str, limit: usize) -> (Vec<Value>, usize) {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut pages = 0;
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
                None => format!("{path}{sep}limit={limit}"),
            };
            let page = self.ok(&url).await;
            pages += 1;
            let got = page["items"].as_array().unwrap();
            assert!(got.len() <= limit);
            items.extend(got.iter().cloned());
            match page["next"].as_str() {
                Some(next) => {
                    assert_eq!(got.len(), limit, "only a full page has a next one");
                    cursor = Some(next.to_string());
                }
                None => break,
            }
            assert!(pages < 10_000, "paging does not end");
        }
        (items, pages)
    }
}
