//! The notification chain of an emergency: which posts, in which regions, are told by when.
//!
//! 分级负责、属地为主 (Art. 7(6)): the region where the event happens is told at once — its
//! government head, the deputy for eco-environment (who organises the response, Art. 8(6))
//! and the head of the eco-environment department. A 较大 (Ⅲ) event or worse goes to the level
//! above as well, and a 重大 (Ⅱ) or worse up to the province. A township's event is its
//! county's as well (the county-level government leads the response to a 一般 event).
//!
//! Each notice has a deadline for acknowledgement ([`AckPolicy`]); the default follows
//! 《突发环境事件信息报告办法》(环境保护部令第17号, 2011) 第三条: 一般 and 较大 events reported to
//! the level above within four hours, 重大 and 特别重大 within two (to the province); the
//! region's own leaders within the hour, as local contingency plans require of the first
//! report (初报从发现事件后起1小时内上报).

use ecoduty_regulation::Role;

use super::Level;
use crate::region::{RegionCode, RegionLevel};
use crate::supervision::keyed_enum;

keyed_enum! {
    /// Why a region is in the chain.
    Tier {
        /// 事发地: where the event happened (a township and its county).
        Local => "local", "事发地",
        /// 上一级: the level above, for 较大 events and worse.
        Upper => "upper", "上一级",
        /// 省级: the province, for 重大 events and worse.
        Province => "province", "省级",
    }
}

/// The posts told in every region of the chain, in the order they are listed.
pub const CHAIN_ROLES: [Role; 3] = [
    Role::GovernmentHead,
    Role::DeputyEco,
    Role::EcoDepartmentHead,
];

/// How long a notice may wait for its acknowledgement, by tier and grade, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AckPolicy {
    pub local_minutes: i64,
    /// For 一般 and 较大 events at the levels above.
    pub upper_minutes: i64,
    /// For 重大 and 特别重大 events at the levels above.
    pub serious_upper_minutes: i64,
}

impl Default for AckPolicy {
    fn default() -> Self {
        AckPolicy {
            local_minutes: 60,
            upper_minutes: 4 * 60,
            serious_upper_minutes: 2 * 60,
        }
    }
}

impl AckPolicy {
    pub fn minutes(&self, tier: Tier, level: Level) -> i64 {
        match tier {
            Tier::Local => self.local_minutes,
            _ if level.at_least(Level::Major) => self.serious_upper_minutes,
            _ => self.upper_minutes,
        }
    }
}

/// One region of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub tier: Tier,
    pub region: RegionCode,
    /// Minutes from the report to the acknowledgement deadline.
    pub minutes: i64,
}

/// The regions told of an event of `level` in `region`, nearest first, each once.
pub fn steps(region: &RegionCode, level: Level, policy: &AckPolicy) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    let mut push = |tier: Tier, region: RegionCode| {
        if !out.iter().any(|s| s.region == region) {
            out.push(Step {
                tier,
                minutes: policy.minutes(tier, level),
                region,
            });
        }
    };
    push(Tier::Local, region.clone());
    let home = if region.level() == RegionLevel::Township {
        match region.parent() {
            Some(county) => {
                push(Tier::Local, county.clone());
                county
            }
            None => region.clone(),
        }
    } else {
        region.clone()
    };
    if level.at_least(Level::Large) {
        if let Some(above) = home.parent() {
            push(Tier::Upper, above);
        }
    }
    if level.at_least(Level::Major) {
        let mut r = home.clone();
        while r.level() != RegionLevel::Province {
            match r.parent() {
                Some(p) => r = p,
                None => break,
            }
        }
        if r.level() == RegionLevel::Province {
            push(Tier::Province, r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> RegionCode {
        s.parse().unwrap()
    }

    fn regions(steps: &[Step]) -> Vec<(Tier, String)> {
        steps
            .iter()
            .map(|s| (s.tier, s.region.as_str().to_string()))
            .collect()
    }

    #[test]
    fn a_general_event_stays_in_its_county() {
        let s = steps(&code("410823"), Level::General, &AckPolicy::default());
        assert_eq!(regions(&s), vec![(Tier::Local, "410823".into())]);
        assert_eq!(s[0].minutes, 60);
    }

    #[test]
    fn a_large_event_goes_to_the_city_within_four_hours() {
        let s = steps(&code("410823"), Level::Large, &AckPolicy::default());
        assert_eq!(
            regions(&s),
            vec![
                (Tier::Local, "410823".into()),
                (Tier::Upper, "410800".into())
            ]
        );
        assert_eq!(s[1].minutes, 240);
    }

    #[test]
    fn a_major_event_goes_up_to_the_province_within_two_hours() {
        let s = steps(&code("410823"), Level::Major, &AckPolicy::default());
        assert_eq!(
            regions(&s),
            vec![
                (Tier::Local, "410823".into()),
                (Tier::Upper, "410800".into()),
                (Tier::Province, "410000".into())
            ]
        );
        assert_eq!(s[1].minutes, 120);
        assert_eq!(s[2].minutes, 120);
    }

    #[test]
    fn a_township_event_is_its_county_s_too() {
        let s = steps(&code("451322100"), Level::Large, &AckPolicy::default());
        assert_eq!(
            regions(&s),
            vec![
                (Tier::Local, "451322100".into()),
                (Tier::Local, "451322".into()),
                (Tier::Upper, "451300".into())
            ]
        );
    }

    #[test]
    fn a_city_event_of_grade_two_names_the_province_once() {
        let s = steps(&code("410800"), Level::Major, &AckPolicy::default());
        assert_eq!(
            regions(&s),
            vec![
                (Tier::Local, "410800".into()),
                (Tier::Upper, "410000".into())
            ]
        );
    }

    proptest! {
        /// A more serious grade never tells fewer regions, and every region is told once.
        #[test]
        fn a_graver_event_reaches_at_least_as_far(county in 1u32..99, level in 1u8..4) {
            let region = code(&format!("4108{county:02}"));
            let policy = AckPolicy::default();
            let graver = Level::from_rank(level).unwrap();
            let lighter = Level::from_rank(level + 1).unwrap();
            let g = steps(&region, graver, &policy);
            let l = steps(&region, lighter, &policy);
            for s in &l {
                prop_assert!(g.iter().any(|t| t.region == s.region));
            }
            let mut seen: Vec<_> = g.iter().map(|s| s.region.clone()).collect();
            seen.sort();
            seen.dedup();
            prop_assert_eq!(seen.len(), g.len());
            prop_assert_eq!(&g[0].region, &region);
        }
    }
}
