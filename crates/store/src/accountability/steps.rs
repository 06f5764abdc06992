//! The steps of a case: taking it up, confirming and removing persons, grounds and
//! circumstances, the decision, its execution, appeals, archiving and dismissal. Each step
//! reads the case under the write lock, checks it by `ecoduty_domain::accountability`, and
//! writes the next version with the step's name as the ledger action. A ground cites Art. 17
//! of the regulation or, where another framework is loaded, one of its situations (情形); a
//! person the system did not propose may be added by hand, with the reason.

use chrono::NaiveDate;
use ecoduty_domain::accountability::{
    appeal_open, next_status, resolve_form, Circumstance, DecidedForm, Degree, PersonState, Step,
};
use ecoduty_domain::supervision::Reason;
use ecoduty_regulation::BUILTIN_FRAMEWORK;
use serde::Deserialize;

use super::open::text;
use super::{
    Appeal, AppealAnswer, AppealResult, Case, CasePerson, CircumstanceEntry, Decision, Ground,
    Outcome, MAX_TEXT,
};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::supervision::evidence::require_stored;
use crate::supervision::EvidenceRef;
use crate::versioned::{self, Version};
use crate::{Change, Store};

/// What is decided for one person.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeSpec {
    pub person_id: i64,
    /// Each by name as the rules in force list it (诫勉), or by a built-in key (`admonition`);
    /// see [`Store::decision_forms`].
    #[serde(default)]
    pub forms: Vec<String>,
    pub exempt_reason: Option<String>,
    pub no_promotion_until: Option<NaiveDate>,
}

/// The decision to record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DecisionSpec {
    pub document_no: String,
    pub body: String,
    pub decided_on: NaiveDate,
    pub effective_on: NaiveDate,
    pub appeal_days: u32,
    pub appeal_body: String,
    #[serde(default)]
    pub public: bool,
    pub text: String,
    /// One per confirmed person.
    pub outcomes: Vec<OutcomeSpec>,
}

/// Which ground to record: an item of Art. 17 of the regulation (no framework), or a
/// situation of a loaded framework by article and item.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroundRef {
    /// The framework's key (`accountability-measures`); none for the regulation.
    #[serde(default)]
    pub framework: Option<String>,
    /// The framework's article (required with a framework).
    #[serde(default)]
    pub article: Option<u32>,
    pub item: u32,
}

/// A person added by hand to a case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedPerson {
    pub person_id: i64,
    /// The post they held on a date of the matter.
    pub post_id: i64,
    pub degree: Degree,
    /// Why they answer though the system did not propose them.
    pub reason: String,
}

/// A ground's quotation from its framework.
struct Quoted {
    framework: Option<String>,
    article: Option<u32>,
    citation: String,
    text: String,
    subject: Option<String>,
}

/// The answer to an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppealAnswerSpec {
    pub answered_on: NaiveDate,
    pub result: AppealResult,
    pub text: String,
    /// The new outcome, when the result is `changed`.
    pub outcome: Option<OutcomeSpec>,
}

fn refused(field: &str, r: Reason) -> StoreError {
    StoreError::refused(field, r)
}

fn outcome_of(
    spec: &OutcomeSpec,
    effective_on: NaiveDate,
    available: &[DecidedForm],
) -> StoreResult<Outcome> {
    let mut forms: Vec<DecidedForm> = Vec::with_capacity(spec.forms.len());
    for asked in &spec.forms {
        let form = resolve_form(asked, available).map_err(|r| refused("forms", r))?;
        if !forms.iter().any(|f| f.name == form.name) {
            forms.push(form);
        }
    }
    let exempt = spec
        .exempt_reason
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    match (forms.is_empty(), &exempt) {
        (true, None) => {
            return Err(refused(
                "outcomes",
                Reason::new(
                    format!("人员 #{} 须写明问责方式,或免予追责的理由", spec.person_id),
                    format!(
                        "person #{} needs forms of accountability, or the reason for none",
                        spec.person_id
                    ),
                ),
            ))
        }
        (false, Some(_)) => {
            return Err(refused(
                "outcomes",
                Reason::new(
                    format!("人员 #{} 不能既有问责方式又免予追责", spec.person_id),
                    format!(
                        "person #{} cannot have forms and be exempted",
                        spec.person_id
                    ),
                ),
            ))
        }
        _ => {}
    }
    if let Some(until) = spec.no_promotion_until {
        if until < effective_on {
            return Err(StoreError::invalid(
                "no_promotion_until",
                format!("the influence period ends ({until}) before the decision takes effect ({effective_on})"),
            ));
        }
        if forms.is_empty() {
            return Err(StoreError::invalid(
                "no_promotion_until",
                "an exempted person has no influence period",
            ));
        }
    }
    Ok(Outcome {
        forms,
        exempt_reason: exempt,
        no_promotion_until: spec.no_promotion_until,
    })
}

