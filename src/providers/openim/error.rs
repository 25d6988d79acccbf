//! OpenIM's error envelope and catalogue (contract §2, §3): every failure on an OpenIM route
//! is answered as `{"errCode","errMsg","errDlt"}` with HTTP 200, except binding failures of
//! the hand-written handlers (`send_msg`, `batch_send_msg`), which gin answers with HTTP 400
//! in the same envelope.

use super::wire::{Envelope, NoData};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use std::borrow::Cow;

/// One error answer: HTTP status, `errCode`, `errMsg`, `errDlt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenImError {
    pub status: StatusCode,
    pub code: i32,
    pub msg: Cow<'static, str>,
    pub dlt: Cow<'static, str>,
}

impl OpenImError {
    fn new(
        code: i32,
        msg: impl Into<Cow<'static, str>>,
        dlt: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status: StatusCode::OK,
            code,
            msg: msg.into(),
            dlt: dlt.into(),
        }
    }

    /// The HTTP answer.
    pub fn respond(&self, gzip: bool) -> HttpResponse {
        let mut response = Envelope::<NoData> {
            code: self.code,
            msg: &self.msg,
            dlt: &self.dlt,
            data: None,
        }
        .respond(self.status, gzip);
        let code = Some(i64::from(self.code));
        crate::providers::tag(&mut response, code, &self.msg, &self.dlt);
        response
    }

    /// 1001 `ArgsError` with `detail` (a header, a check or a validation failure).
    pub fn args(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(1001, "ArgsError", detail)
    }

    /// 1001 with HTTP 400: gin's `BindJSON` failed on a hand-written handler (§1).
    pub fn binding(detail: String) -> Self {
        let mut e = Self::args(detail);
        e.status = StatusCode::BAD_REQUEST;
        e
    }

    /// 1001 of a generic (`a2r`) handler whose body did not decode: the decoder's text sits in
    /// `errMsg`, `errDlt` is empty (§1).
    pub fn decode(text: String) -> Self {
        Self::new(1001, text, "")
    }

    /// 500 `ServerInternalError`: a message content that does not decode or validate (§4.2).
    pub fn internal(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(500, "ServerInternalError", detail)
    }

    /// 1002 `NoPermissionError`.
    pub fn no_permission(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(1002, "NoPermissionError", detail)
    }

    /// 1004 `RecordNotFoundError`.
    pub fn not_found(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(1004, "RecordNotFoundError", detail)
    }

    /// 1101 `UserIDNotFoundError`.
    pub fn user_id_not_found(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(1101, "UserIDNotFoundError", detail)
    }

    /// 1102 `RegisteredAlreadyError`.
    pub fn registered_already() -> Self {
        Self::new(1102, "RegisteredAlreadyError", "userID registered already")
    }

    /// 1202 `GroupIDExisted`.
    pub fn group_id_existed(group_id: &str) -> Self {
        Self::new(
            1202,
            "GroupIDExisted",
            format!("group id existed {group_id}"),
        )
    }

    /// 1203 `NotInGroupYetError`: a sender who is not a member of the group.
    pub fn not_in_group() -> Self {
        Self::new(1203, "NotInGroupYetError", "")
    }

    /// 1204 `DismissedAlreadyError`.
    pub fn dismissed(detail: &'static str) -> Self {
        Self::new(1204, "DismissedAlreadyError", detail)
    }

    /// 1404 `MsgAlreadyRevoke`.
    pub fn already_revoked() -> Self {
        Self::new(1404, "MsgAlreadyRevoke", "msg already revoke")
    }

    /// 90004 `NetworkError`: a webhook that timed out or could not be reached (webhooks
    /// contract §2.6).
    pub fn network(detail: String) -> Self {
        Self::new(90004, "NetworkError", detail)
    }

    /// 90007 `DataError`: a webhook whose answer is not the JSON of its reply (§2.6).
    pub fn data(detail: String) -> Self {
        Self::new(90007, "DataError", detail)
    }

    /// A webhook's refusal `errs.NewCodeError(errCode, errMsg).WithDetail(errDlt)` as the RPC
    /// layer passes it on (§2.7): a code of 0 or less becomes 500; an empty `errMsg` becomes
    /// the error's own text (`"<code> <errMsg> <errDlt>"`, empty parts kept); an empty
    /// `errDlt` becomes the `errMsg`.
    pub fn webhook(code: i32, msg: String, dlt: String) -> Self {
        let msg = if msg.is_empty() {
            let mut text = format!("{code} ");
            if !dlt.is_empty() {
                text.push(' ');
                text.push_str(&dlt);
            }
            text
        } else {
            msg
        };
        let dlt = if dlt.is_empty() { msg.clone() } else { dlt };
        Self::new(if code <= 0 { 500 } else { code }, msg, dlt)
    }

    /// errCode 2 (gRPC `Unknown`): the message RPC panicked, its recovered error's text as
    /// `errMsg` (less the Go stack frames the real server appends), no `errDlt`.
    pub fn rpc_panic(text: &'static str) -> Self {
        Self::new(2, format!("Error: 500 panic error {text}"), "")
    }

    /// 1501 `TokenExpiredError`.
    pub fn token_expired() -> Self {
        Self::new(1501, "TokenExpiredError", "")
    }

    /// 1503 `TokenMalformedError`.
    pub fn token_malformed() -> Self {
        Self::new(1503, "TokenMalformedError", "")
    }

    /// 1504 `TokenNotValidYetError`: a token whose `nbf` is still ahead.
    pub fn token_not_valid_yet() -> Self {
        Self::new(1504, "TokenNotValidYetError", "")
    }

    /// 1505 with the JWT library's text as `errMsg` (`signature is invalid`).
    pub fn token_unknown(text: &'static str) -> Self {
        Self::new(1505, text, "")
    }

    /// 1506 `TokenKickedError`: a newer token for the same user and platform, or a logout.
    pub fn token_kicked() -> Self {
        Self::new(1506, "TokenKickedError", "")
    }

    /// 1507 `TokenNotExistError`: a good JWT this server does not hold.
    pub fn token_not_exist() -> Self {
        Self::new(1507, "TokenNotExistError", "")
    }
}
