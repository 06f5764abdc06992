//! An assessment scheme (考核细则): its items, each item's scoring rule with parameters, and
//! how totals become grades (thresholds, the veto, the quota).
//!
//! A rule is written in a sheet as a type (规则类型) and parameters (参数, `key=value;…`), so a
//! scheme is data a user edits, never code. Each type's parameters have defaults taken from
//! common local practice; a sheet that names an unknown parameter is refused, never ignored.

use serde::{Deserialize, Serialize};

use super::{fmt_points, UnitRef};
use crate::region::RegionCode;

/// The kind of an item: counted in the 100 points, added, taken off, or a veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 基本项: earns 0 to its points.
    Base,
    /// 加分项: earns 0 to its points, on top of the base items.
    Bonus,
    /// 扣分项: takes 0 to its points off.
    Deduction,
    /// 一票否决项: carries no points; when triggered the unit gets the lowest grade.
    Veto,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Base,
        ItemKind::Bonus,
        ItemKind::Deduction,
        ItemKind::Veto,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Base => "base",
            ItemKind::Bonus => "bonus",
            ItemKind::Deduction => "deduction",
            ItemKind::Veto => "veto",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ItemKind::Base => "基本项",
            ItemKind::Bonus => "加分项",
            ItemKind::Deduction => "扣分项",
            ItemKind::Veto => "一票否决项",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            ItemKind::Base => "base item",
            ItemKind::Bonus => "bonus",
            ItemKind::Deduction => "deduction",
            ItemKind::Veto => "veto item",
        }
    }

    pub fn parse(s: &str) -> Result<ItemKind, String> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(ItemKind::Base);
        }
        let aliases: [(&str, ItemKind); 6] = [
            ("基本", ItemKind::Base),
            ("加分", ItemKind::Bonus),
            ("扣分", ItemKind::Deduction),
            ("否决", ItemKind::Veto),
            ("一票否决", ItemKind::Veto),
            ("扣分项目", ItemKind::Deduction),
        ];
        ItemKind::ALL
            .into_iter()
            .find(|k| k.key() == t || k.name_zh() == t)
            .or_else(|| aliases.iter().find(|(a, _)| *a == t).map(|(_, k)| *k))
            .ok_or_else(|| {
                format!("{t:?} 不是项目类型:填 基本项、加分项、扣分项 或 一票否决项 (base, bonus, deduction, veto)")
            })
    }
}

/// How an item is scored, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// A binding indicator against its target: full points when met; otherwise `deduct`
    /// points for every `per` of shortfall (in the indicator's unit), not below `floor`;
    /// `improve` points back for every `per` of improvement on the previous year, up to full.
    Indicator {
        indicator: String,
        per: f64,
        deduct: f64,
        floor: f64,
        improve: f64,
    },
    /// Rectification of findings due in the year: `per_overdue` off for each finding not
    /// closed by its deadline (times `central` or `provincial` for findings of central or
    /// provincial inspections), `per_return` for each return after a closure request,
    /// `per_recurrence` for each problem found again by a 回头看 inspection.
    Rectification {
        per_overdue: f64,
        central: f64,
        provincial: f64,
        per_return: f64,
        per_recurrence: f64,
    },
    /// The annual work plan: points in proportion to the tasks due in the year done on time.
    Tasks,
    /// Dispatch rounds (调度) of the year: `per_late` off for each round reported late,
    /// `per_missing` for each never reported.
    Dispatch { per_late: f64, per_missing: f64 },
    /// Public complaints: points in proportion to those due in the year answered in time.
    Complaints,
    /// A veto item (一票否决), set by the scoring organisation with evidence.
    Veto,
    /// Environmental emergencies (突发环境事件) of the unit's region in the year, of grade
    /// `level` (1 = 特别重大 … 4 = 一般) or graver, read from the emergencies recorded: on a veto
    /// item any such event sets the veto; on a base or deduction item each takes `per_event`
    /// points off. The scoring organisation may still decide otherwise by an entry, with its
    /// reason and evidence (e.g. the investigation found the unit not responsible).
    Emergency { level: u8, per_event: f64 },
    /// Entered by the scoring organisation with evidence and a reason (a survey, an honour).
    Manual,
}

/// The parameters each rule type takes, with their defaults.
fn defaults(kind: &str) -> Option<&'static [(&'static str, f64)]> {
    Some(match kind {
        "indicator" => &[
            ("per", 1.0),
            ("deduct", 1.0),
            ("floor", 0.0),
            ("improve", 0.0),
        ],
        "rectification" => &[
            ("per_overdue", 1.0),
            ("central", 2.0),
            ("provincial", 1.5),
            ("per_return", 0.5),
            ("per_recurrence", 2.0),
        ],
        "dispatch" => &[("per_late", 0.5), ("per_missing", 1.0)],
        "emergency" => &[("level", 3.0), ("per_event", 0.0)],
        "tasks" | "complaints" | "veto" | "manual" => &[],
        _ => return None,
    })
}

