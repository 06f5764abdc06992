//! The facts the scoring rules read, gathered from the records already kept — never asked of
//! the units again (第十五条).
//!
//! A scheme's facts are read a kind at a time for the whole assessing region (one query for
//! the findings, one for the tasks, one for the complaints …) and then given to each unit: a
//! region unit gets what lies within its subtree, an organisation unit what names it (the
//! findings it must rectify, the tasks it leads, the complaints assigned to it) and the
//! binding indicators of its region.

use std::collections::HashMap;

use chrono::NaiveDate;
use ecoduty_domain::assessment::rules::{
    ComplaintFact, EmergencyFact, FindingFact, IndicatorFact, ManualEntry, RoundFact, TaskFact,
    UnitFacts,
};
use ecoduty_domain::assessment::scheme::Scheme;
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::supervision::tasks::UnitReport;
use ecoduty_domain::supervision::InspectionLevel;
use ecoduty_domain::RegionCode;
use ecoduty_indicators::catalogue::Direction;
use sqlx::Row;

use super::{Entry, StoredScheme};
use crate::error::{StoreError, StoreResult};
use crate::supervision::{parse_code, parse_day, parse_key, parse_opt_day, region_range};
use crate::versioned::Versioned;
use crate::Store;

/// A finding as read for the facts, with what places it: its region and units.
struct PlacedFinding {
    region: RegionCode,
    units: Vec<i64>,
    fact: FindingFact,
}

struct PlacedTask {
    region: RegionCode,
    lead: i64,
    fact: TaskFact,
}

struct PlacedComplaint {
    region: RegionCode,
    assigned: Option<i64>,
    fact: ComplaintFact,
}

/// (round, organisation, its region, its standing).
type RoundRow = (i64, i64, RegionCode, UnitReport);

/// Everything read for one scheme, before it is given out to the units.
pub(crate) struct SchemeFacts {
    findings: Vec<PlacedFinding>,
    tasks: Vec<PlacedTask>,
    rounds: Vec<RoundRow>,
    complaints: Vec<PlacedComplaint>,
    entries: Vec<Entry>,
    /// Emergencies of the year in the assessing region's subtree, with the region of each.
    emergencies: Vec<(RegionCode, EmergencyFact)>,
    /// The region of each organisation unit.
    org_regions: HashMap<i64, RegionCode>,
    indicators: HashMap<RegionCode, Vec<IndicatorFact>>,
}

