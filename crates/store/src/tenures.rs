//! Tenures (任职): who held which post from when to when, and the questions asked of them —
//! who held each post of a region on a date, and a person's career across posts and regions.

use chrono::NaiveDate;
use ecoduty_domain::tenure::{find_overlaps, DateRange, TenureSpan};
use ecoduty_domain::{Region, RegionCode, Role};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::people::Person;
use crate::posts::Post;
use crate::sql::Value;
use crate::versioned::{self, flag, Version, Versioned};
use crate::{Change, Store};

/// One version of a tenure. `end_date` is the day the holder left (exclusive); `retracted`
/// marks a tenure entered in error — it stays in the record but no longer counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tenure {
    pub id: i64,
    pub rev: i64,
    pub post_id: i64,
    pub person_id: i64,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub acting: bool,
    pub retracted: bool,
}

impl Tenure {
    pub fn range(&self) -> DateRange {
        DateRange {
            start: self.start_date,
            end: self.end_date,
        }
    }
}

fn parse_date(s: &str) -> StoreResult<NaiveDate> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

impl Versioned for Tenure {
    const ENTITY: &'static str = "tenure";
    const IDENTITY: &'static str = "tenures";
    const VERSIONS: &'static str = "tenure_versions";
    const ID_COLUMN: &'static str = "tenure_id";
    const CURRENT: &'static str = "tenure_current";
    const COLUMNS: &'static [&'static str] = &[
        "tenure_id",
        "rev",
        "post_id",
        "person_id",
        "start_date",
        "end_date",
        "acting",
        "retracted",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.post_id.into(),
            self.person_id.into(),
            self.start_date.to_string().into(),
            self.end_date.map(|d| d.to_string()).into(),
            self.acting.into(),
            self.retracted.into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        let end: Option<String> = row.try_get("end_date")?;
        Ok(Tenure {
            id: row.try_get("tenure_id")?,
            rev: row.try_get("rev")?,
            post_id: row.try_get("post_id")?,
            person_id: row.try_get("person_id")?,
            start_date: parse_date(&row.try_get::<String, _>("start_date")?)?,
            end_date: end.as_deref().map(parse_date).transpose()?,
            acting: flag(row, "acting")?,
            retracted: flag(row, "retracted")?,
        })
    }
}

/// A new tenure.
#[derive(Debug, Clone, Deserialize)]
pub struct NewTenure {
    pub post_id: i64,
    pub person_id: i64,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub acting: bool,
}

/// A correction of a tenure's dates or acting flag; `None` keeps a field. `end_date:
/// Some(None)` reopens a tenure.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TenurePatch {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<Option<NaiveDate>>,
    pub acting: Option<bool>,
}

/// The holder of a post on a date, with their tenure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holder {
    pub person: Person,
    pub tenure: Tenure,
}

/// One post of a region and who held it on the date asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostHolding {
    pub organisation: Organisation,
    pub post: Post,
    /// `None` when the post was vacant that day.
    pub holder: Option<Holder>,
}

/// One tenure of a person, with where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenureDetail {
    pub tenure: Tenure,
    pub post: Post,
    pub organisation: Organisation,
    pub region: Region,
}

/// Labels a stored tenure for an overlap error: "tenure 12 (王一, 2020-01-01 – (open))".
async fn label(conn: &mut AnyConnection, t: &Tenure) -> StoreResult<String> {
    let person: Option<Person> = versioned::current_in(conn, t.person_id).await?;
    Ok(format!(
        "tenure {} ({})",
        t.id,
        person
            .map(|p| p.name)
            .unwrap_or_else(|| format!("person {}", t.person_id))
    ))
}

