//! Who answers for a matter: the rule that proposes the persons of a case.
//!
//! A matter happened in a region on one or more dates (the act or the omission), and may name
//! the unit and the post that had it in hand (a finding's responsible unit and post). The posts
//! that answer for it are:
//!
//! - the region's 党委书记 and 政府主要负责人 (第一责任人, 第五条第二款);
//! - the region's deputy for eco-environment, and its other deputies and leadership members
//!   where the matter names a unit of their sector (领导责任) — the investigator removes those
//!   whose sector it is not;
//! - the head of the eco-environment department, and the heads of the unit the matter names
//!   (直接责任);
//! - the post the matter names (直接责任, whatever its role).
//!
//! A person is proposed iff they held one of those posts on one of the matter's dates, whether
//! or not they hold it today (终身追责): those who have left are marked so. A person is
//! proposed once, however many answering posts they held (a 县委书记 who is also the 县长's
//! predecessor, a deputy holding two portfolios): the case decides about a person, not a post.
//! Their heaviest post leads and the others travel with it ([`Proposal::also`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ecoduty_regulation::Role;

use super::{degree_of, Degree};

/// A post of the matter's region, as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatePost {
    pub post_id: i64,
    pub organisation_id: i64,
    pub role: Role,
    /// Whether the organisation is the region's eco-environment department.
    pub eco_department: bool,
}

/// A tenure of one of those posts (end exclusive, as tenures are stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub tenure_id: i64,
    pub person_id: i64,
    pub post_id: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Holding {
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day < e)
    }
}

/// The matter: where, when, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matter {
    pub dates: Vec<NaiveDate>,
    /// The units that had it in hand, where the matter names them.
    pub organisations: Vec<i64>,
    /// The posts that had it in hand, where the matter names them.
    pub posts: Vec<i64>,
}

/// One answering post a proposed person held on the matter's dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedPost {
    pub post_id: i64,
    pub tenure_id: i64,
    pub degree: Degree,
    /// The matter's dates on which they held the post.
    pub dates: Vec<NaiveDate>,
    /// Whether the tenure has ended by `today` (调离、提拔或者退休).
    pub left: bool,
}

/// One proposed person: the fields are their leading post's (the heaviest degree, then the
/// lowest post id), and `also` holds their other answering posts, in the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub person_id: i64,
    pub post_id: i64,
    pub tenure_id: i64,
    pub degree: Degree,
    /// The matter's dates on which they held the post.
    pub dates: Vec<NaiveDate>,
    /// Whether the tenure has ended by `today` (调离、提拔或者退休).
    pub left: bool,
    /// Their other answering posts on the matter's dates.
    pub also: Vec<ProposedPost>,
}

/// Whether a post answers for the matter, and with which degree.
pub fn answers(post: &CandidatePost, matter: &Matter) -> Option<Degree> {
    if matter.posts.contains(&post.post_id) {
        return Some(Degree::Direct);
    }
    let of_named_unit = matter.organisations.contains(&post.organisation_id);
    let sector_named = !matter.organisations.is_empty();
    let answers = match post.role {
        Role::PartySecretary | Role::GovernmentHead | Role::DeputyEco => true,
        Role::DeputySector | Role::LeadershipMember => sector_named,
        Role::EcoDepartmentHead => post.eco_department || of_named_unit,
        Role::SectorDepartmentHead => of_named_unit,
    };
    answers.then(|| degree_of(post.role, false))
}

/// The persons the matter's posts had on its dates, one proposal per person (see
/// [`Proposal`]), ordered by degree (第一责任人 first), then post, then the earliest date.
pub fn propose(
    posts: &[CandidatePost],
    holdings: &[Holding],
    matter: &Matter,
    today: NaiveDate,
) -> Vec<Proposal> {
    let answering: BTreeMap<i64, Degree> = posts
        .iter()
        .filter_map(|p| answers(p, matter).map(|d| (p.post_id, d)))
        .collect();
    let mut out: BTreeMap<(i64, i64), ProposedPost> = BTreeMap::new();
    for h in holdings {
        let Some(&degree) = answering.get(&h.post_id) else {
            continue;
        };
        let dates: Vec<NaiveDate> = matter
            .dates
            .iter()
            .copied()
            .filter(|d| h.held_on(*d))
            .collect();
        if dates.is_empty() {
            continue;
        }
        let left = h.end.is_some_and(|e| e <= today);
        out.entry((h.person_id, h.post_id))
            .and_modify(|p| {
                p.dates.extend(dates.iter().copied());
                p.dates.sort();
                p.dates.dedup();
                // The latest tenure says whether they are still there.
                if h.start > holding_start(holdings, p.tenure_id) {
                    p.tenure_id = h.tenure_id;
                    p.left = left;
                }
            })
            .or_insert(ProposedPost {
                post_id: h.post_id,
                tenure_id: h.tenure_id,
                degree,
                dates,
                left,
            });
    }
    let mut by_person: BTreeMap<i64, Vec<ProposedPost>> = BTreeMap::new();
    for ((person_id, _), post) in out {
        by_person.entry(person_id).or_default().push(post);
    }
    let mut list: Vec<Proposal> = by_person
        .into_iter()
        .map(|(person_id, mut posts)| {
            posts.sort_by_key(|p| (degree_rank(p.degree), p.post_id));
            let lead = posts.remove(0);
            Proposal {
                person_id,
                post_id: lead.post_id,
                tenure_id: lead.tenure_id,
                degree: lead.degree,
                dates: lead.dates,
                left: lead.left,
                also: posts,
            }
        })
        .collect();
    list.sort_by_key(|p| {
        (
            degree_rank(p.degree),
            p.post_id,
            p.dates.first().copied(),
            p.person_id,
        )
    });
    list
}

