//! `POST /_emulator/{provider}/client-send?tenant=NAME`: a message sent as a client device
//! sends it, for the callbacks the real services fire only for client SDK messages (Easemob's
//! 发送前回调, Yunxin's 第三方回调). The provider runs its before-send callback, then stores
//! the message or refuses it as its client SDK would. Answers 200 `{"sent": true, "message",
//! "callback"}` or `{"sent": false, "error": {"code", "name", "message"}, "callback"}`;
//! 400 for a malformed body, 404 for an unknown tenant, user or group. The body is each
//! provider's own (README, "Callbacks").

use super::{bad_request, problem};
use crate::providers::{easemob, yunxin, ClientSend};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// The providers whose clients' sends are emulated.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq, Default))]
pub enum Client {
    #[cfg_attr(test, default)]
    Easemob,
    Yunxin,
    /// A provider without a client-only callback.
    Other,
}

/// The client of a `/{provider}/client-send` path (the part after `/_emulator`).
pub fn route_of(rest: &str) -> Option<Client> {
    Some(match rest {
        "/easemob/client-send" => Client::Easemob,
        "/yunxin/client-send" => Client::Yunxin,
        "/openim/client-send" | "/anqicms/client-send" => Client::Other,
        _ => return None,
    })
}

/// Sends `body` as `client`'s device would.
pub async fn send(req: &HttpRequest, client: Client, body: &[u8]) -> HttpResponse {
    let sent = match client {
        Client::Easemob => easemob::client_send(req, body).await,
        Client::Yunxin => yunxin::client_send(req, body).await,
        Client::Other => {
            return problem(
                StatusCode::NOT_FOUND,
                "not_found",
                "client-send is for easemob and yunxin, whose before-send callbacks fire only \
                 for client SDK messages; OpenIM fires its webhooks for /msg/send_msg itself, \
                 and AnqiCMS has none"
                    .into(),
            )
        }
    };
    match sent {
        ClientSend::Sent { message, callback } => HttpResponse::Ok().json(json!({
            "sent": true,
            "message": message,
            "callback": callback,
        })),
        ClientSend::Blocked {
            code,
            name,
            message,
            callback,
        } => HttpResponse::Ok().json(json!({
            "sent": false,
            "error": {"code": code, "name": name, "message": message},
            "callback": callback,
        })),
        ClientSend::Invalid(message) => bad_request(message),
        ClientSend::NotFound(message) => problem(StatusCode::NOT_FOUND, "not_found", message),
    }
}
