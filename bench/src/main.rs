//! Benchmark of im-emulator: throughput, latency, startup and memory,
//! measured against a minimal actix-web baseline on the same machine.
//!
//! `cargo run --release -p bench` builds the release emulator, runs every
//! scenario and prints one table; see BENCHMARKS.md.

#![forbid(unsafe_code)]

mod baseline;
mod child;
mod cli;
mod conn;
mod emulator;
mod endpoint;
mod health;
mod load;
mod machine;
mod oneshot;
mod open_loop;
mod response;
mod results;
mod run;
mod scenario;
mod stats;
mod table;
mod targets;
mod waiters;

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;

use cli::{Cli, Command, RunOptions};
use machine::Machine;
use results::{Report, Row};
use run::Runner;
use scenario::Scenario;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::BaselineServer { bind }) => baseline::serve(&bind),
        None => bench(cli.run),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the selected scenarios, prints the table, writes --json.
fn bench(opts: RunOptions) -> Result<(), String> {
    if opts.connections == 0 {
        return Err("--connections must be at least 1".into());
    }
    let scenarios = scenario::select(&opts.scenarios)?;
    if opts.list {
        scenarios.iter().for_each(|s| println!("{}", s.listing()));
        return Ok(());
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build of the load generator; use --release");
    }
    let machine = Machine::detect();
    eprintln!("machine: {machine}");
    let rows = run_all(&opts, &scenarios)?;
    let checks = targets::check(&rows);
    println!("\nim-emulator benchmark on {machine}");
    println!(
        "{} connections, {:.1} s per throughput scenario\n",
        opts.connections,
        opts.measure().as_secs_f64()
    );
    print!(
        "{}\n{}",
        table::render(&rows),
        table::render_targets(&checks)
    );
    if let Some(path) = &opts.json {
        let report = Report {
            unix_time: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            machine: &machine,
            duration_secs: opts.measure().as_secs_f64(),
            connections: opts.connections,
            target: opts.target.as_deref(),
            rows: &rows,
            targets: &checks,
        };
        report.write(path)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Runs each scenario in turn, reporting progress on stderr.
fn run_all(opts: &RunOptions, scenarios: &[Scenario]) -> Result<Vec<Row>, String> {
    let mut runner = Runner::new(opts.clone(), scenarios)?;
    let mut rows = Vec::with_capacity(scenarios.len());
    for s in scenarios {
        eprintln!("running {} ...", s.name);
        let row = runner.run(s);
        if let Some(note) = &row.note {
            eprintln!("  {note}");
        }
        rows.push(row);
    }
    Ok(rows)
}
