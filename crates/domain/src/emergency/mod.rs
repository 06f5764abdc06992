//! Environmental emergencies (突发生态环境事件) and risk sources as pure rules (Arts. 7(6), 8(6)).
//!
//! 第七条(六)、第八条(六): 建立健全突发生态环境事件应急责任体系 (分级负责、属地为主、部门协同),
//! with the deputy for eco-environment organising the response. This module holds what an
//! event is and how it moves, with no I/O:
//!
//! - here: the grades of an event (特别重大 / 重大 / 较大 / 一般, Ⅰ–Ⅳ as the national contingency
//!   plan and 《突发环境事件信息报告办法》 grade them), its kinds, the updates of its timeline
//!   (初报, 续报, 处置措施, 监测结果, 级别调整, 应急终止, 结案) and the states they lead to;
//! - [`chain`]: who is told, at which level, by when (the notification chain);
//! - [`risk`]: risk sources (重点环境风险源) and their sheet.
//!
//! The store keeps events, their updates and notices as ledgered versions.

pub mod chain;
pub mod risk;

use crate::supervision::{keyed_enum, Reason};

/// The grade of an event. Ordered from the most serious (Ⅰ) to the least (Ⅳ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    /// 特别重大 (Ⅰ级).
    #[serde(rename = "I")]
    Extraordinary,
    /// 重大 (Ⅱ级).
    #[serde(rename = "II")]
    Major,
    /// 较大 (Ⅲ级).
    #[serde(rename = "III")]
    Large,
    /// 一般 (Ⅳ级).
    #[serde(rename = "IV")]
    General,
}

impl Level {
    pub const ALL: &'static [Level] = &[
        Level::Extraordinary,
        Level::Major,
        Level::Large,
        Level::General,
    ];

    /// The grade as files and the API write it: `I` … `IV`.
    pub fn key(self) -> &'static str {
        match self {
            Level::Extraordinary => "I",
            Level::Major => "II",
            Level::Large => "III",
            Level::General => "IV",
        }
    }

    /// 1 for Ⅰ … 4 for Ⅳ.
    pub fn rank(self) -> u8 {
        match self {
            Level::Extraordinary => 1,
            Level::Major => 2,
            Level::Large => 3,
            Level::General => 4,
        }
    }

    pub fn from_rank(rank: u8) -> Option<Level> {
        Level::ALL.iter().copied().find(|l| l.rank() == rank)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Level::Extraordinary => "特别重大",
            Level::Major => "重大",
            Level::Large => "较大",
            Level::General => "一般",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Level::Extraordinary => "extraordinarily serious",
            Level::Major => "major",
            Level::Large => "large",
            Level::General => "general",
        }
    }

    /// 特别重大(Ⅰ级) as printed.
    pub fn label_zh(self) -> String {
        format!("{}({}级)", self.name_zh(), self.numeral())
    }

    fn numeral(self) -> &'static str {
        match self {
            Level::Extraordinary => "Ⅰ",
            Level::Major => "Ⅱ",
            Level::Large => "Ⅲ",
            Level::General => "Ⅳ",
        }
    }

    /// At least as serious as `other` (Ⅱ is at least Ⅲ).
    pub fn at_least(self, other: Level) -> bool {
        self.rank() <= other.rank()
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    /// Reads `I`–`IV`, `1`–`4`, Roman numerals (Ⅰ–Ⅳ), `一级`…, or the Chinese grade with or
    /// without 突发环境事件 and the bracketed numeral, as the sheets and reports write them.
    fn from_str(s: &str) -> Result<Level, String> {
        let t: String = s
            .trim()
            .trim_end_matches("突发生态环境事件")
            .trim_end_matches("突发环境事件")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let t = t.as_str();
        let by_name = Level::ALL.iter().copied().find(|l| {
            t == l.name_zh()
                || t == l.label_zh()
                || t == format!("{}({}级)", l.name_zh(), l.numeral())
                || t == format!("{}({}级)", l.name_zh(), l.key())
                || t.eq_ignore_ascii_case(l.key())
                || t == l.numeral()
                || t == format!("{}级", l.numeral())
                || t == format!("{}级", l.key())
        });
        if let Some(l) = by_name {
            return Ok(l);
        }
        let rank = match t {
            "1" | "一级" => 1,
            "2" | "二级" => 2,
            "3" | "三级" => 3,
            "4" | "四级" => 4,
            _ => {
                return Err(format!(
                    "{s:?} 不是突发环境事件级别:填 特别重大、重大、较大、一般(或 I–IV)"
                ))
            }
        };
        Ok(Level::from_rank(rank).expect("1..=4"))
    }
}

