//! The `im-emulator` binary as an operator runs it: the ready line, flags and their
//! `IM_EMULATOR_*` variables, the `healthcheck` subcommand, signals, bad fixtures and `--help`.
//! Every child process is killed when its guard drops, also when a test fails.

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_im-emulator");
/// How long a process gets to start, answer or stop.
const PATIENCE: Duration = Duration::from_secs(10);
/// The wait between two polls of a process.
const POLL: Duration = Duration::from_millis(20);

// ---------------------------------------------------------------------------------------------
// Helpers of this file
// ---------------------------------------------------------------------------------------------

/// A child process that is killed (and reaped) when dropped.
struct Guard {
    child: Child,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Guard {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (bounded) for the process to exit; `None` if it is still running.
    fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be polled") {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(POLL);
        }
    }
}

/// A running server started from the binary, and the address of its ready line.
struct Server {
    guard: Guard,
    url: String,
    ready_line: String,
}

/// A command for the binary with no inherited `IM_EMULATOR_*` variables.
fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("IM_EMULATOR_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("RUST_LOG", "warn");
    cmd
}

/// Starts `cmd` as a server and waits (bounded) for its ready line on stdout.
fn start(mut cmd: Command) -> Server {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let guard = Guard { child };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        // Keep draining so that the server never blocks on a full pipe.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let line = rx
        .recv_timeout(PATIENCE)
        .expect("the server prints its ready line in time");
    let line = line.trim_end_matches(['\n', '\r']).to_owned();
    let url = line
        .rsplit_once(" listening on ")
        .map(|(_, url)| url.to_owned())
        .unwrap_or_else(|| panic!("not a ready line: {line:?}"));
    Server {
        guard,
        url,
        ready_line: line,
    }
}

/// Starts the binary with `args`, bound to a free port of 127.0.0.1.
fn serve(args: &[&str]) -> Server {
    let mut all = vec!["--bind", "127.0.0.1:0"];
    all.extend_from_slice(args);
    start(command(&all))
}

/// Runs `cmd` to completion (bounded) and returns its status, stdout and stderr.
fn run(mut cmd: Command) -> (ExitStatus, String, String) {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut guard = Guard { child };
    let status = guard
        .wait_exit(PATIENCE)
        .expect("the command exits in time");
    (status, out.join().unwrap(), err.join().unwrap())
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A fresh folder holding `easemob/tenants.json` with `text`.
fn fixtures_dir(text: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("im-emulator-cli-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("easemob")).unwrap();
    std::fs::write(dir.join("easemob").join("tenants.json"), text).unwrap();
    dir
}

/// Sends `kill -{signal} pid`.
fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid} succeeded");
}

async fn get_json(url: &str) -> (StatusCode, Value) {
    let resp = reqwest::get(url).await.expect("the server answers");
    let status = resp.status();
    (status, resp.json().await.expect("a JSON answer"))
}

async fn post_json(url: &str, body: &Value) -> (StatusCode, Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .expect("the server answers");
    let status = resp.status();
    (status, resp.json().await.expect("a JSON answer"))
}

/// The token answer of `org/app` for any credentials.
async fn token(url: &str, org: &str, app: &str, id: &str, secret: &str) -> (StatusCode, Value) {
    let body =
        json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret});
    post_json(&format!("{url}/{org}/{app}/token"), &body).await
}

// ---------------------------------------------------------------------------------------------
// The ready line
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_ready_line_names_the_version_and_the_bound_url_and_health_answers_there() {
    let server = serve(&[]);
    let port = server
        .url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("a 127.0.0.1 URL with a port: {}", server.ready_line));
    assert_ne!(port, 0, "the real port, not the requested 0");
    assert_eq!(
        server.ready_line,
        format!("im-emulator 0.1.0 listening on http://127.0.0.1:{port}")
    );
    let (status, body) = get_json(&format!("{}/_emulator/health", server.url)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], "0.1.0");
}