impl Rule {
    /// The rule's type as a sheet writes it.
    pub fn key(&self) -> &'static str {
        match self {
            Rule::Indicator { .. } => "indicator",
            Rule::Rectification { .. } => "rectification",
            Rule::Tasks => "tasks",
            Rule::Dispatch { .. } => "dispatch",
            Rule::Complaints => "complaints",
            Rule::Veto => "veto",
            Rule::Emergency { .. } => "emergency",
            Rule::Manual => "manual",
        }
    }

    pub fn name_zh(&self) -> &'static str {
        match self {
            Rule::Indicator { .. } => "约束性指标",
            Rule::Rectification { .. } => "督察整改",
            Rule::Tasks => "重点任务",
            Rule::Dispatch { .. } => "调度报送",
            Rule::Complaints => "信访办理",
            Rule::Veto => "一票否决",
            Rule::Emergency { .. } => "突发环境事件",
            Rule::Manual => "人工评分",
        }
    }

    /// Whether the scoring organisation enters the result by hand.
    pub fn is_manual(&self) -> bool {
        matches!(self, Rule::Veto | Rule::Manual)
    }

    /// Reads a rule from its type (key or Chinese name) and parameters (`key=value;…`,
    /// separated by `;`, `；`, `,` or `，`).
    pub fn parse(kind: &str, params: &str) -> Result<Rule, String> {
        let t = kind.trim();
        let key = match t {
            "指标" | "约束性指标" => "indicator",
            "整改" | "督察整改" => "rectification",
            "任务" | "重点任务" => "tasks",
            "调度" | "调度报送" => "dispatch",
            "信访" | "信访办理" => "complaints",
            "否决" | "一票否决" => "veto",
            "突发环境事件" | "环境事件" | "应急" => "emergency",
            "人工" | "人工评分" => "manual",
            other => other,
        };
        let Some(allowed) = defaults(key) else {
            return Err(format!(
                "{t:?} 不是规则类型:填 indicator, rectification, tasks, dispatch, complaints, emergency, veto 或 manual"
            ));
        };
        let mut numbers: Vec<(&str, f64)> = allowed.to_vec();
        let mut indicator: Option<String> = None;
        for part in params
            .split([';', '\u{FF1B}', ',', '\u{FF0C}'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let Some((name, value)) = part.split_once(['=', '\u{FF1D}']) else {
                return Err(format!("参数 {part:?} 应写成 名称=值"));
            };
            let (name, value) = (name.trim(), value.trim());
            if key == "indicator" && name == "indicator" {
                if value.is_empty() {
                    return Err("indicator= 须写指标代码(如 pm25_annual_mean)".into());
                }
                indicator = Some(value.to_string());
                continue;
            }
            let Some(slot) = numbers.iter_mut().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                return Err(if known.is_empty() && key != "indicator" {
                    format!("{key} 规则不带参数,却写了 {name:?}")
                } else {
                    let mut known = known;
                    if key == "indicator" {
                        known.insert(0, "indicator");
                    }
                    format!("{key} 规则没有参数 {name:?}(可用:{})", known.join(", "))
                });
            };
            let v: f64 = value
                .parse()
                .map_err(|_| format!("参数 {name}={value:?} 不是数字"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!("参数 {name}={value} 须为非负数"));
            }
            slot.1 = v;
        }
        let get = |n: &str| {
            numbers
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| *v)
                .unwrap_or_default()
        };
        Ok(match key {
            "indicator" => {
                let indicator = indicator
                    .ok_or("indicator 规则须写 indicator=指标代码(如 pm25_annual_mean)")?;
                if get("per") <= 0.0 {
                    return Err("参数 per 须大于 0".into());
                }
                Rule::Indicator {
                    indicator,
                    per: get("per"),
                    deduct: get("deduct"),
                    floor: get("floor"),
                    improve: get("improve"),
                }
            }
            "rectification" => Rule::Rectification {
                per_overdue: get("per_overdue"),
                central: get("central"),
                provincial: get("provincial"),
                per_return: get("per_return"),
                per_recurrence: get("per_recurrence"),
            },
            "tasks" => Rule::Tasks,
            "dispatch" => Rule::Dispatch {
                per_late: get("per_late"),
                per_missing: get("per_missing"),
            },
            "complaints" => Rule::Complaints,
            "veto" => Rule::Veto,
            "emergency" => {
                let level = get("level");
                if level.fract() != 0.0 || !(1.0..=4.0).contains(&level) {
                    return Err(format!(
                        "参数 level={} 须为 1(特别重大)到 4(一般)的整数",
                        fmt_points(level)
                    ));
                }
                Rule::Emergency {
                    level: level as u8,
                    per_event: get("per_event"),
                }
            }
            _ => Rule::Manual,
        })
    }

    /// The parameters as a sheet writes them (every one, defaults included, so that an export
    /// says exactly what was applied).
    pub fn params(&self) -> String {
        let n = fmt_points;
        match self {
            Rule::Indicator {
                indicator,
                per,
                deduct,
                floor,
                improve,
            } => format!(
                "indicator={indicator};per={};deduct={};floor={};improve={}",
                n(*per),
                n(*deduct),
                n(*floor),
                n(*improve)
            ),
            Rule::Rectification {
                per_overdue,
                central,
                provincial,
                per_return,
                per_recurrence,
            } => format!(
                "per_overdue={};central={};provincial={};per_return={};per_recurrence={}",
                n(*per_overdue),
                n(*central),
                n(*provincial),
                n(*per_return),
                n(*per_recurrence)
            ),
            Rule::Dispatch {
                per_late,
                per_missing,
            } => format!("per_late={};per_missing={}", n(*per_late), n(*per_missing)),
            Rule::Emergency { level, per_event } => {
                format!("level={level};per_event={}", n(*per_event))
            }
            Rule::Tasks | Rule::Complaints | Rule::Veto | Rule::Manual => String::new(),
        }
    }
}

