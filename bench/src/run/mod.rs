//! Running the selected scenarios, each against a fresh server, into rows.

mod bounded;
mod process;
mod throughput;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::child::Server;
use crate::cli::RunOptions;
use crate::emulator::Emulator;
use crate::endpoint::Endpoint;
use crate::load::{closed_loop, Requests, Stop};
use crate::results::Row;
use crate::scenario::{Kind, Scenario, Workload};
use crate::stats::Summary;

/// Token used when a --target server refuses the login.
const FALLBACK_TOKEN: &str = "bench-token";

/// State shared by the scenarios of one run.
pub struct Runner {
    opts: RunOptions,
    emulator: Option<Emulator>,
    target: Option<Endpoint>,
    baseline_rps: Option<f64>,
    max_rps: HashMap<&'static str, f64>,
}

/// The server a load scenario drives: a fresh emulator or the --target.
enum Subject {
    Child(Server),
    Remote(Endpoint),
}

impl Runner {
    /// Resolves the target and, when a scenario needs it, the emulator binary.
    pub fn new(opts: RunOptions, scenarios: &[Scenario]) -> Result<Self, String> {
        let target = opts.target.as_deref().map(Endpoint::from_url).transpose()?;
        let needs_emulator = target.is_none() && scenarios.iter().any(Scenario::needs_emulator);
        let emulator = needs_emulator
            .then(|| Emulator::prepare(opts.emulator.as_deref()))
            .transpose()?;
        if let Some(e) = &emulator {
            eprintln!("emulator: {}", e.bin.display());
        }
        let (baseline_rps, max_rps) = (None, HashMap::new());
        Ok(Self {
            opts,
            emulator,
            target,
            baseline_rps,
            max_rps,
        })
    }

    /// Runs one scenario; a failure becomes a note on its row.
    pub fn run(&mut self, s: &Scenario) -> Row {
        if self.target.is_some() && s.needs_child() {
            return Row::named(&s.name).noted("skipped: needs a spawned emulator, not --target");
        }
        let result = match s.kind {
            Kind::Baseline(w) => throughput::baseline(self, &s.name, &w),
            Kind::BaselineHalfLoad(w) => throughput::baseline_half_load(self, &s.name, &w),
            Kind::Load(w) => throughput::load(self, s, &w),
            Kind::LoadStalledSubscriber(w) => throughput::load_stalled_subscriber(self, s, &w),
            Kind::LoadCallbacks { load, tenant, .. } => {
                throughput::load_callbacks(self, s, &load, tenant)
            }
            Kind::HalfLoad(w) => throughput::half_load(self, s, &w),
            Kind::HalfLoadWaiters {
                load,
                waiters,
                wait_path,
            } => throughput::half_load_waiters(self, s, &load, waiters, wait_path),
            Kind::Startup => self.emulator().and_then(|e| process::startup(e, &s.name)),
            Kind::IdleRss => self.emulator().and_then(|e| process::idle_rss(e, &s.name)),
            Kind::Store(w) => process::store(self, s, &w),
            Kind::BoundedRss(w) => bounded::bounded_rss(self, s, &w),
        };
        result.unwrap_or_else(|e| Row::named(&s.name).noted(format!("failed: {e}")))
    }

    fn emulator(&self) -> Result<&Emulator, String> {
        self.emulator
            .as_ref()
            .ok_or_else(|| "no emulator binary".to_string())
    }

    /// A closed-loop run against `addr` with the run's connections and threads.
    fn closed(&self, addr: SocketAddr, requests: Requests, stop: Stop) -> Result<Summary, String> {
        let (conns, threads) = (self.opts.connections, self.opts.client_threads);
        let run = closed_loop(addr, requests, conns, stop, threads)?;
        Ok(run.tally.summary(run.elapsed))
    }

    /// The window of a closed-loop throughput run.
    fn window(&self) -> Stop {
        Stop::Window {
            warmup: self.opts.warmup(),
            measure: self.opts.measure(),
        }
    }

    fn measure(&self) -> Duration {
        self.opts.measure()
    }

    /// A fresh emulator started with `args` added, or the --target server.
    fn subject(&self, args: &[&str]) -> Result<Subject, String> {
        match &self.target {
            Some(ep) => Ok(Subject::Remote(ep.clone())),
            None => Ok(Subject::Child(self.emulator()?.start_with(args)?)),
        }
    }

