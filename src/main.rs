//! The `im-emulator` binary: command line and logging only; [`im_emulator::Application`] does
//! the rest.

use clap::Parser;
use im_emulator::config::{Cli, Command};
use im_emulator::{healthcheck, Application, VERSION};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Healthcheck(probe)) = cli.command {
        return healthcheck::run(&probe);
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    actix_web::rt::System::new().block_on(serve(cli))
}

async fn serve(cli: Cli) -> ExitCode {
    let app = match Application::build(&cli.config) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("im-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("im-emulator {VERSION} listening on {}", app.url());
    let _ = std::io::stdout().flush();
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("im-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
