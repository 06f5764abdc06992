//! Complaint attachments and the shared rate limit in the store, on both backends: files sent
//! with a complaint are stored in the same write as it (a refused file leaves nothing), cited
//! by every version and by the ledger, and known to the evidence citations; the public rate
//! limit is one budget per client for every store on a database, spent atomically even when
//! two stores spend it at once.

mod common;

use common::{change, code, date, TestDb};
use ecoduty_domain::supervision::complaints::{Channel, MAX_ATTACHMENTS};
use ecoduty_domain::supervision::evidence::{EvidenceKind, EvidencePolicy};
use ecoduty_domain::supervision::Category;
use ecoduty_domain::{OrganisationKind, OrganisationSpec};
use ecoduty_store::rate_limits::RateRule;
use ecoduty_store::supervision::complaints::{ComplaintFilter, NewAttachment, NewComplaint};
use ecoduty_store::supervision::PageRequest;
use ecoduty_store::{Store, StoreError};

fn complaint(text: &str) -> NewComplaint {
    NewComplaint {
        region_code: code("410883"),
        address: "孟州市河阳街道某工地".into(),
        category: Category::Noise,
        channel: Channel::Web,
        text: text.into(),
        contact: None,
        received_on: date("2026-03-01"),
    }
}

fn file(name: &str, bytes: &[u8]) -> NewAttachment {
    NewAttachment {
        name: name.into(),
        bytes: bytes.to_vec(),
    }
}

fn png(tag: &str) -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n".as_slice(), tag.as_bytes()].concat()
}

async fn complaint_count(s: &Store) -> usize {
    s.complaints_page(&ComplaintFilter::default(), PageRequest::first(500))
        .await
        .unwrap()
        .items
        .len()
}

