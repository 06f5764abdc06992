//! Opening a case: the source read for its region, dates and the units it names, and the
//! persons proposed from the tenures of those dates.

use std::collections::HashMap;

use chrono::NaiveDate;
use ecoduty_domain::accountability::proposal::{
    propose, CandidatePost, Holding, Matter, ProposedPost,
};
use ecoduty_domain::accountability::{CaseSource, CaseStatus, PersonState};
use ecoduty_domain::assessment::UnitRef;
use ecoduty_domain::RegionCode;
use serde::Deserialize;
use sqlx::Row;

use super::{Case, CaseData, CasePerson, DutyCite, OtherPost, MAX_TEXT};
use crate::duties::ListFor;
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::supervision::{parse_day, parse_opt_day};
use crate::versioned::{self, Version};
use crate::{Change, Store};

/// A case to open.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewCase {
    pub source: CaseSource,
    /// The source record (required except for a case opened by hand).
    pub source_id: Option<i64>,
    /// The region: required for a case opened by hand and for an assessment result (the
    /// assessed unit); otherwise the source's, and if given it must match.
    pub region_code: Option<RegionCode>,
    pub title: String,
    pub summary: String,
    /// The dates of the act or omission: required by hand; otherwise the source's by default
    /// (a finding's deadline, the day an event happened, a complaint's answer deadline, the
    /// last day of an assessed or target year).
    pub act_dates: Vec<NaiveDate>,
    pub opened_on: NaiveDate,
}

/// What a source says about the matter.
struct SourceFacts {
    region: RegionCode,
    dates: Vec<NaiveDate>,
    organisations: Vec<i64>,
    posts: Vec<i64>,
    label: String,
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        format!("{t}…")
    } else {
        t
    }
}

fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year")
}

