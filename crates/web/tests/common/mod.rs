//! Test support: the real application on port 0 over a fresh database (SQLite, or a new
//! PostgreSQL database on the server named by ECODUTY_TEST_PG_URL), with the demo jurisdiction
//! and one user per role, and HTTP clients that keep cookies like a browser.

#![allow(dead_code)]

use std::net::SocketAddr;

use ecoduty_domain::access::UserRole;
use ecoduty_domain::RegionCode;
use ecoduty_store::users::NewUser;
use ecoduty_store::{Change, Store};
use ecoduty_web::{AppState, Config};
use sqlx::Connection;

pub const PASSWORD: &str = "Test-password-2026";

/// The users every test app has: (username, role, region).
pub const USERS: &[(&str, UserRole, Option<&str>)] = &[
    ("admin", UserRole::SystemAdmin, None),
    ("jz.admin", UserRole::RegionAdmin, Some("410800")),
    ("jz.auditor", UserRole::Auditor, Some("410800")),
    ("jz.leader", UserRole::Leader, Some("410800")),
    ("mz.officer", UserRole::Officer, Some("410883")),
    ("xz.admin", UserRole::RegionAdmin, Some("451322")),
    ("xz.inspector", UserRole::Inspector, Some("451322")),
    ("jz.discipline", UserRole::Discipline, Some("410800")),
    ("xz.discipline", UserRole::Discipline, Some("451322")),
];

pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
    server: tokio::task::JoinHandle<()>,
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "ecoduty_web_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn pg_url() -> String {
    std::env::var("ECODUTY_TEST_PG_URL")
        .expect("ECODUTY_TEST_PG_URL must name a PostgreSQL database to run the PostgreSQL tests")
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let slash = base.rfind('/').unwrap();
    format!("{}/{db}{query}", &base[..slash])
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        TestApp::start(false, Config::default()).await
    }

    pub async fn postgres() -> TestApp {
        TestApp::start(true, Config::default()).await
    }

    pub async fn start(postgres: bool, config: Config) -> TestApp {
        let (url, dir, pg) = if postgres {
            let admin = pg_url();
            let name = unique_name();
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .unwrap();
            (with_database(&admin, &name), None, Some((admin, name)))
        } else {
            let dir = tempfile::tempdir().unwrap();
            (
                format!("sqlite://{}/web.db", dir.path().display()),
                Some(dir),
                None,
            )
        };
        let store = Store::open(&url).await.unwrap();
        ecoduty_fixtures::demo::build(&store, "test", chrono::Local::now().date_naive())
            .await
            .unwrap();
        let hash = ecoduty_web::auth::password::hash(PASSWORD.into())
            .await
            .unwrap();
        for (name, role, region) in USERS {
            store
                .create_user(
                    &Change::new("test", "test users"),
                    NewUser {
                        username: name.to_string(),
                        display_name: format!("测试 {name}"),
                        role: *role,
                        region_code: region.map(|r| RegionCode::parse(r).unwrap()),
                        password_hash: hash.clone(),
                        one_time: false,
                    },
                )
                .await
                .unwrap();
        }
        let (addr, server) = serve(&store, config).await;
        TestApp {
            addr,
            store,
            url,
            _dir: dir,
            pg,
            server,
        }
    }

    /// Another server on the same database, as a second process behind a load balancer
    /// would be: its own store (connection pool) and state, with `config`.
    pub async fn second_server(&self, config: Config) -> SecondServer {
        let store = Store::open(&self.url).await.unwrap();
        let (addr, server) = serve(&store, config).await;
        SecondServer {
            addr,
            store,
            server,
        }
    }

    pub fn at(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that keeps cookies and does not follow redirects (so tests see them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// The CSRF token in a page's forms.
    pub fn csrf_of(html: &str) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = html.find(marker).expect("a CSRF field") + marker.len();
        html[start..].split('"').next().unwrap().to_string()
    }

    /// Signs in through the form; returns the client and the session's CSRF token.
    pub async fn sign_in(&self, username: &str) -> (reqwest::Client, String) {
        let c = self.client();
        let form = c
            .get(self.at("/signin"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let res = c
            .post(self.at("/signin"))
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("csrf", &Self::csrf_of(&form)),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "sign-in of {username} failed");
        let home = c.get(self.at("/")).send().await.unwrap();
        assert_eq!(home.status(), 200);
        let csrf = Self::csrf_of(&home.text().await.unwrap());
        (c, csrf)
    }

    /// A personal API token for `username`, made directly in the store.
    pub async fn token(&self, username: &str) -> String {
        let (user, _) = self
            .store
            .user_for_sign_in(username)
            .await
            .unwrap()
            .unwrap();
        let token = ecoduty_web::auth::secrets::api_token();
        self.store
            .create_api_token(
                &Change::new("test", "token"),
                &user,
                "test",
                &token[..8],
                &ecoduty_web::auth::secrets::digest(&token),
            )
            .await
            .unwrap();
        token
    }

    pub async fn finish(self) {
        self.server.abort();
        self.store.close().await;
        if let Some((admin, name)) = self.pg {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

/// A second server on a test app's database (see [`TestApp::second_server`]).
pub struct SecondServer {
    pub addr: SocketAddr,
    pub store: Store,
    server: tokio::task::JoinHandle<()>,
}

impl SecondServer {
    pub fn at(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Stops it; call before the test app's `finish`.
    pub async fn finish(self) {
        self.server.abort();
        self.store.close().await;
    }
}

/// Supervision records of one region, one of each kind a path can name.
pub struct SupervisionRecords {
    pub plan: i64,
    pub task: i64,
    pub round: i64,
    pub inspection: i64,
    pub finding: i64,
    pub evidence: String,
    pub check: i64,
    pub complaint: i64,
    pub emergency: i64,
    /// An accountability case opened by hand in the region.
    pub case: i64,
    /// A control unit of zoning control (its code) and a project check against it.
    pub zoning_unit: String,
    pub zoning_check: i64,
    /// An audit (in office) of the tenure of the region's government head today.
    pub audit: i64,
    /// A river with one segment in the region (its code), the government head's post made
    /// its river chief, and a patrol of today with a problem that became a finding.
    pub water: String,
    pub segment: String,
    pub chief: i64,
    pub patrol: i64,
}

/// Supervision records in a region, made through the store: a plan with a task and a progress
/// report citing an evidence file, a dispatch round, an inspection with a finding, a check,
/// a complaint, an environmental emergency (一般, reported an hour after it began), an
/// accountability case opened by hand, an audit of the government head's tenure, and a control unit of zoning control with one clause
/// and a check against it.
pub async fn supervision_records(app: &TestApp, region: &str) -> SupervisionRecords {
    use chrono::Duration;
    use ecoduty_domain::supervision::checks::CheckKind;
    use ecoduty_domain::supervision::complaints::Channel;
    use ecoduty_domain::supervision::evidence::EvidencePolicy;
    use ecoduty_domain::supervision::tasks::Basis;
    use ecoduty_domain::supervision::{
        Category, InspectionKind, InspectionLevel, Severity, Source,
    };
    use ecoduty_store::supervision::checks::NewCheck;
    use ecoduty_store::supervision::complaints::{NewAttachment, NewComplaint};
    use ecoduty_store::supervision::findings::NewFinding;
    use ecoduty_store::supervision::inspections::NewInspection;
    use ecoduty_store::supervision::plans::{NewPlan, NewProgress, NewRound, NewTask};
    let s = &app.store;
    let ch = Change::new("test", "foreign supervision records");
    let city = RegionCode::parse(region).unwrap();
    let units: Vec<i64> = s
        .organisations_in(&city, false)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    let today = chrono::Local::now().date_naive();
    let plan = s
        .create_plan(
            &ch,
            NewPlan {
                region_code: city.clone(),
                year: 2026,
                title: "年度重点工作计划".into(),
            },
        )
        .await
        .unwrap();
    let task = s
        .add_task(
            &ch,
            NewTask {
                plan_id: plan.id,
                title: "城区扬尘治理".into(),
                basis: Basis::Text("市委文件".into()),
                lead_organisation_id: units[0],
                responsible_post_id: None,
                cooperating: vec![],
                deadline: today + Duration::days(60),
                milestones: vec![],
            },
        )
        .await
        .unwrap();
    let (evidence, _) = s
        .add_evidence(
            &ch,
            "整改报告.txt",
            "已完成整改".as_bytes(),
            &EvidencePolicy::default(),
        )
        .await
        .unwrap();
    s.report_progress(
        &ch,
        NewProgress {
            task_id: task.id,
            organisation_id: None,
            round_id: None,
            reported_on: today,
            text: "推进中".into(),
            percent: 30,
            evidence: vec![evidence.clone()],
        },
    )
    .await
    .unwrap();
    let round = s
        .open_dispatch_round(
            &ch,
            NewRound {
                region_code: city.clone(),
                title: "一季度调度".into(),
                opened_on: today,
                due_date: today + Duration::days(7),
                year: None,
            },
        )
        .await
        .unwrap();
    let inspection = s
        .create_inspection(
            &ch,
            NewInspection {
                level: InspectionLevel::Municipal,
                kind: InspectionKind::Routine,
                title: "市级例行督察".into(),
                regions: vec![city.clone()],
                start_date: today - Duration::days(30),
                end_date: today - Duration::days(20),
                team: "第一督察组".into(),
            },
        )
        .await
        .unwrap();
    let finding = s
        .create_finding(
            &ch,
            NewFinding {
                region_code: city.clone(),
                source: Source::Inspection,
                inspection_id: Some(inspection.id),
                complaint_id: None,
                source_ref: String::new(),
                serial: "1".into(),
                category: Category::Air,
                severity: Severity::General,
                text: "城区施工工地扬尘管控不到位".into(),
                measures: String::new(),
                units: vec![units[0]],
                posts: vec![],
                deadline: Some(today + Duration::days(30)),
                review_every_days: None,
            },
            today,
        )
        .await
        .unwrap();
    let check = s
        .plan_check(
            &ch,
            NewCheck {
                by_organisation_id: units[1],
                on_organisation_id: units[0],
                kind: CheckKind::Inspection,
                subject: "扬尘治理检查".into(),
                date: today + Duration::days(10),
            },
            None,
        )
        .await
        .unwrap();
    let complaint = s
        .file_complaint_with_attachments(
            &ch,
            NewComplaint {
                region_code: city.clone(),
                address: "解放路".into(),
                category: Category::Noise,
                channel: Channel::Web,
                text: "夜间施工噪声扰民严重".into(),
                contact: None,
                received_on: today,
            },
            vec![NewAttachment {
                name: "夜间施工.png".into(),
                bytes: [b"\x89PNG\r\n\x1a\n".as_slice(), region.as_bytes()].concat(),
            }],
            &EvidencePolicy::default(),
        )
        .await
        .unwrap();
    let began = chrono::Utc::now() - Duration::hours(3);
    let emergency = s
        .report_emergency(
            &ch,
            ecoduty_store::emergency::NewEmergency {
                region_code: city.clone(),
                title: "化工企业储罐泄漏".into(),
                place: "工业园区".into(),
                kind: ecoduty_domain::emergency::EventKind::Air,
                pollutants: vec!["氯气".into()],
                level: ecoduty_domain::emergency::Level::General,
                occurred_at: began,
                reported_at: began + Duration::hours(1),
                risk_source_id: None,
                report: "储罐阀门泄漏,已疏散周边群众。".into(),
                evidence: vec![],
            },
        )
        .await
        .unwrap();
    let case = s
        .open_case(
            &ch,
            ecoduty_store::accountability::NewCase {
                source: ecoduty_domain::accountability::CaseSource::Manual,
                source_id: None,
                region_code: Some(city.clone()),
                title: "群众反映问题线索".into(),
                summary: "反映某单位整改不力".into(),
                act_dates: vec![today],
                opened_on: today,
            },
        )
        .await
        .unwrap();
    let zoning_unit = format!("ZH{}20001", &region[..6]);
    let unit = ecoduty_domain::zoning::UnitSpec {
        code: zoning_unit.clone(),
        name: "产业集聚区重点管控单元(测试)".into(),
        region_code: city.clone(),
        category: ecoduty_domain::zoning::UnitCategory::KeyControl,
        boundary: None,
        clauses: vec![ecoduty_domain::zoning::Clause {
            dimension: ecoduty_domain::zoning::Dimension::SpatialLayout,
            text: "禁止新建焦化项目。".into(),
            effect: ecoduty_domain::zoning::Effect::Forbidden,
            industries: vec![ecoduty_domain::zoning::IndustryCode::parse("2521").unwrap()],
        }],
    };
    s.import_zoning(&ch, None, vec![unit], true).await.unwrap();
    let zoning_check = s
        .record_zoning_check(
            &ch,
            None,
            &ecoduty_store::zoning::CheckTarget::Unit(zoning_unit.clone()),
            &ecoduty_domain::zoning::IndustryCode::parse("2521").unwrap(),
            chrono::Utc::now(),
        )
        .await
        .unwrap()
        .id;
    let head_holding = s
        .who(&city, today, Some(ecoduty_domain::Role::GovernmentHead))
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.holder.is_some())
        .expect("the region's government head");
    let head = head_holding.holder.clone().unwrap();
    let (water, segment, chief, patrol) =
        waters_records(app, &city, head_holding.post.id, units[0]).await;
    let audit = s
        .open_audit(
            &ch,
            ecoduty_store::audit::NewAudit {
                tenure_id: head.tenure.id,
                commissioned_by: "组织部".into(),
                team: String::new(),
                opened_on: today,
            },
        )
        .await
        .unwrap()
        .id;
    SupervisionRecords {
        water,
        segment,
        chief,
        patrol,
        audit,
        case: case.id,
        zoning_unit,
        zoning_check,
        plan: plan.id,
        task: task.id,
        round: round.id,
        inspection: inspection.id,
        finding: finding.id,
        evidence: evidence.sha256,
        check: check.check.id,
        complaint: complaint.complaint.id,
        emergency: emergency.emergency.id,
    }
}

/// A river (code `TEST-<region>`) with one segment in `region` monitored by section
/// `测试断面`, the post made its river chief at the region's level, and a patrol of today by
/// whoever holds the post, whose floating-debris problem became a finding assigned to `unit`:
/// (water code, segment code, chief id, patrol id). The chief is reused when the post already
/// is one.
pub async fn waters_records(
    app: &TestApp,
    region: &RegionCode,
    post: i64,
    unit: i64,
) -> (String, String, i64, i64) {
    use ecoduty_domain::waters::*;
    use ecoduty_store::waters::patrols::{NewPatrol, NewProblem};
    let s = &app.store;
    let ch = Change::new("test", "foreign waters records");
    let water = format!("TEST-{}", region.as_str());
    let segment = format!("{water}-1");
    s.save_water(
        &ch,
        None,
        WaterSpec {
            code: water.clone(),
            name: "测试河".into(),
            kind: WaterKind::River,
            segments: vec![SegmentSpec {
                code: segment.clone(),
                name: "测试河段".into(),
                region_code: region.clone(),
                seq: 1,
                sections: vec!["测试断面".into()],
                target_class: TargetClass::new(3).unwrap(),
                length_km: None,
            }],
        },
    )
    .await
    .unwrap();
    let level = match region.level() {
        ecoduty_domain::RegionLevel::Province => ChiefLevel::Province,
        ecoduty_domain::RegionLevel::Prefecture => ChiefLevel::City,
        ecoduty_domain::RegionLevel::County => ChiefLevel::County,
        _ => ChiefLevel::Township,
    };
    let chief = match s.chief_of_post(post).await.unwrap() {
        Some(c) => c,
        None => s
            .add_chief(
                &ch,
                ChiefSpec {
                    post_id: post,
                    kind: ChiefKind::River,
                    level,
                    region_code: region.clone(),
                    segments: vec![segment.clone()],
                    forests: vec![],
                },
            )
            .await
            .unwrap(),
    };
    let patrol = s
        .record_patrol(
            &ch,
            NewPatrol {
                chief_id: chief.id,
                target: PatrolTarget::Segment(segment.clone()),
                on: chrono::Utc::now().date_naive(),
                minutes: 90,
                metres: Some(3_000),
                track: None,
                problems: vec![NewProblem {
                    kind: ProblemKind::FloatingDebris,
                    text: "河面有漂浮垃圾".into(),
                    photos: vec![],
                    resolved_on_site: false,
                    units: vec![unit],
                    severity: ecoduty_domain::supervision::Severity::General,
                    deadline: None,
                }],
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap()
        .patrol
        .id;
    (water, segment, chief.id, patrol)
}

/// Runs each `async fn(TestApp)` on SQLite, and on PostgreSQL as an ignored twin.
#[macro_export]
///
/// `on_both_backends!(started_by start: a, b)` starts each app with the test file's own
/// `async fn start(postgres: bool) -> TestApp` (for a non-default `Config`).
macro_rules! on_both_backends {
    (started_by $start:ident: $($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::$start(false).await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
            async fn postgres() {
                super::$name(super::$start(true).await).await;
            }
        }
    )* };
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::TestApp::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL: set ECODUTY_TEST_PG_URL and run with --ignored"]
            async fn postgres() {
                super::$name($crate::common::TestApp::postgres().await).await;
            }
        }
    )* };
}

/// The web application over `store`, served on a free loopback port: its address and task.
async fn serve(store: &Store, config: Config) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = ecoduty_web::app(AppState::new(store.clone(), config));
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (addr, server)
}