/// One item of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Named apart from the regulation's `Item` (项) in the OpenAPI document.
#[cfg_attr(feature = "openapi", schema(as = AssessmentItem))]
pub struct Item {
    /// The item's number within the scheme (序号), unique: `1`, `1.2`, `A3`.
    pub code: String,
    /// 项目: the category the item belongs to.
    pub category: String,
    /// 考核内容/指标.
    pub content: String,
    pub kind: ItemKind,
    /// 分值: the most the item earns (or, for a deduction, takes off); 0 for a veto.
    pub points: f64,
    pub rule: Rule,
    /// 评分标准, as published.
    pub scoring_text: String,
    /// 负责考核部门: the organisation that scores it.
    pub scorer: String,
    /// The articles it implements (第十四条, 第八条第(二)项 …).
    pub citations: Vec<String>,
}

/// One grade and the lowest total that reaches it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeBand {
    pub name: String,
    /// `None` for the lowest band, which every total reaches.
    pub min_total: Option<f64>,
}

/// How totals become grades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grading {
    /// Best first; the last band is the lowest grade, which a veto gives.
    pub bands: Vec<GradeBand>,
    /// At most this share (percent) of the units may have the best grade (e.g. 30).
    pub top_quota_percent: Option<f64>,
}

impl Default for Grading {
    /// 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60, 较差 below, at most 30 % 优秀: the most common local
    /// practice; every scheme may set its own.
    fn default() -> Grading {
        Grading {
            bands: vec![
                GradeBand {
                    name: "优秀".into(),
                    min_total: Some(90.0),
                },
                GradeBand {
                    name: "良好".into(),
                    min_total: Some(80.0),
                },
                GradeBand {
                    name: "一般".into(),
                    min_total: Some(60.0),
                },
                GradeBand {
                    name: "较差".into(),
                    min_total: None,
                },
            ],
            top_quota_percent: Some(30.0),
        }
    }
}

impl Grading {
    /// Reads grades as `优秀:90,良好:80,一般:60,较差` (the last band has no threshold).
    pub fn parse(bands: &str, quota: Option<f64>) -> Result<Grading, String> {
        let parts: Vec<&str> = bands
            .split([',', '\u{FF0C}', ';', '\u{FF1B}'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            return Err("等次至少两档,如 优秀:90,良好:80,一般:60,较差".into());
        }
        let mut out = Vec::with_capacity(parts.len());
        for (i, p) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let (name, min) = match p.split_once([':', '\u{FF1A}']) {
                Some((n, v)) => {
                    let v: f64 = v
                        .trim()
                        .parse()
                        .map_err(|_| format!("等次 {p:?} 的分数线不是数字"))?;
                    (n.trim(), v)
                }
                None if last => (p.trim(), 0.0),
                None => return Err(format!("等次 {p:?} 须写分数线,如 良好:80")),
            };
            if name.is_empty() {
                return Err(format!("等次 {p:?} 没有名称"));
            }
            out.push(GradeBand {
                name: name.to_string(),
                min_total: (!last).then_some(min),
            });
        }
        if out
            .windows(2)
            .any(|w| match (w[0].min_total, w[1].min_total) {
                (Some(a), Some(b)) => b >= a,
                _ => false,
            })
        {
            return Err("等次分数线须从高到低".into());
        }
        if let Some(q) = quota {
            if !(0.0..=100.0).contains(&q) {
                return Err(format!("优秀名额比例 {q} 须在 0 到 100 之间"));
            }
        }
        Ok(Grading {
            bands: out,
            top_quota_percent: quota,
        })
    }