impl Store {
    async fn source_facts(&self, new: &NewCase) -> StoreResult<SourceFacts> {
        let need_id = || {
            new.source_id.ok_or_else(|| {
                StoreError::invalid(
                    "source_id",
                    format!("a case from a {} names its source record", new.source.key()),
                )
            })
        };
        Ok(match new.source {
            CaseSource::Manual => {
                let region = new.region_code.clone().ok_or_else(|| {
                    StoreError::invalid("region_code", "a case opened by hand names its region")
                })?;
                if new.act_dates.is_empty() {
                    return Err(StoreError::invalid(
                        "act_dates",
                        "a case opened by hand names the date(s) of the act or omission",
                    ));
                }
                SourceFacts {
                    region,
                    dates: Vec::new(),
                    organisations: Vec::new(),
                    posts: Vec::new(),
                    label: "其他线索".into(),
                }
            }
            CaseSource::Finding => {
                let id = need_id()?;
                let f = self
                    .finding(id)
                    .await?
                    .ok_or_else(|| StoreError::invalid("source_id", format!("no finding #{id}")))?;
                SourceFacts {
                    region: f.region_code.clone(),
                    dates: f.deadline.or(f.overdue_since).into_iter().collect(),
                    organisations: f.units.clone(),
                    posts: f.posts.clone(),
                    label: format!(
                        "{} #{id}:{}",
                        if f.source == ecoduty_domain::supervision::Source::Audit {
                            "审计发现"
                        } else {
                            "督察问题"
                        },
                        short(&f.text)
                    ),
                }
            }
            CaseSource::Complaint => {
                let id = need_id()?;
                let c = self.complaint(id).await?.ok_or_else(|| {
                    StoreError::invalid("source_id", format!("no complaint #{id}"))
                })?;
                SourceFacts {
                    region: c.region_code.clone(),
                    dates: vec![c.answer_due.unwrap_or(c.received_on)],
                    organisations: c.assigned_organisation_id.into_iter().collect(),
                    posts: Vec::new(),
                    label: format!("信访举报 #{id}:{}", short(&c.text)),
                }
            }
            CaseSource::Emergency => {
                let id = need_id()?;
                let e = self
                    .emergency(id)
                    .await?
                    .ok_or_else(|| StoreError::invalid("source_id", format!("no emergency #{id}")))?
                    .emergency;
                if !ecoduty_domain::emergency::counts(e.status) {
                    return Err(StoreError::invalid(
                        "source_id",
                        format!(
                            "emergency #{id} was withdrawn: it is not an environmental emergency"
                        ),
                    ));
                }
                if !e.level.at_least(ecoduty_domain::emergency::Level::Large) {
                    return Err(StoreError::invalid(
                        "source_id",
                        format!(
                            "emergency #{id} is {}: a case is opened from an event of 较大 or graver",
                            e.level.label_zh()
                        ),
                    ));
                }
                SourceFacts {
                    region: e.region_code.clone(),
                    dates: vec![e.occurred_on()],
                    organisations: Vec::new(),
                    posts: Vec::new(),
                    label: format!("突发环境事件 #{id}:{}({})", e.title, e.level.label_zh()),
                }
            }
            CaseSource::Assessment => {
                let id = need_id()?;
                let region = new.region_code.clone().ok_or_else(|| {
                    StoreError::invalid(
                        "region_code",
                        "a case from an assessment result names the assessed region",
                    )
                })?;
                let run = self.assessment_run(id).await?.ok_or_else(|| {
                    StoreError::invalid("source_id", format!("no assessment run #{id}"))
                })?;
                if run.published_on.is_none() {
                    return Err(StoreError::invalid(
                        "source_id",
                        format!("assessment run #{id} is not published"),
                    ));
                }
                let unit = UnitRef::Region(region.clone());
                let result = run.results.iter().find(|r| r.unit == unit).ok_or_else(|| {
                    StoreError::invalid(
                        "region_code",
                        format!("{region} is not assessed in run #{id}"),
                    )
                })?;
                let scheme = self.scheme_by_id(run.scheme_id).await?.ok_or_else(|| {
                    StoreError::Corrupt(format!("run #{id} names a missing scheme"))
                })?;
                let bands = &scheme.scheme.grading.bands;
                let lowest = bands.last().map(|b| b.name.as_str()).unwrap_or("");
                if !result.vetoed && result.grade != lowest {
                    return Err(StoreError::invalid(
                        "region_code",
                        format!(
                            "{} was graded {} in {}: a case is opened from the lowest grade ({lowest}) or a veto",
                            result.name, result.grade, run.year
                        ),
                    ));
                }
                SourceFacts {
                    region,
                    dates: vec![year_end(run.year)],
                    organisations: Vec::new(),
                    posts: Vec::new(),
                    label: format!(
                        "{} 年度考核 #{id}:{} {}{}",
                        run.year,
                        result.name,
                        result.grade,
                        if result.vetoed { "(一票否决)" } else { "" }
                    ),
                }
            }
            CaseSource::Target => {
                let id = need_id()?;
                let versions = self.target_versions(id).await?;
                let t = versions
                    .last()
                    .ok_or_else(|| StoreError::invalid("source_id", format!("no target #{id}")))?;
                let status = self
                    .indicator_status(&t.region_code, t.year, new.opened_on)
                    .await?;
                let entry = status
                    .indicators
                    .iter()
                    .find(|i| i.target.id == id)
                    .ok_or_else(|| StoreError::Corrupt(format!("target #{id} has no status")))?;
                let missed = entry
                    .status
                    .as_ref()
                    .is_some_and(|s| s.status == ecoduty_indicators::status::Status::Missed);
                if !missed {
                    return Err(StoreError::invalid(
                        "source_id",
                        format!(
                            "target #{id} ({} {} 年) is not missed at year end{}",
                            entry.name_zh,
                            t.year,
                            entry
                                .unavailable
                                .as_deref()
                                .map(|u| format!(":{u}"))
                                .unwrap_or_default()
                        ),
                    ));
                }
                SourceFacts {
                    region: t.region_code.clone(),
                    dates: vec![year_end(t.year)],
                    organisations: Vec::new(),
                    posts: Vec::new(),
                    label: format!("约束性指标 #{id}:{} {} 年未完成目标", entry.name_zh, t.year),
                }
            }
        })
    }

