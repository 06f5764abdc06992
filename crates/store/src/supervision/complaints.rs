//! Public complaints (信访/举报) in the store, ready for a public form: a complaint is filed
//! with its text, place (region and address), category and an optional contact, and the
//! complainant is given a tracking code — random, shown once, stored only as its SHA-256 —
//! to follow it. Staff assign it to the responsible unit with an answer deadline, answer it,
//! and may promote it to a finding (source: complaint). The contact is kept apart from the
//! versioned record, out of the ledger that auditors read.
//!
//! A complaint may come with up to [`MAX_ATTACHMENTS`] files (photos, documents): they are
//! stored as evidence files (by content hash, type checked by content) in the same write as
//! the complaint, and each version of the complaint cites them by digest and name — so a
//! refused file leaves nothing stored, and the ledger entry of the complaint names its files.

use chrono::NaiveDate;
use ecoduty_domain::supervision::complaints::{
    answer_due, check_form, is_overdue, normalise_tracking_code, tracking_code, Channel,
    ComplaintForm, ComplaintStatus, CODE_BYTES, DEFAULT_ANSWER_DAYS, MAX_ATTACHMENTS,
};
use ecoduty_domain::supervision::evidence::{check, clean_name, EvidenceKind, EvidencePolicy};
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_domain::RegionCode;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::evidence::{info_of, store_blob_in, EvidenceInfo};
use super::findings::{insert_findings, Finding, NewFinding};
use super::{
    json_text, parse_code, parse_day, parse_json, parse_key, parse_opt_day, EvidenceRef, Page,
    PageRequest, Where,
};
use crate::error::{StoreError, StoreResult};
use crate::ledger::Writer;
use crate::organisations::Organisation;
use crate::quality::sha256_hex;
use crate::sql::Value;
use crate::versioned::{self, Version, Versioned};
use crate::{Change, Store};

/// One version of a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Complaint {
    pub id: i64,
    pub rev: i64,
    /// SHA-256 of the tracking code (the code itself is never stored).
    pub tracking_hash: String,
    pub region_code: RegionCode,
    pub address: String,
    pub category: Category,
    pub channel: Channel,
    pub text: String,
    pub received_on: NaiveDate,
    pub status: ComplaintStatus,
    pub assigned_organisation_id: Option<i64>,
    pub answer_due: Option<NaiveDate>,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub answered_by: Option<String>,
    /// The finding it was promoted to.
    pub finding_id: Option<i64>,
    /// The files the complainant attached (evidence files, by digest, with the names they
    /// were sent under), in the order sent; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<EvidenceRef>,
}

impl Versioned for Complaint {
    const ENTITY: &'static str = "complaint";
    const IDENTITY: &'static str = "complaints";
    const VERSIONS: &'static str = "complaint_versions";
    const ID_COLUMN: &'static str = "complaint_id";
    const CURRENT: &'static str = "complaint_current";
    const COLUMNS: &'static [&'static str] = &[
        "complaint_id",
        "rev",
        "tracking_hash",
        "region_code",
        "address",
        "category",
        "channel",
        "text",
        "received_on",
        "status",
        "assigned_organisation_id",
        "answer_due",
        "answer",
        "answered_on",
        "answered_by",
        "finding_id",
        "attachments",
    ];

    fn id(&self) -> i64 {
        self.id
    }
    fn rev(&self) -> i64 {
        self.rev
    }
    fn ledger_region(&self) -> Option<String> {
        Some(self.region_code.to_string())
    }
    fn values(&self) -> Vec<Value> {
        vec![
            self.id.into(),
            self.rev.into(),
            self.tracking_hash.clone().into(),
            self.region_code.to_string().into(),
            self.address.clone().into(),
            self.category.key().into(),
            self.channel.key().into(),
            self.text.clone().into(),
            self.received_on.to_string().into(),
            self.status.key().into(),
            self.assigned_organisation_id.into(),
            self.answer_due.map(|d| d.to_string()).into(),
            self.answer.clone().into(),
            self.answered_on.map(|d| d.to_string()).into(),
            self.answered_by.clone().into(),
            self.finding_id.into(),
            json_text(&self.attachments).into(),
        ]
    }
    fn from_row(row: &AnyRow) -> StoreResult<Self> {
        Ok(Complaint {
            id: row.try_get("complaint_id")?,
            rev: row.try_get("rev")?,
            tracking_hash: row.try_get("tracking_hash")?,
            region_code: parse_code(&row.try_get::<String, _>("region_code")?)?,
            address: row.try_get("address")?,
            category: parse_key(&row.try_get::<String, _>("category")?)?,
            channel: parse_key(&row.try_get::<String, _>("channel")?)?,
            text: row.try_get("text")?,
            received_on: parse_day(&row.try_get::<String, _>("received_on")?)?,
            status: parse_key(&row.try_get::<String, _>("status")?)?,
            assigned_organisation_id: row.try_get("assigned_organisation_id")?,
            answer_due: parse_opt_day(row.try_get("answer_due")?)?,
            answer: row.try_get("answer")?,
            answered_on: parse_opt_day(row.try_get("answered_on")?)?,
            answered_by: row.try_get("answered_by")?,
            finding_id: row.try_get("finding_id")?,
            attachments: parse_json(&row.try_get::<String, _>("attachments")?)?,
        })
    }
}

