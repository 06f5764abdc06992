//! Accountability cases (追责, Arts. 17–18) as pure rules, with no I/O.
//!
//! 第十七条: 地方党政领导干部在生态环境保护工作中不履行或者不正确履行职责 … 应当依规依纪依法
//! 追究有关责任. This module holds what a case is made of and how it moves:
//!
//! - here: the states of a case (线索 → 调查 → 决定 → 执行 → 归档, or 不予立案/撤销 with a
//!   reason), the steps between them and who may take them (the one who decides is not the one
//!   who investigated), what a case comes from, the degrees of responsibility (第五条第二款),
//!   the circumstances of Art. 18 and their effect, the forms of accountability;
//! - [`proposal`]: who answers for a matter — the holders, on its dates, of the posts that
//!   answer for it (property-tested: a person is proposed iff they held such a post then).
//!
//! The store keeps a case as ledgered versions; every read of one is logged.

pub mod proposal;

use chrono::NaiveDate;
use ecoduty_regulation::Role;

use crate::supervision::{keyed_enum, Reason};

keyed_enum! {
    /// Where a case stands.
    #[cfg_attr(feature = "openapi", schema(as = CaseStatus))]
    CaseStatus {
        /// A clue (问题线索) registered, not yet investigated.
        Clue => "clue", "问题线索",
        /// Under investigation (调查核实): persons confirmed, grounds and circumstances recorded.
        Investigation => "investigation", "调查核实",
        /// Decided (作出追责决定): the decision (决定书) with each person's forms.
        Decided => "decided", "已作出决定",
        /// The decision carried out (执行完毕).
        Executed => "executed", "执行完毕",
        /// Archived (归档): the file is closed.
        Archived => "archived", "已归档",
        /// Dismissed (不予追责 / 撤销), with its reason.
        Dismissed => "dismissed", "已撤销",
    }
}

keyed_enum! {
    /// What a case was opened from.
    CaseSource {
        /// A finding: overdue, returned again and again, recurring (an audit finding is one too).
        Finding => "finding", "督察问题",
        /// A binding indicator that missed its target at year end.
        Target => "target", "约束性指标未完成",
        /// An assessment result at the bottom grade or vetoed (一票否决).
        Assessment => "assessment", "考核结果",
        /// A public complaint (信访举报).
        Complaint => "complaint", "信访举报",
        /// An environmental emergency (较大 or graver).
        Emergency => "emergency", "突发环境事件",
        /// Opened by hand, from a clue received otherwise.
        Manual => "manual", "其他线索",
    }
}

keyed_enum! {
    /// The degree of a person's responsibility (第五条第二款: 第一责任人 … 负领导责任; and the
    /// direct responsibility of the post that had the duty in hand).
    Degree {
        /// 党委和政府主要负责人: 本地区生态环境保护第一责任人, 负总责.
        FirstResponsible => "first_responsible", "第一责任人",
        /// 领导班子其他成员: 对分管行业或者领域的生态环境保护工作负领导责任.
        Leadership => "leadership", "领导责任",
        /// The head of the unit, or the holder of the post, that had the duty in hand.
        Direct => "direct", "直接责任",
    }
}

keyed_enum! {
    /// Where a proposed person stands in the case.
    PersonState {
        /// Proposed by the system, not yet looked at.
        Proposed => "proposed", "系统提出",
        /// Confirmed by the investigator.
        Confirmed => "confirmed", "已确认",
        /// Removed by the investigator, with a reason.
        Removed => "removed", "已排除",
    }
}

