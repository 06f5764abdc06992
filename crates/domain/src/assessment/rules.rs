//! One pure function per rule type: from a unit's facts to a line that says what it earned,
//! from which inputs and source records, in a sentence of Chinese and one of English.
//!
//! The facts are what the store already holds (targets and indicator values, findings and
//! their steps, tasks, dispatch rounds, complaints, entries by the scoring organisations); a
//! rule reads only the facts of its own kind, so changing one input changes only the lines
//! whose rules read it. Sources are written `entity:id` as the change ledger names records.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::scheme::{Item, ItemKind, Rule};
use super::{fmt_points, round2};
use crate::emergency::Level;
use crate::supervision::tasks::UnitReport;
use crate::supervision::InspectionLevel;

/// A binding indicator of the unit's region for the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorFact {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    pub lower_is_better: bool,
    pub target: Option<f64>,
    pub target_id: Option<i64>,
    /// The value for the year: the annual value once the year is over, else the year to date.
    pub value: Option<f64>,
    /// Last year's annual value, where known.
    pub previous: Option<f64>,
    /// Whether `value` is the annual value (the year is over).
    pub annual: bool,
}

impl IndicatorFact {
    /// Whether the year's target was met: known once the year is over and both the target and
    /// the annual value are; the same comparison as the binding-indicator rule's shortfall.
    pub fn met(&self) -> Option<bool> {
        if !self.annual {
            return None;
        }
        let (target, value) = (self.target?, self.value?);
        Some(if self.lower_is_better {
            value <= target
        } else {
            value >= target
        })
    }
}

/// A finding of the unit that bears on the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingFact {
    pub id: i64,
    pub raised_on: NaiveDate,
    /// `None` for long-term items.
    pub deadline: Option<NaiveDate>,
    /// The day it was closed (销号), if it was.
    pub closed_on: Option<NaiveDate>,
    /// The level of the inspection that found it, if an inspection did.
    pub level: Option<InspectionLevel>,
    /// How many times it was returned after a closure request (退回重新整改).
    pub returns: u32,
    /// Found by a 回头看 inspection: a problem that came back after rectification.
    pub recurrence: bool,
}

/// A task of the annual work plan led by the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFact {
    pub id: i64,
    pub deadline: NaiveDate,
    /// The day its completion was reported, if it was completed.
    pub completed_on: Option<NaiveDate>,
}

/// The unit's standing in a dispatch round of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundFact {
    pub id: i64,
    pub status: UnitReport,
}

/// A public complaint the unit had to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintFact {
    pub id: i64,
    pub due: NaiveDate,
    pub answered_on: Option<NaiveDate>,
}

/// An environmental emergency in the unit's region that bears on the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyFact {
    pub id: i64,
    pub occurred_on: NaiveDate,
    pub level: Level,
    pub title: String,
    /// A withdrawn event (not an emergency after all) does not count.
    pub counts: bool,
}

/// A result entered by a scoring organisation for a manual or veto item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManualEntry {
    pub id: i64,
    pub item: String,
    /// Points earned (a deduction's are 0 or negative).
    pub earned: f64,
    /// For a veto item: whether the veto applies.
    pub triggered: bool,
    pub reason: String,
    /// SHA-256 digests of the evidence files.
    pub evidence: Vec<String>,
    pub entered_by: String,
}

/// Everything the rules read about one unit for one year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UnitFacts {
    pub indicators: Vec<IndicatorFact>,
    pub findings: Vec<FindingFact>,
    pub tasks: Vec<TaskFact>,
    pub rounds: Vec<RoundFact>,
    pub complaints: Vec<ComplaintFact>,
    pub manual: Vec<ManualEntry>,
    /// Facts stored before emergencies were recorded have none.
    #[serde(default)]
    pub emergencies: Vec<EmergencyFact>,
}

/// One scored item of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub item: String,
    pub category: String,
    pub content: String,
    pub kind: ItemKind,
    /// The rule type applied.
    pub rule: String,
    pub points: f64,
    pub earned: f64,
    /// The numbers the rule used, by name.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub inputs: serde_json::Map<String, serde_json::Value>,
    /// The records the line was computed from, as `entity:id`.
    pub sources: Vec<String>,
    pub explanation_zh: String,
    pub explanation_en: String,
    /// A veto item that applies.
    pub vetoed: bool,
    /// Not scorable yet (no target, no data, nothing entered): earns nothing until it is.
    pub pending: bool,
}

/// The year being scored and the day the facts stand on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub as_of: NaiveDate,
}

impl Period {
    fn in_year(&self, d: NaiveDate) -> bool {
        use chrono::Datelike;
        d.year() == self.year
    }
}

/// What a rule computed: points on the base scale (0 to the item's points) and the rest of
/// the line.
struct Outcome {
    base: f64,
    inputs: serde_json::Map<String, serde_json::Value>,
    sources: Vec<String>,
    zh: String,
    en: String,
    vetoed: bool,
    pending: bool,
}

