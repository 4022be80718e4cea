//! `lintseq serve`: the execution service.
//!
//! SandboxFusion's `POST /run_code` on lintseq's sandbox (see `api.rs` for
//! the protocol and `lintseq_sandbox::code` for how programs run), plus
//! `GET /healthz` and `GET /metrics` (Prometheus text). Requests wait in a
//! bounded queue for one of the workers (`pool.rs`); when it is full they
//! are answered 429 with `Retry-After` at once. Each request has a
//! deadline: its compile and run timeouts plus the time it may wait in the
//! queue; one that passes it is answered 504 (which verl's client retries).
//! Bodies are capped. A bind outside loopback needs a bearer token, checked
//! in constant time. SIGTERM or SIGINT stops accepting connections, lets
//! the requests in flight finish and then returns.

pub mod api;
pub mod pool;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lintseq_sandbox::Isolation;
use lintseq_sandbox::code::CodeTools;
use serde_json::{Value, json};

use crate::pool::{BUCKETS, Outcome, Pool, Refused};

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    /// Programs run at once.
    pub workers: usize,
    /// Requests that may wait for a worker; more are refused with 429.
    pub queue: usize,
    /// The bearer token clients must send, if any.
    pub token: Option<String>,
    /// Largest request body, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// Longest a request may wait in the queue before it starts.
    pub queue_timeout: Duration,
    pub isolation: Isolation,
    pub tools: CodeTools,
}

impl ServeConfig {
    /// Defaults for `listen` with `workers` workers.
    pub fn new(listen: SocketAddr, workers: usize) -> ServeConfig {
        ServeConfig {
            listen,
            workers,
            queue: workers.max(1) * 64,
            token: None,
            max_body_bytes: 8 << 20,
            queue_timeout: Duration::from_secs(60),
            isolation: Isolation::Full,
            tools: CodeTools::discover(),
        }
    }
}

struct AppState {
    pool: Pool,
    token: Option<Vec<u8>>,
    queue_timeout: Duration,
    started: Instant,
    http: std::sync::Mutex<std::collections::BTreeMap<(&'static str, u16), u64>>,
}

impl AppState {
    fn count(&self, endpoint: &'static str, status: StatusCode) {
        *self
            .http
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry((endpoint, status.as_u16()))
            .or_insert(0) += 1;
    }
}

/// Starts the workers and serves on `config.listen` until SIGTERM or
/// SIGINT, then drains. Blocks; builds its own runtime.
pub fn serve(config: ServeConfig, on_ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let app = router(&config)?;
        on_ready(address);
        axum::serve(listener, app)
            .with_graceful_shutdown(termination())
            .await
            .map_err(|e| format!("the server failed: {e}"))
    })
}

/// The service's routes, with their workers started. Refuses a bind
/// outside loopback without a token.
pub fn router(config: &ServeConfig) -> Result<Router, String> {
    if !config.listen.ip().is_loopback() && config.token.is_none() {
        return Err(format!(
            "{} is not a loopback address: give a bearer token (--token-file) so that strangers cannot run code here",
            config.listen
        ));
    }
    let pool = Pool::start(
        config.workers,
        config.queue,
        config.isolation,
        config.tools.clone(),
    )?;
    let state = Arc::new(AppState {
        pool,
        token: config.token.as_ref().map(|t| t.as_bytes().to_vec()),
        queue_timeout: config.queue_timeout,
        started: Instant::now(),
        http: std::sync::Mutex::default(),
    });
    Ok(Router::new()
        .route("/run_code", post(run_code))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .with_state(state))
}

async fn termination() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Whether the request carries the token (always, without one).
fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = &state.token else {
        return true;
    };
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    constant_time_eq(given.as_bytes(), token)
}

/// Compares without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn unauthorized() -> Response {
    let mut response = json_response(
        StatusCode::UNAUTHORIZED,
        &json!({"detail": "a bearer token is required (Authorization: Bearer ...)"}),
    );
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

async fn run_code(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let response = run_code_inner(&state, &headers, &body).await;
    state.count("run_code", response.status());
    response
}