fn ids(text: &str) -> Vec<i64> {
    text.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

impl SchemeFacts {
    /// The facts of one unit.
    pub(crate) fn for_unit(&self, unit: &UnitRef) -> UnitFacts {
        let (region, org) = match unit {
            UnitRef::Region(code) => (Some(code), None),
            UnitRef::Organisation(id) => (None, Some(*id)),
        };
        let within = |r: &RegionCode| region.is_some_and(|u| r.is_within(u));
        let indicator_region = match unit {
            UnitRef::Region(code) => Some(code.clone()),
            UnitRef::Organisation(id) => self.org_regions.get(id).cloned(),
        };
        let unit_key = unit.key();
        UnitFacts {
            indicators: indicator_region
                .and_then(|r| self.indicators.get(&r).cloned())
                .unwrap_or_default(),
            findings: self
                .findings
                .iter()
                .filter(|f| within(&f.region) || org.is_some_and(|o| f.units.contains(&o)))
                .map(|f| f.fact.clone())
                .collect(),
            tasks: self
                .tasks
                .iter()
                .filter(|t| within(&t.region) || org == Some(t.lead))
                .map(|t| t.fact.clone())
                .collect(),
            rounds: {
                // A region answers for a round by its worst unit; an organisation by itself.
                let mut by_round: HashMap<i64, UnitReport> = HashMap::new();
                for (round, o, r, status) in &self.rounds {
                    if within(r) || org == Some(*o) {
                        let e = by_round.entry(*round).or_insert(*status);
                        if severity(*status) > severity(*e) {
                            *e = *status;
                        }
                    }
                }
                let mut rounds: Vec<RoundFact> = by_round
                    .into_iter()
                    .map(|(id, status)| RoundFact { id, status })
                    .collect();
                rounds.sort_by_key(|r| r.id);
                rounds
            },
            complaints: self
                .complaints
                .iter()
                .filter(|c| within(&c.region) || (org.is_some() && c.assigned == org))
                .map(|c| c.fact.clone())
                .collect(),
            manual: self
                .entries
                .iter()
                .filter(|e| e.unit.key() == unit_key)
                .map(|e| ManualEntry {
                    id: e.id,
                    item: e.item.clone(),
                    earned: e.earned,
                    triggered: e.triggered,
                    reason: e.reason.clone(),
                    evidence: e.evidence.iter().map(|r| r.sha256.clone()).collect(),
                    entered_by: e.entered_by.clone(),
                })
                .collect(),
            // An emergency answers against the region where it happened (属地为主); the
            // departments assessed apart are not charged with it by this rule.
            emergencies: self
                .emergencies
                .iter()
                .filter(|(r, _)| within(r))
                .map(|(_, e)| e.clone())
                .collect(),
        }
    }
}

/// One packed finding record (see `scheme_facts`): id, region, deadline, units, closed on,
/// returns, raised on, inspection level, inspection kind.
fn unpack_finding(record: &str) -> StoreResult<PlacedFinding> {
    let fields: Vec<&str> = record.split('|').collect();
    let [id, region, deadline, units, closed_on, returns, raised_on, level, kind] = fields[..]
    else {
        return Err(StoreError::Corrupt(format!(
            "a packed finding has {} fields, not 9: {record:?}",
            fields.len()
        )));
    };
    let number = |what: &str, v: &str| {
        v.parse::<i64>()
            .map_err(|_| StoreError::Corrupt(format!("a finding's {what} is {v:?}")))
    };
    let day = |v: &str| -> StoreResult<Option<NaiveDate>> {
        if v.is_empty() {
            Ok(None)
        } else {
            parse_day(v).map(Some)
        }
    };
    Ok(PlacedFinding {
        region: parse_code(region)?,
        units: ids(units),
        fact: FindingFact {
            id: number("id", id)?,
            raised_on: parse_day(raised_on)?,
            deadline: day(deadline)?,
            closed_on: day(closed_on)?,
            level: (!level.is_empty())
                .then(|| parse_key::<InspectionLevel>(level))
                .transpose()?,
            returns: u32::try_from(number("returns", returns)?).unwrap_or(u32::MAX),
            recurrence: kind == "follow_up",
        },
    })
}

/// How bad a unit's standing in a round is, for a region's worst.
fn severity(s: UnitReport) -> u8 {
    match s {
        UnitReport::Reported => 0,
        UnitReport::Pending => 1,
        UnitReport::Late => 2,
        UnitReport::Missing => 3,
    }
}

fn year_span(year: i32) -> (String, String) {
    (format!("{year}-01-01"), format!("{year}-12-31"))
}

impl Store {
    /// Reads every fact a scheme's rules need, as of `as_of`.
    pub(crate) async fn scheme_facts(
        &self,
        stored: &StoredScheme,
        as_of: NaiveDate,
    ) -> StoreResult<SchemeFacts> {
        let scheme = &stored.scheme;
        let (lo, hi) = region_range(Some(&scheme.region_code));
        let (first, last) = year_span(scheme.year);
        let reads = self.uses_rules(scheme);

        let mut org_regions = HashMap::new();
        for u in &scheme.units {
            if let UnitRef::Organisation(id) = u {
                let org = self.require_organisation(*id).await?;
                org_regions.insert(*id, org.region_code);
            }
        }

        let mut findings = Vec::new();
        if reads.findings {
            // The findings come back packed into one text, a finding per `;`-separated
            // record of `|`-separated fields. sqlx's SQLite driver hands each row from its
            // worker thread to the runtime through a channel; on the million-finding ledger
            // that handoff cost ~27 µs a row, 12 of the 15 s that scoring the whole country
            // took, while the query itself ran in 2.5 s. Packed, a prefecture's findings
            // cross as one row. Every field is a number, a region code, an ISO date, a list of
            // ids joined by `,` or a key, so neither separator can occur inside one. Each
            // finding's versions are read once, in one pass over `finding_versions_for_facts`
            // (migration 0016), and folded into the fields by the aggregates; the filter names
            // only the head's own columns, so it is applied before the inspection is joined.
            // `string_agg` is the same aggregate in PostgreSQL and in SQLite (3.44 and later;
            // the bundled library is 3.46); fields are joined with `||`, not `concat_ws`,
            // which in SQLite drops empty fields.
            let packed: Option<String> = sqlx::query_scalar(
                "SELECT string_agg(x.finding_id || '|' || x.region_code || '|' || \
                        COALESCE(x.deadline, '') || '|' || x.units || '|' || \
                        COALESCE(x.closed_on, '') || '|' || x.returns || '|' || x.raised_on || '|' || \
                        COALESCE(x.level, '') || '|' || COALESCE(x.kind, ''), ';') \
                 FROM (SELECT h.finding_id, h.region_code, h.deadline, \
                    MAX(CASE WHEN v.rev = h.rev THEN v.units END) AS units, \
                    MIN(CASE WHEN v.event = 'close' THEN v.event_on END) AS closed_on, \
                    SUM(CASE WHEN v.event = 'return' THEN 1 ELSE 0 END) AS returns, \
                    MIN(CASE WHEN v.rev = 1 THEN v.event_on END) AS raised_on, \
                    i.level, i.kind \
                 FROM finding_heads h \
                 JOIN finding_versions v ON v.finding_id = h.finding_id \
                 LEFT JOIN inspection_current i ON i.inspection_id = h.inspection_id \
                 WHERE h.region_code >= $1 AND h.region_code < $2 \
                   AND ((h.deadline >= $3 AND h.deadline <= $4) \
                     OR h.inspection_id IN (SELECT inspection_id FROM inspection_current WHERE kind = 'follow_up')) \
                 GROUP BY h.finding_id, h.region_code, h.deadline, i.level, i.kind) x",
            )
            .bind(&lo)
            .bind(&hi)
            .bind(&first)
            .bind(&last)
            .fetch_one(&self.pool)
            .await?;
            for record in packed.as_deref().unwrap_or("").split(';') {
                if record.is_empty() {
                    continue;
                }
                findings.push(unpack_finding(record)?);
            }
            // The same order whatever order the aggregate met them in.
            findings.sort_by_key(|f| f.fact.id);
        }

        let mut tasks = Vec::new();
        if reads.tasks {
            let rows = sqlx::query(
                "SELECT t.task_id, t.region_code, t.lead_organisation_id, t.deadline, \
                    (SELECT MIN(p.reported_on) FROM progress_report_current p WHERE p.task_id = t.task_id AND p.percent = 100) AS completed_on \
                 FROM task_current t \
                 WHERE t.region_code >= $1 AND t.region_code < $2 \
                   AND t.deadline >= $3 AND t.deadline <= $4 AND t.status <> 'cancelled'",
            )
            .bind(&lo)
            .bind(&hi)
            .bind(&first)
            .bind(&last)
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                tasks.push(PlacedTask {
                    region: parse_code(&r.try_get::<String, _>("region_code")?)?,
                    lead: r.try_get("lead_organisation_id")?,
                    fact: TaskFact {
                        id: r.try_get("task_id")?,
                        deadline: parse_day(&r.try_get::<String, _>("deadline")?)?,
                        completed_on: parse_opt_day(r.try_get("completed_on")?)?,
                    },
                });
            }
        }

        let mut rounds = Vec::new();
        if reads.rounds {
            // Rounds opened within the assessing region or by a level above it.
            let mut openers: Vec<String> = self
                .region_ancestors(&scheme.region_code)
                .await?
                .into_iter()
                .map(|r| r.code.to_string())
                .collect();
            openers.push(String::new());
            let placeholders: Vec<String> =
                (0..openers.len()).map(|i| format!("${}", i + 5)).collect();
            let sql = format!(
                "SELECT round_id FROM dispatch_round_current \
                 WHERE due_date >= $3 AND due_date <= $4 \
                   AND ((region_code >= $1 AND region_code < $2) OR region_code IN ({})) ORDER BY round_id",
                placeholders.join(", ")
            );
            let mut q = sqlx::query(&sql)
                .bind(&lo)
                .bind(&hi)
                .bind(&first)
                .bind(&last);
            for o in &openers {
                q = q.bind(o);
            }
            let round_ids: Vec<i64> = q
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
            for id in round_ids {
                let status = self.dispatch_round_status(id, as_of).await?;
                for u in status.units {
                    rounds.push((id, u.organisation_id, u.region_code, u.status));
                }
            }
        }

        let mut complaints = Vec::new();
        if reads.complaints {
            let rows = sqlx::query(
                "SELECT complaint_id, region_code, assigned_organisation_id, answer_due, answered_on \
                 FROM complaint_current \
                 WHERE region_code >= $1 AND region_code < $2 AND answer_due >= $3 AND answer_due <= $4",
            )
            .bind(&lo)
            .bind(&hi)
            .bind(&first)
            .bind(&last)
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                complaints.push(PlacedComplaint {
                    region: parse_code(&r.try_get::<String, _>("region_code")?)?,
                    assigned: r.try_get("assigned_organisation_id")?,
                    fact: ComplaintFact {
                        id: r.try_get("complaint_id")?,
                        due: parse_day(&r.try_get::<String, _>("answer_due")?)?,
                        answered_on: parse_opt_day(r.try_get("answered_on")?)?,
                    },
                });
            }
        }

        let entries = self.assessment_entries(stored.id).await?;

        let mut emergencies = Vec::new();
        if reads.emergencies {
            for e in self
                .emergencies(&crate::emergency::EmergencyFilter {
                    within: Some(scheme.region_code.clone()),
                    year: Some(scheme.year),
                    ..Default::default()
                })
                .await?
            {
                emergencies.push((
                    e.region_code.clone(),
                    EmergencyFact {
                        id: e.id,
                        occurred_on: e.occurred_on(),
                        level: e.level,
                        counts: ecoduty_domain::emergency::counts(e.status),
                        title: e.title,
                    },
                ));
            }
        }

        let mut indicators = HashMap::new();
        if reads.indicators {
            let mut regions: Vec<RegionCode> = scheme
                .units
                .iter()
                .filter_map(|u| match u {
                    UnitRef::Region(c) => Some(c.clone()),
                    UnitRef::Organisation(id) => org_regions.get(id).cloned(),
                })
                .collect();
            regions.sort();
            regions.dedup();
            for code in regions {
                let facts = self.indicator_facts(&code, scheme.year, as_of).await?;
                indicators.insert(code, facts);
            }
        }

        Ok(SchemeFacts {
            findings,
            tasks,
            rounds,
            complaints,
            entries,
            emergencies,
            org_regions,
            indicators,
        })
    }

    /// A region's binding indicators for the year (value, target) with last year's value.
    pub(crate) async fn indicator_facts(
        &self,
        region: &RegionCode,
        year: i32,
        as_of: NaiveDate,
    ) -> StoreResult<Vec<IndicatorFact>> {
        let now = self.indicator_status(region, year, as_of).await?;
        if now.indicators.is_empty() {
            return Ok(Vec::new());
        }
        let before = self.indicator_status(region, year - 1, as_of).await?;
        Ok(now
            .indicators
            .iter()
            .map(|e| {
                let previous = before
                    .indicators
                    .iter()
                    .find(|b| b.indicator.key == e.indicator.key)
                    .and_then(|b| b.status.as_ref())
                    .filter(|_| before.closed)
                    .map(|s| s.ytd_value);
                IndicatorFact {
                    key: e.indicator.key.to_string(),
                    name_zh: e.indicator.name_zh.to_string(),
                    name_en: e.indicator.name_en.to_string(),
                    unit: e.indicator.unit.to_string(),
                    lower_is_better: e.indicator.direction == Direction::LowerIsBetter,
                    target: Some(e.target.value),
                    target_id: Some(e.target.id),
                    value: e.status.as_ref().map(|s| s.ytd_value),
                    previous,
                    annual: now.closed,
                }
            })
            .collect())
    }

    /// The entries of a scheme's scoring organisations, as they stand, oldest first.
    pub async fn assessment_entries(&self, scheme_id: i64) -> StoreResult<Vec<Entry>> {
        let sql = format!(
            "SELECT {} FROM assessment_entry_current WHERE scheme_id = $1 ORDER BY entry_id",
            Entry::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(scheme_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Entry::from_row).collect()
    }

    /// Which kinds of fact a scheme's rules read, so that the others are not read at all.
    fn uses_rules(&self, scheme: &Scheme) -> Reads {
        use ecoduty_domain::assessment::scheme::Rule;
        let mut r = Reads::default();
        for i in &scheme.items {
            match i.rule {
                Rule::Indicator { .. } => r.indicators = true,
                Rule::Rectification { .. } => r.findings = true,
                Rule::Tasks => r.tasks = true,
                Rule::Dispatch { .. } => r.rounds = true,
                Rule::Complaints => r.complaints = true,
                Rule::Emergency { .. } => r.emergencies = true,
                Rule::Veto | Rule::Manual => {}
            }
        }
        r
    }
}

