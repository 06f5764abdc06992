//! The life of a finding (督察发现的问题) as a state machine.
//!
//! assigned (交办) → in progress (整改中) → closure requested (申请销号) → verified (验收) →
//! closed (销号). Verification may return the finding for rework (退回重新整改). A finding
//! becomes overdue when its deadline passes while it is still being rectified; that is marked
//! once, on the day it is found, and stays part of its record. Long-term items (长期坚持) stay
//! open with periodic reviews instead of a deadline.
//!
//! Two rules carry the weight of the process: a closure request needs evidence, and the one who
//! verifies a closure (or closes or returns it) may not be the one who asked for it.
//! [`apply`] is the only way from one state to the next; the store records each step (actor,
//! day, comment) as a new version of the finding and a ledger entry.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{keyed_enum, Reason};

keyed_enum! {
    /// Where a finding stands.
    Status {
        Assigned => "assigned", "已交办",
        InProgress => "in_progress", "整改中",
        ClosureRequested => "closure_requested", "申请销号",
        Verified => "verified", "已验收",
        Closed => "closed", "已销号",
        /// 长期坚持: rectified as far as it can be, kept under periodic review.
        LongTerm => "long_term", "长期坚持",
    }
}

impl Status {
    /// Not yet closed.
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// The status's name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Status::Assigned => "Assigned",
            Status::InProgress => "Being rectified",
            Status::ClosureRequested => "Closure requested",
            Status::Verified => "Verified",
            Status::Closed => "Closed",
            Status::LongTerm => "Long-term",
        }
    }

    /// Still with the responsible units, so that its deadline binds them.
    pub fn is_being_rectified(self) -> bool {
        matches!(self, Status::Assigned | Status::InProgress)
    }
}

/// What the state machine needs to know of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingState {
    pub status: Status,
    /// The rectification deadline (整改时限); `None` only for long-term items.
    pub deadline: Option<NaiveDate>,
    /// The day the finding was found overdue; kept once marked (lateness is part of the
    /// record) until the deadline is extended.
    pub overdue_since: Option<NaiveDate>,
    /// The latest account of progress (进展情况).
    pub progress: String,
    /// Who asked for the closure now pending, verified or granted.
    pub closure_requested_by: Option<String>,
    /// The evidence of that request: SHA-256 digests of stored files.
    pub closure_evidence: Vec<String>,
    pub verified_by: Option<String>,
    /// For long-term items: days between reviews.
    pub review_every_days: Option<u32>,
    /// For long-term items: the day of the latest review (or of the designation).
    pub last_review: Option<NaiveDate>,
}

impl FindingState {
    /// A new finding, assigned to its units: with a deadline, or long-term with a review
    /// interval (a ledger row that says 长期坚持).
    pub fn new(
        deadline: Option<NaiveDate>,
        review_every_days: Option<u32>,
        on: NaiveDate,
    ) -> Result<FindingState, TransitionError> {
        match (deadline, review_every_days) {
            (Some(d), None) => Ok(FindingState {
                deadline: Some(d),
                ..FindingState::blank(Status::Assigned)
            }),
            (None, Some(days)) => {
                check_interval(days)?;
                Ok(FindingState {
                    review_every_days: Some(days),
                    last_review: Some(on),
                    ..FindingState::blank(Status::LongTerm)
                })
            }
            (Some(_), Some(_)) => Err(TransitionError::DeadlineAndInterval),
            (None, None) => Err(TransitionError::NoDeadline),
        }
    }

    fn blank(status: Status) -> FindingState {
        FindingState {
            status,
            deadline: None,
            overdue_since: None,
            progress: String::new(),
            closure_requested_by: None,
            closure_evidence: Vec::new(),
            verified_by: None,
            review_every_days: None,
            last_review: None,
        }
    }

    /// Whether the deadline has passed while the units still hold the finding.
    pub fn is_overdue_on(&self, today: NaiveDate) -> bool {
        self.status.is_being_rectified() && self.deadline.is_some_and(|d| d < today)
    }

