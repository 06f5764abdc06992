//! Queries the web pages need beyond the per-entity modules: people found within a region,
//! the regions that have published records, and a new person entered together with their
//! first tenure (both or neither).

use chrono::NaiveDate;
use ecoduty_domain::tenure::{find_overlaps, DateRange, TenureSpan};
use ecoduty_domain::{Region, RegionCode};
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::people::Person;
use crate::posts::Post;
use crate::sql::like_escape;
use crate::tenures::{tenures_of_post_in, Tenure};
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// A person to create with their tenure of a post.
#[derive(Debug, Clone)]
pub struct NewHolder {
    pub name: String,
    /// The person's key (人员编号); the default key when `None`.
    pub key: Option<String>,
    pub post_id: i64,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub acting: bool,
}

impl Store {
    /// People whose name contains `query` (or whose key is `query`), limited to those who held
    /// a post — a counting tenure — in `within`'s subtree; everyone when `within` is `None`.
    /// An empty query lists them all, by name, up to `limit`.
    pub async fn find_people_within(
        &self,
        query: &str,
        within: Option<&RegionCode>,
        limit: i64,
    ) -> StoreResult<Vec<Person>> {
        let q = query.trim();
        let prefix = within
            .map(|c| format!("{}%", c.subtree_prefix()))
            .unwrap_or_default();
        let sql = format!(
            "SELECT {} FROM person_current p \
             WHERE (p.name LIKE $1 ESCAPE '\\' OR p.person_key = $2) \
               AND ($3 = '' OR EXISTS ( \
                 SELECT 1 FROM tenure_current t \
                 JOIN post_current po ON po.post_id = t.post_id \
                 JOIN organisation_current o ON o.organisation_id = po.organisation_id \
                 WHERE t.person_id = p.person_id AND t.retracted = 0 AND o.region_code LIKE $3)) \
             ORDER BY p.name, p.person_id LIMIT $4",
            Person::COLUMNS
                .iter()
                .map(|c| format!("p.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(format!("%{}%", like_escape(q)))
            .bind(q)
            .bind(prefix)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Person::from_row).collect()
    }

    /// The regions that have at least one current organisation, by code (optionally only
    /// within a subtree), up to `limit`: the regions whose responsibility lists can be read.
    pub async fn regions_with_records(
        &self,
        within: Option<&RegionCode>,
        limit: i64,
    ) -> StoreResult<Vec<Region>> {
        let prefix = within
            .map(|c| c.subtree_prefix().to_string())
            .unwrap_or_default();
        let rows = sqlx::query(
            "SELECT DISTINCT region_code FROM organisation_current \
             WHERE retired = 0 AND region_code LIKE $1 ORDER BY region_code LIMIT $2",
        )
        .bind(format!("{prefix}%"))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let code: String = row.try_get(0)?;
            let code = RegionCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push(self.require_region(&code).await?);
        }
        Ok(out)
    }

    /// Creates a person and records their tenure of a post in one write. Refused as a whole —
    /// no person is created — when the tenure's dates are wrong, the post is retired, the key
    /// is taken, or the tenure overlaps another of the post (the error names both).
    pub async fn add_person_with_tenure(
        &self,
        change: &Change,
        new: NewHolder,
    ) -> StoreResult<(Person, Tenure)> {
        DateRange::new(new.start_date, new.end_date)
            .map_err(|m| StoreError::invalid("end_date", m))?;
        let mut w = Writer::begin(self, change).await?;
        let post: Post = versioned::current_in(w.conn(), new.post_id)
            .await?
            .ok_or_else(|| StoreError::not_found("post", new.post_id))?;
        if post.retired {
            return Err(StoreError::invalid(
                "post",
                format!("post {} ({}) is retired", post.id, post.title),
            ));
        }
        let region = sqlx::query(
            "SELECT o.region_code FROM organisation_current o WHERE o.organisation_id = $1",
        )
        .bind(post.organisation_id)
        .fetch_optional(w.conn())
        .await?
        .map(|r| r.get::<String, _>(0));
        w.set_region(region);
        let person = crate::people::create_in(&mut w, &new.name, new.key.as_deref()).await?;
        let tenure = Tenure {
            id: versioned::next_id::<Tenure>(w.conn()).await?,
            rev: 1,
            post_id: post.id,
            person_id: person.id,
            start_date: new.start_date,
            end_date: new.end_date,
            acting: new.acting,
            retracted: false,
        };
        for other in tenures_of_post_in(w.conn(), post.id).await? {
            let holder: Option<Person> = versioned::current_in(w.conn(), other.person_id).await?;
            let spans = [
                TenureSpan {
                    post_id: post.id,
                    range: other.range(),
                    label: format!(
                        "tenure {} ({})",
                        other.id,
                        holder
                            .map(|p| p.name)
                            .unwrap_or_else(|| format!("person {}", other.person_id))
                    ),
                },
                TenureSpan {
                    post_id: post.id,
                    range: tenure.range(),
                    label: format!("the new tenure ({})", person.name),
                },
            ];
            if let Some(overlap) = find_overlaps(&spans).into_iter().next() {
                return Err(StoreError::Overlap(overlap));
            }
        }
        versioned::write(
            &mut w,
            vec![Version {
                record: tenure.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok((person, tenure))
    }
}