fn inputs(pairs: &[(&str, serde_json::Value)]) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Scores one item for one unit.
pub fn score_item(item: &Item, facts: &UnitFacts, period: Period) -> Line {
    let p = item.points;
    let o = match &item.rule {
        Rule::Indicator {
            indicator,
            per,
            deduct,
            floor,
            improve,
        } => indicator_rule(p, indicator, *per, *deduct, *floor, *improve, facts),
        Rule::Rectification {
            per_overdue,
            central,
            provincial,
            per_return,
            per_recurrence,
        } => rectification_rule(
            p,
            [
                *per_overdue,
                *central,
                *provincial,
                *per_return,
                *per_recurrence,
            ],
            &facts.findings,
            period,
        ),
        Rule::Tasks => tasks_rule(p, &facts.tasks, period),
        Rule::Dispatch {
            per_late,
            per_missing,
        } => dispatch_rule(p, *per_late, *per_missing, &facts.rounds),
        Rule::Complaints => complaints_rule(p, &facts.complaints, period),
        Rule::Veto => veto_rule(&item.code, &facts.manual),
        Rule::Emergency { level, per_event } => {
            emergency_rule(item, *level, *per_event, facts, period)
        }
        Rule::Manual => manual_rule(item, &facts.manual),
    };
    let earned = match (item.kind, &item.rule) {
        (ItemKind::Veto, _) => 0.0,
        // A manual entry is already on the item's own scale.
        (_, Rule::Manual) => o.base,
        (ItemKind::Deduction, _) => o.base - p,
        _ => o.base,
    };
    Line {
        item: item.code.clone(),
        category: item.category.clone(),
        content: item.content.clone(),
        kind: item.kind,
        rule: item.rule.key().to_string(),
        points: p,
        earned: round2(earned),
        inputs: o.inputs,
        sources: o.sources,
        explanation_zh: o.zh,
        explanation_en: o.en,
        vetoed: o.vetoed,
        pending: o.pending,
    }
}

fn indicator_rule(
    points: f64,
    key: &str,
    per: f64,
    deduct: f64,
    floor: f64,
    improve: f64,
    facts: &UnitFacts,
) -> Outcome {
    let full = fmt_points(points);
    let Some(f) = facts.indicators.iter().find(|f| f.key == key) else {
        return Outcome {
            base: 0.0,
            inputs: inputs(&[("indicator", key.into())]),
            sources: vec![],
            zh: format!("本年度没有指标 {key} 的目标,暂不能评分(满分 {full})。"),
            en: format!("No target for indicator {key} this year: not scored yet (of {full})."),
            vetoed: false,
            pending: true,
        };
    };
    let mut sources: Vec<String> = f
        .target_id
        .map(|id| format!("target:{id}"))
        .into_iter()
        .collect();
    let (Some(target), Some(value)) = (f.target, f.value) else {
        return Outcome {
            base: 0.0,
            inputs: inputs(&[("indicator", key.into()), ("target", f.target.into())]),
            sources,
            zh: format!("{}没有本年度监测数据,暂不能评分(满分 {full})。", f.name_zh),
            en: format!(
                "{}: no data for the year: not scored yet (of {full}).",
                f.name_en
            ),
            vetoed: false,
            pending: true,
        };
    };
    sources.push(format!("indicator:{key}"));
    let shortfall = if f.lower_is_better {
        value - target
    } else {
        target - value
    };
    let improvement = f.previous.map(|prev| {
        if f.lower_is_better {
            prev - value
        } else {
            value - prev
        }
    });
    let period_zh = if f.annual { "全年" } else { "年内累计" };
    let period_en = if f.annual { "annual" } else { "year to date" };
    let u = &f.unit;
    let mut ins = inputs(&[
        ("indicator", key.into()),
        ("target", target.into()),
        ("value", value.into()),
        ("previous", f.previous.into()),
        ("annual", f.annual.into()),
    ]);
    if shortfall <= 0.0 {
        return Outcome {
            base: points,
            inputs: ins,
            sources,
            zh: format!(
                "{}{period_zh} {} {u},目标 {},已达标,得满分 {full} 分。",
                f.name_zh,
                fmt_points(value),
                fmt_points(target)
            ),
            en: format!(
                "{} {period_en} {} {u} against a target of {}: met, full {full} points.",
                f.name_en,
                fmt_points(value),
                fmt_points(target)
            ),
            vetoed: false,
            pending: false,
        };
    }
    let lost = deduct * shortfall / per;
    let back = improvement
        .filter(|i| *i > 0.0)
        .map(|i| improve * i / per)
        .unwrap_or(0.0);
    let floor = floor.min(points);
    let base = (points - lost + back).clamp(floor, points);
    ins.insert("shortfall".into(), round2(shortfall).into());
    ins.insert("deducted".into(), round2(lost).into());
    ins.insert("improvement_points".into(), round2(back).into());
    let (back_zh, back_en) = if back > 0.0 {
        (
            format!(
                ",较上年改善 {} 加回 {} 分",
                fmt_points(improvement.unwrap_or_default()),
                fmt_points(back)
            ),
            format!(
                ", {} back for improving {} on last year",
                fmt_points(back),
                fmt_points(improvement.unwrap_or_default())
            ),
        )
    } else {
        (String::new(), String::new())
    };
    let floor_zh = if base == floor && points - lost + back < floor {
        format!(",以保底 {} 分计", fmt_points(floor))
    } else {
        String::new()
    };
    let floor_en = if floor_zh.is_empty() {
        String::new()
    } else {
        format!(", held at the floor of {}", fmt_points(floor))
    };
    Outcome {
        base,
        inputs: ins,
        sources,
        zh: format!(
            "{}{period_zh} {} {u},目标 {},未达标差 {};每差 {} 扣 {} 分,扣 {} 分{back_zh}{floor_zh},得 {} 分(满分 {full})。",
            f.name_zh,
            fmt_points(value),
            fmt_points(target),
            fmt_points(shortfall),
            fmt_points(per),
            fmt_points(deduct),
            fmt_points(lost),
            fmt_points(base)
        ),
        en: format!(
            "{} {period_en} {} {u} against a target of {}: short by {}; {} off per {}, {} off{back_en}{floor_en}: {} of {full}.",
            f.name_en,
            fmt_points(value),
            fmt_points(target),
            fmt_points(shortfall),
            fmt_points(deduct),
            fmt_points(per),
            fmt_points(lost),
            fmt_points(base)
        ),
        vetoed: false,
        pending: false,
    }
}

