//! The supervision loop as pure rules: work being assigned, followed and proven done.
//!
//! - [`tasks`]: annual key work plans (年度重点工作计划, Art. 8(2)) and their tasks, the basis a
//!   task cites, progress, and dispatch rounds (调度, Art. 7(4)) — who reported, who is late.
//! - [`finding`]: inspection findings and their rectification (督察整改, Arts. 6(3), 7(4), 13):
//!   the state machine assign → rectify → request closure → verify → close, with separation of
//!   duties between who asks for a closure and who verifies it.
//! - [`sheet`]: the rectification ledger (整改台账) as local governments keep it in Excel.
//! - [`evidence`]: which files count as evidence (type by magic bytes and extension, size).
//! - [`checks`]: Art. 15's limits on checks (监督检查) — how many, how often, merging.
//! - [`complaints`]: public complaints (信访/举报, Art. 4(4)): tracking codes, answers, deadlines.
//!
//! This module holds the vocabulary they share: categories, severities, sources, inspection
//! levels and kinds, and who is told about what ([`concerns`]).

pub mod checks;
pub mod complaints;
pub mod evidence;
pub mod finding;
pub mod sheet;
pub mod tasks;

use crate::access::UserRole;

/// Declares a closed set of values written as stable keys (in storage, JSON and files) with
/// a Chinese name for people; parsing accepts either.
macro_rules! keyed_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $zh:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        // After the derives, so that a `schema(as = …)` helper may be given.
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn name_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key() == t || v.name_zh() == t)
                    .ok_or_else(|| {
                        format!(
                            "unknown {} {t:?}: expected one of {}",
                            stringify!($name),
                            $name::ALL.iter().map(|v| v.key()).collect::<Vec<_>>().join(", ")
                        )
                    })
            }
        }
    };
}
pub(crate) use keyed_enum;

/// A refusal's reason in Chinese and in English: pages show the one of their language, the
/// API both.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    pub zh: String,
    pub en: String,
}

impl Reason {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The reason in one language: English when `english`, Chinese otherwise.
    pub fn pick(&self, english: bool) -> &str {
        if english {
            &self.en
        } else {
            &self.zh
        }
    }

    /// Both: the Chinese, then the English in parentheses (the API's `detail`).
    pub fn both(&self) -> String {
        format!("{} ({})", self.zh, self.en)
    }

    /// The same reason about one item, prefixed in each language (问题 #7: … / finding 7: …).
    pub fn about(&self, zh: &str, en: &str) -> Reason {
        Reason::new(format!("{zh}: {}", self.zh), format!("{en}: {}", self.en))
    }
}

impl std::fmt::Display for Reason {
    /// Chinese, the language of the records.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}

keyed_enum! {
    /// What a finding is about.
    Category {
        Air => "air", "大气",
        Water => "water", "水",
        Soil => "soil", "土壤",
        Ecology => "ecology", "生态",
        SolidWaste => "solid_waste", "固体废物",
        Noise => "noise", "噪声",
        Other => "other", "其他",
    }
}

impl Category {
    /// A category guessed from a finding's text, for ledgers that have no category column:
    /// the first category whose words occur, else `Other`.
    pub fn guess(text: &str) -> Category {
        const WORDS: &[(Category, &[&str])] = &[
            (
                Category::SolidWaste,
                &["固废", "固体废物", "危废", "危险废物", "垃圾", "尾矿", "渣"],
            ),
            (
                Category::Air,
                &[
                    "大气",
                    "扬尘",
                    "废气",
                    "烟尘",
                    "VOCs",
                    "挥发性有机",
                    "臭气",
                    "空气",
                    "燃煤",
                    "秸秆焚烧",
                ],
            ),
            (
                Category::Water,
                &[
                    "污水",
                    "废水",
                    "水体",
                    "黑臭",
                    "河",
                    "湖",
                    "水源",
                    "入河排污",
                    "饮用水",
                ],
            ),
            (Category::Soil, &["土壤", "耕地污染", "重金属"]),
            (Category::Noise, &["噪声", "噪音"]),
            (
                Category::Ecology,
                &[
                    "生态",
                    "林地",
                    "湿地",
                    "自然保护区",
                    "红线",
                    "采砂",
                    "采矿",
                    "草原",
                    "毁林",
                ],
            ),
        ];
        WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| text.contains(w)))
            .map(|(c, _)| *c)
            .unwrap_or(Category::Other)
    }
}

keyed_enum! {
    /// How serious a finding is.
    Severity {
        General => "general", "一般",
        Serious => "serious", "较重",
        Major => "major", "严重",
    }
}

keyed_enum! {
    /// Where a finding came from.
    Source {
        Inspection => "inspection", "督察",
        Complaint => "complaint", "信访举报",
        Audit => "audit", "审计",
        IndicatorWarning => "indicator_warning", "指标预警",
        Media => "media", "媒体曝光",
        /// A river or forest chief's patrol (巡河 / 巡林).
        Patrol => "patrol", "巡河巡林",
    }
}

