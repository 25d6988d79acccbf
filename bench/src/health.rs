//! What the emulator's `GET /_emulator/health` says about its message journal,
//! its long-poll readers, its memory and its callbacks.

use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::oneshot;

/// The emulator's health route.
pub const HEALTH_PATH: &str = "/_emulator/health";

/// The parts of a health reply the benchmark reads; `None` where the reply
/// has no such field (an older emulator, or another server).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Health {
    /// `messages.stored`: records the journal holds.
    pub stored: Option<u64>,
    /// `messages.evicted`: records dropped to keep the bound.
    pub evicted: Option<u64>,
    /// `messages.max`: the bound (0: none).
    pub max: Option<u64>,
    /// `waiters`: long-poll readers waiting now.
    pub waiters: Option<u64>,
    /// `memory.resident_bytes`.
    pub resident_bytes: Option<u64>,
}

impl Health {
    /// Reads the fields from a health reply's JSON body.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let json: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| format!("{HEALTH_PATH}: {e}"))?;
        let messages = &json["messages"];
        Ok(Self {
            stored: messages["stored"].as_u64(),
            evicted: messages["evicted"].as_u64(),
            max: messages["max"].as_u64(),
            waiters: json["waiters"].as_u64(),
            resident_bytes: json["memory"]["resident_bytes"].as_u64(),
        })
    }

    /// GETs the health route of `ep` on a new connection.
    pub fn read(ep: &Endpoint, timeout: Duration) -> Result<Self, String> {
        Self::parse(&body(ep, timeout)?)
    }

    /// The callbacks' attempts by outcome since the start, and those still
    /// queued or being sent (`callbacks.outcomes`, `queued`, `in_flight`).
    pub fn callbacks(ep: &Endpoint, timeout: Duration) -> Result<Vec<(String, u64)>, String> {
        let json: serde_json::Value = serde_json::from_slice(&body(ep, timeout)?)
            .map_err(|e| format!("{HEALTH_PATH}: {e}"))?;
        let callbacks = &json["callbacks"];
        let outcomes = callbacks["outcomes"]
            .as_object()
            .ok_or_else(|| format!("{HEALTH_PATH} has no callbacks.outcomes"))?;
        let pending = ["queued", "in_flight"].map(|k| (k.to_string(), callbacks[k].clone()));
        let counts = outcomes.iter().map(|(k, v)| (k.clone(), v.clone()));
        Ok(counts
            .chain(pending)
            .map(|(k, v)| (k, v.as_u64().unwrap_or(0)))
            .collect())
    }
}

/// The body of a 200 health reply of `ep`.
fn body(ep: &Endpoint, timeout: Duration) -> Result<Vec<u8>, String> {
    let raw = ep.request("GET", HEALTH_PATH, None, None);
    let reply = oneshot::call(ep, &raw, timeout)?;
    if reply.status != 200 {
        return Err(format!("GET {HEALTH_PATH}: status {}", reply.status));
    }
    Ok(reply.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_journal_waiters_and_memory() {
        let body = br#"{"status":"ok","messages":{"stored":196875,"evicted":3125,"max":200000},
            "waiters":1000,"memory":{"resident_bytes":52428800},"limits":{"workers":2}}"#;
        assert_eq!(
            Health::parse(body).unwrap(),
            Health {
                stored: Some(196_875),
                evicted: Some(3_125),
                max: Some(200_000),
                waiters: Some(1_000),
                resident_bytes: Some(52_428_800),
            }
        );
    }

    #[test]
    fn missing_fields_are_none() {
        let health = Health::parse(br#"{"status":"ok"}"#).unwrap();
        assert_eq!(health, Health::default());
        assert!(Health::parse(b"not json").is_err());
    }
}
