//! Departure audits in the store, on both backends: 孟州市's asset accounts are imported all or
//! nothing (an unchanged sheet writes nothing, a changed account is a new version, a region
//! outside the importer's or not stored refuses the whole sheet); the ended tenure of the
//! government head who has since moved to 象州县 is listed as due; a deputy's tenure is not
//! audited, a tenure has one audit; the dossier compares the accounts inherited and left,
//! counts the tenure's findings (the one still open listed), complaints and emergencies, the
//! years held; an audit finding becomes a finding (source: audit) of the post's organisation,
//! and opens a case proposing the departed head on the finding's act date, which then shows in
//! the dossier; the report ends the audit and further findings are refused; the ledger is
//! intact.

mod common;

use common::{change, code, date, hold, org, person, post, TestDb};
use ecoduty_domain::audit::assets;
use ecoduty_domain::audit::{AssetCategory, AuditKind, AuditStatus};
use ecoduty_domain::emergency::{EventKind, Level};
use ecoduty_domain::supervision::complaints::Channel;
use ecoduty_domain::supervision::{Category, Severity, Source};
use ecoduty_domain::{OrganisationKind, Role};
use ecoduty_store::audit::{AuditFilter, AuditFindingSpec, NewAudit, ReportSpec};
use ecoduty_store::emergency::{parse_china_time, NewEmergency};
use ecoduty_store::supervision::complaints::NewComplaint;
use ecoduty_store::supervision::findings::NewFinding;
use ecoduty_store::{Change, Store, StoreError};

const MENGZHOU: &str = "410883";

fn sheet(rows: &[&str]) -> Vec<assets::AccountSpec> {
    let header: Vec<String> = assets::COLUMNS.iter().map(|s| s.to_string()).collect();
    let rows: Vec<(usize, Vec<String>)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 2, r.split(',').map(str::to_string).collect()))
        .collect();
    assets::parse("资产账户.csv", &header, &rows).unwrap()
}

fn invalid(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, message } => format!("{field}: {message}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn refused_zh(e: StoreError) -> String {
    match e {
        StoreError::Refused { reason, .. } => reason.zh,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

struct County {
    gov: i64,
    head_post: i64,
    former_head: i64,
    former_tenure: i64,
    deputy_tenure: i64,
}

async fn county(st: &Store) -> County {
    let gov = org(
        st,
        MENGZHOU,
        "孟州市人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    let xz_gov = org(
        st,
        "451322",
        "象州县人民政府",
        OrganisationKind::Government,
        false,
    )
    .await;
    let head_post = post(st, gov, "市长", Role::GovernmentHead).await;
    let deputy_post = post(st, gov, "副市长", Role::DeputyEco).await;
    let xz_head = post(st, xz_gov, "县长", Role::GovernmentHead).await;
    let former_head = person(st, "周前任").await;
    let successor = person(st, "吴现任").await;
    let deputy = person(st, "郑分管").await;
    let former_tenure = hold(st, head_post, former_head, "2021-06-01", Some("2026-05-01")).await;
    hold(st, xz_head, former_head, "2026-05-01", None).await;
    hold(st, head_post, successor, "2026-05-01", None).await;
    let deputy_tenure = hold(st, deputy_post, deputy, "2020-01-01", Some("2026-03-01")).await;
    County {
        gov,
        head_post,
        former_head,
        former_tenure,
        deputy_tenure,
    }
}

async fn asset_accounts_are_imported_all_or_nothing_and_versioned(db: TestDb) {
    let st = &db.store;
    let ch = change("导入自然资源资产账户");
    let rows = [
        "410883,2020,土地,耕地面积,公顷,30000,国土变更调查",
        "410883,2020,森林资源,森林面积,公顷,5000,林草年报",
        "410883,2025,土地,耕地面积,公顷,29400,国土变更调查",
        "410883,2025,森林资源,森林面积,公顷,5600,林草年报",
    ];
    let r = st
        .import_asset_accounts(&ch, Some(&code("410800")), sheet(&rows))
        .await
        .unwrap();
    assert_eq!((r.created, r.updated, r.unchanged), (2, 0, 0));
    let seq = st.verify_ledger().await.unwrap().entries;
    let r = st
        .import_asset_accounts(&ch, None, sheet(&rows))
        .await
        .unwrap();
    assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 2));
    assert_eq!(
        st.verify_ledger().await.unwrap().entries,
        seq,
        "unchanged writes nothing"
    );

    let mut changed = rows.to_vec();
    changed[3] = "410883,2025,森林资源,森林面积,公顷,5650,林草年报(修订)";
    let r = st
        .import_asset_accounts(&ch, None, sheet(&changed))
        .await
        .unwrap();
    assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 1));
    let accounts = st.asset_accounts(&code(MENGZHOU)).await.unwrap();
    assert_eq!(
        accounts.iter().map(|a| a.year).collect::<Vec<_>>(),
        vec![2020, 2025]
    );
    let versions = st.asset_account_versions(accounts[1].id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].lines[1].value, 5600.0);
    assert_eq!(versions[1].lines[1].value, 5650.0);

    // Outside the importer's region, or not a stored region: nothing of the sheet is written.
    let before = st.verify_ledger().await.unwrap().entries;
    let e = st
        .import_asset_accounts(
            &ch,
            Some(&code("410800")),
            sheet(&[
                "410883,2026,土地,耕地面积,公顷,29000,调查",
                "451322,2026,土地,耕地面积,公顷,1,调查",
            ]),
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("outside your region"));
    let e = st
        .import_asset_accounts(
            &ch,
            None,
            sheet(&[
                "410883,2026,土地,耕地面积,公顷,29000,调查",
                "410899,2026,土地,耕地面积,公顷,1,调查",
            ]),
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("not a stored region"));
    assert_eq!(st.verify_ledger().await.unwrap().entries, before);
    assert!(st
        .asset_accounts_within(Some(&code("410800")), Some(2026))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        st.asset_accounts_within(Some(&code("410800")), None)
            .await
            .unwrap()
            .len(),
        2
    );
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

