//! The printed table of results and the list of targets.

use crate::results::Row;
use crate::targets::Check;

const HEADER: [&str; 9] = [
    "scenario",
    "req/s",
    "vs base",
    "p50 ms",
    "p99 ms",
    "p99.9 ms",
    "errors",
    "server RSS",
    "figure",
];

/// Renders the rows as an aligned text table, notes below it.
pub fn render(rows: &[Row]) -> String {
    let cells: Vec<[String; 9]> = rows.iter().map(cells).collect();
    let mut widths = HEADER.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = line(&HEADER.map(String::from), &widths);
    out.push_str(&line(&widths.map(|w| "-".repeat(w)), &widths));
    for row in &cells {
        out.push_str(&line(row, &widths));
    }
    for row in rows {
        if let Some(note) = &row.note {
            out.push_str(&format!("  {}: {note}\n", row.scenario));
        }
    }
    out
}

/// Renders the targets with the measured value and whether it is met.
pub fn render_targets(checks: &[Check]) -> String {
    let width = checks.iter().map(|c| c.target.len()).max().unwrap_or(0);
    let mut out = String::from("targets (printed for comparison, not asserted):\n");
    for c in checks {
        let verdict = match c.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "not run",
        };
        let measured = c.measured.as_deref().unwrap_or("-");
        out.push_str(&format!("  {:width$}  {verdict:7}  {measured}\n", c.target));
    }
    out
}

fn line(cells: &[String; 9], widths: &[usize; 9]) -> String {
    let mut out = format!("{:w$}", cells[0], w = widths[0]);
    for (c, w) in cells.iter().zip(widths).skip(1) {
        out.push_str(&format!("  {c:>w$}"));
    }
    out.trim_end().to_string() + "\n"
}

fn cells(r: &Row) -> [String; 9] {
    [
        r.scenario.clone(),
        opt(r.requests_per_sec, |v| thousands(v.round() as u64)),
        opt(r.vs_baseline, |v| format!("{v:.2}x")),
        opt(r.p50_ms, ms),
        opt(r.p99_ms, ms),
        opt(r.p999_ms, ms),
        opt(r.errors, |v| v.to_string()),
        opt(r.server_rss_bytes, |v| {
            format!("{:.1} MiB", v as f64 / 1048576.0)
        }),
        r.figure
            .as_ref()
            .map_or("-".into(), |f| format!("{} {}", number(f.value), f.unit)),
    ]
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or("-".into(), f)
}

fn ms(v: f64) -> String {
    format!("{v:.3}")
}

/// Large values with thousands separators, small ones with decimals.
fn number(v: f64) -> String {
    if v.abs() >= 1000.0 {
        thousands(v.round() as u64)
    } else {
        format!("{v:.1}")
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn renders_dashes_for_missing_columns() {
        let text = render(&[Row::named("startup").with_figure(12.5, "ms median")]);
        assert!(text.contains("startup"));
        assert!(text.contains("12.5 ms median"));
        assert!(text.lines().nth(2).unwrap().contains(" -"));
    }
}
