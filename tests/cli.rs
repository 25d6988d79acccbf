//! The `im-emulator` binary as an operator runs it: the ready line, flags and their
//! `IM_EMULATOR_*` variables, the `healthcheck` subcommand, signals, bad fixtures and `--help`.
//! Every child process is killed when its guard drops, also when a test fails.

mod common;
use common::process::*;

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
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
fn help_lists_every_flag_its_variable_rust_log_and_the_admin_api() {
    let (status, stdout, _) = run(command(&["--help"]));
    assert!(status.success(), "{status:?}");
    for text in ["RUST_LOG", "/_emulator/health", "/_emulator/messages"] {
        assert!(stdout.contains(text), "--help mentions {text}: {stdout}");
    }
    for flag in [
        "--bind",
        "--fixtures",
        "--seed",
        "--clock",
        "--strict-tenants",
        "--max-messages",
        "--max-tenants",
        "--request-timeout",
        "--admin-token",
        "healthcheck",
    ] {
        assert!(stdout.contains(flag), "--help mentions {flag}: {stdout}");
    }
    for var in [
        "IM_EMULATOR_BIND",
        "IM_EMULATOR_FIXTURES",
        "IM_EMULATOR_SEED",
        "IM_EMULATOR_CLOCK",
        "IM_EMULATOR_STRICT_TENANTS",
        "IM_EMULATOR_MAX_MESSAGES",
        "IM_EMULATOR_MAX_TENANTS",
        "IM_EMULATOR_REQUEST_TIMEOUT",
        "IM_EMULATOR_ADMIN_TOKEN",
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

// ---------------------------------------------------------------------------------------------
// Start-up as a new user meets it
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bind_colon_port_listens_on_loopback() {
    let server = start(command(&["--bind", ":0"]));
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.ready_line
    );
    let (status, _) = get_json(&format!("{}/_emulator/health", server.url)).await;
    assert_eq!(status, StatusCode::OK);
}

/// Runs the binary with `args` and asserts it stops at start, naming `expected` on stderr.
fn refuses_to_start(args: &[&str], expected: &str) {
    let mut all = vec!["--bind", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let (status, stdout, stderr) = run(command(&all));
    assert!(!status.success(), "{args:?}: it exits non-zero");
    assert!(
        !stdout.contains("listening on"),
        "{args:?}: it never reports ready: {stdout}"
    );
    assert!(
        stderr.contains(expected),
        "{args:?}: stderr names {expected:?}: {stderr}"
    );
}

#[test]
fn a_fixtures_path_that_is_missing_or_a_file_stops_the_start_naming_it() {
    let missing = std::env::temp_dir().join(format!("im-emulator-none-{}", std::process::id()));
    let missing = missing.to_str().unwrap().to_owned();
    refuses_to_start(&["--fixtures", &missing], &missing);
    let dir = fixtures_dir(CUSTOM_FIXTURES);
    let file = dir.join("easemob").join("tenants.json");
    let file = file.to_str().unwrap();
    refuses_to_start(&["--fixtures", file], file);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn fixtures_the_real_service_could_not_hold_stop_the_start() {
    let cases = [
        (
            r#"{"tenants": [{"org": "a", "app": "b"}, {"org": "a", "app": "b"}]}"#,
            "listed twice",
        ),
        (r#"{"tenants": [{"org": "a/x", "app": "b"}]}"#, "a/x"),
        (
            r#"{"tenants": [{"org": "a", "app": "b", "users": [{"username": "no way", "password": "p"}]}]}"#,
            "not legal",
        ),
        (
            r#"{"tenants": [{"org": "a", "app": "b", "users": [{"username": "ann", "password": ""}]}]}"#,
            "password",
        ),
        (
            r#"{"defaults": {"users": [{"username": "ann", "password": "p"}, {"username": "ANN", "password": "q"}]}}"#,
            "listed twice",
        ),
    ];
    for (text, expected) in cases {
        let dir = fixtures_dir(text);
        refuses_to_start(&["--fixtures", dir.to_str().unwrap()], expected);
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn a_clock_its_ids_cannot_encode_stops_the_start() {
    refuses_to_start(&["--clock", "5712532096000"], "--clock");
    refuses_to_start(&["--clock", "1000"], "--clock");
}

#[test]
fn the_start_logs_one_line_per_provider_naming_its_fixtures_and_tenants() {
    let mut cmd = command(&["--bind", "127.0.0.1:0"]);
    cmd.env("RUST_LOG", "info");
    let server = start(cmd);
    let line = server
        .wait_for_log("easemob:")
        .unwrap_or_else(|| panic!("no easemob line in {:?}", server.log()));
    assert!(line.contains("built-in fixtures"), "{line}");
    assert!(line.contains("demo/chat"), "{line}");
}

#[tokio::test]
async fn health_checks_are_logged_at_debug_not_info() {
    let mut cmd = command(&["--bind", "127.0.0.1:0"]);
    cmd.env("RUST_LOG", "info");
    let server = start(cmd);
    let (status, _) = get_json(&format!("{}/_emulator/health", server.url)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get_json(&format!("{}/demo/chat/users", server.url)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server
        .wait_for_log("/demo/chat/users")
        .expect("the request after the health check is logged");
    let logged: Vec<String> = server.log();
    assert!(
        !logged.iter().any(|l| l.contains("/_emulator/health")),
        "{logged:?}"
    );
}

#[tokio::test]
async fn boolean_variables_take_1_0_true_false_yes_no() {
    for (value, strict) in [
        ("1", true),
        ("yes", true),
        ("true", true),
        ("0", false),
        ("no", false),
        ("false", false),
    ] {
        let mut cmd = command(&["--bind", "127.0.0.1:0"]);
        cmd.env("IM_EMULATOR_STRICT_TENANTS", value);
        let server = start(cmd);
        let (status, body) = token(&server.url, "nobody", "nothing", "id", "secret").await;
        let expected = if strict {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(
            status, expected,
            "IM_EMULATOR_STRICT_TENANTS={value}: {body}"
        );
    }
}

/// The ids a fixed script of calls gets from a fresh binary started with `args`.
async fn scripted_ids(args: &[&str]) -> Vec<String> {
    let server = serve(args);
    let base = format!("{}/demo/chat", server.url);
    let (_, granted) = token(
        &server.url,
        "demo",
        "chat",
        "YXA6demo-client-id",
        "YXA6demo-client-secret",
    )
    .await;
    let app_token = granted["access_token"].as_str().unwrap().to_owned();
    let client = reqwest::Client::new();
    let user: Value = client
        .post(format!("{base}/users"))
        .bearer_auth(&app_token)
        .json(&json!({"username": "zed", "password": "pw"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sent: Value = client
        .post(format!("{base}/messages/users"))
        .bearer_auth(&app_token)
        .json(&json!({"from": "alice", "to": ["bob", "zed"], "type": "txt", "body": {"msg": "x"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    vec![
        app_token,
        user["entities"][0]["uuid"].as_str().unwrap().to_owned(),
        sent["data"]["bob"].as_str().unwrap().to_owned(),
        sent["data"]["zed"].as_str().unwrap().to_owned(),
    ]
}

#[tokio::test]
async fn the_same_seed_and_clock_give_the_same_ids_in_two_runs_of_the_binary() {
    let args = ["--seed", "42", "--clock", "1790000000000"];
    let first = scripted_ids(&args).await;
    let second = scripted_ids(&args).await;
    assert_eq!(first, second);
    let mut cmd = command(&["--bind", "127.0.0.1:0", "--seed", "42"]);
    cmd.env("IM_EMULATOR_CLOCK", "1790000000000");
    let by_env = start(cmd);
    let (_, body) = get_json(&format!("{}/_emulator/clock", by_env.url)).await;
    assert_eq!(
        body,
        json!({"now_ms": 1_790_000_000_000_i64, "frozen": true})
    );
}

#[test]
fn healthcheck_help_lists_only_the_flags_it_uses() {
    let (status, stdout, _) = run(command(&["healthcheck", "--help"]));
    assert!(status.success(), "{status:?}");
    assert!(stdout.contains("--bind"), "{stdout}");
    assert!(stdout.contains("--admin-token"), "{stdout}");
    for ignored in ["--seed", "--fixtures", "--strict-tenants", "--max-messages"] {
        assert!(!stdout.contains(ignored), "{ignored} in {stdout}");
    }
}

#[test]
fn healthcheck_sends_the_admin_token_of_the_server() {
    let server = serve(&["--admin-token", "s3cret"]);
    let address = server.url.strip_prefix("http://").unwrap().to_owned();
    let (status, _, _) = run(command(&["healthcheck", "--bind", &address]));
    assert!(!status.success(), "without the token the check fails");
    let mut cmd = command(&["healthcheck", "--bind", &address]);
    cmd.env("IM_EMULATOR_ADMIN_TOKEN", "s3cret");
    let (status, _, stderr) = run(cmd);
    assert!(status.success(), "{stderr}");
}
