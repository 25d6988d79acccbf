//! The figures of a run: one row per scenario, and the JSON file.

use std::path::Path;

use serde::Serialize;

use crate::machine::Machine;
use crate::stats::Summary;
use crate::targets::Check;

/// The headline figure of a scenario that is not a request rate.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub value: f64,
    pub unit: String,
}

/// The figures of one scenario; `None` where a column does not apply.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub scenario: String,
    pub requests: Option<u64>,
    pub requests_per_sec: Option<f64>,
    pub vs_baseline: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub p999_ms: Option<f64>,
    pub errors: Option<u64>,
    pub server_rss_bytes: Option<u64>,
    pub figure: Option<Figure>,
    pub note: Option<String>,
}

impl Row {
    /// A row named `scenario` with nothing measured yet.
    pub fn named(scenario: &str) -> Self {
        Self {
            scenario: scenario.to_string(),
            ..Self::default()
        }
    }

    /// Fills the rate, latency and error columns from a load run.
    pub fn with_load(mut self, s: &Summary) -> Self {
        self.requests = Some(s.requests);
        self.requests_per_sec = Some(s.requests_per_sec);
        self.p50_ms = s.p50_ms;
        self.p99_ms = s.p99_ms;
        self.p999_ms = s.p999_ms;
        self.errors = Some(s.errors);
        self
    }

    /// Sets the headline figure.
    pub fn with_figure(mut self, value: f64, unit: impl Into<String>) -> Self {
        self.figure = Some(Figure {
            value,
            unit: unit.into(),
        });
        self
    }

    /// Appends to the note.
    pub fn noted(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.note = Some(match self.note.take() {
            Some(n) => format!("{n}; {text}"),
            None => text,
        });
        self
    }
}

/// Everything `--json FILE` writes.
#[derive(Serialize)]
pub struct Report<'a> {
    pub unix_time: u64,
    pub machine: &'a Machine,
    pub duration_secs: f64,
    pub connections: usize,
    pub target: Option<&'a str>,
    pub rows: &'a [Row],
    pub targets: &'a [Check],
}

impl Report<'_> {
    /// Writes the report as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, json + "\n").map_err(|e| format!("{}: {e}", path.display()))
    }
}