    /// Whether the deadline falls within `window_days` from today (today included) while the
    /// units still hold the finding.
    pub fn is_due_soon(&self, today: NaiveDate, window_days: u32) -> bool {
        self.status.is_being_rectified()
            && self
                .deadline
                .is_some_and(|d| d >= today && d <= today + Duration::days(i64::from(window_days)))
    }

    /// For long-term items: the day the next review is due.
    pub fn next_review(&self) -> Option<NaiveDate> {
        match (self.status, self.last_review, self.review_every_days) {
            (Status::LongTerm, Some(last), Some(days)) => {
                Some(last + Duration::days(i64::from(days)))
            }
            _ => None,
        }
    }
}

/// Something that happens to a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The responsible unit starts rectifying (开始整改).
    Start,
    /// The unit reports progress (报送进展).
    Progress { text: String },
    /// The unit asks for the finding to be closed, with evidence (申请销号).
    RequestClosure { evidence: Vec<String> },
    /// Someone other than the requester checks the rectification and accepts it (验收).
    Verify,
    /// Verification finds the rectification wanting (退回重新整改).
    Return,
    /// The verified finding is closed (销号).
    Close,
    /// The scheduler found the deadline passed (逾期).
    MarkOverdue,
    /// The deadline is moved later, with the reason in the comment (延期).
    ExtendDeadline { deadline: NaiveDate },
    /// The finding becomes a long-term item reviewed every so many days (长期坚持).
    DesignateLongTerm { review_every_days: u32 },
    /// A periodic review of a long-term item (定期复核).
    Review,
}

impl Event {
    /// The event's key, as versions and ledger entries name it.
    pub fn key(&self) -> &'static str {
        match self {
            Event::Start => "start",
            Event::Progress { .. } => "progress",
            Event::RequestClosure { .. } => "request_closure",
            Event::Verify => "verify",
            Event::Return => "return",
            Event::Close => "close",
            Event::MarkOverdue => "mark_overdue",
            Event::ExtendDeadline { .. } => "extend_deadline",
            Event::DesignateLongTerm { .. } => "long_term",
            Event::Review => "review",
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            Event::Start => "开始整改",
            Event::Progress { .. } => "报送进展",
            Event::RequestClosure { .. } => "申请销号",
            Event::Verify => "验收通过",
            Event::Return => "退回重新整改",
            Event::Close => "销号",
            Event::MarkOverdue => "逾期",
            Event::ExtendDeadline { .. } => "延期",
            Event::DesignateLongTerm { .. } => "转为长期坚持",
            Event::Review => "定期复核",
        }
    }

    pub fn name_en(&self) -> &'static str {
        event_name_en(self.key())
    }

    /// Events whose comment is their substance: a return says what is wanting, an extension
    /// or a long-term designation says why, a review what was found, a request what was done.
    pub fn needs_comment(&self) -> bool {
        matches!(
            self,
            Event::RequestClosure { .. }
                | Event::Return
                | Event::ExtendDeadline { .. }
                | Event::DesignateLongTerm { .. }
                | Event::Review
        )
    }
}

/// Who does it, on which day, with what comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act<'a> {
    pub actor: &'a str,
    pub on: NaiveDate,
    pub comment: &'a str,
}

/// The English name of an event, by its key (the Chinese is [`Event::name_zh`]).
fn event_name_en(key: &str) -> &'static str {
    match key {
        "start" => "start rectifying",
        "progress" => "report progress",
        "request_closure" => "request closure",
        "verify" => "verify",
        "return" => "return for rework",
        "close" => "close",
        "mark_overdue" => "mark overdue",
        "extend_deadline" => "extend the deadline",
        "long_term" => "make long-term",
        "review" => "review",
        _ => "this step",
    }
}

