//! `GET /chatmessages/{time}` (`message_historical.md`): the download link of the history
//! file of one UTC hour `yyyyMMddHH`, within the last 3 days on the emulator's clock, 10 calls
//! a minute; and the download itself, which the emulator serves at `GET
//! /{org}/{app}/chatmessages/{time}.gz?Expires=&OSSAccessKeyId=&Signature=`. Like the real
//! OSS link it needs no token but a valid, unexpired signature, and answers in OSS's XML
//! errors. The file is built from the journal at download time (see [`history_file`]).

use super::call::Call;
use super::error::EasemobError;
use super::history_file::{self as file, HOUR_MS, LINK_TTL_SECONDS};
use super::wire::Meta;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};

/// How far back history files are kept: the last 3 days.
const RETENTION_MS: i64 = 3 * 24 * HOUR_MS;

#[derive(Serialize)]
struct Link {
    url: String,
}

/// `GET /{org}/{app}/chatmessages/{time}`: `data: [{"url": ...}]`.
pub async fn link(call: Call) -> HttpResponse {
    call.finish(history_link(&call))
}

fn history_link(call: &Call) -> Result<HttpResponse, EasemobError> {
    let tenant = call.tenant()?;
    call.require_app(&tenant)?;
    call.rate(&tenant.rates.history)?;
    let time = call.param();
    let start = file::hour_start(time).ok_or_else(EasemobError::history_bad_time)?;
    if start > call.now_ms || start + HOUR_MS <= call.now_ms - RETENTION_MS {
        return Err(EasemobError::history_expired(
            &tenant.org,
            &tenant.app,
            time,
        ));
    }
    if !file::any_message(&tenant, start) {
        return Err(EasemobError::history_not_found(
            &tenant.org,
            &tenant.app,
            time,
        ));
    }
    let name = format!("{time}.gz");
    let expires = call.now_ms.div_euclid(1000) + LINK_TTL_SECONDS;
    let url = format!(
        "{}/chatmessages/{name}?Expires={expires}&OSSAccessKeyId={}&Signature={}",
        call.app_uri(),
        file::access_key_id(&tenant),
        file::query_encode(&file::signature(&tenant, &name, expires)),
    );
    let meta = Meta::new(call, &tenant, "get", call.rest());
    Ok(meta.message([Link { url }]))
}

/// The query of a download link.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Signed {
    expires: Option<String>,
    #[serde(rename = "OSSAccessKeyId")]
    access_key_id: Option<String>,
    signature: Option<String>,
}

/// `GET /{org}/{app}/chatmessages/{time}.gz?Expires=&OSSAccessKeyId=&Signature=`: the gzipped
/// history file.
pub async fn download(call: Call) -> HttpResponse {
    let tenant = match call.tenant() {
        Ok(tenant) => tenant,
        Err(e) => return call.finish(Err(e)),
    };
    let name = call.param();
    let signed: Signed = serde_urlencoded::from_str(call.req.query_string()).unwrap_or(Signed {
        expires: None,
        access_key_id: None,
        signature: None,
    });
    let (Some(expires), Some(key), Some(signature)) =
        (signed.expires, signed.access_key_id, signed.signature)
    else {
        let text = "You have no right to access this object because of bucket acl.";
        return oss_error(&call, StatusCode::FORBIDDEN, "AccessDenied", text);
    };
    let expected = expires
        .parse::<i64>()
        .ok()
        .map(|at| (at, file::signature(&tenant, name, at)));
    let Some((expires, _)) =
        expected.filter(|(_, s)| *s == signature && key == file::access_key_id(&tenant))
    else {
        let text = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
        return oss_error(&call, StatusCode::FORBIDDEN, "SignatureDoesNotMatch", text);
    };
    if call.now_ms.div_euclid(1000) > expires {
        return oss_error(
            &call,
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Request has expired.",
        );
    }
    let records = name
        .strip_suffix(".gz")
        .and_then(file::hour_start)
        .map(|start| file::messages(&tenant, start))
        .unwrap_or_default();
    if records.is_empty() {
        let text = "The specified key does not exist.";
        return oss_error(&call, StatusCode::NOT_FOUND, "NoSuchKey", text);
    }
    match file::gzip(&records) {
        Ok(bytes) => HttpResponse::Ok()
            .content_type("application/octet-stream")
            .body(bytes),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

/// An error of the object store, in its XML.
fn oss_error(call: &Call, status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let request_id = format!("{:024X}", call.now_ms.unsigned_abs());
    let host = call
        .req
        .connection_info()
        .host()
        .replace(['<', '>', '&'], "");
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{code}</Code>\n  \
         <Message>{message}</Message>\n  <RequestId>{request_id}</RequestId>\n  \
         <HostId>{host}</HostId>\n</Error>\n"
    );
    HttpResponse::build(status)
        .content_type("application/xml")
        .insert_header(("x-oss-request-id", request_id))
        .body(body)
}
