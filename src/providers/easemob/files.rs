//! Chat files (contract §6): `POST /chatfiles` (multipart field `file`, `restrict-access`
//! header) and `GET /chatfiles/{uuid}` returning the bytes, with the `share-secret` enforced
//! for restricted files and retention measured on the emulator's clock.

use super::call::Call;
use super::error::EasemobError;
use super::wire::{Extra, Meta};
use crate::core::payload::HARD_CAP;
use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use futures_util::StreamExt;
use serde::Serialize;
use uuid::Uuid;

/// An uploaded file.
#[derive(Debug)]
pub struct ChatFile {
    pub bytes: web::Bytes,
    pub content_type: Option<Box<str>>,
    pub secret: Box<str>,
    pub restricted: bool,
    pub uploaded_ms: i64,
}

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
    // The token is optional here (contract §6); one that is given must be good.
    if super::auth::has_token(&call.req) {
        call.require_any(&tenant)?;
    }
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
    tenant.files.insert(uuid, file);
    Ok(response)
}

fn restricted(call: &Call) -> bool {
    call.req
        .headers()
        .get("restrict-access")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("false"))
}

/// The bytes and content type of the multipart field `file`. The whole form is read, even
/// past a refusal, so that the client receives the answer rather than a reset connection.
async fn read_file_field(
    call: &Call,
    payload: web::Payload,
    cap: usize,
) -> Result<(web::Bytes, Option<Box<str>>), EasemobError> {
    let missing = || EasemobError::illegal_argument("file must be provided.");
    let mut form = Multipart::new(call.req.headers(), payload.into_inner());
    let mut file = None;
    let mut too_large = false;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| missing())?;
        let wanted = file.is_none() && field.name() == Some("file");
        let content_type = field.content_type().map(|m| m.essence_str().into());
        let mut bytes = web::BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| missing())?;
            too_large |= wanted && bytes.len() + chunk.len() > cap;
            if wanted && !too_large {
                bytes.extend_from_slice(&chunk);
            }
        }
        if wanted {
            file = Some((bytes.freeze(), content_type));
        }
    }
    if too_large {
        return Err(EasemobError::file_too_large());
    }
    file.ok_or_else(missing)
}

/// `GET /{org}/{app}/chatfiles/{uuid}`.
pub async fn download(call: Call) -> HttpResponse {
    call.finish(download_file(&call))
}

fn download_file(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    call.rate(&tenant.rates.chatfiles)?;
    let id = call.param();
    let uuid = Uuid::parse_str(id).map_err(|_| EasemobError::file_not_found())?;
    let file = tenant
        .files
        .get(&uuid)
        .ok_or_else(EasemobError::file_not_found)?;
    let retention = tenant.settings.file_retention_ms;
    if retention > 0 && call.now_ms - file.uploaded_ms > retention {
        return Err(EasemobError::file_expired(id));
    }
    if file.restricted && given_secret(call).as_deref() != Some(&*file.secret) {
        return Err(EasemobError::corrupt_token());
    }
    let content_type = file
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .body(file.bytes.clone()))
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
