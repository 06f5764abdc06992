//! The supervision loop through the `ecoduty` binary, on the demo jurisdiction: a finding's
//! life with refused evidence and the separation of duties, a ledger import refused whole and
//! then accepted and exported, Art. 15's refusal and override, a dispatch round and the
//! scheduler's notices and escalation (run twice), the outbox against a local receiver, and a
//! public complaint followed by its tracking code and promoted to a finding.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output};

use ecoduty_domain::access::UserRole;
use ecoduty_store::users::NewUser;
use ecoduty_store::{Change, Store};

struct Cli {
    dir: tempfile::TempDir,
    db: String,
}

impl Cli {
    /// A database with the demo jurisdiction.
    fn demo() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}/cli.db", dir.path().display());
        let cli = Cli { dir, db };
        cli.ok(&["demo", "--quiet"]);
        cli
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run_as(&self, actor: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ecoduty"))
            .args(["--db", &self.db, "--actor", actor])
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    fn ok_as(&self, actor: &str, args: &[&str]) -> String {
        let out = self.run_as(actor, args, &[]);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_as("办事员", args)
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs a command that must be refused (exit status 2); returns its error output.
    fn refused_as(&self, actor: &str, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run_as(actor, args, env);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn refused(&self, args: &[&str]) -> String {
        self.refused_as("办事员", args, &[])
    }

    /// The id of an organisation of a region, by name.
    fn org(&self, region: &str, name: &str) -> (String, String) {
        let list = self.json(&["org", "list", "--region", region, "--json"]);
        let o = list
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["organisation"]["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {region}"));
        (
            o["organisation"]["id"].to_string(),
            o["posts"][0]["id"].to_string(),
        )
    }

    fn ledger_intact(&self) {
        let v = self.json(&["ledger", "verify", "--json"]);
        assert!(v["first_mismatch"].is_null(), "{v}");
    }

    /// Adds users straight through the store (the CLI has no command to create accounts).
    fn users(&self, users: &[(&str, UserRole, &str)]) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let store = Store::open(&self.db).await.unwrap();
            for (name, role, region) in users {
                store
                    .create_user(
                        &Change::new("测试", "建立用户"),
                        NewUser {
                            username: name.to_string(),
                            display_name: name.to_string(),
                            role: *role,
                            region_code: Some(region.parse().unwrap()),
                            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                            one_time: false,
                        },
                    )
                    .await
                    .unwrap();
            }
            store.close().await;
        });
    }
}