keyed_enum! {
    /// The level of an inspection (督察) by who runs it.
    InspectionLevel {
        Central => "central", "中央",
        Provincial => "provincial", "省级",
        Municipal => "municipal", "市级",
    }
}

keyed_enum! {
    /// The kind of inspection.
    InspectionKind {
        Routine => "routine", "例行督察",
        Special => "special", "专项督察",
        /// 回头看: going back to see whether earlier findings were really rectified.
        FollowUp => "follow_up", "回头看",
    }
}

keyed_enum! {
    /// The kinds of record the scheduler watches.
    ItemKind {
        Finding => "finding", "问题",
        Task => "task", "任务",
        Complaint => "complaint", "信访举报",
        DispatchRound => "dispatch_round", "调度",
        Emergency => "emergency", "突发环境事件",
        RiskReport => "risk_report", "风险报告",
        /// A chief post (河长 / 湖长 / 林长), told of the patrols it owes.
        Chief => "chief_post", "河湖长林长",
    }
}

keyed_enum! {
    /// What a notification says about an item.
    NoticeKind {
        /// The deadline is near.
        DueSoon => "due_soon", "即将到期",
        /// The deadline passed while the item was open.
        Overdue => "overdue", "已逾期",
        /// An overdue item, reported to the level above.
        Escalated => "escalated", "逾期上报",
        /// A long-term item's periodic review is due.
        ReviewDue => "review_due", "定期复核",
        /// A dispatch round's date passed without the unit's report.
        ReportMissing => "report_missing", "调度未报送",
        /// An emergency or a risk reported: the chain is told at once.
        Alert => "alert", "事件通报",
        /// A chief made fewer patrols than his level requires in a period that ended.
        PatrolsBehind => "patrols_behind", "巡查未达频次",
    }
}

/// Whether users of `role` are told `notice` about an item of `item`: the people who act on
/// it (officers, region administrators), inspectors for findings, leaders for what is overdue
/// or escalated. System administrators, auditors and the organisation department read records
/// but are not told.
pub fn concerns(role: UserRole, item: ItemKind, notice: NoticeKind) -> bool {
    use NoticeKind::*;
    use UserRole::*;
    match role {
        SystemAdmin | Auditor | OrganisationDepartment | Discipline => false,
        RegionAdmin | Officer => true,
        Inspector => matches!(item, ItemKind::Finding) && notice != DueSoon,
        Leader => matches!(notice, Overdue | Escalated) || item == ItemKind::Emergency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_chinese_names_parse_back() {
        for c in Category::ALL {
            assert_eq!(c.key().parse::<Category>().unwrap(), *c);
            assert_eq!(c.name_zh().parse::<Category>().unwrap(), *c);
        }
        for s in Source::ALL {
            assert_eq!(s.name_zh().parse::<Source>().unwrap(), *s);
        }
        assert_eq!(
            "回头看".parse::<InspectionKind>().unwrap(),
            InspectionKind::FollowUp
        );
        let err = "smog".parse::<Category>().unwrap_err();
        assert!(err.contains("air, water"), "{err}");
        assert_eq!(
            serde_json::to_string(&Category::SolidWaste).unwrap(),
            "\"solid_waste\""
        );
    }

    #[test]
    fn categories_are_guessed_from_words() {
        assert_eq!(Category::guess("城区施工工地扬尘管控不到位"), Category::Air);
        assert_eq!(Category::guess("某河段黑臭水体反弹"), Category::Water);
        assert_eq!(Category::guess("危险废物贮存不规范"), Category::SolidWaste);
        assert_eq!(Category::guess("夜间施工噪声扰民"), Category::Noise);
        assert_eq!(Category::guess("违规占用生态保护红线"), Category::Ecology);
        assert_eq!(Category::guess("档案管理混乱"), Category::Other);
    }

    #[test]
    fn who_is_told_what() {
        use ItemKind::*;
        use NoticeKind::*;
        assert!(concerns(UserRole::Officer, Task, DueSoon));
        assert!(concerns(UserRole::Inspector, Finding, Escalated));
        assert!(!concerns(UserRole::Inspector, Task, Overdue));
        assert!(!concerns(UserRole::Inspector, Finding, DueSoon));
        assert!(concerns(UserRole::Leader, Finding, Escalated));
        assert!(!concerns(UserRole::Leader, Finding, DueSoon));
        assert!(!concerns(UserRole::Auditor, Finding, Overdue));
        assert!(!concerns(UserRole::SystemAdmin, Finding, Escalated));
        assert!(concerns(UserRole::Leader, Emergency, Alert));
        assert!(!concerns(UserRole::Leader, RiskReport, Alert));
        assert!(!concerns(UserRole::Inspector, Emergency, Alert));
    }
}
