//! `GET /_emulator/health`: liveness, version, uptime and counts.

use super::Admin;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    uptime_ms: u128,
    now_ms: i64,
    messages: usize,
    tenants: BTreeMap<&'static str, usize>,
}

pub async fn health(admin: web::Data<Admin>) -> HttpResponse {
    let tenants = admin
        .providers
        .iter()
        .map(|p| (p.name(), p.tenant_count()))
        .collect();
    HttpResponse::Ok().json(Health {
        status: "ok",
        version: crate::VERSION,
        uptime_ms: admin.core.started.elapsed().as_millis(),
        now_ms: admin.core.clock.now_ms(),
        messages: admin.core.journal.len(),
        tenants,
    })
}