/// The current, counting tenures of a post, read under the write lock.
pub(crate) async fn tenures_of_post_in(
    conn: &mut AnyConnection,
    post_id: i64,
) -> StoreResult<Vec<Tenure>> {
    let sql = format!(
        "SELECT {} FROM tenure_current WHERE post_id = $1 AND retracted = 0 ORDER BY start_date",
        Tenure::column_list()
    );
    let rows = sqlx::query(&sql).bind(post_id).fetch_all(conn).await?;
    rows.iter().map(Tenure::from_row).collect()
}

/// Sets the writer's ledger region to the region of the post's organisation.
async fn set_region_of_post(w: &mut Writer, post_id: i64) -> StoreResult<()> {
    let row = sqlx::query(
        "SELECT o.region_code FROM post_current p \
         JOIN organisation_current o ON o.organisation_id = p.organisation_id WHERE p.post_id = $1",
    )
    .bind(post_id)
    .fetch_optional(w.conn())
    .await?;
    w.set_region(row.map(|r| r.get::<String, _>(0)));
    Ok(())
}

/// Refuses `candidate` if it overlaps another counting tenure of its post, naming both.
async fn check_no_overlap(
    w: &mut Writer,
    candidate: &Tenure,
    candidate_label: &str,
) -> StoreResult<()> {
    let others = tenures_of_post_in(w.conn(), candidate.post_id).await?;
    for other in others.iter().filter(|o| o.id != candidate.id) {
        let spans = [
            TenureSpan {
                post_id: other.post_id,
                range: other.range(),
                label: label(w.conn(), other).await?,
            },
            TenureSpan {
                post_id: candidate.post_id,
                range: candidate.range(),
                label: candidate_label.to_string(),
            },
        ];
        if let Some(overlap) = find_overlaps(&spans).into_iter().next() {
            return Err(StoreError::Overlap(overlap));
        }
    }
    Ok(())
}

fn holding_from_row(row: &AnyRow) -> StoreResult<PostHolding> {
    let kind: String = row.try_get("o_kind")?;
    let code: String = row.try_get("o_region_code")?;
    let organisation = Organisation {
        id: row.try_get("o_id")?,
        rev: row.try_get("o_rev")?,
        region_code: RegionCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        name: row.try_get("o_name")?,
        kind: kind.parse().map_err(
            |e: ecoduty_domain::organisation::UnknownOrganisationKind| {
                StoreError::Corrupt(e.to_string())
            },
        )?,
        eco_department: flag(row, "o_eco_department")?,
        eco_duties: flag(row, "o_eco_duties")?,
        retired: flag(row, "o_retired")?,
    };
    let post = Post::from_row(row)?;
    let holder = match row.try_get::<Option<i64>, _>("t_id")? {
        None => None,
        Some(tid) => {
            let end: Option<String> = row.try_get("t_end_date")?;
            Some(Holder {
                tenure: Tenure {
                    id: tid,
                    rev: row.try_get("t_rev")?,
                    post_id: post.id,
                    person_id: row.try_get("t_person_id")?,
                    start_date: parse_date(&row.try_get::<String, _>("t_start_date")?)?,
                    end_date: end.as_deref().map(parse_date).transpose()?,
                    acting: flag(row, "t_acting")?,
                    retracted: false,
                },
                person: Person {
                    id: row.try_get("t_person_id")?,
                    rev: row.try_get("pe_rev")?,
                    key: row.try_get("pe_key")?,
                    name: row.try_get("pe_name")?,
                },
            })
        }
    };
    Ok(PostHolding {
        organisation,
        post,
        holder,
    })
}

impl Store {
    pub async fn tenure(&self, id: i64) -> StoreResult<Option<Tenure>> {
        versioned::current(self, id).await
    }

    pub async fn tenure_versions(&self, id: i64) -> StoreResult<Vec<Tenure>> {
        versioned::history(self, id).await
    }

