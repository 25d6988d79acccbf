//! Command-line options of the benchmark.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

/// Measures throughput, latency, startup and memory of im-emulator against a
/// minimal actix-web baseline on the same machine.
#[derive(Debug, Parser)]
#[command(name = "bench", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunOptions,
}

/// Modes other than the benchmark run itself.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the baseline endpoint (started by the benchmark as a child).
    #[command(hide = true)]
    BaselineServer {
        /// Address to bind, port 0 for any free port.
        #[arg(long, default_value = "127.0.0.1:0")]
        bind: String,
    },
}

/// Options of a benchmark run.
#[derive(Debug, Clone, Args)]
pub struct RunOptions {
    /// Measured seconds per throughput scenario.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub duration: f64,
    /// Concurrent keep-alive connections of the load generator.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub connections: usize,
    /// Run only this scenario (repeatable); `--list` shows the names.
    #[arg(long = "scenario", value_name = "NAME")]
    pub scenarios: Vec<String>,
    /// Smoke run: 1 s per scenario and 100,000 stored messages.
    #[arg(long)]
    pub quick: bool,
    /// Drive this server (http://host:port) instead of a spawned emulator.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    /// Write the results as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Use this im-emulator binary instead of building the workspace's one.
    #[arg(long, value_name = "PATH")]
    pub emulator: Option<PathBuf>,
    /// Messages stored by the memory scenario (default 1,000,000).
    #[arg(long, value_name = "N")]
    pub messages: Option<u64>,
    /// Worker threads of the load generator's runtime.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub client_threads: usize,
    /// List the scenarios and exit.
    #[arg(long)]
    pub list: bool,
}

impl RunOptions {
    /// Measured time of one throughput scenario.
    pub fn measure(&self) -> Duration {
        let secs = if self.quick { 1.0 } else { self.duration };
        Duration::from_secs_f64(secs.max(0.1))
    }

    /// Unmeasured time before each throughput scenario.
    pub fn warmup(&self) -> Duration {
        (self.measure() / 5).min(Duration::from_secs(1))
    }

    /// Time of the sustained load of the bounded-memory scenario: at least
    /// 10 s (or --duration if longer), 3 s with --quick.
    pub fn soak(&self) -> Duration {
        if self.quick {
            Duration::from_secs(3)
        } else {
            Duration::from_secs_f64(self.duration.max(10.0))
        }
    }

    /// Messages sent by the memory scenario.
    pub fn stored_messages(&self) -> u64 {
        match (self.messages, self.quick) {
            (Some(n), _) => n.max(1),
            (None, true) => 100_000,
            (None, false) => 1_000_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> RunOptions {
        let argv = std::iter::once("bench").chain(args.iter().copied());
        Cli::parse_from(argv).run
    }

    #[test]
    fn soak_lasts_at_least_ten_seconds_unless_quick() {
        assert_eq!(opts(&[]).soak(), Duration::from_secs(10));
        assert_eq!(opts(&["--duration", "20"]).soak(), Duration::from_secs(20));
        assert_eq!(opts(&["--quick"]).soak(), Duration::from_secs(3));
    }
}
