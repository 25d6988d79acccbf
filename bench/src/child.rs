//! A server started as a child process: readiness, memory, shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::endpoint::Endpoint;

/// How long a child may take to print its listening line.
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a child may take to exit after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// A running server child that is stopped when dropped.
pub struct Server {
    child: Child,
    pub endpoint: Endpoint,
}

impl Server {
    /// Spawns `cmd` and waits for its `... listening on http://ADDR` line.
    pub fn spawn(mut cmd: Command) -> Result<Self, String> {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().map_err(|e| format!("spawn {cmd:?}: {e}"))?;
        let stdout = child.stdout.take().ok_or("child has no stdout")?;
        let url = match ready_url(stdout) {
            Ok(url) => url,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{cmd:?}: {e}"));
            }
        };
        let endpoint = Endpoint::from_url(&url)?;
        if !endpoint.is_loopback() {
            return Err(format!("child listens on {url}, which is not loopback"));
        }
        Ok(Self { child, endpoint })
    }

    /// Process id of the child.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident set size of the child in bytes (VmRSS).
    pub fn rss(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    /// Sends SIGTERM and waits for the exit, killing the child if it hangs.
    pub fn stop(mut self) -> Result<(), String> {
        self.terminate()
    }

    fn terminate(&mut self) -> Result<(), String> {
        if self.child.try_wait().map_err(|e| e.to_string())?.is_some() {
            return Err("server had already exited".into());
        }
        let pid = Pid::from_raw(self.pid() as i32);
        kill(pid, Signal::SIGTERM).map_err(|e| e.to_string())?;
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if self.child.try_wait().map_err(|e| e.to_string())?.is_some() {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(2));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Err("server ignored SIGTERM and was killed".into())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.terminate();
        }
    }
}

/// Reads stdout until the listening line; keeps draining it afterwards.
fn ready_url(stdout: ChildStdout) -> Result<String, String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !sent {
                if let Some((_, url)) = line.split_once("listening on ") {
                    sent = tx.send(url.trim().to_string()).is_ok();
                }
            }
        }
    });
    rx.recv_timeout(READY_TIMEOUT)
        .map_err(|_| "no `listening on URL` line on stdout".to_string())
}
