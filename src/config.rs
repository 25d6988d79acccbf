//! Configuration: command-line flags, each also readable from an `IM_EMULATOR_*` variable,
//! gathered in one [`Config`] that builds the application.

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

const AFTER_HELP: &str = "\
Environment:
  RUST_LOG    log filter (default: info; every request is logged at info)
  IM_EMULATOR_* variables set the flags above (booleans take 1/0, true/false, yes/no)

Admin API (plain JSON, unauthenticated unless --admin-token is set):
  GET  /_emulator/health      status, counts, limits, memory
  GET  /_emulator/messages    every delivered message (filters, wait_ms long-poll)
  GET  /_emulator/requests    every call to a provider route, with why it failed
  GET  /_emulator/events      messages and calls live (Server-Sent Events)
  /_emulator/faults           make provider routes fail, slow down or hang up
  POST /_emulator/reset       forget everything, a provider, or a tenant
  GET|PUT /_emulator/state    export or replace the whole state (one JSON document)
  /_emulator/clock            read, pin, advance or release the clock";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "im-emulator",
    version,
    about = "Offline emulator of chat/IM server APIs",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

/// What to do instead of serving.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Exit 0 when the emulator answers /_emulator/health (for container health checks).
    Healthcheck(Probe),
}

/// Where `healthcheck` looks for the server.
#[derive(Debug, Clone, Args)]
pub struct Probe {
    /// The server's listen address. In a container whose first process is the emulator, its
    /// own --bind and --admin-token are used instead.
    #[arg(long, env = "IM_EMULATOR_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,
    /// The server's admin token, if it requires one.
    #[arg(long, env = "IM_EMULATOR_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
}

/// The default listen address.
pub const DEFAULT_BIND: &str = "127.0.0.1:4800";

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on; `:PORT` means 127.0.0.1:PORT, port 0 picks a free port.
    #[arg(long, env = "IM_EMULATOR_BIND", default_value = DEFAULT_BIND)]
    pub bind: String,
    /// Folder of fixtures replacing the built-in ones (`DIR/easemob/tenants.json`, ...).
    #[arg(long, env = "IM_EMULATOR_FIXTURES", value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Seed for every identifier generator; with --clock, ids are reproducible.
    #[arg(long, env = "IM_EMULATOR_SEED", value_name = "N")]
    pub seed: Option<u64>,
    /// Start with the clock pinned at this instant (epoch milliseconds).
    #[arg(long, env = "IM_EMULATOR_CLOCK", value_name = "MS")]
    pub clock: Option<i64>,
    /// Answer unknown tenants (Easemob org/app) with the provider's not-found error instead of
    /// creating them on first use.
    #[arg(
        long,
        env = "IM_EMULATOR_STRICT_TENANTS",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    pub strict_tenants: bool,
    /// Worker threads (default: one per CPU core).
    #[arg(long, env = "IM_EMULATOR_WORKERS", value_name = "N")]
    pub workers: Option<usize>,
    /// Messages the journal keeps; the oldest are evicted first (0: no bound).
    #[arg(
        long,
        env = "IM_EMULATOR_MAX_MESSAGES",
        value_name = "N",
        default_value_t = 200_000
    )]
    pub max_messages: usize,
    /// Calls the request log (/_emulator/requests) keeps; the oldest are evicted first (0: the
    /// log keeps none).
    #[arg(
        long,
        env = "IM_EMULATOR_MAX_REQUESTS",
        value_name = "N",
        default_value_t = 10_000
    )]
    pub max_requests: usize,
    /// Callback attempts /_emulator/callbacks keeps; the oldest are evicted first (0: none
    /// kept).
    #[arg(
        long,
        env = "IM_EMULATOR_MAX_CALLBACKS",
        value_name = "N",
        default_value_t = 1_000
    )]
    pub max_callbacks: usize,
    /// Long-poll readers of /_emulator/messages that may wait at once; past it a read answers
    /// at once.
    #[arg(
        long,
        env = "IM_EMULATOR_MAX_WAITERS",
        value_name = "N",
        default_value_t = 4_096
    )]
    pub max_waiters: usize,
    /// Tenants each provider keeps; past it, unknown tenants are refused (0: no bound).
    #[arg(
        long,
        env = "IM_EMULATOR_MAX_TENANTS",
        value_name = "N",
        default_value_t = 1_000
    )]
    pub max_tenants: usize,
    /// Seconds a client has to send a whole request, head and body.
    #[arg(
        long,
        env = "IM_EMULATOR_REQUEST_TIMEOUT",
        value_name = "SECS",
        default_value = "10",
        value_parser = parse_seconds
    )]
    pub request_timeout: Duration,
    /// Bearer token required on every /_emulator route (none by default).
    #[arg(long, env = "IM_EMULATOR_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// State file: loaded at start when it exists, written (atomically) at clean shutdown
    /// and every --state-interval.
    #[arg(long, env = "IM_EMULATOR_STATE_FILE", value_name = "PATH")]
    pub state_file: Option<PathBuf>,
    /// Seconds between two writes of --state-file (0: only at shutdown).
    #[arg(
        long,
        env = "IM_EMULATOR_STATE_INTERVAL",
        value_name = "SECS",
        default_value = "30",
        value_parser = parse_interval
    )]
    pub state_interval: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: DEFAULT_BIND.into(),
            fixtures: None,
            seed: None,
            clock: None,
            strict_tenants: false,
            workers: None,
            max_messages: 200_000,
            max_requests: 10_000,
            max_callbacks: 1_000,
            max_waiters: 4_096,
            max_tenants: 1_000,
            request_timeout: Duration::from_secs(10),
            admin_token: None,
            state_file: None,
            state_interval: Duration::from_secs(30),
        }
    }
}

/// A listen address as given, with `:PORT` read as `127.0.0.1:PORT`.
pub fn listen_address(bind: &str) -> String {
    match bind.strip_prefix(':') {
        Some(port) => format!("127.0.0.1:{port}"),
        None => bind.to_owned(),
    }
}

/// Seconds, with a fraction allowed (`0.5`); 0 means never.
fn parse_interval(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&seconds) {
        return Err("the interval must be from 0 to 86400 seconds".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Seconds, with a fraction allowed (`0.5`); more than zero.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err("the timeout must be more than 0 and at most 86400 seconds".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}
