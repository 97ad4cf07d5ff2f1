//! A key provider that is an outside program (`[vault] key_provider = "command"`): the client
//! of an HSM or a KMS plugs in without code changes.
//!
//! **Protocol.** The program is run once per wrapped or unwrapped data key as
//! `<command> <command_args…> <mode>`:
//!
//! - `key-id`: no input; prints the key id (1–32 ASCII letters and digits, not beginning with
//!   `v1` nor being `v`: those name the local master key). Asked once at start.
//! - `wrap`: reads one line, the data key in standard base64; prints the wrapped key in
//!   standard base64 (line breaks inside it are ignored).
//! - `unwrap`: reads the wrapped key the same way; prints the data key.
//!
//! Exit status 0 is success; anything else, a run longer than `[vault] command_timeout_ms`
//! (the program is then killed), more than [`MAX_OUTPUT`] bytes on stdout or output that is
//! not base64 is a failure: sealing answers [`super::KeyUnavailable`] (503, nothing saved).
//! The program sees only data keys, never a protected value; the environment it inherits has
//! every `ANWEI_…` variable removed (the master and audit keys may be among them). Its stderr
//! (the first [`MAX_STDERR`] bytes, on one line) goes into the log line of a failure, so it
//! must not print what it was given.
//!
//! A run blocks the calling thread for as long as the program takes; on a multi-threaded
//! runtime the worker is handed over first (`block_in_place`), so other requests go on.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::KeyProvider;

/// The most a run may print on stdout (a wrapped data key is far smaller).
pub const MAX_OUTPUT: usize = 16 * 1024;
/// The most of a failed run's stderr that is logged.
pub const MAX_STDERR: usize = 512;

/// An outside program that wraps and unwraps data keys.
pub struct CommandKey {
    program: String,
    args: Vec<String>,
    timeout: Duration,
    key_id: String,
}

impl CommandKey {
    /// Asks the program for its key id and checks it; an error stops the start.
    pub fn start(program: &str, args: &[String], timeout: Duration) -> anyhow::Result<CommandKey> {
        let mut c = CommandKey {
            program: program.to_string(),
            args: args.to_vec(),
            timeout,
            key_id: String::new(),
        };
        let out = c.run("key-id", None).map_err(|e| {
            anyhow::anyhow!("密钥服务程序无法给出密钥标识 / vault.command `key-id` failed: {e:#}")
        })?;
        let id = String::from_utf8_lossy(&out).trim().to_string();
        if !valid_key_id(&id) {
            anyhow::bail!(
                "密钥服务程序的密钥标识无效 / vault.command `key-id` must print 1–32 ASCII \
                 letters and digits, not beginning with `v1` nor being `v` (got {} bytes)",
                id.len()
            );
        }
        c.key_id = id;
        Ok(c)
    }

    /// Runs `<program> <args…> <mode>` with `input` (base64, one line) on stdin; its stdout.
    fn run(&self, mode: &str, input: Option<&[u8]>) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        off_the_runtime(|| self.run_blocking(mode, input))
    }

    fn run_blocking(&self, mode: &str, input: Option<&[u8]>) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        let started = Instant::now();
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("ANWEI_") {
                cmd.env_remove(k);
            }
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", self.program))?;
        let stdout = child.stdout.take();
        let stderr = child.stderr.take();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = Zeroizing::new(Vec::new());
            let r = stdout.map(|s| s.take(MAX_OUTPUT as u64 + 1).read_to_end(&mut buf));
            let _ = tx.send((r, buf));
        });
        let (etx, erx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr {
                let _ = s.take(MAX_STDERR as u64).read_to_end(&mut buf);
            }
            let _ = etx.send(buf);
        });
        if let Some(stdin) = child.stdin.as_mut() {
            let line = Zeroizing::new(format!("{}\n", STANDARD.encode(input.unwrap_or_default())));
            // A program that exits without reading its input is judged by its exit status.
            let _ = stdin.write_all(line.as_bytes());
        }
        drop(child.stdin.take());
        let left = |started: Instant| self.timeout.saturating_sub(started.elapsed());
        let fail = |child: &mut std::process::Child, why: String| {
            let _ = child.kill();
            let _ = child.wait();
            let err = erx
                .recv_timeout(Duration::from_millis(100))
                .unwrap_or_default();
            anyhow::anyhow!("{mode}: {why}{}", stderr_note(&err))
        };
        let out = match rx.recv_timeout(left(started)) {
            Ok((Some(Ok(_)), out)) if out.len() <= MAX_OUTPUT => out,
            Ok((Some(Ok(_)), _)) => {
                return Err(fail(
                    &mut child,
                    format!("more than {MAX_OUTPUT} bytes output"),
                ));
            }
            Ok(_) => return Err(fail(&mut child, "its output cannot be read".into())),
            Err(_) => {
                return Err(fail(
                    &mut child,
                    format!("no answer within {} ms", self.timeout.as_millis()),
                ));
            }
        };
        // Its output is complete; the exit follows at once, or the deadline kills it.
        let status = loop {
            match child.try_wait()? {
                Some(s) => break s,
                None if left(started).is_zero() => {
                    return Err(fail(
                        &mut child,
                        format!("did not exit within {} ms", self.timeout.as_millis()),
                    ));
                }
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        };
        if !status.success() {
            let err = erx
                .recv_timeout(Duration::from_millis(100))
                .unwrap_or_default();
            anyhow::bail!("{mode}: exited with {status}{}", stderr_note(&err));
        }
        if input.is_none() {
            return Ok(out);
        }
        let text: Vec<u8> = out
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let text = Zeroizing::new(text);
        STANDARD
            .decode(&*text)
            .map(Zeroizing::new)
            .map_err(|_| anyhow::anyhow!("{mode}: the output is not base64"))
    }
}

impl KeyProvider for CommandKey {
    fn key_id(&self) -> &str {
        &self.key_id
    }

    fn wrap(&self, data_key: &[u8]) -> anyhow::Result<Vec<u8>> {
        let w = self.run("wrap", Some(data_key))?;
        if w.is_empty() {
            anyhow::bail!("wrap: the wrapped key is empty");
        }
        Ok(w.to_vec())
    }

    fn unwrap(&self, wrapped: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        self.run("unwrap", Some(wrapped))
    }
}

/// 1–32 ASCII letters and digits, and neither a prefix of the local key's `v1` nor prefixed
/// by it, so a sealed file's leading key id is never ambiguous.
fn valid_key_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric())
        && !id.starts_with("v1")
        && !"v1".starts_with(id)
}

/// ` (stderr: …)` on one line, or nothing.
fn stderr_note(err: &[u8]) -> String {
    let text = String::from_utf8_lossy(err);
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if line.is_empty() {
        String::new()
    } else {
        format!(" (stderr: {line})")
    }
}

/// Runs `f`, which blocks, handing the worker over first on a multi-threaded runtime.
fn off_the_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_never_collide_with_the_local_key() {
        for ok in ["kms1", "hsm", "K7", "v2", "vault"] {
            assert!(valid_key_id(ok), "{ok}");
        }
        for bad in ["", "v", "v1", "v1a", "a.b", "a-b", &"k".repeat(33)] {
            assert!(!valid_key_id(bad), "{bad}");
        }
    }
}
