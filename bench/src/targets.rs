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

/// Compares the scenario's row (and, for a comparison, the others) with a target.
type Measure = fn(&Row, &[Row]) -> Option<(String, bool)>;

/// Every target: its text, the scenario it reads, and the comparison.
const TARGETS: [(&str, &str, Measure); 15] = [
    (
        "easemob-send-1 >= 0.6 x baseline rps, 0 errors",
        "easemob-send-1",
        send_one,
    ),
    (
        "openim-send-1 >= 0.6 x baseline rps, 0 errors",
        "openim-send-1",
        send_one,
    ),
    (
        "yunxin-send-1 >= 0.6 x baseline rps, 0 errors",
        "yunxin-send-1",
        send_one,
    ),
    (
        "yunxin-send-1 with message copies >= 0.8 x without, 0 errors",
        "yunxin-send-1-callbacks",
        with_callbacks,
    ),
    (
        "anqicms-send-1 >= 0.6 x baseline rps, 0 errors",
        "anqicms-send-1",
        send_one,
    ),
    (
        "anqicms-list-10 >= 0.6 x baseline rps, 0 errors",
        "anqicms-list-10",
        send_one,
    ),
    (
        "a page from a 10,000-message order >= 0.8 x one from a 10-message order",
        "anqicms-list-10",
        flat_page,
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
    (
        "send p99 with 1,000 waiters open < 2 ms (compare easemob-send-1-half-load)",
        "easemob-send-1-waiters",
        waiters,
    ),
    (
        "a subscriber that never reads: send rps >= 0.8 x easemob-send-1",
        "easemob-send-1-stalled-subscriber",
        stalled_subscriber,
    ),
    ("startup < 50 ms", "startup", startup),
    ("idle RSS < 10 MiB", "idle-rss", idle_rss),
    (
        "< 600 bytes per stored txt message beyond its text",
        "easemob-store",
        store,
    ),
    (
        "RSS flat once the journal is full (growth < 10% after the bound)",
        "easemob-bounded-rss",
        bounded_rss,
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
                .and_then(|r| measure(r, rows));
            Check {
                target,
                measured: found.as_ref().map(|(m, _)| m.clone()),
                met: found.map(|(_, ok)| ok),
            }
        })
        .collect()
}

fn send_one(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let (ratio, errors) = (r.vs_baseline?, r.errors?);
    Some((
        format!("{ratio:.2} x, {errors} errors"),
        ratio >= 0.6 && errors == 0,
    ))
}

/// Sends with a callback each against the same sends without.
fn with_callbacks(r: &Row, rows: &[Row]) -> Option<(String, bool)> {
    let (rps, errors) = (r.requests_per_sec?, r.errors?);
    let without = rows
        .iter()
        .find(|o| o.scenario == "yunxin-send-1")?
        .requests_per_sec?;
    let (delivered, dropped) = (
        r.detail("callbacks_delivered")?,
        r.detail("callbacks_dropped")?,
    );
    let share = rps / without.max(1e-9);
    let cpu = rows
        .iter()
        .find(|o| o.scenario == "yunxin-send-1")
        .and_then(|o| o.detail("server_cpu_us_per_request"))
        .zip(r.detail("server_cpu_us_per_request"))
        .map_or(String::new(), |(without, with)| {
            format!("; emulator CPU {with:.1} against {without:.1} µs per send")
        });
    Some((
        format!(
            "{share:.2} x, {errors} errors; copies {delivered} delivered, {dropped} dropped{cpu}"
        ),
        share >= 0.8 && errors == 0,
    ))
}

/// The long order's page rate against the short order's.
fn flat_page(r: &Row, rows: &[Row]) -> Option<(String, bool)> {
    let long = r.requests_per_sec?;
    let short = rows
        .iter()
        .find(|o| o.scenario == "anqicms-list-10-short")
        .and_then(|o| o.requests_per_sec)?;
    let ratio = long / short.max(1e-9);
    Some((format!("{ratio:.2} x"), ratio >= 0.8))
}

