//! People: the cadres who hold posts. A person has a stable key (人员编号) so that two people
//! with the same name stay apart; the key defaults to P followed by the id.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::{like_escape, Value};
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: i64,
    pub rev: i64,
    pub key: String,
    pub name: String,
}

impl Versioned for Person {
    const ENTITY: &'static str = "person";
    const IDENTITY: &'static str = "people";
    const VERSIONS: &'static str = "person_versions";
    const ID_COLUMN: &'static str = "person_id";
    const CURRENT: &'static str = "person_current";
    const COLUMNS: &'static [&'static str] = &["person_id", "rev", "person_key", "name"];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.key.clone().into(),
            self.name.clone().into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Person {
            id: row.try_get("person_id")?,
            rev: row.try_get("rev")?,
            key: row.try_get("person_key")?,
            name: row.try_get("name")?,
        })
    }
}

/// The default key of a person without one.
pub fn default_key(id: i64) -> String {
    format!("P{id:06}")
}

impl Store {
    pub async fn person(&self, id: i64) -> StoreResult<Option<Person>> {
        versioned::current(self, id).await
    }

    pub async fn require_person(&self, id: i64) -> StoreResult<Person> {
        self.person(id)
            .await?
            .ok_or_else(|| StoreError::not_found("person", id))
    }

    pub async fn person_by_key(&self, key: &str) -> StoreResult<Option<Person>> {
        let sql = format!(
            "SELECT {} FROM person_current WHERE person_key = $1",
            Person::column_list()
        );
        let row = sqlx::query(&sql)
            .bind(key.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Person::from_row).transpose()
    }

    /// Finds a person by id, key or exact name; an ambiguous name is refused, listing the
    /// candidates.
    pub async fn resolve_person(&self, reference: &str) -> StoreResult<Person> {
        let r = reference.trim();
        if let Ok(id) = r.parse::<i64>() {
            if let Some(p) = self.person(id).await? {
                return Ok(p);
            }
        }
        if let Some(p) = self.person_by_key(r).await? {
            return Ok(p);
        }
        let mut found = self.find_people(r, 20).await?;
        found.retain(|p| p.name == r);
        match found.len() {
            0 => Err(StoreError::not_found("person", r)),
            1 => Ok(found.remove(0)),
            _ => Err(StoreError::invalid(
                "person",
                format!(
                    "{} people are named {r}: use the id or key ({})",
                    found.len(),
                    found
                        .iter()
                        .map(|p| format!("{} {}", p.id, p.key))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// People whose name contains `query`.
    pub async fn find_people(&self, query: &str, limit: i64) -> StoreResult<Vec<Person>> {
        let sql = format!(
            "SELECT {} FROM person_current WHERE name LIKE $1 ESCAPE '\\' ORDER BY name, person_id LIMIT $2",
            Person::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(format!("%{}%", like_escape(query.trim())))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Person::from_row).collect()
    }

    pub async fn person_versions(&self, id: i64) -> StoreResult<Vec<Person>> {
        versioned::history(self, id).await
    }

    pub async fn add_person(
        &self,
        change: &Change,
        name: &str,
        key: Option<&str>,
    ) -> StoreResult<Person> {
        let mut w = Writer::begin(self, change).await?;
        let p = create_in(&mut w, name, key).await?;
        w.commit().await?;
        Ok(p)
    }

    /// Renames a person (a correction of the record; the key stays).
    pub async fn rename_person(&self, change: &Change, id: i64, name: &str) -> StoreResult<Person> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::invalid("name", "the person's name is empty"));
        }
        let mut w = Writer::begin(self, change).await?;
        let before: Person = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("person", id))?;
        let after = Person {
            rev: before.rev + 1,
            name: name.to_string(),
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "update",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }
}

pub(crate) async fn create_in(
    w: &mut Writer,
    name: &str,
    key: Option<&str>,
) -> StoreResult<Person> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::invalid("name", "the person's name is empty"));
    }
    let id = versioned::next_id::<Person>(w.conn()).await?;
    let key = key
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| default_key(id));
    let taken = sqlx::query("SELECT person_id FROM person_current WHERE person_key = $1")
        .bind(&key)
        .fetch_optional(w.conn())
        .await?;
    if let Some(row) = taken {
        return Err(StoreError::Conflict(format!(
            "person key {key} is already used by person {}",
            row.try_get::<i64, _>(0)?
        )));
    }
    let p = Person {
        id,
        rev: 1,
        key,
        name: name.to_string(),
    };
    versioned::write(
        w,
        vec![Version {
            record: p.clone(),
            before: None,
            action: "create",
        }],
    )
    .await?;
    Ok(p)
}
