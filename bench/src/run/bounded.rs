//! Memory under sustained load on an emulator whose message journal is
//! bounded: once the journal is full, evictions must keep the RSS flat.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;

use super::process::MIB;
use super::{stop_noted, Runner};
use crate::child::rss_of;
use crate::endpoint::Endpoint;
use crate::health::Health;
use crate::load::{Requests, Stop};
use crate::results::Row;
use crate::scenario::{Scenario, Workload};
use crate::table::thousands;

/// Time between two samples of the server's RSS and journal counts.
const SAMPLE_EVERY: Duration = Duration::from_millis(500);
/// How long one read of the health route may take under load.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// One look at the server: its RSS and, where health answered, its journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Time since the sampling started (just before the load).
    pub at: Duration,
    pub rss: Option<u64>,
    pub stored: Option<u64>,
    pub evicted: Option<u64>,
}

/// The RSS before the load, when the journal first reached its bound, at its
/// highest, and at the end; and the straight line that best fits the samples
/// from the bound to the end.
///
/// Once the journal is full the RSS does not sit still: the allocator's
/// free lists fill and drain as records are evicted and appended, and samples
/// swing by a few MiB either way. The difference between two single samples
/// (`bytes`) carries that swing; the fitted line's rise (`trend`) does not, and
/// still shows a steady growth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    pub start: u64,
    pub at_bound: u64,
    /// When the bound was first seen reached (the first sample with evictions).
    pub bound_at: Duration,
    pub peak: u64,
    pub last: u64,
    /// Samples from the bound to the end.
    pub samples: usize,
    /// Rise of the least-squares line from the bound to the end, in bytes.
    pub trend: f64,
    /// Value of that line at the bound, in bytes.
    pub trend_base: f64,
}

impl Growth {
    /// Reads the samples, oldest first. `None` when no sample saw the
    /// journal evict (the bound was never reached) or no RSS was read.
    pub fn of(samples: &[Sample]) -> Option<Self> {
        let rss: Vec<(&Sample, u64)> = samples
            .iter()
            .filter_map(|s| s.rss.map(|r| (s, r)))
            .collect();
        let (first, last) = (rss.first()?.1, rss.last()?.1);
        let bound = rss
            .iter()
            .position(|(s, _)| s.evicted.is_some_and(|e| e > 0))?;
        let (bound_sample, at_bound) = rss[bound];
        let points: Vec<(f64, f64)> = rss[bound..]
            .iter()
            .map(|(s, r)| (s.at.as_secs_f64(), *r as f64))
            .collect();
        let (trend, trend_base) = rise(&points);
        Some(Self {
            start: first,
            at_bound,
            bound_at: bound_sample.at,
            peak: rss.iter().map(|(_, r)| *r).max()?,
            last,
            samples: points.len(),
            trend,
            trend_base,
        })
    }

    /// Bytes gained (negative: lost) from the sample at the bound to the last.
    pub fn bytes(&self) -> i64 {
        self.last as i64 - self.at_bound as i64
    }

    /// `bytes` as a share of the RSS at the bound.
    pub fn share(&self) -> f64 {
        self.bytes() as f64 / self.at_bound.max(1) as f64
    }

    /// The fitted rise as a share of the fitted RSS at the bound.
    pub fn trend_share(&self) -> f64 {
        self.trend / self.trend_base.max(1.0)
    }
}