// ---------------------------------------------------------------------------------------------
// IM_EMULATOR_* variables
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn im_emulator_bind_sets_the_listen_address() {
    let mut cmd = command(&[]);
    cmd.env("IM_EMULATOR_BIND", "127.0.0.1:0");
    let server = start(cmd);
    assert!(
        server.url.starts_with("http://127.0.0.1:") && !server.url.ends_with(":4800"),
        "the variable's port 0 was used, not the default 4800: {}",
        server.ready_line
    );
    let (status, _) = get_json(&format!("{}/_emulator/health", server.url)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn strict_tenants_by_flag_or_variable_refuses_an_unknown_org_app() {
    let by_flag = serve(&["--strict-tenants"]);
    let mut cmd = command(&["--bind", "127.0.0.1:0"]);
    cmd.env("IM_EMULATOR_STRICT_TENANTS", "true");
    let by_env = start(cmd);
    for server in [&by_flag, &by_env] {
        let (status, body) = token(&server.url, "nobody", "nothing", "id", "secret").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(
            body["error"], "organization_application_not_found",
            "{body}"
        );
        let (status, body) = token(
            &server.url,
            "demo",
            "chat",
            "YXA6demo-client-id",
            "YXA6demo-client-secret",
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the fixture tenant still works: {body}"
        );
    }
    // Without it (or with the variable false), the same pair is created on first use.
    let lenient = serve(&[]);
    let mut cmd = command(&["--bind", "127.0.0.1:0"]);
    cmd.env("IM_EMULATOR_STRICT_TENANTS", "false");
    let lenient_by_env = start(cmd);
    for server in [&lenient, &lenient_by_env] {
        let (status, body) = token(&server.url, "nobody", "nothing", "id", "secret").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

#[tokio::test]
async fn im_emulator_seed_gives_the_same_derived_ids_as_the_seed_flag() {
    let by_flag = serve(&["--seed", "7"]);
    let mut cmd = command(&["--bind", "127.0.0.1:0"]);
    cmd.env("IM_EMULATOR_SEED", "7");
    let by_env = start(cmd);
    let other_seed = serve(&["--seed", "8"]);
    let mut applications = Vec::new();
    for server in [&by_flag, &by_env, &other_seed] {
        let (status, body) = token(&server.url, "demo", "other", "id", "secret").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        applications.push(body["application"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        applications[0], applications[1],
        "the variable seeds like the flag"
    );
    assert_ne!(applications[0], applications[2], "the seed matters");
}

const CUSTOM_FIXTURES: &str = r#"{
  "tenants": [
    {
      "org": "acme",
      "app": "shop",
      "application": "11111111-2222-1333-8444-555555555555",
      "client_id": "acme-id",
      "client_secret": "acme-secret"
    }
  ]
}"#;

#[tokio::test]
async fn fixtures_by_flag_or_variable_replace_the_built_in_tenants() {
    let dir = fixtures_dir(CUSTOM_FIXTURES);
    let dir_text = dir.to_str().unwrap();
    let by_flag = serve(&["--fixtures", dir_text, "--strict-tenants"]);
    let mut cmd = command(&["--bind", "127.0.0.1:0", "--strict-tenants"]);
    cmd.env("IM_EMULATOR_FIXTURES", &dir);
    let by_env = start(cmd);
    for server in [&by_flag, &by_env] {
        let (status, body) = token(&server.url, "acme", "shop", "acme-id", "acme-secret").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["application"], "11111111-2222-1333-8444-555555555555");
        let (status, body) = token(&server.url, "acme", "shop", "acme-id", "wrong").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body["error"], "invalid_grant",
            "the fixture's secret is checked: {body}"
        );
        let (status, body) = token(
            &server.url,
            "demo",
            "chat",
            "YXA6demo-client-id",
            "YXA6demo-client-secret",
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "the built-in tenant was replaced: {body}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------------------------
// healthcheck
// ---------------------------------------------------------------------------------------------

#[test]
fn healthcheck_exits_zero_against_a_running_server() {
    let server = serve(&[]);
    let address = server.url.strip_prefix("http://").unwrap().to_owned();
    let (status, _, stderr) = run(command(&["healthcheck", "--bind", &address]));
    assert!(status.success(), "healthcheck failed: {status:?} {stderr}");
}

#[test]
fn healthcheck_reads_the_address_from_im_emulator_bind_too() {
    let server = serve(&[]);
    let address = server.url.strip_prefix("http://").unwrap().to_owned();
    let mut cmd = command(&["healthcheck"]);
    cmd.env("IM_EMULATOR_BIND", &address);
    let (status, _, stderr) = run(cmd);
    assert!(status.success(), "healthcheck failed: {status:?} {stderr}");
}

#[test]
fn healthcheck_exits_non_zero_against_a_closed_port() {
    let address = format!("127.0.0.1:{}", closed_port());
    let (status, _, stderr) = run(command(&["healthcheck", "--bind", &address]));
    assert!(!status.success(), "healthcheck passed against {address}");
    assert!(!stderr.trim().is_empty(), "it says why on stderr");
}

#[test]
fn healthcheck_exits_non_zero_after_the_server_stopped() {
    let mut server = serve(&[]);
    let address = server.url.strip_prefix("http://").unwrap().to_owned();
    signal(server.guard.pid(), "TERM");
    server
        .guard
        .wait_exit(PATIENCE)
        .expect("the server stops on SIGTERM");
    let (status, _, _) = run(command(&["healthcheck", "--bind", &address]));
    assert!(
        !status.success(),
        "healthcheck passed against a stopped server"
    );
}

// ---------------------------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------------------------

async fn stops_cleanly_on(sig: &str) {
    let mut server = serve(&[]);
    let (status, _) = get_json(&format!("{}/_emulator/health", server.url)).await;
    assert_eq!(status, StatusCode::OK);
    signal(server.guard.pid(), sig);
    let exit = server
        .guard
        .wait_exit(PATIENCE)
        .unwrap_or_else(|| panic!("the server did not stop within {PATIENCE:?} of SIG{sig}"));
    assert!(exit.success(), "SIG{sig} gives a clean exit, got {exit:?}");
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    stops_cleanly_on("TERM").await;
}

#[tokio::test]
async fn sigint_stops_the_server_cleanly() {
    stops_cleanly_on("INT").await;
}

// ---------------------------------------------------------------------------------------------
// Bad fixtures
// ---------------------------------------------------------------------------------------------

fn refuses_fixtures(text: &str) {
    let dir = fixtures_dir(text);
    let file = dir.join("easemob").join("tenants.json");
    let (status, stdout, stderr) = run(command(&[
        "--bind",
        "127.0.0.1:0",
        "--fixtures",
        dir.to_str().unwrap(),
    ]));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!status.success(), "it exits non-zero: {status:?}");
    assert!(
        !stdout.contains("listening on"),
        "it never reports ready: {stdout}"
    );
    assert!(
        stderr.contains(file.to_str().unwrap()),
        "stderr names {}: {stderr}",
        file.display()
    );
}

#[test]
fn a_fixture_file_that_is_not_json_stops_the_start_naming_the_file() {
    refuses_fixtures("{ \"tenants\": [ oops");
}

#[test]
fn a_fixture_file_with_an_unknown_field_stops_the_start_naming_the_file() {
    refuses_fixtures(r#"{"tenants": [{"org": "a", "app": "b", "colour": "blue"}]}"#);
}

#[test]
fn a_fixture_file_with_an_unknown_top_level_field_stops_the_start_naming_the_file() {
    refuses_fixtures(r#"{"tenants": [], "extra": true}"#);
}

// ---------------------------------------------------------------------------------------------
// --help
// ---------------------------------------------------------------------------------------------

#[test]
fn help_lists_every_flag() {
    let (status, stdout, _) = run(command(&["--help"]));
    assert!(status.success(), "{status:?}");
    for flag in [
        "--bind",
        "--fixtures",
        "--seed",
        "--strict-tenants",
        "healthcheck",
    ] {
        assert!(stdout.contains(flag), "--help mentions {flag}: {stdout}");
    }
    for var in [
        "IM_EMULATOR_BIND",
        "IM_EMULATOR_FIXTURES",
        "IM_EMULATOR_SEED",
        "IM_EMULATOR_STRICT_TENANTS",
    ] {
        assert!(stdout.contains(var), "--help mentions {var}: {stdout}");
    }
}

#[test]
fn version_prints_the_package_version() {
    let (status, stdout, _) = run(command(&["--version"]));
    assert!(status.success(), "{status:?}");
    assert_eq!(stdout.trim(), "im-emulator 0.1.0");
}
