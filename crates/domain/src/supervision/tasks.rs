//! Annual key work plans (年度重点工作计划, Art. 8(2)) and their tasks, and dispatch rounds
//! (调度, Art. 7(4)): a higher level asks every unit with open tasks to report by a date.
//!
//! This module owns what a task cites as its basis (an article, an indicator, a finding, or a
//! document), its milestones, how a progress report moves its status, and how a unit stands
//! in a dispatch round: reported, late, never reported, or still within the time allowed.

use std::collections::HashMap;

use chrono::NaiveDate;
use ecoduty_regulation::numerals::parse_chinese;
use ecoduty_regulation::Citation;
use serde::{Deserialize, Serialize};

use super::keyed_enum;

keyed_enum! {
    /// Where a task stands.
    TaskStatus {
        NotStarted => "not_started", "未开始",
        InProgress => "in_progress", "推进中",
        Completed => "completed", "已完成",
        Cancelled => "cancelled", "已取消",
    }
}

impl TaskStatus {
    /// Still to be done: counted in dispatch rounds and watched by the scheduler.
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::NotStarted | TaskStatus::InProgress)
    }
}

/// What a task rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Basis {
    /// An article of the regulation, as cited (第八条第二项), checked against its text.
    Article(String),
    /// A binding indicator by its catalogue key (the store checks the key).
    Indicator(String),
    /// A finding by its id (the store checks it exists).
    Finding(i64),
    /// A document or anything else, in words.
    Text(String),
}

impl Basis {
    /// Reads a basis as a user writes it: 第八条第二项 (or 第五条第二款); `indicator:KEY` or
    /// `指标:KEY`; `finding:ID` or `问题:ID`; anything else is a text basis.
    pub fn parse(input: &str) -> Result<Basis, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err("a task needs its basis (依据)".into());
        }
        for prefix in ["indicator:", "indicator\u{FF1A}", "指标:", "指标\u{FF1A}"] {
            if let Some(key) = s.strip_prefix(prefix) {
                let key = key.trim();
                if key.is_empty() {
                    return Err("an indicator basis needs the indicator's key".into());
                }
                return Ok(Basis::Indicator(key.to_string()));
            }
        }
        for prefix in ["finding:", "finding\u{FF1A}", "问题:", "问题\u{FF1A}"] {
            if let Some(id) = s.strip_prefix(prefix) {
                return id
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map(Basis::Finding)
                    .ok_or_else(|| format!("{s:?}: a finding basis is finding:ID with a number"));
            }
        }
        if s.starts_with('第') && (s.ends_with('条') || s.ends_with('款') || s.ends_with('项'))
        {
            return cite_article(s).map(|c| Basis::Article(c.zh()));
        }
        Ok(Basis::Text(s.to_string()))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Basis::Article(_) => "article",
            Basis::Indicator(_) => "indicator",
            Basis::Finding(_) => "finding",
            Basis::Text(_) => "text",
        }
    }

    /// The basis as stored and shown: the citation, the key, the id, or the text.
    pub fn value(&self) -> String {
        match self {
            Basis::Article(c) | Basis::Indicator(c) | Basis::Text(c) => c.clone(),
            Basis::Finding(id) => id.to_string(),
        }
    }

    /// Rebuilds a stored basis.
    pub fn from_parts(kind: &str, value: &str) -> Result<Basis, String> {
        match kind {
            "article" => Ok(Basis::Article(value.to_string())),
            "indicator" => Ok(Basis::Indicator(value.to_string())),
            "finding" => value
                .parse()
                .map(Basis::Finding)
                .map_err(|_| format!("finding basis {value:?}")),
            "text" => Ok(Basis::Text(value.to_string())),
            other => Err(format!("unknown basis kind {other:?}")),
        }
    }

    /// As a user would type it back.
    pub fn display(&self) -> String {
        match self {
            Basis::Article(c) | Basis::Text(c) => c.clone(),
            Basis::Indicator(k) => format!("指标:{k}"),
            Basis::Finding(id) => format!("问题:{id}"),
        }
    }
}