keyed_enum! {
    /// A circumstance of Art. 18 that makes accountability lighter or heavier.
    Circumstance {
        /// 及时报告失职行为并主动采取补救措施.
        ReportedAndRemedied => "reported_and_remedied", "及时报告失职行为并主动采取补救措施",
        /// 有效预防或者减少生态破坏和环境污染.
        PreventedOrReduced => "prevented_or_reduced", "有效预防或者减少生态破坏和环境污染",
        /// 挽回生态环境损害损失或者消除不良影响.
        RecoveredLoss => "recovered_loss", "挽回生态环境损害损失或者消除不良影响",
        /// 积极配合调查处理,主动承担责任.
        Cooperated => "cooperated", "积极配合调查处理,主动承担责任",
        /// 对党中央以及上级党组织决策部署不执行或者执行不力.
        DefiedDecisions => "defied_decisions", "对党中央以及上级党组织生态文明建设和生态环境保护决策部署不执行或者执行不力",
        /// 不顾生态环境盲目决策.
        BlindDecision => "blind_decision", "不顾生态环境盲目决策",
        /// 突破生态保护红线、环境质量底线和资源利用上线.
        BreachedRedLines => "breached_red_lines", "突破生态保护红线、环境质量底线和资源利用上线",
        /// 造成严重后果或者严重社会影响.
        SeriousConsequences => "serious_consequences", "造成严重后果或者严重社会影响",
    }
}

/// What a circumstance does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// 可以依规依法从轻或者减轻追究责任 (第十八条第一款).
    Lighter,
    /// 应当依规依法从重或者加重追究责任 (第十八条第二款).
    Heavier,
}

impl Circumstance {
    /// What it does to the accountability.
    pub fn effect(self) -> Effect {
        use Circumstance::*;
        match self {
            ReportedAndRemedied | PreventedOrReduced | RecoveredLoss | Cooperated => {
                Effect::Lighter
            }
            DefiedDecisions | BlindDecision | BreachedRedLines | SeriousConsequences => {
                Effect::Heavier
            }
        }
    }

    /// The paragraph of Art. 18 that names it.
    pub fn citation(self) -> &'static str {
        match self.effect() {
            Effect::Lighter => "第十八条第一款",
            Effect::Heavier => "第十八条第二款",
        }
    }

    /// What the paragraph lets or makes the decider do.
    pub fn effect_zh(self) -> &'static str {
        match self.effect() {
            Effect::Lighter => "可以从轻或者减轻追究责任",
            Effect::Heavier => "应当从重或者加重追究责任",
        }
    }

    pub fn effect_en(self) -> &'static str {
        match self.effect() {
            Effect::Lighter => "may be held to account more lightly or with mitigation",
            Effect::Heavier => "shall be held to account more heavily or with aggravation",
        }
    }
}

keyed_enum! {
    /// The built-in list of the forms of accountability (问责方式), as
    /// `ACCOUNTABILITY.md` records 《党政领导干部生态环境损害责任追究办法》's list. A decision
    /// uses it only while no framework in force lists forms of its own (the 2025 regulation
    /// lists none); once the 办法 or a provincial rule is imported, its text's list, read
    /// into data, is what a decision chooses from ([`DecidedForm`], [`resolve_form`]).
    Form {
        /// 诫勉.
        Admonition => "admonition", "诫勉",
        /// 责令公开道歉.
        PublicApology => "public_apology", "责令公开道歉",
        /// 组织处理: 调离岗位.
        Transfer => "transfer", "调离岗位",
        /// 组织处理: 引咎辞职.
        ResignationForFault => "resignation_for_fault", "引咎辞职",
        /// 组织处理: 责令辞职.
        OrderedResignation => "ordered_resignation", "责令辞职",
        /// 组织处理: 免职.
        Removal => "removal", "免职",
        /// 组织处理: 降职.
        Demotion => "demotion", "降职",
        /// 党纪政务处分: transferred to the discipline body (移送纪检监察机关).
        DisciplinaryTransfer => "disciplinary_transfer", "党纪政务处分(移送纪检监察机关)",
        /// 涉嫌犯罪的, 移送司法机关.
        JudicialTransfer => "judicial_transfer", "移送司法机关",
    }
}

impl Form {
    /// Whether the form is an organisational measure (组织处理).
    pub fn is_organisational(self) -> bool {
        matches!(
            self,
            Form::Transfer
                | Form::ResignationForFault
                | Form::OrderedResignation
                | Form::Removal
                | Form::Demotion
        )
    }

    /// Whether the form hands the matter to another body (which then decides on it).
    pub fn is_transfer(self) -> bool {
        matches!(self, Form::DisciplinaryTransfer | Form::JudicialTransfer)
    }
}

