//! The project's performance targets, compared with (never asserted on) the
//! figures of a run.

use serde::Serialize;

use crate::results::Row;

const MIB: f64 = 1024.0 * 1024.0;

/// One target and how the run compares with it.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub target: &'static str,
    pub measured: Option<String>,
    /// `None` when the scenario did not run.
    pub met: Option<bool>,
}

type Measure = fn(&Row) -> Option<(String, bool)>;

/// Every target: its text, the scenario it reads, and the comparison.
const TARGETS: [(&str, &str, Measure); 6] = [
    (
        "easemob-send-1 >= 0.6 x baseline rps, 0 errors",
        "easemob-send-1",
        send_one,
    ),
    (
        "easemob-send-600 >= 500,000 recipient-msgs/s",
        "easemob-send-600",
        send_many,
    ),
    (
        "p99 at half the max send-1 rps < 2 ms",
        "easemob-send-1-half-load",
        half_load,
    ),
    ("startup < 50 ms", "startup", startup),
    ("idle RSS < 10 MiB", "idle-rss", idle_rss),
    (
        "< 600 bytes per stored txt message beyond its text",
        "easemob-store",
        store,
    ),
];

/// Compares `rows` with every target.
pub fn check(rows: &[Row]) -> Vec<Check> {
    TARGETS
        .iter()
        .map(|(target, scenario, measure)| {
            let found = rows
                .iter()
                .find(|r| r.scenario == *scenario)
                .and_then(measure);
            Check {
                target,
                measured: found.as_ref().map(|(m, _)| m.clone()),
                met: found.map(|(_, ok)| ok),
            }
        })
        .collect()
}

fn send_one(r: &Row) -> Option<(String, bool)> {
    let (ratio, errors) = (r.vs_baseline?, r.errors?);
    Some((
        format!("{ratio:.2} x, {errors} errors"),
        ratio >= 0.6 && errors == 0,
    ))
}

fn send_many(r: &Row) -> Option<(String, bool)> {
    let v = r.figure.as_ref()?.value;
    Some((format!("{v:.0} recipient-msgs/s"), v >= 500_000.0))
}

fn half_load(r: &Row) -> Option<(String, bool)> {
    let p99 = r.p99_ms?;
    Some((format!("{p99:.3} ms"), p99 < 2.0))
}

fn startup(r: &Row) -> Option<(String, bool)> {
    let v = r.figure.as_ref()?.value;
    Some((format!("{v:.1} ms"), v < 50.0))
}

fn idle_rss(r: &Row) -> Option<(String, bool)> {
    let v = r.server_rss_bytes? as f64 / MIB;
    Some((format!("{v:.1} MiB"), v < 10.0))
}

fn store(r: &Row) -> Option<(String, bool)> {
    let v = r.figure.as_ref()?.value;
    Some((format!("{v:.0} bytes/msg"), v < 600.0))
}