/// Reads 第N条[第N款][第N项] and checks the provision exists in the regulation's text.
pub(crate) fn cite_article(s: &str) -> Result<Citation, String> {
    let bad = || format!("{s:?} is not a citation of the regulation such as 第八条第二项");
    let mut rest = s.strip_prefix('第').ok_or_else(bad)?;
    let mut parts: Vec<(u32, char)> = Vec::new();
    loop {
        let end = rest.find(['条', '款', '项']).ok_or_else(bad)?;
        let number = parse_chinese(&rest[..end]).ok_or_else(bad)?;
        let marker = rest[end..].chars().next().ok_or_else(bad)?;
        parts.push((number, marker));
        rest = &rest[end + marker.len_utf8()..];
        if rest.is_empty() {
            break;
        }
        rest = rest.strip_prefix('第').ok_or_else(bad)?;
    }
    let (article, paragraph, item) = match parts.as_slice() {
        [(a, '条')] => (*a, None, None),
        [(a, '条'), (p, '款')] => (*a, Some(*p), None),
        [(a, '条'), (i, '项')] => (*a, None, Some(*i)),
        [(a, '条'), (p, '款'), (i, '项')] => (*a, Some(*p), Some(*i)),
        _ => return Err(bad()),
    };
    let regulation = ecoduty_regulation::builtin();
    let art = regulation
        .article(article)
        .ok_or_else(|| format!("{s}: the regulation has no article {article}"))?;
    let paragraphs = art.paragraphs.len();
    if paragraph.is_some() && paragraphs < 2 {
        return Err(format!(
            "{s}: article {article} has one paragraph; cite it without 款"
        ));
    }
    let p = paragraph.unwrap_or(1);
    let para = art
        .paragraphs
        .get(p as usize - 1)
        .filter(|_| p >= 1)
        .ok_or_else(|| format!("{s}: article {article} has {paragraphs} paragraph(s)"))?;
    if let Some(i) = item {
        if paragraph.is_none() && paragraphs > 1 {
            return Err(format!(
                "{s}: article {article} has several paragraphs; name the 款"
            ));
        }
        if !para.items.iter().any(|x| x.number == i) {
            return Err(format!("{s}: that paragraph has no item {i}"));
        }
    }
    Ok(Citation::new(article, p, item, paragraphs))
}

/// A dated step of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Milestone {
    pub due: NaiveDate,
    pub title: String,
}

impl Milestone {
    /// Reads `2026-03-31:完成方案` (or with a full-width colon).
    pub fn parse(s: &str) -> Result<Milestone, String> {
        let (date, title) = s
            .split_once([':', '\u{FF1A}'])
            .ok_or_else(|| format!("{s:?}: a milestone is DATE:TITLE, e.g. 2026-03-31:完成方案"))?;
        let due = crate::roster::parse_date(date)?;
        let title = title.trim();
        if title.is_empty() {
            return Err(format!("{s:?}: the milestone has no title"));
        }
        Ok(Milestone {
            due,
            title: title.to_string(),
        })
    }
}

/// Checks a task's dates: milestones in order, none after the deadline.
pub fn check_schedule(deadline: NaiveDate, milestones: &[Milestone]) -> Result<(), String> {
    for pair in milestones.windows(2) {
        if pair[1].due < pair[0].due {
            return Err(format!(
                "milestones out of order: {} before {}",
                pair[1].due, pair[0].due
            ));
        }
    }
    if let Some(m) = milestones.iter().find(|m| m.due > deadline) {
        return Err(format!(
            "milestone {} ({}) falls after the deadline {deadline}",
            m.title, m.due
        ));
    }
    Ok(())
}

/// The status a task has after a progress report of `percent`.
pub fn status_after_report(current: TaskStatus, percent: u8) -> Result<TaskStatus, String> {
    if !current.is_open() {
        return Err(format!(
            "the task is {}: no more progress reports",
            current.name_zh()
        ));
    }
    if percent > 100 {
        return Err(format!("progress {percent}% is over 100%"));
    }
    Ok(if percent == 100 {
        TaskStatus::Completed
    } else {
        TaskStatus::InProgress
    })
}

/// Whether an open task's deadline has passed.
pub fn is_overdue(status: TaskStatus, deadline: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && deadline < today
}

keyed_enum! {
    /// How a unit stands in a dispatch round.
    UnitReport {
        /// Every one of its tasks reported by the date.
        Reported => "reported", "已按时报送",
        /// The date passed with reports late or incomplete.
        Late => "late", "逾期报送",
        /// The date passed with no report at all.
        Missing => "missing", "未报送",
        /// The date has not passed and reports are still due.
        Pending => "pending", "待报送",
    }
}