impl Store {
    /// Runs one step: the case is read under the lock, `apply` changes it (after the state
    /// check), and the new version is written.
    async fn case_step(
        &self,
        change: &Change,
        id: i64,
        step: Step,
        action: &'static str,
        evidence: &[EvidenceRef],
        apply: impl FnOnce(&mut Case, &str) -> StoreResult<()>,
    ) -> StoreResult<Case> {
        let actor = change.actor.trim().to_string();
        let mut w = Writer::begin(self, change).await?;
        let before = versioned::current_in::<Case>(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("case", id))?;
        let status = next_status(
            before.status,
            step,
            &actor,
            before.data.investigator.as_deref(),
        )
        .map_err(|r| refused("status", r))?;
        require_stored(w.conn(), evidence).await?;
        let mut after = before.clone();
        after.rev += 1;
        after.status = status;
        apply(&mut after, &actor)?;
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

    /// Takes a clue up for investigation (立案调查); the actor becomes its investigator.
    pub async fn take_up_case(&self, change: &Change, id: i64) -> StoreResult<Case> {
        self.case_step(
            change,
            id,
            Step::Investigate,
            "investigate",
            &[],
            |c, actor| {
                c.data.investigator = Some(actor.to_string());
                Ok(())
            },
        )
        .await
    }

    /// Confirms or removes a proposed person, with the reason.
    pub async fn set_case_person(
        &self,
        change: &Change,
        id: i64,
        person_id: i64,
        state: PersonState,
        reason: &str,
    ) -> StoreResult<Case> {
        if state == PersonState::Proposed {
            return Err(StoreError::invalid(
                "state",
                "a person is confirmed or removed",
            ));
        }
        let reason = text("reason", reason, "the reason", MAX_TEXT)?;
        let action = if state == PersonState::Confirmed {
            "confirm_person"
        } else {
            "remove_person"
        };
        self.case_step(change, id, Step::Investigation, action, &[], |c, _| {
            let p = person_mut(c, person_id)?;
            if state == PersonState::Removed && (!p.grounds.is_empty()) {
                return Err(refused(
                    "state",
                    Reason::new(
                        "已认定追责情形的人员不能排除",
                        "a person with grounds recorded cannot be removed",
                    ),
                ));
            }
            p.state = state;
            p.state_reason = Some(reason);
            Ok(())
        })
        .await
    }

    /// Records a ground of Art. 17 against a confirmed person, quoting the item from the
    /// regulation version in force on the matter's first date.
    pub async fn add_case_ground(
        &self,
        change: &Change,
        id: i64,
        person_id: i64,
        item: u32,
        facts: &str,
        evidence: Vec<EvidenceRef>,
    ) -> StoreResult<Case> {
        self.add_case_ground_from(
            change,
            id,
            person_id,
            &GroundRef {
                framework: None,
                article: None,
                item,
            },
            facts,
            evidence,
        )
        .await
    }

    /// Records a ground against a confirmed person: an item of Art. 17 of the regulation, or a
    /// situation (情形) of another framework (`ground.framework`, `ground.article`), quoted from
    /// the framework's version in force on the matter's first date.
    pub async fn add_case_ground_from(
        &self,
        change: &Change,
        id: i64,
        person_id: i64,
        ground: &GroundRef,
        facts: &str,
        evidence: Vec<EvidenceRef>,
    ) -> StoreResult<Case> {
        let facts = text("facts", facts, "the facts", MAX_TEXT)?;
        let case = self.require_case(id).await?;
        let day = case
            .data
            .act_dates
            .first()
            .copied()
            .unwrap_or(case.opened_on);
        let item = ground.item;
        let framework = ground
            .framework
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty() && *k != BUILTIN_FRAMEWORK);
        let quoted = match framework {
            None => {
                if ground.article.is_some_and(|a| a != 17) {
                    return Err(StoreError::invalid(
                        "article",
                        "the regulation's grounds are the items of 第十七条: name another framework for other articles",
                    ));
                }
                self.article_seventeen(day, item).await?
            }
            Some(key) => {
                self.framework_situation(key, ground.article, item, day)
                    .await?
            }
        };
        let ev = evidence.clone();
        self.case_step(
            change,
            id,
            Step::Investigation,
            "add_ground",
            &evidence,
            |c, actor| {
                let p = person_mut(c, person_id)?;
                if p.state != PersonState::Confirmed {
                    return Err(refused(
                        "person_id",
                        Reason::new(
                            "先确认该人员,再认定追责情形",
                            "confirm the person before recording a ground",
                        ),
                    ));
                }
                p.grounds.push(Ground {
                    framework: quoted.framework,
                    article: quoted.article,
                    item,
                    citation: quoted.citation,
                    text: quoted.text,
                    subject: quoted.subject,
                    facts,
                    evidence: ev,
                    recorded_by: actor.to_string(),
                });
                Ok(())
            },
        )
        .await
    }

