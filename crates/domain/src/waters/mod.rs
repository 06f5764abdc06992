//! Rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5): what a water body, a
//! segment (河段), a forest area (林区), a chief post and a patrol (巡河 / 巡林) are, and the
//! rules on them that need no database: segments ordered from source to mouth, target classes
//! Ⅰ–Ⅴ, the chief kinds and levels, typed patrol problems and the finding category each
//! becomes, the GPS track (GeoJSON LineString, validated and bounded), and the required patrol
//! frequency per level with the count of patrols a chief owes in a period.
//!
//! The store keeps these records versioned and ledgered (crates/store/src/waters.rs); a chief
//! post is an ordinary post with ordinary tenures, tied here to its waters or forest areas.

pub mod frequency;
pub mod sheet;
pub mod track;

use serde::{Deserialize, Serialize};

use crate::supervision::Category;
use crate::RegionCode;

crate::supervision::keyed_enum! {
    /// What kind of water body.
    WaterKind {
        River => "river", "河流",
        Lake => "lake", "湖泊",
        Reservoir => "reservoir", "水库",
    }
}

crate::supervision::keyed_enum! {
    /// What a chief post answers for.
    ChiefKind {
        /// 总河长: all the rivers and lakes of a region.
        GeneralRiver => "general_river", "总河长",
        River => "river", "河长",
        Lake => "lake", "湖长",
        /// 总林长: all the forests of a region.
        GeneralForest => "general_forest", "总林长",
        Forest => "forest", "林长",
    }
}

crate::supervision::keyed_enum! {
    /// The level a chief sits at (村级 is below the regions the system keeps: a village chief's
    /// region is its township).
    ChiefLevel {
        Province => "province", "省级",
        City => "city", "市级",
        County => "county", "县级",
        Township => "township", "乡级",
        Village => "village", "村级",
    }
}

crate::supervision::keyed_enum! {
    /// A problem a patrol finds.
    ProblemKind {
        FloatingDebris => "floating_debris", "漂浮物",
        Outfall => "outfall", "排污口",
        IllegalSandMining => "illegal_sand_mining", "违法采砂",
        IllegalOccupation => "illegal_occupation", "乱占乱建",
        Dumping => "dumping", "乱堆乱放",
        IllegalLogging => "illegal_logging", "滥伐",
        Deforestation => "deforestation", "毁林开垦",
        FireHazard => "fire_hazard", "森林火险隐患",
        Pests => "pests", "林业有害生物",
        Other => "other", "其他",
    }
}

impl ChiefKind {
    /// Whether the post answers for forest areas (else for waters).
    pub fn is_forest(self) -> bool {
        matches!(self, ChiefKind::GeneralForest | ChiefKind::Forest)
    }

    /// Whether the post answers for everything of its kind in its region.
    pub fn is_general(self) -> bool {
        matches!(self, ChiefKind::GeneralRiver | ChiefKind::GeneralForest)
    }

    pub fn name_en(self) -> &'static str {
        match self {
            ChiefKind::GeneralRiver => "general river chief",
            ChiefKind::River => "river chief",
            ChiefKind::Lake => "lake chief",
            ChiefKind::GeneralForest => "general forest chief",
            ChiefKind::Forest => "forest chief",
        }
    }
}

impl ChiefLevel {
    /// The level of the region a chief of this level belongs to: 6 digits for province to
    /// county, 9 for township and village.
    pub fn fits(self, region: &RegionCode) -> bool {
        use crate::RegionLevel as L;
        matches!(
            (self, region.level()),
            (ChiefLevel::Province, L::Province)
                | (ChiefLevel::City, L::Prefecture)
                | (ChiefLevel::County, L::County)
                | (ChiefLevel::Township, L::Township)
                | (ChiefLevel::Village, L::Township)
        )
    }
}

impl ProblemKind {
    /// The category of the finding the problem becomes.
    pub fn category(self) -> Category {
        match self {
            ProblemKind::FloatingDebris | ProblemKind::Outfall => Category::Water,
            ProblemKind::Dumping => Category::SolidWaste,
            ProblemKind::Other => Category::Other,
            _ => Category::Ecology,
        }
    }

