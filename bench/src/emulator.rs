//! Finding or building the release im-emulator and starting it with the
//! benchmark's fixture tenant (demo/bench, rate limits off) and a fixed seed.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::child::Server;
use crate::health::HEALTH_PATH;
use crate::oneshot;

/// Seed passed to every emulator started.
pub const SEED: &str = "42";
/// How long a started emulator may take to answer its health check.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(10);

/// The tenant the scenarios use: limits off, two users.
const TENANTS: &str = r#"{"defaults": {"limits": {"enabled": false}},
 "tenants": [{"org": "demo", "app": "bench", "client_id": "YXA6bench-id", "client_secret": "YXA6bench-secret",
   "users": [{"username": "alice", "password": "alice-password"}, {"username": "bob", "password": "bob-password"}]}]}
"#;

/// A release binary and a fixtures directory, removed when dropped.
pub struct Emulator {
    pub bin: PathBuf,
    fixtures: PathBuf,
}

impl Emulator {
    /// Uses `bin` if given, else builds the workspace's release binary.
    pub fn prepare(bin: Option<&Path>) -> Result<Self, String> {
        let bin = match bin {
            Some(b) => b.to_path_buf(),
            None => build()?,
        };
        let fixtures =
            std::env::temp_dir().join(format!("im-emulator-bench-{}", std::process::id()));
        let dir = fixtures.join("easemob");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(dir.join("tenants.json"), TENANTS).map_err(|e| e.to_string())?;
        Ok(Self { bin, fixtures })
    }

    /// Spawns the emulator on a free loopback port; returns once it listens.
    pub fn spawn(&self) -> Result<Server, String> {
        self.spawn_with(&[])
    }

    /// Spawns the emulator with `args` added to its command line.
    pub fn spawn_with(&self, args: &[&str]) -> Result<Server, String> {
        let mut cmd = Command::new(&self.bin);
        cmd.args(["--bind", "127.0.0.1:0", "--seed", SEED, "--fixtures"])
            .arg(&self.fixtures)
            .args(args)
            .env("RUST_LOG", "off");
        Server::spawn(cmd)
    }

    /// Spawns the emulator and waits for its first healthy reply.
    pub fn start(&self) -> Result<Server, String> {
        self.start_with(&[])
    }

    /// Spawns the emulator with `args` and waits for its first healthy reply.
    pub fn start_with(&self, args: &[&str]) -> Result<Server, String> {
        let server = self.spawn_with(args)?;
        wait_healthy(&server)?;
        Ok(server)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.fixtures);
    }
}

/// Polls the health endpoint until it answers 200.
pub fn wait_healthy(server: &Server) -> Result<(), String> {
    let deadline = Instant::now() + HEALTH_TIMEOUT;
    while Instant::now() < deadline {
        if oneshot::get_ok(&server.endpoint, HEALTH_PATH, Duration::from_secs(1)) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    Err(format!("GET {HEALTH_PATH} never answered 200"))
}

/// Runs `cargo build --release --bin im-emulator` and returns the executable.
fn build() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace root")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building the release im-emulator ...");
    let mut child = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--bin",
            "im-emulator",
            "--message-format=json",
        ])
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("cargo has no stdout")?;
    let exe = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| executable(&line))
        .last();
    let status = child.wait().map_err(|e| e.to_string())?;
    match exe {
        Some(exe) if status.success() => Ok(exe),
        _ => Err(format!(
            "`cargo build --release --bin im-emulator` failed ({status})"
        )),
    }
}

/// The im-emulator executable named by one line of cargo's JSON messages.
fn executable(line: &str) -> Option<PathBuf> {
    let msg: serde_json::Value = serde_json::from_str(line).ok()?;
    (msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "im-emulator")
        .then(|| msg["executable"].as_str().map(PathBuf::from))?
}