/// Why an event cannot happen. `Display` gives the Chinese reason; [`TransitionError::reason`]
/// gives it in English too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The event does not apply in the finding's status.
    NotAllowed {
        event: &'static str,
        event_en: &'static str,
        status: Status,
    },
    SeparationOfDuties {
        requester: String,
    },
    NoEvidence,
    /// The event needs a comment (its Chinese and English names).
    NoComment(&'static str, &'static str),
    /// No actor recorded for the step.
    NoActor,
    /// A long-term item has a review interval, not a deadline.
    DeadlineAndInterval,
    /// Neither a deadline nor a review interval.
    NoDeadline,
    /// A review interval outside 1–366 days.
    BadInterval(u32),
    /// A new deadline before the day it is set.
    DeadlinePassed {
        asked: NaiveDate,
        today: NaiveDate,
    },
    /// An extension must move the deadline later; `current` is `None` for a finding without
    /// one.
    DeadlineNotLater {
        current: Option<NaiveDate>,
        asked: NaiveDate,
    },
}

impl TransitionError {
    /// The reason in Chinese and English.
    pub fn reason(&self) -> Reason {
        match self {
            TransitionError::NotAllowed {
                event,
                event_en,
                status,
            } => Reason::new(
                format!("{event}:问题当前状态为「{}」,不能{event}", status.name_zh()),
                format!(
                    "cannot {event_en}: the finding is \"{}\"",
                    status.name_en()
                ),
            ),
            TransitionError::SeparationOfDuties { requester } => Reason::new(
                format!("职责分离:验收、销号或退回须由申请销号人({requester})以外的人办理"),
                format!("separation of duties: someone other than the one who asked for the closure ({requester}) must verify, close or return it"),
            ),
            TransitionError::NoEvidence => Reason::new(
                "申请销号须附整改佐证材料",
                "a closure request must cite evidence of the rectification",
            ),
            TransitionError::NoComment(zh, en) => Reason::new(
                format!("{zh}须填写说明"),
                format!("{en}: a comment is required"),
            ),
            TransitionError::NoActor => {
                Reason::new("每一步须记录办理人", "every step must record who took it")
            }
            TransitionError::DeadlineAndInterval => Reason::new(
                "长期坚持的问题不设整改时限,只设复核周期",
                "a long-term item has a review interval, not a deadline",
            ),
            TransitionError::NoDeadline => Reason::new(
                "问题需要整改时限,或标为长期坚持并设复核周期",
                "a finding needs a deadline, or to be long-term with a review interval",
            ),
            TransitionError::BadInterval(days) => Reason::new(
                format!("复核周期 {days} 天不合理:应为 1–366 天"),
                format!("a review interval of {days} days is unreasonable: 1–366 days"),
            ),
            TransitionError::DeadlinePassed { asked, today } => Reason::new(
                format!("新的整改时限 {asked} 已过(今天是 {today})"),
                format!("the new deadline {asked} is in the past (today is {today})"),
            ),
            TransitionError::DeadlineNotLater {
                current: Some(current),
                asked,
            } => Reason::new(
                format!("延期后的整改时限须晚于原时限(原时限 {current},申请延至 {asked})"),
                format!("the new deadline must be later than the current one ({current}; asked for {asked})"),
            ),
            TransitionError::DeadlineNotLater {
                current: None,
                asked,
            } => Reason::new(
                format!("该问题没有整改时限,不能延期至 {asked}"),
                format!("the finding has no deadline to extend to {asked}"),
            ),
        }
    }

    pub fn reason_en(&self) -> String {
        self.reason().en
    }
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason().zh)
    }
}

impl std::error::Error for TransitionError {}

/// A deadline set on `today` may not lie before it (an extension to a day already past would
/// leave the finding overdue at once).
pub fn check_new_deadline(deadline: NaiveDate, today: NaiveDate) -> Result<(), TransitionError> {
    if deadline < today {
        Err(TransitionError::DeadlinePassed {
            asked: deadline,
            today,
        })
    } else {
        Ok(())
    }
}

fn check_interval(days: u32) -> Result<(), TransitionError> {
    if (1..=366).contains(&days) {
        Ok(())
    } else {
        Err(TransitionError::BadInterval(days))
    }
}

