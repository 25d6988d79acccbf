//! `im-emulator healthcheck`: asks the server at the configured address for
//! `/_emulator/health` over plain HTTP, for container health checks where no curl exists.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

/// Exit code 0 when the server at `bind` answers 200, 1 otherwise.
pub fn run(bind: &str) -> ExitCode {
    match check(bind) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("im-emulator healthcheck: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(bind: &str) -> Result<(), String> {
    let address = reachable(bind)?;
    let timeout = Duration::from_secs(2);
    let mut stream = TcpStream::connect_timeout(&address, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let request =
        format!("GET /_emulator/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
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
