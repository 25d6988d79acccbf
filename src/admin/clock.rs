//! `/_emulator/clock`: read the clock, pin it (`PUT {"now_ms": N}`, or let it run on from N
//! with `"running": true`), move it (`POST /advance {"ms": N}`), or return it to real time
//! (`DELETE`).

use super::{bad_request, Admin};
use crate::core::clock::OutOfRange;
use actix_web::HttpResponse;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Serialize)]
struct Reading {
    now_ms: i64,
    frozen: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Set {
    now_ms: i64,
    #[serde(default)]
    running: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    ms: i64,
}

fn reading(admin: &Admin) -> HttpResponse {
    HttpResponse::Ok().json(Reading {
        now_ms: admin.core.clock.now_ms(),
        frozen: admin.core.clock.is_frozen(),
    })
}

/// Parses a JSON object (serde would also read a struct from an array: refuse that).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let object: Map<String, Value> =
        serde_json::from_slice(body).map_err(|e| format!("bad clock request: {e}"))?;
    serde_json::from_value(Value::Object(object)).map_err(|e| format!("bad clock request: {e}"))
}

/// Why an instant is refused: the ids of the emulated providers cannot encode it.
fn out_of_range(admin: &Admin) -> String {
    let range = admin.core.clock.range();
    format!(
        "the clock only shows instants from {} to {} (epoch milliseconds): the emulated \
         providers' message ids cannot encode others",
        range.start(),
        range.end()
    )
}

pub fn get(admin: &Admin) -> HttpResponse {
    reading(admin)
}

pub fn set(admin: &Admin, body: &[u8]) -> HttpResponse {
    match parse::<Set>(body) {
        Ok(set) => match admin.core.clock.set(set.now_ms, set.running) {
            Ok(()) => reading(admin),
            Err(OutOfRange) => bad_request(out_of_range(admin)),
        },
        Err(message) => bad_request(message),
    }
}

pub fn advance(admin: &Admin, body: &[u8]) -> HttpResponse {
    match parse::<Advance>(body) {
        Ok(advance) => match admin.core.clock.advance(advance.ms) {
            Ok(_) => reading(admin),
            Err(OutOfRange) => bad_request(out_of_range(admin)),
        },
        Err(message) => bad_request(message),
    }
}

pub fn unset(admin: &Admin) -> HttpResponse {
    admin.core.clock.reset();
    reading(admin)
}
