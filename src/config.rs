//! Configuration: command-line flags, each also readable from an `IM_EMULATOR_*` variable,
//! gathered in one [`Config`] that builds the application.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "im-emulator",
    version,
    about = "Offline emulator of chat/IM server APIs"
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
    /// Exit 0 when the server at --bind answers /_emulator/health (for Docker's HEALTHCHECK).
    Healthcheck,
}

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        env = "IM_EMULATOR_BIND",
        default_value = "127.0.0.1:4800",
        global = true
    )]
    pub bind: String,
    /// Folder of fixtures replacing the built-in ones (`DIR/easemob/tenants.json`, ...).
    #[arg(long, env = "IM_EMULATOR_FIXTURES", value_name = "DIR", global = true)]
    pub fixtures: Option<PathBuf>,
    /// Seed for every identifier generator, for reproducible runs.
    #[arg(long, env = "IM_EMULATOR_SEED", value_name = "N", global = true)]
    pub seed: Option<u64>,
    /// Answer unknown tenants (Easemob org/app) with the provider's not-found error instead of
    /// creating them on first use.
    #[arg(long, env = "IM_EMULATOR_STRICT_TENANTS", global = true)]
    pub strict_tenants: bool,
    /// Worker threads (default: one per CPU core).
    #[arg(long, env = "IM_EMULATOR_WORKERS", value_name = "N", global = true)]
    pub workers: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:4800".into(),
            fixtures: None,
            seed: None,
            strict_tenants: false,
            workers: None,
        }
    }
}
