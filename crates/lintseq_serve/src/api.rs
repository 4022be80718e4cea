//! SandboxFusion's `/run_code` request and response, as JSON.
//!
//! The request's fields, defaults and the response's shape and status
//! strings are SandboxFusion's, so that its Python client and verl's reward
//! code read our answers unchanged: `status` is `Success`, `Failed` or
//! `SandboxError`; each step's is `Finished`, `Error` or
//! `TimeLimitExceeded`; a step killed by a signal has the negative signal
//! number as its return code; every field is present, `null` where it has
//! no value. A request we cannot read gets a 400 whose `detail` names the
//! field (SandboxFusion says 422 for those: both are "not 200" to its
//! client).

use std::time::Duration;

use base64::Engine as _;
use lintseq_sandbox::code::{CodeLanguage, CodeRequest, CodeRun, Step};
use lintseq_sandbox::command::{Ending, File};
use serde_json::{Map, Value, json};

/// Bytes of stdout and of stderr a run keeps.
pub const OUTPUT_BYTES: usize = 1 << 20;
/// Longest `compile_timeout` or `run_timeout` accepted, in seconds.
pub const MAX_TIMEOUT_SECONDS: f64 = 600.0;

/// A request that cannot be run, with the field at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRequest {
    pub field: String,
    pub message: String,
}

impl BadRequest {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> BadRequest {
        BadRequest {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The 400 body: `{"detail": "field `x`: ..."}`.
    pub fn body(&self) -> Value {
        let detail = if self.field.is_empty() {
            self.message.clone()
        } else {
            format!("field `{}`: {}", self.field, self.message)
        };
        json!({ "detail": detail, "field": self.field })
    }
}

/// A body that must be a JSON object.
pub(crate) fn object_body(body: &[u8]) -> Result<Map<String, Value>, BadRequest> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(BadRequest::new("", "the body is not a JSON object")),
        Err(e) => Err(BadRequest::new("", format!("the body is not JSON: {e}"))),
    }
}

/// Reads a `/run_code` body.
pub fn parse_run_code(body: &[u8]) -> Result<CodeRequest, BadRequest> {
    let object = object_body(body)?;
    let code = match object.get("code") {
        Some(Value::String(code)) => code.clone(),
        Some(_) => return Err(BadRequest::new("code", "must be a string")),
        None => return Err(BadRequest::new("code", "is missing")),
    };
    let language = match object.get("language") {
        Some(Value::String(name)) => CodeLanguage::from_name(name).ok_or_else(|| {
            BadRequest::new(
                "language",
                format!(
                    "{name:?} is not one this server runs ({})",
                    CodeLanguage::ALL.map(CodeLanguage::name).join(", ")
                ),
            )
        })?,
        Some(_) => return Err(BadRequest::new("language", "must be a string")),
        None => return Err(BadRequest::new("language", "is missing")),
    };
    let compile_timeout = seconds(&object, "compile_timeout")?;
    let run_timeout = seconds(&object, "run_timeout")?;
    let memory_bytes = match object.get("memory_limit_MB") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(mb) if mb <= 0 => None,
            Some(mb) => Some(
                u64::try_from(mb)
                    .unwrap_or(u64::MAX)
                    .saturating_mul(1 << 20),
            ),
            None => {
                return Err(BadRequest::new("memory_limit_MB", "must be a whole number"));
            }
        },
        Some(_) => return Err(BadRequest::new("memory_limit_MB", "must be a number")),
    };
    let stdin = match object.get("stdin") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => text.as_bytes().to_vec(),
        Some(_) => return Err(BadRequest::new("stdin", "must be a string or null")),
    };
    let mut files = Vec::new();
    match object.get("files") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (path, content) in map {
                let field = format!("files.{path}");
                let content = match content {
                    Value::Null => continue,
                    Value::String(text) => base64::engine::general_purpose::STANDARD
                        .decode(text.as_bytes())
                        .map_err(|e| BadRequest::new(&field, format!("is not base64: {e}")))?,
                    _ => return Err(BadRequest::new(&field, "must be base64 text or null")),
                };
                if !relative_inside(path) {
                    return Err(BadRequest::new(
                        &field,
                        "must be a relative path inside the working directory",
                    ));
                }
                files.push(File::new(path.clone(), content));
            }
        }
        Some(_) => return Err(BadRequest::new("files", "must be an object of paths")),
    }
    let fetch = match object.get("fetch_files") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(path) => Ok(path.clone()),
                _ => Err(BadRequest::new(
                    format!("fetch_files[{i}]"),
                    "must be a string",
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(BadRequest::new("fetch_files", "must be a list of paths")),
    };
    Ok(CodeRequest {
        language,
        code,
        stdin,
        files,
        fetch,
        compile_timeout,
        run_timeout,
        memory_bytes,
        max_output_bytes: OUTPUT_BYTES,
    })
}