    /// Every counting tenure of a post, earliest first.
    pub async fn tenures_of_post(&self, post_id: i64) -> StoreResult<Vec<(Tenure, Person)>> {
        let mut conn = self.pool.acquire().await?;
        let tenures = tenures_of_post_in(&mut conn, post_id).await?;
        let mut out = Vec::with_capacity(tenures.len());
        for t in tenures {
            let p: Person = versioned::current_in(&mut conn, t.person_id)
                .await?
                .ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "tenure {} names missing person {}",
                        t.id, t.person_id
                    ))
                })?;
            out.push((t, p));
        }
        Ok(out)
    }

    /// Records that a person holds a post from a date. Refused if the post already has a
    /// holder for any day of the new tenure.
    pub async fn add_tenure(&self, change: &Change, new: NewTenure) -> StoreResult<Tenure> {
        DateRange::new(new.start_date, new.end_date)
            .map_err(|m| StoreError::invalid("end_date", m))?;
        let mut w = Writer::begin(self, change).await?;
        let post: Post = versioned::current_in(w.conn(), new.post_id)
            .await?
            .ok_or_else(|| StoreError::not_found("post", new.post_id))?;
        let person: Person = versioned::current_in(w.conn(), new.person_id)
            .await?
            .ok_or_else(|| StoreError::not_found("person", new.person_id))?;
        if post.retired {
            return Err(StoreError::invalid(
                "post",
                format!("post {} ({}) is retired", post.id, post.title),
            ));
        }
        let tenure = Tenure {
            id: versioned::next_id::<Tenure>(w.conn()).await?,
            rev: 1,
            post_id: post.id,
            person_id: person.id,
            start_date: new.start_date,
            end_date: new.end_date,
            acting: new.acting,
            retracted: false,
        };
        check_no_overlap(
            &mut w,
            &tenure,
            &format!("the new tenure ({})", person.name),
        )
        .await?;
        set_region_of_post(&mut w, tenure.post_id).await?;
        versioned::write(
            &mut w,
            vec![Version {
                record: tenure.clone(),
                before: None,
                action: "create",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(tenure)
    }

    /// Records the day a holder left the post.
    pub async fn end_tenure(
        &self,
        change: &Change,
        id: i64,
        end: NaiveDate,
    ) -> StoreResult<Tenure> {
        self.correct_tenure(
            change,
            id,
            TenurePatch {
                end_date: Some(Some(end)),
                ..Default::default()
            },
            "end",
        )
        .await
    }

    /// Corrects a tenure's dates or acting flag by appending a version.
    pub async fn correct_tenure(
        &self,
        change: &Change,
        id: i64,
        patch: TenurePatch,
        action: &'static str,
    ) -> StoreResult<Tenure> {
        let mut w = Writer::begin(self, change).await?;
        let before: Tenure = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("tenure", id))?;
        if before.retracted {
            return Err(StoreError::invalid(
                "tenure",
                format!("tenure {id} was retracted"),
            ));
        }
        let mut after = before.clone();
        after.rev += 1;
        if let Some(s) = patch.start_date {
            after.start_date = s;
        }
        if let Some(e) = patch.end_date {
            after.end_date = e;
        }
        if let Some(a) = patch.acting {
            after.acting = a;
        }
        DateRange::new(after.start_date, after.end_date)
            .map_err(|m| StoreError::invalid("end_date", m))?;
        if after
            == (Tenure {
                rev: before.rev,
                ..before.clone()
            })
        {
            return Err(StoreError::invalid("tenure", "nothing to change"));
        }
        let label = format!("tenure {id} as corrected");
        check_no_overlap(&mut w, &after, &label).await?;
        set_region_of_post(&mut w, after.post_id).await?;
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action,
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Marks a tenure entered in error. It stays in the record, with who retracted it and why.
    pub async fn retract_tenure(&self, change: &Change, id: i64) -> StoreResult<Tenure> {
        let mut w = Writer::begin(self, change).await?;
        let before: Tenure = versioned::current_in(w.conn(), id)
            .await?
            .ok_or_else(|| StoreError::not_found("tenure", id))?;
        if before.retracted {
            return Err(StoreError::invalid(
                "tenure",
                format!("tenure {id} is already retracted"),
            ));
        }
        let after = Tenure {
            rev: before.rev + 1,
            retracted: true,
            ..before.clone()
        };
        set_region_of_post(&mut w, after.post_id).await?;
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "retract",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Who held each post of a region on `at`: every current post, and any retired post that
    /// had a holder that day, with the holder's tenure (vacant posts have none).
    pub async fn who(
        &self,
        region: &RegionCode,
        at: NaiveDate,
        role: Option<Role>,
    ) -> StoreResult<Vec<PostHolding>> {
        let day = at.to_string();
        let sql = "SELECT o.organisation_id AS o_id, o.rev AS o_rev, o.region_code AS o_region_code, \
                o.name AS o_name, o.kind AS o_kind, o.eco_department AS o_eco_department, \
                o.eco_duties AS o_eco_duties, o.retired AS o_retired, \
                p.post_id, p.rev, p.organisation_id, p.title, p.role, p.portfolio, p.retired, \
                t.tenure_id AS t_id, t.rev AS t_rev, t.person_id AS t_person_id, \
                t.start_date AS t_start_date, t.end_date AS t_end_date, t.acting AS t_acting, \
                pe.rev AS pe_rev, pe.person_key AS pe_key, pe.name AS pe_name \
            FROM organisation_current o \
            JOIN post_current p ON p.organisation_id = o.organisation_id \
            LEFT JOIN tenure_current t ON t.post_id = p.post_id AND t.retracted = 0 \
                AND t.start_date <= $2 AND (t.end_date IS NULL OR t.end_date > $2) \
            LEFT JOIN person_current pe ON pe.person_id = t.person_id \
            WHERE o.region_code = $1 AND ($3 = '' OR p.role = $3) \
                AND ((p.retired = 0 AND o.retired = 0) OR t.tenure_id IS NOT NULL) \
            ORDER BY CASE o.kind WHEN 'party_committee' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, \
                o.eco_department DESC, o.name, p.post_id";
        let rows = sqlx::query(sql)
            .bind(region.as_str())
            .bind(day)
            .bind(role.map(|r| r.key()).unwrap_or(""))
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<PostHolding> = rows
            .iter()
            .map(holding_from_row)
            .collect::<StoreResult<_>>()?;
        out.sort_by_key(|h| {
            (
                match h.organisation.kind {
                    ecoduty_domain::OrganisationKind::PartyCommittee => 0,
                    ecoduty_domain::OrganisationKind::Government => 1,
                    ecoduty_domain::OrganisationKind::Department => 2,
                },
                !h.organisation.eco_department,
                h.organisation.name.clone(),
                role_rank(h.post.role),
                h.post.id,
            )
        });
        Ok(out)
    }

    /// A person's tenures across posts and regions, earliest first (retracted ones left out).
    pub async fn person_history(&self, person_id: i64) -> StoreResult<Vec<TenureDetail>> {
        self.require_person(person_id).await?;
        let sql = format!(
            "SELECT {} FROM tenure_current WHERE person_id = $1 AND retracted = 0 ORDER BY start_date, tenure_id",
            Tenure::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(person_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.detail_of(Tenure::from_row(row)?).await?);
        }
        Ok(out)
    }

    /// A tenure with its post, organisation and region.
    pub(crate) async fn detail_of(&self, tenure: Tenure) -> StoreResult<TenureDetail> {
        let post = self.require_post(tenure.post_id).await?;
        let organisation = self.require_organisation(post.organisation_id).await?;
        let region = self.require_region(&organisation.region_code).await?;
        Ok(TenureDetail {
            tenure,
            post,
            organisation,
            region,
        })
    }
}

/// Order of posts within one organisation: principal first, then deputies, then members.
pub fn role_rank(role: Role) -> usize {
    Role::ALL
        .iter()
        .position(|r| *r == role)
        .unwrap_or(usize::MAX)
}