    /// Whether the problem is found on a patrol of a forest (else of a water).
    pub fn on_forest(self) -> Option<bool> {
        match self {
            ProblemKind::IllegalLogging
            | ProblemKind::Deforestation
            | ProblemKind::FireHazard
            | ProblemKind::Pests => Some(true),
            ProblemKind::FloatingDebris | ProblemKind::Outfall | ProblemKind::IllegalSandMining => {
                Some(false)
            }
            _ => None,
        }
    }
}

/// A target class, Ⅰ–Ⅴ (GB 3838-2002): 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct TargetClass(u8);

impl TargetClass {
    pub fn new(n: u8) -> Result<TargetClass, String> {
        if (1..=5).contains(&n) {
            Ok(TargetClass(n))
        } else {
            Err(format!("target class {n}: expected 1–5 (Ⅰ–Ⅴ)"))
        }
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn label_zh(self) -> &'static str {
        ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类"][usize::from(self.0 - 1)]
    }

    /// Reads `3`, `III`, `Ⅲ` or `Ⅲ类`.
    pub fn parse(text: &str) -> Result<TargetClass, String> {
        let t = text.trim().trim_end_matches('类');
        let n = match t {
            "1" | "I" | "Ⅰ" => 1,
            "2" | "II" | "Ⅱ" => 2,
            "3" | "III" | "Ⅲ" => 3,
            "4" | "IV" | "Ⅳ" => 4,
            "5" | "V" | "Ⅴ" => 5,
            _ => return Err(format!("target class {text:?}: expected Ⅰ–Ⅴ (1–5)")),
        };
        Ok(TargetClass(n))
    }
}

impl TryFrom<u8> for TargetClass {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        TargetClass::new(n)
    }
}

impl From<TargetClass> for u8 {
    fn from(c: TargetClass) -> u8 {
        c.0
    }
}

/// A segment (河段) of a water body: one region's stretch, numbered from the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentSpec {
    /// Unique across all waters (e.g. `QINHE-410882`).
    pub code: String,
    pub name: String,
    pub region_code: RegionCode,
    /// 1 at the source, increasing towards the mouth.
    pub seq: u32,
    /// The water-quality sections (by their name in the water module) monitoring it.
    pub sections: Vec<String>,
    pub target_class: TargetClass,
    /// Length in kilometres, as published (text, kept as given).
    #[serde(default)]
    pub length_km: Option<String>,
}

/// A river, lake or reservoir with its segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaterSpec {
    pub code: String,
    pub name: String,
    pub kind: WaterKind,
    pub segments: Vec<SegmentSpec>,
}

/// Upper-case letters, digits and `-`, 2–40 characters.
pub fn check_code(code: &str) -> Result<(), String> {
    let ok = (2..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "code {code:?}: expected 2–40 upper-case letters, digits or '-'"
        ))
    }
}

