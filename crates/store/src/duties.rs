//! Responsibility lists (责任清单): the regulation's duties for a post's role, from the
//! version in force on the date asked about, plus local duties a region (or a region above it)
//! added for that role, as they stood on that date. Local duties are versioned like every
//! accountability record: changing or retiring one appends a version.
//!
//! A local duty may be a chief's duty (河长 / 林长 …, [`LocalDuty::chief_kind`]): it then joins
//! the responsibility list of the chief posts of that kind in its region and below, not the
//! lists of the role.

use chrono::NaiveDate;
use ecoduty_domain::responsibility::{order_entries, DutyEntry, DutySource, LocalDutySpec};
use ecoduty_domain::waters::ChiefKind;
use ecoduty_domain::{Region, RegionCode, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::posts::Post;
use crate::regulation::RegulationVersion;
use crate::sql::Value;
use crate::tenures::Holder;
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a local duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalDuty {
    pub id: i64,
    pub rev: i64,
    pub region_code: RegionCode,
    pub role: Role,
    pub text: String,
    pub basis: String,
    pub retired: bool,
    /// A chief's duty: the chief posts of this kind hold it (absent for a role's duty, so
    /// that versions written before chiefs existed read back as they were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chief_kind: Option<ChiefKind>,
}

impl Versioned for LocalDuty {
    const ENTITY: &'static str = "local_duty";
    const IDENTITY: &'static str = "local_duties";
    const VERSIONS: &'static str = "local_duty_versions";
    const ID_COLUMN: &'static str = "duty_id";
    const CURRENT: &'static str = "local_duty_current";
    const COLUMNS: &'static [&'static str] = &[
        "duty_id",
        "rev",
        "region_code",
        "role",
        "text",
        "basis",
        "retired",
        "chief_kind",
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
            self.role.key().into(),
            self.text.clone().into(),
            self.basis.clone().into(),
            self.retired.into(),
            Value::OptText(self.chief_kind.map(|k| k.key().to_string())),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let code: String = row.try_get("region_code")?;
        let chief: Option<String> = row.try_get("chief_kind")?;
        let role: String = row.try_get("role")?;
        Ok(LocalDuty {
            id: row.try_get("duty_id")?,
            rev: row.try_get("rev")?,
            region_code: RegionCode::parse(&code)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            role: role
                .parse()
                .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                    StoreError::Corrupt(e.to_string())
                })?,
            text: row.try_get("text")?,
            basis: row.try_get("basis")?,
            retired: flag(row, "retired")?,
            chief_kind: chief
                .map(|k| k.parse::<ChiefKind>().map_err(StoreError::Corrupt))
                .transpose()?,
        })
    }
}

/// A post's (or a role's) responsibility list on a date.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponsibilityList {
    pub region: Region,
    pub role: Role,
    pub at: NaiveDate,
    /// Set when the list was asked for a post.
    pub post: Option<Post>,
    pub organisation: Option<Organisation>,
    pub holder: Option<Holder>,
    /// The regulation version whose duties are listed (`None` before any took effect).
    pub regulation: Option<RegulationVersion>,
    pub duties: Vec<DutyEntry>,
}

/// Whose local duties to read.
#[derive(Debug, Clone, Copy)]
enum DutyOf {
    Role(Role),
    Chief(ChiefKind),
}

/// What a responsibility list is asked for.
#[derive(Debug, Clone, Copy)]
pub enum ListFor {
    Role(Role),
    Post(i64),
}