async fn a_departure_audit_from_the_dossier_to_the_report(db: TestDb) {
    let st = &db.store;
    let c = county(st).await;
    st.import_asset_accounts(
        &change("导入账户"),
        None,
        sheet(&[
            "410883,2019,土地,耕地面积,公顷,30100,国土变更调查",
            "410883,2020,土地,耕地面积,公顷,30000,国土变更调查",
            "410883,2020,森林资源,森林面积,公顷,5000,林草年报",
            "410883,2025,土地,耕地面积,公顷,29400,国土变更调查",
            "410883,2025,森林资源,森林面积,公顷,5600,林草年报",
            "410883,2025,湿地资源,湿地面积,公顷,120,湿地调查",
        ]),
    )
    .await
    .unwrap();
    // During the tenure: a finding still open at the departure, one raised after it, a
    // complaint, an emergency.
    let finding = |text: &str| NewFinding {
        region_code: code(MENGZHOU),
        source: Source::Media,
        inspection_id: None,
        complaint_id: None,
        source_ref: "焦作日报".into(),
        serial: String::new(),
        category: Category::Water,
        severity: Severity::General,
        text: text.into(),
        measures: String::new(),
        units: vec![c.gov],
        posts: vec![],
        deadline: Some(date("2026-09-01")),
        review_every_days: None,
    };
    let open_one = st
        .create_finding(
            &change("曝光"),
            finding("蟒河沿岸垃圾堆放"),
            date("2025-03-01"),
        )
        .await
        .unwrap()
        .id;
    st.create_finding(
        &change("曝光"),
        finding("离任后发现的问题"),
        date("2026-05-20"),
    )
    .await
    .unwrap();
    st.file_complaint(
        &change("受理"),
        NewComplaint {
            region_code: code(MENGZHOU),
            address: "孟州市河阳街道".into(),
            category: Category::Air,
            channel: Channel::Phone,
            text: "工业园区夜间有刺鼻异味".into(),
            contact: None,
            received_on: date("2025-05-01"),
        },
    )
    .await
    .unwrap();
    st.report_emergency(
        &change("报告"),
        NewEmergency {
            region_code: code(MENGZHOU),
            title: "蟒河水污染事件".into(),
            place: "孟州市城区".into(),
            kind: EventKind::Water,
            pollutants: vec!["COD".into()],
            level: Level::Large,
            occurred_at: parse_china_time("2024-07-10 08:00").unwrap(),
            reported_at: parse_china_time("2024-07-10 09:00").unwrap(),
            risk_source_id: None,
            report: "初报".into(),
            evidence: vec![],
        },
    )
    .await
    .unwrap();

    // The ended tenures of audited posts are due; the deputy's is not.
    let due = st
        .audits_due(
            Some(&code("410800")),
            date("2026-01-01"),
            date("2027-01-01"),
        )
        .await
        .unwrap();
    assert_eq!(
        due.iter().map(|d| d.tenure_id).collect::<Vec<_>>(),
        vec![c.former_tenure]
    );
    assert_eq!(due[0].person, "周前任");

    let auditor = Change::new("sj.auditor", "受市委组织部委托开展离任审计");
    let new = |tenure_id| NewAudit {
        tenure_id,
        commissioned_by: "中共焦作市委组织部".into(),
        team: "焦作市审计局审计组".into(),
        opened_on: date("2026-06-01"),
    };
    let e = st
        .open_audit(&auditor, new(c.deputy_tenure))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("不在自然资源资产离任审计的对象之列"));
    let audit = st.open_audit(&auditor, new(c.former_tenure)).await.unwrap();
    assert_eq!(audit.kind, AuditKind::Departure);
    assert_eq!(audit.status, AuditStatus::Open);
    assert_eq!(
        (audit.data.period_start, audit.data.period_end),
        (date("2021-06-01"), date("2026-05-01"))
    );
    assert!(audit.data.title.contains("周前任"), "{}", audit.data.title);
    let e = st
        .open_audit(&auditor, new(c.former_tenure))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains(&format!("已有审计 #{}", audit.id)));
    assert!(st
        .audits_due(
            Some(&code("410800")),
            date("2026-01-01"),
            date("2027-01-01")
        )
        .await
        .unwrap()
        .is_empty());

    let d = st.audit_dossier(&audit, date("2026-06-01")).await.unwrap();
    // Inherited: the account of 2020 (the year before taking office); left: 2025's.
    assert_eq!(
        (d.assets.start_year, d.assets.end_year),
        (Some(2020), Some(2025))
    );
    let land = d
        .assets
        .lines
        .iter()
        .find(|l| l.category == AssetCategory::Land)
        .unwrap();
    assert_eq!(
        (land.start, land.end, land.change),
        (Some(30000.0), Some(29400.0), Some(-600.0))
    );
    assert_eq!(land.change_percent, Some(-2.0));
    let wet = d
        .assets
        .lines
        .iter()
        .find(|l| l.category == AssetCategory::Wetland)
        .unwrap();
    assert_eq!((wet.start, wet.change), (None, None));
    assert_eq!(
        d.years.iter().map(|y| y.year.year).collect::<Vec<_>>(),
        vec![2021, 2022, 2023, 2024, 2025, 2026]
    );
    assert_eq!(
        d.findings.raised, 1,
        "the finding raised after leaving is not his"
    );
    assert_eq!(d.findings.open_at_end, 1);
    assert_eq!(d.open_findings.len(), 1);
    assert_eq!(d.open_findings[0].id, open_one);
    assert_eq!(d.complaints.received, 1);
    assert_eq!(d.emergencies.len(), 1);
    assert_eq!(d.emergencies[0].level, Level::Large.key());
    assert!(d.cases.is_empty());

    // Audit findings: the act date must lie within the tenure, the deadline after the day.
    let spec = |act: Option<&str>, deadline: &str| AuditFindingSpec {
        text: "任期内耕地面积减少 600 公顷,占补平衡未落实".into(),
        category: Some(Category::Ecology),
        severity: Severity::Serious,
        measures: "落实耕地占补平衡".into(),
        units: vec![],
        deadline: date(deadline),
        act_date: act.map(date),
        recorded_on: date("2026-06-20"),
    };
    let e = st
        .record_audit_finding(&auditor, audit.id, spec(Some("2026-05-10"), "2026-12-31"))
        .await
        .unwrap_err();
    assert!(invalid(e).contains("outside the audited period"));
    let e = st
        .record_audit_finding(&auditor, audit.id, spec(None, "2026-06-01"))
        .await
        .unwrap_err();
    assert!(invalid(e).starts_with("deadline"));
    let (audit, finding_id) = st
        .record_audit_finding(&auditor, audit.id, spec(None, "2026-12-31"))
        .await
        .unwrap();
    assert_eq!(audit.rev, 2);
    assert_eq!(audit.data.findings[0].act_date, date("2026-04-30"));
    let f = st.finding(finding_id).await.unwrap().unwrap();
    assert_eq!(f.source, Source::Audit);
    assert_eq!(
        f.units,
        vec![c.gov],
        "the audited post's organisation answers"
    );
    assert_eq!(f.posts, vec![c.head_post]);
    assert_eq!(f.source_ref, format!("审计 #{} 第1项", audit.id));

    // A case from it proposes the departed head, named where he is now.
    let case = st
        .open_case_from_audit(
            &Change::new("jw.clerk", "审计移送问题线索"),
            audit.id,
            1,
            "",
            date("2026-06-25"),
        )
        .await
        .unwrap();
    assert_eq!(case.data.act_dates, vec![date("2026-04-30")]);
    assert!(
        case.data.source_label.starts_with("审计发现"),
        "{}",
        case.data.source_label
    );
    let head = case
        .person(c.former_head)
        .expect("the departed head is proposed");
    assert!(head.left);
    assert!(
        head.now.iter().any(|p| p.contains("象州县")),
        "{:?}",
        head.now
    );
    let e = st
        .open_case_from_audit(
            &Change::new("jw.clerk", "线索"),
            audit.id,
            2,
            "",
            date("2026-06-25"),
        )
        .await
        .unwrap_err();
    assert!(invalid(e).contains("has no finding 2"));
    let d = st.audit_dossier(&audit, date("2026-06-26")).await.unwrap();
    assert_eq!(d.cases.len(), 1);
    assert_eq!(d.audit_findings.len(), 1);
    let mut withheld = d.clone();
    withheld.withhold_cases();
    assert!(withheld.cases.is_empty() && withheld.cases_withheld);

    // The report ends the audit.
    let report = ReportSpec {
        document_no: "焦审经责报〔2026〕8号".into(),
        issued_on: date("2026-07-15"),
        summary: "任期内耕地保护责任落实不到位……".into(),
        sent_to: vec![
            "中共焦作市委组织部".into(),
            "焦作市纪委监委".into(),
            " ".into(),
        ],
    };
    let audit = st
        .report_audit(&auditor, audit.id, report.clone())
        .await
        .unwrap();
    assert_eq!(audit.status, AuditStatus::Reported);
    assert_eq!(audit.data.report.as_ref().unwrap().sent_to.len(), 2);
    let e = st
        .report_audit(&auditor, audit.id, report)
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("已出具"));
    let e = st
        .record_audit_finding(&auditor, audit.id, spec(None, "2026-12-31"))
        .await
        .unwrap_err();
    assert!(refused_zh(e).contains("审计报告已出具"));

    let versions = st.audit_versions(audit.id).await.unwrap();
    assert_eq!(versions.len(), 3);
    let listed = st
        .audits(&AuditFilter {
            within: Some(code("410800")),
            status: Some(AuditStatus::Reported),
            person_id: Some(c.former_head),
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(st
        .audits(&AuditFilter {
            within: Some(code("451322")),
            ..Default::default()
        })
        .await
        .unwrap()
        .is_empty());
    let report = st.verify_ledger().await.unwrap();
    assert!(report.ok(), "{:?}", report.first_mismatch);
    db.finish().await;
}

on_both_backends!(
    asset_accounts_are_imported_all_or_nothing_and_versioned,
    a_departure_audit_from_the_dossier_to_the_report,
);
