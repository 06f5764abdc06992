//! The change ledger: its entries, newest first and filtered, a page at a time (keyset on the
//! sequence number); one entry; and verifying the hash chain. A caller bound to a region sees
//! only the entries of records in it (nationwide records such as the regulation are left out).

use axum::extract::State;
use ecoduty_domain::access::Permission;
use ecoduty_domain::RegionCode;
use ecoduty_store::ledger::{LedgerEntry, LedgerFilter};
use ecoduty_store::verify::{Mismatch, VerifyReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{Allowed, ReadLedger};
use crate::api::extract::{Json, Path, Query};
use crate::api::pagination::{self, Page};
use crate::auth::Viewer;
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Only entries about this kind of record: region, organisation, post, person, tenure,
    /// local_duty, regulation, roster_import, user, api_token …
    pub entity: Option<String>,
    /// Only changes by this actor (`user:jz.admin`, `system`, `cli:…`).
    pub actor: Option<String>,
    /// Recorded at or after this date (YYYY-MM-DD) or time (RFC 3339).
    pub from: Option<String>,
    /// Recorded before this date or time (exclusive).
    pub to: Option<String>,
    /// Only entries with a smaller sequence number (a starting point; `cursor` pages on).
    pub before: Option<i64>,
    /// Rows per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

/// A bound on the time of recording, as the ledger writes times (UTC), or 422.
fn time_bound(field: &str, given: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(s) = given.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if let Ok(day) = s.parse::<chrono::NaiveDate>() {
        return Ok(Some(day.to_string()));
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| {
            Some(crate::auth::viewer::timestamp(
                t.with_timezone(&chrono::Utc),
            ))
        })
        .map_err(|_| {
            AppError::invalid(
                field,
                format!("{s:?} is neither a date (YYYY-MM-DD) nor an RFC 3339 time"),
            )
        })
}

/// Whether the caller may see an entry: a nationwide caller all, others their region's.
fn visible(v: &Viewer, entry: &LedgerEntry) -> bool {
    match v.root() {
        None => true,
        Some(_) => entry
            .region_code
            .as_deref()
            .and_then(|c| RegionCode::parse(c).ok())
            .is_some_and(|c| v.reaches(&c)),
    }
}

#[utoipa::path(
    get, path = "/api/v1/ledger", operation_id = "ledger_list", tag = "ledger",
    params(LedgerQuery),
    responses(
        (status = 200, description = "Ledger entries, newest first", body = Page<LedgerEntry>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReadLedger>,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<Json<Page<LedgerEntry>>> {
    let limit = pagination::limit(q.limit)?;
    let after: Option<i64> = pagination::decode(q.cursor.as_deref())?;
    let before = match (after, q.before) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let filter = LedgerFilter {
        entity: q
            .entity
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty()),
        actor: q
            .actor
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty()),
        from: time_bound("from", q.from.as_deref())?,
        to: time_bound("to", q.to.as_deref())?,
        within: v.root().cloned(),
        confidential: v.can(Permission::ReadCases),
    };
    let rows = state.store.ledger_page(&filter, before, limit + 1).await?;
    Ok(Json(pagination::page(rows, limit, |e| e.seq)))
}

#[utoipa::path(
    get, path = "/api/v1/ledger/{seq}", operation_id = "ledger_entry", tag = "ledger",
    params(("seq" = i64, Path, description = "Sequence number of the entry", example = 1)),
    responses(
        (status = 200, description = "The entry", body = LedgerEntry),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn entry(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReadLedger>,
    Path(seq): Path<i64>,
) -> ApiResult<Json<LedgerEntry>> {
    let next = seq.checked_add(1).ok_or(AppError::NotFound)?;
    let entry = state
        .store
        .ledger_page(
            &LedgerFilter {
                confidential: v.can(Permission::ReadCases),
                ..LedgerFilter::default()
            },
            Some(next),
            1,
        )
        .await?
        .into_iter()
        .find(|e| e.seq == seq)
        .filter(|e| visible(&v, e))
        .ok_or(AppError::NotFound)?;
    Ok(Json(entry))
}

/// The result of recomputing the chain.
#[derive(Serialize, ToSchema)]
pub struct VerifyAnswer {
    /// The chain and every stored record agree with it.
    pub ok: bool,
    pub report: VerifyReport,
}

#[utoipa::path(
    post, path = "/api/v1/ledger/verify", operation_id = "ledger_verify", tag = "ledger",
    responses(
        (status = 200, description = "Recomputes the whole hash chain and checks every stored record version against the entry that recorded it; names the first entry that does not match (for a caller bound to a region, without detail when that entry lies outside it)", body = VerifyAnswer),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden)
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ReadLedger>,
) -> ApiResult<Json<VerifyAnswer>> {
    let mut report = state.store.verify_ledger().await?;
    if let Some(m) = &report.first_mismatch {
        let shown = match state
            .store
            .ledger_page(&LedgerFilter::default(), m.seq.checked_add(1), 1)
            .await?
            .into_iter()
            .find(|e| e.seq == m.seq)
        {
            Some(e) => visible(&v, &e),
            None => v.root().is_none(),
        };
        if !shown {
            report.first_mismatch = Some(Mismatch {
                seq: m.seq,
                problem: "an entry outside your region does not match".into(),
            });
        }
    }
    // A derived table's row names a record, which may lie outside the caller's region.
    if v.root().is_some() {
        if let Some(d) = &mut report.derived_mismatch {
            d.record = String::new();
            d.problem = "a row does not match the versions it is derived from".into();
        }
    }
    Ok(Json(VerifyAnswer {
        ok: report.ok(),
        report,
    }))
}