/// A form of accountability as a decision records it: named as the list it was chosen from
/// names it — a framework's text (with the framework's key and the provision that lists it),
/// or the built-in list ([`Form`]) when no framework in force lists any.
///
/// Read back from a stored case, a bare string is a form key of the built-in list (cases
/// decided before decisions took their forms from the frameworks).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "StoredForm")]
pub struct DecidedForm {
    /// 诫勉, 调离岗位 …
    pub name: String,
    /// The group it belongs to (组织处理), if the list groups it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The framework whose text lists it; absent for the built-in list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// Where the framework lists it (《办法》第十条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum StoredForm {
    Key(String),
    Full {
        name: String,
        #[serde(default)]
        group: Option<String>,
        #[serde(default)]
        framework: Option<String>,
        #[serde(default)]
        citation: Option<String>,
    },
}

impl From<StoredForm> for DecidedForm {
    fn from(s: StoredForm) -> Self {
        match s {
            StoredForm::Key(k) => match k.parse::<Form>() {
                Ok(f) => DecidedForm::builtin(f),
                Err(_) => DecidedForm {
                    name: k,
                    group: None,
                    framework: None,
                    citation: None,
                },
            },
            StoredForm::Full {
                name,
                group,
                framework,
                citation,
            } => DecidedForm {
                name,
                group,
                framework,
                citation,
            },
        }
    }
}

impl DecidedForm {
    /// A form of the built-in list.
    pub fn builtin(f: Form) -> Self {
        DecidedForm {
            name: f.name_zh().to_string(),
            group: f.is_organisational().then(|| "组织处理".to_string()),
            framework: None,
            citation: None,
        }
    }

    /// The built-in list, for when no framework in force lists forms.
    pub fn builtin_list() -> Vec<DecidedForm> {
        Form::ALL.iter().map(|f| DecidedForm::builtin(*f)).collect()
    }

    /// 诫勉, or 免职(组织处理,《办法》第十条) with its group and provision.
    pub fn label(&self) -> String {
        let mut notes: Vec<&str> = Vec::new();
        if let Some(g) = &self.group {
            notes.push(g);
        }
        if let Some(c) = &self.citation {
            notes.push(c);
        }
        if notes.is_empty() {
            self.name.clone()
        } else {
            format!("{}({})", self.name, notes.join(","))
        }
    }
}

/// The form a decision asks for, by name (诫勉) or by a built-in key (`admonition`), among
/// `available` (the forms the frameworks in force list, or the built-in list). A name not
/// listed is refused, naming what may be chosen.
pub fn resolve_form(asked: &str, available: &[DecidedForm]) -> Result<DecidedForm, Reason> {
    let asked = asked.trim();
    let by_name = |name: &str| available.iter().find(|f| f.name == name).cloned();
    let found = by_name(asked).or_else(|| {
        asked
            .parse::<Form>()
            .ok()
            .and_then(|f| by_name(f.name_zh()))
    });
    found.ok_or_else(|| {
        let names: Vec<&str> = available.iter().map(|f| f.name.as_str()).collect();
        Reason::new(
            format!(
                "「{asked}」不是施行中的规定所列的问责方式(可选:{})",
                names.join("、")
            ),
            format!(
                "\"{asked}\" is not a form of accountability the rules in force list (choose from: {})",
                names.join(", ")
            ),
        )
    })
}

/// The degree a role answers with when its post answers for a matter; the post the matter
/// names (the finding's responsible post) answers directly whatever its role.
pub fn degree_of(role: Role, named: bool) -> Degree {
    if named {
        return Degree::Direct;
    }
    match role {
        Role::PartySecretary | Role::GovernmentHead => Degree::FirstResponsible,
        Role::DeputyEco | Role::DeputySector | Role::LeadershipMember => Degree::Leadership,
        Role::EcoDepartmentHead | Role::SectorDepartmentHead => Degree::Direct,
    }
}

