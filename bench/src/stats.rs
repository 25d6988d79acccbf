//! Counting completed requests and their latencies in an HDR histogram.

use std::time::Duration;

use hdrhistogram::Histogram;

/// Highest latency the histogram holds, in microseconds (one minute).
const MAX_MICROS: u64 = 60_000_000;

/// Outcomes of requests: latencies of the good ones, count of the bad ones.
pub struct Tally {
    hist: Histogram<u64>,
    pub errors: u64,
}

impl Tally {
    pub fn new() -> Self {
        let hist = Histogram::new_with_bounds(1, MAX_MICROS, 3).expect("valid histogram bounds");
        Self { hist, errors: 0 }
    }

    /// Records one good request that took `latency`.
    pub fn ok(&mut self, latency: Duration) {
        let micros = (latency.as_micros() as u64).clamp(1, MAX_MICROS);
        self.hist.record(micros).expect("value within bounds");
    }

    /// Adds another tally's counts into this one.
    pub fn merge(&mut self, other: &Tally) {
        self.hist.add(&other.hist).expect("same histogram bounds");
        self.errors += other.errors;
    }

    /// Good requests recorded.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// Latency at quantile `q` in milliseconds; `None` with no requests.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        (self.count() > 0).then(|| self.hist.value_at_quantile(q) as f64 / 1000.0)
    }

    /// Rates and percentiles over a measured `elapsed` time.
    pub fn summary(&self, elapsed: Duration) -> Summary {
        let secs = elapsed.as_secs_f64().max(1e-9);
        Summary {
            requests: self.count(),
            requests_per_sec: self.count() as f64 / secs,
            p50_ms: self.quantile_ms(0.50),
            p99_ms: self.quantile_ms(0.99),
            p999_ms: self.quantile_ms(0.999),
            errors: self.errors,
        }
    }
}

/// The figures of one load run.
#[derive(Debug, Clone)]
pub struct Summary {
    pub requests: u64,
    pub requests_per_sec: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
    pub errors: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_summarises() {
        let mut a = Tally::new();
        let mut b = Tally::new();
        for ms in 1..=100 {
            a.ok(Duration::from_millis(ms));
        }
        b.errors = 2;
        a.merge(&b);
        let s = a.summary(Duration::from_secs(2));
        assert_eq!((s.requests, s.errors), (100, 2));
        assert_eq!(s.requests_per_sec, 50.0);
        assert!((s.p50_ms.unwrap() - 50.0).abs() < 0.1);
        assert!((s.p99_ms.unwrap() - 99.0).abs() < 0.1);
    }
}