/// Parameters of [`Rule::Rectification`] in its field order.
fn rectification_rule(
    points: f64,
    [per_overdue, central, provincial, per_return, per_recurrence]: [f64; 5],
    findings: &[FindingFact],
    period: Period,
) -> Outcome {
    let full = fmt_points(points);
    let due: Vec<&FindingFact> = findings
        .iter()
        .filter(|f| f.deadline.is_some_and(|d| period.in_year(d)))
        .collect();
    let late = |f: &&&FindingFact| {
        let d = f.deadline.expect("due findings have deadlines");
        match f.closed_on {
            Some(c) => c > d,
            None => d < period.as_of,
        }
    };
    let on_time = due
        .iter()
        .filter(|f| f.closed_on.zip(f.deadline).is_some_and(|(c, d)| c <= d))
        .count();
    let overdue: Vec<&&FindingFact> = due.iter().filter(late).collect();
    let n_central = overdue
        .iter()
        .filter(|f| f.level == Some(InspectionLevel::Central))
        .count();
    let n_provincial = overdue
        .iter()
        .filter(|f| f.level == Some(InspectionLevel::Provincial))
        .count();
    let overdue_off: f64 = overdue
        .iter()
        .map(|f| {
            per_overdue
                * match f.level {
                    Some(InspectionLevel::Central) => central,
                    Some(InspectionLevel::Provincial) => provincial,
                    _ => 1.0,
                }
        })
        .sum();
    let returns: u32 = due.iter().map(|f| f.returns).sum();
    let return_off = per_return * f64::from(returns);
    let recurrences: Vec<&FindingFact> = findings
        .iter()
        .filter(|f| f.recurrence && period.in_year(f.raised_on))
        .collect();
    let recurrence_off = per_recurrence * recurrences.len() as f64;
    let lost = overdue_off + return_off + recurrence_off;
    let base = (points - lost).max(0.0);
    let mut sources: Vec<String> = due.iter().map(|f| format!("finding:{}", f.id)).collect();
    for r in &recurrences {
        let s = format!("finding:{}", r.id);
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    let overdue_ids: Vec<i64> = overdue.iter().map(|f| f.id).collect();
    Outcome {
        base,
        inputs: inputs(&[
            ("due", due.len().into()),
            ("closed_on_time", on_time.into()),
            ("overdue", overdue.len().into()),
            ("overdue_ids", overdue_ids.into()),
            ("overdue_central", n_central.into()),
            ("overdue_provincial", n_provincial.into()),
            ("returns", returns.into()),
            ("recurrences", recurrences.len().into()),
        ]),
        sources,
        zh: format!(
            "年内到期问题 {} 个,按期销号 {on_time} 个;逾期 {} 个(中央督察 {n_central} 个、省级 {n_provincial} 个)扣 {} 分;退回重新整改 {returns} 次扣 {} 分;回头看复发 {} 个扣 {} 分;得 {} 分(满分 {full})。",
            due.len(),
            overdue.len(),
            fmt_points(overdue_off),
            fmt_points(return_off),
            recurrences.len(),
            fmt_points(recurrence_off),
            fmt_points(base)
        ),
        en: format!(
            "{} findings due in the year, {on_time} closed on time; {} overdue ({n_central} from central, {n_provincial} from provincial inspections): {} off; {returns} returned after a closure request: {} off; {} found again by a follow-up inspection: {} off; {} of {full}.",
            due.len(),
            overdue.len(),
            fmt_points(overdue_off),
            fmt_points(return_off),
            recurrences.len(),
            fmt_points(recurrence_off),
            fmt_points(base)
        ),
        vetoed: false,
        pending: false,
    }
}

/// Points in proportion to `good` of `counted`; full points when nothing was due.
fn share(points: f64, good: usize, counted: usize) -> f64 {
    if counted == 0 {
        points
    } else {
        points * good as f64 / counted as f64
    }
}

fn tasks_rule(points: f64, tasks: &[TaskFact], period: Period) -> Outcome {
    let full = fmt_points(points);
    // A task not yet due and not yet done is not counted: it can still be done on time.
    let counted: Vec<&TaskFact> = tasks
        .iter()
        .filter(|t| period.in_year(t.deadline))
        .filter(|t| t.completed_on.is_some() || t.deadline < period.as_of)
        .collect();
    let on_time = counted
        .iter()
        .filter(|t| t.completed_on.is_some_and(|c| c <= t.deadline))
        .count();
    let late: Vec<i64> = counted
        .iter()
        .filter(|t| t.completed_on.is_none_or(|c| c > t.deadline))
        .map(|t| t.id)
        .collect();
    let base = share(points, on_time, counted.len());
    Outcome {
        base,
        inputs: inputs(&[
            ("due", counted.len().into()),
            ("on_time", on_time.into()),
            ("late_ids", late.into()),
        ]),
        sources: counted.iter().map(|t| format!("task:{}", t.id)).collect(),
        zh: if counted.is_empty() {
            format!("年内没有到期的重点任务,得满分 {full} 分。")
        } else {
            format!(
                "年内到期重点任务 {} 项,按期完成 {on_time} 项,按比例得 {} 分(满分 {full})。",
                counted.len(),
                fmt_points(base)
            )
        },
        en: if counted.is_empty() {
            format!("No work-plan task was due in the year: full {full} points.")
        } else {
            format!(
                "{} work-plan tasks due in the year, {on_time} done on time: {} of {full} in proportion.",
                counted.len(),
                fmt_points(base)
            )
        },
        vetoed: false,
        pending: false,
    }
}

fn dispatch_rule(points: f64, per_late: f64, per_missing: f64, rounds: &[RoundFact]) -> Outcome {
    let full = fmt_points(points);
    let counted: Vec<&RoundFact> = rounds
        .iter()
        .filter(|r| r.status != UnitReport::Pending)
        .collect();
    let count = |s: UnitReport| counted.iter().filter(|r| r.status == s).count();
    let (reported, late, missing) = (
        count(UnitReport::Reported),
        count(UnitReport::Late),
        count(UnitReport::Missing),
    );
    let lost = per_late * late as f64 + per_missing * missing as f64;
    let base = (points - lost).max(0.0);
    Outcome {
        base,
        inputs: inputs(&[
            ("rounds", counted.len().into()),
            ("reported", reported.into()),
            ("late", late.into()),
            ("missing", missing.into()),
        ]),
        sources: counted
            .iter()
            .map(|r| format!("dispatch_round:{}", r.id))
            .collect(),
        zh: format!(
            "年内调度 {} 次:按时报送 {reported} 次,逾期报送 {late} 次扣 {} 分,未报送 {missing} 次扣 {} 分;得 {} 分(满分 {full})。",
            counted.len(),
            fmt_points(per_late * late as f64),
            fmt_points(per_missing * missing as f64),
            fmt_points(base)
        ),
        en: format!(
            "{} dispatch rounds in the year: {reported} reported on time, {late} late ({} off), {missing} never reported ({} off); {} of {full}.",
            counted.len(),
            fmt_points(per_late * late as f64),
            fmt_points(per_missing * missing as f64),
            fmt_points(base)
        ),
        vetoed: false,
        pending: false,
    }
}

fn complaints_rule(points: f64, complaints: &[ComplaintFact], period: Period) -> Outcome {
    let full = fmt_points(points);
    let counted: Vec<&ComplaintFact> = complaints
        .iter()
        .filter(|c| period.in_year(c.due))
        .filter(|c| c.answered_on.is_some() || c.due < period.as_of)
        .collect();
    let in_time = counted
        .iter()
        .filter(|c| c.answered_on.is_some_and(|a| a <= c.due))
        .count();
    let base = share(points, in_time, counted.len());
    Outcome {
        base,
        inputs: inputs(&[("due", counted.len().into()), ("in_time", in_time.into())]),
        sources: counted
            .iter()
            .map(|c| format!("complaint:{}", c.id))
            .collect(),
        zh: if counted.is_empty() {
            format!("年内没有到期的信访举报,得满分 {full} 分。")
        } else {
            format!(
                "年内到期信访举报 {} 件,按期答复 {in_time} 件,按比例得 {} 分(满分 {full})。",
                counted.len(),
                fmt_points(base)
            )
        },
        en: if counted.is_empty() {
            format!("No public complaint was due in the year: full {full} points.")
        } else {
            format!(
                "{} public complaints due in the year, {in_time} answered in time: {} of {full} in proportion.",
                counted.len(),
                fmt_points(base)
            )
        },
        vetoed: false,
        pending: false,
    }
}

fn entry_sources(e: &ManualEntry) -> Vec<String> {
    std::iter::once(format!("assessment_entry:{}", e.id))
        .chain(e.evidence.iter().map(|d| format!("evidence:{d}")))
        .collect()
}

fn veto_rule(code: &str, entries: &[ManualEntry]) -> Outcome {
    match entries.iter().rev().find(|e| e.item == code) {
        Some(e) if e.triggered => Outcome {
            base: 0.0,
            inputs: inputs(&[("triggered", true.into())]),
            sources: entry_sources(e),
            zh: format!("一票否决:{}(由 {} 认定)。", e.reason, e.entered_by),
            en: format!("Veto applies: {} (decided by {}).", e.reason, e.entered_by),
            vetoed: true,
            pending: false,
        },
        Some(e) => Outcome {
            base: 0.0,
            inputs: inputs(&[("triggered", false.into())]),
            sources: entry_sources(e),
            zh: format!("未触发一票否决:{}(由 {} 认定)。", e.reason, e.entered_by),
            en: format!(
                "The veto does not apply: {} (decided by {}).",
                e.reason, e.entered_by
            ),
            vetoed: false,
            pending: false,
        },
        None => Outcome {
            base: 0.0,
            inputs: inputs(&[("triggered", false.into())]),
            sources: vec![],
            zh: "未记录一票否决事项。".into(),
            en: "No veto recorded.".into(),
            vetoed: false,
            pending: false,
        },
    }
}

/// Emergencies of grade `level` or graver in the year: a veto on a veto item, `per_event` off
/// each on another. An entry of the scoring organisation decides instead, citing the events.
fn emergency_rule(
    item: &Item,
    level: u8,
    per_event: f64,
    facts: &UnitFacts,
    period: Period,
) -> Outcome {
    let threshold = Level::from_rank(level).unwrap_or(Level::Large);
    let events: Vec<&EmergencyFact> = facts
        .emergencies
        .iter()
        .filter(|e| e.counts && period.in_year(e.occurred_on) && e.occurred_on <= period.as_of)
        .filter(|e| e.level.at_least(threshold))
        .collect();
    let event_sources: Vec<String> = events
        .iter()
        .map(|e| format!("emergency:{}", e.id))
        .collect();
    let named: Vec<String> = events
        .iter()
        .map(|e| format!("{}({},{})", e.title, e.level.label_zh(), e.occurred_on))
        .collect();
    let mut input = inputs(&[
        ("level", threshold.key().into()),
        ("events", events.len().into()),
    ]);
    if facts.manual.iter().any(|e| e.item == item.code) {
        let mut o = if item.kind == ItemKind::Veto {
            veto_rule(&item.code, &facts.manual)
        } else {
            let mut o = manual_rule(item, &facts.manual);
            // An entry is on the item's own scale (a deduction's is 0 or less); outcomes are
            // on the base scale.
            if item.kind == ItemKind::Deduction {
                o.base += item.points;
            }
            o
        };
        o.sources.extend(event_sources);
        o.inputs.extend(input);
        o.zh = format!(
            "{}(系统记录的{}及以上事件 {} 起)",
            o.zh,
            threshold.name_zh(),
            events.len()
        );
        o.en = format!(
            "{} ({} recorded event(s) of grade {} or graver)",
            o.en,
            events.len(),
            threshold.key()
        );
        return o;
    }
    if item.kind == ItemKind::Veto {
        return if events.is_empty() {
            Outcome {
                base: 0.0,
                inputs: input,
                sources: vec![],
                zh: format!("年内未发生{}及以上突发环境事件。", threshold.label_zh()),
                en: format!(
                    "No environmental emergency of grade {} or graver in the year.",
                    threshold.key()
                ),
                vetoed: false,
                pending: false,
            }
        } else {
            Outcome {
                base: 0.0,
                inputs: input,
                sources: event_sources,
                zh: format!("一票否决:发生{}。", named.join("、")),
                en: format!(
                    "Veto applies: {} environmental emergenc{} of grade {} or graver ({}).",
                    events.len(),
                    if events.len() == 1 { "y" } else { "ies" },
                    threshold.key(),
                    events
                        .iter()
                        .map(|e| format!("emergency #{} on {}", e.id, e.occurred_on))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                vetoed: true,
                pending: false,
            }
        };
    }
    let off = (per_event * events.len() as f64).min(item.points);
    input.insert("per_event".into(), per_event.into());
    Outcome {
        base: item.points - off,
        inputs: input,
        sources: event_sources,
        zh: if events.is_empty() {
            format!("年内未发生{}及以上突发环境事件。", threshold.label_zh())
        } else {
            format!(
                "发生{},每起扣 {} 分,共扣 {} 分。",
                named.join("、"),
                fmt_points(per_event),
                fmt_points(off)
            )
        },
        en: format!(
            "{} event(s) of grade {} or graver, {} off each: {} off.",
            events.len(),
            threshold.key(),
            fmt_points(per_event),
            fmt_points(off)
        ),
        vetoed: false,
        pending: false,
    }
}

fn manual_rule(item: &Item, entries: &[ManualEntry]) -> Outcome {
    let full = fmt_points(item.points);
    match entries.iter().rev().find(|e| e.item == item.code) {
        Some(e) => Outcome {
            base: e.earned,
            inputs: inputs(&[("entered", e.earned.into())]),
            sources: entry_sources(e),
            zh: format!(
                "{} 评定 {} 分(满分 {full}):{}。",
                e.entered_by,
                fmt_points(e.earned),
                e.reason.trim_end_matches('。')
            ),
            en: format!(
                "Scored {} of {full} by {}: {}.",
                fmt_points(e.earned),
                e.entered_by,
                e.reason.trim_end_matches('.')
            ),
            vetoed: false,
            pending: false,
        },
        None => Outcome {
            base: 0.0,
            inputs: serde_json::Map::new(),
            sources: vec![],
            zh: format!("{} 尚未评分(满分 {full})。", item.scorer),
            en: format!("Not yet scored by {} (of {full}).", item.scorer),
            vetoed: false,
            pending: true,
        },
    }
}

/// Checks a manual entry against its item: the range of its points, a reason, a veto only on
/// a veto item.
pub fn check_entry(item: &Item, earned: f64, triggered: bool, reason: &str) -> Result<(), String> {
    if reason.trim().is_empty() {
        return Err("评分须写明理由".into());
    }
    if !earned.is_finite() {
        return Err("分数须为数字".into());
    }
    match (&item.rule, item.kind) {
        (Rule::Veto, _) | (Rule::Emergency { .. }, ItemKind::Veto) => {
            if earned != 0.0 {
                return Err("一票否决项不计分,只认定是否触发".into());
            }
            Ok(())
        }
        (Rule::Manual | Rule::Emergency { .. }, _) if triggered => {
            Err("只有一票否决项可以认定否决".into())
        }
        (Rule::Manual | Rule::Emergency { .. }, ItemKind::Deduction) => {
            if earned > 0.0 || earned < -item.points {
                return Err(format!(
                    "扣分项 {} 的分数须在 -{} 到 0 之间",
                    item.code,
                    fmt_points(item.points)
                ));
            }
            Ok(())
        }
        (Rule::Manual | Rule::Emergency { .. }, _) => {
            if earned < 0.0 || earned > item.points {
                return Err(format!(
                    "{} 的分数须在 0 到 {} 之间",
                    item.code,
                    fmt_points(item.points)
                ));
            }
            Ok(())
        }
        _ => Err(format!(
            "{} 由系统按{}规则计算,不能人工评分",
            item.code,
            item.rule.name_zh()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn period() -> Period {
        Period {
            year: 2025,
            as_of: d("2026-01-15"),
        }
    }

    fn item(points: f64, kind: ItemKind, rule: Rule) -> Item {
        Item {
            code: "1".into(),
            category: "环境质量".into(),
            content: "test".into(),
            kind,
            points,
            rule,
            scoring_text: String::new(),
            scorer: "市生态环境局".into(),
            citations: vec![],
        }
    }

    fn pm25(value: f64, previous: Option<f64>) -> UnitFacts {
        UnitFacts {
            indicators: vec![IndicatorFact {
                key: "pm25_annual_mean".into(),
                name_zh: "细颗粒物（PM2.5）年均浓度".into(),
                name_en: "PM2.5 annual mean concentration".into(),
                unit: "µg/m³".into(),
                lower_is_better: true,
                target: Some(35.0),
                target_id: Some(7),
                value: Some(value),
                previous,
                annual: true,
            }],
            ..UnitFacts::default()
        }
    }

    fn pm25_rule(deduct: f64, floor: f64, improve: f64) -> Rule {
        Rule::Indicator {
            indicator: "pm25_annual_mean".into(),
            per: 1.0,
            deduct,
            floor,
            improve,
        }
    }

    // Worked example: a 10-point PM2.5 item, 2 points off per µg/m³ over the target of 35.
    #[test]
    fn an_indicator_met_earns_full_points() {
        let l = score_item(
            &item(10.0, ItemKind::Base, pm25_rule(2.0, 0.0, 0.0)),
            &pm25(34.0, None),
            period(),
        );
        assert_eq!(l.earned, 10.0);
        assert!(l.explanation_zh.contains("已达标"), "{}", l.explanation_zh);
        assert_eq!(l.sources, vec!["target:7", "indicator:pm25_annual_mean"]);
    }

    #[test]
    fn an_indicator_missed_loses_points_linearly_down_to_the_floor() {
        let i = item(10.0, ItemKind::Base, pm25_rule(2.0, 3.0, 0.0));
        // 38.2 is 3.2 over: 6.4 off.
        let l = score_item(&i, &pm25(38.2, None), period());
        assert_eq!(l.earned, 3.6);
        assert!(
            l.explanation_zh.contains("差 3.2") && l.explanation_zh.contains("扣 6.4 分"),
            "{}",
            l.explanation_zh
        );
        // 45 is 10 over: 20 off, held at the floor of 3.
        let l = score_item(&i, &pm25(45.0, None), period());
        assert_eq!(l.earned, 3.0);
        assert!(l.explanation_zh.contains("保底"), "{}", l.explanation_zh);
    }

    #[test]
    fn improvement_on_last_year_gives_points_back_up_to_full() {
        let i = item(10.0, ItemKind::Base, pm25_rule(2.0, 0.0, 1.0));
        // 38 is 3 over (6 off); 42 → 38 is 4 better (4 back): 8.
        let l = score_item(&i, &pm25(38.0, Some(42.0)), period());
        assert_eq!(l.earned, 8.0);
        assert!(l.explanation_en.contains("4 back"), "{}", l.explanation_en);
        // Much better than last year still earns at most full points.
        let l = score_item(&i, &pm25(36.0, Some(60.0)), period());
        assert_eq!(l.earned, 10.0);
    }

    #[test]
    fn an_indicator_without_target_or_data_is_pending() {
        let i = item(10.0, ItemKind::Base, pm25_rule(2.0, 0.0, 0.0));
        let l = score_item(&i, &UnitFacts::default(), period());
        assert!(l.pending);
        assert_eq!(l.earned, 0.0);
        let mut f = pm25(30.0, None);
        f.indicators[0].value = None;
        assert!(score_item(&i, &f, period()).pending);
    }

    fn finding(
        id: i64,
        deadline: &str,
        closed: Option<&str>,
        level: Option<InspectionLevel>,
    ) -> FindingFact {
        FindingFact {
            id,
            raised_on: d("2025-01-10"),
            deadline: Some(d(deadline)),
            closed_on: closed.map(d),
            level,
            returns: 0,
            recurrence: false,
        }
    }

    #[test]
    fn rectification_deducts_by_inspection_level_returns_and_recurrence() {
        let rule = Rule::Rectification {
            per_overdue: 1.0,
            central: 2.0,
            provincial: 1.5,
            per_return: 0.5,
            per_recurrence: 2.0,
        };
        let mut findings = vec![
            finding(1, "2025-06-30", Some("2025-06-01"), None),
            // Closed after its deadline: overdue, central.
            finding(
                2,
                "2025-06-30",
                Some("2025-08-01"),
                Some(InspectionLevel::Central),
            ),
            // Still open past its deadline: overdue, provincial.
            finding(3, "2025-09-30", None, Some(InspectionLevel::Provincial)),
            // Due next year: not counted.
            finding(4, "2026-03-31", None, Some(InspectionLevel::Central)),
        ];
        findings[0].returns = 2;
        let mut again = finding(5, "2026-06-30", None, Some(InspectionLevel::Provincial));
        again.recurrence = true;
        again.raised_on = d("2025-11-02");
        findings.push(again);
        let l = score_item(
            &item(10.0, ItemKind::Base, rule),
            &UnitFacts {
                findings,
                ..UnitFacts::default()
            },
            period(),
        );
        // 2 + 1.5 overdue, 1 for two returns, 2 for one recurrence: 6.5 off.
        assert_eq!(l.earned, 3.5);
        assert_eq!(l.inputs["overdue"], 2);
        assert_eq!(l.inputs["overdue_central"], 1);
        assert!(l.sources.contains(&"finding:5".to_string()));
        assert!(!l.sources.contains(&"finding:4".to_string()));
        assert!(
            l.explanation_zh.contains("逾期 2 个"),
            "{}",
            l.explanation_zh
        );
    }

    #[test]
    fn tasks_and_complaints_score_in_proportion_and_skip_what_is_not_yet_due() {
        let tasks = vec![
            TaskFact {
                id: 1,
                deadline: d("2025-03-31"),
                completed_on: Some(d("2025-03-30")),
            },
            TaskFact {
                id: 2,
                deadline: d("2025-06-30"),
                completed_on: Some(d("2025-07-02")),
            },
            TaskFact {
                id: 3,
                deadline: d("2025-09-30"),
                completed_on: None,
            },
            TaskFact {
                id: 4,
                deadline: d("2025-12-31"),
                completed_on: Some(d("2025-12-01")),
            },
        ];
        let facts = UnitFacts {
            tasks,
            ..UnitFacts::default()
        };
        let l = score_item(&item(8.0, ItemKind::Base, Rule::Tasks), &facts, period());
        assert_eq!(l.earned, 4.0, "2 of 4 on time");
        // Before the last deadline the open task 3 is still late, task 4 done early counts.
        let early = Period {
            year: 2025,
            as_of: d("2025-08-01"),
        };
        let l = score_item(&item(8.0, ItemKind::Base, Rule::Tasks), &facts, early);
        assert_eq!(l.inputs["due"], 3, "task 3 is not due yet on 1 August");
        let complaints = vec![
            ComplaintFact {
                id: 1,
                due: d("2025-05-01"),
                answered_on: Some(d("2025-04-20")),
            },
            ComplaintFact {
                id: 2,
                due: d("2025-05-01"),
                answered_on: None,
            },
            ComplaintFact {
                id: 3,
                due: d("2025-07-01"),
                answered_on: Some(d("2025-06-01")),
            },
        ];
        let l = score_item(
            &item(6.0, ItemKind::Base, Rule::Complaints),
            &UnitFacts {
                complaints,
                ..UnitFacts::default()
            },
            period(),
        );
        assert_eq!(l.earned, 4.0);
        let l = score_item(
            &item(6.0, ItemKind::Base, Rule::Complaints),
            &UnitFacts::default(),
            period(),
        );
        assert_eq!(l.earned, 6.0, "nothing due: full points");
    }

    #[test]
    fn dispatch_counts_late_and_missing_rounds() {
        let rounds = vec![
            RoundFact {
                id: 1,
                status: UnitReport::Reported,
            },
            RoundFact {
                id: 2,
                status: UnitReport::Late,
            },
            RoundFact {
                id: 3,
                status: UnitReport::Missing,
            },
            RoundFact {
                id: 4,
                status: UnitReport::Pending,
            },
        ];
        let rule = Rule::Dispatch {
            per_late: 0.5,
            per_missing: 1.0,
        };
        let l = score_item(
            &item(5.0, ItemKind::Base, rule.clone()),
            &UnitFacts {
                rounds: rounds.clone(),
                ..UnitFacts::default()
            },
            period(),
        );
        assert_eq!(l.earned, 3.5);
        assert_eq!(l.inputs["rounds"], 3);
        // As a deduction item of 1 point it takes off at most 1.
        let l = score_item(
            &item(1.0, ItemKind::Deduction, rule),
            &UnitFacts {
                rounds,
                ..UnitFacts::default()
            },
            period(),
        );
        assert_eq!(l.earned, -1.0);
    }

    #[test]
    fn manual_and_veto_items_read_the_latest_entry() {
        let entry = |id, item: &str, earned, triggered| ManualEntry {
            id,
            item: item.into(),
            earned,
            triggered,
            reason: "满意度调查 86%".into(),
            evidence: vec!["ab".repeat(32)],
            entered_by: "市统计局".into(),
        };
        let manual = vec![entry(1, "1", 3.0, false), entry(2, "1", 4.0, false)];
        let l = score_item(
            &item(5.0, ItemKind::Base, Rule::Manual),
            &UnitFacts {
                manual,
                ..UnitFacts::default()
            },
            period(),
        );
        assert_eq!(l.earned, 4.0);
        assert_eq!(l.sources[0], "assessment_entry:2");
        let l = score_item(
            &item(5.0, ItemKind::Base, Rule::Manual),
            &UnitFacts::default(),
            period(),
        );
        assert!(l.pending && l.earned == 0.0);
        let manual = vec![entry(3, "1", 0.0, true)];
        let l = score_item(
            &item(0.0, ItemKind::Veto, Rule::Veto),
            &UnitFacts {
                manual,
                ..UnitFacts::default()
            },
            period(),
        );
        assert!(l.vetoed);
        assert_eq!(l.earned, 0.0);
    }

    #[test]
    fn entries_are_checked_against_their_item() {
        let m = item(5.0, ItemKind::Base, Rule::Manual);
        assert!(check_entry(&m, 5.0, false, "ok").is_ok());
        assert!(check_entry(&m, 5.5, false, "ok").is_err());
        assert!(check_entry(&m, 3.0, false, " ").is_err());
        assert!(check_entry(&m, 3.0, true, "x").is_err());
        let ded = item(5.0, ItemKind::Deduction, Rule::Manual);
        assert!(check_entry(&ded, -2.0, false, "x").is_ok());
        assert!(check_entry(&ded, 2.0, false, "x").is_err());
        assert!(
            check_entry(&item(10.0, ItemKind::Base, Rule::Tasks), 1.0, false, "x")
                .unwrap_err()
                .contains("不能人工评分")
        );
    }

    fn event(id: i64, on: &str, level: Level, counts: bool) -> EmergencyFact {
        EmergencyFact {
            id,
            occurred_on: d(on),
            level,
            title: format!("事件{id}"),
            counts,
        }
    }

    #[test]
    fn an_emergency_of_the_grade_or_graver_sets_the_veto() {
        let rule = Rule::parse("emergency", "level=3").unwrap();
        let veto = item(0.0, ItemKind::Veto, rule.clone());
        let facts = |events| UnitFacts {
            emergencies: events,
            ..UnitFacts::default()
        };
        // A 一般 event, a withdrawn 重大 one, one of last year and one after the day scored: none.
        let l = score_item(
            &veto,
            &facts(vec![
                event(1, "2025-03-01", Level::General, true),
                event(2, "2025-04-01", Level::Major, false),
                event(3, "2024-12-31", Level::Large, true),
                event(4, "2026-01-20", Level::Large, true),
            ]),
            period(),
        );
        assert!(!l.vetoed, "{l:?}");
        assert_eq!(l.inputs["events"], 0);
        // A 较大 event in the year: the veto, citing it.
        let l = score_item(
            &veto,
            &facts(vec![
                event(1, "2025-03-01", Level::General, true),
                event(5, "2025-07-09", Level::Large, true),
            ]),
            period(),
        );
        assert!(l.vetoed);
        assert_eq!(l.sources, vec!["emergency:5".to_string()]);
        assert!(
            l.explanation_zh.contains("较大(Ⅲ级)"),
            "{}",
            l.explanation_zh
        );
    }

    #[test]
    fn the_scoring_organisation_may_decide_an_emergency_veto_otherwise() {
        let veto = item(0.0, ItemKind::Veto, Rule::parse("emergency", "").unwrap());
        let l = score_item(
            &veto,
            &UnitFacts {
                emergencies: vec![event(5, "2025-07-09", Level::Large, true)],
                manual: vec![ManualEntry {
                    id: 9,
                    item: "1".into(),
                    earned: 0.0,
                    triggered: false,
                    reason: "调查评估认定为上游跨界来水所致".into(),
                    evidence: vec!["cd".repeat(32)],
                    entered_by: "市生态环境局".into(),
                }],
                ..UnitFacts::default()
            },
            period(),
        );
        assert!(!l.vetoed);
        assert!(l.sources.contains(&"assessment_entry:9".to_string()));
        assert!(l.sources.contains(&"emergency:5".to_string()));
        assert!(l.explanation_zh.contains("1 起"), "{}", l.explanation_zh);
    }

    #[test]
    fn on_a_deduction_item_each_emergency_takes_points_off_up_to_the_item() {
        let rule = Rule::parse("emergency", "level=4;per_event=2").unwrap();
        let events = vec![
            event(1, "2025-03-01", Level::General, true),
            event(2, "2025-05-01", Level::General, true),
            event(3, "2025-06-01", Level::Large, true),
        ];
        let l = score_item(
            &item(5.0, ItemKind::Deduction, rule.clone()),
            &UnitFacts {
                emergencies: events.clone(),
                ..UnitFacts::default()
            },
            period(),
        );
        assert_eq!(l.earned, -5.0);
        let l = score_item(
            &item(10.0, ItemKind::Base, rule),
            &UnitFacts {
                emergencies: events,
                ..UnitFacts::default()
            },
            period(),
        );
        assert_eq!(l.earned, 4.0);
        assert!(Rule::parse("emergency", "level=5")
            .unwrap_err()
            .contains("level"));
        assert!(Rule::parse("emergency", "level=2.5").is_err());
        assert_eq!(
            Rule::parse("突发环境事件", "level=2").unwrap().params(),
            "level=2;per_event=0"
        );
    }
}