    /// Opens a case from its source as a clue (问题线索), with the persons proposed.
    pub async fn open_case(&self, change: &Change, new: NewCase) -> StoreResult<Case> {
        let title = text("title", &new.title, "the title", 200)?;
        let summary = text("summary", &new.summary, "the clue's summary", MAX_TEXT)?;
        let facts = self.source_facts(&new).await?;
        if let Some(r) = &new.region_code {
            if new.source != CaseSource::Manual
                && new.source != CaseSource::Assessment
                && *r != facts.region
            {
                return Err(StoreError::invalid(
                    "region_code",
                    format!("the source is in {}, not in {r}", facts.region),
                ));
            }
        }
        self.require_region(&facts.region).await?;
        let mut dates = if new.act_dates.is_empty() {
            facts.dates.clone()
        } else {
            new.act_dates.clone()
        };
        if dates.is_empty() {
            dates.push(new.opened_on);
        }
        dates.sort();
        dates.dedup();
        if dates.len() > 50 {
            return Err(StoreError::invalid("act_dates", "at most 50 dates"));
        }
        if let Some(d) = dates.iter().find(|d| **d > new.opened_on) {
            return Err(StoreError::invalid(
                "act_dates",
                format!("{d} is after the case is opened ({})", new.opened_on),
            ));
        }
        let persons = self
            .proposed_persons(
                &facts.region,
                &dates,
                &facts.organisations,
                &facts.posts,
                new.opened_on,
            )
            .await?;
        let mut w = Writer::begin(self, change).await?;
        let id = versioned::next_id::<Case>(w.conn()).await?;
        let case = Case {
            id,
            rev: 1,
            region_code: facts.region,
            status: CaseStatus::Clue,
            source: new.source,
            source_id: if new.source == CaseSource::Manual {
                None
            } else {
                new.source_id
            },
            opened_on: new.opened_on,
            data: CaseData {
                title,
                summary,
                source_label: facts.label,
                act_dates: dates,
                opened_by: change.actor.trim().to_string(),
                investigator: None,
                persons,
                decision: None,
                appeals: Vec::new(),
                executed_on: None,
                execution_note: None,
                archived_on: None,
                dismissal: None,
            },
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: case.clone(),
                before: None,
                action: "open",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(case)
    }

    /// The persons a matter in `region` on `dates` proposes (the rule is
    /// `ecoduty_domain::accountability::proposal`), with their posts, where they are on
    /// `today`, and their responsibility lists on the first date they held the post.
    pub async fn proposed_persons(
        &self,
        region: &RegionCode,
        dates: &[NaiveDate],
        organisations: &[i64],
        posts: &[i64],
        today: NaiveDate,
    ) -> StoreResult<Vec<CasePerson>> {
        let rows = sqlx::query(
            "SELECT p.post_id, p.organisation_id, p.role, p.title, o.name AS org, o.eco_department \
             FROM post_current p JOIN organisation_current o ON o.organisation_id = p.organisation_id \
             WHERE o.region_code = $1",
        )
        .bind(region.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut candidates = Vec::with_capacity(rows.len());
        let mut names: HashMap<i64, (String, String)> = HashMap::new();
        for r in &rows {
            let post_id: i64 = r.try_get("post_id")?;
            let role: String = r.try_get("role")?;
            candidates.push(CandidatePost {
                post_id,
                organisation_id: r.try_get("organisation_id")?,
                role: role
                    .parse()
                    .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                        StoreError::Corrupt(e.to_string())
                    })?,
                eco_department: r.try_get::<i64, _>("eco_department")? == 1,
            });
            names.insert(post_id, (r.try_get("title")?, r.try_get("org")?));
        }
        let matter = Matter {
            dates: dates.to_vec(),
            organisations: organisations.to_vec(),
            posts: posts.to_vec(),
        };
        let rows = sqlx::query(
            "SELECT t.tenure_id, t.person_id, t.post_id, t.start_date, t.end_date \
             FROM tenure_current t JOIN post_current p ON p.post_id = t.post_id \
             JOIN organisation_current o ON o.organisation_id = p.organisation_id \
             WHERE o.region_code = $1 AND t.retracted = 0 AND t.start_date <= $2",
        )
        .bind(region.as_str())
        .bind(dates.iter().max().copied().unwrap_or(today).to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut holdings = Vec::with_capacity(rows.len());
        for r in &rows {
            let start: String = r.try_get("start_date")?;
            let end: Option<String> = r.try_get("end_date")?;
            holdings.push(Holding {
                tenure_id: r.try_get("tenure_id")?,
                person_id: r.try_get("person_id")?,
                post_id: r.try_get("post_id")?,
                start: parse_day(&start)?,
                end: parse_opt_day(end)?,
            });
        }
        let proposals = propose(&candidates, &holdings, &matter, today);
        let mut out = Vec::with_capacity(proposals.len());
        for p in proposals {
            let person = self.require_person(p.person_id).await?;
            let lead = ProposedPost {
                post_id: p.post_id,
                tenure_id: p.tenure_id,
                degree: p.degree,
                dates: p.dates,
                left: p.left,
            };
            let lead = self
                .answering_post(region, &candidates, &holdings, &names, lead)
                .await?;
            let mut also = Vec::with_capacity(p.also.len());
            for other in p.also {
                also.push(
                    self.answering_post(region, &candidates, &holdings, &names, other)
                        .await?,
                );
            }
            out.push(CasePerson {
                person_id: p.person_id,
                name: person.name,
                post_id: lead.post_id,
                post: lead.post,
                organisation: lead.organisation,
                region_code: region.clone(),
                role: lead.role,
                tenure_id: lead.tenure_id,
                tenure_start: lead.tenure_start,
                tenure_end: lead.tenure_end,
                degree: lead.degree,
                dates: lead.dates,
                left: lead.left,
                now: self.posts_held(p.person_id, today).await?,
                duties: lead.duties,
                also,
                state: PersonState::Proposed,
                added_by_hand: false,
                state_reason: None,
                grounds: Vec::new(),
                circumstances: Vec::new(),
                outcome: None,
            });
        }
        Ok(out)
    }

    /// A proposed post with its names, tenure and the responsibility list in force on the
    /// first of its dates.
    async fn answering_post(
        &self,
        region: &RegionCode,
        candidates: &[CandidatePost],
        holdings: &[Holding],
        names: &HashMap<i64, (String, String)>,
        p: ProposedPost,
    ) -> StoreResult<OtherPost> {
        let holding = holdings
            .iter()
            .find(|h| h.tenure_id == p.tenure_id)
            .expect("proposed from these holdings");
        let candidate = candidates
            .iter()
            .find(|c| c.post_id == p.post_id)
            .expect("proposed from these posts");
        let (post, organisation) = names.get(&p.post_id).cloned().unwrap_or_default();
        let list = self
            .responsibility_list(region, ListFor::Post(p.post_id), p.dates[0])
            .await?;
        Ok(OtherPost {
            post_id: p.post_id,
            post,
            organisation,
            role: candidate.role,
            tenure_id: p.tenure_id,
            tenure_start: holding.start,
            tenure_end: holding.end,
            degree: p.degree,
            dates: p.dates,
            left: p.left,
            duties: duty_cites(list),
        })
    }

    /// The posts a person holds on `day`, as "象州县人民政府 县长 (象州县)".
    pub(super) async fn posts_held(
        &self,
        person_id: i64,
        day: NaiveDate,
    ) -> StoreResult<Vec<String>> {
        let rows = sqlx::query(
            "SELECT p.title, o.name AS org, r.name AS region FROM tenure_current t \
             JOIN post_current p ON p.post_id = t.post_id \
             JOIN organisation_current o ON o.organisation_id = p.organisation_id \
             JOIN regions r ON r.code = o.region_code \
             WHERE t.person_id = $1 AND t.retracted = 0 AND t.start_date <= $2 \
               AND (t.end_date IS NULL OR t.end_date > $2) ORDER BY t.start_date",
        )
        .bind(person_id)
        .bind(day.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(format!(
                    "{} {}({})",
                    r.try_get::<String, _>("org")?,
                    r.try_get::<String, _>("title")?,
                    r.try_get::<String, _>("region")?
                ))
            })
            .collect()
    }
}

/// A required text, trimmed, within its length.
pub(crate) fn text(field: &str, value: &str, what: &str, max: usize) -> StoreResult<String> {
    let t = value.trim();
    if t.is_empty() {
        return Err(StoreError::invalid(field, format!("{what} is empty")));
    }
    if t.chars().count() > max {
        return Err(StoreError::invalid(
            field,
            format!("{what} is longer than {max} characters"),
        ));
    }
    Ok(t.to_string())
}

/// A responsibility list's duties as a case cites them.
pub(super) fn duty_cites(list: crate::duties::ResponsibilityList) -> Vec<DutyCite> {
    list.duties
        .into_iter()
        .map(|d| DutyCite {
            citation: d.citation,
            text: d.text,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn year_ends_and_short_labels() {
        assert_eq!(year_end(2025).to_string(), "2025-12-31");
        assert_eq!(year_end(2025).year(), 2025);
        assert_eq!(short("河道沿岸垃圾堆放"), "河道沿岸垃圾堆放");
        assert!(short(&"污".repeat(50)).ends_with('…'));
    }
}
