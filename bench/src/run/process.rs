//! Scenarios on the emulator process itself: startup time and memory.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::{stop_noted, Runner};
use crate::emulator::{wait_healthy, Emulator};
use crate::load::{Requests, Stop};
use crate::results::Row;
use crate::scenario::{Scenario, Workload};
use crate::table::thousands;

/// Starts timed by the startup scenario.
const STARTS: usize = 20;
/// Pause before reading the RSS of an idle server.
const SETTLE: Duration = Duration::from_millis(500);
pub const MIB: f64 = 1024.0 * 1024.0;

/// Median time from spawn to the first 200 from the health endpoint.
pub fn startup(emu: &Emulator, name: &str) -> Result<Row, String> {
    let mut times = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        let started = Instant::now();
        let server = emu.spawn()?;
        wait_healthy(&server)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        server.stop()?;
    }
    times.sort_by(f64::total_cmp);
    let median = (times[STARTS / 2 - 1] + times[STARTS / 2]) / 2.0;
    let spread = format!(
        "{STARTS} starts, min {:.1} ms, max {:.1} ms",
        times[0],
        times[STARTS - 1]
    );
    Ok(Row::named(name)
        .with_figure(median, "ms median")
        .noted(spread))
}

/// VmRSS of a fresh emulator that has answered one health check.
pub fn idle_rss(emu: &Emulator, name: &str) -> Result<Row, String> {
    let server = emu.start()?;
    thread::sleep(SETTLE);
    let rss = server.rss().ok_or("no VmRSS")?;
    let mut row = Row::named(name).with_figure(rss as f64 / MIB, "MiB");
    row.server_rss_bytes = Some(rss);
    Ok(stop_noted(server, row))
}

/// VmRSS growth per message stored by sending the configured number of
/// `w` requests, minus the content bytes each one carries.
pub fn store(r: &Runner, s: &Scenario, w: &Workload) -> Result<Row, String> {
    let name = s.name.as_str();
    let emu = r.emulator()?;
    let server = emu.start_with(s.emulator_args)?;
    let ep = server.endpoint.clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    thread::sleep(SETTLE);
    let before = server.rss().ok_or("no VmRSS")?;
    let stop = Stop::Count(r.opts.stored_messages());
    let summary = r.closed(ep.addr, requests, stop)?;
    let after = server.rss().ok_or("no VmRSS")?;
    let stored = summary.requests.max(1);
    let per_message = after.saturating_sub(before) as f64 / stored as f64 - w.content_bytes as f64;
    let mut row = Row::named(name)
        .with_load(&summary)
        .with_figure(per_message, "bytes/msg");
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    row.server_rss_bytes = Some(after);
    let note = format!(
        "{} messages, RSS {:.1} -> {:.1} MiB, {} content bytes each",
        thousands(stored),
        before as f64 / MIB,
        after as f64 / MIB,
        w.content_bytes
    );
    Ok(stop_noted(server, row.noted(note)))
}
