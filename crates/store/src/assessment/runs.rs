//! Scoring runs, the entries they read, and objections to what they publish.
//!
//! A run computes every unit's lines for a scheme's year in one pass and is kept as a version
//! holding the results. Its life: draft → reviewed (by someone other than who computed it) →
//! published. Running again before publication replaces the draft (a new version, review
//! cleared); after publication a recomputation is a correction, a new published version that
//! states its reason. A unit may lodge an objection (申诉) within the scheme's window after
//! publication; an objection upheld with a changed score appends a version of the run with the
//! line changed, the totals, grades and ranks recomputed, and the objection named.

use chrono::{Duration, NaiveDate};
use ecoduty_domain::assessment::rules::{check_entry, Period};
use ecoduty_domain::assessment::scheme::Scheme;
use ecoduty_domain::assessment::scoring::{grade_and_rank, score_unit, total_of, UnitScore};
use ecoduty_domain::assessment::{fmt_points, round2, UnitRef};
use ecoduty_domain::supervision::Reason;
use ecoduty_domain::RegionCode;

use super::{Adjustment, Entry, Objection, ObjectionStatus, Run, RunStatus, StoredScheme};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::supervision::evidence::require_stored;
use crate::supervision::EvidenceRef;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// An entry to make for a manual or veto item.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub region_code: RegionCode,
    pub year: i32,
    pub unit: UnitRef,
    pub item: String,
    pub earned: f64,
    pub triggered: bool,
    pub reason: String,
    pub evidence: Vec<EvidenceRef>,
    pub on: NaiveDate,
}

/// An objection to lodge.
#[derive(Debug, Clone)]
pub struct NewObjection {
    pub run_id: i64,
    pub unit: UnitRef,
    pub item: Option<String>,
    pub text: String,
    pub on: NaiveDate,
}

/// The answer to an objection.
#[derive(Debug, Clone)]
pub struct ObjectionAnswer {
    pub upheld: bool,
    pub answer: String,
    /// For an upheld objection: the item's new points.
    pub adjust: Option<Adjustment>,
    pub on: NaiveDate,
}

fn refused(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::refused("status", Reason::new(zh, en))
}

async fn run_in(conn: &mut sqlx::AnyConnection, id: i64) -> StoreResult<Run> {
    versioned::current_in(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found("assessment run", id))
}