impl Store {
    /// Adds a local duty for a role in a region.
    pub async fn add_local_duty(
        &self,
        change: &Change,
        spec: LocalDutySpec,
    ) -> StoreResult<LocalDuty> {
        spec.validate()
            .map_err(|m| StoreError::invalid("duty", m))?;
        self.require_region(&spec.region_code).await?;
        let mut w = Writer::begin(self, change).await?;
        let duty = LocalDuty {
            id: versioned::next_id::<LocalDuty>(w.conn()).await?,
            rev: 1,
            region_code: spec.region_code,
            role: spec.role,
            text: spec.text.trim().to_string(),
            basis: spec.basis.trim().to_string(),
            retired: false,
            chief_kind: None,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: duty.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(duty)
    }

    /// Rewords a local duty or its basis, or retires it, by appending a version.
    pub async fn revise_local_duty(
        &self,
        change: &Change,
        id: i64,
        text: Option<String>,
        basis: Option<String>,
        retired: Option<bool>,
    ) -> StoreResult<LocalDuty> {
        let mut w = Writer::begin(self, change).await?;
        let before: LocalDuty = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("local duty", id))?;
        let after = LocalDuty {
            rev: before.rev + 1,
            text: text
                .map(|t| t.trim().to_string())
                .unwrap_or_else(|| before.text.clone()),
            basis: basis
                .map(|b| b.trim().to_string())
                .unwrap_or_else(|| before.basis.clone()),
            retired: retired.unwrap_or(before.retired),
            ..before.clone()
        };
        LocalDutySpec {
            region_code: after.region_code.clone(),
            role: after.role,
            text: after.text.clone(),
            basis: after.basis.clone(),
        }
        .validate()
        .map_err(|m| StoreError::invalid("duty", m))?;
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

    pub async fn local_duty_versions(&self, id: i64) -> StoreResult<Vec<LocalDuty>> {
        versioned::history(self, id).await
    }

    /// Adds a chief's duty (e.g. one of 《关于全面推行河长制的意见》's tasks) for the chief posts
    /// of `kind` in a region and below, citing its source in `basis`.
    pub async fn add_chief_duty(
        &self,
        change: &Change,
        region_code: RegionCode,
        kind: ChiefKind,
        text: &str,
        basis: &str,
    ) -> StoreResult<LocalDuty> {
        let spec = LocalDutySpec {
            region_code,
            role: Role::LeadershipMember,
            text: text.to_string(),
            basis: basis.to_string(),
        };
        spec.validate()
            .map_err(|m| StoreError::invalid("duty", m))?;
        self.require_region(&spec.region_code).await?;
        let mut w = Writer::begin(self, change).await?;
        let duty = LocalDuty {
            id: versioned::next_id::<LocalDuty>(w.conn()).await?,
            rev: 1,
            region_code: spec.region_code,
            role: spec.role,
            text: spec.text.trim().to_string(),
            basis: spec.basis.trim().to_string(),
            retired: false,
            chief_kind: Some(kind),
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: duty.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(duty)
    }

    /// Local duties for `role` added by `region` or a region above it, as they stood at the end
    /// of `day` (the latest version recorded by then, unless retired). Chiefs' duties are not
    /// among them.
    pub async fn local_duties_at(
        &self,
        region: &Region,
        role: Role,
        day: NaiveDate,
    ) -> StoreResult<Vec<LocalDuty>> {
        self.duties_at(region, DutyOf::Role(role), day).await
    }

    /// The duties of chief posts of `kind` in `region`, as they stood at the end of `day`.
    pub async fn chief_duties_at(
        &self,
        region: &Region,
        kind: ChiefKind,
        day: NaiveDate,
    ) -> StoreResult<Vec<LocalDuty>> {
        self.duties_at(region, DutyOf::Chief(kind), day).await
    }

    async fn duties_at(
        &self,
        region: &Region,
        of: DutyOf,
        day: NaiveDate,
    ) -> StoreResult<Vec<LocalDuty>> {
        let mut codes = vec![region.code.to_string()];
        let mut parent = region.parent.clone();
        while let Some(p) = parent {
            codes.push(p.to_string());
            parent = p.parent();
        }
        let cutoff = format!("{}T", day.succ_opt().unwrap_or(day));
        let (filter, key) = match of {
            DutyOf::Role(role) => ("v.role = $1 AND v.chief_kind IS NULL", role.key()),
            DutyOf::Chief(kind) => ("v.chief_kind = $1", kind.key()),
        };
        let sql = format!("SELECT v.duty_id, v.rev, v.region_code, v.role, v.text, v.basis, v.retired, v.chief_kind \
            FROM local_duty_versions v JOIN ledger l ON l.seq = v.ledger_seq \
            WHERE {filter} AND l.recorded_at < $2 \
              AND v.region_code IN ($3, $4, $5, $6) \
              AND v.rev = (SELECT MAX(w.rev) FROM local_duty_versions w JOIN ledger m ON m.seq = w.ledger_seq \
                           WHERE w.duty_id = v.duty_id AND m.recorded_at < $2) \
            ORDER BY v.duty_id");
        let mut q = sqlx::query(&sql).bind(key).bind(cutoff);
        for i in 0..4 {
            q = q.bind(codes.get(i).cloned().unwrap_or_default());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out: Vec<LocalDuty> = rows
            .iter()
            .map(LocalDuty::from_row)
            .collect::<StoreResult<_>>()?;
        out.retain(|d| !d.retired);
        Ok(out)
    }

    /// The responsibility list of a post, or of a role in a region, on `day`.
    pub async fn responsibility_list(
        &self,
        region: &RegionCode,
        what: ListFor,
        day: NaiveDate,
    ) -> StoreResult<ResponsibilityList> {
        let region = self.require_region(region).await?;
        let (role, post, organisation, holder) = match what {
            ListFor::Role(role) => (role, None, None, None),
            ListFor::Post(id) => {
                let post = self.require_post(id).await?;
                let org = self.require_organisation(post.organisation_id).await?;
                if org.region_code != region.code {
                    return Err(StoreError::invalid(
                        "post",
                        format!(
                            "post {id} belongs to {} ({}), not to region {}",
                            org.name, org.region_code, region.code
                        ),
                    ));
                }
                let holder = self
                    .who(&region.code, day, Some(post.role))
                    .await?
                    .into_iter()
                    .find(|h| h.post.id == id)
                    .and_then(|h| h.holder);
                (post.role, Some(post), Some(org), holder)
            }
        };
        let regulation = self.regulation_in_force(day).await?;
        let mut duties = Vec::new();
        if let Some(v) = &regulation {
            for d in self.regulation_duties(v.id, Some(role)).await? {
                duties.push(DutyEntry {
                    source: DutySource::Regulation {
                        version_id: v.id,
                        key: d.key,
                    },
                    citation: d.citation,
                    text: d.text,
                });
            }
        }
        let mut local = self.local_duties_at(&region, role, day).await?;
        if let Some(p) = &post {
            if let Some(chief) = self.chief_of_post(p.id).await?.filter(|c| !c.retired) {
                local.extend(self.chief_duties_at(&region, chief.spec.kind, day).await?);
            }
        }
        for d in local {
            duties.push(DutyEntry {
                source: DutySource::Local {
                    duty_id: d.id,
                    rev: d.rev,
                    region_code: d.region_code,
                },
                citation: d.basis,
                text: d.text,
            });
        }
        order_entries(&mut duties);
        Ok(ResponsibilityList {
            region,
            role,
            at: day,
            post,
            organisation,
            holder,
            regulation,
            duties,
        })
    }
}