/// A step of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Take the clue up for investigation (the actor becomes the investigator).
    Investigate,
    /// Confirm or remove a person, add a ground or a circumstance.
    Investigation,
    /// Record the decision.
    Decide,
    /// Record that the decision was carried out.
    Execute,
    /// Close the file.
    Archive,
    /// Dismiss the case (before a decision).
    Dismiss,
    /// Lodge or answer an appeal (申诉) against the decision.
    Appeal,
}

/// Checks a step against the case as it stands and gives the status it leads to.
///
/// - a clue is investigated, or dismissed; an investigation is decided, or dismissed;
/// - the decision is taken by someone other than the investigator (查处分离);
/// - an investigation is decided when every person is confirmed or removed, at least one is
///   confirmed, and each confirmed person has at least one ground;
/// - a decision is executed, then archived; appeals come after the decision, before the file
///   is archived.
pub fn next_status(
    current: CaseStatus,
    step: Step,
    actor: &str,
    investigator: Option<&str>,
) -> Result<CaseStatus, Reason> {
    use CaseStatus::*;
    let wrong = |what_zh: &str, what_en: &str| {
        Err(Reason::new(
            format!("案件{},不能{what_zh}", current.name_zh()),
            format!("the case is {}; it cannot {what_en}", current.key()),
        ))
    };
    match step {
        Step::Investigate => match current {
            Clue => Ok(Investigation),
            _ => wrong("再次立案调查", "be taken up again"),
        },
        Step::Investigation => match current {
            Investigation => Ok(Investigation),
            Clue => Err(Reason::new(
                "线索尚未立案调查:先立案调查,再确认人员、认定情形",
                "the clue is not under investigation yet: take it up first",
            )),
            _ => wrong("再修改调查内容", "take investigation changes"),
        },
        Step::Decide => match current {
            Investigation => {
                if investigator.is_some_and(|i| i == actor.trim()) {
                    return Err(Reason::new(
                        "查处分离:调查人不能作出追责决定",
                        "the investigator cannot decide the case (separation of duties)",
                    ));
                }
                Ok(Decided)
            }
            _ => wrong("作出决定", "be decided"),
        },
        Step::Execute => match current {
            Decided => Ok(Executed),
            _ => wrong("登记执行", "be marked executed"),
        },
        Step::Archive => match current {
            Executed => Ok(Archived),
            Dismissed => wrong("归档", "be archived"),
            _ => Err(Reason::new(
                "决定执行完毕后才能归档",
                "a case is archived once its decision is executed",
            )),
        },
        Step::Dismiss => match current {
            Clue | Investigation => Ok(Dismissed),
            _ => wrong("撤销", "be dismissed"),
        },
        Step::Appeal => match current {
            Decided | Executed => Ok(current),
            _ => wrong("受理申诉", "take an appeal"),
        },
    }
}

/// Whether a decision may be appealed on `day`: within `days` after the decision took effect.
pub fn appeal_open(effective_on: NaiveDate, days: u32, day: NaiveDate) -> bool {
    day >= effective_on && (day - effective_on).num_days() <= i64::from(days)
}

/// Whether an influence period (影响期, during which the person may not be promoted) is in
/// force on `day`: from the decision's effective date to its end, inclusive.
pub fn influence_in_force(
    effective_on: NaiveDate,
    until: Option<NaiveDate>,
    day: NaiveDate,
) -> bool {
    until.is_some_and(|u| effective_on <= day && day <= u)
}

/// The rank (职级) a post carries, for the roster import's warning on a promotion inside an
/// influence period: posts carry no rank of their own, so it is read from the region's level
/// and the post type, by the correspondence of leadership posts to ranks
/// (《公务员职务与级别管理规定》: 省部级、厅局级、县处级、乡科级, 正职 and 副职). A region's
/// Party secretary and government head are the 正职 of its level (a province's: 省部级正职),
/// its deputies and other leadership members the 副职, and the heads of its departments the
/// 正职 of the level below (a prefecture's bureau head: 县处级正职). A township's departments
/// are taken as 副职 of 乡科级. Regions whose cadres rank above their level (municipalities'
/// districts, sub-provincial cities) are not told apart: their posts rank by level like any.
/// 8 (省部级正职) down to 1 (乡科级副职).
pub fn post_rank(level: crate::region::RegionLevel, role: Role) -> u8 {
    use crate::region::RegionLevel::*;
    let principal = match level {
        Province => 8,
        Prefecture => 6,
        County => 4,
        Township => 2,
    };
    match role {
        Role::PartySecretary | Role::GovernmentHead => principal,
        Role::DeputyEco | Role::DeputySector | Role::LeadershipMember => principal - 1,
        Role::EcoDepartmentHead | Role::SectorDepartmentHead => (principal - 2).max(1),
    }
}

