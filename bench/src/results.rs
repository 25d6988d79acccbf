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
    /// The scenario's own figures beyond the columns (RSS samples, journal
    /// counts, server CPU), by name.
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
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

    /// Adds one named figure to the details.
    pub fn with_detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.details
            .get_or_insert_with(Default::default)
            .insert(key.to_string(), value.into());
        self
    }

    /// A named figure of the details, as a number.
    pub fn detail(&self, key: &str) -> Option<f64> {
        self.details.as_ref()?.get(key)?.as_f64()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_null_until_one_is_added() {
        let row = Row::named("x");
        assert_eq!(
            serde_json::to_value(&row).unwrap()["details"],
            serde_json::Value::Null
        );
        let row = row
            .with_detail("stored", 196_875u64)
            .with_detail("share", 0.02);
        assert_eq!(row.detail("stored"), Some(196_875.0));
        assert_eq!(row.detail("share"), Some(0.02));
        assert_eq!(row.detail("missing"), None);
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["details"]["stored"], 196_875);
    }
}
