//! Running the selected scenarios, each against a fresh server, into rows.

mod process;
mod throughput;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

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
            Kind::Load(w) => throughput::load(self, &s.name, &w),
            Kind::HalfLoad(w) => throughput::half_load(self, &s.name, &w),
            Kind::Startup => self.emulator().and_then(|e| process::startup(e, &s.name)),
            Kind::IdleRss => self.emulator().and_then(|e| process::idle_rss(e, &s.name)),
            Kind::Store(w) => process::store(self, &s.name, &w),
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

    /// A fresh emulator, or the --target server.
    fn subject(&self) -> Result<Subject, String> {
        match &self.target {
            Some(ep) => Ok(Subject::Remote(ep.clone())),
            None => Ok(Subject::Child(self.emulator()?.start()?)),
        }
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