/// The rank's name: 8 省部级正职 … 1 乡科级副职.
pub fn rank_name_zh(rank: u8) -> &'static str {
    match rank {
        8 => "省部级正职",
        7 => "省部级副职",
        6 => "厅局级正职",
        5 => "厅局级副职",
        4 => "县处级正职",
        3 => "县处级副职",
        2 => "乡科级正职",
        _ => "乡科级副职",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_rank_by_region_level_and_post_type() {
        use crate::region::RegionLevel::*;
        assert_eq!(post_rank(Province, Role::PartySecretary), 8);
        assert_eq!(post_rank(Prefecture, Role::EcoDepartmentHead), 4);
        assert_eq!(post_rank(County, Role::GovernmentHead), 4);
        assert_eq!(post_rank(County, Role::DeputyEco), 3);
        assert_eq!(post_rank(Township, Role::SectorDepartmentHead), 1);
        assert!(
            post_rank(Prefecture, Role::DeputySector) > post_rank(County, Role::PartySecretary)
        );
        assert_eq!(
            rank_name_zh(post_rank(County, Role::GovernmentHead)),
            "县处级正职"
        );
    }

    #[test]
    fn a_case_moves_from_clue_to_archive() {
        use CaseStatus::*;
        assert_eq!(
            next_status(Clue, Step::Investigate, "jw.a", None),
            Ok(Investigation)
        );
        assert_eq!(
            next_status(Investigation, Step::Investigation, "jw.a", Some("jw.a")),
            Ok(Investigation)
        );
        assert_eq!(
            next_status(Investigation, Step::Decide, "zz.b", Some("jw.a")),
            Ok(Decided)
        );
        assert_eq!(
            next_status(Decided, Step::Appeal, "zz.b", Some("jw.a")),
            Ok(Decided)
        );
        assert_eq!(
            next_status(Decided, Step::Execute, "zz.b", Some("jw.a")),
            Ok(Executed)
        );
        assert_eq!(
            next_status(Executed, Step::Archive, "zz.b", Some("jw.a")),
            Ok(Archived)
        );
        assert_eq!(
            next_status(Clue, Step::Dismiss, "jw.a", None),
            Ok(Dismissed)
        );
    }

    #[test]
    fn steps_out_of_turn_are_refused_with_their_reason() {
        use CaseStatus::*;
        let refused = |s, step, actor: &str| next_status(s, step, actor, Some("jw.a")).unwrap_err();
        assert!(refused(Investigation, Step::Decide, "jw.a")
            .zh
            .contains("查处分离"));
        assert!(refused(Investigation, Step::Decide, " jw.a ")
            .en
            .contains("separation"));
        assert!(refused(Clue, Step::Decide, "zz.b").zh.contains("问题线索"));
        assert!(refused(Clue, Step::Investigation, "jw.a")
            .zh
            .contains("先立案"));
        assert!(refused(Decided, Step::Investigation, "jw.a")
            .en
            .contains("decided"));
        assert!(refused(Decided, Step::Dismiss, "jw.a").zh.contains("撤销"));
        assert!(refused(Investigation, Step::Archive, "jw.a")
            .zh
            .contains("执行完毕"));
        assert!(refused(Archived, Step::Appeal, "jw.a")
            .en
            .contains("appeal"));
        assert!(refused(Dismissed, Step::Investigate, "jw.a")
            .en
            .contains("dismissed"));
        assert!(refused(Archived, Step::Execute, "jw.a")
            .en
            .contains("archived"));
    }

    #[test]
    fn circumstances_cite_their_paragraph_and_effect() {
        assert_eq!(Circumstance::Cooperated.effect(), Effect::Lighter);
        assert_eq!(Circumstance::Cooperated.citation(), "第十八条第一款");
        assert_eq!(Circumstance::BreachedRedLines.effect(), Effect::Heavier);
        assert_eq!(Circumstance::BreachedRedLines.citation(), "第十八条第二款");
        assert!(Circumstance::SeriousConsequences
            .effect_zh()
            .contains("从重"));
        assert_eq!(
            "积极配合调查处理,主动承担责任".parse::<Circumstance>(),
            Ok(Circumstance::Cooperated)
        );
    }

    #[test]
    fn degrees_follow_article_five() {
        assert_eq!(
            degree_of(Role::PartySecretary, false),
            Degree::FirstResponsible
        );
        assert_eq!(
            degree_of(Role::GovernmentHead, false),
            Degree::FirstResponsible
        );
        assert_eq!(degree_of(Role::DeputyEco, false), Degree::Leadership);
        assert_eq!(degree_of(Role::SectorDepartmentHead, false), Degree::Direct);
        assert_eq!(degree_of(Role::GovernmentHead, true), Degree::Direct);
        assert!(Form::Removal.is_organisational());
        assert!(!Form::Admonition.is_organisational());
        assert!(Form::JudicialTransfer.is_transfer());
    }

    #[test]
    fn a_form_is_resolved_from_the_list_in_force_by_name_or_built_in_key() {
        let banfa: Vec<DecidedForm> = ["诫勉", "责令公开道歉", "免职", "党纪政纪处分"]
            .iter()
            .map(|n| DecidedForm {
                name: n.to_string(),
                group: (*n == "免职").then(|| "组织处理".to_string()),
                framework: Some("banfa".into()),
                citation: Some("《办法》第十条".into()),
            })
            .collect();
        let f = resolve_form(" 免职 ", &banfa).unwrap();
        assert_eq!(f.framework.as_deref(), Some("banfa"));
        assert_eq!(f.label(), "免职(组织处理,《办法》第十条)");
        // A built-in key finds the framework's form of the same name.
        assert_eq!(resolve_form("admonition", &banfa).unwrap().name, "诫勉");
        // A form the framework does not list is refused, naming the choices.
        let e = resolve_form("约谈", &banfa).unwrap_err();
        assert!(
            e.zh.contains("约谈") && e.zh.contains("诫勉、责令公开道歉"),
            "{}",
            e.zh
        );
        let e = resolve_form("judicial_transfer", &banfa).unwrap_err();
        assert!(e.en.contains("judicial_transfer"));
        // The built-in list serves while no framework lists any.
        let builtin = DecidedForm::builtin_list();
        assert_eq!(
            resolve_form("降职", &builtin).unwrap().group.as_deref(),
            Some("组织处理")
        );
    }

    #[test]
    fn stored_forms_read_back_from_keys_and_records() {
        let old: Vec<DecidedForm> = serde_json::from_str(r#"["admonition","removal"]"#).unwrap();
        assert_eq!(old[0], DecidedForm::builtin(Form::Admonition));
        assert_eq!(old[1].group.as_deref(), Some("组织处理"));
        let f = DecidedForm {
            name: "诫勉".into(),
            group: None,
            framework: Some("banfa".into()),
            citation: Some("《办法》第十条".into()),
        };
        let back: DecidedForm = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn appeal_windows_and_influence_periods_count_inclusive_days() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(appeal_open(d("2026-03-01"), 30, d("2026-03-31")));
        assert!(!appeal_open(d("2026-03-01"), 30, d("2026-04-01")));
        assert!(!appeal_open(d("2026-03-01"), 30, d("2026-02-28")));
        assert!(influence_in_force(
            d("2026-03-01"),
            Some(d("2026-08-31")),
            d("2026-08-31")
        ));
        assert!(!influence_in_force(
            d("2026-03-01"),
            Some(d("2026-08-31")),
            d("2026-09-01")
        ));
        assert!(!influence_in_force(d("2026-03-01"), None, d("2026-03-02")));
    }
}
