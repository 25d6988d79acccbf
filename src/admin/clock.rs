//! `/_emulator/clock`: read the clock, pin it (`PUT {"now_ms": N}`, or let it run on from N
//! with `"running": true`), move it (`POST /advance {"ms": N}`), or return it to real time
//! (`DELETE`).

use super::{bad_request, Admin};
use crate::core::clock::{OutOfRange, MAX_MS};
use actix_web::{web, HttpResponse};
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

fn out_of_range() -> String {
    format!("the clock only shows instants from 0 to {MAX_MS} (epoch milliseconds)")
}

pub async fn get(admin: web::Data<Admin>) -> HttpResponse {
    reading(&admin)
}

pub async fn set(admin: web::Data<Admin>, body: web::Bytes) -> HttpResponse {
    match parse::<Set>(&body) {
        Ok(set) => match admin.core.clock.set(set.now_ms, set.running) {
            Ok(()) => reading(&admin),
            Err(OutOfRange) => bad_request(out_of_range()),
        },
        Err(message) => bad_request(message),
    }
}

pub async fn advance(admin: web::Data<Admin>, body: web::Bytes) -> HttpResponse {
    match parse::<Advance>(&body) {
        Ok(advance) => match admin.core.clock.advance(advance.ms) {
            Ok(_) => reading(&admin),
            Err(OutOfRange) => bad_request(out_of_range()),
        },
        Err(message) => bad_request(message),
    }
}

pub async fn unset(admin: web::Data<Admin>) -> HttpResponse {
    admin.core.clock.reset();
    reading(&admin)
}