    /// Art. 17's item in the regulation version in force on `day`.
    async fn article_seventeen(&self, day: NaiveDate, item: u32) -> StoreResult<Quoted> {
        let version = self.regulation_in_force(day).await?.ok_or_else(|| {
            StoreError::invalid(
                "item",
                format!("no regulation version was in force on {day}"),
            )
        })?;
        let (_, regulation, _) = self.regulation_version(version.id).await?;
        let article = regulation.article(17).ok_or_else(|| {
            StoreError::invalid("item", format!("{} has no article 17", version.label))
        })?;
        let paragraph = article
            .paragraphs
            .iter()
            .position(|p| p.items.iter().any(|i| i.number == item));
        let Some(pi) = paragraph else {
            let n = article
                .paragraphs
                .iter()
                .map(|p| p.items.len())
                .sum::<usize>();
            return Err(StoreError::invalid(
                "item",
                format!(
                    "第十七条 has items 1–{n} in {}; there is no item {item}",
                    version.label
                ),
            ));
        };
        let item_text = article.paragraphs[pi]
            .items
            .iter()
            .find(|i| i.number == item)
            .map(|i| i.text.clone())
            .unwrap_or_default();
        let citation = ecoduty_regulation::citation::Citation::new(
            17,
            pi as u32 + 1,
            Some(item),
            article.paragraphs.len(),
        )
        .zh();
        Ok(Quoted {
            framework: None,
            article: None,
            citation,
            text: item_text,
            subject: None,
        })
    }

    /// A situation of a framework's version in force on `day`.
    async fn framework_situation(
        &self,
        key: &str,
        article: Option<u32>,
        item: u32,
        day: NaiveDate,
    ) -> StoreResult<Quoted> {
        let Some(article) = article else {
            return Err(StoreError::invalid(
                "article",
                format!("a ground of framework {key} names its article (e.g. 5 for 第五条)"),
            ));
        };
        let version = self.framework_in_force(key, day).await?.ok_or_else(|| {
            StoreError::invalid(
                "framework",
                format!(
                    "framework {key} has no version in force on {day}: import its text with `ecoduty framework import FILE --framework {key}`"
                ),
            )
        })?;
        let situations = self.framework_situations(version.id).await?;
        let found = situations
            .iter()
            .find(|s| s.article == article && s.item == item)
            .ok_or_else(|| {
                let mut listed: Vec<String> = Vec::new();
                for s in &situations {
                    let a = format!("{}", s.article);
                    if !listed.iter().any(|l| l.starts_with(&format!("{a}:"))) {
                        let n = situations.iter().filter(|x| x.article == s.article).count();
                        listed.push(format!("{a}:1–{n}"));
                    }
                }
                StoreError::invalid(
                    "item",
                    format!(
                        "{} (version {}) has no situation at article {article} item {item}; its situations are at article:items {}",
                        key,
                        version.label,
                        if listed.is_empty() { "none".to_string() } else { listed.join(", ") }
                    ),
                )
            })?;
        Ok(Quoted {
            framework: Some(version.framework.clone()),
            article: Some(article),
            citation: found.citation.clone(),
            text: found.text.clone(),
            subject: Some(found.subject.clone()),
        })
    }