/// A complaint as filed.
#[derive(Debug, Clone, Deserialize)]
pub struct NewComplaint {
    pub region_code: RegionCode,
    pub address: String,
    pub category: Category,
    pub channel: Channel,
    pub text: String,
    pub contact: Option<String>,
    pub received_on: NaiveDate,
}

/// A file sent with a complaint, before it is stored.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A complaint's attachment as stored: its place in the list (from 1), the name it was sent
/// under, and the stored file's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplaintAttachment {
    pub number: usize,
    pub name: String,
    pub sha256: String,
    pub size: i64,
    pub kind: EvidenceKind,
    pub media_type: String,
}

/// What the public sees of an attachment when following a complaint: its name and size, not
/// the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentName {
    pub name: String,
    pub size: i64,
}

/// A filed complaint and its tracking code, to give the complainant once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FiledComplaint {
    pub complaint: Complaint,
    pub tracking_code: String,
}

/// What the complainant sees when following a complaint: its progress and the answer, never
/// who handled it internally or anyone's contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintTracking {
    pub received_on: NaiveDate,
    pub category: Category,
    pub region_code: RegionCode,
    pub status: ComplaintStatus,
    pub answer_due: Option<NaiveDate>,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
    /// Whether it was taken up as a finding for rectification.
    pub promoted: bool,
    /// The files sent with it: names and sizes only.
    pub attachments: Vec<AttachmentName>,
}

/// A complaint taken up as a finding: what the complaint itself does not say.
#[derive(Debug, Clone, Deserialize)]
pub struct Promotion {
    pub severity: Severity,
    pub units: Vec<i64>,
    #[serde(default)]
    pub posts: Vec<i64>,
    pub deadline: NaiveDate,
    #[serde(default)]
    pub measures: String,
}

/// Filters for [`Store::complaints_page`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ComplaintFilter {
    #[serde(skip)]
    pub within: Option<RegionCode>,
    pub status: Option<ComplaintStatus>,
    pub category: Option<Category>,
    /// Only those unanswered past their deadline on this day.
    pub overdue_on: Option<NaiveDate>,
}

/// Complaints of one region and category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintStat {
    pub region_code: RegionCode,
    pub category: Category,
    pub total: i64,
    pub answered: i64,
    /// Unanswered past the deadline on the day asked about.
    pub overdue: i64,
    pub promoted: i64,
}

/// The digest a tracking code is known by.
fn tracking_hash(canonical: &str) -> String {
    sha256_hex(canonical.as_bytes())
}

