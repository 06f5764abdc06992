//! Posts: a title in an organisation, the role (post type) the regulation gives it, and for
//! deputies the departments they oversee.

use ecoduty_domain::post::{check_role_fits, PostSpec};
use ecoduty_domain::{OrganisationKind, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::sql::Value;
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: i64,
    pub rev: i64,
    pub organisation_id: i64,
    pub title: String,
    pub role: Role,
    /// 分管部门: organisation ids of the departments a deputy oversees.
    pub portfolio: Vec<i64>,
    pub retired: bool,
}

impl Versioned for Post {
    const ENTITY: &'static str = "post";
    const IDENTITY: &'static str = "posts";
    const VERSIONS: &'static str = "post_versions";
    const ID_COLUMN: &'static str = "post_id";
    const CURRENT: &'static str = "post_current";
    const COLUMNS: &'static [&'static str] = &[
        "post_id",
        "rev",
        "organisation_id",
        "title",
        "role",
        "portfolio",
        "retired",
    ];

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
            self.organisation_id.into(),
            self.title.clone().into(),
            self.role.key().into(),
            serde_json::to_string(&self.portfolio)
                .expect("ids serialise")
                .into(),
            self.retired.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let role: String = row.try_get("role")?;
        let portfolio: String = row.try_get("portfolio")?;
        Ok(Post {
            id: row.try_get("post_id")?,
            rev: row.try_get("rev")?,
            organisation_id: row.try_get("organisation_id")?,
            title: row.try_get("title")?,
            role: role
                .parse()
                .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                    StoreError::Corrupt(e.to_string())
                })?,
            portfolio: serde_json::from_str(&portfolio)
                .map_err(|e| StoreError::Corrupt(format!("portfolio: {e}")))?,
            retired: flag(row, "retired")?,
        })
    }
}

/// Changes to a post; `None` keeps a field as it is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PostPatch {
    pub title: Option<String>,
    pub portfolio: Option<Vec<i64>>,
    pub retired: Option<bool>,
}

impl Store {
    pub async fn post(&self, id: i64) -> StoreResult<Option<Post>> {
        versioned::current(self, id).await
    }

    pub async fn require_post(&self, id: i64) -> StoreResult<Post> {
        self.post(id)
            .await?
            .ok_or_else(|| StoreError::not_found("post", id))
    }

    pub async fn post_history(&self, id: i64) -> StoreResult<Vec<Post>> {
        versioned::history(self, id).await
    }

    /// The current posts of an organisation.
    pub async fn posts_of(
        &self,
        organisation_id: i64,
        include_retired: bool,
    ) -> StoreResult<Vec<Post>> {
        let sql = format!(
            "SELECT {} FROM post_current WHERE organisation_id = $1 AND ($2 = 1 OR retired = 0) ORDER BY post_id",
            Post::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(organisation_id)
            .bind(include_retired as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Post::from_row).collect()
    }

    pub async fn add_post(&self, change: &Change, spec: PostSpec) -> StoreResult<Post> {
        let mut w = Writer::begin(self, change).await?;
        let post = create_in(&mut w, spec).await?;
        w.commit().await?;
        Ok(post)
    }

    pub async fn update_post(
        &self,
        change: &Change,
        id: i64,
        patch: PostPatch,
    ) -> StoreResult<Post> {
        let mut w = Writer::begin(self, change).await?;
        let before: Post = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("post", id))?;
        let mut after = before.clone();
        after.rev += 1;
        if let Some(t) = patch.title {
            after.title = t.trim().to_string();
            if after.title.is_empty() {
                return Err(StoreError::invalid("title", "the post's title is empty"));
            }
        }
        let org: Organisation = versioned::current_in(w.conn(), after.organisation_id)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", after.organisation_id))?;
        w.set_region(Some(org.region_code.to_string()));
        if let Some(p) = patch.portfolio {
            check_portfolio(&mut w, &org, &p).await?;
            after.portfolio = p;
        }
        if let Some(r) = patch.retired {
            after.retired = r;
        }
        let action = if after.retired && !before.retired {
            "retire"
        } else {
            "update"
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action,
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }
}

/// A portfolio lists departments of the same region.
async fn check_portfolio(w: &mut Writer, org: &Organisation, portfolio: &[i64]) -> StoreResult<()> {
    for id in portfolio {
        let dept: Option<Organisation> = versioned::current_in(w.conn(), *id).await?;
        match dept {
            Some(d)
                if d.kind == OrganisationKind::Department && d.region_code == org.region_code => {}
            Some(d) => {
                return Err(StoreError::invalid(
                    "portfolio",
                    format!(
                        "organisation {} ({}) is not a department of {}",
                        d.id, d.name, org.region_code
                    ),
                ))
            }
            None => return Err(StoreError::not_found("organisation", id)),
        }
    }
    Ok(())
}

/// Creates a post inside a write that is already under way.
pub(crate) async fn create_in(w: &mut Writer, spec: PostSpec) -> StoreResult<Post> {
    let title = spec.title.trim().to_string();
    if title.is_empty() {
        return Err(StoreError::invalid("title", "the post's title is empty"));
    }
    let org: Organisation = versioned::current_in(w.conn(), spec.organisation_id)
        .await?
        .ok_or_else(|| StoreError::not_found("organisation", spec.organisation_id))?;
    if org.retired {
        return Err(StoreError::invalid(
            "organisation",
            format!("{} is retired", org.name),
        ));
    }
    check_role_fits(spec.role, org.kind).map_err(|m| StoreError::invalid("role", m))?;
    check_portfolio(w, &org, &spec.portfolio).await?;
    let dup = sqlx::query("SELECT post_id FROM post_current WHERE organisation_id = $1 AND title = $2 AND retired = 0")
        .bind(org.id)
        .bind(&title)
        .fetch_optional(w.conn())
        .await?;
    if let Some(row) = dup {
        return Err(StoreError::Conflict(format!(
            "{} already has a post titled {title} (post {})",
            org.name,
            row.try_get::<i64, _>(0)?
        )));
    }
    w.set_region(Some(org.region_code.to_string()));
    let post = Post {
        id: versioned::next_id::<Post>(w.conn()).await?,
        rev: 1,
        organisation_id: org.id,
        title,
        role: spec.role,
        portfolio: spec.portfolio,
        retired: false,
    };
    versioned::write(
        w,
        vec![Version {
            record: post.clone(),
            before: None,
            action: "create",
        }],
    )
    .await?;
    Ok(post)
}
