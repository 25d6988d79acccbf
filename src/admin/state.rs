//! `GET`/`PUT /_emulator/state`: the whole state of the emulator (the clock, the identifier
//! sources, the message journal and every provider's tenants) as one versioned JSON document,
//! and `--state-file`, which loads such a document at start and writes it, atomically, at
//! clean shutdown and every `--state-interval`.
//!
//! A document is read whole and checked before anything changes: a refused document (another
//! format or version, a malformed part) leaves the state as it was. Each provider's part is
//! its own ([`crate::providers::Provider::snapshot`]); if one refuses its part, the state taken just before is
//! put back.

use super::{bad_request, problem, Admin};
use crate::core::clock::ClockState;
use crate::core::ids::{Ids, IdsState};
use crate::core::journal::{Checked, Journal, JournalState};
use crate::core::payload::{close_after, read_large, BodyError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// Held while a document is taken or a file written: one at a time.
static BUSY: Mutex<()> = Mutex::new(());

fn busy() -> std::sync::MutexGuard<'static, ()> {
    BUSY.lock().unwrap_or_else(|p| p.into_inner())
}

/// The `format` of every state document.
pub const FORMAT: &str = "im-emulator-state";
/// The version of the document's shape this emulator writes and reads.
pub const VERSION: u64 = 1;
/// The most bytes a state document sent to `PUT /_emulator/state` may have.
pub const STATE_CAP: usize = 256 * 1024 * 1024;

/// A state document.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u64,
    /// The version of the emulator that wrote it.
    emulator: String,
    /// The emulator clock's time when it was written.
    saved_at: i64,
    clock: ClockState,
    ids: IdsState,
    journal: JournalState,
    /// Each provider's own state, by provider name.
    providers: Map<String, Value>,
    /// The fixture objects of the tenants created at run time, by provider name.
    #[serde(default)]
    created: Map<String, Value>,
}

/// A document checked whole, ready to take.
struct Ready {
    clock: ClockState,
    ids: IdsState,
    journal: Checked,
    providers: Map<String, Value>,
    created: Map<String, Value>,
}

/// Why a document was refused.
#[derive(Debug)]
pub enum Refusal {
    /// Not JSON, not a state document, or a part that does not hold.
    Malformed(String),
    /// A state document of another version: its version and the emulator that wrote it,
    /// as they are written in it.
    Version { version: String, emulator: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Malformed(message) => f.write_str(message),
            Refusal::Version { version, emulator } => write!(
                f,
                "the document is state version {version} (written by im-emulator {emulator}); \
                 im-emulator {} reads state version {VERSION} only",
                crate::VERSION
            ),
        }
    }
}

/// `GET /_emulator/state`.
pub fn get(admin: &Admin) -> HttpResponse {
    HttpResponse::Ok().json(document(admin))
}

/// `PUT /_emulator/state`: replaces everything with the document in the body.
pub async fn put(admin: &Admin, req: &HttpRequest, payload: web::Payload) -> HttpResponse {
    let timeout = admin.core.request_timeout;
    let body = match read_large(req, payload, STATE_CAP, timeout).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            return problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("a state document has at most {STATE_CAP} bytes"),
            )
        }
        Err(BodyError::TimedOut) => {
            return close_after(problem(
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "the state document did not arrive within the request timeout".into(),
            ))
        }
        Err(BodyError::Broken) => return bad_request("the request body could not be read".into()),
    };
    match load(admin, &body) {
        Ok(()) => HttpResponse::Ok().json(summary(admin)),
        Err(refusal @ Refusal::Version { .. }) => problem(
            StatusCode::BAD_REQUEST,
            "version_mismatch",
            refusal.to_string(),
        ),
        Err(refusal) => bad_request(refusal.to_string()),
    }
}

/// What a successful `PUT` answers: the document's version and what is now held.
fn summary(admin: &Admin) -> Value {
    let tenants: Map<String, Value> = admin
        .providers
        .iter()
        .map(|p| (p.name().to_owned(), p.tenant_count().into()))
        .collect();
    serde_json::json!({
        "loaded": true,
        "version": VERSION,
        "messages": admin.core.journal.counts().stored,
        "tenants": tenants,
    })
}

/// The whole state, as a document.
pub fn document(admin: &Admin) -> Value {
    let core = &admin.core;
    let providers: Map<String, Value> = admin
        .providers
        .iter()
        .map(|p| (p.name().to_owned(), p.snapshot()))
        .collect();
    let document = Document {
        format: FORMAT.into(),
        version: VERSION,
        emulator: crate::VERSION.into(),
        saved_at: core.clock.now_ms(),
        clock: core.clock.snapshot(),
        ids: core.ids.snapshot(),
        journal: core.journal.snapshot(),
        providers,
        created: admin
            .providers
            .iter()
            .map(|p| (p.name().to_owned(), Value::from(p.created_tenants())))
            .collect(),
    };
    serde_json::to_value(document).expect("a state document is JSON")
}

