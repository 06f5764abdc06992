//! The server: the router built from the route table, the layers every response passes
//! through (security headers, body limits, timeouts, tracing), serving with graceful shutdown,
//! and the background tasks: housekeeping (expired sessions, the public rate limit's rows of
//! clients whose whole burst is back), the scheduler's pass every
//! `scheduler_interval`, and the outbox sender when a webhook is configured.
//!
//! The scheduler's pass is the store's ([`ecoduty_store::Store::run_scheduler_pass`]): it is
//! idempotent (overdue marks are decided under the ledger's write lock from the stored state,
//! notifications are keyed by recipient, item, notice and day) and takes a lease row in the
//! database, so several servers on one PostgreSQL database can all run it — one does the
//! work, the others find the lease taken and skip that round. The outbox sender claims the
//! rows it posts, so two senders never post the same row at once.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// The content security policy: only this site's own scripts, styles and images, no inline
/// code, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The whole application.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for route in crate::routes::all() {
        let handler = if route.path.starts_with("/roster")
            || route.path.starts_with("/api/v1/roster")
            || route.path == "/assessment"
            || route.path == "/api/v1/regions/{code}/assessments"
        {
            route
                .handler
                .layer(DefaultBodyLimit::max(state.config.max_upload))
        } else if route.path == "/public/complaint" {
            // Up to MAX_ATTACHMENTS files, each within the evidence limit, and the text.
            let files = ecoduty_domain::supervision::complaints::MAX_ATTACHMENTS;
            route.handler.layer(DefaultBodyLimit::max(
                state.config.evidence_max_bytes.saturating_mul(files) + 64 * 1024,
            ))
        } else if takes_files(route.path) {
            // Room past the limit, so that a file just over it gets the evidence check's
            // answer naming its size and the limit.
            route.handler.layer(DefaultBodyLimit::max(
                state.config.evidence_max_bytes.max(state.config.max_upload) + 64 * 1024,
            ))
        } else {
            route.handler
        };
        router = router.route(route.path, handler);
    }
    let timeout = state.config.request_timeout;
    router
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(DefaultBodyLimit::max(state.config.max_body))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::from_fn(timeout_answer))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A request stopped by the timeout gets an answer like every other error: problem details
/// under /api, the error page elsewhere (the timeout layer itself answers with an empty body).
async fn timeout_answer(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let api = request.uri().path().starts_with("/api/");
    let res = next.run(request).await;
    if res.status() != StatusCode::REQUEST_TIMEOUT {
        return res;
    }
    if api {
        crate::error::ApiError(crate::error::AppError::Timeout).into_response()
    } else {
        crate::error::AppError::Timeout.into_response()
    }
}

/// Routes whose forms carry files (evidence, ledger sheets, complaint attachments, assessment
/// entries' evidence): their body
/// may be as large as an upload, plus room for the form's other fields.
fn takes_files(path: &str) -> bool {
    matches!(
        path,
        "/api/v1/evidence" | "/evidence" | "/findings/sheet" | "/public/complaint"
    ) || matches!(
        path,
        "/findings/{id}/step"
            | "/tasks/{id}/progress"
            | "/regions/{code}/assessment/{year}/entries"
    )
}

/// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let store = state.store.clone();
    let housekeeping = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = crate::auth::viewer::timestamp(chrono::Utc::now());
            if let Err(e) = store.delete_expired_sessions(&now).await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            if let Err(e) = store.prune_rate_limits(crate::ratelimit::now_ms()).await {
                tracing::warn!(error = %e, "could not delete spent rate-limit rows");
            }
        }
    });
    let scheduler = spawn_scheduler(&state);
    let outbox = spawn_outbox(&state);
    on_ready(bound);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    housekeeping.abort();
    if let Some(task) = scheduler {
        task.abort();
    }
    if let Some(task) = outbox {
        task.abort();
    }
    Ok(())
}

/// Runs the scheduler's pass now and then every `scheduler_interval` (none when it is zero).
pub fn spawn_scheduler(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    use ecoduty_store::supervision::scheduler::SchedulerConfig;
    use ecoduty_store::supervision::SystemClock;
    let every = state.config.scheduler_interval;
    if every.is_zero() {
        return None;
    }
    let store = state.store.clone();
    let config = SchedulerConfig {
        actor: "scheduler (serve)".into(),
        // A pass may take long on a national database; the lease outlives the interval so
        // that another server does not start the same work meanwhile.
        lease_seconds: (every.as_secs() as i64).max(600),
        ..SchedulerConfig::default()
    };
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match store.run_scheduler_pass(&SystemClock, &config).await {
                Ok(r) if r.skipped => {
                    tracing::info!("scheduler: another server holds the lease; skipped")
                }
                Ok(r) => tracing::info!(
                    findings = r.findings_marked_overdue,
                    tasks = r.tasks_marked_overdue,
                    notifications = r.notifications,
                    "scheduler pass done"
                ),
                Err(e) => tracing::warn!(error = %e, "scheduler pass failed; retried next round"),
            }
        }
    }))
}

/// Posts queued notifications to the webhook every 30 seconds, when one is configured.
pub fn spawn_outbox(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    use ecoduty_store::supervision::outbox::OutboxConfig;
    use ecoduty_store::supervision::SystemClock;
    let url = state.config.webhook_url.clone()?;
    let store = state.store.clone();
    let config = OutboxConfig::new(url);
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match store.send_outbox_once(&SystemClock, &config).await {
                Ok(r) if r.attempted > 0 => tracing::info!(
                    delivered = r.delivered,
                    failed = r.failed,
                    pending = r.pending,
                    "outbox pass done"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox pass failed; retried next round"),
            }
        }
    }))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
