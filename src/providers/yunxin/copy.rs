//! 消息抄送 (message copy, eventType `"1"`): for every message sent through the API, an app
//! with a `message_copy_url` receives a POST of the message as a flat JSON object of strings
//! (webhooks contract §3.5; a client-sent message with its device's client type, device ID and
//! `ip`), signed with `AppKey`, `CurTime` (milliseconds), `MD5` of the exact
//! body bytes and `CheckSum` = sha1hex(AppSecret + MD5 + CurTime) (§3.2). Unless the send's
//! `route_config.route_enabled` is false. Sent through the core's callbacks queue, so that the
//! send's answer never waits for it.

use super::conversation::{P2P, SUPER_TEAM};
use super::device::{client_type_name, REST};
use super::msg_store::Message;
use super::tenant::Tenant;
use crate::core::callbacks::Delivery;
use md5::{Digest, Md5};
use serde::Serialize;
use sha1::Sha1;
use std::time::Duration;

/// The event name in `/_emulator/callbacks`.
pub const EVENT: &str = "message_copy";

/// The body of one message copy, its keys in the order the documentation lists them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Copy<'a> {
    event_type: &'static str,
    conv_type: &'static str,
    to: &'a str,
    from_account: &'a str,
    from_client_type: &'static str,
    from_device_id: &'a str,
    from_nick: &'a str,
    msg_timestamp: String,
    msg_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attach: Option<&'a str>,
    msgid_client: &'a str,
    msgid_server: String,
    resend_flag: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ext: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<&'a str>,
}

/// `convType` of a conversation type; a super team's is `SUPER_TEAM` (UNVERIFIED).
fn conv_type(kind: i64) -> &'static str {
    match kind {
        P2P => "PERSON",
        SUPER_TEAM => "SUPER_TEAM",
        _ => "TEAM",
    }
}

/// `msgType` of a v2 `message_type`.
pub fn msg_type(message_type: i64) -> &'static str {
    match message_type {
        0 => "TEXT",
        1 => "PICTURE",
        2 => "AUDIO",
        3 => "VIDEO",
        4 => "LOCATION",
        6 => "FILE",
        10 => "TIPS",
        _ => "CUSTOM",
    }
}

/// The `MD5` and `CheckSum` headers of `body` sent at `cur_time` (milliseconds).
pub fn sign(secret: &str, body: &[u8], cur_time: &str) -> (String, String) {
    let md5 = hex(&Md5::digest(body));
    let mut sha = Sha1::new();
    sha.update(secret.as_bytes());
    sha.update(md5.as_bytes());
    sha.update(cur_time.as_bytes());
    let checksum = hex(&sha.finalize());
    (md5, checksum)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `fromNick` of `sender`: its name, or its account ID when it has none.
pub fn from_nick(tenant: &Tenant, sender: &str) -> String {
    let name = tenant
        .accounts
        .with(sender, |a| a.user_information.name.clone());
    name.filter(|n| !n.is_empty())
        .unwrap_or_else(|| sender.to_owned())
}

/// The copy of `m` for `tenant` at `now_ms`, when the app has a copy URL and the send did not
/// turn routing off.
pub fn of(tenant: &Tenant, m: &Message, route_enabled: bool, now_ms: i64) -> Option<Delivery> {
    let settings = &tenant.settings;
    let url = settings
        .message_copy_url
        .as_ref()
        .filter(|_| route_enabled)?;
    let nick = from_nick(tenant, &m.sender);
    let device = m.device.as_ref();
    let copy = Copy {
        event_type: "1",
        conv_type: conv_type(m.conversation_type),
        to: &m.receiver,
        from_account: &m.sender,
        from_client_type: client_type_name(device.map_or(REST.1, |d| d.client_type)),
        from_device_id: device.map_or("", |d| &d.device_id),
        from_nick: &nick,
        msg_timestamp: m.create_time.to_string(),
        msg_type: msg_type(m.message_type),
        body: m.text.as_deref(),
        attach: m.attachment.as_deref().map(|a| a.get()),
        msgid_client: &m.client_id,
        msgid_server: m.server_id.to_string(),
        resend_flag: "0",
        ext: m.extension.as_deref(),
        ip: device.map(|d| d.ip.as_str()),
    };
    let body = serde_json::to_vec(&copy).ok()?;
    let mut delivery = signed(tenant, EVENT, url, "application/json", body, now_ms);
    delivery.timeout = Duration::from_millis(settings.message_copy_timeout_ms);
    delivery.attempts = settings.message_copy_retries.saturating_add(1);
    delivery.success.clone_from(&settings.message_copy_success);
    Some(delivery)
}

/// One POST of `body` to `url` as the app `tenant` signs its callbacks at `now_ms`: `AppKey`,
/// `CurTime` (milliseconds), `MD5` of the body and `CheckSum`; one attempt, 200 its success,
/// within 5 s.
pub fn signed(
    tenant: &Tenant,
    event: &'static str,
    url: &str,
    content_type: &'static str,
    body: Vec<u8>,
    now_ms: i64,
) -> Delivery {
    let cur_time = now_ms.to_string();
    let (md5, checksum) = sign(&tenant.settings.app_secret, &body, &cur_time);
    Delivery {
        provider: super::PROVIDER,
        tenant: tenant.app_key.clone(),
        event,
        url: url.to_owned(),
        headers: vec![
            ("Content-Type", content_type.into()),
            ("AppKey", tenant.app_key.to_string()),
            ("CurTime", cur_time),
            ("MD5", md5),
            ("CheckSum", checksum),
        ],
        body: body.into(),
        timeout: Duration::from_secs(5),
        attempts: 1,
        success: vec![200],
    }
}

#[cfg(test)]
mod tests {
    use super::sign;

    #[test]
    fn the_signature_matches_the_contracts_test_vectors() {
        let (md5, checksum) = sign("c0ffee123456", b"{}", "1608110108512");
        assert_eq!(md5, "99914b932bd37a50b983c5e7c90ae93b");
        assert_eq!(checksum, "c6d3681e0155deabbf5d966eeda21417b7674d9e");
        let body = r#"{"eventType":"1","convType":"PERSON","to":"bob","fromAccount":"alice","fromClientType":"REST","fromDeviceId":"","fromNick":"alice","msgTimestamp":"1747727714765","msgType":"TEXT","body":"hi","msgidClient":"c1","msgidServer":"9897543190303","resendFlag":"0"}"#;
        let (md5, checksum) = sign("c0ffee123456", body.as_bytes(), "1608110108512");
        assert_eq!(md5, "864baa1e59a4ac003d366c23670b0044");
        assert_eq!(checksum, "60f128baee25ba41246133663ffd5ab0e853aaaa");
    }
}