/// How a unit stands: `expected` are its tasks in the round, `reports` the (task, day) of each
/// report it made in the round.
pub fn unit_status(
    expected: &[i64],
    reports: &[(i64, NaiveDate)],
    due: NaiveDate,
    today: NaiveDate,
) -> UnitReport {
    let mut first: HashMap<i64, NaiveDate> = HashMap::new();
    for (task, day) in reports {
        if expected.contains(task) {
            let e = first.entry(*task).or_insert(*day);
            *e = (*e).min(*day);
        }
    }
    let complete = expected.iter().all(|t| first.contains_key(t));
    let all_in_time = complete && first.values().all(|d| *d <= due);
    if all_in_time {
        UnitReport::Reported
    } else if today <= due {
        UnitReport::Pending
    } else if first.is_empty() {
        UnitReport::Missing
    } else {
        UnitReport::Late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn article_bases_are_checked_against_the_regulation() {
        assert_eq!(
            Basis::parse("第八条第二项").unwrap(),
            Basis::Article("第八条第二项".into())
        );
        assert_eq!(
            Basis::parse(" 第七条第四项 ").unwrap(),
            Basis::Article("第七条第四项".into())
        );
        assert_eq!(
            Basis::parse("第十五条").unwrap(),
            Basis::Article("第十五条".into())
        );
        assert_eq!(
            Basis::parse("第五条第二款").unwrap(),
            Basis::Article("第五条第二款".into())
        );
        assert_eq!(
            Basis::parse("第十八条第二款").unwrap(),
            Basis::Article("第十八条第二款".into())
        );
        // No such article, paragraph or item.
        assert!(Basis::parse("第二十一条").is_err());
        assert!(Basis::parse("第八条第九项").is_err());
        assert!(Basis::parse("第八条第二款")
            .unwrap_err()
            .contains("one paragraph"));
        assert!(Basis::parse("第五条第一项").is_err());
        assert!(Basis::parse("第八条二项").is_err());
    }

    #[test]
    fn other_bases() {
        assert_eq!(
            Basis::parse("指标:pm25").unwrap(),
            Basis::Indicator("pm25".into())
        );
        assert_eq!(Basis::parse("finding:12").unwrap(), Basis::Finding(12));
        assert_eq!(
            Basis::parse("指标\u{FF1A}pm25").unwrap(),
            Basis::Indicator("pm25".into())
        );
        assert!(Milestone::parse("2026-03-31\u{FF1A}完成方案").is_ok());
        assert_eq!(Basis::parse("问题:7").unwrap(), Basis::Finding(7));
        assert!(Basis::parse("finding:x").is_err());
        assert!(Basis::parse("指标:").is_err());
        assert!(Basis::parse("  ").is_err());
        let t = Basis::parse("焦政办〔2026〕3号").unwrap();
        assert_eq!(t, Basis::Text("焦政办〔2026〕3号".into()));
        for b in [
            t,
            Basis::Finding(3),
            Basis::Indicator("pm25".into()),
            Basis::Article("第九条".into()),
        ] {
            assert_eq!(Basis::from_parts(b.kind(), &b.value()).unwrap(), b);
            assert_eq!(Basis::parse(&b.display()).unwrap(), b);
        }
    }

    #[test]
    fn milestones_and_schedule() {
        let m = Milestone::parse("2026-03-31:完成方案").unwrap();
        assert_eq!(m.due, d("2026-03-31"));
        assert_eq!(m.title, "完成方案");
        assert!(Milestone::parse("2026/6/30:完工").is_ok());
        assert!(Milestone::parse("2026-03-31").is_err());
        assert!(Milestone::parse("2026-03-31: ").is_err());
        let later = Milestone::parse("2026-09-30:验收").unwrap();
        assert!(check_schedule(d("2026-12-31"), &[m.clone(), later.clone()]).is_ok());
        assert!(check_schedule(d("2026-12-31"), &[later.clone(), m]).is_err());
        assert!(check_schedule(d("2026-06-30"), &[later]).is_err());
    }

    #[test]
    fn reports_move_the_status() {
        assert_eq!(
            status_after_report(TaskStatus::NotStarted, 30).unwrap(),
            TaskStatus::InProgress
        );
        assert_eq!(
            status_after_report(TaskStatus::InProgress, 100).unwrap(),
            TaskStatus::Completed
        );
        assert!(status_after_report(TaskStatus::Completed, 50).is_err());
        assert!(status_after_report(TaskStatus::Cancelled, 50).is_err());
        assert!(status_after_report(TaskStatus::InProgress, 101).is_err());
        assert!(is_overdue(
            TaskStatus::InProgress,
            d("2026-06-30"),
            d("2026-07-01")
        ));
        assert!(!is_overdue(
            TaskStatus::InProgress,
            d("2026-06-30"),
            d("2026-06-30")
        ));
        assert!(!is_overdue(
            TaskStatus::Completed,
            d("2026-06-30"),
            d("2026-07-01")
        ));
    }

    #[test]
    fn units_in_a_dispatch_round() {
        let due = d("2026-04-10");
        let tasks = [1, 2];
        let on = |t: i64, s: &str| (t, d(s));
        assert_eq!(
            unit_status(
                &tasks,
                &[on(1, "2026-04-01"), on(2, "2026-04-10")],
                due,
                d("2026-05-01")
            ),
            UnitReport::Reported
        );
        assert_eq!(
            unit_status(&tasks, &[on(1, "2026-04-01")], due, d("2026-04-05")),
            UnitReport::Pending
        );
        assert_eq!(
            unit_status(&tasks, &[on(1, "2026-04-01")], due, d("2026-04-11")),
            UnitReport::Late,
            "incomplete after the date"
        );
        assert_eq!(
            unit_status(
                &tasks,
                &[on(1, "2026-04-01"), on(2, "2026-04-12")],
                due,
                d("2026-04-12")
            ),
            UnitReport::Late
        );
        assert_eq!(
            unit_status(&tasks, &[], due, d("2026-04-11")),
            UnitReport::Missing
        );
        assert_eq!(
            unit_status(&tasks, &[], due, d("2026-04-10")),
            UnitReport::Pending
        );
        // A late second report does not undo an earlier one in time.
        assert_eq!(
            unit_status(
                &tasks,
                &[
                    on(1, "2026-04-01"),
                    on(2, "2026-04-02"),
                    on(2, "2026-04-20")
                ],
                due,
                d("2026-05-01")
            ),
            UnitReport::Reported
        );
        // Reports on tasks outside the round do not count.
        assert_eq!(
            unit_status(&tasks, &[on(9, "2026-04-01")], due, d("2026-04-11")),
            UnitReport::Missing
        );
    }
}
