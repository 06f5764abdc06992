//! The stored records the ledger vouches for, gathered for [`crate::Store::verify_ledger`].

use crate::duties::LocalDuty;
use crate::error::StoreResult;
use crate::organisations::Organisation;
use crate::people::Person;
use crate::posts::Post;
use crate::quality::reports::IndicatorReport;
use crate::quality::targets::TargetRecord;
use crate::tenures::Tenure;
use crate::versioned::all_for_verify;
use crate::Store;

/// Entities whose every ledger entry must match a stored record.
pub(crate) fn is_versioned(entity: &str) -> bool {
    matches!(
        entity,
        "organisation"
            | "post"
            | "person"
            | "tenure"
            | "local_duty"
            | "region"
            | "regions"
            | "regulation"
            | "target"
            | "indicator_report"
            | "air_import"
            | "water_import"
            | "user"
            | "api_token"
    ) || crate::supervision::ENTITIES.contains(&entity)
        || crate::assessment::ENTITIES.contains(&entity)
        || crate::emergency::ENTITIES.contains(&entity)
        || crate::accountability::ENTITIES.contains(&entity)
        || crate::zoning::ENTITIES.contains(&entity)
        || crate::audit::ENTITIES.contains(&entity)
        || crate::waters::ENTITIES.contains(&entity)
}

/// Every stored record version as (ledger seq, entity, id, rev, JSON as recorded).
pub(crate) async fn all_versions(
    store: &Store,
) -> StoreResult<Vec<(i64, String, String, i64, String)>> {
    let mut out = crate::regions::versions(store).await?;
    out.extend(crate::regulation::versions(store).await?);
    out.extend(all_for_verify::<Organisation>(store).await?);
    out.extend(all_for_verify::<Post>(store).await?);
    out.extend(all_for_verify::<Person>(store).await?);
    out.extend(all_for_verify::<Tenure>(store).await?);
    out.extend(all_for_verify::<LocalDuty>(store).await?);
    out.extend(all_for_verify::<TargetRecord>(store).await?);
    out.extend(all_for_verify::<IndicatorReport>(store).await?);
    out.extend(crate::quality::air::versions(store).await?);
    out.extend(crate::quality::water::versions(store).await?);
    out.extend(all_for_verify::<crate::users::User>(store).await?);
    out.extend(all_for_verify::<crate::tokens::ApiToken>(store).await?);
    out.extend(crate::supervision::versions(store).await?);
    out.extend(crate::assessment::versions(store).await?);
    out.extend(crate::emergency::versions(store).await?);
    out.extend(crate::accountability::versions(store).await?);
    out.extend(crate::zoning::versions(store).await?);
    out.extend(crate::audit::versions(store).await?);
    out.extend(crate::waters::versions(store).await?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;

    /// The entity a versions table's rows are recorded under in the ledger.
    fn entity_of(table: &str) -> String {
        let stem = table.strip_suffix("_versions").expect("a versions table");
        match stem {
            // One row per revision of the whole rule set.
            "check_rule" => "check_rules".to_string(),
            // A water (river, lake, reservoir) is entered as `water`.
            "water_body" => "water".to_string(),
            other => other.to_string(),
        }
    }

    /// Every table of versions in the schema is one whose ledger entries `verify_ledger`
    /// checks: a kind of record added later without joining the list fails here.
    #[tokio::test]
    async fn every_versions_table_is_verified() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite://{}/v.db", dir.path().display()))
            .await
            .unwrap();
        let rows = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_versions' ESCAPE '\\' ORDER BY name",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        let tables: Vec<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
        assert!(tables.len() >= 20, "{tables:?}");
        let missing: Vec<&String> = tables
            .iter()
            .filter(|t| !is_versioned(&entity_of(t)))
            .collect();
        assert!(
            missing.is_empty(),
            "versions tables whose entries are never verified: {missing:?}"
        );
        store.close().await;
    }
}