async fn run_code_inner(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Response {
    if !authorized(state, headers) {
        return unauthorized();
    }
    let request = match api::parse_run_code(body) {
        Ok(request) => request,
        Err(bad) => return json_response(StatusCode::BAD_REQUEST, &bad.body()),
    };
    let language = request.language.name();
    // What the request may take: its own timeouts, the queue, and a grace
    // period for starting and cleaning up.
    let budget = request.compile_timeout
        + request.run_timeout
        + state.queue_timeout
        + Duration::from_secs(10);
    let deadline = Instant::now() + budget;
    let started = Instant::now();
    let receiver = match state.pool.submit(request, deadline) {
        Ok(receiver) => receiver,
        Err(Refused::Full) => {
            let mut response = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"detail": "every worker is busy and the queue is full; retry shortly"}),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return response;
        }
        Err(Refused::Closed) => {
            return json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &json!({"detail": "the server is shutting down"}),
            );
        }
    };
    let outcome = tokio::time::timeout(budget, receiver).await;
    let stats = &state.pool.stats;
    match outcome {
        Ok(Ok(Outcome::Ran(run))) => {
            let (body, status) = api::run_code_response(&run);
            stats.record(language, status, started.elapsed());
            json_response(StatusCode::OK, &body)
        }
        Ok(Ok(Outcome::Failed(message))) => {
            stats.record(language, "SandboxError", started.elapsed());
            json_response(StatusCode::OK, &api::sandbox_error(&message))
        }
        Ok(Ok(Outcome::Expired)) | Err(_) => json_response(
            StatusCode::GATEWAY_TIMEOUT,
            &json!({"detail": "the request's deadline passed before its program could finish; retry"}),
        ),
        Ok(Err(_)) => {
            stats.record(language, "SandboxError", started.elapsed());
            json_response(
                StatusCode::OK,
                &api::sandbox_error("the worker running this program was lost"),
            )
        }
    }
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let stats = &state.pool.stats;
    let body = json!({
        "status": "ok",
        "workers": stats.workers,
        "queue_capacity": stats.capacity,
        "queued": stats.queued.load(Ordering::SeqCst).max(0),
        "in_flight": stats.in_flight.load(Ordering::SeqCst).max(0),
        "uptime_seconds": state.started.elapsed().as_secs_f64(),
    });
    state.count("healthz", StatusCode::OK);
    json_response(StatusCode::OK, &body)
}

async fn metrics(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        state.count("metrics", StatusCode::UNAUTHORIZED);
        return unauthorized();
    }
    state.count("metrics", StatusCode::OK);
    let text = render_metrics(&state);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        text,
    )
        .into_response()
}

fn render_metrics(state: &AppState) -> String {
    let stats = &state.pool.stats;
    let mut out = String::new();
    let gauge = |out: &mut String, name: &str, help: &str, value: f64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    };
    gauge(
        &mut out,
        "lintseq_queue_depth",
        "Requests waiting for a worker.",
        stats.queued.load(Ordering::SeqCst).max(0) as f64,
    );
    gauge(
        &mut out,
        "lintseq_in_flight",
        "Programs running now.",
        stats.in_flight.load(Ordering::SeqCst).max(0) as f64,
    );
    gauge(
        &mut out,
        "lintseq_workers",
        "Worker threads.",
        stats.workers as f64,
    );
    let _ = writeln!(
        out,
        "# HELP lintseq_results_total Programs run, by language and status.\n# TYPE lintseq_results_total counter"
    );
    for ((language, status), count) in stats
        .results
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        let _ = writeln!(
            out,
            "lintseq_results_total{{language=\"{language}\",status=\"{status}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP lintseq_requests_total HTTP requests, by endpoint and status code.\n# TYPE lintseq_requests_total counter"
    );
    for ((endpoint, code), count) in state
        .http
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        let _ = writeln!(
            out,
            "lintseq_requests_total{{endpoint=\"{endpoint}\",code=\"{code}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP lintseq_run_seconds Time from accepting a program to its result.\n# TYPE lintseq_run_seconds histogram"
    );
    let mut cumulative = 0u64;
    for (i, bound) in BUCKETS.iter().enumerate() {
        cumulative += stats.run_seconds[i].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "lintseq_run_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
        );
    }
    cumulative += stats.run_seconds[BUCKETS.len()].load(Ordering::Relaxed);
    let _ = writeln!(
        out,
        "lintseq_run_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
    );
    let _ = writeln!(
        out,
        "lintseq_run_seconds_sum {}\nlintseq_run_seconds_count {cumulative}",
        stats.run_micros.load(Ordering::Relaxed) as f64 / 1e6
    );
    let _ = writeln!(
        out,
        "# HELP lintseq_worker_failures_total Workers that failed and were replaced.\n# TYPE lintseq_worker_failures_total counter\nlintseq_worker_failures_total {}",
        stats.worker_failures.load(Ordering::Relaxed)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secrets"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
