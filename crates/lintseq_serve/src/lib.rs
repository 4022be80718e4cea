//! `lintseq serve`: the execution service.
//!
//! SandboxFusion's `POST /run_code` on lintseq's sandbox (see `api.rs` for
//! the protocol and `lintseq_sandbox::code` for how programs run);
//! `POST /v1/evaluate` (`lintseq eval`'s results, streamed as NDJSON in
//! completion order) and `POST /v1/reward` (OpenRLHF's remote reward), see
//! `rl.rs`; `GET /healthz` and `GET /metrics` (Prometheus text). Requests wait in a
//! bounded queue for one of the workers (`pool.rs`); when it is full they
//! are answered 429 with `Retry-After` at once. Each request has a
//! deadline: its compile and run timeouts plus the time it may wait in the
//! queue; one that passes it is answered 504 (which verl's client retries).
//! Bodies are capped. A bind outside loopback needs a bearer token, checked
//! in constant time. SIGTERM or SIGINT stops accepting connections, lets
//! the requests in flight finish and then returns.

pub mod api;
pub mod pool;
pub mod rl;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lintseq_eval::problem::Language;
use lintseq_eval::{Outcome as EvalOutcome, Problem, Status};
use lintseq_sandbox::Isolation;
use lintseq_sandbox::code::CodeTools;
use lintseq_sandbox::eval::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::pool::{BUCKETS, Job, Outcome, Pool, Refused};
use crate::rl::Judge;

/// What `/v1/evaluate` and `/v1/reward` run with.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub sandbox: SandboxConfig,
    /// Per program, as `lintseq eval --timeout`.
    pub timeout: Duration,
    /// Problems samples and labels may name by `task_id`.
    pub problems: BTreeMap<String, Problem>,
}

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
    /// `None` serves `/run_code` only.
    pub evaluation: Option<Evaluation>,
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
            evaluation: None,
        }
    }
}

struct AppState {
    pool: Pool,
    evaluation: Option<Evaluation>,
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
    let sandbox = match &config.evaluation {
        None => None,
        Some(evaluation) => {
            let languages = [
                Language::Python,
                Language::Cpp,
                Language::Go,
                Language::Java,
                Language::JavaScript,
                Language::Rust,
                Language::Verilog,
            ];
            Some(Arc::new(Sandbox::new(
                &evaluation.sandbox,
                languages.into_iter().collect(),
                evaluation.timeout.as_secs_f64(),
            )?))
        }
    };
    let pool = Pool::start(
        config.workers,
        config.queue,
        config.isolation,
        config.tools.clone(),
        sandbox,
    )?;
    let state = Arc::new(AppState {
        pool,
        evaluation: config.evaluation.clone(),
        token: config.token.as_ref().map(|t| t.as_bytes().to_vec()),
        queue_timeout: config.queue_timeout,
        started: Instant::now(),
        http: std::sync::Mutex::default(),
    });
    Ok(Router::new()
        .route("/run_code", post(run_code))
        .route("/v1/evaluate", post(evaluate))
        .route("/v1/reward", post(reward))
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
    let receiver = match state.pool.submit(Job::Code(request), deadline) {
        Ok(receiver) => receiver,
        Err(refused) => return refusal(&refused),
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
        Ok(Ok(Outcome::Evaluated(_))) => json_response(
            StatusCode::OK,
            &api::sandbox_error("the worker answered another kind of job"),
        ),
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

/// The answer to a request the queue refused.
fn refusal(refused: &Refused) -> Response {
    match refused {
        Refused::Full => {
            let mut response = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"detail": "every worker is busy and the queue is full; retry shortly"}),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Refused::Closed => json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"detail": "the server is shutting down"}),
        ),
    }
}

/// The evaluation setup, or the answer saying there is none.
fn evaluation(state: &AppState) -> Result<&Evaluation, Response> {
    state.evaluation.as_ref().ok_or_else(|| {
        json_response(
            StatusCode::NOT_FOUND,
            &json!({"detail": "this server does not evaluate (it was started with --no-eval)"}),
        )
    })
}

