//! AnqiCMS's failures (contract §2–3): HTTP 200 with `{"code","msg"}` and no `data`; `code` -1
//! with the reason in `msg` (Chinese, the site's language), or 1001 for a call that needs a
//! login (in English when the request asks for English).

use super::wire::{answer, Envelope, FAILED, NO_LOGIN};
use actix_web::HttpResponse;
use std::borrow::Cow;

/// One failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnqiError {
    pub code: i64,
    pub msg: Cow<'static, str>,
}

impl AnqiError {
    /// `code` -1 with `msg`.
    pub fn failed(msg: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: FAILED,
            msg: msg.into(),
        }
    }

    /// 1001: the call needs a login, in English when `english`.
    pub fn no_login(english: bool) -> Self {
        Self {
            code: NO_LOGIN,
            msg: Cow::Borrowed(if english {
                "This operation requires login, please log in and try again"
            } else {
                "该操作需要登录，请登录后重试"
            }),
        }
    }

    /// The HTTP answer.
    pub fn respond(&self) -> HttpResponse {
        answer::<()>(&Envelope {
            code: self.code,
            data: None,
            msg: &self.msg,
            total: None,
        })
    }
}

/// `订单不存在`: no order with that ID.
pub const ORDER_NOT_FOUND: &str = "订单不存在";
/// `权限不足`: another user's order.
pub const NOT_ALLOWED: &str = "权限不足";