impl<'de> serde::Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

keyed_enum! {
    /// What kind of event it is.
    EventKind {
        Water => "water", "水污染",
        Air => "air", "大气污染",
        Soil => "soil", "土壤污染",
        HazardousWaste => "hazardous_waste", "危险废物",
        Radiation => "radiation", "辐射",
        Ecology => "ecology", "生态破坏",
        Other => "other", "其他",
    }
}

keyed_enum! {
    /// Where an event stands.
    // Named apart from a finding's `Status` in the OpenAPI document.
    #[cfg_attr(feature = "openapi", schema(as = EmergencyStatus))]
    Status {
        /// Reported (初报), the response not yet under way.
        Reported => "reported", "已报告",
        /// Measures are being taken (应急处置中).
        Responding => "responding", "应急处置",
        /// The response is over (应急终止); the investigation and assessment remain.
        ResponseEnded => "response_ended", "应急终止",
        /// Closed with the investigation and assessment report (调查评估).
        Closed => "closed", "已结案",
        /// Found on checking not to be an environmental emergency (核实不属于突发环境事件).
        Withdrawn => "withdrawn", "已撤销",
    }
}

keyed_enum! {
    /// What an update of the timeline says.
    UpdateKind {
        /// The first report, written when the event is registered.
        Initial => "initial", "初报",
        /// 续报: what has been learned since.
        FollowUp => "follow_up", "续报",
        /// A measure taken (处置措施).
        Measure => "measure", "处置措施",
        /// Monitoring results (应急监测).
        Monitoring => "monitoring", "监测结果",
        /// The grade changed on what was learned (级别调整).
        Regrade => "regrade", "级别调整",
        /// The response is over (应急终止).
        ResponseEnd => "response_end", "应急终止",
        /// Closure with the investigation and assessment report (调查评估报告).
        Closure => "closure", "结案",
        /// Withdrawal: not an environmental emergency after all.
        Withdrawal => "withdrawal", "撤销",
    }
}

impl Status {
    /// Whether the event takes no more updates.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Withdrawn)
    }
}

/// Checks an update against the event as it stands and gives the status it leads to.
///
/// - nothing follows a closure or a withdrawal;
/// - the first report is written once, when the event is registered;
/// - a regrade names a grade other than the present one;
/// - the response is ended once; closure needs the response ended and the investigation and
///   assessment report as evidence; a withdrawal needs its reason (the text);
/// - every update has a text.
pub fn next_status(
    current: Status,
    level: Level,
    kind: UpdateKind,
    new_level: Option<Level>,
    text: &str,
    evidence: usize,
) -> Result<Status, Reason> {
    if current.is_final() {
        return Err(Reason::new(
            format!("事件已{},不能再添加进展", current.name_zh()),
            format!("the event is {}; it takes no more updates", current.key()),
        ));
    }
    if text.trim().is_empty() {
        return Err(Reason::new("进展须写明内容", "an update needs its text"));
    }
    match (kind, new_level) {
        (UpdateKind::Regrade, None) => {
            return Err(Reason::new(
                "级别调整须写明调整后的级别",
                "a regrade names the new grade",
            ))
        }
        (UpdateKind::Regrade, Some(l)) if l == level => {
            return Err(Reason::new(
                format!("事件已是{}级别", l.label_zh()),
                format!("the event is already of grade {l}"),
            ))
        }
        (UpdateKind::Regrade, Some(_)) => {}
        (_, Some(_)) => {
            return Err(Reason::new(
                "只有级别调整可以改变级别",
                "only a regrade changes the grade",
            ))
        }
        _ => {}
    }
    Ok(match kind {
        UpdateKind::Initial => {
            return Err(Reason::new(
                "初报在登记事件时填写,只有一份",
                "the first report is written when the event is registered, once",
            ))
        }
        UpdateKind::FollowUp | UpdateKind::Regrade => current,
        UpdateKind::Measure | UpdateKind::Monitoring => {
            if current == Status::ResponseEnded {
                current
            } else {
                Status::Responding
            }
        }
        UpdateKind::ResponseEnd => {
            if current == Status::ResponseEnded {
                return Err(Reason::new("应急已终止", "the response has already ended"));
            }
            Status::ResponseEnded
        }
        UpdateKind::Closure => {
            if current != Status::ResponseEnded {
                return Err(Reason::new(
                    "须先终止应急响应,才能结案",
                    "the response is ended before the event is closed",
                ));
            }
            if evidence == 0 {
                return Err(Reason::new(
                    "结案须附调查评估报告",
                    "closure needs the investigation and assessment report as evidence",
                ));
            }
            Status::Closed
        }
        UpdateKind::Withdrawal => Status::Withdrawn,
    })
}