async fn current_or(w: &mut Writer, id: i64) -> StoreResult<Complaint> {
    versioned::current_in(w.conn(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("complaint", id))
}

impl Store {
    /// Files a complaint; returns it with its tracking code (shown to the complainant once).
    pub async fn file_complaint(
        &self,
        change: &Change,
        new: NewComplaint,
    ) -> StoreResult<FiledComplaint> {
        self.file_complaint_with_attachments(change, new, Vec::new(), &EvidencePolicy::default())
            .await
    }

    /// Files a complaint with the files sent with it (at most [`MAX_ATTACHMENTS`], each
    /// checked like any evidence file against `policy`), all in one write: a refused file
    /// leaves neither the complaint nor any file stored. The same content sent twice is kept
    /// once, under the first name.
    pub async fn file_complaint_with_attachments(
        &self,
        change: &Change,
        new: NewComplaint,
        files: Vec<NewAttachment>,
        policy: &EvidencePolicy,
    ) -> StoreResult<FiledComplaint> {
        if files.len() > MAX_ATTACHMENTS {
            return Err(StoreError::invalid(
                "file",
                format!(
                    "最多{MAX_ATTACHMENTS}个附件 (at most {MAX_ATTACHMENTS} files; {} were sent)",
                    files.len()
                ),
            ));
        }
        let mut checked: Vec<(EvidenceRef, EvidenceInfo, &[u8])> = Vec::with_capacity(files.len());
        for f in &files {
            let name = clean_name(&f.name);
            let kind = check(&name, &f.bytes, policy)
                .map_err(|e| StoreError::invalid("file", e.to_string()))?;
            let info = info_of(kind, &f.bytes);
            if checked.iter().any(|(r, _, _)| r.sha256 == info.sha256) {
                continue;
            }
            checked.push((
                EvidenceRef {
                    sha256: info.sha256.clone(),
                    name,
                },
                info,
                f.bytes.as_slice(),
            ));
        }
        let form = ComplaintForm {
            text: new.text.clone(),
            address: new.address.clone(),
            contact: new.contact.clone(),
        };
        check_form(&form).map_err(|m| StoreError::invalid("complaint", m))?;
        self.require_region(&new.region_code).await?;
        let mut random = [0u8; CODE_BYTES];
        getrandom::getrandom(&mut random)
            .map_err(|e| StoreError::Corrupt(format!("no randomness for a tracking code: {e}")))?;
        let code = tracking_code(&random);
        let canonical = normalise_tracking_code(&code).map_err(StoreError::Corrupt)?;
        let mut w = Writer::begin(self, change).await?;
        let mut attachments = Vec::with_capacity(checked.len());
        for (reference, info, bytes) in checked {
            store_blob_in(&mut w, &info, bytes).await?;
            attachments.push(reference);
        }
        let complaint = Complaint {
            id: versioned::next_id::<Complaint>(w.conn()).await?,
            rev: 1,
            tracking_hash: tracking_hash(&canonical),
            region_code: new.region_code,
            address: new.address.trim().to_string(),
            category: new.category,
            channel: new.channel,
            text: new.text.trim().to_string(),
            received_on: new.received_on,
            status: ComplaintStatus::Received,
            assigned_organisation_id: None,
            answer_due: None,
            answer: None,
            answered_on: None,
            answered_by: None,
            finding_id: None,
            attachments,
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: complaint.clone(),
                before: None,
                action: "file",
            }],
        )
        .await?;
        if let Some(contact) = new
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            sqlx::query("INSERT INTO complaint_contacts (complaint_id, contact) VALUES ($1, $2)")
                .bind(complaint.id)
                .bind(contact)
                .execute(w.conn())
                .await?;
        }
        w.commit().await?;
        Ok(FiledComplaint {
            complaint,
            tracking_code: code,
        })
    }

    /// Follows a complaint by its tracking code (as typed: any case, dashes optional).
    pub async fn complaint_by_tracking_code(
        &self,
        code: &str,
    ) -> StoreResult<Option<ComplaintTracking>> {
        let Ok(canonical) = normalise_tracking_code(code) else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT {} FROM complaint_current WHERE tracking_hash = $1",
            Complaint::column_list()
        );
        let row = sqlx::query(&sql)
            .bind(tracking_hash(&canonical))
            .fetch_optional(&self.pool)
            .await?;
        let Some(c) = row.as_ref().map(Complaint::from_row).transpose()? else {
            return Ok(None);
        };
        let attachments = self
            .complaint_attachments(&c)
            .await?
            .into_iter()
            .map(|a| AttachmentName {
                name: a.name,
                size: a.size,
            })
            .collect();
        Ok(Some(ComplaintTracking {
            received_on: c.received_on,
            category: c.category,
            region_code: c.region_code,
            status: c.status,
            answer_due: c.answer_due,
            answer: c.answer,
            answered_on: c.answered_on,
            promoted: c.finding_id.is_some(),
            attachments,
        }))
    }

    /// A complaint's attachments with the stored files' facts, in the order sent.
    pub async fn complaint_attachments(
        &self,
        c: &Complaint,
    ) -> StoreResult<Vec<ComplaintAttachment>> {
        let mut out = Vec::with_capacity(c.attachments.len());
        for (i, r) in c.attachments.iter().enumerate() {
            let info = self.evidence_info(&r.sha256).await?.ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "complaint #{} cites {} ({}), which is not stored",
                    c.id, r.name, r.sha256
                ))
            })?;
            out.push(ComplaintAttachment {
                number: i + 1,
                name: r.name.clone(),
                sha256: info.sha256,
                size: info.size,
                kind: info.kind,
                media_type: info.media_type,
            });
        }
        Ok(out)
    }

    pub async fn complaint(&self, id: i64) -> StoreResult<Option<Complaint>> {
        versioned::current(self, id).await
    }

    pub async fn complaint_versions(&self, id: i64) -> StoreResult<Vec<Complaint>> {
        versioned::history(self, id).await
    }

    /// The complainant's contact, for staff handling the complaint.
    pub async fn complaint_contact(&self, id: i64) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT contact FROM complaint_contacts WHERE complaint_id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    /// Assigns (转办) a complaint to the responsible unit, to be answered by `due` (by default
    /// 60 days after it was received). A reassignment keeps the deadline unless a new one is
    /// given.
    pub async fn assign_complaint(
        &self,
        change: &Change,
        id: i64,
        organisation_id: i64,
        due: Option<NaiveDate>,
    ) -> StoreResult<Complaint> {
        let mut w = Writer::begin(self, change).await?;
        let before = current_or(&mut w, id).await?;
        if before.status == ComplaintStatus::Answered {
            return Err(StoreError::invalid(
                "complaint",
                format!("complaint #{id} is already answered"),
            ));
        }
        let org: Organisation = versioned::current_in(w.conn(), organisation_id)
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", organisation_id))?;
        if org.retired
            || !(org.region_code.is_within(&before.region_code)
                || before.region_code.is_within(&org.region_code))
        {
            return Err(StoreError::invalid(
                "organisation",
                format!(
                    "{}({})不负责区划 {} 的事项",
                    org.name, org.region_code, before.region_code
                ),
            ));
        }
        let due = due
            .or(before.answer_due)
            .unwrap_or_else(|| answer_due(before.received_on, DEFAULT_ANSWER_DAYS));
        if due < before.received_on {
            return Err(StoreError::invalid(
                "due",
                "the answer cannot be due before the complaint was received",
            ));
        }
        let after = Complaint {
            rev: before.rev + 1,
            status: ComplaintStatus::Assigned,
            assigned_organisation_id: Some(org.id),
            answer_due: Some(due),
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "assign",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Records the answer to an assigned complaint.
    pub async fn answer_complaint(
        &self,
        change: &Change,
        id: i64,
        answer: &str,
        on: NaiveDate,
    ) -> StoreResult<Complaint> {
        let answer = answer.trim();
        if answer.chars().count() < 5 {
            return Err(StoreError::invalid("answer", "答复内容过短"));
        }
        let mut w = Writer::begin(self, change).await?;
        let before = current_or(&mut w, id).await?;
        if before.status != ComplaintStatus::Assigned {
            return Err(StoreError::invalid(
                "complaint",
                format!(
                    "complaint #{id} is {}: only an assigned complaint is answered",
                    before.status.name_zh()
                ),
            ));
        }
        if on < before.received_on {
            return Err(StoreError::invalid("on", "answered before it was received"));
        }
        let after = Complaint {
            rev: before.rev + 1,
            status: ComplaintStatus::Answered,
            answer: Some(answer.to_string()),
            answered_on: Some(on),
            answered_by: Some(change.actor.trim().to_string()),
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "answer",
            }],
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Takes a complaint up as a finding (source: complaint), in one write with the
    /// complaint's new version naming it.
    pub async fn promote_complaint(
        &self,
        change: &Change,
        id: i64,
        promotion: Promotion,
        on: NaiveDate,
    ) -> StoreResult<(Complaint, Finding)> {
        let mut w = Writer::begin(self, change).await?;
        let before = current_or(&mut w, id).await?;
        if let Some(f) = before.finding_id {
            return Err(StoreError::Conflict(format!(
                "complaint #{id} is already finding #{f}"
            )));
        }
        let new = NewFinding {
            region_code: before.region_code.clone(),
            source: Source::Complaint,
            inspection_id: None,
            complaint_id: Some(before.id),
            source_ref: String::new(),
            serial: String::new(),
            category: before.category,
            severity: promotion.severity,
            text: before.text.clone(),
            measures: promotion.measures,
            units: promotion.units,
            posts: promotion.posts,
            deadline: Some(promotion.deadline),
            review_every_days: None,
        };
        let finding = insert_findings(&mut w, vec![new], &change.actor, on)
            .await?
            .remove(0);
        let after = Complaint {
            rev: before.rev + 1,
            finding_id: Some(finding.id),
            ..before.clone()
        };
        versioned::write(
            &mut w,
            vec![Version {
                record: after.clone(),
                before: Some(&before),
                action: "promote",
            }],
        )
        .await?;
        w.commit().await?;
        Ok((after, finding))
    }

    fn complaint_where(filter: &ComplaintFilter) -> Where {
        let mut w = Where::default();
        w.within("region_code", filter.within.as_ref());
        if let Some(s) = filter.status {
            let p = w.bind(s.key());
            w.and(format!("status = {p}"));
        }
        if let Some(c) = filter.category {
            let p = w.bind(c.key());
            w.and(format!("category = {p}"));
        }
        if let Some(day) = filter.overdue_on {
            let p = w.bind(day.to_string());
            w.and(format!("status <> 'answered' AND answer_due < {p}"));
        }
        w
    }

    /// Complaints within a region's subtree, newest first.
    pub async fn complaints_page(
        &self,
        filter: &ComplaintFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Complaint>> {
        let (before, limit) = page.bounds();
        let mut w = Self::complaint_where(filter);
        let b = w.bind(before);
        w.and(format!("complaint_id < {b}"));
        let n = w.bind(limit + 1);
        let sql = format!(
            "SELECT {} FROM complaint_current{} ORDER BY complaint_id DESC LIMIT {n}",
            Complaint::column_list(),
            w.sql()
        );
        let rows = w.query(&sql).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(Complaint::from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |c| c.id))
    }

    /// Complaints received in `[from, to]` within a region, by region and category: how many,
    /// answered, overdue on `on`, promoted to findings.
    pub async fn complaint_statistics(
        &self,
        within: Option<&RegionCode>,
        from: NaiveDate,
        to: NaiveDate,
        on: NaiveDate,
    ) -> StoreResult<Vec<ComplaintStat>> {
        let mut w = Where::default();
        w.within("region_code", within);
        let lo = w.bind(from.to_string());
        let hi = w.bind(to.to_string());
        w.and(format!("received_on >= {lo} AND received_on <= {hi}"));
        let day = w.bind(on.to_string());
        let sql = format!(
            "SELECT region_code, category, COUNT(*) AS total, \
               SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END) AS answered, \
               SUM(CASE WHEN status <> 'answered' AND answer_due < {day} THEN 1 ELSE 0 END) AS overdue, \
               SUM(CASE WHEN finding_id IS NOT NULL THEN 1 ELSE 0 END) AS promoted \
             FROM complaint_current{} GROUP BY region_code, category ORDER BY region_code, category",
            w.sql()
        );
        let rows = w.query(&sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(ComplaintStat {
                    region_code: parse_code(&r.try_get::<String, _>("region_code")?)?,
                    category: parse_key(&r.try_get::<String, _>("category")?)?,
                    total: r.try_get("total")?,
                    answered: r.try_get("answered")?,
                    overdue: r.try_get("overdue")?,
                    promoted: r.try_get("promoted")?,
                })
            })
            .collect()
    }

    /// Unanswered complaints whose deadline falls in `[from, to]` (for the scheduler).
    pub(crate) async fn complaints_due_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Complaint>> {
        let sql = format!(
            "SELECT {} FROM complaint_current WHERE status <> 'answered' AND answer_due >= $1 AND answer_due <= $2 \
             ORDER BY complaint_id",
            Complaint::column_list()
        );
        let rows = sqlx::query(&sql)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Complaint::from_row).collect()
    }
}

/// Whether a complaint is unanswered past its deadline on `today`.
pub fn complaint_overdue(c: &Complaint, today: NaiveDate) -> bool {
    is_overdue(c.status, c.answer_due, today)
}