/// How long a batch of `count` programs may take, queue included.
fn batch_budget(state: &AppState, count: usize, per_program: Duration) -> Duration {
    let rounds = count.div_ceil(state.pool.stats.workers.max(1));
    let rounds = u32::try_from(rounds).unwrap_or(u32::MAX);
    state.queue_timeout
        + (per_program + Duration::from_secs(2)).saturating_mul(rounds)
        + Duration::from_secs(10)
}

/// Refuses a batch the queue could never hold.
fn too_large(state: &AppState, field: &str, count: usize) -> Option<Response> {
    let capacity = state.pool.stats.capacity;
    (count > capacity).then(|| {
        json_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            &json!({
                "detail": format!("field `{field}`: {count} entries, more than the queue holds ({capacity}; see --queue); split the batch"),
                "field": field,
            }),
        )
    })
}

/// An evaluation outcome from what the pool answered.
fn eval_outcome(answer: Option<Result<Outcome, oneshot::error::RecvError>>) -> EvalOutcome {
    match answer {
        Some(Ok(Outcome::Evaluated(outcome))) => outcome,
        Some(Ok(Outcome::Failed(message))) => EvalOutcome {
            status: Status::SandboxError,
            result: "failed: sandbox error".to_owned(),
            detail: Some(message),
            ..EvalOutcome::not_run("")
        },
        Some(Ok(Outcome::Ran(_))) => {
            EvalOutcome::not_run("the worker answered another kind of job")
        }
        Some(Ok(Outcome::Expired)) | None => {
            EvalOutcome::not_run("the request's deadline passed before this sample could finish")
        }
        Some(Err(_)) => EvalOutcome {
            status: Status::SandboxError,
            result: "failed: sandbox error".to_owned(),
            detail: Some("the worker running this sample was lost".to_owned()),
            ..EvalOutcome::not_run("")
        },
    }
}

async fn evaluate(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let response = evaluate_inner(&state, &headers, &body);
    state.count("evaluate", response.status());
    response
}