    /// Adds by hand a person the system did not propose, confirmed with the reason: they held
    /// `post_id` on at least one of the matter's dates (accountability follows the person at
    /// the time), and are not in the case yet. Their responsibility list is the post's on the
    /// first of those dates; whether they have left and where they are now is as of the day
    /// the case was opened, as for the proposed persons.
    pub async fn add_case_person(
        &self,
        change: &Change,
        id: i64,
        added: &AddedPerson,
    ) -> StoreResult<Case> {
        let reason = text("reason", &added.reason, "the reason", MAX_TEXT)?;
        let case = self.require_case(id).await?;
        if let Some(p) = case.person(added.person_id) {
            return Err(refused(
                "person_id",
                Reason::new(
                    format!("{} 已在本案中({})", p.name, p.state.name_zh()),
                    format!("{} is already in the case ({})", p.name, p.state.key()),
                ),
            ));
        }
        let person = self.person(added.person_id).await?.ok_or_else(|| {
            StoreError::invalid("person_id", format!("no person #{}", added.person_id))
        })?;
        let post = self
            .post(added.post_id)
            .await?
            .ok_or_else(|| StoreError::invalid("post_id", format!("no post #{}", added.post_id)))?;
        let org = self.require_organisation(post.organisation_id).await?;
        let tenures: Vec<crate::tenures::Tenure> = self
            .tenures_of_post(added.post_id)
            .await?
            .into_iter()
            .map(|(t, _)| t)
            .filter(|t| t.person_id == added.person_id && !t.retracted)
            .collect();
        let held = |t: &crate::tenures::Tenure, d: NaiveDate| {
            t.start_date <= d && t.end_date.is_none_or(|e| d < e)
        };
        let mut best: Option<(&crate::tenures::Tenure, Vec<NaiveDate>)> = None;
        for t in &tenures {
            let dates: Vec<NaiveDate> = case
                .data
                .act_dates
                .iter()
                .copied()
                .filter(|d| held(t, *d))
                .collect();
            if !dates.is_empty()
                && best
                    .as_ref()
                    .is_none_or(|(b, _)| t.start_date > b.start_date)
            {
                best = Some((t, dates));
            }
        }
        let Some((tenure, dates)) = best else {
            return Err(StoreError::invalid(
                "post_id",
                format!(
                    "{} did not hold post #{} ({} {}) on any date of the matter ({}): a person answers for the posts held at the time",
                    person.name,
                    post.id,
                    org.name,
                    post.title,
                    case.data
                        .act_dates
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let list = self
            .responsibility_list(
                &org.region_code,
                crate::duties::ListFor::Post(post.id),
                dates[0],
            )
            .await?;
        let entry = CasePerson {
            person_id: person.id,
            name: person.name.clone(),
            post_id: post.id,
            post: post.title.clone(),
            organisation: org.name.clone(),
            region_code: org.region_code.clone(),
            role: post.role,
            tenure_id: tenure.id,
            tenure_start: tenure.start_date,
            tenure_end: tenure.end_date,
            degree: added.degree,
            dates,
            left: tenure.end_date.is_some_and(|e| e <= case.opened_on),
            now: self.posts_held(person.id, case.opened_on).await?,
            duties: super::open::duty_cites(list),
            also: Vec::new(),
            state: PersonState::Confirmed,
            added_by_hand: true,
            state_reason: Some(reason),
            grounds: Vec::new(),
            circumstances: Vec::new(),
            outcome: None,
        };
        self.case_step(
            change,
            id,
            Step::Investigation,
            "add_person",
            &[],
            |c, _| {
                if c.person(entry.person_id).is_some() {
                    return Err(refused(
                        "person_id",
                        Reason::new("该人员已在本案中", "the person is already in the case"),
                    ));
                }
                c.data.persons.push(entry);
                Ok(())
            },
        )
        .await
    }

    /// Records a circumstance of Art. 18 for a confirmed person.
    pub async fn add_case_circumstance(
        &self,
        change: &Change,
        id: i64,
        person_id: i64,
        circumstance: Circumstance,
        facts: &str,
        evidence: Vec<EvidenceRef>,
    ) -> StoreResult<Case> {
        let facts = text("facts", facts, "the facts", MAX_TEXT)?;
        let ev = evidence.clone();
        self.case_step(
            change,
            id,
            Step::Investigation,
            "add_circumstance",
            &evidence,
            |c, actor| {
                let p = person_mut(c, person_id)?;
                if p.state != PersonState::Confirmed {
                    return Err(refused(
                        "person_id",
                        Reason::new(
                            "先确认该人员,再记录从轻、从重情节",
                            "confirm the person before recording a circumstance",
                        ),
                    ));
                }
                p.circumstances.push(CircumstanceEntry {
                    circumstance,
                    citation: circumstance.citation().to_string(),
                    effect: circumstance.effect(),
                    facts,
                    evidence: ev,
                    recorded_by: actor.to_string(),
                });
                Ok(())
            },
        )
        .await
    }

    /// Records the decision (决定书) with each confirmed person's outcome. The decider is not
    /// the investigator; every person is confirmed or removed, and each confirmed one has a
    /// ground and an outcome.
    pub async fn decide_case(
        &self,
        change: &Change,
        id: i64,
        spec: DecisionSpec,
    ) -> StoreResult<Case> {
        let document_no = text("document_no", &spec.document_no, "the document number", 100)?;
        let body = text("body", &spec.body, "the deciding body", 200)?;
        let appeal_body = text(
            "appeal_body",
            &spec.appeal_body,
            "the body that receives appeals",
            200,
        )?;
        let decision_text = text("text", &spec.text, "the decision's text", MAX_TEXT)?;
        if spec.effective_on < spec.decided_on {
            return Err(StoreError::invalid(
                "effective_on",
                format!(
                    "the decision takes effect ({}) before it is made ({})",
                    spec.effective_on, spec.decided_on
                ),
            ));
        }
        if spec.appeal_days == 0 || spec.appeal_days > 365 {
            return Err(StoreError::invalid(
                "appeal_days",
                "the appeal period is 1–365 days",
            ));
        }
        let available = self.decision_forms(spec.decided_on).await?;
        let outcomes: Vec<(i64, Outcome)> = spec
            .outcomes
            .iter()
            .map(|o| Ok((o.person_id, outcome_of(o, spec.effective_on, &available)?)))
            .collect::<StoreResult<_>>()?;
        self.case_step(change, id, Step::Decide, "decide", &[], |c, actor| {
            if spec.decided_on < c.opened_on {
                return Err(StoreError::invalid(
                    "decided_on",
                    format!(
                        "the decision ({}) is before the case was opened ({})",
                        spec.decided_on, c.opened_on
                    ),
                ));
            }
            if let Some(p) = c
                .data
                .persons
                .iter()
                .find(|p| p.state == PersonState::Proposed)
            {
                return Err(refused(
                    "persons",
                    Reason::new(
                        format!("{}({} {})尚未确认或排除", p.name, p.organisation, p.post),
                        format!("{} is neither confirmed nor removed", p.name),
                    ),
                ));
            }
            if !c
                .data
                .persons
                .iter()
                .any(|p| p.state == PersonState::Confirmed)
            {
                return Err(refused(
                    "persons",
                    Reason::new(
                        "没有确认的责任人员:不予追责的案件应当撤销",
                        "no person is confirmed: a case without one is dismissed, not decided",
                    ),
                ));
            }
            for (person_id, _) in &outcomes {
                match c.person(*person_id) {
                    Some(p) if p.state == PersonState::Confirmed => {}
                    _ => {
                        return Err(StoreError::invalid(
                            "outcomes",
                            format!(
                                "person #{person_id} is not a confirmed person of case #{}",
                                c.id
                            ),
                        ))
                    }
                }
            }
            for p in c
                .data
                .persons
                .iter_mut()
                .filter(|p| p.state == PersonState::Confirmed)
            {
                if p.grounds.is_empty() {
                    return Err(refused(
                        "persons",
                        Reason::new(
                            format!("{} 尚未认定追责情形(第十七条)", p.name),
                            format!("{} has no ground (Art. 17) recorded", p.name),
                        ),
                    ));
                }
                let Some((_, o)) = outcomes.iter().find(|(id, _)| *id == p.person_id) else {
                    return Err(refused(
                        "outcomes",
                        Reason::new(
                            format!("{} 的处理结果未写明", p.name),
                            format!("the outcome for {} is missing", p.name),
                        ),
                    ));
                };
                p.outcome = Some(o.clone());
            }
            c.data.decision = Some(Decision {
                document_no,
                body,
                decided_on: spec.decided_on,
                effective_on: spec.effective_on,
                appeal_days: spec.appeal_days,
                appeal_body,
                public: spec.public,
                text: decision_text,
                decided_by: actor.to_string(),
            });
            Ok(())
        })
        .await
    }

    /// Records that the decision was carried out.
    pub async fn execute_case(
        &self,
        change: &Change,
        id: i64,
        on: NaiveDate,
        note: &str,
    ) -> StoreResult<Case> {
        let note = text("note", note, "how the decision was carried out", MAX_TEXT)?;
        self.case_step(change, id, Step::Execute, "execute", &[], |c, _| {
            let effective = c.data.decision.as_ref().map(|d| d.effective_on);
            if effective.is_some_and(|e| on < e) {
                return Err(StoreError::invalid(
                    "on",
                    format!("{on} is before the decision took effect"),
                ));
            }
            c.data.executed_on = Some(on);
            c.data.execution_note = Some(note);
            Ok(())
        })
        .await
    }

    /// Closes the file. Appeals still unanswered keep it open.
    pub async fn archive_case(&self, change: &Change, id: i64, on: NaiveDate) -> StoreResult<Case> {
        self.case_step(change, id, Step::Archive, "archive", &[], |c, _| {
            if let Some(a) = c.data.appeals.iter().find(|a| a.answer.is_none()) {
                return Err(refused(
                    "status",
                    Reason::new(
                        format!("申诉 {} 尚未答复,不能归档", a.number),
                        format!("appeal {} is not answered yet", a.number),
                    ),
                ));
            }
            if c.data.executed_on.is_some_and(|e| on < e) {
                return Err(StoreError::invalid(
                    "on",
                    format!("{on} is before the execution"),
                ));
            }
            c.data.archived_on = Some(on);
            Ok(())
        })
        .await
    }

    /// Dismisses a case before a decision, with the reason (不予追责 / 撤销).
    pub async fn dismiss_case(&self, change: &Change, id: i64, reason: &str) -> StoreResult<Case> {
        let reason = text("reason", reason, "the reason for dismissal", MAX_TEXT)?;
        self.case_step(change, id, Step::Dismiss, "dismiss", &[], |c, _| {
            c.data.dismissal = Some(reason);
            Ok(())
        })
        .await
    }

    /// Records an appeal (申诉) lodged by a person of the decision within its period.
    pub async fn lodge_case_appeal(
        &self,
        change: &Change,
        id: i64,
        person_id: i64,
        lodged_on: NaiveDate,
        appeal: &str,
    ) -> StoreResult<Case> {
        let appeal = text("text", appeal, "the appeal", MAX_TEXT)?;
        self.case_step(change, id, Step::Appeal, "appeal", &[], |c, actor| {
            let d = c
                .data
                .decision
                .clone()
                .expect("a decided case has its decision");
            match c.person(person_id) {
                Some(p) if p.outcome.is_some() => {}
                _ => {
                    return Err(StoreError::invalid(
                        "person_id",
                        format!("person #{person_id} has no outcome in case #{}", c.id),
                    ))
                }
            }
            if !appeal_open(d.effective_on, d.appeal_days, lodged_on) {
                return Err(refused(
                    "lodged_on",
                    Reason::new(
                        format!(
                            "申诉期为决定生效({})后 {} 日内,{lodged_on} 不在期内",
                            d.effective_on, d.appeal_days
                        ),
                        format!(
                            "appeals are lodged within {} days of {}; {lodged_on} is outside",
                            d.appeal_days, d.effective_on
                        ),
                    ),
                ));
            }
            if c.data
                .appeals
                .iter()
                .any(|a| a.person_id == person_id && a.answer.is_none())
            {
                return Err(refused(
                    "person_id",
                    Reason::new(
                        "该人员已有未答复的申诉",
                        "this person's appeal is not answered yet",
                    ),
                ));
            }
            let number = c.data.appeals.len() as u32 + 1;
            c.data.appeals.push(Appeal {
                number,
                person_id,
                lodged_on,
                text: appeal,
                recorded_by: actor.to_string(),
                answer: None,
            });
            Ok(())
        })
        .await
    }

    /// Answers an appeal: upheld, changed (the outcome replaced) or revoked (withdrawn).
    pub async fn answer_case_appeal(
        &self,
        change: &Change,
        id: i64,
        number: u32,
        spec: AppealAnswerSpec,
    ) -> StoreResult<Case> {
        let answer = text("text", &spec.text, "the answer", MAX_TEXT)?;
        let available = self.decision_forms(spec.answered_on).await?;
        self.case_step(
            change,
            id,
            Step::Appeal,
            "answer_appeal",
            &[],
            |c, actor| {
                let effective = c
                    .data
                    .decision
                    .as_ref()
                    .map(|d| d.effective_on)
                    .expect("decided");
                let appeal = c
                    .data
                    .appeals
                    .iter()
                    .find(|a| a.number == number)
                    .cloned()
                    .ok_or_else(|| {
                        StoreError::invalid(
                            "number",
                            format!("case #{} has no appeal {number}", c.id),
                        )
                    })?;
                if appeal.answer.is_some() {
                    return Err(refused(
                        "number",
                        Reason::new(
                            format!("申诉 {number} 已答复"),
                            format!("appeal {number} is already answered"),
                        ),
                    ));
                }
                if spec.answered_on < appeal.lodged_on {
                    return Err(StoreError::invalid(
                        "answered_on",
                        "the answer is before the appeal",
                    ));
                }
                let new_outcome = match (spec.result, &spec.outcome) {
                    (AppealResult::Changed, Some(o)) if o.person_id == appeal.person_id => {
                        Some(outcome_of(o, effective, &available)?)
                    }
                    (AppealResult::Changed, _) => {
                        return Err(StoreError::invalid(
                            "outcome",
                            "a changed decision gives the appellant's new outcome",
                        ))
                    }
                    (_, Some(_)) => {
                        return Err(StoreError::invalid(
                            "outcome",
                            "only a changed decision gives a new outcome",
                        ))
                    }
                    _ => None,
                };
                let person = person_mut(c, appeal.person_id)?;
                let previous = person.outcome.clone();
                match spec.result {
                    AppealResult::Upheld => {}
                    AppealResult::Changed => person.outcome = new_outcome,
                    AppealResult::Revoked => {
                        person.outcome = Some(Outcome {
                            forms: Vec::new(),
                            exempt_reason: Some(format!("申诉 {number} 撤销原决定:{answer}")),
                            no_promotion_until: None,
                        })
                    }
                }
                let a = c
                    .data
                    .appeals
                    .iter_mut()
                    .find(|a| a.number == number)
                    .expect("found above");
                a.answer = Some(AppealAnswer {
                    answered_on: spec.answered_on,
                    result: spec.result,
                    text: answer,
                    answered_by: actor.to_string(),
                    previous: if spec.result == AppealResult::Upheld {
                        None
                    } else {
                        previous
                    },
                });
                Ok(())
            },
        )
        .await
    }
}

fn person_mut(c: &mut Case, person_id: i64) -> StoreResult<&mut super::CasePerson> {
    let id = c.id;
    c.data
        .persons
        .iter_mut()
        .find(|p| p.person_id == person_id)
        .ok_or_else(|| {
            StoreError::invalid(
                "person_id",
                format!("person #{person_id} is not in case #{id}"),
            )
        })
}