/// The run of a scheme (one per scheme).
async fn run_of_scheme(conn: &mut sqlx::AnyConnection, scheme_id: i64) -> StoreResult<Option<Run>> {
    let sql = format!(
        "SELECT {} FROM assessment_run_current WHERE scheme_id = $1",
        Run::column_list()
    );
    let row = sqlx::query(&sql)
        .bind(scheme_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(Run::from_row).transpose()
}

async fn write_run(
    w: &mut Writer,
    after: &Run,
    before: Option<&Run>,
    action: &'static str,
) -> StoreResult<()> {
    versioned::write(
        w,
        vec![Version {
            record: after.clone(),
            before,
            action,
        }],
    )
    .await
}

/// The unit's display name: a region's name, an organisation's.
async fn unit_name(store: &Store, unit: &UnitRef) -> StoreResult<String> {
    Ok(match unit {
        UnitRef::Region(code) => store.require_region(code).await?.name,
        UnitRef::Organisation(id) => store.require_organisation(*id).await?.name,
    })
}

/// The region a unit belongs to, for scoping its records.
async fn unit_region(store: &Store, unit: &UnitRef) -> StoreResult<RegionCode> {
    Ok(match unit {
        UnitRef::Region(code) => code.clone(),
        UnitRef::Organisation(id) => store.require_organisation(*id).await?.region_code,
    })
}

impl Store {
    async fn require_scheme(&self, region: &RegionCode, year: i32) -> StoreResult<StoredScheme> {
        self.scheme(region, year)
            .await?
            .ok_or_else(|| StoreError::not_found("assessment scheme", format!("{region} {year}")))
    }

    /// Scores every unit of a scheme as of a day: lines, totals, grades and ranks, without
    /// storing anything.
    pub async fn score_scheme(
        &self,
        stored: &StoredScheme,
        as_of: NaiveDate,
    ) -> StoreResult<Vec<UnitScore>> {
        let facts = self.scheme_facts(stored, as_of).await?;
        let period = Period {
            year: stored.scheme.year,
            as_of,
        };
        let mut units = Vec::with_capacity(stored.scheme.units.len());
        for u in &stored.scheme.units {
            let name = unit_name(self, u).await?;
            units.push(score_unit(
                &stored.scheme,
                u.clone(),
                name,
                &facts.for_unit(u),
                period,
            ));
        }
        grade_and_rank(&mut units, &stored.scheme.grading);
        Ok(units)
    }

    /// Computes a scheme's results and keeps them: a new draft, a new version of the draft, or
    /// (after publication, only with `correction` saying why) a correction.
    pub async fn run_assessment(
        &self,
        change: &Change,
        region: &RegionCode,
        year: i32,
        as_of: NaiveDate,
        correction: Option<&str>,
    ) -> StoreResult<Run> {
        let correction = correction.map(str::trim).filter(|c| !c.is_empty());
        let stored = self.require_scheme(region, year).await?;
        let results = self.score_scheme(&stored, as_of).await?;
        let mut w = Writer::begin(self, change).await?;
        // Read again under the lock: the scheme must not have moved since it was scored.
        let now = super::schemes::scheme_in(w.conn(), region, year).await?;
        if now.as_ref().map(|s| s.rev) != Some(stored.rev) {
            return Err(StoreError::Conflict(
                "the scheme changed while it was being scored; run again".into(),
            ));
        }
        let before = run_of_scheme(w.conn(), stored.id).await?;
        let (status, published_on, reviewed_by, note, action) = match &before {
            Some(b) if b.status == RunStatus::Published => {
                let Some(correction) = correction else {
                    return Err(refused(
                        format!("{year} 年度考核结果已公布,重新计算是更正,须写明理由"),
                        format!("the {year} results are published: a recomputation is a correction and needs its reason"),
                    ));
                };
                (
                    RunStatus::Published,
                    b.published_on,
                    b.reviewed_by.clone(),
                    format!("更正:{correction}"),
                    "correct",
                )
            }
            Some(_) => (RunStatus::Draft, None, None, String::new(), "rerun"),
            None => (RunStatus::Draft, None, None, String::new(), "create"),
        };
        let run = Run {
            id: match &before {
                Some(b) => b.id,
                None => versioned::next_id::<Run>(w.conn()).await?,
            },
            rev: before.as_ref().map_or(1, |b| b.rev + 1),
            scheme_id: stored.id,
            scheme_rev: stored.rev,
            region_code: region.clone(),
            year,
            as_of,
            status,
            computed_by: change.actor.trim().to_string(),
            reviewed_by,
            published_on,
            note,
            results,
        };
        write_run(&mut w, &run, before.as_ref(), action).await?;
        w.commit().await?;
        Ok(run)
    }

    /// Marks a draft reviewed: by anyone but the one who computed it.
    pub async fn review_run(&self, change: &Change, id: i64) -> StoreResult<Run> {
        let mut w = Writer::begin(self, change).await?;
        let before = run_in(w.conn(), id).await?;
        if before.status != RunStatus::Draft {
            return Err(refused(
                format!(
                    "考核结果 #{id} 为「{}」,只有草稿可以复核",
                    before.status.name_zh()
                ),
                format!(
                    "run #{id} is {}; only a draft is reviewed",
                    before.status.key()
                ),
            ));
        }
        if before.computed_by == change.actor.trim() {
            return Err(StoreError::refused(
                "separation_of_duties",
                Reason::new(
                    format!("{} 计算了考核结果 #{id},须由另一人复核", before.computed_by),
                    format!(
                        "{} computed run #{id}; someone else must review it",
                        before.computed_by
                    ),
                ),
            ));
        }
        let after = Run {
            rev: before.rev + 1,
            status: RunStatus::Reviewed,
            reviewed_by: Some(change.actor.trim().to_string()),
            ..before.clone()
        };
        write_run(&mut w, &after, Some(&before), "review").await?;
        w.commit().await?;
        Ok(after)
    }

    /// Publishes a reviewed run on a day; the objection window starts then.
    pub async fn publish_run(&self, change: &Change, id: i64, on: NaiveDate) -> StoreResult<Run> {
        let mut w = Writer::begin(self, change).await?;
        let before = run_in(w.conn(), id).await?;
        if before.status != RunStatus::Reviewed {
            return Err(refused(
                format!(
                    "考核结果 #{id} 为「{}」,须经复核才能公布",
                    before.status.name_zh()
                ),
                format!(
                    "run #{id} is {}; it is published once reviewed",
                    before.status.key()
                ),
            ));
        }
        let after = Run {
            rev: before.rev + 1,
            status: RunStatus::Published,
            published_on: Some(on),
            ..before.clone()
        };
        write_run(&mut w, &after, Some(&before), "publish").await?;
        w.commit().await?;
        Ok(after)
    }

    /// A run as it stands.
    pub async fn assessment_run(&self, id: i64) -> StoreResult<Option<Run>> {
        versioned::current(self, id).await
    }

    /// The run of a region's scheme for a year, if scoring has started.
    pub async fn assessment_run_for(
        &self,
        region: &RegionCode,
        year: i32,
    ) -> StoreResult<Option<Run>> {
        let Some(s) = self.scheme(region, year).await? else {
            return Ok(None);
        };
        let mut conn = self.pool.acquire().await?;
        run_of_scheme(&mut conn, s.id).await
    }

    /// Every version of a run, oldest first.
    pub async fn assessment_run_versions(&self, id: i64) -> StoreResult<Vec<Run>> {
        versioned::history(self, id).await
    }

    /// The runs of schemes of regions within `within`, newest year first, without results.
    pub async fn assessment_runs(&self, within: Option<&RegionCode>) -> StoreResult<Vec<Run>> {
        let (lo, hi) = crate::supervision::region_range(within);
        let sql = format!(
            "SELECT {} FROM assessment_run_current WHERE {} ORDER BY year DESC, region_code",
            Run::column_list(),
            crate::supervision::region_clause("region_code", 1, 2)
        );
        let rows = sqlx::query(&sql)
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Run::from_row).collect()
    }

    /// The published runs in which a region is an assessed unit, by year.
    pub async fn published_results_of(&self, unit: &UnitRef) -> StoreResult<Vec<(Run, UnitScore)>> {
        let region = unit_region(self, unit).await?;
        // Schemes are made by a level above the unit: its ancestors.
        let mut out = Vec::new();
        for a in self.region_ancestors(&region).await? {
            for run in self.assessment_runs(Some(&a.code)).await? {
                if run.region_code != a.code || run.status != RunStatus::Published {
                    continue;
                }
                if let Some(u) = run.results.iter().find(|r| &r.unit == unit) {
                    let u = u.clone();
                    out.push((run, u));
                }
            }
        }
        out.sort_by_key(|(r, _)| r.year);
        Ok(out)
    }

    /// Records a scoring organisation's result for a manual or veto item of one unit (a new
    /// version of the earlier entry for that unit and item, if any). Refused once the run is
    /// published: a change then goes through an objection or a correction.
    pub async fn enter_assessment(&self, change: &Change, new: NewEntry) -> StoreResult<Entry> {
        let stored = self.require_scheme(&new.region_code, new.year).await?;
        let scheme: &Scheme = &stored.scheme;
        let item = scheme.item(&new.item).ok_or_else(|| {
            StoreError::invalid(
                "item",
                format!("the {} scheme has no item {}", new.year, new.item),
            )
        })?;
        if !scheme.units.contains(&new.unit) {
            return Err(StoreError::invalid(
                "unit",
                format!("{} is not assessed by the {} scheme", new.unit, new.year),
            ));
        }
        check_entry(item, new.earned, new.triggered, &new.reason)
            .map_err(|m| StoreError::invalid("earned", m))?;
        if new.evidence.is_empty() {
            return Err(StoreError::invalid(
                "evidence",
                "an entry needs its evidence (佐证材料)",
            ));
        }
        let region = unit_region(self, &new.unit).await?;
        let mut w = Writer::begin(self, change).await?;
        if let Some(run) = run_of_scheme(w.conn(), stored.id).await? {
            if run.status == RunStatus::Published {
                return Err(refused(
                    "考核结果已公布:变更须通过申诉或更正",
                    "the results are published: a change goes through an objection or a correction",
                ));
            }
        }
        require_stored(w.conn(), &new.evidence).await?;
        let sql = format!(
            "SELECT {} FROM assessment_entry_current WHERE scheme_id = $1 AND unit = $2 AND item = $3",
            Entry::column_list()
        );
        let before = sqlx::query(&sql)
            .bind(stored.id)
            .bind(new.unit.key())
            .bind(&new.item)
            .fetch_optional(w.conn())
            .await?
            .map(|r| Entry::from_row(&r))
            .transpose()?;
        let entry = Entry {
            id: match &before {
                Some(b) => b.id,
                None => versioned::next_id::<Entry>(w.conn()).await?,
            },
            rev: before.as_ref().map_or(1, |b| b.rev + 1),
            scheme_id: stored.id,
            region_code: region,
            unit: new.unit,
            item: new.item,
            earned: round2(new.earned),
            triggered: new.triggered,
            reason: new.reason.trim().to_string(),
            evidence: new.evidence,
            entered_by: change.actor.trim().to_string(),
            entered_on: new.on,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: entry.clone(),
                before: before.as_ref(),
                action: if before.is_some() { "update" } else { "create" },
            }],
        )
        .await?;
        w.commit().await?;
        Ok(entry)
    }

    /// Lodges a unit's objection to a published result, within the scheme's window.
    pub async fn lodge_objection(
        &self,
        change: &Change,
        new: NewObjection,
    ) -> StoreResult<Objection> {
        let text = new.text.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::invalid(
                "text",
                "say what is objected to and why",
            ));
        }
        let region = unit_region(self, &new.unit).await?;
        let mut w = Writer::begin(self, change).await?;
        let run = run_in(w.conn(), new.run_id).await?;
        let published = match (run.status, run.published_on) {
            (RunStatus::Published, Some(d)) => d,
            _ => {
                return Err(refused(
                    "考核结果尚未公布,不能申诉",
                    "the results are not published: there is nothing to object to yet",
                ))
            }
        };
        let scheme: StoredScheme = versioned::current_in(w.conn(), run.scheme_id)
            .await?
            .ok_or_else(|| StoreError::not_found("assessment scheme", run.scheme_id))?;
        let closes = published + Duration::days(i64::from(scheme.scheme.objection_days));
        if new.on > closes {
            return Err(refused(
                format!(
                    "申诉期已于 {closes} 届满(公布后 {} 日内)",
                    scheme.scheme.objection_days
                ),
                format!(
                    "the objection window closed on {closes} ({} days after publication)",
                    scheme.scheme.objection_days
                ),
            ));
        }
        let Some(result) = run.results.iter().find(|r| r.unit == new.unit) else {
            return Err(StoreError::invalid(
                "unit",
                format!("{} is not assessed in run #{}", new.unit, run.id),
            ));
        };
        if let Some(item) = &new.item {
            if !result.lines.iter().any(|l| &l.item == item) {
                return Err(StoreError::invalid(
                    "item",
                    format!("no item {item} in the scheme"),
                ));
            }
        }
        let objection = Objection {
            id: versioned::next_id::<Objection>(w.conn()).await?,
            rev: 1,
            run_id: run.id,
            region_code: region,
            unit: new.unit,
            item: new.item,
            text,
            lodged_by: change.actor.trim().to_string(),
            lodged_on: new.on,
            status: ObjectionStatus::Lodged,
            answer: None,
            answered_by: None,
            answered_on: None,
            adjusted: None,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: objection.clone(),
                before: None,
                action: "lodge",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(objection)
    }

    /// Answers an objection. Upheld with an adjustment, the run gains a version with the item's
    /// points changed and every total, grade and rank recomputed.
    pub async fn answer_objection(
        &self,
        change: &Change,
        id: i64,
        answer: ObjectionAnswer,
    ) -> StoreResult<(Objection, Run)> {
        let text = answer.answer.trim().to_string();
        if text.is_empty() {
            return Err(StoreError::invalid("answer", "an answer says why"));
        }
        if !answer.upheld && answer.adjust.is_some() {
            return Err(StoreError::invalid(
                "adjust",
                "only an upheld objection changes a score",
            ));
        }
        let mut w = Writer::begin(self, change).await?;
        let before: Objection = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("assessment objection", id))?;
        if before.status != ObjectionStatus::Lodged {
            return Err(refused(
                format!("申诉 #{id} 已答复",),
                format!("objection #{id} has been answered"),
            ));
        }
        if before.lodged_by == change.actor.trim() {
            return Err(StoreError::refused(
                "separation_of_duties",
                Reason::new(
                    format!("{} 提出了申诉 #{id},不能自行答复", before.lodged_by),
                    format!(
                        "{} lodged objection #{id} and cannot answer it",
                        before.lodged_by
                    ),
                ),
            ));
        }
        let run_before = run_in(w.conn(), before.run_id).await?;
        let mut run = run_before.clone();
        if let Some(adj) = &answer.adjust {
            let scheme: StoredScheme = versioned::current_in(w.conn(), run.scheme_id)
                .await?
                .ok_or_else(|| StoreError::not_found("assessment scheme", run.scheme_id))?;
            let item = scheme.scheme.item(&adj.item).ok_or_else(|| {
                StoreError::invalid("adjust", format!("no item {} in the scheme", adj.item))
            })?;
            let (lo, hi) = match item.kind {
                ecoduty_domain::assessment::scheme::ItemKind::Deduction => (-item.points, 0.0),
                ecoduty_domain::assessment::scheme::ItemKind::Veto => (0.0, 0.0),
                _ => (0.0, item.points),
            };
            if !(lo..=hi).contains(&adj.earned) {
                return Err(StoreError::invalid(
                    "adjust",
                    format!(
                        "{} earns between {} and {}",
                        adj.item,
                        fmt_points(lo),
                        fmt_points(hi)
                    ),
                ));
            }
            let unit = run
                .results
                .iter_mut()
                .find(|u| u.unit == before.unit)
                .ok_or_else(|| StoreError::Corrupt(format!("objection #{id}: unit not in run")))?;
            let line = unit
                .lines
                .iter_mut()
                .find(|l| l.item == adj.item)
                .ok_or_else(|| StoreError::Corrupt(format!("objection #{id}: item not in run")))?;
            let was = line.earned;
            line.earned = round2(adj.earned);
            line.explanation_zh = format!(
                "{} 经申诉 #{id} 复核,由 {} 分调整为 {} 分:{text}",
                line.explanation_zh,
                fmt_points(was),
                fmt_points(line.earned)
            );
            line.explanation_en = format!(
                "{} Changed from {} to {} on objection #{id}: {text}",
                line.explanation_en,
                fmt_points(was),
                fmt_points(line.earned)
            );
            line.sources.push(format!("assessment_objection:{id}"));
            unit.total = total_of(&unit.lines);
            run.rev += 1;
            run.note = format!("申诉 #{id} 采纳:{}", adj.item);
            grade_and_rank(&mut run.results, &scheme.scheme.grading);
            write_run(&mut w, &run, Some(&run_before), "objection").await?;
        }
        let after = Objection {
            rev: before.rev + 1,
            status: if answer.upheld {
                ObjectionStatus::Upheld
            } else {
                ObjectionStatus::Rejected
            },
            answer: Some(text),
            answered_by: Some(change.actor.trim().to_string()),
            answered_on: Some(answer.on),
            adjusted: answer.adjust,
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "answer",
            }],
        )
        .await?;
        w.commit().await?;
        Ok((after, run))
    }

    /// The objections to a run, oldest first.
    pub async fn assessment_objections(&self, run_id: i64) -> StoreResult<Vec<Objection>> {
        let sql = format!(
            "SELECT {} FROM assessment_objection_current WHERE run_id = $1 ORDER BY objection_id",
            Objection::column_list()
        );
        let rows = sqlx::query(&sql).bind(run_id).fetch_all(&self.pool).await?;
        rows.iter().map(Objection::from_row).collect()
    }

    /// An objection as it stands.
    pub async fn assessment_objection(&self, id: i64) -> StoreResult<Option<Objection>> {
        versioned::current(self, id).await
    }
}
