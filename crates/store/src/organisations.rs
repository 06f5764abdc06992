//! Organisations: a region's Party committee, government and departments.

use ecoduty_domain::{OrganisationKind, OrganisationSpec, RegionCode};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::sql::Value;
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub name: String,
    pub kind: OrganisationKind,
    pub eco_department: bool,
    pub eco_duties: bool,
    pub retired: bool,
}

impl Versioned for Organisation {
    const ENTITY: &'static str = "organisation";
    const IDENTITY: &'static str = "organisations";
    const VERSIONS: &'static str = "organisation_versions";
    const ID_COLUMN: &'static str = "organisation_id";
    const CURRENT: &'static str = "organisation_current";
    const COLUMNS: &'static [&'static str] = &[
        "organisation_id",
        "rev",
        "region_code",
        "name",
        "kind",
        "eco_department",
        "eco_duties",
        "retired",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.region_code.to_string().into(),
            self.name.clone().into(),
            self.kind.key().into(),
            self.eco_department.into(),
            self.eco_duties.into(),
            self.retired.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let code: String = row.try_get("region_code")?;
        let kind: String = row.try_get("kind")?;
        Ok(Organisation {
            id: row.try_get("organisation_id")?,
            rev: row.try_get("rev")?,
            region_code: RegionCode::parse(&code)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: row.try_get("name")?,
            kind: kind.parse().map_err(
                |e: ecoduty_domain::organisation::UnknownOrganisationKind| {
                    StoreError::Corrupt(e.to_string())
                },
            )?,
            eco_department: flag(row, "eco_department")?,
            eco_duties: flag(row, "eco_duties")?,
            retired: flag(row, "retired")?,
        })
    }
}

/// Changes to an organisation; `None` keeps a field as it is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganisationPatch {
    pub name: Option<String>,
    pub eco_department: Option<bool>,
    pub eco_duties: Option<bool>,
    pub retired: Option<bool>,
}

impl Store {
    pub async fn organisation(&self, id: i64) -> StoreResult<Option<Organisation>> {
        versioned::current(self, id).await
    }

    pub async fn require_organisation(&self, id: i64) -> StoreResult<Organisation> {
        self.organisation(id)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", id))
    }

    /// The organisations of a region (retired ones included when asked), Party committee
    /// first, then government, then departments by name.
    pub async fn organisations_in(
        &self,
        region: &RegionCode,
        include_retired: bool,
    ) -> StoreResult<Vec<Organisation>> {
        let sql = format!(
            "SELECT {} FROM organisation_current WHERE region_code = $1 AND ($2 = 1 OR retired = 0) \
             ORDER BY CASE kind WHEN 'party_committee' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, eco_department DESC, name",
            Organisation::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(region.as_str())
            .bind(include_retired as i64)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Organisation::from_row).collect()
    }

    pub async fn organisation_history(&self, id: i64) -> StoreResult<Vec<Organisation>> {
        versioned::history(self, id).await
    }

    /// Adds an organisation; its name must be unique among the region's current ones.
    pub async fn add_organisation(
        &self,
        change: &Change,
        spec: OrganisationSpec,
    ) -> StoreResult<Organisation> {
        spec.validate()
            .map_err(|m| StoreError::invalid("organisation", m))?;
        self.require_region(&spec.region_code).await?;
        let mut w = Writer::begin(self, change).await?;
        let org = create_in(&mut w, spec).await?;
        w.commit().await?;
        Ok(org)
    }

    /// Changes an organisation by appending a new version.
    pub async fn update_organisation(
        &self,
        change: &Change,
        id: i64,
        patch: OrganisationPatch,
    ) -> StoreResult<Organisation> {
        let mut w = Writer::begin(self, change).await?;
        let before: Organisation = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", id))?;
        let mut after = before.clone();
        after.rev += 1;
        if let Some(name) = patch.name {
            after.name = name.trim().to_string();
        }
        if let Some(v) = patch.eco_department {
            after.eco_department = v;
        }
        if let Some(v) = patch.eco_duties {
            after.eco_duties = v;
        }
        if let Some(v) = patch.retired {
            after.retired = v;
        }
        OrganisationSpec {
            region_code: after.region_code.clone(),
            name: after.name.clone(),
            kind: after.kind,
            eco_department: after.eco_department,
            eco_duties: after.eco_duties,
        }
        .validate()
        .map_err(|m| StoreError::invalid("organisation", m))?;
        if after.name != before.name {
            ensure_unique_name(&mut w, &after.region_code, &after.name, Some(id)).await?;
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

async fn ensure_unique_name(
    w: &mut Writer,
    region: &RegionCode,
    name: &str,
    except: Option<i64>,
) -> StoreResult<()> {
    let row = sqlx::query(
        "SELECT organisation_id FROM organisation_current WHERE region_code = $1 AND name = $2 AND retired = 0",
    )
    .bind(region.as_str())
    .bind(name)
    .fetch_optional(w.conn())
    .await?;
    if let Some(row) = row {
        let id: i64 = row.try_get(0)?;
        if Some(id) != except {
            return Err(StoreError::Conflict(format!(
                "region {region} already has an organisation named {name} (organisation {id})"
            )));
        }
    }
    Ok(())
}

/// Creates an organisation inside a write that is already under way.
pub(crate) async fn create_in(w: &mut Writer, spec: OrganisationSpec) -> StoreResult<Organisation> {
    let name = spec.name.trim().to_string();
    ensure_unique_name(w, &spec.region_code, &name, None).await?;
    let org = Organisation {
        id: versioned::next_id::<Organisation>(w.conn()).await?,
        rev: 1,
        region_code: spec.region_code,
        name,
        kind: spec.kind,
        eco_department: spec.eco_department,
        eco_duties: spec.eco_duties,
        retired: false,
    };
    versioned::write(
        w,
        vec![Version {
            record: org.clone(),
            before: None,
            action: "create",
        }],
    )
    .await?;
    Ok(org)
}