fn refused_field(e: StoreError) -> (String, String) {
    match e {
        StoreError::Invalid { field, message } => (field, message),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn attachments_are_stored_with_the_complaint(db: TestDb) {
    let s = &db.store;
    let photo = png("现场照片");
    let pdf = b"%PDF-1.7\n%report".to_vec();
    let filed = s
        .file_complaint_with_attachments(
            &change("网上受理"),
            complaint("工地夜间施工噪声扰民,持续一个月"),
            vec![
                file("C:\\照片\\现场.png", &photo),
                file("说明.pdf", &pdf),
                // The same content again is kept once, under the first name.
                file("现场(副本).png", &photo),
            ],
            &EvidencePolicy::default(),
        )
        .await
        .unwrap();
    let c = &filed.complaint;
    assert_eq!(
        c.text, "工地夜间施工噪声扰民,持续一个月",
        "the text is as sent"
    );
    let names: Vec<&str> = c.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, vec!["现场.png", "说明.pdf"]);

    let listed = s.complaint_attachments(c).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].number, 1);
    assert_eq!(listed[0].kind, EvidenceKind::Png);
    assert_eq!(listed[0].media_type, "image/png");
    assert_eq!(listed[0].size, photo.len() as i64);
    assert_eq!(listed[1].number, 2);
    assert_eq!(listed[1].kind, EvidenceKind::Pdf);
    let (_, content) = s
        .evidence_content(&listed[1].sha256)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(content, pdf);

    // Later versions carry the attachments; the complaint's ledger entry names them.
    let unit = s
        .add_organisation(
            &change("机构"),
            OrganisationSpec {
                region_code: code("410883"),
                name: "孟州市住房和城乡建设局".into(),
                kind: OrganisationKind::Department,
                eco_department: false,
                eco_duties: true,
            },
        )
        .await
        .unwrap();
    let assigned = s
        .assign_complaint(&change("转办"), c.id, unit.id, None)
        .await
        .unwrap();
    assert_eq!(assigned.attachments, c.attachments);
    let log = s.entity_log("complaint", &c.id.to_string()).await.unwrap();
    let first = serde_json::to_string(&log[0]).unwrap();
    assert!(first.contains(&listed[0].sha256) && first.contains(&listed[1].sha256));
    let stored = s.entity_log("evidence", &listed[0].sha256).await.unwrap();
    assert_eq!(stored.len(), 1, "the file's own entry");

    // Those of the complaint's region may download them; the public sees names and sizes.
    let citations = s.evidence_citations(&listed[0].sha256).await.unwrap();
    assert_eq!(citations.regions, vec![code("410883")]);
    let tracked = s
        .complaint_by_tracking_code(&filed.tracking_code)
        .await
        .unwrap()
        .unwrap();
    let public: Vec<(&str, i64)> = tracked
        .attachments
        .iter()
        .map(|a| (a.name.as_str(), a.size))
        .collect();
    assert_eq!(
        public,
        vec![
            ("现场.png", photo.len() as i64),
            ("说明.pdf", pdf.len() as i64)
        ]
    );

    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn a_refused_attachment_leaves_nothing_stored(db: TestDb) {
    let s = &db.store;
    let good = png("good");
    let good_sha = ecoduty_store::quality::sha256_hex(&good);
    let before = complaint_count(s).await;

    // A file of a kind not accepted, after a good one: neither the complaint nor the good
    // file is stored.
    let e = s
        .file_complaint_with_attachments(
            &change("网上受理"),
            complaint("河道垃圾堆积,无人清理"),
            vec![file("现场.png", &good), file("video.exe", b"MZ\x90\x00")],
            &EvidencePolicy::default(),
        )
        .await
        .unwrap_err();
    let (field, message) = refused_field(e);
    assert_eq!(field, "file");
    assert!(message.contains("video.exe"), "{message}");

    // Content that does not match its name.
    let (field, message) = refused_field(
        s.file_complaint_with_attachments(
            &change("网上受理"),
            complaint("河道垃圾堆积,无人清理"),
            vec![file("照片.jpg", &good)],
            &EvidencePolicy::default(),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(field, "file");
    assert!(message.contains("照片.jpg"), "{message}");

    // Too large for the policy.
    let (field, message) = refused_field(
        s.file_complaint_with_attachments(
            &change("网上受理"),
            complaint("河道垃圾堆积,无人清理"),
            vec![file("现场.png", &good)],
            &EvidencePolicy { max_bytes: 8 },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(field, "file");
    assert!(
        message.contains("现场.png") && message.contains('8'),
        "{message}"
    );

    // Too many files.
    let many: Vec<NewAttachment> = (0..=MAX_ATTACHMENTS)
        .map(|i| file(&format!("{i}.png"), &png(&i.to_string())))
        .collect();
    let (field, _) = refused_field(
        s.file_complaint_with_attachments(
            &change("网上受理"),
            complaint("河道垃圾堆积,无人清理"),
            many,
            &EvidencePolicy::default(),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(field, "file");

    // A text too short is refused before any file is stored, too.
    assert!(s
        .file_complaint_with_attachments(
            &change("网上受理"),
            complaint("脏"),
            vec![file("现场.png", &good)],
            &EvidencePolicy::default(),
        )
        .await
        .is_err());

    assert_eq!(complaint_count(s).await, before, "no complaint stored");
    assert!(
        s.evidence_info(&good_sha).await.unwrap().is_none(),
        "no file stored"
    );
    assert!(s
        .entity_log("evidence", &good_sha)
        .await
        .unwrap()
        .is_empty());
    let report = s.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn the_rate_limit_is_one_budget_per_client(db: TestDb) {
    let s = &db.store;
    let rule = RateRule::new(3, 1);
    let t0 = 1_800_000_000_000i64;
    for _ in 0..3 {
        assert_eq!(s.spend_rate_limit("a", rule, t0).await.unwrap(), Ok(()));
    }
    assert_eq!(s.spend_rate_limit("a", rule, t0).await.unwrap(), Err(60));
    assert_eq!(
        s.spend_rate_limit("a", rule, t0 + 30_000).await.unwrap(),
        Err(30),
        "a refusal spends nothing and says when the next request is earned"
    );
    assert_eq!(s.spend_rate_limit("b", rule, t0).await.unwrap(), Ok(()));

    // Another store on the same database (another server) shares the budget.
    let other = Store::open(&db.url).await.unwrap();
    assert_eq!(
        other.spend_rate_limit("a", rule, t0).await.unwrap(),
        Err(60)
    );
    assert_eq!(
        other
            .spend_rate_limit("a", rule, t0 + 60_000)
            .await
            .unwrap(),
        Ok(())
    );
    assert!(s
        .spend_rate_limit("a", rule, t0 + 60_000)
        .await
        .unwrap()
        .is_err());

    // Two stores spending one client's budget at once never spend more than the burst.
    let rule = RateRule::new(5, 1);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = if i % 2 == 0 { s.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            store.spend_rate_limit("c", rule, t0).await.unwrap()
        }));
    }
    let mut allowed = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5);

    // Rows whose client has its whole burst back are pruned; the others stay ("b" is back at
    // t0 + 1 min, "a" at t0 + 4 min, "c" at t0 + 5 min).
    assert_eq!(s.prune_rate_limits(t0 + 200_000).await.unwrap(), 1);
    assert_eq!(
        other
            .spend_rate_limit("a", RateRule::new(1, 1), t0 + 200_000)
            .await
            .unwrap(),
        Err(40),
        "a's row was kept"
    );
    assert_eq!(s.prune_rate_limits(t0 + 10 * 60_000).await.unwrap(), 2);
    assert_eq!(s.prune_rate_limits(t0 + 10 * 60_000).await.unwrap(), 0);
    other.close().await;
    db.finish().await;
}

on_both_backends!(
    attachments_are_stored_with_the_complaint,
    a_refused_attachment_leaves_nothing_stored,
    the_rate_limit_is_one_budget_per_client,
);