fn holding_start(holdings: &[Holding], tenure_id: i64) -> NaiveDate {
    holdings
        .iter()
        .find(|h| h.tenure_id == tenure_id)
        .map(|h| h.start)
        .unwrap_or(NaiveDate::MIN)
}

fn degree_rank(d: Degree) -> u8 {
    match d {
        Degree::FirstResponsible => 0,
        Degree::Leadership => 1,
        Degree::Direct => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn post(post_id: i64, organisation_id: i64, role: Role, eco: bool) -> CandidatePost {
        CandidatePost {
            post_id,
            organisation_id,
            role,
            eco_department: eco,
        }
    }

    #[test]
    fn the_holders_on_the_date_are_proposed_and_those_who_left_are_marked() {
        // A county: party secretary (post 1), government head (2), deputy for eco (3), a
        // deputy for another sector (4), the eco department head (5), the housing bureau head
        // (6) with a section chief post (7) that the finding names.
        let posts = vec![
            post(1, 10, Role::PartySecretary, false),
            post(2, 11, Role::GovernmentHead, false),
            post(3, 11, Role::DeputyEco, false),
            post(4, 11, Role::DeputySector, false),
            post(5, 12, Role::EcoDepartmentHead, true),
            post(6, 13, Role::SectorDepartmentHead, false),
            post(7, 13, Role::LeadershipMember, false),
        ];
        let holdings = vec![
            // The government head changed on 2026-05-01: the old one moved on.
            Holding {
                tenure_id: 20,
                person_id: 100,
                post_id: 2,
                start: d("2021-06-01"),
                end: Some(d("2026-05-01")),
            },
            Holding {
                tenure_id: 21,
                person_id: 101,
                post_id: 2,
                start: d("2026-05-01"),
                end: None,
            },
            Holding {
                tenure_id: 22,
                person_id: 102,
                post_id: 1,
                start: d("2022-01-01"),
                end: None,
            },
            Holding {
                tenure_id: 23,
                person_id: 103,
                post_id: 3,
                start: d("2020-01-01"),
                end: None,
            },
            Holding {
                tenure_id: 24,
                person_id: 104,
                post_id: 5,
                start: d("2020-01-01"),
                end: None,
            },
            Holding {
                tenure_id: 25,
                person_id: 105,
                post_id: 6,
                start: d("2020-01-01"),
                end: None,
            },
            Holding {
                tenure_id: 26,
                person_id: 106,
                post_id: 7,
                start: d("2020-01-01"),
                end: None,
            },
            Holding {
                tenure_id: 27,
                person_id: 107,
                post_id: 4,
                start: d("2020-01-01"),
                end: None,
            },
        ];
        let matter = Matter {
            dates: vec![d("2026-04-08")],
            organisations: vec![13],
            posts: vec![7],
        };
        let got = propose(&posts, &holdings, &matter, d("2026-12-07"));
        let people: Vec<(i64, Degree, bool)> = got
            .iter()
            .map(|p| (p.person_id, p.degree, p.left))
            .collect();
        assert_eq!(
            people,
            vec![
                (102, Degree::FirstResponsible, false),
                (100, Degree::FirstResponsible, true),
                (103, Degree::Leadership, false),
                (107, Degree::Leadership, false),
                (104, Degree::Direct, false),
                (105, Degree::Direct, false),
                (106, Degree::Direct, false),
            ]
        );
        // Without a named unit, the sector's deputy and heads do not answer.
        let matter = Matter {
            dates: vec![d("2026-06-01")],
            organisations: vec![],
            posts: vec![],
        };
        let got: Vec<i64> = propose(&posts, &holdings, &matter, d("2026-12-07"))
            .iter()
            .map(|p| p.person_id)
            .collect();
        assert_eq!(got, vec![102, 101, 103, 104]);
    }

    #[test]
    fn two_dates_in_two_tenures_propose_both_holders() {
        let posts = vec![post(2, 11, Role::GovernmentHead, false)];
        let holdings = vec![
            Holding {
                tenure_id: 1,
                person_id: 100,
                post_id: 2,
                start: d("2021-06-01"),
                end: Some(d("2026-05-01")),
            },
            Holding {
                tenure_id: 2,
                person_id: 101,
                post_id: 2,
                start: d("2026-05-01"),
                end: None,
            },
        ];
        let matter = Matter {
            dates: vec![d("2026-04-30"), d("2026-05-01")],
            organisations: vec![],
            posts: vec![],
        };
        let got = propose(&posts, &holdings, &matter, d("2026-12-07"));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].dates, vec![d("2026-04-30")]);
        assert_eq!(got[1].dates, vec![d("2026-05-01")]);
    }

    #[test]
    fn a_person_on_two_answering_posts_is_proposed_once_under_the_heavier() {
        // Person 100 was the deputy for eco (post 3) and then the government head (post 2);
        // the matter's two dates fall one in each tenure.
        let posts = vec![
            post(2, 11, Role::GovernmentHead, false),
            post(3, 11, Role::DeputyEco, false),
        ];
        let holdings = vec![
            Holding {
                tenure_id: 1,
                person_id: 100,
                post_id: 3,
                start: d("2022-01-01"),
                end: Some(d("2025-03-01")),
            },
            Holding {
                tenure_id: 2,
                person_id: 100,
                post_id: 2,
                start: d("2025-03-01"),
                end: None,
            },
        ];
        let matter = Matter {
            dates: vec![d("2025-01-10"), d("2025-06-10")],
            organisations: vec![],
            posts: vec![],
        };
        let got = propose(&posts, &holdings, &matter, d("2026-12-07"));
        assert_eq!(got.len(), 1);
        let p = &got[0];
        assert_eq!(
            (p.post_id, p.degree, p.left),
            (2, Degree::FirstResponsible, false)
        );
        assert_eq!(p.dates, vec![d("2025-06-10")]);
        assert_eq!(p.also.len(), 1);
        assert_eq!(p.also[0].post_id, 3);
        assert_eq!(p.also[0].degree, Degree::Leadership);
        assert_eq!(p.also[0].dates, vec![d("2025-01-10")]);
        assert!(p.also[0].left);
    }

    fn roles() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// A person is proposed iff they held an answering post on a date of the matter.
        #[test]
        fn proposed_iff_held_an_answering_post_on_a_date(
            post_roles in prop::collection::vec((roles(), 0i64..4, any::<bool>()), 1..8),
            spans in prop::collection::vec((0usize..8, 0i64..6, 0i64..400, prop::option::of(1i64..400)), 0..16),
            dates in prop::collection::vec(0i64..500, 1..4),
            named_org in prop::option::of(0i64..4),
            named_post in prop::option::of(0usize..8),
        ) {
            let base = d("2025-01-01");
            let posts: Vec<CandidatePost> = post_roles
                .iter()
                .enumerate()
                .map(|(i, (role, org, eco))| post(i as i64, *org, *role, *eco))
                .collect();
            let holdings: Vec<Holding> = spans
                .iter()
                .enumerate()
                .map(|(i, (p, person, start, len))| {
                    let start = base + chrono::Duration::days(*start);
                    Holding {
                        tenure_id: i as i64,
                        person_id: *person,
                        post_id: (*p % posts.len()) as i64,
                        start,
                        end: len.map(|l| start + chrono::Duration::days(l)),
                    }
                })
                .collect();
            let matter = Matter {
                dates: dates.iter().map(|x| base + chrono::Duration::days(*x)).collect(),
                organisations: named_org.into_iter().collect(),
                posts: named_post.map(|p| (p % posts.len()) as i64).into_iter().collect(),
            };
            let got = propose(&posts, &holdings, &matter, base + chrono::Duration::days(450));
            for person in 0i64..6 {
                let expected = holdings.iter().any(|h| {
                    h.person_id == person
                        && posts.iter().any(|p| p.post_id == h.post_id && answers(p, &matter).is_some())
                        && matter.dates.iter().any(|x| h.held_on(*x))
                });
                let proposed = got.iter().any(|p| p.person_id == person);
                prop_assert_eq!(expected, proposed, "person {}", person);
            }
            let mut seen = std::collections::BTreeSet::new();
            for p in &got {
                prop_assert!(seen.insert(p.person_id), "person {} proposed twice", p.person_id);
                prop_assert!(!p.dates.is_empty());
                prop_assert!(p.dates.iter().all(|x| matter.dates.contains(x)));
                // The leading post is the heaviest, and every post answers on a date held.
                for other in &p.also {
                    prop_assert!(degree_rank(p.degree) <= degree_rank(other.degree));
                    prop_assert!(other.post_id != p.post_id);
                    prop_assert!(!other.dates.is_empty());
                }
            }
        }
    }
}
