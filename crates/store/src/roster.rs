//! Roster import and export: many tenures at once, with the organisations, posts and people
//! they name.
//!
//! An import is all or nothing. Every row is matched against what is stored — organisations
//! by region and name, posts by organisation and title, people by key (or by name when the file
//! has no key) — and every problem is collected, each naming its line and field, before
//! anything is written. One bad row and the transaction is dropped: nothing changes.
//! Importing the same file twice changes nothing the second time.
//!
//! A new tenure that appoints someone, inside an influence period (影响期) of an accountability
//! decision, to a post ranked above the one they held the day before (or, holding none, above
//! the post the case named) is imported with a warning naming the decision — a warning, not a
//! refusal: the organisation decides, and the import records that it was told. Ranks are
//! `ecoduty_domain::accountability::post_rank` (region level and post type).

use std::borrow::Cow;
use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};

use ecoduty_domain::roster::{RosterErrors, RosterRow, RowError};
use ecoduty_domain::tenure::{find_overlaps, TenureSpan};
use ecoduty_domain::{OrganisationKind, RegionCode, Role};
use serde::Serialize;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::ledger::{to_json, Entry, Writer};
use crate::organisations::Organisation;
use crate::people::{default_key, Person};
use crate::posts::Post;
use crate::tenures::Tenure;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// The import's lookups hash every row's names several times; foldhash (hashbrown's own
/// default) does that several times faster than SipHash, and the keys come from the user's own
/// file, so flooding resistance buys nothing here.
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = StdHashSet<K, foldhash::fast::RandomState>;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub rows: usize,
    pub organisations_created: usize,
    pub posts_created: usize,
    pub posts_updated: usize,
    pub people_created: usize,
    pub tenures_created: usize,
    pub tenures_updated: usize,
    pub tenures_unchanged: usize,
    /// The ledger entry that records the import as a whole (`None` when nothing changed).
    pub ledger_seq: Option<i64>,
    /// Appointments to a higher post inside an influence period (影响期), each naming the
    /// decision. The import goes ahead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<RosterWarning>,
}

/// An appointment inside an influence period to a post ranked above the one held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterWarning {
    pub line: usize,
    pub person_id: i64,
    pub person: String,
    pub case_id: i64,
    /// The decision's number (文号) and body.
    pub decision_no: String,
    pub decision_body: String,
    pub effective_on: chrono::NaiveDate,
    /// The last day of the influence period.
    pub until: chrono::NaiveDate,
    /// What the warning says, in Chinese, naming the decision and the ranks compared.
    pub message: String,
}

/// An influence period of a decided case, as the roster's check needs it.
struct Influence {
    case_id: i64,
    decision_no: String,
    decision_body: String,
    effective_on: chrono::NaiveDate,
    until: chrono::NaiveDate,
    /// The rank of the post the case named.
    case_rank: u8,
}

/// The influence periods of decided cases, by person.
async fn influences(w: &mut Writer) -> StoreResult<HashMap<i64, Vec<Influence>>> {
    use ecoduty_domain::accountability::{post_rank, CaseStatus};
    let rows = sqlx::query("SELECT case_id, status, data FROM accountability_case_current")
        .fetch_all(w.conn())
        .await?;
    let mut out: HashMap<i64, Vec<Influence>> = HashMap::default();
    for r in &rows {
        let status: String = r.try_get("status")?;
        if status == CaseStatus::Dismissed.key() {
            continue;
        }
        let data: crate::accountability::CaseData =
            crate::supervision::parse_json(&r.try_get::<String, _>("data")?)?;
        let Some(d) = &data.decision else { continue };
        for p in &data.persons {
            let Some(until) = p.outcome.as_ref().and_then(|o| o.no_promotion_until) else {
                continue;
            };
            out.entry(p.person_id).or_default().push(Influence {
                case_id: r.try_get("case_id")?,
                decision_no: d.document_no.clone(),
                decision_body: d.body.clone(),
                effective_on: d.effective_on,
                until,
                case_rank: post_rank(p.region_code.level(), p.role),
            });
        }
    }
    Ok(out)
}

