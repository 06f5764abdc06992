//! Helpers shared by the page tests (`tests/pages_*.rs`): fetching a page, sending a form as a
//! browser would, switching the language, finding records of the demo jurisdiction.

#![allow(dead_code)]

use crate::common::TestApp;
use ecoduty_domain::RegionCode;

/// A page's status, `Location` header (for redirects) and body.
pub struct Answer {
    pub status: u16,
    pub location: String,
    pub body: String,
}

async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    Answer {
        status,
        location,
        body: res.text().await.unwrap(),
    }
}

pub async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> Answer {
    answer(c.get(app.at(path)).send().await.unwrap()).await
}

/// Sends a form (urlencoded) as it stands: the caller adds `csrf` when it should be there.
pub async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> Answer {
    answer(c.post(app.at(path)).form(fields).send().await.unwrap()).await
}

/// Sends a multipart form.
pub async fn post_multipart(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: reqwest::multipart::Form,
) -> Answer {
    answer(c.post(app.at(path)).multipart(form).send().await.unwrap()).await
}

/// Switches the client's interface language.
pub async fn language(app: &TestApp, c: &reqwest::Client, code: &str) {
    let res = get(app, c, &format!("/lang/{code}?next=/")).await;
    assert_eq!(res.status, 303);
}

pub fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The post of a role in a region today, with its holder's tenure and person ids.
pub async fn post_of(app: &TestApp, region: &str, role: ecoduty_domain::Role) -> (i64, i64, i64) {
    let h = app
        .store
        .who(&code(region), today(), Some(role))
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.holder.is_some())
        .expect("a held post");
    let holder = h.holder.unwrap();
    (h.post.id, holder.tenure.id, holder.person.id)
}

/// The number of ledger entries that record changes to records (signing in and out, which the
/// ledger also records, left out).
pub async fn ledger_len(app: &TestApp) -> usize {
    app.store
        .ledger_page(
            &ecoduty_store::ledger::LedgerFilter::default(),
            None,
            i64::MAX,
        )
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity != "session")
        .count()
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    ecoduty_web::auth::viewer::urlencode(s)
}
