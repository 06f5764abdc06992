//! Settings of the web server, each with its default and environment variable. Secrets never
//! appear here: the only secret a deployment has is its database URL, read by the CLI.

use std::time::Duration;

/// How the server behaves. `Default` is right for a development machine; a deployment behind
/// HTTPS sets `secure_cookies`.
#[derive(Debug, Clone)]
pub struct Config {
    /// A session ends after this long without a request (`ECODUTY_SESSION_IDLE_MINUTES`, 30).
    pub session_idle: Duration,
    /// Cookies carry the Secure flag (`ECODUTY_SECURE_COOKIES=1`; off by default so that
    /// plain-HTTP localhost works).
    pub secure_cookies: bool,
    /// Largest request body for forms and JSON (`ECODUTY_MAX_BODY_KB`, 256 KiB).
    pub max_body: usize,
    /// Largest upload, such as a roster workbook (`ECODUTY_MAX_UPLOAD_MB`, 10 MiB).
    pub max_upload: usize,
    /// A request that takes longer is answered 408 (`ECODUTY_REQUEST_TIMEOUT_SECONDS`, 30).
    pub request_timeout: Duration,
    /// Failed sign-ins for one username (or from one address, ×4) before it is locked.
    pub max_failed_sign_ins: i64,
    /// How long failures count and a lock lasts (`ECODUTY_LOCKOUT_MINUTES`, 15).
    pub lockout: Duration,
    /// Largest evidence file (佐证材料, complaint attachments, ledger sheets kept as evidence)
    /// (`ECODUTY_EVIDENCE_MAX_BYTES`, the variable the CLI reads too; 10 MiB).
    pub evidence_max_bytes: usize,
    /// Requests one client address may send to the public complaint form at once
    /// (`ECODUTY_PUBLIC_RATE_BURST`, 5) …
    pub public_burst: u32,
    /// … and per minute after that (`ECODUTY_PUBLIC_RATE_PER_MINUTE`, 2). More: 429.
    pub public_per_minute: u32,
    /// How often the server runs the scheduler's pass (`ECODUTY_SCHEDULER_INTERVAL`, seconds,
    /// 300; 0 turns it off).
    pub scheduler_interval: Duration,
    /// Where the outbox sender posts notifications (`ECODUTY_WEBHOOK_URL`; none: no sender).
    pub webhook_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_idle: Duration::from_secs(30 * 60),
            secure_cookies: false,
            max_body: 256 * 1024,
            max_upload: 10 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            max_failed_sign_ins: 5,
            lockout: Duration::from_secs(15 * 60),
            evidence_max_bytes: 10 * 1024 * 1024,
            public_burst: 5,
            public_per_minute: 2,
            scheduler_interval: Duration::from_secs(300),
            webhook_url: None,
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

impl Config {
    /// The defaults, overridden by the environment variables named on each field.
    pub fn from_env() -> Config {
        let mut c = Config::default();
        if let Some(m) = env_u64("ECODUTY_SESSION_IDLE_MINUTES") {
            c.session_idle = Duration::from_secs(m * 60);
        }
        if let Ok(v) = std::env::var("ECODUTY_SECURE_COOKIES") {
            c.secure_cookies = matches!(v.trim(), "1" | "true" | "yes");
        }
        if let Some(k) = env_u64("ECODUTY_MAX_BODY_KB") {
            c.max_body = (k * 1024) as usize;
        }
        if let Some(m) = env_u64("ECODUTY_MAX_UPLOAD_MB") {
            c.max_upload = (m * 1024 * 1024) as usize;
        }
        if let Some(s) = env_u64("ECODUTY_REQUEST_TIMEOUT_SECONDS") {
            c.request_timeout = Duration::from_secs(s);
        }
        if let Some(m) = env_u64("ECODUTY_LOCKOUT_MINUTES") {
            c.lockout = Duration::from_secs(m * 60);
        }
        if let Some(n) = env_u64("ECODUTY_EVIDENCE_MAX_BYTES") {
            c.evidence_max_bytes = n as usize;
        }
        if let Some(n) = env_u64("ECODUTY_PUBLIC_RATE_BURST") {
            c.public_burst = n.clamp(1, 10_000) as u32;
        }
        if let Some(n) = env_u64("ECODUTY_PUBLIC_RATE_PER_MINUTE") {
            c.public_per_minute = n.clamp(1, 10_000) as u32;
        }
        if let Some(s) = env_u64("ECODUTY_SCHEDULER_INTERVAL") {
            c.scheduler_interval = Duration::from_secs(s);
        }
        if let Ok(url) = std::env::var("ECODUTY_WEBHOOK_URL") {
            let url = url.trim();
            if !url.is_empty() {
                c.webhook_url = Some(url.to_string());
            }
        }
        c
    }
}