/// Whether an event counts against its region (for the assessment's veto and for
/// accountability): a withdrawn one does not.
pub fn counts(status: Status) -> bool {
    status != Status::Withdrawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_as_reports_write_them() {
        for (text, level) in [
            ("较大", Level::Large),
            ("较大突发环境事件", Level::Large),
            ("较大(Ⅲ级)", Level::Large),
            ("III", Level::Large),
            ("iii", Level::Large),
            ("Ⅲ级", Level::Large),
            ("3", Level::Large),
            ("特别重大", Level::Extraordinary),
            ("I", Level::Extraordinary),
            ("一般(Ⅳ级)", Level::General),
            ("重大突发生态环境事件", Level::Major),
            ("二级", Level::Major),
        ] {
            assert_eq!(text.parse::<Level>().unwrap(), level, "{text}");
        }
        let err = "严重".parse::<Level>().unwrap_err();
        assert!(err.contains("较大"), "{err}");
        assert!(Level::Major.at_least(Level::Large));
        assert!(!Level::General.at_least(Level::Large));
        assert_eq!(serde_json::to_string(&Level::Large).unwrap(), "\"III\"");
        assert_eq!(
            serde_json::from_str::<Level>("\"较大\"").unwrap(),
            Level::Large
        );
    }

    #[test]
    fn updates_move_the_event_through_its_states() {
        use Status::*;
        use UpdateKind::*;
        let l = Level::General;
        assert_eq!(
            next_status(Reported, l, Measure, None, "关闭闸门", 0),
            Ok(Responding)
        );
        assert_eq!(
            next_status(Reported, l, FollowUp, None, "续报", 0),
            Ok(Reported)
        );
        assert_eq!(
            next_status(Responding, l, ResponseEnd, None, "应急终止", 0),
            Ok(ResponseEnded)
        );
        assert_eq!(
            next_status(ResponseEnded, l, Monitoring, None, "跟踪监测", 0),
            Ok(ResponseEnded)
        );
        assert_eq!(
            next_status(ResponseEnded, l, Closure, None, "调查评估", 1),
            Ok(Closed)
        );
        assert_eq!(
            next_status(Reported, l, Withdrawal, None, "系误报", 0),
            Ok(Withdrawn)
        );
        assert_eq!(
            next_status(Responding, l, Regrade, Some(Level::Large), "升级", 0),
            Ok(Responding)
        );
    }

    #[test]
    fn updates_out_of_turn_are_refused_with_their_reason() {
        use Status::*;
        use UpdateKind::*;
        let l = Level::General;
        let refused = |s, k, nl, text: &str, ev| next_status(s, l, k, nl, text, ev).unwrap_err();
        assert!(refused(Closed, FollowUp, None, "x", 0)
            .zh
            .contains("已结案"));
        assert!(refused(Withdrawn, Measure, None, "x", 0)
            .en
            .contains("withdrawn"));
        assert!(refused(Responding, Closure, None, "x", 1)
            .zh
            .contains("终止"));
        assert!(refused(ResponseEnded, Closure, None, "x", 0)
            .zh
            .contains("调查评估报告"));
        assert!(refused(Responding, Regrade, None, "x", 0)
            .zh
            .contains("级别"));
        assert!(refused(Responding, Regrade, Some(l), "x", 0)
            .en
            .contains("already"));
        assert!(refused(Responding, FollowUp, Some(Level::Major), "x", 0)
            .en
            .contains("only a regrade"));
        assert!(refused(Reported, Initial, None, "x", 0).zh.contains("初报"));
        assert!(refused(Reported, FollowUp, None, " ", 0)
            .zh
            .contains("内容"));
        assert!(refused(ResponseEnded, ResponseEnd, None, "x", 0)
            .en
            .contains("already"));
    }
}