    /// The grades as [`Grading::parse`] reads them.
    pub fn bands_text(&self) -> String {
        self.bands
            .iter()
            .map(|b| match b.min_total {
                Some(m) => format!("{}:{}", b.name, fmt_points(m)),
                None => b.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The index of the band a total reaches (0 is best).
    pub fn band_of(&self, total: f64) -> usize {
        self.bands
            .iter()
            .position(|b| b.min_total.is_none_or(|m| total >= m))
            .unwrap_or(self.bands.len() - 1)
    }

    pub fn lowest(&self) -> usize {
        self.bands.len() - 1
    }
}

/// A scheme: who assesses whom, for which year, by which items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scheme {
    /// The assessing region.
    pub region_code: RegionCode,
    pub year: i32,
    pub title: String,
    pub units: Vec<UnitRef>,
    pub items: Vec<Item>,
    pub grading: Grading,
    /// Days after publication within which a unit may lodge an objection (申诉).
    pub objection_days: u32,
}

impl Scheme {
    /// The points the base items add up to (usually 100).
    pub fn base_points(&self) -> f64 {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::Base)
            .map(|i| i.points)
            .sum()
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    /// Checks what a sheet cannot: units within the assessing region, at least one item.
    pub fn check(&self) -> Result<(), String> {
        if self.items.is_empty() {
            return Err("考核细则没有任何考核项目".into());
        }
        if self.units.is_empty() {
            return Err("没有被考核单位".into());
        }
        for u in &self.units {
            if let UnitRef::Region(code) = u {
                if !code.is_within(&self.region_code) || *code == self.region_code {
                    return Err(format!(
                        "被考核单位 {code} 不在考核地区 {} 之下",
                        self.region_code
                    ));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for u in &self.units {
            if !seen.insert(u) {
                return Err(format!("被考核单位 {u} 重复"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_their_parameters_with_defaults() {
        let r = Rule::parse("indicator", "indicator=pm25_annual_mean; deduct=2").unwrap();
        assert_eq!(
            r,
            Rule::Indicator {
                indicator: "pm25_annual_mean".into(),
                per: 1.0,
                deduct: 2.0,
                floor: 0.0,
                improve: 0.0
            }
        );
        assert_eq!(
            Rule::parse(r.key(), &r.params()).unwrap(),
            r,
            "params() reads back"
        );
        assert_eq!(
            Rule::parse("调度", "per_late=1，per_missing=2").unwrap(),
            Rule::Dispatch {
                per_late: 1.0,
                per_missing: 2.0
            }
        );
    }

    #[test]
    fn rules_refuse_what_they_do_not_know() {
        assert!(Rule::parse("weather", "")
            .unwrap_err()
            .contains("不是规则类型"));
        let e = Rule::parse("dispatch", "per_lat=1").unwrap_err();
        assert!(e.contains("per_lat") && e.contains("per_late"), "{e}");
        assert!(Rule::parse("indicator", "")
            .unwrap_err()
            .contains("indicator="));
        assert!(Rule::parse("tasks", "x=1")
            .unwrap_err()
            .contains("不带参数"));
        assert!(Rule::parse("dispatch", "per_late=-1")
            .unwrap_err()
            .contains("非负"));
        assert!(Rule::parse("indicator", "indicator=x;per=0")
            .unwrap_err()
            .contains("per"));
    }

    #[test]
    fn grading_reads_bands_best_first() {
        let g = Grading::parse("优秀:90,良好:80,合格:60,不合格", Some(30.0)).unwrap();
        assert_eq!(g.bands.len(), 4);
        assert_eq!(g.band_of(95.0), 0);
        assert_eq!(g.band_of(90.0), 0);
        assert_eq!(g.band_of(89.99), 1);
        assert_eq!(g.band_of(-5.0), 3);
        assert_eq!(g.bands_text(), "优秀:90,良好:80,合格:60,不合格");
        assert!(Grading::parse("优秀:80,良好:90,较差", None).is_err());
        assert!(Grading::parse("优秀", None).is_err());
        assert!(Grading::parse("优秀:90,较差", Some(120.0)).is_err());
    }
}