#[derive(Default)]
struct Reads {
    indicators: bool,
    findings: bool,
    tasks: bool,
    rounds: bool,
    complaints: bool,
    emergencies: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_finding_is_read_back_field_by_field() {
        let f =
            unpack_finding("42|410883|2026-06-30|7,9|2026-07-02|2|2026-01-15|central|follow_up")
                .unwrap();
        assert_eq!(f.region.as_str(), "410883");
        assert_eq!(f.units, vec![7, 9]);
        assert_eq!(f.fact.id, 42);
        assert_eq!(f.fact.deadline, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(f.fact.closed_on, NaiveDate::from_ymd_opt(2026, 7, 2));
        assert_eq!(f.fact.returns, 2);
        assert_eq!(f.fact.level, Some(InspectionLevel::Central));
        assert!(f.fact.recurrence);
        // Empty fields are absent values, not shifted ones.
        assert!(matches!(
            unpack_finding("43|410883||7|||0|2026-01-15||"),
            Err(StoreError::Corrupt(_))
        ));
        let f = unpack_finding("43|410883||7||0|2026-01-15||").unwrap();
        assert_eq!(
            (f.fact.deadline, f.fact.closed_on, f.fact.level),
            (None, None, None)
        );
        assert!(!f.fact.recurrence);
        assert!(matches!(
            unpack_finding("x|410883||7||0|2026-01-15||"),
            Err(StoreError::Corrupt(_))
        ));
    }
}
