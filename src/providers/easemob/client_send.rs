//! `POST /_emulator/easemob/client-send`: a message sent as a client device sends it, through
//! the before-send callback the real service fires only for client SDK messages.

use crate::providers::ClientSend;
use actix_web::HttpRequest;

/// Sends `body` as a client device would.
pub async fn client_send(_req: &HttpRequest, _body: &[u8]) -> ClientSend {
    ClientSend::Invalid("not built yet".into())
}
