//! The binary as an operator runs it: a child process killed (and reaped) when its guard
//! drops, also when a test fails; its ready line; a command run to completion. Every wait is
//! bounded.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_im-emulator");
/// How long a process gets to start, answer or stop.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// The wait between two polls of a process.
pub const POLL: Duration = Duration::from_millis(20);

/// A child process that is killed (and reaped) when dropped.
pub struct Guard {
    pub child: Child,
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
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (bounded) for the process to exit; `None` if it is still running.
    pub fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
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
pub struct Server {
    pub guard: Guard,
    pub url: String,
    pub ready_line: String,
    /// What it has written to stderr (its log), line by line.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Waits (bounded) until a line of its log contains `text`, and returns that line.
    pub fn wait_for_log(&self, text: &str) -> Option<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self.log().into_iter().find(|l| l.contains(text)) {
                return Some(line);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(POLL);
        }
    }

    /// Its log so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

/// A command for the binary with no inherited `IM_EMULATOR_*` variables.
pub fn command(args: &[&str]) -> Command {
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
pub fn start(mut cmd: Command) -> Server {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let guard = Guard { child };
    let log = Arc::new(Mutex::new(Vec::new()));
    let lines = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            lines.lock().unwrap().push(line);
        }
    });
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
        log,
    }
}

/// Starts the binary with `args`, bound to a free port of 127.0.0.1.
pub fn serve(args: &[&str]) -> Server {
    let mut all = vec!["--bind", "127.0.0.1:0"];
    all.extend_from_slice(args);
    start(command(&all))
}

/// Runs `cmd` to completion (bounded) and returns its status, stdout and stderr.
pub fn run(mut cmd: Command) -> (ExitStatus, String, String) {
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