fn evaluate_inner(state: &Arc<AppState>, headers: &HeaderMap, body: &[u8]) -> Response {
    if !authorized(state, headers) {
        return unauthorized();
    }
    let evaluation = match evaluation(state) {
        Ok(evaluation) => evaluation,
        Err(response) => return response,
    };
    let items = match rl::parse_evaluate(body, &evaluation.problems) {
        Ok(items) => items,
        Err(bad) => return json_response(StatusCode::BAD_REQUEST, &bad.body()),
    };
    if let Some(response) = too_large(state, "items", items.len()) {
        return response;
    }
    let budget = batch_budget(state, items.len(), evaluation.timeout);
    let started = Instant::now();
    let mut rows = Vec::with_capacity(items.len());
    let mut jobs = Vec::with_capacity(items.len());
    for item in items {
        rows.push((
            item.row,
            item.issues,
            item.failure_class,
            item.program.language,
        ));
        jobs.push(Job::Eval(item.program));
    }
    let receivers = match state.pool.submit_all(jobs, started + budget) {
        Ok(receivers) => receivers,
        Err(refused) => return refusal(&refused),
    };
    // One line per item as it finishes; a client that goes away drops the
    // stream, and with it the receivers, so queued items are skipped.
    let (lines, stream) = mpsc::channel::<String>(receivers.len().max(1));
    for (index, (receiver, (row, issues, failure_class, language))) in
        receivers.into_iter().zip(rows).enumerate()
    {
        let lines = lines.clone();
        let state = Arc::clone(state);
        tokio::spawn(async move {
            // A client that hung up drops the stream: stop waiting, so that
            // the receiver goes and the worker skips the item if it has not
            // started it.
            let answer = tokio::select! {
                answer = tokio::time::timeout(budget, receiver) => answer.ok(),
                () = lines.closed() => return,
            };
            let outcome = eval_outcome(answer);
            state.pool.stats.record(
                language.as_str(),
                outcome.status.as_str(),
                started.elapsed(),
            );
            let mut row = lintseq_eval::outcome::result_row(row, &outcome, failure_class, issues);
            if let Value::Object(object) = &mut row {
                object.insert("index".into(), Value::from(index));
            }
            let _ = lines.send(row.to_string() + "\n").await;
        });
    }
    drop(lines);
    let body = futures_util::stream::unfold(stream, |mut stream| async move {
        stream
            .recv()
            .await
            .map(|line| (Ok::<_, Infallible>(line), stream))
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}

/// `?partial=1`.
#[derive(Debug, serde::Deserialize)]
struct RewardQuery {
    #[serde(default)]
    partial: Option<String>,
}

async fn reward(
    State(state): State<Arc<AppState>>,
    Query(query): Query<RewardQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let partial = matches!(query.partial.as_deref(), Some("1" | "true" | "yes"));
    let response = reward_inner(&state, &headers, &body, partial).await;
    state.count("reward", response.status());
    response
}

async fn reward_inner(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    partial: bool,
) -> Response {
    if !authorized(state, headers) {
        return unauthorized();
    }
    let evaluation = match evaluation(state) {
        Ok(evaluation) => evaluation,
        Err(response) => return response,
    };
    let judges = match rl::parse_reward(body, &evaluation.problems, evaluation.timeout) {
        Ok(judges) => judges,
        Err(bad) => return json_response(StatusCode::BAD_REQUEST, &bad.body()),
    };
    // Every program of the batch goes to the queue at once.
    let mut jobs = Vec::new();
    let mut plan = Vec::with_capacity(judges.len());
    for judge in judges {
        match judge {
            Judge::Nothing => plan.push((0, Vec::new())),
            Judge::Program(program) => {
                jobs.push(Job::Eval(program));
                plan.push((1, Vec::new()));
            }
            Judge::Cases { requests, expected } => {
                plan.push((requests.len(), expected));
                jobs.extend(requests.into_iter().map(Job::Code));
            }
        }
    }
    if let Some(response) = too_large(state, "query", jobs.len()) {
        return response;
    }
    let budget = batch_budget(state, jobs.len(), evaluation.timeout);
    let started = Instant::now();
    let languages: Vec<&'static str> = jobs.iter().map(Job::language).collect();
    let receivers = match state.pool.submit_all(jobs, started + budget) {
        Ok(receivers) => receivers,
        Err(refused) => return refusal(&refused),
    };
    let mut answers = Vec::with_capacity(receivers.len());
    for (receiver, language) in receivers.into_iter().zip(languages) {
        let remaining = budget.saturating_sub(started.elapsed());
        let answer = tokio::time::timeout(remaining, receiver).await.ok();
        let status = match &answer {
            Some(Ok(Outcome::Evaluated(outcome))) => outcome.status.as_str(),
            Some(Ok(Outcome::Ran(run))) => api::run_code_response(run).1,
            _ => "sandbox_error",
        };
        state.pool.stats.record(language, status, started.elapsed());
        answers.push(answer);
    }
    let mut answers = answers.into_iter();
    let mut rewards = Vec::with_capacity(plan.len());
    for (runs, expected) in plan {
        let taken: Vec<_> = answers.by_ref().take(runs).collect();
        let reward = if runs == 0 {
            0.0
        } else if expected.is_empty() {
            let passed = matches!(&taken[0], Some(Ok(Outcome::Evaluated(o))) if o.passed());
            if passed { 1.0 } else { 0.0 }
        } else {
            let passed = taken
                .iter()
                .zip(&expected)
                .filter(|(answer, want)| {
                    matches!(answer, Some(Ok(Outcome::Ran(run))) if rl::case_passed(run, want))
                })
                .count();
            if partial {
                passed as f64 / runs as f64
            } else if passed == runs {
                1.0
            } else {
                0.0
            }
        };
        rewards.push(reward);
    }
    json_response(StatusCode::OK, &json!({ "rewards": rewards }))
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