fn seconds(object: &Map<String, Value>, field: &str) -> Result<Duration, BadRequest> {
    let value = match object.get(field) {
        None => return Ok(Duration::from_secs(10)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(text)) => text.trim().parse().unwrap_or(f64::NAN),
        Some(_) => return Err(BadRequest::new(field, "must be a number of seconds")),
    };
    if !value.is_finite() {
        return Err(BadRequest::new(field, "must be a number of seconds"));
    }
    if value > MAX_TIMEOUT_SECONDS {
        return Err(BadRequest::new(
            field,
            format!("must be at most {MAX_TIMEOUT_SECONDS} seconds"),
        ));
    }
    Ok(Duration::from_secs_f64(value.max(0.0)))
}

fn relative_inside(path: &str) -> bool {
    let path = std::path::Path::new(path);
    !path.as_os_str().is_empty()
        && !path.is_absolute()
        && path.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
}

/// How a step's end reads in SandboxFusion's terms.
fn step_json(step: &Step) -> Value {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let seconds = step.duration.as_secs_f64();
    match &step.ending {
        Ending::Exited(code) => json!({
            "status": "Finished", "execution_time": seconds, "return_code": code,
            "stdout": text(&step.stdout), "stderr": text(&step.stderr),
        }),
        Ending::Signaled(signal) => json!({
            "status": "Finished", "execution_time": seconds, "return_code": -signal,
            "stdout": text(&step.stdout), "stderr": text(&step.stderr),
        }),
        // The memory cgroup's kill: SIGKILL, as the program sees it.
        Ending::OutOfMemory => json!({
            "status": "Finished", "execution_time": seconds, "return_code": -9,
            "stdout": text(&step.stdout), "stderr": text(&step.stderr),
        }),
        Ending::TimedOut | Ending::CpuLimit => json!({
            "status": "TimeLimitExceeded", "execution_time": seconds, "return_code": null,
            "stdout": text(&step.stdout), "stderr": text(&step.stderr),
        }),
        Ending::SandboxError(message) => json!({
            "status": "Error", "execution_time": null, "return_code": null,
            "stdout": null, "stderr": message,
        }),
    }
}

/// The response to a run, and the status it has (for metrics).
pub fn run_code_response(run: &CodeRun) -> (Value, &'static str) {
    let compile = run.compile.as_ref().map(step_json);
    let ran = run.run.as_ref().map(step_json);
    let steps = [&compile, &ran];
    let present = || steps.iter().filter_map(|step| step.as_ref());
    let error = present().find(|step| step["status"] == "Error");
    let (status, message) = if let Some(step) = error {
        (
            "SandboxError",
            step["stderr"].as_str().unwrap_or_default().to_owned(),
        )
    } else if present().any(|step| {
        step["status"] == "TimeLimitExceeded"
            || step["return_code"].as_i64().is_some_and(|code| code != 0)
    }) {
        ("Failed", String::new())
    } else {
        ("Success", String::new())
    };
    let files: Map<String, Value> = run
        .fetched
        .iter()
        .map(|(path, bytes)| {
            (
                path.clone(),
                Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
            )
        })
        .collect();
    let body = json!({
        "status": status,
        "message": message,
        "compile_result": compile,
        "run_result": ran,
        "executor_pod_name": null,
        "files": files,
    });
    (body, status)
}