fn inspection(cli: &Cli) -> String {
    let out = cli.ok(&[
        "inspections",
        "create",
        "--level",
        "省级",
        "--kind",
        "routine",
        "--title",
        "第二轮省级生态环境保护督察",
        "--regions",
        "410800",
        "--from",
        "2026-03-01",
        "--to",
        "2026-04-01",
        "--team",
        "组长:李文海",
    ]);
    out.split('#')
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_finding_from_assignment_to_closure() {
    let cli = Cli::demo();
    let insp = inspection(&cli);
    let (unit, post) = cli.org("410883", "孟州市住房和城乡建设局");
    let added = cli.json(&[
        "findings",
        "add",
        "--region",
        "410883",
        "--inspection",
        &insp,
        "--text",
        "城区多处建筑工地扬尘管控不到位",
        "--unit",
        &unit,
        "--post",
        &post,
        "--deadline",
        "2026-06-30",
        "--on",
        "2026-04-02",
        "--json",
    ]);
    assert_eq!(added["category"], "air", "guessed from the text");
    let id = added["id"].to_string();
    cli.ok(&["findings", "start", &id, "--on", "2026-04-03"]);
    // Evidence that is not what it says, or too large, is refused; nothing changes.
    let fake = cli.path("整改报告.pdf");
    std::fs::write(&fake, b"MZ\x90\x00\x03\x00").unwrap();
    let e = cli.refused(&[
        "findings",
        "request-closure",
        &id,
        "--evidence",
        fake.to_str().unwrap(),
        "--comment",
        "完成",
    ]);
    assert!(e.contains("内容与扩展名不符"), "{e}");
    let report = cli.path("report.pdf");
    std::fs::write(&report, b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n").unwrap();
    let e = cli.refused_as(
        "办事员",
        &[
            "findings",
            "request-closure",
            &id,
            "--evidence",
            report.to_str().unwrap(),
            "--comment",
            "完成",
        ],
        &[("ECODUTY_EVIDENCE_MAX_BYTES", "10")],
    );
    assert!(e.contains("超过上限"), "{e}");
    // Without evidence at all, clap refuses before anything happens.
    let out = cli.run_as(
        "办事员",
        &["findings", "request-closure", &id, "--comment", "完成"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    cli.ok(&[
        "findings",
        "request-closure",
        &id,
        "--evidence",
        report.to_str().unwrap(),
        "--comment",
        "已完成整改",
        "--on",
        "2026-05-01",
    ]);
    let e = cli.refused(&["findings", "verify", &id]);
    assert!(e.contains("职责分离"), "{e}");
    cli.ok_as(
        "督察员",
        &[
            "findings",
            "return",
            &id,
            "--comment",
            "现场仍有裸土未覆盖",
            "--on",
            "2026-05-05",
        ],
    );
    cli.ok(&[
        "findings",
        "request-closure",
        &id,
        "--evidence",
        report.to_str().unwrap(),
        "--comment",
        "已覆盖",
        "--on",
        "2026-05-20",
    ]);
    cli.ok_as(
        "督察员",
        &[
            "findings",
            "verify",
            &id,
            "--comment",
            "核查通过",
            "--on",
            "2026-05-25",
        ],
    );
    let e = cli.refused(&["findings", "close", &id]);
    assert!(e.contains("职责分离"), "{e}");
    cli.ok_as("督察员", &["findings", "close", &id, "--on", "2026-05-26"]);
    let shown = cli.json(&["findings", "show", &id, "--json"]);
    let events: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["step"]["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "create",
            "start",
            "request_closure",
            "return",
            "request_closure",
            "verify",
            "close"
        ]
    );
    assert_eq!(shown["finding"]["status"], "closed");
    // The evidence comes back out by its digest, byte for byte.
    let sha = shown["finding"]["closure_evidence"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let out = cli.path("back.pdf");
    cli.ok(&["findings", "evidence", &sha, "--out", out.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&report).unwrap()
    );
    // The demo's own findings (its assessment's inspection) are left out: this inspection's.
    let listed = cli.json(&[
        "findings",
        "list",
        "--region",
        "410800",
        "--status",
        "closed",
        "--inspection",
        &insp,
        "--json",
    ]);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    // 象州县 has findings of its own in the demo, none of this inspection.
    assert_eq!(
        cli.json(&[
            "findings",
            "list",
            "--region",
            "451322",
            "--inspection",
            &insp,
            "--json"
        ])["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    cli.ledger_intact();
}

#[test]
fn a_ledger_import_is_all_or_nothing_and_exports_back() {
    let cli = Cli::demo();
    let insp = inspection(&cli);
    let header = "序号,问题,责任单位,责任人,整改时限,整改措施,进展情况,是否销号\n";
    let bad = cli.path("台账.csv");
    std::fs::write(
        &bad,
        format!(
            "{header}1,城区工地扬尘,焦作市住房和城乡建设局,局长,2026-06-30,覆盖裸土,,否\n\
             2,河道黑臭,焦作市不存在局,,2026年底,截污纳管,,否\n\
             3,施工噪声,孟州市住房和城乡建设局,局长,尽快,限时施工,,否\n"
        ),
    )
    .unwrap();
    let before = cli.json(&["ledger", "verify", "--json"])["entries"]
        .as_u64()
        .unwrap();
    let e = cli.refused(&[
        "findings",
        "import",
        bad.to_str().unwrap(),
        "--region",
        "410800",
        "--inspection",
        &insp,
        "--on",
        "2026-04-02",
    ]);
    assert!(
        e.contains("line 3, 责任单位") && e.contains("焦作市不存在局"),
        "{e}"
    );
    assert!(e.contains("line 4, 整改时限"), "{e}");
    assert!(e.contains("nothing was imported"), "{e}");
    assert_eq!(
        cli.json(&["ledger", "verify", "--json"])["entries"]
            .as_u64()
            .unwrap(),
        before
    );
    assert_eq!(
        cli.json(&["findings", "list", "--inspection", &insp, "--json"])["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // A good ledger as an XLSX workbook.
    let rows: Vec<Vec<String>> = [
        [
            "1",
            "城区工地扬尘",
            "焦作市住房和城乡建设局",
            "局长",
            "2026-06-30",
            "覆盖裸土",
            "",
            "否",
        ],
        [
            "2",
            "老旧小区雨污混接",
            "孟州市住房和城乡建设局",
            "局长",
            "长期坚持",
            "分片改造",
            "已完成三个小区",
            "否",
        ],
        [
            "3",
            "夜间施工噪声扰民",
            "孟州市住房和城乡建设局",
            "",
            "2026年5月底",
            "限时施工",
            "已整改",
            "是",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    let header: Vec<String> = header.trim().split(',').map(str::to_string).collect();
    let good = cli.path("台账.xlsx");
    std::fs::write(
        &good,
        ecoduty_tabular::write_xlsx("整改台账", &header, &rows).unwrap(),
    )
    .unwrap();
    let out = cli.ok(&[
        "findings",
        "import",
        good.to_str().unwrap(),
        "--region",
        "410800",
        "--inspection",
        &insp,
        "--on",
        "2026-04-02",
    ]);
    assert!(
        out.contains("3 findings (1 long-term, 1 awaiting verification"),
        "{out}"
    );
    let listed = cli.json(&[
        "findings",
        "list",
        "--region",
        "410800",
        "--inspection",
        &insp,
        "--json",
    ]);
    let statuses: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["closure_requested", "long_term", "assigned"],
        "newest first"
    );
    for name in ["导出.xlsx", "导出.csv"] {
        let file = cli.path(name);
        cli.ok(&[
            "findings",
            "export",
            file.to_str().unwrap(),
            "--region",
            "410800",
            "--inspection",
            &insp,
            "--on",
            "2026-04-02",
        ]);
        let table = ecoduty_tabular::read_path(&file).unwrap();
        assert_eq!(&table.header[..8], &header[..]);
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[1].1[4], "长期坚持");
        assert_eq!(table.rows[2].1[4], "2026-05-31");
        assert!(
            table.rows[0].1[3].ends_with("\u{FF08}局长\u{FF09}"),
            "{:?}",
            table.rows[0].1
        );
    }
    cli.ledger_intact();
}

#[test]
fn art15_refuses_a_check_over_the_limit_unless_overridden_in_writing() {
    let cli = Cli::demo();
    cli.users(&[
        ("jz.admin", UserRole::RegionAdmin, "410800"),
        ("mz.officer", UserRole::Officer, "410883"),
    ]);
    let (eco, _) = cli.org("410800", "焦作市生态环境局");
    let (housing, _) = cli.org("410800", "焦作市住房和城乡建设局");
    let (unit, _) = cli.org("410883", "孟州市住房和城乡建设局");
    let limits = cli.json(&[
        "checks",
        "limits",
        "--level",
        "prefecture",
        "--per-year",
        "1",
        "--min-days",
        "60",
        "--json",
    ]);
    assert_eq!(limits["by_level"]["prefecture"]["max_per_year"], 1);
    cli.ok(&[
        "checks",
        "plan",
        "--by",
        &eco,
        "--unit",
        &unit,
        "--date",
        "2026-03-01",
        "--subject",
        "扬尘治理检查",
    ]);
    let second = [
        "checks",
        "plan",
        "--by",
        &housing,
        "--unit",
        &unit,
        "--date",
        "2026-03-20",
        "--subject",
        "工地检查",
    ];
    let e = cli.refused(&second);
    assert!(
        e.contains("第十五条") && e.contains("上限为每年1次") && e.contains("相隔至少60天"),
        "{e}"
    );
    let mut by_officer = second.to_vec();
    by_officer.extend([
        "--override",
        "--justification",
        "群众投诉集中须立即检查",
        "--user",
        "mz.officer",
    ]);
    assert!(cli.refused(&by_officer).contains("无权"));
    let mut by_admin = second.to_vec();
    by_admin.extend([
        "--override",
        "--justification",
        "群众投诉集中须立即检查",
        "--user",
        "jz.admin",
    ]);
    let out = cli.ok(&by_admin);
    assert!(
        out.contains("超限登记 overridden by jz.admin") && out.contains("建议合并"),
        "{out}"
    );
    let merges = cli.json(&[
        "checks", "merges", "--region", "410883", "--year", "2026", "--json",
    ]);
    assert_eq!(merges[0]["days_apart"], 19);
    let burden = cli.json(&[
        "checks", "burden", "--region", "410883", "--year", "2026", "--json",
    ]);
    assert_eq!(burden[0]["total"], 2);
    assert_eq!(burden[0]["by_body"].as_array().unwrap().len(), 2);
    cli.ledger_intact();
}

/// A webhook receiver on a local port for `requests` requests, answering 503 to the first and
/// 204 to the others; returns its URL and a handle giving the requests it saw.
fn receiver(requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(false).unwrap();
        let mut seen = Vec::new();
        for n in 0..requests {
            let (mut sock, _) = listener.accept().unwrap();
            sock.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let k = sock.read(&mut chunk).unwrap_or(0);
                if k == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..k]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            seen.push(String::from_utf8_lossy(&buf).to_string());
            let status = if n == 0 {
                "503 Service Unavailable"
            } else {
                "204 No Content"
            };
            sock.write_all(
                format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .unwrap();
        }
        seen
    });
    (url, handle)
}

#[test]
fn a_dispatch_round_the_scheduler_and_the_outbox() {
    let cli = Cli::demo();
    cli.users(&[
        ("mz.officer", UserRole::Officer, "410883"),
        ("mz.leader", UserRole::Leader, "410883"),
        ("jz.inspector", UserRole::Inspector, "410800"),
    ]);
    let (city_unit, city_post) = cli.org("410800", "焦作市住房和城乡建设局");
    let (county_unit, county_post) = cli.org("410883", "孟州市住房和城乡建设局");
    let out = cli.ok(&[
        "plans",
        "create",
        "--region",
        "410800",
        // The demo holds the city's plans of 2025 and 2026: this one is for 2027.
        "--year",
        "2027",
        "--title",
        "焦作市2027年生态环境保护重点工作计划",
    ]);
    let plan = out
        .split('#')
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let e = cli.refused(&[
        "plans",
        "add-task",
        &plan,
        "--title",
        "x",
        "--basis",
        "第八条第九项",
        "--lead",
        &city_unit,
        "--deadline",
        "2026-12-31",
    ]);
    assert!(e.contains("no item 9"), "{e}");
    for (unit, post, title) in [
        (&city_unit, &city_post, "市区扬尘治理"),
        (&county_unit, &county_post, "雨污分流改造"),
    ] {
        cli.ok(&[
            "plans",
            "add-task",
            &plan,
            "--title",
            title,
            "--basis",
            "第八条第二项",
            "--lead",
            unit,
            "--post",
            post,
            "--deadline",
            "2026-12-31",
            "--milestone",
            "2026-06-30:完成过半",
        ]);
    }
    let tasks = cli.json(&["plans", "tasks", "--plan", &plan, "--json"]);
    let task_of = |region: &str| {
        tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["region_code"] == region)
            .unwrap()["id"]
            .to_string()
    };
    let out = cli.ok(&[
        "plans",
        "dispatch",
        "--region",
        "410800",
        "--title",
        "一季度调度",
        "--due",
        "2026-04-10",
        "--year",
        "2027",
        "--on",
        "2026-04-01",
    ]);
    assert!(out.contains("2 tasks of 2 units"), "{out}");
    let round = out
        .split('#')
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .to_string();
    let evidence = cli.path("进展.txt");
    std::fs::write(&evidence, "已完成方案编制。\n").unwrap();
    cli.ok(&[
        "plans",
        "report",
        &task_of("410800"),
        "--text",
        "方案已印发",
        "--percent",
        "30",
        "--round",
        &round,
        "--on",
        "2026-04-05",
        "--evidence",
        evidence.to_str().unwrap(),
    ]);
    let status = cli.json(&["plans", "round", &round, "--on", "2026-04-11", "--json"]);
    let units: Vec<(&str, &str)> = status["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["organisation_name"].as_str().unwrap(),
                u["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        units.contains(&("焦作市住房和城乡建设局", "reported")),
        "{units:?}"
    );
    assert!(
        units.contains(&("孟州市住房和城乡建设局", "missing")),
        "{units:?}"
    );

    // An overdue finding, the scheduler twice on the same day, and the day after.
    let insp = inspection(&cli);
    cli.ok(&[
        "findings",
        "add",
        "--region",
        "410883",
        "--inspection",
        &insp,
        "--text",
        "河道沿岸垃圾堆放",
        "--unit",
        &county_unit,
        "--post",
        &county_post,
        "--deadline",
        "2026-04-08",
        "--on",
        "2026-03-20",
    ]);
    let first = cli.json(&["scheduler", "run-once", "--now", "2026-04-11", "--json"]);
    assert_eq!(first["findings_marked_overdue"], 1);
    assert!(first["notifications"].as_u64().unwrap() > 0);
    let again = cli.json(&[
        "scheduler",
        "run-once",
        "--now",
        "2026-04-11T15:00:00+08:00",
        "--json",
    ]);
    assert_eq!(
        (
            again["findings_marked_overdue"].as_u64(),
            again["notifications"].as_u64()
        ),
        (Some(0), Some(0))
    );
    let inbox = cli.json(&[
        "scheduler",
        "notifications",
        "--user",
        "mz.officer",
        "--json",
    ]);
    let notices: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["notice"].as_str().unwrap())
        .collect();
    assert!(
        notices.contains(&"overdue") && notices.contains(&"report_missing"),
        "{notices:?}"
    );
    let up = cli.json(&[
        "scheduler",
        "notifications",
        "--user",
        "jz.inspector",
        "--json",
    ]);
    assert_eq!(up["items"][0]["notice"], "escalated");
    let leader = cli.json(&[
        "scheduler",
        "notifications",
        "--user",
        "mz.leader",
        "--json",
    ]);
    assert_eq!(
        leader["items"].as_array().unwrap().len(),
        1,
        "leaders hear of what is overdue only"
    );

    // The outbox: the receiver fails once; that row waits its delay, then goes. The passes
    // run a minute after the real clock, so that every queued row is due, including the
    // demo's (its emergency alerts are queued when the demo is built).
    let t0 = chrono::Utc::now() + chrono::Duration::minutes(1);
    let at = |seconds: i64| (t0 + chrono::Duration::seconds(seconds)).to_rfc3339();
    let queued = cli.json(&["scheduler", "outbox", "--json"])["pending"]
        .as_u64()
        .unwrap() as usize;
    assert!(queued >= 5, "{queued}");
    let (url, handle) = receiver(queued + 1);
    let r = cli.json(&[
        "scheduler",
        "send-outbox",
        "--webhook",
        &url,
        "--now",
        &at(0),
        "--json",
    ]);
    assert_eq!(
        (
            r["attempted"].as_u64(),
            r["failed"].as_u64(),
            r["pending"].as_u64()
        ),
        (Some(queued as u64), Some(1), Some(1)),
        "{r}"
    );
    let soon = cli.json(&[
        "scheduler",
        "send-outbox",
        "--webhook",
        &url,
        "--now",
        &at(10),
        "--json",
    ]);
    assert_eq!(soon["attempted"], 0, "not before its delay: {soon}");
    let later = cli.json(&[
        "scheduler",
        "send-outbox",
        "--webhook",
        &url,
        "--now",
        &at(60),
        "--json",
    ]);
    assert_eq!(
        (later["delivered"].as_u64(), later["pending"].as_u64()),
        (Some(1), Some(0)),
        "{later}"
    );
    let seen = handle.join().unwrap();
    assert_eq!(seen.len(), queued + 1);
    assert!(seen.iter().all(|r| r.contains("ecoduty-notification-")));
    cli.ledger_intact();
}

#[test]
fn a_complaint_is_followed_by_its_tracking_code_and_promoted() {
    let cli = Cli::demo();
    let (unit, post) = cli.org("410883", "孟州市住房和城乡建设局");
    let filed = cli.json(&[
        "complaints",
        "file",
        "--region",
        "410883",
        "--address",
        "孟州市河阳街道某工地",
        "--category",
        "噪声",
        "--text",
        "工地夜间施工噪声扰民,持续一个月",
        "--contact",
        "138-0000-0000",
        "--channel",
        "phone",
        "--on",
        "2026-03-01",
        "--json",
    ]);
    let code = filed["tracking_code"].as_str().unwrap().to_string();
    let id = filed["complaint"]["id"].to_string();
    let tracked = cli.json(&["complaints", "track", &code.to_lowercase(), "--json"]);
    assert_eq!(tracked["status"], "received");
    assert!(cli
        .refused(&["complaints", "track", "0000-0000-0000-0000-0000"])
        .contains("查询码不存在"));
    cli.ok(&[
        "complaints",
        "assign",
        &id,
        "--unit",
        &unit,
        "--due",
        "2026-03-31",
    ]);
    let out = cli.ok(&[
        "complaints",
        "promote",
        &id,
        "--unit",
        &unit,
        "--post",
        &post,
        "--deadline",
        "2026-04-15",
        "--on",
        "2026-03-05",
    ]);
    let finding = out
        .split("finding #")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let shown = cli.json(&["findings", "show", &finding, "--json"]);
    assert_eq!(shown["finding"]["source"], "complaint");
    assert_eq!(shown["finding"]["category"], "noise");
    cli.ok(&[
        "complaints",
        "answer",
        &id,
        "--text",
        "已责令停止夜间施工并立案查处",
        "--on",
        "2026-03-10",
    ]);
    let tracked = cli.json(&["complaints", "track", &code, "--json"]);
    assert_eq!(
        (tracked["status"].as_str(), tracked["promoted"].as_bool()),
        (Some("answered"), Some(true))
    );
    let stats = cli.json(&[
        "complaints",
        "stats",
        "--region",
        "410883",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--json",
    ]);
    assert_eq!(
        (
            stats[0]["total"].as_i64(),
            stats[0]["answered"].as_i64(),
            stats[0]["promoted"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    // Neither the contact nor the code is in the ledger.
    let log = cli.ok(&["log", "--entity", &format!("complaint:{id}"), "--json"]);
    assert!(
        !log.contains("138-0000-0000") && !log.contains(&code),
        "{log}"
    );
    cli.ledger_intact();
}
