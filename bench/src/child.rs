//! A server started as a child process: readiness, memory, shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::{sysconf, Pid, SysconfVar};

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
        rss_of(self.pid())
    }

    /// CPU time the child has used so far, user and system, all threads.
    pub fn cpu_time(&self) -> Option<Duration> {
        cpu_time_of(self.pid())
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

/// Resident set size of process `pid` in bytes (VmRSS).
pub fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// CPU time (user + system, all threads) of process `pid`.
pub fn cpu_time_of(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let ticks = cpu_ticks(&stat)?;
    let per_sec = sysconf(SysconfVar::CLK_TCK).ok().flatten().unwrap_or(100);
    Some(Duration::from_secs_f64(
        ticks as f64 / per_sec.max(1) as f64,
    ))
}

/// utime + stime, in clock ticks, from the text of `/proc/PID/stat`. The
/// command name (field 2) is in parentheses and may hold spaces or `)`, so the
/// fields are counted from the last `)`: state is field 3, utime 14, stime 15.
fn cpu_ticks(stat: &str) -> Option<u64> {
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_ticks_count_from_the_last_parenthesis() {
        let stat = "4242 (im emu) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 \
                    170 35 0 0 20 0 3 0 12345 1000000 1200 18446744073709551615";
        assert_eq!(cpu_ticks(stat), Some(205));
        assert_eq!(cpu_ticks("4242 (short) S 1"), None);
    }

    #[test]
    fn reads_its_own_memory_and_cpu() {
        let me = std::process::id();
        assert!(rss_of(me).is_some_and(|b| b > 0));
        assert!(cpu_time_of(me).is_some());
    }
}