/// Replaces the whole state with the document `bytes`, or changes nothing.
pub fn load(admin: &Admin, bytes: &[u8]) -> Result<(), Refusal> {
    let ready = check(admin, bytes)?;
    let _one = busy();
    let before = document(admin);
    if let Err(refusal) = take(admin, ready) {
        // A provider refused its part after others took theirs: put everything back.
        let restored = serde_json::to_vec(&before)
            .map_err(|e| e.to_string())
            .and_then(|b| check(admin, &b).map_err(|e| e.to_string()))
            .and_then(|ready| take(admin, ready).map_err(|e| e.to_string()));
        if let Err(e) = restored {
            log::error!(
                "the state before a refused PUT /_emulator/state could not be put back: {e}"
            );
        }
        return Err(refusal);
    }
    Ok(())
}

/// Reads and checks everything that can be checked before the state changes.
fn check(admin: &Admin, bytes: &[u8]) -> Result<Ready, Refusal> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Refusal::Malformed(format!("the state document is not JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(Refusal::Malformed(
            "a state document is a JSON object".into(),
        ));
    };
    if object.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(Refusal::Malformed(format!(
            "not a state document: its \"format\" must be {FORMAT:?}"
        )));
    }
    let version = object.get("version");
    if version.and_then(Value::as_u64) != Some(VERSION) {
        return Err(Refusal::Version {
            version: shown(version),
            emulator: shown(object.get("emulator")),
        });
    }
    let doc: Document = serde_json::from_value(value)
        .map_err(|e| Refusal::Malformed(format!("the state document does not hold: {e}")))?;
    let malformed = Refusal::Malformed;
    admin
        .core
        .clock
        .check(&doc.clock)
        .map_err(|_| malformed("clock: an instant the emulator's clock cannot show".into()))?;
    Ids::check(&doc.ids).map_err(malformed)?;
    let names: Vec<&'static str> = admin.providers.iter().map(|p| p.name()).collect();
    check_providers(&doc.providers, &names).map_err(malformed)?;
    let journal = Journal::check(doc.journal, &names).map_err(malformed)?;
    Ok(Ready {
        clock: doc.clock,
        ids: doc.ids,
        journal,
        providers: doc.providers,
        created: doc.created,
    })
}

/// A field of a refused document as a message shows it: a string as it is, anything else as
/// JSON, a missing one as `none`.
fn shown(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.chars().take(64).collect(),
        Some(other) => other.to_string().chars().take(64).collect(),
        None => "none".into(),
    }
}

/// Every provider named once, no other.
fn check_providers(parts: &Map<String, Value>, names: &[&'static str]) -> Result<(), String> {
    if let Some(unknown) = parts.keys().find(|k| !names.contains(&k.as_str())) {
        return Err(format!(
            "providers: unknown provider {unknown:?}; known: {}",
            names.join(", ")
        ));
    }
    if let Some(missing) = names.iter().find(|n| !parts.contains_key(**n)) {
        return Err(format!("providers: the state of {missing} is missing"));
    }
    Ok(())
}

/// Takes a checked document: the clock, the journal, each provider (which make their
/// tenants again, taking back their journal partitions), then the identifier sources, so
/// that ids drawn while tenants were made are drawn again from where they were.
fn take(admin: &Admin, ready: Ready) -> Result<(), Refusal> {
    let core = &admin.core;
    core.clock
        .restore(&ready.clock)
        .map_err(|_| Refusal::Malformed("clock: out of range".into()))?;
    core.journal.restore(ready.journal);
    let mut parts = ready.providers;
    for provider in &admin.providers {
        let part = parts.remove(provider.name()).unwrap_or(Value::Null);
        provider
            .restore(part)
            .map_err(|e| Refusal::Malformed(format!("providers.{}: {e}", provider.name())))?;
        let created = match ready.created.get(provider.name()) {
            Some(Value::Array(list)) => {
                list.iter().filter_map(|f| f.as_object().cloned()).collect()
            }
            _ => Vec::new(),
        };
        provider
            .recreate_tenants(created)
            .map_err(|e| Refusal::Malformed(format!("created.{}: {e}", provider.name())))?;
    }
    core.ids.restore(&ready.ids).map_err(Refusal::Malformed)
}

/// Loads the state file `path` when it exists; a missing file is a fresh start, in a folder
/// that must exist (it is written there at shutdown).
pub fn load_file(admin: &Admin, path: &Path) -> Result<bool, String> {
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(format!(
            "--state-file {}: the folder {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(format!(
                "--state-file {}: cannot read it: {e}",
                path.display()
            ))
        }
    };
    load(admin, &bytes)
        .map(|()| true)
        .map_err(|e| format!("--state-file {}: {e}", path.display()))
}

/// Writes the whole state to `path` atomically: a temporary file in the same folder, synced,
/// then renamed over `path`, so that `path` always holds a whole document.
pub fn save_file(admin: &Admin, path: &Path) -> std::io::Result<()> {
    let _one = busy();
    let bytes = serde_json::to_vec(&document(admin)).map_err(std::io::Error::other)?;
    let dir = folder_of(path);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    // The rename itself lasts once the folder is synced (not possible everywhere).
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// The folder `path` is in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
