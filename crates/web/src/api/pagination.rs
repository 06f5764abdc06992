//! Keyset pagination for the API's long lists: a page is `{ "items": [...], "next": cursor }`,
//! where the cursor is an opaque token naming the last row given (base64url of its sort key)
//! and `null` on the last page. `?limit=` takes 1–500 rows (50 by default).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next: Option<String>,
}

/// The page size asked for, checked.
pub fn limit(asked: Option<i64>) -> Result<i64, AppError> {
    match asked {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(AppError::invalid(
            "limit",
            format!("{n} is not between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Encodes a sort key as a cursor.
pub fn encode<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).expect("sort keys serialise"))
}

/// Decodes a cursor given back by the caller.
pub fn decode<K: DeserializeOwned>(cursor: Option<&str>) -> Result<Option<K>, AppError> {
    let Some(c) = cursor.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .map(Some)
        .ok_or_else(|| {
            AppError::invalid(
                "cursor",
                "not a cursor this list gave (pass `next` back as it is)",
            )
        })
}

/// Builds a page from up to `limit + 1` rows fetched: the extra row only says there is more.
pub fn page<T, K: Serialize>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|last| encode(&key(last)))
    } else {
        None
    };
    Page { items: rows, next }
}

/// The store's page request for a `limit` and `cursor` of the supervision lists (newest
/// first; the cursor names the last id given).
pub fn by_id(
    asked: Option<i64>,
    cursor: Option<&str>,
) -> Result<ecoduty_store::supervision::PageRequest, AppError> {
    Ok(ecoduty_store::supervision::PageRequest {
        before: decode::<i64>(cursor)?,
        limit: limit(asked)?,
    })
}

/// A page of the store's supervision lists, with its cursor.
pub fn from_store<T>(p: ecoduty_store::supervision::Page<T>) -> Page<T> {
    Page {
        items: p.items,
        next: p.next_before.map(|b| encode(&b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        let c = encode(&("王晨远", 12i64));
        assert_eq!(
            decode::<(String, i64)>(Some(&c)).unwrap(),
            Some(("王晨远".to_string(), 12))
        );
        assert_eq!(decode::<(String, i64)>(None).unwrap(), None);
        assert!(decode::<(String, i64)>(Some("not-a-cursor!")).is_err());
        assert!(decode::<(String, i64)>(Some(&encode(&42))).is_err());
    }

    #[test]
    fn a_page_says_whether_there_is_more() {
        let p = page(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(decode::<i32>(p.next.as_deref()).unwrap(), Some(2));
        let last = page(vec![1, 2], 2, |n| *n);
        assert_eq!(last.next, None);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(501)).is_err());
        assert_eq!(limit(None).unwrap(), 50);
    }
}
