//! Chat files (contract §6): `POST /chatfiles` (multipart field `file`, `restrict-access`
//! header) and `GET /chatfiles/{uuid}` returning the bytes, both with a token of the app, with
//! the `share-secret` enforced for restricted files and retention measured on the emulator's
//! clock.

use super::call::Call;
use super::error::EasemobError;
use super::file_store::{ChatFile, Lookup};
use super::wire::{Extra, Meta};
use crate::core::multipart;
use crate::core::payload::HARD_CAP;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use uuid::Uuid;

/// Room for the form around the file: boundaries, part headers, other fields.
const FORM_OVERHEAD: usize = 64 * 1024;

#[derive(Serialize)]
struct FileEntity<'a> {
    uuid: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "share-secret")]
    share_secret: &'a str,
}

/// `POST /{org}/{app}/chatfiles`.
pub async fn upload(call: Call, payload: web::Payload) -> HttpResponse {
    call.finish(upload_file(&call, payload).await)
}

async fn upload_file(call: &Call, payload: web::Payload) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    call.require_any(&tenant)?;
    call.rate(&tenant.rates.chatfiles)?;
    let cap = match tenant.settings.limits.max_file_bytes {
        0 => HARD_CAP,
        n => n as usize,
    };
    let (bytes, content_type) = read_file_field(call, payload, cap).await?;
    let mut secret = [0u8; 8];
    call.state.core.ids.rng().fill(&mut secret);
    let file = ChatFile {
        bytes,
        content_type,
        secret: URL_SAFE_NO_PAD.encode(secret).into(),
        restricted: restricted(call),
        uploaded_ms: call.now_ms,
    };
    let uuid = call.state.core.ids.uuid_v1(call.now_ms);
    let entity = FileEntity {
        uuid,
        kind: "chatfile",
        share_secret: &file.secret,
    };
    let meta = Meta::new(call, &tenant, "post", "/chatfiles");
    let response = meta.entities([entity], Extra::<()>::default());
    let settings = &tenant.settings;
    let (retention, max_bytes) = (settings.file_retention_ms, settings.max_stored_file_bytes);
    let tenant = call.keep()?;
    tenant
        .files
        .insert(uuid, file, call.now_ms, retention, max_bytes);
    Ok(response)
}

fn restricted(call: &Call) -> bool {
    call.req
        .headers()
        .get("restrict-access")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("false"))
}

/// The bytes and content type of the multipart field `file`, at most `cap` bytes. The whole
/// form is read (within the request timeout) before it is parsed, so that a truncated or
/// malformed form is answered at once.
async fn read_file_field(
    call: &Call,
    payload: web::Payload,
    cap: usize,
) -> Result<(web::Bytes, Option<Box<str>>), EasemobError> {
    let missing = || EasemobError::illegal_argument("file must be provided.");
    let form_cap = cap.saturating_add(FORM_OVERHEAD).min(HARD_CAP);
    let body = call
        .body(payload, form_cap as u32)
        .await
        .map_err(|e| match e.status {
            StatusCode::PAYLOAD_TOO_LARGE => EasemobError::file_too_large(),
            _ => e,
        })?;
    let content_type = call.req.headers().get(CONTENT_TYPE);
    let boundary = content_type
        .and_then(|v| v.to_str().ok())
        .and_then(multipart::boundary)
        .ok_or_else(missing)?;
    let parts = multipart::parts(&body, boundary).map_err(|_| missing())?;
    let file = parts
        .into_iter()
        .find(|p| p.name.as_deref() == Some("file"))
        .ok_or_else(missing)?;
    if file.body.len() > cap {
        return Err(EasemobError::file_too_large());
    }
    Ok((file.body, file.content_type.map(Into::into)))
}

/// `GET /{org}/{app}/chatfiles/{uuid}`.
pub async fn download(call: Call) -> HttpResponse {
    call.finish(download_file(&call))
}

fn download_file(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    call.require_any(&tenant)?;
    call.rate(&tenant.rates.chatfiles)?;
    let id = call.param();
    let uuid = Uuid::parse_str(id).map_err(|_| EasemobError::file_not_found())?;
    let retention = tenant.settings.file_retention_ms;
    let file = match tenant.files.get(&uuid, call.now_ms, retention) {
        Lookup::Found(file) => file,
        Lookup::Expired => return Err(EasemobError::file_expired(id)),
        Lookup::Missing => return Err(EasemobError::file_not_found()),
    };
    if file.restricted && given_secret(call).as_deref() != Some(&*file.secret) {
        return Err(EasemobError::corrupt_token());
    }
    let content_type = file
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .body(file.bytes))
}

/// The `share-secret` header, or the `share-secret` query parameter of download URLs.
fn given_secret(call: &Call) -> Option<String> {
    if let Some(v) = call.req.headers().get("share-secret") {
        return v.to_str().ok().map(str::to_owned);
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(call.req.query_string()).unwrap_or_default();
    pairs
        .into_iter()
        .find(|(k, _)| k == "share-secret")
        .map(|(_, v)| v)
}