impl WaterSpec {
    /// Checks the water: a code, a name, at least one segment; segment codes unique and valid,
    /// their numbers strictly increasing from the source, each with a name and with sections
    /// named at most once. The error names the field.
    pub fn validate(&self) -> Result<(), (String, String)> {
        check_code(&self.code).map_err(|m| ("code".to_string(), m))?;
        if self.name.trim().is_empty() {
            return Err(("name".into(), "the name is empty".into()));
        }
        if self.segments.is_empty() {
            return Err((
                "segments".into(),
                "a water needs at least one segment".into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut last = 0;
        for (i, s) in self.segments.iter().enumerate() {
            let f = |name: &str| format!("segments[{i}].{name}");
            check_code(&s.code).map_err(|m| (f("code"), m))?;
            if !seen.insert(s.code.as_str()) {
                return Err((f("code"), format!("segment {} is given twice", s.code)));
            }
            if s.name.trim().is_empty() {
                return Err((f("name"), "the name is empty".into()));
            }
            if s.seq <= last {
                return Err((
                    f("seq"),
                    format!(
                        "segment {} has number {} after {last}: segments run from source to mouth in increasing numbers",
                        s.code, s.seq
                    ),
                ));
            }
            last = s.seq;
            let mut names = std::collections::BTreeSet::new();
            for n in &s.sections {
                if n.trim().is_empty() || !names.insert(n.trim()) {
                    return Err((
                        f("sections"),
                        format!("section {n:?} is empty or named twice"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A forest area (林区) in one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForestSpec {
    pub code: String,
    pub name: String,
    pub region_code: RegionCode,
    /// Area in hectares, as published (text, kept as given).
    #[serde(default)]
    pub hectares: Option<String>,
}

impl ForestSpec {
    pub fn validate(&self) -> Result<(), (String, String)> {
        check_code(&self.code).map_err(|m| ("code".to_string(), m))?;
        if self.name.trim().is_empty() {
            return Err(("name".into(), "the name is empty".into()));
        }
        Ok(())
    }
}

/// What makes a post a chief post: its kind, level and region, and what it answers for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChiefSpec {
    /// The ordinary post (held through ordinary tenures).
    pub post_id: i64,
    pub kind: ChiefKind,
    pub level: ChiefLevel,
    pub region_code: RegionCode,
    /// Segment codes (for 河长 / 湖长; a 总河长 answers for every segment of the region).
    #[serde(default)]
    pub segments: Vec<String>,
    /// Forest-area codes (for 林长; a 总林长 answers for every forest area of the region).
    #[serde(default)]
    pub forests: Vec<String>,
}

impl ChiefSpec {
    /// Checks the shape: the level fits the region; a river or lake chief names segments and
    /// no forest, a forest chief forest areas and no segment, a general chief neither.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if !self.level.fits(&self.region_code) {
            return Err((
                "level".into(),
                format!(
                    "a {} chief cannot sit in region {} ({})",
                    self.level.name_zh(),
                    self.region_code,
                    self.region_code.level().name_zh()
                ),
            ));
        }
        let kind = self.kind.name_zh();
        if self.kind.is_general() {
            if !self.segments.is_empty() || !self.forests.is_empty() {
                return Err((
                    "segments".into(),
                    format!("a {kind} answers for the whole region: name no segment or forest"),
                ));
            }
        } else if self.kind.is_forest() {
            if self.forests.is_empty() || !self.segments.is_empty() {
                return Err((
                    "forests".into(),
                    format!("a {kind} names one or more forest areas and no segment"),
                ));
            }
        } else if self.segments.is_empty() || !self.forests.is_empty() {
            return Err((
                "segments".into(),
                format!("a {kind} names one or more segments and no forest area"),
            ));
        }
        Ok(())
    }
}

/// What a patrol went along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PatrolTarget {
    Segment(String),
    Forest(String),
}

impl PatrolTarget {
    pub fn code(&self) -> &str {
        match self {
            PatrolTarget::Segment(c) | PatrolTarget::Forest(c) => c,
        }
    }
}

/// The source 《关于全面推行河长制的意见》's tasks are cited from.
pub const RIVER_CHIEF_TASKS_SOURCE: &str =
    "《关于全面推行河长制的意见》(厅字〔2016〕42号)二、主要任务";

const RIVER_CHIEF_TASKS: &str = include_str!("../../data/waters/river_chief_tasks.csv");

/// The six main tasks of river chiefs (河长), in order, as `(citation, text)`: the citation
/// names the opinion's part and the task's number; the data file says where the text is from.
pub fn river_chief_tasks() -> Vec<(String, String)> {
    RIVER_CHIEF_TASKS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (n, text) = l.split_once(',').expect("number,text");
            (
                format!("{RIVER_CHIEF_TASKS_SOURCE}第{n}项"),
                text.trim().to_string(),
            )
        })
        .collect()
}

/// The longest a patrol may last (a day) and the longest it may go (200 km).
pub const MAX_MINUTES: u32 = 24 * 60;
pub const MAX_METRES: u32 = 200_000;

/// Checks a patrol's duration and length.
pub fn check_effort(minutes: u32, metres: u32) -> Result<(), (String, String)> {
    if minutes == 0 || minutes > MAX_MINUTES {
        return Err((
            "minutes".into(),
            format!("duration {minutes} min: expected 1–{MAX_MINUTES}"),
        ));
    }
    if metres > MAX_METRES {
        return Err((
            "metres".into(),
            format!("length {metres} m: expected at most {MAX_METRES}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(code: &str, seq: u32) -> SegmentSpec {
        SegmentSpec {
            code: code.into(),
            name: format!("{code}段"),
            region_code: RegionCode::parse("410882").unwrap(),
            seq,
            sections: vec!["沁河五龙口".into()],
            target_class: TargetClass::new(3).unwrap(),
            length_km: None,
        }
    }

    #[test]
    fn segments_run_from_source_to_mouth() {
        let mut w = WaterSpec {
            code: "QINHE".into(),
            name: "沁河".into(),
            kind: WaterKind::River,
            segments: vec![seg("QINHE-1", 1), seg("QINHE-2", 2)],
        };
        assert!(w.validate().is_ok());
        w.segments[1].seq = 1;
        let (field, msg) = w.validate().unwrap_err();
        assert_eq!(field, "segments[1].seq");
        assert!(msg.contains("source to mouth"), "{msg}");
        w.segments[1] = seg("QINHE-1", 3);
        assert_eq!(w.validate().unwrap_err().0, "segments[1].code");
        w.segments.clear();
        assert_eq!(w.validate().unwrap_err().0, "segments");
    }

    #[test]
    fn target_classes_read_every_notation() {
        for t in ["3", "III", "Ⅲ", "Ⅲ类"] {
            assert_eq!(TargetClass::parse(t).unwrap().number(), 3);
        }
        assert!(TargetClass::parse("劣Ⅴ").is_err());
        assert!(TargetClass::new(6).is_err());
        assert_eq!(TargetClass::new(2).unwrap().label_zh(), "Ⅱ类");
    }

    #[test]
    fn chiefs_fit_their_level_and_what_they_answer_for() {
        let county = RegionCode::parse("410882").unwrap();
        let mut c = ChiefSpec {
            post_id: 1,
            kind: ChiefKind::River,
            level: ChiefLevel::County,
            region_code: county.clone(),
            segments: vec!["QINHE-410882".into()],
            forests: vec![],
        };
        assert!(c.validate().is_ok());
        c.level = ChiefLevel::City;
        assert_eq!(c.validate().unwrap_err().0, "level");
        c.level = ChiefLevel::County;
        c.kind = ChiefKind::Forest;
        assert_eq!(c.validate().unwrap_err().0, "forests");
        c.kind = ChiefKind::GeneralRiver;
        assert_eq!(c.validate().unwrap_err().0, "segments");
        c.segments.clear();
        assert!(c.validate().is_ok());
    }

    #[test]
    fn the_six_tasks_are_read_with_their_source() {
        let t = river_chief_tasks();
        assert_eq!(t.len(), 6);
        assert_eq!(t[0].1, "加强水资源保护");
        assert_eq!(t[5].1, "加强执法监管");
        assert!(t[2].0.contains("厅字〔2016〕42号") && t[2].0.ends_with("第3项"));
    }

    #[test]
    fn problems_become_findings_of_their_category() {
        assert_eq!(ProblemKind::Outfall.category(), Category::Water);
        assert_eq!(ProblemKind::IllegalLogging.category(), Category::Ecology);
        assert_eq!(
            "违法采砂".parse::<ProblemKind>().unwrap(),
            ProblemKind::IllegalSandMining
        );
        assert!(check_effort(0, 10).is_err());
        assert!(check_effort(60, MAX_METRES + 1).is_err());
        assert!(check_effort(60, 3_000).is_ok());
    }
}