/// The highest rank among the posts a person held on `day` (stored tenures).
async fn rank_held(
    w: &mut Writer,
    person_id: i64,
    day: chrono::NaiveDate,
) -> StoreResult<Option<u8>> {
    let rows = sqlx::query(
        "SELECT p.role, o.region_code FROM tenure_current t \
         JOIN post_current p ON p.post_id = t.post_id \
         JOIN organisation_current o ON o.organisation_id = p.organisation_id \
         WHERE t.person_id = $1 AND t.retracted = 0 AND t.start_date <= $2 \
           AND (t.end_date IS NULL OR t.end_date > $2)",
    )
    .bind(person_id)
    .bind(day.to_string())
    .fetch_all(w.conn())
    .await?;
    let mut best = None;
    for r in &rows {
        let role: Role = r.try_get::<String, _>("role")?.parse().map_err(
            |e: ecoduty_regulation::roles::UnknownRole| StoreError::Corrupt(e.to_string()),
        )?;
        let code = RegionCode::parse(&r.try_get::<String, _>("region_code")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let rank = ecoduty_domain::accountability::post_rank(code.level(), role);
        best = best.max(Some(rank));
    }
    Ok(best)
}

/// Where a roster file came from, for the ledger.
#[derive(Debug, Clone, Serialize)]
pub struct RosterSource {
    pub file_name: String,
    pub sha256: String,
}

async fn load_all<T: Versioned>(w: &mut Writer) -> StoreResult<Vec<T>> {
    let sql = format!("SELECT {} FROM {}", T::column_list(), T::CURRENT);
    let rows = sqlx::query(&sql).fetch_all(w.conn()).await?;
    rows.iter().map(T::from_row).collect()
}

/// What matching a row needs of an organisation.
#[derive(Clone, Copy)]
struct OrgRef {
    id: i64,
    kind: OrganisationKind,
}

impl OrgRef {
    fn of(o: &Organisation) -> OrgRef {
        OrgRef {
            id: o.id,
            kind: o.kind,
        }
    }
}

/// What matching a row needs of a person.
struct PersonRef<'a> {
    id: i64,
    name: &'a str,
}

impl PersonRef<'_> {
    fn of(p: &Person) -> PersonRef<'_> {
        PersonRef {
            id: p.id,
            name: &p.name,
        }
    }
}

struct Errors(Vec<RowError>);

impl Errors {
    fn push(&mut self, line: usize, field: &str, message: String) {
        self.0.push(RowError {
            line,
            field: field.to_string(),
            message,
        });
    }
}

/// The smallest region whose subtree holds every row's region (`None` when they span provinces).
fn common_region(rows: &[RosterRow]) -> Option<RegionCode> {
    let mut candidate = rows.first()?.region_code.clone();
    while !rows.iter().all(|r| r.region_code.is_within(&candidate)) {
        candidate = candidate.parent()?;
    }
    Some(candidate)
}