/// The least-squares line through `points` (x, y): its rise from the first x
/// to the last, and its value at the first x. A single point rises by 0.
fn rise(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let Some((&(x0, y0), &(x1, _))) = points.first().zip(points.last()) else {
        return (0.0, 0.0);
    };
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx <= 0.0 {
        return (0.0, y0);
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    (slope * (x1 - x0), mean_y + slope * (x0 - mean_x))
}

/// RSS of a fresh emulator, started with the scenario's bound, under `w` in a
/// closed loop for the soak time, sampled every 0.5 s.
pub fn bounded_rss(r: &Runner, s: &Scenario, w: &Workload) -> Result<Row, String> {
    let server = r.emulator()?.start_with(s.emulator_args)?;
    let ep = server.endpoint.clone();
    let requests: Requests = Arc::new((w.requests)(&ep, &r.login(w, &ep)?));
    let soak = r.opts.soak();
    let stop = AtomicBool::new(false);
    let pid = server.pid();
    let (summary, samples) = thread::scope(|scope| {
        let sampler = scope.spawn(|| sample(pid, &ep, &stop));
        let window = Stop::Window {
            warmup: Duration::ZERO,
            measure: soak,
        };
        let summary = r.closed(ep.addr, requests, window);
        stop.store(true, Ordering::SeqCst);
        (summary, sampler.join())
    });
    let summary = summary?;
    let samples = samples.map_err(|_| "the RSS sampler panicked")?;
    let health = Health::read(&ep, HEALTH_TIMEOUT)?;
    let mut row = Row::named(&s.name).with_load(&summary);
    row.vs_baseline = r.ratio(summary.requests_per_sec);
    let per_request = w.items.map_or(1, |(n, _)| n);
    let items = summary.requests_per_sec * per_request as f64;
    row = row
        .noted(format!(
            "{:.1} s of sends, {} {}",
            soak.as_secs_f64(),
            thousands(items.round() as u64),
            w.items.map_or("req/s", |(_, unit)| unit)
        ))
        .with_detail("samples", samples_json(&samples))
        .with_detail("messages_stored", health.stored)
        .with_detail("messages_evicted", health.evicted)
        .with_detail("messages_max", health.max);
    row.server_rss_bytes = samples.iter().rev().find_map(|s| s.rss);
    match Growth::of(&samples) {
        Some(g) => row = with_growth(row, &g),
        None => row = row.noted("the journal never reached its bound"),
    }
    let journal = format!(
        "journal at the end: stored {}, evicted {} (max {})",
        count(health.stored),
        count(health.evicted),
        count(health.max)
    );
    Ok(stop_noted(server, row.noted(journal)))
}

/// The figure, note and details of a run whose journal reached its bound.
fn with_growth(row: Row, g: &Growth) -> Row {
    let mib = |b: f64| b / MIB;
    row.with_figure(mib(g.trend), "MiB fitted growth once full")
        .noted(format!(
            "RSS {:.1} MiB at start, {:.1} MiB when the bound was first reached ({:.1} s), \
             peak {:.1} MiB, final {:.1} MiB: {:+.1} MiB ({:+.1}%) after the bound; \
             line fitted to the {} samples since the bound: {:+.1} MiB ({:+.1}%)",
            mib(g.start as f64),
            mib(g.at_bound as f64),
            g.bound_at.as_secs_f64(),
            mib(g.peak as f64),
            mib(g.last as f64),
            mib(g.bytes() as f64),
            g.share() * 100.0,
            g.samples,
            mib(g.trend),
            g.trend_share() * 100.0
        ))
        .with_detail("rss_start_bytes", g.start)
        .with_detail("rss_at_bound_bytes", g.at_bound)
        .with_detail("bound_reached_s", g.bound_at.as_secs_f64())
        .with_detail("rss_peak_bytes", g.peak)
        .with_detail("rss_final_bytes", g.last)
        .with_detail("rss_growth_bytes", g.bytes())
        .with_detail("rss_growth_share", g.share())
        .with_detail("rss_trend_bytes", g.trend.round())
        .with_detail("rss_trend_share", g.trend_share())
}

/// Samples the server every [`SAMPLE_EVERY`] until `stop`, then once more.
fn sample(pid: u32, ep: &Endpoint, stop: &AtomicBool) -> Vec<Sample> {
    let start = Instant::now();
    let mut samples = Vec::new();
    for k in 1u32.. {
        let health = Health::read(ep, HEALTH_TIMEOUT).ok();
        let sample = Sample {
            at: start.elapsed(),
            rss: rss_of(pid),
            stored: health.and_then(|h| h.stored),
            evicted: health.and_then(|h| h.evicted),
        };
        let stopped = stop.load(Ordering::SeqCst);
        // The look after the stop replaces one taken just before it.
        if stopped
            && samples
                .last()
                .is_some_and(|s: &Sample| sample.at - s.at < SAMPLE_EVERY / 2)
        {
            samples.pop();
        }
        samples.push(sample);
        if stopped {
            break;
        }
        let next = start + SAMPLE_EVERY * k;
        while !stop.load(Ordering::SeqCst) {
            let now = Instant::now();
            if now >= next {
                break;
            }
            thread::sleep((next - now).min(Duration::from_millis(10)));
        }
    }
    samples
}

/// The samples as JSON: `[{t_s, rss_bytes, stored, evicted}, ...]`.
fn samples_json(samples: &[Sample]) -> serde_json::Value {
    samples
        .iter()
        .map(|s| {
            json!({
                "t_s": (s.at.as_secs_f64() * 1000.0).round() / 1000.0,
                "rss_bytes": s.rss,
                "stored": s.stored,
                "evicted": s.evicted,
            })
        })
        .collect()
}

fn count(v: Option<u64>) -> String {
    v.map_or("?".into(), thousands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: u64, rss_mib: u64, evicted: Option<u64>) -> Sample {
        Sample {
            at: Duration::from_millis(ms),
            rss: Some(rss_mib << 20),
            stored: evicted.map(|_| 200_000),
            evicted,
        }
    }

    #[test]
    fn growth_runs_from_the_first_eviction_to_the_end() {
        let samples = [
            at(0, 5, Some(0)),
            at(500, 60, Some(1_000)),
            at(1000, 70, Some(900_000)),
            at(1500, 66, None),
        ];
        let g = Growth::of(&samples).unwrap();
        assert_eq!(g.start, 5 << 20);
        assert_eq!(g.at_bound, 60 << 20);
        assert_eq!(g.bound_at, Duration::from_millis(500));
        assert_eq!(g.peak, 70 << 20);
        assert_eq!(g.last, 66 << 20);
        assert_eq!(g.samples, 3);
        assert_eq!(g.bytes(), 6 << 20);
        assert!((g.share() - 0.1).abs() < 1e-12);
        // Line through (0.5, 60), (1, 70), (1.5, 66): slope 6 MiB/s, 62 1/3 MiB at 0.5 s.
        assert!((g.trend - (6 << 20) as f64).abs() < 1.0);
        assert!((g.trend_base - (62.0 + 1.0 / 3.0) * MIB).abs() < 1.0);
    }

    #[test]
    fn a_swing_at_the_end_is_not_a_trend() {
        // Flat at 45 MiB but for a last sample 5 MiB up: the two-sample
        // growth is the swing, the fitted line rises by far less.
        let mut samples: Vec<Sample> = (1..=20).map(|k| at(k * 500, 45, Some(k))).collect();
        samples.push(at(10_500, 50, Some(21)));
        let g = Growth::of(&samples).unwrap();
        assert!((g.share() - 5.0 / 45.0).abs() < 1e-12);
        assert!(g.trend_share() > 0.0 && g.trend_share() < 0.05, "{g:?}");
    }

    #[test]
    fn the_fitted_line_of_one_or_level_points_is_flat() {
        assert_eq!(rise(&[]), (0.0, 0.0));
        assert_eq!(rise(&[(1.0, 7.0)]), (0.0, 7.0));
        assert_eq!(rise(&[(1.0, 7.0), (2.0, 7.0)]), (0.0, 7.0));
        let (r, base) = rise(&[(1.0, 10.0), (2.0, 12.0), (3.0, 14.0)]);
        assert!((r - 4.0).abs() < 1e-12 && (base - 10.0).abs() < 1e-12);
    }

    #[test]
    fn shrinking_is_negative_growth() {
        let g = Growth::of(&[at(0, 80, Some(5)), at(500, 72, Some(9))]).unwrap();
        assert_eq!(g.bytes(), -(8 << 20));
        assert!(g.share() < 0.0 && g.trend_share() < 0.0);
    }

    #[test]
    fn no_growth_without_eviction_or_rss() {
        assert_eq!(Growth::of(&[at(0, 5, Some(0)), at(500, 9, None)]), None);
        let blind = Sample {
            rss: None,
            ..at(500, 9, Some(10))
        };
        assert_eq!(Growth::of(&[blind]), None);
        assert_eq!(Growth::of(&[]), None);
    }

    #[test]
    fn growth_fills_the_row() {
        let g = Growth::of(&[
            at(0, 5, Some(0)),
            at(500, 100, Some(3)),
            at(1000, 102, Some(9)),
        ])
        .unwrap();
        let row = with_growth(Row::named("x"), &g);
        let figure = row.figure.as_ref().unwrap();
        assert_eq!(figure.unit, "MiB fitted growth once full");
        assert!((figure.value - 2.0).abs() < 1e-9);
        assert_eq!(row.detail("rss_growth_share"), Some(0.02));
        assert!((row.detail("rss_trend_share").unwrap() - 0.02).abs() < 1e-9);
        let note = row.note.unwrap();
        assert!(
            note.contains("final 102.0 MiB: +2.0 MiB (+2.0%) after the bound"),
            "{note}"
        );
        assert!(
            note.ends_with("the 2 samples since the bound: +2.0 MiB (+2.0%)"),
            "{note}"
        );
    }
}