fn send_many(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let v = r.figure.as_ref()?.value;
    Some((format!("{v:.0} recipient-msgs/s"), v >= 500_000.0))
}

fn half_load(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let p99 = r.p99_ms?;
    Some((format!("{p99:.3} ms"), p99 < 2.0))
}

fn startup(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let v = r.figure.as_ref()?.value;
    Some((format!("{v:.1} ms"), v < 50.0))
}

fn idle_rss(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let v = r.server_rss_bytes? as f64 / MIB;
    Some((format!("{v:.1} MiB"), v < 10.0))
}

fn store(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let v = r.figure.as_ref()?.value;
    Some((format!("{v:.0} bytes/msg"), v < 600.0))
}

fn stalled_subscriber(r: &Row, rows: &[Row]) -> Option<(String, bool)> {
    let rps = r.requests_per_sec?;
    let without = rows
        .iter()
        .find(|o| o.scenario == "easemob-send-1")?
        .requests_per_sec?;
    let share = rps / without.max(1e-9);
    Some((
        format!("{share:.2} x ({rps:.0} against {without:.0} rps)"),
        share >= 0.8,
    ))
}

fn waiters(r: &Row, rows: &[Row]) -> Option<(String, bool)> {
    let p99 = r.p99_ms?;
    let without = rows
        .iter()
        .find(|o| o.scenario == "easemob-send-1-half-load")
        .and_then(|o| o.p99_ms)
        .map_or(String::new(), |w| {
            format!(" (without waiters {w:.3} ms: {:.1} x)", p99 / w.max(1e-9))
        });
    Some((format!("{p99:.3} ms{without}"), p99 < 2.0))
}

/// Judged on the line fitted to the RSS samples after the bound, which a
/// swing of the last sample does not move much (see `run::bounded::Growth`).
fn bounded_rss(r: &Row, _: &[Row]) -> Option<(String, bool)> {
    let share = r.detail("rss_trend_share")?;
    let mib = r.detail("rss_trend_bytes")? / MIB;
    let last = r.detail("rss_growth_share").map_or(String::new(), |s| {
        format!("; last sample vs first {:+.1}%", s * 100.0)
    });
    Some((
        format!(
            "{mib:+.1} MiB ({:+.1}%) fitted after the bound{last}",
            share * 100.0
        ),
        share < 0.10,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(checks: &[Check], scenario_text: &str) -> (Option<String>, Option<bool>) {
        let c = checks
            .iter()
            .find(|c| c.target.starts_with(scenario_text))
            .unwrap();
        (c.measured.clone(), c.met)
    }

    #[test]
    fn waiters_are_compared_with_the_half_load_run() {
        let mut without = Row::named("easemob-send-1-half-load");
        without.p99_ms = Some(0.5);
        let mut with = Row::named("easemob-send-1-waiters");
        with.p99_ms = Some(1.25);
        let checks = check(&[without, with.clone()]);
        assert_eq!(
            verdict(&checks, "send p99 with 1,000 waiters"),
            (
                Some("1.250 ms (without waiters 0.500 ms: 2.5 x)".into()),
                Some(true)
            )
        );
        with.p99_ms = Some(2.5);
        let checks = check(&[with]);
        assert_eq!(
            verdict(&checks, "send p99 with 1,000 waiters"),
            (Some("2.500 ms".into()), Some(false))
        );
    }

    #[test]
    fn bounded_rss_reads_the_fitted_growth() {
        let row = Row::named("easemob-bounded-rss")
            .with_detail("rss_trend_share", 0.125)
            .with_detail("rss_trend_bytes", 10_485_760.0)
            .with_detail("rss_growth_share", 0.2);
        let checks = check(&[row]);
        assert_eq!(
            verdict(&checks, "RSS flat"),
            (
                Some(
                    "+10.0 MiB (+12.5%) fitted after the bound; last sample vs first +20.0%".into()
                ),
                Some(false)
            )
        );
        let checks = check(&[Row::named("easemob-bounded-rss")]);
        assert_eq!(verdict(&checks, "RSS flat"), (None, None));
    }
}
