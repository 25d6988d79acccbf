//! `im-emulator healthcheck`: asks the server for `/_emulator/health` over plain HTTP, for
//! container health checks where no curl exists. In a container whose first process is the
//! emulator, it reads that process's command line, so that it follows a `--bind` or
//! `--admin-token` given there rather than in the environment.

use crate::config::{listen_address, Cli, Probe};
use clap::Parser;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

/// Exit code 0 when the server answers 200, 1 otherwise.
pub fn run(probe: &Probe) -> ExitCode {
    let probe = first_process().unwrap_or_else(|| probe.clone());
    match check(&listen_address(&probe.bind), probe.admin_token.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("im-emulator healthcheck: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The address and admin token of the container's first process, when it is the emulator
/// serving (not this process, and not another subcommand).
fn first_process() -> Option<Probe> {
    if std::process::id() == 1 {
        return None;
    }
    let cmdline = std::fs::read("/proc/1/cmdline").ok()?;
    let args: Vec<String> = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let program = std::path::Path::new(args.first()?).file_name()?;
    if program != "im-emulator" {
        return None;
    }
    let cli = Cli::try_parse_from(&args).ok()?;
    let serving = cli.command.is_none();
    serving.then_some(Probe {
        bind: cli.config.bind,
        admin_token: cli.config.admin_token,
    })
}

fn check(bind: &str, admin_token: Option<&str>) -> Result<(), String> {
    let address = reachable(bind)?;
    let timeout = Duration::from_secs(2);
    let mut stream = TcpStream::connect_timeout(&address, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let authorization =
        admin_token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "GET /_emulator/health HTTP/1.1\r\nHost: {address}\r\n{authorization}Connection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).map_err(|e| e.to_string())?;
    if head.starts_with(b"HTTP/1.1 200") || head.starts_with(b"HTTP/1.0 200") {
        Ok(())
    } else {
        Err(format!(
            "unexpected answer {}",
            String::from_utf8_lossy(&head)
        ))
    }
}

/// The address to connect to: a wildcard bind address is reached through loopback.
fn reachable(bind: &str) -> Result<SocketAddr, String> {
    let mut address = bind
        .to_socket_addrs()
        .map_err(|e| format!("bad address {bind}: {e}"))?
        .next()
        .ok_or_else(|| format!("bad address {bind}"))?;
    if address.ip().is_unspecified() {
        let loopback = if address.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        };
        address.set_ip(loopback);
    }
    Ok(address)
}