impl Store {
    /// Imports validated roster rows (see `ecoduty_domain::roster::parse_roster`).
    pub async fn import_roster(
        &self,
        change: &Change,
        rows: &[RosterRow],
        source: &RosterSource,
    ) -> StoreResult<ImportSummary> {
        let phases = crate::phases::Phases::start("roster import");
        let mut w = Writer::begin(self, change).await?;
        let mut errors = Errors(Vec::new());
        let mut summary = ImportSummary {
            rows: rows.len(),
            ..Default::default()
        };

        // Regions must exist.
        let codes: HashSet<String> = sqlx::query("SELECT code FROM regions")
            .fetch_all(w.conn())
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        for row in rows {
            if !codes.contains(row.region_code.as_str()) {
                errors.push(
                    row.line,
                    "region_code",
                    format!("unknown region {}", row.region_code),
                );
            }
        }

        // The lookups below are keyed by names borrowed from the stored records and from the
        // rows, not by copies: on a national roster that is millions of allocations fewer.

        // Organisations by (region, name); new ones take their flags from the roles in them.
        let stored_orgs: Vec<Organisation> = load_all::<Organisation>(&mut w)
            .await?
            .into_iter()
            .filter(|o| !o.retired)
            .collect();
        let mut orgs: HashMap<(&str, &str), OrgRef> = stored_orgs
            .iter()
            .map(|o| ((o.region_code.as_str(), o.name.as_str()), OrgRef::of(o)))
            .collect();
        let mut next_org = versioned::next_id::<Organisation>(w.conn()).await?;
        let mut new_orgs: Vec<Organisation> = Vec::new();
        let mut org_of_row: Vec<i64> = Vec::with_capacity(rows.len());
        for row in rows {
            let key = (row.region_code.as_str(), row.organisation.as_str());
            let org = *orgs.entry(key).or_insert_with(|| {
                let o = Organisation {
                    id: next_org,
                    rev: 1,
                    region_code: row.region_code.clone(),
                    name: row.organisation.clone(),
                    kind: row.organisation_kind,
                    eco_department: false,
                    eco_duties: false,
                    retired: false,
                };
                next_org += 1;
                let r = OrgRef::of(&o);
                new_orgs.push(o);
                r
            });
            org_of_row.push(org.id);
            if org.kind != row.organisation_kind {
                errors.push(
                    row.line,
                    "organisation_kind",
                    format!(
                        "{} is stored as {} (organisation {})",
                        row.organisation,
                        org.kind.key(),
                        org.id
                    ),
                );
            }
        }
        // A new department's flags follow from the roles of its posts in the file.
        let mut roles_in: HashMap<(&str, &str), HashSet<Role>> = HashMap::default();
        for r in rows {
            roles_in
                .entry((r.region_code.as_str(), r.organisation.as_str()))
                .or_default()
                .insert(r.role);
        }
        for o in new_orgs.iter_mut() {
            if o.kind == OrganisationKind::Department {
                if let Some(roles) = roles_in.get(&(o.region_code.as_str(), o.name.as_str())) {
                    o.eco_department = roles.contains(&Role::EcoDepartmentHead);
                    o.eco_duties = roles.contains(&Role::SectorDepartmentHead);
                }
            }
        }

        // Posts by (organisation, title).
        let stored_posts: Vec<Post> = load_all::<Post>(&mut w)
            .await?
            .into_iter()
            .filter(|p| !p.retired)
            .collect();
        let mut post_index: HashMap<(i64, &str), i64> = stored_posts
            .iter()
            .map(|p| ((p.organisation_id, p.title.as_str()), p.id))
            .collect();
        let mut posts_by_id: HashMap<i64, Post> =
            stored_posts.iter().map(|p| (p.id, p.clone())).collect();
        let mut next_post = versioned::next_id::<Post>(w.conn()).await?;
        let mut post_of_row: Vec<i64> = Vec::with_capacity(rows.len());
        let mut portfolio_of: HashMap<i64, (Vec<i64>, usize)> = HashMap::default();
        let mut new_post_ids = HashSet::default();
        for (row, &org_id) in rows.iter().zip(&org_of_row) {
            let id = *post_index
                .entry((org_id, row.post.as_str()))
                .or_insert_with(|| {
                    let p = Post {
                        id: next_post,
                        rev: 1,
                        organisation_id: org_id,
                        title: row.post.clone(),
                        role: row.role,
                        portfolio: Vec::new(),
                        retired: false,
                    };
                    new_post_ids.insert(p.id);
                    posts_by_id.insert(p.id, p);
                    next_post += 1;
                    next_post - 1
                });
            let post = &posts_by_id[&id];
            if post.role != row.role {
                errors.push(
                    row.line,
                    "role",
                    format!(
                        "post {} ({}) is stored with role {}",
                        post.id,
                        post.title,
                        post.role.key()
                    ),
                );
            }
            post_of_row.push(id);
            if !row.portfolio.is_empty() {
                let mut ids = Vec::new();
                for name in &row.portfolio {
                    match orgs.get(&(row.region_code.as_str(), name.as_str())) {
                        Some(d) if d.kind == OrganisationKind::Department => ids.push(d.id),
                        Some(d) => errors.push(
                            row.line,
                            "portfolio",
                            format!("{name} is a {}, not a department", d.kind.key()),
                        ),
                        None => errors.push(
                            row.line,
                            "portfolio",
                            format!("no department named {name} in {}", row.region_code),
                        ),
                    }
                }
                match portfolio_of.get(&id) {
                    Some((existing, first)) if *existing != ids => errors.push(
                        row.line,
                        "portfolio",
                        format!(
                            "differs from the portfolio given for the same post at line {first}"
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        portfolio_of.insert(id, (ids, row.line));
                    }
                }
            }
        }

        // People by key, or by name when the row has no key. Keys the import makes up for
        // people without one are owned; all others are borrowed.
        let stored_people = load_all::<Person>(&mut w).await?;
        let mut by_key: HashMap<Cow<str>, PersonRef> = HashMap::default();
        let mut by_name: HashMap<&str, Vec<&Person>> = HashMap::default();
        for p in &stored_people {
            by_name.entry(p.name.as_str()).or_default().push(p);
            by_key.insert(Cow::Borrowed(p.key.as_str()), PersonRef::of(p));
        }
        let mut next_person = versioned::next_id::<Person>(w.conn()).await?;
        let mut new_people: Vec<Person> = Vec::new();
        let mut created_by_name: HashMap<&str, i64> = HashMap::default();
        let mut person_of_row: Vec<Option<i64>> = Vec::with_capacity(rows.len());
        for row in rows {
            let id =
                if let Some(key) = &row.person_key {
                    match by_key.get(key.as_str()) {
                        Some(p) if p.name == row.person => Some(p.id),
                        Some(p) => {
                            errors.push(
                                row.line,
                                "person_key",
                                format!(
                                    "key {key} belongs to {} (person {}), not {}",
                                    p.name, p.id, row.person
                                ),
                            );
                            None
                        }
                        None => {
                            let p = Person {
                                id: next_person,
                                rev: 1,
                                key: key.clone(),
                                name: row.person.clone(),
                            };
                            next_person += 1;
                            by_key.insert(
                                Cow::Borrowed(key.as_str()),
                                PersonRef {
                                    id: p.id,
                                    name: row.person.as_str(),
                                },
                            );
                            let id = p.id;
                            new_people.push(p);
                            Some(id)
                        }
                    }
                } else {
                    match by_name.get(row.person.as_str()).map(Vec::as_slice) {
                        Some([one]) => Some(one.id),
                        Some(many) if many.len() > 1 => {
                            errors.push(
                                row.line,
                                "person",
                                format!(
                                    "{} people are named {}: add a person_key column ({})",
                                    many.len(),
                                    row.person,
                                    many.iter()
                                        .map(|p| p.key.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            );
                            None
                        }
                        _ => Some(*created_by_name.entry(row.person.as_str()).or_insert_with(
                            || {
                                let mut key = default_key(next_person);
                                while by_key.contains_key(key.as_str()) {
                                    key.push('x');
                                }
                                let p = Person {
                                    id: next_person,
                                    rev: 1,
                                    key: key.clone(),
                                    name: row.person.clone(),
                                };
                                next_person += 1;
                                by_key.insert(
                                    Cow::Owned(key),
                                    PersonRef {
                                        id: p.id,
                                        name: row.person.as_str(),
                                    },
                                );
                                new_people.push(p);
                                next_person - 1
                            },
                        )),
                    }
                };
            person_of_row.push(id);
        }

        // Tenures: unchanged, corrected (same post, person and start) or new.
        let touched_posts: HashSet<i64> = post_of_row.iter().copied().collect();
        let mut existing: HashMap<i64, Vec<Tenure>> = HashMap::default();
        for t in load_all::<Tenure>(&mut w).await? {
            if !t.retracted && touched_posts.contains(&t.post_id) {
                existing.entry(t.post_id).or_default().push(t);
            }
        }
        let mut next_tenure = versioned::next_id::<Tenure>(w.conn()).await?;
        let mut new_tenures: Vec<Tenure> = Vec::new();
        let mut updated: Vec<(Tenure, Tenure)> = Vec::new();
        // The row each new or corrected tenure comes from, to name it in an overlap.
        let mut row_of: HashMap<i64, usize> = HashMap::default();
        for (i, row) in rows.iter().enumerate() {
            let Some(person_id) = person_of_row[i] else {
                continue;
            };
            let post_id = post_of_row[i];
            let same = existing.get(&post_id).and_then(|ts| {
                ts.iter()
                    .find(|t| t.person_id == person_id && t.start_date == row.range.start)
            });
            match same {
                Some(t) if t.end_date == row.range.end && t.acting == row.acting => {
                    summary.tenures_unchanged += 1
                }
                Some(t) => {
                    let after = Tenure {
                        rev: t.rev + 1,
                        end_date: row.range.end,
                        acting: row.acting,
                        ..t.clone()
                    };
                    row_of.insert(t.id, i);
                    updated.push((t.clone(), after));
                }
                None => {
                    let t = Tenure {
                        id: next_tenure,
                        rev: 1,
                        post_id,
                        person_id,
                        start_date: row.range.start,
                        end_date: row.range.end,
                        acting: row.acting,
                        retracted: false,
                    };
                    row_of.insert(t.id, i);
                    next_tenure += 1;
                    new_tenures.push(t);
                }
            }
        }
        // One holder at a time, across stored tenures and the file's. Spans are labelled
        // cheaply; only the overlaps found are named.
        #[derive(Clone, Copy)]
        enum SpanOf<'t> {
            Stored(&'t Tenure),
            Row(usize),
        }
        let mut spans = Vec::new();
        let replaced: HashSet<i64> = updated.iter().map(|(b, _)| b.id).collect();
        for ts in existing.values() {
            for t in ts.iter().filter(|t| !replaced.contains(&t.id)) {
                spans.push(TenureSpan {
                    post_id: t.post_id,
                    range: t.range(),
                    label: SpanOf::Stored(t),
                });
            }
        }
        for t in new_tenures.iter().chain(updated.iter().map(|(_, a)| a)) {
            spans.push(TenureSpan {
                post_id: t.post_id,
                range: t.range(),
                label: SpanOf::Row(row_of[&t.id]),
            });
        }
        let found = find_overlaps(&spans);
        if !found.is_empty() {
            let names: HashMap<i64, &str> = by_key.values().map(|p| (p.id, p.name)).collect();
            for overlap in found {
                let line = [overlap.first, overlap.second]
                    .iter()
                    .filter_map(|s| match s {
                        SpanOf::Row(i) => Some(rows[*i].line),
                        SpanOf::Stored(_) => None,
                    })
                    .max()
                    .unwrap_or(0);
                let named = overlap.map_labels(|s| match s {
                    SpanOf::Row(i) => format!("line {} ({})", rows[i].line, rows[i].person),
                    SpanOf::Stored(t) => format!(
                        "stored tenure {} ({})",
                        t.id,
                        names.get(&t.person_id).copied().unwrap_or("?")
                    ),
                });
                errors.push(line, "start_date", named.to_string());
            }
        }
        if !errors.0.is_empty() {
            let mut list = errors.0;
            list.sort_by_key(|e| e.line);
            list.dedup();
            return Err(StoreError::Roster(RosterErrors(list)));
        }

        // Appointments inside an influence period to a higher post: warnings, not refusals.
        let influence = influences(&mut w).await?;
        if !influence.is_empty() {
            use ecoduty_domain::accountability::{influence_in_force, post_rank, rank_name_zh};
            let names: HashMap<i64, &str> = by_key.values().map(|p| (p.id, p.name)).collect();
            for t in &new_tenures {
                let Some(periods) = influence.get(&t.person_id) else {
                    continue;
                };
                let row = &rows[row_of[&t.id]];
                let new_rank = post_rank(row.region_code.level(), row.role);
                let day_before = t.start_date.pred_opt().unwrap_or(t.start_date);
                let held = rank_held(&mut w, t.person_id, day_before).await?;
                for p in periods
                    .iter()
                    .filter(|p| influence_in_force(p.effective_on, Some(p.until), t.start_date))
                {
                    let (from, compared) = match held {
                        Some(r) => (r, "原任职务"),
                        None => (p.case_rank, "追责时所任职务"),
                    };
                    if new_rank <= from {
                        continue;
                    }
                    let person = names.get(&t.person_id).copied().unwrap_or(&row.person);
                    summary.warnings.push(RosterWarning {
                        line: row.line,
                        person_id: t.person_id,
                        person: person.to_string(),
                        case_id: p.case_id,
                        decision_no: p.decision_no.clone(),
                        decision_body: p.decision_body.clone(),
                        effective_on: p.effective_on,
                        until: p.until,
                        message: format!(
                            "第{}行:{person}自{}起任{} {}({}),高于{}({});该人员处于{}{}(案件 #{})的影响期内(至{}),影响期内不得提拔",
                            row.line,
                            t.start_date,
                            row.organisation,
                            row.post,
                            rank_name_zh(new_rank),
                            compared,
                            rank_name_zh(from),
                            p.decision_body,
                            p.decision_no,
                            p.case_id,
                            p.until
                        ),
                    });
                }
            }
        }

        phases.done("checked");
        // Write.
        // New posts take the portfolio their rows give; a stored post whose rows give another
        // portfolio gets a new version. Both in id order.
        let (mut new_posts, mut stored): (Vec<Post>, Vec<Post>) = posts_by_id
            .into_values()
            .partition(|p| new_post_ids.contains(&p.id));
        new_posts.sort_unstable_by_key(|p| p.id);
        stored.sort_unstable_by_key(|p| p.id);
        for p in &mut new_posts {
            if let Some((ids, _)) = portfolio_of.remove(&p.id) {
                p.portfolio = ids;
            }
        }
        let mut post_updates: Vec<(Post, Post)> = Vec::new();
        for before in stored {
            match portfolio_of.remove(&before.id) {
                Some((ids, _)) if ids != before.portfolio => {
                    let after = Post {
                        rev: before.rev + 1,
                        portfolio: ids,
                        ..before.clone()
                    };
                    post_updates.push((before, after));
                }
                _ => {}
            }
        }
        summary.organisations_created = new_orgs.len();
        summary.posts_created = new_posts.len();
        summary.posts_updated = post_updates.len();
        summary.people_created = new_people.len();
        summary.tenures_created = new_tenures.len();
        summary.tenures_updated = updated.len();
        let changed = summary.organisations_created
            + summary.posts_created
            + summary.posts_updated
            + summary.people_created
            + summary.tenures_created
            + summary.tenures_updated;
        if changed == 0 {
            return Ok(summary);
        }
        versioned::write(
            &mut w,
            new_orgs
                .into_iter()
                .map(|o| Version {
                    record: o,
                    before: None,
                    action: "create",
                })
                .collect(),
        )
        .await?;
        let mut post_versions: Vec<Version<Post>> = new_posts
            .into_iter()
            .map(|p| Version {
                record: p,
                before: None,
                action: "create",
            })
            .collect();
        post_versions.extend(post_updates.iter().map(|(b, a)| Version {
            record: a.clone(),
            before: Some(b),
            action: "update",
        }));
        // Every post written (created, or changed, or given tenures) is named by a row, and
        // lies in that row's region.
        let post_region: HashMap<i64, &str> = post_of_row
            .iter()
            .zip(rows)
            .map(|(&id, row)| (id, row.region_code.as_str()))
            .collect();
        let region_of_post = |id: &i64| post_region.get(id).map(|r| r.to_string());
        versioned::write_in(&mut w, post_versions, |p: &Post| region_of_post(&p.id)).await?;
        phases.done("organisations and posts written");
        versioned::write(
            &mut w,
            new_people
                .into_iter()
                .map(|p| Version {
                    record: p,
                    before: None,
                    action: "create",
                })
                .collect(),
        )
        .await?;
        let mut tenure_versions: Vec<Version<Tenure>> = new_tenures
            .into_iter()
            .map(|t| Version {
                record: t,
                before: None,
                action: "create",
            })
            .collect();
        tenure_versions.extend(updated.iter().map(|(b, a)| Version {
            record: a.clone(),
            before: Some(b),
            action: "update",
        }));
        phases.done("people written");
        versioned::write_in(&mut w, tenure_versions, |t: &Tenure| {
            region_of_post(&t.post_id)
        })
        .await?;
        phases.done("tenures written");
        #[derive(Serialize)]
        struct ImportRecord<'a> {
            source: &'a RosterSource,
            /// With the warnings given, if any: the record shows the importer was told.
            summary: &'a ImportSummary,
        }
        let import_id = sqlx::query("SELECT COUNT(*) FROM ledger WHERE entity = 'roster_import'")
            .fetch_one(w.conn())
            .await?
            .try_get::<i64, _>(0)?
            + 1;
        // The import as a whole belongs to the smallest region holding all its rows, so that a
        // region's auditors see it beside the records it created.
        let seq = w.record_in(
            Entry {
                entity: "roster_import",
                entity_id: import_id.to_string(),
                rev: 1,
                action: "import",
                before: None,
                after: Some(to_json(&ImportRecord {
                    source,
                    summary: &summary,
                })),
            },
            common_region(rows).map(|c| c.to_string()),
        );
        summary.ledger_seq = Some(seq);
        w.commit().await?;
        phases.done("committed");
        Ok(summary)
    }

    /// Every counting tenure (optionally only within a region's subtree) as roster rows, in a
    /// stable order: region, organisation, post, start date.
    pub async fn export_roster(&self, within: Option<&RegionCode>) -> StoreResult<Vec<RosterRow>> {
        let prefix = within
            .map(|c| c.subtree_prefix().to_string())
            .unwrap_or_default();
        let sql = "SELECT o.organisation_id, o.region_code, o.name AS org_name, o.kind, \
                p.post_id, p.title, p.role, p.portfolio, \
                pe.person_key, pe.name AS person_name, \
                t.start_date, t.end_date, t.acting \
            FROM tenure_current t \
            JOIN post_current p ON p.post_id = t.post_id \
            JOIN organisation_current o ON o.organisation_id = p.organisation_id \
            JOIN person_current pe ON pe.person_id = t.person_id \
            WHERE t.retracted = 0 AND o.region_code LIKE $1 \
            ORDER BY o.region_code, CASE o.kind WHEN 'party_committee' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, \
                o.name, p.post_id, t.start_date";
        let rows = sqlx::query(sql)
            .bind(format!("{prefix}%"))
            .fetch_all(&self.pool)
            .await?;
        let org_names: HashMap<i64, String> =
            sqlx::query("SELECT organisation_id, name FROM organisation_current")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
                .collect();
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let code: String = row.try_get("region_code")?;
            let kind: String = row.try_get("kind")?;
            let role: String = row.try_get("role")?;
            let portfolio: Vec<i64> = serde_json::from_str(&row.try_get::<String, _>("portfolio")?)
                .map_err(|e| StoreError::Corrupt(format!("portfolio: {e}")))?;
            let end: Option<String> = row.try_get("end_date")?;
            let parse = |s: &str| {
                s.parse()
                    .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
            };
            out.push(RosterRow {
                line: i + 2,
                region_code: RegionCode::parse(&code)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                organisation: row.try_get("org_name")?,
                organisation_kind: kind.parse().map_err(
                    |e: ecoduty_domain::organisation::UnknownOrganisationKind| {
                        StoreError::Corrupt(e.to_string())
                    },
                )?,
                post: row.try_get("title")?,
                role: role
                    .parse()
                    .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                        StoreError::Corrupt(e.to_string())
                    })?,
                person: row.try_get("person_name")?,
                person_key: Some(row.try_get("person_key")?),
                range: ecoduty_domain::DateRange {
                    start: parse(&row.try_get::<String, _>("start_date")?)?,
                    end: end.as_deref().map(parse).transpose()?,
                },
                acting: row.try_get::<i64, _>("acting")? != 0,
                portfolio: portfolio
                    .iter()
                    .filter_map(|id| org_names.get(id).cloned())
                    .collect(),
            });
        }
        Ok(out)
    }
}