/// The response when our machinery failed before or around the run.
pub fn sandbox_error(message: &str) -> Value {
    json!({
        "status": "SandboxError",
        "message": message,
        "compile_result": null,
        "run_result": null,
        "executor_pod_name": null,
        "files": {},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_take_sandbox_fusions_fields_and_defaults() {
        let request = parse_run_code(br#"{"code": "print(1)", "language": "python"}"#).unwrap();
        assert_eq!(request.language, CodeLanguage::Python);
        assert_eq!(request.run_timeout, Duration::from_secs(10));
        assert_eq!(request.memory_bytes, None);
        let request = parse_run_code(
            br#"{"code": "x", "language": "cpp", "compile_timeout": 2.5, "run_timeout": "3",
                 "memory_limit_MB": 256, "stdin": "1 2", "files": {"d/a.txt": "aGk=", "skip": null},
                 "fetch_files": ["out.txt"], "extra": true}"#,
        )
        .unwrap();
        assert_eq!(request.compile_timeout, Duration::from_millis(2500));
        assert_eq!(request.run_timeout, Duration::from_secs(3));
        assert_eq!(request.memory_bytes, Some(256 << 20));
        assert_eq!(request.stdin, b"1 2");
        assert_eq!(request.files.len(), 1);
        assert_eq!(request.files[0].contents, b"hi");
        assert_eq!(request.fetch, ["out.txt"]);
    }

    #[test]
    fn bad_requests_name_their_field() {
        for (body, field) in [
            (&b"{"[..], ""),
            (br#"[1]"#, ""),
            (br#"{"language": "python"}"#, "code"),
            (br#"{"code": 1, "language": "python"}"#, "code"),
            (br#"{"code": ""}"#, "language"),
            (br#"{"code": "", "language": "cobol"}"#, "language"),
            (
                br#"{"code": "", "language": "python", "run_timeout": []}"#,
                "run_timeout",
            ),
            (
                br#"{"code": "", "language": "python", "run_timeout": 1e9}"#,
                "run_timeout",
            ),
            (
                br#"{"code": "", "language": "python", "memory_limit_MB": 1.5}"#,
                "memory_limit_MB",
            ),
            (
                br#"{"code": "", "language": "python", "stdin": 3}"#,
                "stdin",
            ),
            (
                br#"{"code": "", "language": "python", "files": {"a": "%%"}}"#,
                "files.a",
            ),
            (
                br#"{"code": "", "language": "python", "files": {"/etc/x": "aGk="}}"#,
                "files./etc/x",
            ),
            (
                br#"{"code": "", "language": "python", "files": {"../x": "aGk="}}"#,
                "files.../x",
            ),
            (
                br#"{"code": "", "language": "python", "fetch_files": [1]}"#,
                "fetch_files[0]",
            ),
        ] {
            let error = parse_run_code(body).unwrap_err();
            assert_eq!(error.field, field, "{}", String::from_utf8_lossy(body));
            assert!(error.body()["detail"].as_str().unwrap().contains(field));
        }
    }

    fn step(ending: Ending) -> Step {
        Step {
            ending,
            duration: Duration::from_millis(5),
            stdout: b"out".to_vec(),
            stderr: b"err".to_vec(),
        }
    }

    #[test]
    fn statuses_follow_sandbox_fusion() {
        let ok = CodeRun {
            compile: None,
            run: Some(step(Ending::Exited(0))),
            fetched: vec![("o.txt".to_owned(), b"hi".to_vec())],
        };
        let (body, status) = run_code_response(&ok);
        assert_eq!(status, "Success");
        assert_eq!(body["compile_result"], Value::Null);
        assert_eq!(body["run_result"]["return_code"], 0);
        assert_eq!(body["run_result"]["stdout"], "out");
        assert_eq!(body["files"]["o.txt"], "aGk=");
        assert_eq!(body["message"], "");
        let signaled = CodeRun {
            compile: Some(step(Ending::Exited(0))),
            run: Some(step(Ending::Signaled(11))),
            fetched: Vec::new(),
        };
        let (body, status) = run_code_response(&signaled);
        assert_eq!(status, "Failed");
        assert_eq!(body["run_result"]["return_code"], -11);
        let compile_error = CodeRun {
            compile: Some(step(Ending::Exited(1))),
            run: None,
            fetched: Vec::new(),
        };
        let (body, status) = run_code_response(&compile_error);
        assert_eq!(status, "Failed");
        assert_eq!(body["run_result"], Value::Null);
        let timeout = CodeRun {
            compile: None,
            run: Some(step(Ending::TimedOut)),
            fetched: Vec::new(),
        };
        let (body, status) = run_code_response(&timeout);
        assert_eq!(status, "Failed");
        assert_eq!(body["run_result"]["status"], "TimeLimitExceeded");
        assert_eq!(body["run_result"]["return_code"], Value::Null);
        let broken = CodeRun {
            compile: None,
            run: Some(step(Ending::SandboxError("no jail".to_owned()))),
            fetched: Vec::new(),
        };
        let (body, status) = run_code_response(&broken);
        assert_eq!(status, "SandboxError");
        assert_eq!(body["message"], "no jail");
        assert_eq!(body["run_result"]["stdout"], Value::Null);
        let oom = CodeRun {
            compile: None,
            run: Some(step(Ending::OutOfMemory)),
            fetched: Vec::new(),
        };
        assert_eq!(run_code_response(&oom).0["run_result"]["return_code"], -9);
    }
}
