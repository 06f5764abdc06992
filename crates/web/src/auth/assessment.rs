//! Who may see which yearly assessment (考核评价).
//!
//! A scheme belongs to its assessing region: the users of that region (and above) see its
//! drafts and act on it. The units it assesses lie below, and their users are not within the
//! assessing region's scope; they see the scheme and its run once the run is published (the
//! ranking is announced to every assessed unit, 通报), may lodge objections for their own unit,
//! and nothing before publication. Anyone else is answered "not found", like a record that does
//! not exist.

use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::{Region, RegionCode};
use ecoduty_store::assessment::{Run, RunStatus, StoredScheme};
use ecoduty_store::Store;

use crate::auth::scoped::Load;
use crate::auth::Viewer;
use crate::error::AppError;

/// The assessing region a path names: one the viewer reaches, or one above the viewer's region
/// (whether the viewer is assessed by it is decided with the scheme, by [`Assessment::load`]).
pub struct AssessingRegion {
    pub region: Region,
    /// The viewer's scope covers the assessing region.
    pub own: bool,
}

impl Load for AssessingRegion {
    async fn load(v: &Viewer, store: &Store, param: &str) -> Result<Self, AppError> {
        let code = RegionCode::parse(param).map_err(|_| AppError::NotFound)?;
        let own = v.reaches(&code);
        let above = v.root().is_some_and(|root| root.is_within(&code));
        if !own && !above {
            return Err(AppError::NotFound);
        }
        let region = store.region(&code).await?.ok_or(AppError::NotFound)?;
        Ok(AssessingRegion { region, own })
    }
}

/// A year named by a path: 404 when it is not one.
pub fn path_year(text: &str) -> Result<i32, AppError> {
    text.parse::<i32>()
        .ok()
        .filter(|y| (1900..=2200).contains(y))
        .ok_or(AppError::NotFound)
}

/// The region a unit's records belong to.
pub async fn unit_region(store: &Store, unit: &UnitRef) -> Result<RegionCode, AppError> {
    match unit {
        UnitRef::Region(code) => Ok(code.clone()),
        UnitRef::Organisation(id) => Ok(store
            .organisation(*id)
            .await?
            .ok_or(AppError::NotFound)?
            .region_code),
    }
}

/// A scheme with its run, as the viewer may see it.
pub struct Assessment {
    pub region: Region,
    pub scheme: StoredScheme,
    pub run: Option<Run>,
    /// The viewer belongs to the assessing region (sees drafts, may run, review, publish).
    pub own: bool,
    /// The assessed units the viewer reaches (their own, for a unit's user; all, for the
    /// assessing region's).
    pub mine: Vec<UnitRef>,
}

impl Assessment {
    /// The scheme of `year` of the region the path named, refused as "not found" for a viewer
    /// below it whose region it does not assess, or before its run is published.
    pub async fn load(
        store: &Store,
        v: &Viewer,
        at: AssessingRegion,
        year: i32,
    ) -> Result<Assessment, AppError> {
        let scheme = store
            .scheme(&at.region.code, year)
            .await?
            .ok_or(AppError::NotFound)?;
        let run = store.assessment_run_for(&at.region.code, year).await?;
        let mut mine = Vec::new();
        for u in &scheme.scheme.units {
            if at.own || v.reaches(&unit_region(store, u).await?) {
                mine.push(u.clone());
            }
        }
        if !at.own {
            let published = run
                .as_ref()
                .is_some_and(|r| r.status == RunStatus::Published);
            if mine.is_empty() || !published {
                return Err(AppError::NotFound);
            }
        }
        Ok(Assessment {
            region: at.region,
            scheme,
            run,
            own: at.own,
            mine,
        })
    }

    /// Refuses (404) what only the assessing region's users may do or see.
    pub fn require_own(&self) -> Result<(), AppError> {
        if self.own {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The run, which must exist (else 404).
    pub fn run(&self) -> Result<&Run, AppError> {
        self.run.as_ref().ok_or(AppError::NotFound)
    }

    /// The previous year's run of the same region, if it was published (what "last year"
    /// means on every page and answer).
    pub async fn previous(&self, store: &Store) -> Result<Option<Run>, AppError> {
        Ok(store
            .assessment_run_for(&self.region.code, self.scheme.scheme.year - 1)
            .await?
            .filter(|r| r.status == RunStatus::Published))
    }

    /// Whether the viewer reaches this unit's results in detail.
    pub fn reaches(&self, unit: &UnitRef) -> bool {
        self.mine.contains(unit)
    }
}

/// The schemes a viewer may see: those of regions within theirs, and those of the regions
/// above that assess their region and are published.
pub async fn visible_schemes(
    store: &Store,
    v: &Viewer,
) -> Result<Vec<(StoredScheme, Option<Run>)>, AppError> {
    let mut out = Vec::new();
    for s in store.schemes(v.root()).await? {
        let run = store
            .assessment_run_for(&s.scheme.region_code, s.scheme.year)
            .await?;
        out.push((s, run));
    }
    if let Some(root) = v.root() {
        let mut above = root.parent();
        while let Some(code) = above {
            for s in store.schemes(Some(&code)).await? {
                if s.scheme.region_code != code {
                    continue;
                }
                let run = store.assessment_run_for(&code, s.scheme.year).await?;
                if !run
                    .as_ref()
                    .is_some_and(|r| r.status == RunStatus::Published)
                {
                    continue;
                }
                let mut assessed = false;
                for u in &s.scheme.units {
                    if v.reaches(&unit_region(store, u).await?) {
                        assessed = true;
                        break;
                    }
                }
                if assessed {
                    out.push((s, run));
                }
            }
            above = code.parent();
        }
    }
    out.sort_by(|a, b| {
        (b.0.scheme.year, &a.0.scheme.region_code).cmp(&(a.0.scheme.year, &b.0.scheme.region_code))
    });
    Ok(out)
}