/// The state after `event`, or why it cannot happen. Pure: the caller records the result.
pub fn apply(
    state: &FindingState,
    event: &Event,
    act: &Act<'_>,
) -> Result<FindingState, TransitionError> {
    use Status::*;
    let not_allowed = || TransitionError::NotAllowed {
        event: event.name_zh(),
        event_en: event.name_en(),
        status: state.status,
    };
    if act.actor.trim().is_empty() {
        return Err(TransitionError::NoActor);
    }
    if event.needs_comment() && act.comment.trim().is_empty() {
        return Err(TransitionError::NoComment(event.name_zh(), event.name_en()));
    }
    let separated = |state: &FindingState| match &state.closure_requested_by {
        Some(r) if r == act.actor.trim() => Err(TransitionError::SeparationOfDuties {
            requester: r.clone(),
        }),
        _ => Ok(()),
    };
    let mut next = state.clone();
    match event {
        Event::Start => {
            if state.status != Assigned {
                return Err(not_allowed());
            }
            next.status = InProgress;
        }
        Event::Progress { text } => {
            if !matches!(state.status, Assigned | InProgress | LongTerm) {
                return Err(not_allowed());
            }
            if text.trim().is_empty() {
                return Err(TransitionError::NoComment(event.name_zh(), event.name_en()));
            }
            if state.status == Assigned {
                next.status = InProgress;
            }
            next.progress = text.trim().to_string();
        }
        Event::RequestClosure { evidence } => {
            if !matches!(state.status, Assigned | InProgress | LongTerm) {
                return Err(not_allowed());
            }
            let evidence: Vec<String> = evidence
                .iter()
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
                .collect();
            if evidence.is_empty() {
                return Err(TransitionError::NoEvidence);
            }
            next.status = ClosureRequested;
            next.closure_requested_by = Some(act.actor.trim().to_string());
            next.closure_evidence = evidence;
            next.verified_by = None;
        }
        Event::Verify => {
            if state.status != ClosureRequested {
                return Err(not_allowed());
            }
            separated(state)?;
            next.status = Verified;
            next.verified_by = Some(act.actor.trim().to_string());
        }
        Event::Return => {
            if !matches!(state.status, ClosureRequested | Verified) {
                return Err(not_allowed());
            }
            separated(state)?;
            next.status = if state.review_every_days.is_some() {
                LongTerm
            } else {
                InProgress
            };
            next.closure_requested_by = None;
            next.closure_evidence = Vec::new();
            next.verified_by = None;
        }
        Event::Close => {
            if state.status != Verified {
                return Err(not_allowed());
            }
            separated(state)?;
            next.status = Closed;
        }
        Event::MarkOverdue => {
            if state.overdue_since.is_some() || !state.is_overdue_on(act.on) {
                return Err(not_allowed());
            }
            next.overdue_since = Some(act.on);
        }
        Event::ExtendDeadline { deadline } => {
            if !state.status.is_being_rectified() {
                return Err(not_allowed());
            }
            match state.deadline {
                Some(old) if *deadline > old => {}
                current => {
                    return Err(TransitionError::DeadlineNotLater {
                        current,
                        asked: *deadline,
                    })
                }
            }
            next.deadline = Some(*deadline);
            if *deadline >= act.on {
                next.overdue_since = None;
            }
        }
        Event::DesignateLongTerm { review_every_days } => {
            if !state.status.is_being_rectified() {
                return Err(not_allowed());
            }
            check_interval(*review_every_days)?;
            next.status = LongTerm;
            next.review_every_days = Some(*review_every_days);
            next.last_review = Some(act.on);
        }
        Event::Review => {
            if state.status != LongTerm {
                return Err(not_allowed());
            }
            next.last_review = Some(act.on);
        }
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn act<'a>(actor: &'a str, on: &str, comment: &'a str) -> Act<'a> {
        Act {
            actor,
            on: d(on),
            comment,
        }
    }

    fn assigned() -> FindingState {
        FindingState::new(Some(d("2026-06-30")), None, d("2026-01-10")).unwrap()
    }

    fn requested(by: &str) -> FindingState {
        let s = apply(&assigned(), &Event::Start, &act("unit", "2026-02-01", "")).unwrap();
        apply(
            &s,
            &Event::RequestClosure {
                evidence: vec!["aa".into()],
            },
            &act(by, "2026-05-01", "已完成"),
        )
        .unwrap()
    }

    #[test]
    fn new_findings_need_a_deadline_or_a_review_interval() {
        assert_eq!(assigned().status, Status::Assigned);
        let lt = FindingState::new(None, Some(90), d("2026-01-10")).unwrap();
        assert_eq!(lt.status, Status::LongTerm);
        assert_eq!(lt.next_review(), Some(d("2026-04-10")));
        assert!(FindingState::new(None, None, d("2026-01-10")).is_err());
        assert!(FindingState::new(Some(d("2026-01-10")), Some(30), d("2026-01-10")).is_err());
        assert!(FindingState::new(None, Some(0), d("2026-01-10")).is_err());
    }

    #[test]
    fn the_whole_life_with_a_return_for_rework() {
        let s = requested("unit");
        assert_eq!(s.status, Status::ClosureRequested);
        assert_eq!(s.closure_requested_by.as_deref(), Some("unit"));
        let back = apply(
            &s,
            &Event::Return,
            &act("inspector", "2026-05-05", "佐证不足"),
        )
        .unwrap();
        assert_eq!(back.status, Status::InProgress);
        assert_eq!(back.closure_requested_by, None);
        assert!(back.closure_evidence.is_empty());
        let again = apply(
            &back,
            &Event::RequestClosure {
                evidence: vec!["bb".into()],
            },
            &act("unit", "2026-05-20", "补充材料"),
        )
        .unwrap();
        let verified = apply(&again, &Event::Verify, &act("inspector", "2026-05-25", "")).unwrap();
        assert_eq!(verified.status, Status::Verified);
        assert_eq!(verified.verified_by.as_deref(), Some("inspector"));
        let closed = apply(&verified, &Event::Close, &act("admin", "2026-05-26", "")).unwrap();
        assert_eq!(closed.status, Status::Closed);
        assert!(!closed.status.is_open());
    }

    #[test]
    fn separation_of_duties() {
        let s = requested("unit");
        for e in [Event::Verify, Event::Return] {
            assert_eq!(
                apply(&s, &e, &act("unit", "2026-05-02", "x")),
                Err(TransitionError::SeparationOfDuties {
                    requester: "unit".into()
                })
            );
        }
        let v = apply(&s, &Event::Verify, &act("inspector", "2026-05-02", "")).unwrap();
        assert!(matches!(
            apply(&v, &Event::Close, &act("unit", "2026-05-03", "")),
            Err(TransitionError::SeparationOfDuties { .. })
        ));
        // Surrounding spaces do not make the requester someone else.
        assert!(matches!(
            apply(&s, &Event::Verify, &act(" unit ", "2026-05-02", "")),
            Err(TransitionError::SeparationOfDuties { .. })
        ));
    }

    #[test]
    fn a_closure_request_needs_evidence_and_a_comment() {
        let s = apply(&assigned(), &Event::Start, &act("unit", "2026-02-01", "")).unwrap();
        assert_eq!(
            apply(
                &s,
                &Event::RequestClosure { evidence: vec![] },
                &act("unit", "2026-03-01", "完成")
            ),
            Err(TransitionError::NoEvidence)
        );
        assert_eq!(
            apply(
                &s,
                &Event::RequestClosure {
                    evidence: vec!["  ".into()]
                },
                &act("unit", "2026-03-01", "完成")
            ),
            Err(TransitionError::NoEvidence)
        );
        assert!(matches!(
            apply(
                &s,
                &Event::RequestClosure {
                    evidence: vec!["aa".into()]
                },
                &act("unit", "2026-03-01", " ")
            ),
            Err(TransitionError::NoComment(..))
        ));
    }

    #[test]
    fn events_out_of_order_are_refused() {
        let a = assigned();
        for e in [Event::Verify, Event::Return, Event::Close, Event::Review] {
            assert!(
                matches!(
                    apply(&a, &e, &act("x", "2026-02-01", "c")),
                    Err(TransitionError::NotAllowed { .. })
                ),
                "{e:?} on an assigned finding"
            );
        }
        let s = requested("unit");
        for e in [
            Event::Start,
            Event::Close,
            Event::Progress { text: "x".into() },
            Event::MarkOverdue,
            Event::ExtendDeadline {
                deadline: d("2026-12-31"),
            },
        ] {
            assert!(
                matches!(
                    apply(&s, &e, &act("other", "2026-08-01", "c")),
                    Err(TransitionError::NotAllowed { .. })
                ),
                "{e:?} on a requested closure"
            );
        }
    }

    #[test]
    fn closed_is_final() {
        let s = requested("unit");
        let v = apply(&s, &Event::Verify, &act("i", "2026-05-02", "")).unwrap();
        let c = apply(&v, &Event::Close, &act("i", "2026-05-03", "")).unwrap();
        for e in all_events() {
            assert!(
                apply(&c, &e, &act("z", "2027-01-01", "c")).is_err(),
                "{e:?} after closing"
            );
        }
    }

    #[test]
    fn progress_starts_an_assigned_finding_and_needs_text() {
        let p = apply(
            &assigned(),
            &Event::Progress {
                text: " 已完成一半 ".into(),
            },
            &act("unit", "2026-02-01", ""),
        )
        .unwrap();
        assert_eq!(p.status, Status::InProgress);
        assert_eq!(p.progress, "已完成一半");
        assert!(apply(
            &assigned(),
            &Event::Progress { text: "".into() },
            &act("unit", "2026-02-01", "")
        )
        .is_err());
    }

    #[test]
    fn overdue_is_marked_once_after_the_deadline() {
        let a = assigned();
        assert!(
            !a.is_overdue_on(d("2026-06-30")),
            "the deadline day itself is in time"
        );
        assert!(a.is_overdue_on(d("2026-07-01")));
        assert!(apply(&a, &Event::MarkOverdue, &act("scheduler", "2026-06-30", "")).is_err());
        let o = apply(&a, &Event::MarkOverdue, &act("scheduler", "2026-07-01", "")).unwrap();
        assert_eq!(o.overdue_since, Some(d("2026-07-01")));
        assert_eq!(o.status, Status::Assigned, "overdue is a mark, not a state");
        assert!(apply(&o, &Event::MarkOverdue, &act("scheduler", "2026-07-02", "")).is_err());
        // A requested closure is with the verifier, not the unit: not overdue.
        let r = requested("unit");
        assert!(!r.is_overdue_on(d("2026-08-01")));
        // Extending the deadline lifts the mark; it stays in the earlier versions.
        let e = apply(
            &o,
            &Event::ExtendDeadline {
                deadline: d("2026-09-30"),
            },
            &act("city", "2026-07-02", "汛期无法施工"),
        )
        .unwrap();
        assert_eq!(e.overdue_since, None);
        assert_eq!(e.deadline, Some(d("2026-09-30")));
        assert!(apply(
            &e,
            &Event::ExtendDeadline {
                deadline: d("2026-09-01")
            },
            &act("city", "2026-07-03", "x")
        )
        .is_err());
    }

    #[test]
    fn due_soon_is_a_window_before_the_deadline() {
        let a = assigned();
        assert!(a.is_due_soon(d("2026-06-23"), 7));
        assert!(a.is_due_soon(d("2026-06-30"), 7));
        assert!(!a.is_due_soon(d("2026-06-22"), 7));
        assert!(!a.is_due_soon(d("2026-07-01"), 7));
    }

    #[test]
    fn long_term_items_are_reviewed_and_never_overdue() {
        let s = apply(&assigned(), &Event::Start, &act("unit", "2026-02-01", "")).unwrap();
        let lt = apply(
            &s,
            &Event::DesignateLongTerm {
                review_every_days: 90,
            },
            &act("city", "2026-03-01", "需长期坚持"),
        )
        .unwrap();
        assert_eq!(lt.status, Status::LongTerm);
        assert_eq!(lt.next_review(), Some(d("2026-05-30")));
        assert!(!lt.is_overdue_on(d("2027-01-01")));
        let r = apply(&lt, &Event::Review, &act("city", "2026-06-01", "持续巩固")).unwrap();
        assert_eq!(r.next_review(), Some(d("2026-08-30")));
        // A long-term item returned from a closure request stays long-term.
        let q = apply(
            &r,
            &Event::RequestClosure {
                evidence: vec!["cc".into()],
            },
            &act("unit", "2026-07-01", "已根治"),
        )
        .unwrap();
        let back = apply(&q, &Event::Return, &act("city", "2026-07-02", "尚未根治")).unwrap();
        assert_eq!(back.status, Status::LongTerm);
        assert!(apply(
            &s,
            &Event::DesignateLongTerm {
                review_every_days: 400
            },
            &act("city", "2026-03-01", "x")
        )
        .is_err());
    }

    #[test]
    fn every_step_needs_an_actor() {
        assert!(matches!(
            apply(&assigned(), &Event::Start, &act(" ", "2026-02-01", "")),
            Err(TransitionError::NoActor)
        ));
    }

    /// Every reason, in both languages, word for word.
    #[test]
    fn every_reason_reads_in_chinese_and_english() {
        let cases: Vec<(TransitionError, &str, &str)> = vec![
            (
                TransitionError::NotAllowed {
                    event: Event::Verify.name_zh(),
                    event_en: Event::Verify.name_en(),
                    status: Status::Assigned,
                },
                "验收通过:问题当前状态为「已交办」,不能验收通过",
                "cannot verify: the finding is \"Assigned\"",
            ),
            (
                TransitionError::SeparationOfDuties {
                    requester: "unit".into(),
                },
                "职责分离:验收、销号或退回须由申请销号人(unit)以外的人办理",
                "separation of duties: someone other than the one who asked for the closure (unit) must verify, close or return it",
            ),
            (
                TransitionError::NoEvidence,
                "申请销号须附整改佐证材料",
                "a closure request must cite evidence of the rectification",
            ),
            (
                TransitionError::NoComment("延期", "extend the deadline"),
                "延期须填写说明",
                "extend the deadline: a comment is required",
            ),
            (
                TransitionError::NoActor,
                "每一步须记录办理人",
                "every step must record who took it",
            ),
            (
                TransitionError::DeadlineAndInterval,
                "长期坚持的问题不设整改时限,只设复核周期",
                "a long-term item has a review interval, not a deadline",
            ),
            (
                TransitionError::NoDeadline,
                "问题需要整改时限,或标为长期坚持并设复核周期",
                "a finding needs a deadline, or to be long-term with a review interval",
            ),
            (
                TransitionError::BadInterval(400),
                "复核周期 400 天不合理:应为 1–366 天",
                "a review interval of 400 days is unreasonable: 1–366 days",
            ),
            (
                TransitionError::DeadlineNotLater {
                    current: Some(d("2026-06-30")),
                    asked: d("2026-06-01"),
                },
                "延期后的整改时限须晚于原时限(原时限 2026-06-30,申请延至 2026-06-01)",
                "the new deadline must be later than the current one (2026-06-30; asked for 2026-06-01)",
            ),
            (
                TransitionError::DeadlinePassed {
                    asked: d("2026-01-01"),
                    today: d("2026-02-01"),
                },
                "新的整改时限 2026-01-01 已过(今天是 2026-02-01)",
                "the new deadline 2026-01-01 is in the past (today is 2026-02-01)",
            ),
            (
                TransitionError::DeadlineNotLater {
                    current: None,
                    asked: d("2026-06-01"),
                },
                "该问题没有整改时限,不能延期至 2026-06-01",
                "the finding has no deadline to extend to 2026-06-01",
            ),
        ];
        for (e, zh, en) in cases {
            assert_eq!(e.to_string(), zh);
            assert_eq!(e.reason().zh, zh);
            assert_eq!(e.reason_en(), en);
            assert_eq!(e.reason().pick(true), en);
            assert_eq!(e.reason().both(), format!("{zh} ({en})"));
        }
        // The state machine gives them: a step out of order, an extension not later.
        let e = apply(&assigned(), &Event::Close, &act("city", "2026-02-01", "")).unwrap_err();
        assert_eq!(e.reason_en(), "cannot close: the finding is \"Assigned\"");
        let e = apply(
            &assigned(),
            &Event::ExtendDeadline {
                deadline: d("2026-06-30"),
            },
            &act("city", "2026-02-01", "因汛期延后"),
        )
        .unwrap_err();
        assert!(
            matches!(e, TransitionError::DeadlineNotLater { .. }),
            "{e:?}"
        );
        assert!(check_new_deadline(d("2026-02-01"), d("2026-02-01")).is_ok());
        assert_eq!(
            check_new_deadline(d("2026-01-31"), d("2026-02-01")),
            Err(TransitionError::DeadlinePassed {
                asked: d("2026-01-31"),
                today: d("2026-02-01")
            })
        );
        // Every event has an English name.
        for event in all_events() {
            assert_ne!(event.name_en(), "this step", "{event:?}");
        }
        for s in Status::ALL {
            assert!(!s.name_en().is_empty());
        }
    }

    fn all_events() -> Vec<Event> {
        vec![
            Event::Start,
            Event::Progress { text: "p".into() },
            Event::RequestClosure {
                evidence: vec!["e".into()],
            },
            Event::RequestClosure { evidence: vec![] },
            Event::Verify,
            Event::Return,
            Event::Close,
            Event::MarkOverdue,
            Event::ExtendDeadline {
                deadline: d("2026-09-30"),
            },
            Event::DesignateLongTerm {
                review_every_days: 30,
            },
            Event::Review,
        ]
    }

    fn event_strategy() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(Event::Start),
            Just(Event::Progress { text: "p".into() }),
            prop::collection::vec(
                prop_oneof![Just("e1".to_string()), Just(String::new())],
                0..3
            )
            .prop_map(|evidence| Event::RequestClosure { evidence }),
            Just(Event::Verify),
            Just(Event::Return),
            Just(Event::Close),
            Just(Event::MarkOverdue),
            (0i64..400).prop_map(|n| Event::ExtendDeadline {
                deadline: d("2026-06-01") + Duration::days(n)
            }),
            (0u32..400).prop_map(|days| Event::DesignateLongTerm {
                review_every_days: days
            }),
            Just(Event::Review),
        ]
    }

    proptest! {
        /// Whatever happens, in any order, by whoever: a finding is closed only after a
        /// verification by someone other than the one who asked for the closure, on a request
        /// that carried evidence; and once closed nothing more happens to it.
        #[test]
        fn no_closure_without_a_verification_by_someone_else(
            start_long_term in any::<bool>(),
            steps in prop::collection::vec(
                (event_strategy(), prop::sample::select(vec!["a", "b", "c"]), 0i64..500, any::<bool>()),
                0..40,
            )
        ) {
            let created = d("2026-01-01");
            let mut state = if start_long_term {
                FindingState::new(None, Some(60), created).unwrap()
            } else {
                FindingState::new(Some(d("2026-06-30")), None, created).unwrap()
            };
            // The accepted events since the latest closure request: (event, actor).
            let mut since_request: Vec<(Event, String)> = Vec::new();
            let mut request: Option<(String, Vec<String>)> = None;
            for (event, actor, day, comment) in steps {
                let a = Act { actor, on: created + Duration::days(day), comment: if comment { "说明" } else { "" } };
                let before = state.clone();
                match apply(&state, &event, &a) {
                    Ok(next) => {
                        prop_assert!(before.status != Status::Closed, "an event changed a closed finding");
                        if let Event::RequestClosure { .. } = event {
                            request = Some((actor.to_string(), next.closure_evidence.clone()));
                            since_request.clear();
                        } else {
                            since_request.push((event.clone(), actor.to_string()));
                        }
                        if event == Event::Return {
                            request = None;
                        }
                        state = next;
                    }
                    Err(_) => prop_assert_eq!(&state, &before),
                }
                if state.status == Status::Closed {
                    let (requester, evidence) = request.clone().expect("closed without a request");
                    prop_assert!(!evidence.is_empty(), "closed on a request without evidence");
                    prop_assert!(
                        since_request.iter().any(|(e, who)| *e == Event::Verify && *who != requester),
                        "closed without a verification by someone other than {}", requester
                    );
                    prop_assert!(state.verified_by.as_deref().is_some_and(|v| v != requester));
                }
            }
        }
    }
}