    /// The maximum throughput measured for `w`, which a half-load run takes
    /// half of.
    fn max_rps(&self, w: &Workload) -> Result<f64, String> {
        self.max_rps
            .get(w.name)
            .copied()
            .ok_or_else(|| format!("{} did not run", w.name))
    }

    /// Logs in; a --target server that refuses gets a placeholder token.
    fn login(&self, w: &Workload, ep: &Endpoint) -> Result<String, String> {
        match ((w.login)(ep), &self.target) {
            (Ok(token), _) => Ok(token),
            (Err(e), Some(_)) => {
                eprintln!("  login failed ({e}); sending with a placeholder token");
                Ok(FALLBACK_TOKEN.to_string())
            }
            (Err(e), None) => Err(format!("login: {e}")),
        }
    }

    /// Throughput as a share of the baseline's.
    fn ratio(&self, rps: f64) -> Option<f64> {
        self.baseline_rps.filter(|b| *b > 0.0).map(|b| rps / b)
    }
}

impl Subject {
    fn endpoint(&self) -> &Endpoint {
        match self {
            Subject::Child(s) => &s.endpoint,
            Subject::Remote(ep) => ep,
        }
    }

    fn rss(&self) -> Option<u64> {
        match self {
            Subject::Child(s) => s.rss(),
            Subject::Remote(_) => None,
        }
    }

    /// Runs `f`, and measures the CPU the server used meanwhile as a share of
    /// one core (`None` for a --target server).
    fn cpu_while<T>(&self, f: impl FnOnce() -> T) -> (T, Option<f64>) {
        let cpu_time = || match self {
            Subject::Child(s) => s.cpu_time(),
            Subject::Remote(_) => None,
        };
        let (before, started) = (cpu_time(), Instant::now());
        let out = f();
        let wall = started.elapsed();
        let share = before
            .zip(cpu_time())
            .map(|(b, a)| cores(a.saturating_sub(b), wall));
        (out, share)
    }

    /// Stops a child; notes on `row` if it did not stop cleanly.
    fn finish(self, row: Row) -> Row {
        match self {
            Subject::Child(s) => stop_noted(s, row),
            Subject::Remote(_) => row,
        }
    }
}

/// Stops `server`, noting on `row` when that fails.
fn stop_noted(server: Server, row: Row) -> Row {
    match server.stop() {
        Ok(()) => row,
        Err(e) => row.noted(format!("stop: {e}")),
    }
}

/// CPU time `used` over `wall` time, in cores (1.0: one core all the time).
fn cores(used: Duration, wall: Duration) -> f64 {
    used.as_secs_f64() / wall.as_secs_f64().max(1e-9)
}

/// Notes the server's CPU share on `row`, and adds it to its details.
fn with_cpu(row: Row, share: Option<f64>) -> Row {
    match share {
        Some(c) => row
            .noted(format!("emulator CPU {:.0}% of one core", c * 100.0))
            .with_detail("server_cpu_cores", c),
        None => row,
    }
}

/// Notes the server's CPU time per request, from its CPU share over a run of
/// `rps` requests per second, and adds it to the row's details.
fn with_cpu_per_request(row: Row, share: Option<f64>, rps: f64) -> Row {
    match share.filter(|_| rps > 0.0) {
        Some(c) => {
            let us = c * 1e6 / rps;
            row.noted(format!("emulator CPU {us:.1} µs per request"))
                .with_detail("server_cpu_us_per_request", us)
        }
        None => row,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_share_is_in_cores() {
        let c = cores(Duration::from_millis(1500), Duration::from_secs(1));
        assert!((c - 1.5).abs() < 1e-12);
        let row = with_cpu(Row::named("x"), Some(0.934));
        assert_eq!(row.note.as_deref(), Some("emulator CPU 93% of one core"));
        assert_eq!(row.detail("server_cpu_cores"), Some(0.934));
        assert!(with_cpu(Row::named("x"), None).note.is_none());
        let row = with_cpu_per_request(Row::named("x"), Some(0.9), 30_000.0);
        assert_eq!(
            row.note.as_deref(),
            Some("emulator CPU 30.0 µs per request")
        );
        assert!(with_cpu_per_request(Row::named("x"), Some(0.9), 0.0)
            .note
            .is_none());
    }
}
